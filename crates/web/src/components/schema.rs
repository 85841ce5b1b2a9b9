//! The schema sidebar: every table with its columns and types.

use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_core::TableInfo;

/// Props: `tables` (from the engine after each change), `lang`.
#[component]
pub fn SchemaSidebar(tables: RwSignal<Vec<TableInfo>>, lang: RwSignal<Lang>) -> impl IntoView {
    let list = move || {
        tables
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
                view! {
                    <section class="table" data-testid="schema-table" data-table=t.name.clone() data-rows=rows.to_string()>
                        <h3 title=title>{t.name.clone()}<span class="rows">{format!(" · {rows}")}</span></h3>
                        <ul>{columns}</ul>
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <aside class="schema" aria-label=move || lang.get().pick("테이블 목록", "Tables")>
            <h2>{move || lang.get().pick("테이블", "Tables")}</h2>
            {list}
        </aside>
    }
}
