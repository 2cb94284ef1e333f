// A form that failed shows an error summary (templates/includes/error_summary.html): move focus
// to it once the page has loaded, so the first thing read out is what went wrong.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
