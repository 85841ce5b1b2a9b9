//! The editor's keys: Ctrl/Cmd+Enter runs the script or the selection, Shift+Enter the
//! statement under the cursor, Ctrl/Cmd+/ toggles comments, Tab and Shift+Tab indent, Esc then
//! Tab leaves; while the autocomplete list is open, arrows, Enter/Tab and Esc drive it.

use super::EditorParts;
use leptos::prelude::*;
use sqlnori_model::editor;

impl EditorParts {
    pub(super) fn on_key(self, ev: &leptos::ev::KeyboardEvent) {
        // Never steal a key from the input method while it composes.
        if ev.is_composing() || self.composing.get_untracked() || ev.key_code() == 229 {
            return;
        }
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        let leaving = std::mem::take(&mut *self.tab_leaves.write_untracked());
        if key == "Tab" && leaving && self.completions.get_untracked().is_none() {
            // The browser moves the focus on: to the keys' list right under the editor (so never
            // to the page's body), then the results.
            return;
        }
        if self.completion_key(ev, &key, command) {
            return;
        }
        match key.as_str() {
            "Enter" if command || ev.shift_key() => {
                ev.prevent_default();
                self.completions.set(None);
                self.run_at_cursor(command);
            }
            "/" if command => {
                ev.prevent_default();
                let (text, a, b) = self.cursor();
                let (new, start, end) = editor::toggle_comment(&text, a, b);
                self.replace_lines(&text, &new, start, end, (a == b).then_some(a));
            }
            "Tab" => {
                ev.prevent_default();
                let (text, a, b) = self.cursor();
                if a == b && !ev.shift_key() {
                    self.replace(a, a, "    ", false);
                } else {
                    let (new, start, end) = editor::indent(&text, a, b, ev.shift_key());
                    self.replace_lines(&text, &new, start, end, (a == b).then_some(a));
                }
            }
            "Escape" => {
                self.completions.set(None);
                self.tab_leaves.set(true);
            }
            _ => {}
        }
    }

    /// A key while the autocomplete list is open; true when it was the list's.
    fn completion_key(self, ev: &leptos::ev::KeyboardEvent, key: &str, command: bool) -> bool {
        let Some((_, items, _)) = self.completions.get_untracked() else {
            return false;
        };
        let n = items.len();
        match key {
            "ArrowDown" => self.active.update(|a| *a = (*a + 1) % n),
            "ArrowUp" => self.active.update(|a| *a = (*a + n - 1) % n),
            "Enter" | "Tab" if !command && !ev.shift_key() => {
                self.accept(self.active.get_untracked());
            }
            "Escape" => self.completions.set(None),
            _ => return false,
        }
        ev.prevent_default();
        true
    }

    /// Ctrl+Enter: the selection, else the whole script; Shift+Enter: the selection, else the
    /// statement under the cursor.
    fn run_at_cursor(self, whole_script: bool) {
        let (text, a, b) = self.cursor();
        self.controller.with_value(|c| {
            if a != b {
                c.run_range(&text, a, b);
            } else if whole_script {
                c.run_editor();
            } else if let Some(stmt) = editor::statement_at(&text, a) {
                c.run_range(&text, stmt.span.start, stmt.span.end);
            }
        });
    }

    /// Replaces the lines a line edit changed (`new` is the whole new text; its changed block
    /// is `[start, end)`), as one undoable edit. A selection stays selected (it spans the lines
    /// edited); a caret (`caret`: where it was) stays a caret, moved with its line's text, so
    /// the next key types rather than replacing the line.
    fn replace_lines(self, old: &str, new: &str, start: usize, end: usize, caret: Option<usize>) {
        // Everything after the block is unchanged, so the old block ends as far from the end.
        let old_end = old.len() - (new.len() - end);
        self.replace(start, old_end, &new[start..end], caret.is_none());
        if let (Some(at), Some(area)) = (caret, self.area.get_untracked()) {
            let text = self.state.editor.get_untracked();
            let moved = editor::caret_after_line_edit(old, new, at);
            let pos = super::utf16_at(&text, moved);
            let _ = area.set_selection_range(pos, pos);
        }
    }
}
