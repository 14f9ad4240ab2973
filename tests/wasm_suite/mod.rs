//! The binding's test suite, run twice by wasm-bindgen-test: in Node (tests/wasm_node.rs)
//! and in headless Chromium (tests/wasm_browser.rs). It calls the exported functions with
//! real JS values and checks what JS would see.

use crate::common;
use crmscore::wasm::{
    rfm, rfm_columnar, rfm_from_customers, sample_orders_columnar, RfmOptionsArg,
};
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn r_orders_js() -> JsValue {
    let arr = Array::new();
    for o in common::r_orders() {
        arr.push(&obj(&[
            ("customerId", o.customer.as_str().into()),
            ("date", o.date.as_str().into()),
            ("amount", o.revenue.into()),
        ]));
    }
    arr.into()
}

fn r_options() -> RfmOptionsArg {
    opt(&[("asOf", "2006-12-31".into()), ("binning", "rfmR".into())])
}

fn opt(pairs: &[(&str, JsValue)]) -> RfmOptionsArg {
    obj(pairs).unchecked_into()
}

/// The thrown value is a real Error named CrmScoreError with code/row/field.
fn expect_error(r: Result<JsValue, JsValue>, code: &str, row: Option<f64>, field: Option<&str>) {
    let e = r.expect_err("call should have thrown");
    assert!(
        e.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("CrmScoreError")
    );
    assert_eq!(get(&e, "code").as_string().as_deref(), Some(code));
    assert_eq!(get(&e, "row").as_f64(), row);
    assert_eq!(get(&e, "field").as_string().as_deref(), field);
    let msg = get(&e, "message").as_string().unwrap();
    if let Some(r) = row {
        assert!(
            msg.contains(&format!("row {r}")),
            "message names the row: {msg}"
        );
    }
    if let Some(f) = field {
        assert!(msg.contains(f), "message names the field: {msg}");
    }
}

#[wasm_bindgen_test]
fn conforms_to_r_rfm_through_the_binding() {
    let res = rfm(r_orders_js(), Some(r_options())).unwrap();
    assert_eq!(get(&res, "asOf").as_string().as_deref(), Some("2006-12-31"));
    let customers: Array = get(&res, "customers").unchecked_into();
    assert_eq!(customers.length(), 995);
    let mut by_id = HashMap::new();
    for c in customers.iter() {
        by_id.insert(get(&c, "customerId").as_string().unwrap(), c);
    }
    for e in common::r_expected() {
        let c = &by_id[&e.customer];
        let n = |k: &str| get(c, k).as_f64().unwrap();
        assert_eq!(n("recencyDays"), e.recency_days, "{}", e.customer);
        assert_eq!(n("frequency"), e.transaction_count);
        assert_eq!(n("monetary"), e.amount);
        assert_eq!(
            (n("recencyScore"), n("frequencyScore"), n("monetaryScore")),
            (e.r as f64, e.f as f64, e.m as f64)
        );
        assert_eq!(n("rfmScore"), e.rfm_score as f64);
        assert_eq!(get(c, "segment").as_string().unwrap(), e.segment);
    }
    let segs: Array = get(&res, "segments").unchecked_into();
    for (name, customers, orders, revenue) in common::VIGNETTE {
        let s = segs
            .iter()
            .find(|s| get(s, "name").as_string().as_deref() == Some(name))
            .unwrap();
        assert_eq!(
            get(&s, "customers").as_f64(),
            Some(customers as f64),
            "{name}"
        );
        assert_eq!(get(&s, "orders").as_f64(), Some(orders));
        assert_eq!(get(&s, "revenue").as_f64(), Some(revenue));
    }
    let heat: Array = get(&res, "heatmap").unchecked_into();
    assert_eq!(heat.length(), 25);
}

