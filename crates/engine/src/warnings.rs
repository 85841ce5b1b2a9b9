//! The warnings a statement leaves, as MySQL's diagnostics area keeps them: gathered while it
//! runs, from the dialect layer's rewrites (text read as a number) and from GlueSQL's
//! evaluation (division by zero, counted by the patched core), then handed to its result and
//! kept for `SHOW WARNINGS`.
//!
//! Why a thread-local: the rewrites and GlueSQL's evaluation are deep, pure-looking functions
//! that cannot return a second value; MySQL keeps its diagnostics area beside the statement
//! the same way. Only [`Engine::run_classified`](crate::Engine::run_classified) starts and
//! ends a statement's gathering, so a trace (which rewrites again) never leaks into a result.

use sqlnori_model::diagnostics::{Warning, KEPT_WARNINGS};
use std::cell::RefCell;

thread_local! {
    static PENDING: RefCell<Vec<Warning>> = const { RefCell::new(Vec::new()) };
}

/// Starts a statement: nothing gathered yet.
pub(crate) fn begin() {
    PENDING.with(|p| p.borrow_mut().clear());
    gluesql_core::executor::take_warnings();
}

/// A warning found by the layer (a rewrite, a built-in). The same warning about the same
/// text is kept once: a statement may be rewritten more than once (a view, an inlined
/// subquery), and MySQL reads a constant once.
pub(crate) fn warn(w: Warning) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < KEPT_WARNINGS && !p.contains(&w) {
            p.push(w);
        }
    });
}

/// Ends a statement: its warnings, the layer's first, then GlueSQL's (one per row, as MySQL
/// gives them), at most [`KEPT_WARNINGS`].
pub(crate) fn finish() -> Vec<Warning> {
    let mut out = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    let (raised, _beyond) = gluesql_core::executor::take_warnings();
    let room = KEPT_WARNINGS.saturating_sub(out.len());
    out.extend(
        raised
            .into_iter()
            .take(room)
            .map(|(code, en)| Warning::from_engine(code, en)),
    );
    out
}

/// Which diagnostics statement: `SHOW WARNINGS [LIMIT [o,] n]`, `SHOW ERRORS …`,
/// `SHOW COUNT(*) WARNINGS|ERRORS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shown {
    errors_only: bool,
    count: bool,
    offset: usize,
    limit: usize,
}

/// Reads a diagnostics statement (sqlparser 0.52 does not know them), `None` for other SQL.
pub(crate) fn show_statement(sql: &str) -> Option<Shown> {
    use sqlparser::tokenizer::Token;
    // Every statement passes here: one without the words is not tokenized at all (a long
    // INSERT spent a sixth of its time in this tokenizing).
    let has = |word| crate::dialect::mentions(sql, word);
    if !has("show") || !(has("warnings") || has("errors")) {
        return None;
    }
    // The page's MySQL tokenizer: comments of every kind dropped, `COUNT ( * )` and
    // `LIMIT 1 , 2` read with any spacing.
    let words: Vec<String> = sqlnori_model::lexer::tokenize(sql)
        .ok()?
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::SemiColon | Token::EOF))
        .map(|t| t.to_string().to_uppercase())
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let (count, rest) = match words.as_slice() {
        ["SHOW", "COUNT", "(", "*", ")", rest @ ..] => (true, rest),
        ["SHOW", rest @ ..] => (false, rest),
        _ => return None,
    };
    let (errors_only, rest) = match rest {
        ["WARNINGS", rest @ ..] => (false, rest),
        ["ERRORS", rest @ ..] => (true, rest),
        _ => return None,
    };
    let number = |w: &str| w.parse::<usize>().ok();
    let (offset, limit) = match (count, rest) {
        (_, []) => (0, usize::MAX),
        (false, ["LIMIT", n]) => (0, number(n)?),
        (false, ["LIMIT", o, ",", n]) => (number(o)?, number(n)?),
        _ => return None,
    };
    Some(Shown {
        errors_only,
        count,
        offset,
        limit,
    })
}

/// Whether a statement uses a table: a query that reads one, or any other statement but
/// those about sessions and databases (MySQL resets its diagnostics for such a statement
/// even when it leaves none).
pub(crate) fn uses_table(stmt: &sqlparser::ast::Statement) -> bool {
    use sqlparser::ast::Statement;
    match stmt {
        Statement::Query(_) => {
            crate::walk::relations(stmt, |_| std::ops::ControlFlow::Break(())).is_break()
        }
        Statement::SetVariable { .. }
        | Statement::Use(_)
        | Statement::CreateDatabase { .. }
        | Statement::CreateSchema { .. }
        | Statement::StartTransaction { .. }
        | Statement::Commit { .. }
        | Statement::Rollback { .. }
        | Statement::Savepoint { .. }
        | Statement::ReleaseSavepoint { .. }
        | Statement::UnlockTables
        | Statement::Drop {
            object_type: sqlparser::ast::ObjectType::Database | sqlparser::ast::ObjectType::Schema,
            ..
        } => false,
        _ => true,
    }
}

/// The rows of a diagnostics statement over the kept diagnostics.
pub(crate) fn show(diagnostics: &[Warning], shown: Shown) -> sqlnori_model::Output {
    use sqlnori_model::diagnostics::Level;
    use sqlnori_model::{Cell, Column, Output};
    let kept = diagnostics
        .iter()
        .filter(|w| !shown.errors_only || w.level == Level::Error);
    if shown.count {
        let name = if shown.errors_only {
            "@@session.error_count"
        } else {
            "@@session.warning_count"
        };
        return Output::Rows {
            columns: vec![Column {
                name: name.to_owned(),
                data_type: "BIGINT".to_owned(),
            }],
            rows: vec![vec![Cell::Int(
                i64::try_from(kept.count()).unwrap_or(i64::MAX),
            )]],
        };
    }
    let column = |name: &str, data_type: &str| Column {
        name: name.to_owned(),
        data_type: data_type.to_owned(),
    };
    Output::Rows {
        columns: vec![
            column("Level", "VARCHAR(7)"),
            column("Code", "INT"),
            column("Message", "VARCHAR(512)"),
        ],
        rows: kept
            .skip(shown.offset)
            .take(shown.limit)
            .map(|w| {
                vec![
                    Cell::Text(w.level.as_str().to_owned()),
                    Cell::Int(i64::from(w.code)),
                    Cell::Text(w.message.en.clone()),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnostics_statements_are_read_in_any_spacing() {
        let all = Shown {
            errors_only: false,
            count: false,
            offset: 0,
            limit: usize::MAX,
        };
        assert_eq!(show_statement("show warnings;"), Some(all));
        assert_eq!(
            show_statement("SHOW WARNINGS LIMIT 1, 2"),
            Some(Shown {
                offset: 1,
                limit: 2,
                ..all
            })
        );
        assert_eq!(
            show_statement("SHOW COUNT( * ) ERRORS"),
            Some(Shown {
                errors_only: true,
                count: true,
                ..all
            })
        );
        assert_eq!(
            show_statement("/* last */ SHOW -- the list\n WARNINGS # all\n;"),
            Some(all)
        );
        assert_eq!(show_statement("SHOW TABLES"), None);
        assert_eq!(show_statement("SHOW WARNINGS LIMIT x"), None);
        assert_eq!(show_statement("SHOW COUNT(*) WARNINGS LIMIT 1"), None);
    }
}
