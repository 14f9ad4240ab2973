// Weighted scoring through the BUILT package (ESM entry), as a user calls it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsCrm } from "./helpers.mjs";
import { score, Scorer, compareTiers, tierEconomics, scoringPreset, validateModel, memoryBytes } from "crmscore";


const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// Hand-computed under the seed's preset (40 / 30 / 20 / 10; A ≥ 80, B ≥ 60, C ≥ 40, D):
//   c1 full marks                          40 + 30 + 20 + 10 = 100 → A
//   c2 50k, 0.5, 4/5, 0                     20 + 15 + 16 + 0  = 51  → C
//   c3 0, 0, (no feedback), 0.2             0 + 0 + 0 + 2     = 2   → D
//   c4 250k (capped), 0.9, 3/5, 0.5         40 + 27 + 12 + 5  = 84  → A
//   c5 75k, 0.8, 3.5/5, 0.3                 30 + 24 + 14 + 3  = 71  → B
//   c6 60k, 0.6, 4/5, 1 — exactly 80        24 + 18 + 16 + 10 = 68 … see below
const SEED_CUSTOMERS = [
  { customerId: "c1", annualPurchaseAmount: 100000, renewalRate: 1, feedbackScore: 5, trainingAttendance: 1 },
  { customerId: "c2", annualPurchaseAmount: 50000, renewalRate: 0.5, feedbackScore: 4, trainingAttendance: 0 },
  { customerId: "c3", annualPurchaseAmount: 0, renewalRate: 0, trainingAttendance: 0.2 },
  { customerId: "c4", annualPurchaseAmount: 250000, renewalRate: 0.9, feedbackScore: 3, trainingAttendance: 0.5 },
  { customerId: "c5", annualPurchaseAmount: 75000, renewalRate: 0.8, feedbackScore: 3.5, trainingAttendance: 0.3 },
  // 30 + 24 + 16 + 10 = 80 exactly: the boundary belongs to A
  { customerId: "c6", annualPurchaseAmount: 75000, renewalRate: 0.8, feedbackScore: 4, trainingAttendance: 1 },
];

test("qualityCustomer preset: hand-computed scores, tiers, explanations", () => {
  const r = score(SEED_CUSTOMERS, "qualityCustomer");
  assert.deepEqual(r.customers.map((c) => c.score), [100, 51, 2, 84, 71, 80]);
  assert.deepEqual(r.customers.map((c) => c.tier), ["A", "C", "D", "A", "B", "A"]);
  assert.deepEqual(r.tiers.map((t) => [t.label, t.customers]), [["A", 3], ["B", 1], ["C", 1], ["D", 1]]);
  close(r.tiers[0].share, 0.5);
  for (const c of r.customers) {
    const sum = c.contributions.reduce((s, x) => s + x.points, 0);
    close(sum, c.score, 1e-3);
  }
  const c2 = r.customers[1];
  assert.deepEqual(c2.contributions.map((x) => [x.indicator, x.field, x.value, x.fraction, x.points]), [
    ["annualPurchase", "annualPurchaseAmount", 50000, 0.5, 20],
    ["renewal", "renewalRate", 0.5, 0.5, 15],
    ["feedback", "feedbackScore", 4, 0.8, 16],
    ["training", "trainingAttendance", 0, 0, 0],
  ]);
  // 9 points to B: annual purchase to 72,500 (+0.225), renewal to 0.8 (+0.3), training to 0.9
  assert.equal(c2.pointsToNextTier, 9);
  assert.equal(c2.nextTier, "B");
  assert.deepEqual(c2.upgrade.map((u) => u.indicator), ["annualPurchase", "renewal", "training"]);
  close(c2.upgrade[0].targetValue, 72500, 1e-6);
  close(c2.upgrade[1].fractionNeeded, 0.3);
  // c3 has no feedbackScore: missing → 0 points, value null
  assert.equal(r.customers[2].contributions[2].value, null);
  assert.equal(r.customers[2].contributions[2].fraction, null);
  assert.equal(r.customers[0].pointsToNextTier, null);
  assert.deepEqual(r.customers[0].upgrade, []);
  assert.equal(r.asOf, null);
});

