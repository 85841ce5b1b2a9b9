//! The messages between the page and the engine worker, as versioned plain data.
//!
//! Messages travel as JSON text. A message of another version is refused, never guessed at.

use crate::accounts::AccountStatus;
use crate::error::Localized;
use crate::result::{StatementError, StatementResult};
use crate::schema::TableInfo;
use crate::snapshot::Saved;
use crate::split::ScriptStatement;
use crate::trace::{StageTable, Trace};
use serde::{Deserialize, Serialize};

/// The protocol version both sides must speak.
pub const PROTOCOL_VERSION: u32 = 4;

/// A statement that ran, as the page keeps it to bring a fresh worker back to the same
/// database: replayed with the clock it ran at, writes executed again, reads only recorded
/// (so their steps can still be shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replayed {
    pub statement: ScriptStatement,
    /// When it ran (the `NOW()` it saw), milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// Whether it may have changed the database.
    pub wrote: bool,
    /// The run and position it came from in this page (its panel), if it still has one.
    pub origin: Option<(u64, usize)>,
}

/// Page → worker. (Enums travel externally tagged, `{"run": {…}}`: an internally tagged one
/// would be buffered whole before it is read, and could not carry raw JSON parts.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Start from a snapshot (the model's snapshot JSON) or from the examples, replay the
    /// statements since, then set the random sequence where it was (`rng`). `stored`: the page
    /// holds the snapshot's tables as stored parts (a save sends only what changes).
    Init {
        snapshot: Option<String>,
        stored: bool,
        seed: u64,
        replay: Vec<Replayed>,
        rng: Option<u64>,
    },
    /// Run these statements in order; stop at the first failure unless `force`.
    Run {
        run_id: u64,
        statements: Vec<ScriptStatement>,
        force: bool,
    },
    /// The step-by-step view of one statement of a run, computed now from the database as
    /// it was before that statement.
    Explain { run_id: u64, index: usize },
    /// Rows `[offset, offset + TRACE_PAGE_ROWS)` of one stage of an explained statement
    /// (`path` as in `Trace::table_at`).
    TracePage {
        run_id: u64,
        index: usize,
        path: Vec<usize>,
        offset: usize,
    },
    /// The database's parts that changed since the last `Save` (for the page's storage).
    Save,
    /// The whole database as a `.sql` dump (export).
    Dump,
    /// The first rows of a table, for the schema sidebar (changes nothing).
    Preview { database: String, table: String },
    /// How much memory the engine holds (for the session panel and the benchmark).
    Stats,
    /// Check an answer to a lesson (`check`), or run it on the lesson's database: in engines
    /// of the lesson's own, never the session's. `source` is the lesson file.
    Lesson {
        id: u64,
        source: String,
        answer: String,
        check: bool,
    },
}

/// What the worker says about a lesson answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonReply {
    Checked(Box<crate::lesson::verdict::Verdict>),
    /// The answer's statements run on the lesson's database.
    Ran(Vec<StatementResult>),
    /// The lesson file cannot be used.
    Invalid(crate::lesson::LessonError),
}

