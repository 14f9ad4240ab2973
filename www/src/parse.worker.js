// The parsing worker: reads dropped files off the main thread. papaparse splits CSV (quotes,
// embedded newlines, delimiter detection); JSON is JSON.parse; src/tables.js turns the rows
// into typed columns, which are transferred (not copied) back to the page.
//
// Protocol (every message carries the page's `id` for the file; on start the worker says
// { type: "ready" }):
//   → { type: "inspect", id, file }   ← { type: "inspected", id, tables: [{ key, headers, preview, rows, kind, mapping }] }
//   → { type: "load", id, key, kind, mapping }
//        ← { type: "progress", id, key, done, total } …, then
//        ← { type: "loaded", id, key, table } or { type: "failed", id, key, error: { row, column, field, reason, value } }
//   → { type: "forget", id }
//   any failure to read the file at all ← { type: "failed", id, key, error: { reason, message } }
//
// The built-in sample is generated here too (crmscore's generateCrm, from "crmscore/sample",
// its own .wasm), so a 1M-customer sample never blocks the page:
//   → { type: "generate", id, customers, seed }
//        ← { type: "progress", id, key: "sample", done, total } …,
//        ← { type: "text", id, field, text, lower, ends, missing } per text column (ids,
//          names: src/text_column.js joinText, one string per column, so the page never
//          holds millions of strings),
//        ← { type: "generated", id, key: "sample", n, inputs, coded, packed } (src/prepare.js
//          engineInputs, typed columns transferred; coded: region and channel as { labels,
//          codes }; packed: e-mail and phone as PackedText) or { type: "failed", id, key: "sample", error }
import Papa from "papaparse";
import { generateCrm } from "crmscore/sample";
import { detectKind, detectMapping } from "./mapping.js";
import { TableBuilder, RowError } from "./tables.js";
import { engineInputs, buffersOf } from "./prepare.js";
import { SAMPLE_TEXT_COLUMNS, SAMPLE_CODED_COLUMNS, SAMPLE_PACKED_COLUMNS, encodeLabels, packText } from "./sample.js";
import { joinText } from "./text_column.js";

const files = new Map(); // id → { name, text } (CSV) or { name, tables: Map(key → { headers, records }) } (JSON)
const PREVIEW_ROWS = 5;

/** UTF-8 (BOM or not); files that are not valid UTF-8 are read as GB18030 (Chinese Excel exports). */
function decode(buffer) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder("gb18030").decode(buffer);
  }
}

