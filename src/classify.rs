//! Customer classification: lifecycle, lead stage, value class, loyalty,
//! junk flags with evidence, and churn early warning — one result per customer index.
//!
//! Input is the columnar [`Activity`] of [`crate::activity`] (validated and aggregated by
//! [`activity::aggregate`], so every row rule and error of that module applies) plus the
//! per-customer contact columns of [`Contacts`]. [`classify`] reads orders and
//! interactions once more for what the aggregates lack: the completed orders' days per
//! customer, the latest day of any order or interaction, the activity in the two
//! churn-warning windows and the discounted orders (a counting sort of every order and
//! interaction day by customer — offsets from the aggregates' counts, one scatter pass —
//! then one sequential pass per customer; each customer's few days are sorted in place).
//!
//! Two outputs share every rule: [`classify`] / [`classify_with_p_alive`] give one
//! [`CustomerClass`] per customer, with a sentence and evidence per flag;
//! [`classify_columns`] gives the same classes as one code column per class (the enums'
//! discriminants, flags and churn reasons as bit sets) and builds no sentence, evidence or
//! vector per customer. [`ClassColumns::explain`] then gives one customer's full
//! [`CustomerClass`] (equal to `classify`'s) from its rows, read again — one scan of each
//! table, about 5 ms at 10 M orders natively — and from the little the columns keep (the
//! duplicate-contact groups of customers sharing a value, 16 bytes per such customer and
//! contact column). Each rule is one function testing its condition once; the `explain`
//! field of its facts says whether to write the sentence and the evidence.
//!
//! # Definitions
//!
//! `asOf` is the analysis day of [`activity::aggregate`] (given, or the latest day of any
//! input). "Age" of a day is `asOf − day`. An "order day" is a distinct day with at least
//! one **completed** order; returned, cancelled and refused orders are not purchases for
//! the lifecycle, the rhythm or the revenue (they count as activity, see `no_activity`).
//! `recency` = age of the latest order day; `rhythm` = the median gap between consecutive
//! order days, used only with at least `rhythm_min_orders` order days and a median ≥ 1.
//!
//! **Lifecycle** (first match wins):
//! 1. `Prospect`: no completed order.
//! 2. `Churned`: `recency ≥ churn_days`, or (rhythm) `recency > rhythm_factor × rhythm`
//!    and `recency ≥ rhythm_min_days` (the floor keeps a frequent buyer's short silence —
//!    a daily buyer quiet for four days — from counting as churn; such a customer is
//!    `AtRisk` by the overdue part of rule 3 until the floor is reached).
//! 3. `AtRisk`: `recency ≥ at_risk_days`, or (rhythm) `recency > overdue_factor × rhythm`.
//! 4. `Reactivated`: the gap between the two latest order days is ≥ `churn_days` and the
//!    latest order is younger than `new_days` (a comeback is "new again" for as long as a
//!    new customer is new; after that the customer is `Active`).
//! 5. `New`: the first order day is younger than `new_days` (`age < new_days`, the
//!    window convention of `activity`: `asOf − new_days < day ≤ asOf`).
//! 6. `Active`.
//!
//! **Lead stage**: `Churned` when the lifecycle is churned; else `Loyal` when the customer
//! has a completed order and the loyalty class is loyal; else `Won` with ≥ 1 completed
//! order; else `Target` with any interaction or any order of another status (engaged, not
//! converted); else `Potential`.
//!
//! **Value class** (Pareto, ties share a class): with `above(c)` = the revenue of all
//! customers with strictly more revenue than `c` and `T` the total revenue (sum of
//! completed orders): `High` when revenue > 0 and `above < high_value_share × T`; `Mid`
//! when revenue > 0 and `above < mid_value_share × T`; `Low` otherwise (so no revenue is
//! always low). With the defaults, high value = the customers making the first 80 % of
//! revenue (the one crossing 80 % included), mid = up to 95 %, low = the tail.
//!
//! **Loyalty**: `Disloyal` when the lifecycle is churned or `high_return_rate` fires;
//! `Loyal` when the lifecycle is active, the customer has ≥ `loyal_min_orders` completed
//! orders and the first order is ≥ `loyal_min_tenure_days` old, and neither
//! `high_return_rate` nor `repeated_complaints` fires; `Neutral` otherwise.
//!
//! **Flags** (code, severity, condition — thresholds are [`ClassifyOptions`] fields):
//! | code | severity | fires when |
//! |---|---|---|
//! | `high_return_rate` | warning | purchased = completed + returned orders ≥ `return_min_purchases` and `min(1, (returned orders + rows of returns) / purchased) ≥ high_return_rate` (the `returnRate` of activity) |
//! | `one_time_low_value` | warning | exactly 1 completed order, its amount `< one_time_amount`, and it is ≥ `new_days` old (a new buyer may still come back) |
//! | `no_activity` | warning | no order (any status) and no interaction with `age < no_activity_days`; a customer with neither ever is flagged unless `createdAt` is younger than `no_activity_days` |
//! | `repeated_complaints` | warning | complaint interactions ≥ `complaint_count` |
//! | `payment_failures` | critical | failed + chargeback payments + refused orders ≥ `payment_failures` |
//! | `invalid_email` | warning | an email is given (non-blank) and [`email_is_valid`] rejects it |
//! | `invalid_phone` | warning | a phone is given (non-blank) and [`normalize_phone`] rejects it |
//! | `duplicate_contact` | warning | the normalised valid email or phone equals another customer's; evidence lists up to `max_duplicate_evidence` other customer indices (ascending) and the count |
//! | `price_sensitive` | info | completed orders ≥ `price_sensitive_min_orders` and the share of them with a discount > 0 is ≥ `price_sensitive_share` (need type; not junk) |
//!
//! `junk` = any critical flag, or at least `junk_warnings` warning flags (info flags never
//! count).
//!
//! **Churn warning** reasons: `churned` (the lifecycle is churned); `overdue` (not
//! churned, rhythm known and `recency > overdue_factor × rhythm`); `activity_decline`
//! (events = orders of any status + interactions; `recent` = events with
//! `age < decline_window_days`, `previous` = events with `decline_window_days ≤ age <
//! 2 × decline_window_days`; fires when `previous ≥ decline_min_previous` and `recent ≤
//! (1 − decline_share) × previous`). Risk: churned → `High`; else 2 reasons → `High`,
//! 1 → `Medium`, none → `Low`.
//!
//! Every per-customer result depends only on that customer's rows (and, for the value
//! class, on the multiset of revenues), so the order of input rows changes nothing (except
//! the last bits of floating-point revenue sums when amounts are not exactly representable).

use crate::activity::{self, Activity, InteractionKind, OrderStatus, PaymentStatus};
use crate::columns::hash_bytes;
use crate::error::{describe_number, Error, ErrorCode};

// ---------------------------------------------------------------------------------------
// Options.

/// Every threshold of the classification. `Default` gives the documented defaults; the
/// error field of an invalid option is its JavaScript (camelCase) name.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifyOptions {
    /// 90 — a first purchase within a quarter is still onboarding (also the activity
    /// module's interaction window). `newDays`, ≥ 1.
    pub new_days: i32,
    /// 180 — half a year without a purchase is a warning sign for most repeat buyers, half
    /// the churn length. `atRiskDays`, 1 ..= `churn_days`.
    pub at_risk_days: i32,
    /// 365 — a full year covers yearly and seasonal buyers; the usual "lapsed" cut.
    /// `churnDays`, ≥ 1.
    pub churn_days: i32,
    /// 3 — at least two gaps, so the median gap is more than one observation.
    /// `rhythmMinOrders`, ≥ 2.
    pub rhythm_min_orders: u32,
    /// 3.0 — silent for more than three of one's own usual gaps means the habit broke.
    /// `rhythmFactor`, finite ≥ `overdue_factor`.
    pub rhythm_factor: f64,
    /// 60 — the rhythm rule never calls a customer churned before two months of silence:
    /// a daily or weekly buyer quiet for a few weeks is on holiday or stocked up, not gone
    /// (two missed monthly cycles is the shortest silence that reads as a broken habit).
    /// Only the rhythm part of `Churned`; `overdue` and `churnDays` are unchanged. 0 = no
    /// floor; ≥ `churnDays` switches the rhythm churn rule off. `rhythmMinDays`, ≥ 0.
    pub rhythm_min_days: i32,
    /// 1.5 — half a usual gap late is overdue (at risk, churn warning `overdue`).
    /// `overdueFactor`, finite > 1.
    pub overdue_factor: f64,
    /// 0.8 — Pareto: the customers making the first 80 % of revenue are high value.
    /// `highValueShare`, in (0, 1].
    pub high_value_share: f64,
    /// 0.95 — the next 15 % are mid value; those making the last 5 % are low value.
    /// `midValueShare`, in [`high_value_share`, 1].
    pub mid_value_share: f64,
    /// 3 — one order is a trial, two a repeat, three a habit. `loyalMinOrders`, ≥ 1.
    pub loyal_min_orders: u32,
    /// 180 — loyalty needs half a year of history, not a burst of orders in one week.
    /// `loyalMinTenureDays`, ≥ 0.
    pub loyal_min_tenure_days: i32,
    /// 0.5 — returning half of what one buys costs more than the margin earns.
    /// `highReturnRate`, in (0, 1].
    pub high_return_rate: f64,
    /// 2 — one returned order out of one is bad luck, not a pattern. `returnMinPurchases`, ≥ 1.
    pub return_min_purchases: u32,
    /// 50.0 (currency units) — below a typical small basket; set it for your currency and
    /// catalogue. `oneTimeAmount`, finite ≥ 0.
    pub one_time_amount: f64,
    /// 365 — a year without any order or interaction: the contact does not answer.
    /// `noActivityDays`, ≥ 1.
    pub no_activity_days: i32,
    /// 3 — two complaints can be two real problems; three is a pattern. `complaintCount`, ≥ 1.
    pub complaint_count: u32,
    /// 2 — one failed payment happens (expired card); two failed, charged back or refused
    /// cash-on-delivery orders suggest fake details or refusal. `paymentFailures`, ≥ 1.
    pub payment_failures: u32,
    /// 2 — one warning alone is noise; two independent ones make a customer junk.
    /// `junkWarnings`, ≥ 1.
    pub junk_warnings: u32,
    /// 90 — compare the last quarter with the quarter before. `declineWindowDays`, ≥ 1.
    pub decline_window_days: i32,
    /// 0.5 — activity halved (or worse) between the two windows. `declineShare`, in (0, 1].
    pub decline_share: f64,
    /// 2 — a decline from a single event is no trend. `declineMinPrevious`, ≥ 1.
    pub decline_min_previous: u32,
    /// 0.5 — most orders bought on discount: price drives the purchase.
    /// `priceSensitiveShare`, in (0, 1].
    pub price_sensitive_share: f64,
    /// 2 — one discounted order says nothing about a need. `priceSensitiveMinOrders`, ≥ 1.
    pub price_sensitive_min_orders: u32,
    /// 10 — the evidence of `duplicate_contact` lists this many other customers at most
    /// (shared placeholder numbers can match thousands). `maxDuplicateEvidence`, ≥ 1.
    pub max_duplicate_evidence: u32,
    /// 0.5 — with a fitted BTYD model's P(alive) per customer ([`classify_with_p_alive`]),
    /// a customer the model finds more likely gone than alive gets the churn-warning reason
    /// `low_p_alive`. `pAliveThreshold`, in (0, 1].
    pub p_alive_threshold: f64,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            new_days: 90,
            at_risk_days: 180,
            churn_days: 365,
            rhythm_min_orders: 3,
            rhythm_factor: 3.0,
            rhythm_min_days: 60,
            overdue_factor: 1.5,
            high_value_share: 0.8,
            mid_value_share: 0.95,
            loyal_min_orders: 3,
            loyal_min_tenure_days: 180,
            high_return_rate: 0.5,
            return_min_purchases: 2,
            one_time_amount: 50.0,
            no_activity_days: 365,
            complaint_count: 3,
            payment_failures: 2,
            junk_warnings: 2,
            decline_window_days: 90,
            decline_share: 0.5,
            decline_min_previous: 2,
            price_sensitive_share: 0.5,
            price_sensitive_min_orders: 2,
            max_duplicate_evidence: 10,
            p_alive_threshold: 0.5,
        }
    }
}

