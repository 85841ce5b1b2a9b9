//! The page's logic, outside any `view!`: runs scripts through the worker host, keeps the
//! snapshot that crash recovery restores, steps through a script statement by statement
//! (with Back restoring the database as it was), fetches pages of traces, and exposes the
//! state as signals.

use crate::host::{HostEvent, WorkerHost};
use crate::i18n::Lang;
use futures::channel::oneshot;
use leptos::prelude::*;
use sqlnori_core::protocol::{crashed_result, stopped_result, Request, Response};
use sqlnori_core::trace::{StageTable, Trace};
use sqlnori_core::{split_script, Localized, ScriptStatement, StatementResult, TableInfo};
use std::cell::RefCell;
use std::rc::Rc;

/// The seed of the example data and of `RAND()` for this page load.
pub const DEFAULT_SEED: u64 = 20_250_301;

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
    /// Which run and statement it came from, to ask the worker for more trace rows.
    pub run_id: u64,
    pub index: usize,
    /// The statement's steps (first page of each stage), when it has any.
    pub trace: Option<Trace>,
}

/// Where the script stepper stands, for the view.
#[derive(Debug, Clone, PartialEq)]
pub struct StepperView {
    /// Statements run so far.
    pub done: usize,
    pub total: usize,
    /// The statement run last (highlighted in the editor).
    pub current: Option<ScriptStatement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub warning: bool,
    pub text: Localized,
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
    pub stepper: RwSignal<Option<StepperView>>,
}

/// The run in progress.
struct CurrentRun {
    id: u64,
    statements: Vec<ScriptStatement>,
    results: Vec<StatementResult>,
    reply: Option<oneshot::Sender<Vec<StatementResult>>>,
    /// A run of the stepper (its panels are added to the ones before).
    stepping: bool,
}

/// The script stepper: the script as it was when stepping began, how far it got, and the
/// database snapshot before each statement run (what Back restores).
struct Stepper {
    source: String,
    statements: Vec<ScriptStatement>,
    before: Vec<Option<String>>,
}

type PageKey = (u64, usize, Vec<usize>);

struct Inner {
    host: WorkerHost,
    snapshot: Option<String>,
    run: Option<CurrentRun>,
    next_run_id: u64,
    next_panel_key: u64,
    ready_waiters: Vec<oneshot::Sender<()>>,
    /// Workers that died before becoming ready, in a row; bounds restart loops.
    failed_starts: u32,
    stepper: Option<Stepper>,
    /// The next Ready comes from a restore the learner asked for (Back, Reset): no notice.
    quiet_restart: bool,
    page_waiters: Vec<(PageKey, oneshot::Sender<Option<StageTable>>)>,
}

/// The controller: cheap to clone, shared by the view and `window.sqlnori`.
#[derive(Clone)]
pub struct Controller {
    pub state: AppState,
    inner: Rc<RefCell<Inner>>,
}

impl Controller {
    pub fn new(initial_sql: String, lang: Lang) -> Self {
        let state = AppState {
            status: RwSignal::new(EngineStatus::Booting),
            panels: RwSignal::new(vec![]),
            schema: RwSignal::new(vec![]),
            notice: RwSignal::new(None),
            lang: RwSignal::new(lang),
            editor: RwSignal::new(initial_sql),
            stepper: RwSignal::new(None),
        };
        Self {
            state,
            inner: Rc::new(RefCell::new(Inner {
                host: WorkerHost::new(),
                snapshot: None,
                run: None,
                next_run_id: 1,
                next_panel_key: 1,
                ready_waiters: vec![],
                failed_starts: 0,
                stepper: None,
                quiet_restart: false,
                page_waiters: vec![],
            })),
        }
    }

