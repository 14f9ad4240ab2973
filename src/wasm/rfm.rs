//! `rfm`, `rfmFromCustomers`, `rfmColumnar`.

use super::convert;
use super::error::js;
use super::types;
use super::{optional, RfmOptionsArg};
use crate::dates;
use crate::error::{Error, ErrorCode, TableName};
use crate::rfm::{self as core, RfmPlan, RfmScores};
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn summaries(
    s: &RfmScores,
) -> (
    types::Thresholds,
    Vec<types::SegmentSummary>,
    Vec<types::HeatCell>,
) {
    let [r, f, m] = s.thresholds.clone();
    let segments = s
        .segments
        .iter()
        .map(|x| types::SegmentSummary {
            name: x.name.clone(),
            customers: x.customers as u32,
            orders: x.orders,
            revenue: x.revenue,
            average_order_value: x.average_order_value,
        })
        .collect();
    let heat = s
        .heatmap
        .iter()
        .map(|h| types::HeatCell {
            frequency_score: h.frequency_score,
            recency_score: h.recency_score,
            customers: h.customers as u32,
            mean_monetary: h.mean_monetary,
        })
        .collect();
    (
        types::Thresholds {
            recency: r,
            frequency: f,
            monetary: m,
        },
        segments,
        heat,
    )
}

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = extractOrders)]
    fn extract_orders(orders: &Array, min_day: i32, max_day: i32) -> Object;
    #[wasm_bindgen(js_name = extractCustomers)]
    fn extract_customers(rows: &Array, min_day: i32, max_day: i32) -> Object;
    #[wasm_bindgen(js_name = buildRfmCustomers)]
    fn build_rfm_customers(
        ids: &JsValue,
        recency_days: &Float64Array,
        frequency: &Float64Array,
        monetary: &Float64Array,
        r: &Uint8Array,
        f: &Uint8Array,
        m: &Uint8Array,
        segment: &Uint8Array,
        names: &JsValue,
    ) -> JsValue;
}

/// A property of an object our own glue built (its type is known).
fn prop<T: JsCast>(o: &Object, key: &str) -> T {
    convert::get(o, &key.into()).unchecked_into()
}

/// Replace string-date codes by their parsed epoch day (each distinct string parsed once).
fn decode_days(codes: &mut [i32], dates_arr: &Array, field: &str) -> Result<(), Error> {
    let (_, max) = dates::day_bounds();
    let mut parsed = Vec::with_capacity(dates_arr.length() as usize);
    for (k, v) in dates_arr.iter().enumerate() {
        match convert::date_value(&v) {
            Ok(d) => parsed.push(d),
            Err(e) => {
                let code = max + 1 + k as i32;
                let row = codes.iter().position(|&c| c == code).unwrap_or(0);
                return Err(Error::row_field(ErrorCode::InvalidDate, row, field, e));
            }
        }
    }
    for c in codes.iter_mut() {
        if *c > max {
            *c = parsed.get((*c - max - 1) as usize).copied().unwrap_or(*c);
        }
    }
    Ok(())
}

fn result_objects(s: &RfmScores, ids: &JsValue) -> Result<JsValue, JsValue> {
    let (thresholds, segments, heatmap) = summaries(s);
    let customers = build_rfm_customers(
        ids,
        &Float64Array::from(&s.metrics.recency_days[..]),
        &Float64Array::from(&s.metrics.frequency[..]),
        &Float64Array::from(&s.metrics.monetary[..]),
        &Uint8Array::from(&s.scores[0][..]),
        &Uint8Array::from(&s.scores[1][..]),
        &Uint8Array::from(&s.scores[2][..]),
        &Uint8Array::from(&s.segment[..]),
        &convert::to_js(&s.segment_names)?,
    );
    let o = Object::new();
    set(&o, "asOf", &dates::format_day(s.metrics.as_of).into());
    set(&o, "customers", &customers);
    set(&o, "thresholds", &convert::to_js(&thresholds)?);
    set(&o, "segments", &convert::to_js(&segments)?);
    set(&o, "heatmap", &convert::to_js(&heatmap)?);
    if let Some(note) = &s.segment_note {
        set(&o, "segmentNote", &note.into());
    }
    Ok(o.into())
}

