//! sqlnori's engine: a session's database and the façade every statement goes through.
//!
//! A statement goes: parse (MySQL dialect) → the layer's own statements (databases,
//! transactions, SHOW/DESCRIBE, what GlueSQL lacks) or rewrite → GlueSQL translate → plan →
//! execute → the model's [`Output`]. What GlueSQL cannot do in one statement (CTEs, set
//! operations, window functions, views) is orchestrated by materialising intermediate rows
//! into hidden tables.
//!
//! Architecture invariant: this crate is the only one that names GlueSQL types; everything
//! it returns is the model's plain data. It reads no clock and no OS randomness: time comes
//! through [`Clock`], `RAND()` from the session's seed.

mod accounts;
mod alter;
mod ambiguity;
mod builtins;
mod catalog;
mod column_fit;
mod constraints;
mod convert;
mod cte;
mod ddl;
pub mod dialect;
mod dump;
mod error;
mod examples;
mod glue;
mod group_by;
mod group_concat;
mod indexes;
mod insert;
pub mod lesson;
mod limited;
mod multi_table;
mod on_delete;
mod privileges;
mod query;
mod result_types;
mod session;
mod set_order;
mod snapshot;
mod subqueries;
mod trace;
mod walk;
mod warm_up;
mod warnings;
mod window;
mod windowed;

pub use accounts::parse_account_name;
pub use error::SqlError;
pub use examples::example_engine;
pub use session::Session;
pub use trace::{Classified, TRACE_ROW_BOUND};
pub use warm_up::WarmUp;

use dialect::NameResolver;
use gluesql_memory_storage::MemoryStorage;
use serde::{Deserialize, Serialize};
use sqlnori_model::diagnostics::{without_errno, Level, Warning};
use sqlnori_model::snapshot::LayerState;
use sqlnori_model::split::{split_script, ScriptStatement};
use sqlnori_model::{Localized, Output, StatementResult};
use sqlparser::ast::{
    Expr, Ident, ObjectName, ObjectType, SelectItem, ShowStatementFilter, Statement as SqlStatement,
};
use std::collections::{BTreeMap, BTreeSet};

/// Where time comes from. The engine never reads a clock itself, so runs are reproducible.
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
    /// The open transaction's `SAVEPOINT`s, oldest first: each name (as written) and the
    /// state it marks. Kept by the running engine only: a snapshot carries the transaction,
    /// not its savepoints, so after a restore `ROLLBACK TO` names none (error 1305).
    savepoints: Vec<(String, Box<(MemoryStorage, LayerState)>)>,
    /// While tracing a recursive CTE: its anchor and iterations.
    recursion_log: Option<trace::RecursionLog>,
    /// Plan inner joins for hash joins and compute uncorrelated subqueries once (off only to
    /// compare answers with GlueSQL's own plans).
    optimise: bool,
    /// `ROW_COUNT()`: the rows the last statement changed (-1 after a query or a failure).
    row_count: i64,
    /// What `SHOW WARNINGS` lists: the last statement's warnings, and its error.
    diagnostics: Vec<Warning>,
    /// The statement running names a table (MySQL then starts its diagnostics afresh).
    uses_table: bool,
    /// The statement running is a write under MySQL 8's strict mode (INSERT, UPDATE): a
    /// division by zero fails it instead of giving NULL with a warning.
    strict: bool,
}

