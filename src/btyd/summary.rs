//! Orders → per-customer BTYD summaries (frequency, recency, T, monetary value and,
//! optionally, holdout columns), with the definitions of Python `lifetimes` 0.11.3
//! `summary_data_from_transaction_data` / `calibration_and_holdout_data`.

use super::TimeUnit;
use crate::dates;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::progress;

/// Most customers [`summarize`] accepts (a 32-byte record each: 4 GB, the wasm32 limit).
pub const MAX_CUSTOMERS: usize = 1 << 27;

/// Options of [`summarize`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SummaryOptions {
    /// End of observation (epoch day, inclusive): lifetimes' `observation_period_end`.
    /// Default: the day of the latest order (as lifetimes). An order after it is an error
    /// (`date_after_as_of`), not silently dropped as lifetimes does.
    pub as_of: Option<i32>,
    /// End of the calibration period (epoch day, inclusive). When given, frequency,
    /// recency, T and monetary value describe the orders up to it (T ends at it) and the
    /// [`Holdout`] columns describe the orders after it, up to `as_of`.
    pub calibration_end: Option<i32>,
    /// Unit of recency, T and the holdout duration.
    pub unit: TimeUnit,
    /// Number of customers; customer indices must be below it. Default: largest index + 1.
    pub customer_count: Option<usize>,
}

/// Holdout columns (present when [`SummaryOptions::calibration_end`] is given), aligned
/// with the rows of [`Summaries`].
#[derive(Clone, Debug, PartialEq)]
pub struct Holdout {
    pub calibration_end: i32,
    /// Distinct order days after `calibration_end` up to `as_of` (lifetimes `frequency_holdout`).
    pub frequency: Vec<f64>,
    /// Mean amount per holdout **order row** (not per day), 0 without holdout orders —
    /// exactly lifetimes' `monetary_value_holdout`, which, unlike the calibration
    /// `monetary_value`, does not first add up orders of the same day.
    pub monetary_value: Vec<f64>,
    /// (as_of − calibration_end) in the unit: lifetimes' `duration_holdout`, equal for all rows.
    pub duration: f64,
}

/// Columnar BTYD summaries: one row per customer that has at least one (calibration)
/// order, in increasing customer index. Customers without orders get no row (they carry
/// no information for the models); `customer` maps rows back to indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Summaries {
    /// Customer index of each row (strictly increasing).
    pub customer: Vec<u32>,
    /// Repeat purchase days: distinct order days − 1 (`x`).
    pub frequency: Vec<f64>,
    /// First → last order day, in the unit (`t_x`).
    pub recency: Vec<f64>,
    /// First order day → end of calibration (`as_of`, or `calibration_end`), in the unit (`T`).
    pub age: Vec<f64>,
    /// Mean amount per repeat purchase day (orders of one day summed; the first day is
    /// excluded); 0 when frequency is 0.
    pub monetary_value: Vec<f64>,
    pub holdout: Option<Holdout>,
    /// The end of observation used (epoch day).
    pub as_of: i32,
    pub unit: TimeUnit,
    /// Customer indices below the customer count with no order at all.
    pub customers_without_orders: usize,
    /// With `calibration_end`: customers whose orders all fall after it (no row, as in
    /// lifetimes' `calibration_and_holdout_data`).
    pub customers_only_in_holdout: usize,
}

