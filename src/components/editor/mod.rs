//! The SQL editor: a native text area (so Korean input, undo and redo behave exactly as in any
//! text field) over a highlighted copy of its text drawn from the engine's own tokenizer, with
//! line numbers, error marks, the stepper's and the running statement's marks, keys
//! (`keys.rs`) and autocomplete (`completion.rs`).
//!
//! Edits made by keys go through `insertText`, so they join the browser's undo history. Nothing
//! here touches the text area's value while the learner is composing Hangul.

mod completion;
mod keys;

use crate::controller::{AppState, Controller};
use leptos::prelude::*;
use sqlnori_model::editor::{self, Completion};
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

/// The editor's parts and its own small state, shared by its handlers (all `Copy`).
#[derive(Clone, Copy)]
struct EditorParts {
    state: AppState,
    controller: StoredValue<Controller, LocalStorage>,
    area: NodeRef<leptos::html::Textarea>,
    backdrop: NodeRef<leptos::html::Div>,
    gutter: NodeRef<leptos::html::Div>,
    composing: RwSignal<bool>,
    /// Escape then Tab leaves the editor (Tab alone indents), as in code editors.
    tab_leaves: RwSignal<bool>,
    /// The open autocomplete list: where the replaced word starts, the items, the cursor.
    completions: RwSignal<Option<(usize, Vec<Completion>, usize)>>,
    active: RwSignal<usize>,
    /// The last run's errors as the editor marks them (line, column, message).
    errors: Memo<Vec<(u32, u32, String)>>,
    /// A reveal of the caret's line waits for the next frame (typing asks twice: its input and
    /// its key's release; one look at the text serves both).
    reveal_queued: StoredValue<bool>,
}

impl EditorParts {
    /// The text and the selection, in bytes.
    fn cursor(self) -> (String, usize, usize) {
        let text = self.state.editor.get_untracked();
        let Some(area) = self.area.get_untracked() else {
            return (text, 0, 0);
        };
        let s = area.selection_start().ok().flatten().unwrap_or(0);
        let e = area.selection_end().ok().flatten().unwrap_or(s);
        let (a, b) = (byte_at(&text, s), byte_at(&text, e));
        (text, a, b)
    }

