//! The engine façade: the only place that names GlueSQL types.
//!
//! A statement goes: parse (MySQL dialect) → the layer's own statements (databases,
//! transactions, SHOW/DESCRIBE) or rewrite → GlueSQL translate → plan → execute → [`Output`].
//! What GlueSQL cannot do in one statement (CTEs, recursive CTEs, `INSERT … SELECT` with
//! AUTO_INCREMENT) is orchestrated here by materialising intermediate rows into hidden tables.

mod convert;
mod cte;
mod ddl;
mod dump;
mod query;
mod snapshot;
mod trace;
mod window;

pub use snapshot::{Snapshot, SNAPSHOT_VERSION};

use crate::dialect::build::{empty_query, literal_i64, num};
use crate::dialect::{self, NameResolver, RewriteEnv, TableRef, AUTO_INCREMENT};
use crate::error::{Localized, SqlError};
use crate::result::{Cell, Column, Output, StatementError, StatementResult};
use crate::rng::SeededRng;
use crate::split::{split_script, ScriptStatement};
use convert::{columns_of, type_name, value_to_cell, value_to_expr};
use gluesql_core::data::Value;
use gluesql_core::executor::{execute, Payload};
use gluesql_core::store::{Planner, Store};
use gluesql_core::translate::translate;
use gluesql_memory_storage::MemoryStorage;
use serde::{Deserialize, Serialize};
use sqlparser::ast::{
    ColumnOption, Expr, Ident, ObjectName, ObjectType, Query, SetExpr, ShowStatementFilter,
    Statement as SqlStatement, Value as SqlValue, Values,
};
use std::collections::{BTreeMap, BTreeSet};

/// Where time comes from. The core never reads a clock itself, so runs are reproducible.
pub trait Clock {
    /// Wall-clock milliseconds since the Unix epoch (UTC).
    fn now_epoch_ms(&self) -> i64;
    /// A monotonic reading in milliseconds, for elapsed times.
    fn monotonic_ms(&self) -> f64;
}

/// A clock that stands still: for tests and reproducible fixtures.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    pub epoch_ms: i64,
}

impl Clock for FixedClock {
    fn now_epoch_ms(&self) -> i64 {
        self.epoch_ms
    }
    fn monotonic_ms(&self) -> f64 {
        0.0
    }
}

/// How a session's engine starts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EngineOptions {
    /// Seed of `RAND()` and of generated example rows.
    pub seed: u64,
    /// Minutes east of UTC for `NOW()`; Asia/Seoul (+9:00) by default.
    pub tz_offset_minutes: i32,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            seed: 20_250_301,
            tz_offset_minutes: 9 * 60,
        }
    }
}

/// The AUTO_INCREMENT counter of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoIncrement {
    pub column: String,
    /// The next value MySQL would hand out.
    pub next: i64,
}

/// What the layer keeps beside GlueSQL's tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerState {
    pub current_db: String,
    pub databases: BTreeSet<String>,
    /// Storage table name → counter.
    pub auto_increment: BTreeMap<String, AutoIncrement>,
    /// Storage table name → the column types as the learner declared them (`VARCHAR(100)`).
    pub declared_types: BTreeMap<String, Vec<String>>,
    pub rng: SeededRng,
    pub tz_offset_minutes: i32,
    /// Counter for hidden tables' names.
    pub temp_counter: u64,
    /// Storage name of each view → its query, as the learner wrote it.
    #[serde(default)]
    pub views: BTreeMap<String, String>,
}

/// A table as the schema sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub database: String,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub row_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
}

/// Options of one run of a script.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Keep going after a failing statement.
    pub force: bool,
}

/// A session's database: GlueSQL's memory storage plus the dialect layer's state.
#[derive(Debug, Clone)]
pub struct Engine {
    storage: MemoryStorage,
    state: LayerState,
    /// The state at `BEGIN`, restored by `ROLLBACK`.
    transaction: Option<Box<(MemoryStorage, LayerState)>>,
    /// While tracing a recursive CTE: its anchor and iterations.
    recursion_log: Option<trace::RecursionLog>,
}

/// What executing one parsed statement gave.
type Executed = Result<(Output, Vec<Localized>), SqlError>;

impl Engine {
    /// An empty engine with one database, `default_db`, selected.
    pub fn new(options: &EngineOptions, default_db: &str) -> Self {
        let mut databases = BTreeSet::new();
        databases.insert(default_db.to_owned());
        Self {
            storage: MemoryStorage::default(),
            state: LayerState {
                current_db: default_db.to_owned(),
                databases,
                auto_increment: BTreeMap::new(),
                declared_types: BTreeMap::new(),
                rng: SeededRng::new(options.seed),
                tz_offset_minutes: options.tz_offset_minutes,
                temp_counter: 0,
                views: BTreeMap::new(),
            },
            transaction: None,
            recursion_log: None,
        }
    }

    pub fn current_database(&self) -> &str {
        &self.state.current_db
    }

    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Runs a whole script, stopping at the first failure unless `options.force`.
    pub fn run_script(
        &mut self,
        script: &str,
        options: RunOptions,
        clock: &dyn Clock,
    ) -> Vec<StatementResult> {
        let mut out = Vec::new();
        for stmt in split_script(script) {
            let r = self.run_statement(&stmt, clock);
            let failed = !r.is_ok();
            out.push(r);
            if failed && !options.force {
                break;
            }
        }
        out
    }

