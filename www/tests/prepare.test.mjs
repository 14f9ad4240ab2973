// What the page hands to the engine (www/src/prepare.js): the analysis day, completed orders
// and per-call copies of the typed columns, so each engine call can move its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { completedOrders, typedActivity, engineInputs, buffersOf, isoDay } from "../src/prepare.js";
import { NO_DAY } from "../src/values.js";

const activity = () => ({
  customerIds: ["a", "b", "c"],
  createdAt: Int32Array.from([20000, NO_DAY, 20100]),
  email: ["a@x.cn", null, "bad"],
  orders: {
    customer: Uint32Array.from([0, 1, 1, 2]),
    date: Int32Array.from([20200, 20210, 20220, 20150]),
    amount: Float64Array.from([10, 20, 30, 40]),
    status: Uint8Array.from([0, 1, 0, 2]),
    discount: Float64Array.from([0, 1, NaN, 0]),
    paymentMethod: Uint8Array.from([0, 0, 1, 1]),
  },
  interactions: { customer: Uint32Array.from([2]), date: Int32Array.from([20230]), type: Uint8Array.from([4]) },
});

test("completed orders: status 0 only; every order without a status column; always new arrays", () => {
  const a = activity();
  const done = completedOrders(a.orders);
  assert.deepEqual([...done.customer], [0, 1]);
  assert.deepEqual([...done.date], [20200, 20220]);
  assert.deepEqual([...done.amount], [10, 30]);
  const { status, ...noStatus } = a.orders;
  const all = completedOrders(noStatus);
  assert.deepEqual([...all.amount], [10, 20, 30, 40]);
  assert.notEqual(all.amount.buffer, a.orders.amount.buffer, "a copy: the original can move elsewhere");
});

test("typed activity: the columns crmscore reads, copied or not, strings left out", () => {
  const a = activity();
  const copy = typedActivity(a, { copy: true, skip: ["discount"] });
  assert.deepEqual(Object.keys(copy).sort(), ["createdAt", "interactions", "orders"]);
  assert.deepEqual(Object.keys(copy.orders), ["customer", "date", "amount", "status"]);
  assert.notEqual(copy.orders.amount.buffer, a.orders.amount.buffer);
  assert.deepEqual([...copy.orders.amount], [...a.orders.amount]);
  const same = typedActivity(a);
  assert.equal(same.orders.amount, a.orders.amount);
  assert.ok(same.orders.discount, "discount kept for classification");
  assert.equal(same.orders.paymentMethod, undefined, "the generator's paymentMethod is not sent");
  assert.equal(same.email, undefined);
});

test("engine inputs: asOf = the latest dated row; buffers listed once each, none shared between calls", () => {
  const inputs = engineInputs(activity());
  assert.equal(inputs.asOfDay, 20230);
  assert.equal(inputs.asOf, isoDay(20230));
  assert.equal(inputs.asOf, "2025-05-22");
  assert.equal(inputs.orders, 4);
  assert.deepEqual([...inputs.forRfm.amount], [10, 30]);
  assert.deepEqual([...inputs.forClv.amount], [10, 30]);
  const groups = ["forDerive", "forClassify", "forRfm", "forClv"].map((k) => buffersOf(inputs[k]));
  const all = groups.flat();
  assert.equal(new Set(all).size, all.length, "every call gets buffers of its own");
  assert.equal(buffersOf(inputs).length, all.length);
  assert.equal(groups[0].length, 1 + 4 + 3, "createdAt, orders without discount, interactions");
  assert.throws(() => engineInputs({ customerIds: ["a"], orders: { customer: new Uint32Array(1), date: Int32Array.from([NO_DAY]), amount: new Float64Array(1) } }), /no dated rows/);
});
