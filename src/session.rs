//! The browser side of sessions: the cookie that carries the session id, the localStorage
//! keys that hold its state (through `web_sys::Storage`), and what a shared link in the
//! URL fragment asks for. The formats and rules are the core's (`sqlnori_model::session`,
//! `sqlnori_model::share`); this module only reads and writes strings.

use sqlnori_model::session::{
    self, History, SessionMeta, Slot, StoredDatabase, StoredLog, BUILD_KEY, LANG_KEY,
};
use sqlnori_model::share::{self, ShareError, SharedScript};
use sqlnori_model::stepper::StoredStepper;
use sqlnori_model::timeline::{Base, SavePlan, Start, Timeline};
use sqlnori_model::Localized;
use std::collections::{BTreeMap, HashMap};
use wasm_bindgen::JsCast;

/// What the page starts from.
pub struct Boot {
    pub meta: SessionMeta,
    pub editor: Option<String>,
    /// The saved database and the writes since.
    pub timeline: Timeline,
    pub history: History,
    pub stepper: Option<StoredStepper>,
    /// Things the learner should know (set-aside data, storage unavailable, a bad link).
    pub notices: Vec<Localized>,
    /// A shared link opened this page (a scratch workspace, not the saved session).
    pub shared: Option<SharedScript>,
    /// The lessons' progress.
    pub progress: sqlnori_model::lesson::progress::Progress,
    /// A lesson the link asked to open.
    pub lesson_link: Option<crate::controller::LessonLink>,
}

/// The session's store. When `persistent` is false the page works in memory only.
pub struct SessionStore {
    pub id: String,
    pub persistent: bool,
    /// Another tab wrote this session; saving waits until the learner decides.
    pub paused: bool,
    /// Scratch workspace of a shared link: nothing is saved until "Keep as my session".
    pub scratch: bool,
    written: HashMap<String, String>,
    /// The log of writes this tab last stored (its key and value), beside its text in
    /// `written`: a run that wrote nothing leaves the log as it was, and comparing it is far
    /// cheaper than encoding again a log that holds a long INSERT (12 ms for 366 KB of SQL).
    /// It counts only while `written` still holds the key, so whatever forgets what was
    /// written (a set-aside, a reset, keeping a shared link) forgets it too.
    written_log: Option<(String, StoredLog)>,
}

fn storage() -> Option<web_sys::Storage> {
    // Asked for directly (gloo-storage's `raw()` panics where storage is disabled, as in some
    // private modes), so a missing storage is a value, not a crash.
    web_sys::window()?.local_storage().ok().flatten()
}

fn document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The directory the app is served from (`/sqlnori/`): the cookie's Path.
pub fn app_path() -> String {
    let path = location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".to_owned());
    match path.rfind('/') {
        Some(i) => path[..=i].to_owned(),
        None => "/".to_owned(),
    }
}

fn secure() -> bool {
    location().and_then(|l| l.protocol().ok()).as_deref() == Some("https:")
}

fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let _ = getrandom::getrandom(&mut bytes);
    bytes
}

/// A fresh RAND seed for a new session.
pub fn random_seed() -> u64 {
    let b = random_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) % 1_000_000_000
}

fn now_ms() -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let ms = js_sys::Date::now() as i64;
    ms
}

