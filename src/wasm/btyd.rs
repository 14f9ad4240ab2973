//! Customer lifetime value in the page: `summarize`, `summarizeColumnar`, `fitBgNbd`,
//! `fitModifiedBgNbd`, `fitParetoNbd`, `fitGammaGamma`, `clv`, and the fitted models as
//! classes (`TransactionModel`, `GammaGammaModel`) with predictions that take numbers or
//! Float64Arrays. The binding of `crate::btyd`.

use super::convert;
use super::error::js;
use super::rfm::read_orders;
use super::scoring::json_to_js;
use crate::btyd::{
    self as core, ClvOptions, FitInfo, FitOptions, GammaGammaParams, SavedSpendModel,
    SavedTransactionModel, Summaries, SummaryOptions, TimeUnit, TransactionModel as Model,
};
use crate::dates;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::options::Options;
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "SummarizeOptions")]
    pub type SummarizeOptionsArg;
    #[wasm_bindgen(typescript_type = "FitOptions")]
    pub type FitOptionsArg;
    #[wasm_bindgen(typescript_type = "ClvOptions")]
    pub type ClvOptionsArg;
}

fn get(o: &JsValue, k: &str) -> JsValue {
    convert::get(o, &k.into())
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

// ---------------------------------------------------------------------------------------
// summarize

fn unit_of(v: &JsValue, path: &str) -> Result<TimeUnit, Error> {
    TimeUnit::read(v, path)
}

fn unit_name(u: TimeUnit) -> &'static str {
    u.as_str()
}

fn summarize_impl(orders: &JsValue, options: &JsValue) -> Result<JsValue, Error> {
    let r = read_orders(orders)?;
    let opts = SummaryOptions::read(options.clone(), Some(r.ids.length() as usize))?;
    let s = match core::summarize(&r.customer, &r.day, &r.amount, &opts) {
        Err(e) if !(e.code == ErrorCode::EmptyInput && r.bad.is_some()) => return Err(e),
        s => s,
    };
    if let Some(e) = r.bad {
        return Err(e);
    }
    let s = s?;
    let out = Array::new_with_length(s.len() as u32);
    for k in 0..s.len() {
        let o = Object::new();
        set(&o, "customerId", &r.ids.get(s.customer[k]));
        set(&o, "frequency", &s.frequency[k].into());
        set(&o, "recency", &s.recency[k].into());
        set(&o, "T", &s.age[k].into());
        set(&o, "monetaryValue", &s.monetary_value[k].into());
        if let Some(h) = &s.holdout {
            set(&o, "frequencyHoldout", &h.frequency[k].into());
            set(&o, "monetaryValueHoldout", &h.monetary_value[k].into());
            set(&o, "durationHoldout", &h.duration.into());
        }
        out.set(k as u32, o.into());
    }
    Ok(out.into())
}

/// Per-customer BTYD summaries from orders `{ customerId, date, amount }`, with the
/// definitions of Python lifetimes' `summary_data_from_transaction_data` (orders on one day
/// are one purchase; the first purchase is not counted in frequency or monetaryValue).
/// `options.unit` is required. Customers in first-seen order.
#[wasm_bindgen(unchecked_return_type = "CustomerSummary[]")]
pub fn summarize(
    #[wasm_bindgen(unchecked_param_type = "Order[]")] orders: JsValue,
    options: SummarizeOptionsArg,
) -> Result<JsValue, JsValue> {
    js(summarize_impl(&orders, &options))
}

