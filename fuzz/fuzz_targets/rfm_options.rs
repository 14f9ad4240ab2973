//! RFM options: `rfm::RfmPlan::new` on arbitrary `RfmOptions` (bins, binning, explicit
//! cuts, segment presets and custom rules, fallback name, asOf), then `rfm_columns` on
//! small arbitrary orders, and the growable `OrderAggregator` fed in two chunks.
//!
//! Properties beyond "no panic":
//! - an option error has code `invalid_option` and names an existing path
//!   (`bins.<metric>`, `cuts.<metric>[i]` with i < len, `segments[i].…` with i < rules);
//! - a data error names a row < the number of orders;
//! - accepted: scores within 1..=bins (0 for customers without orders), explicit cuts
//!   give exactly `1 + #(cut < x)` (recency reversed), each customer's segment is the
//!   first matching rule (else the fallback), segment and heat-map totals add up to the
//!   scored customers, recency ≥ 0, and the growable aggregator gives the same metrics.
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use common::{close, Amount, Day};
use crmscore::rfm::*;
use crmscore::ErrorCode;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct ARule {
    name: u8,
    ranges: [(i8, i8); 3],
    half: bool,
}

#[derive(Arbitrary, Debug)]
enum ASegments {
    Default,
    RfmR,
    RfGrid,
    Rules(Vec<ARule>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    as_of: Option<Day>,
    bins: [Option<i8>; 3],
    odd_bins: u8,
    binning: u8,
    cuts: [Option<Vec<i16>>; 3],
    segments: ASegments,
    fallback: u8,
    orders: Vec<(u8, Day, Amount)>,
    customer_count: Option<u8>,
    split: u8,
    /// Customer-level input (`metrics_from_aggregates`): recency days, last order day,
    /// frequency, monetary.
    aggregates: Vec<(Option<i16>, Option<Day>, Amount, Amount)>,
    today: Day,
}

fn options(inp: &Input) -> RfmOptions {
    let mut bins = inp.bins.map(|b| b.map(|b| b as f64));
    match inp.odd_bins % 8 {
        1 => bins[0] = Some(f64::NAN),
        2 => bins[1] = Some(5.5),
        3 => bins[2] = Some(f64::INFINITY),
        _ => {}
    }
    let cut = |c: &Option<Vec<i16>>| {
        c.as_ref()
            .map(|v| v.iter().map(|&x| x as f64 / 2.0).collect())
    };
    RfmOptions {
        as_of: inp.as_of.map(|d| d.0),
        bins,
        binning: [Binning::Quantile, Binning::EqualCount, Binning::RfmR][inp.binning as usize % 3],
        cuts: [cut(&inp.cuts[0]), cut(&inp.cuts[1]), cut(&inp.cuts[2])],
        segments: match &inp.segments {
            ASegments::Default => Segments::Default,
            ASegments::RfmR => Segments::RfmR,
            ASegments::RfGrid => Segments::RfGrid,
            ASegments::Rules(r) => Segments::Rules(
                r.iter()
                    .map(|r| {
                        let g = |k: usize| {
                            let (a, b) = r.ranges[k];
                            let h = if r.half && k == 2 { 0.5 } else { 0.0 };
                            [a as f64 + h, b as f64]
                        };
                        SegmentRule {
                            name: if r.name % 16 == 15 {
                                String::new()
                            } else {
                                format!("s{}", r.name % 16)
                            },
                            recency: g(0),
                            frequency: g(1),
                            monetary: g(2),
                        }
                    })
                    .collect(),
            ),
        },
        fallback_segment: match inp.fallback % 4 {
            0 => String::new(),
            1 => "s1".into(),
            _ => "Others".into(),
        },
    }
}

fn check_option_error(path: &str, o: &RfmOptions) {
    let metric = |m: &str| METRIC_NAMES.iter().position(|x| *x == m);
    if let Some(m) = path.strip_prefix("bins.") {
        assert!(metric(m).is_some(), "{path}");
    } else if let Some(rest) = path.strip_prefix("cuts.") {
        let (m, idx) = match rest.find('[') {
            Some(p) => (
                &rest[..p],
                Some(rest[p + 1..rest.len() - 1].parse::<usize>().unwrap()),
            ),
            None => (rest, None),
        };
        let k = metric(m).unwrap_or_else(|| panic!("{path}"));
        let c = o.cuts[k].as_ref().expect("error about absent cuts");
        if let Some(i) = idx {
            assert!(i < c.len(), "{path}");
        }
    } else if let Some(rest) = path.strip_prefix("segments[") {
        let i: usize = rest[..rest.find(']').unwrap()].parse().unwrap();
        match &o.segments {
            Segments::Rules(r) => assert!(i < r.len(), "{path}"),
            _ => panic!("{path} with a preset"),
        }
    } else {
        assert!(["segments", "fallbackSegment"].contains(&path), "{path}");
    }
}

/// `metrics_from_aggregates` + `score`: errors name a row in range; accepted metrics are
/// finite with recency ≥ 0, and scoring them gives scores within the bins.
fn customer_level(inp: &Input, o: &RfmOptions, plan: &RfmPlan) {
    let rows: Vec<CustomerAggregate> = inp
        .aggregates
        .iter()
        .map(|(r, d, f, m)| CustomerAggregate {
            recency_days: r.map(|r| r as f64 / 2.0),
            last_order_day: d.map(|d| d.0),
            frequency: f.0.floor(),
            monetary: m.0,
        })
        .collect();
    let m = match metrics_from_aggregates(&rows, o.as_of, inp.today.0) {
        Ok(m) => m,
        Err(e) => {
            if let Some(r) = e.row {
                assert!(r < rows.len(), "{e}");
            }
            return;
        }
    };
    assert_eq!(m.frequency.len(), rows.len());
    for i in 0..rows.len() {
        assert!(m.recency_days[i].is_finite() && m.recency_days[i] >= 0.0);
        assert!(m.frequency[i].is_finite() && m.monetary[i].is_finite());
    }
    if let Ok(r) = score(m, plan, None) {
        for k in 0..3 {
            assert!(r.scores[k].iter().all(|&s| s >= 1 && s <= r.bins[k]));
        }
        assert!(r
            .segment
            .iter()
            .all(|&s| (s as usize) < r.segment_names.len()));
    }
}

fuzz_target!(|inp: Input| {
    let o = options(&inp);
    let plan = match RfmPlan::new(&o) {
        Ok(p) => p,
        Err(e) => {
            let path = e.field.as_deref().expect("option errors name a path");
            if path == "asOf" {
                assert_eq!(e.code, ErrorCode::InvalidDate, "{e}");
                let (lo, hi) = crmscore::dates::day_bounds();
                assert!(o.as_of.is_some_and(|a| a < lo || a > hi));
                return;
            }
            assert_eq!(e.code, ErrorCode::InvalidOption, "{e}");
            check_option_error(path, &o);
            return;
        }
    };
    customer_level(&inp, &o, &plan);
    for b in plan.bins {
        assert!((MIN_BINS as u8..=MAX_BINS as u8).contains(&b));
    }
    assert!(plan.segment_names.contains(&o.fallback_segment));
    for (i, n) in plan.segment_names.iter().enumerate() {
        assert!(
            !plan.segment_names[..i].contains(n),
            "duplicate segment name {n}"
        );
    }
    let customer: Vec<u32> = inp.orders.iter().map(|x| x.0 as u32).collect();
    let day: Vec<i32> = inp.orders.iter().map(|x| x.1 .0).collect();
    let amount: Vec<f64> = inp.orders.iter().map(|x| x.2 .0).collect();
    let count = inp.customer_count.map(|n| n as usize);
    let res = match rfm_columns(&customer, &day, &amount, count, &o) {
        Ok(r) => r,
        Err(e) => {
            if let Some(r) = e.row {
                assert!(r < customer.len(), "{e}");
            }
            assert!(!e.detail.is_empty());
            return;
        }
    };
    let n = count.unwrap_or_else(|| customer.iter().max().map_or(0, |&m| m as usize + 1));
    let m = &res.metrics;
    assert_eq!(m.frequency.len(), n);
    let active = |i: usize| m.active.as_ref().is_none_or(|a| a[i]);
    let rules = match &o.segments {
        Segments::Default if plan.bins == [5; 3] => rfm_r_rules(),
        Segments::Default => vec![],
        Segments::RfmR => rfm_r_rules(),
        Segments::RfGrid => rf_grid_rules(plan.bins[2]),
        Segments::Rules(r) => r.clone(),
    };
    let mut scored = 0u64;
    let mut orders = 0.0;
    for i in 0..n {
        let s = [res.scores[0][i], res.scores[1][i], res.scores[2][i]];
        if !active(i) {
            assert_eq!(s, [0, 0, 0]);
            assert_eq!(res.segment[i], NO_SEGMENT);
            continue;
        }
        scored += 1;
        orders += m.frequency[i];
        assert!(m.recency_days[i] >= 0.0, "recency {}", m.recency_days[i]);
        assert!(m.frequency[i] >= 1.0 && m.monetary[i].is_finite());
        for k in 0..3 {
            assert!(
                (1..=res.bins[k]).contains(&s[k]),
                "score {} of metric {k}",
                s[k]
            );
            if let Some(c) = &o.cuts[k] {
                let x = [m.recency_days[i], m.frequency[i], m.monetary[i]][k];
                let bin = 1 + c.iter().filter(|&&c| c < x).count() as u8;
                let want = if k == 0 { res.bins[0] + 1 - bin } else { bin };
                assert_eq!(s[k], want, "metric {k} value {x} cuts {c:?}");
            }
        }
        let hit = rules.iter().find(|r| {
            let inr = |x: u8, [lo, hi]: [f64; 2]| (x as f64) >= lo && (x as f64) <= hi;
            inr(s[0], r.recency) && inr(s[1], r.frequency) && inr(s[2], r.monetary)
        });
        let name = hit.map_or(&o.fallback_segment, |r| &r.name);
        assert_eq!(&res.segment_names[res.segment[i] as usize], name);
    }
    assert_eq!(
        res.segments.iter().map(|s| s.customers).sum::<u64>(),
        scored
    );
    assert!(close(
        res.segments.iter().map(|s| s.orders).sum::<f64>(),
        orders
    ));
    assert_eq!(
        res.heatmap.len(),
        res.bins[0] as usize * res.bins[1] as usize
    );
    assert_eq!(res.heatmap.iter().map(|h| h.customers).sum::<u64>(), scored);

    // The growable aggregator, fed in two chunks, gives the same metrics.
    if count.is_none() {
        let cut = inp.split as usize % (customer.len() + 1);
        let mut g = OrderAggregator::growable(o.as_of);
        g.push_columns(&customer[..cut], &day[..cut], &amount[..cut])
            .unwrap();
        g.push_columns(&customer[cut..], &day[cut..], &amount[cut..])
            .unwrap();
        let gm = g.finish().unwrap();
        assert_eq!(gm.as_of, m.as_of);
        assert_eq!(gm.frequency, m.frequency);
        for k in 0..n {
            assert!(gm.recency_days[k].to_bits() == m.recency_days[k].to_bits());
            assert!(close(gm.monetary[k], m.monetary[k]));
        }
    }
});
