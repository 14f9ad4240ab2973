// crmscore/worker in Node (worker_threads): the async twins equal the synchronous calls,
// errors keep their fields, handles work remotely, abort / terminate / crash leave a usable engine.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as sync from "crmscore";
import { createEngine, transfer } from "crmscore/worker";
import { createEngineWith } from "../../pkg/worker/engine.js";

const engine = await createEngine();
after(() => engine.terminate());

const orders = sync.sampleOrders({ customers: 3000, seed: 5 });
const opts = { asOf: "2026-06-30" };

/** The error a promise rejects with. */
async function rejection(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail("did not reject");
}

test("every function and class of crmscore has an async twin of the same name", () => {
  const names = Object.entries(sync)
    .filter(([k, v]) => typeof v === "function" && k !== "default" && k !== "initSync")
    .map(([k]) => k)
    .sort();
  const twins = Object.keys(engine).filter((k) => k !== "terminate").sort();
  assert.deepEqual(twins, names);
  for (const k of twins) assert.equal(typeof engine[k], "function", k);
});

test("results equal the synchronous calls (records, columns, summaries)", async () => {
  assert.deepEqual(await engine.rfm(orders, opts), sync.rfm(orders, opts));
  const s = sync.sampleOrdersColumnar({ customers: 4000, seed: 2 });
  const col = await engine.rfmColumnar(s.customerIndex, s.dates, s.amounts, opts);
  assert.deepEqual(col, sync.rfmColumnar(s.customerIndex, s.dates, s.amounts, opts));
  assert.ok(col.recencyScore instanceof Uint8Array && col.monetary instanceof Float64Array);
  const sum = await engine.summarize(orders, { ...opts, unit: "week" });
  assert.deepEqual(sum, sync.summarize(orders, { ...opts, unit: "week" }));
});

test("errors arrive as CrmScoreError with the same code, table, row, field and path", async () => {
  const bad = [orders[0], { customerId: "x", date: "2026-01-01", amount: -5 }];
  let expected;
  try {
    sync.rfm(bad, opts);
  } catch (e) {
    expected = e;
  }
  const e = await rejection(engine.rfm(bad, opts));
  assert.ok(e instanceof Error);
  for (const k of ["name", "message", "code", "table", "row", "field", "path"]) assert.equal(e[k], expected[k], k);
  assert.equal(e.table, "orders");
  // A wrong argument type is refused by the guard in the worker, as it is here.
  const g = await rejection(engine.rfm(42));
  assert.equal(g.code, "invalid_argument");
  // The engine keeps working.
  assert.equal((await engine.rfm(orders, opts)).customers.length, 3000);
});

test("classes and class results are remote handles: methods and getters are async", async () => {
  const summaries = sync.summarize(orders, { ...opts, unit: "week" });
  const local = sync.fitBgNbd(summaries, { unit: "week" });
  const model = await engine.fitBgNbd(summaries, { unit: "week" });
  assert.deepEqual(await model.params, local.params);
  assert.equal(await model.pAlive(2, 10, 30), local.pAlive(2, 10, 30));
  // A handle passed back as an argument is the worker's object.
  const spend = await engine.fitGammaGamma(summaries);
  const localSpend = sync.fitGammaGamma(summaries);
  const clvOpts = { horizon: 52, step: 4, discountRatePerStep: 0.01 };
  assert.deepEqual(await engine.clv(model, spend, summaries, clvOpts), sync.clv(local, localSpend, summaries, clvOpts));

  const rows = sync.rfm(orders, opts).customers.map((c) => ({ customerId: c.customerId, recencyDays: c.recencyDays, frequency: c.frequency, monetary: c.monetary }));
  const model2 = { indicators: [{ id: "m", field: "monetary", weight: 60, scale: { type: "linear", min: 0, max: 2000 } }, { id: "f", field: "frequency", weight: 40, scale: { type: "linear", min: 0, max: 10 } }], tiers: [{ label: "A", min: 50 }, { label: "B", min: 0 }] };
  const s = await engine.Scorer(rows, model2);
  const ls = new sync.Scorer(rows, model2);
  assert.equal(await s.length, ls.length);
  assert.deepEqual(await s.tiers(), ls.tiers());
  const w = new Float64Array([10, 90]);
  await s.setWeights(w);
  ls.setWeights(w);
  assert.deepEqual(await s.scores(), ls.scores());
  const e = await rejection(s.setWeights(new Float64Array([1])));
  assert.equal(e.code, "length_mismatch");
  assert.deepEqual(await s.tiers(), ls.tiers(), "a failed call changed nothing");
  await s.free();
  assert.equal((await rejection(s.tiers())).code, "invalid_argument");
  await model.free();
  await spend.free();
  ls.free();
});

