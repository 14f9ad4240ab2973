// Boundary helpers of deriveFields (same pattern as glue.js): read the page's plain objects
// into typed arrays where they live, interning customer ids (one Map across every table) and
// distinct date strings, and mapping status / type strings to small integer codes. They stop
// at the first cell they cannot move (recording its table, row, field and value); Rust
// writes the message from that record, and the core checks the values. No message is
// produced here.
//
// Status and type codes are the Rust enums' (src/activity.rs), handed over by Rust as its
// code tables (codeTables(): names in code order).
// Tables: customers 0, orders 1, interactions 2, returns 3, payments 4 (reading order).

import { NOT_A_DATE, dateCode, isRow, tooLong, unread, unreadable, validId } from "./glue.js";

const TABLES = ["customers", "orders", "interactions", "returns", "payments"];

/** Dense index of a customer id (interned on first sight), or -1 for an invalid id. */
function intern(idMap, ids, id) {
  let c = idMap.get(id);
  if (c === undefined) {
    if (!validId(id)) return -1;
    c = ids.length;
    idMap.set(id, c);
    ids.push(id);
  }
  return c;
}

/** name → code of a code table (a list of names in code order). */
function codeMap(names) {
  return new Map(names.map((n, k) => [n, k]));
}

/**
 * The code readers of `tables` (codeTables()): order status (absent = completed), interaction
 * type (any other string = other) and payment status; -1 = not a valid value.
 */
function codeReaders(tables) {
  const order = codeMap(tables.orderStatus);
  const kind = codeMap(tables.interactionKind);
  const pay = codeMap(tables.paymentStatus);
  const other = kind.get("other");
  const completed = order.get("completed");
  return {
    orderStatus: (s) => (s === undefined || s === null ? completed : order.get(s) ?? -1),
    interactionKind: (t) => (typeof t !== "string" ? -1 : kind.get(t) ?? other),
    paymentStatus: (s) => pay.get(s) ?? -1,
  };
}

/**
 * Every table → typed arrays. Arguments are arrays or null (absent table); `tables` are Rust's
 * code tables (codeTables()); with `contacts`, the customers' email and phone are read too
 * (strings or null; a phone may be a non-negative integer, read as its decimal digits).
 * Returns { bad, badTable, badField, badValue, ids, dates, createdAt, email, phone, orders,
 * interactions, returns, payments }: bad = the row of the first cell that could not be moved
 * (-1: none), in table badTable; a table is null when absent or not read (after badTable).
 * Values are not checked here (amounts, ranges: the core does).
 */
