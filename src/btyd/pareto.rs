//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987), likelihood as in Fader, Hardie
//! & Lee (2005) "A note on implementing the Pareto/NBD model in MATLAB".
//!
//! ```text
//! L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s  +  s·I ],
//! I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ = F(t_x) − F(T),
//! F(t) = ∫_t^∞ … = (M+t)^−(r+s+x) / (r+s+x) · ₂F₁(r+s+x, b'; r+s+x+1; (M−μ)/(M+t)),
//! ```
//! with M = max(α, β), μ = min(α, β), b' = s+1 when α ≥ β and r+x otherwise
//! (`s·I` is the note's `s/(r+s+x)·A₀`). The ₂F₁ is summed after Euler's transformation,
//! `₂F₁(a, b'; a+1; z) = (1−z)^(1−b') Σₙ (a+1−b')ₙ/(a+1)ₙ zⁿ`, whose terms are positive
//! and fall at least as fast as zⁿ, and everything is combined in log space
//! (`ln I = ln F(t_x) + ln(1 − e^{ln F(T) − ln F(t_x)})`), so no term overflows.
//!
//! The fit uses Newton's method with gradient and Hessian by central finite differences
//! of the collapsed log-likelihood (the ₂F₁ has no cheap analytic parameter derivative).

use super::collapse;

/// Newton runs of a default fit at least (see [`optim::multi_start`]). The Pareto/NBD
/// likelihood showed one maximum (or a ridge) on every data set of the test grid, and an
/// evaluation costs a quadrature per distinct value: two runs that agree settle it.
fn min_runs(_rows: usize) -> usize {
    2
}
use super::optim::{self, Eval, Need};
use super::pareto_quad;
use super::special::{expm1_over, gauss_tail, ln_gamma, logaddexp, logsubexp, softplus};
use super::{
    finish_fit, validate_summaries, warm_sample, Fit, FitOptions, Kind, LEGACY_WARM_START_MIN,
    PARAM_MAX, PARAM_MIN, WARM_START_MIN,
};
use crate::error::{Error, ErrorCode};

/// Pareto/NBD parameters: purchase rates λ ~ Gamma(shape r, rate α), dropout rates
/// μ ~ Gamma(shape s, rate β), both per time unit of the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

pub(crate) const NAMES: [&str; 4] = ["r", "alpha", "s", "beta"];

/// ln F(t) (see the module documentation).
fn ln_f(r: f64, alpha: f64, s: f64, beta: f64, x: f64, t: f64) -> f64 {
    let a = r + s + x;
    let (lo, hi, bp) = if alpha >= beta {
        (beta, alpha, s + 1.0)
    } else {
        (alpha, beta, r + x)
    };
    let z = (hi - lo) / (hi + t);
    let b2 = a + 1.0 - bp;
    let series = if z > 0.0 {
        let tail = gauss_tail(b2 * z / (a + 1.0), 1.0, b2, a + 1.0, z);
        // 1 + tail, in log space (the tail may carry a scale).
        if tail.log_scale == 0.0 {
            tail.value.ln_1p()
        } else {
            tail.log_scale + (tail.value + (-tail.log_scale).exp()).ln()
        }
    } else {
        0.0
    };
    -a * (hi + t).ln() - a.ln() + (1.0 - bp) * ((lo + t) / (hi + t)).ln() + series
}

/// Above this ₂F₁ argument the series needs more than ~700 terms: integrate instead.
const SERIES_MAX_Z: f64 = 0.95;

/// ln(s·I): log of the "dropped out between t_x and T" part; −∞ when t_x = T.
fn ln_death(r: f64, alpha: f64, s: f64, beta: f64, x: f64, t_x: f64, age: f64) -> f64 {
    if t_x >= age {
        return f64::NEG_INFINITY;
    }
    let (lo, hi) = (alpha.min(beta), alpha.max(beta));
    if (hi - lo) / (hi + t_x) > SERIES_MAX_Z {
        return s.ln() + ln_death_quadrature(r, alpha, s, beta, x, t_x, age);
    }
    s.ln()
        + logsubexp(
            ln_f(r, alpha, s, beta, x, t_x),
            ln_f(r, alpha, s, beta, x, age),
        )
}