fn columnar_result(s: &Summaries) -> JsValue {
    let o = Object::new();
    set(&o, "customer", &Uint32Array::from(&s.customer[..]).into());
    set(
        &o,
        "frequency",
        &Float64Array::from(&s.frequency[..]).into(),
    );
    set(&o, "recency", &Float64Array::from(&s.recency[..]).into());
    set(&o, "T", &Float64Array::from(&s.age[..]).into());
    set(
        &o,
        "monetaryValue",
        &Float64Array::from(&s.monetary_value[..]).into(),
    );
    if let Some(h) = &s.holdout {
        set(
            &o,
            "frequencyHoldout",
            &Float64Array::from(&h.frequency[..]).into(),
        );
        set(
            &o,
            "monetaryValueHoldout",
            &Float64Array::from(&h.monetary_value[..]).into(),
        );
        set(&o, "durationHoldout", &h.duration.into());
    }
    set(&o, "asOf", &dates::format_day(s.as_of).into());
    set(&o, "unit", &unit_name(s.unit).into());
    o.into()
}

fn summarize_columnar_impl(
    customer: &Uint32Array,
    dates_col: &JsValue,
    amount: &Float64Array,
    options: &JsValue,
) -> Result<JsValue, Error> {
    let day: Vec<i32> = if let Some(d) = dates_col.dyn_ref::<Int32Array>() {
        d.to_vec()
    } else if let Some(d) = dates_col.dyn_ref::<Float64Array>() {
        d.to_vec()
            .iter()
            .enumerate()
            .map(|(row, &ms)| {
                dates::ms_to_day(ms)
                    .map_err(|e| Error::row_field(ErrorCode::InvalidDate, row, "dates", e))
            })
            .collect::<Result<_, _>>()?
    } else {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("dates must be an Int32Array of epoch days or a Float64Array of epoch milliseconds, got {}", convert::type_of(dates_col)),
        )
        .field("dates"));
    };
    let opts = SummaryOptions::read(options.clone(), None)?;
    let s = core::summarize(&customer.to_vec(), &day, &amount.to_vec(), &opts)?;
    Ok(columnar_result(&s))
}

/// `summarize` on typed columns (customer index, epoch days or ms, amounts): the fast path
/// for millions of orders. Rows are customers with orders, in increasing index.
#[wasm_bindgen(js_name = summarizeColumnar, unchecked_return_type = "SummarizeColumnarResult")]
pub fn summarize_columnar(
    #[wasm_bindgen(js_name = customerIndex)] customer_index: &Uint32Array,
    #[wasm_bindgen(unchecked_param_type = "Int32Array | Float64Array")] dates: JsValue,
    amounts: &Float64Array,
    options: SummarizeOptionsArg,
) -> Result<JsValue, JsValue> {
    js(summarize_columnar_impl(
        customer_index,
        &dates,
        amounts,
        &options,
    ))
}

// ---------------------------------------------------------------------------------------
// Reading summaries and options.

/// Columns `keys` of summaries given as objects or as columns; errors name the summaries.
fn summary_columns(v: &JsValue, keys: &[&str]) -> Result<Vec<Vec<f64>>, Error> {
    read_summary_columns(v, keys).map_err(|e| e.in_table(TableName::Summaries))
}

