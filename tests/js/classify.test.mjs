// classify, classifyColumnar and crossTab through the BUILT package, as a user imports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsCrm } from "./helpers.mjs";
import { classify, classifyColumnar, Classifier, codeTables, crossTab, score } from "crmscore";

const AS_OF = "2025-01-31";
const DAY = 864e5;
/** The UTC day n days before AS_OF as "YYYY-MM-DD" (computed with Date, not crmscore). */
const back = (n) => new Date(Date.parse(AS_OF) - n * DAY).toISOString().slice(0, 10);

/** One customer per rule, each built to trip exactly what its comment says (defaults). */
function example() {
  const orders = [];
  const interactions = [];
  const payments = [];
  const o = (customerId, days, amount, extra = {}) => orders.push({ customerId, date: back(days), amount, ...extra });
  // loyal: 4 orders 60 days apart, first 200 days ago → active, loyal, high value.
  for (const d of [200, 140, 80, 20]) o("loyal", d, 500);
  // returner: 3 of 5 purchases returned → high_return_rate (warning); both completed orders
  // discounted → price_sensitive (info).
  o("returner", 30, 40, { discount: 5 });
  o("returner", 35, 40, { discount: 2 });
  o("returner", 40, 40, { status: "returned", discount: 5 });
  o("returner", 50, 40, { status: "returned" });
  o("returner", 60, 40, { status: "returned" });
  // onetime: one order of 20, 120 days ago → one_time_low_value.
  o("onetime", 120, 20);
  // fraud: 2 refused COD orders → payment_failures (critical) → junk on its own.
  o("fraud", 5, 80, { status: "refused", paymentMethod: "cod" });
  o("fraud", 6, 80, { status: "refused", paymentMethod: "cod" });
  // complainer: 1 order + 3 complaints → repeated_complaints.
  o("complainer", 10, 300);
  for (const d of [1, 2, 3]) interactions.push({ customerId: "complainer", date: back(d), type: "complaint" });
  // churned: last order 400 days ago.
  o("churned", 400, 200);
  o("churned", 500, 200);
  // payer: one failed payment (below the threshold of 2) → no flag.
  o("payer", 15, 100);
  payments.push({ customerId: "payer", date: back(15), amount: 100, status: "failed" });
  payments.push({ customerId: "payer", date: back(14), amount: 100, status: "paid" });
  const customers = [
    { customerId: "loyal", email: "Li.Wei@Example.com", phone: "+86 138-1234-5678" },
    { customerId: "returner", email: "li.wei@example.com" }, // same normalised email as loyal
    { customerId: "ghost", createdAt: back(800) }, // nothing ever → no_activity
    { customerId: "badcontact", createdAt: back(10), email: "not-an-email", phone: "12345" },
    { customerId: 7, phone: 13812345678 }, // same normalised phone as loyal (number form)
  ];
  return { customers, orders, interactions, payments };
}

const byId = (r) => new Map(r.customers.map((c) => [c.customerId, c]));
const codes = (c) => c.flags.map((f) => f.code);

