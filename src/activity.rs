//! Derived per-customer fields from raw activity: orders, interactions, returns and
//! payments → one value per customer and field, ready for a scoring model (a [`Table`]).
//!
//! Input is columnar ([`Activity`]): dense customer indices (`u32`, 0-based), epoch days
//! (`i32`, see [`crate::dates`]) and plain numbers. [`aggregate`] validates every row and
//! reads each input array once into per-customer accumulators ([`Aggregates`], reusable by
//! other features); [`Aggregates::fields`] turns them into the derived fields.
//! [`derive_fields`] / [`derived_table`] do both.
//!
//! # Definitions
//!
//! `asOf` is the analysis day; "missing" is `NaN` here (`null` in JavaScript). A customer
//! without any row of a table gets 0 for that table's counts and sums.
//!
//! | field | definition | missing when |
//! |---|---|---|
//! | `orderCount` | number of orders with status completed | never (0) |
//! | `totalAmount` | sum of the amounts of completed orders | never (0) |
//! | `amountLast365Days` | sum of the amounts of completed orders with `asOf − 365 < day ≤ asOf` | never (0) |
//! | `averageOrderValue` | `totalAmount / orderCount` | `orderCount = 0` |
//! | `daysSinceLastOrder` | `asOf −` day of the latest completed order | no completed order |
//! | `tenureDays` | `asOf −` the earliest of `createdAt` and the first order of any status | neither exists |
//! | `returnRate` | `min(1, returned / purchased)`; purchased = orders completed or returned; returned = orders returned + rows of `returns` | purchased = 0 |
//! | `complaintCount` | interactions of kind complaint | never (0) |
//! | `averageFeedback` | mean `value` of feedback interactions whose value is finite | no such interaction |
//! | `interactionsLast90Days` | interactions of any kind with `asOf − 90 < day ≤ asOf` | never (0) |
//! | `averagePaymentDelayDays` | mean `daysLate` over payments with status paid or late; a paid payment without `daysLate` counts as 0, a late one without `daysLate` is left out | no payment counted |
//! | `paymentDefaultCount` | payments failed or chargeback + orders refused | never (0) |
//! | `referralCount` | interactions of kind referral | never (0) |
//!
//! Refinements of the contract, where it left room:
//! - `asOf` defaults to the latest day found in any input — order (any status),
//!   interaction, return, payment *and* `createdAt` — so that no input is after it. (Unlike
//!   RFM, whose default is the day after the latest order: here the latest day is inside
//!   both windows and `daysSinceLastOrder` can be 0.) With no day anywhere (only customers
//!   without `createdAt`) there is no `asOf`; nothing needs it then.
//! - Any input dated after `asOf`, `createdAt` included, is `date_after_as_of`.
//! - `returnRate`: rows of `returns` count even when they duplicate an order marked
//!   returned (the two sources are added, as defined), hence the cap at 1; a customer with
//!   returns but no completed or returned order has a missing rate.
//! - `averageFeedback`: a non-finite value (`NaN` = none, ±∞) is left out, as defined.
//! - `daysLate` and `discount`, when present, must be finite and ≥ 0 (`invalid_value`);
//!   `daysLate` of failed / chargeback payments is validated but not used.
//!   `discount` is carried for later features and not used by any field here.
//! - Amounts of every table (also returns and payments, which no field sums) must be
//!   finite and ≥ 0 (`invalid_amount`).
//! - `empty_input` when there is no customer at all: no row in any table, no `createdAt`
//!   and no `customer_count`. (Customers known only from interactions, say, are fine.)
//!
//! # Errors
//! The first invalid row in reading order is reported: customers (`createdAt`), orders,
//! interactions, returns, payments; within a row: customer, date, amount, then the
//! optional fields. `row` is the index in that table, `field` the field name
//! (`"customer"`, `"date"`, `"createdAt"`, `"amount"`, `"discount"`, `"daysLate"`), and
//! `table` the table (the message starts with its name: `"payments: row 4, field \"amount\":
//! amount must not be negative, got -5"`).

use crate::columns::{Column, Table};
use crate::dates;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::partition;
use crate::progress;