    /// Runs one statement of a script (see [`split_script`]).
    pub fn run_statement(&mut self, stmt: &ScriptStatement, clock: &dyn Clock) -> StatementResult {
        let started = clock.monotonic_ms();
        let executed = self.execute_text(&stmt.sql, clock);
        let elapsed_ms = (clock.monotonic_ms() - started).max(0.0);
        let (outcome, notes) = match executed {
            Ok((output, notes)) => (Ok(output), notes),
            Err(e) => (Err(place_error(&e, stmt)), vec![]),
        };
        StatementResult {
            sql: stmt.sql.clone(),
            span: stmt.span,
            outcome,
            notes,
            elapsed_ms,
        }
    }

    fn execute_text(&mut self, sql: &str, clock: &dyn Clock) -> Executed {
        if let Some(verb) = ddl::account_statement(sql) {
            return Ok((affected(verb, 0), vec![ddl::account_note()]));
        }
        let now = self.local_now(clock);
        let mut statements = match dialect::parse_mysql(sql) {
            Ok(s) => s,
            // Forms sqlparser 0.52 does not parse, read with its parser by the layer.
            Err(e) => {
                if let Some(stmt) = ddl::insert_set(sql) {
                    vec![stmt?]
                } else if let Some(pairs) = ddl::rename_table(sql) {
                    return self.rename_tables(&pairs?);
                } else {
                    return Err(e);
                }
            }
        };
        if statements.len() != 1 {
            return Err(SqlError::Invalid(Localized::new(
                "한 번에 한 문장씩 실행합니다",
                "one statement at a time",
            )));
        }
        let stmt = statements.remove(0);
        self.execute_statement(stmt, &now)
    }