/// 16-point Gauss–Legendre nodes (positive half) and weights on \[−1, 1\].
const GL16: [(f64, f64); 8] = [
    (0.095_012_509_837_637_44, 0.189_450_610_455_068_5),
    (0.281_603_550_779_258_9, 0.182_603_415_044_923_6),
    (0.458_016_777_657_227_4, 0.169_156_519_395_002_5),
    (0.617_876_244_402_643_7, 0.149_595_988_816_576_7),
    (0.755_404_408_355_003, 0.124_628_971_255_533_9),
    (0.865_631_202_387_831_7, 0.095_158_511_682_492_78),
    (0.944_575_023_073_232_6, 0.062_253_523_938_647_89),
    (0.989_400_934_991_649_9, 0.027_152_459_411_754_09),
];

/// ln I by quadrature, for arguments where the ₂F₁ series converges slowly (one rate
/// scale much larger than the other). With u = ln(μ+τ) (μ the smaller of α, β, p_μ its
/// exponent), I = ∫ e^{h(u)} du, h(u) = (1−p_μ)u − p_M ln(eᵘ + M − μ), which is concave:
/// the integrand has one peak. Integrate outwards from the peak with 16-point
/// Gauss–Legendre panels whose widths start at the peak's scale and double, until the
/// rest no longer matters.
fn ln_death_quadrature(r: f64, alpha: f64, s: f64, beta: f64, x: f64, t_x: f64, age: f64) -> f64 {
    let (mu, big, p_mu, p_big) = if alpha >= beta {
        (beta, alpha, s + 1.0, r + x)
    } else {
        (alpha, beta, r + x, s + 1.0)
    };
    let delta = big - mu;
    let h = |u: f64| (1.0 - p_mu) * u - p_big * (u.exp() + delta).ln();
    let dh = |u: f64| {
        let e = u.exp();
        (1.0 - p_mu) - p_big * e / (e + delta)
    };
    let d2h = |u: f64| {
        let e = u.exp();
        -p_big * delta * e / ((e + delta) * (e + delta))
    };
    let (u0, u1) = ((mu + t_x).ln(), (mu + age).ln());
    let peak = if dh(u0) <= 0.0 {
        u0
    } else if dh(u1) >= 0.0 {
        u1
    } else {
        let k = (1.0 - p_mu) / p_big;
        (delta * k / (1.0 - k)).ln().clamp(u0, u1)
    };
    let hmax = h(peak);
    let side = |from: f64, to: f64| -> f64 {
        let len = (to - from).abs();
        if len == 0.0 {
            return 0.0;
        }
        let dir = if to > from { 1.0 } else { -1.0 };
        let scale = dh(from).abs() + d2h(from).abs().sqrt();
        // (At least len·1e-12, so that the doubling reaches the end in ≤ 40 panels.)
        let mut w = if scale > 0.0 {
            (0.5 / scale).clamp(len * 1e-12, len)
        } else {
            len
        };
        let (mut pos, mut sum) = (0.0, 0.0);
        while pos < len {
            let end = (pos + w).min(len);
            let (c, half) = (0.5 * (pos + end), 0.5 * (end - pos));
            let mut panel = 0.0;
            for &(xi, wi) in &GL16 {
                panel += wi
                    * ((h(from + dir * (c - half * xi)) - hmax).exp()
                        + (h(from + dir * (c + half * xi)) - hmax).exp());
            }
            panel *= half;
            sum += panel;
            pos = end;
            if panel <= 1e-18 * sum {
                break;
            }
            w *= 2.0;
        }
        sum
    };
    hmax + (side(peak, u1) + side(peak, u0)).ln()
}

/// ln of the "still alive at T" part, −(r+x) ln(α+T) − s ln(β+T).
fn ln_alive(r: f64, alpha: f64, s: f64, beta: f64, x: f64, age: f64) -> f64 {
    -(r + x) * (alpha + age).ln() - s * (beta + age).ln()
}

/// Distinct rows grouped by x. Within a group, rows refer to the group's distinct T and
/// t_x values by local index, so that ln F(T), ln F(t_x) and the "alive" term — the
/// expensive parts — are computed once per distinct (x, T) and (x, t_x) pair.
struct Group {
    x: f64,
    w_sum: f64,
    t_vals: Vec<f64>,
    tx_vals: Vec<f64>,
    row_t: Vec<u32>,
    row_tx: Vec<u32>,
    w: Vec<f64>,
}

