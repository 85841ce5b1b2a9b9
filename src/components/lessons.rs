//! The lessons view: the list with each lesson's state, the lesson's text, hints one at a
//! time, the answer, Run and Check, and the verdict explained (what kind of wrong, the smallest
//! database that shows it, both results there and the first step where the answer parts from
//! the model answer). Logic is in `controller/lessons.rs`; this only wires.

use super::results::ResultTable;
use super::trace::{TraceSource, TraceView};
use crate::controller::{Controller, LessonList, LessonsState, Outcome};
use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::lesson::markdown::{inlines, Block, Inline};
use sqlnori_model::lesson::progress::LessonState;
use sqlnori_model::lesson::verdict::{Verdict, Witness};
use sqlnori_model::lesson::Lesson;
use sqlnori_model::{Output, StatementResult};

/// Props: the `controller`.
#[component]
pub fn LessonsView(controller: Controller) -> impl IntoView {
    let lessons = controller.state.lessons;
    let lang = controller.state.lang;
    let controller = StoredValue::new_local(controller);
    let page = move || {
        lessons.current.get().map(|(lesson, own)| {
            view! { <LessonPage lesson=lesson own=own controller=controller lang=lang/> }
        })
    };
    let status = move || match lessons.list.get() {
        LessonList::Loading => Some(
            lang.get()
                .pick("레슨을 불러오는 중…", "loading the lessons…")
                .to_owned(),
        ),
        LessonList::Failed(e) => Some(lang.get().text(&e)),
        _ => None,
    };
    view! {
        <section class="lessons" data-testid="lessons">
            <LessonNav lessons=lessons controller=controller lang=lang/>
            <div class="lesson-main">
                {move || status().map(|s| view! { <p class="meta" role="status">{s}</p> })}
                {page}
            </div>
        </section>
    }
    .into_any()
}

fn state_label(state: LessonState, lang: Lang) -> &'static str {
    match state {
        LessonState::NotStarted => lang.pick("시작 전", "not started"),
        LessonState::Tried => lang.pick("시도함", "tried"),
        LessonState::Solved => lang.pick("해결", "solved"),
        LessonState::AnswerShown => lang.pick("정답 봄", "answer shown"),
    }
}

fn state_code(state: LessonState) -> &'static str {
    match state {
        LessonState::NotStarted => "not_started",
        LessonState::Tried => "tried",
        LessonState::Solved => "solved",
        LessonState::AnswerShown => "answer_shown",
    }
}