    /// Replaces `[from, to)` with `with` as typing would (undo history kept); `select` leaves
    /// the new text selected.
    fn replace(self, from: usize, to: usize, with: &str, select: bool) {
        let Some(area) = self.area.get_untracked() else {
            return;
        };
        let text = self.state.editor.get_untracked();
        let _ = area.set_selection_range(utf16_at(&text, from), utf16_at(&text, to));
        let done = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value("insertText", false, with)
                    .ok()
            })
            .unwrap_or(false);
        if !done {
            let new = format!("{}{with}{}", &text[..from], &text[to..]);
            area.set_value(&new);
            self.state.editor.set(new);
        }
        if select {
            let text = self.state.editor.get_untracked();
            let _ =
                area.set_selection_range(utf16_at(&text, from), utf16_at(&text, from + with.len()));
        }
    }

    /// Keeps the highlight and the line numbers scrolled with the text area.
    fn sync_scroll(self) {
        if let Some(a) = self.area.get_untracked() {
            if let Some(b) = self.backdrop.get_untracked() {
                b.set_scroll_top(a.scroll_top());
                b.set_scroll_left(a.scroll_left());
            }
            if let Some(g) = self.gutter.get_untracked() {
                g.set_scroll_top(a.scroll_top());
            }
        }
    }

    /// Scrolls the caret's whole line into view once drawn (see `editor::reveal`), with the
    /// text area's own padding to spare, as when it is scrolled to its end.
    fn reveal_caret(self) {
        if self.reveal_queued.get_value() {
            return;
        }
        self.reveal_queued.set_value(true);
        request_animation_frame(move || {
            self.reveal_queued.set_value(false);
            let (Some(area), Some(back)) =
                (self.area.get_untracked(), self.backdrop.get_untracked())
            else {
                return;
            };
            let (text, start, end) = self.cursor();
            let backward = area.selection_direction().ok().flatten().as_deref() == Some("backward");
            let caret = if backward { start } else { end };
            let line = editor::line_of(&text, caret) as u32;
            let lines = back.children();
            let (Some(el), Some(first)) = (
                lines
                    .item(line)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
                lines
                    .item(0)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
            ) else {
                return;
            };
            let top = f64::from(el.offset_top());
            let bottom = top + f64::from(el.offset_height());
            let margin = f64::from(first.offset_top());
            let view = f64::from(area.client_height());
            if let Some(to) =
                editor::reveal(top, bottom, f64::from(area.scroll_top()), view, margin)
            {
                area.set_scroll_top(to.round() as i32);
                self.sync_scroll();
            }
        });
    }

    /// Selects the stepper's statement and scrolls it into view once drawn.
    fn show_statement(self, start: usize, end: usize, line: u32) {
        let Some(area) = self.area.get() else { return };
        let text = self.state.editor.get_untracked();
        let _ = area.set_selection_range(utf16_at(&text, start), utf16_at(&text, end));
        request_animation_frame(move || {
            let (Some(area), Some(back)) =
                (self.area.get_untracked(), self.backdrop.get_untracked())
            else {
                return;
            };
            let target = back
                .children()
                .item(line.saturating_sub(1))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = target {
                area.set_scroll_top((el.offset_top() - 63).max(0));
                self.sync_scroll();
            }
        });
    }

    /// The drawn lines: the text (with its highlight, made when the text changes, not when a
    /// mark moves) with the stepper's statement (`current`) and the running statement's marks
    /// and the errors of the last run.
    fn drawn(
        self,
        spans: Memo<Vec<editor::Span>>,
        current: Memo<Option<(usize, usize)>>,
    ) -> Vec<editor::Line> {
        let state = self.state;
        let mut marks = vec![];
        if let Some((start, end)) = current.get() {
            marks.push((start, end, "current"));
        }
        if let Some((a, b)) = state.running_span.get() {
            marks.push((a, b, "running"));
        }
        state.editor.with(|text| {
            spans.with(|spans| {
                self.errors
                    .with(|errors| editor::draw_lines(text, spans, &marks, errors))
            })
        })
    }
}

/// The errors of the panels, read without copying the panels (their rows included) and
/// compared by value, so that a statement that succeeds (each of a long script's) does not
/// draw the editor's text again.
fn panel_errors(state: AppState) -> Memo<Vec<(u32, u32, String)>> {
    Memo::new(move |_| {
        let lang = state.lang.get();
        state.panels.with(|panels| {
            panels
                .iter()
                .filter_map(|p| p.result.outcome.as_ref().err())
                .map(|e| (e.line, e.column, lang.text(&e.message)))
                .collect()
        })
    })
}