struct Data {
    groups: Vec<Group>,
}

impl Data {
    fn new(c: &collapse::Xtt) -> Data {
        let mut groups = Vec::with_capacity(c.groups.len());
        let mut local_t = vec![u32::MAX; c.t_values.len()];
        let mut local_x = vec![u32::MAX; c.tx_values.len()];
        for &(x, s, e) in &c.groups {
            let mut g = Group {
                x,
                w_sum: 0.0,
                t_vals: vec![],
                tx_vals: vec![],
                row_t: vec![],
                row_tx: vec![],
                w: vec![],
            };
            for i in s..e {
                let (tj, xj) = (c.t_id[i] as usize, c.tx_id[i] as usize);
                if local_t[tj] == u32::MAX {
                    local_t[tj] = g.t_vals.len() as u32;
                    g.t_vals.push(c.t_values[tj]);
                }
                if local_x[xj] == u32::MAX {
                    local_x[xj] = g.tx_vals.len() as u32;
                    g.tx_vals.push(c.tx_values[xj]);
                }
                g.row_t.push(local_t[tj]);
                g.row_tx.push(local_x[xj]);
                g.w.push(c.weight[i]);
                g.w_sum += c.weight[i];
            }
            for i in s..e {
                local_t[c.t_id[i] as usize] = u32::MAX;
                local_x[c.tx_id[i] as usize] = u32::MAX;
            }
            groups.push(g);
        }
        Data { groups }
    }
}

fn loglik(p: [f64; 4], d: &Data) -> f64 {
    let [r, al, s, be] = p;
    let base = -ln_gamma(r) + r * al.ln() + s * be.ln();
    let (lo, hi) = (al.min(be), al.max(be));
    let ln_s = s.ln();
    let mut ll = 0.0;
    let (mut lf_t, mut alive, mut lf_x) = (Vec::new(), Vec::new(), Vec::new());
    for g in &d.groups {
        let x = g.x;
        ll += g.w_sum * (ln_gamma(r + x) + base);
        lf_t.clear();
        alive.clear();
        lf_x.clear();
        for &t in &g.t_vals {
            // Rows whose t_x uses the series have z(T) < z(t_x) ≤ SERIES_MAX_Z; the others
            // integrate and do not read ln F(T).
            lf_t.push(if (hi - lo) / (hi + t) > SERIES_MAX_Z {
                f64::NAN
            } else {
                ln_f(r, al, s, be, x, t)
            });
            alive.push(ln_alive(r, al, s, be, x, t));
        }
        // NaN marks t_x values where the series would be slow: those rows integrate.
        for &t in &g.tx_vals {
            lf_x.push(if (hi - lo) / (hi + t) > SERIES_MAX_Z {
                f64::NAN
            } else {
                ln_f(r, al, s, be, x, t)
            });
        }
        for i in 0..g.w.len() {
            let (tj, xj) = (g.row_t[i] as usize, g.row_tx[i] as usize);
            let (t, tx) = (g.t_vals[tj], g.tx_vals[xj]);
            let death = if tx >= t {
                f64::NEG_INFINITY
            } else if lf_x[xj].is_nan() {
                ln_s + ln_death_quadrature(r, al, s, be, x, tx, t)
            } else {
                ln_s + logsubexp(lf_x[xj], lf_t[tj])
            };
            ll += g.w[i] * logaddexp(alive[tj], death);
        }
    }
    ll
}

/// Maximum-likelihood Pareto/NBD fit; same inputs and options as
/// [`super::fit_bg_nbd`] (initial: r, α, s, β).
pub fn fit_pareto_nbd(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
) -> Result<Fit<ParetoNbdParams>, Error> {
    fit_inner(frequency, recency, age, opts, Strategy::MultiStart).map(|(f, _)| f)
}

/// The fit before the multi-start search: a single Newton run (see [`super::legacy`]).
pub(crate) fn fit_pareto_nbd_legacy(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
) -> Result<Fit<ParetoNbdParams>, Error> {
    fit_inner(frequency, recency, age, opts, Strategy::Legacy).map(|(f, _)| f)
}

