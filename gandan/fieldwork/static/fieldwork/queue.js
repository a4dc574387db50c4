/* Gần Dân — field work: the phone's outbox (IndexedDB) and its sync through the idempotent API.
 *
 * Every visit is first saved in the outbox, with the UUID made for it, and only then sent. A send
 * that fails for lack of network leaves it there; the next sync (page load, the "online" event,
 * a timer, the "Gửi ngay" button) sends it again with the same UUID, which the server answers
 * with the stored visit instead of a duplicate. Photos follow the visit one by one; the server
 * keeps one copy of a picture sent twice. Refused records (409, 422, 423) stay, marked, until
 * the cadre discards them. A record is a visit (photos follow it) or a concern (`kind`, its own
 * `api`). Written by hand for this project; no third-party code.
 */
(function () {
  "use strict";

  var DB_NAME = "gandan-fieldwork";
  var OUTBOX = "outbox";
  var CACHE = "cache";
  var CHANGED = "fieldwork:queue";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: "uuid" });
        if (!db.objectStoreNames.contains(CACHE)) db.createObjectStore(CACHE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* Run `work(store)` in one transaction; resolves with the value of the request it returns. */
  function withStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function changed() { window.dispatchEvent(new CustomEvent(CHANGED)); }

  function put(record) {
    return withStore(OUTBOX, "readwrite", function (s) { return s.put(record); }).then(function (v) { changed(); return v; });
  }
  function remove(uuid) {
    return withStore(OUTBOX, "readwrite", function (s) { return s.delete(uuid); }).then(changed);
  }
  function all() {
    return withStore(OUTBOX, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }
  function get(uuid) {
    return withStore(OUTBOX, "readonly", function (s) { return s.get(uuid); }).then(function (row) { return row || null; });
  }
  function count() { return withStore(OUTBOX, "readonly", function (s) { return s.count(); }); }

  function cacheSet(key, value) {
    return withStore(CACHE, "readwrite", function (s) { return s.put({ key: key, value: value, at: Date.now() }); });
  }
  function cacheGet(key) {
    return withStore(CACHE, "readonly", function (s) { return s.get(key); }).then(function (row) { return row || null; });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* The server's sentence: {"detail": "…"} or {"detail": [{"msg": "…"}, …]}. */
  async function detailOf(response) {
    return (await refusalOf(response)).text;
  }

  /* The refusal's sentence and, when the server names them, the fields it is about. */
  async function refusalOf(response) {
    try {
      var data = await response.json();
      if (typeof data.detail === "string") return { text: data.detail, errors: [] };
      if (Array.isArray(data.detail)) {
        return { text: data.detail.map(function (e) { return e.msg; }).join(" "), errors: data.detail };
      }
    } catch (e) { /* not JSON */ }
    return { text: "HTTP " + response.status, errors: [] };
  }

  /* Send one record: "done", "offline" (try later), "auth" (log in again) or "refused". */
  async function sendOne(record, apiUrl, texts) {
    var response;
    if (!record.visitId) {
      try {
        response = await fetch(record.api || apiUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
          body: JSON.stringify(record.body),
        });
      } catch (e) { return "offline"; }
      if (response.status === 200 || response.status === 201) {
        record.visitId = (await response.json()).id;
        record.status = "photos";
        await put(record);
      } else if (response.status === 401 || response.redirected) {
        record.status = "auth"; record.error = texts.needs_login || "401";
        await put(record);
        return "auth";
      } else if (response.status >= 500 || response.status === 0) {
        return "offline";
      } else {
        var refusal = await refusalOf(response);
        record.status = "error"; record.error = refusal.text; record.errors = refusal.errors;
        await put(record);
        return "refused";
      }
    }
    var photos = record.photos || [];
    var photoUrl = (record.api || apiUrl).replace(/\/$/, "") + "/" + record.visitId + "/photos";
    while ((record.photosDone || 0) < photos.length) {
      var photo = photos[record.photosDone || 0];
      var form = new FormData();
      form.append("file", photo.blob, photo.name || "photo.jpg");
      try {
        response = await fetch(photoUrl, {
          method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }, body: form,
        });
      } catch (e) { return "offline"; }
      if (response.status === 401) { record.status = "auth"; record.error = texts.needs_login || "401"; await put(record); return "auth"; }
      if (response.status >= 500) return "offline";
      if (!response.ok) record.warnings = (record.warnings || []).concat([await detailOf(response)]);
      record.photosDone = (record.photosDone || 0) + 1;
      await put(record);
    }
    await remove(record.uuid);
    return "done";
  }

  var running = null;

  /* Send every pending record of `user` in the order it was made (a visit to `apiUrl`, any other
   * record to its own `api`); stops at the first sign of no network. Another user's records on a
   * shared phone wait for that user: they are never sent in this user's name. */
  function sync(apiUrl, texts, user) {
    if (running) return running;
    running = (async function () {
      var sent = 0;
      var warnings = [];
      var records = await all();
      for (var i = 0; i < records.length; i++) {
        var record = records[i];
        if (record.status === "error") continue;
        if (record.user && user && String(record.user) !== String(user)) continue;
        var outcome = await sendOne(record, apiUrl, texts || {});
        if (outcome === "done") { sent += 1; warnings = warnings.concat(record.warnings || []); }
        if (outcome === "offline" || outcome === "auth") break;
      }
      return { sent: sent, warnings: warnings };
    })().finally(function () { running = null; changed(); });
    return running;
  }

  /* Fetch `url` (the cadre's places) at most once an hour, so that the worker keeps a fresh copy
   * for the forms offline even if the cadre has not opened them today. */
  function warm(url) {
    if (!navigator.serviceWorker.controller) return; // not through the worker yet: the next page does it
    var key = "gandan-warm:" + url;
    try {
      var last = Number(window.localStorage.getItem(key) || 0);
      if (Date.now() - last < 3600 * 1000) return;
      window.localStorage.setItem(key, String(Date.now()));
    } catch (e) { /* private mode: warm every time */ }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).catch(function () {});
  }

  function registerWorker(swUrl, scope, manifestUrl, warmUrls) {
    if (manifestUrl && !document.querySelector('link[rel="manifest"]')) {
      var link = document.createElement("link");
      link.rel = "manifest"; link.href = manifestUrl;
      document.head.appendChild(link);
      var theme = document.createElement("meta");
      theme.name = "theme-color"; theme.content = "#a4161a";
      document.head.appendChild(theme);
    }
    if ("serviceWorker" in navigator) {
      var wanted = new URL(scope, window.location.href).href;
      navigator.serviceWorker.register(swUrl, { scope: scope }).then(function () {
        // An earlier version registered for /fieldwork/ only: one worker for the whole site now.
        return navigator.serviceWorker.getRegistrations().then(function (all) {
          all.forEach(function (r) { if (r.scope !== wanted) r.unregister(); });
          return navigator.serviceWorker.ready;
        }).then(function () {
          if (navigator.onLine) (warmUrls || []).forEach(warm);
        });
      }).catch(function (e) {
        console.warn("service worker not registered", e);
      });
    }
  }

  /* The page's "waiting to be sent" notice (fieldwork/home.html: [data-outbox], its #pending-count). */
  function showPending(box) {
    count().then(function (n) {
      box.querySelector("#pending-count").textContent = n;
      box.classList.toggle("d-none", n === 0);
    }).catch(function () {});
  }

  // base.html names the worker, its scope, the manifest and the URLs to keep warm on this script's tag.
  var own = document.currentScript ? document.currentScript.dataset : {};
  if (own.worker) registerWorker(own.worker, own.scope || "/", own.manifest, own.warm ? [own.warm] : []);
  var outbox = document.querySelector("[data-outbox]");
  if (outbox) showPending(outbox);

  window.FieldworkQueue = {
    put: put, remove: remove, get: get, all: all, count: count, sync: sync, uuid4: uuid4, cacheGet: cacheGet,
    cacheSet: cacheSet, registerWorker: registerWorker, CHANGED: CHANGED,
  };
})();