/// Longest day window accepted (about 2,700 years: no window can overflow a day).
pub const MAX_WINDOW_DAYS: i32 = 1_000_000;

fn check_days(name: &str, x: i32, min: i32) -> Result<(), Error> {
    if x < min || x > MAX_WINDOW_DAYS {
        return Err(Error::option(
            name,
            format!("{name} must be an integer from {min} to {MAX_WINDOW_DAYS} days, got {x}"),
        ));
    }
    Ok(())
}

fn check_count(name: &str, x: u32, min: u32) -> Result<(), Error> {
    if x < min {
        return Err(Error::option(
            name,
            format!("{name} must be at least {min}, got {x}"),
        ));
    }
    Ok(())
}

/// A share in (0, 1] (or [lo, 1] when `lo` is given).
fn check_share(name: &str, x: f64, lo: Option<f64>) -> Result<(), Error> {
    let ok = match lo {
        Some(l) => x >= l && x <= 1.0,
        None => x > 0.0 && x <= 1.0,
    };
    if !ok {
        let range = match lo {
            Some(l) => format!("from {} to 1", describe_number(l)),
            None => "greater than 0 and at most 1".into(),
        };
        return Err(Error::option(
            name,
            format!("{name} must be {range}, got {}", describe_number(x)),
        ));
    }
    Ok(())
}

impl ClassifyOptions {
    /// Fits the defaulted member of each dependent pair to the one the caller gave, so that a
    /// valid option never fails because of another option's default. `given(name)` says whether
    /// the caller set an option (by its JS name). The pairs, and what the default becomes:
    /// - `churnDays` below the default `atRiskDays` (180): `atRiskDays` = half of `churnDays`;
    ///   `atRiskDays` above the default `churnDays` (365): `churnDays` = twice `atRiskDays`;
    /// - `overdueFactor` above the default `rhythmFactor` (3): `rhythmFactor` = twice it;
    ///   `rhythmFactor` below the default `overdueFactor` (1.5): `overdueFactor` halfway
    ///   between 1 and `rhythmFactor`;
    /// - `highValueShare` above the default `midValueShare` (0.95): `midValueShare` covers three
    ///   quarters of what remains (as 0.95 does for 0.8); `midValueShare` below the default
    ///   `highValueShare` (0.8): `highValueShare` = `midValueShare` × 0.8 / 0.95.
    ///
    /// Options the caller gave are never changed; two given options that contradict each other
    /// still fail in [`ClassifyOptions::validate`].
    pub fn fit_defaults(&mut self, given: impl Fn(&str) -> bool) {
        if self.at_risk_days > self.churn_days {
            match (given("atRiskDays"), given("churnDays")) {
                (false, true) => self.at_risk_days = (self.churn_days / 2).max(1),
                (true, false) => {
                    self.churn_days = self.at_risk_days.saturating_mul(2).min(MAX_WINDOW_DAYS)
                }
                _ => {}
            }
        }
        if self.rhythm_factor < self.overdue_factor {
            match (given("rhythmFactor"), given("overdueFactor")) {
                (false, true) if self.overdue_factor.is_finite() => {
                    self.rhythm_factor = 2.0 * self.overdue_factor
                }
                (true, false) if self.rhythm_factor > 1.0 => {
                    self.overdue_factor = (1.0 + self.rhythm_factor) / 2.0
                }
                _ => {}
            }
        }
        if self.mid_value_share < self.high_value_share {
            match (given("midValueShare"), given("highValueShare")) {
                (false, true) if self.high_value_share <= 1.0 => {
                    self.mid_value_share =
                        (self.high_value_share + 0.75 * (1.0 - self.high_value_share)).min(1.0)
                }
                (true, false) if self.mid_value_share > 0.0 => {
                    self.high_value_share = self.mid_value_share * (0.8 / 0.95)
                }
                _ => {}
            }
        }
    }

    /// Check every option (the first invalid one is reported, in field order).
    pub fn validate(&self) -> Result<(), Error> {
        check_days("newDays", self.new_days, 1)?;
        check_days("churnDays", self.churn_days, 1)?;
        check_days("atRiskDays", self.at_risk_days, 1)?;
        if self.at_risk_days > self.churn_days {
            return Err(Error::option(
                "atRiskDays",
                format!(
                    "atRiskDays ({}) must not exceed churnDays ({})",
                    self.at_risk_days, self.churn_days
                ),
            ));
        }
        check_count("rhythmMinOrders", self.rhythm_min_orders, 2)?;
        if !(self.overdue_factor.is_finite() && self.overdue_factor > 1.0) {
            return Err(Error::option(
                "overdueFactor",
                format!(
                    "overdueFactor must be a finite number greater than 1, got {}",
                    describe_number(self.overdue_factor)
                ),
            ));
        }
        if !(self.rhythm_factor.is_finite() && self.rhythm_factor >= self.overdue_factor) {
            return Err(Error::option(
                "rhythmFactor",
                format!(
                    "rhythmFactor must be a finite number not below overdueFactor ({}), got {}",
                    describe_number(self.overdue_factor),
                    describe_number(self.rhythm_factor)
                ),
            ));
        }
        check_days("rhythmMinDays", self.rhythm_min_days, 0)?;
        check_share("highValueShare", self.high_value_share, None)?;
        check_share(
            "midValueShare",
            self.mid_value_share,
            Some(self.high_value_share),
        )?;
        check_count("loyalMinOrders", self.loyal_min_orders, 1)?;
        check_days("loyalMinTenureDays", self.loyal_min_tenure_days, 0)?;
        check_share("highReturnRate", self.high_return_rate, None)?;
        check_count("returnMinPurchases", self.return_min_purchases, 1)?;
        if !(self.one_time_amount.is_finite() && self.one_time_amount >= 0.0) {
            return Err(Error::option(
                "oneTimeAmount",
                format!(
                    "oneTimeAmount must be a finite number >= 0, got {}",
                    describe_number(self.one_time_amount)
                ),
            ));
        }
        check_days("noActivityDays", self.no_activity_days, 1)?;
        check_count("complaintCount", self.complaint_count, 1)?;
        check_count("paymentFailures", self.payment_failures, 1)?;
        check_count("junkWarnings", self.junk_warnings, 1)?;
        check_days("declineWindowDays", self.decline_window_days, 1)?;
        check_share("declineShare", self.decline_share, None)?;
        check_count("declineMinPrevious", self.decline_min_previous, 1)?;
        check_share("priceSensitiveShare", self.price_sensitive_share, None)?;
        check_count(
            "priceSensitiveMinOrders",
            self.price_sensitive_min_orders,
            1,
        )?;
        check_count("maxDuplicateEvidence", self.max_duplicate_evidence, 1)?;
        check_share("pAliveThreshold", self.p_alive_threshold, None)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Classes.

/// A `u8` code enum with its JavaScript spelling: `ALL`, `COUNT`, `name`, `from_name`,
/// `from_code`. Shared with the CRM generator (crates/sample).
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub const COUNT: usize = [$($s),+].len();
            /// The label / code (the JavaScript spelling).
            pub fn name(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
            pub fn from_name(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.name() == s)
            }
            /// The `u8` discriminant back to the value.
            pub fn from_code(c: u8) -> Option<Self> {
                Self::ALL.get(c as usize).copied()
            }
        }
    };
}

code_enum!(
    /// Where the customer is in the purchase lifecycle.
    Lifecycle { Prospect => "prospect", New => "new", Active => "active", AtRisk => "atRisk", Churned => "churned", Reactivated => "reactivated" }
);
code_enum!(
    /// Sales-funnel stage.
    LeadStage { Potential => "potential", Target => "target", Won => "won", Churned => "churned", Loyal => "loyal" }
);
code_enum!(
    /// Revenue class (Pareto cut-offs).
    ValueClass { High => "high", Mid => "mid", Low => "low" }
);
code_enum!(
    /// Loyalty class.
    Loyalty { Loyal => "loyal", Neutral => "neutral", Disloyal => "disloyal" }
);
code_enum!(
    /// How much a flag weighs in the junk decision.
    Severity { Info => "info", Warning => "warning", Critical => "critical" }
);
code_enum!(
    /// Flag codes (stable, part of the contract).
    FlagCode {
        HighReturnRate => "high_return_rate",
        OneTimeLowValue => "one_time_low_value",
        NoActivity => "no_activity",
        RepeatedComplaints => "repeated_complaints",
        PaymentFailures => "payment_failures",
        InvalidEmail => "invalid_email",
        InvalidPhone => "invalid_phone",
        DuplicateContact => "duplicate_contact",
        PriceSensitive => "price_sensitive",
    }
);
code_enum!(
    /// Churn-risk level.
    ChurnRisk { Low => "low", Medium => "medium", High => "high" }
);
code_enum!(
    /// Why the churn warning fired.
    ChurnReason {
        Churned => "churned",
        Overdue => "overdue",
        ActivityDecline => "activity_decline",
        LowPAlive => "low_p_alive",
    }
);

