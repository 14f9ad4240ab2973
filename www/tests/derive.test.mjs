// The demo page's column-wise derived fields (www/src/derive.js) against the library's
// deriveFields on the same rows: every field of every customer, exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deriveFields, sampleOrders, sampleOrdersColumnar } from "crmscore";
import { deriveColumns, latestDay, DERIVED_FIELDS, NO_DAY } from "../src/derive.js";

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

test("every table, random rows: the same 13 fields as deriveFields", () => {
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

test("the built-in sample: columns = deriveFields on the records", () => {
  const cols = sampleOrdersColumnar({ customers: 2000, seed: 42 });
  const activity = { customerIds: cols.customerIds, orders: { customer: cols.customerIndex, date: cols.dates, amount: cols.amounts } };
  const rows = deriveFields({ orders: sampleOrders({ customers: 2000, seed: 42 }) });
  assertSame(deriveColumns(activity), rows, cols.customerIds);
});
