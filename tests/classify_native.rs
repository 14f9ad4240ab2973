//! Native tests of the classification core (src/classify.rs): every rule at its boundary
//! values (computed by hand in the comments), contact normalisation and duplicates, the
//! junk decision, churn-warning reasons, summary counts, errors, and a property test
//! (permuting the input rows changes no customer's result).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::field_reassign_with_default)]

use crmscore::activity::*;
use crmscore::classify::*;
use crmscore::dates::parse_day;
use crmscore::ErrorCode;

const NAN: f64 = f64::NAN;

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
    r_c: Vec<u32>,
    r_d: Vec<i32>,
    r_a: Vec<f64>,
    p_c: Vec<u32>,
    p_d: Vec<i32>,
    p_a: Vec<f64>,
    p_s: Vec<PaymentStatus>,
    created: Vec<i32>,
    count: Option<usize>,
}

impl Data {
    fn order_full(&mut self, c: u32, d: i32, a: f64, s: OrderStatus, disc: f64) -> &mut Self {
        self.o_c.push(c);
        self.o_d.push(d);
        self.o_a.push(a);
        self.o_s.push(s);
        self.o_disc.push(disc);
        self
    }
    /// A completed order of 100.
    fn buy(&mut self, c: u32, d: i32) -> &mut Self {
        self.order_full(c, d, 100.0, O::Completed, NAN)
    }
    fn order(&mut self, c: u32, d: i32, a: f64, s: OrderStatus) -> &mut Self {
        self.order_full(c, d, a, s, NAN)
    }
    fn touch(&mut self, c: u32, d: i32, k: InteractionKind) -> &mut Self {
        self.i_c.push(c);
        self.i_d.push(d);
        self.i_k.push(k);
        self
    }
    fn ret(&mut self, c: u32, d: i32) -> &mut Self {
        self.r_c.push(c);
        self.r_d.push(d);
        self.r_a.push(10.0);
        self
    }
    fn pay(&mut self, c: u32, d: i32, s: PaymentStatus) -> &mut Self {
        self.p_c.push(c);
        self.p_d.push(d);
        self.p_a.push(10.0);
        self.p_s.push(s);
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
                value: None,
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
                days_late: None,
            },
            created_at: (!self.created.is_empty()).then_some(&self.created[..]),
            customer_count: self.count,
            as_of,
        }
    }
    fn run(&self, as_of: i32) -> Classification {
        self.run_with(as_of, &ClassifyOptions::default())
    }
    fn run_with(&self, as_of: i32, o: &ClassifyOptions) -> Classification {
        classify(&self.activity(Some(as_of)), &Contacts::default(), o).unwrap()
    }
}

use InteractionKind as K;
use OrderStatus as O;
use PaymentStatus as P;

fn day(s: &str) -> i32 {
    parse_day(s).unwrap()
}

/// The analysis day of most tests.
fn a() -> i32 {
    day("2024-12-31")
}

fn lifecycles(r: &Classification) -> Vec<Lifecycle> {
    r.customers.iter().map(|c| c.lifecycle).collect()
}

fn codes(c: &CustomerClass) -> Vec<&'static str> {
    c.flags.iter().map(|f| f.code.name()).collect()
}

fn ev_num(c: &CustomerClass, code: FlagCode, key: &str) -> f64 {
    match c.flag(code).and_then(|f| f.get(key)) {
        Some(EvidenceValue::Num(x)) => *x,
        other => panic!("{}: evidence {key} = {other:?}", code.name()),
    }
}

fn ev_ids(c: &CustomerClass, code: FlagCode, key: &str) -> Vec<u32> {
    match c.flag(code).and_then(|f| f.get(key)) {
        Some(EvidenceValue::Customers(v)) => v.clone(),
        other => panic!("{}: evidence {key} = {other:?}", code.name()),
    }
}

fn ev_str(c: &CustomerClass, code: FlagCode, key: &str) -> String {
    match c.flag(code).and_then(|f| f.get(key)) {
        Some(EvidenceValue::Str(s)) => s.clone(),
        other => panic!("{}: evidence {key} = {other:?}", code.name()),
    }
}

// ---------------------------------------------------------------------------------------
// Lifecycle.

#[test]
fn lifecycle_new_days_boundary() {
    let a = a();
    let mut d = Data::default();
    // c0: first (only) order 89 days ago → new; c1: exactly 90 (= newDays) → not new:
    // recency 90 < atRiskDays 180 → active.
    d.buy(0, a - 89).buy(1, a - 90);
    assert_eq!(lifecycles(&d.run(a)), [Lifecycle::New, Lifecycle::Active]);
}

#[test]
fn lifecycle_at_risk_and_churn_boundaries() {
    let a = a();
    let mut d = Data::default();
    // Single orders (no rhythm): recency 365 = churnDays → churned; 364 → at risk;
    // 180 = atRiskDays → at risk; 179 → active.
    d.buy(0, a - 365)
        .buy(1, a - 364)
        .buy(2, a - 180)
        .buy(3, a - 179);
    let r = d.run(a);
    assert_eq!(
        lifecycles(&r),
        [
            Lifecycle::Churned,
            Lifecycle::AtRisk,
            Lifecycle::AtRisk,
            Lifecycle::Active
        ]
    );
    assert_eq!(r.customers[0].churn_risk, ChurnRisk::High);
    assert_eq!(r.customers[0].churn_reasons, [ChurnReason::Churned]);
    assert_eq!(
        r.customers[1].churn_risk,
        ChurnRisk::Low,
        "at risk by days alone is no early-warning reason"
    );
}

