//! Runs and requests: scripts sent to the worker (queued until it is ready), their results as
//! panels and history, the statements recorded in the timeline, and the requests whose
//! answers are awaited (a statement's steps, trace pages, the dump, table previews).

use super::*;

/// A statement's first line as the history lists it (at most 200 characters).
fn first_line(sql: &str) -> String {
    let line = sql.lines().next().unwrap_or("");
    match sqlnori_model::render::clip(line, 200) {
        (line, 0) => line.to_owned(),
        (line, _) => format!("{line}…"),
    }
}

/// What the history keeps of a run's results: their total time, and whether every one
/// succeeded.
pub(super) fn summary(results: &[StatementResult]) -> (f64, bool) {
    (
        results.iter().map(|r| r.elapsed_ms).sum(),
        results.iter().all(StatementResult::is_ok),
    )
}

impl Controller {
    /// Runs a script; resolves with every statement's result once the run ends.
    pub fn run(&self, sql: &str) -> oneshot::Receiver<Vec<StatementResult>> {
        self.leave_stepper();
        self.state.panels.set(vec![]);
        self.send_run(split_script(sql), RunKind::Plain)
    }

    /// Starts a run now, or once the engine is ready; a second run asked for while one is
    /// going is refused (the caller sees a cancelled run).
    pub(super) fn send_run(
        &self,
        statements: Vec<ScriptStatement>,
        kind: RunKind,
    ) -> oneshot::Receiver<Vec<StatementResult>> {
        let (tx, rx) = oneshot::channel();
        self.state.run_report.set(None);
        let status = self.state.status.get_untracked();
        let mut inner = self.inner.borrow_mut();
        if inner.run.is_some() || status == EngineStatus::Broken {
            return rx;
        }
        if status != EngineStatus::Ready {
            // The engine is starting: the run waits for it (a later one replaces it).
            inner.queued = Some(QueuedRun {
                statements,
                reply: tx,
                kind,
            });
            drop(inner);
            self.state.queued.set(true);
            return rx;
        }
        let id = inner.next_run_id;
        inner.next_run_id += 1;
        if let Some(timer) = inner.save_timer.take() {
            timer.clear();
        }
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
            kind,
        });
        drop(inner);
        self.state.notice.set(None);
        self.state.status.set(EngineStatus::Running);
        rx
    }

    /// Starts the run that waited for the engine.
    pub(super) fn run_queued(&self) {
        let queued = self.inner.borrow_mut().queued.take();
        self.state.queued.set(false);
        if let Some(q) = queued {
            let rx = self.send_run(q.statements, q.kind);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(results) = rx.await {
                    let _ = q.reply.send(results);
                }
            });
        }
    }

    /// Runs the statements of `text[start..end]` (a selection, or the statement under the
    /// cursor), keeping their places in the whole script for errors; marked while it runs.
    pub fn run_range(&self, text: &str, start: usize, end: usize) {
        let Some(part) = text.get(start..end) else {
            return;
        };
        let index = sqlnori_model::split::LineIndex::new(text);
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
        self.leave_stepper();
        self.state.panels.set(vec![]);
        self.state.running_span.set(Some((start, end)));
        drop(self.send_run(statements, RunKind::Plain));
    }

    /// Runs the editor's script (the Run button, Ctrl/Cmd+Enter).
    pub fn run_editor(&self) {
        let sql = self.state.editor.get_untracked();
        // The page shows results as they stream in; nobody awaits the whole run here.
        drop(self.run(&sql));
    }

    /// Ends the running statement, or the steps being computed, now (the Stop button).
    pub fn stop(&self) {
        if self.state.status.get_untracked() == EngineStatus::Running
            || self.state.explaining.get_untracked()
        {
            self.recover(Recovery::Stopped);
        }
    }

    pub(super) fn push_panel(
        &self,
        result: StatementResult,
        run_id: u64,
        index: usize,
        explainable: bool,
        open_steps: bool,
    ) {
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
                explainable,
                open_steps,
            })
        });
    }

    /// Adds a run to the history, with its results' `summary`.
    pub(super) fn record_history(
        &self,
        statements: &[ScriptStatement],
        (duration_ms, ok): (f64, bool),
    ) {
        let Some(first) = statements.first() else {
            return;
        };
        let script = statements
            .iter()
            .map(|s| format!("{};", s.sql))
            .collect::<Vec<_>>()
            .join("\n");
        // The history is stored: passwords in it are kept as their hashes.
        let script = sqlnori_model::accounts::redact_passwords(&script).unwrap_or(script);
        let first = &ScriptStatement {
            sql: sqlnori_model::accounts::redact_passwords(&first.sql)
                .unwrap_or_else(|| first.sql.clone()),
            ..first.clone()
        };
        #[allow(clippy::cast_possible_truncation)]
        let entry = HistoryEntry {
            at_epoch_ms: js_sys::Date::now() as i64,
            duration_ms,
            first_line: first_line(&first.sql),
            ok,
            script,
            omitted: None,
        };
        self.state.history.update(|h| h.push(entry));
        let history = self.state.history.get_untracked();
        self.save(Slot::History, &history);
    }

    /// The steps of statement `index` of run `run_id`, computed by the worker from the
    /// database as it was before that statement.
    pub fn explain(&self, run_id: u64, index: usize) -> oneshot::Receiver<Explanation> {
        let (tx, rx) = oneshot::channel();
        self.inner
            .borrow_mut()
            .explain_waiters
            .push(((run_id, index), tx));
        self.state.explaining.set(true);
        self.send_when_ready(Request::Explain { run_id, index });
        rx
    }

    pub(super) fn on_explained(
        &self,
        key: (u64, usize),
        trace: Option<Trace>,
        missing: Option<Localized>,
    ) {
        let (matching, none_left) = {
            let mut inner = self.inner.borrow_mut();
            let (matching, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut inner.explain_waiters)
                .into_iter()
                .partition(|(k, _)| *k == key);
            inner.explain_waiters = rest;
            (matching, inner.explain_waiters.is_empty())
        };
        if none_left {
            self.state.explaining.set(false);
        }
        let answer = trace.ok_or_else(|| {
            missing.unwrap_or_else(|| Localized::new("단계를 볼 수 없습니다", "no steps to show"))
        });
        for (_, w) in matching {
            let _ = w.send(answer.clone());
        }
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
        self.inner
            .borrow_mut()
            .page_waiters
            .push(((run_id, index, path.clone()), tx));
        self.send_when_ready(Request::TracePage {
            run_id,
            index,
            path,
            offset,
        });
        rx
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
        self.send_when_ready(Request::Preview {
            database: database.to_owned(),
            table: table.to_owned(),
        });
    }

    /// The database as a `.sql` dump.
    pub fn dump(&self) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        self.inner.borrow_mut().dump_waiters.push(tx);
        self.send_when_ready(Request::Dump);
        rx
    }

    /// The engine worker's memory in bytes.
    pub fn engine_memory(&self) -> oneshot::Receiver<u64> {
        let (tx, rx) = oneshot::channel();
        self.inner.borrow_mut().stats_waiters.push(tx);
        self.send_when_ready(Request::Stats);
        rx
    }

    /// Puts a past run's script back in the editor.
    pub fn restore_history(&self, index: usize) {
        if let Some(entry) = self.state.history.get_untracked().entries.get(index) {
            self.state.editor.set(entry.script.clone());
        }
    }

    /// One statement finished: its result becomes a panel, it joins the timeline (so a fresh
    /// worker can be brought back to this database), the stepper records it.
    pub(super) fn on_statement(&self, ran: Ran) {
        let Ran {
            run_id,
            index,
            mut result,
            wrote,
            explainable,
            now_ms,
            rng,
            schema,
        } = ran;
        let kind = {
            let mut inner = self.inner.borrow_mut();
            let Some(run) = inner.run.as_mut().filter(|r| r.id == run_id) else {
                return;
            };
            let statement = run.statements.get(index).cloned();
            // The worker does not send the statement back (see `Response::Statement`).
            if let Some(statement) = statement.as_ref().filter(|_| result.sql.is_empty()) {
                result.sql.clone_from(&statement.sql);
            }
            run.results.push(result.clone());
            let kind = run.kind;
            if let (true, Some(mut statement)) = (result.is_ok(), statement) {
                // The stored log replays the statement: a password in it is kept as its hash.
                if let Some(sql) = sqlnori_model::accounts::redact_passwords(&statement.sql) {
                    statement.sql = sql;
                }
                inner.timeline.record(
                    Replayed {
                        statement,
                        now_ms,
                        wrote,
                        origin: Some((run_id, index)),
                    },
                    rng,
                );
            }
            if kind != RunKind::Plain {
                if let Some(st) = inner.stepper.as_mut() {
                    st.ran(wrote);
                }
            }
            kind
        };
        if kind != RunKind::Plain {
            self.save_stepper();
        }
        if let Some(schema) = schema {
            self.state.schema.set(schema);
        }
        self.push_panel(result, run_id, index, explainable, kind == RunKind::Step);
        self.publish_stepper();
    }

    /// A page of a trace arrived: it goes to whoever asked for it.
    pub(super) fn on_trace_page(&self, key: PageKey, table: Option<StageTable>) {
        let waiters = {
            let mut inner = self.inner.borrow_mut();
            let (matching, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut inner.page_waiters)
                .into_iter()
                .partition(|(k, _)| *k == key);
            inner.page_waiters = rest;
            matching
        };
        for (_, w) in waiters {
            let _ = w.send(table.clone());
        }
    }

    /// The run ended: the engine is ready again and whoever awaits the run hears first; the
    /// history and the log of writes are stored just after (off the path to the answer), and a
    /// save of the tables is due when the page is idle.
    pub(super) fn on_done(&self, run_id: u64) {
        let run = {
            let mut inner = self.inner.borrow_mut();
            match inner.run.as_ref() {
                Some(r) if r.id == run_id => inner.run.take(),
                _ => None,
            }
        };
        let Some(run) = run else {
            return;
        };
        self.state.status.set(EngineStatus::Ready);
        self.state.running_span.set(None);
        self.state.run_report.set(sqlnori_model::result::run_report(
            &run.statements,
            &run.results,
        ));
        let summary = summary(&run.results);
        if let Some(reply) = run.reply {
            let _ = reply.send(run.results);
        }
        let this = self.clone();
        let statements = run.statements;
        set_timeout(
            move || {
                this.save_log();
                this.record_history(&statements, summary);
            },
            std::time::Duration::ZERO,
        );
        self.run_queued();
        self.schedule_save();
    }
}