/// Table names, as used in error details (and the JavaScript `data` keys).
pub const CUSTOMERS: &str = TableName::Customers.as_str();
pub const ORDERS: &str = TableName::Orders.as_str();
pub const INTERACTIONS: &str = TableName::Interactions.as_str();
pub const RETURNS: &str = TableName::Returns.as_str();
pub const PAYMENTS: &str = TableName::Payments.as_str();

/// The derived fields' names, in the order of [`DerivedFields::columns`].
pub const FIELD_NAMES: [&str; 13] = [
    "orderCount",
    "totalAmount",
    "amountLast365Days",
    "averageOrderValue",
    "daysSinceLastOrder",
    "tenureDays",
    "returnRate",
    "complaintCount",
    "averageFeedback",
    "interactionsLast90Days",
    "averagePaymentDelayDays",
    "paymentDefaultCount",
    "referralCount",
];

/// Window of `amountLast365Days`: `asOf − 365 < day ≤ asOf`.
pub const AMOUNT_WINDOW_DAYS: i32 = 365;
/// Window of `interactionsLast90Days`: `asOf − 90 < day ≤ asOf`.
pub const INTERACTION_WINDOW_DAYS: i32 = 90;

/// `created_at` value of a customer without one.
pub const NO_DAY: i32 = i32::MIN;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum OrderStatus {
    #[default]
    Completed = 0,
    Returned = 1,
    Cancelled = 2,
    Refused = 3,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 4] = [
        OrderStatus::Completed,
        OrderStatus::Returned,
        OrderStatus::Cancelled,
        OrderStatus::Refused,
    ];
    /// The JavaScript spelling.
    pub fn name(self) -> &'static str {
        match self {
            OrderStatus::Completed => "completed",
            OrderStatus::Returned => "returned",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refused => "refused",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }
    /// The `u8` discriminant back to the status.
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum InteractionKind {
    Visit = 0,
    Email = 1,
    Call = 2,
    Meeting = 3,
    Complaint = 4,
    Feedback = 5,
    Training = 6,
    Referral = 7,
    Quote = 8,
    /// Any other type.
    #[default]
    Other = 9,
}

impl InteractionKind {
    pub const COUNT: usize = 10;
    pub const ALL: [InteractionKind; 10] = [
        InteractionKind::Visit,
        InteractionKind::Email,
        InteractionKind::Call,
        InteractionKind::Meeting,
        InteractionKind::Complaint,
        InteractionKind::Feedback,
        InteractionKind::Training,
        InteractionKind::Referral,
        InteractionKind::Quote,
        InteractionKind::Other,
    ];
    /// The JavaScript spelling (`"other"` stands for every unknown type).
    pub fn name(self) -> &'static str {
        match self {
            InteractionKind::Visit => "visit",
            InteractionKind::Email => "email",
            InteractionKind::Call => "call",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Complaint => "complaint",
            InteractionKind::Feedback => "feedback",
            InteractionKind::Training => "training",
            InteractionKind::Referral => "referral",
            InteractionKind::Quote => "quote",
            InteractionKind::Other => "other",
        }
    }
    /// A type name → its kind; unknown names are [`InteractionKind::Other`].
    pub fn from_name(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|x| x.name() == s)
            .unwrap_or(InteractionKind::Other)
    }
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum PaymentStatus {
    #[default]
    Paid = 0,
    Late = 1,
    Failed = 2,
    Chargeback = 3,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] = [
        PaymentStatus::Paid,
        PaymentStatus::Late,
        PaymentStatus::Failed,
        PaymentStatus::Chargeback,
    ];
    pub fn name(self) -> &'static str {
        match self {
            PaymentStatus::Paid => "paid",
            PaymentStatus::Late => "late",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Chargeback => "chargeback",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

/// Orders, column-wise (all columns of one length).
#[derive(Clone, Copy, Debug, Default)]
pub struct Orders<'a> {
    pub customer: &'a [u32],
    pub day: &'a [i32],
    /// Finite, ≥ 0.
    pub amount: &'a [f64],
    /// `None`: every order is completed.
    pub status: Option<&'a [OrderStatus]>,
    /// `NaN` = none; finite ≥ 0 otherwise. Not used by the derived fields.
    pub discount: Option<&'a [f64]>,
}

/// Interactions (visits, calls, complaints, feedback, …), column-wise.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interactions<'a> {
    pub customer: &'a [u32],
    pub day: &'a [i32],
    pub kind: &'a [InteractionKind],
    /// `None` or `NaN`: no value. Only finite values of feedback are used.
    pub value: Option<&'a [f64]>,
}

