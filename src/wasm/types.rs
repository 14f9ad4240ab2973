//! Boundary types: the shapes JavaScript sees. tsify turns them into the .d.ts;
//! serde moves them across. Input options are read field by field (see `convert`)
//! so that an error can name the exact option path.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A customer id as the page has it: a string or a number. Kept as given in results.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum CustomerId {
    Str(String),
    Num(f64),
}

/// `"YYYY-MM-DD"`, an ISO-8601 date-time (converted to its UTC day), or epoch
/// milliseconds (`Date.getTime()`). A `Date` object is accepted too.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug)]
#[serde(untagged)]
pub enum DateInput {
    Str(String),
    Num(f64),
}

/// One order. Extra fields are ignored.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub customer_id: CustomerId,
    #[tsify(type = "string | number | Date")]
    pub date: DateInput,
    pub amount: f64,
}

/// Per-customer aggregates for `rfmFromCustomers`: give `recencyDays` or `lastOrderDate`.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerAggregate {
    pub customer_id: CustomerId,
    #[tsify(optional)]
    pub recency_days: Option<f64>,
    #[tsify(optional, type = "string | number | Date")]
    pub last_order_date: Option<DateInput>,
    pub frequency: f64,
    pub monetary: f64,
}

#[derive(Tsify, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Bins {
    All(f64),
    Each(BinsEach),
}

#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BinsEach {
    #[tsify(optional)]
    pub recency: Option<f64>,
    #[tsify(optional)]
    pub frequency: Option<f64>,
    #[tsify(optional)]
    pub monetary: Option<f64>,
}

#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
pub enum Binning {
    #[serde(rename = "quantile")]
    Quantile,
    #[serde(rename = "equalCount")]
    EqualCount,
    #[serde(rename = "rfmR")]
    RfmR,
}

#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Cuts {
    #[tsify(optional)]
    pub recency: Option<Vec<f64>>,
    #[tsify(optional)]
    pub frequency: Option<Vec<f64>>,
    #[tsify(optional)]
    pub monetary: Option<Vec<f64>>,
}

/// Ordered rule: inclusive score ranges; the first matching rule names the segment.
#[derive(Tsify, Serialize, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    pub name: String,
    pub recency: [f64; 2],
    pub frequency: [f64; 2],
    pub monetary: [f64; 2],
}

#[derive(Tsify, Serialize, Deserialize)]
pub enum SegmentPreset {
    #[serde(rename = "rfmR")]
    RfmR,
    #[serde(rename = "rfGrid")]
    RfGrid,
}

#[derive(Tsify, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Segments {
    Preset(SegmentPreset),
    Rules(Vec<SegmentRule>),
}

/// Options of `rfm`, `rfmFromCustomers` and `rfmColumnar`.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RfmOptions {
    /// Analysis date. Default: the day after the latest order.
    #[tsify(optional, type = "string | number | Date")]
    pub as_of: Option<DateInput>,
    /// Bins per metric, 2..10 (default 5).
    #[tsify(optional)]
    pub bins: Option<Bins>,
    /// Default "quantile".
    #[tsify(optional)]
    pub binning: Option<Binning>,
    /// Explicit interior cut points; override `binning` for that metric.
    #[tsify(optional)]
    pub cuts: Option<Cuts>,
    /// Default: "rfmR" when every metric has 5 bins; with other bins, no rules (every
    /// customer in the fallback segment) and `segmentNote` in the result says so.
    #[tsify(optional)]
    pub segments: Option<Segments>,
    /// Default "Others".
    #[tsify(optional)]
    pub fallback_segment: Option<String>,
    /// `rfmColumnar` only: number of customers (default: largest index + 1).
    #[tsify(optional)]
    pub customer_count: Option<f64>,
}

#[derive(Tsify, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmCustomer {
    pub customer_id: CustomerId,
    pub recency_days: f64,
    pub frequency: f64,
    pub monetary: f64,
    pub recency_score: u8,
    pub frequency_score: u8,
    pub monetary_score: u8,
    /// 100·R + 10·F + M
    pub rfm_score: u32,
    pub segment: String,
}

#[derive(Tsify, Serialize)]
pub struct Thresholds {
    pub recency: Vec<f64>,
    pub frequency: Vec<f64>,
    pub monetary: Vec<f64>,
}

#[derive(Tsify, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    pub name: String,
    pub customers: u32,
    pub orders: f64,
    pub revenue: f64,
    /// revenue / orders; null when the segment has no orders.
    #[tsify(type = "number | null")]
    pub average_order_value: Option<f64>,
}

#[derive(Tsify, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatCell {
    pub frequency_score: u8,
    pub recency_score: u8,
    pub customers: u32,
    /// null for an empty cell.
    #[tsify(type = "number | null")]
    pub mean_monetary: Option<f64>,
}

#[derive(Tsify, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmResult {
    /// YYYY-MM-DD
    pub as_of: String,
    /// One per customer, in order of first appearance.
    pub customers: Vec<RfmCustomer>,
    pub thresholds: Thresholds,
    pub segments: Vec<SegmentSummary>,
    pub heatmap: Vec<HeatCell>,
    /// Set when no segment rules applied because the default table (rfmR) needs 5 bins per
    /// metric and the call used other bins: says so, and what to pass instead.
    #[tsify(optional)]
    pub segment_note: Option<String>,
}

/// Options of `sampleOrders` / `sampleOrdersColumnar`.
#[derive(Tsify, Serialize, Deserialize, Default)]
pub struct SampleOptions {
    /// Number of customers (default 1000, at most 10,000,000).
    #[tsify(optional)]
    pub customers: Option<f64>,
    /// PRNG seed (default 42).
    #[tsify(optional)]
    pub seed: Option<f64>,
}