#[test]
fn lifecycle_rhythm_factor_boundary() {
    let a = a();
    let mut d = Data::default();
    // Gaps 10, 10 → median 10; churned when recency > 3 × 10 = 30, overdue when > 15.
    d.buy(0, a - 50).buy(0, a - 40).buy(0, a - 30); // recency 30: not churned, overdue → at risk
    d.buy(1, a - 51).buy(1, a - 41).buy(1, a - 31); // recency 31 → churned
    d.buy(2, a - 35).buy(2, a - 25).buy(2, a - 15); // recency 15 = 1.5 × 10: not overdue → new
    d.buy(3, a - 36).buy(3, a - 26).buy(3, a - 16); // recency 16 → at risk (overdue)
                                                    // Two order days only: no rhythm even though recency 100 > 3 × gap 10.
    d.buy(4, a - 110).buy(4, a - 100);
    // Same-day orders are one order day: days a−60 (×2), a−50 → 2 distinct days: no rhythm.
    d.buy(5, a - 60).buy(5, a - 60).buy(5, a - 50);
    // No floor (rhythmMinDays 0): the factor alone decides (the floor is tested below).
    let r = d.run_with(
        a,
        &ClassifyOptions {
            rhythm_min_days: 0,
            ..Default::default()
        },
    );
    assert_eq!(
        lifecycles(&r),
        [
            Lifecycle::AtRisk,
            Lifecycle::Churned,
            Lifecycle::New,
            Lifecycle::AtRisk,
            Lifecycle::Active,
            Lifecycle::New
        ]
    );
    assert_eq!(r.customers[0].churn_reasons, [ChurnReason::Overdue]);
    assert_eq!(r.customers[0].churn_risk, ChurnRisk::Medium);
    assert_eq!(r.customers[2].churn_reasons, []);
    assert_eq!(r.customers[3].churn_reasons, [ChurnReason::Overdue]);
    // c4's two orders (ages 110, 100) fall in the previous window, none in the recent one:
    // an activity decline, but not overdue (no rhythm).
    assert_eq!(r.customers[4].churn_reasons, [ChurnReason::ActivityDecline]);
}

#[test]
fn lifecycle_rhythm_options() {
    let a = a();
    let mut d = Data::default();
    d.buy(0, a - 50).buy(0, a - 40).buy(0, a - 30); // median 10, recency 30
                                                    // rhythmFactor 2.9 → 30 > 29 → churned (floor off); rhythmMinOrders 4 → no rhythm → new.
    let o = ClassifyOptions {
        rhythm_factor: 2.9,
        rhythm_min_days: 0,
        ..Default::default()
    };
    assert_eq!(lifecycles(&d.run_with(a, &o)), [Lifecycle::Churned]);
    // With the default floor (60) recency 30 is too short for rhythm churn: overdue → at risk.
    let o = ClassifyOptions {
        rhythm_factor: 2.9,
        ..Default::default()
    };
    assert_eq!(lifecycles(&d.run_with(a, &o)), [Lifecycle::AtRisk]);
    let o = ClassifyOptions {
        rhythm_min_orders: 4,
        ..Default::default()
    };
    assert_eq!(lifecycles(&d.run_with(a, &o)), [Lifecycle::New]);
}

#[test]
fn lifecycle_rhythm_min_days_floor() {
    let a = a();
    let mut d = Data::default();
    // c0: daily buyer (gaps 1), recency 4 > 3 × 1 but 4 < rhythmMinDays 60 → not churned;
    // overdue (4 > 1.5) → at risk, churn warning medium.
    for k in 4..=10 {
        d.buy(0, a - k);
    }
    // Weekly buyers (gaps 7, rhythm threshold 21): recency 59 → below the floor → at risk;
    // recency 60 = floor → churned; recency 66 → churned.
    d.buy(1, a - 73).buy(1, a - 66).buy(1, a - 59);
    d.buy(2, a - 74).buy(2, a - 67).buy(2, a - 60);
    d.buy(3, a - 80).buy(3, a - 73).buy(3, a - 66);
    // c4: monthly buyer (gaps 30): recency 91 > 90 and ≥ 60 → churned (floor irrelevant);
    // recency 90 would not be (c5).
    d.buy(4, a - 151).buy(4, a - 121).buy(4, a - 91);
    d.buy(5, a - 150).buy(5, a - 120).buy(5, a - 90);
    let r = d.run(a);
    use Lifecycle::*;
    assert_eq!(
        lifecycles(&r),
        [AtRisk, AtRisk, Churned, Churned, Churned, AtRisk]
    );
    assert_eq!(r.customers[0].churn_reasons, [ChurnReason::Overdue]);
    assert_eq!(r.customers[0].churn_risk, ChurnRisk::Medium);
    assert_eq!(r.customers[1].churn_reasons, [ChurnReason::Overdue]);
    assert_eq!(r.customers[2].churn_reasons, [ChurnReason::Churned]);
    assert_eq!(r.customers[2].churn_risk, ChurnRisk::High);
    // Floor 0: the old behaviour, every rhythm breach is churn.
    let o = ClassifyOptions {
        rhythm_min_days: 0,
        ..Default::default()
    };
    assert_eq!(
        lifecycles(&d.run_with(a, &o)),
        [Churned, Churned, Churned, Churned, Churned, AtRisk]
    );
    // Floor 61: c2 (recency 60) is no longer churned; c3 (66) still is.
    let o = ClassifyOptions {
        rhythm_min_days: 61,
        ..Default::default()
    };
    assert_eq!(
        lifecycles(&d.run_with(a, &o)),
        [AtRisk, AtRisk, AtRisk, Churned, Churned, AtRisk]
    );
    // Floor = churnDays (365): the rhythm never churns; the days rule still does.
    let o = ClassifyOptions {
        rhythm_min_days: 365,
        ..Default::default()
    };
    assert_eq!(lifecycles(&d.run_with(a, &o)), [AtRisk; 6]);
    let mut e = Data::default();
    e.buy(0, a - 400).buy(0, a - 399).buy(0, a - 398);
    assert_eq!(lifecycles(&e.run_with(a, &o)), [Churned]);
}

#[test]
fn lifecycle_reactivated() {
    let a = a();
    let mut d = Data::default();
    d.buy(0, a - 454).buy(0, a - 89); // gap 365 = churnDays, recency 89 < 90 → reactivated
    d.buy(1, a - 453).buy(1, a - 89); // gap 364 → active (first order 453 days ago)
    d.buy(2, a - 500).buy(2, a - 90); // gap 410 but comeback 90 days ago → active
    d.buy(3, a - 2000).buy(3, a - 1500).buy(3, a - 10); // comeback after 1490 days
    let r = d.run(a);
    assert_eq!(
        lifecycles(&r),
        [
            Lifecycle::Reactivated,
            Lifecycle::Active,
            Lifecycle::Active,
            Lifecycle::Reactivated
        ]
    );
}

#[test]
fn lifecycle_counts_completed_orders_only() {
    let a = a();
    let mut d = Data::default();
    d.order(0, a - 10, 50.0, O::Cancelled)
        .order(0, a - 5, 50.0, O::Refused)
        .order(0, a - 4, 50.0, O::Returned);
    d.order(1, a - 400, 80.0, O::Completed)
        .order(1, a - 10, 80.0, O::Cancelled);
    let r = d.run(a);
    assert_eq!(lifecycles(&r), [Lifecycle::Prospect, Lifecycle::Churned]);
    assert_eq!(r.customers[0].lead_stage, LeadStage::Target);
    assert_eq!(r.customers[0].value_class, ValueClass::Low);
}

