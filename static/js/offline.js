// Working without a connection (trainers): the service worker, the outbox of marks kept in
// IndexedDB until the server has them, the count of what is not sent yet, the sync loop
// (on load, when the network returns, every 30 s; small batches, backoff) and the download
// of the coming sessions. Nothing here deletes an unsent mark.
(function () {
  "use strict";
  var strings = document.getElementById("offline-strings");
  var enabled = !!(strings && window.indexedDB && window.fetch && window.Promise);
  var BATCH = 10, PERIOD = 30000, MAX_DELAY = 300000;
  var listeners = [], dbPromise = null, syncing = null, retryTimer = null;
  var failures = 0, unreachable = false, signedOut = false, keeping = null;

  function t(name, values) {
    var text = strings.getAttribute("data-" + name) || name;
    for (var key in values || {}) text = text.split("{" + key + "}").join(values[key]);
    return text;
  }

  function openDb() {
    if (!dbPromise) dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open("trainer-offline", 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function store(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode), request = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function items() { return store("outbox", "readonly", function (s) { return s.getAll(); }); }
  function putAll(list) {
    return store("outbox", "readwrite", function (s) { list.forEach(function (i) { s.put(i); }); });
  }
  function getMeta(key) { return store("meta", "readonly", function (s) { return s.get(key); }); }
  function putMeta(value) { return store("meta", "readwrite", function (s) { return s.put(value); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function changed() {
    return items().then(function (list) {
      var pending = list.filter(function (i) { return i.state === "pending"; }).length;
      var status = document.getElementById("offline-status");
      if (status) {
        var offline = isOffline();
        status.hidden = !pending && !offline;
        status.className = "offline-status" + (pending ? " pending" : "") + (offline ? " off" : "");
        status.textContent = pending ? (signedOut ? t("signin", { n: pending }) : t("pending", { n: pending }))
          : t("offline");
      }
      var exporter = document.getElementById("offline-export"), me = userId();
      if (exporter) exporter.hidden = !list.some(function (i) { return i.state === "pending" && i.user_id === me; });
      listeners.forEach(function (fn) { fn(list); });
      return list;
    });
  }

  function isOffline() { return navigator.onLine === false || unreachable; }

  // Ask the browser to mark this site's storage persistent (never cleared when space runs
  // low), once per page: at the download and at the first mark kept on the device. Chromium
  // answers by itself (yes for an installed app), Firefox asks the user.
  function keepStorage() {
    if (!keeping) {
      var storage = navigator.storage;
      keeping = storage && storage.persist ? storage.persisted().then(function (done) {
        return done || storage.persist();
      }).catch(function () { return false; }) : Promise.resolve(false);
    }
    return keeping;
  }

  // Record one mark or result on the device; it is sent as soon as the server answers.
  function queue(fields) {
    var item = {};
    for (var key in fields) item[key] = fields[key];
    item.id = uuid();
    item.device_at = new Date().toISOString();
    item.user_id = userId();
    item.state = "pending";
    item.attempts = 0;
    keepStorage();
    return putAll([item]).then(function () {
      changed();
      syncSoon(0);
      return item;
    });
  }

  function getJson(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = options.headers || {};
    options.headers.Accept = "application/json";
    return fetch(url, options).then(function (response) {
      unreachable = false;
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (!json) throw { status: response.status || 0 };
      return response.json().then(function (body) {
        if (!response.ok) throw { status: response.status, body: body };
        return body;
      });
    }, function (error) {
      unreachable = true;
      throw { status: 0, error: error };
    });
  }

  function wire(i) {
    return { id: i.id, kind: i.kind, session: i.session, staff_code: i.staff_code, status: i.status,
             score: i.score, via: i.via, card: i.card, device_at: i.device_at };
  }

  function sendBatches(list, token) {
    if (!list.length) return Promise.resolve();
    var batch = list.slice(0, BATCH), byId = {};
    batch.forEach(function (i) { i.attempts += 1; byId[i.id] = i; });
    var body = batch.map(wire);
    return getJson("/sessions/sync", {
      method: "POST", body: JSON.stringify({ items: body }),
      headers: { "Content-Type": "application/json", "X-CSRFToken": token }
    }).then(function (answer) {
      answer.items.forEach(function (a) {
        var item = byId[a.id];
        if (!item) return;
        item.state = a.outcome;
        item.reason = a.reason || null;
        item.current = a.current || null;
        item.sent_at = new Date().toISOString();
      });
      return putAll(batch).then(changed).then(function () { return sendBatches(list.slice(BATCH), token); });
    });
  }

  function sync() {
    return items().then(function (list) {
      var pending = list.filter(function (i) { return i.state === "pending"; });
      if (!pending.length) return 0;
      return getJson("/sessions/sync").then(function (state) {
        signedOut = false;
        keepExportKey(state.user_id, state.export_key);
        // Marks of another user wait on this device for that user's next sign-in.
        var mine = pending.filter(function (i) { return i.user_id === state.user_id; });
        mine.sort(function (a, b) { return a.device_at < b.device_at ? -1 : 1; });
        return sendBatches(mine, state.csrf_token).then(function () { return mine.length; });
      });
    });
  }

  function syncNow() {
    if (!enabled) return Promise.resolve(0);
    if (!syncing) {
      clearTimeout(retryTimer);
      retryTimer = null;
      syncing = sync().then(function (sent) {
        failures = 0;
        return sent;
      }, function (problem) {
        if (problem && problem.status === 401) signedOut = true;
        failures += 1;  // exponential backoff with jitter: 2 s, 4 s, 8 s … at most 5 minutes
        var delay = Math.min(MAX_DELAY, 2000 * Math.pow(2, failures - 1)) * (0.75 + Math.random() / 2);
        syncSoon(delay);
        return -1;
      }).then(function (result) {
        syncing = null;
        changed();
        return result;
      });
    }
    return syncing;
  }

  function syncSoon(delay) {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; syncNow(); }, delay);
  }

  // "Dùng khi mất mạng": the coming sessions, their pages and the files they need.
  function download(button) {
    var note = document.getElementById("offline-download-status");
    note.textContent = t("downloading");
    button.disabled = true;
    return keepStorage().then(function () { return getJson("/sessions/offline.json"); }).then(function (bundle) {
      keepExportKey(bundle.user.id, bundle.export_key);
      return putMeta({ key: "bundle", data: bundle }).then(function () {
        return caches.open("trainer-pages");
      }).then(function (cache) {
        return Promise.all(bundle.pages.map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (!response.ok || response.redirected) throw new Error(url);
            return cache.put(url, response);
          });
        }));
      }).then(function () { return caches.open("trainer-static"); }).then(function (cache) {
        return cache.addAll(bundle.assets);
      }).then(keepStorage).then(function (kept) {
        var until = new Date(bundle.until).toLocaleDateString(document.documentElement.lang);
        // a browser that did not mark the storage persistent may clear it when space runs low
        note.textContent = t("ready", { n: bundle.sessions.length, date: until }) +
          (kept ? "" : " " + t("not-persistent"));
        note.className = "offline-ready";
      });
    }).catch(function () {
      note.textContent = t("failed");
    }).then(function () { button.disabled = false; });
  }

  function showSaved() {
    var note = document.getElementById("offline-download-status");
    if (!note) return;
    getMeta("bundle").then(function (saved) {
      if (!saved || note.textContent) return;
      var at = new Date(saved.data.generated_at).toLocaleString(document.documentElement.lang);
      note.textContent = t("saved", { n: saved.data.sessions.length, date: at });
    });
  }

  function userId() { return +strings.getAttribute("data-user-id"); }

  // "Xuất dữ liệu chưa gửi": the unsent marks of the signed-in user in a file signed on the
  // device with the user's export key (handed out with the download and with every sync), so
  // that another device or an admin can load them (/sessions/unsent-file) and an edited file
  // is refused. The marks stay here as well: they are still sent, and applied only once.
  function keepExportKey(id, seed) {
    if (id && seed) putMeta({ key: "export-key-" + id, data: seed });
  }

  function loadNacl() {
    if (window.nacl) return Promise.resolve(window.nacl);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = strings.getAttribute("data-nacl-url");
      script.onload = function () { resolve(window.nacl); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function b64url(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unb64url(text) {
    var raw = atob(text.replace(/-/g, "+").replace(/_/g, "/")), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function exportUnsent() {
    var me = userId();
    return Promise.all([items(), getMeta("export-key-" + me), loadNacl()]).then(function (got) {
      var mine = got[0].filter(function (i) { return i.state === "pending" && i.user_id === me; });
      if (!got[1]) { window.alert(t("export-nokey")); return null; }
      mine.sort(function (a, b) { return a.device_at < b.device_at ? -1 : 1; });
      var now = new Date().toISOString(), payload = JSON.stringify({
        user_id: me, user_name: strings.getAttribute("data-user-name"), exported_at: now,
        items: mine.map(wire)
      });
      var pair = got[2].sign.keyPair.fromSeed(unb64url(got[1].data));
      var signature = got[2].sign.detached(new TextEncoder().encode(payload), pair.secretKey);
      var file = JSON.stringify({ format: "trainer-unsent/1", payload: payload, signature: b64url(signature) });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([file], { type: "application/json" }));
      link.download = "du-lieu-chua-gui-" + me + "-" + now.slice(0, 16).replace(/[-:T]/g, "") + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      return mine.length;
    }, function () { window.alert(t("export-failed")); return null; });
  }

  function guardSignOut(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("logout-form")) return;
    if (form.getAttribute("data-confirmed")) return;
    event.preventDefault();
    items().then(function (list) {
      var me = userId(), pending = list.filter(function (i) {
        return i.state === "pending" && i.user_id === me;
      }).length;
      // Unsent marks are never deleted: they stay here for this user's next sign-in (another
      // user's marks waiting on this device are not theirs to ask about).
      if (!pending || window.confirm(t("signout", { n: pending }))) {
        form.setAttribute("data-confirmed", "1");
        form.submit();
      }
    });
  }

  window.trainerOffline = {
    enabled: enabled, queue: queue, items: items, save: putAll, syncNow: syncNow, t: t,
    keepStorage: keepStorage,
    isOffline: isOffline, getMeta: getMeta, exportUnsent: exportUnsent,
    onChange: function (fn) { listeners.push(fn); }
  };
  if (!enabled) return;

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  document.addEventListener("submit", guardSignOut);
  var exporter = document.getElementById("offline-export");
  if (exporter) exporter.addEventListener("click", exportUnsent);
  var button = document.getElementById("offline-download");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { download(button); });
    showSaved();
  }
  window.addEventListener("online", function () { unreachable = false; failures = 0; syncNow(); });
  window.addEventListener("offline", changed);
  setInterval(function () { if (!retryTimer) syncNow(); }, PERIOD);
  changed();
  syncNow();
})();
