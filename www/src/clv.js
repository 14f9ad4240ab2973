// CLV / P(alive): shown only when the library has the CLV capability (feature-detected, so the
// page works with crmscore builds before and after it lands). The one place that calls it.
//
// The calls below follow the planned API (`summarize` → `fitBgNbd` / `fitGammaGamma` → `clv`,
// P(alive) per customer). If the landed signatures differ, adapt `computeClv` only: it returns
// { pAlive: Float64Array, clv: Float64Array } per customer (NaN = not available), and the
// page bins and charts that. Any error is shown in the CLV card instead of breaking the page.

export const clvAvailable = (lib) => typeof lib.fitBgNbd === "function";

export function computeClv(lib, dataset) {
  const { activity, asOf } = dataset;
  const summary = lib.summarize(activity, { asOf });
  const bg = lib.fitBgNbd(summary);
  const gg = typeof lib.fitGammaGamma === "function" ? lib.fitGammaGamma(summary) : null;
  const n = dataset.n;
  const pick = (x, key) => {
    if (!x) return new Float64Array(n).fill(NaN);
    const arr = x[key] ?? x;
    if (ArrayBuffer.isView(arr) || Array.isArray(arr)) return Float64Array.from(arr, (v) => (v === null ? NaN : Number(v?.[key] ?? v)));
    return new Float64Array(n).fill(NaN);
  };
  const alive = typeof lib.pAlive === "function" ? lib.pAlive(summary, bg) : bg;
  const value = typeof lib.clv === "function" && gg ? lib.clv(summary, bg, gg, { months: 12 }) : null;
  return { pAlive: pick(alive, "pAlive"), clv: pick(value, "clv") };
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
