// deriveFields through the BUILT package ("crmscore" → pkg/node/crmscore.mjs), as a user imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsCrm } from "./helpers.mjs";
import { readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveFields, rfm } from "crmscore";

const AS_OF = "2025-01-31";
/** The UTC calendar day n days before AS_OF, as "YYYY-MM-DD" (computed with Date, not crmscore). */
const back = (n) => new Date(Date.parse(AS_OF) - n * 864e5).toISOString().slice(0, 10);


/** Every field, customer by customer, computed by hand (see the comments). */
function example() {
  return {
    customers: [{ customerId: "c1", createdAt: back(800), segment: "retail" }, { customerId: "c2" }],
    orders: [
      { customerId: "c1", date: back(10), amount: 100 }, // completed (no status)
      { customerId: "c1", date: back(365), amount: 50, status: "completed" }, // just outside 365 days
      { customerId: "c1", date: back(364), amount: 30, status: "completed", discount: 5 }, // just inside
      { customerId: "c1", date: back(400), amount: 20, status: "returned" },
      { customerId: "c1", date: back(1000), amount: 5, status: "cancelled" }, // first order: tenure 1000
      { customerId: "c1", date: back(3), amount: 70, status: "refused", discount: null },
      // 2025-01-31T00:00Z = asOf itself.
      { customerId: 3, date: "2025-01-31T08:00:00+08:00", amount: 12.5 },
      { customerId: "c4", date: new Date(Date.parse(back(30))), amount: 40, status: "returned" },
    ],
    interactions: [
      { customerId: "c1", date: back(90), type: "complaint" }, // outside 90 days
      { customerId: "c1", date: back(89), type: "complaint" },
      { customerId: "c1", date: back(0), type: "feedback", value: 4 },
      { customerId: "c1", date: back(200), type: "feedback", value: 5 },
      { customerId: "c1", date: back(1), type: "feedback" }, // no value
      { customerId: "c1", date: back(2), type: "referral", value: null },
      { customerId: "c1", date: back(100), type: "newsletter" }, // unknown type: allowed
      { customerId: "c2", date: back(89), type: "visit" },
      { customerId: "c2", date: back(400), type: "referral" },
    ],
    returns: [
      { customerId: "c1", date: back(399), amount: 20 },
      { customerId: "c4", date: back(20), amount: 10 },
      { customerId: "c4", date: Date.parse(back(19)), amount: 5 },
    ],
    payments: [
      { customerId: "c1", date: back(40), amount: 10, status: "paid" }, // 0 days
      { customerId: "c1", date: back(41), amount: 10, status: "paid", daysLate: 2 },
      { customerId: "c1", date: back(42), amount: 10, status: "late", daysLate: 10 },
      { customerId: "c1", date: back(43), amount: 10, status: "late" }, // left out
      { customerId: "c1", date: back(44), amount: 10, status: "failed", daysLate: 7 },
      { customerId: "c1", date: back(45), amount: 10, status: "chargeback" },
      { customerId: "c4", date: back(5), amount: 10, status: "late", daysLate: null },
    ],
  };
}

