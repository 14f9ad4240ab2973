//! `score`, `Scorer`, `compareTiers`, `tierEconomics`, `scoringPreset`, `validateModel`.

use super::convert::{self, get, is_missing, type_of};
use super::error::js;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::model_io::{Json, Node};
use crate::options::Options;
use crate::scoring::{self as core, Column, Prepared, ScoringModel, ScoringOptions, Table};
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ScoringOptions")]
    pub type ScoringOptionsArg;
    #[wasm_bindgen(typescript_type = "CompareTiersOptions")]
    pub type CompareTiersOptionsArg;
}

#[wasm_bindgen(module = "/src/wasm/scoring_glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = extractRecords)]
    fn extract_records(rows: &Array) -> Object;
    #[wasm_bindgen(js_name = buildExplained)]
    fn build_explained(
        rows: &Uint32Array,
        ids: &Array,
        labels: &Array,
        terms: &Array,
        values: &Array,
        scores: &Float64Array,
        tiers: &Uint8Array,
        points: &Float64Array,
        fractions: &Float64Array,
        to_next: &Float64Array,
        up_ind: &Int32Array,
        up_gain: &Float64Array,
        up_need: &Float64Array,
        up_target: &Float64Array,
        decay: &Float64Array,
    ) -> Array;
}

fn set(obj: &Object, key: &str, v: &JsValue) {
    // Setting a data property on a fresh Object cannot fail.
    let _ = Reflect::set(obj, &key.into(), v);
}

/// A plain object (not an array, not null).
fn is_object(v: &JsValue) -> bool {
    v.is_plain_object()
}

// ---------------------------------------------------------------- models in and out

/// A core model's saved form → plain JS objects and arrays (`Undefined` values left out).
pub(crate) fn json_to_js(j: &Json) -> JsValue {
    match j {
        Json::Undefined => JsValue::UNDEFINED,
        Json::Null => JsValue::NULL,
        Json::Bool(b) => (*b).into(),
        Json::Num(x) => (*x).into(),
        Json::Str(s) => s.as_str().into(),
        Json::Arr(a) => a.iter().map(json_to_js).collect::<Array>().into(),
        Json::Obj(kv) => {
            let o = Object::new();
            for (k, v) in kv {
                if *v != Json::Undefined {
                    set(&o, k, &json_to_js(v));
                }
            }
            o.into()
        }
    }
}

/// A model object (or preset name) → core model, every error naming its JSON path.
pub(crate) fn read_model(v: &JsValue) -> Result<ScoringModel, Error> {
    ScoringModel::read(v)
}

/// A core model → the JSON object users edit and export (−∞ as null).
fn model_to_js(m: &ScoringModel) -> JsValue {
    json_to_js(&m.to_json())
}

// ---------------------------------------------------------------- reading customers

/// Customers as columns, plus the columns that could not be read (error kept for when a
/// model names them).
pub(crate) struct Customers {
    pub ids: Array,
    pub table: Table,
    pub bad: HashMap<String, Error>,
}

const SCORING_OPTION_KEYS: [&str; 3] = ["strict", "asOf", "lifetime"];

fn read_options(options: &JsValue) -> Result<ScoringOptions, Error> {
    let o = Options::new(options.clone(), &SCORING_OPTION_KEYS)?;
    Ok(ScoringOptions {
        strict: o.boolean("strict")?.unwrap_or(false),
        as_of: o.day("asOf")?,
    })
}

fn prop<T: JsCast>(o: &JsValue, key: &str) -> T {
    get(o, &key.into()).unchecked_into()
}

fn string_array(a: &Array) -> Vec<String> {
    a.iter()
        .map(|s| s.as_string().unwrap_or_default())
        .collect()
}

/// The precise error of a record the glue stopped at.
fn record_error(o: &JsValue, row: usize, ids: &Array) -> Error {
    if let Err(e) = convert::object_row(o, row, "customer") {
        return e;
    }
    let id = get(o, &"customerId".into());
    if let Err(e) = convert::check_customer_id(&id, row) {
        return e;
    }
    let first = ids.index_of(&id, 0);
    if first >= 0 && (first as usize) < row {
        return Error::row_field(
            ErrorCode::InvalidCustomerId,
            row,
            "customerId",
            format!("duplicate customerId (also row {first}): each customer must appear once"),
        );
    }
    Error::new(ErrorCode::InvalidValue, "this customer could not be read").at_row(row)
}

fn bad_value_error(kind: &str, v: &JsValue, row: usize, field: &str) -> Error {
    let expected = match kind {
        "num" => "a finite number (like this field's earlier values)",
        "str" => "a string (like this field's earlier values)",
        "bool" => "a boolean (like this field's earlier values)",
        _ => "a number, string, boolean or Date",
    };
    Error::row_field(
        ErrorCode::InvalidValue,
        row,
        field,
        format!("{field} must be {expected}, got {}", type_of(v)),
    )
}

