// Editing a scoring model (a plain JSON object, crmscore's ScoringModel) in the page: pure
// functions that return a new model; the page validates through the library (setModel throws
// a CrmScoreError naming the JSON path, and then nothing changes).

export const PRESETS = ["valueEngagement", "qualityCustomer"];
export const WEIGHT_MAX = 100;

const clone = (m) => JSON.parse(JSON.stringify(m));

/** Weights in indicator order, as the Scorer wants them. */
export const weightsOf = (model) => Float64Array.from(model.indicators, (k) => k.weight);

export function withWeight(model, index, weight) {
  const m = clone(model);
  m.indicators[index].weight = weight;
  return m;
}

/** Scales for a new indicator on a field: percentile for amounts and counts (robust to any
 *  range), inverted percentile for fields where lower is better. */
const LOWER_IS_BETTER = new Set(["daysSinceLastOrder", "returnRate", "complaintCount", "averagePaymentDelayDays", "paymentDefaultCount"]);

export function withIndicator(model, field, weight = 10) {
  const m = clone(model);
  const ids = new Set([...m.indicators.map((k) => k.id), ...(m.adjustments ?? []).map((a) => a.id)]);
  let id = field;
  for (let k = 2; ids.has(id); k++) id = `${field}_${k}`;
  const ind = { id, field, weight, scale: { type: "percentile" } };
  if (LOWER_IS_BETTER.has(field)) ind.invert = true;
  m.indicators.push(ind);
  return m;
}

export function withoutIndicator(model, index) {
  const m = clone(model);
  m.indicators.splice(index, 1);
  return m;
}

/** Tier `index` gets `min` (null allowed for the last tier only; the library checks the order). */
export function withTierMin(model, index, min) {
  const m = clone(model);
  m.tiers[index].min = min;
  return m;
}

/** Model JSON from a file: parsed, with the checks a Scorer would not make itself. */
export function parseModelJson(text) {
  const m = JSON.parse(text);
  if (!m || typeof m !== "object" || Array.isArray(m) || !Array.isArray(m.indicators) || !Array.isArray(m.tiers)) {
    throw Object.assign(new Error("not a scoring model: indicators[] and tiers[] expected"), { code: "invalid_model" });
  }
  return m;
}