const isJson = (name, text) => /\.json$/i.test(name) || /^\s*[[{]/.test(text.slice(0, 100));

/** JSON: an array of records, or { orders: [...], customers: [...], interactions: [...] } (any keys whose values are arrays of records). */
function jsonTables(text) {
  const data = JSON.parse(text);
  const entries = Array.isArray(data) ? [[null, data]] : Object.entries(data ?? {}).filter(([, v]) => Array.isArray(v));
  if (!entries.length) throw Object.assign(new Error("no array of records in this JSON"), { reason: "json-shape" });
  const tables = new Map();
  for (const [key, records] of entries) {
    const headers = [];
    const seen = new Set();
    for (const r of records.slice(0, 1000)) {
      if (r && typeof r === "object" && !Array.isArray(r)) for (const k of Object.keys(r)) if (!seen.has(k)) seen.add(k), headers.push(k);
    }
    tables.set(key, { headers, records });
  }
  return tables;
}

const cellText = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

async function inspect({ id, file }) {
  const text = decode(await file.arrayBuffer());
  const name = file.name;
  const out = [];
  if (isJson(name, text)) {
    let tables;
    try {
      tables = jsonTables(text);
    } catch (e) {
      return post({ type: "failed", id, key: null, error: { reason: e.reason ?? "json", message: e.message } });
    }
    files.set(id, { name, tables });
    for (const [key, { headers, records }] of tables) {
      const preview = records.slice(0, PREVIEW_ROWS).map((r) => headers.map((h) => cellText(r?.[h])));
      const kind = detectKind(headers, key ?? name);
      out.push({ key, headers, preview, rows: records.length, kind, mapping: detectMapping(kind, headers), format: "json" });
    }
  } else {
    files.set(id, { name, text });
    const head = Papa.parse(text.slice(0, 256 * 1024), { preview: PREVIEW_ROWS + 1, skipEmptyLines: "greedy" });
    const [headers = [], ...preview] = head.data;
    if (!headers.length) return post({ type: "failed", id, key: null, error: { reason: "empty-file", message: "no rows" } });
    // Rows: count line breaks (a close estimate, shown before loading).
    let lines = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
    const kind = detectKind(headers, name);
    out.push({ key: null, headers, preview, rows: Math.max(0, lines - (text.endsWith("\n") ? 1 : 0)), kind, mapping: detectMapping(kind, headers), format: "csv", delimiter: head.meta.delimiter });
  }
  post({ type: "inspected", id, tables: out });
}

function load({ id, key, kind, mapping }) {
  const f = files.get(id);
  if (!f) return post({ type: "failed", id, key, error: { reason: "gone", message: "file no longer held" } });
  try {
    let builder;
    if (f.tables) {
      const { headers, records } = f.tables.get(key);
      builder = new TableBuilder(kind, mapping, headers);
      const total = records.length;
      const cells = new Array(headers.length);
      for (let r = 0; r < total; r++) {
        const rec = records[r];
        for (let c = 0; c < headers.length; c++) cells[c] = rec?.[headers[c]];
        builder.add(cells, r + 1); // JSON: record number, from 1
        if ((r & 0xffff) === 0xffff) post({ type: "progress", id, key, done: r + 1, total });
      }
    } else {
      const { text } = f;
      let headers = null;
      let row = 0; // records seen, the header included: a data record's number = its spreadsheet row
      let failure = null;
      Papa.parse(text, {
        skipEmptyLines: "greedy",
        chunkSize: 1 << 21,
        chunk(res, parser) {
          const quoteError = res.errors.find((e) => e.type === "Quotes");
          for (const cells of res.data) {
            row++;
            if (!headers) {
              headers = cells;
              builder = new TableBuilder(kind, mapping, headers);
              continue;
            }
            try {
              builder.add(cells, row);
            } catch (e) {
              failure = e;
              parser.abort();
              return;
            }
          }
          if (quoteError) {
            failure = new RowError({ row: row, column: "", field: "", reason: "quotes", value: "" });
            parser.abort();
            return;
          }
          post({ type: "progress", id, key, done: res.meta.cursor, total: text.length });
        },
      });
      if (failure) throw failure;
      if (!builder) throw new RowError({ row: 1, column: "", field: "", reason: "empty", value: "" });
    }
    const { table, transfer } = builder.finish();
    post({ type: "loaded", id, key, table }, transfer);
  } catch (e) {
    if (e instanceof RowError) post({ type: "failed", id, key, error: e.toJSON() });
    else post({ type: "failed", id, key, error: { reason: "internal", message: String(e?.message ?? e) } });
  }
}

function generate({ id, customers, seed }) {
  const key = "sample";
  try {
    post({ type: "progress", id, key, done: 0, total: 4 });
    const crm = generateCrm({ customers, seed });
    post({ type: "progress", id, key, done: 2, total: 4 });
    const n = crm.customerIds.length;
    for (const [k, [field, from]] of SAMPLE_TEXT_COLUMNS.entries()) {
      const t = joinText(crm[from]);
      post({ type: "text", id, field, ...t }, [t.ends.buffer, t.missing.buffer]);
      post({ type: "progress", id, key, done: 2 + (k + 1) / SAMPLE_TEXT_COLUMNS.length, total: 4 });
    }
    const inputs = engineInputs(crm);
    const coded = Object.fromEntries(SAMPLE_CODED_COLUMNS.map(([field, from]) => [field, encodeLabels(crm[from])]));
    const packed = Object.fromEntries(SAMPLE_PACKED_COLUMNS.map(([field, from]) => [field, packText(crm[from])]));
    const packedBuffers = Object.values(packed).flatMap((p) => [p.utf8.buffer, p.ends.buffer, p.missing.buffer]);
    post({ type: "generated", id, key, n, inputs, coded, packed }, [...buffersOf(inputs), ...Object.values(coded).map((c) => c.codes.buffer), ...packedBuffers]);
  } catch (e) {
    post({ type: "failed", id, key, error: { reason: "internal", message: String(e?.message ?? e), code: e?.code } });
  }
}

function post(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

self.postMessage({ type: "ready" }); // the page waits for this before it counts requests

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "inspect") await inspect(data);
    else if (data.type === "load") load(data);
    else if (data.type === "forget") files.delete(data.id);
    else if (data.type === "generate") generate(data);
  } catch (e) {
    post({ type: "failed", id: data.id, key: data.key ?? null, error: { reason: "internal", message: String(e?.message ?? e) } });
  }
};
