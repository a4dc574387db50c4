/* Gần Dân — the small behaviours a template asks for with a data- attribute, so that no template
 * carries a script, an on…= handler, a javascript: link or a style attribute: the
 * Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) runs scripts and applies styles from
 * our static files only. The listeners sit on the document, so parts swapped in by htmx behave the same.
 *   form[data-confirm="…"]        asks the question before the form is sent; "Cancel" sends nothing
 *   select[data-autosubmit]       sends its form when another option is chosen
 *   [data-print]                  prints the page
 *   a[data-back]                  goes back a page (its href is where it goes without history)
 *   input[data-select-on-focus]   selects its text when it gets the focus
 *   [data-copy="#id"]             copies that field's value, then reads its data-copied
 *   input[data-check-all="css"]   checks or unchecks every checkbox the selector names
 *   [data-width="37"]             a bar's width in percent ("12,5" as Vietnamese numbers are written)
 */
(function () {
  "use strict";

  function closest(event, selector) {
    return event.target instanceof Element ? event.target.closest(selector) : null;
  }

  // Capture phase: asked before htmx or any other listener of the form sees the submit.
  document.addEventListener("submit", function (event) {
    var form = closest(event, "form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var select = closest(event, "select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  document.addEventListener("click", function (event) {
    var target;
    if ((target = closest(event, "[data-print]"))) {
      window.print();
    } else if ((target = closest(event, "a[data-back]"))) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    } else if ((target = closest(event, "[data-copy]"))) {
      copy(target);
    } else if ((target = closest(event, "input[data-check-all]"))) {
      var checked = target.checked;
      document.querySelectorAll(target.dataset.checkAll).forEach(function (box) { box.checked = checked; });
    }
  });

  document.addEventListener("focusin", function (event) {
    var field = closest(event, "input[data-select-on-focus]");
    if (field) field.select();
  });

  function copy(button) {
    var field = document.querySelector(button.dataset.copy);
    if (!field) return;
    field.select();
    var done = function () { if (button.dataset.copied) button.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  }

  /* Widths through the CSS object model, which the policy allows (a style="" attribute it does not). */
  function widths(root) {
    if (!root || !root.querySelectorAll) return;
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.matches && root.matches("[data-width]")) bars.push(root);
    bars.forEach(function (bar) {
      var pct = parseFloat(String(bar.dataset.width).replace(",", "."));
      if (!isNaN(pct)) bar.style.width = pct + "%";
    });
  }

  widths(document);
  document.addEventListener("htmx:load", function (event) { widths(event.detail.elt); });
})();
