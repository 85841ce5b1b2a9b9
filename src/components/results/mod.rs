//! Result panels: one per statement, with its SQL, table or count, timing, or error, and a
//! "Show steps" toggle that opens the statement's step-by-step trace.

mod grid;

use super::pictures::ResultViews;
use super::trace::{TraceSource, TraceView};
use crate::controller::{Controller, Panel};
use crate::i18n::Lang;
pub(crate) use grid::ResultTable;
use leptos::prelude::*;
use sqlnori_model::diagnostics::{without_errno, Level, Warning};
use sqlnori_model::trace::Trace;
use sqlnori_model::{Localized, Output};

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
                <ResultViews columns=columns rows=rows lang=lang/>
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
        // A statement the learner stopped is not an error of theirs: said plainly, no place.
        Err(e) if e.code == "stopped" => view! {
            <p class="stopped" role="status" data-testid="stopped">{move || lang.get().text(&e.message)}</p>
        }
        .into_any(),
        Err(e) => {
            let place = format!("{}:{}", e.line, e.column);
            let hint = e.hint.clone();
            // MySQL's number and SQLSTATE stand beside the message (to look it up), so the
            // message no longer repeats the number.
            let mysql = e.mysql.as_ref().map(|m| {
                view! { <span class="mysql-code" data-testid="error-mysql">{m.label()}</span>" " }
            });
            let message = if e.mysql.is_some() {
                Localized::new(without_errno(&e.message.ko), without_errno(&e.message.en))
            } else {
                e.message.clone()
            };
            view! {
                <p class="error" role="alert" data-testid="error" data-code=e.code.clone()>
                    <span class="place" data-testid="error-place">{place}</span>" "
                    {mysql}
                    {move || lang.get().text(&message)}
                    {move || hint.as_ref().map(|h| format!(" — {}", lang.get().text(h)))}
                </p>
            }
            .into_any()
        }
    };
    let warnings = (!result.warnings.is_empty())
        .then(|| view! { <Warnings warnings=result.warnings.clone() lang=lang/> });
    let notes = result
        .notes
        .iter()
        .cloned()
        .map(|n| view! { <p class="note">{move || lang.get().text(&n)}</p> })
        .collect_view();
    let stopped = matches!(&result.outcome, Err(e) if e.code == "stopped");
    let class = if ok {
        "panel"
    } else if stopped {
        "panel stopped"
    } else {
        "panel failed"
    };
    // A statement the stepper just ran comes into view (it may be far below the editor);
    // the least scrolling that shows it, and instantly, so reduced motion is respected.
    let node = NodeRef::<leptos::html::Article>::new();
    if panel.open_steps {
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let steps = panel.explainable.then(|| {
        let source = TraceSource {
            controller,
            run_id: panel.run_id,
            index: panel.index,
        };
        view! { <StepsToggle source=source open_at_once=panel.open_steps lang=lang/> }
    });
    view! {
        <article class=class data-testid="panel" data-ok=ok.to_string() node_ref=node>
            <PanelSql sql=result.sql.clone() lang=lang/>
            {body}
            {warnings}
            {notes}
            {steps}
        </article>
    }
}

/// Props: a statement's MySQL `warnings` (what `SHOW WARNINGS` would list), `lang`. Each
/// says its level and code as MySQL does, and what happened in the learner's language.
#[component]
fn Warnings(warnings: Vec<Warning>, lang: RwSignal<Lang>) -> impl IntoView {
    let count = warnings.len();
    let items = warnings
        .into_iter()
        .map(|w| {
            let level = w.level;
            view! {
                <li data-testid="warning" data-code=w.code.to_string()>
                    <span class="mysql-code">{move || format!("{} {}", level_label(level, lang.get()), w.code)}</span>" "
                    {move || lang.get().text(&w.message)}
                </li>
            }
        })
        .collect_view();
    let title = move || match lang.get() {
        Lang::Ko => format!("경고 {count}개 (SHOW WARNINGS)"),
        Lang::En => format!("{count} warning(s) (SHOW WARNINGS)"),
    };
    view! {
        <div class="warnings" data-testid="warnings" role="status">
            <p class="warnings-title">{title}</p>
            <ul>{items}</ul>
        </div>
    }
}

/// "경고" / "Warning" for a diagnostic's level.
fn level_label(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::Note => lang.pick("참고", "Note"),
        Level::Warning => lang.pick("경고", "Warning"),
        Level::Error => lang.pick("오류", "Error"),
    }
}