export function extractActivity(customers, orders, interactions, returns, payments, minDay, maxDay, contacts, tables) {
  const { orderStatus, interactionKind, paymentStatus } = codeReaders(tables);
  const idMap = new Map();
  const ids = [];
  const dateMap = new Map();
  const dates = [];
  const out = {
    bad: -1, badTable: -1, badField: "", badValue: undefined, ids, dates,
    createdAt: null, email: null, phone: null, orders: null, interactions: null, returns: null, payments: null,
  };
  const stop = (table, row, field, value) => {
    out.badTable = table;
    unread(out, row, field, value);
    return out;
  };
  // The argument guard copies only the outer arrays (guard.js, `activity`): each row is read
  // here, once. A row that throws while it is read (a getter, a Proxy) or holds an over-long
  // string is nulled in the guard's copy and its reason left for the guard (UNREADABLE).
  const args = [customers, orders, interactions, returns, payments];
  let T = 0;
  let I = 0;
  const unreadableRow = (what, cause) => {
    unreadable(args[T], I, what, cause, TABLES[T]);
    return stop(T, I, "", null);
  };
  /** A string value that is too long to hand over (its row is then unreadable). */
  const long = (v, k) => tooLong(v) && unreadableRow(`${k} is a string of ${v.length} characters`);
  try {
    return readTables();
  } catch (e) {
    return unreadableRow("could not be read", e);
  }

  function readTables() {
    if (customers !== null) {
      const n = customers.length;
      const createdAt = new Int32Array(n);
      out.createdAt = createdAt;
      const email = contacts ? new Array(n).fill(null) : null;
      const phone = contacts ? new Array(n).fill(null) : null;
      out.email = email;
      out.phone = phone;
      T = 0;
      for (I = 0; I < n; I++) {
        const i = I;
        const o = customers[i];
        if (!isRow(o)) return stop(0, i, "", o);
        const id = o.customerId;
        const d = o.createdAt;
        if (long(id, "customerId") || long(d, "createdAt")) return out;
        if (!validId(id) || idMap.has(id)) return stop(0, i, "customerId", id);
        idMap.set(id, ids.length);
        ids.push(id);
        if (d === undefined || d === null) createdAt[i] = NOT_A_DATE;
        else {
          const code = dateCode(d, dateMap, dates, minDay, maxDay);
          if (code === NOT_A_DATE) return stop(0, i, "createdAt", d);
          createdAt[i] = code;
        }
        if (contacts) {
          const e = o.email;
          const p = o.phone;
          if (long(e, "email") || long(p, "phone")) return out;
          if (e !== undefined && e !== null) {
            if (typeof e !== "string") return stop(0, i, "email", e);
            email[i] = e;
          }
          if (p !== undefined && p !== null) {
            if (typeof p === "string") phone[i] = p;
            else if (typeof p === "number" && Number.isSafeInteger(p) && p >= 0) phone[i] = String(p);
            else return stop(0, i, "phone", p);
          }
        }
      }
    }

    {
      const n = orders.length;
      const t = {
        customer: new Uint32Array(n), date: new Int32Array(n), amount: new Float64Array(n),
        status: new Uint8Array(n), discount: null,
      };
      out.orders = t;
      const { customer, date, amount, status } = t;
      T = 1;
      for (I = 0; I < n; I++) {
        const i = I;
        const o = orders[i];
        if (!isRow(o)) return stop(1, i, "", o);
        const id = o.customerId;
        const dv = o.date;
        if (long(id, "customerId") || long(dv, "date")) return out;
        const c = intern(idMap, ids, id);
        if (c < 0) return stop(1, i, "customerId", id);
        customer[i] = c;
        const d = dateCode(dv, dateMap, dates, minDay, maxDay);
        if (d === NOT_A_DATE) return stop(1, i, "date", dv);
        date[i] = d;
        const a = o.amount;
        if (typeof a !== "number") return stop(1, i, "amount", a);
        amount[i] = a;
        const sv = o.status;
        const s = orderStatus(sv);
        if (s < 0) return stop(1, i, "status", sv);
        status[i] = s;
        const disc = o.discount;
        if (disc !== undefined && disc !== null) {
          if (typeof disc !== "number") return stop(1, i, "discount", disc);
          if (t.discount === null) t.discount = new Float64Array(n).fill(NaN);
          t.discount[i] = disc;
        }
      }
    }

    if (interactions !== null) {
      const n = interactions.length;
      const t = { customer: new Uint32Array(n), date: new Int32Array(n), kind: new Uint8Array(n), value: null };
      out.interactions = t;
      const { customer, date, kind } = t;
      T = 2;
      for (I = 0; I < n; I++) {
        const i = I;
        const o = interactions[i];
        if (!isRow(o)) return stop(2, i, "", o);
        const id = o.customerId;
        const dv = o.date;
        if (long(id, "customerId") || long(dv, "date")) return out;
        const c = intern(idMap, ids, id);
        if (c < 0) return stop(2, i, "customerId", id);
        customer[i] = c;
        const d = dateCode(dv, dateMap, dates, minDay, maxDay);
        if (d === NOT_A_DATE) return stop(2, i, "date", dv);
        date[i] = d;
        const tv = o.type;
        const k = interactionKind(tv);
        if (k < 0) return stop(2, i, "type", tv);
        kind[i] = k;
        const v = o.value;
        if (v !== undefined && v !== null) {
          if (typeof v !== "number") return stop(2, i, "value", v);
          if (t.value === null) t.value = new Float64Array(n).fill(NaN);
          t.value[i] = v;
        }
      }
    }

    if (returns !== null) {
      const n = returns.length;
      const t = { customer: new Uint32Array(n), date: new Int32Array(n), amount: new Float64Array(n) };
      out.returns = t;
      const { customer, date, amount } = t;
      T = 3;
      for (I = 0; I < n; I++) {
        const i = I;
        const o = returns[i];
        if (!isRow(o)) return stop(3, i, "", o);
        const id = o.customerId;
        const dv = o.date;
        if (long(id, "customerId") || long(dv, "date")) return out;
        const c = intern(idMap, ids, id);
        if (c < 0) return stop(3, i, "customerId", id);
        customer[i] = c;
        const d = dateCode(dv, dateMap, dates, minDay, maxDay);
        if (d === NOT_A_DATE) return stop(3, i, "date", dv);
        date[i] = d;
        const a = o.amount;
        if (typeof a !== "number") return stop(3, i, "amount", a);
        amount[i] = a;
      }
    }

    if (payments !== null) {
      const n = payments.length;
      const t = {
        customer: new Uint32Array(n), date: new Int32Array(n), amount: new Float64Array(n),
        status: new Uint8Array(n), daysLate: null,
      };
      out.payments = t;
      const { customer, date, amount, status } = t;
      T = 4;
      for (I = 0; I < n; I++) {
        const i = I;
        const o = payments[i];
        if (!isRow(o)) return stop(4, i, "", o);
        const id = o.customerId;
        const dv = o.date;
        if (long(id, "customerId") || long(dv, "date")) return out;
        const c = intern(idMap, ids, id);
        if (c < 0) return stop(4, i, "customerId", id);
        customer[i] = c;
        const d = dateCode(dv, dateMap, dates, minDay, maxDay);
        if (d === NOT_A_DATE) return stop(4, i, "date", dv);
        date[i] = d;
        const a = o.amount;
        if (typeof a !== "number") return stop(4, i, "amount", a);
        amount[i] = a;
        const sv = o.status;
        const s = paymentStatus(sv);
        if (s < 0) return stop(4, i, "status", sv);
        status[i] = s;
        const late = o.daysLate;
        if (late !== undefined && late !== null) {
          if (typeof late !== "number") return stop(4, i, "daysLate", late);
          if (t.daysLate === null) t.daysLate = new Float64Array(n).fill(NaN);
          t.daysLate[i] = late;
        }
      }
    }
    return out;
  }
}

