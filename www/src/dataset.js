// Loaded tables (from the parsing worker) → one data set: every customer once, in order of
// first appearance (customers tables, then orders, then interactions), activity as crmscore's
// ColumnarActivity. Pure (no DOM, no wasm).
import { NO_DAY } from "./values.js";

/** A problem joining tables: `file` and `row` name the place (row as the user counts it). */
export class DatasetError extends Error {
  constructor(reason, details = {}) {
    super(reason);
    this.reason = reason;
    Object.assign(this, details);
  }
}

const concatTyped = (Type, parts) => {
  const out = new Type(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
};

/**
 * tables: [{ kind, file, rowBase, rows, columns }] (rowBase: what the first data row is called:
 * 2 for CSV with a header, 1 for JSON records).
 * → { customerIds, names, attributes: { region, channel }, activity }
 */
export function buildDataset(tables) {
  const index = new Map();
  const customerIds = [];
  const add = (id) => {
    let i = index.get(id);
    if (i === undefined) {
      i = customerIds.length;
      index.set(id, i);
      customerIds.push(id);
    }
    return i;
  };
  const byKind = (k) => tables.filter((t) => t.kind === k);
  if (!byKind("orders").length) throw new DatasetError("no-orders");

  // Customers first: their attributes, keyed by index (filled after all ids are known).
  const attrRows = [];
  for (const t of byKind("customers")) {
    const c = t.columns;
    const seen = new Set();
    for (let r = 0; r < t.rows; r++) {
      const id = c.customerId[r];
      if (seen.has(id)) throw new DatasetError("duplicate-customer", { file: t.file, row: t.rowBase + r, value: id });
      seen.add(id);
      attrRows.push([add(id), t, r]);
    }
  }
  const indices = (t) => {
    const ids = t.columns.customerId;
    const out = new Uint32Array(ids.length);
    for (let r = 0; r < ids.length; r++) out[r] = add(ids[r]);
    return out;
  };

  const orderTables = byKind("orders");
  const orderCustomer = orderTables.map(indices);
  const anyStatus = orderTables.some((t) => t.columns.status);
  const anyDiscount = orderTables.some((t) => t.columns.discount);
  const orders = {
    customer: concatTyped(Uint32Array, orderCustomer),
    date: concatTyped(Int32Array, orderTables.map((t) => t.columns.date)),
    amount: concatTyped(Float64Array, orderTables.map((t) => t.columns.amount)),
  };
  if (anyStatus) orders.status = concatTyped(Uint8Array, orderTables.map((t) => t.columns.status ?? new Uint8Array(t.rows)));
  if (anyDiscount) orders.discount = concatTyped(Float64Array, orderTables.map((t) => t.columns.discount ?? new Float64Array(t.rows).fill(NaN)));

  let interactions = null;
  const it = byKind("interactions");
  if (it.length) {
    interactions = {
      customer: concatTyped(Uint32Array, it.map(indices)),
      date: concatTyped(Int32Array, it.map((t) => t.columns.date)),
      type: concatTyped(Uint8Array, it.map((t) => t.columns.type)),
    };
    if (it.some((t) => t.columns.value)) interactions.value = concatTyped(Float64Array, it.map((t) => t.columns.value ?? new Float64Array(t.rows).fill(NaN)));
  }

  const n = customerIds.length;
  const col = (field) => (tables.some((t) => t.columns[field]) ? new Array(n).fill(null) : null);
  const names = col("name");
  const region = col("region");
  const channel = col("channel");
  const email = col("email");
  const phone = col("phone");
  const createdAt = tables.some((t) => t.kind === "customers" && t.columns.createdAt) ? new Int32Array(n).fill(NO_DAY) : null;
  for (const [i, t, r] of attrRows) {
    const c = t.columns;
    if (c.name) names[i] = c.name[r];
    if (c.region) region[i] = c.region[r];
    if (c.channel) channel[i] = c.channel[r];
    if (c.email) email[i] = c.email[r];
    if (c.phone) phone[i] = c.phone[r];
    if (c.createdAt) createdAt[i] = c.createdAt[r];
  }
  // A name column in an orders table names customers the customers table did not.
  orderTables.forEach((t, k) => {
    if (!t.columns.name) return;
    const ids = orderCustomer[k];
    for (let r = 0; r < t.rows; r++) if (names[ids[r]] === null && t.columns.name[r] !== null) names[ids[r]] = t.columns.name[r];
  });

  const activity = { customerIds, orders };
  if (interactions) activity.interactions = interactions;
  if (createdAt) activity.createdAt = createdAt;
  if (email) activity.email = email;
  if (phone) activity.phone = phone;
  return { customerIds, names, attributes: { region, channel }, activity };
}
