//! What the worker does with the page's requests, as plain Rust (the worker binary only
//! carries messages): one engine, the statements run since a base copy of it (so a statement's
//! steps can be computed on demand from the database as it was before it), the traces shown
//! lately (for their further pages), and what the page has stored (so a save sends only the
//! tables that changed).

use crate::{example_engine, Clock, Engine, EngineOptions, FixedClock};
use sqlnori_model::protocol::{LessonReply, Replayed, Request, Response};
use sqlnori_model::snapshot::Saver;
use sqlnori_model::trace::{Trace, TRACE_PAGE_ROWS};
use sqlnori_model::{Localized, ScriptStatement};
use std::collections::VecDeque;

/// How many statements' whole traces are kept for paging, and how many rows in all (older
/// traces go first; the newest is always kept).
const KEPT_TRACES: usize = 32;
const KEPT_TRACE_ROWS: usize = 200_000;
/// Writes since the base copy past which the base moves up to now (explaining a statement
/// replays the writes before it from the base).
const MAX_REPLAY_WRITES: usize = 64;
/// Rows of a table the sidebar's preview shows.
const PREVIEW_ROWS: u64 = 10;

/// One statement run since the base copy.
#[derive(Debug, Clone)]
struct Entry {
    origin: Option<(u64, usize)>,
    statement: ScriptStatement,
    now_ms: i64,
    wrote: bool,
}

/// The worker's state.
pub struct Session {
    engine: Engine,
    /// The database at the start of `entries`.
    base: Engine,
    entries: Vec<Entry>,
    traces: VecDeque<((u64, usize), Trace)>,
    saver: Saver,
    /// The lesson checked last, made ready (its file and its databases).
    lesson: Option<(String, crate::lesson::Prepared)>,
}

impl Session {
    /// A session from a snapshot, or from the examples; the statements since are replayed
    /// (writes run again, reads recorded) and the random sequence set where it was.
    pub fn start(
        snapshot: Option<&str>,
        stored: bool,
        seed: u64,
        replay: &[Replayed],
        rng: Option<u64>,
        clock: &dyn Clock,
    ) -> (Option<Session>, Response) {
        let options = EngineOptions {
            seed,
            ..EngineOptions::default()
        };
        let mut notice = None;
        let (engine, restored) = match snapshot.map(Engine::from_snapshot_json) {
            Some(Ok(engine)) => (Some(engine), true),
            Some(Err(e)) => {
                notice = Some(Localized::new(
                    format!("저장된 데이터베이스를 읽지 못해 예제로 시작합니다 ({e})"),
                    format!(
                        "the saved database could not be read, starting from the examples ({e})"
                    ),
                ));
                (example_engine(&options, clock).ok(), false)
            }
            None => (example_engine(&options, clock).ok(), false),
        };
        let Some(engine) = engine else {
            return (
                None,
                Response::Crashed {
                    message: "the example database failed to load".to_owned(),
                },
            );
        };
        let mut saver = Saver::default();
        if restored && stored {
            saver.assume(&engine.snapshot());
        }
        let mut session = Session {
            base: engine.clone(),
            engine,
            entries: vec![],
            traces: VecDeque::new(),
            saver,
            lesson: None,
        };
        let mut failed = vec![];
        // Statements recorded after a database that was refused do not apply to the examples.
        let replay = if snapshot.is_some() && !restored {
            &[]
        } else {
            replay
        };
        for (i, r) in replay.iter().enumerate() {
            if r.wrote {
                let result = session
                    .engine
                    .run_statement(&r.statement, &FixedClock { epoch_ms: r.now_ms });
                if !result.is_ok() {
                    failed.push(i);
                    continue;
                }
            }
            session.entries.push(Entry {
                origin: r.origin,
                statement: r.statement.clone(),
                now_ms: r.now_ms,
                wrote: r.wrote,
            });
        }
        if let Some(state) = rng {
            session.engine.set_rand_state(state);
        }
        let ready = Response::Ready {
            schema: session.engine.schema(),
            databases: session.engine.databases(),
            restored,
            notice,
            failed,
            accounts: session.engine.account_status(),
        };
        (Some(session), ready)
    }

