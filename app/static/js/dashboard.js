/* The home page's charts: Chart.js (vendored in static/vendor) draws each canvas from its
   data-chart attribute; the table under each chart says the same in words. Text and grid
   take the page's own colours, so the charts read in the light and the dark theme. */
(function () {
  "use strict";

  if (!window.Chart) {
    return;
  }
  var COLOURS = ["#337ab7", "#5cb85c", "#f0ad4e", "#5bc0de", "#d9534f", "#8e6bb8", "#777777"];
  var text = window.getComputedStyle(document.body).color;
  window.Chart.defaults.color = text;
  // The text colour, faint: grid lines that show on white and on black alike.
  var grid = text.replace(/^rgb\((.*)\)$/, "rgba($1, 0.15)");
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas, index) {
    var chart = JSON.parse(canvas.dataset.chart);
    var axis = { ticks: { precision: 0, color: text }, grid: { color: grid } };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{
          label: chart.title,
          data: chart.values,
          backgroundColor: COLOURS[index % COLOURS.length],
          // One or two bars stay bars, not slabs across the whole chart.
          maxBarThickness: 48,
        }],
      },
      options: {
        indexAxis: chart.labels.length > 6 ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: axis, y: axis },
      },
    });
  });
})();
