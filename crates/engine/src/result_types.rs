//! The declared types of a query's result columns, as MySQL reports them: a column read
//! straight from a table keeps the type it was declared with (`VARCHAR(100)`, `ENUM(…)`),
//! not the storage type GlueSQL holds it in (TEXT). A computed number of MySQL's exact types
//! (integers, DECIMAL, literals like `1.50`) shows the scale MySQL gives it: `ROUND(price, 2)`
//! is `75.00`, `10 / 4` is `2.5000`, `price * 2` has the column's decimals. Anything else keeps
//! the type and the digits of its value.

use crate::dialect::NameResolver;
use crate::Engine;
use sqlnori_model::{Cell, ColumnInfo, Output};
use sqlparser::ast::{Expr, Query, SelectItem, SetExpr, TableFactor};

/// What is known of one result column's type before the query runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Declared {
    /// The declared type of a column read straight from a table.
    pub data_type: Option<String>,
    /// The decimals MySQL shows for a computed number of an exact type.
    pub scale: Option<u64>,
}

/// The declared type of each result column of `q` (`None` for the whole when the query is not
/// one plain SELECT over stored tables and derived tables of such SELECTs).
pub(crate) fn declared(engine: &Engine, q: &Query, names: &NameResolver) -> Option<Vec<Declared>> {
    declared_columns(engine, q, names).map(|columns| columns.into_iter().map(|(_, d)| d).collect())
}

/// Each result column of `q`: its name and what is declared of its type. A derived table
/// (`FROM (SELECT …) d`) is read the same way, so `d.name` keeps `VARCHAR(20)`.
fn declared_columns(
    engine: &Engine,
    q: &Query,
    names: &NameResolver,
) -> Option<Vec<(String, Declared)>> {
    // A CTE's name can shadow a table's, and a set operation's columns come from several
    // queries: neither is read here.
    if q.with.is_some() {
        return None;
    }
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    let mut tables: Vec<(String, Vec<ColumnInfo>)> = Vec::new();
    for from in &sel.from {
        for factor in std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation))
        {
            match factor {
                TableFactor::Table { name, alias, .. } => {
                    let table = names.resolve(name).ok()?;
                    let columns = engine.column_infos(&table.storage)?;
                    let qualifier = alias
                        .as_ref()
                        .map_or(table.written, |a| a.name.value.clone());
                    tables.push((qualifier, columns));
                }
                TableFactor::Derived {
                    lateral: false,
                    subquery,
                    alias: Some(alias),
                } => {
                    let mut inner = declared_columns(engine, subquery, names)?;
                    if !alias.columns.is_empty() {
                        if alias.columns.len() != inner.len() {
                            return None;
                        }
                        for ((name, _), renamed) in inner.iter_mut().zip(&alias.columns) {
                            name.clone_from(&renamed.value);
                        }
                    }
                    // A computed column of the derived table has no declared type: it is
                    // kept, typeless, so that its name still hides the same name elsewhere.
                    let columns = inner
                        .into_iter()
                        .map(|(name, d)| ColumnInfo {
                            name,
                            data_type: d.data_type.unwrap_or_default(),
                            nullable: true,
                            primary_key: false,
                            auto_increment: false,
                            references: None,
                            default: None,
                            on_update: false,
                        })
                        .collect();
                    tables.push((alias.name.value.clone(), columns));
                }
                _ => return None,
            }
        }
    }
    let types = |columns: &[ColumnInfo]| -> Vec<(String, Declared)> {
        columns
            .iter()
            .map(|c| {
                let declared = Declared {
                    data_type: Some(c.data_type.clone()).filter(|t| !t.is_empty()),
                    scale: None,
                };
                (c.name.clone(), declared)
            })
            .collect()
    };
    let mut out = Vec::new();
    for item in &sel.projection {
        match item {
            SelectItem::Wildcard(_) => {
                for (_, columns) in &tables {
                    out.extend(types(columns));
                }
            }
            SelectItem::QualifiedWildcard(object, _) => {
                let qualifier = &object.0.last()?.value;
                let (_, columns) = tables
                    .iter()
                    .find(|(q, _)| q.eq_ignore_ascii_case(qualifier))?;
                out.extend(types(columns));
            }
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                let data_type = column_type(e, &tables);
                let scale = match data_type {
                    Some(_) => None,
                    None => exact_scale(
                        e,
                        &Scope {
                            tables: &tables,
                            engine,
                            names,
                        },
                    ),
                };
                let name = crate::query::item_label(item).unwrap_or_else(|| e.to_string());
                out.push((name, Declared { data_type, scale }));
            }
        }
    }
    Some(out)
}

