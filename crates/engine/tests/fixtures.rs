//! The one fixture runner: every `fixtures/*.sql` runs against the course database (fixed
//! seed and clock) and its rendered results must equal `fixtures/*.out`; every
//! `traces/*.sql` is traced statement by statement and must equal `traces/*.out`.
//! Regenerate expectations with `UPDATE_EXPECT=1 cargo test -p sqlnori-engine --test fixtures`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::example_engine;
use sqlnori_engine::{EngineOptions, FixedClock};
use sqlnori_model::render::{self, TextOptions};
use sqlnori_model::{split_script, ScriptStatement};
use std::path::Path;

/// 2025-03-01 00:00:00 UTC; NOW() in Seoul is 09:00 that day.
const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

/// How fixtures are written: every row, no timings, types and quoted text.
const TEXT: TextOptions = TextOptions {
    max_rows: usize::MAX,
    timings: false,
    types: true,
    quote_text: true,
};

fn header(stmt: &ScriptStatement) -> String {
    format!(
        "-- {}:{} {}\n",
        stmt.span.line,
        stmt.span.column,
        stmt.sql.lines().next().unwrap_or("")
    )
}

/// Each statement traced, with its result and its steps.
fn trace_script(script: &str) -> String {
    let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples load");
    let mut actual = String::new();
    for stmt in split_script(script) {
        let (result, trace) = engine.trace_statement(&stmt, &CLOCK);
        actual += &header(&stmt);
        actual += &render::result(&result, TEXT);
        actual += &render::trace(&trace, TEXT);
        actual.push('\n');
    }
    actual
}

/// Runs every `dir/*.sql` through `run` and compares with `dir/*.out` (or rewrites them with
/// `UPDATE_EXPECT=1`).
fn check_dir(dir: &str, run: impl Fn(&str) -> String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    sqlnori_model::sort::sort(&mut entries);
    assert!(
        !entries.is_empty(),
        "no fixtures found in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for sql_path in entries {
        let script = std::fs::read_to_string(&sql_path).expect("read fixture");
        let actual = run(&script);
        let out_path = sql_path.with_extension("out");
        if update {
            std::fs::write(&out_path, &actual).expect("write expectation");
            continue;
        }
        let expected = std::fs::read_to_string(&out_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{} differs from {}:\n{actual}",
                sql_path.display(),
                out_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Statements and their results.
#[test]
fn sql_fixtures() {
    check_dir("tests/fixtures", |script| {
        let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples load");
        let mut out = String::new();
        for stmt in split_script(script) {
            let result = engine.run_statement(&stmt, &CLOCK);
            out += &header(&stmt);
            out += &render::result(&result, TEXT);
            // The learner reads errors in Korean first: pin that sentence (and its hint) too.
            if let Err(e) = &result.outcome {
                out += &format!("  ko: {}\n", e.message.ko);
                if let Some(h) = &e.hint {
                    out += &format!("  ko hint: {}\n", h.ko);
                }
            }
            out.push('\n');
        }
        out
    });
}

/// Statements traced step by step (`tests/traces`).
#[test]
fn trace_fixtures() {
    check_dir("tests/traces", trace_script);
}

/// The lesson file of `id`: a built-in lesson (`lessons/`) or one of the checker's own
/// (`tests/lesson-checks/lessons/`).
fn lesson_source(id: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = None;
    for dir in [
        root.join("../../lessons"),
        root.join("tests/lesson-checks/lessons"),
    ] {
        for entry in std::fs::read_dir(&dir)
            .expect("lessons dir")
            .filter_map(Result::ok)
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if text.contains(&format!("\nid = \"{id}\"\n")) {
                found = Some(text);
            }
        }
    }
    found.expect("a lesson file with this id")
}

/// Answers checked against lessons (`tests/lesson-checks`): each `.sql` names its lesson on
/// its first line (`-- lesson: id`), and the verdict's summary must equal its `.out` — the
/// traps of answer checking in both directions (wrong answers right only on the visible data,
/// right answers other checkers refuse).
#[test]
fn lesson_check_fixtures() {
    use sqlnori_engine::lesson::prepare;
    check_dir("tests/lesson-checks", |answer| {
        let id = answer
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- lesson: "))
            .expect("the first line names the lesson");
        let prepared = prepare(&lesson_source(id)).expect("the lesson prepares");
        let v = prepared.check(answer);
        let mut out = format!(
            "correct: {}\nreason: {}\nmessage: {}\nmessage_ko: {}\n",
            v.correct,
            v.reason.name(),
            v.message.en,
            v.message.ko
        );
        if let Some(f) = &v.feedback {
            out += &format!("feedback: {}\n", f.en);
        }
        if let Some(e) = &v.error {
            out += &format!("error: {}\n", e.to_english());
        }
        if let Some(w) = &v.witness {
            out += &format!(
                "told apart by: {}\n",
                w.variant
                    .as_ref()
                    .map_or("the visible data", |n| n.en.as_str())
            );
            for t in &w.tables {
                let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
                let rows: Vec<Vec<String>> = t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(sqlnori_model::Cell::display).collect())
                    .collect();
                out += &format!("smallest {}:\n{}", t.name, render::table(&names, &rows));
            }
            if let Some(d) = &w.divergence {
                out += &format!(
                    "first differing step: {}\n",
                    sqlnori_model::lesson::verdict::divergence_text(d).en
                );
            }
        }
        out
    });
}
