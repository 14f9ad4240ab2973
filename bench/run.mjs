// npm run bench → scripts/bench.sh → node bench/run.mjs [suite …] [flags]
//
//   suite …            suites to run (files in bench/suites/; default: all)
//   --quick            only the sizes marked quick (the two smaller ones)
//   --env=node|browser run only in Node or only in headless Chromium (default: both)
//   --sizes=a,b        only these size ids (e.g. --sizes=100k/1M)
//   --impls=a,b        only these implementations (the baseline is always added)
//   --runs=N           minimum timed runs per row (default 5; fast rows run more, up to 50)
//   --no-write         do not write the results files: bench/RESULTS.md and bench/results.json
//                      for a full run, bench/RESULTS-partial.md and results-partial.json otherwise
//   --no-snapshot      use pkg/ in place (default: copy pkg/node and pkg/web to a temporary
//                      folder first, so a rebuild during the run cannot mix two builds)
//   --no-external      skip columns measured by other tools (a suite's `external` hook: the btyd
//                      suite's Python lifetimes column)
//
// Every row runs in isolation: a fresh Node process (node-child.mjs) or a fresh Chromium
// browser context (page.html → browser.mjs), so no row inherits another's heap.
// A suite may also export `external(ctx)` (run here, in Node, once per suite before its rows:
// figures of another tool on the same data, e.g. Python lifetimes) and `overview(rows, sizes,
// external)` (Markdown lines across environments); see bench/README.md.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, readdirSync, writeFileSync, existsSync, statSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { dirname, join, resolve, extname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { loadSuite, stats } from "./core.mjs";
import { memStatus, resetPeak, procTicks, otherLoad } from "./proc.mjs";
import { CHROMIUM_PATH as CHROMIUM, launchChromium } from "../scripts/chromium.mjs";
import { buildPeers } from "./peers/build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const MB = 1024 * 1024;
const BUSY = 0.5; // other processes' average cores above which a row is re-run once
const t00 = performance.now();

// ------------------------------------------------------------------ arguments

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : null;
};
const known = ["quick", "no-write", "no-snapshot", "no-external", "env", "sizes", "impls", "runs"];
for (const a of args.filter((x) => x.startsWith("--"))) {
  if (!known.includes(a.slice(2).split("=")[0])) throw new Error(`unknown flag ${a} (see the top of bench/run.mjs)`);
}
const quick = flag("quick");
const envs = (opt("env") || "node,browser").split(",").map((e) => (e === "chromium" ? "browser" : e));
if (envs.some((e) => e !== "node" && e !== "browser")) throw new Error(`--env takes node, browser (or chromium), got ${opt("env")}`);
const sizeFilter = opt("sizes")?.split(",");
const implFilter = opt("impls")?.split(",");
const minRuns = Math.max(5, +(opt("runs") || 5));
const suiteNames = args.filter((a) => !a.startsWith("--"));
if (!suiteNames.length) {
  suiteNames.push(...readdirSync(join(here, "suites")).filter((f) => f.endsWith(".mjs")).map((f) => f.slice(0, -4)).sort());
}
const timing = { runs: minRuns, maxRuns: 50, budgetMs: 1500, warmup: 1, maxWarmup: 10, warmupMs: 300, gcAboveMs: 50 };

const log = (...a) => console.error(`[bench ${((performance.now() - t00) / 1000).toFixed(0).padStart(4)}s]`, ...a);