impl SessionStore {
    /// Reads the cookie (issuing one on a first visit), the stored state, and the URL fragment.
    pub fn open(default_lang: &str, default_editor: &str) -> (SessionStore, Boot) {
        let mut notices = Vec::new();
        let cookie = document().and_then(|d| d.cookie().ok()).unwrap_or_default();
        let (id, fresh) = match session::session_from_cookies(&cookie) {
            Some(id) => (id, false),
            None => (session::new_session_id(random_bytes()), true),
        };
        let mut cookie_ok = true;
        if fresh {
            if let Some(d) = document() {
                let _ = d.set_cookie(&session::cookie_string(&id, &app_path(), secure()));
            }
            let back = document().and_then(|d| d.cookie().ok()).unwrap_or_default();
            cookie_ok = session::session_from_cookies(&back).as_deref() == Some(id.as_str());
        }
        let storage_ok = storage().is_some_and(|s| s.length().is_ok());
        let persistent = cookie_ok && storage_ok;
        if !persistent {
            notices.push(Localized::new(
                "이 브라우저는 쿠키나 저장소를 쓸 수 없게 되어 있어, 작업은 이 창에만 있고 새로 고치면 사라집니다",
                "cookies or storage are disabled in this browser: your work stays in this window only and will not survive a reload",
            ));
        }
        let mut store = SessionStore {
            id,
            persistent,
            paused: false,
            scratch: false,
            written: HashMap::new(),
            written_log: None,
        };
        let lang = store
            .read_raw(LANG_KEY)
            .and_then(|v| session::read_lang(&v))
            .unwrap_or(default_lang);
        let meta = store
            .read::<SessionMeta>(Slot::Meta, &mut notices)
            .unwrap_or_else(|| SessionMeta::new(random_seed(), lang));
        let editor = store.read::<String>(Slot::Editor, &mut notices);
        let timeline = store.read_timeline(&mut notices);
        let history = store
            .read::<History>(Slot::History, &mut notices)
            .unwrap_or_default();
        let stepper = store.read::<StoredStepper>(Slot::Stepper, &mut notices);
        let progress = store.read(Slot::Lessons, &mut notices).unwrap_or_default();

        // A shared link: a scratch workspace from the examples and the link's seed (and the
        // lesson file it carries). `#lesson=ID` opens a built-in lesson in the session.
        let fragment = location().and_then(|l| l.hash().ok()).unwrap_or_default();
        let mut shared = None;
        let mut lesson_link = None;
        if let Some(id) = sqlnori_model::lesson::lesson_link(&fragment) {
            lesson_link = Some(crate::controller::LessonLink::Id(id.to_owned()));
            clear_fragment();
        } else if fragment.len() > 1 {
            match share::decode_link(&fragment) {
                Ok(s) => {
                    store.scratch = true;
                    lesson_link =
                        s.lesson
                            .clone()
                            .map(|lesson| crate::controller::LessonLink::Source {
                                lesson,
                                answer: s.script.clone(),
                            });
                    shared = Some(s);
                }
                Err(e) => notices.push(link_refused(&e)),
            }
        }
        let boot = Boot {
            editor: editor.or_else(|| Some(default_editor.to_owned())),
            meta,
            timeline,
            history,
            stepper,
            notices,
            shared,
            progress,
            lesson_link,
        };
        (store, boot)
    }

    fn read_raw(&self, key: &str) -> Option<String> {
        if !self.persistent {
            return None;
        }
        storage()?.get_item(key).ok().flatten()
    }

    /// Reads one slot. Unreadable data is moved aside (never deleted) with a notice.
    fn read<T: serde::de::DeserializeOwned>(
        &self,
        slot: Slot,
        notices: &mut Vec<Localized>,
    ) -> Option<T> {
        let key = slot.key(&self.id);
        let text = self.read_raw(&key)?;
        match session::decode::<T>(slot, &text) {
            Ok(v) => Some(v),
            Err(e) => {
                let aside = session::set_aside_key(&key, now_ms());
                if let Some(s) = storage() {
                    let _ = s.set_item(&aside, &text);
                    let _ = s.remove_item(&key);
                }
                notices.push(Localized::new(
                    format!("저장된 {}을(를) 읽을 수 없어 옆으로 치워 두고({aside}) 새로 시작합니다: {e}", slot.name()),
                    format!("the saved {} could not be read ({e}); it was set aside under {aside} and the page starts clean", slot.name()),
                ));
                None
            }
        }
    }

    /// The saved database (its manifest and each table from its own key) and the log of
    /// writes since. A database that cannot be read whole is set aside with its log.
    fn read_timeline(&self, notices: &mut Vec<Localized>) -> Timeline {
        let log = self.read::<StoredLog>(Slot::Log, notices);
        let start = match self.read::<StoredDatabase>(Slot::Database, notices) {
            None => Start::Examples,
            // An older build's: the worker reads it, the next save stores it as parts.
            Some(StoredDatabase::Whole { snapshot }) => Start::Whole(snapshot),
            Some(StoredDatabase::Parts {
                manifest,
                generation,
                parts,
            }) => {
                let tables = self.read_tables(&parts);
                match Base::from_parts(manifest, generation, parts, tables) {
                    Ok(base) => Start::Saved(base),
                    Err(e) => {
                        self.refuse_database(&e.to_string(), notices);
                        return Timeline::default();
                    }
                }
            }
        };
        let parts = match &start {
            Start::Saved(base) => Some(&base.parts),
            _ => None,
        };
        self.remove_stale_tables(parts);
        let (timeline, notice) = Timeline::restore(start, log);
        notices.extend(notice);
        timeline
    }

