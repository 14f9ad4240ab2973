// The third-party oracle (R `rfm` 0.3.0, tests/fixtures/reference/rfm-r), read for the JS tests.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = join(__dirname, "..", "fixtures", "reference", "rfm-r");
const rows = (file) =>
  readFileSync(join(dir, file), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));

/** The 4,906 sample orders as crmscore Orders. */
function rOrders() {
  return rows("rfm_data_orders.csv").map(([customerId, date, revenue]) => ({ customerId, date, amount: Number(revenue) }));
}

/** R's per-customer scores: Map customerId → expected row. */
function rExpected() {
  return new Map(
    rows("rfm_orders_expected_scores_R_rfm_0.3.0.csv").map((c) => [
      c[0],
      {
        recencyDays: Number(c[1]), frequency: Number(c[2]), monetary: Number(c[3]),
        recencyScore: Number(c[4]), frequencyScore: Number(c[5]), monetaryScore: Number(c[6]),
        rfmScore: Number(c[7]), segment: c[8],
      },
    ]),
  );
}

/** The vignette's published segment table. */
const VIGNETTE = {
  "About To Sleep": [102, 283, 23449],
  "At Risk": [28, 216, 22227],
  "Can't Lose Them": [47, 274, 32446],
  Champions: [35, 316, 31646],
  Lost: [148, 393, 35324],
  "Loyal Customers": [170, 799, 76562],
  "Need Attention": [10, 57, 4562],
  "New Customers": [104, 329, 28837],
  "Potential Loyalist": [342, 2211, 204856],
  Promising: [9, 28, 4249],
};

/** Assert an RfmResult equals R for every customer and the vignette table; returns the count checked. */
function assertConforms(assert, result) {
  const expected = rExpected();
  assert.equal(result.asOf, "2006-12-31");
  assert.equal(result.customers.length, 995);
  assert.equal(expected.size, 995);
  for (const c of result.customers) {
    const e = expected.get(c.customerId);
    assert.ok(e, `customer ${c.customerId} is in R's output`);
    for (const k of Object.keys(e)) assert.equal(c[k], e[k], `${c.customerId}.${k}`);
  }
  for (const [name, [customers, orders, revenue]] of Object.entries(VIGNETTE)) {
    const s = result.segments.find((x) => x.name === name);
    assert.deepEqual([s.customers, s.orders, s.revenue], [customers, orders, revenue], name);
  }
  return result.customers.length;
}

module.exports = { rOrders, rExpected, VIGNETTE, assertConforms };
