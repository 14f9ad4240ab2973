// Types of the btyd exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/btyd.rs; tsc checks their use).
/** The time unit of summaries and models: every recency, T, horizon and step is in it. */
export type TimeUnit = "day" | "week" | "month";

export interface SummarizeOptions {
  /** End of observation (inclusive). Default: the latest order's day. */
  asOf?: string | number | Date;
  /** Required: "month" = 30.436875 days (the mean Gregorian month); purchases are grouped per day. */
  unit: TimeUnit;
  /** End of calibration: adds frequencyHoldout, monetaryValueHoldout, durationHoldout. */
  calibrationEnd?: string | number | Date;
}

/** lifetimes' summary_data_from_transaction_data: orders of one day are one purchase. */
export interface CustomerSummary {
  customerId: CustomerId;
  /** Repeat purchase days (distinct order days − 1). */
  frequency: number;
  /** First → last order, in the unit. */
  recency: number;
  /** First order → asOf (or calibrationEnd), in the unit. */
  T: number;
  /** Mean amount per repeat purchase day (0 when frequency is 0). */
  monetaryValue: number;
  frequencyHoldout?: number;
  monetaryValueHoldout?: number;
  durationHoldout?: number;
}

/** Summaries as columns (summarizeColumnar's output, or your own). */
export interface ColumnarSummaries {
  frequency: Float64Array | number[];
  recency: Float64Array | number[];
  T: Float64Array | number[];
  monetaryValue?: Float64Array | number[];
}

export interface SummarizeColumnarResult {
  /** Customer index of each row (customers without orders have no row). */
  customer: Uint32Array;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
  frequencyHoldout?: Float64Array;
  monetaryValueHoldout?: Float64Array;
  durationHoldout?: number;
  asOf: string;
  unit: TimeUnit;
}

export interface FitOptions {
  /** L2 penalty on the parameters (lifetimes' penalizer_coef). Default 0. */
  penalizer?: number;
  /** Default 200. */
  maxIter?: number;
  /** Default 1e-8 (largest gradient component on the log scale). */
  tol?: number;
  /** Starting parameters in the model's order (r, alpha, a, b / r, alpha, s, beta / p, q, gamma). */
  initial?: number[];
  /** The summaries' unit, kept on the model (known already for summarizeColumnar output):
   *  needed where the model meets raw orders (classify's pAliveModel). */
  unit?: TimeUnit;
}

export interface BgNbdParams { r: number; alpha: number; a: number; b: number }
export interface ParetoNbdParams { r: number; alpha: number; s: number; beta: number }
export interface GammaGammaParams { p: number; q: number; gamma: number }

export interface ClvOptions {
  /** Horizon in the model's unit, a whole number of steps. */
  horizon: number;
  /** Step length in the model's unit (e.g. 4.348 weeks for months with a weekly model). */
  step: number;
  /** Discount rate per step (e.g. 0.01 per month). */
  discountRatePerStep: number;
}

/** Numbers in, a number out; Float64Arrays (or arrays) in, a Float64Array out. */
export type Numbers = number | Float64Array | number[];

/** CLV fields for scoring models (ScoringOptions.lifetime). */
export interface LifetimeFieldsOptions {
  /** A fitted transaction model whose unit is known (options.unit at fit time). */
  model: TransactionModel;
  /** With spend and clv: the derived field `clv`. */
  spend?: GammaGammaModel | null;
  clv?: ClvOptions | null;
}

export type BgNbdModel = TransactionModel & { readonly kind: "bgNbd"; readonly params: BgNbdParams; readonly standardErrors: BgNbdParams | null };
export type ModifiedBgNbdModel = TransactionModel & { readonly kind: "modifiedBgNbd"; readonly params: BgNbdParams; readonly standardErrors: BgNbdParams | null };
export type ParetoNbdModel = TransactionModel & { readonly kind: "paretoNbd"; readonly params: ParetoNbdParams; readonly standardErrors: ParetoNbdParams | null };
