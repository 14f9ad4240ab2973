// Types of the activity exports, appended to the package's .d.ts by scripts/build.mjs
// (the results are built field by field in src/wasm/activity.rs; tsc checks their use).
/** Status of an order for `deriveFields`; absent or null = "completed". */
export type OrderStatus = "completed" | "returned" | "cancelled" | "refused";
/** Status of a payment. */
export type PaymentStatus = "paid" | "late" | "failed" | "chargeback";
/** Known interaction types; any other string is accepted and counted as "other". */
export type InteractionType =
  | "visit" | "email" | "call" | "meeting" | "complaint" | "feedback" | "training" | "referral" | "quote"
  | (string & {});

/** An order. Extra fields are ignored. */
export interface ActivityOrder {
  customerId: CustomerId;
  date: string | number | Date;
  /** Finite, >= 0. */
  amount: number;
  /** Default "completed". */
  status?: OrderStatus | null;
  /** Finite, >= 0; carried, not used by the derived fields yet. */
  discount?: number | null;
}

/** A customer interaction (visit, call, complaint, feedback, …). */
export interface Interaction {
  customerId: CustomerId;
  date: string | number | Date;
  type: InteractionType;
  /** E.g. a feedback score; only finite values of "feedback" interactions are used. */
  value?: number | null;
}

/** One returned-goods record. */
export interface OrderReturn {
  customerId: CustomerId;
  date: string | number | Date;
  /** Finite, >= 0. */
  amount: number;
}

/** A payment. */
export interface Payment {
  customerId: CustomerId;
  date: string | number | Date;
  /** Finite, >= 0. */
  amount: number;
  status: PaymentStatus;
  /** Finite, >= 0. A "paid" payment without it counts as 0 days late; a "late" one without it is left out. */
  daysLate?: number | null;
}

/** A customer: listed customers appear in the result even without activity. */
export interface CustomerRecord {
  customerId: CustomerId;
  createdAt?: string | number | Date | null;
  /** Other attributes are allowed (and ignored by `deriveFields`). */
  [attribute: string]: unknown;
}

/** Input of `deriveFields`. Unknown keys are rejected. */
export interface ActivityData {
  orders: ActivityOrder[];
  interactions?: Interaction[] | null;
  returns?: OrderReturn[] | null;
  payments?: Payment[] | null;
  customers?: CustomerRecord[] | null;
}

/** Options of `deriveFields`. */
export interface DeriveOptions {
  /** Analysis date. Default: the latest date found in any input (createdAt included). */
  asOf?: string | number | Date;
}

/** The 13 derived fields; `null` = missing (not defined for this customer). */
export interface DerivedFields {
  orderCount: number;
  totalAmount: number;
  amountLast365Days: number;
  averageOrderValue: number | null;
  daysSinceLastOrder: number | null;
  tenureDays: number | null;
  returnRate: number | null;
  complaintCount: number;
  averageFeedback: number | null;
  interactionsLast90Days: number;
  averagePaymentDelayDays: number | null;
  paymentDefaultCount: number;
  referralCount: number;
}

/** The name of a derived field, e.g. for a scoring model's `field`. */
export type DerivedFieldName = keyof DerivedFields;

/** One result row of `deriveFields`. */
export interface DerivedCustomer extends DerivedFields {
  customerId: CustomerId;
}

/** `deriveFieldsColumnar`: one Float64Array per derived field (NaN = missing), in customerIds order. */
export type DerivedColumns = { [K in DerivedFieldName]: Float64Array };
