//! The options readers through a JSON value (the same `Node` view the binding reads JS
//! objects with): values read, defaults, and every wrong option named by its path.
use crmscore::btyd::{ClvOptions, FitOptions, SummaryOptions, TimeUnit};
use crmscore::classify::ClassifyOptions;
use crmscore::dates;
use crmscore::error::{ErrorCode, TableName};
use crmscore::model_io::Json;
use crmscore::options::Options;
use crmscore::rfm::{Binning, RfmOptions, Segments};

// From src/options.rs.
fn obj(pairs: Vec<(&str, Json)>) -> Json {
    Json::object(pairs)
}

#[test]
fn reads_values_and_names_every_error_by_its_path() {
    let j = obj(vec![
        ("horizon", 12.0.into()),
        ("strict", true.into()),
        ("asOf", "2026-06-30".into()),
        (
            "lifetime",
            obj(vec![("clv", obj(vec![("step", "x".into())]))]),
        ),
    ]);
    let o = Options::new(&j, &["horizon", "strict", "asOf", "lifetime"]).unwrap();
    assert_eq!(o.number("horizon").unwrap(), Some(12.0));
    assert_eq!(o.number("absent").unwrap(), None);
    assert_eq!(o.boolean("strict").unwrap(), Some(true));
    assert_eq!(
        o.day("asOf").unwrap(),
        Some(dates::parse_day("2026-06-30").unwrap())
    );
    let e = o.integer("horizon", 1.0, 10.0).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("horizon"));
    assert_eq!(e.code, ErrorCode::InvalidOption);
    let life = o.nested("lifetime", &["clv"]).unwrap().unwrap();
    let clv = life.nested("clv", &["step"]).unwrap().unwrap();
    let e = clv.number("step").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("lifetime.clv.step"));
    assert_eq!(e.table, Some(TableName::Options));
    assert!(e.detail.contains("the string \"x\""), "{e}");
    let e = o.day("strict").map(|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidDate);

    let typo = obj(vec![("horizn", 1.0.into())]);
    let e = Options::new(&typo, &["horizon"]).map(|_| ()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("horizn"));
    assert!(e.detail.contains("known options: horizon"), "{e}");
    let e = Options::new(&Json::Num(3.0), &[]).map(|_| ()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options"));
    let none = Options::new(&Json::Undefined, &["horizon"]).unwrap();
    assert!(none.is_missing());
    assert_eq!(
        none.required_number("horizon", "in weeks")
            .unwrap_err()
            .field
            .as_deref(),
        Some("horizon")
    );
}

// From src/btyd/read_options.rs.
#[test]
fn clv_fit_and_summary_options_read_and_refuse_by_path() {
    let j = Json::object(vec![
        ("horizon", 52.0.into()),
        ("step", 4.0.into()),
        ("discountRatePerStep", 0.01.into()),
    ]);
    let c = ClvOptions::read(&j).unwrap();
    assert_eq!((c.steps, c.step_length, c.discount_rate), (13, 4.0, 0.01));
    let bad = Json::object(vec![
        ("horizon", 50.0.into()),
        ("step", 4.0.into()),
        ("discountRatePerStep", 0.0.into()),
    ]);
    assert_eq!(
        ClvOptions::read(&bad).unwrap_err().field.as_deref(),
        Some("horizon")
    );
    let f = FitOptions::read(&Json::object(vec![
        ("maxIter", 50.0.into()),
        ("initial", Json::Arr(vec![1.0.into(), 2.0.into()])),
    ]))
    .unwrap();
    assert_eq!((f.max_iter, f.initial), (50, Some(vec![1.0, 2.0])));
    assert_eq!(
        FitOptions::read(&Json::object(vec![("maxIter", 0.5.into())]))
            .unwrap_err()
            .field
            .as_deref(),
        Some("maxIter")
    );
    assert_eq!(
        FitOptions::read(&Json::Undefined).unwrap(),
        FitOptions::default()
    );
    let s = SummaryOptions::read(
        &Json::object(vec![("unit", "week".into()), ("asOf", "2026-06-30".into())]),
        Some(3),
    )
    .unwrap();
    assert_eq!((s.unit, s.customer_count), (TimeUnit::Week, Some(3)));
    assert_eq!(
        SummaryOptions::read(&Json::Undefined, None)
            .unwrap_err()
            .field
            .as_deref(),
        Some("unit")
    );
}

