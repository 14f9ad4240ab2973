//! crmscore — customer scoring for browser CRMs.
//!
//! The core is pure Rust: it takes slices and plain structs and returns
//! `Result<_, Error>`. The only code that knows JavaScript lives in `src/wasm/`.
//!
//! Table of contents:
//! - [`error`]    — the one error type, with stable codes, table, row and field.
//! - [`options`]  — the one reader of functions' options objects (paths in every error).
//! - [`progress`] — the fraction of a long call done, for a host that shows it.
//! - [`model_io`] — the JSON-like value models are saved as and read from (errors name the JSON path).
//! - [`dates`]    — calendar arithmetic and date parsing (epoch days, UTC).
//! - [`quantile`] — order statistics by bucketing + selection, R type-7 quantiles.
//! - [`rfm`]      — recency / frequency / monetary aggregation, binning, segments.
//! - [`sample`]   — a deterministic generator of realistic order data.
//! - [`activity`] — derived per-customer fields from orders, interactions, returns, payments.
//! - [`columns`]  — owned columns: packed strings, an activity buffer the core borrows.
//! - [`scoring`]  — weighted scoring models → scores, tiers, explanations, upgrade paths.
//! - [`tiers`]    — transitions between two tier snapshots; economics per tier.
//! - [`classify`] — lifecycle, lead stage, value, loyalty, junk flags with evidence, churn warning.
//! - [`crosstab`] — classes × an attribute (region, channel, …): customers and revenue per cell.
//! - [`btyd`]     — customer lifetime value: BTYD summaries, BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, CLV.
//!
//! The CRM data generator with planted truth (`generateCrm`) is its own crate,
//! `crates/sample` (`crmscore-sample`), with its own .wasm: it does not ship in this one.

pub mod activity;
pub mod btyd;
pub mod classify;
mod classify_options;
pub mod columns;
pub mod crosstab;
pub mod dates;
pub mod error;
pub mod model_io;
pub mod options;
mod partition;
pub mod progress;
pub mod quantile;
pub mod rfm;
mod rfm_options;
pub mod sample;
pub mod scoring;
pub mod sort;
pub mod tiers;

#[cfg(all(target_arch = "wasm32", feature = "js"))]
pub mod js;
#[cfg(all(target_arch = "wasm32", feature = "bindings"))]
pub mod wasm;

pub use error::{Error, ErrorCode};
