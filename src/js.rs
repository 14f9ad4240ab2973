//! The JavaScript side of the core that has no exports of its own: reading JS values
//! (missing, property, type, date, option keys) and the core `Error` as a real JS `Error`
//! named "CrmScoreError" with `code`, `table`, `row`, `field`, `path`. The binding (`crate::wasm`) and the
//! generator's own module (crates/sample) share it (feature `js`).

use crate::dates;
use crate::error::Error;
use crate::model_io::Node;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn is_missing(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `obj[key]`, or `undefined` when it cannot be read.
pub fn get(obj: &JsValue, key: &JsValue) -> JsValue {
    Reflect::get(obj, key).unwrap_or(JsValue::UNDEFINED)
}

/// Short description of a JS value's type for messages.
pub fn type_of(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "an array".into()
    } else if let Some(s) = v.as_string() {
        let t: String = s.chars().take(30).collect();
        format!("the string \"{t}\"")
    } else if let Some(n) = v.as_f64() {
        format!("the number {}", crate::error::describe_number(n))
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

/// A date in any accepted form → epoch day, or a short reason.
pub fn date_value(v: &JsValue) -> Result<i32, String> {
    if let Some(s) = v.as_string() {
        dates::parse_day(&s)
    } else if let Some(ms) = v.as_f64() {
        dates::ms_to_day(ms)
    } else if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        dates::ms_to_day(d.get_time())
    } else {
        Err(format!(
            "expected a date string, epoch milliseconds or a Date, got {}",
            type_of(v)
        ))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** Stable error codes thrown by crmscore (as `CrmScoreError.code`). */
export type CrmScoreErrorCode =
  | "invalid_date" | "invalid_amount" | "missing_field" | "invalid_value"
  | "invalid_customer_id" | "invalid_option" | "empty_input" | "date_after_as_of"
  | "length_mismatch" | "invalid_model" | "invalid_argument";

/** Every error crmscore throws: a real `Error` with `name === "CrmScoreError"`. */
export interface CrmScoreError extends Error {
  name: "CrmScoreError";
  code: CrmScoreErrorCode;
  /** Index of the offending element in the input array, when the error is about one row. */
  row?: number;
  /** Field name or option path, e.g. "amount", "bins.recency", "segments[2].frequency". */
  field?: string;
  /** The input the error is about: one of the data tables, the BTYD summaries, a model or the options. */
  table?: "customers" | "orders" | "interactions" | "returns" | "payments" | "summaries" | "model" | "options";
  /** Table, row and field as one path: "orders[3].amount", "options.bins.recency". */
  path?: string;
}
"#;

pub fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("CrmScoreError");
    let obj: &JsValue = err.as_ref();
    // Reflect::set on a fresh Error object cannot fail; ignore the Ok(bool).
    let _ = Reflect::set(obj, &"code".into(), &e.code_str().into());
    if let Some(r) = e.row {
        let _ = Reflect::set(obj, &"row".into(), &(r as f64).into());
    }
    if let Some(f) = &e.field {
        let _ = Reflect::set(obj, &"field".into(), &f.as_str().into());
    }
    if let Some(t) = e.table {
        let _ = Reflect::set(obj, &"table".into(), &t.as_str().into());
    }
    if let Some(p) = e.path() {
        let _ = Reflect::set(obj, &"path".into(), &p.into());
    }
    err.into()
}

/// Run a core call and convert its error.
pub fn js<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| to_js_error(&e))
}

/// A JS value read in place by the core's model readers (`ScoringModel::read`,
/// `SavedTransactionModel::read`, …): nothing is copied that they do not look at.
impl Node for JsValue {
    fn get(&self, key: &str) -> JsValue {
        get(self, &key.into())
    }
    fn keys(&self) -> Vec<String> {
        if !JsValue::is_object(self) {
            return Vec::new();
        }
        Object::keys(self.unchecked_ref::<Object>())
            .iter()
            .map(|k| k.as_string().unwrap_or_default())
            .collect()
    }
    fn items(&self) -> Option<Vec<JsValue>> {
        Array::is_array(self).then(|| Array::from(self).iter().collect())
    }
    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }
    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }
    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }
    fn is_missing(&self) -> bool {
        is_missing(self)
    }
    fn is_object(&self) -> bool {
        JsValue::is_object(self)
    }
    fn is_array(&self) -> bool {
        Array::is_array(self)
    }
    /// Typed arrays and ArrayBuffers are no options objects (and listing the keys of a
    /// million-element typed array would take minutes).
    fn is_plain_object(&self) -> bool {
        JsValue::is_object(self)
            && !Array::is_array(self)
            && !js_sys::ArrayBuffer::is_view(self)
            && !self.is_instance_of::<js_sys::ArrayBuffer>()
    }
    fn describe(&self) -> String {
        type_of(self)
    }
    fn as_date_ms(&self) -> Option<f64> {
        self.dyn_ref::<js_sys::Date>().map(|d| d.get_time())
    }
}
