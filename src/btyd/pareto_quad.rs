//! Pareto/NBD log-likelihood with its analytic gradient and Hessian, for the fit.
//!
//! The "dropped out between t_x and T" integral
//! `I = ∫_{t_x}^{T} f(τ) dτ`, `f(τ) = (α+τ)^−(r+x) (β+τ)^−(s+1)`,
//! and its parameter derivatives `∫ ∂f/∂θ dτ`, `∫ ∂²f/∂θ∂θ' dτ` are all integrals of `f`
//! times the (cheap) log-derivatives of `f`, so one quadrature gives all of them. Per
//! frequency group, the group's distinct t_x and T values are sorted, each gap between
//! neighbours is integrated once (Gauss–Legendre panels in u = ln(μ+τ), μ = min(α, β),
//! where the integrand e^{h(u)} has a concave exponent and no singularity within π of
//! the real axis), and suffix sums `S(v) = ∫_v^{v_max} f` (in log space, derivatives
//! normalised by S) give every row's `I = S(t_x) − S(T)`. Since `f` decreases,
//! `S(T)/I ≤ (v_max − T)/(T − t_x)`, so the subtraction loses at most about 4 of 16
//! digits with whole days over decades; neighbouring values use the gap integral itself.
//!
//! The cost is one quadrature per distinct value per frequency instead of one ₂F₁ (or,
//! when one rate scale dwarfs the other, one adaptive quadrature) per row, and the
//! derivatives come with it: Newton needs no finite differences.

use super::collapse;
use super::special::{digamma, ln_gamma, logaddexp, trigamma};

/// 8-point Gauss–Legendre nodes (positive half) and weights on \[−1, 1\].
const GL8: [(f64, f64); 4] = [
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
];

/// Second-derivative index pairs (upper triangle, row-major) of the 4 parameters.
const PAIRS: [(usize, usize); 10] = [
    (0, 0),
    (0, 1),
    (0, 2),
    (0, 3),
    (1, 1),
    (1, 2),
    (1, 3),
    (2, 2),
    (2, 3),
    (3, 3),
];

struct Group {
    x: f64,
    w_sum: f64,
    /// Sorted distinct t_x and T values of the group.
    v: Vec<f64>,
    /// Per row: index of t_x and of T in `v`, weight.
    row_tx: Vec<u32>,
    row_t: Vec<u32>,
    w: Vec<f64>,
    /// Indices in `v` that are some row's T (the "alive" term is needed there).
    is_t: Vec<bool>,
}

pub(crate) struct QData {
    groups: Vec<Group>,
}

impl QData {
    pub(crate) fn new(c: &collapse::Xtt) -> QData {
        let mut groups = Vec::with_capacity(c.groups.len());
        for &(x, s, e) in &c.groups {
            let mut v: Vec<f64> = Vec::with_capacity(2 * (e - s));
            for i in s..e {
                v.push(c.t_values[c.t_id[i] as usize]);
                v.push(c.tx_values[c.tx_id[i] as usize]);
            }
            crate::sort::sort_f64(&mut v);
            v.dedup();
            // Every value looked up was pushed into `v` above, so the search always finds it.
            let find = |val: f64| match v.binary_search_by(|p| p.total_cmp(&val)) {
                Ok(i) | Err(i) => i as u32,
            };
            let mut g = Group {
                x,
                w_sum: 0.0,
                row_tx: Vec::with_capacity(e - s),
                row_t: Vec::with_capacity(e - s),
                w: Vec::with_capacity(e - s),
                is_t: vec![false; v.len()],
                v: Vec::new(),
            };
            for i in s..e {
                let t = find(c.t_values[c.t_id[i] as usize]);
                g.row_t.push(t);
                g.row_tx.push(find(c.tx_values[c.tx_id[i] as usize]));
                g.w.push(c.weight[i]);
                g.w_sum += c.weight[i];
                g.is_t[t as usize] = true;
            }
            g.v = v;
            groups.push(g);
        }
        QData { groups }
    }
}

