//! `generateCrm`: the deterministic CRM data generator of this crate (customers
//! with contacts and attributes, orders, interactions, returns, payments, and the planted
//! truth) as typed columns that `classifyColumnar`, `crossTab` and the demo page take as is.

use crate as core;
use crate::{Channel, CrmSampleOptions, Industry, PaymentMethod, Persona, Region};
use crmscore::classify::FlagCode;
use crmscore::dates;
use crmscore::error::Error;
use crmscore::js::js;
use crmscore::options::Options;
use js_sys::{
    Array, Float64Array, Int32Array, Object, Reflect, Uint16Array, Uint32Array, Uint8Array,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CRM_SAMPLE: &'static str = r#"
export interface GenerateCrmOptions {
  /** 1 ..= 10,000,000. Default 10,000. */
  customers?: number;
  /** Same seed, same data. Default 1. */
  seed?: number;
  /** The analysis date: nothing is dated after it. Default 2026-06-30. */
  asOf?: string | number | Date;
  /** Years of history, 1 ..= 50. Default 3. */
  years?: number;
  /** Share of customers planted as junk (eight kinds), 0 ..= 1. Default 0.08. */
  junkShare?: number;
  /** Probability that a customer's buying stops before asOf, 0 ..= 1. Default 0.4. */
  churnShare?: number;
  /** Share of deal hunters (planted price_sensitive). Default 0.04. */
  dealHunterShare?: number;
}

/** Generated CRM data: a crmscore `ColumnarActivity` (pass it to `classifyColumnar`, `Scorer`,
 *  `crossTab` as is) plus attributes and the planted truth. */
export interface CrmSample {
  asOf: string;
  customerIds: string[];
  createdAt: Int32Array;
  email: (string | null)[];
  phone: (string | null)[];
  /** Chinese and Latin names. */
  name: string[];
  /** 华东, 华南, … (attributes for crossTab). */
  region: string[];
  channel: string[];
  industry: string[];
  orders: { customer: Uint32Array; date: Int32Array; amount: Float64Array; status: Uint8Array; discount: Float64Array; paymentMethod: Uint8Array };
  interactions: { customer: Uint32Array; date: Int32Array; type: Uint8Array; value: Float64Array };
  returns: { customer: Uint32Array; date: Int32Array; amount: Float64Array };
  payments: { customer: Uint32Array; date: Int32Array; amount: Float64Array; status: Uint8Array; daysLate: Float64Array };
  /** Names of orders.paymentMethod codes. */
  paymentMethods: string[];
  /** What the generator planted: per customer the persona, the flags it should carry
   *  (bit k = flagCodes[k]) and whether its buying process really stopped. */
  truth: { persona: string[]; flags: Uint16Array; flagCodes: string[]; churned: Uint8Array; churnDay: Int32Array };
  [other: string]: unknown;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "GenerateCrmOptions")]
    pub type GenerateCrmOptionsArg;
}

#[wasm_bindgen(module = "/src/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = unpackStrings)]
    fn unpack_strings(bytes: &Uint8Array, missing: &JsValue) -> Array;
    #[wasm_bindgen(js_name = labels)]
    fn labels(codes: &Uint8Array, names: &Array) -> Array;
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

fn options(o: &JsValue) -> Result<CrmSampleOptions, Error> {
    let o = Options::new(
        o.clone(),
        &[
            "customers",
            "seed",
            "asOf",
            "years",
            "junkShare",
            "churnShare",
            "dealHunterShare",
        ],
    )?;
    let mut opts = CrmSampleOptions::default();
    if o.is_missing() {
        return Ok(opts);
    }
    let whole = |k: &str, x: f64, max: f64| -> Result<f64, Error> {
        if x.fract() == 0.0 && (1.0..=max).contains(&x) {
            Ok(x)
        } else {
            Err(o.error(
                k,
                format!(
                    "{k} must be a whole number from 1 to {max}, got {}",
                    crmscore::error::describe_number(x)
                ),
            ))
        }
    };
    if let Some(x) = o.number("customers")? {
        opts.customers = whole("customers", x, core::MAX_CUSTOMERS as f64)? as usize;
    }
    if let Some(x) = o.number("seed")? {
        if !(x.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&x)) {
            return Err(o.error(
                "seed",
                format!("seed must be a non-negative whole number, got {x}"),
            ));
        }
        opts.seed = x as u64;
    }
    if let Some(x) = o.number("years")? {
        opts.years = whole("years", x, core::MAX_YEARS as f64)? as u32;
    }
    for (k, slot) in [
        ("junkShare", &mut opts.junk_share),
        ("churnShare", &mut opts.churn_share),
        ("dealHunterShare", &mut opts.deal_hunter_share),
    ] {
        if let Some(x) = o.number(k)? {
            *slot = x;
        }
    }
    if let Some(d) = o.day("asOf")? {
        opts.as_of = d;
    }
    opts.validate()?;
    Ok(opts)
}

/// NUL-joined strings (None → "" with a missing mark).
fn pack<S: AsRef<str>>(xs: impl Iterator<Item = Option<S>>) -> (Uint8Array, Option<Uint8Array>) {
    let mut bytes = Vec::new();
    let mut missing = Vec::new();
    let mut any_missing = false;
    for (i, x) in xs.enumerate() {
        if i > 0 {
            bytes.push(0);
        }
        match x {
            Some(s) => {
                // A NUL inside would split the string; none of the generator's strings holds one.
                bytes.extend(s.as_ref().bytes().map(|b| if b == 0 { b'?' } else { b }));
                missing.push(0u8);
            }
            None => {
                missing.push(1);
                any_missing = true;
            }
        }
    }
    (
        Uint8Array::from(&bytes[..]),
        any_missing.then(|| Uint8Array::from(&missing[..])),
    )
}

