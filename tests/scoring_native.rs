//! Native tests of the weighted scoring core (issue 3; not yet exposed to JavaScript).
#![cfg(not(target_arch = "wasm32"))]

use crmscore::scoring::*;
use crmscore::ErrorCode;

fn table(cols: Vec<(&str, Column)>) -> Table {
    let len = cols[0].1.len();
    Table { len, columns: cols.into_iter().map(|(k, v)| (k.to_string(), v)).collect() }
}

fn num(v: &[f64]) -> Column {
    Column::Num(v.to_vec())
}

fn ind(id: &str, field: &str, weight: f64, scale: Scale) -> Indicator {
    Indicator { id: id.into(), field: field.into(), weight, scale, invert: false, missing: Missing::Zero, group: None }
}

fn tiers() -> Vec<Tier> {
    vec![Tier { label: "A".into(), min: 80.0 }, Tier { label: "Z".into(), min: f64::NEG_INFINITY }]
}

#[test]
fn quality_customer_preset_scores_hand_computed_customers() {
    let t = table(vec![
        ("annualPurchaseAmount", num(&[100_000.0, 50_000.0, 0.0, 250_000.0])),
        ("renewalRate", num(&[1.0, 0.5, 0.0, 0.9])),
        ("feedbackScore", num(&[5.0, 4.0, f64::NAN, 3.0])),
        ("trainingAttendance", num(&[1.0, 0.0, 0.2, 0.5])),
    ]);
    let p = Prepared::new(quality_customer(), &t, true).unwrap();
    let (scores, tiers) = p.score_all();
    // 40 + 30 + 20 + 10; 20 + 15 + 16 + 0; 0 + 0 + 0 + 2; 40 (capped) + 27 + 12 + 5
    let want = [100.0, 51.0, 2.0, 84.0];
    for (s, w) in scores.iter().zip(want) {
        assert!((s - w).abs() < 1e-9, "{scores:?}");
    }
    let labels: Vec<&str> = tiers.iter().map(|&k| p.model.tiers[k as usize].label.as_str()).collect();
    assert_eq!(labels, ["A", "C", "D", "A"]);
    // Contributions add up to the score and name the indicators.
    let (s, c) = p.explain(1, &[40.0, 30.0, 20.0, 10.0]);
    assert_eq!(c.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["annualPurchase", "renewal", "feedback", "training"]);
    assert!((c.iter().map(|x| x.points).sum::<f64>() - s).abs() < 1e-12);
    assert_eq!(c[2].value, Some(0.8));
}

#[test]
fn every_scale_and_its_edges() {
    let x = num(&[-5.0, 0.0, 5.0, 10.0, 20.0, f64::NAN]);
    let t = table(vec![("x", x), ("flag", Column::Bool(vec![Some(true), Some(false), None, Some(true), Some(false), Some(true)])),
        ("city", Column::Str(vec![Some("SH".into()), Some("BJ".into()), Some("GZ".into()), None, Some("SH".into()), Some("BJ".into())]))]);
    let frac = |scale: Scale, field: &str, invert: bool| {
        let mut i = ind("a", field, 100.0, scale);
        i.invert = invert;
        let m = ScoringModel { indicators: vec![i], tiers: tiers(), ..Default::default() };
        Prepared::new(m, &t, true).unwrap().fractions[0].clone()
    };
    let same = |a: Vec<f64>, b: &[f64]| {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    };
    let nan = f64::NAN;
    same(frac(Scale::Linear { min: 0.0, max: 10.0 }, "x", false), &[0.0, 0.0, 0.5, 1.0, 1.0, nan]);
    same(frac(Scale::Linear { min: 0.0, max: 10.0 }, "x", true), &[1.0, 1.0, 0.5, 0.0, 0.0, nan]);
    same(frac(Scale::Bands(vec![(10.0, 1.0), (5.0, 0.5), (0.0, 0.2)]), "x", false), &[0.0, 0.2, 0.5, 1.0, 1.0, nan]);
    same(frac(Scale::Log { max: 10.0 }, "x", false), &[0.0, 0.0, 6f64.ln() / 11f64.ln(), 1.0, 1.0, nan]);
    same(frac(Scale::Percentile, "x", false), &[0.0, 0.25, 0.5, 0.75, 1.0, nan]);
    same(frac(Scale::Boolean, "flag", false), &[1.0, 0.0, nan, 1.0, 0.0, 1.0]);
    same(frac(Scale::Map(vec![("SH".into(), 1.0), ("BJ".into(), 0.6)]), "city", false), &[1.0, 0.6, nan, nan, 1.0, 0.6]);
    // ties share the mid-rank percentile
    let t2 = table(vec![("y", num(&[1.0, 2.0, 2.0, 3.0]))]);
    let m = ScoringModel { indicators: vec![ind("p", "y", 10.0, Scale::Percentile)], tiers: tiers(), ..Default::default() };
    same(Prepared::new(m, &t2, true).unwrap().fractions[0].clone(), &[0.0, 0.5, 0.5, 1.0]);
}

