//! Checking a learner's answer to a lesson the way a good teacher would: run it and the
//! reference on the lesson's database **and** on variant databases made to tell them apart
//! (`variants.rs`), compare as the lesson says (the model's `lesson::compare`), and when they
//! differ, shrink the database that told them apart row by row, show both results on it and
//! the first clause of the step-by-step view where the answer leaves the reference.
//!
//! A lesson is checked in engines of its own ([`Prepared`]); the learner's session database is
//! never touched. `lessons test` ([`Prepared::self_test`]) checks a lesson file: its reference
//! passes, every known mistake fails, the reference does not depend on insertion order, and
//! the mutants of the reference (`mutants.rs`) are rejected.

mod facts;
mod mutants;
mod variants;

pub use mutants::Mutant;
pub(crate) use variants::enum_values as enum_members;

use crate::{example_engine, Engine, EngineOptions, FixedClock, RunOptions};
use facts::Facts;
use sqlnori_model::examples::DEFAULT_DB;
use sqlnori_model::lesson::compare::{compare, Rules, Table};
use sqlnori_model::lesson::verdict::{Divergence, NamedTable, Reason, Verdict, Witness};
use sqlnori_model::lesson::{Dataset, Kind, Lesson, LessonError};
use sqlnori_model::trace::{RowMark, Stage, Trace};
use sqlnori_model::{split_script, Localized, Output, ScriptStatement, StatementError};
use sqlparser::ast::Statement;

/// The seed of the course dataset in lessons (the page's default), so a lesson's visible data
/// is the same for every learner.
pub const LESSON_SEED: u64 = 20_250_301;
/// The time `NOW()` reads in a lesson: 2025-03-04 09:00 in Seoul.
pub const LESSON_EPOCH_MS: i64 = 1_741_046_400_000;
/// Shrinking a database stops after this many tries.
const SHRINK_BUDGET: usize = 160;
/// Rows of a table shown with a verdict.
const SHOWN_ROWS: u64 = 200;

fn clock() -> FixedClock {
    FixedClock {
        epoch_ms: LESSON_EPOCH_MS,
    }
}

/// What one run of statements gave: the compared outputs (one result for a query lesson; the
/// named tables for a change lesson), or the first error.
type Outcome = Result<Vec<Output>, Box<StatementError>>;

/// One database a lesson is checked on.
#[derive(Clone)]
struct Database {
    /// `None`: the lesson's own (visible) database.
    name: Option<Localized>,
    engine: Engine,
    expected: Vec<Output>,
}

/// A lesson made ready for checking: its databases with the reference's results on each.
pub struct Prepared {
    pub lesson: Lesson,
    databases: Vec<Database>,
    /// Each known mistake's outcome on each database.
    wrong: Vec<Vec<Outcome>>,
    rules: Rules,
    facts: Facts,
    /// The reference's statements, split once.
    reference: Vec<ScriptStatement>,
}

/// What `lessons test` found in one lesson.
#[derive(Debug, Clone, Default)]
pub struct SelfTest {
    /// Failures: each makes the lesson unusable as it stands.
    pub problems: Vec<String>,
    pub mutants: usize,
    /// Mutants no database rejects (some are equivalent to the reference).
    pub uncaught: Vec<Mutant>,
    pub databases: usize,
}

fn lesson_error(ko: String, en: String) -> LessonError {
    LessonError::at(1, ko, en)
}