#[wasm_bindgen_test]
fn errors_are_typed_and_the_module_keeps_working() {
    let bad_amount = Array::of1(&obj(&[
        ("customerId", "a".into()),
        ("date", "2024-01-01".into()),
        ("amount", f64::NAN.into()),
    ]));
    expect_error(
        rfm(bad_amount.into(), None),
        "invalid_amount",
        Some(0.0),
        Some("amount"),
    );
    let orders = Array::new();
    orders.push(&obj(&[
        ("customerId", "a".into()),
        ("date", "2024-01-01".into()),
        ("amount", 3.0.into()),
    ]));
    orders.push(&obj(&[
        ("customerId", "b".into()),
        ("date", "2025-02-30".into()),
        ("amount", 3.0.into()),
    ]));
    expect_error(
        rfm(orders.clone().into(), None),
        "invalid_date",
        Some(1.0),
        Some("date"),
    );
    orders.push(&obj(&[("customerId", "b".into()), ("date", 1.7e12.into())]));
    expect_error(
        rfm(orders.into(), None),
        "invalid_date",
        Some(1.0),
        Some("date"),
    );
    let missing = Array::of1(&obj(&[
        ("date", "2024-01-01".into()),
        ("amount", 1.0.into()),
    ]));
    expect_error(
        rfm(missing.into(), None),
        "missing_field",
        Some(0.0),
        Some("customerId"),
    );
    expect_error(rfm(Array::new().into(), None), "empty_input", None, None);
    expect_error(
        rfm(JsValue::from_str("nope"), None),
        "invalid_value",
        None,
        Some("orders"),
    );
    expect_error(
        rfm(r_orders_js(), Some(opt(&[("bins", 11.0.into())]))),
        "invalid_option",
        None,
        Some("bins.recency"),
    );
    expect_error(
        rfm(r_orders_js(), Some(opt(&[("binning", "ntile".into())]))),
        "invalid_option",
        None,
        Some("binning"),
    );
    expect_error(
        rfm(r_orders_js(), Some(opt(&[("asOf", "2006-01-01".into())]))),
        "date_after_as_of",
        Some(3.0),
        Some("date"),
    );
    // After all those rejections the module still computes the right answer.
    let res = rfm(r_orders_js(), Some(r_options())).unwrap();
    let customers: Array = get(&res, "customers").unchecked_into();
    assert_eq!(customers.length(), 995);
}

#[wasm_bindgen_test]
fn from_customers_matches_orders_and_rejects_duplicates() {
    let res = rfm(r_orders_js(), Some(r_options())).unwrap();
    let customers: Array = get(&res, "customers").unchecked_into();
    let aggs = Array::new();
    for c in customers.iter() {
        aggs.push(&obj(&[
            ("customerId", get(&c, "customerId")),
            ("recencyDays", get(&c, "recencyDays")),
            ("frequency", get(&c, "frequency")),
            ("monetary", get(&c, "monetary")),
        ]));
    }
    let again = rfm_from_customers(aggs.clone().into(), Some(r_options())).unwrap();
    let again_c: Array = get(&again, "customers").unchecked_into();
    for (a, b) in customers.iter().zip(again_c.iter()) {
        assert_eq!(get(&a, "rfmScore").as_f64(), get(&b, "rfmScore").as_f64());
        assert_eq!(
            get(&a, "segment").as_string(),
            get(&b, "segment").as_string()
        );
    }
    aggs.push(&aggs.get(0));
    expect_error(
        rfm_from_customers(aggs.into(), Some(r_options())),
        "invalid_customer_id",
        Some(995.0),
        Some("customerId"),
    );
}

#[wasm_bindgen_test]
fn columnar_path_equals_object_path() {
    let s = sample_orders_columnar(Some(
        obj(&[("customers", 2000.0.into()), ("seed", 5.0.into())]).unchecked_into(),
    ))
    .unwrap();
    let ci: Uint32Array = get(&s, "customerIndex").unchecked_into();
    let days: Int32Array = get(&s, "dates").unchecked_into();
    let amounts: Float64Array = get(&s, "amounts").unchecked_into();
    let col = rfm_columnar(&ci, days.clone().into(), &amounts, None).unwrap();
    // Same orders as objects, dates as epoch milliseconds.
    let objs = Array::new();
    let ids: Array = get(&s, "customerIds").unchecked_into();
    for i in 0..ci.length() {
        objs.push(&obj(&[
            ("customerId", ids.get(ci.get_index(i))),
            ("date", (days.get_index(i) as f64 * 86_400_000.0).into()),
            ("amount", amounts.get_index(i).into()),
        ]));
    }
    let by_obj = rfm(objs.into(), None).unwrap();
    let customers: Array = get(&by_obj, "customers").unchecked_into();
    let r: Uint8Array = get(&col, "recencyScore").unchecked_into();
    let seg: Uint8Array = get(&col, "segment").unchecked_into();
    let names: Array = get(&col, "segmentNames").unchecked_into();
    assert_eq!(customers.length(), 2000);
    for c in customers.iter() {
        let id = get(&c, "customerId").as_string().unwrap();
        let idx = id[1..].parse::<u32>().unwrap() - 1;
        assert_eq!(
            get(&c, "recencyScore").as_f64(),
            Some(r.get_index(idx) as f64)
        );
        assert_eq!(
            get(&c, "segment").as_string(),
            names.get(seg.get_index(idx) as u32).as_string()
        );
    }
    expect_error(
        rfm_columnar(&ci, JsValue::from_str("x"), &amounts, None),
        "invalid_value",
        None,
        Some("dates"),
    );
}

