// deriveFields on records, through the package entry (behind the argument guard) and through
// the raw wasm-bindgen module: what the guard's reading of the rows costs.
//   node bench/derive_guard.mjs [customers=100000] [orders=1000000] [runs=5] [other pkg/node dir]
// Prints the median time of each (and of another build's entry when a folder is given, e.g.
// a copy of pkg/node with an older guard.js); the data: bench/data.mjs (orders as
// { customerId, date: "YYYY-MM-DD", amount, status }, with the interactions and payments of
// generateActivity). The runs alternate, so load from other processes hits each alike.
import { createRequire } from "node:module";
import { generateActivity, customerIds } from "./data.mjs";

const require = createRequire(import.meta.url);
const [customers = 100_000, orders = 1_000_000, runs = 5] = process.argv.slice(2, 5).map(Number);
const other = process.argv[5];
const guarded = require("../pkg/node/crmscore.js");
const raw = require("../pkg/node/crmscore_raw.js");
const otherEntry = other === undefined ? null : require(`${other}/crmscore.js`);

const a = generateActivity({ customers, orders, seed: 7 });
const ids = customerIds(customers);
const day = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
const STATUS = guarded.codeTables().orderStatus;
const KINDS = guarded.codeTables().interactionKind;
const PAY = guarded.codeTables().paymentStatus;
const o = a.orders, it = a.interactions, p = a.payments;
const data = {
  orders: Array.from(o.customer, (c, i) => ({ customerId: ids[c], date: day(o.date[i]), amount: o.amount[i], status: STATUS[o.status[i]] })),
  interactions: Array.from(it.customer, (c, i) => ({ customerId: ids[c], date: day(it.date[i]), type: KINDS[it.type[i]] })),
  payments: Array.from(p.customer, (c, i) => ({ customerId: ids[c], date: day(p.date[i]), amount: p.amount[i], status: PAY[p.status[i]] })),
};
const options = { asOf: day(a.orders.date.reduce((m, d) => Math.max(m, d), 0)) };

const variants = [
  ["guarded (package entry)", () => guarded.deriveFields(data, options)],
  ["raw (no guard)", () => raw.deriveFields(data, options)],
  ...(otherEntry ? [[`guarded (${other})`, () => otherEntry.deriveFields(data, options)]] : []),
];
const times = variants.map(() => []);
for (const [, f] of variants) f(); // warm-up
for (let r = 0; r < runs; r++) {
  variants.forEach(([, f], k) => {
    const t0 = performance.now();
    f();
    times[k].push(performance.now() - t0);
  });
}
console.log(`deriveFields: ${customers} customers, ${data.orders.length} orders, ${data.interactions.length} interactions, ${data.payments.length} payments; ${runs} runs`);
variants.forEach(([label], k) => {
  const ts = times[k].sort((x, y) => x - y);
  console.log(`${label.padEnd(28)} median ${ts[ts.length >> 1].toFixed(0).padStart(6)} ms   (min ${ts[0].toFixed(0)}, max ${ts.at(-1).toFixed(0)})`);
});