/// Returned goods, one row per return, column-wise.
#[derive(Clone, Copy, Debug, Default)]
pub struct Returns<'a> {
    pub customer: &'a [u32],
    pub day: &'a [i32],
    /// Finite, ≥ 0.
    pub amount: &'a [f64],
}

/// Payments, column-wise.
#[derive(Clone, Copy, Debug, Default)]
pub struct Payments<'a> {
    pub customer: &'a [u32],
    pub day: &'a [i32],
    /// Finite, ≥ 0.
    pub amount: &'a [f64],
    pub status: &'a [PaymentStatus],
    /// `None` or `NaN`: not given; finite ≥ 0 otherwise.
    pub days_late: Option<&'a [f64]>,
}

/// All activity of one analysis. Tables left at `Default` are empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct Activity<'a> {
    pub orders: Orders<'a>,
    pub interactions: Interactions<'a>,
    pub returns: Returns<'a>,
    pub payments: Payments<'a>,
    /// Per customer index, the day the customer was created ([`NO_DAY`] = none). May be
    /// shorter than the number of customers (the rest have none), not longer.
    pub created_at: Option<&'a [i32]>,
    /// Number of customers: every index must be below it. `None`: the largest index + 1
    /// (or `created_at.len()` when larger).
    pub customer_count: Option<usize>,
    /// Analysis day. `None`: the latest day of any input.
    pub as_of: Option<i32>,
}

/// What [`Activity::validate`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validated {
    pub customer_count: usize,
    /// The given `as_of`, or the latest day of any input; `None` when neither exists.
    pub as_of: Option<i32>,
}

// ---------------------------------------------------------------------------------------
// Row checks (also used by the JavaScript binding to describe the row it stopped at).

/// An amount must be a finite number ≥ 0.
pub fn check_amount(table: TableName, row: usize, amount: f64) -> Result<(), Error> {
    if amount.is_finite() && amount >= 0.0 {
        return Ok(());
    }
    let why = if amount.is_finite() {
        "must not be negative"
    } else {
        "must be a finite number"
    };
    Err(Error::cell(
        ErrorCode::InvalidAmount,
        table,
        row,
        "amount",
        format!("amount {why}, got {}", describe_number(amount)),
    ))
}

/// An optional number (`discount`, `daysLate`): `NaN` (= none) or finite ≥ 0.
pub fn check_optional(table: TableName, field: &str, row: usize, x: f64) -> Result<(), Error> {
    if x.is_nan() || (x.is_finite() && x >= 0.0) {
        return Ok(());
    }
    Err(Error::cell(
        ErrorCode::InvalidValue,
        table,
        row,
        field,
        format!(
            "{field} must be a finite number >= 0 when given, got {}",
            describe_number(x)
        ),
    ))
}

/// A day must lie within the supported years and not after `as_of`.
pub fn check_day(
    table: TableName,
    field: &str,
    row: usize,
    day: i32,
    as_of: Option<i32>,
) -> Result<(), Error> {
    if let Err(e) = dates::check_day(day) {
        return Err(Error::cell(ErrorCode::InvalidDate, table, row, field, e));
    }
    match as_of {
        Some(a) if day > a => Err(Error::cell(
            ErrorCode::DateAfterAsOf,
            table,
            row,
            field,
            format!(
                "{field} {} is after the analysis date asOf {}",
                dates::format_day(day),
                dates::format_day(a)
            ),
        )),
        _ => Ok(()),
    }
}

fn check_customer(table: TableName, row: usize, c: u32, count: Option<usize>) -> Result<(), Error> {
    match count {
        Some(n) if c as usize >= n => Err(Error::cell(
            ErrorCode::InvalidCustomerId,
            table,
            row,
            "customer",
            format!("customer index {c} is not below the customer count {n}"),
        )),
        _ => Ok(()),
    }
}

fn length_mismatch(table: TableName, what: String) -> Error {
    Error::new(
        ErrorCode::LengthMismatch,
        format!("columns differ in length ({what})"),
    )
    .field(table.as_str())
    .in_table(table)
}

/// One table's columns as the validator sees them.
struct Cols<'a> {
    table: TableName,
    customer: &'a [u32],
    day: &'a [i32],
    amount: Option<&'a [f64]>,
    /// An optional number column and its field name.
    extra: Option<(&'static str, &'a [f64])>,
}

