//! The schema sidebar: every table with its row count, columns, types and primary key;
//! clicking a table shows its first rows.

use crate::controller::Controller;
use leptos::prelude::*;
use sqlnori_model::{Cell, Output};

/// Props: the `controller` (tables after each change, previews, language).
#[component]
pub fn SchemaSidebar(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    let list = move || {
        state
            .schema
            .get()
            .into_iter()
            .map(|t| {
                let title = format!("{}.{}", t.database, t.name);
                let rows = t.row_count;
                let columns = t
                    .columns
                    .into_iter()
                    .map(|c| {
                        let key = c.primary_key.then(|| view! { <span class="pk" title="PRIMARY KEY">"PK"</span> });
                        view! {
                            <li><span class="col">{c.name}</span>{key}" "<span class="type">{c.data_type}</span></li>
                        }
                    })
                    .collect_view();
                let (db, name) = (t.database.clone(), t.name.clone());
                let key = title.clone();
                let preview = move || {
                    state.previews.get().get(&key).cloned().map(|r| match r.outcome {
                        Ok(Output::Rows { columns, rows }) => {
                            let head = columns.into_iter().map(|c| view! { <th>{c.name}</th> }).collect_view();
                            let body = rows
                                .into_iter()
                                .map(|row| {
                                    let cells = row
                                        .into_iter()
                                        .map(|cell| {
                                            let class = if cell == Cell::Null { "null" } else if cell.is_numeric() { "num" } else { "" };
                                            view! { <td class=class>{cell.display()}</td> }
                                        })
                                        .collect_view();
                                    view! { <tr>{cells}</tr> }
                                })
                                .collect_view();
                            view! {
                                <div class="preview" data-testid="preview">
                                    <table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
                                </div>
                            }
                            .into_any()
                        }
                        _ => view! { <p class="note">"—"</p> }.into_any(),
                    })
                };
                let toggle = move |_| c.with_value(|c| c.toggle_preview(&db, &name));
                let label_title = title.clone();
                view! {
                    <section class="table" data-testid="schema-table" data-table=t.name.clone() data-rows=rows.to_string()>
                        <h3 title=title.clone()>
                            <button data-testid="preview-table" on:click=toggle
                                aria-label=move || format!("{label_title} {}", lang.get().pick("처음 행 보기", "show first rows"))>
                                {t.name.clone()}<span class="rows">{format!(" · {rows}")}</span>
                            </button>
                        </h3>
                        <ul>{columns}</ul>
                        {preview}
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <aside class="schema" aria-label=move || lang.get().pick("테이블 목록", "Tables")>
            <h2>{move || lang.get().pick("테이블", "Tables")}</h2>
            <p class="note">{move || lang.get().pick("표 이름을 누르면 처음 10행을 봅니다", "click a table to see its first 10 rows")}</p>
            {list}
        </aside>
    }
}
