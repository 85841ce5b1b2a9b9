//! The catalogue: databases as namespaces over GlueSQL's one flat set of tables, `SHOW` and
//! `DESCRIBE`, and the schema the sidebar shows.

use crate::dialect::{self, build, NameResolver, TableRef};
use crate::error::SqlError;
use crate::glue::{affected, text_rows};
use crate::{Engine, Executed};
use sqlnori_model::diagnostics::Warning;
use sqlnori_model::split::ScriptStatement;
use sqlnori_model::{Cell, ColumnInfo, Localized, Output, StatementResult, TableInfo};
use sqlparser::ast::{Ident, ObjectName, ObjectType, SelectItem, Statement as SqlStatement};

impl Engine {
    pub(crate) fn create_database(&mut self, name: &ObjectName, if_not_exists: bool) -> Executed {
        let name = single_name(name)?;
        if self.state.databases.contains(&name) {
            let exists = Localized::new(
                format!(
                    "데이터베이스 {} 이미 있습니다",
                    sqlnori_model::korean::i(&name)
                ),
                format!("database {name} already exists"),
            );
            if if_not_exists {
                crate::warnings::warn(Warning::note(
                    1007,
                    exists.ko,
                    format!("Can't create database '{name}'; database exists"),
                ));
                return Ok((affected("CREATE DATABASE", 0), vec![]));
            }
            return Err(SqlError::Invalid(Localized::new(
                exists.ko,
                format!("can't create database '{name}'; database exists"),
            )));
        }
        self.state.databases.insert(name);
        Ok((affected("CREATE DATABASE", 1), vec![]))
    }

    pub(crate) fn use_database(&mut self, u: &sqlparser::ast::Use) -> Executed {
        use sqlparser::ast::Use as U;
        let name = match u {
            U::Object(n) | U::Database(n) | U::Schema(n) => single_name(n)?,
            _ => {
                return Err(SqlError::Unsupported {
                    feature: Localized::new("이런 형태의 USE", "this form of USE"),
                    hint: Some(Localized::new("USE 데이터베이스이름", "USE database_name")),
                })
            }
        };
        // MySQL answers "access denied" before it says whether the database exists.
        self.require_any_in_database(&name)?;
        if !self.state.databases.contains(&name) {
            return Err(SqlError::NotFound {
                what: "database",
                name,
            });
        }
        self.state.current_db = name;
        Ok((affected("USE", 0), vec![]))
    }

