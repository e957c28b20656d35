// Kommunepartner: the search page. Starts Pagefind's UI (served from this site) and runs the
// query the header's search box sent as ?q=. Pagefind picks nynorsk or bokmål text from <html lang>.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("kp-search");
    if (!box || typeof PagefindUI === "undefined") return;
    var ui = new PagefindUI({
      element: "#kp-search",
      bundlePath: box.getAttribute("data-bundle"),
      showImages: false,
      showSubResults: true,
      autofocus: true,
    });
    // Pagefind's field has only a title; give it a real accessible name in the page's language.
    var input = box.querySelector("input");
    if (input) input.setAttribute("aria-label", box.getAttribute("data-label"));
    var nojs = document.getElementById("kp-search-nojs");
    if (nojs) nojs.hidden = true;
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
