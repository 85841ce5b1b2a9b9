//! The page's logic, outside any `view!`: the state the view reads (plain data in signals)
//! and the worker's messages. The rest is by concern: the worker's lifecycle (`worker`), runs
//! and requests (`runs`), the stepper (`stepping`), persistence and sharing (`persist`).

mod lessons;
mod persist;
mod runs;
mod stepping;
mod worker;

pub use lessons::{LessonLink, LessonList, LessonsState, Outcome};

use crate::host::{HostEvent, WorkerHost};
use crate::i18n::Lang;
use crate::session::{Boot, SessionStore};
use futures::channel::oneshot;
use leptos::prelude::*;
use sqlnori_model::protocol::{crashed_result, stopped_result, Replayed, Request, Response};
use sqlnori_model::session::{History, HistoryEntry, SessionMeta, Slot};
use sqlnori_model::share::{self, SharedScript, COURSE_DATASET};
use sqlnori_model::snapshot::Saved;
use sqlnori_model::stepper::{Edited, Position, Stepper};
use sqlnori_model::timeline::Timeline;
use sqlnori_model::trace::{StageTable, Trace};
use sqlnori_model::{split_script, Localized, ScriptStatement, StatementResult, TableInfo};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineStatus {
    Booting,
    Ready,
    Running,
    /// A crashed or stopped worker is being replaced.
    Recovering,
    /// The worker cannot start at all.
    Broken,
}

/// One result panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub key: u64,
    pub result: StatementResult,
    /// Which run and statement it came from, to ask the worker for its steps.
    pub run_id: u64,
    pub index: usize,
    /// It has steps to show (computed when asked for).
    pub explainable: bool,
    /// Its steps open at once (a statement the stepper just ran).
    pub open_steps: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub warning: bool,
    pub text: Localized,
    /// The editor's text before something replaced it: the notice offers "되돌리기 / Undo".
    pub undo: Option<String>,
}

/// The reactive state the view reads. Plain data inside signals.
#[derive(Clone, Copy)]
pub struct AppState {
    pub status: RwSignal<EngineStatus>,
    pub panels: RwSignal<Vec<Panel>>,
    pub schema: RwSignal<Vec<TableInfo>>,
    pub notice: RwSignal<Option<Notice>>,
    pub lang: RwSignal<Lang>,
    pub editor: RwSignal<String>,
    pub stepper: RwSignal<Option<Position>>,
    pub history: RwSignal<History>,
    /// A shared link's scratch workspace is open (nothing is saved until it is kept).
    pub scratch: RwSignal<bool>,
    /// Another tab changed this session; saving waits for the learner.
    pub conflict: RwSignal<bool>,
    /// The last share link made (or why none could be).
    pub share: RwSignal<Option<Result<String, Localized>>>,
    /// "system", "light" or "dark".
    pub theme: RwSignal<String>,
    pub session_open: RwSignal<bool>,
    /// Set when work is no longer saved (storage full or unavailable): stays on screen.
    pub unsaved: RwSignal<Option<Localized>>,
    /// The part of the editor being run by Shift+Enter or a selection (byte range).
    pub running_span: RwSignal<Option<(usize, usize)>>,
    pub history_open: RwSignal<bool>,
    /// The schema sidebar's previews: "db.table" → its first rows.
    pub previews: RwSignal<std::collections::BTreeMap<String, StatementResult>>,
    /// Steps are being computed (Stop can end it).
    pub explaining: RwSignal<bool>,
    /// A run waits for the engine to start.
    pub queued: RwSignal<bool>,
    pub lessons: LessonsState,
    /// What the last run did when it did not run everything: ran, failed or stopped, skipped.
    pub run_report: RwSignal<Option<Localized>>,
    /// The acting account and the accounts to switch to (the toolbar's switcher).
    pub accounts: RwSignal<sqlnori_model::accounts::AccountStatus>,
}

