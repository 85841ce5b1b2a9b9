//! Lessons: the lesson file (a contract teachers write to), what checking an answer says
//! (the verdict), how two results are compared, and the learner's progress.
//!
//! A lesson file is Markdown with TOML front matter between two `+++` lines:
//!
//! ```text
//! +++
//! id = "where-null"
//! title = "NULL 찾기"
//! title_en = "Finding NULL"
//! reference = "SELECT name FROM students WHERE math IS NULL"
//! [[hints]]
//! text = "NULL은 = 로 비교할 수 없습니다."
//! text_en = "NULL cannot be compared with =."
//! [[wrong]]
//! sql = "SELECT name FROM students WHERE math = NULL"
//! feedback = "= NULL은 언제나 NULL(알 수 없음)이라 어떤 행도 남지 않습니다."
//! feedback_en = "= NULL is always NULL (unknown), so no row is kept."
//! +++
//! 수학 점수가 없는 학생의 이름을 고르세요.
//! <!-- en -->
//! Select the names of the students without a math score.
//! ```
//!
//! The body before a line `<!-- en -->` is Korean; after it, English (optional). The checking
//! itself runs the engine, so it lives in the engine crate; this module is plain data.

pub mod compare;
pub mod markdown;
pub mod progress;
mod toml;
pub mod verdict;

use crate::error::Localized;
use markdown::Block;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;
use toml::Value;

/// The line that starts a lesson's English text.
pub const ENGLISH_MARK: &str = "<!-- en -->";
/// A lesson file larger than this is refused (a share link or a file can carry one).
pub const MAX_LESSON_BYTES: usize = 64 * 1024;

/// Why a lesson file cannot be used, at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("line {line}: {}", message.en)]
pub struct LessonError {
    pub line: u32,
    pub message: Localized,
}

impl LessonError {
    pub fn at(line: u32, ko: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            line,
            message: Localized::new(ko, en),
        }
    }

    /// `line N: message` in Korean.
    pub fn to_korean(&self) -> String {
        format!("{}행: {}", self.line, self.message.ko)
    }
}

/// Which database a lesson starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// The course's database (students, employees) as the page preloads it, with a fixed seed.
    #[default]
    Course,
    Empty,
}

/// What is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The result of one query.
    #[default]
    Query,
    /// The rows of `tables` after the statements run.
    Change,
}

/// Whether row order counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrderRule {
    #[default]
    Any,
    /// As the reference's ORDER BY sorts; rows tied on its keys in any order.
    Reference,
}

/// Whether column names count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRule {
    /// Names ignored, values compared by position.
    #[default]
    Position,
    /// Names compared case-insensitively, in any order.
    Names,
}

/// A known mistake and what to tell a learner whose results match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrong {
    pub sql: String,
    pub feedback: Localized,
}

/// One lesson, read from its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub title: Localized,
    pub dataset: Dataset,
    pub setup: Option<String>,
    pub kind: Kind,
    pub reference: String,
    pub order: OrderRule,
    pub columns: ColumnRule,
    pub tables: Vec<String>,
    pub requires: Vec<String>,
    pub hints: Vec<Localized>,
    pub wrong: Vec<Wrong>,
    /// The lesson text: Korean, and English when the file has it (else the Korean again).
    pub text: Localized,
    /// The line of the file where the body starts (for messages about it).
    pub body_line: u32,
    /// The file itself (what the checker reads; a link carries it).
    pub source: String,
}

impl Lesson {
    /// The text as blocks in one language.
    pub fn blocks(&self, english: bool) -> Vec<Block> {
        markdown::blocks(if english {
            &self.text.en
        } else {
            &self.text.ko
        })
    }
}