fn records(arr: &Array) -> Result<Customers, Error> {
    let x = extract_records(arr);
    let ids: Array = prop(&x, "ids");
    let bad = get(&x, &"bad".into()).as_f64().unwrap_or(-1.0);
    if bad >= 0.0 {
        let row = bad as usize;
        return Err(record_error(&arr.get(row as u32), row, &ids));
    }
    let n = arr.length() as usize;
    let mut table = Table {
        len: n,
        columns: HashMap::new(),
    };
    let mut bad_cols = HashMap::new();
    for c in prop::<Array>(&x, "columns").iter() {
        let name = get(&c, &"name".into()).as_string().unwrap_or_default();
        let kind = get(&c, &"kind".into()).as_string().unwrap_or_default();
        let bad_row = get(&c, &"badRow".into()).as_f64().unwrap_or(-1.0);
        if bad_row >= 0.0 {
            let row = bad_row as usize;
            let v = get(&arr.get(row as u32), &name.as_str().into());
            bad_cols.insert(name.clone(), bad_value_error(&kind, &v, row, &name));
            continue;
        }
        let col = match kind.as_str() {
            "num" => Column::Num(prop::<Float64Array>(&c, "data").to_vec()),
            "str" => Column::Str {
                codes: prop::<Uint32Array>(&c, "data").to_vec(),
                dict: string_array(&prop::<Array>(&c, "dict")),
            },
            _ => Column::Bool(
                prop::<Uint8Array>(&c, "data")
                    .to_vec()
                    .into_iter()
                    .map(|b| (b < 2).then_some(b == 1))
                    .collect(),
            ),
        };
        table.columns.insert(name, col);
    }
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers to score").field("customers"));
    }
    Ok(Customers {
        ids,
        table,
        bad: bad_cols,
    })
}

fn columnar(v: &JsValue) -> Result<Customers, Error> {
    object_plain(v, &["customerIds", "columns"])?;
    let cols = get(v, &"columns".into());
    if !is_object(&cols) || js_sys::ArrayBuffer::is_view(&cols) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "columns must be an object of arrays, got {}",
                type_of(&cols)
            ),
        )
        .field("columns"));
    }
    let mut len: Option<(usize, String)> = None;
    let mut table = Table::default();
    let mut bad = HashMap::new();
    for e in Object::entries(cols.unchecked_ref::<Object>()).iter() {
        let e = Array::from(&e);
        let name = e.get(0).as_string().unwrap_or_default();
        let data = e.get(1);
        let path = format!("columns.{name}");
        let col = if let Some(a) = data.dyn_ref::<Float64Array>() {
            Column::Num(a.to_vec())
        } else if data.is_instance_of::<js_sys::Float32Array>()
            || data.is_instance_of::<Int32Array>()
            || data.is_instance_of::<Uint32Array>()
            || data.is_instance_of::<Uint8Array>()
            || data.is_instance_of::<js_sys::Int16Array>()
            || data.is_instance_of::<js_sys::Uint16Array>()
            || data.is_instance_of::<js_sys::Int8Array>()
        {
            Column::Num(Float64Array::new(&data).to_vec())
        } else if is_object(&data) && Array::is_array(&get(&data, &"labels".into())) {
            coded_column(&data, &path)?
        } else if Array::is_array(&data) {
            let arr = Array::from(&data);
            // Reuse the record reader's typing: one pseudo-record column.
            let rows = Array::new_with_length(arr.length());
            for (i, x) in arr.iter().enumerate() {
                let o = Object::new();
                set(&o, "customerId", &(i as f64).into());
                set(&o, "v", &x);
                rows.set(i as u32, o.into());
            }
            let mut c = records(&rows)?;
            if let Some(mut e) = c.bad.remove("v") {
                e.field = Some(path.clone());
                e.detail = e.detail.replacen("v must", &format!("{path} must"), 1);
                bad.insert(name.clone(), e);
                continue;
            }
            c.table
                .columns
                .remove("v")
                .unwrap_or(Column::Num(vec![f64::NAN; arr.length() as usize]))
        } else {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "{path} must be a typed array or an array, got {}",
                    type_of(&data)
                ),
            )
            .field(path));
        };
        match &len {
            None => len = Some((col.len(), name.clone())),
            Some((l, first)) if *l != col.len() => {
                return Err(Error::new(
                    ErrorCode::LengthMismatch,
                    format!(
                        "columns {first} and {name} differ in length ({l} vs {})",
                        col.len()
                    ),
                )
                .field(path));
            }
            _ => {}
        }
        table.columns.insert(name, col);
    }
    let n = len.map_or(0, |l| l.0);
    table.len = n;
    let ids_v = get(v, &"customerIds".into());
    let ids = if is_missing(&ids_v) {
        (0..n).map(|i| JsValue::from(i as f64)).collect::<Array>()
    } else {
        let a = Array::from(&ids_v);
        if a.length() as usize != n {
            return Err(Error::new(
                ErrorCode::LengthMismatch,
                format!("customerIds has {} entries for {n} rows", a.length()),
            )
            .field("customerIds"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, id) in a.iter().enumerate() {
            convert::check_customer_id(&id, i)?;
            let key = id
                .as_string()
                .unwrap_or_else(|| format!("\u{0}{}", id.as_f64().unwrap_or(0.0)));
            if !seen.insert(key) {
                return Err(Error::row_field(
                    ErrorCode::InvalidCustomerId,
                    i,
                    "customerId",
                    "duplicate customerId: each customer must appear once",
                ));
            }
        }
        a
    };
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers to score").field("columns"));
    }
    Ok(Customers { ids, table, bad })
}

