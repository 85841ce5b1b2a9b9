//! The page's logic, outside any `view!`: runs scripts through the worker host, keeps the
//! snapshot that crash recovery restores, steps through a script statement by statement
//! (with Back restoring the database as it was), fetches pages of traces, and exposes the
//! state as signals.

use crate::host::{HostEvent, WorkerHost};
use crate::i18n::Lang;
use crate::session::{Boot, SessionStore, StoredStepper};
use futures::channel::oneshot;
use leptos::prelude::*;
use sqlnori_core::protocol::{crashed_result, stopped_result, Request, Response};
use sqlnori_core::session::{History, HistoryEntry, SessionMeta, Slot};
use sqlnori_core::share::{self, SharedScript, COURSE_DATASET};
use sqlnori_core::trace::{StageTable, Trace};
use sqlnori_core::{split_script, Localized, ScriptStatement, StatementResult, TableInfo};
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
    store: SessionStore,
    meta: SessionMeta,
    dump_waiters: Vec<oneshot::Sender<String>>,
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
    pub fn new(store: SessionStore, boot: Boot) -> Self {
        let Boot {
            meta,
            editor,
            snapshot,
            history,
            stepper,
            notices,
            shared,
        } = boot;
        let lang = if meta.lang == "en" {
            Lang::En
        } else {
            Lang::Ko
        };
        let scratch = shared.is_some();
        // A shared link starts from the examples with the link's seed, whatever is saved.
        let (editor, snapshot, seed) = match &shared {
            Some(s) => (s.script.clone(), None, s.seed),
            None => (editor.unwrap_or_default(), snapshot, meta.seed),
        };
        let mut meta = meta;
        meta.seed = seed;
        let notice = notices.into_iter().reduce(Localized::and);
        let state = AppState {
            status: RwSignal::new(EngineStatus::Booting),
            panels: RwSignal::new(vec![]),
            schema: RwSignal::new(vec![]),
            notice: RwSignal::new(notice.map(|text| Notice {
                warning: true,
                text,
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
        };
        let stepper = stepper.filter(|_| !scratch).map(|st| Stepper {
            statements: split_script(&st.source),
            source: st.source,
            before: st.before,
        });
        let this = Self {
            state,
            inner: Rc::new(RefCell::new(Inner {
                host: WorkerHost::new(),
                store,
                meta,
                dump_waiters: vec![],
                snapshot,
                run: None,
                next_run_id: 1,
                next_panel_key: 1,
                ready_waiters: vec![],
                failed_starts: 0,
                stepper,
                quiet_restart: false,
                page_waiters: vec![],
            })),
        };
        this.publish_stepper();
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
                    seed: inner.meta.seed,
                });
            }
            Response::Ready {
                schema,
                notice,
                restored,
                ..
            } => {
                let was = self.state.status.get_untracked();
                self.state.schema.set(schema);
                self.state.status.set(EngineStatus::Ready);
                let quiet = std::mem::take(&mut self.inner.borrow_mut().quiet_restart);
                if let Some(text) = notice {
                    // The worker refused the saved database: it is set aside, not trusted again.
                    if !restored {
                        let mut inner = self.inner.borrow_mut();
                        if inner.snapshot.take().is_some() {
                            inner.store.set_aside(Slot::Database);
                        }
                    }
                    // Keep what the page already had to say (set-aside data, a bad link).
                    let text = match self.state.notice.get_untracked() {
                        Some(old) => old.text.and(text),
                        None => text,
                    };
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
                self.save_database();
                if stepping_run(&self.inner) {
                    self.save_stepper();
                }
                if let Some(schema) = schema {
                    self.state.schema.set(schema);
                }
                self.push_panel(result, run_id, index, trace);
                self.publish_stepper();
            }
            Response::Preview {
                database,
                table,
                result,
            } => {
                self.state.previews.update(|p| {
                    p.insert(format!("{database}.{table}"), result);
                });
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
                    self.state.running_span.set(None);
                    self.record_history(&run.statements, &run.results);
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
        self.save_stepper();
        self.save_database();
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
        self.save_stepper();
        self.save_database();
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

    /// Runs the statements of `text[start..end]` (a selection, or the statement under the
    /// cursor), keeping their places in the whole script for errors; marked while it runs.
    pub fn run_range(&self, text: &str, start: usize, end: usize) {
        let Some(part) = text.get(start..end) else {
            return;
        };
        let index = sqlnori_core::split::LineIndex::new(text);
        let statements: Vec<ScriptStatement> = split_script(part)
            .into_iter()
            .map(|mut s| {
                s.span.start += start;
                s.span.end += start;
                let (line, column) = index.line_col(text, s.span.start);
                s.span.line = line;
                s.span.column = column;
                s
            })
            .collect();
        if statements.is_empty() {
            return;
        }
        self.inner.borrow_mut().stepper = None;
        self.state.stepper.set(None);
        self.state.panels.set(vec![]);
        self.state.running_span.set(Some((start, end)));
        drop(self.send_run(statements, false));
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

/// True when the run in progress belongs to the stepper.
fn stepping_run(inner: &Rc<RefCell<Inner>>) -> bool {
    inner.borrow().run.as_ref().is_some_and(|r| r.stepping)
}

impl Controller {
    /// Saves one slot; a failure (storage full or gone) becomes a notice, once.
    fn save<T: serde::Serialize>(&self, slot: Slot, value: &T) {
        let outcome = self.inner.borrow_mut().store.save(slot, value);
        if let Err(text) = outcome {
            self.state.unsaved.set(Some(text));
        }
    }

    fn save_database(&self) {
        let snapshot = self.inner.borrow().snapshot.clone();
        if let Some(s) = snapshot {
            self.save(Slot::Database, &s);
        }
    }

    fn save_stepper(&self) {
        let stored = self
            .inner
            .borrow()
            .stepper
            .as_ref()
            .map(|st| StoredStepper {
                source: st.source.clone(),
                before: st.before.clone(),
            });
        self.save(Slot::Stepper, &stored.unwrap_or_default());
        let done = self.state.stepper.get_untracked().map_or(0, |s| s.done);
        let meta = {
            let mut inner = self.inner.borrow_mut();
            inner.meta.stepper_done = done;
            inner.meta.clone()
        };
        self.save(Slot::Meta, &meta);
    }

    /// Saves the editor's text (called as the learner types).
    pub fn save_editor(&self) {
        let text = self.state.editor.get_untracked();
        self.save(Slot::Editor, &text);
    }

    /// Saves the language and theme.
    pub fn save_settings(&self) {
        let meta = {
            let mut inner = self.inner.borrow_mut();
            inner.meta.lang = self.state.lang.get_untracked().code().to_owned();
            inner.meta.theme = self.state.theme.get_untracked();
            inner.meta.clone()
        };
        self.save(Slot::Meta, &meta);
    }

    fn record_history(&self, statements: &[ScriptStatement], results: &[StatementResult]) {
        let Some(first) = statements.first() else {
            return;
        };
        let script = statements
            .iter()
            .map(|s| format!("{};", s.sql))
            .collect::<Vec<_>>()
            .join("\n");
        #[allow(clippy::cast_possible_truncation)]
        let entry = HistoryEntry {
            at_epoch_ms: js_sys::Date::now() as i64,
            duration_ms: results.iter().map(|r| r.elapsed_ms).sum(),
            first_line: first.sql.lines().next().unwrap_or("").to_owned(),
            ok: results.iter().all(StatementResult::is_ok),
            script,
        };
        self.state.history.update(|h| h.push(entry));
        let history = self.state.history.get_untracked();
        self.save(Slot::History, &history);
    }

    /// Makes a share link of the editor's script (the session's seed, the course dataset).
    pub fn share(&self) {
        let seed = self.inner.borrow().meta.seed;
        let shared = SharedScript {
            script: self.state.editor.get_untracked(),
            dataset: COURSE_DATASET.to_owned(),
            seed,
        };
        let link = share::encode_link(&shared)
            .map(|fragment| crate::session::link_url(&fragment))
            .map_err(|e| e.localized());
        self.state.share.set(Some(link));
    }

    /// Keeps a shared link's scratch workspace as this session's work.
    pub fn keep_shared(&self) {
        self.inner.borrow_mut().store.keep_shared();
        self.state.scratch.set(false);
        let meta = self.inner.borrow().meta.clone();
        self.save(Slot::Meta, &meta);
        self.save_editor();
        self.save_database();
    }

    /// Leaves a shared link for the saved session (the page reloads without the link).
    pub fn leave_shared(&self) {
        crate::session::clear_fragment();
        reload();
    }

    /// Starts a brand-new session (a new cookie); the old one stays in storage.
    pub fn new_session(&self) {
        self.inner.borrow_mut().store.start_new_session();
        crate::session::clear_fragment();
        reload();
    }

    /// Forgets this session's saved state and reloads from the examples.
    pub fn reset_to_examples(&self) {
        self.inner.borrow_mut().store.clear();
        crate::session::clear_fragment();
        reload();
    }

    /// Another tab wrote `key`: stop saving until the learner chooses.
    pub fn on_storage_event(&self, key: &str, value: Option<&str>) {
        let foreign = self.inner.borrow().store.foreign_write(key, value);
        if foreign && !self.state.conflict.get_untracked() {
            self.inner.borrow_mut().store.paused = true;
            self.state.conflict.set(true);
        }
    }

    /// Resolves a two-tab conflict in favour of this tab: save everything here now.
    pub fn keep_this_tab(&self) {
        self.inner.borrow_mut().store.paused = false;
        self.state.conflict.set(false);
        self.save_settings();
        self.save_editor();
        self.save_database();
        self.save_stepper();
        let history = self.state.history.get_untracked();
        self.save(Slot::History, &history);
    }

    /// The cookie and the stored keys, for the session panel.
    pub fn session_info(&self) -> (String, Vec<(String, usize)>, bool) {
        let inner = self.inner.borrow();
        (
            inner.store.cookie_line(),
            inner.store.stored_keys(),
            inner.store.persistent,
        )
    }

    /// Shows (or hides) a table's first rows in the sidebar.
    pub fn toggle_preview(&self, database: &str, table: &str) {
        let key = format!("{database}.{table}");
        if self.state.previews.get_untracked().contains_key(&key) {
            self.state.previews.update(|p| {
                p.remove(&key);
            });
            return;
        }
        self.inner.borrow().host.send(&Request::Preview {
            database: database.to_owned(),
            table: table.to_owned(),
        });
    }

    /// Puts a past run's script back in the editor.
    pub fn restore_history(&self, index: usize) {
        if let Some(entry) = self.state.history.get_untracked().entries.get(index) {
            self.state.editor.set(entry.script.clone());
        }
    }

    /// The database as a `.sql` dump.
    pub fn dump(&self) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.inner.borrow_mut();
        inner.host.send(&Request::Dump);
        inner.dump_waiters.push(tx);
        rx
    }
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
