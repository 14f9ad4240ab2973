//! RFM: recency / frequency / monetary aggregation, binning and named segments.
//!
//! Data flow: orders (customer index, epoch day, amount) → [`OrderAggregator`] →
//! [`Metrics`] per customer → [`score`] → [`RfmScores`] (columns + summaries).
//! Per-customer aggregates enter at [`Metrics`] directly.

use crate::dates;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::quantile::{interior_probs, quantile_type7};

/// Segment index given to customers without orders (columnar input with gaps).
pub const NO_SEGMENT: u8 = u8::MAX;
pub const MIN_BINS: u32 = 2;
pub const MAX_BINS: u32 = 10;
const MAX_SEGMENT_NAMES: usize = 250;

pub const METRIC_NAMES: [&str; 3] = ["recency", "frequency", "monetary"];

/// How cut points are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Binning {
    /// Type-7 quantiles at k/n; ties share a score; a value equal to a cut goes to the lower bin.
    #[default]
    Quantile,
    /// Equal-size groups by rank; ties broken by customer id (input-order independent).
    EqualCount,
    /// R `rfm` 0.3.0: type-7 quantiles + 1, bins `[lower, upper)`.
    RfmR,
}

/// An ordered segment rule: inclusive score ranges per metric.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentRule {
    pub name: String,
    pub recency: [f64; 2],
    pub frequency: [f64; 2],
    pub monetary: [f64; 2],
}

impl SegmentRule {
    fn new(name: &str, r: [u8; 2], f: [u8; 2], m: [u8; 2]) -> Self {
        let c = |x: [u8; 2]| [x[0] as f64, x[1] as f64];
        SegmentRule {
            name: name.to_string(),
            recency: c(r),
            frequency: c(f),
            monetary: c(m),
        }
    }
    fn range(&self, metric: usize) -> [f64; 2] {
        match metric {
            0 => self.recency,
            1 => self.frequency,
            _ => self.monetary,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Segments {
    /// The default: [`Segments::RfmR`] when every metric has 5 bins; with other bins no
    /// rules (every customer in the fallback segment) and a note in the result saying so,
    /// so that a valid `bins` never fails because of the default segment table.
    Default,
    /// The R `rfm` vignette table (needs 5 bins per metric).
    RfmR,
    /// The common R × F grid (needs 5 recency and 5 frequency bins).
    RfGrid,
    Rules(Vec<SegmentRule>),
}

/// The R `rfm` vignette segment table (ordered; first match wins).
pub fn rfm_r_rules() -> Vec<SegmentRule> {
    vec![
        SegmentRule::new("Champions", [5, 5], [5, 5], [5, 5]),
        SegmentRule::new("Potential Loyalist", [3, 5], [3, 5], [2, 5]),
        SegmentRule::new("Loyal Customers", [2, 4], [2, 4], [2, 4]),
        SegmentRule::new("Promising", [3, 4], [1, 3], [3, 5]),
        SegmentRule::new("New Customers", [4, 5], [1, 3], [1, 5]),
        SegmentRule::new("Can't Lose Them", [1, 2], [3, 4], [4, 5]),
        SegmentRule::new("At Risk", [1, 2], [2, 5], [4, 5]),
        SegmentRule::new("Need Attention", [1, 3], [3, 5], [3, 5]),
        SegmentRule::new("About To Sleep", [2, 3], [1, 3], [1, 4]),
        SegmentRule::new("Lost", [1, 1], [1, 5], [1, 5]),
    ]
}

/// The widely used R × F grid (monetary ignored: any of its `monetary_bins` scores);
/// covers all 25 cells.
pub fn rf_grid_rules(monetary_bins: u8) -> Vec<SegmentRule> {
    let m = [1, monetary_bins];
    vec![
        SegmentRule::new("champions", [5, 5], [4, 5], m),
        SegmentRule::new("loyal_customers", [3, 4], [4, 5], m),
        SegmentRule::new("potential_loyalists", [4, 5], [2, 3], m),
        SegmentRule::new("new_customers", [5, 5], [1, 1], m),
        SegmentRule::new("promising", [4, 4], [1, 1], m),
        SegmentRule::new("need_attention", [3, 3], [3, 3], m),
        SegmentRule::new("about_to_sleep", [3, 3], [1, 2], m),
        SegmentRule::new("at_risk", [1, 2], [3, 4], m),
        SegmentRule::new("cant_loose", [1, 2], [5, 5], m),
        SegmentRule::new("hibernating", [1, 2], [1, 2], m),
    ]
}

/// RFM options, as the caller gave them (validated by [`RfmPlan::new`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RfmOptions {
    /// Analysis date (epoch day). Default: the day after the latest order.
    pub as_of: Option<i32>,
    /// Bins per metric (recency, frequency, monetary); `None` = default 5.
    pub bins: [Option<f64>; 3],
    pub binning: Binning,
    /// Explicit interior cut points per metric; they override `binning` for that metric.
    pub cuts: [Option<Vec<f64>>; 3],
    pub segments: Segments,
    pub fallback_segment: String,
}

impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions {
            as_of: None,
            bins: [None; 3],
            binning: Binning::Quantile,
            cuts: [None, None, None],
            segments: Segments::Default,
            fallback_segment: "Others".to_string(),
        }
    }
}