    pub(crate) fn drop_databases(&mut self, names: &[ObjectName], if_exists: bool) -> Executed {
        let mut dropped = 0;
        for n in names {
            let name = single_name(n)?;
            if !self.state.databases.remove(&name) {
                if if_exists {
                    crate::warnings::warn(Warning::note(
                        1008,
                        format!(
                            "데이터베이스 {} 없어서 건너뜁니다",
                            sqlnori_model::korean::i(&name)
                        ),
                        format!("Can't drop database '{name}'; database doesn't exist"),
                    ));
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
                self.forget_table(&t);
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

    /// `DROP TABLE`: GlueSQL drops the rows, the layer forgets the table's counter and types.
    pub(crate) fn drop_tables(
        &mut self,
        names: &[ObjectName],
        if_exists: bool,
        now: &str,
    ) -> Executed {
        let resolver = self.resolver();
        let tables = names
            .iter()
            .map(|n| resolver.resolve(n))
            .collect::<Result<Vec<_>, _>>()?;
        if if_exists {
            // MySQL's note 1051 for each table that was not there.
            for t in tables.iter().filter(|t| !self.table_exists(&t.storage)) {
                crate::warnings::warn(Warning::note(
                    1051,
                    format!(
                        "표 {} 없어서 건너뜁니다",
                        sqlnori_model::korean::i(&t.written)
                    ),
                    format!("Unknown table '{}'", t.storage),
                ));
            }
        }
        let stmt = SqlStatement::Drop {
            object_type: ObjectType::Table,
            names: tables.iter().map(NameResolver::storage_object).collect(),
            if_exists,
            cascade: false,
            restrict: false,
            purge: false,
            temporary: false,
        };
        let (_, notes) = self.run_glue(stmt, now)?;
        for t in &tables {
            self.state.auto_increment.remove(&t.storage);
            self.state.declared_types.remove(&t.storage);
            self.move_table_constraints(&t.storage, None);
        }
        // MySQL reports no rows for DROP TABLE.
        Ok((affected("DROP TABLE", 0), notes))
    }

    /// Removes a table and everything the layer knows of it.
    pub(crate) fn forget_table(&mut self, storage: &str) {
        self.drop_hidden(storage);
        self.state.auto_increment.remove(storage);
        self.state.declared_types.remove(storage);
        self.move_table_constraints(storage, None);
    }

    pub(crate) fn show_databases(&self, like: Option<&str>) -> Output {
        let rows = self
            .state
            .databases
            .iter()
            .filter(|d| self.may_see_database(d))
            .filter(|d| like.is_none_or(|p| like_matches(p, d)))
            .map(|d| vec![Cell::Text(d.clone())])
            .collect();
        text_rows(&["Database"], rows)
    }

    /// `SHOW TABLES [FROM db] [LIKE 'pattern']`.
    pub(crate) fn show_tables(&self, db: Option<&Ident>, like: Option<&str>) -> Output {
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
            .filter(|(d, t)| *d == db && self.may_see_table(d, t))
            .filter(|(_, t)| like.is_none_or(|p| like_matches(p, t)))
            .map(|(_, t)| t)
            .collect();
        sqlnori_model::sort::sort(&mut names);
        let rows = names.into_iter().map(|t| vec![Cell::Text(t)]).collect();
        text_rows(&[&format!("Tables_in_{db}")], rows)
    }

    /// `DESCRIBE t`, `SHOW COLUMNS FROM t [LIKE 'pattern']`: the columns whose names match.
    pub(crate) fn describe(&self, name: &ObjectName, like: Option<&str>) -> Executed {
        let target = self.resolver().resolve(name)?;
        if let Some((db, table)) = dialect::split_storage_name(&target.storage) {
            self.require_any_on_table(db, table)?;
        }
        let columns = self.fetch_schema(&target)?;
        let text = |s: &str| Cell::Text(s.to_owned());
        let rows = columns
            .into_iter()
            .filter(|c| like.is_none_or(|p| like_matches(p, &c.name)))
            .map(|c| {
                let extra = extra(&c);
                vec![
                    Cell::Text(c.name),
                    Cell::Text(c.data_type),
                    text(if c.nullable { "YES" } else { "NO" }),
                    text(if c.primary_key {
                        "PRI"
                    } else if c.references.is_some() {
                        "MUL"
                    } else {
                        ""
                    }),
                    c.default
                        .as_deref()
                        .map_or(Cell::Null, |d| text(&shown_default(d))),
                    text(&extra),
                ]
            })
            .collect();
        Ok((
            text_rows(&["Field", "Type", "Null", "Key", "Default", "Extra"], rows),
            vec![],
        ))
    }

    /// `(database, table)` of every visible table, sorted.
    pub(crate) fn tables(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .storage
            .items
            .keys()
            .filter_map(|k| dialect::split_storage_name(k))
            .map(|(d, t)| (d.to_owned(), t.to_owned()))
            .collect();
        sqlnori_model::sort::sort(&mut v);
        v
    }

    pub(crate) fn table_exists(&self, storage: &str) -> bool {
        self.storage.items.contains_key(storage)
    }

    pub(crate) fn fetch_schema(&self, target: &TableRef) -> Result<Vec<ColumnInfo>, SqlError> {
        self.column_infos(&target.storage)
            .ok_or_else(|| SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            })
    }

    pub(crate) fn column_infos(&self, storage: &str) -> Option<Vec<ColumnInfo>> {
        let item = self.storage.items.get(storage)?;
        let declared = self.state.declared_types.get(storage);
        let ai = self.state.auto_increment.get(storage);
        let on_update = self.state.on_update.get(storage);
        let primary = self.primary_columns(storage);
        Some(
            item.schema
                .column_defs
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, c)| ColumnInfo {
                    name: c.name.clone(),
                    data_type: declared
                        .and_then(|d| d.get(i))
                        .cloned()
                        .unwrap_or_else(|| crate::convert::type_name(&c.data_type).to_owned()),
                    nullable: c.nullable,
                    primary_key: primary.contains(&c.name),
                    auto_increment: ai.is_some_and(|a| a.column == c.name),
                    references: item
                        .schema
                        .foreign_keys
                        .iter()
                        .find(|f| f.referencing_column_name == c.name)
                        .and_then(|f| {
                            let (database, table) =
                                dialect::split_storage_name(&f.referenced_table_name)?;
                            Some(sqlnori_model::ColumnRef {
                                database: database.to_owned(),
                                table: table.to_owned(),
                                column: f.referenced_column_name.clone(),
                            })
                        }),
                    default: c.default.as_ref().map(default_sql),
                    on_update: on_update.is_some_and(|cs| cs.contains(&c.name)),
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
                let mut indexes = self.table_indexes(&storage);
                sqlnori_model::sort::sort_by_key(&mut indexes, |i| !i.unique);
                TableInfo {
                    columns: self.column_infos(&storage).unwrap_or_default(),
                    database,
                    name,
                    row_count,
                    indexes: indexes
                        .into_iter()
                        .map(|i| sqlnori_model::schema::IndexInfo {
                            name: i.name,
                            columns: i
                                .columns
                                .into_iter()
                                .map(|(c, p)| p.map_or(c.clone(), |p| format!("{c}({p})")))
                                .collect(),
                            unique: i.unique,
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// The first `limit` rows of a table, for the sidebar's preview: `SELECT * FROM db.t
    /// LIMIT n`, built as AST so any table name works.
    pub fn preview(&mut self, database: &str, table: &str, limit: u64) -> StatementResult {
        let name = ObjectName(vec![
            Ident::with_quote('`', database),
            Ident::with_quote('`', table),
        ]);
        let mut query = build::select_query(
            vec![SelectItem::Wildcard(Default::default())],
            vec![build::from_table(name)],
            None,
        );
        query.limit = Some(build::num(limit));
        let stmt = ScriptStatement::whole(&query.to_string());
        let outcome = self
            .run_query(query, &self.resolver(), "")
            .map(|rows| crate::convert::rows_output(&rows))
            .map_err(|e| e.placed(&stmt));
        StatementResult {
            sql: stmt.sql,
            span: stmt.span,
            outcome,
            notes: vec![],
            warnings: vec![],
            elapsed_ms: 0.0,
        }
    }

    /// The databases, sorted.
    pub fn databases(&self) -> Vec<String> {
        self.state.databases.iter().cloned().collect()
    }
}

pub(crate) fn single_name(name: &ObjectName) -> Result<String, SqlError> {
    match name.0.as_slice() {
        [one] => Ok(one.value.clone()),
        _ => Err(SqlError::Invalid(Localized::new(
            format!("데이터베이스 이름이 올바르지 않습니다: {name}"),
            format!("invalid database name: {name}"),
        ))),
    }
}

/// MySQL's `LIKE` on a name, ignoring case as its default collation does: `%` any run of
/// characters, `_` one character, `\\` escapes the next.
pub(crate) fn like_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Positions of the text reachable after each pattern character (a linear-time walk).
    let mut reach = vec![false; t.len() + 1];
    reach[0] = true;
    let mut i = 0;
    while i < p.len() {
        let mut next = vec![false; t.len() + 1];
        match p[i] {
            '%' => {
                let mut on = false;
                for (j, r) in reach.iter().enumerate() {
                    on |= *r;
                    next[j] = on;
                }
            }
            c => {
                let (c, any) = match c {
                    '\\' if i + 1 < p.len() => {
                        i += 1;
                        (p[i], false)
                    }
                    '_' => (c, true),
                    c => (c, false),
                };
                for j in 0..t.len() {
                    next[j + 1] = reach[j] && (any || t[j] == c);
                }
            }
        }
        reach = next;
        i += 1;
    }
    reach[t.len()]
}

/// A column's DEFAULT as SQL, as SHOW CREATE TABLE and the dump write it (`5`, `'hi'`,
/// `CURRENT_TIMESTAMP`).
fn default_sql(e: &gluesql_core::ast::Expr) -> String {
    use gluesql_core::ast::{Expr, Function, ToSql};
    match e {
        Expr::Function(f) if matches!(**f, Function::CurrentTimestamp() | Function::Now()) => {
            "CURRENT_TIMESTAMP".to_owned()
        }
        other => other.to_sql(),
    }
}

/// A DEFAULT as DESCRIBE shows it: text without its quotes (`hi`), anything else as written.
fn shown_default(sql: &str) -> String {
    match sql.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => sql.to_owned(),
    }
}

/// DESCRIBE's Extra, as MySQL 8 writes it: `auto_increment`, `DEFAULT_GENERATED` for a
/// DEFAULT that is an expression (CURRENT_TIMESTAMP), `on update CURRENT_TIMESTAMP`.
fn extra(c: &ColumnInfo) -> String {
    let mut parts = Vec::new();
    if c.auto_increment {
        parts.push("auto_increment");
    }
    if c.default.as_deref().is_some_and(|d| {
        let d = d
            .trim_matches(|ch| ch == '(' || ch == ')')
            .to_ascii_uppercase();
        d.starts_with("CURRENT_") || d.starts_with("NOW")
    }) {
        parts.push("DEFAULT_GENERATED");
    }
    if c.on_update {
        parts.push("on update CURRENT_TIMESTAMP");
    }
    parts.join(" ")
}

#[cfg(test)]
mod like_tests {
    use super::like_matches;

    #[test]
    fn like_as_mysql_reads_it() {
        assert!(like_matches("k%", "kor"));
        assert!(like_matches("K_R", "kor"));
        assert!(!like_matches("k_", "kor"));
        assert!(like_matches("%", ""));
        assert!(like_matches("%o%", "kor"));
        assert!(like_matches("a\\_b", "a_b"));
        assert!(!like_matches("a\\_b", "axb"));
        assert!(like_matches("이%", "이름"));
    }
}