/// A text column given as `{ codes, labels }` (`CodedText`: row i is `labels[codes[i]]`,
/// codes in a Uint8Array / Uint16Array / Uint32Array, labels strings or null): a few distinct
/// values for a million customers without a million strings (or a million strings posted to
/// a worker).
fn coded_column(v: &JsValue, path: &str) -> Result<Column, Error> {
    let codes_v = get(v, &"codes".into());
    let codes: Vec<u32> = if let Some(a) = codes_v.dyn_ref::<Uint8Array>() {
        a.to_vec().into_iter().map(u32::from).collect()
    } else if let Some(a) = codes_v.dyn_ref::<js_sys::Uint16Array>() {
        a.to_vec().into_iter().map(u32::from).collect()
    } else if let Some(a) = codes_v.dyn_ref::<Uint32Array>() {
        a.to_vec()
    } else {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "{path}.codes must be a Uint8Array, Uint16Array or Uint32Array, got {}",
                type_of(&codes_v)
            ),
        )
        .field(format!("{path}.codes")));
    };
    let labels_v = Array::from(&get(v, &"labels".into()));
    let mut labels = Vec::with_capacity(labels_v.length() as usize);
    for (k, l) in labels_v.iter().enumerate() {
        if is_missing(&l) {
            labels.push(None);
        } else if let Some(s) = l.as_string() {
            labels.push(Some(s));
        } else {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "{path}.labels[{k}] must be a string or null, got {}",
                    type_of(&l)
                ),
            )
            .field(format!("{path}.labels")));
        }
    }
    Column::coded(&codes, &labels).map_err(|row| {
        Error::row_field(
            ErrorCode::InvalidValue,
            row,
            &format!("{path}.codes"),
            format!(
                "{path}.codes: code {} is not an index of its {} labels",
                codes[row],
                labels.len()
            ),
        )
    })
}

fn object_plain(v: &JsValue, known: &[&str]) -> Result<(), Error> {
    if js_sys::ArrayBuffer::is_view(v) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("customers must be an object, got {}", type_of(v)),
        )
        .field("customers"));
    }
    for k in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let k = k.as_string().unwrap_or_default();
        if !known.contains(&k.as_str()) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!("unknown key \"{k}\"; expected {}", known.join(", ")),
            )
            .field(k));
        }
    }
    Ok(())
}

/// Records, columns, or activity data → customers; errors name the customers table (or
/// the activity table they come from). `opts` is the options object (its `lifetime`),
/// `o` what `read_options` made of it.
pub(crate) fn read_customers(
    v: &JsValue,
    opts: &JsValue,
    o: &ScoringOptions,
) -> Result<Customers, Error> {
    read_customer_input(v, opts, o).map_err(|e| e.in_table(TableName::Customers))
}

fn read_customer_input(
    v: &JsValue,
    opts: &JsValue,
    o: &ScoringOptions,
) -> Result<Customers, Error> {
    if Array::is_array(v) {
        return records(&Array::from(v));
    }
    if is_object(v) && !is_missing(&get(v, &"orders".into())) {
        let lifetime = if is_missing(opts) {
            JsValue::UNDEFINED
        } else {
            get(opts, &"lifetime".into())
        };
        let typed =
            get(&get(v, &"orders".into()), &"customer".into()).is_instance_of::<Uint32Array>();
        if typed {
            return columnar_activity_customers(v, o.as_of, &lifetime);
        }
        if is_missing(&get(v, &"columns".into())) {
            return activity_customers(v, o.as_of, &lifetime);
        }
    }
    if is_object(v) && !is_missing(&get(v, &"columns".into())) {
        return columnar(v);
    }
    Err(Error::new(
        ErrorCode::InvalidValue,
        format!(
            "customers must be an array of records, {{ columns }} or {{ orders, … }}, got {}",
            type_of(v)
        ),
    )
    .field("customers"))
}

/// Activity data → the derived fields, plus every attribute of `data.customers` (a derived
/// field's name takes precedence over an attribute of the same name).
/// A `ColumnarActivity` (typed columns, as `classifyColumnar` takes): the derived fields (and
/// the lifetime fields), one row per entry of `customerIds`, plus the per-customer columns
/// of its `columns` object when given (a derived field of the same name wins).
fn columnar_activity_customers(
    v: &JsValue,
    as_of: Option<i32>,
    lifetime: &JsValue,
) -> Result<Customers, Error> {
    let (ids, buf) = super::classify::read_columnar(v)?;
    let n = ids.length() as usize;
    let a = buf.as_activity(Some(n), as_of);
    let mut table = crate::activity::derived_table(&a)?;
    if !is_missing(lifetime) {
        for (name, col) in super::btyd::lifetime_fields(lifetime, &a, n)? {
            table.columns.insert(name.to_string(), Column::Num(col));
        }
    }
    let mut bad = HashMap::new();
    let extra = get(v, &"columns".into());
    if !is_missing(&extra) {
        let plain = Object::new();
        let _ = js_sys::Reflect::set(&plain, &"customerIds".into(), &ids);
        let _ = js_sys::Reflect::set(&plain, &"columns".into(), &extra);
        let c = columnar(&plain.into())?;
        if c.table.len != n {
            return Err(Error::new(
                ErrorCode::LengthMismatch,
                format!("columns have {} rows, customerIds {n}", c.table.len),
            )
            .field("columns"));
        }
        bad = c
            .bad
            .into_iter()
            .filter(|(name, _)| !table.columns.contains_key(name))
            .collect();
        for (name, col) in c.table.columns {
            table.columns.entry(name).or_insert(col);
        }
    }
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers to score").field("customers"));
    }
    Ok(Customers { ids, table, bad })
}