// ---------------------------------------------------------------------------------------
// Lead stage, value class, loyalty.

#[test]
fn lead_stages() {
    let a = a();
    let mut d = Data::default();
    d.created = vec![a - 10; 6];
    // c0 nothing → potential; c1 a quote → target; c2 one order → won;
    // c3 loyal (4 orders over 200 days, every 50 days, last 50 days ago) → loyal;
    // c4 churned; c5 complaint only → target.
    d.touch(1, a - 3, K::Quote);
    d.buy(2, a - 5);
    d.buy(3, a - 200)
        .buy(3, a - 150)
        .buy(3, a - 100)
        .buy(3, a - 50);
    d.buy(4, a - 400);
    d.touch(5, a - 3, K::Complaint);
    let r = d.run(a);
    let got: Vec<LeadStage> = r.customers.iter().map(|c| c.lead_stage).collect();
    use LeadStage::*;
    assert_eq!(got, [Potential, Target, Won, Loyal, Churned, Target]);
}

#[test]
fn value_class_pareto_cutoffs() {
    let a = a();
    let mut d = Data::default();
    // Revenues 50, 30, 10, 5, 5, 0 (total 100). above(c): 0 → high; 50 → high (< 80);
    // 80 → mid (not < 80, < 95); the two 5s: 90 → mid both (ties share a class); 0 → low.
    for (c, x) in [(0, 50.0), (1, 30.0), (2, 10.0), (3, 5.0), (4, 5.0)] {
        d.order(c, a - 1, x, O::Completed);
    }
    d.order(5, a - 1, 999.0, O::Cancelled);
    let r = d.run(a);
    let got: Vec<ValueClass> = r.customers.iter().map(|c| c.value_class).collect();
    use ValueClass::*;
    assert_eq!(got, [High, High, Mid, Mid, Mid, Low]);
    // midValueShare 0.9: above 90 is no longer < 90 → the 5s are low.
    let o = ClassifyOptions {
        mid_value_share: 0.9,
        ..Default::default()
    };
    let got: Vec<ValueClass> = d
        .run_with(a, &o)
        .customers
        .iter()
        .map(|c| c.value_class)
        .collect();
    assert_eq!(got, [High, High, Mid, Low, Low, Low]);
}

#[test]
fn value_class_ties_across_the_cut() {
    let a = a();
    let mut d = Data::default();
    // 40, 40, 20: both 40s have above = 0 → high; 20 has above 80 → mid.
    d.order(0, a, 40.0, O::Completed)
        .order(1, a, 40.0, O::Completed)
        .order(2, a, 20.0, O::Completed);
    let got: Vec<ValueClass> = d.run(a).customers.iter().map(|c| c.value_class).collect();
    assert_eq!(got, [ValueClass::High, ValueClass::High, ValueClass::Mid]);
}

#[test]
fn loyalty_rules() {
    let a = a();
    let mut d = Data::default();
    // c0: 3 orders a−180, a−120, a−60: median 60, recency 60 (≤ 90) → active, tenure 180 → loyal.
    d.buy(0, a - 180).buy(0, a - 120).buy(0, a - 60);
    // c1: same one day later: tenure 179 → neutral.
    d.buy(1, a - 179).buy(1, a - 119).buy(1, a - 59);
    // c2: 2 orders a−200, a−50 → active, only 2 orders → neutral.
    d.buy(2, a - 200).buy(2, a - 50);
    // c3: churned → disloyal.
    d.buy(3, a - 400);
    // c4: like c0 plus 3 complaints → neutral (not loyal).
    d.buy(4, a - 180).buy(4, a - 120).buy(4, a - 60);
    d.touch(4, a - 1, K::Complaint)
        .touch(4, a - 2, K::Complaint)
        .touch(4, a - 3, K::Complaint);
    // c5: like c0 plus 3 returns rows → return rate 1 → disloyal.
    d.buy(5, a - 180).buy(5, a - 120).buy(5, a - 60);
    d.ret(5, a - 5).ret(5, a - 5).ret(5, a - 5);
    let r = d.run(a);
    let got: Vec<Loyalty> = r.customers.iter().map(|c| c.loyalty).collect();
    use Loyalty::*;
    assert_eq!(got, [Loyal, Neutral, Neutral, Disloyal, Neutral, Disloyal]);
    assert_eq!(r.customers[0].lead_stage, LeadStage::Loyal);
    assert_eq!(r.customers[1].lead_stage, LeadStage::Won);
}

// ---------------------------------------------------------------------------------------
// Flags.

#[test]
fn high_return_rate_boundary() {
    let a = a();
    let mut d = Data::default();
    d.buy(0, a - 9).order(0, a - 8, 100.0, O::Returned); // 1 / 2 = 0.5 → flag
    d.order(1, a - 8, 100.0, O::Returned); // 1 / 1 but only 1 purchase → no flag
    d.buy(2, a - 9)
        .buy(2, a - 7)
        .order(2, a - 8, 100.0, O::Returned); // 1 / 3 → no
    d.buy(3, a - 9).buy(3, a - 7).ret(3, a - 6); // returns rows count: 1 / 2 → flag
    d.buy(4, a - 9)
        .ret(4, a - 6)
        .ret(4, a - 5)
        .ret(4, a - 4)
        .buy(4, a - 3); // 3 / 2 → capped 1
    let r = d.run(a);
    let has: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.has(FlagCode::HighReturnRate))
        .collect();
    assert_eq!(has, [true, false, false, true, true]);
    let c = &r.customers[0];
    assert_eq!(ev_num(c, FlagCode::HighReturnRate, "returnRate"), 0.5);
    assert_eq!(ev_num(c, FlagCode::HighReturnRate, "returned"), 1.0);
    assert_eq!(ev_num(c, FlagCode::HighReturnRate, "purchased"), 2.0);
    assert_eq!(
        ev_num(&r.customers[4], FlagCode::HighReturnRate, "returnRate"),
        1.0
    );
    assert_eq!(
        c.flag(FlagCode::HighReturnRate).unwrap().severity,
        Severity::Warning
    );
    // returnMinPurchases 1 → c1 flagged too.
    let o = ClassifyOptions {
        return_min_purchases: 1,
        ..Default::default()
    };
    assert!(d.run_with(a, &o).customers[1].has(FlagCode::HighReturnRate));
}

