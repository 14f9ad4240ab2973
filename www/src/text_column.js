// A text column of a million values without a million strings on the page: one string
// holding every value back to back, and where each ends. The page's garbage collector sees
// two objects instead of a million (each major collection had to walk every string: 40–80 ms
// pauses at 1M customers), and a search is one indexOf scan over the joined text.
//
// Arrays of strings (data loaded from files) keep working: every reader here goes through
// `textAt` and `matchRows`, which take either.

/** Values (strings, numbers, null = none) → { text, lower, ends, missing } (UTF-16 offsets). */
export function joinText(values) {
  const n = values.length;
  const ends = new Uint32Array(n), missing = new Uint8Array(n);
  const parts = new Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const s = v === null || v === undefined ? "" : String(v);
    if (v === null || v === undefined) missing[i] = 1;
    parts[i] = s;
    at += s.length;
    ends[i] = at;
  }
  const text = parts.join("");
  const lower = text.toLowerCase();
  // A lower-cased text of another length (a few Unicode letters change length) cannot use
  // the same offsets: searches then lower-case each value.
  return { text, lower: lower.length === text.length ? lower : null, ends, missing };
}

/** A joined column as the page reads it: `length`, `at(i)` (null = none). */
export class TextColumn {
  constructor({ text, lower, ends, missing }) {
    Object.assign(this, { text, lower, ends, missing });
  }
  get length() {
    return this.ends.length;
  }
  at(i) {
    if (i < 0 || i >= this.ends.length || this.missing[i]) return null;
    return this.text.slice(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/** Value `i` of a column (array or TextColumn) as text ("" = none). */
export const textAt = (col, i) => (col ? String(col.at(i) ?? "") : "");

/**
 * Rows of `col` whose value contains `query` (already lower-cased), ignoring case: a
 * Uint8Array mask of `n` rows (1 = match). TextColumn: indexOf over the joined lower-case
 * text, each hit mapped to its row (a hit across two values is skipped).
 */
export function matchRows(col, query, n) {
  const mask = new Uint8Array(n);
  if (!col) return mask;
  if (col instanceof TextColumn && col.lower !== null) {
    const { lower, ends, missing } = col;
    let row = 0;
    for (let at = lower.indexOf(query); at >= 0; ) {
      while (row < n && ends[row] <= at) row++;
      if (row >= n) break;
      const start = row === 0 ? 0 : ends[row - 1];
      if (at + query.length <= ends[row] && !missing[row]) {
        mask[row] = 1;
        at = lower.indexOf(query, ends[row]);
      } else {
        at = lower.indexOf(query, Math.max(at + 1, start));
      }
    }
    return mask;
  }
  for (let i = 0; i < n; i++) if (textAt(col, i).toLowerCase().includes(query)) mask[i] = 1;
  return mask;
}
