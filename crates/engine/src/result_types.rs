//! The declared types of a query's result columns, as MySQL reports them: a column read
//! straight from a table keeps the type it was declared with (`VARCHAR(100)`, `ENUM(…)`),
//! not the storage type GlueSQL holds it in (TEXT). Anything computed keeps the type of its
//! value.

use crate::dialect::NameResolver;
use crate::Engine;
use sqlnori_model::{Cell, ColumnInfo, Output};
use sqlparser::ast::{Expr, Query, SelectItem, SetExpr, TableFactor};

/// The declared type of each result column of `q`, `None` where a column is computed (or
/// the query is not one plain SELECT over stored tables, when the whole answer is `None`).
pub(crate) fn declared(
    engine: &Engine,
    q: &Query,
    names: &NameResolver,
) -> Option<Vec<Option<String>>> {
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
            let TableFactor::Table { name, alias, .. } = factor else {
                return None;
            };
            let table = names.resolve(name).ok()?;
            let columns = engine.column_infos(&table.storage)?;
            let qualifier = alias
                .as_ref()
                .map_or(table.written, |a| a.name.value.clone());
            tables.push((qualifier, columns));
        }
    }
    let types = |columns: &[ColumnInfo]| -> Vec<Option<String>> {
        columns.iter().map(|c| Some(c.data_type.clone())).collect()
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
                out.push(column_type(e, &tables));
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
            found.next().is_none().then_some(first).flatten()
        }
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let qualifier = &parts[parts.len() - 2].value;
            let (_, columns) = tables
                .iter()
                .find(|(q, _)| q.eq_ignore_ascii_case(qualifier))?;
            find(columns, &parts[parts.len() - 1].value)
        }
        _ => None,
    }
}

/// Gives `output`'s columns their declared types, when `declared` covers them all; a
/// `DECIMAL(p, s)` column shows its `s` decimals, as MySQL does (`75.00`).
pub(crate) fn apply(output: &mut Output, declared: Option<Vec<Option<String>>>) {
    let (Output::Rows { columns, rows }, Some(declared)) = (output, declared) else {
        return;
    };
    if declared.len() != columns.len() {
        return;
    }
    for (i, (column, data_type)) in columns.iter_mut().zip(declared).enumerate() {
        let Some(t) = data_type else { continue };
        if let Some(scale) = decimal_scale(&t) {
            for row in rows.iter_mut() {
                if let Some(cell) = row.get_mut(i) {
                    with_scale(cell, scale);
                }
            }
        }
        column.data_type = t;
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
