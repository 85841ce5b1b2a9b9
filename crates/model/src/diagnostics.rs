//! MySQL's diagnostics as plain data: an error's number and SQLSTATE (what a learner looks
//! up), and the warnings a statement leaves behind (`SHOW WARNINGS`).
//!
//! The engine writes an error's MySQL number once, in its message ("… (MySQL error 1146)");
//! [`errno_in`] reads it back so that the number shown beside the message and the one inside
//! it can never disagree.

use crate::Localized;
use serde::{Deserialize, Serialize};

/// An error's identity in MySQL: `ERROR 1146 (42S02)` in the `mysql` client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MysqlCode {
    pub errno: u16,
    /// The five-character SQL standard class and subclass (`42S02`).
    pub sqlstate: String,
}

impl MysqlCode {
    /// The code of a MySQL error number, `None` when the number is not one sqlnori knows.
    pub fn of(errno: u16) -> Option<MysqlCode> {
        sqlstate(errno).map(|s| MysqlCode {
            errno,
            sqlstate: s.to_owned(),
        })
    }

    /// As the `mysql` client prints it: `ERROR 1146 (42S02)`.
    pub fn label(&self) -> String {
        format!("ERROR {} ({})", self.errno, self.sqlstate)
    }
}

/// The SQLSTATE of the MySQL errors and warnings sqlnori reports (MySQL 8's server error
/// reference). `HY000` is MySQL's "general error" class.
pub fn sqlstate(errno: u16) -> Option<&'static str> {
    Some(match errno {
        1044 | 1049 | 1055 | 1061 | 1064 | 1065 | 1066 | 1068 | 1072 | 1075 | 1091 | 1133
        | 1140 | 1141 | 1142 | 1143 | 1147 | 1172 | 1176 | 1227 | 1231 | 1248 | 1280 | 1305
        | 1582 => "42000",
        1046 => "3D000",
        1048 | 1052 | 1062 | 1451 | 1452 => "23000",
        1050 => "42S01",
        1051 | 1146 => "42S02",
        1054 => "42S22",
        1060 => "42S21",
        1136 => "21S01",
        1222 | 1241 | 1242 => "21000",
        1264 | 1690 => "22003",
        1265 => "01000",
        1292 => "22007",
        1329 => "02000",
        1365 => "22012",
        1406 => "22001",
        1007 | 1008 | 1093 | 1111 | 1193 | 1221 | 1347 | 1353 | 1364 | 1366 | 1372 | 1396
        | 1273 | 1294 | 1822 | 1830 | 3008 | 3065 | 3636 | 3730 | 3780 | 3819 | 3820 | 3822
        | 3940 | 3959 => "HY000",
        _ => return None,
    })
}

/// The MySQL error number a message names ("… (MySQL error 1146)", "(MySQL error 1142)").
pub fn errno_in(english: &str) -> Option<u16> {
    let at = english.rfind("MySQL error ")? + "MySQL error ".len();
    let digits: String = english[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// A message without its "(MySQL 오류 1146)" / "(MySQL error 1146)" aside, for a view that
/// shows the code beside it. Asides that say more (a denial's MySQL text) are kept.
pub fn without_errno(text: &str) -> String {
    for word in ["MySQL 오류 ", "MySQL error "] {
        if let Some(start) = text.rfind(&format!(" ({word}")) {
            let after = &text[start + 2 + word.len()..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits == 4 && after[digits..].starts_with(')') {
                let mut out = text[..start].to_owned();
                out.push_str(&after[digits + 1..]);
                return out;
            }
        }
    }
    text.to_owned()
}

/// How serious a diagnostic is, as `SHOW WARNINGS` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "Note",
            Level::Warning => "Warning",
            Level::Error => "Error",
        }
    }
}

/// One diagnostic a statement left: a row of `SHOW WARNINGS`. `message.en` is MySQL's own
/// text (what `SHOW WARNINGS` prints); `message.ko` says it for the learner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub level: Level,
    pub code: u16,
    pub message: Localized,
}

impl Warning {
    /// A warning (the usual level).
    pub fn new(code: u16, ko: impl Into<String>, en: impl Into<String>) -> Warning {
        Warning {
            level: Level::Warning,
            code,
            message: Localized::new(ko, en),
        }
    }

    /// MySQL 1292 for text read as a number: `'3abc'` gives 3 and this warning.
    pub fn truncated_number(kind: &str, text: &str) -> Warning {
        Warning::new(
            1292,
            format!(
                "{} 숫자({kind})로 읽으며 숫자가 아닌 뒷부분을 버렸습니다",
                crate::korean::eul(&format!("'{text}'"))
            ),
            format!("Truncated incorrect {kind} value: '{text}'"),
        )
    }

    /// MySQL 1365: `x / 0` and `x MOD 0` are NULL in a query.
    pub fn division_by_zero() -> Warning {
        Warning::new(
            1365,
            "0으로 나누어 결과가 NULL이 되었습니다",
            "Division by 0",
        )
    }

