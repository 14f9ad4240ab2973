// The 13 derived per-customer fields of crmscore's `deriveFields`, computed column-wise from
// typed columns (a `ColumnarActivity`) so a million customers never become objects.
// Same definitions as the library (README "Derived fields"); www/tests/derive.test.mjs
// checks this against `deriveFields` value for value. Pure: no DOM, no wasm.
//
// Seam: when crmscore's `Scorer` accepts `ColumnarActivity` itself, the page can hand it the
// activity directly and this module goes away.

/** Field names in the library's order. */
export const DERIVED_FIELDS = [
  "orderCount", "totalAmount", "amountLast365Days", "averageOrderValue", "daysSinceLastOrder",
  "tenureDays", "returnRate", "complaintCount", "averageFeedback", "interactionsLast90Days",
  "averagePaymentDelayDays", "paymentDefaultCount", "referralCount",
];

export const NO_DAY = -2147483648;

// Codes of ColumnarActivity (see crmscore.d.ts).
const ORDER = { completed: 0, returned: 1, cancelled: 2, refused: 3 };
const INTERACTION = { complaint: 4, feedback: 5, referral: 7 };
const PAYMENT = { paid: 0, late: 1, failed: 2, chargeback: 3 };

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

/**
 * { field: Float64Array } for the 13 derived fields; NaN = missing (the library's null).
 * `asOf` in epoch days (default: latestDay). Dates must be Int32Array epoch days.
 */
export function deriveColumns(activity, asOf = latestDay(activity)) {
  const n = activity.customerIds.length;
  const f = () => new Float64Array(n);
  const orderCount = f(), totalAmount = f(), amountLast365Days = f(), complaintCount = f();
  const interactionsLast90Days = f(), paymentDefaultCount = f(), referralCount = f();
  const lastOrder = new Int32Array(n).fill(NO_DAY);
  const first = new Int32Array(n).fill(2147483647);
  const purchased = new Uint32Array(n), returned = new Uint32Array(n);
  const feedbackSum = f(), feedbackCount = new Uint32Array(n);
  const delaySum = f(), delayCount = new Uint32Array(n);

  if (activity.createdAt) {
    const c = activity.createdAt;
    for (let i = 0; i < n; i++) if (c[i] !== NO_DAY) first[i] = c[i];
  }
  const o = activity.orders;
  if (o) {
    const { customer, date, amount, status } = o;
    for (let r = 0; r < customer.length; r++) {
      const i = customer[r], d = date[r], s = status ? status[r] : ORDER.completed;
      if (d < first[i]) first[i] = d;
      if (s === ORDER.completed) {
        orderCount[i] += 1;
        totalAmount[i] += amount[r];
        if (d > asOf - 365 && d <= asOf) amountLast365Days[i] += amount[r];
        if (d > lastOrder[i]) lastOrder[i] = d;
        purchased[i]++;
      } else if (s === ORDER.returned) {
        purchased[i]++;
        returned[i]++;
      } else if (s === ORDER.refused) {
        paymentDefaultCount[i] += 1;
      }
    }
  }
  if (activity.returns) {
    const { customer } = activity.returns;
    for (let r = 0; r < customer.length; r++) returned[customer[r]]++;
  }
  if (activity.interactions) {
    const { customer, date, type, value } = activity.interactions;
    for (let r = 0; r < customer.length; r++) {
      const i = customer[r], d = date[r], ty = type[r];
      if (ty === INTERACTION.complaint) complaintCount[i] += 1;
      else if (ty === INTERACTION.referral) referralCount[i] += 1;
      else if (ty === INTERACTION.feedback && value && Number.isFinite(value[r])) {
        feedbackSum[i] += value[r];
        feedbackCount[i]++;
      }
      if (d > asOf - 90 && d <= asOf) interactionsLast90Days[i] += 1;
    }
  }
  if (activity.payments) {
    const { customer, status, daysLate } = activity.payments;
    for (let r = 0; r < customer.length; r++) {
      const i = customer[r], s = status[r];
      const late = daysLate ? daysLate[r] : NaN;
      if (s === PAYMENT.paid) {
        delaySum[i] += Number.isFinite(late) ? late : 0;
        delayCount[i]++;
      } else if (s === PAYMENT.late) {
        if (Number.isFinite(late)) {
          delaySum[i] += late;
          delayCount[i]++;
        }
      } else if (s === PAYMENT.failed || s === PAYMENT.chargeback) {
        paymentDefaultCount[i] += 1;
      }
    }
  }

  const averageOrderValue = f(), daysSinceLastOrder = f(), tenureDays = f(), returnRate = f();
  const averageFeedback = f(), averagePaymentDelayDays = f();
  for (let i = 0; i < n; i++) {
    averageOrderValue[i] = orderCount[i] > 0 ? totalAmount[i] / orderCount[i] : NaN;
    daysSinceLastOrder[i] = lastOrder[i] !== NO_DAY ? asOf - lastOrder[i] : NaN;
    tenureDays[i] = first[i] !== 2147483647 ? asOf - first[i] : NaN;
    returnRate[i] = purchased[i] > 0 ? Math.min(1, returned[i] / purchased[i]) : NaN;
    averageFeedback[i] = feedbackCount[i] > 0 ? feedbackSum[i] / feedbackCount[i] : NaN;
    averagePaymentDelayDays[i] = delayCount[i] > 0 ? delaySum[i] / delayCount[i] : NaN;
  }
  return {
    orderCount, totalAmount, amountLast365Days, averageOrderValue, daysSinceLastOrder, tenureDays,
    returnRate, complaintCount, averageFeedback, interactionsLast90Days, averagePaymentDelayDays,
    paymentDefaultCount, referralCount,
  };
}
