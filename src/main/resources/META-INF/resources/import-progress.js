// Live progress: poll the job's JSON until it ends.
(function () {
  var box = document.getElementById('import');
  function done(state) { return state === 'FAILED' || state === 'ABORTED'; }
  function poll() {
    if (done(box.dataset.state)) { return; }
    var notices = document.getElementById('notices');
    if (box.dataset.state === 'DONE' && (notices ? notices.dataset.verdict !== 'in-progress'
        : !document.getElementById('notices-waiting'))) { return; }
    fetch('/api/v1/imports/' + box.dataset.id, { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        // Once done, the page itself draws the notices' report: reload when the state or the report changes.
        var n = job.notices;
        var shown = document.getElementById('notices');
        if (job.state === 'DONE' && (box.dataset.state !== 'DONE' || (n && (!shown
            || shown.dataset.verdict !== n.verdict || shown.dataset.accepted !== String(n.accepted))))) {
          location.reload();
          return;
        }
        box.dataset.state = job.state;
        document.getElementById('import-status').textContent = job.status;
        (job.collections || []).forEach(function (c) {
          var row = box.querySelector('tr[data-collection="' + c.name + '"]');
          if (!row) { return; }
          row.querySelector('progress').max = c.total;
          row.querySelector('progress').value = c.done;
          row.querySelector('.count').textContent = c.done + ' of ' + c.total;
        });
      })
      .finally(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