    /// Answers one request (`Init` is [`Session::start`]'s); `Run` answers once per statement
    /// and then `Done`, each through `post` as soon as it is ready.
    pub fn handle(&mut self, req: Request, clock: &dyn Clock, post: &mut dyn FnMut(Response)) {
        match req {
            // (Answered by the worker itself, which knows its memory.)
            Request::Init { .. } | Request::Stats => {}
            Request::Run {
                run_id,
                statements,
                force,
            } => self.run(run_id, &statements, force, clock, post),
            Request::Explain { run_id, index } => post(self.explain(run_id, index)),
            Request::TracePage {
                run_id,
                index,
                path,
                offset,
            } => {
                let table = self
                    .traces
                    .iter()
                    .find(|(key, _)| *key == (run_id, index))
                    .and_then(|(_, trace)| trace.page_at(&path, offset, TRACE_PAGE_ROWS));
                post(Response::TracePage {
                    run_id,
                    index,
                    path,
                    table,
                });
            }
            Request::Save => post(Response::Saved {
                saved: self.saver.save(self.engine.snapshot()),
            }),
            Request::Dump => post(Response::Dump {
                sql: self.engine.dump_sql(),
            }),
            Request::Lesson {
                id,
                source,
                answer,
                check,
            } => post(Response::Lesson {
                id,
                reply: self.lesson(source, &answer, check),
            }),
            Request::Preview { database, table } => {
                let result = self.engine.preview(&database, &table, PREVIEW_ROWS);
                post(Response::Preview {
                    database,
                    table,
                    result,
                });
            }
        }
    }

    /// A lesson answer checked or run, the lesson prepared once for all its answers.
    fn lesson(&mut self, source: String, answer: &str, check: bool) -> LessonReply {
        if self.lesson.as_ref().is_none_or(|(s, _)| *s != source) {
            match crate::lesson::prepare(&source) {
                Ok(prepared) => self.lesson = Some((source, prepared)),
                Err(e) => return LessonReply::Invalid(e),
            }
        }
        let Some((_, prepared)) = &self.lesson else {
            return LessonReply::Ran(vec![]);
        };
        if check {
            LessonReply::Checked(Box::new(prepared.check(answer)))
        } else {
            LessonReply::Ran(prepared.run_answer(answer))
        }
    }

    fn run(
        &mut self,
        run_id: u64,
        statements: &[ScriptStatement],
        force: bool,
        clock: &dyn Clock,
        post: &mut dyn FnMut(Response),
    ) {
        for (index, stmt) in statements.iter().enumerate() {
            let now_ms = clock.now_epoch_ms();
            // Each statement sees the clock as it was when it started, and is replayed so.
            let (mut result, kind) = self.engine.run_classified(stmt, &Frozen { now_ms, clock });
            // (The page has the statement: see `Response::Statement`.)
            result.sql = String::new();
            let ok = result.is_ok();
            let wrote = ok && kind.wrote;
            // A denied statement has steps too: its privilege check says what was missing.
            let denied = matches!(&result.outcome, Err(e) if e.code == "denied");
            if ok || denied {
                self.record(Entry {
                    origin: Some((run_id, index)),
                    statement: stmt.clone(),
                    now_ms,
                    wrote,
                });
            }
            post(Response::Statement {
                run_id,
                index,
                result,
                wrote,
                explainable: (ok || denied) && kind.explainable,
                now_ms,
                rng: self.engine.rand_state(),
                schema: wrote.then(|| self.engine.schema()),
                accounts: wrote.then(|| self.engine.account_status()),
            });
            if !ok && !force {
                break;
            }
        }
        post(Response::Done { run_id });
    }

    /// Keeps a statement that ran; past too many writes, the base moves up to now.
    fn record(&mut self, entry: Entry) {
        let writes = self.entries.iter().filter(|e| e.wrote).count();
        if entry.wrote && writes >= MAX_REPLAY_WRITES {
            self.base = self.engine.clone();
            self.entries.clear();
            // The statement just run is part of the new base; it can no longer be explained.
            return;
        }
        self.entries.push(entry);
    }

