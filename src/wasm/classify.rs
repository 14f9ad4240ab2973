//! `classify`, `classifyColumnar` and `crossTab`: the binding of `crate::classify` and
//! `crate::crosstab`. Reading reuses the activity reader of `deriveFields` (records) or
//! takes typed columns as they are; the result objects are built by `classify_glue.js`
//! from typed columns and flat arrays.

use super::activity::read_activity;
use super::convert;
use super::error::js;
use crate::activity::{Activity, InteractionKind, OrderStatus, PaymentStatus};
use crate::classify::{
    self as core, ChurnReason, ChurnRisk, Classification, ClassifyOptions, Contacts, EvidenceValue,
    FlagCode, LeadStage, Lifecycle, Loyalty, ValueClass,
};
use crate::columns::{
    ActivityBuffer, InteractionColumns, OrderColumns, PaymentColumns, ReturnColumns, StrColumn,
};
use crate::crosstab;
use crate::dates;
use crate::error::{Error, ErrorCode, TableName};
use crate::options::Options;
use js_sys::{
    Array, Float64Array, Int32Array, Object, Reflect, Uint16Array, Uint32Array, Uint8Array,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ClassifyOptions")]
    pub type ClassifyOptionsArg;
    #[wasm_bindgen(typescript_type = "CrossTabOptions")]
    pub type CrossTabOptionsArg;
}

#[wasm_bindgen(module = "/src/wasm/classify_glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = buildClassification)]
    fn build_classification(
        ids: &Array,
        cls: &Array,
        names: &Array,
        flag_off: &Uint32Array,
        flag_code: &Uint8Array,
        reasons: &Array,
        ev_off: &Uint32Array,
        ev_keys: &Array,
        ev_vals: &Array,
        revenue: &Float64Array,
    ) -> Array;
    #[wasm_bindgen(js_name = packIds)]
    fn pack_ids(ids: &Array) -> Object;
    #[wasm_bindgen(js_name = checkIds)]
    fn check_ids(ids: &Array) -> i32;
    #[wasm_bindgen(js_name = readCrossTab)]
    fn read_cross_tab(
        rows: &JsValue,
        customers: &JsValue,
        attribute: &str,
        class_keys: &Array,
        extra: &Array,
    ) -> Object;
    #[wasm_bindgen(js_name = buildCrossTab)]
    fn build_cross_tab(
        attribute: &str,
        dims: &Array,
        labels: &Array,
        row_values: &Array,
        cells: &Float64Array,
        width: u32,
    ) -> JsValue;
}

// ---------------------------------------------------------------------------------------
// Options.

/// `options` → the core options (validated) and `asOf`.
fn read_options(options: &JsValue) -> Result<(ClassifyOptions, Option<i32>), Error> {
    let o = Options::new(
        options.clone(),
        &ClassifyOptions::option_keys(&["asOf", "pAliveModel"]),
    )?;
    let as_of = o.day("asOf")?;
    Ok((ClassifyOptions::read(&o)?, as_of))
}

/// P(alive) per customer from `options.pAliveModel`, when given.
fn p_alive(options: &JsValue, a: &Activity, n: usize) -> Result<Option<Vec<f64>>, Error> {
    let m = if convert::is_missing(options) {
        JsValue::UNDEFINED
    } else {
        convert::get(options, &"pAliveModel".into())
    };
    if convert::is_missing(&m) {
        return Ok(None);
    }
    let (model, unit) = super::btyd::model_option(&m, "pAliveModel")?;
    crate::btyd::p_alive_per_customer(&model, unit, a, n).map(Some)
}

// ---------------------------------------------------------------------------------------
// Result.

fn names<'a>(xs: impl IntoIterator<Item = &'a str>) -> Array {
    xs.into_iter().map(JsValue::from_str).collect()
}

fn id_label(ids: &Array, j: usize) -> String {
    let v = ids.get(j as u32);
    v.as_string()
        .or_else(|| v.as_f64().map(|x| x.to_string()))
        .unwrap_or_default()
}

/// Customers named in evidence: the caller's ids, with their type.
fn id_values(ids: &Array, list: &[u32]) -> JsValue {
    list.iter().map(|&j| ids.get(j)).collect::<Array>().into()
}

fn summary_object(s: &core::Summary) -> Object {
    let o = Object::new();
    let set = |o: &Object, k: &str, v: JsValue| {
        let _ = Reflect::set(o, &k.into(), &v);
    };
    let counts = |names: &[&str], xs: &[usize]| -> Object {
        let m = Object::new();
        for (n, x) in names.iter().zip(xs) {
            let _ = Reflect::set(&m, &(*n).into(), &(*x as f64).into());
        }
        m
    };
    set(
        &o,
        "lifecycle",
        counts(
            &Lifecycle::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.lifecycle,
        )
        .into(),
    );
    set(
        &o,
        "leadStage",
        counts(
            &LeadStage::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.lead_stage,
        )
        .into(),
    );
    set(
        &o,
        "valueClass",
        counts(
            &ValueClass::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.value_class,
        )
        .into(),
    );
    set(
        &o,
        "loyalty",
        counts(
            &Loyalty::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.loyalty,
        )
        .into(),
    );
    set(
        &o,
        "churnRisk",
        counts(
            &ChurnRisk::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.churn_risk,
        )
        .into(),
    );
    set(&o, "junk", (s.junk as f64).into());
    set(
        &o,
        "flags",
        counts(
            &FlagCode::ALL.iter().map(|x| x.name()).collect::<Vec<_>>(),
            &s.flags,
        )
        .into(),
    );
    o
}

