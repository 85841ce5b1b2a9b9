//! The saved database: a whole session's tables and the dialect layer's state, in a format of
//! sqlnori's own, so an engine upgrade cannot make a learner's saved session unreadable.
//!
//! Version 1 was GlueSQL 0.20's own serde layout of its schema and values; it is read here
//! without GlueSQL (as plain JSON) and migrated forward. Version 2 names column types and
//! encodes values itself: plain JSON for the common values, a `{"t": …, "v": …}` object for the
//! rest, so NaN and ±infinity survive. Golden files of every version live in
//! `tests/golden/`, and they must keep loading.

use crate::accounts::{AccountName, Accounts};
use crate::error::FormatError;
use crate::rng::SeededRng;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The snapshot format this build writes.
pub const SNAPSHOT_VERSION: u32 = 2;

/// The AUTO_INCREMENT counter of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoIncrement {
    pub column: String,
    /// The next value MySQL would hand out.
    pub next: i64,
}

/// An index a learner made (`CREATE [UNIQUE] INDEX`, `KEY` in `CREATE TABLE`): kept, shown by
/// `SHOW INDEX` and written back by the dump. A UNIQUE one over one column is enforced (the
/// column is unique in GlueSQL's schema); the others only describe the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDef {
    pub name: String,
    /// The columns in order, each with its prefix length (`name(10)`), if any.
    pub columns: Vec<(String, Option<u64>)>,
    pub unique: bool,
}

/// What the dialect layer keeps beside the tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerState {
    pub current_db: String,
    pub databases: BTreeSet<String>,
    /// Storage table name → counter.
    pub auto_increment: BTreeMap<String, AutoIncrement>,
    /// Storage table name → the column types as the learner declared them (`VARCHAR(100)`).
    pub declared_types: BTreeMap<String, Vec<String>>,
    pub rng: SeededRng,
    pub tz_offset_minutes: i32,
    /// Counter for hidden tables' names.
    pub temp_counter: u64,
    /// Storage name of each view → its query, as the learner wrote it.
    #[serde(default)]
    pub views: BTreeMap<String, String>,
    /// Accounts and their grants (added within version 2: absent means root alone).
    #[serde(default, skip_serializing_if = "is_default")]
    pub accounts: Accounts,
    /// The acting account after `SET SESSION AUTHORIZATION` (`None`: root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acting: Option<AccountName>,
    /// `LAST_INSERT_ID()`: the first AUTO_INCREMENT value the last INSERT that made one made
    /// (added within version 2: absent means 0).
    #[serde(default, skip_serializing_if = "is_default")]
    pub last_insert_id: i64,
    /// Storage name of a table → its indexes (added within version 2: absent means none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Vec<IndexDef>>,
    /// Storage name of a table → its CHECK constraints (added within version 2: absent means
    /// none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, Vec<CheckDef>>,
    /// Storage name of a table → what its foreign keys do when the row they reference is
    /// deleted, for those that do more than refuse (added within version 2: absent means
    /// every key RESTRICTs, MySQL's default).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub on_delete: BTreeMap<String, Vec<OnDelete>>,
    /// User variables (`SET @total = 5`): the name in lower case, without `@` → the value as
    /// an SQL literal (`5`, `'kim'`, `NULL`), parsed again where it is read and never trusted
    /// (added within version 2: absent means none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
    /// Storage name of a table → its columns declared `ON UPDATE CURRENT_TIMESTAMP` (added
    /// within version 2: absent means none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub on_update: BTreeMap<String, Vec<String>>,
}

/// `FOREIGN KEY … ON DELETE CASCADE | SET NULL`: the key's name (GlueSQL keeps the key) and its
/// action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnDelete {
    pub key: String,
    pub action: DeleteAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteAction {
    /// The referencing rows are deleted too.
    Cascade,
    /// The referencing rows keep living with NULL in the key's column.
    SetNull,
}

