// Number formatting in the current UI language.
import { locale } from "./i18n.js";

const cache = new Map();
function nf(key, opts) {
  const id = locale() + "|" + key;
  let f = cache.get(id);
  if (!f) cache.set(id, (f = new Intl.NumberFormat(locale(), opts)));
  return f;
}

export const int = (x) => nf("int", { maximumFractionDigits: 0 }).format(x);
export const money = (x) =>
  x === null || x === undefined ? "—" : nf("money", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
/** Cut points and the like: up to 2 decimals, no trailing zeros. */
export const num = (x) => nf("num", { maximumFractionDigits: 2 }).format(x);
export const percent = (x) => nf("pct", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
export const ms = (x) => nf("ms", { maximumFractionDigits: x < 10 ? 2 : x < 100 ? 1 : 0 }).format(x);
/** Short numbers for chart labels: 1.2K / 1.2万. */
export const compact = (x) => nf("compact", { notation: "compact", maximumFractionDigits: 1 }).format(x);
/** Scores and points: up to 2 decimals. */
export const score = (x) => (x === null || x === undefined || Number.isNaN(x) ? "—" : nf("score", { maximumFractionDigits: 2 }).format(x));
/** A moment (epoch ms) as date and time. */
export const dateTime = (ms) => new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(ms);
