//! The saved form of fitted models (what the JavaScript classes' `toJSON` writes and
//! `fromJSON` reads), as [`Json`]:
//!
//! ```json
//! { "kind": "bgNbd" | "modifiedBgNbd" | "paretoNbd" | "gammaGamma",
//!   "params": { "r", "alpha", "a", "b" } | { "r", "alpha", "s", "beta" } | { "p", "q", "gamma" },
//!   "logLikelihood", "standardErrors": { … } | null, "converged", "reason": string | null,
//!   "iterations", "customers", "distinctRows", "unit": "day" | "week" | "month" | null }
//! ```
//! (`distinctRows` and `unit` for transaction models only.) Only `kind` and `params` are
//! required (`unit` for the lifetime fields): a model can be built from published parameters.

use super::{
    bgnbd, gamma_gamma, pareto, BgNbdParams, Fit, GammaGammaParams, MbgNbdParams, ParetoNbdParams,
    TimeUnit, TransactionModel,
};
use crate::error::{Error, ErrorCode};
use crate::model_io::{serde_via_json, Json, Node};

/// What a fit reports besides its parameters (defaults when a saved model lacks them:
/// log-likelihood NaN, converged, 0 iterations / customers / rows).
#[derive(Clone, Debug, PartialEq)]
pub struct FitInfo {
    pub log_likelihood: f64,
    /// In the order of the model's parameter names.
    pub standard_errors: Option<Vec<f64>>,
    pub converged: bool,
    pub reason: Option<String>,
    pub iterations: u32,
    pub customers: usize,
    pub distinct_rows: usize,
}

impl FitInfo {
    /// The report of a fit, with its standard errors as a list.
    pub fn of<P>(f: &Fit<P>, standard_errors: Option<Vec<f64>>) -> FitInfo {
        FitInfo {
            log_likelihood: f.log_likelihood,
            standard_errors,
            converged: f.converged,
            reason: f.reason.clone(),
            iterations: f.iterations,
            customers: f.customers,
            distinct_rows: f.distinct_rows,
        }
    }

    /// Lenient: a missing or mistyped field takes its default.
    fn read<N: Node>(json: &N, names: &[&str]) -> FitInfo {
        let num = |k: &str| json.get(k).as_f64();
        let se = json.get("standardErrors");
        let se = se.is_object().then(|| {
            names
                .iter()
                .map(|n| se.get(n).as_f64().unwrap_or(f64::NAN))
                .collect()
        });
        FitInfo {
            log_likelihood: num("logLikelihood").unwrap_or(f64::NAN),
            standard_errors: se,
            converged: json.get("converged").as_bool().unwrap_or(true),
            reason: json.get("reason").as_string(),
            iterations: num("iterations").unwrap_or(0.0) as u32,
            customers: num("customers").unwrap_or(0.0) as usize,
            distinct_rows: num("distinctRows").unwrap_or(0.0) as usize,
        }
    }

    /// The standard errors by parameter name, or `Null`.
    pub fn standard_errors_json(&self, names: &[&str]) -> Json {
        self.standard_errors
            .as_ref()
            .map_or(Json::Null, |v| params_json(names, v))
    }

    /// The fields saved for every model, after `kind` and `params`.
    fn fields(&self, names: &[&str]) -> [(&'static str, Json); 6] {
        [
            ("logLikelihood", self.log_likelihood.into()),
            ("standardErrors", self.standard_errors_json(names)),
            ("converged", self.converged.into()),
            ("reason", self.reason.as_deref().into()),
            ("iterations", (self.iterations as f64).into()),
            ("customers", (self.customers as f64).into()),
        ]
    }
}

/// `{ name: value, … }`.
pub fn params_json(names: &[&str], values: &[f64]) -> Json {
    Json::object(
        names
            .iter()
            .zip(values)
            .map(|(n, v)| (*n, (*v).into()))
            .collect(),
    )
}

/// `json.params` → the values of `names`, in order (not validated).
fn read_params<N: Node>(json: &N, names: &[&str]) -> Result<Vec<f64>, Error> {
    let p = json.get("params");
    if !p.is_object() {
        return Err(
            Error::new(ErrorCode::InvalidModel, "params must be an object").field("params"),
        );
    }
    names
        .iter()
        .map(|n| {
            p.get(n).as_f64().ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidModel,
                    format!("params.{n} must be a number"),
                )
                .field(format!("params.{n}"))
            })
        })
        .collect()
}

impl TimeUnit {
    /// "day", "week" or "month" at option path `path` (`invalid_option`; missing is an error).
    pub fn read<N: Node>(v: &N, path: &str) -> Result<TimeUnit, Error> {
        match v.as_string().as_deref() {
            Some("day") => Ok(TimeUnit::Day),
            Some("week") => Ok(TimeUnit::Week),
            Some("month") => Ok(TimeUnit::Month),
            _ if v.is_missing() => Err(Error::option(
                path,
                format!("{path} is required (\"day\", \"week\" or \"month\"): a model's rates and every horizon are in this unit"),
            )),
            _ => Err(Error::option(path, format!("{path} must be \"day\", \"week\" or \"month\", got {}", v.describe()))),
        }
    }
}