const one = (scale, extra = {}) => ({
  indicators: [{ id: "s", field: "x", weight: 100, scale, ...extra }],
  tiers: [{ label: "A", min: 50 }, { label: "B", min: null }],
});
const scoresOf = (xs, model) => score(xs.map((x, i) => ({ customerId: i, x })), model).customers.map((c) => c.score);

test("every scale type and its edges", () => {
  assert.deepEqual(scoresOf([-5, 0, 5, 10, 20, null], one({ type: "linear", min: 0, max: 10 })), [0, 0, 50, 100, 100, 0]);
  assert.deepEqual(scoresOf([-5, 0, 5, 10, 20], one({ type: "linear", min: 0, max: 10 }, { invert: true })), [100, 100, 50, 0, 0]);
  assert.deepEqual(scoresOf([-1, 0, 4.99, 5, 10, 11], one({ type: "bands", bands: [[10, 1], [5, 0.5], [0, 0.2]] })), [0, 20, 20, 50, 100, 100]);
  assert.deepEqual(scoresOf([1, 2, 2, 3, null], one({ type: "percentile" })), [0, 50, 50, 100, 0]);
  const log = scoresOf([-3, 0, 9, 99, 1000], one({ type: "log", max: 99 }));
  assert.deepEqual([log[0], log[1], log[3], log[4]], [0, 0, 100, 100]);
  close(log[2], Math.round((Math.log(10) / Math.log(100)) * 100 * 1e4) / 1e4, 1e-4); // 50
  assert.deepEqual(scoresOf([true, false, 1, 0, null].slice(0, 2), one({ type: "boolean" })), [100, 0]);
  assert.deepEqual(scoresOf([1, 0, 7], one({ type: "boolean" })), [100, 0, 100]);
  assert.deepEqual(scoresOf(["SH", "BJ", "GZ", null], one({ type: "map", values: { SH: 1, BJ: 0.6 } })), [100, 60, 0, 0]);
});

test("missing: zero, skip (renormalise) and error (names row and field)", () => {
  const model = (missing) => ({
    indicators: [
      { id: "a", field: "a", weight: 60, scale: { type: "linear", min: 0, max: 1 } },
      { id: "b", field: "b", weight: 40, scale: { type: "linear", min: 0, max: 1 }, missing },
    ],
    tiers: [{ label: "A", min: 50 }, { label: "B", min: null }],
  });
  const rows = [{ customerId: "x", a: 0.5, b: 1 }, { customerId: "y", a: 0.5 }];
  assert.deepEqual(score(rows, model("zero")).customers.map((c) => c.score), [70, 30]);
  // skip: y's 30 points × (100 / 60) = 50
  assert.deepEqual(score(rows, model("skip")).customers.map((c) => c.score), [70, 50]);
  throwsCrm(() => score(rows, model("error")), "missing_field", 1, "b");
});

