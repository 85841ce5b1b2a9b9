//! MySQL column types mapped onto the types GlueSQL stores.
//!
//! GlueSQL's translator accepts a narrow set of spellings; MySQL's course DDL uses many more.
//! The mapping keeps the meaning (integer width, exactness, text) and drops only display
//! details such as `INT(11)`; lengths of `VARCHAR(n)` are kept by the engine for `DESCRIBE`.

use crate::error::SqlError;
use sqlnori_model::Localized;
use sqlparser::ast::{DataType, ExactNumberInfo, TimezoneInfo};

/// The keyword MySQL uses for auto-numbered columns.
pub const AUTO_INCREMENT: &str = "AUTO_INCREMENT";

/// Maps a MySQL column type to one GlueSQL's translator accepts.
pub fn map_column_type(t: &DataType) -> Result<DataType, SqlError> {
    use DataType as D;
    Ok(match t {
        D::Character(_)
        | D::Char(_)
        | D::CharacterVarying(_)
        | D::CharVarying(_)
        | D::Varchar(_)
        | D::Nvarchar(_)
        | D::Text
        | D::String(_)
        | D::Enum(_)
        | D::Set(_)
        | D::Clob(_)
        | D::CharacterLargeObject(_)
        | D::CharLargeObject(_) => D::Text,
        D::Custom(name, _) if is_text_alias(&name.to_string()) => D::Text,
        // MySQL's UNSIGNED on a fraction type and ZEROFILL (sqlparser patch): the layer keeps
        // them in the declared type and fits values to them (column_fit::number_fits).
        D::Unsigned(inner) | D::Zerofill(inner) => return map_column_type(inner),
        // `FLOAT(M,D)`, `DOUBLE(M,D)`, `REAL(M,D)` (sqlparser patch): digits are fitted by the
        // layer; FLOAT is single precision, the others double.
        D::Custom(name, m) if m.len() == 2 && name.to_string() == "FLOAT" => D::Float32,
        D::Custom(name, m)
            if m.len() == 2
                && matches!(
                    name.to_string().as_str(),
                    "DOUBLE" | "DOUBLE PRECISION" | "REAL"
                ) =>
        {
            D::Float64
        }
        // `CAST(x AS SIGNED)` / `UNSIGNED [INTEGER]`: MySQL's integer casts.
        D::Custom(name, _)
            if matches!(
                name.to_string().to_ascii_uppercase().as_str(),
                "SIGNED" | "UNSIGNED" | "SIGNED INTEGER" | "UNSIGNED INTEGER"
            ) =>
        {
            D::Int(None)
        }
        D::TinyInt(_) => D::Int8(None),
        D::SmallInt(_) | D::Int2(_) => D::Int16,
        D::MediumInt(_) | D::Int(_) | D::Int4(_) | D::Integer(_) | D::BigInt(_) | D::Int8(_) => {
            D::Int(None)
        }
        D::UnsignedTinyInt(_) => D::UInt8,
        D::UnsignedSmallInt(_) | D::UnsignedInt2(_) => D::UInt16,
        D::UnsignedMediumInt(_)
        | D::UnsignedInt(_)
        | D::UnsignedInt4(_)
        | D::UnsignedInteger(_) => D::UInt32,
        D::UnsignedBigInt(_) | D::UnsignedInt8(_) => D::UInt64,
        D::Decimal(_) | D::Numeric(_) | D::Dec(_) | D::BigDecimal(_) | D::BigNumeric(_) => {
            D::Decimal(ExactNumberInfo::None)
        }
        D::Float(Some(p)) if *p <= 24 => D::Float32,
        D::Float4 | D::Float32 => D::Float32,
        D::Float(_) | D::Real | D::Double | D::DoublePrecision | D::Float8 | D::Float64 => {
            D::Float64
        }
        D::Bool | D::Boolean => D::Boolean,
        D::Date => D::Date,
        D::Datetime(_) | D::Timestamp(_, _) => D::Timestamp(None, TimezoneInfo::None),
        D::Time(_, _) => D::Time(None, TimezoneInfo::None),
        D::Blob(_) | D::Binary(_) | D::Varbinary(_) | D::Bytea | D::Bytes(_) => D::Bytea,
        D::Custom(name, _) if is_blob_alias(&name.to_string()) => D::Bytea,
        D::Int16
        | D::Int32
        | D::Int64
        | D::Int128
        | D::UInt8
        | D::UInt16
        | D::UInt32
        | D::UInt64
        | D::UInt128
        | D::Uuid
        | D::Interval => t.clone(),
        other => {
            return Err(SqlError::Unsupported {
                feature: Localized::new(format!("열 형식 {other}"), format!("column type {other}")),
                hint: Some(Localized::new(
                    "INT, DECIMAL, DOUBLE, VARCHAR(n), TEXT, DATE, DATETIME 중 하나를 쓰세요",
                    "use one of INT, DECIMAL, DOUBLE, VARCHAR(n), TEXT, DATE, DATETIME",
                )),
            })
        }
    })
}