    /// Starts (or replaces) the worker; it restores the last snapshot once it has booted.
    pub fn start_worker(&self) {
        let this = self.clone();
        let handler = move |generation: u64, event: HostEvent| this.on_event(generation, event);
        let spawned = self.inner.borrow_mut().host.spawn(handler);
        if let Err(reason) = spawned {
            self.state.status.set(EngineStatus::Broken);
            self.state.notice.set(Some(Notice {
                warning: true,
                text: Localized::new(
                    format!("이 브라우저에서 SQL 엔진(Web Worker)을 시작할 수 없습니다: {reason}"),
                    format!("this browser cannot start the SQL engine (a Web Worker): {reason}"),
                ),
            }));
        }
    }

    fn on_event(&self, generation: u64, event: HostEvent) {
        if generation != self.inner.borrow().host.generation() {
            return; // the last words of a worker already replaced
        }
        match event {
            HostEvent::Message(msg) => self.on_message(*msg),
            HostEvent::Died(reason) => self.recover(Recovery::Crashed(reason)),
        }
    }

    fn on_message(&self, msg: Response) {
        match msg {
            Response::Booted => {
                let inner = self.inner.borrow();
                inner.host.send(&Request::Init {
                    snapshot: inner.snapshot.clone(),
                    seed: DEFAULT_SEED,
                });
            }
            Response::Ready { schema, notice, .. } => {
                let was = self.state.status.get_untracked();
                self.state.schema.set(schema);
                self.state.status.set(EngineStatus::Ready);
                let quiet = std::mem::take(&mut self.inner.borrow_mut().quiet_restart);
                if let Some(text) = notice {
                    self.state.notice.set(Some(Notice {
                        warning: true,
                        text,
                    }));
                } else if was == EngineStatus::Recovering && !quiet {
                    self.state.notice.set(Some(Notice {
                        warning: true,
                        text: Localized::new(
                            "엔진을 새로 시작하고 데이터베이스를 그 문장 직전 상태로 되살렸습니다. 편집기의 내용은 그대로입니다.",
                            "the engine was restarted and the database restored to its state before that statement; your editor text is untouched",
                        ),
                    }));
                }
                let waiters = {
                    let mut inner = self.inner.borrow_mut();
                    inner.failed_starts = 0;
                    std::mem::take(&mut inner.ready_waiters)
                };
                for w in waiters {
                    let _ = w.send(());
                }
            }
            Response::Statement {
                run_id,
                index,
                result,
                snapshot,
                schema,
                trace,
            } => {
                {
                    let mut inner = self.inner.borrow_mut();
                    let Some(run) = inner.run.as_mut().filter(|r| r.id == run_id) else {
                        return;
                    };
                    run.results.push(result.clone());
                    let stepping = run.stepping;
                    let before = inner.snapshot.clone();
                    if stepping {
                        if let Some(st) = inner.stepper.as_mut() {
                            st.before.push(before);
                        }
                    }
                    if let Some(s) = snapshot {
                        inner.snapshot = Some(s);
                    }
                }
                if let Some(schema) = schema {
                    self.state.schema.set(schema);
                }
                self.push_panel(result, run_id, index, trace);
                self.publish_stepper();
            }
            Response::TracePage {
                run_id,
                index,
                path,
                table,
            } => {
                let key = (run_id, index, path);
                let waiters = {
                    let mut inner = self.inner.borrow_mut();
                    let (matching, rest): (Vec<_>, Vec<_>) =
                        std::mem::take(&mut inner.page_waiters)
                            .into_iter()
                            .partition(|(k, _)| *k == key);
                    inner.page_waiters = rest;
                    matching
                };
                for (_, w) in waiters {
                    let _ = w.send(table.clone());
                }
            }
            Response::Done { run_id } => {
                let run = {
                    let mut inner = self.inner.borrow_mut();
                    match inner.run.as_ref() {
                        Some(r) if r.id == run_id => inner.run.take(),
                        _ => None,
                    }
                };
                if let Some(run) = run {
                    self.state.status.set(EngineStatus::Ready);
                    if let Some(reply) = run.reply {
                        let _ = reply.send(run.results);
                    }
                }
            }
            Response::Crashed { message } => self.recover(Recovery::Crashed(message)),
        }
    }

