// The argument guard (src/wasm/guard.js) through the BUILT package: the findings of issue 14
// part 2, one test each, and the rules the guard adds (wrong types, throwing getters and
// Proxies, freed handles, detached and oversized inputs).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  rfm, rfmColumnar, summarizeColumnar, fitBgNbd, crossTab, tierEconomics, classify, score, Scorer,
  scoringPreset, summarize, fitGammaGamma, TransactionModel, GammaGammaModel, validateModel, clv, rfmFromCustomers, deriveFields,
} from "crmscore";
import { generateCrm } from "crmscore/sample";
import { thrown } from "./helpers.mjs";

/** Expect a CrmScoreError invalid_argument whose field is `field`. */
function invalidArgument(fn, field, re) {
  const err = thrown(fn);
  assert.equal(err.name, "CrmScoreError", String(err && err.message));
  assert.equal(err.code, "invalid_argument", err.message);
  assert.equal(err.field, field, err.message);
  // The sentence names the parameter (for `this`: the method, e.g. "Scorer.scores: this Scorer was freed").
  if (field !== "this") assert.ok(err.message.startsWith(field), `the sentence names ${field}: ${err.message}`);
  if (re) assert.match(err.message, re);
  return err;
}

const ORDERS = [
  { customerId: "a", date: "2024-01-02", amount: 10 },
  { customerId: "b", date: "2024-02-03", amount: 25 },
  { customerId: "a", date: "2024-03-04", amount: 5 },
  { customerId: "c", date: "2024-03-05", amount: 40 },
];
const CUSTOMERS = [
  { customerId: 1, annualPurchaseAmount: 100000, renewalRate: 1, feedbackScore: 5, trainingAttendance: 1 },
  { customerId: 2, annualPurchaseAmount: 50000, renewalRate: 0.5, feedbackScore: 4, trainingAttendance: 0 },
  { customerId: 3, annualPurchaseAmount: 0, renewalRate: 0, trainingAttendance: 0.2 },
];
const throwing = () => {
  throw new Error("the page's getter failed");
};

test("crossTab with a non-string attribute: invalid_argument, not a memory access out of bounds", () => {
  const crm = generateCrm({ customers: 30, seed: 2 });
  const r = classify({ orders: ORDERS });
  invalidArgument(() => crossTab(r, [{ customerId: "a", region: "x" }], 12345), "attribute", /must be a string, got the number 12345/);
  invalidArgument(() => crossTab(r, [], undefined), "attribute");
  invalidArgument(() => crossTab(r, [], { toString: () => "region" }), "attribute");
  // the module still works
  assert.equal(crossTab(r, [{ customerId: "a", region: "x" }], "region").total.customers, 3);
  assert.ok(crm.customerIds.length === 30);
});

test("tierEconomics with a non-string revenueField: invalid_argument", () => {
  const s = score(CUSTOMERS, "qualityCustomer");
  invalidArgument(() => tierEconomics(s, 7, { costPerCustomer: { A: 1 } }), "revenueField", /got the number 7/);
  invalidArgument(() => tierEconomics(s, Symbol("x"), { costPerCustomer: { A: 1 } }), "revenueField", /Symbol/);
  assert.equal(tierEconomics(s, "annualPurchaseAmount", { costPerCustomer: { A: 1, B: 1, C: 1, D: 1 } }).total.customers, 3);
});

test("BigInt or Symbol where a typed array or number is expected: coded, not a bare TypeError", () => {
  const ci = Uint32Array.of(0, 1, 0), d = Int32Array.of(19000, 19001, 19002), a = Float64Array.of(1, 2, 3);
  invalidArgument(() => rfmColumnar(10n, d, a), "customerIndex", /a BigInt/);
  invalidArgument(() => rfmColumnar(ci, Symbol("d"), a), "dates", /a Symbol/);
  invalidArgument(() => rfmColumnar(ci, d, [1, 2, 3]), "amounts", /Float64Array/);
  invalidArgument(() => rfmColumnar(ci, d, a, 5n), "options");
  invalidArgument(() => summarizeColumnar(ci, d, Symbol("a"), { unit: "day" }), "amounts");
  invalidArgument(() => summarizeColumnar(ci, d, a, 1n), "options");
  invalidArgument(() => fitBgNbd(10n), "summaries", /a BigInt/);
  invalidArgument(() => fitBgNbd(Symbol("s")), "summaries");
  invalidArgument(() => fitBgNbd([{ frequency: 1, recency: 2, T: 3 }], Symbol("o")), "options");
  assert.equal(rfmColumnar(ci, d, a).customerCount, 2);
});