fn to_js_result(ids: &Array, mut c: Classification) -> Result<JsValue, Error> {
    let n = c.customers.len();
    if ids.length() as usize != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("{} customer ids for {n} customers", ids.length()),
        ));
    }
    let customers = customer_objects(ids, ids, &mut c.customers, &c.revenue);
    let out = Object::new();
    let _ = Reflect::set(&out, &"asOf".into(), &as_of_js(c.as_of));
    let _ = Reflect::set(&out, &"customers".into(), &customers);
    let _ = Reflect::set(&out, &"summary".into(), &summary_object(&c.summary).into());
    Ok(out.into())
}

fn as_of_js(d: Option<i32>) -> JsValue {
    d.map_or(JsValue::NULL, |d| JsValue::from_str(&dates::format_day(d)))
}

/// The class names of every code column, in code order.
fn class_names() -> [Array; 8] {
    [
        names(Lifecycle::ALL.iter().map(|x| x.name())),
        names(LeadStage::ALL.iter().map(|x| x.name())),
        names(ValueClass::ALL.iter().map(|x| x.name())),
        names(Loyalty::ALL.iter().map(|x| x.name())),
        names(ChurnRisk::ALL.iter().map(|x| x.name())),
        names(ChurnReason::ALL.iter().map(|x| x.name())),
        names(FlagCode::ALL.iter().map(|x| x.name())),
        names(FlagCode::ALL.iter().map(|x| x.severity().name())),
    ]
}

/// One result object per customer (`classify`'s `customers`): `row_ids[k]` is the id of
/// `customers[k]`; `ids` (all customers, by index) names the customers in evidence.
#[inline(never)]
fn customer_objects(
    ids: &Array,
    row_ids: &Array,
    customers: &mut [core::CustomerClass],
    revenue: &[f64],
) -> Array {
    let n = customers.len();
    let mut cls: [Vec<u8>; 7] = Default::default();
    for v in cls.iter_mut() {
        v.reserve_exact(n);
    }
    let mut flag_off = Vec::with_capacity(n + 1);
    let mut flag_code = Vec::new();
    let reasons = Array::new();
    let mut ev_off = vec![0u32];
    let ev_keys = Array::new();
    let ev_vals = Array::new();
    let mut key_cache: Vec<(&str, JsValue)> = Vec::new();
    flag_off.push(0u32);
    for cc in customers.iter_mut() {
        cls[0].push(cc.lifecycle as u8);
        cls[1].push(cc.lead_stage as u8);
        cls[2].push(cc.value_class as u8);
        cls[3].push(cc.loyalty as u8);
        cls[4].push(cc.churn_risk as u8);
        cls[5].push(cc.junk as u8);
        cls[6].push(
            cc.churn_reasons
                .iter()
                .fold(0u8, |b, r| b | (1 << (*r as u8))),
        );
        for f in cc.flags.iter_mut() {
            flag_code.push(f.code as u8);
            if f.code == FlagCode::DuplicateContact {
                f.reason = core::duplicate_contact_reason(f, |j| id_label(ids, j as usize));
            }
            reasons.push(&JsValue::from_str(&f.reason));
            for (k, v) in &f.evidence {
                // Few distinct keys: one JS string each.
                let key = match key_cache.iter().find(|(s, _)| s == k) {
                    Some((_, js)) => js.clone(),
                    None => {
                        let js = JsValue::from_str(k);
                        key_cache.push((k, js.clone()));
                        js
                    }
                };
                ev_keys.push(&key);
                ev_vals.push(&match v {
                    EvidenceValue::Num(x) => JsValue::from_f64(*x),
                    EvidenceValue::Str(s) => JsValue::from_str(s),
                    EvidenceValue::Customers(list) => id_values(ids, list),
                });
            }
            ev_off.push(ev_keys.length());
        }
        flag_off.push(flag_code.len() as u32);
    }
    let cls_js: Array = cls
        .iter()
        .map(|v| JsValue::from(Uint8Array::from(&v[..])))
        .collect();
    let name_lists: Array = class_names().iter().map(JsValue::from).collect();
    build_classification(
        row_ids,
        &cls_js,
        &name_lists,
        &Uint32Array::from(&flag_off[..]),
        &Uint8Array::from(&flag_code[..]),
        &reasons,
        &Uint32Array::from(&ev_off[..]),
        &ev_keys,
        &ev_vals,
        &Float64Array::from(revenue),
    )
}

/// `classifyColumnar`'s result: the code columns, their labels, revenue and the summary.
#[inline(never)]
fn columns_object(c: &core::ClassColumns) -> Object {
    let o = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&o, &k.into(), v);
    };
    set("asOf", &as_of_js(c.as_of));
    set("lifecycle", &Uint8Array::from(&c.lifecycle[..]).into());
    set("leadStage", &Uint8Array::from(&c.lead_stage[..]).into());
    set("valueClass", &Uint8Array::from(&c.value_class[..]).into());
    set("loyalty", &Uint8Array::from(&c.loyalty[..]).into());
    set("churnRisk", &Uint8Array::from(&c.churn_risk[..]).into());
    set("junk", &Uint8Array::from(&c.junk[..]).into());
    set("flags", &Uint16Array::from(&c.flags[..]).into());
    set(
        "churnReasons",
        &Uint8Array::from(&c.churn_reasons[..]).into(),
    );
    set("revenue", &Float64Array::from(&c.revenue[..]).into());
    let [lc, ls, vc, ly, cr, reasons, codes, severity] = class_names();
    let labels = Object::new();
    for (k, v) in [
        ("lifecycle", lc),
        ("leadStage", ls),
        ("valueClass", vc),
        ("loyalty", ly),
        ("churnRisk", cr),
        ("flags", codes),
        ("flagSeverity", severity),
        ("churnReasons", reasons),
    ] {
        let _ = Reflect::set(&labels, &k.into(), &v);
    }
    set("labels", &labels.into());
    set("summary", &summary_object(&c.summary).into());
    o
}

