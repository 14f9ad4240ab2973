//! Cross-tabulation of customer classes by an attribute (`crossTab`): for every
//! value of one attribute (region, channel, industry, …) the number of customers and their
//! revenue in every class of every dimension (lifecycle, lead stage, value class, junk,
//! tier, RFM segment, …), so a manager sees "junk share by acquisition channel" or
//! "A-tier by region".
//!
//! Everything is dictionary-coded: an attribute is a code per customer (`MISSING` = no
//! value), a dimension is a code per customer into its own label list. One pass over the
//! customers fills a dense `rows × cells` table; rows are then ordered by customers
//! (descending), ties by value, and the row of customers without a value comes last.

use crate::error::{Error, ErrorCode, TableName};

/// Code of "no value" in an attribute or dimension column.
pub const MISSING: u32 = u32::MAX;

/// One classification column: a code per customer into `labels` (`MISSING` = none).
#[derive(Clone, Copy, Debug)]
pub struct Dimension<'a> {
    pub name: &'a str,
    pub labels: &'a [String],
    pub codes: &'a [u32],
}

/// Customers and revenue of one cell.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    pub customers: usize,
    pub revenue: f64,
}

/// One attribute value (or the total).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Index into the attribute's values; `None` = customers without a value (or the total).
    pub value: Option<u32>,
    pub all: Cell,
    /// Per dimension, per label (in the dimension's label order).
    pub classes: Vec<Vec<Cell>>,
}

/// The result of [`cross_tab`].
#[derive(Clone, Debug, PartialEq)]
pub struct CrossTab {
    /// Attribute values first (customers descending, ties by value), then the missing row
    /// when any customer has no value.
    pub rows: Vec<Row>,
    pub total: Row,
}

