//! Weighted scoring models → scores, tiers and per-customer explanations.
//!
//! Two stages, so that a weight change re-scores without re-reading the data:
//! 1. [`Prepared::new`] validates the model against the data and *pre-scales* every
//!    indicator to a fraction column in [0, 1] (`NaN` = missing), and evaluates every
//!    adjustment's condition once (a boolean column).
//! 2. [`Prepared::score`] combines the fractions with the weights:
//!    `score = Σ_groups cap_g(Σ_{i∈g} wᵢ·fᵢ + Σ_{a∈g} pₐ·[condₐ]) + ungrouped terms`,
//!    where `cap_g(x) = min(x, cap)`; with `missing: "skip"`, the indicator points are
//!    multiplied by `Σ all weights / Σ weights of the present indicators`. Nothing is
//!    rounded; tiers compare the unrounded score with `min` (score ≥ min).
//!    Each contribution is reported after the same renormalisation and group-cap scaling
//!    (a capped group's terms are scaled by `cap / total`), so contributions add up to the
//!    score exactly (up to floating-point rounding).

use crate::error::{describe_number, Error, ErrorCode, TableName};
use std::collections::HashMap;

mod format;

// The customer table a model scores (`Table` of named `Column`s) is a column type, shared
// with the derived fields: it lives in `crate::columns`.
pub use crate::columns::{Column, Table, NO_STRING};

