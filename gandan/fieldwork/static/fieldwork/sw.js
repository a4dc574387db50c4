/* Gần Dân — the phone's service worker (scope /: served from /fieldwork/sw.js with
 * Service-Worker-Allowed: /).
 *
 * Keeps the capture forms, the scripts, styles and fonts they need, the cadre's list of places,
 * and the pages the server marks `X-Gandan-Offline: keep` (gandan/core/offline.py: home, field
 * work, my area, concerns, me) available without a network. The server prepends VERSION,
 * PRECACHE (static files and the offline page, which names nobody), PRECACHE_PAGES (the user's
 * forms, fetched at install), OFFLINE_URL and PLACES_PREFIX; a new VERSION installs a fresh cache
 * and drops the old.
 *   pages (navigation): network first; offline, the kept copy with its "as of" notice shown, else
 *                       the offline page (what this phone can do without a network);
 *   places list:        network first, the cached copy offline;
 *   static files:       the cached copy at once, refreshed in the background.
 * Every page says whom it was made for (`X-Gandan-User`); when that changes (another user, or
 * signed out), the kept pages are dropped, so that nobody sees another user's copy.
 * Posts (the sync itself) are never intercepted: queue.js keeps what could not be sent.
 */
/* global VERSION, PRECACHE, PRECACHE_PAGES, OFFLINE_URL, PLACES_PREFIX */
"use strict";

var CACHE = "gandan-fieldwork-" + VERSION;
var PAGES = "gandan-pages";
var OWNER_KEY = "/__owner__";

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
  }).then(function () {
    // The forms and the offline page, made for whoever is signed in, kept like any page.
    return Promise.all(PRECACHE_PAGES.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        return checkOwner(response).then(function () { return keepPage(url, response); });
      }).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("gandan-fieldwork-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Drop the kept pages when the page just fetched was made for somebody else. */
function checkOwner(response) {
  var user = response.headers.get("X-Gandan-User");
  if (user === null) return Promise.resolve();
  return caches.open(PAGES).then(function (cache) {
    return cache.match(OWNER_KEY).then(function (hit) {
      return hit ? hit.text() : null;
    }).then(function (owner) {
      if (owner === user) return;
      return caches.delete(PAGES).then(function () {
        if (!user) return;
        return caches.open(PAGES).then(function (fresh) { return fresh.put(OWNER_KEY, new Response(user)); });
      });
    });
  });
}

/* A kept page's headers: its type, and its Content-Security-Policy, which holds offline too. */
function keptHeaders(headers) {
  var kept = { "Content-Type": headers.get("Content-Type") || "text/html; charset=utf-8" };
  var policy = headers.get("Content-Security-Policy");
  if (policy) kept["Content-Security-Policy"] = policy;
  return kept;
}

function keepPage(key, response) {
  if (!cacheable(response) || response.headers.get("X-Gandan-Offline") !== "keep") return Promise.resolve();
  var copy = response.clone();
  return copy.text().then(function (html) {
    return caches.open(PAGES).then(function (cache) {
      return cache.put(key, new Response(html, { headers: keptHeaders(copy.headers) }));
    });
  });
}

/* A kept page, as it is shown offline: its "as of" notice made visible. */
function asKeptCopy(hit) {
  return hit.text().then(function (html) {
    return new Response(html.replace('id="offline-copy" hidden', 'id="offline-copy"'),
      { status: 200, headers: keptHeaders(hit.headers) });
  });
}

function navigate(event, url) {
  var key = url.pathname + url.search;
  return fetch(event.request).then(function (response) {
    // Kept before it is shown (a page is small): the copy is there even if the tab closes at once.
    return checkOwner(response).then(function () { return keepPage(key, response); })
      .catch(function () {}).then(function () { return response; });
  }, function () {
    return caches.open(PAGES).then(function (pages) {
      return pages.match(key).then(function (hit) { return hit || (url.search ? pages.match(url.pathname) : undefined); });
    }).then(function (hit) {
      if (hit) return asKeptCopy(hit);
      return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); });
    }).then(function (hit) {
      return hit || new Response("", { status: 503 });
    });
  });
}

/* The network's answer (kept under `key` with the user's pages: it is theirs); offline, that copy. */
function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (cacheable(response)) {
      var copy = response.clone();
      return caches.open(PAGES).then(function (cache) { return cache.put(key, copy); })
        .catch(function () {}).then(function () { return response; });
    }
    return response;
  }, function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(key); }).then(function (hit) {
      return hit || new Response("", { status: 503 });
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
    event.respondWith(navigate(event, url));
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
