// The demo page: load (files or sample) → derived fields + RFM → Scorer (tiers) →
// classification → CLV → views. Every crmscore call runs in the library's worker engine
// (crmscore/worker) and the sample is generated in the data worker, so the page's thread
// only posts messages and draws; each stage shows its progress and is marked with
// performance.mark("demo:<stage>:start" / ":end"). Loading other data aborts the stages
// still running for the old data (their results are dropped, their handles freed).
// Wiring only; the parts live in src/.
import { createEngine, deriveAndRfm, classifyData, makeScorer, indexIds, flagCodes, transitions, NO_SEGMENT } from "./src/engine.js";
import { sampleSource, spawnDataWorker, generateSample, SAMPLE_SIZES } from "./src/sample.js";
import { buildDataset, DatasetError } from "./src/dataset.js";
import { engineInputs } from "./src/prepare.js";
import { KINDS, missingRequired } from "./src/mapping.js";
import { DERIVED_FIELDS } from "./src/values.js";
import { PRESETS, WEIGHT_MAX, weightsOf, withIndicator, withoutIndicator, withTierMin, parseModelJson } from "./src/model.js";
import { barChart, pairedBarChart, heatmapChart, TIER_COLORS } from "./src/charts.js";
import { createTable } from "./src/table.js";
import { csvChunks } from "./src/csv_export.js";
import { clvAvailable, computeClv, histogram } from "./src/clv.js";
import { textAt, matchRows } from "./src/text_column.js";
import { t, setLang, getLang, initialLang, rememberLang, applyStatic, segmentLabel, fieldLabel } from "./src/i18n.js";
import { $, h, fill, nextTask } from "./src/dom.js";
import * as fmt from "./src/format.js";

const app = $("#app");
/** Up to this many customers, the slider's frame also refreshes every score (scores(): ~0.3 ms
 *  at 20k); above, tiers change in the frame and the score column follows 80 ms later. */
const SCORES_IN_FRAME_MAX = 20_000;
/** Lifecycle stages in classifyColumnar's code order (the filter's options before a result). */
const LIFECYCLES = ["prospect", "new", "active", "atRisk", "churned", "reactivated"];
const STAGES = ["generate", "load", "prepare", "score", "classify", "clv"];

// ---------------------------------------------------------------- state
const S = {
  engine: null, // crmscore/worker engine
  version: "",
  ds: null, // the data set in use: { id, meta, n, customerIds, names, attributes, asOf, orders, derived: { totalAmount }, rfm, timings }
  classes: null, // engine.classifyData: { classifier (proxy), result (columns + labels), flagCount }; null while it runs
  classifyMs: 0,
  scorer: null, // Scorer proxy (in the engine's worker)
  model: null, // the current model object (weights kept in sync with the sliders)
  weights: null, // Float64Array, indicator order
  labels: [], // tier labels, top first
  counts: new Uint32Array(0),
  tiers: new Uint8Array(0),
  scores: null, // Float64Array or null when stale
  snapshot: null, // { dsId, tiers, labels }
  sort: { key: null, dir: 1 },
  order: new Uint32Array(0),
  selected: -1,
  sources: [], // dropped files: { id, file, tables: [{ key, headers, preview, rows, kind, mapping, format }] }
  clv: null,
  lastPerf: null,
  run: null, // the load in progress or last done: { id, controller, stage }
};
let dsCounter = 0;
let runs = 0;
let modelError = null;
let loadError = null;
let statusKey = { key: "status.loading" };

// ---------------------------------------------------------------- the parsing worker
// Created at start-up, so its script is fetched with the page (no request later).
const worker = new Worker(new URL("./src/parse.worker.js", import.meta.url), { type: "module" });
const pending = new Map(); // `${id}|${key}` → { resolve, onProgress }
let fileCounter = 0;
let workerReady;
const workerStarted = new Promise((resolve) => (workerReady = resolve));
worker.onmessage = ({ data }) => {
  if (data.type === "ready") return workerReady();
  const k = `${data.id}|${data.type === "inspected" ? "inspect" : (data.key ?? "")}`;
  if (data.type === "progress") return pending.get(k)?.onProgress?.(data.done / data.total);
  const waiting = pending.get(k) ?? pending.get(`${data.id}|inspect`);
  if (!waiting) return;
  pending.delete(k);
  pending.delete(`${data.id}|inspect`);
  waiting.resolve(data);
};
const ask = (msg, key, onProgress) =>
  new Promise((resolve) => {
    pending.set(`${msg.id}|${key}`, { resolve, onProgress });
    worker.postMessage(msg);
  });

// ---------------------------------------------------------------- charts and table
// The charts are made one per task as the page starts (making them all at once took ~100 ms
// of its first task), and the pipeline's drawings go through draw(): one task per chart.
const CHARTS = {
  tiers: () => barChart($("#chart-tiers"), { format: (v) => fmt.int(v) }),
  heatmap: () => heatmapChart($("#chart-heatmap"), {
    format: (v) => fmt.compact(v),
    tooltip: (d) => (d.v === null ? t("heatmap.tipEmpty", { r: d.x, f: d.y }) : t("heatmap.tip", { r: d.x, f: d.y, customers: fmt.int(d.n), mean: fmt.money(d.v) })),
  }),
  segments: () => pairedBarChart($("#chart-segments"), { format: (v) => fmt.percent(v) }),
  lifecycle: () => barChart($("#chart-lifecycle"), { format: (v) => fmt.int(v) }),
  flags: () => barChart($("#chart-flags"), { horizontal: true, format: (v) => fmt.int(v) }),
  pAlive: () => barChart($("#chart-palive"), { format: (v) => fmt.int(v) }),
  clv: () => barChart($("#chart-clv"), { format: (v) => fmt.int(v) }),
};
const charts = {};
const chart = (k) => (charts[k] ??= CHARTS[k]());
const drawing = new Map();
/** Draw chart `k` with `f(chart)` in a task of its own (the latest `f` wins). */
function draw(k, f) {
  const queued = drawing.has(k);
  drawing.set(k, f);
  if (queued) return;
  setTimeout(() => {
    const g = drawing.get(k);
    drawing.delete(k);
    g(chart(k));
  }, 0);
}

const segName = (i) => {
  const seg = S.ds.rfm.segment[i];
  return seg === NO_SEGMENT ? t("segments.noOrders") : segmentLabel(S.ds.rfm.segmentNames[seg]);
};
const COLUMNS = [
  { key: "customerId", label: () => t("col.customerId"), cls: "id", width: "minmax(90px, 1.1fr)", cell: (i) => textAt(S.ds.customerIds, i) },
  { key: "name", label: () => t("col.name"), cls: "name", width: "minmax(90px, 1.3fr)", cell: (i) => textAt(S.ds.names, i) },
  { key: "score", label: () => t("col.score"), cls: "num", width: "70px", cell: (i) => (S.scores ? fmt.score(S.scores[i]) : "…") },
  { key: "tier", label: () => t("col.tier"), cls: "tier", width: "54px", cell: (i) => S.labels[S.tiers[i]] ?? "" },
  { key: "rfm", label: () => t("col.rfm"), cls: "num mono", width: "64px", cell: (i) => (S.ds.rfm.segment[i] === NO_SEGMENT ? "—" : `${S.ds.rfm.recencyScore[i]}${S.ds.rfm.frequencyScore[i]}${S.ds.rfm.monetaryScore[i]}`) },
  { key: "segment", label: () => t("col.segment"), width: "minmax(100px, 1.2fr)", cell: segName },
  { key: "lifecycle", label: () => t("col.lifecycle"), width: "100px", cell: (i) => (S.classes ? t(`lifecycle.${classLabel("lifecycle", i)}`) : "…") },
  { key: "valueClass", label: () => t("col.valueClass"), width: "60px", cell: (i) => (S.classes ? t(`valueClass.${classLabel("valueClass", i)}`) : "…") },
  { key: "flags", label: () => t("col.flags"), width: "minmax(80px, 1fr)", cell: (i) => (S.classes ? flagsText(i) : "…") },
  { key: "revenue", label: () => t("col.revenue"), cls: "num", width: "96px", cell: (i) => fmt.money(S.ds.derived.totalAmount[i]) },
];
/** Customer i's class `kind` ("lifecycle", "valueClass", …) by name: code column + labels. */
const classLabel = (kind, i) => S.classes.result.labels[kind][S.classes.result[kind][i]];
function flagsText(i) {
  const r = S.classes.result;
  const parts = flagCodes(r.flags[i], r.labels).map((code) => t(`flag.${code}`));
  return (r.junk[i] ? "⚠ " : "") + parts.join(", ");
}
const table = createTable($("#customer-table"), { columns: COLUMNS, onOpen: openExplain, onSort: sortBy });