impl FlagCode {
    /// The severity each code always has.
    pub fn severity(self) -> Severity {
        match self {
            FlagCode::PaymentFailures => Severity::Critical,
            FlagCode::PriceSensitive => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// One value of a flag's evidence.
#[derive(Clone, Debug, PartialEq)]
pub enum EvidenceValue {
    Num(f64),
    Str(String),
    /// Other customers, by index (the binding gives them back as the caller's ids, with
    /// their type).
    Customers(Vec<u32>),
}

/// One fired rule, with a sentence and the numbers behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub reason: String,
    /// `(camelCase key, value)`, in a fixed order per code.
    pub evidence: Vec<(&'static str, EvidenceValue)>,
}

impl Flag {
    fn new(code: FlagCode, reason: String, evidence: Vec<(&'static str, EvidenceValue)>) -> Self {
        Flag {
            code,
            severity: code.severity(),
            reason,
            evidence,
        }
    }
    /// The evidence value under `key`.
    pub fn get(&self, key: &str) -> Option<&EvidenceValue> {
        self.evidence
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

fn num(x: impl Into<f64>) -> EvidenceValue {
    EvidenceValue::Num(x.into())
}
fn text(s: impl Into<String>) -> EvidenceValue {
    EvidenceValue::Str(s.into())
}

/// One customer's classification.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerClass {
    pub lifecycle: Lifecycle,
    pub lead_stage: LeadStage,
    pub value_class: ValueClass,
    pub loyalty: Loyalty,
    /// In [`FlagCode`] order.
    pub flags: Vec<Flag>,
    pub junk: bool,
    pub churn_risk: ChurnRisk,
    /// In [`ChurnReason`] order.
    pub churn_reasons: Vec<ChurnReason>,
}

impl CustomerClass {
    pub fn flag(&self, code: FlagCode) -> Option<&Flag> {
        self.flags.iter().find(|f| f.code == code)
    }
    pub fn has(&self, code: FlagCode) -> bool {
        self.flag(code).is_some()
    }
}

/// Counts of customers per class (indexed by the enums' discriminants).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Summary {
    pub lifecycle: [usize; Lifecycle::COUNT],
    pub lead_stage: [usize; LeadStage::COUNT],
    pub value_class: [usize; ValueClass::COUNT],
    pub loyalty: [usize; Loyalty::COUNT],
    pub churn_risk: [usize; ChurnRisk::COUNT],
    /// Customers with `junk`.
    pub junk: usize,
    /// Customers carrying each flag code.
    pub flags: [usize; FlagCode::COUNT],
}

impl Summary {
    fn add(&mut self, c: &Codes) {
        self.lifecycle[c.lifecycle as usize] += 1;
        self.lead_stage[c.lead_stage as usize] += 1;
        self.value_class[c.value_class as usize] += 1;
        self.loyalty[c.loyalty as usize] += 1;
        self.churn_risk[c.churn_risk as usize] += 1;
        self.junk += c.junk as usize;
        let mut bits = c.flags;
        while bits != 0 {
            self.flags[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
    }
}

/// The result of [`classify`].
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// The analysis day used (`None` only when no input has a day).
    pub as_of: Option<i32>,
    /// One per customer index.
    pub customers: Vec<CustomerClass>,
    /// Revenue of completed orders per customer index (what the value classes rank).
    pub revenue: Vec<f64>,
    pub summary: Summary,
}

// ---------------------------------------------------------------------------------------
// Contacts.

/// Per-customer contact data (index = customer index). Each column may be shorter than
/// the number of customers (the rest have none); `None` or a blank string = not given.
#[derive(Clone, Copy, Debug, Default)]
pub struct Contacts<'a> {
    pub email: Option<&'a [Option<&'a str>]>,
    pub phone: Option<&'a [Option<&'a str>]>,
}

/// 64-bit hash of a normalised contact value: 8 bytes at a time (multiply and fold), then
/// a final avalanche. Equal hashes are always compared by value, so quality only matters
/// for speed.
/// Customers sharing a normalised contact value: each value's customers, ascending, as one
/// run of `members`. Built by hashing every value, ordering the (hash, index) pairs (one
/// counting-sort pass on the hash's top bits, then the few pairs of each bucket) and
/// splitting the runs of equal hashes by the values themselves (so a hash collision never
/// merges two values) — no map, no allocation per value.
struct Groups {
    /// Customer indices, grouped; within a group ascending.
    members: Vec<u32>,
    /// Per customer: (start, len) of its group in `members` when the group has two or more
    /// customers; len 0 = no value, or nobody else has it.
    run: Vec<(u32, u32)>,
    /// The groups of two or more customers: (start, len) in `members`.
    shared: Vec<(u32, u32)>,
}

impl Groups {
    /// `pairs`: (hash of the value, customer index) of every customer with a value, by
    /// ascending index; `value(i)`: customer `i`'s value.
    fn build<'v>(
        n: usize,
        pairs: Vec<(u64, u32)>,
        value: impl Fn(usize) -> Option<&'v [u8]>,
    ) -> Groups {
        let m = pairs.len();
        let mut run = vec![(0u32, 0u32); n];
        if m == 0 {
            return Groups {
                members: Vec::new(),
                run,
                shared: Vec::new(),
            };
        }
        // Bucket by the top `bits` of the hash (about one pair per bucket), stable, so each
        // bucket holds its pairs in index order; then order each bucket by (hash, index).
        let bits = m.next_power_of_two().trailing_zeros().max(1);
        let shift = 64 - bits;
        let mut start = vec![0u32; (1usize << bits) + 1];
        for &(h, _) in &pairs {
            start[(h >> shift) as usize + 1] += 1;
        }
        for b in 1..start.len() {
            start[b] += start[b - 1];
        }
        let mut sorted = vec![(0u64, 0u32); m];
        {
            let mut next = start.clone();
            for &p in &pairs {
                let b = (p.0 >> shift) as usize;
                sorted[next[b] as usize] = p;
                next[b] += 1;
            }
        }
        drop(pairs);
        for b in 0..start.len() - 1 {
            let bucket = &mut sorted[start[b] as usize..start[b + 1] as usize];
            if bucket.len() > 16 {
                bucket.sort_unstable();
            } else if bucket.len() > 1 {
                crate::sort::insertion_sort_by(bucket, |x, y| x < y);
            }
        }
        let text = |i: u32| value(i as usize).unwrap_or(&[]);
        let mut members: Vec<u32> = sorted.iter().map(|&(_, i)| i).collect();
        let mut shared = Vec::new();
        let mut k = 0;
        while k < m {
            let mut e = k + 1;
            while e < m && sorted[e].0 == sorted[k].0 {
                e += 1;
            }
            if e == k + 1 {
                k = e;
                continue;
            }
            let block = &mut members[k..e];
            let first = text(block[0]);
            if block[1..].iter().any(|&i| text(i) != first) {
                // A collision: order the block by value, then index.
                block.sort_unstable_by(|&x, &y| text(x).cmp(text(y)).then(x.cmp(&y)));
            }
            let mut s = k;
            while s < e {
                let mut t = s + 1;
                while t < e && text(members[t]) == text(members[s]) {
                    t += 1;
                }
                if t - s >= 2 {
                    for &i in &members[s..t] {
                        run[i as usize] = (s as u32, (t - s) as u32);
                    }
                    shared.push((s as u32, (t - s) as u32));
                }
                s = t;
            }
            k = e;
        }
        Groups {
            members,
            run,
            shared,
        }
    }

    /// The group of customer `i` (itself included) when someone else shares its value.
    fn of(&self, i: usize) -> Option<&[u32]> {
        let (s, l) = *self.run.get(i)?;
        (l > 0).then(|| &self.members[s as usize..(s + l) as usize])
    }
}

/// The groups of the customers sharing a value with someone else, by customer (what
/// [`ClassColumns::explain`] needs of the groups: 16 bytes per such customer).
#[derive(Clone, Debug, PartialEq, Default)]
struct DupIndex {
    /// Customers in a group of ≥ 2, ascending.
    customers: Vec<u32>,
    /// Their group: (start, len) in `members`.
    span: Vec<(u32, u32)>,
    members: Vec<u32>,
}

impl DupIndex {
    fn of(&self, i: usize) -> &[u32] {
        match u32::try_from(i).map(|i| self.customers.binary_search(&i)) {
            Ok(Ok(k)) => {
                let (s, l) = self.span[k];
                &self.members[s as usize..(s + l) as usize]
            }
            _ => &[],
        }
    }
    fn bytes(&self) -> usize {
        self.customers.capacity() * 4 + self.span.capacity() * 8 + self.members.capacity() * 4
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
}

/// Appends the normalised form of a non-blank contact value to `buf`; whether it is valid
/// ([`normalize_email`] + [`email_is_valid`], or [`normalize_phone`]). On `false` the
/// caller truncates `buf`.
fn normalize_into(kind: Kind, s: &str, buf: &mut Vec<u8>) -> bool {
    match kind {
        Kind::Email => {
            let t = s.trim();
            let start = buf.len();
            if t.is_ascii() {
                buf.extend_from_slice(t.as_bytes());
                buf[start..].make_ascii_lowercase();
            } else {
                buf.extend_from_slice(t.to_lowercase().as_bytes());
            }
            email_ok(&buf[start..])
        }
        Kind::Phone => phone_into(s, buf),
    }
}

/// One contact column, normalised (every valid value into one buffer, customer `i`'s at
/// `bytes[end[i]..end[i + 1]]`, while grouping them): what the rules need of it.
struct ContactColumn {
    /// Per customer: 0 = not given (none or blank), 1 = invalid, 2 = valid.
    state: Vec<u8>,
    groups: Groups,
}

impl ContactColumn {
    fn new(col: Option<&[Option<&str>]>, n: usize, kind: Kind) -> ContactColumn {
        let mut state = vec![0u8; n];
        let mut bytes = Vec::new();
        let mut end = Vec::with_capacity(n + 1);
        end.push(0);
        let mut pairs = Vec::new();
        let col = col.unwrap_or(&[]);
        for (i, st) in state.iter_mut().enumerate() {
            // The trimmed value, when not blank (as `ContactColumn::value`).
            if let Some(s) = col
                .get(i)
                .copied()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let start = bytes.len();
                if normalize_into(kind, s, &mut bytes) {
                    *st = 2;
                    pairs.push((hash_bytes(&bytes[start..]), i as u32));
                } else {
                    *st = 1;
                    bytes.truncate(start);
                }
            }
            end.push(bytes.len());
        }
        let groups = Groups::build(n, pairs, |i| {
            (state[i] == 2).then(|| &bytes[end[i]..end[i + 1]])
        });
        ContactColumn { state, groups }
    }