/// A `CHECK (condition)` constraint: its name (`students_chk_1` when the learner gave none, as
/// MySQL names it) and its condition as the SQL text the learner wrote. The text is parsed
/// again whenever it is checked, so a stored one is never trusted: one that does not parse
/// fails the write it guards with a clear error, and dropping it is always possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDef {
    pub name: String,
    pub condition: String,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The whole database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub state: LayerState,
    pub tables: Vec<TableSnapshot>,
    /// The database saved by an open `BEGIN`, so a restore keeps the transaction open.
    pub transaction: Option<Box<Snapshot>>,
}

/// One stored table: its columns (`None`: a table without a schema) and its rows in storage
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSnapshot {
    /// The storage name (`db.table`).
    pub name: String,
    pub columns: Option<Vec<ColumnSnapshot>>,
    pub rows: Vec<Vec<StoredValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Its `FOREIGN KEY`s (added within version 2: absent means none, so older files load).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKeySnapshot>,
}

/// One `FOREIGN KEY (column) REFERENCES table (column)`: the referenced table by its storage
/// name (`db.table`). Only MySQL's default action (RESTRICT / NO ACTION) exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeySnapshot {
    pub name: String,
    pub column: String,
    pub references_table: String,
    pub references_column: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSnapshot {
    pub name: String,
    pub data_type: StoredType,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyKind>,
    /// The `DEFAULT` expression as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    Primary,
    Unique,
}

/// The type a column stores values as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredType {
    Boolean,
    Int8,
    Int16,
    Int32,
    Int,
    Int128,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uint128,
    Float32,
    Float,
    Text,
    Bytea,
    Inet,
    Date,
    Timestamp,
    Time,
    Interval,
    Uuid,
    Map,
    List,
    Decimal,
    Point,
}

/// One stored value. Integers, text, booleans and NULL are plain JSON; the others carry
/// their kind: `{"t": "float", "v": "NaN"}`.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredValue {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers beyond `i64` (unsigned 64-bit and 128-bit columns), exact as text.
    BigInt(String),
    Float(f64),
    Decimal(String),
    Text(String),
    Bytes(Vec<u8>),
    Inet(String),
    /// `YYYY-MM-DD`.
    Date(String),
    /// `YYYY-MM-DD HH:MM:SS[.f]`.
    Timestamp(String),
    /// `HH:MM:SS[.f]`.
    Time(String),
    IntervalMonths(i32),
    IntervalMicros(i64),
    Uuid(String),
    Map(BTreeMap<String, StoredValue>),
    List(Vec<StoredValue>),
    Point(f64, f64),
}

impl Serialize for StoredValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = Json::deserialize(d)?;
        StoredValue::from_json(&j).map_err(D::Error::custom)
    }
}

fn tagged(t: &str, v: Json) -> Json {
    json!({ "t": t, "v": v })
}

/// A float as JSON: a number when finite (written with a point, so it reads back as a
/// float), else its name.
fn float_json(f: f64) -> Json {
    if f.is_finite() {
        serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
    } else if f.is_nan() {
        Json::from("NaN")
    } else if f > 0.0 {
        Json::from("Infinity")
    } else {
        Json::from("-Infinity")
    }
}

pub(super) fn float_from(j: &Json) -> Result<f64, String> {
    match j {
        Json::Number(n) => n.as_f64().ok_or_else(|| "bad float".to_owned()),
        Json::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => other.parse().map_err(|_| format!("bad float {other}")),
        },
        _ => Err("bad float".to_owned()),
    }
}

impl StoredValue {
    pub fn to_json(&self) -> Json {
        match self {
            StoredValue::Null => Json::Null,
            StoredValue::Bool(b) => Json::Bool(*b),
            StoredValue::Int(n) => Json::from(*n),
            StoredValue::Text(s) => Json::from(s.as_str()),
            StoredValue::Float(f) if f.is_finite() && f.fract() != 0.0 => float_json(*f),
            StoredValue::Float(f) => tagged("float", float_json(*f)),
            StoredValue::BigInt(s) => tagged("bigint", Json::from(s.as_str())),
            StoredValue::Decimal(s) => tagged("decimal", Json::from(s.as_str())),
            StoredValue::Bytes(b) => tagged("bytes", Json::from(hex(b))),
            StoredValue::Inet(s) => tagged("inet", Json::from(s.as_str())),
            StoredValue::Date(s) => tagged("date", Json::from(s.as_str())),
            StoredValue::Timestamp(s) => tagged("timestamp", Json::from(s.as_str())),
            StoredValue::Time(s) => tagged("time", Json::from(s.as_str())),
            StoredValue::IntervalMonths(n) => tagged("interval_months", Json::from(*n)),
            StoredValue::IntervalMicros(n) => tagged("interval_micros", Json::from(*n)),
            StoredValue::Uuid(s) => tagged("uuid", Json::from(s.as_str())),
            StoredValue::Map(m) => tagged(
                "map",
                Json::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            ),
            StoredValue::List(l) => {
                tagged("list", Json::Array(l.iter().map(Self::to_json).collect()))
            }
            StoredValue::Point(x, y) => tagged("point", json!([float_json(*x), float_json(*y)])),
        }
    }

