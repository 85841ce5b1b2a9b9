//! The conformance suite: every case of `conformance/cases` must give what a real MariaDB
//! server gave (recorded by `scripts/record-conformance.sh` into `*.expected.json`).
//!
//! Numbers are compared by value (MySQL shows `10 / 4` as `2.5000`, sqlnori as `2.5`), text
//! and NULL exactly, column names exactly. Errors of accounts and privileges must carry
//! MariaDB's error number. Rows are compared in order when the statement has
//! `ORDER BY`, as a multiset otherwise. A statement MariaDB refused must fail here too.
//! Where the recording has them, what SHOW WARNINGS gives after a statement and the rows a
//! change affected must be MariaDB's too.
//! Every statement is also traced step by step on a copy of the database: the trace's
//! result must equal the plain run's.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use serde_json::Value as Json;
use sqlnori_engine::{Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::{Cell, Output};
use std::path::Path;

const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

fn school() -> Engine {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance");
    let setup = std::fs::read_to_string(root.join("school.sql")).unwrap();
    let mut engine = Engine::new(&EngineOptions::default(), "school");
    for r in engine.run_script(&setup, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "school.sql failed at {}: {:?}", r.sql, r.outcome);
    }
    engine
}

fn cell_matches(expected: &Json, got: &Cell) -> bool {
    match (expected, got) {
        (Json::Null, Cell::Null) => true,
        (Json::Object(o), got) => {
            let Some(Json::String(n)) = o.get("n") else {
                return false;
            };
            let (Ok(want), Ok(have)) = (n.parse::<f64>(), got.display().parse::<f64>()) else {
                return false;
            };
            (want - have).abs() <= 1e-9 * want.abs().max(1.0)
        }
        (Json::String(s), got) => !matches!(got, Cell::Null) && got.display() == *s,
        _ => false,
    }
}

