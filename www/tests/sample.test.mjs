// The data worker's packing of the sample's contact columns (www/src/sample.js packText) gives
// what the library's own packText gives, and what classifyColumnar reads like the strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { packText as pagePack } from "../src/sample.js";
import { packText, classifyColumnar } from "crmscore";
import { generateCrm } from "crmscore/sample";

test("the page's packText equals crmscore's, and classifies the same as the strings", () => {
  const values = ["a@x.cn", null, "", "张三@例子.中国", undefined, "13800138000", "x".repeat(200)];
  const mine = pagePack(values), lib = packText(values.map((v) => v ?? null));
  assert.deepEqual(mine, lib);
  const crm = generateCrm({ customers: 2000, seed: 3 });
  const packed = { ...crm, email: pagePack(crm.email), phone: pagePack(crm.phone) };
  const a = classifyColumnar(crm, { asOf: crm.asOf }), b = classifyColumnar(packed, { asOf: crm.asOf });
  assert.deepEqual(b, a);
  assert.ok(a.summary.flags.invalid_email > 0 && a.summary.flags.duplicate_contact > 0, "the contacts matter here");
});
