//! A deterministic generator of realistic CRM data — customers with contacts and
//! attributes, orders, interactions, returns and payments — with planted, recorded truth
//! labels, and [`evaluate`], which scores a
//! [`Classification`] of the sample against that truth.
//!
//! Everything is columnar (one `Vec` per field, row `k` of every column of a table is one
//! row; customers are referred to by their 0-based index), ready for
//! [`CrmSample::activity`] / [`CrmSample::classify`] and for a JavaScript binding. Same
//! options (seed included) → the same sample, bit for bit, on every platform: the generator
//! uses only IEEE-exact arithmetic (its own `ln` / `exp`, no platform libm), which
//! [`CrmSample::digest`] lets a test check (native and WebAssembly agree).
//!
//! Cost: about 30 rows (orders, interactions, payments) and 0.8 KB per customer (1M
//! customers: ≈ 10.5M orders, 8M interactions, 10.2M payments, ≈ 0.8 GB), generated in one
//! pass with per-customer scratch reused; `examples/crm_eval.rs` times it (measured:
//! README, "Design").
//!
//! # The population
//!
//! Each customer first gets a latent [`Persona`]: a share [`CrmSampleOptions::junk_share`]
//! is planted junk of one of eight kinds (fake sign-up 15 %, dead lead 10 %, one-timer
//! 15 %, serial returner 12 %, complainer 12 %, defaulter 12 %, duplicate 14 %, typo 10 %),
//! a share [`CrmSampleOptions::deal_hunter_share`] are deal hunters, the rest are regular.
//! The persona decides what is planted; the rows are then generated from it. Region,
//! channel and industry are drawn independently (fake sign-ups come mostly from search and
//! WeChat ads; overseas customers mostly have Latin names and foreign mobiles).
//!
//! **Regular behaviour** (every persona that buys follows it, with the persona's twist):
//! - created on a uniform day of the history (`years` × 365 days ending `as_of`); first
//!   contact that day; first purchase after an exponential delay (mean 10 days, or 200
//!   days for the 20 % with a long sales cycle) — customers whose first purchase would fall
//!   after `as_of` are prospects (interactions, no order).
//! - purchases as a renewal process with Erlang-2 gaps (more regular than Poisson, as
//!   repeat purchases are: Chatfield & Goodhardt), a personal mean gap from a gamma-
//!   distributed rate (mean ≈ 40 days, heavy right tail of rare buyers); order amounts
//!   Erlang-6 around a personal log-normal mean (median ≈ 400), both shifted by channel and
//!   industry.
//! - churn (the "known churners"): with probability `churn_share` (× a channel factor:
//!   referrals stay longer, cold calls leave sooner) the customer's process stops on a day
//!   `S` drawn uniformly between the first purchase and `as_of` (30 % leave right after
//!   their first purchase); as in BG/NBD the customer leaves right after a purchase, so the
//!   last order is on day `S`, and nothing — no order, no interaction — follows it. A
//!   prospect that churns is a lead gone cold: its last contact is on `S`.
//! - interactions while alive: Erlang-3 gaps with a personal mean of 15–100 days (visits,
//!   emails, calls, meetings, quotes with the quoted amount as value, feedback with a
//!   1–5 score as value, training, referrals).
//! - orders: 2 % cancelled, 0.05 % returned whole, 0.06 % partly returned (a row of
//!   `returns`), 0.15 % carry a discount; cash-on-delivery orders are refused in 0.25 % of
//!   cases; per order one payment (same day for wallets and cards; 30-day terms for bank
//!   transfers, 15 % of which are late by 1–40 days; on delivery for COD), 0.08 % of card
//!   and wallet payments fail once before succeeding, 0.03 % are charged back; complaints
//!   follow 0.15 % of completed orders and 5 % of returns. Rows dated after `as_of` (a
//!   payment not yet due) are not emitted. Each customer's orders and interactions are
//!   contiguous rows in ascending day order; returns and payments name their order's row.
//! - contacts: a unique valid email (85 %; the rest none or a blank cell) and a unique
//!   valid phone (92 %): Chinese mobiles `1[3-9]…` written in several ways (`13812345678`,
//!   `138 1234 5678`, `+86 138-1234-5678`, …) or, for overseas customers, `+49` / `+33`
//!   mobiles; names mix Chinese characters (王伟), pinyin (Wang Wei / Wei Wang) and Latin
//!   names (Emma Müller).
//!
//! These base rates are low on purpose: the junk rules fire on very few events (one
//! returned order out of two is a 50 % return rate), so a realistic but *clean* base
//! population is what makes planted junk identifiable; the rare regular customers that
//! trip a rule anyway are honest false positives in [`evaluate`].
//!
//! **Planted personas** (the truth [`FlagSet`] of each, before the duplicates' originals
//! and dormancy are added):
//! | persona | planted | how |
//! |---|---|---|
//! | `fake_signup` | `invalid_email` and/or `invalid_phone` | malformed contacts (`wang@qq`, `N/A`, `1381234567O`, …), never any activity |
//! | `dead_lead` | — | valid contacts, never any activity (an imported list) |
//! | `one_timer` | `one_time_low_value` | exactly one completed order of 5–46, at least 95 days before `as_of`, then gone |
//! | `serial_returner` | `high_return_rate` | ≥ 3 purchases, ≥ 60 % of them returned (whole order or a `returns` row) |
//! | `complainer` | `repeated_complaints` | regular, plus 3–7 complaints spread over its life |
//! | `defaulter` | `payment_failures` | ≥ 2 failed payments, charge-backs or refused COD orders; a quarter with a fake phone (`invalid_phone`) |
//! | `duplicate` | `duplicate_contact` (also on the original) | a second record of an earlier customer — the same person (same name or its other spelling) with the same email (other case, spaces) and/or phone (other format); 40 % never active |
//! | `typo_contact` | `invalid_email` and/or `invalid_phone` | a regular customer with a mistyped email or phone |
//! | `deal_hunter` | `price_sensitive` | ≥ 2 completed orders, ≥ 60 % of them on discount, smaller baskets |
//!
//! **Dormancy** (`no_activity`) is latent too: a customer is planted dormant when its
//! activity never began (no order, no interaction) and it was created at least
//! [`DORMANT_DAYS`] before `as_of`, or its process stopped (day `S`) at least
//! [`DORMANT_DAYS`] before `as_of`. (Since a churner's last act is on `S`, for churners this
//! coincides with the observable silence; what [`evaluate`] tests there is that living but
//! quiet customers are not flagged.)
//!
//! Truth thresholds match the *default* [`ClassifyOptions`]; evaluating a classification
//! made with other options measures the options, not the rules.

use crmscore::activity::{
    Activity, InteractionKind, Interactions, OrderStatus, Orders, PaymentStatus, Payments, Returns,
};
use crmscore::classify::{
    self, ChurnRisk, Classification, ClassifyOptions, Contacts, FlagCode, Severity,
};
use crmscore::code_enum;
use crmscore::dates;
use crmscore::error::{describe_number, Error, ErrorCode};
use crmscore::sample::Rng;
use std::fmt;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// Days of silence after which a customer is planted dormant (= the default `noActivityDays`).
pub const DORMANT_DAYS: i32 = 365;
/// Largest number of customers [`generate`] accepts (unique contacts are guaranteed up to it).
pub const MAX_CUSTOMERS: usize = 10_000_000;
/// Longest history in years.
pub const MAX_YEARS: u32 = 50;

// ---------------------------------------------------------------------------------------
// Code enums.

code_enum!(
    /// Sales region (labels in Chinese, as a Chinese CRM shows them).
    Region {
        East => "华东",
        South => "华南",
        North => "华北",
        Central => "华中",
        Southwest => "西南",
        Northwest => "西北",
        Northeast => "东北",
        Overseas => "海外",
    }
);
code_enum!(
    /// Acquisition channel.
    Channel { Search => "search", Wechat => "wechat", Referral => "referral", TradeShow => "trade_show", ColdCall => "cold_call" }
);
code_enum!(
    /// The customer's industry.
    Industry {
        Retail => "retail",
        Manufacturing => "manufacturing",
        Software => "software",
        Education => "education",
        Healthcare => "healthcare",
        Hospitality => "hospitality",
        Logistics => "logistics",
        Finance => "finance",
    }
);
code_enum!(
    /// How an order was paid.
    PaymentMethod { Alipay => "alipay", WechatPay => "wechat_pay", Card => "card", BankTransfer => "bank_transfer", Cod => "cod" }
);
code_enum!(
    /// The latent type a customer was generated from (see the module documentation).
    Persona {
        Regular => "regular",
        DealHunter => "deal_hunter",
        FakeSignup => "fake_signup",
        DeadLead => "dead_lead",
        OneTimer => "one_timer",
        SerialReturner => "serial_returner",
        Complainer => "complainer",
        Defaulter => "defaulter",
        Duplicate => "duplicate",
        TypoContact => "typo_contact",
    }
);

impl Persona {
    /// One of the eight junk personas (every persona but regular and deal hunter). Whether
    /// `classify` calls such a customer junk depends on its flags: a single warning (a
    /// complainer, say) is not junk with the default `junkWarnings` 2 — see
    /// [`FlagSet::is_junk`].
    pub fn is_junk(self) -> bool {
        !matches!(self, Persona::Regular | Persona::DealHunter)
    }
}

/// A set of [`FlagCode`]s as a bit mask (bit `code as usize`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct FlagSet(pub u16);

