//! Native tests of the derived fields (src/activity.rs): hand-computed customers for every
//! field and its missing case, window edges, statuses, the return-rate cap, every error with
//! its code/row/field, empty inputs, and properties against an independent reference.
#![cfg(not(target_arch = "wasm32"))]
// Test data is built field by field, each with a comment on what it plants.
#![allow(clippy::field_reassign_with_default)]

use crmscore::activity::*;
use crmscore::dates::{day_bounds, parse_day};
use crmscore::scoring::{Column, Indicator, Prepared, Scale, ScoringModel, ScoringOptions, Tier};
use crmscore::ErrorCode;

const NAN: f64 = f64::NAN;

/// Owned columns of every table, to borrow as an `Activity`.
#[derive(Clone, Default)]
struct Data {
    o_c: Vec<u32>,
    o_d: Vec<i32>,
    o_a: Vec<f64>,
    o_s: Vec<OrderStatus>,
    o_disc: Vec<f64>,
    i_c: Vec<u32>,
    i_d: Vec<i32>,
    i_k: Vec<InteractionKind>,
    i_v: Vec<f64>,
    r_c: Vec<u32>,
    r_d: Vec<i32>,
    r_a: Vec<f64>,
    p_c: Vec<u32>,
    p_d: Vec<i32>,
    p_a: Vec<f64>,
    p_s: Vec<PaymentStatus>,
    p_l: Vec<f64>,
    created: Vec<i32>,
}

impl Data {
    fn order(&mut self, c: u32, d: i32, a: f64, s: OrderStatus) -> &mut Self {
        self.o_c.push(c);
        self.o_d.push(d);
        self.o_a.push(a);
        self.o_s.push(s);
        self.o_disc.push(NAN);
        self
    }
    fn interaction(&mut self, c: u32, d: i32, k: InteractionKind, v: f64) -> &mut Self {
        self.i_c.push(c);
        self.i_d.push(d);
        self.i_k.push(k);
        self.i_v.push(v);
        self
    }
    fn ret(&mut self, c: u32, d: i32, a: f64) -> &mut Self {
        self.r_c.push(c);
        self.r_d.push(d);
        self.r_a.push(a);
        self
    }
    fn payment(&mut self, c: u32, d: i32, a: f64, s: PaymentStatus, late: f64) -> &mut Self {
        self.p_c.push(c);
        self.p_d.push(d);
        self.p_a.push(a);
        self.p_s.push(s);
        self.p_l.push(late);
        self
    }
    fn activity(&self, as_of: Option<i32>) -> Activity<'_> {
        Activity {
            orders: Orders {
                customer: &self.o_c,
                day: &self.o_d,
                amount: &self.o_a,
                status: Some(&self.o_s),
                discount: Some(&self.o_disc),
            },
            interactions: Interactions {
                customer: &self.i_c,
                day: &self.i_d,
                kind: &self.i_k,
                value: Some(&self.i_v),
            },
            returns: Returns {
                customer: &self.r_c,
                day: &self.r_d,
                amount: &self.r_a,
            },
            payments: Payments {
                customer: &self.p_c,
                day: &self.p_d,
                amount: &self.p_a,
                status: &self.p_s,
                days_late: Some(&self.p_l),
            },
            created_at: (!self.created.is_empty()).then_some(&self.created[..]),
            customer_count: None,
            as_of,
        }
    }
}

/// NaN-aware equality of two columns.
fn same(got: &[f64], want: &[f64]) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(g, w)| (g.is_nan() && w.is_nan()) || g == w)
}

fn assert_col(f: &DerivedFields, name: &str, want: &[f64]) {
    let got = f.column(name).unwrap_or_else(|| panic!("no column {name}"));
    assert!(same(got, want), "{name}: got {got:?}, want {want:?}");
}

fn day(s: &str) -> i32 {
    parse_day(s).unwrap()
}

use InteractionKind as K;
use OrderStatus as O;
use PaymentStatus as P;

