//! BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin
//! 2007): fits and predictions.
//!
//! Both models share one likelihood with a shift `m` (0 for BG/NBD, 1 for MBG/NBD):
//!
//! ```text
//! LL = lnΓ(r+x) − lnΓ(r) + r ln α                                  (A1)
//!    + lnΓ(a+b) + lnΓ(b+x+m) − lnΓ(b) − lnΓ(a+b+x+m)                 (A2)
//!    − (r+x) ln(α+T)                                                 (A3)
//!    + [x>0 or m=1] · softplus(ln a − ln(b+x+m−1) + (r+x) ln((α+T)/(α+t_x)))
//! ```
//!
//! which is `A1 + A2 + logsumexp(A3, A4)` of the reference README written with one
//! `softplus` (no overflow for any input).

use super::collapse;

/// Newton runs of a default fit at least (see [`optim::multi_start`]): every candidate
/// when the data are small, else as many as about 120,000 distinct-row evaluations per
/// iteration allow, at least 5. (MBG/NBD can have two maxima, one with a, b < 1, whose
/// basin only a few of the candidates reach.)
fn min_runs(rows: usize) -> usize {
    (120_000 / rows.max(1)).clamp(5, 64)
}
use super::optim::{self, Eval, Need};
use super::special::{
    digamma, expm1_over, gauss_tail, ln_gamma, sigmoid, softplus, softplus_sigmoid, trigamma,
};
use super::{
    finish_fit, validate_summaries, warm_sample, Fit, FitOptions, Kind, LEGACY_WARM_START_MIN,
    PARAM_MAX, PARAM_MIN, WARM_START_MIN,
};
use crate::error::{Error, ErrorCode};

/// BG/NBD parameters: purchase rates λ ~ Gamma(shape r, rate α); after each repeat
/// purchase the customer drops out with probability p ~ Beta(a, b). α is in the time
/// unit of the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// MBG/NBD parameters: as BG/NBD, but the customer may also drop out right after the
/// first purchase (so one-time buyers can be inactive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MbgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

pub(crate) const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// Distinct (x, t_x, T) rows grouped by x, on the fit's time scale. T and t_x are stored
/// as indices into tables of their distinct values, so each evaluation takes one
/// logarithm per distinct T and t_x value instead of two per row; the A3 term is summed
/// per distinct T value.
struct Data {
    groups: Vec<(f64, usize, usize)>,
    group_w: Vec<f64>,
    ti: Vec<u32>,
    xi: Vec<u32>,
    w: Vec<f64>,
    /// Distinct T values, with Σw and Σw·x of their rows.
    tv: Vec<f64>,
    t_w: Vec<f64>,
    t_wx: Vec<f64>,
    /// Distinct t_x values.
    xv: Vec<f64>,
}

impl Data {
    fn new(c: collapse::Xtt) -> Data {
        let mut t_w = vec![0.0; c.t_values.len()];
        let mut t_wx = vec![0.0; c.t_values.len()];
        for &(x, s, e) in &c.groups {
            for i in s..e {
                let j = c.t_id[i] as usize;
                t_w[j] += c.weight[i];
                t_wx[j] += c.weight[i] * x;
            }
        }
        Data {
            group_w: c
                .groups
                .iter()
                .map(|&(_, s, e)| c.weight[s..e].iter().sum())
                .collect(),
            groups: c.groups,
            ti: c.t_id,
            xi: c.tx_id,
            w: c.weight,
            tv: c.t_values,
            t_w,
            t_wx,
            xv: c.tx_values,
        }
    }
    fn rows(&self) -> usize {
        self.w.len()
    }
}

type Derivs = ([f64; 4], [[f64; 4]; 4]);

