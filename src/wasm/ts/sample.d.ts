// Types of the sample exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/sample.rs; tsc checks their use).
/** Generated orders, column-wise: feed straight into `rfmColumnar`. */
export interface SampleOrdersColumnar {
  customerIndex: Uint32Array;
  /** Epoch days. */
  dates: Int32Array;
  amounts: Float64Array;
  /** `customerIds[i]` is the id of customer index i ("C0000001", …). */
  customerIds: string[];
  /** Last day of the sample window, YYYY-MM-DD. */
  endDate: string;
}

/**
 * Options of `sampleOrders` / `sampleOrdersColumnar`.
 */
export interface SampleOptions {
    /**
     * Number of customers (default 1000, at most 10,000,000).
     */
    customers?: number;
    /**
     * PRNG seed (default 42).
     */
    seed?: number;
}
