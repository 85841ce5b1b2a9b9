//! Whether a value fits its column where GlueSQL cannot tell, because its types are wider
//! than MySQL's: the length of `CHAR(n)` and `VARCHAR(n)` (GlueSQL's TEXT has none), and the
//! members of an `ENUM` (GlueSQL's TEXT again). A value that does not fit is refused as MySQL
//! 8's strict mode refuses it — 1406 (`Data too long for column 'name' at row 1`), 1265 for
//! an ENUM — and nothing is written. (An INSERT's ENUM values are checked in `insert.rs`.)
//!
//! Where lengths are checked, before anything is written:
//! - INSERT and REPLACE: every row is literal by then (VALUES as written, or a SELECT's values),
//!   except VALUES computed by an expression (`CONCAT(ELT(…), …)`): a row that puts one into a
//!   limited column is computed first, once (random numbers are drawn once), and inserted as
//!   its values;
//! - a one-table UPDATE: the values it sets into a limited column or an ENUM, read with its
//!   WHERE first (literal or computed, so a row that is not updated does not count); an ENUM
//!   member written in another letter case is stored in the member's own spelling;
//! - ALTER TABLE … MODIFY/CHANGE to a shorter length: the rows already there (MySQL's 1265).
//!
//! Lengths count characters, as utf8mb4 does: '가나다' fits VARCHAR(3).

use crate::dialect::build;
use crate::error::SqlError;
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::schema::ColumnInfo;
use sqlnori_model::{korean, Localized};
use sqlparser::ast::{Expr, Statement as SqlStatement, TableFactor, Value as SqlValue};

/// The most characters a column declared `declared` holds: `VARCHAR(n)`, `CHAR(n)` (`CHAR`
/// alone is one), their `CHARACTER`/`NATIONAL` spellings; `None` for every other type.
pub(crate) fn text_limit(declared: &str) -> Option<usize> {
    let upper = declared.trim().to_uppercase();
    let rest = ["NATIONAL ", "N"]
        .iter()
        .find_map(|p| upper.strip_prefix(p).filter(|r| r.contains("CHAR")))
        .unwrap_or(&upper);
    let rest = ["CHARACTER VARYING", "VARCHAR", "CHARACTER", "CHAR"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))?;
    let rest = rest.trim_start();
    match rest.strip_prefix('(') {
        Some(inner) => inner.split(')').next()?.trim().parse().ok(),
        // `CHAR` alone (or before `CHARACTER SET …`) is CHAR(1); `CHARSET` is not a type.
        None if rest.is_empty() || rest.starts_with("CHARACTER SET") => Some(1),
        None => None,
    }
}

/// The text a literal stores as in a text column, when `e` is a literal.
fn literal_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s)) => {
            Some(s.clone())
        }
        Expr::Value(SqlValue::Number(n, _)) => Some(n.to_string()),
        Expr::UnaryOp { op, expr } => literal_text(expr).map(|t| format!("{op}{t}")),
        Expr::TypedString { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// True for an expression the INSERT path leaves to GlueSQL to compute.
fn computed(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Value(_) | Expr::UnaryOp { .. } | Expr::Identifier(_) | Expr::TypedString { .. }
    )
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// MySQL's 1406, placed at the value when the statement writes it out.
fn data_too_long(column: &str, row: usize, limit: usize, value: &str) -> SqlError {
    let shown: String = value.chars().take(40).collect();
    let shown = if chars(value) > 40 {
        format!("{shown}…")
    } else {
        shown
    };
    crate::error::explained(
        "bad_value",
        Localized::new(
            format!(
                "{row}번째 행의 값 {} 열 `{column}`에 넣기에 너무 깁니다: {}자인데 열은 {limit}자까지입니다 (MySQL 오류 1406).",
                korean::i(&format!("'{shown}'")),
                chars(value),
            ),
            format!(
                "Data too long for column '{column}' at row {row}: '{shown}' has {} characters, the column holds {limit} (MySQL error 1406).",
                chars(value)
            ),
        ),
        Some(value.to_owned()),
        Some(Localized::new(
            format!("더 짧은 값을 넣거나, 열을 넓히세요: ALTER TABLE … MODIFY {column} VARCHAR(n)"),
            format!("write a shorter value, or widen the column: ALTER TABLE … MODIFY {column} VARCHAR(n)"),
        )),
    )
}

/// A column whose values the layer fits, and how.
struct Fit {
    /// Where the column stands in its table.
    position: usize,
    name: String,
    kind: FitKind,
}

enum FitKind {
    /// At most this many characters.
    Length(usize),
    /// One of these ENUM members (any letter case).
    Members(Vec<String>),
}

impl Fit {
    /// Why `text`, the value of row `row`, does not fit; `None` when it does.
    fn refusal(&self, text: &str, row: usize) -> Option<SqlError> {
        match &self.kind {
            FitKind::Length(limit) => {
                (chars(text) > *limit).then(|| data_too_long(&self.name, row, *limit, text))
            }
            FitKind::Members(members) => enum_member(members, text)
                .is_none()
                .then(|| crate::insert::enum_refused(&self.name, text, row, members)),
        }
    }
}

/// The ENUM member `text` names, in any letter case, as the column spells it.
pub(crate) fn enum_member<'m>(members: &'m [String], text: &str) -> Option<&'m String> {
    let text = text.to_lowercase();
    members.iter().find(|m| m.to_lowercase() == text)
}