    fn push_panel(&self, result: StatementResult, run_id: u64, index: usize, trace: Option<Trace>) {
        let key = {
            let mut inner = self.inner.borrow_mut();
            inner.next_panel_key += 1;
            inner.next_panel_key
        };
        self.state.panels.update(|p| {
            p.push(Panel {
                key,
                result,
                run_id,
                index,
                trace,
            })
        });
    }

    /// Copies the stepper's position into its signal.
    fn publish_stepper(&self) {
        let view = self.inner.borrow().stepper.as_ref().map(|st| {
            let done = st.before.len();
            StepperView {
                done,
                total: st.statements.len(),
                current: done
                    .checked_sub(1)
                    .and_then(|i| st.statements.get(i).cloned()),
            }
        });
        self.state.stepper.set(view);
    }

    /// Replaces a crashed or stopped worker. The statement it was running gets a failed
    /// result; the database comes back from the snapshot taken after the last change.
    fn recover(&self, why: Recovery) {
        let run = self.inner.borrow_mut().run.take();
        if let Some(mut run) = run {
            if let Some(stmt) = run.statements.get(run.results.len()) {
                let result = match &why {
                    Recovery::Crashed(detail) => crashed_result(stmt, short(detail)),
                    Recovery::Stopped => stopped_result(stmt),
                };
                run.results.push(result.clone());
                if run.stepping {
                    let before = self.inner.borrow().snapshot.clone();
                    if let Some(st) = self.inner.borrow_mut().stepper.as_mut() {
                        st.before.push(before);
                    }
                }
                self.push_panel(result, run.id, run.results.len() - 1, None);
                self.publish_stepper();
            }
            if let Some(reply) = run.reply {
                let _ = reply.send(run.results);
            }
        }
        let give_up = {
            let mut inner = self.inner.borrow_mut();
            if self.state.status.get_untracked() != EngineStatus::Running {
                inner.failed_starts += 1;
            }
            inner.failed_starts > 3
        };
        if give_up {
            self.inner.borrow_mut().host.terminate();
            self.state.status.set(EngineStatus::Broken);
            self.state.notice.set(Some(Notice {
                warning: true,
                text: Localized::new(
                    "SQL 엔진을 시작할 수 없습니다. 페이지를 새로 고쳐 주세요.",
                    "the SQL engine cannot start; please reload the page",
                ),
            }));
            return;
        }
        self.state.status.set(EngineStatus::Recovering);
        self.start_worker();
    }

    /// Runs a script; resolves with every statement's result once the run ends.
    pub fn run(&self, sql: &str) -> oneshot::Receiver<Vec<StatementResult>> {
        self.inner.borrow_mut().stepper = None;
        self.state.stepper.set(None);
        self.state.panels.set(vec![]);
        self.send_run(split_script(sql), false)
    }

