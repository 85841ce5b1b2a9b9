//! What the editor needs from SQL, as plain data: highlighting from the tokenizer the engine
//! parses with, the statement under the cursor, autocomplete over keywords, functions, tables
//! and the columns in scope, and line edits (comment toggling, indenting).
//!
//! Offsets are byte offsets into the text; the shell converts them to the editor's units.

use crate::engine::TableInfo;
use crate::error::Localized;
use crate::split::{split_script, ScriptStatement};
use serde::{Deserialize, Serialize};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithLocation, Tokenizer};

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
    let index = crate::split::LineIndex::new(text);
    tokens
        .iter()
        .map(|t| index.offset(text, t.location.line, t.location.column))
        .collect()
}

/// Colours the whole text with sqlparser's MySQL tokenizer. Text it cannot tokenise (an open
/// string while typing) is one plain span from where tokenising stopped making sense.
pub fn highlight(text: &str) -> Vec<Span> {
    let Ok(tokens) = Tokenizer::new(&MySqlDialect {}, text).tokenize_with_location() else {
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
        if Tokenizer::new(&MySqlDialect {}, &text[..cut])
            .tokenize()
            .is_ok()
        {
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

/// The statement the cursor is in (or right after), for Shift+Enter.
pub fn statement_at(text: &str, cursor: usize) -> Option<ScriptStatement> {
    let statements = split_script(text);
    statements
        .iter()
        .find(|s| cursor >= s.span.start && cursor <= s.span.end + 1)
        .or_else(|| statements.iter().rev().find(|s| s.span.end <= cursor))
        .or_else(|| statements.first())
        .cloned()
}

/// A built-in function for autocomplete: its MySQL signature and what it does.
pub struct FunctionDoc {
    pub name: &'static str,
    pub signature: &'static str,
    pub ko: &'static str,
    pub en: &'static str,
}

/// The functions sqlnori runs, as the learner writes them.
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        name: "COUNT",
        signature: "COUNT(expr | *)",
        ko: "행(또는 NULL이 아닌 값)의 개수",
        en: "number of rows (or non-NULL values)",
    },
    FunctionDoc {
        name: "SUM",
        signature: "SUM(expr)",
        ko: "합계",
        en: "sum",
    },
    FunctionDoc {
        name: "AVG",
        signature: "AVG(expr)",
        ko: "평균",
        en: "average",
    },
    FunctionDoc {
        name: "MIN",
        signature: "MIN(expr)",
        ko: "가장 작은 값",
        en: "smallest value",
    },
    FunctionDoc {
        name: "MAX",
        signature: "MAX(expr)",
        ko: "가장 큰 값",
        en: "largest value",
    },
    FunctionDoc {
        name: "GROUP_CONCAT",
        signature: "GROUP_CONCAT([DISTINCT] expr [ORDER BY …] [SEPARATOR ','])",
        ko: "그룹의 값을 이어 붙인 문자열",
        en: "the group's values joined into one string",
    },
    FunctionDoc {
        name: "CONCAT",
        signature: "CONCAT(str1, str2, …)",
        ko: "문자열 이어 붙이기",
        en: "join strings",
    },
    FunctionDoc {
        name: "CONCAT_WS",
        signature: "CONCAT_WS(separator, str1, …)",
        ko: "구분자로 이어 붙이기",
        en: "join strings with a separator",
    },
    FunctionDoc {
        name: "ELT",
        signature: "ELT(n, str1, str2, …)",
        ko: "n번째 문자열 (범위 밖이면 NULL)",
        en: "the n-th string (NULL out of range)",
    },
    FunctionDoc {
        name: "IF",
        signature: "IF(condition, then, else)",
        ko: "조건에 따라 두 값 중 하나",
        en: "one of two values by a condition",
    },
    FunctionDoc {
        name: "IFNULL",
        signature: "IFNULL(expr, fallback)",
        ko: "NULL이면 대신할 값",
        en: "a fallback for NULL",
    },
    FunctionDoc {
        name: "COALESCE",
        signature: "COALESCE(expr1, expr2, …)",
        ko: "처음으로 NULL이 아닌 값",
        en: "the first non-NULL value",
    },
    FunctionDoc {
        name: "NULLIF",
        signature: "NULLIF(a, b)",
        ko: "a = b이면 NULL, 아니면 a",
        en: "NULL when a = b, else a",
    },
    FunctionDoc {
        name: "ROUND",
        signature: "ROUND(x[, digits])",
        ko: "반올림",
        en: "round",
    },
    FunctionDoc {
        name: "FLOOR",
        signature: "FLOOR(x)",
        ko: "내림 (정수)",
        en: "round down to a whole number",
    },
    FunctionDoc {
        name: "CEIL",
        signature: "CEIL(x)",
        ko: "올림 (정수)",
        en: "round up to a whole number",
    },
    FunctionDoc {
        name: "ABS",
        signature: "ABS(x)",
        ko: "절댓값",
        en: "absolute value",
    },
    FunctionDoc {
        name: "MOD",
        signature: "MOD(a, b)",
        ko: "나머지",
        en: "remainder",
    },
    FunctionDoc {
        name: "RAND",
        signature: "RAND()",
        ko: "0 이상 1 미만의 난수 (세션 시드)",
        en: "a random number in [0, 1) (session seed)",
    },
    FunctionDoc {
        name: "GREATEST",
        signature: "GREATEST(a, b, …)",
        ko: "가장 큰 인자",
        en: "the largest argument",
    },
    FunctionDoc {
        name: "LEAST",
        signature: "LEAST(a, b, …)",
        ko: "가장 작은 인자",
        en: "the smallest argument",
    },
    FunctionDoc {
        name: "LENGTH",
        signature: "LENGTH(str)",
        ko: "바이트 수 (한글 한 글자 = 3)",
        en: "length in bytes (a Hangul syllable is 3)",
    },
    FunctionDoc {
        name: "CHAR_LENGTH",
        signature: "CHAR_LENGTH(str)",
        ko: "글자 수",
        en: "length in characters",
    },
    FunctionDoc {
        name: "LEFT",
        signature: "LEFT(str, n)",
        ko: "왼쪽에서 n글자",
        en: "the first n characters",
    },
    FunctionDoc {
        name: "RIGHT",
        signature: "RIGHT(str, n)",
        ko: "오른쪽에서 n글자",
        en: "the last n characters",
    },
    FunctionDoc {
        name: "SUBSTR",
        signature: "SUBSTR(str, pos[, len])",
        ko: "부분 문자열 (1부터, 음수는 끝에서)",
        en: "part of a string (from 1; negative counts from the end)",
    },
    FunctionDoc {
        name: "SUBSTRING",
        signature: "SUBSTRING(str, pos[, len])",
        ko: "SUBSTR과 같음",
        en: "same as SUBSTR",
    },
    FunctionDoc {
        name: "UPPER",
        signature: "UPPER(str)",
        ko: "대문자로",
        en: "to upper case",
    },
    FunctionDoc {
        name: "LOWER",
        signature: "LOWER(str)",
        ko: "소문자로",
        en: "to lower case",
    },
    FunctionDoc {
        name: "TRIM",
        signature: "TRIM(str)",
        ko: "앞뒤 공백 제거",
        en: "remove surrounding spaces",
    },
    FunctionDoc {
        name: "REPLACE",
        signature: "REPLACE(str, from, to)",
        ko: "문자열 바꾸기",
        en: "replace text",
    },
    FunctionDoc {
        name: "LPAD",
        signature: "LPAD(str, len, fill)",
        ko: "왼쪽을 채워 길이 맞추기",
        en: "pad on the left to a length",
    },
    FunctionDoc {
        name: "RPAD",
        signature: "RPAD(str, len, fill)",
        ko: "오른쪽을 채워 길이 맞추기",
        en: "pad on the right to a length",
    },
    FunctionDoc {
        name: "REPEAT",
        signature: "REPEAT(str, n)",
        ko: "n번 반복",
        en: "repeat n times",
    },
    FunctionDoc {
        name: "REVERSE",
        signature: "REVERSE(str)",
        ko: "뒤집기",
        en: "reverse",
    },
    FunctionDoc {
        name: "LOCATE",
        signature: "LOCATE(substr, str[, pos])",
        ko: "부분 문자열의 위치 (없으면 0)",
        en: "position of a substring (0 when absent)",
    },
    FunctionDoc {
        name: "INSTR",
        signature: "INSTR(str, substr)",
        ko: "부분 문자열의 위치",
        en: "position of a substring",
    },
    FunctionDoc {
        name: "NOW",
        signature: "NOW()",
        ko: "지금 날짜와 시각 (서울)",
        en: "the current date and time (Seoul)",
    },
    FunctionDoc {
        name: "CURDATE",
        signature: "CURDATE()",
        ko: "오늘 날짜",
        en: "today's date",
    },
    FunctionDoc {
        name: "DATE_FORMAT",
        signature: "DATE_FORMAT(date, '%Y-%m-%d')",
        ko: "날짜를 형식에 맞춰 문자열로",
        en: "format a date as text",
    },
    FunctionDoc {
        name: "DATE_ADD",
        signature: "DATE_ADD(date, INTERVAL n unit)",
        ko: "날짜 더하기",
        en: "add to a date",
    },
    FunctionDoc {
        name: "YEAR",
        signature: "YEAR(date)",
        ko: "연도",
        en: "the year",
    },
    FunctionDoc {
        name: "MONTH",
        signature: "MONTH(date)",
        ko: "월",
        en: "the month",
    },
    FunctionDoc {
        name: "DAY",
        signature: "DAY(date)",
        ko: "일",
        en: "the day",
    },
    FunctionDoc {
        name: "ROW_NUMBER",
        signature: "ROW_NUMBER() OVER (…)",
        ko: "윈도 안의 행 번호",
        en: "row number within the window",
    },
    FunctionDoc {
        name: "RANK",
        signature: "RANK() OVER (ORDER BY …)",
        ko: "순위 (같으면 건너뜀)",
        en: "rank (ties skip)",
    },
    FunctionDoc {
        name: "DENSE_RANK",
        signature: "DENSE_RANK() OVER (ORDER BY …)",
        ko: "순위 (같아도 건너뛰지 않음)",
        en: "rank without gaps",
    },
    FunctionDoc {
        name: "LAG",
        signature: "LAG(expr[, n]) OVER (…)",
        ko: "앞 행의 값",
        en: "a value from an earlier row",
    },
    FunctionDoc {
        name: "LEAD",
        signature: "LEAD(expr[, n]) OVER (…)",
        ko: "뒤 행의 값",
        en: "a value from a later row",
    },
    FunctionDoc {
        name: "NTILE",
        signature: "NTILE(n) OVER (ORDER BY …)",
        ko: "n개 묶음으로 나눈 번호",
        en: "bucket number out of n",
    },
];

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
    FUNCTIONS.iter().any(|f| f.name.eq_ignore_ascii_case(word))
        || matches!(
            word.to_ascii_uppercase().as_str(),
            "CAST" | "EXTRACT" | "POSITION" | "MID" | "FORMAT" | "HEX"
        )
}

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
            doc: Some(Localized::new(f.ko, f.en)),
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
    let Ok(tokens) = Tokenizer::new(&MySqlDialect {}, statement).tokenize() else {
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

/// Display columns of `text` in a monospace font: Hangul, CJK and fullwidth characters take
/// two. The editor places its autocomplete list by it and the CLI pads its tables by it.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Toggles `-- ` at the start of every line touched by `[start, end)`: comments them all, or
/// uncomments them all when each already is. Returns the new text and the new selection.
pub fn toggle_comment(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let (line_start, line_end) = line_range(text, start, end);
    let block = &text[line_start..line_end];
    let lines: Vec<&str> = block.split('\n').collect();
    let all_commented = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.trim_start().starts_with("--"));
    let changed: Vec<String> = lines
        .iter()
        .map(|l| {
            if all_commented {
                let indent = l.len() - l.trim_start().len();
                let rest = &l[indent..];
                let rest = rest
                    .strip_prefix("-- ")
                    .or_else(|| rest.strip_prefix("--"))
                    .unwrap_or(rest);
                format!("{}{rest}", &l[..indent])
            } else if l.trim().is_empty() {
                (*l).to_owned()
            } else {
                format!("-- {l}")
            }
        })
        .collect();
    let new_block = changed.join("\n");
    let new_text = format!("{}{new_block}{}", &text[..line_start], &text[line_end..]);
    (new_text, line_start, line_start + new_block.len())
}

