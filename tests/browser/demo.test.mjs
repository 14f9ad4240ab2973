// The demo page (www/) in headless Chromium: builds it with Vite (into a temporary folder,
// so a running `npm run demo` is left alone), serves it from this process on a random
// localhost port, and drives it with playwright-core.
//
//   node --test tests/browser/demo.test.mjs
//
// Needs pkg/ (node scripts/build.mjs), node_modules (bash scripts/setup.sh) and Debian's
// chromium (bash scripts/setup.sh --browser). CRMSCORE_DEMO_DIST=www/dist serves an
// existing build instead of building; CHROMIUM overrides /usr/bin/chromium.
// Screenshots go to test-output/demo.png (and demo-zh.png, demo-error.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CHROMIUM_PATH as chromiumPath, launchChromium } from "../../scripts/chromium.mjs";
import { startServer } from "../../www/server.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const outDir = join(root, "test-output");

let tempDist = null;
let server = null;
let browser = null;
let page = null;
const requests = [];
const problems = []; // console errors and uncaught page errors

before(async () => {
  assert.ok(existsSync(join(root, "pkg/bundler/crmscore.js")), "pkg/ is missing: run `node scripts/build.mjs` first");
  assert.ok(existsSync(chromiumPath), `${chromiumPath} not found: run \`bash scripts/setup.sh --browser\``);

  let dist = process.env.CRMSCORE_DEMO_DIST && resolve(root, process.env.CRMSCORE_DEMO_DIST);
  if (!dist) {
    tempDist = dist = mkdtempSync(join(tmpdir(), "crmscore-demo-"));
    const vite = join(root, "node_modules/.bin/vite");
    try {
      await promisify(execFile)(vite, ["build", "--config", "www/vite.config.js", "--outDir", dist, "--emptyOutDir", "--logLevel", "warn"], {
        cwd: root,
      });
    } catch (e) {
      throw new Error(`vite build failed:\n${e.stdout}\n${e.stderr}`);
    }
  }
  assert.ok(existsSync(join(dist, "index.html")), `no index.html in ${dist}`);
  assert.ok(readdirSync(join(dist, "assets")).some((f) => f.endsWith(".wasm")), "the build has no .wasm asset");

  server = await startServer({ dir: dist, port: 0 });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  page = await context.newPage();
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.url + "?lang=en");
  await page.waitForSelector('#app[data-status="ready"]', { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tempDist) rmSync(tempDist, { recursive: true, force: true });
});

// ---- helpers ----
const number = (s) => Number(String(s).replace(/[^\d.-]/g, ""));

async function runs() {
  return page.getAttribute("#app", "data-runs");
}

/** Changes a <select> and waits until the page has computed and rendered again. */
async function choose(selector, value) {
  const before = await runs();
  await page.selectOption(selector, value);
  await page.waitForFunction(
    (r) => document.querySelector("#app").dataset.runs !== r,
    before,
    { timeout: 60_000 },
  );
}

async function segmentCounts() {
  return page.$$eval("#segments-table tbody tr", (rows) =>
    rows.map((tr) => ({
      name: tr.dataset.segment,
      customers: Number(tr.querySelector('[data-field="customers"]').textContent.replace(/[^\d]/g, "")),
    })),
  );
}

async function heatCells() {
  return page.$$eval("#heatmap td.cell", (cells) => cells.map((c) => Number(c.dataset.customers)));
}

async function cutCounts() {
  return page.$$eval("#thresholds dd", (dds) => dds.map((dd) => dd.querySelectorAll(".cut").length));
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

// ---- tests (in order: they share one page) ----

test("the sample loads and RFM results render", async () => {
  const status = await page.textContent("#status-main");
  assert.match(status, /^Computed in [\d.,]+ ms in WebAssembly$/);
  assert.match(await page.textContent("#status-detail"), /1,000 customers/);

  const segments = await segmentCounts();
  assert.equal(segments.length, 11, "10 rfmR segments + Others");
  assert.equal(segments[0].name, "Champions");
  assert.equal(sum(segments.map((s) => s.customers)), 1000, "segment counts add up to the customers");
  assert.equal(number(await page.textContent('#segments-table tfoot [data-field="customers"]')), 1000);

  const cells = await heatCells();
  assert.equal(cells.length, 25, "5 × 5 heatmap");
  assert.equal(sum(cells), 1000);

  assert.deepEqual(await cutCounts(), [4, 4, 4], "4 interior cut points per metric");
  assert.equal(await page.$$eval("#customers-table tbody tr", (r) => r.length), 200);
  assert.equal(await page.textContent("#customers-table tbody tr td.id"), "C0000001");
  assert.match(await page.textContent("#customers-note"), /^First 200 of 1,000$/);
  assert.equal(await page.isVisible("#error"), false);
  assert.match(await page.textContent("#privacy"), /No data leaves it/);

  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, "demo.png"), fullPage: true });
});