/// An integral of f (log) with the f-weighted means of the first log-derivatives `d`
/// and of `g_i g_j + g_ij` (`e`, over [`PAIRS`]).
#[derive(Clone, Copy)]
struct Part {
    ln: f64,
    d: [f64; 4],
    e: [f64; 10],
}

const EMPTY: Part = Part {
    ln: f64::NEG_INFINITY,
    d: [0.0; 4],
    e: [0.0; 10],
};

/// a ⊕ b (sum of the integrals).
fn add(a: &Part, b: &Part, derivs: bool) -> Part {
    if a.ln == f64::NEG_INFINITY {
        return *b;
    }
    if b.ln == f64::NEG_INFINITY {
        return *a;
    }
    let ln = logaddexp(a.ln, b.ln);
    let mut out = Part {
        ln,
        d: [0.0; 4],
        e: [0.0; 10],
    };
    if derivs {
        let (wa, wb) = ((a.ln - ln).exp(), (b.ln - ln).exp());
        for i in 0..4 {
            out.d[i] = wa * a.d[i] + wb * b.d[i];
        }
        for k in 0..10 {
            out.e[k] = wa * a.e[k] + wb * b.e[k];
        }
    }
    out
}

/// a ⊖ b for b ⊂ a (b.ln < a.ln).
fn sub(a: &Part, b: &Part, derivs: bool) -> Part {
    if b.ln == f64::NEG_INFINITY {
        return *a;
    }
    let q = (b.ln - a.ln).exp();
    let ln = a.ln + (-q).ln_1p();
    let mut out = Part {
        ln,
        d: [0.0; 4],
        e: [0.0; 10],
    };
    if derivs {
        let k = 1.0 / (1.0 - q);
        for i in 0..4 {
            out.d[i] = (a.d[i] - q * b.d[i]) * k;
        }
        for j in 0..10 {
            out.e[j] = (a.e[j] - q * b.e[j]) * k;
        }
    }
    out
}

/// Parameters of one frequency group's integrand.
struct Integrand {
    /// r + x and s + 1 (exponents of α+τ and β+τ).
    pa: f64,
    pb: f64,
    /// α − μ and β − μ (one of them 0).
    da: f64,
    db: f64,
    mu: f64,
}

impl Integrand {
    /// h(u) = u − pa·ln(e^u + da) − pb·ln(e^u + db), its slope and its curvature.
    #[inline]
    fn h(&self, u: f64) -> (f64, f64, f64) {
        let eu = u.exp();
        let (a, b) = (eu + self.da, eu + self.db);
        (
            u - self.pa * a.ln() - self.pb * b.ln(),
            1.0 - self.pa * eu / a - self.pb * eu / b,
            -self.pa * eu * self.da / (a * a) - self.pb * eu * self.db / (b * b),
        )
    }

    /// Panel width at u: the exponent h changes by at most ~3 nats (slope and curvature)
    /// within it, and it is at most 0.75 (in u = ln(μ+τ)).
    #[inline]
    fn width(&self, u: f64) -> f64 {
        let (_, s, c) = self.h(u);
        (3.0 / (s.abs() + c.abs().sqrt() + 1e-300)).min(0.75)
    }