    pub fn from_json(j: &Json) -> Result<StoredValue, String> {
        Ok(match j {
            Json::Null => StoredValue::Null,
            Json::Bool(b) => StoredValue::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => StoredValue::Int(i),
                None => StoredValue::Float(n.as_f64().ok_or("bad number")?),
            },
            Json::String(s) => StoredValue::Text(s.clone()),
            Json::Object(o) => {
                let t = o
                    .get("t")
                    .and_then(Json::as_str)
                    .ok_or("value without a kind")?;
                let v = o.get("v").ok_or("value without a payload")?;
                let text = || v.as_str().map(str::to_owned).ok_or(format!("bad {t}"));
                match t {
                    "float" => StoredValue::Float(float_from(v)?),
                    "bigint" => StoredValue::BigInt(text()?),
                    "decimal" => StoredValue::Decimal(text()?),
                    "bytes" => StoredValue::Bytes(unhex(&text()?).ok_or("bad bytes")?),
                    "inet" => StoredValue::Inet(text()?),
                    "date" => StoredValue::Date(text()?),
                    "timestamp" => StoredValue::Timestamp(text()?),
                    "time" => StoredValue::Time(text()?),
                    "uuid" => StoredValue::Uuid(text()?),
                    "interval_months" => StoredValue::IntervalMonths(
                        v.as_i64()
                            .and_then(|n| i32::try_from(n).ok())
                            .ok_or("bad interval")?,
                    ),
                    "interval_micros" => {
                        StoredValue::IntervalMicros(v.as_i64().ok_or("bad interval")?)
                    }
                    "map" => StoredValue::Map(
                        v.as_object()
                            .ok_or("bad map")?
                            .iter()
                            .map(|(k, v)| Ok((k.clone(), StoredValue::from_json(v)?)))
                            .collect::<Result<_, String>>()?,
                    ),
                    "list" => StoredValue::List(
                        v.as_array()
                            .ok_or("bad list")?
                            .iter()
                            .map(StoredValue::from_json)
                            .collect::<Result<_, _>>()?,
                    ),
                    "point" => match v.as_array().map(Vec::as_slice) {
                        Some([x, y]) => StoredValue::Point(float_from(x)?, float_from(y)?),
                        _ => return Err("bad point".to_owned()),
                    },
                    other => return Err(format!("unknown value kind {other}")),
                }
            }
            Json::Array(_) => return Err("a list where a value belongs".to_owned()),
        })
    }
}

/// Serde for an `f64` field that keeps NaN and the infinities (as `"NaN"`, `"Infinity"`,
/// `"-Infinity"`; finite numbers stay numbers).
pub mod float_serde {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(f: &f64, s: S) -> Result<S::Ok, S::Error> {
        super::float_json(*f).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let j = serde_json::Value::deserialize(d)?;
        super::float_from(&j).map_err(serde::de::Error::custom)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What the database is besides its tables' rows: the tables' names (in order), and the
/// layer's state and an open transaction's saved copy as JSON text. Stored on its own, so a
/// change to one table rewrites that table's part only. The page keeps the JSON as it came
/// (it never reads the state; the worker that starts from it does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub tables: Vec<String>,
    pub state: Box<RawValue>,
    pub transaction: Option<Box<RawValue>>,
}

impl PartialEq for Manifest {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.tables == other.tables
            && self.state.get() == other.state.get()
            && self.transaction.as_ref().map(|t| t.get())
                == other.transaction.as_ref().map(|t| t.get())
    }
}