    /// A note (MySQL's lowest level): `DROP TABLE IF EXISTS` of a missing table, say.
    pub fn note(code: u16, ko: impl Into<String>, en: impl Into<String>) -> Warning {
        Warning {
            level: Level::Note,
            code,
            message: Localized::new(ko, en),
        }
    }

    /// MySQL 1411: a date function got text that is not a date in its format (NULL).
    pub fn bad_datetime(value: &str, function: &str) -> Warning {
        Warning::new(
            1411,
            format!(
                "{} 형식에 맞는 날짜·시각이 아니어서 {function}의 결과가 NULL입니다",
                crate::korean::eun(&format!("'{value}'"))
            ),
            format!("Incorrect datetime value: '{value}' for function {function}"),
        )
    }

    /// MySQL 1292: text that is not a date or a datetime where one is moved
    /// (`DATE_ADD('abc', INTERVAL 1 DAY)`: NULL).
    pub fn incorrect_datetime(value: &str) -> Warning {
        Warning::new(
            1292,
            format!(
                "{} 날짜·시각으로 읽을 수 없어 결과가 NULL입니다",
                crate::korean::eun(&format!("'{value}'"))
            ),
            format!("Incorrect datetime value: '{value}'"),
        )
    }

    /// MySQL 1583: a function's argument it cannot use (`SHA2(x, 7)`: NULL).
    pub fn bad_arguments(function: &str) -> Warning {
        Warning::new(
            1583,
            format!("{function}에 쓸 수 없는 인자를 주어 결과가 NULL입니다"),
            format!("Incorrect parameters in the call to native function '{function}'"),
        )
    }

    /// A warning GlueSQL's evaluation raised, as MySQL's code and English text, said in Korean
    /// too for the codes it raises.
    pub fn from_engine(code: u16, en: String) -> Warning {
        if code == 1365 {
            return Warning::division_by_zero();
        }
        let quoted = en
            .split_once(" value: '")
            .map(|(_, rest)| rest.trim_end_matches('\''))
            .unwrap_or_default();
        match code {
            1292 => Warning::new(
                code,
                format!(
                    "{} 숫자로 읽으며 숫자가 아닌 뒷부분을 버렸습니다",
                    crate::korean::eul(&format!("'{quoted}'"))
                ),
                en,
            ),
            1411 => {
                let function = en.rsplit(" for function ").next().unwrap_or_default();
                let value = quoted.split("' for function").next().unwrap_or_default();
                Warning::bad_datetime(value, function)
            }
            // A DECIMAL(M,D) column rounded a value to its D decimals: MySQL's note.
            1265 => {
                let (column, row) = en
                    .split_once("column '")
                    .and_then(|(_, rest)| rest.split_once("' at row "))
                    .unwrap_or_default();
                Warning::note(
                    code,
                    format!(
                        "{row}번째 행의 값을 열 `{column}`의 소수 자릿수에 맞게 반올림했습니다"
                    ),
                    en,
                )
            }
            1583 => {
                let function = en.rsplit("native function '").next().unwrap_or_default();
                Warning::bad_arguments(function.trim_end_matches('\''))
            }
            _ => Warning::new(code, en.clone(), en),
        }
    }

    /// The CLI / `window.sqlnori` object: `{"level", "code", "message"}` (MySQL's text).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "level": self.level.as_str(),
            "code": self.code,
            "message": self.message.en,
        })
    }
}

/// The most warnings a statement keeps (MySQL's `max_error_count` is 1024; a page shows far
/// fewer). The count beyond it is still reported.
pub const KEPT_WARNINGS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_in_a_message_and_its_sqlstate() {
        assert_eq!(
            errno_in("Table 'school.x' doesn't exist (MySQL error 1146)."),
            Some(1146)
        );
        assert_eq!(errno_in("no number here"), None);
        assert_eq!(errno_in("(MySQL error 12)"), None);
        assert_eq!(
            MysqlCode::of(1146).map(|c| c.label()).as_deref(),
            Some("ERROR 1146 (42S02)")
        );
        assert_eq!(
            MysqlCode::of(1062).map(|c| c.sqlstate).as_deref(),
            Some("23000")
        );
        assert_eq!(MysqlCode::of(9999), None);
    }

    #[test]
    fn the_aside_goes_only_when_it_is_just_the_number() {
        assert_eq!(
            without_errno("표 `x`를 찾을 수 없습니다 (MySQL 오류 1146)."),
            "표 `x`를 찾을 수 없습니다."
        );
        assert_eq!(
            without_errno("Division by 0 (MySQL error 1365)."),
            "Division by 0."
        );
        let denial = "권한이 없습니다 (MySQL 오류 1142: SELECT command denied)";
        assert_eq!(without_errno(denial), denial);
    }
}
