//! Account and privilege statements (`CREATE USER`, `GRANT`, …): recognised and accepted with
//! a note; sqlnori has one user who holds every privilege.

use sqlnori_model::Localized;

/// Statements about accounts and privileges, recognised by their first words. sqlparser
/// cannot tokenise MySQL's `'user'@'host'`, and sqlnori has one user, so these are accepted
/// with a note and never parsed.
pub fn account_statement(sql: &str) -> Option<&'static str> {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(2)
        .map(|w| {
            w.trim_end_matches(';')
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .collect();
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["CREATE", "USER"] => Some("CREATE USER"),
        ["DROP", "USER"] => Some("DROP USER"),
        ["ALTER", "USER"] => Some("ALTER USER"),
        ["RENAME", "USER"] => Some("RENAME USER"),
        ["CREATE", "ROLE"] => Some("CREATE ROLE"),
        ["DROP", "ROLE"] => Some("DROP ROLE"),
        ["GRANT", ..] => Some("GRANT"),
        ["REVOKE", ..] => Some("REVOKE"),
        ["SET", "PASSWORD"] => Some("SET PASSWORD"),
        ["FLUSH", "PRIVILEGES"] => Some("FLUSH PRIVILEGES"),
        _ => None,
    }
}

pub fn account_note() -> Localized {
    Localized::new(
        "계정·권한 문장은 받아들였지만 실제 권한은 아직 흉내 내지 않습니다: sqlnori에는 모든 권한을 가진 사용자 한 명만 있습니다",
        "account and privilege statements are accepted but not simulated yet: sqlnori has one user, who holds every privilege",
    )
}
