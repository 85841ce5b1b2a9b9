//! Tracing: running a statement so that every clause's intermediate rows are kept.
//!
//! A SELECT is run as one wide query that carries, for every row of the FROM/JOIN result, its
//! columns, the WHERE condition's value, and the select items (or, when grouping, the group
//! key), followed by one grouped query for the aggregates. WHERE, DISTINCT, ORDER BY and
//! LIMIT are then applied here, stage by stage, so the answer the learner sees is the last
//! stage of the very execution the steps show. (Each JOIN before the last is one more query.)
//! CTEs are steps of their own; a recursive CTE logs each iteration. A statement that changes
//! data shows its table before and after.

use super::convert::{columns_of, value_to_cell};
use super::query::Rows;
use super::window::{compare, group_key};
use super::{Clock, Engine};
use crate::dialect::{self, build, NameResolver};
use crate::error::SqlError;
use gluesql_core::data::{Key, Value};
use sqlnori_model::split::ScriptStatement;
use sqlnori_model::trace::{Group, Nested, RowMark, Stage, StageTable, Step, Trace, TraceRow};
use sqlnori_model::Localized;
use sqlnori_model::{Column, Output, StatementResult};
use sqlparser::ast::{
    Expr, GroupByExpr, Ident, OrderByExpr, Query, Select, SelectItem, SetExpr, Statement,
    TableFactor, TableWithJoins,
};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

/// Rows and trace of one traced query.
type Traced = Result<Rows, SqlError>;

/// One iteration of a recursive CTE, as logged while it runs.
#[derive(Debug, Clone, Default)]
pub(super) struct RecursionLog {
    pub labels: Vec<String>,
    pub anchor: Vec<Vec<Value>>,
    pub iterations: Vec<Vec<Vec<Value>>>,
}

const AGGREGATES: &[&str] = &[
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "GROUP_CONCAT",
    "STDEV",
    "STDDEV",
    "VARIANCE",
];

impl Engine {
    /// Runs one statement of a script and traces it. For a query, the result is the last
    /// stage of the trace.
    pub fn trace_statement(
        &mut self,
        stmt: &ScriptStatement,
        clock: &dyn Clock,
    ) -> (StatementResult, Trace) {
        let started = clock.monotonic_ms();
        let parsed = if crate::accounts::account_statement(&stmt.sql).is_some() {
            None
        } else {
            dialect::parse_mysql(&stmt.sql)
                .ok()
                .filter(|s| s.len() == 1)
                .and_then(|mut s| s.pop())
        };
        match parsed {
            Some(Statement::Query(q)) => {
                let now = self.local_now(clock);
                let mut trace = Trace::new(vec![]);
                let resolver = self.resolver();
                let outcome = self.trace_query(*q, &resolver, &now, &mut trace);
                let elapsed_ms = (clock.monotonic_ms() - started).max(0.0);
                let outcome = match outcome {
                    Ok((labels, rows)) => Ok(Output::Rows {
                        columns: columns_of(&labels, &rows),
                        rows: rows
                            .iter()
                            .map(|r| r.iter().map(value_to_cell).collect())
                            .collect(),
                    }),
                    Err(e) => {
                        trace.error = Some(e.localized());
                        Err(e.placed(stmt))
                    }
                };
                (
                    StatementResult {
                        sql: stmt.sql.clone(),
                        span: stmt.span,
                        outcome,
                        notes: vec![],
                        elapsed_ms,
                    },
                    trace,
                )
            }
            Some(other) => {
                let target =
                    change_target(&other).and_then(|name| self.resolver().resolve(&name).ok());
                let before = target.as_ref().and_then(|t| self.table_rows(&t.storage));
                let counter_before = target
                    .as_ref()
                    .and_then(|t| self.state.auto_increment.get(&t.storage))
                    .map(|a| a.next);
                let result = self.run_statement(stmt, clock);
                let mut trace = Trace::new(vec![]);
                if let (Some(t), true) = (&target, result.is_ok()) {
                    let after = self.table_rows(&t.storage);
                    let counter_after = self.state.auto_increment.get(&t.storage).map(|a| a.next);
                    trace.steps = change_steps(&t.written, before, after);
                    if let (Some(b), Some(a), Some(last)) =
                        (counter_before, counter_after, trace.steps.last_mut())
                    {
                        if a == b {
                            return (result, trace);
                        }
                        last.note = Some(Localized::new(
                            format!("AUTO_INCREMENT 다음 값: {b} → {a}"),
                            format!("AUTO_INCREMENT next value: {b} → {a}"),
                        ));
                    }
                }
                (result, trace)
            }
            None => (self.run_statement(stmt, clock), Trace::new(vec![])),
        }
    }

    /// A table's columns and rows by storage key.
    fn table_rows(&self, storage: &str) -> TableState {
        let item = self.storage.items.get(storage)?;
        let columns = self
            .column_infos(storage)?
            .into_iter()
            .map(|c| Column {
                name: c.name,
                data_type: c.data_type,
            })
            .collect();
        let rows = item
            .rows
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some((columns, rows))
    }

    /// Traces a query, adding its steps to `trace`.
    pub(crate) fn trace_query(
        &mut self,
        mut q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let mut temps = Vec::new();
        let result = (|| {
            let mut scope = scope.clone();
            if let Some(with) = q.with.take() {
                for cte in with.cte_tables {
                    let name = cte.alias.name.value.clone();
                    let columns: Vec<String> =
                        cte.alias.columns.iter().map(|c| c.value.clone()).collect();
                    let label = format!(
                        "WITH {}{name} AS (…)",
                        if with.recursive { "RECURSIVE " } else { "" }
                    );
                    let mut nested = Trace::new(vec![]);
                    let (labels, rows) = if with.recursive {
                        self.recursion_log = Some(RecursionLog::default());
                        let outcome = self.run_recursive_cte(
                            &name, &columns, *cte.query, &scope, now, &mut temps,
                        );
                        let log = self.recursion_log.take().unwrap_or_default();
                        recursion_steps(&name, &log, &mut nested, outcome.as_ref().err());
                        match outcome {
                            Ok(r) => r,
                            Err(e) => {
                                trace
                                    .steps
                                    .push(cte_step(&label, &name, &[], vec![], nested));
                                return Err(e);
                            }
                        }
                    } else {
                        let (labels, rows) =
                            self.trace_query(*cte.query, &scope, now, &mut nested)?;
                        (super::cte::rename_labels(&name, labels, &columns)?, rows)
                    };
                    trace
                        .steps
                        .push(cte_step(&label, &name, &labels, rows.clone(), nested));
                    let storage = self.materialise(&name, &labels, rows)?;
                    temps.push(storage.clone());
                    scope.ctes.insert(name.to_lowercase(), storage);
                }
            }
            self.trace_body(q, &scope, now, trace)
        })();
        for t in temps {
            self.drop_hidden(&t);
        }
        result
    }

