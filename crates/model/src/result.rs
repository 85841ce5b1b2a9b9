//! The result model: what one statement produced, as plain serde data.
//!
//! These types cross every boundary (worker messages, CLI JSON lines, stored history), so
//! they hold no engine types: values are [`Cell`]s, errors are [`StatementError`]s.

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
    pub elapsed_ms: f64,
}

impl StatementResult {
    pub fn is_ok(&self) -> bool {
        self.outcome.is_ok()
    }

    /// The CLI / `window.sqlnori.run` object for this statement.
    pub fn to_json_line(&self) -> serde_json::Value {
        use serde_json::json;
        match &self.outcome {
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
            Err(e) => json!({
                "sql": self.sql,
                "ok": false,
                "error": e.to_english(),
                "line": e.line,
                "column": e.column,
            }),
        }
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