fn read_summary_columns(v: &JsValue, keys: &[&str]) -> Result<Vec<Vec<f64>>, Error> {
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        let n = a.length();
        let mut cols: Vec<Vec<f64>> = keys
            .iter()
            .map(|_| Vec::with_capacity(n as usize))
            .collect();
        for i in 0..n {
            let o = a.get(i);
            convert::object_row(&o, i as usize, "summary")?;
            for (k, key) in keys.iter().enumerate() {
                let x = get(&o, key);
                match x.as_f64() {
                    Some(x) => cols[k].push(x),
                    None if convert::is_missing(&x) => {
                        return Err(Error::row_field(
                            ErrorCode::MissingField,
                            i as usize,
                            key,
                            format!("{key} is missing"),
                        ))
                    }
                    None => {
                        return Err(Error::row_field(
                            ErrorCode::InvalidValue,
                            i as usize,
                            key,
                            format!("{key} must be a number, got {}", convert::type_of(&x)),
                        ))
                    }
                }
            }
        }
        return Ok(cols);
    }
    if !v.is_object() {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "summaries must be an array of objects or an object of columns, got {}",
                convert::type_of(v)
            ),
        )
        .field("summaries"));
    }
    let mut cols = Vec::new();
    for key in keys {
        let c = get(v, key);
        if let Some(f) = c.dyn_ref::<Float64Array>() {
            cols.push(f.to_vec());
        } else if Array::is_array(&c) {
            let a: &Array = c.unchecked_ref();
            let mut out = Vec::with_capacity(a.length() as usize);
            for (i, x) in a.iter().enumerate() {
                out.push(x.as_f64().ok_or_else(|| {
                    Error::row_field(
                        ErrorCode::InvalidValue,
                        i,
                        key,
                        format!("{key} must be a number, got {}", convert::type_of(&x)),
                    )
                })?);
            }
            cols.push(out);
        } else if convert::is_missing(&c) {
            return Err(Error::new(
                ErrorCode::MissingField,
                format!("summaries.{key} is missing"),
            )
            .field(*key));
        } else {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!("summaries.{key} must be a Float64Array or an array of numbers"),
            )
            .field(*key));
        }
    }
    if let Some((k, c)) = cols
        .iter()
        .enumerate()
        .find(|(_, c)| c.len() != cols[0].len())
    {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!(
                "summaries.{} has {} entries, summaries.{} {}",
                keys[k],
                c.len(),
                keys[0],
                cols[0].len()
            ),
        )
        .field(keys[k]));
    }
    Ok(cols)
}

// ---------------------------------------------------------------------------------------
// Predictions on numbers or arrays.

/// A number (scalar = true) or a Float64Array / number[] → values.
fn numbers(v: &JsValue, name: &str) -> Result<(Vec<f64>, bool), Error> {
    if let Some(x) = v.as_f64() {
        return Ok((vec![x], true));
    }
    if let Some(f) = v.dyn_ref::<Float64Array>() {
        return Ok((f.to_vec(), false));
    }
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(a.length() as usize);
        for (i, x) in a.iter().enumerate() {
            out.push(x.as_f64().ok_or_else(|| {
                Error::row_field(
                    ErrorCode::InvalidValue,
                    i,
                    name,
                    format!("{name} must be a number, got {}", convert::type_of(&x)),
                )
            })?);
        }
        return Ok((out, false));
    }
    Err(Error::new(
        ErrorCode::InvalidValue,
        format!(
            "{name} must be a number or a Float64Array, got {}",
            convert::type_of(v)
        ),
    )
    .field(name))
}

fn output(values: Vec<f64>, scalar: bool) -> JsValue {
    if scalar {
        values.first().copied().unwrap_or(f64::NAN).into()
    } else {
        Float64Array::from(&values[..]).into()
    }
}

/// (frequency, recency, T) arguments → columns (all scalars, or all arrays of one length).
#[allow(clippy::type_complexity)]
fn frt(
    f: &JsValue,
    r: &JsValue,
    t: &JsValue,
) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>, bool), Error> {
    let (f, s1) = numbers(f, "frequency")?;
    let (r, s2) = numbers(r, "recency")?;
    let (t, s3) = numbers(t, "T")?;
    if s1 != s2 || s1 != s3 {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            "frequency, recency and T must all be numbers or all be arrays",
        ));
    }
    Ok((f, r, t, s1))
}

// ---------------------------------------------------------------------------------------
// Transaction models.

/// A fitted BG/NBD, modified BG/NBD or Pareto/NBD model (see `fitBgNbd`).
#[wasm_bindgen]
pub struct TransactionModel {
    m: SavedTransactionModel,
}

impl TransactionModel {
    fn new(model: Model, info: FitInfo, unit: Option<TimeUnit>) -> TransactionModel {
        TransactionModel {
            m: SavedTransactionModel { model, info, unit },
        }
    }
}

