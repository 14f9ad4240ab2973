//! Native tests of the weighted scoring core.
#![cfg(not(target_arch = "wasm32"))]
// Loops index several parallel vectors by customer.
#![allow(clippy::needless_range_loop)]

use crmscore::scoring::*;
use crmscore::ErrorCode;

fn table(cols: Vec<(&str, Column)>) -> Table {
    let len = cols[0].1.len();
    Table {
        len,
        columns: cols.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    }
}

fn num(v: &[f64]) -> Column {
    Column::Num(v.to_vec())
}

fn ind(id: &str, field: &str, weight: f64, scale: Scale) -> Indicator {
    Indicator::new(id, field, weight, scale)
}

const STRICT: ScoringOptions = ScoringOptions {
    strict: true,
    as_of: None,
};

/// Fractions of indicator `k` for every customer, from the explanations.
fn fractions(p: &Prepared, t: &Table, k: usize) -> Vec<f64> {
    let w = p.weights();
    (0..p.len)
        .map(|i| {
            p.explain(t, i, &w).contributions[k]
                .fraction
                .unwrap_or(f64::NAN)
        })
        .collect()
}

fn tiers() -> Vec<Tier> {
    vec![
        Tier {
            label: "A".into(),
            min: 80.0,
        },
        Tier {
            label: "Z".into(),
            min: f64::NEG_INFINITY,
        },
    ]
}

#[test]
fn quality_customer_preset_scores_hand_computed_customers() {
    let t = table(vec![
        (
            "annualPurchaseAmount",
            num(&[100_000.0, 50_000.0, 0.0, 250_000.0]),
        ),
        ("renewalRate", num(&[1.0, 0.5, 0.0, 0.9])),
        ("feedbackScore", num(&[5.0, 4.0, f64::NAN, 3.0])),
        ("trainingAttendance", num(&[1.0, 0.0, 0.2, 0.5])),
    ]);
    let p = Prepared::new(quality_customer(), &t, STRICT).unwrap();
    let (scores, tiers, counts) = p.score_all();
    assert_eq!(counts, [2, 0, 1, 1]);
    // 40 + 30 + 20 + 10; 20 + 15 + 16 + 0; 0 + 0 + 0 + 2; 40 (capped) + 27 + 12 + 5
    let want = [100.0, 51.0, 2.0, 84.0];
    for (s, w) in scores.iter().zip(want) {
        assert!((s - w).abs() < 1e-9, "{scores:?}");
    }
    let labels: Vec<&str> = tiers
        .iter()
        .map(|&k| p.model.tiers[k as usize].label.as_str())
        .collect();
    assert_eq!(labels, ["A", "C", "D", "A"]);
    // Contributions add up to the score and name the indicators.
    let e = p.explain(&t, 1, &[40.0, 30.0, 20.0, 10.0]);
    let (s, c) = (e.score, &e.contributions);
    assert_eq!(
        c.iter()
            .map(|x| p.model.indicators[x.term].id.as_str())
            .collect::<Vec<_>>(),
        ["annualPurchase", "renewal", "feedback", "training"]
    );
    assert!((c.iter().map(|x| x.points).sum::<f64>() - s).abs() < 1e-9);
    assert_eq!(c[2].fraction, Some(0.8));
    // 51 points, tier C: 9 points to B; renewal (30 points, at 0.5) closes it by +0.3 → 0.8,
    // feedback (20 points, at 0.8) cannot (4 left), annual purchase by +0.225 → 72,500.
    assert_eq!(e.tier, 2);
    assert!((e.points_to_next_tier.unwrap() - 9.0).abs() < 1e-9);
    let names: Vec<usize> = e.upgrades.iter().map(|u| u.indicator).collect();
    assert_eq!(names, [0, 1, 3], "{:?}", e.upgrades);
    assert!((e.upgrades[0].fraction_needed.unwrap() - 0.225).abs() < 1e-12);
    assert!((e.upgrades[0].target_value.unwrap() - 72_500.0).abs() < 1e-6);
    assert!((e.upgrades[1].fraction_needed.unwrap() - 0.3).abs() < 1e-12);
    assert!((e.upgrades[1].target_value.unwrap() - 0.8).abs() < 1e-12);
    // training (10 points, at 0) closes 9 points by +0.9; feedback (4 points left) comes last
    // and is cut by the top-3 limit.
    assert!((e.upgrades[2].fraction_needed.unwrap() - 0.9).abs() < 1e-12);
    // Top tier: nothing to close.
    assert_eq!(
        p.explain(&t, 0, &[40.0, 30.0, 20.0, 10.0])
            .points_to_next_tier,
        None
    );
}

