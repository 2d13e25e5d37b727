/* The home page's charts: Chart.js (vendored in static/vendor) draws each canvas from its
   data-chart attribute; the table under each chart says the same in words. */
(function () {
  "use strict";

  if (!window.Chart) {
    return;
  }
  var COLOURS = ["#337ab7", "#5cb85c", "#f0ad4e", "#5bc0de", "#d9534f", "#8e6bb8", "#777777"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas, index) {
    var chart = JSON.parse(canvas.dataset.chart);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.title, data: chart.values, backgroundColor: COLOURS[index % COLOURS.length] }],
      },
      options: {
        indexAxis: chart.labels.length > 6 ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } },
      },
    });
  });
})();
