// The API fuzz in the test suite (issue 14): seeded, bounded to about a minute, on the BUILT
// package. Every export of the .d.ts is called with valid shapes whose values are replaced by
// hostile ones about 2 % of the time; no call may trap, every error must be a CrmScoreError
// with a code, and the module and its live handles must keep answering. For a longer run:
// `npm run fuzz:api -- --calls 1000000`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import * as main from "crmscore";
import * as sample from "crmscore/sample";
import { runFuzz, exportsOfDts, checkCoverage } from "./api_fuzz.mjs";

// The library and its data generator (crmscore/sample, its own module), fuzzed together.
const M = { ...main, ...sample };
const dts = ["../../pkg/node/crmscore.d.ts", "../../pkg/sample/node/crmscore_sample.d.ts"].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)));

test("api fuzz: every export of the .d.ts has a call-shape generator", () => {
  const list = exportsOfDts(dts);
  assert.ok(list.length >= 40, `found ${list.length} exports`);
  assert.deepEqual(checkCoverage(list), []);
});

test("api fuzz: seeded hostile calls, 0 traps, 0 errors without a code, module usable after each", () => {
  const seed = Number(process.env.CRMSCORE_FUZZ_SEED ?? 20261203);
  const s = runFuzz(M, dts, { seed, calls: 400000, seconds: 45 });
  console.log(`api fuzz seed ${seed}: ${s.calls} calls over ${s.exports} exports in ${s.seconds.toFixed(1)} s: ` +
    `${s.ok} ok, ${s.coded} coded errors, ${s.traps} traps, ${s.uncoded} uncoded, ${s.broken} unusable-after`);
  for (const x of s.samples) console.log(`  ${x}`);
  assert.equal(s.traps, 0, s.samples.join("\n"));
  assert.equal(s.uncoded, 0, s.samples.join("\n"));
  assert.equal(s.broken, 0, s.samples.join("\n"));
  assert.deepEqual(s.unfuzzed, [], "every export was called");
  assert.ok(s.calls >= 10000, `only ${s.calls} calls`);
  assert.ok(s.codes.invalid_argument > 0);
});
