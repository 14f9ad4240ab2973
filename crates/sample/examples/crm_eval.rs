//! Evaluation of the classification on generated CRM data with planted truth
//! (`cargo run --release --example crm_eval [customers] [seed]`): the per-flag table and
//! churn-warning figures for 100k customers, then the generation time of 1M customers.
use crmscore::classify::ClassifyOptions;
use crmscore_sample::{evaluate, generate, CrmSampleOptions};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("customers"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("seed"));
    let opts = CrmSampleOptions {
        customers: n,
        seed,
        ..Default::default()
    };
    let t0 = Instant::now();
    let s = generate(&opts).expect("options");
    let gen = t0.elapsed();
    let t1 = Instant::now();
    let r = s.classify(&ClassifyOptions::default()).expect("classify");
    let cls = t1.elapsed();
    let e = evaluate(&s, &r).expect("evaluate");
    println!(
        "generated {} customers, {} orders, {} interactions, {} returns, {} payments in {:.1} ms; classified in {:.1} ms (seed {seed})",
        s.len(),
        s.orders.customer.len(),
        s.interactions.customer.len(),
        s.returns.customer.len(),
        s.payments.customer.len(),
        gen.as_secs_f64() * 1e3,
        cls.as_secs_f64() * 1e3
    );
    print!("{e}");

    let big = CrmSampleOptions {
        customers: 1_000_000,
        seed,
        ..Default::default()
    };
    let mut times = Vec::new();
    let mut rows = (0, 0, 0);
    for _ in 0..3 {
        let t = Instant::now();
        let s = generate(&big).expect("options");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        rows = (
            s.orders.customer.len(),
            s.interactions.customer.len(),
            s.payments.customer.len(),
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "1M customers ({} orders, {} interactions, {} payments): generation median {:.0} ms (min {:.0}, max {:.0}) over 3 runs",
        rows.0, rows.1, rows.2, times[1], times[0], times[2]
    );
}
