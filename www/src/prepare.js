// A data set made ready for the engine (www/src/engine.js): the analysis day, the completed
// orders (what RFM and CLV count) and one copy of the activity per engine call that takes it,
// so that every call can *move* its typed columns into the engine's worker (a move costs
// nothing; a copy of a 1M-customer data set is a few hundred MB of memcpy on the sending
// thread). Pure (no DOM, no wasm): the data worker runs it for the sample, the page for files;
// www/tests/prepare.test.mjs.
import { latestDay, NO_DAY } from "./values.js";

export const isoDay = (day) => new Date(day * 86_400_000).toISOString().slice(0, 10);

const TABLES = ["orders", "interactions", "returns", "payments"];

/** Orders with status completed (0), or all of them when there is no status column. */
export function completedOrders(orders) {
  const { customer, date, amount, status } = orders;
  if (!status) return { customer: customer.slice(), date: date.slice(), amount: amount.slice() };
  let m = 0;
  for (let r = 0; r < status.length; r++) if (status[r] === 0) m++;
  const out = { customer: new Uint32Array(m), date: new (date.constructor)(m), amount: new Float64Array(m) };
  let k = 0;
  for (let r = 0; r < status.length; r++) {
    if (status[r] !== 0) continue;
    out.customer[k] = customer[r];
    out.date[k] = date[r];
    out.amount[k] = amount[r];
    k++;
  }
  return out;
}

/** Columns crmscore reads from each table (the generator's paymentMethod is not one). */
const READ = {
  orders: ["customer", "date", "amount", "status", "discount"],
  interactions: ["customer", "date", "type", "value"],
  returns: ["customer", "date", "amount"],
  payments: ["customer", "date", "amount", "status", "daysLate"],
};

/**
 * The typed columns of an activity (createdAt and the four tables' columns crmscore reads;
 * no strings), copied when `copy`, else the same arrays. `skip`: column names left out.
 */
export function typedActivity(activity, { copy = false, skip = [] } = {}) {
  const out = {};
  const take = (v) => (copy ? v.slice() : v);
  if (activity.createdAt) out.createdAt = take(activity.createdAt);
  for (const t of TABLES) {
    const src = activity[t];
    if (!src) continue;
    const o = {};
    for (const k of READ[t]) if (ArrayBuffer.isView(src[k]) && !skip.includes(k)) o[k] = take(src[k]);
    out[t] = o;
  }
  return out;
}

/** Every ArrayBuffer under `value` (objects two levels deep): the list to transfer. */
export function buffersOf(value) {
  const out = [];
  const walk = (v, depth) => {
    if (v === null || typeof v !== "object") return;
    if (ArrayBuffer.isView(v)) {
      if (!out.includes(v.buffer)) out.push(v.buffer);
      return;
    }
    if (depth > 2 || Array.isArray(v)) return;
    for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return out;
}

/**
 * What the page sends to the engine for `activity` (a ColumnarActivity):
 *   { asOfDay, asOf, orders, forDerive, forClassify, forRfm, forClv }
 * forDerive: a typed copy of the activity (without discounts, which no derived field reads);
 * forClassify: the activity's own typed columns (the page adds customerIds, and email and phone);
 * forRfm / forClv: completed orders { customer, date, amount }, one copy each.
 * Throws Error("no dated rows") when no row has a date.
 */
export function engineInputs(activity) {
  const asOfDay = latestDay(activity);
  if (asOfDay === NO_DAY) throw new Error("no dated rows");
  const done = completedOrders(activity.orders);
  return {
    asOfDay,
    asOf: isoDay(asOfDay),
    orders: activity.orders.customer.length,
    forDerive: typedActivity(activity, { copy: true, skip: ["discount"] }),
    forClassify: typedActivity(activity),
    forRfm: done,
    forClv: { customer: done.customer.slice(), date: done.date.slice(), amount: done.amount.slice() },
  };
}
