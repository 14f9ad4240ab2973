// The `web` target (pkg/web) in headless Chromium: R conformance, errors, and the README's HTML example.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, launch, newPage } from "./harness.mjs";
import ref from "../js/reference.cjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const htmlExample = readme.match(/```html\n([\s\S]*?)```/)[1];

let server, browser;
before(async () => {
  server = await serve(
    { "/": root, "/node_modules/crmscore/": root },
    { "/readme-example.html": htmlExample, "/blank.html": "<!doctype html><title>crmscore web test</title>" },
  );
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("web target: R rfm 0.3.0 conformance computed in Chromium", async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(`${server.url}/blank.html`);
  const result = await page.evaluate(async () => {
    const { default: init, rfm } = await import("/pkg/web/crmscore.js");
    await init();
    const csv = await (await fetch("/tests/fixtures/reference/rfm-r/rfm_data_orders.csv")).text();
    const orders = csv.trim().split("\n").slice(1).map((l) => {
      const [customerId, date, amount] = l.split(",");
      return { customerId, date, amount: Number(amount) };
    });
    return rfm(orders, { asOf: "2006-12-31", binning: "rfmR" });
  });
  assert.equal(ref.assertConforms(assert, result), 995);
  assert.deepEqual(errors, []);
  await page.close();
});

test("web target: errors are CrmScoreErrors and the module keeps working", async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(`${server.url}/blank.html`);
  const out = await page.evaluate(async () => {
    const { default: init, rfm, rfmColumnar } = await import("/pkg/web/crmscore.js");
    await init();
    const caught = [];
    const attempts = [
      () => rfm([{ customerId: "a", date: "2024-01-01", amount: -5 }]),
      () => rfm([{ customerId: "a", date: "2024-02-30", amount: 5 }]),
      () => rfm([{ customerId: "a", date: "2024-01-01", amount: 5 }], { bins: 0 }),
      () => rfmColumnar(new Uint32Array(2), new Int32Array(2), new Float64Array(1)),
    ];
    for (const f of attempts) {
      try {
        f();
        caught.push(null);
      } catch (e) {
        caught.push({ isError: e instanceof Error, name: e.name, code: e.code, row: e.row, field: e.field });
      }
    }
    const after = rfm([{ customerId: "a", date: "2024-01-01", amount: 5 }, { customerId: "b", date: "2024-01-03", amount: 7 }]);
    return { caught, after: after.customers.map((c) => c.rfmScore) };
  });
  assert.deepEqual(out.caught, [
    { isError: true, name: "CrmScoreError", code: "invalid_amount", row: 0, field: "amount" },
    { isError: true, name: "CrmScoreError", code: "invalid_date", row: 0, field: "date" },
    { isError: true, name: "CrmScoreError", code: "invalid_option", row: undefined, field: "bins.recency" },
    { isError: true, name: "CrmScoreError", code: "length_mismatch", row: undefined, field: undefined },
  ]);
  assert.equal(out.after.length, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("README's <script type=module> example runs in Chromium and stays on its origin", async () => {
  const { page, errors, requests } = await newPage(browser);
  await page.goto(`${server.url}/readme-example.html`);
  await page.waitForFunction(() => document.querySelector("#out")?.textContent.length > 0, null, { timeout: 20000 });
  const text = await page.textContent("#out");
  const rows = JSON.parse(text);
  assert.ok(Array.isArray(rows) && rows.length > 0, text);
  assert.ok(rows.every((r) => typeof r.segment === "string" && r.rfmScore >= 111), text);
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.url)), requests.join("\n"));
  await page.close();
});

test("crmscore/worker in a plain module page: the engine's Worker, results, errors, abort", async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(`${server.url}/blank.html`);
  const out = await page.evaluate(async () => {
    const { default: init, rfm, sampleOrders } = await import("/pkg/web/crmscore.js");
    const { createEngine } = await import("/pkg/worker/index.js");
    await init();
    const engine = await createEngine();
    const orders = sampleOrders({ customers: 2000, seed: 4 });
    const equal = JSON.stringify(await engine.rfm(orders)) === JSON.stringify(rfm(orders));
    let err = null;
    try {
      await engine.rfm([{ customerId: "a", date: "2024-01-01", amount: -5 }]);
    } catch (e) {
      err = [e.name, e.code, e.table, e.row, e.field];
    }
    const ac = new AbortController();
    const p = engine.rfm(orders, { signal: ac.signal });
    ac.abort();
    const aborted = await p.then(() => "resolved", (e) => e.name);
    const after = (await engine.rfm(orders)).customers.length;
    engine.terminate();
    return { equal, err, aborted, after };
  });
  assert.deepEqual(out, {
    equal: true,
    err: ["CrmScoreError", "invalid_amount", "orders", 0, "amount"],
    aborted: "AbortError",
    after: 2000,
  });
  assert.deepEqual(errors, []);
  await page.close();
});
