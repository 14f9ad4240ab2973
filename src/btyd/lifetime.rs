//! Where the BTYD models meet activity data: a model's P(alive), expected purchases and CLV
//! per customer of an [`Activity`](crate::activity::Activity), for classification
//! (`low_p_alive`) and for scoring models (derived fields `pAlive`, `expectedPurchases90Days`,
//! `clv`).

use super::{clv, summarize, ClvOptions, GammaGammaParams, Summaries, SummaryOptions};
use super::{TimeUnit, TransactionModel};
use crate::activity::{Activity, OrderStatus};
use crate::error::Error;

/// BTYD summaries of an activity's completed orders (orders without a status count as
/// completed) as of its analysis date, in `unit`, over `customer_count` customers; `None`
/// when no order is completed. Validates the activity first (its errors name table and row).
pub fn activity_summaries(
    a: &Activity,
    unit: TimeUnit,
    customer_count: usize,
) -> Result<Option<Summaries>, Error> {
    let v = a.validate()?;
    let o = &a.orders;
    let keep: Vec<usize> = (0..o.customer.len())
        .filter(|&i| o.status.is_none_or(|s| s[i] == OrderStatus::Completed))
        .collect();
    if keep.is_empty() {
        return Ok(None);
    }
    let c: Vec<u32> = keep.iter().map(|&i| o.customer[i]).collect();
    let d: Vec<i32> = keep.iter().map(|&i| o.day[i]).collect();
    let m: Vec<f64> = keep.iter().map(|&i| o.amount[i]).collect();
    summarize(
        &c,
        &d,
        &m,
        &SummaryOptions {
            as_of: v.as_of,
            calibration_end: None,
            unit,
            customer_count: Some(customer_count),
        },
    )
    .map(Some)
}

/// Scatters per-row values of `s` into a per-customer column (NaN for customers without a row).
fn by_customer(s: &Summaries, rows: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; n];
    for (k, &ci) in s.customer.iter().enumerate() {
        out[ci as usize] = rows[k];
    }
    out
}

/// P(alive) per customer index of `a` (NaN without a completed order), with the model's
/// times in `unit`.
pub fn p_alive_per_customer(
    model: &TransactionModel,
    unit: TimeUnit,
    a: &Activity,
    n: usize,
) -> Result<Vec<f64>, Error> {
    match activity_summaries(a, unit, n)? {
        None => Ok(vec![f64::NAN; n]),
        Some(s) => Ok(by_customer(
            &s,
            &model.p_alive_many(&s.frequency, &s.recency, &s.age)?,
            n,
        )),
    }
}

/// Per-customer lifetime columns of an activity (NaN without a completed order).
#[derive(Clone, Debug, PartialEq)]
pub struct LifetimeColumns {
    pub p_alive: Vec<f64>,
    /// Expected purchases in the next 90 days.
    pub expected_purchases_90_days: Vec<f64>,
    /// Discounted CLV, when a spend model and CLV options were given.
    pub clv: Option<Vec<f64>>,
}

/// [`LifetimeColumns`] of `a` from one summary pass: the transaction model's P(alive) and
/// 90-day expected purchases and, with `spend` = (Gamma-Gamma model, CLV options), the CLV.
pub fn lifetime_columns(
    model: &TransactionModel,
    unit: TimeUnit,
    spend: Option<(&GammaGammaParams, &ClvOptions)>,
    a: &Activity,
    n: usize,
) -> Result<LifetimeColumns, Error> {
    let Some(s) = activity_summaries(a, unit, n)? else {
        return Ok(LifetimeColumns {
            p_alive: vec![f64::NAN; n],
            expected_purchases_90_days: vec![f64::NAN; n],
            clv: spend.map(|_| vec![f64::NAN; n]),
        });
    };
    let p = model.p_alive_many(&s.frequency, &s.recency, &s.age)?;
    let e = model.expected_purchases_many(90.0 / unit.days(), &s.frequency, &s.recency, &s.age)?;
    let clv = match spend {
        None => None,
        Some((gg, opts)) => {
            let v = clv(
                model,
                gg,
                &s.frequency,
                &s.recency,
                &s.age,
                &s.monetary_value,
                opts,
            )?;
            Some(by_customer(&s, &v, n))
        }
    };
    Ok(LifetimeColumns {
        p_alive: by_customer(&s, &p, n),
        expected_purchases_90_days: by_customer(&s, &e, n),
        clv,
    })
}
