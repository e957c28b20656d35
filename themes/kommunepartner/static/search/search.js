// Kommunepartner: the search page. A small first-party UI on Pagefind's own search library,
// which (with its index) is loaded from this site only when someone searches, so the page stays
// light and the strict Content-Security-Policy holds. Messages come from the page (nn or nb).
(function () {
  "use strict";

  var form = document.getElementById("kp-search-form");
  if (!form) return;
  var input = document.getElementById("kp-search-input");
  var status = document.getElementById("kp-search-status");
  var list = document.getElementById("kp-search-results");
  var text = JSON.parse(document.getElementById("kp-search-text").textContent);
  // The page names the bundle relative to itself (the site may live under a path prefix);
  // import() would resolve it against this script's address, so make it absolute first.
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;
  // Result links are site paths (/notat/x/): put them under the site's own prefix.
  var siteRoot = new URL("..", bundle).pathname;
  var engine = null;
  var latest = 0;

  function say(template, query, count) {
    status.textContent = template.replace("{q}", query).replace("{n}", String(count));
  }

  function load() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ bundlePath: bundle, baseUrl: siteRoot }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  // Pagefind's excerpt is text with <mark> around hits: keep those, everything else as text.
  function excerpt(html) {
    var out = document.createElement("p");
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function show(results, query) {
    list.replaceChildren();
    results.forEach(function (r) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = (r.meta && r.meta.title) || r.url;
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(excerpt(r.excerpt || ""));
      list.appendChild(item);
    });
    if (!results.length) say(text.none, query, 0);
    else say(results.length === 1 ? text.one : text.many, query, results.length);
  }

  async function run(query) {
    var mine = ++latest;
    query = query.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    say(text.searching, query, 0);
    try {
      var pagefind = await load();
      var found = await pagefind.search(query);
      var data = await Promise.all(
        found.results.slice(0, 20).map(function (r) {
          return r.data();
        })
      );
      if (mine === latest) show(data, query);
    } catch (err) {
      if (mine === latest) say(text.failed, query, 0);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });

  document.getElementById("kp-search-nojs").hidden = true;
  form.hidden = false;
  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  if (q) run(q);
})();