/// `x = NULL` and `x <> NULL` are never true (NULL is unknown): a learner who wrote them meant
/// `IS NULL` / `IS NOT NULL`, so the result says so.
fn null_comparison_note(stmt: &SqlStatement) -> Option<Localized> {
    use sqlparser::ast::{BinaryOperator, Expr, Value};
    let mut found = None;
    let _ = crate::walk::exprs(stmt, |e: &Expr| {
        if let Expr::BinaryOp { left, op, right } = e {
            let null = |e: &Expr| matches!(e, Expr::Value(Value::Null));
            if matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq)
                && (null(left) || null(right))
            {
                found = Some(*op == BinaryOperator::Eq);
                return std::ops::ControlFlow::Break(());
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    let eq = found?;
    let (wrote, meant) = if eq {
        ("= NULL", "IS NULL")
    } else {
        ("<> NULL", "IS NOT NULL")
    };
    Some(Localized::new(
        format!("`{wrote}`은 언제나 NULL(알 수 없음)이라 참이 되지 않습니다. NULL인지 보려면 `{meant}`를 쓰세요."),
        format!("`{wrote}` is always NULL (unknown), never true: to test for NULL write `{meant}`."),
    ))
}

/// The closest of `candidates` to `name` (letter case aside, at most two edits), if any.
pub(crate) fn nearest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let name = name.to_lowercase();
    let distance = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let next = (prev + usize::from(ca != cb))
                    .min(row[j] + 1)
                    .min(row[j + 1] + 1);
                prev = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    };
    candidates
        .map(|c| (distance(&name, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.min(c.chars().count() / 2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// What executing one parsed statement gave: its output and the notes for the learner.
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
                rng: sqlnori_model::rng::SeededRng::new(options.seed),
                tz_offset_minutes: options.tz_offset_minutes,
                temp_counter: 0,
                views: BTreeMap::new(),
                accounts: Default::default(),
                acting: None,
                last_insert_id: 0,
                indexes: BTreeMap::new(),
                checks: BTreeMap::new(),
                on_delete: BTreeMap::new(),
                variables: BTreeMap::new(),
                on_update: BTreeMap::new(),
            },
            transaction: None,
            savepoints: Vec::new(),
            recursion_log: None,
            optimise: true,
            row_count: -1,
            diagnostics: Vec::new(),
            uses_table: false,
            strict: false,
        }
    }

    /// Turns the layer's optimisations (join planning, subqueries computed once) on or off.
    /// Answers never depend on it; the tests compare both.
    pub fn set_optimise(&mut self, on: bool) {
        self.optimise = on;
    }

    /// "혹시 `students`?": the nearest existing table or column to a name that was not found.
    fn nearest_name(&self, e: &SqlError) -> Option<Localized> {
        let SqlError::NotFound { what, name } = e else {
            return None;
        };
        let qualifier = name.rsplit_once('.').map(|(q, _)| q);
        let name = name.rsplit('.').next().unwrap_or(name);
        let tables = self.tables();
        let columns: Vec<String> = self
            .schema()
            .into_iter()
            .flat_map(|t| t.columns.into_iter().map(|c| c.name))
            .collect();
        let found = match *what {
            "table" => nearest(name, tables.iter().map(|(_, t)| t.as_str())),
            "column" => nearest(name, columns.iter().map(String::as_str)),
            _ => None,
        }?;
        if let (true, "column", Some(qualifier)) =
            (found.eq_ignore_ascii_case(name), *what, qualifier)
        {
            // `s.id` where the column exists: the qualifier is what this statement lacks.
            return Some(Localized::new(
                format!(
                    "{} 이 문장의 FROM에 있는 표 이름이나 별칭이 아닙니다 (별칭을 준 표는 별칭으로 부릅니다)",
                    sqlnori_model::korean::eun(&format!("`{qualifier}`"))
                ),
                format!("`{qualifier}` is not the name or alias of a table in this statement's FROM (a table given an alias goes by it)"),
            ));
        }
        if *what == "column" && found.eq_ignore_ascii_case(name) {
            // The column exists, but not in the tables this statement reads (or it reads none).
            let owner = self
                .schema()
                .into_iter()
                .find(|t| t.columns.iter().any(|c| c.name == found))
                .map(|t| t.name)
                .unwrap_or_default();
            return Some(Localized::new(
                format!("`{found}` 열은 `{owner}` 표에 있습니다: FROM에 `{owner}` 표를 쓰세요"),
                format!("`{found}` is a column of `{owner}`: name `{owner}` in FROM"),
            ));
        }
        Some(Localized::new(
            format!("혹시 `{found}`?"),
            format!("did you mean `{found}`?"),
        ))
    }

    pub fn current_database(&self) -> &str {
        &self.state.current_db
    }

    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Where the session's random sequence stands (part of what a statement changes).
    pub fn rand_state(&self) -> u64 {
        self.state.rng.state
    }

    /// Moves the random sequence (after the database was rebuilt to an earlier point, the
    /// numbers already drawn are not drawn again).
    pub fn set_rand_state(&mut self, state: u64) {
        self.state.rng.state = state;
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
        self.run_classified(stmt, clock).0
    }

    /// Runs one statement and says what kind it was (from the same parse).
    pub fn run_classified(
        &mut self,
        stmt: &ScriptStatement,
        clock: &dyn Clock,
    ) -> (StatementResult, Classified) {
        let started = clock.monotonic_ms();
        let mut kind = Classified::UNPARSED;
        self.uses_table = true;
        warnings::begin();
        let executed = self.execute_text(&stmt.sql, clock, &mut kind);
        let warnings = warnings::finish();
        let elapsed_ms = (clock.monotonic_ms() - started).max(0.0);
        let (outcome, notes) = match executed.and_then(|(output, notes)| {
            refuse_out_of_range(&output)?;
            Ok((output, notes))
        }) {
            Ok((output, notes)) => (Ok(output), notes),
            Err(e) => {
                let mut placed = e.placed(stmt);
                if placed.hint.is_none() {
                    placed.hint = self.nearest_name(&e);
                }
                (Err(placed), vec![])
            }
        };
        // MySQL's ROW_COUNT(): the rows a change changed; -1 after a query or a failure.
        self.row_count = match &outcome {
            Ok(Output::Affected { affected, .. }) => i64::try_from(*affected).unwrap_or(i64::MAX),
            _ => -1,
        };
        // The diagnostics area, as MySQL keeps it: a statement that left warnings or an error
        // replaces it, one that uses a table clears it, and the rest (SHOW WARNINGS itself,
        // `SELECT 1 + 1`) leave it for the next SHOW WARNINGS.
        let error = outcome.as_ref().err().and_then(|e| {
            e.mysql.as_ref().map(|code| Warning {
                level: Level::Error,
                code: code.errno,
                message: Localized::new(
                    without_errno(&e.message.ko),
                    without_errno(&e.message.en)
                        .trim_end_matches('.')
                        .to_owned(),
                ),
            })
        });
        if !warnings.is_empty() || error.is_some() {
            self.diagnostics.clone_from(&warnings);
            self.diagnostics.extend(error);
        } else if self.uses_table {
            self.diagnostics.clear();
        }
        let result = StatementResult {
            sql: stmt.sql.clone(),
            span: stmt.span,
            outcome,
            notes,
            warnings,
            elapsed_ms,
        };
        (result, kind)
    }

    fn execute_text(&mut self, sql: &str, clock: &dyn Clock, kind: &mut Classified) -> Executed {
        if let Some(shown) = warnings::show_statement(sql) {
            *kind = Classified {
                wrote: false,
                explainable: false,
            };
            self.uses_table = false;
            return Ok((warnings::show(&self.diagnostics, shown), vec![]));
        }
        if let Some(verb) = accounts::account_statement(sql) {
            // The server keeps the diagnostics over CREATE/DROP USER, but GRANT, REVOKE and
            // SHOW GRANTS use the grant tables (as recorded from MariaDB); switching accounts
            // is a new login, with none.
            self.uses_table = matches!(verb, "SHOW GRANTS" | "GRANT" | "REVOKE");
            if verb == "SET SESSION AUTHORIZATION" {
                self.diagnostics.clear();
            }
            // Everything but SHOW GRANTS changes accounts or the acting one.
            kind.wrote = verb != "SHOW GRANTS";
            return self.account_statement(sql);
        }
        let now = self.statement_now(clock);
        let mut statements = match dialect::parse_mysql(sql) {
            Ok(s) => s,
            // Forms sqlparser 0.52 does not parse, read with its parser by the layer.
            Err(e) => {
                if let Some(stmt) = ddl::insert_set(sql) {
                    vec![stmt?]
                } else if let Some(drop) = indexes::drop_index_statement(sql) {
                    let (index, table) = drop?;
                    return self.drop_index(&index, &table);
                } else if let Some(option) = ddl::alter_auto_increment(sql) {
                    let (name, next) = option?;
                    let stmt = SqlStatement::AlterTable {
                        name: name.clone(),
                        if_exists: false,
                        only: false,
                        operations: vec![],
                        location: None,
                        on_cluster: None,
                    };
                    self.enforce(&self.privilege_checks(&stmt))?;
                    return self.set_auto_increment(&name, next);
                } else if let Some(pairs) = ddl::rename_table(sql) {
                    let pairs = pairs?;
                    self.enforce(&self.rename_checks(&pairs))?;
                    return self.rename_tables(&pairs);
                } else if matches!(&e, SqlError::Parse { message, .. } if message.contains("found: :="))
                {
                    // `@rank := @rank + 1`: MySQL 8 deprecates assigning in a query, and a
                    // window function says the same thing clearly.
                    return Err(SqlError::Unsupported {
                        feature: Localized::new(
                            "쿼리 안에서 변수에 값 넣기 (@변수 := …)",
                            "assigning a user variable inside a query (@var := …)",
                        ),
                        hint: Some(Localized::new(
                            "순위나 누계는 창 함수로 구하세요. 예: ROW_NUMBER() OVER (ORDER BY kor DESC), SUM(kor) OVER (ORDER BY id). 값 하나는 SET @x = …로 넣습니다",
                            "compute ranks and running totals with window functions, as in ROW_NUMBER() OVER (ORDER BY kor DESC) or SUM(kor) OVER (ORDER BY id); set one value with SET @x = …",
                        )),
                    });
                } else {
                    return Err(e);
                }
            }
        };
        *kind = trace::classify_parsed(&statements);
        self.uses_table = statements.iter().any(warnings::uses_table);
        if statements.len() != 1 {
            return Err(SqlError::Invalid(Localized::new(
                "한 번에 한 문장씩 실행합니다",
                "one statement at a time",
            )));
        }
        let mut stmt = statements.remove(0);
        self.expand_natural(sql, &mut stmt)?;
        // What the acting account may do, before anything runs (a denied statement changes
        // nothing).
        self.enforce(&self.privilege_checks(&stmt))?;
        // MySQL 8's ONLY_FULL_GROUP_BY: a grouped query shows one value per group; GlueSQL's
        // own functions are not MySQL's.
        dialect::functions::refuse_non_mysql(&stmt, &self.state.current_db)?;
        self.check_full_group_by(&stmt)?;
        self.check_ambiguous(&stmt)?;
        self.expand_rollup(sql, &mut stmt)?;
        // From the statement already parsed (parsing is most of a long INSERT's cost).
        let note = null_comparison_note(&stmt);
        let hint_note = self.check_index_hints(&stmt)?;
        self.strict = matches!(stmt, SqlStatement::Insert(_) | SqlStatement::Update { .. });
        // A UNIQUE index over several columns or a prefix, and CHECKs, are checked after the
        // write (constraints.rs).
        let guard = self
            .write_target(&stmt)
            .and_then(|storage| self.write_guard(&storage));
        let mut executed = self.execute_statement(stmt, &now);
        if let (Ok(_), Some(guard)) = (&executed, guard) {
            if let Err(e) = self.check_write(guard, &now) {
                executed = Err(e);
            }
        }
        self.strict = false;
        let (output, mut notes) = executed?;
        notes.extend(note);
        notes.extend(hint_note);
        Ok((output, notes))
    }

    /// The session's local time for a statement, `YYYY-MM-DD HH:MM:SS`. GlueSQL's clock
    /// functions read the same time (`set_clock`), so a column's `DEFAULT CURRENT_TIMESTAMP`
    /// is the statement's time in the session's zone, to the second as MySQL's DATETIME and
    /// TIMESTAMP keep it (it was the machine's UTC clock to the nanosecond).
    fn statement_now(&self, clock: &dyn Clock) -> String {
        use gluesql_core::chrono::Timelike;
        let ms = clock
            .now_epoch_ms()
            .saturating_add(i64::from(self.state.tz_offset_minutes) * 60_000);
        let time = gluesql_core::chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.naive_utc().with_nanosecond(0).unwrap_or(t.naive_utc()))
            .unwrap_or_default();
        gluesql_core::executor::set_clock(Some(time));
        time.format("%Y-%m-%d %H:%M:%S").to_string()
    }

    fn resolver(&self) -> NameResolver {
        NameResolver {
            current_db: self.state.current_db.clone(),
            user: self.acting().to_string(),
            last_insert_id: self.state.last_insert_id,
            row_count: self.row_count,
            variables: self.state.variables.clone(),
            utc_offset_minutes: self.state.tz_offset_minutes,
            ..NameResolver::default()
        }
    }

    /// One parsed statement: the layer's own, or through the rewrites to GlueSQL.
    fn execute_statement(&mut self, mut stmt: SqlStatement, now: &str) -> Executed {
        self.limit_by_key(&mut stmt)?;
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
                Ok((glue::affected("BEGIN", 0), vec![]))
            }
            SqlStatement::Commit { .. } => {
                self.transaction = None;
                self.savepoints.clear();
                Ok((glue::affected("COMMIT", 0), vec![]))
            }
            SqlStatement::Rollback {
                savepoint: None, ..
            } => {
                let note = self.rollback();
                Ok((glue::affected("ROLLBACK", 0), note.into_iter().collect()))
            }
            SqlStatement::Savepoint { name } => {
                let note = self.savepoint(&name.value);
                Ok((glue::affected("SAVEPOINT", 0), note.into_iter().collect()))
            }
            SqlStatement::Rollback {
                savepoint: Some(name),
                ..
            } => {
                self.rollback_to(&name.value)?;
                Ok((glue::affected("ROLLBACK", 0), vec![]))
            }
            SqlStatement::ReleaseSavepoint { name } => {
                let at = self.savepoint_at(&name.value)?;
                self.savepoints.truncate(at);
                Ok((glue::affected("RELEASE", 0), vec![]))
            }
            // One learner, one session: there is no other session to keep out, so a lock
            // changes nothing (the tables must exist, as in MySQL).
            SqlStatement::LockTables { tables } => {
                let resolver = self.resolver();
                for t in &tables {
                    let table = resolver.resolve(&ObjectName(vec![t.table.clone()]))?;
                    self.fetch_schema(&table)?;
                }
                Ok((
                    glue::affected("LOCK TABLES", 0),
                    vec![Localized::new(
                        "sqlnori에는 이 세션 하나뿐이라 잠금은 아무것도 막지 않습니다. MySQL 서버에서는 다른 세션이 UNLOCK TABLES까지 기다립니다",
                        "sqlnori has this one session, so the lock keeps nobody out; on a MySQL server other sessions would wait until UNLOCK TABLES",
                    )],
                ))
            }
            SqlStatement::UnlockTables => Ok((glue::affected("UNLOCK TABLES", 0), vec![])),
            // The settings sqlnori runs with (dialect/system_variables.rs).
            SqlStatement::ShowVariables { filter, .. } => {
                let like = show_like(filter.as_ref())?;
                let rows = dialect::system_variables::all(self.state.tz_offset_minutes)
                    .into_iter()
                    .filter(|(name, _)| {
                        like.as_deref()
                            .is_none_or(|p| catalog::like_matches(p, name))
                    })
                    .map(|(name, value)| {
                        vec![
                            sqlnori_model::Cell::Text(name.to_owned()),
                            sqlnori_model::Cell::Text(value.shown()),
                        ]
                    })
                    .collect();
                Ok((glue::text_rows(&["Variable_name", "Value"], rows), vec![]))
            }
            SqlStatement::ShowDatabases { filter } | SqlStatement::ShowSchemas { filter } => {
                let like = show_like(filter.as_ref())?;
                Ok((self.show_databases(like.as_deref()), vec![]))
            }
            SqlStatement::ShowTables {
                db_name, filter, ..
            } => {
                if let Some(db) = &db_name {
                    self.require_any_in_database(&db.value)?;
                }
                let like = show_like(filter.as_ref())?;
                Ok((self.show_tables(db_name.as_ref(), like.as_deref()), vec![]))
            }
            SqlStatement::ExplainTable { table_name, .. } => self.describe(&table_name, None),
            // MySQL's plan names its own access paths and indexes: sqlnori's answer to "what
            // does this query do" is its steps.
            SqlStatement::Explain { .. } => Err(SqlError::Unsupported {
                feature: Localized::new(
                    "EXPLAIN (MySQL의 실행 계획)",
                    "EXPLAIN (MySQL's query plan)",
                ),
                hint: Some(Localized::new(
                    "EXPLAIN 없이 쿼리를 실행한 뒤 결과 아래의 '단계별 보기'를 여세요: 절마다 어떤 행이 남는지 보여 줍니다",
                    "run the query without EXPLAIN and open 'Show steps' under its result: it shows the rows each clause keeps",
                )),
            }),
            SqlStatement::ShowCreate {
                obj_type: sqlparser::ast::ShowCreateObject::Table,
                obj_name,
            } => self.show_create_table(&obj_name),
            SqlStatement::CreateIndex(ci) => {
                let columns = ci
                    .columns
                    .iter()
                    .map(|c| indexes::index_column(&c.expr))
                    .collect::<Result<Vec<_>, _>>()?;
                let name = ci
                    .name
                    .as_ref()
                    .and_then(|n| n.0.last())
                    .map(|i| i.value.clone());
                self.create_index(name, &ci.table_name, columns, ci.unique, ci.if_not_exists)
            }
            // `SHOW INDEX|INDEXES|KEYS FROM|IN t`, which sqlparser 0.52 reads as a variable.
            SqlStatement::ShowVariable { variable }
                if variable.len() >= 3
                    && ["INDEX", "INDEXES", "KEYS"]
                        .iter()
                        .any(|k| variable[0].value.eq_ignore_ascii_case(k))
                    && ["FROM", "IN"]
                        .iter()
                        .any(|k| variable[1].value.eq_ignore_ascii_case(k)) =>
            {
                // `SHOW INDEX FROM t FROM db` names the database after the table.
                let rest = &variable[2..];
                let name = match rest {
                    [t, kw, db]
                        if ["FROM", "IN"]
                            .iter()
                            .any(|k| kw.value.eq_ignore_ascii_case(k)) =>
                    {
                        ObjectName(vec![db.clone(), t.clone()])
                    }
                    parts => ObjectName(parts.to_vec()),
                };
                self.show_index(&name)
            }
            SqlStatement::ShowColumns {
                table_name, filter, ..
            } => match &filter {
                None => self.describe(&table_name, None),
                Some(ShowStatementFilter::Like(p)) => self.describe(&table_name, Some(p)),
                Some(_) => Err(SqlError::Unsupported {
                    feature: Localized::new(
                        "SHOW COLUMNS … WHERE / ILIKE",
                        "SHOW COLUMNS … WHERE / ILIKE",
                    ),
                    hint: Some(Localized::new(
                        "SHOW COLUMNS FROM 표 LIKE '패턴' 또는 DESCRIBE 표",
                        "SHOW COLUMNS FROM table LIKE 'pattern', or DESCRIBE table",
                    )),
                }),
            },
            SqlStatement::Query(mut q) if dialect::into_variables(&q).is_some() => {
                let names = dialect::into_variables(&q).unwrap_or_default();
                if let sqlparser::ast::SetExpr::Select(sel) = q.body.as_mut() {
                    sel.into = None;
                }
                self.select_into(*q, names, now)
            }
            SqlStatement::Query(q) => {
                let resolver = self.resolver();
                let declared = result_types::declared(self, &q, &resolver);
                let rows = self.run_query(*q, &resolver, now)?;
                let mut output = convert::rows_output(&rows);
                result_types::apply(&mut output, declared);
                Ok((output, vec![]))
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
            SqlStatement::CreateTable(ct) => self.create_table(ct, now),
            SqlStatement::Drop {
                object_type: ObjectType::Table,
                names,
                if_exists,
                ..
            } => self.drop_tables(&names, if_exists, now),
            // `SET @x = expr, @y = expr`: user variables.
            SqlStatement::SetVariable {
                variables, value, ..
            } if user_variables(&variables).is_some() => {
                let names = user_variables(&variables).unwrap_or_default();
                let (names, values) = more_assignments(names, value);
                self.set_user_variables(names, values, now)
            }
            // `SET @@sql_mode = ''`, `SET SESSION sql_mode = …`, `SET GLOBAL …`: the server's
            // settings are MySQL 8's defaults, fixed, so that the course's errors (1140, 1365,
            // the strict mode's 1264) stay the lesson.
            SqlStatement::SetVariable { variables, .. } => {
                let name = variables.to_string();
                Err(SqlError::Unsupported {
                    feature: Localized::new(
                        format!("서버 설정 바꾸기 (SET {name})"),
                        format!("changing a server setting (SET {name})"),
                    ),
                    hint: Some(Localized::new(
                        "sqlnori는 MySQL 8의 기본 설정(sql_mode에 ONLY_FULL_GROUP_BY와 STRICT_TRANS_TABLES)으로 고정되어 있습니다. SHOW VARIABLES가 그 값을 보여 주고, 사용자 변수는 SET @x = 1처럼 씁니다",
                        "sqlnori keeps MySQL 8's default settings (sql_mode with ONLY_FULL_GROUP_BY and STRICT_TRANS_TABLES); SHOW VARIABLES shows them, and a user variable is set with SET @x = 1",
                    )),
                })
            }
            // Multi-table UPDATE and DELETE (multi_table.rs).
            update @ SqlStatement::Update { .. } if matches!(&update, SqlStatement::Update { table, .. } if !table.joins.is_empty()) => {
                self.update_joined(update, now)
            }
            SqlStatement::Delete(d) if !d.tables.is_empty() => self.delete_joined(d, now),
            // ON DELETE CASCADE / SET NULL keys act first (on_delete.rs).
            SqlStatement::Delete(d) => match self.delete_acts(&d) {
                Some(storage) => self.delete_with_actions(d, &storage, now),
                None => self.run_glue(SqlStatement::Delete(d), now),
            },
            other => self.run_glue(other, now),
        }
    }

    /// `BEGIN`: the whole database is kept aside for `ROLLBACK`.
    fn begin(&mut self) {
        self.transaction = Some(Box::new((self.storage.clone(), self.state.clone())));
        self.savepoints.clear();
    }

    /// `SAVEPOINT name`: the database as it is now, inside the open transaction (a savepoint
    /// of the same name moves here). Outside a transaction there is nothing to go back to,
    /// as in MySQL's autocommit mode, and a note says so.
    fn savepoint(&mut self, name: &str) -> Option<Localized> {
        if self.transaction.is_none() {
            return Some(Localized::new(
                "열린 트랜잭션이 없어서 저장점은 남지 않습니다: START TRANSACTION 다음에 쓰세요",
                "no open transaction, so the savepoint is not kept: write it after START TRANSACTION",
            ));
        }
        self.savepoints
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.savepoints.push((
            name.to_owned(),
            Box::new((self.storage.clone(), self.state.clone())),
        ));
        None
    }

    /// Where savepoint `name` stands among the open ones; MySQL's 1305 when there is none.
    fn savepoint_at(&self, name: &str) -> Result<usize, SqlError> {
        self.savepoints
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                SqlError::Invalid(Localized::new(
                    format!(
                        "저장점 {} 없습니다 (MySQL 오류 1305): 열린 트랜잭션 안에서 {} 만든 것만 쓸 수 있습니다",
                        sqlnori_model::korean::i(name),
                        sqlnori_model::korean::euro(&format!("SAVEPOINT {name}"))
                    ),
                    format!(
                        "SAVEPOINT {name} does not exist (MySQL error 1305): only a savepoint made inside the open transaction can be used"
                    ),
                ))
            })
    }

    /// `ROLLBACK TO [SAVEPOINT] name`: the database as the savepoint found it; the savepoint
    /// stays, the later ones go, and the transaction stays open.
    fn rollback_to(&mut self, name: &str) -> Result<(), SqlError> {
        let at = self.savepoint_at(name)?;
        self.savepoints.truncate(at + 1);
        let saved = (*self.savepoints[at].1).clone();
        self.restore(saved);
        Ok(())
    }

    /// The database and session as `saved` holds them, for ROLLBACK [TO SAVEPOINT]. The
    /// random source keeps going: a rolled-back RAND() is not replayed.
    fn restore(&mut self, (storage, state): (MemoryStorage, LayerState)) {
        let rng = self.state.rng;
        self.storage = storage;
        self.state = state;
        self.state.rng = rng;
    }

    fn rollback(&mut self) -> Option<Localized> {
        self.savepoints.clear();
        match self.transaction.take() {
            Some(saved) => {
                self.restore(*saved);
                None
            }
            None => Some(Localized::new(
                "열린 트랜잭션이 없어서 되돌릴 것이 없습니다 (자동 커밋 상태)",
                "no open transaction: every statement was already committed (autocommit)",
            )),
        }
    }
}