const EXPECTED = [
  {
    customerId: "c1",
    orderCount: 3, // 100, 50, 30
    totalAmount: 180,
    amountLast365Days: 130, // 100 + 30
    averageOrderValue: 60,
    daysSinceLastOrder: 10,
    tenureDays: 1000, // first order (cancelled) is before createdAt (800)
    returnRate: 0.5, // (1 returned order + 1 return row) / (3 completed + 1 returned)
    complaintCount: 2,
    averageFeedback: 4.5, // (4 + 5) / 2
    interactionsLast90Days: 4, // 89, 0, 1, 2 days back
    averagePaymentDelayDays: 4, // (0 + 2 + 10) / 3
    paymentDefaultCount: 3, // failed + chargeback + refused order
    referralCount: 1,
  },
  {
    customerId: "c2", // listed, only interactions
    orderCount: 0,
    totalAmount: 0,
    amountLast365Days: 0,
    averageOrderValue: null,
    daysSinceLastOrder: null,
    tenureDays: null,
    returnRate: null,
    complaintCount: 0,
    averageFeedback: null,
    interactionsLast90Days: 1,
    averagePaymentDelayDays: null,
    paymentDefaultCount: 0,
    referralCount: 1,
  },
  {
    customerId: 3,
    orderCount: 1,
    totalAmount: 12.5,
    amountLast365Days: 12.5,
    averageOrderValue: 12.5,
    daysSinceLastOrder: 0,
    tenureDays: 0,
    returnRate: 0,
    complaintCount: 0,
    averageFeedback: null,
    interactionsLast90Days: 0,
    averagePaymentDelayDays: null,
    paymentDefaultCount: 0,
    referralCount: 0,
  },
  {
    customerId: "c4",
    orderCount: 0,
    totalAmount: 0,
    amountLast365Days: 0,
    averageOrderValue: null,
    daysSinceLastOrder: null,
    tenureDays: 30,
    returnRate: 1, // (1 + 2) / 1, capped
    complaintCount: 0,
    averageFeedback: null,
    interactionsLast90Days: 0,
    averagePaymentDelayDays: null, // a late payment without daysLate
    paymentDefaultCount: 0,
    referralCount: 0,
  },
];

test("hand-computed example: every field, null for missing, first-seen order", () => {
  const rows = deriveFields(example(), { asOf: AS_OF });
  assert.deepEqual(rows, EXPECTED);
  // Exactly the documented keys, in this order.
  assert.deepEqual(Object.keys(rows[0]), Object.keys(EXPECTED[0]));
});

test("asOf: default is the latest date of any input; Date and epoch ms accepted", () => {
  // The latest date in example() is asOf itself (order of customer 3, feedback of c1).
  assert.deepEqual(deriveFields(example()), EXPECTED);
  assert.deepEqual(deriveFields(example(), { asOf: new Date(Date.parse(AS_OF)) }), EXPECTED);
  assert.deepEqual(deriveFields(example(), { asOf: Date.parse(AS_OF) + 3600e3 }), EXPECTED);
  assert.deepEqual(deriveFields(example(), undefined), EXPECTED);
  // A later createdAt moves the default.
  const later = { orders: [{ customerId: "a", date: "2025-01-01", amount: 1 }], customers: [{ customerId: "a" }, { customerId: "b", createdAt: "2025-01-11" }] };
  const [a, b] = deriveFields(later);
  assert.equal(a.daysSinceLastOrder, 10);
  assert.equal(b.tenureDays, 0);
  // An explicit later asOf shifts every day count and the windows.
  const [c1] = deriveFields(example(), { asOf: "2025-02-01" });
  assert.equal(c1.daysSinceLastOrder, 11);
  assert.equal(c1.amountLast365Days, 100); // the order 364 days before 2025-01-31 is now 365 back
  assert.equal(c1.interactionsLast90Days, 3); // 89 → 90 days back
});

test("customers without activity, ids kept as given, '7' and 7 distinct", () => {
  const rows = deriveFields({
    customers: [{ customerId: "7" }, { customerId: 8, createdAt: "2024-12-01" }],
    orders: [{ customerId: 7, date: "2025-01-01", amount: 2 }],
  });
  assert.deepEqual(rows.map((r) => r.customerId), ["7", 8, 7]);
  assert.equal(rows[0].orderCount, 0);
  assert.equal(rows[0].tenureDays, null);
  assert.equal(rows[1].tenureDays, 31);
  assert.equal(rows[2].orderCount, 1);
  // Empty tables and nulls are fine.
  const r = deriveFields({ orders: [], interactions: [], returns: null, payments: undefined, customers: [{ customerId: "x" }] });
  assert.deepEqual(r, [{ ...EXPECTED[1], customerId: "x", interactionsLast90Days: 0, referralCount: 0 }]);
});

