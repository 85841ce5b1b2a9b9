//! The layer's query planner: what a `SELECT` needs beyond one GlueSQL query.
//!
//! `UNION`/`INTERSECT`/`EXCEPT`, window functions, `GROUP_CONCAT`, views and derived tables
//! that use any of these are run in parts: GlueSQL runs each part, the layer combines the
//! rows, and the intermediate rows are stored as hidden tables (named `__…`) that the next
//! part reads. Those intermediate results are plain rows, so later work (the step-by-step
//! view) can show them.

use crate::dialect::build::{self, func, literal_i64};
use crate::dialect::{self, NameResolver};
use crate::error::SqlError;
use crate::window::{self, group_key, WindowCall};
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{
    BinaryOperator, Distinct, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr,
    FunctionArgumentClause, FunctionArguments, GroupByExpr, Ident, Join, JoinConstraint,
    JoinOperator, NamedWindowExpr, OrderBy, OrderByExpr, Query, Select, SelectItem, SetExpr,
    SetOperator, SetQuantifier, TableFactor, TableWithJoins, Value as SqlValue, WindowSpec,
    WindowType,
};
use std::collections::{HashMap, HashSet};
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
                    if has_window(&sel) || (!sel.from.is_empty() && orders_by_rand(&q)) {
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
    fn stage(
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
        if self.state.views.is_empty() {
            return Ok(());
        }
        let mut wanted = Vec::new();
        let _ = sqlparser::ast::visit_relations(&*q, |rel| {
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
                return Err(SqlError::Limit(format!(
                    "views nest more than {MAX_VIEW_DEPTH} deep (view {written})"
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
                    return Err(SqlError::Limit(format!(
                        "{op} produced more than {MAX_LAYER_ROWS} rows"
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

    /// A select with window functions: GlueSQL computes the rows with every window's inputs,
    /// the layer computes the windows, GlueSQL evaluates the select items over them.
    fn run_windowed(
        &mut self,
        q: Query,
        mut sel: Select,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        let Query {
            order_by,
            limit,
            offset,
            limit_by,
            ..
        } = q;
        let named: HashMap<String, WindowSpec> = sel
            .named_window
            .iter()
            .filter_map(|d| match &d.1 {
                NamedWindowExpr::WindowSpec(s) => Some((d.0.value.to_lowercase(), s.clone())),
                NamedWindowExpr::NamedWindow(_) => None,
            })
            .collect();
        let mut calls: Vec<WindowUse> = Vec::new();
        let mut window_items = HashSet::new();
        for (i, item) in sel.projection.iter_mut().enumerate() {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                let before = calls.len();
                take_windows(e, &named, &mut calls)?;
                if calls.len() > before {
                    window_items.insert(i);
                }
            }
        }
        let mut order_exprs: Vec<OrderByExpr> = order_by.map(|o| o.exprs).unwrap_or_default();
        for o in &mut order_exprs {
            take_windows(&mut o.expr, &named, &mut calls)?;
        }

        // The inner query: every non-window item, then the hidden inputs.
        let mut hidden: Vec<(String, Expr)> = Vec::new();
        let mut call_inputs = Vec::new();
        for (k, (_, args, _, spec)) in calls.iter().enumerate() {
            let slot = |hidden: &mut Vec<(String, Expr)>, kind: &str, j: usize, e: &Expr| {
                hidden.push((format!("__w{k}_{kind}{j}"), e.clone()));
                hidden.len() - 1
            };
            let partition: Vec<usize> = spec
                .partition_by
                .iter()
                .enumerate()
                .map(|(j, e)| slot(&mut hidden, "p", j, e))
                .collect();
            let order: Vec<(usize, bool)> = spec
                .order_by
                .iter()
                .enumerate()
                .map(|(j, o)| (slot(&mut hidden, "o", j, &o.expr), o.asc != Some(false)))
                .collect();
            let arg_slots: Vec<usize> = args
                .iter()
                .enumerate()
                .map(|(j, e)| slot(&mut hidden, "a", j, e))
                .collect();
            call_inputs.push((partition, order, arg_slots));
        }
        let labels_of_items: Vec<Option<String>> = sel.projection.iter().map(item_label).collect();
        // Column references inside window items and in ORDER BY are carried as hidden columns.
        let mut refs: HashMap<String, String> = HashMap::new();
        let mut carry = |e: &mut Expr, hidden: &mut Vec<(String, Expr)>| {
            let _ = sqlparser::ast::visit_expressions_mut(e, |e: &mut Expr| {
                let is_ref = match e {
                    Expr::Identifier(i) => !i.value.starts_with("__w"),
                    Expr::CompoundIdentifier(_) => true,
                    _ => false,
                };
                if is_ref {
                    let key = e.to_string();
                    let name = refs.entry(key).or_insert_with(|| {
                        hidden.push((format!("__r{}", hidden.len()), e.clone()));
                        format!("__r{}", hidden.len() - 1)
                    });
                    *e = Expr::Identifier(Ident::new(name.clone()));
                }
                ControlFlow::<()>::Continue(())
            });
        };
        let mut outer_items = Vec::new();
        let mut inner_items = Vec::new();
        let mut visible_items = Vec::new();
        for (i, item) in sel.projection.iter().enumerate() {
            if window_items.contains(&i) {
                let (mut expr, label) = match item {
                    SelectItem::UnnamedExpr(e) => (e.clone(), e.to_string()),
                    SelectItem::ExprWithAlias { expr, alias } => {
                        (expr.clone(), alias.value.clone())
                    }
                    _ => continue,
                };
                carry(&mut expr, &mut hidden);
                outer_items.push(Outer::Window(Box::new(expr), label));
            } else {
                inner_items.push(item.clone());
                visible_items.push(i);
                outer_items.push(Outer::Visible(matches!(
                    item,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )));
            }
        }
        let output_labels: HashSet<String> = labels_of_items
            .iter()
            .flatten()
            .map(|l| l.to_lowercase())
            .collect();
        for o in &mut order_exprs {
            let is_label = matches!(&o.expr, Expr::Identifier(i) if output_labels.contains(&i.value.to_lowercase()));
            if !is_label {
                carry(&mut o.expr, &mut hidden);
            }
        }
        let hidden_count = hidden.len();
        let mut inner = sel.clone();
        inner.distinct = None;
        inner.named_window.clear();
        inner.projection = inner_items;
        inner
            .projection
            .extend(hidden.iter().map(|(name, e)| SelectItem::ExprWithAlias {
                expr: e.clone(),
                alias: Ident::new(name.clone()),
            }));
        let inner_query = Query {
            body: Box::new(SetExpr::Select(Box::new(inner))),
            ..build::empty_query()
        };
        let (inner_labels, mut rows) = self.run_plain_query(inner_query, scope, now)?;
        if rows.len() > MAX_LAYER_ROWS {
            return Err(SqlError::Limit(format!(
                "window functions over more than {MAX_LAYER_ROWS} rows"
            )));
        }
        let visible = inner_labels.len().saturating_sub(hidden_count);
        let mut results = Vec::new();
        for ((function, args, star, spec), (partition, order, arg_slots)) in
            calls.iter().zip(call_inputs)
        {
            let call = WindowCall {
                function: function.clone(),
                partition: partition.iter().map(|p| visible + p).collect(),
                order: order.iter().map(|(p, asc)| (visible + p, *asc)).collect(),
                args: arg_slots.iter().map(|p| visible + p).collect(),
                star: *star,
                frame: spec.window_frame.clone(),
                literal_args: args.iter().map(literal_i64).collect(),
            };
            if function == "RAND" {
                results.push(
                    (0..rows.len())
                        .map(|_| Value::F64(self.state.rng.next_f64()))
                        .collect(),
                );
                continue;
            }
            results.push(window::evaluate(&call, &rows)?);
        }
        for (r, row) in rows.iter_mut().enumerate() {
            for values in &results {
                row.push(values[r].clone());
            }
        }
        let mut table_labels: Vec<String> = (0..visible).map(|i| format!("__c{i}")).collect();
        table_labels.extend(hidden.iter().map(|(n, _)| n.clone()));
        table_labels.extend((0..calls.len()).map(|k| format!("__w{k}")));
        self.stage("__win", &table_labels, rows, scope, temps)?;

        // The outer select, over the staged rows.
        let wildcards = outer_items
            .iter()
            .filter(|o| matches!(o, Outer::Visible(true)))
            .count();
        if wildcards > 1 {
            return Err(SqlError::Unsupported {
                feature: "two * lists together with window functions".to_owned(),
                hint: Some(Localized::new(
                    "열 이름을 나열하세요",
                    "list the columns by name",
                )),
            });
        }
        let plain = outer_items
            .iter()
            .filter(|o| matches!(o, Outer::Visible(false)))
            .count();
        let wildcard_width = visible.saturating_sub(plain);
        let mut projection = Vec::new();
        let mut next = 0;
        for o in outer_items {
            match o {
                Outer::Visible(is_wildcard) => {
                    let width = if is_wildcard { wildcard_width } else { 1 };
                    for _ in 0..width {
                        let label = inner_labels.get(next).cloned().unwrap_or_default();
                        projection.push(SelectItem::ExprWithAlias {
                            expr: Expr::Identifier(Ident::new(format!("__c{next}"))),
                            alias: Ident::with_quote('`', label),
                        });
                        next += 1;
                    }
                }
                Outer::Window(expr, label) => projection.push(SelectItem::ExprWithAlias {
                    expr: *expr,
                    alias: Ident::with_quote('`', label),
                }),
            }
        }
        let mut outer = select_all_from(
            "__win",
            (!order_exprs.is_empty()).then_some(OrderBy {
                exprs: order_exprs,
                interpolate: None,
            }),
            limit,
            offset,
            limit_by,
        );
        if let SetExpr::Select(s) = outer.body.as_mut() {
            s.projection = projection;
            s.distinct = sel
                .distinct
                .clone()
                .filter(|d| matches!(d, Distinct::Distinct));
        }
        self.glue_query(outer, scope, now)
    }

    /// `GROUP_CONCAT`: the layer joins each group's strings; the select reads them back with
    /// `MIN` over a join on the group's key, so every other aggregate stays GlueSQL's.
    fn run_group_concat(
        &mut self,
        mut q: Query,
        mut sel: Select,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        if sel.from.is_empty() {
            return Err(SqlError::Unsupported {
                feature: "GROUP_CONCAT without FROM".to_owned(),
                hint: None,
            });
        }
        let columns = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::substitute_select_aliases(&mut sel, &columns);
        let keys: Vec<Expr> = match &sel.group_by {
            GroupByExpr::Expressions(e, _) => e.clone(),
            GroupByExpr::All(_) => vec![],
        };
        let mut concats: Vec<Concat> = Vec::new();
        let mut visit = |e: &mut Expr| {
            let _ = sqlparser::ast::visit_expressions_mut(e, |e: &mut Expr| {
                if let Some(c) = as_group_concat(e) {
                    *e = func(
                        "MIN",
                        vec![Expr::CompoundIdentifier(vec![
                            Ident::new("__gc"),
                            Ident::new(format!("__g{}", concats.len())),
                        ])],
                    );
                    concats.push(c);
                }
                ControlFlow::<()>::Continue(())
            });
        };
        for item in &mut sel.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                visit(e);
            }
        }
        if let Some(h) = sel.having.as_mut() {
            visit(h);
        }
        // Phase one: each row's key and values, without grouping.
        let mut items: Vec<SelectItem> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| build::alias_item(join_key(k), &format!("__k{i}")))
            .collect();
        for (c_i, c) in concats.iter().enumerate() {
            items.push(build::alias_item(c.value.clone(), &format!("__v{c_i}")));
            for (j, o) in c.order.iter().enumerate() {
                items.push(build::alias_item(o.expr.clone(), &format!("__o{c_i}_{j}")));
            }
        }
        let mut phase = sel.clone();
        phase.projection = items;
        phase.group_by = GroupByExpr::Expressions(vec![], vec![]);
        phase.having = None;
        phase.distinct = None;
        let (labels, rows) = self.run_plain_query(
            Query {
                body: Box::new(SetExpr::Select(Box::new(phase))),
                ..build::empty_query()
            },
            scope,
            now,
        )?;
        let position = |name: &str| labels.iter().position(|l| l == name);
        let key_cols: Vec<usize> = (0..keys.len())
            .filter_map(|i| position(&format!("__k{i}")))
            .collect();
        let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            let key: Vec<&Value> = key_cols.iter().map(|&c| &row[c]).collect();
            let slot = *index.entry(group_key(&key)).or_insert_with(|| {
                groups.push((key.iter().map(|v| (*v).clone()).collect(), vec![]));
                groups.len() - 1
            });
            groups[slot].1.push(r);
        }
        let mut staged_rows = Vec::new();
        for (key, members) in &groups {
            let mut row = key.clone();
            for (c_i, c) in concats.iter().enumerate() {
                let Some(v) = position(&format!("__v{c_i}")) else {
                    row.push(Value::Null);
                    continue;
                };
                let order_cols: Vec<(usize, bool)> = c
                    .order
                    .iter()
                    .enumerate()
                    .filter_map(|(j, o)| {
                        position(&format!("__o{c_i}_{j}")).map(|p| (p, o.asc != Some(false)))
                    })
                    .collect();
                let mut members = members.clone();
                members.sort_by(|&a, &b| {
                    order_cols
                        .iter()
                        .map(|&(p, asc)| {
                            let o = window::compare(&rows[a][p], &rows[b][p]);
                            if asc {
                                o
                            } else {
                                o.reverse()
                            }
                        })
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                let mut seen = HashSet::new();
                let parts: Vec<String> = members
                    .iter()
                    .map(|&m| &rows[m][v])
                    .filter(|val| !val.is_null())
                    .map(String::from)
                    .filter(|s| !c.distinct || seen.insert(s.clone()))
                    .collect();
                row.push(if parts.is_empty() {
                    Value::Null
                } else {
                    Value::Str(parts.join(&c.separator))
                });
            }
            staged_rows.push(row);
        }
        let mut staged_labels: Vec<String> = (0..keys.len()).map(|i| format!("__k{i}")).collect();
        staged_labels.extend((0..concats.len()).map(|i| format!("__g{i}")));
        self.stage("__gc", &staged_labels, staged_rows, scope, temps)?;
        // Join each row to its group's strings by the key's text (NULL keys match NULL keys,
        // as groups do; a plain equality keeps GlueSQL's join simple).
        let on = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Expr::BinaryOp {
                left: Box::new(Expr::CompoundIdentifier(vec![
                    Ident::new("__gc"),
                    Ident::new(format!("__k{i}")),
                ])),
                op: BinaryOperator::Eq,
                right: Box::new(join_key(k)),
            })
            .reduce(|a, b| Expr::BinaryOp {
                left: Box::new(a),
                op: BinaryOperator::And,
                right: Box::new(b),
            })
            .unwrap_or(Expr::Value(SqlValue::Boolean(true)));
        if let Some(last) = sel.from.last_mut() {
            last.joins.push(Join {
                relation: build::table_factor("__gc", build::table_alias("__gc")),
                global: false,
                join_operator: JoinOperator::LeftOuter(JoinConstraint::On(on)),
            });
        }
        *q.body = SetExpr::Select(Box::new(sel));
        self.glue_query(q, scope, now)
    }
}

/// A window call taken out of an expression: function, arguments, `COUNT(*)`, window.
type WindowUse = (String, Vec<Expr>, bool, WindowSpec);

/// Replaces each window call in `e` by `__wN` and records it.
fn take_windows(
    e: &mut Expr,
    named: &HashMap<String, WindowSpec>,
    calls: &mut Vec<WindowUse>,
) -> Result<(), SqlError> {
    let mut failure = None;
    let _ = sqlparser::ast::visit_expressions_mut(e, |e: &mut Expr| {
        let Expr::Function(f) = e else {
            return ControlFlow::Continue(());
        };
        if is_rand(f) {
            // RAND() per row comes from the session's seeded source (see run_windowed).
            *e = Expr::Identifier(Ident::new(format!("__w{}", calls.len())));
            calls.push(("RAND".to_owned(), vec![], false, empty_window()));
            return ControlFlow::Continue(());
        }
        let Some(over) = f.over.take() else {
            return ControlFlow::Continue(());
        };
        let spec = match over {
            WindowType::WindowSpec(s) => Some(s),
            WindowType::NamedWindow(n) => named.get(&n.value.to_lowercase()).cloned(),
        };
        let Some(spec) = spec else {
            failure = Some(SqlError::NotFound {
                what: "window",
                name: f.name.to_string(),
            });
            return ControlFlow::Break(());
        };
        let star = matches!(&f.args, FunctionArguments::List(l)
            if matches!(l.args.as_slice(), [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]));
        let args = if star {
            vec![]
        } else {
            dialect::build::plain_args(f).unwrap_or_default()
        };
        let name = dialect::build::func_name(f);
        *e = Expr::Identifier(Ident::new(format!("__w{}", calls.len())));
        calls.push((name, args, star, spec));
        ControlFlow::Continue(())
    });
    failure.map_or(Ok(()), Err)
}

/// How deep views may refer to views.
const MAX_VIEW_DEPTH: usize = 8;

enum Outer {
    /// A non-window item (`true` for `*`), read from the staged columns in order.
    Visible(bool),
    /// A window item: its expression over the staged columns, and its label.
    Window(Box<Expr>, String),
}

struct Concat {
    value: Expr,
    order: Vec<OrderByExpr>,
    separator: String,
    distinct: bool,
}

fn as_group_concat(e: &Expr) -> Option<Concat> {
    let Expr::Function(f) = e else { return None };
    if dialect::build::func_name(f) != "GROUP_CONCAT" {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let values: Vec<Expr> = list
        .args
        .iter()
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
            _ => None,
        })
        .collect();
    let value = match values.len() {
        0 => return None,
        1 => values.into_iter().next()?,
        _ => func("CONCAT", values),
    };
    let mut order = vec![];
    let mut separator = ",".to_owned();
    for clause in &list.clauses {
        match clause {
            FunctionArgumentClause::OrderBy(o) => order = o.clone(),
            FunctionArgumentClause::Separator(
                SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s),
            ) => separator = s.clone(),
            _ => {}
        }
    }
    Some(Concat {
        value,
        order,
        separator,
        distinct: matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct)),
    })
}

/// `RAND()` without a seed.
fn is_rand(f: &sqlparser::ast::Function) -> bool {
    f.over.is_none()
        && dialect::build::func_name(f) == "RAND"
        && dialect::build::plain_args(f).is_some_and(|a| a.is_empty())
}

/// `ORDER BY RAND()` (the usual way to pick random rows).
pub(crate) fn orders_by_rand(q: &Query) -> bool {
    let mut found = false;
    if let Some(o) = &q.order_by {
        let _ = sqlparser::ast::visit_expressions(&o.exprs, |e: &Expr| {
            if matches!(e, Expr::Function(f) if is_rand(f) || f.over.is_some()) {
                found = true;
            }
            ControlFlow::<()>::Continue(())
        });
    }
    found
}

fn empty_window() -> WindowSpec {
    WindowSpec {
        window_name: None,
        partition_by: vec![],
        order_by: vec![],
        window_frame: None,
    }
}

/// True when a select needs the window split: window functions, or `RAND()` over a table
/// (computed by the layer so the session's seed makes it reproducible).
pub(crate) fn has_window(sel: &Select) -> bool {
    let with_from = !sel.from.is_empty();
    projection_calls(sel, |f| f.over.is_some() || (with_from && is_rand(f)))
}

/// True when a select item calls a function `matching` (outside subqueries).
pub(crate) fn projection_calls(
    sel: &Select,
    matching: impl Fn(&sqlparser::ast::Function) -> bool,
) -> bool {
    let mut found = false;
    for item in &sel.projection {
        let _ = sqlparser::ast::visit_expressions(item, |e: &Expr| {
            if let Expr::Function(f) = e {
                if matching(f) {
                    found = true;
                    return ControlFlow::Break(());
                }
            }
            if matches!(e, Expr::Subquery(_)) {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        if found {
            break;
        }
    }
    found
}

fn has_group_concat(sel: &Select) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(&sel.projection, |e: &Expr| {
        if as_group_concat(e).is_some() {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
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

fn item_label(item: &SelectItem) -> Option<String> {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
        SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(i.value.clone()),
        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(p)) => p.last().map(|i| i.value.clone()),
        _ => None,
    }
}

/// A group key as text, with NULL as a marker no text value has.
fn join_key(k: &Expr) -> Expr {
    func(
        "COALESCE",
        vec![
            dialect::build::cast(k.clone(), sqlparser::ast::DataType::Text),
            dialect::str_lit("\u{1}NULL"),
        ],
    )
}

/// `SELECT * FROM key ORDER BY … LIMIT …`.
fn select_all_from(
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
