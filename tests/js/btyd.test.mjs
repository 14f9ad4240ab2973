// Customer lifetime value through the BUILT package: conformance on the CDNOW sample
// (tests/fixtures/reference/btyd, published values), summarize against Python lifetimes'
// fixtures (tests/fixtures, recorded by scripts/lifetimes_fixture.py), robustness, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { throwsCrm } from "./helpers.mjs";
import {
  summarize, summarizeColumnar, fitBgNbd, fitModifiedBgNbd, fitParetoNbd, fitGammaGamma, clv, TransactionModel, GammaGammaModel,
} from "crmscore";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const csv = (path) => {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const keys = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i], v])));
};
const cdnow = csv(join(root, "tests", "fixtures", "reference", "btyd", "cdnow_sample_summary.csv")).map((r) => ({
  frequency: +r.x, recency: +r.t_x, T: +r.T, monetaryValue: +r.zbar,
}));
/**
 * a equals the published b to 4 significant digits: |a − b| ≤ half a unit of b's 4th
 * significant digit, plus half a unit of b's last printed digit (b is itself rounded).
 */
const sig4 = (a, b, what) => {
  const decimals = (String(b).split(".")[1] ?? "").length;
  const tol = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(b))) - 3) + 0.5 * 10 ** -decimals;
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs published ${b} (tolerance ${tol})`);
};

test("BG/NBD on CDNOW: published parameters, log-likelihood and predictions", () => {
  const m = fitBgNbd(cdnow);
  assert.equal(m.kind, "bgNbd");
  assert.equal(m.converged, true, m.reason);
  const p = m.params;
  sig4(p.r, 0.2426, "r");
  sig4(p.alpha, 4.4135, "alpha");
  sig4(p.a, 0.7929, "a");
  sig4(p.b, 2.4258, "b");
  sig4(m.logLikelihood, -9582.43, "LL");
  sig4(m.expectedPurchases(39, 2, 30.43, 38.86), 1.226, "E[Y(39) | 2, 30.43, 38.86]");
  for (const [t, v] of [[1, 0.0532], [3, 0.1506], [32, 1.0437], [78, 1.8576]]) sig4(m.expectedPurchasesNew(t), v, `E[X(${t})]`);
  // P(X(39) = 0) = 0.5738 is computed with the paper's rounded parameters.
  const paper = TransactionModel.fromJSON({ kind: "bgNbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } });
  sig4(paper.probabilityOfPurchases(0, 39), 0.5738, "P(X(39) = 0)");
  let total = 0, mean = 0;
  for (let n = 0; n < 400; n++) {
    const p = m.probabilityOfPurchases(n, 39);
    total += p;
    mean += n * p;
  }
  assert.ok(Math.abs(total - 1) < 1e-9 && Math.abs(mean - m.expectedPurchasesNew(39)) < 1e-8, `Σ P = ${total}, mean ${mean}`);
  assert.equal(m.customers, 2357);
  assert.ok(m.distinctRows < m.customers, "identical rows collapsed");
  for (const k of ["r", "alpha", "a", "b"]) assert.ok(m.standardErrors[k] > 0 && m.standardErrors[k] < p[k], k);
  // Arrays in, Float64Array out, equal to the scalar calls.
  const pa = m.pAlive(Float64Array.of(0, 2, 1000), Float64Array.of(0, 30.43, 10), Float64Array.of(38.86, 38.86, 100));
  assert.ok(pa instanceof Float64Array);
  assert.equal(pa[0], 1);
  assert.equal(pa[1], m.pAlive(2, 30.43, 38.86));
  assert.ok(pa[2] >= 0 && pa[2] < 1e-10, `frequency 1000, recency 10, T 100: P(alive) ≈ 0, got ${pa[2]}`);
});

test("Pareto/NBD and MBG/NBD on CDNOW: published parameters", () => {
  const pn = fitParetoNbd(cdnow);
  assert.equal(pn.kind, "paretoNbd");
  sig4(pn.params.r, 0.5533, "r");
  sig4(pn.params.alpha, 10.5776, "alpha");
  sig4(pn.params.s, 0.6062, "s");
  sig4(pn.params.beta, 11.6679, "beta");
  sig4(pn.logLikelihood, -9594.97, "LL");
  const mb = fitModifiedBgNbd(cdnow);
  // Published to 3 decimals: r 0.525, α 6.183, a 0.891, b 1.614.
  for (const [k, v] of Object.entries({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 })) assert.ok(Math.abs(mb.params[k] - v) <= 0.0005, `${k}: ${mb.params[k]}`);
});

test("Gamma-Gamma on CDNOW repeat buyers: published parameters and expected spends", () => {
  const g = fitGammaGamma(cdnow);
  assert.equal(g.customers, 946);
  sig4(g.params.p, 6.2488, "p");
  sig4(g.params.q, 3.7446, "q");
  sig4(g.params.gamma, 15.4477, "gamma");
  sig4(g.logLikelihood, -4055.92, "LL");
  const spend = g.expectedSpend(Float64Array.from(cdnow.slice(0, 10), (c) => c.frequency), Float64Array.from(cdnow.slice(0, 10), (c) => c.monetaryValue));
  // Published to two decimals; ID 1's 24.65 is 24.6586 truncated (the published parameters
  // give 24.6585 too), so one unit of the last published digit is allowed.
  [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17].forEach((v, i) => assert.ok(Math.abs(spend[i] - v) <= 0.01, `ID ${i + 1}: ${spend[i]}`));
  throwsCrm(() => GammaGammaModel.fromJSON({ params: { p: 6, q: 0.9, gamma: 15 } }), "invalid_model", undefined, "q");
});

test("CLV: lifetimes' 12 'months' with a weekly model (freq=\"W\": 4.345 weeks a month) = horizon 12 × 4.345, step 4.345", () => {
  const rows = csv(join(root, "tests", "fixtures", "lifetimes_clv.csv"));
  const s = rows.map((r) => ({ frequency: +r.x, recency: +r.t_x, T: +r.T, monetaryValue: +r.zbar }));
  const m = fitBgNbd(cdnow), g = fitGammaGamma(cdnow);
  const v = clv(m, g, s, { horizon: 12 * 4.345, step: 4.345, discountRatePerStep: 0.01 });
  rows.forEach((r, i) => assert.ok(Math.abs(v[i] - +r.clv) <= 1e-3 * Math.max(1, +r.clv), `row ${i}: ${v[i]} vs lifetimes ${r.clv}`));
  // Months of 30.436875 days are a different (documented) horizon: different values.
  const w = clv(m, g, s, { horizon: 12 * 30.436875 / 7, step: 30.436875 / 7, discountRatePerStep: 0.01 });
  assert.ok(w[0] > v[0]);
  throwsCrm(() => clv(m, g, s, { horizon: 12, step: 5, discountRatePerStep: 0 }), "invalid_option", undefined, "horizon");
  throwsCrm(() => clv(m, g, s, { horizon: 12, step: 1 }), "invalid_option", undefined, "discountRatePerStep");
});

test("summarize = lifetimes' summary_data_from_transaction_data (day and week) and calibration_and_holdout_data", () => {
  const tx = csv(join(root, "tests", "fixtures", "btyd_transactions.csv")).map((r) => ({ customerId: +r.customer, date: r.date, amount: +r.amount }));
  for (const [unit, file] of [["day", "lifetimes_summary_day.csv"], ["week", "lifetimes_summary_week.csv"]]) {
    const expected = csv(join(root, "tests", "fixtures", file));
    const got = new Map(summarize(tx, { asOf: "2024-12-31", unit }).map((s) => [s.customerId, s]));
    assert.equal(got.size, expected.length);
    for (const e of expected) {
      const s = got.get(+e.customer);
      assert.equal(s.frequency, +e.frequency, `${unit} ${e.customer}`);
      assert.ok(Math.abs(s.recency - +e.recency) < 1e-9 && Math.abs(s.T - +e.T) < 1e-9, `${unit} ${e.customer}`);
      assert.ok(Math.abs(s.monetaryValue - +e.monetary_value) < 1e-9, `${unit} ${e.customer} monetary`);
    }
  }
  const hold = csv(join(root, "tests", "fixtures", "lifetimes_holdout_week.csv"));
  const got = new Map(summarize(tx, { asOf: "2024-12-31", calibrationEnd: "2024-06-30", unit: "week" }).map((s) => [s.customerId, s]));
  assert.equal(got.size, hold.length);
  for (const e of hold) {
    const s = got.get(+e.customer);
    assert.equal(s.frequency, +e.frequency_cal);
    assert.ok(Math.abs(s.T - +e.T_cal) < 1e-9);
    assert.equal(s.frequencyHoldout, +e.frequency_holdout);
    assert.ok(Math.abs(s.monetaryValueHoldout - +e.monetary_value_holdout) < 1e-9);
    assert.ok(Math.abs(s.durationHoldout - +e.duration_holdout) < 1e-9);
  }
  // The columnar path gives the same rows.
  const ids = [...new Set(tx.map((o) => o.customerId))];
  const index = new Map(ids.map((id, i) => [id, i]));
  const c = summarizeColumnar(
    Uint32Array.from(tx, (o) => index.get(o.customerId)),
    Int32Array.from(tx, (o) => Date.parse(o.date) / 864e5),
    Float64Array.from(tx, (o) => o.amount),
    { asOf: "2024-12-31", unit: "week" },
  );
  const objects = new Map(summarize(tx, { asOf: "2024-12-31", unit: "week" }).map((s) => [s.customerId, s]));
  assert.equal(c.customer.length, objects.size);
  c.customer.forEach((ci, k) => {
    const o = objects.get(ids[ci]);
    assert.deepEqual([c.frequency[k], c.recency[k], c.T[k], c.monetaryValue[k]], [o.frequency, o.recency, o.T, o.monetaryValue]);
  });
  // A fit on summarizeColumnar's output remembers the unit; options.unit must agree.
  assert.equal(fitBgNbd(c).unit, "week");
  assert.equal(fitBgNbd([...objects.values()], { unit: "week" }).unit, "week");
  assert.equal(fitBgNbd([...objects.values()]).unit, null);
  throwsCrm(() => fitBgNbd(c, { unit: "day" }), "invalid_option", undefined, "unit");
});

test("robustness: no NaN or infinity, non-convergence said, models restored from JSON", () => {
  const finite = (m) => Object.values(m.params).every(Number.isFinite) && Number.isFinite(m.logLikelihood);
  // All one-time buyers.
  const once = Array.from({ length: 500 }, (_, i) => ({ frequency: 0, recency: 0, T: 10 + (i % 50) }));
  const m1 = fitBgNbd(once);
  assert.ok(finite(m1));
  if (!m1.converged) assert.ok(m1.reason.length > 0);
  // A single customer; T in the tens of thousands of days; a huge penalizer.
  for (const s of [[{ frequency: 3, recency: 20, T: 40 }], [{ frequency: 40, recency: 29000, T: 30000 }, { frequency: 0, recency: 0, T: 25000 }]]) {
    const m = fitBgNbd(s);
    assert.ok(finite(m));
    assert.equal(typeof m.converged, "boolean");
    assert.ok(Number.isFinite(m.expectedPurchases(365, 40, 29000, 30000)));
  }
  assert.ok(finite(fitBgNbd(cdnow, { penalizer: 1e6 })));
  // toJSON → JSON → fromJSON: the same predictions.
  const m = fitBgNbd(cdnow);
  const back = TransactionModel.fromJSON(JSON.parse(JSON.stringify(m)));
  assert.deepEqual(back.params, m.params);
  assert.equal(back.expectedPurchases(39, 2, 30.43, 38.86), m.expectedPurchases(39, 2, 30.43, 38.86));
  // Published parameters without a fit.
  const pub = TransactionModel.fromJSON({ kind: "bgNbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, unit: "week" });
  assert.equal(pub.unit, "week");
  assert.ok(Math.abs(pub.expectedPurchases(39, 2, 30.43, 38.86) - 1.226) < 0.01);
});

test("errors: invalid summaries name the row; options and units are checked", () => {
  throwsCrm(() => fitBgNbd([{ frequency: 1, recency: 5, T: 10 }, { frequency: 2, recency: 12, T: 10 }]), "invalid_value", 1, "recency");
  throwsCrm(() => fitBgNbd([{ frequency: 1.5, recency: 5, T: 10 }]), "invalid_value", 0, "frequency");
  throwsCrm(() => fitBgNbd([{ frequency: 1, recency: 5, T: 10 }, { frequency: 1, recency: 5, T: NaN }]), "invalid_value", 1, "T");
  throwsCrm(() => fitBgNbd([{ frequency: -1, recency: 0, T: 10 }]), "invalid_value", 0, "frequency");
  throwsCrm(() => fitBgNbd([{ frequency: 1, T: 10 }]), "missing_field", 0, "recency");
  throwsCrm(() => fitBgNbd(cdnow, { penalizer: -1 }), "invalid_option", undefined, "penalizer");
  throwsCrm(() => fitBgNbd({ frequency: [1, 2], recency: [1], T: [3, 4] }), "length_mismatch", undefined, "recency");
  const orders = [{ customerId: "a", date: "2024-01-01", amount: 10 }, { customerId: "a", date: "2024-02-30", amount: 5 }];
  throwsCrm(() => summarize(orders, { unit: "week" }), "invalid_date", 1, "date");
  throwsCrm(() => summarize([{ customerId: "a", date: "2024-01-01", amount: -3 }], { unit: "day" }), "invalid_amount", 0, "amount");
  throwsCrm(() => summarize([{ customerId: "a", date: "2024-01-01", amount: 3 }], { asOf: "2024-06-01" }), "invalid_option", undefined, "unit");
  throwsCrm(() => summarize([{ customerId: "a", date: "2024-01-01", amount: 3 }], { unit: "fortnight" }), "invalid_option", undefined, "unit");
  throwsCrm(() => summarize([{ customerId: "a", date: "2024-07-01", amount: 3 }], { unit: "day", asOf: "2024-06-01" }), "date_after_as_of", 0, "date");
  const m = fitBgNbd(cdnow);
  throwsCrm(() => m.pAlive(1, 5, Float64Array.of(3)), "invalid_value");
  throwsCrm(() => m.pAlive(Float64Array.of(1), Float64Array.of(5), Float64Array.of(3)), "invalid_value", 0, "recency");
  throwsCrm(() => fitParetoNbd(cdnow).probabilityOfPurchases(0, 39), "invalid_model");
});

test("scoring models can name pAlive, expectedPurchases90Days and clv derived from a fitted model", async () => {
  const { score } = await import("crmscore");
  const tx = csv(join(root, "tests", "fixtures", "btyd_transactions.csv")).map((r) => ({ customerId: +r.customer, date: r.date, amount: +r.amount }));
  const asOf = "2024-12-31";
  const sums = summarize(tx, { asOf, unit: "week" });
  const m = fitBgNbd(sums, { unit: "week" }), g = fitGammaGamma(sums);
  const clvOptions = { horizon: 52, step: 4, discountRatePerStep: 0.01 };
  const model = {
    indicators: [
      { id: "alive", field: "pAlive", weight: 50, scale: { type: "linear", min: 0, max: 1 } },
      { id: "next90", field: "expectedPurchases90Days", weight: 25, scale: { type: "linear", min: 0, max: 5 } },
      { id: "value", field: "clv", weight: 25, scale: { type: "log", max: 1000 } },
    ],
    tiers: [{ label: "A", min: 60 }, { label: "B", min: null }],
  };
  const r = score({ orders: tx }, model, { asOf, lifetime: { model: m, spend: g, clv: clvOptions } });
  const byCustomer = new Map(sums.map((s) => [s.customerId, s]));
  const expectedClv = clv(m, g, sums, clvOptions);
  const clvOf = new Map(sums.map((s, i) => [s.customerId, expectedClv[i]]));
  for (const c of r.customers.slice(0, 50)) {
    const s = byCustomer.get(c.customerId);
    const field = (id) => c.contributions.find((x) => x.indicator === id).value;
    assert.ok(Math.abs(field("alive") - m.pAlive(s.frequency, s.recency, s.T)) < 1e-12);
    assert.ok(Math.abs(field("next90") - m.expectedPurchases(90 / 7, s.frequency, s.recency, s.T)) < 1e-12);
    assert.ok(Math.abs(field("value") - clvOf.get(c.customerId)) < 1e-9);
  }
  throwsCrm(() => score({ orders: tx }, model, { asOf, lifetime: { model: TransactionModel.fromJSON({ kind: "bgNbd", params: m.params }) } }),
    "invalid_option", undefined, "lifetime.model");
  throwsCrm(() => score({ orders: tx }, model, { asOf, lifetime: { model: m, spend: g } }), "invalid_option", undefined, "lifetime.clv");
});
