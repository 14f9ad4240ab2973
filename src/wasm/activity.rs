//! `deriveFields`: the 13 derived per-customer fields of `crate::activity` from plain JS
//! objects, and `derived_table` for the `score()` binding.
//!
//! Flow: `activity_glue.js` moves every table into typed arrays (one id Map across tables,
//! distinct date strings interned) and stops at the first cell it cannot move (wrong JS
//! type, missing, a repeated id), recording its table, row, field and value. Rust parses
//! the distinct date strings, the core checks every value read (reading order: customers,
//! orders, interactions, returns, payments), and the first problem is reported: the core's,
//! a date string's, or the glue's cell (`convert::Unread::error`). No row is read twice.

use super::convert;
use super::error::js;
use crate::activity::{
    self as core, Activity, DerivedFields, InteractionKind, OrderStatus, PaymentStatus, CUSTOMERS,
    FIELD_NAMES, INTERACTIONS, ORDERS, PAYMENTS, RETURNS,
};
use crate::columns::{ActivityBuffer, StrColumn};
use crate::dates;
use crate::error::{Error, ErrorCode, TableName};
use crate::options::Options;
use js_sys::{Array, Float64Array, Int32Array, Object, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `DeriveOptions` as an optional trailing argument (`options?: DeriveOptions`).
    #[wasm_bindgen(typescript_type = "DeriveOptions")]
    pub type DeriveOptionsArg;
}

#[wasm_bindgen(module = "/src/wasm/activity_glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = extractActivity)]
    fn extract_activity(
        customers: &JsValue,
        orders: &JsValue,
        interactions: &JsValue,
        returns: &JsValue,
        payments: &JsValue,
        min_day: i32,
        max_day: i32,
        contacts: bool,
        tables: &Object,
    ) -> Object;
    #[wasm_bindgen(js_name = packStrings)]
    fn pack_strings(arr: &JsValue, numbers: bool, safe: bool) -> Object;
    #[wasm_bindgen(js_name = buildDerived)]
    fn build_derived(ids: &Array, names: &Array, columns: &Array) -> JsValue;
}

/// The keys of `data`, which is also the reading order of its tables after `customers`.
const DATA_KEYS: [&str; 5] = [ORDERS, INTERACTIONS, RETURNS, PAYMENTS, CUSTOMERS];
/// Tables in reading order, as the glue numbers them.
const TABLES: [TableName; 5] = [
    TableName::Customers,
    TableName::Orders,
    TableName::Interactions,
    TableName::Returns,
    TableName::Payments,
];
const OPTION_KEYS: [&str; 1] = ["asOf"];

/// `data`'s arrays, checked for shape (not content).
struct Inputs {
    /// In `TABLES` order; `None` = absent.
    tables: [Option<Array>; 5],
}

fn read_data(data: &JsValue) -> Result<Inputs, Error> {
    if !data.is_object() || Array::is_array(data) || js_sys::ArrayBuffer::is_view(data) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "data must be an object {{ orders, interactions?, returns?, payments?, customers? }}, got {}",
                convert::type_of(data)
            ),
        )
        .field("data"));
    }
    for k in Object::keys(data.unchecked_ref::<Object>()).iter() {
        let k = k.as_string().unwrap_or_default();
        if !DATA_KEYS.contains(&k.as_str()) {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "unknown key \"{k}\" in data; known keys: {}",
                    DATA_KEYS.join(", ")
                ),
            )
            .field(k));
        }
    }
    let mut tables: [Option<Array>; 5] = Default::default();
    for (t, table) in TABLES.iter().enumerate() {
        let name = table.as_str();
        let v = convert::get(data, &name.into());
        if convert::is_missing(&v) {
            if *table == TableName::Orders {
                return Err(Error::new(
                    ErrorCode::MissingField,
                    "data.orders is missing (give [] when there are none)",
                )
                .field(ORDERS));
            }
            continue;
        }
        tables[t] = Some(convert::rows(&v, name)?);
    }
    Ok(Inputs { tables })
}

fn read_options(options: &JsValue) -> Result<Option<i32>, Error> {
    Options::new(options.clone(), &OPTION_KEYS)?.day("asOf")
}

