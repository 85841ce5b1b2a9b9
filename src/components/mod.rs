//! The page's components. Each takes plain data or the controller; logic stays in
//! [`crate::controller`], so `view!` only wires.

mod editor;
mod history;
mod lessons;
pub(crate) mod pictures;
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
    let undo_controller = StoredValue::new_local(controller.clone());
    let notice = move || {
        state.notice.get().map(|n| {
            let class = if n.warning { "notice warning" } else { "notice" };
            let undo = n.undo.is_some().then(|| view! {
                " "
                <button data-testid="notice-undo" on:click=move |_| undo_controller.with_value(Controller::undo_replace)>
                    {lang.get().pick("되돌리기", "Undo")}
                </button>
            });
            view! { <div class=class role="status" data-testid="notice">{lang.get().text(&n.text)}{undo}</div> }
        })
    };
    let status_text = move || -> String {
        let l = lang.get();
        let text = match state.status.get() {
            EngineStatus::Booting | EngineStatus::Recovering if state.queued.get() => l.pick(
                "엔진이 준비되면 실행합니다…",
                "will run once the engine is ready…",
            ),
            EngineStatus::Booting => l.pick("엔진 준비 중…", "starting the engine…"),
            EngineStatus::Ready if state.explaining.get() => {
                l.pick("단계 계산 중…", "computing the steps…")
            }
            EngineStatus::Ready => match state.run_report.get() {
                Some(report) => return l.text(&report),
                None => l.pick("준비됨", "ready"),
            },
            EngineStatus::Running => l.pick("실행 중…", "running…"),
            EngineStatus::Recovering => l.pick("엔진 복구 중…", "restoring the engine…"),
            EngineStatus::Broken => l.pick("엔진 오류", "engine failed"),
        };
        text.to_owned()
    };
    let status_attr = move || format!("{:?}", state.status.get()).to_lowercase();
    let status_class = move || {
        if state.run_report.get().is_some() && state.status.get() == EngineStatus::Ready {
            "status run-report"
        } else {
            "status"
        }
    };
    // The lessons replace the playground's editor and results while open (the playground is
    // kept, only hidden, so its editor and results are there when the learner comes back).
    let lessons_open = state.lessons.open;
    let lessons_controller = StoredValue::new_local(controller.clone());
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
        <history::HistoryPanel controller=controller.clone()/>
        <div class="layout" class:hidden=move || lessons_open.get()>
            <SchemaSidebar controller=controller.clone()/>
            <main class="work">
                <editor::Editor controller=controller.clone()/>
                {step_position}
                <div class=status_class data-testid="status" data-status=status_attr role="status">{status_text}</div>
                {notice}
                <Results controller=controller.clone()/>
            </main>
        </div>
        {move || lessons_open.get().then(|| view! {
            <main class="work lessons-work">
                {notice}
                <lessons::LessonsView controller=lessons_controller.get_value()/>
            </main>
        })}
    }
}

/// The file a learner chose in a file input (its `change` event), with the input.
pub(crate) fn chosen_file(
    ev: &leptos::ev::Event,
) -> Option<(web_sys::HtmlInputElement, web_sys::File)> {
    use wasm_bindgen::JsCast;
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0))?;
    Some((input, file))
}

/// A chosen file's text (`None` when the browser cannot read it).
pub(crate) async fn file_text(file: &web_sys::File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?
        .as_string()
}

/// Offers `bytes` as a file download (the result CSV, the script, the session dump).
pub(crate) fn download(name: &str, bytes: &[u8], mime: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
