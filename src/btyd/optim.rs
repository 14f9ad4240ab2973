//! A small bounded Newton minimiser for the model fits (2–4 parameters, optimised on
//! the log scale): Levenberg–Marquardt damping keeps each step a descent step, an
//! Armijo backtracking line search keeps the objective decreasing, and parameters
//! that reach their box bound while the gradient pushes outwards are held there
//! (projected Newton), so that a parameter the data do not identify stops at a bound
//! with a finite value instead of running to ±∞.

/// What an evaluation must compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Value,
    /// Gradient and Hessian; the value may be left NaN.
    Derivs,
    Both,
}

impl Need {
    pub fn value(self) -> bool {
        self != Need::Derivs
    }
    pub fn derivs(self) -> bool {
        self != Need::Value
    }
}

/// Value, gradient and Hessian of the objective at a point (only what was asked for is
/// filled in).
#[derive(Clone, Copy, Debug)]
pub struct Eval<const K: usize> {
    pub f: f64,
    pub g: [f64; K],
    pub h: [[f64; K]; K],
}

impl<const K: usize> Eval<K> {
    pub fn value(f: f64) -> Self {
        Eval {
            f,
            g: [0.0; K],
            h: [[0.0; K]; K],
        }
    }
}

#[derive(Clone, Debug)]
pub struct Outcome<const K: usize> {
    pub theta: [f64; K],
    pub eval: Eval<K>,
    pub iterations: u32,
    pub converged: bool,
    pub reason: Option<String>,
    /// -1 at the lower bound, +1 at the upper bound, 0 inside.
    pub at_bound: [i8; K],
}

