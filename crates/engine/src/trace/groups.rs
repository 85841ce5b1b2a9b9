//! GROUP BY and HAVING, traced: the groups come from the wide rows' keys; their aggregates and
//! select values from one grouped query. Simple aggregates (COUNT, SUM, AVG, MIN, MAX of
//! columns) are computed here from the rows already read, with GlueSQL's own value
//! arithmetic, so GlueSQL evaluates the select items over one staged row per group instead of
//! reading and grouping every row again.

use super::labels::{marked_table, select_label, truth_mark};
use super::plan::{wide_column, OrderSource, SelectPlan, Selected, Shown, WideRows};
use crate::dialect::{build, NameResolver};
use crate::error::SqlError;
use crate::Engine;
use gluesql_core::data::{collation, Value};
use sqlnori_model::catalog::is_aggregate;
use sqlnori_model::trace::{Group, RowMark, Stage, Step, Trace};
use sqlparser::ast::{Expr, Ident, Query, Select, SelectItem, SetExpr, TableWithJoins};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

/// Aggregates GlueSQL knows beyond the catalogue's (the tracer must see them as aggregates).
const ENGINE_AGGREGATES: &[&str] = &["STDEV", "VARIANCE"];

/// True for an aggregate call (not a window function).
pub(super) fn is_aggregate_call(f: &sqlparser::ast::Function) -> bool {
    let name = build::func_name(f);
    f.over.is_none() && (is_aggregate(&name) || ENGINE_AGGREGATES.contains(&name.as_str()))
}

/// The grouped query: the keys, the aggregates named anywhere (select, HAVING, ORDER BY),
/// the select items and sort keys that are neither, and HAVING's value, each under a name.
struct GroupQuery {
    select: Select,
    aggregates: Vec<Expr>,
    /// `__p0` / `__o1` → the key or aggregate column that already holds its value.
    source_of: HashMap<String, String>,
}

impl GroupQuery {
    fn new(plan: &SelectPlan) -> Self {
        let aggregates = aggregates_of(plan);
        let mut items: Vec<SelectItem> = plan
            .group_keys
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
        for (i, k) in plan.group_keys.iter().enumerate() {
            known.entry(k.to_string()).or_insert(format!("__k{i}"));
        }
        for (i, a) in aggregates.iter().enumerate() {
            known.entry(a.to_string()).or_insert(format!("__a{i}"));
        }
        let mut source_of = HashMap::new();
        let mut ask =
            |e: &Expr, name: String, items: &mut Vec<SelectItem>| match known.get(&e.to_string()) {
                Some(col) => {
                    source_of.insert(name, col.clone());
                }
                None => items.push(build::alias_item(e.clone(), &name)),
            };
        for (i, o) in plan.outputs.iter().enumerate() {
            if let Shown::Expr(e, _) = o {
                ask(e, format!("__p{i}"), &mut items);
            }
        }
        if let Some(h) = &plan.sel.having {
            items.push(build::alias_item(h.clone(), "__having"));
        }
        for (i, (o, src)) in plan.order.iter().zip(&plan.order_sources).enumerate() {
            if matches!(src, OrderSource::Own) {
                ask(&o.expr, format!("__o{i}"), &mut items);
            }
        }
        let mut select = plan.sel.clone();
        select.projection = items;
        select.having = None;
        select.distinct = None;
        GroupQuery {
            select,
            aggregates,
            source_of,
        }
    }
}

/// Aggregates named anywhere in the select, HAVING or ORDER BY, each once.
fn aggregates_of(plan: &SelectPlan) -> Vec<Expr> {
    let mut aggregates: Vec<Expr> = Vec::new();
    let mut seen = HashSet::new();
    let mut collect = |e: &Expr| {
        let _ = crate::walk::exprs(e, |e: &Expr| {
            if let Expr::Function(f) = e {
                if is_aggregate_call(f) && seen.insert(e.to_string()) {
                    aggregates.push(e.clone());
                }
            }
            ControlFlow::<()>::Continue(())
        });
    };
    for o in &plan.outputs {
        if let Shown::Expr(e, _) = o {
            collect(e);
        }
    }
    if let Some(h) = &plan.sel.having {
        collect(h);
    }
    for o in &plan.order {
        collect(&o.expr);
    }
    aggregates
}