    /// The session's local time, `YYYY-MM-DD HH:MM:SS`.
    fn local_now(&self, clock: &dyn Clock) -> String {
        let ms = clock
            .now_epoch_ms()
            .saturating_add(i64::from(self.state.tz_offset_minutes) * 60_000);
        gluesql_core::chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "1970-01-01 00:00:00".to_owned())
    }

    fn resolver(&self) -> NameResolver {
        NameResolver {
            current_db: self.state.current_db.clone(),
            ..NameResolver::default()
        }
    }

    fn execute_statement(&mut self, stmt: SqlStatement, now: &str) -> Executed {
        match stmt {
            SqlStatement::CreateDatabase {
                db_name,
                if_not_exists,
                ..
            } => self.create_database(&db_name, if_not_exists),
            SqlStatement::CreateSchema {
                schema_name,
                if_not_exists,
            } => {
                let name = ObjectName(vec![Ident::new(schema_name.to_string())]);
                self.create_database(&name, if_not_exists)
            }
            SqlStatement::Use(u) => self.use_database(&u),
            SqlStatement::Drop {
                object_type: ObjectType::Schema | ObjectType::Database,
                names,
                if_exists,
                ..
            } => self.drop_databases(&names, if_exists),
            SqlStatement::StartTransaction { .. } => {
                self.begin();
                Ok((affected("BEGIN", 0), vec![]))
            }
            SqlStatement::Commit { .. } => {
                self.transaction = None;
                Ok((affected("COMMIT", 0), vec![]))
            }
            SqlStatement::Rollback { savepoint: None, .. } => {
                let note = self.rollback();
                Ok((affected("ROLLBACK", 0), note.into_iter().collect()))
            }
            SqlStatement::ShowDatabases { filter } => self.show_databases(filter.as_ref()),
            SqlStatement::ShowTables { db_name, .. } => self.show_tables(db_name.as_ref()),
            SqlStatement::ExplainTable { table_name, .. } => self.describe(&table_name),
            SqlStatement::Grant { .. }
            | SqlStatement::Revoke { .. }
            | SqlStatement::CreateRole { .. } => Ok((
                affected("GRANT", 0),
                vec![Localized::new(
                    "권한 문장은 받아들였지만 실제 권한은 아직 흉내 내지 않습니다 (모든 사용자가 모든 권한을 가집니다)",
                    "privilege statements are accepted but not simulated yet: every user keeps every privilege",
                )],
            )),
            SqlStatement::Query(q) => {
                let (labels, rows) = self.run_query(*q, &self.resolver(), now)?;
                let columns = columns_of(&labels, &rows);
                let rows = rows
                    .iter()
                    .map(|r| r.iter().map(value_to_cell).collect())
                    .collect();
                Ok((Output::Rows { columns, rows }, vec![]))
            }
            SqlStatement::Insert(ins) => self.insert(ins, now),
            SqlStatement::CreateView {
                name,
                query,
                or_replace,
                ..
            } => self.create_view(&name, &query, or_replace),
            SqlStatement::Drop {
                object_type: ObjectType::View,
                names,
                if_exists,
                ..
            } => self.drop_views(&names, if_exists),
            SqlStatement::Truncate { table_names, .. } => {
                let names: Vec<ObjectName> = table_names.into_iter().map(|t| t.name).collect();
                self.truncate(&names)
            }
            SqlStatement::AlterTable {
                name, operations, ..
            } => self.alter_table(&name, operations, now),
            SqlStatement::CreateTable(ct) => self.create_table(ct),
            SqlStatement::Drop {
                object_type: ObjectType::Table,
                names,
                if_exists,
                cascade,
                restrict,
                purge,
                temporary,
            } => {
                let resolver = self.resolver();
                let tables = names
                    .iter()
                    .map(|n| resolver.resolve(n))
                    .collect::<Result<Vec<_>, _>>()?;
                let stmt = SqlStatement::Drop {
                    object_type: ObjectType::Table,
                    names: tables.iter().map(NameResolver::storage_object).collect(),
                    if_exists,
                    cascade,
                    restrict,
                    purge,
                    temporary,
                };
                let out = self.run_glue(stmt, now)?;
                for t in &tables {
                    self.state.auto_increment.remove(&t.storage);
                    self.state.declared_types.remove(&t.storage);
                }
                Ok(out)
            }
            other => self.run_glue(other, now),
        }
    }

    /// Rewrites and hands a statement to GlueSQL.
    fn run_glue(&mut self, mut stmt: SqlStatement, now: &str) -> Executed {
        let resolver = self.resolver();
        retarget_statement(&mut stmt, &resolver)?;
        let columns = column_catalog(&self.storage);
        let mut env = RewriteEnv {
            names: &resolver,
            rng: &mut self.state.rng,
            now,
            columns: &columns,
        };
        dialect::rewrite_statement(&mut stmt, &mut env)?;
        let payload = self.glue_execute(&stmt)?;
        Ok((payload_output(payload), vec![]))
    }

    fn glue_execute(&mut self, stmt: &SqlStatement) -> Result<Payload, SqlError> {
        let translated = translate(stmt).map_err(engine_error)?;
        let plan = self.storage.plan(translated.into()).map_err(engine_error)?;
        execute(&mut self.storage, &plan).map_err(engine_error)
    }

    /// Runs a query, materialising its CTEs first. Returns labels and rows.
    fn run_query(
        &mut self,
        mut q: Query,
        outer: &NameResolver,
        now: &str,
    ) -> Result<(Vec<String>, Vec<Vec<Value>>), SqlError> {
        let Some(with) = q.with.take() else {
            return self.run_plain_query(q, outer, now);
        };
        let mut scope = outer.clone();
        let mut temps = Vec::new();
        let result = (|| {
            for table in with.cte_tables {
                let name = table.alias.name.value.clone();
                let columns: Vec<String> = table
                    .alias
                    .columns
                    .iter()
                    .map(|c| c.value.clone())
                    .collect();
                let (labels, rows) = if with.recursive {
                    self.run_recursive_cte(&name, &columns, *table.query, &scope, now, &mut temps)?
                } else {
                    let (labels, rows) = self.run_query(*table.query, &scope, now)?;
                    (cte::rename_labels(&name, labels, &columns)?, rows)
                };
                let storage = self.materialise(&name, &labels, rows)?;
                temps.push(storage.clone());
                scope.ctes.insert(name.to_lowercase(), storage);
            }
            self.run_plain_query(q, &scope, now)
        })();
        for t in temps {
            self.drop_hidden(&t);
        }
        result
    }

    /// Hands one query to GlueSQL as it is (after the dialect rewrites).
    fn glue_query(
        &mut self,
        q: Query,
        names: &NameResolver,
        now: &str,
    ) -> Result<(Vec<String>, Vec<Vec<Value>>), SqlError> {
        let mut q = q;
        dialect::rewrite::label_unnamed_columns(&mut q);
        let mut stmt = SqlStatement::Query(Box::new(q));
        let columns = column_catalog(&self.storage);
        let mut env = RewriteEnv {
            names,
            rng: &mut self.state.rng,
            now,
            columns: &columns,
        };
        dialect::rewrite_statement(&mut stmt, &mut env)?;
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

    /// `INSERT`: MySQL's column-list semantics for `INSERT … SELECT` and AUTO_INCREMENT.
    fn insert(&mut self, mut ins: sqlparser::ast::Insert, now: &str) -> Executed {
        let resolver = self.resolver();
        let target = resolver.resolve(&ins.table_name)?;
        let schema = self.fetch_schema(&target)?;
        let all_columns: Vec<String> = schema.iter().map(|c| c.name.clone()).collect();
        let Some(source) = ins.source.take() else {
            return Err(SqlError::Unsupported {
                feature: "INSERT … SET".to_owned(),
                hint: Some(Localized::new(
                    "INSERT INTO t (a, b) VALUES (1, 2) 형태로 쓰세요",
                    "write INSERT INTO t (a, b) VALUES (1, 2)",
                )),
            });
        };
        // The rows to insert, as expressions: literal VALUES stay as written (GlueSQL checks
        // their types); a SELECT is run first and its values become literals.
        let mut rows: Vec<Vec<Expr>> = match *source.body {
            SetExpr::Values(v) if source.with.is_none() => {
                let mut stmt = SqlStatement::Query(Box::new(Query {
                    body: Box::new(SetExpr::Values(v)),
                    ..*source
                }));
                let columns = column_catalog(&self.storage);
                let mut env = RewriteEnv {
                    names: &resolver,
                    rng: &mut self.state.rng,
                    now,
                    columns: &columns,
                };
                dialect::rewrite_statement(&mut stmt, &mut env)?;
                match stmt {
                    SqlStatement::Query(q) => match *q.body {
                        SetExpr::Values(v) => v.rows,
                        _ => vec![],
                    },
                    _ => vec![],
                }
            }
            body => {
                let q = Query {
                    body: Box::new(body),
                    ..*source
                };
                let (_, values) = self.run_query(q, &resolver, now)?;
                values
                    .iter()
                    .map(|r| r.iter().map(value_to_expr).collect())
                    .collect::<Result<_, _>>()?
            }
        };
        let mut columns: Vec<String> = if ins.columns.is_empty() {
            all_columns.clone()
        } else {
            ins.columns.iter().map(|c| c.value.clone()).collect()
        };
        for (i, row) in rows.iter().enumerate() {
            if row.len() != columns.len() {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "{}번째 행의 값 개수({})가 열 개수({})와 다릅니다",
                        i + 1,
                        row.len(),
                        columns.len()
                    ),
                    format!(
                        "row {} has {} values for {} columns",
                        i + 1,
                        row.len(),
                        columns.len()
                    ),
                )));
            }
        }
        let mut counter = self.state.auto_increment.get(&target.storage).cloned();
        if let Some(ai) = counter.as_mut() {
            fill_auto_increment(ai, &mut columns, &mut rows);
        }
        let key = schema.iter().find(|c| c.primary_key).and_then(|pk| {
            columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(&pk.name))
                .map(|p| (pk.name.clone(), p))
        });
        let on_duplicate = match ins.on.take() {
            Some(sqlparser::ast::OnInsert::DuplicateKeyUpdate(a)) => Some(a),
            _ => None,
        };
        let verb = if ins.replace_into {
            "REPLACE"
        } else {
            "INSERT"
        };
        let mut count = rows.len() as u64;
        if let Some((pk, p)) = &key {
            if ins.replace_into || on_duplicate.is_some() {
                // Row by row, as MySQL does: an existing key is deleted (REPLACE, two rows
                // affected) or updated (ON DUPLICATE KEY UPDATE, two rows affected).
                let mut fresh = Vec::new();
                count = 0;
                for row in rows {
                    let exists = self.key_exists(&target.storage, pk, &row[*p])?;
                    if exists && ins.replace_into {
                        self.glue_sql(&format!(
                            "DELETE FROM `{}` WHERE `{pk}` = {}",
                            target.storage, row[*p]
                        ))?;
                        count += 1;
                    }
                    if exists && !ins.replace_into {
                        if let Some(assignments) = &on_duplicate {
                            self.update_duplicate(&target, pk, &columns, &row, assignments, now)?;
                            count += 2;
                        }
                        continue;
                    }
                    self.insert_rows(&target, &ins, &columns, vec![row])?;
                    fresh.push(());
                    count += 1;
                }
                if let Some(ai) = counter {
                    self.state.auto_increment.insert(target.storage, ai);
                }
                return Ok((affected(verb, count), vec![]));
            }
            let mut seen = BTreeSet::new();
            for row in &rows {
                let k = row[*p].to_string();
                if !seen.insert(k.clone()) {
                    // Like InnoDB, a failed INSERT keeps the AUTO_INCREMENT values it took.
                    if let Some(ai) = counter {
                        self.state.auto_increment.insert(target.storage, ai);
                    }
                    return Err(duplicate_key(&k));
                }
            }
        }
        self.insert_rows(&target, &ins, &columns, rows)?;
        if let Some(ai) = counter {
            self.state.auto_increment.insert(target.storage, ai);
        }
        Ok((affected(verb, count), vec![]))
    }

    fn insert_rows(
        &mut self,
        target: &TableRef,
        ins: &sqlparser::ast::Insert,
        columns: &[String],
        rows: Vec<Vec<Expr>>,
    ) -> Result<(), SqlError> {
        let mut ins = ins.clone();
        ins.replace_into = false;
        ins.on = None;
        ins.table_name = NameResolver::storage_object(target);
        ins.columns = columns.iter().map(|c| Ident::new(c.clone())).collect();
        ins.source = Some(Box::new(values_query(rows)));
        self.glue_execute(&SqlStatement::Insert(ins)).map(|_| ())
    }

    fn key_exists(&mut self, storage: &str, pk: &str, value: &Expr) -> Result<bool, SqlError> {
        let payload = self.glue_sql(&format!(
            "SELECT COUNT(*) FROM `{storage}` WHERE `{pk}` = {value}"
        ))?;
        Ok(match payload {
            Payload::Select { rows, .. } => rows
                .first()
                .and_then(|r| r.first())
                .is_some_and(|v| !matches!(v, Value::I64(0))),
            _ => false,
        })
    }

    /// `ON DUPLICATE KEY UPDATE a = VALUES(a) + 1` for the row whose key exists.
    fn update_duplicate(
        &mut self,
        target: &TableRef,
        pk: &str,
        columns: &[String],
        row: &[Expr],
        assignments: &[sqlparser::ast::Assignment],
        now: &str,
    ) -> Result<(), SqlError> {
        let key_pos = columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(pk))
            .unwrap_or(0);
        let mut sets = Vec::new();
        for a in assignments {
            let mut value = a.value.clone();
            let _ = sqlparser::ast::visit_expressions_mut(&mut value, |e: &mut Expr| {
                if let Expr::Function(f) = e {
                    if dialect::build::func_name(f) == "VALUES" {
                        if let Some([Expr::Identifier(col)]) =
                            dialect::build::plain_args(f).as_deref()
                        {
                            if let Some(i) = columns
                                .iter()
                                .position(|c| c.eq_ignore_ascii_case(&col.value))
                            {
                                *e = row[i].clone();
                            }
                        }
                    }
                }
                std::ops::ControlFlow::<()>::Continue(())
            });
            sets.push(format!("{} = {value}", a.target));
        }
        let sql = format!(
            "UPDATE {} SET {} WHERE `{pk}` = {}",
            target.written_object(),
            sets.join(", "),
            row[key_pos]
        );
        let stmt = dialect::parse_mysql(&sql)?
            .pop()
            .ok_or_else(|| SqlError::Engine("empty UPDATE".to_owned()))?;
        self.run_glue(stmt, now).map(|_| ())
    }

    /// Runs SQL the layer wrote itself against GlueSQL, without the dialect rewrites.
    fn glue_sql(&mut self, sql: &str) -> Result<Payload, SqlError> {
        let stmt = dialect::parse_mysql(sql)?
            .pop()
            .ok_or_else(|| SqlError::Engine("empty statement".to_owned()))?;
        self.glue_execute(&stmt)
    }

    fn create_table(&mut self, mut ct: sqlparser::ast::CreateTable) -> Executed {
        let resolver = self.resolver();
        let target = resolver.resolve(&ct.name)?;
        let (db, _) = dialect::split_storage_name(&target.storage).unwrap_or(("", ""));
        if !self.state.databases.contains(db) {
            return Err(SqlError::NotFound {
                what: "database",
                name: db.to_owned(),
            });
        }
        let existed = self.table_exists(&target.storage);
        let mut auto_column = None;
        let mut declared = Vec::new();
        for col in &mut ct.columns {
            declared.push(col.data_type.to_string());
            col.data_type = dialect::map_column_type(&col.data_type)?;
            col.options.retain(|o| match &o.option {
                ColumnOption::DialectSpecific(tokens)
                    if tokens
                        .iter()
                        .any(|t| t.to_string().eq_ignore_ascii_case(AUTO_INCREMENT)) =>
                {
                    auto_column = Some(col.name.value.clone());
                    false
                }
                ColumnOption::CharacterSet(_)
                | ColumnOption::OnUpdate(_)
                | ColumnOption::Comment(_) => false,
                _ => true,
            });
        }
        // `PRIMARY KEY (id)` / `UNIQUE (code)` written after the columns: GlueSQL wants them
        // on the column itself. Keys over several columns are not supported.
        let mut remaining = Vec::new();
        for constraint in std::mem::take(&mut ct.constraints) {
            use sqlparser::ast::TableConstraint as C;
            let (columns, is_primary) = match &constraint {
                C::PrimaryKey { columns, .. } => (columns.clone(), true),
                C::Unique { columns, .. } => (columns.clone(), false),
                _ => {
                    remaining.push(constraint);
                    continue;
                }
            };
            let [column] = columns.as_slice() else {
                return Err(SqlError::Unsupported {
                    feature: format!(
                        "{} over several columns",
                        if is_primary { "PRIMARY KEY" } else { "UNIQUE" }
                    ),
                    hint: Some(Localized::new(
                        "키는 열 하나에만 걸 수 있습니다. 예: id INT PRIMARY KEY",
                        "a key covers one column here, as in id INT PRIMARY KEY",
                    )),
                });
            };
            let Some(def) = ct
                .columns
                .iter_mut()
                .find(|c| c.name.value.eq_ignore_ascii_case(&column.value))
            else {
                return Err(SqlError::NotFound {
                    what: "column",
                    name: column.value.clone(),
                });
            };
            def.options.push(sqlparser::ast::ColumnOptionDef {
                name: None,
                option: ColumnOption::Unique {
                    is_primary,
                    characteristics: None,
                },
            });
        }
        ct.constraints = remaining;
        let start = ct.auto_increment_offset.map_or(1, i64::from);
        ct.name = NameResolver::storage_object(&target);
        ct.engine = None;
        ct.default_charset = None;
        ct.collation = None;
        ct.auto_increment_offset = None;
        ct.comment = None;
        self.glue_execute(&SqlStatement::CreateTable(ct))?;
        let mut notes = vec![];
        if existed {
            notes.push(Localized::new(
                format!(
                    "테이블 {}이(가) 이미 있어서 그대로 두었습니다",
                    target.written
                ),
                format!("table {} already exists; left as it is", target.written),
            ));
        } else {
            if let Some(column) = auto_column {
                self.state.auto_increment.insert(
                    target.storage.clone(),
                    AutoIncrement {
                        column,
                        next: start,
                    },
                );
            }
            self.state.declared_types.insert(target.storage, declared);
        }
        Ok((affected("CREATE TABLE", 0), notes))
    }

    fn create_database(&mut self, name: &ObjectName, if_not_exists: bool) -> Executed {
        let name = single_name(name)?;
        if self.state.databases.contains(&name) {
            if if_not_exists {
                return Ok((
                    affected("CREATE DATABASE", 0),
                    vec![Localized::new(
                        format!("데이터베이스 {name}이(가) 이미 있습니다"),
                        format!("database {name} already exists"),
                    )],
                ));
            }
            return Err(SqlError::Invalid(Localized::new(
                format!("데이터베이스 {name}이(가) 이미 있습니다"),
                format!("can't create database '{name}'; database exists"),
            )));
        }
        self.state.databases.insert(name);
        Ok((affected("CREATE DATABASE", 1), vec![]))
    }

    fn use_database(&mut self, u: &sqlparser::ast::Use) -> Executed {
        use sqlparser::ast::Use as U;
        let name = match u {
            U::Object(n) | U::Database(n) | U::Schema(n) => single_name(n)?,
            _ => {
                return Err(SqlError::Unsupported {
                    feature: "this form of USE".to_owned(),
                    hint: Some(Localized::new("USE 데이터베이스이름", "USE database_name")),
                })
            }
        };
        if !self.state.databases.contains(&name) {
            return Err(SqlError::NotFound {
                what: "database",
                name,
            });
        }
        self.state.current_db = name;
        Ok((affected("USE", 0), vec![]))
    }

    fn drop_databases(&mut self, names: &[ObjectName], if_exists: bool) -> Executed {
        let mut dropped = 0;
        for n in names {
            let name = single_name(n)?;
            if !self.state.databases.remove(&name) {
                if if_exists {
                    continue;
                }
                return Err(SqlError::NotFound {
                    what: "database",
                    name,
                });
            }
            let prefix = format!("{name}.");
            let tables: Vec<String> = self
                .storage
                .items
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .cloned()
                .collect();
            for t in tables {
                self.drop_hidden(&t);
                self.state.auto_increment.remove(&t);
                self.state.declared_types.remove(&t);
                dropped += 1;
            }
            if self.state.current_db == name {
                // MySQL leaves no database selected; sqlnori keeps a usable default instead.
                self.state.current_db = self
                    .state
                    .databases
                    .iter()
                    .next()
                    .cloned()
                    .unwrap_or_default();
            }
        }
        Ok((affected("DROP DATABASE", dropped), vec![]))
    }

    fn begin(&mut self) {
        self.transaction = Some(Box::new((self.storage.clone(), self.state.clone())));
    }

    fn rollback(&mut self) -> Option<Localized> {
        match self.transaction.take() {
            Some(saved) => {
                let (storage, state) = *saved;
                // The random source keeps going: a rolled-back RAND() is not replayed.
                let rng = self.state.rng;
                self.storage = storage;
                self.state = state;
                self.state.rng = rng;
                None
            }
            None => Some(Localized::new(
                "열린 트랜잭션이 없어서 되돌릴 것이 없습니다 (자동 커밋 상태)",
                "no open transaction: every statement was already committed (autocommit)",
            )),
        }
    }

    fn show_databases(&self, _filter: Option<&ShowStatementFilter>) -> Executed {
        let rows = self
            .state
            .databases
            .iter()
            .map(|d| vec![Cell::Text(d.clone())])
            .collect();
        Ok((rows_output(&["Database"], rows), vec![]))
    }

    fn show_tables(&self, db: Option<&Ident>) -> Executed {
        let db = db.map_or(self.state.current_db.clone(), |d| d.value.clone());
        let mut names: Vec<String> = self
            .tables()
            .into_iter()
            .chain(
                self.state
                    .views
                    .keys()
                    .filter_map(|v| dialect::split_storage_name(v))
                    .map(|(d, t)| (d.to_owned(), t.to_owned())),
            )
            .filter(|(d, _)| *d == db)
            .map(|(_, t)| t)
            .collect();
        names.sort();
        let rows = names.into_iter().map(|t| vec![Cell::Text(t)]).collect();
        Ok((rows_output(&[&format!("Tables_in_{db}")], rows), vec![]))
    }

    fn describe(&self, name: &ObjectName) -> Executed {
        let target = self.resolver().resolve(name)?;
        let columns = self.fetch_schema(&target)?;
        let rows = columns
            .into_iter()
            .map(|c| {
                vec![
                    Cell::Text(c.name),
                    Cell::Text(c.data_type),
                    Cell::Text(if c.nullable { "YES" } else { "NO" }.to_owned()),
                    Cell::Text(if c.primary_key { "PRI" } else { "" }.to_owned()),
                    Cell::Null,
                    Cell::Text(
                        if c.auto_increment {
                            "auto_increment"
                        } else {
                            ""
                        }
                        .to_owned(),
                    ),
                ]
            })
            .collect();
        Ok((
            rows_output(&["Field", "Type", "Null", "Key", "Default", "Extra"], rows),
            vec![],
        ))
    }

    /// `(database, table)` of every visible table, sorted.
    fn tables(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .storage
            .items
            .keys()
            .filter_map(|k| dialect::split_storage_name(k))
            .map(|(d, t)| (d.to_owned(), t.to_owned()))
            .collect();
        v.sort();
        v
    }

    fn table_exists(&self, storage: &str) -> bool {
        self.storage.items.contains_key(storage)
    }

    fn fetch_schema(&self, target: &TableRef) -> Result<Vec<ColumnInfo>, SqlError> {
        self.column_infos(&target.storage)
            .ok_or_else(|| SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            })
    }

    fn column_infos(&self, storage: &str) -> Option<Vec<ColumnInfo>> {
        let schema = self.storage.fetch_schema(storage).ok().flatten()?;
        let declared = self.state.declared_types.get(storage);
        let ai = self.state.auto_increment.get(storage);
        Some(
            schema
                .column_defs
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, c)| ColumnInfo {
                    name: c.name.clone(),
                    data_type: declared
                        .and_then(|d| d.get(i))
                        .cloned()
                        .unwrap_or_else(|| type_name(&c.data_type).to_owned()),
                    nullable: c.nullable,
                    primary_key: c.unique.is_some_and(|u| u.is_primary),
                    auto_increment: ai.is_some_and(|a| a.column == c.name),
                })
                .collect(),
        )
    }

    /// Every visible table with its columns and row count, for the schema sidebar.
    pub fn schema(&self) -> Vec<TableInfo> {
        self.tables()
            .into_iter()
            .map(|(database, name)| {
                let storage = dialect::storage_name(&database, &name);
                let row_count = self
                    .storage
                    .items
                    .get(&storage)
                    .map_or(0, |i| i.rows.len() as u64);
                TableInfo {
                    columns: self.column_infos(&storage).unwrap_or_default(),
                    database,
                    name,
                    row_count,
                }
            })
            .collect()
    }

    /// The databases, sorted.
    pub fn databases(&self) -> Vec<String> {
        self.state.databases.iter().cloned().collect()
    }

    fn drop_hidden(&mut self, storage: &str) {
        self.storage.items.remove(storage);
    }

    /// Stores rows under a hidden table so GlueSQL can read them as a table.
    fn materialise(
        &mut self,
        name: &str,
        labels: &[String],
        rows: Vec<Vec<Value>>,
    ) -> Result<String, SqlError> {
        self.state.temp_counter += 1;
        let storage = format!("__cte{}_{}", self.state.temp_counter, name);
        cte::store_rows(&mut self.storage, &storage, labels, rows)?;
        Ok(storage)
    }
}

