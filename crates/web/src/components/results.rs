//! Result panels: one per statement, with its SQL, table or count, timing, or error.

use crate::controller::Panel;
use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_core::{Cell, Output, StatementResult};

/// Props: `panels` in run order, `lang`.
#[component]
pub fn Results(panels: RwSignal<Vec<Panel>>, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <div class="results" data-testid="results">
            <For each=move || panels.get() key=|p| p.key let:panel>
                <ResultPanel result=panel.result lang=lang/>
            </For>
        </div>
    }
}

/// Props: one statement's `result`, `lang`.
#[component]
fn ResultPanel(result: StatementResult, lang: RwSignal<Lang>) -> impl IntoView {
    let ok = result.is_ok();
    let elapsed = format!("{:.1} ms", result.elapsed_ms);
    let body = match result.outcome.clone() {
        Ok(Output::Rows { columns, rows }) => {
            let count = rows.len();
            view! {
                <ResultTable columns=columns.into_iter().map(|c| (c.name, c.data_type)).collect() rows=rows/>
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
    view! {
        <article class=class data-testid="panel" data-ok=ok.to_string()>
            <pre class="sql">{result.sql.clone()}</pre>
            {body}
            {notes}
        </article>
    }
}

/// Props: `columns` as (name, type) and `rows`. Values are text nodes, never HTML.
#[component]
fn ResultTable(columns: Vec<(String, String)>, rows: Vec<Vec<Cell>>) -> impl IntoView {
    let head = columns
        .into_iter()
        .map(|(name, ty)| view! { <th scope="col" title=ty>{name}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|cell| {
                    let class = match &cell {
                        Cell::Null => "null",
                        c if c.is_numeric() => "num",
                        _ => "",
                    };
                    view! { <td class=class>{cell.display()}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table data-testid="result-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
