// Kommunepartner: unlock partners-only content in the browser (WebCrypto, no server).
//
// An unlock link is any page URL with #k=<partner id>.<key, base64url>. The key is kept in
// localStorage, the fragment is removed from the address bar, and every sealed payload on the
// page (<script type="application/json" class="kp-sealed">) is opened:
//   content key = AES-GCM-decrypt(partner key, wrapped, AD = item|build|partner|key_version)
//   body        = AES-GCM-decrypt(content key, ciphertext, AD = item|build)
// The item and build ids come from the page itself (<meta name="kp-item">, <meta name="kp-build">),
// never from the payload, so a payload copied to another page or build does not open.
// Microsoft Safe Links turns '#' into '%23': the 404 page then sees /page/%23k=... and
// stores the key and redirects to /page/. Format: kommunepartner/access/envelope.py.
(function () {
  "use strict";

  var STORE = "kommunepartner.key";
  var DOMAIN = "kommunepartner/v1";
  var TOKEN = /^(\d{2}|\d{4})\.([A-Za-z0-9_-]{43})$/;
  var IN_TEXT = /k(?:=|%3D)(\d{2}|\d{4})\.([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/i;

  function fromB64u(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  // Find a token in pasted text: a bare token, a link with #k= or %23k=, or a Safe Links URL.
  function findToken(text) {
    var s = String(text || "").trim();
    if (TOKEN.test(s)) return s;
    for (var round = 0; round < 3; round++) {
      var m = s.match(IN_TEXT);
      if (m) return m[1] + "." + m[2];
      try {
        var next = decodeURIComponent(s);
        if (next === s) break;
        s = next;
      } catch (e) {
        break;
      }
    }
    return null;
  }

  function Failure(reason) {
    this.reason = reason; // "not-included" | "wrong-key" | "damaged"
  }

  async function aesGcmOpen(keyBytes, nonce, aad, data) {
    var key = await crypto.subtle.importKey("raw", keyBytes, { name: "AES-GCM" }, false, [
      "decrypt",
    ]);
    var plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: aad },
      key,
      data
    );
    return new Uint8Array(plain);
  }

  // Open one payload with a token for the given item and build; throws a Failure.
  async function openPayload(payload, token, item, build) {
    var m = TOKEN.exec(token || "");
    if (!m) throw new Failure("wrong-key");
    var partner = m[1];
    var partnerKey = fromB64u(m[2]);
    var entries = (payload.keys || []).filter(function (k) {
      return k.partner === partner;
    });
    if (!entries.length) throw new Failure("not-included");
    var contentKey = null;
    for (var i = 0; i < entries.length && !contentKey; i++) {
      var e = entries[i];
      var aad = utf8([DOMAIN, "key", item, build, partner, e.key_version].join("|"));
      try {
        contentKey = await aesGcmOpen(partnerKey, fromB64u(e.nonce), aad, fromB64u(e.wrapped));
      } catch (err) {
        contentKey = null;
      }
    }
    if (!contentKey) throw new Failure("wrong-key");
    try {
      var body = await aesGcmOpen(
        contentKey,
        fromB64u(payload.nonce),
        utf8([DOMAIN, "body", item, build].join("|")),
        fromB64u(payload.ciphertext)
      );
      return new TextDecoder().decode(body);
    } catch (err) {
      throw new Failure("damaged");
    }
  }

  function stored() {
    try {
      return localStorage.getItem(STORE);
    } catch (e) {
      return null;
    }
  }

  function store(token) {
    try {
      localStorage.setItem(STORE, token);
    } catch (e) {
      /* private mode: the key then works for this page view only */
    }
  }

  function forget() {
    try {
      localStorage.removeItem(STORE);
    } catch (e) {
      /* nothing stored */
    }
    location.reload();
  }

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }

  function texts() {
    var el = document.getElementById("kp-access-text");
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (e) {
      return {};
    }
  }

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function say(message) {
    all("[data-kp-status]").forEach(function (el) {
      el.textContent = message;
      el.hidden = false;
    });
  }

  // Safe Links form: /notat/x/%23k=<token> (possibly encoded twice) → store, go to /notat/x/.
  function handleSafeLinks(t) {
    var path = location.pathname;
    if (!/%(25)*23k/i.test(path)) return false;
    var decoded = path;
    for (var round = 0; round < 3 && decoded.indexOf("#k") < 0; round++) {
      try {
        decoded = decodeURIComponent(decoded);
      } catch (e) {
        return false;
      }
    }
    var at = decoded.indexOf("#k");
    if (at < 0) return false;
    var token = findToken(decoded.slice(at));
    all("[data-kp-safelinks]").forEach(function (el) {
      el.textContent = token ? t.redirecting : t.bad_link;
      el.hidden = false;
    });
    if (!token) return true;
    store(token);
    location.replace(encodeURI(decoded.slice(0, at)) + location.search);
    return true;
  }

  // #k=<token> in the address: store it and take it out of the address bar (and history).
  function handleFragment() {
    var hash = location.hash;
    if (!/[#&]k=/.test(hash)) return null;
    var token = findToken(hash);
    history.replaceState(null, "", location.pathname + location.search);
    if (token) store(token);
    return token ? "saved" : "bad";
  }

  async function openAll(token) {
    var item = meta("kp-item");
    var build = meta("kp-build");
    var sealed = all("script.kp-sealed");
    var opened = [];
    for (var i = 0; i < sealed.length; i++) {
      var el = sealed[i];
      var part = el.getAttribute("data-kp-part");
      var payload;
      try {
        payload = JSON.parse(el.textContent);
      } catch (err) {
        throw new Failure("damaged");
      }
      var html = await openPayload(payload, token, part ? item + "#" + part : item, build);
      opened.push([document.getElementById(el.getAttribute("data-kp-fill")), html]);
    }
    // Show nothing until every payload on the page opened: no half-unlocked pages.
    opened.forEach(function (pair) {
      if (!pair[0]) return;
      pair[0].innerHTML = pair[1];
      pair[0].hidden = false;
    });
    return sealed.length;
  }

  function showUnlocked() {
    all("[data-kp-locked]").forEach(function (el) {
      el.hidden = true;
    });
    all("[data-kp-unlocked]").forEach(function (el) {
      el.hidden = false;
    });
  }

  function message(t, reason) {
    if (reason === "not-included") return t.not_included;
    if (reason === "damaged") return t.damaged;
    return t.wrong_key;
  }

  function notice(t, text) {
    var main = document.querySelector("main");
    if (!main) return;
    var box = document.createElement("p");
    box.className = "kp-notice";
    box.setAttribute("role", "status");
    box.textContent = text + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = t.forget;
    button.addEventListener("click", forget);
    box.appendChild(button);
    main.insertBefore(box, main.firstChild);
  }

  async function tryUnlock(t, token) {
    try {
      var count = await openAll(token);
      if (count) showUnlocked();
      return count ? "unlocked" : "none";
    } catch (err) {
      if (!(err instanceof Failure)) throw err;
      say(message(t, err.reason));
      all("[data-kp-forget-failed]").forEach(function (el) {
        el.hidden = false;
      });
      return err.reason;
    }
  }

  function wireForm(t) {
    all("[data-kp-form]").forEach(function (form) {
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        var input = form.querySelector("input");
        var token = findToken(input.value);
        if (!token) return say(t.bad_link);
        input.value = "";
        var outcome = await tryUnlock(t, token);
        if (outcome === "unlocked") store(token);
      });
      form.hidden = false;
    });
    all("[data-kp-forget]").forEach(function (button) {
      button.addEventListener("click", forget);
    });
  }

  async function main() {
    var t = texts();
    if (handleSafeLinks(t)) return;
    var fromLink = handleFragment();
    if (!window.crypto || !crypto.subtle) {
      if (document.querySelector("script.kp-sealed")) say(t.no_crypto);
      return;
    }
    wireForm(t);
    if (fromLink === "bad") say(t.bad_link);
    var token = stored();
    if (!token) return;
    var outcome = await tryUnlock(t, token);
    if (outcome === "none" && fromLink === "saved") notice(t, t.saved);
  }

  // For the golden-vector test in Chromium (and for people debugging a link).
  window.KommunepartnerAccess = {
    openPayload: openPayload,
    aesGcmOpen: aesGcmOpen,
    findToken: findToken,
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", main);
  } else {
    main();
  }
})();
