//! Tables and views as MySQL makes them: `CREATE TABLE` (MySQL types, AUTO_INCREMENT,
//! table-level keys), views, `TRUNCATE`, `RENAME TABLE`, and the forms sqlparser 0.52 does
//! not parse (`INSERT … SET`, `RENAME TABLE`), read with its parser.

use crate::dialect::{self, build, NameResolver, AUTO_INCREMENT};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use sqlnori_model::snapshot::AutoIncrement;
use sqlnori_model::Localized;
use sqlparser::ast::{ColumnOption, Ident, ObjectName};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;

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
        Err(e) => return Some(Err(crate::dialect::parse_error(sql, &e))),
    };
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for a in assignments {
        let sqlparser::ast::AssignmentTarget::ColumnName(name) = a.target else {
            return Some(Err(SqlError::Unsupported {
                feature: Localized::new(
                    "괄호로 묶은 여러 열에 값을 주는 INSERT … SET",
                    "INSERT … SET with a tuple",
                ),
                hint: None,
            }));
        };
        columns.extend(name.0.last().cloned());
        values.push(a.value);
    }
    Some(Ok(build::insert_values(name, columns, vec![values])))
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
        .map_err(|e| crate::dialect::parse_error(sql, &e)),
    )
}

impl Engine {
    pub(crate) fn create_table(&mut self, mut ct: sqlparser::ast::CreateTable) -> Executed {
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
        // on the column itself. A UNIQUE key over several columns is the layer's index; a
        // PRIMARY KEY over several columns is not supported.
        let mut remaining = Vec::new();
        // Indexes named in the statement, kept by the layer once the table exists.
        let mut plain_indexes: Vec<(Option<String>, crate::indexes::IndexColumns, bool)> =
            Vec::new();
        for constraint in std::mem::take(&mut ct.constraints) {
            use sqlparser::ast::TableConstraint as C;
            let (columns, is_primary) = match &constraint {
                C::PrimaryKey { columns, .. } => (columns.clone(), true),
                C::Unique {
                    columns,
                    name,
                    index_name,
                    ..
                } => {
                    // Over several columns: a UNIQUE index the layer enforces (see indexes.rs).
                    if columns.len() > 1 {
                        plain_indexes.push((
                            index_name
                                .as_ref()
                                .or(name.as_ref())
                                .map(|n| n.value.clone()),
                            columns.iter().map(|c| (c.value.clone(), None)).collect(),
                            true,
                        ));
                        continue;
                    }
                    // A named UNIQUE key keeps its name (SHOW INDEX, SHOW CREATE TABLE).
                    if let (Some(key), [column]) =
                        (index_name.as_ref().or(name.as_ref()), columns.as_slice())
                    {
                        plain_indexes.push((
                            Some(key.value.clone()),
                            vec![(column.value.clone(), None)],
                            true,
                        ));
                    }
                    (columns.clone(), false)
                }
                // `INDEX name (a, b)`, `KEY (a)`: kept by the layer once the table exists.
                C::Index { name, columns, .. } => {
                    plain_indexes.push((
                        name.as_ref().map(|n| n.value.clone()),
                        columns.iter().map(|c| (c.value.clone(), None)).collect(),
                        false,
                    ));
                    continue;
                }
                _ => {
                    remaining.push(constraint);
                    continue;
                }
            };
            let [column] = columns.as_slice() else {
                return Err(SqlError::Unsupported {
                    feature: {
                        let key = if is_primary { "PRIMARY KEY" } else { "UNIQUE" };
                        Localized::new(
                            format!("여러 열에 걸친 {key}"),
                            format!("{key} over several columns"),
                        )
                    },
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
        foreign_keys(&mut ct, &resolver, &target)?;
        let start = ct.auto_increment_offset.map_or(1, i64::from);
        ct.name = NameResolver::storage_object(&target);
        refuse_binary_collations(&ct)?;
        ct.engine = None;
        ct.default_charset = None;
        ct.collation = None;
        ct.auto_increment_offset = None;
        ct.comment = None;
        self.glue_execute(&sqlparser::ast::Statement::CreateTable(ct))?;
        if existed {
            // MySQL's note 1050 (the statement still succeeds).
            let table = target.storage.rsplit('.').next().unwrap_or(&target.written);
            crate::warnings::warn(sqlnori_model::diagnostics::Warning::note(
                1050,
                format!(
                    "테이블 {} 이미 있어서 그대로 두었습니다",
                    sqlnori_model::korean::i(&target.written)
                ),
                format!("Table '{table}' already exists"),
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
            self.state
                .declared_types
                .insert(target.storage.clone(), declared);
            for (name, columns, unique) in plain_indexes {
                self.add_index(&target, name, columns, unique, false)?;
            }
        }
        Ok((affected("CREATE TABLE", 0), vec![]))
    }

    pub(crate) fn create_view(
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
                format!(
                    "{} 이미 있습니다",
                    sqlnori_model::korean::i(&target.written)
                ),
                format!("table or view '{}' already exists", target.written),
            )));
        }
        self.state.views.insert(target.storage, query.to_string());
        Ok((affected("CREATE VIEW", 0), vec![]))
    }

    pub(crate) fn drop_views(&mut self, names: &[ObjectName], if_exists: bool) -> Executed {
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
    pub(crate) fn truncate(&mut self, names: &[ObjectName]) -> Executed {
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

    pub(crate) fn rename_tables(&mut self, pairs: &[(ObjectName, ObjectName)]) -> Executed {
        let resolver = self.resolver();
        for (from, to) in pairs {
            let from = resolver.resolve(from)?;
            let to = resolver.resolve(to)?;
            if self.table_exists(&to.storage) {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "테이블 {} 이미 있습니다",
                        sqlnori_model::korean::i(&to.written)
                    ),
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
            self.move_indexes(&from.storage, Some(&to.storage));
        }
        Ok((affected("RENAME TABLE", 0), vec![]))
    }
}

/// `REFERENCES t (c)` on a column and `[CONSTRAINT n] FOREIGN KEY (a) REFERENCES t (c)` after
/// the columns, as GlueSQL keeps them: table constraints naming the referenced table by its
/// storage name, each named (`<table>_ibfk_<n>` when the learner gave no name, as InnoDB names
/// them). GlueSQL enforces them as InnoDB does by default (RESTRICT); the other actions and
/// keys over several columns are refused with a sentence saying so.
fn foreign_keys(
    ct: &mut sqlparser::ast::CreateTable,
    resolver: &NameResolver,
    target: &crate::dialect::TableRef,
) -> Result<(), SqlError> {
    use sqlparser::ast::{ReferentialAction as A, TableConstraint as C};
    for col in &mut ct.columns {
        let mut kept = Vec::new();
        for o in std::mem::take(&mut col.options) {
            match o.option {
                ColumnOption::ForeignKey {
                    foreign_table,
                    referred_columns,
                    on_delete,
                    on_update,
                    characteristics,
                } => ct.constraints.push(C::ForeignKey {
                    name: o.name,
                    columns: vec![col.name.clone()],
                    foreign_table,
                    referred_columns,
                    on_delete,
                    on_update,
                    characteristics,
                }),
                option => kept.push(sqlparser::ast::ColumnOptionDef {
                    name: o.name,
                    option,
                }),
            }
        }
        col.options = kept;
    }
    let mut n = 0;
    for constraint in &mut ct.constraints {
        let C::ForeignKey {
            name,
            columns,
            foreign_table,
            referred_columns,
            on_delete,
            on_update,
            ..
        } = constraint
        else {
            continue;
        };
        n += 1;
        if columns.len() != 1 || referred_columns.len() != 1 {
            return Err(SqlError::Unsupported {
                feature: Localized::new("여러 열에 걸친 FOREIGN KEY", "FOREIGN KEY over several columns"),
                hint: Some(Localized::new(
                    "외래 키는 열 하나에만 걸 수 있습니다. 예: FOREIGN KEY (dept_id) REFERENCES dept (id)",
                    "a foreign key covers one column here, as in FOREIGN KEY (dept_id) REFERENCES dept (id)",
                )),
            });
        }
        for action in [on_delete.take(), on_update.take()].into_iter().flatten() {
            if !matches!(action, A::Restrict | A::NoAction) {
                return Err(SqlError::Unsupported {
                    feature: Localized::new(
                        format!("외래 키의 ON DELETE/ON UPDATE {action}"),
                        format!("ON DELETE/ON UPDATE {action} on a foreign key"),
                    ),
                    hint: Some(Localized::new(
                        "MySQL의 기본값(RESTRICT)만 됩니다: 참조되는 행은 먼저 참조하는 행을 지운 뒤에 지우세요",
                        "only MySQL's default (RESTRICT) runs here: delete the referencing rows before the row they reference",
                    )),
                });
            }
        }
        let referenced = if foreign_table.0.len() == 1
            && foreign_table.0[0]
                .value
                .eq_ignore_ascii_case(&target.written)
        {
            target.clone()
        } else {
            resolver.resolve(foreign_table)?
        };
        *foreign_table = NameResolver::storage_object(&referenced);
        if name.is_none() {
            *name = Some(sqlparser::ast::Ident::new(format!(
                "{}_ibfk_{n}",
                target.written
            )));
        }
    }
    Ok(())
}

/// A table or column declared with a binary or case-sensitive collation would compare its text
/// byte by byte in MySQL; sqlnori compares stored text one way only (case- and
/// accent-insensitive), so it says so instead of answering differently. `…_ci` collations
/// are accepted (they are how sqlnori compares), unknown names are error 1273.
fn refuse_binary_collations(ct: &sqlparser::ast::CreateTable) -> Result<(), SqlError> {
    let declared = ct
        .collation
        .iter()
        .map(|c| sqlparser::ast::ObjectName(vec![Ident::new(c)]));
    let columns = ct.columns.iter().filter_map(|c| c.collation.clone());
    for name in declared.chain(columns) {
        if crate::dialect::is_binary_collation(&name)? {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("열이나 테이블의 콜레이션 {name}"),
                    format!("the collation {name} on a column or table"),
                ),
                hint: Some(Localized::new(
                    "열은 기본 콜레이션(대소문자·악센트 무시)으로 두고, 바이트 그대로 비교할 곳에서 BINARY name 또는 name COLLATE utf8mb4_bin을 쓰세요",
                    "leave the column on the default collation (ignoring case and accents) and write BINARY name or name COLLATE utf8mb4_bin where bytes must match",
                )),
            });
        }
    }
    Ok(())
}
