// Types of the scoring exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/scoring.rs; tsc checks their use).
/** How an indicator's field becomes a fraction in [0, 1]. */
export type Scale =
  /** (x − min) / (max − min), clamped to [0, 1]. */
  | { type: "linear"; min: number; max: number }
  /** [threshold, fraction] pairs, strictly descending thresholds; the first with x ≥ threshold wins; none → 0. */
  | { type: "bands"; bands: [number, number][] }
  /** Mid-rank percentile within the data set: (below + (equal − 1) / 2) / (n − 1). */
  | { type: "percentile" }
  /** ln(1 + max(x, 0)) / ln(1 + max), clamped to [0, 1]. */
  | { type: "log"; max: number }
  /** true / non-zero → 1, false / 0 → 0. */
  | { type: "boolean" }
  /** A categorical field: each listed value's fraction; an unlisted value counts as missing. */
  | { type: "map"; values: Record<string, number> };

export interface ScoringIndicator {
  id: string;
  /** The customer field it reads. */
  field: string;
  /** Points at full marks (finite, ≥ 0). */
  weight: number;
  scale: Scale;
  /** Lower is better: fraction = 1 − scaled value. */
  invert?: boolean;
  /** "zero" (default): 0 points; "skip": renormalise over the present indicators; "error": throw. */
  missing?: "zero" | "skip" | "error";
  group?: string;
  /** Whether the model's decay applies (default true). */
  decay?: boolean;
}

export interface ScoringAdjustment {
  id: string;
  field: string;
  op: ">" | ">=" | "<" | "<=" | "==" | "!=";
  value: number | string | boolean;
  /** Points added when `field op value` holds; may be negative. */
  points: number;
  group?: string;
  decay?: boolean;
}

/** A weighted scoring model (JSON-serialisable). See the README for the exact formula. */
export interface ScoringModel {
  name?: string;
  description?: string;
  indicators: ScoringIndicator[];
  adjustments?: ScoringAdjustment[];
  /** The most points a group's indicators and adjustments can add together. */
  groups?: { id: string; cap: number }[];
  /** Points fade by 0.5^(age / halfLifeDays), age = asOf − the date in `field` (no date: no decay). */
  decay?: { field: string; halfLifeDays: number };
  /** Ordered high → low; a customer gets the first tier with score ≥ min. The last tier's
   * min may be null (everything else) and must not exceed the lowest possible score. */
  tiers: { label: string; min: number | null }[];
}

export type ScoringPreset = "qualityCustomer" | "valueEngagement";

/** Options of `score` and `new Scorer`. */
export interface ScoringOptions {
  /** Every field the model names must exist in the data (default false: an absent field is missing everywhere). */
  strict?: boolean;
  /** Reference date for decay and for fields derived from activity (default: the latest date seen). */
  asOf?: string | number | Date;
  /** With activity data: derive pAlive, expectedPurchases90Days (and clv, with spend and clv
   *  options) from a fitted BTYD model, as fields a model can name. */
  lifetime?: LifetimeFieldsOptions | null;
}

/** Columns instead of records: typed arrays (NaN = missing) or plain arrays (null = missing). */
export interface ColumnarCustomers {
  customerIds?: ArrayLike<string | number>;
  columns: Record<string, Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | CodedText | ArrayLike<number | string | boolean | Date | null>>;
}

/** Records, columns, or raw activity (fields derived per customer as by `deriveFields`, plus the `customers` attributes). */
/**
 * Customer records, columns, activity records, or typed activity columns (a
 * `ColumnarActivity`, plus optional `columns` of extra per-customer values).
 */
export type ScoringInput = object[] | ColumnarCustomers | ActivityData | (ColumnarActivity & { columns?: Record<string, ArrayLike<unknown>> });

export interface Contribution {
  /** Indicator or adjustment id. */
  indicator: string;
  kind: "indicator" | "adjustment";
  field: string;
  /** The customer's field value (null when missing). */
  value: number | string | boolean | null;
  /** Scaled value in [0, 1] after invert, before decay (adjustments: 1 applied / 0 not); null when missing. */
  fraction: number | null;
  /** Points after renormalisation, decay and group caps, rounded to 4 decimals. */
  points: number;
}

export interface UpgradePath {
  indicator: string;
  field: string;
  /** The most points this indicator can still add (to full marks, within its group's cap). */
  maxGain: number;
  /** Rise of its fraction needed to reach the next tier alone; null when it cannot. */
  fractionNeeded: number | null;
  /** The field value that reaches the next tier (linear, log, bands, boolean scales); null otherwise. */
  targetValue: number | null;
}

export interface ScoredCustomer {
  customerId: string | number;
  /** Σ contributions, rounded to 4 decimals. */
  score: number;
  tier: string;
  /** Index into model.tiers (0 = top). */
  tierIndex: number;
  contributions: Contribution[];
  /** The decay factor applied (1 without decay). */
  decayFactor: number;
  /** Points missing to the next tier up; null in the top tier. */
  pointsToNextTier: number | null;
  nextTier: string | null;
  /** Up to 3 indicators, cheapest first: those that close the gap alone (smallest fractionNeeded), then the rest by maxGain. */
  upgrade: UpgradePath[];
}

export interface TierSummary {
  label: string;
  min: number | null;
  customers: number;
  share: number;
}

export interface ScoreResult {
  customers: ScoredCustomer[];
  tiers: TierSummary[];
  /** The decay / activity reference date used (YYYY-MM-DD), or null. */
  asOf: string | null;
}

export interface TierTransitions {
  /** Customers present in both snapshots, by (from, to) tier; only non-empty cells. */
  matrix: { from: string | number; to: string | number; customers: number }[];
  upgraded: (string | number)[];
  downgraded: (string | number)[];
  /** In `after` only. */
  entered: (string | number)[];
  /** In `before` only. */
  left: (string | number)[];
  unchanged: number;
}

export interface CompareTiersOptions {
  /** Tier labels best → worst (default: numbers ascending, strings in code-point order, so "A" is best). */
  order?: (string | number)[];
}

export interface TierEconomicsOptions {
  /** Service cost per customer of each tier. */
  costPerCustomer: Record<string, number>;
}

export interface TierEconomicsRow {
  tier: string;
  customers: number;
  revenue: number;
  cost: number;
  margin: number;
  revenueShare: number;
  customerShare: number;
  revenuePerCustomer: number;
  marginPerCustomer: number;
}

export interface TierEconomics {
  tiers: TierEconomicsRow[];
  total: { customers: number; revenue: number; cost: number; margin: number };
}

/**
 * A text column of few distinct values, dictionary-coded: row i is `labels[codes[i]]` (a null
 * label = no value). A million customers' region without a million strings — and nothing but
 * one typed array to post to a worker.
 */
export interface CodedText {
  codes: Uint8Array | Uint16Array | Uint32Array;
  labels: (string | null)[];
}