/// Reads a lesson file. Every problem names its line.
pub fn parse_lesson(source: &str) -> Result<Lesson, LessonError> {
    let whole = source;
    if source.len() > MAX_LESSON_BYTES {
        return Err(LessonError::at(
            1,
            format!(
                "레슨 파일이 너무 큽니다 ({} KiB까지)",
                MAX_LESSON_BYTES / 1024
            ),
            format!(
                "the lesson file is too large (at most {} KiB)",
                MAX_LESSON_BYTES / 1024
            ),
        ));
    }
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = source.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err(LessonError::at(
            1,
            "레슨 파일은 +++ 줄로 시작합니다 (그 아래에 TOML 머리말)",
            "a lesson file starts with a +++ line (TOML front matter below it)",
        ));
    }
    let mut front = String::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        if line.trim_end() == "+++" {
            closed_at = Some(i as u32 + 2);
            break;
        }
        front.push_str(line);
    }
    let Some(close_line) = closed_at else {
        return Err(LessonError::at(
            1,
            "머리말을 닫는 +++ 줄이 없습니다",
            "the front matter is never closed by a +++ line",
        ));
    };
    let body: String = lines.collect();
    let doc = toml::parse(&front, 2)?;
    let mut lesson = Fields::new(doc, close_line + 1).lesson(&body)?;
    lesson.source = whole.to_owned();
    Ok(lesson)
}

/// The fragment of a link that opens a built-in lesson: `#lesson=ID`.
pub fn lesson_fragment(id: &str) -> String {
    format!("#lesson={id}")
}

/// The lesson id of a `#lesson=ID` fragment (with or without `#`), if it is one and the id is
/// well formed.
pub fn lesson_link(fragment: &str) -> Option<&str> {
    let id = fragment
        .strip_prefix('#')
        .unwrap_or(fragment)
        .strip_prefix("lesson=")?;
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then_some(id)
}

/// The front matter's keys, taken one by one so unknown ones can be reported.
struct Fields {
    doc: toml::Document,
    body_line: u32,
}

const ROOT_KEYS: [&str; 13] = [
    "id",
    "title",
    "title_en",
    "dataset",
    "setup",
    "kind",
    "reference",
    "order",
    "columns",
    "tables",
    "requires",
    "hints",
    "wrong",
];

impl Fields {
    fn new(doc: toml::Document, body_line: u32) -> Self {
        Self { doc, body_line }
    }