/// Total log-likelihood (when `need.value()`, else NaN) and, when `need.derivs()`, its
/// gradient and Hessian with respect to the natural parameters (r, α, a, b).
fn loglik(p: [f64; 4], d: &Data, m: f64, need: Need) -> (f64, Derivs) {
    let (want_ll, need) = (need.value(), need.derivs());
    let [r, al, a, b] = p;
    let (mut ll, mut g, mut h) = (0.0, [0.0; 4], [[0.0; 4]; 4]);
    // A3 = −(r+x) ln(α+T), per distinct T; and the tables ln(α+T), 1/(α+T), ln(α+t_x), 1/(α+t_x).
    let mut lp = Vec::with_capacity(d.tv.len());
    let mut ip = Vec::with_capacity(d.tv.len());
    for (j, &t) in d.tv.iter().enumerate() {
        let pp = al + t;
        let (l, i) = (pp.ln(), 1.0 / pp);
        lp.push(l);
        ip.push(i);
        let (w, wk) = (d.t_w[j], r * d.t_w[j] + d.t_wx[j]);
        ll -= wk * l;
        if need {
            g[0] -= w * l;
            g[1] -= wk * i;
            h[0][1] -= w * i;
            h[1][1] += wk * i * i;
        }
    }
    let lq: Vec<f64> = d.xv.iter().map(|&t| (al + t).ln()).collect();
    let iq: Vec<f64> = if need {
        d.xv.iter().map(|&t| 1.0 / (al + t)).collect()
    } else {
        Vec::new()
    };
    let (ln_al, lg_r, lg_b, lg_ab) = (al.ln(), ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
    let (dg_r, dg_b, dg_ab, tg_r, tg_b, tg_ab) = if need {
        (
            digamma(r),
            digamma(b),
            digamma(a + b),
            trigamma(r),
            trigamma(b),
            trigamma(a + b),
        )
    } else {
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    };
    let ln_a = a.ln();
    for (gi, &(x, s, e)) in d.groups.iter().enumerate() {
        let wg = d.group_w[gi];
        let k = r + x;
        let xm = x + m;
        // A1 and A2: per frequency.
        if want_ll {
            ll += wg * (ln_gamma(k) - lg_r + r * ln_al);
            if xm > 0.0 {
                ll += wg * (lg_ab + ln_gamma(b + xm) - lg_b - ln_gamma(a + b + xm));
            }
        }
        if need {
            g[0] += wg * (digamma(k) - dg_r + ln_al);
            g[1] += wg * r / al;
            h[0][0] += wg * (trigamma(k) - tg_r);
            h[0][1] += wg / al;
            h[1][1] -= wg * r / (al * al);
            if xm > 0.0 {
                let (dg2, tg2) = (digamma(a + b + xm), trigamma(a + b + xm));
                g[2] += wg * (dg_ab - dg2);
                g[3] += wg * (dg_ab + digamma(b + xm) - dg_b - dg2);
                let haa = tg_ab - tg2;
                h[2][2] += wg * haa;
                h[2][3] += wg * haa;
                h[3][3] += wg * (tg_ab + trigamma(b + xm) - tg_b - tg2);
            }
        }
        if x == 0.0 && m == 0.0 {
            continue; // BG/NBD, x = 0: A3 only (done above).
        }
        // softplus(u), u = ln a − ln(b+x+m−1) + (r+x)(ln(α+T) − ln(α+t_x)).
        let bx = b + x + m - 1.0;
        let c0 = ln_a - bx.ln();
        let (ua, ub) = (1.0 / a, -1.0 / bx);
        let (ti, xi, w) = (&d.ti[s..e], &d.xi[s..e], &d.w[s..e]);
        if !need {
            for i in 0..w.len() {
                ll += w[i] * softplus(c0 + k * (lp[ti[i] as usize] - lq[xi[i] as usize]));
            }
            continue;
        }
        // Group sums of σ and σ(1−σ) (and their products with u_r, u_α) for the a, b terms.
        let (mut s1, mut s2, mut s2r, mut s2a) = (0.0, 0.0, 0.0, 0.0);
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..w.len() {
            let (tj, xj) = (ti[i] as usize, xi[i] as usize);
            let ur = lp[tj] - lq[xj];
            let dip = ip[tj] - iq[xj];
            let sg = if want_ll {
                let (sp, sg) = softplus_sigmoid(c0 + k * ur);
                ll += w[i] * sp;
                sg
            } else {
                sigmoid(c0 + k * ur)
            };
            let ws = w[i] * sg;
            let wss = ws * (1.0 - sg);
            let ual = k * dip;
            g0 += ws * ur;
            g1 += ws * ual;
            h00 += wss * ur * ur;
            h01 += wss * ur * ual + ws * dip;
            h11 += wss * ual * ual + ws * k * (iq[xj] * iq[xj] - ip[tj] * ip[tj]);
            s1 += ws;
            s2 += wss;
            s2r += wss * ur;
            s2a += wss * ual;
        }
        g[0] += g0;
        g[1] += g1;
        h[0][0] += h00;
        h[0][1] += h01;
        h[1][1] += h11;
        g[2] += s1 * ua;
        g[3] += s1 * ub;
        h[0][2] += s2r * ua;
        h[0][3] += s2r * ub;
        h[1][2] += s2a * ua;
        h[1][3] += s2a * ub;
        h[2][2] += s2 * ua * ua - s1 * ua * ua;
        h[2][3] += s2 * ua * ub;
        h[3][3] += s2 * ub * ub + s1 * ub * ub;
    }
    super::optim::symmetrize(&mut h);
    (ll, (g, h))
}

/// The fit objective on the log scale: −LL/W + penalizer·Σp², with gradient and Hessian.
fn objective(th: &[f64; 4], d: &Data, m: f64, total: f64, pen: f64, need: Need) -> Eval<4> {
    let p: [f64; 4] = std::array::from_fn(|i| th[i].exp());
    let (ll, (g, h)) = loglik(p, d, m, need);
    let f = -ll / total + pen * p.iter().map(|v| v * v).sum::<f64>();
    let f = if !need.value() {
        f64::NAN
    } else if f.is_finite() {
        f
    } else {
        f64::INFINITY
    };
    let mut e = Eval::value(f);
    if need.derivs() {
        let gp: [f64; 4] = std::array::from_fn(|i| -g[i] / total + 2.0 * pen * p[i]);
        for i in 0..4 {
            e.g[i] = p[i] * gp[i];
            for j in 0..4 {
                e.h[i][j] = p[i] * p[j] * (-h[i][j] / total + if i == j { 2.0 * pen } else { 0.0 });
            }
            e.h[i][i] += p[i] * gp[i];
        }
    }
    e
}

/// Candidate starts (log scale, fit time scale) for the BG/NBD family: lifetimes'
/// e^0.1 for every parameter, moment estimates of the purchase-rate distribution
/// combined with a few dropout distributions, and points around them on the log scale.
fn candidates(d: &Data) -> Vec<[f64; 4]> {
    // Rates x/T of customers with T > 0: mean and (Poisson noise removed) variance give
    // the Gamma(r, α) moments r/α and r/α².
    let (mut w, mut s1, mut s2, mut noise) = (0.0, 0.0, 0.0, 0.0);
    for &(x, s, e) in &d.groups {
        for i in s..e {
            let t = d.tv[d.ti[i] as usize];
            if t > 0.0 {
                let rho = x / t;
                w += d.w[i];
                s1 += d.w[i] * rho;
                s2 += d.w[i] * rho * rho;
                noise += d.w[i] * rho / t;
            }
        }
    }
    let (r0, a0) = super::rate_moments(w, s1, s2, noise);
    let mut c = vec![[0.1; 4]];
    // Dropout distributions: mean a/(a+b) from 0.06 to 0.8, from very heterogeneous
    // (a, b < 1: a second likelihood maximum of MBG/NBD lives there) to nearly common.
    for rm in [1.0, 0.25, 4.0] {
        for (a, b) in [
            (1.0, 3.0),
            (0.5, 5.0),
            (3.0, 12.0),
            (20.0, 80.0),
            (0.2, 0.5),
            (2.0, 1.0),
        ] {
            c.push([(r0 * rm).ln(), (a0 * rm).ln(), f64::ln(a), f64::ln(b)]);
        }
    }
    c
}

/// How a fit chooses where Newton starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// [`optim::multi_start`] over [`candidates`] (default).
    MultiStart,
    /// The fit before the multi-start search: one run from `initial`, the subsample fit, or e^0.1 (kept for the
    /// benchmark and the test grid's comparison).
    Single,
}

