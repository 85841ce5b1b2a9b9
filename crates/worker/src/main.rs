//! The engine worker: owns one [`Engine`] and answers the page's [`Request`]s.
//!
//! A GlueSQL panic aborts this wasm instance. The panic hook reports it to the page first
//! (`Response::Crashed`); the page then replaces the whole worker and restores the snapshot
//! taken after the last statement that changed something, so nothing is lost.

use sqlnori_engine::{dialect, example_engine, Clock, Engine, EngineOptions};
use sqlnori_model::protocol::{decode, encode, Request, Response};
use sqlnori_model::trace::{Trace, TRACE_PAGE_ROWS};
use sqlnori_model::Localized;
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// Whole traces of recent statements, for the page's requests of further rows.
    static TRACES: RefCell<VecDeque<((u64, usize), Trace)>> = const { RefCell::new(VecDeque::new()) };
}

/// How many statements' whole traces the worker keeps for paging, and how many rows in all
/// (older traces go first; the newest is always kept).
const KEPT_TRACES: usize = 64;
const KEPT_TRACE_ROWS: usize = 1_000_000;
/// Rows of a table the sidebar's preview shows.
const PREVIEW_ROWS: u64 = 10;

/// The browser's clocks, read only at this edge.
struct BrowserClock;

impl Clock for BrowserClock {
    fn now_epoch_ms(&self) -> i64 {
        #[allow(clippy::cast_possible_truncation)]
        let ms = js_sys::Date::now() as i64;
        ms
    }
    fn monotonic_ms(&self) -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &Response) {
    let _ = scope().post_message(&JsValue::from_str(&encode(msg)));
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        // The learner sees the panic's message, not a path inside the registry.
        let message = sqlnori_model::protocol::panic_message(info.payload())
            .unwrap_or_else(|| info.to_string());
        post(&Response::Crashed { message });
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        match decode::<Request>(&text) {
            Ok(req) => handle(req),
            Err(e) => post(&Response::Crashed {
                message: format!("unreadable request: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Booted);
}

fn handle(req: Request) {
    match req {
        Request::Init { snapshot, seed } => init(snapshot.as_deref(), seed),
        Request::Run {
            run_id,
            statements,
            force,
        } => run(run_id, &statements, force),
        Request::Dump => {
            let sql = ENGINE.with(|e| e.borrow().as_ref().map(Engine::dump_sql));
            post(&Response::Dump {
                sql: sql.unwrap_or_default(),
            });
        }
        Request::Preview { database, table } => {
            let result = ENGINE.with(|e| {
                let mut guard = e.borrow_mut();
                guard
                    .as_mut()
                    .map(|engine| engine.preview(&database, &table, PREVIEW_ROWS))
            });
            if let Some(result) = result {
                post(&Response::Preview {
                    database,
                    table,
                    result,
                });
            }
        }
        Request::TracePage {
            run_id,
            index,
            path,
            offset,
        } => {
            let table = TRACES.with(|t| {
                t.borrow()
                    .iter()
                    .find(|(key, _)| *key == (run_id, index))
                    .and_then(|(_, trace)| trace.page_at(&path, offset, TRACE_PAGE_ROWS))
            });
            post(&Response::TracePage {
                run_id,
                index,
                path,
                table,
            });
        }
    }
}

fn init(snapshot: Option<&str>, seed: u64) {
    let options = EngineOptions {
        seed,
        ..EngineOptions::default()
    };
    let (engine, restored, notice) = match snapshot.map(Engine::from_snapshot_json) {
        Some(Ok(engine)) => (Some(engine), true, None),
        Some(Err(e)) => (
            example_engine(&options, &BrowserClock).ok(),
            false,
            Some(Localized::new(
                format!("저장된 데이터베이스를 읽지 못해 예제로 시작합니다 ({e})"),
                format!("the saved database could not be read, starting from the examples ({e})"),
            )),
        ),
        None => (example_engine(&options, &BrowserClock).ok(), false, None),
    };
    let Some(engine) = engine else {
        post(&Response::Crashed {
            message: "the example database failed to load".to_owned(),
        });
        return;
    };
    let ready = Response::Ready {
        schema: engine.schema(),
        databases: engine.databases(),
        restored,
        notice,
    };
    ENGINE.with(|e| *e.borrow_mut() = Some(engine));
    post(&ready);
}

fn run(run_id: u64, statements: &[sqlnori_model::ScriptStatement], force: bool) {
    for (index, stmt) in statements.iter().enumerate() {
        let outcome = ENGINE.with(|cell| {
            let mut guard = cell.borrow_mut();
            let engine = guard.as_mut()?;
            // Every statement is traced: its answer is the trace's last stage, and the
            // step-by-step view needs no second run.
            let (result, trace) = engine.trace_statement(stmt, &BrowserClock);
            let changed = result.is_ok() && !dialect::is_read_only(&stmt.sql);
            let snapshot = changed.then(|| engine.snapshot_json());
            let schema = changed.then(|| engine.schema());
            Some((result, snapshot, schema, trace))
        });
        let Some((result, snapshot, schema, trace)) = outcome else {
            break;
        };
        let first_page = (!trace.steps.is_empty()).then(|| trace.first_page(TRACE_PAGE_ROWS));
        TRACES.with(|t| {
            let mut t = t.borrow_mut();
            t.push_back(((run_id, index), trace));
            let rows = |t: &VecDeque<((u64, usize), Trace)>| {
                t.iter().map(|(_, tr)| tr.row_count()).sum::<usize>()
            };
            while t.len() > 1 && (t.len() > KEPT_TRACES || rows(&t) > KEPT_TRACE_ROWS) {
                t.pop_front();
            }
        });
        let failed = !result.is_ok();
        post(&Response::Statement {
            run_id,
            index,
            result,
            snapshot,
            schema,
            trace: first_page,
        });
        if failed && !force {
            break;
        }
    }
    post(&Response::Done { run_id });
}
