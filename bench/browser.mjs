// Browser side of the harness: bench/page.html loads pkg/web (the browser build), the data
// generator and the suites as ES modules; run.mjs drives it step by step via page.evaluate
// so it can read process memory between steps:
//   await __bench.load(suite, size, impl)  → { loadMs }
//   await __bench.run({ runs, ... })       → { times, phases }
//   __bench.finish()                       → { fingerprint, wasmMemory, wasmMemoryAtStart }
//   await __bench.probe()                  → the row's impl.probe result (untimed; run.mjs reads memory around it)
import init, * as mod from "/pkg/web/crmscore.js";
import { loadSuite, findRow, loadRow, timeRuns, fingerprint, withInternals } from "./core.mjs";

const wasm = await init();
const wasmMemoryAtStart = wasm.memory.buffer.byteLength;
let lib = withInternals(mod, null, wasm.memory);
const gc = typeof globalThis.gc === "function" ? globalThis.gc : null;
let row = null;

window.__bench = {
  /** gluePath: URL of crmscore's JS glue snippet (run.mjs finds it in pkg/web/snippets), or null. */
  async load(suiteName, sizeId, implId, gluePath) {
    if (gluePath) lib = withInternals(mod, await import(gluePath).catch(() => null), wasm.memory);
    const suite = await loadSuite(suiteName);
    const { size, impl } = findRow(suite, sizeId, implId);
    const { input, loadMs } = await loadRow(suite, size, impl, lib);
    row = { suite, size, impl, input, result: null };
    if (gc) gc();
    return { loadMs, gc: !!gc };
  },
  /** A throw-away allocation, so run.mjs can tell which renderer process is this page's. */
  marker(bytes) {
    window.__marker = bytes ? new Uint8Array(bytes).fill(1) : null;
    if (!bytes && gc) gc();
  },
  gc() {
    if (gc) gc();
  },
  async run(opts) {
    const { times, phases, result, warmupCalls, forcedGcs } = await timeRuns(row.impl, lib, row.input, row.size, { ...opts, gc });
    row.result = result;
    return { times, phases, warmupCalls, forcedGcs };
  },
  async finish() {
    // Rows whose verification needs async work (DuckDB queries), untimed, before the fingerprint.
    if (row.impl.verifyAsync) await row.impl.verifyAsync(row.result, row.input);
    const fp = fingerprint(row.impl, row.result, row.input);
    return { fingerprint: fp, wasmMemory: wasm.memory.buffer.byteLength, wasmMemoryAtStart };
  },
  wasmMemory() {
    return wasm.memory.buffer.byteLength;
  },
  async probe() {
    return row.impl.probe ? await row.impl.probe(lib, row.input, row.size) : null;
  },
};
window.__benchReady = true;
