//! A result as a table, a chart or a tree, and the schema as a diagram: the model draws the
//! SVG (its text escaped there), these components show it, switch between the views, and save
//! a drawing as SVG or PNG.

use super::results::ResultTable;
use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::picture::{self, chart_of, tree_of, ChartKind, Palette, TreeNode};
use sqlnori_model::{Cell, Column};
use wasm_bindgen::JsCast;

/// How a result is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Table,
    Chart,
    Tree,
}

/// Props: the result's `columns` and `rows`, `lang`.
///
/// The table, and beside it "차트 / Chart" when the result has a label and number columns and
/// "트리 / Tree" when it has an id and a parent column; the table is always one click away.
#[component]
pub fn ResultViews(
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let chart = chart_of(&columns, &rows);
    let tree = tree_of(&columns, &rows);
    let view = RwSignal::new(View::Table);
    let switcher = (chart.is_some() || tree.is_some()).then(|| {
        let button = move |v: View, ko: &'static str, en: &'static str, id: &'static str| {
            view! {
                <button data-testid=id aria-pressed=move || (view.get() == v).to_string()
                    on:click=move |_| view.set(v)>{move || lang.get().pick(ko, en)}</button>
            }
        };
        view! {
            <div class="view-switch" role="group" aria-label=move || lang.get().pick("결과 보기 방식", "Show the result as")>
                {button(View::Table, "표", "Table", "view-table")}
                {chart.is_some().then(|| button(View::Chart, "차트", "Chart", "view-chart"))}
                {tree.is_some().then(|| button(View::Tree, "트리", "Tree", "view-tree"))}
            </div>
        }
    });
    let table = view! {
        <div hidden=move || view.get() != View::Table>
            <ResultTable columns=columns.into_iter().map(|c| (c.name, c.data_type)).collect() rows=rows lang=lang/>
        </div>
    };
    // A chart or a tree is drawn the first time it is shown, then kept: most results are only
    // read as a table, and drawing the hidden chart of a GROUP BY (its SVG set as HTML) took
    // 10 ms of the page's main thread before the result was on screen.
    let shown =
        move |v: View| Memo::new(move |was: Option<&bool>| was == Some(&true) || view.get() == v);
    let chart_view = chart.map(|c| {
        let (c, opened) = (StoredValue::new(c), shown(View::Chart));
        view! {
            <div hidden=move || view.get() != View::Chart>
                {move || opened.get().then(|| view! { <ChartView chart=c.get_value() lang=lang/> })}
            </div>
        }
    });
    let tree_view = tree.map(|t| {
        let (t, opened) = (StoredValue::new(t), shown(View::Tree));
        view! {
            <div hidden=move || view.get() != View::Tree>
                {move || opened.get().then(|| view! { <TreeView tree=t.get_value() fresh=vec![] lang=lang/> })}
            </div>
        }
    });
    view! { {switcher}{table}{chart_view}{tree_view} }
}

/// Props: the `chart` (its kind can be switched when its labels are ordered), `lang`.
#[component]
fn ChartView(chart: picture::Chart, lang: RwSignal<Lang>) -> impl IntoView {
    let ordered = chart.ordered;
    let kind = RwSignal::new(chart.kind);
    let chart = StoredValue::new(chart);
    let drawn = Memo::new(move |_| chart.with_value(|c| c.clone().with_kind(kind.get())));
    let description = move || lang.get().text(&drawn.with(picture::Chart::description));
    let svg = move || {
        let description = description();
        drawn.with(|c| c.svg(&description))
    };
    let kinds = ordered.then(|| {
        let button = move |k: ChartKind, ko: &'static str, en: &'static str| {
            view! {
                <button aria-pressed=move || (kind.get() == k).to_string() on:click=move |_| kind.set(k)>
                    {move || lang.get().pick(ko, en)}
                </button>
            }
        };
        view! {
            <span class="chart-kind" role="group">
                {button(ChartKind::Bar, "막대", "Bars")}{button(ChartKind::Line, "선", "Line")}
            </span>
        }
    });
    view! {
        <figure class="picture" data-testid="chart">
            <div class="drawing" inner_html=svg></div>
            <figcaption data-testid="chart-description">{description}</figcaption>
            <div class="picture-actions">
                {kinds}
                <SaveButtons name="chart" svg=Signal::derive(svg) lang=lang/>
            </div>
        </figure>
    }
}

