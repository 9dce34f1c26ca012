// Checking a certificate's signed statement in the browser, also without a connection.
// The QR code holds <address>#<statement>: a compact JWS (EdDSA) signed with the province's
// key. Whenever this page is online it keeps a copy of the public keys and the revocation
// list in localStorage; the check itself uses only that copy, so it gives the same answer
// in a school without a network. WebCrypto's Ed25519 where the browser has it, else the
// vendored tweetnacl (plain-HTTP pages and older tablets have no WebCrypto).
(function () {
  "use strict";
  var root = document.querySelector("[data-offline-verify]");
  if (!root) return;
  var KEYS = "trainer.verify.keys", REVOKED = "trainer.verify.revoked";
  var output = root.querySelector("[data-verify-result]");
  var form = root.querySelector("form");

  function saved(name) {
    try { return JSON.parse(localStorage.getItem(name)); } catch (e) { return null; }
  }

  function keep(url, name) {
    return fetch(url, {credentials: "omit", cache: "no-cache"}).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      var copy = {data: data, saved_at: new Date().toISOString()};
      try { localStorage.setItem(name, JSON.stringify(copy)); } catch (e) { /* full: keep old */ }
      return copy;
    }).catch(function () { return saved(name); });
  }

  function refresh() {
    return Promise.all([keep(root.dataset.keysUrl, KEYS), keep(root.dataset.revokedUrl, REVOKED)]);
  }

  function bytes(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function json(part) {
    var value = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(bytes(part)));
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value;
  }

  function naclVerify(publicKey, signature, data) {
    if (!window.nacl) throw new Error("no Ed25519 implementation");
    return {ok: window.nacl.sign.detached.verify(data, signature, publicKey), engine: "tweetnacl"};
  }

  function verifySignature(jwk, signature, data) {
    var publicKey = bytes(jwk.x);
    if (!window.crypto || !window.crypto.subtle) {
      return Promise.resolve(naclVerify(publicKey, signature, data));
    }
    return window.crypto.subtle.importKey("raw", publicKey, {name: "Ed25519"}, false, ["verify"])
      .then(function (key) { return window.crypto.subtle.verify({name: "Ed25519"}, key, signature, data); })
      .then(function (ok) { return {ok: ok, engine: "webcrypto"}; },
            function () { return naclVerify(publicKey, signature, data); });
  }

  // -> {result: valid|revoked|forged|malformed|nokeys, claims, revokedOn, listDate, engine}
  function check(text) {
    var statement = String(text || "").trim();
    if (statement.indexOf("#") >= 0) statement = statement.slice(statement.lastIndexOf("#") + 1);
    var parts = statement.split("."), header, claims, signature;
    try {
      if (parts.length !== 3) throw new Error("not a JWS");
      header = json(parts[0]);
      claims = json(parts[1]);
      signature = bytes(parts[2]);
      if (signature.length !== 64) throw new Error("not an Ed25519 signature");
    } catch (e) {
      return Promise.resolve({result: "malformed"});
    }
    var keys = saved(KEYS), revoked = saved(REVOKED);
    if (!keys) return Promise.resolve({result: "nokeys"});
    var jwk = (keys.data.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
    if (header.alg !== "EdDSA" || !jwk) return Promise.resolve({result: "forged"});
    var data = new TextEncoder().encode(parts[0] + "." + parts[1]);
    return verifySignature(jwk, signature, data).then(function (outcome) {
      var answer = {result: outcome.ok ? "valid" : "forged", engine: outcome.engine};
      if (!outcome.ok) return answer;
      answer.claims = claims;
      if (revoked) {
        answer.listDate = revoked.data.generated_at || revoked.saved_at;
        var entry = (revoked.data.revoked || []).filter(function (r) { return r.number === claims.n; })[0];
        if (entry) { answer.result = "revoked"; answer.revokedOn = entry.revoked_on; }
      }
      return answer;
    });
  }

  function line(term, value) {
    var row = document.createElement("div"), dt = document.createElement("dt"),
        dd = document.createElement("dd");
    dt.textContent = term;
    dd.textContent = value == null ? "" : String(value);
    row.appendChild(dt);
    row.appendChild(dd);
    return row;
  }

  function show(answer) {
    var labels = root.dataset;
    output.hidden = false;
    output.className = "offline-result offline-" + answer.result;
    output.setAttribute("data-result", answer.result);
    output.setAttribute("data-engine", answer.engine || "");
    output.textContent = "";
    var verdict = document.createElement("p");
    verdict.className = "verdict";
    verdict.textContent = labels["msg" + answer.result.charAt(0).toUpperCase() + answer.result.slice(1)];
    if (answer.revokedOn) verdict.textContent += " " + answer.revokedOn;
    output.appendChild(verdict);
    if (answer.claims) {
      var list = document.createElement("dl");
      list.className = "details";
      list.appendChild(line(labels.labelName, answer.claims.h));
      list.appendChild(line(labels.labelLevel, answer.claims.l));
      list.appendChild(line(labels.labelNumber, answer.claims.n));
      list.appendChild(line(labels.labelIssued, answer.claims.d));
      list.appendChild(line(labels.labelIssuer, answer.claims.i));
      output.appendChild(list);
    }
    if (answer.listDate) {
      var note = document.createElement("p");
      note.className = "hint";
      note.textContent = labels.msgListDate + " " + answer.listDate.slice(0, 10);
      output.appendChild(note);
    }
  }

  function run(text) { return check(text).then(show); }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(form.querySelector("textarea, input[type=text]").value);
    });
  }
  var ready = navigator.onLine === false ? Promise.resolve() : refresh();
  ready.then(function () {
    root.setAttribute("data-ready", "true");
    if (window.location.hash.length > 1) run(window.location.hash);
  });
  window.addEventListener("hashchange", function () { run(window.location.hash); });
})();
