// The demo page's loading pipeline, without a browser: column detection (www/src/mapping.js),
// cell reading (www/src/values.js) and rows → typed columns with row/column errors
// (www/src/tables.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { detectKind, detectMapping, missingRequired } from "../src/mapping.js";
import { parseDay, parseNumber, parseStatus, parseType, CellError } from "../src/values.js";
import { TableBuilder, RowError } from "../src/tables.js";

const day = (s) => Math.floor(Date.parse(s + "T00:00:00Z") / 864e5);

test("headers are recognised in English and Chinese", () => {
  const en = ["Order ID", "Customer ID", "Order Date", "Total", "Status", "Customer Name"];
  assert.equal(detectKind(en), "orders");
  assert.deepEqual(detectMapping("orders", en), { customerId: 1, date: 2, amount: 3, status: 4, discount: -1, name: 5 });
  const zh = ["订单号", "客户编号", "下单时间", "实付金额", "订单状态", "优惠金额"];
  assert.equal(detectKind(zh), "orders");
  assert.deepEqual(detectMapping("orders", zh), { customerId: 1, date: 2, amount: 3, status: 4, discount: 5, name: -1 });
  const customers = ["customer_id", "name", "email", "phone", "city", "signup_date", "channel"];
  assert.equal(detectKind(customers), "customers");
  assert.deepEqual(detectMapping("customers", customers), { customerId: 0, name: 1, createdAt: 5, email: 2, phone: 3, region: 4, channel: 6 });
  const interactions = ["客户ID", "日期", "互动类型", "评分"];
  assert.equal(detectKind(interactions), "interactions");
  assert.deepEqual(detectMapping("interactions", interactions), { customerId: 0, date: 1, type: 2, value: 3 });
  assert.deepEqual(missingRequired("orders", { customerId: 0, date: -1, amount: 2 }), ["date"]);
  // the file name breaks a tie
  assert.equal(detectKind(["id", "name"], "customers.csv"), "customers");
});

test("dates: the usual export forms; ambiguous and impossible ones are refused", () => {
  for (const s of ["2025-06-30", "2025/6/30", "2025.06.30", "2025-06-30 23:59:59", "2025-06-30T10:00", "2025年6月30日", "20250630", "2025-06-30T23:30:00+00:00"]) {
    assert.equal(parseDay(s), day("2025-06-30"), s);
  }
  assert.equal(parseDay("2025-06-30T01:00:00+08:00"), day("2025-06-29"), "a zoned time counts on its UTC day");
  assert.equal(parseDay("2025-06-30T23:00:00-02:00"), day("2025-07-01"));
  assert.equal(parseDay(Date.UTC(2025, 5, 30, 12)), day("2025-06-30"), "JSON numbers are epoch ms");
  for (const s of ["06/30/2025", "2025-02-30", "2025-13-01", "yesterday", "0999-01-01", "2025-06-30 25:00:00+00:00"]) {
    assert.throws(() => parseDay(s), (e) => e instanceof CellError && e.reason === "date", s);
  }
  assert.throws(() => parseDay(" "), (e) => e.reason === "empty");
});

test("amounts, statuses and interaction types", () => {
  assert.equal(parseNumber("1,234.50"), 1234.5);
  assert.equal(parseNumber("¥99"), 99);
  assert.equal(parseNumber("99元"), 99);
  assert.equal(parseNumber(" $5 "), 5);
  assert.equal(parseNumber(12), 12);
  assert.throws(() => parseNumber("12.5x"), (e) => e.reason === "number");
  assert.throws(() => parseNumber("1,23"), (e) => e.reason === "number");
  assert.throws(() => parseNumber("-3"), (e) => e.reason === "negative");
  assert.equal(parseNumber("-3", { allowNegative: true }), -3);
  assert.equal(parseStatus(""), 0);
  assert.equal(parseStatus("Completed"), 0);
  assert.equal(parseStatus("已退货"), 1);
  assert.equal(parseStatus("canceled"), 2);
  assert.equal(parseStatus("拒收"), 3);
  assert.throws(() => parseStatus("lost in the mail"), (e) => e.reason === "status");
  assert.equal(parseType("投诉"), 4);
  assert.equal(parseType("Feedback"), 5);
  assert.equal(parseType("webinar"), 6);
  assert.equal(parseType("something else"), 9);
});

test("rows → typed columns; the first bad cell names its row and column", () => {
  const headers = ["cust", "when", "amount", "status"];
  const b = new TableBuilder("orders", detectMapping("orders", ["customer", "date", "amount", "status"]), headers);
  b.add(["c1", "2025-01-02", "10", ""], 2);
  b.add(["c2", "2025-01-03", "1,000.5", "returned"], 3);
  assert.throws(
    () => b.add(["c3", "2025-01-04", "12.5x", ""], 4),
    (e) => e instanceof RowError && e.row === 4 && e.column === "amount" && e.field === "amount" && e.reason === "number" && e.value === "12.5x",
  );
  const { table, transfer } = b.finish();
  assert.equal(table.rows, 2);
  assert.deepEqual(table.columns.customerId, ["c1", "c2"], "the bad row left nothing behind");
  assert.deepEqual([...table.columns.date], [day("2025-01-02"), day("2025-01-03")]);
  assert.deepEqual([...table.columns.amount], [10, 1000.5]);
  assert.deepEqual([...table.columns.status], [0, 1]);
  assert.equal(transfer.length, 3);
  assert.equal(table.columns.discount, undefined, "unmapped fields are absent");
});
