//! Handing statements to GlueSQL: the dialect rewrites, translate → plan → execute, and
//! GlueSQL's payloads and hidden tables as the layer uses them.

use crate::convert::{columns_of, type_name, value_to_cell};
use crate::dialect::{self, NameResolver, RewriteEnv};
use crate::error::SqlError;
use crate::query::Rows;
use crate::{Engine, Executed};
use gluesql_core::data::Value;
use gluesql_core::executor::{execute, rand_state, set_host_functions, set_rand_state, Payload};
use gluesql_core::store::Planner;
use gluesql_core::translate::translate;
use gluesql_memory_storage::MemoryStorage;
use sqlnori_model::{Cell, Column, Output};
use sqlparser::ast::{Query, Statement as SqlStatement};
use std::collections::BTreeSet;

impl Engine {
    /// The dialect rewrites of one statement, in the scope of `names`.
    pub(crate) fn rewrite(
        &mut self,
        stmt: &mut SqlStatement,
        names: &NameResolver,
        now: &str,
    ) -> Result<(), SqlError> {
        let (columns, tables) = column_catalog(&self.storage);
        let enums = self.enum_columns(&tables);
        let mut env = RewriteEnv {
            names,
            now,
            columns: &columns,
            tables: &tables,
            plan_joins: self.optimise,
            enums: &enums,
        };
        dialect::rewrite_statement(stmt, &mut env)
    }