/// The list of lessons with their states, opening a lesson file, the progress report.
/// Props: `lessons`, `controller`, `lang`.
#[component]
fn LessonNav(
    lessons: LessonsState,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let items = move || {
        let LessonList::Loaded(set) = lessons.list.get() else {
            return vec![];
        };
        let current = lessons.current.get().map(|(l, _)| l.id);
        set.lessons
            .into_iter()
            .enumerate()
            .map(|(i, lesson)| {
                let id = lesson.id.clone();
                let state = lessons.progress.with(|p| p.state(&id));
                let selected = current.as_deref() == Some(id.as_str());
                let title = lesson.title.clone();
                let pick = id.clone();
                view! {
                    <li>
                        <button class="lesson-item" data-testid="lesson-item" data-id=id.clone()
                            data-state=state_code(state) aria-current=selected.then_some("true")
                            on:click=move |_| controller.with_value(|c| c.select_lesson(&pick))>
                            <span class="lesson-number">{i + 1}</span>
                            <span class="lesson-title">{move || lang.get().text(&title)}</span>
                            <span class="lesson-state">{move || state_label(state, lang.get())}</span>
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let open_file = move |ev: leptos::ev::Event| {
        let Some((input, file)) = super::chosen_file(&ev) else {
            return;
        };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(text) = super::file_text(&file).await {
                controller.with_value(|c| c.open_lesson_source(&text));
            }
        });
    };
    view! {
        <nav class="lesson-nav" aria-label=move || lang.get().pick("레슨 목록", "Lessons")>
            <h2>{move || lang.get().pick("레슨", "Lessons")}</h2>
            <ol class="lesson-list" data-testid="lesson-list">{items}</ol>
            <label class="button file-button">
                {move || lang.get().pick("레슨 파일 열기…", "Open a lesson file…")}
                <input type="file" accept=".md,text/markdown,text/plain" data-testid="lesson-file" on:change=open_file/>
            </label>
            <button data-testid="lesson-report" on:click=move |_| controller.with_value(Controller::download_report)>
                {move || lang.get().pick("진도 내려받기 (CSV)", "Download progress (CSV)")}
            </button>
        </nav>
    }
    .into_any()
}

/// One lesson: its text, hints, the answer and what checking it said.
/// Props: the `lesson`, `own` (a teacher's file, not in the list), `controller`, `lang`.
#[component]
fn LessonPage(
    lesson: Lesson,
    own: bool,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let lessons = controller.with_value(|c| c.state.lessons);
    let id = lesson.id.clone();
    let title = lesson.title.clone();
    let text = move || blocks_view(&lesson_blocks(&lessons, lang.get()), lang);
    let requires = lesson.requires.clone();
    let requires = (!requires.is_empty()).then(|| {
        let links = requires
            .into_iter()
            .map(|id| {
                let title = match lessons.list.get_untracked() {
                    LessonList::Loaded(set) => set.get(&id).map(|l| l.title.clone()),
                    _ => None,
                };
                let shown = id.clone();
                view! {
                    <button class="link-button" on:click=move |_| controller.with_value(|c| c.select_lesson(&id))>
                        {move || title.as_ref().map_or_else(|| shown.clone(), |t| lang.get().text(t))}
                    </button>
                }
            })
            .collect::<Vec<_>>();
        view! {
            <p class="meta lesson-requires">
                {move || lang.get().pick("먼저 해 보면 좋은 레슨: ", "Best done after: ")}
                {links}
            </p>
        }
    });
    let hints = lesson.hints.clone();
    let hint_count = hints.len();
    let hint_id = id.clone();
    let shown_hints = move || {
        let n = lessons.progress.with(|p| p.of(&hint_id).hints_shown) as usize;
        hints
            .iter()
            .take(n)
            .cloned()
            .map(|h| view! { <li data-testid="hint">{move || inline_view(&inlines(&lang.get().text(&h)))}</li> })
            .collect::<Vec<_>>()
    };
    let hints_left = move || {
        let shown = lessons
            .current
            .with(|c| c.as_ref().map(|(l, _)| l.id.clone()))
            .map_or(0, |id| {
                lessons.progress.with(|p| p.of(&id).hints_shown) as usize
            });
        hint_count - shown.min(hint_count)
    };
    let reference = lesson.reference.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        controller.with_value(|c| c.set_lesson_answer(text));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            controller.with_value(|c| c.lesson_answer(true));
        }
    };
    let own_note = own.then(|| {
        view! { <p class="meta">{move || lang.get().pick("파일이나 링크로 연 레슨입니다 (진도는 기록하지 않습니다).", "A lesson opened from a file or a link (progress is not recorded).")}</p> }
    });
    view! {
        <article class="lesson" data-testid="lesson" data-id=id.clone()>
            <h2 data-testid="lesson-title">{move || lang.get().text(&title)}</h2>
            {own_note}
            {requires}
            <div class="lesson-text" data-testid="lesson-text">{text}</div>
            <ol class="hints">{shown_hints}</ol>
            <label class="lesson-answer-label" for="lesson-answer">{move || lang.get().pick("내 답 (SQL)", "My answer (SQL)")}</label>
            <textarea id="lesson-answer" class="lesson-answer" data-testid="lesson-answer" spellcheck="false"
                autocomplete="off" autocapitalize="off" rows="7"
                prop:value=move || lessons.answer.get() on:input=on_input on:keydown=on_key></textarea>
            <div class="lesson-actions">
                <button data-testid="lesson-run" disabled=move || lessons.busy.get()
                    on:click=move |_| controller.with_value(|c| c.lesson_answer(false))>
                    {move || lang.get().pick("실행", "Run")}
                </button>
                <button class="primary" data-testid="lesson-check" title="Ctrl/Cmd+Enter" disabled=move || lessons.busy.get()
                    on:click=move |_| controller.with_value(|c| c.lesson_answer(true))>
                    {move || lang.get().pick("확인", "Check")}
                </button>
                <button data-testid="lesson-hint" disabled=move || hints_left() == 0
                    on:click=move |_| controller.with_value(Controller::lesson_hint)>
                    {move || match lang.get() {
                        Lang::Ko => format!("힌트 ({}개 남음)", hints_left()),
                        Lang::En => format!("Hint ({} left)", hints_left()),
                    }}
                </button>
                <button data-testid="lesson-show-answer" on:click=move |_| controller.with_value(Controller::show_reference)>
                    {move || lang.get().pick("정답 보기", "Show answer")}
                </button>
                <button data-testid="lesson-share" on:click=move |_| controller.with_value(Controller::share_lesson)>
                    {move || lang.get().pick("링크", "Link")}
                </button>
                <button data-testid="lesson-next" on:click=move |_| controller.with_value(Controller::next_lesson)>
                    {move || lang.get().pick("다음 레슨 →", "Next lesson →")}
                </button>
            </div>
            {move || lessons.busy.get().then(|| view! { <p class="meta" role="status">{move || lang.get().pick("확인 중…", "checking…")}</p> })}
            {move || lessons.reference_shown.get().then(|| {
                let reference = reference.clone();
                view! {
                    <div class="lesson-reference" data-testid="lesson-reference">
                        <p class="meta">{move || lang.get().pick("모범 답안 (본 것이 기록됩니다)", "The model answer (seeing it is recorded)")}</p>
                        <pre class="sql">{reference}</pre>
                    </div>
                }
            })}
            {move || lessons.outcome.get().map(|o| outcome_view(o, controller, lang))}
        </article>
    }
    .into_any()
}

