//! A learner's session: the id a cookie carries, and the state stored under keys derived
//! from it (editor text, run history, the database, the RAND seed, the stepper position,
//! language and theme).
//!
//! Every stored value is a versioned envelope. Reading one migrates older versions; an
//! unknown or unreadable value is refused (the shell sets it aside and starts clean), never
//! guessed at. Nothing here touches the browser: the shell reads and writes the strings.

use crate::error::FormatError;
use crate::snapshot::Manifest;
use crate::split::ScriptStatement;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Version of the stored envelopes this build writes. Version 2 stores the database in parts
/// (a manifest, one key per table, the log of writes since) and the stepper without
/// snapshots.
pub const STORE_VERSION: u32 = 2;
/// The cookie that carries the session id.
pub const COOKIE_NAME: &str = "sqlnori_sid";
/// A year, in seconds: the cookie's `Max-Age`.
pub const COOKIE_MAX_AGE: u64 = 365 * 24 * 60 * 60;
/// Runs kept in the history.
pub const HISTORY_LIMIT: usize = 100;
/// The longest script a history entry keeps (bytes): a run that imported a CSV of thousands of
/// rows is listed, but its text is not stored a hundred times over.
pub const HISTORY_SCRIPT_LIMIT: usize = 16 * 1024;
/// The browser-wide language choice, outside any session: a new session starts in it. (Older
/// builds wrote it as a JSON string; both forms read.)
pub const LANG_KEY: &str = "sqlnori.lang";

/// The browser-wide id of the build that last ran here (a new one means an update happened).
pub const BUILD_KEY: &str = "sqlnori.build";

/// A session id: 32 lowercase hex digits from 16 random bytes (the shell supplies them).
pub fn new_session_id(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

/// True for a well-formed id (anything else in a cookie is ignored, never used in a key).
pub fn valid_session_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The `Set-Cookie`-style value the shell writes to `document.cookie`.
pub fn cookie_string(id: &str, path: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={id}; Path={path}; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session id in a `document.cookie` string, if there is a valid one.
pub fn session_from_cookies(cookies: &str) -> Option<String> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| valid_session_id(v))
}

/// What is stored, one key each (and one key per table, see [`table_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Meta,
    Editor,
    History,
    /// The database's manifest ([`StoredDatabase`]).
    Database,
    /// The writes since the database was last saved ([`StoredLog`]).
    Log,
    /// The stepper's script and how far it got ([`crate::stepper::StoredStepper`]).
    Stepper,
    /// The lessons' progress ([`crate::lesson::progress::Progress`]).
    Lessons,
}

impl Slot {
    pub const ALL: [Slot; 7] = [
        Slot::Meta,
        Slot::Editor,
        Slot::History,
        Slot::Database,
        Slot::Log,
        Slot::Stepper,
        Slot::Lessons,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Slot::Meta => "meta",
            Slot::Editor => "editor",
            Slot::History => "history",
            Slot::Database => "db",
            Slot::Log => "log",
            Slot::Stepper => "stepper",
            Slot::Lessons => "lessons",
        }
    }

    /// The localStorage key of this slot in a session.
    pub fn key(self, session: &str) -> String {
        format!("sqlnori.s.{session}.{}", self.name())
    }
}

/// The localStorage key of one table's rows in a session, as written at save `generation`
/// (a table's storage name may hold any character; keys can). A changed table is written
/// under a new key before the manifest that names it, so the stored state is whole after
/// every single write.
pub fn table_key(session: &str, generation: u64, table: &str) -> String {
    format!("sqlnori.s.{session}.t.{generation}.{table}")
}

/// The session a storage key belongs to (`sqlnori.s.{id}.…`), if it is a well-formed one.
pub fn session_of_key(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("sqlnori.s.")?;
    let (id, _) = rest.split_once('.')?;
    valid_session_id(id).then_some(id)
}

/// One session kept in this browser, as the session panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: String,
    /// Bytes its keys take (UTF-16 code units × 2, as browsers count).
    pub bytes: usize,
    /// The first line of its editor's script, to recognise it by.
    pub first_line: String,
}

