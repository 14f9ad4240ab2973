// The API fuzz (issue 14): seeded random calls of every export of the BUILT package with
// valid call shapes, about 2 % of the values replaced by hostile ones. Shared by
// tests/js/api_fuzz.test.mjs (bounded to about a minute) and scripts/api-fuzz.mjs (long runs).
// Not a test file itself.
//
// Every export listed in the built .d.ts (functions, constructors, statics, methods, getters,
// free) must have a call-shape generator in GEN: `checkCoverage` fails otherwise, so a new
// export is fuzzed (or the fuzz fails) automatically.
//
// After every call: a trap (WebAssembly.RuntimeError, "unreachable", "memory access out of
// bounds", wasm-bindgen's "recursive use" / "null pointer passed to rust" / "attempted to take
// ownership") is counted as a trap; any other thrown value that is not a CrmScoreError with a
// string `code` is counted as uncoded; then a canary call must return the right result and
// every live handle must still answer (else "broken").
import { readFileSync } from "node:fs";

// ---------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32).

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------
// The exports of the built .d.ts.

/** [{ key, kind }] for every function, constructor, static, method, getter and free() of one
 *  .d.ts, or of several (the library and crmscore/sample, fuzzed as one module object). */
export function exportsOfDts(dtsPath) {
  if (Array.isArray(dtsPath)) return dtsPath.flatMap(exportsOfDts);
  const src = readFileSync(dtsPath, "utf8");
  const out = [];
  for (const m of src.matchAll(/^export function (\w+)\(/gm)) out.push({ key: m[1], kind: "function" });
  for (const m of src.matchAll(/^export class (\w+) \{\n([\s\S]*?)\n\}/gm)) {
    const [, cls, body] = m;
    for (const line of body.split("\n")) {
      let x;
      if ((x = line.match(/^ {4}constructor\(/))) out.push({ key: `new ${cls}`, kind: "constructor" });
      else if ((x = line.match(/^ {4}static (\w+)\(/))) out.push({ key: `${cls}.${x[1]}`, kind: "static" });
      else if ((x = line.match(/^ {4}readonly (\w+):/))) out.push({ key: `${cls}#${x[1]}`, kind: "getter" });
      else if ((x = line.match(/^ {4}(?:get )?(\w+)\(/))) out.push({ key: `${cls}#${x[1]}`, kind: "method" });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Hostile values.

const thrower = (what) => () => {
  throw new Error(`hostile ${what}`);
};

function throwingProxy(target, r) {
  const trap = r.pick(["get", "ownKeys", "getPrototypeOf", "has", "getOwnPropertyDescriptor", "all"]);
  const h = {};
  for (const t of ["get", "ownKeys", "getPrototypeOf", "has", "getOwnPropertyDescriptor"]) {
    if (trap === t || trap === "all") h[t] = thrower(`${t} trap`);
  }
  return new Proxy(target, h);
}

function withThrowingGetter(target, r) {
  const o = Array.isArray(target) ? target.slice() : { ...target };
  const keys = Object.keys(o);
  const k = keys.length && r.chance(0.8) ? r.pick(keys) : "customerId";
  Object.defineProperty(o, k, { get: thrower(`getter ${k}`), enumerable: true });
  return o;
}

function detached(Ctor) {
  const a = new Ctor(4);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

let bigOnes;
function big() {
  // Allocated once: over the guard's limits (a string of 2^24 + 1 characters, a typed array
  // of 2^26 + 1 elements).
  bigOnes ??= { string: "x".repeat((1 << 24) + 1), f64: new Float64Array((1 << 26) + 1) };
  return bigOnes;
}

/** A hostile replacement for `v` (its original value, to shape some replacements). */
export function hostile(v, r) {
  switch (r.int(30)) {
    case 0: return NaN;
    case 1: return Infinity;
    case 2: return -Infinity;
    case 3: return -0;
    case 4: return 1e-320;
    case 5: return 2 ** 53;
    case 6: return r.chance(0.05) ? big().string : "x".repeat(1 + r.int(1 << 16));
    case 7: return BigInt(r.int(1000)) - 500n;
    case 8: return Symbol("hostile");
    case 9: { const a = new Array(3 + r.int(50)); a[r.int(a.length)] = r.chance(0.5) ? 1 : "x"; return a; }
    case 10: return Array.isArray(v) ? (() => { const a = v.slice(); delete a[r.int(Math.max(1, a.length))]; return a; })() : [, , 1];
    case 11: return v !== null && typeof v === "object" && !ArrayBuffer.isView(v) ? withThrowingGetter(v, r) : { get customerId() { throw new Error("hostile getter"); } };
    case 12: return throwingProxy(v !== null && typeof v === "object" ? v : {}, r);
    case 13: return throwingProxy(r.chance(0.5) ? [] : function () {}, r);
    case 14: return isPlainish(v) ? Object.freeze(Array.isArray(v) ? v.slice() : { ...v }) : Object.freeze({});
    case 15: return new Date(NaN);
    case 16: return detached(r.pick([Float64Array, Uint32Array, Int32Array, Uint8Array]));
    case 17: return r.chance(0.1) ? big().f64 : new (r.pick([Float64Array, Uint32Array, Int32Array, Uint8Array]))(1000 + r.int(100000));
    case 18: return null;
    case 19: return undefined;
    case 20: return r.pick([true, false]);
    case 21: return r.pick(["", "2024-02-30", "NaN", "-1", "toString", "__proto__", "\0", "\ud800", "day", "week"]);
    case 22: return r.pick([-1, 0, 1, 0.5, -1e308, 1e308, 4294967296, -2147483649, 10000001]);
    case 23: return {};
    case 24: return [];
    case 25: { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; }
    case 26: return () => 1;
    case 27: { const o = {}; o.self = o; return o; }
    case 28: return new Map([[1, 2]]);
    default: return r.chance(0.5) ? new Float64Array([NaN, Infinity, -0]) : Object.create({ get customerId() { throw new Error("hostile prototype getter"); } });
  }
}

function isPlainish(v) {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === Array.prototype || p === null;
}

/** A copy of `v` with each value position replaced by a hostile value with probability `rate`. */
export function mutate(v, r, rate, depth = 0) {
  if (r.chance(rate)) return hostile(v, r);
  if (depth > 6) return v;
  if (Array.isArray(v)) {
    // Large arrays: keep about the same expected number of replacements as 50 elements.
    const rr = v.length > 50 ? (rate * 50) / v.length : rate;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = mutate(v[i], r, rr, depth + 1);
    return out;
  }
  if (ArrayBuffer.isView(v)) {
    if (r.chance(rate * 5) && !(v instanceof DataView)) {
      const c = v.slice();
      if (c.length) c[r.int(c.length)] = typeof c[0] === "bigint" ? 0n : r.pick([NaN, -1, 1e308, 2 ** 32, -0]);
      return c;
    }
    return v;
  }
  if (isPlainish(v)) {
    const out = {};
    for (const k of Object.keys(v)) out[k] = mutate(v[k], r, rate, depth + 1);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------
// Valid call shapes.

const day = (d) => new Date(d * 86400000).toISOString().slice(0, 10);

/** The valid data the generators draw from, made with the package's own generator. */
export function makeWorld(M) {
  // The columnar codes' names, from Rust's own tables.
  const { orderStatus: STATUS, interactionKind: KINDS, paymentStatus: PAY } = M.codeTables();
  const crm = M.generateCrm({ customers: 24, seed: 5, years: 2 });
  const ids = crm.customerIds;
  const asOf = crm.asOf;
  const o = crm.orders;
  const orders = Array.from(o.customer, (c, i) => ({ customerId: ids[c], date: day(o.date[i]), amount: o.amount[i] }));
  const ordersFull = Array.from(o.customer, (c, i) => ({
    customerId: ids[c], date: day(o.date[i]), amount: o.amount[i], status: STATUS[o.status[i]],
    ...(Number.isNaN(o.discount[i]) ? {} : { discount: o.discount[i] }),
  }));
  const it = crm.interactions;
  const interactions = Array.from(it.customer, (c, i) => ({
    customerId: ids[c], date: day(it.date[i]), type: KINDS[it.type[i]] ?? "other",
    ...(Number.isNaN(it.value[i]) ? {} : { value: it.value[i] }),
  }));
  const rt = crm.returns;
  const returns = Array.from(rt.customer, (c, i) => ({ customerId: ids[c], date: day(rt.date[i]), amount: rt.amount[i] }));
  const pm = crm.payments;
  const payments = Array.from(pm.customer, (c, i) => ({
    customerId: ids[c], date: day(pm.date[i]), amount: pm.amount[i], status: PAY[pm.status[i]],
    ...(Number.isNaN(pm.daysLate[i]) ? {} : { daysLate: pm.daysLate[i] }),
  }));
  const customers = ids.map((id, i) => ({ customerId: id, createdAt: day(crm.createdAt[i]), email: crm.email[i], phone: crm.phone[i], region: crm.region[i] }));
  const activity = { orders: ordersFull, interactions, returns, payments, customers };
  const classes = M.classify(activity, { asOf });
  const records = ids.map((id, i) => ({
    customerId: id, annualPurchaseAmount: (i * 7919) % 200000, renewalRate: (i % 11) / 10,
    feedbackScore: (i % 6), trainingAttendance: (i % 5) / 4,
  }));
  const model = M.scoringPreset("qualityCustomer");
  const scored = M.score(records, model);
  const rfmResult = M.rfm(orders, { asOf });
  const aggregates = rfmResult.customers.map((c) => ({ customerId: c.customerId, recencyDays: c.recencyDays, frequency: c.frequency, monetary: c.monetary }));
  const summaries = M.summarize(orders, { unit: "week", asOf });
  const cols = {
    frequency: Float64Array.from(summaries, (s) => s.frequency),
    recency: Float64Array.from(summaries, (s) => s.recency),
    T: Float64Array.from(summaries, (s) => s.T),
    monetaryValue: Float64Array.from(summaries, (s) => s.monetaryValue),
  };
  const fit = { maxIter: 40 };
  const tm = M.fitBgNbd(summaries, { ...fit, unit: "week" });
  const gg = M.fitGammaGamma(summaries, fit);
  const before = scored.customers.map((c) => ({ customerId: c.customerId, tier: c.tier }));
  const after = before.map((c, i) => ({ customerId: c.customerId, tier: i % 3 ? c.tier : "A" }));
  return { crm, asOf, orders, ordersFull, activity, classes, records, model, scored, rfmResult, aggregates, summaries, cols, fit, tm, gg, before, after };
}

/**
 * Call-shape generators: key → (world, r, live) → { self?, args }. `live` holds the live
 * handles (scorer, tm, gg) whose methods are fuzzed.
 */
export const GEN = {
  classify: (w, r) => ({ args: [r.chance(0.5) ? w.activity : { orders: w.ordersFull }, { asOf: w.asOf, ...(r.chance(0.3) ? { pAliveModel: w.tm } : {}) }] }),
  classifyColumnar: (w) => ({ args: [w.crm, { asOf: w.asOf }] }),
  deriveFieldsColumnar: (w) => ({ args: [w.crm, { asOf: w.asOf }] }),
  clv: (w, r, live) => ({ args: [live.tm, live.gg, r.chance(0.5) ? w.summaries : w.cols, { horizon: 12, step: 1, discountRatePerStep: 0.01 }] }),
  compareTiers: (w, r) => ({ args: [w.before, w.after, ...(r.chance(0.5) ? [{ order: ["A", "B", "C", "D"] }] : [])] }),
  crossTab: (w, r) => ({
    args: [w.classes, r.chance(0.5) ? w.activity.customers : { customerId: w.crm.customerIds, region: w.crm.region }, "region",
      r.chance(0.5) ? { tiers: w.scored, rfm: w.rfmResult } : undefined],
  }),
  deriveFields: (w) => ({ args: [w.activity, { asOf: w.asOf }] }),
  fitBgNbd: (w, r) => ({ args: [r.chance(0.5) ? w.summaries : w.cols, w.fit] }),
  fitGammaGamma: (w, r) => ({ args: [r.chance(0.5) ? w.summaries : w.cols, w.fit] }),
  fitModifiedBgNbd: (w, r) => ({ args: [r.chance(0.5) ? w.summaries : w.cols, w.fit] }),
  // Pareto/NBD is ~50x slower per iteration: a smaller sample keeps the fuzz's pace.
  fitParetoNbd: (w, r) => ({ args: [r.chance(0.5) ? w.summaries.slice(0, 8) : w.cols, { maxIter: 8 }] }),
  generateCrm: (w, r) => ({ args: [{ customers: 1 + r.int(30), seed: r.int(100), years: 1 + r.int(3) }] }),
  codeTables: () => ({ args: [] }),
  memoryBytes: () => ({ args: [] }),
  rfm: (w, r) => ({ args: [w.orders, r.chance(0.5) ? { asOf: w.asOf } : { asOf: w.asOf, bins: 4, binning: r.pick(["quantile", "equalCount"]) }] }),
  rfmColumnar: (w) => ({ args: [w.crm.orders.customer, w.crm.orders.date, w.crm.orders.amount, { asOf: w.asOf }] }),
  rfmFromCustomers: (w) => ({ args: [w.aggregates, { bins: 3 }] }),
  sampleOrders: (w, r) => ({ args: [{ customers: 1 + r.int(30), seed: r.int(100) }] }),
  sampleOrdersColumnar: (w, r) => ({ args: [{ customers: 1 + r.int(30), seed: r.int(100) }] }),
  score: (w, r) => ({ args: [w.records, r.chance(0.5) ? "qualityCustomer" : w.model, r.chance(0.5) ? { strict: true } : undefined] }),
  scoringPreset: (w, r) => ({ args: [r.pick(["qualityCustomer", "valueEngagement"])] }),
  start: () => ({ args: [] }),
  summarize: (w, r) => ({ args: [w.orders, { unit: r.pick(["day", "week", "month"]), asOf: w.asOf }] }),
  summarizeColumnar: (w, r) => ({ args: [w.crm.orders.customer, w.crm.orders.date, w.crm.orders.amount, { unit: r.pick(["day", "week"]), asOf: w.asOf }] }),
  tierEconomics: (w) => ({ args: [w.scored, "annualPurchaseAmount", { costPerCustomer: { A: 100, B: 50, C: 20, D: 5 } }] }),
  validateModel: (w, r) => ({ args: [r.chance(0.5) ? w.model : "valueEngagement"] }),
  version: () => ({ args: [] }),

  "new Scorer": (w, r) => ({ args: [w.records, r.chance(0.5) ? w.model : "qualityCustomer"] }),
  "Scorer#setModel": (w, r, live) => ({ self: live.scorer, args: [r.chance(0.5) ? w.model : "qualityCustomer"] }),
  "Scorer#setWeights": (w, r, live) => ({ self: live.scorer, args: [Float64Array.of(40, 30, 20, 10)] }),
  "Scorer#explain": (w, r, live) => ({ self: live.scorer, args: [r.int(w.records.length)] }),
  "Scorer#customerIds": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#model": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#result": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#scores": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#tierCounts": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#tierLabels": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#tiers": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#tiersInto": (w, r, live) => ({ self: live.scorer, args: [new Uint8Array(r.chance(0.8) ? w.records.length : r.int(4))] }),
  "Scorer#scoresInto": (w, r, live) => ({ self: live.scorer, args: [new Float64Array(r.chance(0.8) ? w.records.length : r.int(4))] }),
  "Scorer#weights": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#length": (w, r, live) => ({ self: live.scorer, args: [] }),
  "Scorer#free": (w, r, live, M) => ({ self: new M.Scorer(w.records, w.model), args: [] }),

  "TransactionModel.fromJSON": (w, r) => ({ args: [r.chance(0.5) ? w.tm.toJSON() : { kind: "bgNbd", params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, unit: "week" }] }),
  "TransactionModel#pAlive": (w, r, live) => ({ self: live.tm, args: r.chance(0.5) ? [w.cols.frequency, w.cols.recency, w.cols.T] : [2, 10, 30] }),
  "TransactionModel#expectedPurchases": (w, r, live) => ({ self: live.tm, args: [4, ...(r.chance(0.5) ? [Array.from(w.cols.frequency), Array.from(w.cols.recency), Array.from(w.cols.T)] : [2, 10, 30])] }),
  "TransactionModel#expectedPurchasesNew": (w, r, live) => ({ self: live.tm, args: [r.int(52)] }),
  "TransactionModel#probabilityOfPurchases": (w, r, live) => ({ self: live.tm, args: [r.int(5), 1 + r.int(52)] }),
  "TransactionModel#toJSON": (w, r, live) => ({ self: live.tm, args: [] }),
  "TransactionModel#free": (w, r, live, M) => ({ self: M.TransactionModel.fromJSON(w.tm.toJSON()), args: [] }),

  "new Classifier": (w) => ({ args: [w.crm, { asOf: w.asOf }] }),
  packText: (w) => ({ args: [w.crm.email] }),
  "Classifier#result": (w, r, live) => ({ self: live.classifier, args: [] }),
  "Classifier#explain": (w, r, live) => ({ self: live.classifier, args: [r.int(w.crm.customerIds.length)] }),
  "Classifier#memoryBytes": (w, r, live) => ({ self: live.classifier, args: [] }),
  "Classifier#free": (w, r, live, M) => ({ self: new M.Classifier(w.crm, { asOf: w.asOf }), args: [] }),
  "GammaGammaModel.fromJSON": (w) => ({ args: [w.gg.toJSON()] }),
  "GammaGammaModel#expectedSpend": (w, r, live) => ({ self: live.gg, args: r.chance(0.5) ? [w.cols.frequency, w.cols.monetaryValue] : [3, 40] }),
  "GammaGammaModel#toJSON": (w, r, live) => ({ self: live.gg, args: [] }),
  "GammaGammaModel#free": (w, r, live, M) => ({ self: M.GammaGammaModel.fromJSON(w.gg.toJSON()), args: [] }),
};

/** Getters need no generator of their own: every `Class#getter` reads a live handle. */
function getterGen(cls, name) {
  const live = { Scorer: "scorer", TransactionModel: "tm", GammaGammaModel: "gg", Classifier: "classifier" }[cls];
  return (w, r, l) => ({ self: l[live], args: [], getter: name });
}

/** Exports of the .d.ts without a generator (must be empty). */
export function checkCoverage(dtsExports) {
  return dtsExports.filter((e) => !(e.key in GEN) && !(e.kind === "getter" && e.key.split("#")[0] in { Scorer: 1, TransactionModel: 1, GammaGammaModel: 1, Classifier: 1 })).map((e) => e.key);
}

// ---------------------------------------------------------------------------------------
// The run.

const TRAP = /unreachable|memory access out of bounds|recursive use of an object|null pointer passed to rust|attempted to take ownership|already borrowed|already mutably borrowed/i;

function classify(e) {
  if (e instanceof WebAssembly.RuntimeError) return "trap";
  let msg = "";
  try {
    msg = String(e && e.message);
  } catch {
    msg = "";
  }
  if (TRAP.test(msg)) return "trap";
  if (e instanceof Error && e.name === "CrmScoreError" && typeof e.code === "string" && e.code.length > 0) return "coded";
  return "uncoded";
}

/**
 * Run `calls` fuzzed calls (or until `seconds` pass) with `seed`; returns the figures.
 * `M`: the built package; `dts`: path of its .d.ts.
 */
export function runFuzz(M, dts, { seed = 1, calls = 10000, seconds = Infinity, rate = 0.02, log = () => {} } = {}) {
  const exportsList = exportsOfDts(dts);
  const missing = checkCoverage(exportsList);
  if (missing.length) throw new Error(`no call-shape generator for: ${missing.join(", ")}`);
  const r = rng(seed);
  const w = makeWorld(M);
  const keys = exportsList.map((e) => e.key);
  const gens = exportsList.map((e) => (e.kind === "getter" ? getterGen(...e.key.split("#")) : GEN[e.key]));

  // The canary: an RFM whose answer is known, and the live handles' answers.
  const canaryOrders = w.orders.slice(0, 40);
  const canaryExpected = JSON.stringify(M.rfm(canaryOrders, { asOf: w.asOf }).customers.map((c) => [c.customerId, c.segment, c.rfmScore]));
  const newLive = () => ({
    scorer: new M.Scorer(w.records, w.model),
    tm: M.TransactionModel.fromJSON(w.tm.toJSON()),
    gg: M.GammaGammaModel.fromJSON(w.gg.toJSON()),
    classifier: new M.Classifier(w.crm, { asOf: w.asOf }),
  });
  let live = newLive();
  const n = w.records.length;
  const tmExpected = live.tm.expectedPurchasesNew(10);
  const ggExpected = live.gg.expectedSpend(3, 40);
  const classifierExpected = JSON.stringify(live.classifier.explain(1));
  const healthy = () => {
    try {
      if (JSON.stringify(M.rfm(canaryOrders, { asOf: w.asOf }).customers.map((c) => [c.customerId, c.segment, c.rfmScore])) !== canaryExpected) return "canary rfm differs";
      const s = live.scorer;
      if (s.length !== n || s.tiers().length !== n || s.tierCounts().reduce((a, b) => a + b, 0) !== n || s.customerIds().length !== n) return "scorer answers wrong";
      if (!(s.weights() instanceof Float64Array) || typeof s.explain(0).score !== "number") return "scorer weights / explain wrong";
      if (live.tm.expectedPurchasesNew(10) !== tmExpected) return "transaction model answers wrong";
      if (live.gg.expectedSpend(3, 40) !== ggExpected) return "gamma-gamma model answers wrong";
      if (live.classifier.length !== w.crm.customerIds.length || JSON.stringify(live.classifier.explain(1)) !== classifierExpected) return "classifier answers wrong";
      return null;
    } catch (e) {
      return `health check threw: ${e && e.message}`;
    }
  };

  const stats = { seed, calls: 0, ok: 0, coded: 0, traps: 0, uncoded: 0, broken: 0, perExport: {}, samples: [], codes: {}, seconds: 0 };
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const freed = { Scorer: null, TransactionModel: null, GammaGammaModel: null, Classifier: null };
  for (let i = 0; i < calls; i++) {
    if ((i & 63) === 0 && performance.now() > deadline) break;
    const k = r.int(keys.length);
    const key = keys[k];
    let shape;
    try {
      shape = gens[k](w, r, live, M);
    } catch (e) {
      throw new Error(`generator ${key} failed: ${e && e.stack}`);
    }
    const mut = r.chance(0.85);
    let args = mut ? shape.args.map((a) => mutate(a, r, rate)) : shape.args;
    // Now and then a top-level argument is replaced outright, or one added / dropped.
    if (mut && r.chance(0.15) && args.length) {
      args = args.slice();
      args[r.int(args.length)] = hostile(undefined, r);
    }
    let self = shape.self;
    if (self && r.chance(0.02)) {
      const cls = key.split(/[#.]/)[0];
      if (r.chance(0.5)) {
        freed[cls] ??= (() => { const h = gens[keys.indexOf(`${cls}#free`)](w, r, live, M).self; h.free(); return h; })();
        self = freed[cls];
      } else self = hostile(r.chance(0.5) ? self : {}, r); // often a Proxy around the live handle
    }
    const [cls, member] = key.includes("#") ? key.split("#") : key.includes(".") ? key.split(".") : [null, key];
    let outcome;
    const tc = performance.now();
    try {
      if (shape.getter) {
        const d = Object.getOwnPropertyDescriptor(M[cls].prototype, shape.getter);
        d.get.call(self);
      } else if (key.startsWith("new ")) {
        new M[key.slice(4)](...args).free();
      } else if (key.includes("#")) {
        M[cls].prototype[member].apply(self, args);
      } else if (key.includes(".")) {
        M[cls][member](...args);
      } else {
        M[key](...args);
      }
      outcome = "ok";
    } catch (e) {
      outcome = classify(e);
      if (outcome === "coded") stats.codes[e.code] = (stats.codes[e.code] ?? 0) + 1;
      if (outcome !== "coded" && stats.samples.length < 20) {
        let m;
        try {
          m = `${e && e.name}: ${e && e.message}`;
        } catch {
          m = String(typeof e);
        }
        stats.samples.push(`${outcome} in ${key} (call ${i}): ${m.slice(0, 300)}`);
      }
    }
    stats.calls++;
    const field = outcome === "trap" ? "traps" : outcome;
    stats[field]++;
    const pe = (stats.perExport[key] ??= { calls: 0, ok: 0, coded: 0, traps: 0, uncoded: 0, ms: 0 });
    pe.calls++;
    pe[field]++;
    pe.ms += performance.now() - tc;
    const sick = healthy();
    if (sick) {
      stats.broken++;
      if (stats.samples.length < 20) stats.samples.push(`module unusable after ${key} (call ${i}): ${sick}`);
      try {
        live = newLive(); // go on with fresh handles (a trap leaves the instance unusable anyway)
      } catch {
        break;
      }
    }
    if (i % 100000 === 99999) log(`${i + 1} calls, ${((performance.now() - t0) / 1000).toFixed(1)} s, traps ${stats.traps}, uncoded ${stats.uncoded}, broken ${stats.broken}`);
  }
  stats.seconds = (performance.now() - t0) / 1000;
  stats.exports = keys.length;
  const unfuzzed = keys.filter((k) => !stats.perExport[k]);
  stats.unfuzzed = unfuzzed;
  for (const [name, h] of Object.entries(live)) {
    try {
      h.free();
    } catch (e) {
      stats.broken++;
      stats.samples.push(`live ${name}.free() failed at the end: ${e && e.message}`);
    }
  }
  return stats;
}
