//! `ALTER TABLE`: `MODIFY`/`CHANGE` convert every stored value to the new type (or change
//! nothing); `ADD` keeps the declared type; the rest goes to GlueSQL with MySQL types mapped.

use crate::dialect::{self, NameResolver};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{AlterTableOperation, ColumnOption, DataType, Ident, ObjectName};

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
                } => {
                    self.change_column(&target, &old_name, &new_name, &data_type, &options)?;
                    self.rename_index_column(&target.storage, &old_name.value, &new_name.value);
                }
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
                    self.prune_indexes(&target.storage);
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
        let glue_type =
            gluesql_core::translate::translate_data_type(&mapped).map_err(SqlError::from_glue)?;
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
