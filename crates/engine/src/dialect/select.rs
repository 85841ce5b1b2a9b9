//! Rewrites of a whole `SELECT` that MySQL allows and GlueSQL does not: comma, `CROSS` and
//! `RIGHT` joins, `USING`, `FROM dual`, select aliases in `GROUP BY`/`HAVING`, column names
//! in any letter case, and MySQL's decimal scale of `/` and `AVG`.
//!
//! These run before the expression rewrites of [`super::rewrite`] (from `pre_visit_query`), so
//! the expressions they move are rewritten afterwards like any other.

use super::build::{factor_alias, func, num};
use crate::error::SqlError;
use sqlnori_model::Localized;
use sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, Select,
    SelectItem, TableFactor, TableWithJoins, Value,
};
use std::collections::HashMap;

/// MySQL's `div_precision_increment`: digits a division adds to its dividend's scale.
pub const DIV_SCALE: u64 = 4;

/// Column names of the tables a statement can see, by lower-case name. `None` marks a name
/// spelled differently in two tables, which is left for GlueSQL to report.
pub type ColumnCatalog = HashMap<String, Option<String>>;

/// MySQL sorts NULL before every value (first in `ASC`, last in `DESC`); GlueSQL sorts it
/// after. Each sort key gets a NULL-ness key in front of it, in the same direction.
pub fn mysql_null_order(q: &mut sqlparser::ast::Query) {
    let Some(order_by) = q.order_by.as_mut() else {
        return;
    };
    let (aliases, qualified) = match q.body.as_ref() {
        sqlparser::ast::SetExpr::Select(sel) => (select_aliases(sel), qualified_items(sel)),
        _ => (HashMap::new(), HashMap::new()),
    };
    let mut keys = Vec::new();
    for mut o in order_by.exprs.drain(..) {
        // MySQL reads a bare ORDER BY name as the select item of that name first:
        // `SELECT s.name FROM students s JOIN classes c … ORDER BY name` sorts by s.name
        // (GlueSQL would take the first table that has a `name`).
        if let Expr::Identifier(i) = &o.expr {
            let name = i.value.to_lowercase();
            if !aliases.contains_key(&name) {
                if let Some(Some(item)) = qualified.get(&name) {
                    o.expr = item.clone();
                }
            }
        }
        // A position (`ORDER BY 2`) is sorted by GlueSQL as it is; `RAND()` is never NULL
        // and must be drawn once per row.
        let plain_number = matches!(o.expr, Expr::Value(Value::Number(..)));
        if o.nulls_first.is_none() && !plain_number && !super::build::calls(&o.expr, "RAND") {
            let subject = match &o.expr {
                Expr::Identifier(i) => aliases
                    .get(&i.value.to_lowercase())
                    .cloned()
                    .unwrap_or_else(|| o.expr.clone()),
                other => other.clone(),
            };
            keys.push(sqlparser::ast::OrderByExpr {
                expr: Expr::Case {
                    operand: None,
                    conditions: vec![Expr::IsNull(Box::new(subject))],
                    results: vec![num(0)],
                    else_result: Some(Box::new(num(1))),
                },
                asc: o.asc,
                nulls_first: None,
                with_fill: None,
            });
        }
        keys.push(o);
    }
    order_by.exprs = keys;
}

