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
use sqlparser::ast::{
    JoinConstraint, JoinOperator, Query, SelectItem, SetExpr, SetOperator, SetQuantifier,
    TableFactor, TableWithJoins,
};
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
        // The step reads its own rows first and joins the other table to them, and the
        // other table's hash build is made once for every level (the tables stored now do
        // not change while the recursion runs): a level's work is then its own rows', not the
        // whole table's again. The guard ends the caching whichever way this returns.
        let right = if self.optimise {
            drive_from_self(right, name)
        } else {
            right.clone()
        };
        let stable: Vec<String> = if !self.optimise || draws_anew(&right) {
            vec![]
        } else {
            self.storage.items.keys().cloned().collect()
        };
        let _builds = gluesql_core::executor::JoinBuildCache::start(stable);
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

/// The recursive step with its own table read first, when it is a plain inner join of one
/// other table and itself (`FROM t JOIN name ON …` or `FROM t, name`) and its columns are
/// named (a `*` would change their order): GlueSQL hashes the table joined second, so the
/// other table is the one hashed, once (see `JoinBuildCache`), and each level only reads its
/// own new rows. Any other step is returned as it is.
fn drive_from_self(step: &SetExpr, name: &str) -> Box<SetExpr> {
    let mut step = Box::new(step.clone());
    let SetExpr::Select(sel) = step.as_mut() else {
        return step;
    };
    let is_self = |f: &TableFactor| {
        matches!(f, TableFactor::Table { name: n, args: None, .. }
            if n.0.len() == 1 && n.0[0].value.eq_ignore_ascii_case(name))
    };
    let plain = |f: &TableFactor| matches!(f, TableFactor::Table { args: None, .. });
    let named_columns = sel.projection.iter().all(|item| {
        matches!(
            item,
            SelectItem::UnnamedExpr(_) | SelectItem::ExprWithAlias { .. }
        )
    });
    if !named_columns {
        return step;
    }
    match sel.from.as_mut_slice() {
        [TableWithJoins { relation, joins }]
            if joins.len() == 1
                && matches!(
                    joins[0].join_operator,
                    JoinOperator::Inner(JoinConstraint::On(_))
                )
                && plain(relation)
                && !is_self(relation)
                && is_self(&joins[0].relation) =>
        {
            std::mem::swap(relation, &mut joins[0].relation);
        }
        [a, b]
            if a.joins.is_empty()
                && b.joins.is_empty()
                && plain(&a.relation)
                && !is_self(&a.relation)
                && is_self(&b.relation) =>
        {
            std::mem::swap(a, b);
        }
        _ => {}
    }
    step
}

/// True when a query part calls a function that gives a new value each call (`RAND()`,
/// `UUID()`): a hash build that holds one must not be reused.
fn draws_anew(body: &SetExpr) -> bool {
    crate::walk::exprs(body, |e| match e {
        sqlparser::ast::Expr::Function(f)
            if f.name.0.last().is_some_and(|n| {
                ["RAND", "UUID", "UUID_SHORT"]
                    .iter()
                    .any(|r| n.value.eq_ignore_ascii_case(r))
            }) =>
        {
            std::ops::ControlFlow::Break(())
        }
        _ => std::ops::ControlFlow::Continue(()),
    })
    .is_break()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn body(sql: &str) -> Box<SetExpr> {
        match crate::dialect::parse_mysql(sql).expect("parses").pop() {
            Some(sqlparser::ast::Statement::Query(q)) => q.body,
            other => panic!("not a query: {other:?}"),
        }
    }

    fn step(sql: &str) -> String {
        drive_from_self(&body(sql), "chain").to_string()
    }

    #[test]
    fn the_step_reads_its_own_rows_first_when_that_keeps_its_answer() {
        assert_eq!(
            step("SELECT e.id, c.d + 1 FROM emp e JOIN chain c ON e.boss = c.id"),
            "SELECT e.id, c.d + 1 FROM chain AS c JOIN emp AS e ON e.boss = c.id"
        );
        assert_eq!(
            step("SELECT e.id FROM emp e, CHAIN c WHERE e.boss = c.id"),
            "SELECT e.id FROM CHAIN AS c, emp AS e WHERE e.boss = c.id"
        );
        for kept in [
            // `*` would put the columns in another order.
            "SELECT * FROM emp e JOIN chain c ON e.boss = c.id",
            "SELECT e.* FROM emp e JOIN chain c ON e.boss = c.id",
            // Outer joins are not symmetric; three tables are left to the planner.
            "SELECT e.id FROM emp e LEFT JOIN chain c ON e.boss = c.id",
            "SELECT e.id FROM emp e JOIN chain c ON e.boss = c.id JOIN x ON x.a = e.id",
            "SELECT id FROM chain WHERE id < 3",
            "SELECT c.id FROM chain c JOIN emp e ON e.boss = c.id",
        ] {
            assert_eq!(step(kept), body(kept).to_string(), "{kept}");
        }
    }

    #[test]
    fn a_step_that_draws_random_numbers_keeps_no_build() {
        assert!(draws_anew(&body(
            "SELECT e.id FROM emp e JOIN chain c ON e.boss = c.id WHERE RAND() < 0.5"
        )));
        assert!(!draws_anew(&body(
            "SELECT e.id FROM emp e JOIN chain c ON e.boss = c.id WHERE e.id < 5"
        )));
    }
}
