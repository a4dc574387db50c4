/* Gần Dân — field work: the place picker of the phone's forms (the cadre's units and households,
 * from the server when online and from the phone's copy when not), searched without diacritics.
 *
 *   var picker = FieldworkPlaces.create({ url, key, texts, single, onChange });
 *   picker.chosen   Map of "u:12" / "h:34" → {kind, id, label, villageId}
 *   picker.load(), picker.clear(), picker.restore(entries), picker.render()
 * It fills #chosen, #place-search, #place-list and #places-note of the page.
 */
(function () {
  "use strict";

  var MAX_SHOWN = 40;

  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function create(options) {
    var T = options.texts;
    var Q = window.FieldworkQueue;
    var places = { units: [], households: [] };
    var chosen = new Map();
    function $(id) { return document.getElementById(id); }
    function changed() { if (options.onChange) options.onChange(); }

    function unitLabel(u) { return u.parent ? u.name + " · " + u.parent : u.name; }
    function householdLabel(h) { return T.household + " " + h.name + " (" + h.code + ") · " + h.village; }

    function renderChosen() {
      var box = $("chosen");
      box.textContent = "";
      chosen.forEach(function (item, key) {
        var remove = el("button", { type: "button", className: "btn-close btn-close-white ms-1", "aria-label": T.remove });
        remove.addEventListener("click", function () { chosen.delete(key); render(); changed(); });
        box.appendChild(el("span", { className: "badge text-bg-danger chip", "data-key": key }, [
          document.createTextNode(item.label), remove]));
      });
    }

    function toggle(key, item) {
      if (chosen.has(key)) chosen.delete(key);
      else { if (options.single) chosen.clear(); chosen.set(key, item); }
      render();
      changed();
    }

    function renderList() {
      var needle = fold($("place-search").value);
      var list = $("place-list");
      list.textContent = "";
      var rows = [];
      places.units.forEach(function (u) {
        if (needle ? (u.search || fold(u.name)).indexOf(needle) >= 0 || fold(u.parent).indexOf(needle) >= 0 : u.followed || rows.length < 12)
          rows.push({ key: "u:" + u.id, kind: "unit", id: u.id, label: unitLabel(u), followed: u.followed });
      });
      places.households.forEach(function (h) {
        var hit = needle ? (h.search || fold(h.name)).indexOf(needle) >= 0 || h.code.toLowerCase().indexOf(needle) >= 0 : h.followed;
        if (hit) rows.push({ key: "h:" + h.id, kind: "household", id: h.id, villageId: h.village_id, label: householdLabel(h), followed: h.followed });
      });
      if (!rows.length) { list.appendChild(el("div", { className: "list-group-item text-muted small", text: T.no_match })); return; }
      rows.slice(0, MAX_SHOWN).forEach(function (row) {
        var on = chosen.has(row.key);
        var button = el("button", { type: "button", className: "list-group-item list-group-item-action d-flex justify-content-between align-items-center" + (on ? " active" : ""),
          "aria-pressed": on ? "true" : "false", "data-key": row.key });
        button.appendChild(el("span", { text: row.label }));
        if (row.followed) button.appendChild(el("span", { className: "badge text-bg-light", text: T.followed }));
        button.addEventListener("click", function () { toggle(row.key, row); });
        list.appendChild(button);
      });
    }

    function render() { renderChosen(); renderList(); }

    async function load() {
      try {
        var response = await fetch(options.url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
        if (!response.ok || response.redirected) throw new Error("HTTP " + response.status);
        places = await response.json();
        Q.cacheSet(options.key, places).catch(function () {});
        $("places-note").textContent = "";
      } catch (e) {
        var copy = await Q.cacheGet(options.key).catch(function () { return null; });
        if (copy) { places = copy.value; $("places-note").textContent = T.places_stale || ""; }
      }
      renderList();
    }

    function clear() { chosen.clear(); $("place-search").value = ""; render(); }
    function restore(entries) { chosen.clear(); (entries || []).forEach(function (p) { chosen.set(p[0], p[1]); }); render(); }

    $("place-search").addEventListener("input", renderList);
    return { chosen: chosen, load: load, clear: clear, restore: restore, render: render };
  }

  window.FieldworkPlaces = { create: create, fold: fold, el: el };
})();