#[wasm_bindgen]
impl TransactionModel {
    /// "bgNbd", "modifiedBgNbd" or "paretoNbd".
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.m.model.kind().into()
    }
    /// { r, alpha, a, b } (BG/NBD, MBG/NBD) or { r, alpha, s, beta } (Pareto/NBD), α and β in the unit.
    #[wasm_bindgen(getter, unchecked_return_type = "BgNbdParams | ParetoNbdParams")]
    pub fn params(&self) -> JsValue {
        json_to_js(&self.m.params_json())
    }
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> f64 {
        self.m.info.log_likelihood
    }
    /// From the Hessian (delta method); null when it is not positive definite or a parameter sits at a bound.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "BgNbdParams | ParetoNbdParams | null")]
    pub fn standard_errors(&self) -> JsValue {
        json_to_js(&self.m.standard_errors_json())
    }
    #[wasm_bindgen(getter)]
    pub fn converged(&self) -> bool {
        self.m.info.converged
    }
    /// Why the fit did not converge (null when it did).
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> Option<String> {
        self.m.info.reason.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.m.info.iterations
    }
    /// Customers the fit used, and the distinct (frequency, recency, T) rows they collapsed into.
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> u32 {
        self.m.info.customers as u32
    }
    #[wasm_bindgen(getter, js_name = distinctRows)]
    pub fn distinct_rows(&self) -> u32 {
        self.m.info.distinct_rows as u32
    }
    /// The unit of the summaries it was fitted on, when known (from `summarize`), else null.
    #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit | null")]
    pub fn unit(&self) -> JsValue {
        self.m.unit.map_or(JsValue::NULL, |u| unit_name(u).into())
    }

    /// P(alive) of customers with (frequency, recency, T).
    #[wasm_bindgen(js_name = pAlive, unchecked_return_type = "any")]
    pub fn p_alive(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    ) -> Result<JsValue, JsValue> {
        js((|| {
            let (f, r, a, scalar) = frt(&frequency, &recency, &t)?;
            Ok(output(self.m.model.p_alive_many(&f, &r, &a)?, scalar))
        })())
    }

    /// Expected purchases in the next `t` units of customers with (frequency, recency, T).
    #[wasm_bindgen(js_name = expectedPurchases, unchecked_return_type = "any")]
    pub fn expected_purchases(
        &self,
        t: f64,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] age: JsValue,
    ) -> Result<JsValue, JsValue> {
        js((|| {
            let (f, r, a, scalar) = frt(&frequency, &recency, &age)?;
            Ok(output(
                self.m.model.expected_purchases_many(t, &f, &r, &a)?,
                scalar,
            ))
        })())
    }

    /// Unconditional E[X(t)]: expected purchases of a new customer in `t` units.
    #[wasm_bindgen(js_name = expectedPurchasesNew)]
    pub fn expected_purchases_new(&self, t: f64) -> Result<f64, JsValue> {
        js(core_check_time("t", t).map(|_| self.m.model.expected_purchases_new(t)))
    }

    /// P(X(t) = n) for a new customer (BG/NBD only).
    #[wasm_bindgen(js_name = probabilityOfPurchases)]
    pub fn probability_of_purchases(&self, n: u32, t: f64) -> Result<f64, JsValue> {
        js((|| {
            core_check_time("t", t)?;
            match self.m.model {
                Model::BgNbd(p) => Ok(p.probability_of_purchases(n, t)),
                _ => Err(Error::new(
                    ErrorCode::InvalidModel,
                    format!(
                        "probabilityOfPurchases is available for bgNbd models, not {}",
                        self.m.model.kind()
                    ),
                )),
            }
        })())
    }

    /// A plain object that `TransactionModel.fromJSON` restores (JSON.stringify calls it).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        json_to_js(&self.m.to_json())
    }

    /// Restore a model saved with `toJSON` (or built from published parameters:
    /// `{ kind: "bgNbd", params: { r, alpha, a, b }, unit? }`).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(json: JsValue) -> Result<TransactionModel, JsValue> {
        js(SavedTransactionModel::read(&json).map(|m| TransactionModel { m }))
    }
}