impl Prepared {
    /// Builds the lesson's database (dataset, then setup), runs the reference on it and on
    /// its variants. Fails when the setup or the reference fails, or the reference is not the
    /// kind of SQL the lesson's `kind` says.
    pub fn new(lesson: Lesson) -> Result<Prepared, LessonError> {
        let clock = clock();
        let options = EngineOptions {
            seed: LESSON_SEED,
            ..EngineOptions::default()
        };
        let mut base = match lesson.dataset {
            Dataset::Course => {
                example_engine(&options, &clock).map_err(|e| lesson_error(e.clone(), e))?
            }
            Dataset::Empty => Engine::new(&options, DEFAULT_DB),
        };
        if let Some(setup) = &lesson.setup {
            let results = base.run_script(setup, RunOptions::default(), &clock);
            if let Some(Err(e)) = results.last().map(|r| &r.outcome) {
                return Err(lesson_error(
                    format!("setup이 실패했습니다: {}", e.message.ko),
                    format!("the setup failed: {}", e.to_english()),
                ));
            }
        }
        let reference = split_script(&lesson.reference);
        if lesson.kind == Kind::Query && !is_single_query(&reference) {
            return Err(lesson_error(
                "kind = \"query\" 레슨의 reference는 SELECT 문 하나입니다".into(),
                "the reference of a kind = \"query\" lesson is one SELECT statement".into(),
            ));
        }
        let mut facts = facts::facts(&lesson.reference);
        for t in &lesson.tables {
            let name = t.rsplit('.').next().unwrap_or(t).to_lowercase();
            facts.tables.insert(name);
        }
        let tables = lesson.tables.clone();
        let current_db = base.current_database().to_owned();
        let run_reference = |engine: &Engine| -> Outcome {
            run_outcome(engine, &reference, lesson.kind, &tables, &current_db)
        };
        let expected = run_reference(&base).map_err(|e| {
            lesson_error(
                format!("reference(모범 답안)가 실패했습니다: {}", e.message.ko),
                format!("the reference fails: {}", e.to_english()),
            )
        })?;
        let sort_keys = match (&lesson.kind, expected.first()) {
            (Kind::Query, Some(Output::Rows { columns, .. })) => {
                let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
                facts::sort_keys(&lesson.reference, &names)
            }
            _ => None,
        };
        let rules = match lesson.kind {
            Kind::Query => Rules {
                order: lesson.order,
                columns: lesson.columns,
                sort_keys,
            },
            Kind::Change => Rules::default(),
        };
        let mut databases = vec![Database {
            name: None,
            engine: base.clone(),
            expected,
        }];
        let seed = variants::seed_of(&lesson.id);
        for variant in variants::variants(&base.snapshot(), &facts, seed) {
            let Ok(engine) = Engine::from_snapshot(&variant.snapshot) else {
                continue;
            };
            // A variant the reference cannot run on tells nothing.
            if let Ok(expected) = run_reference(&engine) {
                databases.push(Database {
                    name: Some(variant.name),
                    engine,
                    expected,
                });
            }
        }
        let mut prepared = Prepared {
            lesson,
            databases,
            wrong: vec![],
            rules,
            facts,
            reference,
        };
        prepared.wrong = prepared
            .lesson
            .wrong
            .iter()
            .map(|w| {
                let statements = split_script(&w.sql);
                prepared
                    .databases
                    .iter()
                    .map(|db| prepared.run(&db.engine, &statements))
                    .collect()
            })
            .collect();
        Ok(prepared)
    }

    /// How many databases an answer is run on.
    pub fn database_count(&self) -> usize {
        self.databases.len()
    }

    fn run(&self, engine: &Engine, statements: &[ScriptStatement]) -> Outcome {
        run_outcome(
            engine,
            statements,
            self.lesson.kind,
            &self.lesson.tables,
            self.databases[0].engine.current_database(),
        )
    }

    /// Runs the answer on the lesson's database as it is (the lesson's "Run"): each
    /// statement's result, stopping at the first failure.
    pub fn run_answer(&self, answer: &str) -> Vec<sqlnori_model::StatementResult> {
        let mut engine = self.databases[0].engine.clone();
        engine.run_script(answer, RunOptions::default(), &clock())
    }

