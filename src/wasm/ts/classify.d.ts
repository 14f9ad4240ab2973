// Types of the classify exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/classify.rs; tsc checks their use).
/** A customer for `classify`: contact data is checked (invalid_email, invalid_phone, duplicate_contact). */
export interface ClassifyCustomer extends CustomerRecord {
  email?: string | null;
  /** A string, or a non-negative integer read as its digits. */
  phone?: string | number | null;
}

/** An order for `classify`: `discount` > 0 marks a discounted order (price sensitivity). */
export interface ClassifyOrder extends ActivityOrder {
  /** Carried for your own use; a "refused" order counts as a failed payment whatever the method. */
  paymentMethod?: string | null;
}

/** Input of `classify`. Orders, interactions, returns and payments may name customers
 *  that `customers` does not list: they are classified too (first seen, first listed). */
export interface ClassifyData {
  orders: ClassifyOrder[];
  interactions?: Interaction[] | null;
  returns?: OrderReturn[] | null;
  payments?: Payment[] | null;
  customers?: ClassifyCustomer[] | null;
}

/** Every threshold of `classify`, with its default (the README explains each). */
export interface ClassifyOptions {
  /** Analysis date. Default: the latest date of any input. */
  asOf?: string | number | Date;
  /** 90: a first order younger than this is "new". */
  newDays?: number;
  /** 180 (half of churnDays when only a churnDays below 180 is given): no order for this long = at risk. */
  atRiskDays?: number;
  /** 365 (twice atRiskDays when only an atRiskDays above 365 is given): no order for this long = churned. */
  churnDays?: number;
  /** 3: order days needed before a customer's own rhythm (median gap) is used. */
  rhythmMinOrders?: number;
  /** 3 (twice overdueFactor when only an overdueFactor above 3 is given): silent for more than this many own median gaps = churned. */
  rhythmFactor?: number;
  /** 60: the rhythm rule never calls a customer churned before this many silent days. */
  rhythmMinDays?: number;
  /** 1.5 (halfway between 1 and rhythmFactor when only a rhythmFactor below 1.5 is given): silent for more than this many own median gaps = overdue (at risk). */
  overdueFactor?: number;
  /** 0.8 (midValueShare × 0.8 / 0.95 when only a midValueShare below 0.8 is given): customers making the first 80 % of revenue are high value. */
  highValueShare?: number;
  /** 0.95 (three quarters of what highValueShare leaves, when only a highValueShare above 0.95 is given): up to 95 % of revenue: mid value; the rest low. */
  midValueShare?: number;
  /** 3: completed orders needed to be loyal. */
  loyalMinOrders?: number;
  /** 180: days since the first order needed to be loyal. */
  loyalMinTenureDays?: number;
  /** 0.5: return rate that flags high_return_rate. */
  highReturnRate?: number;
  /** 2: purchases (completed + returned orders) before the return rate counts. */
  returnMinPurchases?: number;
  /** 50: a single order below this amount (and older than newDays) is one_time_low_value. */
  oneTimeAmount?: number;
  /** 365: no order and no interaction for this long = no_activity. */
  noActivityDays?: number;
  /** 3: complaints that flag repeated_complaints. */
  complaintCount?: number;
  /** 2: failed + charged-back payments + refused orders that flag payment_failures (critical). */
  paymentFailures?: number;
  /** 2: warning flags that make a customer junk (one critical flag always does). */
  junkWarnings?: number;
  /** 90: the churn warning compares the last window of this length with the one before. */
  declineWindowDays?: number;
  /** 0.5: activity falling by this share (or more) = activity_decline. */
  declineShare?: number;
  /** 2: events needed in the previous window for a decline to count. */
  declineMinPrevious?: number;
  /** 0.5: share of discounted orders that flags price_sensitive (info). */
  priceSensitiveShare?: number;
  /** 2: completed orders needed for price_sensitive. */
  priceSensitiveMinOrders?: number;
  /** 10: at most this many other customer ids in duplicate_contact's evidence. */
  maxDuplicateEvidence?: number;
  /** A fitted BTYD model (from fitBgNbd etc. on summarize() output, so its unit is known):
   *  customers with P(alive) below pAliveThreshold get the churn reason "low_p_alive". */
  pAliveModel?: TransactionModel | object | null;
  /** 0.5: P(alive) below this = low_p_alive (the model finds the customer more likely gone than alive). */
  pAliveThreshold?: number;
}

