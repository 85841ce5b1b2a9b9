//! The layer's query planner: what a `SELECT` needs beyond one GlueSQL query.
//!
//! `UNION`/`INTERSECT`/`EXCEPT` (here), window functions (`windowed.rs`), `GROUP_CONCAT`
//! (`group_concat.rs`), views and derived tables that use any of these are run in parts:
//! GlueSQL runs each part, the layer combines the rows, and the intermediate rows are stored
//! as hidden tables (named `__…`) that the next part reads.

use crate::dialect::build;
use crate::dialect::{self, NameResolver};
use crate::error::SqlError;
use crate::group_concat::has_group_concat;
use crate::window::group_key;
use crate::windowed::{has_window, orders_by_window};
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Expr, OrderBy, Query, Select, SelectItem, SetExpr, SetOperator, SetQuantifier, TableFactor,
    TableWithJoins,
};
use std::collections::HashSet;
use std::ops::ControlFlow;

/// Labels and rows of a query's result.
pub type Rows = (Vec<String>, Vec<Vec<Value>>);

/// Most rows a layer step may hold (set operations, window inputs), to keep the page alive.
pub const MAX_LAYER_ROWS: usize = 1_000_000;

impl Engine {
    /// Runs a query without its `WITH` (already materialised into `names`).
    pub(crate) fn run_plain_query(
        &mut self,
        mut q: Query,
        names: &NameResolver,
        now: &str,
    ) -> Result<Rows, SqlError> {
        let mut temps = Vec::new();
        let result = (|| {
            let mut scope = names.clone();
            self.materialise_views(&mut q, &mut scope, now, &mut temps)?;
            match *q.body {
                SetExpr::SetOperation { .. } => self.run_set_query(q, &scope, now, &mut temps),
                SetExpr::Query(_) if q.order_by.is_none() && q.limit.is_none() => {
                    let SetExpr::Query(inner) = *q.body else {
                        return Err(SqlError::Engine("unreachable query shape".to_owned()));
                    };
                    self.run_query(*inner, &scope, now)
                }
                SetExpr::Select(_) => {
                    let SetExpr::Select(mut sel) = std::mem::replace(
                        &mut *q.body,
                        SetExpr::Values(sqlparser::ast::Values {
                            explicit_row: false,
                            rows: vec![],
                        }),
                    ) else {
                        return Err(SqlError::Engine("unreachable query shape".to_owned()));
                    };
                    self.materialise_derived(&mut sel, &mut scope, now, &mut temps)?;
                    dialect::rewrite::label_select(&mut sel);
                    self.inline_subqueries(&mut sel, &scope, now)?;
                    if has_window(&sel) || orders_by_window(&q) {
                        self.run_windowed(q, *sel, &mut scope, now, &mut temps)
                    } else if has_group_concat(&sel) {
                        self.run_group_concat(q, *sel, &mut scope, now, &mut temps)
                    } else {
                        *q.body = SetExpr::Select(sel);
                        self.glue_query(q, &scope, now)
                    }
                }
                _ => self.glue_query(q, &scope, now),
            }
        })();
        for t in temps {
            self.drop_hidden(&t);
        }
        result
    }

    /// Stores rows as a hidden table visible to `scope` as `key`.
    pub(crate) fn stage(
        &mut self,
        key: &str,
        labels: &[String],
        rows: Vec<Vec<Value>>,
        scope: &mut NameResolver,
        temps: &mut Vec<String>,
    ) -> Result<(), SqlError> {
        let storage = self.materialise(key, labels, rows)?;
        temps.push(storage.clone());
        scope.ctes.insert(key.to_lowercase(), storage);
        Ok(())
    }