    /// The tables' JSON from their keys (a missing or unreadable one is left out).
    fn read_tables(&self, parts: &BTreeMap<String, u64>) -> BTreeMap<String, String> {
        parts
            .iter()
            .filter_map(|(name, generation)| {
                let text = self.read_raw(&session::table_key(&self.id, *generation, name))?;
                Some((name.clone(), session::decode_table(&text).ok()?))
            })
            .collect()
    }

    fn refuse_database(&self, why: &str, notices: &mut Vec<Localized>) {
        let aside = self.set_aside_database_keys();
        notices.push(Localized::new(
            format!("저장된 데이터베이스를 읽을 수 없어 옆으로 치워 두고({aside}) 예제로 시작합니다: {why}"),
            format!("the saved database could not be read ({why}); it was set aside under {aside} and the page starts from the examples"),
        ));
    }

    /// This session's table keys (every generation).
    fn table_keys(&self) -> Vec<String> {
        let Some(s) = storage() else { return vec![] };
        let n = s.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| session::is_table_key(&self.id, k))
            .collect()
    }

    /// Removes table keys no manifest names (left by a save cut short).
    fn remove_stale_tables(&self, parts: Option<&BTreeMap<String, u64>>) {
        let Some(s) = storage().filter(|_| self.persistent) else {
            return;
        };
        let live: Vec<String> = parts
            .into_iter()
            .flatten()
            .map(|(name, g)| session::table_key(&self.id, *g, name))
            .collect();
        for key in self.table_keys() {
            if !live.contains(&key) {
                let _ = s.remove_item(&key);
            }
        }
    }

    /// Moves the database's keys (manifest, tables, log) aside; the aside name's suffix.
    fn set_aside_database_keys(&self) -> String {
        let stamp = now_ms();
        let Some(s) = storage().filter(|_| self.persistent) else {
            return String::new();
        };
        let mut keys = self.table_keys();
        keys.push(Slot::Database.key(&self.id));
        keys.push(Slot::Log.key(&self.id));
        for key in &keys {
            if let Ok(Some(text)) = s.get_item(key) {
                let _ = s.set_item(&session::set_aside_key(key, stamp), &text);
                let _ = s.remove_item(key);
            }
        }
        session::set_aside_key(&Slot::Database.key(&self.id), stamp)
    }

    /// The page refused the saved database (the engine could not read it): set aside.
    pub fn set_aside_database(&mut self) {
        if self.scratch || self.paused {
            return;
        }
        self.set_aside_database_keys();
        self.written.remove(&Slot::Database.key(&self.id));
        self.written.remove(&Slot::Log.key(&self.id));
    }

    /// Writes a save's plan: the tables under their new keys, then the manifest, then the
    /// log, then the stale keys go. Stops at the first failed write (storage full): what is
    /// stored stays whole, the old manifest naming the old keys.
    pub fn apply(&mut self, plan: &SavePlan) -> Result<(), Localized> {
        if !self.persistent || self.scratch || self.paused {
            return Ok(());
        }
        let Some(s) = storage() else {
            return Err(self.storage_failed());
        };
        for (name, generation, json) in &plan.tables {
            let key = session::table_key(&self.id, *generation, name);
            if s.set_item(&key, &session::encode_table(json)).is_err() {
                let _ = s.remove_item(&key);
                return Err(self.storage_failed());
            }
        }
        if let Some(db) = &plan.database {
            self.save(Slot::Database, db)?;
        }
        self.save_log(plan.log.clone())?;
        for (name, generation) in &plan.remove {
            let _ = s.remove_item(&session::table_key(&self.id, *generation, name));
        }
        Ok(())
    }

    fn storage_failed(&mut self) -> Localized {
        self.persistent = false;
        Localized::new(
            "브라우저 저장 공간이 가득 찼거나 쓸 수 없습니다. 작업은 계속할 수 있지만 새로 고치면 마지막으로 저장된 상태로 돌아갑니다",
            "browser storage is full or unavailable: you can keep working, but a reload returns to the last saved state",
        )
    }

    /// Records the build now running; true when another one ran here before (an update).
    pub fn note_build(&self, build: &str) -> bool {
        let Some(s) = storage().filter(|_| self.persistent) else {
            return false;
        };
        let before = s.get_item(BUILD_KEY).ok().flatten();
        if before.as_deref() != Some(build) {
            let _ = s.set_item(BUILD_KEY, build);
        }
        before.is_some_and(|b| b != build)
    }

    /// Remembers the language for the sessions this browser starts later.
    pub fn remember_lang(&mut self, code: &str) {
        if self.persistent && !self.paused {
            if let Some(s) = storage() {
                let _ = s.set_item(LANG_KEY, code);
            }
        }
    }

    /// Saves one slot. `Err` explains why it could not (storage full or unavailable); the
    /// value saved before stays as it was.
    pub fn save<T: serde::Serialize>(&mut self, slot: Slot, value: &T) -> Result<(), Localized> {
        if !self.persistent || self.scratch || self.paused {
            return Ok(());
        }
        let key = slot.key(&self.id);
        if slot == Slot::Log {
            // Whatever is written now, it is not known as a value until `save_log` says so.
            self.written_log = None;
        }
        let text = session::encode(slot, value);
        if self.written.get(&key) == Some(&text) {
            return Ok(());
        }
        let outcome = storage().map(|s| s.set_item(&key, &text));
        match outcome {
            Some(Ok(())) => {
                self.written.insert(key, text);
                Ok(())
            }
            _ => Err(self.storage_failed()),
        }
    }

    /// True when the log stored for this session is one this tab wrote and `same` says the
    /// log now is that one: saving it again would write the same text.
    pub fn log_unchanged(&self, same: impl FnOnce(&StoredLog) -> bool) -> bool {
        let key = Slot::Log.key(&self.id);
        match &self.written_log {
            Some((k, log)) => *k == key && self.written.contains_key(&key) && same(log),
            None => false,
        }
    }

    /// Saves the log of writes, and keeps it as the one last written.
    pub fn save_log(&mut self, log: StoredLog) -> Result<(), Localized> {
        self.save(Slot::Log, &log)?;
        self.written_log = Some((Slot::Log.key(&self.id), log));
        Ok(())
    }

    /// True when `key` with `value` is a write this tab did not make (another tab's).
    pub fn foreign_write(&self, key: &str, value: Option<&str>) -> bool {
        // (Storage events come from other tabs only; a table key's write is always theirs.)
        let ours = Slot::ALL.iter().any(|s| s.key(&self.id) == key);
        session::is_table_key(&self.id, key)
            || ours && self.written.get(key).map(String::as_str) != value
    }

    /// The cookie as the page shows it: name, value, attributes.
    pub fn cookie_line(&self) -> String {
        session::cookie_string(&self.id, &app_path(), secure())
    }

    /// This session's stored keys with their sizes in bytes (UTF-16, as browsers count).
    pub fn stored_keys(&self) -> Vec<(String, usize)> {
        let Some(s) = storage() else { return vec![] };
        let prefix = format!("sqlnori.s.{}.", self.id);
        let n = s.length().unwrap_or(0);
        let mut keys: Vec<(String, usize)> = (0..n)
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(&prefix))
            .map(|k| {
                let size = s
                    .get_item(&k)
                    .ok()
                    .flatten()
                    .map_or(0, |v| v.encode_utf16().count() * 2);
                (k, size)
            })
            .collect();
        sqlnori_model::sort::sort(&mut keys);
        keys
    }

    /// The sessions kept in this browser (this one first), with their sizes and the first
    /// line of their scripts.
    pub fn sessions(&self) -> Vec<session::StoredSession> {
        let Some(s) = storage() else { return vec![] };
        let n = s.length().unwrap_or(0);
        let mut found: Vec<session::StoredSession> = vec![];
        for key in (0..n).filter_map(|i| s.key(i).ok().flatten()) {
            let Some(id) = session::session_of_key(&key) else {
                continue;
            };
            let size = s.get_item(&key).ok().flatten().map_or(0, |v| {
                (v.encode_utf16().count() + key.encode_utf16().count()) * 2
            });
            match found.iter_mut().find(|f| f.id == id) {
                Some(f) => f.bytes += size,
                None => found.push(session::StoredSession {
                    id: id.to_owned(),
                    bytes: size,
                    first_line: String::new(),
                }),
            }
        }
        for f in &mut found {
            let editor = s.get_item(&Slot::Editor.key(&f.id)).ok().flatten();
            f.first_line = editor
                .and_then(|t| session::decode::<String>(Slot::Editor, &t).ok())
                .and_then(|t| t.lines().find(|l| !l.trim().is_empty()).map(str::to_owned))
                .unwrap_or_default();
        }
        sqlnori_model::sort::sort_by_key(&mut found, |f| (f.id != self.id, f.id.clone()));
        found
    }

    /// Makes `id` this browser's session (its cookie); the page reloads into it.
    pub fn switch_to(&mut self, id: &str) {
        if !session::valid_session_id(id) {
            return;
        }
        self.id = id.to_owned();
        if let Some(d) = document() {
            let _ = d.set_cookie(&session::cookie_string(&self.id, &app_path(), secure()));
        }
    }

    /// Deletes another session's keys (never this one's).
    pub fn delete_session(&mut self, id: &str) {
        if id == self.id {
            return;
        }
        let Some(s) = storage() else { return };
        let n = s.length().unwrap_or(0);
        let keys: Vec<String> = (0..n)
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| session::session_of_key(k) == Some(id))
            .collect();
        for key in keys {
            let _ = s.remove_item(&key);
        }
    }

    /// A new session: a new cookie; the old session's keys stay in storage.
    pub fn start_new_session(&mut self) {
        self.id = session::new_session_id(random_bytes());
        if let Some(d) = document() {
            let _ = d.set_cookie(&session::cookie_string(&self.id, &app_path(), secure()));
        }
    }

    /// Forgets this session's state (the cookie stays): the next load starts from the examples.
    /// The lessons' progress is kept: it is the learner's record, not the playground's.
    pub fn clear(&mut self) {
        if let Some(s) = storage() {
            for key in self.table_keys() {
                let _ = s.remove_item(&key);
            }
            for slot in Slot::ALL.into_iter().filter(|s| *s != Slot::Lessons) {
                let _ = s.remove_item(&slot.key(&self.id));
            }
        }
        self.written.clear();
    }

    /// Leaves the scratch workspace of a shared link, keeping it as this session's work. The
    /// old session's database and stepper no longer apply (the link's seed builds the data).
    pub fn keep_shared(&mut self) {
        self.scratch = false;
        if let Some(s) = storage() {
            for key in self.table_keys() {
                let _ = s.remove_item(&key);
            }
            for slot in [Slot::Database, Slot::Log, Slot::Stepper] {
                let key = slot.key(&self.id);
                let _ = s.remove_item(&key);
                self.written.remove(&key);
            }
        }
        clear_fragment();
    }
}

/// Removes the `#…` of a shared link from the address bar (without reloading).
pub fn clear_fragment() {
    if let (Some(w), Some(l)) = (web_sys::window(), location()) {
        let url = format!(
            "{}{}",
            l.pathname().unwrap_or_default(),
            l.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The whole address of a share link for `fragment`.
pub fn link_url(fragment: &str) -> String {
    let l = location();
    let origin = l.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
    let path = l.and_then(|l| l.pathname().ok()).unwrap_or_default();
    format!("{origin}{path}{fragment}")
}

fn link_refused(e: &ShareError) -> Localized {
    let m = e.localized();
    Localized::new(
        format!(
            "공유 링크를 열 수 없습니다: {}. 내 작업은 그대로입니다",
            m.ko
        ),
        format!(
            "this shared link cannot be opened: {}. Your own work is untouched",
            m.en
        ),
    )
}