test("every error: code, row, field, and the table in the message", () => {
  const o = (extra) => ({ customerId: "a", date: "2025-01-01", amount: 1, ...extra });
  const ok = o({});
  const orders = (row) => ({ orders: [ok, row] });
  // orders
  throwsCrm(() => deriveFields(orders(o({ amount: -1 }))), "invalid_amount", 1, "amount", "orders");
  throwsCrm(() => deriveFields(orders(o({ amount: NaN }))), "invalid_amount", 1, "amount", "orders");
  throwsCrm(() => deriveFields(orders(o({ amount: Infinity }))), "invalid_amount", 1, "amount", "orders");
  throwsCrm(() => deriveFields(orders(o({ amount: "12" }))), "invalid_amount", 1, "amount", "orders");
  throwsCrm(() => deriveFields(orders(o({ amount: undefined }))), "missing_field", 1, "amount", "orders");
  throwsCrm(() => deriveFields(orders(o({ date: "2025-02-30" }))), "invalid_date", 1, "date", "orders");
  throwsCrm(() => deriveFields(orders(o({ date: NaN }))), "invalid_date", 1, "date", "orders");
  throwsCrm(() => deriveFields(orders(o({ date: null }))), "missing_field", 1, "date", "orders");
  throwsCrm(() => deriveFields(orders(o({ customerId: undefined }))), "missing_field", 1, "customerId", "orders");
  throwsCrm(() => deriveFields(orders(o({ customerId: "" }))), "invalid_customer_id", 1, "customerId", "orders");
  throwsCrm(() => deriveFields(orders(o({ customerId: Infinity }))), "invalid_customer_id", 1, "customerId", "orders");
  throwsCrm(() => deriveFields(orders(o({ status: "shipped" }))), "invalid_value", 1, "status", "orders");
  throwsCrm(() => deriveFields(orders(o({ status: 1 }))), "invalid_value", 1, "status", "orders");
  throwsCrm(() => deriveFields(orders(o({ discount: -1 }))), "invalid_value", 1, "discount", "orders");
  throwsCrm(() => deriveFields(orders(o({ discount: "5%" }))), "invalid_value", 1, "discount", "orders");
  throwsCrm(() => deriveFields(orders(null)), "invalid_value", 1, undefined, "orders");
  throwsCrm(() => deriveFields(orders([1, 2])), "invalid_value", 1, undefined, "orders");
  throwsCrm(() => deriveFields(orders(o({ date: "2025-02-01" })), { asOf: "2025-01-31" }), "date_after_as_of", 1, "date", "orders");
  // interactions
  const it = (extra) => ({ orders: [ok], interactions: [{ customerId: "a", date: "2025-01-01", type: "call" }, { customerId: "b", date: "2025-01-01", type: "call", ...extra }] });
  throwsCrm(() => deriveFields(it({ type: undefined })), "missing_field", 1, "type", "interactions");
  throwsCrm(() => deriveFields(it({ type: 5 })), "invalid_value", 1, "type", "interactions");
  throwsCrm(() => deriveFields(it({ value: "4" })), "invalid_value", 1, "value", "interactions");
  throwsCrm(() => deriveFields(it({ date: "yesterday" })), "invalid_date", 1, "date", "interactions");
  throwsCrm(() => deriveFields(it({ date: "2025-03-01" }), { asOf: "2025-02-01" }), "date_after_as_of", 1, "date", "interactions");
  // returns
  const rt = (extra) => ({ orders: [ok], returns: [{ customerId: "a", date: "2025-01-01", amount: 1, ...extra }] });
  throwsCrm(() => deriveFields(rt({ amount: -5 })), "invalid_amount", 0, "amount", "returns");
  throwsCrm(() => deriveFields(rt({ amount: undefined })), "missing_field", 0, "amount", "returns");
  throwsCrm(() => deriveFields(rt({ date: Date.UTC(2025, 1, 2) }), { asOf: "2025-02-01" }), "date_after_as_of", 0, "date", "returns");
  // payments
  const pay = (extra) => ({ orders: [ok], payments: [{ customerId: "a", date: "2025-01-01", amount: 1, status: "paid", ...extra }] });
  throwsCrm(() => deriveFields(pay({ status: undefined })), "missing_field", 0, "status", "payments");
  throwsCrm(() => deriveFields(pay({ status: "paidx" })), "invalid_value", 0, "status", "payments");
  throwsCrm(() => deriveFields(pay({ daysLate: -1 })), "invalid_value", 0, "daysLate", "payments");
  throwsCrm(() => deriveFields(pay({ daysLate: Infinity })), "invalid_value", 0, "daysLate", "payments");
  throwsCrm(() => deriveFields(pay({ daysLate: "3" })), "invalid_value", 0, "daysLate", "payments");
  throwsCrm(() => deriveFields(pay({ amount: NaN })), "invalid_amount", 0, "amount", "payments");
  throwsCrm(() => deriveFields(pay({ date: "2025-06-01" }), { asOf: "2025-05-31" }), "date_after_as_of", 0, "date", "payments");
  // customers
  const cu = (rows) => ({ orders: [ok], customers: rows });
  throwsCrm(() => deriveFields(cu([{ customerId: "x" }, { customerId: "x" }])), "invalid_customer_id", 1, "customerId", "customers");
  throwsCrm(() => deriveFields(cu([{ customerId: "x", createdAt: "2025-13-01" }])), "invalid_date", 0, "createdAt", "customers");
  throwsCrm(() => deriveFields(cu([{ customerId: "x", createdAt: "2025-01-02" }]), { asOf: "2025-01-01" }), "date_after_as_of", 0, "createdAt", "customers");
  throwsCrm(() => deriveFields(cu([{ createdAt: "2025-01-01" }])), "missing_field", 0, "customerId", "customers");
  throwsCrm(() => deriveFields({ orders: [{ date: "2025-01-01", amount: 1 }] }), "missing_field", 0, "customerId", "orders");
  throwsCrm(() => deriveFields({ orders: [{ customerId: "a", date: "2025-01-01", amount: -1 }] }), "invalid_amount", 0, "amount", "orders");
  // data, options, empty
  throwsCrm(() => deriveFields([ok]), "invalid_value", undefined, "data");
  throwsCrm(() => deriveFields(null), "invalid_value", undefined, "data");
  throwsCrm(() => deriveFields({ interactions: [] }), "missing_field", undefined, "orders");
  throwsCrm(() => deriveFields({ orders: [ok], payment: [] }), "invalid_value", undefined, "payment");
  throwsCrm(() => deriveFields({ orders: [ok], interactions: "calls" }), "invalid_value", undefined, "interactions");
  throwsCrm(() => deriveFields({ orders: [ok] }, { asof: "2025-01-01" }), "invalid_option", undefined, "asof");
  throwsCrm(() => deriveFields({ orders: [ok] }, { asOf: "2025-02-30" }), "invalid_date", undefined, "asOf");
  throwsCrm(() => deriveFields({ orders: [] }), "empty_input", undefined, undefined);
  throwsCrm(() => deriveFields({ orders: [], customers: [] }), "empty_input", undefined, undefined);
  // Still working, and still right.
  assert.deepEqual(deriveFields(example(), { asOf: AS_OF }), EXPECTED);
  assert.equal(rfm([ok]).customers.length, 1);
});

