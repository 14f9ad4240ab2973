// The module that talks to crmscore, imported exactly as a user's front-end imports it
// (`import … from "crmscore"` → the bundler target, through package.json "exports").
import * as lib from "crmscore";
import { latestDay, NO_DAY } from "./values.js";

export { lib };
export const version = () => lib.version();

export const isoDay = (day) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export const LIFECYCLES = ["prospect", "new", "active", "atRisk", "churned", "reactivated"];
export const VALUE_CLASSES = ["high", "mid", "low"];
export const CHURN_RISKS = ["low", "medium", "high"];
export const FLAG_CODES = ["high_return_rate", "one_time_low_value", "no_activity", "repeated_complaints", "payment_failures", "invalid_email", "invalid_phone", "duplicate_contact", "price_sensitive"];
export const NO_SEGMENT = 255;

const time = (timings, key, f) => {
  const t0 = performance.now();
  const r = f();
  timings[key] = performance.now() - t0;
  return r;
};

/**
 * The per-customer facts that do not depend on the scoring model: derived fields (for the
 * model), RFM (scores, segments, heatmap). `data` = { customerIds, names, attributes, activity }.
 */
export function prepare(data, timings = {}) {
  const { activity } = data;
  const n = data.customerIds.length;
  const asOfDay = latestDay(activity);
  if (asOfDay === NO_DAY) throw new Error("no dated rows");
  const asOf = isoDay(asOfDay);
  // The library's derived fields straight from the typed columns (no object per customer).
  const derived = time(timings, "derive", () => lib.deriveFieldsColumnar(activity, { asOf }));

  // RFM counts completed orders only.
  const o = activity.orders;
  let customer = o.customer, date = o.date, amount = o.amount;
  if (o.status) {
    const keep = [];
    for (let r = 0; r < o.status.length; r++) if (o.status[r] === 0) keep.push(r);
    customer = Uint32Array.from(keep, (r) => o.customer[r]);
    date = Int32Array.from(keep, (r) => o.date[r]);
    amount = Float64Array.from(keep, (r) => o.amount[r]);
  }
  const rfm = time(timings, "rfm", () => lib.rfmColumnar(customer, date, amount, { customerCount: n, asOf }));
  return { ...data, n, asOfDay, asOf, derived, rfm, orders: o.customer.length, timings };
}

/**
 * classifyColumnar, plus compact per-customer codes for the table's filters and sorting.
 * The result's customers come in customerIds order (checked).
 */
export function classifyData(ds) {
  const result = lib.classifyColumnar(ds.activity, { asOf: ds.asOf });
  const n = ds.n;
  const customers = result.customers;
  if (customers.length !== n || (n && customers[n - 1].customerId !== ds.customerIds[n - 1])) throw new Error("classification order differs from the data");
  const lifecycle = new Uint8Array(n), valueClass = new Uint8Array(n), churnRisk = new Uint8Array(n), junk = new Uint8Array(n);
  const flagCount = new Uint8Array(n), revenue = new Float64Array(n);
  const L = new Map(LIFECYCLES.map((x, i) => [x, i])), V = new Map(VALUE_CLASSES.map((x, i) => [x, i])), C = new Map(CHURN_RISKS.map((x, i) => [x, i]));
  for (let i = 0; i < n; i++) {
    const c = customers[i];
    lifecycle[i] = L.get(c.lifecycle);
    valueClass[i] = V.get(c.valueClass);
    churnRisk[i] = C.get(c.churnRisk);
    junk[i] = c.junk ? 1 : 0;
    flagCount[i] = c.flags.length;
    revenue[i] = c.revenue;
  }
  return { result, lifecycle, valueClass, churnRisk, junk, flagCount, revenue };
}

/** The Scorer's input: derived fields (NaN = missing) and text attributes as columns. */
export function scorerInput(ds) {
  const columns = { ...ds.derived };
  for (const [k, v] of Object.entries(ds.attributes ?? {})) if (v) columns[k] = v;
  return { customerIds: ds.customerIds, columns };
}

export function makeScorer(ds, model) {
  return new lib.Scorer(scorerInput(ds), model, { asOf: ds.asOf });
}

/** Tier transitions between two tier-index arrays of the same customers: matrix[from][to]. */
export function transitions(before, after, tiersBefore, tiersAfter) {
  const m = Array.from({ length: tiersBefore }, () => new Uint32Array(tiersAfter));
  let up = 0, down = 0;
  for (let i = 0; i < after.length; i++) {
    const a = before[i], b = after[i];
    m[a][b]++;
    if (b < a) up++;
    else if (b > a) down++;
  }
  return { matrix: m, upgraded: up, downgraded: down, unchanged: after.length - up - down };
}