#[test]
fn adjustments_groups_caps_and_skip_renormalisation() {
    let t = table(vec![
        ("a", num(&[10.0, 10.0, 10.0])),
        ("b", num(&[10.0, f64::NAN, 0.0])),
        ("complaints", num(&[0.0, 3.0, 5.0])),
    ]);
    let mut ib = ind("ib", "b", 50.0, Scale::Linear { min: 0.0, max: 10.0 });
    ib.missing = Missing::Skip;
    let mut ia = ind("ia", "a", 50.0, Scale::Linear { min: 0.0, max: 10.0 });
    ia.group = Some("g".into());
    let adj = Adjustment {
        id: "many complaints".into(),
        field: "complaints".into(),
        op: Op::Ge,
        value: Value::Num(3.0),
        points: -30.0,
        group: None,
    };
    let bonus = Adjustment { id: "bonus".into(), field: "a".into(), op: Op::Eq, value: Value::Num(10.0), points: 10.0, group: Some("g".into()) };
    let m = ScoringModel {
        indicators: vec![ia, ib],
        adjustments: vec![adj, bonus],
        groups: vec![Group { id: "g".into(), cap: 40.0 }],
        tiers: vec![Tier { label: "A".into(), min: 60.0 }, Tier { label: "B".into(), min: -30.0 }],
    };
    assert_eq!(m.score_range(), (-30.0, 90.0));
    let p = Prepared::new(m, &t, true).unwrap();
    let w = [50.0, 50.0];
    // row 0: group g = min(50 + 10, 40) = 40; ib 50 → 90
    let (s0, c0) = p.explain(0, &w);
    assert!((s0 - 90.0).abs() < 1e-9);
    assert!((c0.iter().map(|c| c.points).sum::<f64>() - s0).abs() < 1e-9);
    // row 1: b missing, skip → ia renormalised ×2 = 100, group cap → 40 (with bonus); complaints −30 → 10
    let (s1, c1) = p.explain(1, &w);
    assert!((s1 - 10.0).abs() < 1e-9, "{s1} {c1:?}");
    assert_eq!(c1[1].value, None);
    // row 2: b = 0 present; g capped at 40; −30 → 10
    let (s2, _) = p.explain(2, &w);
    assert!((s2 - 10.0).abs() < 1e-9);
    assert_eq!(p.tier_of(s0), 0);
    assert_eq!(p.tier_of(s1), 1);
}

