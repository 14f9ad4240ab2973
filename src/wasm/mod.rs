//! The JavaScript binding: the only code in the crate that knows wasm-bindgen.
//! Thin by design: decode JS values → call the core → encode results.

mod activity;
mod btyd;
mod classify;
mod convert;
mod error;
mod rfm;
mod sample;
mod scoring;
mod types;

pub use activity::{derive_fields, DeriveOptionsArg};
pub use btyd::{
    clv, fit_bg_nbd, fit_gamma_gamma, fit_modified_bg_nbd, fit_pareto_nbd, summarize,
    summarize_columnar, GammaGammaModel, TransactionModel,
};
pub use classify::{
    classify, classify_columnar, cross_tab, ClassifyOptionsArg, CrossTabOptionsArg,
};
pub use error::to_js_error;
pub use rfm::{rfm, rfm_columnar, rfm_from_customers};
pub use sample::{sample_orders, sample_orders_columnar};
pub use scoring::{compare_tiers, score, scoring_preset, tier_economics, validate_model, Scorer};

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `RfmOptions` as an optional trailing argument (`options?: RfmOptions`).
    #[wasm_bindgen(typescript_type = "RfmOptions")]
    pub type RfmOptionsArg;
    /// `SampleOptions` as an optional argument.
    #[wasm_bindgen(typescript_type = "SampleOptions")]
    pub type SampleOptionsArg;
}

/// An optional argument as a plain JsValue (`undefined` when absent).
pub(crate) fn optional<T: Into<JsValue>>(v: Option<T>) -> JsValue {
    v.map(Into::into).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(module = "/src/wasm/progress_glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = reportProgress)]
    fn report_progress(fraction: f64);
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    crate::progress::set_sink(Some(Box::new(report_progress)));
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Bytes of linear memory the module holds (it grows, never shrinks): for watching
/// memory across calls.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
