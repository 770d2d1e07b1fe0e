// Small enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary when a page or an htmx swap brings one.
  function focusErrors(root) {
    var summary = (root || document).querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target) { focusErrors(target.parentNode || document); }
    // A whole new page swapped into the body: start reading from its main content.
    if (target === document.body && !document.querySelector("[data-focus-on-load]")) {
      var main = document.getElementById("main");
      if (main) { main.focus(); }
    }
    var box = document.getElementById("htmx-error");
    if (box) { box.hidden = true; }
  });

  // htmx does not swap error responses: say so in plain words instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) { return; }
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    box.textContent = status === 429
      ? box.getAttribute("data-too-many") || "Too many tries. Please wait a minute, then try again."
      : box.getAttribute("data-failed") || "That didn't work. Please reload the page and try again.";
    box.hidden = false;
    box.focus();
  });

  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("htmx-error");
    if (!box) { return; }
    box.textContent = box.getAttribute("data-offline") || "We couldn't reach the server. Check your connection and try again.";
    box.hidden = false;
  });
})();
