//! Native timing of the scoring pass (not a test; `cargo run --release --example score_perf`).
use crmscore::scoring::*;
use std::time::Instant;
fn main() {
    for n in [100_000usize, 1_000_000] {
        let mut rng = crmscore::sample::Rng::new(1);
        let cols = (0..8)
            .map(|k| {
                (
                    format!("f{k}"),
                    Column::Num((0..n).map(|_| rng.uniform() * 100.0).collect()),
                )
            })
            .collect();
        let t = Table {
            len: n,
            columns: cols,
        };
        let model = ScoringModel {
            indicators: (0..8)
                .map(|k| {
                    Indicator::new(
                        &format!("i{k}"),
                        &format!("f{k}"),
                        12.5,
                        Scale::Linear {
                            min: 0.0,
                            max: 100.0,
                        },
                    )
                })
                .collect(),
            tiers: vec![
                Tier {
                    label: "A".into(),
                    min: 80.0,
                },
                Tier {
                    label: "B".into(),
                    min: 60.0,
                },
                Tier {
                    label: "C".into(),
                    min: 40.0,
                },
                Tier {
                    label: "D".into(),
                    min: 0.0,
                },
            ],
            ..Default::default()
        };
        let p = Prepared::new(model, &t, ScoringOptions::default()).unwrap();
        let (mut tr, mut c) = (vec![0u8; n], vec![0u32; 4]);
        let mut times = vec![];
        for r in 0..20 {
            let w: Vec<f64> = (0..8).map(|k| 10.0 + ((k + r) % 5) as f64).collect();
            let t0 = Instant::now();
            p.run(&w, &mut tr, &mut c);
            times.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "n={n}: median {:.2} ms (min {:.2}) counts {:?}",
            times[10], times[0], c
        );
    }
}
