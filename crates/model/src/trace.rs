//! The step-by-step view's data: what each clause of a statement did, as plain serde data.
//!
//! A [`Trace`] is a list of [`Step`]s in the order SQL evaluates them (CTEs first, then
//! FROM, each JOIN, WHERE, GROUP BY, HAVING, window functions, SELECT, DISTINCT, ORDER BY,
//! LIMIT), or, for a statement that changes data, the table before and after. The engine
//! fills it in (`engine/trace.rs`); this module only describes it and explains each stage in
//! Korean and English.

use crate::error::Localized;
use crate::result::{Cell, Column};
use serde::{Deserialize, Serialize};

/// Rows per stage sent to the page at once; the rest is fetched page by page.
pub const TRACE_PAGE_ROWS: usize = 50;

/// Version of the trace's JSON shape (part of the CLI's `trace --json` output).
pub const TRACE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Trace {
    pub version: u32,
    pub steps: Vec<Step>,
    /// Why tracing stopped early; the steps before the failure stay.
    pub error: Option<Localized>,
    /// Set when a part of the statement could not be traced clause by clause (the result
    /// is still right; the steps then show less).
    pub note: Option<Localized>,
}

/// Which clause a step shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Run by an account other than root: each object touched, the privilege it needs, the
    /// grant that allowed it (or that none did).
    Privileges,
    Cte,
    RecursiveAnchor,
    RecursiveIteration,
    From,
    Join,
    Where,
    GroupBy,
    Having,
    Window,
    Select,
    Distinct,
    OrderBy,
    Limit,
    SetOperation,
    Before,
    After,
}

/// What happened to a row at this stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowMark {
    /// Goes on to the next stage.
    #[default]
    Kept,
    /// WHERE/HAVING: the condition was false.
    DroppedFalse,
    /// WHERE/HAVING: the condition was NULL (unknown), which drops the row too.
    DroppedNull,
    /// DISTINCT: the same as an earlier row.
    Duplicate,
    /// LIMIT/OFFSET: outside the rows kept.
    Cut,
    Inserted,
    Deleted,
    Updated,
    /// The privilege check: no grant allows this need, so the statement is refused.
    Denied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceRow {
    pub cells: Vec<Cell>,
    pub mark: RowMark,
    /// Columns whose value changed (UPDATE), by position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<usize>,
    /// ORDER BY: the row's position (0-based) before sorting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<usize>,
}

/// A stage's rows. `rows` may hold one page (`offset`, up to [`TRACE_PAGE_ROWS`]) of `total`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StageTable {
    pub columns: Vec<Column>,
    pub rows: Vec<TraceRow>,
    pub total: usize,
    pub offset: usize,
    /// The rows are those of step `n` of the same trace, without its marks (FROM before a
    /// WHERE that keeps them all, marked): only the first page is kept here. See
    /// [`Trace::page_at`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_of_step: Option<usize>,
}

/// One group of GROUP BY: its key, the positions of its rows in the previous stage's table,
/// and the aggregates computed from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub key: Vec<Cell>,
    pub rows: Vec<usize>,
    pub aggregates: Vec<Cell>,
}

/// A recursive CTE's rows so far at each of its steps (the anchor's, then each iteration's
/// added), for drawing the hierarchy as it grows; `None` for other steps and once a step's
/// table is only a page of its rows.
pub fn recursion_so_far(steps: &[Step]) -> Vec<Option<Vec<Vec<Cell>>>> {
    let mut so_far: Option<Vec<Vec<Cell>>> = Some(Vec::new());
    steps
        .iter()
        .map(|step| {
            if !matches!(
                step.stage,
                Stage::RecursiveAnchor | Stage::RecursiveIteration
            ) {
                return None;
            }
            let complete = step.table.total == step.table.rows.len();
            so_far = so_far.take().filter(|_| complete).map(|mut rows| {
                rows.extend(step.table.rows.iter().map(|r| r.cells.clone()));
                rows
            });
            so_far.clone()
        })
        .collect()
}

