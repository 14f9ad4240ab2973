// Typed usage of crmscore/worker, checked by tsc in `npm test`. @ts-expect-error lines must stay errors.
import { createEngine, transfer } from "crmscore/worker";
import type { Engine, Remote } from "crmscore/worker";
import type { Order, RfmResult, Scorer, TransactionModel } from "crmscore";
import { Scorer as SyncScorer } from "crmscore";

// Re-tiering into the caller's arrays (no allocation per call).
const sc = new SyncScorer([{ customerId: 1, x: 1 }], "valueEngagement");
sc.tiersInto(new Uint8Array(sc.length));
sc.scoresInto(new Float64Array(sc.length));
import { deriveFieldsColumnar } from "crmscore";
declare const crm: import("crmscore").ColumnarActivity;
const derived: Float64Array = deriveFieldsColumnar(crm).orderCount;
void derived;
new SyncScorer(crm, "valueEngagement");
// @ts-expect-error tiers are bytes
sc.tiersInto(new Float64Array(1));

async function main() {
  const engine: Engine = await createEngine();
  const orders: Order[] = [{ customerId: "a", date: "2026-01-02", amount: 10 }];
  const ac = new AbortController();
  const r: RfmResult = await engine.rfm(orders, { asOf: "2026-02-01", signal: ac.signal, onProgress: (f: number) => void f });
  void r.customers[0].segment;
  // @ts-expect-error the result is a promise, not the value
  const wrong: RfmResult = engine.rfm(orders);
  void wrong;
  // @ts-expect-error the same argument types as the synchronous call
  await engine.rfm(42);
  const cols = await engine.rfmColumnar(transfer(new Uint32Array(1)), new Int32Array(1), new Float64Array(1));
  const scores: Uint8Array = cols.recencyScore;
  void scores;
  const summaries = await engine.summarize(orders, { unit: "week" });
  const model: Remote<TransactionModel> = await engine.fitBgNbd(summaries, { unit: "week" });
  const p: number = await model.pAlive(1, 2, 3);
  const params = await model.params;
  void p, params;
  const s: Remote<Scorer> = await engine.Scorer([{ customerId: 1, x: 1 }], "valueEngagement");
  const tiers: Uint8Array = await s.tiers();
  const n: number = await s.length;
  void tiers, n;
  await s.free();
  engine.terminate();
}
void main;
