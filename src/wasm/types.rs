//! Boundary types: the shapes JavaScript sees. tsify turns them into the .d.ts;
//! serde moves them across. Input options are read field by field (see `convert`)
//! so that an error can name the exact option path.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A customer id as the page has it: a string or a number. Kept as given in results.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum CustomerId {
    Str(String),
    Num(f64),
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