test("a BigInt or Symbol inside the data is the row's coded error, as before", () => {
  assert.throws(() => rfm([{ customerId: "a", date: "2024-01-02", amount: 10n }]), (e) => e.code === "invalid_amount" && e.row === 0);
  assert.throws(() => rfm([{ customerId: Symbol("a"), date: "2024-01-02", amount: 1 }]), (e) => e.code === "invalid_customer_id" && e.row === 0);
});

test("a non-string attribute or preset name never reaches the string glue (no charCodeAt TypeError)", () => {
  invalidArgument(() => scoringPreset(42), "name", /must be a string/);
  invalidArgument(() => scoringPreset({ length: 3 }), "name");
  invalidArgument(() => validateModel(7), "model");
  invalidArgument(() => score(CUSTOMERS, 1n), "model");
});

test("Scorer survives a throwing getter or Proxy in setModel / setWeights: still usable, free() works", () => {
  const s = new Scorer(CUSTOMERS, "qualityCustomer");
  const before = Array.from(s.scores());
  const model = scoringPreset("qualityCustomer");
  const getterModel = { ...model };
  Object.defineProperty(getterModel, "tiers", { get: throwing, enumerable: true });
  const e1 = invalidArgument(() => s.setModel(getterModel), "model", /could not be read.*getter failed/);
  assert.equal(e1.cause.message, "the page's getter failed");
  invalidArgument(() => s.setModel(new Proxy(model, { get: throwing })), "model");
  invalidArgument(() => s.setModel(new Proxy(model, { ownKeys: throwing })), "model");
  invalidArgument(() => s.setModel(new Proxy(model, { getPrototypeOf: throwing })), "model");
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  invalidArgument(() => s.setModel(revoked.proxy), "model");
  invalidArgument(() => s.setWeights(new Proxy(Float64Array.of(1, 2, 3, 4), { get: throwing })), "weights");
  invalidArgument(() => s.setWeights([40, 30, 20, 10]), "weights", /Float64Array/);
  invalidArgument(() => s.explain(1n), "index");
  // every later call works and gives the same answers
  assert.deepEqual(Array.from(s.scores()), before);
  s.setWeights(Float64Array.of(10, 10, 10, 10));
  s.setModel(model);
  assert.deepEqual(Array.from(s.scores()), before);
  assert.equal(s.explain(0).customerId, 1);
  s.free();
  // a freed handle: coded errors, and free() again is a no-op
  invalidArgument(() => s.scores(), "this", /was freed/);
  invalidArgument(() => s.length, "this", /was freed/);
  s.free();
});