test("transfer() moves typed arrays into the worker instead of copying them", async () => {
  const s = sync.sampleOrdersColumnar({ customers: 2000, seed: 8 });
  const expected = sync.rfmColumnar(s.customerIndex, s.dates, s.amounts, opts);
  const c = s.customerIndex;
  const r = await engine.rfmColumnar(transfer(c), transfer(s.dates), transfer(s.amounts), opts);
  assert.equal(c.byteLength, 0, "the caller's array was moved (detached)");
  assert.deepEqual(r, expected);
});

test("abort: rejects with AbortError, stale handles say so, queued calls still run", async () => {
  const summaries = sync.summarize(sync.sampleOrders({ customers: 20000, seed: 1 }), { ...opts, unit: "week" });
  const pre = new AbortController();
  pre.abort();
  assert.equal((await rejection(engine.rfm(orders, { ...opts, signal: pre.signal }))).name, "AbortError");

  const held = await engine.fitBgNbd(summaries, { unit: "week" });
  const ac = new AbortController();
  const progress = [];
  const slow = engine.fitParetoNbd(summaries, { unit: "week", signal: ac.signal, onProgress: (f) => progress.push(f) });
  const queued = engine.rfm(orders, opts);
  // Queued behind the slow fit, naming a handle of the worker that the abort ends.
  const queuedWithHandle = engine
    .clv(held, held, summaries, { horizon: 4, step: 1, discountRatePerStep: 0 })
    .then(() => null, (e) => e);
  setTimeout(() => ac.abort(), 20);
  const e = await rejection(slow);
  assert.equal(e.name, "AbortError");
  assert.ok(e instanceof DOMException);
  assert.deepEqual(progress, [0]);
  assert.deepEqual(await queued, sync.rfm(orders, opts), "a call queued behind the aborted one ran on the fresh worker");
  assert.equal((await queuedWithHandle)?.code, "engine_restarted", "a queued call naming a handle of the ended worker");
  const stale = await rejection(held.params);
  assert.equal(stale.code, "engine_restarted");
  // Without abort, onProgress sees the start, fractions from the core's checkpoints while a
  // long fit runs (at most one per 50 ms), and the end; they only grow.
  const seen = [];
  await engine.fitParetoNbd(summaries, { unit: "week", onProgress: (f) => seen.push(f) });
  assert.equal(seen[0], 0);
  assert.equal(seen.at(-1), 1);
  assert.ok(seen.length >= 3, `fractions while the fit ran: ${seen}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1] && seen[i] <= 1, `${seen}`);
});

test("terminate() rejects pending calls; the next call starts a fresh worker", async () => {
  const e2 = await createEngine();
  const p = e2.rfm(orders, opts);
  e2.terminate();
  assert.equal((await rejection(p)).code, "engine_restarted");
  assert.deepEqual(await e2.rfm(orders, opts), sync.rfm(orders, opts));
  e2.terminate();
});

test("a crashed worker rejects every pending call with a clear error; the next call gets a new one", async () => {
  let spawned = 0;
  const fake = () => {
    spawned++;
    const gen = spawned;
    let onMsg;
    let onErr;
    return {
      post: (m) => {
        if (gen === 1) setTimeout(() => onErr(new Error("out of memory")), 1);
        else setTimeout(() => onMsg({ id: m.id, ok: true, value: 7 }), 1);
      },
      onMessage: (f) => {
        onMsg = f;
        setTimeout(() => f({ ready: true, exports: [{ name: "answer", kind: "function" }] }), 0);
      },
      onError: (f) => (onErr = f),
      terminate: () => {},
    };
  };
  const e = await createEngineWith(fake);
  const [a, b] = await Promise.allSettled([e.answer(), e.answer()]);
  assert.equal(a.status, "rejected");
  assert.equal(b.status, "rejected");
  assert.equal(a.reason.code, "engine_failed");
  assert.match(a.reason.message, /worker failed \(out of memory\)/);
  assert.equal(await e.answer(), 7);
  assert.equal(spawned, 2);
});