test("classify: every rule on a hand-built example", () => {
  const r = classify(example(), { asOf: AS_OF });
  assert.equal(r.asOf, AS_OF);
  const m = byId(r);
  // Customers listed first (in order), then first seen in orders.
  assert.deepEqual(r.customers.map((c) => c.customerId).slice(0, 5), ["loyal", "returner", "ghost", "badcontact", 7]);

  const loyal = m.get("loyal");
  assert.equal(loyal.lifecycle, "active");
  assert.equal(loyal.loyalty, "loyal");
  assert.equal(loyal.leadStage, "loyal");
  assert.equal(loyal.valueClass, "high");
  assert.equal(loyal.revenue, 2000);
  assert.deepEqual(codes(loyal), ["duplicate_contact"]);
  const dup = loyal.flags[0];
  // Customer ids keep their type (7 is a number).
  assert.deepEqual(dup.evidence.duplicateEmailOf, ["returner"]);
  assert.deepEqual(dup.evidence.duplicatePhoneOf, [7]);
  assert.match(dup.reason, /\(returner\)/);
  assert.equal(loyal.junk, false, "one warning is not junk");

  const ret = m.get("returner");
  assert.deepEqual(codes(ret), ["high_return_rate", "duplicate_contact", "price_sensitive"]);
  assert.equal(ret.flags[0].evidence.returnRate, 0.6);
  assert.equal(ret.flags[2].evidence.discountedOrders ?? ret.flags[2].evidence.discounted, 2, JSON.stringify(ret.flags[2]));
  assert.equal(ret.flags[2].severity, "info");
  assert.equal(ret.junk, true, "two warnings make junk");
  assert.equal(ret.loyalty, "disloyal");

  assert.deepEqual(codes(m.get("onetime")), ["one_time_low_value"]);
  assert.equal(m.get("onetime").flags[0].evidence.amount, 20);

  const fraud = m.get("fraud");
  assert.deepEqual(codes(fraud), ["payment_failures"]);
  assert.equal(fraud.flags[0].severity, "critical");
  assert.equal(fraud.flags[0].evidence.refused, 2);
  assert.equal(fraud.junk, true, "one critical flag is junk");
  assert.equal(fraud.lifecycle, "prospect", "refused orders are not purchases");
  assert.equal(fraud.leadStage, "target");

  assert.deepEqual(codes(m.get("complainer")), ["repeated_complaints"]);
  assert.equal(m.get("complainer").lifecycle, "new");

  const churned = m.get("churned");
  assert.equal(churned.lifecycle, "churned");
  assert.equal(churned.leadStage, "churned");
  assert.equal(churned.churnRisk, "high");
  assert.deepEqual(churned.churnReasons, ["churned"]);

  assert.deepEqual(codes(m.get("payer")), []);
  assert.deepEqual(codes(m.get("ghost")), ["no_activity"]);
  assert.equal(m.get("ghost").leadStage, "potential");
  assert.deepEqual(codes(m.get("badcontact")), ["invalid_email", "invalid_phone"]);
  assert.equal(m.get("badcontact").junk, true);
  // Listed, never active, no createdAt: no_activity; with the shared phone, two warnings → junk.
  assert.deepEqual(codes(m.get(7)), ["no_activity", "duplicate_contact"]);
  assert.equal(m.get(7).junk, true);
  assert.deepEqual(m.get(7).flags[1].evidence.duplicatePhoneOf, ["loyal"]);

  // The summary counts what the customers say.
  const count = (f) => r.customers.filter(f).length;
  assert.equal(r.summary.junk, count((c) => c.junk));
  for (const k of ["prospect", "new", "active", "atRisk", "churned", "reactivated"]) {
    assert.equal(r.summary.lifecycle[k], count((c) => c.lifecycle === k), k);
  }
  assert.equal(r.summary.flags.duplicate_contact, 3);
  assert.equal(r.summary.churnRisk.high, count((c) => c.churnRisk === "high"));
});

test("classify: options change the rules they name", () => {
  const r = classify(example(), { asOf: AS_OF, oneTimeAmount: 10, complaintCount: 4, paymentFailures: 1, junkWarnings: 1 });
  const m = byId(r);
  assert.deepEqual(codes(m.get("onetime")), [], "20 is not below 10");
  assert.deepEqual(codes(m.get("complainer")), [], "3 complaints < 4");
  assert.deepEqual(codes(m.get("payer")), ["payment_failures"]);
  assert.equal(m.get("loyal").junk, true, "one warning is junk with junkWarnings 1");
  // asOf moves the lifecycle: a year later everyone with orders has churned.
  const later = byId(classify(example(), { asOf: "2026-06-30" }));
  assert.equal(later.get("loyal").lifecycle, "churned");
});

test("classify: row order does not change any result", () => {
  const d = example();
  const a = classify(d, { asOf: AS_OF });
  const rev = (xs) => xs.slice().reverse();
  // Customers keep their listing order (it defines the result order); the activity tables are shuffled.
  const b = classify({ ...d, orders: rev(d.orders), interactions: rev(d.interactions), payments: rev(d.payments) }, { asOf: AS_OF });
  const strip = (r) => [...byId(r).entries()].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
  assert.deepEqual(strip(b), strip(a));
  assert.deepEqual(b.summary, a.summary);
});

