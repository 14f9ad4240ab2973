// npm run fuzz:api -- [--calls N] [--seed S] [--seconds T] [--rate R]: the API fuzz of
// tests/js/api_fuzz.mjs on the built package (pkg/node), as long as you like. Prints the
// figures (calls, ok, coded errors, traps, errors without a code, calls after which the
// module or a live handle stopped answering) and exits 1 if any of the last three is not 0.
import { fileURLToPath } from "node:url";
import * as main from "../pkg/node/crmscore.mjs";
import * as sample from "../pkg/sample/node/crmscore_sample.mjs";
import { runFuzz } from "../tests/js/api_fuzz.mjs";

// The library and its data generator (crmscore/sample, its own module), fuzzed together.
const M = { ...main, ...sample };

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const opts = { calls: arg("calls", 1000000), seed: arg("seed", 1), seconds: arg("seconds", Infinity), rate: arg("rate", 0.02) };
const dts = ["../pkg/node/crmscore.d.ts", "../pkg/sample/node/crmscore_sample.d.ts"].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)));
console.log(`api fuzz: seed ${opts.seed}, up to ${opts.calls} calls, rate ${opts.rate}`);
// A trap can also come later, from a FinalizationRegistry job (e.g. a double free of a handle):
// such jobs run once the loop yields, so collect them after the run (gc() with --expose-gc).
const late = [];
process.on("uncaughtException", (e) => late.push(e));
const s = runFuzz(M, dts, { ...opts, log: (m) => console.log("  " + m) });
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 1500));
for (const e of late) {
  const trap = e instanceof WebAssembly.RuntimeError || /unreachable|memory access|Rust value|null pointer/.test(String(e && e.message));
  s[trap ? "traps" : "uncoded"]++;
  s.samples.push(`after the run (asynchronous): ${e && e.name}: ${e && e.message}`);
}
console.log(`  asynchronous errors after the run: ${late.length}${globalThis.gc ? "" : " (run with --expose-gc to collect every handle)"}`);
console.log(`\napi fuzz, seed ${s.seed}: ${s.calls} calls over ${s.exports} exports in ${s.seconds.toFixed(1)} s`);
console.log(`  ok ${s.ok}, coded errors ${s.coded}, traps ${s.traps}, uncoded errors ${s.uncoded}, module unusable after ${s.broken}`);
console.log(`  codes: ${Object.entries(s.codes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
if (s.unfuzzed.length) console.log(`  never called: ${s.unfuzzed.join(", ")}`);
for (const x of s.samples) console.log("  " + x);
const slow = Object.entries(s.perExport).sort((a, b) => a[0].localeCompare(b[0]));
console.log("  per export (calls ok/coded/traps/uncoded): " + slow.map(([k, v]) => `${k} ${v.calls} ${v.ok}/${v.coded}/${v.traps}/${v.uncoded}`).join("; "));
process.exit(s.traps || s.uncoded || s.broken || s.unfuzzed.length ? 1 : 0);
