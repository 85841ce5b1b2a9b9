//! How traced rows become steps and what the steps are called: stage tables from rows of
//! values, the clauses' labels as written, the recursion's iterations, row marks.

use super::RecursionLog;
use crate::convert::{columns_of, value_to_cell};
use crate::dialect::build;
use crate::error::SqlError;
use crate::query::Rows;
use gluesql_core::data::Value;
use sqlnori_model::trace::{Nested, RowMark, Stage, StageTable, Step, Trace, TraceRow};
use sqlnori_model::Localized;
use sqlparser::ast::{Expr, Query, Select};

/// The label of a select item without an alias: a column's name, else the expression.
pub(super) fn item_label(e: &Expr) -> String {
    match e {
        Expr::Identifier(i) => i.value.clone(),
        Expr::CompoundIdentifier(p) => p.last().map(|i| i.value.clone()).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// A condition's value as a row mark. A value that is not true/false/NULL fails the way the
/// plain run fails, so the traced answer and the plain one never differ.
pub(super) fn truth_mark(v: &Value) -> Result<RowMark, SqlError> {
    let kept = |yes: bool| {
        if yes {
            RowMark::Kept
        } else {
            RowMark::DroppedFalse
        }
    };
    match v {
        Value::Null => Ok(RowMark::DroppedNull),
        Value::Bool(b) => Ok(kept(*b)),
        // MySQL reads a number as a condition (0 is false) and text as the number it starts
        // with, as the patched GlueSQL does on the plain path.
        Value::Str(s) => Ok(kept(crate::dialect::rewrite::leading_number(s) != 0.0)),
        other => match crate::convert::value_to_cell(other) {
            sqlnori_model::Cell::Int(n) => Ok(kept(n != 0)),
            sqlnori_model::Cell::Float(f) => Ok(kept(f != 0.0)),
            sqlnori_model::Cell::Decimal(d) | sqlnori_model::Cell::BigInt(d) => {
                Ok(kept(d.parse::<f64>().is_ok_and(|f| f != 0.0)))
            }
            _ => Err(crate::error::not_a_condition(&String::from(other))),
        },
    }
}

pub(super) fn literal_count(e: &Expr) -> Result<usize, SqlError> {
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
pub(super) fn table_of<R: AsRef<[Value]>>(
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

pub(super) fn marked_table(labels: &[String], rows: &[(Vec<Value>, RowMark)]) -> StageTable {
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

pub(super) fn result_step(stage: Stage, label: &str, (labels, rows): &Rows) -> Step {
    let marked: Vec<(Vec<Value>, RowMark)> =
        rows.iter().map(|r| (r.clone(), RowMark::Kept)).collect();
    Step::new(stage, label, marked_table(labels, &marked))
}

pub(super) fn cte_step(
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
pub(super) fn recursion_steps(
    name: &str,
    log: &RecursionLog,
    nested: &mut Trace,
    failure: Option<&SqlError>,
) {
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

pub(super) fn select_label(sel: &Select) -> String {
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

pub(super) fn from_label(sel: &Select) -> String {
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
pub(super) fn push_order_limit(trace: &mut Trace, q: &Query, result: &Rows) {
    if q.order_by.is_some() || q.limit.is_some() || q.offset.is_some() {
        trace
            .steps
            .push(result_step(Stage::OrderBy, &order_limit_label(q), result));
    }
}

pub(super) fn order_limit_label(q: &Query) -> String {
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