test("adjustments (negative points), group caps and decay", () => {
  const model = {
    indicators: [
      { id: "spend", field: "spend", weight: 60, scale: { type: "linear", min: 0, max: 1000 }, group: "value" },
      { id: "visits", field: "visits", weight: 40, scale: { type: "linear", min: 0, max: 10 } },
    ],
    adjustments: [
      { id: "vip", field: "vip", op: "==", value: true, points: 20, group: "value" },
      { id: "complaints", field: "complaints", op: ">=", value: 3, points: -25 },
      { id: "region", field: "region", op: "!=", value: "north", points: 5, decay: false },
    ],
    groups: [{ id: "value", cap: 70 }],
    decay: { field: "lastActivity", halfLifeDays: 30 },
    tiers: [{ label: "A", min: 60 }, { label: "B", min: 0 }, { label: "C", min: -25 }],
  };
  const rows = [
    // value group 60 + 20 = 80 → capped 70; visits 40; region 5 → 115
    { customerId: 1, spend: 1000, visits: 10, vip: true, complaints: 0, region: "south", lastActivity: "2026-06-30" },
    // 30 days old: (30 + 0) × 0.5 = 15; complaints −25 × 0.5; region "north" → 0 → 2.5
    { customerId: 2, spend: 500, visits: 0, vip: false, complaints: 3, region: "north", lastActivity: "2026-05-31" },
  ];
  const r = score(rows, model, { asOf: "2026-06-30" });
  assert.deepEqual(r.customers.map((c) => c.score), [115, 2.5]);
  assert.deepEqual(r.customers.map((c) => c.tier), ["A", "B"]);
  assert.equal(r.customers[1].decayFactor, 0.5);
  assert.equal(r.asOf, "2026-06-30");
  const c0 = r.customers[0].contributions;
  // the capped group's terms are scaled 70/80 so that the contributions still add up
  close(c0[0].points, 52.5);
  close(c0[2].points, 17.5);
  assert.equal(c0[2].kind, "adjustment");
  assert.equal(c0[2].value, true);
  close(c0.reduce((s, x) => s + x.points, 0), 115);
});

test("validation errors name the JSON path", () => {
  const base = () => ({
    indicators: [
      { id: "a", field: "x", weight: 40, scale: { type: "linear", min: 0, max: 1 } },
      { id: "b", field: "y", weight: 60, scale: { type: "bands", bands: [[10, 1], [5, 0.5]] } },
      { id: "c", field: "z", weight: 0, scale: { type: "log", max: 9 } },
    ],
    tiers: [{ label: "A", min: 50 }, { label: "B", min: 0 }],
  });
  validateModel(base());
  const bad = (edit, path) => {
    const m = base();
    edit(m);
    throwsCrm(() => validateModel(m), "invalid_model", undefined, path, "model");
    throwsCrm(() => score([{ customerId: 1, x: 1, y: 1, z: 1 }], m), "invalid_model", undefined, path, "model");
  };
  bad((m) => (m.indicators[0].weight = NaN), "indicators[0].weight");
  bad((m) => (m.indicators[0].weight = Infinity), "indicators[0].weight");
  bad((m) => (m.indicators[0].weight = "40"), "indicators[0].weight");
  bad((m) => (m.indicators[0].scale.max = 0), "indicators[0].scale.max");
  bad((m) => (m.indicators[1].scale.bands = [[5, 1], [10, 0.5]]), "indicators[1].scale.bands[1][0]");
  bad((m) => (m.indicators[1].scale.bands = [[5, 1.5]]), "indicators[1].scale.bands[0][1]");
  bad((m) => (m.indicators[2].scale.max = -1), "indicators[2].scale.max");
  bad((m) => (m.indicators[2].scale = { type: "cubic" }), "indicators[2].scale.type");
  bad((m) => (m.indicators[2].id = "a"), "indicators[2].id");
  bad((m) => (m.indicators[2].colour = "red"), "indicators[2].colour");
  bad((m) => (m.indicators[0].missing = "maybe"), "indicators[0].missing");
  bad((m) => (m.tiers[1].min = 60), "tiers[1].min");
  bad((m) => (m.tiers[1].min = 10), "tiers[1].min"); // does not cover a score of 0
  bad((m) => (m.tiers = []), "tiers");
  bad((m) => (m.adjustments = [{ id: "n", field: "x", op: ">", value: 1, points: -5 }]), "tiers[1].min");
  bad((m) => (m.adjustments = [{ id: "n", field: "x", op: "~", value: 1, points: 5 }]), "adjustments[0].op");
  bad((m) => (m.groups = [{ id: "g", cap: -1 }]), "groups[0].cap");
  bad((m) => (m.decay = { field: "d", halfLifeDays: 0 }), "decay.halfLifeDays");
  throwsCrm(() => validateModel("bestCustomers"), "invalid_model", undefined, "model");
  // strict mode: a field the data does not have
  throwsCrm(() => score([{ customerId: 1, x: 1, y: 1 }], base(), { strict: true }), "invalid_model", undefined, "indicators[2].field");
  assert.equal(score([{ customerId: 1, x: 1, y: 1 }], base()).customers.length, 1);
  throwsCrm(() => score([{ customerId: 1, x: 1 }], base(), { stict: true }), "invalid_option", undefined, "stict", "options");
});