    /// The verdict on `answer`.
    pub fn check(&self, answer: &str) -> Verdict {
        let statements = split_script(answer);
        let verdict = |reason: Reason, message: Localized| Verdict {
            lesson: self.lesson.id.clone(),
            correct: reason == Reason::Correct,
            reason,
            mismatch: None,
            message,
            feedback: None,
            error: None,
            witness: None,
            databases: 0,
        };
        if statements.is_empty() {
            return verdict(
                Reason::Invalid,
                Localized::new(
                    "답이 비었습니다. SQL을 적어 보세요.",
                    "The answer is empty: write some SQL.",
                ),
            );
        }
        if self.lesson.kind == Kind::Query {
            if statements.len() > 1 {
                return verdict(
                    Reason::Invalid,
                    Localized::new(
                        format!(
                            "이 레슨의 답은 SELECT 문 하나입니다 ({}개 문장을 적었습니다).",
                            statements.len()
                        ),
                        format!(
                            "This lesson's answer is one SELECT statement ({} were given).",
                            statements.len()
                        ),
                    ),
                );
            }
            if crate::dialect::parse_mysql(&statements[0].sql).is_ok()
                && !is_single_query(&statements)
            {
                return verdict(
                    Reason::Invalid,
                    Localized::new(
                        "이 레슨의 답은 데이터를 바꾸지 않는 SELECT 문입니다.",
                        "This lesson's answer is a SELECT statement, which changes nothing.",
                    ),
                );
            }
        }
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(self.databases.len());
        let mut failed = None;
        for (i, db) in self.databases.iter().enumerate() {
            let outcome = self.run(&db.engine, &statements);
            let mismatch = match &outcome {
                Err(_) => None,
                Ok(got) => first_mismatch(&db.expected, got, &self.rules).err(),
            };
            let differs = outcome.is_err() || mismatch.is_some();
            outcomes.push(outcome);
            if differs {
                failed = Some((i, mismatch));
                break;
            }
        }
        let Some((index, mismatch)) = failed else {
            let reason = Reason::Correct;
            let mut v = verdict(
                reason,
                Verdict::message_of(reason, None, self.databases.len()),
            );
            v.databases = self.databases.len();
            return v;
        };
        let error = outcomes[index].clone().err().map(|e| *e);
        let reason = match (index, &mismatch) {
            (0, Some(m)) => Reason::of(m),
            (0, None) => Reason::Error,
            _ => Reason::NotGeneral,
        };
        let mut message = Verdict::message_of(reason, mismatch.as_ref(), self.databases.len());
        if let (Some(e), true) = (&error, index > 0) {
            message = Localized::new(
                format!(
                    "{} 다른 데이터에서 오류가 납니다: {}",
                    message.ko, e.message.ko
                ),
                format!("{} On other data it fails: {}", message.en, e.message.en),
            );
        }
        let mut v = verdict(reason, message);
        v.mismatch = mismatch;
        v.error = error;
        v.databases = index + 1;
        v.feedback = self.known_mistake(&statements, &outcomes);
        v.witness = self.witness(index, &statements);
        v
    }

    /// The feedback of the known mistake whose outcomes the answer's match on every database
    /// checked so far (and on the rest).
    fn known_mistake(
        &self,
        statements: &[ScriptStatement],
        so_far: &[Outcome],
    ) -> Option<Localized> {
        let same = |a: &Outcome, b: &Outcome| match (a, b) {
            (Err(_), Err(_)) => true,
            (Ok(a), Ok(b)) => first_mismatch(a, b, &self.rules).is_ok(),
            _ => false,
        };
        self.wrong
            .iter()
            .zip(&self.lesson.wrong)
            .find_map(|(outcomes, wrong)| {
                let matches = self.databases.iter().enumerate().all(|(i, db)| {
                    let answer = match so_far.get(i) {
                        Some(o) => o.clone(),
                        None => self.run(&db.engine, statements),
                    };
                    same(&outcomes[i], &answer)
                });
                matches.then(|| wrong.feedback.clone())
            })
    }

    /// Does the answer differ from the reference on this database?
    fn differs(&self, engine: &Engine, statements: &[ScriptStatement]) -> bool {
        let Ok(expected) = self.run(engine, &self.reference) else {
            return false;
        };
        match self.run(engine, statements) {
            Err(_) => true,
            Ok(got) => first_mismatch(&expected, &got, &self.rules).is_err(),
        }
    }

