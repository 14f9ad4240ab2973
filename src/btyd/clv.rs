//! Transaction models as one enum (for columnar predictions) and customer lifetime value.

use super::collapse;
use super::{
    check_len, check_params, check_time, validate_summaries, BgNbdParams, GammaGammaParams,
    MbgNbdParams, ParetoNbdParams,
};
use crate::error::{describe_number, Error};

/// A fitted transaction model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TransactionModel {
    BgNbd(BgNbdParams),
    MbgNbd(MbgNbdParams),
    ParetoNbd(ParetoNbdParams),
}

impl TransactionModel {
    /// Parameters must be finite and > 0 (`invalid_model`, field = parameter name).
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            TransactionModel::BgNbd(p) => check_params(&super::bgnbd::NAMES, &p.as_array()),
            TransactionModel::MbgNbd(p) => check_params(&super::bgnbd::NAMES, &p.as_array()),
            TransactionModel::ParetoNbd(p) => check_params(&super::pareto::NAMES, &p.as_array()),
        }
    }

    /// P(alive at T | x, t_x, T) for one customer (inputs assumed valid).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        match self {
            TransactionModel::BgNbd(p) => p.p_alive(x, t_x, age),
            TransactionModel::MbgNbd(p) => p.p_alive(x, t_x, age),
            TransactionModel::ParetoNbd(p) => p.p_alive(x, t_x, age),
        }
    }

    /// E\[Y(t) | x, t_x, T\] for one customer (inputs assumed valid).
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        match self {
            TransactionModel::BgNbd(p) => p.expected_purchases(t, x, t_x, age),
            TransactionModel::MbgNbd(p) => p.expected_purchases(t, x, t_x, age),
            TransactionModel::ParetoNbd(p) => p.expected_purchases(t, x, t_x, age),
        }
    }

    /// Unconditional E\[X(t)\] for a new customer.
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        match self {
            TransactionModel::BgNbd(p) => p.expected_purchases_new(t),
            TransactionModel::MbgNbd(p) => p.expected_purchases_new(t),
            TransactionModel::ParetoNbd(p) => p.expected_purchases_new(t),
        }
    }

    /// The part of E\[Y(t) | x, t_x, T\] that does not depend on t_x: E\[Y\] = this · P(alive).
    fn numerator(&self, x: f64, age: f64, t: f64) -> f64 {
        match self {
            TransactionModel::BgNbd(p) => {
                super::bgnbd::family_numerator(p.r, p.alpha, p.a, p.b, x, age, t)
            }
            TransactionModel::MbgNbd(p) => {
                super::bgnbd::family_numerator(p.r, p.alpha, p.a, p.b + 1.0, x, age, t)
            }
            TransactionModel::ParetoNbd(p) => p.numerator(x, age, t),
        }
    }

    /// Columnar P(alive); summaries validated as in the fits.
    pub fn p_alive_many(
        &self,
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
    ) -> Result<Vec<f64>, Error> {
        self.validate()?;
        validate_summaries(frequency, recency, age)?;
        Ok(self.p_alive_column(frequency, recency, age))
    }

    /// P(alive) of validated columns. BG/NBD family: 1/(1 + e^u) with
    /// u = ln(a/(b+x+m−1)) + (r+x)·ln((α+T)/(α+t_x)), the first term cached per small x
    /// (two transcendental functions per customer). Pareto/NBD: once per distinct
    /// (x, t_x, T).
    fn p_alive_column(&self, frequency: &[f64], recency: &[f64], age: &[f64]) -> Vec<f64> {
        let n = frequency.len();
        let (r, alpha, a, b, m) = match self {
            TransactionModel::BgNbd(p) => (p.r, p.alpha, p.a, p.b, 0.0),
            TransactionModel::MbgNbd(p) => (p.r, p.alpha, p.a, p.b, 1.0),
            TransactionModel::ParetoNbd(p) => {
                let d =
                    collapse::distinct(n, |i| [frequency[i], recency[i], age[i]], |_| true, true);
                let v: Vec<f64> = d.keys.iter().map(|k| p.p_alive(k[0], k[1], k[2])).collect();
                return d.index.iter().map(|&j| v[j as usize]).collect();
            }
        };
        const CACHED: usize = 256;
        let ln_a = a.ln();
        let c0: Vec<f64> = (0..CACHED)
            .map(|x| ln_a - (b + x as f64 + m - 1.0).ln())
            .collect();
        (0..n)
            .map(|i| {
                let x = frequency[i];
                if x == 0.0 && m == 0.0 {
                    return 1.0;
                }
                let c = if x < CACHED as f64 {
                    c0[x as usize]
                } else {
                    ln_a - (b + x + m - 1.0).ln()
                };
                let u = c + (r + x) * ((alpha + age[i]) / (alpha + recency[i])).ln();
                1.0 / (1.0 + u.exp())
            })
            .collect()
    }

    /// Columnar E\[Y(t) | x, t_x, T\] for one horizon `t` (≥ 0, model units). Customers
    /// sharing (x, T) share the expensive ₂F₁ part.
    pub fn expected_purchases_many(
        &self,
        t: f64,
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
    ) -> Result<Vec<f64>, Error> {
        self.validate()?;
        check_time("t", t)?;
        validate_summaries(frequency, recency, age)?;
        let d = collapse::distinct_xt(frequency, age);
        let num: Vec<f64> = d
            .keys
            .iter()
            .map(|k| self.numerator(k[0], k[1], t))
            .collect();
        let mut out = self.p_alive_column(frequency, recency, age);
        for (o, &j) in out.iter_mut().zip(&d.index) {
            *o *= num[j as usize];
        }
        Ok(out)
    }
}