export type Lifecycle = "prospect" | "new" | "active" | "atRisk" | "churned" | "reactivated";
export type LeadStage = "potential" | "target" | "won" | "churned" | "loyal";
export type ValueClass = "high" | "mid" | "low";
export type Loyalty = "loyal" | "neutral" | "disloyal";
export type ChurnRisk = "low" | "medium" | "high";
export type ChurnReason = "churned" | "overdue" | "activity_decline" | "low_p_alive";
export type FlagCode =
  | "high_return_rate" | "one_time_low_value" | "no_activity" | "repeated_complaints" | "payment_failures"
  | "invalid_email" | "invalid_phone" | "duplicate_contact" | "price_sensitive";
export type FlagSeverity = "info" | "warning" | "critical";

/** One fired rule: why, with the numbers behind it. */
export interface CustomerFlag {
  code: FlagCode;
  severity: FlagSeverity;
  /** A sentence, e.g. "3 of 4 purchases returned (rate 0.75 ≥ 0.5)". */
  reason: string;
  /** The figures behind the reason; duplicate_contact names the other customers' ids. */
  evidence: Record<string, number | string | CustomerId[]>;
}

export interface ClassifiedCustomer {
  customerId: CustomerId;
  lifecycle: Lifecycle;
  leadStage: LeadStage;
  valueClass: ValueClass;
  loyalty: Loyalty;
  junk: boolean;
  /** Frozen (customers without flags share one empty array). */
  flags: readonly CustomerFlag[];
  churnRisk: ChurnRisk;
  /** Frozen and shared between customers with the same reasons. */
  churnReasons: readonly ChurnReason[];
  /** Sum of completed orders' amounts (the value class's revenue; crossTab sums it). */
  revenue: number;
}

export interface ClassificationSummary {
  lifecycle: Record<Lifecycle, number>;
  leadStage: Record<LeadStage, number>;
  valueClass: Record<ValueClass, number>;
  loyalty: Record<Loyalty, number>;
  churnRisk: Record<ChurnRisk, number>;
  /** Customers marked junk. */
  junk: number;
  /** Customers carrying each flag. */
  flags: Record<FlagCode, number>;
}

export interface ClassificationResult {
  /** The analysis date used, "YYYY-MM-DD" (null only when no input has a date). */
  asOf: string | null;
  customers: ClassifiedCustomer[];
  summary: ClassificationSummary;
}

/**
 * `classifyColumnar`'s result (and `Classifier#result()`): one entry per customer index of
 * the input's `customerIds`. The class columns hold codes into `labels` (e.g.
 * `labels.lifecycle[result.lifecycle[i]]`); bit k of `flags[i]` = flag `labels.flags[k]`
 * fired (severity `labels.flagSeverity[k]`); bit k of `churnReasons[i]` = reason
 * `labels.churnReasons[k]`. Sentences and evidence: `Classifier#explain(i)`.
 */
export interface ClassColumnsResult {
  /** The analysis date used, "YYYY-MM-DD" (null only when no input has a date). */
  asOf: string | null;
  lifecycle: Uint8Array;
  leadStage: Uint8Array;
  valueClass: Uint8Array;
  loyalty: Uint8Array;
  churnRisk: Uint8Array;
  /** 1 = junk, 0 = not. */
  junk: Uint8Array;
  /** One bit per flag code (bit k = `labels.flags[k]`). */
  flags: Uint16Array;
  /** One bit per churn reason (bit k = `labels.churnReasons[k]`). */
  churnReasons: Uint8Array;
  /** Sum of completed orders' amounts per customer. */
  revenue: Float64Array;
  labels: {
    lifecycle: Lifecycle[];
    leadStage: LeadStage[];
    valueClass: ValueClass[];
    loyalty: Loyalty[];
    churnRisk: ChurnRisk[];
    flags: FlagCode[];
    flagSeverity: FlagSeverity[];
    churnReasons: ChurnReason[];
  };
  summary: ClassificationSummary;
}

