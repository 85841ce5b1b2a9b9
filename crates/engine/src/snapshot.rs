//! The engine ⇄ the model's saved-database format ([`sqlnori_model::snapshot`]): GlueSQL's
//! schemas and values translated into sqlnori's own types and back, so the stored form never
//! depends on GlueSQL's serde layout.

use crate::Engine;
use gluesql_core::ast::{ColumnDef, ColumnUniqueOption, DataType, ToSql};
use gluesql_core::chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use gluesql_core::data::{Interval, Key, Point, Schema, Value};
use gluesql_memory_storage::{Item, MemoryStorage};
use sqlnori_model::snapshot::{
    self, ColumnSnapshot, ForeignKeySnapshot, KeyKind, LayerState, Snapshot, StoredType,
    StoredValue, TableSnapshot, SNAPSHOT_VERSION,
};
use sqlnori_model::FormatError;
use std::collections::BTreeMap;
#[cfg(test)]
use std::collections::HashMap;

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
        let mut engine = Engine::new(&crate::EngineOptions::default(), &snapshot.state.current_db);
        engine.storage = storage_from(snapshot)?;
        engine.state = snapshot.state.clone();
        engine.transaction = match &snapshot.transaction {
            Some(t) => Some(Box::new((storage_from(t)?, t.state.clone()))),
            None => None,
        };
        Ok(engine)
    }

    /// The snapshot as JSON text, the form that crosses the worker boundary and is stored.
    pub fn snapshot_json(&self) -> String {
        snapshot::encode(&self.snapshot())
    }

    /// Reads a stored snapshot of any known version; anything else is refused.
    pub fn from_snapshot_json(text: &str) -> Result<Self, FormatError> {
        Self::from_snapshot(&snapshot::decode(text)?)
    }
}

fn storage_snapshot(storage: &MemoryStorage, state: &LayerState) -> Snapshot {
    let mut tables: Vec<TableSnapshot> = storage
        .items
        .values()
        // Hidden tables (a statement's intermediate rows) never outlive it.
        .filter(|item| !item.schema.table_name.starts_with("__"))
        .map(|item| TableSnapshot {
            name: item.schema.table_name.clone(),
            columns: item
                .schema
                .column_defs
                .as_ref()
                .map(|defs| defs.iter().map(column_snapshot).collect()),
            rows: item
                .rows
                .values()
                .map(|row| row.iter().map(stored).collect())
                .collect(),
            comment: item.schema.comment.clone(),
            foreign_keys: item
                .schema
                .foreign_keys
                .iter()
                .map(|f| ForeignKeySnapshot {
                    name: f.name.clone(),
                    column: f.referencing_column_name.clone(),
                    references_table: f.referenced_table_name.clone(),
                    references_column: f.referenced_column_name.clone(),
                })
                .collect(),
        })
        .collect();
    sqlnori_model::sort::sort_by(&mut tables, |a, b| a.name.cmp(&b.name));
    Snapshot {
        version: SNAPSHOT_VERSION,
        state: state.clone(),
        tables,
        transaction: None,
    }
}

fn column_snapshot(c: &ColumnDef) -> ColumnSnapshot {
    ColumnSnapshot {
        name: c.name.clone(),
        data_type: stored_type(&c.data_type),
        nullable: c.nullable,
        key: c.unique.map(|u| {
            if u.is_primary {
                KeyKind::Primary
            } else {
                KeyKind::Unique
            }
        }),
        default: c.default.as_ref().map(ToSql::to_sql),
        comment: c.comment.clone(),
    }
}