/// A double that overflowed (`EXP(1000)`, `POW(10, 400)`) or is not a number: MySQL refuses
/// the statement (error 1690) rather than answer infinity or NULL, and so does sqlnori.
fn refuse_out_of_range(output: &Output) -> Result<(), SqlError> {
    let Output::Rows { columns, rows } = output else {
        return Ok(());
    };
    for row in rows {
        for (cell, column) in row.iter().zip(columns) {
            if matches!(cell, sqlnori_model::Cell::Float(f) if !f.is_finite()) {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "DOUBLE 값이 범위를 벗어났습니다: '{}' (MySQL 오류 1690)",
                        column.name
                    ),
                    format!(
                        "DOUBLE value is out of range in '{}' (MySQL error 1690)",
                        column.name
                    ),
                )));
            }
        }
    }
    Ok(())
}

/// The pattern of `SHOW … LIKE 'pattern'`; `SHOW … WHERE` is refused with its name.
fn show_like(
    filter: Option<&sqlparser::ast::ShowStatementFilter>,
) -> Result<Option<String>, SqlError> {
    use sqlparser::ast::ShowStatementFilter as F;
    match filter {
        None => Ok(None),
        Some(F::Like(p) | F::ILike(p) | F::NoKeyword(p)) => Ok(Some(p.clone())),
        Some(F::Where(_)) => Err(SqlError::Unsupported {
            feature: Localized::new("SHOW … WHERE", "SHOW … WHERE"),
            hint: Some(Localized::new(
                "SHOW … LIKE '패턴'을 쓰세요",
                "write SHOW … LIKE 'pattern'",
            )),
        }),
    }
}

