//! The MySQL tokenizer the page uses (statement splitting, highlighting, completion): the
//! tokens sqlparser's `MySqlDialect` makes, without the parser.
//!
//! The tokenizer takes its dialect as `&dyn Dialect`, so using `MySqlDialect` itself would
//! bring its whole vtable into the page's wasm, the parser included (its `parse_statement` and
//! `parse_infix` hooks). This dialect answers the tokenizer's questions exactly as
//! `MySqlDialect` does and names itself as MySQL for the tokenizer's dialect checks (`#`
//! comments), and nothing more.

use sqlparser::dialect::{Dialect, MySqlDialect};
use sqlparser::tokenizer::{Token, TokenWithLocation, Tokenizer, TokenizerError};
use std::any::TypeId;

#[derive(Debug)]
struct MySqlTokens;

impl Dialect for MySqlTokens {
    fn dialect(&self) -> TypeId {
        TypeId::of::<MySqlDialect>()
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic()
            || ch == '_'
            || ch == '$'
            || ch == '@'
            || ('\u{0080}'..='\u{ffff}').contains(&ch)
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        self.is_identifier_start(ch) || ch.is_ascii_digit()
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }

    fn supports_string_literal_backslash_escape(&self) -> bool {
        true
    }

    fn supports_numeric_prefix(&self) -> bool {
        true
    }
}

/// Whether `sql` holds `word` in any letter case: a cheap test that lets work a rare form
/// needs (WITH ROLLUP, NATURAL JOIN, SHOW WARNINGS, a password to redact) skip every other
/// statement, a long INSERT above all, without tokenizing it.
pub fn mentions(sql: &str, word: &str) -> bool {
    let (text, word) = (sql.as_bytes(), word.as_bytes());
    let Some(first) = word.first() else {
        return true;
    };
    // Only where the first letter matches is the rest compared (a long INSERT's values
    // rarely hold it; comparing a window at every byte was 5% of running one).
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    text.iter().enumerate().any(|(i, &b)| {
        (b == lower || b == upper)
            && text
                .get(i..i + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// The tokens of `text`, as MySQL's dialect reads them.
pub fn tokenize(text: &str) -> Result<Vec<Token>, TokenizerError> {
    Tokenizer::new(&MySqlTokens, text).tokenize()
}

/// The tokens of `text` with their places (1-based line and column).
pub fn tokenize_with_location(text: &str) -> Result<Vec<TokenWithLocation>, TokenizerError> {
    Tokenizer::new(&MySqlTokens, text).tokenize_with_location()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_finds_a_word_in_any_case_anywhere() {
        assert!(mentions("select * from t natural join u", "NATURAL"));
        assert!(mentions("SELECT 1 WITH ROLLUP", "rollup"));
        assert!(mentions("학생 WiTh RoLlUp", "ROLLUP"));
        assert!(mentions("rollup", "ROLLUP"));
        assert!(!mentions("ROLLU", "ROLLUP"));
        assert!(!mentions(
            "INSERT INTO t VALUES (1, '김민준'), (2, 'rollu')",
            "ROLLUP"
        ));
        assert!(!mentions("", "ROLLUP"));
        assert!(mentions("anything", ""));
    }

    #[test]
    fn the_same_tokens_as_the_mysql_dialect() {
        let samples = [
            "SELECT `a b`, \"dq\", 'it''s', 'a\\'b', x'41', 1e3, 1abc, @v, $x FROM t # comment\n-- c\n/* c */ WHERE a >= 1 AND b <> 2;",
            "select 이름, 학생.kor from 학생 where name like '김%'",
            "SELECT 'open",
        ];
        for text in samples {
            let ours = tokenize(text).map_err(|e| e.to_string());
            let mysql = Tokenizer::new(&MySqlDialect {}, text)
                .tokenize()
                .map_err(|e| e.to_string());
            assert_eq!(ours, mysql, "{text}");
        }
    }
}