pub(crate) fn fit_family(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
    m: f64,
    strategy: Strategy,
) -> Result<Fit<[f64; 4]>, Error> {
    let n = validate_summaries(frequency, recency, age)?;
    opts.validate(4)?;
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers were given"));
    }
    let max_t = age.iter().copied().fold(0.0, f64::max);
    let scale = if max_t > 0.0 { 1.0 / max_t } else { 1.0 };
    let d = Data::new(collapse::collapse_xtt(frequency, recency, age, scale));
    let total = n as f64;
    let mut initial = opts.initial.clone();
    let warm_min = match strategy {
        Strategy::MultiStart => WARM_START_MIN,
        Strategy::Single => LEGACY_WARM_START_MIN,
    };
    if initial.is_none() && n >= warm_min {
        // The start question is settled on the subsample (multi-start there); the full
        // data then need two or three Newton iterations.
        let [x, tx, t] = warm_sample(frequency, recency, age);
        let o = FitOptions {
            tol: 1e-6,
            initial: None,
            ..opts.clone()
        };
        if let Ok(f) = fit_family(&x, &tx, &t, &o, m, strategy) {
            if f.converged {
                initial = Some(f.params.to_vec());
            }
        }
    }
    let to_theta = |v: &[f64]| [v[0].ln(), (v[1] * scale).ln(), v[2].ln(), v[3].ln()];
    let pen = opts.penalizer;
    let mut f = |th: &[f64; 4], need: Need| objective(th, &d, m, total, pen, need);
    let (lo, hi) = ([PARAM_MIN.ln(); 4], [PARAM_MAX.ln(); 4]);
    let clean = |o: &optim::Outcome<4>| o.converged && o.at_bound.iter().all(|&b| b == 0);
    let (o, runs) = match (&initial, strategy) {
        (None, Strategy::Single) => (
            optim::minimize(&mut f, [0.1; 4], lo, hi, opts.max_iter, opts.tol),
            1,
        ),
        (Some(v), Strategy::Single) => (
            optim::minimize(&mut f, to_theta(v), lo, hi, opts.max_iter, opts.tol),
            1,
        ),
        (Some(v), Strategy::MultiStart) => {
            // One run from the given (or subsample) start; the other starts only when it
            // ends on a bound or does not converge.
            let o = optim::minimize(&mut f, to_theta(v), lo, hi, opts.max_iter, opts.tol);
            if clean(&o) {
                (o, 1)
            } else {
                let mut c = vec![to_theta(v)];
                c.extend(candidates(&d));
                let (o2, runs) = optim::multi_start(
                    &mut f,
                    &c,
                    lo,
                    hi,
                    opts.max_iter,
                    opts.tol,
                    min_runs(d.rows()),
                );
                (o2, runs + 1)
            }
        }
        (None, Strategy::MultiStart) => optim::multi_start(
            &mut f,
            &candidates(&d),
            lo,
            hi,
            opts.max_iter,
            opts.tol,
            min_runs(d.rows()),
        ),
    };
    let ps: [f64; 4] = std::array::from_fn(|i| o.theta[i].exp());
    let (ll_scaled, _) = loglik(ps, &d, m, Need::Value);
    // Rates scale with time: LL in data units = LL on the fit scale + Σ x · ln(scale).
    let sum_x: f64 = frequency.iter().sum();
    let log_likelihood = ll_scaled + sum_x * scale.ln();
    let natural = [ps[0], ps[1] / scale, ps[2], ps[3]];
    let kind = if m == 0.0 { Kind::BgNbd } else { Kind::MbgNbd };
    let mut value = |th: &[f64; 4]| objective(th, &d, m, total, pen, Need::Value).f;
    let (se, converged, reason) =
        finish_fit(&o, kind, natural, log_likelihood, n, runs, &mut value);
    Ok(Fit {
        params: natural,
        log_likelihood,
        standard_errors: se,
        converged,
        reason,
        iterations: o.iterations,
        customers: n,
        distinct_rows: d.rows(),
    })
}

