/* Gần Dân — field work: the visit capture form (mobile first, works offline).
 *
 * The form never posts by itself: "Lưu" checks it, puts the visit in the outbox (queue.js) with a
 * new UUID and asks the outbox to sync; a visit the server refuses comes back into the form. The
 * places (the cadre's units and households) come from places.js.
 */
(function () {
  "use strict";

  var Q = window.FieldworkQueue;
  var form = document.getElementById("visit-form");
  if (!form || !Q || !window.FieldworkPlaces) return;

  var T = JSON.parse(document.getElementById("fw-text").textContent);
  var KINDS = {};
  JSON.parse(document.getElementById("fw-kinds").textContent).forEach(function (pair) { KINDS[pair[0]] = pair[1]; });
  var API = form.dataset.api;
  var PLACES_URL = form.dataset.places;
  var PLACES_KEY = "places:" + form.dataset.user;
  var MAX_PHOTOS = 6;

  var picker = FieldworkPlaces.create({ url: PLACES_URL, key: PLACES_KEY, texts: T,
                                         onChange: function () { setError("units", ""); } });
  var chosen = picker.chosen; // "u:12" / "h:34" → {kind, id, label}
  var gps = null;

  function $(id) { return document.getElementById(id); }
  var el = FieldworkPlaces.el;

  function localToday() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 10);
  }

  /* The outcome of "Lưu" shows where the thumb is. A refusal: beside the button (and at the field
   * it is about), the form as typed. Saved: the form is empty again, so a toast above the bottom
   * bar says so wherever the page is scrolled; a tap or 8 seconds dismiss it. */
  var toastTimer = null;
  function status(kind, text) {
    var near = $("save-status");
    near.className = "alert py-2 small mb-2 alert-" + kind;
    near.textContent = text;
  }
  function clearStatus() { $("save-status").className = "d-none"; $("save-status").textContent = ""; }
  function flash(kind, text) {
    var box = $("flash");
    box.className = "alert alert-" + kind + " shadow capture-toast";
    box.textContent = text;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { box.classList.add("d-none"); }, 8000);
  }

  /* -- the form ---------------------------------------------------------------------------------- */
  function setError(name, text) {
    var box = form.querySelector('[data-error-for="' + name + '"]');
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("d-block", !!text);
    var input = name === "date" ? dateField() : name === "units" ? $("place-search") : null;
    if (input) input.classList.toggle("is-invalid", !!text);
  }

  function checked(name) { var c = form.querySelector('input[name="' + name + '"]:checked'); return c ? c.value : ""; }

  /* The date as the cadre sees it: the dd/mm/yyyy field of dates.js, or the browser's own. */
  function dateField() { return $("visit-date-text") || $("visit-date"); }

  var FIELD_INPUT = { date: "visit-date-text", kind: "kind-visit", units: "place-search", photos: "visit-photos",
                      notes: "visit-notes" };

  function clearErrors() { ["date", "kind", "units", "photos", "notes"].forEach(function (n) { setError(n, ""); }); }

  /* Bring the first field in error to the screen and put the cursor in it. */
  function focusFirstError() {
    var box = form.querySelector(".invalid-feedback.d-block");
    if (!box) return;
    var name = box.dataset.errorFor;
    var input = name === "kind" ? form.querySelector('input[name="kind"]') : name === "date" ? dateField()
      : $(FIELD_INPUT[name]);
    var target = box.closest("fieldset, .mb-3") || box;
    target.scrollIntoView({ block: "center", behavior: "instant" });
    if (input) input.focus({ preventScroll: true });
  }

  function validate() {
    var ok = true;
    var date = $("visit-date").value;
    clearErrors();
    if (!date || date > localToday()) { setError("date", T.need_date); ok = false; }
    if (!checked("kind")) { setError("kind", T.need_kind); ok = false; }
    if (!chosen.size) { setError("units", T.need_place); ok = false; }
    if ($("visit-photos").files.length > MAX_PHOTOS) { setError("photos", "≤ " + MAX_PHOTOS); ok = false; }
    return ok;
  }

  /* The field a server refusal is about, from the API's error location. */
  function fieldOf(error) {
    var loc = (error && error.loc) || [];
    var last = String(loc[loc.length - 1] || "");
    if (last === "date" || last === "kind" || last === "notes") return last;
    if (/unit|household|place/.test(last)) return "units";
    return null;
  }

  /* A large camera picture is scaled down (longest side 1600 px) before it waits in the outbox. */
  async function shrink(file) {
    if (file.size < 1024 * 1024 || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
    try {
      var bitmap = await createImageBitmap(file);
      var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var blob = await new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
      return blob && blob.size < file.size ? blob : file;
    } catch (e) { return file; }
  }

  function findings() {
    var result = {};
    form.querySelectorAll('textarea[name^="finding:"]').forEach(function (t) {
      if (t.value.trim()) result[t.name.slice(8)] = t.value;
    });
    return result;
  }

  function concerns() {
    var result = [];
    form.querySelectorAll("#concerns .concern").forEach(function (box) {
      var text = box.querySelector('[name="concern-text"]').value.trim();
      if (text) result.push({ text: text, field: box.querySelector('[name="concern-field"]').value });
    });
    return result;
  }

  async function save(event) {
    event.preventDefault();
    if (!validate()) { status("danger", T.check_fields); focusFirstError(); return; }
    clearStatus();
    var uuid = Q.uuid4();
    var units = [], households = [], labels = [];
    chosen.forEach(function (item) { (item.kind === "unit" ? units : households).push(item.id); labels.push(item.label); });
    var body = {
      client_uuid: uuid, date: $("visit-date").value, kind: checked("kind"), unit_ids: units, household_ids: households,
      findings: findings(), notes: form.querySelector('[name="notes"]').value, concerns: concerns(),
    };
    if (gps) { body.latitude = gps.latitude; body.longitude = gps.longitude; body.accuracy_m = gps.accuracy; }
    var photos = [];
    var files = Array.prototype.slice.call($("visit-photos").files, 0, MAX_PHOTOS);
    for (var i = 0; i < files.length; i++) {
      var blob = await shrink(files[i]);
      photos.push({ blob: blob, name: blob === files[i] ? files[i].name : "photo-" + (i + 1) + ".jpg" });
    }
    var record = { uuid: uuid, kind: "visit", user: form.dataset.user, api: API, body: body, photos: photos, photosDone: 0,
                   status: "pending", error: "",
                   createdAt: Date.now(), label: labels.join(", "), chosen: Array.from(chosen.entries()) };
    $("save-button").disabled = true;
    try {
      await Q.put(record);
      var result = navigator.onLine ? await Q.sync(API, T, form.dataset.user) : { sent: 0, warnings: [] };
      var after = await Q.get(uuid);
      if (after && after.status === "error") {
        // The server refused this visit: nothing is lost, the cadre corrects it in place.
        await Q.remove(uuid);
        restore(after);
        var field = fieldOf(after.errors && after.errors[0]);
        if (field) setError(field, after.error);
        status("danger", T.not_saved + " " + after.error);
        if (field) focusFirstError();
        else $("save-status").scrollIntoView({ block: "center", behavior: "instant" });
        return;
      }
      reset();
      if (!after) flash("success", T.saved_online + (result.warnings.length ? " " + T.photo_skipped + " " + result.warnings.join(" ") : ""));
      else flash("warning", T.saved_offline);
      window.scrollTo({ top: 0, behavior: "instant" });
    } finally { $("save-button").disabled = false; }
  }

  /* Put a refused visit back in the form, as it was typed. */
  function restore(record) {
    var body = record.body;
    $("visit-date").value = body.date;
    var kind = $("kind-" + body.kind); if (kind) kind.checked = true;
    picker.restore(record.chosen);
    form.querySelector('[name="notes"]').value = body.notes || "";
    Object.keys(body.findings || {}).forEach(function (code) {
      var t = form.querySelector('textarea[name="finding:' + code + '"]');
      if (t) { t.value = body.findings[code]; t.closest("details").open = true; }
    });
    $("concerns").textContent = "";
    (body.concerns || []).forEach(function (c) {
      var node = addConcern();
      node.querySelector('[name="concern-text"]').value = c.text;
      node.querySelector('[name="concern-field"]').value = c.field;
    });
    if (body.latitude !== undefined) gps = { latitude: body.latitude, longitude: body.longitude, accuracy: body.accuracy_m };
    if ((record.photos || []).length && window.DataTransfer) {
      try {
        var dt = new DataTransfer();
        record.photos.forEach(function (p) { dt.items.add(new File([p.blob], p.name, { type: p.blob.type })); });
        $("visit-photos").files = dt.files;
      } catch (e) { /* the browser cannot refill a file input: the cadre picks the photos again */ }
    }
  }

  function reset() {
    var date = $("visit-date").value;
    form.reset();
    $("visit-date").value = date;
    picker.clear();
    $("concerns").textContent = "";
    form.querySelectorAll("details.topic").forEach(function (d) { d.open = false; });
    gps = null; $("gps-status").textContent = "";
    preselectKind();
  }

  function preselectKind() {
    if (new Date().getDay() === 4) { var fd = $("kind-field_day"); if (fd) fd.checked = true; } // Thursday: field day
  }

  function locate() {
    if (!navigator.geolocation) { $("gps-status").textContent = T.gps_fail; return; }
    $("gps-status").textContent = T.gps_wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      gps = { latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: Math.round(pos.coords.accuracy) };
      $("gps-status").textContent = T.gps_ok.replace("{m}", gps.accuracy);
    }, function () { gps = null; $("gps-status").textContent = T.gps_fail; },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  function addConcern() {
    var node = $("concern-template").content.firstElementChild.cloneNode(true);
    node.querySelector(".remove-concern").addEventListener("click", function () { node.remove(); });
    $("concerns").appendChild(node);
    return node;
  }

  /* -- the outbox list --------------------------------------------------------------------------- */
  async function renderPending() {
    var records = await Q.all().catch(function () { return []; });
    var list = $("pending-list");
    list.textContent = "";
    $("pending-count").textContent = records.length;
    $("pending-empty").classList.toggle("d-none", records.length > 0);
    records.forEach(function (r) {
      var what = r.kind === "concern" ? T.concern + " — " + r.body.text.slice(0, 60)
        : r.body.date.split("-").reverse().join("/") + " — " + (KINDS[r.body.kind] || r.body.kind);
      var item = el("li", { className: "list-group-item", "data-testid": "pending-item", "data-status": r.status });
      item.appendChild(el("div", { className: "d-flex justify-content-between gap-2" }, [
        el("span", { text: what }),
        el("span", { className: "badge " + (r.status === "error" ? "text-bg-danger" : "text-bg-warning"),
                     text: r.status === "error" ? T.error : T.pending }),
      ]));
      item.appendChild(el("div", { className: "small text-muted", text: r.label || "" }));
      if (r.error) item.appendChild(el("div", { className: "small status-overdue", text: r.error }));
      if (r.status === "error") {
        var drop = el("button", { type: "button", className: "btn btn-sm btn-link text-danger p-0", text: T.discard });
        drop.addEventListener("click", function () { if (window.confirm(T.confirm_discard)) Q.remove(r.uuid); });
        item.appendChild(drop);
      }
      list.appendChild(item);
    });
  }

  function showNetwork() {
    var badge = $("net-status");
    badge.textContent = navigator.onLine ? T.online : T.offline;
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
  }

  function syncNow() { return Q.sync(API, T, form.dataset.user).then(function (result) {
    if (result.sent) flash("success", T.saved_online + (result.warnings.length ? " " + T.photo_skipped + " " + result.warnings.join(" ") : ""));
  }); }

  /* -- wiring ------------------------------------------------------------------------------------ */
  $("visit-date").value = localToday(); // the cached page may be days old
  $("visit-date").max = localToday();
  preselectKind();
  $("flash").addEventListener("click", function () { $("flash").classList.add("d-none"); });
  form.addEventListener("submit", function (event) {
    save(event).catch(function (e) { status("danger", T.not_saved + " " + e); });
  });
  $("gps-button").addEventListener("click", locate);
  $("add-concern").addEventListener("click", function () { addConcern().querySelector("textarea").focus(); });
  $("sync-button").addEventListener("click", syncNow);
  form.querySelectorAll('input[name="kind"]').forEach(function (r) { r.addEventListener("change", function () { setError("kind", ""); }); });
  window.addEventListener(Q.CHANGED, renderPending);
  window.addEventListener("online", function () { showNetwork(); syncNow(); });
  window.addEventListener("offline", showNetwork);
  window.setInterval(function () { if (navigator.onLine) Q.count().then(function (n) { if (n) syncNow(); }); }, 60000);
  showNetwork();
  renderPending();
  picker.load();
  syncNow();
})();