    fn lesson(mut self, body: &str) -> Result<Lesson, LessonError> {
        if let Some((key, (line, _))) = self
            .doc
            .root
            .iter()
            .find(|(k, _)| !ROOT_KEYS.contains(&k.as_str()))
        {
            return Err(unknown_key(key, *line, &ROOT_KEYS));
        }
        if let Some((name, tables)) = self
            .doc
            .arrays
            .iter()
            .find(|(n, _)| !matches!(n.as_str(), "hints" | "wrong"))
        {
            return Err(LessonError::at(
                tables.first().map_or(1, |t| t.0),
                format!("[[{name}]] 표는 레슨 파일에 없습니다 ([[hints]], [[wrong]]만 씁니다)"),
                format!(
                    "there is no [[{name}]] table in lesson files (only [[hints]] and [[wrong]])"
                ),
            ));
        }
        let id = required(&mut self.doc.root, "id")?;
        let valid = !id.1.is_empty()
            && id.1.len() <= 64
            && id
                .1
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(LessonError::at(
                id.0,
                "id는 소문자, 숫자, - 로만 씁니다 (예: where-null)",
                "the id is written with a-z, 0-9 and - only (e.g. where-null)",
            ));
        }
        let title = required(&mut self.doc.root, "title")?.1;
        let title_en = optional(&mut self.doc.root, "title_en")?;
        let dataset = choice(
            &mut self.doc.root,
            "dataset",
            &[("course", Dataset::Course), ("empty", Dataset::Empty)],
        )?;
        let kind = choice(
            &mut self.doc.root,
            "kind",
            &[("query", Kind::Query), ("change", Kind::Change)],
        )?;
        let order = choice(
            &mut self.doc.root,
            "order",
            &[("any", OrderRule::Any), ("reference", OrderRule::Reference)],
        )?;
        let columns = choice(
            &mut self.doc.root,
            "columns",
            &[
                ("position", ColumnRule::Position),
                ("names", ColumnRule::Names),
            ],
        )?;
        let setup = optional(&mut self.doc.root, "setup")?;
        let reference = required(&mut self.doc.root, "reference")?;
        if reference.1.trim().is_empty() {
            return Err(LessonError::at(
                reference.0,
                "reference(모범 답안)가 비었습니다",
                "the reference (model answer) is empty",
            ));
        }
        let tables = strings(&mut self.doc.root, "tables")?;
        if kind == Kind::Change && tables.1.is_empty() {
            return Err(LessonError::at(
                tables.0.max(reference.0),
                "kind = \"change\" 레슨은 비교할 표를 tables = [\"…\"]로 적습니다",
                "a kind = \"change\" lesson names the tables to compare: tables = [\"…\"]",
            ));
        }
        let requires = strings(&mut self.doc.root, "requires")?.1;
        let mut hints = vec![];
        for (line, mut table) in self.doc.arrays.remove("hints").unwrap_or_default() {
            check_keys(&table, &["text", "text_en"])?;
            let text = required_in(&mut table, "text", line)?;
            let en = optional(&mut table, "text_en")?;
            hints.push(Localized::new(text.clone(), en.unwrap_or(text)));
        }
        let mut wrong = vec![];
        for (line, mut table) in self.doc.arrays.remove("wrong").unwrap_or_default() {
            check_keys(&table, &["sql", "feedback", "feedback_en"])?;
            let sql = required_in(&mut table, "sql", line)?;
            let feedback = required_in(&mut table, "feedback", line)?;
            let en = optional(&mut table, "feedback_en")?;
            wrong.push(Wrong {
                sql,
                feedback: Localized::new(feedback.clone(), en.unwrap_or(feedback)),
            });
        }
        let (ko, en) = match body.split_once(&format!("\n{ENGLISH_MARK}")) {
            Some((ko, en)) => (ko.trim().to_owned(), en.trim().to_owned()),
            None if body.trim_start().starts_with(ENGLISH_MARK) => {
                return Err(LessonError::at(
                    self.body_line,
                    "한국어 본문이 먼저 오고, 그 뒤에 <!-- en --> 와 영어 본문이 옵니다",
                    "the Korean text comes first, then <!-- en --> and the English text",
                ))
            }
            None => (body.trim().to_owned(), body.trim().to_owned()),
        };
        Ok(Lesson {
            id: id.1,
            title: Localized::new(title.clone(), title_en.unwrap_or(title)),
            dataset,
            setup,
            kind,
            reference: reference.1,
            order,
            columns,
            tables: tables.1,
            requires,
            hints,
            wrong,
            text: Localized::new(ko.clone(), if en.is_empty() { ko } else { en }),
            body_line: self.body_line,
            source: String::new(),
        })
    }
}

fn unknown_key(key: &str, line: u32, known: &[&str]) -> LessonError {
    LessonError::at(
        line,
        format!(
            "알 수 없는 키 `{key}` (쓸 수 있는 키: {})",
            known.join(", ")
        ),
        format!("unknown key `{key}` (known keys: {})", known.join(", ")),
    )
}

fn check_keys(table: &toml::Table, known: &[&str]) -> Result<(), LessonError> {
    match table.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        Some((key, (line, _))) => Err(unknown_key(key, *line, known)),
        None => Ok(()),
    }
}

fn not_a_string(key: &str, line: u32) -> LessonError {
    LessonError::at(
        line,
        format!("`{key}`의 값은 따옴표로 감싼 문자열입니다"),
        format!("the value of `{key}` is a quoted string"),
    )
}