/// The names of `SET @a = …, @b = …` (lower case, without `@`), when every target is a user
/// variable.
fn user_variables(
    targets: &sqlparser::ast::OneOrManyWithParens<ObjectName>,
) -> Option<Vec<String>> {
    targets
        .iter()
        .map(|name| match name.0.as_slice() {
            [one] if one.value.starts_with('@') && !one.value.starts_with("@@") => {
                Some(one.value[1..].to_lowercase())
            }
            _ => None,
        })
        .collect()
}

/// sqlparser 0.52 reads `SET @a = 1, @b = 2` as one variable with the values `1` and
/// `@b = 2`: the later ones are the assignments they spell.
fn more_assignments(mut names: Vec<String>, values: Vec<Expr>) -> (Vec<String>, Vec<Expr>) {
    if names.len() != 1 || values.len() < 2 {
        return (names, values);
    }
    let mut out = Vec::with_capacity(values.len());
    let mut values = values.into_iter();
    out.extend(values.next());
    for v in values {
        match v {
            Expr::BinaryOp {
                left,
                op: sqlparser::ast::BinaryOperator::Eq,
                right,
            } if matches!(left.as_ref(), Expr::Identifier(i) if i.value.starts_with('@') && !i.value.starts_with("@@")) => {
                if let Expr::Identifier(i) = *left {
                    names.push(i.value[1..].to_lowercase());
                    out.push(*right);
                }
            }
            other => out.push(other),
        }
    }
    (names, out)
}

