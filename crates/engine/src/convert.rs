//! Conversions between GlueSQL values and the model's plain data (cells, results, SQL literals).

use crate::dialect::{num, str_lit};
use crate::error::SqlError;
use crate::query::Rows;
use gluesql_core::ast::DataType as GlueType;
use gluesql_core::data::Value;
use sqlnori_model::{Cell, Column, Localized, Output};
use sqlparser::ast::{DataType as SqlType, Expr, TimezoneInfo, Value as SqlValue};

pub fn value_to_cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(*b),
        Value::I8(n) => Cell::Int(i64::from(*n)),
        Value::I16(n) => Cell::Int(i64::from(*n)),
        Value::I32(n) => Cell::Int(i64::from(*n)),
        Value::I64(n) => Cell::Int(*n),
        Value::U8(n) => Cell::Int(i64::from(*n)),
        Value::U16(n) => Cell::Int(i64::from(*n)),
        Value::U32(n) => Cell::Int(i64::from(*n)),
        Value::U64(n) => i64::try_from(*n).map_or_else(|_| Cell::BigInt(n.to_string()), Cell::Int),
        Value::I128(n) => i64::try_from(*n).map_or_else(|_| Cell::BigInt(n.to_string()), Cell::Int),
        Value::U128(n) => i64::try_from(*n).map_or_else(|_| Cell::BigInt(n.to_string()), Cell::Int),
        // A FLOAT shows the shortest decimal that is that float, as MySQL shows it: 1.235, not
        // the 1.2350000143051147 its widening to a double holds.
        Value::F32(f) => Cell::Float(shortest_f64(*f)),
        Value::F64(f) => Cell::Float(*f),
        Value::Decimal(d) => Cell::Decimal(d.to_string()),
        Value::Str(s) => Cell::Text(s.clone()),
        Value::Timestamp(t) => Cell::Other(t.format("%Y-%m-%d %H:%M:%S%.f").to_string()),
        // A binary string (`BINARY name`, a BLOB) shows as its text when it is text, as the
        // mysql client and Workbench show it; other bytes as MySQL's hex literal.
        Value::Bytea(b) => match std::str::from_utf8(b) {
            Ok(text) => Cell::Text(text.to_owned()),
            Err(_) => Cell::Other(format!("0x{}", hex_upper(b))),
        },
        other => Cell::Other(String::from(other)),
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A MySQL-style name for a GlueSQL type, as shown in result headers and the schema sidebar.
pub fn type_name(t: &GlueType) -> &'static str {
    match t {
        GlueType::Boolean => "BOOLEAN",
        GlueType::Int8 => "TINYINT",
        GlueType::Int16 => "SMALLINT",
        GlueType::Int32 | GlueType::Int => "INT",
        GlueType::Int128 => "INT128",
        GlueType::Uint8 => "TINYINT UNSIGNED",
        GlueType::Uint16 => "SMALLINT UNSIGNED",
        GlueType::Uint32 => "INT UNSIGNED",
        GlueType::Uint64 => "BIGINT UNSIGNED",
        GlueType::Uint128 => "UINT128",
        GlueType::Float32 => "FLOAT",
        GlueType::Float => "DOUBLE",
        GlueType::Text => "TEXT",
        GlueType::Bytea => "BLOB",
        GlueType::Inet => "INET",
        GlueType::Date => "DATE",
        GlueType::Timestamp => "DATETIME",
        GlueType::Time => "TIME",
        GlueType::Interval => "INTERVAL",
        GlueType::Uuid => "UUID",
        GlueType::Map => "MAP",
        GlueType::List => "LIST",
        GlueType::Decimal => "DECIMAL",
        GlueType::Point => "POINT",
    }
}

/// Result columns with types read off the first non-NULL value of each column.
pub fn columns_of<R: AsRef<[Value]>>(labels: &[String], rows: &[R]) -> Vec<Column> {
    labels
        .iter()
        .enumerate()
        .map(|(i, name)| Column {
            name: name.clone(),
            data_type: rows
                .iter()
                .filter_map(|r| r.as_ref().get(i).and_then(Value::get_type))
                .next()
                .map(|t| type_name(&t).to_owned())
                .unwrap_or_default(),
        })
        .collect()
}

/// A query's labels and rows as the model's result.
pub fn rows_output((labels, rows): &Rows) -> Output {
    Output::Rows {
        columns: columns_of(labels, rows),
        rows: rows
            .iter()
            .map(|r| r.iter().map(value_to_cell).collect())
            .collect(),
    }
}

/// A value as a SQL literal, for statements the layer builds from materialised rows.
pub fn value_to_expr(v: &Value) -> Result<Expr, SqlError> {
    let typed = |data_type: SqlType, value: String| Expr::TypedString { data_type, value };
    Ok(match v {
        Value::Null => Expr::Value(SqlValue::Null),
        Value::Bool(b) => Expr::Value(SqlValue::Boolean(*b)),
        Value::I8(n) => num(n),
        Value::I16(n) => num(n),
        Value::I32(n) => num(n),
        Value::I64(n) => num(n),
        Value::I128(n) => num(n),
        Value::U8(n) => num(n),
        Value::U16(n) => num(n),
        Value::U32(n) => num(n),
        Value::U64(n) => num(n),
        Value::U128(n) => num(n),
        Value::F32(f) => float_literal(shortest_f64(*f))?,
        Value::F64(f) => float_literal(*f)?,
        Value::Decimal(d) => num(d),
        Value::Str(s) => str_lit(s.clone()),
        Value::Date(d) => typed(SqlType::Date, d.to_string()),
        Value::Timestamp(t) => typed(
            SqlType::Timestamp(None, TimezoneInfo::None),
            t.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        ),
        Value::Time(t) => typed(SqlType::Time(None, TimezoneInfo::None), t.to_string()),
        other => {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("{:?} 값 복사", other.get_type()),
                    format!("copying a {:?} value", other.get_type()),
                ),
                hint: None,
            })
        }
    })
}

fn float_literal(f: f64) -> Result<Expr, SqlError> {
    if f.is_finite() {
        Ok(num(f))
    } else {
        Err(SqlError::Engine(
            "a non-finite number cannot be stored".to_owned(),
        ))
    }
}

/// The double closest to the shortest decimal that reads back as `f`.
fn shortest_f64(f: f32) -> f64 {
    f.to_string().parse().unwrap_or(f64::from(f))
}