/// True when `key` holds one of a session's tables.
pub fn is_table_key(session: &str, key: &str) -> bool {
    key.starts_with(&format!("sqlnori.s.{session}.t."))
}

/// The saved database: its manifest (the tables in their own keys), or, as older builds
/// stored it, one whole snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredDatabase {
    Parts {
        manifest: Manifest,
        /// The save this manifest was written by (the log names it).
        generation: u64,
        /// Each table's storage name → the generation of the key its rows are under.
        parts: BTreeMap<String, u64>,
    },
    Whole {
        snapshot: String,
    },
}

/// One write since the database was last saved, replayed on the next load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedWrite {
    pub statement: ScriptStatement,
    pub now_ms: i64,
}

/// The writes since the last save, and where the random sequence stood after them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StoredLog {
    /// The database generation these writes follow (0: the examples). A log that names
    /// another generation than the stored database is stale and not replayed.
    #[serde(default)]
    pub base: u64,
    pub writes: Vec<LoggedWrite>,
    pub rng: Option<u64>,
}

/// One table's rows as stored: its snapshot JSON in an envelope, written without parsing it
/// again.
pub fn encode_table(table_json: &str) -> String {
    format!(r#"{{"v":{STORE_VERSION},"slot":"table","data":{table_json}}}"#)
}

/// A stored table's snapshot JSON.
pub fn decode_table(text: &str) -> Result<String, FormatError> {
    let env: Envelope<Box<serde_json::value::RawValue>> =
        serde_json::from_str(text).map_err(|e| FormatError::Corrupt(e.to_string()))?;
    if env.slot != "table" {
        return Err(FormatError::Corrupt(format!(
            "a {} value stored as a table",
            env.slot
        )));
    }
    if env.v != STORE_VERSION {
        return Err(FormatError::UnknownVersion(env.v));
    }
    Ok(env.data.get().to_owned())
}

/// Where a refused value is moved, so it is set aside and not lost.
pub fn set_aside_key(key: &str, epoch_ms: i64) -> String {
    format!("{key}.set-aside-{epoch_ms}")
}

/// Small settings of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMeta {
    /// Seed of `RAND()` and of the example data for this session.
    pub seed: u64,
    /// "ko" or "en".
    pub lang: String,
    /// "system", "light" or "dark".
    pub theme: String,
    /// Statements the stepper had run (0: not stepping).
    #[serde(default)]
    pub stepper_done: usize,
}

impl SessionMeta {
    pub fn new(seed: u64, lang: &str) -> Self {
        Self {
            seed,
            lang: lang.to_owned(),
            theme: "system".to_owned(),
            stepper_done: 0,
        }
    }
}

/// One run, as the history lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at_epoch_ms: i64,
    pub duration_ms: f64,
    pub first_line: String,
    pub ok: bool,
    pub script: String,
    /// The script was longer than [`HISTORY_SCRIPT_LIMIT`] and was not kept (its length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omitted: Option<usize>,
}

/// The last [`HISTORY_LIMIT`] runs, newest last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct History {
    pub entries: VecDeque<HistoryEntry>,
}

impl History {
    pub fn push(&mut self, mut entry: HistoryEntry) {
        if entry.script.len() > HISTORY_SCRIPT_LIMIT {
            entry.omitted = Some(entry.script.len());
            entry.script = String::new();
        }
        self.entries.push_back(entry);
        while self.entries.len() > HISTORY_LIMIT {
            self.entries.pop_front();
        }
    }
}

/// The envelope every stored value travels in.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    v: u32,
    slot: String,
    data: T,
}

/// A value as stored.
pub fn encode<T: Serialize>(slot: Slot, data: &T) -> String {
    serde_json::to_string(&Envelope {
        v: STORE_VERSION,
        slot: slot.name().to_owned(),
        data,
    })
    .unwrap_or_default()
}

