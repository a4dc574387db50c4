/* Gần Dân — field work service worker (scope /fieldwork/).
 *
 * Keeps the capture form, the scripts, styles and fonts it needs, and the cadre's list of places
 * available without a network. The server prepends VERSION, PRECACHE, CAPTURE_URL and
 * PLACES_PREFIX; a new VERSION installs a fresh cache and drops the old one.
 *   pages (navigation): network first, the cached copy offline (the capture form as a fallback);
 *   places list:        network first, the cached copy offline;
 *   static files:       the cached copy at once, refreshed in the background.
 * Posts (the sync itself) are never intercepted: queue.js keeps what could not be sent.
 */
/* global VERSION, PRECACHE, CAPTURE_URL, PLACES_PREFIX */
"use strict";

var CACHE = "gandan-fieldwork-" + VERSION;

function cacheable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (cacheable(response)) return cache.put(url, response);
      }).catch(function () { /* offline while installing: the next visit fills it */ });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("gandan-fieldwork-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The network's answer (kept under `key` when given); offline, the copy under `key`, else `fallbackKey`. */
function networkFirst(request, key, fallbackKey) {
  return fetch(request).then(function (response) {
    if (key && cacheable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return (key ? cache.match(key) : Promise.resolve(undefined)).then(function (hit) {
        return hit || (fallbackKey ? cache.match(fallbackKey) : undefined);
      });
    }).then(function (hit) {
      return hit || new Response("Không có mạng / offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  });
}

function staleWhileRevalidate(event, key) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (hit) {
      var refresh = fetch(event.request).then(function (response) {
        if (cacheable(response)) cache.put(key, response.clone());
        return response;
      });
      if (hit) {
        event.waitUntil(refresh.catch(function () {}));
        return hit;
      }
      return refresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Only the precached pages (the capture form, the field-work home) are kept; any other page
    // falls back, offline, to the capture form.
    var kept = PRECACHE.indexOf(url.pathname) >= 0 && !url.search;
    event.respondWith(networkFirst(request, kept ? url.pathname : null, CAPTURE_URL));
    return;
  }
  if (url.pathname.indexOf(PLACES_PREFIX) === 0) {
    event.respondWith(networkFirst(request, url.pathname + url.search));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(staleWhileRevalidate(event, url.pathname));
  }
});