impl Summaries {
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// Per-customer accumulator (32 bytes) of the calibration orders, all-zero when empty
/// (so the table is allocated zeroed, without a fill pass). `days` counts
/// distinct days while the customer's orders arrive in non-decreasing date order; bit 31
/// marks a customer whose orders did not (their days are counted again afterwards, by
/// sorting just their order days).
#[derive(Clone, Copy)]
struct Acc {
    first: i32,
    last: i32,
    days: u32,
    orders: u32,
    first_sum: f64,
    repeat_sum: f64,
}

const UNSORTED: u32 = 1 << 31;

impl Acc {
    const EMPTY: Acc = Acc {
        first: 0,
        last: 0,
        days: 0,
        orders: 0,
        first_sum: 0.0,
        repeat_sum: 0.0,
    };
}

/// Holdout orders of a customer (same `days` convention).
#[derive(Clone, Copy)]
struct Hold {
    last: i32,
    days: u32,
    orders: u32,
    sum: f64,
}

impl Hold {
    const EMPTY: Hold = Hold {
        last: 0,
        days: 0,
        orders: 0,
        sum: 0.0,
    };
}

fn row_error(
    row: usize,
    c: u32,
    d: i32,
    a: f64,
    n: usize,
    limit: i32,
    as_of: Option<i32>,
) -> Error {
    if let Err(e) = dates::check_day(d) {
        return Error::cell(ErrorCode::InvalidDate, TableName::Orders, row, "date", e);
    }
    if !(a.is_finite() && a >= 0.0) {
        let why = if a.is_finite() {
            "must not be negative"
        } else {
            "must be a finite number"
        };
        return Error::cell(
            ErrorCode::InvalidAmount,
            TableName::Orders,
            row,
            "amount",
            format!("amount {why}, got {}", describe_number(a)),
        );
    }
    if d > limit {
        if let Some(a) = as_of {
            return Error::cell(
                ErrorCode::DateAfterAsOf,
                TableName::Orders,
                row,
                "date",
                format!(
                    "order date {} is after the analysis date asOf {}",
                    dates::format_day(d),
                    dates::format_day(a)
                ),
            );
        }
    }
    Error::cell(
        ErrorCode::InvalidCustomerId,
        TableName::Orders,
        row,
        "customerIndex",
        format!("customer index {c} is not below customerCount {n}"),
    )
}

/// Orders (customer index, epoch day, amount) → BTYD summaries.
///
/// Definitions (lifetimes 0.11.3 with `freq="D"` and `freq_multiplier` = days per unit):
/// - orders of one customer on one day are one purchase (amounts added);
/// - `frequency` = purchase days − 1 (the first purchase is not a repeat purchase);
/// - `recency` = last − first purchase day, `age` (T) = end − first purchase day, both
///   divided by the unit's length in days ([`TimeUnit::days`]);
/// - `monetary_value` = mean amount of the repeat purchase days.
///
/// Errors name the row: `invalid_date` (outside years 1000–9999), `invalid_amount`
/// (NaN, ±∞, negative), `date_after_as_of`, `invalid_customer_id` (index ≥ count);
/// `length_mismatch`, `empty_input` (no order, or none on/before `calibration_end`),
/// `invalid_option` (`calibrationEnd` not before `asOf`, `asOf` out of range).
///
/// Cost: one validation pass and one accumulation pass over the orders into a
/// 32-byte record per customer (no per-customer allocation, no hashing). Customers
/// whose orders are not in date order take an extra counting-sort pass over their
/// orders only.
pub fn summarize(
    customer: &[u32],
    day: &[i32],
    amount: &[f64],
    opts: &SummaryOptions,
) -> Result<Summaries, Error> {
    check_columns_and_options(customer, day, amount, opts)?;
    let n = customer_count(customer, opts)?;
    let mut acc = vec![Acc::EMPTY; n];
    let mut hold: Vec<Hold> = if opts.calibration_end.is_some() {
        vec![Hold::EMPTY; n]
    } else {
        Vec::new()
    };
    let cal_end = opts.calibration_end.unwrap_or(i32::MAX);
    let pass = {
        let _phase = progress::span(0.0, 0.85);
        validate_and_accumulate(&mut acc, &mut hold, customer, day, amount, opts)?
    };
    progress::report_fraction(0.85);
    let as_of = opts.as_of.unwrap_or(pass.max_day);
    check_calibration_end(opts.calibration_end, as_of)?;
    if pass.unsorted {
        if n >= PARTITION_MIN_CUSTOMERS {
            recount_partitioned(&mut acc, &mut hold, cal_end, customer, day);
        } else {
            recount_unsorted(&mut acc, &mut hold, cal_end, customer, day);
        }
    }
    let end = opts.calibration_end.unwrap_or(as_of);
    if pass.rows == 0 {
        return Err(Error::new(
            ErrorCode::EmptyInput,
            format!(
                "no order falls on or before calibrationEnd {}",
                dates::format_day(end)
            ),
        ));
    }
    Ok(collect_rows(&acc, &hold, pass.rows, as_of, opts))
}

/// The errors found before reading any row: columns of different lengths, no order, and
/// `asOf` / `calibrationEnd` out of range or out of order.
fn check_columns_and_options(
    customer: &[u32],
    day: &[i32],
    amount: &[f64],
    opts: &SummaryOptions,
) -> Result<(), Error> {
    if customer.len() != day.len() || customer.len() != amount.len() {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!(
                "customer, date and amount columns differ in length ({}, {}, {})",
                customer.len(),
                day.len(),
                amount.len()
            ),
        ));
    }
    if customer.is_empty() {
        return Err(Error::new(ErrorCode::EmptyInput, "no orders were given"));
    }
    let (lo, hi) = dates::day_bounds();
    if let Some(a) = opts.as_of {
        if a < lo || a > hi {
            return Err(Error::option(
                "asOf",
                format!("epoch day {a} is outside years 1000..9999"),
            ));
        }
    }
    if let (Some(c), Some(a)) = (opts.calibration_end, opts.as_of) {
        if c >= a {
            return Err(Error::option(
                "calibrationEnd",
                format!(
                    "calibrationEnd {} must be before asOf {}",
                    dates::format_day(c),
                    dates::format_day(a)
                ),
            ));
        }
    }
    if let Some(c) = opts.calibration_end {
        if c < lo || c > hi {
            return Err(Error::option(
                "calibrationEnd",
                format!("epoch day {c} is outside years 1000..9999"),
            ));
        }
    }
    Ok(())
}