fn optional(table: &mut toml::Table, key: &str) -> Result<Option<String>, LessonError> {
    match table.remove(key) {
        None => Ok(None),
        Some((_, Value::Str(s))) => Ok(Some(s)),
        Some((line, _)) => Err(not_a_string(key, line)),
    }
}

fn required(table: &mut toml::Table, key: &str) -> Result<(u32, String), LessonError> {
    required_at(table, key, 2)
}

fn required_in(table: &mut toml::Table, key: &str, line: u32) -> Result<String, LessonError> {
    required_at(table, key, line).map(|(_, s)| s)
}

fn required_at(
    table: &mut toml::Table,
    key: &str,
    line: u32,
) -> Result<(u32, String), LessonError> {
    match table.remove(key) {
        Some((line, Value::Str(s))) => Ok((line, s)),
        Some((line, _)) => Err(not_a_string(key, line)),
        None => Err(LessonError::at(
            line,
            format!("`{key}` 키가 필요합니다"),
            format!("the key `{key}` is required"),
        )),
    }
}

fn choice<T: Copy + Default>(
    table: &mut toml::Table,
    key: &str,
    options: &[(&str, T)],
) -> Result<T, LessonError> {
    let Some((line, value)) = table.remove(key) else {
        return Ok(T::default());
    };
    let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    match value {
        Value::Str(s) => options
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                LessonError::at(
                    line,
                    format!(
                        "`{key}`은(는) {} 중 하나입니다 (\"{s}\"가 아님)",
                        names.join(", ")
                    ),
                    format!("`{key}` is one of {} (not \"{s}\")", names.join(", ")),
                )
            }),
        _ => Err(not_a_string(key, line)),
    }
}