/// How much of a statement a panel shows.
const SHOWN_SQL_CHARS: usize = 1_500;

/// A statement's text, clipped when it is long (a 1,000-row INSERT shows its beginning).
/// Props: the statement's `sql`, `lang`.
#[component]
fn PanelSql(sql: String, lang: RwSignal<Lang>) -> impl IntoView {
    let (shown, hidden) = sqlnori_model::render::clip(&sql, SHOWN_SQL_CHARS);
    let shown = shown.to_owned();
    let more = (hidden > 0).then(|| {
        view! {
            <span class="clipped" data-testid="sql-clipped">
                {move || match lang.get() {
                    Lang::Ko => format!(" … ({hidden}자 더)"),
                    Lang::En => format!(" … ({hidden} more characters)"),
                }}
            </span>
        }
    });
    view! { <pre class="sql">{shown}{more}</pre> }
}

/// A statement's steps as the panel has them: computed only when asked for.
#[derive(Debug, Clone, PartialEq)]
enum Steps {
    NotAsked,
    Computing,
    Shown(Trace),
    Unavailable(Localized),
}

/// Asks the worker for the steps (again, after a failure); `steps` follows the answer.
fn load_steps(source: TraceSource, steps: RwSignal<Steps>) {
    if matches!(steps.get_untracked(), Steps::Computing | Steps::Shown(_)) {
        return;
    }
    steps.set(Steps::Computing);
    let rx = source
        .controller
        .with_value(|c| c.explain(source.run_id, source.index));
    leptos::task::spawn_local(async move {
        steps.set(match rx.await {
            Ok(Ok(trace)) => Steps::Shown(trace),
            Ok(Err(why)) => Steps::Unavailable(why),
            Err(_) => Steps::Unavailable(Localized::new(
                "엔진이 다시 시작되어 단계를 계산하지 못했습니다",
                "the engine restarted before the steps were computed",
            )),
        });
    });
}

/// The "Show steps" button and, when open, the statement's steps (computed on first open).
/// Props: the statement's `source`, `open_at_once` (a statement the stepper just ran), `lang`.
#[component]
fn StepsToggle(source: TraceSource, open_at_once: bool, lang: RwSignal<Lang>) -> impl IntoView {
    let open = RwSignal::new(open_at_once);
    let steps = RwSignal::new(Steps::NotAsked);
    if open_at_once {
        load_steps(source, steps);
    }
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() {
            load_steps(source, steps);
        }
    };
    let count = move || match steps.get() {
        Steps::Shown(t) => Some(t.steps.len()),
        _ => None,
    };
    let body = move || {
        match steps.get() {
        Steps::NotAsked => None,
        Steps::Computing => Some(
            view! { <p class="meta" data-testid="steps-computing">{move || lang.get().pick("단계를 계산하는 중…", "computing the steps…")}</p> }
                .into_any(),
        ),
        Steps::Shown(trace) if trace.steps.is_empty() && trace.error.is_none() => Some(
            view! { <p class="meta" data-testid="no-steps">{move || lang.get().pick("이 문장에는 보여 줄 단계가 없습니다", "this statement has no steps to show")}</p> }
                .into_any(),
        ),
        Steps::Shown(trace) => {
            Some(view! { <TraceView trace=trace source=source path=vec![] lang=lang/> }.into_any())
        }
        Steps::Unavailable(why) => Some(
            view! { <p class="error" data-testid="steps-unavailable">{move || lang.get().text(&why)}</p> }
                .into_any(),
        ),
    }
    };
    view! {
        <button class="steps-toggle" data-testid="show-steps" aria-expanded=move || open.get().to_string()
            on:click=toggle>
            {move || match (open.get(), lang.get(), count()) {
                (false, Lang::Ko, Some(n)) => format!("단계별 보기 ({n}단계)"),
                (false, Lang::En, Some(n)) => format!("Show steps ({n})"),
                (false, Lang::Ko, None) => "단계별 보기".to_owned(),
                (false, Lang::En, None) => "Show steps".to_owned(),
                (true, Lang::Ko, _) => "단계 닫기".to_owned(),
                (true, Lang::En, _) => "Hide steps".to_owned(),
            }}
        </button>
        <Show when=move || open.get()>{body}</Show>
    }
}
