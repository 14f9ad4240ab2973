// CLV / P(alive): shown only when the library has the CLV capability (feature-detected, so the
// page works with crmscore builds before and after it lands). The one place that calls it.
//
// summarizeColumnar (completed orders, weekly unit) → fitBgNbd + fitGammaGamma → pAlive and
// clv per customer (12 months of 30.436875 days = 52.18 weeks, monthly steps, 1 % a month).
// Returns { pAlive: Float64Array, clv: Float64Array } per customer (NaN = no completed order).

export const clvAvailable = (lib) => typeof lib.fitBgNbd === "function" && typeof lib.summarizeColumnar === "function";

const MONTH_IN_WEEKS = 30.436875 / 7;

export function computeClv(lib, dataset) {
  const { activity } = dataset;
  const n = dataset.n;
  const o = activity.orders;
  const keep = [];
  for (let i = 0; i < o.customer.length; i++) if (!o.status || o.status[i] === 0) keep.push(i);
  const pAlive = new Float64Array(n).fill(NaN), clv = new Float64Array(n).fill(NaN);
  if (keep.length === 0) return { pAlive, clv };
  const customer = Uint32Array.from(keep, (i) => o.customer[i]);
  const dates = o.date instanceof Int32Array ? Int32Array.from(keep, (i) => o.date[i]) : Float64Array.from(keep, (i) => o.date[i]);
  const amount = Float64Array.from(keep, (i) => o.amount[i]);
  const options = { unit: "week" };
  if (dataset.asOf) options.asOf = dataset.asOf;
  const s = lib.summarizeColumnar(customer, dates, amount, options);
  const bg = lib.fitBgNbd(s);
  const p = bg.pAlive(s.frequency, s.recency, s.T);
  let v = null;
  try {
    const gg = lib.fitGammaGamma(s);
    v = lib.clv(bg, gg, s, { horizon: 12 * MONTH_IN_WEEKS, step: MONTH_IN_WEEKS, discountRatePerStep: 0.01 });
  } catch {
    v = null; // e.g. too few repeat buyers for the spend model: P(alive) is still shown
  }
  for (let k = 0; k < s.customer.length; k++) {
    pAlive[s.customer[k]] = p[k];
    if (v) clv[s.customer[k]] = v[k];
  }
  return { pAlive, clv };
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
