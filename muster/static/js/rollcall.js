// Roll call without a page reload: each tap posts its row's form with fetch() and asks for
// JSON, then updates that row in place. Built for a phone on a slow connection: the row's
// buttons are disabled while the tap is in flight, the saved state is shown when the server
// answers, and a failure (an error answer, no network, or no answer within the time limit)
// says so and gives the buttons back. Without JavaScript, or if fetch is missing, the forms post
// normally and the page reloads (the view answers both). Messages come translated from the
// list's data attributes.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }
  var TIME_LIMIT_MS = 20000;

  function setText(node, text) {
    if (node) {
      node.textContent = text;
    }
  }

  function enhance(list) {
    var saving = list.getAttribute("data-msg-saving") || "";
    var saved = list.getAttribute("data-msg-saved") || "";
    var failed = list.getAttribute("data-msg-failed") || "";

    list.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-roll-call-form]")) {
        return;
      }
      var button = event.submitter;
      if (!button || button.name !== "status") {
        return;
      }
      event.preventDefault();
      var row = form.closest(".roll-call-person");
      var feedback = row.querySelector("[data-roll-call-feedback]");
      var statusText = row.querySelector(".roll-call-status");
      var buttons = form.querySelectorAll("button[name=status]");
      var data = new FormData(form);
      data.set("status", button.value);

      buttons.forEach(function (b) {
        b.disabled = true;
      });
      row.classList.remove("is-error", "is-saved");
      row.classList.add("is-saving");
      row.setAttribute("aria-busy", "true");
      setText(feedback, saving);

      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller
        ? window.setTimeout(function () {
            controller.abort();
          }, TIME_LIMIT_MS)
        : null;

      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              // A signed-out trainer is redirected to the login page (HTML, no status).
              if (!response.ok || !body.status) {
                throw new Error(body.error || failed);
              }
              return body;
            });
        })
        .then(function (body) {
          buttons.forEach(function (b) {
            var current = b.value === body.status;
            b.classList.toggle("is-current", current);
            b.setAttribute("aria-pressed", current ? "true" : "false");
          });
          if (statusText) {
            statusText.setAttribute("data-status", body.status);
            setText(statusText, body.text);
          }
          row.classList.add("is-saved");
          setText(feedback, body.message || saved);
        })
        .catch(function (error) {
          row.classList.add("is-error");
          var detail = error && error.name !== "AbortError" && error.message;
          setText(feedback, detail && detail !== failed ? failed + " " + detail : failed);
        })
        .then(function () {
          if (timer) {
            window.clearTimeout(timer);
          }
          row.classList.remove("is-saving");
          row.removeAttribute("aria-busy");
          buttons.forEach(function (b) {
            b.disabled = false;
          });
        });
    });
    list.setAttribute("data-enhanced", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-roll-call-list]").forEach(enhance);
  });
})();