impl FlagSet {
    pub const EMPTY: FlagSet = FlagSet(0);
    pub fn contains(self, c: FlagCode) -> bool {
        self.0 & (1 << c as usize) != 0
    }
    pub fn insert(&mut self, c: FlagCode) {
        self.0 |= 1 << c as usize;
    }
    pub fn with(mut self, c: FlagCode) -> Self {
        self.insert(c);
        self
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn bits(self) -> u16 {
        self.0
    }
    /// The codes in the set, in [`FlagCode`] order.
    pub fn iter(self) -> impl Iterator<Item = FlagCode> {
        FlagCode::ALL
            .iter()
            .copied()
            .filter(move |&c| self.contains(c))
    }
    /// Junk as [`classify`] decides it, applied to these flags: a critical flag, or at
    /// least `junk_warnings` warnings.
    pub fn is_junk(self, junk_warnings: u32) -> bool {
        let warnings = self
            .iter()
            .filter(|c| c.severity() == Severity::Warning)
            .count();
        self.iter().any(|c| c.severity() == Severity::Critical)
            || warnings >= junk_warnings as usize
    }
}

// ---------------------------------------------------------------------------------------
// Options.

/// What to generate. `Default`: 10,000 customers, seed 1, `as_of` 2026-06-30, 3 years,
/// 8 % junk, 40 % churners, 4 % deal hunters. Error fields are the camelCase names.
#[derive(Clone, Debug, PartialEq)]
pub struct CrmSampleOptions {
    /// Number of customers, 1 ..= [`MAX_CUSTOMERS`]. `customers`.
    pub customers: usize,
    /// Any value; the same seed gives the same sample. `seed`.
    pub seed: u64,
    /// The analysis day (epoch day): no row is dated after it. `asOf`.
    pub as_of: i32,
    /// Length of the history in years of 365 days, 1 ..= [`MAX_YEARS`]. `years`.
    pub years: u32,
    /// Share of customers planted as junk (split over the eight junk personas), in [0, 1].
    /// `junkShare`.
    pub junk_share: f64,
    /// Probability that a customer's buying process stops before `as_of` (before the
    /// channel factor), in [0, 1]. `churnShare`.
    pub churn_share: f64,
    /// Share of deal hunters (planted `price_sensitive`), in [0, 1];
    /// `junk_share + deal_hunter_share ≤ 1`. `dealHunterShare`.
    pub deal_hunter_share: f64,
}

impl Default for CrmSampleOptions {
    fn default() -> Self {
        CrmSampleOptions {
            customers: 10_000,
            seed: 1,
            as_of: default_as_of(),
            years: 3,
            junk_share: 0.08,
            churn_share: 0.4,
            deal_hunter_share: 0.04,
        }
    }
}

/// 2026-06-30, the default analysis day.
pub fn default_as_of() -> i32 {
    dates::days_from_civil(2026, 6, 30) as i32
}

fn check_share(name: &str, x: f64) -> Result<(), Error> {
    if !(0.0..=1.0).contains(&x) {
        return Err(Error::option(
            name,
            format!(
                "{name} must be a number from 0 to 1, got {}",
                describe_number(x)
            ),
        ));
    }
    Ok(())
}

impl CrmSampleOptions {
    /// Check every option (the first invalid one is reported, in field order).
    pub fn validate(&self) -> Result<(), Error> {
        if self.customers == 0 || self.customers > MAX_CUSTOMERS {
            return Err(Error::option(
                "customers",
                format!(
                    "customers must be an integer from 1 to {MAX_CUSTOMERS}, got {}",
                    self.customers
                ),
            ));
        }
        if !(1..=MAX_YEARS).contains(&self.years) {
            return Err(Error::option(
                "years",
                format!(
                    "years must be an integer from 1 to {MAX_YEARS}, got {}",
                    self.years
                ),
            ));
        }
        let (lo, hi) = dates::day_bounds();
        let first = self.as_of as i64 - self.years as i64 * 365 + 1;
        if self.as_of > hi || first < lo as i64 {
            return Err(Error::option(
                "asOf",
                format!(
                    "asOf (epoch day {}) and the {} years before it must lie within {}..={}",
                    self.as_of,
                    self.years,
                    dates::format_day(lo),
                    dates::format_day(hi)
                ),
            ));
        }
        check_share("junkShare", self.junk_share)?;
        check_share("churnShare", self.churn_share)?;
        check_share("dealHunterShare", self.deal_hunter_share)?;
        if self.junk_share + self.deal_hunter_share > 1.0 {
            return Err(Error::option(
                "dealHunterShare",
                format!(
                    "junkShare + dealHunterShare must not exceed 1, got {} + {}",
                    describe_number(self.junk_share),
                    describe_number(self.deal_hunter_share)
                ),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Output.

pub use crmscore::columns::StrColumn;

/// One row per customer.
#[derive(Clone, Debug, Default)]
pub struct CrmCustomers {
    /// `C0000001`, `C0000002`, … (index + 1, at least 7 digits); always present.
    pub id: StrColumn,
    /// Epoch day the customer was created (on or before its first order and interaction).
    pub created_at: Vec<i32>,
    /// Always present.
    pub name: StrColumn,
    /// `None` = not given; `Some("")` = a blank cell (also "not given" to `classify`).
    pub email: StrColumn,
    /// As entered: spaces, dashes and `+86` vary; `None` / blank = not given.
    pub phone: StrColumn,
    pub region: Vec<Region>,
    pub channel: Vec<Channel>,
    pub industry: Vec<Industry>,
}

/// Orders, grouped by customer, ascending day within a customer.
#[derive(Clone, Debug, Default)]
pub struct CrmOrders {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    /// Amount paid (after discount), rounded to cents.
    pub amount: Vec<f64>,
    pub status: Vec<OrderStatus>,
    pub payment_method: Vec<PaymentMethod>,
    /// The discount granted on the order in currency units (list price − amount); `NaN` = none.
    pub discount: Vec<f64>,
}

/// Interactions, grouped by customer, ascending day within a customer.
#[derive(Clone, Debug, Default)]
pub struct CrmInteractions {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub kind: Vec<InteractionKind>,
    /// Feedback: the score 1–5; quote: the quoted amount; otherwise `NaN`.
    pub value: Vec<f64>,
}

/// Partial returns of completed orders (whole returns are orders with status returned).
#[derive(Clone, Debug, Default)]
pub struct CrmReturns {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    /// Row of the returned order in [`CrmOrders`].
    pub order: Vec<u32>,
}

/// Payments, grouped by customer.
#[derive(Clone, Debug, Default)]
pub struct CrmPayments {
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    pub status: Vec<PaymentStatus>,
    /// Days past the due date for late payments; `NaN` otherwise.
    pub days_late: Vec<f64>,
    /// Row of the paid order in [`CrmOrders`].
    pub order: Vec<u32>,
}

/// The planted truth, one row per customer.
#[derive(Clone, Debug, Default)]
pub struct CrmTruth {
    pub persona: Vec<Persona>,
    /// The flags the generator planted (see the module documentation).
    pub flags: Vec<FlagSet>,
    /// The customer's buying process stopped on or before `as_of` (a lead gone cold
    /// counts too; customers that never became active are not churned).
    pub churned: Vec<bool>,
    /// The day it stopped (its last order or contact); `i32::MIN` when not churned.
    pub churn_day: Vec<i32>,
}

/// A generated sample: the five tables and the truth.
#[derive(Clone, Debug)]
pub struct CrmSample {
    pub as_of: i32,
    /// First day of the history (`as_of − years × 365 + 1`).
    pub start: i32,
    pub customers: CrmCustomers,
    pub orders: CrmOrders,
    pub interactions: CrmInteractions,
    pub returns: CrmReturns,
    pub payments: CrmPayments,
    pub truth: CrmTruth,
}

/// The contact columns as `classify` reads them (borrowed from a [`CrmSample`]).
#[derive(Clone, Debug)]
pub struct ContactRefs<'a> {
    pub email: Vec<Option<&'a str>>,
    pub phone: Vec<Option<&'a str>>,
}

impl ContactRefs<'_> {
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts {
            email: Some(&self.email),
            phone: Some(&self.phone),
        }
    }
}

impl CrmSample {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.customers.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The sample as classification / derived-fields input (customer count and `as_of` given).
    pub fn activity(&self) -> Activity<'_> {
        Activity {
            orders: Orders {
                customer: &self.orders.customer,
                day: &self.orders.day,
                amount: &self.orders.amount,
                status: Some(&self.orders.status),
                discount: Some(&self.orders.discount),
            },
            interactions: Interactions {
                customer: &self.interactions.customer,
                day: &self.interactions.day,
                kind: &self.interactions.kind,
                value: Some(&self.interactions.value),
            },
            returns: Returns {
                customer: &self.returns.customer,
                day: &self.returns.day,
                amount: &self.returns.amount,
            },
            payments: Payments {
                customer: &self.payments.customer,
                day: &self.payments.day,
                amount: &self.payments.amount,
                status: &self.payments.status,
                days_late: Some(&self.payments.days_late),
            },
            created_at: Some(&self.customers.created_at),
            customer_count: Some(self.len()),
            as_of: Some(self.as_of),
        }
    }
    /// Borrowed contact columns; `.contacts()` gives what `classify` takes.
    pub fn contact_refs(&self) -> ContactRefs<'_> {
        ContactRefs {
            email: self.customers.email.iter().collect(),
            phone: self.customers.phone.iter().collect(),
        }
    }
    /// A 64-bit fingerprint of every column and the truth (numbers by their bits, strings
    /// by their bytes): equal digests mean equal samples, so a test can check that a seed
    /// gives the same sample natively and in WebAssembly without shipping the data.
    pub fn digest(&self) -> u64 {
        let mut h = Digest(0xcbf2_9ce4_8422_2325);
        h.word(self.as_of as u64);
        h.word(self.start as u64);
        let c = &self.customers;
        h.word(c.id.len() as u64);
        for i in 0..c.id.len() {
            h.text(c.id.get(i));
            h.word(c.created_at[i] as u64);
            h.text(c.name.get(i));
            h.text(c.email.get(i));
            h.text(c.phone.get(i));
            h.word(c.region[i] as u64 | (c.channel[i] as u64) << 8 | (c.industry[i] as u64) << 16);
        }
        let o = &self.orders;
        h.word(o.customer.len() as u64);
        for k in 0..o.customer.len() {
            h.word(o.customer[k] as u64 | (o.day[k] as u32 as u64) << 32);
            h.word(o.amount[k].to_bits());
            h.word(o.status[k] as u64 | (o.payment_method[k] as u64) << 8);
            h.word(o.discount[k].to_bits());
        }
        let it = &self.interactions;
        h.word(it.customer.len() as u64);
        for k in 0..it.customer.len() {
            h.word(it.customer[k] as u64 | (it.day[k] as u32 as u64) << 32);
            h.word(it.kind[k] as u64);
            h.word(it.value[k].to_bits());
        }
        let r = &self.returns;
        h.word(r.customer.len() as u64);
        for k in 0..r.customer.len() {
            h.word(r.customer[k] as u64 | (r.day[k] as u32 as u64) << 32);
            h.word(r.amount[k].to_bits());
            h.word(r.order[k] as u64);
        }
        let p = &self.payments;
        h.word(p.customer.len() as u64);
        for k in 0..p.customer.len() {
            h.word(p.customer[k] as u64 | (p.day[k] as u32 as u64) << 32);
            h.word(p.amount[k].to_bits());
            h.word(p.status[k] as u64 | (p.order[k] as u64) << 8);
            h.word(p.days_late[k].to_bits());
        }
        let t = &self.truth;
        for i in 0..t.persona.len() {
            h.word(t.persona[i] as u64 | (t.flags[i].0 as u64) << 8 | (t.churned[i] as u64) << 24);
            h.word(t.churn_day[i] as u64);
        }
        h.0
    }