fn strings<S: AsRef<str>>(xs: impl Iterator<Item = Option<S>>) -> Array {
    let (b, m) = pack(xs);
    unpack_strings(&b, &m.map_or(JsValue::NULL, JsValue::from))
}

fn names<'a>(xs: impl Iterator<Item = &'a str>) -> Array {
    xs.map(JsValue::from_str).collect()
}

fn codes<T: Copy>(xs: &[T], f: impl Fn(T) -> u8) -> Uint8Array {
    let v: Vec<u8> = xs.iter().map(|&x| f(x)).collect();
    Uint8Array::from(&v[..])
}

fn generate_impl(o: &JsValue) -> Result<JsValue, Error> {
    let opts = options(o)?;
    let s = core::generate(&opts)?;
    let out = Object::new();
    let c = &s.customers;
    set(&out, "asOf", &dates::format_day(s.as_of).into());
    set(&out, "customerIds", &strings(c.id.iter()).into());
    set(
        &out,
        "createdAt",
        &Int32Array::from(&c.created_at[..]).into(),
    );
    set(&out, "email", &strings(c.email.iter()).into());
    set(&out, "phone", &strings(c.phone.iter()).into());
    set(&out, "name", &strings(c.name.iter()).into());
    set(
        &out,
        "region",
        &labels(
            &codes(&c.region, |x| x as u8),
            &names(Region::ALL.iter().map(|x| x.name())),
        )
        .into(),
    );
    set(
        &out,
        "channel",
        &labels(
            &codes(&c.channel, |x| x as u8),
            &names(Channel::ALL.iter().map(|x| x.name())),
        )
        .into(),
    );
    set(
        &out,
        "industry",
        &labels(
            &codes(&c.industry, |x| x as u8),
            &names(Industry::ALL.iter().map(|x| x.name())),
        )
        .into(),
    );

    let t = Object::new();
    let o = &s.orders;
    set(&t, "customer", &Uint32Array::from(&o.customer[..]).into());
    set(&t, "date", &Int32Array::from(&o.day[..]).into());
    set(&t, "amount", &Float64Array::from(&o.amount[..]).into());
    set(&t, "status", &codes(&o.status, |x| x as u8).into());
    set(&t, "discount", &Float64Array::from(&o.discount[..]).into());
    set(
        &t,
        "paymentMethod",
        &codes(&o.payment_method, |x| x as u8).into(),
    );
    set(&out, "orders", &t.into());
    set(
        &out,
        "paymentMethods",
        &names(PaymentMethod::ALL.iter().map(|x| x.name())).into(),
    );

    let t = Object::new();
    let i = &s.interactions;
    set(&t, "customer", &Uint32Array::from(&i.customer[..]).into());
    set(&t, "date", &Int32Array::from(&i.day[..]).into());
    set(&t, "type", &codes(&i.kind, |x| x as u8).into());
    set(&t, "value", &Float64Array::from(&i.value[..]).into());
    set(&out, "interactions", &t.into());

    let t = Object::new();
    let r = &s.returns;
    set(&t, "customer", &Uint32Array::from(&r.customer[..]).into());
    set(&t, "date", &Int32Array::from(&r.day[..]).into());
    set(&t, "amount", &Float64Array::from(&r.amount[..]).into());
    set(&out, "returns", &t.into());

    let t = Object::new();
    let p = &s.payments;
    set(&t, "customer", &Uint32Array::from(&p.customer[..]).into());
    set(&t, "date", &Int32Array::from(&p.day[..]).into());
    set(&t, "amount", &Float64Array::from(&p.amount[..]).into());
    set(&t, "status", &codes(&p.status, |x| x as u8).into());
    set(&t, "daysLate", &Float64Array::from(&p.days_late[..]).into());
    set(&out, "payments", &t.into());

    let t = Object::new();
    let tr = &s.truth;
    set(
        &t,
        "persona",
        &labels(
            &codes(&tr.persona, |x| x as u8),
            &names(Persona::ALL.iter().map(|x| x.name())),
        )
        .into(),
    );
    let bits: Vec<u16> = tr.flags.iter().map(|f| f.bits()).collect();
    set(&t, "flags", &Uint16Array::from(&bits[..]).into());
    set(
        &t,
        "flagCodes",
        &names(FlagCode::ALL.iter().map(|x| x.name())).into(),
    );
    let churned: Vec<u8> = tr.churned.iter().map(|&b| b as u8).collect();
    set(&t, "churned", &Uint8Array::from(&churned[..]).into());
    set(&t, "churnDay", &Int32Array::from(&tr.churn_day[..]).into());
    set(&out, "truth", &t.into());
    Ok(out.into())
}

/// Realistic CRM data with planted junk customers of every kind and known churners,
/// deterministic for a seed (see `CrmSample`). Feed it to `classifyColumnar`, `crossTab`
/// (attributes region, channel, industry) or the demo page.
#[wasm_bindgen(js_name = generateCrm, unchecked_return_type = "CrmSample")]
pub fn generate_crm(options: Option<GenerateCrmOptionsArg>) -> Result<JsValue, JsValue> {
    js(generate_impl(
        &options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
    ))
}
