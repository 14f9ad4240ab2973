// Boundary helpers of classify and crossTab (same pattern as glue.js): Rust hands over
// typed columns and flat arrays; these build the plain result objects (one literal shape
// per customer, which is much faster than setting keys one call at a time from Rust),
// and read crossTab's inputs. No message is produced here.

import { validId } from "./glue.js";

/**
 * cls = [lifecycle, leadStage, valueClass, loyalty, churnRisk, junk, churnBits]
 * (Uint8Arrays); names = [[lifecycle names], [lead], [value], [loyalty], [risk],
 * [churn reason names], [flag codes], [severities per flag code]].
 * Flags of customer i: flagOff[i] .. flagOff[i + 1] into flagCode / reasons; evidence of
 * flag k: evOff[k] .. evOff[k + 1] into evKeys / evVals.
 */
export function buildClassification(ids, cls, names, flagOff, flagCode, reasons, evOff, evKeys, evVals, revenue) {
  const [lc, ls, vc, ly, cr, junk, bits] = cls;
  const [lcN, lsN, vcN, lyN, crN, reasonN, codeN, sevN] = names;
  const n = ids.length;
  const out = new Array(n);
  // Customers without flags share one frozen empty array, and each combination of churn
  // reasons one frozen array: a million customers need no million small arrays.
  const noFlags = Object.freeze([]);
  const reasonSets = [];
  for (let b = 0; b < 1 << reasonN.length; b++) reasonSets.push(Object.freeze(reasonN.filter((_, r) => b & (1 << r))));
  for (let i = 0; i < n; i++) {
    const f0 = flagOff[i], f1 = flagOff[i + 1];
    const flags = f0 === f1 ? noFlags : [];
    for (let k = f0; k < f1; k++) {
      const evidence = {};
      for (let e = evOff[k], ee = evOff[k + 1]; e < ee; e++) evidence[evKeys[e]] = evVals[e];
      const c = flagCode[k];
      flags.push({ code: codeN[c], severity: sevN[c], reason: reasons[k], evidence });
    }
    if (f0 !== f1) Object.freeze(flags);
    out[i] = {
      customerId: ids[i],
      lifecycle: lcN[lc[i]],
      leadStage: lsN[ls[i]],
      valueClass: vcN[vc[i]],
      loyalty: lyN[ly[i]],
      junk: junk[i] === 1,
      flags,
      churnRisk: crN[cr[i]],
      churnReasons: reasonSets[bits[i]],
      revenue: revenue[i],
    };
  }
  return out;
}

const NO_CODE = 0xffffffff;

/** A dictionary pre-filled with `seed` labels (so known classes keep their order and appear with 0). */
function seeded(seed) {
  const dict = seed.slice();
  const map = new Map();
  dict.forEach((l, k) => map.set(l, k));
  return [dict, map];
}

/** Dictionary-code `values` (any JS values; null / undefined / "" = missing). */
function encode(values, n, codes, dict, map, at) {
  for (let i = 0; i < n; i++) {
    const v = values(i);
    if (v === undefined || v === null || v === "") { codes[at(i)] = NO_CODE; continue; }
    const key = typeof v === "string" ? v : String(v);
    let c = map.get(key);
    if (c === undefined) {
      c = dict.length;
      map.set(key, c);
      dict.push(key);
    }
    codes[at(i)] = c;
  }
}

/**
 * crossTab's reading step. `rows` = result.customers (objects with customerId and the class
 * keys). Returns { bad, badWhat, ids, revenue, dims: [{ name, labels, codes }], attr: { codes,
 * values } } or stops at the first unreadable row (bad = row, badWhat = which input).
 * `customers`: records [{ customerId, [attribute] }] or columns { customerId: [], [attribute]: [] }.
 * `classKeys`: [{ key, seed }] class keys of the rows, with their labels in display order.
 * `extra`: [{ name, rows, key, seed }]: more dimensions joined by customerId (tiers, RFM segments).
 */
