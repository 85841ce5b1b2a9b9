//! The page's components. Each takes plain data or the controller; logic stays in
//! [`crate::controller`], so `view!` only wires.

mod results;
mod schema;
mod session;
mod toolbar;
mod trace;

pub use results::Results;
pub use schema::SchemaSidebar;
pub use toolbar::Toolbar;

use crate::controller::{Controller, EngineStatus};
use crate::i18n::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
    // The editor's text, the theme: saved as they change.
    let saver = controller.clone();
    Effect::new(move |_| {
        state.editor.track();
        saver.save_editor();
    });
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("data-theme", &theme);
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
    // The stepper's current statement is selected in the editor, and named under it.
    let editor_ref = NodeRef::<leptos::html::Textarea>::new();
    let backdrop_ref = NodeRef::<leptos::html::Pre>::new();
    Effect::new(move |_| {
        let current = state.stepper.get().and_then(|s| s.current);
        let (Some(stmt), Some(area)) = (current, editor_ref.get()) else {
            return;
        };
        let text = state.editor.get_untracked();
        let utf16 = |byte: usize| text.get(..byte).map_or(0, |t| t.encode_utf16().count());
        let (start, end) = (utf16(stmt.span.start), utf16(stmt.span.end));
        let _ = area.set_selection_range(
            u32::try_from(start).unwrap_or(0),
            u32::try_from(end).unwrap_or(0),
        );
        // Once the mark is drawn, scroll it into the editor's view (three lines of context).
        request_animation_frame(move || {
            let (Some(area), Some(back)) =
                (editor_ref.get_untracked(), backdrop_ref.get_untracked())
            else {
                return;
            };
            let mark = back
                .query_selector("mark")
                .ok()
                .flatten()
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(mark) = mark {
                area.set_scroll_top((mark.offset_top() - 63).max(0));
                back.set_scroll_top(area.scroll_top());
            }
        });
    });
    // Behind the (transparent) text area, a copy of the text marks the stepper's current
    // statement; it scrolls with the text area.
    let backdrop = move || {
        let text = state.editor.get();
        let span = state.stepper.get().and_then(|s| s.current).map(|c| c.span);
        match span.filter(|s| text.get(s.start..s.end).is_some()) {
            Some(s) => view! {
                {text[..s.start].to_owned()}
                <mark data-testid="current-statement">{text[s.start..s.end].to_owned()}</mark>
                {format!("{}\n", &text[s.end..])}
            }
            .into_any(),
            None => format!("{text}\n").into_any(),
        }
    };
    let sync_scroll = move |_| {
        if let (Some(area), Some(back)) = (editor_ref.get(), backdrop_ref.get()) {
            back.set_scroll_top(area.scroll_top());
            back.set_scroll_left(area.scroll_left());
        }
    };
    let step_position = move || {
        state.stepper.get().map(|s| {
            let l = lang.get();
            let line = s.current.as_ref().map(|c| c.span.line);
            let first = s
                .current
                .as_ref()
                .and_then(|c| c.sql.lines().next().map(str::to_owned))
                .unwrap_or_default();
            let text = match (l, line) {
                (Lang::Ko, Some(line)) => format!("{} / {} 문장 실행 · {line}행: {first}", s.done, s.total),
                (Lang::En, Some(line)) => format!("ran {} of {} statements · line {line}: {first}", s.done, s.total),
                (Lang::Ko, None) => format!("0 / {} 문장", s.total),
                (Lang::En, None) => format!("0 of {} statements", s.total),
            };
            view! { <p class="step-position" data-testid="step-position" data-done=s.done.to_string()>{text}</p> }
        })
    };
    view! {
        <Toolbar controller=controller.clone()/>
        <session::SessionBanners controller=controller.clone()/>
        <session::SessionPanel controller=controller.clone()/>
        <div class="layout">
            <SchemaSidebar tables=state.schema lang=lang/>
            <main class="work">
                <label class="sr-only" for="editor">{move || lang.get().pick("SQL 편집기", "SQL editor")}</label>
                <div class="editor-wrap">
                    <pre class="editor-backdrop" aria-hidden="true" node_ref=backdrop_ref>{backdrop}</pre>
                    <textarea
                        id="editor"
                        data-testid="editor"
                        spellcheck="false"
                        node_ref=editor_ref
                        prop:value=move || state.editor.get()
                        on:input=move |ev| state.editor.set(event_target_value(&ev))
                        on:keydown=on_key
                        on:scroll=sync_scroll
                    ></textarea>
                </div>
                {step_position}
                <div class="status" data-testid="status" data-status=status_attr>{status_text}</div>
                {notice}
                <Results controller=controller.clone()/>
            </main>
        </div>
    }
}
