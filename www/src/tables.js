// Rows of a loaded file → typed columns of one table (orders, customers or interactions),
// with the first bad cell reported by row and column. Used by the parsing worker; pure
// (www/tests/load.test.mjs).
import { KINDS } from "./mapping.js";
import { CellError, parseDay, parseId, parseNumber, parseOptionalDay, parseOptionalNumber, parseStatus, parseText, parseType } from "./values.js";

/** A bad cell: `row` as the user counts it (CSV: the spreadsheet row, header = 1; JSON: record number from 1). */
export class RowError extends Error {
  constructor({ row, column, field, reason, value }) {
    super(`row ${row}, column "${column}": ${reason} (${JSON.stringify(value)})`);
    Object.assign(this, { row, column, field, reason, value: value === undefined || value === null ? "" : String(value).slice(0, 80) });
  }
  toJSON() {
    return { row: this.row, column: this.column, field: this.field, reason: this.reason, value: this.value };
  }
}

const READERS = {
  orders: {
    customerId: parseId,
    date: parseDay,
    amount: (v) => parseNumber(v),
    status: parseStatus,
    discount: (v) => parseOptionalNumber(v),
    name: parseText,
  },
  customers: {
    customerId: parseId,
    name: parseText,
    createdAt: parseOptionalDay,
    email: parseText,
    phone: parseText,
    region: parseText,
    channel: parseText,
  },
  interactions: {
    customerId: parseId,
    date: parseDay,
    type: parseType,
    value: (v) => parseOptionalNumber(v, { allowNegative: true }),
  },
};

const TYPED = { date: Int32Array, createdAt: Int32Array, amount: Float64Array, discount: Float64Array, value: Float64Array, status: Uint8Array, type: Uint8Array };

export class TableBuilder {
  /** mapping: field → column index (-1 = not mapped); headers: for error messages. */
  constructor(kind, mapping, headers) {
    this.kind = kind;
    this.headers = headers;
    this.fields = KINDS[kind].map((f) => f.field).filter((f) => mapping[f] >= 0);
    this.index = this.fields.map((f) => mapping[f]);
    this.readers = this.fields.map((f) => READERS[kind][f]);
    this.columns = this.fields.map(() => []);
    this.rows = 0;
  }

  /** Adds one row (an array of cells); `rowNumber` is what an error calls it. */
  add(cells, rowNumber) {
    const { fields, index, readers, columns } = this;
    for (let k = 0; k < fields.length; k++) {
      const v = cells[index[k]];
      try {
        columns[k].push(readers[k](v));
      } catch (e) {
        if (!(e instanceof CellError)) throw e;
        for (let j = 0; j < k; j++) columns[j].pop();
        throw new RowError({ row: rowNumber, column: String(this.headers[index[k]] ?? `#${index[k] + 1}`), field: fields[k], reason: e.reason, value: v });
      }
    }
    this.rows++;
  }

  /** { kind, rows, columns: { field: TypedArray | (string|null)[] } } and the buffers to transfer. */
  finish() {
    const out = {};
    const transfer = [];
    this.fields.forEach((f, k) => {
      if (f === "customerId" || !TYPED[f]) out[f] = this.columns[k];
      else {
        out[f] = TYPED[f].from(this.columns[k]);
        transfer.push(out[f].buffer);
      }
      this.columns[k] = null;
    });
    return { table: { kind: this.kind, rows: this.rows, columns: out }, transfer };
  }
}
