//! Shared by the native test files: the third-party R `rfm` 0.3.0 oracle, read from
//! tests/fixtures/reference (copied unmodified, never edited; compiled in).
#![allow(dead_code)]

pub const R_ORDERS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reference/rfm-r/rfm_data_orders.csv"
));
pub const R_EXPECTED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reference/rfm-r/rfm_orders_expected_scores_R_rfm_0.3.0.csv"
));

pub struct ROrder {
    pub customer: String,
    pub date: String,
    pub revenue: f64,
}

pub struct RExpected {
    pub customer: String,
    pub recency_days: f64,
    pub transaction_count: f64,
    pub amount: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub rfm_score: u32,
    pub segment: String,
}

pub fn r_orders() -> Vec<ROrder> {
    R_ORDERS
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            ROrder {
                customer: c[0].to_string(),
                date: c[1].to_string(),
                revenue: c[2].parse().unwrap(),
            }
        })
        .collect()
}

pub fn r_expected() -> Vec<RExpected> {
    R_EXPECTED
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            RExpected {
                customer: c[0].to_string(),
                recency_days: c[1].parse().unwrap(),
                transaction_count: c[2].parse().unwrap(),
                amount: c[3].parse().unwrap(),
                r: c[4].parse().unwrap(),
                f: c[5].parse().unwrap(),
                m: c[6].parse().unwrap(),
                rfm_score: c[7].parse().unwrap(),
                segment: c[8].to_string(),
            }
        })
        .collect()
}

/// The vignette's published segment table: (segment, customers, orders, revenue).
pub const VIGNETTE: [(&str, u64, f64, f64); 10] = [
    ("About To Sleep", 102, 283.0, 23449.0),
    ("At Risk", 28, 216.0, 22227.0),
    ("Can't Lose Them", 47, 274.0, 32446.0),
    ("Champions", 35, 316.0, 31646.0),
    ("Lost", 148, 393.0, 35324.0),
    ("Loyal Customers", 170, 799.0, 76562.0),
    ("Need Attention", 10, 57.0, 4562.0),
    ("New Customers", 104, 329.0, 28837.0),
    ("Potential Loyalist", 342, 2211.0, 204856.0),
    ("Promising", 9, 28.0, 4249.0),
];
