//! `sqlnori check [--json] LESSON.md ANSWER.sql` and `sqlnori lessons test [--strict] [DIR]`:
//! the lesson checker on the command line (a contract: teachers script it).

use sqlnori_engine::lesson::{Prepared, SelfTest};
use sqlnori_model::lesson::verdict::{NamedTable, Verdict};
use sqlnori_model::lesson::{parse_lesson, LessonError};
use sqlnori_model::render;
use sqlnori_model::{Cell, Output};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where `lessons test` looks without a DIR.
pub const DEFAULT_DIR: &str = "lessons";

fn read(path: &str) -> Result<String, ExitCode> {
    if path == "-" {
        let mut text = String::new();
        return std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map(|_| text)
            .map_err(|e| {
                eprintln!("cannot read standard input: {e}");
                ExitCode::from(2)
            });
    }
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("cannot read {path}: {e}");
        ExitCode::from(2)
    })
}

fn invalid(path: &str, e: &LessonError, json: bool) -> ExitCode {
    eprintln!("{path}:{}: {}", e.line, e.message.en);
    eprintln!("{path}:{}: {}", e.line, e.message.ko);
    if json {
        println!(
            "{}",
            serde_json::json!({
                "lesson": null,
                "correct": false,
                "reason": "invalid_lesson",
                "message": format!("{path}:{}: {}", e.line, e.message.en),
                "message_ko": format!("{path}:{}: {}", e.line, e.message.ko),
                "line": e.line,
            })
        );
    }
    ExitCode::from(2)
}

/// `check`: exit 0 when correct, 1 when not, 2 when the lesson file is invalid.
pub fn check(json: bool, lesson_path: &str, answer_path: &str) -> ExitCode {
    let lesson = match read(lesson_path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let answer = match read(answer_path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let prepared = match parse_lesson(&lesson).and_then(Prepared::new) {
        Ok(p) => p,
        Err(e) => return invalid(lesson_path, &e, json),
    };
    // An engine panic on the answer is a failed check, not a crash of the tool.
    std::panic::set_hook(Box::new(|_| {}));
    let verdict =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepared.check(&answer)));
    let _ = std::panic::take_hook();
    let verdict = match verdict {
        Ok(v) => v,
        Err(panic) => {
            let detail = sqlnori_model::protocol::panic_message(panic.as_ref()).unwrap_or_default();
            let message = format!("the engine crashed on this answer: {detail}");
            if json {
                println!(
                    "{}",
                    serde_json::json!({"lesson": prepared.lesson.id, "correct": false,
                        "reason": "error", "message": message})
                );
            } else {
                println!("✗ {message}");
            }
            return ExitCode::FAILURE;
        }
    };
    if json {
        println!("{}", verdict_json(&verdict));
    } else {
        print!("{}", verdict_text(&verdict));
    }
    if verdict.correct {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The verdict as one JSON object: the contract's `lesson`, `correct`, `reason`, `message`
/// (English; `message_ko` beside it) and the rest of the verdict (without the answer's
/// whole trace).
pub fn verdict_json(v: &Verdict) -> serde_json::Value {
    let mut value = serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("message".into(), v.message.en.clone().into());
        map.insert("message_ko".into(), v.message.ko.clone().into());
        if let Some(serde_json::Value::Object(w)) = map.get_mut("witness") {
            w.remove("trace");
        }
    }
    value
}

fn table_text(columns: &[String], rows: &[Vec<Cell>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(Cell::display).collect())
        .collect();
    render::table(columns, &rows)
}

fn output_text(o: &Output) -> String {
    match o {
        Output::Rows { columns, rows } => {
            let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
            table_text(&names, rows)
        }
        Output::Affected { verb, affected } => format!("{verb}: {affected}\n"),
    }
}

/// The verdict for people.
pub fn verdict_text(v: &Verdict) -> String {
    let mut out = String::new();
    let mark = if v.correct { "✓" } else { "✗" };
    out.push_str(&format!(
        "{mark} [{}] {}\n  {}\n",
        v.reason.name(),
        v.message.ko,
        v.message.en
    ));
    if let Some(f) = &v.feedback {
        out.push_str(&format!("  ▶ {}\n    {}\n", f.ko, f.en));
    }
    if let Some(e) = &v.error {
        out.push_str(&format!("  {}\n", e.to_english()));
    }
    if let Some(w) = &v.witness {
        match &w.variant {
            Some(name) => out.push_str(&format!(
                "\n가장 작은 데이터베이스 / the smallest database ({} / {}):\n",
                name.ko, name.en
            )),
            None => out.push_str("\n가장 작은 데이터베이스 / the smallest database:\n"),
        }
        for NamedTable {
            name,
            columns,
            rows,
        } in &w.tables
        {
            let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
            out.push_str(&format!("{name}\n{}", table_text(&names, rows)));
        }
        out.push_str("\n답의 결과 / your result:\n");
        match &w.answer {
            Ok(o) => out.push_str(&output_text(o)),
            Err(e) => out.push_str(&format!("{}\n", e.to_english())),
        }
        out.push_str("\n기대한 결과 / expected:\n");
        out.push_str(&output_text(&w.expected));
        if let Some(d) = &w.divergence {
            let text = sqlnori_model::lesson::verdict::divergence_text(d);
            out.push_str(&format!("\n{}\n{}\n", text.ko, text.en));
        }
    }
    out
}

/// The lesson files of `dir`, sorted by name.
fn lesson_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    sqlnori_model::sort::sort(&mut files);
    Ok(files)
}

