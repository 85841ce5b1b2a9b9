//! The script stepper as plain state: a script run one statement at a time, and what undoing
//! steps takes. The database before the first step is the page's saved database plus the
//! first `start_log` writes of its log; each step may add one write.
//!
//! Undoing steps truncates that log and, when an undone step wrote, restarts the engine from
//! it (the page replays the log); a step that only read is undone by removing its panel.

use crate::split::{split_script, ScriptStatement};
use serde::{Deserialize, Serialize};

/// The stepper as stored in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StoredStepper {
    pub source: String,
    /// Statements run so far.
    pub done: usize,
    /// The page's log length when the first step ran.
    pub start_log: usize,
    /// Whether each step run so far may have changed the database.
    pub wrote: Vec<bool>,
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

/// What undoing steps takes: keep the first `log_len` writes of the page's log, and restart
/// the engine from them when `restart` (an undone step wrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undo {
    pub log_len: usize,
    pub restart: bool,
    /// How many steps were undone (their panels go).
    pub steps: usize,
}

/// What an edit of the script did to the stepper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The statements already run are still the first ones of the script: stepping goes on.
    Kept,
    /// They changed: every step is undone.
    Reset(Undo),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stepper {
    source: String,
    statements: Vec<ScriptStatement>,
    start_log: usize,
    wrote: Vec<bool>,
}

impl Stepper {
    /// A stepper at the start of `source`, the page's log being `log_len` writes long.
    pub fn new(source: &str, log_len: usize) -> Self {
        Self {
            source: source.to_owned(),
            statements: split_script(source),
            start_log: log_len,
            wrote: vec![],
        }
    }

    pub fn from_stored(stored: StoredStepper) -> Self {
        let mut st = Self::new(&stored.source, stored.start_log);
        st.wrote = stored.wrote;
        st.wrote.truncate(st.statements.len().min(stored.done));
        st
    }

    pub fn stored(&self) -> StoredStepper {
        StoredStepper {
            source: self.source.clone(),
            done: self.wrote.len(),
            start_log: self.start_log,
            wrote: self.wrote.clone(),
        }
    }

    /// True when this stepper walks exactly `source`.
    pub fn is_for(&self, source: &str) -> bool {
        self.source == source
    }

    pub fn position(&self) -> Position {
        let done = self.wrote.len();
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
        self.statements.get(self.wrote.len())
    }

    /// Every statement not run yet.
    pub fn rest(&self) -> &[ScriptStatement] {
        &self.statements[self.wrote.len().min(self.statements.len())..]
    }

    /// True when every statement has run.
    pub fn finished(&self) -> bool {
        self.wrote.len() >= self.statements.len()
    }

    /// Records that the next statement ran (and whether it may have changed the database).
    pub fn ran(&mut self, wrote: bool) {
        if !self.finished() {
            self.wrote.push(wrote);
        }
    }

    /// Undoes the last step, if one ran.
    pub fn back(&mut self) -> Option<Undo> {
        let wrote = self.wrote.pop()?;
        Some(Undo {
            log_len: self.log_len(),
            restart: wrote,
            steps: 1,
        })
    }

    /// Undoes every step, if one ran.
    pub fn reset(&mut self) -> Option<Undo> {
        if self.wrote.is_empty() {
            return None;
        }
        let steps = self.wrote.len();
        let restart = self.wrote.iter().any(|w| *w);
        self.wrote.clear();
        Some(Undo {
            log_len: self.start_log,
            restart,
            steps,
        })
    }

    /// The script was edited: stepping goes on when the statements already run are still the
    /// script's first ones (same text, same order), else every step is undone.
    pub fn edit(&mut self, source: &str) -> Edited {
        let statements = split_script(source);
        let done = self.wrote.len();
        let same = statements.len() >= done
            && statements
                .iter()
                .zip(&self.statements)
                .take(done)
                .all(|(a, b)| a.sql == b.sql);
        let outcome = if same {
            Edited::Kept
        } else {
            match self.reset() {
                Some(undo) => Edited::Reset(undo),
                None => Edited::Kept,
            }
        };
        self.source = source.to_owned();
        self.statements = statements;
        outcome
    }

    /// The page saved: its first `writes` logged writes moved into the saved database.
    pub fn compacted(&mut self, writes: usize) {
        self.start_log = self.start_log.saturating_sub(writes);
    }

    /// True when a step has run (undoing it needs the page's log as it is).
    pub fn stepped(&self) -> bool {
        !self.wrote.is_empty()
    }

    /// The page's log length with the steps run so far.
    fn log_len(&self) -> usize {
        self.start_log + self.wrote.iter().filter(|w| **w).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_forward_back_and_reset() {
        let mut st = Stepper::new("select 1; insert into t values (1); select 2", 3);
        assert_eq!(st.position().total, 3);
        assert_eq!(st.next().map(|s| s.sql.as_str()), Some("select 1"));
        st.ran(false);
        st.ran(true);
        assert_eq!(st.position().done, 2);
        assert_eq!(
            st.position().current.map(|s| s.sql),
            Some("insert into t values (1)".into())
        );
        assert_eq!(st.rest().len(), 1);
        // Back over the INSERT: the log loses its write, the engine restarts.
        assert_eq!(
            st.back(),
            Some(Undo {
                log_len: 3,
                restart: true,
                steps: 1
            })
        );
        // Back over a SELECT: nothing to restart.
        assert_eq!(
            st.back(),
            Some(Undo {
                log_len: 3,
                restart: false,
                steps: 1
            })
        );
        assert_eq!(st.back(), None);
        st.ran(false);
        st.ran(true);
        st.ran(false);
        assert!(st.finished());
        st.ran(true);
        assert_eq!(st.position().done, 3, "never past the end");
        assert_eq!(
            st.reset(),
            Some(Undo {
                log_len: 3,
                restart: true,
                steps: 3
            })
        );
        assert_eq!(st.reset(), None);
    }

    #[test]
    fn an_edit_keeps_the_steps_run_or_undoes_them() {
        let mut st = Stepper::new("select 1; select 2", 0);
        st.ran(true);
        assert_eq!(st.edit("select 1;\nselect 3; select 4"), Edited::Kept);
        assert_eq!(st.position().total, 3);
        assert_eq!(st.next().map(|s| s.sql.as_str()), Some("select 3"));
        assert_eq!(
            st.edit("select 9; select 3"),
            Edited::Reset(Undo {
                log_len: 0,
                restart: true,
                steps: 1
            })
        );
        assert_eq!(st.position().done, 0);
        assert!(st.is_for("select 9; select 3"));
    }

    #[test]
    fn it_round_trips_and_trusts_no_stored_count() {
        let mut st = Stepper::new("select 1; select 2", 2);
        st.ran(false);
        assert_eq!(Stepper::from_stored(st.stored()), st);
        let odd = Stepper::from_stored(StoredStepper {
            source: "select 1".into(),
            done: 5,
            start_log: 0,
            wrote: vec![false, true, true],
        });
        assert_eq!(odd.position().done, 1);
    }
}