#[derive(Clone, Debug, PartialEq)]
pub enum Scale {
    /// `(x − min) / (max − min)`, clamped to [0, 1].
    Linear { min: f64, max: f64 },
    /// `[threshold, fraction]` ordered by descending threshold; the first band with
    /// `x ≥ threshold` gives the fraction, none gives 0.
    Bands(Vec<(f64, f64)>),
    /// Mid-rank percentile within the data: `(#below + (#equal − 1)/2) / (n − 1)`; 1 when n = 1.
    Percentile,
    /// `ln(1 + max(x, 0)) / ln(1 + max)`, clamped to [0, 1].
    Log { max: f64 },
    /// true / non-zero → 1, false / 0 → 0.
    Boolean,
    /// A categorical field: each listed value's fraction; an unlisted value is missing.
    Map(Vec<(String, f64)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Missing {
    /// A missing value scores 0 points (default).
    #[default]
    Zero,
    /// Leave the indicator out and renormalise over the present ones.
    Skip,
    /// A missing value is an error naming the row and field.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub field: String,
    /// Points at full marks.
    pub weight: f64,
    pub scale: Scale,
    /// Lower is better: fraction = 1 − scaled.
    pub invert: bool,
    pub missing: Missing,
    pub group: Option<String>,
    /// Whether the model's `decay` applies to this indicator (default true).
    pub decay: bool,
}

impl Indicator {
    /// An indicator with the defaults: not inverted, missing = zero, no group, decays.
    pub fn new(id: &str, field: &str, weight: f64, scale: Scale) -> Indicator {
        Indicator {
            id: id.into(),
            field: field.into(),
            weight,
            scale,
            invert: false,
            missing: Missing::Zero,
            group: None,
            decay: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Num(f64),
    Str(String),
    Bool(bool),
}

/// Fixed points (possibly negative) when `field op value` holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjustment {
    pub id: String,
    pub field: String,
    pub op: Op,
    pub value: Value,
    pub points: f64,
    pub group: Option<String>,
    /// Whether the model's `decay` applies to this adjustment (default true).
    pub decay: bool,
}

/// Points fade with the age of a date field: factor `0.5^(age / halfLifeDays)`, where
/// `age = max(0, asOf − date)` in days; a customer without the date keeps factor 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Decay {
    pub field: String,
    pub half_life_days: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: String,
    /// The most points the group's terms can contribute together.
    pub cap: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub label: String,
    pub min: f64,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ScoringModel {
    pub indicators: Vec<Indicator>,
    pub adjustments: Vec<Adjustment>,
    pub groups: Vec<Group>,
    pub decay: Option<Decay>,
    /// Ordered high → low; the last must admit the lowest possible score.
    pub tiers: Vec<Tier>,
}

/// The largest total of weights and points, score and `missing: "skip"` factor a model
/// may have (far above any real model; leaves room for rounding below `f64::MAX`).
pub const SCORE_LIMIT: f64 = 1e300;

fn model_err(path: impl Into<String>, detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidModel, detail).field(path)
}

impl ScoringModel {
    /// The lowest possible score, and a bound on the highest (exact without
    /// `missing: "skip"`; with it, renormalisation can move all indicator weight onto any
    /// group, so each group's indicator bound becomes the total weight).
    pub fn score_range(&self) -> (f64, f64) {
        let mut lo = 0.0;
        let mut hi = 0.0;
        let mut by_group: HashMap<&str, (f64, f64)> = HashMap::new();
        let total: f64 = self.indicators.iter().map(|i| i.weight).sum();
        let skip = self.indicators.iter().any(|i| i.missing == Missing::Skip);
        let mut seen: Vec<Option<&str>> = Vec::new();
        let terms = self
            .indicators
            .iter()
            .filter_map(|i| {
                if !skip {
                    return Some((i.group.as_deref(), 0.0, i.weight));
                }
                let g = i.group.as_deref();
                (!seen.contains(&g)).then(|| {
                    seen.push(g);
                    (g, 0.0, total)
                })
            })
            .chain(
                self.adjustments
                    .iter()
                    .map(|a| (a.group.as_deref(), a.points.min(0.0), a.points.max(0.0))),
            );
        for (g, l, h) in terms {
            match g {
                Some(g) => {
                    let e = by_group.entry(g).or_insert((0.0, 0.0));
                    e.0 += l;
                    e.1 += h;
                }
                None => {
                    lo += l;
                    hi += h;
                }
            }
        }
        for (g, (l, h)) in by_group {
            let cap = self
                .groups
                .iter()
                .find(|x| x.id == g)
                .map_or(f64::INFINITY, |x| x.cap);
            lo += l.min(cap);
            hi += h.min(cap);
        }
        (lo, hi)
    }

    /// Weights and points small enough that no score, and no `missing: "skip"`
    /// renormalisation factor, can overflow: finite weights can still add up to ∞ (two
    /// weights of 1e308), and Σ weights / the smallest present weight can exceed the
    /// largest `f64` (weights 1e10 and 1e-300). Err: the JSON path to blame and the detail.
    fn check_magnitude(&self) -> Result<(), (String, String)> {
        let too_big =
            || format!("the weights and points of the model add up to more than {SCORE_LIMIT:e}");
        let mut total = 0.0f64;
        for (k, ind) in self.indicators.iter().enumerate() {
            total += ind.weight;
            if total > SCORE_LIMIT {
                return Err((format!("indicators[{k}].weight"), too_big()));
            }
        }
        for (k, a) in self.adjustments.iter().enumerate() {
            total += a.points.abs();
            if total > SCORE_LIMIT {
                return Err((format!("adjustments[{k}].points"), too_big()));
            }
        }
        let (lo, hi) = self.score_range();
        if !(lo >= -SCORE_LIMIT && hi <= SCORE_LIMIT) {
            // With `missing: "skip"` every group may receive the total weight.
            return Err((
                "indicators".into(),
                format!("the possible scores ({lo} to {hi}) exceed {SCORE_LIMIT:e}: use smaller weights"),
            ));
        }
        if self.indicators.iter().any(|i| i.missing == Missing::Skip) {
            let weights: f64 = self.indicators.iter().map(|i| i.weight).sum();
            let fixed: f64 = self
                .indicators
                .iter()
                .filter(|i| i.missing != Missing::Skip)
                .map(|i| i.weight)
                .sum();
            // The smallest positive weight of present indicators a customer can have.
            let (path, least) = if fixed > 0.0 {
                ("indicators".to_string(), fixed)
            } else {
                match self
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.missing == Missing::Skip && i.weight > 0.0)
                    .min_by(|a, b| a.1.weight.total_cmp(&b.1.weight))
                {
                    Some((k, i)) => (format!("indicators[{k}].weight"), i.weight),
                    None => return Ok(()),
                }
            };
            let factor = weights / least;
            if !factor.is_finite() {
                return Err((
                    path,
                    format!(
                        "with missing: \"skip\", points can be multiplied by {weights:e} / {least:e}, beyond the largest number: the weights are too far apart"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Validate the model on its own (not against data). Errors name the JSON path.
    pub fn validate(&self) -> Result<(), Error> {
        if self.indicators.is_empty() && self.adjustments.is_empty() {
            return Err(model_err(
                "indicators",
                "a model needs at least one indicator or adjustment",
            ));
        }
        let mut ids: HashMap<&str, String> = HashMap::new();
        let group_ids: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        for (k, ind) in self.indicators.iter().enumerate() {
            check_indicator(k, ind, &mut ids, &group_ids)?;
        }
        for (k, a) in self.adjustments.iter().enumerate() {
            check_adjustment(k, a, &mut ids, &group_ids)?;
        }
        self.check_groups()?;
        self.check_decay()?;
        if let Err((path, detail)) = self.check_magnitude() {
            return Err(model_err(path, detail));
        }
        if let Some(k) = self
            .indicators
            .iter()
            .skip(64)
            .position(|i| i.missing == Missing::Skip)
        {
            return Err(model_err(
                format!("indicators[{}].missing", k + 64),
                "missing: \"skip\" is supported on the first 64 indicators only",
            ));
        }
        self.check_tiers()
    }

    fn check_groups(&self) -> Result<(), Error> {
        for (k, g) in self.groups.iter().enumerate() {
            if self.groups[..k].iter().any(|x| x.id == g.id) {
                return Err(model_err(
                    format!("groups[{k}].id"),
                    format!("duplicate group \"{}\"", g.id),
                ));
            }
            if !(g.cap.is_finite() && g.cap >= 0.0) {
                return Err(model_err(
                    format!("groups[{k}].cap"),
                    "cap must be a finite number >= 0",
                ));
            }
        }
        Ok(())
    }

    fn check_decay(&self) -> Result<(), Error> {
        if let Some(d) = &self.decay {
            if d.field.is_empty() {
                return Err(model_err("decay.field", "decay needs a date field"));
            }
            if !(d.half_life_days.is_finite() && d.half_life_days > 0.0) {
                return Err(model_err(
                    "decay.halfLifeDays",
                    format!(
                        "halfLifeDays must be a finite number > 0, got {}",
                        describe_number(d.half_life_days)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Tiers: labelled, unique, ordered high → low, the last covering the lowest score.
    fn check_tiers(&self) -> Result<(), Error> {
        if self.tiers.is_empty() {
            return Err(model_err("tiers", "give at least one tier"));
        }
        if self.tiers.len() > 255 {
            return Err(model_err("tiers", "at most 255 tiers"));
        }
        for (k, t) in self.tiers.iter().enumerate() {
            if t.label.is_empty() {
                return Err(model_err(
                    format!("tiers[{k}].label"),
                    "a tier needs a label",
                ));
            }
            if self.tiers[..k].iter().any(|x| x.label == t.label) {
                return Err(model_err(
                    format!("tiers[{k}].label"),
                    format!("duplicate tier \"{}\"", t.label),
                ));
            }
            if !t.min.is_finite() && t.min != f64::NEG_INFINITY {
                return Err(model_err(format!("tiers[{k}].min"), "min must be a number"));
            }
            if k > 0 && t.min >= self.tiers[k - 1].min {
                return Err(model_err(
                    format!("tiers[{k}].min"),
                    format!(
                        "tiers must be ordered high → low: min {} is not below {}",
                        t.min,
                        self.tiers[k - 1].min
                    ),
                ));
            }
        }
        let (lo, _) = self.score_range();
        let last = &self.tiers[self.tiers.len() - 1];
        if last.min > lo {
            return Err(model_err(
                format!("tiers[{}].min", self.tiers.len() - 1),
                format!("tiers must cover every possible score: the lowest is {lo}, but the last tier starts at {}", last.min),
            ));
        }
        Ok(())
    }
}

/// One indicator: id (non-empty, unique among indicators and adjustments), field, weight,
/// scale, group.
fn check_indicator<'m>(
    k: usize,
    ind: &'m Indicator,
    ids: &mut HashMap<&'m str, String>,
    group_ids: &[&str],
) -> Result<(), Error> {
    let p = format!("indicators[{k}]");
    check_id(&p, "an indicator", &ind.id, ids)?;
    if ind.field.is_empty() {
        return Err(model_err(
            format!("{p}.field"),
            "an indicator needs a field",
        ));
    }
    if !(ind.weight.is_finite() && ind.weight >= 0.0) {
        return Err(model_err(
            format!("{p}.weight"),
            format!(
                "weight must be a finite number >= 0, got {}",
                describe_number(ind.weight)
            ),
        ));
    }
    check_scale(&format!("{p}.scale"), &ind.scale)?;
    check_group(&p, ind.group.as_deref(), group_ids)?;
    Ok(())
}

/// An id at path `p`: non-empty, and unique among indicators and adjustments.
fn check_id<'m>(
    p: &str,
    what: &str,
    id: &'m str,
    ids: &mut HashMap<&'m str, String>,
) -> Result<(), Error> {
    if id.is_empty() {
        return Err(model_err(
            format!("{p}.id"),
            format!("{what} needs a non-empty id"),
        ));
    }
    if let Some(prev) = ids.insert(id, p.to_string()) {
        return Err(model_err(
            format!("{p}.id"),
            format!("duplicate id \"{id}\" (also {prev})"),
        ));
    }
    Ok(())
}

/// A group reference at path `p`: one of the model's groups.
fn check_group(p: &str, group: Option<&str>, group_ids: &[&str]) -> Result<(), Error> {
    match group {
        Some(g) if !group_ids.contains(&g) => Err(model_err(
            format!("{p}.group"),
            format!("unknown group \"{g}\""),
        )),
        _ => Ok(()),
    }
}

/// One scale's parameters; `sp` is its JSON path.
fn check_scale(sp: &str, scale: &Scale) -> Result<(), Error> {
    match scale {
        Scale::Linear { min, max } => {
            if !min.is_finite() {
                return Err(model_err(format!("{sp}.min"), "min must be finite"));
            }
            if !max.is_finite() || max <= min {
                return Err(model_err(
                    format!("{sp}.max"),
                    format!(
                        "max must be finite and greater than min ({min}), got {}",
                        describe_number(*max)
                    ),
                ));
            }
        }
        Scale::Log { max } => {
            if !(max.is_finite() && *max > 0.0) {
                return Err(model_err(
                    format!("{sp}.max"),
                    format!("max must be > 0, got {}", describe_number(*max)),
                ));
            }
        }
        Scale::Bands(b) => {
            if b.is_empty() {
                return Err(model_err(
                    format!("{sp}.bands"),
                    "give at least one [threshold, fraction] band",
                ));
            }
            for (j, &(t, f)) in b.iter().enumerate() {
                if !t.is_finite() {
                    return Err(model_err(
                        format!("{sp}.bands[{j}][0]"),
                        "thresholds must be finite",
                    ));
                }
                if !(0.0..=1.0).contains(&f) {
                    return Err(model_err(
                        format!("{sp}.bands[{j}][1]"),
                        format!(
                            "a band's fraction must be within [0, 1], got {}",
                            describe_number(f)
                        ),
                    ));
                }
                if j > 0 && t >= b[j - 1].0 {
                    return Err(model_err(
                        format!("{sp}.bands[{j}][0]"),
                        format!("bands must be ordered by strictly descending threshold: {t} follows {}", b[j - 1].0),
                    ));
                }
            }
        }
        Scale::Map(m) => {
            if m.is_empty() {
                return Err(model_err(format!("{sp}.values"), "give at least one value"));
            }
            for (key, f) in m {
                if !(0.0..=1.0).contains(f) {
                    return Err(model_err(
                        format!("{sp}.values.{key}"),
                        format!(
                            "fractions must be within [0, 1], got {}",
                            describe_number(*f)
                        ),
                    ));
                }
            }
        }
        Scale::Percentile | Scale::Boolean => {}
    }
    Ok(())
}

/// One adjustment: id, points, value, an ordering operator only on numbers, group.
fn check_adjustment<'m>(
    k: usize,
    a: &'m Adjustment,
    ids: &mut HashMap<&'m str, String>,
    group_ids: &[&str],
) -> Result<(), Error> {
    let p = format!("adjustments[{k}]");
    check_id(&p, "an adjustment", &a.id, ids)?;
    if !a.points.is_finite() {
        return Err(model_err(
            format!("{p}.points"),
            "points must be a finite number",
        ));
    }
    if let Value::Num(v) = a.value {
        if !v.is_finite() {
            return Err(model_err(format!("{p}.value"), "value must be finite"));
        }
    }
    let ordering = matches!(a.op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
    if ordering && !matches!(a.value, Value::Num(_)) {
        return Err(model_err(
            format!("{p}.op"),
            "<, <=, > and >= compare numbers only",
        ));
    }
    check_group(&p, a.group.as_deref(), group_ids)?;
    Ok(())
}

/// One term of a customer's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// Index into `model.indicators`, or `model.indicators.len() + k` for adjustment `k`.
    pub term: usize,
    /// The scaled value in [0, 1] (indicators; before decay) or 1/0 (adjustment applied or
    /// not); `None` when the field is missing.
    pub fraction: Option<f64>,
    /// Points after renormalisation, decay and group caps.
    pub points: f64,
}

/// A way to reach the next tier by raising one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Upgrade {
    /// Index into `model.indicators`.
    pub indicator: usize,
    /// The most points this indicator can still add (fraction → 1, within its group's cap).
    pub max_gain: f64,
    /// How much its scaled value must rise (in [0, 1] units) to close the gap alone;
    /// `None` when it cannot.
    pub fraction_needed: Option<f64>,
    /// The field value that closes the gap, where the scale can be inverted (linear, log,
    /// bands, boolean); `None` otherwise.
    pub target_value: Option<f64>,
}

/// A customer's score, tier and the reasons for both.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub score: f64,
    pub tier: usize,
    pub contributions: Vec<Contribution>,
    /// The decay factor applied (1 without decay).
    pub decay_factor: f64,
    /// `tiers[tier − 1].min − score`; `None` in the top tier.
    pub points_to_next_tier: Option<f64>,
    /// Indicators ordered by how cheaply they close the gap (at most 3).
    pub upgrades: Vec<Upgrade>,
}

/// Options of [`Prepared::new`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ScoringOptions {
    /// Every field the model names must exist in the data.
    pub strict: bool,
    /// The decay reference day (epoch day); default: the latest date in the decay field.
    pub as_of: Option<i32>,
}

/// Customers per block of the scoring pass: the block's accumulators stay in L1.
const BLOCK: usize = 1024;

/// Indicators and adjustments that share a cap (slot 0: the ungrouped terms, no cap).
#[derive(Clone, Debug)]
struct Slot {
    indicators: Vec<usize>,
    /// Σ adjustment points × condition × decay, per customer (`None`: no adjustments).
    adj: Option<Vec<f64>>,
    cap: f64,
}

/// The model checked against the data, every indicator pre-scaled: a weight change only
/// re-runs [`Prepared::run`].
pub struct Prepared {
    pub model: ScoringModel,
    pub len: usize,
    /// Per indicator: fraction × decay factor (0 when missing), in single precision —
    /// half the memory traffic of the scoring pass.
    cols: Vec<Vec<f32>>,
    /// Per indicator: the missing values (for explanations).
    missing: Vec<Vec<bool>>,
    /// Percentile columns (mid-rank), for explanations.
    pct: Vec<Option<Vec<f64>>>,
    /// Per customer decay factor.
    decay: Option<Vec<f64>>,
    /// Per adjustment: the condition column.
    conditions: Vec<Vec<bool>>,
    slots: Vec<Slot>,
    ind_slot: Vec<usize>,
    adj_slot: Vec<usize>,
    /// `missing: "skip"`: pattern id per customer and, per pattern, the mask of its missing
    /// skip indicators (bit k = indicator k). `None` when no customer misses one.
    patterns: Option<(Vec<u32>, Vec<u64>)>,
    /// `tiers[..T−1].min`: a score below `thresholds[k]` is in a tier after k.
    thresholds: Vec<f64>,
    /// Per threshold, the smallest unrounded score whose rounded value reaches it.
    raw_thresholds: Vec<f64>,
    /// The decay reference day actually used.
    pub as_of: Option<i32>,
}

fn scale_num(scale: &Scale, x: f64) -> f64 {
    match scale {
        Scale::Linear { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
        Scale::Log { max } => ((x.max(0.0)).ln_1p() / max.ln_1p()).clamp(0.0, 1.0),
        Scale::Boolean => (x != 0.0) as u8 as f64,
        Scale::Bands(b) => b.iter().find(|(t, _)| x >= *t).map_or(0.0, |(_, f)| *f),
        Scale::Map(_) | Scale::Percentile => 0.0,
    }
}

/// Scale one column: fractions before invert (`None` = missing).
fn scale_column(
    scale: &Scale,
    col: &Column,
    len: usize,
    pct: Option<&Vec<f64>>,
) -> Vec<Option<f64>> {
    match scale {
        Scale::Percentile => (0..len)
            .map(|i| pct.and_then(|p| Some(p[i]).filter(|x| !x.is_nan())))
            .collect(),
        Scale::Map(m) => match col {
            Column::Str { codes, dict } => {
                let by_code: Vec<Option<f64>> = dict
                    .iter()
                    .map(|d| m.iter().find(|(k, _)| k == d).map(|(_, f)| *f))
                    .collect();
                codes
                    .iter()
                    .map(|&c| by_code.get(c as usize).copied().flatten())
                    .collect()
            }
            _ => (0..len)
                .map(|i| {
                    col.key(i)
                        .and_then(|s| m.iter().find(|(k, _)| *k == s).map(|(_, f)| *f))
                })
                .collect(),
        },
        _ => (0..len)
            .map(|i| col.num(i).map(|x| scale_num(scale, x)))
            .collect(),
    }
}

/// Mid-rank percentiles of a numeric column (NaN stays NaN).
fn percentiles(col: &Column, len: usize) -> Vec<f64> {
    let mut sorted: Vec<(usize, f64)> = (0..len)
        .filter_map(|i| col.num(i).map(|x| (i, x)))
        .collect();
    let mut out = vec![f64::NAN; len];
    let n = sorted.len();
    sorted.sort_unstable_by(|a, b| a.1.total_cmp(&b.1));
    let mut k = 0;
    while k < n {
        let mut e = k;
        while e + 1 < n && sorted[e + 1].1 == sorted[k].1 {
            e += 1;
        }
        let p = if n == 1 {
            1.0
        } else {
            (k as f64 + (e - k) as f64 / 2.0) / (n - 1) as f64
        };
        for s in &sorted[k..=e] {
            out[s.0] = p;
        }
        k = e + 1;
    }
    out
}

fn holds(col: &Column, i: usize, op: Op, value: &Value) -> bool {
    let eq = |o: std::cmp::Ordering| match op {
        Op::Eq => o.is_eq(),
        Op::Ne => o.is_ne(),
        _ => false,
    };
    match (value, col) {
        (Value::Num(v), _) => match col.num(i) {
            None => false,
            Some(x) => match op {
                Op::Gt => x > *v,
                Op::Ge => x >= *v,
                Op::Lt => x < *v,
                Op::Le => x <= *v,
                Op::Eq => x == *v,
                Op::Ne => x != *v,
            },
        },
        (Value::Str(s), Column::Str { codes, dict }) => match dict.get(codes[i] as usize) {
            None => false,
            Some(x) => eq(x.as_str().cmp(s.as_str())),
        },
        (Value::Bool(b), Column::Bool(c)) => match c[i] {
            None => false,
            Some(x) => eq(x.cmp(b)),
        },
        _ => false,
    }
}

/// Epoch days of a date column: numbers are epoch milliseconds, strings are parsed.
fn date_days(col: &Column, field: &str) -> Result<Vec<Option<i32>>, Error> {
    match col {
        Column::Num(v) => v
            .iter()
            .enumerate()
            .map(|(i, &ms)| {
                if ms.is_nan() {
                    Ok(None)
                } else {
                    crate::dates::ms_to_day(ms).map(Some).map_err(|e| {
                        Error::cell(ErrorCode::InvalidDate, TableName::Customers, i, field, e)
                    })
                }
            })
            .collect(),
        Column::Str { codes, dict } => {
            let mut parsed = Vec::with_capacity(dict.len());
            for (k, d) in dict.iter().enumerate() {
                match crate::dates::parse_day(d) {
                    Ok(day) => parsed.push(day),
                    Err(e) => {
                        let row = codes.iter().position(|&c| c as usize == k).unwrap_or(0);
                        return Err(Error::cell(
                            ErrorCode::InvalidDate,
                            TableName::Customers,
                            row,
                            field,
                            e,
                        ));
                    }
                }
            }
            Ok(codes
                .iter()
                .map(|&c| parsed.get(c as usize).copied())
                .collect())
        }
        Column::Bool(v) => match v.iter().position(|b| b.is_some()) {
            Some(row) => Err(Error::cell(
                ErrorCode::InvalidDate,
                TableName::Customers,
                row,
                field,
                "a decay field must hold dates, got a boolean",
            )),
            None => Ok(vec![None; v.len()]),
        },
    }
}

impl Prepared {
    /// Validate the model, check its fields against `table` (strict: every field must exist;
    /// otherwise an absent field is all-missing) and pre-scale every indicator.
    pub fn new(
        model: ScoringModel,
        table: &Table,
        opts: ScoringOptions,
    ) -> Result<Prepared, Error> {
        model.validate()?;
        let len = table.len;
        let empty = Column::Num(vec![f64::NAN; len]);
        let column = |field: &str, path: String| -> Result<&Column, Error> {
            match table.columns.get(field) {
                Some(c) => Ok(c),
                None if opts.strict => Err(model_err(
                    path,
                    format!("unknown field \"{field}\" (strict mode)"),
                )),
                None => Ok(&empty),
            }
        };
        // Decay factors.
        let (decay, as_of) = match &model.decay {
            None => (None, opts.as_of),
            Some(d) => {
                let days = date_days(column(&d.field, "decay.field".into())?, &d.field)?;
                let as_of = opts.as_of.or_else(|| days.iter().flatten().max().copied());
                let factors = days
                    .iter()
                    .map(|day| match (day, as_of) {
                        (Some(day), Some(a)) => {
                            0.5f64.powf((a - day).max(0) as f64 / d.half_life_days)
                        }
                        _ => 1.0,
                    })
                    .collect::<Vec<f64>>();
                (Some(factors), as_of)
            }
        };
        let factor = |i: usize, decays: bool| {
            if decays {
                decay.as_ref().map_or(1.0, |d| d[i])
            } else {
                1.0
            }
        };
        let k_ind = model.indicators.len();
        let mut cols = Vec::with_capacity(k_ind);
        let mut missing: Vec<Vec<bool>> = Vec::with_capacity(k_ind);
        let mut pcts = Vec::with_capacity(k_ind);
        for (k, ind) in model.indicators.iter().enumerate() {
            let col = column(&ind.field, format!("indicators[{k}].field"))?;
            let pct = matches!(ind.scale, Scale::Percentile).then(|| percentiles(col, len));
            let scaled = scale_column(&ind.scale, col, len, pct.as_ref());
            if ind.missing == Missing::Error {
                if let Some(row) = scaled.iter().position(|x| x.is_none()) {
                    let why = if col.key(row).is_some() {
                        "has no fraction in the map"
                    } else {
                        "is missing"
                    };
                    return Err(Error::cell(
                        ErrorCode::MissingField,
                        TableName::Customers,
                        row,
                        &ind.field,
                        format!(
                            "indicator \"{}\" needs {}, which {why} (missing: \"error\")",
                            ind.id, ind.field
                        ),
                    ));
                }
            }
            let c: Vec<f32> = scaled
                .iter()
                .enumerate()
                .map(|(i, x)| match x {
                    Some(x) => {
                        ((if ind.invert { 1.0 - x } else { *x }) * factor(i, ind.decay)) as f32
                    }
                    None => 0.0,
                })
                .collect();
            missing.push(scaled.iter().map(|x| x.is_none()).collect());
            cols.push(c);
            pcts.push(pct);
        }
        let mut conditions = Vec::with_capacity(model.adjustments.len());
        for (k, a) in model.adjustments.iter().enumerate() {
            let col = column(&a.field, format!("adjustments[{k}].field"))?;
            conditions.push(
                (0..len)
                    .map(|i| holds(col, i, a.op, &a.value))
                    .collect::<Vec<bool>>(),
            );
        }
        let slot_of = |g: &Option<String>| {
            g.as_ref()
                .and_then(|g| model.groups.iter().position(|x| &x.id == g))
                .map_or(0, |p| p + 1)
        };
        let ind_slot: Vec<usize> = model.indicators.iter().map(|i| slot_of(&i.group)).collect();
        let adj_slot: Vec<usize> = model
            .adjustments
            .iter()
            .map(|a| slot_of(&a.group))
            .collect();
        let mut slots: Vec<Slot> = std::iter::once(f64::INFINITY)
            .chain(model.groups.iter().map(|g| g.cap))
            .map(|cap| Slot {
                indicators: vec![],
                adj: None,
                cap,
            })
            .collect();
        for (k, &s) in ind_slot.iter().enumerate() {
            slots[s].indicators.push(k);
        }
        for (k, a) in model.adjustments.iter().enumerate() {
            let adj = slots[adj_slot[k]].adj.get_or_insert_with(|| vec![0.0; len]);
            for (i, x) in adj.iter_mut().enumerate() {
                if conditions[k][i] {
                    *x += a.points * factor(i, a.decay);
                }
            }
        }
        let skip: Vec<usize> = model
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.missing == Missing::Skip)
            .map(|(k, _)| k)
            .collect();
        let patterns = if skip.iter().any(|&k| missing[k].iter().any(|&m| m)) {
            let mut ids: HashMap<u64, u32> = HashMap::new();
            let mut masks = Vec::new();
            let per: Vec<u32> = (0..len)
                .map(|i| {
                    let mask = skip
                        .iter()
                        .filter(|&&k| missing[k][i])
                        .fold(0u64, |m, &k| m | 1 << k);
                    *ids.entry(mask).or_insert_with(|| {
                        masks.push(mask);
                        masks.len() as u32 - 1
                    })
                })
                .collect();
            Some((per, masks))
        } else {
            None
        };
        let thresholds: Vec<f64> = model.tiers[..model.tiers.len() - 1]
            .iter()
            .map(|t| t.min)
            .collect();
        let raw_thresholds = thresholds
            .iter()
            .map(|&m| smallest_rounding_to(m))
            .collect();
        Ok(Prepared {
            model,
            len,
            cols,
            missing,
            pct: pcts,
            decay,
            conditions,
            slots,
            ind_slot,
            adj_slot,
            patterns,
            thresholds,
            raw_thresholds,
            as_of,
        })
    }

    /// The model's own weights, in indicator order.
    pub fn weights(&self) -> Vec<f64> {
        self.model.indicators.iter().map(|i| i.weight).collect()
    }

    /// Check a weight vector for [`Prepared::run`]: one finite weight ≥ 0 per indicator.
    pub fn check_weights(&self, w: &[f64]) -> Result<(), Error> {
        if w.len() != self.model.indicators.len() {
            return Err(Error::new(
                ErrorCode::LengthMismatch,
                format!(
                    "expected {} weights (one per indicator), got {}",
                    self.model.indicators.len(),
                    w.len()
                ),
            )
            .field("weights"));
        }
        if let Some(k) = w.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "weights must be finite numbers >= 0, got {}",
                    describe_number(w[k])
                ),
            )
            .field(format!("weights[{k}]")));
        }
        let mut m = ScoringModel {
            indicators: self.model.indicators.clone(),
            adjustments: self.model.adjustments.clone(),
            groups: self.model.groups.clone(),
            decay: None,
            tiers: Vec::new(),
        };
        for (ind, &x) in m.indicators.iter_mut().zip(w) {
            ind.weight = x;
        }
        if let Err((path, detail)) = m.check_magnitude() {
            let field = match path.strip_prefix("indicators[") {
                Some(rest) => format!("weights[{}", rest.trim_end_matches(".weight")),
                None => "weights".to_string(),
            };
            return Err(Error::new(ErrorCode::InvalidValue, detail).field(field));
        }
        Ok(())
    }

    /// `missing: "skip"` renormalisation factor per pattern: Σ w / Σ w of present indicators.
    fn renorm(&self, w: &[f64]) -> Vec<f64> {
        let Some((_, masks)) = &self.patterns else {
            return Vec::new();
        };
        let total: f64 = w.iter().sum();
        masks
            .iter()
            .map(|&mask| {
                let present: f64 = w
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| mask >> k & 1 == 0 || *k >= 64)
                    .map(|(_, x)| x)
                    .sum();
                if mask != 0 && present > 0.0 {
                    total / present
                } else {
                    1.0
                }
            })
            .collect()
    }

    /// `out[j] += Σ w_k × col_k[start + j]` over `indicators`, added one indicator after the
    /// other in their order (the same roundings as adding them one loop at a time, which
    /// [`Explainer`] repeats), four indicators per pass over `out`: one load and store of the
    /// block per four columns instead of per column (measured: README, "Design").
    #[inline]
    fn weighted_sum(&self, out: &mut [f64], indicators: &[usize], w: &[f64], start: usize) {
        let n = out.len();
        let col = |k: usize| &self.cols[k][start..start + n];
        let mut ks = indicators.chunks_exact(4);
        for q in &mut ks {
            let (w0, w1, w2, w3) = (w[q[0]], w[q[1]], w[q[2]], w[q[3]]);
            let (c0, c1, c2, c3) = (col(q[0]), col(q[1]), col(q[2]), col(q[3]));
            for j in 0..n {
                out[j] = (((out[j] + w0 * c0[j] as f64) + w1 * c1[j] as f64) + w2 * c2[j] as f64)
                    + w3 * c3[j] as f64;
            }
        }
        let rest = ks.remainder();
        if rest.len() >= 2 {
            let (w0, w1) = (w[rest[0]], w[rest[1]]);
            let (c0, c1) = (col(rest[0]), col(rest[1]));
            for j in 0..n {
                out[j] = (out[j] + w0 * c0[j] as f64) + w1 * c1[j] as f64;
            }
        }
        if rest.len() % 2 == 1 {
            let k = rest[rest.len() - 1];
            let wk = w[k];
            for (x, &c) in out.iter_mut().zip(col(k)) {
                *x += wk * c as f64;
            }
        }
    }

    /// The scoring pass: unrounded scores block by block (`sink(first customer, scores)`).
    /// The arithmetic, in this order, is the contract [`Prepared::explain`] repeats.
    #[inline(always)]
    fn pass(&self, w: &[f64], mut sink: impl FnMut(usize, &[f64])) {
        let n = self.len;
        let lut = self.renorm(w);
        let grouped: Vec<&Slot> = self
            .slots
            .iter()
            .skip(1)
            .filter(|s| !s.indicators.is_empty() || s.adj.is_some())
            .collect();
        let simple = self.patterns.is_none() && self.slots[0].adj.is_none() && grouped.is_empty();
        let mut acc = vec![0.0f64; BLOCK * grouped.len()];
        let mut out = [0.0f64; BLOCK];
        let mut start = 0;
        while start < n {
            let end = (start + BLOCK).min(n);
            let len = end - start;
            let out = &mut out[..len];
            out.fill(0.0);
            self.weighted_sum(out, &self.slots[0].indicators, w, start);
            if !simple {
                for (g, slot) in grouped.iter().enumerate() {
                    let a = &mut acc[g * BLOCK..g * BLOCK + len];
                    a.fill(0.0);
                    self.weighted_sum(a, &slot.indicators, w, start);
                }
                for (j, s) in out.iter_mut().enumerate() {
                    let i = start + j;
                    let m = match &self.patterns {
                        Some((p, _)) => lut[p[i] as usize],
                        None => 1.0,
                    };
                    let mut v = if self.patterns.is_some() { *s * m } else { *s };
                    if let Some(a) = &self.slots[0].adj {
                        v += a[i];
                    }
                    for (g, slot) in grouped.iter().enumerate() {
                        let mut t = if self.patterns.is_some() {
                            acc[g * BLOCK + j] * m
                        } else {
                            acc[g * BLOCK + j]
                        };
                        if let Some(a) = &slot.adj {
                            t += a[i];
                        }
                        v += t.min(slot.cap);
                    }
                    *s = v;
                }
            }
            sink(start, out);
            start = end;
        }
    }

    /// Tier index per customer and customers per tier under weights `w` (checked with
    /// [`Prepared::check_weights`]): one pass over the pre-scaled columns. Scores are not
    /// stored: the tier test compares the unrounded score with the smallest value that
    /// rounds to at least the tier's min, which is the same as comparing the rounded score.
    pub fn run(&self, w: &[f64], tiers: &mut [u8], counts: &mut [u32]) {
        let n = self.len;
        let mut below = vec![0u64; self.raw_thresholds.len()];
        self.pass(w, |start, scores| {
            let tt = &mut tiers[start..start + scores.len()];
            tt.fill(0);
            for (k, &min) in self.raw_thresholds.iter().enumerate() {
                let mut c = 0u32;
                for (t, &s) in tt.iter_mut().zip(scores) {
                    let b = (s < min) as u8;
                    *t += b;
                    c += b as u32;
                }
                below[k] += c as u64;
            }
        });
        // Tier k holds the scores below thresholds[k−1] but not below thresholds[k].
        let t = counts.len();
        for k in 0..t {
            let above = if k == 0 { n as u64 } else { below[k - 1] };
            let rest = if k + 1 < t { below[k] } else { 0 };
            counts[k] = (above - rest) as u32;
        }
    }

    /// Every customer's (rounded) score under weights `w`.
    pub fn scores_into(&self, w: &[f64], out: &mut [f64]) {
        self.pass(w, |start, scores| {
            for (o, &s) in out[start..start + scores.len()].iter_mut().zip(scores) {
                *o = round_score(s);
            }
        });
    }

    /// Scores, tiers and tier counts with the model's own weights.
    pub fn score_all(&self) -> (Vec<f64>, Vec<u8>, Vec<u32>) {
        let w = self.weights();
        let mut s = vec![0.0; self.len];
        let mut t = vec![0u8; self.len];
        let mut c = vec![0u32; self.model.tiers.len()];
        self.run(&w, &mut t, &mut c);
        self.scores_into(&w, &mut s);
        (s, t, c)
    }

    /// Index of the tier a score falls in (first with score ≥ min; the last otherwise).
    pub fn tier_of(&self, score: f64) -> usize {
        self.thresholds.iter().filter(|&&m| score < m).count()
    }

    /// The scaled value (before invert and decay) of indicator `k` for customer `i`.
    fn raw_fraction(&self, col: Option<&Column>, k: usize, i: usize) -> Option<f64> {
        if self.missing[k][i] {
            return None;
        }
        let ind = &self.model.indicators[k];
        if let Some(p) = &self.pct[k] {
            return Some(p[i]);
        }
        let col = col?;
        match (&ind.scale, col) {
            (Scale::Map(m), Column::Str { codes, dict }) => {
                let s = dict.get(codes[i] as usize)?;
                m.iter().find(|(key, _)| key == s).map(|(_, f)| *f)
            }
            (Scale::Map(m), _) => col
                .key(i)
                .and_then(|s| m.iter().find(|(key, _)| *key == s).map(|(_, f)| *f)),
            (s, _) => col.num(i).map(|x| scale_num(s, x)),
        }
    }

    /// Score, tier, contributions and upgrade paths of customer `i` under weights `w` —
    /// the same arithmetic, in the same order, as [`Prepared::run`], so the score is identical.
    /// To explain many customers, make one [`Explainer`] instead.
    pub fn explain(&self, table: &Table, i: usize, w: &[f64]) -> Explanation {
        self.explainer(table, w).explain(i)
    }

    /// An explainer for many customers under the same weights.
    pub fn explainer<'a>(&'a self, table: &'a Table, w: &'a [f64]) -> Explainer<'a> {
        let cols = self
            .model
            .indicators
            .iter()
            .map(|ind| table.columns.get(&ind.field))
            .collect();
        Explainer {
            p: self,
            cols,
            w,
            lut: self.renorm(w),
        }
    }
}

