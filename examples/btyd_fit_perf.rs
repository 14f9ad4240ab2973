//! Fit times of the start strategy before issue 14 (one Newton run; Pareto/NBD with the
//! ₂F₁-series/quadrature evaluation and finite-difference derivatives) and now
//! (multi-start; Pareto/NBD with the analytic gradient and Hessian), side by side:
//! `cargo run --release --example btyd_fit_perf`.
//!
//! Wall-clock median of `runs` and the smallest on-CPU time (from
//! /proc/thread-self/schedstat, so that other jobs on a shared machine inflate only the
//! wall-clock figure).
use crmscore::btyd::simulate::*;
use crmscore::btyd::*;

#[path = "util/timing.rs"]
mod timing;
use timing::time;

/// `cargo run --release --example btyd_fit_perf [filter]`: only rows whose label
/// contains `filter` (e.g. `Pareto`).
fn row<P>(what: &str, runs: usize, old: impl FnMut() -> Fit<P>, new: impl FnMut() -> Fit<P>) {
    if std::env::args()
        .nth(1)
        .is_some_and(|f| !what.contains(f.as_str()))
    {
        return;
    }
    let (ow, oc, o) = time(runs, old);
    let (nw, nc, n) = time(runs, new);
    println!(
        "{what:<44} rows {:>7} | old {ow:>8.1} ms (cpu {oc:>8.1}) LL {:>15.3} conv {:<5} it {:>3} | new {nw:>8.1} ms (cpu {nc:>8.1}) LL {:>15.3} conv {:<5} it {:>3} | LL gain {:.4}",
        n.distinct_rows, o.log_likelihood, o.converged, o.iterations, n.log_likelihood, n.converged, n.iterations,
        n.log_likelihood - o.log_likelihood
    );
}

fn main() {
    let o = FitOptions::default();
    let end_day = crmscore::dates::days_from_civil(2026, 6, 30) as i32;
    let spend = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    let truth = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    // The btyd_perf / bench data: simulated orders over 3 years, weekly summaries.
    for (n, runs) in [(100_000usize, 5usize), (1_000_000, 3)] {
        let sim = SimulationOptions {
            seed: 2,
            end_day,
            acquisition_days: 3 * 365,
            unit: TimeUnit::Week,
        };
        let ord = simulate_bg_nbd_orders(n, &truth, &spend, &sim);
        let s = summarize(
            &ord.customer,
            &ord.day,
            &ord.amount,
            &SummaryOptions {
                as_of: Some(end_day),
                unit: TimeUnit::Week,
                ..Default::default()
            },
        )
        .unwrap();
        let (x, tx, t, m) = (&s.frequency, &s.recency, &s.age, &s.monetary_value);
        row(
            &format!("BG/NBD {n} customers (weekly, orders)"),
            runs,
            || legacy::fit_bg_nbd_single_start(x, tx, t, &o).unwrap(),
            || fit_bg_nbd(x, tx, t, &o).unwrap(),
        );
        row(
            &format!("MBG/NBD {n} customers"),
            runs,
            || legacy::fit_mbg_nbd_single_start(x, tx, t, &o).unwrap(),
            || fit_mbg_nbd(x, tx, t, &o).unwrap(),
        );
        row(
            &format!("Gamma-Gamma {n} customers"),
            runs,
            || legacy::fit_gamma_gamma_single_start(x, m, &o).unwrap(),
            || fit_gamma_gamma(x, m, &o).unwrap(),
        );
    }
    // Continuous-time summaries: every row distinct (the most expensive case).
    let [cx, ctx, ct] = simulate_bg_nbd_summaries(1_000_000, &truth, 156.0, 3);
    row(
        "BG/NBD 1M continuous-time (all rows distinct)",
        3,
        || legacy::fit_bg_nbd_single_start(&cx, &ctx, &ct, &o).unwrap(),
        || fit_bg_nbd(&cx, &ctx, &ct, &o).unwrap(),
    );
    // Issue-14 shape (23,500 customers, weekly, 39 weeks).
    let [x, tx, t] = simulate_summaries_in_days(
        23_500,
        &Process::BgNbd(BgNbdParams {
            r: 1.0,
            alpha: 8.0,
            a: 0.2,
            b: 5.0,
        }),
        273,
        TimeUnit::Week,
        2,
    );
    row(
        "BG/NBD issue-14 shape, 23,500",
        5,
        || legacy::fit_bg_nbd_single_start(&x, &tx, &t, &o).unwrap(),
        || fit_bg_nbd(&x, &tx, &t, &o).unwrap(),
    );
    // Pareto/NBD: ~2,500 and ~5,000 distinct rows (CDNOW-like parameters, whole days).
    let pn = Process::ParetoNbd(ParetoNbdParams {
        r: 0.55,
        alpha: 10.6,
        s: 0.6,
        beta: 11.7,
    });
    for (n, acq, unit, seed, label) in [
        (
            6_000,
            365,
            TimeUnit::Week,
            1,
            "Pareto/NBD 6,000 weekly (old fit fails)",
        ),
        (6_000, 365, TimeUnit::Day, 1, "Pareto/NBD 6,000 daily"),
        (13_000, 365, TimeUnit::Day, 3, "Pareto/NBD 13,000 daily"),
        (60_000, 365, TimeUnit::Week, 4, "Pareto/NBD 60,000 weekly"),
    ] {
        let [x, tx, t] = simulate_summaries_in_days(n, &pn, acq, unit, seed);
        row(
            label,
            1,
            || legacy::fit_pareto_nbd_single_start(&x, &tx, &t, &o).unwrap(),
            || fit_pareto_nbd(&x, &tx, &t, &o).unwrap(),
        );
    }
}
