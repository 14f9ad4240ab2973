// node bench/readme-tables.mjs [bench/results.json] → the README's benchmark tables, from the
// results of a full run (so the figures in the README are the measured ones, not retyped).
import { readFileSync } from "node:fs";

const file = process.argv[2] || new URL("./results.json", import.meta.url);
const report = JSON.parse(readFileSync(file, "utf8"));

const fmt = (x) => (x == null ? "–" : x >= 1000 ? Math.round(x).toLocaleString("en-US") : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const MB = 1024 * 1024;

function row(suite, env, size, id) {
  return report.suites[suite]?.rows.find((r) => r.env === env && r.sizeId === size && r.implId === id && r.stats);
}

/** One Markdown table: a line per (size, env), a column per implementation: median ms (peak RSS Δ MB). */
function grid(suite, cols, { envs = ["chromium", "node"], mem = true, bold = 0 } = {}) {
  const s = report.suites[suite];
  if (!s) return `(suite ${suite} not in this run)`;
  const head = ["size", "env", ...cols.map(([, label]) => label)];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i < 2 ? "---" : "--:")).join("|")}|`];
  for (const env of envs) {
    for (const size of s.sizes) {
      const cells = cols.map(([id], i) => {
        const r = row(suite, env, size.id, id);
        if (!r) return "–";
        const m = fmt(r.stats.median);
        const rss = mem && r.memory?.peakRssDelta != null ? ` (${Math.round(r.memory.peakRssDelta / MB)})` : "";
        return (i === bold ? `**${m}**` : m) + rss;
      });
      if (cells.every((c) => c === "–")) continue;
      const label = s.rows.find((r) => r.sizeId === size.id)?.size ?? size.id;
      lines.push(`| ${label} | ${env === "chromium" ? "Chromium" : "Node"} | ${cells.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

const m = report.meta;
console.log(`Run of ${m.date.slice(0, 16).replace("T", " ")} UTC: ${m.nproc} cores, ${m.cpu}, Node ${m.node}, ${m.chromiumDriven ? `Chromium ${m.chromiumDriven}` : "no Chromium"}; load average ${m.loadavgStart.join(" ")} → ${m.loadavgEnd.join(" ")}; ${Math.round(m.totalSeconds / 60)} min; git ${m.build.commit}${m.build.srcDirty ? " + local changes" : ""}; wasm ${report.wasm.raw.toLocaleString("en-US")} B (${report.wasm.gzip.toLocaleString("en-US")} B gzip).\n`);

console.log("RFM (median ms, peak RSS growth MB in parentheses):\n");
console.log(grid("rfm", [
  ["crm-columnar", "crmscore `rfmColumnar`"],
  ["crm-objects", "crmscore `rfm` (objects)"],
  ["js-typed", "plain JS, typed arrays"],
  ["js-objects", "plain JS, objects + Map"],
  ["duckdb-quantile", "DuckDB-wasm `quantile_cont`"],
  ["duckdb-ntile", "DuckDB-wasm `NTILE`"],
  ["arquero", "Arquero"],
]));
console.log("\nLoading the orders (median ms):\n");
console.log(grid("rfm", [
  ["bd-copy", "memcpy of the 3 typed arrays (JS)"],
  ["bd-obj-extract", "objects → crmscore columns"],
  ["load-duckdb-arrow", "typed arrays → Arrow → DuckDB"],
  ["load-duckdb-objects", "objects → Arrow → DuckDB"],
  ["load-duckdb-csv", "CSV text → DuckDB"],
], { mem: false, bold: -1 }));
console.log("\nRe-tier after a weight change (median ms):\n");
console.log(grid("scoring", [
  ["crm-scorer", "crmscore `Scorer`"],
  ["js-loop", "plain JS loop"],
  ["duckdb-sql", "DuckDB-wasm SQL"],
  ["load-crm-scorer", "↳ load: `new Scorer`"],
  ["load-duckdb", "↳ load: DuckDB table"],
], { mem: false }));
console.log("\nClassification (median ms, peak RSS growth MB):\n");
console.log(grid("classify", [
  ["crm-columnar", "crmscore `classifyColumnar`"],
  ["js-plain", "plain JS rules"],
]));
console.log("\nCLV (median ms):\n");
console.log(grid("btyd", [
  ["crm-pipeline", "crmscore pipeline"],
  ["bd-summarize", "summary"],
  ["bd-fit-bgnbd", "BG/NBD fit"],
  ["bd-gg-clv", "Gamma-Gamma + CLV"],
], { mem: false }));
const ext = report.suites.btyd?.rows.filter((r) => r.external && r.stats) ?? [];
if (ext.length) {
  console.log("\nlifetimes (median ms):\n");
  for (const size of report.suites.btyd.sizes) {
    const rs = ext.filter((r) => r.sizeId === size.id);
    if (rs.length) console.log(`- ${rs[0].size}: ${rs.map((r) => `${r.implId.replace("lifetimes-", "")} ${fmt(r.stats.median)}`).join(", ")}; sum ${fmt(rs.reduce((a, r) => a + r.stats.median, 0))}`);
  }
}