#[test]
fn every_scale_and_its_edges() {
    let x = num(&[-5.0, 0.0, 5.0, 10.0, 20.0, f64::NAN]);
    let t = table(vec![
        ("x", x),
        (
            "flag",
            Column::Bool(vec![
                Some(true),
                Some(false),
                None,
                Some(true),
                Some(false),
                Some(true),
            ]),
        ),
        (
            "city",
            Column::strings(&[
                Some("SH"),
                Some("BJ"),
                Some("GZ"),
                None,
                Some("SH"),
                Some("BJ"),
            ]),
        ),
    ]);
    let frac = |scale: Scale, field: &str, invert: bool| {
        let mut i = ind("a", field, 100.0, scale);
        i.invert = invert;
        let m = ScoringModel {
            indicators: vec![i],
            tiers: tiers(),
            ..Default::default()
        };
        fractions(&Prepared::new(m, &t, STRICT).unwrap(), &t, 0)
    };
    let same = |a: Vec<f64>, b: &[f64]| {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12,
                "{a:?} vs {b:?}"
            );
        }
    };
    let nan = f64::NAN;
    same(
        frac(
            Scale::Linear {
                min: 0.0,
                max: 10.0,
            },
            "x",
            false,
        ),
        &[0.0, 0.0, 0.5, 1.0, 1.0, nan],
    );
    same(
        frac(
            Scale::Linear {
                min: 0.0,
                max: 10.0,
            },
            "x",
            true,
        ),
        &[1.0, 1.0, 0.5, 0.0, 0.0, nan],
    );
    same(
        frac(
            Scale::Bands(vec![(10.0, 1.0), (5.0, 0.5), (0.0, 0.2)]),
            "x",
            false,
        ),
        &[0.0, 0.2, 0.5, 1.0, 1.0, nan],
    );
    same(
        frac(Scale::Log { max: 10.0 }, "x", false),
        &[0.0, 0.0, 6f64.ln() / 11f64.ln(), 1.0, 1.0, nan],
    );
    same(
        frac(Scale::Percentile, "x", false),
        &[0.0, 0.25, 0.5, 0.75, 1.0, nan],
    );
    same(
        frac(Scale::Boolean, "flag", false),
        &[1.0, 0.0, nan, 1.0, 0.0, 1.0],
    );
    same(
        frac(
            Scale::Map(vec![("SH".into(), 1.0), ("BJ".into(), 0.6)]),
            "city",
            false,
        ),
        &[1.0, 0.6, nan, nan, 1.0, 0.6],
    );
    // ties share the mid-rank percentile
    let t2 = table(vec![("y", num(&[1.0, 2.0, 2.0, 3.0]))]);
    let m = ScoringModel {
        indicators: vec![ind("p", "y", 10.0, Scale::Percentile)],
        tiers: tiers(),
        ..Default::default()
    };
    same(
        fractions(&Prepared::new(m, &t2, STRICT).unwrap(), &t2, 0),
        &[0.0, 0.5, 0.5, 1.0],
    );
}

#[test]
fn adjustments_groups_caps_and_skip_renormalisation() {
    let t = table(vec![
        ("a", num(&[10.0, 10.0, 10.0])),
        ("b", num(&[10.0, f64::NAN, 0.0])),
        ("complaints", num(&[0.0, 3.0, 5.0])),
    ]);
    let mut ib = ind(
        "ib",
        "b",
        50.0,
        Scale::Linear {
            min: 0.0,
            max: 10.0,
        },
    );
    ib.missing = Missing::Skip;
    let mut ia = ind(
        "ia",
        "a",
        50.0,
        Scale::Linear {
            min: 0.0,
            max: 10.0,
        },
    );
    ia.group = Some("g".into());
    let adj = Adjustment {
        id: "many complaints".into(),
        field: "complaints".into(),
        op: Op::Ge,
        value: Value::Num(3.0),
        points: -30.0,
        group: None,
        decay: true,
    };
    let bonus = Adjustment {
        id: "bonus".into(),
        field: "a".into(),
        op: Op::Eq,
        value: Value::Num(10.0),
        points: 10.0,
        group: Some("g".into()),
        decay: true,
    };
    let m = ScoringModel {
        indicators: vec![ia, ib],
        adjustments: vec![adj, bonus],
        groups: vec![Group {
            id: "g".into(),
            cap: 40.0,
        }],
        decay: None,
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 60.0,
            },
            Tier {
                label: "B".into(),
                min: -30.0,
            },
        ],
    };
    // with a skip indicator the upper bound lets renormalisation put all 100 weight points on
    // the ungrouped terms: 100 + the capped group 40
    assert_eq!(m.score_range(), (-30.0, 140.0));
    let p = Prepared::new(m, &t, STRICT).unwrap();
    let w = [50.0, 50.0];
    // row 0: group g = min(50 + 10, 40) = 40; ib 50 → 90
    let e0 = p.explain(&t, 0, &w);
    let (s0, c0) = (e0.score, e0.contributions);
    assert!((s0 - 90.0).abs() < 1e-9);
    assert!((c0.iter().map(|c| c.points).sum::<f64>() - s0).abs() < 1e-9);
    // row 1: b missing, skip → ia renormalised ×2 = 100, group cap → 40 (with bonus); complaints −30 → 10
    let e1 = p.explain(&t, 1, &w);
    let (s1, c1) = (e1.score, e1.contributions);
    assert!((s1 - 10.0).abs() < 1e-9, "{s1} {c1:?}");
    assert_eq!(c1[1].fraction, None);
    assert!((c1.iter().map(|c| c.points).sum::<f64>() - s1).abs() < 1e-9);
    // row 2: b = 0 present; g capped at 40; −30 → 10
    let s2 = p.explain(&t, 2, &w).score;
    assert!((s2 - 10.0).abs() < 1e-9);
    assert_eq!(p.tier_of(s0), 0);
    assert_eq!(p.tier_of(s1), 1);
    let (scores, _, counts) = p.score_all();
    assert_eq!(scores, [s0, s1, s2]);
    assert_eq!(counts, [1, 2]);
}

