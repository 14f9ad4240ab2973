// The classification rules of crmscore (README "Classification", src/classify.rs) written
// as plain JavaScript over the same typed columns (`ColumnarActivity`): the benchmark's
// baseline, and an independent implementation the tests compare crmscore with.
//
// classifyPlain(data, asOfDay, opts?) → {
//   lifecycle, leadStage, valueClass, loyalty, churnRisk: Uint8Array codes (crmscore's enum
//   order), junk: Uint8Array 0/1, flags: Uint16Array bit k = FLAG_CODES[k], churnReasons:
//   Uint8Array bit k = CHURN_REASONS[k], revenue: Float64Array }
// Only codes, no sentences or evidence: the part of the work a hand-written loop would do.

export const LIFECYCLE = ["prospect", "new", "active", "atRisk", "churned", "reactivated"];
export const LEAD_STAGE = ["potential", "target", "won", "churned", "loyal"];
export const VALUE_CLASS = ["high", "mid", "low"];
export const LOYALTY = ["loyal", "neutral", "disloyal"];
export const CHURN_RISK = ["low", "medium", "high"];
export const CHURN_REASONS = ["churned", "overdue", "activity_decline", "low_p_alive"];
export const FLAG_CODES = [
  "high_return_rate", "one_time_low_value", "no_activity", "repeated_complaints", "payment_failures",
  "invalid_email", "invalid_phone", "duplicate_contact", "price_sensitive",
];
const CRITICAL = 1 << 4; // payment_failures
const INFO = 1 << 8; // price_sensitive

export const DEFAULTS = {
  newDays: 90, atRiskDays: 180, churnDays: 365, rhythmMinOrders: 3, rhythmMinDays: 60, rhythmFactor: 3, overdueFactor: 1.5,
  highValueShare: 0.8, midValueShare: 0.95, loyalMinOrders: 3, loyalMinTenureDays: 180, highReturnRate: 0.5,
  returnMinPurchases: 2, oneTimeAmount: 50, noActivityDays: 365, complaintCount: 3, paymentFailures: 2, junkWarnings: 2,
  declineWindowDays: 90, declineShare: 0.5, declineMinPrevious: 2, priceSensitiveShare: 0.5, priceSensitiveMinOrders: 2,
};

const NO_DAY = -2147483648;
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const LABEL = /^[a-z0-9-]{1,63}$/;

