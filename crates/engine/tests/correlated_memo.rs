//! A correlated subquery keeps its answers per value of the outer row it reads (GlueSQL's
//! `evaluate::memo`), so `kor = (SELECT MAX(kor) FROM big c WHERE c.age = b.age)` runs once
//! per age, not once per row. Generated queries give the same rows, as multisets, as the same
//! query whose subquery also says `AND RAND() >= 0`: always true, but a run that draws from
//! `RAND()` is not deterministic, so none of its answers is kept and every outer row runs it.
//!
//! `MEMO_CASES` sets how many queries (default 300).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::rng::SeededRng;
use sqlnori_model::{Output, ScriptStatement};

const CLOCK: FixedClock = FixedClock { epoch_ms: 0 };

fn pick<'a>(rng: &mut SeededRng, items: &[&'a str]) -> &'a str {
    items[rng.range(0, items.len() as i64 - 1) as usize]
}

/// `t (a, b, c)` and `u (a, b, c)`: a few rows of small values, some NULLs and repeats.
fn database(rng: &mut SeededRng) -> Engine {
    let mut e = Engine::new(&EngineOptions::default(), "db");
    let mut script = String::new();
    for table in ["t", "u"] {
        let rows: Vec<String> = (0..rng.range(1, 9))
            .map(|_| {
                let v = |rng: &mut SeededRng| {
                    if rng.range(0, 7) == 0 {
                        "NULL".to_owned()
                    } else {
                        rng.range(0, 3).to_string()
                    }
                };
                format!("({}, {}, {})", v(rng), v(rng), v(rng))
            })
            .collect();
        script.push_str(&format!(
            "CREATE TABLE {table} (a INT, b INT, c INT);\nINSERT INTO {table} VALUES {};\n",
            rows.join(", ")
        ));
    }
    for r in e.run_script(&script, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    e
}

/// A condition of the subquery on `u x` that reads the outer row `t`, and sometimes more.
fn correlation(rng: &mut SeededRng) -> String {
    let outer =
        |rng: &mut SeededRng| format!("{}{}", pick(rng, &["t.", ""]), pick(rng, &["a", "b", "c"]));
    let inner = |rng: &mut SeededRng| format!("x.{}", pick(rng, &["a", "b", "c"]));
    let first = format!(
        "{} {} {}",
        inner(rng),
        pick(rng, &["=", "=", "<", ">="]),
        outer(rng)
    );
    match rng.range(0, 3) {
        0 => first,
        1 => format!("{first} AND {} = {}", inner(rng), outer(rng)),
        2 => format!("({first} OR {} IS NULL)", outer(rng)),
        _ => format!("{first} AND {} > {}", inner(rng), rng.range(0, 2)),
    }
}

/// A query on `t` with a correlated subquery; `{R}` marks where ` AND RAND() >= 0` may go.
fn query(rng: &mut SeededRng) -> String {
    let on = correlation(rng);
    let agg = pick(
        rng,
        &[
            "MAX(x.a)",
            "MIN(x.b)",
            "COUNT(*)",
            "SUM(x.c)",
            "AVG(x.a)",
            "COUNT(x.b)",
        ],
    );
    match rng.range(0, 5) {
        0 => format!("SELECT a, b, c FROM t WHERE a = (SELECT {agg} FROM u x WHERE {on}{{R}})"),
        1 => format!("SELECT a, b, c FROM t WHERE EXISTS (SELECT 1 FROM u x WHERE {on}{{R}})"),
        2 => format!("SELECT a, b, c FROM t WHERE NOT EXISTS (SELECT 1 FROM u x WHERE {on}{{R}})"),
        3 => format!("SELECT a, (SELECT {agg} FROM u x WHERE {on}{{R}}) AS s FROM t"),
        4 => format!(
            "SELECT b, COUNT(*) FROM t WHERE c >= (SELECT {agg} FROM u x WHERE {on}{{R}}) GROUP BY b"
        ),
        _ => format!(
            "SELECT a FROM t WHERE b IN (SELECT x.b FROM u x WHERE {on}{{R}}) OR EXISTS (SELECT 1 FROM u x WHERE {on}{{R}} AND x.c = t.c)"
        ),
    }
}

/// A result as a sorted list of rows (rows as text); an error by its code.
fn multiset(out: &Result<Output, sqlnori_model::StatementError>) -> Result<Vec<String>, String> {
    match out {
        Ok(Output::Rows { rows, .. }) => {
            let mut rows: Vec<String> = rows
                .iter()
                .map(|r| r.iter().map(|c| c.display()).collect::<Vec<_>>().join("|"))
                .collect();
            sqlnori_model::sort::sort(&mut rows);
            Ok(rows)
        }
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.code.clone()),
    }
}

#[test]
fn kept_answers_are_the_answers_of_running_every_time() {
    let cases: usize = std::env::var("MEMO_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut rng = SeededRng::new(23);
    let mut answered = 0;
    for case in 0..cases {
        let mut engine = database(&mut rng);
        let sql = query(&mut rng);
        let mut run = |rand: &str| {
            let stmt = ScriptStatement::whole(&sql.replace("{R}", rand));
            multiset(&engine.run_statement(&stmt, &CLOCK).outcome)
        };
        let kept = run("");
        let every_time = run(" AND RAND() >= 0");
        assert_eq!(kept, every_time, "case {case}: {sql}");
        answered += usize::from(kept.is_ok_and(|rows| !rows.is_empty()));
    }
    // Most queries must give rows, or the comparison proves little.
    assert!(
        answered * 10 > cases * 6,
        "only {answered} of {cases} gave rows"
    );
}
