// The lifetimes column of the btyd suite (issues 5 and 7): Python lifetimes 0.11.3 on the same
// orders as the crmscore rows. Node only: the suite's `external` hook imports this module in
// the orchestrator (bench/run.mjs), never in a browser page.
//
//   1. Python: $CRMSCORE_BENCH_PYTHON or python3 (≥ 3.11, which the pinned numpy and pandas
//      need) → a virtual environment bench/.venv (`python3 -m venv`) with exactly the versions
//      of bench/lifetimes-requirements.txt (`pip install --only-binary=:all: -r …`, from PyPI or
//      pip's configured index). The venv is reused while bench/.venv/crmscore-requirements.txt
//      (written after a successful install) equals the requirements file; otherwise it is
//      made again. No python3, no venv module, no pip, or an install that fails → the column
//      is skipped with the reason (the crmscore rows run regardless).
//   2. The orders of every size (the suite's own generator, so the same orders the rows see)
//      → bench/.data/btyd-<size>/customer.npy (uint32), day.npy (int32 epoch days),
//      amount.npy (float64) and meta.json (counts and integer checksums, which the script
//      checks). bench/.data is git-ignored; the files are rewritten on every run.
//   3. bench/.venv/bin/python bench/lifetimes_bench.py <dir> … → one JSON line: timings of
//      every step (1 warm-up call, then ≥ 5 timed calls, 3 when the warm-up call took ≥ 5 s),
//      fitted parameters, summary totals, Σ CLV, versions.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, openSync, writeSync, closeSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const REQUIREMENTS = join(here, "lifetimes-requirements.txt");
const SCRIPT = join(here, "lifetimes_bench.py");
const VENV = join(here, ".venv");
const STAMP = join(VENV, "crmscore-requirements.txt");
const venvPython = join(VENV, "bin", "python");

const lastLines = (s, n = 3) => String(s ?? "").trim().split("\n").slice(-n).join(" ⏎ ").slice(0, 400);

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

/** { python, version } or { skipped }. */
function findPython() {
  const py = process.env.CRMSCORE_BENCH_PYTHON || "python3";
  const r = run(py, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
  if (r.error || r.status !== 0) {
    return { skipped: `no Python: \`${py}\` could not be run (${r.error?.code ?? lastLines(r.stderr)}); install Python ≥ 3.11 (or set CRMSCORE_BENCH_PYTHON) to get the lifetimes column` };
  }
  const version = r.stdout.trim();
  const [maj, min] = version.split(".").map(Number);
  if (maj < 3 || (maj === 3 && min < 11)) return { skipped: `\`${py}\` is Python ${version}; the pinned numpy 2.4 / pandas 3.1 need ≥ 3.11 (set CRMSCORE_BENCH_PYTHON to a newer one)` };
  return { python: py, version };
}

/** Makes (or reuses) bench/.venv with the pinned requirements: { python } or { skipped }. */
function ensureVenv(py, log) {
  const want = readFileSync(REQUIREMENTS, "utf8");
  if (existsSync(venvPython) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === want) {
    const ok = run(venvPython, ["-c", "import lifetimes, numpy, pandas, scipy"]);
    if (ok.status === 0) return { python: venvPython, reused: true };
    log(`bench/.venv does not import lifetimes (${lastLines(ok.stderr, 1)}): making it again`);
  }
  rmSync(VENV, { recursive: true, force: true });
  log(`making bench/.venv (${py} -m venv) and installing the pinned lifetimes 0.11.3 stack (bench/lifetimes-requirements.txt) …`);
  const v = run(py, ["-m", "venv", VENV]);
  if (v.error || v.status !== 0 || !existsSync(venvPython)) {
    rmSync(VENV, { recursive: true, force: true });
    return { skipped: `\`${py} -m venv\` failed (${lastLines(v.stderr) || v.error?.code}); on Debian/Ubuntu install python3-venv` };
  }
  // pip's output goes to the harness's stderr (its stdout is the report).
  const pip = spawnSync(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--only-binary=:all:", "-r", REQUIREMENTS], {
    encoding: "utf8",
    stdio: ["ignore", 2, "pipe"],
  });
  if (pip.error || pip.status !== 0) {
    process.stderr.write(pip.stderr ?? "");
    rmSync(VENV, { recursive: true, force: true });
    return { skipped: `pip could not install the pinned lifetimes stack into bench/.venv (${lastLines(pip.stderr) || pip.error?.code}); offline, or no wheels for this platform/Python?` };
  }
  writeFileSync(STAMP, want);
  return { python: venvPython, reused: false };
}

