//! Date parser: `parse_day`, `ms_to_day`, `check_day`, `format_day`.
//!
//! Properties beyond "no panic":
//! - an accepted string yields a day inside `day_bounds()`;
//! - parse → format → parse round trip: `format_day(d)` is `YYYY-MM-DD` and parses to `d`;
//! - a string that is exactly `YYYY-MM-DD` (after trimming) and accepted formats back to itself;
//! - appending `T00:00Z` / `T00:00:00+00:00` to an accepted plain date gives the same day;
//! - `ms_to_day` accepts exactly the finite values whose day is within bounds, and
//!   `ms_to_day(d * MS_PER_DAY) == d` for every day in bounds;
//! - `check_day` accepts exactly the days in bounds.
#![no_main]

use crmscore::dates::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (lo, hi) = day_bounds();
    if data.len() >= 8 {
        // Numeric paths from the first 8 bytes.
        let bits = u64::from_le_bytes(data[..8].try_into().unwrap());
        let ms = f64::from_bits(bits);
        match ms_to_day(ms) {
            Ok(d) => {
                assert!(ms.is_finite());
                assert!((lo..=hi).contains(&d), "ms {ms} -> {d} out of bounds");
                assert_eq!(d as f64, (ms / MS_PER_DAY).floor());
            }
            Err(_) => {
                let day = (ms / MS_PER_DAY).floor();
                assert!(
                    !ms.is_finite() || day < lo as f64 || day > hi as f64,
                    "ms {ms} rejected although its day {day} is in bounds"
                );
            }
        }
        let d = bits as u32 as i32;
        match check_day(d) {
            Ok(x) => {
                assert_eq!(x, d);
                assert!((lo..=hi).contains(&d));
                assert_eq!(ms_to_day(d as f64 * MS_PER_DAY), Ok(d));
                let s = format_day(d);
                assert_eq!(parse_day(&s), Ok(d), "{s}");
            }
            Err(_) => assert!(!(lo..=hi).contains(&d)),
        }
    }
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match parse_day(s) {
        Ok(d) => {
            assert!((lo..=hi).contains(&d), "{s:?} -> {d} out of bounds");
            let f = format_day(d);
            assert_eq!(f.len(), 10, "{f}");
            assert_eq!(parse_day(&f), Ok(d), "round trip of {s:?} via {f}");
            let t = s.trim();
            if t.len() == 10 {
                assert_eq!(f, t, "plain date {s:?} formats differently");
                for suffix in ["T00:00Z", "T00:00:00+00:00", " 12:00", "T23:59:59.999-0000"] {
                    let long = format!("{t}{suffix}");
                    assert_eq!(parse_day(&long), Ok(d), "{long:?}");
                }
            }
        }
        Err(e) => {
            assert!(!e.is_empty());
        }
    }
});