/// The size of the per-customer table: `customerCount`, or the largest index + 1; at most
/// [`MAX_CUSTOMERS`] (else the option, or the first row with too large an index, is named).
fn customer_count(customer: &[u32], opts: &SummaryOptions) -> Result<usize, Error> {
    match opts.customer_count {
        Some(n) => {
            if n > MAX_CUSTOMERS {
                return Err(Error::option(
                    "customerCount",
                    format!("customerCount must be at most {MAX_CUSTOMERS}, got {n}"),
                ));
            }
            Ok(n)
        }
        None => {
            let n = customer.iter().copied().max().map_or(0, |m| m as usize + 1);
            if n > MAX_CUSTOMERS {
                // Name the first row whose index is too large (the table would not fit).
                let row = customer
                    .iter()
                    .position(|&c| c as usize >= MAX_CUSTOMERS)
                    .unwrap_or(0);
                return Err(Error::cell(
                    ErrorCode::InvalidCustomerId,
                    TableName::Orders,
                    row,
                    "customerIndex",
                    format!(
                        "customer index {} exceeds the supported {MAX_CUSTOMERS} customers",
                        customer[row]
                    ),
                ));
            }
            Ok(n)
        }
    }
}

/// What [`validate_and_accumulate`] found.
struct Pass {
    /// The latest order day.
    max_day: i32,
    /// Some customer's orders were out of date order (their days need a recount).
    unsorted: bool,
    /// Customers with a calibration order (the rows of the result).
    rows: usize,
}

/// Validate every order and add it to the customer's record (`acc`, or `hold` after
/// `calibrationEnd`); the first invalid row is the error.
///
/// A block of orders is validated branch-free (it vectorizes; a bad block is re-read row by
/// row for the error), then accumulated while it is still in cache. Input whose customers
/// interleave (e.g. sorted by date) makes every order a cache miss in the per-customer table
/// once that table outgrows the cache: such input is instead partitioned by customer range
/// after validation, and each range accumulated with its slice of the table in cache (see
/// [`accumulate_partitioned`]).
fn validate_and_accumulate(
    acc: &mut [Acc],
    hold: &mut [Hold],
    customer: &[u32],
    day: &[i32],
    amount: &[f64],
    opts: &SummaryOptions,
) -> Result<Pass, Error> {
    let n = acc.len();
    let runs = 1 + customer.windows(2).filter(|w| w[0] != w[1]).count();
    let partition = n >= PARTITION_MIN_CUSTOMERS && runs > customer.len() / 2;
    let (lo, hi) = dates::day_bounds();
    let limit = opts.as_of.unwrap_or(hi);
    let cal_end = opts.calibration_end.unwrap_or(i32::MAX);
    let mut max_day = i32::MIN;
    let mut unsorted = false;
    let mut rows = 0usize;
    const BLOCK: usize = 4096;
    let mut start = 0;
    while start < customer.len() {
        let end = (start + BLOCK).min(customer.len());
        let (cb, db, ab) = (&customer[start..end], &day[start..end], &amount[start..end]);
        let mut ok = true;
        let mut m = i32::MIN;
        for i in 0..cb.len() {
            ok &= ((cb[i] as usize) < n)
                & (db[i] >= lo)
                & (db[i] <= limit)
                & (ab[i] >= 0.0)
                & (ab[i] < f64::INFINITY);
            m = m.max(db[i]);
        }
        if !ok {
            for i in 0..cb.len() {
                let (c, d, a) = (cb[i], db[i], ab[i]);
                if !((c as usize) < n && d >= lo && d <= limit && a.is_finite() && a >= 0.0) {
                    return Err(row_error(start + i, c, d, a, n, limit, opts.as_of));
                }
            }
        }
        max_day = max_day.max(m);
        if !partition {
            let (u, r) = if hold.is_empty() {
                accumulate::<false, u32>(acc, hold, cal_end, cb, db, ab)
            } else {
                accumulate::<true, u32>(acc, hold, cal_end, cb, db, ab)
            };
            unsorted |= u;
            rows += r;
        }
        start = end;
        if start % (BLOCK * 16) == 0 {
            // Validation is the first 40 % of a partitioned pass (accumulation the rest).
            let share = if partition { 0.4 } else { 1.0 };
            progress::report_fraction(share * start as f64 / customer.len() as f64);
        }
    }
    if partition {
        let _phase = progress::span(0.4, 1.0);
        rows = accumulate_partitioned(acc, hold, cal_end, customer, day, amount);
    }
    Ok(Pass {
        max_day,
        unsorted,
        rows,
    })
}

