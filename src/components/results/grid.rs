//! The result grid: a sticky header that sorts the rows shown, pages of rows, long text cut
//! and opened on click, and the table copied as TSV or Markdown or downloaded as CSV.

use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::{export, Cell};
use wasm_bindgen::JsCast;

/// Rows shown per page of a result.
const PAGE_ROWS: usize = 100;

/// Which column the rows shown are sorted by, and whether ascending.
type Sort = Option<(usize, bool)>;

/// Props: `columns` as (name, type), `rows`, `lang`. Values are text nodes, never HTML.
///
/// Clicking a header sorts the rows shown (the SQL is untouched, and a line says so); rows are
/// paged; long text is cut with an ellipsis and shown whole on click; the table can be copied
/// as TSV or Markdown and downloaded as CSV for Excel.
#[component]
pub fn ResultTable(
    columns: Vec<(String, String)>,
    rows: Vec<Vec<Cell>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    let total = rows.len();
    let rows = StoredValue::new(rows);
    let sort = RwSignal::new(None::<(usize, bool)>);
    let page = RwSignal::new(0usize);
    let order = Memo::new(move |_| match sort.get() {
        Some((col, asc)) => rows.with_value(|r| export::sorted_order(r, col, asc)),
        None => (0..total).collect::<Vec<_>>(),
    });
    let head = columns
        .into_iter()
        .enumerate()
        .map(|(i, (name, ty))| view! { <SortHeader index=i name=name ty=ty sort=sort page=page lang=lang/> })
        .collect_view();
    let body = move || {
        let start = page.get() * PAGE_ROWS;
        let order = order.get();
        rows.with_value(|rows| {
            order
                .iter()
                .skip(start)
                .take(PAGE_ROWS)
                .map(|&r| view! { <tr>{rows[r].iter().map(cell_view).collect_view()}</tr> })
                .collect_view()
        })
    };
    let sorted_note = move || {
        sort.get().map(|_| {
            view! {
                <p class="sort-note" data-testid="sort-note">{move || lang.get().pick(
                    "화면에 보이는 행만 정렬했습니다. SQL과 결과 자체는 그대로입니다 (정렬하려면 ORDER BY).",
                    "Only the rows shown are sorted; the SQL and its result are unchanged (use ORDER BY to sort in SQL).")}</p>
            }
        })
    };
    let sorted_rows = Callback::new(move |()| {
        let order = order.get_untracked();
        rows.with_value(|r| order.iter().map(|&i| r[i].clone()).collect::<Vec<_>>())
    });
    view! {
        <div class="table-wrap">
            <table data-testid="result-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {sorted_note}
        <Pager page=page total=total lang=lang/>
        <TableActions names=names rows=sorted_rows lang=lang/>
    }
}

/// One cell: NULL and numbers styled, long text cut and opened on click.
fn cell_view(cell: &Cell) -> impl IntoView {
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
}

/// A column header that sorts the rows shown: ascending, descending, as they came.
/// Props: the column's `index`, `name` and `ty`pe; the table's `sort` and `page`; `lang`.
#[component]
fn SortHeader(
    index: usize,
    name: String,
    ty: String,
    sort: RwSignal<Sort>,
    page: RwSignal<usize>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let direction = move || match sort.get() {
        Some((c, asc)) if c == index => Some(asc),
        _ => None,
    };
    let aria = move || match direction() {
        Some(true) => "ascending",
        Some(false) => "descending",
        None => "none",
    };
    let arrow = move || match direction() {
        Some(true) => " ▲",
        Some(false) => " ▼",
        None => "",
    };
    let click = move |_| {
        sort.set(match direction() {
            None => Some((index, true)),
            Some(true) => Some((index, false)),
            Some(false) => None,
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
}

/// Previous / next page of a long result, with where it stands. Shown only when there is more
/// than one page. Props: the table's `page`, the `total` number of rows, `lang`.
#[component]
fn Pager(page: RwSignal<usize>, total: usize, lang: RwSignal<Lang>) -> impl IntoView {
    let pages = total.div_ceil(PAGE_ROWS);
    let at_first = move || page.get() == 0;
    let at_last = move || page.get() + 1 >= pages;
    let place = move || {
        let from = page.get() * PAGE_ROWS + 1;
        let to = (from + PAGE_ROWS - 1).min(total);
        match lang.get() {
            Lang::Ko => format!("{total}행 중 {from}–{to}"),
            Lang::En => format!("rows {from}–{to} of {total}"),
        }
    };
    (pages > 1).then(|| {
        view! {
            <div class="pager" data-testid="result-pager">
                <button data-testid="page-previous" disabled=at_first on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                    {move || lang.get().pick("이전", "Previous")}
                </button>
                <span data-testid="page-place">{place}</span>
                <button data-testid="page-next" disabled=at_last on:click=move |_| page.update(|p| *p += 1)>
                    {move || lang.get().pick("다음", "Next")}
                </button>
            </div>
        }
    })
}

/// Copy as TSV or Markdown, download as CSV: the rows in the order shown.
/// Props: the column `names`, the `rows` as shown (a callback), `lang`.
#[component]
fn TableActions(
    names: Vec<String>,
    rows: Callback<(), Vec<Vec<Cell>>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let names = StoredValue::new(names);
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |format: &'static str| {
        let text = names.with_value(|n| {
            let rows = rows.run(());
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
        let bytes = names.with_value(|n| export::to_csv(n, &rows.run(())));
        crate::components::download("result.csv", &bytes, "text/csv;charset=utf-8");
    };
    view! {
        <div class="table-actions">
            <button data-testid="copy-tsv" on:click=move |_| copy("tsv")>{move || lang.get().pick("TSV 복사", "Copy TSV")}</button>
            <button data-testid="copy-md" on:click=move |_| copy("md")>{move || lang.get().pick("Markdown 복사", "Copy Markdown")}</button>
            <button data-testid="download-csv" on:click=download_csv>{move || lang.get().pick("CSV 내려받기", "Download CSV")}</button>
            {move || copied.get().map(|f| view! { <span class="copied">{move || lang.get().pick("복사했습니다", "copied")}" ("{f}")"</span> })}
        </div>
    }
}