fn to_bg(a: [f64; 4]) -> BgNbdParams {
    BgNbdParams {
        r: a[0],
        alpha: a[1],
        a: a[2],
        b: a[3],
    }
}
fn to_mbg(a: [f64; 4]) -> MbgNbdParams {
    MbgNbdParams {
        r: a[0],
        alpha: a[1],
        a: a[2],
        b: a[3],
    }
}

/// Maximum-likelihood BG/NBD fit on summaries (`frequency` x, `recency` t_x, `age` T,
/// all in one time unit). Identical rows are collapsed into weights first; the four
/// parameters are optimised on the log scale by Newton's method with the analytic
/// gradient and Hessian.
///
/// Starts: without `initial`, Newton runs from several starts (lifetimes' e^0.1, moment
/// estimates of the purchase rates with several dropout distributions, points around
/// them on the log scale), best-scored first, until two runs agree on the optimum; the
/// best run is returned (`iterations` are those of that run). Fits of ≥ 100,000
/// customers settle the start on a 50,000-customer subsample and run once on the full
/// data. With `initial`, one run starts there; the other starts are tried only when it
/// ends on a bound or does not converge. `converged: false` with a bound-related reason
/// means no start found a higher likelihood away from the bound; the reason says which
/// parameters run away and what that means for the model.
pub fn fit_bg_nbd(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
) -> Result<Fit<BgNbdParams>, Error> {
    fit_bg_nbd_with(frequency, recency, age, opts, Strategy::MultiStart)
}