fn tie_key(plan: &RfmPlan, ids: &Array) -> Option<Vec<u32>> {
    (plan.binning == core::Binning::EqualCount).then(|| convert::tie_ranks(ids))
}

fn rfm_impl(orders: &JsValue, options: &JsValue) -> Result<(RfmScores, Array), Error> {
    let (opts, _) = convert::rfm_options(options, false)?;
    let plan = RfmPlan::new(&opts)?;
    let o = read_orders(orders)?;
    let mut agg = core::OrderAggregator::with_customers(o.ids.length() as usize, opts.as_of);
    agg.push_columns(&o.customer, &o.day, &o.amount)?;
    if let Some(e) = o.bad {
        return Err(e);
    }
    let ids = o.ids;
    let tie = tie_key(&plan, &ids);
    let scores = core::score(agg.finish()?, &plan, tie.as_deref())?;
    Ok((scores, ids))
}

/// RFM scores and segments from raw orders (`{ customerId, date, amount }`).
/// Throws a `CrmScoreError` on bad input; never returns partial results.
#[wasm_bindgen(unchecked_return_type = "RfmResult")]
pub fn rfm(
    #[wasm_bindgen(unchecked_param_type = "Order[]")] orders: JsValue,
    options: Option<RfmOptionsArg>,
) -> Result<JsValue, JsValue> {
    let (scores, ids) = js(rfm_impl(&orders, &optional(options)))?;
    result_objects(&scores, &ids)
}

fn from_customers_impl(
    customers: &JsValue,
    options: &JsValue,
) -> Result<(RfmScores, Array), Error> {
    let (opts, _) = convert::rfm_options(options, false)?;
    let plan = RfmPlan::new(&opts)?;
    let arr = convert::rows(customers, "customers")?;
    let (min, max) = dates::day_bounds();
    let x = extract_customers(&arr, min, max);
    let ids = prop::<Array>(&x, "ids");
    let mut last = prop::<Int32Array>(&x, "lastDate").to_vec();
    if let Some(mut u) = convert::Unread::of(&x) {
        // The row's own lastOrderDate, when the glue read it, comes before the field it
        // stopped at: a date string that does not parse is that row's error.
        let code = last.get(u.row).copied().unwrap_or(i32::MIN);
        if u.row_started() && code > max {
            let value = prop::<Array>(&x, "dates").get((code - max - 1) as u32);
            if convert::date_value(&value).is_err() {
                u.field = "lastOrderDate".into();
                u.value = value;
            }
        }
        return Err(u.error(TableName::Customers, &ids));
    }
    let recency = prop::<Float64Array>(&x, "recency").to_vec();
    decode_days(&mut last, &prop::<Array>(&x, "dates"), "lastOrderDate")
        .map_err(|e| e.in_table(TableName::Customers))?;
    let frequency = prop::<Float64Array>(&x, "frequency").to_vec();
    let monetary = prop::<Float64Array>(&x, "monetary").to_vec();
    let rows: Vec<core::CustomerAggregate> = (0..recency.len())
        .map(|i| core::CustomerAggregate {
            recency_days: (!recency[i].is_nan()).then_some(recency[i]),
            last_order_day: (last[i] != i32::MIN).then_some(last[i]),
            frequency: frequency[i],
            monetary: monetary[i],
        })
        .collect();
    let today = dates::ms_to_day(js_sys::Date::now()).unwrap_or(0);
    let metrics = core::metrics_from_aggregates(&rows, opts.as_of, today)?;
    let tie = tie_key(&plan, &ids);
    Ok((core::score(metrics, &plan, tie.as_deref())?, ids))
}

/// RFM from per-customer aggregates (`recencyDays` or `lastOrderDate`, `frequency`, `monetary`).
#[wasm_bindgen(js_name = rfmFromCustomers, unchecked_return_type = "RfmResult")]
pub fn rfm_from_customers(
    #[wasm_bindgen(unchecked_param_type = "CustomerAggregate[]")] customers: JsValue,
    options: Option<RfmOptionsArg>,
) -> Result<JsValue, JsValue> {
    let (scores, ids) = js(from_customers_impl(&customers, &optional(options)))?;
    result_objects(&scores, &ids)
}

