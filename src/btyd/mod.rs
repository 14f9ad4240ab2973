//! Customer lifetime value with "buy till you die" (BTYD) models.
//!
//! Pipeline: orders → [`summarize`] → per-customer (frequency `x`, recency `t_x`,
//! age `T`, monetary value) → a transaction model fit ([`fit_bg_nbd`],
//! [`fit_mbg_nbd`], [`fit_pareto_nbd`]) and a spend model fit ([`fit_gamma_gamma`]) →
//! predictions ([`TransactionModel`], [`GammaGammaParams::expected_spend`]) → [`clv`].
//!
//! Conventions:
//! - Everything is columnar: slices in, `Vec` out; rows are customers.
//! - Time is in one model unit throughout (the unit chosen in [`summarize`]): recency,
//!   age, horizons, and the fitted rate scale α (β) are all in it.
//! - `frequency` counts *repeat* purchase days (the first purchase is not counted), as
//!   in the literature and Python `lifetimes`.
//! - Nothing panics on bad input: every public function validates and returns an
//!   [`Error`] naming the row and field (`invalid_value` for summaries,
//!   `invalid_option` for options, `invalid_model` for model parameters given to
//!   predictions, e.g. a Gamma-Gamma `q ≤ 1`).
//! - Fits never return NaN or ±∞: a parameter the data do not identify stops at a
//!   bound (1e-8 or 1e8, on the internal time scale) or far out on a ridge, and the fit
//!   reports `converged = false` with a reason that names the parameters, the direction
//!   and what the limit means for the model (e.g. "a and b grow without limit together:
//!   the dropout probability after a purchase is the same for every customer"); it says
//!   so only when no start found a maximum at finite values.
//!
//! Model formulas and the published values the tests check are in
//! `tests/fixtures/reference/btyd/README.md` (Fader, Hardie & Lee 2005; Hardie's notes).
//!
//! # API at a glance
//! ```text
//! summarize(customer: &[u32], day: &[i32], amount: &[f64], &SummaryOptions) -> Result<Summaries>
//! fit_bg_nbd / fit_mbg_nbd / fit_pareto_nbd(frequency, recency, age, &FitOptions) -> Result<Fit<Params>>
//! fit_gamma_gamma(frequency, monetary_value, &FitOptions) -> Result<Fit<GammaGammaParams>>
//! TransactionModel::{BgNbd, MbgNbd, ParetoNbd}(params)
//!     .p_alive_many(frequency, recency, age) -> Result<Vec<f64>>
//!     .expected_purchases_many(t, frequency, recency, age) -> Result<Vec<f64>>
//!     .p_alive(x, t_x, T) / .expected_purchases(t, x, t_x, T) / .expected_purchases_new(t)  (scalar)
//! BgNbdParams::probability_of_purchases(n, t)                       P(X(t) = n), new customer
//! GammaGammaParams::expected_spend(x, m) / expected_spend_many(frequency, monetary_value)
//! clv(&TransactionModel, &GammaGammaParams, frequency, recency, age, monetary_value, &ClvOptions) -> Result<Vec<f64>>
//! simulate::simulate_bg_nbd_orders / simulate_bg_nbd_summaries        (benchmarks, recovery checks)
//! ```
//! Error fields: `customerIndex`, `date`, `amount` ([`summarize`]); `frequency`, `recency`,
//! `age`, `monetaryValue` (summaries given to fits and predictions); option paths
//! `asOf`, `calibrationEnd`, `customerCount`, `penalizer`, `maxIter`, `tol`, `initial[i]`,
//! `t`, `steps`, `stepLength`, `discountRate`; model parameters `r`, `alpha`, `a`, `b`,
//! `s`, `beta`, `p`, `q`, `gamma` (code `invalid_model`).
//!
//! # Numerics
//! - Log-likelihoods are summed in log space (`softplus` / `logaddexp`); P(alive) is
//!   1/(1 + eᵘ), which underflows to 0 rather than overflowing.
//! - The conditional expectations need the Gauss hypergeometric ₂F₁ at z = t/(α+T+t).
//!   It is summed after Euler's transformation, where the terms fall like
//!   n^(a−r−x−2)·zⁿ (fast for large x), with the 1/(a−1) factor folded in so that a ≈ 1
//!   is exact, and with a running scale so that no term overflows; the series stops when
//!   its geometric tail bound is below 1e-17 of the sum (at most 2,000,000 terms, reached
//!   only for horizons t ≫ α+T). Pareto/NBD's ₂F₁(r+s+x, ·; r+s+x+1; z) (predictions,
//!   `log_likelihood`) is summed the same way, and replaced by Gauss–Legendre quadrature
//!   of the underlying integral when z > 0.95 (one rate scale far larger than the other),
//!   where the series is slow. The Pareto/NBD *fit* integrates instead (`pareto_quad`):
//!   one Gauss–Legendre quadrature per gap between a frequency group's distinct t_x and T
//!   values gives the integral and its parameter derivatives at once (agreement with the
//!   ₂F₁ series ≤ 1e-9 relative in the unit tests).
//! - Fits: Newton's method on the log parameters (analytic gradient and Hessian for all
//!   four models), with Levenberg–Marquardt damping and an Armijo line search; identical
//!   rows collapsed into weights; times scaled by the largest age inside the fit (as
//!   lifetimes does).
//! - Starts: one Newton run can end on a far, flat ridge (e.g. BG/NBD a, b →
//!   ∞) well below the maximum. Without `initial`, a fit scores 10–19 candidate starts
//!   (lifetimes' e^0.1; moment estimates of the purchase rates combined with several
//!   dropout or spend distributions; points around them on the log scale) by their
//!   likelihood and runs Newton from the best, spread out, until two runs converge to the
//!   same optimum after a minimum number of runs (BG/NBD family: every candidate on small
//!   data, ≥ 5; Pareto/NBD ≥ 2; Gamma-Gamma all 8), trying more when the best ends on a
//!   bound or a ridge (`optim::multi_start`). Fits of ≥ 100,000 customers do this on a
//!   50,000-customer strided subsample and run once on the full data from its result
//!   (all starts again if that run does not converge). With `initial`, one run starts
//!   there, and the other starts only follow if it ends on a bound or does not converge.
//!   `tests/btyd_grid.rs` checks this on 30 simulated data sets.
//!
//! # Cost
//! `summarize` is linear in the orders: one validation and one accumulation pass into a
//! 32-byte record per customer; input whose customers interleave (sorted by date, random
//! order) is first partitioned by customer range (14 bytes per order of temporary memory).
//! A fit's cost grows with its distinct rows (identical rows are collapsed into weights)
//! and its Newton runs; fits of ≥ 100,000 customers run the several starts on a subsample
//! only (see Starts). Measured timings (`cargo run --release --example btyd_perf` and
//! `btyd_fit_perf`, and in Node): README, "Design".
//!