    /// Customer `i`'s contact facts (`raw`: the caller's column).
    fn contact<'s>(&'s self, raw: Option<&'s [Option<&'s str>]>, i: usize) -> Contact<'s> {
        let state = self.state[i];
        Contact {
            raw: if state > 0 {
                raw.and_then(|c| c[i])
            } else {
                None
            },
            valid: state == 2,
            group: self.groups.of(i).unwrap_or(&[]),
        }
    }

    /// A contact value on its own (blank counts as absent), with its group.
    fn value<'s>(raw: Option<&'s str>, kind: Kind, group: &'s [u32]) -> Contact<'s> {
        let raw = raw.filter(|s| !s.trim().is_empty());
        Contact {
            raw,
            valid: raw.is_some_and(|s| normalize_into(kind, s, &mut Vec::new())),
            group,
        }
    }

    fn dup_index(&self) -> DupIndex {
        let g = &self.groups;
        let mut members = Vec::new();
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        for &(s, l) in &g.shared {
            let at = members.len() as u32;
            let run = &g.members[s as usize..(s + l) as usize];
            members.extend_from_slice(run);
            entries.extend(run.iter().map(|&j| (j, at, l)));
        }
        entries.sort_unstable();
        DupIndex {
            customers: entries.iter().map(|e| e.0).collect(),
            span: entries.iter().map(|e| (e.1, e.2)).collect(),
            members,
        }
    }
}

/// One customer's contact, as the rules read it.
#[derive(Clone, Copy, Default)]
struct Contact<'a> {
    /// The value as given, when given (not blank).
    raw: Option<&'a str>,
    /// Given and valid once normalised.
    valid: bool,
    /// The customers sharing the normalised value (itself included; empty: no value or
    /// nobody else).
    group: &'a [u32],
}

impl<'a> Contact<'a> {
    /// The value as given, when it is given and invalid.
    fn invalid(&self) -> Option<&'a str> {
        self.raw.filter(|_| !self.valid)
    }
}

/// Trimmed and lower-cased.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A pragmatic check of a *normalised* email (ASCII only; internationalised addresses
/// are rejected): exactly one `@`; a local part of 1–64 characters from letters, digits
/// and ``!#$%&'*+/=?^_`{|}~.-``, not starting or ending with a dot, no `..`; a domain of
/// ≥ 2 dot-separated labels of letters, digits and `-` (1–63 characters, not starting or
/// ending with `-`), the last label ≥ 2 letters.
pub fn email_is_valid(e: &str) -> bool {
    email_ok(e.as_bytes())
}

/// Which bytes may appear: ASCII letters, digits and `extra`.
const fn byte_set(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        t[extra[k] as usize] = true;
        k += 1;
    }
    t
}
/// The bytes of an email's local part.
const LOCAL_BYTE: [bool; 256] = byte_set(b"!#$%&'*+/=?^_`{|}~.-");
/// The bytes of a domain label.
const LABEL_BYTE: [bool; 256] = byte_set(b"-");

/// [`email_is_valid`] on bytes.
fn email_ok(e: &[u8]) -> bool {
    let Some(at) = e.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&e[..at], &e[at + 1..]);
    if domain.contains(&b'@') {
        return false;
    }
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && !local.windows(2).any(|w| w == b"..")
        && local.iter().all(|&b| LOCAL_BYTE[b as usize]);
    if !local_ok || domain.len() > 253 || !domain.contains(&b'.') {
        return false;
    }
    let labels_ok = domain.split(|&b| b == b'.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
            && l.iter().all(|&b| LABEL_BYTE[b as usize])
    });
    let tld = domain.rsplit(|&b| b == b'.').next().unwrap_or(&[]);
    labels_ok && tld.len() >= 2 && tld.iter().all(|b| b.is_ascii_alphabetic())
}

/// Normalise a phone number to its digits, or `None` when it is not a valid number.
///
/// Rule: after trimming, only digits, spaces, `-`, `.`, `(`, `)` and one leading `+` are
/// allowed. Of the digits, a Chinese country code `0086` / `86` (also written `+86`) is
/// stripped when the rest is 11 digits starting with `1`. The result is valid when it is
///  - a Chinese mobile number — 11 digits `1[3-9]xxxxxxxxx` — whenever a Chinese country
///    code was stripped, or the input had no `+` and is 11 digits starting with `1` (so
///    `12345678901` is invalid, while `+1 202 555 0100` is checked by the next rule);
///  - otherwise 7 to 15 digits (E.164's maximum);
///
/// and not one digit repeated (`00000000`, `13333333333` stays valid: only *all* equal).
pub fn normalize_phone(s: &str) -> Option<String> {
    let mut buf = Vec::new();
    phone_into(s, &mut buf).then(|| buf.iter().map(|&b| b as char).collect())
}

/// [`normalize_phone`] appending the digits to `buf`; whether the number is valid.
fn phone_into(s: &str, buf: &mut Vec<u8>) -> bool {
    let t = s.trim();
    let (plus, body) = match t.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let start = buf.len();
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => buf.push(b),
            b' ' | b'-' | b'.' | b'(' | b')' => {}
            _ => return false,
        }
    }
    let d = &buf[start..];
    let cn_rest = |p: &[u8]| d.len() == p.len() + 11 && d.starts_with(p) && d[p.len()] == b'1';
    let strip = if cn_rest(b"0086") {
        Some(4)
    } else if cn_rest(b"86") {
        Some(2)
    } else {
        None
    };
    let cn = match strip {
        Some(k) => {
            buf.drain(start..start + k);
            true
        }
        None => !plus && d.len() == 11 && d[0] == b'1',
    };
    let b = &buf[start..];
    let ok = if cn {
        b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
    } else {
        (7..=15).contains(&b.len())
    };
    let repeated = b.iter().all(|&d| Some(&d) == b.first());
    ok && !repeated
}

// ---------------------------------------------------------------------------------------
// Per-customer scratch from one more pass over the tables.

/// Per-customer counters of [`orders_and_extra`].
#[derive(Clone, Copy, Default)]
struct Scratch {
    /// Latest day of any order or interaction (`i32::MIN`: none).
    last_event: i32,
    /// Events in the recent / previous churn-warning window.
    recent: u32,
    previous: u32,
    /// Completed orders with a discount > 0.
    discounted: u32,
    /// Completed orders (the length of the customer's `days`).
    completed: u32,
}

struct Extra {
    /// Customer `c`'s completed order days, sorted, are
    /// `days[offsets[c]..offsets[c] + per[c].completed]`.
    offsets: Vec<u32>,
    days: Vec<i32>,
    per: Vec<Scratch>,
}

impl Extra {
    fn days(&self, c: usize) -> &[i32] {
        let s = self.offsets[c] as usize;
        &self.days[s..s + self.per[c].completed as usize]
    }
}

/// The per-customer aggregates and [`Extra`] of `n` customers of `a` (validated; `as_of`
/// the analysis day): the orders and event days from one grouping of the orders by customer
/// ([`orders_and_extra`]), the other tables from [`activity::aggregate`] without the orders.
/// What [`Pass::new`] reads for everyone and [`ClassColumns::explain`] for one customer.
fn aggregate_grouped(
    a: &Activity,
    n: usize,
    as_of: Option<i32>,
    w: i32,
) -> Result<(activity::Aggregates, Extra), Error> {
    let (orders, ex) = {
        let _phase = crate::progress::span(0.0, 0.7);
        orders_and_extra(a, n, as_of.unwrap_or(0), w)?
    };
    let mut agg = {
        let _phase = crate::progress::span(0.7, 1.0);
        activity::aggregate_validated(
            &Activity {
                orders: activity::Orders {
                    customer: &[],
                    day: &[],
                    amount: &[],
                    status: None,
                    discount: None,
                },
                customer_count: Some(n),
                as_of,
                ..*a
            },
            activity::Validated {
                customer_count: n,
                as_of,
            },
        )?
    };
    if !a.orders.customer.is_empty() {
        agg.set_orders(orders);
    }
    Ok((agg, ex))
}

