// Lumen admin analytics: draws the page's charts with the vendored Chart.js.
// The numbers come from the page (#analytics-charts, the same data as the tables beside each
// chart). Chart.js is loaded only when a page has charts, on a full load or an htmx swap.
// Without JavaScript, or for screen readers, the tables are the charts.
(function () {
  "use strict";

  const COLOURS = ["#2c6ecb", "#29845a", "#b98900", "#8e1f0b", "#8a8a8a"];
  const SENTIMENT_COLOURS = ["#e51c00", "#b5b5b5", "#29845a"];
  const OUTCOME_COLOURS = ["#8e1f0b", "#29845a", "#2c6ecb", "#b98900", "#b5b5b5"];
  const script = document.currentScript;
  const libraryUrl = script && script.dataset.chartLibrary;
  let loading = null;

  function loadLibrary() {
    if (window.Chart) {
      return Promise.resolve(window.Chart);
    }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        const tag = document.createElement("script");
        tag.src = libraryUrl;
        tag.onload = function () { resolve(window.Chart); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function colours(id, count) {
    if (id === "sentiment") { return SENTIMENT_COLOURS; }
    if (id === "outcomes") { return OUTCOME_COLOURS; }
    return COLOURS.slice(0, count);
  }

  function config(id, spec) {
    const palette = colours(id, spec.datasets.length);
    const single = spec.datasets.length === 1 && spec.type === "bar";
    const datasets = spec.datasets.map(function (set, index) {
      const colour = single ? palette : palette[index % palette.length];
      return {
        label: set.label, data: set.data, backgroundColor: colour, borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0, pointRadius: 2, tension: 0,
      };
    });
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: !single, position: "bottom" } },
        scales: {
          x: { stacked: !!spec.stacked, grid: { display: false }, ticks: { maxTicksLimit: 10 } },
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    };
  }

  function draw(root) {
    const source = root.querySelector("#analytics-charts");
    const figures = root.querySelectorAll("[data-chart]");
    if (!source || !figures.length) {
      return;
    }
    const charts = JSON.parse(source.textContent);
    loadLibrary().then(function (Chart) {
      figures.forEach(function (figure) {
        const spec = charts[figure.dataset.chart];
        const canvas = figure.querySelector("canvas");
        if (!spec || !canvas || figure.classList.contains("chart-drawn")) {
          return;
        }
        new Chart(canvas, config(figure.dataset.chart, spec));
        // The table stays for screen readers (visually hidden), the canvas is hidden from them.
        figure.classList.add("chart-drawn");
      });
    }, function () {
      // No chart library: the tables stay visible, which is the whole information anyway.
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