mod bgnbd;
mod clv;
mod collapse;
mod gamma_gamma;
mod lifetime;
mod optim;
mod pareto;
mod pareto_quad;
mod read_options;
mod saved;
pub mod simulate;
mod special;
mod summary;

pub use bgnbd::{fit_bg_nbd, fit_mbg_nbd, BgNbdParams, MbgNbdParams};

/// The single-start fits as they were before the multi-start search (one Newton run from `initial`,
/// from the subsample fit for ≥ 200,000 customers, or from lifetimes' e^0.1), kept only
/// so that the benchmark and the test grid can compare against them. Not part of the API.
#[doc(hidden)]
pub mod legacy {
    use super::{bgnbd, gamma_gamma, pareto};
    use super::{BgNbdParams, Fit, FitOptions, GammaGammaParams, MbgNbdParams, ParetoNbdParams};
    use crate::error::Error;

    /// One Newton run from `initial`, else (≥ 200,000 customers) from the fit of a
    /// subsample, else from lifetimes' e^0.1.
    pub fn fit_bg_nbd_single_start(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        opts: &FitOptions,
    ) -> Result<Fit<BgNbdParams>, Error> {
        bgnbd::fit_bg_nbd_with(frequency, recency, age, opts, bgnbd::Strategy::Single)
    }

