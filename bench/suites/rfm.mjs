// Suite "rfm": quantile RFM (5 bins, R type-7 cut points at k/5, a value equal to a cut
// goes to the lower bin, recency reversed), four ways:
//   crmscore columnar · crmscore object path · plain JS on typed arrays · plain JS idiomatic.
//
// A suite module exports:
//   name, description
//   sizes:  [{ id, customers, orders, quick }]       — `quick` sizes run under --quick
//   load(size, needs) → { input, loadMs }             — needs: Set of impl `input` kinds
//   impls:  [{ id, label, input, baseline?, verify?, breakdown?, note?, envs? (["node"] / ["browser"]),
//              run(lib, input, size) → result,        — the timed call
//              scores?(result, input) → { recency, frequency, monetary } (Uint8Array by customer),
//              thresholds?(result) → { recency, frequency, monetary } }]
// `lib` is the initialised crmscore module (pkg/node in Node, pkg/web in the browser).
//   summarize?(rows, size) → Markdown lines derived from one env × size's rows
//              (rows: { implId, median, min, max } …), printed under the table
// The runner times run(), verifies `verify` impls against the `baseline` impl, and
// reports every row as a ratio to the baseline (breakdown rows in parentheses).

import { generateOrders, orderObjects, indexOfId, customerIds } from "../data.mjs";
import { loadArquero, loadDuckDb } from "../peers/peers.mjs";

export const name = "rfm";
export const description = "Quantile RFM scores (5 bins, type-7 cut points) from orders";

export const sizes = [
  { id: "10k/100k", customers: 10_000, orders: 100_000, quick: true },
  { id: "100k/1M", customers: 100_000, orders: 1_000_000, quick: true },
  { id: "1M/10M", customers: 1_000_000, orders: 10_000_000, quick: false },
];

const SEED = 20240601;
const BINS = 5;

export function load(size, needs) {
  const loadMs = {};
  let t = performance.now();
  const data = generateOrders({ customers: size.customers, orders: size.orders, seed: SEED });
  loadMs.generate = performance.now() - t;
  const input = { data };
  if (needs.has("objects")) {
    t = performance.now();
    input.objects = orderObjects(data);
    loadMs.objects = performance.now() - t;
  }
  return { input, loadMs };
}

// ---------------------------------------------------------------- shared helpers

/** R's type-7 quantile of an ascending array (typed or plain), as R computes it. */
export function quantile7(sorted, p) {
  const n = sorted.length;
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index), hi = Math.ceil(index);
  let q = sorted[lo - 1];
  const h = index - lo;
  if (index > lo && sorted[hi - 1] !== q) q = (1 - h) * q + h * sorted[hi - 1];
  return q;
}

function cutPoints(sorted) {
  const cuts = [];
  for (let k = 1; k < BINS; k++) cuts.push(quantile7(sorted, k * (1 / BINS)));
  return cuts;
}

/** 1 + number of cut points strictly below v. */
function bin(v, c) {
  let b = 1;
  for (let k = 0; k < c.length; k++) if (c[k] < v) b++;
  return b;
}

// ---------------------------------------------------------------- (c) plain JS, typed arrays

