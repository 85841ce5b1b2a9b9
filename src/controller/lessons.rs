//! The lessons: the built-in list (`lessons.json`, fetched when the lessons first open), the
//! lesson open (built-in, or a teacher's file), the answer being written, its verdict, and the
//! learner's progress (a slot of the session). Answers are run and checked by the engine
//! worker in engines of the lesson's own; the session's database is never touched.

use super::Controller;
use futures::channel::oneshot;
use leptos::prelude::*;
use sqlnori_model::lesson::progress::Progress;
use sqlnori_model::lesson::verdict::Verdict;
use sqlnori_model::lesson::{parse_lesson, Lesson, LessonSet};
use sqlnori_model::protocol::{LessonReply, Request};
use sqlnori_model::session::Slot;
use sqlnori_model::share::{self, SharedScript, COURSE_DATASET};
use sqlnori_model::{Localized, StatementResult};

/// Where the built-in lessons come from (written by scripts/finish-dist.mjs).
const LESSONS_FILE: &str = "lessons.json";

/// The built-in lessons, as the page knows them.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonList {
    NotLoaded,
    Loading,
    Loaded(LessonSet),
    Failed(Localized),
}

/// What the lesson view shows for the answer: its verdict, or its results on the lesson's
/// database, or why neither could be had.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Verdict(Box<Verdict>),
    Ran(Vec<StatementResult>),
    Failed(Localized),
}

/// The lessons' reactive state (plain data in signals).
#[derive(Clone, Copy)]
pub struct LessonsState {
    pub open: RwSignal<bool>,
    pub list: RwSignal<LessonList>,
    /// The lesson open, and whether it came from a file or a link (not the built-in list).
    pub current: RwSignal<Option<(Lesson, bool)>>,
    pub answer: RwSignal<String>,
    pub outcome: RwSignal<Option<Outcome>>,
    pub busy: RwSignal<bool>,
    /// The reference is on screen (the learner asked; it is recorded).
    pub reference_shown: RwSignal<bool>,
    pub progress: RwSignal<Progress>,
}

impl LessonsState {
    pub fn new(progress: Progress) -> Self {
        Self {
            open: RwSignal::new(false),
            list: RwSignal::new(LessonList::NotLoaded),
            current: RwSignal::new(None),
            answer: RwSignal::new(String::new()),
            outcome: RwSignal::new(None),
            busy: RwSignal::new(false),
            reference_shown: RwSignal::new(false),
            progress: RwSignal::new(progress),
        }
    }
}

/// How the page was asked to open a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonLink {
    /// `#lesson=ID`: a built-in lesson.
    Id(String),
    /// A lesson file carried by a share link, and the answer written so far.
    Source { lesson: String, answer: String },
}

async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().map_err(|e| format!("{e:?}"))?;
    wasm_bindgen_futures::JsFuture::from(text)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .ok_or_else(|| "not text".to_owned())
}

#[derive(serde::Deserialize)]
struct Bundle {
    lessons: Vec<BundledLesson>,
}

#[derive(serde::Deserialize)]
struct BundledLesson {
    file: String,
    source: String,
}

impl Controller {
    fn lessons(&self) -> LessonsState {
        self.state.lessons
    }

    /// Opens (or closes) the lessons; the first time, fetches the built-in list and opens the
    /// lesson the learner had open.
    pub fn toggle_lessons(&self) {
        let lessons = self.lessons();
        let open = !lessons.open.get_untracked();
        lessons.open.set(open);
        if open {
            self.load_lessons(None);
        }
    }

