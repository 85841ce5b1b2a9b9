//! `docs/functions.md` is the function catalogue as a page, each function with an example and
//! the answer this engine gives to it: this test fails when the page and the catalogue (or an
//! answer) part, or when an example does not run; `UPDATE_EXPECT=1` writes the page anew.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use sqlnori_engine::{example_engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::{Cell, Output};
use std::cell::RefCell;

/// 2025-03-01 00:00:00 UTC, as the fixtures: NOW() in Seoul is 09:00 that day.
const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

/// A result as one line: a value, a row's values joined by " | ", rows by "; ".
fn answer_line(output: &Output) -> String {
    match output {
        Output::Rows { rows, .. } => rows
            .iter()
            .map(|r| r.iter().map(Cell::display).collect::<Vec<_>>().join(" | "))
            .collect::<Vec<_>>()
            .join("; "),
        Output::Affected { affected, .. } => format!("{affected} row(s)"),
    }
}

#[test]
fn the_functions_page_is_the_catalogue_with_the_engines_answers() {
    let engine =
        RefCell::new(example_engine(&EngineOptions::default(), &CLOCK).expect("the course loads"));
    let failures = RefCell::new(Vec::new());
    let answer = |example: &str| {
        let sql = if example.starts_with("SELECT ") {
            example.to_owned()
        } else {
            format!("SELECT {example}")
        };
        // Each example on the course's database as it was loaded (an example reads, but a
        // fresh copy keeps them independent of one another).
        let mut copy = engine.borrow().clone();
        let results = copy.run_script(&sql, RunOptions::default(), &CLOCK);
        match results.first().map(|r| &r.outcome) {
            Some(Ok(output)) => answer_line(output),
            other => {
                failures.borrow_mut().push(format!("{sql}: {other:?}"));
                String::new()
            }
        }
    };
    let expected = sqlnori_model::catalog::reference_markdown(&answer);
    let failures = failures.into_inner();
    assert!(
        failures.is_empty(),
        "examples that do not run:\n{}",
        failures.join("\n")
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/functions.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &expected).expect("write docs/functions.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/functions.md is not the catalogue: run UPDATE_EXPECT=1 cargo test -p sqlnori-engine --test functions_reference"
    );
}
