//! Persistence and sharing: each slot saved as it changes, the database saved when the page
//! is idle (the log of writes at the end of each run, the changed tables later), share links,
//! the scratch workspace of a shared link, new sessions and two-tab conflicts.

use super::*;
use sqlnori_model::timeline::SavePlan;

/// How long the page must be idle before the changed tables are saved.
const SAVE_AFTER_MS: u64 = 1_500;

impl Controller {
    /// Saves one slot; a failure (storage full or gone) becomes a notice, once.
    pub(super) fn save<T: serde::Serialize>(&self, slot: Slot, value: &T) {
        let outcome = self.inner.borrow_mut().store.save(slot, value);
        if let Err(text) = outcome {
            self.state.unsaved.set(Some(text));
        }
    }

    /// Stores the writes since the saved database (each run's end): a reload replays them.
    /// A run that wrote nothing leaves the stored log as it is, without encoding it again.
    pub(super) fn save_log(&self) {
        let log = {
            let inner = self.inner.borrow();
            if inner.store.log_unchanged(|log| inner.timeline.log_is(log)) {
                return;
            }
            inner.timeline.log()
        };
        let outcome = self.inner.borrow_mut().store.save_log(log);
        if let Err(text) = outcome {
            self.state.unsaved.set(Some(text));
        }
    }

    /// Asks for a save of the changed tables once the page has been idle a moment. Typing
    /// and running never wait for it: a run cancels the timer, its end starts it again.
    pub(super) fn schedule_save(&self) {
        let this = self.clone();
        let timer = set_timeout_with_handle(
            move || this.save_if_idle(),
            std::time::Duration::from_millis(SAVE_AFTER_MS),
        )
        .ok();
        let mut inner = self.inner.borrow_mut();
        if let Some(old) = std::mem::replace(&mut inner.save_timer, timer) {
            old.clear();
        }
    }

    /// Asks the worker for the changed tables, unless something is going on: a run, steps
    /// being computed, or steps of the stepper (undoing them replays the log as it is).
    fn save_if_idle(&self) {
        let busy = self.state.status.get_untracked() != EngineStatus::Ready
            || self.state.explaining.get_untracked();
        let mut inner = self.inner.borrow_mut();
        inner.save_timer = None;
        if !busy && !std::mem::replace(&mut inner.announced_idle, true) {
            crate::api::announce_idle();
        }
        let stepping = inner.stepper.as_ref().is_some_and(Stepper::stepped);
        if busy || stepping {
            return;
        }
        if inner.timeline.begin_save() {
            inner.host.send(&Request::Save);
        }
    }

    /// The worker's changed tables: the timeline moves its base up and storage follows.
    pub(super) fn on_saved(&self, saved: Saved) {
        let plan = {
            let mut inner = self.inner.borrow_mut();
            let plan = inner.timeline.finish_save(saved);
            if let (Some(plan), Some(st)) = (plan.as_ref(), inner.stepper.as_mut()) {
                st.compacted(plan.compacted);
            }
            plan
        };
        if let Some(plan) = plan {
            self.apply(&plan);
            self.save_stepper();
        }
    }

    /// Writes a save's plan to storage, in its order.
    fn apply(&self, plan: &SavePlan) {
        let outcome = self.inner.borrow_mut().store.apply(plan);
        if let Err(text) = outcome {
            self.state.unsaved.set(Some(text));
        }
    }

    /// Stores the whole database afresh (a kept shared link, a session taken back from
    /// another tab, an older build's snapshot).
    pub(super) fn write_everything(&self) {
        let plan = self.inner.borrow_mut().timeline.full_plan();
        self.apply(&plan);
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
            lesson: None,
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
        self.write_everything();
        self.save_stepper();
    }

    /// Replaces the editor's text (an example picked, a file imported) and says so with an
    /// Undo: the browser's own undo cannot bring back text replaced from outside the field.
    pub fn replace_editor(&self, text: String, why: Localized) {
        let before = self.state.editor.get_untracked();
        self.state.editor.set(text);
        let undo = (!before.trim().is_empty()).then_some(before);
        self.state.notice.set(Some(super::Notice {
            warning: false,
            text: why,
            undo,
        }));
    }

    /// Puts back the text a replacement took away.
    pub fn undo_replace(&self) {
        if let Some(before) = self.state.notice.get_untracked().and_then(|n| n.undo) {
            self.state.editor.set(before);
            self.state.notice.set(None);
        }
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

    /// The sessions kept in this browser, this one first.
    pub fn sessions(&self) -> Vec<sqlnori_model::session::StoredSession> {
        self.inner.borrow().store.sessions()
    }

    /// This session's id.
    pub fn session_id(&self) -> String {
        self.inner.borrow().store.id.clone()
    }

    /// Goes back to a session kept in this browser (the page reloads into it).
    pub fn switch_session(&self, id: &str) {
        self.inner.borrow_mut().store.switch_to(id);
        crate::session::clear_fragment();
        reload();
    }

    /// Deletes a session kept in this browser (not the one open).
    pub fn delete_session(&self, id: &str) {
        self.inner.borrow_mut().store.delete_session(id);
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
        self.write_everything();
        self.save_stepper();
        let history = self.state.history.get_untracked();
        self.save(Slot::History, &history);
    }

    /// A build of sqlnori starts: a notice when it is not the one that ran here last.
    pub fn note_build(&self, build: &str) {
        let updated = self.inner.borrow().store.note_build(build);
        if updated {
            self.set_notice(
                Localized::new(
                    "sqlnori가 새 버전으로 업데이트되었습니다. 작업은 그대로입니다.",
                    "sqlnori was updated to a new version; your work is as you left it",
                ),
                false,
            );
        }
    }

    /// A newer build is installed and waits for this one's pages to close.
    pub fn update_ready(&self) {
        self.add_notice_info(Localized::new(
            "새 버전이 준비되었습니다. sqlnori 탭을 모두 닫았다가 다시 열면 적용됩니다.",
            "a new version is ready: it is used once every sqlnori tab is closed and opened again",
        ));
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
