//! Scatter by customer partition: the per-customer tables of a million customers (tens of
//! MB) do not fit in the cache, so adding rows in input order misses the cache on nearly
//! every row. [`Buckets`] holds rows in one bucket per partition of 2^13 customers and hands
//! a full bucket to the caller at once: its customers' records then fit in the L2 cache
//! while the bucket is added, and the scatter writes to few streams (one per partition).
//! Buckets are filled and handed over in input order, so each customer's rows arrive in
//! input order: sums are bit-identical to adding the rows directly (the RFM path's scheme,
//! `rfm::OrderAggregator`, measured there).

/// Customers per partition: 2^13 records of up to 64 bytes (512 KiB) stay in L2.
const SHIFT: u32 = 13;
/// Rows a bucket holds before it is handed over: 2 per customer of the partition.
const CAP: usize = 2 << SHIFT;
/// Below this many customers the tables mostly stay in cache: add rows directly.
const MIN_CUSTOMERS: usize = 1 << 18;

/// Pending rows per partition (see the module documentation).
struct Buckets<E> {
    rows: Vec<E>,
    fill: Vec<u32>,
}

impl<E: Copy + Default> Buckets<E> {
    /// Buckets for customer indices `< n`, or `None` when `n` is small enough to add rows
    /// directly.
    fn for_customers(n: usize) -> Option<Self> {
        if n < MIN_CUSTOMERS || option_env!("CRM_NOPART").is_some() {
            return None;
        }
        let parts = (n >> SHIFT) + 1;
        Some(Buckets {
            rows: vec![E::default(); parts * CAP],
            fill: vec![0; parts],
        })
    }

    /// Queue row `e` of customer `customer` (`< n`); a full bucket goes to `add` (its rows in
    /// input order).
    #[inline]
    fn push(&mut self, customer: u32, e: E, add: &mut impl FnMut(&[E])) {
        let p = (customer >> SHIFT) as usize;
        let k = self.fill[p] as usize;
        let base = p * CAP;
        self.rows[base + k] = e;
        if k + 1 == CAP {
            add(&self.rows[base..base + CAP]);
            self.fill[p] = 0;
        } else {
            self.fill[p] = k as u32 + 1;
        }
    }

    /// Hand every pending row to `add`, partition by partition.
    fn flush(&mut self, add: &mut impl FnMut(&[E])) {
        for (p, f) in self.fill.iter_mut().enumerate() {
            if *f > 0 {
                add(&self.rows[p * CAP..p * CAP + *f as usize]);
                *f = 0;
            }
        }
    }
}

/// Hand `len` rows to `add`, grouped by partition when `n` customers call for it (else one
/// at a time, in order): `customer(i)` and `row(i)` read row `i`; `done(i)` is called after
/// every 2^16 rows (for progress). Each customer's rows reach `add` in input order.
pub(crate) fn scatter<E: Copy + Default>(
    n: usize,
    len: usize,
    customer: impl Fn(usize) -> u32,
    row: impl Fn(usize) -> E,
    mut add: impl FnMut(&[E]),
    mut done: impl FnMut(usize),
) {
    const CHUNK: usize = 1 << 16;
    let mut buckets = Buckets::<E>::for_customers(n);
    for lo in (0..len).step_by(CHUNK) {
        let hi = (lo + CHUNK).min(len);
        match &mut buckets {
            Some(b) => (lo..hi).for_each(|i| b.push(customer(i), row(i), &mut add)),
            None => (lo..hi).for_each(|i| add(&[row(i)])),
        }
        done(hi);
    }
    if let Some(b) = &mut buckets {
        b.flush(&mut add);
    }
}
