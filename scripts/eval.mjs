// npm run eval: classification against planted truth. Generates CRM data with generateCrm
// (planted junk of every kind and known churners), classifies it with classifyColumnar
// (default options), and prints precision and recall per flag, for junk, and for the churn
// warning (plus its AUC) — computed here from the generator's truth, not by crmscore.
//
//   node scripts/eval.mjs [--customers=100000] [--seed=1]
import { classifyColumnar } from "../pkg/node/crmscore.mjs";
import { generateCrm } from "../pkg/sample/node/crmscore_sample.mjs";

const arg = (k, d) => Number(process.argv.find((a) => a.startsWith(`--${k}=`))?.split("=")[1] ?? d);
const customers = arg("customers", 100_000), seed = arg("seed", 1);

let t = performance.now();
const s = generateCrm({ customers, seed });
const genMs = performance.now() - t;
t = performance.now();
const r = classifyColumnar(s, { asOf: s.asOf });
const classifyMs = performance.now() - t;
const n = r.lifecycle.length;
const { flags: planted, flagCodes, churned } = s.truth;
console.log(`crmscore eval: ${n.toLocaleString("en-US")} generated customers (seed ${seed}), ${s.orders.customer.length.toLocaleString("en-US")} orders, ` +
  `${s.interactions.customer.length.toLocaleString("en-US")} interactions, ${s.payments.customer.length.toLocaleString("en-US")} payments; ` +
  `generated in ${genMs.toFixed(0)} ms, classified (defaults) in ${classifyMs.toFixed(0)} ms (Node).`);

const pr = (tp, fp, fn) => [tp + fp ? tp / (tp + fp) : NaN, tp + fn ? tp / (tp + fn) : NaN];
const f3 = (x) => (Number.isNaN(x) ? "–" : x.toFixed(3));
const rows = [];
let failed = [];
const flagged = new Uint16Array(n);
// The result's flag bits, re-coded to the generator's flag codes.
for (let i = 0; i < n; i++) for (let k = 0; k < r.labels.flags.length; k++) if ((r.flags[i] >> k) & 1) flagged[i] |= 1 << flagCodes.indexOf(r.labels.flags[k]);
for (let k = 0; k < flagCodes.length; k++) {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < n; i++) {
    const want = (planted[i] >> k) & 1, got = (flagged[i] >> k) & 1;
    tp += want & got;
    fp += got & (want ^ 1);
    fn += want & (got ^ 1);
  }
  const [p, rc] = pr(tp, fp, fn);
  rows.push([flagCodes[k], tp + fn, tp + fp, tp, fp, fn, f3(p), f3(rc)]);
  if (!(p >= 0.95 && rc >= 0.95)) failed.push(flagCodes[k]);
}
{
  // Junk: planted = the planted flags make junk by the default rule (a critical flag or ≥ 2 warnings).
  const critical = 1 << flagCodes.indexOf("payment_failures"), info = 1 << flagCodes.indexOf("price_sensitive");
  const isJunk = (b) => (b & critical) !== 0 || popcount(b & ~critical & ~info) >= 2;
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < n; i++) {
    const want = isJunk(planted[i]), got = r.junk[i] === 1;
    if (want && got) tp++;
    else if (got) fp++;
    else if (want) fn++;
  }
  const [p, rc] = pr(tp, fp, fn);
  rows.push(["junk", tp + fn, tp + fp, tp, fp, fn, f3(p), f3(rc)]);
}
function popcount(x) { let c = 0; for (; x; x &= x - 1) c++; return c; }

const table = (head, body) => {
  const w = head.map((h, j) => Math.max(h.length, ...body.map((b) => String(b[j]).length)));
  const line = (cells) => "| " + cells.map((c, j) => (j ? String(c).padStart(w[j]) : String(c).padEnd(w[j]))).join(" | ") + " |";
  return [line(head), "| " + w.map((x, j) => (j ? "-".repeat(x - 1) + ":" : "-".repeat(x))).join(" | ") + " |", ...body.map(line)].join("\n");
};
console.log("\nJunk flags (planted = what the generator planted; flagged = what classify found):\n");
console.log(table(["flag", "planted", "flagged", "TP", "FP", "FN", "precision", "recall"], rows));

// Churn warning vs truth.churned, among customers with at least one completed order.
const risk = { low: 0, medium: 1, high: 2 };
const churnRows = [];
for (const [label, keep] of [["all buyers", () => true], ["buyers not (yet) churned by the lifecycle rules", (c) => c.lifecycle !== "churned"]]) {
  const idx = [];
  const rec = (i) => ({ lifecycle: r.labels.lifecycle[r.lifecycle[i]], churnRisk: r.labels.churnRisk[r.churnRisk[i]] });
  for (let i = 0; i < n; i++) if (rec(i).lifecycle !== "prospect" && keep(rec(i))) idx.push(i);
  const pos = idx.filter((i) => churned[i]).length;
  const at = (min) => {
    let tp = 0, fp = 0;
    for (const i of idx) if (risk[rec(i).churnRisk] >= min) (churned[i] ? tp++ : fp++);
    return pr(tp, fp, pos - tp);
  };
  // AUC of the ordinal score low < medium < high (ties count one half; Mann–Whitney).
  const cnt = [[0, 0, 0], [0, 0, 0]];
  for (const i of idx) cnt[churned[i]][risk[rec(i).churnRisk]]++;
  let auc = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) auc += cnt[1][a] * cnt[0][b] * (a > b ? 1 : a === b ? 0.5 : 0);
  auc /= pos * (idx.length - pos);
  const [ph, rh] = at(2), [pm, rm] = at(1);
  churnRows.push([label, idx.length, pos, f3(ph), f3(rh), f3(pm), f3(rm), f3(auc)]);
}
console.log("\nChurn warning (truth: the generator stopped the customer's buying process before asOf):\n");
console.log(table(["customers", "n", "churned", "high: precision", "high: recall", "medium+: precision", "medium+: recall", "AUC"], churnRows));
console.log(failed.length ? `\nflags below 0.95 precision or recall: ${failed.join(", ")}` : "\nevery junk flag: precision and recall ≥ 0.95 (target met).");
process.exitCode = failed.length ? 1 : 0;
