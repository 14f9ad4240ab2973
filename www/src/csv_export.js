// CSV export of the scored customers, safe to open in Excel, LibreOffice or Google Sheets.
// Pure functions (no DOM): www/tests/csv_export.test.mjs.
//
// Formula injection (OWASP "CSV Injection"): a text cell that starts with = + - @, a tab or a
// carriage return is read as a formula by spreadsheet programs (`=HYPERLINK(...)`,
// `=cmd|' /C calc'!A0`). Such a cell gets a leading apostrophe, which the programs show as text;
// every text cell is then quoted, with inner quotes doubled (RFC 4180). Numbers the page
// computes itself (scores, counts, amounts) are written as plain numbers.

const DANGEROUS_START = /^[=+\-@\t\r]/;

/** A text value made inert for spreadsheets: `'` in front when it starts with = + - @ \t \r. */
export function neutralise(text) {
  const s = String(text);
  return DANGEROUS_START.test(s) ? "'" + s : s;
}

/** One CSV cell: numbers as they are (NaN/null → empty), text neutralised and quoted. */
export function csvCell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return '"' + neutralise(value).replace(/"/g, '""') + '"';
}

/** One line (CRLF-terminated, as RFC 4180 and Excel expect). */
export function csvRow(values) {
  return values.map(csvCell).join(",") + "\r\n";
}

/**
 * The export as string chunks (for a Blob): a UTF-8 byte order mark so Excel reads Chinese
 * names correctly, the header, then one line per index in `order`. `row(i)` returns the cells.
 */
export function* csvChunks(header, order, row, linesPerChunk = 5000) {
  yield "\uFEFF" + csvRow(header);
  let buf = "";
  for (let k = 0; k < order.length; k++) {
    buf += csvRow(row(order[k]));
    if ((k + 1) % linesPerChunk === 0) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}