/// The grouped query's rows and where each named column sits.
struct GroupRows {
    labels: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl GroupRows {
    fn position(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == name)
    }
}

impl Engine {
    /// GROUP BY and HAVING, then SELECT over the groups HAVING keeps. Returns their select
    /// values and sort keys.
    pub(super) fn trace_groups(
        &mut self,
        plan: &SelectPlan,
        wide: &WideRows,
        kept: &[usize],
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Result<Selected, SqlError> {
        let key_cols = plan.key_columns(wide);
        let query = GroupQuery::new(plan);
        let groups = self.run_grouped(plan, &query, wide, kept, &key_cols, scope, now)?;

        // Which rows of the WHERE stage fall in each group.
        let mut members: HashMap<Vec<Value>, Vec<usize>> = HashMap::new();
        for &r in kept {
            // Under MySQL's default collation, as GlueSQL groups ('Kim' and 'KIM' together).
            let key: Vec<Value> = key_cols
                .iter()
                .map(|&c| collation::key(&wide.rows[r][c]))
                .collect();
            members.entry(key).or_default().push(r);
        }
        let group_keys: Vec<usize> = (0..plan.group_keys.len())
            .filter_map(|i| groups.position(&format!("__k{i}")))
            .collect();
        let agg_cols: Vec<usize> = (0..query.aggregates.len())
            .filter_map(|i| groups.position(&format!("__a{i}")))
            .collect();
        let key_labels: Vec<String> = plan.group_keys.iter().map(ToString::to_string).collect();
        let agg_labels: Vec<String> = query.aggregates.iter().map(ToString::to_string).collect();
        let mut table_labels = key_labels.clone();
        table_labels.extend(agg_labels.iter().cloned());
        let mut group_rows = Vec::new();
        let mut group_list = Vec::new();
        for g in &groups.rows {
            let key: Vec<Value> = group_keys.iter().map(|&c| g[c].clone()).collect();
            let rows = if plan.group_keys.is_empty() {
                kept.to_vec()
            } else {
                let folded: Vec<Value> = key.iter().map(collation::key).collect();
                members.get(&folded).cloned().unwrap_or_default()
            };
            let mut row = key.clone();
            row.extend(agg_cols.iter().map(|&c| g[c].clone()));
            group_list.push(Group {
                key: key.iter().map(crate::convert::value_to_cell).collect(),
                rows,
                aggregates: agg_cols
                    .iter()
                    .map(|&c| crate::convert::value_to_cell(&g[c]))
                    .collect(),
            });
            group_rows.push((row, RowMark::Kept));
        }
        let label = if plan.group_keys.is_empty() {
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
        trace.steps.push(step);

        let keep = having_step(plan, &groups, &table_labels, &group_rows, trace)?;
        let column = |name: &str| {
            groups
                .position(name)
                .or_else(|| query.source_of.get(name).and_then(|c| groups.position(c)))
        };
        let read = |g: &[Value], name: String| column(&name).map_or(Value::Null, |p| g[p].clone());
        let mut selected = Selected {
            values: vec![],
            sort_keys: vec![],
        };
        for (g, k) in groups.rows.iter().zip(&keep) {
            if *k {
                selected.values.push(
                    (0..plan.outputs.len())
                        .map(|i| read(g, format!("__p{i}")))
                        .collect(),
                );
                selected.sort_keys.push(
                    (0..plan.order.len())
                        .map(|i| read(g, format!("__o{i}")))
                        .collect(),
                );
            }
        }
        let rows: Vec<(Vec<Value>, RowMark)> = selected
            .values
            .iter()
            .map(|r| (r.clone(), RowMark::Kept))
            .collect();
        trace.steps.push(Step::new(
            Stage::Select,
            select_label(&plan.sel),
            marked_table(&plan.output_labels, &rows),
        ));
        Ok(selected)
    }

    /// Runs the grouped query, over one staged row per group when the aggregates are simple.
    #[allow(clippy::too_many_arguments)]
    fn run_grouped(
        &mut self,
        plan: &SelectPlan,
        query: &GroupQuery,
        wide: &WideRows,
        kept: &[usize],
        key_cols: &[usize],
        scope: &NameResolver,
        now: &str,
    ) -> Result<GroupRows, SqlError> {
        let mut grouped = query.select.clone();
        let mut scope = scope.clone();
        let mut staged = None;
        if let Some(groups) = precomputed_groups(plan, &query.aggregates, key_cols, wide, kept) {
            let (labels, rows, alias) = groups?;
            let storage = self.materialise("groups", &labels, rows)?;
            scope.ctes.insert("__grp".to_owned(), storage.clone());
            staged = Some(storage);
            grouped.from = vec![TableWithJoins {
                relation: build::table_factor("__grp", build::table_alias(&alias)),
                joins: vec![],
            }];
            grouped.selection = None;
            let names: Vec<String> = query.aggregates.iter().map(ToString::to_string).collect();
            for item in &mut grouped.projection {
                if let SelectItem::ExprWithAlias { expr, .. } = item {
                    let _ = crate::walk::exprs_mut(expr, |e: &mut Expr| {
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
        let (labels, rows) = outcome?;
        Ok(GroupRows { labels, rows })
    }
}

/// HAVING: each group marked kept or dropped. Returns which groups go on.
fn having_step(
    plan: &SelectPlan,
    groups: &GroupRows,
    table_labels: &[String],
    group_rows: &[(Vec<Value>, RowMark)],
    trace: &mut Trace,
) -> Result<Vec<bool>, SqlError> {
    let (Some(h), Some(hc)) = (&plan.sel.having, groups.position("__having")) else {
        return Ok(vec![true; groups.rows.len()]);
    };
    let marks: Vec<RowMark> = groups
        .rows
        .iter()
        .map(|g| truth_mark(&g[hc]))
        .collect::<Result<_, _>>()?;
    let keep = marks.iter().map(|m| *m == RowMark::Kept).collect();
    let rows: Vec<(Vec<Value>, RowMark)> = group_rows
        .iter()
        .map(|(r, _)| r.clone())
        .zip(marks)
        .collect();
    // The condition as the learner wrote it (select aliases and all).
    let written = plan.written_having.clone().unwrap_or_else(|| h.to_string());
    trace.steps.push(Step::new(
        Stage::Having,
        format!("HAVING {written}"),
        marked_table(table_labels, &rows),
    ));
    Ok(keep)
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

/// Staged groups: labels, one row per group (key columns, then `__g0…`), and the alias the
/// staged table is read under.
type Staged = (Vec<String>, Vec<Vec<Value>>, String);

/// True when, outside aggregates, the select items and HAVING name only the group's keys
/// (and no subquery).
fn names_only_keys(plan: &SelectPlan, aggregates: &[Expr], key_cols: &[usize]) -> bool {
    let mut other_columns = false;
    let mut check = |e: &Expr| {
        let _ = crate::walk::exprs(e, |e: &Expr| {
            match e {
                Expr::Function(f) if is_aggregate_call(f) => {
                    return ControlFlow::Break(());
                }
                Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. } => {
                    other_columns = true;
                    return ControlFlow::Break(());
                }
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                    other_columns |=
                        !wide_column(&plan.wide, e).is_some_and(|c| key_cols.contains(&c));
                }
                _ => {}
            }
            ControlFlow::Continue(())
        });
    };
    for item in &plan.sel.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                // A whole aggregate item is fine; look inside everything else.
                if !aggregates.iter().any(|a| a == e) {
                    check(e);
                }
            }
            _ => return false,
        }
    }
    if let Some(h) = &plan.sel.having {
        check(h);
    }
    !other_columns
}

/// The groups of the kept rows with their keys and simple aggregates, computed as GlueSQL
/// does (first appearance order, NULL skipped, its own value arithmetic). `None` when the
/// query needs more than this (joins, computed keys, other aggregates, other columns outside
/// aggregates).
fn precomputed_groups(
    plan: &SelectPlan,
    aggregates: &[Expr],
    key_cols: &[usize],
    wide: &WideRows,
    kept: &[usize],
) -> Option<Result<Staged, SqlError>> {
    if !plan.from.joins.is_empty() {
        return None;
    }
    let alias = plan.aliases.first()?.clone();
    let columns = &plan.wide;
    if key_cols.len() != plan.group_keys.len() || key_cols.iter().any(|&c| c >= columns.len()) {
        return None;
    }
    let simple: Vec<Simple> = aggregates
        .iter()
        .map(|a| simple_aggregate(a, columns))
        .collect::<Option<_>>()?;
    if !names_only_keys(plan, aggregates, key_cols) {
        return None;
    }
    let key_names: Vec<String> = key_cols.iter().map(|&c| columns[c].1.clone()).collect();
    if key_names
        .iter()
        .enumerate()
        .any(|(i, n)| key_names[..i].contains(n))
    {
        return None;
    }
    Some(accumulate(&simple, key_cols, wide, kept).map(|rows| {
        let mut labels = key_names;
        labels.extend((0..simple.len()).map(|i| format!("__g{i}")));
        (labels, rows, alias)
    }))
}

/// One row per group: its key, then each simple aggregate's value.
fn accumulate(
    simple: &[Simple],
    key_cols: &[usize],
    wide: &WideRows,
    kept: &[usize],
) -> Result<Vec<Vec<Value>>, SqlError> {
    let mut order: Vec<Vec<Value>> = Vec::new();
    // Keyed by the values under MySQL's default collation, as GlueSQL groups; a group shows
    // its first row's values.
    let mut index: HashMap<Vec<Value>, usize> = HashMap::new();
    let mut accs: Vec<Vec<(Option<Value>, i64)>> = Vec::new();
    if key_cols.is_empty() {
        order.push(vec![]);
        accs.push(vec![(None, 0); simple.len()]);
        index.insert(vec![], 0);
    }
    for &r in kept {
        let row = &wide.rows[r];
        let shown: Vec<Value> = key_cols.iter().map(|&c| row[c].clone()).collect();
        let key: Vec<Value> = shown.iter().map(collation::key).collect();
        let slot = *index.entry(key).or_insert_with(|| {
            order.push(shown);
            accs.push(vec![(None, 0); simple.len()]);
            order.len() - 1
        });
        for (acc, kind) in accs[slot].iter_mut().zip(simple) {
            add_to(acc, *kind, row)?;
        }
    }
    order
        .into_iter()
        .zip(accs)
        .map(|(mut key, accs)| {
            for (acc, kind) in accs.into_iter().zip(simple) {
                key.push(finish(*kind, acc)?);
            }
            Ok(key)
        })
        .collect()
}

/// Adds one row to an aggregate's running value and count.
fn add_to(acc: &mut (Option<Value>, i64), kind: Simple, row: &[Value]) -> Result<(), SqlError> {
    let v = match kind {
        Simple::CountAll => {
            acc.1 += 1;
            return Ok(());
        }
        Simple::Count(c) => {
            if !row[c].is_null() {
                acc.1 += 1;
            }
            return Ok(());
        }
        Simple::Sum(c) | Simple::Avg(c) | Simple::Min(c) | Simple::Max(c) => &row[c],
    };
    if v.is_null() {
        return Ok(());
    }
    acc.1 += 1;
    acc.0 = Some(match (acc.0.take(), kind) {
        (None, _) => v.clone(),
        (Some(cur), Simple::Sum(_) | Simple::Avg(_)) => cur.add(v).map_err(SqlError::from_glue)?,
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
    Ok(())
}

fn finish(kind: Simple, acc: (Option<Value>, i64)) -> Result<Value, SqlError> {
    Ok(match (kind, acc) {
        (Simple::CountAll | Simple::Count(_), (_, n)) => Value::I64(n),
        (Simple::Avg(_), (Some(sum), n)) => sum
            .cast(&gluesql_core::ast::DataType::Float)
            .and_then(|s| s.divide(&Value::I64(n)))
            .map_err(SqlError::from_glue)?,
        (_, (v, _)) => v.unwrap_or(Value::Null),
    })
}
