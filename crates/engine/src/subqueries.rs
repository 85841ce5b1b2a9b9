//! Subqueries that do not depend on the outer row, computed once: GlueSQL evaluates a
//! subquery again for every outer row, so `IN (SELECT … IN (SELECT …))` over a few hundred rows
//! took seconds. Each subquery in a SELECT's items, WHERE or HAVING is tried on its own in the
//! outer scope; when it runs (it names nothing of the outer row, as SQL's scoping decides), its
//! result replaces it: `x IN (SELECT …)` becomes `x IN (v1, v2, …)`, a scalar subquery its
//! value, `EXISTS (…)` TRUE or FALSE. A correlated subquery fails on its own and is left to
//! GlueSQL.

use crate::convert::value_to_expr;
use crate::dialect::NameResolver;
use crate::Engine;
use sqlparser::ast::{Expr, Query, Select, SelectItem, Value as SqlValue};
use std::ops::ControlFlow;

/// Most values a subquery's result may have to become a literal list (beyond it, GlueSQL
/// evaluates the subquery as it is).
const MAX_INLINED_VALUES: usize = 100_000;

impl Engine {
    /// Computes the uncorrelated subqueries of a SELECT (its items, WHERE and HAVING) once.
    pub(crate) fn inline_subqueries(&mut self, sel: &mut Select, scope: &NameResolver, now: &str) {
        if !self.optimise {
            return;
        }
        for item in &mut sel.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                self.inline_in(e, scope, now);
            }
        }
        if let Some(e) = sel.selection.as_mut() {
            self.inline_in(e, scope, now);
        }
        if let Some(e) = sel.having.as_mut() {
            self.inline_in(e, scope, now);
        }
    }

    /// The same for one expression (an UPDATE's or DELETE's WHERE).
    pub(crate) fn inline_in(&mut self, e: &mut Expr, scope: &NameResolver, now: &str) {
        if !has_subquery(e) {
            return;
        }
        // Outermost first: an inner subquery runs inside its outer one's own run.
        let _ = sqlparser::ast::visit_expressions_mut(e, |e: &mut Expr| {
            if let Some(inlined) = self.inlined(e, scope, now) {
                *e = inlined;
            }
            ControlFlow::<()>::Continue(())
        });
    }

    /// What a subquery expression becomes once computed, or `None` to leave it.
    fn inlined(&mut self, e: &Expr, scope: &NameResolver, now: &str) -> Option<Expr> {
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
            Expr::Exists { subquery, negated } => {
                let (_, rows) = self.run_query((**subquery).clone(), scope, now).ok()?;
                Some(Expr::Value(SqlValue::Boolean(rows.is_empty() == *negated)))
            }
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

fn has_subquery(e: &Expr) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(e, |e: &Expr| {
        if matches!(
            e,
            Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. }
        ) {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}
