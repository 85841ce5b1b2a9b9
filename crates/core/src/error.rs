//! Errors of the core, typed per module and gathered here, with bilingual messages.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A message in both of the page's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Localized {
    pub ko: String,
    pub en: String,
}

impl Localized {
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ko: ko.into(),
            en: en.into(),
        }
    }

    /// Two messages shown as one, each language joined with " / ".
    pub fn and(self, next: Localized) -> Localized {
        Localized::new(
            format!("{} / {}", self.ko, next.ko),
            format!("{} / {}", self.en, next.en),
        )
    }
}

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
        }
    }

    /// The learner-facing message in Korean and English.
    pub fn localized(&self) -> Localized {
        match self {
            SqlError::Parse { message, .. } => Localized::new(
                format!("문법 오류: {message}"),
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
                    format!("{ko}을(를) 찾을 수 없습니다: {name}"),
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
        }
    }

    /// The name an error is about, to point at it in the learner's SQL.
    pub fn subject(&self) -> Option<&str> {
        match self {
            SqlError::NotFound { name, .. } => name.rsplit('.').next(),
            SqlError::Unsupported { feature, .. } => feature.strip_prefix("function "),
            _ => None,
        }
    }

    pub fn hint(&self) -> Option<Localized> {
        match self {
            SqlError::Unsupported { hint, .. } => hint.clone(),
            _ => None,
        }
    }
}

/// Errors of the stored/shared formats (snapshots, worker messages).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    #[error("unknown format version {0}")]
    UnknownVersion(u32),
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

#[cfg(test)]
mod tests {
    use super::Localized;

    #[test]
    fn two_notices_read_as_one_in_each_language() {
        let joined = Localized::new("가", "a").and(Localized::new("나", "b"));
        assert_eq!(joined, Localized::new("가 / 나", "a / b"));
    }
}