impl Engine {
    /// INSERT's rows against the lengths of `storage`'s columns (see the module
    /// documentation). `columns` name the rows' values in order.
    pub(crate) fn check_insert_lengths(
        &mut self,
        storage: &str,
        schema: &[ColumnInfo],
        columns: &[String],
        rows: &mut [Vec<Expr>],
    ) -> Result<(), SqlError> {
        let fitted = self.fitted_columns(storage);
        // Each value position of the rows that lands in a limited column.
        let limited: Vec<(usize, &str, usize)> = columns
            .iter()
            .enumerate()
            .filter_map(|(ci, column)| {
                let position = schema
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(column))?;
                match fitted.iter().find(|f| f.position == position)? {
                    Fit {
                        name,
                        kind: FitKind::Length(limit),
                        ..
                    } => Some((ci, name.as_str(), *limit)),
                    _ => None,
                }
            })
            .collect();
        if limited.is_empty() {
            return Ok(());
        }
        for (ri, row) in rows.iter_mut().enumerate() {
            if limited
                .iter()
                .any(|&(ci, _, _)| row.get(ci).is_some_and(computed))
            {
                *row = self.computed_row(row)?;
            }
            for &(ci, name, limit) in &limited {
                if let Some(text) = row.get(ci).and_then(literal_text) {
                    if chars(&text) > limit {
                        return Err(data_too_long(name, ri + 1, limit, &text));
                    }
                }
            }
        }
        Ok(())
    }

    /// A VALUES row computed once, read-only, as literals (a `DEFAULT` stays `DEFAULT`).
    fn computed_row(&mut self, row: &[Expr]) -> Result<Vec<Expr>, SqlError> {
        let items = row
            .iter()
            .filter(|e| !matches!(e, Expr::Identifier(_)))
            .map(|e| sqlparser::ast::SelectItem::UnnamedExpr(e.clone()))
            .collect();
        let query = build::select_query(items, vec![], None);
        let payload = self.glue_execute(&SqlStatement::Query(Box::new(query)))?;
        let gluesql_core::prelude::Payload::Select { rows, .. } = payload else {
            return Ok(row.to_vec());
        };
        let Some(values) = rows.into_iter().next() else {
            return Ok(row.to_vec());
        };
        let mut values = values.into_iter();
        row.iter()
            .map(|e| match e {
                Expr::Identifier(_) => Ok(e.clone()),
                _ => values.next().map_or(Ok(Expr::Value(SqlValue::Null)), |v| {
                    crate::convert::value_to_expr(&v)
                }),
            })
            .collect()
    }

    /// A one-table UPDATE, in GlueSQL's terms: the values it would set into a limited column
    /// or an ENUM (see the module documentation).
    pub(crate) fn refuse_unfit_update(&mut self, stmt: &mut SqlStatement) -> Result<(), SqlError> {
        let Some((table, assignments, selection)) = crate::glue::update_parts(stmt) else {
            return Ok(());
        };
        let TableFactor::Table { name, .. } = &table.relation else {
            return Ok(());
        };
        let [storage] = name.0.as_slice() else {
            return Ok(());
        };
        if !table.joins.is_empty() {
            return Ok(());
        }
        let columns = self.fitted_columns(&storage.value);
        if columns.is_empty() {
            return Ok(());
        }
        // Each assignment to a fitted column: which one, and its value.
        let checked: Vec<(&Fit, &Expr)> = assignments
            .iter()
            .filter_map(|a| {
                let sqlparser::ast::AssignmentTarget::ColumnName(column) = &a.target else {
                    return None;
                };
                let column = column.0.last()?;
                let fit = columns
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(&column.value))?;
                Some((fit, &a.value))
            })
            // A literal that fits needs no reading; random numbers are drawn once, by the
            // UPDATE itself.
            .filter(|(fit, e)| literal_text(e).is_none_or(|t| fit.refusal(&t, 1).is_some()))
            .collect();
        if checked.is_empty() || checked.iter().any(|(_, e)| build::calls(e, "RAND")) {
            respell_enum_literals(stmt, &columns);
            return Ok(());
        }
        let projection = checked
            .iter()
            .map(|(_, e)| sqlparser::ast::SelectItem::UnnamedExpr((*e).clone()))
            .collect();
        let query = build::select_query(projection, vec![table.clone()], selection.cloned());
        let payload = self.glue_execute(&SqlStatement::Query(Box::new(query)))?;
        if let gluesql_core::prelude::Payload::Select { rows, .. } = payload {
            for (ri, row) in rows.iter().enumerate() {
                for ((fit, _), value) in checked.iter().zip(row) {
                    if matches!(value, Value::Null) {
                        continue;
                    }
                    if let Some(refused) = fit.refusal(&String::from(value), ri + 1) {
                        return Err(refused);
                    }
                }
            }
        }
        respell_enum_literals(stmt, &columns);
        Ok(())
    }

    /// The columns of `storage` whose values the layer fits: CHAR/VARCHAR lengths and ENUMs.
    fn fitted_columns(&self, storage: &str) -> Vec<Fit> {
        let Some(declared) = self.state.declared_types.get(storage) else {
            return vec![];
        };
        let Some(item) = self.storage.items.get(storage) else {
            return vec![];
        };
        item.schema
            .column_defs
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, c)| {
                let d = declared.get(i)?;
                let kind = match (text_limit(d), crate::lesson::enum_members(d)) {
                    (Some(limit), _) => FitKind::Length(limit),
                    (None, Some(members)) => FitKind::Members(members),
                    (None, None) => return None,
                };
                Some(Fit {
                    position: i,
                    name: c.name.clone(),
                    kind,
                })
            })
            .collect()
    }

    /// The numeric columns of `storage` whose values GlueSQL's types do not bound as MySQL's
    /// do: `DECIMAL(M,D)` and `FLOAT(M,D)` (rounded to D decimals, fewer than M - D digits
    /// before the point), UNSIGNED fractions, INT's and MEDIUMINT's ranges (GlueSQL holds
    /// them in wider integers); GlueSQL's store applies them
    /// (`set_column_fits`, gluesql-core patch).
    pub(crate) fn number_fits(&self, storage: &str) -> Vec<gluesql_core::executor::ColumnFit> {
        let (Some(declared), Some(item)) = (
            self.state.declared_types.get(storage),
            self.storage.items.get(storage),
        ) else {
            return vec![];
        };
        item.schema
            .column_defs
            .iter()
            .flatten()
            .zip(declared)
            .filter_map(|(c, d)| {
                let fit = crate::dialect::types::number_fit(d)?;
                Some(gluesql_core::executor::ColumnFit {
                    table: storage.to_owned(),
                    column: c.name.clone(),
                    digits: fit.digits,
                    unsigned: fit.unsigned,
                    range: fit.range,
                    declared: d.clone(),
                })
            })
            .collect()
    }

    /// `ALTER TABLE … MODIFY/CHANGE` to `declared`: a row whose value is longer than the new
    /// length is MySQL's 1265, and the column stays as it was.
    pub(crate) fn refuse_shorter_column(
        &self,
        storage: &str,
        position: usize,
        column: &str,
        declared: &str,
    ) -> Result<(), SqlError> {
        let Some(limit) = text_limit(declared) else {
            return Ok(());
        };
        let Some(item) = self.storage.items.get(storage) else {
            return Ok(());
        };
        for (ri, row) in item.rows.values().enumerate() {
            let Some(value) = row.get(position).filter(|v| !matches!(v, Value::Null)) else {
                continue;
            };
            let text = String::from(value);
            if chars(&text) > limit {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "{}번째 행의 열 `{column}` 값 {} {declared}에 들어가지 않아 열을 바꾸지 않았습니다 (MySQL 오류 1265)",
                        ri + 1,
                        korean::i(&format!("'{text}'"))
                    ),
                    format!(
                        "Data truncated for column '{column}' at row {}: '{text}' is longer than {declared} allows, so the column was not changed (MySQL error 1265)",
                        ri + 1
                    ),
                )));
            }
        }
        Ok(())
    }
}