#[test]
fn validation_errors_name_the_json_path() {
    let base = || ScoringModel {
        indicators: vec![
            ind("a", "x", 40.0, Scale::Linear { min: 0.0, max: 1.0 }),
            ind("b", "y", 60.0, Scale::Bands(vec![(10.0, 1.0), (5.0, 0.5)])),
            ind("c", "z", 0.0, Scale::Log { max: 9.0 }),
        ],
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 50.0,
            },
            Tier {
                label: "B".into(),
                min: 0.0,
            },
        ],
        ..Default::default()
    };
    assert!(base().validate().is_ok());
    let bad = |f: &dyn Fn(&mut ScoringModel), path: &str| {
        let mut m = base();
        f(&mut m);
        let e = m.validate().unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidModel, Some(path)),
            "{e}"
        );
    };
    bad(
        &|m| m.indicators[0].weight = f64::NAN,
        "indicators[0].weight",
    );
    bad(&|m| m.indicators[0].weight = -1.0, "indicators[0].weight");
    bad(
        &|m| m.indicators[0].scale = Scale::Linear { min: 2.0, max: 2.0 },
        "indicators[0].scale.max",
    );
    bad(
        &|m| m.indicators[1].scale = Scale::Bands(vec![(5.0, 1.0), (10.0, 0.5)]),
        "indicators[1].scale.bands[1][0]",
    );
    bad(
        &|m| m.indicators[1].scale = Scale::Bands(vec![(5.0, 1.5)]),
        "indicators[1].scale.bands[0][1]",
    );
    bad(
        &|m| m.indicators[2].scale = Scale::Log { max: 0.0 },
        "indicators[2].scale.max",
    );
    bad(&|m| m.indicators[2].id = "a".into(), "indicators[2].id");
    bad(
        &|m| m.indicators[2].group = Some("nope".into()),
        "indicators[2].group",
    );
    bad(&|m| m.tiers[1].min = 60.0, "tiers[1].min");
    bad(&|m| m.tiers[1].min = 10.0, "tiers[1].min"); // does not cover score 0
    bad(&|m| m.tiers.clear(), "tiers");
    bad(
        &|m| {
            m.adjustments.push(Adjustment {
                id: "neg".into(),
                field: "x".into(),
                op: Op::Gt,
                value: Value::Str("x".into()),
                points: -5.0,
                group: None,
                decay: true,
            })
        },
        "adjustments[0].op",
    );
    bad(
        &|m| {
            m.adjustments.push(Adjustment {
                id: "neg".into(),
                field: "x".into(),
                op: Op::Gt,
                value: Value::Num(1.0),
                points: -5.0,
                group: None,
                decay: true,
            })
        },
        "tiers[1].min", // −5 is now possible and tier B starts at 0
    );
    // strict mode: unknown field
    let t = table(vec![("x", num(&[1.0])), ("y", num(&[1.0]))]);
    let e = Prepared::new(base(), &t, STRICT).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("indicators[2].field"));
    assert!(Prepared::new(base(), &t, ScoringOptions::default()).is_ok());
    // missing: "error" names row and field
    let mut m = base();
    m.indicators[0].missing = Missing::Error;
    let t = table(vec![
        ("x", num(&[1.0, f64::NAN])),
        ("y", num(&[1.0, 1.0])),
        ("z", num(&[1.0, 1.0])),
    ]);
    let e = Prepared::new(m, &t, STRICT).err().unwrap();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::MissingField, Some(1), Some("x"))
    );
}

