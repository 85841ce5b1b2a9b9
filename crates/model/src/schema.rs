//! The schema as the page shows it: tables with their columns, types and keys.

use serde::{Deserialize, Serialize};

/// A table as the schema sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub database: String,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub row_count: u64,
}

/// One column: its name, its type as the learner declared it (`VARCHAR(100)`), and its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
}
