//! BTYD summaries: `btyd::summary::summarize` on arbitrary orders and options.
//!
//! A naive reference (a BTreeMap per customer) decides whether the call must succeed and,
//! if not, which row and code the error must name; on success every row is compared with
//! the reference: frequency (distinct days − 1), recency t_x, age T, monetary value, the
//! holdout columns and the customer counts. Invariants: 0 ≤ t_x ≤ T, frequency ≥ 0 and
//! integral, all finite, customers strictly increasing. Some inputs (`wide`) also run with a
//! customer count ≥ 2^16 (the partitioned accumulation path) and must give the same rows.
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use common::{close, is_valid_amount, Amount, Day};
use crmscore::btyd::TimeUnit;
use crmscore::btyd::{summarize, Summaries, SummaryOptions};
use crmscore::dates::day_bounds;
use crmscore::ErrorCode;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

#[derive(Arbitrary, Debug)]
struct Input {
    orders: Vec<(u8, Day, Amount)>,
    as_of: Option<Day>,
    calibration_end: Option<Day>,
    unit: u8,
    customer_count: Option<u8>,
    /// `wide == 0xA5`: also run with a customer count ≥ 2^16 (rare: that path costs ~1 ms).
    wide: u8,
    /// Drop the last amount (length mismatch).
    short: bool,
}

#[derive(Default, Debug)]
struct Ref {
    cal: BTreeMap<i32, f64>,
    hold_days: BTreeMap<i32, ()>,
    hold_sum: f64,
    hold_rows: u32,
}

fuzz_target!(|inp: Input| {
    let (lo, hi) = day_bounds();
    let customer: Vec<u32> = inp.orders.iter().map(|o| o.0 as u32).collect();
    let day: Vec<i32> = inp.orders.iter().map(|o| o.1 .0).collect();
    let mut amount: Vec<f64> = inp.orders.iter().map(|o| o.2 .0).collect();
    if inp.short && !amount.is_empty() {
        amount.pop();
    }
    let unit = match inp.unit % 3 {
        0 => TimeUnit::Day,
        1 => TimeUnit::Week,
        _ => TimeUnit::Month,
    };
    let opts = SummaryOptions {
        as_of: inp.as_of.map(|d| d.0),
        calibration_end: inp.calibration_end.map(|d| d.0),
        unit,
        customer_count: inp.customer_count.map(|n| n as usize),
    };
    let got = summarize(&customer, &day, &amount, &opts);

    // ---- reference: does the call have to fail, and how?
    let expect_err = |code: ErrorCode| -> Option<(ErrorCode, Option<usize>)> { Some((code, None)) };
    let mut expected: Option<(ErrorCode, Option<usize>)> = None;
    if amount.len() != customer.len() {
        expected = expect_err(ErrorCode::LengthMismatch);
    } else if customer.is_empty() {
        expected = expect_err(ErrorCode::EmptyInput);
    } else if opts.as_of.is_some_and(|a| a < lo || a > hi) {
        expected = expect_err(ErrorCode::InvalidOption);
    } else if matches!((opts.calibration_end, opts.as_of), (Some(c), Some(a)) if c >= a) {
        expected = expect_err(ErrorCode::InvalidOption);
    } else if opts.calibration_end.is_some_and(|c| c < lo || c > hi) {
        expected = expect_err(ErrorCode::InvalidOption);
    } else {
        let n = opts
            .customer_count
            .unwrap_or_else(|| customer.iter().max().map_or(0, |&m| m as usize + 1));
        let limit = opts.as_of.unwrap_or(hi);
        for i in 0..customer.len() {
            let (c, d, a) = (customer[i], day[i], amount[i]);
            let code = if d < lo || d > hi {
                ErrorCode::InvalidDate
            } else if !is_valid_amount(a) {
                ErrorCode::InvalidAmount
            } else if d > limit {
                ErrorCode::DateAfterAsOf
            } else if c as usize >= n {
                ErrorCode::InvalidCustomerId
            } else {
                continue;
            };
            expected = Some((code, Some(i)));
            break;
        }
        if expected.is_none() {
            let as_of = opts.as_of.unwrap_or(*day.iter().max().unwrap());
            if opts.calibration_end.is_some_and(|c| c >= as_of) {
                expected = expect_err(ErrorCode::InvalidOption);
            } else if opts
                .calibration_end
                .is_some_and(|c| !day.iter().any(|&d| d <= c))
            {
                expected = expect_err(ErrorCode::EmptyInput);
            }
        }
    }

    match (&got, expected) {
        (Err(e), Some((code, row))) => {
            assert_eq!(e.code, code, "{e}");
            assert_eq!(e.row, row, "{e}");
            if let Some(r) = e.row {
                assert!(r < customer.len());
                let f = e.field.as_deref().unwrap_or("");
                assert!(["date", "amount", "customerIndex"].contains(&f), "{e}");
            }
            assert!(!e.detail.is_empty());
            return;
        }
        (Err(e), None) => panic!("rejected a valid input: {e}"),
        (Ok(_), Some(x)) => panic!("accepted an invalid input (expected {x:?})"),
        (Ok(_), None) => {}
    }
    let s = got.unwrap();
    check(&s, &customer, &day, &amount, &opts);

    if inp.wide == 0xA5 {
        // The partitioned path (customer count ≥ 2^16, interleaved customers) must agree.
        let wide = SummaryOptions {
            customer_count: Some((1 << 16) + 7),
            ..opts.clone()
        };
        let w = summarize(&customer, &day, &amount, &wide).expect("wide count rejected");
        assert_eq!(w.customer, s.customer);
        assert_eq!(w.frequency, s.frequency);
        assert_eq!(w.recency, s.recency);
        assert_eq!(w.age, s.age);
        for (a, b) in w.monetary_value.iter().zip(&s.monetary_value) {
            assert!(close(*a, *b), "{a} vs {b}");
        }
        assert_eq!(w.as_of, s.as_of);
        assert_eq!(w.customers_only_in_holdout, s.customers_only_in_holdout);
        assert_eq!(
            w.customers_without_orders,
            s.customers_without_orders + (1 << 16) + 7
                - (s.len() + s.customers_without_orders + s.customers_only_in_holdout)
        );
        assert_eq!(w.holdout.is_some(), s.holdout.is_some());
        if let (Some(a), Some(b)) = (&w.holdout, &s.holdout) {
            assert_eq!(a.frequency, b.frequency);
            assert_eq!(a.duration, b.duration);
            for (x, y) in a.monetary_value.iter().zip(&b.monetary_value) {
                assert!(close(*x, *y), "{x} vs {y}");
            }
        }
    }
});

