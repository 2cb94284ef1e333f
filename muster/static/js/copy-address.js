// "Copy the address" buttons beside a read-only address field: shown only when the browser can
// copy to the clipboard; the result is announced in the page's status line.
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll(".copy-button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-done");
          }
        },
        function () {
          field.select();
        }
      );
    });
  });
})();
