//! Native tests of the RFM core: R `rfm` 0.3.0 conformance, binning conventions,
//! validation errors, properties.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use crmscore::dates::parse_day;
use crmscore::rfm::*;
use crmscore::ErrorCode;
use std::collections::HashMap;

/// R data → (customer index per order, day, amount, names in order of first appearance).
fn r_columns() -> (Vec<u32>, Vec<i32>, Vec<f64>, Vec<String>) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut names = Vec::new();
    let (mut c, mut d, mut a) = (vec![], vec![], vec![]);
    for o in common::r_orders() {
        let n = ids.len() as u32;
        let idx = *ids.entry(o.customer.clone()).or_insert_with(|| {
            names.push(o.customer.clone());
            n
        });
        c.push(idx);
        d.push(parse_day(&o.date).unwrap());
        a.push(o.revenue);
    }
    (c, d, a, names)
}

fn r_options() -> RfmOptions {
    RfmOptions {
        as_of: Some(parse_day("2006-12-31").unwrap()),
        binning: Binning::RfmR,
        ..Default::default()
    }
}

#[test]
fn conforms_to_r_rfm_for_every_customer() {
    let (c, d, a, names) = r_columns();
    let s = rfm_columns(&c, &d, &a, None, &r_options()).unwrap();
    let expected = common::r_expected();
    assert_eq!(expected.len(), 995);
    assert_eq!(names.len(), 995);
    let pos: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    for e in &expected {
        let i = pos[e.customer.as_str()];
        let ctx = &e.customer;
        assert_eq!(s.metrics.recency_days[i], e.recency_days, "{ctx} recency");
        assert_eq!(
            s.metrics.frequency[i], e.transaction_count,
            "{ctx} frequency"
        );
        assert_eq!(s.metrics.monetary[i], e.amount, "{ctx} monetary");
        assert_eq!(
            (s.scores[0][i], s.scores[1][i], s.scores[2][i]),
            (e.r, e.f, e.m),
            "{ctx} scores"
        );
        assert_eq!(s.rfm_score(i), e.rfm_score, "{ctx} rfm score");
        assert_eq!(
            s.segment_names[s.segment[i] as usize], e.segment,
            "{ctx} segment"
        );
    }
    // Cut points documented in the reference README.
    // (R prints them rounded; compare to 1e-9.)
    let close = |got: &[f64], want: &[f64]| {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
        }
    };
    close(&s.thresholds[0], &[115.0, 181.0, 297.4, 482.0]);
    close(&s.thresholds[1], &[4.0, 5.0, 6.0, 8.0]);
    close(&s.thresholds[2], &[255.8, 382.0, 506.4, 666.0]);
}

#[test]
fn reproduces_the_vignette_segment_table() {
    let (c, d, a, _) = r_columns();
    let s = rfm_columns(&c, &d, &a, None, &r_options()).unwrap();
    for (name, customers, orders, revenue) in common::VIGNETTE {
        let seg = s.segments.iter().find(|x| x.name == name).unwrap();
        assert_eq!(
            (seg.customers, seg.orders, seg.revenue),
            (customers, orders, revenue),
            "{name}"
        );
    }
    let others = s.segments.iter().find(|x| x.name == "Others").unwrap();
    assert_eq!(others.customers, 0);
    let total: u64 = s.segments.iter().map(|x| x.customers).sum();
    assert_eq!(total, 995);
}

fn agg(rec: &[f64], freq: &[f64], mon: &[f64]) -> Metrics {
    Metrics {
        as_of: 0,
        recency_days: rec.to_vec(),
        frequency: freq.to_vec(),
        monetary: mon.to_vec(),
        active: None,
    }
}

