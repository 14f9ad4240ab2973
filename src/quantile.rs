//! Order statistics without a full sort, and R's type-7 quantiles on top of them.
//!
//! `order_stats` finds the values of a few ranks in O(n): one pass for min/max, one
//! pass that counts values into 2^16 equal-width buckets (a monotone map, so bucket
//! order is value order), then only the few buckets that hold a wanted rank are
//! gathered and resolved — recursively when a bucket is still large (heavy skew),
//! by sorting when it is small. All comparisons use `total_cmp`; callers must pass
//! finite values.

const BUCKETS: usize = 1 << 16;
/// Whole numbers spanning fewer values than this (days, order counts) are counted exactly.
const COUNTING_RANGE: usize = 1 << 20;
const SMALL: usize = 4096;

/// The values at the given 0-based ranks of `values` in ascending order.
/// `ranks` may be in any order and contain repeats; every rank must be < `values.len()`.
pub fn order_stats(values: &[f64], ranks: &[usize]) -> Vec<f64> {
    order_stats_depth(values, ranks, 0)
}

fn order_stats_depth(values: &[f64], ranks: &[usize], depth: u32) -> Vec<f64> {
    let n = values.len();
    if ranks.is_empty() || n == 0 {
        return vec![f64::NAN; ranks.len()];
    }
    if n <= SMALL || depth >= 6 {
        let mut v = values.to_vec();
        crate::sort::sort_f64(&mut v);
        return ranks.iter().map(|&r| v[r.min(n - 1)]).collect();
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut integral = true;
    for &x in values {
        // Comparisons, not f64::min/max: those become calls to `fmin`/`fmax` in wasm (NaN
        // rules), 5 % of an RFM call at 1M customers. Values are finite here.
        lo = if x < lo { x } else { lo };
        hi = if x > hi { x } else { hi };
        integral &= x == x.trunc();
    }
    #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN-aware on purpose
    if !(hi > lo) {
        return vec![lo; ranks.len()];
    }
    if integral && hi - lo < COUNTING_RANGE as f64 {
        return counting_order_stats(values, ranks, lo, (hi - lo) as usize + 1);
    }
    let nb = BUCKETS.min(n);
    let scale = nb as f64 / (hi - lo);
    let bucket = |x: f64| -> usize { (((x - lo) * scale) as usize).min(nb - 1) };
    let mut counts = vec![0u32; nb];
    for &x in values {
        counts[bucket(x)] += 1;
    }
    // For every wanted rank: which bucket, and the rank inside it.
    let mut starts = vec![0usize; nb + 1];
    for b in 0..nb {
        starts[b + 1] = starts[b] + counts[b] as usize;
    }
    let mut wanted: Vec<(usize, usize)> = Vec::with_capacity(ranks.len()); // (bucket, local rank)
    for &r in ranks {
        let r = r.min(n - 1);
        // last bucket whose start <= r
        let b = starts.partition_point(|&s| s <= r) - 1;
        wanted.push((b, r - starts[b]));
    }
    let mut needed: Vec<usize> = wanted.iter().map(|w| w.0).collect();
    needed.sort_unstable();
    needed.dedup();
    let mut slot = vec![u16::MAX; nb];
    for (i, &b) in needed.iter().enumerate() {
        slot[b] = i as u16;
    }
    let mut gathered: Vec<Vec<f64>> = needed
        .iter()
        .map(|&b| Vec::with_capacity(counts[b] as usize))
        .collect();
    for &x in values {
        let s = slot[bucket(x)];
        if s != u16::MAX {
            gathered[s as usize].push(x);
        }
    }
    let mut out = vec![0.0; ranks.len()];
    for (i, &b) in needed.iter().enumerate() {
        let idx: Vec<usize> = (0..wanted.len()).filter(|&k| wanted[k].0 == b).collect();
        let local: Vec<usize> = idx.iter().map(|&k| wanted[k].1).collect();
        let vals = order_stats_depth(&gathered[i], &local, depth + 1);
        for (j, &k) in idx.iter().enumerate() {
            out[k] = vals[j];
        }
    }
    out
}

/// Order statistics of whole numbers in `lo .. lo + range` by counting every value.
fn counting_order_stats(values: &[f64], ranks: &[usize], lo: f64, range: usize) -> Vec<f64> {
    // Four interleaved histograms, so that runs of equal values do not serialize on one counter.
    let mut counts = vec![0u32; range * 4];
    let mut chunks = values.chunks_exact(4);
    for c in &mut chunks {
        for (k, &x) in c.iter().enumerate() {
            counts[((x - lo) as usize) * 4 + k] += 1;
        }
    }
    for &x in chunks.remainder() {
        counts[((x - lo) as usize) * 4] += 1;
    }
    let n = values.len();
    let mut order: Vec<usize> = (0..ranks.len()).collect();
    order.sort_unstable_by_key(|&i| ranks[i]);
    let mut out = vec![0.0; ranks.len()];
    let (mut seen, mut v) = (0usize, 0usize);
    for &i in &order {
        let r = ranks[i].min(n - 1);
        loop {
            let c = counts[v * 4..v * 4 + 4]
                .iter()
                .map(|&x| x as usize)
                .sum::<usize>();
            if seen + c > r {
                break;
            }
            seen += c;
            v += 1;
        }
        out[i] = lo + v as f64;
    }
    out
}

/// Probabilities k/n for k = 1..n-1, computed as R's `seq(0, 1, length.out = n + 1)` does.
pub fn interior_probs(bins: usize) -> Vec<f64> {
    let by = 1.0 / bins as f64;
    (1..bins).map(|k| k as f64 * by).collect()
}

/// R's `quantile(x, probs, type = 7)`, reproduced operation for operation:
/// `index = 1 + (n-1)p`, `lo = floor(index)`, `hi = ceiling(index)`,
/// `q = x[lo]`, and where `index > lo` and `x[hi] != x[lo]`: `q = (1-h)·x[lo] + h·x[hi]`, `h = index - lo`.
pub fn quantile_type7(values: &[f64], probs: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::NAN; probs.len()];
    }
    let idx: Vec<(f64, usize, usize)> = probs
        .iter()
        .map(|&p| {
            let index = 1.0 + (n as f64 - 1.0) * p;
            let lo = index.floor();
            let hi = index.ceil();
            (index, lo as usize - 1, (hi as usize - 1).min(n - 1))
        })
        .collect();
    let mut ranks = Vec::with_capacity(idx.len() * 2);
    for &(_, lo, hi) in &idx {
        ranks.push(lo);
        ranks.push(hi);
    }
    let stats = order_stats(values, &ranks);
    idx.iter()
        .enumerate()
        .map(|(k, &(index, lo, _))| {
            let (xl, xh) = (stats[2 * k], stats[2 * k + 1]);
            let h = index - (lo as f64 + 1.0);
            if h > 0.0 && xh != xl {
                (1.0 - h) * xl + h * xh
            } else {
                xl
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn order_stats_match_sorting() {
        let mut s = 7u64;
        for &n in &[1usize, 2, 10, 5000, 100_000] {
            for kind in 0..4 {
                let v: Vec<f64> = (0..n)
                    .map(|i| match kind {
                        0 => lcg(&mut s) * 1000.0,
                        1 => (lcg(&mut s) * 7.0).floor(),
                        2 => (-lcg(&mut s).max(1e-12).ln()).powi(6) * 1e6, // heavy tail
                        _ => {
                            if i % 1000 == 0 {
                                1e15
                            } else {
                                lcg(&mut s)
                            }
                        }
                    })
                    .collect();
                let mut sorted = v.clone();
                sorted.sort_by(f64::total_cmp);
                let ranks: Vec<usize> = vec![0, n / 5, n / 2, (n * 4) / 5, n - 1, n / 3];
                let got = order_stats(&v, &ranks);
                for (g, &r) in got.iter().zip(&ranks) {
                    assert_eq!(*g, sorted[r], "n={n} kind={kind} rank={r}");
                }
            }
        }
    }

    #[test]
    fn type7_matches_r() {
        // R: quantile(c(1, 2, 3, 4, 10), c(.2, .4, .6, .8)) -> 1.8 2.6 3.4 5.2
        let q = quantile_type7(&[10.0, 2.0, 4.0, 1.0, 3.0], &interior_probs(5));
        let want = [1.8, 2.6, 3.4, 5.2];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        // single value
        assert_eq!(quantile_type7(&[5.0], &[0.5]), vec![5.0]);
    }
}
