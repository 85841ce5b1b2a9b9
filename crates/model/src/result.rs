//! The result model: what one statement produced, as plain serde data.
//!
//! These types cross every boundary (worker messages, CLI JSON lines, stored history), so
//! they hold no engine types: values are [`Cell`]s, errors are [`StatementError`]s.

use crate::diagnostics::{MysqlCode, Warning};
use crate::error::Localized;
use crate::split::SourceSpan;
use serde::{Deserialize, Serialize};

/// One value of a result table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    /// Wider integers and unsigned values that do not fit `i64`, kept exact as text.
    BigInt(String),
    /// A double; NaN and the infinities travel as text so JSON keeps them.
    Float(#[serde(with = "crate::snapshot::float_serde")] f64),
    /// An exact decimal, kept as its text so no digit is lost.
    Decimal(String),
    Text(String),
    /// Dates, times, timestamps, intervals, bytes and other values shown as text.
    Other(String),
}

impl Cell {
    /// The text a learner sees in a result table (MySQL's client renders values this way).
    pub fn display(&self) -> String {
        match self {
            Cell::Null => "NULL".to_owned(),
            Cell::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format_float(*f),
            Cell::BigInt(s) | Cell::Decimal(s) | Cell::Text(s) | Cell::Other(s) => s.clone(),
        }
    }

    /// True for values a table right-aligns.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Int(_) | Cell::BigInt(_) | Cell::Float(_) | Cell::Decimal(_)
        )
    }

    /// The value as plain JSON: numbers, strings, booleans and null.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Cell::Null => J::Null,
            Cell::Bool(b) => J::Bool(*b),
            Cell::Int(i) => J::from(*i),
            Cell::Float(f) => float_json(*f),
            Cell::BigInt(s) | Cell::Decimal(s) => s
                .parse::<serde_json::Number>()
                .map(J::Number)
                .unwrap_or_else(|_| J::String(s.clone())),
            Cell::Text(s) | Cell::Other(s) => J::String(s.clone()),
        }
    }
}

/// Integral floats print without a fraction (`3`, not `3.0`), as MySQL's client does.
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

fn float_json(f: f64) -> serde_json::Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
        // An integral double is written as an integer so `FLOOR(...)` reads as MySQL shows it.
        #[allow(clippy::cast_possible_truncation)]
        serde_json::Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A column of a result: its label and the engine type it came from (when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// A SQL type name such as `INT` or `TEXT`; empty when the engine did not say.
    pub data_type: String,
}

/// What a successful statement produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Output {
    /// A statement that returns rows.
    Rows {
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
    },
    /// A statement that changed data or schema; `affected` counts rows (0 for DDL).
    Affected { verb: String, affected: u64 },
}

/// Why a statement failed, with the place in the learner's script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementError {
    /// A stable machine name of the failure (`parse`, `unsupported`, `engine`, `crashed`, …).
    pub code: String,
    pub message: Localized,
    /// 1-based line and column in the script.
    pub line: u32,
    pub column: u32,
    /// A nearer supported form, when there is one.
    pub hint: Option<Localized>,
    /// MySQL's number and SQLSTATE for the error, when MySQL has one (`ERROR 1146 (42S02)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<MysqlCode>,
}

impl StatementError {
    /// `line:column: message` in English, for logs, the CLI and JSON.
    pub fn to_english(&self) -> String {
        let mut s = format!("{}:{}: {}", self.line, self.column, self.message.en);
        if let Some(h) = &self.hint {
            s.push_str(" (hint: ");
            s.push_str(&h.en);
            s.push(')');
        }
        s
    }
}

/// Everything about one statement of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    pub sql: String,
    pub span: SourceSpan,
    pub outcome: Result<Output, StatementError>,
    /// Notes the dialect layer adds (e.g. a statement accepted but only simulated).
    pub notes: Vec<Localized>,
    /// MySQL's warnings (truncated text read as a number, division by zero …), at most
    /// [`KEPT_WARNINGS`](crate::diagnostics::KEPT_WARNINGS) of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    pub elapsed_ms: f64,
}

impl StatementResult {
    pub fn is_ok(&self) -> bool {
        self.outcome.is_ok()
    }

