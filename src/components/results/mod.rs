//! Result panels: one per statement, with its SQL, table or count, timing, or error, and a
//! "Show steps" toggle that opens the statement's step-by-step trace.

mod grid;

use super::trace::{TraceSource, TraceView};
use crate::controller::{Controller, Panel};
use crate::i18n::Lang;
use grid::ResultTable;
use leptos::prelude::*;
use sqlnori_model::Output;

/// Props: the `controller` (panels in run order, language, trace pages).
#[component]
pub fn Results(controller: Controller) -> impl IntoView {
    let panels = controller.state.panels;
    let lang = controller.state.lang;
    let controller = StoredValue::new_local(controller);
    view! {
        <div class="results" data-testid="results">
            <For each=move || panels.get() key=|p| p.key let:panel>
                <ResultPanel panel=panel controller=controller lang=lang/>
            </For>
        </div>
    }
}

/// Props: one statement's `panel`, the `controller` (for trace pages), `lang`.
#[component]
fn ResultPanel(
    panel: Panel,
    controller: StoredValue<Controller, LocalStorage>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let result = panel.result;
    let ok = result.is_ok();
    let elapsed = format!("{:.1} ms", result.elapsed_ms);
    let body = match result.outcome.clone() {
        Ok(Output::Rows { columns, rows }) => {
            let count = rows.len();
            view! {
                <ResultTable columns=columns.into_iter().map(|c| (c.name, c.data_type)).collect() rows=rows lang=lang/>
                <p class="meta" data-testid="row-count">
                    {move || format!("{count}{}", lang.get().pick("개 행", " rows"))}" · "{elapsed.clone()}
                </p>
            }
            .into_any()
        }
        Ok(Output::Affected { verb, affected }) => view! {
            <p class="meta" data-testid="affected">
                {move || format!("{verb} · {affected}{}", lang.get().pick("개 행 변경", " rows affected"))}" · "{elapsed.clone()}
            </p>
        }
        .into_any(),
        Err(e) => {
            let place = format!("{}:{}", e.line, e.column);
            let hint = e.hint.clone();
            view! {
                <p class="error" role="alert" data-testid="error" data-code=e.code.clone()>
                    <span class="place" data-testid="error-place">{place}</span>" "
                    {move || lang.get().text(&e.message)}
                    {move || hint.as_ref().map(|h| format!(" — {}", lang.get().text(h)))}
                </p>
            }
            .into_any()
        }
    };
    let notes = result
        .notes
        .iter()
        .cloned()
        .map(|n| view! { <p class="note">{move || lang.get().text(&n)}</p> })
        .collect_view();
    let class = if ok { "panel" } else { "panel failed" };
    let open = RwSignal::new(false);
    let steps = panel.trace.filter(|t| !t.steps.is_empty()).map(|trace| {
        let source = TraceSource {
            controller,
            run_id: panel.run_id,
            index: panel.index,
        };
        let count = trace.steps.len();
        view! {
            <button class="steps-toggle" data-testid="show-steps" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || match (open.get(), lang.get()) {
                    (false, Lang::Ko) => format!("단계별 보기 ({count}단계)"),
                    (false, Lang::En) => format!("Show steps ({count})"),
                    (true, Lang::Ko) => "단계 닫기".to_owned(),
                    (true, Lang::En) => "Hide steps".to_owned(),
                }}
            </button>
            <Show when=move || open.get()>
                <TraceView trace=trace.clone() source=source path=vec![] lang=lang/>
            </Show>
        }
    });
    view! {
        <article class=class data-testid="panel" data-ok=ok.to_string()>
            <pre class="sql">{result.sql.clone()}</pre>
            {body}
            {notes}
            {steps}
        </article>
    }
}
