// Draws each dashboard chart from its canvas's data attributes (the same numbers as the table below it).
(function () {
  "use strict";
  function values(text) {
    return (text || "").split("|").slice(0, -1).map(function (v) { var n = parseFloat(v); return isNaN(n) ? 0 : n; });
  }
  function draw(canvas) {
    if (typeof Chart === "undefined") { return; }
    var labels = (canvas.dataset.labels || "").split("|").slice(0, -1);
    if (!labels.length) { canvas.parentElement.hidden = true; return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: canvas.dataset.currentLabel, data: values(canvas.dataset.current), backgroundColor: "#0d6efd" },
          { label: canvas.dataset.previousLabel, data: values(canvas.dataset.previous), backgroundColor: "#adb5bd" }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } }
    });
  }
  document.querySelectorAll("canvas.report-chart").forEach(draw);
})();