/// Every column name of every stored table, for case-insensitive column names.
pub(super) fn column_catalog(storage: &MemoryStorage) -> dialect::ColumnCatalog {
    let mut catalog = dialect::ColumnCatalog::new();
    for item in storage.items.values() {
        for c in item.schema.column_defs.iter().flatten() {
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
    catalog
}

/// A number or text used where a condition belongs (`WHERE kor`).
fn not_a_condition(value: &str) -> SqlError {
    SqlError::Unsupported {
        feature: format!("a condition that is not true/false ({value})"),
        hint: Some(Localized::new(
            "MySQL은 숫자 0을 거짓으로 보지만 sqlnori에서는 비교식으로 쓰세요. 예: WHERE kor <> 0, IF(kor > 0, …)",
            "MySQL reads the number 0 as false; in sqlnori write a comparison, as in WHERE kor <> 0 or IF(kor > 0, …)",
        )),
    }
}

fn duplicate_key(key: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("기본 키 값이 중복됩니다: {key}"),
        format!("duplicate entry {key} for key 'PRIMARY'"),
    ))
}

/// A place inside a statement, in the script's coordinates.
fn relative_place(stmt: &ScriptStatement, line: u64, column: u64) -> (u32, u32) {
    let line_u32 = u32::try_from(line).unwrap_or(1).max(1);
    let col_u32 = u32::try_from(column).unwrap_or(1).max(1);
    if line_u32 == 1 {
        (stmt.span.line, stmt.span.column + col_u32 - 1)
    } else {
        (stmt.span.line + line_u32 - 1, col_u32)
    }
}

