//! MySQL statements GlueSQL lacks, done by the layer over GlueSQL's storage: views,
//! `TRUNCATE`, `RENAME TABLE`, `ALTER TABLE … MODIFY/CHANGE`, `REPLACE`, `INSERT … ON
//! DUPLICATE KEY UPDATE`, `INSERT … SET`, and the account statements (accepted with a note).

use super::{affected, Engine, Executed};
use crate::dialect::{self, NameResolver};
use crate::error::{Localized, SqlError};
use gluesql_core::data::Value;
use sqlparser::ast::{AlterTableOperation, ColumnOption, DataType, Ident, ObjectName};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;

/// Statements about accounts and privileges, recognised by their first words. sqlparser
/// cannot tokenise MySQL's `'user'@'host'`, and sqlnori has one user, so these are accepted
/// with a note and never parsed.
pub fn account_statement(sql: &str) -> Option<&'static str> {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(2)
        .map(|w| {
            w.trim_end_matches(';')
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .collect();
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["CREATE", "USER"] => Some("CREATE USER"),
        ["DROP", "USER"] => Some("DROP USER"),
        ["ALTER", "USER"] => Some("ALTER USER"),
        ["RENAME", "USER"] => Some("RENAME USER"),
        ["CREATE", "ROLE"] => Some("CREATE ROLE"),
        ["DROP", "ROLE"] => Some("DROP ROLE"),
        ["GRANT", ..] => Some("GRANT"),
        ["REVOKE", ..] => Some("REVOKE"),
        ["SET", "PASSWORD"] => Some("SET PASSWORD"),
        ["FLUSH", "PRIVILEGES"] => Some("FLUSH PRIVILEGES"),
        _ => None,
    }
}

pub fn account_note() -> Localized {
    Localized::new(
        "계정·권한 문장은 받아들였지만 실제 권한은 아직 흉내 내지 않습니다: sqlnori에는 모든 권한을 가진 사용자 한 명만 있습니다",
        "account and privilege statements are accepted but not simulated yet: sqlnori has one user, who holds every privilege",
    )
}

/// `INSERT [INTO] t SET a = 1, b = 2` as `INSERT INTO t (a, b) VALUES (1, 2)`; `None` when the
/// text is not of that form. (sqlparser 0.52 does not parse this MySQL form.)
pub fn insert_set(sql: &str) -> Option<Result<sqlparser::ast::Statement, SqlError>> {
    let dialect = MySqlDialect {};
    let mut p = Parser::new(&dialect).try_with_sql(sql).ok()?;
    if !p.parse_keyword(Keyword::INSERT) {
        return None;
    }
    let _ = p.parse_keyword(Keyword::INTO);
    let name = p.parse_object_name(false).ok()?;
    if !p.parse_keyword(Keyword::SET) {
        return None;
    }
    let assignments = match p.parse_comma_separated(Parser::parse_assignment) {
        Ok(a) => a,
        Err(e) => return Some(Err(SqlError::Engine(e.to_string()))),
    };
    let columns: Vec<String> = assignments.iter().map(|a| a.target.to_string()).collect();
    let values: Vec<String> = assignments.iter().map(|a| a.value.to_string()).collect();
    let text = format!(
        "INSERT INTO {name} ({}) VALUES ({})",
        columns.join(", "),
        values.join(", ")
    );
    Some(dialect::parse_mysql(&text).and_then(|mut s| {
        s.pop()
            .ok_or_else(|| SqlError::Engine("empty INSERT … SET".to_owned()))
    }))
}

/// `RENAME TABLE a TO b[, c TO d]`; `None` when the text is not of that form.
pub fn rename_table(sql: &str) -> Option<Result<Vec<(ObjectName, ObjectName)>, SqlError>> {
    let dialect = MySqlDialect {};
    let mut p = Parser::new(&dialect).try_with_sql(sql).ok()?;
    if !(p.parse_keyword(Keyword::RENAME) && p.parse_keyword(Keyword::TABLE)) {
        return None;
    }
    Some(
        p.parse_comma_separated(|p| {
            let from = p.parse_object_name(false)?;
            p.expect_keyword(Keyword::TO)?;
            let to = p.parse_object_name(false)?;
            Ok((from, to))
        })
        .map_err(|e| SqlError::Engine(e.to_string())),
    )
}

