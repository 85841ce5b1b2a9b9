//! One SELECT clause by clause. A [`SelectPlan`] is made once from the query; the FROM/JOIN
//! rows come from one wide query (each row with WHERE's value and, without grouping, the
//! select items and sort keys); then each stage has its method: WHERE, GROUP BY and HAVING
//! (`groups.rs`), SELECT, DISTINCT, ORDER BY and LIMIT, each adding its step.

use super::labels::{
    item_label, literal_count, marked_table, order_limit_label, select_label, table_of, truth_mark,
};
use super::Traced;
use crate::dialect::{self, build, NameResolver};
use crate::error::SqlError;
use crate::window::{compare, group_key};
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::trace::{RowMark, Stage, StageTable, Step, Trace, TraceRow};
use sqlparser::ast::{
    Expr, GroupByExpr, Ident, ObjectName, OrderByExpr, Query, Select, SelectItem, SetExpr,
    TableFactor, TableWithJoins,
};
use std::collections::HashSet;

/// A select output: one of the wide columns (from `*`), a column named with its label, or an
/// expression with its label.
pub(super) enum Shown {
    Wide(usize),
    Column(usize, String),
    Expr(Box<Expr>, String),
}

/// Where an ORDER BY key comes from: a select output (alias or position), a column of the
/// FROM rows, or its own value.
pub(super) enum OrderSource {
    Output(usize),
    Wide(usize),
    Own,
}

/// What tracing a SELECT needs to know about it, worked out once.
pub(super) struct SelectPlan {
    pub query: Query,
    pub sel: Select,
    /// HAVING as the learner wrote it (select aliases and all).
    pub written_having: Option<String>,
    pub from: TableWithJoins,
    /// The name each relation of FROM is known by.
    pub aliases: Vec<String>,
    /// How many columns each relation has.
    pub widths: Vec<usize>,
    /// Every column of the FROM rows: (alias, column).
    pub wide: Vec<(String, String)>,
    pub grouped: bool,
    pub group_keys: Vec<Expr>,
    pub order: Vec<OrderByExpr>,
    pub outputs: Vec<Shown>,
    pub output_labels: Vec<String>,
    pub order_sources: Vec<OrderSource>,
}

/// A SELECT planned for tracing, or one without FROM (one row, computed by SELECT).
enum Planned {
    Select(Box<SelectPlan>),
    NoFrom(Box<(Query, Select)>),
}

/// The wide query's result: the FROM rows' columns first, then the named extras.
pub(super) struct WideRows {
    pub labels: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub width: usize,
}

impl WideRows {
    /// Where an extra column (`__where`, `__p0` …) sits.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.labels
            .iter()
            .skip(self.width)
            .position(|l| l == name)
            .map(|p| p + self.width)
    }
}

/// The select values of the rows (or groups) that go on, and their sort keys.
pub(super) struct Selected {
    pub values: Vec<Vec<Value>>,
    pub sort_keys: Vec<Vec<Value>>,
}

impl SelectPlan {
    /// A column reference that names one wide column.
    pub fn wide_index(&self, e: &Expr) -> Option<usize> {
        wide_column(&self.wide, e)
    }

    pub fn wide_labels(&self) -> Vec<String> {
        self.wide.iter().map(|(a, c)| format!("{a}.{c}")).collect()
    }

    /// Each relation's columns as `alias.*`, up to relation `upto`: copied, not evaluated, so
    /// the wide query costs little more than `SELECT *`.
    pub(super) fn wide_items(&self, upto: usize) -> Vec<SelectItem> {
        self.aliases
            .iter()
            .take(upto)
            .map(|a| {
                SelectItem::QualifiedWildcard(
                    ObjectName(vec![Ident::new(a.clone())]),
                    Default::default(),
                )
            })
            .collect()
    }

    /// The wide query: every FROM/JOIN row with WHERE's value and, without grouping, the
    /// select items and sort keys; with grouping, the group keys that are not plain columns.
    fn wide_query(&self) -> Query {
        let mut items = self.wide_items(self.wide.len());
        if let Some(w) = &self.sel.selection {
            items.push(build::alias_item(w.clone(), "__where"));
        }
        if self.grouped {
            for (i, k) in self.group_keys.iter().enumerate() {
                if self.wide_index(k).is_none() {
                    items.push(build::alias_item(k.clone(), &format!("__k{i}")));
                }
            }
        } else {
            for (i, o) in self.outputs.iter().enumerate() {
                if let Shown::Expr(e, _) = o {
                    items.push(build::alias_item((**e).clone(), &format!("__p{i}")));
                }
            }
            for (i, (o, src)) in self.order.iter().zip(&self.order_sources).enumerate() {
                if matches!(src, OrderSource::Own) {
                    items.push(build::alias_item(o.expr.clone(), &format!("__o{i}")));
                }
            }
        }
        let mut wide_sel = self.sel.clone();
        wide_sel.projection = items;
        wide_sel.selection = None;
        wide_sel.group_by = GroupByExpr::Expressions(vec![], vec![]);
        wide_sel.having = None;
        wide_sel.distinct = None;
        Query {
            body: Box::new(SetExpr::Select(Box::new(wide_sel))),
            ..build::empty_query()
        }
    }