// ---------------------------------------------------------------------------------------
// Code tables: every enum's JavaScript spelling, in code order (one source for the glue,
// the demo, the tests and the benchmarks).

pub(crate) fn code_tables_object() -> Object {
    let o = Object::new();
    let lists: [(&str, Array); 11] = [
        ("orderStatus", names(OrderStatus::ALL.map(|x| x.name()))),
        (
            "interactionKind",
            names(InteractionKind::ALL.map(|x| x.name())),
        ),
        ("paymentStatus", names(PaymentStatus::ALL.map(|x| x.name()))),
        ("lifecycle", names(Lifecycle::ALL.iter().map(|x| x.name()))),
        ("leadStage", names(LeadStage::ALL.iter().map(|x| x.name()))),
        (
            "valueClass",
            names(ValueClass::ALL.iter().map(|x| x.name())),
        ),
        ("loyalty", names(Loyalty::ALL.iter().map(|x| x.name()))),
        ("churnRisk", names(ChurnRisk::ALL.iter().map(|x| x.name()))),
        (
            "churnReason",
            names(ChurnReason::ALL.iter().map(|x| x.name())),
        ),
        ("flagCode", names(FlagCode::ALL.iter().map(|x| x.name()))),
        (
            "flagSeverity",
            names(FlagCode::ALL.iter().map(|x| x.severity().name())),
        ),
    ];
    for (k, v) in lists {
        let _ = Reflect::set(&o, &k.into(), &v);
    }
    o
}

/// The code tables of the columnar API and the classes: for each, the names in code order
/// (`orderStatus[2]` is "cancelled"; `flagSeverity[k]` is the severity of `flagCode[k]`).
#[wasm_bindgen(js_name = codeTables, unchecked_return_type = "CodeTables")]
pub fn code_tables() -> JsValue {
    code_tables_object().into()
}

// ---------------------------------------------------------------------------------------
// classify (records).

fn classify_impl(data: &JsValue, options: &JsValue) -> Result<JsValue, Error> {
    let (opts, as_of) = read_options(options)?;
    let r = read_activity(data, as_of, true)?;
    let (email, phone) = r.contacts();
    let contacts = Contacts {
        email: Some(&email),
        phone: Some(&phone),
    };
    let a = r.activity();
    let p = p_alive(options, &a, r.ids.length() as usize)?;
    let c = core::classify_with_p_alive(&a, &contacts, &opts, p.as_deref())?;
    to_js_result(&r.ids, c)
}

/// Classify every customer: lifecycle, lead stage, value class, loyalty, junk flags with
/// evidence, churn risk with reasons. `data = { orders, interactions?, returns?, payments?,
/// customers? }` as plain objects. Throws a `CrmScoreError` (code, row, field) on bad input.
#[wasm_bindgen(unchecked_return_type = "ClassificationResult")]
pub fn classify(
    #[wasm_bindgen(unchecked_param_type = "ClassifyData")] data: JsValue,
    options: Option<ClassifyOptionsArg>,
) -> Result<JsValue, JsValue> {
    js(classify_impl(&data, &super::optional(options)))
}

// ---------------------------------------------------------------------------------------
// classifyColumnar.

fn prop(o: &JsValue, key: &str) -> JsValue {
    convert::get(o, &key.into())
}

fn bad_type(path: &str, expected: &str, v: &JsValue) -> Error {
    Error::new(
        ErrorCode::InvalidValue,
        format!("{path} must be {expected}, got {}", convert::type_of(v)),
    )
    .field(path)
}

/// A required or optional typed column of table `t` (`path` = "orders.amount").
fn column<T: JsCast>(
    t: &JsValue,
    key: &str,
    table: &str,
    expected: &str,
    required: bool,
) -> Result<Option<T>, Error> {
    let v = prop(t, key);
    let path = format!("{table}.{key}");
    if convert::is_missing(&v) {
        if required {
            return Err(
                Error::new(ErrorCode::MissingField, format!("{path} is missing")).field(path),
            );
        }
        return Ok(None);
    }
    v.dyn_into::<T>()
        .map(Some)
        .map_err(|v| bad_type(&path, expected, &v))
}

fn check_len(path: &str, len: u32, n: u32) -> Result<(), Error> {
    if len != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("{path} has {len} entries, the table's customer column {n}"),
        )
        .field(path));
    }
    Ok(())
}