    fn trace_body(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        match q.body.as_ref() {
            SetExpr::Select(sel) => {
                let sel = (**sel).clone();
                if super::query::has_window(&sel)
                    || super::query::orders_by_rand(&q)
                    || has_view_or_derived_layer(&sel)
                {
                    return self.trace_layered(q, sel, scope, now, trace);
                }
                self.trace_select(q, sel, scope, now, trace)
            }
            SetExpr::SetOperation { .. } => self.trace_set(q, scope, now, trace),
            _ => {
                let rows = self.run_plain_query(q.clone(), scope, now)?;
                trace
                    .steps
                    .push(result_step(Stage::Select, &q.to_string(), &rows));
                Ok(rows)
            }
        }
    }

    /// `a UNION b …`: each side is a nested trace, then the combination, then the query's
    /// ORDER BY / LIMIT (run as the real query).
    fn trace_set(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let SetExpr::SetOperation {
            op,
            set_quantifier,
            left,
            right,
        } = q.body.as_ref()
        else {
            return self.run_plain_query(q, scope, now);
        };
        let mut nested = Vec::new();
        let mut sides = Vec::new();
        for (title, side) in [("1", left), ("2", right)] {
            let mut t = Trace::new(vec![]);
            let side_query = Query {
                body: side.clone(),
                ..build::empty_query()
            };
            let rows = self.trace_query(side_query, scope, now, &mut t)?;
            nested.push(Nested {
                title: format!("SELECT {title}"),
                trace: t,
            });
            sides.push(rows);
        }
        let all = matches!(set_quantifier, sqlparser::ast::SetQuantifier::All);
        let (labels, left_rows) = sides.remove(0);
        let (_, right_rows) = sides.remove(0);
        let mut seen = std::collections::HashSet::new();
        let mut rows_marked = Vec::new();
        for r in left_rows.iter().chain(right_rows.iter()) {
            let key = group_key(&r.iter().collect::<Vec<_>>());
            let dup = matches!(op, sqlparser::ast::SetOperator::Union) && !all && !seen.insert(key);
            rows_marked.push((
                r.clone(),
                if dup {
                    RowMark::Duplicate
                } else {
                    RowMark::Kept
                },
            ));
        }
        let mut step = Step::new(
            Stage::SetOperation,
            format!("{op}{}", if all { " ALL" } else { "" }),
            marked_table(&labels, &rows_marked),
        );
        step.nested = nested;
        trace.steps.push(step);
        // The combination's ORDER BY / LIMIT (and INTERSECT/EXCEPT) are the real query's.
        let result = self.run_plain_query(q.clone(), scope, now)?;
        push_order_limit(trace, &q, &result);
        Ok(result)
    }

    /// Queries the layer splits (window functions, RAND() over rows): FROM and WHERE are
    /// traced from a wide query; the window values, ORDER BY and LIMIT come from running the
    /// query itself without and with its ORDER BY / LIMIT.
    fn trace_layered(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let mut plain = sel.clone();
        plain.projection = vec![SelectItem::Wildcard(Default::default())];
        let source = Query {
            body: Box::new(SetExpr::Select(Box::new(plain))),
            ..build::empty_query()
        };
        if let Ok(rows) = self.run_plain_query(source, scope, now) {
            trace
                .steps
                .push(result_step(Stage::From, &from_label(&sel), &rows));
        }
        let unordered = Query {
            order_by: None,
            limit: None,
            offset: None,
            ..q.clone()
        };
        let rows = self.run_plain_query(unordered, scope, now)?;
        trace
            .steps
            .push(result_step(Stage::Window, &select_label(&sel), &rows));
        let result = self.run_plain_query(q.clone(), scope, now)?;
        push_order_limit(trace, &q, &result);
        Ok(result)
    }