/// Which group each row of the stage before GROUP BY went into: row position → group number
/// (in the order of `groups`), so the page can band the rows by group in one colour each.
pub fn group_bands(groups: &[Group]) -> std::collections::HashMap<usize, usize> {
    groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.rows.iter().map(move |&r| (r, g)))
        .collect()
}

/// A query inside the statement traced on its own (a CTE's body, a derived table, a
/// subquery, one side of a UNION).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nested {
    pub title: String,
    pub trace: Trace,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub stage: Stage,
    /// The clause as written (`WHERE kor >= 80`).
    pub label: String,
    /// What the clause does and why it runs at this point.
    pub explain: Localized,
    pub table: StageTable,
    /// GROUP BY only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// GROUP BY only: the aggregates' SQL, naming `Group::aggregates`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregate_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nested: Vec<Nested>,
    /// Something the learner should know about this step (why a recursion stopped, the
    /// AUTO_INCREMENT counter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Localized>,
}

impl Step {
    pub fn new(stage: Stage, label: impl Into<String>, table: StageTable) -> Self {
        Self {
            stage,
            label: label.into(),
            explain: explain(stage),
            table,
            groups: vec![],
            aggregate_names: vec![],
            nested: vec![],
            note: None,
        }
    }
}

impl StageTable {
    /// A table of all its rows (`total` = the row count).
    pub fn full(columns: Vec<Column>, rows: Vec<TraceRow>) -> Self {
        Self {
            total: rows.len(),
            columns,
            rows,
            offset: 0,
            rows_of_step: None,
        }
    }

    /// A table whose rows are step `step`'s (this one keeps their first page, unmarked).
    pub fn same_rows_as(step: usize, of: &StageTable, page: usize) -> Self {
        let mut first = of.page(0, page);
        for r in &mut first.rows {
            r.mark = RowMark::Kept;
        }
        first.rows_of_step = Some(step);
        first
    }

    /// Rows `[offset, offset + len)` of this table.
    pub fn page(&self, offset: usize, len: usize) -> StageTable {
        let start = offset.min(self.rows.len());
        let end = start.saturating_add(len).min(self.rows.len());
        StageTable {
            columns: self.columns.clone(),
            rows: self.rows[start..end].to_vec(),
            total: self.total,
            offset: start,
            rows_of_step: self.rows_of_step,
        }
    }
}

impl Trace {
    pub fn new(steps: Vec<Step>) -> Self {
        Self {
            version: TRACE_VERSION,
            steps,
            error: None,
            note: None,
        }
    }

