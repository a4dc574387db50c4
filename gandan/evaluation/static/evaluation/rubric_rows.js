/* Gần Dân — the rubric editor's rows (rubric_form.html): add a criterion or a title from its
 * <template>, remove one, and keep the rows' count (the hidden "g-rows" / "ti-rows", the form's
 * TOTAL_FORMS) and their numbering (g-0-…, g-1-…) right, so the server reads every row once.
 * Without the script the page offers blank rows and a "Bỏ" box per row instead, and still works.
 *   [data-rows="g"]            the rows of one list; each row is [data-row]
 *   [data-rows-count="g"]      its count, sent with the form
 *   template[data-row-template="g"]  a new row, its names and ids with __prefix__ (and __n__ in its label)
 *   [data-row-add="g"]         adds a row at the end; [data-row-remove] (in a row) removes it
 *   [data-row-blank]           a blank row the server offered for adding without a script: dropped
 *   [data-row-drop]            the no-script "Bỏ" box: hidden, [data-row-remove] does its work
 *   [data-row-number]          a label ending with the row's number, renumbered
 */
(function () {
  "use strict";

  var ATTRIBUTES = ["id", "name", "for"];

  function renumber(list) {
    var prefix = list.getAttribute("data-rows");
    var pattern = new RegExp("^" + prefix + "-(\\d+|__prefix__)-");
    var rows = list.querySelectorAll("[data-row]");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[id], [name], [for]").forEach(function (element) {
        ATTRIBUTES.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && pattern.test(value)) {
            element.setAttribute(attribute, value.replace(pattern, prefix + "-" + index + "-"));
          }
        });
      });
      row.querySelectorAll("[data-row-number]").forEach(function (label) {
        label.textContent = label.textContent.replace(/(\d+|__n__)(\D*)$/, String(index + 1) + "$2");
      });
    });
    var form = list.closest("form");
    var count = form && form.querySelector('[data-rows-count="' + prefix + '"]');
    if (count) count.value = String(rows.length);
  }

  function enhance(row) {
    row.querySelectorAll("[data-row-drop]").forEach(function (box) { box.hidden = true; });
    row.querySelectorAll("[data-row-remove]").forEach(function (button) { button.hidden = false; });
  }

  function add(prefix) {
    var list = document.querySelector('[data-rows="' + prefix + '"]');
    var template = document.querySelector('template[data-row-template="' + prefix + '"]');
    if (!list || !template) return;
    var row = template.content.firstElementChild.cloneNode(true);
    row.removeAttribute("data-row-blank");
    enhance(row);
    list.appendChild(row);
    renumber(list);
    var first = row.querySelector("input, select");
    if (first) first.focus();
  }

  function start() {
    document.querySelectorAll("[data-rows]").forEach(function (list) {
      list.querySelectorAll("[data-row-blank]").forEach(function (row) { row.remove(); });
      list.querySelectorAll("[data-row]").forEach(enhance);
      renumber(list);
    });
    document.querySelectorAll("[data-row-add]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var adder = target.closest("[data-row-add]");
    if (adder) {
      add(adder.getAttribute("data-row-add"));
      return;
    }
    var remover = target.closest("[data-row-remove]");
    var row = remover && remover.closest("[data-row]");
    var list = row && row.closest("[data-rows]");
    if (list) {
      row.remove();
      renumber(list);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