/** The same data as typed columns (codes as documented in ColumnarActivity). */
function toColumns(d) {
  const ids = d.customers.map((c) => c.customerId);
  const index = new Map(ids.map((id, i) => [id, i]));
  const idx = (id) => {
    if (!index.has(id)) {
      index.set(id, ids.length);
      ids.push(id);
    }
    return index.get(id);
  };
  const day = (s) => Math.floor(Date.parse(s) / DAY);
  const st = { completed: 0, returned: 1, cancelled: 2, refused: 3 };
  const kinds = { visit: 0, email: 1, call: 2, meeting: 3, complaint: 4, feedback: 5, training: 6, referral: 7, quote: 8 };
  const ps = { paid: 0, late: 1, failed: 2, chargeback: 3 };
  const orders = {
    customer: Uint32Array.from(d.orders, (o) => idx(o.customerId)),
    date: Int32Array.from(d.orders, (o) => day(o.date)),
    amount: Float64Array.from(d.orders, (o) => o.amount),
    status: Uint8Array.from(d.orders, (o) => st[o.status ?? "completed"]),
    discount: Float64Array.from(d.orders, (o) => o.discount ?? NaN),
  };
  const interactions = {
    customer: Uint32Array.from(d.interactions, (o) => idx(o.customerId)),
    date: Float64Array.from(d.interactions, (o) => Date.parse(o.date)), // epoch ms form
    type: Uint8Array.from(d.interactions, (o) => kinds[o.type] ?? 9),
  };
  const payments = {
    customer: Uint32Array.from(d.payments, (o) => idx(o.customerId)),
    date: Int32Array.from(d.payments, (o) => day(o.date)),
    amount: Float64Array.from(d.payments, (o) => o.amount),
    status: Uint8Array.from(d.payments, (o) => ps[o.status]),
  };
  const createdAt = new Int32Array(ids.length).fill(-2147483648);
  d.customers.forEach((c, i) => { if (c.createdAt) createdAt[i] = day(c.createdAt); });
  const contact = (k) => ids.map((_, i) => (i < d.customers.length && d.customers[i][k] != null ? String(d.customers[i][k]) : null));
  return { customerIds: ids, createdAt, email: contact("email"), phone: contact("phone"), orders, interactions, payments };
}

/** classify's record of customer i, rebuilt from a columnar result (classes, flag codes, reasons, revenue). */
function recordOf(r, ids, i) {
  const L = r.labels;
  const bits = (x, names) => names.filter((_, k) => (x >> k) & 1);
  const sorted = (x) => bits(x, L.flags).sort();
  return {
    customerId: ids[i], lifecycle: L.lifecycle[r.lifecycle[i]], leadStage: L.leadStage[r.leadStage[i]],
    valueClass: L.valueClass[r.valueClass[i]], loyalty: L.loyalty[r.loyalty[i]], junk: r.junk[i] === 1,
    flags: sorted(r.flags[i]), churnRisk: L.churnRisk[r.churnRisk[i]], churnReasons: bits(r.churnReasons[i], L.churnReasons),
    revenue: r.revenue[i],
  };
}
const flagCodesOf = (c) => ({ ...c, flags: c.flags.map((f) => f.code).sort() });

