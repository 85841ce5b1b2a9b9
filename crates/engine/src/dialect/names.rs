//! Databases as namespaces: how a table name the learner writes maps to a stored table.
//!
//! GlueSQL has one flat set of tables, so `db.table` is stored under the single name
//! `"db.table"`, an unqualified name resolves in the current database, and a CTE name
//! resolves to its materialised table first, as in MySQL.

use crate::error::SqlError;
use sqlnori_model::Localized;
use sqlparser::ast::{Ident, ObjectName};
use std::collections::HashMap;

/// A resolved table reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// The table's name in GlueSQL's storage.
    pub storage: String,
    /// The name as the learner wrote its last part (used as the implicit alias).
    pub written: String,
}

impl TableRef {
    /// The table as the learner wrote it, for SQL the layer writes (it resolves again).
    pub fn written_object(&self) -> ObjectName {
        match self.storage.split_once('.') {
            Some((db, table)) if !self.storage.starts_with("__") => ObjectName(vec![
                Ident::with_quote('`', db),
                Ident::with_quote('`', table),
            ]),
            _ => ObjectName(vec![Ident::with_quote('`', self.storage.clone())]),
        }
    }
}

/// Resolves names for one statement.
#[derive(Debug, Clone, Default)]
pub struct NameResolver {
    pub current_db: String,
    /// CTE name (lower case) → storage name of its materialised rows.
    pub ctes: HashMap<String, String>,
    /// Storage name of a view → storage name of its materialised rows.
    pub materialised: HashMap<String, String>,
    /// How many views deep this statement is being resolved.
    pub view_depth: usize,
    /// The acting account, `user@host` (empty: root).
    pub user: String,
    /// `LAST_INSERT_ID()` and `ROW_COUNT()` as the statement starts.
    pub last_insert_id: i64,
    pub row_count: i64,
    /// User variables as `SET @x = …` left them (see `LayerState::variables`).
    pub variables: std::collections::BTreeMap<String, String>,
    /// The session's time zone, minutes east of UTC: `NOW()` is local, `UTC_TIMESTAMP()` is
    /// that less the offset.
    pub utc_offset_minutes: i32,
}

impl NameResolver {
    /// `CURRENT_USER()`'s answer.
    pub fn user_or_root(&self) -> &str {
        if self.user.is_empty() {
            "root@localhost"
        } else {
            &self.user
        }
    }

    pub fn resolve(&self, name: &ObjectName) -> Result<TableRef, SqlError> {
        match name.0.as_slice() {
            [table] => {
                if let Some(storage) = self.ctes.get(&table.value.to_lowercase()) {
                    return Ok(TableRef {
                        storage: storage.clone(),
                        written: table.value.clone(),
                    });
                }
                Ok(self.stored(storage_name(&self.current_db, &table.value), table))
            }
            [db, table] => Ok(self.stored(storage_name(&db.value, &table.value), table)),
            _ => Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("세 부분 이상으로 된 이름: {name}"),
                    format!("name with more than two parts: {name}"),
                ),
                hint: Some(Localized::new(
                    "데이터베이스.테이블 형태로 쓰세요",
                    "write it as database.table",
                )),
            }),
        }
    }

    fn stored(&self, storage: String, written: &Ident) -> TableRef {
        TableRef {
            storage: self.materialised.get(&storage).cloned().unwrap_or(storage),
            written: written.value.clone(),
        }
    }

    /// The object name GlueSQL sees for a resolved table.
    pub fn storage_object(table: &TableRef) -> ObjectName {
        ObjectName(vec![Ident::with_quote('"', table.storage.clone())])
    }
}

/// The storage name of `db.table`.
pub fn storage_name(db: &str, table: &str) -> String {
    format!("{db}.{table}")
}

/// Splits a storage name back into database and table (`None` for internal tables).
pub fn split_storage_name(storage: &str) -> Option<(&str, &str)> {
    if storage.starts_with("__") {
        return None;
    }
    storage.split_once('.')
}
