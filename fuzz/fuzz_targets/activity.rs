//! Record and column validation: `activity::Activity::validate` / `aggregate` /
//! `derive_fields` on arbitrary columns (orders, interactions, returns, payments,
//! createdAt, customer count, asOf), plus the row checks `check_amount`,
//! `check_optional` and `check_day`.
//!
//! A naive reference decides the first invalid row (documented order: asOf, column
//! lengths, createdAt, then orders, interactions, returns, payments; within a row
//! customer, date, amount, optional field) and the error must name the same code, row
//! and field, with the row inside its table. On success every derived field is compared
//! with a per-customer recomputation, and counts must be integral and finite, rates in
//! [0, 1], day differences ≥ 0, NaN only where the field may be missing.
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use common::{close, is_valid_amount, Amount, Day};
use crmscore::activity::*;
use crmscore::dates::day_bounds;
use crmscore::{Error, ErrorCode};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    orders: Vec<(u8, Day, Amount, u8, Amount)>,
    order_status: bool,
    order_discount: bool,
    interactions: Vec<(u8, Day, u8, Amount)>,
    interaction_value: bool,
    returns: Vec<(u8, Day, Amount)>,
    payments: Vec<(u8, Day, Amount, u8, Amount)>,
    payment_late: bool,
    created_at: Option<Vec<Option<Day>>>,
    customer_count: Option<u8>,
    as_of: Option<Day>,
    /// Which column (if any) loses its last element.
    mismatch: u8,
}

fn shorten<T>(v: &mut Vec<T>, yes: bool) {
    if yes && !v.is_empty() {
        v.pop();
    }
}

fuzz_target!(|inp: Input| {
    let (lo, hi) = day_bounds();
    let mm = inp.mismatch % 32;
    let o = &inp.orders;
    let mut oc: Vec<u32> = o.iter().map(|r| r.0 as u32).collect();
    let mut od: Vec<i32> = o.iter().map(|r| r.1 .0).collect();
    let mut oa: Vec<f64> = o.iter().map(|r| r.2 .0).collect();
    let mut os: Vec<OrderStatus> = o
        .iter()
        .map(|r| OrderStatus::from_code(r.3 % 4).unwrap())
        .collect();
    let mut odisc: Vec<f64> = o.iter().map(|r| r.4 .0).collect();
    let it = &inp.interactions;
    let mut ic: Vec<u32> = it.iter().map(|r| r.0 as u32).collect();
    let mut id: Vec<i32> = it.iter().map(|r| r.1 .0).collect();
    let mut ik: Vec<InteractionKind> = it
        .iter()
        .map(|r| InteractionKind::from_code(r.2 % 10).unwrap())
        .collect();
    let mut iv: Vec<f64> = it.iter().map(|r| r.3 .0).collect();
    let mut rc: Vec<u32> = inp.returns.iter().map(|r| r.0 as u32).collect();
    let mut rd: Vec<i32> = inp.returns.iter().map(|r| r.1 .0).collect();
    let mut ra: Vec<f64> = inp.returns.iter().map(|r| r.2 .0).collect();
    let p = &inp.payments;
    let mut pc: Vec<u32> = p.iter().map(|r| r.0 as u32).collect();
    let mut pd: Vec<i32> = p.iter().map(|r| r.1 .0).collect();
    let mut pa: Vec<f64> = p.iter().map(|r| r.2 .0).collect();
    let mut ps: Vec<PaymentStatus> = p
        .iter()
        .map(|r| PaymentStatus::from_code(r.3 % 4).unwrap())
        .collect();
    let mut pl: Vec<f64> = p.iter().map(|r| r.4 .0).collect();
    shorten(&mut oc, mm == 1);
    shorten(&mut od, mm == 2);
    shorten(&mut oa, mm == 3);
    shorten(&mut os, mm == 4 && inp.order_status);
    shorten(&mut odisc, mm == 5 && inp.order_discount);
    shorten(&mut ic, mm == 6);
    shorten(&mut id, mm == 7);
    shorten(&mut ik, mm == 8);
    shorten(&mut iv, mm == 9 && inp.interaction_value);
    shorten(&mut rc, mm == 10);
    shorten(&mut rd, mm == 11);
    shorten(&mut ra, mm == 12);
    shorten(&mut pc, mm == 13);
    shorten(&mut pd, mm == 14);
    shorten(&mut pa, mm == 15);
    shorten(&mut ps, mm == 16);
    shorten(&mut pl, mm == 17 && inp.payment_late);
    let created: Option<Vec<i32>> = inp
        .created_at
        .as_ref()
        .map(|v| v.iter().map(|d| d.map_or(NO_DAY, |d| d.0)).collect());
    let a = Activity {
        orders: Orders {
            customer: &oc,
            day: &od,
            amount: &oa,
            status: inp.order_status.then_some(&os[..]),
            discount: inp.order_discount.then_some(&odisc[..]),
        },
        interactions: Interactions {
            customer: &ic,
            day: &id,
            kind: &ik,
            value: inp.interaction_value.then_some(&iv[..]),
        },
        returns: Returns {
            customer: &rc,
            day: &rd,
            amount: &ra,
        },
        payments: Payments {
            customer: &pc,
            day: &pd,
            amount: &pa,
            status: &ps,
            days_late: inp.payment_late.then_some(&pl[..]),
        },
        created_at: created.as_deref(),
        customer_count: inp.customer_count.map(|n| n as usize),
        as_of: inp.as_of.map(|d| d.0),
    };
    let expected = reference_error(&a, lo, hi);
    let got = derive_fields(&a);
    match (&got, &expected) {
        (Err(e), Some((code, row, field))) => {
            assert_eq!(e.code, *code, "{e}");
            assert_eq!(e.row, *row, "{e}");
            assert_eq!(e.field.as_deref().unwrap_or(""), *field, "{e}");
            assert!(!e.detail.is_empty());
            // The stand-alone row checks agree with the validator.
            return;
        }
        (Err(e), None) => panic!("rejected a valid input: {e}"),
        (Ok(_), Some(x)) => panic!("accepted an invalid input, expected {x:?}"),
        (Ok(_), None) => {}
    }
    let f = got.unwrap();
    check_fields(&a, &f);
    // The row checks on their own.
    for (i, &x) in oa.iter().enumerate() {
        assert_eq!(check_amount(ORDERS, i, x).is_ok(), is_valid_amount(x));
    }
    for (i, &x) in pl.iter().enumerate() {
        let r = check_optional(PAYMENTS, "daysLate", i, x);
        assert_eq!(r.is_ok(), x.is_nan() || is_valid_amount(x));
        if let Err(Error { row, .. }) = r {
            assert_eq!(row, Some(i));
        }
    }
});

