//! Native timings of the BTYD core (not a test):
//! `cargo run --release --example btyd_perf`.
//!
//! 1. summarize 10M orders (customer-grouped, date-sorted and shuffled row orders);
//! 2. BG/NBD fit of 1M simulated customers (known parameters: recovery shown);
//! 3. Gamma-Gamma fit and 12-step CLV for the same 1M customers.
//!
//! Wall-clock and on-CPU time (from /proc/thread-self/schedstat, so that other jobs on a
//! shared machine inflate only the first) are both printed. `BTYD_PERF=summarize|fit`
//! runs one part; the Pareto/NBD fit of 1M customers (minutes) only with `BTYD_PERF_PARETO=1`.
use crmscore::btyd::simulate::{simulate_bg_nbd_orders, SimulationOptions};
use crmscore::btyd::*;
use crmscore::sample::Rng;

#[path = "util/timing.rs"]
mod timing;
use std::time::Instant;
use timing::time;

fn main() {
    let part = std::env::var("BTYD_PERF").unwrap_or_default();
    let end_day = crmscore::dates::days_from_civil(2026, 6, 30) as i32;
    let spend = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };

    if part.is_empty() || part == "summarize" {
        summarize_part(end_day, &spend);
    }
    if part.is_empty() || part == "fit" {
        fit_part(end_day, &spend);
    }
}