test("classifyColumnar: code columns with their labels, equal to classify on the same rows; Classifier.explain gives classify's records", () => {
  const d = example();
  const a = classify(d, { asOf: AS_OF });
  const cols = toColumns(d);
  const b = classifyColumnar(cols, { asOf: AS_OF });
  const n = cols.customerIds.length;
  assert.equal(b.asOf, a.asOf);
  assert.deepEqual(b.summary, a.summary);
  for (const k of ["lifecycle", "leadStage", "valueClass", "loyalty", "churnRisk", "junk", "churnReasons"]) {
    assert.ok(b[k] instanceof Uint8Array && b[k].length === n, k);
  }
  assert.ok(b.flags instanceof Uint16Array && b.revenue instanceof Float64Array);
  const T = codeTables();
  assert.deepEqual(b.labels, {
    lifecycle: T.lifecycle, leadStage: T.leadStage, valueClass: T.valueClass, loyalty: T.loyalty, churnRisk: T.churnRisk,
    flags: T.flagCode, flagSeverity: T.flagSeverity, churnReasons: T.churnReason,
  });
  // The example has junk, flags and churn reasons to compare (not only empty sets).
  assert.ok(b.junk.some((x) => x) && b.flags.some((x) => x) && b.churnReasons.some((x) => x));
  for (let i = 0; i < n; i++) assert.deepEqual(recordOf(b, cols.customerIds, i), flagCodesOf(a.customers[i]), `customer ${i}`);
  // The handle: the same columns, and every customer's full record (sentences, evidence).
  const h = new Classifier(cols, { asOf: AS_OF });
  assert.equal(h.length, n);
  assert.deepEqual(h.result(), b);
  for (let i = 0; i < n; i++) assert.deepEqual(h.explain(i), a.customers[i], `explain(${i})`);
  assert.ok(h.memoryBytes() > cols.orders.amount.byteLength);
  for (const bad of [-1, n, 0.5, NaN]) throwsCrm(() => h.explain(bad), "invalid_value", undefined, "index");
  throwsCrm(() => h.explain("0"), "invalid_argument", undefined, "index");
  assert.deepEqual(h.explain(0), a.customers[0], "usable after the failed calls");
  h.free();
  // Bad data: typed errors from the constructor, as from classifyColumnar.
  throwsCrm(() => new Classifier({ ...cols, orders: { ...cols.orders, amount: [1] } }), "invalid_value", undefined, "orders.amount");
});

test("crossTab takes a classifyColumnar result joined by position to customer columns", () => {
  const d = example();
  const cols = toColumns(d);
  const region = cols.customerIds.map((id) => ({ loyal: "华东", returner: "华东", ghost: "华南", fraud: "华南" })[id] ?? "华北");
  const fromRecords = crossTab(classify(d, { asOf: AS_OF }), { customerId: cols.customerIds, region }, "region");
  const r = classifyColumnar(cols, { asOf: AS_OF });
  assert.deepEqual(crossTab(r, { customerIds: cols.customerIds, region }, "region"), fromRecords);
  throwsCrm(() => crossTab(r, d.customers, "region"), "invalid_value", undefined, "customers");
  throwsCrm(() => crossTab(r, { customerIds: cols.customerIds.slice(1), region }, "region"), "invalid_value", undefined, "customers");
  throwsCrm(() => crossTab({ ...r, loyalty: r.loyalty.subarray(1) }, { customerIds: cols.customerIds, region }, "region"), "invalid_value", 0, "result.loyalty");
  const dup = cols.customerIds.slice();
  dup[1] = dup[0];
  throwsCrm(() => crossTab(r, { customerIds: dup, region }, "region"), "invalid_customer_id", 1, "customerId");
});