pub(crate) fn fit_bg_nbd_with(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
    strategy: Strategy,
) -> Result<Fit<BgNbdParams>, Error> {
    let f = fit_family(frequency, recency, age, opts, 0.0, strategy)?;
    Ok(Fit {
        params: to_bg(f.params),
        standard_errors: f.standard_errors.map(to_bg),
        log_likelihood: f.log_likelihood,
        converged: f.converged,
        reason: f.reason,
        iterations: f.iterations,
        customers: f.customers,
        distinct_rows: f.distinct_rows,
    })
}

/// Maximum-likelihood MBG/NBD fit; same inputs, options and method as [`fit_bg_nbd`].
pub fn fit_mbg_nbd(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
) -> Result<Fit<MbgNbdParams>, Error> {
    fit_mbg_nbd_with(frequency, recency, age, opts, Strategy::MultiStart)
}

pub(crate) fn fit_mbg_nbd_with(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    opts: &FitOptions,
    strategy: Strategy,
) -> Result<Fit<MbgNbdParams>, Error> {
    let f = fit_family(frequency, recency, age, opts, 1.0, strategy)?;
    Ok(Fit {
        params: to_mbg(f.params),
        standard_errors: f.standard_errors.map(to_mbg),
        log_likelihood: f.log_likelihood,
        converged: f.converged,
        reason: f.reason,
        iterations: f.iterations,
        customers: f.customers,
        distinct_rows: f.distinct_rows,
    })
}

/// `ln a − ln(b+x+m−1) + (r+x)·ln((α+T)/(α+t_x))`: P(alive) = 1/(1 + eᵘ).
#[allow(clippy::too_many_arguments)]
fn alive_logit(r: f64, alpha: f64, a: f64, b: f64, m: f64, x: f64, t_x: f64, t: f64) -> f64 {
    a.ln() - (b + x + m - 1.0).ln() + (r + x) * ((alpha + t) / (alpha + t_x)).ln()
}