/// The select list's aliases (lower case) and the expressions they name.
fn select_aliases(sel: &Select) -> HashMap<String, Expr> {
    sel.projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { expr, alias } => {
                Some((alias.value.to_lowercase(), expr.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The select list's qualified columns (`s.name`) by their column's name (lower case);
/// `None` when two items share the name.
fn qualified_items(sel: &Select) -> HashMap<String, Option<Expr>> {
    let mut out: HashMap<String, Option<Expr>> = HashMap::new();
    for item in &sel.projection {
        if let SelectItem::UnnamedExpr(e @ Expr::CompoundIdentifier(parts)) = item {
            if let Some(last) = parts.last() {
                out.entry(last.value.to_lowercase())
                    .and_modify(|v| *v = None)
                    .or_insert_with(|| Some(e.clone()));
            }
        }
    }
    out
}

/// The lower-case column names of every stored table, by storage name (for planning joins).
pub type TableColumns = HashMap<String, Vec<String>>;

/// Applies every select-level rewrite to one `SELECT`.
pub fn normalise_select(
    sel: &mut Select,
    columns: &ColumnCatalog,
    columns_of: &super::joins::ColumnsOf<'_>,
) -> Result<(), SqlError> {
    normalise_from(sel)?;
    super::joins::plan_inner_joins(sel, columns_of);
    canonical_labels(sel, columns);
    substitute_aliases(sel, columns);
    round_divisions(sel);
    Ok(())
}

fn true_expr() -> Expr {
    Expr::Value(Value::Boolean(true))
}

/// One chain of inner/left joins, as GlueSQL reads it.
pub(crate) fn normalise_from(sel: &mut Select) -> Result<(), SqlError> {
    // `FROM dual` is MySQL's table of one row with no columns: the same as no FROM.
    if let [only] = sel.from.as_slice() {
        if only.joins.is_empty() {
            if let TableFactor::Table { name, .. } = &only.relation {
                if name.0.len() == 1 && name.0[0].value.eq_ignore_ascii_case("dual") {
                    sel.from.clear();
                    return Ok(());
                }
            }
        }
    }
    if sel.from.is_empty() {
        return Ok(());
    }
    // `FROM a, b` is an inner join without a condition.
    let mut tables = std::mem::take(&mut sel.from).into_iter();
    let Some(mut first) = tables.next() else {
        return Ok(());
    };
    for t in tables {
        first.joins.push(Join {
            relation: t.relation,
            global: false,
            join_operator: JoinOperator::Inner(JoinConstraint::On(true_expr())),
        });
        first.joins.extend(t.joins);
    }
    let merged = normalise_joins(&mut first)?;
    sel.from = vec![first];
    qualify_merged(sel, &merged);
    Ok(())
}

/// A column `USING (c)` merges is one column in MySQL: a bare `c` reads the left table's
/// (the right one's in a RIGHT JOIN). Once USING is spelled as ON, both tables have a `c`, so
/// a bare `c` in the SELECT's own clauses (not its subqueries) is qualified with that table.
fn qualify_merged(sel: &mut Select, merged: &[(String, String)]) {
    if merged.is_empty() {
        return;
    }
    let mut qualify = |e: &mut Expr| {
        if let Expr::Identifier(i) = e {
            if let Some((_, table)) = merged
                .iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(&i.value))
            {
                *e = Expr::CompoundIdentifier(vec![Ident::new(table.clone()), i.clone()]);
            }
        }
    };
    for item in &mut sel.projection {
        // Labelled as written (`c`, not `a.c`).
        if let SelectItem::UnnamedExpr(Expr::Identifier(i)) = item {
            if merged.iter().any(|(c, _)| c.eq_ignore_ascii_case(&i.value)) {
                let i = i.clone();
                *item = SelectItem::ExprWithAlias {
                    expr: Expr::Identifier(i.clone()),
                    alias: i,
                };
            }
        }
        if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
            super::build::visit_outside_subqueries(e, &mut qualify);
        }
    }
    if let Some(w) = sel.selection.as_mut() {
        super::build::visit_outside_subqueries(w, &mut qualify);
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut sel.group_by {
        for e in exprs {
            super::build::visit_outside_subqueries(e, &mut qualify);
        }
    }
    if let Some(h) = sel.having.as_mut() {
        super::build::visit_outside_subqueries(h, &mut qualify);
    }
}

/// Spells every join as MySQL means it; returns the columns `USING` merges, each with the
/// table whose value a bare name reads.
fn normalise_joins(t: &mut TableWithJoins) -> Result<Vec<(String, String)>, SqlError> {
    let mut merged = vec![];
    for i in 0..t.joins.len() {
        let left_alias = if i == 0 {
            factor_alias(&t.relation)
        } else {
            factor_alias(&t.joins[i - 1].relation)
        };
        let right_alias = factor_alias(&t.joins[i].relation);
        let is_right = matches!(t.joins[i].join_operator, JoinOperator::RightOuter(_));
        let op = &mut t.joins[i].join_operator;
        // USING (c) and NATURAL need the column names; USING is spelled out here.
        if let JoinOperator::Inner(c) | JoinOperator::LeftOuter(c) | JoinOperator::RightOuter(c) =
            op
        {
            match c {
                JoinConstraint::Using(cols) => {
                    let (Some(l), Some(r)) = (&left_alias, &right_alias) else {
                        return Err(unsupported_join(Localized::new(
                            "표 이름 없는 USING",
                            "USING without table names",
                        )));
                    };
                    let on = cols
                        .iter()
                        .map(|col| Expr::BinaryOp {
                            left: Box::new(Expr::CompoundIdentifier(vec![
                                Ident::new(l.clone()),
                                col.clone(),
                            ])),
                            op: BinaryOperator::Eq,
                            right: Box::new(Expr::CompoundIdentifier(vec![
                                Ident::new(r.clone()),
                                col.clone(),
                            ])),
                        })
                        .reduce(|a, b| Expr::BinaryOp {
                            left: Box::new(a),
                            op: BinaryOperator::And,
                            right: Box::new(b),
                        })
                        .unwrap_or_else(true_expr);
                    let reads = if is_right { r } else { l };
                    merged.extend(cols.iter().map(|col| (col.value.clone(), reads.clone())));
                    *c = JoinConstraint::On(on);
                }
                JoinConstraint::None => *c = JoinConstraint::On(true_expr()),
                JoinConstraint::Natural => {
                    return Err(unsupported_join(Localized::new(
                        "NATURAL JOIN",
                        "NATURAL JOIN",
                    )))
                }
                JoinConstraint::On(_) => {}
            }
        }
        match op {
            JoinOperator::CrossJoin => {
                *op = JoinOperator::Inner(JoinConstraint::On(true_expr()));
            }
            JoinOperator::RightOuter(c) => {
                // `a RIGHT JOIN b ON …` is `b LEFT JOIN a ON …` when it is the first join.
                if i != 0 {
                    return Err(unsupported_join(Localized::new(
                        "다른 조인 뒤의 RIGHT JOIN",
                        "RIGHT JOIN after another join",
                    )));
                }
                let c = std::mem::replace(c, JoinConstraint::None);
                std::mem::swap(&mut t.relation, &mut t.joins[0].relation);
                t.joins[0].join_operator = JoinOperator::LeftOuter(c);
            }
            JoinOperator::Inner(_) | JoinOperator::LeftOuter(_) => {}
            JoinOperator::FullOuter(_) => {
                return Err(unsupported_join(Localized::new(
                    "FULL OUTER JOIN",
                    "FULL OUTER JOIN",
                )))
            }
            _ => {
                return Err(unsupported_join(Localized::new(
                    "이런 종류의 JOIN",
                    "this kind of JOIN",
                )))
            }
        }
    }
    Ok(merged)
}

fn unsupported_join(what: Localized) -> SqlError {
    SqlError::Unsupported {
        feature: what,
        hint: Some(Localized::new(
            "INNER JOIN / LEFT JOIN … ON 조건 형태로 바꿔 쓰세요 (RIGHT JOIN은 첫 번째 조인으로, 또는 두 테이블 순서를 바꿔 LEFT JOIN으로)",
            "write it as INNER JOIN / LEFT JOIN … ON a condition (a RIGHT JOIN as the first join, or swap the tables and use LEFT JOIN)",
        )),
    }
}

/// The spelling a column has in its table, when the learner wrote it in another case.
pub fn canonical<'a>(columns: &'a ColumnCatalog, written: &str) -> Option<&'a str> {
    match columns.get(&written.to_lowercase()) {
        Some(Some(actual)) if actual != written => Some(actual),
        _ => None,
    }
}

/// MySQL labels `SELECT NAME` as `NAME` even though the column is `name`; keep that label
/// before the expression rewrite fixes the spelling.
fn canonical_labels(sel: &mut Select, columns: &ColumnCatalog) {
    for item in &mut sel.projection {
        if let SelectItem::UnnamedExpr(e) = item {
            let written = match e {
                Expr::Identifier(i) => Some(i.clone()),
                Expr::CompoundIdentifier(parts) => parts.last().cloned(),
                _ => None,
            };
            if let Some(written) = written {
                if canonical(columns, &written.value).is_some() {
                    *item = SelectItem::ExprWithAlias {
                        expr: e.clone(),
                        alias: written,
                    };
                }
            }
        }
    }
}

/// MySQL lets `GROUP BY` and `HAVING` name a select alias; GlueSQL needs the expression.
/// In `GROUP BY` a real column wins over an alias of the same name, as in MySQL.
pub(crate) fn substitute_aliases(sel: &mut Select, columns: &ColumnCatalog) {
    let aliases = select_aliases(sel);
    if aliases.is_empty() {
        return;
    }
    let lookup = |e: &Expr, column_wins: bool| -> Option<Expr> {
        let Expr::Identifier(i) = e else { return None };
        let key = i.value.to_lowercase();
        if column_wins && columns.contains_key(&key) {
            return None;
        }
        aliases.get(&key).filter(|a| *a != e).cloned()
    };
    if let GroupByExpr::Expressions(exprs, _) = &mut sel.group_by {
        for e in exprs.iter_mut() {
            if let Some(new) = lookup(e, true) {
                *e = new;
            }
        }
    }
    if let Some(having) = sel.having.as_mut() {
        let _ = crate::walk::exprs_mut(having, |e: &mut Expr| {
            if let Some(new) = lookup(e, false) {
                *e = new;
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
    }
}

/// MySQL computes `/` with nine digits and shows the result with the dividend's scale plus
/// four (`250 / 3` → 83.3333, `1 / 3 * 3` → 1.0000); `AVG` of integers likewise has scale 4.
/// Each select item that divides is rounded once, at the top, to the scale MySQL gives it.
fn round_divisions(sel: &mut Select) {
    for item in &mut sel.projection {
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => continue,
        };
        if let Some(scale) = division_scale(expr) {
            *expr = func("ROUND", vec![expr.clone(), num(scale)]);
        }
    }
}

/// The decimal scale MySQL gives an expression that divides, or `None` when it does not divide
/// (or already rounds at the top).
fn division_scale(e: &Expr) -> Option<u64> {
    if !divides(e) {
        return None;
    }
    if let Expr::Function(f) = e {
        if super::build::func_name(f) == "ROUND" {
            return None;
        }
    }
    Some(scale(e))
}

/// True when the expression's value comes out of a division (or `AVG`) through arithmetic
/// only: `FLOOR(a / b)`, `ELT(a / b, …)` or `CASE WHEN a / b > 1 …` do not give a divided
/// number (rounding them would round an integer or a string).
fn divides(e: &Expr) -> bool {
    match e {
        Expr::BinaryOp {
            op: BinaryOperator::Divide,
            ..
        } => true,
        Expr::BinaryOp {
            left,
            op:
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Modulo
                | BinaryOperator::MyModulo,
            right,
        } => divides(left) || divides(right),
        Expr::Nested(inner) | Expr::UnaryOp { expr: inner, .. } => divides(inner),
        Expr::Function(f) if f.over.is_none() => match super::build::func_name(f).as_str() {
            "AVG" => true,
            "SUM" | "MIN" | "MAX" | "ABS" | "IFNULL" | "COALESCE" | "NULLIF" => {
                super::build::plain_args(f).is_some_and(|args| args.iter().any(divides))
            }
            _ => false,
        },
        _ => false,
    }
}

/// MySQL's result scale of an arithmetic expression: literals count their digits, columns
/// count as integers, `a / b` adds four to `a`'s, `a * b` adds, `+`/`-` take the larger.
fn scale(e: &Expr) -> u64 {
    match e {
        Expr::Value(Value::Number(n, _)) => {
            let text = n.to_string();
            text.split_once('.')
                .map_or(0, |(_, frac)| frac.len() as u64)
        }
        Expr::Nested(inner) | Expr::UnaryOp { expr: inner, .. } => scale(inner),
        Expr::Cast {
            data_type, expr, ..
        } => match data_type {
            sqlparser::ast::DataType::Decimal(
                sqlparser::ast::ExactNumberInfo::PrecisionAndScale(_, s),
            ) => *s,
            sqlparser::ast::DataType::Decimal(_) => 0,
            _ => scale(expr),
        },
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Divide => scale(left) + DIV_SCALE,
            BinaryOperator::Multiply => scale(left) + scale(right),
            BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Modulo
            | BinaryOperator::MyModulo => scale(left).max(scale(right)),
            _ => 0,
        },
        Expr::Function(f) => {
            let name = super::build::func_name(f);
            let args = super::build::plain_args(f).unwrap_or_default();
            match name.as_str() {
                "AVG" => args.first().map_or(0, scale) + DIV_SCALE,
                "ROUND" => args
                    .get(1)
                    .and_then(super::build::literal_i64)
                    .map_or(0, |d| d.max(0) as u64),
                _ => args.iter().map(scale).max().unwrap_or(0),
            }
        }
        Expr::Case {
            results,
            else_result,
            ..
        } => results
            .iter()
            .chain(else_result.as_deref())
            .map(scale)
            .max()
            .unwrap_or(0),
        _ => 0,
    }
    .min(30)
}
