// The built-in sample: crmscore's CRM data generator (`generateCrm` from "crmscore/sample",
// its own .wasm that the library itself does not carry), run in the data worker
// (src/parse.worker.js) so that generating 1M customers never blocks the page: customers
// with name, region, channel, email and phone; orders with status and discount;
// interactions; returns; payments — as a ColumnarActivity.
//
// This module holds no wasm: the page imports it for the sizes and the worker client.

import { TextColumn } from "./text_column.js";

export const SAMPLE_SIZES = [1_000, 10_000, 100_000, 1_000_000];
export const SAMPLE_SEED = 42;

/** The generator's text columns the page shows (joined: src/text_column.js): [field in the page's data set, generator's name]. */
export const SAMPLE_TEXT_COLUMNS = [
  ["customerIds", "customerIds"],
  ["names", "name"],
];
/** Contact columns: only the engine reads them, so they travel packed (crmscore's PackedText:
 *  UTF-8 bytes + row ends, transferred), never as a million strings on the page. */
export const SAMPLE_PACKED_COLUMNS = [
  ["email", "email"],
  ["phone", "phone"],
];

/**
 * Strings (null / undefined = none) → crmscore's PackedText { utf8, ends, missing }: row i is
 * utf8[ends[i - 1] ?? 0 .. ends[i]]. Plain JS (the data worker holds no crmscore main module).
 */
export function packText(values) {
  const n = values.length;
  const enc = new TextEncoder();
  const ends = new Uint32Array(n), missing = new Uint8Array(n);
  let buf = new Uint8Array(n * 24 + 64), at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      missing[i] = 1;
    } else {
      const s = String(v);
      if (buf.length - at < s.length * 3) {
        const next = new Uint8Array(Math.max(buf.length * 2, at + s.length * 3));
        next.set(buf.subarray(0, at));
        buf = next;
      }
      at += enc.encodeInto(s, buf.subarray(at)).written;
    }
    ends[i] = at;
  }
  return { utf8: buf.slice(0, at), ends, missing };
}
/** Text columns of a few distinct values: sent as codes and labels (crmscore's CodedText; a
 *  million strings fewer each for the page's garbage collector). */
export const SAMPLE_CODED_COLUMNS = [
  ["region", "region"],
  ["channel", "channel"],
];

/** [values] → { labels, codes: Uint8Array } (at most 256 distinct values). */
export function encodeLabels(values) {
  const index = new Map();
  const labels = [];
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let c = index.get(v);
    if (c === undefined) {
      c = labels.length;
      if (c > 255) throw new Error("more than 256 distinct values");
      index.set(v, c);
      labels.push(v);
    }
    codes[i] = c;
  }
  return { labels, codes };
}

/** Which generator the sample comes from. */
export const sampleSource = () => "generateCrm";

/** A worker running src/parse.worker.js (made here, so the bundler sees the worker's URL). */
export const spawnDataWorker = () => new Worker(new URL("./parse.worker.js", import.meta.url), { type: "module", name: "crmscore-demo-data" });

/**
 * Generate `customers` sample customers in `worker` (a data worker that is idle; its
 * `ready` promise, when set, says it runs). Resolves to { customerIds, names (src/text_column.js TextColumn), attributes: { region, channel } (CodedText), contacts:
 * { email, phone }, n, inputs } (inputs: src/prepare.js engineInputs). `onProgress(f)` hears
 * the fraction done. An aborted `signal` rejects with an AbortError (the caller ends the
 * worker: generateCrm cannot be interrupted).
 */
export function generateSample(worker, { customers, seed = SAMPLE_SEED, id, signal, onProgress }) {
  return new Promise((resolve, reject) => {
    const cols = {};
    const onAbort = () => {
      worker.removeEventListener("message", onMessage);
      reject(new DOMException("sample generation aborted", "AbortError"));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const onMessage = ({ data }) => {
      if (data.id !== id) return;
      if (data.type === "progress") {
        onProgress?.(data.done / data.total);
      } else if (data.type === "text") {
        cols[data.field] = new TextColumn(data);
      } else if (data.type === "generated" || data.type === "failed") {
        worker.removeEventListener("message", onMessage);
        signal?.removeEventListener("abort", onAbort);
        if (data.type === "failed") {
          const e = new Error(data.error.message);
          if (data.error.code) Object.assign(e, { name: "CrmScoreError", code: data.error.code });
          return reject(e);
        }
        resolve({
          n: data.n,
          customerIds: cols.customerIds,
          names: cols.names,
          // crmscore's CodedText { codes, labels }: the Scorer reads them as is (no strings posted).
          attributes: data.coded,
          contacts: data.packed,
          inputs: data.inputs,
        });
      }
    };
    worker.addEventListener("message", onMessage);
    // A fresh worker may still be loading its modules (and the generator's .wasm): ask once it runs.
    Promise.resolve(worker.ready).then(() => {
      if (!signal?.aborted) worker.postMessage({ type: "generate", id, customers, seed });
    });
  });
}
