//! The worker's lifecycle: starting it, bringing it to the page's database (the saved base
//! and the statements since, replayed), hearing from it, and replacing it after a crash or a
//! Stop.

use super::*;

impl Controller {
    /// Starts (or replaces) the worker and sends it the page's database at once: the worker's
    /// loader keeps the message until its wasm runs (see `protocol::WORKER_EARLY`), so the
    /// engine starts on it without waiting for the page to hear that it booted.
    pub fn start_worker(&self) {
        self.inner.borrow_mut().timeline.cancel_save();
        let this = self.clone();
        let handler = move |generation: u64, event: HostEvent| this.on_event(generation, event);
        let spawned = self.inner.borrow_mut().host.spawn(handler);
        if let Err(reason) = spawned {
            self.state.status.set(EngineStatus::Broken);
            self.set_notice(
                Localized::new(
                    format!("이 브라우저에서 SQL 엔진(Web Worker)을 시작할 수 없습니다: {reason}"),
                    format!("this browser cannot start the SQL engine (a Web Worker): {reason}"),
                ),
                true,
            );
        } else {
            self.send_init();
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

    /// The worker starts from the page's database.
    fn send_init(&self) {
        let inner = self.inner.borrow();
        match inner.timeline.init(inner.meta.seed) {
            Ok(init) => inner.host.send(&init),
            Err(e) => {
                // The page's own copy does not assemble (cannot happen with parts checked at
                // load): start from the examples rather than not at all.
                drop(inner);
                self.refuse_database(Localized::new(
                    format!("저장된 데이터베이스를 읽지 못해 예제로 시작합니다 ({e})"),
                    format!(
                        "the saved database could not be read, starting from the examples ({e})"
                    ),
                ));
                let inner = self.inner.borrow();
                if let Ok(init) = inner.timeline.init(inner.meta.seed) {
                    inner.host.send(&init);
                }
            }
        }
    }

    /// The saved database cannot be used: it is set aside (not deleted) and the page goes on
    /// from the examples.
    fn refuse_database(&self, why: Localized) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.timeline.drop_base();
            inner.store.set_aside_database();
        }
        self.add_notice(why);
    }

    /// Adds a warning to what the page already has to say.
    pub(super) fn add_notice(&self, text: Localized) {
        self.join_notice(text, true);
    }

    /// Adds information to what the page already has to say.
    pub(super) fn add_notice_info(&self, text: Localized) {
        self.join_notice(text, false);
    }

    /// Says `text` in place of what the page had to say (`warning`: as a warning).
    pub(super) fn set_notice(&self, text: Localized, warning: bool) {
        self.state.notice.set(Some(Notice {
            warning,
            text,
            undo: None,
        }));
    }

    fn join_notice(&self, text: Localized, warning: bool) {
        let (text, warning) = match self.state.notice.get_untracked() {
            Some(old) => (old.text.and(text), old.warning || warning),
            None => (text, warning),
        };
        self.set_notice(text, warning);
    }

    /// Replaces a crashed or stopped worker. The statement it was running gets a failed
    /// result; the database comes back from the base and the statements since.
    pub(super) fn recover(&self, why: Recovery) {
        let run = self.inner.borrow_mut().run.take();
        if let Some(mut run) = run {
            if let Some(stmt) = run.statements.get(run.results.len()) {
                let result = match &why {
                    Recovery::Crashed(detail) => crashed_result(stmt, short(detail)),
                    Recovery::Stopped => stopped_result(stmt),
                };
                run.results.push(result.clone());
                if run.kind != RunKind::Plain {
                    if let Some(st) = self.inner.borrow_mut().stepper.as_mut() {
                        st.ran(false);
                    }
                    self.save_stepper();
                }
                self.push_panel(result, run.id, run.results.len() - 1, false, false);
                self.publish_stepper();
            }
            self.record_history(&run.statements, super::runs::summary(&run.results));
            self.state.run_report.set(sqlnori_model::result::run_report(
                &run.statements,
                &run.results,
            ));
            if let Some(reply) = run.reply {
                let _ = reply.send(run.results);
            }
        }
        self.state.running_span.set(None);
        self.end_explaining(&why);
        self.save_log();
        let give_up = {
            let mut inner = self.inner.borrow_mut();
            if !matches!(
                self.state.status.get_untracked(),
                EngineStatus::Running | EngineStatus::Ready
            ) {
                inner.failed_starts += 1;
            }
            inner.failed_starts > 3
        };
        if give_up {
            self.inner.borrow_mut().host.terminate();
            self.state.status.set(EngineStatus::Broken);
            self.set_notice(
                Localized::new(
                    "SQL 엔진을 시작할 수 없습니다. 페이지를 새로 고쳐 주세요.",
                    "the SQL engine cannot start; please reload the page",
                ),
                true,
            );
            return;
        }
        self.state.status.set(EngineStatus::Recovering);
        self.start_worker();
    }

