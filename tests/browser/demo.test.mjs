// The demo page (www/) in headless Chromium: builds it with Vite (into a temporary folder,
// so a running `npm run demo` is left alone), serves it from this process on a random
// localhost port, and drives it with playwright-core, as a CRM analyst would.
//
//   node --test tests/browser/demo.test.mjs
//
// Needs pkg/ (node scripts/build.mjs), node_modules (bash scripts/setup.sh) and Debian's
// chromium (bash scripts/setup.sh --browser). CRMSCORE_DEMO_DIST=www/dist serves an
// existing build instead of building; CHROMIUM overrides /usr/bin/chromium.
// Screenshots of the main views go to test-output/demo-*.png; the slider → repaint timing
// at 100k customers is printed (and written to test-output/demo-perf.json).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as lib from "crmscore";
import { generateCrm } from "crmscore/sample";
import { CHROMIUM_PATH as chromiumPath, launchChromium } from "../../scripts/chromium.mjs";
import { startServer } from "../../www/server.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const outDir = join(root, "test-output");
const fixtures = join(root, "tests/browser/fixtures");

let tempDist = null;
let server = null;
let browser = null;
let page = null;
const requests = [];
const problems = []; // console errors and uncaught page errors
const dialogs = [];

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
  mkdirSync(outDir, { recursive: true });

  server = await startServer({ dir: dist, port: 0 });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", acceptDownloads: true });
  page = await context.newPage();
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(server.url + "?lang=en");
  await page.waitForSelector(`#app:not([data-status="loading"])`, { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tempDist) rmSync(tempDist, { recursive: true, force: true });
});

// ---- helpers ----
const runs = () => page.getAttribute("#app", "data-runs");
async function afterRun(action) {
  const before = await runs();
  await action();
  await page.waitForFunction((r) => document.querySelector("#app").dataset.runs !== r, before, { timeout: 120_000 });
}
/** Load the sample of `size` customers and wait for every stage (tiers, classes, CLV). */
async function loadSample(size) {
  await page.selectOption("#sample-size", String(size));
  await afterRun(() => page.click("#sample-load"));
  await page.waitForSelector('#app[data-classified="true"][data-pipeline="done"]', { timeout: 180_000 });
}
/** Click a table row and wait until the explanation shows customer `id`. */
async function openRow(id, nth = 0) {
  await page.click(`.vt-row >> nth=${nth}`);
  await page.waitForSelector(`#explain[data-customer="${id}"]:not([hidden])`);
}
const tierCounts = () => page.$$eval("#tier-counts li", (li) => li.map((x) => Number(x.dataset.count)));
const pageModel = () => page.evaluate(() => window.crmscoreDemo.model());
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** Tier counts crmscore computes for the same customers and model, from the raw order records. */
const sampleRecords = new Map();
/** The page's sample as plain records (what a user would hand to score()). */
function sampleData(size) {
  const c = generateCrm({ customers: size, seed: 42 });
  const ids = c.customerIds;
  const ms = (d) => d * 864e5;
  const nul = (x) => (Number.isNaN(x) ? null : x);
  const STATUS = ["completed", "returned", "cancelled", "refused"];
  const TYPE = ["visit", "email", "call", "meeting", "complaint", "feedback", "training", "referral", "quote", "other"];
  const PAY = ["paid", "late", "failed", "chargeback"];
  const rows = (t, f) => Array.from(t.customer, (_, i) => f(i));
  return {
    customers: ids.map((customerId, i) => (c.createdAt[i] === -2147483648 ? { customerId } : { customerId, createdAt: ms(c.createdAt[i]) })),
    orders: rows(c.orders, (i) => ({ customerId: ids[c.orders.customer[i]], date: ms(c.orders.date[i]), amount: c.orders.amount[i], status: STATUS[c.orders.status[i]], discount: nul(c.orders.discount[i]) })),
    interactions: rows(c.interactions, (i) => ({ customerId: ids[c.interactions.customer[i]], date: ms(c.interactions.date[i]), type: TYPE[c.interactions.type[i]], value: nul(c.interactions.value[i]) })),
    returns: rows(c.returns, (i) => ({ customerId: ids[c.returns.customer[i]], date: ms(c.returns.date[i]), amount: c.returns.amount[i] })),
    payments: rows(c.payments, (i) => ({ customerId: ids[c.payments.customer[i]], date: ms(c.payments.date[i]), amount: c.payments.amount[i], status: PAY[c.payments.status[i]], daysLate: nul(c.payments.daysLate[i]) })),
  };
}
function libraryCounts(size, model, asOf) {
  if (!sampleRecords.has(size)) sampleRecords.set(size, sampleData(size));
  return lib.score(sampleRecords.get(size), model, { asOf }).tiers.map((t) => t.customers);
}
async function setSlider(k, value) {
  await afterRun(() => page.fill(`#w-${k}`, String(value)));
}
async function download(selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") };
}
const shot = (name, opts = {}) => page.screenshot({ path: join(outDir, `demo-${name}.png`), fullPage: true, ...opts });

