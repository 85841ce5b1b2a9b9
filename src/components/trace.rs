//! The step-by-step view of one statement: each clause's rows in evaluation order, with what
//! changed (dropped rows greyed with their reason, groups with their rows and aggregates,
//! the new order, the LIMIT cut, rows before and after a change), paged.

use crate::controller::Controller;
use crate::i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::trace::{Group, RowMark, Stage, StageTable, Step, Trace, TRACE_PAGE_ROWS};
use sqlnori_model::Cell;

/// Row position in a stage's table → the number of the group it belongs to.
type Bands = std::collections::HashMap<usize, usize>;

/// How many band colours there are (`band-0` … in steps.css); groups beyond reuse them.
const BAND_COLOURS: usize = 8;

/// Where a trace's rows can be fetched from: the run and statement it belongs to. The
/// controller sits in a local arena slot so views may copy it into their closures.
#[derive(Clone, Copy)]
pub struct TraceSource {
    pub controller: StoredValue<Controller, LocalStorage>,
    pub run_id: u64,
    pub index: usize,
}

/// Props: the `trace` (first pages), its `source` for further pages, `path` of this trace
/// inside the statement's (empty at the top), `lang`.
#[component]
pub fn TraceView(
    trace: Trace,
    source: TraceSource,
    path: Vec<usize>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let note = trace
        .note
        .clone()
        .map(|n| view! { <p class="trace-note">{move || lang.get().text(&n)}</p> });
    let error = trace.error.clone().map(|e| {
        view! { <p class="error" data-testid="trace-error">{move || lang.get().text(&e)}</p> }
    });
    // Rows band by group: the stage before GROUP BY by the group each row goes into, the
    // GROUP BY stage one band per group (its rows are the groups, in order).
    let bands: Vec<Option<Bands>> = (0..trace.steps.len())
        .map(|i| {
            if let Some(next) = trace.steps.get(i + 1).filter(|n| !n.groups.is_empty()) {
                Some(sqlnori_model::trace::group_bands(&next.groups))
            } else if !trace.steps[i].groups.is_empty() {
                Some((0..trace.steps[i].groups.len()).map(|g| (g, g)).collect())
            } else {
                None
            }
        })
        .collect();
    let grown = sqlnori_model::trace::recursion_so_far(&trace.steps);
    let steps = trace
        .steps
        .into_iter()
        .zip(bands)
        .zip(grown)
        .enumerate()
        .map(|(i, ((step, bands), grown))| {
            let mut step_path = path.clone();
            step_path.push(i);
            let tree = grown.and_then(|rows| {
                let tree = sqlnori_model::picture::tree_of(&step.table.columns, &rows)?;
                let id = step.table.columns.iter().position(|c| c.name == tree.id_column)?;
                let added: Vec<String> =
                    step.table.rows.iter().filter_map(|r| r.cells.get(id).map(Cell::display)).collect();
                Some((tree, added))
            });
            view! { <StepView number=i + 1 step=step bands=bands tree=tree source=source path=step_path lang=lang/> }
        })
        .collect_view();
    // Type-erased: a trace holds steps that hold traces.
    view! {
        <ol class="trace" data-testid="trace">
            {note}
            {steps}
            {error}
        </ol>
    }
    .into_any()
}

fn stage_name(stage: Stage, lang: Lang) -> &'static str {
    match stage {
        Stage::RecursiveAnchor => lang.pick("기초", "anchor"),
        Stage::RecursiveIteration => lang.pick("반복", "iteration"),
        Stage::Before => lang.pick("실행 전", "before"),
        Stage::Privileges => lang.pick("권한 확인", "privilege check"),
        Stage::After => lang.pick("실행 후", "after"),
        // The clauses by their SQL names, as the verdicts of lessons name them.
        clause => sqlnori_model::lesson::verdict::stage_clause(clause),
    }
}

