// Size budget of what every user downloads (loro keeps one too): the main module's .wasm,
// gzip -9, must stay within BUDGET; the CRM data generator is its own module (crmscore/sample)
// and never part of it. `node scripts/wasm-size.mjs` lists where the bytes go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const KiB = 1024;
// Today's ceiling with a little headroom: 307.2 KiB measured on 2026-12-03 (323.8 KiB before the
// generator moved out, −25.4 KiB; the multi-start BTYD fits and Pareto/NBD's analytic
// derivatives +17.3 KiB; fewer sort instantiations −8.5 KiB). 2026-12-03, issue 16: 321.9 KiB
// (+16 KiB: classifyColumnar's code columns, the Classifier handle with explain(i), crossTab on
// columnar results, the grouped classify pass and the id check in Rust), then 325.8 KiB (+4 KiB:
// PackedText contact columns and packText, CodedText Scorer columns). wasm-opt -Oz instead of
// -O3 saves < 1 KiB; Rust's opt-level "s" ≈ 45 KiB but was not measured for speed. The goal is
// 250 KiB: not met yet.
const BUDGET = 328 * KiB;
const SAMPLE_BUDGET = 64 * KiB;

const gz = (path) => gzipSync(readFileSync(join(root, path)), { level: 9 }).length;

test("the main .wasm stays within its size budget, in every target", () => {
  for (const t of ["web", "bundler", "node"]) {
    const n = gz(`pkg/${t}/crmscore_bg.wasm`);
    console.log(`pkg/${t}/crmscore_bg.wasm: ${(n / KiB).toFixed(1)} KiB gzip (budget ${BUDGET / KiB})`);
    assert.ok(n <= BUDGET, `pkg/${t}: ${(n / KiB).toFixed(1)} KiB gzip > ${BUDGET / KiB} KiB`);
  }
});

test("the generator is its own module: not in the main one, small on its own", async () => {
  const main = await import("crmscore");
  const sample = await import("crmscore/sample");
  assert.equal(main.generateCrm, undefined);
  assert.equal(typeof sample.generateCrm, "function");
  // The main module's export names never mention the generator.
  const names = readFileSync(join(root, "pkg/bundler/crmscore_bg.wasm.d.ts"), "utf8");
  assert.doesNotMatch(names, /generate_crm|generateCrm/);
  const n = gz("pkg/sample/bundler/crmscore_sample_bg.wasm");
  console.log(`pkg/sample/bundler/crmscore_sample_bg.wasm: ${(n / KiB).toFixed(1)} KiB gzip`);
  assert.ok(n <= SAMPLE_BUDGET, `${(n / KiB).toFixed(1)} KiB gzip`);
});