/// The declared type of a bare column reference (`name`, `s.name`), when one table has it.
fn column_type(e: &Expr, tables: &[(String, Vec<ColumnInfo>)]) -> Option<String> {
    let find = |columns: &[ColumnInfo], name: &str| {
        columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| c.data_type.clone())
    };
    match e {
        Expr::Nested(inner) => column_type(inner, tables),
        Expr::Identifier(column) => {
            let mut found = tables
                .iter()
                .filter_map(|(_, cols)| find(cols, &column.value));
            let first = found.next();
            // A name in two tables is ambiguous (the query fails anyway).
            found
                .next()
                .is_none()
                .then_some(first)
                .flatten()
                .filter(|t| !t.is_empty())
        }
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let qualifier = &parts[parts.len() - 2].value;
            let (_, columns) = tables
                .iter()
                .find(|(q, _)| q.eq_ignore_ascii_case(qualifier))?;
            find(columns, &parts[parts.len() - 1].value).filter(|t| !t.is_empty())
        }
        _ => None,
    }
}

/// Gives `output`'s columns their declared types, when `declared` covers them all; a
/// `DECIMAL(p, s)` column shows its `s` decimals, as MySQL does (`75.00`), and so does a
/// computed number of an exact type.
pub(crate) fn apply(output: &mut Output, declared: Option<Vec<Declared>>) {
    let (Output::Rows { columns, rows }, Some(declared)) = (output, declared) else {
        return;
    };
    if declared.len() != columns.len() {
        return;
    }
    for (i, (column, d)) in columns.iter_mut().zip(declared).enumerate() {
        let scale = match &d.data_type {
            Some(t) => decimal_scale(t),
            None => d.scale.filter(|s| *s > 0).map(|s| s.min(30) as usize),
        };
        if let Some(scale) = scale {
            for row in rows.iter_mut() {
                if let Some(cell) = row.get_mut(i) {
                    with_scale(cell, scale);
                }
            }
        }
        match d.data_type {
            Some(t) => column.data_type = t,
            // An exact number with decimals is MySQL's DECIMAL, whatever GlueSQL computed it in.
            None if scale.is_some() && column.data_type != "DECIMAL" => {
                column.data_type = "DECIMAL".to_owned();
            }
            None => {}
        }
    }
}

/// MySQL's scale of an expression of an exact type (integers, DECIMAL, number literals), or
/// `None` when it is approximate (FLOAT, DOUBLE, RAND(), SQRT …), not a number, or not known
/// here. Integers have scale 0; `a + b` takes the larger scale, `a * b` the sum, `a / b` and
/// `AVG` add four (`div_precision_increment`), `ROUND(x, d)` and `TRUNCATE(x, d)` give `d` to
/// a fraction and leave an integer whole.
fn exact_scale(e: &Expr, cx: &Scope<'_>) -> Option<u64> {
    use sqlparser::ast::{BinaryOperator as B, DataType, ExactNumberInfo, Value};
    let both = |a: &Expr, b: &Expr| Some((exact_scale(a, cx)?, exact_scale(b, cx)?));
    match e {
        Expr::Value(Value::Number(n, _)) => {
            let text = n.to_string();
            if text.contains(['e', 'E']) {
                return None;
            }
            Some(text.split_once('.').map_or(0, |(_, f)| f.len() as u64))
        }
        Expr::Nested(inner) => exact_scale(inner, cx),
        // A condition is the integer 1 or 0 (`AVG(kor >= 80)` shows 0.4667, 1.0000).
        Expr::Value(Value::Boolean(_))
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::InList { .. }
        | Expr::InSubquery { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::Exists { .. }
        | Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Not,
            ..
        } => Some(0),
        Expr::BinaryOp {
            op:
                B::Eq
                | B::NotEq
                | B::Lt
                | B::LtEq
                | B::Gt
                | B::GtEq
                | B::Spaceship
                | B::And
                | B::Or
                | B::Xor,
            ..
        } => Some(0),
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus | sqlparser::ast::UnaryOperator::Plus,
            expr,
        } => exact_scale(expr, cx),
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            declared_scale(&column_type(e, cx.tables)?)
        }
        // A scalar subquery has the scale of its one column: `kor - (SELECT AVG(kor) …)`
        // shows four decimals, as MySQL's DECIMAL does.
        Expr::Subquery(q) => {
            let columns = declared_columns(cx.engine, q, cx.names)?;
            let [(_, d)] = columns.as_slice() else {
                return None;
            };
            match &d.data_type {
                Some(t) => declared_scale(t),
                None => d.scale,
            }
        }
        Expr::BinaryOp { left, op, right } => {
            let (l, r) = both(left, right)?;
            match op {
                B::Plus | B::Minus | B::Modulo | B::MyModulo => Some(l.max(r)),
                B::Multiply => Some(l + r),
                B::Divide => Some(l + crate::dialect::DIV_SCALE),
                B::MyIntegerDivide => Some(0),
                _ => None,
            }
        }
        Expr::Cast {
            data_type, expr, ..
        } => match data_type {
            DataType::Decimal(ExactNumberInfo::PrecisionAndScale(_, s))
            | DataType::Numeric(ExactNumberInfo::PrecisionAndScale(_, s)) => Some(*s),
            DataType::Decimal(_) | DataType::Numeric(_) => Some(0),
            DataType::Int(_) | DataType::Integer(_) | DataType::BigInt(_) => Some(0),
            // `CAST(x AS SIGNED)`, `UNSIGNED [INTEGER]`.
            DataType::Custom(name, _)
                if name.to_string().to_ascii_uppercase().contains("SIGNED") =>
            {
                exact_scale(expr, cx).map(|_| 0)
            }
            _ => None,
        },
        Expr::Floor { .. } | Expr::Ceil { .. } => Some(0),
        Expr::Function(f) if f.over.is_none() => {
            let name = crate::dialect::build::func_name(f);
            let args = crate::dialect::build::plain_args(f)?;
            match (name.as_str(), args.as_slice()) {
                ("COUNT", _) => Some(0),
                ("SUM" | "MIN" | "MAX" | "ABS" | "ANY_VALUE", [x]) => exact_scale(x, cx),
                ("AVG", [x]) => Some(exact_scale(x, cx)? + crate::dialect::DIV_SCALE),
                ("ROUND" | "TRUNCATE", [x, d]) => {
                    let s = exact_scale(x, cx)?;
                    let d = crate::dialect::build::literal_i64(d)?;
                    Some(if s == 0 { 0 } else { d.max(0) as u64 })
                }
                ("ROUND" | "CEIL" | "CEILING" | "FLOOR" | "SIGN", [x]) => {
                    exact_scale(x, cx).map(|_| 0)
                }
                ("IFNULL" | "COALESCE" | "GREATEST" | "LEAST", xs) if !xs.is_empty() => xs
                    .iter()
                    .map(|x| match x {
                        Expr::Value(Value::Null) => Some(0),
                        x => exact_scale(x, cx),
                    })
                    .collect::<Option<Vec<_>>>()
                    .and_then(|v| v.into_iter().max()),
                _ => None,
            }
        }
        Expr::Case {
            results,
            else_result,
            ..
        } => results
            .iter()
            .chain(else_result.as_deref())
            .map(|x| match x {
                Expr::Value(Value::Null) => Some(0),
                x => exact_scale(x, cx),
            })
            .collect::<Option<Vec<_>>>()
            .and_then(|v| v.into_iter().max()),
        _ => None,
    }
}

