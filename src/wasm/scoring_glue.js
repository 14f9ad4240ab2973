// Boundary helpers for scoring (see glue.js for the pattern): customer records → typed
// columns, and result columns → plain result objects. Precise errors are made in Rust.

import { validId } from "./glue.js";

const NO_STRING = 0xffffffff;
const NO_BOOL = 2;

/**
 * Customer records → { bad, ids, columns: [{ name, kind, data, dict, badRow }] }.
 * kind: "num" (Float64Array, NaN = missing; Dates become epoch ms), "str" (Uint32Array codes
 * into dict, NO_STRING = missing), "bool" (Uint8Array 0/1, NO_BOOL = missing) or "other".
 * A column's badRow is the first row whose value does not fit its kind (or is NaN/±Infinity).
 * bad: the first row that is not an object or has an invalid or duplicate customerId.
 */
export function extractRecords(rows) {
  const n = rows.length;
  const ids = new Array(n);
  const idMap = new Map();
  const cols = new Map();
  let bad = -1;
  for (let i = 0; i < n; i++) {
    const o = rows[i];
    if (o === null || typeof o !== "object" || Array.isArray(o)) { bad = i; break; }
    const id = o.customerId;
    if (!validId(id) || idMap.has(id)) { bad = i; break; }
    idMap.set(id, i);
    ids[i] = id;
    for (const k in o) {
      if (k === "customerId") continue;
      let v = o[k];
      if (v === null || v === undefined) continue;
      if (v instanceof Date) v = v.getTime();
      const t = typeof v;
      let c = cols.get(k);
      if (c === undefined) {
        if (t === "number") c = { kind: "num", data: new Float64Array(n).fill(NaN), badRow: -1 };
        else if (t === "string") c = { kind: "str", data: new Uint32Array(n).fill(NO_STRING), dict: [], map: new Map(), badRow: -1 };
        else if (t === "boolean") c = { kind: "bool", data: new Uint8Array(n).fill(NO_BOOL), badRow: -1 };
        else c = { kind: "other", badRow: i };
        cols.set(k, c);
      }
      if (c.badRow >= 0) continue;
      if (c.kind === "num") {
        if (t === "number" && v - v === 0) c.data[i] = v;
        else c.badRow = i;
      } else if (c.kind === "str") {
        if (t === "string") {
          let code = c.map.get(v);
          if (code === undefined) {
            code = c.dict.length;
            c.map.set(v, code);
            c.dict.push(v);
          }
          c.data[i] = code;
        } else c.badRow = i;
      } else if (t === "boolean") c.data[i] = v ? 1 : 0;
      else c.badRow = i;
    }
  }
  const columns = [];
  for (const [name, c] of cols) columns.push({ name, kind: c.kind, data: c.data, dict: c.dict, badRow: c.badRow });
  return { bad, ids, columns };
}

function valueAt(col, i) {
  if (col === null) return null;
  if (col.kind === "num") {
    const x = col.data[i];
    return x === x ? x : null;
  }
  if (col.kind === "str") {
    const c = col.data[i];
    return c === NO_STRING ? null : col.dict[c];
  }
  const b = col.data[i];
  return b === NO_BOOL ? null : b === 1;
}

const orNull = (x) => (x === x ? x : null);

/**
 * Explained results from result columns. `rows` are customer indices; per-row arrays are
 * laid out row-major: T terms per row for points/fractions, 3 slots per row for upgrades.
 */
export function buildExplained(rows, ids, labels, terms, values, scores, tiers, points, fractions, toNext,
  upInd, upGain, upNeed, upTarget, decay) {
  const n = rows.length;
  const T = terms.length;
  const out = new Array(n);
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    const contributions = new Array(T);
    for (let t = 0; t < T; t++) {
      const term = terms[t];
      contributions[t] = {
        indicator: term.id,
        kind: term.kind,
        field: term.field,
        value: valueAt(values[t], i),
        fraction: orNull(fractions[r * T + t]),
        points: points[r * T + t],
      };
    }
    const tier = tiers[r];
    const upgrade = [];
    for (let u = 0; u < 3; u++) {
      const k = upInd[r * 3 + u];
      if (k < 0) break;
      upgrade.push({
        indicator: terms[k].id,
        field: terms[k].field,
        maxGain: upGain[r * 3 + u],
        fractionNeeded: orNull(upNeed[r * 3 + u]),
        targetValue: orNull(upTarget[r * 3 + u]),
      });
    }
    out[r] = {
      customerId: ids[i],
      score: scores[r],
      tier: labels[tier],
      tierIndex: tier,
      contributions,
      decayFactor: decay[r],
      pointsToNextTier: orNull(toNext[r]),
      nextTier: tier > 0 ? labels[tier - 1] : null,
      upgrade,
    };
  }
  return out;
}