#[test]
fn one_time_low_value_boundary() {
    let a = a();
    let mut d = Data::default();
    d.order(0, a - 90, 49.99, O::Completed); // 1 order < 50, 90 days old → flag
    d.order(1, a - 90, 50.0, O::Completed); // not below 50 → no
    d.order(2, a - 89, 10.0, O::Completed); // still new → no
    d.order(3, a - 200, 10.0, O::Completed)
        .order(3, a - 100, 10.0, O::Completed); // 2 orders → no
    d.order(4, a - 300, 10.0, O::Completed)
        .order(4, a - 100, 10.0, O::Cancelled); // 1 completed → flag
    let r = d.run(a);
    let has: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.has(FlagCode::OneTimeLowValue))
        .collect();
    assert_eq!(has, [true, false, false, false, true]);
    let c = &r.customers[0];
    assert_eq!(ev_num(c, FlagCode::OneTimeLowValue, "amount"), 49.99);
    assert_eq!(ev_num(c, FlagCode::OneTimeLowValue, "daysSinceOrder"), 90.0);
    assert_eq!(ev_num(c, FlagCode::OneTimeLowValue, "orderCount"), 1.0);
}

#[test]
fn no_activity_boundary() {
    let a = a();
    let mut d = Data::default();
    d.created = vec![NO_DAY, NO_DAY, a - 365, a - 364, NO_DAY, NO_DAY];
    d.order(0, a - 365, 10.0, O::Cancelled); // last event 365 days ago → flag
    d.touch(1, a - 364, K::Email); // 364 → no
                                   // c2: nothing, created 365 days ago → flag ("never"); c3: created 364 days ago → no;
                                   // c4: nothing, no createdAt → flag; c5: only a payment 10 days ago (not an event) → flag.
    d.pay(5, a - 10, P::Paid);
    let r = d.run(a);
    let has: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.has(FlagCode::NoActivity))
        .collect();
    assert_eq!(has, [true, false, true, false, true, true]);
    assert_eq!(
        ev_num(
            &r.customers[0],
            FlagCode::NoActivity,
            "daysSinceLastActivity"
        ),
        365.0
    );
    assert_eq!(
        ev_str(&r.customers[2], FlagCode::NoActivity, "lastActivity"),
        "never"
    );
    assert_eq!(
        ev_num(&r.customers[2], FlagCode::NoActivity, "daysSinceCreated"),
        365.0
    );
    assert!(r.customers[4]
        .flag(FlagCode::NoActivity)
        .unwrap()
        .get("daysSinceCreated")
        .is_none());
}

#[test]
fn repeated_complaints_boundary() {
    let a = a();
    let mut d = Data::default();
    d.touch(0, a - 1, K::Complaint)
        .touch(0, a - 2, K::Complaint)
        .touch(0, a - 3, K::Feedback);
    d.touch(1, a - 1, K::Complaint)
        .touch(1, a - 2, K::Complaint)
        .touch(1, a - 3, K::Complaint);
    let r = d.run(a);
    assert!(!r.customers[0].has(FlagCode::RepeatedComplaints));
    assert!(r.customers[1].has(FlagCode::RepeatedComplaints));
    assert_eq!(
        ev_num(&r.customers[1], FlagCode::RepeatedComplaints, "complaints"),
        3.0
    );
}

#[test]
fn payment_failures_boundary_and_critical() {
    let a = a();
    let mut d = Data::default();
    d.pay(0, a - 1, P::Failed)
        .pay(0, a - 2, P::Late)
        .pay(0, a - 3, P::Paid); // 1 → no
    d.pay(1, a - 1, P::Failed).order(1, a - 2, 30.0, O::Refused); // failed + refused = 2 → flag
    d.pay(2, a - 1, P::Chargeback).pay(2, a - 2, P::Failed); // 2 → flag
    d.buy(3, a - 1);
    let r = d.run(a);
    let has: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.has(FlagCode::PaymentFailures))
        .collect();
    assert_eq!(has, [false, true, true, false]);
    let c = &r.customers[1];
    assert_eq!(
        c.flag(FlagCode::PaymentFailures).unwrap().severity,
        Severity::Critical
    );
    assert_eq!(ev_num(c, FlagCode::PaymentFailures, "failed"), 1.0);
    assert_eq!(ev_num(c, FlagCode::PaymentFailures, "refused"), 1.0);
    assert_eq!(ev_num(c, FlagCode::PaymentFailures, "total"), 2.0);
    assert!(c.junk, "a critical flag alone makes junk");
    assert!(!r.customers[0].junk);
}

#[test]
fn price_sensitive_share() {
    let a = a();
    let mut d = Data::default();
    d.order_full(0, a - 1, 10.0, O::Completed, 2.0)
        .order_full(0, a - 2, 10.0, O::Completed, NAN); // 1/2 → flag
    d.order_full(1, a - 1, 10.0, O::Completed, 2.0); // 1 order → no
    d.order_full(2, a - 1, 10.0, O::Completed, 2.0)
        .buy(2, a - 2)
        .buy(2, a - 3); // 1/3 → no
    d.order_full(3, a - 1, 10.0, O::Completed, 0.0)
        .order_full(3, a - 2, 10.0, O::Completed, 0.0); // 0 → no
    d.order_full(4, a - 1, 10.0, O::Returned, 5.0)
        .order_full(4, a - 2, 10.0, O::Completed, 5.0)
        .buy(4, a - 3); // 1/2 completed
    let r = d.run(a);
    let has: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.has(FlagCode::PriceSensitive))
        .collect();
    assert_eq!(has, [true, false, false, false, true]);
    let c = &r.customers[0];
    assert_eq!(
        c.flag(FlagCode::PriceSensitive).unwrap().severity,
        Severity::Info
    );
    assert_eq!(ev_num(c, FlagCode::PriceSensitive, "discountShare"), 0.5);
    assert_eq!(ev_num(c, FlagCode::PriceSensitive, "discountedOrders"), 1.0);
}

// ---------------------------------------------------------------------------------------
// Contacts.