#[test]
fn quantile_binning_puts_cut_values_in_the_lower_bin_and_ties_together() {
    // values 1..=10: type-7 quintile cuts 2.8, 4.6, 6.4, 8.2
    let v: Vec<f64> = (1..=10).map(|x| x as f64).collect();
    let m = agg(&v, &v, &v);
    let plan = RfmPlan::new(&RfmOptions::default()).unwrap();
    let s = score(m, &plan, None).unwrap();
    assert_eq!(s.thresholds[2], vec![2.8, 4.6, 6.4, 8.2]);
    assert_eq!(s.scores[2], vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(
        s.scores[0],
        vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1],
        "recency reversed"
    );
    // cut exactly on a value: [1,2,3,4,5] with cuts 1.8,2.6,3.4,4.2 vs explicit cut 3 → 3 is lower
    let m = agg(&[1.0; 5], &[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0; 5]);
    let o = RfmOptions {
        cuts: [None, Some(vec![3.0]), None],
        segments: Segments::Rules(vec![]),
        ..Default::default()
    };
    let s = score(m, &RfmPlan::new(&o).unwrap(), None).unwrap();
    assert_eq!(s.scores[1], vec![1, 1, 1, 2, 2]);
    assert_eq!(s.bins, [5, 2, 5]);
    // ties share a score
    let m = agg(&[1.0; 6], &[1.0, 1.0, 1.0, 1.0, 2.0, 9.0], &[1.0; 6]);
    let s = score(m, &plan, None).unwrap();
    assert_eq!(&s.scores[1][..4], &[1, 1, 1, 1]);
}

#[test]
fn equal_count_splits_ties_by_customer_key_independent_of_order() {
    let m = agg(&[1.0; 10], &[1.0; 10], &[5.0; 10]);
    let o = RfmOptions {
        binning: Binning::EqualCount,
        segments: Segments::Rules(vec![]),
        ..Default::default()
    };
    let plan = RfmPlan::new(&o).unwrap();
    let key: Vec<u32> = vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    let s = score(m, &plan, Some(&key)).unwrap();
    assert_eq!(s.scores[2], vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    let counts = (1..=5)
        .map(|b| s.scores[2].iter().filter(|&&x| x == b).count())
        .collect::<Vec<_>>();
    assert_eq!(counts, vec![2; 5]);
}

#[test]
fn default_segments_give_way_to_other_bins() {
    let m = agg(&[1.0, 5.0, 9.0], &[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]);
    // Explicit rfmR with 3 bins: an error naming segments.
    let o = RfmOptions {
        bins: [Some(3.0); 3],
        segments: Segments::RfmR,
        ..Default::default()
    };
    let e = RfmPlan::new(&o).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("segments"));
    // The default with 3 bins: no rules, everyone in the fallback, a note saying so.
    let o = RfmOptions {
        bins: [Some(3.0); 3],
        ..Default::default()
    };
    let plan = RfmPlan::new(&o).unwrap();
    assert_eq!(plan.segment_names, vec!["Others".to_string()]);
    let s = score(m.clone(), &plan, None).unwrap();
    assert_eq!(s.segment, vec![0, 0, 0]);
    assert_eq!(s.scores[0], vec![3, 2, 1]);
    let note = s.segment_note.as_deref().unwrap();
    assert!(
        note.contains("needs 5 bins") && note.contains("3/3/3"),
        "{note}"
    );
    // The default with 5 bins is the rfmR table, with no note.
    let plan = RfmPlan::new(&RfmOptions::default()).unwrap();
    assert_eq!(plan.segment_names, {
        let mut n: Vec<String> = rfm_r_rules().into_iter().map(|r| r.name).collect();
        n.push("Others".into());
        n
    });
    assert!(plan.segment_note.is_none());
}

