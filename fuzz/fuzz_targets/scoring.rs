//! Scoring models: `ScoringModel::validate`, `score_range`, `Prepared::new`,
//! `score_all` and `explain`, on models built from arbitrary structured input (the JSON
//! reader, `read_model` in `src/wasm/scoring.rs`, compiles for wasm32 only; this target
//! fuzzes the core validation and scoring it feeds) and small customer tables
//! (numeric, string, boolean and date columns, missing values).
//!
//! Properties beyond "no panic":
//! - a validation error names a path that exists in the model (`indicators[k]` with
//!   k < indicators.len(), …) and has code `invalid_model`;
//! - a data error names a row < the table length;
//! - accepted: every score is finite and within `score_range()` (± rounding), tier
//!   counts add up to the number of customers, each tier equals `tier_of(score)`
//!   (the unrounded tier test agrees with the rounded score), and `explain(i)` repeats
//!   the score and tier, with contributions adding up to the score;
//! - scoring twice gives identical results.
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::{Arbitrary, Result, Unstructured};
use crmscore::scoring::*;
use crmscore::ErrorCode;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

/// A model number: small and round mostly, sometimes an edge value.
#[derive(Debug, Clone, Copy)]
struct Num(f64);

impl<'a> Arbitrary<'a> for Num {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let sel: u8 = u.arbitrary()?;
        Ok(Num(match sel % 24 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => -0.0,
            4 => 1e300,
            5 => f64::MAX,
            6 => f64::MIN_POSITIVE,
            7 => -1.0,
            8 => f64::from_bits(u.arbitrary()?),
            9 => 0.5,
            10 => 1.0,
            11 => 0.1,
            12 => 1e-7,
            _ => u.arbitrary::<i8>()? as f64 / 4.0,
        }))
    }
}

const FIELDS: [&str; 8] = ["a", "b", "s", "flag", "date", "ms", "nope", ""];
const STRS: [&str; 6] = ["gold", "silver", "", "2024-02-29", "x", "2025-13-01"];

#[derive(Debug, Clone, Copy)]
struct Field(&'static str);
impl<'a> Arbitrary<'a> for Field {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Field(FIELDS[u.arbitrary::<u8>()? as usize % FIELDS.len()]))
    }
}
#[derive(Debug, Clone, Copy)]
struct Str(&'static str);
impl<'a> Arbitrary<'a> for Str {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Str(STRS[u.arbitrary::<u8>()? as usize % STRS.len()]))
    }
}

#[derive(Arbitrary, Debug)]
enum AScale {
    Linear(Num, Num),
    Bands(Vec<(Num, Num)>),
    Percentile,
    Log(Num),
    Boolean,
    Map(Vec<(Str, Num)>),
}

#[derive(Arbitrary, Debug)]
struct AIndicator {
    id: u8,
    field: Field,
    weight: Num,
    scale: AScale,
    invert: bool,
    missing: u8,
    group: Option<u8>,
    decay: bool,
}

#[derive(Arbitrary, Debug)]
enum AValue {
    Num(Num),
    Str(Str),
    Bool(bool),
}

#[derive(Arbitrary, Debug)]
struct AAdjustment {
    id: u8,
    field: Field,
    op: u8,
    value: AValue,
    points: Num,
    group: Option<u8>,
    decay: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    indicators: Vec<AIndicator>,
    adjustments: Vec<AAdjustment>,
    groups: Vec<(u8, Num)>,
    decay: Option<(Field, Num)>,
    tiers: Vec<(u8, Num)>,
    /// Rows: numbers for a and b, a string, a boolean, a date string, epoch ms.
    rows: Vec<(
        Option<Num>,
        Option<Num>,
        Option<Str>,
        Option<bool>,
        Option<Str>,
        Option<Num>,
    )>,
    strict: bool,
    as_of: Option<i16>,
}

fn id(k: u8) -> String {
    if k % 16 == 15 {
        String::new()
    } else {
        format!("t{}", k % 16)
    }
}

fn group(g: Option<u8>) -> Option<String> {
    g.map(|g| format!("g{}", g % 4))
}

fn build_model(inp: &Input) -> ScoringModel {
    let indicators = inp
        .indicators
        .iter()
        .map(|i| Indicator {
            id: id(i.id),
            field: i.field.0.to_string(),
            weight: i.weight.0,
            scale: match &i.scale {
                AScale::Linear(a, b) => Scale::Linear { min: a.0, max: b.0 },
                AScale::Bands(b) => Scale::Bands(b.iter().map(|(t, f)| (t.0, f.0)).collect()),
                AScale::Percentile => Scale::Percentile,
                AScale::Log(m) => Scale::Log { max: m.0 },
                AScale::Boolean => Scale::Boolean,
                AScale::Map(m) => {
                    Scale::Map(m.iter().map(|(k, f)| (k.0.to_string(), f.0)).collect())
                }
            },
            invert: i.invert,
            missing: match i.missing % 3 {
                0 => Missing::Zero,
                1 => Missing::Skip,
                _ => Missing::Error,
            },
            group: group(i.group),
            decay: i.decay,
        })
        .collect();
    let adjustments = inp
        .adjustments
        .iter()
        .map(|a| Adjustment {
            id: id(a.id),
            field: a.field.0.to_string(),
            op: [Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq, Op::Ne][a.op as usize % 6],
            value: match &a.value {
                AValue::Num(n) => Value::Num(n.0),
                AValue::Str(s) => Value::Str(s.0.to_string()),
                AValue::Bool(b) => Value::Bool(*b),
            },
            points: a.points.0,
            group: group(a.group),
            decay: a.decay,
        })
        .collect();
    ScoringModel {
        indicators,
        adjustments,
        groups: inp
            .groups
            .iter()
            .map(|(g, c)| Group {
                id: format!("g{}", g % 4),
                cap: c.0,
            })
            .collect(),
        decay: inp.decay.map(|(f, h)| Decay {
            field: f.0.to_string(),
            half_life_days: h.0,
        }),
        tiers: inp
            .tiers
            .iter()
            .map(|(l, m)| Tier {
                label: if l % 8 == 7 {
                    String::new()
                } else {
                    format!("T{}", l % 8)
                },
                min: m.0,
            })
            .collect(),
    }
}

