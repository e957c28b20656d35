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
