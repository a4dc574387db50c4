/* Gần Dân — dates are read and typed as dd/mm/yyyy everywhere, whatever the browser's language.
 *
 * A browser shows <input type="date"> in its own language's order (mm/dd/yyyy in an English
 * Chrome). Every such input keeps its name, id and ISO value (what the form sends and the scripts
 * read), is hidden, and gets beside it a text field in dd/mm/yyyy with a calendar button that opens
 * the browser's own picker. Setting `input.value` from a script shows in the text field too.
 * Without JavaScript the native input stays as it is. Mark an input `data-native-date` to keep it.
 * The sentences come from the script tag's data-* attributes (translated by the server).
 */
(function () {
  "use strict";

  var own = document.currentScript ? document.currentScript.dataset : {};
  var T = { invalid: own.invalid || "dd/mm/yyyy", before: own.before || "", after: own.after || "", pick: own.pick || "" };
  var valueOf = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function shown(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  /* "1/2/2026", "01.02.26", "1-2-2026" → "2026-02-01"; "" for an empty field, null when not a date. */
  function parse(text) {
    text = (text || "").trim();
    if (!text) return "";
    var m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{2}|\d{4})$/.exec(text);
    if (!m) return null;
    var day = +m[1], month = +m[2], year = m[3].length === 2 ? 2000 + +m[3] : +m[3];
    var d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
    return year + "-" + pad(month) + "-" + pad(day);
  }

  function enhance(input) {
    if (input.dataset.nativeDate !== undefined || input.dataset.enhanced) return;
    input.dataset.enhanced = "1";
    var text = document.createElement("input");
    text.type = "text";
    text.inputMode = "numeric";
    text.autocomplete = "off";
    text.placeholder = "dd/mm/yyyy";
    text.maxLength = 10;
    text.className = input.className;
    text.id = input.id ? input.id + "-text" : "";
    text.required = input.required;
    text.dataset.dateFor = input.id || input.name;
    if (input.disabled) text.disabled = true;
    input.required = false;
    document.querySelectorAll('label[for="' + input.id + '"]').forEach(function (l) { l.htmlFor = text.id; });
    ["aria-label", "aria-describedby"].forEach(function (a) { if (input.hasAttribute(a)) text.setAttribute(a, input.getAttribute(a)); });

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.setAttribute("aria-label", T.pick);
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';

    var wrapper = document.createElement("div");
    wrapper.className = "gandan-date";
    var group = document.createElement("div");
    group.className = "input-group" + (/form-control-sm/.test(input.className) ? " input-group-sm" : "")
      + (/form-control-lg/.test(input.className) ? " input-group-lg" : "");
    input.parentNode.insertBefore(wrapper, input);
    group.appendChild(text);
    group.appendChild(button);
    wrapper.appendChild(group);
    wrapper.appendChild(input);
    input.classList.add("gandan-date-native");
    input.tabIndex = -1;
    input.setAttribute("aria-hidden", "true");

    function check(iso) {
      var message = "";
      if (iso === null) message = T.invalid;
      else if (iso && input.min && iso < input.min) message = T.before.replace("{d}", shown(input.min));
      else if (iso && input.max && iso > input.max) message = T.after.replace("{d}", shown(input.max));
      text.setCustomValidity(message);
      text.title = message;
      text.classList.toggle("is-invalid", !!message);
      return message;
    }

    // A script that sets input.value (the visit form's "today") shows it in the text field.
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return valueOf.get.call(input); },
      set: function (v) { valueOf.set.call(input, v); text.value = shown(v); check(v || ""); },
    });
    text.value = shown(valueOf.get.call(input));

    function fromText() {
      var iso = parse(text.value);
      valueOf.set.call(input, iso || "");
      check(iso);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    text.addEventListener("change", fromText);
    text.addEventListener("blur", function () {
      var iso = parse(text.value);
      if (iso) text.value = shown(iso);
    });
    input.addEventListener("change", function (event) {
      if (event.isTrusted) { text.value = shown(valueOf.get.call(input)); check(valueOf.get.call(input)); }
    });
    button.addEventListener("click", function () {
      try { input.showPicker(); } catch (e) { text.focus(); }
    });
    // The form sends what the text field says, even if it was never left (Enter in the field).
    if (input.form) input.form.addEventListener("submit", fromText, true);
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll('input[type="date"]').forEach(enhance);
  }

  window.GandanDates = { parse: parse, shown: shown, enhanceAll: enhanceAll };
  enhanceAll();
  document.addEventListener("htmx:afterSwap", function (e) { enhanceAll(e.target); });
})();
