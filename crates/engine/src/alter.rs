//! `ALTER TABLE`: `MODIFY`/`CHANGE` convert every stored value to the new type (or change
//! nothing); `ADD` keeps the declared type; the rest goes to GlueSQL with MySQL types mapped.

use crate::dialect::{self, NameResolver};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, DataType, Ident, ObjectName,
};

impl Engine {
    /// `ALTER TABLE … MODIFY col type` and `CHANGE old new type`: the column's type changes
    /// and every stored value is converted (a value that does not convert fails the statement
    /// and changes nothing). Other operations go to GlueSQL with MySQL types mapped.
    pub(crate) fn alter_table(
        &mut self,
        name: &ObjectName,
        operations: Vec<AlterTableOperation>,
        now: &str,
    ) -> Executed {
        let mut target = self.resolver().resolve(name)?;
        let mut name = name.clone();
        for op in operations {
            // MySQL's 3959: a column a CHECK reads stays as it is.
            match &op {
                AlterTableOperation::DropColumn { column_name, .. } => {
                    self.refuse_checked_column(&target.storage, &column_name.value)?;
                }
                AlterTableOperation::RenameColumn {
                    old_column_name, ..
                } => self.refuse_checked_column(&target.storage, &old_column_name.value)?,
                AlterTableOperation::ChangeColumn {
                    old_name, new_name, ..
                } if !old_name.value.eq_ignore_ascii_case(&new_name.value) => {
                    self.refuse_checked_column(&target.storage, &old_name.value)?;
                }
                _ => {}
            }
            match op {
                // `ADD [CONSTRAINT name] CHECK (condition)`: the rows there must meet it.
                AlterTableOperation::AddConstraint(sqlparser::ast::TableConstraint::Check {
                    name,
                    expr,
                }) => self.add_checks(&target, vec![(name.map(|n| n.value), *expr)], now)?,
                // `DROP CHECK name` (read as DROP CONSTRAINT) and `DROP CONSTRAINT name`.
                AlterTableOperation::DropConstraint {
                    name: constraint,
                    if_exists,
                    ..
                } => {
                    let dropped = self.drop_check(&target.storage, &constraint.value)
                        || self.drop_foreign_key(&target.storage, &constraint.value);
                    if !dropped && !if_exists {
                        return Err(SqlError::Invalid(Localized::new(
                            format!(
                                "제약 {} 없습니다 (MySQL 오류 3940)",
                                sqlnori_model::korean::i(&format!("`{}`", constraint.value))
                            ),
                            format!(
                                "Constraint '{}' does not exist (MySQL error 3940)",
                                constraint.value
                            ),
                        )));
                    }
                }
                // `DROP FOREIGN KEY name` (MySQL's error 1091 when there is none).
                AlterTableOperation::DropForeignKey { name: key } => {
                    if !self.drop_foreign_key(&target.storage, &key.value) {
                        return Err(SqlError::Invalid(Localized::new(
                            format!(
                                "외래 키 {} 없어서 지울 수 없습니다 (MySQL 오류 1091)",
                                sqlnori_model::korean::i(&format!("`{}`", key.value))
                            ),
                            format!(
                                "Can't DROP '{}'; check that column/key exists (MySQL error 1091)",
                                key.value
                            ),
                        )));
                    }
                }
                // `RENAME TO new`: what RENAME TABLE does (GlueSQL's own rename kept the new
                // name outside every database, so the table vanished). Later operations of the
                // statement act on the new name.
                AlterTableOperation::RenameTable { table_name } => {
                    self.rename_tables(&[(name.clone(), table_name.clone())])?;
                    target = self.resolver().resolve(&table_name)?;
                    name = table_name;
                }
                // A composite primary key is the layer's index `PRIMARY`.
                AlterTableOperation::DropPrimaryKey
                    if self.primary_columns(&target.storage).len() > 1 =>
                {
                    if let Some(all) = self.state.indexes.get_mut(&target.storage) {
                        all.retain(|i| i.name != crate::indexes::PRIMARY);
                    }
                }
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    options,
                    column_position,
                } => {
                    self.refuse_unknown_position(&target.storage, column_position.as_ref(), None)?;
                    self.change_column(&target, &col_name, &col_name, &data_type, &options)?;
                    self.move_column(&target.storage, &col_name.value, column_position.as_ref())?;
                }
                AlterTableOperation::ChangeColumn {
                    old_name,
                    new_name,
                    data_type,
                    options,
                    column_position,
                } => {
                    self.refuse_unknown_position(
                        &target.storage,
                        column_position.as_ref(),
                        Some((&old_name.value, &new_name.value)),
                    )?;
                    self.change_column(&target, &old_name, &new_name, &data_type, &options)?;
                    self.rename_index_column(&target.storage, &old_name.value, &new_name.value);
                    self.move_column(&target.storage, &new_name.value, column_position.as_ref())?;
                }
                // `ALTER [COLUMN] c SET DEFAULT v` / `DROP DEFAULT`.
                AlterTableOperation::AlterColumn {
                    column_name,
                    op:
                        op @ (AlterColumnOperation::SetDefault { .. }
                        | AlterColumnOperation::DropDefault),
                } => self.alter_default(&target, &column_name, op)?,
                // `ADD [CONSTRAINT name] FOREIGN KEY (a) REFERENCES t (b)`.
                AlterTableOperation::AddConstraint(
                    fk @ sqlparser::ast::TableConstraint::ForeignKey { .. },
                ) => self.add_foreign_key(&target, fk)?,
                // `ADD INDEX name (a)`, `ADD KEY (a)`, `ADD UNIQUE [KEY] name (a)`.
                AlterTableOperation::AddConstraint(sqlparser::ast::TableConstraint::Index {
                    name,
                    columns,
                    ..
                }) => {
                    let columns = columns.iter().map(|c| (c.value.clone(), None)).collect();
                    self.add_index(&target, name.map(|n| n.value), columns, false, false)?;
                }
                AlterTableOperation::AddConstraint(sqlparser::ast::TableConstraint::Unique {
                    name,
                    index_name,
                    columns,
                    ..
                }) => {
                    let columns = columns.iter().map(|c| (c.value.clone(), None)).collect();
                    let name = index_name.or(name).map(|n| n.value);
                    self.add_index(&target, name, columns, true, false)?;
                }
                AlterTableOperation::AddColumn {
                    column_keyword,
                    if_not_exists,
                    mut column_def,
                    mut column_position,
                } => {
                    let declared = dialect::types::declared_text(&column_def.data_type);
                    let added = column_def.name.value.clone();
                    let stamped =
                        crate::ddl::on_update_option(column_def.options.iter().map(|o| &o.option))?;
                    column_def
                        .options
                        .retain(|o| !matches!(o.option, ColumnOption::OnUpdate(_)));
                    let position = column_position.take();
                    self.refuse_unknown_position(&target.storage, position.as_ref(), None)?;
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
                    self.set_on_update(&target.storage, None, Some(&added).filter(|_| stamped));
                    self.move_column(&target.storage, &added, position.as_ref())?;
                }
                other => {
                    // The declared spellings (one per column, in order) that stay true: all of
                    // them after a column is renamed, all but its own after one is dropped.
                    let position = |column: &Ident| {
                        self.column_infos(&target.storage).and_then(|columns| {
                            columns
                                .iter()
                                .position(|c| c.name.eq_ignore_ascii_case(&column.value))
                        })
                    };
                    let kept = match &other {
                        AlterTableOperation::RenameColumn { .. } => {
                            self.state.declared_types.get(&target.storage).cloned()
                        }
                        AlterTableOperation::DropColumn { column_name, .. } => {
                            position(column_name).and_then(|at| {
                                let mut declared =
                                    self.state.declared_types.get(&target.storage)?.clone();
                                (at < declared.len()).then(|| {
                                    declared.remove(at);
                                    declared
                                })
                            })
                        }
                        _ => None,
                    };
                    let stmt = sqlparser::ast::Statement::AlterTable {
                        name: name.clone(),
                        if_exists: false,
                        only: false,
                        operations: vec![other],
                        location: None,
                        on_cluster: None,
                    };
                    let renamed = match &stmt {
                        sqlparser::ast::Statement::AlterTable { operations, .. } => {
                            match operations.first() {
                                Some(AlterTableOperation::RenameColumn {
                                    old_column_name,
                                    new_column_name,
                                }) => Some((
                                    old_column_name.value.clone(),
                                    Some(new_column_name.value.clone()),
                                )),
                                Some(AlterTableOperation::DropColumn { column_name, .. }) => {
                                    Some((column_name.value.clone(), None))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    self.run_glue(stmt, now)?;
                    if let Some((old, new)) = renamed {
                        let stamped = self
                            .state
                            .on_update
                            .get(&target.storage)
                            .is_some_and(|cs| cs.iter().any(|c| c.eq_ignore_ascii_case(&old)));
                        let new = new.filter(|_| stamped);
                        self.set_on_update(&target.storage, Some(&old), new.as_ref());
                    }
                    match kept {
                        Some(declared) => {
                            self.state
                                .declared_types
                                .insert(target.storage.clone(), declared);
                        }
                        None => {
                            self.state.declared_types.remove(&target.storage);
                        }
                    }
                    self.prune_indexes(&target.storage);
                }
            }
        }
        Ok((affected("ALTER TABLE", 0), vec![]))
    }

    /// MySQL's 1054 for `AFTER other` when `other` is no column of the table, before anything
    /// changes.
    fn refuse_unknown_position(
        &self,
        storage: &str,
        position: Option<&sqlparser::ast::MySQLColumnPosition>,
        renamed: Option<(&str, &str)>,
    ) -> Result<(), SqlError> {
        let Some(sqlparser::ast::MySQLColumnPosition::After(other)) = position else {
            return Ok(());
        };
        let other_is = |name: &str| name.eq_ignore_ascii_case(&other.value);
        // `CHANGE a b … AFTER a` names a column the change itself takes away: MySQL's 1054,
        // found before anything changes.
        let known = match renamed {
            Some((old, new)) if !old.eq_ignore_ascii_case(new) && other_is(old) => false,
            Some((_, new)) if other_is(new) => true,
            _ => self
                .column_infos(storage)
                .is_some_and(|cs| cs.iter().any(|c| other_is(&c.name))),
        };
        if known {
            return Ok(());
        }
        let table = storage.rsplit('.').next().unwrap_or(storage);
        let renamed = renamed.filter(|(old, _)| other_is(old));
        Err(crate::error::explained(
            "unknown_column",
            Localized::new(
                format!(
                    "AFTER {}: {}표 `{table}`에 열 {} 없습니다 (MySQL 오류 1054).",
                    other.value,
                    if renamed.is_some() { "이 변경 뒤에는 " } else { "" },
                    sqlnori_model::korean::i(&format!("`{}`", other.value))
                ),
                format!(
                    "Unknown column '{}' in '{table}': AFTER names a column the table has{} (MySQL error 1054).",
                    other.value,
                    if renamed.is_some() { " after the change" } else { "" }
                ),
            ),
            Some(other.value.clone()),
            renamed.map(|(old, new)| {
                Localized::new(
                    format!("이 CHANGE가 `{old}`의 이름을 `{new}`로 바꿉니다: 다른 열 뒤에 두세요"),
                    format!("this CHANGE renames `{old}` to `{new}`: place it after another column"),
                )
            }),
        ))
    }

    /// `FIRST` or `AFTER other` of ADD, MODIFY and CHANGE COLUMN: the column moves there in
    /// the schema, in every row and among the declared types (GlueSQL adds a column last and
    /// keeps a changed one in place). MySQL's 1054 when `other` is no column of the table.
    fn move_column(
        &mut self,
        storage: &str,
        column: &str,
        position: Option<&sqlparser::ast::MySQLColumnPosition>,
    ) -> Result<(), SqlError> {
        let Some(position) = position else {
            return Ok(());
        };
        let Some(item) = self.storage.items.get_mut(storage) else {
            return Ok(());
        };
        let Some(defs) = item.schema.column_defs.as_mut() else {
            return Ok(());
        };
        let find = |name: &str| defs.iter().position(|d| d.name.eq_ignore_ascii_case(name));
        let Some(from) = find(column) else {
            return Ok(());
        };
        let to = match position {
            sqlparser::ast::MySQLColumnPosition::First => 0,
            sqlparser::ast::MySQLColumnPosition::After(other) => {
                let Some(at) = find(&other.value) else {
                    return Err(SqlError::NotFound {
                        what: "column",
                        name: other.value.clone(),
                    });
                };
                if at < from {
                    at + 1
                } else {
                    at
                }
            }
        };
        if from == to {
            return Ok(());
        }
        let def = defs.remove(from);
        defs.insert(to, def);
        for row in item.rows.values_mut() {
            if from < row.len() {
                let value = row.remove(from);
                row.insert(to.min(row.len()), value);
            }
        }
        if let Some(declared) = self.state.declared_types.get_mut(storage) {
            if from < declared.len() && to < declared.len() {
                let d = declared.remove(from);
                declared.insert(to, d);
            }
        }
        Ok(())
    }

    /// Removes a table's FOREIGN KEY by name; `false` when it has none of that name.
    fn drop_foreign_key(&mut self, storage: &str, name: &str) -> bool {
        let Some(item) = self.storage.items.get_mut(storage) else {
            return false;
        };
        let count = item.schema.foreign_keys.len();
        item.schema
            .foreign_keys
            .retain(|f| !f.name.eq_ignore_ascii_case(name));
        let dropped = item.schema.foreign_keys.len() < count;
        if let Some(actions) = self.state.on_delete.get_mut(storage) {
            actions.retain(|a| !a.key.eq_ignore_ascii_case(name));
            if actions.is_empty() {
                self.state.on_delete.remove(storage);
            }
        }
        dropped
    }

    fn change_column(
        &mut self,
        target: &dialect::TableRef,
        old: &Ident,
        new: &Ident,
        declared: &DataType,
        options: &[ColumnOption],
    ) -> Result<(), SqlError> {
        let stamped = crate::ddl::on_update_option(options)?;
        let mapped = dialect::map_column_type(declared)?;
        let glue_type =
            gluesql_core::translate::translate_data_type(&mapped).map_err(SqlError::from_glue)?;
        let item = self.stored(target)?;
        let defs = item.schema.column_defs.clone().unwrap_or_default();
        let index = defs
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(&old.value))
            .ok_or_else(|| SqlError::NotFound {
                what: "column",
                name: old.value.clone(),
            })?;
        // A shorter CHAR/VARCHAR must still hold every value (column_fit.rs).
        self.refuse_shorter_column(&target.storage, index, &old.value, &declared.to_string())?;
        let not_null = options.iter().any(|o| matches!(o, ColumnOption::NotNull));
        // MODIFY and CHANGE restate the whole column: its DEFAULT is the one written, or none.
        let default = options
            .iter()
            .find_map(|o| match o {
                ColumnOption::Default(e) => Some(e),
                _ => None,
            })
            .map(|e| gluesql_core::translate::translate_expr(e, &[]))
            .transpose()
            .map_err(SqlError::from_glue)?;
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
                                "{} 열의 값 {} {} 바꿀 수 없습니다: {e}",
                                old.value,
                                sqlnori_model::korean::eul(&String::from(&*v)),
                                sqlnori_model::korean::euro(&declared.to_string())
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
        // A primary key's column stays NOT NULL, as in MySQL.
        let in_primary = self.primary_columns(&target.storage);
        let Some(item) = self.storage.items.get_mut(&target.storage) else {
            return Ok(());
        };
        item.rows = rows;
        if let Some(defs) = item.schema.column_defs.as_mut() {
            if let Some(def) = defs.get_mut(index) {
                def.nullable = !not_null && !in_primary.contains(&def.name);
                def.name = new.value.clone();
                def.data_type = glue_type;
                def.default = default;
            }
        }
        if let Some(d) = self
            .state
            .declared_types
            .get_mut(&target.storage)
            .and_then(|d| d.get_mut(index))
        {
            *d = dialect::types::declared_text(declared);
        }
        if let Some(ai) = self.state.auto_increment.get_mut(&target.storage) {
            if ai.column.eq_ignore_ascii_case(&old.value) {
                ai.column = new.value.clone();
            }
        }
        // MODIFY and CHANGE restate the column: ON UPDATE stays only when written again.
        self.set_on_update(
            &target.storage,
            Some(&old.value),
            Some(&new.value).filter(|_| stamped),
        );
        Ok(())
    }

    /// `ALTER TABLE … ALTER [COLUMN] c SET DEFAULT v | DROP DEFAULT`: only the column's
    /// DEFAULT changes (MySQL's 1054 for a column the table lacks).
    fn alter_default(
        &mut self,
        target: &dialect::TableRef,
        column: &Ident,
        op: AlterColumnOperation,
    ) -> Result<(), SqlError> {
        let default = match op {
            AlterColumnOperation::SetDefault { value } => Some(
                gluesql_core::translate::translate_expr(&value, &[])
                    .map_err(SqlError::from_glue)?,
            ),
            _ => None,
        };
        let def = self
            .storage
            .items
            .get_mut(&target.storage)
            .and_then(|t| t.schema.column_defs.as_mut())
            .and_then(|defs| {
                defs.iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(&column.value))
            })
            .ok_or_else(|| SqlError::NotFound {
                what: "column",
                name: column.value.clone(),
            })?;
        def.default = default;
        Ok(())
    }

    /// `ALTER TABLE … ADD [CONSTRAINT name] FOREIGN KEY (a) REFERENCES t (b)`: checked as
    /// CREATE TABLE checks a key (ddl::foreign_key; the referenced column is its table's
    /// primary key, of the same type), then against the rows already there: every value of
    /// `a` that is not NULL must be a key of `t` (MySQL's 1452), and the name must be new
    /// (1826). Nothing changes unless all hold.
    fn add_foreign_key(
        &mut self,
        target: &dialect::TableRef,
        mut constraint: sqlparser::ast::TableConstraint,
    ) -> Result<(), SqlError> {
        use gluesql_core::ast::{ForeignKey, ReferentialAction};
        use gluesql_core::executor::{AlterError, UpdateError};
        let resolver = self.resolver();
        let item = self.stored(target)?;
        let defs = item.schema.column_defs.clone().unwrap_or_default();
        let not_null: Vec<String> = defs
            .iter()
            .filter(|c| !c.nullable)
            .map(|c| c.name.clone())
            .collect();
        let n = item.schema.foreign_keys.len() + 1;
        let (action, referenced) =
            crate::ddl::foreign_key(&mut constraint, n, &not_null, &resolver, target)?;
        let sqlparser::ast::TableConstraint::ForeignKey {
            name: Some(name),
            columns,
            referred_columns,
            ..
        } = constraint
        else {
            return Ok(());
        };
        let glue = |e: gluesql_core::error::Error| SqlError::from_glue(e);
        let referencing = defs
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(&columns[0].value))
            .ok_or_else(|| {
                glue(AlterError::ReferencingColumnNotFound(columns[0].value.clone()).into())
            })?;
        let parent = self.stored(&referenced)?;
        let parent_defs = parent.schema.column_defs.clone().unwrap_or_default();
        let parent_column = parent_defs
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&referred_columns[0].value))
            .ok_or_else(|| {
                glue(AlterError::ReferencedColumnNotFound(referred_columns[0].value.clone()).into())
            })?;
        let child_column = &defs[referencing];
        if child_column.data_type != parent_column.data_type {
            return Err(glue(
                AlterError::ForeignKeyDataTypeMismatch {
                    referencing_column: child_column.name.clone(),
                    referencing_column_type: child_column.data_type.clone(),
                    referenced_column: parent_column.name.clone(),
                    referenced_column_type: parent_column.data_type.clone(),
                }
                .into(),
            ));
        }
        if parent_column.unique != Some(gluesql_core::ast::ColumnUniqueOption { is_primary: true })
        {
            return Err(glue(
                AlterError::ReferencingNonPKColumn {
                    referenced_table: referenced.storage.clone(),
                    referenced_column: parent_column.name.clone(),
                }
                .into(),
            ));
        }
        let taken = self.storage.items.values().any(|t| {
            t.schema
                .foreign_keys
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&name.value))
        });
        if taken {
            return Err(SqlError::Invalid(Localized::new(
                format!(
                    "외래 키 이름 {} 이미 있습니다 (MySQL 오류 1826)",
                    sqlnori_model::korean::i(&format!("`{}`", name.value))
                ),
                format!(
                    "Duplicate foreign key constraint name '{}' (MySQL error 1826)",
                    name.value
                ),
            )));
        }
        // The rows already there must each find their parent.
        let child = self.storage.items.get(&target.storage).map(|t| &t.rows);
        for row in child.into_iter().flat_map(|rows| rows.values()) {
            let Some(value) = row.get(referencing).filter(|v| !v.is_null()) else {
                continue;
            };
            let found = gluesql_core::data::Key::try_from(value)
                .is_ok_and(|key| parent.rows.contains_key(&key));
            if !found {
                return Err(glue(
                    UpdateError::CannotFindReferencedValue {
                        table_name: referenced.storage.clone(),
                        column_name: parent_column.name.clone(),
                        referenced_value: String::from(value),
                    }
                    .into(),
                ));
            }
        }
        let key = ForeignKey {
            name: name.value.clone(),
            referencing_column_name: child_column.name.clone(),
            referenced_table_name: referenced.storage.clone(),
            referenced_column_name: parent_column.name.clone(),
            on_delete: ReferentialAction::NoAction,
            on_update: ReferentialAction::NoAction,
        };
        if let Some(item) = self.storage.items.get_mut(&target.storage) {
            item.schema.foreign_keys.push(key);
        }
        if let Some(action) = action {
            self.state
                .on_delete
                .entry(target.storage.clone())
                .or_default()
                .push(action);
        }
        Ok(())
    }

    /// The stored table `target` (MySQL's 1146 when it is gone).
    fn stored(
        &self,
        target: &dialect::TableRef,
    ) -> Result<&gluesql_memory_storage::Item, SqlError> {
        self.storage
            .items
            .get(&target.storage)
            .ok_or_else(|| SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            })
    }

    /// The `ON UPDATE CURRENT_TIMESTAMP` columns of `storage`: `removed` goes, `added` comes.
    fn set_on_update(&mut self, storage: &str, removed: Option<&String>, added: Option<&String>) {
        let columns = self.state.on_update.entry(storage.to_owned()).or_default();
        if let Some(removed) = removed {
            columns.retain(|c| !c.eq_ignore_ascii_case(removed));
        }
        if let Some(added) = added {
            columns.push(added.clone());
        }
        if columns.is_empty() {
            self.state.on_update.remove(storage);
        }
    }
}
