// The service worker: session pages and their files from the device when there is no network.
// Pages: network first (the copy on the device is refreshed on every visit), the device's copy
// when offline. Static files: their URLs carry a content hash, so the device's copy is used.
// Marks live in IndexedDB, which this worker never touches: an update cannot lose them.
"use strict";
var PAGES = "trainer-pages", STATIC = "trainer-static", KEEP = [PAGES, STATIC];

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return KEEP.indexOf(n) < 0; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromDevice(request) {
  return caches.match(request, { ignoreVary: true }).then(function (hit) {
    return hit || caches.match(request, { ignoreVary: true, ignoreSearch: true });
  });
}

function page(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (kept) {
          if (kept) return cache.put(request.url, copy);  // keep downloaded pages fresh
        });
      });
    }
    return response;
  }, function () {
    return fromDevice(request).then(function (hit) { return hit || offlinePage(); });
  });
}

function offlinePage() {
  return new Response("<!doctype html><meta charset=utf-8><title>Offline</title>" +
    "<p>Không có mạng và trang này chưa được tải về thiết bị. — No connection, and this page " +
    "was not downloaded to this device.</p><p><a href=\"/home\">Trang chủ / Home</a></p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function asset(request) {
  return fromDevice(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});