    fn send_run(
        &self,
        statements: Vec<ScriptStatement>,
        stepping: bool,
    ) -> oneshot::Receiver<Vec<StatementResult>> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.inner.borrow_mut();
        if inner.run.is_some() || self.state.status.get_untracked() != EngineStatus::Ready {
            drop(tx); // the caller sees a cancelled run
            return rx;
        }
        let id = inner.next_run_id;
        inner.next_run_id += 1;
        inner.host.send(&Request::Run {
            run_id: id,
            statements: statements.clone(),
            force: false,
        });
        inner.run = Some(CurrentRun {
            id,
            statements,
            results: vec![],
            reply: Some(tx),
            stepping,
        });
        drop(inner);
        self.state.notice.set(None);
        self.state.status.set(EngineStatus::Running);
        rx
    }

    /// The stepper for the editor's script, started afresh when the script changed.
    fn ensure_stepper(&self) {
        let source = self.state.editor.get_untracked();
        let fresh = self
            .inner
            .borrow()
            .stepper
            .as_ref()
            .is_none_or(|st| st.source != source);
        if fresh {
            self.inner.borrow_mut().stepper = Some(Stepper {
                statements: split_script(&source),
                source,
                before: vec![],
            });
            self.state.panels.set(vec![]);
            self.publish_stepper();
        }
    }

    /// Runs the next statement of the editor's script (the Step button).
    pub fn step(&self) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        self.ensure_stepper();
        let next = self
            .inner
            .borrow()
            .stepper
            .as_ref()
            .and_then(|st| st.statements.get(st.before.len()).cloned());
        if let Some(stmt) = next {
            drop(self.send_run(vec![stmt], true));
        }
    }

    /// Runs the rest of the script from where the stepper stands (Run to end).
    pub fn run_to_end(&self) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        self.ensure_stepper();
        let rest: Vec<ScriptStatement> = self
            .inner
            .borrow()
            .stepper
            .as_ref()
            .map(|st| st.statements[st.before.len().min(st.statements.len())..].to_vec())
            .unwrap_or_default();
        if !rest.is_empty() {
            drop(self.send_run(rest, true));
        }
    }

    /// Undoes the last step: its panel goes and the database returns to its state before it.
    pub fn back(&self) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        let snapshot = {
            let mut inner = self.inner.borrow_mut();
            let Some(st) = inner.stepper.as_mut() else {
                return;
            };
            let Some(before) = st.before.pop() else {
                return;
            };
            before
        };
        self.state.panels.update(|p| {
            p.pop();
        });
        self.publish_stepper();
        self.restore(snapshot);
    }

    /// Back to before the first step: no panels, the database as it was then.
    pub fn reset_steps(&self) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        let first = {
            let mut inner = self.inner.borrow_mut();
            let Some(st) = inner.stepper.as_mut() else {
                return;
            };
            if st.before.is_empty() {
                return;
            }
            let first = st.before.first().cloned().flatten();
            st.before.clear();
            first
        };
        self.state.panels.set(vec![]);
        self.publish_stepper();
        self.restore(first);
    }

    /// Restarts the engine from `snapshot` (None: the examples), quietly.
    fn restore(&self, snapshot: Option<String>) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.snapshot = snapshot;
            inner.quiet_restart = true;
        }
        self.state.status.set(EngineStatus::Recovering);
        self.start_worker();
    }

    /// Asks the worker for rows `[offset, …)` of a stage of a statement's trace.
    pub fn trace_page(
        &self,
        run_id: u64,
        index: usize,
        path: Vec<usize>,
        offset: usize,
    ) -> oneshot::Receiver<Option<StageTable>> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.inner.borrow_mut();
        inner.host.send(&Request::TracePage {
            run_id,
            index,
            path: path.clone(),
            offset,
        });
        inner.page_waiters.push(((run_id, index, path), tx));
        rx
    }

    /// Runs the editor's script (the Run button, Ctrl/Cmd+Enter).
    pub fn run_editor(&self) {
        let sql = self.state.editor.get_untracked();
        // The page shows results as they stream in; nobody awaits the whole run here.
        drop(self.run(&sql));
    }

    /// Ends the running statement now (the Stop button).
    pub fn stop(&self) {
        if self.state.status.get_untracked() == EngineStatus::Running {
            self.recover(Recovery::Stopped);
        }
    }

    /// Resolves when the engine is ready (now, if it already is).
    pub fn when_ready(&self) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        if self.state.status.get_untracked() == EngineStatus::Ready {
            let _ = tx.send(());
        } else {
            self.inner.borrow_mut().ready_waiters.push(tx);
        }
        rx
    }
}

enum Recovery {
    Crashed(String),
    Stopped,
}

fn short(detail: &str) -> &str {
    detail.lines().next().unwrap_or("")
}
