//! Autocomplete: keywords, the catalogue's functions, tables, and the columns of the tables
//! a statement reads (by alias after `s.`).

use super::statement_at;
use crate::catalog::FUNCTIONS;
use crate::error::Localized;
use crate::schema::TableInfo;
use serde::{Deserialize, Serialize};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "HAVING",
    "ORDER BY",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT JOIN",
    "RIGHT JOIN",
    "INNER JOIN",
    "CROSS JOIN",
    "ON",
    "AS",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS NULL",
    "IS NOT NULL",
    "IN",
    "BETWEEN",
    "LIKE",
    "DISTINCT",
    "UNION",
    "UNION ALL",
    "WITH",
    "WITH RECURSIVE",
    "INSERT INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE FROM",
    "CREATE TABLE",
    "CREATE DATABASE",
    "CREATE VIEW",
    "DROP TABLE",
    "ALTER TABLE",
    "USE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "ASC",
    "DESC",
    "PRIMARY KEY",
    "AUTO_INCREMENT",
    "NOT NULL",
    "DEFAULT",
    "INT",
    "VARCHAR",
    "DECIMAL",
    "DATE",
    "DATETIME",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "OVER",
    "PARTITION BY",
];

/// What an autocomplete entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionKind {
    Column,
    Table,
    Function,
    Keyword,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// Type of a column, signature of a function.
    pub detail: String,
    pub doc: Option<Localized>,
    /// Replaces `[replace_from, cursor)`.
    pub insert: String,
}

/// Completions at `cursor`: the word being typed is replaced. After `alias.` only that
/// table's columns; elsewhere the columns of the statement's tables first, then tables,
/// functions and keywords.
pub fn complete(text: &str, cursor: usize, tables: &[TableInfo]) -> (usize, Vec<Completion>) {
    let cursor = cursor.min(text.len());
    let before = &text[..cursor];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(cursor, |(i, _)| i);
    let prefix = &text[word_start..cursor];
    let qualifier = before[..word_start].strip_suffix('.').map(|q| {
        let start = q
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '`')
            .last()
            .map_or(q.len(), |(i, _)| i);
        q[start..].trim_matches('`').to_owned()
    });
    let statement = statement_at(text, cursor)
        .map(|s| s.sql)
        .unwrap_or_default();
    let scope = tables_in_scope(&statement, tables);
    let matches = |name: &str| name.to_lowercase().starts_with(&prefix.to_lowercase());
    let mut out = Vec::new();
    if let Some(q) = qualifier.filter(|q| !q.is_empty()) {
        for (alias, table) in &scope {
            if alias.eq_ignore_ascii_case(&q) || table.name.eq_ignore_ascii_case(&q) {
                out.extend(columns_of(table, &matches));
            }
        }
        return (word_start, out);
    }
    if prefix.is_empty() {
        return (word_start, out);
    }
    let mut seen = std::collections::HashSet::new();
    for (_, table) in &scope {
        for c in columns_of(table, &matches) {
            if seen.insert(c.label.to_lowercase()) {
                out.push(c);
            }
        }
    }
    for t in tables.iter().filter(|t| matches(&t.name)) {
        out.push(Completion {
            label: t.name.clone(),
            kind: CompletionKind::Table,
            detail: format!("{}.{} · {} rows", t.database, t.name, t.row_count),
            doc: None,
            insert: t.name.clone(),
        });
    }
    for f in FUNCTIONS.iter().filter(|f| matches(f.name)) {
        out.push(Completion {
            label: f.name.to_owned(),
            kind: CompletionKind::Function,
            detail: f.signature.to_owned(),
            doc: Some(match crate::catalog::example(f.name) {
                Some(e) => Localized::new(
                    format!("{} · 예: {e}", f.ko),
                    format!("{} · e.g. {e}", f.en),
                ),
                None => Localized::new(f.ko, f.en),
            }),
            insert: format!("{}(", f.name),
        });
    }
    for k in KEYWORDS.iter().filter(|k| matches(k)) {
        out.push(Completion {
            label: (*k).to_owned(),
            kind: CompletionKind::Keyword,
            detail: String::new(),
            doc: None,
            insert: (*k).to_owned(),
        });
    }
    out.retain(|c| !c.label.eq_ignore_ascii_case(prefix) || c.kind == CompletionKind::Function);
    out.truncate(50);
    (word_start, out)
}

fn columns_of(table: &TableInfo, matches: &dyn Fn(&str) -> bool) -> Vec<Completion> {
    table
        .columns
        .iter()
        .filter(|c| matches(&c.name))
        .map(|c| Completion {
            label: c.name.clone(),
            kind: CompletionKind::Column,
            detail: format!("{} · {}", table.name, c.data_type),
            doc: None,
            insert: c.name.clone(),
        })
        .collect()
}

/// The tables a statement reads, with the alias each is known by (`FROM students s` → s).
fn tables_in_scope<'a>(statement: &str, tables: &'a [TableInfo]) -> Vec<(String, &'a TableInfo)> {
    let Ok(tokens) = crate::lexer::tokenize(statement) else {
        return vec![];
    };
    let words: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut out = Vec::new();
    for (i, t) in words.iter().enumerate() {
        let Token::Word(w) = t else { continue };
        if !matches!(
            w.keyword,
            Keyword::FROM | Keyword::JOIN | Keyword::UPDATE | Keyword::INTO
        ) {
            continue;
        }
        // name, or db . name
        let mut j = i + 1;
        let mut name = match words.get(j) {
            Some(Token::Word(n)) => n.value.clone(),
            _ => continue,
        };
        if words.get(j + 1) == Some(&&Token::Period) {
            if let Some(Token::Word(n)) = words.get(j + 2) {
                name = n.value.clone();
                j += 2;
            }
        }
        let Some(table) = tables.iter().find(|t| t.name.eq_ignore_ascii_case(&name)) else {
            continue;
        };
        let alias = match (words.get(j + 1), words.get(j + 2)) {
            (Some(Token::Word(a)), _) if a.keyword == Keyword::NoKeyword => a.value.clone(),
            (Some(Token::Word(kw)), Some(Token::Word(a))) if kw.keyword == Keyword::AS => {
                a.value.clone()
            }
            _ => table.name.clone(),
        };
        out.push((alias, table));
    }
    out
}