test("the first problem in reading order is reported", () => {
  const o = (extra) => ({ customerId: "a", date: "2025-01-01", amount: 1, ...extra });
  // Orders before payments, whatever the row numbers.
  throwsCrm(() => deriveFields({ orders: [o(), o(), o({ amount: -1 })], payments: [{ customerId: "a", date: "x", amount: 1, status: "paid" }] }),
    "invalid_amount", 2, "amount", "orders");
  // A bad date string (parsed after reading) before a row the reader stopped at, and after it.
  throwsCrm(() => deriveFields({ orders: [o(), o({ date: "2025-02-30" }), o(), o({ amount: -1 })] }), "invalid_date", 1, "date", "orders");
  throwsCrm(() => deriveFields({ orders: [o(), o({ amount: -1 }), o(), o({ date: "2025-02-30" })] }), "invalid_amount", 1, "amount", "orders");
  // The same bad string in two tables: its first use.
  throwsCrm(() => deriveFields({ orders: [o(), o({ date: "bad" })], returns: [{ customerId: "a", date: "bad", amount: 1 }] }), "invalid_date", 1, "date", "orders");
  throwsCrm(() => deriveFields({ orders: [o()], customers: [{ customerId: "z" }, { customerId: "a", createdAt: "bad" }], returns: [{ customerId: "a", date: "bad", amount: 1 }] }),
    "invalid_date", 1, "createdAt", "customers");
  // An order after asOf (found by validation) before a bad date string in payments.
  throwsCrm(() => deriveFields({ orders: [o(), o(), o({ date: "2025-03-01" })], payments: [{ customerId: "a", date: "2025-99-01", amount: 1, status: "paid" }] }, { asOf: "2025-02-01" }),
    "date_after_as_of", 2, "date", "orders");
  // ... and before a row the reader stopped at in a later table.
  throwsCrm(() => deriveFields({ orders: [o({ date: "2025-03-01" })], interactions: [{ customerId: "a", date: "2025-01-01" }] }, { asOf: "2025-02-01" }),
    "date_after_as_of", 0, "date", "orders");
  // Within a row: the date before the amount.
  throwsCrm(() => deriveFields({ orders: [o({ date: "2025-03-01", amount: -1 })] }, { asOf: "2025-02-01" }), "date_after_as_of", 0, "date", "orders");
  throwsCrm(() => deriveFields({ orders: [o({ date: "2025-02-30", amount: -1 })] }), "invalid_date", 0, "date", "orders");
});