// ---- tests (in order: they share one page) ----

test("the sample loads on the first visit: every customer scored, tiered, segmented, classified", async () => {
  assert.match(await page.textContent("#privacy"), /never uploaded/);
  // No click: the 10k sample loads by itself (?empty would keep the page empty); every stage
  // (tiers, classes, CLV) finishes in the engine's worker.
  await page.waitForSelector('#app[data-classified="true"][data-pipeline="done"]', { timeout: 180_000 });
  const run = await page.evaluate(() => window.crmscoreDemo.run());
  assert.deepEqual(Object.keys(run.timings).sort(), ["classify", "clv", "generate", "prepare", "score"], "every stage ran and was timed");
  const progress = await page.evaluate(() => window.crmscoreDemo.progress);
  assert.ok(progress.some((p) => p > 0 && p < 1) && progress.includes(1), "stage progress was shown");
  assert.equal(await page.evaluate(() => window.crmscoreDemo.customers), 10_000);
  const empty = await page.context().newPage();
  await empty.goto(server.url + "?lang=en&empty");
  await empty.waitForSelector('#app[data-status="idle"]', { timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await empty.evaluate(() => window.crmscoreDemo.customers), 0, "?empty keeps the empty start");
  await empty.close();
  assert.match(await page.textContent("#status-main"), /^10,000 customers · [\d,]+ orders · as of \d{4}-\d\d-\d\d$/);
  assert.match(await page.textContent("#sample-source"), /sampleOrders|generateCrm/);
  const counts = await tierCounts();
  assert.equal(counts.length, 4);
  assert.equal(sum(counts), 10_000);
  const life = await page.$$eval("#lifecycle-counts li", (li) => li.map((x) => Number(x.dataset.count)));
  assert.equal(sum(life), 10_000, "every customer has a lifecycle stage");
  assert.ok(Number(await page.getAttribute("#junk-count", "data-count")) >= 0);
  assert.equal(await page.getAttribute("#filter-count", "data-shown"), "10000");
  assert.ok((await page.$$(".vt-row:not([hidden])")).length >= 10, "the table shows rows");
  assert.ok((await page.$$(".vt-row")).length < 60, "virtualised: only the rows in view exist");
  // CLV: shown exactly when this crmscore build has it.
  assert.equal(await page.isHidden("#clv-card"), typeof lib.fitBgNbd !== "function");
  await shot("sample");
});

test("a weight change re-tiers to exactly the counts crmscore computes for the same model", async () => {
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  const model = await pageModel();
  assert.deepEqual(model, lib.scoringPreset("valueEngagement"), "starts from the valueEngagement preset");
  assert.deepEqual(await tierCounts(), libraryCounts(10_000, model, asOf), "before the change");

  await page.click("#snapshot");
  const before = await tierCounts();
  await setSlider(0, 50); // spend, last 365 days: 25 → 50 points
  const after = await tierCounts();
  assert.notDeepEqual(after, before, "the counts moved");
  const changed = structuredClone(model);
  changed.indicators[0].weight = 50;
  assert.deepEqual(await pageModel(), changed);
  assert.deepEqual(after, libraryCounts(10_000, changed, asOf), "= score() with the same model");

  // Transitions against the snapshot add up to the customers.
  const cells = await page.$$eval("#transitions td", (td) => td.map((x) => Number(x.textContent.replace(/[^\d]/g, "") || 0)));
  assert.equal(sum(cells), 10_000);
  const up = Number(await page.getAttribute("#transitions-summary", "data-up"));
  assert.ok(up > 0, "a higher weight on spend upgrades someone");
  assert.match(await page.textContent("#transitions-summary"), /^Snapshot of .* \(kept in this browser\)\. Since the snapshot: [\d,]+ upgraded/);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("crmscore-demo-snapshot")));
  assert.deepEqual(stored.labels, ["A", "B", "C", "D"], "the snapshot is kept in this browser for the next visit");
  assert.match(await page.textContent("#perf"), /Last re-score: [\d.]+ ms/);
  await shot("model", { fullPage: false, clip: { x: 0, y: 0, width: 1280, height: 900 } });
  await page.evaluate(() => document.querySelector("#model").scrollIntoView());
  await shot("model", { fullPage: false });
});

