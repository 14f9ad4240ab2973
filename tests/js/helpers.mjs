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
 * and the field, and, when `table` is given, `err.table`, `err.path` ("payments[4].amount") and the
 * message's first word ("payments: row 4, …") name the input array.
 */
export function throwsCrm(fn, code, row, field, table) {
  const err = thrown(fn);
  assert.equal(err.name, "CrmScoreError");
  assert.equal(err.code, code, err.message);
  assert.equal(err.row, row, err.message);
  assert.equal(err.field, field, err.message);
  if (row !== undefined) assert.match(err.message, new RegExp(`row ${row}\\b`));
  if (field !== undefined) assert.ok(err.message.includes(field), err.message);
  if (table !== undefined) {
    assert.equal(err.table, table, err.message);
    // A model or options error is named by its path alone; a data table starts the message.
    if (table !== "model" && table !== "options") {
      assert.ok(err.message.startsWith(`${table}: `), `names the table ${table}: ${err.message}`);
    }
    const where = `${table}${row === undefined ? "" : `[${row}]`}${field === undefined ? "" : `.${field}`}`;
    assert.equal(err.path, where, err.message);
  }
  return err;
}