/// Six customers, every field computed by hand in the comments. asOf = 2024-12-31 (a).
fn six_customers() -> (Data, i32) {
    let a = day("2024-12-31");
    let mut d = Data::default();
    // createdAt per customer: c0 a−1000, c1 a−50, c2/c3/c4 none, c5 a−100.
    d.created = vec![a - 1000, a - 50, NO_DAY, NO_DAY, NO_DAY, a - 100];
    // c0: completed a−10 (100), a−365 (50, just outside the 365-day window),
    // a−364 (30, just inside); returned a−400 (20); cancelled a−2000 (999, the first order);
    // refused a−5 (70).
    d.order(0, a - 10, 100.0, O::Completed)
        .order(0, a - 365, 50.0, O::Completed)
        .order(0, a - 364, 30.0, O::Completed)
        .order(0, a - 400, 20.0, O::Returned)
        .order(0, a - 2000, 999.0, O::Cancelled)
        .order(0, a - 5, 70.0, O::Refused);
    // c2: one returned order a−30; two return rows → 3 returned / 1 purchased, capped to 1.
    d.order(2, a - 30, 40.0, O::Returned);
    // c3: cancelled a−7 and refused a−8: nothing purchased.
    d.order(3, a - 7, 15.0, O::Cancelled)
        .order(3, a - 8, 15.0, O::Refused);
    // c5: one completed order on asOf itself.
    d.order(5, a, 12.5, O::Completed);
    // c0 interactions: complaints a−90 (outside the 90-day window) and a−89 (inside);
    // feedback 4 (on asOf), 5 (a−200), none (a−1), +∞ (a−2, left out); referral a−3;
    // an unknown type a−100.
    d.interaction(0, a - 90, K::Complaint, NAN)
        .interaction(0, a - 89, K::Complaint, NAN)
        .interaction(0, a, K::Feedback, 4.0)
        .interaction(0, a - 200, K::Feedback, 5.0)
        .interaction(0, a - 1, K::Feedback, NAN)
        .interaction(0, a - 2, K::Feedback, f64::INFINITY)
        .interaction(0, a - 3, K::Referral, 1.0)
        .interaction(0, a - 100, K::Other, NAN);
    // c2: a feedback without value, a−95.
    d.interaction(2, a - 95, K::Feedback, NAN);
    // c4: visit a−90 (outside), call a−89 (inside), referrals a−400 and a−1.
    d.interaction(4, a - 90, K::Visit, NAN)
        .interaction(4, a - 89, K::Call, NAN)
        .interaction(4, a - 400, K::Referral, NAN)
        .interaction(4, a - 1, K::Referral, NAN);
    // Returns: c0 one (a−399), c2 two, c3 one (purchased = 0, so no rate).
    d.ret(0, a - 399, 20.0)
        .ret(2, a - 20, 10.0)
        .ret(2, a - 19, 5.0)
        .ret(3, a - 6, 15.0);
    // c0 payments: paid w/o daysLate (0), paid 2, late 10, late w/o daysLate (left out),
    // failed 7 (not a delay), chargeback.  → delay (0 + 2 + 10) / 3 = 4; defaults 2 + 1 refused.
    d.payment(0, a - 40, 10.0, P::Paid, NAN)
        .payment(0, a - 41, 10.0, P::Paid, 2.0)
        .payment(0, a - 42, 10.0, P::Late, 10.0)
        .payment(0, a - 43, 10.0, P::Late, NAN)
        .payment(0, a - 44, 10.0, P::Failed, 7.0)
        .payment(0, a - 45, 10.0, P::Chargeback, NAN);
    // c2: a late payment without daysLate only → no delay. c3: a failed one.
    d.payment(2, a - 3, 5.0, P::Late, NAN)
        .payment(3, a - 2, 5.0, P::Failed, NAN);
    (d, a)
}

