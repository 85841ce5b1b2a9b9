//! The layer's optimisations never change an answer: generated queries over small random
//! tables (joins written with commas and WHERE, with ON, with single-table conditions,
//! uncorrelated and correlated subqueries, recursive CTEs walking a table as a graph) give
//! the same rows, as multisets, with the optimisations on and off (GlueSQL's own nested
//! loops and per-row subqueries; a recursive step as written, its joins built every level).
//!
//! `OPT_CASES` sets how many queries (default 400).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::rng::SeededRng;
use sqlnori_model::{Output, ScriptStatement};

const CLOCK: FixedClock = FixedClock { epoch_ms: 0 };
const TABLES: [&str; 4] = ["t1", "t2", "t3", "t4"];

fn pick<'a>(rng: &mut SeededRng, items: &[&'a str]) -> &'a str {
    items[rng.range(0, items.len() as i64 - 1) as usize]
}

/// Four tables `tK (aK, bK, cK)` of a few rows, small values and some NULLs.
fn database(rng: &mut SeededRng) -> Engine {
    let mut e = Engine::new(&EngineOptions::default(), "db");
    let mut script = String::new();
    for (k, t) in TABLES.iter().enumerate() {
        let k = k + 1;
        script.push_str(&format!(
            "CREATE TABLE {t} (a{k} INT, b{k} INT, c{k} INT);\n"
        ));
        let rows: Vec<String> = (0..rng.range(0, 8))
            .map(|_| {
                let v = |rng: &mut SeededRng| {
                    if rng.range(0, 9) == 0 {
                        "NULL".to_owned()
                    } else {
                        rng.range(0, 4).to_string()
                    }
                };
                format!("({}, {}, {})", v(rng), v(rng), v(rng))
            })
            .collect();
        if !rows.is_empty() {
            script.push_str(&format!("INSERT INTO {t} VALUES {};\n", rows.join(", ")));
        }
    }
    for r in e.run_script(&script, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    e
}

fn column(rng: &mut SeededRng, tables: &[usize]) -> String {
    let k = tables[rng.range(0, tables.len() as i64 - 1) as usize];
    let c = pick(rng, &["a", "b", "c"]);
    if rng.range(0, 1) == 0 {
        format!("{c}{k}")
    } else {
        format!("t{k}.{c}{k}")
    }
}

fn condition(rng: &mut SeededRng, tables: &[usize]) -> String {
    match rng.range(0, 6) {
        0..=2 => format!("{} = {}", column(rng, tables), column(rng, tables)),
        3 => format!(
            "{} {} {}",
            column(rng, tables),
            pick(rng, &["<", ">=", "<>"]),
            rng.range(0, 4)
        ),
        4 => {
            let t = rng.range(1, 4);
            format!(
                "{} IN (SELECT b{t} FROM t{t} WHERE c{t} > {})",
                column(rng, tables),
                rng.range(0, 3)
            )
        }
        5 => {
            let k = tables[0];
            format!("EXISTS (SELECT 1 FROM t4 WHERE a4 = t{k}.a{k})")
        }
        _ => format!("{} IS NULL", column(rng, tables)),
    }
}

fn query(rng: &mut SeededRng) -> String {
    let n = rng.range(2, 4) as usize;
    let mut tables: Vec<usize> = (1..=4).collect();
    for i in 0..tables.len() {
        let j = rng.range(i as i64, 3) as usize;
        tables.swap(i, j);
    }
    tables.truncate(n);
    let conditions: Vec<String> = (0..rng.range(1, 4))
        .map(|_| condition(rng, &tables))
        .collect();
    let from = if rng.range(0, 1) == 0 {
        tables
            .iter()
            .map(|k| format!("t{k}"))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        let mut f = format!("t{}", tables[0]);
        for w in tables.windows(2) {
            f.push_str(&format!(" JOIN t{} ON a{} = b{}", w[1], w[0], w[1]));
        }
        f
    };
    let items = if rng.range(0, 2) == 0 {
        "*".to_owned()
    } else {
        format!("{}, {}", column(rng, &tables), column(rng, &tables))
    };
    format!(
        "SELECT {items} FROM {from} WHERE {}",
        conditions.join(" AND ")
    )
}

/// A result as a sorted list of rows (rows as text), with its column names.
fn multiset(
    out: &Result<Output, sqlnori_model::StatementError>,
) -> Result<(Vec<String>, Vec<String>), String> {
    match out {
        Ok(Output::Rows { columns, rows }) => {
            let mut rows: Vec<String> = rows
                .iter()
                .map(|r| r.iter().map(|c| c.display()).collect::<Vec<_>>().join("|"))
                .collect();
            sqlnori_model::sort::sort(&mut rows);
            Ok((columns.iter().map(|c| c.name.clone()).collect(), rows))
        }
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.code.clone()),
    }
}

