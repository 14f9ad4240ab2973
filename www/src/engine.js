// The module that talks to crmscore: every call goes through the library's worker engine
// (`createEngine` from "crmscore/worker", imported exactly as a user's front-end imports it;
// the bundler picks up the engine's module Worker), so no wasm runs on the page's thread.
// Each stage takes { signal, onProgress } and moves (transfers) its typed columns into the
// worker: the page's thread only posts messages and reads the results.
import { createEngine, transfer } from "crmscore/worker";
import { buffersOf } from "./prepare.js";
import { copyInTasks } from "./dom.js";

export { createEngine };

export const NO_SEGMENT = 255;

/** Customer ids for the engine: the index of each customer (0 … n-1). Every result is read by
 *  position, and a list of small numbers is far cheaper to post than millions of strings. */
export function indexIds(n) {
  // A typed array (crmscore reads it as numbers): posting it is one 4-byte-per-customer copy,
  // where a million-element JS array took 60–80 ms of the page's thread per call. Each call
  // gets its own copy (ids()), since the engine call moves its buffers.
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}
const ids = (ds) => copyInTasks(ds.ids);

const part = (onProgress, from, to) => onProgress && ((f) => onProgress(from + (to - from) * f));

/** Moved, not copied: `value`'s typed arrays (any depth up to 3) go to the worker. */
const moved = (value) => transfer(value, buffersOf(value));

/**
 * Derived fields and RFM of a data set `ds` = { n, ids, asOf, inputs } (inputs: prepare.js
 * engineInputs; forDerive and forRfm are moved into the worker and unusable afterwards).
 * → { derived: { field: Float64Array }, rfm: RfmColumnarResult }
 */
export async function deriveAndRfm(engine, ds, { signal, onProgress } = {}) {
  const { forDerive, forRfm } = ds.inputs;
  ds.inputs.forDerive = ds.inputs.forRfm = null;
  const derived = await engine.deriveFieldsColumnar(moved({ customerIds: await ids(ds), ...forDerive }), {
    asOf: ds.asOf, signal, onProgress: part(onProgress, 0, 0.6),
  });
  const rfm = await engine.rfmColumnar(transfer(forRfm.customer), transfer(forRfm.date), transfer(forRfm.amount), {
    customerCount: ds.n, asOf: ds.asOf, signal, onProgress: part(onProgress, 0.6, 1),
  });
  return { derived, rfm };
}

/**
 * A Scorer proxy on the derived fields (moved into the worker: `derived` keeps only
 * totalAmount, copied) and the text attributes, with the preset `preset`.
 */
export async function makeScorer(engine, ds, preset, { signal, onProgress } = {}) {
  const columns = { ...ds.derived };
  ds.derived = { totalAmount: await copyInTasks(ds.derived.totalAmount) };
  for (const [k, v] of Object.entries(ds.attributes ?? {})) {
    if (!v) continue;
    // Coded (sample) columns go as { codes, labels }: a small copy moved, no strings posted.
    columns[k] = ArrayBuffer.isView(v.codes) ? { codes: await copyInTasks(v.codes), labels: v.labels } : v;
  }
  return engine.Scorer(moved({ customerIds: await ids(ds), columns }), preset, { asOf: ds.asOf, signal, onProgress });
}

/**
 * Classification: a Classifier proxy (kept for explain(i)) and its columnar result, plus the
 * number of flags per customer (for sorting). forClassify is moved into the worker.
 */
export async function classifyData(engine, ds, { signal, onProgress } = {}) {
  const data = { customerIds: await ids(ds), ...ds.inputs.forClassify };
  if (ds.contacts?.email) data.email = ds.contacts.email;
  if (ds.contacts?.phone) data.phone = ds.contacts.phone;
  ds.inputs.forClassify = null;
  const classifier = await engine.Classifier(moved(data), { asOf: ds.asOf, signal, onProgress: part(onProgress, 0, 0.9) });
  try {
    const result = await classifier.result({ signal });
    if (result.lifecycle.length !== ds.n) throw new Error("classification length differs from the data");
    const flagCount = new Uint8Array(ds.n);
    const f = result.flags;
    for (let i = 0; i < f.length; i++) {
      let x = f[i], c = 0;
      while (x) (x &= x - 1), c++;
      flagCount[i] = c;
    }
    onProgress?.(1);
    return { classifier, result, flagCount };
  } catch (e) {
    classifier.free();
    throw e;
  }
}

/** The flag codes set in `bits` (classifyColumnar's flags column), in label order. */
export function flagCodes(bits, labels) {
  const out = [];
  for (let k = 0; bits >> k; k++) if ((bits >> k) & 1) out.push(labels.flags[k]);
  return out;
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