#[test]
fn rf_grid_covers_every_cell() {
    let o = RfmOptions {
        segments: Segments::RfGrid,
        ..Default::default()
    };
    let plan = RfmPlan::new(&o).unwrap();
    assert!(!plan.segment_names.is_empty());
    // 25 customers, one per R×F cell via explicit cuts.
    let mut rec = vec![];
    let mut fr = vec![];
    for r in 0..5 {
        for f in 0..5 {
            rec.push((4 - r) as f64 * 10.0);
            fr.push(f as f64 * 10.0);
        }
    }
    let o = RfmOptions {
        segments: Segments::RfGrid,
        cuts: [
            Some(vec![5.0, 15.0, 25.0, 35.0]),
            Some(vec![5.0, 15.0, 25.0, 35.0]),
            None,
        ],
        ..Default::default()
    };
    let s = score(agg(&rec, &fr, &fr), &RfmPlan::new(&o).unwrap(), None).unwrap();
    let others = s.segments.iter().find(|x| x.name == "Others").unwrap();
    assert_eq!(others.customers, 0, "the grid covers all 25 cells");
    let name = |i: usize| s.segment_names[s.segment[i] as usize].as_str();
    assert_eq!(name(24), "champions"); // R5 F5
    assert_eq!(name(0), "hibernating"); // R1 F1
    assert_eq!(name(4), "cant_loose"); // R1 F5
    assert_eq!(name(20), "new_customers"); // R5 F1
}

#[test]
fn option_errors_are_typed_and_name_the_path() {
    let bad = |o: RfmOptions, path: &str| {
        let e = RfmPlan::new(&o).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOption);
        assert_eq!(e.field.as_deref(), Some(path), "{e}");
    };
    bad(
        RfmOptions {
            bins: [Some(1.0), None, None],
            ..Default::default()
        },
        "bins.recency",
    );
    bad(
        RfmOptions {
            bins: [None, Some(11.0), None],
            ..Default::default()
        },
        "bins.frequency",
    );
    bad(
        RfmOptions {
            bins: [None, None, Some(2.5)],
            ..Default::default()
        },
        "bins.monetary",
    );
    bad(
        RfmOptions {
            bins: [Some(f64::NAN), None, None],
            ..Default::default()
        },
        "bins.recency",
    );
    bad(
        RfmOptions {
            cuts: [None, Some(vec![3.0, 3.0]), None],
            ..Default::default()
        },
        "cuts.frequency[1]",
    );
    bad(
        RfmOptions {
            cuts: [None, Some(vec![f64::INFINITY]), None],
            ..Default::default()
        },
        "cuts.frequency[0]",
    );
    bad(
        RfmOptions {
            bins: [Some(4.0), None, None],
            segments: Segments::RfmR,
            ..Default::default()
        },
        "segments",
    ); // rfmR asked for explicitly needs 5 bins
    let rule = SegmentRule {
        name: "X".into(),
        recency: [1.0, 6.0],
        frequency: [1.0, 5.0],
        monetary: [1.0, 5.0],
    };
    bad(
        RfmOptions {
            segments: Segments::Rules(vec![rule]),
            ..Default::default()
        },
        "segments[0].recency",
    );
    bad(
        RfmOptions {
            fallback_segment: String::new(),
            ..Default::default()
        },
        "fallbackSegment",
    );
}

#[test]
fn row_errors_name_row_and_field() {
    let o = RfmOptions::default();
    let d = parse_day("2024-01-10").unwrap();
    let e = rfm_columns(&[0, 1], &[d, d], &[1.0, f64::NAN], None, &o).unwrap_err();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::InvalidAmount, Some(1), Some("amount"))
    );
    assert!(
        e.to_string().contains("row 1") && e.to_string().contains("NaN"),
        "{e}"
    );
    let e = rfm_columns(&[0, 1], &[d, d], &[1.0, -3.0], None, &o).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidAmount, Some(1)));
    let late = RfmOptions {
        as_of: Some(d - 1),
        ..Default::default()
    };
    let e = rfm_columns(&[0, 1], &[d - 5, d], &[1.0, 1.0], None, &late).unwrap_err();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::DateAfterAsOf, Some(1), Some("date"))
    );
    let e = rfm_columns(&[0, 5], &[d, d], &[1.0, 1.0], Some(3), &o).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidCustomerId, Some(1)));
    let e = rfm_columns(&[0], &[i32::MAX], &[1.0], None, &o).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidDate, Some(0)));
    let e = rfm_columns(&[], &[], &[], None, &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyInput);
    let e = rfm_columns(&[0], &[d, d], &[1.0], None, &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::LengthMismatch);
}

