//! Special functions for the BTYD models, written out here (no crate): log-gamma,
//! digamma, trigamma, numerically safe `softplus` / sigmoid / `logaddexp`, and the
//! Gauss hypergeometric series the models need.
//!
//! Arguments of the gamma-family functions are always positive here (sums of
//! positive model parameters and counts), so no reflection formula is needed.
//! Each function shifts its argument up to `x ≥ 10` with the recurrence and then
//! uses the asymptotic (Stirling / Bernoulli) series: absolute error ≲ 1e-14.

const SHIFT: f64 = 10.0;
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// ln Γ(x) for x > 0.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut y = x;
    let mut prod = 1.0;
    while y < SHIFT {
        prod *= y;
        y += 1.0;
    }
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    // Bernoulli terms B_2k / (2k (2k-1) y^(2k-1)), k = 1..7.
    let series = inv
        * (1.0 / 12.0
            + inv2
                * (-1.0 / 360.0
                    + inv2
                        * (1.0 / 1260.0
                            + inv2
                                * (-1.0 / 1680.0
                                    + inv2
                                        * (1.0 / 1188.0
                                            + inv2
                                                * (-691.0 / 360_360.0 + inv2 * (1.0 / 156.0)))))));
    (y - 0.5) * y.ln() - y + HALF_LN_2PI + series - prod.ln()
}

/// ψ(x) = d/dx ln Γ(x), for x > 0.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut y = x;
    let mut acc = 0.0;
    while y < SHIFT {
        acc -= 1.0 / y;
        y += 1.0;
    }
    let inv2 = 1.0 / (y * y);
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0
                                    - inv2
                                        * (1.0 / 132.0
                                            - inv2 * (691.0 / 32_760.0 - inv2 / 12.0))))));
    acc + y.ln() - 0.5 / y - series
}

/// ψ₁(x) = d²/dx² ln Γ(x), for x > 0.
pub fn trigamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut y = x;
    let mut acc = 0.0;
    while y < SHIFT {
        acc += 1.0 / (y * y);
        y += 1.0;
    }
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    let series = inv
        + inv2 * 0.5
        + inv
            * inv2
            * (1.0 / 6.0
                - inv2
                    * (1.0 / 30.0
                        - inv2
                            * (1.0 / 42.0
                                - inv2
                                    * (1.0 / 30.0
                                        - inv2
                                            * (5.0 / 66.0
                                                - inv2 * (691.0 / 2730.0 - inv2 * 7.0 / 6.0))))));
    acc + series
}

/// ln(1 + eᵘ) without overflow or loss of precision.
#[inline]
pub fn softplus(u: f64) -> f64 {
    u.max(0.0) + (-u.abs()).exp().ln_1p()
}

/// (softplus(u), sigmoid(u)) with one exponential.
#[inline]
pub fn softplus_sigmoid(u: f64) -> (f64, f64) {
    let e = (-u.abs()).exp();
    let sp = u.max(0.0) + e.ln_1p();
    let sig = if u >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    };
    (sp, sig)
}

/// 1/(1 + e⁻ᵘ) with one exponential and no overflow.
#[inline]
pub fn sigmoid(u: f64) -> f64 {
    let e = (-u.abs()).exp();
    if u >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// ln(eᵃ + eᵇ); `-inf` arguments allowed.
#[inline]
pub fn logaddexp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + (a.min(b) - m).exp().ln_1p()
}

/// ln(eᵃ − eᵇ) for a ≥ b (`-inf` when equal).
#[inline]
pub fn logsubexp(a: f64, b: f64) -> f64 {
    if b == f64::NEG_INFINITY {
        return a;
    }
    let d = b - a;
    if d >= 0.0 {
        return f64::NEG_INFINITY;
    }
    a + if d > -std::f64::consts::LN_2 {
        (-d.exp_m1()).ln()
    } else {
        (-d.exp()).ln_1p()
    }
}

/// (eˣ − 1)/x, equal to 1 at x = 0.
#[inline]
pub fn expm1_over(x: f64) -> f64 {
    if x.abs() < 1e-5 {
        1.0 + x * (0.5 + x / 6.0)
    } else {
        x.exp_m1() / x
    }
}

/// Most terms any series here sums before it gives up (keeps every call bounded).
pub const MAX_TERMS: usize = 2_000_000;