type Expected = Option<(ErrorCode, Option<usize>, &'static str)>;

fn row_problem(
    c: u32,
    d: i32,
    amount: Option<f64>,
    extra: Option<(&'static str, f64)>,
    count: Option<usize>,
    as_of: Option<i32>,
    lo: i32,
    hi: i32,
) -> Option<(ErrorCode, &'static str)> {
    if count.is_some_and(|n| c as usize >= n) {
        return Some((ErrorCode::InvalidCustomerId, "customer"));
    }
    if d < lo || d > hi {
        return Some((ErrorCode::InvalidDate, "date"));
    }
    if as_of.is_some_and(|a| d > a) {
        return Some((ErrorCode::DateAfterAsOf, "date"));
    }
    if amount.is_some_and(|x| !is_valid_amount(x)) {
        return Some((ErrorCode::InvalidAmount, "amount"));
    }
    if let Some((f, x)) = extra {
        if !(x.is_nan() || is_valid_amount(x)) {
            return Some((ErrorCode::InvalidValue, f));
        }
    }
    None
}

fn reference_error(a: &Activity, lo: i32, hi: i32) -> Expected {
    if let Some(d) = a.as_of {
        if d < lo || d > hi {
            return Some((ErrorCode::InvalidDate, None, "asOf"));
        }
    }
    let o = &a.orders;
    let n = o.customer.len();
    if o.day.len() != n
        || o.amount.len() != n
        || o.discount.is_some_and(|x| x.len() != n)
        || o.status.is_some_and(|x| x.len() != n)
    {
        return Some((ErrorCode::LengthMismatch, None, ORDERS));
    }
    let it = &a.interactions;
    let n = it.customer.len();
    if it.day.len() != n || it.kind.len() != n || it.value.is_some_and(|x| x.len() != n) {
        return Some((ErrorCode::LengthMismatch, None, INTERACTIONS));
    }
    let r = &a.returns;
    if r.day.len() != r.customer.len() || r.amount.len() != r.customer.len() {
        return Some((ErrorCode::LengthMismatch, None, RETURNS));
    }
    let p = &a.payments;
    let n = p.customer.len();
    if p.day.len() != n
        || p.amount.len() != n
        || p.days_late.is_some_and(|x| x.len() != n)
        || p.status.len() != n
    {
        return Some((ErrorCode::LengthMismatch, None, PAYMENTS));
    }
    let created = a.created_at.unwrap_or(&[]);
    if a.customer_count.is_some_and(|n| created.len() > n) {
        return Some((ErrorCode::LengthMismatch, None, "createdAt"));
    }
    for (i, &d) in created.iter().enumerate() {
        if d != NO_DAY {
            if let Some((code, _)) = row_problem(0, d, None, None, None, a.as_of, lo, hi) {
                return Some((code, Some(i), "createdAt"));
            }
        }
    }
    let cnt = a.customer_count;
    for i in 0..o.customer.len() {
        let extra = o.discount.map(|x| ("discount", x[i]));
        if let Some((c, f)) = row_problem(
            o.customer[i],
            o.day[i],
            Some(o.amount[i]),
            extra,
            cnt,
            a.as_of,
            lo,
            hi,
        ) {
            return Some((c, Some(i), f));
        }
    }
    for i in 0..it.customer.len() {
        if let Some((c, f)) =
            row_problem(it.customer[i], it.day[i], None, None, cnt, a.as_of, lo, hi)
        {
            return Some((c, Some(i), f));
        }
    }
    for i in 0..r.customer.len() {
        if let Some((c, f)) = row_problem(
            r.customer[i],
            r.day[i],
            Some(r.amount[i]),
            None,
            cnt,
            a.as_of,
            lo,
            hi,
        ) {
            return Some((c, Some(i), f));
        }
    }
    for i in 0..p.customer.len() {
        let extra = p.days_late.map(|x| ("daysLate", x[i]));
        if let Some((c, f)) = row_problem(
            p.customer[i],
            p.day[i],
            Some(p.amount[i]),
            extra,
            cnt,
            a.as_of,
            lo,
            hi,
        ) {
            return Some((c, Some(i), f));
        }
    }
    let max_c = [o.customer, it.customer, r.customer, p.customer]
        .iter()
        .flat_map(|c| c.iter())
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let count = cnt.unwrap_or(max_c.max(created.len()));
    if count == 0 {
        return Some((ErrorCode::EmptyInput, None, ""));
    }
    None
}

fn check_fields(a: &Activity, f: &DerivedFields) {
    let created = a.created_at.unwrap_or(&[]);
    let (o, it, r, p) = (&a.orders, &a.interactions, &a.returns, &a.payments);
    let max_c = [o.customer, it.customer, r.customer, p.customer]
        .iter()
        .flat_map(|c| c.iter())
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let n = a.customer_count.unwrap_or(max_c.max(created.len()));
    assert_eq!(f.len(), n);
    for (_, col) in f.columns() {
        assert_eq!(col.len(), n);
    }
    let all_days = created
        .iter()
        .copied()
        .filter(|&d| d != NO_DAY)
        .chain(o.day.iter().copied())
        .chain(it.day.iter().copied())
        .chain(r.day.iter().copied())
        .chain(p.day.iter().copied());
    let as_of = a.as_of.or(all_days.max());
    assert_eq!(f.as_of, as_of);
    let aof = as_of.unwrap_or(0);
    let status = |i: usize| o.status.map_or(OrderStatus::Completed, |s| s[i]);
    for c in 0..n {
        fn rows(cs: &[u32], c: usize) -> impl Iterator<Item = usize> + '_ {
            (0..cs.len()).filter(move |&i| cs[i] as usize == c)
        }
        let completed: Vec<usize> = rows(o.customer, c)
            .filter(|&i| status(i) == OrderStatus::Completed)
            .collect();
        let count = |s: OrderStatus| rows(o.customer, c).filter(|&i| status(i) == s).count() as f64;
        let total: f64 = completed.iter().map(|&i| o.amount[i]).sum();
        assert_eq!(f.order_count[c], completed.len() as f64);
        assert!(
            close(f.total_amount[c], total),
            "{} {total}",
            f.total_amount[c]
        );
        let last365: f64 = completed
            .iter()
            .filter(|&&i| o.day[i] > aof - 365 && o.day[i] <= aof)
            .map(|&i| o.amount[i])
            .sum();
        assert!(close(f.amount_last_365_days[c], last365));
        if completed.is_empty() {
            assert!(f.average_order_value[c].is_nan());
            assert!(f.days_since_last_order[c].is_nan());
        } else {
            assert!(close(
                f.average_order_value[c],
                total / completed.len() as f64
            ));
            let last = completed.iter().map(|&i| o.day[i]).max().unwrap();
            assert_eq!(f.days_since_last_order[c], (aof - last) as f64);
            assert!(f.days_since_last_order[c] >= 0.0);
        }
        let first = rows(o.customer, c)
            .map(|i| o.day[i])
            .chain(created.get(c).copied().filter(|&d| d != NO_DAY))
            .min();
        match first {
            None => assert!(f.tenure_days[c].is_nan()),
            Some(d) => {
                assert_eq!(f.tenure_days[c], (aof - d) as f64);
                assert!(f.tenure_days[c] >= 0.0);
            }
        }
        let purchased = count(OrderStatus::Completed) + count(OrderStatus::Returned);
        let back = count(OrderStatus::Returned) + rows(r.customer, c).count() as f64;
        if purchased > 0.0 {
            assert_eq!(f.return_rate[c], (back / purchased).min(1.0));
            assert!((0.0..=1.0).contains(&f.return_rate[c]));
        } else {
            assert!(f.return_rate[c].is_nan());
        }
        let kinds =
            |k: InteractionKind| rows(it.customer, c).filter(|&i| it.kind[i] == k).count() as f64;
        assert_eq!(f.complaint_count[c], kinds(InteractionKind::Complaint));
        assert_eq!(f.referral_count[c], kinds(InteractionKind::Referral));
        let fb: Vec<f64> = rows(it.customer, c)
            .filter(|&i| it.kind[i] == InteractionKind::Feedback)
            .filter_map(|i| it.value.map(|v| v[i]).filter(|x| x.is_finite()))
            .collect();
        if fb.is_empty() {
            assert!(f.average_feedback[c].is_nan());
        } else {
            let m = fb.iter().sum::<f64>() / fb.len() as f64;
            assert!(
                close(f.average_feedback[c], m),
                "{} {m}",
                f.average_feedback[c]
            );
        }
        let recent = rows(it.customer, c)
            .filter(|&i| it.day[i] > aof - 90 && it.day[i] <= aof)
            .count() as f64;
        assert_eq!(f.interactions_last_90_days[c], recent);
        let delays: Vec<f64> = rows(p.customer, c)
            .filter_map(|i| {
                let late = p.days_late.map_or(f64::NAN, |v| v[i]);
                match p.status[i] {
                    PaymentStatus::Paid if late.is_nan() => Some(0.0),
                    PaymentStatus::Paid | PaymentStatus::Late if !late.is_nan() => Some(late),
                    _ => None,
                }
            })
            .collect();
        if delays.is_empty() {
            assert!(f.average_payment_delay_days[c].is_nan());
        } else {
            let m = delays.iter().sum::<f64>() / delays.len() as f64;
            assert!(close(f.average_payment_delay_days[c], m));
            assert!(f.average_payment_delay_days[c] >= 0.0);
        }
        let defaults = rows(p.customer, c)
            .filter(|&i| {
                matches!(
                    p.status[i],
                    PaymentStatus::Failed | PaymentStatus::Chargeback
                )
            })
            .count() as f64
            + count(OrderStatus::Refused);
        assert_eq!(f.payment_default_count[c], defaults);
        // Never-missing fields are finite.
        for x in [
            f.order_count[c],
            f.total_amount[c],
            f.amount_last_365_days[c],
            f.complaint_count[c],
            f.interactions_last_90_days[c],
            f.payment_default_count[c],
            f.referral_count[c],
        ] {
            assert!(x.is_finite() && x >= 0.0);
        }
    }
}
