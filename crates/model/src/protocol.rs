//! The messages between the page and the engine worker, as versioned plain data.
//!
//! Messages travel as JSON text. A message of another version is refused, never guessed at.

use crate::error::Localized;
use crate::result::{StatementError, StatementResult};
use crate::schema::TableInfo;
use crate::split::ScriptStatement;
use crate::trace::{StageTable, Trace};
use serde::{Deserialize, Serialize};

/// The protocol version both sides must speak.
pub const PROTOCOL_VERSION: u32 = 2;

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Start from a snapshot (JSON from `Engine::snapshot_json`), or from the examples.
    Init { snapshot: Option<String>, seed: u64 },
    /// Run these statements in order; stop at the first failure unless `force`.
    Run {
        run_id: u64,
        statements: Vec<ScriptStatement>,
        force: bool,
    },
    /// Rows `[offset, offset + TRACE_PAGE_ROWS)` of one stage of a statement's trace
    /// (`path` as in `Trace::table_at`).
    TracePage {
        run_id: u64,
        index: usize,
        path: Vec<usize>,
        offset: usize,
    },
    /// The whole database as a `.sql` dump (export).
    Dump,
    /// The first rows of a table, for the schema sidebar (changes nothing).
    Preview { database: String, table: String },
}

/// Worker → page. (Messages are encoded as soon as they are built, so the size of the
/// largest variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker's code is loaded and listening; the page sends `Init` next.
    Booted,
    /// The engine is up; `restored` says whether the snapshot was used.
    Ready {
        schema: Vec<TableInfo>,
        databases: Vec<String>,
        restored: bool,
        notice: Option<Localized>,
    },
    /// One statement finished. `snapshot` is the database after it, sent only when the
    /// statement may have changed something, so a crash later can restore exactly this.
    Statement {
        run_id: u64,
        index: usize,
        result: StatementResult,
        snapshot: Option<String>,
        schema: Option<Vec<TableInfo>>,
        /// The statement's steps, each stage cut to its first page.
        trace: Option<Trace>,
    },
    /// A page of a trace's stage (`None` when the worker no longer has that trace).
    TracePage {
        run_id: u64,
        index: usize,
        path: Vec<usize>,
        table: Option<StageTable>,
    },
    /// The `.sql` dump asked for.
    Dump { sql: String },
    /// A table's first rows.
    Preview {
        database: String,
        table: String,
        result: StatementResult,
    },
    /// The run ended (all statements, or the first failure).
    Done { run_id: u64 },
    /// The engine panicked; the worker is about to die.
    Crashed { message: String },
}

/// A message with its version, as it travels.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope<T> {
    v: u32,
    msg: T,
}

pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(&Envelope {
        v: PROTOCOL_VERSION,
        msg,
    })
    .unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, crate::error::FormatError> {
    let env: Envelope<serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| crate::error::FormatError::Corrupt(e.to_string()))?;
    if env.v != PROTOCOL_VERSION {
        return Err(crate::error::FormatError::UnknownVersion(env.v));
    }
    serde_json::from_value(env.msg).map_err(|e| crate::error::FormatError::Corrupt(e.to_string()))
}

/// The result shown for a statement during which the engine crashed (a GlueSQL panic) or
/// was stopped; the database is as it was before the statement.
pub fn crashed_result(stmt: &ScriptStatement, detail: &str) -> StatementResult {
    failed_result(
        stmt,
        "crashed",
        Localized::new(
            format!("엔진이 이 문장에서 멈췄습니다 (GlueSQL 내부 오류{}). 데이터베이스는 이 문장 직전 상태로 되돌렸습니다.", detail_suffix(detail)),
            format!("the engine crashed on this statement (GlueSQL internal error{}); the database was restored to its state before it", detail_suffix(detail)),
        ),
    )
}

/// The result shown for a statement the learner stopped.
pub fn stopped_result(stmt: &ScriptStatement) -> StatementResult {
    failed_result(
        stmt,
        "stopped",
        Localized::new(
            "실행을 중단했습니다. 데이터베이스는 이 문장 직전 상태입니다.",
            "stopped; the database is as it was before this statement",
        ),
    )
}

/// The message a panic carried (`panic!("…")` gives `&str` or `String`), for crash reports.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

fn failed_result(stmt: &ScriptStatement, code: &str, message: Localized) -> StatementResult {
    StatementResult {
        sql: stmt.sql.clone(),
        span: stmt.span,
        outcome: Err(StatementError {
            code: code.to_owned(),
            message,
            line: stmt.span.line,
            column: stmt.span.column,
            hint: None,
        }),
        notes: vec![],
        elapsed_ms: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_version_check() {
        let r = Request::Init {
            snapshot: None,
            seed: 7,
        };
        let text = encode(&r);
        assert_eq!(decode::<Request>(&text).ok(), Some(r));
        let other = text.replace(&format!("\"v\":{PROTOCOL_VERSION}"), "\"v\":99");
        assert!(matches!(
            decode::<Request>(&other),
            Err(crate::error::FormatError::UnknownVersion(99))
        ));
        assert!(decode::<Request>("garbage").is_err());
    }
}
