//! The top bar: title, the lessons' switch, examples menu, Run/Stop, the script stepper (Step, Back, Run to end,
//! Reset), and the session's buttons (share, history, session, theme, language).

use crate::controller::{Controller, EngineStatus};
use leptos::prelude::*;
use sqlnori_model::accounts::AccountName;
use sqlnori_model::examples::{course_examples, Example};

/// Props: `controller`, whose state the buttons read and whose actions they call.
#[component]
pub fn Toolbar(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let explanation = RwSignal::new(None::<Example>);
    // Stop ends a run or the computing of steps.
    let running = move || state.status.get() == EngineStatus::Running || state.explaining.get();
    // A run asked for while the engine starts waits for it.
    let can_run = move || {
        !matches!(
            state.status.get(),
            EngineStatus::Running | EngineStatus::Broken
        )
    };
    let c = controller.clone();
    let run = move |_| c.run_editor();
    let c = controller.clone();
    let stop = move |_| c.stop();
    let lessons_open = state.lessons.open;
    let c = controller.clone();
    let toggle_lessons = move |_| c.toggle_lessons();
    view! {
        <header class="toolbar">
            <h1>"sqlnori" <span class="sub">{move || lang.get().pick("SQL 놀이터", "SQL playground")}</span></h1>
            <button class="lessons-toggle" data-testid="lessons-toggle" aria-pressed=move || lessons_open.get().to_string()
                on:click=toggle_lessons>
                {move || if lessons_open.get() {
                    lang.get().pick("← 놀이터", "← Playground")
                } else {
                    lang.get().pick("레슨", "Lessons")
                }}
            </button>
            <span class="playground-tools" class:hidden=move || lessons_open.get()>
                <ExamplesMenu controller=controller.clone() explanation=explanation/>
                <button class="primary" data-testid="run" on:click=run disabled=move || !can_run()
                    title="Ctrl/Cmd+Enter">
                    {move || lang.get().pick("실행", "Run")}
                </button>
                <button data-testid="stop" on:click=stop disabled=move || !running()>
                    {move || lang.get().pick("중지", "Stop")}
                </button>
                <StepperButtons controller=controller.clone()/>
                <AccountSwitcher controller=controller.clone()/>
            </span>
            <SessionButtons controller=controller/>
        </header>
        {move || explanation.get().map(|ex| view! {
            <p class="explanation" data-testid="example-explanation">{move || lang.get().text(&ex.explanation)}</p>
        })}
    }
}

/// The examples menu: picking one puts its SQL in the editor and its one-line explanation
/// under the bar. Props: `controller`; `explanation`, the example picked last.
#[component]
fn ExamplesMenu(controller: Controller, explanation: RwSignal<Option<Example>>) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let examples = StoredValue::new(course_examples());
    let c = controller.clone();
    let pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev)
            .parse::<usize>()
            .ok()
            .and_then(|i| examples.with_value(|e| e.get(i).cloned()));
        if let Some(ex) = picked {
            // The learner's script is replaced: the notice offers it back.
            c.replace_editor(
                ex.sql.clone(),
                sqlnori_model::Localized::new(
                    format!(
                        "{} 편집기에 넣었습니다.",
                        sqlnori_model::korean::eul(&format!("예제 「{}」", ex.title.ko))
                    ),
                    format!("The example “{}” is in the editor.", ex.title.en),
                ),
            );
            explanation.set(Some(ex));
        }
    };
    let options = examples.with_value(|examples| {
        examples
            .iter()
            .enumerate()
            .map(|(i, ex)| {
                let title = ex.title.clone();
                view! { <option value=i.to_string()>{move || lang.get().text(&title)}</option> }
            })
            .collect_view()
    });
    view! {
        <select data-testid="examples" aria-label=move || lang.get().pick("예제", "Examples") on:change=pick>
            <option value="" selected>{move || lang.get().pick("예제 고르기…", "Examples…")}</option>
            {options}
        </select>
    }
}