export function readCrossTab(rows, customers, attribute, classKeys, extra) {
  // `rows` is classify's result.customers, or classifyColumnar's whole result (code columns,
  // joined to `customers` columns by position).
  const columnar = !Array.isArray(rows);
  const n = columnar ? rows.lifecycle.length : rows.length;
  const out = { bad: -1, badWhat: "", revenue: new Float64Array(n), dims: [], attr: null };
  const index = new Map();
  if (columnar) {
    const idCol = Array.isArray(customers) ? undefined : customers.customerId ?? customers.customerIds;
    if ((!Array.isArray(idCol) && !ArrayBuffer.isView(idCol)) || idCol.length !== n) { out.bad = 0; out.badWhat = "columnar"; return out; }
    for (let i = 0; i < n; i++) {
      if (index.has(idCol[i])) { out.bad = i; out.badWhat = "duplicate"; return out; }
      index.set(idCol[i], i);
    }
    const rev = rows.revenue;
    if (!(rev instanceof Float64Array) || rev.length !== n) { out.bad = 0; out.badWhat = "result.revenue"; return out; }
    out.revenue.set(rev);
  } else {
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (r === null || typeof r !== "object" || index.has(r.customerId)) { out.bad = i; out.badWhat = "result"; return out; }
      index.set(r.customerId, i);
      const rev = r.revenue;
      out.revenue[i] = typeof rev === "number" ? rev : NaN;
    }
  }
  for (const { key, seed } of classKeys) {
    const codes = new Uint32Array(n);
    const [dict, map] = seeded(seed);
    if (columnar) {
      const col = rows[key];
      const labels = key === "junk" ? ["clean", "junk"] : rows.labels?.[key];
      if (!(col instanceof Uint8Array) || col.length !== n || !Array.isArray(labels)) { out.bad = 0; out.badWhat = "result." + key; return out; }
      // Label code → this dimension's code (the seed's order first, as for records).
      const to = new Uint32Array(256).fill(NO_CODE);
      encode((c) => labels[c], labels.length, to, dict, map, (c) => c);
      for (let i = 0; i < n; i++) {
        const c = to[col[i]];
        if (c === NO_CODE) { out.bad = i; out.badWhat = "result." + key; return out; }
        codes[i] = c;
      }
    } else {
      encode((i) => (key === "junk" ? (rows[i].junk === true ? "junk" : rows[i].junk === false ? "clean" : null) : rows[i][key]),
        n, codes, dict, map, (i) => i);
    }
    out.dims.push({ name: key, labels: dict, codes });
  }
  for (const { name, rows: xs, key, seed } of extra) {
    const codes = new Uint32Array(n).fill(NO_CODE);
    const [dict, map] = seeded(seed);
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j];
      if (x === null || typeof x !== "object") { out.bad = j; out.badWhat = name; return out; }
      const i = index.get(x.customerId);
      if (i === undefined) continue;
      encode(() => x[key], 1, codes, dict, map, () => i);
    }
    out.dims.push({ name, labels: dict, codes });
  }
  const codes = new Uint32Array(n).fill(NO_CODE);
  const values = [];
  const map = new Map();
  if (Array.isArray(customers)) {
    for (let j = 0; j < customers.length; j++) {
      const x = customers[j];
      if (x === null || typeof x !== "object") { out.bad = j; out.badWhat = "customers"; return out; }
      const i = index.get(x.customerId);
      if (i === undefined) continue;
      encode(() => x[attribute], 1, codes, values, map, () => i);
    }
  } else {
    const idCol = customers.customerId ?? customers.customerIds;
    const col = customers[attribute];
    if (!Array.isArray(idCol) && !ArrayBuffer.isView(idCol)) { out.bad = 0; out.badWhat = "customers.customerId"; return out; }
    if (col === undefined || col === null || (!Array.isArray(col) && !ArrayBuffer.isView(col)) || col.length !== idCol.length) {
      out.bad = 0; out.badWhat = "customers." + attribute; return out;
    }
    for (let j = 0; j < idCol.length; j++) {
      const i = index.get(idCol[j]);
      if (i === undefined) continue;
      encode(() => col[j], 1, codes, values, map, () => i);
    }
  }
  out.attr = { codes, values };
  return out;
}

/** crossTab's result rows from flat cells: per row [customers, revenue] then every dimension's labels. */
export function buildCrossTab(attribute, dims, labels, rowValues, cells, width) {
  const row = (r, value) => {
    const base = r * width * 2;
    const all = { customers: cells[base], revenue: cells[base + 1] };
    const classes = {};
    let off = 2;
    for (let d = 0; d < dims.length; d++) {
      const m = {};
      for (const label of labels[d]) {
        const customers = cells[base + off];
        m[label] = {
          customers,
          revenue: cells[base + off + 1],
          share: all.customers > 0 ? customers / all.customers : 0,
        };
        off += 2;
      }
      classes[dims[d]] = m;
    }
    return { value, customers: all.customers, revenue: all.revenue, classes };
  };
  const rows = rowValues.map((v, r) => row(r, v));
  const total = row(rowValues.length, null);
  for (const r of rows) r.share = total.customers > 0 ? r.customers / total.customers : 0;
  total.share = total.customers > 0 ? 1 : 0;
  return { attribute, dimensions: dims, rows, total };
}

/** Index of the first invalid (not a non-empty string or finite number) or repeated id, or -1. */
const utf8 = new TextEncoder();

/**
 * The customer ids for Rust's duplicate check: `bad` = the first invalid id (-1: none);
 * the ids before it as UTF-8 joined by "\0" (`bytes`, `count` of them) with `kinds` (1 =
 * a number, given as String(id); null when every id is a string).
 */
export function packIds(ids) {
  const n = ids.length;
  let kinds = null;
  let count = n;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (typeof id === "string" && id.length > 0) continue;
    if (typeof id === "number" && Number.isFinite(id)) (kinds ??= new Uint8Array(n))[i] = 1;
    else {
      count = i;
      break;
    }
  }
  // Numbers join as String(id); Rust checks that the NULs are the separators (else `safe`).
  const head = count === n ? ids : Array.prototype.slice.call(ids, 0, count);
  return { bad: count === n ? -1 : count, bytes: utf8.encode(Array.prototype.join.call(head, "\0")), kinds, count };
}

/** The first invalid or repeated id, -1 when none (a Set of the ids): packIds' fallback when
 *  an id holds a NUL (the joined ids cannot be split). */
export function checkIds(ids) {
  const seen = new Set();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!validId(id)) return i;
    if (seen.has(id)) return i;
    seen.add(id);
  }
  return -1;
}