fn activity_customers(
    v: &JsValue,
    as_of: Option<i32>,
    lifetime: &JsValue,
) -> Result<Customers, Error> {
    let r = super::activity::read_activity(v, as_of, false)?;
    let a = r.activity();
    let mut table = crate::activity::derived_table(&a)?;
    if !is_missing(lifetime) {
        for (name, col) in super::btyd::lifetime_fields(lifetime, &a, table.len)? {
            table.columns.insert(name.to_string(), Column::Num(col));
        }
    }
    let ids = r.ids.clone();
    let mut bad = HashMap::new();
    let attrs = get(v, &"customers".into());
    if Array::is_array(&attrs) && Array::from(&attrs).length() > 0 {
        // derived_table has checked the records and put them first, in order.
        let c = records(&Array::from(&attrs))?;
        let n = table.len;
        for (name, col) in c.table.columns {
            if table.columns.contains_key(&name) {
                continue;
            }
            let extra = n - col.len();
            let col = match col {
                Column::Num(mut v) => {
                    v.extend(std::iter::repeat_n(f64::NAN, extra));
                    Column::Num(v)
                }
                Column::Str { mut codes, dict } => {
                    codes.extend(std::iter::repeat_n(core::NO_STRING, extra));
                    Column::Str { codes, dict }
                }
                Column::Bool(mut v) => {
                    v.extend(std::iter::repeat_n(None, extra));
                    Column::Bool(v)
                }
            };
            table.columns.insert(name, col);
        }
        for (name, e) in c.bad {
            if !table.columns.contains_key(&name) {
                bad.insert(name, e);
            }
        }
    }
    if table.len == 0 {
        return Err(Error::new(ErrorCode::EmptyInput, "no customers to score").field("customers"));
    }
    Ok(Customers { ids, table, bad })
}

/// The fields a model reads.
fn model_fields(m: &ScoringModel) -> Vec<&str> {
    let mut f: Vec<&str> = m
        .indicators
        .iter()
        .map(|i| i.field.as_str())
        .chain(m.adjustments.iter().map(|a| a.field.as_str()))
        .collect();
    if let Some(d) = &m.decay {
        f.push(&d.field);
    }
    f
}

fn prepare(m: ScoringModel, c: &Customers, opts: ScoringOptions) -> Result<Prepared, Error> {
    for f in model_fields(&m) {
        if let Some(e) = c.bad.get(f) {
            return Err(e.clone());
        }
    }
    Prepared::new(m, &c.table, opts)
}

// ---------------------------------------------------------------- results

fn terms_js(m: &ScoringModel) -> Array {
    let arr = Array::new();
    for (id, field, kind) in m
        .indicators
        .iter()
        .map(|i| (&i.id, &i.field, "indicator"))
        .chain(
            m.adjustments
                .iter()
                .map(|a| (&a.id, &a.field, "adjustment")),
        )
    {
        let o = Object::new();
        set(&o, "id", &id.as_str().into());
        set(&o, "field", &field.as_str().into());
        set(&o, "kind", &kind.into());
        arr.push(&o);
    }
    arr
}

fn column_js(c: Option<&Column>) -> JsValue {
    let Some(c) = c else { return JsValue::NULL };
    let o = Object::new();
    match c {
        Column::Num(v) => {
            set(&o, "kind", &"num".into());
            set(&o, "data", &Float64Array::from(&v[..]).into());
        }
        Column::Str { codes, dict } => {
            set(&o, "kind", &"str".into());
            set(&o, "data", &Uint32Array::from(&codes[..]).into());
            set(
                &o,
                "dict",
                &dict
                    .iter()
                    .map(|s| JsValue::from(s.as_str()))
                    .collect::<Array>(),
            );
        }
        Column::Bool(v) => {
            set(&o, "kind", &"bool".into());
            let b: Vec<u8> = v.iter().map(|x| x.map_or(2, |b| b as u8)).collect();
            set(&o, "data", &Uint8Array::from(&b[..]).into());
        }
    }
    o.into()
}

fn labels_js(m: &ScoringModel) -> Array {
    m.tiers
        .iter()
        .map(|t| JsValue::from(t.label.as_str()))
        .collect()
}

/// Explained results of customers `rows`.
fn explained(p: &Prepared, c: &Customers, w: &[f64], rows: &[u32]) -> Array {
    let m = &p.model;
    let t_count = m.indicators.len() + m.adjustments.len();
    let n = rows.len();
    let mut scores = Vec::with_capacity(n);
    let mut tiers = Vec::with_capacity(n);
    let mut points = Vec::with_capacity(n * t_count);
    let mut fractions = Vec::with_capacity(n * t_count);
    let mut to_next = Vec::with_capacity(n);
    let mut up_ind = vec![-1i32; n * 3];
    let mut up_gain = vec![f64::NAN; n * 3];
    let mut up_need = vec![f64::NAN; n * 3];
    let mut up_target = vec![f64::NAN; n * 3];
    let mut decay = Vec::with_capacity(n);
    let ex = p.explainer(&c.table, w);
    for (r, &i) in rows.iter().enumerate() {
        let e = ex.explain(i as usize);
        scores.push(e.score);
        tiers.push(e.tier as u8);
        for ct in &e.contributions {
            points.push(ct.points);
            fractions.push(ct.fraction.unwrap_or(f64::NAN));
        }
        to_next.push(e.points_to_next_tier.unwrap_or(f64::NAN));
        for (u, up) in e.upgrades.iter().enumerate() {
            up_ind[r * 3 + u] = up.indicator as i32;
            up_gain[r * 3 + u] = up.max_gain;
            up_need[r * 3 + u] = up.fraction_needed.unwrap_or(f64::NAN);
            up_target[r * 3 + u] = up.target_value.unwrap_or(f64::NAN);
        }
        decay.push(e.decay_factor);
    }
    let values: Array = model_fields_terms(m)
        .iter()
        .map(|f| column_js(c.table.columns.get(*f)))
        .collect();
    build_explained(
        &Uint32Array::from(rows),
        &c.ids,
        &labels_js(m),
        &terms_js(m),
        &values,
        &Float64Array::from(&scores[..]),
        &Uint8Array::from(&tiers[..]),
        &Float64Array::from(&points[..]),
        &Float64Array::from(&fractions[..]),
        &Float64Array::from(&to_next[..]),
        &Int32Array::from(&up_ind[..]),
        &Float64Array::from(&up_gain[..]),
        &Float64Array::from(&up_need[..]),
        &Float64Array::from(&up_target[..]),
        &Float64Array::from(&decay[..]),
    )
}