    /// The positions of the group keys in the wide rows.
    pub fn key_columns(&self, wide: &WideRows) -> Vec<usize> {
        self.group_keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                self.wide_index(k)
                    .or_else(|| wide.position(&format!("__k{i}")))
            })
            .collect()
    }

    /// The last FROM/JOIN step; with a WHERE its rows are the WHERE step's (shared, not copied).
    fn joined_step(&self, from_table: &StageTable, next: usize) -> Step {
        let label = match self.from.joins.last() {
            Some(j) => j.to_string().trim().to_owned(),
            None => format!("FROM {}", self.from.relation),
        };
        let stage = if self.from.joins.is_empty() {
            Stage::From
        } else {
            Stage::Join
        };
        let table = if self.sel.selection.is_some() {
            StageTable::same_rows_as(next, from_table, sqlnori_model::trace::TRACE_PAGE_ROWS)
        } else {
            from_table.clone()
        };
        Step::new(stage, label, table)
    }

    /// WHERE: each row marked kept or dropped (false / NULL). Returns the rows kept.
    fn where_step(
        &self,
        wide: &WideRows,
        from_table: StageTable,
    ) -> Result<(Vec<usize>, Option<Step>), SqlError> {
        let Some(condition) = &self.sel.selection else {
            return Ok(((0..wide.rows.len()).collect(), None));
        };
        let w = wide.position("__where").unwrap_or(0);
        let marks: Vec<RowMark> = wide
            .rows
            .iter()
            .map(|r| truth_mark(&r[w]))
            .collect::<Result<_, _>>()?;
        let kept = (0..wide.rows.len())
            .filter(|&i| marks[i] == RowMark::Kept)
            .collect();
        let mut table = from_table;
        for (row, mark) in table.rows.iter_mut().zip(&marks) {
            row.mark = *mark;
        }
        Ok((
            kept,
            Some(Step::new(Stage::Where, format!("WHERE {condition}"), table)),
        ))
    }

    /// SELECT without grouping: the select values and sort keys of the kept rows.
    fn select_rows(&self, wide: &WideRows, kept: &[usize]) -> Selected {
        let read = |r: usize, name: String| {
            wide.position(&name)
                .map_or(Value::Null, |p| wide.rows[r][p].clone())
        };
        let values = kept
            .iter()
            .map(|&r| {
                self.outputs
                    .iter()
                    .enumerate()
                    .map(|(i, o)| match o {
                        Shown::Wide(w) | Shown::Column(w, _) => wide.rows[r][*w].clone(),
                        Shown::Expr(..) => read(r, format!("__p{i}")),
                    })
                    .collect()
            })
            .collect();
        let sort_keys = kept
            .iter()
            .map(|&r| {
                self.order_sources
                    .iter()
                    .enumerate()
                    .map(|(i, src)| match src {
                        OrderSource::Wide(w) => wide.rows[r][*w].clone(),
                        _ => read(r, format!("__o{i}")),
                    })
                    .collect()
            })
            .collect();
        Selected { values, sort_keys }
    }

    /// Sort keys that name a select output (an alias, a position) read that output.
    fn keys_from_outputs(&self, selected: &mut Selected) {
        for (i, src) in self.order_sources.iter().enumerate() {
            if let OrderSource::Output(o) = src {
                for (row, keys) in selected.values.iter().zip(selected.sort_keys.iter_mut()) {
                    if let (Some(v), Some(k)) = (row.get(*o), keys.get_mut(i)) {
                        *k = v.clone();
                    }
                }
            }
        }
    }

    /// DISTINCT: repeated rows marked and dropped.
    fn distinct_step(&self, selected: &mut Selected, trace: &mut Trace) {
        if !matches!(self.sel.distinct, Some(sqlparser::ast::Distinct::Distinct)) {
            return;
        }
        let mut seen = HashSet::new();
        let keep: Vec<bool> = selected
            .values
            .iter()
            .map(|r| seen.insert(group_key(&r.iter().collect::<Vec<_>>())))
            .collect();
        let rows: Vec<(Vec<Value>, RowMark)> = selected
            .values
            .iter()
            .zip(&keep)
            .map(|(v, k)| {
                let mark = if *k {
                    RowMark::Kept
                } else {
                    RowMark::Duplicate
                };
                (v.clone(), mark)
            })
            .collect();
        trace.steps.push(Step::new(
            Stage::Distinct,
            "DISTINCT",
            marked_table(&self.output_labels, &rows),
        ));
        let mut flags = keep.iter();
        selected
            .values
            .retain(|_| flags.next().copied().unwrap_or(false));
        let mut flags = keep.iter();
        selected
            .sort_keys
            .retain(|_| flags.next().copied().unwrap_or(false));
    }

    /// ORDER BY: a stable sort, NULL first ascending, as MySQL. Returns the sorted values.
    fn order_step(&self, selected: Selected, trace: &mut Trace) -> Vec<Vec<Value>> {
        let Selected { values, sort_keys } = selected;
        if self.order.is_empty() {
            return values;
        }
        let mut order_idx: Vec<usize> = (0..values.len()).collect();
        order_idx.sort_by(|&a, &b| {
            for (i, o) in self.order.iter().enumerate() {
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
                cells: values[i]
                    .iter()
                    .map(crate::convert::value_to_cell)
                    .collect(),
                mark: RowMark::Kept,
                changed: vec![],
                was: Some(i),
            })
            .collect();
        let columns = crate::convert::columns_of(&self.output_labels, &values);
        let keys: Vec<String> = self.order.iter().map(ToString::to_string).collect();
        trace.steps.push(Step::new(
            Stage::OrderBy,
            format!("ORDER BY {}", keys.join(", ")),
            StageTable::full(columns, rows),
        ));
        order_idx.iter().map(|&i| values[i].clone()).collect()
    }

    /// LIMIT / OFFSET: the rows outside the window marked cut. Returns the rows kept.
    fn limit_step(
        &self,
        sorted: Vec<Vec<Value>>,
        trace: &mut Trace,
    ) -> Result<Vec<Vec<Value>>, SqlError> {
        let offset = match &self.query.offset {
            Some(o) => Some(literal_count(&o.value)?),
            None => None,
        };
        let limit = match &self.query.limit {
            Some(l) => Some(literal_count(l)?),
            None => None,
        };
        if offset.is_none() && limit.is_none() {
            return Ok(sorted);
        }
        let start = offset.unwrap_or(0);
        let end = limit.map_or(sorted.len(), |l| start.saturating_add(l));
        let inside = |i: usize| i >= start && i < end;
        let rows: Vec<(Vec<Value>, RowMark)> = sorted
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mark = if inside(i) {
                    RowMark::Kept
                } else {
                    RowMark::Cut
                };
                (r.clone(), mark)
            })
            .collect();
        let label = order_limit_label(&Query {
            order_by: None,
            ..self.query.clone()
        });
        trace.steps.push(Step::new(
            Stage::Limit,
            label,
            marked_table(&self.output_labels, &rows),
        ));
        Ok(sorted
            .into_iter()
            .enumerate()
            .filter(|(i, _)| inside(*i))
            .map(|(_, r)| r)
            .collect())
    }
}

