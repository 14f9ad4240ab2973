// Reading one cell of a loaded file: dates, amounts, order statuses and interaction types,
// written the ways CRM and shop exports write them (English and Chinese). Each function
// returns the value or throws a CellError saying why; the worker adds row and column.
// Pure: www/tests/load.test.mjs.

/** Epoch day meaning "no date" in Int32Array date columns (the library's convention). */
export const NO_DAY = -2147483648;

/** The 13 derived fields of crmscore's deriveFields / deriveFieldsColumnar, in its order. */
export const DERIVED_FIELDS = [
  "orderCount", "totalAmount", "amountLast365Days", "averageOrderValue", "daysSinceLastOrder",
  "tenureDays", "returnRate", "complaintCount", "averageFeedback", "interactionsLast90Days",
  "averagePaymentDelayDays", "paymentDefaultCount", "referralCount",
];

/** The latest day (epoch days) of any dated row or createdAt; NO_DAY when there is none. */
export function latestDay(activity) {
  let max = NO_DAY;
  const scan = (days) => {
    if (!days) return;
    for (let i = 0; i < days.length; i++) if (days[i] !== NO_DAY && days[i] > max) max = days[i];
  };
  scan(activity.createdAt);
  for (const t of ["orders", "interactions", "returns", "payments"]) scan(activity[t]?.date);
  return max;
}

export class CellError extends Error {
  /** reason: "empty" | "date" | "number" | "negative" | "status" | "duplicate" */
  constructor(reason, value) {
    super(`${reason}: ${value}`);
    this.reason = reason;
    this.value = value;
  }
}

export const isEmpty = (v) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

const DAY_MS = 86_400_000;

function dayOf(y, m, d) {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null; // 2025-02-30
  return Math.floor(t / DAY_MS);
}

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const ZH = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Epoch day of a date cell: "2025-06-30", "2025/6/30", "2025.06.30", "2025-06-30 14:05[:09]",
 * ISO date-times with a zone (counted on their UTC day, as crmscore does), "2025年6月30日",
 * "20250630", or a number = epoch milliseconds (JSON). Day-first or month-first forms like
 * 06/30/2025 are refused: they are ambiguous.
 */
export function parseDay(v) {
  if (isEmpty(v)) throw new CellError("empty", v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new CellError("date", v);
    return Math.floor(v / DAY_MS);
  }
  const s = String(v).trim();
  let m = ISO.exec(s);
  if (m) {
    const day = dayOf(+m[1], +m[2], +m[3]);
    if (day === null) throw new CellError("date", v);
    if (m[7]) {
      const hh = +m[4], mm = +m[5], ss = +(m[6] ?? 0);
      if (hh > 23 || mm > 59 || ss > 59) throw new CellError("date", v);
      const z = m[7].toUpperCase() === "Z" ? 0 : (m[7][0] === "-" ? -1 : 1) * (+m[7].slice(1, 3) * 60 + +m[7].slice(-2));
      return Math.floor((day * DAY_MS + ((hh * 60 + mm - z) * 60 + ss) * 1000) / DAY_MS);
    }
    return day;
  }
  m = ZH.exec(s) ?? COMPACT.exec(s);
  if (m) {
    const day = dayOf(+m[1], +m[2], +m[3]);
    if (day !== null) return day;
  }
  throw new CellError("date", v);
}

/** An optional date: NO_DAY when empty. */
export const parseOptionalDay = (v) => (isEmpty(v) ? NO_DAY : parseDay(v));

const CURRENCY = /^(?:[¥￥$€£]|rmb|cny|usd|eur|gbp)\s*/i;
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PLAIN = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number cell: 1234.5, "1,234.50", "¥99", "$5", "99元", " 12 ". Negative → "negative". */
export function parseNumber(v, { allowNegative = false } = {}) {
  if (isEmpty(v)) throw new CellError("empty", v);
  let x;
  if (typeof v === "number") x = v;
  else {
    let s = String(v).trim();
    let neg = false;
    if (s.startsWith("-")) {
      neg = true;
      s = s.slice(1).trim();
    }
    s = s.replace(CURRENCY, "").replace(/\s*元$/, "");
    if (THOUSANDS.test(s)) s = s.replace(/,/g, "");
    if (!PLAIN.test(s)) throw new CellError("number", v);
    x = Number(s) * (neg ? -1 : 1);
  }
  if (!Number.isFinite(x)) throw new CellError("number", v);
  if (x < 0 && !allowNegative) throw new CellError("negative", v);
  return x === 0 ? 0 : x; // no -0
}

/** An optional number: NaN when empty. */
export const parseOptionalNumber = (v, o) => (isEmpty(v) ? NaN : parseNumber(v, o));

// Order status codes of crmscore's ColumnarActivity: completed 0, returned 1, cancelled 2, refused 3.
const STATUS = new Map();
for (const [code, names] of [
  [0, ["completed", "complete", "done", "paid", "success", "successful", "delivered", "shipped", "fulfilled", "closed", "ok", "won", "已完成", "完成", "成功", "已支付", "已付款", "已发货", "已签收", "交易成功"]],
  [1, ["returned", "return", "refunded", "refund", "已退货", "退货", "退款", "已退款"]],
  [2, ["cancelled", "canceled", "cancel", "void", "voided", "已取消", "取消", "作废", "交易关闭"]],
  [3, ["refused", "rejected", "declined", "failed", "payment_failed", "chargeback", "拒收", "拒绝", "支付失败", "已拒收"]],
]) for (const n of names) STATUS.set(n, code);

/** Order status code; an empty cell is "completed" (as in crmscore). */
export function parseStatus(v) {
  if (isEmpty(v)) return 0;
  const code = STATUS.get(String(v).trim().toLowerCase());
  if (code === undefined) throw new CellError("status", v);
  return code;
}

// Interaction type codes: visit 0, email 1, call 2, meeting 3, complaint 4, feedback 5,
// training 6, referral 7, quote 8, other 9 (any other text is "other", as in crmscore).
const TYPES = new Map();
for (const [code, names] of [
  [0, ["visit", "site_visit", "store_visit", "拜访", "到访", "到店", "访问"]],
  [1, ["email", "e-mail", "mail", "邮件", "电子邮件"]],
  [2, ["call", "phone", "phone_call", "电话", "来电", "去电"]],
  [3, ["meeting", "demo", "会议", "会面", "见面"]],
  [4, ["complaint", "complain", "投诉", "抱怨"]],
  [5, ["feedback", "review", "survey", "nps", "反馈", "评价", "回访"]],
  [6, ["training", "webinar", "培训", "课程"]],
  [7, ["referral", "refer", "推荐", "转介绍", "介绍"]],
  [8, ["quote", "quotation", "proposal", "报价", "询价"]],
]) for (const n of names) TYPES.set(n, code);

export function parseType(v) {
  if (isEmpty(v)) throw new CellError("empty", v);
  return TYPES.get(String(v).trim().toLowerCase()) ?? 9;
}

/** A customer id cell as a string (ids from different files are matched as text). */
export function parseId(v) {
  if (isEmpty(v)) throw new CellError("empty", v);
  return String(v).trim();
}

/** Optional text: null when empty. */
export const parseText = (v) => (isEmpty(v) ? null : String(v).trim());