    /// As [`fit_bg_nbd_single_start`], for MBG/NBD.
    pub fn fit_mbg_nbd_single_start(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        opts: &FitOptions,
    ) -> Result<Fit<MbgNbdParams>, Error> {
        bgnbd::fit_mbg_nbd_with(frequency, recency, age, opts, bgnbd::Strategy::Single)
    }

    /// The Pareto/NBD fit before the multi-start search: one run, with the old evaluation (₂F₁ series
    /// or quadrature per row, finite-difference gradient and Hessian).
    pub fn fit_pareto_nbd_single_start(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        opts: &FitOptions,
    ) -> Result<Fit<ParetoNbdParams>, Error> {
        pareto::fit_pareto_nbd_legacy(frequency, recency, age, opts)
    }

    /// One Pareto/NBD Newton run with today's evaluation (analytic derivatives).
    pub fn fit_pareto_nbd_single_run(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        opts: &FitOptions,
    ) -> Result<Fit<ParetoNbdParams>, Error> {
        pareto::fit_pareto_nbd_single_run(frequency, recency, age, opts)
    }

    /// One Gamma-Gamma Newton run from `initial` (or the old default start).
    pub fn fit_gamma_gamma_single_start(
        frequency: &[f64],
        monetary_value: &[f64],
        opts: &FitOptions,
    ) -> Result<Fit<GammaGammaParams>, Error> {
        gamma_gamma::fit_gamma_gamma_with(frequency, monetary_value, opts, false)
    }
}
pub use clv::{clv, ClvOptions, TransactionModel};
pub use gamma_gamma::{fit_gamma_gamma, GammaGammaParams};
pub use lifetime::{activity_summaries, lifetime_columns, p_alive_per_customer, LifetimeColumns};
pub use pareto::{fit_pareto_nbd, ParetoNbdParams};
pub use saved::{params_json, FitInfo, SavedSpendModel, SavedTransactionModel};
pub use summary::{summarize, Holdout, Summaries, SummaryOptions, MAX_CUSTOMERS};

use crate::error::{describe_number, Error, ErrorCode, TableName};

/// The time unit of summaries and models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimeUnit {
    #[default]
    Day,
    /// 7 days (lifetimes `freq="D", freq_multiplier=7`).
    Week,
    /// The mean Gregorian month, 365.2425 / 12 = 30.436875 days. Purchases are still
    /// grouped per calendar *day*; only the durations are divided by 30.436875.
    ///
    /// lifetimes has no exact equivalent: `freq_multiplier` is an integer, and its
    /// `freq="M"` first snaps every order to the first day of its calendar month (so all
    /// orders of a month become one purchase) and then divides day differences by
    /// `np.timedelta64(1, "M")`, which old pandas took as 30.436875 days and pandas ≥ 2
    /// rejects ("Unit M is not supported"). Our month keeps daily purchase grouping and
    /// that same 30.436875-day length.
    Month,
}

impl TimeUnit {
    /// Length of the unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.2425 / 12.0,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
        }
    }
}

/// Options of the model fits.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// L2 penalty as in lifetimes: the fit minimises
    /// `−LL / (number of customers) + penalizer · Σ params²`, with the parameters on the
    /// internal time scale (times divided by the largest age, as lifetimes does). Default 0.
    pub penalizer: f64,
    /// Newton iterations at most. Default 200.
    pub max_iter: u32,
    /// Convergence: the largest gradient component of the objective above, with respect
    /// to the log parameters, is ≤ `tol`. Default 1e-8.
    pub tol: f64,
    /// Starting parameters in the model's natural order and units (r, α, a, b for
    /// BG/NBD; r, α, s, β for Pareto/NBD; p, q, γ for Gamma-Gamma). Default: none —
    /// several starts (see the module documentation); with `initial`, Newton starts
    /// there, and tries the other starts only if that run ends on a bound or does not
    /// converge.
    pub initial: Option<Vec<f64>>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            penalizer: 0.0,
            max_iter: 200,
            tol: 1e-8,
            initial: None,
        }
    }
}

