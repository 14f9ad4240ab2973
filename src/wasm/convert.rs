//! Decoding JS values: options read key by key (so errors name the path), dates in
//! every accepted form, customer ids interned to dense indices.

use super::types::CustomerId;
use crate::activity::{OrderStatus, PaymentStatus};
use crate::error::{Error, ErrorCode, TableName};
use crate::rfm;
use js_sys::Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use crate::js::{date_value, get, is_missing, type_of};

/// Serialize a result DTO to plain JS objects (no Maps, `null` for None).
pub fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

/// The most customers a columnar call may index (its per-customer table must fit in wasm
/// memory: beyond this an allocation would fail, and that aborts).
pub const MAX_CUSTOMERS: usize = 1 << 25;

/// RFM options → core options (+ `customerCount` when allowed), read by the core.
pub fn rfm_options(
    options: &JsValue,
    columnar: bool,
) -> Result<(rfm::RfmOptions, Option<usize>), Error> {
    rfm::RfmOptions::read(options.clone(), columnar, MAX_CUSTOMERS)
}

/// Check one `customerId` value: a non-empty string or a finite number.
pub fn check_customer_id(v: &JsValue, row: usize) -> Result<(), Error> {
    if let Some(s) = v.as_string() {
        if s.is_empty() {
            return Err(Error::row_field(
                ErrorCode::InvalidCustomerId,
                row,
                "customerId",
                "customerId must not be empty",
            ));
        }
        return Ok(());
    }
    if let Some(n) = v.as_f64() {
        if n.is_finite() {
            return Ok(());
        }
    }
    let code = if is_missing(v) {
        ErrorCode::MissingField
    } else {
        ErrorCode::InvalidCustomerId
    };
    Err(Error::row_field(
        code,
        row,
        "customerId",
        format!(
            "customerId must be a non-empty string or a finite number, got {}",
            type_of(v)
        ),
    ))
}

/// Rank of each id in a stable total order (numbers by value, then strings by code point):
/// the tie-break key of `equalCount`.
pub fn tie_ranks(ids: &Array) -> Vec<u32> {
    let keys: Vec<CustomerId> = ids
        .iter()
        .map(|v| match v.as_string() {
            Some(s) => CustomerId::Str(s),
            None => CustomerId::Num(v.as_f64().unwrap_or(0.0)),
        })
        .collect();
    let mut idx: Vec<u32> = (0..keys.len() as u32).collect();
    idx.sort_by(|&a, &b| match (&keys[a as usize], &keys[b as usize]) {
        (CustomerId::Num(x), CustomerId::Num(y)) => x.total_cmp(y),
        (CustomerId::Num(_), CustomerId::Str(_)) => std::cmp::Ordering::Less,
        (CustomerId::Str(_), CustomerId::Num(_)) => std::cmp::Ordering::Greater,
        (CustomerId::Str(x), CustomerId::Str(y)) => x.cmp(y),
    });
    let mut rank = vec![0u32; idx.len()];
    for (r, &i) in idx.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// The array of rows, or an error naming the argument.
pub fn rows(v: &JsValue, what: &str) -> Result<Array, Error> {
    if !Array::is_array(v) {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("{what} must be an array, got {}", type_of(v)),
        )
        .field(what));
    }
    Ok(Array::from(v))
}

/// A cell the glue could not move into a column: its row, its field (`""`: the row itself
/// is not an object) and its value (plain data: the glue copies it).
pub struct Unread {
    pub row: usize,
    pub field: String,
    pub value: JsValue,
}

impl Unread {
    /// The glue's record of where it stopped: `{ bad, badField, badValue }` (`bad` = -1: none).
    pub fn of(x: &JsValue) -> Option<Unread> {
        let row = get(x, &"bad".into()).as_f64().unwrap_or(-1.0);
        (row >= 0.0).then(|| Unread {
            row: row as usize,
            field: get(x, &"badField".into()).as_string().unwrap_or_default(),
            value: get(x, &"badValue".into()),
        })
    }

    /// Whether the glue moved the row's customer and date before it stopped (so the core can
    /// check them): the stop is at a later field.
    pub fn row_started(&self) -> bool {
        !matches!(
            self.field.as_str(),
            "" | "customerId" | "date" | "createdAt" | "lastOrderDate"
        )
    }

    /// The one place a JS value the glue could not convert becomes an error: what the
    /// field expects, said about the value it holds. `ids` are the customer ids read so
    /// far (a valid `customerId` the glue stopped at is a duplicate of one of them).
    pub fn error(&self, table: TableName, ids: &Array) -> Error {
        let (row, f, v) = (self.row, self.field.as_str(), &self.value);
        let cell = |code, detail: String| Error::row_field(code, row, f, detail).in_table(table);
        let got = type_of(v);
        let missing = is_missing(v);
        match f {
            "" => Error::new(
                ErrorCode::InvalidValue,
                format!("each {} must be an object, got {got}", singular(table)),
            )
            .at_row(row)
            .in_table(table),
            "customerId" => match check_customer_id(v, row) {
                Err(e) => e.in_table(table),
                Ok(()) => {
                    let first = ids.index_of(v, 0);
                    cell(
                        ErrorCode::InvalidCustomerId,
                        format!("duplicate customerId (also row {first}): each customer must appear once"),
                    )
                }
            },
            _ if missing => cell(ErrorCode::MissingField, format!("{f} is missing")),
            "date" | "createdAt" | "lastOrderDate" => cell(
                ErrorCode::InvalidDate,
                date_value(v)
                    .err()
                    .unwrap_or_else(|| format!("{f} is out of the supported range")),
            ),
            "status" => {
                let names: Vec<&str> = if table == TableName::Payments {
                    PaymentStatus::ALL.iter().map(|s| s.name()).collect()
                } else {
                    OrderStatus::ALL.iter().map(|s| s.name()).collect()
                };
                cell(
                    ErrorCode::InvalidValue,
                    format!(
                        "status must be one of \"{}\", got {got}",
                        names.join("\", \"")
                    ),
                )
            }
            "type" | "email" => cell(
                ErrorCode::InvalidValue,
                format!("{f} must be a string, got {got}"),
            ),
            "phone" => cell(
                ErrorCode::InvalidValue,
                format!("phone must be a string (or a non-negative integer), got {got}"),
            ),
            "recencyDays" if v.as_f64().is_some_and(f64::is_nan) => cell(
                ErrorCode::InvalidValue,
                "recencyDays must be a finite number >= 0, got NaN".into(),
            ),
            _ => {
                let code = if matches!(f, "amount" | "monetary") {
                    ErrorCode::InvalidAmount
                } else {
                    ErrorCode::InvalidValue
                };
                cell(code, format!("{f} must be a number, got {got}"))
            }
        }
    }
}

/// "order" for the orders table, as a message names one row.
fn singular(t: TableName) -> &'static str {
    match t {
        TableName::Customers => "customer",
        TableName::Orders => "order",
        TableName::Interactions => "interaction",
        TableName::Returns => "return",
        TableName::Payments => "payment",
        TableName::Summaries => "summary",
        TableName::Model | TableName::Options => "row",
    }
}

/// Check a row is an object.
pub fn object_row(o: &JsValue, row: usize, what: &str) -> Result<(), Error> {
    if o.is_object() && !Array::is_array(o) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidValue,
            format!("each {what} must be an object, got {}", type_of(o)),
        )
        .at_row(row))
    }
}