impl Engine {
    pub(super) fn create_view(
        &mut self,
        name: &ObjectName,
        query: &sqlparser::ast::Query,
        or_replace: bool,
    ) -> Executed {
        let target = self.resolver().resolve(name)?;
        if self.table_exists(&target.storage)
            || (self.state.views.contains_key(&target.storage) && !or_replace)
        {
            return Err(SqlError::Invalid(Localized::new(
                format!("{}이(가) 이미 있습니다", target.written),
                format!("table or view '{}' already exists", target.written),
            )));
        }
        self.state.views.insert(target.storage, query.to_string());
        Ok((affected("CREATE VIEW", 0), vec![]))
    }

    pub(super) fn drop_views(&mut self, names: &[ObjectName], if_exists: bool) -> Executed {
        let resolver = self.resolver();
        let mut dropped = 0;
        for n in names {
            let t = resolver.resolve(n)?;
            if self.state.views.remove(&t.storage).is_some() {
                dropped += 1;
            } else if !if_exists {
                return Err(SqlError::NotFound {
                    what: "view",
                    name: t.written,
                });
            }
        }
        Ok((affected("DROP VIEW", dropped), vec![]))
    }

    /// `TRUNCATE`: every row goes and AUTO_INCREMENT starts again at 1.
    pub(super) fn truncate(&mut self, names: &[ObjectName]) -> Executed {
        let resolver = self.resolver();
        for n in names {
            let t = resolver.resolve(n)?;
            let item =
                self.storage
                    .items
                    .get_mut(&t.storage)
                    .ok_or_else(|| SqlError::NotFound {
                        what: "table",
                        name: t.written.clone(),
                    })?;
            item.rows.clear();
            if let Some(ai) = self.state.auto_increment.get_mut(&t.storage) {
                ai.next = 1;
            }
        }
        Ok((affected("TRUNCATE", 0), vec![]))
    }

    pub(super) fn rename_tables(&mut self, pairs: &[(ObjectName, ObjectName)]) -> Executed {
        let resolver = self.resolver();
        for (from, to) in pairs {
            let from = resolver.resolve(from)?;
            let to = resolver.resolve(to)?;
            if self.table_exists(&to.storage) {
                return Err(SqlError::Invalid(Localized::new(
                    format!("테이블 {}이(가) 이미 있습니다", to.written),
                    format!("table '{}' already exists", to.written),
                )));
            }
            let mut item =
                self.storage
                    .items
                    .remove(&from.storage)
                    .ok_or_else(|| SqlError::NotFound {
                        what: "table",
                        name: from.written.clone(),
                    })?;
            item.schema.table_name = to.storage.clone();
            self.storage.items.insert(to.storage.clone(), item);
            if let Some(ai) = self.state.auto_increment.remove(&from.storage) {
                self.state.auto_increment.insert(to.storage.clone(), ai);
            }
            if let Some(d) = self.state.declared_types.remove(&from.storage) {
                self.state.declared_types.insert(to.storage.clone(), d);
            }
        }
        Ok((affected("RENAME TABLE", 0), vec![]))
    }

