//! The CLI's contract: arguments, one JSON object per statement, exit codes.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT_FILE: AtomicUsize = AtomicUsize::new(0);

fn run(args: &[&str], sql: &str) -> (i32, String) {
    command("run", args, sql)
}

fn command(name: &str, args: &[&str], sql: &str) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("sqlnori-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{}.sql", NEXT_FILE.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&file, sql).expect("write script");
    let out = Command::new(env!("CARGO_BIN_EXE_sqlnori"))
        .arg(name)
        .args(args)
        .arg(&file)
        .output()
        .expect("run sqlnori");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn json_lines_for_rows_changes_and_errors() {
    let (code, out) = run(
        &["--json"],
        "select name, manager_id from employees where id <= 2 order by id;\ninsert into employees values (9, '새직원', 1);\nselect nope;\nselect 1;",
    );
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "stops at the first failure");
    assert_eq!(
        lines[0],
        serde_json::json!({"sql": "select name, manager_id from employees where id <= 2 order by id",
            "ok": true, "columns": ["name", "manager_id"], "rows": [["김대표", null], ["이부장", 1]]})
    );
    assert_eq!(
        lines[1],
        serde_json::json!({"sql": "insert into employees values (9, '새직원', 1)", "ok": true, "affected": 1})
    );
    assert_eq!(lines[2]["ok"], false);
    // The error points at the unknown name, not at the statement's start.
    assert!(lines[2]["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("3:8: column not found: nope")));
    // MySQL's number and SQLSTATE, to look the error up.
    assert_eq!(lines[2]["errno"], 1054);
    assert_eq!(lines[2]["sqlstate"], "42S22");
}

#[test]
fn json_lines_carry_mysql_warnings() {
    let (code, out) = run(
        &["--json"],
        "select '3abc' + 1 as n;\nselect 1 / 0 as d;\nshow warnings;\nselect 2 as two;",
    );
    assert_eq!(code, 0);
    let lines = json_lines(&out);
    assert_eq!(
        lines[0],
        serde_json::json!({"sql": "select '3abc' + 1 as n", "ok": true, "columns": ["n"],
            "rows": [[4]], "warnings": [{"level": "Warning", "code": 1292,
            "message": "Truncated incorrect DOUBLE value: '3abc'"}]})
    );
    assert_eq!(lines[1]["warnings"][0]["code"], 1365);
    assert_eq!(
        lines[2]["rows"],
        serde_json::json!([["Warning", 1365, "Division by 0"]])
    );
    assert!(lines[3].get("warnings").is_none(), "no warnings, no key");
}

#[test]
fn force_keeps_going_and_success_exits_zero() {
    let (code, out) = run(&["--json", "--force"], "select nope;\nselect 2 as two;");
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["rows"], serde_json::json!([[2]]));
    let (code, _) = run(&["--json"], "select 1;");
    assert_eq!(code, 0);
}

#[test]
fn an_engine_error_is_a_failed_statement_and_later_statements_see_the_data() {
    // ABS of the most negative BIGINT overflowed (a panic in GlueSQL, before the patch).
    let (code, out) = run(
        &["--json", "--force"],
        "SELECT ABS(-9223372036854775807 - 1);\nselect count(*) as n from students;",
    );
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["ok"], false);
    assert_eq!(lines[1]["rows"], serde_json::json!([[30]]));
}

#[test]
fn readable_tables_without_json() {
    let (code, out) = run(&[], "select id, name from employees where id = 1;");
    assert_eq!(code, 0);
    assert!(out.contains("| id | name   |"), "{out}");
    assert!(out.contains("| 1  | 김대표 |"), "{out}");
}

