// Suite "btyd": the CLV pipeline of issue 5 — per-customer summaries from orders
// (`summarizeColumnar`, weekly), BG/NBD fit (`fitBgNbd`), Gamma-Gamma fit (`fitGammaGamma`)
// and 12-month CLV (`clv`) — on orders simulated from the BG/NBD + Gamma-Gamma processes with
// known parameters (bench/data.mjs `generateBtydOrders`; `DESIGNS` below), so the summary can
// also say how well the fits recover them. Sizes: 100k and 1M customers with ≈ 10 orders each
// (CDNOW's parameters with rates × 10, 10 years), and 1M customers with CDNOW's parameters
// as published (2 years, ≈ 2.4 orders each: the shape of the issue's lifetimes measurement).
//
// Rows: the whole pipeline, and each step alone (↳; inputs of later steps prepared untimed),
// plus rows that split a step (grouped orders, a fit started at its optimum, CLV alone).
// There is no plain-JS implementation to compare with (writing a BG/NBD fitter in the
// benchmark would measure the benchmark): the baseline row is crmscore's pipeline itself
// ("vs pipeline"). The comparison is Python lifetimes 0.11.3 on the same orders (issue 7): the
// suite's `external` hook (bench/lifetimes.mjs, Node only) makes a pinned virtual environment
// (bench/.venv), writes the orders to bench/.data/ and runs bench/lifetimes_bench.py; its rows
// join the table as env "python", and `overview` puts the three side by side. Without Python
// (or pip) that column is skipped with a message.
//
// Verification: the pipeline row's fingerprint (fitted parameters, Σ CLV, summary totals and
// every customer's CLV decile) must be the same in Node and in Chromium.

import { generateBtydOrders } from "../data.mjs";

export const name = "btyd";
export const description =
  "CLV pipeline (summarize weekly → BG/NBD fit → Gamma-Gamma fit → 12-month CLV) on orders simulated from BG/NBD + Gamma-Gamma with known parameters; Python lifetimes on the same orders";
export const table = {
  size: "customers / orders",
  ratio: "vs pipeline",
  agree: "one fingerprint of BG/NBD and Gamma-Gamma parameters, Σ CLV, summary totals and every customer's CLV decile (Node's and Chromium's must be equal; a mismatch would be listed here)",
  summary: "Steps, where the time goes, targets",
  external: "lifetimes column",
};

/**
 * The simulated customer bases (`sizes[].data`), all observed to 2024-12-31 (epoch day 20088),
 * first purchases uniform over the acquisition window ending then. Known parameters:
 * BG/NBD CDNOW's (Fader, Hardie & Lee 2005: r 0.243, α 4.414 weeks, a 0.793, b 2.426),
 * Gamma-Gamma CDNOW's (Fader, Hardie & Lee 2005b: p 6.25, q 3.74, γ 15.44).
 *   x10:   α ÷ 10 (purchase rates × 10) over 10 years: ≈ 9.9 orders per customer, so ≈ 10M
 *          orders at 1M customers (CDNOW's own rates give ≈ 4.3 per customer over 10 years).
 *   cdnow: CDNOW's parameters as published over 2 years: ≈ 2.4 orders per customer, ≈ 42 %
 *          repeat buyers — the shape of the data behind the issue's lifetimes figures (413k
 *          repeat buyers of 1M).
 */
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };
export const DESIGNS = {
  x10: {
    what: "CDNOW's BG/NBD with α ÷ 10, 10 years of first purchases",
    known: { bgnbd: { r: 0.243, alpha: 0.4414, a: 0.793, b: 2.426 }, gammaGamma: SPEND },
    acquisitionDays: 3653, // 2015-01-01 … 2024-12-31
  },
  cdnow: {
    what: "CDNOW's BG/NBD as published, 2 years of first purchases",
    known: { bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, gammaGamma: SPEND },
    acquisitionDays: 731, // 2023-01-01 … 2024-12-31
  },
};
export const END_DAY = 20088;
export const AS_OF = "2024-12-31";
const SEED = 20050243;
/** 12 months of 30.436875 days (the mean Gregorian month) in weeks; 1 % discount per month. */
export const MONTH_WEEKS = 30.436875 / 7;
export const CLV_OPTIONS = { horizon: 12 * MONTH_WEEKS, step: MONTH_WEEKS, discountRatePerStep: 0.01 };
/** lifetimes 0.11.3's month for freq="W" (utils._customer_lifetime_value: factor 4.345). */
export const LIFETIMES_MONTH_WEEKS = 4.345;