/// Moves an error to the learner's script coordinates.
fn place_error(e: &SqlError, stmt: &ScriptStatement) -> StatementError {
    let (line, column) = match e {
        SqlError::Parse { line, column, .. } => relative_place(stmt, *line, *column),
        _ => match e
            .subject()
            .and_then(|w| crate::split::locate_word(&stmt.sql, w))
        {
            Some((line, column)) => relative_place(stmt, line, column),
            None => (stmt.span.line, stmt.span.column),
        },
    };
    StatementError {
        code: e.code().to_owned(),
        message: e.localized(),
        line,
        column,
        hint: e.hint(),
    }
}

/// GlueSQL's errors as the learner should read them: names that do not exist, features
/// not supported (with the nearest supported form), broken keys; the rest as they come.
fn engine_error(e: gluesql_core::error::Error) -> SqlError {
    use gluesql_core::error::{Error as G, TranslateError as T};
    use gluesql_core::executor::{EvaluateError as E, FetchError, ValidateError as V};
    match e {
        G::Fetch(FetchError::TableNotFound(name)) => SqlError::NotFound {
            what: "table",
            name: if name.starts_with("__") {
                name.split_once('_').map_or(name.clone(), |(_, n)| n.to_owned())
            } else {
                name
            },
        },
        G::Evaluate(E::IdentifierNotFound(name)) => SqlError::NotFound {
            what: "column",
            name,
        },
        G::Evaluate(E::CompoundIdentifierNotFound {
            table_alias,
            column_name,
        }) => SqlError::NotFound {
            what: "column",
            name: format!("{table_alias}.{column_name}"),
        },
        G::Evaluate(E::UnsupportedFunction(name)) => SqlError::Unsupported {
            feature: format!("function {name}"),
            hint: Some(Localized::new(
                "쓸 수 있는 함수: 집계(COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT), 문자열(CONCAT, LEFT, RIGHT, SUBSTR, LENGTH, CHAR_LENGTH, UPPER, LOWER, TRIM, REPLACE, LPAD, RPAD, LOCATE), 숫자(ROUND, FLOOR, CEIL, ABS, MOD, RAND), 날짜(NOW, CURDATE, DATE_FORMAT, DATE_ADD, YEAR, MONTH, DAY), 조건(IF, IFNULL, COALESCE, ELT, GREATEST, LEAST), 윈도 함수",
                "available: aggregates (COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT), text (CONCAT, LEFT, RIGHT, SUBSTR, LENGTH, CHAR_LENGTH, UPPER, LOWER, TRIM, REPLACE, LPAD, RPAD, LOCATE), numbers (ROUND, FLOOR, CEIL, ABS, MOD, RAND), dates (NOW, CURDATE, DATE_FORMAT, DATE_ADD, YEAR, MONTH, DAY), conditions (IF, IFNULL, COALESCE, ELT, GREATEST, LEAST), window functions",
            )),
        },
        G::Translate(
            t @ (T::UnsupportedStatement(_)
            | T::UnsupportedExpr(_)
            | T::UnsupportedDataType(_)
            | T::UnsupportedQuerySetExpr(_)
            | T::UnsupportedJoinOperator(_)
            | T::UnsupportedAlterTableOperation(_)),
        ) => SqlError::Unsupported {
            feature: t.to_string(),
            hint: Some(Localized::new(
                "지원하는 MySQL 문법 목록은 예제 메뉴와 README에 있습니다",
                "the examples menu and the README list the MySQL that sqlnori runs",
            )),
        },
        G::Evaluate(E::BooleanTypeRequired(value)) => not_a_condition(&value),
        G::Evaluate(E::FunctionRequiresUSizeValue(name)) => SqlError::Invalid(Localized::new(
            format!("{name}: 길이는 0 이상이어야 하고 결과는 1 GiB를 넘을 수 없습니다"),
            format!("{name}: the length must be zero or more and the result at most 1 GiB"),
        )),
        G::Value(v)
            if matches!(
                *v,
                gluesql_core::data::ValueError::UnreachableIntegerOverflow(_)
                    | gluesql_core::data::ValueError::BinaryOperationOverflow { .. }
            ) =>
        {
            SqlError::Invalid(Localized::new(
                format!("정수 범위(BIGINT)를 벗어났습니다: {v}"),
                format!("BIGINT value is out of range: {v}"),
            ))
        }
        G::Validate(V::DuplicateEntryOnPrimaryKeyField(key)) => {
            use gluesql_core::data::Key;
            duplicate_key(&match key {
                Key::I64(n) => n.to_string(),
                Key::I32(n) => n.to_string(),
                Key::Str(s) => format!("'{s}'"),
                other => format!("{other:?}"),
            })
        }
        other => SqlError::Engine(other.to_string()),
    }
}

