//! Benchmark: a query traced step by step against the same query run plainly, over 10,000
//! students (the step-by-step view must stay interactive; goal: tracing ≤ 2× plain).
//!
//! A second table times long lists (an IN list, a VALUES list, a CASE) of 1,000, 10,000 and
//! 100,000 items: each must cost time in proportion to its length (issue 16: no quadratic
//! surprises).
//!
//! `cargo run --release -p sqlnori-engine --example trace_bench` prints Markdown tables
//! (`scripts/bench.sh` runs it for BENCHMARKS.md). Times are the median of several runs.
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{example_engine, Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::rng::SeededRng;
use sqlnori_model::split_script;
use std::time::Instant;

const CLOCK: FixedClock = FixedClock { epoch_ms: 0 };
const STUDENTS: usize = 10_000;
const RUNS: usize = 7;

fn big_engine() -> Engine {
    let mut engine = example_engine(&EngineOptions::default(), &CLOCK).unwrap();
    let mut rng = SeededRng::new(7);
    let mut script = String::from(
        "CREATE TABLE big (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), age INT, kor INT, eng INT, math INT);\n",
    );
    let names = [
        "김영희",
        "이철수",
        "박준호",
        "최미나",
        "정도현",
        "강서윤",
        "조민수",
        "윤예은",
    ];
    for chunk in 0..STUDENTS / 1000 {
        let rows: Vec<String> = (0..1000)
            .map(|i| {
                let math = if (chunk * 1000 + i) % 17 == 0 {
                    "NULL".to_owned()
                } else {
                    rng.range(40, 100).to_string()
                };
                format!(
                    "('{}', {}, {}, {}, {math})",
                    names[rng.range(0, 7) as usize],
                    rng.range(15, 20),
                    rng.range(40, 100),
                    rng.range(40, 100)
                )
            })
            .collect();
        script.push_str(&format!(
            "INSERT INTO big (name, age, kor, eng, math) VALUES {};\n",
            rows.join(", ")
        ));
    }
    for r in engine.run_script(&script, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{:?}", r.outcome);
    }
    engine
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let engine = big_engine();
    let queries = [
        ("filter, sort, limit", "SELECT name, kor FROM big WHERE kor >= 80 ORDER BY kor DESC, id LIMIT 10"),
        ("group, having, sort", "SELECT age, COUNT(*) AS n, AVG(kor) AS avg_kor FROM big WHERE math IS NOT NULL GROUP BY age HAVING n > 10 ORDER BY age"),
        ("join, distinct", "SELECT DISTINCT e.name FROM big s JOIN employees e ON e.id = s.age - 14 WHERE s.kor > 90"),
    ];
    println!("| query over {STUDENTS} students | plain ms | traced ms | traced / plain |");
    println!("|---|---:|---:|---:|");
    for (title, sql) in queries {
        let stmt = split_script(sql).remove(0);
        let mut plain = Vec::new();
        let mut traced = Vec::new();
        for _ in 0..RUNS {
            let mut e = engine.clone();
            let t = Instant::now();
            let r = e.run_statement(&stmt, &CLOCK);
            plain.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(r.is_ok(), "{title}: {:?}", r.outcome);
            let mut e = engine.clone();
            let t = Instant::now();
            let (r2, trace) = e.trace_statement(&stmt, &CLOCK);
            traced.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(r.outcome, r2.outcome, "{title}: the trace's answer differs");
            assert!(!trace.steps.is_empty());
        }
        let (p, t) = (median(plain), median(traced));
        println!("| {title}: `{sql}` | {p:.1} | {t:.1} | {:.2}× |", t / p);
    }
    long_lists();
}

/// One statement of `n` items, run plainly on the course database: its median time in ms.
fn time_statement(sql: &str) -> f64 {
    let engine = example_engine(&EngineOptions::default(), &CLOCK).unwrap();
    let stmt = split_script(sql).remove(0);
    let runs: Vec<f64> = (0..3)
        .map(|_| {
            let mut e = engine.clone();
            let t = Instant::now();
            let r = e.run_statement(&stmt, &CLOCK);
            assert!(r.is_ok(), "{:?}", r.outcome);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(runs)
}

/// Long lists, timed at three lengths: the time per item must not grow with the length.
fn long_lists() {
    let in_list = |n: usize| {
        let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!(
            "SELECT COUNT(*) FROM students WHERE kor IN ({})",
            items.join(", ")
        )
    };
    let values = |n: usize| {
        let rows: Vec<String> = (0..n).map(|i| format!("({}, 'n{i}')", 1000 + i)).collect();
        format!(
            "INSERT INTO employees (id, name) VALUES {}",
            rows.join(", ")
        )
    };
    let case = |n: usize| {
        let arms: Vec<String> = (0..n).map(|i| format!("WHEN {i} THEN 'v{i}'")).collect();
        format!(
            "SELECT CASE kor {} ELSE 'other' END FROM students",
            arms.join(" ")
        )
    };
    let lists: [(&str, &dyn Fn(usize) -> String); 3] = [
        ("`kor IN (0, 1, …)` over the students", &in_list),
        ("`INSERT … VALUES (…), (…), …` (one statement)", &values),
        ("`CASE kor WHEN 0 THEN … END` over the students", &case),
    ];
    println!();
    println!("| list of n items | n = 1,000 ms | n = 10,000 ms | n = 100,000 ms | µs per item at 100,000 |");
    println!("|---|---:|---:|---:|---:|");
    for (title, make) in lists {
        let times: Vec<f64> = [1_000, 10_000, 100_000]
            .iter()
            .map(|&n| time_statement(&make(n)))
            .collect();
        println!(
            "| {title} | {:.1} | {:.1} | {:.1} | {:.2} |",
            times[0],
            times[1],
            times[2],
            times[2] * 1000.0 / 100_000.0
        );
    }
}