/// `calibrationEnd` must fall before the end of observation (known only after the pass when
/// `asOf` is not given).
fn check_calibration_end(calibration_end: Option<i32>, as_of: i32) -> Result<(), Error> {
    if let Some(c) = calibration_end {
        if c >= as_of {
            return Err(Error::option(
                "calibrationEnd",
                format!(
                    "calibrationEnd {} must be before the end of observation {} (asOf, or the latest order)",
                    dates::format_day(c),
                    dates::format_day(as_of)
                ),
            ));
        }
    }
    Ok(())
}

/// The per-customer records → the summary columns (`rows` customers have a calibration
/// order) and the counts of customers without a row.
fn collect_rows(
    acc: &[Acc],
    hold: &[Hold],
    rows: usize,
    as_of: i32,
    opts: &SummaryOptions,
) -> Summaries {
    let unit = opts.unit.days();
    let end = opts.calibration_end.unwrap_or(as_of);
    let mut s = Summaries {
        customer: Vec::with_capacity(rows),
        frequency: Vec::with_capacity(rows),
        recency: Vec::with_capacity(rows),
        age: Vec::with_capacity(rows),
        monetary_value: Vec::with_capacity(rows),
        holdout: None,
        as_of,
        unit: opts.unit,
        customers_without_orders: 0,
        customers_only_in_holdout: 0,
    };
    let mut hf = Vec::new();
    let mut hm = Vec::new();
    if !hold.is_empty() {
        hf.reserve(rows);
        hm.reserve(rows);
    }
    for (i, a) in acc.iter().enumerate() {
        if a.orders == 0 {
            if hold.get(i).is_some_and(|h| h.orders > 0) {
                s.customers_only_in_holdout += 1;
            } else {
                s.customers_without_orders += 1;
            }
            continue;
        }
        let freq = (a.days & !UNSORTED) - 1;
        s.customer.push(i as u32);
        s.frequency.push(freq as f64);
        s.recency.push((a.last - a.first) as f64 / unit);
        s.age.push((end - a.first) as f64 / unit);
        s.monetary_value.push(if freq > 0 {
            a.repeat_sum / freq as f64
        } else {
            0.0
        });
        if let Some(h) = hold.get(i) {
            hf.push((h.days & !UNSORTED) as f64);
            hm.push(if h.orders > 0 {
                h.sum / h.orders as f64
            } else {
                0.0
            });
        }
    }
    if let Some(c) = opts.calibration_end {
        s.holdout = Some(Holdout {
            calibration_end: c,
            frequency: hf,
            monetary_value: hm,
            duration: (as_of - c) as f64 / unit,
        });
    }
    s
}

/// Customer index types of the accumulation loop (u16 within a partition).
trait Idx: Copy {
    fn idx(self) -> usize;
}
impl Idx for u32 {
    #[inline]
    fn idx(self) -> usize {
        self as usize
    }
}
impl Idx for u16 {
    #[inline]
    fn idx(self) -> usize {
        self as usize
    }
}