test("the constructor and models survive throwing input too", () => {
  const rows = CUSTOMERS.map((c) => ({ ...c }));
  Object.defineProperty(rows[1], "renewalRate", { get: throwing, enumerable: true });
  invalidArgument(() => new Scorer(rows, "qualityCustomer"), "customers", /could not be read/);
  invalidArgument(() => Scorer(CUSTOMERS, "qualityCustomer"), "this", /with new/);
  const summaries = summarize(ORDERS, { unit: "day" });
  const m = fitBgNbd(summaries.concat(summaries.map((x) => ({ ...x, customerId: x.customerId + "2" }))));
  invalidArgument(() => m.pAlive(new Proxy([1], { get: throwing }), 1, 1), "frequency");
  invalidArgument(() => m.probabilityOfPurchases(-1, 2), "n", /integer/);
  invalidArgument(() => m.probabilityOfPurchases(2 ** 32, 2), "n");
  invalidArgument(() => m.expectedPurchasesNew("3"), "t");
  invalidArgument(() => TransactionModel.fromJSON(Symbol("j")), "json");
  const json = m.toJSON();
  const m2 = TransactionModel.fromJSON(json);
  assert.equal(m2.expectedPurchasesNew(3), m.expectedPurchasesNew(3));
  m2.free();
  invalidArgument(() => m2.toJSON(), "this", /freed/);
  invalidArgument(() => TransactionModel.prototype.toJSON.call({}), "this", /must be called on a TransactionModel/);
  // a Proxy around a live handle, as `this` or as an argument: read once, never trusted
  const g0 = fitGammaGamma([{ frequency: 2, monetaryValue: 10 }, { frequency: 1, monetaryValue: 20 }, { frequency: 3, monetaryValue: 15 }]);
  invalidArgument(() => m.expectedPurchasesNew.call(new Proxy(m, { get: throwing }), 3), "this");
  invalidArgument(() => clv(new Proxy(m, { get: throwing }), g0, summaries, { horizon: 4, step: 1, discountRatePerStep: 0 }), "model");
  invalidArgument(() => clv(m, new Proxy(g0, { getPrototypeOf: throwing }), summaries, { horizon: 4, step: 1, discountRatePerStep: 0 }), "spend");
  invalidArgument(() => classify({ orders: ORDERS }, { pAliveModel: new Proxy(m, { get: throwing }) }), "options");
  assert.equal(new Proxy(m, {}).expectedPurchasesNew(3), m.expectedPurchasesNew(3));
  assert.equal(clv(new Proxy(m, {}), g0, summaries, { horizon: 4, step: 1, discountRatePerStep: 0 }).length, summaries.length);
  // free() through a Proxy would leave the original registered for finalization (a double
  // free later): refused; the original still answers and frees
  invalidArgument(() => new Proxy(g0, {}).free(), "this", /itself/);
  assert.ok(g0.expectedSpend(2, 10) > 0);
  g0.free();
  m.free();
  const g = fitGammaGamma([{ frequency: 2, monetaryValue: 10 }, { frequency: 1, monetaryValue: 20 }, { frequency: 3, monetaryValue: 15 }]);
  invalidArgument(() => g.expectedSpend(Symbol("f"), 1), "frequency");
  assert.ok(g.expectedSpend(2, 10) > 0);
  assert.ok(GammaGammaModel.fromJSON(g.toJSON()).expectedSpend(2, 10) > 0);
  g.free();
});

test("plain data semantics: class instances with prototype getters are read; harmless Proxies and frozen rows work", () => {
  class Order {
    constructor(id, date, amount) {
      this._ = { id, date, amount };
    }
    get customerId() { return this._.id; }
    get date() { return this._.date; }
    get amount() { return this._.amount; }
  }
  const want = rfm(ORDERS);
  assert.deepEqual(rfm(ORDERS.map((o) => new Order(o.customerId, o.date, o.amount))).customers, want.customers);
  assert.deepEqual(rfm(new Proxy(ORDERS.map((o) => new Proxy(o, {})), {})).customers, want.customers);
  assert.deepEqual(rfm(Object.freeze(ORDERS.map((o) => Object.freeze({ ...o })))).customers, want.customers);
  const withDates = ORDERS.map((o) => ({ ...o, date: new Date(o.date) }));
  assert.deepEqual(rfm(withDates).customers, want.customers);
  assert.throws(() => rfm([{ ...ORDERS[0], date: new Date(NaN) }]), (e) => e.code === "invalid_date" && e.row === 0);
});

