//! The page's record of its database between saves: the saved base (a manifest and its
//! tables' JSON, each table stored under a key of its own), the statements run since, and
//! where the random sequence stands. A fresh worker is brought back to the same database from
//! it (after a crash, a Stop, a Back, a reload); a save turns it into storage writes ordered
//! so that the stored session is whole after each one.
//!
//! Why not a snapshot after every write: at 10,000 rows a whole-database snapshot per
//! statement cost more than the statement, crossed the worker boundary and rewrote
//! localStorage each time. Now a write costs one log line; the tables are written when the
//! page is idle, and only those that changed.

use crate::error::{FormatError, Localized};
use crate::protocol::{Replayed, Request};
use crate::session::{LoggedWrite, StoredDatabase, StoredLog};
use crate::snapshot::{self, Manifest, Saved};
// (The page never reads a snapshot: it keeps and assembles JSON text; the worker reads it.)
use std::collections::BTreeMap;

/// The saved database as the page holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Base {
    pub manifest: Manifest,
    /// How many saves made it (0: read from an older build's whole snapshot, not yet split).
    pub generation: u64,
    /// Each table's storage name → the generation its stored key was written in.
    pub parts: BTreeMap<String, u64>,
    /// Each table's storage name → its snapshot JSON (as the worker sent it).
    pub tables: BTreeMap<String, String>,
}

impl Base {
    /// A base from its stored manifest and the tables read from their keys. Refused when a
    /// table the manifest names has no part or was not found.
    pub fn from_parts(
        manifest: Manifest,
        generation: u64,
        parts: BTreeMap<String, u64>,
        tables: BTreeMap<String, String>,
    ) -> Result<Base, FormatError> {
        if let Some(missing) = manifest
            .tables
            .iter()
            .find(|t| !parts.contains_key(*t) || !tables.contains_key(*t))
        {
            return Err(FormatError::Corrupt(format!(
                "the saved table {missing} is missing"
            )));
        }
        Ok(Base {
            manifest,
            generation,
            parts,
            tables,
        })
    }

    /// The base as one snapshot JSON, for a worker to start from.
    pub fn assemble(&self) -> Result<String, FormatError> {
        snapshot::assemble(&self.manifest, &self.tables)
    }
}

/// Where the page's database starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Start {
    /// The examples, built from the session's seed.
    #[default]
    Examples,
    /// A whole snapshot as older builds stored it: the worker reads it; the next save
    /// stores it as parts.
    Whole(String),
    /// The saved manifest and tables.
    Saved(Base),
}

impl Start {
    fn generation(&self) -> u64 {
        match self {
            Start::Saved(b) => b.generation,
            _ => 0,
        }
    }
}

/// What to write to storage, in order: each table's rows under its new key, then the
/// manifest (the commit point: until it is written the old manifest names the old keys),
/// then the log, then the keys no manifest names any more.
#[derive(Debug, Clone, PartialEq)]
pub struct SavePlan {
    /// (storage name, generation, JSON)
    pub tables: Vec<(String, u64, String)>,
    pub database: Option<StoredDatabase>,
    pub log: StoredLog,
    /// (storage name, generation) of stale keys.
    pub remove: Vec<(String, u64)>,
    /// How many logged writes moved into the base.
    pub compacted: usize,
}

/// The base, the statements since, the random sequence.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    start: Start,
    replay: Vec<Replayed>,
    rng: Option<u64>,
    /// A save is on its way: the replay's length when it was asked for.
    saving: Option<usize>,
}