// ---------------------------------------------------------------------------------------
// Reading the glue's typed arrays.

fn prop(o: &JsValue, key: &str) -> JsValue {
    convert::get(o, &key.into())
}

/// A typed-array property of a table our glue built, its first `len` elements.
fn col<T: JsCast>(t: &JsValue, key: &str) -> T {
    prop(t, key).unchecked_into()
}

fn opt_f64(t: &JsValue, key: &str, len: u32) -> Option<Vec<f64>> {
    let v = prop(t, key);
    (!convert::is_missing(&v)).then(|| v.unchecked_into::<Float64Array>().subarray(0, len).to_vec())
}

fn codes<T>(t: &JsValue, key: &str, len: u32, f: fn(u8) -> Option<T>) -> Result<Vec<T>, Error> {
    col::<Uint8Array>(t, key)
        .subarray(0, len)
        .to_vec()
        .into_iter()
        .map(|c| {
            f(c).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidValue,
                    format!("internal: unknown {key} code {c}"),
                )
            })
        })
        .collect()
}

/// Read the glue's output into owned columns (days still coded for strings until
/// `decode`); `lens[t]` rows of table `t`.
fn read_columns(x: &Object, lens: [u32; 5]) -> Result<ActivityBuffer, Error> {
    let mut c = ActivityBuffer::default();
    let t = prop(x, "createdAt");
    c.created_at = Some(if convert::is_missing(&t) {
        Vec::new()
    } else {
        t.unchecked_into::<Int32Array>()
            .subarray(0, lens[0])
            .to_vec()
    });
    for (key, out) in [("email", &mut c.email), ("phone", &mut c.phone)] {
        let t = prop(x, key);
        if !convert::is_missing(&t) {
            // The glue checked every entry: strings or null.
            let mut v = strings(&t, false).map_err(|row| {
                Error::new(
                    ErrorCode::InvalidValue,
                    format!("internal: {key} row {row}"),
                )
            })?;
            v.truncate(lens[0] as usize);
            *out = v;
        }
    }
    let t = prop(x, "orders");
    if !convert::is_missing(&t) {
        let n = lens[1];
        let o = &mut c.orders;
        o.customer = col::<Uint32Array>(&t, "customer").subarray(0, n).to_vec();
        o.day = col::<Int32Array>(&t, "date").subarray(0, n).to_vec();
        o.amount = col::<Float64Array>(&t, "amount").subarray(0, n).to_vec();
        o.status = Some(codes(&t, "status", n, OrderStatus::from_code)?);
        o.discount = opt_f64(&t, "discount", n);
    } else {
        c.orders.status = Some(Vec::new());
    }
    let t = prop(x, "interactions");
    if !convert::is_missing(&t) {
        let n = lens[2];
        let i = &mut c.interactions;
        i.customer = col::<Uint32Array>(&t, "customer").subarray(0, n).to_vec();
        i.day = col::<Int32Array>(&t, "date").subarray(0, n).to_vec();
        i.kind = codes(&t, "kind", n, InteractionKind::from_code)?;
        i.value = opt_f64(&t, "value", n);
    }
    let t = prop(x, "returns");
    if !convert::is_missing(&t) {
        let n = lens[3];
        let r = &mut c.returns;
        r.customer = col::<Uint32Array>(&t, "customer").subarray(0, n).to_vec();
        r.day = col::<Int32Array>(&t, "date").subarray(0, n).to_vec();
        r.amount = col::<Float64Array>(&t, "amount").subarray(0, n).to_vec();
    }
    let t = prop(x, "payments");
    if !convert::is_missing(&t) {
        let n = lens[4];
        let p = &mut c.payments;
        p.customer = col::<Uint32Array>(&t, "customer").subarray(0, n).to_vec();
        p.day = col::<Int32Array>(&t, "date").subarray(0, n).to_vec();
        p.amount = col::<Float64Array>(&t, "amount").subarray(0, n).to_vec();
        p.status = codes(&t, "status", n, PaymentStatus::from_code)?;
        p.days_late = opt_f64(&t, "daysLate", n);
    }
    Ok(c)
}