    /// A statement's steps, from the database as it was before it.
    fn explain(&mut self, run_id: u64, index: usize) -> Response {
        let found = self
            .entries
            .iter()
            .position(|e| e.origin == Some((run_id, index)));
        let Some(at) = found else {
            return Response::Explained {
                run_id,
                index,
                trace: None,
                missing: Some(Localized::new(
                    "이 문장의 단계는 더 이상 보여 줄 수 없습니다 (그 뒤로 데이터베이스가 다시 만들어졌거나 너무 많이 바뀌었습니다). 다시 실행하면 볼 수 있습니다.",
                    "the steps of this statement can no longer be shown (the database was rebuilt or changed too much since); run it again to see them",
                )),
            };
        };
        let entry = self.entries[at].clone();
        let clock = FixedClock {
            epoch_ms: entry.now_ms,
        };
        let trace = if self.entries[at..].iter().any(|e| e.wrote) {
            // Rebuild the database before the statement: the base and the writes before it.
            let mut engine = self.base.clone();
            for e in self.entries[..at].iter().filter(|e| e.wrote) {
                let _ = engine.run_statement(&e.statement, &FixedClock { epoch_ms: e.now_ms });
            }
            engine.explain(&entry.statement, &clock)
        } else {
            // Nothing was written since: the database is as it was. Tracing draws random
            // numbers again; the sequence goes back where it was.
            let rng = self.engine.rand_state();
            let trace = self.engine.explain(&entry.statement, &clock);
            self.engine.set_rand_state(rng);
            trace
        };
        let first_page = trace.first_page(TRACE_PAGE_ROWS);
        self.keep_trace((run_id, index), trace);
        Response::Explained {
            run_id,
            index,
            trace: Some(first_page),
            missing: None,
        }
    }

    fn keep_trace(&mut self, key: (u64, usize), trace: Trace) {
        self.traces.retain(|(k, _)| *k != key);
        self.traces.push_back((key, trace));
        let rows = |t: &VecDeque<((u64, usize), Trace)>| {
            t.iter().map(|(_, tr)| tr.row_count()).sum::<usize>()
        };
        while self.traces.len() > 1
            && (self.traces.len() > KEPT_TRACES || rows(&self.traces) > KEPT_TRACE_ROWS)
        {
            self.traces.pop_front();
        }
    }
}

/// A clock stopped at `now_ms` for `NOW()`, still moving for elapsed times.
struct Frozen<'a> {
    now_ms: i64,
    clock: &'a dyn Clock,
}