fn storage_from(snapshot: &Snapshot) -> Result<MemoryStorage, FormatError> {
    let mut storage = MemoryStorage::default();
    for t in &snapshot.tables {
        let column_defs = match &t.columns {
            Some(cols) => Some(cols.iter().map(column_def).collect::<Result<Vec<_>, _>>()?),
            None => None,
        };
        let key_column = column_defs.as_ref().and_then(|defs| {
            defs.iter()
                .position(|c| c.unique.is_some_and(|u| u.is_primary))
        });
        let mut rows = BTreeMap::new();
        for row in &t.rows {
            let values = match &column_defs {
                Some(defs) if defs.len() == row.len() => row
                    .iter()
                    .zip(defs)
                    .map(|(v, d)| value(v, Some(&d.data_type)))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return Err(corrupt(format!("a row of {} has the wrong width", t.name))),
                None => row
                    .iter()
                    .map(|v| value(v, None))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            // A table with a primary key is keyed by it, as GlueSQL keys it; the others by a
            // fresh counter, in the stored order.
            let key = match key_column.and_then(|k| values.get(k)) {
                Some(v) => Key::try_from(v).map_err(|e| corrupt(e.to_string()))?,
                None => {
                    storage.id_counter += 1;
                    Key::I64(storage.id_counter)
                }
            };
            // Keys compare under MySQL's collation ('Kim' = 'KIM'); a session saved before
            // that may hold both. The second row is kept under a fresh key rather than lost.
            let key = if rows.contains_key(&key) {
                storage.id_counter += 1;
                Key::I64(storage.id_counter)
            } else {
                key
            };
            rows.insert(key, values);
        }
        let schema = Schema {
            table_name: t.name.clone(),
            column_defs,
            indexes: vec![],
            engine: None,
            foreign_keys: t
                .foreign_keys
                .iter()
                .map(|f| gluesql_core::ast::ForeignKey {
                    name: f.name.clone(),
                    referencing_column_name: f.column.clone(),
                    referenced_table_name: f.references_table.clone(),
                    referenced_column_name: f.references_column.clone(),
                    on_delete: gluesql_core::ast::ReferentialAction::NoAction,
                    on_update: gluesql_core::ast::ReferentialAction::NoAction,
                })
                .collect(),
            comment: t.comment.clone(),
        };
        storage.items.insert(t.name.clone(), Item { schema, rows });
    }
    Ok(storage)
}

fn column_def(c: &ColumnSnapshot) -> Result<ColumnDef, FormatError> {
    let default = match &c.default {
        Some(sql) => Some(default_expr(sql)?),
        None => None,
    };
    Ok(ColumnDef {
        name: c.name.clone(),
        data_type: glue_type(c.data_type),
        nullable: c.nullable,
        default,
        unique: c.key.map(|k| ColumnUniqueOption {
            is_primary: k == KeyKind::Primary,
        }),
        comment: c.comment.clone(),
    })
}

/// A column default written as SQL, read back into GlueSQL's expression.
fn default_expr(sql: &str) -> Result<gluesql_core::ast::Expr, FormatError> {
    let parsed = sqlparser::parser::Parser::new(&sqlparser::dialect::MySqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| corrupt(format!("default {sql}: {e}")))?;
    gluesql_core::translate::translate_expr(&parsed, &[])
        .map_err(|e| corrupt(format!("default {sql}: {e}")))
}

fn corrupt(what: impl std::fmt::Display) -> FormatError {
    FormatError::Corrupt(what.to_string())
}

fn stored_type(t: &DataType) -> StoredType {
    use StoredType as S;
    match t {
        DataType::Boolean => S::Boolean,
        DataType::Int8 => S::Int8,
        DataType::Int16 => S::Int16,
        DataType::Int32 => S::Int32,
        DataType::Int => S::Int,
        DataType::Int128 => S::Int128,
        DataType::Uint8 => S::Uint8,
        DataType::Uint16 => S::Uint16,
        DataType::Uint32 => S::Uint32,
        DataType::Uint64 => S::Uint64,
        DataType::Uint128 => S::Uint128,
        DataType::Float32 => S::Float32,
        DataType::Float => S::Float,
        DataType::Text => S::Text,
        DataType::Bytea => S::Bytea,
        DataType::Inet => S::Inet,
        DataType::Date => S::Date,
        DataType::Timestamp => S::Timestamp,
        DataType::Time => S::Time,
        DataType::Interval => S::Interval,
        DataType::Uuid => S::Uuid,
        DataType::Map => S::Map,
        DataType::List => S::List,
        DataType::Decimal => S::Decimal,
        DataType::Point => S::Point,
    }
}

fn glue_type(t: StoredType) -> DataType {
    use StoredType as S;
    match t {
        S::Boolean => DataType::Boolean,
        S::Int8 => DataType::Int8,
        S::Int16 => DataType::Int16,
        S::Int32 => DataType::Int32,
        S::Int => DataType::Int,
        S::Int128 => DataType::Int128,
        S::Uint8 => DataType::Uint8,
        S::Uint16 => DataType::Uint16,
        S::Uint32 => DataType::Uint32,
        S::Uint64 => DataType::Uint64,
        S::Uint128 => DataType::Uint128,
        S::Float32 => DataType::Float32,
        S::Float => DataType::Float,
        S::Text => DataType::Text,
        S::Bytea => DataType::Bytea,
        S::Inet => DataType::Inet,
        S::Date => DataType::Date,
        S::Timestamp => DataType::Timestamp,
        S::Time => DataType::Time,
        S::Interval => DataType::Interval,
        S::Uuid => DataType::Uuid,
        S::Map => DataType::Map,
        S::List => DataType::List,
        S::Decimal => DataType::Decimal,
        S::Point => DataType::Point,
    }
}

/// A GlueSQL value in the stored form.
fn stored(v: &Value) -> StoredValue {
    use StoredValue as S;
    match v {
        Value::Null => S::Null,
        Value::Bool(b) => S::Bool(*b),
        Value::I8(n) => S::Int(i64::from(*n)),
        Value::I16(n) => S::Int(i64::from(*n)),
        Value::I32(n) => S::Int(i64::from(*n)),
        Value::I64(n) => S::Int(*n),
        Value::U8(n) => S::Int(i64::from(*n)),
        Value::U16(n) => S::Int(i64::from(*n)),
        Value::U32(n) => S::Int(i64::from(*n)),
        Value::U64(n) => i64::try_from(*n).map_or_else(|_| S::BigInt(n.to_string()), S::Int),
        Value::I128(n) => S::BigInt(n.to_string()),
        Value::U128(n) => S::BigInt(n.to_string()),
        Value::F32(f) => S::Float(f64::from(*f)),
        Value::F64(f) => S::Float(*f),
        Value::Decimal(d) => S::Decimal(d.to_string()),
        Value::Str(s) => S::Text(s.clone()),
        Value::Bytea(b) => S::Bytes(b.clone()),
        Value::Inet(ip) => S::Inet(ip.to_string()),
        Value::Date(d) => S::Date(d.format("%Y-%m-%d").to_string()),
        Value::Timestamp(t) => S::Timestamp(t.format("%Y-%m-%d %H:%M:%S%.f").to_string()),
        Value::Time(t) => S::Time(t.format("%H:%M:%S%.f").to_string()),
        Value::Interval(Interval::Month(m)) => S::IntervalMonths(*m),
        Value::Interval(Interval::Microsecond(m)) => S::IntervalMicros(*m),
        Value::Uuid(u) => S::Uuid(u.to_string()),
        Value::Map(m) => S::Map(m.iter().map(|(k, v)| (k.clone(), stored(v))).collect()),
        Value::List(l) => S::List(l.iter().map(stored).collect()),
        Value::Point(p) => S::Point(p.x, p.y),
    }
}

/// A stored value as GlueSQL's value of the column's type (`None`: a schemaless table).
fn value(v: &StoredValue, column: Option<&DataType>) -> Result<Value, FormatError> {
    use StoredValue as S;
    let bad = |what: &str| corrupt(format!("{what}: {v:?}"));
    let int = |n: i64| -> Result<Value, FormatError> {
        let narrow =
            |ok: Option<Value>| ok.ok_or_else(|| bad("an integer out of its column's range"));
        Ok(match column {
            Some(DataType::Int8) => narrow(i8::try_from(n).ok().map(Value::I8))?,
            Some(DataType::Int16) => narrow(i16::try_from(n).ok().map(Value::I16))?,
            Some(DataType::Int32) => narrow(i32::try_from(n).ok().map(Value::I32))?,
            Some(DataType::Int128) => Value::I128(i128::from(n)),
            Some(DataType::Uint8) => narrow(u8::try_from(n).ok().map(Value::U8))?,
            Some(DataType::Uint16) => narrow(u16::try_from(n).ok().map(Value::U16))?,
            Some(DataType::Uint32) => narrow(u32::try_from(n).ok().map(Value::U32))?,
            Some(DataType::Uint64) => narrow(u64::try_from(n).ok().map(Value::U64))?,
            Some(DataType::Uint128) => narrow(u128::try_from(n).ok().map(Value::U128))?,
            Some(DataType::Float) => Value::F64(n as f64),
            Some(DataType::Float32) => Value::F32(n as f32),
            _ => Value::I64(n),
        })
    };
    Ok(match v {
        S::Null => Value::Null,
        S::Bool(b) => Value::Bool(*b),
        S::Int(n) => int(*n)?,
        S::BigInt(s) => match column {
            Some(DataType::Uint64) => Value::U64(s.parse().map_err(|_| bad("bad integer"))?),
            Some(DataType::Uint128) => Value::U128(s.parse().map_err(|_| bad("bad integer"))?),
            _ => Value::I128(s.parse().map_err(|_| bad("bad integer"))?),
        },
        #[allow(clippy::cast_possible_truncation)]
        S::Float(f) if column == Some(&DataType::Float32) => Value::F32(*f as f32),
        S::Float(f) => Value::F64(*f),
        S::Decimal(s) => Value::Str(s.clone())
            .cast(&DataType::Decimal)
            .map_err(|_| bad("bad decimal"))?,
        S::Text(s) => Value::Str(s.clone()),
        S::Bytes(b) => Value::Bytea(b.clone()),
        S::Inet(s) => Value::Inet(s.parse().map_err(|_| bad("bad address"))?),
        S::Date(s) => {
            Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("bad date"))?)
        }
        S::Timestamp(s) => Value::Timestamp(
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                .map_err(|_| bad("bad timestamp"))?,
        ),
        S::Time(s) => {
            Value::Time(NaiveTime::parse_from_str(s, "%H:%M:%S%.f").map_err(|_| bad("bad time"))?)
        }
        S::IntervalMonths(m) => Value::Interval(Interval::Month(*m)),
        S::IntervalMicros(m) => Value::Interval(Interval::Microsecond(*m)),
        S::Uuid(s) => Value::Uuid(s.parse().map_err(|_| bad("bad uuid"))?),
        S::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), value(v, None)?)))
                .collect::<Result<_, FormatError>>()?,
        ),
        S::List(l) => Value::List(l.iter().map(|v| value(v, None)).collect::<Result<_, _>>()?),
        S::Point(x, y) => Value::Point(Point::new(*x, *y)),
    })
}