fn model_fields_terms(m: &ScoringModel) -> Vec<&str> {
    m.indicators
        .iter()
        .map(|i| i.field.as_str())
        .chain(m.adjustments.iter().map(|a| a.field.as_str()))
        .collect()
}

fn tier_summary(m: &ScoringModel, counts: &[u32], n: usize) -> Array {
    m.tiers
        .iter()
        .zip(counts)
        .map(|(t, &c)| {
            let o = Object::new();
            set(&o, "label", &t.label.as_str().into());
            set(
                &o,
                "min",
                &if t.min.is_finite() {
                    t.min.into()
                } else {
                    JsValue::NULL
                },
            );
            set(&o, "customers", &c.into());
            set(
                &o,
                "share",
                &(if n > 0 { c as f64 / n as f64 } else { 0.0 }).into(),
            );
            JsValue::from(o)
        })
        .collect()
}

fn result_js(p: &Prepared, c: &Customers, w: &[f64], counts: &[u32]) -> JsValue {
    let rows: Vec<u32> = (0..p.len as u32).collect();
    let o = Object::new();
    set(&o, "customers", &explained(p, c, w, &rows));
    set(&o, "tiers", &tier_summary(&p.model, counts, p.len));
    set(
        &o,
        "asOf",
        &p.as_of
            .map_or(JsValue::NULL, |d| crate::dates::format_day(d).into()),
    );
    o.into()
}

/// Score customers with a model (or a preset name): every customer's score, tier,
/// contributions and upgrade path, and the customers per tier.
#[wasm_bindgen(unchecked_return_type = "ScoreResult")]
pub fn score(
    #[wasm_bindgen(unchecked_param_type = "ScoringInput")] customers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ScoringModel | ScoringPreset")] model: JsValue,
    options: Option<ScoringOptionsArg>,
) -> Result<JsValue, JsValue> {
    let opts = super::optional(options);
    let (p, c) = js((|| {
        let o = read_options(&opts)?;
        let m = read_model(&model)?;
        let c = read_customers(&customers, &opts, &o)?;
        Ok((prepare(m, &c, o)?, c))
    })())?;
    let (_, _, counts) = p.score_all();
    Ok(result_js(&p, &c, &p.weights(), &counts))
}

/// Check a model (or preset name); throws a `CrmScoreError` (code "invalid_model", field = JSON path).
#[wasm_bindgen(js_name = validateModel)]
pub fn validate_model(
    #[wasm_bindgen(unchecked_param_type = "ScoringModel | ScoringPreset")] model: JsValue,
) -> Result<(), JsValue> {
    js(read_model(&model)).map(|_| ())
}

/// A preset as an editable model object.
#[wasm_bindgen(js_name = scoringPreset, unchecked_return_type = "ScoringModel")]
pub fn scoring_preset(
    #[wasm_bindgen(unchecked_param_type = "ScoringPreset")] name: &str,
) -> Result<JsValue, JsValue> {
    let m = js(read_model(&name.into()))?;
    Ok(model_to_js(&m))
}

/// Keeps the customers' columns in wasm memory: a weight change re-scores in one pass.
#[wasm_bindgen]
pub struct Scorer {
    customers: Customers,
    prepared: Prepared,
    opts: ScoringOptions,
    weights: Vec<f64>,
    tiers: Vec<u8>,
    counts: Vec<u32>,
    /// Scores for `scoresInto`, kept between calls (allocated on its first use).
    scratch: Vec<f64>,
}

/// `out` must have one element per customer.
fn check_out(len: u32, n: usize) -> Result<(), Error> {
    if len as usize != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("out has {len} elements; the Scorer has {n} customers"),
        )
        .field("out"));
    }
    Ok(())
}

impl Scorer {
    fn rescore(&mut self) {
        self.counts = vec![0; self.prepared.model.tiers.len()];
        self.prepared
            .run(&self.weights, &mut self.tiers, &mut self.counts);
    }
}

