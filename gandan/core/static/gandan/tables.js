/* Lists on a phone: each cell of a table.table-cards is labelled with its column's title (data-label),
   which gandan.css shows beside the value when the table becomes cards below the md breakpoint.
   Rows added later (htmx swaps, paging) are labelled too. */
(function () {
  "use strict";

  function titles(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var found = [];
    if (!row) return found;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i += 1) found.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    return found;
  }

  function label(table) {
    var names = titles(table);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function labelAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table.table-cards"), label);
    if (root && root.closest) {
      var table = root.closest("table.table-cards");
      if (table) label(table);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { labelAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { labelAll(event.target); });
})();