/// A result as [`multiset`] gives it.
type Answer = Result<(Vec<String>, Vec<String>), String>;

/// Runs `OPT_CASES` (default 400) queries from `query`, each on a fresh random database from
/// the `seed`, with the optimisations on and off; asserts both give the same rows and returns
/// the optimised answers, for the caller to check that they prove something.
fn same_answers(seed: u64, query: fn(&mut SeededRng) -> String) -> Vec<Answer> {
    let cases: usize = std::env::var("OPT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let mut rng = SeededRng::new(seed);
    (0..cases)
        .map(|case| {
            let mut optimised = database(&mut rng);
            let mut plain = optimised.clone();
            plain.set_optimise(false);
            let sql = query(&mut rng);
            let stmt = ScriptStatement::whole(&sql);
            let a = multiset(&optimised.run_statement(&stmt, &CLOCK).outcome);
            let b = multiset(&plain.run_statement(&stmt, &CLOCK).outcome);
            assert_eq!(a, b, "case {case}: {sql}");
            a
        })
        .collect()
}

#[test]
fn the_same_rows_with_and_without_the_optimisations() {
    let answers = same_answers(11, query);
    let (cases, compared) = (answers.len(), answers.iter().filter(|a| a.is_ok()).count());
    // Most generated queries must run, or the comparison proves little.
    assert!(compared * 10 > cases * 8, "only {compared} of {cases} ran");
}

/// A recursive CTE that walks a random table as a graph (`a → b`), its step written as a
/// JOIN or with commas, with or without a filter on the table and on the depth.
fn recursive_query(rng: &mut SeededRng) -> String {
    let t = rng.range(1, 4);
    let u = rng.range(1, 4);
    let all = pick(rng, &["UNION ALL", "UNION"]);
    let start = rng.range(0, 4);
    let filter = match rng.range(0, 3) {
        0 => String::new(),
        1 => format!(" AND t{u}.c{u} <> {}", rng.range(0, 4)),
        2 => format!(" AND t{u}.c{u} IS NOT NULL"),
        _ => format!(" AND r.d + t{u}.c{u} < 5"),
    };
    let depth = rng.range(1, 4);
    let step = if rng.range(0, 1) == 0 {
        format!(
            "SELECT t{u}.b{u}, r.d + 1 FROM t{u} JOIN r ON t{u}.a{u} = r.x WHERE r.d < {depth}{filter}"
        )
    } else {
        format!(
            "SELECT t{u}.b{u}, r.d + 1 FROM t{u}, r WHERE t{u}.a{u} = r.x AND r.d < {depth}{filter}"
        )
    };
    let outer = pick(
        rng,
        &[
            "SELECT x, d FROM r",
            "SELECT x, COUNT(*) FROM r GROUP BY x",
            "SELECT MAX(d), COUNT(*) FROM r",
        ],
    );
    format!(
        "WITH RECURSIVE r (x, d) AS (SELECT a{t}, 0 FROM t{t} WHERE b{t} >= {start} {all} {step}) {outer}"
    )
}

#[test]
fn recursive_ctes_give_the_same_rows_with_and_without_the_optimisations() {
    let answers = same_answers(23, recursive_query);
    let cases = answers.len();
    let ran: Vec<_> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    let (compared, rows) = (ran.len(), ran.iter().map(|(_, r)| r.len()).sum::<usize>());
    // The queries must run and find rows, or the comparison proves little.
    assert!(compared * 10 > cases * 9, "only {compared} of {cases} ran");
    assert!(rows > cases, "{rows} rows in {cases} cases");
}
