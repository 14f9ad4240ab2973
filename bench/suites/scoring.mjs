// Suite "scoring": re-scoring every customer after a weight change — crmscore `Scorer`
// (`setWeights` + `tiers()` + `tierCounts()`) against a plain-JS loop computing the same thing.
//
// Data: n customers × 8 numeric fields f0..f7 (seeded, no missing values). Model: 8 indicators,
// two each of linear, percentile, log and bands scales; tiers A ≥ 80, B ≥ 60, C ≥ 40, D.
// Percentiles (and all other fractions) are computed once per data set, untimed: by
// `new Scorer(...)` for crmscore, in `prepare` for the plain-JS rows.
//
// Every timed call uses the next of 8 fixed weight vectors (each row counts its own calls from
// 0), so consecutive calls always differ. The harness stops rows after different numbers of
// calls, so verification does not compare the last timed results directly: `scores()` re-runs
// (untimed) all 8 vectors on the row's own state (for crmscore: the same Scorer, after all the
// timed calls), checks that the last timed result equals the re-run of its vector, and
// returns the tier of every customer for every vector; `thresholds()` adds the tier counts.
// The plain-JS baseline reproduces crmscore's arithmetic exactly: fractions stored as float32,
// Σ w_k × f_k accumulated in float64 in indicator order, rounded half-to-even at 1e-4.
//
// `probe` (untimed, after the timed calls; crmscore row only): 1,000 more setWeights + tiers()
// + tierCounts() calls; the harness reads JS heap, RSS and wasm memory before and after
// (after a GC), and `summarize` reports whether they grew.

import { Sfc32 } from "../data.mjs";
import { loadDuckDb } from "../peers/peers.mjs";

export const name = "scoring";
export const description =
  "Re-scoring after a weight change: crmscore `Scorer.setWeights` + `tiers()` + `tierCounts()` vs a plain-JS loop (8 indicators, 4 tiers)";
// Labels for the results table (see run.mjs).
export const table = {
  size: "customers × indicators",
  ratio: "vs crmscore",
  ratioTo: "crm-scorer",
  agree: "identical tier per customer and tier counts, for each of the 8 weight vectors",
  summary: "Target and memory (↳ rows are medians of separate runs; memory: the crmscore row, 1,000 extra calls after the timed ones)",
};

export const sizes = [
  { id: "100k", customers: 100_000, label: "100,000 × 8", quick: true },
  // A 1M row costs a few seconds (data generation + percentiles dominate), so it runs under --quick too.
  { id: "1M", customers: 1_000_000, label: "1,000,000 × 8", quick: true },
];

const SEED = 20240917;
const K = 8;
const PROBE_CALLS = 1000;

// ---------------------------------------------------------------- model and weights

export const MODEL = {
  name: "bench",
  indicators: [
    { id: "engagement", field: "f0", weight: 20, scale: { type: "linear", min: 0, max: 100 } },
    { id: "spend", field: "f1", weight: 15, scale: { type: "percentile" } },
    { id: "lifetimeValue", field: "f2", weight: 15, scale: { type: "log", max: 5000 } },
    { id: "orders", field: "f3", weight: 10, scale: { type: "bands", bands: [[50, 1], [20, 0.75], [10, 0.5], [3, 0.2]] } },
    { id: "tenure", field: "f4", weight: 10, scale: { type: "percentile" } },
    { id: "openRate", field: "f5", weight: 10, scale: { type: "linear", min: 0, max: 1 } },
    { id: "visits", field: "f6", weight: 10, scale: { type: "log", max: 100 } },
    { id: "satisfaction", field: "f7", weight: 10, scale: { type: "bands", bands: [[0.9, 1], [0.6, 0.6], [0.3, 0.3]] } },
  ],
  tiers: [
    { label: "A", min: 80 },
    { label: "B", min: 60 },
    { label: "C", min: 40 },
    { label: "D", min: null },
  ],
};

/** Tier thresholds, top first (all tiers but the last). */
const THRESHOLDS = MODEL.tiers.slice(0, -1).map((t) => t.min);