/// Indents (or with `outdent`, removes up to four spaces from) every line touched.
pub fn indent(text: &str, start: usize, end: usize, outdent: bool) -> (String, usize, usize) {
    let (line_start, line_end) = line_range(text, start, end);
    let block = &text[line_start..line_end];
    let new_block = block
        .split('\n')
        .map(|l| {
            if outdent {
                let spaces = l.len() - l.trim_start_matches(' ').len();
                l[spaces.min(4)..].to_owned()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let new_text = format!("{}{new_block}{}", &text[..line_start], &text[line_end..]);
    (new_text, line_start, line_start + new_block.len())
}

fn line_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    // A selection ending right at a line start does not touch that line.
    let end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    (line_start, line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_and_fullwidth_take_two_columns() {
        assert_eq!(display_width("name"), 4);
        assert_eq!(display_width("이름"), 4);
        assert_eq!(display_width("a한b"), 4);
        assert_eq!(display_width("￦１"), 4);
        assert_eq!(display_width(""), 0);
    }
    use crate::engine::ColumnInfo;

    fn students() -> Vec<TableInfo> {
        let col = |n: &str, t: &str| ColumnInfo {
            name: n.into(),
            data_type: t.into(),
            nullable: true,
            primary_key: n == "id",
            auto_increment: false,
        };
        vec![
            TableInfo {
                database: "student_db2".into(),
                name: "students".into(),
                columns: vec![
                    col("id", "INT"),
                    col("name", "VARCHAR(100)"),
                    col("kor", "INT"),
                ],
                row_count: 30,
            },
            TableInfo {
                database: "student_db2".into(),
                name: "employees".into(),
                columns: vec![
                    col("id", "INT"),
                    col("name", "VARCHAR(50)"),
                    col("manager_id", "INT"),
                ],
                row_count: 8,
            },
        ]
    }

    #[test]
    fn highlighting_follows_the_tokenizer() {
        let text =
            "SELECT name, COUNT(*) FROM students -- 학생\nWHERE kor >= 80 AND name = '김영희';";
        let spans = highlight(text);
        let class_of = |needle: &str| {
            let at = text.find(needle).expect("in text");
            spans.iter().find(|s| s.start == at).map(|s| s.class)
        };
        assert_eq!(class_of("SELECT"), Some(TokenClass::Keyword));
        assert_eq!(class_of("name"), Some(TokenClass::Identifier));
        assert_eq!(class_of("COUNT"), Some(TokenClass::Function));
        assert_eq!(class_of("-- 학생"), Some(TokenClass::Comment));
        assert_eq!(class_of("80"), Some(TokenClass::Number));
        assert_eq!(class_of("'김영희'"), Some(TokenClass::String));
        assert_eq!(class_of(">="), Some(TokenClass::Operator));
        // An unclosed string while typing: the lines before keep their colours.
        let open = "SELECT 1;\nSELECT 'abc";
        let spans = highlight(open);
        assert_eq!(spans[0].class, TokenClass::Keyword);
        assert_eq!(spans.last().map(|s| s.class), Some(TokenClass::Plain));
    }

    #[test]
    fn the_statement_under_the_cursor() {
        let text = "select 1;\nselect 2;\n\nselect 3";
        assert_eq!(
            statement_at(text, 3).map(|s| s.sql),
            Some("select 1".into())
        );
        assert_eq!(
            statement_at(text, 12).map(|s| s.sql),
            Some("select 2".into())
        );
        assert_eq!(
            statement_at(text, text.len()).map(|s| s.sql),
            Some("select 3".into())
        );
    }

    #[test]
    fn columns_after_an_alias_and_in_scope() {
        let tables = students();
        let text = "SELECT s.k FROM students s";
        let (from, items) = complete(text, "SELECT s.k".len(), &tables);
        assert_eq!(from, "SELECT s.".len());
        let labels: Vec<_> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["kor"]);
        let text = "SELECT ma FROM employees e";
        let (_, items) = complete(text, "SELECT ma".len(), &tables);
        assert_eq!(items[0].label, "manager_id");
        assert_eq!(items[0].kind, CompletionKind::Column);
        let (_, items) = complete("SELECT CO", 9, &tables);
        let count = items
            .iter()
            .find(|c| c.label == "COUNT")
            .expect("COUNT offered");
        assert_eq!(count.detail, "COUNT(expr | *)");
        assert!(count.doc.is_some());
        let (_, items) = complete("SELECT * FROM stu", 17, &tables);
        assert_eq!(items[0].label, "students");
    }

    #[test]
    fn comments_and_indents_toggle_by_line() {
        let text = "select 1\nfrom t\nwhere x";
        let (t, a, b) = toggle_comment(text, 2, 12);
        assert_eq!(t, "-- select 1\n-- from t\nwhere x");
        let (back, _, _) = toggle_comment(&t, a, b);
        assert_eq!(back, text);
        let (t, _, _) = indent(text, 0, 0, false);
        assert_eq!(t, "    select 1\nfrom t\nwhere x");
        let (t, _, _) = indent(&t, 2, 2, true);
        assert_eq!(t, text);
    }
}
