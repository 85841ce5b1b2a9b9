//! The one fixture runner: every `fixtures/*.sql` runs against the course database (fixed
//! seed and clock) and its rendered results must equal `fixtures/*.out`.
//! Regenerate expectations with `UPDATE_EXPECT=1 cargo test -p sqlnori-core --test fixtures`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_core::examples::example_engine;
use sqlnori_core::{EngineOptions, FixedClock, Output, RunOptions, StatementResult};
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

#[test]
fn sql_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for sql_path in entries {
        let script = std::fs::read_to_string(&sql_path).expect("read fixture");
        let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples load");
        let results = engine.run_script(&script, RunOptions { force: true }, &CLOCK);
        let actual = render(&results);
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