fn summarize_part(end_day: i32, spend: &GammaGammaParams) {
    // ---- 1. summarize 10M orders (daily model: a purchase every ~40 days, ~8 before leaving)
    let busy = BgNbdParams {
        r: 1.0,
        alpha: 40.0,
        a: 1.0,
        b: 8.0,
    };
    let sim = SimulationOptions {
        seed: 1,
        end_day,
        acquisition_days: 3 * 365,
        unit: TimeUnit::Day,
    };
    let t0 = Instant::now();
    let mut o = simulate_bg_nbd_orders(2_000_000, &busy, spend, &sim);
    o.customer.truncate(10_000_000);
    o.day.truncate(10_000_000);
    o.amount.truncate(10_000_000);
    let customers = *o.customer.last().unwrap() as usize + 1;
    println!(
        "generated {} orders of {customers} customers in {:.0} ms",
        o.customer.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let opts = SummaryOptions {
        as_of: Some(end_day),
        unit: TimeUnit::Week,
        ..Default::default()
    };
    if std::env::var("BTYD_PERF_GROUPED_ONLY").is_ok() {
        let (med, min, _) = time(15, || {
            summarize(&o.customer, &o.day, &o.amount, &opts).unwrap()
        });
        println!("summarize 10M orders, grouped by customer: median {med:.1} ms (cpu {min:.1})");
        return;
    }
    let (med, min, s) = time(3, || {
        summarize(&o.customer, &o.day, &o.amount, &opts).unwrap()
    });
    println!(
        "summarize 10M orders, grouped by customer: median {med:.1} ms (cpu {min:.1}), {} rows",
        s.len()
    );
    let hold = SummaryOptions {
        calibration_end: Some(end_day - 180),
        ..opts.clone()
    };
    let (med, min, _) = time(3, || {
        summarize(&o.customer, &o.day, &o.amount, &hold).unwrap()
    });
    println!("  … with calibration/holdout split:          median {med:.1} ms (cpu {min:.1})");
    // Date-sorted (a typical export): customers interleave, each still in date order.
    let mut idx: Vec<u32> = (0..o.customer.len() as u32).collect();
    idx.sort_by_key(|&i| (o.day[i as usize], i));
    let c2: Vec<u32> = idx.iter().map(|&i| o.customer[i as usize]).collect();
    let d2: Vec<i32> = idx.iter().map(|&i| o.day[i as usize]).collect();
    let a2: Vec<f64> = idx.iter().map(|&i| o.amount[i as usize]).collect();
    let (med, min, s2) = time(3, || summarize(&c2, &d2, &a2, &opts).unwrap());
    assert_eq!(s2.frequency, s.frequency);
    println!("summarize 10M orders, sorted by date:        median {med:.1} ms (cpu {min:.1})");
    // Shuffled: most customers take the counting-sort path.
    let mut rng = Rng::new(5);
    for i in (1..idx.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        idx.swap(i, j);
    }
    let c3: Vec<u32> = idx.iter().map(|&i| o.customer[i as usize]).collect();
    let d3: Vec<i32> = idx.iter().map(|&i| o.day[i as usize]).collect();
    let a3: Vec<f64> = idx.iter().map(|&i| o.amount[i as usize]).collect();
    let (med, min, s3) = time(3, || summarize(&c3, &d3, &a3, &opts).unwrap());
    assert_eq!(s3.frequency, s.frequency);
    println!("summarize 10M orders, shuffled rows:         median {med:.1} ms (cpu {min:.1})");
}

fn fit_part(end_day: i32, spend: &GammaGammaParams) {
    // ---- 2. BG/NBD fit, 1M customers, weekly model with CDNOW-like parameters
    let truth = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    let sim = SimulationOptions {
        seed: 2,
        end_day,
        acquisition_days: 3 * 365,
        unit: TimeUnit::Week,
    };
    let o = simulate_bg_nbd_orders(1_000_000, &truth, spend, &sim);
    let s = summarize(
        &o.customer,
        &o.day,
        &o.amount,
        &SummaryOptions {
            as_of: Some(end_day),
            unit: TimeUnit::Week,
            ..Default::default()
        },
    )
    .unwrap();
    println!(
        "\n1M customers, {} orders (weekly BG/NBD, truth {truth:?})",
        o.customer.len()
    );
    let (med, min, f) = time(3, || {
        fit_bg_nbd(&s.frequency, &s.recency, &s.age, &FitOptions::default()).unwrap()
    });
    println!(
        "fit_bg_nbd: median {med:.1} ms (cpu {min:.1}); {} distinct rows of {}, {} iterations, converged {}",
        f.distinct_rows, f.customers, f.iterations, f.converged
    );
    let se = f.standard_errors.unwrap();
    println!(
        "  r {:.4} ± {:.4}, alpha {:.4} ± {:.4}, a {:.4} ± {:.4}, b {:.4} ± {:.4}, LL {:.1}",
        f.params.r,
        se.r,
        f.params.alpha,
        se.alpha,
        f.params.a,
        se.a,
        f.params.b,
        se.b,
        f.log_likelihood
    );
    // Continuous-time summaries (no day rounding of purchase times): clean recovery.
    let [cx, ctx, ct] =
        crmscore::btyd::simulate::simulate_bg_nbd_summaries(1_000_000, &truth, 156.0, 3);
    let (med, min, c) = time(3, || {
        fit_bg_nbd(&cx, &ctx, &ct, &FitOptions::default()).unwrap()
    });
    let se = c.standard_errors.unwrap();
    println!(
        "fit_bg_nbd, continuous-time 1M: median {med:.1} ms (cpu {min:.1}); {} distinct rows, {} iterations; \
         r {:.4} ± {:.4}, alpha {:.4} ± {:.4}, a {:.4} ± {:.4}, b {:.4} ± {:.4}",
        c.distinct_rows, c.iterations, c.params.r, se.r, c.params.alpha, se.alpha, c.params.a, se.a, c.params.b, se.b
    );
    let (med, min, m) = time(1, || {
        fit_mbg_nbd(&s.frequency, &s.recency, &s.age, &FitOptions::default()).unwrap()
    });
    println!(
        "fit_mbg_nbd: {med:.1} ms (cpu {min:.1}); {} iterations",
        m.iterations
    );
    if std::env::var("BTYD_PERF_PARETO").is_ok() {
        let (med, _, p) = time(1, || {
            fit_pareto_nbd(&s.frequency, &s.recency, &s.age, &FitOptions::default()).unwrap()
        });
        println!("fit_pareto_nbd: {med:.1} ms; {} iterations", p.iterations);
    }

    // ---- 3. Gamma-Gamma and CLV
    let (med, min, g) = time(3, || {
        fit_gamma_gamma(&s.frequency, &s.monetary_value, &FitOptions::default()).unwrap()
    });
    println!(
        "fit_gamma_gamma: median {med:.1} ms (cpu {min:.1}); {} customers, {} distinct, {} iterations; p {:.3} q {:.3} gamma {:.3} (truth {spend:?})",
        g.customers, g.distinct_rows, g.iterations, g.params.p, g.params.q, g.params.gamma
    );
    let model = TransactionModel::BgNbd(f.params);
    let copts = ClvOptions {
        steps: 12,
        step_length: 365.2425 / 12.0 / 7.0,
        discount_rate: 0.01,
    };
    let (med, min, v) = time(3, || {
        clv(
            &model,
            &g.params,
            &s.frequency,
            &s.recency,
            &s.age,
            &s.monetary_value,
            &copts,
        )
        .unwrap()
    });
    let total: f64 = v.iter().sum();
    println!(
        "clv 12 monthly steps, 1M customers: median {med:.1} ms (cpu {min:.1}); mean CLV {:.2}",
        total / v.len() as f64
    );
    let (med, min, _) = time(3, || {
        model
            .p_alive_many(&s.frequency, &s.recency, &s.age)
            .unwrap()
    });
    println!("p_alive 1M: median {med:.1} ms (cpu {min:.1})");
    let (med, min, _) = time(3, || {
        model
            .expected_purchases_many(52.0, &s.frequency, &s.recency, &s.age)
            .unwrap()
    });
    println!("expected_purchases(52) 1M: median {med:.1} ms (cpu {min:.1})");
}
