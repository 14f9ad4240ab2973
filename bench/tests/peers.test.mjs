// The benchmark compares crmscore with the tools users would pick instead; a comparison is only
// worth something if the alternatives compute the same thing. These tests run the benchmark's
// own peer implementations (bench/suites/*.mjs) on small seeded data in Node and check them
// against crmscore customer by customer. (DuckDB-wasm runs in Chromium only; the harness checks
// it on every run.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { rfmColumnar, Scorer } from "crmscore";
import * as rfmSuite from "../suites/rfm.mjs";
import * as scoringSuite from "../suites/scoring.mjs";

const impl = (suite, id) => suite.impls.find((i) => i.id === id);

test("bench RFM peers (Arquero, plain JS typed and objects) give crmscore's scores and cut points", async () => {
  const { input } = await rfmSuite.load({ customers: 2_000, orders: 20_000 }, new Set(["columnar", "objects"]));
  const crm = rfmColumnar(input.data.customerIndex, input.data.dates, input.data.amounts, { customerCount: input.data.customerCount, segments: [] });
  assert.equal(crm.recencyScore.length, 2_000);
  for (const id of ["arquero", "js-typed", "js-objects"]) {
    const peer = impl(rfmSuite, id);
    await peer.prepare?.(null, input);
    const r = await peer.run(null, input);
    const a = peer.scores(r, input);
    const n = input.data.customerCount;
    let differ = 0;
    for (let i = 0; i < n; i++) {
      if (a.recency[i] !== crm.recencyScore[i] || a.frequency[i] !== crm.frequencyScore[i] || a.monetary[i] !== crm.monetaryScore[i]) differ++;
    }
    assert.equal(differ, 0, `${id}: ${differ} of ${n} customers scored differently`);
    for (const k of ["recency", "frequency", "monetary"]) {
      // Cut points: the same type-7 quantiles (Arquero interpolates in another order: 1e-12 relative).
      r.thresholds[k].forEach((x, j) => assert.ok(Math.abs(x - crm.thresholds[k][j]) <= 1e-12 * Math.abs(x), `${id} ${k} cut ${j}: ${x} vs ${crm.thresholds[k][j]}`));
    }
  }
});

test("bench re-tier baseline (plain JS loop) gives the Scorer's tiers and counts for every weight vector", async () => {
  const { input } = scoringSuite.load({ customers: 5_000 });
  const js = impl(scoringSuite, "js-loop");
  await js.prepare(null, input);
  const scorer = new Scorer({ columns: Object.fromEntries(input.cols.map((c, k) => [`f${k}`, c])) }, scoringSuite.MODEL);
  try {
    const seen = new Set();
    for (let j = 0; j < scoringSuite.WEIGHTS.length; j++) {
      const r = js.run(null, input);
      scorer.setWeights(scoringSuite.WEIGHTS[r.k]);
      assert.deepEqual(Array.from(r.tiers), Array.from(scorer.tiers()), `weights #${r.k}: tiers`);
      assert.deepEqual(Array.from(r.counts), Array.from(scorer.tierCounts()), `weights #${r.k}: counts`);
      seen.add(Array.from(r.counts).join());
    }
    assert.ok(seen.size > 1, "the weight vectors move customers between tiers");
  } finally {
    scorer.free();
  }
});