/// One Newton run from `initial` (or e^0.1) with the default evaluation (test grid).
pub(crate) fn fit_pareto_nbd_single_run(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
) -> Result<Fit<ParetoNbdParams>, Error> {
    fit_inner(frequency, recency, age, opts, Strategy::Single).map(|(f, _)| f)
}

/// Candidate starts (log scale, fit time scale): lifetimes' e^0.1, and moment estimates
/// of the purchase-rate distribution with several dropout-rate distributions and
/// points around them.
fn candidates(c: &collapse::Xtt) -> Vec<[f64; 4]> {
    let (mut w, mut s1, mut s2, mut noise) = (0.0, 0.0, 0.0, 0.0);
    for &(x, s, e) in &c.groups {
        for i in s..e {
            let t = c.t_values[c.t_id[i] as usize];
            if t > 0.0 {
                let rho = x / t;
                let wi = c.weight[i];
                w += wi;
                s1 += wi * rho;
                s2 += wi * rho * rho;
                noise += wi * rho / t;
            }
        }
    }
    let (r0, a0) = super::rate_moments(w, s1, s2, noise);
    let mut c = vec![[0.1; 4]];
    for rm in [1.0, 0.25, 4.0] {
        for (s, b) in [(1.0, 1.0), (0.3, 0.1), (5.0, 20.0)] {
            c.push([(r0 * rm).ln(), (a0 * rm).ln(), f64::ln(s), f64::ln(b)]);
        }
    }
    c
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strategy {
    MultiStart,
    /// One Newton run (from `initial`, the subsample fit or e^0.1), analytic derivatives.
    Single,
    /// One Newton run with the evaluation before the analytic derivatives (₂F₁ series or quadrature per
    /// row, finite-difference derivatives).
    Legacy,
}

/// The fit and the Hessian of its objective (log scale) at the solution.
type Hessian = [[f64; 4]; 4];

fn fit_inner(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
    strategy: Strategy,
) -> Result<(Fit<ParetoNbdParams>, Hessian), Error> {
    let n = validate_summaries(frequency, recency, age)?;
    opts.validate(4)?;
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers were given"));
    }
    let max_t = age.iter().copied().fold(0.0, f64::max);
    let scale = if max_t > 0.0 { 1.0 / max_t } else { 1.0 };
    let xtt = collapse::collapse_xtt(frequency, recency, age, scale);
    // The legacy strategy evaluates with the ₂F₁ series / quadrature per row and finite
    // differences; the default with `pareto_quad` (analytic gradient and Hessian).
    let analytic = strategy != Strategy::Legacy;
    let d = if analytic {
        Data { groups: vec![] }
    } else {
        Data::new(&xtt)
    };
    let qd = pareto_quad::QData::new(&xtt);
    let rows = xtt.weight.len();
    let total = n as f64;
    let pen = opts.penalizer;
    let exact = |th: &[f64; 4], need: Need| {
        let p: [f64; 4] = std::array::from_fn(|i| th[i].exp());
        let (ll, g, h) = pareto_quad::loglik(p, &qd, need.derivs());
        let fv = -ll / total + pen * p.iter().map(|v| v * v).sum::<f64>();
        let mut e = Eval::value(if fv.is_finite() { fv } else { f64::INFINITY });
        if need.derivs() {
            let gp: [f64; 4] = std::array::from_fn(|i| -g[i] / total + 2.0 * pen * p[i]);
            for i in 0..4 {
                e.g[i] = p[i] * gp[i];
                for j in 0..4 {
                    e.h[i][j] =
                        p[i] * p[j] * (-h[i][j] / total + if i == j { 2.0 * pen } else { 0.0 });
                }
                e.h[i][i] += p[i] * gp[i];
            }
        }
        e
    };
    let value = |th: &[f64; 4]| {
        let p: [f64; 4] = std::array::from_fn(|i| th[i].exp());
        let f = -loglik(p, &d) / total + pen * p.iter().map(|v| v * v).sum::<f64>();
        if f.is_finite() {
            f
        } else {
            f64::INFINITY
        }
    };
    let mut initial = opts.initial.clone();
    let mut hess: Option<([f64; 4], Hessian)> = None;
    let warm_min = if strategy == Strategy::MultiStart {
        WARM_START_MIN
    } else {
        LEGACY_WARM_START_MIN
    };
    if initial.is_none() && n >= warm_min {
        let [x, tx, t] = warm_sample(frequency, recency, age);
        let o = FitOptions {
            tol: 1e-6,
            initial: None,
            ..opts.clone()
        };
        if let Ok((f, h)) = fit_inner(&x, &tx, &t, &o, strategy) {
            if f.converged {
                let p = f.params;
                initial = Some(p.as_array().to_vec());
                // The subsample's Hessian of the mean objective approximates the full
                // data's (and is invariant to the shift of ln α, ln β by the time scale).
                hess = Some((
                    [
                        p.r.ln(),
                        (p.alpha * scale).ln(),
                        p.s.ln(),
                        (p.beta * scale).ln(),
                    ],
                    h,
                ));
            }
        }
    }
    // The finite-difference Hessian costs 24 evaluations, the gradient 8: the Hessian is
    // reused while the parameters stay within 0.05 (log scale) of where it was taken
    // (Newton with a slightly stale Hessian still converges fast), and taken afresh at
    // the solution for the standard errors.
    let mut f = |th: &[f64; 4], need: Need| {
        if analytic {
            return exact(th, need);
        }
        let f0 = value(th);
        if !need.derivs() || !f0.is_finite() {
            return Eval::value(f0);
        }
        let mut v = |t: &[f64; 4]| value(t);
        match hess {
            Some((at, h)) if (0..4).all(|i| (at[i] - th[i]).abs() < 0.05) => {
                let mut e = optim::finite_gradient(&mut v, th, f0, 1e-4);
                e.h = h;
                e
            }
            _ => {
                let e = optim::finite_differences(&mut v, th, f0, 1e-4);
                hess = Some((*th, e.h));
                e
            }
        }
    };
    let to_theta = |v: &[f64]| {
        [
            v[0].ln(),
            (v[1] * scale).ln(),
            v[2].ln(),
            (v[3] * scale).ln(),
        ]
    };
    // Finite-difference gradients carry ~1e-11 of noise: do not ask for less.
    let tol = opts.tol.max(1e-9);
    let (lo, hi) = ([PARAM_MIN.ln(); 4], [PARAM_MAX.ln(); 4]);
    let clean = |o: &optim::Outcome<4>| o.converged && o.at_bound.iter().all(|&b| b == 0);
    let (mut o, runs) = match (&initial, strategy) {
        (None, Strategy::Single | Strategy::Legacy) => (
            optim::minimize(&mut f, [0.1; 4], lo, hi, opts.max_iter, tol),
            1,
        ),
        (Some(v), Strategy::Single | Strategy::Legacy) => (
            optim::minimize(&mut f, to_theta(v), lo, hi, opts.max_iter, tol),
            1,
        ),
        (Some(v), Strategy::MultiStart) => {
            let o = optim::minimize(&mut f, to_theta(v), lo, hi, opts.max_iter, tol);
            if clean(&o) {
                (o, 1)
            } else {
                let mut c = vec![to_theta(v)];
                c.extend(candidates(&xtt));
                let (o2, runs) =
                    optim::multi_start(&mut f, &c, lo, hi, opts.max_iter, tol, min_runs(rows));
                (o2, runs + 1)
            }
        }
        (None, Strategy::MultiStart) => optim::multi_start(
            &mut f,
            &candidates(&xtt),
            lo,
            hi,
            opts.max_iter,
            tol,
            min_runs(rows),
        ),
    };
    let ps: [f64; 4] = std::array::from_fn(|i| o.theta[i].exp());
    let ll_scaled = if analytic {
        o.eval = exact(&o.theta, Need::Both);
        pareto_quad::loglik(ps, &qd, false).0
    } else {
        let f0 = value(&o.theta);
        if f0.is_finite() {
            let mut v = |t: &[f64; 4]| value(t);
            o.eval = optim::finite_differences(&mut v, &o.theta, f0, 1e-4);
        }
        loglik(ps, &d)
    };
    let sum_x: f64 = frequency.iter().sum();
    let log_likelihood = ll_scaled + sum_x * scale.ln();
    let natural = [ps[0], ps[1] / scale, ps[2], ps[3] / scale];
    let mut probe = |th: &[f64; 4]| {
        if analytic {
            exact(th, Need::Value).f
        } else {
            value(th)
        }
    };
    let (se, converged, reason) = finish_fit(
        &o,
        Kind::ParetoNbd,
        natural,
        log_likelihood,
        n,
        runs,
        &mut probe,
    );
    let to = |a: [f64; 4]| ParetoNbdParams {
        r: a[0],
        alpha: a[1],
        s: a[2],
        beta: a[3],
    };
    let fit = Fit {
        params: to(natural),
        log_likelihood,
        standard_errors: se.map(to),
        converged,
        reason,
        iterations: o.iterations,
        customers: n,
        distinct_rows: rows,
    };
    Ok((fit, o.eval.h))
}