    /// Fetches the list once; then opens `wanted` (or the lesson open last, or the first).
    pub fn load_lessons(&self, wanted: Option<String>) {
        let lessons = self.lessons();
        lessons.open.set(true);
        match lessons.list.get_untracked() {
            LessonList::Loaded(_) => {
                if let Some(id) = wanted {
                    self.select_lesson(&id);
                }
                return;
            }
            LessonList::Loading => return,
            LessonList::NotLoaded | LessonList::Failed(_) => {}
        }
        lessons.list.set(LessonList::Loading);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let list = match fetch_text(LESSONS_FILE).await {
                Ok(text) => match serde_json::from_str::<Bundle>(&text) {
                    Ok(bundle) => {
                        let (set, errors) = LessonSet::read(
                            bundle
                                .lessons
                                .iter()
                                .map(|l| (l.file.as_str(), l.source.as_str())),
                        );
                        for (file, e) in errors {
                            web_sys::console::warn_1(&format!("{file}: {e}").into());
                        }
                        LessonList::Loaded(set)
                    }
                    Err(e) => LessonList::Failed(Localized::new(
                        format!("레슨 목록을 읽을 수 없습니다 ({e})"),
                        format!("the lesson list could not be read ({e})"),
                    )),
                },
                Err(e) => LessonList::Failed(Localized::new(
                    format!("레슨 목록을 불러오지 못했습니다 ({e})"),
                    format!("the lesson list could not be loaded ({e})"),
                )),
            };
            let first = match &list {
                LessonList::Loaded(set) => set.lessons.first().map(|l| l.id.clone()),
                _ => None,
            };
            lessons.list.set(list);
            if lessons.current.get_untracked().is_some() {
                return;
            }
            let last = lessons.progress.with_untracked(|p| p.current.clone());
            let pick = wanted.or(last).or(first);
            if let Some(id) = pick {
                this.select_lesson(&id);
            }
        });
    }

    /// Opens a built-in lesson with the answer the learner last wrote for it.
    pub fn select_lesson(&self, id: &str) {
        let lessons = self.lessons();
        let found = match lessons.list.get_untracked() {
            LessonList::Loaded(set) => set.get(id).cloned(),
            _ => None,
        };
        match found {
            Some(lesson) => self.show_lesson(lesson, false),
            None => self.set_notice(
                Localized::new(
                    format!(
                        "{} 없습니다",
                        sqlnori_model::korean::i(&format!("레슨 `{id}`"))
                    ),
                    format!("there is no lesson `{id}`"),
                ),
                true,
            ),
        }
    }

    fn show_lesson(&self, lesson: Lesson, own: bool) {
        let lessons = self.lessons();
        let answer = lessons
            .progress
            .with_untracked(|p| p.of(&lesson.id).last_sql);
        lessons.answer.set(answer);
        lessons.outcome.set(None);
        lessons.reference_shown.set(false);
        if !own {
            lessons
                .progress
                .update(|p| p.current = Some(lesson.id.clone()));
            self.save_progress();
        }
        lessons.current.set(Some((lesson, own)));
        lessons.open.set(true);
    }

    /// A teacher's lesson file (from a file or a link): read, or refused with its line.
    pub fn open_lesson_source(&self, source: &str) {
        match parse_lesson(source) {
            Ok(lesson) => {
                if matches!(self.lessons().list.get_untracked(), LessonList::NotLoaded) {
                    self.load_lessons(None);
                }
                self.show_lesson(lesson, true);
            }
            Err(e) => self.set_notice(
                Localized::new(
                    format!("레슨 파일을 열 수 없습니다: {}행: {}", e.line, e.message.ko),
                    format!(
                        "the lesson file cannot be opened: line {}: {}",
                        e.line, e.message.en
                    ),
                ),
                true,
            ),
        }
    }

    /// Opens what a link asked for.
    pub fn open_lesson_link(&self, link: LessonLink) {
        match link {
            LessonLink::Id(id) => self.load_lessons(Some(id)),
            LessonLink::Source { lesson, answer } => {
                self.open_lesson_source(&lesson);
                self.lessons().answer.set(answer);
            }
        }
    }

    /// The answer as typed (kept in the progress, so a reload finds it).
    pub fn set_lesson_answer(&self, text: String) {
        let lessons = self.lessons();
        if let Some((lesson, _)) = lessons.current.get_untracked() {
            lessons.progress.update(|p| p.set_sql(&lesson.id, &text));
            self.save_progress();
        }
        lessons.answer.set(text);
    }

    /// Checks the answer (`check`) or runs it on the lesson's database.
    pub fn lesson_answer(&self, check: bool) {
        let lessons = self.lessons();
        let Some((lesson, _)) = lessons.current.get_untracked() else {
            return;
        };
        if lessons.busy.get_untracked() {
            return;
        }
        let answer = lessons.answer.get_untracked();
        lessons.busy.set(true);
        let reply = self.ask_lesson(source_of(&lesson), answer.clone(), check);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = match reply.await {
                Ok(LessonReply::Checked(verdict)) => {
                    lessons.progress.update(|p| {
                        p.record_attempt(&lesson.id, &answer, verdict.correct);
                    });
                    this.save_progress();
                    Outcome::Verdict(verdict)
                }
                Ok(LessonReply::Ran(results)) => Outcome::Ran(results),
                Ok(LessonReply::Invalid(e)) => Outcome::Failed(Localized::new(
                    format!("레슨 파일을 쓸 수 없습니다: {}행: {}", e.line, e.message.ko),
                    format!(
                        "the lesson cannot be used: line {}: {}",
                        e.line, e.message.en
                    ),
                )),
                Err(_) => Outcome::Failed(Localized::new(
                    "답을 확인하다 엔진이 멈췄습니다. 작업은 그대로이니 다시 해 보세요",
                    "the engine stopped while checking the answer; nothing is lost, try again",
                )),
            };
            lessons.outcome.set(Some(outcome));
            lessons.busy.set(false);
        });
    }

    fn ask_lesson(
        &self,
        source: String,
        answer: String,
        check: bool,
    ) -> oneshot::Receiver<LessonReply> {
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.next_lesson_request += 1;
            let id = inner.next_lesson_request;
            inner.lesson_waiters.push((id, tx));
            id
        };
        self.send_when_ready(Request::Lesson {
            id,
            source,
            answer,
            check,
        });
        rx
    }

    pub(super) fn on_lesson_reply(&self, id: u64, reply: LessonReply) {
        let waiter = {
            let mut inner = self.inner.borrow_mut();
            let at = inner.lesson_waiters.iter().position(|(i, _)| *i == id);
            at.map(|at| inner.lesson_waiters.remove(at).1)
        };
        if let Some(w) = waiter {
            let _ = w.send(reply);
        }
    }

    /// One more hint.
    pub fn lesson_hint(&self) {
        let lessons = self.lessons();
        if let Some((lesson, _)) = lessons.current.get_untracked() {
            let shown = lessons
                .progress
                .with_untracked(|p| p.of(&lesson.id).hints_shown);
            if (shown as usize) < lesson.hints.len() {
                lessons.progress.update(|p| p.record_hint(&lesson.id));
                self.save_progress();
            }
        }
    }

    /// "정답 보기": the reference on screen, recorded in the progress.
    pub fn show_reference(&self) {
        let lessons = self.lessons();
        if let Some((lesson, _)) = lessons.current.get_untracked() {
            lessons
                .progress
                .update(|p| p.record_answer_shown(&lesson.id));
            self.save_progress();
            lessons.reference_shown.set(true);
        }
    }

    /// The lesson after the current one in the list.
    pub fn next_lesson(&self) {
        let lessons = self.lessons();
        let next = match (
            lessons.list.get_untracked(),
            lessons.current.get_untracked(),
        ) {
            (LessonList::Loaded(set), Some((lesson, _))) => {
                set.next_after(&lesson.id).map(|l| l.id.clone())
            }
            _ => None,
        };
        if let Some(id) = next {
            self.select_lesson(&id);
        }
    }

    /// A link that opens the current lesson: `#lesson=ID` for a built-in one; a share link
    /// carrying the lesson file (and the answer) for a teacher's own.
    pub fn share_lesson(&self) {
        let lessons = self.lessons();
        let Some((lesson, own)) = lessons.current.get_untracked() else {
            return;
        };
        let link = if own {
            let seed = self.inner.borrow().meta.seed;
            share::encode_link(&SharedScript {
                script: lessons.answer.get_untracked(),
                dataset: COURSE_DATASET.to_owned(),
                seed,
                lesson: Some(source_of(&lesson)),
            })
            .map_err(|e| e.localized())
        } else {
            Ok(sqlnori_model::lesson::lesson_fragment(&lesson.id))
        };
        self.state
            .share
            .set(Some(link.map(|f| crate::session::link_url(&f))));
    }

    /// The progress report as a CSV download.
    pub fn download_report(&self) {
        let lessons = self.lessons();
        let english = self.state.lang.get_untracked() == crate::i18n::Lang::En;
        let titles: Vec<(String, String)> = match lessons.list.get_untracked() {
            LessonList::Loaded(set) => set
                .lessons
                .iter()
                .map(|l| {
                    let title = if english { &l.title.en } else { &l.title.ko };
                    (l.id.clone(), title.clone())
                })
                .collect(),
            _ => vec![],
        };
        let csv = lessons.progress.with_untracked(|p| p.report_csv(&titles));
        crate::components::download("sqlnori-progress.csv", &csv, "text/csv;charset=utf-8");
    }

    fn save_progress(&self) {
        let progress = self.lessons().progress.get_untracked();
        self.save(Slot::Lessons, &progress);
    }
}

/// The lesson as a file again (what the worker reads): kept as the parsed lesson's source.
fn source_of(lesson: &Lesson) -> String {
    lesson.source.clone()
}
