//! Reading a function's options object: the one reader every option set goes through, over
//! the same [`Node`] view as the model formats (a [`Json`](crate::model_io::Json) value in
//! Rust, a JavaScript object in the binding, read in place).
//!
//! An absent options object (undefined / null) reads as empty. Unknown keys are refused
//! (a typo fails loudly, listing the known keys); every error is `invalid_option` (or
//! `invalid_date` for a date) with the option's path in `field` (`"lifetime.clv.horizon"`)
//! and table `options`.

use crate::dates;
use crate::error::{describe_number, Error, ErrorCode, TableName};
use crate::model_io::Node;

/// An options object and where it sits (`""` at the top, `"lifetime"` for a nested one).
pub struct Options<N: Node> {
    node: N,
    prefix: String,
}

impl<N: Node> Options<N> {
    /// The options object `node` with these `known` keys.
    pub fn new(node: N, known: &[&str]) -> Result<Self, Error> {
        Options::at(node, String::new(), known)
    }

    /// An options object nested at `prefix` (`"lifetime"`): its errors name `lifetime.…`.
    pub fn at_path(node: N, prefix: &str, known: &[&str]) -> Result<Self, Error> {
        Options::at(node, prefix.to_string(), known)
    }

    fn at(node: N, prefix: String, known: &[&str]) -> Result<Self, Error> {
        let o = Options { node, prefix };
        if o.node.is_missing() {
            return Ok(o);
        }
        if !o.node.is_plain_object() {
            let what = if o.prefix.is_empty() {
                "options".to_string()
            } else {
                o.prefix.clone()
            };
            return Err(Error::option(
                what.clone(),
                format!("{what} must be an object, got {}", o.node.describe()),
            ));
        }
        for k in o.node.keys() {
            if !known.contains(&k.as_str()) {
                return Err(Error::option(
                    o.path(&k),
                    format!(
                        "unknown option \"{k}\"; known options: {}",
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(o)
    }

    /// No options object was given.
    pub fn is_missing(&self) -> bool {
        self.node.is_missing()
    }

    /// The path of `key` for messages.
    pub fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// The raw value of `key` (missing when absent).
    pub fn get(&self, key: &str) -> N {
        self.node.get(key)
    }

    /// The value of `key`, `None` when absent (undefined / null).
    fn present(&self, key: &str) -> Option<N> {
        let v = self.node.get(key);
        (!v.is_missing()).then_some(v)
    }

    /// An error about option `key`.
    pub fn error(&self, key: &str, detail: impl Into<String>) -> Error {
        Error::option(self.path(key), detail)
    }

    /// A number (NaN and ±Infinity included: the caller checks the range).
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        v.as_f64()
            .map(Some)
            .ok_or_else(|| self.error(key, format!("{key} must be a number, got {}", v.describe())))
    }

    /// A required number.
    pub fn required_number(&self, key: &str, what: &str) -> Result<f64, Error> {
        self.number(key)?
            .ok_or_else(|| self.error(key, format!("{key} is required ({what})")))
    }

    /// A whole number in `lo..=hi`.
    pub fn integer(&self, key: &str, lo: f64, hi: f64) -> Result<Option<f64>, Error> {
        let Some(x) = self.number(key)? else {
            return Ok(None);
        };
        if x.fract() != 0.0 || !(lo..=hi).contains(&x) {
            return Err(self.error(
                key,
                format!(
                    "{key} must be a whole number {}..{}, got {}",
                    describe_number(lo),
                    describe_number(hi),
                    describe_number(x)
                ),
            ));
        }
        Ok(Some(x))
    }

    /// `true` or `false`.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, Error> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        v.as_bool().map(Some).ok_or_else(|| {
            self.error(
                key,
                format!("{key} must be true or false, got {}", v.describe()),
            )
        })
    }

    /// A date: `"YYYY-MM-DD"` (or an ISO date-time), epoch milliseconds, or a JS `Date`
    /// → epoch day (`invalid_date` when it is none of these or not a calendar day).
    pub fn day(&self, key: &str) -> Result<Option<i32>, Error> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        let r = if let Some(s) = v.as_string() {
            dates::parse_day(&s)
        } else if let Some(ms) = v.as_f64().or_else(|| v.as_date_ms()) {
            dates::ms_to_day(ms)
        } else {
            Err(format!(
                "expected a date string, epoch milliseconds or a Date, got {}",
                v.describe()
            ))
        };
        r.map(Some).map_err(|e| {
            Error::new(ErrorCode::InvalidDate, e)
                .field(self.path(key))
                .in_table(TableName::Options)
        })
    }

    /// A nested options object under `key` with its own known keys (`None` when absent).
    pub fn nested(&self, key: &str, known: &[&str]) -> Result<Option<Options<N>>, Error> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        Options::at(v, self.path(key), known).map(Some)
    }
}
