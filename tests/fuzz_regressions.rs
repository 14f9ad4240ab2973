//! Regression tests for inputs found by the fuzz targets in `fuzz/` (issue 14 part 3).
//! Each test names the target that found it; the input is minimized.
#![cfg(not(target_arch = "wasm32"))]

use crmscore::dates::{day_bounds, format_day, parse_day};

/// fuzz target `dates`: a date-time at the edge of the supported years whose time of day
/// or UTC offset moves it past the edge was accepted and returned an epoch day outside
/// `day_bounds()` (formatting as "10000-01-01" / "0999-12-31").
#[test]
fn dates_datetime_crossing_supported_years_is_rejected() {
    let (lo, hi) = day_bounds();
    for s in [
        "9999-12-31T24:00",
        "9999-12-31T23:00-05:00",
        "9999-12-31T23:59:59-0001",
        "1000-01-01T00:00+01:00",
        "1000-01-01T00:00:00.5+0001",
    ] {
        match parse_day(s) {
            Ok(d) => panic!(
                "{s} accepted as day {d} ({}), outside {lo}..={hi}",
                format_day(d)
            ),
            Err(e) => assert!(e.contains("1000..9999"), "{s}: {e}"),
        }
    }
    // The edges themselves stay valid.
    assert_eq!(parse_day("9999-12-31T23:59:59Z"), Ok(hi));
    assert_eq!(parse_day("9999-12-31T23:00+05:00"), Ok(hi));
    assert_eq!(parse_day("1000-01-01T00:00Z"), Ok(lo));
    assert_eq!(parse_day("1000-01-01T00:30-00:30"), Ok(lo));
    assert_eq!(parse_day("1000-01-01T00:30-00:31"), Ok(lo));
}

/// fuzz target `scoring`: two finite weights whose sum overflows (1.8e308 each) passed
/// validation; the score range was infinite and scores came out NaN. Weights and points
/// must now add up to at most `SCORE_LIMIT` (1e300); the error names the term at which
/// the total passes it. `check_weights` (runtime weights) applies the same rule.
#[test]
fn scoring_weights_whose_total_overflows_are_rejected() {
    use crmscore::scoring::*;
    use crmscore::ErrorCode;
    let model = |w: [f64; 2], points: f64| ScoringModel {
        indicators: vec![
            Indicator::new("x", "b", w[0], Scale::Boolean),
            Indicator::new("y", "a", w[1], Scale::Log { max: 0.5 }),
        ],
        adjustments: vec![Adjustment {
            id: "z".into(),
            field: "a".into(),
            op: Op::Gt,
            value: Value::Num(0.0),
            points,
            group: None,
            decay: true,
        }],
        groups: vec![],
        decay: None,
        tiers: vec![Tier {
            label: "all".into(),
            min: f64::NEG_INFINITY,
        }],
    };
    let e = model([f64::MAX, f64::MAX], 1.0).validate().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidModel);
    assert_eq!(e.field.as_deref(), Some("indicators[0].weight"), "{e}");
    let e = model([1e300, 1e300], 1.0).validate().unwrap_err();
    assert_eq!(e.field.as_deref(), Some("indicators[1].weight"), "{e}");
    let e = model([1e300, 0.0], -1e300).validate().unwrap_err();
    assert_eq!(e.field.as_deref(), Some("adjustments[0].points"), "{e}");
    // Large but within the limit: fine, and every score is finite.
    let m = model([4e299, 4e299], -1e299);
    m.validate().unwrap();
    let (lo, hi) = m.score_range();
    assert!(lo.is_finite() && hi.is_finite());
    let table = Table {
        len: 2,
        columns: [
            ("a".to_string(), Column::Num(vec![f64::NAN, 3.0])),
            ("b".to_string(), Column::Num(vec![1.0, 0.0])),
        ]
        .into_iter()
        .collect(),
    };
    let p = Prepared::new(m, &table, ScoringOptions::default()).unwrap();
    let (scores, _, _) = p.score_all();
    assert!(scores.iter().all(|s| s.is_finite()), "{scores:?}");
    // Runtime weights are held to the same rule.
    let e = p.check_weights(&[f64::MAX, f64::MAX]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("weights[0]"), "{e}");
    assert!(p.check_weights(&[4e299, 4e299]).is_ok());
}