    /// A SELECT clause by clause (see the module documentation).
    fn trace_select(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let written_having = sel.having.as_ref().map(ToString::to_string);
        let mut sel = sel;
        dialect::rewrite::label_select(&mut sel);
        let catalog = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::substitute_select_aliases(&mut sel, &catalog);
        dialect::rewrite::normalise_from(&mut sel)?;
        let Some(from) = sel.from.first().cloned() else {
            // No FROM: one row, computed by SELECT.
            let rows = self.run_plain_query(q.clone(), scope, now)?;
            trace
                .steps
                .push(result_step(Stage::Select, &select_label(&sel), &rows));
            return Ok(rows);
        };

        // The columns of each relation, in order, qualified by its alias.
        let relations: Vec<&TableFactor> = std::iter::once(&from.relation)
            .chain(from.joins.iter().map(|j| &j.relation))
            .collect();
        let mut wide: Vec<(String, String)> = Vec::new();
        let mut widths = Vec::new();
        for (i, rel) in relations.iter().enumerate() {
            let alias = build::factor_alias(rel).unwrap_or_else(|| format!("t{i}"));
            let cols = self.relation_columns(rel, &alias, &from, scope, now)?;
            widths.push(cols.len());
            wide.extend(cols.into_iter().map(|c| (alias.clone(), c)));
        }
        // Each relation's columns as `alias.*`: copied, not evaluated, so the wide query costs
        // little more than `SELECT *`.
        let relation_aliases: Vec<String> = relations
            .iter()
            .enumerate()
            .map(|(i, rel)| build::factor_alias(rel).unwrap_or_else(|| format!("t{i}")))
            .collect();
        let wide_items = |relations_upto: usize| -> Vec<SelectItem> {
            relation_aliases
                .iter()
                .take(relations_upto)
                .map(|a| {
                    SelectItem::QualifiedWildcard(
                        sqlparser::ast::ObjectName(vec![Ident::new(a.clone())]),
                        Default::default(),
                    )
                })
                .collect()
        };
        // A column reference that names one wide column.
        let wide_index = |e: &Expr| wide_column(&wide, e);
        let wide_labels: Vec<String> = wide.iter().map(|(a, c)| format!("{a}.{c}")).collect();

        // Derived tables in FROM are traced on their own.
        let mut from_nested = Vec::new();
        for rel in &relations {
            if let TableFactor::Derived {
                subquery, alias, ..
            } = rel
            {
                let mut t = Trace::new(vec![]);
                if self
                    .trace_query((**subquery).clone(), scope, now, &mut t)
                    .is_ok()
                {
                    from_nested.push(Nested {
                        title: alias
                            .as_ref()
                            .map_or_else(String::new, |a| a.name.value.clone()),
                        trace: t,
                    });
                }
            }
        }

        // FROM and each JOIN but the last, one query each.
        for k in 0..from.joins.len() {
            let partial = TableWithJoins {
                relation: from.relation.clone(),
                joins: from.joins[..k].to_vec(),
            };
            let upto: usize = widths[..=k].iter().sum();
            let (stage, label) = if k == 0 {
                (Stage::From, format!("FROM {}", from.relation))
            } else {
                (Stage::Join, from.joins[k - 1].to_string().trim().to_owned())
            };
            // A stored table is read as it is stored (the order GlueSQL scans it in); a join
            // so far is one more query.
            let stored = match (k, &from.relation) {
                (0, TableFactor::Table { name, .. }) => scope
                    .resolve(name)
                    .ok()
                    .and_then(|t| self.storage.items.get(&t.storage))
                    .map(|item| {
                        table_of(
                            &wide_labels[..upto],
                            &item.rows.values().collect::<Vec<_>>(),
                            |_| RowMark::Kept,
                        )
                    }),
                _ => None,
            };
            let table = match stored {
                Some(t) => t,
                None => {
                    let query = build::select_query(wide_items(k + 1), vec![partial], None);
                    let (_, rows) = self.run_plain_query(query, scope, now)?;
                    table_of(&wide_labels[..upto], &rows, |_| RowMark::Kept)
                }
            };
            let mut step = Step::new(stage, label, table);
            if k == 0 {
                step.nested = std::mem::take(&mut from_nested);
            }
            trace.steps.push(step);
        }

        let grouped = is_grouped(&sel);
        if grouped && sel.projection.iter().any(is_wildcard) {
            return self.trace_layered(q, sel, scope, now, trace);
        }
        let group_keys: Vec<Expr> = match &sel.group_by {
            GroupByExpr::Expressions(e, _) => e.clone(),
            GroupByExpr::All(_) => vec![],
        };
        let order: Vec<OrderByExpr> = q
            .order_by
            .as_ref()
            .map(|o| o.exprs.clone())
            .unwrap_or_default();

        // The output columns: each select item, wildcards spelled out over the wide columns.
        let mut outputs: Vec<Shown> = Vec::new();
        for item in &sel.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    outputs.extend((0..wide.len()).map(Shown::Wide));
                }
                SelectItem::QualifiedWildcard(name, _) => {
                    let alias = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
                    outputs.extend(
                        wide.iter()
                            .enumerate()
                            .filter(|(_, (a, _))| a.eq_ignore_ascii_case(&alias))
                            .map(|(i, _)| Shown::Wide(i)),
                    );
                }
                SelectItem::UnnamedExpr(e) => outputs.push(match wide_index(e) {
                    Some(i) if !grouped => Shown::Column(i, item_label(e)),
                    _ => Shown::Expr(Box::new(e.clone()), item_label(e)),
                }),
                SelectItem::ExprWithAlias { expr, alias } => outputs.push(match wide_index(expr) {
                    Some(i) if !grouped => Shown::Column(i, alias.value.clone()),
                    _ => Shown::Expr(Box::new(expr.clone()), alias.value.clone()),
                }),
            }
        }
        let output_labels: Vec<String> = outputs
            .iter()
            .map(|o| match o {
                Shown::Wide(i) => wide[*i].1.clone(),
                Shown::Column(_, l) | Shown::Expr(_, l) => l.clone(),
            })
            .collect();

        // The wide query: every row of FROM/JOIN with WHERE's value and, without grouping,
        // the select items and sort keys.
        let mut items = wide_items(wide.len());
        let has_where = sel.selection.is_some();
        if let Some(w) = &sel.selection {
            items.push(build::alias_item(w.clone(), "__where"));
        }
        if grouped {
            for (i, k) in group_keys.iter().enumerate() {
                if wide_index(k).is_none() {
                    items.push(build::alias_item(k.clone(), &format!("__k{i}")));
                }
            }
        } else {
            for (i, o) in outputs.iter().enumerate() {
                if let Shown::Expr(e, _) = o {
                    items.push(build::alias_item((**e).clone(), &format!("__p{i}")));
                }
            }
        }
        let order_base = items.len();
        let order_sources: Vec<OrderSource> = order
            .iter()
            .map(|o| match order_source(&o.expr, &output_labels) {
                OrderSource::Own if !grouped => {
                    wide_index(&o.expr).map_or(OrderSource::Own, OrderSource::Wide)
                }
                other => other,
            })
            .collect();
        if !grouped {
            for (i, (o, src)) in order.iter().zip(&order_sources).enumerate() {
                if matches!(src, OrderSource::Own) {
                    items.push(build::alias_item(o.expr.clone(), &format!("__o{i}")));
                }
            }
        }
        let mut wide_sel = sel.clone();
        wide_sel.projection = items;
        wide_sel.selection = None;
        wide_sel.group_by = GroupByExpr::Expressions(vec![], vec![]);
        wide_sel.having = None;
        wide_sel.distinct = None;
        let wide_query = Query {
            body: Box::new(SetExpr::Select(Box::new(wide_sel))),
            ..build::empty_query()
        };
        let (labels, base) = self.run_plain_query(wide_query, scope, now)?;
        // The wide columns come first, then the named extras.
        let position = |name: &str| {
            labels
                .iter()
                .skip(wide.len())
                .position(|l| l == name)
                .map(|p| p + wide.len())
        };
        let key_cols: Vec<usize> = group_keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| wide_index(k).or_else(|| position(&format!("__k{i}"))))
            .collect();

        let last_label = match from.joins.last() {
            Some(j) => j.to_string().trim().to_owned(),
            None => format!("FROM {}", from.relation),
        };
        // The FROM rows are converted once; WHERE shows the same rows with their marks.
        let width = wide.len();
        let wide_slices: Vec<&[Value]> = base.iter().map(|r| &r[..width]).collect();
        let from_table = table_of(&wide_labels, &wide_slices, |_| RowMark::Kept);
        let stage = if from.joins.is_empty() {
            Stage::From
        } else {
            Stage::Join
        };
        // With a WHERE, the FROM rows are the WHERE step's (marked there): shared, not copied.
        let where_step = trace.steps.len() + 1;
        let mut step = Step::new(
            stage,
            last_label,
            if sel.selection.is_some() {
                StageTable::same_rows_as(
                    where_step,
                    &from_table,
                    sqlnori_model::trace::TRACE_PAGE_ROWS,
                )
            } else {
                from_table.clone()
            },
        );
        step.nested = from_nested;
        trace.steps.push(step);

        // WHERE.
        let mut kept: Vec<usize> = (0..base.len()).collect();
        if has_where {
            let w = position("__where").unwrap_or(0);
            let marks: Vec<RowMark> = base
                .iter()
                .map(|r| truth_mark(&r[w]))
                .collect::<Result<_, _>>()?;
            kept = (0..base.len())
                .filter(|&i| marks[i] == RowMark::Kept)
                .collect();
            let mut where_table = from_table;
            for (row, mark) in where_table.rows.iter_mut().zip(&marks) {
                row.mark = *mark;
            }
            let mut step = Step::new(
                Stage::Where,
                format!(
                    "WHERE {}",
                    sel.selection
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
                where_table,
            );
            step.nested = self.trace_subqueries(sel.selection.as_ref(), scope, now);
            trace.steps.push(step);
        }

        // SELECT values (and sort keys) of the rows that go on.
        let mut values: Vec<Vec<Value>>;
        let mut sort_keys: Vec<Vec<Value>>;
        if grouped {
            let (v, s) = self.trace_groups(
                &sel,
                written_having.as_deref(),
                &group_keys,
                &outputs,
                &order,
                &order_sources,
                &base,
                &kept,
                &key_cols,
                &wide_labels,
                Source {
                    wide: &wide,
                    single: from.joins.is_empty().then(|| relation_aliases[0].clone()),
                },
                scope,
                now,
                trace,
            )?;
            values = v;
            sort_keys = s;
        } else {
            values = kept
                .iter()
                .map(|&r| {
                    outputs
                        .iter()
                        .enumerate()
                        .map(|(i, o)| match o {
                            Shown::Wide(w) | Shown::Column(w, _) => base[r][*w].clone(),
                            Shown::Expr(..) => position(&format!("__p{i}"))
                                .map_or(Value::Null, |p| base[r][p].clone()),
                        })
                        .collect()
                })
                .collect();
            sort_keys = kept
                .iter()
                .map(|&r| {
                    order_sources
                        .iter()
                        .enumerate()
                        .map(|(i, src)| match src {
                            OrderSource::Wide(w) => base[r][*w].clone(),
                            _ => position(&format!("__o{i}"))
                                .map_or(Value::Null, |p| base[r][p].clone()),
                        })
                        .collect()
                })
                .collect();
            let _ = order_base;
            let mut step = Step::new(
                Stage::Select,
                select_label(&sel),
                marked_table(
                    &output_labels,
                    &values
                        .iter()
                        .cloned()
                        .map(|r| (r, RowMark::Kept))
                        .collect::<Vec<_>>(),
                ),
            );
            step.nested = self.trace_subqueries_in_items(&sel, scope, now);
            trace.steps.push(step);
        }
        // Sort keys that name a select output read it.
        for (i, src) in order_sources.iter().enumerate() {
            if let OrderSource::Output(o) = src {
                for (row, keys) in values.iter().zip(sort_keys.iter_mut()) {
                    if let (Some(v), Some(k)) = (row.get(*o), keys.get_mut(i)) {
                        *k = v.clone();
                    }
                }
            }
        }

        // DISTINCT.
        if matches!(sel.distinct, Some(sqlparser::ast::Distinct::Distinct)) {
            let mut seen = std::collections::HashSet::new();
            let marks: Vec<RowMark> = values
                .iter()
                .map(|r| {
                    if seen.insert(group_key(&r.iter().collect::<Vec<_>>())) {
                        RowMark::Kept
                    } else {
                        RowMark::Duplicate
                    }
                })
                .collect();
            let rows: Vec<(Vec<Value>, RowMark)> =
                values.iter().cloned().zip(marks.iter().copied()).collect();
            trace.steps.push(Step::new(
                Stage::Distinct,
                "DISTINCT",
                marked_table(&output_labels, &rows),
            ));
            let keep: Vec<bool> = marks.iter().map(|m| *m == RowMark::Kept).collect();
            values = values
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| v)
                .collect();
            sort_keys = sort_keys
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| v)
                .collect();
        }

        // ORDER BY: a stable sort, NULL first ascending, as MySQL.
        let mut order_idx: Vec<usize> = (0..values.len()).collect();
        if !order.is_empty() {
            order_idx.sort_by(|&a, &b| {
                for (i, o) in order.iter().enumerate() {
                    let c = compare(&sort_keys[a][i], &sort_keys[b][i]);
                    let c = if o.asc == Some(false) { c.reverse() } else { c };
                    if c.is_ne() {
                        return c;
                    }
                }
                std::cmp::Ordering::Equal
            });
            let rows: Vec<TraceRow> = order_idx
                .iter()
                .map(|&i| TraceRow {
                    cells: values[i].iter().map(value_to_cell).collect(),
                    mark: RowMark::Kept,
                    changed: vec![],
                    was: Some(i),
                })
                .collect();
            let columns = columns_of(&output_labels, &values);
            trace.steps.push(Step::new(
                Stage::OrderBy,
                format!(
                    "ORDER BY {}",
                    order
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                StageTable::full(columns, rows),
            ));
        }
        let sorted: Vec<Vec<Value>> = order_idx.iter().map(|&i| values[i].clone()).collect();

        // LIMIT / OFFSET.
        let offset = match &q.offset {
            Some(o) => Some(literal_count(&o.value)?),
            None => None,
        };
        let limit = match &q.limit {
            Some(l) => Some(literal_count(l)?),
            None => None,
        };
        if offset.is_some() || limit.is_some() {
            let start = offset.unwrap_or(0);
            let end = limit.map_or(sorted.len(), |l| start.saturating_add(l));
            let rows: Vec<(Vec<Value>, RowMark)> = sorted
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    (
                        r.clone(),
                        if i >= start && i < end {
                            RowMark::Kept
                        } else {
                            RowMark::Cut
                        },
                    )
                })
                .collect();
            trace.steps.push(Step::new(
                Stage::Limit,
                order_limit_label(&Query {
                    order_by: None,
                    ..q.clone()
                }),
                marked_table(&output_labels, &rows),
            ));
            let result = sorted
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i >= start && *i < end)
                .map(|(_, r)| r)
                .collect();
            return Ok((output_labels, result));
        }
        Ok((output_labels, sorted))
    }

    /// GROUP BY and HAVING: the groups come from the wide query's keys; their aggregates and
    /// select values from one grouped query. Returns the select values and sort keys of the
    /// groups HAVING keeps.
    #[allow(clippy::too_many_arguments)]
    fn trace_groups(
        &mut self,
        sel: &Select,
        written_having: Option<&str>,
        keys: &[Expr],
        outputs: &[Shown],
        order: &[OrderByExpr],
        order_sources: &[OrderSource],
        base: &[Vec<Value>],
        kept: &[usize],
        key_cols: &[usize],
        wide_labels: &[String],
        source: Source<'_>,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Result<SelectedRows, SqlError> {
        // Aggregates named anywhere in the select, HAVING or ORDER BY.
        let mut aggregates: Vec<Expr> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut collect = |e: &Expr| {
            let _ = sqlparser::ast::visit_expressions(e, |e: &Expr| {
                if let Expr::Function(f) = e {
                    if f.over.is_none()
                        && AGGREGATES.contains(&build::func_name(f).as_str())
                        && seen.insert(e.to_string())
                    {
                        aggregates.push(e.clone());
                    }
                }
                ControlFlow::<()>::Continue(())
            });
        };
        for o in outputs {
            if let Shown::Expr(e, _) = o {
                collect(e);
            }
        }
        if let Some(h) = &sel.having {
            collect(h);
        }
        for o in order {
            collect(&o.expr);
        }
        let mut items: Vec<SelectItem> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| build::alias_item(k.clone(), &format!("__k{i}")))
            .collect();
        items.extend(
            aggregates
                .iter()
                .enumerate()
                .map(|(i, a)| build::alias_item(a.clone(), &format!("__a{i}"))),
        );
        // A select item or sort key that is a group key or an aggregate already asked for
        // reads that column instead of being computed again.
        let mut known: HashMap<String, String> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            known.entry(k.to_string()).or_insert(format!("__k{i}"));
        }
        for (i, a) in aggregates.iter().enumerate() {
            known.entry(a.to_string()).or_insert(format!("__a{i}"));
        }
        let mut source_of: HashMap<String, String> = HashMap::new();
        for (i, o) in outputs.iter().enumerate() {
            if let Shown::Expr(e, _) = o {
                let name = format!("__p{i}");
                match known.get(&e.to_string()) {
                    Some(col) => {
                        source_of.insert(name, col.clone());
                    }
                    None => items.push(build::alias_item((**e).clone(), &name)),
                }
            }
        }
        if let Some(h) = &sel.having {
            items.push(build::alias_item(h.clone(), "__having"));
        }
        for (i, (o, src)) in order.iter().zip(order_sources).enumerate() {
            if matches!(src, OrderSource::Own) {
                let name = format!("__o{i}");
                match known.get(&o.expr.to_string()) {
                    Some(col) => {
                        source_of.insert(name, col.clone());
                    }
                    None => items.push(build::alias_item(o.expr.clone(), &name)),
                }
            }
        }
        let mut grouped = sel.clone();
        grouped.projection = items;
        grouped.having = None;
        grouped.distinct = None;
        // Simple aggregates over the rows already read are computed here, with GlueSQL's own
        // value arithmetic; GlueSQL then evaluates the select items over one row per group
        // instead of reading and grouping every row again.
        let mut scope = scope.clone();
        let mut staged = None;
        if let Some(groups) =
            precomputed_groups(sel, &aggregates, keys, key_cols, &source, base, kept)
        {
            let (labels, rows, alias) = groups?;
            let storage = self.materialise("groups", &labels, rows)?;
            scope.ctes.insert("__grp".to_owned(), storage.clone());
            staged = Some(storage);
            grouped.from = vec![TableWithJoins {
                relation: build::table_factor("__grp", build::table_alias(&alias)),
                joins: vec![],
            }];
            grouped.selection = None;
            let names: Vec<String> = aggregates.iter().map(ToString::to_string).collect();
            for item in &mut grouped.projection {
                if let SelectItem::ExprWithAlias { expr, .. } = item {
                    let _ = sqlparser::ast::visit_expressions_mut(expr, |e: &mut Expr| {
                        if let Some(i) = names.iter().position(|n| *n == e.to_string()) {
                            *e = staged_aggregate(e, i);
                        }
                        ControlFlow::<()>::Continue(())
                    });
                }
            }
        }
        let grouped_query = Query {
            body: Box::new(SetExpr::Select(Box::new(grouped))),
            ..build::empty_query()
        };
        let outcome = self.run_plain_query(grouped_query, &scope, now);
        if let Some(t) = staged {
            self.drop_hidden(&t);
        }
        let (labels, groups) = outcome?;
        let position = |name: &str| labels.iter().position(|l| l == name);

        // Which rows of the WHERE stage fall in each group.
        let mut members: HashMap<Vec<Value>, Vec<usize>> = HashMap::new();
        for &r in kept {
            let key: Vec<Value> = key_cols.iter().map(|&c| base[r][c].clone()).collect();
            members.entry(key).or_default().push(r);
        }
        let key_cols: Vec<usize> = (0..keys.len())
            .filter_map(|i| position(&format!("__k{i}")))
            .collect();
        let agg_cols: Vec<usize> = (0..aggregates.len())
            .filter_map(|i| position(&format!("__a{i}")))
            .collect();
        let key_labels: Vec<String> = keys.iter().map(ToString::to_string).collect();
        let agg_labels: Vec<String> = aggregates.iter().map(ToString::to_string).collect();
        let mut table_labels = key_labels.clone();
        table_labels.extend(agg_labels.iter().cloned());
        let mut group_rows = Vec::new();
        let mut group_list = Vec::new();
        for g in &groups {
            let key: Vec<&Value> = key_cols.iter().map(|&c| &g[c]).collect();
            let rows = if keys.is_empty() {
                kept.to_vec()
            } else {
                let key: Vec<Value> = key.iter().map(|v| (*v).clone()).collect();
                members.get(&key).cloned().unwrap_or_default()
            };
            let mut row: Vec<Value> = key.iter().map(|v| (*v).clone()).collect();
            row.extend(agg_cols.iter().map(|&c| g[c].clone()));
            group_list.push(Group {
                key: key.iter().map(|v| value_to_cell(v)).collect(),
                rows,
                aggregates: agg_cols.iter().map(|&c| value_to_cell(&g[c])).collect(),
            });
            group_rows.push((row, RowMark::Kept));
        }
        let label = if keys.is_empty() {
            "GROUP BY (all rows are one group)".to_owned()
        } else {
            format!("GROUP BY {}", key_labels.join(", "))
        };
        let mut step = Step::new(
            Stage::GroupBy,
            label,
            marked_table(&table_labels, &group_rows),
        );
        step.groups = group_list;
        step.aggregate_names = agg_labels;
        let _ = wide_labels;
        trace.steps.push(step);

        // HAVING.
        let mut keep: Vec<bool> = vec![true; groups.len()];
        if let (Some(h), Some(hc)) = (&sel.having, position("__having")) {
            let marks: Vec<RowMark> = groups
                .iter()
                .map(|g| truth_mark(&g[hc]))
                .collect::<Result<_, _>>()?;
            keep = marks.iter().map(|m| *m == RowMark::Kept).collect();
            let rows: Vec<(Vec<Value>, RowMark)> = group_rows
                .iter()
                .map(|(r, _)| r.clone())
                .zip(marks)
                .collect();
            // The condition as the learner wrote it (select aliases and all).
            let label = format!(
                "HAVING {}",
                written_having.map_or_else(|| h.to_string(), str::to_owned)
            );
            trace.steps.push(Step::new(
                Stage::Having,
                label,
                marked_table(&table_labels, &rows),
            ));
        }
        let output_labels: Vec<String> = outputs
            .iter()
            .map(|o| match o {
                Shown::Wide(i) => wide_labels.get(*i).cloned().unwrap_or_default(),
                Shown::Column(_, l) | Shown::Expr(_, l) => l.clone(),
            })
            .collect();
        let column =
            |name: &str| position(name).or_else(|| source_of.get(name).and_then(|c| position(c)));
        let mut values = Vec::new();
        let mut sort_keys = Vec::new();
        for (g, k) in groups.iter().zip(&keep) {
            if !*k {
                continue;
            }
            values.push(
                (0..outputs.len())
                    .map(|i| column(&format!("__p{i}")).map_or(Value::Null, |p| g[p].clone()))
                    .collect::<Vec<_>>(),
            );
            sort_keys.push(
                (0..order.len())
                    .map(|i| column(&format!("__o{i}")).map_or(Value::Null, |p| g[p].clone()))
                    .collect::<Vec<_>>(),
            );
        }
        trace.steps.push(Step::new(
            Stage::Select,
            select_label(sel),
            marked_table(
                &output_labels,
                &values
                    .iter()
                    .cloned()
                    .map(|r| (r, RowMark::Kept))
                    .collect::<Vec<_>>(),
            ),
        ));
        Ok((values, sort_keys))
    }

    /// The column names of one relation of a FROM clause.
    fn relation_columns(
        &mut self,
        rel: &TableFactor,
        alias: &str,
        from: &TableWithJoins,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Vec<String>, SqlError> {
        if let TableFactor::Table { name, .. } = rel {
            if let Ok(t) = scope.resolve(name) {
                if let Some(cols) = self.column_infos(&t.storage) {
                    return Ok(cols.into_iter().map(|c| c.name).collect());
                }
            }
        }
        // Anything else (a derived table, a view): ask for its columns.
        let item = SelectItem::QualifiedWildcard(
            sqlparser::ast::ObjectName(vec![Ident::new(alias)]),
            Default::default(),
        );
        let mut query = build::select_query(vec![item], vec![from.clone()], None);
        query.limit = Some(build::num(0));
        let (labels, _) = self.run_plain_query(query, scope, now)?;
        Ok(labels)
    }

    /// Uncorrelated subqueries in an expression, each traced on its own; a correlated one
    /// (it names the outer row) gets a note instead.
    fn trace_subqueries(
        &mut self,
        e: Option<&Expr>,
        scope: &NameResolver,
        now: &str,
    ) -> Vec<Nested> {
        let Some(e) = e else { return vec![] };
        let mut queries = Vec::new();
        let _ = sqlparser::ast::visit_expressions(e, |e: &Expr| {
            match e {
                Expr::Subquery(q)
                | Expr::InSubquery { subquery: q, .. }
                | Expr::Exists { subquery: q, .. } => {
                    queries.push((**q).clone());
                }
                _ => {}
            }
            ControlFlow::<()>::Continue(())
        });
        let mut out = Vec::new();
        for q in queries.into_iter().take(4) {
            let title = q.to_string();
            let mut t = Trace::new(vec![]);
            if self.trace_query(q, scope, now, &mut t).is_err() {
                t = Trace::new(vec![]);
                t.note = Some(Localized::new(
                    "바깥 쿼리의 열을 쓰는 상관 서브쿼리라서 바깥 행마다 한 번씩 실행됩니다",
                    "a correlated subquery: it uses the outer row's columns, so it runs once per outer row",
                ));
            }
            out.push(Nested { title, trace: t });
        }
        out
    }

    fn trace_subqueries_in_items(
        &mut self,
        sel: &Select,
        scope: &NameResolver,
        now: &str,
    ) -> Vec<Nested> {
        let mut out = Vec::new();
        for item in &sel.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                out.extend(self.trace_subqueries(Some(e), scope, now));
            }
        }
        out
    }
}