    /// ∫ over τ ∈ \[lo, hi\] (lo < hi), with derivative moments when `derivs`.
    fn integrate(&self, lo: f64, hi: f64, derivs: bool) -> Part {
        let (u0, u1) = ((self.mu + lo).ln(), (self.mu + hi).ln());
        // Reference for the scaled sums (rescaled below if the integrand rises far).
        let mut href = self.h(u0).0;
        let (mut s0, mut s1, mut s2) = (0.0, [0.0; 4], [0.0; 10]);
        let mut a = u0;
        while a < u1 {
            // Adaptive width: from the slope and curvature at both ends of the panel.
            let mut w = self.width(a).min(u1 - a);
            for _ in 0..8 {
                let we = self.width(a + w);
                if we >= w {
                    break;
                }
                w = we.max(0.25 * w);
            }
            if u1 - (a + w) < 1e-3 * w {
                w = u1 - a;
            }
            let c = a + 0.5 * w;
            // Rescale if the integrand rose far above the reference.
            let hc = self.h(c).0;
            if hc > href + 300.0 {
                let f = (href - hc).exp();
                s0 *= f;
                for v in s1.iter_mut() {
                    *v *= f;
                }
                for v in s2.iter_mut() {
                    *v *= f;
                }
                href = hc;
            }
            for &(xi, wi) in &GL8 {
                for u in [c - 0.5 * w * xi, c + 0.5 * w * xi] {
                    let eu = u.exp();
                    let (ea, eb) = (eu + self.da, eu + self.db);
                    // One of da, db is 0 (μ = min(α, β)): that logarithm is u itself.
                    let la = if self.da == 0.0 { u } else { ea.ln() };
                    let lb = if self.db == 0.0 { u } else { eb.ln() };
                    let hu = u - self.pa * la - self.pb * lb;
                    let f = wi * 0.5 * w * (hu - href).exp();
                    s0 += f;
                    if derivs {
                        let (ia, ib) = (1.0 / ea, 1.0 / eb);
                        // ∂ ln f / ∂(r, α, s, β) and the nonzero second derivatives.
                        let g = [-la, -self.pa * ia, -lb, -self.pb * ib];
                        for i in 0..4 {
                            s1[i] += f * g[i];
                        }
                        for (j, &(p, q)) in PAIRS.iter().enumerate() {
                            s2[j] += f * g[p] * g[q];
                        }
                        // The nonzero second log-derivatives: (r, α), (α, α), (s, β), (β, β).
                        s2[1] -= f * ia;
                        s2[4] += f * self.pa * ia * ia;
                        s2[8] -= f * ib;
                        s2[9] += f * self.pb * ib * ib;
                    }
                }
            }
            a += w;
            // The rest is negligible once h falls (it is concave, so it keeps falling)
            // and the tail bound e^{h}/|h'| is below 1e-17 of the sum.
            let (he, se, _) = self.h(a);
            if se < 0.0 && (he - href).exp() / -se < 1e-17 * s0 {
                break;
            }
        }
        if s0 <= 0.0 {
            return EMPTY;
        }
        let mut out = Part {
            ln: href + s0.ln(),
            d: [0.0; 4],
            e: [0.0; 10],
        };
        if derivs {
            out.d = s1.map(|v| v / s0);
            out.e = s2.map(|v| v / s0);
        }
        out
    }
}

