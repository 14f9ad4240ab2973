//! Tier snapshots: transitions between two (`compare`) and the economics of each tier.
//! Customers are dense ids (interned by the caller); tiers are ranks, 0 = best.

use crate::error::{describe_number, Error, ErrorCode};

/// Who moved between two snapshots.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Transitions {
    /// `(from rank, to rank, customers)` for customers in both snapshots; non-empty cells,
    /// ordered by from then to.
    pub matrix: Vec<(u32, u32, u32)>,
    /// Indices into `after` of customers whose rank got better / worse.
    pub upgraded: Vec<usize>,
    pub downgraded: Vec<usize>,
    /// Indices into `after` of customers absent from `before`.
    pub entered: Vec<usize>,
    /// Indices into `before` of customers absent from `after`.
    pub left: Vec<usize>,
    pub unchanged: usize,
}

/// `before` / `after`: `(customer id, tier rank)` per row; ids < `id_count`, ranks < `tiers`.
/// A customer listed twice in one snapshot is an error naming the row.
pub fn compare(
    before: &[(u32, u32)],
    after: &[(u32, u32)],
    id_count: usize,
    tiers: usize,
) -> Result<Transitions, Error> {
    const NONE: u32 = u32::MAX;
    let mut rank_before = vec![NONE; id_count];
    let mut row_before = vec![0usize; id_count];
    for (row, &(id, rank)) in before.iter().enumerate() {
        let slot = &mut rank_before[id as usize];
        if *slot != NONE {
            return Err(dup("before", row, row_before[id as usize]));
        }
        *slot = rank;
        row_before[id as usize] = row;
    }
    let mut seen_after = vec![NONE; id_count];
    let mut cells = vec![0u32; tiers * tiers];
    let mut t = Transitions::default();
    for (row, &(id, to)) in after.iter().enumerate() {
        if seen_after[id as usize] != NONE {
            return Err(dup("after", row, seen_after[id as usize] as usize));
        }
        seen_after[id as usize] = row as u32;
        let from = rank_before[id as usize];
        if from == NONE {
            t.entered.push(row);
            continue;
        }
        cells[from as usize * tiers + to as usize] += 1;
        match to.cmp(&from) {
            std::cmp::Ordering::Less => t.upgraded.push(row),
            std::cmp::Ordering::Greater => t.downgraded.push(row),
            std::cmp::Ordering::Equal => t.unchanged += 1,
        }
    }
    for (row, &(id, _)) in before.iter().enumerate() {
        if seen_after[id as usize] == NONE {
            t.left.push(row);
        }
    }
    for from in 0..tiers {
        for to in 0..tiers {
            let c = cells[from * tiers + to];
            if c > 0 {
                t.matrix.push((from as u32, to as u32, c));
            }
        }
    }
    Ok(t)
}

fn dup(which: &str, row: usize, first: usize) -> Error {
    Error::row_field(
        ErrorCode::InvalidCustomerId,
        row,
        &format!("{which}.customerId"),
        format!("customer listed twice in {which} (rows {first} and {row})"),
    )
}

/// One tier's economics.
#[derive(Clone, Debug, PartialEq)]
pub struct TierRow {
    pub customers: u32,
    pub revenue: f64,
    pub cost: f64,
    pub margin: f64,
    pub revenue_share: f64,
    pub customer_share: f64,
    pub revenue_per_customer: f64,
    pub margin_per_customer: f64,
}

/// Per tier: customers, revenue (Σ revenue of its customers), cost (customers ×
/// cost per customer), margin (revenue − cost), shares of the totals, per-customer means
/// (0 for an empty tier). `tier[i]` < `cost_per_customer.len()`; revenue must be finite.
pub fn economics(
    tier: &[u32],
    revenue: &[f64],
    cost_per_customer: &[f64],
    revenue_field: &str,
) -> Result<Vec<TierRow>, Error> {
    let t = cost_per_customer.len();
    let mut customers = vec![0u32; t];
    let mut rev = vec![0.0f64; t];
    for (i, (&k, &r)) in tier.iter().zip(revenue).enumerate() {
        if !r.is_finite() {
            return Err(Error::row_field(
                ErrorCode::InvalidAmount,
                i,
                revenue_field,
                format!(
                    "revenue must be a finite number, got {}",
                    describe_number(r)
                ),
            ));
        }
        customers[k as usize] += 1;
        rev[k as usize] += r;
    }
    let n: u32 = customers.iter().sum();
    let total_rev: f64 = rev.iter().sum();
    Ok((0..t)
        .map(|k| {
            let c = customers[k];
            let cost = c as f64 * cost_per_customer[k];
            let margin = rev[k] - cost;
            let per = |x: f64| if c > 0 { x / c as f64 } else { 0.0 };
            TierRow {
                customers: c,
                revenue: rev[k],
                cost,
                margin,
                revenue_share: if total_rev != 0.0 {
                    rev[k] / total_rev
                } else {
                    0.0
                },
                customer_share: if n > 0 { c as f64 / n as f64 } else { 0.0 },
                revenue_per_customer: per(rev[k]),
                margin_per_customer: per(margin),
            }
        })
        .collect())
}
