// Liaison web interface: shows times in the user's zone (the node keeps and sends UTC), and keeps
// keyboard focus sensible after htmx swaps. Everything else works without this script.
(function () {
  "use strict";
  function localise(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      if (el.dataset.localised) { return; }
      var raw = el.getAttribute("datetime");
      if (!raw) { return; }
      var iso = raw.replace(" UTC", "Z").replace(" ", "T");
      var when = new Date(iso);
      if (isNaN(when.getTime())) { return; }
      el.title = raw;
      el.textContent = when.toLocaleString(undefined, {
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
      });
      el.dataset.localised = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    localise(event.target);
    var heading = event.target.querySelector("[data-focus]");
    if (heading) { heading.focus(); }
  });
})();