// ---------------------------------------------------------------- status line
function setStatus(key, vars, detail = "") {
  statusKey = { key, vars, detail };
  renderStatus();
}
function renderStatus() {
  $("#status-main").textContent = t(statusKey.key, statusKey.vars);
  $("#status-detail").textContent = typeof statusKey.detail === "function" ? statusKey.detail() : statusKey.detail;
}
/** The progress bar for stage `stage` of the current load at `fraction` (0 … 1). */
function stageProgress(stage, fraction) {
  setProgress(fraction, t("stage.progress", { stage: t(`stage.${stage}`), percent: fmt.percent(Math.min(1, fraction)) }));
  $("#progress").dataset.stage = stage;
}
function setProgress(fraction, text) {
  $("#progress").hidden = fraction === null;
  if (fraction !== null) {
    window.crmscoreDemo.progress.push(fraction);
    $("#progress-bar").value = fraction;
    $("#progress-text").textContent = text;
  }
}
function showLoadError(err) {
  loadError = err;
  renderLoadError();
  $("#load-error").scrollIntoView({ block: "nearest" });
  app.dataset.status = S.ds ? "ready" : "error";
}
function renderLoadError() {
  const box = $("#load-error");
  box.hidden = !loadError;
  for (const td of document.querySelectorAll("table.preview td.bad")) td.classList.remove("bad");
  if (!loadError) return;
  $("#load-error-title").textContent = t("error.title");
  $("#load-error-message").textContent = describeError(loadError);
  // The bad cell, when it is among the preview rows: outlined.
  if (loadError.kind === "cell" && loadError.src !== undefined) {
    const block = document.querySelector(`.source[data-src="${loadError.src}"][data-table="${loadError.table}"]`);
    const r = loadError.row - (loadError.format === "json" ? 1 : 2);
    const c = block ? [...block.querySelectorAll("table.preview thead th")].findIndex((th) => th.textContent === loadError.column) : -1;
    const td = c >= 0 ? block.querySelectorAll("table.preview tbody tr")[r]?.children[c] : null;
    td?.classList.add("bad");
  }
}
/** One sentence for any load error: a bad cell (row and column), a data-set problem, a library or other error. */
function describeError(e) {
  if (e.kind === "cell") {
    const at = t(e.format === "json" ? "error.atRecord" : "error.at", { file: e.file, row: e.row, column: e.column });
    const reasonKey = `error.reason.${e.reason}`;
    return at + t(reasonKey, { value: e.value });
  }
  if (e.kind === "file") {
    if (e.reason === "json") return t("error.json", { file: e.file, message: e.message });
    if (e.reason === "json-shape") return t("error.jsonShape", { file: e.file });
    if (e.reason === "empty-file" || e.reason === "empty") return t("error.emptyFile", { file: e.file });
    return t("error.other", { message: `${e.file}: ${e.message}` });
  }
  if (e instanceof DatasetError) {
    if (e.reason === "no-orders") return t("error.noOrders");
    return t("error.at", { file: e.file, row: e.row, column: t("field.customerId") }) + t(`error.reason.${e.reason}`, { value: e.value });
  }
  if (e?.name === "CrmScoreError") return t("error.library", { message: e.message });
  return t("error.other", { message: String(e?.message ?? e) });
}

// ---------------------------------------------------------------- runs and stages
/**
 * A new load: aborts the stages still running for the previous one (every engine call of a
 * run carries its signal; a sample still being generated ends with its worker).
 */
function beginRun() {
  stopRun();
  const run = { id: ++dsCounter, controller: new AbortController(), stage: null, finished: false, timings: {} };
  S.run = run;
  loadError = null;
  renderLoadError();
  app.dataset.status = "busy";
  app.dataset.pipeline = "running";
  return run;
}
/**
 * Abort the run in flight, if any (true when there was one): every engine call of it
 * carries its signal, a sample still being generated ends with its worker, and its data set
 * is let go at once (aborting a running call ends the engine's worker, and with it that data
 * set's Scorer and Classifier). Its results never reach the views (it is stale from now on).
 */
function stopRun() {
  const old = S.run;
  if (!old || old.finished) return false;
  old.controller.abort();
  if (old.stage === "generate" && sampleWorker) {
    sampleWorker.terminate();
    sampleWorker = null;
  }
  releaseData();
  S.run = null;
  return true;
}

/** Dropping or choosing files cancels the load in flight: the user is loading other data. */
function cancelForFiles() {
  if (!stopRun()) return;
  setProgress(null);
  $("#results").hidden = true;
  app.dataset.status = "idle";
  app.dataset.pipeline = "cancelled";
  setStatus("status.cancelled");
}
const stale = (run) => S.run !== run;
const isAbort = (e) => e?.name === "AbortError";

/**
 * Stage `name` of `run`: f(onProgress) → its result; marked with performance.mark
 * ("demo:<name>:start" / ":end", detail = the run's id), timed into run.timings[name],
 * progress shown while the run is current.
 */
async function stage(run, name, f) {
  run.stage = name;
  performance.mark(`demo:${name}:start`, { detail: run.id });
  const t0 = performance.now();
  if (!stale(run)) stageProgress(name, 0);
  const onProgress = (fraction) => {
    if (!stale(run)) stageProgress(name, fraction);
  };
  try {
    return await f(onProgress);
  } finally {
    run.timings[name] = performance.now() - t0;
    performance.mark(`demo:${name}:end`, { detail: run.id });
  }
}

/** A run's failure: nothing when it was aborted or replaced; else shown. */
function runFailed(run, e) {
  if (stale(run) || isAbort(e)) return;
  run.finished = true;
  setProgress(null);
  if (!S.ds) $("#results").hidden = true; // the previous data set is gone already
  app.dataset.pipeline = "failed";
  showLoadError(e);
}

// ---------------------------------------------------------------- loading: sample
let sampleWorker = null;
/** The sample's data worker (a fresh one after a generation was cut short); .ready: it runs. */
const sampleWorkerStarted = () => {
  if (sampleWorker) return sampleWorker;
  const w = spawnDataWorker();
  w.ready = new Promise((resolve) => w.addEventListener("message", function ready({ data }) {
    if (data.type === "ready") resolve(w.removeEventListener("message", ready));
  }));
  sampleWorker = w;
  return w;
};

async function loadSample() {
  const n = Number($("#sample-size").value);
  const run = beginRun();
  setStatus("status.generating", { customers: fmt.int(n) });
  let data;
  try {
    data = await stage(run, "generate", (onProgress) =>
      generateSample(sampleWorkerStarted(), { customers: n, id: run.id, signal: run.controller.signal, onProgress }));
  } catch (e) {
    return runFailed(run, e);
  }
  if (stale(run)) return;
  await useData(run, data, { source: "sample", gen: run.timings.generate });
}