/// Epoch days from an Int32Array (days) or a Float64Array (epoch ms).
fn days(t: &JsValue, table: &str, n: u32) -> Result<Vec<i32>, Error> {
    let v = prop(t, "date");
    let path = format!("{table}.date");
    if let Some(d) = v.dyn_ref::<Int32Array>() {
        check_len(&path, d.length(), n)?;
        return Ok(d.to_vec());
    }
    if let Some(d) = v.dyn_ref::<Float64Array>() {
        check_len(&path, d.length(), n)?;
        return d
            .to_vec()
            .iter()
            .enumerate()
            .map(|(row, &ms)| {
                dates::ms_to_day(ms).map_err(|e| {
                    let e = Error::row_field(ErrorCode::InvalidDate, row, "date", e);
                    match TableName::from_name(table) {
                        Some(t) => e.in_table(t),
                        None => e,
                    }
                })
            })
            .collect();
    }
    if convert::is_missing(&v) {
        return Err(Error::new(ErrorCode::MissingField, format!("{path} is missing")).field(path));
    }
    Err(bad_type(
        &path,
        "an Int32Array of epoch days or a Float64Array of epoch milliseconds",
        &v,
    ))
}

fn enum_codes<T>(
    t: &JsValue,
    key: &str,
    table: &str,
    n: u32,
    required: bool,
    f: fn(u8) -> Option<T>,
) -> Result<Option<Vec<T>>, Error> {
    let Some(a) = column::<Uint8Array>(t, key, table, "a Uint8Array of codes", required)? else {
        return Ok(None);
    };
    check_len(&format!("{table}.{key}"), a.length(), n)?;
    a.to_vec()
        .into_iter()
        .enumerate()
        .map(|(row, c)| {
            f(c).ok_or_else(|| {
                let e = Error::row_field(
                    ErrorCode::InvalidValue,
                    row,
                    key,
                    format!("unknown {key} code {c}"),
                );
                match TableName::from_name(table) {
                    Some(t) => e.in_table(t),
                    None => e,
                }
            })
        })
        .collect::<Result<Vec<T>, Error>>()
        .map(Some)
}

fn f64_col(
    t: &JsValue,
    key: &str,
    table: &str,
    n: u32,
    required: bool,
) -> Result<Option<Vec<f64>>, Error> {
    let Some(a) = column::<Float64Array>(t, key, table, "a Float64Array", required)? else {
        return Ok(None);
    };
    check_len(&format!("{table}.{key}"), a.length(), n)?;
    Ok(Some(a.to_vec()))
}

/// One table's customer column (its length is the table's length).
fn customers_col(t: &JsValue, table: &str) -> Result<Vec<u32>, Error> {
    Ok(column::<Uint32Array>(
        t,
        "customer",
        table,
        "a Uint32Array of customer indices",
        true,
    )?
    .map(|a| a.to_vec())
    .unwrap_or_default())
}

fn table(data: &JsValue, key: &str, required: bool) -> Result<Option<JsValue>, Error> {
    let t = prop(data, key);
    if convert::is_missing(&t) {
        if required {
            return Err(
                Error::new(ErrorCode::MissingField, format!("data.{key} is missing")).field(key),
            );
        }
        return Ok(None);
    }
    if !t.is_object() || Array::is_array(&t) {
        return Err(bad_type(key, "an object of typed columns", &t));
    }
    Ok(Some(t))
}

fn strings(data: &JsValue, key: &str, n: usize) -> Result<StrColumn, Error> {
    string_column(&prop(data, key), key, n)
}

/// A text column `key` of `n` rows: an array of strings / nulls, or a `PackedText`.
fn string_column(v: &JsValue, key: &str, n: usize) -> Result<StrColumn, Error> {
    if convert::is_missing(v) {
        return Ok(Default::default());
    }
    if !Array::is_array(v) {
        if v.is_object() && prop(v, "utf8").is_instance_of::<Uint8Array>() {
            return packed_text(v, key, n);
        }
        return Err(bad_type(
            key,
            "an array of strings or nulls, or a PackedText { utf8, ends, missing? }",
            v,
        ));
    }
    let len = v.unchecked_ref::<Array>().length();
    check_len(key, len, n as u32)?;
    super::activity::strings(v, key == "phone").map_err(|row| {
        let x = v.unchecked_ref::<Array>().get(row as u32);
        let what = if key == "phone" {
            "a string, a non-negative integer or null"
        } else {
            "a string or null"
        };
        Error::row_field(
            ErrorCode::InvalidValue,
            row,
            key,
            format!("{key} must be {what}, got {}", convert::type_of(&x)),
        )
    })
}

/// A text column given packed (`PackedText`: UTF-8 bytes, row ends, optional missing flags),
/// e.g. made in a worker and transferred: read as it is, no JS string per row.
fn packed_text(v: &JsValue, key: &str, n: usize) -> Result<StrColumn, Error> {
    let bytes = prop(v, "utf8").unchecked_into::<Uint8Array>().to_vec();
    let Some(ends) = column::<Uint32Array>(v, "ends", key, "a Uint32Array of row ends", true)?
    else {
        return Err(Error::new(
            ErrorCode::MissingField,
            format!("{key}.ends is missing"),
        ));
    };
    check_len(&format!("{key}.ends"), ends.length(), n as u32)?;
    let ends = ends.to_vec();
    let present =
        match column::<Uint8Array>(v, "missing", key, "a Uint8Array (1 = no value)", false)? {
            Some(m) => {
                check_len(&format!("{key}.missing"), m.length(), n as u32)?;
                m.to_vec().into_iter().map(|x| x == 0).collect()
            }
            None => vec![true; n],
        };
    let mut start = 0u32;
    for (row, &e) in ends.iter().enumerate() {
        if e < start || e as usize > bytes.len() {
            return Err(Error::row_field(
                ErrorCode::InvalidValue,
                row,
                &format!("{key}.ends"),
                format!(
                    "{key}.ends must rise from 0 to at most utf8.length ({}), got {e} after {start}",
                    bytes.len()
                ),
            ));
        }
        start = e;
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to() as u32;
        let row = ends.partition_point(|&e| e <= at);
        Error::row_field(
            ErrorCode::InvalidValue,
            row,
            key,
            format!("{key}: row {row} is not valid UTF-8"),
        )
    })?;
    Ok(StrColumn {
        text,
        ends,
        present,
    })
}

