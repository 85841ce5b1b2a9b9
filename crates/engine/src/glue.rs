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
        // MySQL's left-to-right assignments, read while the table has its written name.
        if let SqlStatement::Update {
            table,
            assignments,
            from: None,
            ..
        } = &mut stmt
        {
            if let (true, Some(own)) = (table.joins.is_empty(), own_name(&table.relation)) {
                crate::set_order::left_to_right(assignments, &own);
            }
            if let sqlparser::ast::TableFactor::Table { name, .. } = &table.relation {
                let stamped = resolver
                    .resolve(name)
                    .ok()
                    .and_then(|t| self.state.on_update.get(&t.storage));
                if let Some(columns) = stamped {
                    crate::set_order::stamp_on_update(assignments, columns, now);
                }
            }
        }
        retarget_statement(&mut stmt, &resolver)?;
        // A subquery in an UPDATE's or DELETE's WHERE that does not depend on the row is
        // computed once.
        match &mut stmt {
            SqlStatement::Update {
                selection: Some(e), ..
            }
            | SqlStatement::Delete(sqlparser::ast::Delete {
                selection: Some(e), ..
            }) if self.optimise => self.inline_in(e, &resolver, now)?,
            _ => {}
        }
        self.rewrite(&mut stmt, &resolver, now)?;
        self.refuse_infinite_update(&stmt)?;
        self.refuse_unfit_update(&mut stmt)?;
        let payload = self.glue_execute(&stmt)?;
        Ok((payload_output(payload), vec![]))
    }

    /// MySQL refuses to store a DOUBLE out of range (`SET x = EXP(1000)`: error 1690); GlueSQL
    /// would store an infinity. The values an UPDATE computes are computed first, read-only,
    /// when they are more than literals and columns (and draw no random numbers, which must be
    /// drawn once).
    fn refuse_infinite_update(&mut self, stmt: &SqlStatement) -> Result<(), SqlError> {
        let Some((table, assignments, selection)) = update_parts(stmt) else {
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
            dialect::build::select_query(projection, vec![table.clone()], selection.cloned());
        let payload = self.glue_execute(&SqlStatement::Query(Box::new(query)))?;
        refuse_infinite(&payload)
    }

    /// GlueSQL's own pipeline, for a statement already in its terms. Its `RAND()` draws from
    /// the session's seeded sequence, which moves on by the numbers drawn.
    pub(crate) fn glue_execute(&mut self, stmt: &SqlStatement) -> Result<Payload, SqlError> {
        let translated = translate(stmt).map_err(SqlError::from_glue)?;
        // MySQL's DECIMAL(M,D), FLOAT(M,D) and UNSIGNED fractions, which GlueSQL's types do
        // not carry, for the table a write stores into (column_fit::number_fits).
        let fits = match &translated {
            gluesql_core::ast::Statement::Insert { table_name, .. }
            | gluesql_core::ast::Statement::Update { table_name, .. } => {
                self.number_fits(table_name)
            }
            _ => Vec::new(),
        };
        gluesql_core::executor::set_column_fits(fits);
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
        gluesql_core::executor::set_column_fits(Vec::new());
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

/// An UPDATE without FROM, in parts: its table, its assignments and its WHERE.
pub(crate) fn update_parts(
    stmt: &SqlStatement,
) -> Option<(
    &sqlparser::ast::TableWithJoins,
    &[sqlparser::ast::Assignment],
    Option<&sqlparser::ast::Expr>,
)> {
    match stmt {
        SqlStatement::Update {
            table,
            assignments,
            from: None,
            selection,
            ..
        } => Some((table, assignments, selection.as_ref())),
        _ => None,
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
        // `UPDATE students s SET s.kor = …`: GlueSQL takes only a bare column name to set, and
        // in a one-table UPDATE the qualifier can only name that table (by its alias when it
        // has one, as in MySQL).
        SqlStatement::Update {
            table,
            assignments,
            selection,
            ..
        } if table.joins.is_empty() => {
            let Some(own) = own_name(&table.relation) else {
                return Ok(());
            };
            for a in assignments.iter_mut() {
                if let sqlparser::ast::AssignmentTarget::ColumnName(column) = &mut a.target {
                    if column.0.len() >= 2 {
                        if !column.0[column.0.len() - 2]
                            .value
                            .eq_ignore_ascii_case(&own)
                        {
                            return Err(not_this_table(&column.to_string(), &own));
                        }
                        column.0.drain(..column.0.len() - 1);
                    }
                }
            }
            let values = assignments
                .iter_mut()
                .map(|a| &mut a.value)
                .chain(selection.as_mut());
            name_by_storage(&mut table.relation, values, names)?;
        }
        SqlStatement::Delete(sqlparser::ast::Delete {
            tables,
            from:
                sqlparser::ast::FromTable::WithFromKeyword(from)
                | sqlparser::ast::FromTable::WithoutKeyword(from),
            using: None,
            selection,
            ..
        }) if tables.is_empty() && from.len() == 1 && from[0].joins.is_empty() => {
            name_by_storage(&mut from[0].relation, selection.as_mut().into_iter(), names)?;
        }
        _ => {}
    }
    Ok(())
}

/// MySQL's 1054 for `UPDATE pets p SET pets.age = …`: the table goes by `p` there.
fn not_this_table(column: &str, own: &str) -> SqlError {
    let bare = column.rsplit('.').next().unwrap_or(column);
    crate::error::explained(
        "not_found",
        sqlnori_model::Localized::new(
            format!(
                "SET에 쓴 열 {} 찾을 수 없습니다 (MySQL 오류 1054).",
                sqlnori_model::korean::eul(&format!("`{column}`"))
            ),
            format!("Unknown column '{column}' in 'field list' (MySQL error 1054)."),
        ),
        Some(column.to_owned()),
        Some(sqlnori_model::Localized::new(
            format!(
                "이 UPDATE에서 표의 이름은 `{own}`입니다: `{own}.{bare}` 또는 `{bare}`로 쓰세요"
            ),
            format!("in this UPDATE the table is called `{own}`: write `{own}.{bare}` or `{bare}`"),
        )),
    )
}

/// The name a one-table statement's table goes by: its alias, or its own name (`None` for
/// anything but a stored table).
fn own_name(relation: &sqlparser::ast::TableFactor) -> Option<String> {
    matches!(relation, sqlparser::ast::TableFactor::Table { .. })
        .then(|| dialect::build::factor_alias(relation))
        .flatten()
}

/// GlueSQL knows the table of a one-table UPDATE or DELETE by its storage name only:
/// `s.kor` (or `students.kor`) in `exprs` names it so, except inside a subquery that takes
/// the name for a table of its own, and the alias goes.
fn name_by_storage<'e>(
    relation: &mut sqlparser::ast::TableFactor,
    exprs: impl Iterator<Item = &'e mut sqlparser::ast::Expr>,
    names: &NameResolver,
) -> Result<(), SqlError> {
    let Some(own) = own_name(relation) else {
        return Ok(());
    };
    let sqlparser::ast::TableFactor::Table { name, alias, .. } = relation else {
        return Ok(());
    };
    let stored = NameResolver::storage_object(&names.resolve(name)?)
        .0
        .remove(0);
    let mut unalias = Unalias {
        alias: &own,
        table: &stored,
        shadowed: vec![],
    };
    for e in exprs {
        let _ = crate::walk::visit_mut(e, &mut unalias);
    }
    *alias = None;
    Ok(())
}

/// Gives a one-table statement's own qualifier (`s.kor`) the table's storage name in the
/// expressions it is walked over, except inside a subquery whose FROM takes the same name for
/// a table of its own.
struct Unalias<'a> {
    alias: &'a str,
    table: &'a sqlparser::ast::Ident,
    /// One entry per subquery the walk is in: whether its FROM takes the alias.
    shadowed: Vec<bool>,
}

