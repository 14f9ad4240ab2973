// The built-in sample: the one module that knows where it comes from — crmscore's CRM data
// generator (`generateCrm` from "crmscore/sample", its own .wasm that the library itself does
// not carry): customers with name, region, channel, email and phone; orders with status and
// discount; interactions; returns; payments — as a ColumnarActivity.
import { generateCrm } from "crmscore/sample";

export const SAMPLE_SIZES = [1_000, 10_000, 100_000, 1_000_000];
export const SAMPLE_SEED = 42;

/** Which generator the sample comes from. */
export const sampleSource = () => "generateCrm";

/**
 * { customerIds, names, attributes, activity } for `customers` generated customers:
 * `activity` is a crmscore ColumnarActivity (dates as Int32Array epoch days).
 */
export function makeSample(customers, seed = SAMPLE_SEED) {
  const crm = generateCrm({ customers, seed });
  return {
    customerIds: crm.customerIds,
    names: crm.name,
    attributes: { region: crm.region, channel: crm.channel },
    activity: crm,
  };
}
