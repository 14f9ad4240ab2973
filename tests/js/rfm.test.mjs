// The BUILT package through its ESM entry ("crmscore" → pkg/node/crmscore.mjs), as a user imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsCrm } from "./helpers.mjs";
import { rfm, rfmFromCustomers, rfmColumnar, sampleOrders, sampleOrdersColumnar, version } from "crmscore";
import ref from "./reference.cjs";

const R_OPTIONS = { asOf: "2006-12-31", binning: "rfmR" };


test("version is the crate version", () => {
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test("R rfm 0.3.0 conformance: all 995 customers and the vignette table", () => {
  assert.equal(ref.assertConforms(assert, rfm(ref.rOrders(), R_OPTIONS)), 995);
  const r = rfm(ref.rOrders(), R_OPTIONS);
  const close = (a, b) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-9, `${a} vs ${b}`));
  close(r.thresholds.recency, [115, 181, 297.4, 482]);
  close(r.thresholds.frequency, [4, 5, 6, 8]);
  close(r.thresholds.monetary, [255.8, 382, 506.4, 666]);
  assert.equal(r.heatmap.length, 25);
  assert.equal(r.heatmap.reduce((s, c) => s + c.customers, 0), 995);
});

test("order of first appearance, numeric ids kept as numbers, default asOf", () => {
  const r = rfm([
    { customerId: 7, date: "2024-01-01", amount: 1 },
    { customerId: "x", date: "2024-01-05T23:30:00-02:00", amount: 2 }, // = 2024-01-06 UTC
    { customerId: 7, date: new Date(Date.UTC(2024, 0, 3)), amount: 3 },
    { customerId: "y", date: Date.UTC(2024, 0, 2, 12), amount: 4 },
  ]);
  assert.deepEqual(r.customers.map((c) => c.customerId), [7, "x", "y"]);
  assert.equal(r.asOf, "2024-01-07");
  assert.deepEqual(r.customers.map((c) => c.recencyDays), [4, 1, 5]);
  assert.deepEqual(r.customers.map((c) => c.frequency), [2, 1, 1]);
  assert.deepEqual(r.customers.map((c) => c.monetary), [4, 2, 4]);
});

test("bad input: typed errors naming row and field, and the module keeps working", () => {
  const ok = [{ customerId: "a", date: "2024-01-01", amount: 5 }];
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-01-02", amount: NaN }]), "invalid_amount", 1, "amount");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-01-02", amount: Infinity }]), "invalid_amount", 1, "amount");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-01-02", amount: -1 }]), "invalid_amount", 1, "amount");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-01-02", amount: "12" }]), "invalid_amount", 1, "amount");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-01-02" }]), "missing_field", 1, "amount");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2025-02-30", amount: 1 }]), "invalid_date", 1, "date");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "01/02/2024", amount: 1 }]), "invalid_date", 1, "date");
  throwsCrm(() => rfm([...ok, { customerId: "b", date: NaN, amount: 1 }]), "invalid_date", 1, "date");
  throwsCrm(() => rfm([...ok, { customerId: "b", amount: 1 }]), "missing_field", 1, "date");
  throwsCrm(() => rfm([...ok, { date: "2024-01-02", amount: 1 }]), "missing_field", 1, "customerId");
  throwsCrm(() => rfm([...ok, { customerId: "", date: "2024-01-02", amount: 1 }]), "invalid_customer_id", 1, "customerId");
  throwsCrm(() => rfm([...ok, { customerId: NaN, date: "2024-01-02", amount: 1 }]), "invalid_customer_id", 1, "customerId");
  throwsCrm(() => rfm([...ok, null]), "invalid_value", 1, undefined);
  throwsCrm(() => rfm([]), "empty_input", undefined, undefined);
  throwsCrm(() => rfm("orders"), "invalid_argument", undefined, "orders"); // a wrong JS type (issue 14)
  throwsCrm(() => rfm([...ok, { customerId: "b", date: "2024-03-02", amount: 1 }], { asOf: "2024-03-01" }), "date_after_as_of", 1, "date");
  throwsCrm(() => rfm(ok, { asOf: "2024-02-30" }), "invalid_date", undefined, "asOf");
  throwsCrm(() => rfm(ok, { bins: 1 }), "invalid_option", undefined, "bins.recency");
  throwsCrm(() => rfm(ok, { bins: { frequency: 3.5 } }), "invalid_option", undefined, "bins.frequency");
  throwsCrm(() => rfm(ok, { bins: "5" }), "invalid_option", undefined, "bins");
  throwsCrm(() => rfm(ok, { binning: "ntile" }), "invalid_option", undefined, "binning");
  throwsCrm(() => rfm(ok, { cuts: { monetary: [10, 5] } }), "invalid_option", undefined, "cuts.monetary[1]");
  throwsCrm(() => rfm(ok, { segments: [{ name: "A", recency: [0, 5], frequency: [1, 5], monetary: [1, 5] }] }),
    "invalid_option", undefined, "segments[0].recency");
  throwsCrm(() => rfm(ok, { segments: [{ name: "A" }] }), "invalid_option", undefined, "segments[0]");
  throwsCrm(() => rfm(ok, { segments: "vip" }), "invalid_option", undefined, "segments");
  // The rfmR preset needs 5 bins: asked for explicitly with 3 bins it is an error ...
  throwsCrm(() => rfm(ok, { bins: 3, segments: "rfmR" }), "invalid_option", undefined, "segments");
  throwsCrm(() => rfm(ok, { asof: "2024-01-01" }), "invalid_option", undefined, "asof");
  // Still working, and still right.
  assert.equal(ref.assertConforms(assert, rfm(ref.rOrders(), R_OPTIONS)), 995);
});