export const sizes = [
  { id: "100k", customers: 100_000, orders: 975_575, data: "x10", label: "100,000 / 975,575", quick: true },
  { id: "1M", customers: 1_000_000, orders: 9_931_036, data: "x10", label: "1,000,000 / 9,931,036" },
  { id: "1M-cdnow", customers: 1_000_000, orders: 2_350_319, data: "cdnow", label: "1,000,000 / 2,350,319 (CDNOW rates, 2 years)" },
];

/** The generator's options for a size (also used by bench/lifetimes.mjs for the same orders). */
export const dataOptions = (size, exact = false) => ({
  customers: size.customers,
  seed: SEED,
  params: DESIGNS[size.data].known.bgnbd,
  spend: DESIGNS[size.data].known.gammaGamma,
  endDay: END_DAY,
  acquisitionDays: DESIGNS[size.data].acquisitionDays,
  unitDays: 7,
  exact,
});

export function load(size, needs) {
  const t = performance.now();
  const data = generateBtydOrders(dataOptions(size, needs.has("exact")));
  if (data.orderCount !== size.orders) throw new Error(`btyd ${size.id}: generated ${data.orderCount} orders, sizes[] says ${size.orders} (update it)`);
  const input = { data };
  if (needs.has("grouped")) input.grouped = groupByCustomer(data);
  return { input, loadMs: { generate: performance.now() - t } };
}

/** The same orders, stably grouped by customer (counting sort): each customer's orders adjacent, in date order. */
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

const summarizeWeekly = (lib, d) => lib.summarizeColumnar(d.customerIndex, d.dates, d.amounts, { unit: "week", asOf: AS_OF });

function pipeline(lib, d) {
  const summaries = summarizeWeekly(lib, d);
  const model = lib.fitBgNbd(summaries);
  const spend = lib.fitGammaGamma(summaries);
  const clv = lib.clv(model, spend, summaries, CLV_OPTIONS);
  return { summaries, model, spend, clv };
}

const sum = (a) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** CLV decile (0–9) of every summary row (rows are customers 0 … n−1: every one has orders). */
function clvDeciles(clv) {
  const sorted = clv.slice().sort();
  const cuts = [];
  for (let k = 1; k < 10; k++) cuts.push(sorted[Math.floor((k * sorted.length) / 10)]);
  const out = new Uint8Array(clv.length);
  for (let i = 0; i < clv.length; i++) {
    let d = 0;
    while (d < 9 && clv[i] >= cuts[d]) d++;
    out[i] = d;
  }
  return out;
}

const paramList = (p) => Object.values(p);