/// Pack a column of strings (null / undefined = no value) into a `PackedText` — UTF-8
/// bytes and row ends in typed arrays, which `classifyColumnar`, `Classifier` and
/// `deriveFieldsColumnar` take for `email` / `phone` as they take string arrays, and which a
/// worker can transfer instead of copying a million strings.
#[wasm_bindgen(js_name = packText, unchecked_return_type = "PackedText")]
pub fn pack_text(
    #[wasm_bindgen(unchecked_param_type = "(string | null | undefined)[]")] values: JsValue,
) -> Result<JsValue, JsValue> {
    js((|| {
        if !Array::is_array(&values) {
            return Err(bad_type("values", "an array of strings or nulls", &values));
        }
        let n = values.unchecked_ref::<Array>().length() as usize;
        let col = string_column(&values, "values", n)?;
        let o = Object::new();
        let _ = Reflect::set(
            &o,
            &"utf8".into(),
            &Uint8Array::from(col.text.as_bytes()).into(),
        );
        let _ = Reflect::set(&o, &"ends".into(), &Uint32Array::from(&col.ends[..]).into());
        let missing: Vec<u8> = col.present.iter().map(|&p| (!p) as u8).collect();
        let _ = Reflect::set(
            &o,
            &"missing".into(),
            &Uint8Array::from(&missing[..]).into(),
        );
        Ok(o.into())
    })())
}

/// The first customer id that is invalid or repeats an earlier one, -1 when none: the ids
/// are packed once by the glue and checked for repeats here (a JS Set of a million string
/// ids costs ≈ 250 ms; this ≈ a fifth of it).
fn first_bad_id(ids: &Array) -> i32 {
    let x = pack_ids(ids);
    let bad = prop(&x, "bad").as_f64().unwrap_or(-1.0) as i32;
    let count = prop(&x, "count").as_f64().unwrap_or(0.0) as usize;
    let bytes = prop(&x, "bytes").unchecked_into::<Uint8Array>().to_vec();
    let kinds = prop(&x, "kinds")
        .dyn_into::<Uint8Array>()
        .map(|k| k.to_vec())
        .unwrap_or_default();
    // Row ends in `bytes` (the "\0" separators).
    let mut ends = Vec::with_capacity(count);
    ends.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == 0)
            .map(|(k, _)| k),
    );
    ends.push(bytes.len());
    if ends.len() != count.max(1) {
        // An id holds a NUL: the ids cannot be split; check them in JS.
        return check_ids(ids);
    }
    let row = |i: usize| {
        let start = if i == 0 { 0 } else { ends[i - 1] + 1 };
        &bytes[start..ends[i]]
    };
    match crate::columns::first_repeat(count, &kinds, row) {
        Some(i) => i as i32,
        None => bad,
    }
}