test("thresholds and indicators are editable; a model crmscore refuses changes nothing", async () => {
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  const before = await tierCounts();
  const setMin = (tier, value) =>
    afterRun(async () => {
      await page.fill(`#thresholds input[data-tier="${tier}"]`, String(value));
      await page.press(`#thresholds input[data-tier="${tier}"]`, "Enter");
    });
  // B above A: the library refuses (tiers must descend), and says where.
  await setMin(1, 90);
  assert.equal(await page.isVisible("#model-error"), true);
  assert.match(await page.textContent("#model-error"), /^Model not applied: .*tiers\[1\]/);
  assert.equal(await page.getAttribute('#thresholds input[data-tier="1"]', "aria-invalid"), "true");
  assert.deepEqual(await tierCounts(), before, "nothing changed");

  await setMin(0, 60);
  assert.equal(await page.isHidden("#model-error"), true);
  let model = await pageModel();
  assert.deepEqual(model.tiers.map((t) => t.min), [60, 50, 30, null]);
  assert.deepEqual(await tierCounts(), libraryCounts(10_000, model, asOf));

  // Add an indicator from the available fields, then remove another one.
  await page.selectOption("#add-field", "tenureDays");
  await afterRun(() => page.click("#add-indicator"));
  model = await pageModel();
  assert.equal(model.indicators.at(-1).field, "tenureDays");
  assert.equal(await page.inputValue("#preset"), "custom");
  assert.deepEqual(await tierCounts(), libraryCounts(10_000, model, asOf));
  const n = model.indicators.length;
  await afterRun(() => page.click('#weights button[data-remove="4"]')); // interactions, last 90 days
  model = await pageModel();
  assert.equal(model.indicators.length, n - 1);
  assert.ok(!model.indicators.some((k) => k.field === "interactionsLast90Days"));
  assert.deepEqual(await tierCounts(), libraryCounts(10_000, model, asOf));
});

test("the model exports as JSON and imports back", async () => {
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  const { name, text } = await download("#model-export");
  assert.equal(name, "crmscore-model.json");
  const exported = JSON.parse(text);
  assert.deepEqual(exported, await pageModel());

  const imported = lib.scoringPreset("valueEngagement");
  imported.indicators[1].weight = 40;
  imported.tiers[0].min = 65;
  const file = join(mkdtempSync(join(tmpdir(), "crmscore-model-")), "model.json");
  writeFileSync(file, JSON.stringify(imported));
  await afterRun(() => page.setInputFiles("#model-file", file));
  await page.waitForFunction(() => window.crmscoreDemo.model().tiers[0].min === 65);
  assert.deepEqual(await pageModel(), imported);
  assert.deepEqual(await tierCounts(), libraryCounts(10_000, imported, asOf));

  await afterRun(() => page.selectOption("#preset", "valueEngagement"));
  await page.waitForFunction(() => window.crmscoreDemo.model().tiers[0].min === 70);
});

test("the customer table sorts and filters; a row opens the explanation", async () => {
  await page.click('.vt-sort[data-key="score"]');
  const scores = await page.$$eval(".vt-row:not([hidden]) .vt-td:nth-child(3)", (td) => td.map((x) => Number(x.textContent.replace(/,/g, ""))));
  assert.ok(scores.length > 5);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "highest score first");

  const counts = await tierCounts();
  await page.selectOption("#filter-tier", "0");
  await page.waitForFunction((n) => document.querySelector("#filter-count").dataset.shown === String(n), counts[0]);
  const tiers = await page.$$eval(".vt-row:not([hidden]) .vt-td:nth-child(4)", (td) => td.map((x) => x.textContent));
  assert.ok(tiers.every((x) => x === "A"));
  await page.selectOption("#filter-tier", "");

  const firstId = await page.textContent(".vt-row:not([hidden]) .vt-td.id");
  await openRow(firstId);
  const points = await page.$$eval("#explain-contributions tbody td:nth-child(4)", (td) => td.map((x) => Number(x.textContent)));
  const total = Number((await page.textContent("#explain-contributions tfoot td:nth-child(4)")).replace(/,/g, ""));
  assert.ok(Math.abs(sum(points) - total) < 0.05, "contributions add up to the score");
  assert.match(await page.textContent("#explain-summary"), /^Score [\d.]+ → tier [A-D]/);
  assert.equal((await page.$$("#explain-rfm dt")).length, 5);
  assert.equal((await page.$$("#explain-classes dt")).length, 6);
  assert.ok((await page.$$("#explain-flags li")).length >= 1);
  await page.evaluate(() => document.querySelector("#customers").scrollIntoView());
  await shot("table-explain", { fullPage: false });
  await page.click('.vt-sort[data-key="score"]'); // back to ascending…
  await page.click("#explain-close");
});