/// Properties on generated data: scores within the model's range; contributions sum to the
/// score; raising a higher-is-better field never lowers the score; row order is irrelevant.
#[test]
fn properties_on_generated_customers() {
    let mut rng = crmscore::sample::Rng::new(3);
    let n = 500;
    let col = |rng: &mut crmscore::sample::Rng, scale: f64| -> Vec<f64> {
        (0..n)
            .map(|_| {
                if rng.uniform() < 0.05 {
                    f64::NAN
                } else {
                    rng.uniform() * scale
                }
            })
            .collect()
    };
    let (a, b, c) = (
        col(&mut rng, 150_000.0),
        col(&mut rng, 1.2),
        col(&mut rng, 6.0),
    );
    let mk = |a: &[f64], b: &[f64], c: &[f64]| {
        table(vec![
            ("annualPurchaseAmount", num(a)),
            ("renewalRate", num(b)),
            ("feedbackScore", num(c)),
            ("trainingAttendance", num(&vec![0.5; a.len()])),
        ])
    };
    let mut model = quality_customer();
    model.indicators[1].missing = Missing::Skip;
    model.indicators[2].scale = Scale::Percentile;
    model.adjustments.push(Adjustment {
        id: "big".into(),
        field: "annualPurchaseAmount".into(),
        op: Op::Gt,
        value: Value::Num(120_000.0),
        points: -15.0,
        group: None,
        decay: true,
    });
    model.tiers[3].min = -15.0;
    let (lo, hi) = model.score_range();
    let t1 = mk(&a, &b, &c);
    let p = Prepared::new(model.clone(), &t1, STRICT).unwrap();
    let w: Vec<f64> = model.indicators.iter().map(|i| i.weight).collect();
    let (scores, _, _) = p.score_all();
    for i in 0..n {
        let e = p.explain(&t1, i, &w);
        let (s, contrib) = (e.score, e.contributions);
        assert!(
            s >= lo - 1e-9 && s <= hi + 1e-9,
            "score {s} outside [{lo}, {hi}]"
        );
        assert!((contrib.iter().map(|c| c.points).sum::<f64>() - s).abs() < 1e-3);
        assert_eq!(s, scores[i]);
    }
    // Raising renewalRate (linear, higher is better, no adjustment on it) never lowers a score.
    let b2: Vec<f64> = b
        .iter()
        .map(|x| if x.is_nan() { *x } else { x + 0.1 })
        .collect();
    let p2 = Prepared::new(model.clone(), &mk(&a, &b2, &c), STRICT).unwrap();
    let (scores2, _, _) = p2.score_all();
    for i in 0..n {
        assert!(scores2[i] >= scores[i] - 1e-12);
    }
    // Reversing the rows gives each customer the same score.
    let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<_>>();
    let p3 = Prepared::new(model, &mk(&rev(&a), &rev(&b), &rev(&c)), STRICT).unwrap();
    let (scores3, _, _) = p3.score_all();
    for i in 0..n {
        assert!((scores3[n - 1 - i] - scores[i]).abs() < 1e-9);
    }
}

