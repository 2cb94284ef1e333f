// The session form's long lists (sessions/admin/choices.py): type two letters, pick a match,
// and it joins the ticked boxes. Untick a box to drop it.
(function () {
  "use strict";
  function setUp(box) {
    if (box.dataset.ready) {
      return;
    }
    box.dataset.ready = "1";
    var input = box.querySelector(".search-choices-input");
    var results = box.querySelector(".search-choices-results");
    var chosen = box.querySelector(".search-choices-chosen");
    var timer = null;
    input.hidden = false;
    function has(id) {
      return chosen.querySelector('input[value="' + id + '"]') !== null;
    }
    function add(item) {
      if (has(item.id)) {
        return;
      }
      var li = document.createElement("li");
      var label = document.createElement("label");
      var check = document.createElement("input");
      check.type = "checkbox";
      check.name = box.dataset.name;
      check.value = item.id;
      check.checked = true;
      label.appendChild(check);
      label.appendChild(document.createTextNode(" " + item.label));
      li.appendChild(label);
      chosen.appendChild(li);
    }
    function show(items) {
      results.textContent = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.textContent = box.dataset.noneFound;
        results.appendChild(none);
        return;
      }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = item.label;
        button.addEventListener("click", function () {
          add(item);
          li.remove();
          input.focus();
        });
        li.appendChild(button);
        results.appendChild(li);
      });
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches; it never submits the whole form.
      }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) {
        results.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        fetch(box.dataset.searchUrl + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            show(data.results);
          });
      }, 250);
    });
  }
  function all() {
    document.querySelectorAll(".search-choices").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();