/** Writes a 1-D little-endian array as .npy (format 1.0). */
function writeNpy(file, arr, descr) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${arr.length},), }`;
  header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const pre = Buffer.alloc(10);
  pre.write("\x93NUMPY", 0, "latin1");
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const fd = openSync(file, "w");
  try {
    writeSync(fd, pre);
    writeSync(fd, Buffer.from(header, "latin1"));
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    for (let o = 0; o < bytes.length; o += 1 << 26) writeSync(fd, bytes.subarray(o, Math.min(bytes.length, o + (1 << 26))));
  } finally {
    closeSync(fd);
  }
}

/** The orders of one size → bench/.data/btyd-<id>/ (.npy columns + meta.json with checksums). */
function writeData(root, size, data, asOf) {
  if (os.endianness() !== "LE") throw new Error("the .npy writer assumes a little-endian machine");
  const dir = join(root, "bench", ".data", `btyd-${size.id}`);
  mkdirSync(dir, { recursive: true });
  writeNpy(join(dir, "customer.npy"), data.customerIndex, "<u4");
  writeNpy(join(dir, "day.npy"), data.dates, "<i4");
  writeNpy(join(dir, "amount.npy"), data.amounts, "<f8");
  let sc = 0, sd = 0, sa = 0;
  for (let i = 0; i < data.orderCount; i++) {
    sc += data.customerIndex[i];
    sd += data.dates[i];
    sa += Math.round(data.amounts[i] * 100);
  }
  const meta = { size: size.id, customers: data.customerCount, orders: data.orderCount, endDay: data.endDay, asOf, checks: { sumCustomer: sc, sumDay: sd, sumCents: sa } };
  writeFileSync(join(dir, "meta.json"), JSON.stringify(meta, null, 1) + "\n");
  return dir;
}

function runScript(python, args, log) {
  return new Promise((ok, fail) => {
    // Progress lines on stderr, prefixed for the harness log.
    const p = spawn(python, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => {
      err += d;
      for (const line of String(d).split("\n")) if (line.trim()) log(`  [lifetimes] ${line}`);
    });
    p.on("error", fail);
    p.on("close", (code) => {
      if (code !== 0) return fail(new Error(`lifetimes_bench.py exited with ${code}: ${lastLines(err)}`));
      try {
        ok(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        fail(new Error(`lifetimes_bench.py: bad output ${out.slice(0, 200)}`));
      }
    });
  });
}

const LABELS = {
  summary: "lifetimes `summary_data_from_transaction_data` (freq \"D\", freq_multiplier 7: weeks)",
  bgnbd: "lifetimes `BetaGeoFitter().fit(frequency, recency, T)`",
  gammagamma: "lifetimes `GammaGammaFitter().fit` on the repeat buyers (frequency > 0)",
  clv: "lifetimes `customer_lifetime_value` (time 12, freq \"W\", discount_rate 0.01)",
};

/**
 * ctx: { sizes, log, root, asOf ("YYYY-MM-DD"), generate(size) → order columns, clvMonths,
 * discountRate }. Returns { bySize: { id: { rows, steps, versions, … } } } or { skipped }.
 */
export async function lifetimesColumn({ sizes, log, root, asOf, generate, clvMonths = 12, discountRate = 0.01 }) {
  const py = findPython();
  if (py.skipped) return { skipped: py.skipped };
  const venv = ensureVenv(py.python, log);
  if (venv.skipped) return { skipped: venv.skipped };
  log(venv.reused ? "lifetimes: reusing bench/.venv" : `lifetimes: made bench/.venv from ${py.python} (Python ${py.version})`);
  const bySize = {};
  for (const size of sizes) {
    const t0 = performance.now();
    const dir = writeData(root, size, generate(size), asOf);
    log(`lifetimes ${size.id}: orders written to ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s; running bench/lifetimes_bench.py …`);
    const r = await runScript(venv.python, [dir, "--as-of", asOf, "--months", String(clvMonths), "--discount", String(discountRate)], log);
    r.rows = Object.entries(r.steps).map(([k, s]) => ({
      implId: `lifetimes-${k}`,
      label: LABELS[k] ?? `lifetimes ${k}`,
      env: "python",
      times: s.times,
      warmupCalls: s.warmupCalls,
      peakRssDelta: s.peakRssDelta,
      otherCores: s.otherCores,
      loadMs: k === "summary" ? { "read .npy → DataFrame": r.loadMs } : null,
    }));
    bySize[size.id] = r;
  }
  return { bySize };
}
