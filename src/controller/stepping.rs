//! The script stepper's buttons over the model's [`Stepper`]: one statement at a time (its
//! steps shown at once), Back and Reset undoing steps by cutting the timeline back, and edits
//! of the script while stepping.

use super::*;

impl Controller {
    /// The stepper for the editor's script: kept through an edit that leaves the statements
    /// already run in place, else started afresh.
    pub(super) fn ensure_stepper(&self) {
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
        match edited {
            None | Some(Edited::Kept) => {}
            Some(Edited::Reset(undo)) => {
                self.undo(undo);
                self.state.notice.set(Some(Notice {
                    warning: false,
                    text: Localized::new(
                        "이미 실행한 문장이 바뀌어 처음부터 다시 한 단계씩 실행합니다 (데이터베이스도 처음 상태로 돌렸습니다)",
                        "statements already run were edited: stepping starts again from the first one (the database went back too)",
                    ),
                }));
            }
        }
        self.publish_stepper();
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
        self.ensure_stepper();
        if fresh {
            self.state.panels.set(vec![]);
        }
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return; // an edit undid the steps: the engine restarts first
        }
        let statements = self.next_statements(all);
        if !statements.is_empty() {
            let kind = if all {
                RunKind::StepToEnd
            } else {
                RunKind::Step
            };
            drop(self.send_run(statements, kind));
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
        self.state.stepper.set(position);
    }
}
