//! RFM's options object, read through [`Options`]: `asOf`, `bins`, `binning`, `cuts`,
//! `segments`, `fallbackSegment`, and for the columnar form `customerCount`.

use crate::error::{describe_number, Error};
use crate::model_io::Node;
use crate::options::Options;
use crate::rfm::{Binning, RfmOptions, SegmentRule, Segments};

/// The option names, `customerCount` last (columnar calls only).
pub const RFM_OPTION_KEYS: [&str; 7] = [
    "asOf",
    "bins",
    "binning",
    "cuts",
    "segments",
    "fallbackSegment",
    "customerCount",
];

const METRICS: [&str; 3] = ["recency", "frequency", "monetary"];

/// `v` as an object with only `recency`, `frequency`, `monetary`, each read by `each`.
fn per_metric<N: Node, T>(v: &N, each: impl Fn(&N) -> Option<T>) -> Option<[Option<T>; 3]> {
    if !v.is_plain_object() || v.keys().iter().any(|k| !METRICS.contains(&k.as_str())) {
        return None;
    }
    let mut out: [Option<T>; 3] = [None, None, None];
    for (k, m) in METRICS.iter().enumerate() {
        let x = v.get(m);
        if !x.is_missing() {
            out[k] = Some(each(&x)?);
        }
    }
    Some(out)
}

fn numbers<N: Node>(v: &N) -> Option<Vec<f64>> {
    v.items()?.iter().map(|x| x.as_f64()).collect()
}

fn pair<N: Node>(v: &N) -> Option<[f64; 2]> {
    match numbers(v)?.as_slice() {
        [a, b] => Some([*a, *b]),
        _ => None,
    }
}

fn rule<N: Node>(v: &N) -> Option<SegmentRule> {
    const KEYS: [&str; 4] = ["name", "recency", "frequency", "monetary"];
    if !v.is_plain_object() || v.keys().iter().any(|k| !KEYS.contains(&k.as_str())) {
        return None;
    }
    Some(SegmentRule {
        name: v.get("name").as_string()?,
        recency: pair(&v.get("recency"))?,
        frequency: pair(&v.get("frequency"))?,
        monetary: pair(&v.get("monetary"))?,
    })
}

impl RfmOptions {
    /// Read `node`; `columnar` admits `customerCount` (returned beside the options; at most
    /// `max_customers`).
    pub fn read<N: Node>(
        node: N,
        columnar: bool,
        max_customers: usize,
    ) -> Result<(RfmOptions, Option<usize>), Error> {
        let keys = if columnar {
            &RFM_OPTION_KEYS[..]
        } else {
            &RFM_OPTION_KEYS[..6]
        };
        let o = Options::new(node, keys)?;
        let mut r = RfmOptions {
            as_of: o.day("asOf")?,
            ..RfmOptions::default()
        };
        let must = |key: &str, what: &str, v: &N| {
            o.error(key, format!("{key} must be {what}, got {}", v.describe()))
        };
        let bins = o.get("bins");
        if !bins.is_missing() {
            r.bins = match bins.as_f64() {
                Some(b) => [Some(b); 3],
                None => per_metric(&bins, |x| x.as_f64()).ok_or_else(|| {
                    must(
                        "bins",
                        "a number or { recency?, frequency?, monetary? } of numbers",
                        &bins,
                    )
                })?,
            };
        }
        let binning = o.get("binning");
        if !binning.is_missing() {
            r.binning = match binning.as_string().as_deref() {
                Some("quantile") => Binning::Quantile,
                Some("equalCount") => Binning::EqualCount,
                Some("rfmR") => Binning::RfmR,
                _ => {
                    return Err(must(
                        "binning",
                        "\"quantile\", \"equalCount\" or \"rfmR\"",
                        &binning,
                    ))
                }
            };
        }
        let cuts = o.get("cuts");
        if !cuts.is_missing() {
            r.cuts = per_metric(&cuts, numbers).ok_or_else(|| {
                must(
                    "cuts",
                    "{ recency?, frequency?, monetary? } of number arrays",
                    &cuts,
                )
            })?;
        }
        let seg = o.get("segments");
        if let Some(s) = seg.as_string() {
            r.segments = match s.as_str() {
                "rfmR" => Segments::RfmR,
                "rfGrid" => Segments::RfGrid,
                _ => {
                    return Err(o.error(
                        "segments",
                        format!("unknown segment preset \"{s}\"; use \"rfmR\", \"rfGrid\" or an array of rules"),
                    ))
                }
            };
        } else if let Some(items) = seg.items() {
            let mut rules = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                rules.push(rule(x).ok_or_else(|| {
                    o.error(
                        &format!("segments[{i}]"),
                        format!(
                            "a rule must be {{ name: string, recency: [lo, hi], frequency: [lo, hi], monetary: [lo, hi] }}, got {}",
                            x.describe()
                        ),
                    )
                })?);
            }
            r.segments = Segments::Rules(rules);
        } else if !seg.is_missing() {
            return Err(must(
                "segments",
                "\"rfmR\", \"rfGrid\" or an array of rules",
                &seg,
            ));
        }
        let fallback = o.get("fallbackSegment");
        if !fallback.is_missing() {
            r.fallback_segment = fallback
                .as_string()
                .ok_or_else(|| must("fallbackSegment", "a string", &fallback))?;
        }
        let mut count = None;
        if let Some(c) = o.number("customerCount")? {
            if !(c.is_finite() && c.fract() == 0.0 && c >= 1.0 && c <= max_customers as f64) {
                return Err(o.error(
                    "customerCount",
                    format!(
                        "customerCount must be a positive integer of at most {max_customers}, got {}",
                        describe_number(c)
                    ),
                ));
            }
            count = Some(c as usize);
        }
        Ok((r, count))
    }
}
