//! A session's whole database as versioned plain data: for restoring a fresh worker after a
//! crash, and (later) for the stored session.
//!
//! GlueSQL's `MemoryStorage` serialises with non-string map keys, which JSON cannot hold, so
//! rows are kept as `(key, row)` lists. Values keep GlueSQL's own serde form so nothing is
//! lost; the version number guards against that form changing under us.

use super::{Engine, LayerState};
use crate::error::FormatError;
use gluesql_core::data::{Key, Schema, Value};
use gluesql_memory_storage::{Item, MemoryStorage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub state: LayerState,
    pub tables: Vec<TableSnapshot>,
    pub id_counter: i64,
    /// The state saved by an open `BEGIN`, so a restore keeps the transaction open.
    pub transaction: Option<Box<Snapshot>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSnapshot {
    pub schema: Schema,
    pub rows: Vec<(Key, Vec<Value>)>,
}

fn storage_snapshot(storage: &MemoryStorage, state: &LayerState) -> Snapshot {
    let mut tables: Vec<TableSnapshot> = storage
        .items
        .values()
        .map(|item| TableSnapshot {
            schema: item.schema.clone(),
            rows: item
                .rows
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    tables.sort_by(|a, b| a.schema.table_name.cmp(&b.schema.table_name));
    Snapshot {
        version: SNAPSHOT_VERSION,
        state: state.clone(),
        tables,
        id_counter: storage.id_counter,
        transaction: None,
    }
}

fn storage_from(snapshot: &Snapshot) -> MemoryStorage {
    let items = snapshot
        .tables
        .iter()
        .map(|t| {
            let rows: BTreeMap<Key, Vec<Value>> = t.rows.iter().cloned().collect();
            (
                t.schema.table_name.clone(),
                Item {
                    schema: t.schema.clone(),
                    rows,
                },
            )
        })
        .collect();
    MemoryStorage {
        id_counter: snapshot.id_counter,
        items,
        ..MemoryStorage::default()
    }
}

impl Engine {
    /// The whole database, including an open transaction's saved state.
    pub fn snapshot(&self) -> Snapshot {
        let mut s = storage_snapshot(&self.storage, &self.state);
        s.transaction = self
            .transaction
            .as_ref()
            .map(|t| Box::new(storage_snapshot(&t.0, &t.1)));
        s
    }

    /// An engine holding exactly what `snapshot` holds.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Self, FormatError> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(FormatError::UnknownVersion(snapshot.version));
        }
        let mut engine = Engine::new(&super::EngineOptions::default(), &snapshot.state.current_db);
        engine.storage = storage_from(snapshot);
        engine.state = snapshot.state.clone();
        engine.transaction = snapshot
            .transaction
            .as_ref()
            .map(|t| Box::new((storage_from(t), t.state.clone())));
        Ok(engine)
    }

    /// The snapshot as JSON text, the form that crosses the worker boundary and is stored.
    pub fn snapshot_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }

    /// Reads a snapshot written by [`Engine::snapshot_json`]; anything else is refused.
    pub fn from_snapshot_json(text: &str) -> Result<Self, FormatError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let v: VersionOnly =
            serde_json::from_str(text).map_err(|e| FormatError::Corrupt(e.to_string()))?;
        if v.version != SNAPSHOT_VERSION {
            return Err(FormatError::UnknownVersion(v.version));
        }
        let s: Snapshot =
            serde_json::from_str(text).map_err(|e| FormatError::Corrupt(e.to_string()))?;
        Self::from_snapshot(&s)
    }
}
