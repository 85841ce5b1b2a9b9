//! Persistence and sharing: each slot saved as it changes, share links, the scratch workspace
//! of a shared link, new sessions and two-tab conflicts.

use super::*;

impl Controller {
    /// Saves one slot; a failure (storage full or gone) becomes a notice, once.
    pub(super) fn save<T: serde::Serialize>(&self, slot: Slot, value: &T) {
        let outcome = self.inner.borrow_mut().store.save(slot, value);
        if let Err(text) = outcome {
            self.state.unsaved.set(Some(text));
        }
    }

    pub(super) fn save_database(&self) {
        let snapshot = self.inner.borrow().snapshot.clone();
        if let Some(s) = snapshot {
            self.save(Slot::Database, &s);
        }
    }

    pub(super) fn save_stepper(&self) {
        let stored = self.inner.borrow().stepper.as_ref().map(Stepper::stored);
        self.save(Slot::Stepper, &stored.unwrap_or_default());
        let done = self.state.stepper.get_untracked().map_or(0, |s| s.done);
        let meta = {
            let mut inner = self.inner.borrow_mut();
            inner.meta.stepper_done = done;
            inner.meta.clone()
        };
        self.save(Slot::Meta, &meta);
    }

    /// Saves the editor's text (called as the learner types).
    pub fn save_editor(&self) {
        let text = self.state.editor.get_untracked();
        self.save(Slot::Editor, &text);
    }

    /// Saves the language and theme.
    pub fn save_settings(&self) {
        let meta = {
            let mut inner = self.inner.borrow_mut();
            inner.meta.lang = self.state.lang.get_untracked().code().to_owned();
            inner.meta.theme = self.state.theme.get_untracked();
            let lang = inner.meta.lang.clone();
            inner.store.remember_lang(&lang);
            inner.meta.clone()
        };
        self.save(Slot::Meta, &meta);
    }

    /// Makes a share link of the editor's script (the session's seed, the course dataset).
    pub fn share(&self) {
        let seed = self.inner.borrow().meta.seed;
        let shared = SharedScript {
            script: self.state.editor.get_untracked(),
            dataset: COURSE_DATASET.to_owned(),
            seed,
        };
        let link = share::encode_link(&shared)
            .map(|fragment| crate::session::link_url(&fragment))
            .map_err(|e| e.localized());
        self.state.share.set(Some(link));
    }

    /// Keeps a shared link's scratch workspace as this session's work.
    pub fn keep_shared(&self) {
        self.inner.borrow_mut().store.keep_shared();
        self.state.scratch.set(false);
        let meta = self.inner.borrow().meta.clone();
        self.save(Slot::Meta, &meta);
        self.save_editor();
        self.save_database();
    }

    /// Leaves a shared link for the saved session (the page reloads without the link).
    pub fn leave_shared(&self) {
        crate::session::clear_fragment();
        reload();
    }

    /// Starts a brand-new session (a new cookie); the old one stays in storage.
    pub fn new_session(&self) {
        self.inner.borrow_mut().store.start_new_session();
        crate::session::clear_fragment();
        reload();
    }

    /// Forgets this session's saved state and reloads from the examples.
    pub fn reset_to_examples(&self) {
        self.inner.borrow_mut().store.clear();
        crate::session::clear_fragment();
        reload();
    }

    /// Another tab wrote `key`: stop saving until the learner chooses.
    pub fn on_storage_event(&self, key: &str, value: Option<&str>) {
        let foreign = self.inner.borrow().store.foreign_write(key, value);
        if foreign && !self.state.conflict.get_untracked() {
            self.inner.borrow_mut().store.paused = true;
            self.state.conflict.set(true);
        }
    }

    /// Resolves a two-tab conflict in favour of this tab: save everything here now.
    pub fn keep_this_tab(&self) {
        self.inner.borrow_mut().store.paused = false;
        self.state.conflict.set(false);
        self.save_settings();
        self.save_editor();
        self.save_database();
        self.save_stepper();
        let history = self.state.history.get_untracked();
        self.save(Slot::History, &history);
    }

    /// The cookie and the stored keys, for the session panel.
    pub fn session_info(&self) -> (String, Vec<(String, usize)>, bool) {
        let inner = self.inner.borrow();
        (
            inner.store.cookie_line(),
            inner.store.stored_keys(),
            inner.store.persistent,
        )
    }
}
