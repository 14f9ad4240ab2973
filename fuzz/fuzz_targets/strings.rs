//! Packed string columns and the string-consuming core: contact columns (email, phone)
//! → `classify` (normalisation, validity, duplicate groups by hashing), `Column::strings`
//! (interning), `normalize_email` / `email_is_valid` / `normalize_phone`, and
//! `ClassifyOptions::validate`.
//!
//! The packed-column decoder itself (`strings()` / `Packed` in `src/wasm/activity.rs`)
//! takes a `JsValue` and compiles for wasm32 only. This target feeds the core what that
//! decoder produces: the input bytes are split as `packStrings` packs a column (UTF-8,
//! lossily decoded, rows separated by NUL, a missing-row mask), and the rows go to the core.
//!
//! Properties beyond "no panic":
//! - interning round-trips every row, equal strings share a code, the dictionary has no
//!   duplicates;
//! - `normalize_email` is idempotent; a valid email is ASCII with one `@`; a normalised
//!   phone is 7–15 ASCII digits, not all equal;
//! - `classify`: `invalid_email` / `invalid_phone` exactly for non-blank values that do
//!   not normalise to a valid one; `duplicate_contact` exactly for customers sharing a
//!   normalised valid email or phone with another, with the right count and the
//!   ascending list of the others (at most `maxDuplicateEvidence`);
//! - an option error names the option (`invalid_option`).
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use common::Amount;
use crmscore::activity::*;
use crmscore::classify::*;
use crmscore::scoring::{Column, NO_STRING};
use crmscore::ErrorCode;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

#[derive(Arbitrary, Debug)]
struct Input {
    /// Two packed columns: bytes (rows separated by NUL) and the missing mask.
    email: (Vec<u8>, Vec<bool>),
    phone: (Vec<u8>, Vec<bool>),
    orders: Vec<(u8, u8, Amount)>,
    max_duplicate_evidence: u8,
    /// An option to set to an odd value (index, value).
    odd_option: Option<(u8, i32)>,
}

/// A column as the binding's decoder yields it: lossy UTF-8, split on NUL, masked.
fn unpack<'a>(text: &'a str, missing: &[bool]) -> Vec<Option<&'a str>> {
    text.split('\0')
        .enumerate()
        .map(|(i, s)| (!missing.get(i).copied().unwrap_or(false)).then_some(s))
        .collect()
}

fn options(inp: &Input) -> ClassifyOptions {
    let mut o = ClassifyOptions {
        max_duplicate_evidence: inp.max_duplicate_evidence as u32 % 5,
        ..ClassifyOptions::default()
    };
    if o.max_duplicate_evidence == 0 && inp.odd_option.is_none() {
        o.max_duplicate_evidence = 3;
    }
    if let Some((k, v)) = inp.odd_option {
        let f = v as f64 / 4.0;
        match k % 12 {
            0 => o.new_days = v,
            1 => o.churn_days = v,
            2 => o.at_risk_days = v,
            3 => o.rhythm_min_orders = v as u32,
            4 => o.overdue_factor = f,
            5 => o.rhythm_factor = f,
            6 => o.high_value_share = f,
            7 => o.mid_value_share = f,
            8 => o.one_time_amount = f64::from_bits(v as u64 | (v as u64) << 32),
            9 => o.decline_share = f,
            10 => o.p_alive_threshold = f,
            _ => o.decline_window_days = v,
        }
    }
    o
}

fn check_interning(col: &[Option<&str>]) {
    let c = Column::strings(col);
    assert_eq!(c.len(), col.len());
    let Column::Str { codes, dict } = &c else {
        panic!("not a string column")
    };
    for (i, dv) in dict.iter().enumerate() {
        assert!(
            !dict[..i].contains(dv),
            "duplicate {dv:?} in the dictionary"
        );
    }
    for (i, v) in col.iter().enumerate() {
        match v {
            None => assert_eq!(codes[i], NO_STRING),
            Some(s) => assert_eq!(c.key(i).as_deref(), Some(*s)),
        }
    }
}

fn groups(vals: &[Option<String>]) -> BTreeMap<&str, Vec<usize>> {
    let mut g: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in vals.iter().enumerate() {
        if let Some(v) = v {
            g.entry(v.as_str()).or_default().push(i);
        }
    }
    g
}

fn blank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

