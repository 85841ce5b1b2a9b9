//! Tables and views as MySQL makes them: `CREATE TABLE` (MySQL types, AUTO_INCREMENT,
//! table-level keys), views, `TRUNCATE`, `RENAME TABLE`, and the forms sqlparser 0.52 does
//! not parse (`INSERT … SET`, `RENAME TABLE`), read with its parser.

use crate::dialect::{self, build, NameResolver, AUTO_INCREMENT};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use sqlnori_model::snapshot::{AutoIncrement, DeleteAction, OnDelete};
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

/// `ALTER TABLE t AUTO_INCREMENT [=] n` (sqlparser 0.52 does not parse this MySQL table
/// option in ALTER TABLE); `None` when the text is not of that form.
pub fn alter_auto_increment(sql: &str) -> Option<Result<(ObjectName, u64), SqlError>> {
    let dialect = MySqlDialect {};
    let mut p = Parser::new(&dialect).try_with_sql(sql).ok()?;
    if !(p.parse_keyword(Keyword::ALTER) && p.parse_keyword(Keyword::TABLE)) {
        return None;
    }
    let name = p.parse_object_name(false).ok()?;
    if !p.parse_keyword(Keyword::AUTO_INCREMENT) {
        return None;
    }
    let _ = p.consume_token(&sqlparser::tokenizer::Token::Eq);
    Some(
        p.parse_literal_uint()
            .and_then(|n| match p.peek_token().token {
                sqlparser::tokenizer::Token::EOF | sqlparser::tokenizer::Token::SemiColon => {
                    Ok((name, n))
                }
                _ => p.expected("end of statement", p.peek_token()),
            })
            .map_err(|e| crate::dialect::parse_error(sql, &e)),
    )
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
    pub(crate) fn create_table(
        &mut self,
        mut ct: sqlparser::ast::CreateTable,
        now: &str,
    ) -> Executed {
        let resolver = self.resolver();
        let target = resolver.resolve(&ct.name)?;
        let (db, _) = dialect::split_storage_name(&target.storage).unwrap_or(("", ""));
        if !self.state.databases.contains(db) {
            return Err(SqlError::NotFound {
                what: "database",
                name: db.to_owned(),
            });
        }
        // A TEMPORARY table lives as long as the session in MySQL; a playground's session is
        // the learner's, so it is an ordinary table here, and the note says so.
        if std::mem::take(&mut ct.temporary) {
            let (output, mut notes) = self.create_table(ct, now)?;
            notes.push(Localized::new(
                "sqlnori는 TEMPORARY 표를 보통 표처럼 만듭니다: SHOW TABLES에 보이고, 다시 열어도 남습니다. 다 쓰면 DROP TABLE로 지우세요",
                "sqlnori makes a TEMPORARY table as an ordinary one: SHOW TABLES lists it and it stays after a reload. DROP TABLE it when done",
            ));
            return Ok((output, notes));
        }
        let existed = self.table_exists(&target.storage);
        if let Some(source) = ct.like.take() {
            return self.create_table_like(&target, &source, existed, ct.if_not_exists);
        }
        if let Some(source) = ct.query.take() {
            return self.create_table_as(ct, *source, &target, existed, now);
        }
        let mut auto_column = None;
        let mut declared = Vec::new();
        // CHECK constraints, on a column or after the columns: the layer's (constraints.rs).
        let mut checks: Vec<(Option<String>, sqlparser::ast::Expr)> = Vec::new();
        // `ON UPDATE CURRENT_TIMESTAMP` columns: the layer's (set_order::on_update).
        let mut on_update = Vec::new();
        for col in &mut ct.columns {
            if on_update_option(col.options.iter().map(|o| &o.option))? {
                on_update.push(col.name.value.clone());
            }
            declared.push(dialect::types::declared_text(&col.data_type));
            if matches!(col.data_type, sqlparser::ast::DataType::Zerofill(_)) {
                zerofill_warning(&col.name.value);
            }
            col.data_type = dialect::map_column_type(&col.data_type)?;
            col.options.retain(|o| match &o.option {
                ColumnOption::Check(condition) => {
                    checks.push((o.name.as_ref().map(|n| n.value.clone()), condition.clone()));
                    false
                }
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
        // on the column itself. A key over several columns is the layer's index, enforced by
        // the layer (indexes.rs); a PRIMARY KEY over several columns is the index named
        // `PRIMARY`, its columns NOT NULL as MySQL makes them.
        let mut remaining = Vec::new();
        let mut composite_primary: Option<crate::indexes::IndexColumns> = None;
        // Indexes named in the statement, kept by the layer once the table exists.
        let mut plain_indexes: Vec<(Option<String>, crate::indexes::IndexColumns, bool)> =
            Vec::new();
        for constraint in std::mem::take(&mut ct.constraints) {
            use sqlparser::ast::TableConstraint as C;
            let (columns, is_primary) = match &constraint {
                C::PrimaryKey { columns, .. } if columns.len() > 1 => {
                    let mut key = vec![];
                    for column in columns {
                        let Some(def) = ct
                            .columns
                            .iter_mut()
                            .find(|c| c.name.value.eq_ignore_ascii_case(&column.value))
                        else {
                            return Err(crate::indexes::missing_key_column(&column.value));
                        };
                        if !def
                            .options
                            .iter()
                            .any(|o| o.option == ColumnOption::NotNull)
                        {
                            def.options.push(sqlparser::ast::ColumnOptionDef {
                                name: None,
                                option: ColumnOption::NotNull,
                            });
                        }
                        key.push((def.name.value.clone(), None));
                    }
                    if composite_primary.replace(key).is_some() {
                        return Err(multiple_primary_keys());
                    }
                    continue;
                }
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
                C::Check { name, expr } => {
                    checks.push((name.as_ref().map(|n| n.value.clone()), (**expr).clone()));
                    continue;
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
        let column_primary = ct.columns.iter().any(|c| {
            c.options.iter().any(|o| {
                matches!(
                    o.option,
                    ColumnOption::Unique {
                        is_primary: true,
                        ..
                    }
                )
            })
        });
        if composite_primary.is_some() && column_primary {
            return Err(multiple_primary_keys());
        }
        let on_delete = foreign_keys(&mut ct, &resolver, &target)?;
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
            table_exists_note(&target);
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
            if !on_delete.is_empty() {
                self.state
                    .on_delete
                    .insert(target.storage.clone(), on_delete);
            }
            if !on_update.is_empty() {
                self.state
                    .on_update
                    .insert(target.storage.clone(), on_update);
            }
            if let Some(columns) = composite_primary {
                self.state
                    .indexes
                    .entry(target.storage.clone())
                    .or_default()
                    .insert(
                        0,
                        sqlnori_model::snapshot::IndexDef {
                            name: crate::indexes::PRIMARY.to_owned(),
                            columns,
                            unique: true,
                        },
                    );
            }
            for (name, columns, unique) in plain_indexes {
                self.add_index(&target, name, columns, unique, false)?;
            }
            if let Err(e) = self.add_checks(&target, checks, now) {
                // A CHECK that cannot be kept fails the statement: no table is left behind.
                self.forget_table(&target.storage);
                return Err(e);
            }
        }
        Ok((affected("CREATE TABLE", 0), vec![]))
    }

    /// `CREATE TABLE t LIKE s`: an empty table with `s`'s columns, keys, indexes, CHECKs and
    /// AUTO_INCREMENT column (counting from 1), as MySQL makes it; foreign keys are not copied
    /// (MySQL does not copy them either), and the copied CHECKs are named after the new table.
    fn create_table_like(
        &mut self,
        target: &crate::dialect::TableRef,
        source: &ObjectName,
        existed: bool,
        if_not_exists: bool,
    ) -> Executed {
        let from = self.resolver().resolve(source)?;
        if existed {
            if if_not_exists {
                table_exists_note(target);
                return Ok((affected("CREATE TABLE", 0), vec![]));
            }
            // The same error as any CREATE TABLE of a name taken (said in error/glue.rs).
            return Err(SqlError::from_glue(
                gluesql_core::error::AlterError::TableAlreadyExists(target.storage.clone()).into(),
            ));
        }
        let Some(item) = self.storage.items.get(&from.storage) else {
            return Err(SqlError::NotFound {
                what: "table",
                name: from.written.clone(),
            });
        };
        let mut schema = item.schema.clone();
        schema.table_name = target.storage.clone();
        schema.foreign_keys.clear();
        self.storage.items.insert(
            target.storage.clone(),
            gluesql_memory_storage::Item {
                schema,
                rows: std::collections::BTreeMap::new(),
            },
        );
        if let Some(d) = self.state.declared_types.get(&from.storage).cloned() {
            self.state.declared_types.insert(target.storage.clone(), d);
        }
        if let Some(columns) = self.state.on_update.get(&from.storage).cloned() {
            self.state.on_update.insert(target.storage.clone(), columns);
        }
        if let Some(ai) = self.state.auto_increment.get(&from.storage) {
            let column = ai.column.clone();
            self.state
                .auto_increment
                .insert(target.storage.clone(), AutoIncrement { column, next: 1 });
        }
        if let Some(indexes) = self.state.indexes.get(&from.storage).cloned() {
            self.state.indexes.insert(target.storage.clone(), indexes);
        }
        let table = target.storage.rsplit('.').next().unwrap_or(&target.written);
        if let Some(checks) = self.state.checks.get(&from.storage).cloned() {
            let renamed = checks
                .into_iter()
                .enumerate()
                .map(|(i, c)| sqlnori_model::snapshot::CheckDef {
                    name: format!("{table}_chk_{}", i + 1),
                    condition: c.condition,
                })
                .collect();
            self.state.checks.insert(target.storage.clone(), renamed);
        }
        Ok((affected("CREATE TABLE", 0), vec![]))
    }

    /// `CREATE TABLE t AS SELECT …` (and MySQL's `CREATE TABLE t SELECT …`): the query runs as
    /// a SELECT does (databases, CTEs, views, MySQL's functions), its columns become the
    /// table's and its rows are inserted. A column read straight from a table keeps its
    /// declared type (`VARCHAR(20)`, `DECIMAL(6,2)`); a computed one takes the type of its
    /// values (see [`computed_column_type`]). As in MySQL, keys, indexes and defaults are not
    /// copied, and a statement that fails leaves no table behind.
    fn create_table_as(
        &mut self,
        mut ct: sqlparser::ast::CreateTable,
        source: sqlparser::ast::Query,
        target: &crate::dialect::TableRef,
        existed: bool,
        now: &str,
    ) -> Executed {
        if !ct.columns.is_empty() || !ct.constraints.is_empty() {
            // MySQL merges such columns with the query's by name; rare in a course, and a
            // half-right merge would teach the wrong thing.
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    "열 정의와 AS SELECT를 함께 쓴 CREATE TABLE",
                    "CREATE TABLE with both column definitions and AS SELECT",
                ),
                hint: Some(Localized::new(
                    "CREATE TABLE로 표를 만든 뒤 INSERT INTO … SELECT …로 채우세요",
                    "create the table first, then fill it with INSERT INTO … SELECT …",
                )),
            });
        }
        if existed {
            if ct.if_not_exists {
                table_exists_note(target);
                return Ok((affected("CREATE TABLE", 0), vec![]));
            }
            return Err(SqlError::from_glue(
                gluesql_core::error::AlterError::TableAlreadyExists(target.storage.clone()).into(),
            ));
        }
        let resolver = self.resolver();
        let declared = crate::result_types::declared(self, &source, &resolver);
        let (labels, rows) = self.run_query(source, &resolver, now)?;
        let mut columns = Vec::with_capacity(labels.len());
        for (i, label) in labels.iter().enumerate() {
            let known = declared.as_ref().and_then(|d| d.get(i));
            let type_text = match known.and_then(|d| d.data_type.clone()) {
                Some(declared) => declared,
                None => computed_column_type(&rows, i, known.and_then(|d| d.scale)),
            };
            let data_type = Parser::new(&MySqlDialect {})
                .try_with_sql(&type_text)
                .and_then(|mut p| p.parse_data_type())
                .map_err(|e| SqlError::Engine(format!("column type {type_text}: {e}")))?;
            columns.push(sqlparser::ast::ColumnDef {
                name: Ident::with_quote('`', label.clone()),
                data_type,
                collation: None,
                options: vec![],
            });
        }
        ct.columns = columns;
        self.create_table(ct, now)?;
        let count = rows.len() as u64;
        let inserted = rows
            .iter()
            .map(|r| r.iter().map(crate::convert::value_to_expr).collect())
            .collect::<Result<Vec<Vec<_>>, SqlError>>()
            .and_then(|values| {
                if values.is_empty() {
                    Ok(())
                } else {
                    self.insert_rows(target, &labels, values)
                }
            });
        if let Err(e) = inserted {
            self.forget_table(&target.storage);
            return Err(e);
        }
        Ok((affected("CREATE TABLE", count), vec![]))
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

    /// `ALTER TABLE t AUTO_INCREMENT = n`: the next value the table's AUTO_INCREMENT column
    /// hands out. As in InnoDB, a value not above the largest one in the column moves the
    /// counter just past that largest value instead; a table without such a column accepts
    /// the option and nothing changes.
    pub(crate) fn set_auto_increment(&mut self, name: &ObjectName, next: u64) -> Executed {
        let target = self.resolver().resolve(name)?;
        let Some(item) = self.storage.items.get(&target.storage) else {
            return Err(SqlError::NotFound {
                what: "table",
                name: target.written,
            });
        };
        if let Some(ai) = self.state.auto_increment.get(&target.storage) {
            let at = item.schema.column_defs.as_ref().and_then(|defs| {
                defs.iter()
                    .position(|d| d.name.eq_ignore_ascii_case(&ai.column))
            });
            let largest = at.map_or(0, |at| {
                item.rows
                    .values()
                    .filter_map(|row| i64::try_from(row.get(at)?).ok())
                    .max()
                    .unwrap_or(0)
            });
            let next = i64::try_from(next)
                .unwrap_or(i64::MAX)
                .max(largest.saturating_add(1));
            if let Some(ai) = self.state.auto_increment.get_mut(&target.storage) {
                ai.next = next;
            }
        }
        Ok((affected("ALTER TABLE", 0), vec![]))
    }

    pub(crate) fn rename_tables(&mut self, pairs: &[(ObjectName, ObjectName)]) -> Executed {
        let resolver = self.resolver();
        for (from, to) in pairs {
            let from = resolver.resolve(from)?;
            let to = resolver.resolve(to)?;
            if self.table_exists(&to.storage) {
                // The same error as any CREATE TABLE of a name taken (said in error/glue.rs).
                return Err(SqlError::from_glue(
                    gluesql_core::error::AlterError::TableAlreadyExists(to.storage).into(),
                ));
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
            self.move_table_constraints(&from.storage, Some(&to.storage));
        }
        Ok((affected("RENAME TABLE", 0), vec![]))
    }
}

/// `REFERENCES t (c)` on a column and `[CONSTRAINT n] FOREIGN KEY (a) REFERENCES t (c)` after
/// the columns, as GlueSQL keeps them: table constraints naming the referenced table by its
/// storage name, each named (`<table>_ibfk_<n>` when the learner gave no name, as InnoDB names
/// them). GlueSQL enforces them as InnoDB does by default (RESTRICT); `ON DELETE CASCADE` and
/// `ON DELETE SET NULL` are returned for the layer to keep (on_delete.rs); ON UPDATE actions,
/// SET DEFAULT and keys over several columns are refused with a sentence saying so.
fn foreign_keys(
    ct: &mut sqlparser::ast::CreateTable,
    resolver: &NameResolver,
    target: &crate::dialect::TableRef,
) -> Result<Vec<OnDelete>, SqlError> {
    use sqlparser::ast::TableConstraint as C;
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
    let ct_columns_not_null: Vec<String> = ct
        .columns
        .iter()
        .filter(|c| {
            c.options.iter().any(|o| {
                matches!(
                    o.option,
                    ColumnOption::NotNull
                        | ColumnOption::Unique {
                            is_primary: true,
                            ..
                        }
                )
            })
        })
        .map(|c| c.name.value.clone())
        .collect();
    let mut actions = Vec::new();
    let mut n = 0;
    for constraint in &mut ct.constraints {
        if matches!(constraint, C::ForeignKey { .. }) {
            n += 1;
            let (action, _) = foreign_key(constraint, n, &ct_columns_not_null, resolver, target)?;
            actions.extend(action);
        }
    }
    Ok(actions)
}

/// One `FOREIGN KEY` constraint of the table `target` (its `n`-th, for InnoDB's default name
/// `<table>_ibfk_<n>`), checked and made GlueSQL's: named, the referenced table by its storage
/// name. `not_null` are the table's NOT NULL columns (SET NULL cannot use them). Returns the
/// ON DELETE action the layer keeps, if any, and the referenced table.
pub(crate) fn foreign_key(
    constraint: &mut sqlparser::ast::TableConstraint,
    n: usize,
    not_null: &[String],
    resolver: &NameResolver,
    target: &crate::dialect::TableRef,
) -> Result<(Option<OnDelete>, crate::dialect::TableRef), SqlError> {
    use sqlparser::ast::{ReferentialAction as A, TableConstraint as C};
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
        return Ok((None, target.clone()));
    };
    if columns.len() != 1 || referred_columns.len() != 1 {
        return Err(SqlError::Unsupported {
            feature: Localized::new("여러 열에 걸친 FOREIGN KEY", "FOREIGN KEY over several columns"),
            hint: Some(Localized::new(
                "외래 키는 열 하나에만 걸 수 있습니다. 예: FOREIGN KEY (dept_id) REFERENCES dept (id)",
                "a foreign key covers one column here, as in FOREIGN KEY (dept_id) REFERENCES dept (id)",
            )),
        });
    }
    if let Some(action) = on_update.take() {
        if !matches!(action, A::Restrict | A::NoAction) {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("외래 키의 ON UPDATE {action}"),
                    format!("ON UPDATE {action} on a foreign key"),
                ),
                hint: Some(Localized::new(
                    "ON UPDATE는 MySQL의 기본값(RESTRICT)만 됩니다: 참조되는 키 값을 바꾸기 전에 참조하는 행을 먼저 고치세요 (ON DELETE CASCADE / SET NULL은 됩니다)",
                    "only MySQL's default (RESTRICT) runs for ON UPDATE: change the referencing rows before the key they reference (ON DELETE CASCADE / SET NULL run)",
                )),
            });
        }
    }
    let key_name = name
        .get_or_insert_with(|| sqlparser::ast::Ident::new(format!("{}_ibfk_{n}", target.written)))
        .value
        .clone();
    let action = match on_delete.take() {
        None | Some(A::Restrict | A::NoAction) => None,
        Some(A::Cascade) => Some(DeleteAction::Cascade),
        Some(A::SetNull) => {
            // MySQL's error 1830: SET NULL needs a column that can hold NULL.
            let column = &columns[0].value;
            if not_null.iter().any(|c| c.eq_ignore_ascii_case(column)) {
                return Err(SqlError::Invalid(Localized::new(
                    format!(
                        "열 `{column}`이(가) NOT NULL이라서 외래 키 `{key_name}`의 ON DELETE SET NULL을 쓸 수 없습니다 (MySQL 오류 1830)"
                    ),
                    format!(
                        "Column '{column}' cannot be NOT NULL: needed in a foreign key constraint '{key_name}' SET NULL (MySQL error 1830)"
                    ),
                )));
            }
            Some(DeleteAction::SetNull)
        }
        Some(other) => {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("외래 키의 ON DELETE {other}"),
                    format!("ON DELETE {other} on a foreign key"),
                ),
                hint: Some(Localized::new(
                    "ON DELETE는 RESTRICT(기본값), CASCADE, SET NULL이 됩니다",
                    "ON DELETE runs RESTRICT (the default), CASCADE and SET NULL",
                )),
            })
        }
    };
    let action = action.map(|action| OnDelete {
        key: key_name,
        action,
    });
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
    Ok((action, referenced))
}