#[test]
fn email_validity_examples() {
    for ok in [
        "a@b.co",
        "john.doe+tag@example.com",
        "x_y-z@mail.example.cn",
        "o'neil@ex-ample.org",
    ] {
        assert!(email_is_valid(ok), "{ok} should be valid");
    }
    for bad in [
        "",
        "plain",
        "a@b",
        "@b.com",
        "a@",
        "a@@b.com",
        "a@b@c.com",
        "a..b@c.com",
        ".a@b.com",
        "a.@b.com",
        "a@-b.com",
        "a@b-.com",
        "a@b..com",
        "a@b.c",
        "a@b.c0m",
        "a b@c.com",
        "张三@example.com",
        "a@例子.中国",
    ] {
        assert!(!email_is_valid(bad), "{bad:?} should be invalid");
    }
    assert_eq!(
        normalize_email("  John.Doe@Example.COM "),
        "john.doe@example.com"
    );
    assert!(email_is_valid(&normalize_email("  John.Doe@Example.COM ")));
}

#[test]
fn phone_normalisation_examples() {
    let cn = Some("13800138000".to_string());
    for s in [
        "138 0013 8000",
        "+86 13800138000",
        "+86 138-0013-8000",
        "0086 138 0013 8000",
        "8613800138000",
        " 13800138000 ",
    ] {
        assert_eq!(normalize_phone(s), cn, "{s}");
    }
    assert_eq!(
        normalize_phone("+1 202 555 0100"),
        Some("12025550100".into())
    );
    assert_eq!(
        normalize_phone("(010) 6552-9988"),
        Some("01065529988".into())
    );
    assert_eq!(normalize_phone("030 1234567"), Some("0301234567".into()));
    assert_eq!(normalize_phone("1234567"), Some("1234567".into())); // 7 digits: shortest accepted
    assert_eq!(normalize_phone("13333333333"), Some("13333333333".into()));
    for bad in [
        "123456",           // 6 digits
        "1234567890123456", // 16 digits
        "12345678901",      // 11 digits starting 12: not a Chinese mobile
        "+86 12345678901",  // same after the country code
        "11111111111",      // repeated digit
        "0000000",          // repeated digit
        "1380013800a",      // a letter
        "138/0013/8000",    // a slash
        "13800+138000",     // + not leading
        "+",
    ] {
        assert_eq!(normalize_phone(bad), None, "{bad:?} should be invalid");
    }
}

#[test]
fn invalid_contact_flags_and_blanks() {
    let a = a();
    let mut d = Data::default();
    d.count = Some(4);
    let email = [Some("bad"), Some("   "), None, Some("ok@example.com")];
    let phone = [Some("12345"), None, Some(""), Some("138 0013 8000")];
    let contacts = Contacts {
        email: Some(&email),
        phone: Some(&phone),
    };
    let r = classify(&d.activity(Some(a)), &contacts, &ClassifyOptions::default()).unwrap();
    assert!(r.customers[0].has(FlagCode::InvalidEmail));
    assert!(r.customers[0].has(FlagCode::InvalidPhone));
    assert_eq!(
        ev_str(&r.customers[0], FlagCode::InvalidEmail, "email"),
        "bad"
    );
    assert_eq!(
        ev_str(&r.customers[0], FlagCode::InvalidPhone, "phone"),
        "12345"
    );
    // Blank or missing contact data is not invalid.
    for c in &r.customers[1..] {
        assert!(
            !c.has(FlagCode::InvalidEmail) && !c.has(FlagCode::InvalidPhone),
            "{:?}",
            codes(c)
        );
    }
}

#[test]
fn duplicate_contact_evidence() {
    let a = a();
    let mut d = Data::default();
    d.count = Some(8);
    let email = [
        Some("A@x.com"),
        Some(" a@x.com "),
        Some("a@x.com"),
        None,
        None,
        Some("bad"),
        Some("bad"),
        Some("b@x.com"),
    ];
    let phone = [
        None,
        None,
        None,
        Some("138 0013 8000"),
        Some("+86 13800138000"),
        Some("123"),
        Some("123"),
        Some("13800138000"),
    ];
    let contacts = Contacts {
        email: Some(&email),
        phone: Some(&phone),
    };
    let r = classify(&d.activity(Some(a)), &contacts, &ClassifyOptions::default()).unwrap();
    let c0 = &r.customers[0];
    assert_eq!(
        ev_num(c0, FlagCode::DuplicateContact, "duplicateEmailCount"),
        2.0
    );
    assert_eq!(
        ev_ids(c0, FlagCode::DuplicateContact, "duplicateEmailOf"),
        vec![1, 2]
    );
    assert_eq!(
        ev_ids(
            &r.customers[2],
            FlagCode::DuplicateContact,
            "duplicateEmailOf"
        ),
        vec![0, 1]
    );
    assert_eq!(
        ev_ids(
            &r.customers[3],
            FlagCode::DuplicateContact,
            "duplicatePhoneOf"
        ),
        vec![4, 7]
    );
    // The sentence is rendered from the typed evidence (the core names indices).
    assert_eq!(
        c0.flag(FlagCode::DuplicateContact).unwrap().reason,
        "email shared with 2 other customer(s) (1, 2)"
    );
    // c7: distinct email, duplicate phone → only phone evidence.
    let f7 = r.customers[7].flag(FlagCode::DuplicateContact).unwrap();
    assert!(f7.get("duplicateEmailOf").is_none());
    assert_eq!(
        ev_ids(
            &r.customers[7],
            FlagCode::DuplicateContact,
            "duplicatePhoneOf"
        ),
        vec![3, 4]
    );
    // Invalid values are never duplicates (they are flagged invalid instead).
    assert!(!r.customers[5].has(FlagCode::DuplicateContact));
    assert!(
        r.customers[5].has(FlagCode::InvalidEmail) && r.customers[5].has(FlagCode::InvalidPhone)
    );
    // The evidence list is capped, the count is not.
    let o = ClassifyOptions {
        max_duplicate_evidence: 1,
        ..Default::default()
    };
    let r = classify(&d.activity(Some(a)), &contacts, &o).unwrap();
    assert_eq!(
        ev_ids(
            &r.customers[0],
            FlagCode::DuplicateContact,
            "duplicateEmailOf"
        ),
        vec![1]
    );
    assert_eq!(
        ev_num(
            &r.customers[0],
            FlagCode::DuplicateContact,
            "duplicateEmailCount"
        ),
        2.0
    );
    assert_eq!(r.summary.flags[FlagCode::DuplicateContact as usize], 6);
}

// ---------------------------------------------------------------------------------------
// Junk decision.