test("bad customer data: typed errors with row and field", () => {
  const m = one({ type: "linear", min: 0, max: 10 });
  throwsCrm(() => score([{ customerId: 1, x: 1 }, { customerId: 1, x: 2 }], m), "invalid_customer_id", 1, "customerId");
  throwsCrm(() => score([{ customerId: 1, x: 1 }, { x: 2 }], m), "missing_field", 1, "customerId");
  throwsCrm(() => score([{ customerId: 1, x: 1 }, { customerId: 2, x: NaN }], m), "invalid_value", 1, "x");
  throwsCrm(() => score([{ customerId: 1, x: 1 }, { customerId: 2, x: "7" }], m), "invalid_value", 1, "x");
  throwsCrm(() => score([], m), "empty_input", undefined, "customers");
  throwsCrm(() => score("nope", m), "invalid_argument", undefined, "customers"); // a wrong JS type (issue 14)
  throwsCrm(() => new Scorer({ columns: { x: new Float64Array(3), y: new Float64Array(2) } }, m), "length_mismatch", undefined, "columns.y");
  // a bad value in a field the model does not read does not matter
  assert.equal(score([{ customerId: 1, x: 1, note: NaN }], m).customers[0].score, 10);
});

/** Seeded data for agreement and property tests. */
function customers(n, seed = 1) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: n }, (_, i) => ({
    customerId: `k${i}`,
    amountLast365Days: rnd() < 0.05 ? null : Math.round(rnd() * 50000),
    orderCount: Math.floor(rnd() * 30),
    averageOrderValue: Math.round(rnd() * 900),
    daysSinceLastOrder: Math.floor(rnd() * 500),
    interactionsLast90Days: Math.floor(rnd() * 15),
    averageFeedback: rnd() < 0.3 ? null : 1 + Math.round(rnd() * 40) / 10,
    referralCount: Math.floor(rnd() * 4),
    returnRate: rnd() * 0.5,
    complaintCount: Math.floor(rnd() * 5),
    paymentDefaultCount: rnd() < 0.1 ? 1 : 0,
  }));
}

test("Scorer and score() agree, before and after setWeights and setModel", () => {
  const rows = customers(3000);
  const s = new Scorer(rows, "valueEngagement");
  const check = (model) => {
    const r = score(rows, model);
    assert.deepEqual(Array.from(s.scores()), r.customers.map((c) => c.score));
    assert.deepEqual(Array.from(s.tiers()), r.customers.map((c) => c.tierIndex));
    assert.deepEqual(Array.from(s.tierCounts()), r.tiers.map((t) => t.customers));
    for (const i of [0, 17, 2999]) assert.deepEqual(s.explain(i), r.customers[i]);
    assert.deepEqual(s.result(), r);
  };
  check("valueEngagement");
  const w = new Float64Array([5, 30, 0, 10, 25, 10, 20]);
  s.setWeights(w);
  const m = scoringPreset("valueEngagement");
  m.indicators.forEach((ind, k) => (ind.weight = w[k]));
  check(m);
  assert.deepEqual(s.model(), m);
  assert.deepEqual(Array.from(s.weights()), Array.from(w));
  s.setModel("qualityCustomer");
  assert.deepEqual(s.tierLabels(), ["A", "B", "C", "D"]);
  assert.equal(s.length, 3000);
  s.free();
});