test("limits: detached and oversized typed arrays, huge strings, deep nesting: invalid_argument, then the module still works", () => {
  const d = Int32Array.of(19000, 19001), a = Float64Array.of(1, 2);
  const detached = new Uint32Array(2);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  invalidArgument(() => rfmColumnar(detached, d, a), "customerIndex", /detached/);
  // Typed arrays count by bytes (1 GiB in one call): 2^26 + 1 amounts (512 MiB) pass the guard
  // (and fail on their length in Rust), 2^27 + 1 do not.
  const big = new Float64Array((1 << 26) + 1);
  assert.throws(() => rfmColumnar(Uint32Array.of(0, 1), d, big), (e) => e.code === "length_mismatch");
  const huge = new Float64Array((1 << 27) + 1);
  invalidArgument(() => rfmColumnar(Uint32Array.of(0, 1), d, huge), "amounts", /too large/);
  // A big typed array where an object is expected is refused at once (its keys are not listed).
  assert.throws(() => rfm(ORDERS, big), (e) => e.code === "invalid_option" && /must be an object/.test(e.message));
  assert.throws(() => deriveFields(big), (e) => e.code === "invalid_value" && e.field === "data");
  invalidArgument(() => crossTab(classify({ orders: ORDERS }), [], "x".repeat((1 << 24) + 1)), "attribute", /characters/);
  const deep = {};
  let p = deep;
  for (let i = 0; i < 100; i++) p = p.next = {};
  invalidArgument(() => rfm(ORDERS, deep), "options", /nested/);
  const cyclic = { asOf: "2024-06-01" };
  cyclic.self = cyclic;
  invalidArgument(() => rfm(ORDERS, cyclic), "options", /nested|cyclic/);
  // an index past the limit without customerCount was a trap (index out of bounds in Rust)
  assert.throws(() => rfmColumnar(Uint32Array.of(0, 4294967295), d, a), (e) => e.code === "invalid_customer_id" && e.row === 1 && e.field === "customerIndex");
  assert.throws(() => rfmColumnar(Uint32Array.of(0, 1), d, a, { customerCount: 4294967295 }), (e) => e.code === "invalid_option" && e.field === "customerCount");
  assert.equal(rfmColumnar(Uint32Array.of(0, 1), d, a).customerCount, 2);
});

test("rows read by the glue (rfm, summarize, rfmFromCustomers): a throwing row is invalid_argument with its row, the page's array untouched", () => {
  const bad = ORDERS.map((o) => ({ ...o }));
  Object.defineProperty(bad[2], "amount", { get: throwing, enumerable: true });
  for (const f of [() => rfm(bad), () => summarize(bad, { unit: "day" })]) {
    const e = invalidArgument(f, "orders", /^orders\[2\] could not be read.*getter failed/);
    assert.equal(e.row, 2);
  }
  assert.equal(typeof Object.getOwnPropertyDescriptor(bad[2], "amount").get, "function", "the page's row is not replaced");
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  assert.equal(invalidArgument(() => rfm([ORDERS[0], revoked.proxy]), "orders").row, 1);
  assert.equal(invalidArgument(() => rfm([ORDERS[0], new Proxy(ORDERS[1], { get: throwing })]), "orders").row, 1);
  assert.equal(invalidArgument(() => rfm([ORDERS[0], { ...ORDERS[1], date: "9".repeat((1 << 24) + 1) }]), "orders", /characters/).row, 1);
  invalidArgument(() => rfm(new Proxy(ORDERS, { get: throwing })), "orders", /could not be read/);
  const agg = [{ customerId: 1, recencyDays: 3, frequency: 1, monetary: 2 }, new Proxy({}, { get: throwing })];
  assert.equal(invalidArgument(() => rfmFromCustomers(agg), "customers").row, 1);
  // a bad row is re-read by Rust for its message: from a plain copy, never the page's values
  assert.equal(invalidArgument(() => rfm([ORDERS[0], { ...ORDERS[1], amount: revoked.proxy }]), "orders").row, 1); // inspecting it throws
  assert.throws(() => rfm([ORDERS[0], { ...ORDERS[1], amount: new Map() }]), (e) => e.code === "invalid_amount" && e.row === 1);
  assert.throws(() => rfm([ORDERS[0], { ...ORDERS[1], date: new Proxy({}, { getPrototypeOf: throwing }) }]), (e) => e.name === "CrmScoreError" && e.row === 1);
  assert.throws(() => rfmFromCustomers([{ customerId: 1, recencyDays: revoked.proxy, frequency: 1, monetary: 2 }]), (e) => e.name === "CrmScoreError" && e.row === 0);
  // an earlier row's own error still comes first
  assert.throws(() => rfm([{ ...ORDERS[0], amount: -1 }, revoked.proxy]), (e) => e.code === "invalid_amount" && e.row === 0);
  assert.equal(rfm(ORDERS).customers.length, 3);
});
