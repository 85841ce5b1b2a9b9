//! What a write must leave true of its table, checked after the write because GlueSQL cannot:
//! the UNIQUE indexes the layer enforces (over several columns, or a prefix, `indexes.rs`)
//! and CHECK constraints, which GlueSQL lacks. A write to a guarded table keeps the table's
//! rows from before it; a violation puts them back, so the statement changes nothing, as in
//! MySQL.
//!
//! CHECK as MySQL 8 has it: a row fails when its condition is FALSE (NULL passes); an unnamed
//! one is `<table>_chk_<n>`; a column-level `CHECK` is a table's like any other; `ALTER TABLE
//! … ADD CHECK` checks the rows already there; a column a CHECK uses cannot be dropped or
//! renamed (3959). The condition is kept as the SQL text the learner wrote and runs through
//! the MySQL layer like any WHERE (`SELECT COUNT(*) FROM t WHERE NOT (condition)`), so it
//! reads MySQL's functions, text as numbers and the collation exactly as a query would.

use crate::dialect::{self, TableRef};
use crate::error::SqlError;
use crate::indexes::{column_names, duplicate_in_index, first_duplicate};
use crate::Engine;
use gluesql_core::data::{Key, Value};
use sqlnori_model::snapshot::{CheckDef, IndexDef};
use sqlnori_model::{korean, Localized};
use sqlparser::ast::{Expr, Ident, ObjectName, Statement, TableFactor, Visitor};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// A write to a table with constraints the layer checks: the rows before it, and what to
/// check after.
pub(crate) struct WriteGuard {
    storage: String,
    indexes: Vec<IndexDef>,
    checks: Vec<CheckDef>,
    before: BTreeMap<Key, Vec<Value>>,
}

impl Engine {
    /// The table an INSERT, REPLACE or UPDATE writes to.
    pub(crate) fn write_target(&self, stmt: &Statement) -> Option<String> {
        if let Some(changed) = self.multi_table_target(stmt) {
            return changed.ok().map(|c| c.table.storage);
        }
        let name = match stmt {
            Statement::Insert(ins) => &ins.table_name,
            Statement::Update { table, .. } => match &table.relation {
                TableFactor::Table { name, .. } => name,
                _ => return None,
            },
            _ => return None,
        };
        self.resolver().resolve(name).ok().map(|t| t.storage)
    }

    /// Before a write to `storage`: what [`Engine::check_write`] needs, when the table has a
    /// constraint the layer checks.
    pub(crate) fn write_guard(&self, storage: &str) -> Option<WriteGuard> {
        let indexes = self.layer_unique(storage);
        let checks = self.state.checks.get(storage).cloned().unwrap_or_default();
        if indexes.is_empty() && checks.is_empty() {
            return None;
        }
        let before = self.storage.items.get(storage)?.rows.clone();
        Some(WriteGuard {
            storage: storage.to_owned(),
            indexes,
            checks,
            before,
        })
    }

    /// After the write: a duplicate under a guarded index (1062) or a row that fails a CHECK
    /// (3819) puts the table's rows back as they were.
    pub(crate) fn check_write(&mut self, guard: WriteGuard, now: &str) -> Result<(), SqlError> {
        let outcome = self.first_violation(&guard, now);
        if outcome.is_err() {
            if let Some(item) = self.storage.items.get_mut(&guard.storage) {
                item.rows = guard.before;
            }
        }
        outcome
    }

    fn first_violation(&mut self, guard: &WriteGuard, now: &str) -> Result<(), SqlError> {
        if let Some(item) = self.storage.items.get(&guard.storage) {
            let names = column_names(item);
            for index in &guard.indexes {
                if let Some(shown) = first_duplicate(&item.rows, &guard.before, index, &names) {
                    return Err(duplicate_in_index(&shown, &index.name, false));
                }
            }
        }
        for check in &guard.checks {
            if self.rows_failing(&guard.storage, check, now)? > 0 {
                return Err(check_violated(&check.name));
            }
        }
        Ok(())
    }

    /// How many rows of `storage` make `check`'s condition FALSE.
    fn rows_failing(
        &mut self,
        storage: &str,
        check: &CheckDef,
        now: &str,
    ) -> Result<u64, SqlError> {
        let condition = parse_condition(&check.condition)?;
        let Some((db, table)) = dialect::split_storage_name(storage) else {
            return Ok(0);
        };
        let query = dialect::build::select_query(
            vec![sqlparser::ast::SelectItem::UnnamedExpr(
                dialect::build::count_star(),
            )],
            vec![dialect::build::from_table(ObjectName(vec![
                Ident::with_quote('`', db),
                Ident::with_quote('`', table),
            ]))],
            Some(Expr::UnaryOp {
                op: sqlparser::ast::UnaryOperator::Not,
                expr: Box::new(dialect::build::nested(condition)),
            }),
        );
        let resolver = self.resolver();
        let (_, rows) = self.run_query(query, &resolver, now)?;
        Ok(match rows.first().and_then(|r| r.first()) {
            Some(Value::I64(n)) => u64::try_from(*n).unwrap_or(0),
            _ => 0,
        })
    }

