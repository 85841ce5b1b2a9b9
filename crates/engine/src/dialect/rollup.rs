//! MySQL's `GROUP BY a, b WITH ROLLUP`, which GlueSQL lacks, as plain SQL: one grouped SELECT
//! per level (`GROUP BY a, b`, then `GROUP BY a` with b as NULL, then the grand total with
//! both NULL), joined with UNION ALL and ordered as MySQL shows them — each group's rows, then
//! its subtotal, the grand total last. `GROUPING(b)` is 1 on the rows where b was rolled up.
//! The learner's ORDER BY (by a select item, an alias or a grouped column) and LIMIT apply to
//! the whole.
//!
//! The rewrite is on the AST before anything runs, so the result and the step-by-step view
//! both come from the same SQL.

use super::build::num;
use crate::error::SqlError;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Expr, GroupByExpr, GroupByWithModifier, Ident, OrderBy, OrderByExpr, Query, Select, SelectItem,
    SetExpr, SetOperator, SetQuantifier, TableAlias, TableFactor, TableWithJoins, Value,
    VisitorMut,
};
use std::ops::ControlFlow;

/// Expands every `WITH ROLLUP` of a statement. `columns` knows the stored tables' column
/// names: a GROUP BY name that is a column is the column, not a select alias (MySQL reads
/// GROUP BY names in the FROM tables first).
pub fn expand(
    stmt: &mut sqlparser::ast::Statement,
    columns: &super::ColumnCatalog,
) -> Result<(), SqlError> {
    struct Expand<'a>(&'a super::ColumnCatalog);
    impl VisitorMut for Expand<'_> {
        type Break = SqlError;
        fn post_visit_query(&mut self, q: &mut Query) -> ControlFlow<SqlError> {
            match expand_query(q, self.0) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => ControlFlow::Break(e),
            }
        }
    }
    match crate::walk::visit_mut(stmt, &mut Expand(columns)) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

fn has_rollup(sel: &Select) -> bool {
    matches!(&sel.group_by, GroupByExpr::Expressions(_, m) if m.contains(&GroupByWithModifier::Rollup))
}

fn refused(what: &str, en: &str) -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new(format!("WITH ROLLUP과 함께 쓴 {what}"), format!("{en} with WITH ROLLUP")),
        hint: Some(Localized::new(
            "SELECT에 열과 집계 함수를 나열하고, ORDER BY에는 SELECT 항목이나 GROUP BY 열을 쓰세요",
            "list the columns and aggregates in SELECT, and order by select items or grouped columns",
        )),
    }
}