#[test]
fn hand_computed_customers_cover_every_field_and_its_missing_case() {
    let (d, a) = six_customers();
    let f = derive_fields(&d.activity(Some(a))).unwrap();
    assert_eq!(f.len(), 6);
    assert_eq!(f.as_of, Some(a));
    //                                   c0     c1   c2   c3   c4   c5
    assert_col(&f, "orderCount", &[3.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    assert_col(&f, "totalAmount", &[180.0, 0.0, 0.0, 0.0, 0.0, 12.5]);
    assert_col(&f, "amountLast365Days", &[130.0, 0.0, 0.0, 0.0, 0.0, 12.5]);
    assert_col(&f, "averageOrderValue", &[60.0, NAN, NAN, NAN, NAN, 12.5]);
    assert_col(&f, "daysSinceLastOrder", &[10.0, NAN, NAN, NAN, NAN, 0.0]);
    // c0: first order a−2000 is before createdAt a−1000; c1 createdAt only; c2, c3 first
    // order (any status); c4 neither; c5 createdAt a−100 before its order.
    assert_col(&f, "tenureDays", &[2000.0, 50.0, 30.0, 8.0, NAN, 100.0]);
    // c0 (1 returned order + 1 return row) / (3 completed + 1 returned); c2 capped; c3 none purchased.
    assert_col(&f, "returnRate", &[0.5, NAN, 1.0, NAN, NAN, 0.0]);
    assert_col(&f, "complaintCount", &[2.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_col(&f, "averageFeedback", &[4.5, NAN, NAN, NAN, NAN, NAN]);
    // c0: a−89, a, a−1, a−2, a−3 (not a−90, a−100, a−200); c4: a−89, a−1.
    assert_col(
        &f,
        "interactionsLast90Days",
        &[5.0, 0.0, 0.0, 0.0, 2.0, 0.0],
    );
    assert_col(
        &f,
        "averagePaymentDelayDays",
        &[4.0, NAN, NAN, NAN, NAN, NAN],
    );
    assert_col(&f, "paymentDefaultCount", &[3.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
    assert_col(&f, "referralCount", &[1.0, 0.0, 0.0, 0.0, 2.0, 0.0]);
}

#[test]
fn aggregates_expose_the_raw_per_customer_accumulators() {
    let (d, a) = six_customers();
    let g = aggregate(&d.activity(Some(a))).unwrap();
    assert_eq!(g.customer_count, 6);
    let o = g.order(0);
    assert_eq!(o.by_status, [3, 1, 1, 1]);
    assert_eq!((o.first_day, o.last_completed_day), (a - 2000, a - 10));
    assert_eq!(g.order(4), OrderStats::default());
    assert_eq!(g.interaction(0).count(K::Feedback), 4);
    assert_eq!(g.interaction(0).count(K::Other), 1);
    assert_eq!(
        g.returned(2),
        ReturnStats {
            count: 2,
            amount: 15.0
        }
    );
    assert_eq!(g.payment(0).by_status, [2, 2, 1, 1]);
    assert_eq!(g.created(2), None);
    assert_eq!(g.created(5), Some(a - 100));
}

#[test]
fn window_edges_are_exclusive_at_365_and_90_days_back() {
    let a = day("2025-06-30");
    let mut d = Data::default();
    for (k, back) in [366, 365, 364, 1, 0].into_iter().enumerate() {
        // One customer per offset; amount = 1.
        d.order(k as u32, a - back, 1.0, O::Completed);
    }
    for (k, back) in [91, 90, 89, 0].into_iter().enumerate() {
        d.interaction(k as u32, a - back, K::Email, NAN);
    }
    let f = derive_fields(&d.activity(Some(a))).unwrap();
    assert_col(&f, "amountLast365Days", &[0.0, 0.0, 1.0, 1.0, 1.0]);
    assert_col(&f, "interactionsLast90Days", &[0.0, 0.0, 1.0, 1.0, 0.0]);
    assert_col(&f, "daysSinceLastOrder", &[366.0, 365.0, 364.0, 1.0, 0.0]);
    // The same without a status column (every order completed: a separate loop).
    let mut act = d.activity(Some(a));
    act.orders.status = None;
    let f = derive_fields(&act).unwrap();
    assert_col(&f, "amountLast365Days", &[0.0, 0.0, 1.0, 1.0, 1.0]);
    assert_col(&f, "tenureDays", &[366.0, 365.0, 364.0, 1.0, 0.0]);
}

#[test]
fn as_of_defaults_to_the_latest_day_of_any_input() {
    let base = day("2024-01-01");
    let mut d = Data::default();
    d.order(0, base, 10.0, O::Completed)
        .order(0, base + 3, 5.0, O::Cancelled);
    assert_eq!(
        derive_fields(&d.activity(None)).unwrap().as_of,
        Some(base + 3)
    );
    d.ret(0, base + 5, 1.0);
    assert_eq!(
        derive_fields(&d.activity(None)).unwrap().as_of,
        Some(base + 5)
    );
    d.interaction(1, base + 8, K::Visit, NAN);
    assert_eq!(
        derive_fields(&d.activity(None)).unwrap().as_of,
        Some(base + 8)
    );
    d.payment(0, base + 9, 1.0, P::Paid, NAN);
    assert_eq!(
        derive_fields(&d.activity(None)).unwrap().as_of,
        Some(base + 9)
    );
    d.created = vec![base - 10, base + 20];
    let f = derive_fields(&d.activity(None)).unwrap();
    assert_eq!(f.as_of, Some(base + 20));
    // daysSinceLastOrder counts from that default: the completed order is 20 days back.
    assert_col(&f, "daysSinceLastOrder", &[20.0, NAN]);
    assert_col(&f, "tenureDays", &[30.0, 0.0]);
}

#[test]
fn absent_status_means_completed_and_absent_optional_columns_are_fine() {
    let (c, dd, am) = (vec![0u32, 0, 1], vec![100, 200, 300], vec![1.0, 2.0, 4.0]);
    let act = Activity {
        orders: Orders {
            customer: &c,
            day: &dd,
            amount: &am,
            status: None,
            discount: None,
        },
        ..Default::default()
    };
    let f = derive_fields(&act).unwrap();
    assert_eq!(f.as_of, Some(300));
    assert_col(&f, "orderCount", &[2.0, 1.0]);
    assert_col(&f, "totalAmount", &[3.0, 4.0]);
    assert_col(&f, "averageOrderValue", &[1.5, 4.0]);
    assert_col(&f, "daysSinceLastOrder", &[100.0, 0.0]);
    assert_col(&f, "returnRate", &[0.0, 0.0]);
    // Interactions without a value column: feedback has no value.
    let (ic, id, ik) = (vec![0u32], vec![250], vec![K::Feedback]);
    let act = Activity {
        interactions: Interactions {
            customer: &ic,
            day: &id,
            kind: &ik,
            value: None,
        },
        ..act
    };
    let f = derive_fields(&act).unwrap();
    assert_col(&f, "averageFeedback", &[NAN, NAN]);
    assert_col(&f, "interactionsLast90Days", &[1.0, 0.0]); // asOf 300 (latest order): 210 < 250 ≤ 300
}

#[test]
fn every_order_status_is_counted_where_defined() {
    let a = 20_000;
    let mut d = Data::default();
    for s in O::ALL {
        d.order(0, a - 1, 10.0, s);
    }
    let f = derive_fields(&d.activity(Some(a))).unwrap();
    assert_col(&f, "orderCount", &[1.0]);
    assert_col(&f, "totalAmount", &[10.0]);
    assert_col(&f, "returnRate", &[0.5]); // 1 returned of completed + returned = 2
    assert_col(&f, "paymentDefaultCount", &[1.0]); // the refused order
    for s in P::ALL {
        d.payment(0, a, 1.0, s, 3.0);
    }
    let f = derive_fields(&d.activity(Some(a))).unwrap();
    assert_col(&f, "paymentDefaultCount", &[3.0]); // refused + failed + chargeback
    assert_col(&f, "averagePaymentDelayDays", &[3.0]); // paid 3 and late 3
}

#[test]
fn return_rate_is_capped_at_one() {
    let mut d = Data::default();
    d.order(0, 10, 5.0, O::Completed);
    for k in 0..5 {
        d.ret(0, 11 + k, 5.0);
    }
    let f = derive_fields(&d.activity(None)).unwrap();
    assert_col(&f, "returnRate", &[1.0]);
    // Exactly at the cap without capping, and below it.
    let mut d = Data::default();
    d.order(0, 10, 5.0, O::Completed)
        .order(0, 10, 5.0, O::Completed)
        .ret(0, 11, 5.0)
        .ret(0, 11, 5.0);
    assert_col(
        &derive_fields(&d.activity(None)).unwrap(),
        "returnRate",
        &[1.0],
    );
    d.order(0, 10, 5.0, O::Completed)
        .order(0, 10, 5.0, O::Completed);
    assert_col(
        &derive_fields(&d.activity(None)).unwrap(),
        "returnRate",
        &[0.5],
    );
}

#[test]
fn the_table_has_the_13_named_numeric_columns_and_feeds_a_scoring_model() {
    let (d, a) = six_customers();
    let t = derived_table(&d.activity(Some(a))).unwrap();
    assert_eq!(t.len, 6);
    let mut names: Vec<&str> = t.columns.keys().map(|s| s.as_str()).collect();
    names.sort();
    let mut want = FIELD_NAMES.to_vec();
    want.sort();
    assert_eq!(names, want);
    assert_eq!(FIELD_NAMES.len(), 13);
    match &t.columns["returnRate"] {
        Column::Num(v) => assert!(same(v, &[0.5, NAN, 1.0, NAN, NAN, 0.0])),
        other => panic!("returnRate is not numeric: {other:?}"),
    }
    assert!(t
        .columns
        .values()
        .all(|c| matches!(c, Column::Num(v) if v.len() == 6)));
    // A model naming derived fields directly (strict mode: every field must exist).
    let ind = |id: &str, field: &str, weight: f64, max: f64| {
        Indicator::new(id, field, weight, Scale::Linear { min: 0.0, max })
    };
    let model = ScoringModel {
        indicators: vec![
            ind("orders", "orderCount", 60.0, 3.0),
            ind("referrals", "referralCount", 40.0, 2.0),
        ],
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 50.0,
            },
            Tier {
                label: "B".into(),
                min: f64::NEG_INFINITY,
            },
        ],
        ..Default::default()
    };
    let p = Prepared::new(
        model,
        &t,
        ScoringOptions {
            strict: true,
            as_of: None,
        },
    )
    .unwrap();
    let (scores, _, _) = p.score_all();
    // c0: 60·3/3 + 40·1/2 = 80; c4: 40·2/2 = 40; c5: 60·1/3 = 20.
    let want = [80.0, 0.0, 0.0, 0.0, 40.0, 20.0];
    assert!(
        scores.iter().zip(want).all(|(s, w)| (s - w).abs() < 1e-9),
        "{scores:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Errors

fn err_of(d: &Data, as_of: Option<i32>) -> crmscore::Error {
    derive_fields(&d.activity(as_of)).expect_err("should be rejected")
}

fn expect(
    e: crmscore::Error,
    code: ErrorCode,
    row: Option<usize>,
    field: Option<&str>,
    table: &str,
) {
    assert_eq!(e.code, code, "{e}");
    assert_eq!(e.row, row, "{e}");
    assert_eq!(e.field.as_deref(), field, "{e}");
    assert_eq!(e.table.map(|t| t.as_str()), Some(table), "{e}");
    assert!(
        e.to_string().starts_with(&format!("{table}: row ")),
        "the message names the table {table}: {e}"
    );
}

fn valid() -> Data {
    let mut d = Data::default();
    d.order(0, 100, 1.0, O::Completed)
        .order(1, 101, 1.0, O::Completed)
        .interaction(0, 100, K::Call, NAN)
        .interaction(1, 100, K::Call, NAN)
        .ret(0, 100, 1.0)
        .ret(1, 100, 1.0)
        .payment(0, 100, 1.0, P::Paid, NAN)
        .payment(1, 100, 1.0, P::Paid, NAN);
    d.created = vec![50, 60];
    d
}

#[test]
fn invalid_amounts_name_row_field_and_table() {
    for bad in [-1.0, NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut d = valid();
        d.o_a[1] = bad;
        expect(
            err_of(&d, None),
            ErrorCode::InvalidAmount,
            Some(1),
            Some("amount"),
            "orders",
        );
        let mut d = valid();
        d.r_a[1] = bad;
        expect(
            err_of(&d, None),
            ErrorCode::InvalidAmount,
            Some(1),
            Some("amount"),
            "returns",
        );
        let mut d = valid();
        d.p_a[0] = bad;
        expect(
            err_of(&d, None),
            ErrorCode::InvalidAmount,
            Some(0),
            Some("amount"),
            "payments",
        );
    }
    // −0 is an amount of zero.
    let mut d = valid();
    d.o_a[1] = -0.0;
    assert!(derive_fields(&d.activity(None)).is_ok());
}

#[test]
fn dates_after_as_of_name_row_field_and_table() {
    let a = 100;
    let mut d = valid();
    d.o_d[1] = 101; // valid() has order 1 on day 101
    expect(
        err_of(&d, Some(a)),
        ErrorCode::DateAfterAsOf,
        Some(1),
        Some("date"),
        "orders",
    );
    let mut d = valid();
    d.o_d[1] = a;
    d.i_d[1] = a + 1;
    expect(
        err_of(&d, Some(a)),
        ErrorCode::DateAfterAsOf,
        Some(1),
        Some("date"),
        "interactions",
    );
    let mut d = valid();
    d.o_d[1] = a;
    d.r_d[0] = a + 1;
    expect(
        err_of(&d, Some(a)),
        ErrorCode::DateAfterAsOf,
        Some(0),
        Some("date"),
        "returns",
    );
    let mut d = valid();
    d.o_d[1] = a;
    d.p_d[1] = a + 30;
    expect(
        err_of(&d, Some(a)),
        ErrorCode::DateAfterAsOf,
        Some(1),
        Some("date"),
        "payments",
    );
    let mut d = valid();
    d.o_d[1] = a;
    d.created[1] = a + 1;
    expect(
        err_of(&d, Some(a)),
        ErrorCode::DateAfterAsOf,
        Some(1),
        Some("createdAt"),
        "customers",
    );
    // On asOf itself is fine.
    let mut d = valid();
    d.o_d[1] = a;
    assert!(derive_fields(&d.activity(Some(a))).is_ok());
}

#[test]
fn out_of_range_days_and_as_of_are_invalid_dates() {
    let (lo, hi) = day_bounds();
    let mut d = valid();
    d.i_d[0] = lo - 1;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidDate,
        Some(0),
        Some("date"),
        "interactions",
    );
    let mut d = valid();
    d.p_d[1] = hi + 1;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidDate,
        Some(1),
        Some("date"),
        "payments",
    );
    let mut d = valid();
    d.created[0] = i32::MIN + 1;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidDate,
        Some(0),
        Some("createdAt"),
        "customers",
    );
    let e = err_of(&valid(), Some(hi + 1));
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::InvalidDate, None, Some("asOf"))
    );
}

#[test]
fn optional_numbers_must_be_finite_and_not_negative() {
    for bad in [-0.5, f64::INFINITY, f64::NEG_INFINITY] {
        let mut d = valid();
        d.o_disc[1] = bad;
        expect(
            err_of(&d, None),
            ErrorCode::InvalidValue,
            Some(1),
            Some("discount"),
            "orders",
        );
        let mut d = valid();
        d.p_l[1] = bad;
        expect(
            err_of(&d, None),
            ErrorCode::InvalidValue,
            Some(1),
            Some("daysLate"),
            "payments",
        );
    }
    let mut d = valid();
    d.o_disc[0] = 5.0;
    d.p_l[0] = 0.0;
    assert!(derive_fields(&d.activity(None)).is_ok());
}

#[test]
fn customer_indices_must_be_below_the_given_count() {
    let d = valid();
    let mut act = d.activity(None);
    act.customer_count = Some(1);
    act.created_at = None;
    let e = derive_fields(&act).unwrap_err();
    expect(
        e,
        ErrorCode::InvalidCustomerId,
        Some(1),
        Some("customer"),
        "orders",
    );
    // createdAt longer than the count.
    let mut act = d.activity(None);
    act.customer_count = Some(1);
    let e = derive_fields(&act).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::LengthMismatch, Some("createdAt"))
    );
    // A larger count adds customers without activity.
    let mut act = d.activity(None);
    act.customer_count = Some(4);
    let f = derive_fields(&act).unwrap();
    assert_col(&f, "orderCount", &[1.0, 1.0, 0.0, 0.0]);
    assert_col(&f, "tenureDays", &[51.0, 41.0, NAN, NAN]);
}

