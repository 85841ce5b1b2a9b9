//! The engine's errors: why a statement could not run, typed, with bilingual messages. The
//! façade turns them into the model's [`StatementError`](sqlnori_model::StatementError),
//! placed at the learner's line and column.

use sqlnori_model::diagnostics::MysqlCode;
use sqlnori_model::split::ScriptStatement;
use sqlnori_model::{Localized, StatementError};
use thiserror::Error;

mod glue;

/// Why a statement could not run. Positions are filled in by the engine, which knows where the
/// statement stands in the script.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SqlError {
    /// The SQL text does not parse; `line`/`column` are relative to the statement.
    #[error("syntax error: {message}")]
    Parse {
        message: String,
        line: u64,
        column: u64,
    },
    /// Valid MySQL that sqlnori does not run yet.
    #[error("not supported: {}", .feature.en)]
    Unsupported {
        feature: Localized,
        hint: Option<Localized>,
    },
    /// A name that does not exist (database, table, CTE).
    #[error("{what} not found: {name}")]
    NotFound { what: &'static str, name: String },
    /// A rule of the data was broken (duplicate key, NOT NULL …) or a value is invalid.
    #[error("{}", .0.en)]
    Invalid(Localized),
    /// A bound that protects the page was passed (nesting depth, recursion, size).
    #[error("limit exceeded: {}", .0.en)]
    Limit(Localized),
    /// GlueSQL refused or failed the statement.
    #[error("engine error: {0}")]
    Engine(String),
    /// A failure GlueSQL reports in its own words, said as a sentence for the learner, about
    /// `subject` (a word of the statement to point at) when there is one.
    #[error("{}", .0.message.en)]
    Explained(Box<Explanation>),
}

/// An error GlueSQL reports in its own words, said again for the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub code: &'static str,
    pub message: Localized,
    /// The word of the statement it is about, to point at.
    pub subject: Option<String>,
    pub hint: Option<Localized>,
}

impl SqlError {
    pub fn code(&self) -> &'static str {
        match self {
            SqlError::Parse { .. } => "parse",
            SqlError::Unsupported { .. } => "unsupported",
            SqlError::NotFound { .. } => "not_found",
            SqlError::Invalid(_) => "invalid",
            SqlError::Limit(_) => "limit",
            SqlError::Engine(_) => "engine",
            SqlError::Explained(e) => e.code,
        }
    }

    /// The learner-facing message in Korean and English.
    pub fn localized(&self) -> Localized {
        match self {
            SqlError::Parse { message, .. } => Localized::new(
                format!("문법 오류: {}", parse_message_ko(message)),
                format!("syntax error: {message}"),
            ),
            SqlError::Unsupported { feature, .. } => Localized::new(
                format!(
                    "sqlnori는 아직 이 기능을 실행하지 못합니다: {}.",
                    feature.ko
                ),
                format!("sqlnori does not run this yet: {}.", feature.en),
            ),
            SqlError::NotFound { what, name } => {
                let (ko, code) = match *what {
                    "database" => ("데이터베이스", " (MySQL 오류 1049)"),
                    "table" => ("표", " (MySQL 오류 1146)"),
                    "column" => ("열", " (MySQL 오류 1054)"),
                    "view" => ("뷰", " (MySQL 오류 1146)"),
                    _ => ("대상", ""),
                };
                let en_code = code.replace("오류", "error");
                Localized::new(
                    format!(
                        "{} 찾을 수 없습니다{code}.",
                        sqlnori_model::korean::eul(&format!("{ko} `{name}`"))
                    ),
                    format!("{what} not found: {name}{en_code}."),
                )
            }
            SqlError::Invalid(l) => l.clone(),
            SqlError::Limit(what) => Localized::new(
                format!("페이지를 지키는 한도를 넘어 멈췄습니다: {}.", what.ko),
                format!("Stopped at a limit that protects the page: {}.", what.en),
            ),
            SqlError::Engine(msg) => Localized::new(
                format!("이 문장을 실행하다 엔진이 멈췄습니다 (엔진의 설명: {msg})."),
                format!("The engine failed while running this statement ({msg})."),
            ),
            SqlError::Explained(e) => e.message.clone(),
        }
    }

    /// The name an error is about, to point at it in the learner's SQL.
    pub fn subject(&self) -> Option<&str> {
        match self {
            SqlError::NotFound { name, .. } => name.rsplit('.').next(),
            // The feature's first word when it is written in the statement (`NATURAL JOIN`,
            // `DATE_ADD without INTERVAL`, `function SOUNDEX`, `` `a <=> b` ``); a number
            // used as a condition is most often a WHERE's.
            SqlError::Unsupported { feature, .. } => {
                let en = feature.en.strip_prefix("function ").unwrap_or(&feature.en);
                if en.starts_with("a condition") {
                    return Some("WHERE");
                }
                let word = en.trim_start_matches('`').split([' ', '(', '`']).next()?;
                (!word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                .then_some(word)
            }
            SqlError::Explained(e) => e.subject.as_deref(),
            _ => None,
        }
    }

    pub fn hint(&self) -> Option<Localized> {
        match self {
            SqlError::Parse { message, .. } => keyword_suggestion(message),
            SqlError::Unsupported { hint, .. } => hint.clone(),
            SqlError::Explained(e) => e.hint.clone(),
            _ => None,
        }
    }
}