/// Validated options, ready to score with.
#[derive(Clone, Debug)]
pub struct RfmPlan {
    pub as_of: Option<i32>,
    pub bins: [u8; 3],
    pub binning: Binning,
    pub cuts: [Option<Vec<f64>>; 3],
    /// Segment names, rules first (deduplicated, in order), then the fallback.
    pub segment_names: Vec<String>,
    /// For each (r, f, m) score triple, the index into `segment_names`.
    lut: Vec<u8>,
    /// Why no segment rules apply, when the default table did not fit the bins.
    pub segment_note: Option<String>,
}

impl RfmPlan {
    pub fn new(o: &RfmOptions) -> Result<RfmPlan, Error> {
        if let Some(a) = o.as_of {
            dates::check_day(a).map_err(|e| Error::new(ErrorCode::InvalidDate, e).field("asOf"))?;
        }
        let bins = check_bins_and_cuts(o)?;
        if o.fallback_segment.is_empty() {
            return Err(Error::option(
                "fallbackSegment",
                "the fallback segment name must not be empty",
            ));
        }
        let (rules, preset, segment_note) = segment_rules(o, bins);
        check_rules(&rules, preset, bins)?;
        let (names, lut) = segment_table(&rules, &o.fallback_segment, bins);
        Ok(RfmPlan {
            as_of: o.as_of,
            bins,
            binning: o.binning,
            cuts: o.cuts.clone(),
            segment_names: names,
            lut,
            segment_note,
        })
    }

    #[inline]
    fn segment_of(&self, r: u8, f: u8, m: u8) -> u8 {
        let (nf, nm) = (self.bins[1] as usize, self.bins[2] as usize);
        self.lut[((r as usize - 1) * nf + (f as usize - 1)) * nm + (m as usize - 1)]
    }
}

/// Bins per metric from `bins` and `cuts` (cut points set a metric's bins; both given must agree).
fn check_bins_and_cuts(o: &RfmOptions) -> Result<[u8; 3], Error> {
    let mut bins = [5u8; 3];
    for k in 0..3 {
        if let Some(b) = o.bins[k] {
            if !(b.is_finite()
                && b.fract() == 0.0
                && (MIN_BINS as f64..=MAX_BINS as f64).contains(&b))
            {
                return Err(Error::option(
                    format!("bins.{}", METRIC_NAMES[k]),
                    format!(
                        "bins must be an integer from {MIN_BINS} to {MAX_BINS}, got {}",
                        describe_number(b)
                    ),
                ));
            }
            bins[k] = b as u8;
        }
        if let Some(c) = &o.cuts[k] {
            let path = format!("cuts.{}", METRIC_NAMES[k]);
            if c.is_empty() || c.len() > (MAX_BINS - 1) as usize {
                return Err(Error::option(
                    path,
                    format!(
                        "give 1 to {} interior cut points, got {}",
                        MAX_BINS - 1,
                        c.len()
                    ),
                ));
            }
            for (i, &x) in c.iter().enumerate() {
                if !x.is_finite() {
                    return Err(Error::option(
                        format!("{path}[{i}]"),
                        format!(
                            "cut points must be finite numbers, got {}",
                            describe_number(x)
                        ),
                    ));
                }
                if i > 0 && x <= c[i - 1] {
                    return Err(Error::option(
                        format!("{path}[{i}]"),
                        format!(
                            "cut points must be strictly increasing: {} follows {}",
                            x,
                            c[i - 1]
                        ),
                    ));
                }
            }
            let implied = (c.len() + 1) as u8;
            if o.bins[k].is_some() && bins[k] != implied {
                return Err(Error::option(
                    path,
                    format!(
                        "{} cut points make {implied} bins, but bins.{} is {}",
                        c.len(),
                        METRIC_NAMES[k],
                        bins[k]
                    ),
                ));
            }
            bins[k] = implied;
        }
    }
    Ok(bins)
}