    /// The trace with each stage cut to its first page (nested traces too): what the page
    /// receives first. Totals stay, so nothing is cut silently.
    pub fn first_page(&self, len: usize) -> Trace {
        Trace {
            steps: self
                .steps
                .iter()
                .map(|s| Step {
                    table: s.table.page(0, len),
                    nested: s
                        .nested
                        .iter()
                        .map(|n| Nested {
                            title: n.title.clone(),
                            trace: n.trace.first_page(len),
                        })
                        .collect(),
                    ..s.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// How many rows the trace holds in all (nested traces too): its memory cost.
    pub fn row_count(&self) -> usize {
        self.steps
            .iter()
            .map(|s| {
                s.table.rows.len() + s.nested.iter().map(|n| n.trace.row_count()).sum::<usize>()
            })
            .sum()
    }

    /// Rows `[offset, offset + len)` of the step at `path`, read from the step that holds
    /// them when this one shares another's rows.
    pub fn page_at(&self, path: &[usize], offset: usize, len: usize) -> Option<StageTable> {
        let (&last, parents) = path.split_last()?;
        let siblings = self.trace_at(parents)?;
        let table = &siblings.steps.get(last)?.table;
        match table.rows_of_step.and_then(|s| siblings.steps.get(s)) {
            Some(holder) => {
                let mut page = holder.table.page(offset, len);
                for r in &mut page.rows {
                    r.mark = RowMark::Kept;
                }
                page.columns = table.columns.clone();
                page.rows_of_step = table.rows_of_step;
                Some(page)
            }
            None => Some(table.page(offset, len)),
        }
    }

    /// The trace at `path` of nested steps (`[step, nested, step, nested, …]`); `[]` is self.
    fn trace_at(&self, path: &[usize]) -> Option<&Trace> {
        match path {
            [] => Some(self),
            [step, nested, rest @ ..] => self
                .steps
                .get(*step)?
                .nested
                .get(*nested)?
                .trace
                .trace_at(rest),
            _ => None,
        }
    }

    /// The table of the step at `path` (indices of steps, through nested traces:
    /// `[2, 0, 1]` is step 1 of the first nested trace of step 2).
    pub fn table_at(&self, path: &[usize]) -> Option<&StageTable> {
        let (&first, rest) = path.split_first()?;
        let step = self.steps.get(first)?;
        match rest.split_first() {
            None => Some(&step.table),
            Some((&nested, deeper)) => step.nested.get(nested)?.trace.table_at(deeper),
        }
    }
}

/// What each clause does, and why it runs where it does (learners mix up the written order
/// with the evaluation order).
pub fn explain(stage: Stage) -> Localized {
    let (ko, en) = match stage {
        Stage::Privileges => (
            "root가 아닌 계정으로 실행하면 MySQL은 먼저 권한을 확인합니다: 문장이 읽거나 바꾸는 데이터베이스, 표, 열마다 필요한 권한을 GRANT로 받았는지 봅니다. 하나라도 없으면 아무것도 바꾸지 않고 거부합니다.",
            "Run by an account other than root, MySQL first checks privileges: for every database, table and column the statement reads or changes, was the needed privilege granted? If any is missing, the statement is refused and nothing changes.",
        ),
        Stage::Cte => (
            "WITH의 CTE가 가장 먼저 계산됩니다. 이름 붙은 임시 결과표가 되어, 뒤의 쿼리가 테이블처럼 읽습니다.",
            "A WITH query (CTE) is computed first. It becomes a named temporary table that the rest of the statement reads like a table.",
        ),
        Stage::RecursiveAnchor => (
            "재귀 CTE는 먼저 UNION 위쪽(기초 부분)을 한 번 실행합니다. 이 행들이 첫 번째 작업 집합입니다.",
            "A recursive CTE first runs the part above UNION (the anchor) once. Its rows are the first working set.",
        ),
        Stage::RecursiveIteration => (
            "재귀 부분은 직전 단계에서 새로 생긴 행만 CTE 이름으로 읽어 다음 행을 만듭니다. 새 행이 없으면 멈춥니다.",
            "The recursive part reads only the rows the previous step added (through the CTE's name) and makes the next rows. It stops when no new rows come.",
        ),
        Stage::From => (
            "FROM이 가장 먼저 실행됩니다. 어느 테이블의 행을 읽을지 정합니다. SELECT에 쓴 별칭은 아직 없습니다.",
            "FROM runs first: it decides which table's rows are read. Aliases written in SELECT do not exist yet.",
        ),
        Stage::Join => (
            "JOIN은 지금까지의 각 행을 다른 테이블의 행과 ON 조건으로 짝지어 붙입니다. LEFT JOIN은 짝이 없는 왼쪽 행도 NULL로 채워 남깁니다.",
            "JOIN pairs every row so far with the rows of another table that meet the ON condition. LEFT JOIN also keeps left rows without a partner, filled with NULL.",
        ),
        Stage::Where => (
            "WHERE는 행을 하나씩 검사해 조건이 참인 행만 남깁니다. 거짓이거나 NULL(알 수 없음)이면 버려집니다. 그룹을 만들기 전이라 집계 함수와 SELECT 별칭은 쓸 수 없습니다.",
            "WHERE tests each row and keeps only those where the condition is true; false or NULL (unknown) drops the row. It runs before grouping, so aggregates and SELECT aliases cannot be used here.",
        ),
        Stage::GroupBy => (
            "GROUP BY는 남은 행을 같은 값끼리 묶고, 묶음마다 집계 함수(COUNT, SUM, AVG …)를 계산합니다. 이후 단계는 행이 아니라 그룹을 봅니다. 글자는 MySQL의 기본 콜레이션대로 대소문자와 악센트를 무시하고 비교합니다('Kim'과 'KIM'은 한 그룹).",
            "GROUP BY puts the remaining rows with equal values together and computes the aggregates (COUNT, SUM, AVG …) for each group. Later stages see groups, not rows. Text compares as MySQL's default collation does, ignoring case and accents ('Kim' and 'KIM' are one group).",
        ),
        Stage::Having => (
            "HAVING은 그룹에 대한 WHERE입니다. 집계가 끝난 뒤에 실행되므로 집계 함수로 그룹을 거를 수 있습니다.",
            "HAVING is WHERE for groups. It runs after the aggregates are computed, so it can filter groups by them.",
        ),
        Stage::Window => (
            "윈도 함수(OVER)는 WHERE·GROUP BY·HAVING이 끝난 행들을 보고, 행을 줄이지 않은 채 순위나 누적값을 계산합니다.",
            "Window functions (OVER) look at the rows left after WHERE, GROUP BY and HAVING and compute ranks or running values without merging rows.",
        ),
        Stage::Select => (
            "SELECT는 남은 행(또는 그룹)마다 보여 줄 열과 식을 계산합니다. 별칭은 여기서 생기므로 WHERE에서는 못 쓰고 ORDER BY에서는 쓸 수 있습니다.",
            "SELECT computes the columns and expressions to show for each remaining row (or group). Aliases are born here, so WHERE cannot use them but ORDER BY can.",
        ),
        Stage::Distinct => (
            "DISTINCT는 SELECT 결과에서 같은 행을 하나만 남깁니다. 글자는 대소문자와 악센트를 무시하고 비교합니다('Seoul'과 'seoul'은 같은 값).",
            "DISTINCT keeps one row of each set of equal SELECT results. Text compares ignoring case and accents, as MySQL's default collation does ('Seoul' equals 'seoul').",
        ),
        Stage::OrderBy => (
            "ORDER BY는 결과를 정렬합니다. SELECT 다음에 실행되어 별칭을 쓸 수 있습니다. MySQL은 NULL을 가장 작은 값으로 봅니다.",
            "ORDER BY sorts the result. It runs after SELECT, so it can use aliases. MySQL treats NULL as the smallest value.",
        ),
        Stage::Limit => (
            "LIMIT/OFFSET은 가장 마지막에 실행됩니다. 정렬된 결과에서 앞의 몇 행을 건너뛰고 정해진 수만큼만 남깁니다.",
            "LIMIT/OFFSET runs last: it skips rows from the start of the sorted result and keeps only as many as asked.",
        ),
        Stage::SetOperation => (
            "UNION은 두 SELECT의 결과를 이어 붙입니다. UNION은 중복 행을 없애고, UNION ALL은 그대로 둡니다. 열 이름은 첫 번째 SELECT를 따릅니다.",
            "UNION appends the results of two SELECTs. UNION removes duplicate rows; UNION ALL keeps them. Column names come from the first SELECT.",
        ),
        Stage::Before => (
            "문장을 실행하기 전의 테이블입니다. 지워질 행과 바뀔 행이 표시됩니다.",
            "The table before the statement ran. Rows about to be deleted or changed are marked.",
        ),
        Stage::After => (
            "문장을 실행한 뒤의 테이블입니다. 새 행, 바뀐 칸이 표시됩니다.",
            "The table after the statement ran. New rows and changed cells are marked.",
        ),
    };
    Localized::new(ko, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<TraceRow> {
        (0..n)
            .map(|i| TraceRow {
                cells: vec![Cell::Int(i as i64)],
                mark: RowMark::Kept,
                changed: vec![],
                was: None,
            })
            .collect()
    }

    #[test]
    fn a_recursion_adds_its_rows_step_by_step() {
        let step = |stage: Stage, n: usize| Step {
            stage,
            label: String::new(),
            explain: Localized::new("", ""),
            table: StageTable::full(vec![], rows(n)),
            groups: vec![],
            aggregate_names: vec![],
            nested: vec![],
            note: None,
        };
        let grown = recursion_so_far(&[
            step(Stage::RecursiveAnchor, 1),
            step(Stage::RecursiveIteration, 2),
            step(Stage::Select, 3),
        ]);
        let sizes: Vec<Option<usize>> = grown.iter().map(|r| r.as_ref().map(Vec::len)).collect();
        assert_eq!(sizes, [Some(1), Some(3), None]);
    }

    #[test]
    fn rows_band_by_the_group_they_went_into() {
        let group = |rows: Vec<usize>| Group {
            key: vec![],
            rows,
            aggregates: vec![],
        };
        let bands = group_bands(&[group(vec![0, 3]), group(vec![1])]);
        assert_eq!((bands[&0], bands[&3], bands[&1]), (0, 0, 1));
        assert!(
            !bands.contains_key(&2),
            "a row WHERE dropped is in no group"
        );
    }

    #[test]
    fn pages_keep_the_total() {
        let t = StageTable::full(vec![], rows(120));
        let p = t.page(100, 50);
        assert_eq!((p.total, p.offset, p.rows.len()), (120, 100, 20));
        assert_eq!(p.rows[0].cells, vec![Cell::Int(100)]);
        assert_eq!(t.page(500, 50).rows.len(), 0);
    }

    #[test]
    fn a_step_sharing_rows_pages_them_from_their_holder() {
        let mut marked = rows(120);
        marked[1].mark = RowMark::DroppedFalse;
        let holder = StageTable::full(vec![], marked);
        let from = StageTable::same_rows_as(1, &holder, 50);
        assert_eq!(
            (from.rows.len(), from.total, from.rows_of_step),
            (50, 120, Some(1))
        );
        assert_eq!(
            from.rows[1].mark,
            RowMark::Kept,
            "the marks are the holder's, not its own"
        );
        let trace = Trace::new(vec![
            Step::new(Stage::From, "FROM t", from),
            Step::new(Stage::Where, "WHERE x", holder),
        ]);
        let page = trace.page_at(&[0], 100, 50).expect("page");
        assert_eq!((page.offset, page.rows.len()), (100, 20));
        assert_eq!(page.rows[0].cells, vec![Cell::Int(100)]);
        let page = trace.page_at(&[0], 0, 50).expect("page");
        assert_eq!(page.rows[1].mark, RowMark::Kept);
        assert_eq!(
            trace.page_at(&[1], 0, 50).expect("page").rows[1].mark,
            RowMark::DroppedFalse
        );
    }

    #[test]
    fn first_page_cuts_nested_traces_too() {
        let inner = Trace::new(vec![Step::new(
            Stage::From,
            "FROM t",
            StageTable::full(vec![], rows(80)),
        )]);
        let mut outer = Step::new(Stage::Cte, "WITH t", StageTable::full(vec![], rows(70)));
        outer.nested.push(Nested {
            title: "t".into(),
            trace: inner,
        });
        let page = Trace::new(vec![outer]).first_page(10);
        assert_eq!(page.steps[0].table.rows.len(), 10);
        assert_eq!(page.steps[0].table.total, 70);
        assert_eq!(
            page.table_at(&[0, 0, 0]).map(|t| (t.rows.len(), t.total)),
            Some((10, 80))
        );
    }
}