test("the language toggle switches every view to Chinese and back", async () => {
  await page.click("#lang-zh");
  assert.equal(await page.textContent("#heading"), "在浏览器中为客户评分与分类");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.match(await page.textContent("#status-main"), /^10,000 位客户 · [\d,]+ 笔订单 · 分析日期/);
  assert.equal(await page.textContent('.vt-sort[data-key="tier"]'), "等级");
  assert.match(await page.textContent("#tier-counts li"), /位客户/);
  assert.match(await page.textContent("#privacy"), /文件不会被上传/);
  assert.equal(await page.title(), "crmscore — 在浏览器中为客户评分与分类");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot("zh");
  await page.click("#lang-en");
  assert.equal(await page.textContent("#heading"), "Score and classify your customers, in your browser");
});

test("a CSV with one bad row: the error names the file, row and column", async () => {
  await page.setInputFiles("#file-input", join(fixtures, "orders_bad.csv"));
  await page.waitForSelector("#sources:not([hidden]) .source");
  assert.equal(await page.inputValue(".source select.kind"), "orders");
  const mapped = await page.$$eval(".source .mapping select", (s) => Object.fromEntries(s.map((x) => [x.dataset.field, x.value])));
  assert.deepEqual(mapped, { customerId: "1", date: "2", amount: "3", status: "4", discount: "-1", name: "-1" });
  assert.equal(await page.$$eval(".source table.preview tbody tr", (r) => r.length), 5);
  await page.click("#files-load");
  await page.waitForSelector("#load-error:not([hidden])");
  assert.equal(await page.textContent("#load-error-message"), "orders_bad.csv, row 5, column “amount”: “12.5x” is not a number.");
  assert.equal(await page.textContent("table.preview td.bad"), "12.5x", "the bad cell is marked in the preview");
  assert.equal(await page.getAttribute("#app", "data-customers"), "10000", "the data in use stays");
  await page.evaluate(() => document.querySelector(".source").scrollIntoView());
  await shot("bad-row", { fullPage: false });
  await page.click("#files-clear");
});

test("names in any script render as text: <img onerror> is a name, not an element", async () => {
  await page.setInputFiles("#file-input", [join(fixtures, "orders_small.csv"), join(fixtures, "customers.json"), join(fixtures, "interactions.csv")]);
  await page.waitForFunction(() => document.querySelectorAll(".source").length === 3);
  assert.deepEqual(await page.$$eval(".source select.kind", (s) => s.map((x) => x.value)), ["orders", "customers", "interactions"]);
  const zh = await page.$$eval('.source[data-src] .mapping select', (s) => s.filter((x) => x.closest(".source").querySelector("strong").textContent === "interactions.csv").map((x) => [x.dataset.field, x.value]));
  assert.deepEqual(Object.fromEntries(zh), { customerId: "0", date: "1", type: "2", value: "3" }, "Chinese headers recognised");
  await afterRun(() => page.click("#files-load"));
  await page.waitForSelector('#app[data-classified="true"]');
  assert.equal(await page.getAttribute("#app", "data-customers"), "11", "10 buyers + 1 listed prospect");
  assert.match(await page.textContent("#status-detail"), /orders_small\.csv, customers\.json, interactions\.csv/);

  await page.fill("#filter-text", "onerror");
  await page.waitForFunction(() => document.querySelector("#filter-count").dataset.shown === "1");
  assert.equal(await page.textContent(".vt-row:not([hidden]) .vt-td.name"), "<img src=x onerror=alert(1)>");
  assert.equal(await page.evaluate(() => document.querySelectorAll("img").length), 0, "no element was made from the name");
  await openRow("K003");
  assert.match(await page.textContent("#explain-heading"), /<img src=x onerror=alert\(1\)>$/);

  await page.fill("#filter-text", "");
  await page.waitForFunction(() => document.querySelector("#filter-count").dataset.shown === "11");
  const names = await page.$$eval(".vt-row:not([hidden]) .vt-td.name", (td) => td.map((x) => x.textContent));
  for (const n of ["张伟", "محمد علي", "山田 太郎", "Zoë O'Brien", "Ελένη Παπαδοπούλου", "김민준", 'Smith, John "Johnny"', "Prospect Only"]) {
    assert.ok(names.includes(n), `${n} shown as given`);
  }
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, [], "no dialog opened");
  await page.evaluate(() => document.querySelector("#customers").scrollIntoView());
  await shot("scripts", { fullPage: false });

  // K002: three complaints (interactions.csv) and an invalid email (customers.json) → flagged.
  await page.fill("#filter-text", "K002");
  await page.waitForFunction(() => document.querySelector("#filter-count").dataset.shown === "1");
  await openRow("K002");
  const codes = await page.$$eval("#explain-flags li", (li) => li.map((x) => x.dataset.code));
  for (const c of ["repeated_complaints", "invalid_email", "duplicate_contact"]) assert.ok(codes.includes(c), `${c} in ${codes}`);
  await page.fill("#filter-text", "");
  await page.waitForFunction(() => document.querySelector("#filter-count").dataset.shown === "11");
});