    /// Views the query reads are run first and read as tables, like CTEs.
    fn materialise_views(
        &mut self,
        q: &mut Query,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<(), SqlError> {
        self.materialise_mysql_user(q, scope, temps)?;
        if self.state.views.is_empty() {
            return Ok(());
        }
        let mut wanted = Vec::new();
        let _ = crate::walk::relations(&*q, |rel| {
            if let Ok(t) = scope.resolve(rel) {
                if let Some(sql) = self.state.views.get(&t.storage) {
                    wanted.push((rel.clone(), t.storage.clone(), sql.clone()));
                }
            }
            ControlFlow::<()>::Continue(())
        });
        for (written, storage, sql) in wanted {
            if scope.materialised.contains_key(&storage) {
                continue;
            }
            if scope.view_depth >= MAX_VIEW_DEPTH {
                return Err(SqlError::Limit(sqlnori_model::Localized::new(
                    format!("뷰가 {MAX_VIEW_DEPTH}단계보다 깊게 겹쳐 있습니다 (뷰 {written})"),
                    format!("views nest more than {MAX_VIEW_DEPTH} deep (view {written})"),
                )));
            }
            let mut stmts = dialect::parse_mysql(&sql)?;
            let Some(sqlparser::ast::Statement::Query(view_query)) = stmts.pop() else {
                return Err(SqlError::Engine(format!("view {written} is not a query")));
            };
            let mut view_scope = NameResolver {
                current_db: dialect::split_storage_name(&storage)
                    .map_or_else(|| scope.current_db.clone(), |(db, _)| db.to_owned()),
                view_depth: scope.view_depth + 1,
                utc_offset_minutes: scope.utc_offset_minutes,
                ..NameResolver::default()
            };
            view_scope.materialised = scope.materialised.clone();
            let (labels, rows) = self.run_query(*view_query, &view_scope, now)?;
            let hidden = self.materialise("view", &labels, rows)?;
            temps.push(hidden.clone());
            scope.materialised.insert(storage, hidden);
        }
        Ok(())
    }

    /// `mysql.user`, the accounts as MySQL's grant table, made for the query that reads it.
    fn materialise_mysql_user(
        &mut self,
        q: &Query,
        scope: &mut NameResolver,
        temps: &mut Vec<String>,
    ) -> Result<(), SqlError> {
        const TABLE: &str = "mysql.user";
        if scope.materialised.contains_key(TABLE) || self.table_exists(TABLE) {
            return Ok(());
        }
        let mut reads = false;
        let _ = crate::walk::relations(q, |rel| {
            reads |= scope.resolve(rel).is_ok_and(|t| t.storage == TABLE);
            ControlFlow::<()>::Continue(())
        });
        if reads {
            let (labels, rows) = self.mysql_user_rows();
            let hidden = self.materialise("mysql_user", &labels, rows)?;
            temps.push(hidden.clone());
            scope.materialised.insert(TABLE.to_owned(), hidden);
        }
        Ok(())
    }

    /// Derived tables (`FROM (SELECT …) AS t`) that need the layer are run first.
    fn materialise_derived(
        &mut self,
        sel: &mut Select,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<(), SqlError> {
        let factors = sel.from.iter_mut().flat_map(|t| {
            std::iter::once(&mut t.relation).chain(t.joins.iter_mut().map(|j| &mut j.relation))
        });
        let mut pending = Vec::new();
        for tf in factors {
            if let TableFactor::Derived {
                subquery, alias, ..
            } = tf
            {
                if needs_layer(subquery) {
                    let key = format!("__derived{}", pending.len() + temps.len());
                    pending.push((key.clone(), (**subquery).clone()));
                    let alias = alias.clone().unwrap_or_else(|| build::table_alias(&key));
                    *tf = build::table_factor(&key, alias);
                }
            }
        }
        for (key, subquery) in pending {
            let (labels, rows) = self.run_query(subquery, scope, now)?;
            self.stage(&key, &labels, rows, scope, temps)?;
        }
        Ok(())
    }

    /// `a UNION [ALL] b`, `INTERSECT`, `EXCEPT`, then the query's `ORDER BY`/`LIMIT`.
    fn run_set_query(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        let Query {
            body,
            order_by,
            limit,
            offset,
            limit_by,
            ..
        } = q;
        let (labels, rows) = self.run_set_expr(*body, scope, now)?;
        if order_by.is_none() && limit.is_none() && offset.is_none() {
            return Ok((labels, rows));
        }
        let mut scope = scope.clone();
        self.stage("__set", &labels, rows, &mut scope, temps)?;
        let outer = select_all_from("__set", order_by, limit, offset, limit_by);
        self.glue_query(outer, &scope, now)
    }

    fn run_set_expr(
        &mut self,
        body: SetExpr,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Rows, SqlError> {
        match body {
            SetExpr::SetOperation {
                op,
                set_quantifier,
                left,
                right,
            } => {
                let (labels, left_rows) = self.run_set_expr(*left, scope, now)?;
                let (right_labels, right_rows) = self.run_set_expr(*right, scope, now)?;
                if labels.len() != right_labels.len() {
                    return Err(SqlError::Invalid(Localized::new(
                        format!(
                            "{op}의 양쪽 SELECT의 열 개수가 다릅니다 ({}개와 {}개)",
                            labels.len(),
                            right_labels.len()
                        ),
                        format!(
                            "the SELECTs on each side of {op} have different numbers of columns ({} and {})",
                            labels.len(),
                            right_labels.len()
                        ),
                    )));
                }
                let all = matches!(set_quantifier, SetQuantifier::All);
                let rows = combine(op, all, left_rows, right_rows);
                if rows.len() > MAX_LAYER_ROWS {
                    return Err(SqlError::Limit(sqlnori_model::Localized::new(
                        format!("{op}의 결과가 {MAX_LAYER_ROWS}행을 넘었습니다"),
                        format!("{op} produced more than {MAX_LAYER_ROWS} rows"),
                    )));
                }
                Ok((labels, rows))
            }
            SetExpr::Query(q) => self.run_query(*q, scope, now),
            other => self.run_query(
                Query {
                    body: Box::new(other),
                    ..build::empty_query()
                },
                scope,
                now,
            ),
        }
    }
}

/// How deep views may refer to views.
const MAX_VIEW_DEPTH: usize = 8;

/// True when a select item calls a function `matching` (outside subqueries).
pub(crate) fn projection_calls(
    sel: &Select,
    matching: impl Fn(&sqlparser::ast::Function) -> bool,
) -> bool {
    sel.projection
        .iter()
        .any(|item| crate::walk::calls_outside_subqueries(item, &matching))
}

/// True when a query cannot be handed to GlueSQL as it is.
pub(crate) fn needs_layer(q: &Query) -> bool {
    q.with.is_some()
        || match q.body.as_ref() {
            SetExpr::Select(s) => has_window(s) || has_group_concat(s),
            SetExpr::Query(inner) => needs_layer(inner),
            SetExpr::SetOperation { .. } => true,
            _ => false,
        }
}

fn combine(
    op: SetOperator,
    all: bool,
    left: Vec<Vec<Value>>,
    right: Vec<Vec<Value>>,
) -> Vec<Vec<Value>> {
    let key = |r: &Vec<Value>| group_key(&r.iter().collect::<Vec<_>>());
    match op {
        SetOperator::Union => {
            let mut rows = left;
            rows.extend(right);
            if !all {
                let mut seen = HashSet::new();
                rows.retain(|r| seen.insert(key(r)));
            }
            rows
        }
        SetOperator::Intersect => {
            let right_keys: HashSet<String> = right.iter().map(key).collect();
            let mut seen = HashSet::new();
            left.into_iter()
                .filter(|r| right_keys.contains(&key(r)) && (all || seen.insert(key(r))))
                .collect()
        }
        SetOperator::Except => {
            let right_keys: HashSet<String> = right.iter().map(key).collect();
            let mut seen = HashSet::new();
            left.into_iter()
                .filter(|r| !right_keys.contains(&key(r)) && (all || seen.insert(key(r))))
                .collect()
        }
    }
}

/// The label a select item gives its column, when it names one.
pub(crate) fn item_label(item: &SelectItem) -> Option<String> {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
        SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(i.value.clone()),
        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(p)) => p.last().map(|i| i.value.clone()),
        _ => None,
    }
}

/// `SELECT * FROM key ORDER BY … LIMIT …`.
pub(crate) fn select_all_from(
    key: &str,
    order_by: Option<OrderBy>,
    limit: Option<Expr>,
    offset: Option<sqlparser::ast::Offset>,
    limit_by: Vec<Expr>,
) -> Query {
    let mut parsed = build::select_query(
        vec![SelectItem::Wildcard(Default::default())],
        vec![TableWithJoins {
            relation: build::table_factor(key, build::table_alias(key)),
            joins: vec![],
        }],
        None,
    );
    parsed.order_by = order_by;
    parsed.limit = limit;
    parsed.offset = offset;
    parsed.limit_by = limit_by;
    parsed
}
