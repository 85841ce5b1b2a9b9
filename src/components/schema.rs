//! The schema sidebar: every table with its row count, columns, types and keys; clicking a
//! table shows its first rows; "다이어그램 / Diagram" draws the tables and their foreign keys.

use crate::controller::Controller;
use leptos::prelude::*;
use sqlnori_model::schema::TableInfo;
use sqlnori_model::{Cell, Output};

/// Props: the `controller` (tables after each change, previews, language).
#[component]
pub fn SchemaSidebar(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    // Each table is drawn once for its shape (name, columns, indexes) and kept while the shape
    // stays; its row count is read on its own. Every write sends the schema again with new
    // counts, and parts of every table were replaced at each of a script's INSERTs.
    let shape = |t: &TableInfo| {
        (
            t.database.clone(),
            t.name.clone(),
            t.columns.clone(),
            t.indexes.clone(),
        )
    };
    let table = move |t: TableInfo| view! { <TableSection table=t controller=c/> };
    let diagram_open = RwSignal::new(false);
    view! {
        <aside class="schema" aria-label=move || lang.get().pick("테이블 목록", "Tables")>
            <div class="schema-head">
                <h2>{move || lang.get().pick("테이블", "Tables")}</h2>
                <button class="diagram-open" data-testid="diagram-open" aria-haspopup="dialog"
                    on:click=move |_| diagram_open.set(true)>{move || lang.get().pick("다이어그램", "Diagram")}</button>
            </div>
            {move || diagram_open.get().then(|| view! { <SchemaDiagram open=diagram_open controller=c/> })}
            <p class="note">{move || lang.get().pick("표 이름을 누르면 처음 10행을 봅니다", "click a table to see its first 10 rows")}</p>
            <For each=move || state.schema.get() key=shape children=table/>
        </aside>
    }
}

/// One table of the sidebar: its name and row count (a button that shows its first rows), its
/// columns with their types and keys, its indexes, and the preview when open.
/// Props: the `table` as drawn (its count is read from the schema as it changes), the
/// `controller`.
#[component]
fn TableSection(
    table: TableInfo,
    controller: StoredValue<Controller, LocalStorage>,
) -> impl IntoView {
    let state = controller.with_value(|c| c.state);
    let lang = state.lang;
    let TableInfo {
        database,
        name,
        columns,
        indexes,
        ..
    } = table;
    let title = format!("{database}.{name}");
    let rows = {
        let (db, name) = (database.clone(), name.clone());
        Memo::new(move |_| {
            state.schema.with(|s| {
                s.iter()
                    .find(|x| x.database == db && x.name == name)
                    .map_or(0, |x| x.row_count)
            })
        })
    };
    let columns = columns
        .into_iter()
        .map(|c| {
            let key = c.primary_key.then(|| view! { <span class="pk" title="PRIMARY KEY">"PK"</span> });
            let fk = c.references.as_ref().map(|r| {
                let to = format!("→ {}.{}", r.table, r.column);
                view! { <span class="fk" title=format!("FOREIGN KEY {to}")>"FK"</span> }
            });
            view! {
                <li><span class="col">{c.name}</span>{key}{fk}" "<span class="type">{c.data_type}</span></li>
            }
        })
        .collect_view();
    // The indexes, one line: `by_kor (kor) · code (code) UNIQUE`.
    let indexes = (!indexes.is_empty()).then(|| {
        let text = indexes
            .iter()
            .map(|i| {
                let unique = if i.unique { " UNIQUE" } else { "" };
                format!("{} ({}){unique}", i.name, i.columns.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <p class="indexes" data-testid="schema-indexes">
                <span class="label">{move || lang.get().pick("인덱스", "Indexes")}</span>" "{text}
            </p>
        }
    });
    let key = title.clone();
    let preview = move || {
        state
            .previews
            .get()
            .get(&key)
            .cloned()
            .map(|r| match r.outcome {
                Ok(Output::Rows { columns, rows }) => {
                    view! { <Preview columns=columns rows=rows/> }.into_any()
                }
                _ => view! { <p class="note">"—"</p> }.into_any(),
            })
    };
    let (db, table_name) = (database.clone(), name.clone());
    let toggle = move |_| controller.with_value(|c| c.toggle_preview(&db, &table_name));
    let label_title = title.clone();
    let label = name.clone();
    view! {
        <section class="table" data-testid="schema-table" data-table=name data-rows=move || rows.get().to_string()>
            <h3 title=title>
                <button data-testid="preview-table" on:click=toggle
                    aria-label=move || format!("{label_title} {}", lang.get().pick("처음 행 보기", "show first rows"))>
                    {label}<span class="rows">{move || format!(" · {}", rows.get())}</span>
                </button>
            </h3>
            <ul>{columns}</ul>
            {indexes}
            {preview}
        </section>
    }
}

/// A table's first rows under its name. Props: the preview's `columns` and `rows`.
#[component]
fn Preview(columns: Vec<sqlnori_model::result::Column>, rows: Vec<Vec<Cell>>) -> impl IntoView {
    let head = columns
        .into_iter()
        .map(|c| view! { <th>{c.name}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|cell| {
                    let class = if cell == Cell::Null {
                        "null"
                    } else if cell.is_numeric() {
                        "num"
                    } else {
                        ""
                    };
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
}

/// Props: `open` (cleared by Close and Esc), the `controller` (the schema, language).
///
/// The tables as boxes with their columns, types and keys, an arrow from each foreign key to
/// the column it references, in a dialog over the page; it can be saved as SVG or PNG.
#[component]
fn SchemaDiagram(
    open: RwSignal<bool>,
    controller: StoredValue<Controller, LocalStorage>,
) -> impl IntoView {
    let state = controller.with_value(|c| c.state);
    let lang = state.lang;
    let svg = Signal::derive(move || {
        let tables = state.schema.get();
        let title = lang
            .get()
            .pick("스키마 다이어그램", "Schema diagram")
            .to_owned();
        sqlnori_model::picture::diagram_of(&tables).svg(&title)
    });
    let links = move || {
        let n: usize = state
            .schema
            .get()
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.references.is_some())
            .count();
        match lang.get() {
            crate::i18n::Lang::Ko => format!("표 {}개, 외래 키 {n}개", state.schema.get().len()),
            crate::i18n::Lang::En => {
                format!("{} tables, {n} foreign keys", state.schema.get().len())
            }
        }
    };
    let close_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = close_button.get() {
            let _ = b.focus();
        }
    });
    let on_key = move |e: web_sys::KeyboardEvent| {
        if e.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <div class="overlay" on:keydown=on_key>
            <div class="dialog diagram-dialog" role="dialog" aria-modal="true" data-testid="diagram"
                aria-label=move || lang.get().pick("스키마 다이어그램", "Schema diagram")>
                <header>
                    <h2>{move || lang.get().pick("스키마 다이어그램", "Schema diagram")}</h2>
                    <span class="note">{links}</span>
                    <crate::components::pictures::SaveButtons name="schema" svg=svg lang=lang/>
                    <button node_ref=close_button data-testid="diagram-close" on:click=move |_| open.set(false)>
                        {move || lang.get().pick("닫기", "Close")}
                    </button>
                </header>
                <div class="drawing" inner_html=move || svg.get()></div>
                <p class="note">{move || lang.get().pick(
                    "화살표는 외래 키(FOREIGN KEY)에서 그 키가 가리키는 열로 갑니다. PK는 기본 키, FK는 외래 키입니다.",
                    "Arrows go from a foreign key to the column it references. PK: primary key, FK: foreign key.")}</p>
            </div>
        </div>
    }
}
