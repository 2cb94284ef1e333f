// The site header's menu button: on a narrow screen the navigation folds behind it. Without
// this script the button stays hidden and the links simply stack under the brand.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var header = document.querySelector(".site-header");
  if (!button || !header) {
    return;
  }
  button.hidden = false;
  header.classList.add("has-menu");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