fn check(s: &Summaries, customer: &[u32], day: &[i32], amount: &[f64], opts: &SummaryOptions) {
    let as_of = opts.as_of.unwrap_or(*day.iter().max().unwrap());
    assert_eq!(s.as_of, as_of);
    let cal_end = opts.calibration_end.unwrap_or(i32::MAX);
    let end = opts.calibration_end.unwrap_or(as_of);
    let n = opts
        .customer_count
        .unwrap_or_else(|| customer.iter().max().map_or(0, |&m| m as usize + 1));
    let mut per: BTreeMap<u32, Ref> = BTreeMap::new();
    for i in 0..customer.len() {
        let r = per.entry(customer[i]).or_default();
        if day[i] <= cal_end {
            *r.cal.entry(day[i]).or_insert(0.0) += amount[i];
        } else {
            r.hold_days.insert(day[i], ());
            r.hold_sum += amount[i];
            r.hold_rows += 1;
        }
    }
    let u = opts.unit.days();
    let rows: Vec<(&u32, &Ref)> = per.iter().filter(|(_, r)| !r.cal.is_empty()).collect();
    assert_eq!(s.len(), rows.len());
    let only_hold = per.values().filter(|r| r.cal.is_empty()).count();
    assert_eq!(s.customers_only_in_holdout, only_hold);
    assert_eq!(s.customers_without_orders, n - per.len());
    assert!(s.customer.windows(2).all(|w| w[0] < w[1]));
    for (k, (&c, r)) in rows.iter().enumerate() {
        assert_eq!(s.customer[k], c);
        let first = *r.cal.keys().next().unwrap();
        let last = *r.cal.keys().next_back().unwrap();
        let freq = (r.cal.len() - 1) as f64;
        assert_eq!(s.frequency[k], freq, "customer {c}");
        assert_eq!(s.recency[k], (last - first) as f64 / u);
        assert_eq!(s.age[k], (end - first) as f64 / u);
        assert!(s.frequency[k] >= 0.0 && s.frequency[k].fract() == 0.0);
        assert!(0.0 <= s.recency[k] && s.recency[k] <= s.age[k]);
        assert!(s.age[k].is_finite() && s.monetary_value[k].is_finite());
        let mv = if freq > 0.0 {
            r.cal.values().skip(1).sum::<f64>() / freq
        } else {
            0.0
        };
        assert!(
            close(s.monetary_value[k], mv),
            "{} vs {mv}",
            s.monetary_value[k]
        );
        if let Some(h) = &s.holdout {
            assert_eq!(h.frequency[k], r.hold_days.len() as f64);
            let hm = if r.hold_rows > 0 {
                r.hold_sum / r.hold_rows as f64
            } else {
                0.0
            };
            assert!(
                close(h.monetary_value[k], hm),
                "{} vs {hm}",
                h.monetary_value[k]
            );
        }
    }
    match (&s.holdout, opts.calibration_end) {
        (Some(h), Some(c)) => {
            assert_eq!(h.calibration_end, c);
            assert_eq!(h.frequency.len(), s.len());
            assert_eq!(h.monetary_value.len(), s.len());
            assert!(h.duration > 0.0 && h.duration == (as_of - c) as f64 / u);
        }
        (None, None) => {}
        _ => panic!("holdout present iff calibration_end"),
    }
}