/// The FROM rows' columns (alias, column) and, for a single relation, its alias.
struct Source<'a> {
    wide: &'a [(String, String)],
    single: Option<String>,
}

/// The aggregate functions computed from the wide rows.
#[derive(Clone, Copy)]
enum Simple {
    CountAll,
    Count(usize),
    Sum(usize),
    Avg(usize),
    Min(usize),
    Max(usize),
}

fn wide_column(wide: &[(String, String)], e: &Expr) -> Option<usize> {
    match e {
        Expr::Identifier(c) => {
            let mut hits = wide
                .iter()
                .enumerate()
                .filter(|(_, (_, col))| col.eq_ignore_ascii_case(&c.value));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        }
        Expr::CompoundIdentifier(p) if p.len() == 2 => wide.iter().position(|(a, c)| {
            a.eq_ignore_ascii_case(&p[0].value) && c.eq_ignore_ascii_case(&p[1].value)
        }),
        _ => None,
    }
}

fn simple_aggregate(e: &Expr, wide: &[(String, String)]) -> Option<Simple> {
    let Expr::Function(f) = e else { return None };
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
        return None;
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || f.filter.is_some() {
        return None;
    }
    let name = build::func_name(f);
    match list.args.as_slice() {
        [sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Wildcard)]
            if name == "COUNT" =>
        {
            Some(Simple::CountAll)
        }
        [sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(arg))] => {
            let c = wide_column(wide, arg)?;
            match name.as_str() {
                "COUNT" => Some(Simple::Count(c)),
                "SUM" => Some(Simple::Sum(c)),
                "AVG" => Some(Simple::Avg(c)),
                "MIN" => Some(Simple::Min(c)),
                "MAX" => Some(Simple::Max(c)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The aggregate of a staged group: each group is one row, holding the value already computed,
/// and the same function over that one row gives it back (COUNT's count is summed).
fn staged_aggregate(e: &Expr, i: usize) -> Expr {
    let name = match e {
        Expr::Function(f) => build::func_name(f),
        _ => "MIN".to_owned(),
    };
    let name = if name == "COUNT" {
        "SUM".to_owned()
    } else {
        name
    };
    build::func(&name, vec![Expr::Identifier(Ident::new(format!("__g{i}")))])
}

/// The groups of the kept rows with their keys and simple aggregates, computed as GlueSQL
/// does (first appearance order, NULL skipped, its own value arithmetic), as rows to stage:
/// key columns under their names, then `__g0…`. `None` when the query needs more than this
/// (joins, computed keys, other aggregates, other columns outside aggregates).
#[allow(clippy::type_complexity)]
fn precomputed_groups(
    sel: &Select,
    aggregates: &[Expr],
    keys: &[Expr],
    key_cols: &[usize],
    source: &Source<'_>,
    base: &[Vec<Value>],
    kept: &[usize],
) -> Option<Result<(Vec<String>, Vec<Vec<Value>>, String), SqlError>> {
    let alias = source.single.clone()?;
    let wide = source.wide;
    if key_cols.len() != keys.len() || key_cols.iter().any(|&c| c >= wide.len()) {
        return None;
    }
    let simple: Vec<Simple> = aggregates
        .iter()
        .map(|a| simple_aggregate(a, wide))
        .collect::<Option<_>>()?;
    // Outside aggregates, only the group's keys may be named.
    let mut other_columns = false;
    let mut check = |e: &Expr| {
        let _ = sqlparser::ast::visit_expressions(e, |e: &Expr| {
            match e {
                Expr::Function(f) if AGGREGATES.contains(&build::func_name(f).as_str()) => {
                    return ControlFlow::Break(());
                }
                Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. } => {
                    other_columns = true;
                    return ControlFlow::Break(());
                }
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                    other_columns |= !wide_column(wide, e).is_some_and(|c| key_cols.contains(&c));
                }
                _ => {}
            }
            ControlFlow::Continue(())
        });
    };
    for item in &sel.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                // A whole aggregate item is fine; look inside everything else.
                if !aggregates.iter().any(|a| a == e) {
                    check(e);
                }
            }
            _ => return None,
        }
    }
    if let Some(h) = &sel.having {
        check(h);
    }
    if other_columns {
        return None;
    }
    let key_names: Vec<String> = key_cols.iter().map(|&c| wide[c].1.clone()).collect();
    if key_names
        .iter()
        .enumerate()
        .any(|(i, n)| key_names[..i].contains(n))
    {
        return None;
    }
    Some((|| {
        let mut order: Vec<Vec<Value>> = Vec::new();
        // Keyed by the values themselves, as GlueSQL groups.
        let mut index: HashMap<Vec<Value>, usize> = HashMap::new();
        let mut accs: Vec<Vec<(Option<Value>, i64)>> = Vec::new();
        if keys.is_empty() {
            order.push(vec![]);
            accs.push(vec![(None, 0); simple.len()]);
            index.insert(vec![], 0);
        }
        for &r in kept {
            let row = &base[r];
            let key: Vec<Value> = key_cols.iter().map(|&c| row[c].clone()).collect();
            let slot = *index.entry(key).or_insert_with_key(|key| {
                order.push(key.clone());
                accs.push(vec![(None, 0); simple.len()]);
                order.len() - 1
            });
            for (acc, kind) in accs[slot].iter_mut().zip(&simple) {
                let v = match kind {
                    Simple::CountAll => {
                        acc.1 += 1;
                        continue;
                    }
                    Simple::Count(c) => {
                        if !row[*c].is_null() {
                            acc.1 += 1;
                        }
                        continue;
                    }
                    Simple::Sum(c) | Simple::Avg(c) | Simple::Min(c) | Simple::Max(c) => &row[*c],
                };
                if v.is_null() {
                    continue;
                }
                acc.1 += 1;
                acc.0 = Some(match (acc.0.take(), kind) {
                    (None, _) => v.clone(),
                    (Some(cur), Simple::Sum(_) | Simple::Avg(_)) => {
                        cur.add(v).map_err(|e| SqlError::Engine(e.to_string()))?
                    }
                    (Some(cur), Simple::Min(_)) => {
                        if cur.evaluate_cmp(v) == Some(std::cmp::Ordering::Greater) {
                            v.clone()
                        } else {
                            cur
                        }
                    }
                    (Some(cur), _) => {
                        if cur.evaluate_cmp(v) == Some(std::cmp::Ordering::Less) {
                            v.clone()
                        } else {
                            cur
                        }
                    }
                });
            }
        }
        let rows = order
            .into_iter()
            .zip(accs)
            .map(|(mut key, accs)| {
                for (acc, kind) in accs.into_iter().zip(&simple) {
                    key.push(match (kind, acc) {
                        (Simple::CountAll | Simple::Count(_), (_, n)) => Value::I64(n),
                        (Simple::Avg(_), (Some(sum), n)) => sum
                            .cast(&gluesql_core::ast::DataType::Float)
                            .and_then(|s| s.divide(&Value::I64(n)))
                            .map_err(|e| SqlError::Engine(e.to_string()))?,
                        (_, (v, _)) => v.unwrap_or(Value::Null),
                    });
                }
                Ok(key)
            })
            .collect::<Result<Vec<_>, SqlError>>()?;
        let mut labels = key_names;
        labels.extend((0..simple.len()).map(|i| format!("__g{i}")));
        Ok((labels, rows, alias))
    })())
}

