//! Native tests of the columnar classification (`classify_columns`, `ClassColumns::explain`):
//! on random data sets (ties in revenue, every order status, discounts, interactions,
//! returns, payments, creation days, contacts with duplicates, blanks, invalid and
//! non-ASCII values, P(alive) with gaps, customers without any row), every code, the
//! revenue and the summary equal what `classify_with_p_alive`'s records give, and
//! `explain(i)` equals the record of customer `i`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::field_reassign_with_default)]

use crmscore::activity::*;
use crmscore::classify::*;
use crmscore::columns::ActivityBuffer;
use crmscore::sample::Rng;
use crmscore::ErrorCode;

struct Data {
    /// The activity tables (orders with status and discount, interactions with values,
    /// returns, payments, creation days).
    buf: ActivityBuffer,
    emails: Vec<Option<String>>,
    phones: Vec<Option<String>>,
    p_alive: Vec<f64>,
    n: usize,
}

const AS_OF: i32 = 20_000;

fn pick<T: Copy>(r: &mut Rng, xs: &[T]) -> T {
    xs[((r.uniform() * xs.len() as f64) as usize).min(xs.len() - 1)]
}

fn below(r: &mut Rng, n: usize) -> usize {
    ((r.uniform() * n as f64) as usize).min(n - 1)
}

fn data(seed: u64, n: usize) -> Data {
    let mut r = Rng::new(seed);
    let mut d = Data {
        buf: ActivityBuffer::default(),
        emails: vec![],
        phones: vec![],
        p_alive: vec![],
        n,
    };
    let mut created = Vec::with_capacity(n);
    // Customers 0 .. n/10 have no order (a third of them nothing at all); the rest have a
    // habit: a mean gap, a last day, a count.
    for c in 0..n as u32 {
        let none = (c as usize) < n / 10;
        if none {
            if c % 3 == 0 {
                continue;
            }
        } else {
            let k = 1 + below(&mut r, 12);
            let gap = pick(&mut r, &[1.0, 7.0, 30.0, 90.0, 200.0]);
            let mut day = AS_OF - below(&mut r, 900) as i32;
            for _ in 0..k {
                d.buf.orders.customer.push(c);
                d.buf.orders.day.push(day);
                // Amounts on a coarse grid: many revenue ties.
                d.buf.orders.amount.push(pick(
                    &mut r,
                    &[0.0, 5.0, 20.0, 49.99, 50.0, 100.0, 250.5, 1000.0],
                ));
                d.buf.orders.status.get_or_insert_with(Vec::new).push(pick(
                    &mut r,
                    &[
                        OrderStatus::Completed,
                        OrderStatus::Completed,
                        OrderStatus::Completed,
                        OrderStatus::Completed,
                        OrderStatus::Returned,
                        OrderStatus::Cancelled,
                        OrderStatus::Refused,
                    ],
                ));
                d.buf
                    .orders
                    .discount
                    .get_or_insert_with(Vec::new)
                    .push(if r.uniform() < 0.4 { 0.1 } else { f64::NAN });
                day -= (r.exponential(1.0 / gap) as i32).max(0);
                if day < AS_OF - 3000 {
                    break;
                }
            }
        }
        for _ in 0..below(&mut r, 6) {
            d.buf.interactions.customer.push(c);
            d.buf
                .interactions
                .day
                .push(AS_OF - below(&mut r, 500) as i32);
            d.buf.interactions.kind.push(
                InteractionKind::from_code(below(&mut r, InteractionKind::COUNT) as u8).unwrap(),
            );
            d.buf
                .interactions
                .value
                .get_or_insert_with(Vec::new)
                .push(if r.uniform() < 0.5 {
                    (below(&mut r, 5) + 1) as f64
                } else {
                    f64::NAN
                });
        }
        if r.uniform() < 0.2 {
            for _ in 0..1 + below(&mut r, 3) {
                d.buf.returns.customer.push(c);
                d.buf.returns.day.push(AS_OF - below(&mut r, 400) as i32);
                d.buf.returns.amount.push(10.0);
            }
        }
        for _ in 0..below(&mut r, 4) {
            d.buf.payments.customer.push(c);
            d.buf.payments.day.push(AS_OF - below(&mut r, 700) as i32);
            d.buf.payments.amount.push(30.0);
            d.buf
                .payments
                .status
                .push(PaymentStatus::from_code(below(&mut r, 4) as u8).unwrap());
        }
    }
    // Shuffle the order rows (so customers' rows interleave).
    for k in (1..d.buf.orders.customer.len()).rev() {
        let j = below(&mut r, k + 1);
        d.buf.orders.customer.swap(k, j);
        d.buf.orders.day.swap(k, j);
        d.buf.orders.amount.swap(k, j);
        d.buf.orders.status.get_or_insert_with(Vec::new).swap(k, j);
        d.buf
            .orders
            .discount
            .get_or_insert_with(Vec::new)
            .swap(k, j);
    }
    for c in 0..n {
        created.push(if r.uniform() < 0.7 {
            AS_OF - below(&mut r, 1000) as i32
        } else {
            NO_DAY
        });
        let e = match below(&mut r, 10) {
            0 => None,
            1 => Some("   ".to_string()),
            2 => Some(format!("Shared{}@Example.COM ", below(&mut r, 5))),
            3 => Some(format!("shared{}@example.com", below(&mut r, 5))),
            4 => Some("not an email".to_string()),
            5 => Some(format!("ünï{c}@exämple.com")),
            6 => Some("a..b@x.io".to_string()),
            _ => Some(format!("user{c}@shop.example.org")),
        };
        d.emails.push(e);
        let p = match below(&mut r, 10) {
            0 => None,
            1 => Some(String::new()),
            2 => Some(format!("+86 138 0000 {:04}", below(&mut r, 4))),
            3 => Some(format!("138-0000-{:04}", below(&mut r, 4))),
            4 => Some("00000000".to_string()),
            5 => Some("12345678901".to_string()),
            6 => Some("call me".to_string()),
            7 => Some(format!("+1 (202) 555-{:04}", below(&mut r, 3))),
            _ => Some(format!("139{:08}", c)),
        };
        d.phones.push(p);
        d.p_alive.push(match below(&mut r, 4) {
            0 => f64::NAN,
            _ => r.uniform(),
        });
    }
    // P(alive) shorter than the customer count; contacts with trailing customers missing.
    d.buf.created_at = Some(created);
    d.p_alive.truncate(n - n / 20);
    d.emails.truncate(n - 3);
    d
}