/// The block-wise pass (`run`) and the per-customer explanation use the same arithmetic:
/// identical scores and tiers, counts that match, contributions that add up — on random
/// models mixing groups, caps, skip renormalisation, adjustments and decay.
#[test]
fn run_and_explain_agree_on_random_models() {
    let mut rng = crmscore::sample::Rng::new(11);
    for round in 0..40 {
        let n = 1 + (rng.uniform() * 3000.0) as usize; // crosses the 1024-customer blocks
        let nf = 6;
        let mut cols: Vec<(String, Column)> = (0..nf)
            .map(|f| {
                let miss = rng.uniform() * 0.3;
                let v = (0..n)
                    .map(|_| {
                        if rng.uniform() < miss {
                            f64::NAN
                        } else {
                            (rng.uniform() * 100.0).round()
                        }
                    })
                    .collect();
                (format!("f{f}"), Column::Num(v))
            })
            .collect();
        let days: Vec<Option<String>> = (0..n)
            .map(|_| {
                (rng.uniform() < 0.9)
                    .then(|| crmscore::dates::format_day(20_000 - (rng.uniform() * 400.0) as i32))
            })
            .collect();
        cols.push(("last".into(), Column::strings(&days)));
        let t = Table {
            len: n,
            columns: cols.into_iter().collect(),
        };
        let groups = vec![
            Group {
                id: "g0".into(),
                cap: 10.0 + rng.uniform() * 30.0,
            },
            Group {
                id: "g1".into(),
                cap: 5.0 + rng.uniform() * 20.0,
            },
        ];
        let scales = [
            Scale::Linear {
                min: 10.0,
                max: 90.0,
            },
            Scale::Percentile,
            Scale::Log { max: 50.0 },
            Scale::Bands(vec![(80.0, 1.0), (50.0, 0.5), (20.0, 0.25)]),
            Scale::Boolean,
            Scale::Map(vec![
                ("0".into(), 0.0),
                ("50".into(), 0.5),
                ("100".into(), 1.0),
            ]),
        ];
        let indicators: Vec<Indicator> = (0..2 + (rng.uniform() * 7.0) as usize)
            .map(|k| {
                let mut i = Indicator::new(
                    &format!("i{k}"),
                    &format!("f{}", k % nf),
                    (rng.uniform() * 40.0).round(),
                    scales[(rng.uniform() * 6.0) as usize].clone(),
                );
                i.invert = rng.uniform() < 0.3;
                i.missing = if rng.uniform() < 0.4 {
                    Missing::Skip
                } else {
                    Missing::Zero
                };
                i.group = match (rng.uniform() * 3.0) as usize {
                    0 => Some("g0".into()),
                    1 => Some("g1".into()),
                    _ => None,
                };
                i.decay = rng.uniform() < 0.5;
                i
            })
            .collect();
        let adjustments: Vec<Adjustment> = (0..(rng.uniform() * 4.0) as usize)
            .map(|k| Adjustment {
                id: format!("a{k}"),
                field: format!("f{}", k % nf),
                op: [Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq, Op::Ne][k % 6],
                value: Value::Num(50.0),
                points: (rng.uniform() * 30.0 - 15.0).round(),
                group: if rng.uniform() < 0.5 {
                    Some("g1".into())
                } else {
                    None
                },
                decay: rng.uniform() < 0.5,
            })
            .collect();
        let mut model = ScoringModel {
            indicators,
            adjustments,
            groups,
            decay: (round % 2 == 0).then(|| Decay {
                field: "last".into(),
                half_life_days: 90.0,
            }),
            tiers: vec![
                Tier {
                    label: "A".into(),
                    min: 40.0,
                },
                Tier {
                    label: "B".into(),
                    min: 20.0,
                },
                Tier {
                    label: "C".into(),
                    min: 0.0,
                },
            ],
        };
        let lo = model.score_range().0;
        model.tiers.push(Tier {
            label: "D".into(),
            min: lo.min(-1.0),
        });
        let p = Prepared::new(model.clone(), &t, STRICT).unwrap();
        let (hi_lo, hi) = (model.score_range().0, model.score_range().1);
        for weights in [
            p.weights(),
            p.weights()
                .iter()
                .map(|w| w * rng.uniform() * 2.0)
                .collect(),
        ] {
            p.check_weights(&weights).unwrap();
            let mut s = vec![0.0; n];
            let mut tr = vec![0u8; n];
            let mut c = vec![0u32; 4];
            p.run(&weights, &mut tr, &mut c);
            p.scores_into(&weights, &mut s);
            let mut count = [0u32; 4];
            for i in 0..n {
                let e = p.explain(&t, i, &weights);
                assert_eq!(
                    e.score.to_bits(),
                    s[i].to_bits(),
                    "round {round} customer {i}"
                );
                assert_eq!(e.tier, tr[i] as usize);
                count[e.tier] += 1;
                let sum: f64 = e.contributions.iter().map(|c| c.points).sum();
                // each term and the total are rounded to 1e-4
                let tol = 0.5e-4 * (e.contributions.len() + 1) as f64;
                assert!(
                    (sum - e.score).abs() <= tol,
                    "round {round} customer {i}: {sum} vs {}",
                    e.score
                );
                if weights == p.weights() {
                    assert!(
                        e.score >= hi_lo - 1e-4 && e.score <= hi + 1e-4,
                        "{} outside [{hi_lo}, {hi}]",
                        e.score
                    );
                }
                if let Some(gap) = e.points_to_next_tier {
                    assert!(gap > 0.0);
                }
            }
            assert_eq!(c.to_vec(), count.to_vec());
        }
    }
}