/// A column type as the layer keeps and shows it (`DESCRIBE`, SHOW CREATE TABLE, the fits):
/// MySQL's defaults spelled out — `DECIMAL` is `DECIMAL(10,0)`, `DECIMAL(5)` is
/// `DECIMAL(5,0)` — and `FLOAT(7,4)` without the space the AST's display puts after the comma.
pub fn declared_text(t: &DataType) -> String {
    use DataType as D;
    match t {
        D::Decimal(info) | D::Numeric(info) | D::Dec(info) => {
            let (m, d) = match info {
                ExactNumberInfo::None => (10, 0),
                ExactNumberInfo::Precision(m) => (*m, 0),
                ExactNumberInfo::PrecisionAndScale(m, d) => (*m, *d),
            };
            let name = match t {
                D::Numeric(_) => "NUMERIC",
                _ => "DECIMAL",
            };
            format!("{name}({m},{d})")
        }
        D::Unsigned(inner) => format!("{} UNSIGNED", declared_text(inner)),
        D::Zerofill(inner) => format!("{} ZEROFILL", declared_text(inner)),
        D::Custom(name, m) if m.len() == 2 => format!("{name}({},{})", m[0], m[1]),
        other => other.to_string(),
    }
}

/// What the layer fits in a value stored in a column, beyond GlueSQL's type of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberFit {
    /// MySQL's `(M, D)` of a DECIMAL, FLOAT or DOUBLE.
    pub digits: Option<(u32, u32)>,
    /// An UNSIGNED DECIMAL, FLOAT or DOUBLE.
    pub unsigned: bool,
    /// The range of an integer type narrower than its GlueSQL type (INT, MEDIUMINT).
    pub range: Option<(i128, i128)>,
}

/// The fit of a column declared `declared` (as [`declared_text`] spells it); `None` for the
/// types GlueSQL's own types bound as MySQL does (TINYINT, SMALLINT, BIGINT, INT UNSIGNED …)
/// and for every type that is not a number.
pub fn number_fit(declared: &str) -> Option<NumberFit> {
    let upper = declared.to_ascii_uppercase();
    let name = upper.split(['(', ' ']).next().unwrap_or_default();
    let unsigned = upper.contains(" UNSIGNED") || upper.contains(" ZEROFILL");
    let fit = match name {
        "DECIMAL" | "NUMERIC" | "DEC" | "FLOAT" | "DOUBLE" | "REAL" => NumberFit {
            digits: upper
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(inner, _)| inner.split_once(','))
                .and_then(|(m, d)| Some((m.trim().parse().ok()?, d.trim().parse().ok()?))),
            unsigned,
            range: None,
        },
        "INT" | "INTEGER" if !unsigned => NumberFit {
            range: Some((i128::from(i32::MIN), i128::from(i32::MAX))),
            ..NumberFit::default()
        },
        "MEDIUMINT" => NumberFit {
            range: Some(if unsigned {
                (0, (1 << 24) - 1)
            } else {
                (-(1 << 23), (1 << 23) - 1)
            }),
            ..NumberFit::default()
        },
        _ => return None,
    };
    (fit != NumberFit::default()).then_some(fit)
}

fn is_text_alias(name: &str) -> bool {
    matches!(
        name.to_uppercase().as_str(),
        "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT" | "JSON"
    )
}

fn is_blob_alias(name: &str) -> bool {
    matches!(
        name.to_uppercase().as_str(),
        "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_types_map() {
        use sqlparser::ast::{CharacterLength, DataType as D};
        let varchar = D::Varchar(Some(CharacterLength::IntegerLength {
            length: 100,
            unit: None,
        }));
        assert_eq!(map_column_type(&varchar).ok(), Some(D::Text));
        assert_eq!(map_column_type(&D::Int(Some(11))).ok(), Some(D::Int(None)));
        assert_eq!(
            map_column_type(&D::Enum(vec!["small".into()])).ok(),
            Some(D::Text)
        );
    }
}