#[test]
fn default_as_of_is_the_day_after_the_latest_order() {
    let d = parse_day("2024-03-01").unwrap();
    let s = rfm_columns(
        &[0, 1, 0],
        &[d - 10, d, d - 3],
        &[1.0, 2.0, 3.0],
        None,
        &RfmOptions::default(),
    )
    .unwrap();
    assert_eq!(s.metrics.as_of, d + 1);
    assert_eq!(s.metrics.recency_days, vec![4.0, 1.0]);
    assert_eq!(s.metrics.frequency, vec![2.0, 1.0]);
    assert_eq!(s.metrics.monetary, vec![4.0, 2.0]);
}

#[test]
fn customers_without_orders_are_left_unscored() {
    let d = parse_day("2024-03-01").unwrap();
    let s = rfm_columns(
        &[0, 2, 0],
        &[d, d, d],
        &[1.0, 2.0, 3.0],
        Some(4),
        &RfmOptions::default(),
    )
    .unwrap();
    assert_eq!(s.scores[0][1], 0);
    assert_eq!(s.scores[0][3], 0);
    assert_eq!(s.segment[1], NO_SEGMENT);
    assert!(s.scores[1][0] >= 1 && s.scores[1][2] >= 1);
    let total: u64 = s.segments.iter().map(|x| x.customers).sum();
    assert_eq!(total, 2);
}

#[test]
fn aggregates_path_equals_orders_path() {
    let (c, d, a, _) = r_columns();
    let by_orders = rfm_columns(&c, &d, &a, None, &r_options()).unwrap();
    let m = &by_orders.metrics;
    let rows: Vec<CustomerAggregate> = (0..m.frequency.len())
        .map(|i| CustomerAggregate {
            recency_days: if i % 2 == 0 {
                Some(m.recency_days[i])
            } else {
                None
            },
            last_order_day: Some(m.as_of - m.recency_days[i] as i32),
            frequency: m.frequency[i],
            monetary: m.monetary[i],
        })
        .collect();
    let metrics = metrics_from_aggregates(&rows, Some(m.as_of), 0).unwrap();
    let by_agg = score(metrics, &RfmPlan::new(&r_options()).unwrap(), None).unwrap();
    assert_eq!(by_agg.scores, by_orders.scores);
    assert_eq!(by_agg.segment, by_orders.segment);
    let bad = [CustomerAggregate {
        recency_days: None,
        last_order_day: None,
        frequency: 1.0,
        monetary: 1.0,
    }];
    let e = metrics_from_aggregates(&bad, None, 0).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::MissingField, Some(0)));
    let bad = [CustomerAggregate {
        recency_days: Some(1.0),
        last_order_day: None,
        frequency: 1.5,
        monetary: 1.0,
    }];
    assert_eq!(
        metrics_from_aggregates(&bad, None, 0)
            .unwrap_err()
            .field
            .as_deref(),
        Some("frequency")
    );
}