#[test]
fn mismatched_column_lengths_are_rejected() {
    let mut d = valid();
    d.o_s.pop();
    let e = err_of(&d, None);
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::LengthMismatch, Some("orders"))
    );
    let mut d = valid();
    d.i_k.pop();
    assert_eq!(err_of(&d, None).code, ErrorCode::LengthMismatch);
    let mut d = valid();
    d.p_l.push(1.0);
    assert_eq!(err_of(&d, None).field.as_deref(), Some("payments"));
    let mut d = valid();
    d.r_d.pop();
    assert_eq!(err_of(&d, None).field.as_deref(), Some("returns"));
}

#[test]
fn the_first_error_in_reading_order_wins() {
    // A bad payment in row 0 and a bad order in row 1: orders are read first.
    let mut d = valid();
    d.p_a[0] = -1.0;
    d.o_a[1] = -1.0;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidAmount,
        Some(1),
        Some("amount"),
        "orders",
    );
    // Within a row: the date before the amount.
    let mut d = valid();
    d.o_a[0] = -1.0;
    d.o_d[0] = 500;
    expect(
        err_of(&d, Some(101)),
        ErrorCode::DateAfterAsOf,
        Some(0),
        Some("date"),
        "orders",
    );
    // An earlier row wins over an earlier field, also across a 4096-row block.
    let mut d = Data::default();
    for k in 0..10_000 {
        d.order(0, 100, 1.0, O::Completed);
        d.o_disc[k] = 1.0;
    }
    d.o_disc[9_000] = -1.0;
    d.o_a[9_001] = -1.0;
    d.o_a[5_000] = NAN;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidAmount,
        Some(5_000),
        Some("amount"),
        "orders",
    );
    d.o_a[5_000] = 1.0;
    expect(
        err_of(&d, None),
        ErrorCode::InvalidValue,
        Some(9_000),
        Some("discount"),
        "orders",
    );
    // createdAt (customers) comes before every table.
    let mut d = valid();
    d.o_a[0] = -1.0;
    d.created[1] = 200;
    expect(
        err_of(&d, Some(150)),
        ErrorCode::DateAfterAsOf,
        Some(1),
        Some("createdAt"),
        "customers",
    );
}