/// Cholesky factor of a symmetric matrix restricted to `free` indices; None unless
/// positive definite.
fn cholesky<const K: usize>(m: &[[f64; K]; K], free: &[bool; K]) -> Option<[[f64; K]; K]> {
    let mut l = [[0.0; K]; K];
    for i in 0..K {
        if !free[i] {
            continue;
        }
        for j in 0..=i {
            if !free[j] {
                continue;
            }
            let mut s = m[i][j];
            for k in 0..j {
                if free[k] {
                    s -= l[i][k] * l[j][k];
                }
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || s.is_infinite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

fn chol_solve<const K: usize>(l: &[[f64; K]; K], free: &[bool; K], b: &[f64; K]) -> [f64; K] {
    let mut y = [0.0; K];
    for i in 0..K {
        if !free[i] {
            continue;
        }
        let mut s = b[i];
        for k in 0..i {
            if free[k] {
                s -= l[i][k] * y[k];
            }
        }
        y[i] = s / l[i][i];
    }
    let mut x = [0.0; K];
    for i in (0..K).rev() {
        if !free[i] {
            continue;
        }
        let mut s = y[i];
        for k in i + 1..K {
            if free[k] {
                s -= l[k][i] * x[k];
            }
        }
        x[i] = s / l[i][i];
    }
    x
}

/// Copy the upper triangle into the lower one.
#[allow(clippy::needless_range_loop)]
pub fn symmetrize<const K: usize>(h: &mut [[f64; K]; K]) {
    for i in 0..K {
        for j in 0..i {
            h[i][j] = h[j][i];
        }
    }
}

/// Inverse of a symmetric positive-definite matrix (None if it is not).
pub fn spd_inverse<const K: usize>(m: &[[f64; K]; K]) -> Option<[[f64; K]; K]> {
    let free = [true; K];
    let l = cholesky(m, &free)?;
    let mut inv = [[0.0; K]; K];
    for j in 0..K {
        let mut e = [0.0; K];
        e[j] = 1.0;
        let col = chol_solve(&l, &free, &e);
        for i in 0..K {
            inv[i][j] = col[i];
        }
    }
    Some(inv)
}

/// Below this Newton decrement gᵀH⁻¹g (twice the predicted decrease of the objective) a
/// full, unclamped Newton step is taken without a line search: the quadratic model is
/// exact there to far more digits than the decrease, and skipping the value saves an
/// evaluation per iteration in the final, quadratically converging phase.
const PURE_NEWTON_DECREMENT: f64 = 1e-6;

/// A fit whose objective falls by less than 1e-10 (relative) over this many line-search
/// iterations stops, not converged.
const STALL_STEPS: usize = 10;

/// Minimise `eval` over the box `\[lo, hi\]`. Converged when the largest free gradient
/// component is ≤ `tol`.
///
/// Each iteration: parameters on a bound whose gradient pushes outwards are held
/// ([`free_set`]); near the optimum a full Newton step is taken without a line search
/// ([`pure_newton_step`]); otherwise a damped Newton direction is searched along
/// ([`damped_step`]), and the fit stops when the objective no longer falls ([`stalled`]).
pub fn minimize<const K: usize>(
    eval: &mut dyn FnMut(&[f64; K], Need) -> Eval<K>,
    theta0: [f64; K],
    lo: [f64; K],
    hi: [f64; K],
    max_iter: u32,
    tol: f64,
) -> Outcome<K> {
    let bounds = Bounds { lo, hi };
    let mut th = bounds.clamp(theta0);
    let mut e = eval(&th, Need::Both);
    if !e.f.is_finite() {
        return bounds.outcome(
            th,
            e,
            0,
            false,
            Some("the objective is not finite at the starting point".into()),
        );
    }
    // Levenberg–Marquardt damping, carried from one iteration to the next.
    let mut mu = 0.0f64;
    // Objective values after the last line-search steps, to stop a fit that no longer
    // makes progress (e.g. finite-difference noise far out on a flat ridge).
    let mut recent: Vec<f64> = Vec::new();
    for it in 0..max_iter {
        let (free, pg) = free_set(&bounds, &th, &e);
        if !pg.is_finite() {
            return bounds.outcome(th, e, it, false, Some("the gradient is not finite".into()));
        }
        if pg <= tol {
            return bounds.outcome(th, e, it, true, None);
        }
        if mu == 0.0 {
            if let Some(cand) = pure_newton_step(&bounds, &th, &e, &free) {
                th = cand;
                e = eval(&th, Need::Derivs);
                e.f = f64::NAN;
                continue;
            }
        }
        if e.f.is_nan() {
            e.f = eval(&th, Need::Value).f;
        }
        let Some(next) = damped_step(eval, &bounds, &th, &e, &free, &mut mu) else {
            // No decrease possible in floating point: at the optimum to machine precision
            // when the gradient is already tiny.
            if pg <= tol.max(1e-6) * 1e3 {
                return bounds.outcome(th, e, it, true, None);
            }
            return bounds.outcome(
                th,
                e,
                it,
                false,
                Some(format!(
                    "no descent step found (largest gradient component {pg:.3e})"
                )),
            );
        };
        let prev_f = e.f;
        th = next.0;
        e = eval(&th, Need::Derivs);
        e.f = next.1;
        mu = if mu < 1e-12 { 0.0 } else { mu * 0.1 };
        recent.push(prev_f);
        if stalled(&recent, e.f) {
            let why = format!(
                "no progress over {STALL_STEPS} iterations (largest gradient component {pg:.3e}): \
                 the likelihood is flat along some direction"
            );
            return bounds.outcome(th, e, it + 1, false, Some(why));
        }
    }
    let why = format!("maxIter ({max_iter}) reached before the gradient fell below tol");
    bounds.outcome(th, e, max_iter, false, Some(why))
}

/// The box of [`minimize`].
struct Bounds<const K: usize> {
    lo: [f64; K],
    hi: [f64; K],
}

impl<const K: usize> Bounds<K> {
    fn clamp(&self, t: [f64; K]) -> [f64; K] {
        std::array::from_fn(|i| t[i].clamp(self.lo[i], self.hi[i]))
    }

    /// The result at `th`, with the parameters within 1e-9 of a bound marked.
    fn outcome(
        &self,
        th: [f64; K],
        e: Eval<K>,
        it: u32,
        ok: bool,
        why: Option<String>,
    ) -> Outcome<K> {
        Outcome {
            theta: th,
            eval: e,
            iterations: it,
            converged: ok,
            reason: why,
            at_bound: std::array::from_fn(|i| {
                if th[i] <= self.lo[i] + 1e-9 {
                    -1
                } else if th[i] >= self.hi[i] - 1e-9 {
                    1
                } else {
                    0
                }
            }),
        }
    }
}

/// The free parameters (those not on a bound with the gradient pushing outwards) and the
/// largest free gradient component.
fn free_set<const K: usize>(b: &Bounds<K>, th: &[f64; K], e: &Eval<K>) -> ([bool; K], f64) {
    let mut free = [true; K];
    let mut pg: f64 = 0.0;
    for i in 0..K {
        if (th[i] <= b.lo[i] && e.g[i] > 0.0) || (th[i] >= b.hi[i] && e.g[i] < 0.0) {
            free[i] = false;
        } else {
            pg = pg.max(e.g[i].abs());
        }
    }
    (free, pg)
}

/// The full Newton step from `th` when the Hessian is positive definite, the Newton
/// decrement is below [`PURE_NEWTON_DECREMENT`] and the step stays inside the box.
fn pure_newton_step<const K: usize>(
    b: &Bounds<K>,
    th: &[f64; K],
    e: &Eval<K>,
    free: &[bool; K],
) -> Option<[f64; K]> {
    let l = cholesky(&e.h, free)?;
    let neg: [f64; K] = std::array::from_fn(|i| if free[i] { -e.g[i] } else { 0.0 });
    let d = chol_solve(&l, free, &neg);
    let dec: f64 = -(0..K).map(|i| e.g[i] * d[i]).sum::<f64>();
    let cand: [f64; K] = std::array::from_fn(|i| th[i] + d[i]);
    ((0.0..PURE_NEWTON_DECREMENT).contains(&dec) && b.clamp(cand) == cand).then_some(cand)
}

/// A descent step (point, objective) from `th`: the Newton direction of the Hessian damped
/// by `mu` (scaled by its largest free diagonal element), searched along by
/// [`line_search`]; `mu` grows tenfold while the damped Hessian is not positive definite
/// or the search fails. None when `mu` exceeds 1e30 or after 80 attempts.
fn damped_step<const K: usize>(
    eval: &mut dyn FnMut(&[f64; K], Need) -> Eval<K>,
    b: &Bounds<K>,
    th: &[f64; K],
    e: &Eval<K>,
    free: &[bool; K],
    mu: &mut f64,
) -> Option<([f64; K], f64)> {
    let scale = (0..K)
        .filter(|&i| free[i])
        .map(|i| e.h[i][i].abs())
        .fold(1e-12, f64::max);
    for _attempt in 0..80 {
        let mut m = e.h;
        for (i, row) in m.iter_mut().enumerate() {
            row[i] += *mu * scale.max(1.0);
        }
        let Some(l) = cholesky(&m, free) else {
            *mu = if *mu == 0.0 { 1e-10 } else { *mu * 10.0 };
            if *mu > 1e30 {
                break;
            }
            continue;
        };
        let neg: [f64; K] = std::array::from_fn(|i| if free[i] { -e.g[i] } else { 0.0 });
        let d = chol_solve(&l, free, &neg);
        if let Some(accepted) = line_search(eval, b, th, e, free, &d) {
            return Some(accepted);
        }
        *mu = if *mu == 0.0 { 1e-6 } else { *mu * 10.0 };
        if *mu > 1e30 {
            break;
        }
    }
    None
}

/// Armijo backtracking along `d` (free parameters only, clamped to the box): the first of
/// at most 40 halvings whose objective is finite and decreases enough.
fn line_search<const K: usize>(
    eval: &mut dyn FnMut(&[f64; K], Need) -> Eval<K>,
    b: &Bounds<K>,
    th: &[f64; K],
    e: &Eval<K>,
    free: &[bool; K],
    d: &[f64; K],
) -> Option<([f64; K], f64)> {
    let mut step = 1.0;
    for _ in 0..40 {
        let cand = b.clamp(std::array::from_fn(|i| {
            if free[i] {
                th[i] + step * d[i]
            } else {
                th[i]
            }
        }));
        let slope: f64 = (0..K).map(|i| e.g[i] * (cand[i] - th[i])).sum();
        if slope >= 0.0 && cand == *th {
            return None;
        }
        let fc = eval(&cand, Need::Value).f;
        if fc.is_finite() && fc <= e.f + 1e-4 * slope.min(0.0) && (slope < 0.0 || fc < e.f) {
            return Some((cand, fc));
        }
        step *= 0.5;
    }
    None
}

/// Whether the objective `f` fell by at most 1e-10 (relative) since the value
/// [`STALL_STEPS`] line-search iterations ago (`recent`: the values before each).
fn stalled(recent: &[f64], f: f64) -> bool {
    if recent.len() > STALL_STEPS {
        let old = recent[recent.len() - 1 - STALL_STEPS];
        if old - f <= 1e-10 * (1.0 + f.abs()) {
            return true;
        }
    }
    false
}

/// Iterations of each run of [`multi_start`]; the best run continues to `max_iter` if it
/// was cut short (so data that never converge cost a bounded number of iterations per
/// start). Converging runs from the candidates take 4–20.
const EXPLORE_ITER: u32 = 25;

/// Candidate starts closer than this in every log-parameter are "near" each other.
const NEAR: f64 = 0.7;

/// Runs that did not converge (a ridge or a bound) and whose objectives are within this
/// (per customer) reached the same limit.
const SAME_LIMIT: f64 = 1e-7;

/// Objective values closer than this (the objective is −LL per customer, so this is
/// 1e-9 of a log-likelihood unit per customer) count as the same optimum.
const SAME_OPTIMUM: f64 = 1e-9;

/// Several Newton runs ([`minimize`]) from different starts, so that the result does not
/// depend on where one run happens to start:
///
/// 1. every candidate start is scored by the objective value alone (one evaluation each)
///    and the candidates are ordered best-scored first, but spread out: a candidate
///    within [`NEAR`] (log scale, every coordinate) of one already ordered waits until
///    no distant one is left;
/// 2. Newton runs from the candidates in that order — at least `min_runs` of them —
///    until two runs have converged inside the box to the best optimum found (within
///    [`SAME_OPTIMUM`]); when the best run did not converge or ends on a bound, until
///    three runs reached the same objective (within [`SAME_LIMIT`]) or the candidates
///    run out;
/// 3. a best run on a bound is restarted once with its bounded parameters moved back to
///    the best-scored start's values.
///
/// Each run makes at most [`EXPLORE_ITER`] iterations; the best one continues to
/// `max_iter` when it was cut short. Returns the best run (lowest objective; a converged
/// run wins a tie) and the number of runs made. `candidates` must not be empty.
pub fn multi_start<const K: usize>(
    eval: &mut dyn FnMut(&[f64; K], Need) -> Eval<K>,
    candidates: &[[f64; K]],
    lo: [f64; K],
    hi: [f64; K],
    max_iter: u32,
    tol: f64,
    min_runs: usize,
) -> (Outcome<K>, usize) {
    // Progress: the runs made of the runs a fit usually makes (it stops once `min_runs`
    // agree), each run's share filled by its objective evaluations (about two per Newton
    // iteration); kept below 1 until the fit returns.
    let planned = (min_runs + 2).min(candidates.len()).max(1) as f64;
    let runs_done = std::cell::Cell::new(0usize);
    let evals = std::cell::Cell::new(0usize);
    let inner = eval;
    let eval = &mut |th: &[f64; K], need: Need| {
        evals.set(evals.get() + 1);
        let run = (evals.get() as f64 / (2 * EXPLORE_ITER) as f64).min(1.0);
        crate::progress::report_fraction(((runs_done.get() as f64 + run) / planned).min(0.95));
        inner(th, need)
    };
    let mut scored: Vec<([f64; K], f64)> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let c: [f64; K] = std::array::from_fn(|i| c[i].clamp(lo[i], hi[i]));
        if scored.iter().any(|(s, _)| *s == c) {
            continue;
        }
        let f = eval(&c, Need::Value).f;
        scored.push((c, if f.is_nan() { f64::INFINITY } else { f }));
    }
    // Stable: among equal scores the caller's order decides.
    crate::sort::insertion_sort_by(&mut scored, |a, b| a.1.total_cmp(&b.1).is_lt());
    let mut order: Vec<[f64; K]> = Vec::with_capacity(scored.len());
    let mut waiting: Vec<[f64; K]> = Vec::new();
    for (c, _) in &scored {
        let near = order
            .iter()
            .any(|o| (0..K).all(|i| (o[i] - c[i]).abs() < NEAR));
        if near {
            waiting.push(*c);
        } else {
            order.push(*c);
        }
    }
    order.extend(waiting);
    let better = |a: &Outcome<K>, b: &Outcome<K>| {
        // Is run `a` better than run `b`?
        let (fa, fb) = (a.eval.f, b.eval.f);
        if !fa.is_finite() {
            return false;
        }
        if !fb.is_finite() || fa < fb - SAME_OPTIMUM {
            return true;
        }
        fa <= fb + SAME_OPTIMUM && a.converged && !b.converged
    };
    let clean = |o: &Outcome<K>| o.converged && o.at_bound.iter().all(|&b| b == 0);
    // One exploring run (its objective re-evaluated when the last step left it NaN).
    let explore = |th: [f64; K], eval: &mut dyn FnMut(&[f64; K], Need) -> Eval<K>| {
        let mut o = minimize(eval, th, lo, hi, max_iter.min(EXPLORE_ITER), tol);
        if o.eval.f.is_nan() {
            o.eval.f = eval(&o.theta, Need::Value).f;
        }
        o
    };
    let Some(&first) = order.first() else {
        // No candidate (the fits always give some): one run from the middle of the box.
        let mid: [f64; K] = std::array::from_fn(|i| 0.5 * (lo[i] + hi[i]));
        return (minimize(eval, mid, lo, hi, max_iter, tol), 1);
    };
    let mut best = explore(first, eval);
    // (objective, clean) of every run.
    let mut done: Vec<(f64, bool)> = vec![(best.eval.f, clean(&best))];
    // Records run `o` and keeps the better of it and `best`.
    let keep = |o: Outcome<K>, best: &mut Outcome<K>, done: &mut Vec<(f64, bool)>| {
        done.push((o.eval.f, clean(&o)));
        if better(&o, best) {
            *best = o;
        }
    };
    let mut runs = 1usize;
    for th in &order[1..] {
        // A limit on a ridge that three runs reached settles after fewer runs (each run
        // there crawls): at least min(min_runs, 6).
        let need = if clean(&best) {
            min_runs
        } else {
            min_runs.min(6)
        };
        if runs >= need && settled(&done, best.eval.f, clean(&best)) {
            break;
        }
        runs_done.set(runs);
        evals.set(0);
        let o = explore(*th, eval);
        keep(o, &mut best, &mut done);
        runs += 1;
    }
    // A best run that stopped far out (beyond 1e3 on the fit scale) without converging is
    // on a ridge towards a bound: jump further out along it (×100 in the far-out
    // parameters) while that raises the likelihood, so that the fit reaches the limit.
    for _ in 0..4 {
        if clean(&best) {
            break;
        }
        let far = 1e3f64.ln();
        let mut th = best.theta;
        let mut any = false;
        for i in 0..K {
            if best.theta[i].abs() > far && best.at_bound[i] == 0 {
                th[i] = (th[i] + best.theta[i].signum() * 100f64.ln()).clamp(lo[i], hi[i]);
                any = true;
            }
        }
        if !any {
            break;
        }
        let before = best.eval.f;
        let o = explore(th, eval);
        keep(o, &mut best, &mut done);
        runs += 1;
        let after = best.eval.f;
        if after.is_nan() || after >= before - SAME_OPTIMUM {
            break;
        }
    }
    if best.at_bound.iter().any(|&d| d != 0) {
        let restart: [f64; K] = std::array::from_fn(|i| {
            if best.at_bound[i] != 0 {
                scored[0].0[i]
            } else {
                best.theta[i]
            }
        });
        let o = explore(restart, eval);
        keep(o, &mut best, &mut done);
        runs += 1;
    }
    if !best.converged && best.iterations >= EXPLORE_ITER && max_iter > EXPLORE_ITER {
        // The best run was cut short: continue it to maxIter.
        let mut o = minimize(eval, best.theta, lo, hi, max_iter - EXPLORE_ITER, tol);
        if o.eval.f.is_nan() {
            o.eval.f = eval(&o.theta, Need::Value).f;
        }
        o.iterations += best.iterations;
        if o.eval.f <= best.eval.f {
            best = o;
        }
    }
    (best, runs)
}

/// Whether a multi-start search has settled, given every run's (objective, clean) and the
/// best run: two clean runs at the best optimum (within [`SAME_OPTIMUM`]), or, when the best
/// run is not clean, three runs at its objective (within [`SAME_LIMIT`]).
fn settled(done: &[(f64, bool)], best: f64, best_clean: bool) -> bool {
    if best_clean {
        done.iter()
            .filter(|d| d.1 && (d.0 - best).abs() <= SAME_OPTIMUM)
            .count()
            >= 2
    } else {
        done.iter()
            .filter(|d| (d.0 - best).abs() <= SAME_LIMIT)
            .count()
            >= 3
    }
}

/// Gradient by central finite differences (Hessian left zero).
pub fn finite_gradient<const K: usize>(
    f: &mut dyn FnMut(&[f64; K]) -> f64,
    th: &[f64; K],
    f0: f64,
    h: f64,
) -> Eval<K> {
    let mut g = [0.0; K];
    for i in 0..K {
        let mut t = *th;
        t[i] += h;
        let fp = f(&t);
        t[i] = th[i] - h;
        g[i] = (fp - f(&t)) / (2.0 * h);
    }
    Eval {
        f: f0,
        g,
        h: [[0.0; K]; K],
    }
}

/// Gradient and Hessian by central finite differences of a value-only function
/// (step `h` in each coordinate).
pub fn finite_differences<const K: usize>(
    f: &mut dyn FnMut(&[f64; K]) -> f64,
    th: &[f64; K],
    f0: f64,
    h: f64,
) -> Eval<K> {
    let mut g = [0.0; K];
    let mut hs = [[0.0; K]; K];
    let mut fp = [0.0; K];
    let mut fm = [0.0; K];
    for i in 0..K {
        let mut t = *th;
        t[i] += h;
        fp[i] = f(&t);
        t[i] = th[i] - h;
        fm[i] = f(&t);
        g[i] = (fp[i] - fm[i]) / (2.0 * h);
        hs[i][i] = (fp[i] - 2.0 * f0 + fm[i]) / (h * h);
    }
    for i in 0..K {
        for j in 0..i {
            let mut t = *th;
            t[i] += h;
            t[j] += h;
            let pp = f(&t);
            t[j] = th[j] - h;
            let pm = f(&t);
            t[i] = th[i] - h;
            let mm = f(&t);
            t[j] = th[j] + h;
            let mp = f(&t);
            let v = (pp - pm - mp + mm) / (4.0 * h * h);
            hs[i][j] = v;
            hs[j][i] = v;
        }
    }
    Eval { f: f0, g, h: hs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock_and_bounds() {
        let mut f = |t: &[f64; 2], _: Need| {
            let (x, y) = (t[0], t[1]);
            Eval {
                f: (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
                g: [
                    -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                    200.0 * (y - x * x),
                ],
                h: [
                    [2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x],
                    [-400.0 * x, 200.0],
                ],
            }
        };
        let o = minimize(&mut f, [-1.2, 1.0], [-10.0; 2], [10.0; 2], 200, 1e-10);
        assert!(o.converged, "{:?}", o.reason);
        assert!((o.theta[0] - 1.0).abs() < 1e-8 && (o.theta[1] - 1.0).abs() < 1e-8);
        // The minimum of (x+5)^2 on [-2, 2] is at the bound.
        let mut g = |t: &[f64; 1], _: Need| Eval {
            f: (t[0] + 5.0).powi(2),
            g: [2.0 * (t[0] + 5.0)],
            h: [[2.0]],
        };
        let o = minimize(&mut g, [1.0], [-2.0], [2.0], 50, 1e-10);
        assert!(o.converged);
        assert_eq!(o.theta[0], -2.0);
        assert_eq!(o.at_bound[0], -1);
    }
}
