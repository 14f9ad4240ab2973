//! Simulation from the BG/NBD + Gamma-Gamma processes with known parameters (for the
//! benchmarks and parameter-recovery checks). Deterministic: same seed, same data.

use super::{BgNbdParams, GammaGammaParams, TimeUnit};
use crate::sample::Rng;

/// Options of [`simulate_bg_nbd_orders`].
#[derive(Clone, Debug, PartialEq)]
pub struct SimulationOptions {
    pub seed: u64,
    /// Last day of observation (epoch day); no order falls after it.
    pub end_day: i32,
    /// First purchases are spread uniformly over this many days ending at `end_day`.
    pub acquisition_days: u32,
    /// Unit in which the model's rates (α) are expressed.
    pub unit: TimeUnit,
}

/// Simulated orders, columnar.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulatedOrders {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    pub end_day: i32,
}

const MAX_ORDERS_PER_CUSTOMER: usize = 100_000;

/// Orders of `customers` customers following BG/NBD (λ ~ Gamma(r, rate α) per unit,
/// p ~ Beta(a, b); after every repeat purchase the customer leaves with probability p)
/// with spend per order from Gamma-Gamma (ν ~ Gamma(q, rate γ); amount ~ Gamma(p, rate ν)).
/// Purchase times are continuous and recorded as the calendar day they fall on (two
/// purchases can share a day, which `summarize` then merges).
pub fn simulate_bg_nbd_orders(
    customers: usize,
    params: &BgNbdParams,
    spend: &GammaGammaParams,
    opts: &SimulationOptions,
) -> SimulatedOrders {
    let mut rng = Rng::new(opts.seed);
    let unit = opts.unit.days();
    let window = opts.acquisition_days.max(1) as f64;
    let mut out = SimulatedOrders {
        customer: Vec::with_capacity(customers * 2),
        day: Vec::with_capacity(customers * 2),
        amount: Vec::with_capacity(customers * 2),
        end_day: opts.end_day,
    };
    for c in 0..customers {
        let lambda = rng.gamma(params.r, 1.0 / params.alpha) / unit; // per day
        let p = rng.beta(params.a, params.b);
        let nu = rng.gamma(spend.q, 1.0 / spend.gamma);
        let first = opts.end_day - (rng.uniform() * window) as i32;
        let start = first as f64 + rng.uniform(); // continuous time within the first day
        let mut t = start;
        for k in 0..MAX_ORDERS_PER_CUSTOMER {
            let d = t.floor() as i32;
            if d > opts.end_day {
                break;
            }
            out.customer.push(c as u32);
            out.day.push(if k == 0 { first } else { d });
            out.amount.push(rng.gamma(spend.p, 1.0 / nu));
            if k > 0 && rng.uniform() < p {
                break;
            }
            if lambda <= 0.0 {
                break;
            }
            t += rng.exponential(lambda);
        }
    }
    out
}

/// Continuous-time BG/NBD summaries (x, t_x, T) of `customers` customers whose ages T
/// are uniform on (0, `max_age`] (model units): no day rounding, for exact
/// parameter-recovery checks.
pub fn simulate_bg_nbd_summaries(
    customers: usize,
    params: &BgNbdParams,
    max_age: f64,
    seed: u64,
) -> [Vec<f64>; 3] {
    let mut rng = Rng::new(seed);
    let (mut xs, mut txs, mut ts) = (
        Vec::with_capacity(customers),
        Vec::with_capacity(customers),
        Vec::with_capacity(customers),
    );
    for _ in 0..customers {
        let lambda = rng.gamma(params.r, 1.0 / params.alpha);
        let p = rng.beta(params.a, params.b);
        let age = max_age * (1.0 - rng.uniform());
        let (mut x, mut tx, mut t) = (0.0, 0.0, 0.0);
        for _ in 0..MAX_ORDERS_PER_CUSTOMER {
            if lambda <= 0.0 {
                break;
            }
            t += rng.exponential(lambda);
            if t > age {
                break;
            }
            x += 1.0;
            tx = t;
            if rng.uniform() < p {
                break;
            }
        }
        xs.push(x);
        txs.push(tx);
        ts.push(age);
    }
    [xs, txs, ts]
}

/// The process behind [`simulate_summaries_in_days`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Process {
    BgNbd(BgNbdParams),
    ParetoNbd(super::ParetoNbdParams),
}

/// Summaries (x, t_x, T) as real data have them: `customers` customers whose first
/// purchase falls on a whole day uniform in the last `acquisition_days` days before the
/// end of calibration (so T runs from 0 to `acquisition_days − 1` days); purchases
/// happen in continuous time following `process` (rates in `unit`), are recorded as the
/// whole day they fall on, and purchases on an already counted day merge into it (as
/// [`super::summarize`] does). x counts repeat purchase days; t_x and T are whole days
/// expressed in `unit`.
pub fn simulate_summaries_in_days(
    customers: usize,
    process: &Process,
    acquisition_days: u32,
    unit: TimeUnit,
    seed: u64,
) -> [Vec<f64>; 3] {
    let mut rng = Rng::new(seed);
    let u = unit.days();
    let window = acquisition_days.max(1) as f64;
    let (mut xs, mut txs, mut ts) = (
        Vec::with_capacity(customers),
        Vec::with_capacity(customers),
        Vec::with_capacity(customers),
    );
    for _ in 0..customers {
        // Age in whole days; the first purchase happens during its day.
        let age_days = (rng.uniform() * window).floor().min(window - 1.0);
        let start = rng.uniform();
        // Rates per day; the BG/NBD dropout probability or the Pareto/NBD death time.
        let (lambda, p, death) = match process {
            Process::BgNbd(q) => (
                rng.gamma(q.r, 1.0 / q.alpha) / u,
                rng.beta(q.a, q.b),
                f64::INFINITY,
            ),
            Process::ParetoNbd(q) => {
                let lambda = rng.gamma(q.r, 1.0 / q.alpha) / u;
                let mu = rng.gamma(q.s, 1.0 / q.beta) / u;
                let death = if mu > 0.0 {
                    start + rng.exponential(mu)
                } else {
                    f64::INFINITY
                };
                (lambda, 0.0, death)
            }
        };
        let end = age_days + 1.0; // purchases before the end of the last observed day
        let (mut x, mut last_day, mut t) = (0.0, 0.0, start);
        for _ in 0..MAX_ORDERS_PER_CUSTOMER {
            if lambda <= 0.0 {
                break;
            }
            t += rng.exponential(lambda);
            if t >= end || t >= death {
                break;
            }
            let d = t.floor();
            if d > last_day {
                x += 1.0;
                last_day = d;
            }
            if p > 0.0 && rng.uniform() < p {
                break;
            }
        }
        xs.push(x);
        txs.push(last_day / u);
        ts.push(age_days / u);
    }
    [xs, txs, ts]
}
