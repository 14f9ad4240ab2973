// The demo page's CSV export (www/src/csv_export.js): formula-injection neutralisation per
// OWASP, quoting per RFC 4180.
import { test } from "node:test";
import assert from "node:assert/strict";
import { neutralise, csvCell, csvRow, csvChunks } from "../src/csv_export.js";

test("cells starting with = + - @ tab or CR get a leading apostrophe", () => {
  assert.equal(neutralise('=HYPERLINK("http://x.invalid","click")'), `'=HYPERLINK("http://x.invalid","click")`);
  assert.equal(neutralise("+1 555 0100"), "'+1 555 0100");
  assert.equal(neutralise("-2+3"), "'-2+3");
  assert.equal(neutralise("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  assert.equal(neutralise("\tcmd"), "'\tcmd");
  assert.equal(neutralise("\r=1"), "'\r=1");
  assert.equal(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
});

test("ordinary text is left alone, whatever the script", () => {
  for (const s of ["C0000001", "张伟", "محمد", "Zoë O'Brien", "a=b", " =not first", "", "😀 Ünïcödé", "1+1"]) {
    assert.equal(neutralise(s), s);
  }
});

test("every text cell is quoted with inner quotes doubled; numbers stay numbers", () => {
  assert.equal(csvCell('=HYPERLINK("http://x.invalid","click")'), `"'=HYPERLINK(""http://x.invalid"",""click"")"`);
  assert.equal(csvCell("a,b\nc"), '"a,b\nc"');
  assert.equal(csvCell("张伟"), '"张伟"');
  assert.equal(csvCell(-15), "-15");
  assert.equal(csvCell(72.5), "72.5");
  assert.equal(csvCell(NaN), "");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(true), "true");
  assert.equal(csvRow(["x", 1, null]), '"x",1,\r\n');
});

test("csvChunks: BOM + header, then one line per index in the given order", () => {
  const names = ["a", "=b", "c"];
  const chunks = [...csvChunks(["id", "n"], [2, 0, 1], (i) => [names[i], i], 2)];
  assert.equal(chunks.length, 3);
  assert.equal(chunks.join(""), '\uFEFF"id","n"\r\n"c",2\r\n"a",0\r\n"\'=b",1\r\n');
});