/// Property: permuting the orders changes no customer's result (quantile and equalCount).
#[test]
fn input_order_does_not_change_results() {
    let s = crmscore::sample::sample_orders(3000, 7, crmscore::sample::default_end_day());
    for binning in [Binning::Quantile, Binning::EqualCount, Binning::RfmR] {
        let o = RfmOptions {
            binning,
            ..Default::default()
        };
        let base = rfm_columns(&s.customer, &s.day, &s.amount, Some(3000), &o).unwrap();
        let mut perm: Vec<usize> = (0..s.customer.len()).collect();
        let mut rng = crmscore::sample::Rng::new(99);
        for i in (1..perm.len()).rev() {
            perm.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        let c: Vec<u32> = perm.iter().map(|&i| s.customer[i]).collect();
        let d: Vec<i32> = perm.iter().map(|&i| s.day[i]).collect();
        let a: Vec<f64> = perm.iter().map(|&i| s.amount[i]).collect();
        let other = rfm_columns(&c, &d, &a, Some(3000), &o).unwrap();
        assert_eq!(base.scores, other.scores, "{binning:?}");
        assert_eq!(base.segment, other.segment);
        assert_eq!(base.metrics.frequency, other.metrics.frequency);
        for (x, y) in base.metrics.monetary.iter().zip(&other.metrics.monetary) {
            assert!((x - y).abs() < 1e-6);
        }
    }
}

/// Property: scores are within 1..=n, and a higher monetary never gets a lower score.
#[test]
fn scores_are_monotone_in_the_metric() {
    let s = crmscore::sample::sample_orders(5000, 3, crmscore::sample::default_end_day());
    for bins in [2.0, 3.0, 5.0, 10.0] {
        let o = RfmOptions {
            bins: [Some(bins); 3],
            segments: Segments::Rules(vec![]),
            ..Default::default()
        };
        let r = rfm_columns(&s.customer, &s.day, &s.amount, None, &o).unwrap();
        let mut idx: Vec<usize> = (0..r.segment.len()).collect();
        idx.sort_by(|&a, &b| r.metrics.monetary[a].total_cmp(&r.metrics.monetary[b]));
        for w in idx.windows(2) {
            assert!(r.scores[2][w[0]] <= r.scores[2][w[1]]);
        }
        idx.sort_by(|&a, &b| r.metrics.recency_days[a].total_cmp(&r.metrics.recency_days[b]));
        for w in idx.windows(2) {
            assert!(
                r.scores[0][w[0]] >= r.scores[0][w[1]],
                "recency reversed and monotone"
            );
        }
        assert!(r
            .scores
            .iter()
            .flatten()
            .all(|&x| x >= 1 && x as f64 <= bins));
        assert_eq!(r.heatmap.len(), (bins * bins) as usize);
    }
}

/// Large customer tables take the partitioned aggregation path (random order) or the direct
/// one (orders grouped by customer): both must equal a naive sum, bit for bit (the partitioned
/// scatter is stable, so each customer's amounts are added in input order).
#[test]
fn partitioned_aggregation_equals_naive_sums() {
    let n = 300_000usize;
    let s = crmscore::sample::sample_orders(n, 17, crmscore::sample::default_end_day());
    let mut rng = crmscore::sample::Rng::new(5);
    let mut perm: Vec<usize> = (0..s.customer.len()).collect();
    for i in (1..perm.len()).rev() {
        perm.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
    }
    let mut grouped = perm.clone();
    grouped.sort_by_key(|&i| s.customer[i]);
    // Random first, then grouped: orders still waiting in buckets must be added before the
    // direct path adds later ones.
    let half = perm.len() / 2;
    let mut mixed = perm.clone();
    mixed[half..].sort_by_key(|&i| s.customer[i]);
    for (label, order) in [("random", &perm), ("grouped", &grouped), ("mixed", &mixed)] {
        let c: Vec<u32> = order.iter().map(|&i| s.customer[i]).collect();
        let d: Vec<i32> = order.iter().map(|&i| s.day[i]).collect();
        let a: Vec<f64> = order.iter().map(|&i| s.amount[i]).collect();
        let (mut cnt, mut sum, mut last) = (vec![0f64; n], vec![0f64; n], vec![i32::MIN; n]);
        for i in 0..c.len() {
            let k = c[i] as usize;
            cnt[k] += 1.0;
            sum[k] += a[i];
            last[k] = last[k].max(d[i]);
        }
        let mut agg = OrderAggregator::with_customers(n, None);
        assert_eq!(agg.preferred_chunk(), PREFERRED_CHUNK);
        for k in (0..c.len()).step_by(100_000) {
            let e = (k + 100_000).min(c.len());
            agg.push_columns(&c[k..e], &d[k..e], &a[k..e]).unwrap();
        }
        let m = agg.finish().unwrap();
        let as_of = *d.iter().max().unwrap() + 1;
        assert_eq!(m.as_of, as_of);
        assert_eq!(m.frequency, cnt, "{label}");
        for k in 0..n {
            assert_eq!(
                m.recency_days[k],
                (as_of - last[k]) as f64,
                "{label}: customer {k}"
            );
            assert_eq!(
                m.monetary[k].to_bits(),
                sum[k].to_bits(),
                "{label}: customer {k}"
            );
        }
    }
}