impl Cols<'_> {
    fn check_lengths(&self, others: &[(&str, usize)]) -> Result<(), Error> {
        let n = self.customer.len();
        let mut all = vec![("customer", n), ("day", self.day.len())];
        if let Some(a) = self.amount {
            all.push(("amount", a.len()));
        }
        if let Some((f, x)) = self.extra {
            all.push((f, x.len()));
        }
        all.extend_from_slice(others);
        if all.iter().any(|&(_, l)| l != n) {
            let what = all
                .iter()
                .map(|(k, l)| format!("{k} {l}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(length_mismatch(self.table, what));
        }
        Ok(())
    }

    /// Full check of one row, in the documented field order.
    fn check_row(&self, i: usize, count: Option<usize>, as_of: Option<i32>) -> Result<(), Error> {
        check_customer(self.table, i, self.customer[i], count)?;
        check_day(self.table, "date", i, self.day[i], as_of)?;
        if let Some(a) = self.amount {
            check_amount(self.table, i, a[i])?;
        }
        if let Some((f, x)) = self.extra {
            check_optional(self.table, f, i, x[i])?;
        }
        Ok(())
    }

    /// Validate every row; track the largest customer index and day. Blocks are checked
    /// branch-free first (this vectorizes); only a failing block is re-read row by row.
    fn validate(
        &self,
        count: Option<usize>,
        as_of: Option<i32>,
        max_c: &mut i64,
        max_d: &mut i32,
    ) -> Result<(), Error> {
        const BLOCK: usize = 4096;
        let (lo, hi) = dates::day_bounds();
        let limit = as_of.unwrap_or(hi).min(hi);
        let n_cust = count.map_or(u64::MAX, |c| c as u64);
        let len = self.customer.len();
        let mut start = 0;
        while start < len {
            let end = (start + BLOCK).min(len);
            let (cb, db) = (&self.customer[start..end], &self.day[start..end]);
            let mut ok = true;
            let mut mc = 0u32;
            let mut md = i32::MIN;
            for k in 0..cb.len() {
                ok &= ((cb[k] as u64) < n_cust) & (db[k] >= lo) & (db[k] <= limit);
                mc = mc.max(cb[k]);
                md = md.max(db[k]);
            }
            if let Some(a) = self.amount {
                for &x in &a[start..end] {
                    // Non-short-circuit `&` on purpose: the loop vectorizes.
                    #[allow(clippy::manual_range_contains)]
                    let fine = (x >= 0.0) & (x < f64::INFINITY);
                    ok &= fine;
                }
            }
            if let Some((_, x)) = self.extra {
                for &v in &x[start..end] {
                    #[allow(clippy::manual_range_contains)]
                    let fine = v.is_nan() | ((v >= 0.0) & (v < f64::INFINITY));
                    ok &= fine;
                }
            }
            if !ok {
                for i in start..end {
                    self.check_row(i, count, as_of)?;
                }
            }
            *max_c = (*max_c).max(mc as i64);
            *max_d = (*max_d).max(md);
            start = end;
        }
        Ok(())
    }
}

impl<'a> Activity<'a> {
    fn tables(&self) -> [Cols<'a>; 4] {
        let o = &self.orders;
        let it = &self.interactions;
        let r = &self.returns;
        let p = &self.payments;
        [
            Cols {
                table: TableName::Orders,
                customer: o.customer,
                day: o.day,
                amount: Some(o.amount),
                extra: o.discount.map(|d| ("discount", d)),
            },
            Cols {
                table: TableName::Interactions,
                customer: it.customer,
                day: it.day,
                amount: None,
                extra: None,
            },
            Cols {
                table: TableName::Returns,
                customer: r.customer,
                day: r.day,
                amount: Some(r.amount),
                extra: None,
            },
            Cols {
                table: TableName::Payments,
                customer: p.customer,
                day: p.day,
                amount: Some(p.amount),
                extra: p.days_late.map(|d| ("daysLate", d)),
            },
        ]
    }

    /// Check every row (see the module's Errors section) and resolve the customer count
    /// and `as_of`. Reads each column once; allocates nothing per row.
    pub fn validate(&self) -> Result<Validated, Error> {
        if let Some(a) = self.as_of {
            dates::check_day(a).map_err(|e| Error::new(ErrorCode::InvalidDate, e).field("asOf"))?;
        }
        let tables = self.tables();
        let o = &self.orders;
        let mut extra = Vec::new();
        if let Some(s) = o.status {
            extra.push(("status", s.len()));
        }
        tables[0].check_lengths(&extra)?;
        let it = &self.interactions;
        let mut extra = vec![("kind", it.kind.len())];
        if let Some(v) = it.value {
            extra.push(("value", v.len()));
        }
        tables[1].check_lengths(&extra)?;
        tables[2].check_lengths(&[])?;
        tables[3].check_lengths(&[("status", self.payments.status.len())])?;
        let created = self.created_at.unwrap_or(&[]);
        if let Some(n) = self.customer_count {
            if created.len() > n {
                return Err(Error::new(
                    ErrorCode::LengthMismatch,
                    format!(
                        "{CUSTOMERS}: createdAt has {} entries but the customer count is {n}",
                        created.len()
                    ),
                )
                .field("createdAt"));
            }
        }
        let mut max_d = i32::MIN;
        for (i, &d) in created.iter().enumerate() {
            if d != NO_DAY {
                check_day(TableName::Customers, "createdAt", i, d, self.as_of)?;
                max_d = max_d.max(d);
            }
        }
        let mut max_c: i64 = -1;
        for t in &tables {
            t.validate(self.customer_count, self.as_of, &mut max_c, &mut max_d)?;
        }
        let customer_count = match self.customer_count {
            Some(n) => n,
            None => usize::try_from(max_c + 1)
                .map_err(|_| too_many(max_c + 1))?
                .max(created.len()),
        };
        if customer_count == 0 {
            return Err(Error::new(
                ErrorCode::EmptyInput,
                "no customers: every input is empty",
            ));
        }
        let as_of = self.as_of.or((max_d != i32::MIN).then_some(max_d));
        Ok(Validated {
            customer_count,
            as_of,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Per-customer accumulators.

/// One customer's orders: the 40-byte record each order reads and writes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderStats {
    /// Sum of completed orders' amounts.
    pub completed_amount: f64,
    /// Same, with `asOf − 365 < day ≤ asOf`.
    pub amount_last_365: f64,
    /// Orders per status, indexed by `OrderStatus as usize`.
    pub by_status: [u32; 4],
    /// Earliest order day of any status (`i32::MAX`: none).
    pub first_day: i32,
    /// Latest completed order day (`i32::MIN`: none).
    pub last_completed_day: i32,
}

impl Default for OrderStats {
    fn default() -> Self {
        OrderStats {
            completed_amount: 0.0,
            amount_last_365: 0.0,
            by_status: [0; 4],
            first_day: i32::MAX,
            last_completed_day: i32::MIN,
        }
    }
}

impl OrderStats {
    pub fn count(&self, s: OrderStatus) -> u32 {
        self.by_status[s as usize]
    }
}

/// One customer's interactions.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct InteractionStats {
    /// Sum and count of finite values of feedback interactions.
    pub feedback_sum: f64,
    pub feedback_count: u32,
    /// Interactions of any kind with `asOf − 90 < day ≤ asOf`.
    pub last_90_days: u32,
    /// Interactions per kind, indexed by `InteractionKind as usize`.
    pub by_kind: [u32; InteractionKind::COUNT],
}

impl InteractionStats {
    pub fn count(&self, k: InteractionKind) -> u32 {
        self.by_kind[k as usize]
    }
}

/// One customer's rows of `returns`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ReturnStats {
    pub count: u32,
    pub amount: f64,
}

/// One customer's payments.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PaymentStats {
    /// Sum and count of the delays averaged by `averagePaymentDelayDays`.
    pub delay_sum: f64,
    pub delay_count: u32,
    /// Payments per status, indexed by `PaymentStatus as usize`.
    pub by_status: [u32; 4],
}

impl PaymentStats {
    pub fn count(&self, s: PaymentStatus) -> u32 {
        self.by_status[s as usize]
    }
}

/// Per-customer accumulators of every table, read through the accessors
/// ([`Aggregates::order`], …). A table without rows keeps no memory per customer; its
/// accessor then returns the empty accumulator.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregates {
    pub customer_count: usize,
    /// The given `as_of`, or the latest day of any input (`None`: no day anywhere).
    pub as_of: Option<i32>,
    created_at: Vec<i32>,
    orders: Vec<OrderStats>,
    interactions: Vec<InteractionStats>,
    returns: Vec<ReturnStats>,
    payments: Vec<PaymentStats>,
}