/// The segment rules the options ask for, the preset's name, and a note when the default
/// table gave way to other bins.
fn segment_rules(
    o: &RfmOptions,
    bins: [u8; 3],
) -> (Vec<SegmentRule>, Option<&'static str>, Option<String>) {
    let mut segment_note = None;
    let (rules, preset) = match &o.segments {
        Segments::Default if bins == [5; 3] => (rfm_r_rules(), Some("rfmR")),
        Segments::Default => {
            segment_note = Some(format!(
                "no segments: the default segment table (rfmR) needs 5 bins per metric and \
                 this call uses {}/{}/{} (recency/frequency/monetary), so every customer is \
                 in \"{}\"; pass segments (rules for these bins) to name segments",
                bins[0], bins[1], bins[2], o.fallback_segment
            ));
            (Vec::new(), None)
        }
        Segments::RfmR => (rfm_r_rules(), Some("rfmR")),
        Segments::RfGrid => (rf_grid_rules(bins[2]), Some("rfGrid")),
        Segments::Rules(r) => (r.clone(), None),
    };
    (rules, preset, segment_note)
}

/// Every rule named and within 1..bins of each metric (a preset's error says what to pass).
fn check_rules(rules: &[SegmentRule], preset: Option<&str>, bins: [u8; 3]) -> Result<(), Error> {
    if rules.len() > MAX_SEGMENT_NAMES {
        return Err(Error::option(
            "segments",
            format!("at most {MAX_SEGMENT_NAMES} rules"),
        ));
    }
    for (i, rule) in rules.iter().enumerate() {
        if rule.name.is_empty() {
            return Err(Error::option(
                format!("segments[{i}].name"),
                "a segment needs a non-empty name",
            ));
        }
        for k in 0..3 {
            let [lo, hi] = rule.range(k);
            let n = bins[k] as f64;
            let ok = lo.fract() == 0.0 && hi.fract() == 0.0 && lo >= 1.0 && hi <= n && lo <= hi;
            if !ok {
                let path = match preset {
                    Some(_) => "segments".to_string(),
                    None => format!("segments[{i}].{}", METRIC_NAMES[k]),
                };
                let what = match preset {
                    Some(p) => format!(
                        "the \"{p}\" segment preset{} needs 5 bins for {}, this call uses {}; \
                         pass segments: [your rules] (or [] for none)",
                        if p == "rfmR" { " (the default)" } else { "" },
                        METRIC_NAMES[k],
                        bins[k]
                    ),
                    None => format!(
                        "range [{}, {}] must be integers with 1 <= lo <= hi <= {} (the {} bins)",
                        describe_number(lo),
                        describe_number(hi),
                        bins[k],
                        METRIC_NAMES[k]
                    ),
                };
                return Err(Error::option(path, what));
            }
        }
    }
    Ok(())
}