export const impls = [
  {
    id: "crm-pipeline",
    label: "crmscore pipeline: `summarizeColumnar` (weekly) → `fitBgNbd` → `fitGammaGamma` → `clv` (12 months)",
    input: "exact",
    baseline: true,
    verify: true,
    note: `Timed: the four calls on the typed order columns (customer index, epoch day, amount); CLV over 12 months of 30.436875 days (step ${MONTH_WEEKS.toFixed(6)} weeks), 1 % per month.`,
    run: (lib, { data }) => pipeline(lib, data),
    scores: (r) => ({ clvDecile: clvDeciles(r.clv) }),
    thresholds: (r) => ({
      bgnbd: paramList(r.model.params),
      gammaGamma: paramList(r.spend.params),
      clvSum: [sum(r.clv)],
      summary: [r.summaries.customer.length, sum(r.summaries.frequency), sum(r.summaries.T)],
    }),
    /** Untimed, after the runs: the figures for the summary lines (one more pipeline, the exact-summary fits). */
    probe: (lib, { data }) => {
      const { summaries: s, model, spend, clv } = pipeline(lib, data);
      let sameDay = 0;
      for (let i = 1; i < data.orderCount; i++) {
        if (data.dates[i] === data.dates[i - 1] && data.customerIndex[i] === data.customerIndex[i - 1]) sameDay++;
      }
      let repeat = 0;
      for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0) repeat++;
      const exactModel = lib.fitBgNbd(data.exact, { unit: "week" });
      const exactSpend = lib.fitGammaGamma(data.exact);
      const lifetimesStep = { horizon: 12 * LIFETIMES_MONTH_WEEKS, step: LIFETIMES_MONTH_WEEKS, discountRatePerStep: 0.01 };
      const fit = (m) => ({
        params: { ...m.params },
        standardErrors: m.standardErrors ? { ...m.standardErrors } : null,
        converged: m.converged,
        iterations: m.iterations,
        logLikelihood: m.logLikelihood,
      });
      return {
        orders: data.orderCount,
        customers: data.customerCount,
        sameDayOrders: sameDay,
        summary: {
          rows: s.customer.length,
          repeatBuyers: repeat,
          sumFrequency: sum(s.frequency),
          sumRecency: sum(s.recency),
          sumT: sum(s.T),
          sumMonetaryValue: sum(s.monetaryValue),
        },
        bgnbd: { ...fit(model), distinctRows: model.distinctRows, customers: model.customers },
        gammaGamma: { ...fit(spend), customers: spend.customers },
        clvSum: sum(clv),
        clvSumLifetimesMonth: sum(lib.clv(model, spend, s, lifetimesStep)),
        exact: { bgnbd: { ...fit(exactModel), distinctRows: exactModel.distinctRows }, gammaGamma: { ...fit(exactSpend), customers: exactSpend.customers } },
      };
    },
  },
  // ---- each step alone, on the same data (inputs of later steps prepared untimed) ----
  {
    id: "bd-summarize",
    label: "↳ `summarizeColumnar` (weekly, orders → per-customer frequency, recency, T, monetary value)",
    input: "orders",
    breakdown: true,
    note: "The orders are in date order (a transaction log), so consecutive orders belong to customers all over the per-customer table.",
    run: (lib, { data }) => summarizeWeekly(lib, data),
  },
  {
    id: "bd-summarize-grouped",
    label: "↳ `summarizeColumnar` on the same orders grouped by customer (sequential access)",
    input: "grouped",
    breakdown: true,
    note: "The same orders stably regrouped by customer (untimed): same summaries; the gap to the row above is the cost of random access into the per-customer table.",
    run: (lib, { grouped: g }) => summarizeWeekly(lib, g),
  },
  {
    id: "bd-fit-bgnbd",
    label: "↳ `fitBgNbd` on the summaries",
    input: "orders",
    breakdown: true,
    note: "Summaries computed once, untimed; timed: reading the columns, collapsing identical (frequency, recency, T) rows, the Newton iterations and the standard errors.",
    prepare: (lib, input) => {
      input.summaries = summarizeWeekly(lib, input.data);
    },
    run: (lib, { summaries }) => lib.fitBgNbd(summaries),
  },
  {
    id: "bd-fit-bgnbd-at-optimum",
    label: "↳ `fitBgNbd` started at its own optimum (`initial`: the fitted parameters)",
    input: "orders",
    breakdown: true,
    note: "The same call with options.initial = the parameters it finds (untimed): reading the columns, collapsing, the convergence check and standard errors, without the search; the gap to the row above is the Newton iterations.",
    prepare: (lib, input) => {
      input.summaries = summarizeWeekly(lib, input.data);
      const m = lib.fitBgNbd(input.summaries);
      input.initial = [m.params.r, m.params.alpha, m.params.a, m.params.b];
      input.iterationsFromScratch = m.iterations;
    },
    run: (lib, { summaries, initial }) => lib.fitBgNbd(summaries, { initial }),
  },
  {
    id: "bd-gg-clv",
    label: "↳ `fitGammaGamma` + `clv` (12 months) on the summaries and the fitted BG/NBD",
    input: "orders",
    breakdown: true,
    note: "Summaries and the BG/NBD model computed once, untimed.",
    prepare: (lib, input) => {
      input.summaries = summarizeWeekly(lib, input.data);
      input.model = lib.fitBgNbd(input.summaries);
    },
    run: (lib, { summaries, model }) => lib.clv(model, lib.fitGammaGamma(summaries), summaries, CLV_OPTIONS),
  },
  {
    id: "bd-clv",
    label: "↳ `clv` alone (12 monthly steps, every customer)",
    input: "orders",
    breakdown: true,
    note: "Summaries, BG/NBD and Gamma-Gamma models computed once, untimed; the row above minus this ≈ the Gamma-Gamma fit.",
    prepare: (lib, input) => {
      input.summaries = summarizeWeekly(lib, input.data);
      input.model = lib.fitBgNbd(input.summaries);
      input.spend = lib.fitGammaGamma(input.summaries);
    },
    run: (lib, { summaries, model, spend }) => lib.clv(model, spend, summaries, CLV_OPTIONS),
  },
];

