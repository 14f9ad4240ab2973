//! Native tests of the CRM sample generator and the evaluation on planted labels
//! (src/crm_sample.rs, issue 4): every junk flag found with precision and recall ≥ 0.95 on
//! 100k generated customers under the default options, determinism, option errors, and the
//! consistency of the generated tables with each other and with the planted truth.
//! Run with `--release` (the 100k evaluation classifies 100k customers).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::needless_range_loop)]

use crmscore::activity::{self, InteractionKind, OrderStatus};
use crmscore::classify::{
    email_is_valid, normalize_email, normalize_phone, ClassifyOptions, FlagCode,
};
use crmscore::ErrorCode;
use crmscore_sample::*;
use std::collections::HashMap;

fn sample(customers: usize, seed: u64) -> CrmSample {
    generate(&CrmSampleOptions {
        customers,
        seed,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn planted_junk_is_found_on_100k_customers() {
    let s = sample(100_000, 1);
    let r = s.classify(&ClassifyOptions::default()).unwrap();
    let e = evaluate(&s, &r).unwrap();
    println!("{e}");
    for f in &e.flags {
        let c = &f.confusion;
        // Every kind is planted often enough for the figures to mean something.
        assert!(
            c.planted() >= 500,
            "{}: only {} planted",
            f.code.name(),
            c.planted()
        );
        assert!(
            c.precision() >= 0.95,
            "{}: precision {:.3} ({:?})",
            f.code.name(),
            c.precision(),
            c
        );
        assert!(
            c.recall() >= 0.95,
            "{}: recall {:.3} ({:?})",
            f.code.name(),
            c.recall(),
            c
        );
    }
    assert!(
        e.junk.precision() >= 0.95 && e.junk.recall() >= 0.95,
        "junk {:?}",
        e.junk
    );
    // The churn warning is reported, not targeted: it must beat chance and stay coherent.
    for c in [&e.churn, &e.churn_recent] {
        assert!(c.auc > 0.6 && c.auc < 1.0, "AUC {}", c.auc);
        assert!(c.churned > 0 && c.churned < c.customers);
        assert!(c.medium_or_high.recall() >= c.high.recall());
        assert_eq!(c.high.planted(), c.churned);
        assert_eq!(
            c.high.planted() + c.high.false_pos + c.high.true_neg,
            c.customers
        );
    }
    assert!(e.churn_recent.customers < e.churn.customers);
    assert_eq!(e.customers, 100_000);
    // Shares land near the options: 8 % planted junk personas, 4 % deal hunters.
    let junk = s.truth.persona.iter().filter(|p| p.is_junk()).count() as f64 / 1e5;
    let deal = s
        .truth
        .persona
        .iter()
        .filter(|&&p| p == Persona::DealHunter)
        .count() as f64
        / 1e5;
    assert!(
        (junk - 0.08).abs() < 0.005 && (deal - 0.04).abs() < 0.004,
        "junk {junk}, deal hunters {deal}"
    );
}

#[test]
fn same_seed_same_sample_other_seed_other_sample() {
    let a = sample(3000, 42);
    let b = sample(3000, 42);
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.customers.email, b.customers.email);
    assert_eq!(a.orders.day, b.orders.day);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.orders.amount), bits(&b.orders.amount));
    assert_eq!(bits(&a.orders.discount), bits(&b.orders.discount));
    assert_eq!(a.truth.flags, b.truth.flags);
    let c = sample(3000, 43);
    assert_ne!(a.digest(), c.digest());
    assert_ne!(a.customers.phone, c.customers.phone);
    assert_ne!(bits(&a.orders.amount), bits(&c.orders.amount));
    // Fingerprint of (3000 customers, seed 42): the generator uses only IEEE-exact
    // arithmetic, so this value is the same on every platform (WebAssembly included). A
    // deliberate change to the generator changes it; update it then.
    assert_eq!(a.digest(), GOLDEN_DIGEST, "digest {:#018x}", a.digest());
}