    /// The smallest database (rows removed while the two still differ) made from database
    /// `index`, both results on it and where the answer's steps leave the reference's.
    fn witness(&self, index: usize, statements: &[ScriptStatement]) -> Option<Witness> {
        let db = &self.databases[index];
        let mut snapshot = db.engine.snapshot();
        let mut tries = 0;
        let mut try_snapshot = |candidate: &sqlnori_model::snapshot::Snapshot| -> bool {
            tries += 1;
            tries <= SHRINK_BUDGET
                && Engine::from_snapshot(candidate).is_ok_and(|e| self.differs(&e, statements))
        };
        let tables: Vec<usize> = (0..snapshot.tables.len())
            .filter(|&i| !snapshot.tables[i].rows.is_empty())
            .collect();
        // Whole tables first, then halves, quarters … single rows.
        for &ti in &tables {
            let mut candidate = snapshot.clone();
            candidate.tables[ti].rows.clear();
            if try_snapshot(&candidate) {
                snapshot = candidate;
            }
        }
        for &ti in &tables {
            let mut chunk = snapshot.tables[ti].rows.len().div_ceil(2);
            while chunk >= 1 {
                let mut start = 0;
                while start < snapshot.tables[ti].rows.len() {
                    let mut candidate = snapshot.clone();
                    let rows = &mut candidate.tables[ti].rows;
                    let end = (start + chunk).min(rows.len());
                    rows.drain(start..end);
                    if try_snapshot(&candidate) {
                        snapshot = candidate;
                    } else {
                        start += chunk;
                    }
                }
                if chunk == 1 {
                    break;
                }
                chunk = chunk.div_ceil(2);
            }
        }
        let engine = Engine::from_snapshot(&snapshot).ok()?;
        let reference = &self.reference;
        let expected = self.run(&engine, reference).ok()?;
        let answer = self.run(&engine, statements);
        // The output that differs (the only one for a query lesson).
        let at = match &answer {
            Ok(got) => (0..expected.len())
                .find(|&i| {
                    got.get(i).is_none_or(|g| {
                        first_mismatch(&expected[i..=i], std::slice::from_ref(g), &self.rules)
                            .is_err()
                    })
                })
                .unwrap_or(0),
            Err(_) => 0,
        };
        let (divergence, trace) = if self.lesson.kind == Kind::Query {
            let mut e = engine.clone();
            let (_, learner) = e.trace_statement(&statements[0], &clock());
            let mut e = engine.clone();
            let (_, model) = e.trace_statement(&reference[0], &clock());
            // An answer that failed has no clause to compare: its error says what happened.
            let divergence = learner
                .error
                .is_none()
                .then(|| divergence(&learner, &model))
                .flatten();
            (divergence, Some(learner))
        } else {
            (None, None)
        };
        Some(Witness {
            variant: db.name.clone(),
            tables: self.shown_tables(&engine, statements),
            answer: answer.map_err(|e| *e).map(|mut o| {
                if at < o.len() {
                    o.swap_remove(at)
                } else {
                    empty_rows()
                }
            }),
            expected: expected.get(at).cloned().unwrap_or_else(empty_rows),
            divergence,
            trace,
        })
    }

    /// The tables either the reference or the answer reads, as they are in `engine`.
    fn shown_tables(&self, engine: &Engine, statements: &[ScriptStatement]) -> Vec<NamedTable> {
        let mut read = self.facts.tables.clone();
        for s in statements {
            read.extend(facts::facts(&s.sql).tables);
        }
        let mut e = engine.clone();
        engine
            .schema()
            .into_iter()
            .filter(|t| read.contains(&t.name.to_lowercase()))
            .filter_map(
                |t| match e.preview(&t.database, &t.name, SHOWN_ROWS).outcome {
                    Ok(Output::Rows { columns, rows }) => Some(NamedTable {
                        name: t.name,
                        columns,
                        rows,
                    }),
                    _ => None,
                },
            )
            .collect()
    }