/// `lessons test`: exit 0 when every lesson holds (uncaught mutants are listed; with
/// `--strict` they fail too), 1 when one does not, 2 when DIR cannot be read.
pub fn test(dir: &str, strict: bool) -> ExitCode {
    let files = match lesson_files(Path::new(dir)) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!("no lesson files (*.md) in {dir}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    let mut ids = vec![];
    let mut requires = vec![];
    std::panic::set_hook(Box::new(|_| {}));
    for file in &files {
        let shown = file.display().to_string();
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                println!("✗ {shown}: cannot read: {e}");
                failed += 1;
                continue;
            }
        };
        let prepared = match parse_lesson(&source).and_then(Prepared::new) {
            Ok(p) => p,
            Err(e) => {
                println!("✗ {shown}:{}: {}", e.line, e.message.en);
                failed += 1;
                continue;
            }
        };
        let id = prepared.lesson.id.clone();
        if ids.contains(&id) {
            println!("✗ {shown}: the id `{id}` is used twice");
            failed += 1;
        }
        ids.push(id.clone());
        requires.extend(
            prepared
                .lesson
                .requires
                .iter()
                .map(|r| (shown.clone(), r.clone())),
        );
        let report =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepared.self_test()))
                .unwrap_or_else(|panic| SelfTest {
                    problems: vec![format!(
                        "the engine crashed: {}",
                        sqlnori_model::protocol::panic_message(panic.as_ref()).unwrap_or_default()
                    )],
                    ..SelfTest::default()
                });
        let bad = !report.problems.is_empty() || (strict && !report.uncaught.is_empty());
        let mark = if bad { "✗" } else { "✓" };
        println!(
            "{mark} {id}: {} databases, {} mutants, {} not caught",
            report.databases,
            report.mutants,
            report.uncaught.len()
        );
        for p in &report.problems {
            println!("    problem: {p}");
        }
        for m in &report.uncaught {
            println!(
                "    mutant not caught ({}): {}",
                m.description,
                m.sql.replace('\n', " ")
            );
        }
        if bad {
            failed += 1;
        }
    }
    let _ = std::panic::take_hook();
    for (file, r) in requires {
        if !ids.contains(&r) {
            println!("✗ {file}: requires `{r}`, which no lesson in {dir} has");
            failed += 1;
        }
    }
    println!("{} lessons, {failed} failed", files.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