test("classify: bad input throws a typed error naming table, row and field, and returns nothing partial", () => {
  const d = example();
  const bad = (k, i, patch) => ({ ...d, [k]: d[k].map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  throwsCrm(() => classify(bad("orders", 3, { date: "2025-02-30" }), { asOf: AS_OF }), "invalid_date", 3, "date", "orders");
  throwsCrm(() => classify(bad("orders", 2, { amount: -1 }), { asOf: AS_OF }), "invalid_amount", 2, "amount", "orders");
  throwsCrm(() => classify(bad("orders", 4, { amount: NaN }), { asOf: AS_OF }), "invalid_amount", 4, "amount", "orders");
  throwsCrm(() => classify(bad("customers", 1, { email: 42 }), { asOf: AS_OF }), "invalid_value", 1, "email", "customers");
  throwsCrm(() => classify(bad("customers", 2, { phone: -5 }), { asOf: AS_OF }), "invalid_value", 2, "phone", "customers");
  throwsCrm(() => classify(bad("customers", 1, { customerId: "loyal" }), { asOf: AS_OF }), "invalid_customer_id", 1, "customerId", "customers");
  throwsCrm(() => classify(bad("payments", 0, { status: "bounced" }), { asOf: AS_OF }), "invalid_value", 0, "status", "payments");
  throwsCrm(() => classify(bad("interactions", 1, { date: back(-3) }), { asOf: AS_OF }), "date_after_as_of", 1, "date", "interactions");
  throwsCrm(() => classify({ ...d, orders: undefined }), "missing_field", undefined, "orders");
  throwsCrm(() => classify({ ...d, refunds: [] }), "invalid_value", undefined, "refunds");
  throwsCrm(() => classify(d, { newDays: 1.5 }), "invalid_option", undefined, "newDays");
  throwsCrm(() => classify(d, { churnDays: "365" }), "invalid_option", undefined, "churnDays");
  throwsCrm(() => classify(d, { highValueShare: 0.9, midValueShare: 0.5 }), "invalid_option", undefined, "midValueShare");
  // One option of a dependent pair alone never fails because of the other's default.
  for (const o of [{ churnDays: 100 }, { atRiskDays: 400 }, { overdueFactor: 4 }, { rhythmFactor: 1.2 }, { highValueShare: 0.98 }, { midValueShare: 0.5 }]) {
    assert.ok(classify(d, o).customers.length > 0, JSON.stringify(o));
  }
  throwsCrm(() => classify(d, { churnDays: 100, atRiskDays: 150 }), "invalid_option", undefined, "atRiskDays");
  throwsCrm(() => classify(d, { junkWarning: 2 }), "invalid_option", undefined, "junkWarning");
  throwsCrm(() => classify(d, { asOf: "yesterday" }), "invalid_date", undefined, "asOf");
});

test("classifyColumnar: typed errors for wrong types, lengths and codes", () => {
  const c = toColumns(example());
  throwsCrm(() => classifyColumnar({ ...c, orders: { ...c.orders, amount: [1, 2] } }), "invalid_value", undefined, "orders.amount");
  throwsCrm(() => classifyColumnar({ ...c, orders: { ...c.orders, amount: c.orders.amount.subarray(1) } }), "length_mismatch", undefined, "orders.amount");
  const status = c.orders.status.slice();
  status[5] = 9;
  throwsCrm(() => classifyColumnar({ ...c, orders: { ...c.orders, status } }), "invalid_value", 5, "status");
  const amount = c.orders.amount.slice();
  amount[3] = -2;
  throwsCrm(() => classifyColumnar({ ...c, orders: { ...c.orders, amount } }), "invalid_amount", 3, "amount");
  const customer = c.orders.customer.slice();
  customer[2] = 999;
  assert.throws(() => classifyColumnar({ ...c, orders: { ...c.orders, customer } }), (e) => e.name === "CrmScoreError" && e.row === 2);
  throwsCrm(() => classifyColumnar({ ...c, customerIds: [...c.customerIds.slice(0, -1), "loyal"] }), "invalid_customer_id", c.customerIds.length - 1, "customerIds");
  throwsCrm(() => classifyColumnar({ ...c, email: c.email.slice(1) }), "length_mismatch", undefined, "email");
});

test("crossTab: per attribute value, counts and revenue of every class add up to the totals", () => {
  const d = example();
  const r = classify(d, { asOf: AS_OF });
  const region = { loyal: "华东", returner: "华东", ghost: "华南", fraud: "华南", onetime: "华北", 7: "华东" };
  const customers = r.customers.map((c) => ({ customerId: c.customerId, region: region[c.customerId] ?? null }));
  const t = crossTab(r, customers, "region");
  assert.equal(t.attribute, "region");
  assert.deepEqual(t.dimensions, ["lifecycle", "leadStage", "valueClass", "loyalty", "churnRisk", "junk"]);
  assert.deepEqual(t.rows.map((x) => [x.value, x.customers]), [["华东", 3], ["华南", 2], ["华北", 1], [null, r.customers.length - 6]]);
  // Every cell recomputed by hand from the result.
  for (const row of t.rows) {
    const members = r.customers.filter((c) => (region[c.customerId] ?? null) === row.value);
    assert.equal(row.revenue, members.reduce((s, c) => s + c.revenue, 0));
    for (const dim of ["lifecycle", "valueClass", "churnRisk"]) {
      for (const [label, cell] of Object.entries(row.classes[dim])) {
        const inCell = members.filter((c) => c[dim] === label);
        assert.equal(cell.customers, inCell.length, `${row.value} ${dim} ${label}`);
        assert.equal(cell.share, inCell.length / members.length);
      }
    }
    assert.equal(row.classes.junk.junk.customers, members.filter((c) => c.junk).length);
  }
  assert.equal(t.total.customers, r.customers.length);
  assert.equal(t.total.classes.junk.junk.customers, r.summary.junk);
  assert.deepEqual(Object.keys(t.total.classes.lifecycle), ["prospect", "new", "active", "atRisk", "churned", "reactivated"]);

  // Columns form gives the same table.
  const cols = { customerId: customers.map((c) => c.customerId), region: customers.map((c) => c.region) };
  assert.deepEqual(crossTab(r, cols, "region"), t);
});

test("crossTab: tiers from score() join by customerId, in the model's tier order", () => {
  const d = example();
  const r = classify(d, { asOf: AS_OF });
  const s = score(d, {
    indicators: [{ id: "rev", field: "totalAmount", weight: 100, scale: { type: "linear", min: 0, max: 1000 } }],
    tiers: [{ label: "A", min: 80 }, { label: "B", min: 20 }, { label: "C", min: null }],
  }, { asOf: AS_OF });
  const customers = r.customers.map((c) => ({ customerId: c.customerId, channel: typeof c.customerId === "number" ? "wechat" : "search" }));
  const t = crossTab(r, customers, "channel", { tiers: s });
  assert.deepEqual(t.dimensions.at(-1), "tier");
  assert.deepEqual(Object.keys(t.total.classes.tier), ["A", "B", "C"]);
  const tierOf = new Map(s.customers.map((c) => [c.customerId, c.tier]));
  for (const label of ["A", "B", "C"]) {
    assert.equal(t.total.classes.tier[label].customers, r.customers.filter((c) => tierOf.get(c.customerId) === label).length);
  }
  throwsCrm(() => crossTab(r, customers, "channel", { tiers: 5 }), "invalid_option", undefined, "tiers");
  throwsCrm(() => crossTab(r, customers, "channel", { tier: s }), "invalid_option", undefined, "tier");
  throwsCrm(() => crossTab(r, { customerId: [1, 2] }, "channel"), "invalid_value", undefined, "customers.channel");
  throwsCrm(() => crossTab({ customers: [r.customers[0], r.customers[0]] }, customers, "channel"), "invalid_value", 1, "customerId");
});

test("classifyColumnar agrees with an independent plain-JS implementation of the rules (20k generated customers)", async () => {
  const { generateActivity, AS_OF_DAY } = await import("../../bench/data.mjs");
  const { classifyPlain, codesOf } = await import("../../bench/plain/classify.mjs");
  const d = generateActivity({ customers: 20_000, orders: 200_000, seed: 11 });
  for (const options of [{}, { churnDays: 200, atRiskDays: 100, junkWarnings: 1, highValueShare: 0.5, declineWindowDays: 30 }]) {
    const r = classifyColumnar(d, { asOf: AS_OF_DAY * DAY, ...options });
    const mine = codesOf(r);
    const plain = classifyPlain(d, AS_OF_DAY, options);
    for (const k of Object.keys(mine)) {
      const diff = mine[k].findIndex((x, i) => x !== plain[k][i]);
      assert.equal(diff, -1, `${k} differs at customer ${diff} (${JSON.stringify(options)}): ${diff >= 0 ? JSON.stringify(new Classifier(d, { asOf: AS_OF_DAY * DAY, ...options }).explain(diff)) : ""}`);
    }
    assert.deepEqual(r.revenue, plain.revenue);
    // The data exercises every flag and class (a comparison of empty sets would prove nothing).
    for (const [code, count] of Object.entries(r.summary.flags)) assert.ok(count > 0, `no customer has ${code}`);
    for (const [k, count] of Object.entries(r.summary.lifecycle)) assert.ok(count > 0, `no customer is ${k}`);
  }
});

test("generateCrm: deterministic, planted truth found by classifyColumnar, attributes ready for crossTab", async () => {
  // The generator is its own module (its own .wasm); the library no longer carries it.
  const { generateCrm } = await import("crmscore/sample");
  assert.equal((await import("crmscore")).generateCrm, undefined);
  const a = generateCrm({ customers: 3000, seed: 5 });
  const b = generateCrm({ customers: 3000, seed: 5 });
  const c = generateCrm({ customers: 3000, seed: 6 });
  assert.deepEqual(a, b, "same seed, same data");
  assert.notDeepEqual(a.orders.amount, c.orders.amount, "another seed, other data");
  assert.equal(a.customerIds.length, 3000);
  for (const k of ["email", "phone", "name", "region", "channel", "industry"]) assert.equal(a[k].length, 3000, k);
  assert.ok(a.name.some((x) => /[\u4e00-\u9fff]/.test(x)) && a.name.some((x) => /^[A-Za-z]/.test(x)), "Chinese and Latin names");
  const r = classifyColumnar(a, { asOf: a.asOf });
  assert.equal(r.asOf, a.asOf);
  const codes = a.truth.flagCodes;
  // Every planted flag kind exists, and classify finds (nearly) all of them.
  for (let k = 0; k < codes.length; k++) {
    const planted = [...a.truth.flags.keys()].filter((i) => (a.truth.flags[i] >> k) & 1);
    assert.ok(planted.length > 0, `no ${codes[k]} planted`);
    const bit = r.labels.flags.indexOf(codes[k]);
    const found = planted.filter((i) => (r.flags[i] >> bit) & 1).length;
    assert.ok(found / planted.length >= 0.95, `${codes[k]}: ${found} of ${planted.length}`);
  }
  const t = crossTab(r, a, "channel");
  assert.equal(t.total.customers, 3000);
  assert.ok(t.rows.every((row) => row.value !== null), "every customer has a channel");
  assert.throws(() => generateCrm({ customers: 0 }), (e) => e.code === "invalid_option" && e.field === "customers");
  assert.throws(() => generateCrm({ junkShare: 2 }), (e) => e.code === "invalid_option" && e.field === "junkShare");
});

test("classify: a fitted BTYD model's P(alive) adds the churn reason low_p_alive", async () => {
  const { summarize, fitBgNbd, TransactionModel } = await import("crmscore");
  const d = example();
  // A model "fitted" elsewhere, restored with its unit (week).
  const model = TransactionModel.fromJSON({ kind: "bgNbd", params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, unit: "week" });
  const base = byId(classify(d, { asOf: AS_OF }));
  const r = byId(classify(d, { asOf: AS_OF, pAliveModel: model, pAliveThreshold: 0.9 }));
  // Expected P(alive) from the same model on summarize() of the completed orders.
  const completed = d.orders.filter((o) => (o.status ?? "completed") === "completed");
  const s = new Map(summarize(completed, { asOf: AS_OF, unit: "week" }).map((x) => [x.customerId, x]));
  let fired = 0;
  for (const [id, c] of r) {
    const x = s.get(id);
    const low = c.lifecycle !== "churned" && x !== undefined && model.pAlive(x.frequency, x.recency, x.T) < 0.9;
    assert.equal(c.churnReasons.includes("low_p_alive"), low, `customer ${id}`);
    fired += low;
    // Nothing else changes.
    assert.deepEqual(c.flags, base.get(id).flags);
    assert.equal(c.lifecycle, base.get(id).lifecycle);
  }
  assert.ok(fired > 0, "the threshold makes the reason fire for someone");
  // A model without a unit is refused (its rates would be read in the wrong unit).
  const noUnit = TransactionModel.fromJSON({ kind: "bgNbd", params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 } });
  throwsCrm(() => classify(d, { asOf: AS_OF, pAliveModel: noUnit }), "invalid_option", undefined, "pAliveModel");
  throwsCrm(() => classify(d, { pAliveThreshold: 0 }), "invalid_option", undefined, "pAliveThreshold");
  // A model fitted with options.unit knows its unit.
  const fitted = fitBgNbd(summarize(completed, { asOf: AS_OF, unit: "day" }), { unit: "day" });
  assert.equal(fitted.unit, "day");
  assert.doesNotThrow(() => classify(d, { asOf: AS_OF, pAliveModel: fitted }));
});

test("PackedText: email and phone as UTF-8 bytes and row ends give the same classification; bad packs are typed errors", async () => {
  const { packText } = await import("crmscore");
  const d = example();
  const cols = toColumns(d);
  const want = classifyColumnar(cols, { asOf: AS_OF });
  const email = packText(cols.email), phone = packText(cols.phone);
  assert.ok(email.utf8 instanceof Uint8Array && email.ends instanceof Uint32Array && email.missing instanceof Uint8Array);
  // The pack is the strings' UTF-8, row by row (decoded here with TextDecoder, not crmscore).
  const dec = new TextDecoder();
  cols.email.forEach((s, i) => {
    const a = i ? email.ends[i - 1] : 0;
    assert.equal(email.missing[i] === 1 ? null : dec.decode(email.utf8.subarray(a, email.ends[i])), s ?? null, `row ${i}`);
  });
  const packed = { ...cols, email, phone };
  assert.deepEqual(classifyColumnar(packed, { asOf: AS_OF }), want);
  const h = new Classifier(packed, { asOf: AS_OF });
  assert.deepEqual(h.explain(2), new Classifier(cols, { asOf: AS_OF }).explain(2));
  // Without `missing`, every row has a value (here: empty strings, which count as none).
  const noMissing = { utf8: email.utf8, ends: email.ends };
  assert.equal(classifyColumnar({ ...cols, email: noMissing }, { asOf: AS_OF }).lifecycle.length, cols.customerIds.length);
  throwsCrm(() => classifyColumnar({ ...cols, email: { ...email, ends: email.ends.subarray(1) } }), "length_mismatch", undefined, "email.ends");
  const falling = email.ends.slice();
  falling[3] = 0;
  throwsCrm(() => classifyColumnar({ ...cols, email: { ...email, ends: falling } }), "invalid_value", 3, "email.ends");
  const badUtf8 = email.utf8.slice();
  let k = 1;
  while (email.ends[k] === email.ends[k - 1]) k++; // the first row after row 0 with bytes
  badUtf8[email.ends[k - 1]] = 0xff;
  throwsCrm(() => classifyColumnar({ ...cols, email: { ...email, utf8: badUtf8 } }), "invalid_value", k, "email");
  throwsCrm(() => packText([1, 2]), "invalid_value", 0, "values");
});

test("customerIds as a typed array of numbers: the same as the array of those numbers", () => {
  const cols = toColumns(example());
  const n = cols.customerIds.length;
  const numeric = { ...cols, customerIds: Array.from({ length: n }, (_, i) => i) };
  const typed = { ...cols, customerIds: Uint32Array.from({ length: n }, (_, i) => i) };
  assert.deepEqual(classifyColumnar(typed, { asOf: AS_OF }), classifyColumnar(numeric, { asOf: AS_OF }));
  assert.deepEqual(new Classifier(typed, { asOf: AS_OF }).explain(1), new Classifier(numeric, { asOf: AS_OF }).explain(1));
  const dup = typed.customerIds.slice();
  dup[3] = 1;
  throwsCrm(() => classifyColumnar({ ...cols, customerIds: dup }), "invalid_customer_id", 3, "customerIds");
  throwsCrm(() => classifyColumnar({ ...cols, customerIds: new BigUint64Array(n) }), "invalid_value", undefined, "customerIds");
});