fn strings(table: &mut toml::Table, key: &str) -> Result<(u32, Vec<String>), LessonError> {
    match table.remove(key) {
        None => Ok((0, vec![])),
        Some((line, Value::Array(items))) => items
            .into_iter()
            .map(|(l, v)| match v {
                Value::Str(s) => Ok(s),
                _ => Err(not_a_string(key, l)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| (line, v)),
        Some((line, _)) => Err(LessonError::at(
            line,
            format!("`{key}`의 값은 문자열 배열입니다 ([\"…\", \"…\"])"),
            format!("the value of `{key}` is an array of strings ([\"…\", \"…\"])"),
        )),
    }
}

/// The lessons a page or a CLI knows, by id, in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonSet {
    pub lessons: Vec<Lesson>,
}

impl LessonSet {
    /// Reads every source; a file that cannot be read is reported with its name and skipped.
    pub fn read<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Self, Vec<(String, LessonError)>) {
        let mut set = LessonSet::default();
        let mut errors = vec![];
        let mut seen = BTreeMap::new();
        for (name, source) in sources {
            match parse_lesson(source) {
                Ok(lesson) if seen.contains_key(&lesson.id) => errors.push((
                    name.to_owned(),
                    LessonError::at(
                        2,
                        format!(
                            "id `{}`는 {}에서 이미 썼습니다",
                            lesson.id, seen[&lesson.id]
                        ),
                        format!(
                            "the id `{}` is already used by {}",
                            lesson.id, seen[&lesson.id]
                        ),
                    ),
                )),
                Ok(lesson) => {
                    seen.insert(lesson.id.clone(), name.to_owned());
                    set.lessons.push(lesson);
                }
                Err(e) => errors.push((name.to_owned(), e)),
            }
        }
        (set, errors)
    }

    pub fn get(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The lesson after `id` in the set's order.
    pub fn next_after(&self, id: &str) -> Option<&Lesson> {
        let at = self.lessons.iter().position(|l| l.id == id)?;
        self.lessons.get(at + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "+++
id = \"where-null\"
title = \"NULL 찾기\"
title_en = \"Finding NULL\"
reference = \"SELECT name FROM students WHERE math IS NULL\"
requires = [\"select-basics\"]

[[hints]]
text = \"NULL은 = 로 비교할 수 없습니다.\"
text_en = \"NULL cannot be compared with =.\"

[[wrong]]
sql = \"SELECT name FROM students WHERE math = NULL\"
feedback = \"= NULL은 언제나 NULL입니다.\"
+++
수학 점수가 **없는** 학생.
<!-- en -->
Students **without** a math score.
";

    #[test]
    fn a_lesson_file_reads_whole() {
        let lesson = parse_lesson(EXAMPLE).expect("reads");
        assert_eq!(lesson.id, "where-null");
        assert_eq!(lesson.title, Localized::new("NULL 찾기", "Finding NULL"));
        assert_eq!(lesson.dataset, Dataset::Course);
        assert_eq!(lesson.kind, Kind::Query);
        assert_eq!(lesson.order, OrderRule::Any);
        assert_eq!(lesson.columns, ColumnRule::Position);
        assert_eq!(lesson.requires, ["select-basics"]);
        assert_eq!(lesson.hints[0].en, "NULL cannot be compared with =.");
        // A missing English feedback falls back to the Korean one.
        assert_eq!(lesson.wrong[0].feedback.en, "= NULL은 언제나 NULL입니다.");
        assert_eq!(lesson.text.ko, "수학 점수가 **없는** 학생.");
        assert_eq!(lesson.text.en, "Students **without** a math score.");
        assert_eq!(lesson.body_line, 16);
    }

    #[test]
    fn invalid_files_name_the_line() {
        let cases = [
            ("no front matter", "id = 1\n", 1),
            ("never closed", "+++\nid = \"a\"\n", 1),
            ("bad id", "+++\nid = \"Where Null\"\ntitle = \"t\"\nreference = \"SELECT 1\"\n+++\n", 2),
            ("missing reference", "+++\nid = \"a\"\ntitle = \"t\"\n+++\n", 2),
            ("unknown key", "+++\nid = \"a\"\ntitle = \"t\"\nreference = \"SELECT 1\"\nordr = \"any\"\n+++\n", 5),
            ("bad choice", "+++\nid = \"a\"\ntitle = \"t\"\nreference = \"SELECT 1\"\n\norder = \"sorted\"\n+++\n", 6),
            ("change without tables", "+++\nid = \"a\"\ntitle = \"t\"\nkind = \"change\"\nreference = \"DELETE FROM t\"\n+++\n", 5),
            ("unknown table", "+++\nid = \"a\"\ntitle = \"t\"\nreference = \"SELECT 1\"\n[[hint]]\ntext = \"x\"\n+++\n", 5),
            ("hint without text", "+++\nid = \"a\"\ntitle = \"t\"\nreference = \"SELECT 1\"\n[[hints]]\ntext_en = \"x\"\n+++\n", 5),
            ("toml error", "+++\nid = \"a\"\ntitle = \"t\nreference = \"SELECT 1\"\n+++\n", 3),
        ];
        for (what, text, line) in cases {
            let err = parse_lesson(text).expect_err(what);
            assert_eq!(err.line, line, "{what}: {err}");
            assert!(!err.message.ko.is_empty() && !err.message.en.is_empty());
        }
    }

    #[test]
    fn lesson_links() {
        assert_eq!(
            lesson_link(&lesson_fragment("where-null")),
            Some("where-null")
        );
        assert_eq!(lesson_link("lesson=a-1"), Some("a-1"));
        for bad in [
            "#lesson=",
            "#lesson=A",
            "#lesson=a/b",
            "#v1abc",
            "#lesson=<x>",
        ] {
            assert_eq!(lesson_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn duplicate_ids_in_a_set_are_reported() {
        let (set, errors) = LessonSet::read([("a.md", EXAMPLE), ("b.md", EXAMPLE)]);
        assert_eq!(set.lessons.len(), 1);
        assert_eq!(errors[0].0, "b.md");
        assert!(errors[0].1.message.en.contains("a.md"));
    }
}