export function plainTyped(customerIndex, dates, amounts, n) {
  const t0 = performance.now();
  const m = customerIndex.length;
  const last = new Int32Array(n).fill(-2147483648);
  const count = new Uint32Array(n);
  const sum = new Float64Array(n);
  let maxDay = -2147483648;
  for (let i = 0; i < m; i++) {
    const c = customerIndex[i], d = dates[i];
    if (d > last[c]) last[c] = d;
    if (d > maxDay) maxDay = d;
    count[c]++;
    sum[c] += amounts[i];
  }
  const asOf = maxDay + 1;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    recency[c] = asOf - last[c];
    frequency[c] = count[c];
  }
  const t1 = performance.now();
  const cr = cutPoints(recency.slice().sort());
  const cf = cutPoints(frequency.slice().sort());
  const cm = cutPoints(sum.slice().sort());
  const t2 = performance.now();
  const rs = new Uint8Array(n), fs = new Uint8Array(n), ms = new Uint8Array(n);
  const [r1, r2, r3, r4] = cr, [f1, f2, f3, f4] = cf, [m1, m2, m3, m4] = cm;
  for (let c = 0; c < n; c++) {
    const r = recency[c], f = frequency[c], v = sum[c];
    rs[c] = BINS + 1 - (1 + (r1 < r) + (r2 < r) + (r3 < r) + (r4 < r));
    fs[c] = 1 + (f1 < f) + (f2 < f) + (f3 < f) + (f4 < f);
    ms[c] = 1 + (m1 < v) + (m2 < v) + (m3 < v) + (m4 < v);
  }
  const t3 = performance.now();
  return {
    _phases: { aggregate: t1 - t0, sort: t2 - t1, score: t3 - t2 },
    asOf, recencyDays: recency, frequency: count, monetary: sum,
    recencyScore: rs, frequencyScore: fs, monetaryScore: ms,
    thresholds: { recency: cr, frequency: cf, monetary: cm },
  };
}

// ---------------------------------------------------------------- (d) plain JS, idiomatic

const MS_PER_DAY = 86400000;

export function plainObjects(orders) {
  const t0 = performance.now();
  const byId = new Map();
  let maxDay = -Infinity;
  for (const o of orders) {
    const day = Math.floor(o.date / MS_PER_DAY);
    let c = byId.get(o.customerId);
    if (c === undefined) {
      c = { customerId: o.customerId, lastDay: day, frequency: 0, monetary: 0 };
      byId.set(o.customerId, c);
    }
    c.frequency += 1;
    c.monetary += o.amount;
    if (day > c.lastDay) c.lastDay = day;
    if (day > maxDay) maxDay = day;
  }
  const asOf = maxDay + 1;
  const aggs = [...byId.values()];
  const t1 = performance.now();
  const cuts = (values) => cutPoints(values.sort((a, b) => a - b));
  const thresholds = {
    recency: cuts(aggs.map((c) => asOf - c.lastDay)),
    frequency: cuts(aggs.map((c) => c.frequency)),
    monetary: cuts(aggs.map((c) => c.monetary)),
  };
  const t2 = performance.now();
  const customers = aggs.map((c) => {
    const recencyDays = asOf - c.lastDay;
    return {
      customerId: c.customerId,
      recencyDays,
      frequency: c.frequency,
      monetary: c.monetary,
      recencyScore: BINS + 1 - bin(recencyDays, thresholds.recency),
      frequencyScore: bin(c.frequency, thresholds.frequency),
      monetaryScore: bin(c.monetary, thresholds.monetary),
    };
  });
  const t3 = performance.now();
  return { _phases: { aggregate: t1 - t0, sort: t2 - t1, score: t3 - t2 }, asOf, customers, thresholds };
}

// Epoch days of 1000-01-01 and 9999-12-31: the date range crmscore accepts.
const MIN_DAY = Date.UTC(1000, 0, 1) / MS_PER_DAY;
const MAX_DAY = Date.UTC(9999, 11, 31) / MS_PER_DAY;

function glue(lib) {
  const g = lib._internals?.glue;
  if (!g || typeof g.extractOrders !== "function" || typeof g.buildRfmCustomers !== "function") {
    throw new Error("crmscore's JS glue (snippets/…/glue.js with extractOrders, buildRfmCustomers) was not found");
  }
  return g;
}

/** The orders as CSV text: header c,d,a (customer index, epoch day, amount). */
function ordersCsv(d) {
  const parts = ["c,d,a\n"];
  const step = 100_000;
  for (let lo = 0; lo < d.orderCount; lo += step) {
    let chunk = "";
    for (let i = lo; i < Math.min(d.orderCount, lo + step); i++) chunk += `${d.customerIndex[i]},${d.dates[i]},${d.amounts[i]}\n`;
    parts.push(chunk);
  }
  return parts.join("");
}

