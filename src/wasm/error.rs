//! Core `Error` → a real JS `Error` named "CrmScoreError" (see `crate::js`).

pub use crate::js::{js, to_js_error};