impl sqlparser::ast::VisitorMut for Unalias<'_> {
    type Break = ();
    fn pre_visit_query(&mut self, q: &mut sqlparser::ast::Query) -> std::ops::ControlFlow<()> {
        let takes = |f: &sqlparser::ast::TableFactor| {
            dialect::build::factor_alias(f).is_some_and(|n| n.eq_ignore_ascii_case(self.alias))
        };
        let shadows = match q.body.as_ref() {
            sqlparser::ast::SetExpr::Select(sel) => sel
                .from
                .iter()
                .any(|t| takes(&t.relation) || t.joins.iter().any(|j| takes(&j.relation))),
            _ => false,
        };
        self.shadowed.push(shadows);
        std::ops::ControlFlow::Continue(())
    }
    fn post_visit_query(&mut self, _: &mut sqlparser::ast::Query) -> std::ops::ControlFlow<()> {
        self.shadowed.pop();
        std::ops::ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &mut sqlparser::ast::Expr) -> std::ops::ControlFlow<()> {
        if let sqlparser::ast::Expr::CompoundIdentifier(parts) = e {
            if parts.len() == 2
                && parts[0].value.eq_ignore_ascii_case(self.alias)
                && !self.shadowed.contains(&true)
            {
                parts[0] = self.table.clone();
            }
        }
        std::ops::ControlFlow::Continue(())
    }
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