/// A select output: one of the wide columns (from `*`), a column named with its label, or an
/// expression with its label.
enum Shown {
    Wide(usize),
    Column(usize, String),
    Expr(Box<Expr>, String),
}

/// Where an ORDER BY key comes from: a select output (alias or position), a column of the
/// FROM rows, or its own value.
enum OrderSource {
    Output(usize),
    Wide(usize),
    Own,
}

fn order_source(e: &Expr, labels: &[String]) -> OrderSource {
    match e {
        Expr::Identifier(i) => labels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(&i.value))
            .map_or(OrderSource::Own, OrderSource::Output),
        Expr::Value(sqlparser::ast::Value::Number(..)) => build::literal_i64(e)
            .and_then(|n| usize::try_from(n - 1).ok())
            .filter(|n| *n < labels.len())
            .map_or(OrderSource::Own, OrderSource::Output),
        _ => OrderSource::Own,
    }
}

fn is_wildcard(item: &SelectItem) -> bool {
    matches!(
        item,
        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
    )
}

fn is_grouped(sel: &Select) -> bool {
    matches!(&sel.group_by, GroupByExpr::Expressions(e, _) if !e.is_empty())
        || sel.having.is_some()
        || super::query::projection_calls(sel, |f| {
            f.over.is_none() && AGGREGATES.contains(&build::func_name(f).as_str())
        })
}