// ---------------------------------------------------------------- lifetimes (Node only)

/** Python lifetimes on the same orders: see bench/lifetimes.mjs (imported only here, in Node). */
export async function external({ sizes: run, log, root }) {
  const { lifetimesColumn } = await import("../lifetimes.mjs");
  const { generateBtydOrders: gen } = await import("../data.mjs");
  return lifetimesColumn({
    sizes: run,
    log,
    root,
    asOf: AS_OF,
    generate: (size) => gen(dataOptions(size)),
    clvMonths: 12,
    discountRate: 0.01,
  });
}


// ---------------------------------------------------------------- summary lines (one env × size)

const f = (x) => (x == null ? "–" : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const sec = (ms) => (ms == null ? "–" : (ms >= 10000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2)) + " s");
const g4 = (x) => (x == null ? "–" : Number(x.toPrecision(4)).toString());
const pct = (x, known) => {
  const e = (100 * (x - known)) / known;
  return `${e >= 0 ? "+" : "−"}${Math.abs(e).toFixed(Math.abs(e) < 10 ? 1 : 0)} %`;
};
const int = (n) => (n == null ? "–" : Math.round(n).toLocaleString("en-US"));
/** A small relative difference, readably. */
const relFmt = (d) => (d === 0 ? "0" : d >= 1e-3 ? `${(100 * d).toPrecision(2)} %` : d.toExponential(1));
const rel = (a, b) => relFmt(Math.abs(a - b) / Math.abs(b));
const greek = (k) => (k === "alpha" ? "α" : k === "gamma" ? "γ" : k);

/** Largest relative difference between two parameter sets. */
const maxRel = (a, b) => Math.max(...Object.keys(b).map((k) => Math.abs(a[k] - b[k]) / Math.abs(b[k])));
/** Largest |fitted − known| / SE over the parameters (null without standard errors). */
const maxZ = (params, known, se) => (se ? Math.max(...Object.keys(known).map((k) => Math.abs(params[k] - known[k]) / se[k])) : null);

/** lifetimes' figures for one size: the Python JSON, or null. */
const lt = (external, size) => external?.bySize?.[size.id] ?? null;
const ltMs = (py, step) => py?.steps?.[step]?.median ?? null;

