//! A statement that changes data, traced: the table it writes to before and after, rows
//! matched by their storage key (new, deleted and changed rows, changed cells).

use crate::convert::value_to_cell;
use crate::window::group_key;
use crate::{Clock, Engine};
use gluesql_core::data::{Key, Value};
use sqlnori_model::split::ScriptStatement;
use sqlnori_model::trace::{RowMark, Stage, StageTable, Step, Trace, TraceRow};
use sqlnori_model::{Column, Localized, StatementResult};
use sqlparser::ast::{Statement, TableFactor};
use std::collections::BTreeMap;

impl Engine {
    /// Runs a statement that may change data, and shows its target table before and after
    /// (with the AUTO_INCREMENT counter when it moved).
    pub(super) fn trace_change(
        &mut self,
        stmt: &ScriptStatement,
        parsed: &Statement,
        clock: &dyn Clock,
    ) -> (StatementResult, Trace) {
        // A multi-table UPDATE or DELETE shows the one table it changes.
        let target = match self.multi_table_target(parsed) {
            Some(changed) => changed.ok().map(|c| c.table),
            None => change_target(parsed).and_then(|name| self.resolver().resolve(&name).ok()),
        };
        let counter = |engine: &Engine| {
            target
                .as_ref()
                .and_then(|t| engine.state.auto_increment.get(&t.storage))
                .map(|a| a.next)
        };
        let before = target.as_ref().and_then(|t| self.table_rows(&t.storage));
        // The tables an ON DELETE CASCADE / SET NULL can change besides the target.
        let acted: Vec<(String, TableState)> = match (parsed, &target) {
            (Statement::Delete(_), Some(t)) => self
                .acted_on_by_delete(&t.storage)
                .into_iter()
                .map(|child| {
                    let rows = self.table_rows(&child);
                    (child, rows)
                })
                .collect(),
            _ => vec![],
        };
        let counter_before = counter(self);
        let result = self.run_statement(stmt, clock);
        let mut trace = Trace::new(vec![]);
        let Some(t) = target.as_ref().filter(|_| result.is_ok()) else {
            return (result, trace);
        };
        let after = self.table_rows(&t.storage);
        // A table the statement made (CREATE TABLE … AS SELECT) shows only as it is after,
        // every row new.
        let created = before.is_none();
        let before =
            before.or_else(|| after.as_ref().map(|(columns, _)| (columns.clone(), vec![])));
        trace.steps = change_steps(&t.written, before, after);
        if created && trace.steps.len() > 1 {
            trace.steps.remove(0);
        }
        let also: Vec<(String, usize, usize)> = acted
            .into_iter()
            .filter_map(|(child, before)| {
                let (_, before) = before?;
                let (_, after) = self.table_rows(&child)?;
                let after: BTreeMap<Key, Vec<Value>> = after.into_iter().collect();
                let gone = before
                    .iter()
                    .filter(|(k, _)| !after.contains_key(k))
                    .count();
                let changed = before
                    .iter()
                    .filter(|(k, v)| after.get(k).is_some_and(|a| a != v))
                    .count();
                let name = child.rsplit('.').next().unwrap_or(&child).to_owned();
                (gone + changed > 0).then_some((name, gone, changed))
            })
            .collect();
        if let (false, Some(last)) = (also.is_empty(), trace.steps.last_mut()) {
            let ko: Vec<String> = also
                .iter()
                .map(|(n, gone, changed)| match (gone, changed) {
                    (g, 0) => format!("`{n}`에서 {g}행 삭제"),
                    (0, c) => format!("`{n}`의 {c}행을 NULL로"),
                    (g, c) => format!("`{n}`에서 {g}행 삭제, {c}행을 NULL로"),
                })
                .collect();
            let en: Vec<String> = also
                .iter()
                .map(|(n, gone, changed)| match (gone, changed) {
                    (g, 0) => format!("{g} row(s) of `{n}` deleted"),
                    (0, c) => format!("{c} row(s) of `{n}` set to NULL"),
                    (g, c) => format!("{g} row(s) of `{n}` deleted, {c} set to NULL"),
                })
                .collect();
            last.note = Some(Localized::new(
                format!("외래 키의 ON DELETE 동작으로 함께 바뀜: {}", ko.join(", ")),
                format!(
                    "Also changed by the foreign keys' ON DELETE: {}",
                    en.join(", ")
                ),
            ));
        }
        if let (Some(b), Some(a), Some(last)) =
            (counter_before, counter(self), trace.steps.last_mut())
        {
            if a != b {
                last.note = Some(Localized::new(
                    format!("AUTO_INCREMENT 다음 값: {b} → {a}"),
                    format!("AUTO_INCREMENT next value: {b} → {a}"),
                ));
            }
        }
        (result, trace)
    }

    /// A table's columns and rows by storage key.
    pub(super) fn table_rows(&self, storage: &str) -> TableState {
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
}

/// The table a data-changing statement writes to.
pub(super) fn change_target(stmt: &Statement) -> Option<sqlparser::ast::ObjectName> {
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
        Statement::CreateTable(ct) if ct.query.is_some() => Some(ct.name.clone()),
        Statement::Truncate { table_names, .. } => table_names.first().map(|t| t.name.clone()),
        _ => None,
    }
}

/// A table's columns and its rows by storage key.
pub(super) type TableState = Option<(Vec<Column>, Vec<(Key, Vec<Value>)>)>;

/// Before and after of a changed table, rows matched by their storage key.
pub(super) fn change_steps(name: &str, before: TableState, after: TableState) -> Vec<Step> {
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