test("the exported CSV neutralises =HYPERLINK(...) and keeps every name intact", async () => {
  const { name, text } = await download("#export-csv");
  assert.equal(name, "crmscore-customers.csv");
  assert.ok(text.startsWith("\uFEFF"), "BOM for Excel");
  const lines = text.slice(1).split("\r\n").filter(Boolean);
  assert.equal(lines.length, 12, "header + 11 customers");
  assert.match(lines[0], /^"customer_id","name","score","tier",/);
  const k4 = lines.find((l) => l.startsWith('"K004"'));
  assert.ok(k4.includes(`"'=HYPERLINK(""http://example.invalid/x"",""click"")"`), k4);
  const k10 = lines.find((l) => l.startsWith('"K010"'));
  assert.ok(k10.includes(`"'@admin"`), k10);
  assert.ok(lines.some((l) => l.startsWith('"K001","张伟",')));
  assert.ok(lines.some((l) => l.startsWith('"K003","<img src=x onerror=alert(1)>",')));
  assert.ok(!lines.some((l) => /(^|,)"?[=+@]/.test(l)), "no cell starts with a formula character");
});

test("drag and drop adds a file, like the picker", async () => {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["customer,date,amount\nD1,2025-01-01,5\n"], "dropped.csv", { type: "text/csv" }));
    document.querySelector("#dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => [...document.querySelectorAll(".source strong")].some((s) => s.textContent === "dropped.csv"));
  assert.equal(await page.inputValue(".source select.kind"), "orders");
  await page.click("#files-clear");
  assert.equal(await page.isHidden("#sources"), true);
});

test("a 20k-customer orders CSV (~140k rows): progress shown, tiers = crmscore on the same orders", async () => {
  const orders = lib.sampleOrders({ customers: 20_000, seed: 42 });
  const file = join(mkdtempSync(join(tmpdir(), "crmscore-orders-")), "orders_20k.csv");
  writeFileSync(file, "customer_id,order_date,amount\n" + orders.map((o) => `${o.customerId},${o.date},${o.amount}`).join("\n") + "\n");
  await page.evaluate(() => (window.crmscoreDemo.progress.length = 0));
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector("#sources:not([hidden]) .source");
  await afterRun(() => page.click("#files-load"));
  await page.waitForSelector('#app[data-classified="true"]');
  assert.equal(await page.getAttribute("#app", "data-customers"), "20000");
  const progress = await page.evaluate(() => window.crmscoreDemo.progress);
  assert.ok(progress.some((p) => p > 0 && p < 1), `parsing progress between 0 and 1 was shown: ${progress}`);
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  const model = await pageModel();
  assert.deepEqual(await tierCounts(), lib.score({ orders }, model, { asOf }).tiers.map((t) => t.customers));
  await page.click("#files-clear");
});

test("100k customers: slider input → repainted chart, timed and printed", async () => {
  await loadSample(100_000);
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  const model = await pageModel();
  assert.deepEqual(await tierCounts(), libraryCounts(100_000, model, asOf));

  // 5 warm-up moves, then 30 measured ones, each one awaited (the re-tiering runs in the
  // engine's worker: the page records the move once the new tiers are drawn). The page records,
  // per move: input event → chart updated (the worker's answer drawn) and input event → the
  // next requestAnimationFrame callback.
  const perf = await page.evaluate(async () => {
    const input = document.querySelector("#w-0");
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const move = async (value) => {
      const before = window.crmscoreDemo.perf.length;
      input.value = String(value);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      while (window.crmscoreDemo.perf.length === before) await frame();
    };
    for (let k = 0; k < 5; k++) await move(40 + k);
    const from = window.crmscoreDemo.perf.length;
    for (let k = 0; k < 30; k++) await move(5 + ((k * 7) % 90));
    return window.crmscoreDemo.perf.slice(from);
  });
  assert.equal(perf.length, 30);
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const upd = perf.map((p) => p.inputToUpdated), frm = perf.map((p) => p.inputToFrame);
  const report = {
    customers: 100_000,
    inputToChartUpdatedMs: { median: q(upd, 0.5), p90: q(upd, 0.9), max: Math.max(...upd) },
    inputToNextFrameMs: { median: q(frm, 0.5), p90: q(frm, 0.9), max: Math.max(...frm) },
  };
  writeFileSync(join(outDir, "demo-perf.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(
    `# slider → repaint at 100k customers (30 moves): setWeights + tier counts + chart + table ` +
      `median ${report.inputToChartUpdatedMs.median.toFixed(1)} ms (p90 ${report.inputToChartUpdatedMs.p90.toFixed(1)}); ` +
      `input → next animation frame median ${report.inputToNextFrameMs.median.toFixed(1)} ms (p90 ${report.inputToNextFrameMs.p90.toFixed(1)})`,
  );
  // Printed, not asserted (no timed assertions in tests); every move was measured.
  assert.ok(upd.every((x) => Number.isFinite(x) && x >= 0), JSON.stringify(report));
  const last = await pageModel();
  assert.deepEqual(await tierCounts(), libraryCounts(100_000, last, asOf), "the last move's counts = score()");

  // A burst of moves (a dragged slider): while one re-tiering is in flight only the latest
  // weights wait, so 12 moves give 2 re-tierings, and the counts are the last move's.
  const burst = await page.evaluate(async () => {
    const input = document.querySelector("#w-0");
    const before = window.crmscoreDemo.perf.length;
    for (let k = 0; k < 12; k++) {
      input.value = String(60 + k);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    while (window.crmscoreDemo.model().indicators[0].weight !== 71 || window.crmscoreDemo.perf.length < before + 2) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300)); // nothing else arrives
    return window.crmscoreDemo.perf.length - before;
  });
  assert.equal(burst, 2, "12 moves in one go → the first and the latest re-tiered, the 10 between dropped");
  const burstModel = await pageModel();
  assert.equal(burstModel.indicators[0].weight, 71);
  assert.deepEqual(await tierCounts(), libraryCounts(100_000, burstModel, asOf), "the burst's counts = score() with the last weights");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot("100k");
});

test("no request leaves the page's own origin; the page's counter agrees; no console errors", async () => {
  const origin = new URL(server.url).origin;
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the .wasm came from the page's server");
  const foreign = requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
  assert.deepEqual(foreign, []);
  const counted = await page.evaluate(() => window.crmscoreDemo.requests);
  assert.deepEqual(counted, [], "no request after load, by the page's own count");
  assert.equal(await page.getAttribute("#net-status", "data-requests"), "0");
  assert.deepEqual(problems, []);
});

test("another sample while one is in flight: the old stages are aborted, their results never show", async () => {
  await page.selectOption("#sample-size", "100000");
  await page.click("#sample-load");
  // Catch the 100k run while the engine's worker classifies it (an engine call in flight).
  await page.waitForFunction(() => window.crmscoreDemo.run()?.stage === "classify", null, { timeout: 120_000, polling: "raf" });
  const first = await page.evaluate(() => window.crmscoreDemo.run().id);
  await page.selectOption("#sample-size", "1000");
  await page.click("#sample-load");
  await page.waitForSelector('#app[data-pipeline="done"]', { timeout: 120_000 });
  const second = await page.evaluate(() => window.crmscoreDemo.run());
  assert.ok(second.id > first && second.finished);
  assert.equal(await page.evaluate(() => window.crmscoreDemo.customers), 1_000);
  await page.waitForTimeout(1_500); // time for anything of the old run still arriving
  assert.equal(await page.evaluate(() => window.crmscoreDemo.customers), 1_000, "the 100k results never replaced the 1k ones");
  assert.equal(sum(await tierCounts()), 1_000);
  const life = await page.$$eval("#lifecycle-counts li", (li) => li.map((x) => Number(x.dataset.count)));
  assert.equal(sum(life), 1_000);
  assert.equal(await page.getAttribute("#filter-count", "data-shown"), "1000");
  const done = await page.evaluate((id) => performance.getEntriesByName("demo:done").filter((m) => m.detail === id).length, first);
  assert.equal(done, 0, "the aborted run never finished");
  assert.equal(await page.isHidden("#load-error"), true, "an aborted run shows no error");
  // The new data set's Scorer works (the engine's worker was restarted by the abort).
  const asOf = await page.evaluate(() => window.crmscoreDemo.asOf());
  await setSlider(0, 33);
  assert.deepEqual(await tierCounts(), libraryCounts(1_000, await pageModel(), asOf));

  // Cut short while the sample is still being generated (1M takes seconds in the data worker,
  // which is ended and replaced): the next sample loads.
  await page.selectOption("#sample-size", "1000000");
  await page.click("#sample-load");
  await page.waitForFunction(() => window.crmscoreDemo.run()?.stage === "generate", null, { polling: "raf" });
  const generating = await page.evaluate(() => window.crmscoreDemo.run().id);
  await page.selectOption("#sample-size", "10000");
  await page.click("#sample-load");
  await page.waitForSelector('#app[data-pipeline="done"]', { timeout: 120_000 });
  assert.ok((await page.evaluate(() => window.crmscoreDemo.run().id)) > generating);
  assert.equal(await page.evaluate(() => window.crmscoreDemo.customers), 10_000);
  assert.equal(sum(await tierCounts()), 10_000);
  assert.equal(await page.isHidden("#load-error"), true);
  assert.deepEqual(problems, []);
});

test("dropping (choosing) files while a load is in flight cancels it; the files then load", async () => {
  await page.selectOption("#sample-size", "100000");
  await page.click("#sample-load");
  await page.waitForFunction(() => window.crmscoreDemo.run()?.stage === "classify", null, { timeout: 120_000, polling: "raf" });
  const first = await page.evaluate(() => window.crmscoreDemo.run().id);
  await page.setInputFiles("#file-input", [join(fixtures, "orders_small.csv"), join(fixtures, "customers.json")]);
  await page.waitForSelector('#app[data-pipeline="cancelled"]', { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.crmscoreDemo.run()), null, "no run in flight");
  await page.waitForTimeout(1_500); // time for anything of the cancelled run still arriving
  const done = await page.evaluate((id) => performance.getEntriesByName("demo:done").filter((m) => m.detail === id).length, first);
  assert.equal(done, 0, "the cancelled run never finished");
  assert.equal(await page.isHidden("#load-error"), true, "a cancelled run shows no error");
  assert.equal(await page.isHidden("#results"), true, "its partial views are gone");
  // The dropped files load and score on the restarted engine.
  await page.click("#files-load");
  await page.waitForSelector('#app[data-pipeline="done"]', { timeout: 120_000 });
  const n = await page.evaluate(() => window.crmscoreDemo.customers);
  assert.ok(n > 0 && n < 100_000, `the files' customers (${n})`);
  assert.equal(sum(await tierCounts()), n);
  await page.click("#files-clear");
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

// ---- 1M customers: the page's thread while every stage runs (measured, printed) ----

/** Per stage: the longest main-thread block, the total blocked time (Σ longtask − 50 ms) and
 *  the wall time between the stage's marks; a long task counts for the stage it overlaps most. */
function longTaskReport(marks, tasks, stages) {
  const windows = [];
  for (const st of stages) {
    const start = marks.find((m) => m.name === `demo:${st}:start`);
    const end = marks.findLast((m) => m.name === `demo:${st}:end`);
    if (start && end) windows.push({ stage: st, start: start.startTime, end: end.startTime });
  }
  const rows = Object.fromEntries(windows.map((w) => [w.stage, { wallMs: w.end - w.start, longest: 0, blocked: 0, tasks: 0 }]));
  rows.other = { wallMs: null, longest: 0, blocked: 0, tasks: 0 };
  for (const t of tasks) {
    let best = "other", overlap = 0;
    for (const w of windows) {
      const o = Math.min(t.startTime + t.duration, w.end) - Math.max(t.startTime, w.start);
      if (o > overlap) (overlap = o), (best = w.stage);
    }
    const r = rows[best];
    r.tasks++;
    r.longest = Math.max(r.longest, t.duration);
    r.blocked += Math.max(0, t.duration - 50);
  }
  return rows;
}

/** Load `?sample=<size>` in a fresh page with a longtask observer installed before any page
 *  script; wait until tiers, classes and CLV are done; check the views; print the long tasks
 *  per stage (test-output/demo-longtasks-<size>.json). */
async function measureSample(size) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  const big = await context.newPage();
  const errors = [];
  big.on("pageerror", (e) => errors.push(e.message));
  big.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // Installed before any page script runs: every long task of the page's thread is kept.
  await big.addInitScript(() => {
    window.__longTasks = [];
    window.__longTaskSupported = PerformanceObserver.supportedEntryTypes.includes("longtask");
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  try {
    const t0 = Date.now();
    await big.goto(server.url + `?lang=en&sample=${size}`);
    await big.waitForSelector('#app[data-pipeline="done"], #app[data-pipeline="failed"]', { timeout: 280_000 });
    const wall = Date.now() - t0;
    assert.equal(await big.getAttribute("#app", "data-pipeline"), "done", await big.textContent("#load-error-message"));
    assert.deepEqual(errors, []);
    assert.equal(await big.evaluate(() => window.crmscoreDemo.customers), size);
    assert.match(await big.textContent("#status-main"), new RegExp(`^${size.toLocaleString("en-US")} customers · [\\d,]+ orders · as of \\d{4}-\\d\\d-\\d\\d$`));
    const tiers = await big.$$eval("#tier-counts li", (li) => li.map((x) => Number(x.dataset.count)));
    assert.equal(tiers.length, 4);
    assert.equal(sum(tiers), size);
    assert.ok(tiers.filter((x) => x > 0).length >= 2, `customers in more than one tier: ${tiers}`);
    const segments = await big.evaluate(() => window.crmscoreDemo.segmentCounts());
    assert.ok(segments.filter((x) => x > 0).length >= 3 && sum(segments) <= size && sum(segments) > size / 2, `segments: ${segments}`);
    const life = await big.$$eval("#lifecycle-counts li", (li) => li.map((x) => Number(x.dataset.count)));
    assert.equal(sum(life), size, "every customer has a lifecycle stage");
    assert.equal(await big.getAttribute("#filter-count", "data-shown"), String(size));
    assert.ok((await big.$$(".vt-row:not([hidden])")).length >= 10, "the table shows rows");
    if (typeof lib.fitBgNbd === "function") assert.equal(await big.isHidden("#clv-card"), false, "CLV shown");
    // A row's explanation: the Scorer's and the Classifier's explain(i), from the worker.
    const id = await big.textContent(".vt-row:not([hidden]) .vt-td.id");
    await big.click(".vt-row >> nth=0");
    await big.waitForSelector(`#explain[data-customer="${id}"]:not([hidden])`, { timeout: 30_000 });
    assert.equal((await big.$$("#explain-classes dt")).length, 6);

    const { marks, tasks, supported, run } = await big.evaluate(() => ({
      marks: performance.getEntriesByType("mark").filter((m) => m.name.startsWith("demo:")).map((m) => ({ name: m.name, startTime: m.startTime })),
      tasks: window.__longTasks,
      supported: window.__longTaskSupported,
      run: window.crmscoreDemo.run(),
    }));
    assert.ok(supported, "this Chromium reports long tasks");
    const stages = ["generate", "prepare", "score", "classify", "clv"];
    for (const st of stages) assert.ok(marks.some((m) => m.name === `demo:${st}:end`), `stage ${st} marked`);
    const report = longTaskReport(marks, tasks, stages);
    const first = marks.find((m) => m.name === "demo:generate:start").startTime;
    const doneAt = marks.find((m) => m.name === "demo:done").startTime;
    const whole = tasks.filter((t) => t.startTime + t.duration > first && t.startTime < doneAt);
    report.all = {
      wallMs: doneAt - first,
      longest: Math.max(0, ...whole.map((t) => t.duration)),
      blocked: whole.reduce((a, t) => a + Math.max(0, t.duration - 50), 0),
      tasks: whole.length,
    };
    const f = (x) => (x === null ? "—" : x.toFixed(0));
    const timings = JSON.stringify(Object.fromEntries(Object.entries(run.timings).map(([k, v]) => [k, Math.round(v)])));
    console.log(`# ${size.toLocaleString("en-US")} customers (?sample=${size}; page load → done ${wall} ms; stage timings ${timings}): main-thread long tasks per stage`);
    console.log("# stage      wall ms  longest block ms  total blocked ms (Σ duration − 50)  long tasks");
    for (const [st, r] of Object.entries(report)) {
      console.log(`# ${st.padEnd(10)} ${f(r.wallMs).padStart(7)}  ${f(r.longest).padStart(16)}  ${f(r.blocked).padStart(34)}  ${String(r.tasks).padStart(10)}`);
    }
    console.log("# (other = outside every stage's marks: start-up, before the first stage)");
    writeFileSync(join(outDir, `demo-longtasks-${size}.json`), JSON.stringify({ customers: size, report, tasks, marks }, null, 2) + "\n");
  } finally {
    await context.close();
  }
}

test("10k customers: long tasks of the page's thread printed per stage", { timeout: 120_000 }, () => measureSample(10_000));

test("1M customers: every stage in workers; long tasks of the page's thread printed per stage", { timeout: 300_000 }, () => measureSample(1_000_000));
