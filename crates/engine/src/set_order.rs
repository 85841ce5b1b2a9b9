//! MySQL evaluates a one-table UPDATE's assignments left to right: in `SET a = a + 1, b = a`,
//! `b` gets the new `a`, and `SET a = b, b = a` leaves both equal to the old `b` (a difference
//! from the SQL standard that MySQL documents and teachers show). GlueSQL follows the
//! standard: every assignment reads the row as it was. So that GlueSQL computes what MySQL
//! does, the layer writes each earlier assignment's value into the later ones that read its
//! column.
//!
//! Left alone, as GlueSQL reads them: a value with a subquery (a name inside it may belong to
//! the subquery's own table), and a column whose earlier value draws a random number or a
//! UUID (written twice, it would draw twice).

use crate::dialect::build;
use sqlparser::ast::{Assignment, AssignmentTarget, Expr};
use std::ops::ControlFlow;

/// Rewrites `assignments` of a one-table UPDATE whose table is called `own` in the statement
/// (its alias, or its name) so that each reads the values assigned before it.
pub(crate) fn left_to_right(assignments: &mut [Assignment], own: &str) {
    let mut done: Vec<(String, Expr)> = Vec::new();
    for a in assignments.iter_mut() {
        let AssignmentTarget::ColumnName(target) = &a.target else {
            return;
        };
        let Some(column) = target.0.last().map(|i| i.value.to_lowercase()) else {
            return;
        };
        if !done.is_empty() && !has_subquery(&a.value) {
            let _ = crate::walk::exprs_mut(&mut a.value, |e| {
                if let Some(earlier) = column_of(e, own).and_then(|c| {
                    done.iter()
                        .rev()
                        .find(|(name, _)| *name == c)
                        .map(|(_, value)| value)
                }) {
                    *e = Expr::Nested(Box::new(earlier.clone()));
                }
                ControlFlow::Continue(())
            });
        }
        let random = build::calls(&a.value, "RAND") || build::calls(&a.value, "UUID");
        if random {
            // Later assignments keep reading the stored column, not a second draw.
            done.retain(|(name, _)| *name != column);
        } else {
            done.push((column, a.value.clone()));
        }
    }
}

/// The column `e` names in lower case, when it is a column of the table called `own`.
fn column_of(e: &Expr, own: &str) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.to_lowercase()),
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [table, column] if table.value.eq_ignore_ascii_case(own) => {
                Some(column.value.to_lowercase())
            }
            _ => None,
        },
        _ => None,
    }
}

fn has_subquery(e: &Expr) -> bool {
    crate::walk::exprs(e, |e| match e {
        Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// `ON UPDATE CURRENT_TIMESTAMP`: each such column of the table (`columns`) that the UPDATE
/// does not set itself gets the statement's time `now` in a row the UPDATE changes, and
/// keeps its value in a row where every value set equals the one there (MySQL leaves the
/// time alone when nothing changes). A value that draws a random number or reads a subquery
/// is taken as a change: comparing it would compute it a second time.
pub(crate) fn stamp_on_update(assignments: &mut Vec<Assignment>, columns: &[String], now: &str) {
    if assignments.is_empty() {
        return;
    }
    let set: Vec<(Expr, Expr)> = assignments
        .iter()
        .filter_map(|a| match &a.target {
            AssignmentTarget::ColumnName(name) => {
                let column = name.0.last()?;
                Some((Expr::Identifier(column.clone()), a.value.clone()))
            }
            AssignmentTarget::Tuple(_) => None,
        })
        .collect();
    let now = Expr::TypedString {
        data_type: sqlparser::ast::DataType::Timestamp(None, sqlparser::ast::TimezoneInfo::None),
        value: now.to_owned(),
    };
    let unsure = set
        .iter()
        .any(|(_, v)| build::calls(v, "RAND") || build::calls(v, "UUID") || has_subquery(v));
    for column in columns {
        let named = |a: &Assignment| {
            matches!(&a.target, AssignmentTarget::ColumnName(n)
                if n.0.last().is_some_and(|i| i.value.eq_ignore_ascii_case(column)))
        };
        if assignments.iter().any(named) {
            continue;
        }
        let value = if unsure {
            now.clone()
        } else {
            let unchanged = set
                .iter()
                .map(|(column, value)| same_value(column, value))
                .reduce(|a, b| build::binary(a, sqlparser::ast::BinaryOperator::And, b));
            match unchanged {
                Some(condition) => Expr::Case {
                    operand: None,
                    conditions: vec![condition],
                    results: vec![Expr::Identifier(sqlparser::ast::Ident::new(column))],
                    else_result: Some(Box::new(now.clone())),
                },
                None => now.clone(),
            }
        };
        assignments.push(Assignment {
            target: AssignmentTarget::ColumnName(sqlparser::ast::ObjectName(vec![
                sqlparser::ast::Ident::new(column),
            ])),
            value,
        });
    }
}

/// `column` holds `value` already: equal, or both NULL.
fn same_value(column: &Expr, value: &Expr) -> Expr {
    use sqlparser::ast::BinaryOperator::{And, Eq, Or};
    let value = Expr::Nested(Box::new(value.clone()));
    let equal = build::binary(column.clone(), Eq, value.clone());
    let both_null = build::binary(
        Expr::IsNull(Box::new(column.clone())),
        And,
        Expr::IsNull(Box::new(value)),
    );
    Expr::Nested(Box::new(build::binary(equal, Or, both_null)))
}