/// E\[purchases in (T, T+t\] | alive at T, x] for the BG/NBD family:
/// `c/(a−1) · \[1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b_e+x; c; z)\]`, c = a+b_e+x−1,
/// z = t/(α+T+t), with `b_e` = b (BG/NBD) or b+1 (MBG/NBD).
///
/// Evaluated through Euler's transformation
/// `(1−z)^(r+x) ₂F₁(r+x, b_e+x; c; z) = (1−z)^(a−1) ₂F₁(c−r−x, a−1; c; z)`,
/// whose series has terms of size ~n^(a−r−x−2) zⁿ (fast for large x) and bounded for
/// a ≤ 2. For a ≤ 2 the factor 1/(a−1) is folded into the series, so a = 1 needs no
/// special case: `c · \[−L·(e^{(a−1)L}−1)/((a−1)L) − (1−z)^(a−1) Σₙ≥₁ (c−r−x)ₙ (a)ₙ₋₁ zⁿ / ((c)ₙ n!)\]`
/// with L = ln(1−z). For a > 2 the series is summed with a running scale (no overflow
/// even for a huge a) and combined in log space. The series stops when its remaining
/// tail is below 1e-17 of the sum (at most [`super::special::MAX_TERMS`] terms, i.e.
/// only for t ≫ α+T, horizons far beyond the data, does it give up early).
pub(crate) fn family_numerator(
    r: f64,
    alpha: f64,
    a: f64,
    be: f64,
    x: f64,
    age: f64,
    t: f64,
) -> f64 {
    if t.is_nan() || t <= 0.0 {
        return 0.0;
    }
    let c = a + be + x - 1.0;
    let ratio = t / (alpha + age);
    let l = -ratio.ln_1p(); // ln(1−z)
    let z = t / (alpha + age + t);
    let big_a = c - r - x;
    let s = gauss_tail(big_a * z / c, big_a, a - 1.0, c, z);
    let e = (a - 1.0) * l;
    let v = if a <= 2.0 {
        let tail = s.value * (e + s.log_scale).exp();
        c * (-l * expm1_over(e) - tail)
    } else {
        let inner = if s.log_scale == 0.0 {
            ((a - 1.0) * s.value).ln_1p()
        } else {
            s.log_scale + ((a - 1.0) * s.value + (-s.log_scale).exp()).ln()
        };
        let log_g = e + inner;
        c / (a - 1.0) * (-log_g.exp_m1())
    };
    if v.is_finite() {
        v.max(0.0)
    } else {
        0.0
    }
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

impl BgNbdParams {
    pub fn as_array(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }
    /// Log-likelihood of one customer's (x, t_x, T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        one_loglik(self.as_array(), 0.0, x, t_x, age)
    }
    /// P(alive at T | x, t_x, T) = 1 / (1 + \[x>0\] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        if x <= 0.0 {
            return 1.0;
        }
        let u = alive_logit(self.r, self.alpha, self.a, self.b, 0.0, x, t_x, age);
        1.0 / (1.0 + u.exp())
    }
    /// E\[Y(t) | x, t_x, T\]: expected repeat purchases in the next `t` units
    /// (README formula; the ₂F₁ is summed after Euler's transformation, see the module source).
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        family_numerator(self.r, self.alpha, self.a, self.b, x, age, t) * self.p_alive(x, t_x, age)
    }
    /// Unconditional E\[X(t)\]: expected repeat purchases of a new customer within `t`
    /// units of the first purchase, (a+b−1)/(a−1)·\[1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))\].
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        family_numerator(self.r, self.alpha, self.a, self.b, 0.0, 0.0, t)
    }
    /// P(X(t) = n) for a new customer (Fader, Hardie & Lee 2005, eq. 8).
    pub fn probability_of_purchases(&self, n: u32, t: f64) -> f64 {
        let (r, al, a, b) = (self.r, self.alpha, self.a, self.b);
        if t.is_nan() || t <= 0.0 {
            return if n == 0 { 1.0 } else { 0.0 };
        }
        let nf = n as f64;
        let ln_q = -(t / al).ln_1p(); // ln(α/(α+t))
        let ln_z = (t / (al + t)).ln(); // ln(t/(α+t))
        let lg_r = ln_gamma(r);
        let log_nb = |j: f64| ln_gamma(r + j) - lg_r - ln_gamma(j + 1.0) + r * ln_q + j * ln_z;
        let lb = ln_beta(a, b);
        let mut p = (ln_beta(a, b + nf) - lb + log_nb(nf)).exp();
        if n > 0 {
            // P(NB ≥ n), summed on the side that avoids cancellation.
            let mut cdf = 0.0;
            let mut lt = r * ln_q; // log pmf(0)
            for j in 0..n {
                cdf += lt.exp();
                let jf = j as f64;
                let step = ((r + jf) / (jf + 1.0)).ln() + ln_z;
                lt += step;
                if step < 0.0 && lt < -745.0 {
                    break; // every further term underflows to 0
                }
            }
            let tail = if cdf <= 0.5 {
                1.0 - cdf
            } else {
                let mut s = 0.0;
                let mut lt = log_nb(nf);
                let mut j = nf;
                for _ in 0..super::special::MAX_TERMS {
                    let v = lt.exp();
                    s += v;
                    if v <= 1e-17 * s && (r + j) / (j + 1.0) * ln_z.exp() < 0.99 {
                        break;
                    }
                    lt += ((r + j) / (j + 1.0)).ln() + ln_z;
                    j += 1.0;
                }
                s
            };
            p += (ln_beta(a + 1.0, b + nf - 1.0) - lb).exp() * tail.clamp(0.0, 1.0);
        }
        p.clamp(0.0, 1.0)
    }
}

impl MbgNbdParams {
    pub fn as_array(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }
    /// Log-likelihood of one customer's (x, t_x, T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        one_loglik(self.as_array(), 1.0, x, t_x, age)
    }
    /// P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let u = alive_logit(self.r, self.alpha, self.a, self.b, 1.0, x, t_x, age);
        1.0 / (1.0 + u.exp())
    }
    /// E\[Y(t) | x, t_x, T\] = (a+b+x)/(a−1)·\[1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)\] · P(alive).
    pub fn expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        family_numerator(self.r, self.alpha, self.a, self.b + 1.0, x, age, t)
            * self.p_alive(x, t_x, age)
    }
    /// Unconditional E\[X(t)\] = b/(a−1)·\[1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))\].
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        self.b / (self.a + self.b)
            * family_numerator(self.r, self.alpha, self.a, self.b + 1.0, 0.0, 0.0, t)
    }
}

