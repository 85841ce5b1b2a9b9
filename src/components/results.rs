//! Result panels: one per statement, with its SQL, table or count, timing, or error, and a
//! "Show steps" toggle that opens the statement's step-by-step trace.

use super::trace::{TraceSource, TraceView};
use crate::controller::{Controller, Panel};
use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::{export, Cell, Output};
use wasm_bindgen::JsCast;

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

/// Rows shown per page of a result.
const PAGE_ROWS: usize = 100;

/// Props: `columns` as (name, type), `rows`, `lang`. Values are text nodes, never HTML.
///
/// Clicking a header sorts the rows shown (the SQL is untouched, and a line says so); rows are
/// paged; long text is cut with an ellipsis and shown whole on click; the table can be copied
/// as TSV or Markdown and downloaded as CSV for Excel.
#[component]
fn ResultTable(
    columns: Vec<(String, String)>,
    rows: Vec<Vec<Cell>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    let rows = StoredValue::new(rows);
    let names = StoredValue::new(names);
    let sort = RwSignal::new(None::<(usize, bool)>);
    let page = RwSignal::new(0usize);
    let copied = RwSignal::new(None::<&'static str>);
    let total = rows.with_value(Vec::len);
    let order = Memo::new(move |_| match sort.get() {
        Some((col, asc)) => rows.with_value(|r| export::sorted_order(r, col, asc)),
        None => (0..total).collect::<Vec<_>>(),
    });
    let head = columns
        .into_iter()
        .enumerate()
        .map(|(i, (name, ty))| {
            let aria = move || match sort.get() {
                Some((c, true)) if c == i => "ascending",
                Some((c, false)) if c == i => "descending",
                _ => "none",
            };
            let arrow = move || match sort.get() {
                Some((c, true)) if c == i => " ▲",
                Some((c, false)) if c == i => " ▼",
                _ => "",
            };
            let click = move |_| {
                sort.update(|s| {
                    *s = match *s {
                        Some((c, true)) if c == i => Some((i, false)),
                        Some((c, false)) if c == i => None,
                        _ => Some((i, true)),
                    }
                });
                page.set(0);
            };
            view! {
                <th scope="col" aria-sort=aria>
                    <button class="sort" data-testid="sort" on:click=click
                        title=move || lang.get().pick("눌러서 화면의 행 정렬", "click to sort the rows shown")>
                        <span class="col-name">{name}</span>{arrow}
                        <span class="col-type">{ty}</span>
                    </button>
                </th>
            }
        })
        .collect_view();
    let body = move || {
        let start = page.get() * PAGE_ROWS;
        let order = order.get();
        rows.with_value(|rows| {
            order
                .iter()
                .skip(start)
                .take(PAGE_ROWS)
                .map(|&r| {
                    let cells = rows[r]
                        .iter()
                        .map(|cell| {
                            let text = cell.display();
                            let class = match cell {
                                Cell::Null => "null",
                                c if c.is_numeric() => "num",
                                _ if text.chars().count() > 40 => "long",
                                _ => "",
                            };
                            let whole = (class == "long").then(|| text.clone());
                            view! {
                                <td class=class title=whole on:click=move |ev| {
                                    if let Some(td) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                        let _ = td.class_list().toggle("expanded");
                                    }
                                }>{text}</td>
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view()
        })
    };
    let pages = total.div_ceil(PAGE_ROWS);
    let pager = (pages > 1).then(|| {
        view! {
            <div class="pager" data-testid="result-pager">
                <button disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>
                    {move || lang.get().pick("이전", "Previous")}
                </button>
                <span>{move || {
                    let from = page.get() * PAGE_ROWS + 1;
                    let to = (from + PAGE_ROWS - 1).min(total);
                    match lang.get() {
                        Lang::Ko => format!("{total}행 중 {from}–{to}"),
                        Lang::En => format!("rows {from}–{to} of {total}"),
                    }
                }}</span>
                <button disabled=move || page.get() + 1 >= pages on:click=move |_| page.update(|p| *p += 1)>
                    {move || lang.get().pick("다음", "Next")}
                </button>
            </div>
        }
    });
    let sorted_note = move || {
        sort.get().map(|_| {
            view! {
                <p class="sort-note" data-testid="sort-note">{move || lang.get().pick(
                    "화면에 보이는 행만 정렬했습니다. SQL과 결과 자체는 그대로입니다 (정렬하려면 ORDER BY).",
                    "Only the rows shown are sorted; the SQL and its result are unchanged (use ORDER BY to sort in SQL).")}</p>
            }
        })
    };
    let sorted_rows = move || {
        let order = order.get_untracked();
        rows.with_value(|r| order.iter().map(|&i| r[i].clone()).collect::<Vec<_>>())
    };
    let copy = move |format: &'static str| {
        let text = names.with_value(|n| {
            let rows = sorted_rows();
            if format == "tsv" {
                export::to_tsv(n, &rows)
            } else {
                export::to_markdown(n, &rows)
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
        }
        copied.set(Some(format));
    };
    let download_csv = move |_| {
        let bytes = names.with_value(|n| export::to_csv(n, &sorted_rows()));
        super::download("result.csv", &bytes, "text/csv;charset=utf-8");
    };
    view! {
        <div class="table-wrap">
            <table data-testid="result-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {sorted_note}
        {pager}
        <div class="table-actions">
            <button data-testid="copy-tsv" on:click=move |_| copy("tsv")>{move || lang.get().pick("TSV 복사", "Copy TSV")}</button>
            <button data-testid="copy-md" on:click=move |_| copy("md")>{move || lang.get().pick("Markdown 복사", "Copy Markdown")}</button>
            <button data-testid="download-csv" on:click=download_csv>{move || lang.get().pick("CSV 내려받기", "Download CSV")}</button>
            {move || copied.get().map(|f| view! { <span class="copied">{move || lang.get().pick("복사했습니다", "copied")}" ("{f}")"</span> })}
        </div>
    }
}