pub(crate) fn read_columnar(data: &JsValue) -> Result<(Array, ActivityBuffer), Error> {
    if !data.is_object() || Array::is_array(data) {
        return Err(bad_type(
            "data",
            "an object { customerIds, orders, … } of typed columns",
            data,
        ));
    }
    let ids_v = prop(data, "customerIds");
    // A typed array of numeric ids (e.g. the indices 0 … n-1) is read as those numbers: one
    // buffer to post to a worker instead of a million-element array.
    let ids_v = if js_sys::ArrayBuffer::is_view(&ids_v)
        && !ids_v.is_instance_of::<js_sys::DataView>()
        && !ids_v.is_instance_of::<js_sys::BigInt64Array>()
        && !ids_v.is_instance_of::<js_sys::BigUint64Array>()
    {
        Array::from(&ids_v).into()
    } else {
        ids_v
    };
    let ids: Array = ids_v.dyn_into().map_err(|v| {
        if convert::is_missing(&v) {
            Error::new(ErrorCode::MissingField, "data.customerIds is missing").field("customerIds")
        } else {
            bad_type("customerIds", "an array of customer ids", &v)
        }
    })?;
    let n = ids.length() as usize;
    let bad = first_bad_id(&ids);
    if bad >= 0 {
        let i = bad as usize;
        let v = ids.get(i as u32);
        let valid = v.as_string().is_some_and(|s| !s.is_empty())
            || v.as_f64().is_some_and(|x| x.is_finite());
        return Err(if valid {
            Error::row_field(
                ErrorCode::InvalidCustomerId,
                i,
                "customerIds",
                "duplicate customer id",
            )
        } else {
            Error::row_field(
                ErrorCode::InvalidCustomerId,
                i,
                "customerIds",
                format!(
                    "customer id must be a non-empty string or a finite number, got {}",
                    convert::type_of(&v)
                ),
            )
        });
    }
    let mut o = ActivityBuffer::default();
    let ca = prop(data, "createdAt");
    if !convert::is_missing(&ca) {
        let a: Int32Array = ca
            .dyn_into()
            .map_err(|v| bad_type("createdAt", "an Int32Array of epoch days", &v))?;
        check_len("createdAt", a.length(), n as u32)?;
        o.created_at = Some(a.to_vec()).filter(|c| !c.is_empty());
    }
    o.email = strings(data, "email", n)?;
    o.phone = strings(data, "phone", n)?;
    if let Some(t) = table(data, "orders", true)? {
        let c = customers_col(&t, "orders")?;
        let len = c.len() as u32;
        let d = days(&t, "orders", len)?;
        let a = f64_col(&t, "amount", "orders", len, true)?.unwrap_or_default();
        let s = enum_codes(&t, "status", "orders", len, false, OrderStatus::from_code)?;
        let disc = f64_col(&t, "discount", "orders", len, false)?;
        o.orders = OrderColumns {
            customer: c,
            day: d,
            amount: a,
            status: s,
            discount: disc,
        };
    }
    if let Some(t) = table(data, "interactions", false)? {
        let c = customers_col(&t, "interactions")?;
        let len = c.len() as u32;
        let d = days(&t, "interactions", len)?;
        let k = enum_codes(
            &t,
            "type",
            "interactions",
            len,
            true,
            InteractionKind::from_code,
        )?
        .unwrap_or_default();
        let v = f64_col(&t, "value", "interactions", len, false)?;
        o.interactions = InteractionColumns {
            customer: c,
            day: d,
            kind: k,
            value: v,
        };
    }
    if let Some(t) = table(data, "returns", false)? {
        let c = customers_col(&t, "returns")?;
        let len = c.len() as u32;
        let d = days(&t, "returns", len)?;
        let a = f64_col(&t, "amount", "returns", len, true)?.unwrap_or_default();
        o.returns = ReturnColumns {
            customer: c,
            day: d,
            amount: a,
        };
    }
    if let Some(t) = table(data, "payments", false)? {
        let c = customers_col(&t, "payments")?;
        let len = c.len() as u32;
        let d = days(&t, "payments", len)?;
        let a = f64_col(&t, "amount", "payments", len, true)?.unwrap_or_default();
        let s = enum_codes(
            &t,
            "status",
            "payments",
            len,
            true,
            PaymentStatus::from_code,
        )?
        .unwrap_or_default();
        let l = f64_col(&t, "daysLate", "payments", len, false)?;
        o.payments = PaymentColumns {
            customer: c,
            day: d,
            amount: a,
            status: s,
            days_late: l,
        };
    }
    Ok((ids, o))
}

/// Read `data` (typed columns) and `options`, and classify: what `classifyColumnar` and
/// `new Classifier` share.
struct Columnar {
    ids: Array,
    data: ActivityBuffer,
    opts: ClassifyOptions,
    as_of: Option<i32>,
    p_alive: Option<Vec<f64>>,
    cols: core::ClassColumns,
}

impl Columnar {
    fn read(data: &JsValue, options: &JsValue) -> Result<Columnar, Error> {
        let (opts, as_of) = read_options(options)?;
        let (ids, owned) = read_columnar(data)?;
        let n = ids.length() as usize;
        let a = owned.as_activity(Some(n), as_of);
        let p = p_alive(options, &a, n)?;
        let cols = {
            let email = owned.email.refs();
            let phone = owned.phone.refs();
            let contacts = Contacts {
                email: Some(&email),
                phone: Some(&phone),
            };
            match core::classify_columns(&a, &contacts, &opts, p.as_deref()) {
                // Listed customers without any activity are still classified (as prospects).
                Err(e) if e.code == ErrorCode::EmptyInput && n > 0 => {
                    return Err(Error::new(
                        ErrorCode::EmptyInput,
                        format!("{} (give asOf when no input has a date)", e.detail),
                    ))
                }
                r => r?,
            }
        };
        Ok(Columnar {
            ids,
            data: owned,
            opts,
            as_of,
            p_alive: p,
            cols,
        })
    }

    /// Customer `i` as `classify` gives it (same sentences and evidence).
    fn explain(&self, i: f64) -> Result<JsValue, Error> {
        let n = self.cols.len();
        if !(i >= 0.0 && i.fract() == 0.0 && i < n as f64) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "index must be a customer index 0 … {} (got {i})",
                    n as f64 - 1.0
                ),
            )
            .field("index"));
        }
        let i = i as usize;
        let a = self.data.as_activity(Some(n), self.as_of);
        let p = self.p_alive.as_ref().and_then(|p| p.get(i)).copied();
        let c = self.cols.explain_one(
            &a,
            self.data.email.get(i),
            self.data.phone.get(i),
            &self.opts,
            p,
            i,
        )?;
        let row_ids = Array::of1(&self.ids.get(i as u32));
        let revenue = [self.cols.revenue[i]];
        Ok(customer_objects(&self.ids, &row_ids, &mut [c], &revenue).get(0))
    }
}

/// `classify` on typed columns (`ColumnarActivity`, e.g. from `generateCrm`): the fast path
/// for large data. The classes come back as code columns (`Uint8Array`s with their labels in
/// `labels`), the flags and churn reasons as bit sets, revenue as a `Float64Array`, with the
/// summary; the sentences and evidence of a customer come from `Classifier#explain`. Same
/// classes as `classify` on the same rows.
#[wasm_bindgen(js_name = classifyColumnar, unchecked_return_type = "ClassColumnsResult")]
pub fn classify_columnar(
    #[wasm_bindgen(unchecked_param_type = "ColumnarActivity")] data: JsValue,
    options: Option<ClassifyOptionsArg>,
) -> Result<JsValue, JsValue> {
    js(Columnar::read(&data, &super::optional(options)).map(|c| columns_object(&c.cols).into()))
}

