//! The script stepper's buttons over the model's [`Stepper`]: one statement at a time (its
//! steps shown at once), Back and Reset undoing steps by cutting the timeline back, and edits
//! of the script while stepping.

use super::*;

impl Controller {
    /// The stepper for the editor's script: kept through an edit that leaves the statements
    /// already run in place, else started afresh with the steps already run undone (true).
    pub(super) fn ensure_stepper(&self) -> bool {
        let source = self.state.editor.get_untracked();
        let edited = {
            let mut inner = self.inner.borrow_mut();
            match inner.stepper.as_mut() {
                Some(st) if st.is_for(&source) => None,
                Some(st) => Some(st.edit(&source)),
                None => {
                    let writes = inner.timeline.writes();
                    inner.stepper = Some(Stepper::new(&source, writes));
                    Some(Edited::Kept)
                }
            }
        };
        let reset = match edited {
            None | Some(Edited::Kept) => false,
            Some(Edited::Reset(undo)) => {
                self.undo(undo);
                true
            }
        };
        self.publish_stepper();
        reset
    }

    /// The statements the stepper would run next (`all`: every one left, else one).
    pub(super) fn next_statements(&self, all: bool) -> Vec<ScriptStatement> {
        let inner = self.inner.borrow();
        let Some(st) = inner.stepper.as_ref() else {
            return vec![];
        };
        let rest = st.rest();
        rest[..if all { rest.len() } else { rest.len().min(1) }].to_vec()
    }

    /// Runs the next statement of the editor's script (the Step button), or with `all` the
    /// rest of it (Run to end).
    pub(super) fn step_run(&self, all: bool) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        let fresh = self.inner.borrow().stepper.is_none();
        let reset = self.ensure_stepper();
        if fresh {
            self.state.panels.set(vec![]);
        }
        let statements = self.next_statements(all);
        if statements.is_empty() {
            let finished = self
                .inner
                .borrow()
                .stepper
                .as_ref()
                .is_some_and(Stepper::finished);
            if finished {
                self.set_notice(
                    Localized::new(
                        "스크립트를 끝까지 실행했습니다. 다시 보려면 '처음으로'를 누르세요.",
                        "The script has run to its end. Press Reset to step through it again.",
                    ),
                    false,
                );
            }
            return;
        }
        let kind = if all {
            RunKind::StepToEnd
        } else {
            RunKind::Step
        };
        // After a reset the engine restarts first: the run waits for it (send_run queues).
        let done = self.send_run(statements, kind);
        if reset {
            // Said once the step has run (a run clears the notices of the one before).
            let this = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if done.await.is_ok() {
                    this.set_notice(
                        Localized::new(
                            "이미 실행한 문장이 바뀌어 처음부터 다시 한 단계씩 실행합니다 (데이터베이스도 그 전으로 돌렸습니다)",
                            "Statements already run were edited: stepping started again from the first one (the database went back too).",
                        ),
                        false,
                    );
                }
            });
        }
    }

    /// Runs the next statement of the editor's script (the Step button).
    pub fn step(&self) {
        self.step_run(false);
    }

    /// Runs the rest of the script from where the stepper stands (Run to end).
    pub fn run_to_end(&self) {
        self.step_run(true);
    }

    /// Undoes the last step (`to_start`: every step).
    pub(super) fn undo_steps(&self, to_start: bool) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        let undo = {
            let mut inner = self.inner.borrow_mut();
            let Some(st) = inner.stepper.as_mut() else {
                return;
            };
            if to_start {
                st.reset()
            } else {
                st.back()
            }
        };
        if let Some(undo) = undo {
            self.undo(undo);
        }
    }

    /// Applies undone steps: their panels go, the timeline loses their writes, and the engine
    /// restarts from it when one of them wrote.
    fn undo(&self, undo: sqlnori_model::stepper::Undo) {
        self.state.panels.update(|p| {
            let keep = p.len().saturating_sub(undo.steps);
            p.truncate(keep);
        });
        self.inner
            .borrow_mut()
            .timeline
            .truncate_writes(undo.log_len);
        self.publish_stepper();
        self.save_stepper();
        self.save_log();
        if undo.restart {
            self.restart_quietly();
        }
    }

    /// Undoes the last step: its panel goes and the database returns to its state before it.
    pub fn back(&self) {
        self.undo_steps(false);
    }

    /// Back to before the first step: no panels, the database as it was then.
    pub fn reset_steps(&self) {
        self.undo_steps(true);
    }

    /// A plain run leaves the stepper (its steps stay done: they are in the database).
    pub(super) fn leave_stepper(&self) {
        self.inner.borrow_mut().stepper = None;
        self.state.stepper.set(None);
        self.save_stepper();
    }

    /// Copies the stepper's position into its signal.
    pub(super) fn publish_stepper(&self) {
        let position = self.inner.borrow().stepper.as_ref().map(Stepper::position);
        // (Called at every statement of a run: what reads it is told only of a change.)
        if self.state.stepper.with_untracked(|p| *p != position) {
            self.state.stepper.set(position);
        }
    }
}
