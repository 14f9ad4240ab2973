// The demo page: sample → rfm() → tables. Wiring only; see src/ for the parts.
import { getSample, hasSample, runRfm, version } from "./src/engine.js";
import { t, setLang, getLang, initialLang, rememberLang, applyStatic } from "./src/i18n.js";
import { renderAll } from "./src/render.js";
import { PRESET_BINS, segmentsOption } from "./src/presets.js";
import { $, h, fill, nextPaint } from "./src/dom.js";
import * as fmt from "./src/format.js";

const MIN_BINS = 2;
const MAX_BINS = 10;
const DEFAULT_BINS = 5;

const app = $("#app");
const controls = {
  size: $("#size"),
  bins: $("#bins"),
  binning: $("#binning"),
  segments: $("#segments"),
};

// What is on screen, so a language switch can re-render without recomputing.
// kind: "busy" (generating the sample), "result" or "error".
let view = { kind: "busy", size: Number(controls.size.value) };
let runId = 0;
let runs = 0;

function readOptions() {
  return {
    size: Number(controls.size.value),
    bins: Number(controls.bins.value),
    binning: controls.binning.value,
    segments: controls.segments.value,
  };
}

async function update() {
  const id = ++runId;
  const o = readOptions();
  if (!hasSample(o.size)) {
    // Generating 100k customers (~700k orders) takes a moment: say so first.
    view = { kind: "busy", size: o.size };
    render();
    await nextPaint();
    if (id !== runId) return; // superseded by a newer change
  }
  const sample = getSample(o.size);
  try {
    const { result, ms } = runRfm(sample.orders, {
      bins: o.bins,
      binning: o.binning,
      segments: segmentsOption(o.segments, o.bins),
    });
    view = { kind: "result", result, ms, sample, options: o };
  } catch (error) {
    view = { kind: "error", error, sample, options: o };
  }
  render();
  app.dataset.runs = String(++runs);
}

function render() {
  app.dataset.status = view.kind === "result" ? "ready" : view.kind;
  const statusMain = $("#status-main");
  const statusDetail = $("#status-detail");
  if (view.kind === "busy") {
    statusMain.textContent = t("status.generating", { customers: fmt.int(view.size) });
    statusDetail.textContent = "";
    return;
  }
  const { sample } = view;
  if (view.kind === "result") {
    const { result, ms } = view;
    statusMain.textContent = t("status.timing", { ms: fmt.ms(ms) });
    statusDetail.textContent = t("status.detail", {
      orders: fmt.int(sample.orders.length),
      customers: fmt.int(result.customers.length),
      asOf: result.asOf,
      genMs: fmt.ms(sample.ms),
    });
    $("#error").hidden = true;
    $("#results").hidden = false;
    renderAll(result);
  } else {
    statusMain.textContent = t("status.failed");
    statusDetail.textContent = "";
    $("#results").hidden = true;
    renderError(view.error, view.options);
    $("#error").hidden = false;
  }
}

function renderError(error, o) {
  const isCrm = error?.name === "CrmScoreError";
  const presetNeedsBins = PRESET_BINS[o.segments];
  const presetMismatch = isCrm && error.field === "segments" && presetNeedsBins && o.bins !== presetNeedsBins;

  $("#error-heading").textContent = isCrm && error.code === "invalid_option" ? t("error.heading") : t("error.headingOther");
  $("#error-hint").textContent = presetMismatch ? t("error.presetBins", { preset: t(`preset.${o.segments}`), bins: o.bins }) : "";
  $("#error-hint").hidden = !presetMismatch;

  const fix = (label, control, value) =>
    h("button", { type: "button", class: "fix", text: label, data: { control, value } });
  fill(
    $("#error-actions"),
    presetMismatch
      ? [
          fix(t("error.useFiveBins"), "bins", String(presetNeedsBins)),
          fix(t("error.useHalves"), "segments", "halves"),
          fix(t("error.useNone"), "segments", "none"),
        ]
      : [],
  );

  $("#error-label").textContent = isCrm
    ? error.field
      ? t("error.library", { code: error.code, field: error.field })
      : t("error.libraryNoField", { code: error.code })
    : t("error.other");
  $("#error-message").textContent = String(error?.message ?? error);
}

function renderLangButtons() {
  for (const b of document.querySelectorAll(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === getLang()));
}

function switchLang(lang) {
  if (lang === getLang()) return;
  setLang(lang);
  rememberLang(lang);
  applyStatic();
  renderLangButtons();
  $("#version").textContent = t("version", { version: version() });
  render();
}

// ---- start ----
fill(
  controls.bins,
  Array.from({ length: MAX_BINS - MIN_BINS + 1 }, (_, i) => {
    const n = MIN_BINS + i;
    return h("option", { value: n, selected: n === DEFAULT_BINS, text: n });
  }),
);
controls.bins.value = String(DEFAULT_BINS);

setLang(initialLang());
applyStatic();
renderLangButtons();
$("#version").textContent = t("version", { version: version() });

$("#options").addEventListener("change", () => update());
$("#options").addEventListener("submit", (e) => e.preventDefault());
document.querySelector(".lang").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-lang]");
  if (b) switchLang(b.dataset.lang);
});
$("#error-actions").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-control]");
  if (!b) return;
  controls[b.dataset.control].value = b.dataset.value;
  update();
});

update();
