// Charts (Chart.js 4 + chartjs-chart-matrix, bundled: see www/DESIGN.md). Every chart draws
// aggregates only — tiers, 5 × 5 cells, segments, classes, histogram bins — never one mark per
// customer, so a chart costs the same at 1k and at 1M customers. Animations are off: an
// update draws synchronously, inside the frame of the slider input that caused it.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend } from "chart.js";
import { MatrixController, MatrixElement } from "chartjs-chart-matrix";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, MatrixController, MatrixElement);
Chart.defaults.animation = false;
Chart.defaults.responsiveAnimationDuration = 0;
Chart.defaults.maintainAspectRatio = false;
// Sizes follow the chart's box through one ResizeObserver here, each chart resized and
// redrawn in a task of its own (Chart.js's own responsive mode redraws every chart in one
// animation frame: showing the results resized seven at once, a ~100 ms frame).
Chart.defaults.responsive = false;
const boxes = new Map(); // box element → chart
const queued = new Set();
const sizes = new ResizeObserver((entries) => {
  for (const e of entries) {
    const chart = boxes.get(e.target);
    if (!chart || queued.has(chart)) continue;
    queued.add(chart);
    setTimeout(() => {
      queued.delete(chart);
      if (chart.canvas) chart.resize();
    }, 0);
  }
});

/** A Chart.js chart on `canvas`, sized to the canvas's parent box (and resized with it). */
function makeChart(canvas, config) {
  const chart = new Chart(canvas, config);
  const box = canvas.parentNode;
  boxes.set(box, chart);
  sizes.observe(box);
  const destroy = chart.destroy.bind(chart);
  chart.destroy = () => {
    sizes.unobserve(box);
    boxes.delete(box);
    destroy();
  };
  return chart;
}
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.font.size = 12;
Chart.defaults.color = "#5f6b7d";
Chart.defaults.borderColor = "#e3e8f0";

export const TIER_COLORS = ["#0f766e", "#14b8a6", "#5eead4", "#fbbf24", "#f97316", "#ef4444", "#a855f7", "#64748b", "#94a3b8", "#cbd5e1"];
const BLUE = "#2f6fde";
const ORANGE = "#f59e0b";

const legendOff = { legend: { display: false } };

/** Bars of one series: update(labels, values, colors?). */
export function barChart(canvas, { horizontal = false, format = (v) => v, colors } = {}) {
  const chart = makeChart(canvas, {
    type: "bar",
    data: { labels: [], datasets: [{ data: [], backgroundColor: colors ?? BLUE, borderRadius: 3, maxBarThickness: 56 }] },
    options: {
      indexAxis: horizontal ? "y" : "x",
      plugins: { ...legendOff, tooltip: { callbacks: { label: (c) => format(c.parsed[horizontal ? "x" : "y"]) } } },
      scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { callback: (v) => format(v) } }, [horizontal ? "y" : "x"]: { grid: { display: false } } },
    },
  });
  return {
    chart,
    update(labels, values, barColors) {
      chart.data.labels = labels;
      chart.data.datasets[0].data = Array.from(values);
      if (barColors) chart.data.datasets[0].backgroundColor = barColors;
      chart.update("none");
    },
    destroy: () => chart.destroy(),
  };
}

/** Two series side by side (e.g. share of customers vs share of revenue per segment). */
export function pairedBarChart(canvas, { format = (v) => v } = {}) {
  const chart = makeChart(canvas, {
    type: "bar",
    data: { labels: [], datasets: [{ label: "", data: [], backgroundColor: BLUE, borderRadius: 2 }, { label: "", data: [], backgroundColor: ORANGE, borderRadius: 2 }] },
    options: {
      indexAxis: "y",
      plugins: { legend: { position: "top", align: "end", labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(c.parsed.x)}` } } },
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => format(v) } }, y: { grid: { display: false } } },
    },
  });
  return {
    chart,
    update(labels, seriesLabels, a, b) {
      chart.data.labels = labels;
      chart.data.datasets[0].label = seriesLabels[0];
      chart.data.datasets[0].data = Array.from(a);
      chart.data.datasets[1].label = seriesLabels[1];
      chart.data.datasets[1].data = Array.from(b);
      chart.update("none");
    },
    destroy: () => chart.destroy(),
  };
}

// Writes each heatmap cell's value into it (the matrix controller draws no labels itself).
const cellLabels = {
  id: "cellLabels",
  afterDatasetsDraw(chart, _args, opts) {
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(0);
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.font = `600 11px ${Chart.defaults.font.family}`;
    meta.data.forEach((el, i) => {
      const d = chart.data.datasets[0].data[i];
      if (!d || d.v === null) return;
      const { x, y } = el.getCenterPoint();
      ctx.fillStyle = d.t > 0.55 ? "#ffffff" : "#1d2433";
      ctx.fillText(opts.format(d.v), x, y);
    });
    ctx.restore();
  },
};

/**
 * The RFM heatmap: frequency score (rows, high at the top) × recency score (columns), each
 * cell coloured and labelled by its mean monetary value. cells: rfm's HeatCell[].
 */
export function heatmapChart(canvas, { format, tooltip }) {
  const chart = makeChart(canvas, {
    type: "matrix",
    data: { datasets: [{ data: [], borderWidth: 1, borderColor: "#ffffff" }] },
    options: {
      plugins: { ...legendOff, cellLabels: { format }, tooltip: { callbacks: { title: () => "", label: (c) => tooltip(c.raw) } } },
      scales: {
        x: { type: "category", labels: [], offset: true, grid: { display: false }, title: { display: true, text: "" } },
        y: { type: "category", labels: [], offset: true, reverse: false, grid: { display: false }, title: { display: true, text: "" } },
      },
    },
    plugins: [cellLabels],
  });
  return {
    chart,
    update(cells, bins, axisTitles) {
      const vals = cells.filter((c) => c.meanMonetary !== null).map((c) => c.meanMonetary);
      const lo = Math.min(...vals), hi = Math.max(...vals);
      const labels = Array.from({ length: bins }, (_, i) => String(i + 1));
      chart.options.scales.x.labels = labels;
      chart.options.scales.y.labels = [...labels].reverse();
      chart.options.scales.x.title.text = axisTitles[0];
      chart.options.scales.y.title.text = axisTitles[1];
      const ds = chart.data.datasets[0];
      ds.data = cells.map((c) => ({
        x: String(c.recencyScore),
        y: String(c.frequencyScore),
        v: c.meanMonetary,
        n: c.customers,
        t: c.meanMonetary === null || hi === lo ? 0 : (c.meanMonetary - lo) / (hi - lo),
      }));
      ds.backgroundColor = (ctx) => {
        const d = ctx.raw;
        if (!d || d.v === null) return "#f1f4f9";
        return `rgba(47, 111, 222, ${0.12 + 0.88 * d.t})`;
      };
      ds.width = ({ chart: c }) => (c.chartArea ? c.chartArea.width / bins - 2 : 10);
      ds.height = ({ chart: c }) => (c.chartArea ? c.chartArea.height / bins - 2 : 10);
      chart.update("none");
    },
    destroy: () => chart.destroy(),
  };
}
