// Boundary helpers that run in JavaScript: reading millions of plain objects is
// fastest where they live. They only move data into typed arrays, interning ids and
// distinct date strings, and stop at the first cell they cannot move (a field of the wrong
// JS type, missing, a repeated id), recording its row, field and value (`unread`). Every
// message is written in Rust, from that record (convert::Unread::error); values are checked
// by the core.

// The helpers shared by every glue module (activity_glue.js, classify_glue.js,
// scoring_glue.js import them from here): customer ids and date codes.

export const MS_PER_DAY = 86400000;
/** A date code: the value needs a precise error (written in Rust). */
export const NOT_A_DATE = -2147483648;
const MAX_STRING = 1 << 24;

// A row that throws while it is read (a getter, a Proxy) or holds an over-long string: the
// argument guard (guard.js) hands these helpers its own copy of the outer array, so the row
// is replaced by null there (nothing touches the page's object again), and the reason is
// left in this slot for the guard, which reports it as a CrmScoreError invalid_argument (a
// JS exception must never unwind through wasm).
const UNREADABLE = Symbol.for("crmscore.guard.unreadable");

/** Row `i` of `rows` (of input table `table`, when the argument holds several) is unreadable. */
export function unreadable(rows, i, what, cause, table) {
  globalThis[UNREADABLE] = { row: i, what, cause, table };
  rows[i] = null;
}

export function tooLong(v) {
  return typeof v === "string" && v.length > MAX_STRING;
}

/**
 * A field value as plain data for Rust's message (Dates copied; other objects emptied; an
 * over-long string cut: the message quotes its first characters only).
 */
export function plainValue(v) {
  if (tooLong(v)) return v.slice(0, 1000);
  if (v === null || typeof v !== "object") return typeof v === "function" ? function notAValue() {} : v;
  if (Array.isArray(v)) return [];
  if (v instanceof Date) return new Date(Date.prototype.getTime.call(v));
  return {};
}

/**
 * Record in `out` the cell that could not be moved into a column: { bad: row, badField,
 * badValue } (field "" = the row is not an object). Rust writes the error from these (the
 * value is a plain copy: Rust reads no getter, Proxy or hostile value of the page's row).
 */
export function unread(out, row, field, value) {
  out.bad = row;
  out.badField = field;
  out.badValue = plainValue(value);
}

/** A row as the API accepts it: an object, not an array. */
export function isRow(o) {
  return o !== null && typeof o === "object" && !Array.isArray(o);
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

/** orders → { bad, badField, badValue, customer, date, amount, ids, dates } (bad = -1: every row read). */
export function extractOrders(orders, minDay, maxDay) {
  const n = orders.length;
  const customer = new Uint32Array(n);
  const date = new Int32Array(n);
  const amount = new Float64Array(n);
  const idMap = new Map();
  const ids = [];
  const dateMap = new Map();
  const dates = [];
  const out = { bad: -1, badField: "", badValue: undefined, customer, date, amount, ids, dates };
  let i = 0;
  try {
    for (; i < n; i++) {
      const o = orders[i];
      if (!isRow(o)) { unread(out, i, "", o); break; }
      const id = o.customerId;
      let c = idMap.get(id);
      if (c === undefined) {
        if (tooLong(id)) { unreadable(orders, i, `customerId is a string of ${id.length} characters`); unread(out, i, "", null); break; }
        if (!validId(id)) { unread(out, i, "customerId", id); break; }
        c = ids.length;
        idMap.set(id, c);
        ids.push(id);
      }
      customer[i] = c;
      const dv = o.date;
      if (tooLong(dv)) { unreadable(orders, i, `date is a string of ${dv.length} characters`); unread(out, i, "", null); break; }
      const d = dateCode(dv, dateMap, dates, minDay, maxDay);
      if (d === NOT_A_DATE) { unread(out, i, "date", dv); break; }
      date[i] = d;
      const a = o.amount;
      if (typeof a !== "number") { unread(out, i, "amount", a); break; }
      amount[i] = a;
    }
  } catch (e) {
    unreadable(orders, i, "could not be read", e);
    unread(out, i, "", null);
  }
  return out;
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
  const out = { bad: -1, badField: "", badValue: undefined, recency, lastDate, frequency, monetary, ids, dates };
  let i = 0;
  try {
    for (; i < n; i++) {
      const o = rows[i];
      if (!isRow(o)) { unread(out, i, "", o); break; }
      const id = o.customerId;
      if (tooLong(id)) { unreadable(rows, i, `customerId is a string of ${id.length} characters`); unread(out, i, "", null); break; }
      if (!validId(id) || idMap.has(id)) { unread(out, i, "customerId", id); break; }
      idMap.set(id, i);
      ids.push(id);
      const r = o.recencyDays;
      if (r === undefined || r === null) recency[i] = NaN;
      else if (typeof r === "number" && r === r) recency[i] = r;
      else { unread(out, i, "recencyDays", r); break; }
      const d = o.lastOrderDate;
      if (tooLong(d)) { unreadable(rows, i, `lastOrderDate is a string of ${d.length} characters`); unread(out, i, "", null); break; }
      if (d === undefined || d === null) lastDate[i] = NOT_A_DATE;
      else {
        const code = dateCode(d, dateMap, dates, minDay, maxDay);
        if (code === NOT_A_DATE) { unread(out, i, "lastOrderDate", d); break; }
        lastDate[i] = code;
      }
      const f = o.frequency;
      if (typeof f !== "number") { unread(out, i, "frequency", f); break; }
      frequency[i] = f;
      const m = o.monetary;
      if (typeof m !== "number") { unread(out, i, "monetary", m); break; }
      monetary[i] = m;
    }
  } catch (e) {
    unreadable(rows, i, "could not be read", e);
    unread(out, i, "", null);
  }
  return out;
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