impl Data {
    fn activity(&self, count: Option<usize>) -> Activity<'_> {
        self.buf.as_activity(count, None)
    }
}

fn options(variant: usize) -> ClassifyOptions {
    let mut o = ClassifyOptions::default();
    if variant == 1 {
        // Lower thresholds: most flags and reasons fire somewhere.
        o.complaint_count = 1;
        o.payment_failures = 1;
        o.junk_warnings = 1;
        o.return_min_purchases = 1;
        o.high_return_rate = 0.3;
        o.max_duplicate_evidence = 2;
        o.high_value_share = 0.5;
        o.mid_value_share = 0.6;
        o.rhythm_min_days = 0;
        o.decline_window_days = 30;
        o.decline_min_previous = 1;
    }
    o
}

/// The value classes by their definition (module documentation of classify): customers by
/// falling revenue, `above` = the sum of the strictly larger revenues.
fn pareto(revenue: &[f64], opts: &ClassifyOptions) -> Vec<u8> {
    let mut order: Vec<usize> = (0..revenue.len()).filter(|&i| revenue[i] > 0.0).collect();
    order.sort_by(|&x, &y| revenue[y].total_cmp(&revenue[x]));
    let total: f64 = order.iter().map(|&i| revenue[i]).sum();
    let mut out = vec![ValueClass::Low as u8; revenue.len()];
    let mut above = 0.0;
    let mut k = 0;
    while k < order.len() {
        let r = revenue[order[k]];
        let class = if above < opts.high_value_share * total {
            ValueClass::High
        } else if above < opts.mid_value_share * total {
            ValueClass::Mid
        } else {
            ValueClass::Low
        };
        let mut group = 0.0;
        while k < order.len() && revenue[order[k]] == r {
            out[order[k]] = class as u8;
            group += r;
            k += 1;
        }
        above += group;
    }
    out
}