/// Replace string codes by their parsed day. Returns the first row (in reading order)
/// whose date string does not parse, as (table, row, index of the string in `dates_arr`).
fn decode(cols: &mut ActivityBuffer, dates_arr: &Array) -> Option<(usize, usize, u32)> {
    let (_, max) = dates::day_bounds();
    let parsed: Vec<Option<i32>> = dates_arr
        .iter()
        .map(|v| convert::date_value(&v).ok())
        .collect();
    let mut first_bad = None;
    for (t, days) in cols.days_mut().into_iter().enumerate() {
        for (row, d) in days.iter_mut().enumerate() {
            if *d > max {
                let k = (*d - max - 1) as usize;
                match parsed.get(k).copied().flatten() {
                    Some(day) => *d = day,
                    None => {
                        if first_bad.is_none() {
                            first_bad = Some((t, row, k as u32));
                        }
                    }
                }
            }
        }
    }
    first_bad
}

/// Keep only what comes before (table, row) in reading order.
fn truncate_before(cols: &mut ActivityBuffer, table: usize, row: usize) {
    cols.truncate(std::array::from_fn(|t| match t.cmp(&table) {
        std::cmp::Ordering::Less => usize::MAX,
        std::cmp::Ordering::Equal => row,
        std::cmp::Ordering::Greater => 0,
    }));
}

// ---------------------------------------------------------------------------------------

/// An array of strings or nulls (with `numbers`, also non-negative integers, read as their
/// digits), in one crossing of the boundary and one allocation. Err(index) of the first
/// other value.
pub(crate) fn strings(arr: &JsValue, numbers: bool) -> Result<StrColumn, usize> {
    let mut x = pack_strings(arr, numbers, false);
    let bad = prop(&x, "bad").as_f64().unwrap_or(-1.0);
    if bad >= 0.0 {
        return Err(bad as usize);
    }
    let mut bytes = col::<Uint8Array>(&x, "bytes").to_vec();
    let n = col::<Uint8Array>(&x, "missing").length() as usize;
    if bytes.iter().filter(|&&b| b == 0).count() != n.saturating_sub(1) {
        // A string held a NUL: pack again, each NUL replaced.
        x = pack_strings(arr, numbers, true);
        bytes = col::<Uint8Array>(&x, "bytes").to_vec();
    }
    let missing = col::<Uint8Array>(&x, "missing").to_vec();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(StrColumn::from_joined(&text, '\0', &missing))
}

/// Every table of `data` read and checked: the customer ids (JS values, first-seen order),
/// the owned columns and the customer count. With `contacts`, the customers' email and
/// phone are read too.
pub(crate) struct ReadActivity {
    pub ids: Array,
    pub cols: ActivityBuffer,
    pub count: usize,
    pub as_of: Option<i32>,
}

impl ReadActivity {
    pub fn activity(&self) -> Activity<'_> {
        self.cols.as_activity(Some(self.count), self.as_of)
    }
    /// Per customer index (possibly shorter than `count`): email and phone.
    pub fn contacts(&self) -> (Vec<Option<&str>>, Vec<Option<&str>>) {
        (self.cols.email.refs(), self.cols.phone.refs())
    }
}

