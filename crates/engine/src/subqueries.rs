//! Subqueries that do not depend on the outer row, computed once: GlueSQL evaluates a
//! subquery again for every outer row, so `IN (SELECT … IN (SELECT …))` over a few hundred rows
//! took seconds. Each subquery in a SELECT's items, WHERE or HAVING is tried on its own in the
//! outer scope; when it runs (it names nothing of the outer row, as SQL's scoping decides), its
//! result replaces it: `x IN (SELECT …)` becomes `x IN (v1, v2, …)`, a scalar subquery its
//! value, `EXISTS (…)` TRUE or FALSE, `x > ALL (SELECT …)` comparisons with the values. A
//! correlated subquery fails on its own and is left to GlueSQL (a correlated ANY/ALL has
//! already become EXISTS tests, in `dialect/quantified.rs`).

use crate::convert::value_to_expr;
use crate::dialect::NameResolver;
use crate::error::SqlError;
use crate::Engine;
use sqlparser::ast::{Expr, Query, Select, SelectItem, Value as SqlValue};
use std::ops::ControlFlow;

/// Most values a subquery's result may have to become a literal list (beyond it, GlueSQL
/// evaluates the subquery as it is).
const MAX_INLINED_VALUES: usize = 100_000;

impl Engine {
    /// Computes the uncorrelated subqueries of a SELECT (its items, WHERE and HAVING) once.
    pub(crate) fn inline_subqueries(
        &mut self,
        sel: &mut Select,
        scope: &NameResolver,
        now: &str,
    ) -> Result<(), SqlError> {
        if !self.optimise {
            return Ok(());
        }
        for item in &mut sel.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                self.inline_in(e, scope, now)?;
            }
        }
        if let Some(e) = sel.selection.as_mut() {
            self.inline_in(e, scope, now)?;
        }
        if let Some(e) = sel.having.as_mut() {
            self.inline_in(e, scope, now)?;
        }
        Ok(())
    }

    /// The same for one expression (an UPDATE's or DELETE's WHERE).
    pub(crate) fn inline_in(
        &mut self,
        e: &mut Expr,
        scope: &NameResolver,
        now: &str,
    ) -> Result<(), SqlError> {
        if !has_subquery(e) {
            return Ok(());
        }
        // Innermost first (sqlparser's walk is bottom-up): a subquery inside a subquery is
        // computed before the one that holds it.
        let mut failed = None;
        let _ = crate::walk::exprs_mut(e, |e: &mut Expr| match self.inlined(e, scope, now) {
            Ok(Some(inlined)) => {
                *e = inlined;
                ControlFlow::Continue(())
            }
            Ok(None) => ControlFlow::Continue(()),
            Err(error) => {
                failed = Some(error);
                ControlFlow::Break(())
            }
        });
        failed.map_or(Ok(()), Err)
    }

    /// What a subquery expression becomes once computed, `None` to leave it, or MySQL's error
    /// for a row compared with a subquery of another width (1241) or of several rows (1242).
    fn inlined(
        &mut self,
        e: &Expr,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Option<Expr>, SqlError> {
        Ok(match e {
            // `(age, kor) IN (SELECT age, MAX(kor) …)`: the rows as a list of rows, which the
            // dialect turns into comparisons pair by pair.
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } if matches!(expr.as_ref(), Expr::Tuple(_)) => {
                let Expr::Tuple(left) = expr.as_ref() else {
                    return Ok(None);
                };
                let Some(rows) = self.rows_of(subquery, left.len(), scope, now)? else {
                    return Ok(None);
                };
                if rows.is_empty() {
                    return Ok(Some(Expr::Value(SqlValue::Boolean(*negated))));
                }
                Some(Expr::InList {
                    expr: expr.clone(),
                    list: rows.into_iter().map(Expr::Tuple).collect(),
                    negated: *negated,
                })
            }
            // `(age, kor) = (SELECT age, kor …)`: the subquery's one row (NULLs when it has
            // none; more than one is left for the error).
            Expr::BinaryOp { left, op, right }
                if matches!(
                    (left.as_ref(), right.as_ref()),
                    (Expr::Tuple(_), Expr::Subquery(_)) | (Expr::Subquery(_), Expr::Tuple(_))
                ) =>
            {
                let row = |engine: &mut Self, width: usize, q: &Query| {
                    let Some(mut rows) = engine.rows_of(q, width, scope, now)? else {
                        return Ok(None);
                    };
                    match rows.len() {
                        0 => Ok(Some(Expr::Tuple(vec![Expr::Value(SqlValue::Null); width]))),
                        1 => Ok(rows.pop().map(Expr::Tuple)),
                        _ => Err(SqlError::Invalid(sqlnori_model::Localized::new(
                            "하위 쿼리가 한 행보다 많은 행을 돌려줍니다 (MySQL 오류 1242)",
                            "Subquery returns more than 1 row (MySQL error 1242)",
                        ))),
                    }
                };
                let (left, right) = match (left.as_ref(), right.as_ref()) {
                    (Expr::Tuple(l), Expr::Subquery(q)) => match row(self, l.len(), q)? {
                        Some(r) => (Expr::Tuple(l.clone()), r),
                        None => return Ok(None),
                    },
                    (Expr::Subquery(q), Expr::Tuple(r)) => match row(self, r.len(), q)? {
                        Some(l) => (l, Expr::Tuple(r.clone())),
                        None => return Ok(None),
                    },
                    _ => return Ok(None),
                };
                Some(Expr::BinaryOp {
                    left: Box::new(left),
                    op: op.clone(),
                    right: Box::new(right),
                })
            }
            _ => self.inlined_value(e, scope, now),
        })
    }

    /// What a subquery of one column becomes once computed, or `None` to leave it.
    fn inlined_value(&mut self, e: &Expr, scope: &NameResolver, now: &str) -> Option<Expr> {
        match e {
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } => {
                let values = self.one_column(subquery, scope, now)?;
                if values.is_empty() {
                    // `x IN (empty)` is false and `x NOT IN (empty)` true, even for NULL x.
                    return Some(Expr::Value(SqlValue::Boolean(*negated)));
                }
                Some(
                    crate::dialect::build::in_list_with_null(expr, &values, *negated).unwrap_or(
                        Expr::InList {
                            expr: expr.clone(),
                            list: values,
                            negated: *negated,
                        },
                    ),
                )
            }
            Expr::Subquery(q) => {
                let mut values = self.one_column(q, scope, now)?;
                match values.len() {
                    0 => Some(Expr::Value(SqlValue::Null)),
                    1 => values.pop().map(|v| Expr::Nested(Box::new(v))),
                    // More than one row: GlueSQL says so, as MySQL does.
                    _ => None,
                }
            }
            // `x op ANY (SELECT …)`, `x op SOME (…)`, `x op ALL (…)`: over the values.
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => {
                let values = self.quantified_values(right, scope, now)?;
                Some(quantified(left, compare_op, values, false))
            }
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => {
                let values = self.quantified_values(right, scope, now)?;
                Some(quantified(left, compare_op, values, true))
            }
            Expr::Exists { subquery, negated } => {
                let (_, rows) = self.run_query((**subquery).clone(), scope, now).ok()?;
                Some(Expr::Value(SqlValue::Boolean(rows.is_empty() == *negated)))
            }
            _ => None,
        }
    }

    /// The values an ANY/ALL compares with. The walk is bottom-up, so the subquery may already
    /// be computed: one row became `(v)` and no row `NULL` (see the scalar case above).
    fn quantified_values(
        &mut self,
        right: &Expr,
        scope: &NameResolver,
        now: &str,
    ) -> Option<Vec<Expr>> {
        match right {
            Expr::Subquery(q) => self.one_column(q, scope, now),
            Expr::Nested(v) => Some(vec![(**v).clone()]),
            Expr::Value(SqlValue::Null) => Some(vec![]),
            _ => None,
        }
    }

    /// A one-column subquery's values as literals, when it runs on its own.
    fn one_column(&mut self, q: &Query, scope: &NameResolver, now: &str) -> Option<Vec<Expr>> {
        let (labels, rows) = self.try_alone(q, scope, now)?;
        if labels.len() != 1 || rows.len() > MAX_INLINED_VALUES {
            return None;
        }
        rows.iter()
            .map(|r| r.first().and_then(|v| value_to_expr(v).ok()))
            .collect()
    }

    /// The rows of a subquery compared with a row of `width` values, as literals: `None` when
    /// it names the outer row or has too many rows to inline, MySQL's error 1241 when its
    /// width is another.
    fn rows_of(
        &mut self,
        q: &Query,
        width: usize,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Option<Vec<Vec<Expr>>>, SqlError> {
        let Some((labels, rows)) = self.try_alone(q, scope, now) else {
            return Ok(None);
        };
        if labels.len() != width {
            return Err(SqlError::Invalid(sqlnori_model::Localized::new(
                format!("하위 쿼리의 열은 {width}개여야 합니다 (MySQL 오류 1241)"),
                format!("Operand should contain {width} column(s) (MySQL error 1241)"),
            )));
        }
        if rows.len() > MAX_INLINED_VALUES {
            return Ok(None);
        }
        Ok(rows
            .iter()
            .map(|r| r.iter().map(|v| value_to_expr(v).ok()).collect())
            .collect())
    }

    /// Runs a subquery on its own; `None` when it cannot (it names the outer row). The random
    /// sequence is left as it was when it fails, so a failed try draws nothing.
    fn try_alone(
        &mut self,
        q: &Query,
        scope: &NameResolver,
        now: &str,
    ) -> Option<crate::query::Rows> {
        let rng = self.state.rng;
        match self.run_query(q.clone(), scope, now) {
            Ok(rows) => Some(rows),
            Err(_) => {
                self.state.rng = rng;
                None
            }
        }
    }
}

