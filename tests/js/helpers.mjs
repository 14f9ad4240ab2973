// Shared by the node --test files (not a test file itself).
import assert from "node:assert/strict";

/** Call fn; it must throw an Error, which is returned. */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `throws an Error, got ${String(e)}`);
    return e;
  }
  assert.fail("did not throw");
}

/**
 * Call fn, expect a CrmScoreError with this code / row / field; the message must name the row
 * and the field, and, when `table` is given, the input array ("payments: …").
 */
export function throwsCrm(fn, code, row, field, table) {
  const err = thrown(fn);
  assert.equal(err.name, "CrmScoreError");
  assert.equal(err.code, code, err.message);
  assert.equal(err.row, row, err.message);
  assert.equal(err.field, field, err.message);
  if (row !== undefined) assert.match(err.message, new RegExp(`row ${row}\\b`));
  if (field !== undefined) assert.ok(err.message.includes(field), err.message);
  if (table !== undefined) assert.ok(err.message.includes(`${table}:`), `names the table ${table}: ${err.message}`);
  return err;
}
