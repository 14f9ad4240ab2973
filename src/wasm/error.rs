//! Core `Error` → a real JS `Error` named "CrmScoreError" with `code`, `row`, `field`.

use crate::error::Error;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

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
    err.into()
}

/// Run a core call and convert its error.
pub fn js<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| to_js_error(&e))
}