/// Explanations of many customers under one weight vector (columns resolved once).
pub struct Explainer<'a> {
    p: &'a Prepared,
    cols: Vec<Option<&'a Column>>,
    w: &'a [f64],
    lut: Vec<f64>,
}

impl Explainer<'_> {
    /// See [`Prepared::explain`].
    pub fn explain(&self, i: usize) -> Explanation {
        let (this, w) = (self.p, self.w);
        let m = &this.model;
        let mult = this.patterns.as_ref().map(|(p, _)| self.lut[p[i] as usize]);
        let d = this.decay.as_ref().map_or(1.0, |d| d[i]);
        let ni = m.indicators.len();
        let mut contributions = Vec::with_capacity(ni + m.adjustments.len());
        for (k, ind) in m.indicators.iter().enumerate() {
            let f = this
                .raw_fraction(self.cols[k], k, i)
                .map(|x| if ind.invert { 1.0 - x } else { x });
            let p = w[k] * this.cols[k][i] as f64 * mult.unwrap_or(1.0);
            contributions.push(Contribution {
                term: k,
                fraction: f,
                points: p,
            });
        }
        for (k, a) in m.adjustments.iter().enumerate() {
            let on = this.conditions[k][i];
            let p = if on {
                a.points * if a.decay { d } else { 1.0 }
            } else {
                0.0
            };
            contributions.push(Contribution {
                term: ni + k,
                fraction: Some(on as u8 as f64),
                points: p,
            });
        }
        // Slot totals exactly as `run` computes them, then caps.
        let mut score = 0.0;
        let mut slot_total = vec![0.0; this.slots.len()];
        for (s, slot) in this.slots.iter().enumerate() {
            if s > 0 && slot.indicators.is_empty() && slot.adj.is_none() {
                continue;
            }
            let mut acc = 0.0;
            for &k in &slot.indicators {
                acc += w[k] * this.cols[k][i] as f64;
            }
            let mut t = match mult {
                Some(r) => acc * r,
                None => acc,
            };
            if let Some(a) = &slot.adj {
                t += a[i];
            }
            slot_total[s] = t;
            score += if s == 0 { t } else { t.min(slot.cap) };
        }
        for (s, slot) in this.slots.iter().enumerate().skip(1) {
            let t = slot_total[s];
            if t > slot.cap && t > 0.0 {
                let scale = slot.cap / t;
                for c in contributions.iter_mut() {
                    let cs = if c.term < ni {
                        this.ind_slot[c.term]
                    } else {
                        this.adj_slot[c.term - ni]
                    };
                    if cs == s {
                        c.points *= scale;
                    }
                }
            }
        }
        let score = round_score(score);
        for c in contributions.iter_mut() {
            c.points = round_score(c.points);
        }
        let tier = this.tier_of(score);
        let points_to_next_tier = (tier > 0).then(|| m.tiers[tier - 1].min - score);
        let mut upgrades = Vec::new();
        if let Some(gap) = points_to_next_tier {
            for (k, ind) in m.indicators.iter().enumerate() {
                let dk = if ind.decay { d } else { 1.0 };
                let unit = w[k] * mult.unwrap_or(1.0) * dk;
                let f = contributions[k].fraction.unwrap_or(0.0);
                let s = this.ind_slot[k];
                let headroom = if s == 0 {
                    f64::INFINITY
                } else {
                    (this.slots[s].cap - slot_total[s]).max(0.0)
                };
                let max_gain = (unit * (1.0 - f)).min(headroom);
                #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN counts as no gain
                if !(max_gain > 0.0) {
                    continue;
                }
                let fraction_needed = (max_gain >= gap).then(|| (gap / unit).min(1.0 - f));
                let target_value = fraction_needed
                    .and_then(|df| invert_scale(&ind.scale, ind.invert, (f + df).min(1.0)));
                upgrades.push(Upgrade {
                    indicator: k,
                    max_gain,
                    fraction_needed,
                    target_value,
                });
            }
            crate::sort::insertion_sort_by(&mut upgrades, |a, b| {
                match (a.fraction_needed, b.fraction_needed) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => b.max_gain.total_cmp(&a.max_gain),
                }
                .is_lt()
            });
            upgrades.truncate(3);
        }
        Explanation {
            score,
            tier,
            contributions,
            decay_factor: d,
            points_to_next_tier,
            upgrades,
        }
    }
}