const GOLDEN_DIGEST: u64 = 0xd4c5_1395_67e6_b495;

#[test]
fn options_are_validated() {
    let d = CrmSampleOptions::default();
    assert!(d.validate().is_ok());
    assert_eq!((d.customers, d.seed, d.years), (10_000, 1, 3));
    assert_eq!(crmscore::dates::format_day(d.as_of), "2026-06-30");
    let cases: Vec<(CrmSampleOptions, &str)> = vec![
        (
            CrmSampleOptions {
                customers: 0,
                ..d.clone()
            },
            "customers",
        ),
        (
            CrmSampleOptions {
                customers: MAX_CUSTOMERS + 1,
                ..d.clone()
            },
            "customers",
        ),
        (
            CrmSampleOptions {
                years: 0,
                ..d.clone()
            },
            "years",
        ),
        (
            CrmSampleOptions {
                years: MAX_YEARS + 1,
                ..d.clone()
            },
            "years",
        ),
        (
            CrmSampleOptions {
                as_of: i32::MAX,
                ..d.clone()
            },
            "asOf",
        ),
        // 1000-06-30 minus three years is before year 1000.
        (
            CrmSampleOptions {
                as_of: crmscore::dates::parse_day("1000-06-30").unwrap(),
                ..d.clone()
            },
            "asOf",
        ),
        (
            CrmSampleOptions {
                junk_share: f64::NAN,
                ..d.clone()
            },
            "junkShare",
        ),
        (
            CrmSampleOptions {
                junk_share: -0.1,
                ..d.clone()
            },
            "junkShare",
        ),
        (
            CrmSampleOptions {
                churn_share: 1.5,
                ..d.clone()
            },
            "churnShare",
        ),
        (
            CrmSampleOptions {
                deal_hunter_share: f64::INFINITY,
                ..d.clone()
            },
            "dealHunterShare",
        ),
        (
            CrmSampleOptions {
                junk_share: 0.7,
                deal_hunter_share: 0.4,
                ..d.clone()
            },
            "dealHunterShare",
        ),
    ];
    for (o, field) in cases {
        let e = generate(&o).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOption, "{field}: {e}");
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.row, None);
    }
    // Edges that are valid.
    for o in [
        CrmSampleOptions {
            customers: 1,
            ..d.clone()
        },
        CrmSampleOptions {
            years: 1,
            junk_share: 1.0,
            deal_hunter_share: 0.0,
            customers: 500,
            ..d.clone()
        },
        CrmSampleOptions {
            junk_share: 0.0,
            deal_hunter_share: 0.0,
            churn_share: 0.0,
            customers: 500,
            ..d.clone()
        },
        CrmSampleOptions {
            churn_share: 1.0,
            customers: 500,
            ..d.clone()
        },
    ] {
        let s = generate(&o).unwrap();
        assert_eq!(s.len(), o.customers);
        s.classify(&ClassifyOptions::default()).unwrap();
    }
}

#[test]
fn shares_zero_and_one() {
    let none = generate(&CrmSampleOptions {
        customers: 2000,
        junk_share: 0.0,
        deal_hunter_share: 0.0,
        churn_share: 0.0,
        ..Default::default()
    })
    .unwrap();
    assert!(none.truth.persona.iter().all(|&p| p == Persona::Regular));
    assert!(none.truth.churned.iter().all(|&c| !c));
    // Without churners and junk nothing is dormant or planted at all.
    assert!(none.truth.flags.iter().all(|f| f.is_empty()));
    let all = generate(&CrmSampleOptions {
        customers: 2000,
        junk_share: 1.0,
        deal_hunter_share: 0.0,
        ..Default::default()
    })
    .unwrap();
    // Customer 0 cannot be a duplicate (no earlier customer): it falls back to regular.
    assert!(
        all.truth.persona[1..]
            .iter()
            .filter(|p| !p.is_junk())
            .count()
            <= 5
    );
    let e = evaluate(&all, &all.classify(&ClassifyOptions::default()).unwrap()).unwrap();
    println!("{e}");
    // Junk by the rule needs a critical flag or two warnings: fake sign-ups (invalid contact
    // + dormant), defaulters, and personas that happen to be dormant too.
    assert!(
        e.junk.planted() > 400 && e.junk.precision() >= 0.95 && e.junk.recall() >= 0.95,
        "{:?}",
        e.junk
    );
}

