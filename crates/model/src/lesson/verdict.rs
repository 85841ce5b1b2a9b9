//! What checking an answer says: right or what kind of wrong, on which (smallest) database the
//! answer and the reference part, both results there, and the first clause where they part.

use super::compare::Mismatch;
use crate::error::Localized;
use crate::result::{Cell, Column, Output, StatementError};
use crate::trace::{Stage, Trace};
use serde::{Deserialize, Serialize};

/// The kind of verdict (the CLI's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Correct,
    /// The answer is empty, or not the kind of SQL the lesson asks for.
    Invalid,
    /// The answer failed with an error.
    Error,
    WrongColumns,
    MissingRows,
    ExtraRows,
    WrongValues,
    WrongOrder,
    /// Right on the visible data, wrong on a database made to tell them apart.
    NotGeneral,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Correct => "correct",
            Reason::Invalid => "invalid",
            Reason::Error => "error",
            Reason::WrongColumns => "wrong_columns",
            Reason::MissingRows => "missing_rows",
            Reason::ExtraRows => "extra_rows",
            Reason::WrongValues => "wrong_values",
            Reason::WrongOrder => "wrong_order",
            Reason::NotGeneral => "not_general",
        }
    }

    /// The reason a mismatch gives on the visible data.
    pub fn of(mismatch: &Mismatch) -> Reason {
        match mismatch {
            Mismatch::WrongColumns { .. } => Reason::WrongColumns,
            Mismatch::MissingRows { .. } => Reason::MissingRows,
            Mismatch::ExtraRows { .. } => Reason::ExtraRows,
            Mismatch::WrongValues { .. } => Reason::WrongValues,
            Mismatch::WrongOrder { .. } => Reason::WrongOrder,
        }
    }
}

/// A table of the database shown with a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedTable {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// Where the answer's step-by-step view first differs from the reference's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// The index of the step in the answer's trace.
    pub step: usize,
    pub stage: Stage,
    pub label: String,
    /// Rows this step keeps in the answer and in the reference.
    pub kept: usize,
    pub expected_kept: usize,
    /// The reference has this clause before this step, and the answer does not.
    #[serde(default)]
    pub missing: Option<Stage>,
    /// The answer has this clause, and the reference does not.
    #[serde(default)]
    pub extra: bool,
}

/// The database on which the answer and the reference were told apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Witness {
    /// What was changed from the lesson's database, or `None` for the visible data.
    pub variant: Option<Localized>,
    /// Its tables that either query reads (after shrinking: the fewest rows that still tell
    /// them apart).
    pub tables: Vec<NamedTable>,
    /// What the answer and the reference give there (the answer's error, if it failed).
    pub answer: Result<Output, StatementError>,
    pub expected: Output,
    pub divergence: Option<Divergence>,
    /// The answer's steps on this database.
    pub trace: Option<Trace>,
}

/// The verdict on one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub lesson: String,
    pub correct: bool,
    pub reason: Reason,
    pub mismatch: Option<Mismatch>,
    pub message: Localized,
    /// The feedback of the `[[wrong]]` answer this one behaves like.
    pub feedback: Option<Localized>,
    pub error: Option<StatementError>,
    pub witness: Option<Witness>,
    /// How many databases the answer was run on.
    pub databases: usize,
}

impl Verdict {
    /// The one-line message of a reason.
    pub fn message_of(reason: Reason, mismatch: Option<&Mismatch>, databases: usize) -> Localized {
        let detail = mismatch.map(mismatch_text);
        let (ko, en) = match reason {
            Reason::Correct => (
                format!(
                    "정답입니다! 데이터베이스 {databases}개에서 모범 답안과 같은 결과를 냈습니다."
                ),
                format!("Correct! The same result as the model answer on {databases} databases."),
            ),
            Reason::Invalid => (
                "이 레슨이 묻는 형태의 SQL이 아닙니다.".to_owned(),
                "This is not the kind of SQL the lesson asks for.".to_owned(),
            ),
            Reason::Error => (
                "답이 오류로 끝났습니다.".to_owned(),
                "The answer ended with an error.".to_owned(),
            ),
            Reason::NotGeneral => {
                let (ko, en) = detail.map(|d| (d.ko, d.en)).unwrap_or_default();
                (
                    format!("보이는 데이터에서는 맞지만, 다른 데이터에서는 틀립니다: {ko}"),
                    format!("Right on the visible data, but not in general: {en}"),
                )
            }
            _ => detail.map(|d| (d.ko, d.en)).unwrap_or_default(),
        };
        Localized::new(ko, en)
    }
}

