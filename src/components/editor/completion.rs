//! Autocomplete: the list opens as a word is typed (never while Hangul is being composed),
//! offers the model's completions, and replaces the word with the one accepted.

use super::EditorParts;
use leptos::prelude::*;
use sqlnori_model::editor::{self, CompletionKind};

impl EditorParts {
    /// Opens, moves or closes the list after the text changed.
    pub(super) fn update_completions(self) {
        if self.composing.get_untracked() {
            return;
        }
        let (text, a, b) = self.cursor();
        if a != b {
            self.completions.set(None);
            return;
        }
        let schema = self.state.schema.get_untracked();
        let (from, items) = editor::complete(&text, a, &schema);
        let typed = a > from || text[..a].ends_with('.');
        if items.is_empty() || !typed {
            self.completions.set(None);
        } else {
            self.active.set(0);
            self.completions.set(Some((from, items, a)));
        }
    }

    /// Puts completion `i` in place of the word being typed.
    pub(super) fn accept(self, i: usize) {
        let Some((from, items, at)) = self.completions.get_untracked() else {
            return;
        };
        if let Some(item) = items.get(i) {
            self.replace(from, at, &item.insert, false);
        }
        self.completions.set(None);
    }

    /// The open list, hung below the word at the editor's own font metrics.
    pub(super) fn popup(self) -> Option<impl IntoView> {
        let lang = self.state.lang;
        let active = self.active;
        self.completions.get().map(|(from, items, _)| {
            let text = self.state.editor.get_untracked();
            let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..from].matches('\n').count();
            let col = editor::display_width(&text[line_start..from]);
            let top = self.area.get_untracked().map_or(0, |a| a.scroll_top());
            // An anchor in the editor's own font, so `em` and `ch` measure its lines and
            // characters; the list hangs below it. (Set through the CSSOM, `style:`, which
            // the Content-Security-Policy allows; a `style` attribute it would block.)
            let top = format!("calc({}em * 1.5 + .6rem - {top}px)", line + 1);
            let left = format!("calc({col}ch + .6rem)");
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
                            on:mousedown=move |ev| { ev.prevent_default(); self.accept(i); }>
                            <span class="kind">{kind}</span>
                            <strong>{item.label.clone()}</strong>
                            <span class="detail">{item.detail.clone()}</span>
                            {doc.map(|d| view! { <span class="doc">{move || lang.get().text(&d)}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="completion-anchor" style:top=top style:left=left>
                    <ul class="completions" role="listbox" data-testid="completions">{list}</ul>
                </div>
            }
        })
    }
}
