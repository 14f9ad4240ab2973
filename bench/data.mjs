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

/**
 * Columnar CRM activity (crmscore's `ColumnarActivity`) for the classification benchmark and
 * the plain-JS comparison test: the orders of `generateOrders` with a status (≈ 88 %
 * completed, 7 % returned, 3 % cancelled, 2 % refused) and a discount on ≈ 30 %; about
 * `interactionsPerCustomer` interactions and `paymentsPerCustomer` payments per customer
 * (≈ 4 % complaints; ≈ 3 % failed or charged back), dates uniform over the same three years;
 * `createdAt` for every other customer; emails and phones with ≈ 1 % malformed and ≈ 1 %
 * shared with another customer. As of `AS_OF_DAY` (the day after the last possible date).
 */
export const AS_OF_DAY = START_DAY + DAY_SPAN;
export function generateActivity({ customers, orders, seed = 1, interactionsPerCustomer = 3, paymentsPerCustomer = 2 }) {
  const base = generateOrders({ customers, orders, seed });
  const n = base.customerCount, m = base.orderCount;
  const prng = new Sfc32(seed ^ 0x5bd1e995);
  const u = () => unit(prng.next());
  const status = new Uint8Array(m);
  const discount = new Float64Array(m).fill(NaN);
  for (let i = 0; i < m; i++) {
    const x = u();
    status[i] = x < 0.88 ? 0 : x < 0.95 ? 1 : x < 0.98 ? 2 : 3;
    if (u() < 0.3) discount[i] = Math.round(base.amounts[i] * 10) / 100;
  }
  const ni = Math.round(n * interactionsPerCustomer), np = Math.round(n * paymentsPerCustomer);
  const interactions = { customer: new Uint32Array(ni), date: new Int32Array(ni), type: new Uint8Array(ni), value: new Float64Array(ni).fill(NaN) };
  for (let i = 0; i < ni; i++) {
    interactions.customer[i] = Math.floor(u() * n);
    interactions.date[i] = START_DAY + Math.floor(u() * DAY_SPAN);
    const x = u();
    const t = x < 0.04 ? 4 : Math.floor(u() * 10); // complaint, or any type (4 again possible)
    interactions.type[i] = t;
    if (t === 5) interactions.value[i] = 1 + Math.floor(u() * 5);
  }
  const payments = { customer: new Uint32Array(np), date: new Int32Array(np), amount: new Float64Array(np), status: new Uint8Array(np) };
  for (let i = 0; i < np; i++) {
    payments.customer[i] = Math.floor(u() * n);
    payments.date[i] = START_DAY + Math.floor(u() * DAY_SPAN);
    payments.amount[i] = Math.round(u() * 50000) / 100;
    const x = u();
    payments.status[i] = x < 0.9 ? 0 : x < 0.97 ? 1 : x < 0.99 ? 2 : 3;
  }
  const createdAt = new Int32Array(n).fill(-2147483648);
  const email = new Array(n), phone = new Array(n);
  for (let c = 0; c < n; c++) {
    if (c % 2 === 0) createdAt[c] = START_DAY - 400 + Math.floor(u() * (DAY_SPAN + 400));
    const x = u();
    email[c] = x < 0.01 ? `user${c}.example.com` : x < 0.02 ? `shared${c % 997}@example.com` : x < 0.05 ? null : `user${c}@example.com`;
    const y = u();
    const digits = String(10000000 + ((c * 7919) % 90000000)).padStart(8, "0");
    phone[c] = y < 0.01 ? `12${digits}0` : y < 0.02 ? `+86 139 ${String(c % 499).padStart(4, "0")} 0000` : y < 0.3 ? null : `138${digits}`;
  }
  return {
    customerIds: customerIds(n),
    createdAt,
    email,
    phone,
    orders: { customer: base.customerIndex, date: base.dates, amount: base.amounts, status, discount },
    interactions,
    payments,
  };
}
