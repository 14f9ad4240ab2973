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

// ---------------------------------------------------------------- BG/NBD + Gamma-Gamma orders

/**
 * Orders from the BG/NBD purchase process with Gamma-Gamma spend, with known parameters,
 * for the `btyd` suite (and lifetimes on the same data). Per customer:
 *   λ ~ Gamma(r, rate α) purchases per `unitDays` days; p ~ Beta(a, b);
 *   ν ~ Gamma(q, rate γ); every order's amount ~ Gamma(p_spend, rate ν), rounded to cents (≥ 0.01);
 *   first purchase at a continuous time uniform over the `acquisitionDays` days ending at
 *   `endDay`; then purchases after Exp(λ) gaps; after every *repeat* purchase the customer
 *   leaves with probability p (Fader, Hardie & Lee 2005). Times are recorded as the calendar
 *   day they fall on (two purchases can share a day: `summarize` counts one purchase day).
 * Returned like `generateOrders` (customerIndex, dates in epoch days, amounts), plus
 * `endDay`, in date order (a counting sort by day: a transaction log; within one day by
 * customer index), so a customer's orders are spread over the whole log. Every customer
 * has ≥ 1 order. Deterministic for a seed, bit-identical in Node and browsers (Sfc32; the
 * gamma and beta samplers below are plain JS: Marsaglia–Tsang, Box–Muller).
 * With `exact: true`, also `exact`: { frequency, recency, T, monetaryValue } per customer
 * index (Float64Arrays, in units of `unitDays`), the continuous-time summaries of the same
 * purchases before day rounding (x = repeat purchases, t_x and T from the continuous first
 * purchase; T ends with `endDay`; monetary value = mean recorded amount of the repeat
 * purchases): what the model assumes, for telling the fit's accuracy from the day rounding.
 */
export function generateBtydOrders({ customers, seed = 1, params, spend, endDay, acquisitionDays, unitDays = 7, exact = false }) {
  const n = customers | 0;
  if (!(n >= 1)) throw new Error(`need customers >= 1 (got ${customers})`);
  const prng = new Sfc32(seed);
  const u = () => unit(prng.next());
  const open = () => (prng.next() + 0.5) * 2.3283064365386963e-10; // (0, 1): safe for log
  let spare = NaN; // Box–Muller gives two normals: keep the second
  const normal = () => {
    if (spare === spare) {
      const z = spare;
      spare = NaN;
      return z;
    }
    const rad = Math.sqrt(-2 * Math.log(open())), th = 2 * Math.PI * u();
    spare = rad * Math.sin(th);
    return rad * Math.cos(th);
  };
  /** Gamma(shape, rate 1) by Marsaglia–Tsang (shape < 1: Gamma(shape + 1) · U^(1/shape)). */
  const gamma1 = (shape) => {
    if (shape < 1) return gamma1(shape + 1) * Math.pow(open(), 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const w = open();
      if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  const { r, alpha, a, b } = params;
  const window = Math.max(1, acquisitionDays | 0);
  let cap = n * 12;
  let customerIndex = new Uint32Array(cap), dates = new Int32Array(cap), amounts = new Float64Array(cap);
  let m = 0;
  const push = (c, d, x) => {
    if (m === cap) {
      cap *= 2;
      const ci = new Uint32Array(cap), di = new Int32Array(cap), ai = new Float64Array(cap);
      ci.set(customerIndex), di.set(dates), ai.set(amounts);
      (customerIndex = ci), (dates = di), (amounts = ai);
    }
    customerIndex[m] = c;
    dates[m] = d;
    amounts[m] = Math.max(1, Math.round(x * 100)) / 100;
    m++;
  };
  const ex = exact ? { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n), monetaryValue: new Float64Array(n) } : null;
  for (let c = 0; c < n; c++) {
    const lambda = gamma1(r) / alpha / unitDays; // per day
    const gx = gamma1(a), gy = gamma1(b);
    const p = gx / (gx + gy);
    const nu = gamma1(spend.q) / spend.gamma;
    const first = endDay - Math.floor(u() * window);
    const t0 = first + u(); // continuous time within the first day
    let t = t0, last = t0, k = 0, repeatSum = 0;
    for (; ; k++) {
      const day = Math.floor(t);
      if (day > endDay) break;
      push(c, day, gamma1(spend.p) / nu);
      last = t;
      if (k > 0) repeatSum += amounts[m - 1];
      if (k > 0 && u() < p) {
        k++;
        break;
      }
      t += -Math.log(open()) / lambda;
    }
    if (ex) {
      // k = purchases recorded
      ex.frequency[c] = k - 1;
      ex.recency[c] = (last - t0) / unitDays;
      ex.T[c] = (endDay + 1 - t0) / unitDays;
      ex.monetaryValue[c] = k > 1 ? repeatSum / (k - 1) : 0;
    }
  }
  // Counting sort by day (stable: within a day, by customer).
  const lo = endDay - window + 1, span = window;
  const start = new Uint32Array(span + 1);
  for (let i = 0; i < m; i++) start[dates[i] - lo + 1]++;
  for (let d = 0; d < span; d++) start[d + 1] += start[d];
  const ci = new Uint32Array(m), di = new Int32Array(m), ai = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = start[dates[i] - lo]++;
    ci[j] = customerIndex[i];
    di[j] = dates[i];
    ai[j] = amounts[i];
  }
  return { customerCount: n, orderCount: m, customerIndex: ci, dates: di, amounts: ai, endDay, exact: ex };
}