/// The orders and interactions of `n` customers (validated): each customer's
/// [`activity::OrderStats`] (equal to [`activity::aggregate`]'s: the same sums in the same
/// order) and its [`Extra`] (completed days, event windows, discounts), from one grouping of the
/// orders by customer instead of two scatters. Orders are counted per customer, then placed
/// in their customer's slots through partition buckets (`crate::partition`, input order kept)
/// as (`day × 8 + discounted × 4 + status`, amount); each customer's slots are then read in
/// turn, once. Interactions only count as events: their latest day and window counts go
/// straight into a small per-customer record.
#[inline(never)]
fn orders_and_extra(
    a: &Activity,
    n: usize,
    as_of: i32,
    w: i32,
) -> Result<(Vec<activity::OrderStats>, Extra), Error> {
    use crate::partition::scatter;
    let (r_lo, p_lo) = (as_of - w, as_of - 2 * w);
    let o = &a.orders;
    let m = o.customer.len();
    let total = m + a.interactions.customer.len();
    // Interactions: latest day, recent and previous window counts.
    let mut ev = vec![(i32::MIN, 0u32, 0u32); n];
    let it = &a.interactions;
    scatter(
        n,
        it.customer.len(),
        |i| it.customer[i],
        |i| (it.customer[i], it.day[i]),
        |rows| {
            for &(c, d) in rows {
                let e = &mut ev[c as usize];
                e.0 = e.0.max(d);
                e.1 += (d > r_lo) as u32;
                e.2 += (d > p_lo && d <= r_lo) as u32;
            }
        },
        |_| {},
    );
    crate::progress::report(total - m, total);
    // Orders: counts, offsets, then the slots.
    let mut offsets = vec![0u32; n + 1];
    for &c in o.customer {
        offsets[c as usize + 1] += 1;
    }
    for c in 0..n {
        offsets[c + 1] += offsets[c];
    }
    let mut code = vec![0i32; m];
    let mut amount = vec![0f64; m];
    let mut fill = offsets[..n].to_vec();
    scatter(
        n,
        m,
        |i| o.customer[i],
        |i| {
            let st = o.status.map_or(0, |s| s[i] as i32);
            let discounted = st == 0 && o.discount.is_some_and(|x| x[i] > 0.0);
            (
                o.customer[i],
                o.day[i] * 8 + discounted as i32 * 4 + st,
                o.amount[i],
            )
        },
        |rows| {
            for &(c, e, x) in rows {
                let f = &mut fill[c as usize];
                code[*f as usize] = e;
                amount[*f as usize] = x;
                *f += 1;
            }
        },
        |hi| crate::progress::report(total - m + hi / 2, total),
    );
    drop(fill);
    // Each customer's slots, in input order.
    let window = as_of - activity::AMOUNT_WINDOW_DAYS;
    let mut stats = Vec::with_capacity(n);
    let mut per = Vec::with_capacity(n);
    for c in 0..n {
        let (lo, hi) = (offsets[c] as usize, offsets[c + 1] as usize);
        let (last, recent, previous) = ev[c];
        let mut s = activity::OrderStats::default();
        let mut x = Scratch {
            last_event: last,
            recent,
            previous,
            ..Scratch::default()
        };
        let mut k = lo;
        for j in lo..hi {
            let e = code[j];
            let (d, st) = (e >> 3, (e & 3) as usize);
            s.first_day = s.first_day.min(d);
            s.by_status[st] += 1;
            x.last_event = x.last_event.max(d);
            x.recent += (d > r_lo) as u32;
            x.previous += (d > p_lo && d <= r_lo) as u32;
            if st == 0 {
                let amt = amount[j];
                s.completed_amount += amt;
                s.amount_last_365 += if d > window { amt } else { 0.0 };
                s.last_completed_day = s.last_completed_day.max(d);
                x.discounted += ((e >> 2) & 1) as u32;
                code[k] = d;
                k += 1;
            }
        }
        let days = &mut code[lo..k];
        if days.len() > 1 && !days.is_sorted() {
            days.sort_unstable();
        }
        x.completed = (k - lo) as u32;
        stats.push(s);
        per.push(x);
        if c % (1 << 18) == 0 {
            crate::progress::report(total - m / 2 + (m / 2) * c / n, total);
        }
    }
    drop(amount);
    Ok((
        stats,
        Extra {
            offsets,
            days: code,
            per,
        },
    ))
}

/// Scratch vectors reused from customer to customer.
#[derive(Default)]
struct Buffers {
    gaps: Vec<i32>,
}

/// Median gap between consecutive distinct days of a sorted slice, with the number of
/// distinct days.
fn rhythm(days: &[i32], gaps: &mut Vec<i32>) -> (usize, f64) {
    gaps.clear();
    for w in days.windows(2) {
        if w[1] > w[0] {
            gaps.push(w[1] - w[0]);
        }
    }
    let distinct = if days.is_empty() { 0 } else { gaps.len() + 1 };
    if gaps.is_empty() {
        return (distinct, f64::NAN);
    }
    gaps.sort_unstable();
    let m = gaps.len() / 2;
    let med = if gaps.len() % 2 == 1 {
        gaps[m] as f64
    } else {
        (gaps[m - 1] as f64 + gaps[m] as f64) / 2.0
    };
    (distinct, med)
}

fn pct(x: f64) -> String {
    format!("{}%", (x * 1000.0).round() / 10.0)
}

// ---------------------------------------------------------------------------------------
// The classification.

/// Classify every customer of `a` (see the module documentation for every rule).
///
/// Errors: an invalid option (`invalid_option`, field = its camelCase name), any error
/// of [`activity::aggregate`], and `length_mismatch` (field `email` / `phone`) when a
/// contact column is longer than the given `customer_count`. Without a given count, the
/// customer count is the largest of activity's and the contact columns' lengths (an
/// activity without rows and contacts only is fine). A rejected call computes nothing.
pub fn classify(
    a: &Activity,
    contacts: &Contacts,
    opts: &ClassifyOptions,
) -> Result<Classification, Error> {
    classify_with_p_alive(a, contacts, opts, None)
}

/// [`classify`] with a model's P(alive) per customer index (`NaN` = none, e.g. no
/// completed order; the slice may be shorter than the customer count): a customer not
/// churned by the lifecycle rules with `P(alive) < p_alive_threshold` gets the churn
/// reason `low_p_alive` (it counts like the other reasons in the risk level).
pub fn classify_with_p_alive(
    a: &Activity,
    contacts: &Contacts,
    opts: &ClassifyOptions,
    p_alive: Option<&[f64]>,
) -> Result<Classification, Error> {
    let pass = {
        let _phase = crate::progress::span(0.0, PASS_SHARE);
        Pass::new(a, contacts, opts)?
    };
    let mut buf = Buffers::default();
    let mut customers = Vec::with_capacity(pass.n);
    let mut summary = Summary::default();
    for i in 0..pass.n {
        checkpoint(i, pass.n);
        let f = pass.facts(i, contacts, p_alive, opts, true, &mut buf);
        let mut flags = Vec::new();
        let c = evaluate(&f, opts, |flag| flags.push(flag));
        summary.add(&c);
        customers.push(c.with_flags(flags));
    }
    Ok(Classification {
        as_of: pass.as_of,
        customers,
        revenue: pass.revenue,
        summary,
    })
}

/// The share of a classification's time its aggregation pass takes (for progress).
const PASS_SHARE: f64 = 0.7;

/// Progress through the per-customer rules (after the aggregation pass), every 64k customers.
#[inline]
fn checkpoint(i: usize, n: usize) {
    if i.is_multiple_of(65_536) {
        crate::progress::report_fraction(PASS_SHARE + (1.0 - PASS_SHARE) * i as f64 / n as f64);
    }
}

/// The classification as one column per class (the enums' discriminants), for every
/// customer index: what [`classify_with_p_alive`] gives without the sentences and the
/// evidence, and without any allocation per customer. [`ClassColumns::explain`] gives one
/// customer's full [`CustomerClass`] on demand.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassColumns {
    /// The analysis day used (`None` only when no input has a day).
    pub as_of: Option<i32>,
    /// [`Lifecycle`] as u8.
    pub lifecycle: Vec<u8>,
    /// [`LeadStage`] as u8.
    pub lead_stage: Vec<u8>,
    /// [`ValueClass`] as u8.
    pub value_class: Vec<u8>,
    /// [`Loyalty`] as u8.
    pub loyalty: Vec<u8>,
    /// [`ChurnRisk`] as u8.
    pub churn_risk: Vec<u8>,
    /// 1 = junk, 0 = not.
    pub junk: Vec<u8>,
    /// Bit `k` set = the flag with [`FlagCode`] discriminant `k` fired.
    pub flags: Vec<u16>,
    /// Bit `k` set = the [`ChurnReason`] with discriminant `k` applies.
    pub churn_reasons: Vec<u8>,
    /// Revenue of completed orders per customer index (what the value classes rank).
    pub revenue: Vec<f64>,
    pub summary: Summary,
    /// The other customers sharing a contact value, for [`ClassColumns::explain`].
    dup_email: DupIndex,
    dup_phone: DupIndex,
}

/// [`classify_with_p_alive`] as columns (see [`ClassColumns`]); the same errors.
pub fn classify_columns(
    a: &Activity,
    contacts: &Contacts,
    opts: &ClassifyOptions,
    p_alive: Option<&[f64]>,
) -> Result<ClassColumns, Error> {
    let pass = {
        let _phase = crate::progress::span(0.0, PASS_SHARE);
        Pass::new(a, contacts, opts)?
    };
    let n = pass.n;
    let mut out = ClassColumns {
        as_of: pass.as_of,
        lifecycle: Vec::with_capacity(n),
        lead_stage: Vec::with_capacity(n),
        value_class: Vec::with_capacity(n),
        loyalty: Vec::with_capacity(n),
        churn_risk: Vec::with_capacity(n),
        junk: Vec::with_capacity(n),
        flags: Vec::with_capacity(n),
        churn_reasons: Vec::with_capacity(n),
        revenue: Vec::new(),
        summary: Summary::default(),
        dup_email: DupIndex::default(),
        dup_phone: DupIndex::default(),
    };
    let mut buf = Buffers::default();
    for i in 0..n {
        checkpoint(i, n);
        let f = pass.facts(i, contacts, p_alive, opts, false, &mut buf);
        let c = evaluate(&f, opts, |_| {});
        out.summary.add(&c);
        out.lifecycle.push(c.lifecycle as u8);
        out.lead_stage.push(c.lead_stage as u8);
        out.value_class.push(c.value_class as u8);
        out.loyalty.push(c.loyalty as u8);
        out.churn_risk.push(c.churn_risk as u8);
        out.junk.push(c.junk as u8);
        out.flags.push(c.flags);
        out.churn_reasons.push(c.churn_reasons);
    }
    out.dup_email = pass.email.dup_index();
    out.dup_phone = pass.phone.dup_index();
    out.revenue = pass.revenue;
    Ok(out)
}