/// Options of [`clv`].
#[derive(Clone, Debug, PartialEq)]
pub struct ClvOptions {
    /// Number of steps H (1..=10000).
    pub steps: u32,
    /// Length k of one step in model units (e.g. 30.436875/7 ≈ 4.348 for monthly
    /// steps with a weekly model; 1 for monthly steps with a [`super::TimeUnit::Month`] model).
    pub step_length: f64,
    /// Discount rate d per step (> −1; e.g. 0.01 per month).
    pub discount_rate: f64,
}

/// Customer lifetime value over H steps:
/// `CLV = Σ_{i=1..H} E\[M\] · (E\[Y(i·k)\] − E\[Y((i−1)·k)\]) / (1+d)^i`,
/// with E\[M\] from the Gamma-Gamma model (`expected_spend`, also for x = 0: the
/// population mean) and E\[Y\] from the transaction model. No unit is assumed: k is the
/// step in model units.
///
/// E\[Y(t) | x, t_x, T\] = N(x, T, t) · P(alive | x, t_x, T) for all three models, so the
/// discounted sum of N is computed once per distinct (x, T) and each customer costs one
/// P(alive).
#[allow(clippy::too_many_arguments)]
pub fn clv(
    model: &TransactionModel,
    spend: &GammaGammaParams,
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    monetary_value: &[f64],
    opts: &ClvOptions,
) -> Result<Vec<f64>, Error> {
    model.validate()?;
    spend.validate()?;
    if opts.steps == 0 || opts.steps > 10_000 {
        return Err(Error::option(
            "steps",
            format!("steps must be 1..10000, got {}", opts.steps),
        ));
    }
    if !(opts.step_length.is_finite() && opts.step_length > 0.0) {
        return Err(Error::option(
            "stepLength",
            format!(
                "stepLength must be a finite number > 0, got {}",
                describe_number(opts.step_length)
            ),
        ));
    }
    if !(opts.discount_rate.is_finite() && opts.discount_rate > -1.0) {
        return Err(Error::option(
            "discountRate",
            format!(
                "discountRate must be a finite number > −1, got {}",
                describe_number(opts.discount_rate)
            ),
        ));
    }
    let n = check_len(
        &["frequency", "recency", "T", "monetaryValue"],
        &[
            frequency.len(),
            recency.len(),
            age.len(),
            monetary_value.len(),
        ],
    )?;
    validate_summaries(frequency, recency, age)?;
    super::gamma_gamma::validate_spend_inputs(frequency, monetary_value)?;
    let d = collapse::distinct_xt(frequency, age);
    let disc = 1.0 / (1.0 + opts.discount_rate);
    let sums: Vec<f64> = d
        .keys
        .iter()
        .map(|k| {
            let (mut prev, mut f, mut acc) = (0.0, 1.0, 0.0);
            for i in 1..=opts.steps {
                let cur = model.numerator(k[0], k[1], i as f64 * opts.step_length);
                f *= disc;
                acc += (cur - prev) * f;
                prev = cur;
            }
            acc
        })
        .collect();
    let (p, q, g) = (spend.p, spend.q, spend.gamma);
    let mut out = model.p_alive_column(frequency, recency, age);
    for i in 0..n {
        let (x, m) = (frequency[i], monetary_value[i]);
        out[i] *= p * (g + x * m) / (p * x + q - 1.0) * sums[d.index[i] as usize];
    }
    Ok(out)
}
