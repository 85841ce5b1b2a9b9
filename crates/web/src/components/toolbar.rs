//! The top bar: title, examples menu, Run/Stop and the language switch.

use crate::controller::{Controller, EngineStatus};
use leptos::prelude::*;
use sqlnori_core::examples::course_examples;

/// Props: `controller`, whose state the buttons read and whose actions they call.
#[component]
pub fn Toolbar(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let examples = course_examples();
    let explanation = RwSignal::new(None::<usize>);
    let run = {
        let c = controller.clone();
        move |_| c.run_editor()
    };
    let stop = {
        let c = controller.clone();
        move |_| c.stop()
    };
    let examples_for_pick = examples.clone();
    let pick = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Ok(i) = value.parse::<usize>() {
            if let Some(ex) = examples_for_pick.get(i) {
                state.editor.set(ex.sql.to_owned());
                explanation.set(Some(i));
            }
        }
    };
    let toggle_lang = move |_| {
        let next = lang.get_untracked().other();
        next.save();
        lang.set(next);
    };
    let options = examples
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            let ex = ex.clone();
            view! { <option value=i.to_string()>{move || lang.get().text(&ex.title)}</option> }
        })
        .collect_view();
    let examples_for_line = examples.clone();
    let explanation_line = move || {
        explanation.get().and_then(|i| examples_for_line.get(i).cloned()).map(|ex| {
            view! { <p class="explanation" data-testid="example-explanation">{lang.get().text(&ex.explanation)}</p> }
        })
    };
    let running = move || state.status.get() == EngineStatus::Running;
    let can_run = move || state.status.get() == EngineStatus::Ready;
    view! {
        <header class="toolbar">
            <h1>"sqlnori" <span class="sub">{move || lang.get().pick("SQL 놀이터", "SQL playground")}</span></h1>
            <select data-testid="examples" aria-label=move || lang.get().pick("예제", "Examples") on:change=pick>
                <option value="" selected>{move || lang.get().pick("예제 고르기…", "Examples…")}</option>
                {options}
            </select>
            <button class="primary" data-testid="run" on:click=run disabled=move || !can_run()
                title="Ctrl/Cmd+Enter">
                {move || lang.get().pick("실행", "Run")}
            </button>
            <button data-testid="stop" on:click=stop disabled=move || !running()>
                {move || lang.get().pick("중지", "Stop")}
            </button>
            <button data-testid="lang" on:click=toggle_lang>
                {move || lang.get().pick("English", "한국어")}
            </button>
        </header>
        {explanation_line}
    }
}
