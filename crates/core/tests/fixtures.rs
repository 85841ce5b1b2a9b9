//! The one fixture runner: every `fixtures/*.sql` runs against the course database (fixed
//! seed and clock) and its rendered results must equal `fixtures/*.out`; every
//! `traces/*.sql` is traced statement by statement and must equal `traces/*.out`.
//! Regenerate expectations with `UPDATE_EXPECT=1 cargo test -p sqlnori-core --test fixtures`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_core::examples::example_engine;
use sqlnori_core::trace::{RowMark, Trace};
use sqlnori_core::{
    split_script, Cell, EngineOptions, FixedClock, Output, RunOptions, StatementResult,
};
use std::fmt::Write as _;
use std::path::Path;

/// 2025-03-01 00:00:00 UTC; NOW() in Seoul is 09:00 that day.
const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

fn render(results: &[StatementResult]) -> String {
    let mut out = String::new();
    for r in results {
        let _ = writeln!(
            out,
            "-- {}:{} {}",
            r.span.line,
            r.span.column,
            r.sql.lines().next().unwrap_or("")
        );
        match &r.outcome {
            Ok(Output::Rows { columns, rows }) => {
                let head: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.data_type).trim_end().to_owned())
                    .collect();
                let _ = writeln!(out, "| {} |", head.join(" | "));
                for row in rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| match c {
                            sqlnori_core::Cell::Null => "NULL".to_owned(),
                            sqlnori_core::Cell::Text(t) => format!("'{t}'"),
                            other => other.display(),
                        })
                        .collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                let _ = writeln!(out, "({} rows)", rows.len());
            }
            Ok(Output::Affected { verb, affected }) => {
                let _ = writeln!(out, "{verb} {affected}");
            }
            Err(e) => {
                let _ = writeln!(out, "ERROR [{}] {}", e.code, e.to_english());
            }
        }
        for n in &r.notes {
            let _ = writeln!(out, "note: {}", n.en);
        }
        out.push('\n');
    }
    out
}

fn mark(m: RowMark) -> &'static str {
    match m {
        RowMark::Kept => " ",
        RowMark::DroppedFalse => "F",
        RowMark::DroppedNull => "N",
        RowMark::Duplicate => "D",
        RowMark::Cut => "C",
        RowMark::Inserted => "+",
        RowMark::Deleted => "-",
        RowMark::Updated => "~",
    }
}

fn cells(c: &[Cell]) -> String {
    c.iter().map(Cell::display).collect::<Vec<_>>().join(" | ")
}

fn render_trace(trace: &Trace, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    if let Some(n) = &trace.note {
        let _ = writeln!(out, "{pad}note: {}", n.en);
    }
    for step in &trace.steps {
        let _ = writeln!(
            out,
            "{pad}== {:?}: {} ({} rows)",
            step.stage, step.label, step.table.total
        );
        for n in &step.nested {
            let _ = writeln!(out, "{pad}  [{}]", n.title);
            render_trace(&n.trace, depth + 2, out);
        }
        let names: Vec<&str> = step.table.columns.iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(out, "{pad}  | {}", names.join(" | "));
        for r in &step.table.rows {
            let was = r
                .was
                .map(|w| format!(" (was #{})", w + 1))
                .unwrap_or_default();
            let changed = if r.changed.is_empty() {
                String::new()
            } else {
                format!(" changed {:?}", r.changed)
            };
            let _ = writeln!(
                out,
                "{pad}  {} {}{was}{changed}",
                mark(r.mark),
                cells(&r.cells)
            );
        }
        for g in &step.groups {
            let _ = writeln!(
                out,
                "{pad}  group ({}) rows {:?} -> {}",
                cells(&g.key),
                g.rows,
                cells(&g.aggregates)
            );
        }
        if let Some(n) = &step.note {
            let _ = writeln!(out, "{pad}  note: {}", n.en);
        }
    }
    if let Some(e) = &trace.error {
        let _ = writeln!(out, "{pad}error: {}", e.en);
    }
}

/// Each statement traced, with its result and its steps.
fn trace_script(script: &str) -> String {
    let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples load");
    let mut actual = String::new();
    for stmt in split_script(script) {
        let (result, trace) = engine.trace_statement(&stmt, &CLOCK);
        let _ = writeln!(
            actual,
            "-- {}:{} {}",
            stmt.span.line,
            stmt.span.column,
            stmt.sql.lines().next().unwrap_or("")
        );
        match &result.outcome {
            Ok(Output::Rows { rows, .. }) => {
                let _ = writeln!(actual, "result: {} rows", rows.len());
            }
            Ok(Output::Affected { verb, affected }) => {
                let _ = writeln!(actual, "result: {verb} {affected}");
            }
            Err(e) => {
                let _ = writeln!(actual, "result: ERROR [{}] {}", e.code, e.message.en);
            }
        }
        render_trace(&trace, 0, &mut actual);
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
    entries.sort();
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
        render(&engine.run_script(script, RunOptions { force: true }, &CLOCK))
    });
}

/// Statements traced step by step (`tests/traces`).
#[test]
fn trace_fixtures() {
    check_dir("tests/traces", trace_script);
}
