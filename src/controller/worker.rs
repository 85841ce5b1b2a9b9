//! The worker's lifecycle: starting it, hearing from it, and replacing it after a crash or a
//! Stop with the database restored from the last snapshot.

use super::*;

impl Controller {
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

    pub(super) fn on_event(&self, generation: u64, event: HostEvent) {
        if generation != self.inner.borrow().host.generation() {
            return; // the last words of a worker already replaced
        }
        match event {
            HostEvent::Message(msg) => self.on_message(*msg),
            HostEvent::Died(reason) => self.recover(Recovery::Crashed(reason)),
        }
    }

    /// Replaces a crashed or stopped worker. The statement it was running gets a failed
    /// result; the database comes back from the snapshot taken after the last change.
    pub(super) fn recover(&self, why: Recovery) {
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
                        st.ran(before);
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

    /// Restarts the engine from `snapshot` (None: the examples), quietly.
    pub(super) fn restore(&self, snapshot: Option<String>) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.snapshot = snapshot;
            inner.quiet_restart = true;
        }
        self.state.status.set(EngineStatus::Recovering);
        self.start_worker();
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

    /// The worker is up: its schema, and a notice when it refused the saved database or came
    /// back after a crash.
    pub(super) fn on_ready(
        &self,
        schema: Vec<TableInfo>,
        notice: Option<Localized>,
        restored: bool,
    ) {
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
}