/// The type `CREATE TABLE … AS SELECT` gives a computed column, from its values (the first
/// that is not NULL names the kind) and, for an exact number, the scale MySQL shows it with
/// (`AVG(kor)` is `DECIMAL(…,4)`): integers are BIGINT, exact numbers DECIMAL wide enough for
/// every value, text TEXT, and a column of NULLs TEXT.
fn computed_column_type(
    rows: &[Vec<gluesql_core::data::Value>],
    column: usize,
    scale: Option<u64>,
) -> String {
    use gluesql_core::data::Value;
    let mut values = rows
        .iter()
        .filter_map(|r| r.get(column))
        .filter(|v| !matches!(v, Value::Null))
        .peekable();
    let Some(first) = values.peek() else {
        return "TEXT".to_owned();
    };
    let numeric = matches!(
        first,
        Value::I8(_)
            | Value::I16(_)
            | Value::I32(_)
            | Value::I64(_)
            | Value::I128(_)
            | Value::U8(_)
            | Value::U16(_)
            | Value::U32(_)
            | Value::U64(_)
            | Value::U128(_)
            | Value::Decimal(_)
            | Value::F32(_)
            | Value::F64(_)
    );
    match (first, scale) {
        (Value::Decimal(_), _) | (_, Some(1..)) if numeric => {
            // Digits before the point and after it, over every value: MySQL's DECIMAL(p, s).
            let mut whole = 1usize;
            let mut fraction = scale.map_or(0, |s| usize::try_from(s).unwrap_or(30));
            for v in values {
                let text = match v {
                    Value::Decimal(d) => d.to_string(),
                    other => String::from(other),
                };
                let text = text.trim_start_matches('-');
                let (int, frac) = text.split_once('.').unwrap_or((text, ""));
                whole = whole.max(int.trim_start_matches('0').len());
                if scale.is_none() {
                    fraction = fraction.max(frac.len());
                }
            }
            let fraction = fraction.min(30);
            format!("DECIMAL({},{fraction})", (whole + fraction).min(65))
        }
        (Value::I64(_) | Value::I128(_), _) => "BIGINT".to_owned(),
        (Value::F32(_), _) => "FLOAT".to_owned(),
        (Value::F64(_), _) => "DOUBLE".to_owned(),
        (Value::Str(_), _) => "TEXT".to_owned(),
        (other, _) => crate::convert::type_name(
            &other
                .get_type()
                .unwrap_or(gluesql_core::ast::DataType::Text),
        )
        .to_owned(),
    }
}

