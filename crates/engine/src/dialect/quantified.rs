//! `x op ANY (SELECT …)`, `x op SOME (…)` and `x op ALL (…)` whose subquery depends on the
//! outer row (a correlated one; an uncorrelated one is computed once by `subqueries.rs`).
//! GlueSQL has no ANY/ALL, so each becomes two EXISTS tests that keep SQL's three-valued logic:
//!
//! - `x op ALL (S)` is TRUE when no value of S makes `x op v` anything but TRUE (an empty S
//!   included), FALSE when one makes it FALSE, else NULL;
//! - `x op ANY (S)` is TRUE when one value makes `x op v` TRUE, FALSE when none makes it
//!   anything but FALSE (an empty S included), else NULL.
//!
//! `x` moves into the subquery, so its columns are qualified with the outer table first (an
//! unqualified `kor` would otherwise bind to the subquery's own `kor`). A form this cannot
//! move safely (a LIMIT in the subquery, an aggregate or a subquery in `x`, a column of `x`
//! that no single outer table has) is left as written and refused as before.

use super::build::{func, visit_outside_subqueries};
use super::ColumnsOfTable;
use sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Ident, Query, Select, SelectItem, SetExpr, TableFactor,
    Value,
};
use std::ops::ControlFlow;

/// Rewrites the correlated ANY/ALL of one SELECT (not those of the subqueries inside it,
/// which are rewritten when their own SELECT is).
pub(crate) fn rewrite(sel: &mut Select, columns_of: &ColumnsOfTable<'_>) {
    let outer = outer_tables(sel, columns_of);
    let mut rewrite = |e: &mut Expr| {
        let rewritten = match e {
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => quantified(left, compare_op, right, false, &outer),
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => quantified(left, compare_op, right, true, &outer),
            _ => None,
        };
        if let Some(r) = rewritten {
            *e = r;
        }
    };
    for item in &mut sel.projection {
        if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
            visit_outside_subqueries(e, &mut rewrite);
        }
    }
    if let Some(e) = sel.selection.as_mut() {
        visit_outside_subqueries(e, &mut rewrite);
    }
    if let Some(e) = sel.having.as_mut() {
        visit_outside_subqueries(e, &mut rewrite);
    }
}

/// Each table of the outer FROM: the name its columns are qualified with, and its columns.
type OuterTables = Vec<(String, Option<Vec<String>>)>;

fn outer_tables(sel: &Select, columns_of: &ColumnsOfTable<'_>) -> OuterTables {
    sel.from
        .iter()
        .flat_map(|f| std::iter::once(&f.relation).chain(f.joins.iter().map(|j| &j.relation)))
        .map(|tf| match tf {
            TableFactor::Table { name, alias, .. } => {
                let qualifier = alias.as_ref().map_or_else(
                    || name.0.last().map(|i| i.value.clone()).unwrap_or_default(),
                    |a| a.name.value.clone(),
                );
                (qualifier, columns_of(name))
            }
            TableFactor::Derived { alias, .. } => (
                alias
                    .as_ref()
                    .map(|a| a.name.value.clone())
                    .unwrap_or_default(),
                None,
            ),
            _ => (String::new(), None),
        })
        .collect()
}

fn quantified(
    left: &Expr,
    op: &BinaryOperator,
    right: &Expr,
    all: bool,
    outer: &OuterTables,
) -> Option<Expr> {
    let Expr::Subquery(q) = right else {
        return None;
    };
    if q.with.is_some() || q.limit.is_some() || q.offset.is_some() || q.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(s) = q.body.as_ref() else {
        return None;
    };
    let [item] = s.projection.as_slice() else {
        return None;
    };
    let (SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }) = item
    else {
        return None;
    };
    let left = qualified(left, outer)?;
    let grouped = !matches!(&s.group_by, GroupByExpr::Expressions(keys, _) if keys.is_empty())
        || has_aggregate(value);
    let compare = Expr::BinaryOp {
        left: Box::new(left),
        op: op.clone(),
        right: Box::new(value.clone()),
    };
    // `x op v` as TRUE/FALSE with NULL read as `unknown_is`.
    let known = |unknown_is: bool| {
        func(
            "COALESCE",
            vec![compare.clone(), Expr::Value(Value::Boolean(unknown_is))],
        )
    };
    let not = |e: Expr| Expr::UnaryOp {
        op: sqlparser::ast::UnaryOperator::Not,
        expr: Box::new(Expr::Nested(Box::new(e))),
    };
    let exists = |condition: Expr, negated: bool| Expr::Exists {
        subquery: Box::new(with_condition(q, s, condition, grouped)),
        negated,
    };
    let (first, second) = if all {
        // No value makes it other than TRUE → TRUE; one makes it FALSE → FALSE.
        (
            exists(not(known(false)), true),
            exists(not(known(true)), false),
        )
    } else {
        // One value makes it TRUE → TRUE; none makes it other than FALSE → FALSE.
        (exists(known(false), false), exists(known(true), true))
    };
    Some(Expr::Nested(Box::new(Expr::Case {
        operand: None,
        conditions: vec![first, second],
        results: vec![
            Expr::Value(Value::Boolean(true)),
            Expr::Value(Value::Boolean(false)),
        ],
        else_result: Some(Box::new(Expr::Value(Value::Null))),
    })))
}

/// The subquery reduced to `SELECT 1 … WHERE (its condition) AND condition` (HAVING for a
/// grouped one, whose value is an aggregate).
fn with_condition(q: &Query, s: &Select, condition: Expr, grouped: bool) -> Query {
    let mut s = s.clone();
    s.projection = vec![SelectItem::UnnamedExpr(super::build::num(1))];
    let slot = if grouped {
        &mut s.having
    } else {
        &mut s.selection
    };
    *slot = Some(match slot.take() {
        Some(before) => Expr::BinaryOp {
            left: Box::new(Expr::Nested(Box::new(before))),
            op: BinaryOperator::And,
            right: Box::new(condition),
        },
        None => condition,
    });
    let mut q = q.clone();
    q.order_by = None;
    *q.body = SetExpr::Select(Box::new(s));
    q
}

/// `x` with each bare column qualified by the one outer table that has it; `None` when `x`
/// cannot move into the subquery (an aggregate, a subquery, RAND(), or a column no single
/// outer table is known to have).
fn qualified(x: &Expr, outer: &OuterTables) -> Option<Expr> {
    let mut movable = true;
    let mut x = x.clone();
    let _ = crate::walk::exprs_mut(&mut x, |e: &mut Expr| {
        match e {
            Expr::Identifier(column) => {
                let mut having = outer.iter().filter(|(_, cols)| {
                    cols.as_ref()
                        .is_some_and(|c| c.iter().any(|n| n.eq_ignore_ascii_case(&column.value)))
                });
                match (having.next(), having.next()) {
                    (Some((qualifier, _)), None) if !qualifier.is_empty() => {
                        *e = Expr::CompoundIdentifier(vec![
                            Ident::new(qualifier.clone()),
                            column.clone(),
                        ]);
                    }
                    _ => movable = false,
                }
            }
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => movable = false,
            Expr::Function(f) => {
                let name = super::build::func_name(f);
                if sqlnori_model::catalog::is_aggregate(&name) || name == "RAND" || f.over.is_some()
                {
                    movable = false;
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    movable.then_some(x)
}

/// True when `e` calls an aggregate outside any subquery of its own.
fn has_aggregate(e: &Expr) -> bool {
    crate::walk::calls_outside_subqueries(e, &|f| {
        sqlnori_model::catalog::is_aggregate(&super::build::func_name(f))
    })
}
