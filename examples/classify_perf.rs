//! Native timing of `classify` (records), `classify_columns` and `ClassColumns::explain` on synthetic data shaped like bench/data.mjs
//! `generateActivity`: n customers, 10 orders each, 3 interactions, 2 payments, contacts.
//!   cargo run --release --example classify_perf -- 1000000 [columns]
use crmscore::activity::{
    Activity, InteractionKind, Interactions, OrderStatus, Orders, PaymentStatus, Payments,
};
use crmscore::classify::{classify, classify_columns, ClassifyOptions, Contacts};
use crmscore::sample::Rng;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let m = n * 10;
    let mut r = Rng::new(7);
    let start = 18993;
    let span = 1096.0;
    let (mut oc, mut od, mut oa, mut os, mut odisc) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..m {
        oc.push((r.uniform() * n as f64) as u32);
        od.push(start + (r.uniform() * span) as i32);
        oa.push((r.uniform() * 20000.0).round() / 100.0);
        let x = r.uniform();
        os.push(if x < 0.88 {
            OrderStatus::Completed
        } else if x < 0.95 {
            OrderStatus::Returned
        } else if x < 0.98 {
            OrderStatus::Cancelled
        } else {
            OrderStatus::Refused
        });
        odisc.push(if r.uniform() < 0.3 { 1.0 } else { f64::NAN });
    }
    let ni = n * 3;
    let (mut ic, mut id, mut ik) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ni {
        ic.push((r.uniform() * n as f64) as u32);
        id.push(start + (r.uniform() * span) as i32);
        ik.push(InteractionKind::from_code((r.uniform() * 10.0) as u8).unwrap());
    }
    let np = n * 2;
    let (mut pc, mut pd, mut pa, mut ps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..np {
        pc.push((r.uniform() * n as f64) as u32);
        pd.push(start + (r.uniform() * span) as i32);
        pa.push(100.0);
        ps.push(PaymentStatus::from_code((r.uniform() * 4.0) as u8).unwrap());
    }
    let emails: Vec<String> = (0..n)
        .map(|c| {
            if c % 50 == 0 {
                format!("shared{}@example.com", c % 997)
            } else {
                format!("user{c}@example.com")
            }
        })
        .collect();
    let phones: Vec<String> = (0..n)
        .map(|c| format!("138{:08}", (c * 7919) % 90_000_000))
        .collect();
    let e: Vec<Option<&str>> = emails.iter().map(|s| Some(s.as_str())).collect();
    let p: Vec<Option<&str>> = phones.iter().map(|s| Some(s.as_str())).collect();
    let a = Activity {
        orders: Orders {
            customer: &oc,
            day: &od,
            amount: &oa,
            status: Some(&os),
            discount: Some(&odisc),
        },
        interactions: Interactions {
            customer: &ic,
            day: &id,
            kind: &ik,
            value: None,
        },
        payments: Payments {
            customer: &pc,
            day: &pd,
            amount: &pa,
            status: &ps,
            days_late: None,
        },
        customer_count: Some(n),
        as_of: Some(start + 1096),
        ..Default::default()
    };
    let contacts = Contacts {
        email: Some(&e),
        phone: Some(&p),
    };
    let opts = ClassifyOptions::default();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    // `classify_perf N columns`: only classify_columns, five times (for a profiler).
    if std::env::args().nth(2).as_deref() == Some("columns") {
        for _ in 0..5 {
            let t = Instant::now();
            let col = classify_columns(&a, &contacts, &opts, None).unwrap();
            println!(
                "classify_columns {:.0} ms; junk {}",
                ms(t),
                col.summary.junk
            );
        }
        return;
    }
    for _ in 0..3 {
        let t = Instant::now();
        let agg = crmscore::activity::aggregate(&a).unwrap();
        let ta = ms(t);
        drop(agg);
        let t = Instant::now();
        let c = classify(&a, &contacts, &opts).unwrap();
        let tc = ms(t);
        let junk = c.summary.junk;
        drop(c);
        let t = Instant::now();
        let col = classify_columns(&a, &contacts, &opts, None).unwrap();
        let tcol = ms(t);
        println!(
            "n {n}: aggregate alone {ta:.0} ms; classify (records) {tc:.0} ms; classify_columns {tcol:.0} ms; junk {junk} / {}",
            col.summary.junk
        );
        // explain(i): a few customers spread over the index range.
        let t = Instant::now();
        let k = 5;
        for j in 0..k {
            let x = col
                .explain(&a, &contacts, &opts, None, j * (n / k))
                .unwrap();
            assert_eq!(x.junk, col.junk[j * (n / k)] == 1);
        }
        println!(
            "  explain(i) {:.1} ms per call; explain support kept {} bytes ({:.2} per customer)",
            ms(t) / k as f64,
            col.explain_bytes(),
            col.explain_bytes() as f64 / n as f64
        );
    }
}
