//! The MySQL teaching dialect: parse with sqlparser's MySQL dialect and rewrite the AST into
//! what GlueSQL runs with MySQL's results.
//!
//! Everything here works on sqlparser's AST (the version GlueSQL re-exports); nothing edits SQL
//! text. What needs the database (CTE materialisation, AUTO_INCREMENT, databases, transactions)
//! is orchestrated by [`crate::engine`], which calls into these rewrites.

pub(crate) mod build;
pub(crate) mod functions;
mod joins;
mod names;
pub(crate) mod natural;
mod quantified;
pub(crate) mod rewrite;
pub(crate) mod rollup;
mod select;
pub(crate) mod system_variables;
pub(crate) mod types;

pub use build::{func, num, str_lit};
pub use names::{split_storage_name, storage_name, NameResolver, TableRef};
pub(crate) use rewrite::is_binary_collation;
pub use rewrite::{rewrite_statement, RewriteEnv, BINARY_FUNCTION, DATE_ADD_FUNCTION};
pub use select::{ColumnCatalog, TableColumns, DIV_SCALE};
pub use types::{map_column_type, AUTO_INCREMENT};

use crate::error::SqlError;
use sqlparser::ast::Statement as SqlStatement;

/// The columns of a stored table named in a statement, when known (the engine answers it from
/// its storage; the rewrites only ask).
pub(crate) type ColumnsOfTable<'a> =
    dyn Fn(&sqlparser::ast::ObjectName) -> Option<Vec<String>> + 'a;

pub(crate) use sqlnori_model::lexer::mentions;
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::{Parser, ParserError};

/// How deep sqlparser may recurse; GlueSQL recurses again on the result, so keep it modest.
const PARSER_RECURSION_LIMIT: usize = 40;

/// Most operator tokens one statement may hold. Operators chain without parentheses
/// (`1 + 1 + …`), which the parser builds iteratively into a tree as deep as the chain; every
/// later walk of that tree (including dropping it) recurses, so the size is bounded first.
pub const MAX_OPERATORS: usize = 1_000;

/// Parses one statement's text with MySQL rules. Positions in errors are relative to `sql`.
pub fn parse_mysql(sql: &str) -> Result<Vec<SqlStatement>, SqlError> {
    use sqlparser::tokenizer::Tokenizer;
    // Tokenized once: the operator count and the parser read the same tokens (a 1,000-row
    // INSERT spends most of its time here).
    let tokens = Tokenizer::new(&MySqlDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| parse_error(sql, &ParserError::from(e)))?;
    check_operator_count(tokens.iter().map(|t| &t.token))?;
    let statements = Parser::new(&MySqlDialect {})
        .with_recursion_limit(PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(|e| parse_error(sql, &e))?;
    for stmt in &statements {
        rewrite::check_depth(stmt)?;
    }
    Ok(statements)
}

fn check_operator_count<'a>(
    tokens: impl Iterator<Item = &'a sqlparser::tokenizer::Token>,
) -> Result<(), SqlError> {
    use sqlparser::tokenizer::Token;
    let operators = tokens
        .filter(|t| match t {
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::StringConcat
            | Token::Ampersand
            | Token::Pipe
            | Token::Caret => true,
            Token::Word(w) => matches!(
                w.keyword,
                sqlparser::keywords::Keyword::AND
                    | sqlparser::keywords::Keyword::OR
                    | sqlparser::keywords::Keyword::XOR
                    | sqlparser::keywords::Keyword::DIV
                    | sqlparser::keywords::Keyword::MOD
                    | sqlparser::keywords::Keyword::LIKE
                    | sqlparser::keywords::Keyword::NOT
            ),
            _ => false,
        })
        .count();
    if operators > MAX_OPERATORS {
        return Err(SqlError::Limit(sqlnori_model::Localized::new(
            format!("문장 하나에 연산자가 {operators}개 있습니다. 한 문장에는 {MAX_OPERATORS}개까지 쓸 수 있습니다"),
            format!("the statement has {operators} operators; at most {MAX_OPERATORS} fit in one statement"),
        )));
    }
    Ok(())
}

pub(crate) fn parse_error(sql: &str, e: &ParserError) -> SqlError {
    let (message, line, column) = match e {
        ParserError::RecursionLimitExceeded => {
            return SqlError::Limit(sqlnori_model::Localized::new(
                "괄호나 서브쿼리가 너무 깊게(40단계 넘게) 겹쳐 있습니다",
                "the statement nests too deeply (more than 40 levels of parentheses or subqueries)",
            ))
        }
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => split_location(m),
    };
    let (line, column) = match (line, column) {
        (Some(l), Some(c)) => (l, c),
        // sqlparser reports "found: EOF" without a place: point at the end of the statement.
        _ => end_position(sql),
    };
    SqlError::Parse {
        message,
        line,
        column,
    }
}

/// sqlparser appends " at Line: L, Column: C" to its messages; take the place out of the text
/// so the message reads cleanly and the place can be moved into script coordinates.
fn split_location(message: &str) -> (String, Option<u64>, Option<u64>) {
    let Some(at) = message.rfind(" at Line: ") else {
        return (message.to_owned(), None, None);
    };
    let place = &message[at + " at Line: ".len()..];
    let mut parts = place.split(", Column: ");
    let line = parts.next().and_then(|l| l.trim().parse().ok());
    let column = parts.next().and_then(|c| {
        c.trim()
            .trim_end_matches(|ch: char| !ch.is_ascii_digit())
            .parse()
            .ok()
    });
    (message[..at].to_owned(), line, column)
}

fn end_position(sql: &str) -> (u64, u64) {
    let line = sql.lines().count().max(1);
    let last = sql.lines().last().unwrap_or("");
    (line as u64, last.chars().count() as u64 + 1)
}

/// True for a statement that cannot change the database or the session (a query, SHOW,
/// DESCRIBE). (Text sqlparser cannot parse counts as writing: if it ran, it was one of the
/// forms the layer reads itself, `INSERT … SET`, `RENAME TABLE`, and those write.)
pub fn reads_only(stmt: &SqlStatement) -> bool {
    if let SqlStatement::Query(q) = stmt {
        // `SELECT … INTO @v` sets a variable, which the session keeps.
        return into_variables(q).is_none();
    }
    matches!(
        stmt,
        SqlStatement::ShowDatabases { .. }
            | SqlStatement::ShowTables { .. }
            | SqlStatement::ShowColumns { .. }
            | SqlStatement::ExplainTable { .. }
    )
}

/// The user variables of `SELECT … INTO @v …` or `INTO @a, @b` (lower case, without `@`),
/// when the query has them: every name must be one `@variable`.
pub fn into_variables(q: &sqlparser::ast::Query) -> Option<Vec<String>> {
    let sqlparser::ast::SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    let into = sel.into.as_ref()?;
    std::iter::once(&into.name)
        .chain(&into.more_names)
        .map(|name| match name.0.as_slice() {
            [name] => name
                .value
                .strip_prefix('@')
                .filter(|n| !n.is_empty())
                .map(str::to_lowercase),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_carry_a_place() {
        let err = parse_mysql("select *\nfrom t where").unwrap_err();
        match err {
            SqlError::Parse { line, column, .. } => assert_eq!((line, column), (2, 13)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn mysql_syntax_parses() {
        let ok = [
            "select `name`, \"text\" from t # comment",
            "create table t (id int auto_increment primary key, n varchar(10))",
            "select 7 div 2",
        ];
        for sql in ok {
            assert!(parse_mysql(sql).is_ok(), "{sql}");
        }
    }
}
