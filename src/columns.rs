//! Owned columns: what the bindings and the generator fill before the core borrows them.
//!
//! - [`StrColumn`]: optional strings packed in one UTF-8 buffer with row ends and validity
//!   (no allocation per row; one buffer plus offsets to hand across the JS boundary).
//! - [`ActivityBuffer`]: every table of an [`Activity`] as owned vectors;
//!   [`ActivityBuffer::as_activity`] lends them to the core.

use crate::activity::{
    Activity, InteractionKind, Interactions, OrderStatus, Orders, PaymentStatus, Payments, Returns,
};
use std::collections::HashMap;

/// A column of optional strings packed in one UTF-8 buffer: row `i` is
/// `text[ends[i − 1]..ends[i]]` (from 0 for row 0) when `present[i]`, `None` otherwise
/// (its range is then empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrColumn {
    pub text: String,
    /// Byte offset in `text` where each row ends.
    pub ends: Vec<u32>,
    pub present: Vec<bool>,
}

impl StrColumn {
    pub fn with_capacity(rows: usize, bytes: usize) -> Self {
        StrColumn {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
            present: Vec::with_capacity(rows),
        }
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        start..self.ends[i] as usize
    }
    /// Row `i` (panics when `i ≥ len`).
    pub fn get(&self, i: usize) -> Option<&str> {
        self.present[i].then(|| &self.text[self.range(i)])
    }
    /// Row `i`, `""` when absent.
    pub fn value(&self, i: usize) -> &str {
        &self.text[self.range(i)]
    }
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
    /// Borrowed rows (what [`crate::classify::Contacts`] takes).
    pub fn refs(&self) -> Vec<Option<&str>> {
        self.iter().collect()
    }
    pub fn push(&mut self, v: Option<&str>) {
        if let Some(s) = v {
            self.text.push_str(s);
        }
        self.end_row(v.is_some());
    }
    /// Close a row whose text was appended to `text` directly.
    pub fn end_row(&mut self, present: bool) {
        // A column holds at most 4 GiB of text: MAX_CUSTOMERS rows of contact strings stay
        // far below; beyond, the offset saturates rather than wraps.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.present.push(present);
    }
    /// Keep the first `n` rows.
    pub fn truncate(&mut self, n: usize) {
        if n < self.len() {
            self.text
                .truncate(if n == 0 { 0 } else { self.ends[n - 1] as usize });
            self.ends.truncate(n);
            self.present.truncate(n);
        }
    }
    /// Rows joined by `sep` (a byte that no row holds, e.g. NUL), with `missing[i] != 0`
    /// for absent rows (their part is empty): the form one `TextEncoder.encode` gives.
    pub fn from_joined(joined: &str, sep: char, missing: &[u8]) -> Self {
        let mut c = StrColumn::with_capacity(missing.len(), joined.len());
        let mut parts = joined.split(sep);
        for &m in missing {
            let part = parts.next().unwrap_or("");
            c.push((m == 0).then_some(part));
        }
        c
    }
    /// The rows as owned strings.
    pub fn to_vec(&self) -> Vec<Option<String>> {
        self.iter().map(|s| s.map(str::to_string)).collect()
    }
}

impl<'a> FromIterator<Option<&'a str>> for StrColumn {
    fn from_iter<I: IntoIterator<Item = Option<&'a str>>>(iter: I) -> Self {
        let mut c = StrColumn::default();
        for s in iter {
            c.push(s);
        }
        c
    }
}

/// A fast 64-bit hash of a byte string (word-at-a-time multiply-xor, murmur3's finaliser).
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K);
        h ^= h >> 29;
    }
    let mut w = 0u64;
    for (k, &x) in chunks.remainder().iter().enumerate() {
        w |= (x as u64) << (8 * k);
    }
    h = (h ^ w).wrapping_mul(K);
    // murmur3's fmix64.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The first row (in order) whose key equals an earlier row's, `None` when all differ. A
