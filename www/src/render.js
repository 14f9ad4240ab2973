// Renders an `rfm` result into the page. All data goes in as text (h() → textContent).
import { h, fill, $ } from "./dom.js";
import { t, segmentLabel } from "./i18n.js";
import * as fmt from "./format.js";

export const CUSTOMER_ROWS = 200;

// One colour per segment position; the fallback segment (last) is always grey.
// (Tableau 10, its grey swapped for navy.)
const PALETTE = ["#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#e15759", "#edc948", "#2f4b7c", "#ff9da7", "#9c755f"];
const FALLBACK_COLOR = "#a6adb8";

function segmentColors(result) {
  const colors = new Map();
  const n = result.segments.length;
  result.segments.forEach((s, i) => colors.set(s.name, i === n - 1 ? FALLBACK_COLOR : PALETTE[i % PALETTE.length]));
  return colors;
}

function segmentBadge(name, colors) {
  const label = segmentLabel(name);
  return h(
    "span",
    { class: "segment", title: label === String(name) ? undefined : String(name) },
    h("span", { class: "swatch", "aria-hidden": "true", style: { "--c": colors.get(name) ?? FALLBACK_COLOR } }),
    label,
  );
}

export function renderAll(result) {
  const colors = segmentColors(result);
  renderSegments(result, colors);
  renderHeatmap(result);
  renderThresholds(result);
  renderCustomers(result, colors);
}

export function renderSegments(result, colors) {
  const table = $("#segments-table");
  const total = result.customers.length;
  const rows = result.segments.map((s) =>
    h(
      "tr",
      { class: s.customers === 0 ? "empty" : undefined, data: { segment: String(s.name) } },
      h("th", { scope: "row" }, segmentBadge(s.name, colors)),
      h("td", { class: "num", data: { field: "customers" }, text: fmt.int(s.customers) }),
      h(
        "td",
        { class: "share-col" },
        h(
          "span",
          { class: "share" },
          h("span", { class: "bar", "aria-hidden": "true" },
            h("span", { class: "fill", style: { "--w": total ? s.customers / total : 0, "--c": colors.get(s.name) } })),
          h("span", { class: "pct", text: fmt.percent(total ? s.customers / total : 0) }),
        ),
      ),
      h("td", { class: "num", data: { field: "orders" }, text: fmt.int(s.orders) }),
      h("td", { class: "num", data: { field: "revenue" }, text: fmt.money(s.revenue) }),
      h("td", { class: "num", data: { field: "aov" }, text: fmt.money(s.averageOrderValue) }),
    ),
  );
  fill(table.tBodies[0], rows);

  const orders = result.segments.reduce((a, s) => a + s.orders, 0);
  const revenue = result.segments.reduce((a, s) => a + s.revenue, 0);
  fill(table.tFoot, [
    h(
      "tr",
      {},
      h("th", { scope: "row", text: t("col.total") }),
      h("td", { class: "num", data: { field: "customers" }, text: fmt.int(total) }),
      h("td", { class: "share-col" }),
      h("td", { class: "num", text: fmt.int(orders) }),
      h("td", { class: "num", text: fmt.money(revenue) }),
      h("td", { class: "num", text: fmt.money(orders ? revenue / orders : null) }),
    ),
  ]);
}

export function renderHeatmap(result) {
  const table = $("#heatmap");
  const cells = new Map();
  let rBins = 0;
  let fBins = 0;
  let max = 0;
  for (const c of result.heatmap) {
    cells.set(`${c.frequencyScore},${c.recencyScore}`, c);
    rBins = Math.max(rBins, c.recencyScore);
    fBins = Math.max(fBins, c.frequencyScore);
    max = Math.max(max, c.customers);
  }

  const head = h(
    "thead",
    {},
    h("tr", {}, h("td", { class: "corner", rowspan: 2, text: t("heatmap.corner") }), h("th", { scope: "colgroup", colspan: rBins, class: "axis", text: t("heatmap.rAxis") })),
    h("tr", {}, ...Array.from({ length: rBins }, (_, i) => h("th", { scope: "col", text: `R${i + 1}` }))),
  );
  const body = h("tbody");
  for (let f = fBins; f >= 1; f--) {
    const tr = h("tr", {}, h("th", { scope: "row", text: `F${f}` }));
    for (let r = 1; r <= rBins; r++) {
      const c = cells.get(`${f},${r}`);
      const n = c ? c.customers : 0;
      const v = max ? n / max : 0;
      const title = n
        ? t("heatmap.cell", { r, f, customers: fmt.int(n), mean: fmt.money(c.meanMonetary) })
        : t("heatmap.empty", { r, f });
      tr.append(
        h("td", {
          class: v > 0.55 ? "cell dark" : n ? "cell" : "cell zero",
          title,
          "aria-label": title,
          data: { r, f, customers: n },
          style: { "--v": v.toFixed(3) },
          text: fmt.int(n),
        }),
      );
    }
    body.append(tr);
  }
  const caption = h("caption", { class: "axis f-axis", text: `↑ ${t("heatmap.fAxis")}` });
  fill(table, [caption, head, body]);
  table.style.setProperty("--cols", rBins);
}

export function renderThresholds(result) {
  const dl = $("#thresholds");
  const items = [];
  for (const metric of ["recency", "frequency", "monetary"]) {
    const cuts = result.thresholds[metric] ?? [];
    items.push(h("dt", { text: t(`metric.${metric}`) }));
    items.push(
      h(
        "dd",
        { data: { metric } },
        cuts.length
          ? cuts.map((x) => h("span", { class: "cut", text: metric === "monetary" ? fmt.money(x) : fmt.num(x) }))
          : h("span", { class: "muted", text: t("thresholds.none") }),
      ),
    );
  }
  fill(dl, items);
}

export function renderCustomers(result, colors) {
  const shown = result.customers.slice(0, CUSTOMER_ROWS);
  $("#customers-note").textContent = t("customers.note", { shown: fmt.int(shown.length), total: fmt.int(result.customers.length) });
  const rows = shown.map((c) =>
    h(
      "tr",
      {},
      h("td", { class: "id", text: String(c.customerId) }),
      h("td", { class: "num score", text: c.recencyScore }),
      h("td", { class: "num score", text: c.frequencyScore }),
      h("td", { class: "num score", text: c.monetaryScore }),
      h("td", { class: "num", text: fmt.int(c.recencyDays) }),
      h("td", { class: "num", text: fmt.int(c.frequency) }),
      h("td", { class: "num", text: fmt.money(c.monetary) }),
      h("td", { class: "num rfm", text: c.rfmScore }),
      h("td", {}, segmentBadge(c.segment, colors)),
    ),
  );
  fill($("#customers-table").tBodies[0], rows);
}