test("the language toggle switches all UI text", async () => {
  const en = await page.textContent("#heading");
  assert.equal(en, "RFM customer segmentation, in your browser");

  await page.click("#lang-zh");
  assert.equal(await page.textContent("#heading"), "浏览器内的 RFM 客户分级");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.getAttribute("#lang-zh", "aria-pressed"), "true");
  assert.match(await page.textContent("#status-main"), /^在 WebAssembly 中计算用时 [\d.,]+ 毫秒$/);
  assert.equal(await page.textContent('#segments-table thead th:first-child'), "分群");
  assert.equal(await page.textContent('#segments-table tbody tr[data-segment="Champions"] th'), "冠军客户");
  assert.match(await page.textContent("#privacy"), /数据不会离开浏览器/);
  assert.equal(await page.title(), "crmscore — 浏览器内的 RFM 客户分级");
  await page.screenshot({ path: join(outDir, "demo-zh.png"), fullPage: true });

  await page.click("#lang-en");
  assert.equal(await page.textContent("#heading"), en);
  assert.equal(await page.getAttribute("html", "lang"), "en");
});

test("3 bins: the 5-bin preset is refused nicely, a valid segment choice re-renders", async () => {
  await choose("#bins", "3");
  assert.equal(await page.getAttribute("#app", "data-status"), "error");
  assert.equal(await page.isVisible("#error"), true);
  assert.equal(await page.isVisible("#results"), false);
  assert.match(await page.textContent("#error-message"), /needs 5 bins/);
  assert.match(await page.textContent("#error-label"), /invalid_option/);
  assert.equal(await page.$$eval("#error-actions button", (b) => b.length), 3);
  await page.screenshot({ path: join(outDir, "demo-error.png"), fullPage: false });

  await choose("#segments", "halves");
  assert.equal(await page.getAttribute("#app", "data-status"), "ready");
  assert.equal(await page.isVisible("#error"), false);
  const segments = await segmentCounts();
  assert.deepEqual(
    segments.map((s) => s.name),
    ["Active & frequent", "Active, infrequent", "Lapsing regulars", "Lapsed", "Others"],
  );
  assert.equal(sum(segments.map((s) => s.customers)), 1000);
  assert.equal(segments.at(-1).customers, 0, "the halves cover every cell");
  const cells = await heatCells();
  assert.equal(cells.length, 9, "3 × 3 heatmap");
  assert.equal(sum(cells), 1000);
  assert.deepEqual(await cutCounts(), [2, 2, 2]);
  const scores = await page.$$eval("#customers-table tbody td.score", (tds) => tds.map((td) => Number(td.textContent)));
  assert.ok(scores.every((s) => s >= 1 && s <= 3), "scores within 1..3");

  await choose("#segments", "none");
  const none = await segmentCounts();
  assert.deepEqual(none, [{ name: "Others", customers: 1000 }]);

  // The error's quick fix: back to the rfmR preset, then "Use 5 bins".
  await choose("#segments", "rfmR");
  assert.equal(await page.getAttribute("#app", "data-status"), "error");
  const before = await runs();
  await page.click('#error-actions button[data-control="bins"]');
  await page.waitForFunction((r) => document.querySelector("#app").dataset.runs !== r, before);
  assert.equal(await page.getAttribute("#app", "data-status"), "ready");
  assert.equal(await page.inputValue("#bins"), "5");
  assert.equal((await segmentCounts()).length, 11);
});

test("binning method and sample size re-run RFM", async () => {
  await choose("#binning", "equalCount");
  assert.equal(await page.getAttribute("#app", "data-status"), "ready");
  assert.equal(sum((await segmentCounts()).map((s) => s.customers)), 1000);

  await choose("#binning", "rfmR");
  assert.equal(await page.getAttribute("#app", "data-status"), "ready");

  await choose("#size", "10000");
  assert.equal(await page.getAttribute("#app", "data-status"), "ready");
  assert.equal(sum((await segmentCounts()).map((s) => s.customers)), 10000);
  assert.equal(sum(await heatCells()), 10000);
  assert.match(await page.textContent("#customers-note"), /^First 200 of 10,000$/);

  await choose("#size", "1000");
  await choose("#binning", "quantile");
});

test("no request leaves the page's own origin; no console errors", () => {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length >= 3, "the page, its script and its .wasm were requested");
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the .wasm came from the page's server");
  const foreign = requests.filter((u) => !u.startsWith("data:") && new URL(u).origin !== origin);
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
});

test("the UI never writes HTML strings; both languages define the same strings", async () => {
  const sources = ["www/main.js", ...readdirSync(join(root, "www/src")).map((f) => `www/src/${f}`)];
  for (const f of sources) {
    const src = readFileSync(join(root, f), "utf8");
    assert.doesNotMatch(src, /\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|createContextualFragment/, f);
  }
  const { _strings } = await import("../../www/src/i18n.js");
  assert.deepEqual(Object.keys(_strings.zh).sort(), Object.keys(_strings.en).sort());
});
