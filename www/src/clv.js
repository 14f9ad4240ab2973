// CLV / P(alive): shown only when the library has the CLV capability (feature-detected, so the
// page works with crmscore builds before and after it lands). The one place that calls it.
//
// summarizeColumnar (completed orders, weekly unit) → fitBgNbd + fitGammaGamma → pAlive and
// clv per customer (12 months of 30.436875 days = 52.18 weeks, monthly steps, 1 % a month).
// Returns { pAlive: Float64Array, clv: Float64Array } per customer (NaN = no completed order).
import { transfer } from "crmscore/worker";
import { copyInTasks, nextTask } from "./dom.js";

export const clvAvailable = (engine) => typeof engine.fitBgNbd === "function" && typeof engine.summarizeColumnar === "function";

const MONTH_IN_WEEKS = 30.436875 / 7;

/**
 * Through the worker engine: `orders` = the completed orders { customer, date, amount } (moved
 * into the worker), `n` customers, `asOf` "YYYY-MM-DD". The fitted models are handles in the
 * worker, freed before this returns.
 */
export async function computeClv(engine, orders, n, asOf, { signal, onProgress } = {}) {
  if (orders.customer.length === 0) return { pAlive: new Float64Array(n).fill(NaN), clv: new Float64Array(n).fill(NaN) };
  const at = (from, to) => onProgress && ((f) => onProgress(from + (to - from) * f));
  const options = { unit: "week", signal, onProgress: at(0, 0.3) };
  if (asOf) options.asOf = asOf;
  const s = await engine.summarizeColumnar(transfer(orders.customer), transfer(orders.date), transfer(orders.amount), options);
  // Each call gets only the columns it reads (each array posted is a copy made on the page's
  // thread; the last call takes its columns by move): the same fits and values as with the
  // whole summary.
  const { frequency, recency, T, monetaryValue } = s;
  // Copies moved into the worker, made over several tasks: posting the arrays for a
  // structured clone took 20–40 ms of the page's thread per call at 1M customers.
  const moved = async (cols) => {
    const o = {};
    for (const [k, v] of Object.entries(cols)) o[k] = await copyInTasks(v);
    return transfer(o, Object.values(o).map((v) => v.buffer));
  };
  const fit = { unit: "week", signal };
  const bg = await engine.fitBgNbd(await moved({ frequency, recency, T }), { ...fit, onProgress: at(0.3, 0.6) });
  let gg = null;
  try {
    const c = await moved({ frequency, recency, T });
    const p = await bg.pAlive(transfer(c.frequency), transfer(c.recency), transfer(c.T), { signal });
    onProgress?.(0.7);
    let v = null;
    try {
      gg = await engine.fitGammaGamma(await moved({ frequency, monetaryValue }), { ...fit, onProgress: at(0.7, 0.85) });
      const rows = { frequency, recency, T, monetaryValue };
      v = await engine.clv(bg, gg, transfer(rows, [...new Set([frequency.buffer, recency.buffer, T.buffer, monetaryValue.buffer])]),
        { horizon: 12 * MONTH_IN_WEEKS, step: MONTH_IN_WEEKS, discountRatePerStep: 0.01, signal, onProgress: at(0.85, 1) });
    } catch (e) {
      if (e?.name === "AbortError") throw e;
      v = null; // e.g. too few repeat buyers for the spend model: P(alive) is still shown
    }
    // Per customer (NaN = no completed order), filled over several tasks.
    const pAlive = new Float64Array(n), clv = new Float64Array(n);
    const CHUNK = 1 << 18;
    for (let lo = 0; lo < n; lo += CHUNK) {
      await nextTask();
      signal?.throwIfAborted();
      pAlive.fill(NaN, lo, lo + CHUNK);
      clv.fill(NaN, lo, lo + CHUNK);
    }
    const m = s.customer.length;
    for (let lo = 0; lo < m; lo += CHUNK) {
      await nextTask();
      signal?.throwIfAborted();
      for (let k = lo; k < Math.min(m, lo + CHUNK); k++) {
        pAlive[s.customer[k]] = p[k];
        if (v) clv[s.customer[k]] = v[k];
      }
    }
    return { pAlive, clv };
  } finally {
    bg.free();
    gg?.free();
  }
}

/** Counts of `values` in `bins` equal bins over [lo, hi] (NaN skipped; values outside are clamped). */
export function histogram(values, bins, lo, hi) {
  const counts = new Uint32Array(bins);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    let b = Math.floor((v - lo) / w);
    if (b < 0) b = 0;
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return counts;
}