    /// The CLI / `window.sqlnori.run` object for this statement. A failure carries MySQL's
    /// `errno` and `sqlstate` when MySQL has them; any statement carries its `warnings`
    /// (`[{"level", "code", "message"}]`) when it has some.
    pub fn to_json_line(&self) -> serde_json::Value {
        use serde_json::json;
        let mut line = match &self.outcome {
            Ok(Output::Rows { columns, rows }) => json!({
                "sql": self.sql,
                "ok": true,
                "columns": columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                "rows": rows
                    .iter()
                    .map(|r| r.iter().map(Cell::to_json).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
            }),
            Ok(Output::Affected { affected, .. }) => json!({
                "sql": self.sql,
                "ok": true,
                "affected": affected,
            }),
            Err(e) => {
                let mut line = json!({
                    "sql": self.sql,
                    "ok": false,
                    "error": e.to_english(),
                    "line": e.line,
                    "column": e.column,
                });
                if let Some(code) = &e.mysql {
                    line["errno"] = json!(code.errno);
                    line["sqlstate"] = json!(code.sqlstate);
                }
                line
            }
        };
        if !self.warnings.is_empty() {
            line["warnings"] = self.warnings.iter().map(Warning::to_json).collect();
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_float_survives_json() {
        for f in [1.5, f64::INFINITY, f64::NEG_INFINITY, -0.0] {
            let text = serde_json::to_string(&Cell::Float(f)).expect("encodes");
            assert_eq!(
                serde_json::from_str::<Cell>(&text).ok(),
                Some(Cell::Float(f))
            );
        }
        let nan = serde_json::to_string(&Cell::Float(f64::NAN)).expect("encodes");
        assert!(matches!(serde_json::from_str::<Cell>(&nan), Ok(Cell::Float(f)) if f.is_nan()));
    }

    #[test]
    fn floats_print_like_mysql() {
        assert_eq!(Cell::Float(3.0).display(), "3");
        assert_eq!(Cell::Float(84.3333).display(), "84.3333");
        assert_eq!(Cell::Float(3.0).to_json(), serde_json::json!(3));
    }

    #[test]
    fn null_and_text_null_differ() {
        assert_ne!(Cell::Null, Cell::Text("NULL".into()));
        assert_eq!(Cell::Null.to_json(), serde_json::Value::Null);
        assert_eq!(
            Cell::Text("NULL".into()).to_json(),
            serde_json::json!("NULL")
        );
    }
}

/// What a run did, when it did not simply run everything: how many statements ran, which one
/// failed (or was stopped) and on which line, and which were skipped after it.
pub fn run_report(
    statements: &[crate::ScriptStatement],
    results: &[StatementResult],
) -> Option<Localized> {
    let total = statements.len();
    let failed_at = results.iter().position(|r| !r.is_ok());
    let skipped: Vec<u32> = statements
        .iter()
        .skip(results.len())
        .map(|s| s.span.line)
        .collect();
    let failures = results.iter().filter(|r| !r.is_ok()).count();
    let ok = results.len() - failures;
    let at = failed_at?;
    let first = &results[at];
    let line = first.span.line;
    let stopped = matches!(&first.outcome, Err(e) if e.code == "stopped");
    let lines = |v: &[u32]| {
        let shown: Vec<String> = v.iter().take(8).map(u32::to_string).collect();
        let more = if v.len() > 8 { ", …" } else { "" };
        format!("{}{more}", shown.join(", "))
    };
    let (skipped_ko, skipped_en) = if skipped.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(
                " 나머지 {}개({}행)는 실행하지 않았습니다.",
                skipped.len(),
                lines(&skipped)
            ),
            format!(
                " The other {} ({} {}) did not run.",
                skipped.len(),
                if skipped.len() == 1 { "line" } else { "lines" },
                lines(&skipped)
            ),
        )
    };
    Some(if stopped {
        Localized::new(
            format!("중지함: {total}개 문장 중 {ok}개를 실행한 뒤 {line}행의 문장을 멈췄습니다.{skipped_ko}"),
            format!("Stopped: {ok} of {total} statements ran, then the one on line {line} was stopped.{skipped_en}"),
        )
    } else if failures > 1 {
        Localized::new(
            format!("{total}개 문장 중 {ok}개 성공, {failures}개 오류 (처음 오류: {line}행).{skipped_ko}"),
            format!("{ok} of {total} statements ran, {failures} failed (the first on line {line}).{skipped_en}"),
        )
    } else {
        Localized::new(
            format!(
                "{total}개 문장 중 {ok}개 실행, {line}행의 문장에서 오류가 났습니다.{skipped_ko}"
            ),
            format!("{ok} of {total} statements ran; the one on line {line} failed.{skipped_en}"),
        )
    })
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::split_script;

    fn ok(stmt: &crate::ScriptStatement) -> StatementResult {
        StatementResult {
            sql: stmt.sql.clone(),
            span: stmt.span,
            outcome: Ok(Output::Affected {
                verb: "SELECT".into(),
                affected: 0,
            }),
            notes: vec![],
            warnings: vec![],
            elapsed_ms: 0.0,
        }
    }

    fn failed(stmt: &crate::ScriptStatement, code: &str) -> StatementResult {
        StatementResult {
            outcome: Err(StatementError {
                code: code.into(),
                message: Localized::new("x", "x"),
                line: stmt.span.line,
                column: stmt.span.column,
                hint: None,
                mysql: None,
            }),
            ..ok(stmt)
        }
    }

    #[test]
    fn a_run_says_what_ran_failed_and_was_skipped() {
        let s = split_script("select 1;\nselect nope;\nselect 2;\nselect 3;");
        assert_eq!(run_report(&s, &[ok(&s[0]), ok(&s[1])]), None);
        let r = run_report(&s, &[ok(&s[0]), failed(&s[1], "engine")]).expect("a report");
        assert_eq!(
            r.en,
            "1 of 4 statements ran; the one on line 2 failed. The other 2 (lines 3, 4) did not run."
        );
        assert!(r.ko.contains("2행") && r.ko.contains("나머지 2개(3, 4행)"));
        let r = run_report(&s, &[ok(&s[0]), failed(&s[1], "stopped")]).expect("a report");
        assert!(r
            .en
            .starts_with("Stopped: 1 of 4 statements ran, then the one on line 2 was stopped."));
        // With --force every statement runs: several failures, none skipped.
        let all = [failed(&s[0], "e"), ok(&s[1]), failed(&s[2], "e"), ok(&s[3])];
        assert_eq!(
            run_report(&s, &all).expect("a report").en,
            "2 of 4 statements ran, 2 failed (the first on line 1)."
        );
    }
}