impl FitOptions {
    fn validate(&self, k: usize) -> Result<(), Error> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(Error::option(
                "penalizer",
                format!(
                    "penalizer must be a finite number ≥ 0, got {}",
                    describe_number(self.penalizer)
                ),
            ));
        }
        if self.max_iter == 0 || self.max_iter > 100_000 {
            return Err(Error::option(
                "maxIter",
                format!("maxIter must be 1..100000, got {}", self.max_iter),
            ));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::option(
                "tol",
                format!(
                    "tol must be a finite number > 0, got {}",
                    describe_number(self.tol)
                ),
            ));
        }
        if let Some(init) = &self.initial {
            if init.len() != k {
                return Err(Error::option(
                    "initial",
                    format!("initial must hold {k} parameters, got {}", init.len()),
                ));
            }
            for (i, &v) in init.iter().enumerate() {
                if !(v.is_finite() && v > 0.0) {
                    return Err(Error::option(
                        format!("initial[{i}]"),
                        format!(
                            "initial parameters must be finite and > 0, got {}",
                            describe_number(v)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The result of a fit. `P` is the model's parameter struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit<P> {
    pub params: P,
    /// Log-likelihood of the data at `params` (penalty not included), in the data's units.
    pub log_likelihood: f64,
    /// Delta-method standard errors from the Hessian of the fitted objective on the log
    /// scale (as lifetimes computes them). None when that Hessian is not positive
    /// definite or a parameter sits at a bound.
    pub standard_errors: Option<P>,
    pub converged: bool,
    /// Why the fit did not converge (None when it did).
    pub reason: Option<String>,
    pub iterations: u32,
    /// Customers (rows) used by the fit.
    pub customers: usize,
    /// Distinct rows after collapsing identical ones into weights.
    pub distinct_rows: usize,
}

/// Fits of more customers than this start from the (multi-start) fit of a strided
/// subsample of [`WARM_START_SAMPLE`] customers (same model, looser tolerance) unless
/// `initial` is given: Newton then needs two or three iterations on the full data, and
/// the several starts cost only on the subsample. The result is the full-data optimum
/// either way (all starts run on the full data if that run does not converge).
pub(crate) const WARM_START_MIN: usize = 100_000;
/// The same threshold of the single-start fits ([`legacy`]).
pub(crate) const LEGACY_WARM_START_MIN: usize = 200_000;
pub(crate) const WARM_START_SAMPLE: usize = 50_000;

/// Moment estimates (r, α) of the Gamma-distributed purchase rate, a start for the NBD part
/// of the fits: from weighted sums over buyers of the observed rate ρ = x / t — w = Σ weight,
/// s1 = Σ weight·ρ, s2 = Σ weight·ρ², noise = Σ weight·ρ/t (the Poisson part of the variance,
/// taken off). Mean 0.1 without buyers; shape 5 when the variance is not positive.
pub(crate) fn rate_moments(w: f64, s1: f64, s2: f64, noise: f64) -> (f64, f64) {
    let mean = if w > 0.0 && s1 > 0.0 { s1 / w } else { 0.1 };
    let var = if w > 0.0 {
        s2 / w - mean * mean - noise / w
    } else {
        0.0
    };
    let r0 = if var > 0.0 {
        (mean * mean / var).clamp(0.05, 20.0)
    } else {
        5.0
    };
    (r0, r0 / mean)
}

/// The strided subsample (frequency, recency, age) of a warm start.
pub(crate) fn warm_sample(frequency: &[f64], recency: &[f64], age: &[f64]) -> [Vec<f64>; 3] {
    let step = (frequency.len() / WARM_START_SAMPLE).max(1);
    let pick = |v: &[f64]| v.iter().step_by(step).copied().collect::<Vec<f64>>();
    [pick(frequency), pick(recency), pick(age)]
}

/// Lower and upper bound of every parameter during a fit (internal time scale).
pub(crate) const PARAM_MIN: f64 = 1e-8;
pub(crate) const PARAM_MAX: f64 = 1e8;

pub(crate) fn check_len(names: &[&str], lens: &[usize]) -> Result<usize, Error> {
    let n = lens[0];
    if lens.iter().any(|&l| l != n) {
        let list: Vec<String> = names
            .iter()
            .zip(lens)
            .map(|(a, l)| format!("{a} {l}"))
            .collect();
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("input columns differ in length ({})", list.join(", ")),
        ));
    }
    Ok(n)
}

fn bad(row: usize, field: &str, detail: String) -> Error {
    Error::cell(
        ErrorCode::InvalidValue,
        TableName::Summaries,
        row,
        field,
        detail,
    )
}

/// Validate (frequency, recency, age) summaries, lifetimes' rules: frequency a whole
/// number ≥ 0; recency and age finite ≥ 0; recency ≤ age; recency 0 when frequency is 0.
#[allow(clippy::manual_range_contains)] // the branch-free `&` form vectorizes
pub(crate) fn validate_summaries(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
) -> Result<usize, Error> {
    let n = check_len(
        &["frequency", "recency", "T"],
        &[frequency.len(), recency.len(), age.len()],
    )?;
    // Branch-free check (vectorizes); the row-by-row pass below only runs to name the row.
    let mut ok = true;
    for i in 0..n {
        let (x, tx, t) = (frequency[i], recency[i], age[i]);
        ok &= (x >= 0.0)
            & (x <= 1e9)
            & ((x as i32) as f64 == x)
            & (tx >= 0.0)
            & (tx <= t)
            & (t < f64::INFINITY)
            & ((x > 0.0) | (tx == 0.0));
    }
    if ok {
        return Ok(n);
    }
    for i in 0..n {
        let (x, tx, t) = (frequency[i], recency[i], age[i]);
        if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 1e9) {
            return Err(bad(
                i,
                "frequency",
                format!(
                    "frequency must be a whole number 0..1e9, got {}",
                    describe_number(x)
                ),
            ));
        }
        if !(tx.is_finite() && tx >= 0.0) {
            return Err(bad(
                i,
                "recency",
                format!(
                    "recency must be a finite number ≥ 0, got {}",
                    describe_number(tx)
                ),
            ));
        }
        if !(t.is_finite() && t >= 0.0) {
            return Err(bad(
                i,
                "T",
                format!("T must be a finite number ≥ 0, got {}", describe_number(t)),
            ));
        }
        if tx > t {
            return Err(bad(
                i,
                "recency",
                format!("recency {tx} is greater than T {t}"),
            ));
        }
        if x == 0.0 && tx != 0.0 {
            return Err(bad(
                i,
                "recency",
                format!("recency must be 0 when frequency is 0, got {tx}"),
            ));
        }
    }
    Ok(n)
}

pub(crate) fn model_error(field: &str, detail: String) -> Error {
    Error::new(ErrorCode::InvalidModel, detail).field(field)
}

/// Check model parameters given to predictions: finite and > 0.
pub(crate) fn check_params(names: &[&str], values: &[f64]) -> Result<(), Error> {
    for (n, &v) in names.iter().zip(values) {
        if !(v.is_finite() && v > 0.0) {
            return Err(model_error(
                n,
                format!(
                    "model parameter {n} must be finite and > 0, got {}",
                    describe_number(v)
                ),
            ));
        }
    }
    Ok(())
}

/// Horizon / step values given to predictions: finite ≥ 0.
pub(crate) fn check_time(field: &str, t: f64) -> Result<(), Error> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(Error::option(
            field,
            format!(
                "{field} must be a finite number ≥ 0, got {}",
                describe_number(t)
            ),
        ))
    }
}

