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

/// The input an error is about: one of the activity tables, the BTYD summaries, a
/// scoring model or the options object. With several input tables, `row 3` alone is
/// ambiguous; the table says which array the row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableName {
    Customers,
    Orders,
    Interactions,
    Returns,
    Payments,
    Summaries,
    Model,
    Options,
}

impl TableName {
    /// The name as the JS API spells the input (`data.orders`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            TableName::Customers => "customers",
            TableName::Orders => "orders",
            TableName::Interactions => "interactions",
            TableName::Returns => "returns",
            TableName::Payments => "payments",
            TableName::Summaries => "summaries",
            TableName::Model => "model",
            TableName::Options => "options",
        }
    }
    /// The table a JS `data` key names.
    pub fn from_name(name: &str) -> Option<TableName> {
        [
            TableName::Customers,
            TableName::Orders,
            TableName::Interactions,
            TableName::Returns,
            TableName::Payments,
            TableName::Summaries,
            TableName::Model,
            TableName::Options,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
    /// Data tables name themselves in the message; a model or options error is already
    /// named by its path.
    fn in_message(self) -> bool {
        !matches!(self, TableName::Model | TableName::Options)
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The core's error: code + human message + where: the input table, row index and field.
/// The message (`Display`) is rendered from these parts once, at the boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub code: ErrorCode,
    /// What went wrong, without the table/row/field prefix (see `Display` for the full text).
    pub detail: String,
    /// The input the error is about, when known.
    pub table: Option<TableName>,
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
            // A scoring model's error is always about the model.
            table: (code == ErrorCode::InvalidModel).then_some(TableName::Model),
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
    /// Name the input table (kept when one is already set: the innermost caller knows best).
    pub fn in_table(mut self, table: TableName) -> Self {
        self.table.get_or_insert(table);
        self
    }
    /// The same error for an input nested under `prefix` (an option object inside another:
    /// `lifetime` + `clv.horizon` → field `lifetime.clv.horizon`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field.take() {
            Some(f) if !f.is_empty() => format!("{prefix}.{f}"),
            _ => prefix.to_string(),
        });
        self
    }
    /// Where, as one path: `orders[3].amount`, `model.indicators[1].weight`, `options.asOf`.
    pub fn path(&self) -> Option<String> {
        let mut p = String::new();
        if let Some(t) = self.table {
            p.push_str(t.as_str());
            if let Some(r) = self.row {
                p.push_str(&format!("[{r}]"));
            }
        }
        if let Some(f) = &self.field {
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(f);
        }
        (!p.is_empty()).then_some(p)
    }
    /// An error about one field of one input row.
    pub fn row_field(code: ErrorCode, row: usize, field: &str, detail: impl Into<String>) -> Self {
        Error::new(code, detail).at_row(row).field(field)
    }
    /// An error about one field of one row of a named input table.
    pub fn cell(
        code: ErrorCode,
        table: TableName,
        row: usize,
        field: &str,
        detail: impl Into<String>,
    ) -> Self {
        Error::row_field(code, row, field, detail).in_table(table)
    }
    /// An error about an option, named by its path.
    pub fn option(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidOption, detail)
            .field(path)
            .in_table(TableName::Options)
    }
    pub fn code_str(&self) -> &'static str {
        self.code.as_str()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(t) = self.table.filter(|t| t.in_message()) {
            write!(f, "{t}: ")?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_and_path_are_rendered_from_table_row_and_field() {
        let e = Error::cell(
            ErrorCode::InvalidAmount,
            TableName::Payments,
            4,
            "amount",
            "x",
        );
        assert_eq!(
            e.to_string(),
            "payments: row 4, field \"amount\": x [invalid_amount]"
        );
        assert_eq!(e.path().as_deref(), Some("payments[4].amount"));
        // The innermost table wins; a model or options error is named by its path alone.
        assert_eq!(
            e.clone().in_table(TableName::Orders).table,
            Some(TableName::Payments)
        );
        let o = Error::option("bins.recency", "y").under("rfm");
        assert_eq!(o.to_string(), "\"rfm.bins.recency\": y [invalid_option]");
        assert_eq!(o.path().as_deref(), Some("options.rfm.bins.recency"));
        let m = Error::new(ErrorCode::InvalidModel, "z").field("tiers[1].min");
        assert_eq!(m.table, Some(TableName::Model));
        assert_eq!(m.path().as_deref(), Some("model.tiers[1].min"));
        assert_eq!(Error::new(ErrorCode::EmptyInput, "w").path(), None);
        for t in ["customers", "orders", "summaries", "model", "options"] {
            assert_eq!(TableName::from_name(t).map(TableName::as_str), Some(t));
        }
    }
}
