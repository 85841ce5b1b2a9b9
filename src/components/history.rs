//! The history of runs (kept with the session): when, how long, the first line, whether it
//! worked; one click puts a past script back in the editor.

use crate::controller::Controller;
use crate::i18n::Lang;
use leptos::prelude::*;

fn clock_time(epoch_ms: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// Props: the `controller`.
#[component]
pub fn HistoryPanel(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    let items = move || {
        let entries = state.history.get().entries;
        let n = entries.len();
        entries
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, e)| {
                let class = if e.ok { "" } else { "failed" };
                let restore = match e.omitted {
                    None => view! {
                        <button data-testid="history-restore" on:click=move |_| c.with_value(|c| c.restore_history(i))>
                            {move || lang.get().pick("편집기로", "To editor")}
                        </button>
                    }
                    .into_any(),
                    Some(bytes) => view! {
                        <span class="note" data-testid="history-omitted">
                            {move || match lang.get() {
                                Lang::Ko => format!("(스크립트가 너무 길어 {} KB는 기록에 남기지 않았습니다)", bytes / 1024),
                                Lang::En => format!("(the script, {} KB, is too long to keep in the history)", bytes / 1024),
                            }}
                        </span>
                    }
                    .into_any(),
                };
                let status = move || match (e.ok, lang.get()) {
                    (true, l) => l.pick("성공", "ok"),
                    (false, l) => l.pick("실패", "failed"),
                };
                view! {
                    <li class=class data-testid="history-entry">
                        <time>{clock_time(e.at_epoch_ms)}</time>" · "{format!("{:.1} ms", e.duration_ms)}" · "{status}" · "
                        <code>{e.first_line.clone()}</code>" "
                        {restore}
                    </li>
                }
            })
            .collect_view()
            .into_any()
            .pipe_if_empty(n, lang)
    };
    view! {
        <Show when=move || state.history_open.get()>
            <section class="history" data-testid="history-panel" aria-label=move || lang.get().pick("실행 기록", "Run history")>
                <ol reversed>{items}</ol>
            </section>
        </Show>
    }
}

/// An empty history says so.
trait EmptyNote {
    fn pipe_if_empty(self, n: usize, lang: RwSignal<Lang>) -> AnyView;
}

impl EmptyNote for AnyView {
    fn pipe_if_empty(self, n: usize, lang: RwSignal<Lang>) -> AnyView {
        if n == 0 {
            view! { <li class="note">{move || lang.get().pick("아직 실행한 기록이 없습니다", "no runs yet")}</li> }.into_any()
        } else {
            self
        }
    }
}
