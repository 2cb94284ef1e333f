// Shows a session's times in the viewer's zone too: remembers the browser's IANA zone in a
// cookie the server reads, and preselects it in the zone form. The page works without this.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) {
    return;
  }
  var hadCookie = document.cookie.split("; ").some(function (part) {
    return part.indexOf("muster_tz=") === 0;
  });
  // IANA names use only cookie-safe characters (letters, digits, "/", "_", "-", "+").
  if (!/^[A-Za-z0-9/_+-]+$/.test(zone)) {
    return;
  }
  document.cookie = "muster_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("#viewer-zone-form [name=tz]");
    if (input && !input.value) {
      input.value = zone;
    }
    // The zone suggestions come from the browser itself, not with every page.
    var list = document.getElementById("time-zones");
    if (list && !list.options.length && Intl.supportedValuesOf) {
      var fragment = document.createDocumentFragment();
      Intl.supportedValuesOf("timeZone").forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        fragment.appendChild(option);
      });
      list.appendChild(fragment);
    }
    // The server did not know the zone on this first visit: show the page once more with it.
    // Only if the cookie stuck, so a browser refusing cookies is never reloaded in a loop.
    var stored = document.cookie.indexOf("muster_tz=") !== -1;
    if (!hadCookie && stored && document.querySelector("[data-viewer-zone-unknown]")) {
      window.location.reload();
    }
  });
})();
