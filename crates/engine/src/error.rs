//! The engine's errors: why a statement could not run, typed, with bilingual messages. The
//! façade turns them into the model's [`StatementError`](sqlnori_model::StatementError),
//! placed at the learner's line and column.

use sqlnori_model::split::ScriptStatement;
use sqlnori_model::{Localized, StatementError};
use thiserror::Error;

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
    #[error("not supported: {feature}")]
    Unsupported {
        feature: String,
        hint: Option<Localized>,
    },
    /// A name that does not exist (database, table, CTE).
    #[error("{what} not found: {name}")]
    NotFound { what: &'static str, name: String },
    /// A rule of the data was broken (duplicate key, NOT NULL …) or a value is invalid.
    #[error("{}", .0.en)]
    Invalid(Localized),
    /// A bound that protects the page was passed (nesting depth, recursion, size).
    #[error("limit exceeded: {0}")]
    Limit(String),
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
                format!("아직 지원하지 않는 기능입니다: {feature}"),
                format!("not supported yet: {feature}"),
            ),
            SqlError::NotFound { what, name } => {
                let ko = match *what {
                    "database" => "데이터베이스",
                    "table" => "테이블",
                    "column" => "열",
                    _ => "대상",
                };
                Localized::new(
                    format!(
                        "{} 찾을 수 없습니다: {name}",
                        sqlnori_model::korean::eul(ko)
                    ),
                    format!("{what} not found: {name}"),
                )
            }
            SqlError::Invalid(l) => l.clone(),
            SqlError::Limit(what) => Localized::new(
                format!("안전 한도를 넘었습니다: {what}"),
                format!("limit exceeded: {what}"),
            ),
            SqlError::Engine(msg) => Localized::new(
                format!("실행 오류: {msg}"),
                format!("execution error: {msg}"),
            ),
            SqlError::Explained(e) => e.message.clone(),
        }
    }

    /// The name an error is about, to point at it in the learner's SQL.
    pub fn subject(&self) -> Option<&str> {
        match self {
            SqlError::NotFound { name, .. } => name.rsplit('.').next(),
            SqlError::Unsupported { feature, .. } => feature.strip_prefix("function "),
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
        }
    }

    /// GlueSQL's errors as the learner should read them: names that do not exist, features
    /// not supported (with the nearest supported form), broken keys; the rest as they come.
    pub(crate) fn from_glue(e: gluesql_core::error::Error) -> SqlError {
        use gluesql_core::error::{Error as G, TranslateError as T};
        use gluesql_core::executor::{EvaluateError as E, FetchError, ValidateError as V};
        match e {
            G::Fetch(FetchError::TableNotFound(name)) => SqlError::NotFound {
                what: "table",
                name: if name.starts_with("__") {
                    name.split_once('_')
                        .map_or(name.clone(), |(_, n)| n.to_owned())
                } else {
                    name
                },
            },
            G::Evaluate(E::IdentifierNotFound(name)) => SqlError::NotFound {
                what: "column",
                name,
            },
            G::Evaluate(E::CompoundIdentifierNotFound {
                table_alias,
                column_name,
            }) => SqlError::NotFound {
                what: "column",
                name: format!("{table_alias}.{column_name}"),
            },
            G::Evaluate(E::UnsupportedFunction(name)) => SqlError::Unsupported {
                feature: format!("function {name}"),
                hint: Some(sqlnori_model::catalog::summary()),
            },
            G::Translate(
                t @ (T::UnsupportedStatement(_)
                | T::UnsupportedExpr(_)
                | T::UnsupportedDataType(_)
                | T::UnsupportedQuerySetExpr(_)
                | T::UnsupportedJoinOperator(_)
                | T::UnsupportedAlterTableOperation(_)),
            ) => SqlError::Unsupported {
                feature: t.to_string(),
                hint: Some(Localized::new(
                    "지원하는 MySQL 문법 목록은 예제 메뉴와 README에 있습니다",
                    "the examples menu and the README list the MySQL that sqlnori runs",
                )),
            },
            G::Evaluate(E::BooleanTypeRequired(value)) => not_a_condition(&value),
            G::Evaluate(E::FunctionRequiresUSizeValue(name)) => SqlError::Invalid(Localized::new(
                format!("{name}: 길이는 0 이상이어야 하고 결과는 1 GiB를 넘을 수 없습니다"),
                format!("{name}: the length must be zero or more and the result at most 1 GiB"),
            )),
            G::Value(v)
                if matches!(
                    *v,
                    gluesql_core::data::ValueError::UnreachableIntegerOverflow(_)
                        | gluesql_core::data::ValueError::BinaryOperationOverflow { .. }
                ) =>
            {
                SqlError::Invalid(Localized::new(
                    format!("정수 범위(BIGINT)를 벗어났습니다: {v}"),
                    format!("BIGINT value is out of range: {v}"),
                ))
            }
            G::Validate(V::DuplicateEntryOnPrimaryKeyField(key)) => {
                use gluesql_core::data::Key;
                duplicate_key(&match key {
                    Key::I64(n) => n.to_string(),
                    Key::I32(n) => n.to_string(),
                    Key::Str(s) => format!("'{s}'"),
                    other => format!("{other:?}"),
                })
            }
            G::Planner(gluesql_core::error::PlannerError::ColumnReferenceAmbiguous(name)) => {
                let korean = sqlnori_model::korean::i(&format!("열 `{name}`"));
                SqlError::Explained(Box::new(Explanation {
                    code: "ambiguous",
                    message: Localized::new(
                        format!("{korean} 여러 표에 있어 어느 것인지 알 수 없습니다 (MySQL 오류 1052)."),
                        format!("Column `{name}` is in more than one table, so which one is meant is ambiguous (MySQL error 1052)."),
                    ),
                    subject: Some(name.clone()),
                    hint: Some(Localized::new(
                        format!("`s.{name}`처럼 표 이름이나 별칭을 붙이세요"),
                        format!("name its table or alias, as in `s.{name}`"),
                    )),
                }))
            }
            G::Insert(gluesql_core::error::InsertError::LackOfRequiredColumn(column)) => {
                let korean = sqlnori_model::korean::eun(&format!("NOT NULL 열 `{column}`"));
                SqlError::Explained(Box::new(Explanation {
                    code: "no_default",
                    message: Localized::new(
                        format!("{korean} 기본값이 없어 값을 꼭 넣어야 합니다 (MySQL 오류 1364)."),
                        format!("Field `{column}` is NOT NULL and has no default value: give it a value (MySQL error 1364)."),
                    ),
                    subject: None,
                    hint: Some(Localized::new(
                        format!(
                            "열 목록에 {} 넣고 VALUES에 그 값을 적으세요",
                            sqlnori_model::korean::eul(&format!("`{column}`"))
                        ),
                        format!("add `{column}` to the column list and its value to VALUES"),
                    )),
                }))
            }
            G::Evaluate(E::UnsupportedBinaryOperation { left, op, right }) => {
                let op = gluesql_core::ast::ToSql::to_sql(&op);
                SqlError::Explained(Box::new(Explanation {
                    code: "types",
                    message: Localized::new(
                        format!("`{left} {op} {right}`: 이 두 값은 이 연산자로 계산할 수 없습니다 (문자열과 숫자처럼 종류가 다릅니다)."),
                        format!("`{left} {op} {right}`: these two values cannot be combined with this operator (they are of different kinds, such as text and a number)."),
                    ),
                    subject: None,
                    hint: Some(Localized::new(
                        "MySQL은 문자열을 숫자로 바꿔 계산하지만 sqlnori에서는 CAST('10' AS SIGNED)처럼 직접 바꾸세요",
                        "MySQL turns the text into a number; in sqlnori convert it yourself, as in CAST('10' AS SIGNED)",
                    )),
                }))
            }
            G::Evaluate(E::TextParseFailed { literal, data_type }) => explained(
                "bad_value",
                Localized::new(
                    format!(
                        "{} {data_type} 값으로 읽을 수 없습니다 (MySQL 오류 1366).",
                        sqlnori_model::korean::eul(&format!("'{literal}'"))
                    ),
                    format!("Incorrect {data_type} value: '{literal}' (MySQL error 1366)."),
                ),
                Some(literal),
                None,
            ),
            G::Value(v) if matches!(*v, gluesql_core::data::ValueError::NullValueOnNotNullField) => {
                explained(
                    "not_null",
                    Localized::new(
                        "NOT NULL 열에는 NULL을 넣을 수 없습니다 (MySQL 오류 1048).",
                        "A NOT NULL column cannot be NULL (MySQL error 1048).",
                    ),
                    Some("NULL".to_owned()),
                    Some(Localized::new(
                        "DESCRIBE 표이름;으로 어느 열이 NOT NULL인지 볼 수 있습니다",
                        "DESCRIBE the table to see which columns are NOT NULL",
                    )),
                )
            }
            G::Value(v)
                if matches!(
                    *v,
                    gluesql_core::data::ValueError::NonNumericMathOperation { .. }
                ) =>
            {
                explained(
                    "types",
                    Localized::new(
                        "숫자가 아닌 값으로 계산하려 했습니다 (문자열과 숫자처럼 종류가 다릅니다).",
                        "A value that is not a number was used in arithmetic (the kinds differ, such as text and a number).",
                    ),
                    None,
                    Some(Localized::new(
                        "CAST('10' AS SIGNED)처럼 숫자로 바꾸세요",
                        "convert it, as in CAST('10' AS SIGNED)",
                    )),
                )
            }
            G::Evaluate(E::FunctionRequiresFloatValue(name)) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 숫자를 넣어야 합니다."),
                    format!("{name} takes a number."),
                ),
                Some(name),
                None,
            ),
            G::Evaluate(E::FunctionRequiresStringValue(name)) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 문자열을 넣어야 합니다."),
                    format!("{name} takes text."),
                ),
                Some(name.clone()),
                Some(Localized::new(
                    format!("{name}(CAST(x AS CHAR))처럼 문자열로 바꾸세요"),
                    format!("convert it, as in {name}(CAST(x AS CHAR))"),
                )),
            ),
            G::Validate(V::DuplicateEntryOnUniqueField(value, column)) => {
                let value = String::from(&value);
                explained(
                    "duplicate",
                    Localized::new(
                        format!(
                            "UNIQUE 열 `{column}`에 {} 두 번 들어갈 수 없습니다 (MySQL 오류 1062).",
                            sqlnori_model::korean::i(&format!("'{value}'"))
                        ),
                        format!("Duplicate entry '{value}' for key '{column}' (MySQL error 1062)."),
                    ),
                    None,
                    None,
                )
            }
            other => SqlError::Engine(other.to_string()),
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

fn explained(
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
        feature: format!("a condition that is not true/false ({value})"),
        hint: Some(Localized::new(
            "MySQL은 숫자 0을 거짓으로 보지만 sqlnori에서는 비교식으로 쓰세요. 예: WHERE kor <> 0, IF(kor > 0, …)",
            "MySQL reads the number 0 as false; in sqlnori write a comparison, as in WHERE kor <> 0 or IF(kor > 0, …)",
        )),
    }
}

pub(crate) fn duplicate_key(key: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("기본 키 값이 중복됩니다: {key}"),
        format!("duplicate entry {key} for key 'PRIMARY'"),
    ))
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
            "SQL 문(SELECT, INSERT …)이 와야 하는데 `sclect`이(가) 있습니다."
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
}