/// Scores (and contributions) are reported rounded to 4 decimal places (ties to even):
/// this hides the single-precision storage of the pre-scaled fractions (relative error
/// ≤ 6·10⁻⁸, i.e. < 0.5·10⁻⁴ points for scores up to ~800), so a score that is 80 on
/// paper is exactly 80 and lands in the ≥ 80 tier. Values too large to round stay as is.
pub fn round_score(x: f64) -> f64 {
    let r = (x * 1e4).round_ties_even() / 1e4;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// The smallest `s` with `round_score(s) >= m` (`round_score` is monotone): bisection
/// over the totally ordered bit patterns of f64.
fn smallest_rounding_to(m: f64) -> f64 {
    fn key(x: f64) -> u64 {
        let b = x.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | 1 << 63
        }
    }
    fn unkey(k: u64) -> f64 {
        if k >> 63 == 1 {
            f64::from_bits(k & !(1 << 63))
        } else {
            f64::from_bits(!k)
        }
    }
    let reaches = |s: f64| round_score(s) >= m;
    let step = 1.0f64.max(m.abs() * 1e-6);
    let (mut lo, mut hi) = (key(m - step), key(m + step));
    if reaches(unkey(lo)) || !reaches(unkey(hi)) {
        return m; // not expected for finite m; comparing with m itself is then the best guess
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(unkey(mid)) {
            hi = mid
        } else {
            lo = mid
        }
    }
    unkey(hi)
}

