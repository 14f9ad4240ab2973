//! Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005; Hardie's
//! note 025): spend per transaction z ~ Gamma(shape p, rate ν), ν ~ Gamma(shape q,
//! rate γ) across customers. Per customer with x > 0 repeat purchases of mean m̄:
//!
//! ```text
//! LL = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x)
//! E[M | x, m̄] = p (γ + x m̄) / (p x + q − 1)      (population mean pγ/(q−1): needs q > 1)
//! ```

use super::collapse;

/// Newton runs of a default fit at least (see [`optim::multi_start`]): all 8 candidates
/// (an evaluation costs one logarithm per customer).
const MIN_RUNS: usize = 8;
use super::optim::{self, Eval, Need};
use super::special::{digamma, ln_gamma, trigamma};
use super::{
    check_len, check_params, finish_fit, model_error, Fit, FitOptions, Kind, LEGACY_WARM_START_MIN,
    PARAM_MAX, PARAM_MIN, WARM_START_MIN, WARM_START_SAMPLE,
};
use crate::error::{describe_number, Error, ErrorCode, TableName};

/// Gamma-Gamma parameters (γ in money units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

pub(crate) const NAMES: [&str; 3] = ["p", "q", "gamma"];

struct Data {
    groups: Vec<(f64, usize, usize)>,
    group_w: Vec<f64>,
    /// Σ w·ln m̄ per group.
    group_lm: Vec<f64>,
    m: Vec<f64>,
    w: Vec<f64>,
}

fn loglik(par: [f64; 3], d: &Data, need: Need) -> (f64, [f64; 3], [[f64; 3]; 3]) {
    let (want_ll, need) = (need.value(), need.derivs());
    let [p, q, ga] = par;
    let (mut ll, mut g, mut h) = (0.0, [0.0; 3], [[0.0; 3]; 3]);
    let (lg_q, ln_ga) = (ln_gamma(q), ga.ln());
    let (dg_q, tg_q) = if need {
        (digamma(q), trigamma(q))
    } else {
        (0.0, 0.0)
    };
    for (gi, &(x, s, e)) in d.groups.iter().enumerate() {
        let (wg, lm) = (d.group_w[gi], d.group_lm[gi]);
        let k = p * x;
        let lx = x.ln();
        let (mut sld, mut sid, mut sid2) = (0.0, 0.0, 0.0);
        // ln(γ + m̄x) only where the value or the p, q gradient needs it.
        for i in s..e {
            let dd = ga + d.m[i] * x;
            let w = d.w[i];
            sld += w * dd.ln();
            if need {
                let id = 1.0 / dd;
                sid += w * id;
                sid2 += w * id * id;
            }
        }
        if want_ll {
            ll += wg * (ln_gamma(k + q) - ln_gamma(k) - lg_q + q * ln_ga + k * lx) + (k - 1.0) * lm
                - (k + q) * sld;
        }
        if need {
            let (dkq, dk, tkq, tk) = (digamma(k + q), digamma(k), trigamma(k + q), trigamma(k));
            g[0] += x * (wg * (dkq - dk + lx) + lm - sld);
            g[1] += wg * (dkq - dg_q + ln_ga) - sld;
            g[2] += wg * q / ga - (k + q) * sid;
            h[0][0] += x * x * wg * (tkq - tk);
            h[0][1] += x * wg * tkq;
            h[0][2] -= x * sid;
            h[1][1] += wg * (tkq - tg_q);
            h[1][2] += wg / ga - sid;
            h[2][2] += -wg * q / (ga * ga) + (k + q) * sid2;
        }
    }
    super::optim::symmetrize(&mut h);
    (ll, g, h)
}

/// Maximum-likelihood Gamma-Gamma fit. Only customers with `frequency > 0` and
/// `monetary_value > 0` enter (others carry no spend information); identical
/// (x, m̄) rows are collapsed. The fit itself may return q ≤ 1 (it is what the data
/// say); [`GammaGammaParams::expected_spend`] then refuses to predict.
pub fn fit_gamma_gamma(
    frequency: &[f64],
    monetary_value: &[f64],
    opts: &FitOptions,
) -> Result<Fit<GammaGammaParams>, Error> {
    fit_gamma_gamma_with(frequency, monetary_value, opts, true)
}

