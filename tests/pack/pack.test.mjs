// Packaging: `npm pack`, check the tarball, install it into a scratch Node project (ESM + CJS)
// and a scratch Vite project (built with the README's vite config, loaded in Chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, launch, newPage } from "../browser/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (n) => join(root, "node_modules", ".bin", n);
const scratch = mkdtempSync(join(tmpdir(), "crmscore-pack-"));
let tarball;

const npm = (args, cwd) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });

before(() => {
  const out = npm(["pack", "--json", "--pack-destination", scratch], root);
  tarball = join(scratch, JSON.parse(out)[0].filename);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test("tarball holds the three builds with .wasm, .d.ts and snippets, and the worker engine", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
  for (const t of ["web", "bundler", "node"]) {
    for (const f of ["crmscore.js", "crmscore.d.ts", "crmscore_bg.wasm"]) {
      assert.ok(files.includes(`package/pkg/${t}/${f}`), `package/pkg/${t}/${f} in tarball`);
    }
    assert.ok(files.some((f) => f.startsWith(`package/pkg/${t}/snippets/`) && f.endsWith("glue.js")), `${t} snippet`);
  }
  // The CRM data generator: its own module, three builds too.
  for (const t of ["web", "bundler", "node"]) {
    for (const f of ["crmscore_sample.js", "crmscore_sample.d.ts", "crmscore_sample_bg.wasm"]) {
      assert.ok(files.includes(`package/pkg/sample/${t}/${f}`), `package/pkg/sample/${t}/${f} in tarball`);
    }
  }
  for (const f of ["package/pkg/worker/index.js", "package/pkg/worker/node.js", "package/pkg/worker/worker.js", "package/pkg/worker/index.d.ts"]) {
    assert.ok(files.includes(f), f);
  }
  for (const f of ["package/pkg/node/crmscore.mjs", "package/pkg/node/package.json", "package/package.json", "package/README.md"]) {
    assert.ok(files.includes(f), f);
  }
  assert.ok(!files.some((f) => f.includes(".gitignore") || f.startsWith("package/src/") || f.startsWith("package/target/")));
});

test("scratch Node project: import and require both work", () => {
  const dir = join(scratch, "node-app");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "node-app", private: true, type: "module" }));
  npm(["install", tarball], dir);
  writeFileSync(
    join(dir, "esm.mjs"),
    `import { rfm, sampleOrders } from "crmscore";
     import { generateCrm } from "crmscore/sample";
     const r = rfm(sampleOrders({ customers: 300 }));
     const g = generateCrm({ customers: 50, seed: 3 });
     console.log(JSON.stringify({ n: r.customers.length, seg: r.segments.length, g: g.customerIds.length }));`,
  );
  writeFileSync(
    join(dir, "engine.mjs"),
    `import { createEngine } from "crmscore/worker";
     import { rfm, sampleOrders } from "crmscore";
     const engine = await createEngine();
     const orders = sampleOrders({ customers: 300 });
     const w = await engine.rfm(orders);
     console.log(JSON.stringify({ equal: JSON.stringify(w) === JSON.stringify(rfm(orders)) }));
     engine.terminate();`,
  );
  writeFileSync(
    join(dir, "cjs.cjs"),
    `const { rfm, sampleOrders } = require("crmscore");
     const { generateCrm } = require("crmscore/sample");
     const r = rfm(sampleOrders({ customers: 300 }));
     const g = generateCrm({ customers: 50, seed: 3 });
     console.log(JSON.stringify({ n: r.customers.length, seg: r.segments.length, g: g.customerIds.length }));`,
  );
  const esm = JSON.parse(execFileSync(process.execPath, ["esm.mjs"], { cwd: dir, encoding: "utf8" }));
  const cjs = JSON.parse(execFileSync(process.execPath, ["cjs.cjs"], { cwd: dir, encoding: "utf8" }));
  assert.deepEqual(esm, { n: 300, seg: 11, g: 50 });
  assert.deepEqual(cjs, esm);
  const engine = JSON.parse(execFileSync(process.execPath, ["engine.mjs"], { cwd: dir, encoding: "utf8" }));
  assert.deepEqual(engine, { equal: true }, "crmscore/worker from the installed package (worker_threads)");
});

test("scratch Vite project: builds with the README's config and runs in Chromium", async () => {
  const dir = join(scratch, "vite-app");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "vite-app", private: true, type: "module" }));
  npm(["install", tarball], dir);
  // vite-plugin-wasm as this repo installed it (no second download), then the README's config verbatim.
  symlinkSync(join(root, "node_modules", "vite-plugin-wasm"), join(dir, "node_modules", "vite-plugin-wasm"), "dir");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const config = readme.match(/```ts\n(\/\/ vite\.config\.js[\s\S]*?)```/)[1];
  writeFileSync(join(dir, "vite.config.js"), config);
  writeFileSync(join(dir, "index.html"), `<!doctype html><pre id="out"></pre><script type="module" src="/main.js"></script>`);
  writeFileSync(
    join(dir, "main.js"),
    `import { rfm, sampleOrders } from "crmscore";
     import { createEngine } from "crmscore/worker";
     const orders = sampleOrders({ customers: 400 });
     const r = rfm(orders, { segments: "rfGrid" });
     (async () => {
       // The same call through the engine: the package's own module Worker, bundled by Vite.
       const engine = await createEngine();
       const w = await engine.rfm(orders, { segments: "rfGrid" });
       let code = null;
       try { await engine.rfm([{ customerId: "a", date: "2026-02-30", amount: 1 }]); } catch (e) { code = [e.name, e.code, e.table, e.row]; }
       document.querySelector("#out").textContent = JSON.stringify({
         n: r.customers.length, first: r.customers[0].segment,
         engineEqual: JSON.stringify(w) === JSON.stringify(r), code,
       });
     })().catch((e) => (document.querySelector("#out").textContent = JSON.stringify({ failed: String(e) })));`,
  );
  execFileSync(bin("vite"), ["build", "--logLevel", "error"], { cwd: dir, encoding: "utf8" });
  const server = await serve({ "/": join(dir, "dist") });
  const browser = await launch();
  try {
    const { page, errors, requests } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.waitForFunction(() => document.querySelector("#out").textContent.length > 0, null, { timeout: 20000 });
    const out = JSON.parse(await page.textContent("#out"));
    assert.equal(out.failed, undefined);
    assert.equal(out.n, 400);
    assert.equal(typeof out.first, "string");
    assert.equal(out.engineEqual, true, "crmscore/worker gives the synchronous result");
    assert.deepEqual(out.code, ["CrmScoreError", "invalid_date", "orders", 0]);
    assert.deepEqual(errors, []);
    assert.ok(requests.some((u) => u.endsWith(".wasm")), "the bundled .wasm was fetched");
  } finally {
    await browser.close();
    await server.close();
  }
});