impl TransactionModel {
    /// "bgNbd", "modifiedBgNbd" or "paretoNbd".
    pub fn kind(&self) -> &'static str {
        match self {
            TransactionModel::BgNbd(_) => "bgNbd",
            TransactionModel::MbgNbd(_) => "modifiedBgNbd",
            TransactionModel::ParetoNbd(_) => "paretoNbd",
        }
    }
    /// The parameter names, in the order of [`TransactionModel::param_values`].
    pub fn param_names(&self) -> &'static [&'static str; 4] {
        match self {
            TransactionModel::ParetoNbd(_) => &pareto::NAMES,
            _ => &bgnbd::NAMES,
        }
    }
    pub fn param_values(&self) -> [f64; 4] {
        match self {
            TransactionModel::BgNbd(p) => p.as_array(),
            TransactionModel::MbgNbd(p) => p.as_array(),
            TransactionModel::ParetoNbd(p) => p.as_array(),
        }
    }
    /// `{ r, alpha, a, b }` or `{ r, alpha, s, beta }`.
    pub fn params_json(&self) -> Json {
        params_json(self.param_names(), &self.param_values())
    }
}

/// A fitted (or published) BG/NBD, modified BG/NBD or Pareto/NBD model with its fit report
/// and the time unit of its rates, when known.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedTransactionModel {
    pub model: TransactionModel,
    pub info: FitInfo,
    pub unit: Option<TimeUnit>,
}

impl SavedTransactionModel {
    /// Read a saved model (`invalid_model` naming `kind` or `params.r`, … ; the parameters
    /// validated; `unit` checked as an option).
    pub fn read<N: Node>(json: &N) -> Result<SavedTransactionModel, Error> {
        if !json.is_object() {
            return Err(Error::new(
                ErrorCode::InvalidModel,
                format!("expected a saved model object, got {}", json.describe()),
            ));
        }
        let kind = json.get("kind").as_string().unwrap_or_default();
        let model = match kind.as_str() {
            "bgNbd" | "modifiedBgNbd" => {
                let v = read_params(json, &bgnbd::NAMES)?;
                let (r, alpha, a, b) = (v[0], v[1], v[2], v[3]);
                if kind == "bgNbd" {
                    TransactionModel::BgNbd(BgNbdParams { r, alpha, a, b })
                } else {
                    TransactionModel::MbgNbd(MbgNbdParams { r, alpha, a, b })
                }
            }
            "paretoNbd" => {
                let v = read_params(json, &pareto::NAMES)?;
                TransactionModel::ParetoNbd(ParetoNbdParams {
                    r: v[0],
                    alpha: v[1],
                    s: v[2],
                    beta: v[3],
                })
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidModel,
                    format!(
                        "kind must be \"bgNbd\", \"modifiedBgNbd\" or \"paretoNbd\", got {kind:?}"
                    ),
                )
                .field("kind"))
            }
        };
        model.validate()?;
        let unit_v = json.get("unit");
        let unit = if unit_v.is_missing() {
            None
        } else {
            Some(TimeUnit::read(&unit_v, "unit")?)
        };
        Ok(SavedTransactionModel {
            model,
            info: FitInfo::read(json, model.param_names()),
            unit,
        })
    }

    /// [`SavedTransactionModel::read`] of a [`Json`] value.
    pub fn from_json(json: &Json) -> Result<SavedTransactionModel, Error> {
        SavedTransactionModel::read(&json)
    }

    /// `{ r, alpha, a, b }` or `{ r, alpha, s, beta }`.
    pub fn params_json(&self) -> Json {
        self.model.params_json()
    }

    /// The standard errors by parameter name, or `Null`.
    pub fn standard_errors_json(&self) -> Json {
        self.info.standard_errors_json(self.model.param_names())
    }

    pub fn to_json(&self) -> Json {
        let mut o = vec![
            ("kind", self.model.kind().into()),
            ("params", self.model.params_json()),
        ];
        o.extend(self.info.fields(self.model.param_names()));
        o.push(("distinctRows", (self.info.distinct_rows as f64).into()));
        o.push(("unit", self.unit.map(TimeUnit::as_str).into()));
        Json::Obj(o.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// A fitted (or published) Gamma-Gamma spend model with its fit report.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedSpendModel {
    pub params: GammaGammaParams,
    pub info: FitInfo,
}

impl GammaGammaParams {
    /// `json.params` → `{ p, q, gamma }`, not validated (`invalid_model` naming `params.p`, …).
    pub fn read<N: Node>(json: &N) -> Result<GammaGammaParams, Error> {
        let v = read_params(json, &gamma_gamma::NAMES)?;
        Ok(GammaGammaParams {
            p: v[0],
            q: v[1],
            gamma: v[2],
        })
    }
}

impl SavedSpendModel {
    /// Read a saved Gamma-Gamma model (`kind` is not checked); the parameters validated.
    pub fn read<N: Node>(json: &N) -> Result<SavedSpendModel, Error> {
        let params = GammaGammaParams::read(json)?;
        params.validate()?;
        Ok(SavedSpendModel {
            params,
            info: FitInfo::read(json, &gamma_gamma::NAMES),
        })
    }

    /// [`SavedSpendModel::read`] of a [`Json`] value.
    pub fn from_json(json: &Json) -> Result<SavedSpendModel, Error> {
        SavedSpendModel::read(&json)
    }

    /// `{ p, q, gamma }`.
    pub fn params_json(&self) -> Json {
        params_json(&gamma_gamma::NAMES, &self.params.as_array())
    }

    /// The standard errors by parameter name, or `Null`.
    pub fn standard_errors_json(&self) -> Json {
        self.info.standard_errors_json(&gamma_gamma::NAMES)
    }

    pub fn to_json(&self) -> Json {
        let mut o = vec![
            ("kind", "gammaGamma".into()),
            ("params", self.params_json()),
        ];
        o.extend(self.info.fields(&gamma_gamma::NAMES));
        Json::Obj(o.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

serde_via_json!(SavedTransactionModel);
serde_via_json!(SavedSpendModel);