/// row's key is its bytes and its kind (`kinds[i]`, 0 when `kinds` is empty): the same text
/// of two kinds (the string "7" and the number 7) differs. One open-addressing table of
/// (hash, row) pairs; no allocation per row.
pub fn first_repeat<'a>(n: usize, kinds: &[u8], row: impl Fn(usize) -> &'a [u8]) -> Option<usize> {
    let kind = |i: usize| kinds.get(i).copied().unwrap_or(0);
    let cap = (2 * n).next_power_of_two().max(16);
    let mask = cap - 1;
    // (hash, row + 1); row 0 = empty slot.
    let mut table = vec![(0u64, 0u32); cap];
    for i in 0..n {
        let h = hash_bytes(row(i)) ^ (kind(i) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut s = (h as usize) & mask;
        loop {
            let (th, tr) = table[s];
            if tr == 0 {
                table[s] = (h, i as u32 + 1);
                break;
            }
            let j = tr as usize - 1;
            if th == h && kind(j) == kind(i) && row(j) == row(i) {
                return Some(i);
            }
            s = (s + 1) & mask;
        }
    }
    None
}

/// Orders, owned (see [`Orders`]).
#[derive(Clone, Debug, Default)]
pub struct OrderColumns {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    /// `None`: every order is completed.
    pub status: Option<Vec<OrderStatus>>,
    pub discount: Option<Vec<f64>>,
}

/// Interactions, owned (see [`Interactions`]).
#[derive(Clone, Debug, Default)]
pub struct InteractionColumns {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub kind: Vec<InteractionKind>,
    pub value: Option<Vec<f64>>,
}

/// Returns, owned (see [`Returns`]).
#[derive(Clone, Debug, Default)]
pub struct ReturnColumns {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
}

/// Payments, owned (see [`Payments`]).
#[derive(Clone, Debug, Default)]
pub struct PaymentColumns {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    pub status: Vec<PaymentStatus>,
    pub days_late: Option<Vec<f64>>,
}

/// Every activity table as owned columns, plus the customers' `createdAt` and contacts.
#[derive(Clone, Debug, Default)]
pub struct ActivityBuffer {
    /// Per customer index (may be shorter than the customer count); `None` = not given.
    pub created_at: Option<Vec<i32>>,
    pub email: StrColumn,
    pub phone: StrColumn,
    pub orders: OrderColumns,
    pub interactions: InteractionColumns,
    pub returns: ReturnColumns,
    pub payments: PaymentColumns,
}

fn truncate_opt<T>(v: &mut Option<Vec<T>>, n: usize) {
    if let Some(v) = v {
        v.truncate(n);
    }
}

impl ActivityBuffer {
    /// Bytes held by the columns (their lengths, not their capacities).
    pub fn bytes(&self) -> usize {
        fn v<T>(x: &[T]) -> usize {
            std::mem::size_of_val(x)
        }
        fn o<T>(x: &Option<Vec<T>>) -> usize {
            x.as_deref().map_or(0, v)
        }
        let s = |c: &StrColumn| c.text.len() + v(&c.ends) + v(&c.present);
        let (od, i, r, p) = (
            &self.orders,
            &self.interactions,
            &self.returns,
            &self.payments,
        );
        o(&self.created_at)
            + s(&self.email)
            + s(&self.phone)
            + v(&od.customer)
            + v(&od.day)
            + v(&od.amount)
            + o(&od.status)
            + o(&od.discount)
            + v(&i.customer)
            + v(&i.day)
            + v(&i.kind)
            + o(&i.value)
            + v(&r.customer)
            + v(&r.day)
            + v(&r.amount)
            + v(&p.customer)
            + v(&p.day)
            + v(&p.amount)
            + v(&p.status)
            + o(&p.days_late)
    }

    /// The borrowed [`Activity`] the core reads.
    pub fn as_activity(&self, customer_count: Option<usize>, as_of: Option<i32>) -> Activity<'_> {
        let (o, i, r, p) = (
            &self.orders,
            &self.interactions,
            &self.returns,
            &self.payments,
        );
        Activity {
            orders: Orders {
                customer: &o.customer,
                day: &o.day,
                amount: &o.amount,
                status: o.status.as_deref(),
                discount: o.discount.as_deref(),
            },
            interactions: Interactions {
                customer: &i.customer,
                day: &i.day,
                kind: &i.kind,
                value: i.value.as_deref(),
            },
            returns: Returns {
                customer: &r.customer,
                day: &r.day,
                amount: &r.amount,
            },
            payments: Payments {
                customer: &p.customer,
                day: &p.day,
                amount: &p.amount,
                status: &p.status,
                days_late: p.days_late.as_deref(),
            },
            created_at: self.created_at.as_deref(),
            customer_count,
            as_of,
        }
    }

    /// Rows of each table: customers (`createdAt`), orders, interactions, returns, payments.
    pub fn lens(&self) -> [usize; 5] {
        [
            self.created_at.as_ref().map_or(0, Vec::len),
            self.orders.customer.len(),
            self.interactions.customer.len(),
            self.returns.customer.len(),
            self.payments.customer.len(),
        ]
    }

    /// The day columns in reading order (customers' `createdAt` first).
    pub fn days_mut(&mut self) -> [&mut [i32]; 5] {
        [
            self.created_at.as_deref_mut().unwrap_or_default(),
            &mut self.orders.day,
            &mut self.interactions.day,
            &mut self.returns.day,
            &mut self.payments.day,
        ]
    }

    /// Keep the first `keep[t]` rows of table `t` (reading order, as in [`Self::lens`]).
    pub fn truncate(&mut self, keep: [usize; 5]) {
        if let Some(c) = &mut self.created_at {
            c.truncate(keep[0]);
        }
        self.email.truncate(keep[0]);
        self.phone.truncate(keep[0]);
        let (o, k) = (&mut self.orders, keep[1]);
        o.customer.truncate(k);
        o.day.truncate(k);
        o.amount.truncate(k);
        truncate_opt(&mut o.status, k);
        truncate_opt(&mut o.discount, k);
        let (i, k) = (&mut self.interactions, keep[2]);
        i.customer.truncate(k);
        i.day.truncate(k);
        i.kind.truncate(k);
        truncate_opt(&mut i.value, k);
        let (r, k) = (&mut self.returns, keep[3]);
        r.customer.truncate(k);
        r.day.truncate(k);
        r.amount.truncate(k);
        let (p, k) = (&mut self.payments, keep[4]);
        p.customer.truncate(k);
        p.day.truncate(k);
        p.amount.truncate(k);
        p.status.truncate(k);
        truncate_opt(&mut p.days_late, k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_column_packs_rows_with_validity() {
        let mut c = StrColumn::from_joined("a\0\0bc\0", '\0', &[0, 1, 0, 0]);
        assert_eq!(c.refs(), [Some("a"), None, Some("bc"), Some("")]);
        c.truncate(3);
        assert_eq!(c.refs(), [Some("a"), None, Some("bc")]);
        c.truncate(1);
        assert_eq!((c.text.as_str(), c.refs()), ("a", vec![Some("a")]));
        let d: StrColumn = [None, Some("x")].into_iter().collect();
        assert_eq!(d.to_vec(), [None, Some("x".to_string())]);
    }

    #[test]
    fn the_buffer_lends_an_activity_and_truncates_in_reading_order() {
        let mut b = ActivityBuffer {
            created_at: Some(vec![1, 2]),
            ..Default::default()
        };
        b.orders.customer = vec![0, 1, 1];
        b.orders.day = vec![3, 4, 5];
        b.orders.amount = vec![1.0, 2.0, 3.0];
        b.payments.customer = vec![0];
        b.payments.day = vec![6];
        b.payments.amount = vec![1.0];
        b.payments.status = vec![PaymentStatus::Paid];
        let a = b.as_activity(Some(2), Some(9));
        assert_eq!((a.orders.day, a.orders.status), (&[3, 4, 5][..], None));
        assert_eq!(a.customer_count, Some(2));
        b.truncate([2, 1, 0, 0, 0]);
        assert_eq!(b.lens(), [2, 1, 0, 0, 0]);
    }
}

// ---------------------------------------------------------------------------------------
// Named per-customer columns: what a scoring model reads (the derived fields fill one).

/// Marks a missing value in [`Column::Str`] codes.
pub const NO_STRING: u32 = u32::MAX;

/// A customer field's values, column-wise. `NaN` / `None` / [`NO_STRING`] = missing.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    Num(Vec<f64>),
    /// Strings interned: `dict[codes[i]]`.
    Str {
        codes: Vec<u32>,
        dict: Vec<String>,
    },
    Bool(Vec<Option<bool>>),
}

impl Column {
    /// Intern a column of optional strings.
    pub fn strings<S: AsRef<str>>(values: &[Option<S>]) -> Column {
        let mut map: HashMap<&str, u32> = HashMap::new();
        let mut dict = Vec::new();
        let codes = values
            .iter()
            .map(|v| match v {
                None => NO_STRING,
                Some(s) => *map.entry(s.as_ref()).or_insert_with(|| {
                    dict.push(s.as_ref().to_string());
                    dict.len() as u32 - 1
                }),
            })
            .collect();
        Column::Str { codes, dict }
    }
    /// A dictionary-coded column: row i is `labels[codes[i]]` (`None` labels = missing).
    /// Repeated labels share one code. Errors with the first row whose code is not an index
    /// of `labels`.
    pub fn coded(codes: &[u32], labels: &[Option<String>]) -> Result<Column, usize> {
        let mut map: HashMap<&str, u32> = HashMap::new();
        let mut dict = Vec::new();
        let to: Vec<u32> = labels
            .iter()
            .map(|l| match l {
                None => NO_STRING,
                Some(s) => *map.entry(s.as_str()).or_insert_with(|| {
                    dict.push(s.clone());
                    dict.len() as u32 - 1
                }),
            })
            .collect();
        let codes = codes
            .iter()
            .enumerate()
            .map(|(row, &c)| to.get(c as usize).copied().ok_or(row))
            .collect::<Result<Vec<u32>, usize>>()?;
        Ok(Column::Str { codes, dict })
    }
    pub fn len(&self) -> usize {
        match self {
            Column::Num(v) => v.len(),
            Column::Str { codes, .. } => codes.len(),
            Column::Bool(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value as a number (booleans as 0/1); `None` when missing or a string.
    pub fn num(&self, i: usize) -> Option<f64> {
        match self {
            Column::Num(v) => Some(v[i]).filter(|x| !x.is_nan()),
            Column::Bool(v) => v[i].map(|b| b as u8 as f64),
            Column::Str { .. } => None,
        }
    }
    /// The value as a string key (numbers formatted as JavaScript's `String(x)` does for
    /// integers and short decimals, booleans as "true"/"false").
    pub fn key(&self, i: usize) -> Option<String> {
        match self {
            Column::Str { codes, dict } => dict.get(codes[i] as usize).cloned(),
            Column::Num(v) => Some(v[i]).filter(|x| !x.is_nan()).map(|x| format!("{x}")),
            Column::Bool(v) => v[i].map(|b| if b { "true".into() } else { "false".into() }),
        }
    }
}

/// Customer data: named columns of equal length.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub len: usize,
    pub columns: HashMap<String, Column>,
}