fn core_check_time(field: &str, t: f64) -> Result<(), Error> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(Error::option(
            field,
            format!(
                "{field} must be a finite number ≥ 0, got {}",
                describe_number(t)
            ),
        ))
    }
}

/// Unit from `summarizeColumnar`'s result object, when the summaries are one.
fn unit_from(summaries: &JsValue) -> Option<TimeUnit> {
    if Array::is_array(summaries) {
        return None;
    }
    unit_of(&get(summaries, "unit"), "unit").ok()
}

/// The summaries' unit: `options.unit`, or the unit of a `summarizeColumnar` result (they must agree).
fn fit_unit(summaries: &JsValue, options: &JsValue) -> Result<Option<TimeUnit>, Error> {
    let given = if convert::is_missing(options) {
        JsValue::UNDEFINED
    } else {
        get(options, "unit")
    };
    let given = if convert::is_missing(&given) {
        None
    } else {
        Some(unit_of(&given, "unit")?)
    };
    match (given, unit_from(summaries)) {
        (Some(g), Some(s)) if g != s => Err(Error::option(
            "unit",
            format!(
                "options.unit is \"{}\" but the summaries are in {}s",
                unit_name(g),
                unit_name(s)
            ),
        )),
        (g, s) => Ok(g.or(s)),
    }
}

fn fit_transaction(
    summaries: &JsValue,
    options: &JsValue,
    kind: &str,
) -> Result<TransactionModel, Error> {
    let opts = FitOptions::read(options.clone())?;
    let unit = fit_unit(summaries, options)?;
    let cols = summary_columns(summaries, &["frequency", "recency", "T"])?;
    let (f, r, t) = (&cols[0], &cols[1], &cols[2]);
    let tm = match kind {
        "bgNbd" => {
            let fit = core::fit_bg_nbd(f, r, t, &opts)?;
            let se = fit.standard_errors.map(|p| p.as_array().to_vec());
            TransactionModel::new(Model::BgNbd(fit.params), FitInfo::of(&fit, se), unit)
        }
        "modifiedBgNbd" => {
            let fit = core::fit_mbg_nbd(f, r, t, &opts)?;
            let se = fit.standard_errors.map(|p| p.as_array().to_vec());
            TransactionModel::new(Model::MbgNbd(fit.params), FitInfo::of(&fit, se), unit)
        }
        _ => {
            let fit = core::fit_pareto_nbd(f, r, t, &opts)?;
            let se = fit.standard_errors.map(|p| p.as_array().to_vec());
            TransactionModel::new(Model::ParetoNbd(fit.params), FitInfo::of(&fit, se), unit)
        }
    };
    Ok(tm)
}

/// Fit the BG/NBD model (Fader, Hardie & Lee 2005) by maximum likelihood on summaries
/// `{ frequency, recency, T }` (objects or columns). Identical rows are collapsed first.
/// A fit that does not converge says so (`converged: false`, `reason`).
#[wasm_bindgen(js_name = fitBgNbd, unchecked_return_type = "BgNbdModel")]
pub fn fit_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary[] | ColumnarSummaries")]
    summaries: JsValue,
    options: Option<FitOptionsArg>,
) -> Result<TransactionModel, JsValue> {
    js(fit_transaction(
        &summaries,
        &super::optional(options),
        "bgNbd",
    ))
}

/// Fit the modified BG/NBD model (Batislam, Denizel & Filiztekin 2007).
#[wasm_bindgen(js_name = fitModifiedBgNbd, unchecked_return_type = "ModifiedBgNbdModel")]
pub fn fit_modified_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary[] | ColumnarSummaries")]
    summaries: JsValue,
    options: Option<FitOptionsArg>,
) -> Result<TransactionModel, JsValue> {
    js(fit_transaction(
        &summaries,
        &super::optional(options),
        "modifiedBgNbd",
    ))
}

/// Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
#[wasm_bindgen(js_name = fitParetoNbd, unchecked_return_type = "ParetoNbdModel")]
pub fn fit_pareto_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary[] | ColumnarSummaries")]
    summaries: JsValue,
    options: Option<FitOptionsArg>,
) -> Result<TransactionModel, JsValue> {
    js(fit_transaction(
        &summaries,
        &super::optional(options),
        "paretoNbd",
    ))
}

// ---------------------------------------------------------------------------------------
// Gamma-Gamma.

/// A fitted Gamma-Gamma spend model (see `fitGammaGamma`).
#[wasm_bindgen]
pub struct GammaGammaModel {
    m: SavedSpendModel,
}

#[wasm_bindgen]
impl GammaGammaModel {
    #[wasm_bindgen(getter, unchecked_return_type = "GammaGammaParams")]
    pub fn params(&self) -> JsValue {
        json_to_js(&self.m.params_json())
    }
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> f64 {
        self.m.info.log_likelihood
    }
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "GammaGammaParams | null")]
    pub fn standard_errors(&self) -> JsValue {
        json_to_js(&self.m.standard_errors_json())
    }
    #[wasm_bindgen(getter)]
    pub fn converged(&self) -> bool {
        self.m.info.converged
    }
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> Option<String> {
        self.m.info.reason.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.m.info.iterations
    }
    /// Repeat buyers (frequency > 0, monetaryValue > 0) the fit used.
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> u32 {
        self.m.info.customers as u32
    }
    /// E[M | frequency, monetaryValue]: the expected spend per purchase.
    #[wasm_bindgen(js_name = expectedSpend, unchecked_return_type = "any")]
    pub fn expected_spend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(js_name = monetaryValue, unchecked_param_type = "Numbers")]
        monetary_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        js((|| {
            let (f, s1) = numbers(&frequency, "frequency")?;
            let (m, s2) = numbers(&monetary_value, "monetaryValue")?;
            if s1 != s2 {
                return Err(Error::new(
                    ErrorCode::InvalidValue,
                    "frequency and monetaryValue must both be numbers or both be arrays",
                ));
            }
            Ok(output(self.m.params.expected_spend_many(&f, &m)?, s1))
        })())
    }
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        json_to_js(&self.m.to_json())
    }
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(json: JsValue) -> Result<GammaGammaModel, JsValue> {
        js(SavedSpendModel::read(&json).map(|m| GammaGammaModel { m }))
    }
}

/// Fit the Gamma-Gamma spend model on the repeat buyers (frequency > 0 and monetaryValue >
/// 0) of summaries `{ frequency, monetaryValue }`. Refuses q ≤ 1 (no finite mean spend).
#[wasm_bindgen(js_name = fitGammaGamma)]
pub fn fit_gamma_gamma(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary[] | ColumnarSummaries")]
    summaries: JsValue,
    options: Option<FitOptionsArg>,
) -> Result<GammaGammaModel, JsValue> {
    js((|| {
        let opts = FitOptions::read(super::optional(options))?;
        let cols = summary_columns(&summaries, &["frequency", "monetaryValue"])?;
        let fit = core::fit_gamma_gamma(&cols[0], &cols[1], &opts)?;
        let se = fit.standard_errors.map(|p| p.as_array().to_vec());
        Ok(GammaGammaModel {
            m: SavedSpendModel {
                params: fit.params,
                info: FitInfo::of(&fit, se),
            },
        })
    })())
}

// ---------------------------------------------------------------------------------------
// CLV.