/// The lesson's text in the learner's language.
fn lesson_blocks(lessons: &LessonsState, lang: Lang) -> Vec<Block> {
    lessons
        .current
        .with(|c| c.as_ref().map(|(l, _)| l.blocks(lang == Lang::En)))
        .unwrap_or_default()
}

fn inline_view(inlines: &[Inline]) -> Vec<AnyView> {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(s) => s.clone().into_any(),
            Inline::Code(s) => view! { <code>{s.clone()}</code> }.into_any(),
            Inline::Strong(s) => view! { <strong>{s.clone()}</strong> }.into_any(),
            Inline::Emphasis(s) => view! { <em>{s.clone()}</em> }.into_any(),
        })
        .collect()
}

/// Markdown blocks as elements and text nodes (never as HTML).
fn blocks_view(blocks: &[Block], lang: RwSignal<Lang>) -> Vec<AnyView> {
    let _ = lang;
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } => view! { <h3>{inline_view(text)}</h3> }.into_any(),
            Block::Paragraph { text } => view! { <p>{inline_view(text)}</p> }.into_any(),
            Block::Code { text, .. } => view! { <pre class="sql">{text.clone()}</pre> }.into_any(),
            Block::List { ordered: true, items } => view! {
                <ol>{items.iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect::<Vec<_>>()}</ol>
            }
            .into_any(),
            Block::List { ordered: false, items } => view! {
                <ul>{items.iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect::<Vec<_>>()}</ul>
            }
            .into_any(),
            Block::Table { header, rows } => view! {
                <table class="lesson-table">
                    <thead><tr>{header.iter().map(|c| view! { <th>{inline_view(c)}</th> }).collect::<Vec<_>>()}</tr></thead>
                    <tbody>{rows.iter().map(|r| view! {
                        <tr>{r.iter().map(|c| view! { <td>{inline_view(c)}</td> }).collect::<Vec<_>>()}</tr>
                    }).collect::<Vec<_>>()}</tbody>
                </table>
            }
            .into_any(),
        })
        .collect()
}

fn output_view(output: Output, lang: RwSignal<Lang>) -> AnyView {
    match output {
        Output::Rows { columns, rows } => view! {
            <ResultTable columns=columns.into_iter().map(|c| (c.name, c.data_type)).collect() rows=rows lang=lang/>
        }
        .into_any(),
        Output::Affected { verb, affected } => view! {
            <p class="meta">{format!("{verb} · {affected}")}</p>
        }
        .into_any(),
    }
}

