// deriveFieldsColumnar (typed columns) against deriveFields on the same rows as records:
// every field of every customer, exactly; and a Scorer on the columns = a Scorer on the records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deriveFields, deriveFieldsColumnar, sampleOrders, sampleOrdersColumnar, Scorer, scoringPreset } from "crmscore";
import { throwsCrm } from "./helpers.mjs";

const NO_DAY = -2147483648;
const DERIVED_FIELDS = [
  "orderCount", "totalAmount", "amountLast365Days", "averageOrderValue", "daysSinceLastOrder",
  "tenureDays", "returnRate", "complaintCount", "averageFeedback", "interactionsLast90Days",
  "averagePaymentDelayDays", "paymentDefaultCount", "referralCount",
];
/** The latest day of any dated row or createdAt. */
function latestDay(activity) {
  let max = NO_DAY;
  const scan = (days) => days && days.forEach((d) => d !== NO_DAY && d > max && (max = d));
  scan(activity.createdAt);
  for (const t of ["orders", "interactions", "returns", "payments"]) scan(activity[t]?.date);
  return max;
}
const deriveColumns = (activity, asOf) => deriveFieldsColumnar(activity, asOf === undefined ? {} : { asOf: iso(asOf) });

const iso = (day) => new Date(day * 864e5).toISOString().slice(0, 10);

