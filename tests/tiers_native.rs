//! Tier transitions and tier economics (core).
#![cfg(not(target_arch = "wasm32"))]

use crmscore::tiers::{compare, economics};
use crmscore::ErrorCode;

#[test]
fn transitions_between_two_snapshots() {
    // ids 0..5; ranks 0 = A … 3 = D
    let before = [(0, 3), (1, 0), (2, 1), (3, 2), (4, 1)];
    let after = [(1, 1), (0, 1), (2, 1), (5, 0), (3, 3)];
    let t = compare(&before, &after, 6, 4).unwrap();
    assert_eq!(t.upgraded, [1]); // after row 1 = id 0: D → B
    assert_eq!(t.downgraded, [0, 4]); // id 1: A → B, id 3: C → D
    assert_eq!(t.entered, [3]); // id 5
    assert_eq!(t.left, [4]); // before row 4 = id 4
    assert_eq!(t.unchanged, 1); // id 2
    assert_eq!(t.matrix, [(0, 1, 1), (1, 1, 1), (2, 3, 1), (3, 1, 1)]);
    let moved: u32 = t.matrix.iter().map(|c| c.2).sum();
    assert_eq!(
        moved as usize,
        t.upgraded.len() + t.downgraded.len() + t.unchanged
    );
    let e = compare(&[(0, 1), (0, 2)], &[], 1, 4).unwrap_err();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (
            ErrorCode::InvalidCustomerId,
            Some(1),
            Some("before.customerId")
        )
    );
    let e = compare(&[], &[(0, 1), (1, 1), (0, 2)], 2, 4).unwrap_err();
    assert_eq!(
        (e.row, e.field.as_deref()),
        (Some(2), Some("after.customerId"))
    );
}

#[test]
fn economics_per_tier() {
    let tier = [0, 1, 1, 0, 2];
    let revenue = [1000.0, 300.0, 100.0, 600.0, 0.0];
    let rows = economics(&tier, &revenue, &[100.0, 50.0, 10.0, 5.0], "revenue").unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        (
            rows[0].customers,
            rows[0].revenue,
            rows[0].cost,
            rows[0].margin
        ),
        (2, 1600.0, 200.0, 1400.0)
    );
    assert_eq!(
        (
            rows[1].customers,
            rows[1].revenue,
            rows[1].cost,
            rows[1].margin
        ),
        (2, 400.0, 100.0, 300.0)
    );
    assert_eq!(
        (
            rows[2].margin,
            rows[3].customers,
            rows[3].revenue_per_customer
        ),
        (-10.0, 0, 0.0)
    );
    assert!((rows[0].revenue_share - 0.8).abs() < 1e-12);
    assert!((rows[1].customer_share - 0.4).abs() < 1e-12);
    assert_eq!(rows[1].margin_per_customer, 150.0);
    let e = economics(&[0, 0], &[1.0, f64::NAN], &[1.0], "revenue").unwrap_err();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::InvalidAmount, Some(1), Some("revenue"))
    );
}
