//! MySQL's multi-table UPDATE and DELETE, which GlueSQL lacks: `UPDATE emp e JOIN dept d ON
//! e.dept_id = d.id SET e.pay = e.pay * 1.1 WHERE d.name = 'IT'` and `DELETE e FROM emp e JOIN
//! dept d ON … WHERE …`. The join runs as a query (the learner's FROM, ON and WHERE, read as
//! MySQL reads them) that picks the changed table's rows by their primary key, with the new
//! values computed from the joined row; each row then changes by its key through the ordinary
//! single-table path, so types, strict mode, keys, CHECKs and ON DELETE actions hold. A row
//! changes once, with its first match, as in MySQL. One table changes per statement; a
//! failure puts the table back, so the statement changes nothing.

use crate::convert::value_to_expr;
use crate::dialect::{build, TableRef};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use gluesql_core::data::{Key, Value};
use sqlnori_model::Localized;
use sqlparser::ast::{
    Assignment, AssignmentTarget, Delete, Expr, FromTable, Ident, ObjectName, SelectItem,
    Statement, TableFactor, TableWithJoins,
};
use std::collections::HashSet;

/// The table a multi-table statement changes: as resolved, and the label the statement
/// knows it by (its alias, else its name).
pub(crate) struct Changed {
    pub(crate) table: TableRef,
    label: String,
}

impl Engine {
    /// For an UPDATE with joins, or a DELETE that names the tables it deletes from: the one
    /// table that changes. `None` for a single-table statement.
    pub(crate) fn multi_table_target(&self, stmt: &Statement) -> Option<Result<Changed, SqlError>> {
        match stmt {
            Statement::Update {
                table, assignments, ..
            } if !table.joins.is_empty() => Some(self.updated_table(table, assignments)),
            Statement::Delete(d) if !d.tables.is_empty() => Some(self.deleted_table(d)),
            _ => None,
        }
    }

    /// `UPDATE a JOIN b … SET …`: the table whose columns are set (all of them one table's).
    fn updated_table(
        &self,
        from: &TableWithJoins,
        assignments: &[Assignment],
    ) -> Result<Changed, SqlError> {
        let tables = self.labelled(from)?;
        let mut label: Option<String> = None;
        for a in assignments {
            let AssignmentTarget::ColumnName(ObjectName(parts)) = &a.target else {
                return Err(several_tables());
            };
            let this = match parts.as_slice() {
                [.., table, _] => table.value.clone(),
                [column] => tables
                    .iter()
                    .find(|(_, t)| {
                        self.column_infos(&t.storage).is_some_and(|cs| {
                            cs.iter()
                                .any(|c| c.name.eq_ignore_ascii_case(&column.value))
                        })
                    })
                    .map(|(l, _)| l.clone())
                    .ok_or_else(|| SqlError::NotFound {
                        what: "column",
                        name: column.value.clone(),
                    })?,
                [] => return Err(several_tables()),
            };
            match &label {
                Some(l) if !l.eq_ignore_ascii_case(&this) => return Err(several_tables()),
                _ => label = Some(this),
            }
        }
        let label = label.ok_or_else(several_tables)?;
        changed(tables, &label)
    }

    /// `DELETE e FROM emp e JOIN …`: the one table named before FROM.
    fn deleted_table(&self, d: &Delete) -> Result<Changed, SqlError> {
        let [name] = d.tables.as_slice() else {
            return Err(several_tables());
        };
        if d.using.is_some() {
            return Err(SqlError::Unsupported {
                feature: Localized::new("DELETE … USING", "DELETE … USING"),
                hint: Some(Localized::new(
                    "DELETE e FROM emp e JOIN dept d ON … WHERE … 형태로 쓰세요",
                    "write DELETE e FROM emp e JOIN dept d ON … WHERE …",
                )),
            });
        }
        let from = match &d.from {
            FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
        };
        let mut tables = vec![];
        for t in from {
            tables.extend(self.labelled(t)?);
        }
        let label = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
        changed(tables, &label)
    }

