//! The binding's own boundary, run twice by wasm-bindgen-test: in Node (tests/wasm_node.rs)
//! and in headless Chromium (tests/wasm_browser.rs). It calls the raw exports — without the
//! npm package's JavaScript argument guard (src/wasm/guard.js), which rejects wrong JS types
//! before they reach the module — with real JS values and checks what JS would see.
//!
//! Everything the package's users see (conformance, every error code, columnar = objects,
//! scoring, the BTYD fits) is tested once natively (tests/*.rs) and once through the built
//! package (tests/js, tests/browser); this suite holds only what those layers cannot reach.

use crmscore::wasm::{rfm, rfm_columnar};
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array};
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
    if let Some(f) = field {
        let msg = get(&e, "message").as_string().unwrap();
        assert!(msg.contains(f), "message names the field: {msg}");
    }
}

/// A value of the wrong JS type that gets past the guard (or a caller of the raw module) is
/// rejected by the module itself as a typed CrmScoreError (`invalid_value`; through the
/// package the guard answers `invalid_argument` first), and the module keeps working.
#[wasm_bindgen_test]
fn wrong_js_types_are_rejected_by_the_module_itself() {
    expect_error(
        rfm(JsValue::from_str("nope"), None),
        "invalid_value",
        None,
        Some("orders"),
    );
    let ci = Uint32Array::from(&[0u32, 1, 1][..]);
    let amounts = Float64Array::from(&[1.0, 2.0, 3.0][..]);
    expect_error(
        rfm_columnar(&ci, JsValue::from_str("x"), &amounts, None),
        "invalid_value",
        None,
        Some("dates"),
    );
    // After the rejections both paths still compute.
    let days = Int32Array::from(&[19000, 19001, 19002][..]);
    let col = rfm_columnar(&ci, days.into(), &amounts, None).unwrap();
    assert_eq!(get(&col, "customerCount").as_f64(), Some(2.0));
    let orders = Array::of1(&obj(&[
        ("customerId", "a".into()),
        ("date", "2024-01-01".into()),
        ("amount", 3.0.into()),
    ]));
    let res = rfm(orders.into(), None).unwrap();
    let customers: Array = get(&res, "customers").unchecked_into();
    assert_eq!(customers.length(), 1);
}
