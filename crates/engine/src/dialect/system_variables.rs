//! MySQL's system variables as a learner reads them: `SELECT @@version`,
//! `@@session.sql_mode`, `SHOW VARIABLES LIKE 'character_set%'`. They are the settings sqlnori
//! runs with, which are MySQL 8's defaults and fixed (a `SET` of one is refused in `lib.rs`,
//! saying why), so each value here is what the engine does, not a decoration: only settings
//! the playground actually follows are listed.

use super::build::{num, str_lit};
use crate::error::SqlError;
use sqlnori_model::Localized;
use sqlparser::ast::Expr;

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// A switch: 1 or 0 to `SELECT @@x`, ON or OFF in `SHOW VARIABLES`.
    Flag(bool),
    Number(i64),
    Text(String),
}

impl Setting {
    /// As `SHOW VARIABLES` shows it.
    pub fn shown(&self) -> String {
        match self {
            Setting::Flag(true) => "ON".to_owned(),
            Setting::Flag(false) => "OFF".to_owned(),
            Setting::Number(n) => n.to_string(),
            Setting::Text(t) => t.clone(),
        }
    }

    /// As `@@x` reads in an expression.
    fn as_expr(&self) -> Expr {
        match self {
            Setting::Flag(b) => num(i64::from(*b)),
            Setting::Number(n) => num(*n),
            Setting::Text(t) => str_lit(t),
        }
    }
}

/// MySQL 8's default `sql_mode`, which sqlnori follows (ONLY_FULL_GROUP_BY's 1055,
/// STRICT_TRANS_TABLES' refusals, division by zero's 1365 in a write).
pub const SQL_MODE: &str = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

/// Every variable, by name, for a session `utc_offset_minutes` east of UTC.
pub fn all(utc_offset_minutes: i32) -> Vec<(&'static str, Setting)> {
    let text = |t: &str| Setting::Text(t.to_owned());
    let sign = if utc_offset_minutes < 0 { '-' } else { '+' };
    let offset = utc_offset_minutes.unsigned_abs();
    vec![
        ("auto_increment_increment", Setting::Number(1)),
        ("auto_increment_offset", Setting::Number(1)),
        ("autocommit", Setting::Flag(true)),
        ("character_set_client", text("utf8mb4")),
        ("character_set_connection", text("utf8mb4")),
        ("character_set_database", text("utf8mb4")),
        ("character_set_results", text("utf8mb4")),
        ("character_set_server", text("utf8mb4")),
        ("collation_connection", text("utf8mb4_0900_ai_ci")),
        ("collation_database", text("utf8mb4_0900_ai_ci")),
        ("collation_server", text("utf8mb4_0900_ai_ci")),
        ("default_storage_engine", text("InnoDB")),
        (
            "div_precision_increment",
            Setting::Number(super::DIV_SCALE as i64),
        ),
        ("foreign_key_checks", Setting::Flag(true)),
        ("sql_mode", text(SQL_MODE)),
        ("sql_safe_updates", Setting::Flag(false)),
        (
            "time_zone",
            Setting::Text(format!("{sign}{:02}:{:02}", offset / 60, offset % 60)),
        ),
        ("transaction_isolation", text("REPEATABLE-READ")),
        ("version", text(super::rewrite::VERSION)),
        (
            "version_comment",
            text("sqlnori: GlueSQL in the browser, MySQL 8 dialect"),
        ),
    ]
}

/// The system variable an identifier names (`@@version`, `@@session.sql_mode`,
/// `@@GLOBAL.autocommit`), lower case, when it names one.
pub fn named(e: &Expr) -> Option<String> {
    let parts: Vec<&str> = match e {
        Expr::Identifier(i) => vec![i.value.as_str()],
        Expr::CompoundIdentifier(ids) => ids.iter().map(|i| i.value.as_str()).collect(),
        _ => return None,
    };
    let (first, rest) = parts.split_first()?;
    let first = first.strip_prefix("@@")?;
    let name = match rest {
        [] => first,
        [name] if ["session", "global", "local"].contains(&first.to_lowercase().as_str()) => name,
        _ => return None,
    };
    (!name.is_empty()).then(|| name.to_lowercase())
}

/// `@@name`'s value; MySQL's 1193 for a variable sqlnori does not have.
pub fn value(name: &str, utc_offset_minutes: i32) -> Result<Expr, SqlError> {
    all(utc_offset_minutes)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_expr())
        .ok_or_else(|| {
            SqlError::Invalid(Localized::new(
                format!(
                    "시스템 변수 '{name}'은(는) sqlnori에 없습니다 (MySQL 오류 1193): SHOW VARIABLES로 있는 것을 보세요"
                ),
                format!(
                    "Unknown system variable '{name}' (MySQL error 1193): SHOW VARIABLES lists the ones sqlnori has"
                ),
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::Ident;

    #[test]
    fn names_are_read_with_or_without_a_scope() {
        let id = |s: &str| Expr::Identifier(Ident::new(s));
        let compound =
            |a: &str, b: &str| Expr::CompoundIdentifier(vec![Ident::new(a), Ident::new(b)]);
        assert_eq!(named(&id("@@VERSION")).as_deref(), Some("version"));
        assert_eq!(
            named(&compound("@@session", "sql_mode")).as_deref(),
            Some("sql_mode")
        );
        assert_eq!(
            named(&compound("@@GLOBAL", "autocommit")).as_deref(),
            Some("autocommit")
        );
        assert_eq!(named(&id("@x")), None);
        assert_eq!(named(&compound("@@other", "x")), None);
    }

    #[test]
    fn the_time_zone_is_the_sessions_offset() {
        let zone = |m| {
            all(m)
                .into_iter()
                .find(|(n, _)| *n == "time_zone")
                .map(|(_, v)| v.shown())
        };
        assert_eq!(zone(540).as_deref(), Some("+09:00"));
        assert_eq!(zone(-150).as_deref(), Some("-02:30"));
    }
}