/// Customer `i` of the columns has the classes, flags and churn reasons of record `c`.
fn same_codes(col: &ClassColumns, i: usize, c: &CustomerClass) {
    assert_eq!(col.lifecycle[i], c.lifecycle as u8, "lifecycle of {i}");
    assert_eq!(col.lead_stage[i], c.lead_stage as u8, "lead stage of {i}");
    assert_eq!(
        col.value_class[i], c.value_class as u8,
        "value class of {i}"
    );
    assert_eq!(col.loyalty[i], c.loyalty as u8, "loyalty of {i}");
    assert_eq!(col.churn_risk[i], c.churn_risk as u8, "churn risk of {i}");
    assert_eq!(col.junk[i], c.junk as u8, "junk of {i}");
    let flags = c.flags.iter().fold(0u16, |b, f| b | 1 << f.code as u16);
    assert_eq!(col.flags[i], flags, "flags of {i}");
    let reasons = c.churn_reasons.iter().fold(0u8, |b, &r| b | 1 << r as u8);
    assert_eq!(col.churn_reasons[i], reasons, "churn reasons of {i}");
}

fn check(d: &Data, count: Option<usize>, opts: &ClassifyOptions, with_p: bool) {
    let e: Vec<Option<&str>> = d.emails.iter().map(|s| s.as_deref()).collect();
    let p: Vec<Option<&str>> = d.phones.iter().map(|s| s.as_deref()).collect();
    let contacts = Contacts {
        email: Some(&e),
        phone: Some(&p),
    };
    let a = d.activity(count);
    let pa = with_p.then_some(&d.p_alive[..]);
    let rec = classify_with_p_alive(&a, &contacts, opts, pa).unwrap();
    let col = classify_columns(&a, &contacts, opts, pa).unwrap();
    assert_eq!(col.len(), rec.customers.len());
    assert_eq!(col.len(), d.n);
    assert_eq!(col.as_of, rec.as_of);
    assert_eq!(col.summary, rec.summary);
    let bits = |r: &[f64]| r.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&col.revenue), bits(&rec.revenue));
    let reference = pareto(&rec.revenue, opts);
    assert_eq!(
        col.value_class, reference,
        "value classes by the definition"
    );
    let mut fired = [0usize; FlagCode::COUNT];
    for (i, c) in rec.customers.iter().enumerate() {
        same_codes(&col, i, c);
        for f in &c.flags {
            fired[f.code as usize] += 1;
        }
    }
    // The data exercise the rules.
    let classes = |v: &[u8]| v.iter().fold(0u32, |b, &x| b | 1 << x);
    assert!(classes(&col.value_class) == 0b111, "every value class");
    assert!(classes(&col.lifecycle).count_ones() >= 5, "lifecycles");
    for code in [
        FlagCode::InvalidEmail,
        FlagCode::InvalidPhone,
        FlagCode::DuplicateContact,
        FlagCode::NoActivity,
        FlagCode::PaymentFailures,
    ] {
        assert!(fired[code as usize] > 0, "{code:?} fires");
    }
    if with_p {
        assert!(col
            .churn_reasons
            .iter()
            .any(|&b| b & 1 << ChurnReason::LowPAlive as u8 != 0));
    }
    // explain(i) for every customer (small sets) equals the record.
    for (i, c) in rec.customers.iter().enumerate() {
        let x = col.explain(&a, &contacts, opts, pa, i).unwrap();
        assert_eq!(&x, c, "explain({i})");
    }
    let err = col.explain(&a, &contacts, opts, pa, d.n).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidValue);
}