/// Props: the `controller` (editor text, stepper, errors, schema, actions).
#[component]
pub fn Editor(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let parts = EditorParts {
        state,
        controller: StoredValue::new_local(controller),
        area: NodeRef::new(),
        backdrop: NodeRef::new(),
        gutter: NodeRef::new(),
        composing: RwSignal::new(false),
        tab_leaves: RwSignal::new(false),
        completions: RwSignal::new(None),
        active: RwSignal::new(0),
        errors: panel_errors(state),
        reveal_queued: StoredValue::new(false),
    };
    // The value is written only when it differs (an example, an import, a history entry):
    // while typing they are equal, so a composition is never interrupted.
    Effect::new(move |_| {
        let text = state.editor.get();
        if let Some(area) = parts.area.get() {
            if area.value() != text {
                area.set_value(&text);
            }
        }
    });
    let spans = Memo::new(move |_| state.editor.with(|text| editor::highlight(text)));
    // The stepper's state is published at every statement of a run; the text is drawn again
    // only when its statement moves (drawing a 10-statement script of 366 KB at each of its
    // statements took 600 ms of a 700 ms run).
    let current = Memo::new(move |_| {
        state
            .stepper
            .get()
            .and_then(|s| s.current)
            .map(|c| (c.span.start, c.span.end))
    });
    let drawn = Memo::new(move |_| parts.drawn(spans, current));
    Effect::new(move |_| {
        if let Some(stmt) = state.stepper.get().and_then(|s| s.current) {
            parts.show_statement(stmt.span.start, stmt.span.end, stmt.span.line);
        }
    });
    let on_input = move |ev: leptos::ev::Event| {
        state.editor.set(event_target_value(&ev));
        parts.update_completions();
        parts.reveal_caret();
    };
    view! {
        <div class="editor">
            <div class="gutter" node_ref=parts.gutter><Gutter drawn=drawn/></div>
            <div class="editor-wrap">
                <div class="editor-backdrop" aria-hidden="true" node_ref=parts.backdrop data-testid="highlight">
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
                    node_ref=parts.area
                    on:input=on_input
                    on:keydown=move |ev| parts.on_key(&ev)
                    on:scroll=move |_| parts.sync_scroll()
                    on:compositionstart=move |_| { parts.composing.set(true); parts.completions.set(None); }
                    on:compositionend=move |_| parts.composing.set(false)
                    on:blur=move |_| parts.completions.set(None)
                    on:keyup=move |_| parts.reveal_caret()
                    on:click=move |_| { parts.completions.set(None); parts.reveal_caret(); }
                ></textarea>
                {move || parts.popup()}
            </div>
        </div>
        <KeysHelp lang=lang/>
        <p id="editor-keys" class="sr-only">{move || lang.get().pick(
            "Ctrl+Enter: 전체 실행, Shift+Enter: 커서의 문장 실행, Ctrl+/: 주석, Tab: 들여쓰기, Esc 다음 Tab: 편집기에서 나가기",
            "Ctrl+Enter: run all, Shift+Enter: run the statement at the cursor, Ctrl+/: comment, Tab: indent, Esc then Tab: leave the editor")}</p>
    }
}

/// The editor's keys, listed where a learner can find them. Props: `lang`.
#[component]
fn KeysHelp(lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
    const KEYS: [(&str, &str, &str); 7] = [
        (
            "Ctrl/⌘ + Enter",
            "스크립트 전체(또는 선택한 부분) 실행",
            "run the script (or the selection)",
        ),
        (
            "Shift + Enter",
            "커서가 있는 문장만 실행",
            "run the statement at the cursor",
        ),
        (
            "Ctrl/⌘ + /",
            "줄 주석 달기/풀기",
            "comment or uncomment the lines",
        ),
        ("Tab, Shift + Tab", "들여쓰기, 내어쓰기", "indent, outdent"),
        (
            "Esc, Tab",
            "편집기에서 나가 실행 버튼으로",
            "leave the editor for the Run button",
        ),
        (
            "↑ ↓, Enter",
            "자동 완성 목록에서 고르기",
            "pick from the completion list",
        ),
        ("Esc", "자동 완성 닫기", "close the completion list"),
    ];
    view! {
        <details class="keys-help" data-testid="keys-help">
            <summary>{move || lang.get().pick("⌨ 단축키", "⌨ Keys")}</summary>
            <table>
                <tbody>
                    {KEYS
                        .iter()
                        .map(|(key, ko, en)| view! {
                            <tr><td><kbd>{*key}</kbd></td><td>{move || lang.get().pick(ko, en)}</td></tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// The line numbers; a line with an error is marked, focusable, and says the error.
/// Props: `drawn`, the editor's drawn lines.
#[component]
fn Gutter(drawn: Memo<Vec<editor::Line>>) -> impl IntoView {
    move || {
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
    }
}
