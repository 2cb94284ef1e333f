// Follows an import job: asks the server for its progress every second and updates the bar
// and the status line; reloads the page once the job has finished, to show the result. The
// page works without this (it says to reload).
(function () {
  "use strict";
  var page = document.querySelector("[data-progress-url]");
  if (!page || !window.fetch) {
    return;
  }
  var url = page.getAttribute("data-progress-url");
  var bar = document.getElementById("import-progress");
  function field(name) {
    return page.querySelector('[data-field="' + name + '"]');
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          window.setTimeout(poll, 5000);
          return;
        }
        bar.max = data.rows_total || 1;
        bar.value = data.rows_done;
        bar.textContent = data.percent + "%";
        field("rows_done").textContent = data.rows_done;
        field("status_label").textContent = data.status_label;
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 500);
})();