test("a failed setWeights or setModel changes nothing", () => {
  const s = new Scorer(customers(500), "valueEngagement");
  const before = [Array.from(s.tiers()), Array.from(s.tierCounts()), Array.from(s.weights())];
  throwsCrm(() => s.setWeights(new Float64Array([1, 2])), "length_mismatch", undefined, "weights");
  throwsCrm(() => s.setWeights(new Float64Array([1, 2, NaN, 4, 5, 6, 7])), "invalid_value", undefined, "weights[2]");
  throwsCrm(() => s.setWeights(new Float64Array([1, 2, -3, 4, 5, 6, 7])), "invalid_value", undefined, "weights[2]");
  throwsCrm(() => s.setModel({ indicators: [], tiers: [] }), "invalid_model", undefined, "indicators");
  throwsCrm(() => s.explain(500), "invalid_value", undefined, "index");
  assert.deepEqual([Array.from(s.tiers()), Array.from(s.tierCounts()), Array.from(s.weights())], before);
  s.free();
});

test("properties: range, monotone, order-independent", () => {
  const rows = customers(2000, 9);
  const model = scoringPreset("valueEngagement");
  const r = score(rows, model);
  for (const c of r.customers) {
    assert.ok(c.score >= -40 && c.score <= 100, `${c.score}`);
    close(c.contributions.reduce((s, x) => s + x.points, 0), c.score, 1e-3);
  }
  // Raising a higher-is-better field (interactions; no adjustment reads it) never lowers a score.
  const up = score(rows.map((c) => ({ ...c, interactionsLast90Days: c.interactionsLast90Days + 2 })), model);
  up.customers.forEach((c, i) => assert.ok(c.score >= r.customers[i].score, `${c.customerId}`));
  // Reversed input: every customer gets the same result.
  const rev = score([...rows].reverse(), model);
  const byId = new Map(rev.customers.map((c) => [c.customerId, c]));
  for (const c of r.customers) assert.deepEqual(byId.get(c.customerId), { ...c, tierIndex: c.tierIndex });
});

test("columnar input: typed arrays (NaN = missing) and arrays", () => {
  const s = new Scorer(
    { customerIds: ["a", "b", "c"], columns: { x: new Float64Array([1, NaN, 3]), city: ["SH", null, "BJ"] } },
    {
      indicators: [
        { id: "x", field: "x", weight: 50, scale: { type: "percentile" } },
        { id: "city", field: "city", weight: 50, scale: { type: "map", values: { SH: 1, BJ: 0.5 } } },
      ],
      tiers: [{ label: "A", min: 50 }, { label: "B", min: null }],
    },
  );
  assert.deepEqual(Array.from(s.scores()), [50, 0, 75]);
  assert.deepEqual(s.explain(2).customerId, "c");
  assert.deepEqual(s.customerIds(), ["a", "b", "c"]);
  s.free();
});

test("Scorer columns: a CodedText { codes, labels } scores like the same strings; bad codes are typed errors", () => {
  const model = {
    indicators: [
      { id: "city", field: "city", weight: 60, scale: { type: "map", values: { SH: 1, BJ: 0.5 } } },
      { id: "north", field: "region", weight: 40, scale: { type: "map", values: { north: 1 } } },
    ],
    tiers: [{ label: "A", min: 50 }, { label: "B", min: null }],
  };
  const city = ["SH", null, "BJ", "GZ", "SH"], region = ["north", "south", null, "north", "south"];
  const plain = new Scorer({ columns: { city, region } }, model);
  // Labels repeat ("SH" twice) and hold a null: codes through them mean the same values.
  const coded = new Scorer({
    columns: {
      city: { codes: Uint8Array.of(0, 2, 1, 3, 4), labels: ["SH", "BJ", null, "GZ", "SH"] },
      region: { codes: Uint16Array.of(0, 1, 2, 0, 1), labels: ["north", "south", null] },
    },
  }, model);
  assert.deepEqual(Array.from(coded.scores()), Array.from(plain.scores()));
  assert.deepEqual(Array.from(plain.scores()), [100, 0, 30, 40, 60]);
  assert.deepEqual(coded.explain(2), plain.explain(2));
  throwsCrm(() => new Scorer({ columns: { city: { codes: Uint8Array.of(0, 7), labels: ["SH"] } } }, model), "invalid_value", 1, "columns.city.codes");
  throwsCrm(() => new Scorer({ columns: { city: { codes: [0, 1], labels: ["SH", "BJ"] } } }, model), "invalid_value", undefined, "columns.city.codes");
  throwsCrm(() => new Scorer({ columns: { city: { codes: Uint8Array.of(0), labels: [5] } } }, model), "invalid_value", undefined, "columns.city.labels");
  plain.free();
  coded.free();
});

