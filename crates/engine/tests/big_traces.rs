//! Steps at real sizes: explaining a self-join of 10,000 rows reads a bounded number of rows
//! per stage (the JOIN stage says it was cut and keeps its exact place in the pipeline), and
//! a complete trace's last stage is still the engine's answer.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{Engine, EngineOptions, FixedClock, RunOptions, TRACE_ROW_BOUND};
use sqlnori_model::trace::{RowMark, Stage};
use sqlnori_model::{split_script, Cell, Output};

const CLOCK: FixedClock = FixedClock { epoch_ms: 0 };

/// `scores (id, kor)`: 10,000 rows, `kor` in 0..100.
fn big() -> Engine {
    let mut e = Engine::new(&EngineOptions::default(), "db");
    let mut script = String::from("CREATE TABLE scores (id INT PRIMARY KEY, kor INT);\n");
    for chunk in 0..10 {
        let rows: Vec<String> = (0..1000)
            .map(|i| {
                let id = chunk * 1000 + i;
                format!("({id}, {})", (id * 37) % 100)
            })
            .collect();
        script.push_str(&format!("INSERT INTO scores VALUES {};\n", rows.join(",")));
    }
    for r in e.run_script(&script, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    e
}

#[test]
fn a_self_join_of_ten_thousand_rows_is_explained_within_the_bound() {
    let mut e = big();
    let sql = "SELECT a.id, b.id FROM scores a JOIN scores b ON a.kor = b.kor AND a.id < b.id WHERE a.id <= 300 LIMIT 1000";
    let stmt = split_script(sql).remove(0);
    let answer = e.run_statement(&stmt, &CLOCK);
    assert!(answer.is_ok(), "{:?}", answer.outcome);
    let trace = e.explain(&stmt, &CLOCK);
    assert!(trace.error.is_none(), "{:?}", trace.error);
    let stages: Vec<Stage> = trace.steps.iter().map(|s| s.stage).collect();
    assert!(stages.contains(&Stage::Join), "{stages:?}");
    for step in &trace.steps {
        assert!(
            step.table.total <= TRACE_ROW_BOUND,
            "{:?} holds {} rows",
            step.stage,
            step.table.total
        );
    }
    assert!(trace.note.is_some(), "a cut trace says so");
}

#[test]
fn a_complete_trace_of_a_big_table_ends_with_the_answer() {
    let mut e = big();
    let sql =
        "SELECT kor, COUNT(*) AS n FROM scores WHERE id < 5000 GROUP BY kor ORDER BY kor LIMIT 5";
    let stmt = split_script(sql).remove(0);
    let answer = e.run_statement(&stmt, &CLOCK);
    let trace = e.explain(&stmt, &CLOCK);
    assert!(trace.note.is_none(), "10,000 rows fit the bound");
    let last = trace.steps.last().expect("steps");
    let Ok(Output::Rows { rows, .. }) = answer.outcome else {
        panic!("{:?}", answer.outcome);
    };
    let shown: Vec<Vec<Cell>> = last
        .table
        .rows
        .iter()
        .filter(|r| r.mark == RowMark::Kept)
        .map(|r| r.cells.clone())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(shown, rows);
}