/// Customers per partition: 2^13, so that a partition's table slice (256 KB) and
/// recount cursors stay in cache (the choice was measured: README, "Design").
const PARTITION_SHIFT: u32 = 13;
/// Partition only when the table (32 bytes per customer) outgrows a cache.
const PARTITION_MIN_CUSTOMERS: usize = 1 << 16;

/// Orders partitioned by customer range (a stable counting sort, so input order is kept
/// within a range and sums and the date-order check see the same sequence), then each
/// range accumulated — and its out-of-order customers recounted — with its table slice
/// in cache. Temporary memory: 14 bytes per order. Returns the customers seen.
fn accumulate_partitioned(
    acc: &mut [Acc],
    hold: &mut [Hold],
    cal_end: i32,
    customer: &[u32],
    day: &[i32],
    amount: &[f64],
) -> usize {
    let parts = (acc.len() >> PARTITION_SHIFT) + 1;
    let mut offset = vec![0usize; parts + 1];
    for &c in customer {
        offset[(c >> PARTITION_SHIFT) as usize + 1] += 1;
    }
    for p in 0..parts {
        offset[p + 1] += offset[p];
    }
    let mut cursor = offset.clone();
    let len = customer.len();
    let (mut lo, mut dd, mut aa) = (vec![0u16; len], vec![0i32; len], vec![0f64; len]);
    let mask = (1u32 << PARTITION_SHIFT) - 1;
    for i in 0..len {
        let c = customer[i];
        let k = &mut cursor[(c >> PARTITION_SHIFT) as usize];
        lo[*k] = (c & mask) as u16;
        dd[*k] = day[i];
        aa[*k] = amount[i];
        *k += 1;
    }
    let mut rows = 0;
    for p in 0..parts {
        let (s, e) = (offset[p], offset[p + 1]);
        if s == e {
            continue;
        }
        let c0 = p << PARTITION_SHIFT;
        let c1 = (c0 + (1 << PARTITION_SHIFT)).min(acc.len());
        let a = &mut acc[c0..c1];
        let h: &mut [Hold] = if hold.is_empty() {
            &mut []
        } else {
            &mut hold[c0..c1]
        };
        progress::report(p, parts);
        let (u, r) = if h.is_empty() {
            accumulate::<false, u16>(a, h, cal_end, &lo[s..e], &dd[s..e], &aa[s..e])
        } else {
            accumulate::<true, u16>(a, h, cal_end, &lo[s..e], &dd[s..e], &aa[s..e])
        };
        rows += r;
        if u {
            recount_unsorted(a, h, cal_end, &lo[s..e], &dd[s..e]);
        }
    }
    rows
}

/// [`recount_unsorted`] for large tables: the (customer, day) pairs of the out-of-order
/// customers are first partitioned by customer range (stable counting sort, 6 bytes per
/// such order), then each range is recounted with its table slice and cursors in cache
/// instead of scattering into one table-sized array.
fn recount_partitioned(
    acc: &mut [Acc],
    hold: &mut [Hold],
    cal_end: i32,
    customer: &[u32],
    day: &[i32],
) {
    let flagged = |a: &Acc, h: Option<&Hold>| (a.days | h.map_or(0, |h| h.days)) & UNSORTED != 0;
    let parts = (acc.len() >> PARTITION_SHIFT) + 1;
    let mut offset = vec![0usize; parts + 1];
    // One bit per customer (cache-resident), read by the scatter pass below.
    let mut bits = vec![0u64; acc.len() / 64 + 1];
    for (c, a) in acc.iter().enumerate() {
        if flagged(a, hold.get(c)) {
            bits[c / 64] |= 1 << (c % 64);
            offset[(c >> PARTITION_SHIFT) + 1] +=
                (a.orders + hold.get(c).map_or(0, |h| h.orders)) as usize;
        }
    }
    for p in 0..parts {
        offset[p + 1] += offset[p];
    }
    let mut cursor = offset.clone();
    let total = offset[parts];
    let (mut lo, mut dd) = (vec![0u16; total], vec![0i32; total]);
    let mask = (1u32 << PARTITION_SHIFT) - 1;
    for (&c, &d) in customer.iter().zip(day) {
        let ci = c as usize;
        if bits[ci / 64] & (1 << (ci % 64)) != 0 {
            let k = &mut cursor[ci >> PARTITION_SHIFT];
            lo[*k] = (c & mask) as u16;
            dd[*k] = d;
            *k += 1;
        }
    }
    for p in 0..parts {
        let (s, e) = (offset[p], offset[p + 1]);
        if s == e {
            continue;
        }
        let c0 = p << PARTITION_SHIFT;
        let c1 = (c0 + (1 << PARTITION_SHIFT)).min(acc.len());
        let h: &mut [Hold] = if hold.is_empty() {
            &mut []
        } else {
            &mut hold[c0..c1]
        };
        recount_unsorted(&mut acc[c0..c1], h, cal_end, &lo[s..e], &dd[s..e]);
    }
}