fn columnar_impl(
    customer: &Uint32Array,
    dates_col: &JsValue,
    amount: &Float64Array,
    options: &JsValue,
) -> Result<RfmScores, Error> {
    let (opts, count) = convert::rfm_options(options, true)?;
    let plan = RfmPlan::new(&opts)?;
    let n = customer.length();
    let (days_i32, days_ms) = (
        dates_col.dyn_ref::<Int32Array>(),
        dates_col.dyn_ref::<Float64Array>(),
    );
    let date_len = match (days_i32, days_ms) {
        (Some(d), _) => d.length(),
        (_, Some(d)) => d.length(),
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "dates must be an Int32Array of epoch days or a Float64Array of epoch milliseconds, got {}",
                    convert::type_of(dates_col)
                ),
            )
            .field("dates"))
        }
    };
    if date_len != n || amount.length() != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!(
                "customerIndex, dates and amounts differ in length ({n}, {date_len}, {})",
                amount.length()
            ),
        ));
    }
    let mut agg = match count {
        Some(c) => core::OrderAggregator::with_customers(c, opts.as_of),
        None => core::OrderAggregator::growable(opts.as_of),
    };
    // Copy in chunks into reused buffers: the wasm memory never holds all the orders, and
    // chunks of the aggregator's preferred size stay in cache between the copy and its passes.
    let chunk = agg.preferred_chunk() as u32;
    let cap = chunk.min(n.max(1)) as usize;
    let (mut bc, mut bd, mut ba) = (vec![0u32; cap], vec![0i32; cap], vec![0f64; cap]);
    let mut bms = if days_ms.is_some() {
        vec![0f64; cap]
    } else {
        Vec::new()
    };
    let mut start = 0u32;
    while start < n {
        let end = (start + chunk).min(n);
        let len = (end - start) as usize;
        customer.subarray(start, end).copy_to(&mut bc[..len]);
        amount.subarray(start, end).copy_to(&mut ba[..len]);
        if let Some(d) = days_i32 {
            d.subarray(start, end).copy_to(&mut bd[..len]);
        } else if let Some(d) = days_ms {
            d.subarray(start, end).copy_to(&mut bms[..len]);
            for i in 0..len {
                bd[i] = dates::ms_to_day(bms[i]).map_err(|e| {
                    Error::row_field(ErrorCode::InvalidDate, start as usize + i, "dates", e)
                })?;
            }
        }
        if count.is_none() {
            // Without customerCount the table grows to the largest index + 1: bound it.
            check_indices(&bc[..len], start as usize)?;
        }
        agg.push_columns(&bc[..len], &bd[..len], &ba[..len])?;
        start = end;
        crate::progress::report_fraction(0.8 * end as f64 / n as f64);
    }
    core::score(agg.finish()?, &plan, None)
}

/// Customer indices below [`convert::MAX_CUSTOMERS`] (rows counted from `base`).
pub(crate) fn check_indices(customer: &[u32], base: usize) -> Result<(), Error> {
    let max = customer.iter().copied().max().unwrap_or(0) as usize;
    if max < convert::MAX_CUSTOMERS {
        return Ok(());
    }
    let i = customer
        .iter()
        .position(|&c| c as usize >= convert::MAX_CUSTOMERS)
        .unwrap_or(0);
    Err(Error::row_field(
        ErrorCode::InvalidCustomerId,
        base + i,
        "customerIndex",
        format!(
            "customer index {} is too large (at most {} customers)",
            customer[i],
            convert::MAX_CUSTOMERS
        ),
    ))
}

fn set(obj: &Object, key: &str, v: &JsValue) {
    // Setting a plain data property on a fresh Object cannot fail.
    let _ = Reflect::set(obj, &key.into(), v);
}