test("memory does not grow across 1,000 setWeights calls", () => {
  const s = new Scorer(customers(20000), "valueEngagement");
  const w = new Float64Array(7);
  const step = (r) => {
    for (let k = 0; k < 7; k++) w[k] = 5 + ((k * 7 + r) % 11);
    s.setWeights(w);
    s.tiers();
    s.tierCounts();
  };
  for (let r = 0; r < 20; r++) step(r);
  const before = memoryBytes();
  for (let r = 0; r < 1000; r++) step(r);
  assert.equal(memoryBytes(), before);
  s.free();
});

test("compareTiers: matrix, upgraded, downgraded, entered, left", () => {
  const before = [
    { customerId: "a", tier: "D" }, { customerId: "b", tier: "A" }, { customerId: "c", tier: "B" },
    { customerId: "d", tier: "C" }, { customerId: "e", tier: "B" },
  ];
  const after = [
    { customerId: "b", tier: "B" }, { customerId: "a", tier: "B" }, { customerId: "c", tier: "B" },
    { customerId: "f", tier: "A" }, { customerId: "d", tier: "D" },
  ];
  const t = compareTiers(before, after);
  assert.deepEqual(t.upgraded, ["a"]);
  assert.deepEqual(t.downgraded, ["b", "d"]);
  assert.deepEqual(t.entered, ["f"]);
  assert.deepEqual(t.left, ["e"]);
  assert.equal(t.unchanged, 1);
  assert.deepEqual(t.matrix, [
    { from: "A", to: "B", customers: 1 }, { from: "B", to: "B", customers: 1 },
    { from: "C", to: "D", customers: 1 }, { from: "D", to: "B", customers: 1 },
  ]);
  // a custom order (gold best) and tier indices from Scorer.tiers()
  const g = compareTiers([{ customerId: 1, tier: "silver" }], [{ customerId: 1, tier: "gold" }], { order: ["gold", "silver"] });
  assert.deepEqual(g.upgraded, [1]);
  assert.deepEqual(compareTiers([{ customerId: 1, tier: 3 }], [{ customerId: 1, tier: 0 }]).upgraded, [1]);
  throwsCrm(() => compareTiers(before, [...after, { customerId: "a", tier: "C" }]), "invalid_customer_id", 5, "after.customerId");
  throwsCrm(() => compareTiers([{ customerId: 1 }], after), "missing_field", 0, "before.tier");
  throwsCrm(() => compareTiers(before, after, { order: ["A", "B"] }), "invalid_value", 0, "before.tier");
});