/// Add validated orders. Returns (some customer's orders were out of date order,
/// customers seen for the first time).
#[inline]
fn accumulate<const HOLD: bool, C: Idx>(
    acc: &mut [Acc],
    hold: &mut [Hold],
    cal_end: i32,
    customer: &[C],
    day: &[i32],
    amount: &[f64],
) -> (bool, usize) {
    let mut flags = 0u32;
    let mut new = 0usize;
    for i in 0..customer.len() {
        let c = customer[i].idx();
        let (d, a) = (day[i], amount[i]);
        if HOLD && d > cal_end {
            let h = &mut hold[c];
            if h.orders == 0 || d > h.last {
                h.days += 1;
                h.last = d;
            } else if d < h.last {
                h.days |= UNSORTED;
                flags |= UNSORTED;
            }
            h.orders += 1;
            h.sum += a;
            continue;
        }
        let s = &mut acc[c];
        s.orders += 1;
        if s.orders == 1 {
            s.first = d;
            s.last = d;
            s.first_sum = a;
            s.days = 1;
            new += 1;
        } else if d > s.last {
            // A later day: the common case of date-ordered input.
            s.repeat_sum += a;
            s.days += 1;
            s.last = d;
        } else if d == s.last {
            if d == s.first {
                s.first_sum += a;
            } else {
                s.repeat_sum += a;
            }
        } else {
            s.days |= UNSORTED;
            flags |= UNSORTED;
            if d < s.first {
                s.repeat_sum += s.first_sum;
                s.first = d;
                s.first_sum = a;
            } else if d == s.first {
                s.first_sum += a;
            } else {
                s.repeat_sum += a;
            }
        }
    }
    (flags != 0, new)
}

/// Distinct-day counts of customers whose orders were not in date order: gather their
/// order days contiguously (counting sort by customer, with a 4-byte cursor per
/// customer), sort each run, count.
fn recount_unsorted<C: Idx>(
    acc: &mut [Acc],
    hold: &mut [Hold],
    cal_end: i32,
    customer: &[C],
    day: &[i32],
) {
    const NONE: u32 = u32::MAX;
    let mut cursor = vec![NONE; acc.len()];
    let mut total: usize = 0;
    for (i, a) in acc.iter().enumerate() {
        let h = hold.get(i).copied().unwrap_or(Hold::EMPTY);
        if (a.days | h.days) & UNSORTED != 0 {
            cursor[i] = total as u32;
            total += (a.orders + h.orders) as usize;
        }
    }
    let mut flat = vec![0i32; total];
    for (&c, &d) in customer.iter().zip(day) {
        let k = &mut cursor[c.idx()];
        if *k != NONE {
            flat[*k as usize] = d;
            *k += 1;
        }
    }
    for (i, a) in acc.iter_mut().enumerate() {
        let end = cursor[i];
        if end == NONE {
            continue;
        }
        let h = hold.get_mut(i);
        let len = (a.orders + h.as_ref().map_or(0, |h| h.orders)) as usize;
        let run = &mut flat[end as usize - len..end as usize];
        if run.len() <= 16 {
            for j in 1..run.len() {
                let v = run[j];
                let mut k = j;
                while k > 0 && run[k - 1] > v {
                    run[k] = run[k - 1];
                    k -= 1;
                }
                run[k] = v;
            }
        } else {
            run.sort_unstable();
        }
        let (mut cal, mut held) = (0u32, 0u32);
        let mut last = i32::MIN;
        for &d in run.iter() {
            if d != last {
                if d <= cal_end {
                    cal += 1;
                } else {
                    held += 1;
                }
                last = d;
            }
        }
        a.days = cal;
        if let Some(h) = h {
            h.days = held;
        }
    }
}
