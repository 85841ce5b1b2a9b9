//! Long `IN` lists of constants (what an uncorrelated `IN (SELECT …)` becomes) are answered
//! through a set (a sqlnori patch, GlueSQL's `evaluate::in_set`). Generated lists of integers,
//! negative numbers, fractions, texts in any case, digits as text and NULLs give, for integer
//! and text targets, the answers of the same test written as `x = v1 OR x = v2 OR …`, which
//! compares item by item (and is three-valued alike: no match beside a NULL is NULL).
//!
//! `IN_CASES` sets how many lists (default 300).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::rng::SeededRng;
use sqlnori_model::{Output, ScriptStatement};

const CLOCK: FixedClock = FixedClock { epoch_ms: 0 };

fn pick<'a>(rng: &mut SeededRng, items: &[&'a str]) -> &'a str {
    items[rng.range(0, items.len() as i64 - 1) as usize]
}

/// `t (id, n INT, s VARCHAR)`: small numbers, short texts in both cases, digits as text, NULLs.
fn database(rng: &mut SeededRng) -> Engine {
    let mut e = Engine::new(&EngineOptions::default(), "db");
    let rows: Vec<String> = (1..=rng.range(1, 12))
        .map(|id| {
            let n = match rng.range(0, 8) {
                0 => "NULL".to_owned(),
                _ => rng.range(-3, 20).to_string(),
            };
            let s = match rng.range(0, 8) {
                0 => "NULL".to_owned(),
                _ => format!("'{}'", text(rng)),
            };
            format!("({id}, {n}, {s})")
        })
        .collect();
    let script = format!(
        "CREATE TABLE t (id INT PRIMARY KEY, n INT, s VARCHAR(10));\nINSERT INTO t VALUES {};\n",
        rows.join(", ")
    );
    for r in e.run_script(&script, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    e
}

fn text(rng: &mut SeededRng) -> String {
    match rng.range(0, 3) {
        0 => rng.range(-3, 20).to_string(),
        1 => pick(
            rng,
            &["kim", "KIM", "Kim", "lee", "Lee", "김", "이", "é", "E"],
        )
        .to_owned(),
        _ => format!("{}{}", pick(rng, &["a", "B", "c"]), rng.range(0, 3)),
    }
}

/// One item of a list.
fn item(rng: &mut SeededRng) -> String {
    match rng.range(0, 9) {
        0 => "NULL".to_owned(),
        1 => format!("{}.5", rng.range(0, 5)),
        2 | 3 => format!("'{}'", text(rng)),
        4 => "TRUE".to_owned(),
        _ => rng.range(-3, 20).to_string(),
    }
}

fn rows(out: &Result<Output, sqlnori_model::StatementError>) -> Result<Vec<String>, String> {
    match out {
        Ok(Output::Rows { rows, .. }) => Ok(rows
            .iter()
            .map(|r| r.iter().map(|c| c.display()).collect::<Vec<_>>().join("|"))
            .collect()),
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.code.clone()),
    }
}

#[test]
fn a_long_list_answers_as_its_items_compared_one_by_one() {
    // (Its OR chains nest 40 deep: a debug build's frames need more than a test thread's stack.)
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(compare_lists)
        .unwrap()
        .join()
        .unwrap();
}

fn compare_lists() {
    let cases = std::env::var("IN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut rng = SeededRng::new(41);
    let mut matched = 0;
    for case in 0..cases {
        let mut engine = database(&mut rng);
        let items: Vec<String> = (0..rng.range(16, 40)).map(|_| item(&mut rng)).collect();
        let target = pick(&mut rng, &["n", "s", "n + 0", "UPPER(s)"]);
        let negated = rng.range(0, 3) == 0;
        let list = format!(
            "{target} {}IN ({})",
            if negated { "NOT " } else { "" },
            items.join(", ")
        );
        let chain = items
            .iter()
            .map(|item| format!("{target} = {item}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let chain = if negated {
            format!("NOT ({chain})")
        } else {
            format!("({chain})")
        };
        let mut run = |test: &str| {
            let sql = format!("SELECT id, {test} AS m FROM t ORDER BY id");
            rows(
                &engine
                    .run_statement(&ScriptStatement::whole(&sql), &CLOCK)
                    .outcome,
            )
        };
        let by_set = run(&list);
        let one_by_one = run(&chain);
        assert_eq!(by_set, one_by_one, "case {case}: {list}");
        matched += usize::from(by_set.is_ok_and(|r| r.iter().any(|row| row.ends_with("|1"))));
    }
    // Most lists must match some row, or the comparison proves little.
    assert!(
        matched * 10 > cases * 5,
        "only {matched} of {cases} matched a row"
    );
}