/// Step, Back, Run to end, Reset: the script one statement at a time. Props: `controller`.
#[component]
fn StepperButtons(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let can_run = move || state.status.get() == EngineStatus::Ready;
    let stepped = move || state.stepper.get().is_some_and(|s| s.done > 0);
    let c = controller.clone();
    let step = move |_| c.step();
    let c = controller.clone();
    let back = move |_| c.back();
    let c = controller.clone();
    let to_end = move |_| c.run_to_end();
    let reset = move |_| controller.reset_steps();
    view! {
        <span class="stepper" role="group" aria-label=move || lang.get().pick("한 문장씩 실행", "Step through the script")>
            <button data-testid="step" on:click=step disabled=move || !can_run()
                title=move || lang.get().pick("다음 문장 하나를 실행합니다", "run the next statement")>
                {move || lang.get().pick("한 단계", "Step")}
            </button>
            <button data-testid="back" on:click=back disabled=move || !can_run() || !stepped()
                title=move || lang.get().pick("마지막 문장을 되돌립니다 (데이터베이스 포함)", "undo the last statement, database included")>
                {move || lang.get().pick("뒤로", "Back")}
            </button>
            <button data-testid="run-to-end" on:click=to_end disabled=move || !can_run()>
                {move || lang.get().pick("끝까지", "Run to end")}
            </button>
            <button data-testid="reset" on:click=reset disabled=move || !can_run() || !stepped()>
                {move || lang.get().pick("처음으로", "Reset")}
            </button>
        </span>
    }
}

/// The acting account, and the accounts to switch to (like logging in again with `mysql -u`).
/// Choosing one runs `SET SESSION AUTHORIZATION`, so the switch is a statement like any other:
/// it is in the history, the session and Back undoes it. Props: `controller`.
#[component]
fn AccountSwitcher(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let accounts = state.accounts;
    let pick = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev)
            .parse::<usize>()
            .ok()
            .and_then(|i| accounts.with_untracked(|a| a.accounts.get(i).cloned()));
        let Some(chosen) = chosen else { return };
        if accounts.with_untracked(|a| a.acting == chosen) {
            return;
        }
        let done = controller.run(&switch_statement(&chosen));
        // A switch that failed leaves the acting account as it was: draw the menu again so
        // it shows that one, not the one picked.
        leptos::task::spawn_local(async move {
            let _ = done.await;
            accounts.update(|_| ());
        });
    };
    let options = move || {
        accounts.with(|status| {
            status
                .accounts
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let selected = *name == status.acting;
                    view! { <option value=i.to_string() selected=selected>{name.to_string()}</option> }
                })
                .collect_view()
        })
    };
    let not_root = move || accounts.with(|a| !a.acting.is_root());
    view! {
        <label class="account" class:as-user=not_root
            title=move || lang.get().pick(
                "지금 문장을 실행하는 계정 (SET SESSION AUTHORIZATION으로 바꿉니다)",
                "the account statements run as (switched with SET SESSION AUTHORIZATION)")>
            <span class="account-label">{move || lang.get().pick("계정", "Account")}</span>
            <select data-testid="account" on:change=pick
                disabled=move || state.status.get() != EngineStatus::Ready>
                {options}
            </select>
        </label>
    }
}

/// The statement that makes `name` the acting account (`DEFAULT` is root).
fn switch_statement(name: &AccountName) -> String {
    if name.is_root() {
        "SET SESSION AUTHORIZATION DEFAULT;".to_owned()
    } else {
        format!("SET SESSION AUTHORIZATION {};", name.quoted())
    }
}

/// Share, History, Session, the theme and the language. Props: `controller`.
#[component]
fn SessionButtons(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = controller.clone();
    let toggle_lang = move |_| {
        lang.set(lang.get_untracked().other());
        c.save_settings();
    };
    let c = controller.clone();
    let toggle_theme = move |_| {
        let next = match state.theme.get_untracked().as_str() {
            "system" => "dark",
            "dark" => "light",
            _ => "system",
        };
        state.theme.set(next.to_owned());
        c.save_settings();
    };
    let share = move |_| controller.share();
    let session_open = state.session_open;
    let theme_name = move || match (state.theme.get().as_str(), lang.get()) {
        ("dark", l) => l.pick("어둡게", "Dark"),
        ("light", l) => l.pick("밝게", "Light"),
        (_, l) => l.pick("시스템", "System"),
    };
    view! {
        <button data-testid="share" on:click=share
            title=move || lang.get().pick("이 스크립트를 여는 링크를 만듭니다", "make a link that opens this script")>
            {move || lang.get().pick("공유", "Share")}
        </button>
        <button data-testid="history" on:click=move |_| state.history_open.update(|o| *o = !*o)
            aria-expanded=move || state.history_open.get().to_string()>
            {move || lang.get().pick("기록", "History")}
        </button>
        <button data-testid="session" on:click=move |_| session_open.update(|o| *o = !*o)
            aria-expanded=move || session_open.get().to_string()>
            {move || lang.get().pick("세션", "Session")}
        </button>
        <button data-testid="theme" on:click=toggle_theme
            title=move || lang.get().pick("화면 밝기: 시스템 / 어둡게 / 밝게", "theme: system / dark / light")>
            {theme_name}
        </button>
        <button data-testid="lang" on:click=toggle_lang>
            {move || lang.get().pick("English", "한국어")}
        </button>
    }
}
