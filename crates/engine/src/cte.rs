//! Common table expressions: each CTE's rows are materialised into a hidden table that later
//! parts of the statement read by name; a recursive CTE iterates to a fixpoint.

use crate::dialect::build::empty_query;
use crate::dialect::NameResolver;
use crate::error::SqlError;
use crate::query::Rows;
use crate::Engine;
use gluesql_core::ast::{ColumnDef, DataType};
use gluesql_core::data::{Key, Schema, Value};
use gluesql_memory_storage::{Item, MemoryStorage};
use sqlnori_model::Localized;
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
    // Straight into the storage: a hidden table needs none of GlueSQL's table metadata.
    let rows = rows
        .into_iter()
        .map(|row| {
            storage.id_counter += 1;
            (Key::I64(storage.id_counter), row)
        })
        .collect();
    storage
        .items
        .insert(table.to_owned(), Item { schema, rows });
    Ok(())
}

/// One CTE of a `WITH`, as the learner wrote it.
pub(crate) struct CteDef {
    pub name: String,
    /// The column list of `WITH t (a, b) AS …` (empty: the query's own labels).
    pub columns: Vec<String>,
    pub query: Query,
    pub recursive: bool,
}

impl Engine {
    /// Runs a query, materialising its CTEs first.
    pub(crate) fn run_query(
        &mut self,
        q: Query,
        outer: &NameResolver,
        now: &str,
    ) -> Result<Rows, SqlError> {
        if q.with.is_none() {
            return self.run_plain_query(q, outer, now);
        }
        self.with_ctes(
            q,
            outer,
            &mut (),
            |engine, (), cte, scope, temps| engine.run_cte(cte, scope, now, temps),
            |engine, (), body, scope| engine.run_plain_query(body, scope, now),
        )
    }

    /// One CTE's rows: run once, or iterated to a fixpoint when it is recursive.
    fn run_cte(
        &mut self,
        cte: CteDef,
        scope: &NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        if cte.recursive {
            return self.run_recursive_cte(&cte.name, &cte.columns, cte.query, scope, now, temps);
        }
        let (labels, rows) = self.run_query(cte.query, scope, now)?;
        Ok((rename_labels(&cte.name, labels, &cte.columns)?, rows))
    }

    /// The frame of every `WITH`: each CTE in turn is evaluated by `cte` and stored as a
    /// hidden table the later CTEs and the body read by name; then `body` runs the query
    /// without its `WITH`. The hidden tables are dropped afterwards, whatever happened.
    /// `ctx` is handed to both (the tracer's steps).
    pub(crate) fn with_ctes<C, T>(
        &mut self,
        mut q: Query,
        outer: &NameResolver,
        ctx: &mut C,
        mut cte: impl FnMut(
            &mut Engine,
            &mut C,
            CteDef,
            &NameResolver,
            &mut Vec<String>,
        ) -> Result<Rows, SqlError>,
        body: impl FnOnce(&mut Engine, &mut C, Query, &NameResolver) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        let with = q.with.take();
        let mut scope = outer.clone();
        let mut temps = Vec::new();
        let run = || {
            for table in with.into_iter().flat_map(|w| {
                let recursive = w.recursive;
                w.cte_tables.into_iter().map(move |t| (t, recursive))
            }) {
                let (table, recursive) = table;
                let def = CteDef {
                    name: table.alias.name.value.clone(),
                    columns: table
                        .alias
                        .columns
                        .iter()
                        .map(|c| c.value.clone())
                        .collect(),
                    query: *table.query,
                    recursive,
                };
                let name = def.name.clone();
                let (labels, rows) = cte(self, ctx, def, &scope, &mut temps)?;
                let storage = self.materialise(&name, &labels, rows)?;
                temps.push(storage.clone());
                scope.ctes.insert(name.to_lowercase(), storage);
            }
            body(self, ctx, q, &scope)
        };
        let result = run();
        for t in temps {
            self.drop_hidden(&t);
        }
        result
    }

    /// Evaluates `WITH RECURSIVE name AS (anchor UNION [ALL] step)`.
    ///
    /// A CTE of a `WITH RECURSIVE` list that does not refer to itself is evaluated once.
    pub(crate) fn run_recursive_cte(
        &mut self,
        name: &str,
        columns: &[String],
        query: Query,
        scope: &NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
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
    let ko = if what == "rows" { "행" } else { "번 반복" };
    SqlError::Limit(sqlnori_model::Localized::new(
        format!(
            "{} {} 넘었습니다. 재귀 부분에 멈추는 조건(WHERE …)을 넣으세요",
            sqlnori_model::korean::i(&format!("재귀 CTE {name}")),
            sqlnori_model::korean::eul(&format!("{n}{ko}"))
        ),
        format!(
            "recursive CTE {name} passed {n} {what}; add a stopping condition to its recursive part"
        ),
    ))
}

fn row_key(row: &[Value]) -> String {
    // As UNION deduplicates: equal numbers and texts equal under the collation are one row.
    crate::window::group_key(&row.iter().collect::<Vec<_>>())
}

/// True when a query part names `name` as a table anywhere inside it.
fn refers_to(body: &SetExpr, name: &str) -> bool {
    let mut found = false;
    let _ = crate::walk::relations(body, |rel| {
        if rel.0.len() == 1 && rel.0[0].value.eq_ignore_ascii_case(name) {
            found = true;
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}
