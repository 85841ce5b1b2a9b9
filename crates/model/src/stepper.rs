//! The script stepper as plain state: a script run one statement at a time, with the database
//! as it was before each statement (what Back restores), and its stored form.
//!
//! The page keeps one [`Stepper`] and asks it what to run next; the snapshots are opaque
//! strings here (the worker's format).

use crate::split::{split_script, ScriptStatement};
use serde::{Deserialize, Serialize};

/// The stepper as stored in the session: the script and the snapshot before each statement
/// it ran (`None`: the examples as loaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StoredStepper {
    pub source: String,
    pub before: Vec<Option<String>>,
}

/// Where the stepper stands, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Statements run so far.
    pub done: usize,
    pub total: usize,
    /// The statement run last (marked in the editor).
    pub current: Option<ScriptStatement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stepper {
    source: String,
    statements: Vec<ScriptStatement>,
    before: Vec<Option<String>>,
}

impl Stepper {
    /// A stepper at the start of `source`.
    pub fn new(source: &str) -> Self {
        Self {
            source: source.to_owned(),
            statements: split_script(source),
            before: vec![],
        }
    }

    pub fn from_stored(stored: StoredStepper) -> Self {
        let mut st = Self::new(&stored.source);
        st.before = stored.before;
        st.before.truncate(st.statements.len());
        st
    }

    pub fn stored(&self) -> StoredStepper {
        StoredStepper {
            source: self.source.clone(),
            before: self.before.clone(),
        }
    }

    /// True when this stepper walks exactly `source`.
    pub fn is_for(&self, source: &str) -> bool {
        self.source == source
    }

    pub fn position(&self) -> Position {
        let done = self.before.len();
        Position {
            done,
            total: self.statements.len(),
            current: done
                .checked_sub(1)
                .and_then(|i| self.statements.get(i).cloned()),
        }
    }

    /// The next statement to run, if any is left.
    pub fn next(&self) -> Option<&ScriptStatement> {
        self.statements.get(self.before.len())
    }

    /// Every statement not run yet.
    pub fn rest(&self) -> &[ScriptStatement] {
        &self.statements[self.before.len().min(self.statements.len())..]
    }

    /// Records that the next statement ran, on the database `before` it.
    pub fn ran(&mut self, before: Option<String>) {
        if self.before.len() < self.statements.len() {
            self.before.push(before);
        }
    }

    /// Undoes the last statement: the database to restore, or `None` when nothing ran.
    pub fn back(&mut self) -> Option<Option<String>> {
        self.before.pop()
    }

    /// Back to before the first statement: the database to restore, or `None` when nothing ran.
    pub fn reset(&mut self) -> Option<Option<String>> {
        if self.before.is_empty() {
            return None;
        }
        let first = self.before.swap_remove(0);
        self.before.clear();
        Some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_forward_back_and_reset() {
        let mut st = Stepper::new("select 1; select 2; select 3");
        assert_eq!(st.position().total, 3);
        assert_eq!(st.next().map(|s| s.sql.as_str()), Some("select 1"));
        st.ran(None);
        st.ran(Some("after-1".into()));
        assert_eq!(st.position().done, 2);
        assert_eq!(
            st.position().current.map(|s| s.sql),
            Some("select 2".into())
        );
        assert_eq!(st.rest().len(), 1);
        assert_eq!(st.back(), Some(Some("after-1".into())));
        st.ran(Some("after-1".into()));
        assert_eq!(st.reset(), Some(None));
        assert_eq!(st.position().done, 0);
        assert_eq!(st.reset(), None);
        assert_eq!(st.back(), None);
    }

    #[test]
    fn it_never_runs_past_the_end_and_round_trips() {
        let mut st = Stepper::new("select 1");
        st.ran(None);
        st.ran(Some("x".into()));
        assert_eq!(st.position().done, 1);
        assert!(st.next().is_none() && st.rest().is_empty());
        let again = Stepper::from_stored(st.stored());
        assert_eq!(again, st);
        assert!(again.is_for("select 1"));
        // A stored stepper longer than its script (edited elsewhere) is cut to it.
        let odd = Stepper::from_stored(StoredStepper {
            source: "select 1".into(),
            before: vec![None, None, None],
        });
        assert_eq!(odd.position().done, 1);
    }
}
