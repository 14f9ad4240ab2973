// The only module that talks to crmscore, imported exactly as an app would import it.
// (A later version can move this into a Web Worker without touching the rendering code.)
import { rfm, sampleOrders, version } from "crmscore";

export { version };

let sample = null; // { customers, orders, ms }: the last generated sample, reused across option changes

/** The built-in deterministic sample for `customers` customers (generated once per size). */
export function getSample(customers) {
  if (sample?.customers !== customers) {
    sample = null; // let the previous (possibly large) sample be collected first
    const t0 = performance.now();
    const orders = sampleOrders({ customers, seed: 42 });
    sample = { customers, orders, ms: performance.now() - t0 };
  }
  return sample;
}

export function hasSample(customers) {
  return sample?.customers === customers;
}

/** Runs RFM; returns { result, ms } or throws crmscore's CrmScoreError. */
export function runRfm(orders, options) {
  const t0 = performance.now();
  const result = rfm(orders, options);
  return { result, ms: performance.now() - t0 };
}