/// The field value whose (possibly inverted) fraction is `target`, where the scale allows.
fn invert_scale(scale: &Scale, invert: bool, target: f64) -> Option<f64> {
    let s = if invert { 1.0 - target } else { target };
    match scale {
        Scale::Linear { min, max } => Some(min + s * (max - min)),
        Scale::Log { max } => Some((s * max.ln_1p()).exp_m1()),
        Scale::Boolean => Some(if s > 0.5 { 1.0 } else { 0.0 }),
        Scale::Bands(b) if !invert => {
            // the lowest threshold whose band gives at least the target fraction
            b.iter()
                .filter(|(_, f)| *f >= target - 1e-12)
                .map(|(t, _)| *t)
                .reduce(f64::min)
        }
        _ => None,
    }
}

/// The seed's example: annual purchase amount 40, renewal rate 30, feedback 20, training
/// attendance 10; ≥ 80 → A, ≥ 60 → B, ≥ 40 → C, else D. Fields: `annualPurchaseAmount`
/// (linear 0..100,000), `renewalRate` (linear 0..1), `feedbackScore` (linear 0..5),
/// `trainingAttendance` (linear 0..1).
pub fn quality_customer() -> ScoringModel {
    ScoringModel {
        indicators: vec![
            Indicator::new(
                "annualPurchase",
                "annualPurchaseAmount",
                40.0,
                Scale::Linear {
                    min: 0.0,
                    max: 100_000.0,
                },
            ),
            Indicator::new(
                "renewal",
                "renewalRate",
                30.0,
                Scale::Linear { min: 0.0, max: 1.0 },
            ),
            Indicator::new(
                "feedback",
                "feedbackScore",
                20.0,
                Scale::Linear { min: 0.0, max: 5.0 },
            ),
            Indicator::new(
                "training",
                "trainingAttendance",
                10.0,
                Scale::Linear { min: 0.0, max: 1.0 },
            ),
        ],
        tiers: abcd(),
        ..Default::default()
    }
}

