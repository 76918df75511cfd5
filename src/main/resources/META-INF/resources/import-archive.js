// "Import an archive": uploads the archive in parts (each within the pod's body limit, resumed after a failed
// part), then starts the import with the upload's id. A refused password keeps the upload for another try.
(function () {
  "use strict";
  const form = document.getElementById("import-archive");
  if (!form) {
    return;
  }
  const progress = form.querySelector(".progress");
  const alert = form.querySelector(".alert");
  const button = form.querySelector("button[type=submit]");
  let uploaded = null; // { file, id }

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

  async function upload(file) {
    if (uploaded && uploaded.file === file) {
      const status = await fetch("/api/v1/archive-uploads/" + uploaded.id);
      if (status.ok && (await status.json()).whole) {
        return uploaded.id;
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
      say(progress, "Uploading: " + Math.floor((100 * at) / file.size) + " %");
    }
    uploaded = { file: file, id: slot.id };
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
    button.disabled = true;
    try {
      const id = await upload(file);
      say(progress, "Opening the archive…");
      const data = new FormData();
      data.append("upload", id);
      for (const name of ["archivePassword", "username", "email", "password"]) {
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