impl ClassColumns {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.lifecycle.len()
    }
    pub fn is_empty(&self) -> bool {
        self.lifecycle.is_empty()
    }

    /// Bytes this result keeps for [`ClassColumns::explain`] (the duplicate-contact groups
    /// of the customers that share a value; nothing for the others).
    pub fn explain_bytes(&self) -> usize {
        self.dup_email.bytes() + self.dup_phone.bytes()
    }

    /// Customer `i`'s full classification — the same sentences and evidence as
    /// `classify_with_p_alive(a, contacts, opts, p_alive).customers[i]`. Give the inputs
    /// this result was computed from: customer `i`'s rows are read again (one scan of each
    /// table's customer column, O(rows)), the rest (value class, duplicate groups) comes from
    /// this result. Errors: `invalid_value` (field `customer`) when `i` is not a customer
    /// index of this result, and any error of the classification on `i`'s rows.
    pub fn explain(
        &self,
        a: &Activity,
        contacts: &Contacts,
        opts: &ClassifyOptions,
        p_alive: Option<&[f64]>,
        i: usize,
    ) -> Result<CustomerClass, Error> {
        let email = contacts.email.and_then(|c| c.get(i).copied().flatten());
        let phone = contacts.phone.and_then(|c| c.get(i).copied().flatten());
        let p = p_alive.and_then(|p| p.get(i)).copied();
        self.explain_one(a, email, phone, opts, p, i)
    }

    /// [`ClassColumns::explain`] given customer `i`'s own contact values and P(alive) (what
    /// a caller keeping its columns elsewhere has at hand; no contact column is needed).
    pub fn explain_one(
        &self,
        a: &Activity,
        email: Option<&str>,
        phone: Option<&str>,
        opts: &ClassifyOptions,
        p_alive: Option<f64>,
        i: usize,
    ) -> Result<CustomerClass, Error> {
        if i >= self.len() {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "no customer {i}: the classification has {} customers",
                    self.len()
                ),
            )
            .field("customer"));
        }
        opts.validate()?;
        let rows = CustomerRows::gather(a, i);
        let one = rows.activity(a, self.as_of);
        one.validate()?;
        let (agg, ex) = aggregate_grouped(&one, 1, self.as_of, opts.decline_window_days)?;
        let as_of = self.as_of.unwrap_or(0);
        let mut buf = Buffers::default();
        let mut f = facts_of(&agg, &ex, 0, as_of, opts, &mut buf);
        f.explain = true;
        f.i = i;
        f.value_class = ValueClass::ALL[self.value_class[i] as usize];
        f.p_alive = p_alive;
        f.email = ContactColumn::value(email, Kind::Email, self.dup_email.of(i));
        f.phone = ContactColumn::value(phone, Kind::Phone, self.dup_phone.of(i));
        let mut flags = Vec::new();
        let c = evaluate(&f, opts, |flag| flags.push(flag));
        Ok(c.with_flags(flags))
    }
}

/// One customer's rows of every table, in input order (so sums add up in the same order).
#[derive(Default)]
struct CustomerRows {
    o_day: Vec<i32>,
    o_amount: Vec<f64>,
    o_status: Vec<OrderStatus>,
    o_discount: Vec<f64>,
    i_day: Vec<i32>,
    i_kind: Vec<InteractionKind>,
    i_value: Vec<f64>,
    r_day: Vec<i32>,
    r_amount: Vec<f64>,
    p_day: Vec<i32>,
    p_amount: Vec<f64>,
    p_status: Vec<PaymentStatus>,
    p_late: Vec<f64>,
    created: Vec<i32>,
    zeros: Vec<u32>,
}

impl CustomerRows {
    fn gather(a: &Activity, i: usize) -> CustomerRows {
        let mut r = CustomerRows::default();
        let c = i as u32;
        let o = &a.orders;
        for k in (0..o.customer.len()).filter(|&k| o.customer[k] == c) {
            r.o_day.push(o.day[k]);
            r.o_amount.push(o.amount[k]);
            if let Some(s) = o.status {
                r.o_status.push(s[k]);
            }
            if let Some(d) = o.discount {
                r.o_discount.push(d[k]);
            }
        }
        let it = &a.interactions;
        for k in (0..it.customer.len()).filter(|&k| it.customer[k] == c) {
            r.i_day.push(it.day[k]);
            r.i_kind.push(it.kind[k]);
            if let Some(v) = it.value {
                r.i_value.push(v[k]);
            }
        }
        let rt = &a.returns;
        for k in (0..rt.customer.len()).filter(|&k| rt.customer[k] == c) {
            r.r_day.push(rt.day[k]);
            r.r_amount.push(rt.amount[k]);
        }
        let p = &a.payments;
        for k in (0..p.customer.len()).filter(|&k| p.customer[k] == c) {
            r.p_day.push(p.day[k]);
            r.p_amount.push(p.amount[k]);
            r.p_status.push(p.status[k]);
            if let Some(d) = p.days_late {
                r.p_late.push(d[k]);
            }
        }
        if let Some(&d) = a.created_at.and_then(|c| c.get(i)) {
            r.created.push(d);
        }
        let most = r.o_day.len().max(r.i_day.len()).max(r.r_day.len());
        r.zeros = vec![0; most.max(r.p_day.len())];
        r
    }

    /// The rows as an activity of one customer (index 0) on `as_of`.
    fn activity<'s>(&'s self, a: &Activity, as_of: Option<i32>) -> Activity<'s> {
        let z = |len: usize| &self.zeros[..len];
        Activity {
            orders: activity::Orders {
                customer: z(self.o_day.len()),
                day: &self.o_day,
                amount: &self.o_amount,
                status: a.orders.status.map(|_| &self.o_status[..]),
                discount: a.orders.discount.map(|_| &self.o_discount[..]),
            },
            interactions: activity::Interactions {
                customer: z(self.i_day.len()),
                day: &self.i_day,
                kind: &self.i_kind,
                value: a.interactions.value.map(|_| &self.i_value[..]),
            },
            returns: activity::Returns {
                customer: z(self.r_day.len()),
                day: &self.r_day,
                amount: &self.r_amount,
            },
            payments: activity::Payments {
                customer: z(self.p_day.len()),
                day: &self.p_day,
                amount: &self.p_amount,
                status: &self.p_status,
                days_late: a.payments.days_late.map(|_| &self.p_late[..]),
            },
            created_at: a.created_at.map(|_| &self.created[..]),
            customer_count: Some(1),
            as_of,
        }
    }
}

/// What the whole-population part of the classification computes once: aggregates, the
/// extra pass, revenue and its value cut-offs, the normalised contacts and their groups.
struct Pass {
    n: usize,
    as_of: Option<i32>,
    agg: activity::Aggregates,
    ex: Extra,
    revenue: Vec<f64>,
    cut: ValueCut,
    email: ContactColumn,
    phone: ContactColumn,
}

impl Pass {
    fn new(a: &Activity, contacts: &Contacts, opts: &ClassifyOptions) -> Result<Pass, Error> {
        opts.validate()?;
        let e_len = contacts.email.map_or(0, |c| c.len());
        let p_len = contacts.phone.map_or(0, |c| c.len());
        if let Some(n) = a.customer_count {
            for (field, len) in [("email", e_len), ("phone", p_len)] {
                if len > n {
                    return Err(Error::new(
                        ErrorCode::LengthMismatch,
                        format!(
                            "{}: {field} has {len} entries but the customer count is {n}",
                            activity::CUSTOMERS
                        ),
                    )
                    .field(field));
                }
            }
        }
        let contact_len = e_len.max(p_len);
        let v = match a.validate() {
            Err(e) if e.code == ErrorCode::EmptyInput && contact_len > 0 => Activity {
                customer_count: Some(contact_len),
                ..*a
            }
            .validate()?,
            r => r?,
        };
        let n = v.customer_count.max(contact_len);
        let (agg, ex) = aggregate_grouped(a, n, v.as_of, opts.decline_window_days)?;
        let revenue: Vec<f64> = (0..n).map(|i| agg.order(i).completed_amount).collect();
        let cut = ValueCut::new(&revenue, opts);
        let email = ContactColumn::new(contacts.email, n, Kind::Email);
        let phone = ContactColumn::new(contacts.phone, n, Kind::Phone);
        Ok(Pass {
            n,
            as_of: agg.as_of,
            agg,
            ex,
            revenue,
            cut,
            email,
            phone,
        })
    }

    /// Customer `i`'s facts (`explain`: the rules write sentences and evidence).
    fn facts<'s>(
        &'s self,
        i: usize,
        contacts: &Contacts<'s>,
        p_alive: Option<&[f64]>,
        opts: &ClassifyOptions,
        explain: bool,
        buf: &mut Buffers,
    ) -> Facts<'s> {
        let mut f = facts_of(&self.agg, &self.ex, i, self.as_of.unwrap_or(0), opts, buf);
        f.explain = explain;
        f.value_class = self.cut.class(self.revenue[i]);
        f.p_alive = p_alive.and_then(|p| p.get(i)).copied();
        f.email = self.email.contact(contacts.email, i);
        f.phone = self.phone.contact(contacts.phone, i);
        f
    }
}

/// The activity facts of aggregate index `k` (customer index, contacts, value class and
/// P(alive) are the caller's to set).
fn facts_of<'s>(
    agg: &activity::Aggregates,
    ex: &'s Extra,
    k: usize,
    as_of: i32,
    opts: &ClassifyOptions,
    buf: &mut Buffers,
) -> Facts<'s> {
    let days = ex.days(k);
    let o = agg.order(k);
    // Fewer days than rhythm_min_orders: fewer distinct days too, no rhythm.
    let (distinct, median_gap) = if days.len() >= opts.rhythm_min_orders as usize {
        rhythm(days, &mut buf.gaps)
    } else {
        (0, f64::NAN)
    };
    Facts {
        explain: false,
        i: k,
        as_of,
        o,
        it: agg.interaction(k),
        ret: agg.returned(k),
        pay: agg.payment(k),
        created: agg.created(k),
        days,
        sc: ex.per[k],
        completed: o.count(OrderStatus::Completed),
        recency: days.last().map(|&d| as_of - d),
        rhythm_gap: (distinct >= opts.rhythm_min_orders as usize && median_gap >= 1.0)
            .then_some(median_gap),
        p_alive: None,
        value_class: ValueClass::Low,
        email: Contact::default(),
        phone: Contact::default(),
    }
}

// ---------------------------------------------------------------------------------------
// The rules, one function each.