/// `multi`: the default multi-start; false: one Newton run from `initial`, the
/// subsample fit or the first candidate (the fit before the multi-start search).
pub(crate) fn fit_gamma_gamma_with(
    frequency: &[f64],
    monetary_value: &[f64],
    opts: &FitOptions,
    multi: bool,
) -> Result<Fit<GammaGammaParams>, Error> {
    let n = check_len(
        &["frequency", "monetaryValue"],
        &[frequency.len(), monetary_value.len()],
    )?;
    validate_spend_inputs(frequency, monetary_value)?;
    opts.validate(3)?;
    let keep = |i: usize| frequency[i] > 0.0 && monetary_value[i] > 0.0;
    // Rows grouped by x (counting sort); (x, m̄) duplicates are rare with real amounts,
    // so they are not hashed together.
    let kept = collapse::Distinct {
        keys: (0..n)
            .filter(|&i| keep(i))
            .map(|i| [frequency[i], monetary_value[i]])
            .collect(),
        weight: Vec::new(),
        index: Vec::new(),
    };
    let kept = collapse::Distinct {
        weight: vec![1.0; kept.keys.len()],
        ..kept
    };
    let grouped = collapse::group_by_first(kept);
    let used: f64 = grouped.weight.iter().sum();
    if used == 0.0 {
        return Err(Error::new(
            ErrorCode::EmptyInput,
            "no customer has frequency > 0 and monetaryValue > 0",
        ));
    }
    let d = Data {
        group_w: grouped
            .groups
            .iter()
            .map(|&(_, s, e)| grouped.weight[s..e].iter().sum())
            .collect(),
        group_lm: grouped
            .groups
            .iter()
            .map(|&(_, s, e)| {
                (s..e)
                    .map(|i| grouped.weight[i] * grouped.keys[i][1].ln())
                    .sum()
            })
            .collect(),
        groups: grouped.groups,
        m: grouped.keys.iter().map(|k| k[1]).collect(),
        w: grouped.weight,
    };
    let pen = opts.penalizer;
    let mut f = |th: &[f64; 3], need: Need| {
        let p: [f64; 3] = std::array::from_fn(|i| th[i].exp());
        let (ll, g, h) = loglik(p, &d, need);
        let fv = -ll / used + pen * p.iter().map(|v| v * v).sum::<f64>();
        let mut e = Eval::value(if !need.value() || fv.is_finite() {
            fv
        } else {
            f64::INFINITY
        });
        if need.derivs() {
            let gp: [f64; 3] = std::array::from_fn(|i| -g[i] / used + 2.0 * pen * p[i]);
            for i in 0..3 {
                e.g[i] = p[i] * gp[i];
                for j in 0..3 {
                    e.h[i][j] =
                        p[i] * p[j] * (-h[i][j] / used + if i == j { 2.0 * pen } else { 0.0 });
                }
                e.h[i][i] += p[i] * gp[i];
            }
        }
        e
    };
    let mut initial = opts.initial.clone();
    let warm_min = if multi {
        WARM_START_MIN
    } else {
        LEGACY_WARM_START_MIN
    };
    if initial.is_none() && customers_kept(&d) >= warm_min {
        let step = (n / WARM_START_SAMPLE).max(1);
        let x: Vec<f64> = frequency.iter().step_by(step).copied().collect();
        let m: Vec<f64> = monetary_value.iter().step_by(step).copied().collect();
        let o = FitOptions {
            tol: 1e-6,
            initial: None,
            ..opts.clone()
        };
        if let Ok(f) = fit_gamma_gamma_with(&x, &m, &o, multi) {
            if f.converged {
                initial = Some(f.params.as_array().to_vec());
            }
        }
    }
    let lo = [PARAM_MIN.ln(); 3];
    let hi = [PARAM_MAX.ln(), PARAM_MAX.ln(), (PARAM_MAX * 1e4).ln()];
    // Candidate starts on the data's money scale: p, q, and γ so that the model mean
    // pγ/(q−1) equals the mean spend; lifetimes' p = e^0.1 with q = 2 first.
    let mean = d.m.iter().zip(&d.w).map(|(m, w)| m * w).sum::<f64>() / used;
    let mut cands: Vec<[f64; 3]> = [
        (0.1f64.exp(), 2.0),
        (1.0, 3.0),
        (5.0, 4.0),
        (20.0, 10.0),
        (0.5, 1.5),
        (5.0, 1.5),
        (1.0, 20.0),
        (20.0, 2.0),
    ]
    .iter()
    .map(|&(p, q): &(f64, f64)| [p.ln(), q.ln(), (mean * (q - 1.0) / p).ln()])
    .collect();
    let clean = |o: &optim::Outcome<3>| o.converged && o.at_bound.iter().all(|&b| b == 0);
    let (o, runs) = match &initial {
        Some(v) => {
            let th = [v[0].ln(), v[1].ln(), v[2].ln()];
            let o = optim::minimize(&mut f, th, lo, hi, opts.max_iter, opts.tol);
            if clean(&o) || !multi {
                (o, 1)
            } else {
                cands.insert(0, th);
                let (o2, runs) =
                    optim::multi_start(&mut f, &cands, lo, hi, opts.max_iter, opts.tol, MIN_RUNS);
                (o2, runs + 1)
            }
        }
        None if !multi => (
            optim::minimize(&mut f, cands[0], lo, hi, opts.max_iter, opts.tol),
            1,
        ),
        None => optim::multi_start(&mut f, &cands, lo, hi, opts.max_iter, opts.tol, MIN_RUNS),
    };
    let ps: [f64; 3] = std::array::from_fn(|i| o.theta[i].exp());
    let (ll, _, _) = loglik(ps, &d, Need::Value);
    let customers = used as usize;
    let mut value = |th: &[f64; 3]| f(th, Need::Value).f;
    let (se, converged, reason) =
        finish_fit(&o, Kind::GammaGamma, ps, ll, customers, runs, &mut value);
    let to = |a: [f64; 3]| GammaGammaParams {
        p: a[0],
        q: a[1],
        gamma: a[2],
    };
    Ok(Fit {
        params: to(ps),
        log_likelihood: ll,
        standard_errors: se.map(to),
        converged,
        reason,
        iterations: o.iterations,
        customers,
        distinct_rows: d.w.len(),
    })
}