/// Where an expression's columns come from, for [`exact_scale`]: the tables of its FROM, and
/// the engine and names a subquery's own tables resolve with.
struct Scope<'a> {
    tables: &'a [(String, Vec<ColumnInfo>)],
    engine: &'a Engine,
    names: &'a NameResolver,
}

/// The scale of a declared column type: 0 for an integer, `s` for `DECIMAL(p, s)`, `None`
/// for a type that is not exact.
fn declared_scale(declared: &str) -> Option<u64> {
    let t = declared.to_ascii_uppercase();
    let integer = [
        "INT",
        "TINYINT",
        "SMALLINT",
        "MEDIUMINT",
        "BIGINT",
        "INTEGER",
    ]
    .iter()
    .any(|i| t == *i || t.starts_with(&format!("{i} ")) || t.starts_with(&format!("{i}(")));
    if integer {
        Some(0)
    } else if t.starts_with("DECIMAL") || t.starts_with("NUMERIC") || t.starts_with("DEC") {
        Some(decimal_scale(&t).unwrap_or(0) as u64)
    } else {
        None
    }
}

/// The scale of `DECIMAL(p, s)` / `NUMERIC(p, s)` (`DECIMAL(p)` and `DECIMAL` have none).
fn decimal_scale(declared: &str) -> Option<usize> {
    let upper = declared.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("DECIMAL")
        .or_else(|| upper.strip_prefix("NUMERIC"))
        .or_else(|| upper.strip_prefix("DEC"))?;
    let inner = rest.trim().strip_prefix('(')?.split(')').next()?;
    let (_, scale) = inner.split_once(',')?;
    scale.trim().parse().ok().filter(|s| *s <= 30)
}

/// A number cell written with exactly `scale` decimals (its value unchanged but for rounding
/// to that scale, which the column already holds).
fn with_scale(cell: &mut Cell, scale: usize) {
    let text = match cell {
        Cell::Decimal(d) => d.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) if f.is_finite() => format!("{f}"),
        _ => return,
    };
    let Ok(value) = text.parse::<bigdecimal::BigDecimal>() else {
        return;
    };
    let scale = i64::try_from(scale).unwrap_or(0);
    let scaled = value.with_scale_round(scale, bigdecimal::RoundingMode::HalfUp);
    *cell = Cell::Decimal(scaled.to_plain_string());
}