/** Trimmed, lower-cased email if valid, else null. */
export function normalEmail(s) {
  const e = s.trim().toLowerCase();
  const parts = e.split("@");
  if (parts.length !== 2) return null;
  const [local, domain] = parts;
  if (!LOCAL.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return null;
  if (domain.length > 253) return null;
  const labels = domain.split(".");
  if (labels.length < 2) return null;
  for (const l of labels) if (!LABEL.test(l) || l.startsWith("-") || l.endsWith("-")) return null;
  return /^[a-z]{2,}$/.test(labels[labels.length - 1]) ? e : null;
}

/** The phone's digits (country code stripped) if valid, else null. */
export function normalPhone(s) {
  let t = s.trim();
  const plus = t.startsWith("+");
  if (plus) t = t.slice(1);
  if (!/^[0-9 .()-]*$/.test(t)) return null;
  let d = t.replace(/[ .()-]/g, "");
  let cn;
  const strip = (p) => (d.startsWith(p) && d.length - p.length === 11 && d[p.length] === "1" ? d.slice(p.length) : null);
  const r = strip("0086") ?? strip("86");
  if (r !== null) {
    d = r;
    cn = true;
  } else cn = !plus && d.length === 11 && d[0] === "1";
  const ok = cn ? d.length === 11 && d[0] === "1" && d[1] >= "3" && d[1] <= "9" : d.length >= 7 && d.length <= 15;
  if (!ok || /^(\d)\1*$/.test(d)) return null;
  return d;
}

export function classifyPlain(data, asOf, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const n = data.customerIds.length;
  const ord = data.orders;
  const oc = ord.customer, od = ord.date, oa = ord.amount, os = ord.status, odisc = ord.discount;
  const no = oc.length;
  // Per customer: counts by status, revenue, discounted, events, windows.
  const completed = new Uint32Array(n), returned = new Uint32Array(n), refused = new Uint32Array(n), anyOrder = new Uint32Array(n);
  const revenue = new Float64Array(n);
  const discounted = new Uint32Array(n);
  const lastEvent = new Int32Array(n).fill(NO_DAY);
  const recent = new Uint32Array(n), previous = new Uint32Array(n);
  const rLo = asOf - o.declineWindowDays, pLo = asOf - 2 * o.declineWindowDays;
  for (let i = 0; i < no; i++) {
    const c = oc[i], d = od[i];
    anyOrder[c]++;
    if (d > lastEvent[c]) lastEvent[c] = d;
    if (d > rLo) recent[c]++;
    else if (d > pLo) previous[c]++;
    const s = os ? os[i] : 0;
    if (s === 0) {
      completed[c]++;
      revenue[c] += oa[i];
      if (odisc && odisc[i] > 0) discounted[c]++;
    } else if (s === 1) returned[c]++;
    else if (s === 3) refused[c]++;
  }
  // Completed order days per customer: counting sort, then each customer's few days sorted.
  const off = new Uint32Array(n + 1);
  for (let c = 0; c < n; c++) off[c + 1] = off[c] + completed[c];
  const days = new Int32Array(off[n]);
  const fill = off.slice(0, n);
  for (let i = 0; i < no; i++) if (!os || os[i] === 0) days[fill[oc[i]]++] = od[i];
  const interactions = new Uint32Array(n), complaints = new Uint32Array(n);
  const it = data.interactions;
  if (it) {
    for (let i = 0; i < it.customer.length; i++) {
      const c = it.customer[i], d = it.date[i];
      interactions[c]++;
      if (it.type[i] === 4) complaints[c]++;
      if (d > lastEvent[c]) lastEvent[c] = d;
      if (d > rLo) recent[c]++;
      else if (d > pLo) previous[c]++;
    }
  }
  const returnRows = new Uint32Array(n);
  if (data.returns) for (let i = 0; i < data.returns.customer.length; i++) returnRows[data.returns.customer[i]]++;
  const payFail = new Uint32Array(n);
  const pay = data.payments;
  if (pay) for (let i = 0; i < pay.customer.length; i++) if (pay.status[i] >= 2) payFail[pay.customer[i]]++;

  // Value classes: Pareto over revenue, ties share a class.
  const valueClass = new Uint8Array(n).fill(2);
  {
    let m = 0;
    for (let c = 0; c < n; c++) if (revenue[c] > 0) m++;
    const idx = new Uint32Array(m);
    m = 0;
    for (let c = 0; c < n; c++) if (revenue[c] > 0) idx[m++] = c;
    idx.sort((x, y) => revenue[y] - revenue[x]);
    let total = 0;
    for (let k = 0; k < m; k++) total += revenue[idx[k]];
    const high = o.highValueShare * total, mid = o.midValueShare * total;
    let above = 0;
    for (let k = 0; k < m; ) {
      const r = revenue[idx[k]];
      const cls = above < high ? 0 : above < mid ? 1 : 2;
      let g = 0;
      while (k < m && revenue[idx[k]] === r) {
        valueClass[idx[k]] = cls;
        g += r;
        k++;
      }
      above += g;
    }
  }

  // Contacts.
  const flags = new Uint16Array(n);
  const contact = (col, norm, invalidBit) => {
    if (!col) return;
    const groups = new Map();
    const key = new Array(n).fill(null);
    for (let c = 0; c < col.length; c++) {
      const v = col[c];
      if (v === null || v === undefined || v.trim() === "") continue;
      const k = norm(v);
      if (k === null) flags[c] |= invalidBit;
      else {
        key[c] = k;
        groups.set(k, (groups.get(k) ?? 0) + 1);
      }
    }
    for (let c = 0; c < n; c++) if (key[c] !== null && groups.get(key[c]) > 1) flags[c] |= 1 << 7;
  };
  contact(data.email, normalEmail, 1 << 5);
  contact(data.phone, normalPhone, 1 << 6);

  const created = data.createdAt;
  const lifecycle = new Uint8Array(n), leadStage = new Uint8Array(n), loyalty = new Uint8Array(n);
  const churnRisk = new Uint8Array(n), junk = new Uint8Array(n), churnReasons = new Uint8Array(n);
  const gaps = [];
  for (let c = 0; c < n; c++) {
    const a = off[c], b = off[c + 1];
    // insertion sort of this customer's days
    for (let i = a + 1; i < b; i++) {
      const x = days[i];
      let j = i - 1;
      while (j >= a && days[j] > x) {
        days[j + 1] = days[j];
        j--;
      }
      days[j + 1] = x;
    }
    gaps.length = 0;
    for (let i = a + 1; i < b; i++) if (days[i] > days[i - 1]) gaps.push(days[i] - days[i - 1]);
    const distinct = b > a ? gaps.length + 1 : 0;
    let rhythm = NaN;
    if (gaps.length) {
      gaps.sort((x, y) => x - y);
      const h = gaps.length >> 1;
      const med = gaps.length % 2 ? gaps[h] : (gaps[h - 1] + gaps[h]) / 2;
      if (distinct >= o.rhythmMinOrders && med >= 1) rhythm = med;
    }
    const comp = completed[c];
    let f = flags[c];
    const purchased = comp + returned[c];
    let highReturn = false;
    if (purchased >= o.returnMinPurchases && Math.min(1, (returned[c] + returnRows[c]) / purchased) >= o.highReturnRate) {
      highReturn = true;
      f |= 1;
    }
    const recency = b > a ? asOf - days[b - 1] : null;
    if (comp === 1 && revenue[c] < o.oneTimeAmount && recency >= o.newDays) f |= 2;
    const last = lastEvent[c];
    if (last === NO_DAY) {
      const cr = created && created[c] !== NO_DAY ? asOf - created[c] : null;
      if (cr === null || cr >= o.noActivityDays) f |= 4;
    } else if (asOf - last >= o.noActivityDays) f |= 4;
    const complainer = complaints[c] >= o.complaintCount;
    if (complainer) f |= 8;
    if (payFail[c] + refused[c] >= o.paymentFailures) f |= CRITICAL;
    if (comp >= o.priceSensitiveMinOrders && discounted[c] / comp >= o.priceSensitiveShare) f |= INFO;
    flags[c] = f;
    let warnings = 0;
    for (let w = f & ~CRITICAL & ~INFO; w; w &= w - 1) warnings++;
    junk[c] = f & CRITICAL || warnings >= o.junkWarnings ? 1 : 0;

    const over = (k) => rhythm === rhythm && recency > k * rhythm;
    let lc;
    if (recency === null) lc = 0;
    else if (recency >= o.churnDays || (over(o.rhythmFactor) && recency >= o.rhythmMinDays)) lc = 4;
    else if (recency >= o.atRiskDays || over(o.overdueFactor)) lc = 3;
    else if (b - a >= 2 && days[b - 1] - days[b - 2] >= o.churnDays && recency < o.newDays) lc = 5;
    else if (asOf - days[a] < o.newDays) lc = 1;
    else lc = 2;
    lifecycle[c] = lc;
    let ly = 1;
    if (lc === 4 || highReturn) ly = 2;
    else if (lc === 2 && comp >= o.loyalMinOrders && asOf - days[a] >= o.loyalMinTenureDays && !complainer) ly = 0;
    loyalty[c] = ly;
    leadStage[c] = lc === 4 ? 3 : comp > 0 && ly === 0 ? 4 : comp > 0 ? 2 : interactions[c] > 0 || anyOrder[c] > 0 ? 1 : 0;
    let bits = 0;
    if (lc === 4) bits |= 1;
    else if (recency !== null && rhythm === rhythm && recency > o.overdueFactor * rhythm) bits |= 2;
    if (previous[c] >= o.declineMinPrevious && recent[c] <= (1 - o.declineShare) * previous[c]) bits |= 4;
    churnReasons[c] = bits;
    const nr = (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
    churnRisk[c] = lc === 4 || nr >= 2 ? 2 : nr === 1 ? 1 : 0;
  }
  return { lifecycle, leadStage, valueClass, loyalty, churnRisk, junk, flags, churnReasons, revenue };
}

/**
 * crmscore's result → the same code columns (for comparing the two): `classify`'s result
 * objects, or `classifyColumnar`'s code columns (re-coded through their labels, so that a
 * label order that differs from this file's shows up as a difference).
 */
export function codesOf(result) {
  if (!result.customers) return recode(result);
  const n = result.customers.length;
  const idx = (names) => new Map(names.map((x, i) => [x, i]));
  const L = idx(LIFECYCLE), S = idx(LEAD_STAGE), V = idx(VALUE_CLASS), Y = idx(LOYALTY), R = idx(CHURN_RISK);
  const F = idx(FLAG_CODES), C = idx(CHURN_REASONS);
  const out = {
    lifecycle: new Uint8Array(n), leadStage: new Uint8Array(n), valueClass: new Uint8Array(n), loyalty: new Uint8Array(n),
    churnRisk: new Uint8Array(n), junk: new Uint8Array(n), flags: new Uint16Array(n), churnReasons: new Uint8Array(n),
  };
  result.customers.forEach((c, i) => {
    out.lifecycle[i] = L.get(c.lifecycle);
    out.leadStage[i] = S.get(c.leadStage);
    out.valueClass[i] = V.get(c.valueClass);
    out.loyalty[i] = Y.get(c.loyalty);
    out.churnRisk[i] = R.get(c.churnRisk);
    out.junk[i] = c.junk ? 1 : 0;
    for (const f of c.flags) out.flags[i] |= 1 << F.get(f.code);
    for (const r of c.churnReasons) out.churnReasons[i] |= 1 << C.get(r);
  });
  return out;
}

function recode(r) {
  const n = r.lifecycle.length;
  const map = (labels, names) => Uint8Array.from(labels, (l) => names.indexOf(l));
  const col = (codes, labels, names) => {
    const m = map(labels, names), out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = m[codes[i]];
    return out;
  };
  const bits = (codes, labels, names, Out) => {
    const m = map(labels, names), out = new Out(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let k = 0, x = codes[i]; x; k++, x >>= 1) if (x & 1) b |= 1 << m[k];
      out[i] = b;
    }
    return out;
  };
  const L = r.labels;
  return {
    lifecycle: col(r.lifecycle, L.lifecycle, LIFECYCLE), leadStage: col(r.leadStage, L.leadStage, LEAD_STAGE),
    valueClass: col(r.valueClass, L.valueClass, VALUE_CLASS), loyalty: col(r.loyalty, L.loyalty, LOYALTY),
    churnRisk: col(r.churnRisk, L.churnRisk, CHURN_RISK), junk: Uint8Array.from(r.junk),
    flags: bits(r.flags, L.flags, FLAG_CODES, Uint16Array), churnReasons: bits(r.churnReasons, L.churnReasons, CHURN_REASONS, Uint8Array),
  };
}