impl SqlError {
    /// The error as the learner sees it, placed in the script: a parse error at its own
    /// place, an error about a name at the first place that name is written, the rest at the
    /// start of the statement.
    pub fn placed(&self, stmt: &ScriptStatement) -> StatementError {
        let (line, column) = match self {
            SqlError::Parse { line, column, .. } => relative_place(stmt, *line, *column),
            _ => match self
                .subject()
                .and_then(|w| sqlnori_model::split::locate_word(&stmt.sql, w))
            {
                Some((line, column)) => relative_place(stmt, line, column),
                None => (stmt.span.line, stmt.span.column),
            },
        };
        StatementError {
            code: self.code().to_owned(),
            message: self.localized(),
            line,
            column,
            hint: self.hint(),
            mysql: self.errno().and_then(MysqlCode::of),
        }
    }

    /// MySQL's error number for this failure, when MySQL would fail too (a statement sqlnori
    /// does not run yet has none: MySQL would run it).
    pub fn errno(&self) -> Option<u16> {
        match self {
            SqlError::Parse { .. } => Some(1064),
            SqlError::NotFound { what, .. } => match *what {
                "database" => Some(1049),
                "table" | "view" => Some(1146),
                "column" => Some(1054),
                _ => None,
            },
            SqlError::Unsupported { .. } | SqlError::Limit(_) | SqlError::Engine(_) => None,
            SqlError::Invalid(_) | SqlError::Explained(_) => {
                sqlnori_model::diagnostics::errno_in(&self.localized().en)
            }
        }
    }
}

/// sqlparser's `Expected: …, found: …` as a Korean sentence (the common cases; the rest as
/// they come, after the Korean "syntax error").
fn parse_message_ko(message: &str) -> String {
    if message.starts_with("Unterminated string literal") {
        return "문자열이 닫히지 않았습니다. 여는 따옴표와 같은 따옴표로 닫으세요.".to_owned();
    }
    let Some(rest) = message.strip_prefix("Expected: ") else {
        return message.to_owned();
    };
    let Some((expected, found)) = rest.rsplit_once(", found: ") else {
        return message.to_owned();
    };
    let found = found.split(" at Line").next().unwrap_or(found);
    // Each with its particle (the word before a parenthesis decides it).
    let what = match expected {
        "an SQL statement" => "SQL 문(SELECT, INSERT …)이".to_owned(),
        "end of statement" => "문장의 끝(;)이".to_owned(),
        "an expression" => "값이나 식이".to_owned(),
        "identifier" | "an identifier" => "이름이".to_owned(),
        e if e.starts_with("an identifier after ") => {
            format!("{} 뒤의 이름이", &e["an identifier after ".len()..])
        }
        e if e.starts_with("an object type after ") => {
            format!(
                "{} 뒤의 종류(TABLE, DATABASE …)가",
                &e["an object type after ".len()..]
            )
        }
        other => sqlnori_model::korean::i(&format!("`{other}`")),
    };
    let found = if found == "EOF" {
        "문장이 끝났습니다".to_owned()
    } else {
        format!(
            "{} 있습니다",
            sqlnori_model::korean::i(&format!("`{found}`"))
        )
    };
    format!("{what} 와야 하는데 {found}.")
}

