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
