// What the worker engine (crmscore/worker) costs, in Node and in headless Chromium, side by
// side with the synchronous call in the same run:
//  - round trip of a small call (version()): the engine's fixed cost per call;
//  - rfmColumnar on 10M orders / 1M customers: synchronous, through the engine with the
//    columns copied (structured clone), and with them moved in (transfer()).
//   node bench/engine.mjs [--orders=10000000] [--customers=1000000] [--env=node|browser]
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (k, d) => {
  const a = process.argv.find((x) => x.startsWith(`--${k}=`));
  return a === undefined ? d : a.slice(k.length + 3);
};
const ORDERS = Number(arg("orders", 10_000_000));
const CUSTOMERS = Number(arg("customers", 1_000_000));
const ENV = arg("env", "both");

// The measurement, run as-is in Node and in the page (it only uses its arguments).
async function measure(sync, createEngine, transfer, nOrders, nCustomers) {
  const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  const columns = () => {
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const c = new Uint32Array(nOrders);
    const d = new Int32Array(nOrders);
    const a = new Float64Array(nOrders);
    for (let i = 0; i < nOrders; i++) {
      c[i] = (rnd() * nCustomers) | 0;
      d[i] = 19000 + ((rnd() * 1000) | 0);
      a[i] = Math.round(rnd() * 50000) / 100;
    }
    return [c, d, a];
  };
  const out = {};
  let t = performance.now();
  const engine = await createEngine();
  out.startMs = performance.now() - t;
  // Small call: version(). Timed as a whole loop (pages not cross-origin isolated get a coarse
  // performance.now()), per call = total / 1000; the median of 5 loops.
  const loops = { sync: [], engine: [] };
  for (let l = 0; l < 5; l++) {
    t = performance.now();
    for (let k = 0; k < 1000; k++) sync.version();
    loops.sync.push((performance.now() - t) / 1000);
    t = performance.now();
    for (let k = 0; k < 1000; k++) await engine.version();
    loops.engine.push((performance.now() - t) / 1000);
  }
  out.smallSyncMs = median(loops.sync);
  out.smallEngineMs = median(loops.engine);
  // 10M orders.
  const opts = { customerCount: nCustomers, asOf: "2024-12-31" };
  const runs = { sync: [], copy: [], transfer: [] };
  let check = null;
  for (let k = 0; k < 3; k++) {
    const [c, d, a] = columns();
    t = performance.now();
    const r = sync.rfmColumnar(c, d, a, opts);
    runs.sync.push(performance.now() - t);
    t = performance.now();
    const r2 = await engine.rfmColumnar(c, d, a, opts);
    runs.copy.push(performance.now() - t);
    t = performance.now();
    const r3 = await engine.rfmColumnar(transfer(c), transfer(d), transfer(a), opts);
    runs.transfer.push(performance.now() - t);
    check = r.monetary.every((x, i) => Object.is(x, r2.monetary[i]) && Object.is(x, r3.monetary[i]));
  }
  out.bigSyncMs = median(runs.sync);
  out.bigCopyMs = median(runs.copy);
  out.bigTransferMs = median(runs.transfer);
  out.equal = check;
  engine.terminate();
  return out;
}

function print(env, o) {
  const f = (x) => (x < 1 ? x.toFixed(3) : x.toFixed(1));
  console.log(`\n${env}: engine start ${f(o.startMs)} ms; results equal to the synchronous call: ${o.equal}`);
  console.log(`  ${"call".padEnd(44)} ${"synchronous".padStart(12)} ${"engine".padStart(10)}`);
  console.log(`  ${"version() (per call, 1000 in a row)".padEnd(44)} ${f(o.smallSyncMs).padStart(9)} ms ${f(o.smallEngineMs).padStart(7)} ms`);
  console.log(`  ${`rfmColumnar ${ORDERS / 1e6}M orders, columns copied`.padEnd(44)} ${f(o.bigSyncMs).padStart(9)} ms ${f(o.bigCopyMs).padStart(7)} ms`);
  console.log(`  ${`rfmColumnar ${ORDERS / 1e6}M orders, transfer()`.padEnd(44)} ${"".padStart(12)} ${f(o.bigTransferMs).padStart(7)} ms`);
}

if (ENV !== "browser") {
  const sync = await import(join(root, "pkg/node/crmscore.mjs"));
  const { createEngine, transfer } = await import(join(root, "pkg/worker/node.js"));
  print("Node " + process.version, await measure(sync, createEngine, transfer, ORDERS, CUSTOMERS));
}
if (ENV !== "node") {
  const { serve, launch, newPage } = await import(join(root, "tests/browser/harness.mjs"));
  const page = `<!doctype html><script type="module">
    import init, * as sync from "/pkg/web/crmscore.js";
    import { createEngine, transfer } from "/pkg/worker/index.js";
    ${measure.toString()}
    await init();
    window.__out = await measure(sync, createEngine, transfer, ${ORDERS}, ${CUSTOMERS});
  </script>`;
  const server = await serve({ "/": root }, { "/engine.html": page });
  const browser = await launch();
  try {
    const { page: p } = await newPage(browser);
    await p.goto(server.url + "/engine.html");
    await p.waitForFunction(() => window.__out !== undefined, null, { timeout: 600_000 });
    print("Chromium " + browser.version(), await p.evaluate(() => window.__out));
  } finally {
    await browser.close();
    await server.close();
  }
}