/// Reads a stored value of `slot`, migrating older versions.
pub fn decode<T: DeserializeOwned>(slot: Slot, text: &str) -> Result<T, FormatError> {
    let corrupt = |e: serde_json::Error| FormatError::Corrupt(e.to_string());
    let env: Envelope<&serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(corrupt)?;
    if env.slot != slot.name() {
        return Err(FormatError::Corrupt(format!(
            "a {} value stored under {}",
            env.slot,
            slot.name()
        )));
    }
    // Read from text only (current values hold raw JSON parts, and one way of reading each
    // type keeps the page's code small): an older value is migrated as a JSON tree and
    // written back to text first.
    if env.v == STORE_VERSION {
        return serde_json::from_str(env.data.get()).map_err(corrupt);
    }
    let data = serde_json::from_str(env.data.get()).map_err(corrupt)?;
    let text = migrate(slot, env.v, data)?.to_string();
    serde_json::from_str(&text).map_err(corrupt)
}

/// Brings a stored value up to [`STORE_VERSION`], one version at a time.
fn migrate(
    slot: Slot,
    version: u32,
    data: serde_json::Value,
) -> Result<serde_json::Value, FormatError> {
    match version {
        STORE_VERSION => Ok(data),
        1 => migrate(slot, 2, v1_to_v2(slot, data)),
        // Version 0 was never written with an envelope.
        v => Err(FormatError::UnknownVersion(v)),
    }
}

/// Version 1 stored the database as one snapshot string and the stepper with a snapshot
/// before each statement. The database becomes a whole snapshot (split into parts at the next
/// save); the stepper keeps its script and starts again from its first statement (the
/// database itself is kept).
fn v1_to_v2(slot: Slot, data: serde_json::Value) -> serde_json::Value {
    match slot {
        Slot::Database => serde_json::json!({ "whole": { "snapshot": data } }),
        Slot::Stepper => serde_json::json!({
            "source": data.get("source").cloned().unwrap_or_default(),
            "done": 0,
            "start_log": 0,
            "wrote": [],
        }),
        _ => data,
    }
}