/** a − b, or "≈ 0" when within half the sum of their min–max spreads. */
const diff = (a, b) => {
  const d = a.median - b.median;
  const noise = (a.max - a.min + (b.max - b.min)) / 2;
  return Math.abs(d) > noise ? `${f(d)} ms` : `≈ 0 (${f(d)} ms, within the ±${f(noise)} ms spread)`;
};

export function summarize(rows, size, external) {
  const t = Object.fromEntries(rows.map((r) => [r.implId, r]));
  const lines = [];
  const pipe = t["crm-pipeline"], s = t["bd-summarize"], sg = t["bd-summarize-grouped"], fit = t["bd-fit-bgnbd"];
  const opt = t["bd-fit-bgnbd-at-optimum"], ggc = t["bd-gg-clv"], cl = t["bd-clv"];
  const p = pipe?.probe;
  const py = lt(external, size);
  if (pipe) {
    let line = `crmscore pipeline ${f(pipe.median)} ms (${f(pipe.min)}–${f(pipe.max)})`;
    if (s && fit && ggc) line += `; steps alone: summarize ${f(s.median)} + BG/NBD fit ${f(fit.median)} + Gamma-Gamma & CLV ${f(ggc.median)} = ${f(s.median + fit.median + ggc.median)} ms`;
    lines.push(line + ".");
  }
  if (py) {
    const [ps, pf, pg, pc] = ["summary", "bgnbd", "gammagamma", "clv"].map((k) => ltMs(py, k));
    const x = (a, b) => (a != null && b ? ` (${(a / b).toFixed(0)}×)` : "");
    lines.push(
      `lifetimes ${py.versions?.lifetimes ?? ""} on the same orders (medians): summary ${sec(ps)}${x(ps, s?.median)}, ` +
        `BetaGeoFitter.fit ${sec(pf)}${x(pf, fit?.median)} (${py.bgnbd?.iterations ?? "?"} BFGS iterations), ` +
        `GammaGammaFitter.fit ${sec(pg)} on ${int(py.gammaGamma?.customers)} repeat buyers, customer_lifetime_value ${sec(pc)}${x(pc, cl?.median)} — Gamma-Gamma + CLV ${sec(pg + pc)}${x(pg + pc, ggc?.median)}; ` +
        `sum of the steps ${sec(ps + pf + pg + pc)}${x(ps + pf + pg + pc, pipe?.median)} (× = lifetimes ÷ crmscore in this environment).`,
    );
  } else if (external?.skipped) {
    lines.push(`lifetimes column skipped: ${external.skipped}.`);
  }
  // Where the time goes (breakdown rows run in separate processes/pages: differences are rough).
  const parts = [];
  if (s && sg) parts.push(`summary: ${f(s.median)} ms on the date-ordered log, ${f(sg.median)} ms with each customer's orders adjacent → random access into the per-customer table (date order minus grouped): ${diff(s, sg)}`);
  if (fit && opt) {
    const k = p?.bgnbd?.iterations;
    const d = fit.median - opt.median;
    parts.push(
      `BG/NBD fit: ${f(opt.median)} ms without the search (reading ${int(p?.bgnbd?.customers)} rows, collapsing them into ${int(p?.bgnbd?.distinctRows)} distinct ones, convergence check, standard errors)` +
        ` + Newton search ${diff(fit, opt)}` +
        (k && d > 0 ? ` over ${k} iterations (≈ ${f(d / k)} ms each${p?.bgnbd?.distinctRows ? `, ≈ ${((1e6 * d) / k / p.bgnbd.distinctRows).toFixed(0)} ns per distinct row` : ""})` : ""),
    );
  }
  if (ggc && cl) parts.push(`Gamma-Gamma fit (Gamma-Gamma + CLV minus CLV alone) ${diff(ggc, cl)}, CLV ${f(cl.median)} ms (12 steps × 2 E[X(t)] per customer)`);
  if (parts.length) lines.push(`where the time goes: ${parts.join("; ")}.`);
  if (size.customers === 1_000_000 && fit && ggc) {
    const ok = (x, max) => `${f(x)} ms ≤ ${max}: ${x <= max ? "met" : "**NOT met**"}`;
    const ltFit = ltMs(py, "bgnbd");
    const speed = `${(11100 / fit.median).toFixed(1)}× the issue's lifetimes 11.1 s${ltFit ? `, ${(ltFit / fit.median).toFixed(1)}× lifetimes on these orders` : ""}; target ≥ 20×`;
    const summaryTarget = size.orders >= 5_000_000 && s ? `summary from 10M orders ${ok(s.median, 200)} (${int(size.orders)} orders here); ` : "";
    lines.push(`issue 5 targets (set for Chromium): ${summaryTarget}BG/NBD fit at 1M ${ok(fit.median, 550)} (${speed}); Gamma-Gamma + CLV ${ok(ggc.median, 300)}.`);
  }
  return lines;
}