#[test]
fn junk_by_critical_or_warning_count() {
    let a = a();
    let mut d = Data::default();
    d.count = Some(4);
    d.buy(0, a - 1).buy(1, a - 1).buy(2, a - 1).buy(3, a - 1);
    // c0: 3 complaints → 1 warning → not junk.
    d.touch(0, a - 1, K::Complaint)
        .touch(0, a - 2, K::Complaint)
        .touch(0, a - 3, K::Complaint);
    // c1: 3 complaints + invalid email → 2 warnings → junk.
    d.touch(1, a - 1, K::Complaint)
        .touch(1, a - 2, K::Complaint)
        .touch(1, a - 3, K::Complaint);
    // c2: price sensitive (info) + invalid email (warning) → not junk.
    d.order_full(2, a - 2, 10.0, O::Completed, 1.0)
        .order_full(2, a - 3, 10.0, O::Completed, 1.0);
    let email = [None, Some("nope"), Some("nope@"), None];
    let contacts = Contacts {
        email: Some(&email),
        phone: None,
    };
    let run = |o: &ClassifyOptions| classify(&d.activity(Some(a)), &contacts, o).unwrap();
    let r = run(&ClassifyOptions::default());
    let junk: Vec<bool> = r.customers.iter().map(|c| c.junk).collect();
    assert_eq!(junk, [false, true, false, false]);
    assert_eq!(
        codes(&r.customers[1]),
        ["repeated_complaints", "invalid_email"]
    );
    assert_eq!(codes(&r.customers[2]), ["invalid_email", "price_sensitive"]);
    assert_eq!(r.summary.junk, 1);
    // junkWarnings 1 → any warning is junk; 3 → c1 no longer.
    let junk1: Vec<bool> = run(&ClassifyOptions {
        junk_warnings: 1,
        ..Default::default()
    })
    .customers
    .iter()
    .map(|c| c.junk)
    .collect();
    assert_eq!(junk1, [true, true, true, false]);
    let junk3: Vec<bool> = run(&ClassifyOptions {
        junk_warnings: 3,
        ..Default::default()
    })
    .customers
    .iter()
    .map(|c| c.junk)
    .collect();
    assert_eq!(junk3, [false, false, false, false]);
}

// ---------------------------------------------------------------------------------------
// Churn warning.

#[test]
fn activity_decline_windows() {
    let a = a();
    let mut d = Data::default();
    d.count = Some(6);
    // Windows (90): recent = age < 90, previous = 90 ≤ age < 180.
    d.touch(0, a - 100, K::Call)
        .touch(0, a - 120, K::Visit)
        .touch(0, a - 10, K::Call); // prev 2, recent 1 → fires
    d.touch(1, a - 100, K::Call)
        .touch(1, a - 120, K::Call)
        .touch(1, a - 10, K::Call)
        .touch(1, a - 11, K::Call); // 2 vs 2 → no
    d.touch(2, a - 100, K::Call); // prev 1 < min 2 → no
    d.touch(3, a - 90, K::Call)
        .order(3, a - 179, 5.0, O::Cancelled); // prev 2 (edges), recent 0 → fires
    d.touch(4, a - 89, K::Call).touch(4, a - 180, K::Call); // recent 1, prev 0 → no
                                                            // c5: prev 4 (orders + interactions), recent 2 = 0.5 × 4 → fires; also overdue → high.
    d.buy(5, a - 170)
        .buy(5, a - 160)
        .buy(5, a - 150)
        .touch(5, a - 100, K::Meeting);
    d.touch(5, a - 10, K::Call).touch(5, a - 20, K::Call);
    let r = d.run(a);
    let fired: Vec<bool> = r
        .customers
        .iter()
        .map(|c| c.churn_reasons.contains(&ChurnReason::ActivityDecline))
        .collect();
    assert_eq!(fired, [true, false, false, true, false, true]);
    assert_eq!(r.customers[0].churn_risk, ChurnRisk::Medium);
    // c5: median gap 10, recency 150 > 30 → churned by rhythm → reasons churned + decline.
    assert_eq!(
        r.customers[5].churn_reasons,
        [ChurnReason::Churned, ChurnReason::ActivityDecline]
    );
    assert_eq!(r.customers[5].churn_risk, ChurnRisk::High);
}

#[test]
fn overdue_and_decline_make_high_risk() {
    let a = a();
    let mut d = Data::default();
    // Orders every 40 days: a−200, a−160, a−120, a−80 → median 40, recency 80: overdue
    // (> 60), not churned (≤ 120). Events: recent (age < 90) 1, previous (90..180) 2 → decline.
    d.buy(0, a - 200)
        .buy(0, a - 160)
        .buy(0, a - 120)
        .buy(0, a - 80);
    let r = d.run(a);
    let c = &r.customers[0];
    assert_eq!(c.lifecycle, Lifecycle::AtRisk);
    assert_eq!(
        c.churn_reasons,
        [ChurnReason::Overdue, ChurnReason::ActivityDecline]
    );
    assert_eq!(c.churn_risk, ChurnRisk::High);
}

// ---------------------------------------------------------------------------------------
// Summary.

#[test]
fn summary_counts() {
    let a = a();
    let mut d = Data::default();
    d.count = Some(5);
    d.buy(0, a - 10); // new, won, high (revenue 100 of 400 … see below), neutral
    d.buy(1, a - 400); // churned, no_activity
    d.order(2, a - 100, 200.0, O::Completed)
        .touch(2, a - 1, K::Complaint); // active
    d.touch(3, a - 1, K::Quote); // prospect, target
                                 // c4: nothing, no createdAt → prospect, potential, no_activity.
    let r = d.run(a);
    let s = &r.summary;
    // Revenues: c2 200, c0 100, c1 100 (total 400). c2: above 0 → high; c0/c1: above 200 → high.
    assert_eq!(s.lifecycle, [2, 1, 1, 0, 1, 0]); // prospect, new, active, atRisk, churned, reactivated
    assert_eq!(s.lead_stage, [1, 1, 2, 1, 0]); // potential, target, won, churned, loyal
    assert_eq!(s.value_class, [3, 0, 2]);
    assert_eq!(s.loyalty, [0, 4, 1]);
    assert_eq!(s.churn_risk, [4, 0, 1]);
    assert_eq!(s.junk, 0);
    let mut flags = [0; FlagCode::COUNT];
    flags[FlagCode::NoActivity as usize] = 2; // c1 (last event 400 days ago) and c4 (never)
    assert_eq!(s.flags, flags);
    // Counts add up to the number of customers.
    assert_eq!(s.lifecycle.iter().sum::<usize>(), 5);
    assert_eq!(r.customers.len(), 5);
}