test("tierEconomics: revenue, cost, margin and shares per tier", () => {
  const r = score(SEED_CUSTOMERS, "qualityCustomer");
  const e = tierEconomics(r, "annualPurchaseAmount", { costPerCustomer: { A: 5000, B: 2000, C: 500, D: 100 } });
  // A: c1 100k + c4 250k + c6 75k; B: c5 75k; C: c2 50k; D: c3 0
  assert.deepEqual(e.tiers.map((t) => [t.tier, t.customers, t.revenue, t.cost, t.margin]), [
    ["A", 3, 425000, 15000, 410000], ["B", 1, 75000, 2000, 73000], ["C", 1, 50000, 500, 49500], ["D", 1, 0, 100, -100],
  ]);
  close(e.tiers[0].revenueShare, 425000 / 550000);
  close(e.tiers[0].marginPerCustomer, 410000 / 3);
  assert.deepEqual(e.total, { customers: 6, revenue: 550000, cost: 17600, margin: 532400 });
  throwsCrm(() => tierEconomics(r, "annualPurchaseAmount", { costPerCustomer: { A: 1, B: 1, C: 1 } }), "invalid_option", undefined, "costPerCustomer.D");
  throwsCrm(() => tierEconomics(r, "profit", { costPerCustomer: { A: 1, B: 1, C: 1, D: 1 } }), "missing_field", 0, "profit");
});

test("score() on raw activity: derived fields plus the customers' attributes", () => {
  const data = {
    customers: [{ customerId: "a", region: "north" }, { customerId: "b", region: "south" }],
    orders: [
      { customerId: "a", date: "2026-06-01", amount: 400 },
      { customerId: "a", date: "2026-06-20", amount: 600 },
      { customerId: "b", date: "2026-01-10", amount: 100, status: "returned" },
      { customerId: "c", date: "2026-06-25", amount: 50 },
    ],
    interactions: [{ customerId: "b", date: "2026-06-01", type: "complaint" }],
  };
  const model = {
    indicators: [
      { id: "spend", field: "totalAmount", weight: 50, scale: { type: "linear", min: 0, max: 1000 } },
      { id: "north", field: "region", weight: 50, scale: { type: "map", values: { north: 1, south: 0.2 } } },
    ],
    adjustments: [{ id: "complained", field: "complaintCount", op: ">=", value: 1, points: -10 }],
    tiers: [{ label: "A", min: 60 }, { label: "B", min: null }],
  };
  const r = score(data, model, { asOf: "2026-06-30" });
  // a: 50 + 50; b: 0 (returned order) + 10 − 10; c: 2.5, no region
  assert.deepEqual(r.customers.map((c) => [c.customerId, c.score, c.tier]), [["a", 100, "A"], ["b", 0, "B"], ["c", 2.5, "B"]]);
  assert.equal(r.customers[2].contributions[1].value, null);
  const s = new Scorer(data, model, { asOf: "2026-06-30" });
  assert.deepEqual(Array.from(s.scores()), [100, 0, 2.5]);
  s.free();
  throwsCrm(() => score({ ...data, orders: [{ customerId: "a", date: "2026-07-05", amount: 1 }] }, model, { asOf: "2026-06-30" }), "date_after_as_of", 0, "date");
});

test("tiersInto / scoresInto write into the caller's arrays: equal to tiers() / scores(), checked lengths", () => {
  const s = new Scorer(customers(1000, 3), "valueEngagement");
  const tiers = new Uint8Array(1000).fill(99);
  const scores = new Float64Array(1000).fill(NaN);
  s.tiersInto(tiers);
  s.scoresInto(scores);
  assert.deepEqual(tiers, s.tiers());
  assert.deepEqual(scores, s.scores());
  // After a weight change the same arrays are reused.
  s.setWeights(new Float64Array([5, 30, 0, 10, 25, 10, 20]));
  s.tiersInto(tiers);
  s.scoresInto(scores);
  assert.deepEqual(tiers, s.tiers());
  assert.deepEqual(scores, s.scores());
  throwsCrm(() => s.tiersInto(new Uint8Array(999)), "length_mismatch", undefined, "out");
  throwsCrm(() => s.scoresInto(new Float64Array(1001)), "length_mismatch", undefined, "out");
  throwsCrm(() => s.tiersInto(new Float64Array(1000)), "invalid_argument", undefined, "out");
  assert.deepEqual(tiers, s.tiers(), "a refused call wrote nothing");
  s.free();
});
