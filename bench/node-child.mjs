// One benchmark row in a fresh Node process (so rows do not share a heap: 10M order objects
// left over from one row would make every later GC slow), started by run.mjs:
//   node --expose-gc --max-old-space-size=8192 bench/node-child.mjs row  <suite> <size> <impl> '<timeRuns options JSON>'
//   node --expose-gc --max-old-space-size=8192 bench/node-child.mjs diff <suite> <size> <implA> <implB>
// Prints one JSON line on stdout.
//
// Memory: after loading and a full GC, the kernel's peak-RSS mark is reset
// (/proc/self/clear_refs ← 5), so VmHWM − VmRSS(before) after the calls is the extra peak
// resident memory of warm-up + timed calls (including wasm memory grown by the first call).
// "retained" is heapUsed + external (which includes array buffers and wasm memory) still
// held after a GC with the last result alive, relative to before the first call.
import { memStatus, resetPeak, otherLoad } from "./proc.mjs";
import { join, dirname } from "node:path";
import { readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { loadSuite, findRow, loadRow, timeRuns, fingerprint, diffScores, withInternals } from "./core.mjs";

// crmscore's Node build: run.mjs passes a snapshot of pkg/ (CRMSCORE_BENCH_PKG), so that a
// rebuild during a long run cannot mix builds; without it, the package itself ("crmscore").
const pkg = process.env.CRMSCORE_BENCH_PKG;
// The Node build keeps its wasm instance private: note the memory of the instance it creates
// while loading (for memory readings: lib._internals.memory, the "wasm mem" column).
let wasmMemory = null;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args, newTarget) {
    const instance = Reflect.construct(target, args, newTarget);
    if (!wasmMemory && instance.exports.memory instanceof WebAssembly.Memory) wasmMemory = instance.exports.memory;
    return instance;
  },
});
let mod;
try {
  mod = pkg ? await import(pathToFileURL(join(pkg, "node", "crmscore.mjs")).href) : await import("crmscore");
} finally {
  WebAssembly.Instance = Instance;
}
const wasmMemoryAtStart = wasmMemory?.buffer.byteLength ?? null;
// Its JS glue module (internal, used only by breakdown rows; absent → those rows report an error).
function loadGlue() {
  try {
    const nodeDir = pkg ? join(pkg, "node") : dirname(createRequire(import.meta.url).resolve("crmscore"));
    const snip = join(nodeDir, "snippets");
    for (const d of readdirSync(snip)) {
      const f = join(snip, d, "src", "wasm", "glue.js");
      if (existsSync(f)) return createRequire(import.meta.url)(f);
    }
  } catch {}
  return null;
}
const lib = withInternals(mod, loadGlue(), wasmMemory);

const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

const heldBytes = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external; // external includes arrayBuffers and wasm memory
};

const [mode, suiteName, sizeId, a, b] = process.argv.slice(2);
const suite = await loadSuite(suiteName);

if (mode === "row") {
  const { size, impl } = findRow(suite, sizeId, a);
  const opts = JSON.parse(b || "{}");
  const { input, loadMs } = await loadRow(suite, size, impl, lib);
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const held0 = heldBytes();
  const canPeak = resetPeak();
  const st0 = memStatus();
  const others = otherLoad();
  const cpuClock = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const { times, phases, result, cpuPerWall, warmupCalls, forcedGcs } = await timeRuns(impl, lib, input, size, { ...opts, gc, cpuClock });
  const otherCores = others();
  const st1 = memStatus();
  // Array buffers are freed by a sweeper after the GC: let it finish before reading.
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const retained = heldBytes() - held0;
  if (impl.verifyAsync) await impl.verifyAsync(result, input);
  const fp = fingerprint(impl, result, input);
  const wasmMemoryNow = wasmMemory?.buffer.byteLength ?? null;
  // Optional untimed step after the runs (impl.probe), with memory readings around it.
  let probe = null;
  if (impl.probe) {
    const settle = async () => {
      gc();
      await new Promise((r) => setTimeout(r, 100));
      gc();
    };
    const mem = () => {
      const m = process.memoryUsage();
      return { jsHeap: m.heapUsed, external: m.external, rss: memStatus()?.rss ?? m.rss, wasmMemory: wasmMemory?.buffer.byteLength ?? null };
    };
    await settle();
    const before = mem();
    const out = await impl.probe(lib, input, size);
    await settle();
    probe = { ...out, before, after: mem() };
  }
  process.stdout.write(
    JSON.stringify({
      times,
      phases,
      cpuPerWall,
      warmupCalls,
      forcedGcs,
      otherCores,
      loadMs,
      memory: {
        peakRssDelta: canPeak && st0 && st1 ? st1.hwm - st0.rss : null,
        retained,
        rssBefore: st0?.rss ?? null,
        wasmMemory: wasmMemoryNow,
        wasmMemoryAtStart,
      },
      fingerprint: fp,
      probe,
    }) + "\n",
  );
} else if (mode === "diff") {
  const { size, impl: implA } = findRow(suite, sizeId, a);
  const implB = findRow(suite, sizeId, b).impl;
  const { input } = await suite.load(size, new Set([implA.input, implB.input]));
  await implA.prepare?.(lib, input, size);
  await implB.prepare?.(lib, input, size);
  const resA = await implA.run(lib, input, size);
  const resB = await implB.run(lib, input, size);
  process.stdout.write(JSON.stringify(diffScores(implA, resA, implB, resB, input)) + "\n");
} else {
  throw new Error(`unknown mode ${mode}`);
}