impl Engine {
    /// A SELECT clause by clause (see the module documentation).
    pub(super) fn trace_select(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let plan = match self.plan_select(q, sel, scope, now)? {
            Planned::Select(plan) => plan,
            Planned::NoFrom(parts) => {
                let (q, sel) = *parts;
                // No FROM: one row, computed by SELECT.
                let rows = self.run_plain_query(q, scope, now)?;
                trace.steps.push(super::labels::result_step(
                    Stage::Select,
                    &select_label(&sel),
                    &rows,
                ));
                return Ok(rows);
            }
        };
        let from_nested = self.trace_derived_tables(&plan, scope, now);
        let from_nested = self.trace_partial_joins(&plan, from_nested, scope, now, trace)?;
        if plan.grouped && plan.sel.projection.iter().any(is_wildcard) {
            return self.trace_layered(plan.query, plan.sel, scope, now, trace);
        }
        let (labels, rows) = self.run_plain_query(plan.wide_query(), scope, now)?;
        let wide = WideRows {
            labels,
            rows,
            width: plan.wide.len(),
        };
        // The FROM rows are converted once; WHERE shows the same rows with their marks.
        let wide_labels = plan.wide_labels();
        let slices: Vec<&[Value]> = wide.rows.iter().map(|r| &r[..wide.width]).collect();
        let from_table = table_of(&wide_labels, &slices, |_| RowMark::Kept);
        let mut step = plan.joined_step(&from_table, trace.steps.len() + 1);
        step.nested = from_nested;
        trace.steps.push(step);
        let (kept, where_step) = plan.where_step(&wide, from_table)?;
        if let Some(mut step) = where_step {
            step.nested = self.trace_subqueries(plan.sel.selection.as_ref(), scope, now);
            trace.steps.push(step);
        }
        let mut selected = if plan.grouped {
            self.trace_groups(&plan, &wide, &kept, scope, now, trace)?
        } else {
            let selected = plan.select_rows(&wide, &kept);
            let rows: Vec<(Vec<Value>, RowMark)> = selected
                .values
                .iter()
                .map(|r| (r.clone(), RowMark::Kept))
                .collect();
            let mut step = Step::new(
                Stage::Select,
                select_label(&plan.sel),
                marked_table(&plan.output_labels, &rows),
            );
            step.nested = self.trace_subqueries_in_items(&plan.sel, scope, now);
            trace.steps.push(step);
            selected
        };
        plan.keys_from_outputs(&mut selected);
        plan.distinct_step(&mut selected, trace);
        let sorted = plan.order_step(selected, trace);
        let result = plan.limit_step(sorted, trace)?;
        Ok((plan.output_labels, result))
    }