/// Props: the `tree`, the ids of `fresh` nodes to mark (a recursion's latest rows), `lang`.
/// Each node with children folds and unfolds.
#[component]
pub fn TreeView(tree: picture::Tree, fresh: Vec<String>, lang: RwSignal<Lang>) -> impl IntoView {
    let fresh = std::rc::Rc::new(fresh);
    let outline = tree.outline();
    let caption = move || match lang.get() {
        Lang::Ko => format!(
            "{}개 행을 {} → {} 관계로 그린 트리",
            tree.nodes, tree.parent_column, tree.id_column
        ),
        Lang::En => format!(
            "{} rows as a tree by {} → {}",
            tree.nodes, tree.parent_column, tree.id_column
        ),
    };
    let roots = tree
        .roots
        .into_iter()
        .map(|n| tree_node(n, &fresh, lang))
        .collect_view();
    view! {
        <figure class="picture tree" data-testid="tree">
            <ul role="tree" aria-label=caption.clone()>{roots}</ul>
            <figcaption>{caption}</figcaption>
            <details class="outline"><summary>{move || lang.get().pick("글로 보기", "As text")}</summary><pre>{outline}</pre></details>
        </figure>
    }
}

/// One node and, unless folded, its children.
fn tree_node(node: TreeNode, fresh: &std::rc::Rc<Vec<String>>, lang: RwSignal<Lang>) -> AnyView {
    let open = RwSignal::new(true);
    let has_children = !node.children.is_empty();
    let count = node.children.len();
    let toggle = has_children.then(|| {
        view! {
            <button class="fold" data-testid="tree-fold" aria-expanded=move || open.get().to_string()
                aria-label=move || match (lang.get(), open.get()) {
                    (Lang::Ko, true) => format!("접기 ({count}명)"),
                    (Lang::Ko, false) => format!("펼치기 ({count}명)"),
                    (Lang::En, true) => format!("fold ({count})"),
                    (Lang::En, false) => format!("unfold ({count})"),
                }
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "▾" } else { "▸" }}
            </button>
        }
    });
    let children = node
        .children
        .into_iter()
        .map(|c| tree_node(c, fresh, lang))
        .collect_view();
    let class = if fresh.contains(&node.id) {
        "node fresh"
    } else {
        "node"
    };
    let sub =
        has_children.then(|| view! { <ul role="group" hidden=move || !open.get()>{children}</ul> });
    let (id, parent) = (node.id.clone(), node.parent.clone().unwrap_or_default());
    view! {
        <li role="treeitem" data-testid="tree-node" data-id=id
            data-parent=parent
            aria-expanded=move || has_children.then(|| open.get().to_string())>
            <span class=class>{toggle}<b>{node.id}</b>" "{node.label}</span>
            {sub}
        </li>
    }
    .into_any()
}

/// Props: the file `name` (without extension), the drawing's `svg`, `lang`. Saved files carry
/// the light theme's colours and a white background, for slides and reports.
#[component]
pub fn SaveButtons(name: &'static str, svg: Signal<String>, lang: RwSignal<Lang>) -> impl IntoView {
    let save_svg = move |_| {
        let text = picture::standalone(&svg.get_untracked(), Palette::Light);
        super::download(&format!("{name}.svg"), text.as_bytes(), "image/svg+xml");
    };
    let save_png = move |_| {
        save_as_png(
            &format!("{name}.png"),
            &picture::standalone(&svg.get_untracked(), Palette::Light),
        )
    };
    view! {
        <button data-testid="save-svg" on:click=save_svg>{move || lang.get().pick("SVG로 저장", "Save SVG")}</button>
        <button data-testid="save-png" on:click=save_png>{move || lang.get().pick("PNG로 저장", "Save PNG")}</button>
    }
}

/// Draws the SVG on a canvas at twice its size and downloads the canvas as PNG.
fn save_as_png(name: &str, svg: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let name = name.to_owned();
    let image = img.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let (w, h) = (
            f64::from(image.natural_width().max(1)),
            f64::from(image.natural_height().max(1)),
        );
        let Some(canvas) = document
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width((w * 2.0) as u32);
        canvas.set_height((h * 2.0) as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(2.0, 2.0);
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h);
        if let Ok(url) = canvas.to_data_url_with_type("image/png") {
            if let Some(a) = document
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            {
                a.set_href(&url);
                a.set_download(&name);
                a.click();
            }
        }
    });
    img.set_onload(Some(onload.unchecked_ref()));
    let encoded: String = js_sys::encode_uri_component(svg).into();
    img.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
}