/// Log-likelihood and (when `derivs`) its gradient and Hessian with respect to the
/// natural parameters (r, α, s, β).
pub(crate) fn loglik(p: [f64; 4], d: &QData, derivs: bool) -> (f64, [f64; 4], [[f64; 4]; 4]) {
    let [r, al, s, be] = p;
    let mu = al.min(be);
    let (mut ll, mut g, mut h) = (0.0, [0.0; 4], [[0.0; 4]; 4]);
    let (ln_al, ln_be, ln_s, lg_r) = (al.ln(), be.ln(), s.ln(), ln_gamma(r));
    let (dg_r, tg_r) = if derivs {
        (digamma(r), trigamma(r))
    } else {
        (0.0, 0.0)
    };
    let mut suffix: Vec<Part> = Vec::new();
    let mut gaps: Vec<Part> = Vec::new();
    let mut alive: Vec<(f64, [f64; 4], [f64; 10])> = Vec::new();
    for gr in &d.groups {
        let x = gr.x;
        let k = r + x;
        let wg = gr.w_sum;
        ll += wg * (ln_gamma(k) - lg_r + r * ln_al + s * ln_be);
        if derivs {
            g[0] += wg * (digamma(k) - dg_r + ln_al);
            g[1] += wg * r / al;
            g[2] += wg * ln_be;
            g[3] += wg * s / be;
            h[0][0] += wg * (trigamma(k) - tg_r);
            h[0][1] += wg / al;
            h[1][1] -= wg * r / (al * al);
            h[2][3] += wg / be;
            h[3][3] -= wg * s / (be * be);
        }
        let f = Integrand {
            pa: k,
            pb: s + 1.0,
            da: al - mu,
            db: be - mu,
            mu,
        };
        let m = gr.v.len();
        // Gap integrals and suffix sums S(v_i) = ∫_{v_i}^{v_max} f.
        gaps.clear();
        suffix.clear();
        suffix.resize(m, EMPTY);
        for i in 0..m.saturating_sub(1) {
            gaps.push(f.integrate(gr.v[i], gr.v[i + 1], derivs));
        }
        for i in (0..m.saturating_sub(1)).rev() {
            suffix[i] = add(&gaps[i], &suffix[i + 1], derivs);
        }
        // "Alive" term at each distinct T: −(r+x) ln(α+T) − s ln(β+T).
        alive.clear();
        for (i, &t) in gr.v.iter().enumerate() {
            if !gr.is_t[i] {
                alive.push((0.0, [0.0; 4], [0.0; 10]));
                continue;
            }
            let (la, lb) = ((al + t).ln(), (be + t).ln());
            let v = -k * la - s * lb;
            let (mut dd, mut ee) = ([0.0; 4], [0.0; 10]);
            if derivs {
                let (ia, ib) = (1.0 / (al + t), 1.0 / (be + t));
                dd = [-la, -k * ia, -lb, -s * ib];
                // Second derivatives of the alive term itself (not moments).
                ee[1] = -ia; // (r, α)
                ee[4] = k * ia * ia; // (α, α)
                ee[8] = -ib; // (s, β)
                ee[9] = s * ib * ib; // (β, β)
            }
            alive.push((v, dd, ee));
        }
        for row in 0..gr.w.len() {
            let (ix, it) = (gr.row_tx[row] as usize, gr.row_t[row] as usize);
            let w = gr.w[row];
            let (av, ad, ae) = alive[it];
            if ix == it {
                ll += w * av;
                if derivs {
                    for i in 0..4 {
                        g[i] += w * ad[i];
                    }
                    for (j, &(p, q)) in PAIRS.iter().enumerate() {
                        h[p][q] += w * ae[j];
                    }
                }
                continue;
            }
            let part = if it == ix + 1 {
                gaps[ix]
            } else {
                sub(&suffix[ix], &suffix[it], derivs)
            };
            // death = ln s + ln I.
            let dv = ln_s + part.ln;
            let tot = logaddexp(av, dv);
            ll += w * tot;
            if derivs {
                let sg = (dv - tot).exp(); // weight of the death term
                let mut gd = part.d;
                gd[2] += 1.0 / s;
                let mut gt = [0.0; 4];
                for i in 0..4 {
                    gt[i] = (1.0 - sg) * ad[i] + sg * gd[i];
                    g[i] += w * gt[i];
                }
                for (j, &(p, q)) in PAIRS.iter().enumerate() {
                    // ∇² ln I = E − D Dᵀ; ∇² ln s = −1/s² at (s, s).
                    let mut hd = part.e[j] - part.d[p] * part.d[q];
                    if (p, q) == (2, 2) {
                        hd -= 1.0 / (s * s);
                    }
                    let diff = (gd[p] - ad[p]) * (gd[q] - ad[q]);
                    h[p][q] += w * ((1.0 - sg) * ae[j] + sg * hd + sg * (1.0 - sg) * diff);
                }
            }
        }
    }
    super::optim::symmetrize(&mut h);
    (ll, g, h)
}