/// The database's parts that changed since the last save: the manifest (always), and each
/// table whose content changed, as its [`TableSnapshot`] JSON. A table named in the manifest
/// and not here is as it was; a table no longer named is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub manifest: Manifest,
    pub changed: Vec<(String, String)>,
}

impl Snapshot {
    /// The manifest and the tables, each table as its own JSON.
    pub fn split(self) -> (Manifest, Vec<(String, String)>) {
        let tables = self
            .tables
            .iter()
            .map(|t| (t.name.clone(), serde_json::to_string(t).unwrap_or_default()))
            .collect();
        // (Serializing plain data to JSON cannot fail; a reader would refuse a null state.)
        let state = serde_json::value::to_raw_value(&self.state)
            .unwrap_or_else(|_| RawValue::NULL.to_owned());
        let transaction = self
            .transaction
            .and_then(|t| serde_json::value::to_raw_value(&t).ok());
        let manifest = Manifest {
            version: self.version,
            tables: self.tables.into_iter().map(|t| t.name).collect(),
            state,
            transaction,
        };
        (manifest, tables)
    }
}

/// Remembers what the page has stored, so each save sends only the tables that changed.
#[derive(Debug, Clone, Default)]
pub struct Saver {
    /// Storage name → a hash of the table's JSON as the page has it.
    stored: HashMap<String, u64>,
}

impl Saver {
    /// The page already has every table of `snapshot` (it was restored from it).
    pub fn assume(&mut self, snapshot: &Snapshot) {
        self.stored.clear();
        let (_, tables) = snapshot.clone().split();
        for (name, json) in tables {
            self.stored.insert(name, hash(&json));
        }
    }