fn single_name(name: &ObjectName) -> Result<String, SqlError> {
    match name.0.as_slice() {
        [one] => Ok(one.value.clone()),
        _ => Err(SqlError::Invalid(Localized::new(
            format!("데이터베이스 이름이 올바르지 않습니다: {name}"),
            format!("invalid database name: {name}"),
        ))),
    }
}

fn affected(verb: &str, n: u64) -> Output {
    Output::Affected {
        verb: verb.to_owned(),
        affected: n,
    }
}

fn rows_output(names: &[&str], rows: Vec<Vec<Cell>>) -> Output {
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
        Payload::ShowColumns(cols) => rows_output(
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

/// Assigns AUTO_INCREMENT values the way MySQL does: a missing, NULL or 0 value takes the
/// counter; an explicit larger value moves the counter past it.
fn fill_auto_increment(ai: &mut AutoIncrement, columns: &mut Vec<String>, rows: &mut [Vec<Expr>]) {
    let pos = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&ai.column));
    let pos = match pos {
        Some(p) => p,
        None => {
            columns.push(ai.column.clone());
            for row in rows.iter_mut() {
                row.push(Expr::Value(SqlValue::Null));
            }
            columns.len() - 1
        }
    };
    for row in rows.iter_mut() {
        let Some(cell) = row.get_mut(pos) else {
            continue;
        };
        match literal_i64(cell) {
            Some(n) if n > 0 => ai.next = ai.next.max(n.saturating_add(1)),
            Some(_) | None if is_null_or_zero(cell) => {
                *cell = num(ai.next);
                ai.next = ai.next.saturating_add(1);
            }
            _ => {}
        }
    }
}

fn is_null_or_zero(e: &Expr) -> bool {
    matches!(e, Expr::Value(SqlValue::Null)) || literal_i64(e) == Some(0)
}

fn values_query(rows: Vec<Vec<Expr>>) -> Query {
    Query {
        with: None,
        body: Box::new(SetExpr::Values(Values {
            explicit_row: false,
            rows,
        })),
        ..empty_query()
    }
}
