//! A deterministic generator of realistic order data, for the demo page, the
//! documentation and the benchmarks. Each customer follows a buy-till-you-die
//! process: a first purchase somewhere in the window, then purchases at a personal
//! Poisson rate (gamma-distributed across customers), dropping out after each
//! purchase with a personal probability (beta-distributed); spend per order scatters
//! around a personal mean (log-normal across customers). Same seed → same data.

use crate::dates;

/// SplitMix64: tiny, fast, statistically fine for synthetic data.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in (0, 1].
    fn open(&mut self) -> f64 {
        1.0 - self.uniform()
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.open(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -self.open().ln() / rate
    }
    /// Gamma(shape, scale) by Marsaglia–Tsang.
    pub fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
        if shape < 1.0 {
            let u = self.open();
            return self.gamma(shape + 1.0, scale) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.open();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v * scale;
            }
        }
    }
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        let y = self.gamma(b, 1.0);
        x / (x + y)
    }
}

/// Generated orders, column-wise, plus the customer ids (`C0000001`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct SampleOrders {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    pub customer_ids: Vec<String>,
    /// The last day of the observation window (orders are on or before it).
    pub end_day: i32,
}

/// Generate orders for `customers` customers over the three years ending `end_day`.
pub fn sample_orders(customers: usize, seed: u64, end_day: i32) -> SampleOrders {
    let mut rng = Rng::new(seed);
    let window = 3 * 365;
    let start = end_day - window + 1;
    let mut out = SampleOrders {
        customer: Vec::with_capacity(customers * 5),
        day: Vec::with_capacity(customers * 5),
        amount: Vec::with_capacity(customers * 5),
        customer_ids: Vec::with_capacity(customers),
        end_day,
    };
    for c in 0..customers {
        out.customer_ids.push(format!("C{:07}", c + 1));
        let rate = rng.gamma(0.9, 1.0 / 30.0); // purchases per day; mean ≈ one a month
        let drop = rng.beta(1.0, 6.0); // dropout probability after each purchase
        let mean_spend = (3.9 + 0.7 * rng.normal()).exp(); // ≈ 50 on average
        let mut t = start as f64 + rng.uniform() * window as f64;
        for k in 0..400 {
            if t.floor() > end_day as f64 {
                break;
            }
            out.customer.push(c as u32);
            out.day.push(t.floor() as i32);
            let amt = mean_spend * rng.gamma(4.0, 0.25);
            out.amount.push((amt * 100.0).round() / 100.0);
            if k > 0 && rng.uniform() < drop {
                break;
            }
            t += rng.exponential(rate.max(1e-4));
        }
    }
    out
}

/// The default end of the sample window: 2026-06-30.
pub fn default_end_day() -> i32 {
    dates::days_from_civil(2026, 6, 30) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_plausible() {
        let a = sample_orders(2000, 42, default_end_day());
        let b = sample_orders(2000, 42, default_end_day());
        assert_eq!(a, b);
        let c = sample_orders(2000, 43, default_end_day());
        assert_ne!(a.amount, c.amount);
        let n = a.customer.len() as f64 / 2000.0;
        assert!(n > 2.0 && n < 30.0, "orders per customer {n}");
        assert!(a
            .day
            .iter()
            .all(|&d| d <= a.end_day && d > a.end_day - 3 * 365));
        assert!(a.amount.iter().all(|&x| x.is_finite() && x >= 0.0));
        let distinct: std::collections::HashSet<u32> = a.customer.iter().copied().collect();
        assert_eq!(distinct.len(), 2000);
    }
}