// From src/rfm_options.rs.
fn arr(x: &[f64]) -> Json {
    Json::Arr(x.iter().map(|&v| v.into()).collect())
}

#[test]
fn every_option_is_read_and_every_wrong_one_named() {
    let j = Json::object(vec![
        ("bins", Json::object(vec![("recency", 4.0.into())])),
        ("binning", "equalCount".into()),
        (
            "cuts",
            Json::object(vec![("monetary", arr(&[10.0, 100.0]))]),
        ),
        (
            "segments",
            Json::Arr(vec![Json::object(vec![
                ("name", "top".into()),
                ("recency", arr(&[4.0, 5.0])),
                ("frequency", arr(&[1.0, 5.0])),
                ("monetary", arr(&[1.0, 5.0])),
            ])]),
        ),
        ("fallbackSegment", "rest".into()),
        ("customerCount", 10.0.into()),
    ]);
    let (r, n) = RfmOptions::read(&j, true, 100).unwrap();
    assert_eq!(r.bins, [Some(4.0), None, None]);
    assert_eq!(r.binning, Binning::EqualCount);
    assert_eq!(r.cuts[2], Some(vec![10.0, 100.0]));
    assert!(matches!(&r.segments, Segments::Rules(v) if v[0].name == "top"));
    assert_eq!((r.fallback_segment.as_str(), n), ("rest", Some(10)));
    // customerCount is for the columnar form only.
    assert_eq!(
        RfmOptions::read(&j, false, 100)
            .unwrap_err()
            .field
            .as_deref(),
        Some("customerCount")
    );
    for (key, v, field) in [
        ("bins", Json::object(vec![("r", 4.0.into())]), "bins"),
        ("binning", "ntile".into(), "binning"),
        ("cuts", Json::object(vec![("recency", arr(&[]))]), "bins"),
        (
            "segments",
            Json::Arr(vec![Json::object(vec![("name", "x".into())])]),
            "segments[0]",
        ),
        ("segments", "vip".into(), "segments"),
        ("fallbackSegment", 3.0.into(), "fallbackSegment"),
        ("customerCount", 1000.0.into(), "customerCount"),
    ] {
        let j = Json::object(vec![(key, v)]);
        match RfmOptions::read(&j, true, 100) {
            Err(e) => assert_eq!(e.field.as_deref(), Some(field), "{e}"),
            Ok(_) => assert_eq!(
                key, "cuts",
                "an empty cut list is read (the plan checks it)"
            ),
        }
    }
}

// From src/classify_options.rs.
#[test]
fn thresholds_are_read_fitted_and_checked() {
    let keys = ClassifyOptions::option_keys(&["asOf"]);
    let j = Json::object(vec![
        ("churnDays", 200.0.into()),
        ("highValueShare", 0.5.into()),
    ]);
    let o = ClassifyOptions::read(&Options::new(&j, &keys).unwrap()).unwrap();
    assert_eq!((o.churn_days, o.high_value_share), (200, 0.5));
    let bad = Json::object(vec![("newDays", 1.5.into())]);
    let e = ClassifyOptions::read(&Options::new(&bad, &keys).unwrap()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("newDays"));
    let typo = Json::object(vec![("churnDayz", 1.0.into())]);
    assert!(Options::new(&typo, &keys).is_err());
    assert_eq!(
        ClassifyOptions::read(&Options::new(&Json::Undefined, &keys).unwrap()).unwrap(),
        ClassifyOptions::default()
    );
}