impl Timeline {
    /// The timeline stored: a base (or the examples) and the log of writes since. A log
    /// written after another base than this one is stale (a save was cut short after its
    /// manifest): its writes are in the base already or lost, and are not replayed again.
    pub fn restore(start: Start, log: Option<StoredLog>) -> (Timeline, Option<Localized>) {
        let generation = start.generation();
        let mut notice = None;
        let log = log.unwrap_or_default();
        let writes = if log.base == generation {
            log.writes
        } else {
            if !log.writes.is_empty() {
                notice = Some(Localized::new(
                    "마지막 저장이 중간에 끊겨, 그 직후에 실행한 변경 몇 개는 되살리지 못했을 수 있습니다",
                    "the last save was cut short: a few changes made just after it may not have been restored",
                ));
            }
            vec![]
        };
        let replay = writes
            .into_iter()
            .map(|w| Replayed {
                statement: w.statement,
                now_ms: w.now_ms,
                wrote: true,
                origin: None,
            })
            .collect();
        let timeline = Timeline {
            start,
            replay,
            rng: log.rng,
            saving: None,
        };
        (timeline, notice)
    }

    /// The saved database, once it is stored as parts.
    pub fn base(&self) -> Option<&Base> {
        match &self.start {
            Start::Saved(b) => Some(b),
            _ => None,
        }
    }

    /// True unless the database starts from the examples.
    pub fn has_saved_start(&self) -> bool {
        self.start != Start::Examples
    }

    /// What a fresh worker starts from.
    pub fn init(&self, seed: u64) -> Result<Request, FormatError> {
        let (snapshot, stored) = match &self.start {
            Start::Examples => (None, false),
            Start::Whole(text) => (Some(text.clone()), false),
            Start::Saved(base) => (Some(base.assemble()?), true),
        };
        Ok(Request::Init {
            snapshot,
            stored,
            seed,
            replay: self.replay.clone(),
            rng: self.rng,
        })
    }

    /// The worker refused the base: start from the examples (the log went with it).
    pub fn drop_base(&mut self) {
        *self = Timeline::default();
    }

    /// A statement ran; `rng` is where the random sequence stands after it.
    pub fn record(&mut self, ran: Replayed, rng: u64) {
        self.replay.push(ran);
        self.rng = Some(rng);
    }

    /// Writes since the base.
    pub fn writes(&self) -> usize {
        self.replay.iter().filter(|r| r.wrote).count()
    }

    /// The log as stored: the writes since the base.
    pub fn log(&self) -> StoredLog {
        StoredLog {
            base: self.start.generation(),
            writes: self
                .replay
                .iter()
                .filter(|r| r.wrote)
                .map(|r| LoggedWrite {
                    statement: r.statement.clone(),
                    now_ms: r.now_ms,
                })
                .collect(),
            rng: self.rng,
        }
    }

    /// True when [`Timeline::log`] would give `log`, found without building it (a log that
    /// holds a long INSERT is not copied to be compared).
    pub fn log_is(&self, log: &StoredLog) -> bool {
        let mut writes = self.replay.iter().filter(|r| r.wrote);
        log.base == self.start.generation()
            && log.rng == self.rng
            && log.writes.iter().all(|w| {
                writes
                    .next()
                    .is_some_and(|r| r.statement == w.statement && r.now_ms == w.now_ms)
            })
            && writes.next().is_none()
    }

    /// Keeps the first `writes` writes (and what ran before the next), as undoing steps asks.
    pub fn truncate_writes(&mut self, writes: usize) {
        let mut seen = 0;
        let cut = self.replay.iter().position(|r| {
            if r.wrote {
                seen += 1;
            }
            seen > writes
        });
        if let Some(cut) = cut {
            self.replay.truncate(cut);
        }
    }

    /// Starts a save when there is something to save and none is on its way.
    pub fn begin_save(&mut self) -> bool {
        let whole = matches!(self.start, Start::Whole(_));
        let due = self.saving.is_none() && (self.writes() > 0 || whole);
        if due {
            self.saving = Some(self.replay.len());
        }
        due
    }

    /// The save on its way will not come (the worker was replaced).
    pub fn cancel_save(&mut self) {
        self.saving = None;
    }

    pub fn saving(&self) -> bool {
        self.saving.is_some()
    }