/// How a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Plain,
    /// One step of the stepper: its panel opens its steps.
    Step,
    /// The rest of the stepper's script.
    StepToEnd,
}

/// The run in progress.
struct CurrentRun {
    id: u64,
    statements: Vec<ScriptStatement>,
    results: Vec<StatementResult>,
    reply: Option<oneshot::Sender<Vec<StatementResult>>>,
    kind: RunKind,
}

/// A run asked for before the engine was ready.
struct QueuedRun {
    statements: Vec<ScriptStatement>,
    reply: oneshot::Sender<Vec<StatementResult>>,
    kind: RunKind,
}

type PageKey = (u64, usize, Vec<usize>);
/// A statement's steps, or why they cannot be shown.
pub type Explanation = Result<Trace, Localized>;

struct Inner {
    host: WorkerHost,
    store: SessionStore,
    meta: SessionMeta,
    dump_waiters: Vec<oneshot::Sender<String>>,
    stats_waiters: Vec<oneshot::Sender<u64>>,
    /// The saved database, the statements since, the random sequence.
    timeline: Timeline,
    run: Option<CurrentRun>,
    queued: Option<QueuedRun>,
    /// Requests for when the engine is ready (sent to a worker still starting they would
    /// arrive before its database).
    deferred: Vec<Request>,
    next_run_id: u64,
    next_panel_key: u64,
    ready_waiters: Vec<oneshot::Sender<()>>,
    /// Workers that died before becoming ready, in a row; bounds restart loops.
    failed_starts: u32,
    stepper: Option<Stepper>,
    /// The next Ready comes from a restore the learner asked for (Back, Reset): no notice.
    quiet_restart: bool,
    page_waiters: Vec<(PageKey, oneshot::Sender<Option<StageTable>>)>,
    explain_waiters: Vec<((u64, usize), oneshot::Sender<Explanation>)>,
    /// The idle save's timer.
    save_timer: Option<TimeoutHandle>,
    /// Whether the page has said it was idle once (`api::IDLE_EVENT`).
    announced_idle: bool,
    lesson_waiters: Vec<(u64, oneshot::Sender<sqlnori_model::protocol::LessonReply>)>,
    next_lesson_request: u64,
}

/// The controller: cheap to clone, shared by the view and `window.sqlnori`.
#[derive(Clone)]
pub struct Controller {
    pub state: AppState,
    inner: Rc<RefCell<Inner>>,
}