    /// Whoever waits for steps, a trace page, a dump or a lesson answer from a worker that is
    /// going hears so.
    fn end_explaining(&self, why: &Recovery) {
        // Lesson answers waiting hear it as a cancelled reply.
        let (explains, _pages, _dumps, _lessons) = {
            let mut inner = self.inner.borrow_mut();
            (
                std::mem::take(&mut inner.explain_waiters),
                std::mem::take(&mut inner.page_waiters),
                std::mem::take(&mut inner.dump_waiters),
                std::mem::take(&mut inner.lesson_waiters),
            )
        };
        let message = match why {
            Recovery::Stopped => Localized::new(
                "단계 계산을 중단했습니다",
                "computing the steps was stopped",
            ),
            Recovery::Crashed(detail) => Localized::new(
                format!("단계를 계산하다 엔진이 멈췄습니다 ({})", short(detail)),
                format!("the engine crashed computing the steps ({})", short(detail)),
            ),
        };
        for (_, w) in explains {
            let _ = w.send(Err(message.clone()));
        }
        self.state.explaining.set(false);
    }

    /// Restarts the engine from the timeline as it now is, quietly (Back, Reset).
    pub(super) fn restart_quietly(&self) {
        self.inner.borrow_mut().quiet_restart = true;
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

    /// Sends `req` now, or once the engine is ready.
    pub(super) fn send_when_ready(&self, req: Request) {
        let ready = matches!(
            self.state.status.get_untracked(),
            EngineStatus::Ready | EngineStatus::Running
        );
        let mut inner = self.inner.borrow_mut();
        if ready {
            inner.host.send(&req);
        } else {
            inner.deferred.push(req);
        }
    }

    /// The worker is up: its schema, and a notice when it refused the saved database or came
    /// back after a crash. Whatever waited for it goes now.
    pub(super) fn on_ready(
        &self,
        schema: Vec<TableInfo>,
        notice: Option<Localized>,
        restored: bool,
        failed: &[usize],
    ) {
        let was = self.state.status.get_untracked();
        self.state.schema.set(schema);
        self.state.status.set(EngineStatus::Ready);
        let quiet = std::mem::take(&mut self.inner.borrow_mut().quiet_restart);
        let had_base = self.inner.borrow().timeline.has_saved_start();
        if let Some(text) = notice {
            if !restored && had_base {
                // The worker refused the saved database: set aside, never trusted again.
                self.refuse_database(text);
            } else {
                self.add_notice(text);
            }
        } else if !failed.is_empty() {
            self.add_notice(Localized::new(
                format!("기록된 변경 {}개를 다시 실행하지 못했습니다", failed.len()),
                format!("{} recorded changes could not be replayed", failed.len()),
            ));
        } else if was == EngineStatus::Recovering && !quiet {
            self.set_notice(
                Localized::new(
                    "엔진을 새로 시작하고 데이터베이스를 그 문장 직전 상태로 되살렸습니다. 편집기의 내용은 그대로입니다.",
                    "the engine was restarted and the database restored to its state before that statement; your editor text is untouched",
                ),
                true,
            );
        }
        let (waiters, deferred) = {
            let mut inner = self.inner.borrow_mut();
            inner.failed_starts = 0;
            (
                std::mem::take(&mut inner.ready_waiters),
                std::mem::take(&mut inner.deferred),
            )
        };
        for req in deferred {
            self.inner.borrow().host.send(&req);
        }
        self.run_queued();
        for w in waiters {
            let _ = w.send(());
        }
        self.schedule_save();
    }
}
