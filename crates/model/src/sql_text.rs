//! SQL written as text for a person or for MySQL (the `.sql` export, a CSV turned into SQL
//! for the editor): names in backticks and strings in MySQL's quoting, in one place.
//!
//! The engine builds the SQL it runs itself as AST; text is only for what leaves sqlnori.

/// A name in backticks, a backtick inside doubled: `` `it``s` ``.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A string literal MySQL reads back exactly: quotes doubled and backslashes escaped (MySQL
/// reads `\` as an escape inside strings).
pub fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_strings_quote_what_must_be_quoted() {
        assert_eq!(ident("a`b c"), "`a``b c`");
        assert_eq!(ident("학생"), "`학생`");
        assert_eq!(string_literal(r"it's a\b"), r"'it''s a\\b'");
    }
}