    /// `ALTER TABLE … MODIFY col type` and `CHANGE old new type`: the column's type changes
    /// and every stored value is converted (a value that does not convert fails the statement
    /// and changes nothing). Other operations go to GlueSQL with MySQL types mapped.
    pub(super) fn alter_table(
        &mut self,
        name: &ObjectName,
        operations: Vec<AlterTableOperation>,
        now: &str,
    ) -> Executed {
        let target = self.resolver().resolve(name)?;
        for op in operations {
            match op {
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    options,
                    ..
                } => self.change_column(&target, &col_name, &col_name, &data_type, &options)?,
                AlterTableOperation::ChangeColumn {
                    old_name,
                    new_name,
                    data_type,
                    options,
                    ..
                } => self.change_column(&target, &old_name, &new_name, &data_type, &options)?,
                AlterTableOperation::AddColumn {
                    column_keyword,
                    if_not_exists,
                    mut column_def,
                    column_position,
                } => {
                    let declared = column_def.data_type.to_string();
                    column_def.data_type = dialect::map_column_type(&column_def.data_type)?;
                    let stmt = sqlparser::ast::Statement::AlterTable {
                        name: NameResolver::storage_object(&target),
                        if_exists: false,
                        only: false,
                        operations: vec![AlterTableOperation::AddColumn {
                            column_keyword,
                            if_not_exists,
                            column_def,
                            column_position,
                        }],
                        location: None,
                        on_cluster: None,
                    };
                    self.glue_execute(&stmt)?;
                    self.state
                        .declared_types
                        .entry(target.storage.clone())
                        .or_default()
                        .push(declared);
                }
                other => {
                    let stmt = sqlparser::ast::Statement::AlterTable {
                        name: name.clone(),
                        if_exists: false,
                        only: false,
                        operations: vec![other],
                        location: None,
                        on_cluster: None,
                    };
                    self.run_glue(stmt, now)?;
                    // Column positions may have changed; the declared spellings no longer line up.
                    self.state.declared_types.remove(&target.storage);
                }
            }
        }
        Ok((affected("ALTER TABLE", 0), vec![]))
    }

    fn change_column(
        &mut self,
        target: &dialect::TableRef,
        old: &Ident,
        new: &Ident,
        declared: &DataType,
        options: &[ColumnOption],
    ) -> Result<(), SqlError> {
        let mapped = dialect::map_column_type(declared)?;
        let glue_type = gluesql_core::translate::translate_data_type(&mapped)
            .map_err(|e| SqlError::Engine(e.to_string()))?;
        let item = self
            .storage
            .items
            .get(&target.storage)
            .ok_or_else(|| SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            })?;
        let defs = item.schema.column_defs.clone().unwrap_or_default();
        let index = defs
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(&old.value))
            .ok_or_else(|| SqlError::NotFound {
                what: "column",
                name: old.value.clone(),
            })?;
        let not_null = options.iter().any(|o| matches!(o, ColumnOption::NotNull));
        // Convert every value first; store only when all converted.
        let mut rows = item.rows.clone();
        for values in rows.values_mut() {
            {
                if let Some(v) = values.get_mut(index) {
                    if v.is_null() && not_null {
                        return Err(SqlError::Invalid(Localized::new(
                            format!(
                                "{} 열에 NULL 값이 있어서 NOT NULL로 바꿀 수 없습니다",
                                old.value
                            ),
                            format!(
                                "column {} holds NULL values, so it cannot become NOT NULL",
                                old.value
                            ),
                        )));
                    }
                    let converted: Value = v.cast(&glue_type).map_err(|e| {
                        SqlError::Invalid(Localized::new(
                            format!(
                                "{} 열의 값 {}을(를) {declared}(으)로 바꿀 수 없습니다: {e}",
                                old.value,
                                String::from(&*v)
                            ),
                            format!(
                                "value {} of column {} does not convert to {declared}: {e}",
                                String::from(&*v),
                                old.value
                            ),
                        ))
                    })?;
                    *v = converted;
                }
            }
        }
        let Some(item) = self.storage.items.get_mut(&target.storage) else {
            return Ok(());
        };
        item.rows = rows;
        if let Some(defs) = item.schema.column_defs.as_mut() {
            if let Some(def) = defs.get_mut(index) {
                def.name = new.value.clone();
                def.data_type = glue_type;
                def.nullable = !not_null && def.unique.is_none_or(|u| !u.is_primary);
            }
        }
        if let Some(d) = self
            .state
            .declared_types
            .get_mut(&target.storage)
            .and_then(|d| d.get_mut(index))
        {
            *d = declared.to_string();
        }
        if let Some(ai) = self.state.auto_increment.get_mut(&target.storage) {
            if ai.column.eq_ignore_ascii_case(&old.value) {
                ai.column = new.value.clone();
            }
        }
        Ok(())
    }
}