impl Aggregates {
    /// Replace the per-customer order records (one per customer index, as [`aggregate`]
    /// computes them): for a caller that groups the orders itself (classify).
    pub(crate) fn set_orders(&mut self, orders: Vec<OrderStats>) {
        self.orders = orders;
    }
}

fn too_many(n: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidCustomerId,
        format!("cannot allocate per-customer data for {n} customers; customer indices must be dense (0..count)"),
    )
    .field("customer")
}

/// A zero-filled vector of `n`, or an error instead of an allocation failure (a sparse
/// customer index can ask for billions of customers).
fn table_of<T: Clone>(n: usize, empty: T) -> Result<Vec<T>, Error> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| too_many(n))?;
    v.resize(n, empty);
    Ok(v)
}

fn get_or<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

impl Aggregates {
    pub fn order(&self, i: usize) -> OrderStats {
        get_or(&self.orders, i)
    }
    pub fn interaction(&self, i: usize) -> InteractionStats {
        get_or(&self.interactions, i)
    }
    pub fn returned(&self, i: usize) -> ReturnStats {
        get_or(&self.returns, i)
    }
    pub fn payment(&self, i: usize) -> PaymentStats {
        get_or(&self.payments, i)
    }
    pub fn created(&self, i: usize) -> Option<i32> {
        self.created_at.get(i).copied().filter(|&d| d != NO_DAY)
    }

