//! What the checker reads from the reference's AST: the tables and columns it reads, the
//! constants it compares columns with (the variants put values at and beside them), and its
//! sort keys as positions of its result (rows tied on them may come in any order).

use crate::dialect;
use sqlparser::ast::{
    BinaryOperator, Expr, Ident, ObjectName, OrderByExpr, Query, SetExpr, Statement, UnaryOperator,
    Value,
};
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// A constant compared with a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Number(f64),
    Text(String),
}

/// The reference's facts.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Table names as written (last part, lower case).
    pub tables: BTreeSet<String>,
    /// Column names as written (last part, lower case).
    pub columns: BTreeSet<String>,
    /// (column, constant) pairs of comparisons, BETWEEN and IN lists.
    pub constants: Vec<(String, Constant)>,
}

fn last(idents: &[Ident]) -> String {
    idents
        .last()
        .map(|i| i.value.to_lowercase())
        .unwrap_or_default()
}

fn column_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.to_lowercase()),
        Expr::CompoundIdentifier(parts) => Some(last(parts)),
        Expr::Nested(inner) => column_of(inner),
        _ => None,
    }
}

fn constant_of(e: &Expr) -> Option<Constant> {
    match e {
        Expr::Value(Value::Number(n, _)) => n.to_string().parse().ok().map(Constant::Number),
        Expr::Value(Value::SingleQuotedString(s) | Value::DoubleQuotedString(s)) => {
            Some(match s.parse::<f64>() {
                Ok(n) => Constant::Number(n),
                Err(_) => Constant::Text(s.clone()),
            })
        }
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match constant_of(expr)? {
            Constant::Number(n) => Some(Constant::Number(-n)),
            Constant::Text(_) => None,
        },
        Expr::Nested(inner) => constant_of(inner),
        _ => None,
    }
}

/// The facts of every statement of `sql` (those that do not parse are skipped).
pub fn facts(sql: &str) -> Facts {
    let mut out = Facts::default();
    for stmt in sqlnori_model::split_script(sql) {
        let Ok(statements) = dialect::parse_mysql(&stmt.sql) else {
            continue;
        };
        for s in &statements {
            let _ = crate::walk::relations(s, |name: &ObjectName| {
                out.tables.insert(last(&name.0));
                ControlFlow::<()>::Continue(())
            });
            let _ = crate::walk::exprs(s, |e: &Expr| {
                if let Some(c) = column_of(e) {
                    out.columns.insert(c);
                }
                collect_constants(e, &mut out.constants);
                ControlFlow::<()>::Continue(())
            });
            if let Statement::Insert(insert) = s {
                out.tables.insert(last(&insert.table_name.0));
            }
        }
    }
    out
}

fn collect_constants(e: &Expr, out: &mut Vec<(String, Constant)>) {
    match e {
        Expr::BinaryOp {
            left,
            op:
                BinaryOperator::Eq
                | BinaryOperator::NotEq
                | BinaryOperator::Gt
                | BinaryOperator::GtEq
                | BinaryOperator::Lt
                | BinaryOperator::LtEq,
            right,
        } => {
            let pair = match (column_of(left), constant_of(right)) {
                (Some(c), Some(v)) => Some((c, v)),
                _ => column_of(right).zip(constant_of(left)),
            };
            out.extend(pair);
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            if let Some(c) = column_of(expr) {
                out.extend(constant_of(low).map(|v| (c.clone(), v)));
                out.extend(constant_of(high).map(|v| (c, v)));
            }
        }
        Expr::InList { expr, list, .. } => {
            if let Some(c) = column_of(expr) {
                out.extend(list.iter().filter_map(constant_of).map(|v| (c.clone(), v)));
            }
        }
        _ => {}
    }
}

/// The reference query's ORDER BY as positions of its result's `columns`, when every key is an
/// output column (by name or alias, by position, or the same expression text); `None`
/// otherwise (and when it has no ORDER BY, `Some(vec![])`).
pub fn sort_keys(reference: &str, columns: &[String]) -> Option<Vec<usize>> {
    let stmt = sqlnori_model::split_script(reference).into_iter().next()?;
    let parsed = dialect::parse_mysql(&stmt.sql).ok()?;
    let Some(Statement::Query(query)) = parsed.first() else {
        return None;
    };
    let Some(order_by) = &query.order_by else {
        return Some(vec![]);
    };
    let aliases = projection_texts(query);
    order_by
        .exprs
        .iter()
        .map(|o: &OrderByExpr| key_position(&o.expr, columns, &aliases))
        .collect()
}

/// Each output column's expression as text (for `ORDER BY AVG(kor)` with `AVG(kor) AS avg`).
fn projection_texts(query: &Query) -> Vec<String> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return vec![];
    };
    select
        .projection
        .iter()
        .map(|item| match item {
            sqlparser::ast::SelectItem::UnnamedExpr(e)
            | sqlparser::ast::SelectItem::ExprWithAlias { expr: e, .. } => {
                e.to_string().to_lowercase()
            }
            _ => String::new(),
        })
        .collect()
}

fn key_position(e: &Expr, columns: &[String], texts: &[String]) -> Option<usize> {
    if let Some(n) = crate::dialect::build::literal_i64(e) {
        return usize::try_from(n)
            .ok()?
            .checked_sub(1)
            .filter(|&i| i < columns.len());
    }
    let text = e.to_string().to_lowercase();
    if let Some(i) = texts.iter().position(|t| *t == text) {
        if i < columns.len() {
            return Some(i);
        }
    }
    let name = column_of(e)?;
    columns.iter().position(|c| c.to_lowercase() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_columns_and_constants() {
        let f = facts(
            "SELECT s.name FROM students s JOIN employees e ON e.id = s.id \
             WHERE s.kor >= 80 AND 'x' = s.name AND math BETWEEN 70 AND 90 AND age IN (1, -2)",
        );
        assert_eq!(
            f.tables.iter().collect::<Vec<_>>(),
            ["employees", "students"]
        );
        assert!(f.columns.contains("kor") && f.columns.contains("name"));
        assert!(f
            .constants
            .contains(&("kor".into(), Constant::Number(80.0))));
        assert!(f
            .constants
            .contains(&("name".into(), Constant::Text("x".into()))));
        assert!(f
            .constants
            .contains(&("math".into(), Constant::Number(90.0))));
        assert!(f
            .constants
            .contains(&("age".into(), Constant::Number(-2.0))));
    }

    #[test]
    fn sort_keys_by_name_alias_position_and_expression() {
        let cols = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            sort_keys(
                "SELECT name, kor FROM t ORDER BY kor DESC, 1",
                &cols(&["name", "kor"])
            ),
            Some(vec![1, 0])
        );
        assert_eq!(
            sort_keys(
                "SELECT name, AVG(kor) AS a FROM t GROUP BY name ORDER BY AVG(kor)",
                &cols(&["name", "a"])
            ),
            Some(vec![1])
        );
        assert_eq!(
            sort_keys("SELECT name FROM t ORDER BY kor", &cols(&["name"])),
            None
        );
        assert_eq!(
            sort_keys("SELECT name FROM t", &cols(&["name"])),
            Some(vec![])
        );
    }
}