    /// The parts of `snapshot` the page does not have yet.
    pub fn save(&mut self, snapshot: Snapshot) -> Saved {
        let (manifest, tables) = snapshot.split();
        self.stored.retain(|name, _| manifest.tables.contains(name));
        let changed = tables
            .into_iter()
            .filter(|(name, json)| self.stored.insert(name.clone(), hash(json)) != Some(hash(json)))
            .collect();
        Saved { manifest, changed }
    }
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The snapshot JSON of a manifest and its tables' JSON (each part's text is used as it is;
/// the reader checks it). Fails when a table the manifest names is missing.
pub fn assemble(
    manifest: &Manifest,
    tables: &BTreeMap<String, String>,
) -> Result<String, FormatError> {
    let mut parts = Vec::with_capacity(manifest.tables.len());
    for name in &manifest.tables {
        let table = tables
            .get(name)
            .ok_or_else(|| FormatError::Corrupt(format!("the saved table {name} is missing")))?;
        parts.push(table.as_str());
    }
    Ok(format!(
        "{{\"version\":{},\"state\":{},\"tables\":[{}],\"transaction\":{}}}",
        manifest.version,
        manifest.state.get(),
        parts.join(","),
        manifest.transaction.as_ref().map_or("null", |t| t.get())
    ))
}

/// The snapshot as it is stored and sent.
pub fn encode(snapshot: &Snapshot) -> String {
    serde_json::to_string(snapshot).unwrap_or_default()
}

/// Reads a stored snapshot of any known version, migrating it forward; anything else is
/// refused.
pub fn decode(text: &str) -> Result<Snapshot, FormatError> {
    let j: Json = serde_json::from_str(text).map_err(|e| FormatError::Corrupt(e.to_string()))?;
    let version = j
        .get("version")
        .and_then(Json::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| FormatError::Corrupt("a snapshot without a version".to_owned()))?;
    let current = match version {
        1 => v1::migrate(j)?,
        SNAPSHOT_VERSION => j,
        v => return Err(FormatError::UnknownVersion(v)),
    };
    serde_json::from_value(current).map_err(|e| FormatError::Corrupt(e.to_string()))
}

mod v1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_losslessly() {
        let values = vec![
            StoredValue::Null,
            StoredValue::Bool(true),
            StoredValue::Int(-3),
            StoredValue::Int(i64::MAX),
            StoredValue::BigInt("18446744073709551615".into()),
            StoredValue::Float(2.5),
            StoredValue::Float(3.0),
            StoredValue::Float(f64::INFINITY),
            StoredValue::Float(f64::NEG_INFINITY),
            StoredValue::Decimal("1.250".into()),
            StoredValue::Text("김영희 \"x\"".into()),
            StoredValue::Text("1".into()),
            StoredValue::Bytes(vec![0, 255, 16]),
            StoredValue::Date("2025-03-01".into()),
            StoredValue::Timestamp("2025-03-01 09:00:00".into()),
            StoredValue::Time("09:00:00.5".into()),
            StoredValue::IntervalMonths(14),
            StoredValue::IntervalMicros(-5),
            StoredValue::List(vec![StoredValue::Int(1), StoredValue::Null]),
            StoredValue::Point(1.5, -2.0),
        ];
        let text = serde_json::to_string(&values).expect("encodes");
        let back: Vec<StoredValue> = serde_json::from_str(&text).expect("decodes");
        assert_eq!(back, values);
        // NaN is not equal to itself: checked on its own.
        let nan = serde_json::to_string(&StoredValue::Float(f64::NAN)).expect("encodes");
        assert!(matches!(
            serde_json::from_str::<StoredValue>(&nan),
            Ok(StoredValue::Float(f)) if f.is_nan()
        ));
        assert!(serde_json::from_str::<StoredValue>(r#"{"t":"nope","v":1}"#).is_err());
    }

    #[test]
    fn a_snapshot_splits_into_parts_and_assembles_back() {
        let state = LayerState {
            current_db: "db".into(),
            databases: ["db".to_owned()].into_iter().collect(),
            auto_increment: BTreeMap::new(),
            declared_types: BTreeMap::new(),
            rng: SeededRng::new(1),
            tz_offset_minutes: 540,
            temp_counter: 0,
            views: BTreeMap::new(),
            accounts: Default::default(),
            acting: None,
            last_insert_id: 0,
            indexes: BTreeMap::new(),
            checks: BTreeMap::new(),
            on_delete: BTreeMap::new(),
            variables: BTreeMap::new(),
            on_update: BTreeMap::new(),
        };
        let table = |name: &str| TableSnapshot {
            name: name.into(),
            columns: Some(vec![ColumnSnapshot {
                name: "a".into(),
                data_type: StoredType::Int,
                nullable: true,
                key: None,
                default: None,
                comment: None,
            }]),
            rows: vec![vec![StoredValue::Int(1)], vec![StoredValue::Null]],
            comment: None,
            foreign_keys: vec![],
        };
        let snapshot = Snapshot {
            version: SNAPSHOT_VERSION,
            state,
            tables: vec![table("db.a"), table("db.b `x`")],
            transaction: None,
        };
        let (manifest, parts) = snapshot.clone().split();
        assert_eq!(manifest.tables, ["db.a", "db.b `x`"]);
        let parts: BTreeMap<String, String> = parts.into_iter().collect();
        let text = assemble(&manifest, &parts).expect("assembles");
        assert_eq!(decode(&text), Ok(snapshot.clone()));
        let mut missing = parts;
        missing.remove("db.a");
        assert!(assemble(&manifest, &missing).is_err());
        // A save sends only what changed since the page last stored.
        let mut saver = Saver::default();
        saver.assume(&snapshot);
        assert!(saver.save(snapshot.clone()).changed.is_empty());
        let mut changed = snapshot.clone();
        changed.tables[1].rows.push(vec![StoredValue::Int(7)]);
        let saved = saver.save(changed.clone());
        assert_eq!(saved.changed.len(), 1);
        assert_eq!(saved.changed[0].0, "db.b `x`");
        assert!(saver.save(changed).changed.is_empty());
    }

    #[test]
    fn unknown_and_broken_snapshots_are_refused() {
        assert!(matches!(
            decode(r#"{"version":99}"#),
            Err(FormatError::UnknownVersion(99))
        ));
        assert!(matches!(decode("{}"), Err(FormatError::Corrupt(_))));
        assert!(matches!(decode("[1"), Err(FormatError::Corrupt(_))));
    }
}
