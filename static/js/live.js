// The live part of a session page (#session-live, marked data-live) refreshes itself every
// few seconds with htmx. This keeps that refresh out of people's way:
// - no refresh while someone is typing or choosing in it, has changed something they haven't
//   sent, or is looking at a form with a problem;
// - parts someone opened (<details>) stay open after a refresh;
// - after sending one of its forms, focus goes to the heading of the part they were in
//   (or to the error summary, which app.js focuses).
// Every page works without this file: the section has a "Refresh" link.
(function () {
  "use strict";

  var FIELDS = "input, textarea, select";
  var LIVE = "session-live";
  var openDetails = [];
  var focusPart = null;

  function liveSection(node) {
    return node && node.closest ? node.closest("[data-live]") : null;
  }

  function busy(section) {
    if (section.hasAttribute("data-changed") || section.querySelector(".error-summary")) {
      return true;
    }
    var active = document.activeElement;
    return !!(active && section.contains(active) && active.matches(FIELDS));
  }

  function markChanged(event) {
    var section = liveSection(event.target);
    if (section && event.target.matches && event.target.matches(FIELDS)) {
      section.setAttribute("data-changed", "");
    }
  }

  document.addEventListener("input", markChanged);
  document.addEventListener("change", markChanged);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.hasAttribute) { return; }
    if (elt.hasAttribute("data-live")) {
      if (busy(elt)) { event.preventDefault(); }
      return;
    }
    if (elt.tagName === "FORM" && liveSection(elt)) {
      var part = elt.closest(".live-part, [data-live]");
      focusPart = part ? part.id : null;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== LIVE) { return; }
    var polling = event.detail.requestConfig && event.detail.requestConfig.elt === target;
    if (polling && busy(target)) {
      // They started typing while the refresh was on its way: keep what they typed.
      event.detail.shouldSwap = false;
      return;
    }
    openDetails = Array.prototype.map.call(
      target.querySelectorAll("details[open][id]"), function (d) { return d.id; });
  });

  document.addEventListener("htmx:afterSwap", function () {
    var section = document.getElementById(LIVE);
    if (!section) { return; }
    openDetails.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) { details.open = true; }
    });
    openDetails = [];
    if (focusPart && !section.querySelector("[data-focus-on-load]")) {
      var part = document.getElementById(focusPart);
      var heading = part && part.querySelector("h2, h3");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
    focusPart = null;
  });
})();