/** The same orders, stably grouped by customer index (counting sort). */
function groupByCustomer(d) {
  const n = d.customerCount, m = d.orderCount;
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < m; i++) start[d.customerIndex[i] + 1]++;
  for (let c = 0; c < n; c++) start[c + 1] += start[c];
  const customerIndex = new Uint32Array(m), dates = new Int32Array(m), amounts = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = start[d.customerIndex[i]]++;
    customerIndex[j] = d.customerIndex[i];
    dates[j] = d.dates[i];
    amounts[j] = d.amounts[i];
  }
  return { customerIndex, dates, amounts };
}

// ---------------------------------------------------------------- peers: DuckDB-wasm, Arquero

const PROBS = Array.from({ length: BINS - 1 }, (_, k) => (k + 1) / BINS); // 0.2 … 0.8
const P_SQL = `[${PROBS.join(", ")}]`;
/** SQL: 1 + number of cut points (a DOUBLE[] column) strictly below x. */
const binSql = (x, q) => `1 + ${PROBS.map((_, k) => `(${x} > ${q}[${k + 1}])::INTEGER`).join(" + ")}`;

/** Typed order columns → a DuckDB table `orders(c UINTEGER, d INTEGER, a DOUBLE)` via Arrow. */
async function duckOrders(input, name = "orders") {
  const db = await loadDuckDb();
  const d = input.data;
  await db.insertColumns(name, { c: d.customerIndex, d: d.dates, a: d.amounts });
  return db;
}

/** An Arrow result's column as a JS typed array (one contiguous copy). */
const col = (t, name) => t.getChild(name).toArray();

/**
 * RFM the way an analyst writes it in DuckDB: aggregate once into a temporary table, the type-7
 * cut points with quantile_cont (the same convention as crmscore's default), scores by counting
 * the cut points below each value; results read back into typed arrays.
 */
async function duckQuantile(db, n) {
  await db.query(`CREATE OR REPLACE TEMP TABLE agg AS
    WITH g AS (SELECT c, max(d) AS last, count(*)::DOUBLE AS f, sum(a) AS m FROM orders GROUP BY c)
    SELECT c, ((SELECT max(last) FROM g) + 1 - last)::DOUBLE AS r, f, m FROM g`);
  await db.query(`CREATE OR REPLACE TEMP TABLE cuts AS
    SELECT quantile_cont(r, ${P_SQL}) AS qr, quantile_cont(f, ${P_SQL}) AS qf, quantile_cont(m, ${P_SQL}) AS qm FROM agg`);
  const q = await db.query(`SELECT qr, qf, qm FROM cuts`);
  const cuts = (k) => Array.from(q.getChild(k).get(0).toArray());
  const t = await db.query(`SELECT c,
      (${BINS + 1} - (${binSql("r", "qr")}))::UTINYINT AS rs,
      (${binSql("f", "qf")})::UTINYINT AS fs,
      (${binSql("m", "qm")})::UTINYINT AS ms
    FROM agg, cuts`);
  return {
    ...byCustomer(n, col(t, "c"), col(t, "rs"), col(t, "fs"), col(t, "ms")),
    thresholds: { recency: cuts("qr"), frequency: cuts("qf"), monetary: cuts("qm") },
  };
}

/** RFM with NTILE(5): ties are split across tiles (a different convention: not verified). */
async function duckNtile(db, n) {
  const t = await db.query(`WITH g AS (SELECT c, max(d) AS last, count(*) AS f, sum(a) AS m FROM orders GROUP BY c)
    SELECT c, ntile(${BINS}) OVER (ORDER BY last)::UTINYINT AS rs, ntile(${BINS}) OVER (ORDER BY f)::UTINYINT AS fs,
      ntile(${BINS}) OVER (ORDER BY m)::UTINYINT AS ms FROM g`);
  return byCustomer(n, col(t, "c"), col(t, "rs"), col(t, "fs"), col(t, "ms"));
}

