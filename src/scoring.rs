//! Weighted scoring models → scores, tiers and per-customer explanations (issue 3, core).
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

use crate::error::{describe_number, Error, ErrorCode};
use std::collections::HashMap;

/// A customer field's values, column-wise. `None`/`NaN` = missing.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    Num(Vec<f64>),
    Str(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Num(v) => v.len(),
            Column::Str(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn num(&self, i: usize) -> Option<f64> {
        match self {
            Column::Num(v) => Some(v[i]).filter(|x| !x.is_nan()),
            Column::Bool(v) => v[i].map(|b| b as u8 as f64),
            Column::Str(_) => None,
        }
    }
}

/// Customer data: named columns of equal length.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub len: usize,
    pub columns: HashMap<String, Column>,
}

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
    /// Ordered high → low; the last must admit the lowest possible score.
    pub tiers: Vec<Tier>,
}

fn model_err(path: impl Into<String>, detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidModel, detail).field(path)
}

impl ScoringModel {
    /// The lowest and highest score the model can produce.
    pub fn score_range(&self) -> (f64, f64) {
        let mut lo = 0.0;
        let mut hi = 0.0;
        let mut by_group: HashMap<&str, (f64, f64)> = HashMap::new();
        let terms = self
            .indicators
            .iter()
            .map(|i| (i.group.as_deref(), 0.0, i.weight))
            .chain(self.adjustments.iter().map(|a| (a.group.as_deref(), a.points.min(0.0), a.points.max(0.0))));
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
            let cap = self.groups.iter().find(|x| x.id == g).map_or(f64::INFINITY, |x| x.cap);
            lo += l.min(cap);
            hi += h.min(cap);
        }
        (lo, hi)
    }

    /// Validate the model on its own (not against data). Errors name the JSON path.
    pub fn validate(&self) -> Result<(), Error> {
        if self.indicators.is_empty() && self.adjustments.is_empty() {
            return Err(model_err("indicators", "a model needs at least one indicator or adjustment"));
        }
        let mut ids: HashMap<&str, String> = HashMap::new();
        let group_ids: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        for (k, ind) in self.indicators.iter().enumerate() {
            let p = format!("indicators[{k}]");
            if ind.id.is_empty() {
                return Err(model_err(format!("{p}.id"), "an indicator needs a non-empty id"));
            }
            if let Some(prev) = ids.insert(&ind.id, p.clone()) {
                return Err(model_err(format!("{p}.id"), format!("duplicate id \"{}\" (also {prev})", ind.id)));
            }
            if ind.field.is_empty() {
                return Err(model_err(format!("{p}.field"), "an indicator needs a field"));
            }
            if !(ind.weight.is_finite() && ind.weight >= 0.0) {
                return Err(model_err(
                    format!("{p}.weight"),
                    format!("weight must be a finite number >= 0, got {}", describe_number(ind.weight)),
                ));
            }
            let sp = format!("{p}.scale");
            match &ind.scale {
                Scale::Linear { min, max } => {
                    if !min.is_finite() {
                        return Err(model_err(format!("{sp}.min"), "min must be finite"));
                    }
                    if !max.is_finite() || max <= min {
                        return Err(model_err(
                            format!("{sp}.max"),
                            format!("max must be finite and greater than min ({min}), got {}", describe_number(*max)),
                        ));
                    }
                }
                Scale::Log { max } => {
                    if !(max.is_finite() && *max > 0.0) {
                        return Err(model_err(format!("{sp}.max"), format!("max must be > 0, got {}", describe_number(*max))));
                    }
                }
                Scale::Bands(b) => {
                    if b.is_empty() {
                        return Err(model_err(format!("{sp}.bands"), "give at least one [threshold, fraction] band"));
                    }
                    for (j, &(t, f)) in b.iter().enumerate() {
                        if !t.is_finite() {
                            return Err(model_err(format!("{sp}.bands[{j}][0]"), "thresholds must be finite"));
                        }
                        if !(0.0..=1.0).contains(&f) {
                            return Err(model_err(
                                format!("{sp}.bands[{j}][1]"),
                                format!("a band's fraction must be within [0, 1], got {}", describe_number(f)),
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
                                format!("fractions must be within [0, 1], got {}", describe_number(*f)),
                            ));
                        }
                    }
                }
                Scale::Percentile | Scale::Boolean => {}
            }
            if let Some(g) = &ind.group {
                if !group_ids.contains(&g.as_str()) {
                    return Err(model_err(format!("{p}.group"), format!("unknown group \"{g}\"")));
                }
            }
        }
        for (k, a) in self.adjustments.iter().enumerate() {
            let p = format!("adjustments[{k}]");
            if a.id.is_empty() {
                return Err(model_err(format!("{p}.id"), "an adjustment needs a non-empty id"));
            }
            if let Some(prev) = ids.insert(&a.id, p.clone()) {
                return Err(model_err(format!("{p}.id"), format!("duplicate id \"{}\" (also {prev})", a.id)));
            }
            if !a.points.is_finite() {
                return Err(model_err(format!("{p}.points"), "points must be a finite number"));
            }
            if let Value::Num(v) = a.value {
                if !v.is_finite() {
                    return Err(model_err(format!("{p}.value"), "value must be finite"));
                }
            }
            let ordering = matches!(a.op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
            if ordering && !matches!(a.value, Value::Num(_)) {
                return Err(model_err(format!("{p}.op"), "<, <=, > and >= compare numbers only"));
            }
            if let Some(g) = &a.group {
                if !group_ids.contains(&g.as_str()) {
                    return Err(model_err(format!("{p}.group"), format!("unknown group \"{g}\"")));
                }
            }
        }
        for (k, g) in self.groups.iter().enumerate() {
            if self.groups[..k].iter().any(|x| x.id == g.id) {
                return Err(model_err(format!("groups[{k}].id"), format!("duplicate group \"{}\"", g.id)));
            }
            if !(g.cap.is_finite() && g.cap >= 0.0) {
                return Err(model_err(format!("groups[{k}].cap"), "cap must be a finite number >= 0"));
            }
        }
        if self.tiers.is_empty() {
            return Err(model_err("tiers", "give at least one tier"));
        }
        for (k, t) in self.tiers.iter().enumerate() {
            if t.label.is_empty() {
                return Err(model_err(format!("tiers[{k}].label"), "a tier needs a label"));
            }
            if self.tiers[..k].iter().any(|x| x.label == t.label) {
                return Err(model_err(format!("tiers[{k}].label"), format!("duplicate tier \"{}\"", t.label)));
            }
            if !t.min.is_finite() && t.min != f64::NEG_INFINITY {
                return Err(model_err(format!("tiers[{k}].min"), "min must be a number"));
            }
            if k > 0 && t.min >= self.tiers[k - 1].min {
                return Err(model_err(
                    format!("tiers[{k}].min"),
                    format!("tiers must be ordered high → low: min {} is not below {}", t.min, self.tiers[k - 1].min),
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

/// One term of a customer's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// Indicator or adjustment id.
    pub id: String,
    /// The fraction in [0, 1] (indicators), 1/0 (adjustments), `None` when missing.
    pub value: Option<f64>,
    pub points: f64,
}

/// The model checked against the data, with every indicator pre-scaled.
pub struct Prepared {
    pub model: ScoringModel,
    /// One fraction column per indicator (NaN = missing).
    pub fractions: Vec<Vec<f64>>,
    /// One condition column per adjustment.
    pub conditions: Vec<Vec<bool>>,
    /// Group index per indicator and per adjustment (`usize::MAX` = none).
    ind_group: Vec<usize>,
    adj_group: Vec<usize>,
    pub len: usize,
}

fn scale_value(scale: &Scale, col: &Column, i: usize, pct: Option<&Vec<f64>>) -> Option<f64> {
    match scale {
        Scale::Map(m) => match col {
            Column::Str(v) => v[i].as_ref().and_then(|s| m.iter().find(|(k, _)| k == s).map(|(_, f)| *f)),
            Column::Num(v) => {
                let x = v[i];
                if x.is_nan() {
                    None
                } else {
                    let s = format!("{x}");
                    m.iter().find(|(k, _)| *k == s).map(|(_, f)| *f)
                }
            }
            Column::Bool(v) => v[i].and_then(|b| {
                let s = if b { "true" } else { "false" };
                m.iter().find(|(k, _)| k == s).map(|(_, f)| *f)
            }),
        },
        Scale::Percentile => pct.and_then(|p| Some(p[i]).filter(|x| !x.is_nan())),
        _ => {
            let x = col.num(i)?;
            Some(match scale {
                Scale::Linear { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
                Scale::Log { max } => ((x.max(0.0)).ln_1p() / max.ln_1p()).clamp(0.0, 1.0),
                Scale::Boolean => (x != 0.0) as u8 as f64,
                Scale::Bands(b) => b.iter().find(|(t, _)| x >= *t).map_or(0.0, |(_, f)| *f),
                Scale::Map(_) | Scale::Percentile => 0.0,
            })
        }
    }
}

/// Mid-rank percentiles of a numeric column (NaN stays NaN).
fn percentiles(col: &Column, len: usize) -> Vec<f64> {
    let vals: Vec<(usize, f64)> = (0..len).filter_map(|i| col.num(i).map(|x| (i, x))).collect();
    let mut out = vec![f64::NAN; len];
    let n = vals.len();
    if n == 0 {
        return out;
    }
    let mut sorted = vals.clone();
    sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut k = 0;
    while k < n {
        let mut e = k;
        while e + 1 < n && sorted[e + 1].1 == sorted[k].1 {
            e += 1;
        }
        let p = if n == 1 { 1.0 } else { (k as f64 + (e - k) as f64 / 2.0) / (n - 1) as f64 };
        for s in &sorted[k..=e] {
            out[s.0] = p;
        }
        k = e + 1;
    }
    out
}

fn holds(col: &Column, i: usize, op: Op, value: &Value) -> bool {
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
        (Value::Str(s), Column::Str(c)) => match &c[i] {
            None => false,
            Some(x) => match op {
                Op::Eq => x == s,
                Op::Ne => x != s,
                _ => false,
            },
        },
        (Value::Bool(b), Column::Bool(c)) => match c[i] {
            None => false,
            Some(x) => match op {
                Op::Eq => x == *b,
                Op::Ne => x != *b,
                _ => false,
            },
        },
        _ => false,
    }
}

impl Prepared {
    /// Validate the model, check its fields exist in `table` (`strict`: every field must
    /// exist; otherwise an absent field is all-missing), and pre-scale every indicator.
    pub fn new(model: ScoringModel, table: &Table, strict: bool) -> Result<Prepared, Error> {
        model.validate()?;
        let len = table.len;
        let empty = Column::Num(vec![f64::NAN; len]);
        let column = |field: &str, path: String| -> Result<&Column, Error> {
            match table.columns.get(field) {
                Some(c) => Ok(c),
                None if strict => Err(model_err(path, format!("unknown field \"{field}\" (strict mode)"))),
                None => Ok(&empty),
            }
        };
        let mut fractions = Vec::with_capacity(model.indicators.len());
        for (k, ind) in model.indicators.iter().enumerate() {
            let col = column(&ind.field, format!("indicators[{k}].field"))?;
            let pct = matches!(ind.scale, Scale::Percentile).then(|| percentiles(col, len));
            let mut f = Vec::with_capacity(len);
            for i in 0..len {
                match scale_value(&ind.scale, col, i, pct.as_ref()) {
                    Some(x) => f.push(if ind.invert { 1.0 - x } else { x }),
                    None if ind.missing == Missing::Error => {
                        return Err(Error::row_field(
                            ErrorCode::MissingField,
                            i,
                            &ind.field,
                            format!("indicator \"{}\" needs {} (missing: \"error\")", ind.id, ind.field),
                        ))
                    }
                    None => f.push(f64::NAN),
                }
            }
            fractions.push(f);
        }
        let mut conditions = Vec::with_capacity(model.adjustments.len());
        for (k, a) in model.adjustments.iter().enumerate() {
            let col = column(&a.field, format!("adjustments[{k}].field"))?;
            conditions.push((0..len).map(|i| holds(col, i, a.op, &a.value)).collect());
        }
        let gidx = |g: &Option<String>| {
            g.as_ref().and_then(|g| model.groups.iter().position(|x| &x.id == g)).unwrap_or(usize::MAX)
        };
        let ind_group = model.indicators.iter().map(|i| gidx(&i.group)).collect();
        let adj_group = model.adjustments.iter().map(|a| gidx(&a.group)).collect();
        Ok(Prepared { model, fractions, conditions, ind_group, adj_group, len })
    }

    /// Score and explain customer `i` with the given weights (indicator order).
    pub fn explain(&self, i: usize, weights: &[f64]) -> (f64, Vec<Contribution>) {
        let m = &self.model;
        let total_w: f64 = weights.iter().sum();
        let mut present_w = 0.0;
        let mut any_skip = false;
        for (k, ind) in m.indicators.iter().enumerate() {
            if !self.fractions[k][i].is_nan() {
                present_w += weights[k];
            } else if ind.missing == Missing::Skip {
                any_skip = true;
                continue;
            } else {
                present_w += weights[k]; // missing as zero: still counts in the denominator
            }
        }
        let renorm = if any_skip && present_w > 0.0 { total_w / present_w } else { 1.0 };
        let mut contributions = Vec::with_capacity(m.indicators.len() + m.adjustments.len());
        let mut group_of = Vec::with_capacity(contributions.capacity());
        for (k, ind) in m.indicators.iter().enumerate() {
            let f = self.fractions[k][i];
            let (value, points) = if f.is_nan() { (None, 0.0) } else { (Some(f), weights[k] * f * renorm) };
            contributions.push(Contribution { id: ind.id.clone(), value, points });
            group_of.push(self.ind_group[k]);
        }
        for (k, a) in m.adjustments.iter().enumerate() {
            let on = self.conditions[k][i];
            contributions.push(Contribution {
                id: a.id.clone(),
                value: Some(on as u8 as f64),
                points: if on { a.points } else { 0.0 },
            });
            group_of.push(self.adj_group[k]);
        }
        for (g, group) in m.groups.iter().enumerate() {
            let sum: f64 = contributions.iter().zip(&group_of).filter(|(_, &x)| x == g).map(|(c, _)| c.points).sum();
            if sum > group.cap && sum > 0.0 {
                let k = group.cap / sum;
                for (c, _) in contributions.iter_mut().zip(&group_of).filter(|(_, &x)| x == g) {
                    c.points *= k;
                }
            }
        }
        let score = contributions.iter().map(|c| c.points).sum();
        (score, contributions)
    }

    /// Index of the tier a score falls in (first with score ≥ min; the last otherwise).
    pub fn tier_of(&self, score: f64) -> usize {
        let t = &self.model.tiers;
        t.iter().position(|x| score >= x.min).unwrap_or(t.len() - 1)
    }

    /// Scores and tier indices of every customer with the model's own weights.
    pub fn score_all(&self) -> (Vec<f64>, Vec<u8>) {
        let w: Vec<f64> = self.model.indicators.iter().map(|i| i.weight).collect();
        let scores: Vec<f64> = (0..self.len).map(|i| self.explain(i, &w).0).collect();
        let tiers = scores.iter().map(|&s| self.tier_of(s) as u8).collect();
        (scores, tiers)
    }
}

/// The seed's example: annual purchase amount 40, renewal rate 30, feedback 20, training
/// attendance 10; ≥ 80 → A, ≥ 60 → B, ≥ 40 → C, else D. Fields: `annualPurchaseAmount`
/// (linear 0..100,000), `renewalRate` (linear 0..1), `feedbackScore` (linear 0..5),
/// `trainingAttendance` (linear 0..1).
pub fn quality_customer() -> ScoringModel {
    let lin = |id: &str, field: &str, weight: f64, max: f64| Indicator {
        id: id.into(),
        field: field.into(),
        weight,
        scale: Scale::Linear { min: 0.0, max },
        invert: false,
        missing: Missing::Zero,
        group: None,
    };
    ScoringModel {
        indicators: vec![
            lin("annualPurchase", "annualPurchaseAmount", 40.0, 100_000.0),
            lin("renewal", "renewalRate", 30.0, 1.0),
            lin("feedback", "feedbackScore", 20.0, 5.0),
            lin("training", "trainingAttendance", 10.0, 1.0),
        ],
        adjustments: vec![],
        groups: vec![],
        tiers: vec![
            Tier { label: "A".into(), min: 80.0 },
            Tier { label: "B".into(), min: 60.0 },
            Tier { label: "C".into(), min: 40.0 },
            Tier { label: "D".into(), min: f64::NEG_INFINITY },
        ],
    }
}