/// Everything the rules read about one customer, computed once.
struct Facts<'a> {
    /// Write the sentences and the evidence of the flags (else each fired flag has an
    /// empty reason and evidence: only its code counts).
    explain: bool,
    i: usize,
    as_of: i32,
    o: activity::OrderStats,
    it: activity::InteractionStats,
    ret: activity::ReturnStats,
    pay: activity::PaymentStats,
    created: Option<i32>,
    /// Completed order days, sorted.
    days: &'a [i32],
    sc: Scratch,
    completed: u32,
    /// Days since the latest completed order.
    recency: Option<i32>,
    /// The customer's own median gap, when known (enough distinct order days).
    rhythm_gap: Option<f64>,
    p_alive: Option<f64>,
    value_class: ValueClass,
    email: Contact<'a>,
    phone: Contact<'a>,
}

impl Facts<'_> {
    /// A fired flag; the sentence and the evidence are built only when explaining.
    fn flag(
        &self,
        code: FlagCode,
        reason: impl FnOnce() -> String,
        evidence: impl FnOnce() -> Vec<(&'static str, EvidenceValue)>,
    ) -> Flag {
        if self.explain {
            Flag::new(code, reason(), evidence())
        } else {
            Flag::new(code, String::new(), Vec::new())
        }
    }
}

/// A junk-customer rule: the flag it raises for one customer, if any.
type FlagRule = fn(&Facts, &ClassifyOptions) -> Option<Flag>;

/// The junk-customer rules, in flag-code order (the module documentation states each).
const FLAG_RULES: [FlagRule; 9] = [
    high_return_rate,
    one_time_low_value,
    no_activity,
    repeated_complaints,
    payment_failures,
    invalid_email,
    invalid_phone,
    duplicate_contact,
    price_sensitive,
];

/// One customer's classes as codes (bit sets for the flags and the churn reasons).
#[derive(Clone, Copy)]
struct Codes {
    lifecycle: Lifecycle,
    lead_stage: LeadStage,
    value_class: ValueClass,
    loyalty: Loyalty,
    flags: u16,
    junk: bool,
    churn_risk: ChurnRisk,
    churn_reasons: u8,
}

impl Codes {
    fn with_flags(self, flags: Vec<Flag>) -> CustomerClass {
        CustomerClass {
            lifecycle: self.lifecycle,
            lead_stage: self.lead_stage,
            value_class: self.value_class,
            loyalty: self.loyalty,
            flags,
            junk: self.junk,
            churn_risk: self.churn_risk,
            churn_reasons: ChurnReason::ALL
                .iter()
                .copied()
                .filter(|&r| self.churn_reasons & (1 << r as u8) != 0)
                .collect(),
        }
    }
}

/// Classifies one customer: flags (each fired one handed to `on_flag`, in code order),
/// junk, lifecycle, loyalty, lead stage, churn warning.
fn evaluate(f: &Facts, opts: &ClassifyOptions, mut on_flag: impl FnMut(Flag)) -> Codes {
    let (mut flags, mut warnings, mut critical) = (0u16, 0u32, false);
    for rule in FLAG_RULES {
        if let Some(flag) = rule(f, opts) {
            debug_assert!(flags >> flag.code as u16 == 0, "rules in code order");
            flags |= 1 << flag.code as u16;
            warnings += (flag.severity == Severity::Warning) as u32;
            critical |= flag.severity == Severity::Critical;
            on_flag(flag);
        }
    }
    let has = |code: FlagCode| flags & (1 << code as u16) != 0;
    let junk = critical || warnings >= opts.junk_warnings;
    let lifecycle = lifecycle(f, opts);
    let loyalty = loyalty(
        f,
        lifecycle,
        has(FlagCode::HighReturnRate),
        has(FlagCode::RepeatedComplaints),
        opts,
    );
    let lead_stage = lead_stage(f, lifecycle, loyalty);
    let churn_reasons = churn_reasons(f, lifecycle, opts);
    let churn_risk = if lifecycle == Lifecycle::Churned || churn_reasons.count_ones() >= 2 {
        ChurnRisk::High
    } else if churn_reasons != 0 {
        ChurnRisk::Medium
    } else {
        ChurnRisk::Low
    };
    Codes {
        lifecycle,
        lead_stage,
        value_class: f.value_class,
        loyalty,
        flags,
        junk,
        churn_risk,
        churn_reasons,
    }
}

fn high_return_rate(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let returned = f.o.count(OrderStatus::Returned);
    let purchased = f.completed + returned;
    if purchased < opts.return_min_purchases {
        return None;
    }
    let back = returned + f.ret.count;
    let rate = (back as f64 / purchased as f64).min(1.0);
    (rate >= opts.high_return_rate).then(|| {
        f.flag(
            FlagCode::HighReturnRate,
            || format!(
                "returned {back} of {purchased} purchases ({}), threshold {} with at least {} purchases",
                pct(rate),
                pct(opts.high_return_rate),
                opts.return_min_purchases
            ),
            || vec![("returnRate", num(rate)), ("returned", num(back)), ("purchased", num(purchased))],
        )
    })
}

fn one_time_low_value(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    if f.completed != 1 {
        return None;
    }
    let amount = f.o.completed_amount;
    let age = f.recency.unwrap_or(0);
    (amount < opts.one_time_amount && age >= opts.new_days).then(|| {
        f.flag(
            FlagCode::OneTimeLowValue,
            || {
                format!(
                    "a single order of {} (below {}) {age} days ago and none since",
                    describe_number(amount),
                    describe_number(opts.one_time_amount)
                )
            },
            || {
                vec![
                    ("orderCount", num(1)),
                    ("amount", num(amount)),
                    ("daysSinceOrder", num(age)),
                ]
            },
        )
    })
}

fn no_activity(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let last = f.sc.last_event;
    if last == i32::MIN {
        let created_age = f.created.map(|c| f.as_of - c);
        if created_age.is_some_and(|g| g < opts.no_activity_days) {
            return None;
        }
        return Some(f.flag(
            FlagCode::NoActivity,
            || match created_age {
                Some(g) => format!("no order and no interaction ever, created {g} days ago"),
                None => "no order and no interaction ever".to_string(),
            },
            || {
                let mut ev = vec![("lastActivity", text("never"))];
                if let Some(g) = created_age {
                    ev.push(("daysSinceCreated", num(g)));
                }
                ev
            },
        ));
    }
    let g = f.as_of - last;
    (g >= opts.no_activity_days).then(|| {
        f.flag(
            FlagCode::NoActivity,
            || {
                format!(
                    "no order and no interaction for {g} days (threshold {})",
                    opts.no_activity_days
                )
            },
            || vec![("daysSinceLastActivity", num(g))],
        )
    })
}

fn repeated_complaints(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let complaints = f.it.count(InteractionKind::Complaint);
    (complaints >= opts.complaint_count).then(|| {
        f.flag(
            FlagCode::RepeatedComplaints,
            || {
                format!(
                    "{complaints} complaints (threshold {})",
                    opts.complaint_count
                )
            },
            || vec![("complaints", num(complaints))],
        )
    })
}

fn payment_failures(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let failed = f.pay.count(PaymentStatus::Failed);
    let chargeback = f.pay.count(PaymentStatus::Chargeback);
    let refused = f.o.count(OrderStatus::Refused);
    let failures = failed + chargeback + refused;
    (failures >= opts.payment_failures).then(|| {
        f.flag(
            FlagCode::PaymentFailures,
            || format!(
                "{failures} payment failures: {failed} failed, {chargeback} charged back, {refused} orders refused (threshold {})",
                opts.payment_failures
            ),
            || vec![("failed", num(failed)), ("chargeback", num(chargeback)), ("refused", num(refused)), ("total", num(failures))],
        )
    })
}

fn invalid_email(f: &Facts, _: &ClassifyOptions) -> Option<Flag> {
    let e = f.email.invalid()?;
    Some(f.flag(
        FlagCode::InvalidEmail,
        || format!("malformed email {e:?}"),
        || vec![("email", text(e))],
    ))
}

fn invalid_phone(f: &Facts, _: &ClassifyOptions) -> Option<Flag> {
    let p = f.phone.invalid()?;
    Some(f.flag(
        FlagCode::InvalidPhone,
        || format!("malformed phone number {p:?}"),
        || vec![("phone", text(p))],
    ))
}

fn duplicate_contact(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let (ge, gp) = (f.email.group, f.phone.group);
    if ge.len() < 2 && gp.len() < 2 {
        return None;
    }
    let others = |g: &[u32]| -> Option<(usize, Vec<u32>)> {
        if g.len() < 2 {
            return None;
        }
        let list: Vec<u32> = g
            .iter()
            .copied()
            .filter(|&j| j as usize != f.i)
            .take(opts.max_duplicate_evidence as usize)
            .collect();
        Some((g.len() - 1, list))
    };
    let mut flag = f.flag(FlagCode::DuplicateContact, String::new, || {
        let mut ev = Vec::new();
        for (key, dup) in [("Email", others(ge)), ("Phone", others(gp))] {
            if let Some((k, list)) = dup {
                let (count, of) = match key {
                    "Email" => ("duplicateEmailCount", "duplicateEmailOf"),
                    _ => ("duplicatePhoneCount", "duplicatePhoneOf"),
                };
                ev.push((count, num(k as f64)));
                ev.push((of, EvidenceValue::Customers(list)));
            }
        }
        ev
    });
    if f.explain {
        flag.reason = duplicate_contact_reason(&flag, |j| j.to_string());
    }
    Some(flag)
}

/// The sentence of a `duplicate_contact` flag from its evidence, naming the other customers
/// with `label` (the core uses indices; the binding renders the caller's ids).
pub fn duplicate_contact_reason(flag: &Flag, label: impl Fn(u32) -> String) -> String {
    let mut parts = Vec::new();
    for (what, count, of) in [
        ("email", "duplicateEmailCount", "duplicateEmailOf"),
        ("phone", "duplicatePhoneCount", "duplicatePhoneOf"),
    ] {
        if let (Some(EvidenceValue::Num(k)), Some(EvidenceValue::Customers(list))) =
            (flag.get(count), flag.get(of))
        {
            let names: Vec<String> = list.iter().map(|&j| label(j)).collect();
            parts.push(format!(
                "{what} shared with {k} other customer(s) ({})",
                names.join(", ")
            ));
        }
    }
    parts.join("; ")
}