    /// The worker's answer to a save: the base moves up to the state it describes (the
    /// statements that ran before the save was asked for are in it now).
    pub fn finish_save(&mut self, saved: Saved) -> Option<SavePlan> {
        let upto = self.saving.take()?.min(self.replay.len());
        let generation = self.start.generation() + 1;
        let (mut parts, mut tables) = match std::mem::take(&mut self.start) {
            Start::Saved(b) => (b.parts, b.tables),
            _ => Default::default(),
        };
        let mut remove = vec![];
        let changed: BTreeMap<String, String> = saved.changed.into_iter().collect();
        // Gone tables, and the old keys of changed ones.
        parts.retain(|name, g| {
            let keep = saved.manifest.tables.contains(name) && !changed.contains_key(name);
            if !keep {
                remove.push((name.clone(), *g));
            }
            keep
        });
        tables.retain(|name, _| saved.manifest.tables.contains(name));
        let mut written = vec![];
        for (name, json) in changed {
            parts.insert(name.clone(), generation);
            written.push((name.clone(), generation, json.clone()));
            tables.insert(name, json);
        }
        let compacted = self.replay[..upto].iter().filter(|r| r.wrote).count();
        self.replay.drain(..upto);
        let base = Base {
            manifest: saved.manifest,
            generation,
            parts,
            tables,
        };
        let database = StoredDatabase::Parts {
            manifest: base.manifest.clone(),
            generation,
            parts: base.parts.clone(),
        };
        self.start = Start::Saved(base);
        Some(SavePlan {
            tables: written,
            database: Some(database),
            log: self.log(),
            remove,
            compacted,
        })
    }