#[test]
fn run_and_trace_draw_the_same_random_rows() {
    let sql = "SELECT id, RAND() FROM students ORDER BY 2 LIMIT 3;\nSELECT id, RAND() AS r FROM students WHERE kor > 80 ORDER BY r LIMIT 3;";
    let (_, plain) = command("run", &["--json", "--seed", "5"], sql);
    let (_, traced) = command("trace", &["--json", "--seed", "5"], sql);
    let rows = |out: &str| -> Vec<serde_json::Value> {
        json_lines(out).iter().map(|l| l["rows"].clone()).collect()
    };
    assert_eq!(rows(&plain).len(), 2);
    assert_eq!(rows(&plain), rows(&traced));
}

/// Runs the binary with `args` and `stdin`: (exit code, stdout, stderr).
fn raw(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sqlnori"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start sqlnori");
    // A run that needs no input may finish before it is written (a broken pipe): what it
    // printed is what the tests read.
    if let Err(e) = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    let out = child.wait_with_output().expect("run sqlnori");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_and_version_as_the_mysql_and_sqlite3_clients_have_them() {
    for flag in ["--help", "-h", "help"] {
        let (code, out, _) = raw(&[flag], "");
        assert_eq!(code, 0, "{flag}");
        assert!(out.contains("sqlnori run FILE.sql"), "{flag}: {out}");
        assert!(out.contains("standard input"), "{flag}: {out}");
    }
    let (code, out, _) = raw(&["--version"], "");
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("sqlnori {}", env!("CARGO_PKG_VERSION")));
    let (code, _, err) = raw(&["frobnicate"], "");
    assert_eq!(code, 2);
    assert!(err.contains("unknown command 'frobnicate'"), "{err}");
}

#[test]
fn a_dash_reads_the_script_from_standard_input() {
    let (code, out, _) = raw(
        &["run", "--json", "-"],
        "select count(*) as n from students;",
    );
    assert_eq!(code, 0);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["rows"], serde_json::json!([[30]]));
}

/// Writes `text` to a fresh temp file and returns its path.
fn temp_file(ext: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sqlnori-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!(
        "{}.{ext}",
        NEXT_FILE.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&file, text).expect("write file");
    file
}