/// Views and derived tables that need the layer are traced as layered queries.
fn has_view_or_derived_layer(sel: &Select) -> bool {
    sel.from.iter().any(|t| {
        std::iter::once(&t.relation)
            .chain(t.joins.iter().map(|j| &j.relation))
            .any(|r| matches!(r, TableFactor::Derived { subquery, .. } if super::query::needs_layer(subquery)))
    })
}

fn item_label(e: &Expr) -> String {
    match e {
        Expr::Identifier(i) => i.value.clone(),
        Expr::CompoundIdentifier(p) => p.last().map(|i| i.value.clone()).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// A condition's value as a row mark. A value that is not true/false/NULL fails the way the
/// plain run fails, so the traced answer and the plain one never differ.
fn truth_mark(v: &Value) -> Result<RowMark, SqlError> {
    match v {
        Value::Null => Ok(RowMark::DroppedNull),
        Value::Bool(true) => Ok(RowMark::Kept),
        Value::Bool(false) => Ok(RowMark::DroppedFalse),
        other => Err(crate::error::not_a_condition(&String::from(other))),
    }
}

fn literal_count(e: &Expr) -> Result<usize, SqlError> {
    build::literal_i64(e)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            SqlError::Invalid(Localized::new(
                "LIMIT과 OFFSET에는 0 이상의 정수를 쓰세요",
                "LIMIT and OFFSET take a whole number of zero or more",
            ))
        })
}

