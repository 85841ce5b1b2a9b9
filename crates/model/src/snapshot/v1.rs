//! Version 1 of the saved database: GlueSQL 0.20's own serde layout (`Schema`, `Value`),
//! read as plain JSON, without GlueSQL, and rewritten as version 2.

use super::{float_from, StoredType, StoredValue, SNAPSHOT_VERSION};
use crate::error::FormatError;
use serde_json::{json, Map, Value as Json};

fn corrupt(what: impl std::fmt::Display) -> FormatError {
    FormatError::Corrupt(format!("version 1 snapshot: {what}"))
}

pub fn migrate(mut j: Json) -> Result<Json, FormatError> {
    let o = j.as_object_mut().ok_or_else(|| corrupt("not an object"))?;
    let transaction = match o.remove("transaction") {
        None | Some(Json::Null) => Json::Null,
        Some(t) => migrate(t)?,
    };
    let tables = o
        .remove("tables")
        .and_then(|t| t.as_array().cloned())
        .ok_or_else(|| corrupt("no tables"))?
        .into_iter()
        .map(table)
        .collect::<Result<Vec<_>, _>>()?;
    let state = o.remove("state").ok_or_else(|| corrupt("no state"))?;
    Ok(json!({
        "version": SNAPSHOT_VERSION,
        "state": state,
        "tables": tables,
        "transaction": transaction,
    }))
}

