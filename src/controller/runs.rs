//! Runs and requests: scripts sent to the worker, their results as panels and history, and
//! the requests whose answers are awaited (trace pages, the dump, table previews).

use super::*;

impl Controller {
    /// Runs a script; resolves with every statement's result once the run ends.
    pub fn run(&self, sql: &str) -> oneshot::Receiver<Vec<StatementResult>> {
        self.inner.borrow_mut().stepper = None;
        self.state.stepper.set(None);
        self.state.panels.set(vec![]);
        self.send_run(split_script(sql), false)
    }

    pub(super) fn send_run(
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

    pub(super) fn push_panel(
        &self,
        result: StatementResult,
        run_id: u64,
        index: usize,
        trace: Option<Trace>,
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
                trace,
            })
        });
    }

    pub(super) fn record_history(
        &self,
        statements: &[ScriptStatement],
        results: &[StatementResult],
    ) {
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

    /// The database as a `.sql` dump.
    pub fn dump(&self) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        let mut inner = self.inner.borrow_mut();
        inner.host.send(&Request::Dump);
        inner.dump_waiters.push(tx);
        rx
    }

    /// Puts a past run's script back in the editor.
    pub fn restore_history(&self, index: usize) {
        if let Some(entry) = self.state.history.get_untracked().entries.get(index) {
            self.state.editor.set(entry.script.clone());
        }
    }

    /// One statement finished: its result becomes a panel; the snapshot after it is kept (and
    /// saved) for crash recovery; the stepper records it.
    pub(super) fn on_statement(
        &self,
        run_id: u64,
        index: usize,
        result: StatementResult,
        snapshot: Option<String>,
        schema: Option<Vec<TableInfo>>,
        trace: Option<Trace>,
    ) {
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
                    st.ran(before);
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

    /// The run ended: the engine is ready again, the run goes into the history.
    pub(super) fn on_done(&self, run_id: u64) {
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
}