#[test]
fn validation_errors_name_the_json_path() {
    let base = || ScoringModel {
        indicators: vec![
            ind("a", "x", 40.0, Scale::Linear { min: 0.0, max: 1.0 }),
            ind("b", "y", 60.0, Scale::Bands(vec![(10.0, 1.0), (5.0, 0.5)])),
            ind("c", "z", 0.0, Scale::Log { max: 9.0 }),
        ],
        tiers: vec![Tier { label: "A".into(), min: 50.0 }, Tier { label: "B".into(), min: 0.0 }],
        ..Default::default()
    };
    assert!(base().validate().is_ok());
    let bad = |f: &dyn Fn(&mut ScoringModel), path: &str| {
        let mut m = base();
        f(&mut m);
        let e = m.validate().unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidModel, Some(path)), "{e}");
    };
    bad(&|m| m.indicators[0].weight = f64::NAN, "indicators[0].weight");
    bad(&|m| m.indicators[0].weight = -1.0, "indicators[0].weight");
    bad(&|m| m.indicators[0].scale = Scale::Linear { min: 2.0, max: 2.0 }, "indicators[0].scale.max");
    bad(&|m| m.indicators[1].scale = Scale::Bands(vec![(5.0, 1.0), (10.0, 0.5)]), "indicators[1].scale.bands[1][0]");
    bad(&|m| m.indicators[1].scale = Scale::Bands(vec![(5.0, 1.5)]), "indicators[1].scale.bands[0][1]");
    bad(&|m| m.indicators[2].scale = Scale::Log { max: 0.0 }, "indicators[2].scale.max");
    bad(&|m| m.indicators[2].id = "a".into(), "indicators[2].id");
    bad(&|m| m.indicators[2].group = Some("nope".into()), "indicators[2].group");
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
            })
        },
        "adjustments[0].op",
    );
    bad(
        &|m| {
            m.adjustments.push(Adjustment { id: "neg".into(), field: "x".into(), op: Op::Gt, value: Value::Num(1.0), points: -5.0, group: None })
        },
        "tiers[1].min", // −5 is now possible and tier B starts at 0
    );
    // strict mode: unknown field
    let t = table(vec![("x", num(&[1.0])), ("y", num(&[1.0]))]);
    let e = Prepared::new(base(), &t, true).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("indicators[2].field"));
    assert!(Prepared::new(base(), &t, false).is_ok());
    // missing: "error" names row and field
    let mut m = base();
    m.indicators[0].missing = Missing::Error;
    let t = table(vec![("x", num(&[1.0, f64::NAN])), ("y", num(&[1.0, 1.0])), ("z", num(&[1.0, 1.0]))]);
    let e = Prepared::new(m, &t, true).err().unwrap();
    assert_eq!((e.code, e.row, e.field.as_deref()), (ErrorCode::MissingField, Some(1), Some("x")));
}

/// Properties on generated data: scores within the model's range; contributions sum to the
/// score; raising a higher-is-better field never lowers the score; row order is irrelevant.
#[test]
fn properties_on_generated_customers() {
    let mut rng = crmscore::sample::Rng::new(3);
    let n = 500;
    let col = |rng: &mut crmscore::sample::Rng, scale: f64| -> Vec<f64> {
        (0..n).map(|_| if rng.uniform() < 0.05 { f64::NAN } else { rng.uniform() * scale }).collect()
    };
    let (a, b, c) = (col(&mut rng, 150_000.0), col(&mut rng, 1.2), col(&mut rng, 6.0));
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
    model.adjustments.push(Adjustment { id: "big".into(), field: "annualPurchaseAmount".into(), op: Op::Gt, value: Value::Num(120_000.0), points: -15.0, group: None });
    model.tiers[3].min = -15.0;
    let (lo, hi) = model.score_range();
    let p = Prepared::new(model.clone(), &mk(&a, &b, &c), true).unwrap();
    let w: Vec<f64> = model.indicators.iter().map(|i| i.weight).collect();
    let (scores, _) = p.score_all();
    for i in 0..n {
        let (s, contrib) = p.explain(i, &w);
        assert!(s >= lo - 1e-9 && s <= hi + 1e-9, "score {s} outside [{lo}, {hi}]");
        assert!((contrib.iter().map(|c| c.points).sum::<f64>() - s).abs() < 1e-9);
        assert_eq!(s, scores[i]);
    }
    // Raising renewalRate (linear, higher is better, no adjustment on it) never lowers a score.
    let b2: Vec<f64> = b.iter().map(|x| if x.is_nan() { *x } else { x + 0.1 }).collect();
    let p2 = Prepared::new(model.clone(), &mk(&a, &b2, &c), true).unwrap();
    let (scores2, _) = p2.score_all();
    for i in 0..n {
        assert!(scores2[i] >= scores[i] - 1e-12);
    }
    // Reversing the rows gives each customer the same score.
    let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<_>>();
    let p3 = Prepared::new(model, &mk(&rev(&a), &rev(&b), &rev(&c)), true).unwrap();
    let (scores3, _) = p3.score_all();
    for i in 0..n {
        assert!((scores3[n - 1 - i] - scores[i]).abs() < 1e-9);
    }
}
