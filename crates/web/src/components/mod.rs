//! The page's components. Each takes plain data or the controller; logic stays in
//! [`crate::controller`], so `view!` only wires.

mod results;
mod schema;
mod toolbar;

pub use results::Results;
pub use schema::SchemaSidebar;
pub use toolbar::Toolbar;

use crate::controller::{Controller, EngineStatus};
use leptos::prelude::*;

/// The whole page.
#[component]
pub fn App(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    Effect::new(move |_| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(html) = doc.document_element() {
                let _ = html.set_attribute("lang", lang.get().code());
            }
        }
    });
    let c = controller.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            c.run_editor();
        }
    };
    let notice = move || {
        state.notice.get().map(|n| {
            let class = if n.warning { "notice warning" } else { "notice" };
            view! { <div class=class role="status" data-testid="notice">{lang.get().text(&n.text)}</div> }
        })
    };
    let status_text = move || {
        let l = lang.get();
        match state.status.get() {
            EngineStatus::Booting => l.pick("엔진 준비 중…", "starting the engine…"),
            EngineStatus::Ready => l.pick("준비됨", "ready"),
            EngineStatus::Running => l.pick("실행 중…", "running…"),
            EngineStatus::Recovering => l.pick("엔진 복구 중…", "restoring the engine…"),
            EngineStatus::Broken => l.pick("엔진 오류", "engine failed"),
        }
    };
    let status_attr = move || format!("{:?}", state.status.get()).to_lowercase();
    view! {
        <Toolbar controller=controller.clone()/>
        <div class="layout">
            <SchemaSidebar tables=state.schema lang=lang/>
            <main class="work">
                <label class="sr-only" for="editor">{move || lang.get().pick("SQL 편집기", "SQL editor")}</label>
                <textarea
                    id="editor"
                    data-testid="editor"
                    spellcheck="false"
                    prop:value=move || state.editor.get()
                    on:input=move |ev| state.editor.set(event_target_value(&ev))
                    on:keydown=on_key
                ></textarea>
                <div class="status" data-testid="status" data-status=status_attr>{status_text}</div>
                {notice}
                <Results panels=state.panels lang=lang/>
            </main>
        </div>
    }
}