fn quality_rows() -> JsValue {
    let rows = Array::new();
    for (id, a, r, f, t) in [
        ("c1", 100_000.0, 1.0, 5.0, 1.0),
        ("c2", 50_000.0, 0.5, 4.0, 0.0),
        ("c3", 0.0, 0.0, f64::NAN, 0.2),
        ("c4", 75_000.0, 0.8, 4.0, 1.0),
    ] {
        let mut pairs = vec![
            ("customerId", JsValue::from(id)),
            ("annualPurchaseAmount", a.into()),
            ("renewalRate", r.into()),
            ("trainingAttendance", t.into()),
        ];
        if !f.is_nan() {
            pairs.push(("feedbackScore", f.into()));
        }
        rows.push(&obj(&pairs));
    }
    rows.into()
}

/// The scoring pass (SIMD in this build) through the binding: hand-computed scores, the
/// Scorer agreeing with score() after a weight change, typed model errors.
#[wasm_bindgen_test]
fn scoring_through_the_binding() {
    use crmscore::wasm::{score, scoring_preset, Scorer};
    let res = score(quality_rows(), "qualityCustomer".into(), None).unwrap();
    let customers: Array = get(&res, "customers").unchecked_into();
    let scores: Vec<f64> = customers
        .iter()
        .map(|c| get(&c, "score").as_f64().unwrap())
        .collect();
    assert_eq!(scores, [100.0, 51.0, 2.0, 80.0]);
    let tiers: Vec<String> = customers
        .iter()
        .map(|c| get(&c, "tier").as_string().unwrap())
        .collect();
    assert_eq!(tiers, ["A", "C", "D", "A"]);

    let mut s = Scorer::new(quality_rows(), "qualityCustomer".into(), None).unwrap();
    let w = [10.0, 10.0, 10.0, 70.0];
    s.set_weights(&Float64Array::from(&w[..])).unwrap();
    let model = scoring_preset("qualityCustomer").unwrap();
    let inds: Array = get(&model, "indicators").unchecked_into();
    for (k, ind) in inds.iter().enumerate() {
        Reflect::set(&ind, &"weight".into(), &w[k].into()).unwrap();
    }
    let again = score(quality_rows(), model.clone(), None).unwrap();
    let want: Vec<f64> = Array::from(&get(&again, "customers"))
        .iter()
        .map(|c| get(&c, "score").as_f64().unwrap())
        .collect();
    assert_eq!(s.scores().to_vec(), want);
    // c1 100; c2 5 + 5 + 8 + 0 = 18; c3 14; c4 7.5 + 8 + 8 + 70 = 93.5
    assert_eq!(want, [100.0, 18.0, 14.0, 93.5]);
    assert_eq!(s.tier_counts().to_vec(), [2, 0, 0, 2]);

    Reflect::set(&inds.get(0), &"weight".into(), &f64::NAN.into()).unwrap();
    expect_error(
        score(quality_rows(), model, None),
        "invalid_model",
        None,
        Some("indicators[0].weight"),
    );
    expect_error(
        s.set_weights(&Float64Array::from(&[1.0][..]))
            .map(|_| JsValue::UNDEFINED),
        "length_mismatch",
        None,
        Some("weights"),
    );
    assert_eq!(
        s.tier_counts().to_vec(),
        [2, 0, 0, 2],
        "a failed call changes nothing"
    );
}

/// The BTYD fits give the published CDNOW parameters in wasm too.
#[wasm_bindgen_test]
fn bg_nbd_fit_in_wasm_matches_published_values() {
    use crmscore::btyd::{fit_bg_nbd, FitOptions};
    let text = include_str!("../fixtures/reference/btyd/cdnow_sample_summary.csv");
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let v: Vec<f64> = line.trim().split(',').map(|c| c.parse().unwrap()).collect();
        x.push(v[1]);
        tx.push(v[2]);
        t.push(v[3]);
    }
    let f = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
    assert!(f.converged);
    for (ours, published) in [
        (f.params.r, 0.2426),
        (f.params.alpha, 4.4135),
        (f.params.a, 0.7929),
        (f.params.b, 2.4258),
    ] {
        assert!(
            (ours - published).abs() / published < 5e-4,
            "{ours} vs {published}"
        );
    }
    assert!(
        (f.log_likelihood + 9582.43).abs() < 0.01,
        "{}",
        f.log_likelihood
    );
}
