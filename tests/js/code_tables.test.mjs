// The code tables have one source, Rust (codeTables()): every consumer in JavaScript (the
// glue inside the package, the demo's cell readers and engine, the plain-JS benchmark
// baseline, the fuzz) must agree with it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { codeTables, classify, classifyColumnar } from "crmscore";
import { generateCrm } from "crmscore/sample";
import { parseStatus, parseType } from "../../www/src/values.js";
import * as plain from "../../bench/plain/classify.mjs";

const T = codeTables();

test("codeTables() lists every enum's names in code order", () => {
  assert.deepEqual(T.orderStatus, ["completed", "returned", "cancelled", "refused"]);
  assert.deepEqual(T.paymentStatus, ["paid", "late", "failed", "chargeback"]);
  assert.equal(T.interactionKind.length, 10);
  assert.equal(T.interactionKind.at(-1), "other");
  assert.equal(T.flagSeverity.length, T.flagCode.length);
  assert.equal(T.flagSeverity[T.flagCode.indexOf("payment_failures")], "critical");
  for (const [k, v] of Object.entries(T)) {
    assert.ok(Array.isArray(v) && v.length > 0, k);
    if (k !== "flagSeverity") assert.equal(new Set(v).size, v.length, `${k}: distinct names`);
  }
});

test("the glue maps names to Rust's codes: records and columns classify alike", () => {
  const crm = generateCrm({ customers: 60, seed: 11, years: 2 });
  const ids = crm.customerIds;
  const day = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
  const rows = (t, f) => Array.from(t.customer, (c, i) => ({ customerId: ids[c], date: day(t.date[i]), ...f(i) }));
  const opt = (k, x) => (Number.isNaN(x) ? {} : { [k]: x });
  const records = {
    customers: ids.map((id, i) => ({ customerId: id, createdAt: day(crm.createdAt[i]), email: crm.email[i], phone: crm.phone[i] })),
    orders: rows(crm.orders, (i) => ({
      amount: crm.orders.amount[i], status: T.orderStatus[crm.orders.status[i]], ...opt("discount", crm.orders.discount[i]),
    })),
    interactions: rows(crm.interactions, (i) => ({ type: T.interactionKind[crm.interactions.type[i]], ...opt("value", crm.interactions.value[i]) })),
    returns: rows(crm.returns, (i) => ({ amount: crm.returns.amount[i] })),
    payments: rows(crm.payments, (i) => ({
      amount: crm.payments.amount[i], status: T.paymentStatus[crm.payments.status[i]], ...opt("daysLate", crm.payments.daysLate[i]),
    })),
  };
  const a = classify(records, { asOf: crm.asOf });
  const b = classifyColumnar(crm, { asOf: crm.asOf });
  assert.deepEqual(a.summary, b.summary);
  // The columnar result's codes are the code tables' indices of classify's names.
  const cols = { lifecycle: "lifecycle", leadStage: "leadStage", valueClass: "valueClass", loyalty: "loyalty", churnRisk: "churnRisk" };
  a.customers.forEach((c, i) => {
    for (const [k, table] of Object.entries(cols)) assert.equal(b[k][i], T[table].indexOf(c[k]), `${k} of customer ${i}`);
    assert.equal(b.flags[i], c.flags.reduce((x, f) => x | (1 << T.flagCode.indexOf(f.code)), 0), `flags of customer ${i}`);
    assert.equal(b.churnReasons[i], c.churnReasons.reduce((x, r) => x | (1 << T.churnReason.indexOf(r)), 0), `churn reasons of customer ${i}`);
  });
  // The result's classes are named from the same tables, in code order.
  assert.deepEqual(Object.keys(a.summary.lifecycle), T.lifecycle);
  assert.deepEqual(Object.keys(a.summary.leadStage), T.leadStage);
  assert.deepEqual(Object.keys(a.summary.valueClass), T.valueClass);
  assert.deepEqual(Object.keys(a.summary.loyalty), T.loyalty);
  assert.deepEqual(Object.keys(a.summary.churnRisk), T.churnRisk);
  assert.deepEqual(Object.keys(a.summary.flags), T.flagCode);
});

test("the demo's cell readers give Rust's codes", () => {
  T.orderStatus.forEach((name, code) => assert.equal(parseStatus(name), code, name));
  T.interactionKind.forEach((name, code) => assert.equal(parseType(name), code, name));
});

test("the demo and the plain-JS baseline name the classes as Rust does", async () => {
  assert.deepEqual(plain.LIFECYCLE, T.lifecycle);
  assert.deepEqual(plain.LEAD_STAGE, T.leadStage);
  assert.deepEqual(plain.VALUE_CLASS, T.valueClass);
  assert.deepEqual(plain.LOYALTY, T.loyalty);
  assert.deepEqual(plain.CHURN_RISK, T.churnRisk);
  assert.deepEqual(plain.CHURN_REASONS, T.churnReason);
  assert.deepEqual(plain.FLAG_CODES, T.flagCode);
  // The demo reads class names from classifyColumnar's labels; its one copy is the lifecycle
  // filter's list before the first classification (www/main.js, a DOM module: read as text).
  const { readFileSync } = await import("node:fs");
  const main = readFileSync(new URL("../../www/main.js", import.meta.url), "utf8");
  const m = main.match(/const LIFECYCLES = (\[[^\]]*\]);/);
  assert.ok(m, "www/main.js defines LIFECYCLES");
  assert.deepEqual(JSON.parse(m[1]), T.lifecycle);
});