impl Controller {
    pub fn new(store: SessionStore, boot: Boot) -> Self {
        let Boot {
            meta,
            editor,
            timeline,
            history,
            stepper,
            notices,
            shared,
            progress,
            lesson_link,
        } = boot;
        let lang = if meta.lang == "en" {
            Lang::En
        } else {
            Lang::Ko
        };
        let scratch = shared.is_some();
        // A shared link starts from the examples with the link's seed, whatever is saved.
        let (editor, timeline, seed) = match &shared {
            Some(s) => (s.script.clone(), Timeline::default(), s.seed),
            None => (editor.unwrap_or_default(), timeline, meta.seed),
        };
        let mut meta = meta;
        meta.seed = seed;
        let notice = notices.into_iter().reduce(Localized::and);
        let state = AppState {
            status: RwSignal::new(EngineStatus::Booting),
            panels: RwSignal::new(vec![]),
            schema: RwSignal::new(vec![]),
            accounts: RwSignal::new(Default::default()),
            notice: RwSignal::new(notice.map(|text| Notice {
                warning: true,
                text,
                undo: None,
            })),
            lang: RwSignal::new(lang),
            editor: RwSignal::new(editor),
            stepper: RwSignal::new(None),
            history: RwSignal::new(history),
            scratch: RwSignal::new(scratch),
            conflict: RwSignal::new(false),
            share: RwSignal::new(None),
            theme: RwSignal::new(meta.theme.clone()),
            session_open: RwSignal::new(false),
            unsaved: RwSignal::new(None),
            running_span: RwSignal::new(None),
            history_open: RwSignal::new(false),
            previews: RwSignal::new(std::collections::BTreeMap::new()),
            explaining: RwSignal::new(false),
            queued: RwSignal::new(false),
            lessons: LessonsState::new(progress),
            run_report: RwSignal::new(None),
        };
        let stepper = stepper.filter(|_| !scratch).map(Stepper::from_stored);
        let this = Self {
            state,
            inner: Rc::new(RefCell::new(Inner {
                host: WorkerHost::new(),
                store,
                meta,
                dump_waiters: vec![],
                stats_waiters: vec![],
                timeline,
                run: None,
                queued: None,
                deferred: vec![],
                next_run_id: 1,
                next_panel_key: 1,
                ready_waiters: vec![],
                failed_starts: 0,
                stepper,
                quiet_restart: false,
                page_waiters: vec![],
                explain_waiters: vec![],
                save_timer: None,
                announced_idle: false,
                lesson_waiters: vec![],
                next_lesson_request: 0,
            })),
        };
        this.publish_stepper();
        if let Some(link) = lesson_link {
            this.open_lesson_link(link);
        }
        // The seed the examples are built from must be saved before anything else: a later
        // database snapshot and every share link refer to it.
        let meta = this.inner.borrow().meta.clone();
        this.save(Slot::Meta, &meta);
        if !this.inner.borrow().store.persistent {
            this.state.unsaved.set(Some(Localized::new(
                "이 작업은 저장되지 않습니다: 새로 고치면 사라집니다",
                "this work is not being saved: a reload will lose it",
            )));
        }
        this
    }

    fn on_message(&self, msg: Response) {
        match msg {
            // (`Init` went with the worker's start.)
            Response::Booted => {}
            Response::Ready {
                schema,
                notice,
                restored,
                failed,
                accounts,
                ..
            } => {
                self.state.accounts.set(accounts);
                self.on_ready(schema, notice, restored, &failed)
            }
            Response::Statement {
                run_id,
                index,
                result,
                wrote,
                explainable,
                now_ms,
                rng,
                schema,
                accounts,
            } => {
                if let Some(a) = accounts {
                    self.state.accounts.set(a);
                }
                self.on_statement(Ran {
                    run_id,
                    index,
                    result,
                    wrote,
                    explainable,
                    now_ms,
                    rng,
                    schema,
                })
            }
            Response::Explained {
                run_id,
                index,
                trace,
                missing,
            } => self.on_explained((run_id, index), trace, missing),
            Response::Preview {
                database,
                table,
                result,
            } => {
                self.state.previews.update(|p| {
                    p.insert(format!("{database}.{table}"), result);
                });
            }
            Response::Stats { memory_bytes } => {
                let waiters = std::mem::take(&mut self.inner.borrow_mut().stats_waiters);
                for w in waiters {
                    let _ = w.send(memory_bytes);
                }
            }
            Response::Dump { sql } => {
                let waiters = std::mem::take(&mut self.inner.borrow_mut().dump_waiters);
                for w in waiters {
                    let _ = w.send(sql.clone());
                }
            }
            Response::TracePage {
                run_id,
                index,
                path,
                table,
            } => self.on_trace_page((run_id, index, path), table),
            Response::Saved { saved } => self.on_saved(saved),
            Response::Done { run_id } => self.on_done(run_id),
            Response::Lesson { id, reply } => self.on_lesson_reply(id, reply),
            Response::Crashed { message } => self.recover(Recovery::Crashed(message)),
        }
    }
}

/// One statement's answer, as the worker sent it.
struct Ran {
    run_id: u64,
    index: usize,
    result: StatementResult,
    wrote: bool,
    explainable: bool,
    now_ms: i64,
    rng: u64,
    schema: Option<Vec<TableInfo>>,
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

enum Recovery {
    Crashed(String),
    Stopped,
}

fn short(detail: &str) -> &str {
    detail.lines().next().unwrap_or("")
}