/// `classifyColumnar` kept as a handle: the typed columns are copied into wasm memory once and
/// kept, so that `explain(i)` gives any customer's full classification (the sentences and
/// evidence of `classify`) in milliseconds. `free()` releases the copy.
#[wasm_bindgen]
pub struct Classifier {
    inner: Columnar,
}

#[wasm_bindgen]
impl Classifier {
    /// Classify `data` (a `ColumnarActivity`) with `options` (those of `classifyColumnar`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ColumnarActivity")] data: JsValue,
        options: Option<ClassifyOptionsArg>,
    ) -> Result<Classifier, JsValue> {
        js(Columnar::read(&data, &super::optional(options)).map(|inner| Classifier { inner }))
    }

    /// The classification as columns: the same object as `classifyColumnar` returns (fresh
    /// arrays on every call).
    #[wasm_bindgen(unchecked_return_type = "ClassColumnsResult")]
    pub fn result(&self) -> JsValue {
        columns_object(&self.inner.cols).into()
    }

    /// Customer `index`'s classification as `classify` gives it: classes, flags with their
    /// sentences and evidence, churn reasons, revenue. Throws `invalid_value` (field
    /// `index`) for an index that is not a customer's.
    #[wasm_bindgen(unchecked_return_type = "ClassifiedCustomer")]
    pub fn explain(&self, index: f64) -> Result<JsValue, JsValue> {
        js(self.inner.explain(index))
    }

    /// Number of customers.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.inner.cols.len() as u32
    }

    /// Bytes of wasm memory this handle keeps (the activity columns, contacts, the class
    /// columns and the duplicate-contact groups).
    #[wasm_bindgen(js_name = memoryBytes)]
    pub fn memory_bytes(&self) -> f64 {
        let c = &self.inner.cols;
        (self.inner.data.bytes()
            // Per customer: revenue (f64), flags (u16), six class columns and the churn bits (u8).
            + c.len() * (8 + 2 + 7)
            + c.explain_bytes()
            + self.inner.p_alive.as_ref().map_or(0, |p| p.len() * 8)) as f64
    }
}

// ---------------------------------------------------------------------------------------
// crossTab.

const CLASS_KEYS: [&str; 6] = [
    "lifecycle",
    "leadStage",
    "valueClass",
    "loyalty",
    "churnRisk",
    "junk",
];

fn seed_of(key: &str) -> Array {
    match key {
        "lifecycle" => names(Lifecycle::ALL.iter().map(|x| x.name())),
        "leadStage" => names(LeadStage::ALL.iter().map(|x| x.name())),
        "valueClass" => names(ValueClass::ALL.iter().map(|x| x.name())),
        "loyalty" => names(Loyalty::ALL.iter().map(|x| x.name())),
        "churnRisk" => names(ChurnRisk::ALL.iter().map(|x| x.name())),
        _ => names(["junk", "clean"]),
    }
}