    /// Adds `CHECK`s to a table (a new one, or `ALTER TABLE … ADD`): each named, its columns
    /// the table's (3820), its name not taken (3822), and the rows already there meeting it
    /// (3819: nothing is added then).
    pub(crate) fn add_checks(
        &mut self,
        target: &TableRef,
        checks: Vec<(Option<String>, Expr)>,
        now: &str,
    ) -> Result<(), SqlError> {
        if checks.is_empty() {
            return Ok(());
        }
        let columns: Vec<String> = self
            .fetch_schema(target)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        let table = target
            .storage
            .rsplit('.')
            .next()
            .unwrap_or(&target.storage)
            .to_owned();
        let mut all = self
            .state
            .checks
            .get(&target.storage)
            .cloned()
            .unwrap_or_default();
        let before = all.len();
        for (name, condition) in checks {
            if let Some(unknown) = unknown_column(&condition, &columns) {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "CHECK 조건이 표에 없는 열 {} 씁니다 (MySQL 오류 3820)",
                        korean::eul(&format!("`{unknown}`"))
                    ),
                    format!(
                        "Check constraint refers to non-existing column '{unknown}' (MySQL error 3820)"
                    ),
                )));
            }
            let name = name.unwrap_or_else(|| {
                (1..)
                    .map(|n| format!("{table}_chk_{n}"))
                    .find(|n| !all.iter().any(|c| c.name.eq_ignore_ascii_case(n)))
                    .unwrap_or_default()
            });
            if all.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "CHECK 제약 이름 {} 이미 있습니다 (MySQL 오류 3822)",
                        korean::i(&format!("`{name}`"))
                    ),
                    format!("Duplicate check constraint name '{name}' (MySQL error 3822)"),
                )));
            }
            all.push(CheckDef {
                name,
                condition: condition.to_string(),
            });
        }
        for check in &all[before..] {
            if self.rows_failing(&target.storage, check, now)? > 0 {
                return Err(check_violated(&check.name));
            }
        }
        self.state.checks.insert(target.storage.clone(), all);
        Ok(())
    }

    /// `ALTER TABLE … DROP CHECK name` / `DROP CONSTRAINT name`: `false` when the table has no
    /// CHECK of that name.
    pub(crate) fn drop_check(&mut self, storage: &str, name: &str) -> bool {
        let Some(all) = self.state.checks.get_mut(storage) else {
            return false;
        };
        let count = all.len();
        all.retain(|c| !c.name.eq_ignore_ascii_case(name));
        let dropped = all.len() < count;
        if all.is_empty() {
            self.state.checks.remove(storage);
        }
        dropped
    }

    /// MySQL's 3959: a column a CHECK uses is neither dropped nor renamed.
    pub(crate) fn refuse_checked_column(
        &self,
        storage: &str,
        column: &str,
    ) -> Result<(), SqlError> {
        for check in self.state.checks.get(storage).into_iter().flatten() {
            let Ok(condition) = parse_condition(&check.condition) else {
                continue;
            };
            if columns_of(&condition)
                .iter()
                .any(|c| c.eq_ignore_ascii_case(column))
            {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "CHECK 제약 `{}`이(가) 열 `{column}`을(를) 쓰고 있어서 그 열을 지우거나 이름을 바꿀 수 없습니다. 먼저 ALTER TABLE … DROP CHECK `{}` (MySQL 오류 3959)",
                        check.name, check.name
                    ),
                    format!(
                        "Check constraint '{}' uses column '{column}', hence column cannot be dropped or renamed (MySQL error 3959)",
                        check.name
                    ),
                )));
            }
        }
        Ok(())
    }

    /// The `CONSTRAINT … CHECK (…)` lines of a table, for SHOW CREATE TABLE and the dump.
    pub(crate) fn check_lines(&self, storage: &str) -> Vec<String> {
        self.state
            .checks
            .get(storage)
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "  CONSTRAINT {} CHECK ({})",
                    sqlnori_model::sql_text::ident(&c.name),
                    c.condition
                )
            })
            .collect()
    }

    /// A table's CHECKs follow it when it is renamed and go with it when it is dropped.
    pub(crate) fn move_checks(&mut self, from: &str, to: Option<&str>) {
        if let Some(checks) = self.state.checks.remove(from) {
            if let Some(to) = to {
                self.state.checks.insert(to.to_owned(), checks);
            }
        }
    }
}

/// MySQL's error 3819.
fn check_violated(name: &str) -> SqlError {
    crate::error::explained(
        "check",
        Localized::new(
            format!(
                "CHECK 제약 {} 지켜지지 않습니다: 조건이 거짓이 되는 행이 생깁니다 (MySQL 오류 3819).",
                korean::i(&format!("'{name}'"))
            ),
            format!("Check constraint '{name}' is violated (MySQL error 3819)."),
        ),
        None,
        Some(Localized::new(
            "SHOW CREATE TABLE로 조건을 보고, 조건이 참(또는 NULL)이 되는 값을 쓰세요",
            "see the condition with SHOW CREATE TABLE and write values that make it true (or NULL)",
        )),
    )
}

/// A stored condition, parsed again (it was stored as text; it is never trusted).
fn parse_condition(text: &str) -> Result<Expr, SqlError> {
    sqlparser::parser::Parser::new(&sqlparser::dialect::MySqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| {
            SqlError::Invalid(Localized::new(
                format!("저장된 CHECK 조건 `{text}`을(를) 읽을 수 없습니다: {e}"),
                format!("a stored CHECK condition `{text}` does not parse: {e}"),
            ))
        })
}

/// The column names a condition reads (bare or qualified, the last part).
fn columns_of(condition: &Expr) -> Vec<String> {
    struct Names(Vec<String>);
    impl Visitor for Names {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            match e {
                Expr::Identifier(i) => self.0.push(i.value.clone()),
                Expr::CompoundIdentifier(parts) => {
                    if let Some(last) = parts.last() {
                        self.0.push(last.value.clone());
                    }
                }
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    let mut names = Names(vec![]);
    let _ = crate::walk::visit(condition, &mut names);
    names.0
}

/// The first column a condition reads that the table does not have.
fn unknown_column(condition: &Expr, columns: &[String]) -> Option<String> {
    columns_of(condition)
        .into_iter()
        .find(|n| !columns.iter().any(|c| c.eq_ignore_ascii_case(n)))
}