const FIELDS = [
  "orderCount", "totalAmount", "amountLast365Days", "averageOrderValue", "daysSinceLastOrder",
  "tenureDays", "returnRate", "complaintCount", "averageFeedback", "interactionsLast90Days",
  "averagePaymentDelayDays", "paymentDefaultCount", "referralCount",
];

/** One plain object per customer: { customerId, ...fields }, NaN → null. */
export function buildDerived(ids, names, columns) {
  const n = ids.length;
  const out = new Array(n);
  const nul = (x) => (x === x ? x : null);
  const literal = names.length === FIELDS.length && names.every((k, i) => k === FIELDS[i]);
  if (literal) {
    // A literal object per customer: one hidden class, much faster than 13 dynamic keys.
    const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] = columns;
    for (let i = 0; i < n; i++) {
      out[i] = {
        customerId: ids[i],
        orderCount: nul(c0[i]),
        totalAmount: nul(c1[i]),
        amountLast365Days: nul(c2[i]),
        averageOrderValue: nul(c3[i]),
        daysSinceLastOrder: nul(c4[i]),
        tenureDays: nul(c5[i]),
        returnRate: nul(c6[i]),
        complaintCount: nul(c7[i]),
        averageFeedback: nul(c8[i]),
        interactionsLast90Days: nul(c9[i]),
        averagePaymentDelayDays: nul(c10[i]),
        paymentDefaultCount: nul(c11[i]),
        referralCount: nul(c12[i]),
      };
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const o = { customerId: ids[i] };
    for (let k = 0; k < names.length; k++) o[names[k]] = nul(columns[k][i]);
    out[i] = o;
  }
  return out;
}

const utf8 = new TextEncoder();

/**
 * An array of strings / null / undefined → { bad, bytes, missing }: the strings joined by NUL
 * and UTF-8 encoded in one go (far cheaper than handing a million strings over one by one);
 * missing[i] = 1 for null / undefined. A NUL inside a string becomes U+FFFD (no valid email
 * or phone holds one). bad = the first index holding anything else, -1 if none; `numbers`
 * also accepts non-negative safe integers (read as their digits, e.g. phone numbers).
 */
export function packStrings(arr, numbers, safe) {
  const n = arr.length;
  const missing = new Uint8Array(n);
  if (!safe) {
    // Fast path: check the types, then join the array itself (null / undefined join as "",
    // numbers as their digits). Rust counts the NULs and asks again with `safe` when a
    // string held one.
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (typeof v === "string") continue;
      if (v === undefined || v === null) missing[i] = 1;
      else if (!(numbers && typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) return { bad: i, bytes: null, missing: null };
    }
    return { bad: -1, bytes: utf8.encode(Array.prototype.join.call(arr, "\0")), missing };
  }
  const parts = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (v === undefined || v === null) {
      missing[i] = 1;
      parts[i] = "";
    } else if (typeof v === "string") parts[i] = v.indexOf("\0") < 0 ? v : v.replaceAll("\0", "\ufffd");
    else if (numbers && typeof v === "number" && Number.isSafeInteger(v) && v >= 0) parts[i] = String(v);
    else return { bad: i, bytes: null, missing: null };
  }
  return { bad: -1, bytes: utf8.encode(parts.join("\0")), missing };
}
