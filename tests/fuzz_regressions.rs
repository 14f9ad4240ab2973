//! Regression tests for inputs found by the fuzz targets in `fuzz/` (issue 14 part 3).
//! Each test names the target that found it; the input is minimized.
#![cfg(not(target_arch = "wasm32"))]

use crmscore::dates::{day_bounds, format_day, parse_day};

/// fuzz target `dates`: a date-time at the edge of the supported years whose time of day
/// or UTC offset moves it past the edge was accepted and returned an epoch day outside
/// `day_bounds()` (formatting as "10000-01-01" / "0999-12-31").
#[test]
fn dates_datetime_crossing_supported_years_is_rejected() {
    let (lo, hi) = day_bounds();
    for s in [
        "9999-12-31T24:00",
        "9999-12-31T23:00-05:00",
        "9999-12-31T23:59:59-0001",
        "1000-01-01T00:00+01:00",
        "1000-01-01T00:00:00.5+0001",
    ] {
        match parse_day(s) {
            Ok(d) => panic!(
                "{s} accepted as day {d} ({}), outside {lo}..={hi}",
                format_day(d)
            ),
            Err(e) => assert!(e.contains("1000..9999"), "{s}: {e}"),
        }
    }
    // The edges themselves stay valid.
    assert_eq!(parse_day("9999-12-31T23:59:59Z"), Ok(hi));
    assert_eq!(parse_day("9999-12-31T23:00+05:00"), Ok(hi));
    assert_eq!(parse_day("1000-01-01T00:00Z"), Ok(lo));
    assert_eq!(parse_day("1000-01-01T00:30-00:30"), Ok(lo));
    assert_eq!(parse_day("1000-01-01T00:30-00:31"), Ok(lo));
}