// ---------------------------------------------------------------- side by side (all envs)

/** Node, Chromium and lifetimes per step and size; the data; the fitted parameters next to the known ones. */
export function overview(rows, sizes, external) {
  const out = [];
  const get = (env, sizeId, implId) => rows.find((r) => r.env === env && r.sizeId === sizeId && r.implId === implId)?.stats?.median ?? null;
  const ms = (x) => (x == null ? "–" : x >= 1000 ? `${(x / 1000).toFixed(x >= 10000 ? 1 : 2)} s` : `${f(x)} ms`);
  const steps = [
    ["summary (orders → per-customer summaries)", "bd-summarize", ["summary"]],
    ["BG/NBD fit", "bd-fit-bgnbd", ["bgnbd"]],
    ["Gamma-Gamma fit + 12-month CLV", "bd-gg-clv", ["gammagamma", "clv"]],
    ["… of which CLV", "bd-clv", ["clv"]],
    ["whole pipeline (lifetimes: sum of its steps)", "crm-pipeline", ["summary", "bgnbd", "gammagamma", "clv"]],
  ];
  const body = [];
  for (const size of sizes) {
    const py = lt(external, size);
    for (const [label, implId, keys] of steps) {
      const node = get("node", size.id, implId), chr = get("chromium", size.id, implId);
      const l = py ? keys.reduce((a, k) => a + (ltMs(py, k) ?? NaN), 0) : null;
      const has = l != null && !Number.isNaN(l);
      const ratio = (x) => (has && x ? `${(l / x).toFixed(0)}×` : "–");
      body.push(`| ${size.label} | ${label} | ${ms(node)} | ${ms(chr)} | ${has ? ms(l) : "–"} | ${ratio(node)} | ${ratio(chr)} |`);
    }
  }
  const v = external?.bySize && Object.values(external.bySize)[0]?.versions;
  out.push(`Side by side (medians; lifetimes ${v ? `${v.lifetimes} on Python ${v.python}, numpy ${v.numpy}, pandas ${v.pandas}, scipy ${v.scipy}, autograd ${v.autograd}` : "not run"}):\n`);
  out.push("| Size | Step | crmscore Node | crmscore Chromium | lifetimes | lifetimes ÷ Node | lifetimes ÷ Chromium |");
  out.push("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  out.push(...body, "");

  // The data and the fits (crmscore's are the same in both environments: the fingerprint checks it).
  const probeOf = (size) =>
    (rows.find((r) => r.env === "node" && r.sizeId === size.id && r.implId === "crm-pipeline" && r.probe?.bgnbd) ??
      rows.find((r) => r.sizeId === size.id && r.implId === "crm-pipeline" && r.probe?.bgnbd))?.probe;
  const prm = [], notes = [];
  for (const size of sizes) {
    const p = probeOf(size);
    if (!p) continue;
    const design = DESIGNS[size.data], K = design.known;
    const py = lt(external, size);
    for (const [model, key] of [["BG/NBD", "bgnbd"], ["Gamma-Gamma", "gammaGamma"]]) {
      for (const k of Object.keys(K[key])) {
        const known = K[key][k];
        const cell = (x) => (x == null ? "–" : `${g4(x)} (${pct(x, known)})`);
        prm.push(`| ${size.label} | ${model} ${greek(k)}${k === "alpha" ? " (weeks)" : ""} | ${known} | ${cell(p[key].params[k])} | ${cell(py?.[key]?.params?.[k])} | ${cell(p.exact[key].params[k])} |`);
      }
    }
    const zd = Math.max(maxZ(p.bgnbd.params, K.bgnbd, p.bgnbd.standardErrors) ?? NaN, maxZ(p.gammaGamma.params, K.gammaGamma, p.gammaGamma.standardErrors) ?? NaN);
    const ze = Math.max(maxZ(p.exact.bgnbd.params, K.bgnbd, p.exact.bgnbd.standardErrors) ?? NaN, maxZ(p.exact.gammaGamma.params, K.gammaGamma, p.exact.gammaGamma.standardErrors) ?? NaN);
    notes.push(
      `${size.label}: ${design.what}; ${int(p.orders)} orders, ${(100 * p.sameDayOrders / p.orders).toFixed(1)} % of them on a day the same customer already ordered ` +
        `(one purchase day for the models); ${int(p.summary.repeatBuyers)} repeat buyers; crmscore's BG/NBD fit converged ${p.bgnbd.converged ? "yes" : "**no**"} in ${p.bgnbd.iterations} Newton iterations ` +
        `on ${int(p.bgnbd.distinctRows)} distinct (x, t_x, T) rows, Gamma-Gamma in ${p.gammaGamma.iterations}. ` +
        `Largest |fitted − known| / standard error: ${f(zd)} on the daily orders, ${f(ze)} on the exact continuous-time summaries of the same customers` +
        (ze <= 3 ? " (the fit recovers the process; what is left on the daily orders is the day rounding: same-day purchases merged, times to the day — not part of BG/NBD)." : "."),
    );
    if (py?.bgnbd?.params) {
      const sameSummary = py.summary.rows === p.summary.rows && py.summary.sumFrequency === p.summary.sumFrequency && py.summary.repeatBuyers === p.summary.repeatBuyers;
      notes.push(
        `${size.label}, lifetimes vs crmscore on the same orders: summaries ${sameSummary ? "agree" : "**differ**"} (${int(py.summary.rows)} rows, Σ frequency ${int(py.summary.sumFrequency)}, ` +
          `Σ T ${rel(py.summary.sumT, p.summary.sumT)} apart, Σ monetary value ${rel(py.summary.sumMonetaryValue, p.summary.sumMonetaryValue)} apart); ` +
          `fitted parameters at most ${relFmt(maxRel(py.bgnbd.params, p.bgnbd.params))} apart (BG/NBD; lifetimes ${py.bgnbd.iterations} BFGS iterations) and ${relFmt(maxRel(py.gammaGamma.params, p.gammaGamma.params))} (Gamma-Gamma); ` +
          `Σ CLV ${int(py.clv.sum)} vs crmscore ${int(p.clvSum)} — lifetimes steps months of 4.345 weeks (30.415 days), crmscore of 30.436875 / 7 = 4.348 weeks; ` +
          `with lifetimes' month crmscore gives ${int(p.clvSumLifetimesMonth)} (${rel(py.clv.sum, p.clvSumLifetimesMonth)} apart).`,
      );
    }
  }
  if (prm.length) {
    out.push("Parameter recovery (fitted value and relative error against the known parameters of the simulation):\n");
    out.push("| Size | Parameter | known | crmscore, daily orders | lifetimes, daily orders | crmscore, exact continuous-time summaries (untimed) |");
    out.push("| --- | --- | ---: | ---: | ---: | ---: |");
    out.push(...prm, "");
    for (const n of notes) out.push(`- ${n}`);
    out.push("");
  }
  return out;
}