    /// The derived fields of every customer (definitions: module documentation).
    pub fn fields(&self) -> DerivedFields {
        let n = self.customer_count;
        let as_of = self.as_of.unwrap_or(0);
        let mut f = DerivedFields::with_len(n, self.as_of);
        for i in 0..n {
            let o = self.order(i);
            let it = self.interaction(i);
            let r = self.returned(i);
            let p = self.payment(i);
            let completed = o.count(OrderStatus::Completed);
            let returned = o.count(OrderStatus::Returned);
            f.order_count.push(completed as f64);
            f.total_amount.push(o.completed_amount);
            f.amount_last_365_days.push(o.amount_last_365);
            f.average_order_value.push(if completed > 0 {
                o.completed_amount / completed as f64
            } else {
                f64::NAN
            });
            f.days_since_last_order
                .push(if o.last_completed_day != i32::MIN {
                    (as_of - o.last_completed_day) as f64
                } else {
                    f64::NAN
                });
            let first = match (
                self.created(i),
                (o.first_day != i32::MAX).then_some(o.first_day),
            ) {
                (Some(c), Some(d)) => Some(c.min(d)),
                (c, d) => c.or(d),
            };
            f.tenure_days
                .push(first.map_or(f64::NAN, |d| (as_of - d) as f64));
            let purchased = completed as f64 + returned as f64;
            let back = returned as f64 + r.count as f64;
            f.return_rate.push(if purchased > 0.0 {
                (back / purchased).min(1.0)
            } else {
                f64::NAN
            });
            f.complaint_count
                .push(it.count(InteractionKind::Complaint) as f64);
            f.average_feedback.push(if it.feedback_count > 0 {
                it.feedback_sum / it.feedback_count as f64
            } else {
                f64::NAN
            });
            f.interactions_last_90_days.push(it.last_90_days as f64);
            f.average_payment_delay_days.push(if p.delay_count > 0 {
                p.delay_sum / p.delay_count as f64
            } else {
                f64::NAN
            });
            f.payment_default_count.push(
                p.count(PaymentStatus::Failed) as f64
                    + p.count(PaymentStatus::Chargeback) as f64
                    + o.count(OrderStatus::Refused) as f64,
            );
            f.referral_count
                .push(it.count(InteractionKind::Referral) as f64);
        }
        f
    }
}

/// One order as [`aggregate`] adds it (held in a partition bucket at a million customers).
#[derive(Clone, Copy, Default)]
struct OrderRow {
    amount: f64,
    customer: u32,
    day: i32,
    /// `OrderStatus as u8` (0 = completed when the table has no status).
    status: u8,
}

