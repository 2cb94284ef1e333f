// Sign-up: a filter box above the agency list, and the "not listed" fields shown only when
// chosen. Without JavaScript the list and the fields simply all show.
(function () {
  "use strict";
  var select = document.querySelector("select[data-agency-picker]");
  if (!select) return;

  var requestFields = document.querySelector("[data-agency-request]");
  function toggleRequest() {
    if (requestFields) requestFields.hidden = select.value !== "not-listed";
  }

  var box = document.createElement("input");
  box.type = "search";
  box.id = select.id + "-filter";
  box.setAttribute("autocomplete", "off");
  var label = document.createElement("label");
  label.htmlFor = box.id;
  label.textContent = select.getAttribute("data-filter-label") || "Filter agencies";
  var wrapper = document.createElement("p");
  wrapper.className = "agency-filter";
  wrapper.appendChild(label);
  wrapper.appendChild(box);
  select.parentNode.parentNode.insertBefore(wrapper, select.parentNode);

  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var firstMatch = null;
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var country = group.label.toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var text = (country + " " + option.textContent).toLowerCase();
        var match = option.value === "not-listed" || words.every(function (w) {
          return text.indexOf(w) !== -1;
        });
        option.hidden = !match;
        if (match) {
          shown += 1;
          if (!firstMatch && option.value !== "not-listed") firstMatch = option;
        }
      });
      group.hidden = shown === 0;
    });
    if (firstMatch && words.length) {
      select.value = firstMatch.value;
      toggleRequest();
    }
  });
  select.addEventListener("change", toggleRequest);
  toggleRequest();
})();