fn sqlnori(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sqlnori"))
        .args(args)
        .output()
        .expect("run sqlnori");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const LESSON: &str = "+++
id = \"math-missing\"
title = \"수학 점수가 없는 학생\"
reference = \"SELECT name FROM students WHERE math IS NULL\"
[[wrong]]
sql = \"SELECT name FROM students WHERE math = NULL\"
feedback = \"IS NULL을 쓰세요\"
feedback_en = \"use IS NULL\"
+++
수학 점수가 없는 학생의 이름.
";

fn check(answer: &str) -> (i32, serde_json::Value) {
    let lesson = temp_file("md", LESSON);
    let answer = temp_file("sql", answer);
    let (code, out, _) = sqlnori(&[
        "check".as_ref(),
        "--json".as_ref(),
        lesson.as_os_str(),
        answer.as_os_str(),
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "one JSON object: {out}");
    (code, lines[0].clone())
}

#[test]
fn check_says_correct_with_exit_0() {
    let (code, v) = check("SELECT name AS 이름 FROM students WHERE math IS NULL;");
    assert_eq!(code, 0);
    assert_eq!(v["lesson"], "math-missing");
    assert_eq!(v["correct"], true);
    assert_eq!(v["reason"], "correct");
    assert!(v["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Correct")));
}

#[test]
fn check_says_what_kind_of_wrong_with_exit_1() {
    let (code, v) = check("SELECT name FROM students WHERE math = NULL");
    assert_eq!(code, 1);
    assert_eq!(v["correct"], false);
    assert_eq!(v["reason"], "missing_rows");
    assert_eq!(v["feedback"]["en"], "use IS NULL");
    // Hard-coded ids: right on the visible data only; the smallest database is shown.
    let (code, v) = check("SELECT name FROM students WHERE id IN (8, 21)");
    assert_eq!(code, 1);
    assert_eq!(v["reason"], "not_general");
    let tables = v["witness"]["tables"].as_array().expect("tables");
    assert_eq!(tables[0]["rows"].as_array().map(Vec::len), Some(1));
}

#[test]
fn check_refuses_an_invalid_lesson_with_exit_2_naming_the_line() {
    let lesson = temp_file(
        "md",
        "+++\nid = \"x\"\ntitle = \"t\"\nreferense = \"SELECT 1\"\n+++\n",
    );
    let answer = temp_file("sql", "SELECT 1");
    let (code, _, err) = sqlnori(&["check".as_ref(), lesson.as_os_str(), answer.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains(":4: unknown key `referense`"), "{err}");
}

#[test]
fn lessons_test_checks_a_directory() {
    let dir = std::env::temp_dir().join(format!("sqlnori-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("a.md"), LESSON).expect("write");
    let (code, out, _) = sqlnori(&["lessons".as_ref(), "test".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ math-missing"), "{out}");
    // A known mistake that passes is a problem of the lesson.
    std::fs::write(
        dir.join("b.md"),
        LESSON
            .replace("math-missing", "bad")
            .replace("math = NULL", "math IS NULL AND 1 = 1"),
    )
    .expect("write");
    let (code, out, _) = sqlnori(&["lessons".as_ref(), "test".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[[wrong]] #1 passes as correct"), "{out}");
}

/// The interactive shell through a pseudo-terminal (`script` gives it one): a statement over
/// two lines, Ctrl+C dropping a half-typed statement without leaving, `\G`, Ctrl+D to leave.
#[test]
fn the_shell_runs_statements_typed_in_a_terminal() {
    use std::io::Write;
    use std::process::Stdio;
    use std::time::Duration;
    let mut child = Command::new("script")
        .args(["-qfec", env!("CARGO_BIN_EXE_sqlnori"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs the shell in a pseudo-terminal");
    let mut input = child.stdin.take().expect("stdin");
    let steps: [&[u8]; 6] = [
        b"select 1 +\n",
        b"\x03",
        b"select name, kor\n",
        b"  from students where id = 1;\n",
        b"select id, name from employees where id = 2\\G\n",
        b"\x04",
    ];
    for step in steps {
        input.write_all(step).expect("type");
        input.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(300));
    }
    drop(input);
    let out = child.wait_with_output().expect("the shell ends");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("(취소함 / cancelled)"),
        "Ctrl+C cancels the statement: {text}"
    );
    assert!(
        !text.contains("select 1 +\nselect name"),
        "the cancelled line never ran"
    );
    assert!(
        text.contains("| name   | kor |"),
        "a table drawn for the two-line statement: {text}"
    );
    assert!(
        text.contains("1. row"),
        "\\G prints a block per row: {text}"
    );
    assert!(text.contains("name: 이부장"), "{text}");
}

#[test]
fn user_starts_as_an_account_and_its_statements_are_checked() {
    let script = "select current_user();\nselect count(*) from employees;";
    let (code, out) = run(&["--json", "--force", "--user", "'kim'@'%'"], script);
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["rows"], serde_json::json!([["kim@%"]]));
    assert_eq!(lines[1]["ok"], false);
    let error = lines[1]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("SELECT command denied to user 'kim'@'%'") && error.contains("1142"),
        "{error}"
    );
    // Without --user the session is root's, and the same script runs.
    let (code, out) = run(&["--json"], script);
    assert_eq!(code, 0);
    assert_eq!(
        json_lines(&out)[0]["rows"],
        serde_json::json!([["root@localhost"]])
    );
    // A script can switch back to root itself.
    let (code, _) = run(
        &["--user", "kim", "--json"],
        "set session authorization default;\nselect count(*) from employees;",
    );
    assert_eq!(code, 0);
    // A name that is not an account name is refused with exit 2.
    let (code, _, err) = raw(&["run", "--user", "kim'@", "-"], "select 1;");
    assert_eq!(code, 2);
    assert!(err.contains("bad account"), "{err}");
}