/// Worker → page. (Messages are encoded as soon as they are built, so the size of the
/// largest variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The worker's code is loaded and listening (after it took the requests its loader kept,
    /// see [`WORKER_EARLY`]). The page has sent `Init` already; it needs nothing more.
    Booted,
    /// The engine is up; `restored` says whether the snapshot was used, `failed` lists the
    /// replayed writes that did not run again.
    Ready {
        schema: Vec<TableInfo>,
        databases: Vec<String>,
        restored: bool,
        notice: Option<Localized>,
        failed: Vec<usize>,
        /// Who is acting, and the accounts to switch to.
        #[serde(default)]
        accounts: AccountStatus,
    },
    /// One statement finished: its result, whether it may have changed the database, the
    /// clock it ran at, and where the random sequence stands after it. The result's `sql` is
    /// left empty: the page sent the statement and puts it back (a 1,000-row INSERT is 36 KB
    /// that would otherwise cross twice, as JSON both ways).
    Statement {
        run_id: u64,
        index: usize,
        result: StatementResult,
        wrote: bool,
        /// Whether it has steps to show (a query, or a change to one table).
        explainable: bool,
        now_ms: i64,
        rng: u64,
        schema: Option<Vec<TableInfo>>,
        /// After a statement that may have changed accounts or the acting one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        accounts: Option<AccountStatus>,
    },
    /// A statement's steps, each stage cut to its first page (`None`: the worker can no
    /// longer rebuild the database before it, and `missing` says why).
    Explained {
        run_id: u64,
        index: usize,
        trace: Option<Trace>,
        missing: Option<Localized>,
    },
    /// A page of a trace's stage (`None` when the worker no longer has that trace).
    TracePage {
        run_id: u64,
        index: usize,
        path: Vec<usize>,
        table: Option<StageTable>,
    },
    /// The database's changed parts (see [`crate::snapshot::Saved`]).
    Saved { saved: Saved },
    /// The `.sql` dump asked for.
    Dump { sql: String },
    /// A table's first rows.
    Preview {
        database: String,
        table: String,
        result: StatementResult,
    },
    /// The engine's memory: the worker's wasm linear memory, in bytes (it never shrinks, so
    /// this is also its peak).
    Stats { memory_bytes: u64 },
    /// The run ended (all statements, or the first failure).
    Done { run_id: u64 },
    /// The answer to a `Lesson` request.
    Lesson { id: u64, reply: LessonReply },
    /// The engine panicked; the worker is about to die.
    Crashed { message: String },
}

/// A message with its version, as it travels.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope<T> {
    v: u32,
    msg: T,
}

/// What the engine worker's loader posts first, before its wasm loads (written into the loader
/// by `scripts/finish-dist.mjs`). The boot script starts the page's own wasm only once it
/// arrives: started at the same moment, the page's wasm start held the worker's script
/// request back by about 250 ms. The page ignores it.
pub const WORKER_STARTED: &str = "sqlnori:started";

/// The worker global's array in which its loader keeps the page's messages until the wasm runs
/// (written by `scripts/finish-dist.mjs`). The page sends `Init` as soon as it starts a worker,
/// so the engine builds the database while the page is still mounting instead of waiting for
/// the page to hear `Booted`, which the page's mount held back by 100–200 ms.
pub const WORKER_EARLY: &str = "sqlnoriEarly";

pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(&Envelope {
        v: PROTOCOL_VERSION,
        msg,
    })
    .unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, crate::error::FormatError> {
    // The version is read first, the message then straight from its text (no JSON tree in
    // between: messages can hold thousands of rows).
    let corrupt = |e: serde_json::Error| crate::error::FormatError::Corrupt(e.to_string());
    let env: Envelope<&serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(corrupt)?;
    if env.v != PROTOCOL_VERSION {
        return Err(crate::error::FormatError::UnknownVersion(env.v));
    }
    serde_json::from_str(env.msg.get()).map_err(corrupt)
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
            mysql: None,
        }),
        notes: vec![],
        warnings: vec![],
        elapsed_ms: 0.0,
    }
}

/// The linear memory this wasm instance holds, in bytes (what `Response::Stats` and the
/// page's `window.sqlnori.stats()` report); 0 outside wasm.
pub fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    let pages = core::arch::wasm32::memory_size::<0>() as u64;
    #[cfg(not(target_arch = "wasm32"))]
    let pages = 0;
    pages * 65_536
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_version_check() {
        let r = Request::Init {
            snapshot: None,
            stored: false,
            seed: 7,
            replay: vec![],
            rng: None,
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

    #[test]
    fn a_save_carries_the_manifest_as_raw_json() {
        let snapshot = crate::snapshot::decode(include_str!("../tests/golden/snapshot-v2.json"))
            .expect("golden snapshot");
        let (manifest, changed) = snapshot.split();
        let saved = Response::Saved {
            saved: crate::snapshot::Saved { manifest, changed },
        };
        assert_eq!(decode::<Response>(&encode(&saved)).ok(), Some(saved));
    }
}
