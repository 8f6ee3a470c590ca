/* Progressive enhancement only: every page works without this file.
   - focuses the error summary when a form comes back with errors;
   - forms with data-portal-progress upload with a progress bar, then follow the redirect;
   - elements with data-portal-live="URL" refresh their text from a JSON endpoint, and the
     <progress> named by data-portal-live-bar (with its "-text" label) from its "progress";
   - a hidden button with data-portal-print is shown and prints the page;
   - a GC Design System component with data-portal-uploader="ID" (gcds-file-uploader) drops
     its native fallback once defined, and takes the fallback's id (the error summary's
     link). */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-portal-focus]");
    if (summary) { summary.focus(); }
  }

  function progressUpload(form) {
    var bar = document.getElementById(form.getAttribute("data-portal-progress"));
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData || !bar) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open(form.method, form.action);
      request.setRequestHeader("X-Portal-Fetch", "1");
      var csrf = form.querySelector("input[name=csrf_token]");
      if (csrf) { request.setRequestHeader("X-CSRF-Token", csrf.value); }
      bar.hidden = false;
      bar.value = 0;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);
        } else {
          document.open(); document.write(request.responseText); document.close();
        }
      });
      request.addEventListener("error", function () { form.submit(); });
      request.send(new FormData(form));
    });
  }

  function showProgress(id, progress) {
    var bar = id ? document.getElementById(id) : null;
    if (!bar || !progress) { return; }
    bar.value = progress.percent;
    bar.textContent = progress.percent + " %";
    var label = document.getElementById(id + "-text");
    if (label && progress.text && label.textContent !== progress.text) {
      label.textContent = progress.text;
    }
  }

  function live(element) {
    var url = element.getAttribute("data-portal-live");
    var done = (element.getAttribute("data-portal-live-done") || "").split("|");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body) { return; }
          if (body.text && element.textContent !== body.text) { element.textContent = body.text; }
          showProgress(element.getAttribute("data-portal-live-bar"), body.progress);
          if (done.indexOf(body.status) >= 0) {
            if (element.hasAttribute("data-portal-live-reload")) { window.location.reload(); }
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 1000);
  }

  function uploader(element) {
    if (!window.customElements) { return; }
    window.customElements.whenDefined(element.localName).then(function () {
      element.querySelectorAll("[data-portal-uploader-fallback]").forEach(function (fallback) {
        fallback.remove();
      });
      element.id = element.getAttribute("data-portal-uploader");
    });
  }

  function printButton(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary();
    document.querySelectorAll("[data-portal-print]").forEach(printButton);
    document.querySelectorAll("[data-portal-uploader]").forEach(uploader);
    document.querySelectorAll("form[data-portal-progress]").forEach(progressUpload);
    document.querySelectorAll("[data-portal-live]").forEach(live);
  });
})();
