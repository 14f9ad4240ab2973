//! One error type for the whole core: a stable machine-readable code, a message a
//! person understands, and where it applies the input row and field.

use std::fmt;

/// Stable error codes. Their string form (`as_str`) is part of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A date that cannot be parsed, is impossible (2025-02-30) or out of range.
    InvalidDate,
    /// An amount that is not a finite number ≥ 0.
    InvalidAmount,
    /// A required field is absent (or `null` / `undefined`).
    MissingField,
    /// A field has the wrong type or an impossible value (other than dates and amounts).
    InvalidValue,
    /// A customer id that is neither a non-empty string nor a finite number.
    InvalidCustomerId,
    /// An option is unknown, out of range or inconsistent.
    InvalidOption,
    /// The input holds no rows.
    EmptyInput,
    /// An order (or last-order date) falls after the analysis date.
    DateAfterAsOf,
    /// Two input arrays that must have the same length do not.
    LengthMismatch,
    /// A scoring model is invalid (the field names its JSON path).
    InvalidModel,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::InvalidCustomerId => "invalid_customer_id",
            ErrorCode::InvalidOption => "invalid_option",
            ErrorCode::EmptyInput => "empty_input",
            ErrorCode::DateAfterAsOf => "date_after_as_of",
            ErrorCode::LengthMismatch => "length_mismatch",
            ErrorCode::InvalidModel => "invalid_model",
        }
    }
}

/// The core's error: code + human message + optional row index and field name.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub code: ErrorCode,
    /// What went wrong, without the row/field prefix (see `Display` for the full text).
    pub detail: String,
    /// Index of the offending element in the input array, when the error is about one row.
    pub row: Option<usize>,
    /// Field name or option path (`"amount"`, `"bins.recency"`, `"segments[2].recency"`).
    pub field: Option<String>,
}

impl Error {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            detail: detail.into(),
            row: None,
            field: None,
        }
    }
    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
    /// An error about one field of one input row.
    pub fn row_field(code: ErrorCode, row: usize, field: &str, detail: impl Into<String>) -> Self {
        Error::new(code, detail).at_row(row).field(field)
    }
    /// An error about an option, named by its path.
    pub fn option(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidOption, detail).field(path)
    }
    pub fn code_str(&self) -> &'static str {
        self.code.as_str()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.field) {
            (Some(r), Some(fl)) => write!(f, "row {r}, field \"{fl}\": {}", self.detail),
            (Some(r), None) => write!(f, "row {r}: {}", self.detail),
            (None, Some(fl)) => write!(f, "\"{fl}\": {}", self.detail),
            (None, None) => write!(f, "{}", self.detail),
        }?;
        write!(f, " [{}]", self.code.as_str())
    }
}

impl std::error::Error for Error {}

/// Describe a number for an error message (NaN / Infinity spelled as JavaScript does).
pub fn describe_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x == f64::INFINITY {
        "Infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-Infinity".into()
    } else {
        format!("{x}")
    }
}
