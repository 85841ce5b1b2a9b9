//! Accounts and privileges beyond the recorded conformance cases: a denial changes nothing
//! and says which GRANT would allow it, the step-by-step view starts with the privilege
//! check, and accounts survive the snapshot and the `.sql` dump with their passwords hashed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use sqlnori_engine::{example_engine, Engine, EngineOptions, FixedClock, RunOptions};
use sqlnori_model::trace::{RowMark, Stage};
use sqlnori_model::{split_script, StatementResult};

const CLOCK: FixedClock = FixedClock {
    epoch_ms: 1_740_787_200_000,
};

fn run(engine: &mut Engine, sql: &str) -> Vec<StatementResult> {
    engine.run_script(sql, RunOptions { force: true }, &CLOCK)
}

fn ok(engine: &mut Engine, sql: &str) {
    for r in run(engine, sql) {
        assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
    }
}

fn error(engine: &mut Engine, sql: &str) -> sqlnori_model::StatementError {
    let r = run(engine, sql).remove(0);
    r.outcome.expect_err(&format!("{sql} should fail"))
}

fn engine() -> Engine {
    let mut e = example_engine(&EngineOptions::default(), &CLOCK).expect("examples");
    ok(
        &mut e,
        "CREATE USER 'bob'@'localhost' IDENTIFIED BY 'secret-pw';
         GRANT SELECT ON student_db2.students TO 'bob'@'localhost';
         GRANT SELECT (id, name), UPDATE (name) ON student_db2.employees TO 'bob'@'localhost'",
    );
    e
}

#[test]
fn a_denied_statement_changes_nothing_and_names_the_grant_that_would_allow_it() {
    let mut e = engine();
    let before = e.dump_sql();
    ok(&mut e, "SET SESSION AUTHORIZATION 'bob'@'localhost'");
    for sql in [
        "UPDATE students SET kor = 0",
        "DELETE FROM students",
        "INSERT INTO students (name) SELECT name FROM employees",
        "CREATE TABLE t (id INT)",
        "DROP TABLE students",
        "UPDATE employees SET name = 'x' WHERE manager_id = 1",
    ] {
        let err = error(&mut e, sql);
        assert_eq!(err.code, "denied", "{sql}");
        assert!(
            err.message.en.contains("'bob'@'localhost'"),
            "{}",
            err.message.en
        );
        assert!(err.message.ko.contains("권한"), "{}", err.message.ko);
        let hint = err.hint.expect("a hint");
        assert!(hint.en.contains("GRANT "), "{}", hint.en);
    }
    let update = error(&mut e, "UPDATE students SET kor = 0");
    assert!(update
        .message
        .en
        .starts_with("UPDATE command denied to user 'bob'@'localhost' for table `student_db2`.`students` (MySQL error 1142)"));
    assert!(update
        .hint
        .unwrap()
        .en
        .contains("GRANT UPDATE ON student_db2.students TO 'bob'@'localhost'"));
    // The denial points at the table in the learner's SQL.
    assert_eq!((update.line, update.column), (1, 8));
    let column = error(
        &mut e,
        "UPDATE employees SET name = 'x' WHERE manager_id = 1",
    );
    assert!(column
        .message
        .en
        .contains("for column 'manager_id' in table 'employees' (MySQL error 1143)"));
    ok(&mut e, "SET SESSION AUTHORIZATION DEFAULT");
    assert_eq!(
        e.dump_sql(),
        before,
        "a denied statement changed the database"
    );
}

#[test]
fn views_and_ctes_and_unknown_accounts() {
    let mut e = engine();
    ok(
        &mut e,
        "CREATE VIEW top_students AS SELECT name, kor FROM students WHERE kor >= 90;
         CREATE VIEW staff AS SELECT name FROM employees;
         GRANT SELECT ON student_db2.top_students TO 'bob'@'localhost';
         SET SESSION AUTHORIZATION 'bob'@'localhost'",
    );
    // A view runs with its definer's rights: SELECT on the view is enough.
    ok(&mut e, "SELECT * FROM top_students");
    assert_eq!(error(&mut e, "SELECT * FROM staff").code, "denied");
    assert_eq!(
        error(
            &mut e,
            "WITH x AS (SELECT manager_id FROM employees) SELECT * FROM x"
        )
        .code,
        "denied"
    );
    ok(
        &mut e,
        "WITH x AS (SELECT id, name FROM employees) SELECT COUNT(*) FROM x",
    );
    ok(&mut e, "SELECT 1 + 1");
    let r = run(&mut e, "SELECT CURRENT_USER(), USER()").remove(0);
    assert_eq!(
        r.to_json_line()["rows"],
        serde_json::json!([["bob@localhost", "bob@localhost"]])
    );
    let unknown = error(&mut e, "SET SESSION AUTHORIZATION 'nobody'@'localhost'");
    assert!(unknown.message.en.contains("CREATE USER"));
    assert_eq!(error(&mut e, "CREATE USER 'x'@'%'").code, "denied");
    ok(&mut e, "SET SESSION AUTHORIZATION DEFAULT");
    // Root is the playground's administrator: never dropped, never stripped.
    assert!(error(&mut e, "DROP USER 'root'@'localhost'")
        .message
        .en
        .contains("administrator"));
    assert!(
        error(&mut e, "REVOKE SELECT ON *.* FROM 'root'@'localhost'")
            .message
            .en
            .contains("administrator")
    );
    assert_eq!(
        run(&mut e, "SELECT CURRENT_USER()")
            .remove(0)
            .to_json_line()["rows"],
        serde_json::json!([["root@localhost"]])
    );
}