fn expand_query(q: &mut Query, columns: &super::ColumnCatalog) -> Result<(), SqlError> {
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return Ok(());
    };
    if !has_rollup(sel) {
        return Ok(());
    }
    let sel = (**sel).clone();
    let GroupByExpr::Expressions(group, _) = &sel.group_by else {
        return Ok(());
    };
    // Each select item with its label (as MySQL labels it) and expression.
    let mut items: Vec<(String, Expr)> = vec![];
    for item in &sel.projection {
        match item {
            SelectItem::UnnamedExpr(e) => items.push((e.to_string(), e.clone())),
            SelectItem::ExprWithAlias { expr, alias } => {
                items.push((alias.value.clone(), expr.clone()))
            }
            _ => return Err(refused("SELECT *", "SELECT *")),
        }
    }
    // A GROUP BY of an alias or a position stands for that item.
    let keys: Vec<Expr> = group
        .iter()
        .map(|g| match g {
            Expr::Identifier(i) if !columns.contains_key(&i.value.to_lowercase()) => items
                .iter()
                .find(|(l, e)| {
                    l.eq_ignore_ascii_case(&i.value) && !matches!(e, Expr::Identifier(_))
                })
                .map_or_else(|| g.clone(), |(_, e)| e.clone()),
            Expr::Value(Value::Number(n, _)) => n
                .to_string()
                .parse::<usize>()
                .ok()
                .and_then(|k| items.get(k.wrapping_sub(1)))
                .map_or_else(|| g.clone(), |(_, e)| e.clone()),
            other => other.clone(),
        })
        .collect();
    let n = keys.len();
    let column = |name: String| Expr::Identifier(Ident::with_quote('`', name));
    let mut branches: Vec<SetExpr> = vec![];
    for level in (0..=n).rev() {
        let rolled = |e: &Expr| rolled_up(e, &keys, level);
        let mut branch = sel.clone();
        branch.group_by = GroupByExpr::Expressions(keys[..level].to_vec(), vec![]);
        let mut projection: Vec<SelectItem> = items
            .iter()
            .map(|(label, e)| SelectItem::ExprWithAlias {
                expr: rolled(e),
                // The item's own name, so HAVING can name it as in the learner's query.
                alias: Ident::with_quote('`', label.clone()),
            })
            .collect();
        for (j, key) in keys.iter().enumerate() {
            projection.push(SelectItem::ExprWithAlias {
                expr: num(u8::from(j >= level)),
                alias: Ident::with_quote('`', format!("__rollup_f{j}")),
            });
            projection.push(SelectItem::ExprWithAlias {
                expr: if j < level {
                    key.clone()
                } else {
                    Expr::Value(Value::Null)
                },
                alias: Ident::with_quote('`', format!("__rollup_k{j}")),
            });
        }
        branch.projection = projection;
        branch.having = sel.having.as_ref().map(rolled);
        branches.push(SetExpr::Select(Box::new(branch)));
    }
    let union = branches
        .into_iter()
        .reduce(|left, right| SetExpr::SetOperation {
            op: SetOperator::Union,
            set_quantifier: SetQuantifier::All,
            left: Box::new(left),
            right: Box::new(right),
        })
        .unwrap_or_else(|| SetExpr::Select(Box::new(sel.clone())));
    // The user's ORDER BY, said in the outer query's columns; else MySQL's order.
    let order: Vec<OrderByExpr> = match &q.order_by {
        Some(o) if !o.exprs.is_empty() => o
            .exprs
            .iter()
            .map(|o| {
                let by = outer_column(&o.expr, &items, &keys)
                    .ok_or_else(|| refused("이 ORDER BY", "this ORDER BY"))?;
                Ok(OrderByExpr {
                    expr: column(by),
                    ..o.clone()
                })
            })
            .collect::<Result<_, SqlError>>()?,
        _ => (0..n)
            .flat_map(|j| [format!("__rollup_f{j}"), format!("__rollup_k{j}")])
            .map(|c| OrderByExpr {
                expr: column(c),
                asc: None,
                nulls_first: None,
                with_fill: None,
            })
            .collect(),
    };
    let inner = Query {
        body: Box::new(union),
        ..super::build::empty_query()
    };
    let mut outer = super::build::select_query(
        items
            .iter()
            .map(|(label, _)| SelectItem::UnnamedExpr(column(label.clone())))
            .collect(),
        vec![TableWithJoins {
            relation: TableFactor::Derived {
                lateral: false,
                subquery: Box::new(inner),
                alias: Some(TableAlias {
                    name: Ident::new("__rollup"),
                    columns: vec![],
                }),
            },
            joins: vec![],
        }],
        None,
    );
    outer.order_by = Some(OrderBy {
        exprs: order,
        interpolate: None,
    });
    q.body = outer.body;
    q.order_by = outer.order_by;
    Ok(())
}

/// `e` at a level of the rollup: a grouped key rolled up there is NULL, `GROUPING(key)` is 1
/// where the key is rolled up and 0 where it is not.
fn rolled_up(e: &Expr, keys: &[Expr], level: usize) -> Expr {
    struct Roll<'a> {
        keys: &'a [Expr],
        level: usize,
    }
    impl VisitorMut for Roll<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::Function(f) = e {
                if super::build::func_name(f) == "GROUPING" {
                    if let Some([arg]) = super::build::plain_args(f).as_deref() {
                        let j = self.keys.iter().position(|k| same(k, arg));
                        *e = num(u8::from(j.is_some_and(|j| j >= self.level)));
                    }
                    return ControlFlow::Continue(());
                }
                // An aggregate reads the rows, not the rolled-up key.
                if sqlnori_model::catalog::is_aggregate(&super::build::func_name(f)) {
                    return ControlFlow::Continue(());
                }
            }
            if let Some(j) = self.keys.iter().position(|k| same(k, e)) {
                if j >= self.level {
                    *e = Expr::Value(Value::Null);
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut out = e.clone();
    let _ = crate::walk::visit_mut(&mut out, &mut Roll { keys, level });
    out
}

/// The same expression, as written (letter case of names aside).
fn same(a: &Expr, b: &Expr) -> bool {
    a.to_string().eq_ignore_ascii_case(&b.to_string())
}

/// The outer query's column for an ORDER BY expression: a select item (by alias, by its
/// text, or by position), else a grouped key.
fn outer_column(e: &Expr, items: &[(String, Expr)], keys: &[Expr]) -> Option<String> {
    if let Expr::Value(Value::Number(n, _)) = e {
        let k: usize = n.to_string().parse().ok()?;
        return items.get(k.checked_sub(1)?).map(|(l, _)| l.clone());
    }
    if let Expr::Identifier(i) = e {
        if let Some((l, _)) = items.iter().find(|(l, _)| l.eq_ignore_ascii_case(&i.value)) {
            return Some(l.clone());
        }
    }
    if let Some((l, _)) = items.iter().find(|(_, x)| same(x, e)) {
        return Some(l.clone());
    }
    keys.iter()
        .position(|k| same(k, e))
        .map(|j| format!("__rollup_k{j}"))
}
