//! The schema as the page shows it: tables with their columns, types and keys.

use serde::{Deserialize, Serialize};

/// A table as the schema sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub database: String,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub row_count: u64,
    /// Its indexes besides the primary key, as `SHOW INDEX` lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexInfo>,
}

/// An index as the sidebar shows it: `by_kor (kor)`, `code (code) UNIQUE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexInfo {
    pub name: String,
    /// The columns in order, a prefix written as `name(10)`.
    pub columns: Vec<String>,
    pub unique: bool,
}

/// One column: its name, its type as the learner declared it (`VARCHAR(100)`), and its keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
    /// The column a `FOREIGN KEY` on this column refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<ColumnRef>,
    /// Its `DEFAULT`, as SQL (`5`, `'hi'`, `CURRENT_TIMESTAMP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `ON UPDATE CURRENT_TIMESTAMP`: an UPDATE that changes the row sets it to its time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_update: bool,
}

/// A column of a table of a database (what a foreign key points at).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnRef {
    pub database: String,
    pub table: String,
    pub column: String,
}
