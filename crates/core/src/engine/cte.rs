//! Common table expressions: each CTE's rows are materialised into a hidden table that later
//! parts of the statement read by name; a recursive CTE iterates to a fixpoint.

use super::Engine;
use crate::dialect::build::empty_query;
use crate::dialect::NameResolver;
use crate::error::{Localized, SqlError};
use gluesql_core::ast::{ColumnDef, DataType};
use gluesql_core::data::{Schema, Value};
use gluesql_core::store::StoreMut;
use gluesql_memory_storage::MemoryStorage;
use sqlparser::ast::{Query, SetExpr, SetOperator, SetQuantifier};
use std::collections::HashSet;

/// Most iterations a recursive CTE may take.
pub const MAX_RECURSION_ITERATIONS: usize = 1_000;
/// Most rows a recursive CTE may produce.
pub const MAX_RECURSION_ROWS: usize = 100_000;

/// Applies a CTE's column list (`WITH t (a, b) AS …`) to the labels its query produced.
pub fn rename_labels(
    name: &str,
    labels: Vec<String>,
    columns: &[String],
) -> Result<Vec<String>, SqlError> {
    if columns.is_empty() {
        return Ok(labels);
    }
    if columns.len() != labels.len() {
        return Err(SqlError::Invalid(Localized::new(
            format!(
                "CTE {name}의 열 이름 {}개와 결과 열 {}개의 수가 다릅니다",
                columns.len(),
                labels.len()
            ),
            format!(
                "CTE {name} names {} columns but its query returns {}",
                columns.len(),
                labels.len()
            ),
        )));
    }
    Ok(columns.to_vec())
}

/// Creates a hidden table holding `rows`, typed by each column's first non-NULL value.
pub fn store_rows(
    storage: &mut MemoryStorage,
    table: &str,
    labels: &[String],
    rows: Vec<Vec<Value>>,
) -> Result<(), SqlError> {
    let column_defs = labels
        .iter()
        .enumerate()
        .map(|(i, name)| ColumnDef {
            name: name.clone(),
            data_type: rows
                .iter()
                .find_map(|r| r.get(i).and_then(Value::get_type))
                .unwrap_or(DataType::Text),
            nullable: true,
            default: None,
            unique: None,
            comment: None,
        })
        .collect();
    let schema = Schema {
        table_name: table.to_owned(),
        column_defs: Some(column_defs),
        indexes: vec![],
        engine: None,
        foreign_keys: vec![],
        comment: None,
    };
    storage
        .insert_schema(&schema)
        .and_then(|()| storage.append_data(table, rows))
        .map_err(|e| SqlError::Engine(e.to_string()))
}

impl Engine {
    /// Evaluates `WITH RECURSIVE name AS (anchor UNION [ALL] step)`.
    ///
    /// A CTE of a `WITH RECURSIVE` list that does not refer to itself is evaluated once.
    pub(super) fn run_recursive_cte(
        &mut self,
        name: &str,
        columns: &[String],
        query: Query,
        scope: &NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<(Vec<String>, Vec<Vec<Value>>), SqlError> {
        let Query { with, body, .. } = &query;
        let SetExpr::SetOperation {
            op: SetOperator::Union,
            set_quantifier,
            left,
            right,
        } = body.as_ref()
        else {
            let (labels, rows) = self.run_query(query, scope, now)?;
            return Ok((rename_labels(name, labels, columns)?, rows));
        };
        if with.is_some() || !refers_to(right, name) {
            let (labels, rows) = self.run_query(query, scope, now)?;
            return Ok((rename_labels(name, labels, columns)?, rows));
        }
        let distinct = !matches!(set_quantifier, SetQuantifier::All);
        let anchor = Query {
            body: left.clone(),
            ..empty_query()
        };
        let (labels, mut all) = self.run_query(anchor, scope, now)?;
        let labels = rename_labels(name, labels, columns)?;
        let mut seen: HashSet<String> = HashSet::new();
        if distinct {
            all.retain(|r| seen.insert(row_key(r)));
        }
        if let Some(log) = self.recursion_log.as_mut() {
            log.labels = labels.clone();
            log.anchor = all.clone();
        }
        let mut working = all.clone();
        let mut iterations = 0;
        while !working.is_empty() {
            iterations += 1;
            if iterations > MAX_RECURSION_ITERATIONS {
                return Err(recursion_limit(
                    name,
                    "iterations",
                    MAX_RECURSION_ITERATIONS,
                ));
            }
            let table = self.materialise(name, &labels, std::mem::take(&mut working))?;
            temps.push(table.clone());
            let mut step_scope = scope.clone();
            step_scope.ctes.insert(name.to_lowercase(), table.clone());
            let step = Query {
                body: right.clone(),
                ..empty_query()
            };
            let result = self.run_query(step, &step_scope, now);
            self.drop_hidden(&table);
            temps.retain(|t| *t != table);
            let (_, mut new_rows) = result?;
            if distinct {
                new_rows.retain(|r| seen.insert(row_key(r)));
            }
            if all.len() + new_rows.len() > MAX_RECURSION_ROWS {
                return Err(recursion_limit(name, "rows", MAX_RECURSION_ROWS));
            }
            if let Some(log) = self.recursion_log.as_mut() {
                log.iterations.push(new_rows.clone());
            }
            all.extend(new_rows.iter().cloned());
            working = new_rows;
        }
        Ok((labels, all))
    }
}

fn recursion_limit(name: &str, what: &str, n: usize) -> SqlError {
    SqlError::Limit(format!(
        "recursive CTE {name} passed {n} {what}; add a stopping condition to its recursive part"
    ))
}

fn row_key(row: &[Value]) -> String {
    format!("{row:?}")
}

/// True when a query part names `name` as a table anywhere inside it.
fn refers_to(body: &SetExpr, name: &str) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_relations(body, |rel| {
        if rel.0.len() == 1 && rel.0[0].value.eq_ignore_ascii_case(name) {
            found = true;
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}