/// Which model a fit belongs to (for the explanation of a parameter that runs away).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    BgNbd,
    MbgNbd,
    ParetoNbd,
    GammaGamma,
}

/// Parameters beyond this (or below its inverse) on the fit's time scale, at the end of
/// a fit that did not converge or on a ridge, are the ones running away.
const RUNAWAY: f64 = 1e3;

/// What it means for the model when parameters run to 0 or ∞: `dir[i]` is −1 (→ 0),
/// +1 (→ ∞) or 0; `p` the natural parameters. Pairs that run away together are
/// described together (their ratio stays finite: a distribution collapses to its mean).
fn explain(kind: Kind, dir: &[i8], p: &[f64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let fmt = |v: f64| format!("{v:.4}");
    // (shape, rate) pairs of Gamma-distributed rates, and for BG/NBD the Beta pair.
    match kind {
        Kind::BgNbd | Kind::MbgNbd | Kind::ParetoNbd => {
            // Purchase rates λ ~ Gamma(r, α).
            match (dir[0], dir[1]) {
                (1, 1) => parts.push(format!(
                    "r and alpha grow without limit together: the purchase rate is the same for every \
                     customer (r/alpha = {} per time unit); the data fit a model without rate heterogeneity",
                    fmt(p[0] / p[1])
                )),
                (-1, _) | (_, 1) => parts.push(format!(
                    "{}: purchase rates tend to zero for (almost) every customer — the data hold (almost) \
                     no repeat purchases to estimate them from",
                    if dir[0] == -1 { "r → 0" } else { "alpha → ∞" }
                )),
                (1, _) => parts.push(
                    "r → ∞: purchase rates grow without limit".into(),
                ),
                (_, -1) => parts.push(
                    "alpha → 0: purchase rates grow without limit (α is the rate scale)".into(),
                ),
                _ => {}
            }
            if kind == Kind::ParetoNbd {
                // Dropout rates μ ~ Gamma(s, β).
                match (dir[2], dir[3]) {
                    (1, 1) => parts.push(format!(
                        "s and beta grow without limit together: the dropout rate is the same for every \
                         customer (s/beta = {} per time unit); the data fit a model with one common dropout rate",
                        p[2] / p[3]
                    )),
                    (-1, _) | (_, 1) => parts.push(format!(
                        "{}: dropout rates tend to zero — nearly nobody drops out within the data; the data fit \
                         a model without dropout (NBD)",
                        if dir[2] == -1 { "s → 0" } else { "beta → ∞" }
                    )),
                    (1, _) | (_, -1) => parts.push(format!(
                        "{}: dropout rates grow without limit — customers drop out almost at once",
                        if dir[2] == 1 { "s → ∞" } else { "beta → 0" }
                    )),
                    _ => {}
                }
            } else {
                // Dropout probability after a purchase p ~ Beta(a, b).
                match (dir[2], dir[3]) {
                    (1, 1) => parts.push(format!(
                        "a and b grow without limit together: the dropout probability after a purchase is the \
                         same for every customer (a/(a+b) = {}); the data fit a model with one common dropout \
                         probability",
                        fmt(p[2] / (p[2] + p[3]))
                    )),
                    (-1, _) | (_, 1) => parts.push(format!(
                        "{}: the dropout probability tends to zero for (almost) every customer; the data fit a \
                         model without dropout (NBD)",
                        if dir[2] == -1 { "a → 0" } else { "b → ∞" }
                    )),
                    (1, _) | (_, -1) => parts.push(format!(
                        "{}: the dropout probability tends to one — (almost) every customer drops out at the \
                         first opportunity",
                        if dir[2] == 1 { "a → ∞" } else { "b → 0" }
                    )),
                    _ => {}
                }
            }
        }
        Kind::GammaGamma => {
            if dir[0] == 1 {
                parts.push("p → ∞: spend per transaction does not vary within a customer".into());
            } else if dir[0] == -1 {
                parts.push(
                    "p → 0: spend per transaction varies without limit within a customer".into(),
                );
            }
            match (dir[1], dir[2]) {
                (1, 1) => parts.push(format!(
                    "q and gamma grow without limit together: the mean spend is the same for every customer \
                     (p·gamma/q = {}); the data fit a model without spend heterogeneity",
                    fmt(p[0] * p[2] / p[1])
                )),
                (0, 0) => {}
                (dq, dg) => parts.push(format!(
                    "{}{}{}: the spread of mean spend across customers is not identified",
                    match dq {
                        1 => "q → ∞",
                        -1 => "q → 0",
                        _ => "",
                    },
                    if dq != 0 && dg != 0 { ", " } else { "" },
                    match dg {
                        1 => "gamma → ∞",
                        -1 => "gamma → 0",
                        _ => "",
                    }
                )),
            }
        }
    }
    parts.join("; ")
}

/// Shared tail of the transaction-model fits: log-space outcome → `Fit`.
pub(crate) fn finish_fit<const K: usize>(
    o: &optim::Outcome<K>,
    kind: Kind,
    natural: [f64; K],
    log_likelihood: f64,
    customers: usize,
    runs: usize,
    objective: &mut dyn FnMut(&[f64; K]) -> f64,
) -> (Option<[f64; K]>, bool, Option<String>) {
    let mut converged = o.converged;
    let mut reason = o.reason.clone();
    let bounded = o.at_bound.iter().any(|&b| b != 0);
    // Parameters beyond `limit` on the fit's log scale, by direction.
    let far = |limit: f64| -> [i8; K] {
        std::array::from_fn(|i| {
            if o.at_bound[i] != 0 {
                o.at_bound[i]
            } else if o.theta[i] > limit.ln() {
                1
            } else if o.theta[i] < -limit.ln() {
                -1
            } else {
                0
            }
        })
    };
    // Directions of the parameters at a bound or far out on the log scale, where the
    // likelihood still rises slowly along a ridge.
    let dir = far(RUNAWAY);
    let others = if runs == 1 {
        String::new()
    } else {
        format!("; none of the {runs} starts found a maximum at finite values")
    };
    // A run that stopped far out is on a ridge (the likelihood keeps rising towards the
    // bound) when it did not converge, or when moving the far-out parameters 10 times
    // further does not lower the likelihood: the gradient test passed only because the
    // likelihood has flattened.
    let ridge = dir.iter().any(|&d| d != 0)
        && (!converged || {
            let further: [f64; K] = std::array::from_fn(|i| {
                (o.theta[i] + f64::from(dir[i]) * std::f64::consts::LN_10)
                    .clamp(PARAM_MIN.ln(), PARAM_MAX.ln())
            });
            let here = objective(&o.theta);
            objective(&further) <= here + 1e-9 * (1.0 + here.abs())
        });
    if bounded {
        converged = false;
        let what = explain(kind, &dir, &natural);
        reason = Some(format!(
            "the likelihood is highest at a parameter bound ({PARAM_MIN:e}..{PARAM_MAX:e} on the fit's \
             time scale) — {what}{others}. The values at the bound are a limit, not an estimate; a \
             penalizer keeps them finite"
        ));
    } else if ridge {
        converged = false;
        let what = explain(kind, &dir, &natural);
        let r = reason.map_or(String::new(), |r| format!(" ({r})"));
        reason = Some(format!(
            "the likelihood keeps rising, ever more slowly, as parameters run away — {what}{others}. \
             The fitted values are a limit, not an estimate{r}"
        ));
    }
    let se = if !bounded && log_likelihood.is_finite() {
        optim::spd_inverse(&o.eval.h).and_then(|inv| {
            let mut se = [0.0; K];
            for i in 0..K {
                let v = inv[i][i] / customers as f64;
                if !(v.is_finite() && v >= 0.0) {
                    return None;
                }
                se[i] = natural[i] * v.sqrt();
            }
            Some(se)
        })
    } else {
        None
    };
    if converged && se.is_none() {
        // A stationary point that is not a strict maximum (e.g. every customer aged 0:
        // the likelihood is flat).
        converged = false;
        let far = far(RUNAWAY);
        reason = Some(if far.iter().any(|&d| d != 0) {
            format!(
                "the likelihood is flat at the solution (Hessian not positive definite) because \
                 parameters run away — {}{others}. The fitted values are a limit, not an estimate",
                explain(kind, &far, &natural)
            )
        } else {
            "the likelihood is flat in some direction at the solution (Hessian not positive definite): \
             the data do not identify every parameter; try a penalizer"
                .into()
        });
    }
    (se, converged, reason)
}