fn table(t: Json) -> Result<Json, FormatError> {
    let schema = t
        .get("schema")
        .ok_or_else(|| corrupt("a table without a schema"))?;
    let name = schema
        .get("table_name")
        .and_then(Json::as_str)
        .ok_or_else(|| corrupt("a table without a name"))?;
    let columns = match schema.get("column_defs") {
        None | Some(Json::Null) => Json::Null,
        Some(defs) => Json::Array(
            defs.as_array()
                .ok_or_else(|| corrupt("bad columns"))?
                .iter()
                .map(column)
                .collect::<Result<_, _>>()?,
        ),
    };
    let rows = t
        .get("rows")
        .and_then(Json::as_array)
        .ok_or_else(|| corrupt("a table without rows"))?
        .iter()
        .map(|pair| {
            let values = pair
                .get(1)
                .and_then(Json::as_array)
                .ok_or_else(|| corrupt("bad row"))?;
            values
                .iter()
                .map(|v| value(v).map(|s| s.to_json()))
                .collect::<Result<Vec<_>, _>>()
                .map(Json::Array)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Map::new();
    out.insert("name".into(), Json::from(name));
    out.insert("columns".into(), columns);
    out.insert("rows".into(), Json::Array(rows));
    if let Some(c) = schema.get("comment").filter(|c| !c.is_null()) {
        out.insert("comment".into(), c.clone());
    }
    Ok(Json::Object(out))
}

fn column(c: &Json) -> Result<Json, FormatError> {
    let name = c
        .get("name")
        .and_then(Json::as_str)
        .ok_or_else(|| corrupt("bad column"))?;
    let data_type = c
        .get("data_type")
        .and_then(Json::as_str)
        .map(stored_type)
        .ok_or_else(|| corrupt("bad column type"))??;
    let mut out = Map::new();
    out.insert("name".into(), Json::from(name));
    out.insert(
        "data_type".into(),
        serde_json::to_value(data_type).unwrap_or_default(),
    );
    out.insert(
        "nullable".into(),
        Json::Bool(c.get("nullable").and_then(Json::as_bool).unwrap_or(true)),
    );
    if let Some(u) = c.get("unique").filter(|u| !u.is_null()) {
        let primary = u.get("is_primary").and_then(Json::as_bool).unwrap_or(false);
        out.insert(
            "key".into(),
            Json::from(if primary { "primary" } else { "unique" }),
        );
    }
    if let Some(d) = c.get("default").filter(|d| !d.is_null()) {
        out.insert("default".into(), Json::from(default_sql(d)?));
    }
    if let Some(x) = c.get("comment").filter(|x| !x.is_null()) {
        out.insert("comment".into(), x.clone());
    }
    Ok(Json::Object(out))
}

fn stored_type(name: &str) -> Result<StoredType, FormatError> {
    use StoredType as T;
    Ok(match name {
        "Boolean" => T::Boolean,
        "Int8" => T::Int8,
        "Int16" => T::Int16,
        "Int32" => T::Int32,
        "Int" => T::Int,
        "Int128" => T::Int128,
        "Uint8" => T::Uint8,
        "Uint16" => T::Uint16,
        "Uint32" => T::Uint32,
        "Uint64" => T::Uint64,
        "Uint128" => T::Uint128,
        "Float32" => T::Float32,
        "Float" => T::Float,
        "Text" => T::Text,
        "Bytea" => T::Bytea,
        "Inet" => T::Inet,
        "Date" => T::Date,
        "Timestamp" => T::Timestamp,
        "Time" => T::Time,
        "Interval" => T::Interval,
        "Uuid" => T::Uuid,
        "Map" => T::Map,
        "List" => T::List,
        "Decimal" => T::Decimal,
        "Point" => T::Point,
        other => return Err(corrupt(format!("unknown type {other}"))),
    })
}

/// A column default as SQL: the literal forms `CREATE TABLE` can write.
fn default_sql(d: &Json) -> Result<String, FormatError> {
    if let Some(lit) = d.get("Literal") {
        if let Some(n) = lit.get("Number").and_then(Json::as_str) {
            return Ok(n.to_owned());
        }
        if let Some(s) = lit.get("QuotedString").and_then(Json::as_str) {
            return Ok(format!("'{}'", s.replace('\'', "''")));
        }
    }
    if let Some(v) = d.get("Value") {
        return Ok(match value(v)? {
            StoredValue::Null => "NULL".to_owned(),
            StoredValue::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_owned(),
            StoredValue::Int(n) => n.to_string(),
            StoredValue::Text(s) => format!("'{}'", s.replace('\'', "''")),
            other => return Err(corrupt(format!("default {other:?}"))),
        });
    }
    if let Some(t) = d.get("TypedString") {
        let data_type = t.get("data_type").and_then(Json::as_str).unwrap_or("");
        let text = t.get("value").and_then(Json::as_str).unwrap_or("");
        return Ok(format!(
            "{} '{}'",
            data_type.to_uppercase(),
            text.replace('\'', "''")
        ));
    }
    Err(corrupt(format!(
        "a column default this build cannot read: {d}"
    )))
}

/// A GlueSQL 0.20 `Value` in its serde form (`{"I64": 3}`, `"Null"`).
fn value(v: &Json) -> Result<StoredValue, FormatError> {
    if v.as_str() == Some("Null") {
        return Ok(StoredValue::Null);
    }
    let (tag, payload) = v
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or_else(|| corrupt(format!("bad value {v}")))?;
    let text = || {
        payload
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| corrupt(format!("bad {tag}")))
    };
    let int = || {
        payload
            .as_i64()
            .ok_or_else(|| corrupt(format!("bad {tag}")))
    };
    Ok(match tag.as_str() {
        "Bool" => StoredValue::Bool(payload.as_bool().ok_or_else(|| corrupt("bad Bool"))?),
        "I8" | "I16" | "I32" | "I64" | "U8" | "U16" | "U32" => StoredValue::Int(int()?),
        "U64" => match payload.as_i64() {
            Some(n) => StoredValue::Int(n),
            None => StoredValue::BigInt(payload.to_string()),
        },
        "I128" | "U128" => StoredValue::BigInt(payload.to_string().trim_matches('"').to_owned()),
        "F32" | "F64" => StoredValue::Float(
            float_from(payload)
                .map_err(|_| corrupt(format!("a float that JSON lost: {payload}")))?,
        ),
        "Decimal" => StoredValue::Decimal(text()?),
        "Str" => StoredValue::Text(text()?),
        "Date" => StoredValue::Date(text()?),
        "Timestamp" => StoredValue::Timestamp(text()?.replacen('T', " ", 1)),
        "Time" => StoredValue::Time(text()?),
        "Uuid" => StoredValue::Uuid(payload.to_string()),
        "Inet" => StoredValue::Inet(text()?),
        "Bytea" => StoredValue::Bytes(
            payload
                .as_array()
                .ok_or_else(|| corrupt("bad Bytea"))?
                .iter()
                .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect::<Option<_>>()
                .ok_or_else(|| corrupt("bad Bytea"))?,
        ),
        "Interval" => match payload.as_object().and_then(|o| o.iter().next()) {
            Some((k, n)) if k == "Month" => StoredValue::IntervalMonths(
                n.as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(|| corrupt("bad Interval"))?,
            ),
            Some((k, n)) if k == "Microsecond" => {
                StoredValue::IntervalMicros(n.as_i64().ok_or_else(|| corrupt("bad Interval"))?)
            }
            _ => return Err(corrupt("bad Interval")),
        },
        "Map" => StoredValue::Map(
            payload
                .as_object()
                .ok_or_else(|| corrupt("bad Map"))?
                .iter()
                .map(|(k, v)| Ok((k.clone(), value(v)?)))
                .collect::<Result<_, FormatError>>()?,
        ),
        "List" => StoredValue::List(
            payload
                .as_array()
                .ok_or_else(|| corrupt("bad List"))?
                .iter()
                .map(value)
                .collect::<Result<_, _>>()?,
        ),
        "Point" => StoredValue::Point(
            payload
                .get("x")
                .and_then(Json::as_f64)
                .ok_or_else(|| corrupt("bad Point"))?,
            payload
                .get("y")
                .and_then(Json::as_f64)
                .ok_or_else(|| corrupt("bad Point"))?,
        ),
        other => return Err(corrupt(format!("unknown value {other}"))),
    })
}
