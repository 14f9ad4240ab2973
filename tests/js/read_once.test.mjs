// One read path: the glue moves rows into columns once and records the first cell it cannot
// move; the core checks the values; the error comes from whichever is first in reading order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsCrm, thrown } from "./helpers.mjs";
import { deriveFields, classify, rfm } from "crmscore";

const order = (x) => ({ customerId: "a", date: "2025-01-01", amount: 1, ...x });

test("within the row the glue stopped at, the core's checks of earlier fields come first", () => {
  // amount (a value: the core) before status (a name the glue cannot map)
  throwsCrm(() => deriveFields({ orders: [order({ amount: -1, status: "zz" })] }), "invalid_amount", 0, "amount", "orders");
  // date after asOf (the core) before an amount of the wrong type (the glue)
  throwsCrm(() => deriveFields({ orders: [order({ date: "2025-03-01", amount: "x" })] }, { asOf: "2025-02-01" }),
    "date_after_as_of", 0, "date", "orders");
  // a date string that does not parse (Rust) before a type of the wrong type (the glue)
  throwsCrm(() => deriveFields({ orders: [order({})], interactions: [{ customerId: "a", date: "2025-13-01", type: 5 }] }),
    "invalid_date", 0, "date", "interactions");
  // an earlier table's value error before a later table's unreadable cell
  throwsCrm(() => deriveFields({ orders: [order({ discount: -2 })], payments: [{ customerId: "a", date: "2025-01-01", amount: 1 }] }),
    "invalid_value", 0, "discount", "orders");
  throwsCrm(() => deriveFields({ orders: [order({})], payments: [{ customerId: "a", date: "2025-01-01", amount: 1 }] }),
    "missing_field", 0, "status", "payments");
});

test("rfm: an unparsable date on the row the glue stopped at is that row's error", () => {
  throwsCrm(() => rfm([order({}), order({ date: "2025-02-30", amount: "x" })]), "invalid_date", 1, "date", "orders");
  throwsCrm(() => rfm([order({}), order({ amount: "x" })]), "invalid_amount", 1, "amount", "orders");
});

test("deriveFields and classify read each row once; an unreadable row names its table", () => {
  let reads = 0;
  const row = { customerId: "a", date: "2025-01-01", get type() { reads++; return "call"; } };
  deriveFields({ orders: [order({})], interactions: [row] });
  assert.equal(reads, 1);
  const hostile = { customerId: "a", date: "2025-01-01", get type() { throw new Error("boom"); } };
  const interactions = [{ customerId: "a", date: "2025-01-01", type: "call" }, hostile];
  const e = thrown(() => deriveFields({ orders: [order({})], interactions }));
  assert.equal(e.code, "invalid_argument");
  assert.equal(e.field, "data");
  assert.match(e.message, /^data\.interactions\[1\] could not be read: reading it threw \(boom\)/);
  assert.equal(interactions[1], hostile, "the page's array is not touched");
  const long = "x".repeat((1 << 24) + 1);
  const c = thrown(() => classify({ orders: [order({})], customers: [{ customerId: "a", email: long }] }));
  assert.equal(c.code, "invalid_argument");
  assert.match(c.message, /^data\.customers\[0\] email is a string of 16777217 characters/);
});