// ---------------------------------------------------------------- loading: files
async function addFiles(fileList) {
  const files = [...fileList].filter((f) => f.size >= 0);
  if (!files.length) return;
  cancelForFiles();
  loadError = null;
  renderLoadError();
  for (const file of files) {
    const id = ++fileCounter;
    setProgress(0, t("load.reading", { file: file.name }));
    const res = await ask({ type: "inspect", id, file }, "inspect");
    if (res.type === "failed") {
      setProgress(null);
      showLoadError({ kind: "file", file: file.name, ...res.error });
      continue;
    }
    S.sources.push({ id, file, tables: res.tables });
  }
  setProgress(null);
  renderSources();
}

function renderSources() {
  $("#sources").hidden = S.sources.length === 0;
  const blocks = [];
  for (const src of S.sources) {
    src.tables.forEach((tb, ti) => {
      const title = src.file.name + (tb.key ? ` › ${tb.key}` : "");
      const kindSel = h("select", { class: "kind", data: { src: src.id, table: ti }, "aria-label": t("load.kind") },
        ...["orders", "customers", "interactions", "ignore"].map((k) => h("option", { value: k, selected: tb.kind === k, text: t(`kind.${k}`) })));
      const fields = tb.kind === "ignore" ? [] : KINDS[tb.kind];
      const grid = h("div", { class: "mapping" },
        ...fields.map(({ field, required }) =>
          h("label", { class: "field" },
            h("span", { text: t(`field.${field}`) + (required ? ` (${t("load.required")})` : "") }),
            h("select", { data: { src: src.id, table: ti, field } },
              h("option", { value: "-1", text: t("load.notMapped") }),
              ...tb.headers.map((name, ci) => h("option", { value: String(ci), selected: tb.mapping[field] === ci, text: String(name) })))),
        ));
      const missing = tb.kind === "ignore" ? [] : missingRequired(tb.kind, tb.mapping);
      const preview = h("table", { class: "data compact preview" },
        h("thead", {}, h("tr", {}, ...tb.headers.map((name, ci) => h("th", { class: mappedField(tb, ci) ? "mapped" : "", text: String(name) })))),
        h("tbody", {}, ...tb.preview.map((row) => h("tr", {}, ...tb.headers.map((_, ci) => h("td", { text: row[ci] ?? "" }))))));
      blocks.push(
        h("div", { class: "source", data: { src: src.id, table: ti } },
          h("div", { class: "source-head" }, h("strong", { text: title }), h("span", { class: "note", text: t("load.rows", { rows: fmt.int(tb.rows) }) }), kindSel),
          grid,
          missing.length ? h("p", { class: "error-inline", text: t("load.missing", { fields: missing.map((f) => t(`field.${f}`)).join(", ") }) }) : null,
          h("details", { class: "preview-wrap", open: true }, h("summary", { text: t("load.preview") }), h("div", { class: "table-wrap" }, preview))),
      );
    });
  }
  fill($("#source-list"), blocks);
  const ready = S.sources.some((s) => s.tables.some((tb) => tb.kind === "orders")) &&
    S.sources.every((s) => s.tables.every((tb) => tb.kind === "ignore" || missingRequired(tb.kind, tb.mapping).length === 0));
  $("#files-load").disabled = !ready;
  if (loadError?.kind === "cell") renderLoadError();
}
const mappedField = (tb, ci) => tb.kind !== "ignore" && Object.values(tb.mapping).includes(ci);

$("#source-list").addEventListener("change", (e) => {
  const el = e.target;
  const src = S.sources.find((s) => s.id === Number(el.dataset.src));
  if (!src) return;
  const tb = src.tables[Number(el.dataset.table)];
  if (el.classList.contains("kind")) {
    tb.kind = el.value;
    if (tb.kind !== "ignore") tb.mapping = Object.fromEntries(KINDS[tb.kind].map(({ field }) => [field, tb.mapping[field] ?? -1]));
  } else if (el.dataset.field) {
    tb.mapping[el.dataset.field] = Number(el.value);
  }
  renderSources();
});

async function loadFiles() {
  const run = beginRun();
  const tables = [];
  try {
    await stage(run, "load", async (onProgress) => {
      const parts = S.sources.flatMap((src) => src.tables.map((tb, ti) => ({ src, tb, ti }))).filter(({ tb }) => tb.kind !== "ignore");
      for (const [k, { src, tb, ti }] of parts.entries()) {
        const name = src.file.name + (tb.key ? ` › ${tb.key}` : "");
        const res = await ask({ type: "load", id: src.id, key: tb.key, kind: tb.kind, mapping: tb.mapping }, tb.key ?? "", (p) =>
          onProgress((k + Math.min(1, p)) / parts.length),
        );
        if (stale(run)) throw new DOMException("replaced", "AbortError");
        if (res.type === "failed") {
          throw res.error.row !== undefined
            ? { kind: "cell", file: name, format: tb.format, src: src.id, table: ti, ...res.error }
            : { kind: "file", file: name, ...res.error };
        }
        tables.push({ ...res.table, file: name, rowBase: tb.format === "json" ? 1 : 2 });
      }
    });
  } catch (e) {
    return runFailed(run, e);
  }
  if (stale(run)) return;
  let data;
  try {
    const d = buildDataset(tables);
    data = { n: d.customerIds.length, customerIds: d.customerIds, names: d.names, attributes: d.attributes,
      contacts: { email: d.activity.email, phone: d.activity.phone }, inputs: engineInputs(d.activity) };
  } catch (e) {
    return runFailed(run, e);
  }
  await useData(run, data, { source: "files", files: S.sources.map((s) => s.file.name) });
}

// ---------------------------------------------------------------- a data set in use
/** Let go of the data set in use: its views, and its Scorer and Classifier in the worker. */
function releaseData() {
  S.scorer?.free().catch(() => {});
  S.classes?.classifier.free().catch(() => {});
  S.scorer = null;
  S.ds = null;
  S.classes = null;
  S.clv = null;
  S.scores = null;
  S.selected = -1;
  table.setOrder(new Uint32Array(0)); // empty first: rows in view must not read the old data
  table.select(-1);
  $("#explain").hidden = true;
  // The old views stay in place, dimmed and inert, until the new data set's replace them
  // (hiding them would make every chart resize and redraw twice).
  $("#results").classList.add("stale");
  $("#results").inert = true;
}

/**
 * `data` = { n, customerIds, names, attributes, contacts, inputs } through the stages:
 * derived fields + RFM, scoring (views shown), classification, CLV. Each await may find the
 * run replaced: then its results are dropped (handles freed) and nothing is drawn.
 */