#[test]
fn empty_inputs_never_panic() {
    let e = derive_fields(&Activity::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyInput);
    let e = derive_fields(&Activity {
        as_of: Some(100),
        customer_count: Some(0),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyInput);
    let e = derive_fields(&Activity {
        created_at: Some(&[]),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyInput);
    // Customers without any activity: counts 0, the rest missing, no asOf needed.
    let f = derive_fields(&Activity {
        customer_count: Some(2),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(f.as_of, None);
    assert_col(&f, "orderCount", &[0.0, 0.0]);
    assert_col(&f, "tenureDays", &[NAN, NAN]);
    assert_col(&f, "daysSinceLastOrder", &[NAN, NAN]);
    // createdAt only: asOf is the latest createdAt.
    let created = [10, NO_DAY, 30];
    let f = derive_fields(&Activity {
        created_at: Some(&created),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(f.as_of, Some(30));
    assert_col(&f, "tenureDays", &[20.0, NAN, 0.0]);
    // Interactions only (no orders, no customers list).
    let (c, d, k) = ([3u32], [7], [K::Complaint]);
    let act = Activity {
        interactions: Interactions {
            customer: &c,
            day: &d,
            kind: &k,
            value: None,
        },
        ..Default::default()
    };
    let f = derive_fields(&act).unwrap();
    assert_col(&f, "complaintCount", &[0.0, 0.0, 0.0, 1.0]);
    assert_col(&f, "returnRate", &[NAN; 4]);
    let g = aggregate(&act).unwrap();
    let _ = &g;
    assert_eq!(g.customer_count, 4);
    assert_eq!(g.order(3), OrderStats::default());
    assert_eq!(g.interaction(3).count(K::Complaint), 1);
    assert_eq!(g.interaction(9), InteractionStats::default()); // out of range: empty, no panic
}

// ---------------------------------------------------------------------------------------
// Properties, against an independent, deliberately naive reference.

/// The generator's SplitMix64 (`crmscore::sample::Rng`), drawing below a bound.
struct Rng(crmscore::sample::Rng);
impl Rng {
    fn new(seed: u64) -> Self {
        Rng(crmscore::sample::Rng::new(seed))
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }
}

/// Random activity of `n` customers; amounts and values are multiples of 1/4 so every
/// sum is exact whatever the order of addition.
fn random_data(rng: &mut Rng, n: u32, rows: usize, a: i32) -> Data {
    let mut d = Data::default();
    let back = |rng: &mut Rng| rng.below(800) as i32;
    for _ in 0..rows {
        let c = rng.below(n as u64) as u32;
        d.order(
            c,
            a - back(rng),
            rng.below(4000) as f64 / 4.0,
            O::ALL[rng.below(4) as usize],
        );
        if rng.below(3) == 0 {
            let last = d.o_disc.len() - 1;
            d.o_disc[last] = rng.below(40) as f64 / 4.0;
        }
        let value = if rng.below(4) == 0 {
            NAN
        } else {
            rng.below(21) as f64 / 4.0
        };
        d.interaction(
            rng.below(n as u64) as u32,
            a - back(rng),
            K::ALL[rng.below(10) as usize],
            value,
        );
        if rng.below(2) == 0 {
            d.ret(
                rng.below(n as u64) as u32,
                a - back(rng),
                rng.below(100) as f64,
            );
        }
        let late = if rng.below(3) == 0 {
            NAN
        } else {
            rng.below(60) as f64 / 4.0
        };
        d.payment(
            rng.below(n as u64) as u32,
            a - back(rng),
            1.0,
            P::ALL[rng.below(4) as usize],
            late,
        );
    }
    d.created = (0..n)
        .map(|_| {
            if rng.below(2) == 0 {
                NO_DAY
            } else {
                a - back(rng)
            }
        })
        .collect();
    d
}

/// The definitions, read literally, one customer at a time.
fn reference(d: &Data, a: i32, n: usize) -> Vec<[f64; 13]> {
    let mut out = Vec::new();
    for c in 0..n as u32 {
        let orders: Vec<usize> = (0..d.o_c.len()).filter(|&i| d.o_c[i] == c).collect();
        let completed: Vec<usize> = orders
            .iter()
            .copied()
            .filter(|&i| d.o_s[i] == O::Completed)
            .collect();
        let returned = orders.iter().filter(|&&i| d.o_s[i] == O::Returned).count();
        let refused = orders.iter().filter(|&&i| d.o_s[i] == O::Refused).count();
        let total: f64 = completed.iter().map(|&i| d.o_a[i]).sum();
        let last365: f64 = completed
            .iter()
            .filter(|&&i| a - 365 < d.o_d[i] && d.o_d[i] <= a)
            .map(|&i| d.o_a[i])
            .sum();
        let aov = if completed.is_empty() {
            NAN
        } else {
            total / completed.len() as f64
        };
        let since = completed
            .iter()
            .map(|&i| d.o_d[i])
            .max()
            .map_or(NAN, |l| (a - l) as f64);
        let mut starts: Vec<i32> = orders.iter().map(|&i| d.o_d[i]).collect();
        if d.created[c as usize] != NO_DAY {
            starts.push(d.created[c as usize]);
        }
        let tenure = starts.iter().min().map_or(NAN, |&s| (a - s) as f64);
        let return_rows = d.r_c.iter().filter(|&&x| x == c).count();
        let purchased = completed.len() + returned;
        let rate = if purchased == 0 {
            NAN
        } else {
            ((returned + return_rows) as f64 / purchased as f64).min(1.0)
        };
        let inter: Vec<usize> = (0..d.i_c.len()).filter(|&i| d.i_c[i] == c).collect();
        let kind = |k: K| inter.iter().filter(|&&i| d.i_k[i] == k).count() as f64;
        let fb: Vec<f64> = inter
            .iter()
            .filter(|&&i| d.i_k[i] == K::Feedback && d.i_v[i].is_finite())
            .map(|&i| d.i_v[i])
            .collect();
        let avg_fb = if fb.is_empty() {
            NAN
        } else {
            fb.iter().sum::<f64>() / fb.len() as f64
        };
        let in90 = inter
            .iter()
            .filter(|&&i| a - 90 < d.i_d[i] && d.i_d[i] <= a)
            .count() as f64;
        let pays: Vec<usize> = (0..d.p_c.len()).filter(|&i| d.p_c[i] == c).collect();
        let mut delays = Vec::new();
        for &i in &pays {
            match (d.p_s[i], d.p_l[i].is_nan()) {
                (P::Paid, true) => delays.push(0.0),
                (P::Paid, false) | (P::Late, false) => delays.push(d.p_l[i]),
                _ => {}
            }
        }
        let delay = if delays.is_empty() {
            NAN
        } else {
            delays.iter().sum::<f64>() / delays.len() as f64
        };
        let defaults = pays
            .iter()
            .filter(|&&i| matches!(d.p_s[i], P::Failed | P::Chargeback))
            .count()
            + refused;
        out.push([
            completed.len() as f64,
            total,
            last365,
            aov,
            since,
            tenure,
            rate,
            kind(K::Complaint),
            avg_fb,
            in90,
            delay,
            defaults as f64,
            kind(K::Referral),
        ]);
    }
    out
}

fn rows_of(f: &DerivedFields) -> Vec<[f64; 13]> {
    let cols = f.columns();
    (0..f.len())
        .map(|i| std::array::from_fn(|k| cols[k].1[i]))
        .collect()
}

fn same_rows(got: &[[f64; 13]], want: &[[f64; 13]]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        // Means may differ from the reference in the last bit (sum then divide either way,
        // but the reference sums in another order); counts and sums of quarters are exact.
        for k in 0..13 {
            let ok = (g[k].is_nan() && w[k].is_nan()) || (g[k] - w[k]).abs() <= 1e-12 * w[k].abs();
            assert!(
                ok,
                "customer {i}, {}: got {}, want {}",
                FIELD_NAMES[k], g[k], w[k]
            );
        }
    }
}

/// Shuffle every table's rows with one permutation per table.
fn permuted(d: &Data, rng: &mut Rng) -> Data {
    fn perm(rng: &mut Rng, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            p.swap(i, rng.below(i as u64 + 1) as usize);
        }
        p
    }
    fn take<T: Copy>(v: &[T], p: &[usize]) -> Vec<T> {
        p.iter().map(|&i| v[i]).collect()
    }
    let (po, pi, pr, pp) = (
        perm(rng, d.o_c.len()),
        perm(rng, d.i_c.len()),
        perm(rng, d.r_c.len()),
        perm(rng, d.p_c.len()),
    );
    Data {
        o_c: take(&d.o_c, &po),
        o_d: take(&d.o_d, &po),
        o_a: take(&d.o_a, &po),
        o_s: take(&d.o_s, &po),
        o_disc: take(&d.o_disc, &po),
        i_c: take(&d.i_c, &pi),
        i_d: take(&d.i_d, &pi),
        i_k: take(&d.i_k, &pi),
        i_v: take(&d.i_v, &pi),
        r_c: take(&d.r_c, &pr),
        r_d: take(&d.r_d, &pr),
        r_a: take(&d.r_a, &pr),
        p_c: take(&d.p_c, &pp),
        p_d: take(&d.p_d, &pp),
        p_a: take(&d.p_a, &pp),
        p_s: take(&d.p_s, &pp),
        p_l: take(&d.p_l, &pp),
        created: d.created.clone(),
    }
}

#[test]
fn random_activity_matches_the_literal_definitions() {
    let a = day("2025-03-01");
    for seed in 1..=20u64 {
        let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let n = 1 + rng.below(40) as u32;
        let rows = 1 + rng.below(300) as usize;
        let d = random_data(&mut rng, n, rows, a);
        let f = derive_fields(&d.activity(Some(a))).unwrap();
        same_rows(&rows_of(&f), &reference(&d, a, n as usize));
    }
}

#[test]
fn permuting_input_rows_changes_nothing() {
    let a = day("2025-03-01");
    for seed in 1..=20u64 {
        let mut rng = Rng::new(seed.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let d = random_data(&mut rng, 25, 400, a);
        let p = permuted(&d, &mut rng);
        let x = derive_fields(&d.activity(None)).unwrap();
        let y = derive_fields(&p.activity(None)).unwrap();
        assert_eq!(x.as_of, y.as_of);
        // Quarter-unit amounts: sums are exact, so the results are bit-identical.
        assert_eq!(rows_of(&x).len(), rows_of(&y).len());
        for (g, w) in rows_of(&x).iter().zip(rows_of(&y)) {
            for k in 0..13 {
                assert!(
                    g[k].to_bits() == w[k].to_bits(),
                    "{}: {} vs {}",
                    FIELD_NAMES[k],
                    g[k],
                    w[k]
                );
            }
        }
    }
}

#[test]
fn large_block_validation_matches_row_by_row() {
    // Several 4096-row blocks; a single bad value anywhere is found at its exact row.
    let mut rng = Rng::new(77);
    let d = random_data(&mut rng, 500, 20_000, 30_000);
    assert!(derive_fields(&d.activity(Some(30_000))).is_ok());
    for &row in &[0usize, 4095, 4096, 12_345, 19_999] {
        let mut bad = d.clone();
        bad.p_l[row] = -2.0;
        expect(
            err_of(&bad, Some(30_000)),
            ErrorCode::InvalidValue,
            Some(row),
            Some("daysLate"),
            "payments",
        );
        let mut bad = d.clone();
        bad.i_d[row] = 30_001;
        expect(
            err_of(&bad, Some(30_000)),
            ErrorCode::DateAfterAsOf,
            Some(row),
            Some("date"),
            "interactions",
        );
    }
}

/// Timing, not a test: `cargo test --release --test activity_native -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_10m_orders() {
    let customers = 1_000_000u32;
    let rows = 10_000_000usize;
    let a = 20_000;
    let mut rng = Rng::new(12345);
    let mut d = Data::default();
    d.o_c = (0..rows)
        .map(|_| rng.below(customers as u64) as u32)
        .collect();
    d.o_d = (0..rows).map(|_| a - rng.below(1500) as i32).collect();
    d.o_a = (0..rows)
        .map(|_| rng.below(100_000) as f64 / 100.0)
        .collect();
    d.o_s = (0..rows)
        .map(|_| {
            if rng.below(10) == 0 {
                O::ALL[rng.below(4) as usize]
            } else {
                O::Completed
            }
        })
        .collect();
    d.o_disc = vec![NAN; rows];
    let m = rows / 4;
    d.i_c = (0..m).map(|_| rng.below(customers as u64) as u32).collect();
    d.i_d = (0..m).map(|_| a - rng.below(1500) as i32).collect();
    d.i_k = (0..m).map(|_| K::ALL[rng.below(10) as usize]).collect();
    d.i_v = (0..m).map(|_| rng.below(5) as f64 + 1.0).collect();
    d.p_c = (0..m).map(|_| rng.below(customers as u64) as u32).collect();
    d.p_d = (0..m).map(|_| a - rng.below(1500) as i32).collect();
    d.p_a = vec![10.0; m];
    d.p_s = (0..m).map(|_| P::ALL[rng.below(4) as usize]).collect();
    d.p_l = (0..m).map(|_| rng.below(30) as f64).collect();
    d.r_c = (0..m / 10)
        .map(|_| rng.below(customers as u64) as u32)
        .collect();
    d.r_d = (0..m / 10).map(|_| a - rng.below(1500) as i32).collect();
    d.r_a = vec![5.0; m / 10];
    let only_orders = Activity {
        orders: Orders {
            customer: &d.o_c,
            day: &d.o_d,
            amount: &d.o_a,
            status: Some(&d.o_s),
            discount: None,
        },
        ..Default::default()
    };
    for (label, act) in [
        ("10M orders only", only_orders),
        (
            "10M orders + 2.5M interactions + 2.5M payments + 250k returns",
            d.activity(None),
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let f = derive_fields(&act).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(f.len(), customers as usize);
        }
        times.sort_by(f64::total_cmp);
        let t = std::time::Instant::now();
        act.validate().unwrap();
        let v = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "{label}, {customers} customers: median {:.1} ms (min {:.1}, max {:.1}); validation alone {v:.1} ms",
            times[2], times[0], times[4]
        );
    }
}