/** Score columns in any customer order → columns by customer index. */
function byCustomer(n, c, rs, fs, ms) {
  const out = { recencyScore: new Uint8Array(n), frequencyScore: new Uint8Array(n), monetaryScore: new Uint8Array(n) };
  for (let i = 0; i < c.length; i++) {
    const k = c[i];
    out.recencyScore[k] = rs[i];
    out.frequencyScore[k] = fs[i];
    out.monetaryScore[k] = ms[i];
  }
  return out;
}

/** RFM in Arquero: groupby/rollup, quantile cut points, scores derived with the cuts as params. */
function arqueroRfm(aq, d) {
  const { op } = aq;
  const agg = aq
    .table({ c: d.customerIndex, d: d.dates, a: d.amounts })
    .groupby("c")
    .rollup({ last: op.max("d"), f: op.count(), m: op.sum("a") });
  const asOf = agg.rollup({ x: op.max("last") }).get("x", 0) + 1;
  const base = agg.params({ asOf }).derive({ r: (row, $) => $.asOf - row.last });
  const q = base.rollup(Object.fromEntries(["r", "f", "m"].flatMap((k) => PROBS.map((p, i) => [`${k}${i}`, op.quantile(k, p)]))));
  const cuts = (k) => PROBS.map((_, i) => q.get(`${k}${i}`, 0));
  const thresholds = { recency: cuts("r"), frequency: cuts("f"), monetary: cuts("m") };
  const scored = base.params({ cr: thresholds.recency, cf: thresholds.frequency, cm: thresholds.monetary }).derive({
    rs: (row, $) => 6 - (1 + (row.r > $.cr[0]) + (row.r > $.cr[1]) + (row.r > $.cr[2]) + (row.r > $.cr[3])),
    fs: (row, $) => 1 + (row.f > $.cf[0]) + (row.f > $.cf[1]) + (row.f > $.cf[2]) + (row.f > $.cf[3]),
    ms: (row, $) => 1 + (row.m > $.cm[0]) + (row.m > $.cm[1]) + (row.m > $.cm[2]) + (row.m > $.cm[3]),
  });
  return { ...byCustomer(d.customerCount, scored.array("c"), scored.array("rs"), scored.array("fs"), scored.array("ms")), thresholds };
}

// ---------------------------------------------------------------- result → score columns

const columnScores = (r) => ({ recency: r.recencyScore, frequency: r.frequencyScore, monetary: r.monetaryScore });

/** Object results (crmscore `rfm`, plain idiomatic) → score columns by customer index. */
function objectScores(r, input) {
  const n = input.data.customerCount;
  const out = { recency: new Uint8Array(n), frequency: new Uint8Array(n), monetary: new Uint8Array(n) };
  for (const c of r.customers) {
    const i = indexOfId(c.customerId);
    out.recency[i] = c.recencyScore;
    out.frequency[i] = c.frequencyScore;
    out.monetary[i] = c.monetaryScore;
  }
  return out;
}

const thresholds = (r) => r.thresholds;

// ---------------------------------------------------------------- implementations