fn build_table(inp: &Input) -> Table {
    let r = &inp.rows;
    let mut columns = HashMap::new();
    let num = |f: &dyn Fn(usize) -> Option<Num>| {
        (0..r.len())
            .map(|i| f(i).map_or(f64::NAN, |x| x.0))
            .collect::<Vec<f64>>()
    };
    columns.insert("a".to_string(), Column::Num(num(&|i| r[i].0)));
    columns.insert("b".to_string(), Column::Num(num(&|i| r[i].1)));
    columns.insert("ms".to_string(), Column::Num(num(&|i| r[i].5)));
    let s: Vec<Option<&str>> = r.iter().map(|x| x.2.map(|s| s.0)).collect();
    columns.insert("s".to_string(), Column::strings(&s));
    let d: Vec<Option<&str>> = r.iter().map(|x| x.4.map(|s| s.0)).collect();
    columns.insert("date".to_string(), Column::strings(&d));
    columns.insert(
        "flag".to_string(),
        Column::Bool(r.iter().map(|x| x.3).collect()),
    );
    Table {
        len: r.len(),
        columns,
    }
}

/// `indicators[3].scale.min` → ("indicators", 3).
fn path_index(path: &str) -> Option<(&str, usize)> {
    let open = path.find('[')?;
    let close = path.find(']')?;
    Some((&path[..open], path[open + 1..close].parse().ok()?))
}

fuzz_target!(|inp: Input| {
    if inp.indicators.len() > 80 || inp.adjustments.len() > 32 || inp.rows.len() > 64 {
        return;
    }
    let model = build_model(&inp);
    if let Err(e) = model.validate() {
        assert_eq!(e.code, ErrorCode::InvalidModel, "{e}");
        let path = e.field.as_deref().expect("a model error names its path");
        if let Some((list, k)) = path_index(path) {
            let len = match list {
                "indicators" => model.indicators.len(),
                "adjustments" => model.adjustments.len(),
                "groups" => model.groups.len(),
                "tiers" => model.tiers.len(),
                other => panic!("unknown list {other} in {path}"),
            };
            assert!(k < len, "{path} out of range ({len})");
        } else {
            assert!(
                ["indicators", "tiers", "decay.field", "decay.halfLifeDays"].contains(&path),
                "{path}"
            );
        }
        assert!(e.row.is_none());
        return;
    }
    let (lo, hi) = model.score_range();
    assert!(
        !lo.is_nan() && !hi.is_nan() && lo <= hi,
        "score range {lo}..{hi}"
    );
    let table = build_table(&inp);
    let opts = ScoringOptions {
        strict: inp.strict,
        as_of: inp.as_of.map(|d| 19_000 + d as i32),
    };
    let p = match Prepared::new(model.clone(), &table, opts) {
        Ok(p) => p,
        Err(e) => {
            if let Some(r) = e.row {
                assert!(r < table.len, "{e}");
            }
            assert!(e.field.is_some(), "{e}");
            return;
        }
    };
    let n = table.len;
    let (scores, tiers, counts) = p.score_all();
    assert_eq!(scores.len(), n);
    assert_eq!(counts.len(), model.tiers.len());
    assert_eq!(counts.iter().map(|&c| c as usize).sum::<usize>(), n);
    let tol = |x: f64| 1e-3 + 1e-6 * x.abs();
    let w = p.weights();
    let ex = p.explainer(&table, &w);
    for i in 0..n {
        let s = scores[i];
        assert!(
            s.is_finite(),
            "score {s} of row {i} (model range {lo}..{hi})"
        );
        assert!(
            s >= lo - tol(lo) && s <= hi + tol(hi),
            "score {s} outside {lo}..{hi}"
        );
        assert!((tiers[i] as usize) < model.tiers.len());
        assert_eq!(tiers[i] as usize, p.tier_of(s), "row {i} score {s}");
        let e = ex.explain(i);
        assert_eq!(e.score, s, "explain score row {i}");
        assert_eq!(e.tier, tiers[i] as usize);
        let sum: f64 = e.contributions.iter().map(|c| c.points).sum();
        let slack = 1e-4 * e.contributions.len() as f64 + tol(s);
        assert!((sum - s).abs() <= slack, "contributions {sum} vs score {s}");
        assert!(e.decay_factor > 0.0 && e.decay_factor <= 1.0 || e.decay_factor == 0.0);
        if let Some(g) = e.points_to_next_tier {
            assert!(g > 0.0, "points to next tier {g}");
        }
        for u in &e.upgrades {
            assert!(u.max_gain > 0.0);
            if let Some(f) = u.fraction_needed {
                assert!((0.0..=1.0 + 1e-9).contains(&f), "fraction needed {f}");
            }
        }
    }
    let again = p.score_all();
    assert_eq!(again.1, tiers);
    assert!(again
        .0
        .iter()
        .zip(&scores)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
});