fn customers_kept(d: &Data) -> usize {
    d.w.len()
}

pub(crate) fn validate_spend_inputs(
    frequency: &[f64],
    monetary_value: &[f64],
) -> Result<(), Error> {
    for (i, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
        if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 1e9) {
            return Err(Error::cell(
                ErrorCode::InvalidValue,
                TableName::Summaries,
                i,
                "frequency",
                format!(
                    "frequency must be a whole number 0..1e9, got {}",
                    describe_number(x)
                ),
            ));
        }
        if !(m.is_finite() && m >= 0.0) {
            return Err(Error::cell(
                ErrorCode::InvalidValue,
                TableName::Summaries,
                i,
                "monetaryValue",
                format!(
                    "monetary value must be a finite number ≥ 0, got {}",
                    describe_number(m)
                ),
            ));
        }
    }
    Ok(())
}

impl GammaGammaParams {
    pub fn as_array(&self) -> [f64; 3] {
        [self.p, self.q, self.gamma]
    }
    /// Log-likelihood of one customer (x > 0, m̄ > 0).
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let (p, q, ga) = (self.p, self.q, self.gamma);
        let k = p * x;
        ln_gamma(k + q) - ln_gamma(k) - ln_gamma(q) + q * ga.ln() + (k - 1.0) * m.ln() + k * x.ln()
            - (k + q) * (ga + m * x).ln()
    }
    /// Check the parameters for prediction: finite, > 0, and q > 1 (otherwise the
    /// model's mean spend per transaction pγ/(q−1) is infinite and E\[M\] of customers
    /// with few purchases is undefined or negative).
    pub fn validate(&self) -> Result<(), Error> {
        check_params(&NAMES, &self.as_array())?;
        if self.q <= 1.0 {
            return Err(model_error(
                "q",
                format!(
                    "Gamma-Gamma q = {} ≤ 1: the model's mean spend per transaction pγ/(q−1) does not exist, \
                     so expected spend cannot be predicted (the spend data are too heavy-tailed for this model; \
                     try a penalizer or removing outliers)",
                    self.q
                ),
            ));
        }
        Ok(())
    }
    /// E\[M | x, m̄\] = p(γ + x·m̄)/(p·x + q − 1): expected spend per transaction of a
    /// customer with `x` repeat purchases of mean `m` (x = 0: the population mean).
    pub fn expected_spend(&self, x: f64, m: f64) -> Result<f64, Error> {
        self.validate()?;
        Ok(self.p * (self.gamma + x * m) / (self.p * x + self.q - 1.0))
    }
    /// Columnar [`Self::expected_spend`]; inputs validated as in the fit.
    pub fn expected_spend_many(
        &self,
        frequency: &[f64],
        monetary_value: &[f64],
    ) -> Result<Vec<f64>, Error> {
        check_len(
            &["frequency", "monetaryValue"],
            &[frequency.len(), monetary_value.len()],
        )?;
        self.validate()?;
        validate_spend_inputs(frequency, monetary_value)?;
        Ok(frequency
            .iter()
            .zip(monetary_value)
            .map(|(&x, &m)| self.p * (self.gamma + x * m) / (self.p * x + self.q - 1.0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_derivatives_match_finite_differences() {
        let d = Data {
            groups: vec![(1.0, 0, 2), (4.0, 2, 3)],
            group_w: vec![3.0, 2.0],
            group_lm: vec![2.0 * 10f64.ln() + 25f64.ln(), 2.0 * 40f64.ln()],
            m: vec![10.0, 25.0, 40.0],
            w: vec![2.0, 1.0, 2.0],
        };
        let p = [6.0, 3.7, 15.0];
        let (_, g, h) = loglik(p, &d, Need::Both);
        for i in 0..3 {
            let hstep = 1e-5 * p[i];
            let (mut a, mut b) = (p, p);
            a[i] += hstep;
            b[i] -= hstep;
            let (fa, ga, _) = loglik(a, &d, Need::Both);
            let (fb, gb, _) = loglik(b, &d, Need::Both);
            assert!(((fa - fb) / (2.0 * hstep) - g[i]).abs() < 1e-5, "g{i}");
            for j in 0..3 {
                assert!(
                    ((ga[j] - gb[j]) / (2.0 * hstep) - h[i][j]).abs()
                        < 1e-4 * (1.0 + h[i][j].abs()),
                    "h{i}{j}"
                );
            }
        }
    }
}