export const impls = [
  {
    id: "crm-columnar",
    label: "crmscore `rfmColumnar` (segments: [])",
    input: "columnar",
    baseline: true,
    verify: true,
    run: (lib, { data: d }) =>
      lib.rfmColumnar(d.customerIndex, d.dates, d.amounts, { customerCount: d.customerCount, segments: [] }),
    scores: columnScores,
    thresholds,
  },
  {
    id: "crm-columnar-seg",
    label: "crmscore `rfmColumnar` (default segments)",
    input: "columnar",
    verify: true,
    run: (lib, { data: d }) => lib.rfmColumnar(d.customerIndex, d.dates, d.amounts, { customerCount: d.customerCount }),
    scores: columnScores,
    thresholds,
  },
  {
    id: "crm-objects",
    label: "crmscore `rfm` (order objects)",
    input: "objects",
    verify: true,
    run: (lib, { objects }) => lib.rfm(objects),
    scores: objectScores,
    thresholds,
  },
  {
    id: "js-typed",
    label: "plain JS, typed arrays",
    input: "columnar",
    verify: true,
    run: (lib, { data: d }) => plainTyped(d.customerIndex, d.dates, d.amounts, d.customerCount),
    scores: columnScores,
    thresholds,
  },
  {
    id: "js-objects",
    label: "plain JS, objects + Map",
    input: "objects",
    verify: true,
    run: (lib, { objects }) => plainObjects(objects),
    scores: objectScores,
    thresholds,
  },
  {
    id: "duckdb-quantile",
    label: "DuckDB-wasm SQL: GROUP BY + `quantile_cont` cut points (table loaded from Arrow, untimed)",
    input: "columnar",
    envs: ["browser"],
    async: true,
    verify: "scores",
    note: "@duckdb/duckdb-wasm (eh bundle, its Web Worker, single-threaded). Orders loaded once, untimed, from the typed arrays through Arrow (the load is timed apart below). Timed: CREATE TEMP TABLE of the per-customer aggregates, one quantile_cont query for the 12 cut points, one query for the scores, scores read back into typed arrays.",
    prepare: async (lib, input) => void (input.duck = await duckOrders(input)),
    run: (lib, input) => duckQuantile(input.duck, input.data.customerCount),
    scores: columnScores,
    thresholds,
  },
  {
    id: "duckdb-ntile",
    label: "DuckDB-wasm SQL: GROUP BY + `NTILE(5)` windows (not comparable: ties split)",
    input: "columnar",
    envs: ["browser"],
    async: true,
    note: "NTILE(5) OVER (ORDER BY …) puts equal values in different tiles (frequency has many ties), so its scores differ from quantile cut points by design; timed for comparison only.",
    prepare: async (lib, input) => void (input.duck = await duckOrders(input)),
    run: (lib, input) => duckNtile(input.duck, input.data.customerCount),
  },
  {
    id: "arquero",
    label: "Arquero: groupby/rollup, `op.quantile` cut points, derive",
    input: "columnar",
    verify: "scores",
    note: "arquero 8.0.3 on a table made from the same typed arrays (no copy); scores read back with table.array().",
    prepare: async (lib, input) => void (input.aq = await loadArquero()),
    run: (lib, input) => arqueroRfm(input.aq, input.data),
    scores: columnScores,
    thresholds,
  },
  // ---- loading the same orders into each tool (the other rows take them already loaded) ----
  {
    id: "load-duckdb-arrow",
    label: "↳ load: typed arrays → Arrow → DuckDB-wasm table (`insertArrowTable`)",
    input: "columnar",
    breakdown: true,
    envs: ["browser"],
    async: true,
    note: "What the DuckDB rows need before their first query: arrow.tableFromArrays on the 3 columns, then insertArrowTable (IPC to the worker, table created). crmscore copies the typed arrays into wasm memory inside every call (its rows include that).",
    prepare: async (lib, input) => void (input.duck = await loadDuckDb()),
    run: (lib, input) => duckOrders(input, "orders_load"),
  },
  {
    id: "load-duckdb-objects",
    label: "↳ load: order objects → Arrow (`tableFromJSON`) → DuckDB-wasm table",
    input: "objects",
    breakdown: true,
    envs: ["browser"],
    async: true,
    note: "The object path for DuckDB: the same { customerId, date, amount } objects crmscore `rfm` takes, turned into an Arrow table by apache-arrow's tableFromJSON and inserted; compare with `rfm` (objects), which includes reading them.",
    prepare: async (lib, input) => void (input.duck = await loadDuckDb()),
    run: async (lib, { duck, objects }) => {
      await duck.query("DROP TABLE IF EXISTS orders_obj");
      await duck.conn.insertArrowTable(duck.arrow.tableFromJSON(objects), { name: "orders_obj", create: true });
    },
  },
  {
    id: "load-duckdb-csv",
    label: "↳ load: CSV text → DuckDB-wasm table (`registerFileText` + `read_csv`)",
    input: "csv",
    breakdown: true,
    envs: ["browser"],
    async: true,
    note: "The same orders as CSV text (made untimed, as if read from a file input): registered with DuckDB and parsed by read_csv into a table.",
    prepare: async (lib, input) => {
      input.duck = await loadDuckDb();
      input.csv = ordersCsv(input.data);
    },
    run: async (lib, { duck, csv }) => {
      await duck.db.registerFileText("orders.csv", csv);
      await duck.query(`CREATE OR REPLACE TABLE orders_csv AS SELECT * FROM read_csv('orders.csv', header = true, columns = {'c': 'UINTEGER', 'd': 'INTEGER', 'a': 'DOUBLE'})`);
      await duck.db.dropFile("orders.csv");
    },
  },
  // ---- breakdown of crmscore `rfmColumnar` (segments: []), as far as JS can see into it ----
  {
    id: "bd-copy",
    label: "↳ memcpy of the 3 input columns in JS (`.set` into preallocated arrays)",
    input: "columnar",
    breakdown: true,
    note: "What copying the inputs costs at least: crmscore copies them into wasm memory (in chunks of rows).",
    prepare: (lib, input) => {
      const d = input.data;
      input.copyTo = [new Uint32Array(d.orderCount), new Int32Array(d.orderCount), new Float64Array(d.orderCount)];
      for (const a of input.copyTo) a.fill(0); // touch the pages before timing
    },
    run: (lib, { data: d, copyTo: [c, t, a] }) => {
      c.set(d.customerIndex);
      t.set(d.dates);
      a.set(d.amounts);
      return c;
    },
  },
  {
    id: "bd-fixed-cuts",
    label: "↳ `rfmColumnar` with the cut points given (`cuts`: no quantiles)",
    input: "columnar",
    breakdown: true,
    verify: true,
    note: "Same call with options.cuts = the thresholds it computes: the difference is the quantile step.",
    prepare: (lib, input) => {
      const d = input.data;
      const r = lib.rfmColumnar(d.customerIndex, d.dates, d.amounts, { customerCount: d.customerCount, segments: [] });
      input.fixedCuts = r.thresholds;
    },
    run: (lib, { data: d, fixedCuts }) =>
      lib.rfmColumnar(d.customerIndex, d.dates, d.amounts, { customerCount: d.customerCount, segments: [], cuts: fixedCuts }),
    scores: columnScores,
    thresholds,
  },
  {
    id: "bd-tenth",
    label: "↳ `rfmColumnar` on the first 10% of the orders (same customerCount)",
    input: "columnar",
    breakdown: true,
    note: "Per-order cost ≈ (full − this) / (0.9 × orders); the rest of the full call is per-customer work.",
    run: (lib, { data: d }) => {
      const k = Math.floor(d.orderCount / 10);
      return lib.rfmColumnar(d.customerIndex.subarray(0, k), d.dates.subarray(0, k), d.amounts.subarray(0, k), {
        customerCount: d.customerCount,
        segments: [],
      });
    },
  },
  {
    id: "bd-grouped",
    label: "↳ `rfmColumnar` on the same orders grouped by customer (sequential access)",
    input: "columnar",
    breakdown: true,
    verify: true,
    note: "Same orders, same scores, but each customer's orders are adjacent: the gap to the full call is the cost of random access into the per-customer table.",
    prepare: (lib, input) => {
      input.grouped = groupByCustomer(input.data);
    },
    run: (lib, { data: d, grouped: g }) =>
      lib.rfmColumnar(g.customerIndex, g.dates, g.amounts, { customerCount: d.customerCount, segments: [] }),
    scores: columnScores,
    thresholds,
  },
  // ---- breakdown of crmscore `rfm` (order objects): its two JS halves, timed alone ----
  {
    id: "bd-obj-extract",
    label: "↳ `rfm`, JS part 1: glue `extractOrders` (order objects → columns, ids interned in a Map)",
    input: "objects",
    breakdown: true,
    envs: ["browser"], // ~80 s in Node at 10M orders; the object path matters most in the page
    note: "crmscore's own JS glue function (an internal of the package), called directly on the same objects.",
    run: (lib, { objects }) => glue(lib).extractOrders(objects, MIN_DAY, MAX_DAY),
  },
  {
    id: "bd-obj-build",
    label: "↳ `rfm`, JS part 2: glue `buildRfmCustomers` (result columns → customer objects)",
    input: "columnar",
    breakdown: true,
    envs: ["browser"],
    note: "crmscore's own JS glue function, on result columns of the same size; `rfm` − part 1 − part 2 ≈ the wasm side (copying the columns in, aggregating, scoring, summaries).",
    prepare: (lib, input) => {
      glue(lib);
      const d = input.data;
      const r = lib.rfmColumnar(d.customerIndex, d.dates, d.amounts, { customerCount: d.customerCount });
      input.built = { ids: customerIds(d.customerCount), r };
    },
    run: (lib, { built: { ids, r } }) =>
      glue(lib).buildRfmCustomers(ids, r.recencyDays, new Float64Array(r.frequency), r.monetary, r.recencyScore, r.frequencyScore,
        r.monetaryScore, r.segment, r.segmentNames),
  },
];