fn abcd() -> Vec<Tier> {
    vec![
        Tier {
            label: "A".into(),
            min: 80.0,
        },
        Tier {
            label: "B".into(),
            min: 60.0,
        },
        Tier {
            label: "C".into(),
            min: 40.0,
        },
        Tier {
            label: "D".into(),
            min: f64::NEG_INFINITY,
        },
    ]
}

/// A default over the fields derived from activity data (see `activity`): value
/// (spend in the last 365 days, order count, average order value), engagement (recency,
/// interactions, feedback, referrals) and risk (returns, complaints, payment defaults)
/// as negative adjustments. ≥ 70 → A, ≥ 50 → B, ≥ 30 → C, else D.
pub fn value_engagement() -> ScoringModel {
    let with = |mut i: Indicator, group: &str, invert: bool| {
        i.group = Some(group.into());
        i.invert = invert;
        i
    };
    let adj = |id: &str, field: &str, op: Op, v: f64, points: f64| Adjustment {
        id: id.into(),
        field: field.into(),
        op,
        value: Value::Num(v),
        points,
        group: None,
        decay: true,
    };
    ScoringModel {
        indicators: vec![
            with(
                Indicator::new("spend365", "amountLast365Days", 25.0, Scale::Percentile),
                "value",
                false,
            ),
            with(
                Indicator::new("orders", "orderCount", 15.0, Scale::Log { max: 20.0 }),
                "value",
                false,
            ),
            with(
                Indicator::new("aov", "averageOrderValue", 10.0, Scale::Percentile),
                "value",
                false,
            ),
            with(
                Indicator::new(
                    "recency",
                    "daysSinceLastOrder",
                    20.0,
                    Scale::Bands(vec![(365.0, 1.0), (180.0, 0.6), (90.0, 0.3), (30.0, 0.1)]),
                ),
                "engagement",
                true,
            ),
            with(
                Indicator::new(
                    "interactions",
                    "interactionsLast90Days",
                    10.0,
                    Scale::Log { max: 12.0 },
                ),
                "engagement",
                false,
            ),
            {
                let mut i = with(
                    Indicator::new(
                        "feedback",
                        "averageFeedback",
                        10.0,
                        Scale::Linear { min: 1.0, max: 5.0 },
                    ),
                    "engagement",
                    false,
                );
                i.missing = Missing::Skip;
                i
            },
            with(
                Indicator::new(
                    "referrals",
                    "referralCount",
                    10.0,
                    Scale::Bands(vec![(3.0, 1.0), (1.0, 0.6)]),
                ),
                "engagement",
                false,
            ),
        ],
        adjustments: vec![
            adj("highReturns", "returnRate", Op::Ge, 0.3, -15.0),
            adj("complaints", "complaintCount", Op::Ge, 3.0, -10.0),
            adj("paymentDefaults", "paymentDefaultCount", Op::Ge, 1.0, -15.0),
        ],
        groups: vec![
            Group {
                id: "value".into(),
                cap: 50.0,
            },
            Group {
                id: "engagement".into(),
                cap: 50.0,
            },
        ],
        decay: None,
        tiers: vec![
            Tier {
                label: "A".into(),
                min: 70.0,
            },
            Tier {
                label: "B".into(),
                min: 50.0,
            },
            Tier {
                label: "C".into(),
                min: 30.0,
            },
            Tier {
                label: "D".into(),
                min: f64::NEG_INFINITY,
            },
        ],
    }
}

/// A named preset.
pub fn preset(name: &str) -> Option<ScoringModel> {
    match name {
        "qualityCustomer" => Some(quality_customer()),
        "valueEngagement" => Some(value_engagement()),
        _ => None,
    }
}