async function useData(run, data, meta) {
  const signal = run.controller.signal;
  setStatus("status.preparing");
  releaseData();
  const ds = {
    id: run.id, meta, n: data.n, customerIds: data.customerIds, names: data.names, attributes: data.attributes,
    contacts: data.contacts, inputs: data.inputs, asOf: data.inputs.asOf, orders: data.inputs.orders,
    ids: indexIds(data.n), timings: run.timings,
  };
  const aborted = () => new DOMException("replaced by another data set", "AbortError");
  try {
    Object.assign(ds, await stage(run, "prepare", (onProgress) => deriveAndRfm(S.engine, ds, { signal, onProgress })));
    if (stale(run)) return;
    await stage(run, "score", async (onProgress) => {
      // Posting the text attributes is a task of its own (not added to the one that got RFM).
      await nextTask();
      const sc = await makeScorer(S.engine, ds, "valueEngagement", { signal, onProgress: (f) => onProgress(0.7 * f) });
      // The model in use carries over; one that does not fit this data gives way to the preset.
      let model = S.model;
      try {
        modelError = null;
        if (model) {
          try {
            await sc.setModel(model);
          } catch (e) {
            if (isAbort(e) || stale(run)) throw e;
            modelError = e;
            model = null;
          }
        }
        if (!model) {
          model = await S.engine.scoringPreset("valueEngagement");
          $("#preset").value = "valueEngagement";
        }
        if (stale(run)) throw aborted();
        S.ds = ds;
        S.scorer = sc;
      } catch (e) {
        sc.free().catch(() => {});
        throw e;
      }
      restoreSnapshot();
      await scorerChanged(model);
      if (stale(run)) throw aborted();
      onProgress(1);
    });
  } catch (e) {
    return runFailed(run, e);
  }
  // The tiers are drawn; the table and the other views follow in tasks of their own.
  await nextTask();
  if (stale(run)) return;
  renderModelError();
  S.sort = { key: null, dir: 1 };
  table.setSort(S.sort);
  renderFilters();
  applyFilters({ top: true });
  renderStaticViews();
  $("#results").hidden = false;
  $("#results").classList.remove("stale");
  $("#results").inert = false;
  setStatus("status.loaded", { customers: fmt.int(ds.n), orders: fmt.int(ds.orders), asOf: ds.asOf }, () => {
    const tm = ds.timings;
    const f = (x) => fmt.ms(x ?? 0);
    const src = meta.source === "sample" ? t("status.sourceSample") : t("status.sourceFiles", { files: meta.files.join(", ") });
    const times = meta.source === "sample"
      ? t("status.timings", { gen: f(tm.generate), prepare: f(tm.prepare), score: f(tm.score) })
      : t("status.timingsFiles", { load: f(tm.load), prepare: f(tm.prepare), score: f(tm.score) });
    return `${src} · ${times}`;
  });
  app.dataset.status = "ready";
  app.dataset.classified = "false";
  app.dataset.customers = String(ds.n);
  app.dataset.runs = String(++runs);

  // Classification, then CLV: 1M customers take seconds, in the engine's worker.
  $("#classify-status").textContent = t("status.classifying", { customers: fmt.int(ds.n) });
  let classes;
  try {
    // Posting e-mails and phones is a task of its own (not added to the one that drew the tiers).
    classes = await stage(run, "classify", (onProgress) => nextTask().then(() => classifyData(S.engine, ds, { signal, onProgress })));
  } catch (e) {
    if (stale(run) || isAbort(e)) return;
    $("#classify-status").textContent = describeError(e);
    classes = null;
  }
  if (stale(run)) {
    classes?.classifier.free().catch(() => {});
    return;
  }
  if (classes) {
    // The message that brought the columns was a task; drawing them is another.
    await nextTask();
    if (stale(run)) {
      classes.classifier.free().catch(() => {});
      return;
    }
    S.classes = classes;
    S.classifyMs = run.timings.classify;
    renderClassViews();
    renderFilters();
    applyFilters({});
    if (S.selected >= 0) openExplain(S.selected);
    app.dataset.classified = "true";
  }
  await nextTask();
  if (stale(run)) return;
  if (clvAvailable(S.engine)) {
    let clv;
    try {
      clv = await stage(run, "clv", (onProgress) => computeClv(S.engine, ds.inputs.forClv, ds.n, ds.asOf, { signal, onProgress }));
    } catch (e) {
      if (stale(run) || isAbort(e)) return;
      clv = { error: e };
    }
    if (stale(run)) return;
    S.clv = clv;
    renderClv();
  }
  ds.inputs = null;
  // The charts queued by draw() are drawn before the run counts as done.
  await nextTask();
  if (stale(run)) return;
  run.finished = true;
  run.stage = null;
  performance.mark("demo:done", { detail: run.id });
  setProgress(null);
  app.dataset.pipeline = "done";
}

// ---------------------------------------------------------------- the model
// The Scorer lives in the engine's worker: every change is a message and an await. Changes
// go through one queue (a model change never overtakes a weight change before it), and
// slider moves are coalesced: while one re-tiering is in flight, only the latest weights wait.
let scorerQueue = Promise.resolve();
function queued(f) {
  const p = scorerQueue.then(f);
  scorerQueue = p.catch(() => {});
  return p;
}

/** After a new Scorer or model (`model`, now the Scorer's): tier labels, counts and tiers from
 *  the worker, then the model in use, the model panel and the tier views change together. */
async function scorerChanged(model) {
  const sc = S.scorer;
  const [labels, tiered] = await Promise.all([sc.tierLabels(), fetchTiers(sc)]);
  if (S.scorer !== sc) return false;
  S.model = JSON.parse(JSON.stringify(model));
  S.labels = labels;
  S.weights = weightsOf(S.model);
  renderModel();
  showTiers(tiered, false);
  return true;
}

/** Validates and applies a model through the Scorer; false (and a message) when crmscore refuses it. */
function applyModel(model) {
  return queued(async () => {
    const sc = S.scorer;
    if (!sc) return false;
    try {
      await sc.setModel(model);
    } catch (e) {
      if (S.scorer !== sc) return false;
      modelError = e;
      renderModelError();
      app.dataset.runs = String(++runs);
      return false;
    }
    if (S.scorer !== sc) return false;
    modelError = null;
    renderModelError();
    if (!(await scorerChanged(model))) return false;
    renderFilters();
    applyFilters({});
    app.dataset.runs = String(++runs);
    return true;
  });
}
function renderModelError() {
  const el = $("#model-error");
  el.hidden = !modelError;
  if (modelError) el.textContent = t("model.invalid", { message: String(modelError.message ?? modelError) });
}

function scaleText(ind) {
  const s = ind.scale ?? {};
  const key = `model.scale.${s.type}`;
  const parts = [t(key, { min: fmt.num(s.min ?? 0), max: fmt.num(s.max ?? 0) })];
  if (ind.invert) parts.push(t("model.inverted"));
  if (ind.group) {
    const cap = S.model.groups?.find((g) => g.id === ind.group)?.cap;
    parts.push(t("model.group", { group: ind.group, cap: cap ?? "—" }));
  }
  return parts.join(" · ");
}

function renderModel() {
  const m = S.model;
  fill($("#weights"), m.indicators.map((ind, k) => {
    const name = fieldLabel(ind.field);
    const max = Math.max(WEIGHT_MAX, Math.ceil(ind.weight));
    return h("div", { class: "weight", data: { index: k } },
      h("label", { for: `w-${k}`, class: "weight-label" }, h("span", { class: "weight-name", text: name }), h("span", { class: "weight-scale", text: scaleText(ind) })),
      h("input", { type: "range", id: `w-${k}`, min: 0, max, step: 1, value: ind.weight, data: { index: k }, "aria-label": t("model.weight", { name }) }),
      h("output", { for: `w-${k}`, class: "weight-value", text: fmt.num(ind.weight) }),
      h("button", { type: "button", class: "remove", data: { remove: k }, "aria-label": t("model.remove", { name }), title: t("model.remove", { name }), text: "×" }));
  }));
  fill($("#adjustments"), (m.adjustments ?? []).map((a) =>
    h("li", { text: t("model.adjustment", { name: fieldLabel(a.field), op: a.op, value: String(a.value), points: fmt.num(a.points) }) })));
  fill($("#thresholds"), m.tiers.map((tier, i) =>
    h("label", { class: "threshold" },
      h("span", { class: "tier-chip", style: { "--chip": TIER_COLORS[i % TIER_COLORS.length] }, text: tier.label }),
      tier.min === null
        ? h("span", { class: "note", text: t("model.tierRest") })
        : h("input", { type: "number", step: "any", value: tier.min, data: { tier: i }, "aria-label": t("model.tierMin", { label: tier.label }) }))));
  const have = new Set(S.ds ? [...DERIVED_FIELDS, ...Object.keys(S.ds.attributes ?? {}).filter((k) => S.ds.attributes[k])] : []);
  const missing = [...new Set([...m.indicators, ...(m.adjustments ?? [])].map((x) => x.field))].filter((f) => S.ds && !have.has(f));
  const addSel = $("#add-field");
  fill(addSel, DERIVED_FIELDS.map((f) => h("option", { value: f, text: fieldLabel(f) })));
  const note = missing.length ? t("model.missingFields", { fields: missing.map(fieldLabel).join(", ") }) : "";
  $("#perf").textContent = [note, S.lastPerf === null ? "" : t("perf.last", { ms: fmt.ms(S.lastPerf) })].filter(Boolean).join(" ");
}