/// One interaction as [`aggregate`] adds it.
#[derive(Clone, Copy, Default)]
struct InteractionRow {
    value: f64,
    customer: u32,
    day: i32,
    kind: u8,
}

/// Validate `a` and read every table once into per-customer accumulators.
/// A rejected call computes nothing.
pub fn aggregate(a: &Activity) -> Result<Aggregates, Error> {
    let v = a.validate()?;
    aggregate_validated(a, v)
}

/// [`aggregate`] of an activity already validated (`v`: what [`Activity::validate`] gave for
/// it, or for an activity of which `a` is a part with the same customers and analysis day).
pub(crate) fn aggregate_validated(a: &Activity, v: Validated) -> Result<Aggregates, Error> {
    // Progress: rows aggregated of all rows, every 64k rows (`partition::scatter`'s chunks).
    let total = a.orders.customer.len()
        + a.interactions.customer.len()
        + a.returns.customer.len()
        + a.payments.customer.len();
    let mut done = 0usize;
    let n = v.customer_count;
    // Only tables with rows hold per-customer data; when a table has rows, `as_of` exists.
    let as_of = v.as_of.unwrap_or(0);
    let mut agg = Aggregates {
        customer_count: n,
        as_of: v.as_of,
        created_at: Vec::new(),
        orders: Vec::new(),
        interactions: Vec::new(),
        returns: Vec::new(),
        payments: Vec::new(),
    };
    if let Some(c) = a.created_at.filter(|c| !c.is_empty()) {
        agg.created_at = table_of(n, NO_DAY)?;
        agg.created_at[..c.len()].copy_from_slice(c);
    }

    let o = &a.orders;
    if !o.customer.is_empty() {
        let mut acc = table_of(n, OrderStats::default())?;
        let window = as_of - AMOUNT_WINDOW_DAYS;
        let add = |acc: &mut [OrderStats], r: &OrderRow| {
            let s = &mut acc[r.customer as usize];
            s.first_day = s.first_day.min(r.day);
            s.by_status[r.status as usize] += 1;
            if r.status == OrderStatus::Completed as u8 {
                s.completed_amount += r.amount;
                s.amount_last_365 += if r.day > window { r.amount } else { 0.0 };
                s.last_completed_day = s.last_completed_day.max(r.day);
            }
        };
        let row = |i: usize| OrderRow {
            amount: o.amount[i],
            customer: o.customer[i],
            day: o.day[i],
            status: o.status.map_or(0, |st| st[i] as u8),
        };
        partition::scatter(
            n,
            o.customer.len(),
            |i| o.customer[i],
            row,
            |rows| rows.iter().for_each(|r| add(&mut acc, r)),
            |hi| progress::report(done + hi, total),
        );
        done += o.customer.len();
        agg.orders = acc;
    }

    let it = &a.interactions;
    if !it.customer.is_empty() {
        let mut acc = table_of(n, InteractionStats::default())?;
        let window = as_of - INTERACTION_WINDOW_DAYS;
        let add = |acc: &mut [InteractionStats], r: &InteractionRow| {
            let s = &mut acc[r.customer as usize];
            s.by_kind[r.kind as usize] += 1;
            s.last_90_days += (r.day > window) as u32;
            if r.kind == InteractionKind::Feedback as u8 && r.value.is_finite() {
                s.feedback_sum += r.value;
                s.feedback_count += 1;
            }
        };
        let row = |i: usize| InteractionRow {
            value: it.value.map_or(f64::NAN, |v| v[i]),
            customer: it.customer[i],
            day: it.day[i],
            kind: it.kind[i] as u8,
        };
        partition::scatter(
            n,
            it.customer.len(),
            |i| it.customer[i],
            row,
            |rows| rows.iter().for_each(|r| add(&mut acc, r)),
            |hi| progress::report(done + hi, total),
        );
        done += it.customer.len();
        agg.interactions = acc;
    }

    let r = &a.returns;
    if !r.customer.is_empty() {
        let mut acc = table_of(n, ReturnStats::default())?;
        for i in 0..r.customer.len() {
            let s = &mut acc[r.customer[i] as usize];
            s.count += 1;
            s.amount += r.amount[i];
        }
        done += r.customer.len();
        progress::report(done, total);
        agg.returns = acc;
    }

    let p = &a.payments;
    if !p.customer.is_empty() {
        let mut acc = table_of(n, PaymentStats::default())?;
        for i in 0..p.customer.len() {
            let st = p.status[i];
            let late = p.days_late.map_or(f64::NAN, |v| v[i]);
            let s = &mut acc[p.customer[i] as usize];
            s.by_status[st as usize] += 1;
            let delay = match st {
                PaymentStatus::Paid if late.is_nan() => Some(0.0),
                PaymentStatus::Paid | PaymentStatus::Late if !late.is_nan() => Some(late),
                _ => None,
            };
            if let Some(x) = delay {
                s.delay_sum += x;
                s.delay_count += 1;
            }
        }
        agg.payments = acc;
    }
    Ok(agg)
}