/// A stage table straight from rows of values, each with its mark.
fn table_of<R: AsRef<[Value]>>(
    labels: &[String],
    rows: &[R],
    mark: impl Fn(usize) -> RowMark,
) -> StageTable {
    let columns = columns_of(labels, rows);
    StageTable::full(
        columns,
        rows.iter()
            .enumerate()
            .map(|(i, r)| TraceRow {
                cells: r.as_ref().iter().map(value_to_cell).collect(),
                mark: mark(i),
                changed: vec![],
                was: None,
            })
            .collect(),
    )
}

fn marked_table(labels: &[String], rows: &[(Vec<Value>, RowMark)]) -> StageTable {
    let values: Vec<Vec<Value>> = rows.iter().map(|(r, _)| r.clone()).collect();
    let columns = columns_of(labels, &values);
    StageTable::full(
        columns,
        rows.iter()
            .map(|(r, m)| TraceRow {
                cells: r.iter().map(value_to_cell).collect(),
                mark: *m,
                changed: vec![],
                was: None,
            })
            .collect(),
    )
}

fn result_step(stage: Stage, label: &str, (labels, rows): &Rows) -> Step {
    let marked: Vec<(Vec<Value>, RowMark)> =
        rows.iter().map(|r| (r.clone(), RowMark::Kept)).collect();
    Step::new(stage, label, marked_table(labels, &marked))
}

