//! Native timing of the RFM phases (not a test; `cargo run --release --example rfm_perf`).
//! Orders are drawn like bench/data.mjs (skewed customers in random order, 3 years of days).
//! Arguments: customers orders (default 1000000 10000000). Prints the time of each phase: the
//! aggregator's allocation, pushing the orders in the chunks the wasm binding uses, `finish`,
//! `score`; then quantiles alone and `score` with the cut points given.
use crmscore::rfm::*;
use std::time::Instant;

fn main() {
    let arg = |k: usize, d: usize| {
        std::env::args()
            .nth(k)
            .and_then(|x| x.parse().ok())
            .unwrap_or(d)
    };
    let (n, m) = (arg(1, 1_000_000), arg(2, 10_000_000));
    let mut rng = crmscore::sample::Rng::new(7);
    let mut perm: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = (rng.uniform() * (i + 1) as f64) as usize;
        perm.swap(i, j);
    }
    let mut c = Vec::with_capacity(m);
    let mut d = Vec::with_capacity(m);
    let mut a = Vec::with_capacity(m);
    for _ in 0..m {
        let u = rng.uniform();
        c.push(perm[((n as f64 * u * u.sqrt()) as usize).min(n - 1)]);
        d.push(18000 + (rng.uniform() * 1095.0) as i32);
        a.push(((rng.uniform() * 200.0 * 100.0).round() / 100.0).max(0.01));
    }
    for (b, &p) in perm.iter().enumerate().take(n) {
        c[b * m / n] = p;
    }
    let plan = RfmPlan::new(&RfmOptions::default()).unwrap(); // ok: example
    for rep in 0..5 {
        let t0 = Instant::now();
        let mut agg = OrderAggregator::with_customers(n, None);
        let t1 = Instant::now();
        let chunk = agg.preferred_chunk();
        let (mut bc, mut bd, mut ba) = (vec![0u32; chunk], vec![0i32; chunk], vec![0f64; chunk]);
        let mut s = 0;
        while s < m {
            let e = (s + chunk).min(m);
            let l = e - s;
            bc[..l].copy_from_slice(&c[s..e]);
            bd[..l].copy_from_slice(&d[s..e]);
            ba[..l].copy_from_slice(&a[s..e]);
            agg.push_columns(&bc[..l], &bd[..l], &ba[..l]).unwrap(); // ok: example
            s = e;
        }
        let t2 = Instant::now();
        let met = agg.finish().unwrap(); // ok: example
        let t3 = Instant::now();
        let sc = score(met, &plan, None).unwrap(); // ok: example
        let t4 = Instant::now();
        let ms = |x: Instant, y: Instant| (y - x).as_secs_f64() * 1e3;
        println!(
            "rep {rep}: alloc {:.1} push {:.1} finish {:.1} score {:.1} total {:.1} ms (seg0 {})",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t3, t4),
            ms(t0, t4),
            sc.segments[0].customers
        );
    }
    {
        let mut agg = OrderAggregator::with_customers(n, None);
        agg.push_columns(&c, &d, &a).unwrap(); // ok: example
        let met = agg.finish().unwrap(); // ok: example
        for _ in 0..3 {
            let t0 = Instant::now();
            let q: Vec<Vec<f64>> = [&met.recency_days, &met.frequency, &met.monetary]
                .iter()
                .map(|v| {
                    crmscore::quantile::quantile_type7(v, &crmscore::quantile::interior_probs(5))
                })
                .collect();
            let t1 = Instant::now();
            let o = RfmOptions {
                cuts: [Some(q[0].clone()), Some(q[1].clone()), Some(q[2].clone())],
                ..RfmOptions::default()
            };
            let plan2 = RfmPlan::new(&o).unwrap(); // ok: example
            let t2 = Instant::now();
            let sc = score(met.clone(), &plan2, None).unwrap(); // ok: example
            let t3 = Instant::now();
            let ms = |x: Instant, y: Instant| (y - x).as_secs_f64() * 1e3;
            println!(
                "quantiles {:.1} score-with-cuts {:.1} (seg0 {})",
                ms(t0, t1),
                ms(t2, t3),
                sc.segments[0].customers
            );
        }
    }
}
