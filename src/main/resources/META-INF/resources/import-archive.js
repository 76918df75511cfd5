// "Import an archive": uploads the archive (or a diaspora* export and its photos zip, or a packed backup) in parts
// (each within the pod's body limit, resumed after a failed part), then starts the import with the uploads' ids. A
// refused password keeps the upload for another try. A diaspora* export and a backup ask for no password; a
// diaspora* export may bring a photos zip.
(function () {
  "use strict";
  const form = document.getElementById("import-archive");
  if (!form) {
    return;
  }
  const progress = form.querySelector(".progress");
  const alert = form.querySelector(".alert");
  const button = form.querySelector("button[type=submit]");
  const uploaded = new Map(); // file -> upload id
  const password = form.elements.archivePassword;

  // A Transplant archive is a .tar; a backup (transplant-backup pack) is a zip whose directory, at the end of the
  // file, lists manifest.json; anything else chosen is taken for a diaspora* export. The pod checks each.
  let chosenIsBackup = false;

  async function isBackup(file) {
    if (!file || !/\.zip$/i.test(file.name)) {
      return false;
    }
    const tail = await file.slice(Math.max(0, file.size - (1 << 20))).arrayBuffer();
    return new TextDecoder("latin1").decode(tail).includes("manifest.json");
  }

  function isDiaspora(file) {
    return !!file && !chosenIsBackup && !/\.tar$/i.test(file.name);
  }

  // The stylesheet shows every label as a block, which overrides the hidden attribute: the style hides it too (set
  // from here, as the pages' Content-Security-Policy allows no inline style).
  function show(element, shown) {
    element.hidden = !shown;
    element.style.display = shown ? "" : "none";
  }

  // The inputs that fit the chosen file: on load too, as a browser may keep a file chosen before a reload.
  async function fitChosenFile() {
    const file = form.elements.archive.files[0];
    chosenIsBackup = await isBackup(file);
    const diaspora = isDiaspora(file);
    const archive = !!file && !diaspora && !chosenIsBackup;
    show(form.querySelector(".diaspora-only"), diaspora);
    show(form.querySelector(".archive-only"), archive || !file);
    password.required = archive || !file;
  }

  form.elements.archive.addEventListener("change", fitChosenFile);
  fitChosenFile();

  function say(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  async function problemOf(response) {
    try {
      const body = await response.json();
      return body.detail || ("The pod answered " + response.status);
    } catch (e) {
      return "The pod answered " + response.status;
    }
  }

  async function upload(file, what) {
    if (uploaded.has(file)) {
      const status = await fetch("/api/v1/archive-uploads/" + uploaded.get(file));
      if (status.ok && (await status.json()).whole) {
        return uploaded.get(file);
      }
    }
    const opened = await fetch("/api/v1/archive-uploads", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ bytes: file.size }),
    });
    if (!opened.ok) {
      throw new Error(await problemOf(opened));
    }
    const slot = await opened.json();
    let at = 0;
    let failures = 0;
    while (at < file.size) {
      const end = Math.min(file.size, at + slot.maxPartBytes);
      let response;
      try {
        response = await fetch("/api/v1/archive-uploads/" + slot.id, {
          method: "PUT",
          headers: {
            "Content-Type": "application/octet-stream",
            "Content-Range": "bytes " + at + "-" + (end - 1) + "/" + file.size,
          },
          body: file.slice(at, end),
        });
      } catch (e) {
        response = null;
      }
      if (response && response.ok) {
        at = (await response.json()).received;
        failures = 0;
      } else {
        if (++failures > 5) {
          throw new Error(response ? await problemOf(response) : "The upload stopped; check your connection");
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * failures));
        const status = await fetch("/api/v1/archive-uploads/" + slot.id);
        if (status.ok) {
          at = (await status.json()).received;
        }
      }
      say(progress, "Uploading " + what + ": " + Math.floor((100 * at) / file.size) + " %");
    }
    uploaded.set(file, slot.id);
    return slot.id;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    say(alert, "");
    const file = form.elements.archive.files[0];
    if (!file) {
      return;
    }
    if (file.size > Number(form.dataset.maxBytes)) {
      say(alert, "This archive is larger than this pod takes.");
      return;
    }
    const diaspora = isDiaspora(file);
    const photos = diaspora ? form.elements.photos.files[0] : null;
    if (photos && photos.size > Number(form.dataset.maxBytes)) {
      say(alert, "This photos file is larger than this pod takes.");
      return;
    }
    button.disabled = true;
    try {
      const data = new FormData();
      data.append("upload", await upload(file, diaspora ? "your data" : "the archive"));
      if (photos) {
        data.append("photosUpload", await upload(photos, "your photos"));
      }
      say(progress, diaspora ? "Reading your diaspora* data and checking its signatures…"
        : chosenIsBackup ? "Opening the backup…" : "Opening the archive…");
      const fields = diaspora || chosenIsBackup
        ? ["username", "email", "password"]
        : ["archivePassword", "username", "email", "password"];
      for (const name of fields) {
        data.append(name, form.elements[name].value);
      }
      const started = await fetch("/api/v1/imports", { method: "POST", body: data });
      if (started.status === 201) {
        window.location.assign((await started.json()).progressUrl);
        return;
      }
      say(progress, "");
      say(alert, await problemOf(started));
    } catch (e) {
      say(progress, "");
      say(alert, e.message);
    } finally {
      button.disabled = false;
    }
  });
})();
