//! Helpers shared by the targets: value generators that mix realistic values with edge cases.
#![allow(dead_code)]

use arbitrary::{Arbitrary, Result, Unstructured};
use crmscore::dates::day_bounds;

/// An epoch day: mostly near a few anchors (the edges of the supported years, 1970, 2023,
/// the edges of `i32`), sometimes any `i32`.
#[derive(Debug, Clone, Copy)]
pub struct Day(pub i32);

impl<'a> Arbitrary<'a> for Day {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let (lo, hi) = day_bounds();
        let sel: u8 = u.arbitrary()?;
        let off: i16 = u.arbitrary()?;
        let base = match sel % 9 {
            0 => lo,
            1 => hi,
            2 => 0,
            3 => i32::MIN,
            4 => return Ok(Day(u.arbitrary()?)),
            5 => i32::MAX,
            _ => 19_700, // 2023-12-09
        };
        Ok(Day(base.saturating_add(off as i32 % 400)))
    }
}

/// An amount: mostly cents-valued money, sometimes an edge value.
#[derive(Debug, Clone, Copy)]
pub struct Amount(pub f64);

impl<'a> Arbitrary<'a> for Amount {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let sel: u8 = u.arbitrary()?;
        Ok(Amount(match sel % 16 {
            0 => f64::NAN,
            1 => -1.0,
            2 => f64::INFINITY,
            3 => -0.0,
            4 => 0.0,
            5 => 1e300,
            6 => f64::MIN_POSITIVE,
            7 => f64::NEG_INFINITY,
            _ => u.arbitrary::<u32>()? as f64 / 100.0,
        }))
    }
}

pub fn is_valid_amount(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

/// Relative closeness for sums taken in different orders.
pub fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