    /// The tables of a FROM with their labels (alias, else the name's last part).
    fn labelled(&self, from: &TableWithJoins) -> Result<Vec<(String, TableRef)>, SqlError> {
        let resolver = self.resolver();
        std::iter::once(&from.relation)
            .chain(from.joins.iter().map(|j| &j.relation))
            .map(|factor| match factor {
                TableFactor::Table { name, alias, .. } => {
                    let table = resolver.resolve(name)?;
                    let label = alias
                        .as_ref()
                        .map(|a| a.name.value.clone())
                        .unwrap_or_else(|| table.written.clone());
                    Ok((label, table))
                }
                _ => Err(SqlError::Unsupported {
                    feature: Localized::new(
                        "여러 표 UPDATE/DELETE 안의 서브쿼리",
                        "a subquery among the tables of a multi-table UPDATE or DELETE",
                    ),
                    hint: None,
                }),
            })
            .collect()
    }

    /// Runs `UPDATE a JOIN b … SET a.x = … WHERE …`.
    pub(crate) fn update_joined(&mut self, stmt: Statement, now: &str) -> Executed {
        let Statement::Update {
            table: from,
            assignments,
            selection,
            ..
        } = stmt
        else {
            return Ok((affected("UPDATE", 0), vec![]));
        };
        let changed = self.updated_table(&from, &assignments)?;
        let key = self.key_of(&changed)?;
        let mut projection = key_items(&changed.label, &key);
        projection.extend(
            assignments
                .iter()
                .map(|a| SelectItem::UnnamedExpr(a.value.clone())),
        );
        let rows = self.matched(projection, from, selection, &key, now)?;
        let columns: Vec<String> = assignments
            .iter()
            .map(|a| match &a.target {
                AssignmentTarget::ColumnName(ObjectName(parts)) => {
                    parts.last().map(|p| p.value.clone()).unwrap_or_default()
                }
                AssignmentTarget::Tuple(_) => String::new(),
            })
            .collect();
        let storage = changed.table.storage.clone();
        let saved = self.storage.items.get(&storage).map(|i| i.rows.clone());
        let mut count = 0;
        let outcome = (|| {
            for row in &rows {
                let (keys, values) = row.split_at(key.len());
                let sets = columns
                    .iter()
                    .zip(values)
                    .map(|(c, v)| {
                        Ok(Assignment {
                            target: AssignmentTarget::ColumnName(ObjectName(vec![
                                Ident::with_quote('`', c.clone()),
                            ])),
                            value: value_to_expr(v)?,
                        })
                    })
                    .collect::<Result<Vec<_>, SqlError>>()?;
                let stmt = build::update_where(
                    changed.table.written_object(),
                    sets,
                    key_condition(&key, keys)?,
                );
                self.run_glue(stmt, now)?;
                count += 1;
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            if let (Some(item), Some(rows)) = (self.storage.items.get_mut(&storage), saved) {
                item.rows = rows;
            }
            return Err(e);
        }
        Ok((affected("UPDATE", count), vec![]))
    }

    /// Runs `DELETE a FROM a JOIN b … WHERE …` as `DELETE FROM a WHERE <its keys>`.
    pub(crate) fn delete_joined(&mut self, d: Delete, now: &str) -> Executed {
        let changed = self.deleted_table(&d)?;
        let key = self.key_of(&changed)?;
        let from = match d.from {
            FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
        };
        let [from] = <[TableWithJoins; 1]>::try_from(from).map_err(|_| several_tables())?;
        let projection = key_items(&changed.label, &key);
        let rows = self.matched(projection, from, d.selection, &key, now)?;
        if rows.is_empty() {
            return Ok((affected("DELETE", 0), vec![]));
        }
        let condition = match key.as_slice() {
            // One key column: `k IN (…)`, linear however many rows go.
            [k] => Expr::InList {
                expr: Box::new(build::column(k)),
                list: rows
                    .iter()
                    .map(|r| value_to_expr(&r[0]))
                    .collect::<Result<_, _>>()?,
                negated: false,
            },
            _ => rows
                .iter()
                .map(|r| key_condition(&key, r))
                .reduce(|a, b| Ok(build::or(a?, b?)))
                .unwrap_or_else(|| Ok(build::null()))?,
        };
        let single = Delete {
            tables: vec![],
            from: FromTable::WithFromKeyword(vec![build::from_table(
                changed.table.written_object(),
            )]),
            using: None,
            selection: Some(condition),
            returning: None,
            order_by: vec![],
            limit: None,
        };
        match self.delete_acts(&single) {
            Some(storage) => self.delete_with_actions(single, &storage, now),
            None => self.run_glue(Statement::Delete(single), now),
        }
    }

    /// The changed table's primary key columns; a table without one cannot say which rows.
    fn key_of(&self, changed: &Changed) -> Result<Vec<String>, SqlError> {
        let key = self.primary_columns(&changed.table.storage);
        if key.is_empty() {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("PRIMARY KEY가 없는 표 `{}`를 여러 표 UPDATE/DELETE로 바꾸기", changed.table.written),
                    format!("a multi-table UPDATE or DELETE of `{}`, which has no PRIMARY KEY", changed.table.written),
                ),
                hint: Some(Localized::new(
                    "바뀌는 표에 PRIMARY KEY가 있어야 합니다. 또는 WHERE … IN (SELECT …)으로 한 표만 바꾸세요",
                    "the changed table needs a PRIMARY KEY here; or change one table with WHERE … IN (SELECT …)",
                )),
            });
        }
        Ok(key)
    }

    /// The joined rows as `projection` reads them, one per changed row (its first match).
    fn matched(
        &mut self,
        projection: Vec<SelectItem>,
        from: TableWithJoins,
        selection: Option<Expr>,
        key: &[String],
        now: &str,
    ) -> Result<Vec<Vec<Value>>, SqlError> {
        let query = build::select_query(projection, vec![from], selection);
        let resolver = self.resolver();
        let (_, rows) = self.run_query(query, &resolver, now)?;
        let mut seen = HashSet::new();
        Ok(rows
            .into_iter()
            .filter(|r| {
                let k: Option<Vec<Key>> = r[..key.len()]
                    .iter()
                    .map(|v| Key::try_from(v).ok())
                    .collect();
                k.is_none_or(|k| seen.insert(k))
            })
            .collect())
    }
}