/** The weight vectors timed calls rotate through (each sums to 100; consecutive ones differ). */
export const WEIGHTS = [
  [20, 15, 15, 10, 10, 10, 10, 10],
  [10, 10, 10, 10, 15, 15, 15, 15],
  [30, 10, 10, 10, 10, 10, 10, 10],
  [5, 25, 5, 25, 5, 15, 5, 15],
  [12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5],
  [40, 0, 20, 0, 20, 0, 20, 0],
  [0, 30, 0, 30, 0, 20, 0, 20],
  [17.5, 2.5, 22.5, 7.5, 12.5, 15, 10, 12.5],
].map((w) => Float64Array.from(w));

// ---------------------------------------------------------------- data


/** The 8 field columns f0..f7 (Float64Array, no NaN), deterministic for (n, seed). */
export function generateFields(n, seed = SEED) {
  const prng = new Sfc32(seed);
  const u = () => prng.next() * 2.3283064365386963e-10; // [0, 1)
  const cols = Array.from({ length: K }, () => new Float64Array(n));
  const [f0, f1, f2, f3, f4, f5, f6, f7] = cols;
  for (let i = 0; i < n; i++) {
    f0[i] = Math.round((u() * 120 - 10) * 10) / 10; // engagement −10..110 (clamped by the linear scale)
    const z = u() + u() + u() + u() - 2; // ≈ normal, sd ≈ 0.58
    f1[i] = Math.round(Math.exp(4 + 2 * z) * 100) / 100; // spend, log-normal-ish, cents (ties)
    f2[i] = Math.round(Math.expm1(u() * 9.5)); // lifetime value 0..13,000 (log scale clamps above 5,000)
    const v = u();
    f3[i] = Math.floor(60 * v * v * v); // orders 0..59 (bands)
    f4[i] = Math.floor(u() * 121); // tenure in months 0..120: many ties for the percentile
    f5[i] = u(); // open rate 0..1
    const w = u();
    f6[i] = Math.floor(200 * w * w); // visits 0..199 (log scale clamps above 100)
    f7[i] = Math.round(u() * 100) / 100; // satisfaction 0..1 (bands)
  }
  return cols;
}

export function load(size) {
  const t = performance.now();
  const cols = generateFields(size.customers);
  return { input: { cols, n: size.customers }, loadMs: { generate: performance.now() - t } };
}

// ---------------------------------------------------------------- plain JS scaling (once per data set)

/** Mid-rank percentile of every value: (#below + (#equal − 1)/2) / (n − 1); 1 when n = 1. */
export function percentiles(col) {
  const n = col.length;
  const sorted = Float64Array.from(col).sort();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = col[i];
    let lo = 0, hi = n; // first index with sorted[j] >= x
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m] < x) lo = m + 1;
      else hi = m;
    }
    const below = lo;
    hi = n; // first index with sorted[j] > x
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m] <= x) lo = m + 1;
      else hi = m;
    }
    const equal = lo - below;
    out[i] = n === 1 ? 1 : (below + (equal - 1) / 2) / (n - 1);
  }
  return out;
}

const clamp01 = (x) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** One indicator's fraction for value x (same formulas as crmscore's scales). */
function scaleFn(scale) {
  switch (scale.type) {
    case "linear":
      return (x) => clamp01((x - scale.min) / (scale.max - scale.min));
    case "log": {
      const d = Math.log1p(scale.max);
      return (x) => clamp01(Math.log1p(Math.max(x, 0)) / d);
    }
    case "bands":
      return (x) => {
        for (const [t, f] of scale.bands) if (x >= t) return f;
        return 0;
      };
    default:
      throw new Error(`scale ${scale.type} not handled here`);
  }
}

