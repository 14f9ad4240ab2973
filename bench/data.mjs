// Deterministic order data for the benchmarks. Plain JS, no imports: the same module runs
// in Node and in the browser, so both see bit-identical inputs for a given (size, seed).
//
//   generateOrders({ customers, orders, seed }) → {
//     customerCount, orderCount,
//     customerIndex: Uint32Array  (every customer 0..customers-1 has ≥ 1 order),
//     dates:         Int32Array   (epoch days, 2022-01-01 .. 2024-12-31),
//     amounts:       Float64Array (log-normal, median ≈ 36, rounded to cents),
//   }
//   orderObjects(data) → [{ customerId: "C" + index, date: epoch ms, amount }, …]

export const START_DAY = 18993; // 2022-01-01
export const DAY_SPAN = 1096; // three years, to 2024-12-31
export const MS_PER_DAY = 86400000;

/** sfc32: small, fast, 128-bit state; next() returns a uint32. */
export class Sfc32 {
  constructor(seed) {
    this.a = 0x9e3779b9 | 0;
    this.b = 0x243f6a88 | 0;
    this.c = 0xb7e15162 | 0;
    this.d = seed | 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  next() {
    const { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    const c2 = (c << 21) | (c >>> 11);
    this.b = (c + (c << 3)) | 0;
    this.c = (c2 + t) | 0;
    return t >>> 0;
  }
}

/** Uniform in [0, 1) with 32 bits of randomness. */
const unit = (u32) => u32 * 2.3283064365386963e-10;

export function generateOrders({ customers, orders, seed = 1 }) {
  const n = customers | 0, m = orders | 0;
  if (!(n >= 1) || !(m >= n)) throw new Error(`need 1 <= customers <= orders (got ${customers}, ${orders})`);
  const prng = new Sfc32(seed);
  const rnd = () => prng.next();

  // A random permutation of customers, so that "heavy" buyers are not the low indices.
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(unit(rnd()) * (i + 1));
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }

  // Amounts: log-normal exp(3.6 + 0.9 z) (median ≈ 36.6), drawn by interpolating in a
  // sorted table of 65,536 Box–Muller samples (an empirical quantile function: much
  // cheaper per order than log/cos/exp).
  const TABLE = 65536;
  const table = new Float64Array(TABLE + 1);
  for (let i = 0; i < TABLE; i++) {
    const u1 = 1 - unit(rnd()), u2 = unit(rnd());
    table[i] = Math.exp(3.6 + 0.9 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  }
  table.subarray(0, TABLE).sort();
  table[TABLE] = table[TABLE - 1];

  // Orders in random order. Customer: rank = floor(n * u^1.5) through the permutation, so
  // order counts per customer fall off smoothly (the busiest gets ~n^(-2/3) of them).
  // Date: uniform over three years. Amount: from the table, rounded to cents (≥ 0.01).
  const customerIndex = new Uint32Array(m);
  const dates = new Int32Array(m);
  const amounts = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const u = unit(rnd());
    customerIndex[i] = perm[Math.min(n - 1, Math.floor(n * u * Math.sqrt(u)))];
    dates[i] = START_DAY + Math.floor(unit(rnd()) * DAY_SPAN);
    const x = unit(rnd()) * TABLE, k = Math.floor(x), f = x - k;
    amounts[i] = Math.max(1, Math.round((table[k] + f * (table[k + 1] - table[k])) * 100)) / 100;
  }
  // Every customer gets at least one order: customer perm[b] takes one random slot in
  // the b-th of n equal blocks of the order list.
  for (let b = 0; b < n; b++) {
    const lo = Math.floor((b * m) / n), hi = Math.floor(((b + 1) * m) / n);
    customerIndex[lo + Math.floor(unit(rnd()) * (hi - lo))] = perm[b];
  }
  return { customerCount: n, orderCount: m, customerIndex, dates, amounts };
}

/** Customer ids "C0" … "C{n-1}", one string per customer (shared by all its orders). */
export function customerIds(n) {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push("C" + i);
  return ids;
}

/** The same orders as plain objects `{ customerId, date: epoch ms, amount }`. */
export function orderObjects(data) {
  const { customerIndex, dates, amounts, orderCount: m } = data;
  const ids = customerIds(data.customerCount);
  const out = []; // push() keeps a packed array (new Array(10M) would start in dictionary mode)
  for (let i = 0; i < m; i++) {
    out.push({ customerId: ids[customerIndex[i]], date: dates[i] * MS_PER_DAY, amount: amounts[i] });
  }
  return out;
}

/** Customer index of an id made by `customerIds` ("C123" → 123). */
export const indexOfId = (id) => +id.slice(1);