#[test]
fn the_steps_of_another_account_start_with_the_privilege_check() {
    let mut e = engine();
    ok(&mut e, "SET SESSION AUTHORIZATION 'bob'@'localhost'");
    let stmt = split_script("SELECT s.name FROM students s WHERE s.kor > 90").remove(0);
    let (result, trace) = e.clone().trace_statement(&stmt, &CLOCK);
    assert!(result.is_ok());
    let first = &trace.steps[0];
    assert_eq!(first.stage, Stage::Privileges);
    let labels: Vec<String> = first
        .table
        .rows
        .iter()
        .map(|r| r.cells[0].display())
        .collect();
    assert_eq!(
        labels,
        ["student_db2.students.name", "student_db2.students.kor"]
    );
    assert!(first.table.rows.iter().all(|r| r.mark == RowMark::Kept));
    assert_eq!(
        first.table.rows[0].cells[2].display(),
        "GRANT SELECT ON `student_db2`.`students` TO `bob`@`localhost`"
    );
    assert_eq!(trace.steps[1].stage, Stage::From);

    let stmt = split_script("UPDATE students SET kor = 100 WHERE id = 1").remove(0);
    let (result, trace) = e.clone().trace_statement(&stmt, &CLOCK);
    assert_eq!(result.outcome.unwrap_err().code, "denied");
    assert_eq!(trace.steps.len(), 1);
    let denied: Vec<&str> = trace.steps[0]
        .table
        .rows
        .iter()
        .filter(|r| r.mark == RowMark::Denied)
        .map(|r| match &r.cells[1] {
            sqlnori_model::Cell::Text(t) => t.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(denied, ["UPDATE"]);
    assert!(trace.error.is_some());

    // Root's steps have no privilege check.
    ok(&mut e, "SET SESSION AUTHORIZATION DEFAULT");
    let stmt = split_script("SELECT name FROM students").remove(0);
    assert_ne!(
        e.trace_statement(&stmt, &CLOCK).1.steps[0].stage,
        Stage::Privileges
    );
}

#[test]
fn accounts_survive_the_snapshot_and_the_dump_with_passwords_hashed() {
    let mut e = engine();
    ok(&mut e, "SET SESSION AUTHORIZATION 'bob'@'localhost'");
    let json = e.snapshot_json();
    assert!(
        !json.contains("secret-pw"),
        "a password in clear in the snapshot"
    );
    let back = Engine::from_snapshot_json(&json).expect("loads");
    assert_eq!(back.account_status(), e.account_status());
    assert_eq!(back.account_status().acting.to_string(), "bob@localhost");

    ok(&mut e, "SET SESSION AUTHORIZATION DEFAULT");
    let dump = e.dump_sql();
    assert!(
        !dump.contains("secret-pw"),
        "a password in clear in the dump"
    );
    assert!(
        dump.contains("CREATE USER 'bob'@'localhost' IDENTIFIED WITH mysql_native_password AS '*")
    );
    assert!(dump.contains("GRANT SELECT (`id`, `name`), UPDATE (`name`) ON `student_db2`.`employees` TO `bob`@`localhost`;"));
    // The dump reads back, into a fresh engine and over the database it came from.
    let mut fresh = Engine::new(&EngineOptions::default(), "student_db2");
    ok(&mut fresh, &dump);
    assert_eq!(fresh.dump_sql(), dump);
    ok(&mut e, &dump);
    assert_eq!(e.dump_sql(), dump);
    ok(&mut fresh, "SET SESSION AUTHORIZATION 'bob'@'localhost'");
    assert_eq!(
        error(&mut fresh, "SELECT manager_id FROM employees").code,
        "denied"
    );
}

#[test]
fn the_dcl_example_is_denied_only_at_its_update_and_ends_as_root_with_nothing_granted() {
    let example = sqlnori_model::examples::course_examples()
        .into_iter()
        .find(|e| e.id == "dcl")
        .expect("the DCL example");
    let mut e = example_engine(&EngineOptions::default(), &CLOCK).expect("examples");
    // Twice: a learner runs it again, and it must still read the same.
    for _ in 0..2 {
        let results = run(&mut e, &example.sql);
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| !r.is_ok())
            .map(|r| r.sql.as_str())
            .collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(
            failed[0].contains("\nUPDATE student_db2.students"),
            "{failed:?}"
        );
        let denial = results.iter().find(|r| !r.is_ok()).unwrap();
        assert!(denial
            .outcome
            .as_ref()
            .unwrap_err()
            .message
            .en
            .contains("1142"));
        assert!(e.account_status().acting.is_root());
        // After the REVOKE, SHOW GRANTS lists no privilege but USAGE.
        let grants = results.last().unwrap().to_json_line()["rows"].clone();
        assert_eq!(grants.as_array().map(Vec::len), Some(1), "{grants}");
        let line = grants[0][0].as_str().unwrap_or_default();
        assert!(
            line.starts_with("GRANT USAGE ON *.* TO `student`@`%`"),
            "{line}"
        );
    }
}