#[wasm_bindgen]
impl Scorer {
    /// Read the customers (records, columns or activity data), validate the model and score.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ScoringInput")] customers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoringModel | ScoringPreset")] model: JsValue,
        options: Option<ScoringOptionsArg>,
    ) -> Result<Scorer, JsValue> {
        let opts_v = super::optional(options);
        js((|| {
            let opts = read_options(&opts_v)?;
            let m = read_model(&model)?;
            let customers = read_customers(&customers, &opts_v, &opts)?;
            let prepared = prepare(m, &customers, opts)?;
            let n = prepared.len;
            let mut s = Scorer {
                weights: prepared.weights(),
                customers,
                prepared,
                opts,
                tiers: vec![0; n],
                counts: Vec::new(),
                scratch: Vec::new(),
            };
            s.rescore();
            Ok(s)
        })())
    }

    /// Validate and switch to another model (the customers stay); on error nothing changes.
    #[wasm_bindgen(js_name = setModel)]
    pub fn set_model(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ScoringModel | ScoringPreset")] model: JsValue,
    ) -> Result<(), JsValue> {
        let p = js(read_model(&model).and_then(|m| prepare(m, &self.customers, self.opts)))?;
        self.weights = p.weights();
        self.prepared = p;
        self.rescore();
        Ok(())
    }

    /// Same model, new weights (points at full marks, in indicator order); re-scores at once.
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(&mut self, weights: &Float64Array) -> Result<(), JsValue> {
        let n = self.prepared.model.indicators.len();
        if weights.length() as usize == n && n <= 64 {
            let mut w = [0.0f64; 64];
            weights.copy_to(&mut w[..n]);
            js(self.prepared.check_weights(&w[..n]))?;
            self.weights.copy_from_slice(&w[..n]);
        } else {
            let w = weights.to_vec();
            js(self.prepared.check_weights(&w))?;
            self.weights = w;
        }
        self.prepared
            .run(&self.weights, &mut self.tiers, &mut self.counts);
        Ok(())
    }

    /// The current weights, in indicator order.
    pub fn weights(&self) -> Float64Array {
        Float64Array::from(&self.weights[..])
    }

    /// One score per customer, in input order (computed on request: `setWeights` only
    /// keeps tiers and counts).
    pub fn scores(&self) -> Float64Array {
        let mut s = vec![0.0; self.prepared.len];
        self.prepared.scores_into(&self.weights, &mut s);
        Float64Array::from(&s[..])
    }

    /// One tier index per customer (into `tierLabels()` / model.tiers; 0 = top).
    pub fn tiers(&self) -> Uint8Array {
        Uint8Array::from(&self.tiers[..])
    }

    /// `tiers()` written into `out` (one element per customer): re-tiering after a weight
    /// change then allocates nothing, in wasm or in JS.
    #[wasm_bindgen(js_name = tiersInto)]
    pub fn tiers_into(&self, out: &Uint8Array) -> Result<(), JsValue> {
        js(check_out(out.length(), self.tiers.len()))?;
        out.copy_from(&self.tiers);
        Ok(())
    }

    /// `scores()` written into `out` (one element per customer), through a buffer the
    /// Scorer keeps: nothing is allocated per call after the first.
    #[wasm_bindgen(js_name = scoresInto)]
    pub fn scores_into(&mut self, out: &Float64Array) -> Result<(), JsValue> {
        js(check_out(out.length(), self.prepared.len))?;
        self.scratch.resize(self.prepared.len, 0.0);
        self.prepared.scores_into(&self.weights, &mut self.scratch);
        out.copy_from(&self.scratch);
        Ok(())
    }

    /// Customers per tier, in model.tiers order.
    #[wasm_bindgen(js_name = tierCounts)]
    pub fn tier_counts(&self) -> Uint32Array {
        Uint32Array::from(&self.counts[..])
    }

    /// The tier labels, top first.
    #[wasm_bindgen(js_name = tierLabels, unchecked_return_type = "string[]")]
    pub fn tier_labels(&self) -> Array {
        labels_js(&self.prepared.model)
    }

    /// The number of customers.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.prepared.len
    }

    /// The customer ids, in input order.
    #[wasm_bindgen(js_name = customerIds, unchecked_return_type = "(string | number)[]")]
    pub fn customer_ids(&self) -> Array {
        self.customers.ids.clone()
    }

    /// The current model (with the current weights), as an object to export.
    #[wasm_bindgen(unchecked_return_type = "ScoringModel")]
    pub fn model(&self) -> JsValue {
        let mut m = self.prepared.model.clone();
        for (i, w) in m.indicators.iter_mut().zip(&self.weights) {
            i.weight = *w;
        }
        model_to_js(&m)
    }

    /// Score, tier, contributions and upgrade path of customer `index` (input order).
    #[wasm_bindgen(unchecked_return_type = "ScoredCustomer")]
    pub fn explain(&self, index: f64) -> Result<JsValue, JsValue> {
        let n = self.prepared.len;
        if !(index.fract() == 0.0 && index >= 0.0 && (index as usize) < n) {
            return Err(super::to_js_error(
                &Error::new(
                    ErrorCode::InvalidValue,
                    format!(
                        "index must be an integer in 0..{n}, got {}",
                        describe_number(index)
                    ),
                )
                .field("index"),
            ));
        }
        Ok(explained(
            &self.prepared,
            &self.customers,
            &self.weights,
            &[index as u32],
        )
        .get(0))
    }

    /// Everything `score()` returns, for the current model and weights.
    #[wasm_bindgen(unchecked_return_type = "ScoreResult")]
    pub fn result(&self) -> JsValue {
        result_js(&self.prepared, &self.customers, &self.weights, &self.counts)
    }
}

// ---------------------------------------------------------------- snapshots and economics

#[derive(Hash, PartialEq, Eq)]
enum Key {
    S(String),
    N(u64),
}

fn key_of(v: &JsValue) -> Key {
    match v.as_string() {
        Some(s) => Key::S(s),
        None => Key::N(v.as_f64().unwrap_or(0.0).to_bits()),
    }
}