impl Engine {
    /// `SET @x = expr`: each value computed as a SELECT would compute it (MySQL's functions,
    /// other variables as they were before the statement), then kept as an SQL literal.
    fn set_user_variables(&mut self, names: Vec<String>, values: Vec<Expr>, now: &str) -> Executed {
        if names.len() != values.len() || names.is_empty() {
            return Err(SqlError::Invalid(Localized::new(
                "SET의 변수와 값의 수가 맞지 않습니다",
                "SET has a different number of variables and values",
            )));
        }
        let projection = values.into_iter().map(SelectItem::UnnamedExpr).collect();
        let query = dialect::build::select_query(projection, vec![], None);
        // A subquery in a value reads tables: the acting account must be allowed to.
        self.enforce(&self.privilege_checks(&SqlStatement::Query(Box::new(query.clone()))))?;
        let resolver = self.resolver();
        let (_, rows) = self.run_query(query, &resolver, now)?;
        let row = rows.into_iter().next().unwrap_or_default();
        for (name, value) in names.into_iter().zip(row) {
            let literal = crate::convert::value_to_expr(&value)?.to_string();
            self.state.variables.insert(name, literal);
        }
        Ok((glue::affected("SET", 0), vec![]))
    }
}

impl Engine {
    /// `SELECT expr INTO @v FROM …` and `SELECT a, b INTO @x, @y …`: the query's one row sets
    /// the variables, as in MySQL: two rows are error 1172, none leaves the variables as they
    /// were with warning 1329, and the query must have one column per variable (1222).
    fn select_into(
        &mut self,
        query: sqlparser::ast::Query,
        names: Vec<String>,
        now: &str,
    ) -> Executed {
        let resolver = self.resolver();
        let (labels, rows) = self.run_query(query, &resolver, now)?;
        if labels.len() != names.len() {
            return Err(SqlError::Invalid(Localized::new(
                format!(
                    "SELECT의 열 수({})와 INTO 뒤 변수의 수({})가 다릅니다 (MySQL 오류 1222)",
                    labels.len(),
                    names.len()
                ),
                format!(
                    "The used SELECT statements have a different number of columns: the SELECT gives {} column(s), INTO names {} variable(s) (MySQL error 1222)",
                    labels.len(),
                    names.len()
                ),
            )));
        }
        match rows.as_slice() {
            [] => {
                warnings::warn(sqlnori_model::diagnostics::Warning::new(
                    1329,
                    "행이 없어 변수에 아무것도 넣지 않았습니다 (No data - zero rows fetched)",
                    "No data - zero rows fetched, selected, or processed",
                ));
                Ok((glue::affected("SELECT", 0), vec![]))
            }
            [row] => {
                // Every value is converted before any variable changes, so a failure sets none.
                let literals = row
                    .iter()
                    .map(|v| Ok(crate::convert::value_to_expr(v)?.to_string()))
                    .collect::<Result<Vec<_>, SqlError>>()?;
                for (name, literal) in names.into_iter().zip(literals) {
                    self.state.variables.insert(name, literal);
                }
                Ok((glue::affected("SELECT", 1), vec![]))
            }
            _ => Err(SqlError::Invalid(Localized::new(
                "결과가 여러 행이라 변수에 넣을 수 없습니다 (MySQL 오류 1172): WHERE나 LIMIT 1로 한 행만 고르세요",
                "Result consisted of more than one row (MySQL error 1172): pick one row with WHERE or LIMIT 1",
            ))),
        }
    }

    /// A stored table's column names, by the name a statement gives it.
    fn columns_named(&self, name: &ObjectName) -> Option<Vec<String>> {
        let table = self.resolver().resolve(name).ok()?;
        self.column_infos(&table.storage)
            .map(|cs| cs.into_iter().map(|c| c.name).collect())
    }

    /// NATURAL JOIN as JOIN … USING (the shared columns), before anything reads the statement
    /// (the plain run and the steps alike). `sql` is its text: a statement that never says
    /// NATURAL is not walked.
    pub(crate) fn expand_natural(
        &self,
        sql: &str,
        stmt: &mut SqlStatement,
    ) -> Result<(), SqlError> {
        if !dialect::mentions(sql, "natural") {
            return Ok(());
        }
        dialect::natural::expand(stmt, &|name| self.columns_named(name))
    }

    /// `GROUP BY … WITH ROLLUP` as plain SQL, once the learner's form has been checked (the
    /// plain run and the steps alike).
    pub(crate) fn expand_rollup(&self, sql: &str, stmt: &mut SqlStatement) -> Result<(), SqlError> {
        if !dialect::mentions(sql, "rollup") {
            return Ok(());
        }
        dialect::rollup::expand(stmt, &glue::column_catalog(&self.storage).0)
    }
}
