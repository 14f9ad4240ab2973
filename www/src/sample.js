// The built-in sample: the one module that knows where it comes from.
//
// Today: crmscore's `sampleOrdersColumnar` (orders only: customer, date, amount).
// When the library exports `generateCrm({ customers, seed })` (customers with name, region,
// channel, email and phone; orders with status and discount; interactions; payments — as a
// `ColumnarActivity`), the branch below uses it instead, automatically; nothing else in the
// page changes (it already reads statuses, interactions, payments and names when present).

export const SAMPLE_SIZES = [1_000, 10_000, 100_000, 1_000_000];
export const SAMPLE_SEED = 42;

/** Which generator the sample comes from ("generateCrm" or "sampleOrders"). */
export const sampleSource = (lib) => (typeof lib.generateCrm === "function" ? "generateCrm" : "sampleOrders");

/**
 * { customerIds, names, attributes, activity } for `customers` generated customers:
 * `activity` is a crmscore ColumnarActivity (dates as Int32Array epoch days).
 */
export function makeSample(lib, customers, seed = SAMPLE_SEED) {
  if (sampleSource(lib) === "generateCrm") {
    const crm = lib.generateCrm({ customers, seed });
    const attrs = crm.attributes ?? crm;
    const pick = (k) => (Array.isArray(attrs[k]) ? attrs[k] : null);
    return {
      customerIds: crm.customerIds,
      names: pick("name"),
      attributes: { region: pick("region"), channel: pick("channel") },
      activity: crm,
    };
  }
  const s = lib.sampleOrdersColumnar({ customers, seed });
  return {
    customerIds: s.customerIds,
    names: null,
    attributes: {},
    activity: {
      customerIds: s.customerIds,
      orders: { customer: s.customerIndex, date: s.dates, amount: s.amounts },
    },
  };
}
