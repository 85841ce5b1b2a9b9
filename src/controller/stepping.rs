//! The script stepper's buttons over the model's [`Stepper`](sqlnori_model::stepper::Stepper):
//! one statement at a time, Back and Reset restoring the database from before.

use super::*;

impl Controller {
    /// The stepper for the editor's script, started afresh when the script changed.
    pub(super) fn ensure_stepper(&self) {
        let source = self.state.editor.get_untracked();
        let fresh = self
            .inner
            .borrow()
            .stepper
            .as_ref()
            .is_none_or(|st| !st.is_for(&source));
        if fresh {
            self.inner.borrow_mut().stepper = Some(Stepper::new(&source));
            self.state.panels.set(vec![]);
            self.publish_stepper();
        }
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
        self.ensure_stepper();
        let statements = self.next_statements(all);
        if !statements.is_empty() {
            drop(self.send_run(statements, true));
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

    /// Undoes the last step (`to_start`: every step) and restores the database as it was.
    pub(super) fn undo_steps(&self, to_start: bool) {
        if self.state.status.get_untracked() != EngineStatus::Ready {
            return;
        }
        let snapshot = {
            let mut inner = self.inner.borrow_mut();
            let Some(st) = inner.stepper.as_mut() else {
                return;
            };
            let before = if to_start { st.reset() } else { st.back() };
            let Some(before) = before else {
                return;
            };
            before
        };
        if to_start {
            self.state.panels.set(vec![]);
        } else {
            self.state.panels.update(|p| {
                p.pop();
            });
        }
        self.publish_stepper();
        self.restore(snapshot);
        self.save_stepper();
        self.save_database();
    }

    /// Undoes the last step: its panel goes and the database returns to its state before it.
    pub fn back(&self) {
        self.undo_steps(false);
    }

    /// Back to before the first step: no panels, the database as it was then.
    pub fn reset_steps(&self) {
        self.undo_steps(true);
    }

    /// Copies the stepper's position into its signal.
    pub(super) fn publish_stepper(&self) {
        let position = self.inner.borrow().stepper.as_ref().map(Stepper::position);
        self.state.stepper.set(position);
    }
}