fn rows_data(rows: &[(f64, f64, f64, f64)]) -> Data {
    let col = |k: usize| {
        rows.iter()
            .map(|r| [r.0, r.1, r.2, r.3][k])
            .collect::<Vec<f64>>()
    };
    let mut c = collapse::collapse_xtt(&col(0), &col(1), &col(2), 1.0);
    // Weights other than multiplicities (tests).
    for &(x, s, e) in &c.groups.clone() {
        for i in s..e {
            let (t, tx) = (
                c.t_values[c.t_id[i] as usize],
                c.tx_values[c.tx_id[i] as usize],
            );
            c.weight[i] = rows
                .iter()
                .filter(|r| (r.0, r.1, r.2) == (x, tx, t))
                .map(|r| r.3)
                .sum();
        }
    }
    Data::new(c)
}

fn one_loglik(p: [f64; 4], m: f64, x: f64, t_x: f64, age: f64) -> f64 {
    loglik(p, &rows_data(&[(x, t_x, age, 1.0)]), m, Need::Value).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_derivatives_match_finite_differences() {
        let d = rows_data(&[
            (0.0, 0.0, 0.4, 1.0),
            (0.0, 0.0, 1.0, 2.0),
            (1.0, 0.3, 0.8, 2.0),
            (1.0, 0.9, 1.0, 1.0),
            (7.0, 0.5, 0.95, 1.0),
        ]);
        for m in [0.0, 1.0] {
            let th = [0.2f64.ln(), 0.35f64.ln(), 0.8f64.ln(), 2.4f64.ln()];
            let e = objective(&th, &d, m, 7.0, 0.01, Need::Both);
            let d_only = objective(&th, &d, m, 7.0, 0.01, Need::Derivs);
            assert_eq!(d_only.g, e.g);
            let mut f = |t: &[f64; 4]| objective(t, &d, m, 7.0, 0.01, Need::Value).f;
            let fd = optim::finite_differences(&mut f, &th, e.f, 1e-4);
            for i in 0..4 {
                assert!(
                    (fd.g[i] - e.g[i]).abs() < 1e-6,
                    "m={m} g{i}: {} vs {}",
                    fd.g[i],
                    e.g[i]
                );
                for j in 0..4 {
                    assert!(
                        (fd.h[i][j] - e.h[i][j]).abs() < 1e-5,
                        "m={m} h{i}{j}: {} vs {}",
                        fd.h[i][j],
                        e.h[i][j]
                    );
                }
            }
        }
    }

    #[test]
    fn numerator_matches_direct_series() {
        // Direct (untransformed) series for moderate parameters.
        let direct = |r: f64, al: f64, a: f64, b: f64, x: f64, age: f64, t: f64| {
            let z = t / (al + age + t);
            let (p, q, c) = (r + x, b + x, a + b + x - 1.0);
            let (mut term, mut sum) = (1.0f64, 1.0f64);
            for n in 0..200_000 {
                let nf = n as f64;
                term *= (p + nf) * (q + nf) / ((c + nf) * (nf + 1.0)) * z;
                sum += term;
                if term.abs() < 1e-18 * sum {
                    break;
                }
            }
            c / (a - 1.0) * (1.0 - ((al + age) / (al + age + t)).powf(p) * sum)
        };
        for &(r, al, a, b, x, age, t) in &[
            (0.243, 4.41, 0.793, 2.43, 2.0, 38.86, 39.0),
            (0.243, 4.41, 0.793, 2.43, 0.0, 10.0, 52.0),
            (1.5, 20.0, 3.5, 4.0, 5.0, 30.0, 12.0),
            (0.7, 2.0, 1.2, 0.4, 1.0, 3.0, 100.0),
            (0.7, 2.0, 0.999_999, 0.4, 1.0, 3.0, 10.0),
        ] {
            let want = direct(r, al, a, b, x, age, t);
            let got = family_numerator(r, al, a, b, x, age, t);
            assert!(
                (got - want).abs() < 1e-9 * want.abs().max(1.0),
                "{r} {al} {a} {b} {x} {age} {t}: {got} vs {want}"
            );
        }
    }
}