#[test]
fn evaluate_rejects_a_foreign_classification() {
    let a = sample(50, 1);
    let b = sample(60, 1);
    let r = b.classify(&ClassifyOptions::default()).unwrap();
    let e = evaluate(&a, &r).unwrap_err();
    assert_eq!(e.code, ErrorCode::LengthMismatch);
}

#[test]
fn tables_are_valid_and_consistent_with_the_truth() {
    let s = sample(20_000, 5);
    let n = s.len();
    let (as_of, start) = (s.as_of, s.start);
    assert_eq!(start, as_of - 3 * 365 + 1);
    // Passes the activity validation (as classify sees it) with the given as_of.
    let fields = activity::derive_fields(&s.activity()).unwrap();
    assert_eq!(fields.len(), n);
    assert_eq!(fields.as_of, Some(as_of));
    // Ids, lengths, attribute columns.
    let c = &s.customers;
    for v in [
        c.created_at.len(),
        c.name.len(),
        c.email.len(),
        c.phone.len(),
        c.region.len(),
        c.channel.len(),
        c.industry.len(),
    ] {
        assert_eq!(v, n);
    }
    assert_eq!(c.id.get(0), Some("C0000001"));
    assert_eq!(c.id.value(n - 1), format!("C{:07}", n));
    assert!(c.id.present.iter().all(|&p| p) && c.name.present.iter().all(|&p| p));
    assert!(
        c.name.iter().flatten().any(|x| !x.is_ascii())
            && c.name.iter().flatten().any(|x| x.contains(' '))
    );
    // The packed columns round-trip.
    let emails = c.email.to_vec();
    assert_eq!(emails.len(), n);
    assert_eq!(
        emails.iter().map(|e| e.as_deref()).collect::<StrColumn>(),
        c.email
    );
    for k in 0..Region::COUNT {
        assert!(
            c.region.iter().any(|&r| r as usize == k),
            "region {k} never drawn"
        );
    }
    // Every day within [start, as_of]; created_at ≤ the customer's first order and interaction.
    assert!(c.created_at.iter().all(|&d| d >= start && d <= as_of));
    let o = &s.orders;
    let first_event = |cust: &[u32], day: &[i32]| {
        let mut m = vec![i32::MAX; n];
        for k in 0..cust.len() {
            m[cust[k] as usize] = m[cust[k] as usize].min(day[k]);
        }
        m
    };
    for (cust, day) in [
        (&o.customer, &o.day),
        (&s.interactions.customer, &s.interactions.day),
    ] {
        assert!(day.iter().all(|&d| d >= start && d <= as_of));
        let f = first_event(cust, day);
        assert!((0..n).all(|i| f[i] >= c.created_at[i]));
        // Grouped by customer, ascending day within a customer.
        for k in 1..cust.len() {
            assert!(
                cust[k] > cust[k - 1] || (cust[k] == cust[k - 1] && day[k] >= day[k - 1]),
                "row {k}"
            );
        }
    }
    assert!(o
        .amount
        .iter()
        .all(|&x| x > 0.0 && x.is_finite() && (x * 100.0).round() / 100.0 == x));
    assert!(o.discount.iter().all(|&x| x.is_nan() || x > 0.0));
    let it = &s.interactions;
    for k in 0..it.kind.len() {
        match it.kind[k] {
            InteractionKind::Feedback => {
                assert!((1.0..=5.0).contains(&it.value[k]) && it.value[k].fract() == 0.0)
            }
            InteractionKind::Quote => assert!(it.value[k] > 0.0),
            _ => assert!(it.value[k].is_nan()),
        }
    }
    // Returns and payments point at an order of the same customer, on or after its day.
    let r = &s.returns;
    assert!(!r.customer.is_empty());
    for k in 0..r.customer.len() {
        let row = r.order[k] as usize;
        assert_eq!(o.customer[row], r.customer[k]);
        assert_eq!(o.status[row], OrderStatus::Completed);
        assert!(r.day[k] >= o.day[row] && r.day[k] <= as_of && r.amount[k] < o.amount[row]);
    }
    let p = &s.payments;
    for k in 0..p.customer.len() {
        let row = p.order[k] as usize;
        assert_eq!(o.customer[row], p.customer[k]);
        assert_eq!(p.amount[k], o.amount[row]);
        assert!(p.day[k] >= o.day[row] && p.day[k] <= as_of);
        assert_ne!(
            o.status[row],
            OrderStatus::Refused,
            "a refused order has no payment"
        );
        let late = p.status[k] == crmscore::activity::PaymentStatus::Late;
        assert_eq!(late, !p.days_late[k].is_nan());
    }

    // Churners: nothing after the churn day, and an order or contact on it.
    let mut last = vec![i32::MIN; n];
    for (cust, day) in [(&o.customer, &o.day), (&it.customer, &it.day)] {
        for k in 0..cust.len() {
            last[cust[k] as usize] = last[cust[k] as usize].max(day[k]);
        }
    }
    let t = &s.truth;
    for i in 0..n {
        if t.churned[i] {
            assert_eq!(last[i], t.churn_day[i], "customer {i}");
        } else {
            assert_eq!(t.churn_day[i], i32::MIN);
        }
        // Dormancy as documented.
        let dormant = if last[i] == i32::MIN {
            as_of - c.created_at[i] >= DORMANT_DAYS
        } else {
            t.churned[i] && as_of - t.churn_day[i] >= DORMANT_DAYS
        };
        assert_eq!(
            t.flags[i].contains(FlagCode::NoActivity),
            dormant,
            "customer {i} ({:?})",
            t.persona[i]
        );
    }

    // Contacts: invalid exactly where planted; shared exactly where a duplicate was planted.
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let email = c.email.get(i).filter(|e| !e.trim().is_empty());
        let valid = email.map(|e| email_is_valid(&normalize_email(e)));
        assert_eq!(
            valid == Some(false),
            t.flags[i].contains(FlagCode::InvalidEmail),
            "{email:?}"
        );
        if let (Some(e), Some(true)) = (email, valid) {
            by_email.entry(normalize_email(e)).or_default().push(i);
        }
        let phone = c.phone.get(i).filter(|e| !e.trim().is_empty());
        let norm = phone.map(normalize_phone);
        assert_eq!(
            matches!(norm, Some(None)),
            t.flags[i].contains(FlagCode::InvalidPhone),
            "{phone:?}"
        );
        if let Some(Some(p)) = norm {
            by_phone.entry(p).or_default().push(i);
        }
    }
    let mut shared = vec![false; n];
    for g in by_email
        .values()
        .chain(by_phone.values())
        .filter(|g| g.len() > 1)
    {
        for &i in g {
            shared[i] = true;
        }
        // A group is an original and its duplicates.
        assert!(
            g.iter()
                .filter(|&&i| t.persona[i] == Persona::Duplicate)
                .count()
                >= g.len() - 1,
            "{g:?}"
        );
    }
    for i in 0..n {
        assert_eq!(
            shared[i],
            t.flags[i].contains(FlagCode::DuplicateContact),
            "customer {i}"
        );
    }
    // Chinese mobiles dominate and come in several spellings.
    assert!(
        c.phone
            .iter()
            .flatten()
            .filter(|p| p.starts_with("+86"))
            .count()
            > n / 20
    );
    assert!(
        c.phone
            .iter()
            .flatten()
            .filter(|p| p.len() == 11 && p.starts_with('1'))
            .count()
            > n / 5
    );
}