/// `UPDATE of several tables at once` and other forms this does not run.
fn several_tables() -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new(
            "한 문장으로 여러 표를 함께 바꾸기",
            "changing several tables in one UPDATE or DELETE",
        ),
        hint: Some(Localized::new(
            "바꿀 표 하나의 열만 SET에 쓰세요 (다른 표는 JOIN으로 조건에만). 예: UPDATE emp e JOIN dept d ON e.dept_id = d.id SET e.pay = e.pay + 1 WHERE d.name = 'IT'",
            "set the columns of one table (the others only join in), as in UPDATE emp e JOIN dept d ON e.dept_id = d.id SET e.pay = e.pay + 1 WHERE d.name = 'IT'",
        )),
    }
}

fn changed(tables: Vec<(String, TableRef)>, label: &str) -> Result<Changed, SqlError> {
    tables
        .into_iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(label, table)| Changed { table, label })
        .ok_or_else(|| SqlError::NotFound {
            what: "table",
            name: label.to_owned(),
        })
}

/// `label.k1, label.k2`: the changed row's key, read from the join.
fn key_items(label: &str, key: &[String]) -> Vec<SelectItem> {
    key.iter()
        .map(|k| {
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(vec![
                Ident::with_quote('`', label),
                Ident::with_quote('`', k.clone()),
            ]))
        })
        .collect()
}

/// `k1 = v1 AND k2 = v2`.
fn key_condition(key: &[String], values: &[Value]) -> Result<Expr, SqlError> {
    key.iter()
        .zip(values)
        .map(|(k, v)| Ok(build::eq(build::column(k), value_to_expr(v)?)))
        .reduce(|a, b| Ok(build::and(a?, b?)))
        .unwrap_or_else(|| Ok(build::null()))
}