/** Re-tier after a model or weight change: counts, tiers (and scores up to
 *  SCORES_IN_FRAME_MAX customers) from the worker, then chart, transitions, table in one go.
 *  `weightsOnly`: only scores and tiers changed, so only those table columns are rewritten.
 *  False when the Scorer was replaced meanwhile (nothing drawn). */
async function rescore(weightsOnly = false) {
  const sc = S.scorer;
  const tiered = await fetchTiers(sc);
  if (S.scorer !== sc) return false;
  showTiers(tiered, weightsOnly);
  return true;
}
/** The Scorer's tier counts, tiers and (up to SCORES_IN_FRAME_MAX customers) scores. */
async function fetchTiers(sc) {
  const [counts, tiers, scores] = await Promise.all([sc.tierCounts(), sc.tiers(), S.ds.n <= SCORES_IN_FRAME_MAX ? sc.scores() : null]);
  return { counts, tiers, scores };
}
function showTiers({ counts, tiers, scores }, weightsOnly) {
  S.counts = counts;
  S.tiers = tiers;
  S.scores = scores;
  chart("tiers").update(S.labels, S.counts, S.labels.map((_, i) => TIER_COLORS[i % TIER_COLORS.length]));
  renderTierCounts();
  renderTransitions();
  if (weightsOnly) table.refreshColumns(["score", "tier"]);
  else table.refresh();
  if (!S.scores) scheduleScores();
}

let scoresTimer = 0;
function scheduleScores() {
  clearTimeout(scoresTimer);
  scoresTimer = setTimeout(async () => {
    const sc = S.scorer;
    if (!sc) return;
    const scores = await sc.scores().catch(() => null);
    if (S.scorer !== sc || !scores) return;
    S.scores = scores;
    table.refreshColumns(["score"]);
  }, 80);
}

let settleTimer = 0;
/** After the slider rests: filters and sort that depend on tiers or scores, the open explanation. */
function scheduleSettle() {
  clearTimeout(settleTimer);
  settleTimer = setTimeout(() => {
    if (!S.scorer || slider.busy) return;
    if ($("#filter-tier").value !== "" || S.sort.key === "score" || S.sort.key === "tier") applyFilters({});
    if (S.selected >= 0 && !$("#explain").hidden) openExplain(S.selected);
  }, 150);
}

// Slider moves: the latest weights wait while one re-tiering is in flight (older ones are dropped).
const slider = { busy: false, next: null };
async function retier() {
  slider.busy = true;
  while (slider.next) {
    const { weights, start } = slider.next;
    slider.next = null;
    const sc = S.scorer;
    if (!sc) break;
    let ok;
    try {
      ok = await queued(async () => {
        await sc.setWeights(weights);
        return rescore(true);
      });
    } catch (err) {
      if (S.scorer === sc) {
        modelError = err;
        renderModelError();
      }
      continue;
    }
    if (!ok) continue;
    const updated = performance.now();
    requestAnimationFrame(() => {
      const painted = performance.now();
      const perf = { customers: S.ds?.n ?? 0, inputToUpdated: updated - start, inputToFrame: painted - start };
      S.lastPerf = perf.inputToUpdated;
      window.crmscoreDemo.perf.push(perf);
      $("#perf").textContent = t("perf.last", { ms: fmt.ms(perf.inputToUpdated) });
      app.dataset.runs = String(++runs);
    });
  }
  slider.busy = false;
  scheduleSettle();
}

$("#weights").addEventListener("input", (e) => {
  const k = Number(e.target.dataset.index);
  if (!(e.target.type === "range") || !Number.isInteger(k) || !S.scorer) return;
  const w = Number(e.target.value);
  S.weights[k] = w;
  S.model.indicators[k].weight = w;
  e.target.nextElementSibling.textContent = fmt.num(w);
  // e.timeStamp: same clock as performance.now(); the weights are copied (the array moves on).
  slider.next = { weights: S.weights.slice(), start: slider.next?.start ?? e.timeStamp };
  if (!slider.busy) retier();
});
$("#weights").addEventListener("click", async (e) => {
  const b = e.target.closest("button[data-remove]");
  if (!b || !S.model) return;
  if (await applyModel(withoutIndicator(S.model, Number(b.dataset.remove)))) $("#preset").value = "custom";
});
$("#add-indicator").addEventListener("click", async () => {
  if (!S.model) return;
  if (await applyModel(withIndicator(S.model, $("#add-field").value))) $("#preset").value = "custom";
});
$("#thresholds").addEventListener("change", async (e) => {
  const i = Number(e.target.dataset.tier);
  if (!Number.isInteger(i) || !S.model) return;
  const input = e.target;
  const v = input.value === "" ? NaN : Number(input.value);
  const ok = Number.isFinite(v) && (await applyModel(withTierMin(S.model, i, v)));
  if (!ok && Number.isFinite(v)) input.setAttribute("aria-invalid", "true");
  if (ok) $("#preset").value = "custom";
});
$("#preset").addEventListener("change", async (e) => {
  if (PRESETS.includes(e.target.value) && S.engine) applyModel(await S.engine.scoringPreset(e.target.value));
});
$("#model-export").addEventListener("click", async () => {
  const json = JSON.stringify(S.scorer ? await S.scorer.model() : S.model, null, 2);
  download(new Blob([json + "\n"], { type: "application/json" }), "crmscore-model.json");
});
$("#model-import").addEventListener("click", () => $("#model-file").click());
$("#model-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  let model;
  try {
    model = parseModelJson(await file.text());
    await S.engine.validateModel(model);
  } catch (err) {
    modelError = err;
    return renderModelError();
  }
  if (await applyModel(model)) $("#preset").value = "custom";
});

// ---------------------------------------------------------------- views
function renderTierCounts() {
  const total = S.ds.n || 1;
  fill($("#tier-counts"), S.labels.map((label, i) =>
    h("li", { data: { tier: label, count: S.counts[i] } },
      h("span", { class: "tier-chip", style: { "--chip": TIER_COLORS[i % TIER_COLORS.length] }, text: label }),
      h("span", { text: t("tiers.count", { count: fmt.int(S.counts[i]), share: fmt.percent(S.counts[i] / total) }) }))));
}