/**
 * Activity as typed columns (what `generateCrm` returns, and the fast path for large data).
 * Customer indices point into `customerIds`. Days: Int32Array of epoch days or Float64Array
 * of epoch milliseconds. Codes:
 * order status completed 0, returned 1, cancelled 2, refused 3;
 * interaction type visit 0, email 1, call 2, meeting 3, complaint 4, feedback 5, training 6,
 * referral 7, quote 8, other 9; payment status paid 0, late 1, failed 2, chargeback 3.
 */
export interface ColumnarActivity {
  /** The ids, or a typed array of numeric ids (e.g. `Uint32Array` of 0 … n-1: one buffer to
   *  post to a worker instead of a million-element array). */
  customerIds: CustomerId[] | Uint32Array | Int32Array | Float64Array;
  /** Epoch days per customer; -2147483648 = none. */
  createdAt?: Int32Array | null;
  email?: (string | null)[] | PackedText | null;
  phone?: (string | null)[] | PackedText | null;
  orders: { customer: Uint32Array; date: Int32Array | Float64Array; amount: Float64Array; status?: Uint8Array | null; discount?: Float64Array | null };
  interactions?: { customer: Uint32Array; date: Int32Array | Float64Array; type: Uint8Array; value?: Float64Array | null } | null;
  returns?: { customer: Uint32Array; date: Int32Array | Float64Array; amount: Float64Array } | null;
  payments?: { customer: Uint32Array; date: Int32Array | Float64Array; amount: Float64Array; status: Uint8Array; daysLate?: Float64Array | null } | null;
  [other: string]: unknown;
}

/** `codeTables()`: every code's name, in code order. */
export interface CodeTables {
  orderStatus: OrderStatus[];
  /** The known types, then "other". */
  interactionKind: string[];
  paymentStatus: PaymentStatus[];
  lifecycle: Lifecycle[];
  leadStage: LeadStage[];
  valueClass: ValueClass[];
  loyalty: Loyalty[];
  churnRisk: ChurnRisk[];
  churnReason: ChurnReason[];
  flagCode: FlagCode[];
  /** The severity of each flag code, in flagCode's order. */
  flagSeverity: FlagSeverity[];
}

/** Extra dimensions of `crossTab`, joined by customerId. */
export interface CrossTabOptions {
  /** A `score()` result (or rows with a `tier`): adds the "tier" dimension. */
  tiers?: ScoreResult | { customerId: CustomerId; tier: string }[] | null;
  /** An `rfm()` result (or rows with a `segment`): adds the "segment" dimension. */
  rfm?: RfmResult | { customerId: CustomerId; segment: string }[] | null;
}

export interface CrossTabCell {
  customers: number;
  revenue: number;
  /** customers / the row's customers. */
  share: number;
}

export interface CrossTabRow {
  /** The attribute value; null = customers without one (and the total row). */
  value: string | null;
  customers: number;
  revenue: number;
  /** customers / all customers. */
  share: number;
  /** classes[dimension][label], e.g. classes.junk.junk.share or classes.tier.A.customers. */
  classes: Record<string, Record<string, CrossTabCell>>;
}

export interface CrossTab {
  attribute: string;
  /** "lifecycle", "leadStage", "valueClass", "loyalty", "churnRisk", "junk", then "tier" / "segment" when given. */
  dimensions: string[];
  /** Biggest first; the row of customers without a value last. */
  rows: CrossTabRow[];
  total: CrossTabRow;
}

/**
 * A text column packed in typed arrays (from `packText`, or built by hand, e.g. in a worker):
 * row i is the UTF-8 of `utf8[ends[i - 1] ?? 0 .. ends[i]]`, no value where `missing[i]` is 1.
 * Taken wherever `ColumnarActivity` takes `email` / `phone`; transferable between workers.
 */
export interface PackedText {
  utf8: Uint8Array;
  ends: Uint32Array;
  missing?: Uint8Array | null;
}