fn dim_spec(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

/// A result object with `customers` (and, for tiers, `tiers[].label` in order) or plain rows.
fn joined(v: &JsValue, name: &str, key: &str) -> Result<Option<Object>, Error> {
    if convert::is_missing(v) {
        return Ok(None);
    }
    let (rows, seed) = if Array::is_array(v) {
        (v.clone(), Array::new())
    } else if v.is_object() && Array::is_array(&prop(v, "customers")) {
        let seed = Array::new();
        if name == "tier" {
            let tiers = prop(v, "tiers");
            if Array::is_array(&tiers) {
                for t in tiers.unchecked_into::<Array>().iter() {
                    if let Some(l) = prop(&t, "label").as_string() {
                        seed.push(&l.into());
                    }
                }
            }
        }
        (prop(v, "customers"), seed)
    } else {
        let what = if name == "tier" {
            "a score() result or rows with a tier"
        } else {
            "an rfm() result or rows with a segment"
        };
        return Err(Error::option(
            if name == "tier" { "tiers" } else { "rfm" },
            format!("expected {what}, got {}", convert::type_of(v)),
        ));
    };
    Ok(Some(dim_spec(&[
        ("name", name.into()),
        ("rows", rows),
        ("key", key.into()),
        ("seed", seed.into()),
    ])))
}

fn cross_tab_impl(
    result: &JsValue,
    customers: &JsValue,
    attribute: &str,
    options: &JsValue,
) -> Result<JsValue, Error> {
    Options::new(options.clone(), &["tiers", "rfm"])?;
    let records = prop(result, "customers");
    // classify's records, or classifyColumnar's code columns (joined by position).
    let rows = if Array::is_array(&records) {
        records
    } else if result.is_object() && prop(result, "lifecycle").is_instance_of::<Uint8Array>() {
        result.clone()
    } else {
        return Err(bad_type(
            "result",
            "a classify() or classifyColumnar() result",
            result,
        ));
    };
    if attribute.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            "attribute must be a non-empty field name",
        )
        .field("attribute"));
    }
    if convert::is_missing(customers) || !customers.is_object() {
        return Err(bad_type(
            "customers",
            "an array of customer records or an object of columns",
            customers,
        ));
    }
    let class_keys: Array = CLASS_KEYS
        .iter()
        .map(|k| {
            JsValue::from(dim_spec(&[
                ("key", (*k).into()),
                ("seed", seed_of(k).into()),
            ]))
        })
        .collect();
    let extra = Array::new();
    if !convert::is_missing(options) {
        if let Some(d) = joined(&prop(options, "tiers"), "tier", "tier")? {
            extra.push(&d);
        }
        if let Some(d) = joined(&prop(options, "rfm"), "segment", "segment")? {
            extra.push(&d);
        }
    }
    let x = read_cross_tab(&rows, customers, attribute, &class_keys, &extra);
    let bad = prop(&x, "bad").as_f64().unwrap_or(-1.0);
    if bad >= 0.0 {
        let what = prop(&x, "badWhat").as_string().unwrap_or_default();
        let e = if what == "duplicate" {
            Error::row_field(
                ErrorCode::InvalidCustomerId,
                bad as usize,
                "customerId",
                "customers: a repeated customer id",
            )
        } else if what == "columnar" {
            Error::new(
                ErrorCode::InvalidValue,
                "with a classifyColumnar() result, customers must be columns whose customerId (or customerIds) lists the result's customers in order",
            )
            .field("customers")
        } else if what.starts_with("result.") {
            Error::row_field(
                ErrorCode::InvalidValue,
                bad as usize,
                &what,
                format!("{what}: not the classifyColumnar() column (a Uint8Array as long as the result, with its labels)"),
            )
        } else if what == "result" {
            Error::row_field(
                ErrorCode::InvalidValue,
                bad as usize,
                "customerId",
                "result.customers: not an object, or a repeated customerId",
            )
        } else if what.starts_with("customers.") {
            Error::new(
                ErrorCode::InvalidValue,
                format!("{what} must be an array as long as customers.customerId"),
            )
            .field(what)
        } else {
            Error::row_field(
                ErrorCode::InvalidValue,
                bad as usize,
                &what,
                format!("{what}: row is not an object"),
            )
        };
        return Err(e);
    }
    let revenue = prop(&x, "revenue")
        .unchecked_into::<Float64Array>()
        .to_vec();
    let dims_js: Array = prop(&x, "dims").unchecked_into();
    let mut labels: Vec<Vec<String>> = Vec::new();
    let mut codes: Vec<Vec<u32>> = Vec::new();
    let mut dim_names: Vec<String> = Vec::new();
    for d in dims_js.iter() {
        dim_names.push(prop(&d, "name").as_string().unwrap_or_default());
        labels.push(
            prop(&d, "labels")
                .unchecked_into::<Array>()
                .iter()
                .map(|l| l.as_string().unwrap_or_default())
                .collect(),
        );
        codes.push(prop(&d, "codes").unchecked_into::<Uint32Array>().to_vec());
    }
    let attr = prop(&x, "attr");
    let attr_codes = prop(&attr, "codes")
        .unchecked_into::<Uint32Array>()
        .to_vec();
    let values: Vec<String> = prop(&attr, "values")
        .unchecked_into::<Array>()
        .iter()
        .map(|l| l.as_string().unwrap_or_default())
        .collect();
    let dims: Vec<crosstab::Dimension> = dim_names
        .iter()
        .zip(&labels)
        .zip(&codes)
        .map(|((name, labels), codes)| crosstab::Dimension {
            name,
            labels,
            codes,
        })
        .collect();
    let t = crosstab::cross_tab(&attr_codes, &values, &revenue, &dims)?;
    // Flat cells: per row [customers, revenue] then every dimension's labels.
    let mut cells = Vec::new();
    let mut push_row = |r: &crosstab::Row| {
        cells.push(r.all.customers as f64);
        cells.push(r.all.revenue);
        for cl in &r.classes {
            for c in cl {
                cells.push(c.customers as f64);
                cells.push(c.revenue);
            }
        }
    };
    for r in &t.rows {
        push_row(r);
    }
    push_row(&t.total);
    let width = 1 + labels.iter().map(|l| l.len()).sum::<usize>();
    let row_values: Array = t
        .rows
        .iter()
        .map(|r| {
            r.value
                .map_or(JsValue::NULL, |v| JsValue::from_str(&values[v as usize]))
        })
        .collect();
    let dims_arr: Array = dim_names.iter().map(|d| JsValue::from_str(d)).collect();
    let labels_arr: Array = labels
        .iter()
        .map(|l| JsValue::from(l.iter().map(|s| JsValue::from_str(s)).collect::<Array>()))
        .collect();
    Ok(build_cross_tab(
        attribute,
        &dims_arr,
        &labels_arr,
        &row_values,
        &Float64Array::from(&cells[..]),
        width as u32,
    ))
}

/// Counts and revenue of every class (lifecycle, lead stage, value class, loyalty, churn
/// risk, junk, and tier / RFM segment when given) per value of one customer attribute:
/// "junk share by acquisition channel", "A-tier by region". `customers` are records
/// `{ customerId, [attribute] }` or columns `{ customerId: [...], [attribute]: [...] }`;
/// customers of the result without a value form the row with `value: null`.
#[wasm_bindgen(js_name = crossTab, unchecked_return_type = "CrossTab")]
pub fn cross_tab(
    #[wasm_bindgen(unchecked_param_type = "ClassificationResult | ClassColumnsResult")]
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object[] | Record<string, ArrayLike<unknown>>")]
    customers: JsValue,
    attribute: &str,
    options: Option<CrossTabOptionsArg>,
) -> Result<JsValue, JsValue> {
    js(cross_tab_impl(
        &result,
        &customers,
        attribute,
        &super::optional(options),
    ))
}
