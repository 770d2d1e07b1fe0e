// The live part of a session page refreshes itself every few seconds (hx-trigger="every 10s").
// Don't refresh it under someone's fingers: skip a refresh while they are typing or choosing
// in it (focus is inside it) or have changed something they haven't sent yet.
(function () {
  "use strict";

  function liveSection(node) {
    return node && node.closest ? node.closest("[data-live]") : null;
  }

  function markChanged(event) {
    var section = liveSection(event.target);
    if (section) { section.setAttribute("data-changed", ""); }
  }

  document.addEventListener("input", markChanged);
  document.addEventListener("change", markChanged);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-live")) { return; }
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (verb && verb.toLowerCase() !== "get") { return; }
    var active = document.activeElement;
    if (elt.hasAttribute("data-changed") || (active && active !== elt && elt.contains(active))) {
      event.preventDefault();
    }
  });
})();
