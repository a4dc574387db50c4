/* Gần Dân — field work: a citizen's concern noted on the phone, with or without a network.
 *
 * Like a visit, "Lưu ý kiến" checks the form, puts the concern in the phone's outbox (queue.js)
 * with a new UUID, and sends it when there is a network to the concerns API, whose `source_ref`
 * makes a resend return the same concern instead of a second one. A concern the server refuses
 * comes back into the form as typed, with the reason beside the button.
 */
(function () {
  "use strict";

  var Q = window.FieldworkQueue;
  var form = document.getElementById("concern-form");
  if (!form || !Q || !window.FieldworkPlaces) return;

  var T = JSON.parse(document.getElementById("fw-text").textContent);
  var USER = form.dataset.user;
  function $(id) { return document.getElementById(id); }

  var picker = FieldworkPlaces.create({ url: form.dataset.places, key: "places:" + USER, texts: T, single: true,
                                        onChange: function () { setError("unit", ""); } });
  var FIELD_INPUT = { unit: "place-search", text: "concern-text", field: "concern-field" };

  function setError(name, text) {
    var box = form.querySelector('[data-error-for="' + name + '"]');
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("d-block", !!text);
    var input = $(FIELD_INPUT[name]);
    if (input) input.classList.toggle("is-invalid", !!text);
  }

  function status(kind, text) { $("save-status").className = "alert py-2 small mb-2 alert-" + kind; $("save-status").textContent = text; }
  function clearStatus() { $("save-status").className = "d-none"; $("save-status").textContent = ""; }
  var toastTimer = null;
  function flash(kind, text) {
    var box = $("flash");
    box.className = "alert alert-" + kind + " shadow capture-toast";
    box.textContent = text;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { box.classList.add("d-none"); }, 8000);
  }

  function focusFirstError() {
    var box = form.querySelector(".invalid-feedback.d-block");
    if (!box) return;
    box.closest(".mb-3").scrollIntoView({ block: "center", behavior: "instant" });
    var input = $(FIELD_INPUT[box.dataset.errorFor]);
    if (input) input.focus({ preventScroll: true });
  }

  function validate() {
    ["unit", "text", "field"].forEach(function (n) { setError(n, ""); });
    var ok = true;
    if (!picker.chosen.size) { setError("unit", T.need_place); ok = false; }
    if (!$("concern-text").value.trim()) { setError("text", T.need_text); ok = false; }
    if (!$("concern-field").value) { setError("field", T.need_field); ok = false; }
    return ok;
  }

  function fieldOf(error) {
    var loc = (error && error.loc) || [];
    var last = String(loc[loc.length - 1] || "");
    if (last === "text" || last === "field") return last;
    if (/unit|household/.test(last)) return "unit";
    return null;
  }

  function bodyOf(uuid) {
    var place = Array.from(picker.chosen.values())[0];
    var anonymous = $("anonymous").checked;
    return {
      unit_id: place.kind === "household" ? place.villageId : place.id,
      household_id: place.kind === "household" ? place.id : null,
      text: $("concern-text").value.trim(), field: $("concern-field").value,
      urgency: (form.querySelector('input[name="urgency"]:checked') || {}).value || "normal",
      channel: "visit", anonymous: anonymous,
      citizen_name: anonymous ? "" : $("citizen-name").value.trim(),
      citizen_phone: $("citizen-phone").value.trim(), source_ref: "phone:" + uuid,
    };
  }

  function restore(record) {
    var b = record.body;
    picker.restore(record.chosen);
    $("concern-text").value = b.text; $("concern-field").value = b.field;
    var urgency = $("urgency-" + b.urgency); if (urgency) urgency.checked = true;
    $("anonymous").checked = !!b.anonymous;
    $("citizen-name").value = b.citizen_name || ""; $("citizen-phone").value = b.citizen_phone || "";
  }

  function reset() {
    form.reset();
    picker.clear();
  }

  async function save(event) {
    event.preventDefault();
    if (!validate()) { status("danger", T.check_fields); focusFirstError(); return; }
    clearStatus();
    var uuid = Q.uuid4();
    var record = { uuid: uuid, kind: "concern", user: USER, api: form.dataset.api, body: bodyOf(uuid), photos: [],
                   photosDone: 0, status: "pending", error: "", createdAt: Date.now(),
                   label: Array.from(picker.chosen.values())[0].label, chosen: Array.from(picker.chosen.entries()) };
    $("save-button").disabled = true;
    try {
      await Q.put(record);
      if (navigator.onLine) await Q.sync(form.dataset.visitApi, T, USER);
      var after = await Q.get(uuid);
      if (after && after.status === "error") {
        await Q.remove(uuid);
        restore(after);
        var field = fieldOf(after.errors && after.errors[0]);
        if (field) setError(field, after.error);
        status("danger", T.not_saved + " " + after.error);
        if (field) focusFirstError(); else $("save-status").scrollIntoView({ block: "center", behavior: "instant" });
        return;
      }
      reset();
      flash(after ? "warning" : "success", after ? T.saved_offline : T.saved_online);
      window.scrollTo({ top: 0, behavior: "instant" });
    } finally { $("save-button").disabled = false; }
  }

  function showNetwork() {
    var badge = $("net-status");
    badge.textContent = navigator.onLine ? T.online || "" : T.offline || "";
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
  }

  form.addEventListener("submit", function (event) {
    save(event).catch(function (e) { status("danger", T.not_saved + " " + e); });
  });
  $("flash").addEventListener("click", function () { $("flash").classList.add("d-none"); });
  $("anonymous").addEventListener("change", function () { $("citizen-name").disabled = $("anonymous").checked; });
  window.addEventListener("online", function () { showNetwork(); Q.sync(form.dataset.visitApi, T, USER); });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  picker.load();
})();
