//! Calendar arithmetic on epoch days (days since 1970-01-01, UTC) and strict
//! parsing of the date forms crmscore accepts.
//!
//! Accepted: `YYYY-MM-DD`; an ISO-8601 date-time `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]`
//! (a space may replace the `T`; without an offset the time is taken as UTC);
//! epoch milliseconds (what `Date.getTime()` returns). A date-time is converted to a
//! UTC instant and then to its UTC calendar day. Years 1000..=9999 only: anything
//! else in a CRM export is a typo, and rejecting it keeps arithmetic far from overflow.

pub const MS_PER_DAY: f64 = 86_400_000.0;
const MIN_YEAR: i64 = 1000;
const MAX_YEAR: i64 = 9999;

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of an epoch day.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` of an epoch day.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(day as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

fn digits(b: &[u8], from: usize, n: usize) -> Option<i64> {
    let s = b.get(from..from + n)?;
    let mut v: i64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(v)
}

/// Parse a date or date-time string to its UTC epoch day. The error is a short
/// reason, to be wrapped with row and field by the caller.
pub fn parse_day(s: &str) -> Result<i32, String> {
    let t = s.trim();
    let b = t.as_bytes();
    let bad = || {
        format!(
            "\"{}\" is not a date (expected YYYY-MM-DD or an ISO-8601 date-time)",
            truncate(s)
        )
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let y = digits(b, 0, 4).ok_or_else(bad)?;
    let m = digits(b, 5, 2).ok_or_else(bad)? as u32;
    let d = digits(b, 8, 2).ok_or_else(bad)? as u32;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(format!(
            "year {y} is out of the supported range {MIN_YEAR}..{MAX_YEAR}"
        ));
    }
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(format!("\"{}\" is not a calendar date", truncate(s)));
    }
    let day = days_from_civil(y, m, d);
    if b.len() == 10 {
        return Ok(day as i32);
    }
    // Date-time part.
    if b[10] != b'T' && b[10] != b't' && b[10] != b' ' {
        return Err(bad());
    }
    let hh = digits(b, 11, 2).ok_or_else(bad)?;
    if b.get(13) != Some(&b':') {
        return Err(bad());
    }
    let mi = digits(b, 14, 2).ok_or_else(bad)?;
    let mut i = 16;
    let mut ss = 0;
    if b.get(i) == Some(&b':') {
        ss = digits(b, i + 1, 2).ok_or_else(bad)?;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
        }
    }
    if hh > 24 || mi > 59 || ss > 60 || (hh == 24 && (mi > 0 || ss > 0)) {
        return Err(format!("\"{}\" has an impossible time of day", truncate(s)));
    }
    let mut offset_min: i64 = 0;
    match b.get(i) {
        None => {}
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => {}
        Some(&sign) if sign == b'+' || sign == b'-' => {
            let oh = digits(b, i + 1, 2).ok_or_else(bad)?;
            let om = if b.get(i + 3) == Some(&b':') {
                if i + 6 != b.len() {
                    return Err(bad());
                }
                digits(b, i + 4, 2).ok_or_else(bad)?
            } else if i + 3 == b.len() {
                0
            } else {
                if i + 5 != b.len() {
                    return Err(bad());
                }
                digits(b, i + 3, 2).ok_or_else(bad)?
            };
            if oh > 23 || om > 59 {
                return Err(format!("\"{}\" has an impossible UTC offset", truncate(s)));
            }
            offset_min = (oh * 60 + om) * if sign == b'-' { -1 } else { 1 };
        }
        _ => return Err(bad()),
    }
    let minutes = day * 1440 + hh * 60 + mi - offset_min;
    let utc_day = minutes.div_euclid(1440);
    // A time of day (24:00) or an offset can move the UTC day across the edge of the
    // supported years: 9999-12-31T24:00 is 10000-01-01.
    let (lo, hi) = day_bounds();
    if utc_day < lo as i64 || utc_day > hi as i64 {
        return Err(format!(
            "\"{}\" falls outside years {MIN_YEAR}..{MAX_YEAR} once converted to UTC",
            truncate(s)
        ));
    }
    Ok(utc_day as i32)
}

/// Epoch milliseconds to the UTC epoch day.
pub fn ms_to_day(ms: f64) -> Result<i32, String> {
    if !ms.is_finite() {
        return Err(format!(
            "{} is not a valid timestamp",
            crate::error::describe_number(ms)
        ));
    }
    let day = (ms / MS_PER_DAY).floor();
    let lo = days_from_civil(MIN_YEAR, 1, 1) as f64;
    let hi = days_from_civil(MAX_YEAR, 12, 31) as f64;
    if day < lo || day > hi {
        return Err(format!(
            "timestamp {ms} ms is outside years {MIN_YEAR}..{MAX_YEAR} (dates as numbers are epoch milliseconds)"
        ));
    }
    Ok(day as i32)
}

/// The supported range of epoch days: 1000-01-01 ..= 9999-12-31.
pub fn day_bounds() -> (i32, i32) {
    (
        days_from_civil(MIN_YEAR, 1, 1) as i32,
        days_from_civil(MAX_YEAR, 12, 31) as i32,
    )
}

/// Validate an epoch day given directly (columnar input).
pub fn check_day(day: i32) -> Result<i32, String> {
    let lo = days_from_civil(MIN_YEAR, 1, 1);
    let hi = days_from_civil(MAX_YEAR, 12, 31);
    if (day as i64) < lo || (day as i64) > hi {
        return Err(format!(
            "epoch day {day} is outside years {MIN_YEAR}..{MAX_YEAR}"
        ));
    }
    Ok(day)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let t: String = s.chars().take(40).collect();
        format!("{t}…")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip() {
        for z in [-1_000_000i64, -719_468, -1, 0, 1, 10_957, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(format_day(13_513), "2006-12-31");
    }

    #[test]
    fn parses_dates_and_datetimes() {
        assert_eq!(parse_day("2006-12-31"), Ok(13_513));
        assert_eq!(parse_day("2006-12-31T23:59:59Z"), Ok(13_513));
        assert_eq!(parse_day("2006-12-31T23:30:00-01:00"), Ok(13_514));
        assert_eq!(parse_day("2007-01-01T00:30:00+01:00"), Ok(13_513));
        assert_eq!(parse_day("2007-01-01T00:30+0100"), Ok(13_513));
        assert_eq!(parse_day("2006-12-31 08:00"), Ok(13_513));
        assert_eq!(parse_day("2006-12-31T08:00:00.123456Z"), Ok(13_513));
        assert_eq!(parse_day("2024-02-29"), Ok(19_782));
    }

    #[test]
    fn rejects_bad_dates() {
        for s in [
            "",
            "2025-02-30",
            "2023-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "20250101",
            "2025/01/01",
            "0999-01-01",
            "2025-01-01T25:00",
            "2025-01-01T10:61",
            "2025-01-01X",
            "2025-01-01T10:00+25:00",
            "2025-01-01T10:00Zjunk",
            "yesterday",
            "1900-02-29",
        ] {
            assert!(parse_day(s).is_err(), "{s} should be rejected");
        }
        assert!(parse_day("2000-02-29").is_ok());
    }

    #[test]
    fn milliseconds() {
        assert_eq!(ms_to_day(0.0), Ok(0));
        assert_eq!(ms_to_day(-1.0), Ok(-1));
        assert_eq!(ms_to_day(1_167_609_599_999.0), Ok(13_513));
        assert!(ms_to_day(f64::NAN).is_err());
        assert!(ms_to_day(f64::INFINITY).is_err());
        assert!(ms_to_day(1e18).is_err());
    }
}
