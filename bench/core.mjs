// Environment-neutral pieces of the harness, used by the Node child (node-child.mjs) and
// by the browser page (browser.mjs): load a suite row, time it, fingerprint its result.

export async function loadSuite(name) {
  if (!/^[a-z0-9_-]+$/i.test(name)) throw new Error(`bad suite name ${name}`);
  return import(`./suites/${name}.mjs`);
}

/**
 * The `lib` handed to suites: crmscore's exports plus `_internals.glue` (its JS glue
 * module, or null), which only breakdown rows use to time the JS half of the object path,
 * and `_internals.memory` (its `WebAssembly.Memory`, or null), for memory readings.
 */
export function withInternals(mod, glue, memory) {
  return Object.freeze({ ...mod, _internals: { glue: glue ?? null, memory: memory ?? null } });
}

export function findRow(suite, sizeId, implId) {
  const size = suite.sizes.find((s) => s.id === sizeId);
  const impl = suite.impls.find((i) => i.id === implId);
  if (!size) throw new Error(`suite ${suite.name}: no size ${sizeId}`);
  if (!impl) throw new Error(`suite ${suite.name}: no implementation ${implId}`);
  return { size, impl };
}

/**
 * Generates the inputs one implementation needs (untimed "load"), then its prepare step.
 * Async when the suite's load or the row's prepare is (peers such as DuckDB-wasm load
 * their tables asynchronously); callers await it either way.
 */
export async function loadRow(suite, size, impl, lib) {
  const { input, loadMs } = await suite.load(size, new Set([impl.input]));
  if (impl.prepare) {
    const t = performance.now();
    await impl.prepare(lib, input, size);
    loadMs[`prepare ${impl.id}`] = performance.now() - t;
  }
  return { input, loadMs };
}

/**
 * Warm-up, then timed calls. Warm-up: at least `warmup` untimed calls, continued (up to
 * `maxWarmup`) until `warmupMs` have been spent, so small rows run optimised code (V8
 * tiers a function up over several calls).
 * Timed: at least `runs` calls, more (up to `maxRuns`) while their estimated total stays
 * under `budgetMs` (estimate = the last warm-up call).
 * Forced GC: if the first call took ≥ `gcAboveMs`, later warm-up calls are preceded by an
 * untimed `gc()`, and so are the timed calls if the last warm-up call still took that long,
 * so each starts from a clean heap; faster rows get none
 * (a gc() between calls of a few ms kept V8 from settling on optimised code: plain-JS rows
 * at 10k customers stayed up to 8× slower for many calls).
 * `cpuClock` (if given, ms of CPU time of this process) measures CPU/wall over the timed calls.
 * A result carrying `_phases` ({ name: ms }) has its phase times collected too.
 * Returns times, phases, the last result, and counts of warm-up calls and forced GCs.
 */
export function timeRuns(impl, lib, input, size, opts = {}) {
  const plan = schedule(opts);
  let result = null;
  const call = () => {
    result = null;
    const c0 = plan.before();
    const t0 = performance.now();
    result = impl.run(lib, input, size);
    return plan.after(t0, c0);
  };
  // Rows whose `run` returns a promise (`impl.async`: DuckDB-wasm answers through its Web
  // Worker): each time spans the call until its promise settles. Sync rows keep this sync
  // loop (an await costs a microtask).
  if (impl.async) return timeRunsAsync(impl, lib, input, size, plan);
  while (plan.warming()) plan.warmed(call());
  for (let i = plan.timedCalls(); i > 0; i--) plan.timed(call(), result);
  return plan.done(result);
}

async function timeRunsAsync(impl, lib, input, size, plan) {
  let result = null;
  const call = async () => {
    result = null;
    const c0 = plan.before();
    const t0 = performance.now();
    result = await impl.run(lib, input, size);
    return plan.after(t0, c0);
  };
  while (plan.warming()) plan.warmed(await call());
  for (let i = plan.timedCalls(); i > 0; i--) plan.timed(await call(), result);
  return plan.done(result);
}