/// `attribute[i]` = the code of customer `i`'s value among `value_count` values (`MISSING`
/// = none); `revenue[i]` finite (a non-finite revenue is an error naming the row);
/// `dimensions` have one code per customer each. `value_names` (one per code) break ties
/// between equal-sized rows.
pub fn cross_tab(
    attribute: &[u32],
    value_names: &[String],
    revenue: &[f64],
    dimensions: &[Dimension],
) -> Result<CrossTab, Error> {
    let n = attribute.len();
    let value_count = value_names.len();
    if revenue.len() != n {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("revenue has {} entries for {n} customers", revenue.len()),
        )
        .field("revenue"));
    }
    for d in dimensions {
        if d.codes.len() != n {
            return Err(Error::new(
                ErrorCode::LengthMismatch,
                format!(
                    "dimension {} has {} entries for {n} customers",
                    d.name,
                    d.codes.len()
                ),
            )
            .field(d.name));
        }
    }
    // Dense layout: per row, `all` then every dimension's labels.
    let widths: Vec<usize> = dimensions.iter().map(|d| d.labels.len()).collect();
    let width = 1 + widths.iter().sum::<usize>();
    let rows_n = value_count + 1; // last = missing
    let mut cells = vec![Cell::default(); rows_n * width];
    for i in 0..n {
        let r = revenue[i];
        if !r.is_finite() {
            return Err(Error::cell(
                ErrorCode::InvalidAmount,
                TableName::Customers,
                i,
                "revenue",
                format!("revenue must be a finite number, got {r}"),
            ));
        }
        let a = attribute[i];
        let row = if a == MISSING {
            value_count
        } else if (a as usize) < value_count {
            a as usize
        } else {
            return Err(Error::cell(
                ErrorCode::InvalidValue,
                TableName::Customers,
                i,
                "attribute",
                format!("internal: attribute code {a} ≥ {value_count}"),
            ));
        };
        let base = row * width;
        let c = &mut cells[base];
        c.customers += 1;
        c.revenue += r;
        let mut off = base + 1;
        for (d, w) in dimensions.iter().zip(&widths) {
            let k = d.codes[i];
            if k != MISSING {
                if (k as usize) >= *w {
                    return Err(Error::cell(
                        ErrorCode::InvalidValue,
                        TableName::Customers,
                        i,
                        d.name,
                        format!("internal: {} code {k} ≥ {w}", d.name),
                    ));
                }
                let c = &mut cells[off + k as usize];
                c.customers += 1;
                c.revenue += r;
            }
            off += w;
        }
    }
    let row_of = |row: usize, value: Option<u32>| -> Row {
        let s = &cells[row * width..(row + 1) * width];
        let mut classes = Vec::with_capacity(dimensions.len());
        let mut off = 1;
        for w in &widths {
            classes.push(s[off..off + w].to_vec());
            off += w;
        }
        Row {
            value,
            all: s[0],
            classes,
        }
    };
    let mut order: Vec<usize> = (0..value_count)
        .filter(|&v| cells[v * width].customers > 0)
        .collect();
    // Distinct values with distinct names: the order is total, stability is moot.
    order.sort_unstable_by(|&x, &y| {
        cells[y * width]
            .customers
            .cmp(&cells[x * width].customers)
            .then_with(|| value_names[x].cmp(&value_names[y]))
    });
    let mut rows: Vec<Row> = order.iter().map(|&v| row_of(v, Some(v as u32))).collect();
    if cells[value_count * width].customers > 0 {
        rows.push(row_of(value_count, None));
    }
    // Total: the column sums (in row order, so the figures add up exactly as shown).
    let mut total = Row {
        value: None,
        all: Cell::default(),
        classes: widths.iter().map(|&w| vec![Cell::default(); w]).collect(),
    };
    for r in &rows {
        total.all.customers += r.all.customers;
        total.all.revenue += r.all.revenue;
        for (t, c) in total.classes.iter_mut().zip(&r.classes) {
            for (a, b) in t.iter_mut().zip(c) {
                a.customers += b.customers;
                a.revenue += b.revenue;
            }
        }
    }
    Ok(CrossTab { rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_revenue_order_and_missing_row() {
        let names = vec!["north".to_string(), "south".to_string(), "east".to_string()];
        // customers: 0 north, 1 south, 2 south, 3 missing, 4 north, 5 south
        let attr = [0, 1, 1, MISSING, 0, 1];
        let rev = [10.0, 1.0, 2.0, 5.0, 0.0, 4.0];
        let labels = vec!["junk".to_string(), "clean".to_string()];
        let junk = [0, 1, 1, 0, MISSING, 0];
        let t = cross_tab(
            &attr,
            &names,
            &rev,
            &[Dimension {
                name: "junk",
                labels: &labels,
                codes: &junk,
            }],
        )
        .unwrap(); // ok: test code
        assert_eq!(t.rows.len(), 3); // east has no customer → no row
        assert_eq!(t.rows[0].value, Some(1));
        assert_eq!(
            t.rows[0].all,
            Cell {
                customers: 3,
                revenue: 7.0
            }
        );
        assert_eq!(
            t.rows[0].classes[0],
            vec![
                Cell {
                    customers: 1,
                    revenue: 4.0
                },
                Cell {
                    customers: 2,
                    revenue: 3.0
                }
            ]
        );
        assert_eq!(t.rows[1].value, Some(0));
        assert_eq!(
            t.rows[1].classes[0][0],
            Cell {
                customers: 1,
                revenue: 10.0
            }
        );
        assert_eq!(t.rows[2].value, None);
        assert_eq!(
            t.total.all,
            Cell {
                customers: 6,
                revenue: 22.0
            }
        );
        assert_eq!(t.total.classes[0][0].customers, 3);
        assert_eq!(t.total.classes[0][1].customers, 2);
    }

    #[test]
    fn errors_name_row_and_field() {
        let names = vec!["a".to_string()];
        let e = cross_tab(&[0, 0], &names, &[1.0, f64::NAN], &[]).unwrap_err(); // ok: test code
        assert_eq!(
            (e.code, e.row, e.field.as_deref()),
            (ErrorCode::InvalidAmount, Some(1), Some("revenue"))
        );
        let e = cross_tab(&[0, 0], &names, &[1.0], &[]).unwrap_err(); // ok: test code
        assert_eq!(e.code, ErrorCode::LengthMismatch);
    }
}