fn cte_step(
    label: &str,
    name: &str,
    labels: &[String],
    rows: Vec<Vec<Value>>,
    nested: Trace,
) -> Step {
    let mut step = result_step(Stage::Cte, label, &(labels.to_vec(), rows));
    step.nested.push(Nested {
        title: name.to_owned(),
        trace: nested,
    });
    step
}

/// A recursive CTE's anchor and iterations, and why it stopped.
fn recursion_steps(name: &str, log: &RecursionLog, nested: &mut Trace, failure: Option<&SqlError>) {
    let mut total = log.anchor.len();
    nested.steps.push(result_step(
        Stage::RecursiveAnchor,
        &format!("{name}: anchor"),
        &(log.labels.clone(), log.anchor.clone()),
    ));
    // A long recursion shows its first and last iterations; the ones between are summed up
    // in one note, so nothing is left out silently.
    const HEAD: usize = 25;
    const TAIL: usize = 5;
    let n = log.iterations.len();
    for (i, rows) in log.iterations.iter().enumerate() {
        if n > HEAD + TAIL && i >= HEAD && i < n - TAIL {
            total += rows.len();
            if i == n - TAIL - 1 {
                let skipped = n - HEAD - TAIL;
                let mut step = result_step(
                    Stage::RecursiveIteration,
                    &format!("{name}: iterations {}–{}", HEAD + 1, n - TAIL),
                    &(log.labels.clone(), vec![]),
                );
                step.note = Some(Localized::new(
                    format!("반복 {skipped}번은 줄여서 보여 줍니다. 지금까지 {total}행"),
                    format!("{skipped} iterations not shown one by one; {total} rows so far"),
                ));
                nested.steps.push(step);
            }
            continue;
        }
        total += rows.len();
        let mut step = result_step(
            Stage::RecursiveIteration,
            &format!("{name}: iteration {}", i + 1),
            &(log.labels.clone(), rows.clone()),
        );
        step.note = Some(if rows.is_empty() {
            Localized::new(
                format!("새 행이 없어서 멈췄습니다. 모두 {total}행입니다."),
                format!("no new rows, so the recursion stops; {total} rows in all"),
            )
        } else {
            Localized::new(
                format!("새 행 {}개, 지금까지 {total}행", rows.len()),
                format!("{} new rows, {total} so far", rows.len()),
            )
        });
        nested.steps.push(step);
    }
    if let Some(e) = failure {
        nested.error = Some(e.localized());
    }
}

fn select_label(sel: &Select) -> String {
    format!(
        "SELECT {}{}",
        if sel.distinct.is_some() {
            "DISTINCT "
        } else {
            ""
        },
        sel.projection
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn from_label(sel: &Select) -> String {
    format!(
        "FROM {}{}",
        sel.from
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        sel.selection
            .as_ref()
            .map_or_else(String::new, |w| format!(" WHERE {w}"))
    )
}

/// The step of a query's ORDER BY / LIMIT when the layer ran the query whole.
fn push_order_limit(trace: &mut Trace, q: &Query, result: &Rows) {
    if q.order_by.is_some() || q.limit.is_some() || q.offset.is_some() {
        trace
            .steps
            .push(result_step(Stage::OrderBy, &order_limit_label(q), result));
    }
}

fn order_limit_label(q: &Query) -> String {
    let mut parts = Vec::new();
    if let Some(o) = &q.order_by {
        parts.push(format!(
            "ORDER BY {}",
            o.exprs
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(l) = &q.limit {
        parts.push(format!("LIMIT {l}"));
    }
    if let Some(o) = &q.offset {
        parts.push(format!("OFFSET {}", o.value));
    }
    parts.join(" ")
}

/// The table a data-changing statement writes to.
fn change_target(stmt: &Statement) -> Option<sqlparser::ast::ObjectName> {
    match stmt {
        Statement::Insert(ins) => Some(ins.table_name.clone()),
        Statement::Update { table, .. } => match &table.relation {
            TableFactor::Table { name, .. } => Some(name.clone()),
            _ => None,
        },
        Statement::Delete(d) => {
            let tables = match &d.from {
                sqlparser::ast::FromTable::WithFromKeyword(t)
                | sqlparser::ast::FromTable::WithoutKeyword(t) => t,
            };
            match tables.first().map(|t| &t.relation) {
                Some(TableFactor::Table { name, .. }) => Some(name.clone()),
                _ => None,
            }
        }
        Statement::AlterTable { name, .. } => Some(name.clone()),
        Statement::Truncate { table_names, .. } => table_names.first().map(|t| t.name.clone()),
        _ => None,
    }
}

/// A table's columns and its rows by storage key.
type TableState = Option<(Vec<Column>, Vec<(Key, Vec<Value>)>)>;

/// The select values of the rows (or groups) that go on, and their sort keys.
type SelectedRows = (Vec<Vec<Value>>, Vec<Vec<Value>>);

/// Before and after of a changed table, rows matched by their storage key.
fn change_steps(name: &str, before: TableState, after: TableState) -> Vec<Step> {
    let (Some((before_cols, before_rows)), Some((after_cols, after_rows))) = (before, after) else {
        return vec![];
    };
    let same_shape = before_cols == after_cols;
    let after_map: BTreeMap<Key, &Vec<Value>> =
        after_rows.iter().map(|(k, v)| (k.clone(), v)).collect();
    let before_map: BTreeMap<Key, &Vec<Value>> =
        before_rows.iter().map(|(k, v)| (k.clone(), v)).collect();
    let changed = |a: &[Value], b: &[Value]| -> Vec<usize> {
        (0..a.len().max(b.len()))
            .filter(|&i| match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => group_key(&[x]) != group_key(&[y]),
                _ => true,
            })
            .collect()
    };
    // One side's rows, marked against the other side: `missing` when a key is not there.
    let side = |rows: &[(Key, Vec<Value>)],
                other: &BTreeMap<Key, &Vec<Value>>,
                missing: RowMark,
                old_first: bool| {
        rows.iter()
            .map(|(k, v)| {
                let (mark, cells) = match other.get(k) {
                    None => (missing, vec![]),
                    Some(o) if same_shape => {
                        let c = if old_first {
                            changed(v, o)
                        } else {
                            changed(o, v)
                        };
                        let mark = if c.is_empty() {
                            RowMark::Kept
                        } else {
                            RowMark::Updated
                        };
                        (mark, c)
                    }
                    Some(_) => (RowMark::Kept, vec![]),
                };
                TraceRow {
                    cells: v.iter().map(value_to_cell).collect(),
                    mark,
                    changed: cells,
                    was: None,
                }
            })
            .collect::<Vec<_>>()
    };
    let before_table = StageTable::full(
        before_cols,
        side(&before_rows, &after_map, RowMark::Deleted, true),
    );
    let after_table = StageTable::full(
        after_cols,
        side(&after_rows, &before_map, RowMark::Inserted, false),
    );
    vec![
        Step::new(Stage::Before, format!("{name} (before)"), before_table),
        Step::new(Stage::After, format!("{name} (after)"), after_table),
    ]
}