/** The 8 fraction columns, as Float32Array (crmscore's storage) or Float64Array. */
export function fractions(cols, Type) {
  return MODEL.indicators.map((ind, k) => {
    const src = ind.scale.type === "percentile" ? percentiles(cols[k]) : cols[k];
    const f = ind.scale.type === "percentile" ? (x) => x : scaleFn(ind.scale);
    const out = new Type(src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
    return out;
  });
}

/** Round half to even (Math.round rounds halves up). */
function roundHalfEven(x) {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** crmscore's score rounding: to 4 decimals, ties to even. */
export const round4 = (x) => roundHalfEven(x * 1e4) / 1e4;

// ---------------------------------------------------------------- the plain-JS loops (timed)

/**
 * Scores (into `scores`), tier per customer and tier counts for weights w, from 8 fraction
 * columns; `round` = round the score to 4 decimals like crmscore.
 */
function scoreLoop(c, w, scores, round) {
  const n = scores.length;
  const [c0, c1, c2, c3, c4, c5, c6, c7] = c;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = w;
  const [t0, t1, t2] = THRESHOLDS;
  const tiers = new Uint8Array(n);
  let n0 = 0, n1 = 0, n2 = 0, n3 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    s += w0 * c0[i];
    s += w1 * c1[i];
    s += w2 * c2[i];
    s += w3 * c3[i];
    s += w4 * c4[i];
    s += w5 * c5[i];
    s += w6 * c6[i];
    s += w7 * c7[i];
    if (round) s = round4(s);
    scores[i] = s;
    // Tier = first with score ≥ min.
    if (s >= t0) n0++;
    else if (s >= t1) (tiers[i] = 1), n1++;
    else if (s >= t2) (tiers[i] = 2), n2++;
    else (tiers[i] = 3), n3++;
  }
  return { tiers, counts: Uint32Array.of(n0, n1, n2, n3) };
}

/** Σ w_k × col_k into `out` (no rounding, no tiers). */
function sumLoop(c, w, out) {
  const n = out.length;
  const [c0, c1, c2, c3, c4, c5, c6, c7] = c;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = w;
  for (let i = 0; i < n; i++) {
    out[i] = w0 * c0[i] + w1 * c1[i] + w2 * c2[i] + w3 * c3[i] + w4 * c4[i] + w5 * c5[i] + w6 * c6[i] + w7 * c7[i];
  }
  return out;
}

// ---------------------------------------------------------------- DuckDB-wasm: re-running the SQL

/** A number as an exact DOUBLE literal (a plain literal like 12.5 would be a DECIMAL). */
const dbl = (x) => `${x}::DOUBLE`;

/**
 * The re-tier query for weights w over the table `fr` (the 8 float32 fraction columns): the
 * same arithmetic as crmscore — Σ w_k × f_k in DOUBLE, in indicator order, rounded half-to-even
 * at 1e-4 — and the tier index by the thresholds, one UTINYINT per customer in table order.
 */
function retierSql(w) {
  const sum = Array.from(w, (x, k) => `${dbl(x)} * f${k}`).join(" + ");
  const [t0, t1, t2] = THRESHOLDS.map(dbl);
  return `SELECT (CASE WHEN s >= ${t0} THEN 0 WHEN s >= ${t1} THEN 1 WHEN s >= ${t2} THEN 2 ELSE 3 END)::UTINYINT AS t FROM (
    SELECT (CASE WHEN r - x = 0.5::DOUBLE AND r % 2 <> 0 THEN r - 1 ELSE r END) / 10000::DOUBLE AS s FROM (
      SELECT round(x) AS r, x FROM (SELECT (${sum}) * 10000::DOUBLE AS x FROM fr)))`;
}

/** Runs the re-tier query; tiers back into a Uint8Array, counts counted in JS. */
async function duckRetier(db, w) {
  const t = await db.query(retierSql(w));
  const tiers = t.getChild("t").toArray();
  const counts = new Uint32Array(4);
  for (let i = 0; i < tiers.length; i++) counts[tiers[i]]++;
  return { tiers, counts };
}

// ---------------------------------------------------------------- verification

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Tiers for every weight vector (untimed), via `compute(w) → { tiers, counts }` on the row's
 * own state; checks that the last timed result equals the re-run of its weight vector.
 */
function allTiers(result, compute, who) {
  const out = {};
  const counts = {};
  for (let j = 0; j < WEIGHTS.length; j++) {
    const r = compute(WEIGHTS[j]);
    if (j === result.k && !(same(r.tiers, result.tiers) && same(r.counts, result.counts))) {
      throw new Error(`${who}: the last timed call (weights #${j}) differs from a re-run with the same weights`);
    }
    out[`w${j}`] = r.tiers;
    counts[`w${j}`] = Array.from(r.counts);
  }
  result.allCounts = counts;
  return out;
}
const tierCounts = (result) => result.allCounts;

/** allTiers for an async `compute` (DuckDB). */
async function allTiersAsync(result, compute, who) {
  const done = [];
  for (const w of WEIGHTS) done.push(await compute(w));
  let j = 0;
  return allTiers(result, () => done[j++], who);
}

/** The next weight vector of this row (rotating; each row counts its own calls). */
function nextWeights(input) {
  const k = input.calls++ % WEIGHTS.length;
  return [k, WEIGHTS[k]];
}

// ---------------------------------------------------------------- implementations

export const impls = [
  {
    id: "crm-scorer",
    label: "crmscore `Scorer`: `setWeights` + `tiers()` + `tierCounts()`",
    input: "columns",
    verify: true,
    note: "`new Scorer({ columns }, model)` once per data set (untimed: reads the columns, percentiles, float32 fraction columns in wasm memory); timed: one weight change and reading the tiers (a new Uint8Array) and counts.",
    prepare: (lib, input) => {
      input.scorer = new lib.Scorer({ columns: Object.fromEntries(input.cols.map((c, k) => [`f${k}`, c])) }, MODEL);
      input.calls = 0;
    },
    run: (lib, input) => {
      const [k, w] = nextWeights(input);
      const s = input.scorer;
      s.setWeights(w);
      return { k, tiers: s.tiers(), counts: s.tierCounts() };
    },
    scores: (result, input) =>
      allTiers(result, (w) => (input.scorer.setWeights(w), { tiers: input.scorer.tiers(), counts: input.scorer.tierCounts() }), "crmscore"),
    thresholds: tierCounts,
    /** 1,000 more calls (untimed); the harness reads memory before and after. */
    probe: (lib, input) => {
      const s = input.scorer;
      const mem = lib._internals?.memory;
      const wasmAt = {};
      const t0 = performance.now();
      let sum = 0;
      for (let c = 1; c <= PROBE_CALLS; c++) {
        s.setWeights(WEIGHTS[c % WEIGHTS.length]);
        const t = s.tiers();
        sum += t[c % t.length] + s.tierCounts()[0];
        if (mem && (c === 1 || c === 10 || c === 100 || c === PROBE_CALLS)) wasmAt[c] = mem.buffer.byteLength;
      }
      return { calls: PROBE_CALLS, ms: performance.now() - t0, wasmAt, sum };
    },
  },
  {
    id: "js-loop",
    label: "plain JS loop (float32 fractions, rounded like crmscore)",
    input: "columns",
    baseline: true,
    note: "Fractions pre-scaled once (untimed) into 8 Float32Arrays with the same scales and mid-rank percentiles; timed: Σ w_k × f_k in float64 in indicator order, round half-to-even at 1e-4, tier by the thresholds, counts — bit-identical to crmscore.",
    prepare: (lib, input) => {
      input.f32 = fractions(input.cols, Float32Array);
      input.scoresOut = new Float64Array(input.n);
      input.calls = 0;
    },
    run: (lib, input) => {
      const [k, w] = nextWeights(input);
      return { k, ...scoreLoop(input.f32, w, input.scoresOut, true) };
    },
    scores: (result, input) => allTiers(result, (w) => scoreLoop(input.f32, w, input.scoresOut, true), "plain JS"),
    thresholds: tierCounts,
  },
  {
    id: "duckdb-sql",
    label: "DuckDB-wasm: re-run the scoring SQL with the new weights",
    input: "columns",
    envs: ["browser"],
    async: true,
    verify: true,
    note: "@duckdb/duckdb-wasm (eh bundle, Web Worker). Untimed, once per data set: the same 8 float32 fraction columns as the plain-JS row, loaded through Arrow into a table. Timed: one query with the weights inlined (Σ w_k × f_k in DOUBLE, half-to-even rounding at 1e-4, CASE for the tier), the tier column read back as a Uint8Array, counts counted in JS.",
    prepare: async (lib, input) => {
      input.duck = await loadDuckDb();
      const f32 = fractions(input.cols, Float32Array);
      await input.duck.insertColumns("fr", Object.fromEntries(f32.map((c, k) => [`f${k}`, c])));
      input.calls = 0;
    },
    run: async (lib, input) => {
      const [k, w] = nextWeights(input);
      return { k, ...(await duckRetier(input.duck, w)) };
    },
    scores: (result) => result.verified,
    thresholds: tierCounts,
    /** Verification re-runs all 8 weight vectors, which is async here: done after the timed calls. */
    verifyAsync: async (result, input) => {
      result.verified = await allTiersAsync(result, (w) => duckRetier(input.duck, w), "DuckDB");
    },
  },
  // ---- loading the data set (untimed in the rows above) ----
  {
    id: "load-crm-scorer",
    label: "↳ load: `new Scorer` (8 Float64Array columns → wasm, percentiles, float32 fractions) + `free()`",
    input: "columns",
    breakdown: true,
    note: "What the crmscore row does once per data set, before the first weight change.",
    run: (lib, input) => {
      const s = new lib.Scorer({ columns: Object.fromEntries(input.cols.map((c, k) => [`f${k}`, c])) }, MODEL);
      const n = s.length;
      s.free();
      return n;
    },
  },
  {
    id: "load-duckdb",
    label: "↳ load: 8 float32 fraction columns → Arrow → DuckDB-wasm table (fractions computed in JS beforehand)",
    input: "columns",
    breakdown: true,
    envs: ["browser"],
    async: true,
    note: "What the DuckDB row does once per data set: insertArrowTable of the fraction columns (their scaling and percentiles, computed in JS as for the plain-JS row, are not included).",
    prepare: async (lib, input) => {
      input.duck = await loadDuckDb();
      input.f32 = fractions(input.cols, Float32Array);
    },
    run: (lib, input) => input.duck.insertColumns("fr_load", Object.fromEntries(input.f32.map((c, k) => [`f${k}`, c]))),
  },
  // ---- for context (not verified) ----
  {
    id: "bd-crm-setweights",
    label: "↳ crmscore `setWeights` alone (no `tiers()` / `tierCounts()`)",
    input: "columns",
    breakdown: true,
    note: "The scoring pass inside wasm (scores, tiers and counts are all computed here); the full row − this ≈ copying the tiers out to JS.",
    prepare: (lib, input) => {
      input.scorer = new lib.Scorer({ columns: Object.fromEntries(input.cols.map((c, k) => [`f${k}`, c])) }, MODEL);
      input.calls = 0;
    },
    run: (lib, input) => {
      const [k, w] = nextWeights(input);
      input.scorer.setWeights(w);
      return { k };
    },
  },
  {
    id: "bd-js-f64",
    label: "↳ plain JS loop, Float64 fractions, no rounding",
    input: "columns",
    breakdown: true,
    note: "The same loop over Float64Array fractions, without the 1e-4 rounding (tiers can differ from crmscore's at the thresholds; not verified).",
    prepare: (lib, input) => {
      input.f64 = fractions(input.cols, Float64Array);
      input.scoresOut = new Float64Array(input.n);
      input.calls = 0;
    },
    run: (lib, input) => {
      const [k, w] = nextWeights(input);
      return { k, ...scoreLoop(input.f64, w, input.scoresOut, false) };
    },
  },
  {
    id: "bd-js-sum",
    label: "↳ plain JS: sum 8 Float64Arrays (Σ w_k × col_k, no tiers)",
    input: "columns",
    breakdown: true,
    note: "Only Σ w_k × col_k over 8 Float64Array fraction columns into a preallocated Float64Array: the memory-bound floor of a JS pass over float64 columns.",
    prepare: (lib, input) => {
      input.f64 = fractions(input.cols, Float64Array);
      input.sumOut = new Float64Array(input.n);
      input.calls = 0;
    },
    run: (lib, input) => {
      const [, w] = nextWeights(input);
      return sumLoop(input.f64, w, input.sumOut);
    },
  },
];

// ---------------------------------------------------------------- summary lines

const MiB = 1024 * 1024;
const mib = (x) => (x == null ? "–" : `${(x / MiB).toFixed(1)} MiB`);
const delta = (a, b) => (a == null || b == null ? "" : ` (${b - a >= 0 ? "+" : "−"}${(Math.abs(b - a) / MiB).toFixed(1)})`);

/**
 * Target check (issue: median ≤ 1 ms at 100k and ≤ 10 ms at 1M in Chromium), and the memory
 * probe of the crmscore row: readings before/after its 1,000 extra calls (after a GC).
 */
export function summarize(rows, size) {
  const t = Object.fromEntries(rows.map((r) => [r.implId, r]));
  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const lines = [];
  const crm = t["crm-scorer"], js = t["js-loop"];
  if (crm) {
    const target = size.customers <= 100_000 ? 1 : 10;
    let line = `crmscore Scorer median ${f(crm.median)} ms (${f(crm.min)}–${f(crm.max)}); issue target ≤ ${target} ms (set for Chromium): ${crm.median <= target ? "met" : "NOT met"}`;
    if (js) line += `; plain JS loop ${f(js.median)} ms (${(js.median / crm.median).toFixed(1)}× crmscore)`;
    if (t["bd-crm-setweights"]) line += `; setWeights alone ${f(t["bd-crm-setweights"].median)} ms`;
    lines.push(line + ".");
  }
  const p = crm?.probe;
  if (p?.before && p?.after) {
    const { before: b, after: a } = p;
    const parts = [
      `wasm memory ${mib(b.wasmMemory)} → ${mib(a.wasmMemory)}${delta(b.wasmMemory, a.wasmMemory)}` +
        (p.wasmAt && Object.keys(p.wasmAt).length ? ` [after call ${Object.entries(p.wasmAt).map(([c, x]) => `${c}: ${mib(x)}`).join(", ")}]` : ""),
      `JS heap used ${mib(b.jsHeap)} → ${mib(a.jsHeap)}${delta(b.jsHeap, a.jsHeap)}`,
    ];
    if (b.external != null) parts.push(`external ${mib(b.external)} → ${mib(a.external)}${delta(b.external, a.external)}`);
    parts.push(`RSS ${mib(b.rss)} → ${mib(a.rss)}${delta(b.rss, a.rss)}`);
    // Growth that would show a leak: wasm memory (never shrinks) at all, or JS heap / external
    // by more than 1 MiB (one 1M-customer tiers array is ~1 MiB; 1,000 leaked ones ~1 GiB).
    const grew = [];
    if (a.wasmMemory != null && b.wasmMemory != null && a.wasmMemory > b.wasmMemory) grew.push("wasm memory");
    if (a.jsHeap != null && b.jsHeap != null && a.jsHeap - b.jsHeap > MiB) grew.push("JS heap");
    if (a.external != null && b.external != null && a.external - b.external > MiB) grew.push("external");
    lines.push(
      `memory across ${p.calls.toLocaleString("en-US")} more setWeights + tiers() + tierCounts() calls ` +
        `(${(p.ms / 1000).toFixed(1)} s, ${f(p.ms / p.calls)} ms per call; after a GC): ${parts.join("; ")} — ` +
        (grew.length ? `**grew**: ${grew.join(", ")}` : "did not grow (wasm memory unchanged, JS heap/external within 1 MiB)") +
        (a.rss != null && b.rss != null && a.rss - b.rss > 16 * MiB ? `; RSS rose by ${mib(a.rss - b.rss)}` : "") +
        ".",
    );
  }
  return lines;
}