function renderTransitions() {
  const snap = S.snapshot;
  const tableEl = $("#transitions");
  if (!snap || snap.dsId !== S.ds.id) {
    tableEl.hidden = true;
    $("#transitions-note").hidden = false;
    $("#transitions-note").textContent = snap ? t("transitions.other") : t("transitions.none");
    $("#transitions-summary").textContent = "";
    return;
  }
  const tr = transitions(snap.tiers, S.tiers, snap.labels.length, S.labels.length);
  $("#transitions-note").hidden = true;
  tableEl.hidden = false;
  const cellText = (a, b) => (tr.matrix[a][b] ? fmt.int(tr.matrix[a][b]) : "·");
  const shape = `${getLang()}|${snap.labels}|${S.labels}`;
  if (tableEl.dataset.shape === shape) {
    // Same rows and columns: rewrite the numbers only (this runs in the slider's frame).
    const tds = tableEl.querySelectorAll("tbody td");
    let k = 0;
    for (let a = 0; a < snap.labels.length; a++) for (let b = 0; b < S.labels.length; b++) tds[k++].textContent = cellText(a, b);
  } else {
    tableEl.dataset.shape = shape;
    fill(tableEl, [
      h("thead", {}, h("tr", {}, h("th", { text: t("transitions.corner") }), ...S.labels.map((l) => h("th", { class: "num", text: l })))),
      h("tbody", {}, ...snap.labels.map((from, a) =>
        h("tr", {}, h("th", { text: from }), ...S.labels.map((_, b) =>
          h("td", { class: `num ${a === b ? "same" : b < a ? "up" : "down"}`, data: { from, to: S.labels[b] }, text: cellText(a, b) }))))),
    ]);
  }
  $("#transitions-summary").textContent = `${t("transitions.saved", { time: fmt.dateTime(snap.savedAt) })} ` +
    t("transitions.summary", { up: fmt.int(tr.upgraded), down: fmt.int(tr.downgraded), same: fmt.int(tr.unchanged) });
  $("#transitions-summary").dataset.up = String(tr.upgraded);
  $("#transitions-summary").dataset.down = String(tr.downgraded);
}
$("#snapshot").addEventListener("click", () => {
  if (!S.scorer) return;
  S.snapshot = { dsId: S.ds.id, tiers: S.tiers.slice(), labels: [...S.labels], savedAt: Date.now() };
  storeSnapshot();
  renderTransitions();
});

// Snapshots are kept in this browser's localStorage (never sent anywhere), keyed by a
// signature of the data, so "compare with last time" works after a reload on the same data.
const SNAPSHOT_KEY = "crmscore-demo-snapshot";
const SNAPSHOT_MAX = 500_000; // customers (one byte each, base64 in storage)
const dataSignature = (ds) => [ds.n, ds.orders, ds.asOf, textAt(ds.customerIds, 0), textAt(ds.customerIds, ds.n - 1)].join("|");
function storeSnapshot() {
  const snap = S.snapshot;
  if (!snap || snap.tiers.length > SNAPSHOT_MAX) return;
  try {
    let bin = "";
    for (let i = 0; i < snap.tiers.length; i += 0x8000) bin += String.fromCharCode(...snap.tiers.subarray(i, i + 0x8000));
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ sig: dataSignature(S.ds), labels: snap.labels, savedAt: snap.savedAt, tiers: btoa(bin) }));
  } catch {
    // storage full or unavailable: the snapshot still lives for this visit
  }
}
function restoreSnapshot() {
  try {
    const saved = JSON.parse(localStorage.getItem(SNAPSHOT_KEY) ?? "null");
    if (!saved || saved.sig !== dataSignature(S.ds)) return;
    const bin = atob(saved.tiers);
    const tiers = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    if (tiers.length !== S.ds.n || tiers.some((x) => x >= saved.labels.length)) return;
    S.snapshot = { dsId: S.ds.id, tiers, labels: saved.labels, savedAt: saved.savedAt };
  } catch {
    // nothing usable stored
  }
}

/** Views that depend on the data only (RFM): heatmap and segments. */
function renderStaticViews() {
  const rfm = S.ds.rfm;
  draw("heatmap", (c) => c.update(rfm.heatmap, 5, [t("heatmap.r"), t("heatmap.f")]));
  const segs = rfm.segments.filter((s) => s.customers > 0);
  const totalC = segs.reduce((a, s) => a + s.customers, 0) || 1;
  const totalR = segs.reduce((a, s) => a + s.revenue, 0) || 1;
  draw("segments", (c) => c.update(segs.map((s) => segmentLabel(s.name)), [t("segments.customers"), t("segments.revenue")],
    segs.map((s) => s.customers / totalC), segs.map((s) => s.revenue / totalR)));
  if (S.classes) renderClassViews();
  else {
    draw("lifecycle", (c) => c.update([], []));
    draw("flags", (c) => c.update([], []));
    fill($("#lifecycle-counts"), []);
    $("#junk-count").textContent = "";
  }
}

function renderClassViews() {
  const { summary: sum, labels } = S.classes.result;
  $("#classify-status").textContent = t("status.classified", { ms: fmt.ms(S.classifyMs) });
  draw("lifecycle", (c) => c.update(labels.lifecycle.map((l) => t(`lifecycle.${l}`)), labels.lifecycle.map((l) => sum.lifecycle[l])));
  fill($("#lifecycle-counts"), labels.lifecycle.map((l) => h("li", { data: { lifecycle: l, count: sum.lifecycle[l] }, text: `${t(`lifecycle.${l}`)}: ${fmt.int(sum.lifecycle[l])}` })));
  const codes = labels.flags.filter((c) => sum.flags[c] > 0);
  draw("flags", (c) => c.update([t("flag.junk"), ...codes.map((k) => t(`flag.${k}`))], [sum.junk, ...codes.map((k) => sum.flags[k])],
    ["#b42318", ...codes.map(() => "#f59e0b")]));
  const junk = $("#junk-count");
  junk.dataset.count = String(sum.junk);
  junk.textContent = t("flags.junk", { count: fmt.int(sum.junk), share: fmt.percent(sum.junk / (S.ds.n || 1)) });
}

function renderClv() {
  const card = $("#clv-card");
  card.hidden = !S.clv;
  if (!S.clv) return;
  if (S.clv.error) {
    $("#clv-note").textContent = t("clv.failed", { message: String(S.clv.error.message ?? S.clv.error) });
    return;
  }
  $("#clv-note").textContent = t("clv.note");
  // A histogram of 1M values and a chart: each pair a task of its own.
  const { pAlive, clv } = S.clv;
  draw("pAlive", (c) => c.update(Array.from({ length: 10 }, (_, i) => `${i * 10}–${i * 10 + 10}%`), histogram(pAlive, 10, 0, 1)));
  draw("clv", (c) => {
    let hi = 0;
    for (let i = 0; i < clv.length; i++) if (clv[i] > hi) hi = clv[i];
    const bins = 12;
    c.update(Array.from({ length: bins }, (_, i) => fmt.compact(((i + 0.5) * (hi || 1)) / bins)), histogram(clv, bins, 0, hi || 1));
  });
}

// ---------------------------------------------------------------- table: filters and sorting
function renderFilters() {
  if (!S.ds) return;
  const keep = (sel) => sel.value;
  const tierSel = $("#filter-tier"), segSel = $("#filter-segment"), lifeSel = $("#filter-lifecycle");
  const [tv, sv, lv] = [keep(tierSel), keep(segSel), keep(lifeSel)];
  fill(tierSel, [h("option", { value: "", text: t("filter.allTiers") }), ...S.labels.map((l, i) => h("option", { value: String(i), text: l }))]);
  fill(segSel, [h("option", { value: "", text: t("filter.allSegments") }),
    ...S.ds.rfm.segmentNames.map((name, i) => h("option", { value: String(i), text: segmentLabel(name) })),
    h("option", { value: String(NO_SEGMENT), text: t("segments.noOrders") })]);
  const lifecycles = S.classes?.result.labels.lifecycle ?? LIFECYCLES; // option value = code
  fill(lifeSel, [h("option", { value: "", text: t("filter.allLifecycles") }), ...lifecycles.map((l, i) => h("option", { value: String(i), text: t(`lifecycle.${l}`) }))]);
  lifeSel.disabled = !S.classes;
  $("#filter-junk").disabled = !S.classes;
  tierSel.value = tv;
  segSel.value = sv;
  lifeSel.value = lv;
}

