//! `sqlnori` with no file: an interactive shell on the course's preloaded database, as the mysql
//! and sqlite3 clients have it — line editing and history, statements over several lines ended
//! by `;` (or `\G` for one row per block), tables drawn with Hangul's width respected, `help`,
//! and Ctrl+C that cancels the statement being typed, not the shell.

use crate::{run_guarded, start_engine};
use rustyline::error::ReadlineError;
use sqlnori_model::accounts::AccountName;
use sqlnori_model::render::{self, TextOptions};
use sqlnori_model::{Cell, Output, StatementResult};
use std::process::ExitCode;

const PROMPT: &str = "sqlnori> ";
const MORE: &str = "      -> ";

const SHELL_HELP: &str =
    "sqlnori shell — type SQL; a statement ends with ; (or \\G to show each row as a block).
  help, .help      this text
  .tables          the tables of the current database
  quit, exit, .quit (or Ctrl+D)   leave
  Ctrl+C           forget the statement being typed
The database is the course's (student_db2: students, employees); nothing is saved.";

/// How a typed statement ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Table,
    Vertical,
}

/// The statement in `buffer` once it is complete: the SQL and how to show it.
fn complete(buffer: &str) -> Option<(String, Ending)> {
    let trimmed = buffer.trim_end();
    if let Some(sql) = trimmed.strip_suffix("\\G") {
        return Some((sql.to_owned(), Ending::Vertical));
    }
    if !trimmed.ends_with(';') || still_open(trimmed) {
        return None;
    }
    // A `;` inside an open string or comment does not end the statement: the splitter,
    // which knows quoting, must find the buffer ending right after a statement.
    let statements = sqlnori_model::split_script(trimmed);
    let last = statements.last()?;
    let rest = trimmed.get(last.span.end..).unwrap_or("");
    rest.trim()
        .trim_start_matches(';')
        .trim()
        .is_empty()
        .then(|| (trimmed.to_owned(), Ending::Table))
}

/// True when `text` ends inside a quoted string, a quoted name or a block comment (a `;`
/// there does not end the statement).
fn still_open(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut block = false;
    while let Some(c) = chars.next() {
        if block {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block = false;
            }
            continue;
        }
        match (quote, c) {
            (Some(q), '\\') if q != '`' => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '-') if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            (None, '#') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            (None, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                block = true;
            }
            _ => {}
        }
    }
    quote.is_some() || block
}

/// One row per block, as `mysql` prints with `\G`.
pub fn vertical(r: &StatementResult) -> String {
    let Ok(Output::Rows { columns, rows }) = &r.outcome else {
        return render::result(r, TextOptions::default());
    };
    let width = columns
        .iter()
        .map(|c| render::display_width(&c.name))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        out.push_str(&format!("{:*^59}\n", format!(" {}. row ", i + 1)));
        for (c, cell) in columns.iter().zip(row) {
            let pad = width.saturating_sub(render::display_width(&c.name));
            let value = match cell {
                Cell::Null => "NULL".to_owned(),
                other => other.display(),
            };
            out.push_str(&format!("{}{}: {value}\n", " ".repeat(pad), c.name));
        }
    }
    out.push_str(&format!("{} row(s) in set\n", rows.len()));
    out
}

/// Runs the shell until `quit` or end of input.
pub fn shell(seed: Option<u64>, user: Option<&AccountName>) -> ExitCode {
    let (clock, mut engine) = match start_engine(seed, user) {
        Ok(started) => started,
        Err(code) => return code,
    };
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start the shell: {e}");
            return ExitCode::FAILURE;
        }
    };
    std::panic::set_hook(Box::new(|_| {}));
    println!(
        "sqlnori {} — SQL 놀이터 shell. help 도움말, quit 끝내기.",
        env!("CARGO_PKG_VERSION")
    );
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() { PROMPT } else { MORE };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                // Ctrl+C: the statement being typed is dropped; the shell stays.
                if !buffer.is_empty() {
                    println!("(취소함 / cancelled)");
                }
                buffer.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        if buffer.is_empty() {
            match line.trim() {
                "" => continue,
                "help" | ".help" | "\\h" | "?" => {
                    println!("{SHELL_HELP}");
                    continue;
                }
                "quit" | "exit" | ".quit" | ".exit" | "\\q" => break,
                ".tables" => {
                    for t in engine.schema() {
                        println!("{} ({} rows)", t.name, t.row_count);
                    }
                    continue;
                }
                _ => {}
            }
        }
        let _ = editor.add_history_entry(line.as_str());
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        let Some((sql, ending)) = complete(&buffer) else {
            continue;
        };
        buffer.clear();
        for stmt in sqlnori_model::split_script(&sql) {
            let result = run_guarded(&mut engine, &stmt, |e| e.run_statement(&stmt, &clock));
            match ending {
                Ending::Vertical => print!("{}", vertical(&result)),
                Ending::Table => println!("{}", render::result(&result, TextOptions::default())),
            }
            if !result.is_ok() {
                break;
            }
        }
    }
    let _ = std::panic::take_hook();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_end_at_a_semicolon_outside_quotes() {
        assert_eq!(complete("select 1"), None);
        assert_eq!(complete("select 1;").map(|c| c.1), Some(Ending::Table));
        assert_eq!(complete("select ';"), None, "inside a string");
        assert_eq!(complete("select ';\n';").map(|c| c.1), Some(Ending::Table));
        assert_eq!(
            complete("select * from students\\G").map(|c| c.0),
            Some("select * from students".to_owned())
        );
        assert_eq!(complete("select 1; -- done"), None);
    }
}