/// `x op ALL (values)` (`all`) or `x op ANY (values)` with SQL's three-valued logic: ALL is
/// the AND of `x op v` over the values (TRUE when there are none), ANY their OR (FALSE when
/// there are none); a NULL among them makes a comparison unknown, so the answer may be NULL
/// where MySQL says NULL. `= ANY` is IN and `<> ALL` is NOT IN. For an order comparison over
/// numbers only the extreme value matters (`x > ALL` is `x > MAX`), so the expression stays
/// small however many rows the subquery had.
fn quantified(
    left: &Expr,
    op: &sqlparser::ast::BinaryOperator,
    values: Vec<Expr>,
    all: bool,
) -> Expr {
    use sqlparser::ast::BinaryOperator as B;
    if values.is_empty() {
        return Expr::Value(SqlValue::Boolean(all));
    }
    match (op, all) {
        (B::Eq, false) | (B::NotEq, true) => {
            let negated = all;
            return crate::dialect::build::in_list_with_null(left, &values, negated).unwrap_or(
                Expr::InList {
                    expr: Box::new(left.clone()),
                    list: values,
                    negated,
                },
            );
        }
        _ => {}
    }
    let is_null = |v: &Expr| matches!(v, Expr::Value(SqlValue::Null));
    let has_null = values.iter().any(is_null);
    let mut distinct: Vec<Expr> = Vec::new();
    for v in values.into_iter().filter(|v| !is_null(v)) {
        if !distinct.contains(&v) {
            distinct.push(v);
        }
    }
    // Order comparisons over numbers: the one value that decides.
    let numbers: Option<Vec<f64>> = distinct.iter().map(number).collect();
    if let (Some(numbers), true) = (numbers, matches!(op, B::Gt | B::GtEq | B::Lt | B::LtEq)) {
        let greater = matches!(op, B::Gt | B::GtEq);
        // ALL against the largest (for >) or smallest (for <); ANY the other way round.
        let want_max = greater == all;
        let pick = (0..numbers.len()).reduce(|a, b| {
            let better = if want_max {
                numbers[b] > numbers[a]
            } else {
                numbers[b] < numbers[a]
            };
            if better {
                b
            } else {
                a
            }
        });
        distinct = pick.map(|i| vec![distinct[i].clone()]).unwrap_or_default();
    }
    let mut terms: Vec<Expr> = distinct
        .into_iter()
        .map(|v| Expr::BinaryOp {
            left: Box::new(left.clone()),
            op: op.clone(),
            right: Box::new(v),
        })
        .collect();
    if has_null {
        terms.push(Expr::BinaryOp {
            left: Box::new(left.clone()),
            op: op.clone(),
            right: Box::new(Expr::Value(SqlValue::Null)),
        });
    }
    balanced(terms, if all { B::And } else { B::Or })
}

/// A numeric literal's value (`3`, `-2.5`).
fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(SqlValue::Number(n, _)) => n.to_string().parse().ok(),
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => number(expr).map(|n| -n),
        Expr::Nested(inner) => number(inner),
        _ => None,
    }
}

/// `t1 op t2 op …` as a balanced tree, so its depth grows with the log of its length.
fn balanced(mut terms: Vec<Expr>, op: sqlparser::ast::BinaryOperator) -> Expr {
    if terms.len() == 1 {
        return terms.pop().unwrap_or(Expr::Value(SqlValue::Null));
    }
    let right = terms.split_off(terms.len() / 2);
    Expr::Nested(Box::new(Expr::BinaryOp {
        left: Box::new(balanced(terms, op.clone())),
        op: op.clone(),
        right: Box::new(balanced(right, op)),
    }))
}

fn has_subquery(e: &Expr) -> bool {
    let mut found = false;
    let _ = crate::walk::exprs(e, |e: &Expr| {
        if matches!(
            e,
            Expr::Subquery(_)
                | Expr::InSubquery { .. }
                | Expr::Exists { .. }
                | Expr::AnyOp { .. }
                | Expr::AllOp { .. }
        ) {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}
