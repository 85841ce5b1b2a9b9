//! The SQL editor: a native text area (so Korean input, undo and redo behave exactly as in any
//! text field) over a highlighted copy of its text drawn from the engine's own tokenizer, with
//! line numbers, error marks, the stepper's and the running statement's marks, keys
//! (Ctrl/Cmd+Enter, Shift+Enter, Ctrl/Cmd+/, Tab, Shift+Tab) and autocomplete.
//!
//! Edits made by keys go through `insertText`, so they join the browser's undo history. Nothing
//! here touches the text area's value while the learner is composing Hangul.

use crate::controller::Controller;
use leptos::prelude::*;
use sqlnori_model::editor::{self, Completion, CompletionKind, TokenClass};
use sqlnori_model::split::LineIndex;
use std::hash::{Hash, Hasher};
use wasm_bindgen::JsCast;

/// Byte offset in `text` of a UTF-16 position (what text areas count in).
fn byte_at(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// UTF-16 position of a byte offset.
fn utf16_at(text: &str, byte: usize) -> u32 {
    text.get(..byte)
        .map_or(0, |t| t.encode_utf16().count() as u32)
}

fn class_name(class: TokenClass) -> &'static str {
    match class {
        TokenClass::Keyword => "tk-kw",
        TokenClass::Function => "tk-fn",
        TokenClass::Identifier => "tk-id",
        TokenClass::String => "tk-str",
        TokenClass::Number => "tk-num",
        TokenClass::Comment => "tk-cmt",
        TokenClass::Operator => "tk-op",
        TokenClass::Plain => "",
    }
}

/// One drawn line: its pieces (text, classes) and a key that changes when any of it does.
#[derive(Clone, PartialEq)]
struct Line {
    key: u64,
    number: usize,
    pieces: Vec<(String, String)>,
    error: Option<String>,
}

