//! The scoring model's JSON form (what users edit, export and pass to `score`): the reader,
//! every error naming its JSON path, and the writer.
//!
//! ```json
//! { "name": "…", "description": "…",
//!   "indicators": [{ "id", "field", "weight", "scale": { "type": "linear", "min", "max" },
//!                    "invert"?, "missing"?, "group"?, "decay"? }],
//!   "adjustments"?: [{ "id", "field", "op", "value", "points", "group"?, "decay"? }],
//!   "groups"?: [{ "id", "cap" }], "decay"?: { "field", "halfLifeDays" },
//!   "tiers": [{ "label", "min" }] }
//! ```
//! The last tier's `min` may be null (−∞). `name` and `description` are accepted and not kept.

use super::{
    model_err as merr, preset, Adjustment, Decay, Group, Indicator, Missing, Op, Scale,
    ScoringModel, Tier, Value,
};
use crate::error::{describe_number, Error};
use crate::model_io::{serde_via_json, Json, Node};

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `v` must be a plain object whose keys are all in `known`.
fn object<N: Node>(v: &N, path: &str, what: &str, known: &[&str]) -> Result<(), Error> {
    if !v.is_plain_object() {
        return Err(merr(
            if path.is_empty() { "model" } else { path },
            format!("{what} must be an object, got {}", v.describe()),
        ));
    }
    for k in v.keys() {
        if !known.contains(&k.as_str()) {
            return Err(merr(
                join(path, &k),
                format!(
                    "unknown key \"{k}\" in {what}; known keys: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn num<N: Node>(v: &N, path: &str, key: &str) -> Result<f64, Error> {
    let x = v.get(key);
    let p = join(path, key);
    match x.as_f64() {
        Some(n) => Ok(n),
        None if x.is_missing() => Err(merr(p, format!("{key} is required (a number)"))),
        None => Err(merr(
            p,
            format!("{key} must be a number, got {}", x.describe()),
        )),
    }
}

fn finite<N: Node>(v: &N, path: &str, key: &str) -> Result<f64, Error> {
    let n = num(v, path, key)?;
    if !n.is_finite() {
        return Err(merr(
            join(path, key),
            format!("{key} must be finite, got {}", describe_number(n)),
        ));
    }
    Ok(n)
}

fn string<N: Node>(v: &N, path: &str, key: &str) -> Result<String, Error> {
    let x = v.get(key);
    let p = join(path, key);
    match x.as_string() {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(merr(p, format!("{key} must not be empty"))),
        None if x.is_missing() => Err(merr(p, format!("{key} is required (a string)"))),
        None => Err(merr(
            p,
            format!("{key} must be a string, got {}", x.describe()),
        )),
    }
}

fn opt_string<N: Node>(v: &N, path: &str, key: &str) -> Result<Option<String>, Error> {
    if v.get(key).is_missing() {
        Ok(None)
    } else {
        string(v, path, key).map(Some)
    }
}

fn opt_bool<N: Node>(v: &N, path: &str, key: &str) -> Result<Option<bool>, Error> {
    let x = v.get(key);
    if x.is_missing() {
        return Ok(None);
    }
    x.as_bool().map(Some).ok_or_else(|| {
        merr(
            join(path, key),
            format!("{key} must be true or false, got {}", x.describe()),
        )
    })
}

fn array<N: Node>(v: &N, path: &str, key: &str, required: bool) -> Result<Vec<N>, Error> {
    let x = v.get(key);
    if x.is_missing() && !required {
        return Ok(Vec::new());
    }
    x.items().ok_or_else(|| {
        merr(
            join(path, key),
            format!("{key} must be an array, got {}", x.describe()),
        )
    })
}

fn read_scale<N: Node>(v: &N, path: &str) -> Result<Scale, Error> {
    if !v.is_plain_object() {
        return Err(merr(
            path,
            format!(
                "scale must be an object like {{ type: \"linear\", min, max }}, got {}",
                v.describe()
            ),
        ));
    }
    let t = string(v, path, "type")?;
    let known: &[&str] = match t.as_str() {
        "linear" => &["type", "min", "max"],
        "bands" => &["type", "bands"],
        "log" => &["type", "max"],
        "map" => &["type", "values"],
        "percentile" | "boolean" => &["type"],
        _ => {
            return Err(merr(
                join(path, "type"),
                format!(
                "unknown scale type \"{t}\"; use linear, bands, percentile, log, boolean or map"
            ),
            ))
        }
    };
    object(v, path, &format!("a {t} scale"), known)?;
    Ok(match t.as_str() {
        "linear" => Scale::Linear {
            min: num(v, path, "min")?,
            max: num(v, path, "max")?,
        },
        "log" => Scale::Log {
            max: num(v, path, "max")?,
        },
        "percentile" => Scale::Percentile,
        "boolean" => Scale::Boolean,
        "bands" => {
            let mut bands = Vec::new();
            for (j, b) in array(v, path, "bands", true)?.iter().enumerate() {
                let p = format!("{path}.bands[{j}]");
                let pair = b.items().filter(|a| a.len() == 2).ok_or_else(|| {
                    merr(
                        &p,
                        format!("a band must be [threshold, fraction], got {}", b.describe()),
                    )
                })?;
                let t = pair[0]
                    .as_f64()
                    .ok_or_else(|| merr(format!("{p}[0]"), "the threshold must be a number"))?;
                let f = pair[1]
                    .as_f64()
                    .ok_or_else(|| merr(format!("{p}[1]"), "the fraction must be a number"))?;
                bands.push((t, f));
            }
            Scale::Bands(bands)
        }
        _ => {
            let vals = v.get("values");
            if !vals.is_plain_object() {
                return Err(merr(
                    join(path, "values"),
                    format!(
                        "values must be an object of fractions, got {}",
                        vals.describe()
                    ),
                ));
            }
            let mut m = Vec::new();
            for k in vals.keys() {
                let x = vals.get(&k);
                let f = x.as_f64().ok_or_else(|| {
                    merr(
                        format!("{path}.values.{k}"),
                        format!("must be a number, got {}", x.describe()),
                    )
                })?;
                m.push((k, f));
            }
            Scale::Map(m)
        }
    })
}

fn read_indicator<N: Node>(x: &N, p: &str) -> Result<Indicator, Error> {
    object(
        x,
        p,
        "an indicator",
        &[
            "id", "field", "weight", "scale", "invert", "missing", "group", "decay",
        ],
    )?;
    let scale = read_scale(&x.get("scale"), &format!("{p}.scale"))?;
    let mut ind = Indicator::new(
        &string(x, p, "id")?,
        &string(x, p, "field")?,
        num(x, p, "weight")?,
        scale,
    );
    ind.invert = opt_bool(x, p, "invert")?.unwrap_or(false);
    ind.decay = opt_bool(x, p, "decay")?.unwrap_or(true);
    ind.group = opt_string(x, p, "group")?;
    ind.missing = match opt_string(x, p, "missing")?.as_deref() {
        None | Some("zero") => Missing::Zero,
        Some("skip") => Missing::Skip,
        Some("error") => Missing::Error,
        Some(o) => {
            return Err(merr(
                format!("{p}.missing"),
                format!("missing must be \"zero\", \"skip\" or \"error\", got \"{o}\""),
            ))
        }
    };
    Ok(ind)
}

fn op_str(op: Op) -> &'static str {
    match op {
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Eq => "==",
        Op::Ne => "!=",
    }
}

fn read_adjustment<N: Node>(x: &N, p: &str) -> Result<Adjustment, Error> {
    object(
        x,
        p,
        "an adjustment",
        &["id", "field", "op", "value", "points", "group", "decay"],
    )?;
    let op = string(x, p, "op")?;
    let op = [Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq, Op::Ne]
        .into_iter()
        .find(|o| op_str(*o) == op)
        .ok_or_else(|| {
            merr(
                format!("{p}.op"),
                format!("op must be one of >, >=, <, <=, ==, !=; got \"{op}\""),
            )
        })?;
    let val = x.get("value");
    let value = if let Some(n) = val.as_f64() {
        Value::Num(n)
    } else if let Some(s) = val.as_string() {
        Value::Str(s)
    } else if let Some(b) = val.as_bool() {
        Value::Bool(b)
    } else {
        return Err(merr(
            format!("{p}.value"),
            format!(
                "value must be a number, string or boolean, got {}",
                val.describe()
            ),
        ));
    };
    Ok(Adjustment {
        id: string(x, p, "id")?,
        field: string(x, p, "field")?,
        op,
        value,
        points: num(x, p, "points")?,
        group: opt_string(x, p, "group")?,
        decay: opt_bool(x, p, "decay")?.unwrap_or(true),
    })
}

impl ScoringModel {
    /// A model in its JSON form, or a preset name (a string), → a validated model. Errors
    /// (code `invalid_model`) name the JSON path: `indicators[0].weight`,
    /// `indicators[1].scale.bands[1][0]`, `tiers[2].min`, …
    pub fn read<N: Node>(v: &N) -> Result<ScoringModel, Error> {
        if let Some(name) = v.as_string() {
            return preset(&name).ok_or_else(|| {
                merr("model", format!("unknown preset \"{name}\"; use \"qualityCustomer\", \"valueEngagement\" or a model object"))
            });
        }
        object(
            v,
            "",
            "the model",
            &[
                "name",
                "description",
                "indicators",
                "adjustments",
                "groups",
                "decay",
                "tiers",
            ],
        )?;
        let mut m = ScoringModel::default();
        for (k, x) in array(v, "", "indicators", true)?.iter().enumerate() {
            m.indicators
                .push(read_indicator(x, &format!("indicators[{k}]"))?);
        }
        for (k, x) in array(v, "", "adjustments", false)?.iter().enumerate() {
            m.adjustments
                .push(read_adjustment(x, &format!("adjustments[{k}]"))?);
        }
        for (k, x) in array(v, "", "groups", false)?.iter().enumerate() {
            let p = format!("groups[{k}]");
            object(x, &p, "a group", &["id", "cap"])?;
            m.groups.push(Group {
                id: string(x, &p, "id")?,
                cap: num(x, &p, "cap")?,
            });
        }
        let d = v.get("decay");
        if !d.is_missing() {
            object(&d, "decay", "decay", &["field", "halfLifeDays"])?;
            m.decay = Some(Decay {
                field: string(&d, "decay", "field")?,
                half_life_days: num(&d, "decay", "halfLifeDays")?,
            });
        }
        let tiers = array(v, "", "tiers", true)?;
        let last = tiers.len().saturating_sub(1);
        for (k, x) in tiers.iter().enumerate() {
            let p = format!("tiers[{k}]");
            object(x, &p, "a tier", &["label", "min"])?;
            let min = if k == last && x.get("min").is_missing() {
                f64::NEG_INFINITY
            } else {
                finite(x, &p, "min")?
            };
            m.tiers.push(Tier {
                label: string(x, &p, "label")?,
                min,
            });
        }
        m.validate()?;
        Ok(m)
    }

    /// [`ScoringModel::read`] of a [`Json`] value.
    pub fn from_json(v: &Json) -> Result<ScoringModel, Error> {
        ScoringModel::read(&v)
    }

    /// The JSON form users edit and export: defaults left out (no `invert: false`,
    /// `missing: "zero"`, `decay: true`, empty `adjustments` / `groups`), −∞ as null.
    pub fn to_json(&self) -> Json {
        let scale = |s: &Scale| match s {
            Scale::Linear { min, max } => Json::object(vec![
                ("type", "linear".into()),
                ("min", (*min).into()),
                ("max", (*max).into()),
            ]),
            Scale::Bands(b) => Json::object(vec![
                ("type", "bands".into()),
                (
                    "bands",
                    Json::Arr(
                        b.iter()
                            .map(|(t, f)| Json::Arr(vec![(*t).into(), (*f).into()]))
                            .collect(),
                    ),
                ),
            ]),
            Scale::Percentile => Json::object(vec![("type", "percentile".into())]),
            Scale::Log { max } => {
                Json::object(vec![("type", "log".into()), ("max", (*max).into())])
            }
            Scale::Boolean => Json::object(vec![("type", "boolean".into())]),
            Scale::Map(vals) => Json::object(vec![
                ("type", "map".into()),
                (
                    "values",
                    Json::object(
                        vals.iter()
                            .map(|(k, f)| (k.as_str(), (*f).into()))
                            .collect(),
                    ),
                ),
            ]),
        };
        let opt_str = |s: &Option<String>| s.as_deref().map_or(Json::Undefined, Json::str);
        let no_decay = |d: bool| if d { Json::Undefined } else { false.into() };
        let indicators = self.indicators.iter().map(|i| {
            Json::object(vec![
                ("id", Json::str(&i.id)),
                ("field", Json::str(&i.field)),
                ("weight", i.weight.into()),
                ("scale", scale(&i.scale)),
                (
                    "invert",
                    if i.invert {
                        true.into()
                    } else {
                        Json::Undefined
                    },
                ),
                (
                    "missing",
                    match i.missing {
                        Missing::Zero => Json::Undefined,
                        Missing::Skip => "skip".into(),
                        Missing::Error => "error".into(),
                    },
                ),
                ("group", opt_str(&i.group)),
                ("decay", no_decay(i.decay)),
            ])
        });
        let adjustments = self.adjustments.iter().map(|a| {
            Json::object(vec![
                ("id", Json::str(&a.id)),
                ("field", Json::str(&a.field)),
                ("op", op_str(a.op).into()),
                (
                    "value",
                    match &a.value {
                        Value::Num(n) => (*n).into(),
                        Value::Str(s) => Json::str(s),
                        Value::Bool(b) => (*b).into(),
                    },
                ),
                ("points", a.points.into()),
                ("group", opt_str(&a.group)),
                ("decay", no_decay(a.decay)),
            ])
        });
        let groups = self
            .groups
            .iter()
            .map(|g| Json::object(vec![("id", Json::str(&g.id)), ("cap", g.cap.into())]));
        let non_empty = |v: Vec<Json>| {
            if v.is_empty() {
                Json::Undefined
            } else {
                Json::Arr(v)
            }
        };
        Json::object(vec![
            ("indicators", Json::Arr(indicators.collect())),
            ("adjustments", non_empty(adjustments.collect())),
            ("groups", non_empty(groups.collect())),
            (
                "decay",
                self.decay.as_ref().map_or(Json::Undefined, |d| {
                    Json::object(vec![
                        ("field", Json::str(&d.field)),
                        ("halfLifeDays", d.half_life_days.into()),
                    ])
                }),
            ),
            (
                "tiers",
                Json::Arr(
                    self.tiers
                        .iter()
                        .map(|t| {
                            Json::object(vec![
                                ("label", Json::str(&t.label)),
                                ("min", t.min.is_finite().then_some(t.min).into()),
                            ])
                        })
                        .collect(),
                ),
            ),
        ])
    }
}

serde_via_json!(ScoringModel);