impl Clock for Frozen<'_> {
    fn now_epoch_ms(&self) -> i64 {
        self.now_ms
    }
    fn monotonic_ms(&self) -> f64 {
        self.clock.monotonic_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlnori_model::trace::Stage;

    const CLOCK: FixedClock = FixedClock {
        epoch_ms: 1_740_787_200_000,
    };

    fn run(session: &mut Session, run_id: u64, sql: &str) -> Vec<Response> {
        let mut out = vec![];
        session.handle(
            Request::Run {
                run_id,
                statements: sqlnori_model::split_script(sql),
                force: false,
            },
            &CLOCK,
            &mut |r| out.push(r),
        );
        out
    }

    fn explained(session: &mut Session, run_id: u64, index: usize) -> Option<Trace> {
        let mut out = vec![];
        session.handle(Request::Explain { run_id, index }, &CLOCK, &mut |r| {
            out.push(r)
        });
        match out.pop() {
            Some(Response::Explained { trace, .. }) => trace,
            other => panic!("{other:?}"),
        }
    }

    fn start() -> Session {
        Session::start(None, false, 7, &[], None, &CLOCK)
            .0
            .expect("starts")
    }

    #[test]
    fn a_statement_is_explained_from_the_database_before_it() {
        let mut s = start();
        run(
            &mut s,
            1,
            "SELECT COUNT(*) FROM employees; DELETE FROM employees WHERE id > 6; SELECT COUNT(*) FROM employees",
        );
        // The first SELECT saw eight employees, though six are left now.
        let first = explained(&mut s, 1, 0).expect("explained");
        let from = first
            .steps
            .iter()
            .find(|st| st.stage == Stage::From)
            .expect("FROM");
        assert_eq!(from.table.total, 8);
        // The DELETE's before and after.
        let delete = explained(&mut s, 1, 1).expect("explained");
        assert_eq!(delete.steps[0].stage, Stage::Before);
        assert_eq!(delete.steps[0].table.total, 8);
        assert_eq!(delete.steps[1].table.total, 6);
        // Explaining changed nothing.
        let after = run(&mut s, 2, "SELECT COUNT(*) FROM employees");
        match &after[0] {
            Response::Statement { result, .. } => {
                assert_eq!(result.to_json_line()["rows"], serde_json::json!([[6]]));
            }
            other => panic!("{other:?}"),
        }
        assert!(explained(&mut s, 9, 0).is_none(), "an unknown statement");
    }

    #[test]
    fn a_statement_comes_back_without_its_text_but_with_its_place() {
        let mut s = start();
        let out = run(
            &mut s,
            1,
            "SELECT 1;\nINSERT INTO employees VALUES (9, '새직원', 1)",
        );
        match (&out[0], &out[1]) {
            (Response::Statement { result: a, .. }, Response::Statement { result: b, .. }) => {
                assert_eq!((a.sql.as_str(), b.sql.as_str()), ("", ""));
                assert_eq!((a.span.line, b.span.line), (1, 2));
                assert!(a.is_ok() && b.is_ok());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_restarted_session_replays_and_still_explains() {
        let mut s = start();
        let out = run(
            &mut s,
            1,
            "INSERT INTO employees VALUES (9, '새직원', 1); SELECT RAND()",
        );
        let (Response::Statement { now_ms, .. }, Response::Statement { rng, result, .. }) =
            (&out[0], &out[1])
        else {
            panic!("{out:?}");
        };
        let first_rand = result.to_json_line()["rows"].clone();
        let replay = vec![Replayed {
            statement: sqlnori_model::split_script("INSERT INTO employees VALUES (9, '새직원', 1)")
                .remove(0),
            now_ms: *now_ms,
            wrote: true,
            origin: Some((1, 0)),
        }];
        let (again, ready) = Session::start(None, false, 7, &replay, Some(*rng), &CLOCK);
        let mut again = again.expect("starts");
        assert!(matches!(ready, Response::Ready { ref failed, .. } if failed.is_empty()));
        let out = run(
            &mut again,
            2,
            "SELECT COUNT(*) FROM employees; SELECT RAND()",
        );
        match (&out[0], &out[1]) {
            (Response::Statement { result: a, .. }, Response::Statement { result: b, .. }) => {
                assert_eq!(a.to_json_line()["rows"], serde_json::json!([[9]]));
                // The random sequence goes on: the number drawn before is not drawn again.
                assert_ne!(b.to_json_line()["rows"], first_rand);
            }
            other => panic!("{other:?}"),
        }
        let insert = explained(&mut again, 1, 0).expect("the replayed INSERT is explained");
        assert_eq!(insert.steps[1].table.total, 9);
    }

    #[test]
    fn a_save_sends_only_what_changed() {
        let mut s = start();
        let save = |s: &mut Session| {
            let mut out = vec![];
            s.handle(Request::Save, &CLOCK, &mut |r| out.push(r));
            match out.pop() {
                Some(Response::Saved { saved }) => saved,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            save(&mut s).changed.len(),
            2,
            "a fresh start sends every table"
        );
        assert!(save(&mut s).changed.is_empty());
        run(&mut s, 1, "UPDATE employees SET name = '대표' WHERE id = 1");
        let saved = save(&mut s);
        assert_eq!(saved.changed.len(), 1);
        assert_eq!(saved.changed[0].0, "student_db2.employees");
    }
}