#[test]
fn columns_equal_records_on_random_data() {
    for seed in 1..=6u64 {
        let n = 150 + 70 * seed as usize;
        let d = data(seed, n);
        for variant in 0..2 {
            let opts = options(variant);
            check(&d, Some(n), &opts, seed % 2 == 0);
            check(&d, None, &opts, seed % 2 == 1);
        }
    }
}

#[test]
fn columns_reject_what_records_reject() {
    let d = data(9, 100);
    let a = d.activity(Some(100));
    let mut o = ClassifyOptions::default();
    o.churn_days = 0;
    let rec = classify(&a, &Contacts::default(), &o).unwrap_err();
    let col = classify_columns(&a, &Contacts::default(), &o, None).unwrap_err();
    assert_eq!(rec, col);
    // A contact column longer than the given count.
    let e = vec![Some("a@b.co"); 101];
    let c = Contacts {
        email: Some(&e),
        phone: None,
    };
    let rec = classify(&a, &c, &ClassifyOptions::default()).unwrap_err();
    let col = classify_columns(&a, &c, &ClassifyOptions::default(), None).unwrap_err();
    assert_eq!(rec, col);
    assert_eq!(col.code, ErrorCode::LengthMismatch);
}

#[test]
fn contacts_only_and_empty_activity() {
    // No activity row at all: customers come from the contact columns.
    let e = vec![Some("x@y.io"), Some("X@Y.IO "), None, Some("bad")];
    let p = vec![Some("13800001111"), Some("13800001111")];
    let c = Contacts {
        email: Some(&e),
        phone: Some(&p),
    };
    let a = Activity::default();
    let opts = ClassifyOptions::default();
    let rec = classify(&a, &c, &opts).unwrap();
    let col = classify_columns(&a, &c, &opts, None).unwrap();
    assert_eq!(col.len(), 4);
    assert_eq!(col.summary, rec.summary);
    assert!(col.explain_bytes() > 0);
    for i in 0..4 {
        assert_eq!(
            col.explain(&a, &c, &opts, None, i).unwrap(),
            rec.customers[i]
        );
    }
}

/// From 2^18 customers the core groups rows through partition buckets (crate::partition)
/// and classify reads the orders in one grouping pass: the same results as `aggregate`'s
/// direct sums (bit for bit) and as `explain(i)`, which reads customer i's rows on its own.
#[test]
fn partitioned_path_equals_per_customer_reads() {
    let n = 300_000;
    let d = data(17, n);
    let e: Vec<Option<&str>> = d.emails.iter().map(|s| s.as_deref()).collect();
    let p: Vec<Option<&str>> = d.phones.iter().map(|s| s.as_deref()).collect();
    let contacts = Contacts {
        email: Some(&e),
        phone: Some(&p),
    };
    let a = d.activity(Some(n));
    let opts = options(0);
    let col = classify_columns(&a, &contacts, &opts, None).unwrap();
    // Revenue: completed amounts summed in input order, here by a plain loop.
    let mut revenue = vec![0f64; n];
    let o = &a.orders;
    for i in 0..o.customer.len() {
        if o.status
            .is_none_or(|s| s[i] == crmscore::activity::OrderStatus::Completed)
        {
            revenue[o.customer[i] as usize] += o.amount[i];
        }
    }
    let bits = |r: &[f64]| r.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&col.revenue), bits(&revenue));
    let mut junk = 0;
    for i in (0..n).step_by(601) {
        let x = col.explain(&a, &contacts, &opts, None, i).unwrap();
        same_codes(&col, i, &x);
        junk += x.junk as usize;
    }
    assert!(junk > 0, "the sample has junk customers");
    assert!(
        col.lifecycle.iter().any(|&l| l != col.lifecycle[0]),
        "more than one lifecycle"
    );
}