    /// The plan of a SELECT (with its FROM normalised: comma joins, `dual` …).
    fn plan_select(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Planned, SqlError> {
        let written_having = sel.having.as_ref().map(ToString::to_string);
        let mut sel = sel;
        dialect::rewrite::label_select(&mut sel);
        let catalog = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::substitute_select_aliases(&mut sel, &catalog);
        dialect::rewrite::normalise_from(&mut sel)?;
        let Some(from) = sel.from.first().cloned() else {
            return Ok(Planned::NoFrom(Box::new((q, sel))));
        };
        let relations: Vec<&TableFactor> = std::iter::once(&from.relation)
            .chain(from.joins.iter().map(|j| &j.relation))
            .collect();
        let aliases: Vec<String> = relations
            .iter()
            .enumerate()
            .map(|(i, rel)| build::factor_alias(rel).unwrap_or_else(|| format!("t{i}")))
            .collect();
        let mut wide = Vec::new();
        let mut widths = Vec::new();
        for (rel, alias) in relations.iter().zip(&aliases) {
            let cols = self.relation_columns(rel, alias, &from, scope, now)?;
            widths.push(cols.len());
            wide.extend(cols.into_iter().map(|c| (alias.clone(), c)));
        }
        let grouped = super::is_grouped(&sel);
        let group_keys = match &sel.group_by {
            GroupByExpr::Expressions(e, _) => e.clone(),
            GroupByExpr::All(_) => vec![],
        };
        let order: Vec<OrderByExpr> = q
            .order_by
            .as_ref()
            .map(|o| o.exprs.clone())
            .unwrap_or_default();
        let outputs = shown_outputs(&sel, &wide, grouped);
        let output_labels: Vec<String> = outputs
            .iter()
            .map(|o| match o {
                Shown::Wide(i) => wide[*i].1.clone(),
                Shown::Column(_, l) | Shown::Expr(_, l) => l.clone(),
            })
            .collect();
        let order_sources = order
            .iter()
            .map(|o| match order_source(&o.expr, &output_labels) {
                OrderSource::Own if !grouped => {
                    wide_column(&wide, &o.expr).map_or(OrderSource::Own, OrderSource::Wide)
                }
                other => other,
            })
            .collect();
        Ok(Planned::Select(Box::new(SelectPlan {
            query: q,
            sel,
            written_having,
            from,
            aliases,
            widths,
            wide,
            grouped,
            group_keys,
            order,
            outputs,
            output_labels,
            order_sources,
        })))
    }
}

/// The output columns: each select item, wildcards spelled out over the wide columns.
fn shown_outputs(sel: &Select, wide: &[(String, String)], grouped: bool) -> Vec<Shown> {
    let mut outputs = Vec::new();
    for item in &sel.projection {
        match item {
            SelectItem::Wildcard(_) => outputs.extend((0..wide.len()).map(Shown::Wide)),
            SelectItem::QualifiedWildcard(name, _) => {
                let alias = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
                outputs.extend(
                    wide.iter()
                        .enumerate()
                        .filter(|(_, (a, _))| a.eq_ignore_ascii_case(&alias))
                        .map(|(i, _)| Shown::Wide(i)),
                );
            }
            SelectItem::UnnamedExpr(e) => outputs.push(shown(e, item_label(e), wide, grouped)),
            SelectItem::ExprWithAlias { expr, alias } => {
                outputs.push(shown(expr, alias.value.clone(), wide, grouped));
            }
        }
    }
    outputs
}

fn shown(e: &Expr, label: String, wide: &[(String, String)], grouped: bool) -> Shown {
    match wide_column(wide, e) {
        Some(i) if !grouped => Shown::Column(i, label),
        _ => Shown::Expr(Box::new(e.clone()), label),
    }
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

pub(super) fn is_wildcard(item: &SelectItem) -> bool {
    matches!(
        item,
        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
    )
}

/// The one wide column a column reference names.
pub(super) fn wide_column(wide: &[(String, String)], e: &Expr) -> Option<usize> {
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