/// The language stored under [`LANG_KEY`] (`en`, or `"en"` as older builds wrote it).
pub fn read_lang(value: &str) -> Option<&'static str> {
    match value.trim_matches('"') {
        "en" => Some("en"),
        "ko" => Some("ko"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_session() {
        let id = new_session_id([7; 16]);
        assert_eq!(session_of_key(&Slot::Editor.key(&id)), Some(id.as_str()));
        assert_eq!(
            session_of_key(&table_key(&id, 3, "db.t")),
            Some(id.as_str())
        );
        assert_eq!(session_of_key("sqlnori.lang"), None);
        assert_eq!(session_of_key("sqlnori.s.../x"), None);
    }

    #[test]
    fn ids_and_cookies() {
        let id = new_session_id([0xab; 16]);
        assert!(valid_session_id(&id));
        assert!(!valid_session_id("../../etc"));
        assert!(!valid_session_id(&"g".repeat(32)));
        let cookie = cookie_string(&id, "/sqlnori/", true);
        assert_eq!(
            cookie,
            format!("sqlnori_sid={id}; Path=/sqlnori/; Max-Age=31536000; SameSite=Lax; Secure")
        );
        assert_eq!(
            session_from_cookies(&format!("a=b; sqlnori_sid={id}; c=d")),
            Some(id.clone())
        );
        assert_eq!(session_from_cookies("sqlnori_sid=<script>"), None);
        assert_eq!(session_from_cookies(""), None);
    }

    #[test]
    fn values_round_trip_and_bad_ones_are_refused() {
        let meta = SessionMeta::new(7, "ko");
        let text = encode(Slot::Meta, &meta);
        assert_eq!(decode::<SessionMeta>(Slot::Meta, &text), Ok(meta.clone()));
        // Stored under the wrong slot, another version, or garbage: refused.
        assert!(decode::<SessionMeta>(Slot::History, &text).is_err());
        let future = text.replace("\"v\":2", "\"v\":7");
        assert_eq!(
            decode::<SessionMeta>(Slot::Meta, &future),
            Err(FormatError::UnknownVersion(7))
        );
        assert!(decode::<SessionMeta>(Slot::Meta, "{not json").is_err());
        assert!(decode::<String>(Slot::Editor, &encode(Slot::Editor, &"select 1")).is_ok());
    }

    #[test]
    fn golden_stored_values_keep_reading() {
        let meta = r#"{"v":1,"slot":"meta","data":{"seed":42,"lang":"en","theme":"dark"}}"#;
        let m: SessionMeta = decode(Slot::Meta, meta).expect("v1 meta");
        assert_eq!((m.seed, m.lang.as_str(), m.stepper_done), (42, "en", 0));
        let editor = r#"{"v":1,"slot":"editor","data":"select * from students;"}"#;
        assert_eq!(
            decode::<String>(Slot::Editor, editor).as_deref(),
            Ok("select * from students;")
        );
    }

    #[test]
    fn version_1_database_and_stepper_migrate() {
        let db = r#"{"v":1,"slot":"db","data":"{\"version\":1}"}"#;
        assert_eq!(
            decode::<StoredDatabase>(Slot::Database, db),
            Ok(StoredDatabase::Whole {
                snapshot: r#"{"version":1}"#.into()
            })
        );
        let stepper = r#"{"v":1,"slot":"stepper","data":{"source":"select 1; select 2","before":[null,"{}"]}}"#;
        let st: crate::stepper::StoredStepper = decode(Slot::Stepper, stepper).expect("v1 stepper");
        assert_eq!((st.source.as_str(), st.done), ("select 1; select 2", 0));
    }

    #[test]
    fn tables_are_stored_without_parsing_them_again() {
        let json = r#"{"name":"db.t","columns":null,"rows":[[1,"김"]]}"#;
        let stored = encode_table(json);
        assert_eq!(decode_table(&stored).as_deref(), Ok(json));
        assert!(decode_table(&encode(Slot::Meta, &SessionMeta::new(1, "ko"))).is_err());
        assert!(decode_table(&stored.replace("\"v\":2", "\"v\":9")).is_err());
        assert!(decode_table("{").is_err());
        assert!(is_table_key("abc", &table_key("abc", 3, "db.t")));
        assert!(!is_table_key("abc", &Slot::Database.key("abc")));
    }

    #[test]
    fn a_stored_manifest_reads_back() {
        let snapshot = crate::snapshot::decode(include_str!("../tests/golden/snapshot-v2.json"))
            .expect("golden snapshot");
        let (manifest, _) = snapshot.split();
        let db = StoredDatabase::Parts {
            parts: manifest.tables.iter().map(|t| (t.clone(), 4)).collect(),
            manifest,
            generation: 4,
        };
        let text = encode(Slot::Database, &db);
        assert_eq!(decode::<StoredDatabase>(Slot::Database, &text), Ok(db));
    }

    #[test]
    fn history_keeps_the_last_hundred() {
        let mut h = History::default();
        for i in 0..150 {
            h.push(HistoryEntry {
                at_epoch_ms: i,
                duration_ms: 1.0,
                first_line: format!("select {i}"),
                ok: true,
                script: format!("select {i}"),
                omitted: None,
            });
        }
        assert_eq!(h.entries.len(), HISTORY_LIMIT);
        assert_eq!(h.entries.front().map(|e| e.at_epoch_ms), Some(50));
        h.push(HistoryEntry {
            at_epoch_ms: 0,
            duration_ms: 1.0,
            first_line: "insert into t values (1)".into(),
            ok: true,
            script: "x".repeat(HISTORY_SCRIPT_LIMIT + 1),
            omitted: None,
        });
        let last = h.entries.back().expect("entry");
        assert_eq!(
            (last.script.as_str(), last.omitted),
            ("", Some(HISTORY_SCRIPT_LIMIT + 1))
        );
    }

    #[test]
    fn the_browser_wide_language_reads_in_both_forms() {
        assert_eq!(read_lang("\"en\""), Some("en"));
        assert_eq!(read_lang("klingon"), None);
    }
}
