//! The saved forms of models (scoring models, fitted BTYD models) as plain data.
//!
//! A model is read from and written to a JSON-like tree. Reading goes through [`Node`], a
//! small view of such a tree, so that one reader serves every source: [`Json`] here (and
//! through it serde: `serde_json`, …), and the JavaScript values of the binding, read in
//! place (no copy of what the reader never looks at). Every error names its JSON path
//! (`indicators[1].scale.bands[1][0]`) and describes the offending value as JavaScript
//! users see it ("the string \"40\"", "an array", …).
//!
//! Writing builds a [`Json`] tree; the binding turns it into JavaScript objects, a Rust user
//! serialises it with serde.

use crate::error::describe_number;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// A JSON value, plus `Undefined` (an absent value, as JavaScript has it). Objects keep
/// their key order.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Json {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

static UNDEFINED: Json = Json::Undefined;

impl Json {
    /// An object from `(key, value)` pairs, leaving out `Undefined` values. (A `Vec`, not
    /// any iterator: one copy of this code in the .wasm.)
    pub fn object(pairs: Vec<(&str, Json)>) -> Json {
        Json::Obj(
            pairs
                .into_iter()
                .filter(|(_, v)| *v != Json::Undefined)
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// A string value.
    pub fn str(s: &str) -> Json {
        Json::Str(s.into())
    }

    /// The value of `key` (the last one if repeated), `Undefined` when absent or not an object.
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(kv) => kv
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map_or(&UNDEFINED, |(_, v)| v),
            _ => &UNDEFINED,
        }
    }
}

impl From<f64> for Json {
    fn from(x: f64) -> Json {
        Json::Num(x)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.into())
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    /// `None` → `Null`.
    fn from(v: Option<T>) -> Json {
        v.map_or(Json::Null, Into::into)
    }
}

/// A read-only view of a JSON-like value, as JavaScript sees it: what a model reader needs.
pub trait Node: Sized {
    /// `obj[key]`: `Undefined` (or its equivalent) when absent or not an object.
    fn get(&self, key: &str) -> Self;
    /// An object's own keys, in order (empty for anything else).
    fn keys(&self) -> Vec<String>;
    /// An array's elements; `None` when not an array.
    fn items(&self) -> Option<Vec<Self>>;
    fn as_f64(&self) -> Option<f64>;
    fn as_string(&self) -> Option<String>;
    fn as_bool(&self) -> Option<bool>;
    /// Undefined or null.
    fn is_missing(&self) -> bool;
    /// `typeof v === "object" && v !== null` (arrays included).
    fn is_object(&self) -> bool;
    fn is_array(&self) -> bool;
    /// A short description for messages: "null", "an array", "the string \"…\"", "the
    /// number 3", or the JavaScript `typeof` ("object", "boolean", "undefined", …).
    fn describe(&self) -> String;
    /// A date object's epoch milliseconds (JavaScript `Date`); `None` for anything else.
    fn as_date_ms(&self) -> Option<f64> {
        None
    }
    /// An object that is not an array.
    fn is_plain_object(&self) -> bool {
        self.is_object() && !self.is_array()
    }
}

/// How messages describe a string: its first 30 characters, quoted.
pub fn describe_string(s: &str) -> String {
    let t: String = s.chars().take(30).collect();
    format!("the string \"{t}\"")
}

impl<'a> Node for &'a Json {
    fn get(&self, key: &str) -> &'a Json {
        Json::get(self, key)
    }
    fn keys(&self) -> Vec<String> {
        match self {
            Json::Obj(kv) => kv.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }
    fn items(&self) -> Option<Vec<&'a Json>> {
        match self {
            Json::Arr(a) => Some(a.iter().collect()),
            _ => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(x) => Some(*x),
            _ => None,
        }
    }
    fn as_string(&self) -> Option<String> {
        match self {
            Json::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn is_missing(&self) -> bool {
        matches!(self, Json::Undefined | Json::Null)
    }
    fn is_object(&self) -> bool {
        matches!(self, Json::Obj(_) | Json::Arr(_))
    }
    fn is_array(&self) -> bool {
        matches!(self, Json::Arr(_))
    }
    fn describe(&self) -> String {
        match self {
            Json::Undefined => "undefined".into(),
            Json::Null => "null".into(),
            Json::Bool(_) => "boolean".into(),
            Json::Num(x) => format!("the number {}", describe_number(*x)),
            Json::Str(s) => describe_string(s),
            Json::Arr(_) => "an array".into(),
            Json::Obj(_) => "object".into(),
        }
    }
}

// ---------------------------------------------------------------- serde

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Undefined | Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Num(x) => s.serialize_f64(*x),
            Json::Str(v) => s.serialize_str(v),
            Json::Arr(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for x in a {
                    seq.serialize_element(x)?;
                }
                seq.end()
            }
            Json::Obj(kv) => {
                let mut map = s.serialize_map(Some(kv.len()))?;
                for (k, v) in kv {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, x: i64) -> Result<Json, E> {
        Ok(Json::Num(x as f64))
    }
    fn visit_u64<E: de::Error>(self, x: u64) -> Result<Json, E> {
        Ok(Json::Num(x as f64))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Json, E> {
        Ok(Json::Num(x))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json, E> {
        Ok(Json::Str(s.into()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Json, E> {
        Ok(Json::Str(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element()? {
            v.push(x);
        }
        Ok(Json::Arr(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut v = Vec::new();
        while let Some((k, x)) = map.next_entry::<String, Json>()? {
            v.push((k, x));
        }
        Ok(Json::Obj(v))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// serde support for a type with a [`Json`] form: `Serialize` through `to_json`,
/// `Deserialize` through the path-naming reader (its [`crate::Error`] as the message).
macro_rules! serde_via_json {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_json().serialize(s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let j = $crate::model_io::Json::deserialize(d)?;
                <$t>::from_json(&j).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_json;