/// Discounted customer lifetime value per row of `summaries` (`{ frequency, recency, T,
/// monetaryValue }`): Σ_{i=1..H} E[M] · (E[Y(i·step)] − E[Y((i−1)·step)]) / (1 + d)^i with
/// H = horizon / step. horizon and step are in the model's own unit — no hidden 30-day month.
#[wasm_bindgen(js_name = clv)]
pub fn clv(
    model: &TransactionModel,
    spend: &GammaGammaModel,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary[] | ColumnarSummaries")]
    summaries: JsValue,
    options: ClvOptionsArg,
) -> Result<Float64Array, JsValue> {
    js((|| {
        let opts = ClvOptions::read(JsValue::from(options))?;
        let cols = summary_columns(&summaries, &["frequency", "recency", "T", "monetaryValue"])?;
        let v = core::clv(
            &model.m.model,
            &spend.m.params,
            &cols[0],
            &cols[1],
            &cols[2],
            &cols[3],
            &opts,
        )?;
        Ok(Float64Array::from(&v[..]))
    })())
}

// ---------------------------------------------------------------------------------------
// P(alive) for other bindings (classify's churn warning, scoring's derived fields).

/// A model instance given as an option value → its `toJSON()` object (a plain object as is).
fn saved(v: &JsValue, field: &str) -> Result<JsValue, Error> {
    match get(v, "toJSON").dyn_ref::<js_sys::Function>() {
        Some(f) => f
            .call0(v)
            .map_err(|_| Error::option(field, "toJSON() of the model failed")),
        None => Ok(v.clone()),
    }
}

/// A `TransactionModel` instance (or its `toJSON()` object) given as an option value.
pub(crate) fn model_option(v: &JsValue, field: &str) -> Result<(Model, TimeUnit), Error> {
    let json = saved(v, field)?;
    let m = SavedTransactionModel::read(&json).map_err(|e| e.under(field))?;
    let unit = m.unit.ok_or_else(|| {
        Error::option(
            field,
            format!("{field} has no time unit: fit it with options.unit (or on summarizeColumnar output), or give {{ kind, params, unit }} to TransactionModel.fromJSON"),
        )
    })?;
    Ok((m.model, unit))
}

/// A `GammaGammaModel` instance (or its `toJSON()` object) given as an option value.
fn spend_option(v: &JsValue, field: &str) -> Result<GammaGammaParams, Error> {
    let json = saved(v, field)?;
    let params = GammaGammaParams::read(&json).map_err(|e| e.under(field))?;
    params.validate()?;
    Ok(params)
}

/// Scoring's `lifetime` option → derived columns `pAlive`, `expectedPurchases90Days` and,
/// with `spend` and `clv`, `clv` (NaN for customers without a completed order).
pub(crate) fn lifetime_fields(
    v: &JsValue,
    a: &crate::activity::Activity,
    n: usize,
) -> Result<Vec<(&'static str, Vec<f64>)>, Error> {
    let o = Options::at_path(v.clone(), "lifetime", &["model", "spend", "clv"])?;
    let (model, unit) = model_option(&o.get("model"), "lifetime.model")?;
    let spend = o.get("spend");
    let clv_opts = o.get("clv");
    let spend = match (convert::is_missing(&spend), convert::is_missing(&clv_opts)) {
        (true, true) => None,
        (false, false) => {
            let gg = spend_option(&spend, "lifetime.spend")?;
            let co = ClvOptions::read(clv_opts).map_err(|e| e.under("lifetime.clv"))?;
            Some((gg, co))
        }
        _ => return Err(Error::option("lifetime.clv", "the clv field needs both lifetime.spend and lifetime.clv { horizon, step, discountRatePerStep }")),
    };
    let cols = core::lifetime_columns(&model, unit, spend.as_ref().map(|(g, c)| (g, c)), a, n)?;
    let mut out = vec![
        ("pAlive", cols.p_alive),
        ("expectedPurchases90Days", cols.expected_purchases_90_days),
    ];
    if let Some(c) = cols.clv {
        out.push(("clv", c));
    }
    Ok(out)
}