test("a valid bins option never fails because of the default segment table", () => {
  // ... but as the default it gives way: no rules, everyone in the fallback, and a note.
  const three = rfm(ref.rOrders(), { asOf: "2006-12-31", bins: 3 });
  assert.equal(three.customers.length, 995);
  assert.ok(three.customers.every((c) => c.segment === "Others" && c.recencyScore >= 1 && c.recencyScore <= 3));
  assert.deepEqual(three.segments.map((s) => [s.name, s.customers]), [["Others", 995]]);
  assert.match(three.segmentNote, /needs 5 bins/);
  assert.equal(three.thresholds.recency.length, 2);
  const cols = rfmColumnar(new Uint32Array([0, 1, 2, 2]), new Int32Array([19000, 19010, 19020, 19030]),
    new Float64Array([1, 2, 3, 4]), { bins: { frequency: 2 } });
  assert.match(cols.segmentNote, /5\/2\/5/);
  assert.deepEqual(cols.segmentNames, ["Others"]);
  // With 5 bins the default is rfmR, as before, and there is no note.
  const five = rfm(ref.rOrders(), R_OPTIONS);
  assert.equal(five.segmentNote, undefined);
  assert.ok(five.segments.some((s) => s.name === "Champions"));
});

test("rfmFromCustomers equals rfm on the same aggregates; duplicates rejected", () => {
  const base = rfm(ref.rOrders(), R_OPTIONS);
  const aggs = base.customers.map((c, i) => ({
    customerId: c.customerId,
    ...(i % 2 ? { recencyDays: c.recencyDays } : { lastOrderDate: new Date(Date.UTC(2006, 11, 31) - c.recencyDays * 864e5) }),
    frequency: c.frequency,
    monetary: c.monetary,
  }));
  assert.equal(ref.assertConforms(assert, rfmFromCustomers(aggs, R_OPTIONS)), 995);
  throwsCrm(() => rfmFromCustomers([...aggs, aggs[3]], R_OPTIONS), "invalid_customer_id", 995, "customerId");
  throwsCrm(() => rfmFromCustomers([{ customerId: 1, frequency: 1, monetary: 1 }]), "missing_field", 0, "recencyDays");
  throwsCrm(() => rfmFromCustomers([{ customerId: 1, recencyDays: NaN, frequency: 1, monetary: 1 }]), "invalid_value", 0, "recencyDays");
  throwsCrm(() => rfmFromCustomers([{ customerId: 1, recencyDays: 3, frequency: 1, monetary: -2 }]), "invalid_amount", 0, "monetary");
});

test("columnar path equals the object path (quantile, equalCount, rfGrid)", () => {
  const s = sampleOrdersColumnar({ customers: 5000, seed: 11 });
  const objects = sampleOrders({ customers: 5000, seed: 11 });
  assert.equal(objects.length, s.customerIndex.length);
  for (const options of [{}, { binning: "equalCount" }, { segments: "rfGrid", bins: { monetary: 3 } }]) {
    const col = rfmColumnar(s.customerIndex, s.dates, s.amounts, options);
    const obj = rfm(objects, options);
    assert.equal(col.customerCount, 5000);
    assert.deepEqual(col.thresholds, obj.thresholds);
    obj.customers.forEach((c) => {
      const i = Number(c.customerId.slice(1)) - 1;
      assert.equal(c.recencyScore, col.recencyScore[i]);
      assert.equal(c.frequencyScore, col.frequencyScore[i]);
      assert.equal(c.monetaryScore, col.monetaryScore[i]);
      assert.equal(c.segment, col.segmentNames[col.segment[i]]);
    });
    assert.deepEqual(col.segments, obj.segments);
  }
  // Epoch milliseconds in a Float64Array give the same result as epoch days.
  const ms = Float64Array.from(s.dates, (d) => d * 864e5 + 3600e3);
  const a = rfmColumnar(s.customerIndex, s.dates, s.amounts);
  const b = rfmColumnar(s.customerIndex, ms, s.amounts);
  assert.deepEqual(a.recencyScore, b.recencyScore);
  assert.deepEqual(a.monetary, b.monetary);
});