fuzz_target!(|inp: Input| {
    let et = String::from_utf8_lossy(&inp.email.0);
    let pt = String::from_utf8_lossy(&inp.phone.0);
    let emails = unpack(&et, &inp.email.1);
    let phones = unpack(&pt, &inp.phone.1);
    check_interning(&emails);
    check_interning(&phones);

    let mut valid_email: Vec<Option<String>> = Vec::new();
    for e in &emails {
        valid_email.push(blank(*e).and_then(|e| {
            let n = normalize_email(e);
            assert_eq!(
                normalize_email(&n),
                n,
                "normalize_email not idempotent on {e:?}"
            );
            email_is_valid(&n).then(|| {
                assert!(n.is_ascii() && n.matches('@').count() == 1, "{n:?}");
                n
            })
        }));
    }
    let mut valid_phone: Vec<Option<String>> = Vec::new();
    for p in &phones {
        valid_phone.push(blank(*p).and_then(|p| {
            let q = normalize_phone(p)?;
            assert!(q.bytes().all(|b| b.is_ascii_digit()), "{q:?}");
            assert!((7..=15).contains(&q.len()), "{q:?}");
            assert!(q.bytes().any(|b| b != q.as_bytes()[0]), "{q:?}");
            Some(q)
        }));
    }

    let oc: Vec<u32> = inp.orders.iter().map(|o| o.0 as u32 % 16).collect();
    let od: Vec<i32> = inp.orders.iter().map(|o| 19_000 + o.1 as i32).collect();
    let oa: Vec<f64> = inp.orders.iter().map(|o| o.2 .0).collect();
    let a = Activity {
        orders: Orders {
            customer: &oc,
            day: &od,
            amount: &oa,
            status: None,
            discount: None,
        },
        ..Activity::default()
    };
    let contacts = Contacts {
        email: Some(&emails),
        phone: Some(&phones),
    };
    let opts = options(&inp);
    let res = match classify(&a, &contacts, &opts) {
        Ok(r) => r,
        Err(e) => {
            if let Err(v) = opts.validate() {
                assert_eq!(e, v);
                assert_eq!(e.code, ErrorCode::InvalidOption);
                assert!(e.field.is_some());
            } else {
                assert!(e.code != ErrorCode::InvalidOption, "{e}");
            }
            return;
        }
    };
    opts.validate().expect("classify accepted invalid options");
    let n = res.customers.len();
    assert!(n >= emails.len() && n >= phones.len());
    let ge = groups(&valid_email);
    let gp = groups(&valid_phone);
    let ev_num = |f: &Flag, k: &str| match f.evidence.iter().find(|e| e.0 == k).map(|e| &e.1) {
        Some(EvidenceValue::Num(x)) => Some(*x),
        None => None,
        other => panic!("{other:?}"),
    };
    let ev_str = |f: &Flag, k: &str| match f.evidence.iter().find(|e| e.0 == k).map(|e| &e.1) {
        Some(EvidenceValue::Str(s)) => Some(s.clone()),
        None => None,
        other => panic!("{other:?}"),
    };
    for i in 0..n {
        let c = &res.customers[i];
        let e = blank(emails.get(i).copied().flatten());
        let p = blank(phones.get(i).copied().flatten());
        let ve = valid_email.get(i).cloned().flatten();
        let vp = valid_phone.get(i).cloned().flatten();
        assert_eq!(
            c.has(FlagCode::InvalidEmail),
            e.is_some() && ve.is_none(),
            "row {i} email {e:?}"
        );
        assert_eq!(
            c.has(FlagCode::InvalidPhone),
            p.is_some() && vp.is_none(),
            "row {i} phone {p:?}"
        );
        let others = |g: &BTreeMap<&str, Vec<usize>>, v: &Option<String>| {
            v.as_deref()
                .map(|v| g[v].iter().copied().filter(|&j| j != i).collect::<Vec<_>>())
                .filter(|o| !o.is_empty())
        };
        let de = others(&ge, &ve);
        let dp = others(&gp, &vp);
        let flag = c.flag(FlagCode::DuplicateContact);
        assert_eq!(flag.is_some(), de.is_some() || dp.is_some(), "row {i}");
        if let Some(f) = flag {
            for (o, count, of) in [
                (&de, "duplicateEmailCount", "duplicateEmailOf"),
                (&dp, "duplicatePhoneCount", "duplicatePhoneOf"),
            ] {
                match o {
                    None => assert!(ev_num(f, count).is_none()),
                    Some(list) => {
                        assert_eq!(ev_num(f, count), Some(list.len() as f64));
                        let want: Vec<String> = list
                            .iter()
                            .take(opts.max_duplicate_evidence as usize)
                            .map(|j| j.to_string())
                            .collect();
                        assert_eq!(ev_str(f, of), Some(want.join(",")));
                    }
                }
            }
        }
    }
});