/// Read `data` (checked for shape and every row, the first bad row reported precisely).
pub(crate) fn read_activity(
    data: &JsValue,
    as_of: Option<i32>,
    contacts: bool,
) -> Result<ReadActivity, Error> {
    let inputs = read_data(data)?;
    let (min, max) = dates::day_bounds();
    let arg = |t: usize| {
        inputs.tables[t]
            .as_ref()
            .map_or(JsValue::NULL, |a| a.into())
    };
    let x = extract_activity(
        &arg(0),
        &arg(1),
        &arg(2),
        &arg(3),
        &arg(4),
        min,
        max,
        contacts,
        &super::classify::code_tables_object(),
    );
    // Where the glue stopped: rows before it are read, and the stop row itself when the
    // glue moved its customer and date (the core checks them before the field it stopped at).
    let unread = convert::Unread::of(&x).map(|u| {
        let t = prop(&x, "badTable").as_f64().unwrap_or(0.0) as usize;
        (t.min(TABLES.len() - 1), u)
    });
    let len = |t: usize| inputs.tables[t].as_ref().map_or(0, |a| a.length());
    let lens: [u32; 5] = std::array::from_fn(|t| match &unread {
        Some((bt, u)) if t == *bt => (u.row + u.row_started() as usize) as u32,
        Some((bt, _)) if t > *bt => 0,
        _ => len(t),
    });
    let ids: Array = prop(&x, "ids").unchecked_into();
    let mut cols = read_columns(&x, lens)?;
    let dates_arr: Array = prop(&x, "dates").unchecked_into();
    // A date string that does not parse comes first: every row the glue read lies before
    // (or is) the one it stopped at.
    let stop = match decode(&mut cols, &dates_arr) {
        Some((t, row, k)) => {
            truncate_before(&mut cols, t, row);
            let field = if t == 0 { "createdAt" } else { "date" };
            let u = convert::Unread {
                row,
                field: field.into(),
                value: dates_arr.get(k),
            };
            Some((t, u))
        }
        None => unread,
    };
    let count = ids.length() as usize;
    // The core checks every value read (up to the stop: anything wrong before it, in
    // reading order, is reported first). No input is no error of the reading.
    match (cols.as_activity(Some(count), as_of).validate(), stop) {
        (Err(e), _) if e.code != ErrorCode::EmptyInput => return Err(e),
        (_, Some((t, u))) => return Err(u.error(TABLES[t], &ids)),
        _ => {}
    }
    Ok(ReadActivity {
        ids,
        cols,
        count,
        as_of,
    })
}

fn derive_impl(data: &JsValue, options: &JsValue) -> Result<(Array, DerivedFields), Error> {
    let as_of = read_options(options)?;
    let r = read_activity(data, as_of, false)?;
    let fields = core::derive_fields(&r.activity())?;
    Ok((r.ids, fields))
}

/// The 13 derived per-customer fields (orderCount, totalAmount, …, referralCount) from raw
/// orders, interactions, returns and payments: one plain object per customer, in order of
/// first appearance (customers, then orders, interactions, returns, payments), `null` for
/// a missing value. Throws a `CrmScoreError` on bad input.
#[wasm_bindgen(js_name = deriveFields, unchecked_return_type = "DerivedCustomer[]")]
pub fn derive_fields(
    #[wasm_bindgen(unchecked_param_type = "ActivityData")] data: JsValue,
    options: Option<DeriveOptionsArg>,
) -> Result<JsValue, JsValue> {
    let (ids, f) = js(derive_impl(&data, &super::optional(options)))?;
    let names: Array = FIELD_NAMES.iter().map(|n| JsValue::from_str(n)).collect();
    let columns: Array = f
        .columns()
        .iter()
        .map(|(_, c)| JsValue::from(Float64Array::from(*c)))
        .collect();
    Ok(build_derived(&ids, &names, &columns))
}

/// The 13 derived fields from typed columns (`ColumnarActivity`, as `classifyColumnar`
/// takes): `{ orderCount: Float64Array, … }`, one value per entry of `customerIds`, `NaN`
/// for a missing value — the fast path for large data, no object per customer.
#[wasm_bindgen(js_name = deriveFieldsColumnar, unchecked_return_type = "DerivedColumns")]
pub fn derive_fields_columnar(
    #[wasm_bindgen(unchecked_param_type = "ColumnarActivity")] data: JsValue,
    options: Option<DeriveOptionsArg>,
) -> Result<JsValue, JsValue> {
    let f = js((|| {
        let as_of = read_options(&super::optional(options))?;
        let (ids, buf) = super::classify::read_columnar(&data)?;
        core::derive_fields(&buf.as_activity(Some(ids.length() as usize), as_of))
    })())?;
    let out = Object::new();
    for (name, c) in f.columns() {
        let _ = js_sys::Reflect::set(&out, &name.into(), &Float64Array::from(c));
    }
    Ok(out.into())
}
