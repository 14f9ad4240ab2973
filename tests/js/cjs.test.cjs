// The BUILT package through its CommonJS entry (require("crmscore") → pkg/node/crmscore.js).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const crm = require("crmscore");
const ref = require("./reference.cjs");

test("require() gives the same API and R rfm 0.3.0 conformance", () => {
  assert.equal(typeof crm.rfm, "function");
  assert.equal(typeof crm.rfmColumnar, "function");
  assert.equal(ref.assertConforms(assert, crm.rfm(ref.rOrders(), { asOf: "2006-12-31", binning: "rfmR" })), 995);
});

test("require() and import() load equivalent modules", async () => {
  const esm = await import("crmscore");
  const orders = crm.sampleOrders({ customers: 200 });
  assert.deepEqual(esm.rfm(orders), crm.rfm(orders));
});

test("errors thrown through require() are CrmScoreErrors", () => {
  assert.throws(() => crm.rfm([{ customerId: 1, date: "2024-13-01", amount: 1 }]), {
    name: "CrmScoreError",
    code: "invalid_date",
    row: 0,
    field: "date",
  });
});