/// A mismatch in words.
pub fn mismatch_text(m: &Mismatch) -> Localized {
    match m {
        Mismatch::WrongColumns { expected, got } => Localized::new(
            format!(
                "열이 다릅니다: {}개 열({})이어야 하는데 {}개 열({})입니다.",
                expected.len(),
                expected.join(", "),
                got.len(),
                got.join(", ")
            ),
            format!(
                "Wrong columns: {} expected ({}), {} given ({}).",
                expected.len(),
                expected.join(", "),
                got.len(),
                got.join(", ")
            ),
        ),
        Mismatch::MissingRows { missing } => Localized::new(
            format!("행 {missing}개가 빠졌습니다."),
            format!("{missing} row(s) missing."),
        ),
        Mismatch::ExtraRows { extra } => Localized::new(
            format!("있으면 안 되는 행이 {extra}개 있습니다."),
            format!("{extra} extra row(s)."),
        ),
        Mismatch::WrongValues { missing, extra } => Localized::new(
            format!("값이 다릅니다: 있어야 할 행 {missing}개 대신 다른 행 {extra}개가 있습니다."),
            format!("Wrong values: {extra} row(s) in place of {missing} expected."),
        ),
        Mismatch::WrongOrder { row } => Localized::new(
            format!("행은 맞지만 순서가 다릅니다 ({}번째 행부터).", row + 1),
            format!("The right rows in the wrong order (from row {}).", row + 1),
        ),
    }
}

/// The clause a stage stands for, as SQL writes it.
pub fn stage_clause(stage: Stage) -> &'static str {
    match stage {
        Stage::Cte => "WITH",
        Stage::RecursiveAnchor | Stage::RecursiveIteration => "WITH RECURSIVE",
        Stage::From => "FROM",
        Stage::Join => "JOIN",
        Stage::Where => "WHERE",
        Stage::GroupBy => "GROUP BY",
        Stage::Having => "HAVING",
        Stage::Window => "OVER",
        Stage::Select => "SELECT",
        Stage::Distinct => "DISTINCT",
        Stage::OrderBy => "ORDER BY",
        Stage::Limit => "LIMIT",
        Stage::SetOperation => "UNION",
        Stage::Before | Stage::After | Stage::Privileges => "",
    }
}

/// Where the answer leaves the reference, in words.
pub fn divergence_text(d: &Divergence) -> Localized {
    let n = d.step + 1;
    let label = &d.label;
    if let Some(missing) = d.missing {
        let clause = stage_clause(missing);
        return Localized::new(
            format!("{n}번째 단계({label}) 언저리에서 모범 답안은 {clause}로 행을 바꿉니다. 내 답에는 그 절이 없습니다."),
            format!("Around step {n} ({label}) the model answer changes the rows with {clause}; your answer has no such clause."),
        );
    }
    if d.extra {
        return Localized::new(
            format!("{n}번째 단계 {label}: 모범 답안에 없는 절이 행을 바꿉니다 ({}행이 남음).", d.kept),
            format!("Step {n}, {label}: a clause the model answer does not have changes the rows ({} kept).", d.kept),
        );
    }
    let same = if d.kept == d.expected_kept {
        (
            " 행 수는 같지만 값이나 순서가 다릅니다.",
            " The same number of rows, but other values or another order.",
        )
    } else {
        ("", "")
    };
    Localized::new(
        format!("처음 달라지는 단계: {n}번째 단계 {label} — 내 답은 {}행, 모범 답안은 {}행을 남깁니다.{}", d.kept, d.expected_kept, same.0),
        format!("First step that differs: step {n}, {label} — your answer keeps {} rows, the model answer {}.{}", d.kept, d.expected_kept, same.1),
    )
}