fn stage_attr(stage: Stage) -> String {
    serde_json::to_value(stage)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// How many rows go on, of how many, for the step's summary line.
fn summary(table: &StageTable, lang: Lang) -> String {
    let dropped = |m: RowMark| table.rows.iter().filter(|r| r.mark == m).count();
    let gone = dropped(RowMark::DroppedFalse)
        + dropped(RowMark::DroppedNull)
        + dropped(RowMark::Duplicate)
        + dropped(RowMark::Cut);
    if gone > 0 && table.total == table.rows.len() {
        let kept = table.total - gone;
        match lang {
            Lang::Ko => format!("{}행 중 {kept}행이 남음", table.total),
            Lang::En => format!("{kept} of {} rows go on", table.total),
        }
    } else {
        match lang {
            Lang::Ko => format!("{}행", table.total),
            Lang::En => format!("{} rows", table.total),
        }
    }
}

/// Props: the step's 1-based `number`, the `step`, the group `bands` of its rows (if any), the
/// `tree` a recursion has grown so far with the ids this step added (if its rows make one),
/// its `source` and `path`, `lang`.
#[component]
fn StepView(
    number: usize,
    step: Step,
    bands: Option<Bands>,
    tree: Option<(sqlnori_model::picture::Tree, Vec<String>)>,
    source: TraceSource,
    path: Vec<usize>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let stage = step.stage;
    let label = step.label.clone();
    let explain = step.explain.clone();
    // A CTE's own steps (a recursion's iterations) are the point of its step: open them.
    let open_nested = stage == Stage::Cte;
    let note = step.note.clone().map(|n| view! { <p class="step-note" data-testid="step-note">{move || lang.get().text(&n)}</p> });
    let nested = step
        .nested
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, n)| {
            let mut nested_path = path.clone();
            nested_path.push(i);
            let title = n.title.clone();
            view! {
                <details class="nested" data-testid="nested" open=open_nested>
                    <summary><code>{title}</code></summary>
                    <TraceView trace=n.trace source=source path=nested_path lang=lang/>
                </details>
            }
        })
        .collect_view();
    let groups = (!step.groups.is_empty()).then(|| {
        view! { <GroupList groups=step.groups.clone() names=step.aggregate_names.clone() lang=lang/> }
    });
    let table = RwSignal::new(step.table.clone());
    view! {
        <li class="step" data-testid="trace-step" data-stage=stage_attr(stage)>
            <header>
                <span class="step-number">{number}</span>
                {(!label.to_uppercase().starts_with(stage_name(stage, Lang::En))).then(|| view! {
                    <span class="stage">{move || stage_name(stage, lang.get())}</span>
                })}
                <code class="clause">{label.clone()}</code>
                <span class="count" data-testid="step-count">{move || summary(&table.get(), lang.get())}</span>
            </header>
            <p class="explain">{move || lang.get().text(&explain)}</p>
            {nested}
            <StageRows table=table bands=bands source=source path=path lang=lang/>
            {tree.map(|(tree, added)| view! {
                <details class="iteration-tree" data-testid="iteration-tree">
                    <summary>{move || lang.get().pick("지금까지의 트리 (새 행 강조)", "The tree so far (new rows marked)")}</summary>
                    <crate::components::pictures::TreeView tree=tree fresh=added lang=lang/>
                </details>
            })}
            {groups}
            {note}
        </li>
    }
}

/// Props: the GROUP BY `groups`, the aggregates' `names`, `lang`.
#[component]
fn GroupList(groups: Vec<Group>, names: Vec<String>, lang: RwSignal<Lang>) -> impl IntoView {
    let items = groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let key = g
                .key
                .iter()
                .map(Cell::display)
                .collect::<Vec<_>>()
                .join(", ");
            let aggs = names
                .iter()
                .zip(&g.aggregates)
                .map(|(n, v)| format!("{n} = {}", v.display()))
                .collect::<Vec<_>>()
                .join(" · ");
            let rows = g
                .rows
                .iter()
                .map(|r| (r + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let count = g.rows.len();
            view! {
                <li data-testid="group" class=format!("band band-{}", i % BAND_COLOURS)>
                    <strong>"(" {key} ")"</strong>" "
                    <span class="group-rows">{move || match lang.get() {
                        Lang::Ko => format!("행 {rows} ({count}개)"),
                        Lang::En => format!("rows {rows} ({count})"),
                    }}</span>
                    " → "<span class="aggs">{aggs}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="groups" data-testid="groups">{items}</ul> }
}

fn mark_text(mark: RowMark, lang: Lang) -> &'static str {
    match mark {
        RowMark::Kept => "",
        RowMark::DroppedFalse => lang.pick("거짓", "false"),
        RowMark::DroppedNull => lang.pick("NULL(알 수 없음)", "NULL (unknown)"),
        RowMark::Duplicate => lang.pick("중복", "duplicate"),
        RowMark::Cut => lang.pick("잘림", "cut"),
        RowMark::Inserted => lang.pick("새 행", "new"),
        RowMark::Deleted => lang.pick("삭제", "deleted"),
        RowMark::Updated => lang.pick("변경", "changed"),
        RowMark::Denied => lang.pick("권한 없음", "denied"),
    }
}

fn mark_class(mark: RowMark) -> &'static str {
    match mark {
        RowMark::Kept => "",
        RowMark::DroppedFalse | RowMark::DroppedNull | RowMark::Duplicate | RowMark::Cut => {
            "dropped"
        }
        RowMark::Inserted => "inserted",
        RowMark::Deleted => "deleted",
        RowMark::Updated => "updated",
        RowMark::Denied => "denied",
    }
}

