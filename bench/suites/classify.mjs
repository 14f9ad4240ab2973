// Suite "classify": every customer's lifecycle, lead stage, value class, loyalty, junk flags
// and churn warning — crmscore `classifyColumnar` (code columns out; sentences and evidence on
// demand through `Classifier#explain`) against a plain-JS implementation of the same rules (bench/plain/classify.mjs, code
// columns only: the loop a front-end developer would write, without sentences or evidence).
//
// Data (bench/data.mjs `generateActivity`): the orders of the RFM suite (10 per customer)
// with statuses and discounts, 3 interactions and 2 payments per customer, contact data with
// malformed and shared emails and phones; typed columns (`ColumnarActivity`), untimed.
// Verification: the code of every class, the flag set and the churn reasons of every
// customer (FNV-1a fingerprint; crmscore's columns are re-coded through their labels untimed).

import { generateActivity, AS_OF_DAY, MS_PER_DAY } from "../data.mjs";
import { classifyPlain, codesOf } from "../plain/classify.mjs";

export const name = "classify";
export const description =
  "Classification rules (lifecycle, lead stage, value, loyalty, 9 flags, churn warning): crmscore `classifyColumnar` vs plain JS";
export const table = {
  size: "customers / orders",
  ratio: "vs crmscore",
  ratioTo: "crm-columnar",
  agree: "identical lifecycle, lead stage, value class, loyalty, churn risk, junk, flag set and churn reasons per customer",
  summary: "Target",
};

export const sizes = [
  { id: "10k", customers: 10_000, orders: 100_000, label: "10,000 / 100,000", quick: true },
  { id: "100k", customers: 100_000, orders: 1_000_000, label: "100,000 / 1,000,000", quick: true },
  { id: "1M", customers: 1_000_000, orders: 10_000_000, label: "1,000,000 / 10,000,000" },
];

const SEED = 20261122;

export function load(size) {
  const t = performance.now();
  const data = generateActivity({ customers: size.customers, orders: size.orders, seed: SEED });
  return { input: { data }, loadMs: { generate: performance.now() - t } };
}

export const impls = [
  {
    id: "crm-columnar",
    label: "crmscore `classifyColumnar` (typed columns in, code columns out)",
    input: "columns",
    verify: true,
    note: "Timed: reading the typed columns into wasm, all rules, and the code columns out (classes, flag and churn-reason bits, revenue, summary). Sentences and evidence: Classifier#explain(i), on demand.",
    run: (lib, input) => lib.classifyColumnar(input.data, { asOf: AS_OF_DAY * MS_PER_DAY }),
    scores: (result) => codesOf(result),
  },
  {
    id: "crm-columnar-packed",
    label: "crmscore `classifyColumnar`, email and phone as `PackedText`",
    input: "columns",
    verify: true,
    note: "The same call with the contact columns packed by `packText` (UTF-8 bytes + row ends, as a worker would hand them over: packed once in the warm-up, untimed after).",
    run: (lib, input) => {
      input.packed ??= { ...input.data, email: lib.packText(input.data.email), phone: lib.packText(input.data.phone) };
      return lib.classifyColumnar(input.packed, { asOf: AS_OF_DAY * MS_PER_DAY });
    },
    scores: (result) => codesOf(result),
  },
  {
    id: "js-plain",
    label: "plain JS rules over the same typed columns (codes only)",
    input: "columns",
    baseline: true,
    note: "The README's rules as typed-array loops: counts per customer, a counting sort of order days, the Pareto sort, Maps for contact duplicates; no sentences or evidence.",
    run: (lib, input) => classifyPlain(input.data, AS_OF_DAY),
    scores: (result) => {
      const { revenue, ...codes } = result;
      return codes;
    },
  },
];

export function summarize(rows, size) {
  const t = Object.fromEntries(rows.map((r) => [r.implId, r]));
  const crm = t["crm-columnar"], js = t["js-plain"];
  if (!crm) return [];
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  let line = `crmscore classifyColumnar median ${f(crm.median)} ms (${f(crm.min)}–${f(crm.max)})`;
  if (size.customers === 1_000_000) line += `; issue target ≤ 1,000 ms at 1M customers / 10M orders (set for Chromium): ${crm.median <= 1000 ? "met" : "NOT met"}`;
  if (js) {
    const x = js.median / crm.median;
    line += `; plain JS ${f(js.median)} ms (${x.toFixed(1)}× crmscore; target ≥ 5×: ${x >= 5 ? "met" : "NOT met"})`;
  }
  return [line + "."];
}