#[test]
fn decay_halves_points_every_half_life() {
    let t = table(vec![
        ("x", num(&[10.0, 10.0, 10.0, 10.0])),
        (
            "lastActivity",
            Column::strings(&[
                Some("2026-01-31"),
                Some("2026-01-01"),
                None,
                Some("2026-03-02"),
            ]),
        ),
    ]);
    let mut kept = ind(
        "kept",
        "x",
        50.0,
        Scale::Linear {
            min: 0.0,
            max: 10.0,
        },
    );
    kept.decay = false;
    let model = ScoringModel {
        indicators: vec![
            ind(
                "fading",
                "x",
                50.0,
                Scale::Linear {
                    min: 0.0,
                    max: 10.0,
                },
            ),
            kept,
        ],
        decay: Some(Decay {
            field: "lastActivity".into(),
            half_life_days: 30.0,
        }),
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 60.0,
            },
            Tier {
                label: "B".into(),
                min: 0.0,
            },
        ],
        ..Default::default()
    };
    let as_of = crmscore::dates::parse_day("2026-03-02").unwrap();
    let opts = ScoringOptions {
        strict: true,
        as_of: Some(as_of),
    };
    let p = Prepared::new(model.clone(), &t, opts).unwrap();
    let (s, tiers, _) = p.score_all();
    // ages 30 and 60 days → ×0.5 and ×0.25; no date → ×1; today → ×1.
    let want = [50.0 + 25.0, 50.0 + 12.5, 100.0, 100.0];
    for (a, b) in s.iter().zip(want) {
        assert!((a - b).abs() < 1e-9, "{s:?}");
    }
    assert_eq!(tiers, [0, 0, 0, 0]);
    assert_eq!(p.explain(&t, 1, &p.weights()).decay_factor, 0.25);
    // Default asOf = the latest date in the field (2026-03-02 here): same result.
    let p2 = Prepared::new(model.clone(), &t, STRICT).unwrap();
    assert_eq!(p2.as_of, Some(as_of));
    assert_eq!(p2.score_all().0, s);
    // A date that does not parse names its row and field.
    let bad = table(vec![
        ("x", num(&[1.0, 2.0])),
        (
            "lastActivity",
            Column::strings(&[Some("2026-01-01"), Some("31/01/2026")]),
        ),
    ]);
    let e = Prepared::new(model.clone(), &bad, STRICT).err().unwrap();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::InvalidDate, Some(1), Some("lastActivity"))
    );
    let mut m = model;
    m.decay.as_mut().unwrap().half_life_days = 0.0;
    assert_eq!(
        m.validate().unwrap_err().field.as_deref(),
        Some("decay.halfLifeDays")
    );
}

#[test]
fn weights_are_checked_and_presets_are_valid() {
    let t = table(vec![("annualPurchaseAmount", num(&[1.0]))]);
    let p = Prepared::new(quality_customer(), &t, ScoringOptions::default()).unwrap();
    let e = p.check_weights(&[1.0, 2.0]).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::LengthMismatch, Some("weights"))
    );
    let e = p.check_weights(&[1.0, 2.0, f64::NAN, 4.0]).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidValue, Some("weights[2]"))
    );
    assert!(p.check_weights(&[1.0, -2.0, 3.0, 4.0]).is_err());
    for name in ["qualityCustomer", "valueEngagement"] {
        preset(name).unwrap().validate().unwrap();
    }
    assert_eq!(preset("nope"), None);
    // valueEngagement: negative adjustments make −40 possible, and D covers it.
    assert_eq!(value_engagement().score_range(), (-40.0, 100.0));
    // missing: "error" on a map value that is not listed.
    let t = table(vec![("city", Column::strings(&[Some("SH"), Some("XX")]))]);
    let mut i = ind("c", "city", 10.0, Scale::Map(vec![("SH".into(), 1.0)]));
    i.missing = Missing::Error;
    let m = ScoringModel {
        indicators: vec![i],
        tiers: tiers(),
        ..Default::default()
    };
    let e = Prepared::new(m, &t, STRICT).err().unwrap();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::MissingField, Some(1), Some("city"))
    );
    assert!(e.detail.contains("no fraction in the map"), "{e}");
}

/// Tiers are decided on the rounded score (4 decimals): 79.99996 rounds to 80 → A,
/// 79.99994 rounds to 79.9999 → B, in the block pass as in the explanation.
#[test]
fn tiers_follow_the_rounded_score() {
    let t = table(vec![("x", num(&[79.99996, 79.99994, 80.0, 79.99995]))]);
    let m = ScoringModel {
        indicators: vec![ind(
            "x",
            "x",
            100.0,
            Scale::Linear {
                min: 0.0,
                max: 100.0,
            },
        )],
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 80.0,
            },
            Tier {
                label: "B".into(),
                min: 0.0,
            },
        ],
        ..Default::default()
    };
    let p = Prepared::new(m, &t, STRICT).unwrap();
    let (s, tiers, counts) = p.score_all();
    assert_eq!(s[..3], [80.0, 79.9999, 80.0]);
    assert_eq!(tiers[..3], [0, 1, 0]);
    for i in 0..4 {
        let e = p.explain(&t, i, &p.weights());
        assert_eq!((e.score, e.tier), (s[i], tiers[i] as usize));
        assert_eq!(e.tier, if s[i] >= 80.0 { 0 } else { 1 });
    }
    assert_eq!(counts.iter().sum::<u32>(), 4);
}

// ---------------------------------------------------------------- the model's JSON form

mod model_json {
    use crmscore::error::TableName;
    use crmscore::model_io::Json;
    use crmscore::scoring::*;
    use crmscore::ErrorCode;

    fn json(s: &str) -> Json {
        serde_json::from_str(s).unwrap()
    }