function sfc32(a, b, c, d) {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const ORDER = ["completed", "returned", "cancelled", "refused"];
const TYPES = ["visit", "email", "call", "meeting", "complaint", "feedback", "training", "referral", "quote", "other"];
const PAY = ["paid", "late", "failed", "chargeback"];

/** Random activity with every table, as columns and as the equivalent records. */
function randomActivity(seed, n) {
  const rnd = sfc32(seed, 7, 11, 13);
  const int = (k) => Math.floor(rnd() * k);
  const base = 20000;
  const customerIds = Array.from({ length: n }, (_, i) => (i % 3 ? `c${i}` : i));
  const createdAt = new Int32Array(n).map(() => (rnd() < 0.3 ? NO_DAY : base + int(700)));
  const table = (rows, make) => {
    const cols = {};
    for (let r = 0; r < rows; r++) {
      const row = make();
      for (const [k, v] of Object.entries(row)) (cols[k] ??= []).push(v);
    }
    return cols;
  };
  const o = table(n * 4, () => ({ customer: int(n), date: base + int(800), amount: Math.round(rnd() * 50000) / 100, status: rnd() < 0.7 ? 0 : int(4) }));
  const it = table(n * 3, () => ({ customer: int(n), date: base + int(800), type: int(10), value: rnd() < 0.3 ? NaN : 1 + int(5) }));
  const rt = table(n, () => ({ customer: int(n), date: base + int(800), amount: int(100) }));
  const py = table(n * 2, () => ({ customer: int(n), date: base + int(800), amount: int(500), status: int(4), daysLate: rnd() < 0.4 ? NaN : int(30) }));
  const activity = {
    customerIds,
    createdAt,
    orders: { customer: Uint32Array.from(o.customer), date: Int32Array.from(o.date), amount: Float64Array.from(o.amount), status: Uint8Array.from(o.status) },
    interactions: { customer: Uint32Array.from(it.customer), date: Int32Array.from(it.date), type: Uint8Array.from(it.type), value: Float64Array.from(it.value) },
    returns: { customer: Uint32Array.from(rt.customer), date: Int32Array.from(rt.date), amount: Float64Array.from(rt.amount) },
    payments: { customer: Uint32Array.from(py.customer), date: Int32Array.from(py.date), amount: Float64Array.from(py.amount), status: Uint8Array.from(py.status), daysLate: Float64Array.from(py.daysLate) },
  };
  const num = (x) => (Number.isFinite(x) ? x : null);
  const records = {
    customers: customerIds.map((customerId, i) => ({ customerId, createdAt: createdAt[i] === NO_DAY ? null : iso(createdAt[i]) })),
    orders: o.customer.map((c, r) => ({ customerId: customerIds[c], date: iso(o.date[r]), amount: o.amount[r], status: ORDER[o.status[r]] })),
    interactions: it.customer.map((c, r) => ({ customerId: customerIds[c], date: iso(it.date[r]), type: TYPES[it.type[r]], value: num(it.value[r]) })),
    returns: rt.customer.map((c, r) => ({ customerId: customerIds[c], date: iso(rt.date[r]), amount: rt.amount[r] })),
    payments: py.customer.map((c, r) => ({ customerId: customerIds[c], date: iso(py.date[r]), amount: py.amount[r], status: PAY[py.status[r]], daysLate: num(py.daysLate[r]) })),
  };
  return { activity, records };
}

function assertSame(columns, rows, ids) {
  assert.equal(rows.length, ids.length);
  for (let i = 0; i < rows.length; i++) {
    assert.equal(rows[i].customerId, ids[i]);
    for (const f of DERIVED_FIELDS) {
      const mine = Number.isNaN(columns[f][i]) ? null : columns[f][i];
      assert.equal(mine, rows[i][f], `customer ${ids[i]}, ${f}`);
    }
  }
}

test("deriveFieldsColumnar, every table, random rows: the same 13 fields as deriveFields", () => {
  for (const seed of [1, 2, 3]) {
    const { activity, records } = randomActivity(seed, 300);
    const asOf = latestDay(activity);
    const rows = deriveFields(records, {});
    assertSame(deriveColumns(activity), rows, activity.customerIds);
    // An explicit, earlier-than-latest asOf is not allowed by the library; a later one is.
    const later = deriveFields(records, { asOf: iso(asOf + 40) });
    assertSame(deriveColumns(activity, asOf + 40), later, activity.customerIds);
  }
});

test("deriveFieldsColumnar on the built-in sample = deriveFields on the records", () => {
  const cols = sampleOrdersColumnar({ customers: 2000, seed: 42 });
  const activity = { customerIds: cols.customerIds, orders: { customer: cols.customerIndex, date: cols.dates, amount: cols.amounts } };
  const rows = deriveFields({ orders: sampleOrders({ customers: 2000, seed: 42 }) });
  assertSame(deriveColumns(activity), rows, cols.customerIds);
});

test("deriveFieldsColumnar: only Float64Arrays, one per field; bad columns are typed errors", () => {
  const { activity } = randomActivity(4, 50);
  const cols = deriveFieldsColumnar(activity);
  assert.deepEqual(Object.keys(cols), DERIVED_FIELDS);
  for (const f of DERIVED_FIELDS) assert.ok(cols[f] instanceof Float64Array && cols[f].length === 50, f);
  const bad = { ...activity, orders: { ...activity.orders, amount: activity.orders.amount.slice(1) } };
  throwsCrm(() => deriveFieldsColumnar(bad), "length_mismatch", undefined, "orders.amount");
  throwsCrm(() => deriveFieldsColumnar(activity, { asof: "2026-01-01" }), "invalid_option", undefined, "asof", "options");
});

test("new Scorer(ColumnarActivity) scores as new Scorer on the same rows as records", () => {
  for (const seed of [5, 6]) {
    const { activity, records } = randomActivity(seed, 400);
    const model = scoringPreset("valueEngagement");
    const a = new Scorer(activity, model);
    const b = new Scorer(records, model);
    assert.deepEqual(a.customerIds(), b.customerIds());
    assert.deepEqual(a.scores(), b.scores());
    assert.deepEqual(a.tiers(), b.tiers());
    // Extra per-customer columns ride along in `columns`.
    const region = activity.customerIds.map((_, i) => (i % 2 ? "north" : "south"));
    const withRegion = { ...model, adjustments: [{ id: "n", field: "region", op: "==", value: "north", points: -5 }] };
    const c = new Scorer({ ...activity, columns: { region } }, withRegion);
    const d = score(c);
    assert.ok(d.some((x, i) => x !== b.scores()[i]), "the region adjustment changed some scores");
    a.free(); b.free(); c.free();
  }
});
const score = (s) => Array.from(s.scores());
