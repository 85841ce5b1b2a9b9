//! One SELECT clause by clause. A [`SelectPlan`] is made once from the query (`plan.rs`); the
//! FROM/JOIN rows come from one wide query (each row with WHERE's value and, without grouping,
//! the select items and sort keys); then each stage has its method: WHERE, GROUP BY and HAVING
//! (`groups.rs`), SELECT, DISTINCT, ORDER BY and LIMIT, each adding its step.

use super::labels::{
    literal_count, marked_table, order_limit_label, select_label, table_of, truth_mark,
};
use super::plan::{is_wildcard, OrderSource, Planned, SelectPlan, Selected, Shown, WideRows};
use super::Traced;
use crate::dialect::NameResolver;
use crate::error::SqlError;
use crate::window::{compare, group_key};
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::trace::{RowMark, Stage, StageTable, Step, Trace, TraceRow};
use sqlparser::ast::{Query, Select};
use std::collections::HashSet;

impl SelectPlan {
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
        sqlnori_model::sort::sort_by(&mut order_idx, |&a, &b| {
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
        let mut wide_query = plan.wide_query();
        super::bounded(&mut wide_query);
        let (labels, mut rows) = self.run_plain_query(wide_query, scope, now)?;
        let cut = rows.len() > super::TRACE_ROW_BOUND;
        rows.truncate(super::TRACE_ROW_BOUND);
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
        if cut {
            step.note = Some(super::cut_note());
            trace.note = Some(super::cut_note());
        }
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
}
