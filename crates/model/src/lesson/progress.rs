//! A learner's progress through the lessons: a slot of the session (it survives a reload) and
//! the small report a learner hands in.

use crate::export::to_csv;
use crate::result::Cell;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The last SQL kept per lesson is cut at this many bytes.
pub const LAST_SQL_LIMIT: usize = 16 * 1024;

/// Where a learner stands in one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonState {
    NotStarted,
    Tried,
    Solved,
    AnswerShown,
}

/// One lesson's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LessonProgress {
    pub attempts: u32,
    pub solved: bool,
    /// The attempt that first solved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved_at: Option<u32>,
    /// "정답 보기" was used (recorded, also after solving).
    pub answer_shown: bool,
    pub hints_shown: u32,
    /// The answer as last typed (kept while typing, so a reload finds it).
    pub last_sql: String,
}

impl LessonProgress {
    pub fn state(&self) -> LessonState {
        if self.solved {
            LessonState::Solved
        } else if self.answer_shown {
            LessonState::AnswerShown
        } else if self.attempts > 0 {
            LessonState::Tried
        } else {
            LessonState::NotStarted
        }
    }
}

/// Every lesson's record, and the lesson open last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Progress {
    pub lessons: BTreeMap<String, LessonProgress>,
    #[serde(default)]
    pub current: Option<String>,
}

impl Progress {
    pub fn of(&self, id: &str) -> LessonProgress {
        self.lessons.get(id).cloned().unwrap_or_default()
    }

    pub fn state(&self, id: &str) -> LessonState {
        self.lessons
            .get(id)
            .map_or(LessonState::NotStarted, LessonProgress::state)
    }

    /// The answer being typed.
    pub fn set_sql(&mut self, id: &str, sql: &str) {
        let entry = self.lessons.entry(id.to_owned()).or_default();
        entry.last_sql = cut(sql);
    }

    /// One check of an answer.
    pub fn record_attempt(&mut self, id: &str, sql: &str, correct: bool) {
        let entry = self.lessons.entry(id.to_owned()).or_default();
        entry.attempts = entry.attempts.saturating_add(1);
        entry.last_sql = cut(sql);
        if correct && !entry.solved {
            entry.solved = true;
            entry.solved_at = Some(entry.attempts);
        }
    }

    pub fn record_hint(&mut self, id: &str) {
        let entry = self.lessons.entry(id.to_owned()).or_default();
        entry.hints_shown = entry.hints_shown.saturating_add(1);
    }

    pub fn record_answer_shown(&mut self, id: &str) {
        self.lessons.entry(id.to_owned()).or_default().answer_shown = true;
    }

    /// The report a learner hands in, as CSV for a spreadsheet (`titles`: id and title of
    /// every lesson, in the lessons' order).
    pub fn report_csv(&self, titles: &[(String, String)]) -> Vec<u8> {
        let columns: Vec<String> = [
            "lesson",
            "title",
            "state",
            "solved",
            "attempts",
            "solved_at",
            "hints",
            "answer_shown",
            "last_sql",
        ]
        .map(str::to_owned)
        .to_vec();
        let rows: Vec<Vec<Cell>> = titles
            .iter()
            .map(|(id, title)| {
                let p = self.of(id);
                let state = match p.state() {
                    LessonState::NotStarted => "not_started",
                    LessonState::Tried => "tried",
                    LessonState::Solved => "solved",
                    LessonState::AnswerShown => "answer_shown",
                };
                vec![
                    Cell::Text(id.clone()),
                    Cell::Text(title.clone()),
                    Cell::Text(state.to_owned()),
                    Cell::Bool(p.solved),
                    Cell::Int(i64::from(p.attempts)),
                    p.solved_at.map_or(Cell::Null, |a| Cell::Int(i64::from(a))),
                    Cell::Int(i64::from(p.hints_shown)),
                    Cell::Bool(p.answer_shown),
                    Cell::Text(p.last_sql.clone()),
                ]
            })
            .collect();
        to_csv(&columns, &rows)
    }
}

fn cut(sql: &str) -> String {
    if sql.len() <= LAST_SQL_LIMIT {
        return sql.to_owned();
    }
    let mut end = LAST_SQL_LIMIT;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    sql[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_solving_and_the_answer_shown() {
        let mut p = Progress::default();
        assert_eq!(p.state("a"), LessonState::NotStarted);
        p.record_attempt("a", "SELECT 1", false);
        assert_eq!(p.state("a"), LessonState::Tried);
        p.record_answer_shown("a");
        assert_eq!(p.state("a"), LessonState::AnswerShown);
        p.record_attempt("a", "SELECT 2", true);
        p.record_attempt("a", "SELECT 3", true);
        let a = p.of("a");
        assert_eq!(
            (a.state(), a.attempts, a.solved_at),
            (LessonState::Solved, 3, Some(2))
        );
        assert!(a.answer_shown, "showing the answer stays recorded");
        assert_eq!(a.last_sql, "SELECT 3");
    }

    #[test]
    fn the_report_lists_every_lesson_in_order() {
        let mut p = Progress::default();
        p.record_attempt("b", "SELECT \"x\",\n1", true);
        let csv = p.report_csv(&[("a".into(), "첫째".into()), ("b".into(), "둘째".into())]);
        let csv = String::from_utf8(csv).expect("utf-8");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[1], "a,첫째,not_started,0,0,,0,0,");
        assert!(lines[2].starts_with("b,둘째,solved,1,1,1,0,0,\"SELECT \"\"x\"\",\n1\""));
    }

    #[test]
    fn long_answers_are_cut_on_a_character() {
        let mut p = Progress::default();
        p.set_sql("a", &"가".repeat(LAST_SQL_LIMIT));
        assert!(p.of("a").last_sql.len() <= LAST_SQL_LIMIT);
    }
}