test("a larger input: one result per distinct customer, sums agree with plain JS", () => {
  const orders = [];
  const payments = [];
  for (let i = 0; i < 20000; i++) {
    const c = `c${i % 997}`;
    orders.push({ customerId: c, date: back(i % 700), amount: (i % 40) / 4, status: i % 11 === 0 ? "returned" : undefined });
    if (i % 3 === 0) payments.push({ customerId: c, date: back(i % 50), amount: 1, status: i % 2 ? "paid" : "late", daysLate: i % 7 });
  }
  const rows = deriveFields({ orders, payments }, { asOf: AS_OF });
  assert.equal(rows.length, 997);
  const total = new Map();
  const recent = new Map();
  for (const o of orders) {
    if (o.status) continue;
    total.set(o.customerId, (total.get(o.customerId) ?? 0) + o.amount);
    const days = (Date.parse(AS_OF) - Date.parse(o.date)) / 864e5;
    if (days < 365) recent.set(o.customerId, (recent.get(o.customerId) ?? 0) + o.amount);
  }
  for (const r of rows) {
    assert.equal(r.totalAmount, total.get(r.customerId) ?? 0);
    assert.equal(r.amountLast365Days, recent.get(r.customerId) ?? 0);
  }
});

test("the README's derived-fields example runs and prints what it documents", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const doc = readme.slice(readme.indexOf("## Derived fields"), readme.indexOf("\n## ", readme.indexOf("## Derived fields") + 5));
  const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1);
  // Inside the package folder, `import "crmscore"` resolves to the package itself.
  const dir = join(root, "tests", "js", ".derive-examples");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    blocks.forEach((code, i) => {
      const file = join(dir, `example${i + 1}.mjs`);
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      assert.ok(out.length > 0, "the example prints something");
      if (i === 0) {
        // The documented output of the first example.
        assert.match(out, /daysSinceLastOrder: 59/);
        assert.match(out, /tenureDays: 486/);
        assert.match(out, /returnRate: 1,/);
        assert.match(out, /\[ 'bob', null \]/);
        // score() on the same data: one scored row per customer (alice, bob, 1007)
        assert.match(out, /\[ 'alice', -?[\d.]+, '[ABCD]' \]/);
        assert.match(out, /\[ 1007, -?[\d.]+, '[ABCD]' \]/);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