/// The columnar fast path: orders as typed arrays, results as typed arrays.
///
/// - `customerIndex`: `Uint32Array`, a dense customer index per order (0-based);
/// - `dates`: `Int32Array` of epoch days (`Math.floor(ms / 86400000)`) or `Float64Array` of epoch ms;
/// - `amounts`: `Float64Array`.
/// `options.customerCount` fixes the number of customers (default: largest index + 1).
#[wasm_bindgen(js_name = rfmColumnar, unchecked_return_type = "RfmColumnarResult")]
pub fn rfm_columnar(
    #[wasm_bindgen(js_name = customerIndex)] customer_index: &Uint32Array,
    #[wasm_bindgen(unchecked_param_type = "Int32Array | Float64Array")] dates: JsValue,
    amounts: &Float64Array,
    options: Option<RfmOptionsArg>,
) -> Result<JsValue, JsValue> {
    let s = js(columnar_impl(
        customer_index,
        &dates,
        amounts,
        &optional(options),
    ))?;
    let o = Object::new();
    set(&o, "asOf", &dates::format_day(s.metrics.as_of).into());
    set(&o, "customerCount", &(s.segment.len() as f64).into());
    set(
        &o,
        "recencyDays",
        &Float64Array::from(&s.metrics.recency_days[..]).into(),
    );
    let freq: Vec<u32> = s.metrics.frequency.iter().map(|&f| f as u32).collect();
    set(&o, "frequency", &Uint32Array::from(&freq[..]).into());
    set(
        &o,
        "monetary",
        &Float64Array::from(&s.metrics.monetary[..]).into(),
    );
    set(
        &o,
        "recencyScore",
        &Uint8Array::from(&s.scores[0][..]).into(),
    );
    set(
        &o,
        "frequencyScore",
        &Uint8Array::from(&s.scores[1][..]).into(),
    );
    set(
        &o,
        "monetaryScore",
        &Uint8Array::from(&s.scores[2][..]).into(),
    );
    set(&o, "segment", &Uint8Array::from(&s.segment[..]).into());
    set(&o, "segmentNames", &convert::to_js(&s.segment_names)?);
    let (thresholds, segments, heatmap) = summaries(&s);
    set(&o, "thresholds", &convert::to_js(&thresholds)?);
    set(&o, "segments", &convert::to_js(&segments)?);
    set(&o, "heatmap", &convert::to_js(&heatmap)?);
    if let Some(note) = &s.segment_note {
        set(&o, "segmentNote", &note.into());
    }
    Ok(o.into())
}

/// Orders `{ customerId, date, amount }` read into columns (for other bindings, e.g.
/// `summarize`): (customer ids in first-seen order, customer index, epoch day, amount) of
/// the rows before the first unreadable one, and that row's precise error. The caller
/// checks the prefix with its own core first, so errors come in row order.
pub(crate) struct OrderColumns {
    pub ids: Array,
    pub customer: Vec<u32>,
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    pub bad: Option<Error>,
}

/// Order records → columns; every error names the orders table.
pub(crate) fn read_orders(orders: &JsValue) -> Result<OrderColumns, Error> {
    read_order_rows(orders).map_err(|e| e.in_table(TableName::Orders))
}

fn read_order_rows(orders: &JsValue) -> Result<OrderColumns, Error> {
    let arr = convert::rows(orders, "orders")?;
    let (min, max) = dates::day_bounds();
    let x = extract_orders(&arr, min, max);
    let unread = convert::Unread::of(&x);
    let upto = unread.as_ref().map_or(arr.length(), |u| u.row as u32);
    let customer = prop::<Uint32Array>(&x, "customer")
        .subarray(0, upto)
        .to_vec();
    // The stop row's date too when the glue read it (it comes before the field it stopped at).
    let started = unread.as_ref().is_some_and(|u| u.row_started()) as u32;
    let mut day = prop::<Int32Array>(&x, "date")
        .subarray(0, upto + started)
        .to_vec();
    decode_days(&mut day, &prop::<Array>(&x, "dates"), "date")?;
    day.truncate(upto as usize);
    let amount = prop::<Float64Array>(&x, "amount")
        .subarray(0, upto)
        .to_vec();
    let ids = prop::<Array>(&x, "ids");
    let bad = unread.map(|u| u.error(TableName::Orders, &ids));
    Ok(OrderColumns {
        ids,
        customer,
        day,
        amount,
        bad,
    })
}