/// `SET status = 'PAID'` stores the ENUM member as the column spells it (`'paid'`), as MySQL
/// does; the values were checked already.
fn respell_enum_literals(stmt: &mut SqlStatement, columns: &[Fit]) {
    let SqlStatement::Update { assignments, .. } = stmt else {
        return;
    };
    for a in assignments.iter_mut() {
        let sqlparser::ast::AssignmentTarget::ColumnName(column) = &a.target else {
            continue;
        };
        let Some(FitKind::Members(members)) = column.0.last().and_then(|column| {
            columns
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(&column.value))
                .map(|f| &f.kind)
        }) else {
            continue;
        };
        if let Expr::Value(SqlValue::SingleQuotedString(v) | SqlValue::DoubleQuotedString(v)) =
            &mut a.value
        {
            if let Some(m) = enum_member(members, v) {
                *v = m.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::text_limit;

    #[test]
    fn limits_come_from_the_declared_type() {
        assert_eq!(text_limit("VARCHAR(20)"), Some(20));
        assert_eq!(text_limit("varchar( 3 )"), Some(3));
        assert_eq!(text_limit("CHAR(2)"), Some(2));
        assert_eq!(text_limit("CHAR"), Some(1));
        assert_eq!(text_limit("CHARACTER VARYING(5)"), Some(5));
        assert_eq!(text_limit("NVARCHAR(4)"), Some(4));
        assert_eq!(text_limit("NATIONAL CHAR(6)"), Some(6));
        assert_eq!(text_limit("TEXT"), None);
        assert_eq!(text_limit("INT"), None);
        assert_eq!(text_limit("ENUM('a','b')"), None);
    }
}