// ---------------------------------------------------------------------------------------
// Errors and empty inputs.

#[test]
fn invalid_options_are_typed_errors() {
    let a = a();
    let mut d = Data::default();
    d.buy(0, a);
    let cases: Vec<(ClassifyOptions, &str)> = vec![
        (
            ClassifyOptions {
                new_days: -1,
                ..Default::default()
            },
            "newDays",
        ),
        (
            ClassifyOptions {
                new_days: 0,
                ..Default::default()
            },
            "newDays",
        ),
        (
            ClassifyOptions {
                churn_days: 100,
                ..Default::default()
            },
            "atRiskDays",
        ),
        (
            ClassifyOptions {
                rhythm_factor: NAN,
                ..Default::default()
            },
            "rhythmFactor",
        ),
        (
            ClassifyOptions {
                rhythm_factor: 1.2,
                ..Default::default()
            },
            "rhythmFactor",
        ),
        (
            ClassifyOptions {
                overdue_factor: 1.0,
                ..Default::default()
            },
            "overdueFactor",
        ),
        (
            ClassifyOptions {
                rhythm_min_orders: 1,
                ..Default::default()
            },
            "rhythmMinOrders",
        ),
        (
            ClassifyOptions {
                rhythm_min_days: -1,
                ..Default::default()
            },
            "rhythmMinDays",
        ),
        (
            ClassifyOptions {
                rhythm_min_days: MAX_WINDOW_DAYS + 1,
                ..Default::default()
            },
            "rhythmMinDays",
        ),
        (
            ClassifyOptions {
                high_value_share: 0.0,
                ..Default::default()
            },
            "highValueShare",
        ),
        (
            ClassifyOptions {
                mid_value_share: 0.7,
                ..Default::default()
            },
            "midValueShare",
        ),
        (
            ClassifyOptions {
                high_return_rate: 1.5,
                ..Default::default()
            },
            "highReturnRate",
        ),
        (
            ClassifyOptions {
                one_time_amount: -1.0,
                ..Default::default()
            },
            "oneTimeAmount",
        ),
        (
            ClassifyOptions {
                one_time_amount: f64::INFINITY,
                ..Default::default()
            },
            "oneTimeAmount",
        ),
        (
            ClassifyOptions {
                no_activity_days: i32::MAX,
                ..Default::default()
            },
            "noActivityDays",
        ),
        (
            ClassifyOptions {
                complaint_count: 0,
                ..Default::default()
            },
            "complaintCount",
        ),
        (
            ClassifyOptions {
                junk_warnings: 0,
                ..Default::default()
            },
            "junkWarnings",
        ),
        (
            ClassifyOptions {
                decline_share: NAN,
                ..Default::default()
            },
            "declineShare",
        ),
        (
            ClassifyOptions {
                loyal_min_tenure_days: -5,
                ..Default::default()
            },
            "loyalMinTenureDays",
        ),
        (
            ClassifyOptions {
                max_duplicate_evidence: 0,
                ..Default::default()
            },
            "maxDuplicateEvidence",
        ),
    ];
    for (o, field) in cases {
        let e = classify(&d.activity(Some(a)), &Contacts::default(), &o).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOption, "{field}: {e}");
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.row, None);
    }
    assert!(ClassifyOptions::default().validate().is_ok());
}

#[test]
fn defaulted_options_give_way_to_given_ones() {
    // Each given option alone is valid, but clashed with the other's default before.
    let fit = |mut o: ClassifyOptions, given: &[&str]| {
        o.fit_defaults(|k| given.contains(&k));
        o.validate().map(|_| o)
    };
    let o = fit(
        ClassifyOptions {
            churn_days: 100,
            ..Default::default()
        },
        &["churnDays"],
    )
    .unwrap();
    assert_eq!((o.at_risk_days, o.churn_days), (50, 100));
    let o = fit(
        ClassifyOptions {
            at_risk_days: 400,
            ..Default::default()
        },
        &["atRiskDays"],
    )
    .unwrap();
    assert_eq!((o.at_risk_days, o.churn_days), (400, 800));
    let o = fit(
        ClassifyOptions {
            overdue_factor: 4.0,
            ..Default::default()
        },
        &["overdueFactor"],
    )
    .unwrap();
    assert_eq!((o.overdue_factor, o.rhythm_factor), (4.0, 8.0));
    let o = fit(
        ClassifyOptions {
            rhythm_factor: 1.2,
            ..Default::default()
        },
        &["rhythmFactor"],
    )
    .unwrap();
    assert!((o.overdue_factor - 1.1).abs() < 1e-12 && o.rhythm_factor == 1.2);
    let o = fit(
        ClassifyOptions {
            high_value_share: 0.98,
            ..Default::default()
        },
        &["highValueShare"],
    )
    .unwrap();
    assert!((o.mid_value_share - 0.995).abs() < 1e-12);
    let o = fit(
        ClassifyOptions {
            mid_value_share: 0.5,
            ..Default::default()
        },
        &["midValueShare"],
    )
    .unwrap();
    assert!((o.high_value_share - 0.5 * 0.8 / 0.95).abs() < 1e-12);
    // Two given options that contradict each other still fail, naming the dependent one.
    let e = fit(
        ClassifyOptions {
            churn_days: 100,
            at_risk_days: 150,
            ..Default::default()
        },
        &["churnDays", "atRiskDays"],
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("atRiskDays"));
    // Defaults that already fit are left alone.
    let o = fit(
        ClassifyOptions {
            churn_days: 200,
            ..Default::default()
        },
        &["churnDays"],
    )
    .unwrap();
    assert_eq!(o.at_risk_days, 180);
}

#[test]
fn input_errors_pass_through_with_row_and_field() {
    let a = a();
    let mut d = Data::default();
    d.buy(0, a).order(0, a, -5.0, O::Completed);
    let e = classify(
        &d.activity(Some(a)),
        &Contacts::default(),
        &ClassifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.row, e.field.as_deref()),
        (ErrorCode::InvalidAmount, Some(1), Some("amount"))
    );
    // An order after asOf.
    let mut d = Data::default();
    d.buy(0, a + 1);
    let e = classify(
        &d.activity(Some(a)),
        &Contacts::default(),
        &ClassifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::DateAfterAsOf, Some(0)));
    // Contacts longer than the given customer count.
    let mut d = Data::default();
    d.count = Some(1);
    let phone = [None, Some("13800138000")];
    let e = classify(
        &d.activity(Some(a)),
        &Contacts {
            email: None,
            phone: Some(&phone),
        },
        &ClassifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::LengthMismatch, Some("phone"))
    );
}