// ---------------------------------------------------------------- derived breakdown

/**
 * Where the time of `rfmColumnar` (and of `rfm` on objects) goes, from the breakdown rows of
 * one env × size: rows are { implId, median, min, max } in ms. Rows run in separate
 * processes, so a difference smaller than the rows' run-to-run spread is reported as such.
 */
export function summarize(rows, size) {
  const t = Object.fromEntries(rows.map((r) => [r.implId, r]));
  const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
  /** a − b, or "≈ 0" when that is within half the sum of their min–max spreads. */
  const diff = (a, b) => {
    const d = a.median - b.median;
    const noise = (a.max - a.min + (b.max - b.min)) / 2;
    return Math.abs(d) > noise ? `${f(d)} ms` : `≈ 0 (${f(d)} ms, within the ±${f(noise)} ms spread)`;
  };
  const lines = [];
  // Below ~20 ms, differences between rows (separate processes) are mostly noise.
  const full = t["crm-columnar"];
  if (full && full.median >= 20) {
    const out = [];
    if (t["bd-tenth"]) {
      const perOrder = (full.median - t["bd-tenth"].median) / (0.9 * size.orders);
      const orders = perOrder * size.orders;
      out.push(
        `per order ≈ ${(perOrder * 1e6).toFixed(1)} ns → ${f(orders)} ms for ${size.orders.toLocaleString("en-US")} orders ` +
          `(copy in + validate + aggregate); per-customer and fixed work ≈ ${f(full.median - orders)} ms`,
      );
    }
    if (t["bd-copy"]) out.push(`input columns memcpy in JS: ${f(t["bd-copy"].median)} ms`);
    if (t["bd-fixed-cuts"]) out.push(`quantile step (full − given cuts): ${diff(full, t["bd-fixed-cuts"])}`);
    if (t["bd-grouped"]) out.push(`random access into the per-customer table (full − orders grouped by customer): ${diff(full, t["bd-grouped"])}`);
    if (t["crm-columnar-seg"]) out.push(`default segments on top: ${diff(t["crm-columnar-seg"], full)}`);
    if (out.length) lines.push(`rfmColumnar ${f(full.median)} ms: ${out.join("; ")}.`);
  }
  const obj = t["crm-objects"], ex = t["bd-obj-extract"], bu = t["bd-obj-build"];
  if (obj && obj.median >= 20 && ex && bu) {
    const rest = obj.median - ex.median - bu.median;
    const noise = (obj.max - obj.min + (ex.max - ex.min)) / 2;
    lines.push(
      `rfm (objects) ${f(obj.median)} ms (${f(obj.min)}–${f(obj.max)}): JS glue reading the objects ${f(ex.median)} ms ` +
        `(${f(ex.min)}–${f(ex.max)}), JS glue building the customer objects ${f(bu.median)} ms; the rest (wasm side: copying ` +
        `the columns in, aggregating, scoring, summaries) ` +
        (Math.abs(rest) > noise ? `≈ ${f(rest)} ms.` : `is within the run-to-run spread of these rows (${f(rest)} ± ${f(noise)} ms).`),
    );
  }
  return lines;
}