fn show(row: &[Json]) -> String {
    row.iter()
        .map(|c| match c {
            Json::Null => "NULL".to_owned(),
            Json::Object(o) => o.get("n").and_then(Json::as_str).unwrap_or("?").to_owned(),
            Json::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn show_cells(row: &[Cell]) -> String {
    row.iter()
        .map(Cell::display)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One row of SHOW WARNINGS against MariaDB's. Warnings must say MySQL's very text; for an
/// error the number is enough (sqlnori explains errors in its own words); notes are compared
/// by number, where MariaDB's numbers for the account notes are MySQL 8's 3163 and 3162.
/// (The differences are MySQL 8's: see README, "The MySQL it runs".)
fn same_diagnostic(got: &Json, want: &Json) -> bool {
    let (Some(g), Some(w)) = (got.as_array(), want.as_array()) else {
        return false;
    };
    let code = |j: &Json| match j {
        Json::Number(n) => n.as_u64(),
        Json::Object(o) => o
            .get("n")
            .and_then(Json::as_str)
            .and_then(|n| n.parse().ok()),
        _ => None,
    };
    let mysql_code = |c: Option<u64>| match c {
        Some(1973) => Some(3163),
        Some(1974) => Some(3162),
        other => other,
    };
    g.len() == 3
        && w.len() == 3
        && g[0] == w[0]
        && code(&g[1]) == mysql_code(code(&w[1]))
        && (w[0] != "Warning" || g[2] == w[2] || g[2] == mysql_text(&w[2]))
}

/// MariaDB compares text with an integer as DECIMAL and says so; MySQL 8 compares (and says
/// it compares) as DOUBLE.
fn mysql_text(mariadb: &Json) -> Json {
    match mariadb.as_str() {
        Some(t) => Json::String(t.replace(
            "Truncated incorrect DECIMAL value",
            "Truncated incorrect DOUBLE value",
        )),
        None => mariadb.clone(),
    }
}

/// Compares one statement; `Err` describes the difference.
fn check(engine: &mut Engine, case: &Json) -> Result<(), String> {
    let sql = case["sql"].as_str().unwrap();
    // The step-by-step trace's last stage is the answer: trace on a copy, then compare.
    let traced = {
        let mut copy = engine.clone();
        let stmt = sqlnori_model::split_script(sql).remove(0);
        copy.trace_statement(&stmt, &CLOCK)
    };
    let results = engine.run_script(sql, RunOptions::default(), &CLOCK);
    let [result] = results.as_slice() else {
        return Err(format!("split into {} statements", results.len()));
    };
    let (traced_result, trace) = traced;
    if traced_result.outcome != result.outcome {
        return Err(format!(
            "the trace's result differs from the plain run\n  traced: {:?}\n  plain:  {:?}\n  steps: {:?}",
            traced_result.outcome,
            result.outcome,
            trace.steps.iter().map(|s| (s.stage, s.label.clone(), s.table.total)).collect::<Vec<_>>()
        ));
    }
    if let Some(error) = case.get("error") {
        // Accounts and privileges, keys and indexes: the same MySQL error number, not just
        // some error.
        let errno = error
            .as_str()
            .and_then(|e| e.split(':').next())
            .unwrap_or("");
        let said = [
            "1142", "1143", "1044", "1227", "1396", "1133", "1141", "1147", "1146", "1061", "1062",
            "1072", "1091", "1305", "1365", "1052",
        ];
        if let (Err(e), true) = (&result.outcome, said.contains(&errno)) {
            if !e.message.en.contains(&format!("MySQL error {errno}")) {
                return Err(format!(
                    "MariaDB said {error}; sqlnori said [{}] {}",
                    e.code, e.message.en
                ));
            }
        }
        return match &result.outcome {
            Err(_) => Ok(()),
            Ok(_) => Err(format!(
                "MariaDB refused it ({}); sqlnori ran it",
                case["error"]
            )),
        };
    }
    let output = result
        .outcome
        .as_ref()
        .map_err(|e| format!("failed: [{}] {}", e.code, e.message.en))?;
    // Recordings since the warnings work also say what SHOW WARNINGS gave after the
    // statement, and how many rows a change affected.
    if let Some(want) = case.get("warnings").and_then(Json::as_array) {
        let shown = engine.run_script("SHOW WARNINGS", RunOptions::default(), &CLOCK);
        let got: Vec<Json> = match shown.first().map(|r| &r.outcome) {
            Some(Ok(Output::Rows { rows, .. })) => rows
                .iter()
                .map(|r| Json::Array(r.iter().map(Cell::to_json).collect()))
                .collect(),
            other => return Err(format!("SHOW WARNINGS failed: {other:?}")),
        };
        if got.len() != want.len() || !got.iter().zip(want).all(|(g, w)| same_diagnostic(g, w)) {
            return Err(format!("warnings {got:?}, MariaDB {want:?}"));
        }
    }
    // Rows affected by a change of data (MySQL 8 and MariaDB count DDL differently).
    let dml = ["INSERT", "UPDATE", "DELETE", "REPLACE"]
        .iter()
        .any(|v| sql.trim_start().to_uppercase().starts_with(v));
    if let (Some(want), Output::Affected { affected, .. }, true) =
        (case.get("affected").and_then(Json::as_u64), output, dml)
    {
        if *affected != want {
            return Err(format!("{affected} row(s) affected, MariaDB {want}"));
        }
    }
    let Some(want_columns) = case.get("columns").and_then(Json::as_array) else {
        return Ok(());
    };
    let Output::Rows { columns, rows } = output else {
        return Err(format!("expected rows, got {output:?}"));
    };
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let want_names: Vec<&str> = want_columns.iter().map(|c| c.as_str().unwrap()).collect();
    if names != want_names {
        return Err(format!("columns {names:?}, MariaDB {want_names:?}"));
    }
    let want_rows: Vec<Vec<Json>> = case["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().clone())
        .collect();
    let mut got: Vec<&Vec<Cell>> = rows.iter().collect();
    let mut want: Vec<&Vec<Json>> = want_rows.iter().collect();
    if !sql.to_uppercase().contains("ORDER BY") {
        sqlnori_model::sort::sort_by_key(&mut got, |r| show_cells(r));
        sqlnori_model::sort::sort_by_key(&mut want, |r| show(r));
    }
    let same = got.len() == want.len()
        && got.iter().zip(&want).all(|(g, w)| {
            g.len() == w.len() && g.iter().zip(w.iter()).all(|(c, e)| cell_matches(e, c))
        });
    if same {
        return Ok(());
    }
    Err(format!(
        "rows differ\n  sqlnori:\n{}\n  MariaDB:\n{}",
        got.iter()
            .map(|r| format!("    {}", show_cells(r)))
            .collect::<Vec<_>>()
            .join("\n"),
        want.iter()
            .map(|r| format!("    {}", show(r)))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

#[test]
fn conformance_with_mariadb() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    sqlnori_model::sort::sort(&mut files);
    assert!(!files.is_empty(), "no recorded cases in {}", dir.display());
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in files {
        let cases: Vec<Json> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut engine = school();
        for case in &cases {
            checked += 1;
            if let Err(why) = check(&mut engine, case) {
                failures.push(format!(
                    "{}: {}\n  {why}",
                    file.file_name().unwrap().to_string_lossy(),
                    case["sql"].as_str().unwrap_or("")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} statements differ from MariaDB:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