function sortKey(key) {
  const ds = S.ds, rfm = ds.rfm;
  switch (key) {
    case "score": return S.scores; // fetched by sortBy before it sorts
    case "tier": return S.tiers;
    case "rfm": return { length: ds.n, at: (i) => (rfm.segment[i] === NO_SEGMENT ? -1 : rfm.recencyScore[i] * 100 + rfm.frequencyScore[i] * 10 + rfm.monetaryScore[i]) };
    case "segment": return rfm.segment;
    case "lifecycle": return S.classes?.result.lifecycle;
    case "valueClass": return S.classes?.result.valueClass;
    case "flags": return S.classes?.flagCount;
    case "revenue": return ds.derived.totalAmount;
    default: return null;
  }
}

function applyFilters({ top = false }) {
  if (!S.ds) return;
  const n = S.ds.n;
  const text = $("#filter-text").value.trim().toLowerCase();
  const tier = $("#filter-tier").value === "" ? -1 : Number($("#filter-tier").value);
  const seg = $("#filter-segment").value === "" ? -1 : Number($("#filter-segment").value);
  const life = $("#filter-lifecycle").value === "" || !S.classes ? -1 : Number($("#filter-lifecycle").value);
  const junkOnly = $("#filter-junk").checked && S.classes;
  const ids = S.ds.customerIds, names = S.ds.names, segment = S.ds.rfm.segment;
  let hits = null;
  if (text) {
    hits = matchRows(ids, text, n);
    const byName = matchRows(names, text, n);
    for (let i = 0; i < n; i++) hits[i] |= byName[i];
  }
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (tier >= 0 && S.tiers[i] !== tier) continue;
    if (seg >= 0 && segment[i] !== seg) continue;
    if (life >= 0 && S.classes.result.lifecycle[i] !== life) continue;
    if (junkOnly && !S.classes.result.junk[i]) continue;
    if (hits && !hits[i]) continue;
    out[m++] = i;
  }
  let order = out.subarray(0, m);
  const { key, dir } = S.sort;
  if (key) {
    if (key === "customerId" || key === "name") {
      const col = key === "customerId" ? ids : names ?? [];
      const val = (i) => textAt(col, i);
      order.sort((a, b) => (val(a) < val(b) ? -dir : val(a) > val(b) ? dir : a - b));
    } else {
      const k = sortKey(key);
      if (k?.at) {
        const tmp = Float64Array.from({ length: n }, (_, i) => k.at(i));
        order.sort((a, b) => (tmp[a] - tmp[b]) * dir || a - b);
      } else if (k) {
        order.sort((a, b) => (k[a] - k[b]) * dir || a - b);
      }
    }
  }
  S.order = order;
  table.setOrder(order);
  if (top) table.scrollToTop();
  $("#filter-count").textContent = t("filter.count", { shown: fmt.int(m), total: fmt.int(n) });
  $("#filter-count").dataset.shown = String(m);
  $("#export-csv").textContent = t("customers.exportCount", { count: fmt.int(m) });
}

async function sortBy(key) {
  if (!S.scorer) return;
  if (key === "score" && !S.scores) {
    const sc = S.scorer;
    const scores = await sc.scores();
    if (S.scorer !== sc) return;
    S.scores = scores;
  }
  S.sort = S.sort.key === key ? { key, dir: -S.sort.dir } : { key, dir: key === "customerId" || key === "name" || key === "tier" ? 1 : -1 };
  table.setSort(S.sort);
  applyFilters({ top: true });
}

let filterTimer = 0;
$("#filters").addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => applyFilters({ top: true }), 120);
});
$("#filters").addEventListener("change", () => applyFilters({ top: true }));
$("#filters").addEventListener("submit", (e) => e.preventDefault());

