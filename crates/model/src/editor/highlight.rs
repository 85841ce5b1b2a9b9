//! Syntax highlighting from the tokenizer the engine parses with: each token of the text
//! gets a colour class; keywords are the reserved words a learner does not use as names.

use serde::{Deserialize, Serialize};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithLocation};

/// How a piece of SQL is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenClass {
    Keyword,
    Function,
    Identifier,
    String,
    Number,
    Comment,
    Operator,
    Plain,
}

/// One coloured piece of a line: `[start, end)` in bytes of the whole text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub class: TokenClass,
}

fn offsets(text: &str, tokens: &[TokenWithLocation]) -> Vec<usize> {
    let mut walker = crate::split::OffsetWalker::new(text);
    tokens
        .iter()
        .map(|t| walker.offset(t.location.line, t.location.column))
        .collect()
}

/// Colours the whole text with sqlparser's MySQL tokenizer. Text it cannot tokenise (an open
/// string while typing) is one plain span from where tokenising stopped making sense.
pub fn highlight(text: &str) -> Vec<Span> {
    let Ok(tokens) = crate::lexer::tokenize_with_location(text) else {
        return highlight_prefix(text);
    };
    let starts = offsets(text, &tokens);
    let mut spans = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let start = starts[i];
        let end = starts.get(i + 1).copied().unwrap_or(text.len()).max(start);
        let class = match &t.token {
            Token::Whitespace(sqlparser::tokenizer::Whitespace::SingleLineComment { .. })
            | Token::Whitespace(sqlparser::tokenizer::Whitespace::MultiLineComment(_)) => {
                TokenClass::Comment
            }
            Token::Whitespace(_) | Token::EOF => continue,
            Token::Word(w) => {
                let next_is_paren = tokens[i + 1..]
                    .iter()
                    .find(|t| !matches!(t.token, Token::Whitespace(_)))
                    .is_some_and(|t| t.token == Token::LParen);
                if w.quote_style.is_some() {
                    TokenClass::Identifier
                } else if next_is_paren && is_function_name(&w.value) {
                    TokenClass::Function
                } else if w.keyword != Keyword::NoKeyword && is_reserved(&w.value) {
                    TokenClass::Keyword
                } else {
                    TokenClass::Identifier
                }
            }
            Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::HexStringLiteral(_) => TokenClass::String,
            Token::Number(..) => TokenClass::Number,
            Token::Comma | Token::Period | Token::SemiColon | Token::LParen | Token::RParen => {
                TokenClass::Plain
            }
            _ => TokenClass::Operator,
        };
        spans.push(Span { start, end, class });
    }
    spans
}

/// Highlighting for text the tokenizer refuses: the longest prefix that tokenises (cut at a
/// line end), then the rest plain.
fn highlight_prefix(text: &str) -> Vec<Span> {
    let mut cut = text.len();
    while let Some(i) = text[..cut].rfind('\n') {
        cut = i;
        if crate::lexer::tokenize(&text[..cut]).is_ok() {
            let mut spans = highlight(&text[..cut]);
            spans.push(Span {
                start: cut,
                end: text.len(),
                class: TokenClass::Plain,
            });
            return spans;
        }
    }
    vec![Span {
        start: 0,
        end: text.len(),
        class: TokenClass::Plain,
    }]
}

/// Words coloured as keywords. sqlparser knows many more (`name`, `level`, `date`…), but a
/// learner uses those as column names, so they stay identifiers.
const RESERVED: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "AS",
    "ON",
    "JOIN",
    "LEFT",
    "RIGHT",
    "INNER",
    "OUTER",
    "CROSS",
    "NATURAL",
    "USING",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "DISTINCT",
    "UNION",
    "ALL",
    "EXCEPT",
    "INTERSECT",
    "WITH",
    "RECURSIVE",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "CREATE",
    "TABLE",
    "DATABASE",
    "SCHEMA",
    "VIEW",
    "DROP",
    "ALTER",
    "ADD",
    "COLUMN",
    "MODIFY",
    "CHANGE",
    "RENAME",
    "TO",
    "USE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "ASC",
    "DESC",
    "PRIMARY",
    "KEY",
    "UNIQUE",
    "FOREIGN",
    "REFERENCES",
    "AUTO_INCREMENT",
    "DEFAULT",
    "IF",
    "EXISTS",
    "IS",
    "IN",
    "BETWEEN",
    "LIKE",
    "TRUE",
    "FALSE",
    "INT",
    "INTEGER",
    "VARCHAR",
    "CHAR",
    "TEXT",
    "DECIMAL",
    "DOUBLE",
    "FLOAT",
    "DATETIME",
    "TIMESTAMP",
    "TINYINT",
    "SMALLINT",
    "BIGINT",
    "ENUM",
    "BOOLEAN",
    "BEGIN",
    "START",
    "TRANSACTION",
    "COMMIT",
    "ROLLBACK",
    "OVER",
    "PARTITION",
    "INTERVAL",
    "DIV",
    "MOD",
    "SHOW",
    "TABLES",
    "DATABASES",
    "DESCRIBE",
    "EXPLAIN",
    "REPLACE",
    "TRUNCATE",
    "GRANT",
    "REVOKE",
    "DUAL",
    "SEPARATOR",
    "ROWS",
    "RANGE",
    "PRECEDING",
    "FOLLOWING",
    "CURRENT",
    "ROW",
    "UNBOUNDED",
    "CAST",
    "SIGNED",
    "UNSIGNED",
    "DUPLICATE",
];

fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn is_function_name(word: &str) -> bool {
    crate::catalog::lookup(word).is_some()
        || matches!(
            word.to_ascii_uppercase().as_str(),
            "CAST" | "EXTRACT" | "POSITION" | "MID" | "FORMAT" | "HEX"
        )
}