/// fuzz target `scoring`: with `missing: "skip"`, weights 1e-300 and 1e10 are each valid,
/// but a customer missing the second has its points multiplied by (1e10 + 1e-300) / 1e-300
/// = ∞, so the score was ∞ (or NaN). Such weights are now rejected (path: the smallest
/// weight), at validation and in `check_weights`.
#[test]
fn scoring_skip_renormalisation_that_overflows_is_rejected() {
    use crmscore::scoring::*;
    let mut a = Indicator::new("small", "a", 1e-300, Scale::Boolean);
    a.missing = Missing::Skip;
    let mut b = Indicator::new("big", "b", 1e10, Scale::Boolean);
    b.missing = Missing::Skip;
    let m = ScoringModel {
        indicators: vec![a, b],
        adjustments: vec![],
        groups: vec![],
        decay: None,
        tiers: vec![Tier {
            label: "all".into(),
            min: 0.0,
        }],
    };
    let e = m.validate().unwrap_err();
    assert_eq!(e.field.as_deref(), Some("indicators[0].weight"), "{e}");
    // Weights far apart but with a finite factor stay valid and score finitely.
    let mut ok = m.clone();
    ok.indicators[0].weight = 1e-290;
    ok.validate().unwrap();
    let table = Table {
        len: 2,
        columns: [
            ("a".to_string(), Column::Num(vec![1.0, 1.0])),
            ("b".to_string(), Column::Num(vec![f64::NAN, 1.0])),
        ]
        .into_iter()
        .collect(),
    };
    let p = Prepared::new(ok, &table, ScoringOptions::default()).unwrap();
    let (scores, _, _) = p.score_all();
    assert!(scores.iter().all(|s| s.is_finite()), "{scores:?}");
    assert_eq!(scores[1], 1e10);
    assert!(p.check_weights(&[1e-300, 1e10]).is_err());
}

/// fuzz target `rfm_options`: an `as_of` outside the supported years (i32::MAX) was not
/// checked by `RfmPlan::new`, and `asOf − last order day` overflowed `i32` (a panic with
/// overflow checks, a wrapped negative recency without). The option is now rejected as
/// `invalid_date` on `asOf` (as the JavaScript binding reports a bad asOf), and the
/// aggregator computes recency in 64 bits for direct callers.
#[test]
fn rfm_as_of_outside_supported_years_is_rejected() {
    use crmscore::dates::day_bounds;
    use crmscore::rfm::*;
    use crmscore::ErrorCode;
    let (lo, hi) = day_bounds();
    for as_of in [i32::MAX, hi + 1, lo - 1, i32::MIN] {
        let o = RfmOptions {
            as_of: Some(as_of),
            ..RfmOptions::default()
        };
        let e = RfmPlan::new(&o).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDate, "{e}");
        assert_eq!(e.field.as_deref(), Some("asOf"));
        let e = rfm_columns(&[0], &[lo], &[1.0], None, &o).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("asOf"));
    }
    // The aggregator used directly: no overflow, recency exact.
    let mut agg = OrderAggregator::with_customers(1, Some(i32::MAX));
    agg.push_columns(&[0], &[lo], &[1.0]).unwrap();
    let m = agg.finish().unwrap();
    assert_eq!(m.recency_days[0], i32::MAX as f64 - lo as f64);
    // Edges of the supported years stay valid.
    let o = RfmOptions {
        as_of: Some(hi),
        segments: Segments::Rules(vec![]),
        ..RfmOptions::default()
    };
    let r = rfm_columns(&[0, 1], &[lo, hi], &[1.0, 2.0], None, &o).unwrap();
    assert_eq!(r.metrics.recency_days, vec![(hi - lo) as f64, 0.0]);
}

/// fuzz target `rfm_options` (customer-level input): a `lastOrderDate` of i32::MAX epoch
/// days overflowed `latest + 1` (the default asOf), and one far before a large asOf
/// overflowed `asOf − day`. A last order day outside the supported years is now an
/// `invalid_date` error naming its row; recency is computed in 64 bits.
#[test]
fn rfm_customer_level_last_order_day_out_of_range_is_rejected() {
    use crmscore::dates::day_bounds;
    use crmscore::rfm::*;
    use crmscore::ErrorCode;
    let (lo, hi) = day_bounds();
    let row = |d: i32| CustomerAggregate {
        recency_days: None,
        last_order_day: Some(d),
        frequency: 1.0,
        monetary: 1.0,
    };
    for (days, as_of) in [
        (vec![19_000, i32::MAX], None),
        (vec![19_000, i32::MIN], None),
        (vec![19_000, lo - 1], Some(hi)),
    ] {
        let rows: Vec<_> = days.iter().map(|&d| row(d)).collect();
        let e = metrics_from_aggregates(&rows, as_of, 19_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidDate, "{e}");
        assert_eq!(e.row, Some(1));
        assert_eq!(e.field.as_deref(), Some("lastOrderDate"));
    }
    // A direct caller's unchecked asOf far after a valid day: exact, no overflow.
    let m = metrics_from_aggregates(&[row(lo)], Some(i32::MAX), 0).unwrap();
    assert_eq!(m.recency_days[0], i32::MAX as f64 - lo as f64);
}
