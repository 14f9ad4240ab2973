// Types of the rfm exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/rfm.rs; tsc checks their use).
/**
 * Result of `rfmColumnar`: one entry per customer index (0 .. customerCount-1).
 * Customers without any order get scores 0 and segment 255 and are left out of the cut points.
 */
export interface RfmColumnarResult {
  asOf: string;
  customerCount: number;
  recencyDays: Float64Array;
  frequency: Uint32Array;
  monetary: Float64Array;
  recencyScore: Uint8Array;
  frequencyScore: Uint8Array;
  monetaryScore: Uint8Array;
  /** Index into `segmentNames`; 255 for a customer without orders. */
  segment: Uint8Array;
  segmentNames: string[];
  /** Set when the default segment table did not fit the bins: no rules applied. */
  segmentNote?: string;
  thresholds: Thresholds;
  segments: SegmentSummary[];
  heatmap: HeatCell[];
}

/**
 * `"YYYY-MM-DD"`, an ISO-8601 date-time (converted to its UTC day), or epoch
 * milliseconds (`Date.getTime()`). A `Date` object is accepted too.
 */
export type DateInput = string | number;

/**
 * One order. Extra fields are ignored.
 */
export interface Order {
    customerId: CustomerId;
    date: string | number | Date;
    amount: number;
}

/**
 * Per-customer aggregates for `rfmFromCustomers`: give `recencyDays` or `lastOrderDate`.
 */
export interface CustomerAggregate {
    customerId: CustomerId;
    recencyDays?: number;
    lastOrderDate?: string | number | Date;
    frequency: number;
    monetary: number;
}

export type SegmentPreset = "rfmR" | "rfGrid";

export type Segments = SegmentPreset | SegmentRule[];

/**
 * Options of `rfm`, `rfmFromCustomers` and `rfmColumnar`.
 */
export interface RfmOptions {
    /**
     * Analysis date. Default: the day after the latest order.
     */
    asOf?: string | number | Date;
    /**
     * Bins per metric, 2..10 (default 5).
     */
    bins?: Bins;
    /**
     * Default "quantile".
     */
    binning?: Binning;
    /**
     * Explicit interior cut points; override `binning` for that metric.
     */
    cuts?: Cuts;
    /**
     * Default: "rfmR" when every metric has 5 bins; with other bins, no rules (every
     * customer in the fallback segment) and `segmentNote` in the result says so.
     */
    segments?: Segments;
    /**
     * Default "Others".
     */
    fallbackSegment?: string;
    /**
     * `rfmColumnar` only: number of customers (default: largest index + 1).
     */
    customerCount?: number;
}

export interface RfmCustomer {
    customerId: CustomerId;
    recencyDays: number;
    frequency: number;
    monetary: number;
    recencyScore: number;
    frequencyScore: number;
    monetaryScore: number;
    /**
     * 100·R + 10·F + M
     */
    rfmScore: number;
    segment: string;
}

export interface RfmResult {
    /**
     * YYYY-MM-DD
     */
    asOf: string;
    /**
     * One per customer, in order of first appearance.
     */
    customers: RfmCustomer[];
    thresholds: Thresholds;
    segments: SegmentSummary[];
    heatmap: HeatCell[];
    /**
     * Set when no segment rules applied because the default table (rfmR) needs 5 bins per
     * metric and the call used other bins: says so, and what to pass instead.
     */
    segmentNote?: string;
}

export type Bins = number | BinsEach;

export interface BinsEach {
    recency?: number;
    frequency?: number;
    monetary?: number;
}

export type Binning = "quantile" | "equalCount" | "rfmR";

export interface Cuts {
    recency?: number[];
    frequency?: number[];
    monetary?: number[];
}

/**
 * Ordered rule: inclusive score ranges; the first matching rule names the segment.
 */
export interface SegmentRule {
    name: string;
    recency: [number, number];
    frequency: [number, number];
    monetary: [number, number];
}
