// npm run fuzz:api -- [--calls N] [--seed S] [--seconds T] [--rate R]: the API fuzz of
// tests/js/api_fuzz.mjs on the built package (pkg/node), as long as you like. Prints the
// figures (calls, ok, coded errors, traps, errors without a code, calls after which the
// module or a live handle stopped answering) and exits 1 if any of the last three is not 0.
import { fileURLToPath } from "node:url";
import * as M from "../pkg/node/crmscore.mjs";
import { runFuzz } from "../tests/js/api_fuzz.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const opts = { calls: arg("calls", 1000000), seed: arg("seed", 1), seconds: arg("seconds", Infinity), rate: arg("rate", 0.02) };
const dts = fileURLToPath(new URL("../pkg/node/crmscore.d.ts", import.meta.url));
console.log(`api fuzz: seed ${opts.seed}, up to ${opts.calls} calls, rate ${opts.rate}`);
const s = runFuzz(M, dts, { ...opts, log: (m) => console.log("  " + m) });
console.log(`\napi fuzz, seed ${s.seed}: ${s.calls} calls over ${s.exports} exports in ${s.seconds.toFixed(1)} s`);
console.log(`  ok ${s.ok}, coded errors ${s.coded}, traps ${s.traps}, uncoded errors ${s.uncoded}, module unusable after ${s.broken}`);
console.log(`  codes: ${Object.entries(s.codes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
if (s.unfuzzed.length) console.log(`  never called: ${s.unfuzzed.join(", ")}`);
for (const x of s.samples) console.log("  " + x);
const slow = Object.entries(s.perExport).sort((a, b) => a[0].localeCompare(b[0]));
console.log("  per export (calls ok/coded/traps/uncoded): " + slow.map(([k, v]) => `${k} ${v.calls} ${v.ok}/${v.coded}/${v.traps}/${v.uncoded}`).join("; "));
process.exit(s.traps || s.uncoded || s.broken || s.unfuzzed.length ? 1 : 0);