    /// `lessons test` for this lesson.
    pub fn self_test(&self) -> SelfTest {
        let mut report = SelfTest {
            databases: self.databases.len(),
            ..SelfTest::default()
        };
        let reference = self.check(&self.lesson.reference);
        if !reference.correct {
            report.problems.push(format!(
                "the reference does not pass its own check: {}",
                reference.message.en
            ));
        }
        for (i, wrong) in self.lesson.wrong.iter().enumerate() {
            let v = self.check(&wrong.sql);
            if v.correct {
                report.problems.push(format!(
                    "[[wrong]] #{} passes as correct: {}",
                    i + 1,
                    wrong.sql.trim()
                ));
            } else if v.feedback.as_ref() != Some(&wrong.feedback) && v.feedback.is_none() {
                report.problems.push(format!(
                    "[[wrong]] #{} fails but is not recognised as itself: {}",
                    i + 1,
                    wrong.sql.trim()
                ));
            }
        }
        if let Some(problem) = self.order_dependence() {
            report.problems.push(problem);
        }
        let nullable = self.databases[0]
            .engine
            .schema()
            .iter()
            .flat_map(|t| t.columns.iter())
            .filter(|c| c.nullable)
            .map(|c| c.name.to_lowercase())
            .collect();
        let mutants = mutants::mutants(&self.lesson.reference, &nullable);
        report.mutants = mutants.len();
        report.uncaught = mutants
            .into_iter()
            .filter(|m| self.check(&m.sql).correct)
            .collect();
        report
    }

    /// The reference under a shuffled insertion order must give the same result (under the
    /// lesson's rules), or the lesson's expected answer depends on chance.
    fn order_dependence(&self) -> Option<String> {
        let base = &self.databases[0];
        let mut snapshot = base.engine.snapshot();
        let mut rng =
            sqlnori_model::rng::SeededRng::new(variants::seed_of(&self.lesson.id) ^ 0x5eed);
        for t in &mut snapshot.tables {
            // Fisher–Yates with the lesson's seed.
            for i in (1..t.rows.len()).rev() {
                let j = usize::try_from(rng.range(0, i as i64)).unwrap_or(0);
                t.rows.swap(i, j);
            }
        }
        let engine = Engine::from_snapshot(&snapshot).ok()?;
        match self.run(&engine, &self.reference) {
            Err(e) => Some(format!(
                "the reference fails when the rows come in another order: {}",
                e.to_english()
            )),
            Ok(got) => first_mismatch(&base.expected, &got, &self.rules)
                .err()
                .map(|m| {
                    format!(
                        "the reference gives another result when the rows come in another order \
                     ({}): add ORDER BY keys that break ties, or order = \"any\"",
                        sqlnori_model::lesson::verdict::mismatch_text(&m).en
                    )
                }),
        }
    }
}

fn empty_rows() -> Output {
    Output::Rows {
        columns: vec![],
        rows: vec![],
    }
}

fn is_single_query(statements: &[ScriptStatement]) -> bool {
    statements.len() == 1
        && crate::dialect::parse_mysql(&statements[0].sql)
            .is_ok_and(|s| s.len() == 1 && matches!(s[0], Statement::Query(_)))
}

/// Runs `statements` on a copy of `engine` and takes what the lesson compares.
fn run_outcome(
    engine: &Engine,
    statements: &[ScriptStatement],
    kind: Kind,
    tables: &[String],
    current_db: &str,
) -> Outcome {
    let clock = clock();
    let mut engine = engine.clone();
    let mut last = None;
    for stmt in statements {
        let result = engine.run_statement(stmt, &clock);
        last = Some(result.outcome.map_err(Box::new)?);
    }
    match kind {
        Kind::Query => Ok(last.into_iter().collect()),
        Kind::Change => tables
            .iter()
            .map(|t| {
                let (db, name) = t.split_once('.').unwrap_or((current_db, t));
                engine
                    .preview(db, name, 1_000_000)
                    .outcome
                    .map_err(Box::new)
            })
            .collect(),
    }
}