fn price_sensitive(f: &Facts, opts: &ClassifyOptions) -> Option<Flag> {
    let (disc, completed) = (f.sc.discounted, f.completed);
    if completed < opts.price_sensitive_min_orders {
        return None;
    }
    let share = disc as f64 / completed as f64;
    (share >= opts.price_sensitive_share).then(|| {
        f.flag(
            FlagCode::PriceSensitive,
            || {
                format!(
                    "{disc} of {completed} orders bought on discount ({}), threshold {}",
                    pct(share),
                    pct(opts.price_sensitive_share)
                )
            },
            || {
                vec![
                    ("discountedOrders", num(disc)),
                    ("orders", num(completed)),
                    ("discountShare", num(share)),
                ]
            },
        )
    })
}

fn lifecycle(f: &Facts, opts: &ClassifyOptions) -> Lifecycle {
    let Some(r) = f.recency else {
        return Lifecycle::Prospect;
    };
    let days = f.days;
    let rhythm_over = |k: f64| f.rhythm_gap.is_some_and(|g| r as f64 > k * g);
    let first_age = f.as_of - days[0];
    let last_gap = days
        .len()
        .checked_sub(2)
        .map(|k| days[days.len() - 1] - days[k]);
    if r >= opts.churn_days || (rhythm_over(opts.rhythm_factor) && r >= opts.rhythm_min_days) {
        Lifecycle::Churned
    } else if r >= opts.at_risk_days || rhythm_over(opts.overdue_factor) {
        Lifecycle::AtRisk
    } else if last_gap.is_some_and(|g| g >= opts.churn_days) && r < opts.new_days {
        Lifecycle::Reactivated
    } else if first_age < opts.new_days {
        Lifecycle::New
    } else {
        Lifecycle::Active
    }
}

fn loyalty(
    f: &Facts,
    lifecycle: Lifecycle,
    high_return: bool,
    complainer: bool,
    opts: &ClassifyOptions,
) -> Loyalty {
    if lifecycle == Lifecycle::Churned || high_return {
        Loyalty::Disloyal
    } else if lifecycle == Lifecycle::Active
        && f.completed >= opts.loyal_min_orders
        && f.days
            .first()
            .is_some_and(|&d| f.as_of - d >= opts.loyal_min_tenure_days)
        && !complainer
    {
        Loyalty::Loyal
    } else {
        Loyalty::Neutral
    }
}

fn lead_stage(f: &Facts, lifecycle: Lifecycle, loyalty: Loyalty) -> LeadStage {
    let engaged = f.it.by_kind.iter().any(|&k| k > 0) || f.o.by_status.iter().any(|&k| k > 0);
    if lifecycle == Lifecycle::Churned {
        LeadStage::Churned
    } else if f.completed > 0 && loyalty == Loyalty::Loyal {
        LeadStage::Loyal
    } else if f.completed > 0 {
        LeadStage::Won
    } else if engaged {
        LeadStage::Target
    } else {
        LeadStage::Potential
    }
}

/// The churn-warning reasons as a bit set (bit k = [`ChurnReason`] k).
fn churn_reasons(f: &Facts, lifecycle: Lifecycle, opts: &ClassifyOptions) -> u8 {
    let bit = |r: ChurnReason| 1u8 << r as u8;
    let mut reasons = 0;
    if lifecycle == Lifecycle::Churned {
        reasons |= bit(ChurnReason::Churned);
    } else if let (Some(r), Some(g)) = (f.recency, f.rhythm_gap) {
        if r as f64 > opts.overdue_factor * g {
            reasons |= bit(ChurnReason::Overdue);
        }
    }
    let (rec, prev) = (f.sc.recent, f.sc.previous);
    if prev >= opts.decline_min_previous && (rec as f64) <= (1.0 - opts.decline_share) * prev as f64
    {
        reasons |= bit(ChurnReason::ActivityDecline);
    }
    if lifecycle != Lifecycle::Churned {
        if let Some(pa) = f.p_alive {
            if pa < opts.p_alive_threshold {
                reasons |= bit(ChurnReason::LowPAlive);
            }
        }
    }
    reasons
}

/// Pareto value classes (module documentation; ties share a class) as the two revenue
/// cut-offs they amount to: the class falls as revenue falls, so `High` = revenue ≥ the
/// smallest revenue with `above < high_value_share × T`, and likewise `Mid`. Found on the
/// sorted revenues (positive finite f64 order as their bits), with the same sums in the
/// same order as a walk over the customers by falling revenue.
struct ValueCut {
    high_min: Option<f64>,
    mid_min: Option<f64>,
}

impl ValueCut {
    #[inline(never)]
    fn new(revenue: &[f64], opts: &ClassifyOptions) -> ValueCut {
        let mut keys: Vec<u64> = revenue
            .iter()
            .filter(|&&r| r > 0.0)
            .map(|r| r.to_bits())
            .collect();
        // Positive f64s order as their bits.
        crate::sort::radix_sort_u64(&mut keys);
        let total: f64 = keys.iter().rev().map(|&k| f64::from_bits(k)).sum();
        let (high, mid) = (opts.high_value_share * total, opts.mid_value_share * total);
        let mut cut = ValueCut {
            high_min: None,
            mid_min: None,
        };
        let mut above = 0.0;
        let mut k = keys.len();
        while k > 0 {
            let key = keys[k - 1];
            let r = f64::from_bits(key);
            if above >= mid {
                break;
            }
            cut.mid_min = Some(r);
            if above < high {
                cut.high_min = Some(r);
            }
            let mut group_sum = 0.0;
            while k > 0 && keys[k - 1] == key {
                group_sum += r;
                k -= 1;
            }
            above += group_sum;
        }
        cut
    }

    fn class(&self, r: f64) -> ValueClass {
        if r > 0.0 && self.high_min.is_some_and(|m| r >= m) {
            ValueClass::High
        } else if r > 0.0 && self.mid_min.is_some_and(|m| r >= m) {
            ValueClass::Mid
        } else {
            ValueClass::Low
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{hash_bytes, Groups};

    fn groups(g: &Groups, n: usize) -> Vec<Option<Vec<u32>>> {
        (0..n).map(|i| g.of(i).map(|x| x.to_vec())).collect()
    }

    fn build(v: &[Option<&str>], hash: impl Fn(&[u8]) -> u64) -> Groups {
        let value = |i: usize| v[i].map(str::as_bytes);
        let pairs = (0..v.len())
            .filter_map(|i| value(i).map(|x| (hash(x), i as u32)))
            .collect();
        Groups::build(v.len(), pairs, value)
    }

    #[test]
    fn groups_split_hash_collisions_by_value() {
        let v = [
            Some("b"),
            None,
            Some("a"),
            Some("b"),
            Some("c"),
            Some("a"),
            Some("b"),
        ];
        let expect = vec![
            Some(vec![0, 3, 6]),
            None,
            Some(vec![2, 5]),
            Some(vec![0, 3, 6]),
            None,
            Some(vec![2, 5]),
            Some(vec![0, 3, 6]),
        ];
        assert_eq!(groups(&build(&v, hash_bytes), v.len()), expect);
        // Every value hashing alike: the same groups.
        assert_eq!(groups(&build(&v, |_| 7), v.len()), expect);
        // Two colliding classes of values.
        assert_eq!(groups(&build(&v, |s| (s == b"c") as u64), v.len()), expect);
    }

    /// The str-based checks this module had before the byte versions, as references.
    fn email_reference(e: &str) -> bool {
        let mut parts = e.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
        if !local_ok || domain.len() > 253 || !domain.contains('.') {
            return false;
        }
        let labels_ok = domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        let tld = domain.rsplit('.').next().unwrap_or("");
        labels_ok && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
    }

    fn phone_reference(s: &str) -> Option<String> {
        let t = s.trim();
        let (plus, body) = match t.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let mut digits = String::new();
        for ch in body.chars() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return None,
            }
        }
        let cn_rest = |p: &str| {
            digits
                .strip_prefix(p)
                .filter(|r| r.len() == 11 && r.starts_with('1'))
                .map(str::to_string)
        };
        let (digits, cn) = if let Some(r) = cn_rest("0086").or_else(|| cn_rest("86")) {
            (r, true)
        } else {
            let cn = !plus && digits.len() == 11 && digits.starts_with('1');
            (digits, cn)
        };
        let b = digits.as_bytes();
        let ok = if cn {
            b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
        } else {
            (7..=15).contains(&b.len())
        };
        let repeated = b.iter().all(|&d| Some(&d) == b.first());
        (ok && !repeated).then_some(digits)
    }

    #[test]
    fn byte_checks_match_the_str_checks() {
        let emails = [
            "a@b.co",
            "a@b.c",
            "a@b",
            "@b.co",
            "a@@b.co",
            "a@b@c.co",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "a.b@c.co",
            "a@-b.co",
            "a@b-.co",
            "a@b..co",
            "a@.b.co",
            "a@b.co.",
            "a@b.c0",
            "a+b_c!#$%&'*/=?^`{|}~-@x-y.example.org",
            "a b@c.co",
            "ü@b.co",
            "a@ü.co",
            "",
            "@",
            "a@b.co1",
            "x@y.zz",
            "(a)@b.co",
            "a@b_c.co",
        ];
        let long_local = format!("{}@b.co", "a".repeat(65));
        let ok_local = format!("{}@b.co", "a".repeat(64));
        let long_label = format!("a@{}.co", "b".repeat(64));
        let long_domain = format!("a@{}co", "b.".repeat(126));
        for e in
            emails
                .iter()
                .copied()
                .chain([&long_local[..], &ok_local, &long_label, &long_domain])
        {
            assert_eq!(super::email_is_valid(e), email_reference(e), "{e:?}");
        }
        let phones = [
            "13800001111",
            " +86 138 0000 1111 ",
            "0086 13800001111",
            "8613800001111",
            "+8613800001111",
            "12345678901",
            "+12345678901",
            "+1 (202) 555-0100",
            "00000000",
            "13333333333",
            "123456",
            "1234567",
            "123456789012345",
            "1234567890123456",
            "138-0000-1111",
            "138.0000.1111",
            "138/0000/1111",
            "++13800001111",
            "+",
            "",
            "１３８００００１１１１",
            "86 12345678901",
            "0086 1380000111",
            "861380000111",
            "008613800001111",
            "+0086 13800001111",
        ];
        for p in phones {
            assert_eq!(super::normalize_phone(p), phone_reference(p), "{p:?}");
        }
    }
}