/// A tier label as given: a string or a finite number.
fn tier_value(o: &JsValue, row: usize, field: &str) -> Result<JsValue, Error> {
    let t = get(o, &"tier".into());
    if t.as_string().is_some_and(|s| !s.is_empty()) || t.as_f64().is_some_and(f64::is_finite) {
        return Ok(t);
    }
    let code = if is_missing(&t) {
        ErrorCode::MissingField
    } else {
        ErrorCode::InvalidValue
    };
    Err(Error::row_field(
        code,
        row,
        field,
        format!(
            "tier must be a label (string) or a tier index (number), got {}",
            type_of(&t)
        ),
    ))
}

struct Snapshot {
    rows: Vec<(u32, Key)>,
}

fn read_snapshot(
    v: &JsValue,
    which: &str,
    ids: &mut HashMap<Key, u32>,
    id_vals: &mut Vec<JsValue>,
) -> Result<Snapshot, Error> {
    let arr = convert::rows(v, which)?;
    let mut rows = Vec::with_capacity(arr.length() as usize);
    for (i, o) in arr.iter().enumerate() {
        if !is_object(&o) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!("each {which} row must be an object, got {}", type_of(&o)),
            )
            .at_row(i)
            .field(which));
        }
        let id = get(&o, &"customerId".into());
        convert::check_customer_id(&id, i).map_err(|e| e.field(format!("{which}.customerId")))?;
        let t = tier_value(&o, i, &format!("{which}.tier"))?;
        let next = ids.len() as u32;
        let k = *ids.entry(key_of(&id)).or_insert_with(|| {
            id_vals.push(id.clone());
            next
        });
        rows.push((k, key_of(&t)));
    }
    Ok(Snapshot { rows })
}

fn compare_impl(before: &JsValue, after: &JsValue, options: &JsValue) -> Result<JsValue, Error> {
    let o = Options::new(options.clone(), &["order"])?;
    let mut ids = HashMap::new();
    let mut id_vals = Vec::new();
    let b = read_snapshot(before, "before", &mut ids, &mut id_vals)?;
    let a = read_snapshot(after, "after", &mut ids, &mut id_vals)?;
    // Tier ranks: the given order, or numbers ascending / strings in code-point order.
    let order_v = o.get("order");
    let mut labels: Vec<JsValue> = Vec::new();
    let mut rank: HashMap<Key, u32> = HashMap::new();
    if !is_missing(&order_v) {
        if !Array::is_array(&order_v) {
            return Err(Error::option(
                "order",
                format!(
                    "order must be an array of tier labels, got {}",
                    type_of(&order_v)
                ),
            ));
        }
        for (k, l) in Array::from(&order_v).iter().enumerate() {
            if rank.insert(key_of(&l), k as u32).is_some() {
                return Err(Error::option(
                    format!("order[{k}]"),
                    "a tier is listed twice",
                ));
            }
            labels.push(l);
        }
        for (which, s) in [("before", &b), ("after", &a)] {
            if let Some(row) = s.rows.iter().position(|(_, t)| !rank.contains_key(t)) {
                return Err(Error::row_field(
                    ErrorCode::InvalidValue,
                    row,
                    &format!("{which}.tier"),
                    "this tier is not in options.order",
                ));
            }
        }
    } else {
        let mut strs: Vec<String> = Vec::new();
        let mut nums: Vec<f64> = Vec::new();
        for (_, t) in b.rows.iter().chain(&a.rows) {
            match t {
                Key::S(s) => strs.push(s.clone()),
                Key::N(bits) => nums.push(f64::from_bits(*bits)),
            }
        }
        if !strs.is_empty() && !nums.is_empty() {
            return Err(Error::option(
                "order",
                "the snapshots mix tier labels and tier indices; pass options.order",
            ));
        }
        strs.sort();
        strs.dedup();
        crate::sort::sort_f64(&mut nums);
        nums.dedup();
        for s in strs {
            rank.insert(Key::S(s.clone()), labels.len() as u32);
            labels.push(s.into());
        }
        for x in nums {
            rank.insert(Key::N(x.to_bits()), labels.len() as u32);
            labels.push(x.into());
        }
    }
    let ranked = |s: &Snapshot| {
        s.rows
            .iter()
            .map(|(id, t)| (*id, rank[t]))
            .collect::<Vec<_>>()
    };
    let (rb, ra) = (ranked(&b), ranked(&a));
    let t = crate::tiers::compare(&rb, &ra, ids.len(), labels.len().max(1))?;
    let id_list = |rows: &[usize], snap: &[(u32, u32)]| -> Array {
        rows.iter()
            .map(|&r| id_vals[snap[r].0 as usize].clone())
            .collect()
    };
    let o = Object::new();
    let matrix: Array = t
        .matrix
        .iter()
        .map(|&(f, to, c)| {
            let x = Object::new();
            set(&x, "from", &labels[f as usize]);
            set(&x, "to", &labels[to as usize]);
            set(&x, "customers", &c.into());
            JsValue::from(x)
        })
        .collect();
    set(&o, "matrix", &matrix);
    set(&o, "upgraded", &id_list(&t.upgraded, &ra));
    set(&o, "downgraded", &id_list(&t.downgraded, &ra));
    set(&o, "entered", &id_list(&t.entered, &ra));
    set(&o, "left", &id_list(&t.left, &rb));
    set(&o, "unchanged", &(t.unchanged as f64).into());
    Ok(o.into())
}