/// Segment names (rules first, deduplicated in order, then the fallback) and the lookup
/// table from each (r, f, m) triple to its name.
fn segment_table(rules: &[SegmentRule], fallback: &str, bins: [u8; 3]) -> (Vec<String>, Vec<u8>) {
    let mut names: Vec<String> = Vec::new();
    let mut rule_name = Vec::with_capacity(rules.len());
    for rule in rules {
        let idx = match names.iter().position(|n| *n == rule.name) {
            Some(i) => i,
            None => {
                names.push(rule.name.clone());
                names.len() - 1
            }
        };
        rule_name.push(idx as u8);
    }
    let fallback = match names.iter().position(|n| *n == fallback) {
        Some(i) => i,
        None => {
            names.push(fallback.to_string());
            names.len() - 1
        }
    } as u8;
    let [nr, nf, nm] = bins.map(|b| b as usize);
    let mut lut = vec![fallback; nr * nf * nm];
    for r in 1..=nr {
        for f in 1..=nf {
            for m in 1..=nm {
                let hit = rules.iter().position(|rule| {
                    let inr = |x: usize, [lo, hi]: [f64; 2]| (x as f64) >= lo && (x as f64) <= hi;
                    inr(r, rule.recency) && inr(f, rule.frequency) && inr(m, rule.monetary)
                });
                if let Some(i) = hit {
                    lut[((r - 1) * nf + (f - 1)) * nm + (m - 1)] = rule_name[i];
                }
            }
        }
    }
    (names, lut)
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Acc {
    monetary: f64,
    /// Latest order day (i32::MIN before the first order).
    last: i32,
    count: u32,
}

impl Acc {
    const EMPTY: Acc = Acc {
        monetary: 0.0,
        last: i32::MIN,
        count: 0,
    };
}

/// Streams orders (customer index, epoch day, amount) into per-customer aggregates,
/// validating every row. Row numbers in errors count from the first pushed row.
pub struct OrderAggregator {
    acc: Vec<Acc>,
    fixed: bool,
    as_of: Option<i32>,
    max_day: i32,
    rows: usize,
    /// Partitioned path (see [`OrderAggregator::scatter`]): bucket `p` of pending orders of
    /// partition `p` is `buckets[p * BUCKET_ORDERS..][..fill[p]]`; both empty when unused.
    buckets: Vec<Order>,
    fill: Vec<usize>,
    /// Whether orders may be waiting in a bucket.
    pending: bool,
}

/// One order, as the partitioned path holds it in a bucket until the bucket is added.
#[derive(Clone, Copy, Default)]
struct Order {
    amount: f64,
    day: i32,
    customer: u32,
}

/// Customers per partition of the partitioned path: 2^15 records of 16 bytes (512 KiB) stay
/// in the L2 cache while a bucket of that partition's orders is added, and there are few
/// partitions (31 for 1M customers), so the scatter writes to few streams that stay in L1.
/// 2^15 keeps the partition within the smaller L2 caches (512 KiB) and ≥ 8 partitions from
/// [`PARTITION_MIN_CUSTOMERS`] up, so that random input is never taken for grouped input
/// (consecutive orders mostly in one partition). Measured against other sizes: README,
/// "Design".
const PARTITION_SHIFT: u32 = 15;
/// Orders a bucket holds before it is added: 2 per customer of the partition, so that loading
/// the partition's records is paid by a couple of orders each (1M customers: 31 buckets of
/// 1 MiB).
const BUCKET_ORDERS: usize = 2 << PARTITION_SHIFT;
/// The partitioned path pays off from about this many customers (a 4 MiB table) up; below, the
/// table mostly stays in cache and direct aggregation is as fast (measured: README, "Design").
pub const PARTITION_MIN_CUSTOMERS: usize = 1 << 18;
/// Rows per [`OrderAggregator::push_columns`] call that keep a caller's copy buffers in the
/// L2 cache (3 columns, 16 bytes a row: 512 KiB) while they are validated and scattered.
pub const PREFERRED_CHUNK: usize = 1 << 15;

impl OrderAggregator {
    /// For `n` customers known up front (columnar input): indices must be `< n`.
    pub fn with_customers(n: usize, as_of: Option<i32>) -> Self {
        Self::new(vec![Acc::EMPTY; n], true, as_of)
    }
    /// For customers discovered while reading (object input): the table grows.
    pub fn growable(as_of: Option<i32>) -> Self {
        Self::new(Vec::new(), false, as_of)
    }
    fn new(acc: Vec<Acc>, fixed: bool, as_of: Option<i32>) -> Self {
        OrderAggregator {
            acc,
            fixed,
            as_of,
            max_day: i32::MIN,
            rows: 0,
            buckets: Vec::new(),
            fill: Vec::new(),
            pending: false,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// How many rows a caller that copies input in chunks should hand to each
    /// [`push_columns`](Self::push_columns) call: chunks that stay in cache. (Any size works:
    /// the partitioned path keeps its buckets across calls.)
    pub fn preferred_chunk(&self) -> usize {
        PREFERRED_CHUNK
    }

    #[inline]
    fn check_amount(row: usize, amount: f64) -> Result<(), Error> {
        if amount.is_finite() && amount >= 0.0 {
            Ok(())
        } else {
            let why = if amount.is_finite() {
                "must not be negative"
            } else {
                "must be a finite number"
            };
            Err(Error::cell(
                ErrorCode::InvalidAmount,
                TableName::Orders,
                row,
                "amount",
                format!("amount {why}, got {}", describe_number(amount)),
            ))
        }
    }

    #[inline]
    fn check_as_of(&self, row: usize, day: i32) -> Result<(), Error> {
        match self.as_of {
            Some(a) if day > a => Err(Error::cell(
                ErrorCode::DateAfterAsOf,
                TableName::Orders,
                row,
                "date",
                format!(
                    "order date {} is after the analysis date asOf {}",
                    dates::format_day(day),
                    dates::format_day(a)
                ),
            )),
            _ => Ok(()),
        }
    }

    /// A chunk of columnar orders. On error nothing of this chunk's later rows is read;
    /// the caller drops the aggregator (a rejected call leaves nothing behind).
    pub fn push_columns(
        &mut self,
        customer: &[u32],
        day: &[i32],
        amount: &[f64],
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
        let (lo, hi) = dates::day_bounds();
        let limit = self.as_of.unwrap_or(hi).min(hi);
        let base = self.rows;
        let mut max_day = self.max_day;
        // Validate in blocks with a branch-free pass (it vectorizes), then aggregate the block
        // while it is still in cache; only a block with a bad value takes the slow row-by-row
        // path for its error.
        const BLOCK: usize = 4096;
        let partition = self.fixed && self.acc.len() >= PARTITION_MIN_CUSTOMERS;
        if partition && self.fill.is_empty() {
            let parts = (self.acc.len() >> PARTITION_SHIFT) + 1;
            self.buckets = vec![Order::default(); parts * BUCKET_ORDERS];
            self.fill = vec![0; parts];
        }
        let mut prev = u32::MAX;
        let mut start = 0;
        while start < customer.len() {
            let end = (start + BLOCK).min(customer.len());
            let (cb, db, ab) = (&customer[start..end], &day[start..end], &amount[start..end]);
            let n = self.acc.len();
            let mut ok = true;
            for i in 0..cb.len() {
                ok &= ((cb[i] as usize) < n)
                    & (db[i] >= lo)
                    & (db[i] <= limit)
                    & (ab[i] >= 0.0)
                    & (ab[i] < f64::INFINITY);
            }
            if !ok {
                for i in 0..cb.len() {
                    let (c, d, a) = (cb[i] as usize, db[i], ab[i]);
                    if !(c < self.acc.len() && d >= lo && d <= limit && a.is_finite() && a >= 0.0) {
                        let row = base + start + i;
                        if let Err(e) = dates::check_day(d) {
                            return Err(Error::cell(
                                ErrorCode::InvalidDate,
                                TableName::Orders,
                                row,
                                "date",
                                e,
                            ));
                        }
                        Self::check_amount(row, a)?;
                        self.check_as_of(row, d)?;
                        if self.fixed {
                            return Err(Error::cell(
                                ErrorCode::InvalidCustomerId,
                                TableName::Orders,
                                row,
                                "customerIndex",
                                format!(
                                    "customer index {c} is not below customerCount {}",
                                    self.acc.len()
                                ),
                            ));
                        }
                        self.acc.resize(c + 1, Acc::EMPTY);
                    }
                }
            }
            for &d in db {
                max_day = max_day.max(d);
            }
            // All rows of the block are valid. Orders that come grouped by customer (consecutive
            // orders mostly in one partition) are cache-friendly as they are: added directly.
            let mut same = 0usize;
            if partition {
                for &c in cb {
                    let p = c >> PARTITION_SHIFT;
                    same += (p == prev) as usize;
                    prev = p;
                }
            }
            if partition && same * 2 <= cb.len() {
                self.scatter(cb, db, ab);
            } else {
                // Orders still waiting in buckets come first, so that every customer's amounts
                // are added in input order.
                self.flush_buckets();
                Self::aggregate(&mut self.acc, cb, db, ab);
            }
            start = end;
        }
        self.max_day = max_day;
        self.rows += customer.len();
        Ok(())
    }

    /// Add validated orders: one 16-byte record per customer, so each order touches one
    /// cache line. Large tables in random order take [`Self::scatter`] instead.
    fn aggregate(acc: &mut [Acc], customer: &[u32], day: &[i32], amount: &[f64]) {
        for i in 0..customer.len() {
            let s = &mut acc[customer[i] as usize];
            s.monetary += amount[i];
            s.last = s.last.max(day[i]);
            s.count += 1;
        }
    }

    /// Add the orders of one bucket (customers of one partition, in input order).
    fn add_bucket(acc: &mut [Acc], bucket: &[Order]) {
        for o in bucket {
            let s = &mut acc[o.customer as usize];
            s.monetary += o.amount;
            s.last = s.last.max(o.day);
            s.count += 1;
        }
    }

    /// Partitioned path: append validated orders to their partition's bucket; a full bucket
    /// is added at once, so the partition's records are loaded into the cache once for a
    /// couple of orders each instead of every order missing the cache. The caller's chunk is
    /// still in cache (validated just before), so each order is read from memory once and
    /// written once. Buckets are filled and added in input order, so each customer's amounts
    /// are added in input order and the sums are bit-identical to the direct path's.
    fn scatter(&mut self, customer: &[u32], day: &[i32], amount: &[f64]) {
        let (acc, buckets, fill) = (&mut self.acc, &mut self.buckets, &mut self.fill);
        for i in 0..customer.len() {
            // Validated: the index is < acc.len(), so its partition has a bucket.
            let p = (customer[i] >> PARTITION_SHIFT) as usize;
            let bucket = &mut buckets[p * BUCKET_ORDERS..(p + 1) * BUCKET_ORDERS];
            let k = fill[p];
            bucket[k] = Order {
                amount: amount[i],
                day: day[i],
                customer: customer[i],
            };
            if k + 1 == BUCKET_ORDERS {
                Self::add_bucket(acc, bucket);
                fill[p] = 0;
            } else {
                fill[p] = k + 1;
            }
        }
        self.pending = true;
    }

    /// Add every order still waiting in a bucket.
    fn flush_buckets(&mut self) {
        if !self.pending {
            return;
        }
        for (p, f) in self.fill.iter_mut().enumerate() {
            Self::add_bucket(&mut self.acc, &self.buckets[p * BUCKET_ORDERS..][..*f]);
            *f = 0;
        }
        self.pending = false;
    }

    /// Per-customer metrics. Fails with `empty_input` when no order was pushed.
    pub fn finish(mut self) -> Result<Metrics, Error> {
        self.flush_buckets();
        if self.rows == 0 {
            return Err(Error::new(ErrorCode::EmptyInput, "no orders were given"));
        }
        let as_of = match self.as_of {
            Some(a) => a,
            None => self.max_day + 1,
        };
        let n = self.acc.len();
        let mut m = Metrics {
            as_of,
            recency_days: Vec::with_capacity(n),
            frequency: Vec::with_capacity(n),
            monetary: Vec::with_capacity(n),
            active: None,
        };
        let mut inactive = false;
        for a in &self.acc {
            inactive |= a.count == 0;
            m.recency_days.push(if a.count == 0 {
                f64::NAN
            } else {
                // 64-bit: a caller's `as_of` is not bounded here (RfmPlan::new checks it).
                (as_of as i64 - a.last as i64) as f64
            });
            m.frequency.push(a.count as f64);
            m.monetary.push(a.monetary);
        }
        if inactive {
            m.active = Some(self.acc.iter().map(|a| a.count > 0).collect());
        }
        Ok(m)
    }
}

/// Per-customer RFM inputs, before scoring.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    pub as_of: i32,
    pub recency_days: Vec<f64>,
    pub frequency: Vec<f64>,
    pub monetary: Vec<f64>,
    /// `Some(mask)` when some customers have no orders; they are left unscored.
    pub active: Option<Vec<bool>>,
}

impl Metrics {
    fn column(&self, k: usize) -> &[f64] {
        match k {
            0 => &self.recency_days,
            1 => &self.frequency,
            _ => &self.monetary,
        }
    }
    fn is_active(&self, i: usize) -> bool {
        self.active.as_ref().is_none_or(|a| a[i])
    }
}

/// Per-customer aggregates given by the caller (`rfmFromCustomers`).
pub struct CustomerAggregate {
    /// Days since the last order, or the last order's epoch day (exactly one is used).
    pub recency_days: Option<f64>,
    pub last_order_day: Option<i32>,
    pub frequency: f64,
    pub monetary: f64,
}

/// Validate aggregates and turn them into [`Metrics`]. `today` is used as asOf when only
/// `recencyDays` are given and no asOf.
pub fn metrics_from_aggregates(
    rows: &[CustomerAggregate],
    as_of: Option<i32>,
    today: i32,
) -> Result<Metrics, Error> {
    if rows.is_empty() {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers were given"));
    }
    let latest = rows
        .iter()
        .filter_map(|r| {
            if r.recency_days.is_none() {
                r.last_order_day
            } else {
                None
            }
        })
        .max();
    // Saturating: an out-of-range day is reported below, in row order.
    let as_of = as_of.unwrap_or_else(|| latest.map_or(today, |d| d.saturating_add(1)));
    let mut m = Metrics {
        as_of,
        recency_days: Vec::with_capacity(rows.len()),
        frequency: Vec::with_capacity(rows.len()),
        monetary: Vec::with_capacity(rows.len()),
        active: None,
    };
    for (i, r) in rows.iter().enumerate() {
        let rec = match (r.recency_days, r.last_order_day) {
            (Some(d), _) => {
                if !(d.is_finite() && d >= 0.0) {
                    return Err(Error::cell(
                        ErrorCode::InvalidValue,
                        TableName::Customers,
                        i,
                        "recencyDays",
                        format!(
                            "recencyDays must be a finite number >= 0, got {}",
                            describe_number(d)
                        ),
                    ));
                }
                d
            }
            (None, Some(day)) => {
                if let Err(e) = dates::check_day(day) {
                    return Err(Error::cell(
                        ErrorCode::InvalidDate,
                        TableName::Customers,
                        i,
                        "lastOrderDate",
                        e,
                    ));
                }
                if day > as_of {
                    return Err(Error::cell(
                        ErrorCode::DateAfterAsOf,
                        TableName::Customers,
                        i,
                        "lastOrderDate",
                        format!(
                            "lastOrderDate {} is after the analysis date asOf {}",
                            dates::format_day(day),
                            dates::format_day(as_of)
                        ),
                    ));
                }
                (as_of as i64 - day as i64) as f64
            }
            (None, None) => {
                return Err(Error::cell(
                    ErrorCode::MissingField,
                    TableName::Customers,
                    i,
                    "recencyDays",
                    "each customer needs recencyDays or lastOrderDate",
                ))
            }
        };
        if !(r.frequency.is_finite() && r.frequency >= 0.0 && r.frequency.fract() == 0.0) {
            return Err(Error::cell(
                ErrorCode::InvalidValue,
                TableName::Customers,
                i,
                "frequency",
                format!(
                    "frequency must be a whole number >= 0, got {}",
                    describe_number(r.frequency)
                ),
            ));
        }
        if !(r.monetary.is_finite() && r.monetary >= 0.0) {
            return Err(Error::cell(
                ErrorCode::InvalidAmount,
                TableName::Customers,
                i,
                "monetary",
                format!(
                    "monetary must be a finite number >= 0, got {}",
                    describe_number(r.monetary)
                ),
            ));
        }
        m.recency_days.push(rec);
        m.frequency.push(r.frequency);
        m.monetary.push(r.monetary);
    }
    Ok(m)
}

#[derive(Clone, Debug, PartialEq)]
pub struct SegmentSummary {
    pub name: String,
    pub customers: u64,
    pub orders: f64,
    pub revenue: f64,
    /// revenue / orders; `None` when the segment has no orders.
    pub average_order_value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    pub frequency_score: u8,
    pub recency_score: u8,
    pub customers: u64,
    /// `None` for an empty cell.
    pub mean_monetary: Option<f64>,
}

/// Scores and summaries, column-wise (one entry per customer, input order).
#[derive(Clone, Debug, PartialEq)]
pub struct RfmScores {
    pub metrics: Metrics,
    pub bins: [u8; 3],
    /// Scores 1..=bins per metric (0 for customers without orders).
    pub scores: [Vec<u8>; 3],
    /// Index into `segment_names` ([`NO_SEGMENT`] for customers without orders).
    pub segment: Vec<u8>,
    pub segment_names: Vec<String>,
    /// Why no segment rules apply (see [`RfmPlan::segment_note`]).
    pub segment_note: Option<String>,
    /// The interior cut points used, per metric.
    pub thresholds: [Vec<f64>; 3],
    pub segments: Vec<SegmentSummary>,
    pub heatmap: Vec<HeatCell>,
}

impl RfmScores {
    pub fn rfm_score(&self, i: usize) -> u32 {
        100 * self.scores[0][i] as u32 + 10 * self.scores[1][i] as u32 + self.scores[2][i] as u32
    }
}

/// How one metric is binned: by cut points (scored in the fused pass of [`score`]) or,
/// for `equalCount`, by rank (scores computed here).
enum Binned {
    /// Cut points; `up`: a value equal to a cut moves up (R `rfm`), else it stays in the lower bin.
    Cuts { cuts: Vec<f64>, up: bool },
    Ranked {
        scores: Vec<u8>,
        thresholds: Vec<f64>,
    },
}

fn bin_metric(m: &Metrics, k: usize, plan: &RfmPlan, tie_key: Option<&[u32]>) -> Binned {
    let n = plan.bins[k] as usize;
    let values = m.column(k);
    if let Some(c) = &plan.cuts[k] {
        return Binned::cuts(c.clone(), false);
    }
    let active_values: Vec<f64>;
    let vals: &[f64] = match &m.active {
        None => values,
        Some(mask) => {
            active_values = values
                .iter()
                .zip(mask)
                .filter(|(_, &a)| a)
                .map(|(&v, _)| v)
                .collect();
            &active_values
        }
    };
    match plan.binning {
        Binning::Quantile => Binned::cuts(quantile_type7(vals, &interior_probs(n)), false),
        Binning::RfmR => Binned::cuts(
            quantile_type7(vals, &interior_probs(n))
                .into_iter()
                .map(|q| q + 1.0)
                .collect(),
            true,
        ),
        Binning::EqualCount => {
            let mut scores = vec![0u8; values.len()];
            let mut idx: Vec<u32> = (0..values.len() as u32)
                .filter(|&i| m.is_active(i as usize))
                .collect();
            let key = |i: u32| tie_key.map_or(i, |t| t[i as usize]);
            idx.sort_unstable_by(|&a, &b| {
                values[a as usize]
                    .total_cmp(&values[b as usize])
                    .then(key(a).cmp(&key(b)))
            });
            let total = idx.len();
            for (rank, &i) in idx.iter().enumerate() {
                scores[i as usize] = (rank * n / total) as u8 + 1;
            }
            let thresholds = (1..n)
                .map(|b| {
                    let last = (b * total).div_ceil(n).max(1) - 1;
                    values[idx[last.min(total - 1)] as usize]
                })
                .collect();
            Binned::Ranked { scores, thresholds }
        }
    }
}

impl Binned {
    fn cuts(cuts: Vec<f64>, up: bool) -> Binned {
        Binned::Cuts { cuts, up }
    }
    /// Bin of every customer (values `xs`), 1..=n, before recency's reversal.
    fn bin_all(&self, xs: &[f64], out: &mut [u8]) {
        match self {
            // One pass per cut point, in blocks that stay in cache: each pass is a compare
            // and an add that vectorize.
            Binned::Cuts { cuts, up } => {
                for (ob, xb) in out.chunks_mut(4096).zip(xs.chunks(4096)) {
                    ob.fill(1);
                    for &c in cuts {
                        if *up {
                            for (o, &x) in ob.iter_mut().zip(xb) {
                                *o += (c <= x) as u8;
                            }
                        } else {
                            for (o, &x) in ob.iter_mut().zip(xb) {
                                *o += (c < x) as u8;
                            }
                        }
                    }
                }
            }
            Binned::Ranked { scores, .. } => out.copy_from_slice(scores),
        }
    }
    fn thresholds(self) -> Vec<f64> {
        match self {
            Binned::Cuts { cuts, .. } => cuts,
            Binned::Ranked { thresholds, .. } => thresholds,
        }
    }
}

/// Score metrics with a validated plan. `tie_key` orders customers for `equalCount`
/// ties (a rank of the customer id); `None` = input order. One fused pass scores every
/// customer, assigns its segment and adds it to the segment and heat-map totals.
pub fn score(
    metrics: Metrics,
    plan: &RfmPlan,
    tie_key: Option<&[u32]>,
) -> Result<RfmScores, Error> {
    let len = metrics.frequency.len();
    if len == 0
        || metrics
            .active
            .as_ref()
            .is_some_and(|a| !a.iter().any(|&x| x))
    {
        return Err(Error::new(
            ErrorCode::EmptyInput,
            "no customer has an order",
        ));
    }
    let binned = [0, 1, 2].map(|k| bin_metric(&metrics, k, plan, tie_key));
    let names = plan.segment_names.len();
    let (nr, nf) = (plan.bins[0], plan.bins[1] as usize);
    let mut scores = [vec![0u8; len], vec![0u8; len], vec![0u8; len]];
    let mut segment = vec![NO_SEGMENT; len];
    let mut seg_cust = vec![0u64; names];
    let mut seg_orders = vec![0f64; names];
    let mut seg_rev = vec![0f64; names];
    let mut heat_n = vec![0u64; nf * nr as usize];
    let mut heat_m = vec![0f64; nf * nr as usize];
    let (rec, freq, mon) = (&metrics.recency_days, &metrics.frequency, &metrics.monetary);
    let [sr, sf, sm] = &mut scores;
    // Bins metric by metric (branch-free loops that vectorize), then one pass for segments
    // and totals; customers without orders are set back to 0.
    binned[0].bin_all(rec, sr);
    for r in sr.iter_mut() {
        *r = nr + 1 - *r; // fewest days → highest score
    }
    binned[1].bin_all(freq, sf);
    binned[2].bin_all(mon, sm);
    for i in 0..len {
        if !metrics.is_active(i) {
            (sr[i], sf[i], sm[i]) = (0, 0, 0);
            continue;
        }
        let (r, f, m) = (sr[i], sf[i], sm[i]);
        let s = plan.segment_of(r, f, m);
        segment[i] = s;
        let s = s as usize;
        seg_cust[s] += 1;
        seg_orders[s] += freq[i];
        seg_rev[s] += mon[i];
        let h = (f as usize - 1) * nr as usize + (r as usize - 1);
        heat_n[h] += 1;
        heat_m[h] += mon[i];
    }
    let segments = (0..names)
        .map(|s| SegmentSummary {
            name: plan.segment_names[s].clone(),
            customers: seg_cust[s],
            orders: seg_orders[s],
            revenue: seg_rev[s],
            average_order_value: if seg_orders[s] > 0.0 {
                Some(seg_rev[s] / seg_orders[s])
            } else {
                None
            },
        })
        .collect();
    let mut heatmap = Vec::with_capacity(nf * nr as usize);
    for fs in 1..=nf {
        for rs in 1..=nr as usize {
            let h = (fs - 1) * nr as usize + (rs - 1);
            heatmap.push(HeatCell {
                frequency_score: fs as u8,
                recency_score: rs as u8,
                customers: heat_n[h],
                mean_monetary: if heat_n[h] > 0 {
                    Some(heat_m[h] / heat_n[h] as f64)
                } else {
                    None
                },
            });
        }
    }
    let [br, bf, bm] = binned;
    Ok(RfmScores {
        metrics,
        bins: plan.bins,
        scores,
        segment,
        segment_names: plan.segment_names.clone(),
        segment_note: plan.segment_note.clone(),
        thresholds: [br.thresholds(), bf.thresholds(), bm.thresholds()],
        segments,
        heatmap,
    })
}

/// Convenience: columnar orders → scores, in one call.
pub fn rfm_columns(
    customer: &[u32],
    day: &[i32],
    amount: &[f64],
    customer_count: Option<usize>,
    options: &RfmOptions,
) -> Result<RfmScores, Error> {
    let plan = RfmPlan::new(options)?;
    let n = match customer_count {
        Some(n) => n,
        None => customer.iter().copied().max().map_or(0, |m| m as usize + 1),
    };
    let mut agg = OrderAggregator::with_customers(n, options.as_of);
    agg.push_columns(customer, day, amount)?;
    score(agg.finish()?, &plan, None)
}