test("columnar errors name the row; gaps in customer indices are left unscored", () => {
  const ci = Uint32Array.of(0, 2, 2);
  const d = Int32Array.of(19000, 19001, 19002);
  throwsCrm(() => rfmColumnar(ci, d, Float64Array.of(1, 2, NaN)), "invalid_amount", 2, "amount");
  throwsCrm(() => rfmColumnar(ci, Int32Array.of(19000, 9e8, 1), Float64Array.of(1, 2, 3)), "invalid_date", 1, "date");
  throwsCrm(() => rfmColumnar(ci, d, Float64Array.of(1, 2)), "length_mismatch", undefined, undefined);
  throwsCrm(() => rfmColumnar(ci, d, Float64Array.of(1, 2, 3), { customerCount: 2 }), "invalid_customer_id", 1, "customerIndex");
  throwsCrm(() => rfmColumnar(ci, [1, 2, 3], Float64Array.of(1, 2, 3)), "invalid_argument", undefined, "dates"); // a wrong JS type (issue 14)
  const r = rfmColumnar(ci, d, Float64Array.of(1, 2, 3), { segments: [] });
  assert.equal(r.customerCount, 3);
  assert.equal(r.recencyScore[1], 0);
  assert.equal(r.segment[1], 255);
  assert.ok(Number.isNaN(r.recencyDays[1]));
  assert.deepEqual([...r.frequency], [1, 0, 2]);
});

test("explicit cuts override binning; a value on a cut goes to the lower bin", () => {
  const orders = [1, 2, 3, 4, 5].map((n) => ({ customerId: `c${n}`, date: "2024-01-01", amount: n * 10 }));
  const r = rfm(orders, { cuts: { monetary: [20, 40] }, segments: [] });
  assert.deepEqual(r.customers.map((c) => c.monetaryScore), [1, 1, 2, 2, 3]);
  assert.deepEqual(r.thresholds.monetary, [20, 40]);
  assert.deepEqual(r.segments.map((s) => [s.name, s.customers]), [["Others", 5]]);
});

test("custom segment rules: ordered, first match wins, fallback named", () => {
  const orders = sampleOrders({ customers: 300, seed: 2 });
  const rules = [
    { name: "Best", recency: [4, 5], frequency: [4, 5], monetary: [4, 5] },
    { name: "Recent", recency: [4, 5], frequency: [1, 5], monetary: [1, 5] },
  ];
  const r = rfm(orders, { segments: rules, fallbackSegment: "Rest" });
  for (const c of r.customers) {
    const best = c.recencyScore >= 4 && c.frequencyScore >= 4 && c.monetaryScore >= 4;
    const want = best ? "Best" : c.recencyScore >= 4 ? "Recent" : "Rest";
    assert.equal(c.segment, want);
  }
  assert.deepEqual(r.segments.map((s) => s.name), ["Best", "Recent", "Rest"]);
});

test("large customer tables (the partitioned aggregation path): same sums, bit for bit, as plain JS and as grouped input", () => {
  // 300k customers ≥ the partitioned path's threshold (2^18); orders in random order take it,
  // the same orders grouped by customer take the direct path. Both must equal a plain-JS sum
  // in input order, bit for bit, and score identically.
  const n = 300_000, m = 900_000;
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const c = new Uint32Array(m), d = new Int32Array(m), a = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    c[i] = i < n ? i : Math.floor(rnd() * n);
    d[i] = 19000 + Math.floor(rnd() * 900);
    a[i] = Math.round(rnd() * 50000) / 100;
  }
  // shuffle so that the first n orders (one per customer) are spread out
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [c[i], c[j]] = [c[j], c[i]]; [d[i], d[j]] = [d[j], d[i]]; [a[i], a[j]] = [a[j], a[i]];
  }
  const count = new Uint32Array(n), sum = new Float64Array(n), last = new Int32Array(n).fill(-1e9);
  let maxDay = -1e9;
  for (let i = 0; i < m; i++) {
    count[c[i]]++; sum[c[i]] += a[i]; if (d[i] > last[c[i]]) last[c[i]] = d[i]; if (d[i] > maxDay) maxDay = d[i];
  }
  const random = rfmColumnar(c, d, a, { customerCount: n });
  const idx = Uint32Array.from({ length: m }, (_, i) => i).sort((x, y) => c[x] - c[y] || x - y);
  const grouped = rfmColumnar(idx.map((i) => c[i]), Int32Array.from(idx, (i) => d[i]), Float64Array.from(idx, (i) => a[i]), { customerCount: n });
  for (const r of [random, grouped]) {
    for (let k = 0; k < n; k++) {
      if (r.frequency[k] !== count[k] || !Object.is(r.monetary[k], sum[k]) || r.recencyDays[k] !== maxDay + 1 - last[k]) {
        assert.fail(`customer ${k}: ${r.frequency[k]}/${r.monetary[k]}/${r.recencyDays[k]} vs ${count[k]}/${sum[k]}/${maxDay + 1 - last[k]}`);
      }
    }
  }
  for (const key of ["recencyScore", "frequencyScore", "monetaryScore", "segment"]) assert.deepEqual(random[key], grouped[key], key);
  assert.deepEqual(random.thresholds, grouped.thresholds);
});