/// MySQL's note 1050 for `CREATE TABLE IF NOT EXISTS` of a table there (the statement still
/// succeeds).
fn table_exists_note(target: &crate::dialect::TableRef) {
    let table = target.storage.rsplit('.').next().unwrap_or(&target.written);
    crate::warnings::warn(sqlnori_model::diagnostics::Warning::note(
        1050,
        format!(
            "테이블 {} 이미 있어서 그대로 두었습니다",
            sqlnori_model::korean::i(&target.written)
        ),
        format!("Table '{table}' already exists"),
    ));
}

/// MySQL's error 1068: a table has one primary key.
fn multiple_primary_keys() -> SqlError {
    SqlError::Invalid(Localized::new(
        "기본 키(PRIMARY KEY)가 둘 이상 정의되었습니다. 표의 기본 키는 하나입니다 (MySQL 오류 1068)",
        "Multiple primary key defined (MySQL error 1068)",
    ))
}

/// Whether a column's options say `ON UPDATE CURRENT_TIMESTAMP` (or NOW(), LOCALTIMESTAMP);
/// MySQL's 1294 for any other value, which it refuses too.
pub(crate) fn on_update_option<'a>(
    options: impl IntoIterator<Item = &'a ColumnOption>,
) -> Result<bool, SqlError> {
    let Some(value) = options.into_iter().find_map(|o| match o {
        ColumnOption::OnUpdate(e) => Some(e),
        _ => None,
    }) else {
        return Ok(false);
    };
    let name = match value {
        sqlparser::ast::Expr::Function(f) => dialect::build::func_name(f),
        sqlparser::ast::Expr::Identifier(i) => i.value.to_ascii_uppercase(),
        _ => String::new(),
    };
    if matches!(
        name.as_str(),
        "CURRENT_TIMESTAMP" | "NOW" | "LOCALTIMESTAMP" | "LOCALTIME"
    ) {
        return Ok(true);
    }
    Err(crate::error::explained(
        "bad_value",
        Localized::new(
            format!("ON UPDATE에는 CURRENT_TIMESTAMP만 쓸 수 있습니다: {value} (MySQL 오류 1294)."),
            format!("Invalid ON UPDATE clause: {value}; only CURRENT_TIMESTAMP can be used (MySQL error 1294)."),
        ),
        Some(value.to_string()),
        None,
    ))
}

/// MySQL 8's warning 1681 for ZEROFILL, which sqlnori keeps in the type but does not show:
/// `INT(5) ZEROFILL` holds 42 and shows 42, not 00042.
fn zerofill_warning(column: &str) {
    crate::warnings::warn(sqlnori_model::diagnostics::Warning::new(
        1681,
        format!(
            "ZEROFILL은 MySQL 8에서 없어질 기능이라 열 `{column}`의 값을 0으로 채워 보여 주지 않습니다. 0으로 채운 모양은 LPAD({column}, 5, '0')처럼 만드세요"
        ),
        "The ZEROFILL attribute is deprecated and will be removed in a future release. Use the LPAD function to zero-pad numbers, or store the formatted numbers in a CHAR column.",
    ));
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