/// Tier transitions between two snapshots of `{ customerId, tier }` (e.g. last month's and
/// this month's `score()` customers): the from → to matrix, who moved up or down, who
/// entered and who left.
#[wasm_bindgen(js_name = compareTiers, unchecked_return_type = "TierTransitions")]
pub fn compare_tiers(
    #[wasm_bindgen(
        unchecked_param_type = "{ customerId: string | number; tier: string | number }[]"
    )]
    before: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ customerId: string | number; tier: string | number }[]"
    )]
    after: JsValue,
    options: Option<CompareTiersOptionsArg>,
) -> Result<JsValue, JsValue> {
    js(compare_impl(&before, &after, &super::optional(options)))
}

fn economics_impl(
    result: &JsValue,
    revenue_field: &str,
    options: &JsValue,
) -> Result<JsValue, Error> {
    let o = Options::new(options.clone(), &["costPerCustomer"])?;
    let rows = if Array::is_array(result) {
        Array::from(result)
    } else {
        convert::rows(&get(result, &"customers".into()), "result.customers")?
    };
    // Tier order: the result's tier summary when present, else first seen.
    let mut labels: Vec<String> = Vec::new();
    let summary = if Array::is_array(result) {
        JsValue::UNDEFINED
    } else {
        get(result, &"tiers".into())
    };
    if Array::is_array(&summary) {
        for t in Array::from(&summary).iter() {
            if let Some(l) = get(&t, &"label".into()).as_string() {
                labels.push(l);
            }
        }
    }
    let rf: JsValue = revenue_field.into();
    let mut tier = Vec::with_capacity(rows.length() as usize);
    let mut revenue = Vec::with_capacity(rows.length() as usize);
    for (i, o) in rows.iter().enumerate() {
        let t = get(&o, &"tier".into());
        let label = t.as_string().ok_or_else(|| {
            Error::row_field(
                ErrorCode::MissingField,
                i,
                "tier",
                format!("each customer needs its tier label, got {}", type_of(&t)),
            )
        })?;
        let k = match labels.iter().position(|l| *l == label) {
            Some(k) => k,
            None => {
                labels.push(label);
                labels.len() - 1
            }
        };
        tier.push(k as u32);
        let mut r = get(&o, &rf);
        if is_missing(&r) {
            let contributions = get(&o, &"contributions".into());
            if Array::is_array(&contributions) {
                if let Some(c) = Array::from(&contributions)
                    .iter()
                    .find(|c| get(c, &"field".into()).as_string().as_deref() == Some(revenue_field))
                {
                    r = get(&c, &"value".into());
                }
            }
        }
        match r.as_f64() {
            Some(x) => revenue.push(x),
            None => {
                return Err(Error::row_field(
                    if is_missing(&r) { ErrorCode::MissingField } else { ErrorCode::InvalidAmount },
                    i,
                    revenue_field,
                    format!(
                        "no number for {revenue_field}: give customers that carry it, or name a field the model reads (got {})",
                        type_of(&r)
                    ),
                ))
            }
        }
    }
    let costs_v = o.get("costPerCustomer");
    if !is_object(&costs_v) {
        return Err(Error::option(
            "costPerCustomer",
            format!(
                "costPerCustomer must be an object {{ tierLabel: cost }}, got {}",
                type_of(&costs_v)
            ),
        ));
    }
    let mut costs = Vec::with_capacity(labels.len());
    for l in &labels {
        let c = get(&costs_v, &l.as_str().into());
        match c.as_f64() {
            Some(x) if x.is_finite() && x >= 0.0 => costs.push(x),
            _ => {
                return Err(Error::option(
                    format!("costPerCustomer.{l}"),
                    format!(
                        "costPerCustomer needs a finite cost >= 0 for tier \"{l}\", got {}",
                        type_of(&c)
                    ),
                ))
            }
        }
    }
    let table = crate::tiers::economics(&tier, &revenue, &costs, revenue_field)?;
    let out = Array::new();
    let (mut tc, mut tr, mut tcost) = (0u32, 0.0, 0.0);
    for (l, row) in labels.iter().zip(&table) {
        let x = Object::new();
        set(&x, "tier", &l.as_str().into());
        set(&x, "customers", &row.customers.into());
        set(&x, "revenue", &row.revenue.into());
        set(&x, "cost", &row.cost.into());
        set(&x, "margin", &row.margin.into());
        set(&x, "revenueShare", &row.revenue_share.into());
        set(&x, "customerShare", &row.customer_share.into());
        set(&x, "revenuePerCustomer", &row.revenue_per_customer.into());
        set(&x, "marginPerCustomer", &row.margin_per_customer.into());
        out.push(&x);
        tc += row.customers;
        tr += row.revenue;
        tcost += row.cost;
    }
    let total = Object::new();
    set(&total, "customers", &tc.into());
    set(&total, "revenue", &tr.into());
    set(&total, "cost", &tcost.into());
    set(&total, "margin", &(tr - tcost).into());
    let o = Object::new();
    set(&o, "tiers", &out);
    set(&o, "total", &total);
    Ok(o.into())
}

/// Cost–benefit per tier: customers, revenue, service cost, margin and shares. `result` is
/// what `score()` returns (or its `customers`); revenue is read from each customer's
/// `revenueField`, or from the contribution of the indicator that reads that field.
#[wasm_bindgen(js_name = tierEconomics, unchecked_return_type = "TierEconomics")]
pub fn tier_economics(
    #[wasm_bindgen(
        unchecked_param_type = "ScoreResult | { tier: string; [field: string]: unknown }[]"
    )]
    result: JsValue,
    #[wasm_bindgen(js_name = revenueField)] revenue_field: &str,
    #[wasm_bindgen(unchecked_param_type = "TierEconomicsOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    js(economics_impl(&result, revenue_field, &options))
}