/// Props: the stage's `table` (one page), the group `bands` of its rows, where to fetch other
/// pages, `lang`.
#[component]
fn StageRows(
    table: RwSignal<StageTable>,
    bands: Option<Bands>,
    source: TraceSource,
    path: Vec<usize>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let loading = RwSignal::new(false);
    let gone = RwSignal::new(false);
    let fetch = move |offset: usize| {
        let path = path.clone();
        loading.set(true);
        let rx = source
            .controller
            .with_value(|c| c.trace_page(source.run_id, source.index, path, offset));
        leptos::task::spawn_local(async move {
            match rx.await {
                Ok(Some(page)) => table.set(page),
                _ => gone.set(true),
            }
            loading.set(false);
        });
    };
    let head = move || {
        let t = table.get();
        let cols = t
            .columns
            .into_iter()
            .map(|c| view! { <th scope="col" title=c.data_type>{c.name}</th> })
            .collect_view();
        view! { <tr><th class="mark" scope="col"></th>{cols}</tr> }
    };
    let bands = StoredValue::new(bands);
    let body = move || {
        let l = lang.get();
        let t = table.get();
        let offset = t.offset;
        t.rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let band =
                    bands.with_value(|b| b.as_ref().and_then(|b| b.get(&(offset + i)).copied()));
                let reason = mark_text(r.mark, l);
                let was = r.was.map(|w| format!("#{}", w + 1)).unwrap_or_default();
                let changed = r.changed.clone();
                let cells = r
                    .cells
                    .into_iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        let mut class = match &cell {
                            Cell::Null => "null".to_owned(),
                            c if c.is_numeric() => "num".to_owned(),
                            _ => String::new(),
                        };
                        if changed.contains(&i) {
                            class.push_str(" changed");
                        }
                        view! { <td class=class>{cell.display()}</td> }
                    })
                    .collect_view();
                let mark = format!(
                    "{reason}{}{was}",
                    if !reason.is_empty() && !was.is_empty() {
                        " "
                    } else {
                        ""
                    }
                );
                let class = match band {
                    Some(g) => format!("{} band band-{}", mark_class(r.mark), g % BAND_COLOURS),
                    None => mark_class(r.mark).to_owned(),
                };
                view! {
                    <tr class=class data-mark=format!("{:?}", r.mark).to_lowercase()
                        data-band=band.map(|g| g.to_string())>
                        <td class="mark">{mark}</td>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    let fetch_prev = fetch.clone();
    let pager = move || {
        let t = table.get();
        (t.total > t.rows.len()).then(|| {
            let from = t.offset + 1;
            let to = t.offset + t.rows.len();
            let total = t.total;
            let prev_at = t.offset.saturating_sub(TRACE_PAGE_ROWS);
            let next_at = t.offset + TRACE_PAGE_ROWS;
            let fetch_prev = fetch_prev.clone();
            let fetch_next = fetch.clone();
            view! {
                <div class="pager" data-testid="pager">
                    <button disabled=move || loading.get() || from == 1 on:click=move |_| fetch_prev(prev_at)>
                        {move || lang.get().pick("이전", "Previous")}
                    </button>
                    <span>{move || match lang.get() {
                        Lang::Ko => format!("{total}행 중 {from}–{to}"),
                        Lang::En => format!("rows {from}–{to} of {total}"),
                    }}</span>
                    <button disabled=move || loading.get() || (to >= total) on:click=move |_| fetch_next(next_at)>
                        {move || lang.get().pick("다음", "Next")}
                    </button>
                    {move || gone.get().then(|| lang.get().pick(" (엔진이 새로 시작되어 더 볼 수 없습니다)", " (no longer available: the engine restarted)"))}
                </div>
            }
        })
    };
    view! {
        <div class="table-wrap">
            <table class="stage-rows" data-testid="stage-table">
                <thead>{head}</thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {pager}
    }
}