/// Splits the text into drawn lines with their highlight, marks and error.
fn lines(
    text: &str,
    marks: &[(usize, usize, &'static str)],
    errors: &[(u32, u32, String)],
) -> Vec<Line> {
    let spans = editor::highlight(text);
    let index = LineIndex::new(text);
    // Classes at each boundary: token spans plus mark ranges.
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for s in &spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    for (a, b, _) in marks {
        cuts.push(*a);
        cuts.push(*b);
    }
    let error_at: Vec<(usize, usize, String)> = errors
        .iter()
        .map(|(line, col, msg)| {
            let at = index.offset(text, u64::from(*line), u64::from(*col));
            let end = text[at..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
                .map_or(text.len(), |(i, _)| at + i.max(1));
            (at, end.max(at + 1).min(text.len()), msg.clone())
        })
        .collect();
    for (a, b, _) in &error_at {
        cuts.push(*a);
        cuts.push(*b);
    }
    for (i, _) in text.match_indices('\n') {
        cuts.push(i);
        cuts.push(i + 1);
    }
    cuts.retain(|c| *c <= text.len() && text.is_char_boundary(*c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Line> = vec![];
    let mut current: Vec<(String, String)> = vec![];
    let mut number = 1;
    let mut span_i = 0;
    let finish = |number: usize, pieces: Vec<(String, String)>, out: &mut Vec<Line>| {
        let error = errors
            .iter()
            .find(|(l, _, _)| *l as usize == number)
            .map(|(_, _, m)| m.clone());
        let mut h = std::collections::hash_map::DefaultHasher::new();
        number.hash(&mut h);
        pieces.hash(&mut h);
        error.hash(&mut h);
        out.push(Line {
            key: h.finish(),
            number,
            pieces,
            error,
        });
    };
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let piece = &text[a..b];
        if piece == "\n" {
            finish(number, std::mem::take(&mut current), &mut out);
            number += 1;
            continue;
        }
        while span_i < spans.len() && spans[span_i].end <= a {
            span_i += 1;
        }
        let mut class = spans
            .get(span_i)
            .filter(|s| s.start <= a && a < s.end)
            .map_or("", |s| class_name(s.class))
            .to_owned();
        for (ma, mb, name) in marks {
            if *ma <= a && b <= *mb {
                class.push(' ');
                class.push_str(name);
            }
        }
        if error_at.iter().any(|(ea, eb, _)| *ea <= a && b <= *eb) {
            class.push_str(" error-mark");
        }
        current.push((piece.to_owned(), class));
    }
    finish(number, current, &mut out);
    out
}

/// Props: the `controller` (editor text, stepper, errors, schema, actions).
#[component]
pub fn Editor(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    let area_ref = NodeRef::<leptos::html::Textarea>::new();
    let backdrop_ref = NodeRef::<leptos::html::Div>::new();
    let gutter_ref = NodeRef::<leptos::html::Div>::new();
    let composing = RwSignal::new(false);
    // Escape then Tab leaves the editor (Tab alone indents), as in code editors.
    let tab_leaves = RwSignal::new(false);
    let completions = RwSignal::new(None::<(usize, Vec<Completion>, usize)>);
    let active = RwSignal::new(0usize);

    // The value is written only when it differs (an example, an import, a history entry):
    // while typing they are equal, so a composition is never interrupted.
    Effect::new(move |_| {
        let text = state.editor.get();
        if let Some(area) = area_ref.get() {
            if area.value() != text {
                area.set_value(&text);
            }
        }
    });

    let drawn = Memo::new(move |_| {
        let text = state.editor.get();
        let mut marks = vec![];
        if let Some(cur) = state.stepper.get().and_then(|s| s.current) {
            marks.push((cur.span.start, cur.span.end, "current"));
        }
        if let Some((a, b)) = state.running_span.get() {
            marks.push((a, b, "running"));
        }
        let errors: Vec<(u32, u32, String)> = state
            .panels
            .get()
            .iter()
            .filter_map(|p| p.result.outcome.as_ref().err())
            .map(|e| (e.line, e.column, lang.get().text(&e.message)))
            .collect();
        lines(&text, &marks, &errors)
    });

    // The stepper's statement: selected, and scrolled into view once drawn.
    Effect::new(move |_| {
        let Some(stmt) = state.stepper.get().and_then(|s| s.current) else {
            return;
        };
        let Some(area) = area_ref.get() else { return };
        let text = state.editor.get_untracked();
        let _ = area.set_selection_range(
            utf16_at(&text, stmt.span.start),
            utf16_at(&text, stmt.span.end),
        );
        let line = stmt.span.line;
        request_animation_frame(move || {
            let (Some(area), Some(back)) = (area_ref.get_untracked(), backdrop_ref.get_untracked())
            else {
                return;
            };
            let target = back
                .children()
                .item(line.saturating_sub(1))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = target {
                area.set_scroll_top((el.offset_top() - 63).max(0));
                sync(area_ref, backdrop_ref, gutter_ref);
            }
        });
    });

    let cursor = move || -> (String, usize, usize) {
        let text = state.editor.get_untracked();
        let Some(area) = area_ref.get_untracked() else {
            return (text, 0, 0);
        };
        let s = area.selection_start().ok().flatten().unwrap_or(0);
        let e = area.selection_end().ok().flatten().unwrap_or(s);
        let (a, b) = (byte_at(&text, s), byte_at(&text, e));
        (text, a, b)
    };

    // Replaces [from, to) with `with` as typing would (undo history kept).
    let replace = move |from: usize, to: usize, with: &str, select: bool| {
        let Some(area) = area_ref.get_untracked() else {
            return;
        };
        let text = state.editor.get_untracked();
        let _ = area.set_selection_range(utf16_at(&text, from), utf16_at(&text, to));
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
        let done = doc
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value("insertText", false, with)
                    .ok()
            })
            .unwrap_or(false);
        if !done {
            let new = format!("{}{with}{}", &text[..from], &text[to..]);
            area.set_value(&new);
            state.editor.set(new);
        }
        if select {
            let text = state.editor.get_untracked();
            let _ =
                area.set_selection_range(utf16_at(&text, from), utf16_at(&text, from + with.len()));
        }
    };

    let update_completions = move || {
        if composing.get_untracked() {
            return;
        }
        let (text, a, b) = cursor();
        if a != b {
            completions.set(None);
            return;
        }
        let schema = state.schema.get_untracked();
        let (from, items) = editor::complete(&text, a, &schema);
        let typed = a > from || text[..a].ends_with('.');
        if items.is_empty() || !typed {
            completions.set(None);
        } else {
            active.set(0);
            completions.set(Some((from, items, a)));
        }
    };

    let accept = move |i: usize| {
        let Some((from, items, at)) = completions.get_untracked() else {
            return;
        };
        if let Some(item) = items.get(i) {
            replace(from, at, &item.insert, false);
        }
        completions.set(None);
    };

    let on_input = move |ev: leptos::ev::Event| {
        state.editor.set(event_target_value(&ev));
        update_completions();
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Never steal a key from the input method while it composes.
        if ev.is_composing() || composing.get_untracked() || ev.key_code() == 229 {
            return;
        }
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        let leaving = std::mem::take(&mut *tab_leaves.write_untracked());
        if key == "Tab" && leaving && completions.get_untracked().is_none() {
            return; // the browser moves the focus on
        }
        if let Some((_, items, _)) = completions.get_untracked() {
            match key.as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + 1) % items.len());
                    return;
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + items.len() - 1) % items.len());
                    return;
                }
                "Enter" | "Tab" if !command && !ev.shift_key() => {
                    ev.prevent_default();
                    accept(active.get_untracked());
                    return;
                }
                "Escape" => {
                    ev.prevent_default();
                    completions.set(None);
                    return;
                }
                _ => {}
            }
        }
        match key.as_str() {
            "Enter" if command || ev.shift_key() => {
                ev.prevent_default();
                completions.set(None);
                let (text, a, b) = cursor();
                c.with_value(|c| {
                    if a != b {
                        c.run_range(&text, a, b);
                    } else if command {
                        c.run_editor();
                    } else if let Some(stmt) = editor::statement_at(&text, a) {
                        c.run_range(&text, stmt.span.start, stmt.span.end);
                    }
                });
            }
            "/" if command => {
                ev.prevent_default();
                let (text, a, b) = cursor();
                let (new, start, end) = editor::toggle_comment(&text, a, b);
                let (line_start, old_end) = changed_range(&text, &new, start, end);
                replace(line_start, old_end, &new[line_start..end], true);
            }
            "Tab" => {
                ev.prevent_default();
                let (text, a, b) = cursor();
                if a == b && !ev.shift_key() {
                    replace(a, a, "    ", false);
                } else {
                    let (new, start, end) = editor::indent(&text, a, b, ev.shift_key());
                    let (line_start, old_end) = changed_range(&text, &new, start, end);
                    replace(line_start, old_end, &new[line_start..end], true);
                }
            }
            "Escape" => {
                completions.set(None);
                tab_leaves.set(true);
            }
            _ => {}
        }
    };

    let gutter = move || {
        drawn
            .get()
            .into_iter()
            .map(|l| {
                let class = if l.error.is_some() { "ln has-error" } else { "ln" };
                let tab = if l.error.is_some() { "0" } else { "-1" };
                let label = l.error.clone().map(|e| format!("{}: {e}", l.number));
                view! {
                    <div class=class title=l.error.clone() tabindex=tab aria-label=label data-testid=l.error.as_ref().map(|_| "error-line")>
                        {l.number}
                    </div>
                }
            })
            .collect_view()
    };

    let popup = move || {
        completions.get().map(|(from, items, at)| {
            let text = state.editor.get_untracked();
            let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..from].matches('\n').count();
            let col = editor::display_width(&text[line_start..from]);
            let top = area_ref
                .get_untracked()
                .map_or(0, |a| a.scroll_top());
            // An anchor in the editor's own font, so `em` and `ch` measure its lines and
            // characters; the list hangs below it.
            let style = format!(
                "top: calc({}em * 1.5 + .6rem - {top}px); left: calc({col}ch + .6rem)",
                line + 1
            );
            let _ = at;
            let list = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let kind = match item.kind {
                        CompletionKind::Column => "col",
                        CompletionKind::Table => "tbl",
                        CompletionKind::Function => "fn",
                        CompletionKind::Keyword => "kw",
                    };
                    let doc = item.doc.clone();
                    view! {
                        <li role="option" data-testid="completion" aria-selected=move || (active.get() == i).to_string()
                            class:active=move || active.get() == i
                            on:mousedown=move |ev| { ev.prevent_default(); accept(i); }>
                            <span class="kind">{kind}</span>
                            <strong>{item.label.clone()}</strong>
                            <span class="detail">{item.detail.clone()}</span>
                            {doc.map(|d| view! { <span class="doc">{move || lang.get().text(&d)}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="completion-anchor" style=style>
                    <ul class="completions" role="listbox" data-testid="completions">{list}</ul>
                </div>
            }
        })
    };

    view! {
        <div class="editor">
            <div class="gutter" node_ref=gutter_ref>{gutter}</div>
            <div class="editor-wrap">
                <div class="editor-backdrop" aria-hidden="true" node_ref=backdrop_ref data-testid="highlight">
                    <For each=move || drawn.get() key=|l| l.key let:line>
                        <div class="line">
                            {line.pieces.into_iter().map(|(t, class)| view! { <span class=class>{t}</span> }).collect_view()}
                            "\u{200b}"
                        </div>
                    </For>
                </div>
                <label class="sr-only" for="editor">{move || lang.get().pick("SQL 편집기", "SQL editor")}</label>
                <textarea
                    id="editor"
                    data-testid="editor"
                    spellcheck="false"
                    wrap="off"
                    autocapitalize="off"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-describedby="editor-keys"
                    node_ref=area_ref
                    on:input=on_input
                    on:keydown=on_key
                    on:scroll=move |_| sync(area_ref, backdrop_ref, gutter_ref)
                    on:compositionstart=move |_| { composing.set(true); completions.set(None); }
                    on:compositionend=move |_| composing.set(false)
                    on:blur=move |_| completions.set(None)
                    on:click=move |_| completions.set(None)
                ></textarea>
                {popup}
            </div>
        </div>
        <p id="editor-keys" class="sr-only">{move || lang.get().pick(
            "Ctrl+Enter: 전체 실행, Shift+Enter: 커서의 문장 실행, Ctrl+/: 주석, Tab: 들여쓰기, Esc 다음 Tab: 편집기에서 나가기",
            "Ctrl+Enter: run all, Shift+Enter: run the statement at the cursor, Ctrl+/: comment, Tab: indent, Esc then Tab: leave the editor")}</p>
    }
}

/// Keeps the highlight and the line numbers scrolled with the text area.
fn sync(
    area: NodeRef<leptos::html::Textarea>,
    back: NodeRef<leptos::html::Div>,
    gutter: NodeRef<leptos::html::Div>,
) {
    if let Some(a) = area.get_untracked() {
        if let Some(b) = back.get_untracked() {
            b.set_scroll_top(a.scroll_top());
            b.set_scroll_left(a.scroll_left());
        }
        if let Some(g) = gutter.get_untracked() {
            g.set_scroll_top(a.scroll_top());
        }
    }
}

/// The range of `old` that a line edit replaced: it starts where the new block starts, and
/// everything after the block is unchanged, so the end is as far from the end as in `new`.
fn changed_range(old: &str, new: &str, start: usize, new_end: usize) -> (usize, usize) {
    (start, old.len() - (new.len() - new_end))
}