/// Storage name → row count, for tests of a restored database.
#[cfg(test)]
fn row_counts(storage: &MemoryStorage) -> HashMap<String, usize> {
    storage
        .items
        .iter()
        .map(|(k, v)| (k.clone(), v.rows.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{example_engine, EngineOptions, FixedClock, RunOptions};

    const CLOCK: FixedClock = FixedClock {
        epoch_ms: 1_740_787_200_000,
    };

    #[test]
    fn a_snapshot_round_trips_with_every_kind_of_value() {
        let mut e = example_engine(&EngineOptions::default(), &CLOCK).expect("examples");
        let script = "CREATE TABLE k (id INT PRIMARY KEY, t VARCHAR(9) DEFAULT 'x', d DATE, ts DATETIME, tm TIME, x DECIMAL(5,2), f DOUBLE, b BOOLEAN, n TINYINT);
            INSERT INTO k VALUES (2, 'a', '2025-03-01', '2025-03-01 09:30:15', '10:20:30', 1.25, 2.5, TRUE, 7), (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            BEGIN; DELETE FROM employees WHERE id = 8;";
        for r in e.run_script(script, RunOptions::default(), &CLOCK) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        let text = e.snapshot_json();
        let back = Engine::from_snapshot_json(&text).expect("reads back");
        assert_eq!(back.snapshot_json(), text);
        assert_eq!(back.dump_sql(), e.dump_sql());
        assert!(back.in_transaction());
        assert_eq!(row_counts(&back.storage), row_counts(&e.storage));
        // The default survives as SQL.
        let mut back = back;
        let r = back.run_script(
            "ROLLBACK; INSERT INTO k (id) VALUES (3); SELECT t FROM k WHERE id = 3; SELECT COUNT(*) FROM employees",
            RunOptions::default(),
            &CLOCK,
        );
        assert_eq!(r[2].to_json_line()["rows"], serde_json::json!([["x"]]));
        assert_eq!(r[3].to_json_line()["rows"], serde_json::json!([[8]]));
    }

    #[test]
    fn foreign_keys_survive_a_snapshot_and_stay_enforced() {
        let mut e = example_engine(&EngineOptions::default(), &CLOCK).expect("examples");
        let script = "CREATE TABLE d (id INT PRIMARY KEY);
            CREATE TABLE p (id INT PRIMARY KEY, d INT REFERENCES d (id), boss INT REFERENCES p (id));
            INSERT INTO d VALUES (1); INSERT INTO p VALUES (1, 1, NULL), (2, 1, 1);";
        for r in e.run_script(script, RunOptions::default(), &CLOCK) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        let text = e.snapshot_json();
        let mut back = Engine::from_snapshot_json(&text).expect("reads back");
        assert_eq!(back.schema(), e.schema());
        let r = back.run_script(
            "INSERT INTO p VALUES (3, 5, NULL); DELETE FROM p WHERE id = 1; DELETE FROM d",
            RunOptions { force: true },
            &CLOCK,
        );
        let codes: Vec<_> = r
            .iter()
            .map(|r| r.outcome.as_ref().err().map(|e| e.code.as_str()))
            .collect();
        assert_eq!(codes, [Some("foreign_key"); 3]);
    }
}