/** The warm-up, run-count, forced-GC and phase rules of timeRuns, shared by the sync and async loops. */
function schedule(opts) {
  const { runs = 5, maxRuns = 15, budgetMs = 1500, warmup = 1, maxWarmup = 10, warmupMs = 300, gc = null, gcAboveMs = 50, cpuClock = null } = opts;
  const times = [];
  const phases = {};
  let cpu = 0, wall = 0, warm = 0, warmSpent = 0, last = 0, gcs = 0, useGc = false;
  return {
    /** Before a call: the forced GC if due; returns the CPU clock. */
    before() {
      if (useGc) {
        gc();
        gcs++;
      }
      return cpuClock ? cpuClock() : 0;
    },
    /** After a call started at t0 (CPU clock c0): [wall ms, CPU ms]. */
    after(t0, c0) {
      const t1 = performance.now();
      return [t1 - t0, (cpuClock ? cpuClock() : 0) - c0];
    },
    warming: () => warm < warmup || (warm < maxWarmup && warmSpent < warmupMs),
    warmed([t]) {
      last = t;
      if (warm === 0) useGc = !!gc && t >= gcAboveMs;
      warmSpent += t;
      warm++;
    },
    /** How many timed calls; decides the forced GC again on the warmed-up speed (the first call includes compiling). */
    timedCalls() {
      useGc = !!gc && last >= gcAboveMs;
      return Math.max(runs, Math.min(maxRuns, Math.floor(budgetMs / Math.max(last, 0.01))));
    },
    timed([t, c], result) {
      times.push(t);
      cpu += c;
      wall += t;
      if (result && result._phases) {
        for (const [k, v] of Object.entries(result._phases)) (phases[k] ||= []).push(v);
      }
    },
    done: (result) => ({ times, phases, result, warmupCalls: warm, forcedGcs: gcs, cpuPerWall: cpuClock ? cpu / wall : null }),
  };
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/**
 * FNV-1a over the score columns `impl.scores()` returns (small non-negative integers by
 * customer index, in the object's key order: recency, frequency, monetary for rfm) + the
 * cut points `impl.thresholds()` returns (arrays of numbers; keys in the same order, then any
 * other keys sorted). `scoresHash` covers the score columns alone (rows verified with
 * `verify: "scores"`: peers whose floating-point sums or quantiles may differ in the last bit).
 */
export function fingerprint(impl, result, input) {
  if (!impl.scores) return null;
  const sc = impl.scores(result, input);
  const keys = Object.keys(sc);
  let h = 0x811c9dc5;
  const hist = {};
  for (const k of keys) {
    const a = sc[k];
    const counts = [];
    for (let i = 0; i < a.length; i++) {
      h ^= a[i];
      h = Math.imul(h, 0x01000193);
      counts[a[i]] = (counts[a[i]] ?? 0) + 1;
    }
    hist[k] = Array.from(counts, (c) => c ?? 0);
  }
  const scoresHash = (h >>> 0).toString(16).padStart(8, "0");
  const th = impl.thresholds ? impl.thresholds(result) : null;
  const thKeys = th ? [...keys.filter((k) => k in th), ...Object.keys(th).filter((k) => !keys.includes(k)).sort()] : [];
  const thJson = th ? JSON.stringify(Object.fromEntries(thKeys.map((k) => [k, [...th[k]]]))) : "";
  for (let i = 0; i < thJson.length; i++) {
    h ^= thJson.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return { hash: (h >>> 0).toString(16).padStart(8, "0"), scoresHash, thresholds: thJson, histogram: hist };
}

/** Exact comparison of two implementations' score columns (used when fingerprints differ). */
export function diffScores(implA, resA, implB, resB, input) {
  const a = implA.scores(resA, input), b = implB.scores(resB, input);
  const keys = Object.keys(a);
  const out = { customers: a[keys[0]].length, mismatched: 0, byMetric: {}, examples: [] };
  const bad = new Uint8Array(a[keys[0]].length);
  for (const k of keys) {
    let n = 0;
    for (let i = 0; i < a[k].length; i++) {
      if (a[k][i] !== b[k][i]) {
        n++;
        bad[i] = 1;
        if (out.examples.length < 5) out.examples.push({ customer: i, metric: k, [implA.id]: a[k][i], [implB.id]: b[k][i] });
      }
    }
    out.byMetric[k] = n;
  }
  for (const x of bad) out.mismatched += x;
  const ta = implA.thresholds?.(resA), tb = implB.thresholds?.(resB);
  if (ta && tb) out.thresholds = { [implA.id]: ta, [implB.id]: tb };
  return out;
}