fn outcome_view(
    outcome: Outcome,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> AnyView {
    match outcome {
        Outcome::Failed(message) => {
            view! { <p class="error" role="alert" data-testid="lesson-failed">{move || lang.get().text(&message)}</p> }
                .into_any()
        }
        Outcome::Ran(results) => {
            let panels = results
                .into_iter()
                .map(|r| ran_view(r, lang))
                .collect::<Vec<_>>();
            view! { <div class="lesson-ran" data-testid="lesson-ran">{panels}</div> }.into_any()
        }
        Outcome::Verdict(v) => verdict_view(*v, controller, lang),
    }
}

fn ran_view(result: StatementResult, lang: RwSignal<Lang>) -> AnyView {
    match result.outcome {
        Ok(output) => output_view(output, lang),
        Err(e) => {
            let place = format!("{}:{} ", e.line, e.column);
            view! { <p class="error" role="alert">{place}{move || lang.get().text(&e.message)}</p> }
                .into_any()
        }
    }
}

fn verdict_view(
    v: Verdict,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> AnyView {
    let class = if v.correct {
        "verdict correct"
    } else {
        "verdict wrong"
    };
    let message = v.message.clone();
    let feedback = v.feedback.clone().map(|f| {
        view! { <p class="feedback" data-testid="verdict-feedback">{move || inline_view(&inlines(&lang.get().text(&f)))}</p> }
    });
    let error = v.error.clone().map(|e| {
        let place = format!("{}:{} ", e.line, e.column);
        view! { <p class="error">{place}{move || lang.get().text(&e.message)}</p> }
    });
    let witness = v.witness.clone().map(|w| witness_view(w, controller, lang));
    let next = v.correct.then(|| {
        view! {
            <button class="primary" data-testid="verdict-next" on:click=move |_| controller.with_value(Controller::next_lesson)>
                {move || lang.get().pick("다음 레슨 →", "Next lesson →")}
            </button>
        }
    });
    view! {
        <section class=class role="status" data-testid="verdict" data-correct=v.correct.to_string()
            data-reason=v.reason.name()>
            <p class="verdict-message">{move || lang.get().text(&message)}</p>
            {feedback}
            {error}
            {witness}
            {next}
        </section>
    }
    .into_any()
}

fn witness_view(
    w: Witness,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> AnyView {
    let variant = w.variant.clone();
    let heading = move || {
        match &variant {
        Some(name) => match lang.get() {
            Lang::Ko => format!("답과 모범 답안이 갈리는 가장 작은 데이터베이스 (바꾼 것: {})", name.ko),
            Lang::En => format!("The smallest database on which your answer and the model answer differ (changed: {})", name.en),
        },
        None => lang
            .get()
            .pick(
                "답과 모범 답안이 갈리는 가장 작은 데이터베이스 (보이는 데이터에서 줄인 것)",
                "The smallest database on which your answer and the model answer differ (cut down from the visible data)",
            )
            .to_owned(),
    }
    };
    let tables = w
        .tables
        .iter()
        .cloned()
        .map(|t| {
            let name = t.name.clone();
            view! {
                <div class="witness-table" data-testid="witness-table">
                    <h4>{name}</h4>
                    {output_view(Output::Rows { columns: t.columns, rows: t.rows }, lang)}
                </div>
            }
        })
        .collect::<Vec<_>>();
    let answer = match w.answer.clone() {
        Ok(o) => output_view(o, lang),
        Err(e) => view! { <p class="error">{move || lang.get().text(&e.message)}</p> }.into_any(),
    };
    let expected = output_view(w.expected.clone(), lang);
    let divergence = w.divergence.clone().map(|d| {
        let text = sqlnori_model::lesson::verdict::divergence_text(&d);
        view! {
            <p class="divergence" data-testid="divergence" data-stage=format!("{:?}", d.stage).to_lowercase()>
                {move || lang.get().text(&text)}
            </p>
        }
    });
    let trace = w.trace.clone().map(|t| {
        let source = TraceSource {
            controller,
            run_id: u64::MAX,
            index: 0,
        };
        view! {
            <details class="witness-trace">
                <summary>{move || lang.get().pick("이 데이터베이스에서 내 답의 단계별 보기", "Your answer step by step on this database")}</summary>
                <TraceView trace=t source=source path=vec![] lang=lang/>
            </details>
        }
    });
    view! {
        <div class="witness" data-testid="witness">
            <h3>{heading}</h3>
            <div class="witness-tables">{tables}</div>
            <div class="witness-results">
                <div data-testid="witness-answer">
                    <h4>{move || lang.get().pick("내 답의 결과", "Your result")}</h4>
                    {answer}
                </div>
                <div data-testid="witness-expected">
                    <h4>{move || lang.get().pick("기대한 결과", "Expected")}</h4>
                    {expected}
                </div>
            </div>
            {divergence}
            {trace}
        </div>
    }
    .into_any()
}