    /// Every feature of the format: all scale types, options, adjustments of each value
    /// type, groups, decay, a last tier without min.
    const FULL: &str = r#"{
      "name": "full", "description": "every feature",
      "indicators": [
        { "id": "spend", "field": "totalAmount", "weight": 40, "scale": { "type": "linear", "min": 0, "max": 1000 }, "group": "value" },
        { "id": "recency", "field": "daysSinceLastOrder", "weight": 20, "scale": { "type": "bands", "bands": [[90, 1], [30, 0.5]] }, "invert": true, "missing": "skip" },
        { "id": "rank", "field": "orderCount", "weight": 10, "scale": { "type": "percentile" }, "missing": "error", "decay": false },
        { "id": "log", "field": "clv", "weight": 10, "scale": { "type": "log", "max": 5000 } },
        { "id": "vip", "field": "vip", "weight": 5, "scale": { "type": "boolean" } },
        { "id": "region", "field": "region", "weight": 5, "scale": { "type": "map", "values": { "north": 1, "south": 0.25 } } }
      ],
      "adjustments": [
        { "id": "big", "field": "totalAmount", "op": ">=", "value": 5000, "points": 5, "group": "value" },
        { "id": "blocked", "field": "status", "op": "==", "value": "blocked", "points": -30, "decay": false },
        { "id": "newsletter", "field": "newsletter", "op": "!=", "value": true, "points": -2 }
      ],
      "groups": [{ "id": "value", "cap": 42 }],
      "decay": { "field": "lastOrderDate", "halfLifeDays": 180 },
      "tiers": [{ "label": "A", "min": 60 }, { "label": "B", "min": 30 }, { "label": "C", "min": null }]
    }"#;

    #[test]
    fn every_feature_is_read() {
        let m = ScoringModel::from_json(&json(FULL)).unwrap();
        assert_eq!(m.indicators.len(), 6);
        assert_eq!(
            m.indicators[1].scale,
            Scale::Bands(vec![(90.0, 1.0), (30.0, 0.5)])
        );
        assert!(m.indicators[1].invert);
        assert_eq!(m.indicators[1].missing, Missing::Skip);
        assert_eq!(m.indicators[2].missing, Missing::Error);
        assert!(!m.indicators[2].decay);
        assert_eq!(
            m.indicators[5].scale,
            Scale::Map(vec![("north".into(), 1.0), ("south".into(), 0.25)])
        );
        assert_eq!(m.indicators[0].group.as_deref(), Some("value"));
        assert_eq!(m.adjustments[0].op, Op::Ge);
        assert_eq!(m.adjustments[0].value, Value::Num(5000.0));
        assert_eq!(m.adjustments[1].value, Value::Str("blocked".into()));
        assert_eq!(m.adjustments[2].value, Value::Bool(true));
        assert!(!m.adjustments[1].decay);
        assert_eq!(m.groups[0].cap, 42.0);
        assert_eq!(m.decay.as_ref().unwrap().half_life_days, 180.0);
        assert_eq!(m.tiers[2].min, f64::NEG_INFINITY);
    }

    #[test]
    fn the_written_form_leaves_defaults_out_and_reads_back_equal() {
        let m = ScoringModel::from_json(&json(FULL)).unwrap();
        let j = m.to_json();
        // name/description are not kept; defaults (invert false, missing zero, decay true) left out.
        let first = &j.get("indicators");
        let Json::Arr(inds) = first else { panic!() };
        let Json::Obj(keys) = &inds[0] else { panic!() };
        let keys: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["id", "field", "weight", "scale", "group"]);
        assert_eq!(j.get("name"), &Json::Undefined);
        let Json::Arr(tiers) = j.get("tiers") else {
            panic!()
        };
        assert_eq!(tiers[2].get("min"), &Json::Null);
        assert_eq!(ScoringModel::from_json(&j).unwrap(), m);
        // Without adjustments and groups, those keys are left out.
        let plain = quality_customer();
        let pj = plain.to_json();
        assert_eq!(pj.get("adjustments"), &Json::Undefined);
        assert_eq!(pj.get("groups"), &Json::Undefined);
    }

    #[test]
    fn models_save_and_load_as_json_text() {
        for m in [
            preset("qualityCustomer").unwrap(),
            preset("valueEngagement").unwrap(),
            ScoringModel::from_json(&json(FULL)).unwrap(),
        ] {
            let text = serde_json::to_string(&m).unwrap();
            let back: ScoringModel = serde_json::from_str(&text).unwrap();
            assert_eq!(back, m);
            // The written form is stable: write → read → write gives the same text.
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
        }
        let text = serde_json::to_string(&quality_customer()).unwrap();
        assert!(text.starts_with(r#"{"indicators":[{"id":"#), "{text}");
        assert!(text.ends_with(r#""min":null}]}"#), "{text}");
    }

    #[test]
    fn a_preset_name_reads_as_the_preset() {
        let m = ScoringModel::from_json(&Json::str("valueEngagement")).unwrap();
        assert_eq!(m, value_engagement());
        let e = ScoringModel::from_json(&Json::str("bestCustomers")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidModel);
        assert_eq!(e.field.as_deref(), Some("model"));
    }

    /// FULL with `edit` applied to its JSON text → the error's (path, detail).
    fn error_of(edit: impl Fn(&mut serde_json::Value)) -> (String, String) {
        let mut v: serde_json::Value = serde_json::from_str(FULL).unwrap();
        edit(&mut v);
        let j: Json = serde_json::from_value(v).unwrap();
        let e = ScoringModel::from_json(&j).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidModel);
        assert_eq!(e.table, Some(TableName::Model));
        (e.field.unwrap_or_default(), e.detail)
    }

    #[test]
    fn errors_name_the_json_path_and_describe_the_value() {
        use serde_json::json as j;
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str, &str)> = vec![
            (
                Box::new(|v| v["indicators"][0]["weight"] = j!("40")),
                "indicators[0].weight",
                "weight must be a number, got the string \"40\"",
            ),
            (
                Box::new(|v| v["indicators"][2]["colour"] = j!("red")),
                "indicators[2].colour",
                "unknown key \"colour\" in an indicator; known keys: id, field, weight, scale, invert, missing, group, decay",
            ),
            (
                Box::new(|v| v["indicators"][2]["scale"] = j!({ "type": "cubic" })),
                "indicators[2].scale.type",
                "unknown scale type \"cubic\"; use linear, bands, percentile, log, boolean or map",
            ),
            (
                Box::new(|v| v["indicators"][1]["scale"]["bands"][1][0] = j!(null)),
                "indicators[1].scale.bands[1][0]",
                "the threshold must be a number",
            ),
            (
                Box::new(|v| v["indicators"][1]["scale"]["bands"][0] = j!([1])),
                "indicators[1].scale.bands[0]",
                "a band must be [threshold, fraction], got an array",
            ),
            (
                Box::new(|v| v["indicators"][5]["scale"]["values"]["south"] = j!(true)),
                "indicators[5].scale.values.south",
                "must be a number, got boolean",
            ),
            (
                Box::new(|v| v["indicators"][0]["scale"]["max"] = j!(null)),
                "indicators[0].scale.max",
                "max is required (a number)",
            ),
            (
                Box::new(|v| v["indicators"][0]["id"] = j!("")),
                "indicators[0].id",
                "id must not be empty",
            ),
            (
                Box::new(|v| v["indicators"][0]["invert"] = j!(1)),
                "indicators[0].invert",
                "invert must be true or false, got the number 1",
            ),
            (
                Box::new(|v| v["indicators"][0]["missing"] = j!("drop")),
                "indicators[0].missing",
                "missing must be \"zero\", \"skip\" or \"error\", got \"drop\"",
            ),
            (
                Box::new(|v| v["adjustments"][1]["op"] = j!("=>")),
                "adjustments[1].op",
                "op must be one of >, >=, <, <=, ==, !=; got \"=>\"",
            ),
            (
                Box::new(|v| v["adjustments"][0]["value"] = j!([1])),
                "adjustments[0].value",
                "value must be a number, string or boolean, got an array",
            ),
            (
                Box::new(|v| v["groups"][0] = j!("value")),
                "groups[0]",
                "a group must be an object, got the string \"value\"",
            ),
            (
                Box::new(|v| v["decay"] = j!({ "field": "d", "halfLife": 3 })),
                "decay.halfLife",
                "unknown key \"halfLife\" in decay; known keys: field, halfLifeDays",
            ),
            (
                Box::new(|v| v["tiers"][1]["min"] = j!(null)),
                "tiers[1].min",
                "min is required (a number)",
            ),
            (
                Box::new(|v| v["tiers"] = j!({})),
                "tiers",
                "tiers must be an array, got object",
            ),
            (
                Box::new(|v| v["weights"] = j!([])),
                "weights",
                "unknown key \"weights\" in the model; known keys: name, description, indicators, adjustments, groups, decay, tiers",
            ),
        ];
        for (edit, path, detail) in cases {
            assert_eq!(error_of(edit), (path.to_string(), detail.to_string()));
        }
        // The model itself.
        let e = ScoringModel::from_json(&Json::Arr(vec![])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("model"));
        assert_eq!(e.detail, "the model must be an object, got an array");
        // Validation after reading (weights, tiers, groups) keeps its paths too.
        let (path, _) = error_of(|v| v["indicators"][0]["weight"] = j!(-1));
        assert_eq!(path, "indicators[0].weight");
    }

    #[test]
    fn serde_errors_carry_the_path_in_the_message() {
        let e = serde_json::from_str::<ScoringModel>(
            r#"{ "indicators": [{ "id": "a", "field": "x", "weight": "40", "scale": { "type": "boolean" } }], "tiers": [{ "label": "A" }] }"#,
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("indicators[0].weight"), "{msg}");
        assert!(
            msg.contains("weight must be a number, got the string \"40\""),
            "{msg}"
        );
    }
}