// ------------------------------------------------------------------ machine

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || "unknown";
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = +execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {}
  let chromium = null;
  try {
    chromium = execFileSync(CHROMIUM, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    nproc,
    cpu: model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    chromium,
    loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

/** What is being measured: git commit, whether src/ has local changes, hashes of the built wasm. */
function buildId(pkgDir) {
  const git = (...a) => {
    try {
      return execFileSync("git", a, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const sha = (f) => (existsSync(f) ? createHash("sha256").update(readFileSync(f)).digest("hex").slice(0, 12) : null);
  return {
    commit: git("rev-parse", "--short", "HEAD"),
    srcDirty: !!git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock"),
    wasmWeb: sha(join(pkgDir, "web/crmscore_bg.wasm")),
    wasmNode: sha(join(pkgDir, "node/crmscore_bg.wasm")),
  };
}

const PKG_FILES = ["node/crmscore.mjs", "node/crmscore.js", "node/crmscore_bg.wasm", "node/package.json", "web/crmscore.js", "web/crmscore_bg.wasm"];

/** Waits until pkg/ is complete and has not changed for a few seconds (another build may be running). */
async function waitForPkg(pkgDir, timeoutS = 300) {
  const t0 = Date.now();
  let said = false;
  for (;;) {
    const files = PKG_FILES.map((f) => join(pkgDir, f));
    const complete = files.every((f) => existsSync(f));
    const newest = complete ? Math.max(...files.map((f) => statSync(f).mtimeMs)) : Infinity;
    if (complete && Date.now() - newest > 5000) return;
    if (Date.now() - t0 > timeoutS * 1000) throw new Error(`${pkgDir} is incomplete or keeps changing (missing: ${files.filter((f) => !existsSync(f)).join(", ") || "none"}); run \`node scripts/build.mjs\``);
    if (!said) log(`waiting for ${pkgDir} to be complete and stable (a build may be running) …`), (said = true);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Copies pkg/node and pkg/web to a temporary folder; returns its path. */
async function snapshotPkg() {
  const src = join(root, "pkg");
  for (let attempt = 0; ; attempt++) {
    await waitForPkg(src);
    const before = buildId(src);
    const dir = mkdtempSync(join(os.tmpdir(), "crmscore-bench-"));
    try {
      cpSync(join(src, "node"), join(dir, "node"), { recursive: true });
      cpSync(join(src, "web"), join(dir, "web"), { recursive: true });
      const copied = buildId(dir), after = buildId(src);
      const same = (x) => x.wasmWeb === before.wasmWeb && x.wasmNode === before.wasmNode;
      if (PKG_FILES.every((f) => existsSync(join(dir, f))) && same(copied) && same(after)) return dir;
    } catch (e) {
      log(`copying pkg/ failed (${e.code || e.message}); retrying`);
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt >= 5) throw new Error("pkg/ kept changing while being copied");
  }
}

function wasmSize(pkgDir) {
  const f = join(pkgDir, "web/crmscore_bg.wasm");
  const buf = readFileSync(f);
  return { file: "pkg/web/crmscore_bg.wasm", raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
}

// ------------------------------------------------------------------ Node rows

function nodeChild(argv) {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=8192", join(here, "node-child.mjs"), ...argv], {
      cwd: root,
      env: pkgDir !== join(root, "pkg") ? { ...process.env, CRMSCORE_BENCH_PKG: pkgDir } : process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", fail);
    p.on("close", (code) => {
      if (code !== 0) return fail(new Error(`node-child ${argv.slice(0, 4).join(" ")} exited with ${code} (its stderr is above)`));
      try {
        ok(JSON.parse(out.trim().split("\n").pop()));
      } catch (e) {
        fail(new Error(`node-child ${argv.join(" ")}: bad output ${out.slice(0, 200)}`));
      }
    });
  });
}

async function nodeRow(suite, size, impl) {
  const r = await nodeChild(["row", suite.name, size.id, impl.id, JSON.stringify(timing)]);
  return {
    env: "node",
    times: r.times,
    warmupCalls: r.warmupCalls,
    forcedGcs: r.forcedGcs,
    phases: r.phases,
    loadMs: r.loadMs,
    otherCores: r.otherCores,
    cpuPerWall: r.cpuPerWall,
    memory: {
      peakRssDelta: r.memory.peakRssDelta,
      held: r.memory.retained,
      heldWhat: "process.memoryUsage() heapUsed + external Δ",
      wasmMemory: r.memory.wasmMemory > r.memory.wasmMemoryAtStart ? r.memory.wasmMemory : null,
      wasmMemoryAtStart: r.memory.wasmMemoryAtStart,
    },
    fingerprint: r.fingerprint,
    probe: r.probe ?? null,
  };
}

// ------------------------------------------------------------------ browser rows

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

function startServer() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    // /pkg/… from the snapshot (or pkg/), /bench/… from the repo.
    const file = path.startsWith("/pkg/") ? resolve(pkgDir, "." + path.slice(4)) : resolve(root, "." + path);
    // DuckDB-wasm's worker script and .wasm are served as the package ships them (bench/peers).
    const allowed = [join(root, "bench") + sep, pkgDir + sep, join(root, "node_modules", "@duckdb", "duckdb-wasm", "dist") + sep].some((d) => file.startsWith(d));
    if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
      // Cross-origin isolation: precise performance.now() in the page.
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function startBrowser() {
  await buildPeers(); // bench/.peers/*.js: DuckDB-wasm + Arrow and Arquero bundled for the page
  const server = await startServer();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium(["--js-flags=--expose-gc --max-old-space-size=8192"]);

  const bcdp = await browser.newBrowserCDPSession();
  // crmscore's JS glue snippet (internal; used by breakdown rows of the object path).
  let gluePath = null;
  try {
    for (const d of readdirSync(join(pkgDir, "web", "snippets"))) {
      if (existsSync(join(pkgDir, "web", "snippets", d, "src", "wasm", "glue.js"))) gluePath = `/pkg/web/snippets/${d}/src/wasm/glue.js`;
    }
  } catch {}
  return { server, base, browser, bcdp, gluePath, version: browser.version() };
}

async function stopBrowser(b) {
  if (!b) return;
  await b.browser.close().catch(() => {});
  await new Promise((ok) => b.server.close(ok));
}

/** This page's renderer: the one of our browser's renderers that grows by a marker allocation. */
async function rendererPid(b, page) {
  const { processInfo } = await b.bcdp.send("SystemInfo.getProcessInfo");
  const pids = processInfo.filter((p) => p.type === "renderer").map((p) => p.id);
  const before = new Map(pids.map((p) => [p, memStatus(p)?.rss ?? 0]));
  await page.evaluate(() => window.__bench.marker(256 * 1024 * 1024));
  let best = null, grow = 0;
  for (const p of pids) {
    const g = (memStatus(p)?.rss ?? 0) - before.get(p);
    if (g > grow) (grow = g), (best = p);
  }
  await page.evaluate(() => window.__bench.marker(0));
  return grow > 128 * MB ? best : null;
}

async function browserRow(b, suite, size, impl) {
  const context = await b.browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${b.base}/bench/page.html`);
    await page.waitForFunction(() => window.__benchReady === true || null, null, { timeout: 30000 }).catch(() => {
      throw new Error(`bench page did not start: ${errors.join("; ") || "timeout"}`);
    });
    const isolated = await page.evaluate(() => self.crossOriginIsolated);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const heap = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "JSHeapUsedSize").value;

    const { loadMs } = await page.evaluate((a) => window.__bench.load(...a), [suite.name, size.id, impl.id, b.gluePath]);
    const pid = await rendererPid(b, page);
    await page.evaluate(() => window.__bench.gc());
    const heap0 = await heap();
    const canPeak = pid != null && resetPeak(pid);
    const st0 = pid != null ? memStatus(pid) : null;
    const cpu0 = pid != null ? procTicks(pid) : null;
    const others = pid != null ? otherLoad(pid) : () => null;
    const w0 = performance.now();
    const { times, phases, warmupCalls, forcedGcs } = await page.evaluate((o) => window.__bench.run(o), timing);
    const wall = performance.now() - w0;
    const otherCores = others();
    const cpu1 = pid != null ? procTicks(pid) : null;
    const st1 = pid != null ? memStatus(pid) : null;
    await page.evaluate(() => window.__bench.gc());
    const heap1 = await heap();
    const { fingerprint, wasmMemory, wasmMemoryAtStart } = await page.evaluate(() => window.__bench.finish());
    // Optional untimed step after the runs (impl.probe), with memory readings around it.
    let probe = null;
    if (impl.probe) {
      const settle = async () => {
        await page.evaluate(() => window.__bench.gc());
        await new Promise((r) => setTimeout(r, 100));
        await page.evaluate(() => window.__bench.gc());
      };
      const mem = async () => ({ jsHeap: await heap(), rss: pid != null ? memStatus(pid)?.rss ?? null : null, wasmMemory: await page.evaluate(() => window.__bench.wasmMemory()) });
      await settle();
      const before = await mem();
      const out = await page.evaluate(() => window.__bench.probe());
      await settle();
      probe = { ...out, before, after: await mem() };
    }
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    return {
      env: "chromium",
      times,
      warmupCalls,
      forcedGcs,
      phases,
      loadMs,
      otherCores,
      cpuPerWall: cpu0 != null ? ((cpu1 - cpu0) * 10) / wall : null,
      crossOriginIsolated: isolated,
      memory: {
        peakRssDelta: canPeak && st0 && st1 ? st1.hwm - st0.rss : null,
        held: heap1 - heap0,
        heldWhat: "JSHeapUsedSize Δ (CDP Performance.getMetrics)",
        // Only for rows that used crmscore (its memory grew past the size it had at start-up).
        wasmMemory: wasmMemory > wasmMemoryAtStart ? wasmMemory : null,
        wasmMemoryAtStart,
      },
      fingerprint,
      probe,
    };
  } finally {
    await context.close().catch(() => {});
  }
}

// ------------------------------------------------------------------ formatting

/** Cut points of a scores-only row against the baseline's: equal, or the largest relative gap. */
function compareCuts(baseJson, json) {
  if (!baseJson || !json) return { equal: null };
  if (baseJson === json) return { equal: true };
  const a = JSON.parse(baseJson), b = JSON.parse(json);
  let worst = 0, where = null;
  const metrics = [];
  for (const k of Object.keys(a)) {
    for (let i = 0; i < a[k].length; i++) {
      const x = a[k][i], y = b[k]?.[i];
      const rel = y == null ? Infinity : x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      if (rel > 0 && !metrics.includes(k)) metrics.push(k);
      if (rel > worst) (worst = rel), (where = { metric: k, index: i, baseline: x, peer: y ?? null });
    }
  }
  return { equal: false, maxRelativeGap: worst, where, metrics };
}

const ms = (x) => (x == null ? "–" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (x) => (x == null ? "–" : (x / MB).toFixed(x / MB >= 10 || x / MB <= -10 ? 0 : 1));
const ratio = (x) => (x == null ? "–" : x >= 10 ? x.toFixed(0) + "×" : x.toFixed(2) + "×");
const num = (n) => n.toLocaleString("en-US");

function table(headers, rows, align) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const sepr = headers.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [line(headers), line(sepr), ...rows.map(line)].join("\n");
}

/** labels: the suite's optional `table` export ({ size, ratio }); defaults are rfm's. */
function resultsTable(rows, labels) {
  return table(
    ["Env", `Size (${labels?.size ?? "customers / orders"})`, "Implementation", "median ms", "min–max ms", "warm-up + runs", labels?.ratio ?? "vs columnar", "peak RSS Δ MB", "held MB", "wasm mem MB", "other CPU", "agree"],
    rows.map((r) => r.error ? [r.env, r.size, r.label, `**error**: ${r.error.replace(/\|/g, "\\|")}`, "", "", "", "", "", "", "", ""] : [
      r.env,
      r.size,
      r.label,
      ms(r.stats.median),
      `${ms(r.stats.min)}–${ms(r.stats.max)}`,
      `${r.warmupCalls}+${r.times.length}`,
      r.breakdown ? `(${ratio(r.ratio)})` : ratio(r.ratio),
      mb(r.memory.peakRssDelta),
      mb(r.memory.held),
      r.memory.wasmMemory ? mb(r.memory.wasmMemory) : "–",
      r.otherCores == null ? "–" : r.otherCores.toFixed(2) + (r.retried != null ? "†" : ""),
      r.agree == null ? "" : r.agree === "ulp" ? `yes, but for ${num(r.ulpCustomers)} on a cut point 1 ulp apart` : r.agree ? "yes" : "**NO**",
    ]),
    [, , , "r", "r", "r", "r", "r", "r", "r", "r"],
  );
}

// ------------------------------------------------------------------ main

const meta = machine();
const snapshot = !flag("no-snapshot");
const pkgDir = snapshot ? await snapshotPkg() : join(root, "pkg");
if (!snapshot) await waitForPkg(pkgDir);
const wasm = wasmSize(pkgDir);
if (envs.includes("browser")) await buildPeers();
const downloads = downloadSizes();
meta.build = { ...buildId(pkgDir), snapshot };
if (snapshot) log(`measuring a snapshot of pkg/ (wasm sha256 web ${meta.build.wasmWeb}, node ${meta.build.wasmNode}) in ${pkgDir}`);
log(`suites: ${suiteNames.join(", ")}; envs: ${envs.join(", ")}; ${quick ? "quick" : "all sizes"}`);
console.log(`# crmscore benchmark${quick ? " (--quick)" : ""}\n`);
console.log(`${meta.date} · ${meta.nproc} cores · ${meta.cpu} · ${meta.memGiB} GiB · Node ${meta.node} · ${meta.chromium ?? "no chromium"}`);
console.log(`wasm: ${wasm.file} ${num(wasm.raw)} bytes raw, ${num(wasm.gzip)} bytes gzip -9\n`);

let browser = null;
const report = { meta, wasm, downloads, options: { quick, envs, timing }, suites: {} };
let mismatches = 0;
let errors = 0;
let retryBudgetMs = 90000; // re-runs of rows disturbed by other processes, at most this much in all
try {
  for (const name of suiteNames) {
    const suite = await loadSuite(name);
    const sizes = suite.sizes.filter((s) => (!quick || s.quick) && (!sizeFilter || sizeFilter.includes(s.id)));
    const baseline = suite.impls.find((i) => i.baseline);
    const impls = suite.impls.filter((i) => !implFilter || i.baseline || implFilter.includes(i.id));
    const rows = [];
    const verification = [];
    // Figures of another tool on the same data (e.g. Python lifetimes), measured first, here.
    let external = null;
    if (suite.external && !flag("no-external")) {
      log(`${suite.name}: external column …`);
      try {
        external = await suite.external({ sizes, quick, log, root });
      } catch (e) {
        external = { skipped: `failed: ${String(e.message || e).split("\n")[0]}` };
      }
      if (external?.skipped) log(`${suite.name}: external column skipped — ${external.skipped}`);
    }
    for (const env of envs) {
      if (env === "browser" && !browser) {
        browser = await startBrowser();
        meta.chromiumDriven = browser.version;
        log(`chromium ${browser.version} at ${browser.base}`);
      }
      for (const size of sizes) {
        const sizeLabel = size.label ?? `${num(size.customers)} / ${num(size.orders)}`;
        const envRows = [];
        for (const impl of impls.filter((i) => !i.envs || i.envs.includes(env))) {
          log(`${suite.name} ${env} ${size.id} ${impl.id} …`);
          let r;
          try {
            const once = () => (env === "node" ? nodeRow(suite, size, impl) : browserRow(browser, suite, size, impl));
            const w0 = performance.now();
            r = await once();
            // Another process took a core during a long enough window to be sure: run the row
            // again (if that is cheap) and keep the quieter of the two.
            const timed = r.times.reduce((a, b) => a + b, 0);
            const rowMs = performance.now() - w0;
            if (r.otherCores > BUSY && timed >= 300 && rowMs < 20000 && retryBudgetMs >= rowMs) {
              log(`  other processes used ${r.otherCores.toFixed(2)} cores meanwhile: running the row again`);
              retryBudgetMs -= rowMs;
              const r2 = await once();
              r2.retried = r.otherCores;
              if (r2.otherCores < r.otherCores) r = r2;
              else r.retried = r2.otherCores;
            }
          } catch (e) {
            const msg = String(e.message || e).split("\n")[0];
            log(`  ERROR: ${msg}`);
            if (impl.baseline || impl.verify) errors++; // a row that matters failed
            r = { env: env === "node" ? "node" : "chromium", times: [], error: msg, memory: {}, fingerprint: null };
          }
          if (r.error) {
            envRows.push({ suite: suite.name, sizeId: size.id, size: sizeLabel, implId: impl.id, label: impl.label, breakdown: !!impl.breakdown, ...r, stats: null });
            continue;
          }
          const row = {
            suite: suite.name,
            sizeId: size.id,
            size: sizeLabel,
            implId: impl.id,
            label: impl.label,
            breakdown: !!impl.breakdown,
            ...r,
            env: r.env,
            stats: stats(r.times),
          };
          log(`  median ${ms(row.stats.median)} ms (${ms(row.stats.min)}–${ms(row.stats.max)}, ${r.times.length} runs), other CPU ${r.otherCores?.toFixed(2) ?? "–"}`);
          envRows.push(row);
        }
        const base = envRows.find((r) => r.implId === baseline.id && !r.error);
        // Ratios against crmscore's main row (the suite's `table.ratioTo`, else the baseline).
        const ref = envRows.find((r) => r.implId === (suite.table?.ratioTo ?? baseline.id) && !r.error) ?? base;
        for (const r of envRows) {
          if (r.error || !base) continue;
          r.ratio = r.stats.median / ref.stats.median;
          const impl = impls.find((i) => i.id === r.implId);
          if (impl.verify && r.fingerprint && base.fingerprint) {
            if (impl.verify === "scores") {
              // Peers (DuckDB, Arquero): the same score per customer; cut points compared apart.
              r.agree = r.fingerprint.scoresHash === base.fingerprint.scoresHash;
              r.cuts = compareCuts(base.fingerprint.thresholds, r.fingerprint.thresholds);
            } else r.agree = r.fingerprint.hash === base.fingerprint.hash;
          }
        }
        // Agreement of every verified implementation with the baseline, in this env and size.
        const checked = envRows.filter((r) => r.agree != null);
        let bad = checked.filter((r) => !r.agree);
        const v = { env: envRows[0].env, size: size.id, agree: bad.length === 0, compared: checked.map((r) => r.implId), hash: base?.fingerprint?.hash };
        const scoresOnly = checked.filter((r) => r.cuts);
        if (scoresOnly.length) v.cuts = Object.fromEntries(scoresOnly.map((r) => [r.implId, r.cuts]));
        if (bad.length) {
          v.diffs = {};
          for (const r of bad) {
            log(`!!!!!!!! MISMATCH: ${r.implId} disagrees with ${baseline.id} (${v.env}, ${size.id}); diffing in Node …`);
            const ri = impls.find((i) => i.id === r.implId);
            // Browser-only peers (DuckDB-wasm) cannot be re-run in Node: report score histograms.
            v.diffs[r.implId] = ri.envs && !ri.envs.includes("node")
              ? { histograms: { [baseline.id]: base.fingerprint.histogram, [r.implId]: r.fingerprint.histogram }, thresholds: { [baseline.id]: base.fingerprint.thresholds, [r.implId]: r.fingerprint.thresholds } }
              : await nodeChild(["diff", suite.name, size.id, baseline.id, r.implId]);
            log(JSON.stringify(v.diffs[r.implId]));
            // A peer whose cut point is the same quantile rounded the other way in the last bit
            // (e.g. Arquero interpolates x0 + (x1 − x0)·h, R and crmscore (1 − h)·x0 + h·x1) scores
            // the customers sitting exactly on that cut one bin apart: reported, not a mismatch.
            const dd = v.diffs[r.implId];
            const onCutsOnly = dd.byMetric && Object.entries(dd.byMetric).every(([k, n]) => n === 0 || r.cuts?.metrics?.includes(k));
            if (r.cuts && r.cuts.equal === false && r.cuts.maxRelativeGap <= 1e-12 && onCutsOnly && dd.mismatched <= dd.customers / 1000) {
              r.agree = "ulp";
              r.ulpCustomers = r.cuts.ulpCustomers = dd.mismatched;
            }
          }
          bad = bad.filter((r) => r.agree !== "ulp");
          mismatches += bad.length;
          v.agree = bad.length === 0;
        }
        log(`${suite.name} ${v.env} ${size.id} agree: ${v.agree ? "yes" : "NO"} (${v.compared.join(", ")})`);
        v.summary = suite.summarize?.(envRows.filter((r) => !r.error).map((r) => ({ implId: r.implId, ...r.stats, probe: r.probe ?? null })), size, external) ?? [];
        for (const line of v.summary) log(line);
        verification.push(v);
        rows.push(...envRows);
      }
    }
    // The external tool's rows (already timed): in the table after the harness's rows.
    for (const size of sizes) {
      for (const x of external?.bySize?.[size.id]?.rows ?? []) {
        rows.push({
          suite: suite.name,
          sizeId: size.id,
          size: size.label ?? `${num(size.customers)} / ${num(size.orders)}`,
          implId: x.implId,
          label: x.label,
          breakdown: false,
          env: x.env,
          times: x.times,
          warmupCalls: x.warmupCalls,
          loadMs: x.loadMs ?? null,
          memory: { peakRssDelta: x.peakRssDelta ?? null },
          otherCores: x.otherCores ?? null,
          external: true,
          stats: stats(x.times),
        });
      }
    }
    const overview = suite.overview?.(rows.filter((r) => !r.error), sizes, external) ?? [];
    // The same inputs must give the same scores in Node and in Chromium.
    for (const size of sizes) {
      const hs = [...new Set(rows.filter((r) => r.sizeId === size.id && r.agree != null && !r.cuts).map((r) => r.fingerprint.hash))];
      if (hs.length > 1) {
        mismatches++;
        verification.push({ env: "node vs chromium", size: size.id, agree: false, hashes: hs });
      }
    }
    report.suites[suite.name] = {
      description: suite.description,
      table: suite.table ?? null,
      baseline: baseline.id,
      impls: impls.map((i) => ({ id: i.id, label: i.label, input: i.input, baseline: !!i.baseline, verify: !!i.verify, breakdown: !!i.breakdown, note: i.note ?? null })),
      sizes: sizes.map(({ id, customers, orders }) => ({ id, customers, orders })),
      rows,
      verification,
      overview,
      external,
    };
  }
} finally {
  await stopBrowser(browser);
  if (snapshot) rmSync(pkgDir, { recursive: true, force: true });
}
meta.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
const b0 = meta.build, b1 = buildId(join(root, "pkg"));
const buildChanged = b0.wasmWeb !== b1.wasmWeb || b0.wasmNode !== b1.wasmNode;
if (buildChanged) {
  meta.pkgAtEnd = b1;
  log(snapshot ? "note: pkg/ was rebuilt during the run (the snapshot taken at the start was measured)" : "WARNING: pkg/ was rebuilt while the benchmark ran; rows may mix two builds");
}
meta.totalSeconds = +((performance.now() - t00) / 1000).toFixed(1);

// ------------------------------------------------------------------ report

function suiteMarkdown(name, s) {
  const out = [];
  out.push(`## Suite \`${name}\`: ${s.description}\n`);
  out.push(resultsTable(s.rows, s.table));
  out.push("");
  const legend = s.impls.filter((i) => i.note);
  if (legend.length) {
    for (const i of legend) out.push(`- ${i.label}: ${i.note}`);
    out.push("");
  }
  if (s.external?.skipped) out.push(`- ${s.table?.external ?? "External column"} skipped: ${s.external.skipped}\n`);
  if (s.overview?.length) out.push(...s.overview, "");
  const summaries = s.verification.filter((v) => v.summary?.length);
  if (summaries.length) {
    out.push(`${s.table?.summary ?? "Breakdown (from the ↳ rows; medians of separate processes, so only roughly additive)"}:\n`);
    for (const v of summaries) for (const line of v.summary) out.push(`- ${v.env}, ${v.size}: ${line}`);
    out.push("");
  }
  for (const v of s.verification) {
    if (v.agree) {
      out.push(`- agree: yes — ${v.env}, ${v.size}: ${v.compared.join(", ")} give ${s.table?.agree ?? "identical R/F/M scores and cut points"} (fingerprint ${v.hash})` +
        (v.cuts ? `; ${Object.keys(v.cuts).join(", ")} compared on scores only, cut points: ${Object.entries(v.cuts).map(([id, c]) =>
          `${id} ${c.equal ? "identical" : c.equal == null ? "–" : `differ by ≤ ${c.maxRelativeGap.toExponential(1)} relative (${c.where.metric} #${c.where.index + 1}: ${c.where.baseline} vs ${c.where.peer})${c.ulpCustomers != null ? `, so ${num(c.ulpCustomers)} customers whose value is that cut score one bin apart` : ""}`}`).join("; ")}` : ""));
    }
    else {
      out.push(`- **agree: NO — MISMATCH** ${v.env}, ${v.size}: ${JSON.stringify(v.diffs ?? v.hashes)}`);
    }
  }
  const loadRows = [];
  for (const r of s.rows) {
    if (!r.loadMs) continue;
    for (const [k, v] of Object.entries(r.loadMs)) {
      const key = `${r.env}|${r.size}|${k}`;
      if (!loadRows.some((x) => x.key === key)) loadRows.push({ key, cells: [r.env, r.size, k, [v]] });
      else loadRows.find((x) => x.key === key).cells[3].push(v);
    }
  }
  out.push("\nLoad time (untimed in the table above; median over the rows that needed it — `generate` = the seeded order columns, `objects` = building the order objects for the object-path rows, `prepare …` = a breakdown row's setup):\n");
  out.push(table(["Env", "Size", "step", "ms"], loadRows.map((x) => [...x.cells.slice(0, 3), ms(stats(x.cells[3]).median)]), [, , , "r"]));
  const ph = s.rows.filter((r) => !r.error && r.phases && Object.keys(r.phases).length);
  if (ph.length) {
    out.push("\nPhases inside the plain-JS implementations (median ms per phase):\n");
    const names = [...new Set(ph.flatMap((r) => Object.keys(r.phases)))];
    out.push(table(["Env", "Size", "Implementation", ...names], ph.map((r) => [r.env, r.size, r.label, ...names.map((n) => (r.phases[n] ? ms(stats(r.phases[n]).median) : "–"))]), [, , , ...names.map(() => "r")]));
  }
  return out.join("\n");
}

const notes = `## Method

- Every row runs in isolation: its own fresh Node process (\`bench/node-child.mjs\`, \`node --expose-gc
  --max-old-space-size=8192\`) or its own fresh Chromium browser context (\`bench/page.html\`, Chromium
  launched with \`--js-flags=--expose-gc --max-old-space-size=8192\`), so no row inherits another's heap.
  Inputs are generated there by \`bench/data.mjs\` (seeded, identical in both environments); generating
  them and building order objects is load time, shown separately and not timed.
- Per row: ≥ 1 untimed warm-up call (repeated up to ${timing.maxWarmup} calls until ${timing.warmupMs} ms were spent, so fast rows
  are measured with optimised JS), then ≥ ${minRuns} timed calls (more, up to ${timing.maxRuns}, while they fit in
  ${timing.budgetMs} ms). Times are \`performance.now()\` around the call, in the same process/page; the table gives
  their median and min–max. Rows whose warmed-up call takes ≥ ${timing.gcAboveMs} ms get a full GC (\`gc()\`), untimed,
  before every timed call, so each call starts from a clean heap; faster rows get none (forcing GCs
  between calls of a few ms kept V8 from settling on optimised code).
- The ratio column ("vs columnar", "vs crmscore", "vs pipeline") = median ÷ median of crmscore's main row
  in the same env and size (rfm: \`rfmColumnar\` with segments: []; scoring: \`Scorer\`; classify:
  \`classifyColumnar\`; btyd: the whole pipeline). ↳ rows break a call down as far as JS can see into
  it, or time loading the data into a tool; they are not alternatives (ratio in parentheses).
- Alternatives: plain JavaScript (typed arrays, and objects + Map), DuckDB-wasm 1.32.0 (eh bundle,
  Web Worker, Chromium only: its tables are loaded before the timed calls and the load is timed in
  ↳ load rows), Arquero 8.0.3, Python lifetimes 0.11.3 (btyd; run once per size by the orchestrator).
- peak RSS Δ = peak resident memory during warm-up + timed calls minus resident memory just before
  the first call (Linux VmHWM after resetting it through /proc/<pid>/clear_refs; in Chromium, of the
  page's renderer process, found by a marker allocation). It includes crmscore's wasm memory growth
  on the first call, and garbage not yet collected between calls.
- held = memory still held after the runs and a GC, with the last result alive. Node:
  \`process.memoryUsage()\` heapUsed + external Δ (external includes array buffers and wasm memory).
  Chromium: JSHeapUsedSize Δ from CDP \`Performance.getMetrics\`, which excludes typed-array backing
  stores and wasm memory.
- wasm mem = the crmscore instance's \`WebAssembly.Memory\` size after the runs, for rows where it grew
  past its start-up size (in Node, node-child.mjs notes the instance as the package loads). It never shrinks.
- other CPU = average number of cores used by *other* processes during the timed calls (/proc/stat
  minus the measured process; in Chromium this includes the browser's own other processes). This
  machine has ${meta.nproc} cores: values near 1 mean the measured code shared the machine with other work.
  Over short windows (fast rows) the reading is coarse (10 ms ticks) and includes the driver itself.
  A row that saw > ${BUSY} over ≥ 300 ms of timed calls is run once more if it is cheap (< 20 s; at most
  90 s of re-runs in all) and the quieter run is kept (marked †; results.json has the other run's reading in \`retried\`).
- agree: every implementation marked so gives exactly the same result per customer as the suite's
  baseline (rfm: the same recency, frequency and monetary score and the same cut points as crmscore
  \`rfmColumnar\`; FNV-1a fingerprint; on a mismatch the two results are diffed customer by customer).
  DuckDB and Arquero rows are compared on the scores, their cut points apart (listed under each table).
`;

const header = [
  `# crmscore benchmark results${quick ? " (--quick)" : ""}`,
  "",
  `- Date: ${meta.date}`,
  `- Machine: ${meta.nproc} cores (\`nproc\`), CPU "${meta.cpu}" (/proc/cpuinfo), ${meta.memGiB} GiB RAM, ${meta.os}`,
  `- Node ${meta.node} (V8 ${meta.v8}); ${meta.chromium ?? "no chromium"}${meta.chromiumDriven ? ` (headless via playwright-core, reports ${meta.chromiumDriven})` : ""}`,
  `- Load average at start ${meta.loadavgStart.join(" ")}, at end ${meta.loadavgEnd.join(" ")}; total ${meta.totalSeconds} s`,
  `- wasm: \`${wasm.file}\` ${num(wasm.raw)} bytes raw, ${num(wasm.gzip)} bytes gzip -9`,
  `- Build measured: git ${b0.commit}${b0.srcDirty ? " + uncommitted changes in src/" : ""}; wasm sha256 (first 12 hex) web ${b0.wasmWeb}, node ${b0.wasmNode}${snapshot ? " (a copy of pkg/ taken at the start)" : ""}${buildChanged ? ` — pkg/ was rebuilt during the run (now web ${b1.wasmWeb}, node ${b1.wasmNode})${snapshot ? "" : "; **rows may mix two builds**"}` : ""}`,
  `- Command: \`npm run bench${args.length ? " -- " + args.join(" ") : ""}\``,
  "",
].join("\n");

/** The .js files under `dir`, recursively (sorted). */
function jsFilesUnder(dir) {
  if (!existsSync(dir)) return [join(dir, "crmscore.js")];
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".js")).sort().map((f) => join(dir, String(f)));
}

/** What each tool adds to a page: its files as installed here, raw and gzip -9 (bytes). */
function downloadSizes() {
  const sizeOf = (f) => (existsSync(f) ? readFileSync(f) : null);
  return [
    // Every file a page loads from pkg/web: the .wasm, the entry, the guard, wasm-bindgen's glue
    // and its snippets (the glue left crmscore.js for crmscore_raw.js + guard.js in issue 14).
    ["crmscore (`pkg/web`: .wasm + all its JS)", [join(pkgDir, "web", "crmscore_bg.wasm"), ...jsFilesUnder(join(pkgDir, "web"))]],
    ["DuckDB-wasm 1.32.0 eh (.wasm + worker + API with apache-arrow, bundled)", [join(root, "node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"), join(root, "node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js"), join(here, ".peers", "duckdb.js")]],
    ["Arquero 8.0.3 (bundled, minified)", [join(here, ".peers", "arquero.js")]],
  ].map(([what, files]) => {
    const bufs = files.map(sizeOf);
    if (bufs.some((b) => !b)) return [what, "–", "–"];
    return [what, num(bufs.reduce((a, b) => a + b.length, 0)), num(bufs.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0))];
  });
}

/**
 * The answer to "why not X?" up front: per suite, env and size, every crmscore row against every
 * alternative that takes the same input (typed columns, objects; Python lifetimes against the
 * whole CLV pipeline and its BG/NBD fit), and the issue's targets, met or not.
 */
function overviewMarkdown(suites) {
  const out = ["## Summary: crmscore against the alternatives\n"];
  out.push("Medians from the tables below. Each crmscore row is compared with every alternative that starts from the same input " +
    "(typed columns or plain objects); DuckDB-wasm rows query a table loaded beforehand (its load is timed apart, in ↳ load rows). " +
    "\"ahead\" = the crmscore row's median is below the alternative's.\n");
  const lines = [];
  const isCrm = (r) => r.implId.startsWith("crm");
  for (const [name, s] of Object.entries(suites)) {
    const impls = Object.fromEntries(s.impls.map((i) => [i.id, i]));
    const rows = s.rows.filter((r) => !r.error && !r.breakdown && r.stats);
    for (const size of s.sizes) {
      for (const env of ["node", "chromium"]) {
        const here = rows.filter((r) => r.sizeId === size.id && r.env === env && !r.external);
        for (const c of here.filter(isCrm)) {
          const peers = here.filter((r) => !isCrm(r) && impls[r.implId]?.input === impls[c.implId]?.input);
          // lifetimes (Python, measured once per size) against crmscore's whole pipeline.
          if (c.implId === "crm-pipeline") {
            const py = s.rows.filter((r) => r.external && r.sizeId === size.id && r.stats);
            if (py.length) peers.push({ label: "Python lifetimes, sum of its 4 steps", stats: { median: py.reduce((a, r) => a + r.stats.median, 0) } });
          }
          for (const p of peers) {
            const ahead = c.stats.median < p.stats.median;
            lines.push([name, env, s.rows.find((r) => r.sizeId === size.id)?.size ?? size.id, c.label, ms(c.stats.median), p.label, ms(p.stats.median), ratio(p.stats.median / c.stats.median), ahead ? "yes" : "**no**"]);
          }
        }
      }
    }
  }
  out.push(table(["Suite", "Env", "Size", "crmscore", "ms", "alternative", "ms", "alternative ÷ crmscore", "ahead"], lines, [, , , , "r", , "r", "r"]));
  // The issue's targets (set for this machine kind; Chromium unless said).
  const med = (suite, env, size, impl) => suites[suite]?.rows.find((r) => r.env === env && r.sizeId === size && r.implId === impl && r.stats)?.stats.median ?? null;
  const targets = [
    ["RFM, 1M customers / 10M orders, `rfmColumnar`", 120, med("rfm", "chromium", "1M/10M", "crm-columnar"), med("rfm", "node", "1M/10M", "crm-columnar")],
    ["re-tier 1M customers × 8 indicators, `Scorer`", 10, med("scoring", "chromium", "1M", "crm-scorer"), med("scoring", "node", "1M", "crm-scorer")],
    ["BG/NBD fit, 1M customers", 550, med("btyd", "chromium", "1M", "bd-fit-bgnbd"), med("btyd", "node", "1M", "bd-fit-bgnbd")],
  ];
  out.push("\nWhat each adds to a page (bytes):\n");
  out.push(table(["Tool", "raw", "gzip -9"], downloads, [, "r", "r"]));
  out.push("\nTargets:\n");
  out.push(table(["Target", "≤ ms", "Chromium ms", "Node ms", "met"], targets.map(([t, lim, c, n]) =>
    [t, String(lim), ms(c), ms(n), c == null && n == null ? "not run" : [c, n].every((x) => x == null || x <= lim) ? "yes" : "**no**"]), [, "r", "r", "r"]));
  out.push("");
  return out.join("\n");
}

const md = [header, overviewMarkdown(report.suites), ...Object.entries(report.suites).map(([n, s]) => suiteMarkdown(n, s)), "", notes].join("\n");
console.log([overviewMarkdown(report.suites), ...Object.entries(report.suites).map(([n, s]) => suiteMarkdown(n, s))].join("\n\n"));
console.log(`\n${mismatches ? `‼ ${mismatches} MISMATCH(ES) — see above` : "agree: yes (all verified implementations, all sizes, both environments)"}`);
if (errors) console.log(`‼ ${errors} verified/baseline row(s) failed — see above`);
console.log(`load average start ${meta.loadavgStart.join(" ")}, end ${meta.loadavgEnd.join(" ")}; ${meta.totalSeconds} s`);
if (!flag("no-write")) {
  // A partial run (--quick, filters) must not overwrite the results of a full one.
  const partial = quick || sizeFilter || implFilter || envs.length < 2 || args.some((a) => !a.startsWith("--"));
  const [mdName, jsonName] = partial ? ["RESULTS-partial.md", "results-partial.json"] : ["RESULTS.md", "results.json"];
  writeFileSync(join(here, mdName), md);
  writeFileSync(join(here, jsonName), JSON.stringify(report, null, 1) + "\n");
  log(`wrote bench/${mdName} and bench/${jsonName}`);
}
if (mismatches || errors) process.exitCode = 1;
