//! Step-by-step fixtures: each `tests/traces/*.sql` is traced statement by statement on the
//! course's database and rendered as text beside it (`.out`). `UPDATE_EXPECT=1` rewrites the
//! expectations; review the diff like any other change.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_core::examples::example_engine;
use sqlnori_core::trace::{RowMark, Trace};
use sqlnori_core::{split_script, Cell, EngineOptions, FixedClock, Output};
use std::fmt::Write as _;
use std::path::Path;

const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

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

fn render(trace: &Trace, depth: usize, out: &mut String) {
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
            render(&n.trace, depth + 2, out);
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

#[test]
fn trace_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/traces");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("traces dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no trace fixtures found");
    let mut failures = Vec::new();
    for sql_path in entries {
        let script = std::fs::read_to_string(&sql_path).expect("read fixture");
        let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples load");
        let mut actual = String::new();
        for stmt in split_script(&script) {
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
            render(&trace, 0, &mut actual);
            actual.push('\n');
        }
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