// ---------------------------------------------------------------- explanation
/** The detail panel of customer i: the Scorer's and the Classifier's explain(i), from the worker. */
async function openExplain(i) {
  S.selected = i;
  table.select(i);
  const ds = S.ds, sc = S.scorer, classes = S.classes;
  if (!ds || !sc) return;
  let x, c = null;
  try {
    [x, c] = await Promise.all([sc.explain(i), classes ? classes.classifier.explain(i) : null]);
  } catch (e) {
    if (S.ds === ds && S.selected === i) $("#explain-summary").textContent = describeError(e);
    return;
  }
  // A later click, another data set or a finished classification may have come meanwhile.
  if (S.ds !== ds || S.scorer !== sc || S.selected !== i || S.classes !== classes) return;
  const rfm = ds.rfm;
  const panel = $("#explain");
  panel.hidden = false;
  panel.dataset.index = String(i);
  panel.dataset.customer = textAt(ds.customerIds, i);
  const name = textAt(ds.names, i);
  $("#explain-heading").textContent = t("explain.title", { id: textAt(ds.customerIds, i) }) + (name ? ` · ${name}` : "");
  $("#explain-summary").textContent = `${t("explain.summary", { score: fmt.score(x.score), tier: x.tier })} · ` +
    (x.nextTier === null ? t("explain.top") : t("explain.next", { points: fmt.score(x.pointsToNextTier), tier: x.nextTier }));
  const value = (v) => (v === null ? t("explain.missing") : typeof v === "number" ? fmt.num(v) : String(v));
  const maxPts = Math.max(1, ...S.model.indicators.map((k) => k.weight));
  fill($("#explain-contributions"), [
    h("thead", {}, h("tr", {}, h("th", { text: t("explain.indicator") }), h("th", { class: "num", text: t("explain.value") }), h("th", { class: "num", text: t("explain.fraction") }), h("th", { class: "num", text: t("explain.points") }), h("th", {}))),
    h("tbody", {}, ...x.contributions.map((c) =>
      h("tr", { class: c.kind, data: { indicator: c.indicator } },
        h("td", { text: fieldLabel(c.field) }),
        h("td", { class: "num", text: value(c.value) }),
        h("td", { class: "num", text: c.fraction === null ? "—" : fmt.percent(c.fraction) }),
        h("td", { class: "num", text: fmt.score(c.points) }),
        h("td", { class: "bar-cell" }, h("span", { class: `bar ${c.points < 0 ? "neg" : ""}`, style: { width: `${Math.min(100, (Math.abs(c.points) / maxPts) * 100)}%` } }))))),
    h("tfoot", {}, h("tr", {}, h("th", { text: t("explain.total") }), h("td", {}), h("td", {}), h("td", { class: "num", text: fmt.score(x.score) }), h("td", {}))),
  ]);
  $("#explain-upgrade").textContent = x.upgrade.length
    ? t("explain.upgrade", { items: x.upgrade.map((u) => (u.targetValue === null ? t("explain.upgradeItemNoTarget", { name: fieldLabel(u.field), gain: fmt.score(u.maxGain) }) : t("explain.upgradeItem", { name: fieldLabel(u.field), target: fmt.num(u.targetValue) }))).join("; ") })
    : "";
  const dl = (el, pairs) => fill(el, pairs.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
  const noOrders = rfm.segment[i] === NO_SEGMENT;
  dl($("#explain-rfm"), [
    [t("explain.recency"), noOrders ? "—" : fmt.num(rfm.recencyDays[i])],
    [t("explain.frequency"), fmt.int(rfm.frequency[i])],
    [t("explain.monetary"), fmt.money(rfm.monetary[i])],
    [t("explain.scores"), noOrders ? "—" : `${rfm.recencyScore[i]} · ${rfm.frequencyScore[i]} · ${rfm.monetaryScore[i]}`],
    [t("explain.segment"), segName(i)],
  ]);
  if (!c) {
    dl($("#explain-classes"), [[t("explain.lifecycle"), t("explain.pending")]]);
    fill($("#explain-flags"), []);
    return;
  }
  dl($("#explain-classes"), [
    [t("explain.lifecycle"), t(`lifecycle.${c.lifecycle}`)],
    [t("explain.leadStage"), t(`leadStage.${c.leadStage}`)],
    [t("explain.valueClass"), t(`valueClass.${c.valueClass}`)],
    [t("explain.loyalty"), t(`loyalty.${c.loyalty}`)],
    [t("explain.churnRisk"), t(`churnRisk.${c.churnRisk}`) + (c.churnReasons.length ? ` (${c.churnReasons.map((r) => t(`churnReason.${r}`)).join(", ")})` : "")],
    [t("explain.junk"), c.junk ? t("yes") : t("no")],
  ]);
  fill($("#explain-flags"), c.flags.length
    ? c.flags.map((f) => h("li", { class: `flag ${f.severity}`, data: { code: f.code } },
        h("span", { class: "severity", text: t(`severity.${f.severity}`) }),
        h("strong", { text: t(`flag.${f.code}`) }),
        h("span", { class: "reason", text: f.reason }),
        h("span", { class: "evidence", text: Object.entries(f.evidence).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`).join(" · ") })))
    : [h("li", { class: "note", text: t("explain.noFlags") })]);
}
$("#explain-close").addEventListener("click", () => {
  $("#explain").hidden = true;
  delete $("#explain").dataset.customer;
  S.selected = -1;
  table.select(-1);
});

// ---------------------------------------------------------------- export
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$("#export-csv").addEventListener("click", async () => {
  if (!S.scorer) return;
  const ds = S.ds, rfm = ds.rfm, sc = S.scorer;
  const scores = await sc.scores();
  if (S.scorer !== sc) return;
  const cls = S.classes?.result;
  const label = (kind, i) => cls.labels[kind][cls[kind][i]];
  const header = ["customer_id", "name", "score", "tier", "recency_score", "frequency_score", "monetary_score", "rfm_segment", "lifecycle", "value_class", "loyalty", "churn_risk", "junk", "flags", "revenue"];
  const row = (i) => {
    const seg = rfm.segment[i];
    return [
      textAt(ds.customerIds, i), ds.names?.at(i) ?? null, scores[i], S.labels[S.tiers[i]],
      seg === NO_SEGMENT ? null : rfm.recencyScore[i], seg === NO_SEGMENT ? null : rfm.frequencyScore[i], seg === NO_SEGMENT ? null : rfm.monetaryScore[i],
      seg === NO_SEGMENT ? null : rfm.segmentNames[seg],
      cls ? label("lifecycle", i) : null, cls ? label("valueClass", i) : null, cls ? label("loyalty", i) : null, cls ? label("churnRisk", i) : null,
      cls ? cls.junk[i] === 1 : null, cls ? flagCodes(cls.flags[i], cls.labels).join(" ") : null, ds.derived.totalAmount[i],
    ];
  };
  download(new Blob([...csvChunks(header, S.order, row)], { type: "text/csv;charset=utf-8" }), "crmscore-customers.csv");
});

// ---------------------------------------------------------------- network proof
// Counts resource requests made after start-up (there should be none: files are read
// locally, downloads are blob: URLs made here).
let requestsAfterLoad = 0;
function renderNet() {
  const el = $("#net-status");
  el.dataset.requests = String(requestsAfterLoad);
  el.textContent = t("net.count", { count: requestsAfterLoad });
}
function watchNetwork() {
  // Everything the page asked for before it was ready (the page, its script, the .wasm, the
  // worker's script) started before `readyAt`; anything that starts later is counted.
  const readyAt = performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.startTime < readyAt || e.name.startsWith("blob:") || e.name.startsWith("data:")) continue;
      requestsAfterLoad++;
      window.crmscoreDemo.requests.push(e.name);
    }
    renderNet();
  }).observe({ type: "resource", buffered: true });
  renderNet();
}

// ---------------------------------------------------------------- language
function renderLangButtons() {
  for (const b of document.querySelectorAll(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === getLang()));
}
function switchLang(lang) {
  if (lang === getLang()) return;
  setLang(lang);
  rememberLang(lang);
  renderAllText();
}
function renderAllText() {
  applyStatic();
  renderLangButtons();
  $("#version").textContent = S.version ? t("version", { version: S.version }) : "";
  $("#sample-source").textContent = t(`sample.source.${sampleSource()}`);
  renderStatus();
  renderNet();
  renderLoadError();
  if (S.sources.length) renderSources();
  if (!S.ds || !S.scorer) return;
  renderModel();
  renderModelError();
  rescore();
  renderStaticViews();
  renderClv();
  renderFilters();
  applyFilters({});
  table.relabel();
  if (S.selected >= 0 && !$("#explain").hidden) openExplain(S.selected);
}

// ---------------------------------------------------------------- start
document.querySelector(".lang").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-lang]");
  if (b) switchLang(b.dataset.lang);
});
$("#sample-load").addEventListener("click", () => loadSample());
$("#file-input").addEventListener("change", async (e) => {
  await addFiles(e.target.files);
  e.target.value = "";
});
$("#files-load").addEventListener("click", () => loadFiles());
$("#files-clear").addEventListener("click", () => {
  for (const s of S.sources) worker.postMessage({ type: "forget", id: s.id });
  S.sources = [];
  renderSources();
});
const drop = $("#dropzone");
for (const ev of ["dragenter", "dragover"]) drop.addEventListener(ev, (e) => (e.preventDefault(), drop.classList.add("over")));
for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  addFiles(e.dataTransfer.files);
});
// A file dropped beside the zone must not make the browser navigate away.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => e.preventDefault());

/** Read-only state for tests and the curious (window.crmscoreDemo in the console). */
window.crmscoreDemo = {
  perf: [],
  requests: [], // resource requests after start-up (should stay empty)
  progress: [], // every progress-bar value shown
  get customers() { return S.ds?.n ?? 0; },
  tierLabels: () => [...S.labels],
  tierCounts: () => Array.from(S.counts),
  model: () => JSON.parse(JSON.stringify(S.model)),
  asOf: () => S.ds?.asOf ?? null,
  /** The current (or last) load: its id, the stage running, wall time per stage (ms). */
  run: () => (S.run ? { id: S.run.id, stage: S.run.stage, finished: S.run.finished, timings: { ...S.run.timings } } : null),
  classCounts: () => (S.classes ? { ...S.classes.result.summary.lifecycle } : null),
  segmentCounts: () => (S.ds ? S.ds.rfm.segments.map((x) => x.customers) : []),
  stages: STAGES,
};

setLang(initialLang());
statusKey = { key: "status.loading" };
renderAllText();
// ?sample=N picks the sample's size (one of the sizes offered), e.g. ?sample=1000000.
const params = new URLSearchParams(location.search);
const askedSize = Number(params.get("sample"));
if (SAMPLE_SIZES.includes(askedSize)) $("#sample-size").value = String(askedSize);
// The engine (its worker and the .wasm) and the sample's worker start with the page, so
// their files are fetched now, not later.
sampleWorkerStarted();
// The charts are made while the workers start, one task each (not in the first task).
const chartsMade = (async () => {
  for (const k of Object.keys(CHARTS)) {
    await nextTask();
    chart(k);
  }
})();
try {
  S.engine = await createEngine();
  S.version = await S.engine.version();
} catch (e) {
  showLoadError(e);
}
statusKey = { key: "status.ready" };
renderAllText();
// Start-up ends when the workers run (their scripts are the last files the page fetches).
await Promise.race([Promise.all([workerStarted, sampleWorker.ready]), new Promise((r) => setTimeout(r, 5000))]);
await chartsMade;
watchNetwork();
app.dataset.status = "idle";
// A newcomer sees results at once: the 10k sample loads on the first visit (?empty keeps the
// empty start, for a page that will load its own files).
if (S.engine && !params.has("empty")) loadSample();