impl ParetoNbdParams {
    pub fn as_array(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }
    /// Log-likelihood of one customer's (x, t_x, T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let (r, al, s, be) = (self.r, self.alpha, self.s, self.beta);
        ln_gamma(r + x) - ln_gamma(r)
            + r * al.ln()
            + s * be.ln()
            + logaddexp(
                ln_alive(r, al, s, be, x, age),
                ln_death(r, al, s, be, x, t_x, age),
            )
    }
    /// P(alive at T | x, t_x, T) = 1 / (1 + s·I·(α+T)^(r+x)·(β+T)^s).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let (r, al, s, be) = (self.r, self.alpha, self.s, self.beta);
        let u = ln_death(r, al, s, be, x, t_x, age) - ln_alive(r, al, s, be, x, age);
        if u == f64::NEG_INFINITY {
            return 1.0;
        }
        (-softplus(u)).exp()
    }
    /// Expected purchases in (T, T+t] if alive: (r+x)(β+T)/((α+T)(s−1))·\[1 − ((β+T)/(β+T+t))^(s−1)\]
    /// (the s → 1 limit, (r+x)/(α+T)·(β+T)·ln((β+T+t)/(β+T)), needs no special case).
    pub(crate) fn numerator(&self, x: f64, age: f64, t: f64) -> f64 {
        if t.is_nan() || t <= 0.0 {
            return 0.0;
        }
        let l = -(t / (self.beta + age)).ln_1p();
        (self.r + x) / (self.alpha + age)
            * (self.beta + age)
            * (-l)
            * expm1_over((self.s - 1.0) * l)
    }
    /// E\[Y(t) | x, t_x, T\] = numerator · P(alive).
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.numerator(x, age, t) * self.p_alive(x, t_x, age)
    }
    /// Unconditional E\[X(t)\] = rβ/(α(s−1))·\[1 − (β/(β+t))^(s−1)\].
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        if t.is_nan() || t <= 0.0 {
            return 0.0;
        }
        let l = -(t / self.beta).ln_1p();
        self.r / self.alpha * self.beta * (-l) * expm1_over((self.s - 1.0) * l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ln I by brute-force quadrature (composite Simpson on a log-spaced grid, in log space).
    fn quad(r: f64, al: f64, s: f64, be: f64, x: f64, tx: f64, t: f64) -> f64 {
        let n = 400_000;
        let c = al.min(be);
        let (u0, u1) = ((c + tx).ln(), (c + t).ln());
        let h = (u1 - u0) / n as f64;
        let lg = |u: f64| {
            let tau = u.exp() - c;
            u - (r + x) * (al + tau).ln() - (s + 1.0) * (be + tau).ln()
        };
        let m = (0..=n)
            .map(|i| lg(u0 + i as f64 * h))
            .fold(f64::NEG_INFINITY, f64::max);
        let mut acc = (lg(u0) - m).exp() + (lg(u1) - m).exp();
        for i in 1..n {
            acc += (lg(u0 + i as f64 * h) - m).exp() * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        m + (acc * h / 3.0).ln()
    }

    #[test]
    fn quadrature_loglik_matches_series_and_its_derivatives_finite_differences() {
        let mut rng = crate::sample::Rng::new(5);
        // Rows on a day grid (scaled to max T = 1) with frequencies up to 60, and one
        // customer with x = 1000.
        let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
        for _ in 0..400 {
            let age = (rng.uniform() * 365.0).floor() / 364.0;
            let f = (rng.uniform().powi(3) * 60.0).floor();
            x.push(f);
            t.push(age);
            tx.push(if f > 0.0 {
                (rng.uniform() * age * 364.0).floor() / 364.0
            } else {
                0.0
            });
        }
        x.push(1000.0);
        tx.push(0.1);
        t.push(1.0);
        let c = collapse::collapse_xtt(&x, &tx, &t, 1.0);
        let old = Data::new(&c);
        let new = super::super::pareto_quad::QData::new(&c);
        for p in [
            [0.55, 0.27, 0.61, 0.3],
            [0.2, 0.05, 2.0, 5.0],
            [2.0, 3.0, 0.3, 0.01],
            [0.9, 1e-4, 1.0, 1e3],
            [0.9, 1e3, 1.0, 1e-4],
            [0.5, 1e-8, 0.01, 1e-8],
            [0.5, 0.1, 1e-6, 1e4],
            [5.0, 0.2, 50.0, 20.0],
        ] {
            let want = loglik(p, &old);
            let (got, g, h) = super::super::pareto_quad::loglik(p, &new, true);
            assert!(
                (got - want).abs() < 1e-9 * want.abs().max(1.0),
                "{p:?}: {got} vs {want}"
            );
            let (v, _, _) = super::super::pareto_quad::loglik(p, &new, false);
            assert_eq!(v, got);
            for i in 0..4 {
                let e = 1e-4 * p[i];
                let (mut a, mut b) = (p, p);
                a[i] += e;
                b[i] -= e;
                let (fa, ga, _) = super::super::pareto_quad::loglik(a, &new, true);
                let (fb, gb, _) = super::super::pareto_quad::loglik(b, &new, true);
                let fd = (fa - fb) / (2.0 * e);
                assert!(
                    (fd - g[i]).abs() < 1e-5 * (1.0 + g[i].abs()),
                    "{p:?} g{i}: {} vs {fd}",
                    g[i]
                );
                for j in 0..4 {
                    let fd = (ga[j] - gb[j]) / (2.0 * e);
                    assert!(
                        (fd - h[i][j]).abs() < 1e-4 * (1.0 + h[i][j].abs()),
                        "{p:?} h{i}{j}: {} vs {fd}",
                        h[i][j]
                    );
                }
            }
        }
    }

    #[test]
    fn death_integral_matches_quadrature() {
        for &(r, al, s, be, x, tx, t) in &[
            (
                0.55f64, 10.6f64, 0.61f64, 11.7f64, 2.0f64, 30.43f64, 38.86f64,
            ),
            (0.55, 10.6, 0.61, 11.7, 0.0, 0.0, 20.0),
            (0.55, 2.0, 0.61, 40.0, 5.0, 3.0, 50.0),
            (2.0, 40.0, 1.5, 0.5, 1.0, 0.5, 9.0),
            (0.9, 1.0, 1.0, 1.0, 3.0, 1.0, 4.0),
            (0.2, 2.0, 0.9, 1e4, 1000.0, 10.0, 100.0),
            (0.2, 3e4, 0.9, 2.0, 1000.0, 10.0, 100.0),
            (0.2, 3e4, 0.9, 2.0, 0.0, 0.0, 100.0),
            (0.2, 2.0, 0.9, 3e4, 0.0, 0.0, 100.0),
            (0.5, 1e6, 1e-8, 200.0, 2.0, 0.3, 0.4),
        ] {
            let want = s.ln() + quad(r, al, s, be, x, tx, t);
            let got = ln_death(r, al, s, be, x, tx, t);
            assert!(
                (got - want).abs() < 1e-8,
                "{r} {al} {s} {be} {x} {tx} {t}: {got} vs {want}"
            );
            let q = s.ln() + ln_death_quadrature(r, al, s, be, x, tx, t);
            assert!(
                (q - want).abs() < 1e-9,
                "quadrature {r} {al} {s} {be} {x} {tx} {t}: {q} vs {want}"
            );
        }
    }
}