/// The first output of `got` that differs from `expected`'s.
fn first_mismatch(
    expected: &[Output],
    got: &[Output],
    rules: &Rules,
) -> Result<(), sqlnori_model::lesson::compare::Mismatch> {
    use sqlnori_model::lesson::compare::Mismatch;
    // Borrowed: a check compares every database's results, and shrinking compares again.
    fn as_table(o: &Output) -> Table<'_> {
        match o {
            Output::Rows { columns, rows } => Table { columns, rows },
            Output::Affected { .. } => Table {
                columns: &[],
                rows: &[],
            },
        }
    }
    if expected.len() != got.len() {
        return Err(Mismatch::WrongColumns {
            expected: vec![],
            got: vec![],
        });
    }
    for (e, g) in expected.iter().zip(got) {
        compare(as_table(e), as_table(g), rules)?;
    }
    Ok(())
}

/// The rows a step keeps, as comparable keys (in order at ORDER BY and LIMIT, sorted
/// elsewhere: only there does order matter).
fn kept_rows(step: &sqlnori_model::trace::Step) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = step
        .table
        .rows
        .iter()
        .filter(|r| r.mark == RowMark::Kept)
        .map(|r| {
            r.cells
                .iter()
                .map(sqlnori_model::lesson::compare::cell_key)
                .collect()
        })
        .collect();
    if !matches!(step.stage, Stage::OrderBy | Stage::Limit) {
        sqlnori_model::sort::sort(&mut rows);
    }
    rows
}

/// The number of rows a step keeps, whatever their order.
fn kept_set(step: &sqlnori_model::trace::Step) -> Vec<Vec<String>> {
    let mut rows = kept_rows(step);
    sqlnori_model::sort::sort(&mut rows);
    rows
}

/// The first step where the answer's trace leaves the reference's. Steps are matched by
/// clause, in order: a clause both have differs when it keeps other rows; a clause only the
/// answer has matters when it changes the rows (an ORDER BY the task did not ask for does
/// not, a LIMIT does); a clause only the reference has that changes the rows is missing from
/// the answer at the next step.
fn divergence(learner: &Trace, model: &Trace) -> Option<Divergence> {
    let at = |i: usize, a: &sqlnori_model::trace::Step, b: Option<&sqlnori_model::trace::Step>| {
        Divergence {
            step: i,
            stage: a.stage,
            label: a.label.clone(),
            kept: kept_rows(a).len(),
            expected_kept: b.map_or(0, |b| kept_rows(b).len()),
            missing: None,
            extra: b.is_none(),
        }
    };
    // The privilege check (an account's run) lists objects, not rows: it is not a clause
    // that changes rows, and answers reading different columns differ there by design.
    let changes = |steps: &[sqlnori_model::trace::Step], i: usize| {
        steps[i].stage != Stage::Privileges
            && (i == 0 || kept_set(&steps[i]) != kept_set(&steps[i - 1]))
    };
    let mut j = 0;
    for (i, a) in learner.steps.iter().enumerate() {
        if a.stage == Stage::Privileges {
            continue;
        }
        match model.steps[j.min(model.steps.len())..]
            .iter()
            .position(|b| b.stage == a.stage)
        {
            Some(k) => {
                let b = &model.steps[j + k];
                if let Some(skipped) = (j..j + k).find(|&s| changes(&model.steps, s)) {
                    let mut d = at(i, a, Some(b));
                    d.missing = Some(model.steps[skipped].stage);
                    return Some(d);
                }
                if kept_rows(a) != kept_rows(b) {
                    return Some(at(i, a, Some(b)));
                }
                j += k + 1;
            }
            None if changes(&learner.steps, i) => return Some(at(i, a, None)),
            None => {}
        }
    }
    // A clause the reference has after all of the answer's (a DISTINCT, a LIMIT).
    let skipped = (j..model.steps.len()).find(|&s| changes(&model.steps, s))?;
    let last = learner.steps.len().checked_sub(1)?;
    let mut d = at(last, &learner.steps[last], model.steps.get(skipped));
    d.missing = Some(model.steps[skipped].stage);
    d.extra = false;
    Some(d)
}

/// Reads and prepares a lesson file.
pub fn prepare(source: &str) -> Result<Prepared, LessonError> {
    Prepared::new(sqlnori_model::lesson::parse_lesson(source)?)
}
