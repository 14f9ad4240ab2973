// Boundary helpers that run in JavaScript: reading millions of plain objects is
// fastest where they live. They only move data into typed arrays, interning ids and
// distinct date strings. Every check that produces an error message happens in Rust,
// which re-reads the one row these helpers stop at (`bad`).

// The helpers shared by every glue module (activity_glue.js, classify_glue.js,
// scoring_glue.js import them from here): customer ids and date codes.

export const MS_PER_DAY = 86400000;
/** A date code: the value needs a precise error (written in Rust). */
export const NOT_A_DATE = -2147483648;
const MAX_STRING = 1 << 24;

// A row that throws while it is read (a getter, a Proxy) or holds an over-long string: the
// argument guard (guard.js) hands these helpers its own copy of the outer array, so the row
// is replaced by null there (Rust re-reads only the bad row, and must not touch the page's
// object again), and the reason is left in this slot for the guard, which reports it as a
// CrmScoreError invalid_argument (a JS exception must never unwind through wasm).
const UNREADABLE = Symbol.for("crmscore.guard.unreadable");

function unreadable(rows, i, what, cause) {
  globalThis[UNREADABLE] = { row: i, what, cause };
  rows[i] = null;
}

function tooLong(v) {
  return typeof v === "string" && v.length > MAX_STRING;
}

/** A field value as plain data for Rust's message (Dates copied; other objects emptied). */
function plainValue(v) {
  if (v === null || typeof v !== "object") return typeof v === "function" ? function notAValue() {} : v;
  if (Array.isArray(v)) return [];
  if (v instanceof Date) return new Date(Date.prototype.getTime.call(v));
  return {};
}

/**
 * After `bad`: Rust re-reads that one row to write its message. Put a plain copy of its
 * fields `keys` in the guard's array, so Rust reads no getter, Proxy or hostile value of
 * the page's row (and no other key: a typed array of 2^26 elements is a row too).
 */
function settleBad(rows, bad, keys) {
  if (bad < 0 || globalThis[UNREADABLE] !== undefined) return;
  try {
    const o = rows[bad];
    if (o === null || typeof o !== "object") return;
    if (Array.isArray(o)) {
      rows[bad] = [];
      return;
    }
    const c = {};
    for (const k of keys) if (k in o) c[k] = plainValue(o[k]);
    rows[bad] = c;
  } catch (e) {
    unreadable(rows, bad, "could not be read", e);
  }
}

/** A customer id as the API accepts it: a non-empty string or a finite number. */
export function validId(id) {
  return typeof id === "string" ? id.length > 0 : typeof id === "number" && Number.isFinite(id);
}

/**
 * A date → an Int32 code: the epoch day for numbers (epoch ms) and Dates; for strings
 * maxDay + 1 + k, k indexing `dates` (each distinct string is parsed once, in Rust);
 * NOT_A_DATE when the value needs a precise error.
 */
export function dateCode(d, dateMap, dates, minDay, maxDay) {
  if (typeof d === "string") {
    let k = dateMap.get(d);
    if (k === undefined) {
      k = dates.length;
      dateMap.set(d, k);
      dates.push(d);
    }
    return maxDay + 1 + k;
  }
  if (d instanceof Date) d = d.getTime();
  if (typeof d !== "number") return NOT_A_DATE;
  const day = Math.floor(d / MS_PER_DAY);
  return day >= minDay && day <= maxDay ? day : NOT_A_DATE;
}

/** orders → { bad, customer, date, amount, ids, dates }; bad = first row needing a precise error, or -1. */
export function extractOrders(orders, minDay, maxDay) {
  const n = orders.length;
  const customer = new Uint32Array(n);
  const date = new Int32Array(n);
  const amount = new Float64Array(n);
  const idMap = new Map();
  const ids = [];
  const dateMap = new Map();
  const dates = [];
  let bad = -1;
  let i = 0;
  try {
    for (; i < n; i++) {
      const o = orders[i];
      if (o === null || typeof o !== "object") { bad = i; break; }
      const id = o.customerId;
      let c = idMap.get(id);
      if (c === undefined) {
        if (tooLong(id)) { unreadable(orders, i, `customerId is a string of ${id.length} characters`); bad = i; break; }
        if (!validId(id)) { bad = i; break; }
        c = ids.length;
        idMap.set(id, c);
        ids.push(id);
      }
      customer[i] = c;
      const dv = o.date;
      if (tooLong(dv)) { unreadable(orders, i, `date is a string of ${dv.length} characters`); bad = i; break; }
      const d = dateCode(dv, dateMap, dates, minDay, maxDay);
      if (d === NOT_A_DATE) { bad = i; break; }
      date[i] = d;
      const a = o.amount;
      if (typeof a !== "number") { bad = i; break; }
      amount[i] = a;
    }
  } catch (e) {
    unreadable(orders, i, "could not be read", e);
    bad = i;
  }
  settleBad(orders, bad, ["customerId", "date", "amount"]);
  return { bad, customer, date, amount, ids, dates };
}

/** Customer aggregates → columns; recency NaN and lastDate NOT_A_DATE when absent. */
export function extractCustomers(rows, minDay, maxDay) {
  const n = rows.length;
  const recency = new Float64Array(n);
  const lastDate = new Int32Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  const idMap = new Map();
  const ids = [];
  const dateMap = new Map();
  const dates = [];
  let bad = -1;
  let i = 0;
  try {
    for (; i < n; i++) {
      const o = rows[i];
      if (o === null || typeof o !== "object") { bad = i; break; }
      const id = o.customerId;
      if (tooLong(id)) { unreadable(rows, i, `customerId is a string of ${id.length} characters`); bad = i; break; }
      if (!validId(id) || idMap.has(id)) { bad = i; break; }
      idMap.set(id, i);
      ids.push(id);
      const r = o.recencyDays;
      if (r === undefined || r === null) recency[i] = NaN;
      else if (typeof r === "number" && r === r) recency[i] = r;
      else { bad = i; break; }
      const d = o.lastOrderDate;
      if (tooLong(d)) { unreadable(rows, i, `lastOrderDate is a string of ${d.length} characters`); bad = i; break; }
      if (d === undefined || d === null) lastDate[i] = NOT_A_DATE;
      else {
        const code = dateCode(d, dateMap, dates, minDay, maxDay);
        if (code === NOT_A_DATE) { bad = i; break; }
        lastDate[i] = code;
      }
      const f = o.frequency;
      const m = o.monetary;
      if (typeof f !== "number" || typeof m !== "number") { bad = i; break; }
      frequency[i] = f;
      monetary[i] = m;
    }
  } catch (e) {
    unreadable(rows, i, "could not be read", e);
    bad = i;
  }
  settleBad(rows, bad, ["customerId", "recencyDays", "lastOrderDate", "frequency", "monetary"]);
  return { bad, recency, lastDate, frequency, monetary, ids, dates };
}

/** Per-customer result objects from result columns (much faster than serializing them from Rust). */
export function buildRfmCustomers(ids, recencyDays, frequency, monetary, r, f, m, segment, names) {
  const n = ids.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      customerId: ids[i],
      recencyDays: recencyDays[i],
      frequency: frequency[i],
      monetary: monetary[i],
      recencyScore: r[i],
      frequencyScore: f[i],
      monetaryScore: m[i],
      rfmScore: 100 * r[i] + 10 * f[i] + m[i],
      segment: names[segment[i]],
    };
  }
  return out;
}