/// "혹시 SELECT?": a misspelt keyword where sqlparser found a word.
fn keyword_suggestion(message: &str) -> Option<Localized> {
    const KEYWORDS: [&str; 22] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TABLE", "DATABASE",
        "FROM", "WHERE", "JOIN", "GROUP", "ORDER", "LIMIT", "VALUES", "INTO", "SET", "WITH",
        "UNION", "HAVING", "DISTINCT",
    ];
    let found = message.rsplit_once(", found: ")?.1;
    let word = found.split(" at Line").next()?.trim();
    if word.len() < 3 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let upper = word.to_uppercase();
    if KEYWORDS.contains(&upper.as_str()) {
        return None;
    }
    let best = crate::nearest(&upper, KEYWORDS.iter().copied())?;
    Some(Localized::new(
        format!("혹시 {best}?"),
        format!("did you mean {best}?"),
    ))
}

pub(crate) fn explained(
    code: &'static str,
    message: Localized,
    subject: Option<String>,
    hint: Option<Localized>,
) -> SqlError {
    SqlError::Explained(Box::new(Explanation {
        code,
        message,
        subject,
        hint,
    }))
}

/// A number or text used where a condition belongs (`WHERE kor`).
pub(crate) fn not_a_condition(value: &str) -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new(
            format!("참/거짓이 아닌 값({value})을 조건으로 쓰기"),
            format!("a condition that is not true/false ({value})"),
        ),
        hint: Some(Localized::new(
            "조건으로는 참/거짓, 숫자(0은 거짓), 문자열(앞의 숫자)을 씁니다. 날짜 같은 값은 비교식으로 쓰세요. 예: WHERE d IS NOT NULL",
            "a condition is true/false, a number (0 is false) or text (its leading number); compare other values, as in WHERE d IS NOT NULL",
        )),
    }
}

/// MySQL's error 1062 for the primary key.
pub(crate) fn duplicate_key(key: &str) -> SqlError {
    let key = key.trim_matches('\'');
    explained(
        "duplicate",
        Localized::new(
            format!(
                "기본 키 값 {} 중복됩니다 (MySQL 오류 1062).",
                sqlnori_model::korean::i(&format!("'{key}'"))
            ),
            format!("Duplicate entry '{key}' for key 'PRIMARY' (MySQL error 1062)."),
        ),
        Some(key.to_owned()),
        None,
    )
}

/// A place inside a statement, in the script's coordinates.
fn relative_place(stmt: &ScriptStatement, line: u64, column: u64) -> (u32, u32) {
    let line_u32 = u32::try_from(line).unwrap_or(1).max(1);
    let col_u32 = u32::try_from(column).unwrap_or(1).max(1);
    if line_u32 == 1 {
        (stmt.span.line, stmt.span.column + col_u32 - 1)
    } else {
        (stmt.span.line + line_u32 - 1, col_u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_in_korean_with_the_keyword_meant() {
        assert_eq!(
            parse_message_ko("Expected: an SQL statement, found: sclect"),
            "SQL 문(SELECT, INSERT …)이 와야 하는데 `sclect`가 있습니다."
        );
        assert_eq!(
            parse_message_ko("Expected: an expression, found: EOF"),
            "값이나 식이 와야 하는데 문장이 끝났습니다."
        );
        assert!(parse_message_ko("Unterminated string literal at Line: 1")
            .starts_with("문자열이 닫히지"));
        assert_eq!(
            keyword_suggestion("Expected: an object type after CREATE, found: tabel").map(|l| l.en),
            Some("did you mean TABLE?".to_owned())
        );
        assert_eq!(
            keyword_suggestion("Expected: end of statement, found: students"),
            None
        );
        assert_eq!(
            keyword_suggestion("Expected: an expression, found: )"),
            None
        );
    }

    /// GlueSQL's refusal of a join operator names it in SQL words (a gluesql-core patch: it
    /// printed the operator's Rust `Debug`, ON expression and all). The dialect layer refuses
    /// these joins first, so this is the error's last line of defence.
    #[test]
    fn a_join_glue_refuses_is_named_in_sql_words() {
        use sqlparser::dialect::MySqlDialect;
        use sqlparser::parser::Parser;
        let sql = "SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x";
        let stmt = Parser::parse_sql(&MySqlDialect {}, sql)
            .expect("parses")
            .remove(0);
        let err = gluesql_core::translate::translate(&stmt).expect_err("refused");
        match SqlError::from_glue(err) {
            SqlError::Unsupported { feature, .. } => assert_eq!(feature.en, "`FULL OUTER JOIN`"),
            other => panic!("{other:?}"),
        }
    }
}