    /// [`classify::classify`] of this sample.
    pub fn classify(&self, opts: &ClassifyOptions) -> Result<Classification, Error> {
        let refs = self.contact_refs();
        classify::classify(&self.activity(), &refs.contacts(), opts)
    }
}

/// FNV-1a over 64-bit words (and strings' bytes in 8-byte words).
struct Digest(u64);

impl Digest {
    fn word(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn text(&mut self, s: Option<&str>) {
        match s {
            None => self.word(u64::MAX),
            Some(s) => {
                self.word(s.len() as u64);
                for chunk in s.as_bytes().chunks(8) {
                    let mut b = [0u8; 8];
                    b[..chunk.len()].copy_from_slice(chunk);
                    self.word(u64::from_le_bytes(b));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fixed tables: weights (per mille or percent, any scale), names, behaviour factors.

const REGION_W: [u32; 8] = [28, 22, 18, 10, 9, 5, 5, 3];
const CHANNEL_W: [u32; 5] = [30, 25, 15, 15, 15];
const INDUSTRY_W: [u32; 8] = [25, 20, 12, 10, 10, 10, 8, 5];
/// Per channel: (spend factor, purchase-gap factor, churn factor); churn factors average 1.
const CHANNEL_F: [(f64, f64, f64); 5] = [
    (1.0, 1.0, 1.0),
    (0.85, 0.85, 1.05),
    (1.15, 0.9, 0.7),
    (1.4, 1.2, 0.9),
    (0.9, 1.15, 1.3),
];
/// Per industry: (spend factor, purchase-gap factor).
const INDUSTRY_F: [(f64, f64); 8] = [
    (0.8, 0.7),
    (1.6, 1.2),
    (1.3, 1.5),
    (0.9, 1.3),
    (1.2, 1.0),
    (0.9, 0.8),
    (1.1, 1.0),
    (1.5, 1.4),
];
/// Junk personas and their weights within `junk_share`.
const JUNK: [(Persona, u32); 8] = [
    (Persona::FakeSignup, 15),
    (Persona::DeadLead, 10),
    (Persona::OneTimer, 15),
    (Persona::SerialReturner, 12),
    (Persona::Complainer, 12),
    (Persona::Defaulter, 12),
    (Persona::Duplicate, 14),
    (Persona::TypoContact, 10),
];
const METHOD_W: [u32; 5] = [30, 30, 15, 15, 10];
/// Interaction kinds of the regular stream and their weights (complaints come from events).
const KIND: [InteractionKind; 8] = [
    InteractionKind::Visit,
    InteractionKind::Email,
    InteractionKind::Call,
    InteractionKind::Meeting,
    InteractionKind::Quote,
    InteractionKind::Feedback,
    InteractionKind::Training,
    InteractionKind::Referral,
];
const KIND_W: [u32; 8] = [34, 24, 15, 5, 8, 8, 3, 3];
const FEEDBACK_W: [u32; 5] = [3, 5, 15, 37, 40];
const FEEDBACK_UNHAPPY_W: [u32; 5] = [35, 35, 20, 7, 3];

/// (characters, pinyin)
const SURNAMES: [(&str, &str); 30] = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
];
const GIVEN: [(&str, &str); 36] = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("秀英", "xiuying"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀兰", "xiulan"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂英", "guiying"),
    ("建华", "jianhua"),
    ("文", "wen"),
    ("华", "hua"),
    ("红", "hong"),
    ("鑫", "xin"),
    ("宇", "yu"),
    ("浩然", "haoran"),
    ("子涵", "zihan"),
    ("欣怡", "xinyi"),
    ("梓萱", "zixuan"),
    ("一诺", "yinuo"),
    ("俊杰", "junjie"),
    ("晨", "chen"),
];
/// (display, ASCII slug)
const WEST_FIRST: [(&str, &str); 20] = [
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Olivia", "olivia"),
    ("Noah", "noah"),
    ("Sophie", "sophie"),
    ("Lukas", "lukas"),
    ("Mia", "mia"),
    ("Léa", "lea"),
    ("Jonas", "jonas"),
    ("Chloé", "chloe"),
    ("Mateo", "mateo"),
    ("Sofía", "sofia"),
    ("Anna", "anna"),
    ("Felix", "felix"),
    ("Hannah", "hannah"),
    ("James", "james"),
    ("Amélie", "amelie"),
    ("Björn", "bjorn"),
    ("Zoë", "zoe"),
    ("Daniel", "daniel"),
];
const WEST_LAST: [(&str, &str); 20] = [
    ("Müller", "mueller"),
    ("Smith", "smith"),
    ("García", "garcia"),
    ("Schmidt", "schmidt"),
    ("Dubois", "dubois"),
    ("Rossi", "rossi"),
    ("Johnson", "johnson"),
    ("Fischer", "fischer"),
    ("Martin", "martin"),
    ("Novák", "novak"),
    ("Jensen", "jensen"),
    ("O'Brien", "obrien"),
    ("Kowalski", "kowalski"),
    ("Weber", "weber"),
    ("Silva", "silva"),
    ("Brown", "brown"),
    ("Lefèvre", "lefevre"),
    ("Andersson", "andersson"),
    ("Nguyen", "nguyen"),
    ("Taylor", "taylor"),
];
const CN_DOMAINS: [&str; 12] = [
    "qq.com",
    "qq.com",
    "qq.com",
    "163.com",
    "163.com",
    "126.com",
    "sina.com",
    "foxmail.com",
    "139.com",
    "outlook.com",
    "gmail.com",
    "aliyun.com",
];
const WEST_DOMAINS: [&str; 8] = [
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "web.de",
    "gmx.de",
    "orange.fr",
    "icloud.com",
];
const COMPANY_WORDS: [&str; 10] = [
    "huaxin", "jinding", "tianyu", "hengtai", "zhongke", "boya", "xinda", "ruifeng", "kaiyuan",
    "shengshi",
];
const COMPANY_TLDS: [&str; 3] = ["com.cn", "cn", "com"];
const CN_MOBILE_PREFIXES: [u16; 22] = [
    138, 139, 135, 136, 137, 150, 151, 152, 158, 159, 186, 187, 188, 189, 177, 176, 199, 166, 133,
    153, 180, 181,
];

// ---------------------------------------------------------------------------------------
// Generation.

/// Generate a sample (see the module documentation). Errors: `invalid_option`.
pub fn generate(opts: &CrmSampleOptions) -> Result<CrmSample, Error> {
    opts.validate()?;
    let mut g = Gen::new(opts);
    for i in 0..opts.customers {
        g.customer(i);
    }
    Ok(g.out)
}

fn pick(rng: &mut Rng, w: &[u32]) -> usize {
    let total: u32 = w.iter().sum();
    let mut x = (rng.uniform() * total as f64) as u32;
    for (k, &wk) in w.iter().enumerate() {
        if x < wk {
            return k;
        }
        x -= wk;
    }
    w.len() - 1
}

fn open(rng: &mut Rng) -> f64 {
    1.0 - rng.uniform()
}

// Portable math: the generator uses only IEEE-exact operations (+ − × ÷ √, conversions),
// never the platform's `ln` / `exp` / `cos`, whose last bits differ between libm
// implementations — so a seed gives the same sample natively and in WebAssembly.

const LN2: f64 = std::f64::consts::LN_2;

/// ln m = 2 artanh(s), s = (m − 1)/(m + 1), by its odd series to s^17: relative error
/// < 1e-16 for m in [√½, √2). Used at compile time for [`LN_TABLE`] (and in tests).
const fn ln_series(m: f64) -> f64 {
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    let mut series = 0.0;
    let mut k = 17;
    while k > 1 {
        series = z * (1.0 / k as f64 + series);
        k -= 2;
    }
    2.0 * s * (1.0 + series)
}

/// For j in 0..128, the cell `[1 + j/128, 1 + (j+1)/128)` of the mantissa: the reciprocal
/// of its left edge `c` and `ln c` (computed at compile time; `ln 1` is exactly 0).
const LN_TABLE: [(f64, f64); 128] = {
    let mut t = [(0.0, 0.0); 128];
    let mut j = 0;
    while j < 128 {
        let c = 1.0 + j as f64 / 128.0;
        // ln c for c up to 2: halve it into the series' range and add ln 2.
        let l = if c > std::f64::consts::SQRT_2 {
            ln_series(c / 2.0) + LN2
        } else {
            ln_series(c)
        };
        t[j] = (1.0 / c, l);
        j += 1;
    }
    t
};

/// Natural logarithm of a positive normal `x` (absolute error < 1e-15 near 1, relative
/// < 1e-15 elsewhere): `x = m·2^e`, `m = c·(1 + r)` with `c` the left edge of `m`'s table
/// cell (`0 ≤ r < 1/128`), `ln x = e ln 2 + ln c + (r − r²/2 + … − r⁶/6)`.
pub(crate) fn ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0, "ln({x})");
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let (inv, ln_c) = LN_TABLE[((bits >> 45) & 127) as usize];
    let r = m * inv - 1.0;
    let p = r * (1.0 + r * (-0.5 + r * (1.0 / 3.0 + r * (-0.25 + r * (0.2 - r * (1.0 / 6.0))))));
    e as f64 * LN2 + (ln_c + p)
}

/// 1/n for n in 0..=14 (index 0 unused).
const INV_N: [f64; 15] = {
    let mut t = [0.0; 15];
    let mut n = 1;
    while n < 15 {
        t[n] = 1.0 / n as f64;
        n += 1;
    }
    t
};

/// `e^x` for |x| < 700 (relative error < 1e-15): `x = k ln 2 + r`, Taylor series of `e^r`
/// to `r^14`, times `2^k`.
pub(crate) fn exp(x: f64) -> f64 {
    debug_assert!(x.abs() < 700.0, "exp({x})");
    let k = (x / LN2 + if x >= 0.0 { 0.5 } else { -0.5 }) as i64;
    let r = x - k as f64 * LN2;
    let mut p = 1.0;
    let mut n = 14;
    while n > 0 {
        p = 1.0 + p * r * INV_N[n];
        n -= 1;
    }
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Standard normal (Marsaglia's polar method: no trigonometry).
fn normal(rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * rng.uniform() - 1.0;
        let v = 2.0 * rng.uniform() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// Gamma(shape ≥ 1, scale) by Marsaglia–Tsang.
fn gamma(rng: &mut Rng, shape: f64, scale: f64) -> f64 {
    debug_assert!(shape >= 1.0);
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open(rng);
        if ln(u) < 0.5 * x * x + d - d * v + d * ln(v) {
            return d * v * scale;
        }
    }
}

/// Erlang-k (k ≤ 8) with the given mean: one logarithm of a product of k uniforms, all
/// cut from one 64-bit draw (64 / k bits each, centred in their cell: ample resolution for
/// synthetic gaps and amounts, and one generator call instead of k).
fn erlang(rng: &mut Rng, k: u32, mean: f64) -> f64 {
    let bits = (64 / k).min(52);
    let mask = (1u64 << bits) - 1;
    let scale = 1.0 / (1u64 << bits) as f64;
    let mut x = rng.next_u64();
    let mut p = 1.0;
    for _ in 0..k {
        p *= ((x & mask) as f64 + 0.5) * scale;
        x >>= bits;
    }
    -ln(p) * mean / k as f64
}

fn below(rng: &mut Rng, n: usize) -> usize {
    ((rng.uniform() * n as f64) as usize).min(n.saturating_sub(1))
}

/// Rounded to cents (`x` ≥ 0).
fn cents(x: f64) -> f64 {
    ((x * 100.0 + 0.5) as u64) as f64 / 100.0
}

/// A stream of Bernoulli(p) trials drawn as geometric run lengths: one draw per success
/// instead of one per trial (the same distribution, much cheaper for rare events).
#[derive(Clone, Copy)]
struct Rare {
    ln_q: f64,
    left: u64,
}

impl Rare {
    fn new(p: f64, rng: &mut Rng) -> Self {
        let mut r = Rare {
            ln_q: ln(1.0 - p),
            left: 0,
        };
        r.reset(rng);
        r
    }
    fn reset(&mut self, rng: &mut Rng) {
        // Failures before the next success: floor(ln U / ln(1 − p)).
        self.left = (ln(open(rng)) / self.ln_q) as u64;
    }
    /// The next trial.
    fn hit(&mut self, rng: &mut Rng) -> bool {
        if self.left == 0 {
            self.reset(rng);
            true
        } else {
            self.left -= 1;
            false
        }
    }
}

const RARE_DISCOUNT: usize = 0;
const RARE_PARTIAL_RETURN: usize = 1;
const RARE_COMPLAINT: usize = 2;
const RARE_PAYMENT_FAILED: usize = 3;
const RARE_CHARGEBACK: usize = 4;
/// Per order (discount, partial return, complaint) or per card / wallet payment (failed
/// once, charged back).
const RARE_P: [f64; 5] = [0.0015, 0.0006, 0.0015, 0.0008, 0.0003];

/// An affine bijection of `[0, m)` (`m` a power of ten ≤ 10^8, `a` coprime to 10, `a`,
/// `b` < `m`).
#[derive(Clone, Copy)]
struct Scramble {
    a: u64,
    b: u64,
    m: u64,
}

impl Scramble {
    fn apply(self, i: usize) -> u64 {
        debug_assert!((i as u64) < self.m);
        (i as u64 * self.a + self.b) % self.m
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Han,
    Pinyin,
    Western,
    /// Initial and family name (a duplicate's spelling of a Western name).
    WesternShort,
}

#[derive(Clone, Copy)]
struct NameParts {
    kind: NameKind,
    a: usize,
    b: usize,
}

impl NameParts {
    /// (family slug, given slug) in ASCII.
    fn slugs(self) -> (&'static str, &'static str) {
        match self.kind {
            NameKind::Western | NameKind::WesternShort => {
                (WEST_LAST[self.b].1, WEST_FIRST[self.a].1)
            }
            _ => (SURNAMES[self.a].1, GIVEN[self.b].1),
        }
    }
}

/// A phone number's canonical parts (for duplicates written differently).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Phone {
    /// 0 none (or not valid), 1 Chinese mobile, 2 German mobile, 3 French mobile.
    country: u8,
    prefix: u16,
    suffix: u32,
}

/// Append `x` in decimal, zero-padded to `width` digits (no `format!`: this runs for every
/// customer).
fn push_num(s: &mut String, x: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut k = buf.len();
    let mut v = x;
    loop {
        k -= 1;
        buf[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in buf.len() - k..width {
        s.push('0');
    }
    for &b in &buf[k..] {
        s.push(b as char);
    }
}

/// Append the name `n` to `s`.
fn write_name(r: &mut Rng, n: NameParts, s: &mut String) {
    match n.kind {
        NameKind::Han => {
            s.push_str(SURNAMES[n.a].0);
            s.push_str(GIVEN[n.b].0);
        }
        NameKind::Pinyin => {
            let (f, g) = (SURNAMES[n.a].1, GIVEN[n.b].1);
            let (x, y) = if r.uniform() < 0.6 { (f, g) } else { (g, f) };
            push_cap(s, x);
            s.push(' ');
            push_cap(s, y);
        }
        NameKind::Western => {
            s.push_str(WEST_FIRST[n.a].0);
            s.push(' ');
            s.push_str(WEST_LAST[n.b].0);
        }
        NameKind::WesternShort => {
            s.push(WEST_FIRST[n.a].0.chars().next().unwrap_or('X'));
            s.push_str(". ");
            s.push_str(WEST_LAST[n.b].0);
        }
    }
}

/// Append a unique valid email of `n` to `s`: the customer's token `t` makes it unique.
fn write_email(r: &mut Rng, t: u64, n: NameParts, s: &mut String) {
    let (family, given) = n.slugs();
    let western = matches!(n.kind, NameKind::Western | NameKind::WesternShort);
    if r.uniform() < 0.12 {
        // Work address.
        let w = COMPANY_WORDS[below(r, COMPANY_WORDS.len())];
        let tld = COMPANY_TLDS[below(r, COMPANY_TLDS.len())];
        for x in [given, ".", family] {
            s.push_str(x);
        }
        push_num(s, t, 0);
        for x in ["@", w, ".", tld] {
            s.push_str(x);
        }
        return;
    }
    let domain = if western {
        WEST_DOMAINS[below(r, WEST_DOMAINS.len())]
    } else {
        CN_DOMAINS[below(r, CN_DOMAINS.len())]
    };
    if !western && domain == "qq.com" && r.uniform() < 0.5 {
        // QQ numbers (5+ digits).
        push_num(s, t + 10_000, 0);
    } else {
        let (x, sep, y) = match below(r, 3) {
            0 => (family, "", given),
            1 => (given, ".", family),
            _ => (given, "_", family),
        };
        for p in [x, sep, y] {
            s.push_str(p);
        }
        push_num(s, t, 0);
    }
    s.push('@');
    s.push_str(domain);
}

/// Append an ASCII word with its first letter upper-cased.
fn push_cap(s: &mut String, w: &str) {
    let mut c = w.chars();
    if let Some(f) = c.next() {
        s.push(f.to_ascii_uppercase());
        s.push_str(c.as_str());
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// A valid phone written in format `style` (every style normalises to the same digits).
#[cfg(test)]
fn format_phone(p: Phone, style: usize) -> String {
    let mut s = String::new();
    write_phone(p, style, &mut s);
    s
}

/// Append a valid phone written in format `style` to `out`.
fn write_phone(p: Phone, style: usize, out: &mut String) {
    use std::fmt::Write;
    let s = p.suffix;
    let (hi, lo) = (s / 10_000, s % 10_000);
    match p.country {
        1 => {
            // (country code, separator) per style; 0..=2 plain digits.
            let (cc, sep) = match style % 8 {
                0..=2 => ("", ""),
                3 => ("", " "),
                4 => ("", "-"),
                5 => ("+86 ", " "),
                6 => ("+86", ""),
                _ => ("+86-", "-"),
            };
            out.push_str(cc);
            push_num(out, p.prefix as u64, 0);
            out.push_str(sep);
            push_num(out, hi as u64, 4);
            out.push_str(sep);
            push_num(out, lo as u64, 4);
        }
        2 => {
            let _ = match style % 3 {
                0 => write!(out, "+49 {} {s:08}", p.prefix),
                1 => write!(out, "+49{}{s:08}", p.prefix),
                _ => write!(out, "+49 {} {hi:04} {lo:04}", p.prefix),
            };
        }
        _ => {
            let (a, b, c, d) = (s / 1_000_000, s / 10_000 % 100, s / 100 % 100, s % 100);
            let _ = match style % 3 {
                0 => write!(out, "+33 {} {a:02} {b:02} {c:02} {d:02}", p.prefix),
                1 => write!(out, "+33{}{s:08}", p.prefix),
                _ => write!(out, "+33 {} {s:08}", p.prefix),
            };
        }
    }
}

/// A malformed email (kind `k`) — every kind is rejected by `classify::email_is_valid`.
fn bad_email(k: usize, family: &str, given: &str, token: u64, han: Option<&str>) -> String {
    match k % 12 {
        0 => format!("{family}{given}{token}@qq"),
        1 => format!("{family}{given}{token}qq.com"),
        2 => format!("{given}.{family}{token}@@163.com"),
        3 => format!("{family}{given}{token}@163..com"),
        4 => format!("{family} {given}{token}@126.com"),
        5 => format!("{given}.{family}{token}@gmail,com"),
        6 => format!("{family}{given}{token}@qq.c0m"),
        7 => match han {
            Some(h) => format!("{h}@qq.com"),
            None => format!("{given}.{family}@"),
        },
        8 => ["n/a", "无", "-", "none", "test", "123", "asdf@asdf", "邮箱"][(token % 8) as usize]
            .to_string(),
        9 => format!(".{family}{given}{token}@qq.com"),
        10 => format!("{family}{given}{token}@-sina.com"),
        _ => format!("{family}.{given}..{token}@outlook.com"),
    }
}

/// A malformed phone (kind `k`) — every kind is rejected by `classify::normalize_phone`.
fn bad_phone(k: usize, p: Phone, other: u32) -> String {
    let x = p.prefix;
    let s = p.suffix;
    match k % 10 {
        0 => format!("{x}{:07}O", s / 10),
        1 => format!("1{}{:09}", (s % 3), (s as u64 * 7 + 13) % 1_000_000_000),
        2 => format!("{x}{:02}", s % 100),
        3 => {
            let d = s % 10;
            d.to_string().repeat(8 + (s % 4) as usize)
        }
        4 => format!("{x}{s:08};{x}{other:08}"),
        5 => format!("{x}{s:08} ext. {}", s % 90 + 10),
        6 => ["N/A", "无", "-", "0", "未知", "TBD"][(s % 6) as usize].to_string(),
        7 => format!(
            "+86 1{}{} {:04} {:04}",
            s % 3,
            s % 10,
            (s / 10_000) % 10_000,
            s % 10_000
        ),
        8 => format!("{x}{s:08}{x}{s:08}"),
        _ => format!("{x}/{:04}/{:04}", s / 10_000, s % 10_000),
    }
}

/// A contact cell while a customer is built.
enum Text {
    None,
    Fixed(&'static str),
    /// The text is in the generator's buffer for that field.
    Buffer,
    Owned(String),
}

impl Text {
    fn get<'a>(&'a self, buffer: &'a str) -> Option<&'a str> {
        match self {
            Text::None => None,
            Text::Fixed(s) => Some(s),
            Text::Buffer => Some(buffer),
            Text::Owned(s) => Some(s),
        }
    }
}

/// One customer's latent life, as generated.
struct Life {
    /// No order and no interaction at all.
    never_active: bool,
    /// The process stopped on this day (its last act).
    stopped: Option<i32>,
}

/// What a persona changes in the regular process.
#[derive(Clone, Copy, Default)]
struct Twist {
    /// Purchases forced (≥ this many; 0 = may stay a prospect).
    min_buys: usize,
    /// Skip the base cancellations / whole returns (personas whose planted share needs a
    /// fixed set of purchases).
    no_base_status: bool,
    spend: f64,
}

impl Twist {
    fn of(persona: Persona) -> Twist {
        match persona {
            Persona::SerialReturner => Twist {
                min_buys: 3,
                no_base_status: true,
                spend: 0.9,
            },
            Persona::DealHunter => Twist {
                min_buys: 2,
                no_base_status: true,
                spend: 0.6,
            },
            Persona::Defaulter => Twist {
                min_buys: 2,
                no_base_status: false,
                spend: 0.8,
            },
            _ => Twist {
                min_buys: 0,
                no_base_status: false,
                spend: 1.0,
            },
        }
    }
}

/// Who a customer is (drawn first).
struct Profile {
    region: Region,
    persona: Persona,
    /// The earlier customer a `Duplicate` copies (always `Some` for that persona).
    original: Option<usize>,
    channel: Channel,
    industry: Industry,
}

/// A customer's contact cells while it is built, and their canonical validity (what a
/// later duplicate may copy).
struct ContactCells {
    email: Text,
    email_ok: bool,
    phone: Text,
    /// The phone's parts when it is valid, else the default (country 0).
    phone_ok: Phone,
}

struct Gen<'o> {
    o: &'o CrmSampleOptions,
    rng: Rng,
    out: CrmSample,
    email_token: Scramble,
    phone_cn: Scramble,
    phone_intl: Scramble,
    /// Per customer: the email is valid (may be copied by a duplicate).
    email_ok: Vec<bool>,
    /// Per customer: the phone's parts when it is valid.
    phone_parts: Vec<Phone>,
    /// Per customer: the name's parts (a duplicate is the same person).
    names: Vec<NameParts>,
    name_buf: String,
    email_buf: String,
    phone_buf: String,
    // Scratch, reused per customer.
    buys: Vec<f64>,
    touches: Vec<(i32, InteractionKind, f64)>,
    fails: Vec<u8>,
    rare: [Rare; 5],
}

const FAIL_NONE: u8 = 0;
const FAIL_THEN_CANCEL: u8 = 1;
const FAIL_THEN_PAID: u8 = 2;
const FAIL_CHARGEBACK: u8 = 3;

impl<'o> Gen<'o> {
    fn new(o: &'o CrmSampleOptions) -> Self {
        let n = o.customers;
        // Email tokens: a bijection of [0, 10^k) with 10^k ≥ 10 n (≥ 4 digits mostly).
        let mut m = 10_000u64;
        while m < 10 * n as u64 {
            m *= 10;
        }
        let est_orders = n * 11;
        let est_touch = n * 9;
        let out = CrmSample {
            as_of: o.as_of,
            start: o.as_of - o.years as i32 * 365 + 1,
            customers: CrmCustomers {
                id: StrColumn::with_capacity(n, 8 * n),
                created_at: Vec::with_capacity(n),
                name: StrColumn::with_capacity(n, 11 * n),
                email: StrColumn::with_capacity(n, 24 * n),
                phone: StrColumn::with_capacity(n, 13 * n),
                region: Vec::with_capacity(n),
                channel: Vec::with_capacity(n),
                industry: Vec::with_capacity(n),
            },
            orders: CrmOrders {
                customer: Vec::with_capacity(est_orders),
                day: Vec::with_capacity(est_orders),
                amount: Vec::with_capacity(est_orders),
                status: Vec::with_capacity(est_orders),
                payment_method: Vec::with_capacity(est_orders),
                discount: Vec::with_capacity(est_orders),
            },
            interactions: CrmInteractions {
                customer: Vec::with_capacity(est_touch),
                day: Vec::with_capacity(est_touch),
                kind: Vec::with_capacity(est_touch),
                value: Vec::with_capacity(est_touch),
            },
            returns: CrmReturns::default(),
            payments: CrmPayments {
                customer: Vec::with_capacity(est_orders),
                day: Vec::with_capacity(est_orders),
                amount: Vec::with_capacity(est_orders),
                status: Vec::with_capacity(est_orders),
                days_late: Vec::with_capacity(est_orders),
                order: Vec::with_capacity(est_orders),
            },
            truth: CrmTruth {
                persona: Vec::with_capacity(n),
                flags: Vec::with_capacity(n),
                churned: Vec::with_capacity(n),
                churn_day: Vec::with_capacity(n),
            },
        };
        let mut rng = Rng::new(o.seed);
        let mut affine = |m: u64| {
            // a coprime to 10: odd and not a multiple of 5.
            let mut a = (rng.next_u64() % m) | 1;
            if a.is_multiple_of(5) {
                a = (a + 2) % m;
            }
            Scramble {
                a,
                b: rng.next_u64() % m,
                m,
            }
        };
        let email_token = affine(m);
        let phone_cn = affine(100_000_000);
        let phone_intl = affine(100_000_000);
        let rare = RARE_P.map(|p| Rare::new(p, &mut rng));
        Gen {
            o,
            rng,
            out,
            email_token,
            phone_cn,
            phone_intl,
            email_ok: Vec::with_capacity(n),
            phone_parts: Vec::with_capacity(n),
            names: Vec::with_capacity(n),
            name_buf: String::new(),
            email_buf: String::new(),
            phone_buf: String::new(),
            buys: Vec::new(),
            touches: Vec::new(),
            fails: Vec::new(),
            rare,
        }
    }

    fn persona(&mut self) -> Persona {
        let u = self.rng.uniform();
        if u < self.o.junk_share {
            let w: [u32; 8] = JUNK.map(|(_, w)| w);
            JUNK[pick(&mut self.rng, &w)].0
        } else if u < self.o.junk_share + self.o.deal_hunter_share {
            Persona::DealHunter
        } else {
            Persona::Regular
        }
    }

    /// An earlier customer with a valid email or phone, for a duplicate of customer `i`.
    fn find_original(&mut self, i: usize) -> Option<usize> {
        for _ in 0..8 {
            if i == 0 {
                return None;
            }
            let j = below(&mut self.rng, i);
            if self.email_ok[j] || self.phone_parts[j].country != 0 {
                return Some(j);
            }
        }
        None
    }

    fn name(&mut self, region: Region) -> NameParts {
        let r = &mut self.rng;
        let western = if region == Region::Overseas {
            0.85
        } else {
            0.08
        };
        let u = r.uniform();
        if u < western {
            NameParts {
                kind: NameKind::Western,
                a: below(r, WEST_FIRST.len()),
                b: below(r, WEST_LAST.len()),
            }
        } else {
            let kind = if r.uniform() < 0.75 {
                NameKind::Han
            } else {
                NameKind::Pinyin
            };
            NameParts {
                kind,
                a: below(r, SURNAMES.len()),
                b: below(r, GIVEN.len()),
            }
        }
    }

    fn valid_phone(&mut self, i: usize, region: Region) -> Phone {
        let r = &mut self.rng;
        if region == Region::Overseas && r.uniform() < 0.7 {
            let suffix = self.phone_intl.apply(i) as u32;
            if r.uniform() < 0.6 {
                Phone {
                    country: 2,
                    prefix: [151, 160, 176, 152][below(r, 4)],
                    suffix,
                }
            } else {
                Phone {
                    country: 3,
                    prefix: [6, 7][below(r, 2)],
                    suffix,
                }
            }
        } else {
            let prefix = CN_MOBILE_PREFIXES[below(r, CN_MOBILE_PREFIXES.len())];
            Phone {
                country: 1,
                prefix,
                suffix: self.phone_cn.apply(i) as u32,
            }
        }
    }

    /// Generate customer `i`: its profile, name and contacts, creation day and life (the
    /// rows of its orders, interactions, returns and payments), then its customer row and
    /// planted truth. The random draws happen in this order, so that a seed gives the same
    /// sample.
    fn customer(&mut self, i: usize) {
        let p = self.profile(i);
        let mut flags = FlagSet::EMPTY;
        let parts = self.write_name(p.original, p.region);
        let token = self.email_token.apply(i);
        let mut contacts = self.own_contacts(i, p.region, parts, token);
        self.persona_contacts(i, &p, parts, token, &mut contacts, &mut flags);
        let created = self.created_day(p.persona, p.original);
        let life = self.life(i, &p, created);
        self.persona_flags(i, p.persona, &mut contacts, &mut flags);
        if self.dormant(&life, created) {
            flags.insert(FlagCode::NoActivity);
        }
        self.push_customer(i, &p, created, parts, contacts, flags, &life);
    }

    /// Region, persona (with the original of a duplicate), channel and industry.
    fn profile(&mut self, i: usize) -> Profile {
        let region = Region::ALL[pick(&mut self.rng, &REGION_W)];
        let mut persona = self.persona();
        let mut original = None;
        if persona == Persona::Duplicate {
            original = self.find_original(i);
            if original.is_none() {
                persona = Persona::Regular;
            }
        }
        let channel = if persona == Persona::FakeSignup && self.rng.uniform() < 0.8 {
            [Channel::Search, Channel::Wechat][below(&mut self.rng, 2)]
        } else {
            Channel::ALL[pick(&mut self.rng, &CHANNEL_W)]
        };
        let industry = Industry::ALL[pick(&mut self.rng, &INDUSTRY_W)];
        Profile {
            region,
            persona,
            original,
            channel,
            industry,
        }
    }

    /// The name, into `name_buf` (the contact buffers are cleared too: reused, no allocation
    /// per customer). A duplicate is the same person: 60 % the same name, else written the
    /// other way (王伟 ↔ Wang Wei, Emma Müller → E. Müller).
    fn write_name(&mut self, original: Option<usize>, region: Region) -> NameParts {
        self.name_buf.clear();
        self.email_buf.clear();
        self.phone_buf.clear();
        match original {
            Some(j) => {
                let p = self.names[j];
                if self.rng.uniform() < 0.6 {
                    self.name_buf.push_str(self.out.customers.name.value(j));
                } else {
                    let other = match p.kind {
                        NameKind::Han => NameParts {
                            kind: NameKind::Pinyin,
                            ..p
                        },
                        NameKind::Pinyin => NameParts {
                            kind: NameKind::Han,
                            ..p
                        },
                        NameKind::Western | NameKind::WesternShort => NameParts {
                            kind: NameKind::WesternShort,
                            ..p
                        },
                    };
                    write_name(&mut self.rng, other, &mut self.name_buf);
                }
                p
            }
            None => {
                let p = self.name(region);
                write_name(&mut self.rng, p, &mut self.name_buf);
                p
            }
        }
    }

    /// Own contacts, into `email_buf` / `phone_buf`: 85 % a valid email, 3 % a blank cell,
    /// 12 % none; 92 % a valid phone, 1 % blank, 7 % none. Personas replace them
    /// ([`Self::persona_contacts`], [`Self::persona_flags`]).
    fn own_contacts(
        &mut self,
        i: usize,
        region: Region,
        parts: NameParts,
        token: u64,
    ) -> ContactCells {
        let u = self.rng.uniform();
        let (email, email_ok) = if u < 0.85 {
            write_email(&mut self.rng, token, parts, &mut self.email_buf);
            (Text::Buffer, true)
        } else if u < 0.88 {
            (Text::Fixed(""), false)
        } else {
            (Text::None, false)
        };
        let v = self.rng.uniform();
        let (phone, phone_ok) = if v < 0.92 {
            let p = self.valid_phone(i, region);
            let style = below(&mut self.rng, 8);
            write_phone(p, style, &mut self.phone_buf);
            (Text::Buffer, p)
        } else if v < 0.93 {
            (Text::Fixed(" "), Phone::default())
        } else {
            (Text::None, Phone::default())
        };
        ContactCells {
            email,
            email_ok,
            phone,
            phone_ok,
        }
    }

    /// The contacts the fake signups, typo contacts and duplicates are planted with.
    fn persona_contacts(
        &mut self,
        i: usize,
        p: &Profile,
        parts: NameParts,
        token: u64,
        c: &mut ContactCells,
        flags: &mut FlagSet,
    ) {
        match p.persona {
            Persona::FakeSignup => {
                let (e, ph) = (self.rng.uniform(), self.rng.uniform());
                let mut bad_e = e < 0.75;
                let bad_p = ph < 0.6;
                if !bad_e && !bad_p {
                    bad_e = true;
                }
                if bad_e {
                    self.plant_invalid_email(parts, token, c, flags);
                } else if e < 0.85 {
                    c.email = Text::None;
                    c.email_ok = false;
                }
                if bad_p {
                    self.plant_invalid_phone(i, c, flags);
                } else if ph < 0.9 {
                    c.phone = Text::None;
                    c.phone_ok = Phone::default();
                }
            }
            Persona::TypoContact => {
                // 55 % email only, 35 % phone only, 10 % both.
                let w = self.rng.uniform();
                if w < 0.65 {
                    self.plant_invalid_email(parts, token, c, flags);
                }
                if w >= 0.55 {
                    self.plant_invalid_phone(i, c, flags);
                }
            }
            Persona::Duplicate => {
                // The persona is Duplicate only when `profile` found an original.
                if let Some(j) = p.original {
                    self.copy_contacts(j, c, flags);
                }
            }
            _ => {}
        }
    }

    /// A mistyped email (planted `invalid_email`).
    fn plant_invalid_email(
        &mut self,
        parts: NameParts,
        token: u64,
        c: &mut ContactCells,
        flags: &mut FlagSet,
    ) {
        let k = below(&mut self.rng, 12);
        let (family, given) = parts.slugs();
        let han = (parts.kind == NameKind::Han).then_some(self.name_buf.as_str());
        c.email = Text::Owned(bad_email(k, family, given, token, han));
        c.email_ok = false;
        flags.insert(FlagCode::InvalidEmail);
    }

    /// A mistyped Chinese mobile number (planted `invalid_phone`): the customer's own when it
    /// is Chinese, else a new one ([`Self::valid_phone`] outside `Overseas` is always Chinese).
    fn plant_invalid_phone(&mut self, i: usize, c: &mut ContactCells, flags: &mut FlagSet) {
        let k = below(&mut self.rng, 10);
        let p = if c.phone_ok.country == 1 {
            c.phone_ok
        } else {
            self.valid_phone(i, Region::East)
        };
        c.phone = Text::Owned(bad_phone(k, p, self.phone_cn.apply(i + 1) as u32));
        c.phone_ok = Phone::default();
        flags.insert(FlagCode::InvalidPhone);
    }

    /// A duplicate's contacts: the valid email and/or phone of its original `j`, written
    /// differently (case, spaces, phone style); both are flagged `duplicate_contact`.
    fn copy_contacts(&mut self, j: usize, c: &mut ContactCells, flags: &mut FlagSet) {
        let (je, jp) = (self.email_ok[j], self.phone_parts[j]);
        let w = self.rng.uniform();
        let (copy_e, copy_p) = match (je, jp.country != 0) {
            (true, true) => (w < 0.7, w >= 0.5),
            (true, false) => (true, false),
            _ => (false, true),
        };
        if copy_e {
            let src = self.out.customers.email.value(j);
            c.email = Text::Owned(match below(&mut self.rng, 4) {
                0 => src.to_ascii_uppercase(),
                1 => format!(" {src} "),
                2 => capitalize(src),
                _ => src.to_string(),
            });
            c.email_ok = true;
        }
        if copy_p {
            let style = below(&mut self.rng, 8);
            self.phone_buf.clear();
            write_phone(jp, style, &mut self.phone_buf);
            c.phone = Text::Buffer;
            c.phone_ok = jp;
        }
        flags.insert(FlagCode::DuplicateContact);
        self.out.truth.flags[j].insert(FlagCode::DuplicateContact);
    }

    /// The creation day: uniform over the history, leaving room for a one-timer's order or a
    /// dead lead's silence; a duplicate is created after its original.
    fn created_day(&mut self, persona: Persona, original: Option<usize>) -> i32 {
        let (as_of, start) = (self.o.as_of, self.out.start);
        let window = (as_of - start + 1) as f64;
        match (persona, original) {
            // Needs ≥ 95 days between creation and as_of for its order.
            (Persona::OneTimer, _) => {
                start + (self.rng.uniform() * (window - 100.0).max(1.0)) as i32
            }
            (Persona::DeadLead, _) => {
                start + (self.rng.uniform() * (window - 30.0).max(1.0)) as i32
            }
            (Persona::Duplicate, Some(j)) => {
                let cj = self.out.customers.created_at[j];
                cj + (self.rng.uniform() * (as_of - cj + 1) as f64) as i32
            }
            _ => start + (self.rng.uniform() * window) as i32,
        }
        .min(as_of)
    }

    /// The customer's behaviour (spend, purchase and visit rhythm, churn probability,
    /// payment method: drawn for every persona) and the life it leads: the rows of its
    /// orders, interactions, returns and payments.
    fn life(&mut self, i: usize, p: &Profile, created: i32) -> Life {
        let (cs, cg, cc) = CHANNEL_F[p.channel as usize];
        let (is, ig) = INDUSTRY_F[p.industry as usize];
        let spend = 400.0 * exp(0.45 * normal(&mut self.rng)) * cs * is;
        let rate = gamma(&mut self.rng, 1.3, 1.0 / 1.3) / 40.0;
        let gap = (cg * ig / rate).clamp(3.0, 2000.0);
        let touch_gap = (60.0 * exp(0.4 * normal(&mut self.rng))).clamp(15.0, 100.0);
        let churn_p = (self.o.churn_share * cc).min(1.0);
        let method = PaymentMethod::ALL[pick(&mut self.rng, &METHOD_W)];

        match p.persona {
            Persona::FakeSignup | Persona::DeadLead => Life {
                never_active: true,
                stopped: None,
            },
            Persona::Duplicate if self.rng.uniform() < 0.4 => Life {
                never_active: true,
                stopped: None,
            },
            Persona::OneTimer => self.one_timer(i, created, method),
            persona => {
                let twist = Twist::of(persona);
                self.regular(
                    i,
                    persona,
                    created,
                    spend * twist.spend,
                    gap,
                    touch_gap,
                    churn_p,
                    method,
                    twist,
                )
            }
        }
    }

    /// The flags a persona plants besides its contacts (a defaulter's phone is mistyped in
    /// 25 % of cases).
    fn persona_flags(
        &mut self,
        i: usize,
        persona: Persona,
        c: &mut ContactCells,
        flags: &mut FlagSet,
    ) {
        match persona {
            Persona::SerialReturner => flags.insert(FlagCode::HighReturnRate),
            Persona::Complainer => flags.insert(FlagCode::RepeatedComplaints),
            Persona::Defaulter => {
                flags.insert(FlagCode::PaymentFailures);
                if self.rng.uniform() < 0.25 {
                    self.plant_invalid_phone(i, c, flags);
                }
            }
            Persona::DealHunter => flags.insert(FlagCode::PriceSensitive),
            Persona::OneTimer => flags.insert(FlagCode::OneTimeLowValue),
            _ => {}
        }
    }

    /// No activity for [`DORMANT_DAYS`] up to `as_of` (planted `no_activity`).
    fn dormant(&self, life: &Life, created: i32) -> bool {
        let as_of = self.o.as_of;
        match (life.never_active, life.stopped) {
            (true, _) => as_of - created >= DORMANT_DAYS,
            (false, Some(s)) => as_of - s >= DORMANT_DAYS,
            (false, None) => false,
        }
    }

    /// The customer's row and its planted truth; what its duplicates may copy.
    #[allow(clippy::too_many_arguments)]
    fn push_customer(
        &mut self,
        i: usize,
        p: &Profile,
        created: i32,
        parts: NameParts,
        contacts: ContactCells,
        flags: FlagSet,
        life: &Life,
    ) {
        let c = &mut self.out.customers;
        c.id.text.push('C');
        push_num(&mut c.id.text, i as u64 + 1, 7);
        c.id.end_row(true);
        c.created_at.push(created);
        c.name.push(Some(&self.name_buf));
        c.email.push(contacts.email.get(&self.email_buf));
        c.phone.push(contacts.phone.get(&self.phone_buf));
        c.region.push(p.region);
        c.channel.push(p.channel);
        c.industry.push(p.industry);
        self.email_ok.push(contacts.email_ok);
        self.phone_parts.push(contacts.phone_ok);
        self.names.push(parts);
        let t = &mut self.out.truth;
        t.persona.push(p.persona);
        t.flags.push(flags);
        let churned = !life.never_active && life.stopped.is_some();
        t.churned.push(churned);
        t.churn_day.push(match life.stopped {
            Some(day) if churned => day,
            _ => i32::MIN,
        });
    }

    /// One completed low-value order ≥ 95 days before `as_of`, a few visits before it, then
    /// nothing.
    fn one_timer(&mut self, i: usize, created: i32, method: PaymentMethod) -> Life {
        let as_of = self.o.as_of;
        let latest = (as_of - 95).max(created);
        let day = (created + erlang(&mut self.rng, 1, 7.0) as i32).min(latest);
        let visits = below(&mut self.rng, 3);
        self.touches.clear();
        self.touches
            .push((created, InteractionKind::Visit, f64::NAN));
        for _ in 0..visits {
            let d = created + (self.rng.uniform() * (day - created + 1) as f64) as i32;
            self.touches
                .push((d.min(day), InteractionKind::Visit, f64::NAN));
        }
        self.touches.sort_by_key(|x| x.0);
        self.push_touches(i);
        let amount = cents((25.0 * exp(0.35 * normal(&mut self.rng))).clamp(5.0, 46.0));
        let discount = if self.rng.uniform() < 0.4 {
            cents(amount * (0.1 + 0.2 * self.rng.uniform()))
        } else {
            f64::NAN
        };
        let row = self.push_order(i, day, amount, OrderStatus::Completed, method, discount);
        self.push_payment(i, row, FAIL_NONE);
        Life {
            never_active: false,
            stopped: Some(day),
        }
    }

    /// Epoch day of a time `t` ≥ 0 counted from the first day of the history.
    fn day(&self, t: f64) -> i32 {
        self.out.start + t as i32
    }

    #[allow(clippy::too_many_arguments)]
    fn regular(
        &mut self,
        i: usize,
        persona: Persona,
        created: i32,
        spend: f64,
        gap: f64,
        touch_gap: f64,
        churn_p: f64,
        method: PaymentMethod,
        twist: Twist,
    ) -> Life {
        // Times are in days since `start` (≥ 0, so truncation is the floor); `a` is as_of.
        let a = (self.o.as_of - self.out.start) as f64;
        let c = (created - self.out.start) as f64;
        let r = &mut self.rng;
        // First purchase.
        let delay = if twist.min_buys == 0 && r.uniform() < 0.2 {
            erlang(r, 1, 200.0)
        } else {
            erlang(r, 1, 10.0)
        };
        let mut first = c + delay;
        if twist.min_buys > 0 && first >= a + 1.0 {
            first = c + r.uniform() * (a + 1.0 - c);
        }
        let churned = r.uniform() < churn_p;
        let buyer = first < a + 1.0;
        // Stop time S (the last act) for churners.
        let stop = if !churned {
            None
        } else if buyer {
            if twist.min_buys <= 1 && r.uniform() < 0.3 {
                Some(first)
            } else {
                Some(first + r.uniform() * (a + 1.0 - first))
            }
        } else {
            Some(c + r.uniform() * (a + 1.0 - c))
        };
        let end = stop.unwrap_or(a + 1.0);
        // Purchases.
        self.buys.clear();
        if buyer {
            let mut t = first;
            while t < end && self.buys.len() < 500 {
                self.buys.push(t);
                t += erlang(r, 2, gap);
            }
            // A churner leaves right after its last purchase, on S.
            if let Some(s) = stop {
                if self.buys.last().is_none_or(|&b| (b as i32) < s as i32) {
                    self.buys.push(s);
                }
            }
            if self.buys.len() < twist.min_buys {
                while self.buys.len() < twist.min_buys {
                    self.buys
                        .push(first + r.uniform() * (end.min(a + 0.999) - first));
                }
                self.buys.sort_unstable_by(f64::total_cmp);
            }
        }
        let has_buys = !self.buys.is_empty();

        // Orders.
        let first_row = self.out.orders.customer.len();
        self.fails.clear();
        for k in 0..self.buys.len() {
            let day = self.day(self.buys[k]);
            let m = if self.rng.uniform() < 0.8 {
                method
            } else {
                PaymentMethod::ALL[pick(&mut self.rng, &METHOD_W)]
            };
            let amount = cents(spend * erlang(&mut self.rng, 6, 1.0)).max(1.0);
            let mut status = OrderStatus::Completed;
            let u = self.rng.uniform();
            if !twist.no_base_status {
                if u < 0.02 {
                    status = OrderStatus::Cancelled;
                } else if u < 0.0205 {
                    status = OrderStatus::Returned;
                } else if m == PaymentMethod::Cod && u < 0.0230 {
                    status = OrderStatus::Refused;
                }
            }
            let discount = if self.rare[RARE_DISCOUNT].hit(&mut self.rng) {
                cents(amount * (0.05 + 0.25 * self.rng.uniform()))
            } else {
                f64::NAN
            };
            self.push_order(i, day, amount, status, m, discount);
            self.fails.push(FAIL_NONE);
        }
        let n_orders = self.buys.len();

        // Persona twists on the orders.
        let mut complaints = 0u32;
        match persona {
            Persona::SerialReturner => {
                let n = n_orders;
                let mut k = (0..n).filter(|_| self.rng.uniform() < 0.7).count();
                k = k.max((0.6 * n as f64).ceil() as usize);
                // k distinct orders (partial Fisher–Yates over indices).
                let mut idx: Vec<usize> = (0..n).collect();
                for a in 0..k {
                    let b = a + below(&mut self.rng, n - a);
                    idx.swap(a, b);
                    let row = first_row + idx[a];
                    if self.rng.uniform() < 0.6 {
                        self.out.orders.status[row] = OrderStatus::Returned;
                    } else {
                        self.push_return(i, row);
                    }
                }
            }
            Persona::DealHunter => {
                // Each order on discount with probability 0.8, at least 60 % of them.
                let n = n_orders;
                let need = (0.6 * n as f64).ceil() as usize;
                let mut on: Vec<bool> = (0..n).map(|_| self.rng.uniform() < 0.8).collect();
                let mut count = on.iter().filter(|&&x| x).count();
                let mut k = 0;
                while count < need {
                    if !on[k] {
                        on[k] = true;
                        count += 1;
                    }
                    k += 1;
                }
                for (k, _) in on.iter().enumerate().filter(|(_, &x)| x) {
                    let row = first_row + k;
                    let amt = self.out.orders.amount[row];
                    self.out.orders.discount[row] =
                        cents(amt * (0.1 + 0.3 * self.rng.uniform()) / 0.8);
                }
            }
            Persona::Defaulter => {
                let n = n_orders;
                let k = (2 + below(&mut self.rng, 3)).min(n);
                let mut idx: Vec<usize> = (0..n).collect();
                for a in 0..k {
                    let b = a + below(&mut self.rng, n - a);
                    idx.swap(a, b);
                    let row = first_row + idx[a];
                    // An order already refused by the base process counts as it is.
                    if self.out.orders.status[row] == OrderStatus::Refused {
                        continue;
                    }
                    let w = self.rng.uniform();
                    if w < 0.4 {
                        self.out.orders.payment_method[row] = PaymentMethod::Cod;
                        self.out.orders.status[row] = OrderStatus::Refused;
                    } else if w < 0.8 {
                        self.out.orders.status[row] = OrderStatus::Cancelled;
                        self.fails[idx[a]] = FAIL_THEN_CANCEL;
                    } else {
                        // Charged back: a card payment on the order day, disputed later.
                        self.out.orders.payment_method[row] = PaymentMethod::Card;
                        self.out.orders.status[row] = OrderStatus::Completed;
                        self.fails[idx[a]] = FAIL_CHARGEBACK;
                    }
                }
            }
            _ => {}
        }

        // Base partial returns, payments, complaints that follow events.
        let returner = persona == Persona::SerialReturner;
        for k in 0..n_orders {
            let row = first_row + k;
            let status = self.out.orders.status[row];
            if status == OrderStatus::Completed {
                if !returner && self.rare[RARE_PARTIAL_RETURN].hit(&mut self.rng) {
                    self.push_return(i, row);
                    complaints += (self.rng.uniform() < 0.05) as u32;
                }
                complaints += self.rare[RARE_COMPLAINT].hit(&mut self.rng) as u32;
            } else if status == OrderStatus::Returned && !returner {
                complaints += (self.rng.uniform() < 0.05) as u32;
            }
            self.push_payment(i, row, self.fails[k]);
        }
        if persona == Persona::Complainer {
            complaints = complaints.max(3 + (erlang(&mut self.rng, 1, 1.2) as u32).min(4));
        }

        // Interactions: first contact on the creation day, then the regular stream.
        let end_day = match stop {
            Some(s) => self.day(s),
            None => self.o.as_of,
        };
        let unhappy = persona == Persona::Complainer;
        self.touches.clear();
        let mut t = c;
        let mut kind = [
            InteractionKind::Visit,
            InteractionKind::Call,
            InteractionKind::Email,
        ][below(&mut self.rng, 3)];
        while self.day(t) <= end_day {
            let value = match kind {
                InteractionKind::Feedback => {
                    let w = if unhappy {
                        &FEEDBACK_UNHAPPY_W
                    } else {
                        &FEEDBACK_W
                    };
                    (pick(&mut self.rng, w) + 1) as f64
                }
                InteractionKind::Quote => cents(spend * (1.0 + 2.0 * self.rng.uniform())),
                _ => f64::NAN,
            };
            self.touches.push((self.day(t), kind, value));
            t += erlang(&mut self.rng, 3, touch_gap);
            kind = KIND[pick(&mut self.rng, &KIND_W)];
        }
        // A prospect gone cold: its last contact is on the stop day.
        if let (Some(_), false) = (stop, has_buys) {
            self.touches
                .push((end_day, InteractionKind::Call, f64::NAN));
        }
        for _ in 0..complaints {
            let u = self.rng.uniform();
            let d = self.day(c + u * (end - c));
            self.touches
                .push((d.min(end_day), InteractionKind::Complaint, f64::NAN));
        }
        if complaints > 0 {
            self.touches.sort_by_key(|x| x.0);
        }
        self.push_touches(i);

        Life {
            never_active: false,
            stopped: stop.map(|s| self.day(s)),
        }
    }

    fn push_touches(&mut self, i: usize) {
        let it = &mut self.out.interactions;
        for &(d, k, v) in &self.touches {
            it.customer.push(i as u32);
            it.day.push(d);
            it.kind.push(k);
            it.value.push(v);
        }
    }

    fn push_order(
        &mut self,
        i: usize,
        day: i32,
        amount: f64,
        status: OrderStatus,
        m: PaymentMethod,
        discount: f64,
    ) -> usize {
        let o = &mut self.out.orders;
        o.customer.push(i as u32);
        o.day.push(day);
        o.amount.push(amount);
        o.status.push(status);
        o.payment_method.push(m);
        o.discount.push(discount);
        o.customer.len() - 1
    }

    fn push_return(&mut self, i: usize, row: usize) {
        let day =
            (self.out.orders.day[row] + 3 + below(&mut self.rng, 18) as i32).min(self.o.as_of);
        let amount = cents(self.out.orders.amount[row] * (0.1 + 0.5 * self.rng.uniform()));
        let r = &mut self.out.returns;
        r.customer.push(i as u32);
        r.day.push(day);
        r.amount.push(amount);
        r.order.push(row as u32);
    }

    fn payment_row(&mut self, i: usize, row: usize, day: i32, status: PaymentStatus, late: f64) {
        let amount = self.out.orders.amount[row];
        let p = &mut self.out.payments;
        p.customer.push(i as u32);
        p.day.push(day);
        p.amount.push(amount);
        p.status.push(status);
        p.days_late.push(late);
        p.order.push(row as u32);
    }

    /// The payment rows of order `row` (none for refused and plain cancelled orders).
    fn push_payment(&mut self, i: usize, row: usize, fail: u8) {
        let as_of = self.o.as_of;
        let (day, status, m) = (
            self.out.orders.day[row],
            self.out.orders.status[row],
            self.out.orders.payment_method[row],
        );
        match status {
            OrderStatus::Refused => return,
            OrderStatus::Cancelled => {
                if fail == FAIL_THEN_CANCEL {
                    self.payment_row(i, row, day, PaymentStatus::Failed, f64::NAN);
                }
                return;
            }
            _ => {}
        }
        let wallet = matches!(
            m,
            PaymentMethod::Alipay | PaymentMethod::WechatPay | PaymentMethod::Card
        );
        if fail == FAIL_THEN_PAID || (wallet && self.rare[RARE_PAYMENT_FAILED].hit(&mut self.rng)) {
            self.payment_row(i, row, day, PaymentStatus::Failed, f64::NAN);
        }
        let (pay_day, st, late) = match m {
            PaymentMethod::BankTransfer => {
                if self.rng.uniform() < 0.15 {
                    let l = 1.0 + erlang(&mut self.rng, 2, 12.0).floor().min(39.0);
                    (day + 30 + l as i32, PaymentStatus::Late, l)
                } else {
                    (
                        day + 30 - below(&mut self.rng, 10) as i32,
                        PaymentStatus::Paid,
                        f64::NAN,
                    )
                }
            }
            PaymentMethod::Cod => (day + 2, PaymentStatus::Paid, f64::NAN),
            _ => (day, PaymentStatus::Paid, f64::NAN),
        };
        if pay_day > as_of {
            return;
        }
        if fail == FAIL_CHARGEBACK || (wallet && self.rare[RARE_CHARGEBACK].hit(&mut self.rng)) {
            let cb = (pay_day + 15 + below(&mut self.rng, 45) as i32).min(as_of);
            self.payment_row(i, row, cb, PaymentStatus::Chargeback, f64::NAN);
        } else {
            self.payment_row(i, row, pay_day, st, late);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Evaluation.

/// Confusion counts of one binary label (planted = positive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
    pub true_neg: usize,
}

impl Confusion {
    fn add(&mut self, truth: bool, predicted: bool) {
        match (truth, predicted) {
            (true, true) => self.true_pos += 1,
            (false, true) => self.false_pos += 1,
            (true, false) => self.false_neg += 1,
            (false, false) => self.true_neg += 1,
        }
    }
    /// Planted (actual positives).
    pub fn planted(&self) -> usize {
        self.true_pos + self.false_neg
    }
    /// Predicted positives.
    pub fn predicted(&self) -> usize {
        self.true_pos + self.false_pos
    }
    /// TP / (TP + FP); `NaN` when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.predicted())
    }
    /// TP / (TP + FN); `NaN` when nothing was planted.
    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.planted())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// One flag code against its planted truth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlagEval {
    pub code: FlagCode,
    pub confusion: Confusion,
}

/// The churn warning against `truth.churned`, over a population of buyers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChurnEval {
    /// Customers evaluated.
    pub customers: usize,
    /// Of them, truly churned.
    pub churned: usize,
    /// Predicted = churn risk high.
    pub high: Confusion,
    /// Predicted = churn risk medium or high.
    pub medium_or_high: Confusion,
    /// Area under the ROC curve of the ordinal score low 0 < medium 1 < high 2
    /// (Mann–Whitney, ties count one half); `NaN` when either class is empty.
    pub auc: f64,
}

/// [`evaluate`]'s result.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub customers: usize,
    /// Every [`FlagCode`], in its order.
    pub flags: Vec<FlagEval>,
    /// Junk (`classify`'s decision) against junk of the planted flags
    /// ([`FlagSet::is_junk`] with the default 2 warnings).
    pub junk: Confusion,
    /// Churn warning over all customers with at least one completed order.
    pub churn: ChurnEval,
    /// Churn warning over the buyers whose latest completed order is younger than 365
    /// days (not yet churned by the days rule: the early-warning case).
    pub churn_recent: ChurnEval,
}

impl Evaluation {
    pub fn flag(&self, code: FlagCode) -> &FlagEval {
        &self.flags[code as usize]
    }
}

fn churn_eval(rows: impl Iterator<Item = (bool, ChurnRisk)>) -> ChurnEval {
    let mut e = ChurnEval {
        customers: 0,
        churned: 0,
        high: Confusion::default(),
        medium_or_high: Confusion::default(),
        auc: f64::NAN,
    };
    let (mut pos, mut neg) = ([0usize; 3], [0usize; 3]);
    for (truth, risk) in rows {
        e.customers += 1;
        e.churned += truth as usize;
        e.high.add(truth, risk == ChurnRisk::High);
        e.medium_or_high.add(truth, risk != ChurnRisk::Low);
        let s = match risk {
            ChurnRisk::Low => 0,
            ChurnRisk::Medium => 1,
            ChurnRisk::High => 2,
        };
        if truth {
            pos[s] += 1;
        } else {
            neg[s] += 1;
        }
    }
    let (p, n): (usize, usize) = (pos.iter().sum(), neg.iter().sum());
    if p > 0 && n > 0 {
        // Σ over positives of (negatives scored lower + ½ negatives scored equal).
        let mut below = 0usize;
        let mut wins = 0.0;
        for s in 0..3 {
            wins += pos[s] as f64 * (below as f64 + 0.5 * neg[s] as f64);
            below += neg[s];
        }
        e.auc = wins / (p as f64 * n as f64);
    }
    e
}

/// Score `result` (a classification of `sample`, normally with the default options)
/// against the planted truth.
///
/// - per [`FlagCode`]: positive = the flag is in `truth.flags`, predicted = `classify`
///   raised it; TP / FP / FN / TN, precision, recall.
/// - junk: positive = the planted flags make a junk customer ([`FlagSet::is_junk`], 2
///   warnings), predicted = `classify`'s `junk`.
/// - churn warning, over the customers with at least one completed order (and again over
///   those whose latest completed order is younger than 365 days): positive =
///   `truth.churned`; predicted = risk high, or risk medium or high; AUC of the ordinal
///   risk (Mann–Whitney, ties ½).
///
/// Errors: `length_mismatch` when `result` does not have one row per customer.
pub fn evaluate(sample: &CrmSample, result: &Classification) -> Result<Evaluation, Error> {
    let n = sample.len();
    if result.customers.len() != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!(
                "the classification has {} customers, the sample {n}",
                result.customers.len()
            ),
        ));
    }
    let mut flags: Vec<FlagEval> = FlagCode::ALL
        .iter()
        .map(|&code| FlagEval {
            code,
            confusion: Confusion::default(),
        })
        .collect();
    let mut junk = Confusion::default();
    for (i, c) in result.customers.iter().enumerate() {
        let t = sample.truth.flags[i];
        for f in flags.iter_mut() {
            f.confusion.add(t.contains(f.code), c.has(f.code));
        }
        junk.add(t.is_junk(2), c.junk);
    }
    // Latest completed order per customer.
    let mut last = vec![i32::MIN; n];
    let o = &sample.orders;
    for k in 0..o.customer.len() {
        if o.status[k] == OrderStatus::Completed {
            let c = o.customer[k] as usize;
            last[c] = last[c].max(o.day[k]);
        }
    }
    let rows = |recent: bool| {
        let last = &last;
        (0..n)
            .filter(move |&i| last[i] != i32::MIN && (!recent || sample.as_of - last[i] < 365))
            .map(|i| (sample.truth.churned[i], result.customers[i].churn_risk))
    };
    Ok(Evaluation {
        customers: n,
        flags,
        junk,
        churn: churn_eval(rows(false)),
        churn_recent: churn_eval(rows(true)),
    })
}

fn f3(x: f64) -> String {
    if x.is_nan() {
        "   —".into()
    } else {
        format!("{x:.3}")
    }
}

impl fmt::Display for Evaluation {
    /// A plain-text table: per flag planted / flagged / TP / FP / FN / precision / recall,
    /// junk, and the churn-warning figures.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} customers", self.customers)?;
        writeln!(
            f,
            "{:<22} {:>8} {:>8} {:>8} {:>7} {:>7} {:>9} {:>7}",
            "flag", "planted", "flagged", "TP", "FP", "FN", "precision", "recall"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Confusion| {
            writeln!(
                f,
                "{:<22} {:>8} {:>8} {:>8} {:>7} {:>7} {:>9} {:>7}",
                name,
                c.planted(),
                c.predicted(),
                c.true_pos,
                c.false_pos,
                c.false_neg,
                f3(c.precision()),
                f3(c.recall())
            )
        };
        for e in &self.flags {
            row(f, e.code.name(), &e.confusion)?;
        }
        row(f, "junk", &self.junk)?;
        for (title, c) in [
            ("all buyers", &self.churn),
            (
                "buyers with an order in the last 365 days",
                &self.churn_recent,
            ),
        ] {
            writeln!(
                f,
                "churn warning, {title}: {} customers, {} truly churned",
                c.customers, c.churned
            )?;
            writeln!(
                f,
                "  risk high:           precision {}  recall {}",
                f3(c.high.precision()),
                f3(c.high.recall())
            )?;
            writeln!(
                f,
                "  risk medium or high: precision {}  recall {}",
                f3(c.medium_or_high.precision()),
                f3(c.medium_or_high.recall())
            )?;
            writeln!(f, "  AUC (low < medium < high): {}", f3(c.auc))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crmscore::classify::{email_is_valid, normalize_email, normalize_phone};

    #[test]
    fn malformed_templates_are_rejected_and_valid_ones_accepted() {
        let mut rng = Rng::new(7);
        for round in 0..2000usize {
            let p = Phone {
                country: 1,
                prefix: CN_MOBILE_PREFIXES[round % CN_MOBILE_PREFIXES.len()],
                suffix: (rng.next_u64() % 100_000_000) as u32,
            };
            let other = (rng.next_u64() % 100_000_000) as u32;
            for k in 0..10 {
                let s = bad_phone(k, p, other);
                assert_eq!(normalize_phone(&s), None, "bad phone kind {k}: {s:?}");
            }
            let canon = format!("{}{:08}", p.prefix, p.suffix);
            for style in 0..8 {
                assert_eq!(
                    normalize_phone(&format_phone(p, style)).as_deref(),
                    Some(canon.as_str())
                );
            }
            for (country, prefix) in [(2u8, 151u16), (3, 6)] {
                let q = Phone {
                    country,
                    prefix,
                    ..p
                };
                let n0 = normalize_phone(&format_phone(q, 0)).expect("valid foreign phone"); // ok: test code
                for style in 1..3 {
                    assert_eq!(
                        normalize_phone(&format_phone(q, style)).as_deref(),
                        Some(n0.as_str())
                    );
                }
            }
            let token = rng.next_u64() % 10_000_000;
            let (fam, giv) = (SURNAMES[round % 30].1, GIVEN[round % 36].1);
            for k in 0..12 {
                let s = bad_email(k, fam, giv, token, Some("王伟"));
                assert!(
                    !email_is_valid(&normalize_email(&s)),
                    "bad email kind {k}: {s:?}"
                );
                let s = bad_email(k, fam, giv, token, None);
                assert!(
                    !email_is_valid(&normalize_email(&s)),
                    "bad email kind {k}: {s:?}"
                );
            }
        }
    }

    #[test]
    fn portable_ln_and_exp_match_std() {
        let mut rng = Rng::new(3);
        for _ in 0..100_000 {
            let x = exp(60.0 * rng.uniform() - 45.0) * (1.0 + rng.uniform());
            let (a, b) = (ln(x), x.ln());
            assert!(
                (a - b).abs() <= 1e-15 * b.abs().max(1.0),
                "ln({x}) = {a}, std {b}"
            );
            let y = 80.0 * rng.uniform() - 40.0;
            let (a, b) = (exp(y), y.exp());
            assert!((a - b).abs() <= 1e-14 * b, "exp({y}) = {a}, std {b}");
        }
        for x in [
            f64::MIN_POSITIVE,
            2f64.powi(-53),
            0.5,
            1.0,
            std::f64::consts::SQRT_2,
            2.0,
            1e300,
        ] {
            assert!(
                (ln(x) - x.ln()).abs() <= 1e-15 * x.ln().abs().max(1.0),
                "ln({x})"
            );
        }
        // Every table cell, both edges and the centre.
        for j in 0..128 {
            for d in [0.0, 0.5, 0.999_999] {
                let x = 1.0 + (j as f64 + d) / 128.0;
                assert!((ln(x) - x.ln()).abs() <= 1e-15, "ln({x})");
                assert!(
                    (ln_series(x.sqrt()) * 2.0 - x.ln()).abs() <= 1e-15,
                    "series at {x}"
                );
            }
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        // Normal and gamma moments.
        let n = 200_000;
        let z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "normal {mean} {var}"
        );
        let g: Vec<f64> = (0..n).map(|_| gamma(&mut rng, 1.3, 2.0)).collect();
        let mean = g.iter().sum::<f64>() / n as f64;
        let var = g.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(
            (mean - 2.6).abs() < 0.03 && (var - 5.2).abs() < 0.15,
            "gamma {mean} {var}"
        );
        let e: Vec<f64> = (0..n).map(|_| erlang(&mut rng, 3, 10.0)).collect();
        let mean = e.iter().sum::<f64>() / n as f64;
        let var = e.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(
            (mean - 10.0).abs() < 0.1 && (var - 100.0 / 3.0).abs() < 1.0,
            "erlang {mean} {var}"
        );
    }

    #[test]
    fn auc_counts_ties_as_half() {
        use ChurnRisk::*;
        // Positives: high, medium; negatives: medium, low. Pairs: (h,m)=1, (h,l)=1,
        // (m,m)=½, (m,l)=1 → 3.5 / 4.
        let e =
            churn_eval([(true, High), (true, Medium), (false, Medium), (false, Low)].into_iter());
        assert_eq!(e.auc, 0.875);
        assert_eq!(
            e.high,
            Confusion {
                true_pos: 1,
                false_pos: 0,
                false_neg: 1,
                true_neg: 2
            }
        );
        assert_eq!(
            e.medium_or_high,
            Confusion {
                true_pos: 2,
                false_pos: 1,
                false_neg: 0,
                true_neg: 1
            }
        );
        let e = churn_eval([(true, Low), (false, Low)].into_iter());
        assert_eq!(e.auc, 0.5);
        assert!(churn_eval([(true, Low)].into_iter()).auc.is_nan());
    }
}