/// A sum kept as `value · e^scale`, so that series whose terms exceed the f64 range
/// still sum correctly.
#[derive(Clone, Copy, Debug)]
pub struct Scaled {
    pub value: f64,
    pub log_scale: f64,
}

/// Σ_{n≥1} tₙ with t₁ = `first` and tₙ₊₁ = tₙ · (A+n)(B+n) z / ((C+n)(n+1)) —
/// i.e. the tail of the Gauss series ₂F₁(A, B; C; z) scaled so that the first term is
/// `first` (callers use it for shifted Pochhammer products). 0 ≤ z < 1.
///
/// Stops when the current term, times the geometric bound z/(1−z) on what is left,
/// no longer changes the sum; the term ratio tends to z from below for the
/// parameter ranges used here, so the bound holds. Gives up after [`MAX_TERMS`].
pub fn gauss_tail(first: f64, a: f64, b: f64, c: f64, z: f64) -> Scaled {
    let mut term = first;
    let mut sum = first;
    let mut log_scale = 0.0;
    if first == 0.0 || z == 0.0 {
        return Scaled {
            value: sum,
            log_scale,
        };
    }
    let tail_factor = z / (1.0 - z).max(f64::MIN_POSITIVE);
    let mut n = 1.0;
    for _ in 0..MAX_TERMS {
        let ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term.abs() > 1e250 || sum.abs() > 1e250 {
            term *= 1e-250;
            sum *= 1e-250;
            log_scale += 250.0 * std::f64::consts::LN_10;
        }
        n += 1.0;
        if ratio.abs() < 1.0
            && term.abs() * tail_factor.max(ratio.abs() / (1.0 - ratio.abs())) <= 1e-17 * sum.abs()
        {
            break;
        }
        if term == 0.0 {
            break;
        }
    }
    Scaled {
        value: sum,
        log_scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_family_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(2.0)).abs() < 1e-14);
        assert!((ln_gamma(0.5) - 0.5 * std::f64::consts::PI.ln()).abs() < 1e-14);
        assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(1e-6) - 13.815_509_980_749_43).abs() < 1e-9);
        let l171 = (1..171).map(|k| (k as f64).ln()).sum::<f64>();
        assert!((ln_gamma(171.0) - l171).abs() < 1e-10);
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-14);
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
        assert!((trigamma(1.0) - pi2_6).abs() < 1e-13);
        assert!((trigamma(0.5) - 3.0 * pi2_6).abs() < 1e-13);
        // Derivatives agree with finite differences of ln Γ.
        for &x in &[0.03f64, 0.7, 3.3, 12.5, 250.0, 1e5] {
            let h = 1e-5 * x.max(1.0);
            let d = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(
                (d - digamma(x)).abs() < 1e-6 * (1.0 + digamma(x).abs()),
                "{x}"
            );
            let t = (digamma(x + h) - digamma(x - h)) / (2.0 * h);
            assert!(
                (t - trigamma(x)).abs() < 1e-6 * (1.0 + trigamma(x).abs()),
                "{x}"
            );
        }
    }

    #[test]
    fn log_helpers() {
        assert_eq!(softplus(800.0), 800.0);
        assert!(softplus(-800.0) >= 0.0 && softplus(-800.0) < 1e-300);
        assert!((logaddexp(0.0, 0.0) - std::f64::consts::LN_2).abs() < 1e-15);
        assert_eq!(logaddexp(f64::NEG_INFINITY, 3.0), 3.0);
        assert!((logsubexp(2.0_f64.ln(), 0.0)).abs() < 1e-15);
        assert_eq!(logsubexp(1.0, 1.0), f64::NEG_INFINITY);
        let (sp, s) = softplus_sigmoid(-3.0);
        assert!(
            (sp - (1.0 + (-3.0f64).exp()).ln()).abs() < 1e-15
                && (s - 1.0 / (1.0 + 3f64.exp())).abs() < 1e-15
        );
    }

    #[test]
    fn gauss_series() {
        // 2F1(1, 1; 2; z) = -ln(1-z)/z  →  tail from n=1 of the series = that − 1.
        for &z in &[0.1, 0.5, 0.9, 0.99] {
            let s = gauss_tail(0.5 * z, 1.0, 1.0, 2.0, z);
            let want = -(1.0f64 - z).ln() / z - 1.0;
            assert!(
                (s.value - want).abs() < 1e-13 * want,
                "{z}: {} vs {want}",
                s.value
            );
        }
    }
}