#[test]
fn empty_and_contact_only_inputs() {
    let e = classify(
        &Activity::default(),
        &Contacts::default(),
        &ClassifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyInput);
    // Contacts only: no day anywhere → no asOf; every customer a prospect without activity.
    let email = [Some("a@x.com"), Some("a@x.com"), None];
    let r = classify(
        &Activity::default(),
        &Contacts {
            email: Some(&email),
            phone: None,
        },
        &ClassifyOptions::default(),
    )
    .unwrap();
    assert_eq!(r.as_of, None);
    assert_eq!(r.customers.len(), 3);
    for c in &r.customers {
        assert_eq!(
            (c.lifecycle, c.lead_stage, c.value_class),
            (Lifecycle::Prospect, LeadStage::Potential, ValueClass::Low)
        );
        assert!(c.has(FlagCode::NoActivity));
    }
    assert!(
        r.customers[0].has(FlagCode::DuplicateContact) && r.customers[0].junk,
        "duplicate + no activity = 2 warnings"
    );
    // Contacts longer than the activity's customers extend the count.
    let a = a();
    let mut d = Data::default();
    d.buy(0, a);
    let r = classify(
        &d.activity(Some(a)),
        &Contacts {
            email: Some(&email),
            phone: None,
        },
        &ClassifyOptions::default(),
    )
    .unwrap();
    assert_eq!(r.customers.len(), 3);
    assert_eq!(r.customers[0].lifecycle, Lifecycle::New);
    assert_eq!(r.customers[2].lifecycle, Lifecycle::Prospect);
}

// ---------------------------------------------------------------------------------------
// Property: the order of input rows changes nothing.

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

fn random_data(rng: &mut Rng, customers: u32, a: i32) -> Data {
    let mut d = Data::default();
    d.count = Some(customers as usize);
    d.created = (0..customers)
        .map(|_| {
            if rng.below(3) == 0 {
                NO_DAY
            } else {
                a - rng.below(1500) as i32
            }
        })
        .collect();
    let statuses = OrderStatus::ALL;
    for _ in 0..customers * 6 {
        let c = rng.below(customers as u64) as u32;
        let s = if rng.below(4) == 0 {
            statuses[rng.below(4) as usize]
        } else {
            O::Completed
        };
        let disc = if rng.below(2) == 0 {
            NAN
        } else {
            rng.below(3) as f64
        };
        // Amounts in quarters: exact binary fractions, so sums do not depend on the order.
        d.order_full(
            c,
            a - rng.below(900) as i32,
            rng.below(800) as f64 * 0.25,
            s,
            disc,
        );
    }
    for _ in 0..customers * 4 {
        let c = rng.below(customers as u64) as u32;
        d.touch(
            c,
            a - rng.below(400) as i32,
            InteractionKind::ALL[rng.below(10) as usize],
        );
    }
    for _ in 0..customers {
        d.ret(
            rng.below(customers as u64) as u32,
            a - rng.below(400) as i32,
        );
        d.pay(
            rng.below(customers as u64) as u32,
            a - rng.below(400) as i32,
            PaymentStatus::ALL[rng.below(4) as usize],
        );
    }
    d
}

fn shuffle<T: Clone>(v: &[T], perm: &[usize]) -> Vec<T> {
    perm.iter().map(|&i| v[i].clone()).collect()
}

fn permutation(rng: &mut Rng, n: usize) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        p.swap(i, rng.below(i as u64 + 1) as usize);
    }
    p
}

fn permuted(rng: &mut Rng, d: &Data) -> Data {
    let mut e = d.clone();
    let p = permutation(rng, d.o_c.len());
    e.o_c = shuffle(&e.o_c, &p);
    e.o_d = shuffle(&e.o_d, &p);
    e.o_a = shuffle(&e.o_a, &p);
    e.o_s = shuffle(&e.o_s, &p);
    e.o_disc = shuffle(&e.o_disc, &p);
    let p = permutation(rng, d.i_c.len());
    e.i_c = shuffle(&e.i_c, &p);
    e.i_d = shuffle(&e.i_d, &p);
    e.i_k = shuffle(&e.i_k, &p);
    let p = permutation(rng, d.r_c.len());
    e.r_c = shuffle(&e.r_c, &p);
    e.r_d = shuffle(&e.r_d, &p);
    e.r_a = shuffle(&e.r_a, &p);
    let p = permutation(rng, d.p_c.len());
    e.p_c = shuffle(&e.p_c, &p);
    e.p_d = shuffle(&e.p_d, &p);
    e.p_a = shuffle(&e.p_a, &p);
    e.p_s = shuffle(&e.p_s, &p);
    e
}

#[test]
fn permuting_rows_changes_no_result() {
    let a = a();
    let phones: Vec<String> = (0..80)
        .map(|i| format!("138 0013 {:04}", 8000 + i % 7))
        .collect();
    let emails: Vec<String> = (0..80)
        .map(|i| {
            if i % 5 == 0 {
                "bad".into()
            } else {
                format!("u{}@x.com", i % 11)
            }
        })
        .collect();
    let phone: Vec<Option<&str>> = phones.iter().map(|s| Some(s.as_str())).collect();
    let email: Vec<Option<&str>> = emails.iter().map(|s| Some(s.as_str())).collect();
    let contacts = Contacts {
        email: Some(&email),
        phone: Some(&phone),
    };
    let mut rng = Rng::new(42);
    let mut classes_seen = std::collections::HashSet::new();
    for _ in 0..20 {
        let d = random_data(&mut rng, 80, a);
        let base = classify(&d.activity(Some(a)), &contacts, &ClassifyOptions::default()).unwrap();
        for c in &base.customers {
            classes_seen.insert(c.lifecycle.name());
            classes_seen.insert(c.value_class.name());
        }
        for _ in 0..3 {
            let e = permuted(&mut rng, &d);
            assert_ne!(e.o_c, d.o_c, "the permutation should move rows");
            let r = classify(&e.activity(Some(a)), &contacts, &ClassifyOptions::default()).unwrap();
            assert_eq!(r, base);
        }
    }
    // The generator exercises most classes (otherwise the property says little).
    for k in [
        "prospect", "active", "atRisk", "churned", "high", "mid", "low",
    ] {
        assert!(classes_seen.contains(k), "{k} never generated");
    }
}
