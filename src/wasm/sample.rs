//! `sampleOrders` / `sampleOrdersColumnar`: the built-in generated sample.

use super::convert;
use super::error::js;
use super::{optional, SampleOptionsArg};
use crate::dates;
use crate::error::Error;
use crate::options::Options;
use crate::sample;
use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

fn generate(options: &JsValue) -> Result<sample::SampleOrders, Error> {
    let o = Options::new(options.clone(), &["customers", "seed"])?;
    let customers = o.integer("customers", 1.0, 10_000_000.0)?.unwrap_or(1000.0);
    let seed = o
        .integer("seed", 0.0, 9_007_199_254_740_991.0)?
        .unwrap_or(42.0);
    Ok(sample::sample_orders(
        customers as usize,
        seed as u64,
        sample::default_end_day(),
    ))
}

/// A deterministic sample of orders (`{ customerId, date: "YYYY-MM-DD", amount }`), three years to 2026-06-30.
#[wasm_bindgen(js_name = sampleOrders, unchecked_return_type = "Order[]")]
pub fn sample_orders(options: Option<SampleOptionsArg>) -> Result<JsValue, JsValue> {
    let s = js(generate(&optional(options)))?;
    let out = Array::new_with_length(s.customer.len() as u32);
    let (kc, kd, ka) = (
        JsValue::from_str("customerId"),
        JsValue::from_str("date"),
        JsValue::from_str("amount"),
    );
    let ids: Vec<JsValue> = s
        .customer_ids
        .iter()
        .map(|x| JsValue::from_str(x))
        .collect();
    for i in 0..s.customer.len() {
        let o = Object::new();
        let _ = Reflect::set(&o, &kc, &ids[s.customer[i] as usize]);
        let _ = Reflect::set(&o, &kd, &dates::format_day(s.day[i]).into());
        let _ = Reflect::set(&o, &ka, &s.amount[i].into());
        out.set(i as u32, o.into());
    }
    Ok(out.into())
}

/// The same sample, column-wise.
#[wasm_bindgen(js_name = sampleOrdersColumnar, unchecked_return_type = "SampleOrdersColumnar")]
pub fn sample_orders_columnar(options: Option<SampleOptionsArg>) -> Result<JsValue, JsValue> {
    let s = js(generate(&optional(options)))?;
    let o = Object::new();
    let _ = Reflect::set(
        &o,
        &"customerIndex".into(),
        &Uint32Array::from(&s.customer[..]).into(),
    );
    let _ = Reflect::set(&o, &"dates".into(), &Int32Array::from(&s.day[..]).into());
    let _ = Reflect::set(
        &o,
        &"amounts".into(),
        &Float64Array::from(&s.amount[..]).into(),
    );
    let _ = Reflect::set(&o, &"customerIds".into(), &convert::to_js(&s.customer_ids)?);
    let _ = Reflect::set(&o, &"endDate".into(), &dates::format_day(s.end_day).into());
    Ok(o.into())
}
