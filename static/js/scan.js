// Check-in without a network: the trainer's tablet reads a teacher's personal card (a QR code
// of "TRC1.<key id>.<staff code>.<Ed25519 signature>"), checks the signature with the public
// key the page carries, and marks the teacher present (or late) on the device. The decoder
// (jsQR) and the signature fallback (tweetnacl) are vendored and loaded only when scanning.
(function () {
  "use strict";
  var box = document.getElementById("scan");
  var attendance = window.trainerAttendance, off = window.trainerOffline;
  if (!box || !attendance || !off || !off.enabled) return;
  var roster = attendance.roster, result = document.getElementById("scan-result");
  var video = document.getElementById("scan-video"), stream = null, detector = null, last = "";
  box.hidden = false;

  function say(text, ok) {
    result.textContent = text;
    result.className = ok ? "ok" : "bad";
  }

  function load(url, name) {
    if (window[name]) return Promise.resolve(window[name]);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(window[name]); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function bytes(b64url) {
    var text = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64url.length + 3) % 4));
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  function verify(publicKey, signature, message) {
    var subtle = window.crypto && crypto.subtle;
    var viaWebCrypto = subtle ? subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"])
      .then(function (key) { return subtle.verify({ name: "Ed25519" }, key, signature, message); })
      : Promise.reject(new Error("no WebCrypto"));
    return viaWebCrypto.catch(function () {  // browsers without Ed25519 in WebCrypto
      return load(box.getAttribute("data-nacl"), "nacl").then(function (nacl) {
        return nacl.sign.detached.verify(message, signature, publicKey);
      });
    });
  }

  function handle(text) {
    text = (text || "").trim();
    var cut = text.lastIndexOf("."), statement = text.slice(0, cut), parts = statement.split(".");
    if (parts[0] !== "TRC1" || parts.length < 3 || cut < 0) return Promise.resolve(say(off.t("scan-not-card")));
    var code = parts.slice(2).join(".");
    var signature;
    try { signature = bytes(text.slice(cut + 1)); } catch (e) { return Promise.resolve(say(off.t("scan-forged"))); }
    var genuine = parts[1] === roster.getAttribute("data-checkin-kid") && signature.length === 64
      ? verify(bytes(roster.getAttribute("data-checkin-key")), signature, new TextEncoder().encode(statement))
      : Promise.resolve(false);
    return genuine.then(function (ok) {
      if (!ok) return say(off.t("scan-forged"));
      var row = null, rows = roster.querySelectorAll(".person[data-staff-code]");
      for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute("data-staff-code") === code) row = rows[i];
      if (!row) return say(off.t("scan-not-enrolled", { code: code }));
      var start = new Date(roster.getAttribute("data-starts-at")).getTime();
      var late = Date.now() > start + 60000 * +roster.getAttribute("data-late-after");
      var status = late ? "late" : "present";
      say(off.t(late ? "scan-late" : "scan-present", { name: row.getAttribute("data-name") }), true);
      return attendance.mark(row, status, { via: "qr", card: text });
    });
  }

  function decodeImage(source, width, height) {
    if (detector) {
      return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    return load(box.getAttribute("data-jsqr"), "jsQR").then(function (jsQR) {
      var canvas = document.createElement("canvas");
      canvas.width = width; canvas.height = height;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(source, 0, 0, width, height);
      var found = jsQR(context.getImageData(0, 0, width, height).data, width, height);
      return found ? found.data : null;
    });
  }

  function tick() {
    if (!stream) return;
    var w = video.videoWidth, h = video.videoHeight;
    var next = function () { setTimeout(tick, 250); };
    if (!w) return next();
    decodeImage(video, w, h).then(function (text) {
      // The same card held in front of the camera is handled once, not at every frame.
      if (text && text !== last) { last = text; return handle(text); }
    }).then(next, next);
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    document.getElementById("scan-stop").hidden = true;
  }

  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }

  document.getElementById("scan-start").addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return say(off.t("scan-no-camera"));
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media; last = "";
        video.srcObject = media;
        video.hidden = false;
        document.getElementById("scan-stop").hidden = false;
        return video.play();
      }).then(tick, function () { say(off.t("scan-no-camera")); });
  });
  document.getElementById("scan-stop").addEventListener("click", stop);

  document.getElementById("scan-file").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    var reader = new FileReader(), image = new Image();  // a data: URL, as the CSP allows
    image.onload = function () {
      var scale = Math.min(1, 1024 / Math.max(image.naturalWidth, image.naturalHeight));
      decodeImage(image, Math.round(image.naturalWidth * scale), Math.round(image.naturalHeight * scale))
        .then(function (text) {
          event.target.value = "";
          return text ? handle(text) : say(off.t("scan-nothing"));
        }, function () { say(off.t("failed")); });  // the decoder was never downloaded
    };
    reader.onload = function () { image.src = reader.result; };
    reader.readAsDataURL(file);
  });
  window.trainerScan = { handle: handle };  // what an outside check (or a test) feeds a decoded text
})();