    /// Everything, written afresh under a new generation (keeping a shared link's workspace,
    /// taking a session back from another tab, splitting an older build's snapshot).
    pub fn full_plan(&mut self) -> SavePlan {
        let base = match &mut self.start {
            Start::Saved(base) => base,
            Start::Examples => {
                return SavePlan {
                    tables: vec![],
                    database: None,
                    log: self.log(),
                    remove: vec![],
                    compacted: 0,
                }
            }
            Start::Whole(text) => {
                return SavePlan {
                    tables: vec![],
                    database: Some(StoredDatabase::Whole {
                        snapshot: text.clone(),
                    }),
                    log: self.log(),
                    remove: vec![],
                    compacted: 0,
                }
            }
        };
        base.generation += 1;
        let generation = base.generation;
        let remove = std::mem::take(&mut base.parts).into_iter().collect();
        let tables = base
            .manifest
            .tables
            .iter()
            .filter_map(|name| {
                let json = base.tables.get(name)?;
                Some((name.clone(), generation, json.clone()))
            })
            .collect::<Vec<_>>();
        for (name, _, _) in &tables {
            base.parts.insert(name.clone(), generation);
        }
        let database = StoredDatabase::Parts {
            manifest: base.manifest.clone(),
            generation,
            parts: base.parts.clone(),
        };
        SavePlan {
            tables,
            database: Some(database),
            log: self.log(),
            remove,
            compacted: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::SNAPSHOT_VERSION;
    use crate::split::split_script;
    use serde_json::value::RawValue;

    fn manifest(tables: &[&str]) -> Manifest {
        Manifest {
            version: SNAPSHOT_VERSION,
            tables: tables.iter().map(|t| (*t).to_owned()).collect(),
            state: RawValue::from_string(r#"{"current_db":"d"}"#.to_owned()).expect("json"),
            transaction: None,
        }
    }

    fn ran(sql: &str, wrote: bool) -> Replayed {
        Replayed {
            statement: split_script(sql).remove(0),
            now_ms: 5,
            wrote,
            origin: Some((1, 0)),
        }
    }

    fn saved(tables: &[&str], changed: &[(&str, &str)]) -> Saved {
        Saved {
            manifest: manifest(tables),
            changed: changed
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn a_save_writes_changed_tables_under_new_keys_before_the_manifest() {
        let mut t = Timeline::default();
        t.record(ran("insert into a values (1)", true), 11);
        t.record(ran("select 1", false), 12);
        assert!(t.begin_save());
        assert!(!t.begin_save(), "one save at a time");
        // A statement that runs after the save was asked for stays in the log.
        t.record(ran("insert into b values (2)", true), 13);
        let plan = t
            .finish_save(saved(&["d.a", "d.b"], &[("d.a", "A1"), ("d.b", "B1")]))
            .expect("plan");
        assert_eq!(plan.compacted, 1);
        assert_eq!(plan.tables.len(), 2);
        assert!(plan.tables.iter().all(|(_, g, _)| *g == 1));
        assert!(plan.remove.is_empty());
        assert_eq!(plan.log.base, 1);
        assert_eq!(plan.log.writes.len(), 1);
        assert_eq!(plan.log.rng, Some(13));
        // Next save: only b changed, a is dropped... and c appears.
        assert!(t.begin_save());
        let plan = t
            .finish_save(saved(&["d.b", "d.c"], &[("d.b", "B2"), ("d.c", "C2")]))
            .expect("plan");
        assert_eq!(
            plan.remove,
            vec![("d.a".to_owned(), 1), ("d.b".to_owned(), 1)]
        );
        let base = t.base().expect("base");
        assert_eq!(base.generation, 2);
        assert_eq!(base.tables.keys().collect::<Vec<_>>(), ["d.b", "d.c"]);
        assert_eq!(t.writes(), 0);
        match plan.database {
            Some(StoredDatabase::Parts { parts, .. }) => {
                assert_eq!(parts.values().copied().collect::<Vec<_>>(), [2, 2]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_log_is_known_unchanged_only_while_every_part_of_it_is() {
        let mut t = Timeline::default();
        assert!(t.log_is(&t.log()), "an empty log");
        t.record(ran("insert into a values (1)", true), 11);
        let kept = t.log();
        assert!(t.log_is(&kept));
        // A statement that wrote nothing and left the random sequence: the same log.
        t.record(ran("select 1", false), 11);
        assert!(t.log_is(&kept));
        // One that moved the random sequence (RAND): another log.
        t.record(ran("select rand()", false), 12);
        assert!(!t.log_is(&kept));
        let kept = t.log();
        // A write.
        t.record(ran("insert into a values (2)", true), 12);
        assert!(!t.log_is(&kept));
        // Undone again: the same writes as before.
        t.truncate_writes(1);
        assert!(t.log_is(&kept));
        // The same number of writes, another statement; the same statement at another time.
        t.truncate_writes(0);
        t.record(ran("insert into a values (9)", true), 12);
        assert!(!t.log_is(&kept));
        t.truncate_writes(0);
        let mut later = ran("insert into a values (1)", true);
        later.now_ms = 6;
        t.record(later, 12);
        assert!(!t.log_is(&kept));
        // Fewer and more writes than the log holds.
        let kept = t.log();
        t.truncate_writes(0);
        assert!(!t.log_is(&kept));
        assert!(t.log_is(&t.log()));
        t.record(ran("insert into a values (1)", true), 12);
        t.record(ran("insert into a values (3)", true), 12);
        assert!(!t.log_is(&kept));
        // A save moves the base: the same writes after another base are another log.
        let kept = t.log();
        t.begin_save();
        t.finish_save(saved(&["d.a"], &[("d.a", "A1")]));
        assert!(!t.log_is(&kept));
        assert!(t.log_is(&t.log()));
    }

    #[test]
    fn an_unchanged_table_keeps_its_key() {
        let mut t = Timeline::default();
        t.record(ran("insert into a values (1)", true), 1);
        t.begin_save();
        t.finish_save(saved(&["d.a", "d.b"], &[("d.a", "A1"), ("d.b", "B1")]));
        t.record(ran("insert into a values (2)", true), 2);
        t.begin_save();
        let plan = t
            .finish_save(saved(&["d.a", "d.b"], &[("d.a", "A2")]))
            .expect("plan");
        assert_eq!(plan.tables, vec![("d.a".to_owned(), 2, "A2".to_owned())]);
        assert_eq!(plan.remove, vec![("d.a".to_owned(), 1)]);
        let base = t.base().expect("base");
        assert_eq!(base.parts.get("d.b"), Some(&1));
        assert_eq!(
            base.assemble().map(|s| s.contains("[A2,B1]")),
            Ok(true),
            "the tables assemble in the manifest's order"
        );
    }

    #[test]
    fn a_stale_log_is_not_replayed_and_a_current_one_is() {
        let base = Base::from_parts(
            manifest(&["d.a"]),
            3,
            BTreeMap::from([("d.a".to_owned(), 3)]),
            BTreeMap::from([("d.a".to_owned(), "{}".to_owned())]),
        )
        .expect("whole");
        let log = |g| StoredLog {
            base: g,
            writes: vec![LoggedWrite {
                statement: split_script("delete from a").remove(0),
                now_ms: 1,
            }],
            rng: Some(9),
        };
        let (t, notice) = Timeline::restore(Start::Saved(base.clone()), Some(log(3)));
        assert!(notice.is_none());
        assert_eq!(t.writes(), 1);
        let (t, notice) = Timeline::restore(Start::Saved(base), Some(log(2)));
        assert!(notice.is_some());
        assert_eq!(t.writes(), 0);
        assert_eq!(t.log().rng, Some(9));
    }

    #[test]
    fn a_missing_table_refuses_the_base() {
        let missing = Base::from_parts(
            manifest(&["d.a", "d.b"]),
            1,
            BTreeMap::from([("d.a".to_owned(), 1), ("d.b".to_owned(), 1)]),
            BTreeMap::from([("d.a".to_owned(), "{}".to_owned())]),
        );
        assert!(missing.is_err());
    }

    #[test]
    fn undoing_steps_keeps_the_writes_before() {
        let mut t = Timeline::default();
        t.record(ran("insert into a values (1)", true), 1);
        t.record(ran("select 1", false), 2);
        t.record(ran("insert into a values (2)", true), 3);
        t.record(ran("select 2", false), 4);
        t.truncate_writes(1);
        assert_eq!(t.writes(), 1);
        assert_eq!(t.log().rng, Some(4), "the random sequence does not go back");
        t.truncate_writes(0);
        assert_eq!(t.writes(), 0);
    }

    #[test]
    fn an_older_whole_snapshot_is_read_by_the_worker_and_saved_as_parts() {
        let (mut t, _) = Timeline::restore(Start::Whole("{\"version\":1}".into()), None);
        match t.init(7) {
            Ok(Request::Init {
                snapshot, stored, ..
            }) => assert_eq!(
                (snapshot.as_deref(), stored),
                (Some("{\"version\":1}"), false)
            ),
            other => panic!("{other:?}"),
        }
        assert!(t.begin_save(), "due at once: it is not stored as parts yet");
        let plan = t
            .finish_save(saved(&["d.a"], &[("d.a", "A1")]))
            .expect("plan");
        assert_eq!(plan.tables.len(), 1);
        assert!(matches!(t.init(7), Ok(Request::Init { stored: true, .. })));
    }

    #[test]
    fn a_full_plan_rewrites_everything_under_a_new_generation() {
        let mut t = Timeline::default();
        assert!(t.full_plan().database.is_none(), "the examples: only a log");
        t.record(ran("insert into a values (1)", true), 1);
        t.begin_save();
        t.finish_save(saved(&["d.a"], &[("d.a", "A1")]));
        let plan = t.full_plan();
        assert_eq!(plan.tables, vec![("d.a".to_owned(), 2, "A1".to_owned())]);
        assert_eq!(plan.remove, vec![("d.a".to_owned(), 1)]);
    }
}