    /// The ENUM columns as the learner declared them: lower-case name → members, for names
    /// that are an ENUM (with the same members) wherever they appear.
    pub(crate) fn enum_columns(
        &self,
        tables: &dialect::TableColumns,
    ) -> std::collections::HashMap<String, Vec<String>> {
        let mut found: std::collections::HashMap<String, Option<Vec<String>>> =
            std::collections::HashMap::new();
        for (storage, names) in tables {
            let declared = self.state.declared_types.get(storage);
            for (i, name) in names.iter().enumerate() {
                let members = declared
                    .and_then(|d| d.get(i))
                    .and_then(|t| crate::lesson::enum_members(t));
                let entry = found.entry(name.clone()).or_insert_with(|| members.clone());
                if *entry != members {
                    *entry = None;
                }
            }
        }
        found
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    /// Rewrites a statement the learner wrote and hands it to GlueSQL.
    pub(crate) fn run_glue(&mut self, mut stmt: SqlStatement, now: &str) -> Executed {
        let resolver = self.resolver();
        retarget_statement(&mut stmt, &resolver)?;
        // A subquery in an UPDATE's or DELETE's WHERE that does not depend on the row is
        // computed once.
        match &mut stmt {
            SqlStatement::Update {
                selection: Some(e), ..
            }
            | SqlStatement::Delete(sqlparser::ast::Delete {
                selection: Some(e), ..
            }) if self.optimise => self.inline_in(e, &resolver, now),
            _ => {}
        }
        self.rewrite(&mut stmt, &resolver, now)?;
        self.refuse_infinite_update(&stmt)?;
        let payload = self.glue_execute(&stmt)?;
        Ok((payload_output(payload), vec![]))
    }

    /// MySQL refuses to store a DOUBLE out of range (`SET x = EXP(1000)`: error 1690); GlueSQL
    /// would store an infinity. The values an UPDATE computes are computed first, read-only,
    /// when they are more than literals and columns (and draw no random numbers, which must be
    /// drawn once).
    fn refuse_infinite_update(&mut self, stmt: &SqlStatement) -> Result<(), SqlError> {
        let SqlStatement::Update {
            table,
            assignments,
            from: None,
            selection,
            ..
        } = stmt
        else {
            return Ok(());
        };
        use sqlparser::ast::Expr;
        let computed: Vec<&Expr> = assignments
            .iter()
            .map(|a| &a.value)
            .filter(|e| {
                !matches!(
                    e,
                    Expr::Value(_) | Expr::Identifier(_) | Expr::CompoundIdentifier(_)
                )
            })
            .collect();
        if computed.is_empty() || computed.iter().any(|e| dialect::build::calls(e, "RAND")) {
            return Ok(());
        }
        let projection = computed
            .iter()
            .map(|e| sqlparser::ast::SelectItem::UnnamedExpr((*e).clone()))
            .collect();
        let query =
            dialect::build::select_query(projection, vec![table.clone()], selection.clone());
        let payload = self.glue_execute(&SqlStatement::Query(Box::new(query)))?;
        refuse_infinite(&payload)
    }

    /// GlueSQL's own pipeline, for a statement already in its terms. Its `RAND()` draws from
    /// the session's seeded sequence, which moves on by the numbers drawn.
    pub(crate) fn glue_execute(&mut self, stmt: &SqlStatement) -> Result<Payload, SqlError> {
        let translated = translate(stmt).map_err(SqlError::from_glue)?;
        let plan = self
            .storage
            .plan(translated.into())
            .map_err(SqlError::from_glue)?;
        set_rand_state(Some(self.state.rng.state));
        // The MySQL built-ins GlueSQL lacks, evaluated by the layer (builtins.rs).
        set_host_functions(Some(crate::builtins::call));
        gluesql_core::executor::set_strict(self.strict);
        let outcome = execute(&mut self.storage, &plan).map_err(SqlError::from_glue);
        gluesql_core::executor::set_strict(false);
        if let Some(state) = rand_state() {
            self.state.rng.state = state;
        }
        set_rand_state(None);
        outcome
    }

    /// Hands one query to GlueSQL as it is (after the dialect rewrites).
    pub(crate) fn glue_query(
        &mut self,
        mut q: Query,
        names: &NameResolver,
        now: &str,
    ) -> Result<Rows, SqlError> {
        dialect::rewrite::label_unnamed_columns(&mut q);
        let mut stmt = SqlStatement::Query(Box::new(q));
        self.rewrite(&mut stmt, names, now)?;
        match self.glue_execute(&stmt)? {
            Payload::Select { labels, rows } => Ok((labels, rows)),
            Payload::SelectMap(maps) => {
                let labels: Vec<String> = maps
                    .iter()
                    .flat_map(|m| m.keys().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let rows = maps
                    .iter()
                    .map(|m| {
                        labels
                            .iter()
                            .map(|l| m.get(l).cloned().unwrap_or(Value::Null))
                            .collect()
                    })
                    .collect();
                Ok((labels, rows))
            }
            other => Err(SqlError::Engine(format!("a query returned {other:?}"))),
        }
    }

    pub(crate) fn drop_hidden(&mut self, storage: &str) {
        self.storage.items.remove(storage);
    }

    /// Stores rows under a hidden table so GlueSQL can read them as a table.
    pub(crate) fn materialise(
        &mut self,
        name: &str,
        labels: &[String],
        rows: Vec<Vec<Value>>,
    ) -> Result<String, SqlError> {
        self.state.temp_counter += 1;
        let storage = format!("__cte{}_{}", self.state.temp_counter, name);
        crate::cte::store_rows(&mut self.storage, &storage, labels, rows)?;
        Ok(storage)
    }
}

/// Every column name of every stored table, for case-insensitive column names, and each
/// table's columns (lower case), for planning joins.
pub(crate) fn column_catalog(
    storage: &MemoryStorage,
) -> (dialect::ColumnCatalog, dialect::TableColumns) {
    let mut catalog = dialect::ColumnCatalog::new();
    let mut tables = dialect::TableColumns::new();
    for (name, item) in &storage.items {
        let defs = item.schema.column_defs.iter().flatten();
        tables.insert(
            name.clone(),
            defs.clone().map(|c| c.name.to_lowercase()).collect(),
        );
        for c in defs {
            catalog
                .entry(c.name.to_lowercase())
                .and_modify(|seen| {
                    if seen.as_deref() != Some(c.name.as_str()) {
                        *seen = None;
                    }
                })
                .or_insert_with(|| Some(c.name.clone()));
        }
    }
    (catalog, tables)
}

pub(crate) fn affected(verb: &str, n: u64) -> Output {
    Output::Affected {
        verb: verb.to_owned(),
        affected: n,
    }
}

/// Rows the layer made itself (SHOW, DESCRIBE), all text.
pub(crate) fn text_rows(names: &[&str], rows: Vec<Vec<Cell>>) -> Output {
    Output::Rows {
        columns: names
            .iter()
            .map(|n| Column {
                name: (*n).to_owned(),
                data_type: "TEXT".to_owned(),
            })
            .collect(),
        rows,
    }
}

fn payload_output(p: Payload) -> Output {
    match p {
        Payload::Select { labels, rows } => Output::Rows {
            columns: columns_of(&labels, &rows),
            rows: rows
                .iter()
                .map(|r| r.iter().map(value_to_cell).collect())
                .collect(),
        },
        Payload::ShowColumns(cols) => text_rows(
            &["Field", "Type"],
            cols.into_iter()
                .map(|(n, t)| vec![Cell::Text(n), Cell::Text(type_name(&t).to_owned())])
                .collect(),
        ),
        Payload::Insert(n) => affected("INSERT", n as u64),
        Payload::Delete(n) => affected("DELETE", n as u64),
        Payload::Update(n) => affected("UPDATE", n as u64),
        Payload::DropTable(n) => affected("DROP TABLE", n as u64),
        Payload::Create => affected("CREATE", 0),
        Payload::AlterTable => affected("ALTER TABLE", 0),
        Payload::CreateIndex => affected("CREATE INDEX", 0),
        Payload::DropIndex => affected("DROP INDEX", 0),
        Payload::DropFunction => affected("DROP FUNCTION", 0),
        Payload::StartTransaction => affected("BEGIN", 0),
        Payload::Commit => affected("COMMIT", 0),
        Payload::Rollback => affected("ROLLBACK", 0),
        Payload::SelectMap(_) | Payload::ShowVariable(_) => affected("OK", 0),
    }
}

/// Gives a statement's own target tables (not those inside its queries) their storage names.
fn retarget_statement(stmt: &mut SqlStatement, names: &NameResolver) -> Result<(), SqlError> {
    match stmt {
        SqlStatement::AlterTable { name, .. }
        | SqlStatement::CreateIndex(sqlparser::ast::CreateIndex {
            table_name: name, ..
        }) => {
            *name = NameResolver::storage_object(&names.resolve(name)?);
        }
        SqlStatement::Truncate { table_names, .. } => {
            for t in table_names {
                t.name = NameResolver::storage_object(&names.resolve(&t.name)?);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Error 1690 when a computed value is a DOUBLE out of range (an infinity or NaN).
pub(crate) fn refuse_infinite(payload: &Payload) -> Result<(), SqlError> {
    if let Payload::Select { rows, .. } = payload {
        let bad = rows.iter().flatten().any(|v| match v {
            gluesql_core::data::Value::F64(f) => !f.is_finite(),
            gluesql_core::data::Value::F32(f) => !f.is_finite(),
            _ => false,
        });
        if bad {
            return Err(SqlError::Invalid(sqlnori_model::Localized::new(
                "DOUBLE 값이 범위를 벗어나 저장할 수 없습니다 (MySQL 오류 1690)",
                "DOUBLE value is out of range and cannot be stored (MySQL error 1690)",
            )));
        }
    }
    Ok(())
}
