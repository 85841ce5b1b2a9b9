//! Every kind of statement on tables and columns whose names hold quotes, backticks, spaces
//! and Hangul: the SQL the layer writes itself (inserts with AUTO_INCREMENT, REPLACE, ON
//! DUPLICATE KEY, ALTER, previews, the dump) is built as AST, so no name can break it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{example_engine, Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::{ScriptStatement, StatementResult};

const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

/// The table `it's a "tab`le"` with columns `k ey`, `학생 이름`, `"q"` and `a``b`.
const SETUP: &str = r#"CREATE DATABASE `my db`;
CREATE TABLE `my db`.`it's a "tab``le"` (`k ey` INT AUTO_INCREMENT PRIMARY KEY, `학생 이름` VARCHAR(20), `"q"` INT, `a``b` TEXT);
USE `my db`;
INSERT INTO `it's a "tab``le"` (`학생 이름`, `"q"`, `a``b`) VALUES ('김영희', 1, 'x'), ('O''Brien', 2, 'y`z')"#;

fn run(engine: &mut Engine, sql: &str) -> Vec<StatementResult> {
    engine.run_script(sql, RunOptions::default(), &CLOCK)
}

fn rows(r: &StatementResult) -> serde_json::Value {
    r.to_json_line()["rows"].clone()
}

fn setup() -> Engine {
    let mut engine = example_engine(&EngineOptions::default(), &CLOCK).expect("examples");
    for r in run(&mut engine, SETUP) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    engine
}

#[test]
fn every_statement_kind_works_on_awkward_names() {
    let mut e = setup();
    let t = r#"`it's a "tab``le"`"#;
    let statements = [
        format!("REPLACE INTO {t} (`k ey`, `학생 이름`) VALUES (1, '박철수')"),
        format!("INSERT INTO {t} (`k ey`, `\"q\"`) VALUES (2, 5) ON DUPLICATE KEY UPDATE `\"q\"` = VALUES(`\"q\"`) + 10"),
        format!("INSERT INTO {t} SET `학생 이름` = '최미나', `\"q\"` = 3"),
        format!("INSERT INTO {t} (`학생 이름`) SELECT `학생 이름` FROM {t} WHERE `k ey` = 1"),
        format!("UPDATE {t} SET `a``b` = CONCAT(`a``b`, '!') WHERE `\"q\"` > 2"),
        format!("DELETE FROM {t} WHERE `k ey` = 4"),
        format!("ALTER TABLE {t} MODIFY `\"q\"` BIGINT"),
        format!("ALTER TABLE {t} CHANGE `a``b` `c d` VARCHAR(10)"),
        format!("ALTER TABLE {t} ADD `새 열` INT"),
        format!("CREATE VIEW `보기 'v'` AS SELECT `학생 이름` AS `이름 n` FROM {t}"),
        format!("SELECT s.`학생 이름`, COUNT(*) AS `개 수`, GROUP_CONCAT(s.`c d` ORDER BY s.`k ey` SEPARATOR '|') AS g FROM {t} s GROUP BY s.`학생 이름` ORDER BY 1"),
        format!("SELECT `k ey`, ROW_NUMBER() OVER (ORDER BY `\"q\"` DESC) AS `순 위` FROM {t}"),
        format!("WITH `c t` AS (SELECT `k ey` AS `k 2` FROM {t}) SELECT * FROM `c t` WHERE `k 2` < 3"),
        "SELECT * FROM `보기 'v'`".to_owned(),
        format!("RENAME TABLE {t} TO `새 \"이름\"`"),
        "TRUNCATE TABLE `새 \"이름\"`".to_owned(),
    ];
    for sql in &statements {
        let stmt = ScriptStatement::whole(sql);
        let (traced, _) = e.clone().trace_statement(&stmt, &CLOCK);
        let plain = e.run_statement(&stmt, &CLOCK);
        assert!(plain.is_ok(), "{sql}: {:?}", plain.outcome);
        assert_eq!(
            traced.outcome, plain.outcome,
            "{sql}: traced and plain differ"
        );
    }
    let check = run(
        &mut e,
        "SELECT COUNT(*) FROM `새 \"이름\"`; INSERT INTO `새 \"이름\"` (`학생 이름`) VALUES ('다시'); SELECT `k ey`, `c d`, `새 열` FROM `새 \"이름\"`",
    );
    assert_eq!(rows(&check[0]), serde_json::json!([[0]]));
    // TRUNCATE started AUTO_INCREMENT again.
    assert_eq!(rows(&check[2]), serde_json::json!([[1, null, null]]));
}

#[test]
fn the_preview_and_the_dump_quote_every_name() {
    let mut e = setup();
    let preview = e.preview("my db", r#"it's a "tab`le""#, 10);
    assert!(preview.is_ok(), "{:?}", preview.outcome);
    assert_eq!(
        rows(&preview),
        serde_json::json!([[1, "김영희", 1, "x"], [2, "O'Brien", 2, "y`z"]])
    );
    let dump = e.dump_sql();
    let mut fresh = Engine::new(&EngineOptions::default(), "student_db2");
    for r in fresh.run_script(&dump, RunOptions::default(), &CLOCK) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
    assert_eq!(fresh.dump_sql(), dump);
    // A snapshot keeps the names too.
    let back = Engine::from_snapshot_json(&e.snapshot_json()).expect("reads back");
    assert_eq!(back.dump_sql(), dump);
}