/// The 13 derived fields, one column per field (`NaN` = missing), one row per customer.
#[derive(Clone, Debug, PartialEq)]
pub struct DerivedFields {
    /// The analysis day used (`None` only when no input has a day).
    pub as_of: Option<i32>,
    pub order_count: Vec<f64>,
    pub total_amount: Vec<f64>,
    pub amount_last_365_days: Vec<f64>,
    pub average_order_value: Vec<f64>,
    pub days_since_last_order: Vec<f64>,
    pub tenure_days: Vec<f64>,
    pub return_rate: Vec<f64>,
    pub complaint_count: Vec<f64>,
    pub average_feedback: Vec<f64>,
    pub interactions_last_90_days: Vec<f64>,
    pub average_payment_delay_days: Vec<f64>,
    pub payment_default_count: Vec<f64>,
    pub referral_count: Vec<f64>,
}

impl DerivedFields {
    fn with_len(n: usize, as_of: Option<i32>) -> Self {
        let v = || Vec::with_capacity(n);
        DerivedFields {
            as_of,
            order_count: v(),
            total_amount: v(),
            amount_last_365_days: v(),
            average_order_value: v(),
            days_since_last_order: v(),
            tenure_days: v(),
            return_rate: v(),
            complaint_count: v(),
            average_feedback: v(),
            interactions_last_90_days: v(),
            average_payment_delay_days: v(),
            payment_default_count: v(),
            referral_count: v(),
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.order_count.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `(name, column)` in [`FIELD_NAMES`] order.
    pub fn columns(&self) -> [(&'static str, &[f64]); 13] {
        let c = [
            &self.order_count,
            &self.total_amount,
            &self.amount_last_365_days,
            &self.average_order_value,
            &self.days_since_last_order,
            &self.tenure_days,
            &self.return_rate,
            &self.complaint_count,
            &self.average_feedback,
            &self.interactions_last_90_days,
            &self.average_payment_delay_days,
            &self.payment_default_count,
            &self.referral_count,
        ];
        let mut k = 0;
        c.map(|col| {
            k += 1;
            (FIELD_NAMES[k - 1], col.as_slice())
        })
    }

    /// The column of a field by its camelCase name.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }

    /// A scoring [`Table`] with one `Column::Num` per field, named as in [`FIELD_NAMES`].
    pub fn into_table(self) -> Table {
        let len = self.len();
        let DerivedFields {
            as_of: _,
            order_count,
            total_amount,
            amount_last_365_days,
            average_order_value,
            days_since_last_order,
            tenure_days,
            return_rate,
            complaint_count,
            average_feedback,
            interactions_last_90_days,
            average_payment_delay_days,
            payment_default_count,
            referral_count,
        } = self;
        let cols = [
            order_count,
            total_amount,
            amount_last_365_days,
            average_order_value,
            days_since_last_order,
            tenure_days,
            return_rate,
            complaint_count,
            average_feedback,
            interactions_last_90_days,
            average_payment_delay_days,
            payment_default_count,
            referral_count,
        ];
        let columns = FIELD_NAMES
            .iter()
            .zip(cols)
            .map(|(n, c)| (n.to_string(), Column::Num(c)))
            .collect();
        Table { len, columns }
    }
}

/// Validate, aggregate and derive the 13 fields.
pub fn derive_fields(a: &Activity) -> Result<DerivedFields, Error> {
    Ok(aggregate(a)?.fields())
}

/// The derived fields as a scoring [`Table`] (one row per customer index).
pub fn derived_table(a: &Activity) -> Result<Table, Error> {
    Ok(derive_fields(a)?.into_table())
}
