//! `INSERT`, `REPLACE` and `INSERT … ON DUPLICATE KEY UPDATE` with MySQL's meaning: the
//! column list of `INSERT … SELECT`, AUTO_INCREMENT counters as InnoDB keeps them, and
//! duplicate keys inside one statement. Every statement the layer runs here is built as AST.

use crate::convert::value_to_expr;
use crate::dialect::build::{self, literal_i64, num};
use crate::dialect::{self, TableRef};
use crate::error::{duplicate_key, SqlError};
use crate::glue::affected;
use crate::{Engine, Executed};
use gluesql_core::data::Value;
use gluesql_core::executor::Payload;
use sqlnori_model::snapshot::AutoIncrement;
use sqlnori_model::{ColumnInfo, Localized};
use sqlparser::ast::{
    Assignment, Expr, Ident, Insert, OnInsert, Query, SetExpr, Statement as SqlStatement,
    Value as SqlValue,
};
use std::collections::BTreeSet;

/// The primary key's name and its position among the inserted columns.
type KeySlot = (String, usize);

impl Engine {
    pub(crate) fn insert(&mut self, mut ins: Insert, now: &str) -> Executed {
        let resolver = self.resolver();
        let target = resolver.resolve(&ins.table_name)?;
        let schema = self.fetch_schema(&target)?;
        let Some(source) = ins.source.take() else {
            return Err(SqlError::Unsupported {
                feature: Localized::new("INSERT … SET", "INSERT … SET"),
                hint: Some(Localized::new(
                    "INSERT INTO t (a, b) VALUES (1, 2) 형태로 쓰세요",
                    "write INSERT INTO t (a, b) VALUES (1, 2)",
                )),
            });
        };
        let mut rows = self.insert_source(*source, now)?;
        let mut columns: Vec<String> = if ins.columns.is_empty() {
            schema.iter().map(|c| c.name.clone()).collect()
        } else {
            ins.columns.iter().map(|c| c.value.clone()).collect()
        };
        check_widths(&rows, columns.len())?;
        self.check_enum_values(&target.storage, &schema, &columns, &mut rows)?;
        let mut counter = self.state.auto_increment.get(&target.storage).cloned();
        if let Some(ai) = counter.as_mut() {
            fill_auto_increment(ai, &mut columns, &mut rows);
        }
        let key = primary_key_slot(&schema, &columns);
        let on_duplicate = match ins.on.take() {
            Some(OnInsert::DuplicateKeyUpdate(a)) => Some(a),
            _ => None,
        };
        let verb = if ins.replace_into {
            "REPLACE"
        } else {
            "INSERT"
        };
        let outcome = match &key {
            Some(key) if ins.replace_into || on_duplicate.is_some() => {
                self.upsert(&target, key, &columns, rows, on_duplicate.as_deref(), now)
            }
            _ => {
                let count = rows.len() as u64;
                let duplicate = key.as_ref().and_then(|k| first_duplicate(&rows, k.1));
                match duplicate {
                    Some(k) => Err(duplicate_key(&k)),
                    None => self.insert_rows(&target, &columns, rows).map(|()| count),
                }
            }
        };
        // Like InnoDB, even a failed INSERT keeps the AUTO_INCREMENT values it took.
        if let Some(ai) = counter {
            self.state.auto_increment.insert(target.storage, ai);
        }
        Ok((affected(verb, outcome?), vec![]))
    }

    /// The rows to insert, as expressions: literal VALUES stay as written (GlueSQL checks
    /// their types); a SELECT runs first and its values become literals.
    fn insert_source(&mut self, source: Query, now: &str) -> Result<Vec<Vec<Expr>>, SqlError> {
        let resolver = self.resolver();
        match *source.body {
            SetExpr::Values(v) if source.with.is_none() => {
                let mut stmt = SqlStatement::Query(Box::new(Query {
                    body: Box::new(SetExpr::Values(v)),
                    ..source
                }));
                self.rewrite(&mut stmt, &resolver, now)?;
                self.refuse_infinite_values(&stmt)?;
                Ok(match stmt {
                    SqlStatement::Query(q) => match *q.body {
                        SetExpr::Values(v) => v.rows,
                        _ => vec![],
                    },
                    _ => vec![],
                })
            }
            body => {
                let q = Query {
                    body: Box::new(body),
                    ..source
                };
                let (_, values) = self.run_query(q, &resolver, now)?;
                values
                    .iter()
                    .map(|r| r.iter().map(value_to_expr).collect())
                    .collect()
            }
        }
    }

    /// A text value outside an ENUM's members is refused as MySQL's strict mode refuses it
    /// (error 1265); a member written in another letter case is stored in the member's own
    /// spelling, as MySQL stores it.
    pub(crate) fn check_enum_values(
        &self,
        storage: &str,
        schema: &[ColumnInfo],
        columns: &[String],
        rows: &mut [Vec<Expr>],
    ) -> Result<(), SqlError> {
        let Some(declared) = self.state.declared_types.get(storage) else {
            return Ok(());
        };
        for (ci, column) in columns.iter().enumerate() {
            let Some(position) = schema
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(column))
            else {
                continue;
            };
            let Some(members) = declared
                .get(position)
                .and_then(|d| crate::lesson::enum_members(d))
            else {
                continue;
            };
            for (ri, row) in rows.iter_mut().enumerate() {
                if let Some(Expr::Value(
                    SqlValue::SingleQuotedString(v) | SqlValue::DoubleQuotedString(v),
                )) = row.get_mut(ci)
                {
                    match members
                        .iter()
                        .find(|m| m.to_lowercase() == v.to_lowercase())
                    {
                        Some(m) => *v = m.clone(),
                        None => return Err(enum_refused(column, v, ri + 1, &members)),
                    }
                }
            }
        }
        Ok(())
    }

    /// Computed VALUES (`VALUES (EXP(1000))`) are computed first, read-only, so a DOUBLE out of
    /// range is refused (MySQL's 1690) rather than stored as an infinity. Literal rows, the bulk
    /// of every insert, are not evaluated twice; nor are random numbers drawn twice.
    fn refuse_infinite_values(&mut self, stmt: &SqlStatement) -> Result<(), SqlError> {
        let SqlStatement::Query(q) = stmt else {
            return Ok(());
        };
        let SetExpr::Values(v) = q.body.as_ref() else {
            return Ok(());
        };
        let literal = |e: &Expr| {
            matches!(
                e,
                Expr::Value(_) | Expr::UnaryOp { .. } | Expr::Identifier(_)
            )
        };
        if v.rows.iter().flatten().any(|e| build::calls(e, "RAND")) {
            return Ok(());
        }
        // Row by row (GlueSQL types a VALUES list by its first row), computed rows only.
        for row in v.rows.iter().filter(|r| !r.iter().all(literal)) {
            let one = SqlStatement::Query(Box::new(Query {
                body: Box::new(SetExpr::Values(sqlparser::ast::Values {
                    explicit_row: v.explicit_row,
                    rows: vec![row.clone()],
                })),
                ..(**q).clone()
            }));
            if let Ok(payload) = self.glue_execute(&one) {
                crate::glue::refuse_infinite(&payload)?;
            }
        }
        Ok(())
    }

    /// REPLACE and ON DUPLICATE KEY UPDATE, row by row as MySQL does: an existing key is
    /// deleted (REPLACE) or updated (ON DUPLICATE KEY UPDATE), each counting two rows.
    fn upsert(
        &mut self,
        target: &TableRef,
        (pk, p): &KeySlot,
        columns: &[String],
        rows: Vec<Vec<Expr>>,
        on_duplicate: Option<&[Assignment]>,
        now: &str,
    ) -> Result<u64, SqlError> {
        let mut count = 0;
        for row in rows {
            let key_is = build::eq(build::column(pk), row[*p].clone());
            if self.any_row(&target.storage, key_is.clone())? {
                match on_duplicate {
                    Some(assignments) => {
                        let sets = assignments
                            .iter()
                            .map(|a| with_inserted_values(a, columns, &row))
                            .collect();
                        let stmt = build::update_where(target.written_object(), sets, key_is);
                        self.run_glue(stmt, now)?;
                        count += 2;
                        continue;
                    }
                    None => {
                        let stmt = build::delete_where(
                            dialect::NameResolver::storage_object(target),
                            key_is,
                        );
                        self.glue_execute(&stmt)?;
                        count += 1;
                    }
                }
            }
            self.insert_rows(target, columns, vec![row])?;
            count += 1;
        }
        Ok(count)
    }

    fn insert_rows(
        &mut self,
        target: &TableRef,
        columns: &[String],
        rows: Vec<Vec<Expr>>,
    ) -> Result<(), SqlError> {
        let object = dialect::NameResolver::storage_object(target);
        let idents: Vec<Ident> = columns.iter().map(|c| Ident::new(c.clone())).collect();
        let self_referencing = self.storage.items.get(&target.storage).is_some_and(|item| {
            item.schema
                .foreign_keys
                .iter()
                .any(|f| f.referenced_table_name == target.storage)
        });
        if !self_referencing || rows.len() < 2 {
            let stmt = build::insert_values(object, idents, rows);
            return self.glue_execute(&stmt).map(|_| ());
        }
        // A row may reference a row before it in the same INSERT (an org chart inserted top
        // down): MySQL checks the key row by row, GlueSQL against the table as it was. Insert
        // one row at a time, and put the table back as it was if one fails.
        let before = self.storage.items.get(&target.storage).cloned();
        for row in rows {
            let stmt = build::insert_values(object.clone(), idents.clone(), vec![row]);
            if let Err(e) = self.glue_execute(&stmt) {
                if let Some(item) = before {
                    self.storage.items.insert(target.storage.clone(), item);
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// True when a stored row meets `condition` (a key lookup: GlueSQL plans it by the key).
    fn any_row(&mut self, storage: &str, condition: Expr) -> Result<bool, SqlError> {
        let query = build::select_query(
            vec![sqlparser::ast::SelectItem::UnnamedExpr(build::count_star())],
            vec![build::from_table(sqlparser::ast::ObjectName(vec![
                Ident::new(storage),
            ]))],
            Some(condition),
        );
        Ok(
            match self.glue_execute(&SqlStatement::Query(Box::new(query)))? {
                Payload::Select { rows, .. } => rows
                    .first()
                    .and_then(|r| r.first())
                    .is_some_and(|v| !matches!(v, Value::I64(0))),
                _ => false,
            },
        )
    }
}

/// `a = VALUES(a) + 1`, with `VALUES(col)` replaced by the value the row tried to insert.
fn with_inserted_values(a: &Assignment, columns: &[String], row: &[Expr]) -> Assignment {
    let mut value = a.value.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut value, |e: &mut Expr| {
        if let Expr::Function(f) = e {
            if build::func_name(f) == "VALUES" {
                if let Some([Expr::Identifier(col)]) = build::plain_args(f).as_deref() {
                    if let Some(i) = columns
                        .iter()
                        .position(|c| c.eq_ignore_ascii_case(&col.value))
                    {
                        *e = row[i].clone();
                    }
                }
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    Assignment {
        target: a.target.clone(),
        value,
    }
}

fn enum_refused(column: &str, value: &str, row: usize, members: &[String]) -> SqlError {
    let list = members
        .iter()
        .map(|m| format!("'{m}'"))
        .collect::<Vec<_>>()
        .join(", ");
    SqlError::Invalid(Localized::new(
        format!(
            "{} ENUM 열 `{column}`의 값이 될 수 없습니다 ({row}번째 행; 가능한 값: {list}) (MySQL 오류 1265).",
            sqlnori_model::korean::eun(&format!("'{value}'"))
        ),
        format!(
            "Data truncated for column '{column}' at row {row}: '{value}' is not one of {list} (MySQL error 1265)."
        ),
    ))
}

fn check_widths(rows: &[Vec<Expr>], width: usize) -> Result<(), SqlError> {
    match rows.iter().position(|r| r.len() != width) {
        None => Ok(()),
        Some(i) => {
            let n = rows[i].len();
            Err(SqlError::Invalid(Localized::new(
                format!(
                    "{}번째 행의 값 개수({n})가 열 개수({width})와 다릅니다",
                    i + 1
                ),
                format!("row {} has {n} values for {width} columns", i + 1),
            )))
        }
    }
}

fn primary_key_slot(schema: &[ColumnInfo], columns: &[String]) -> Option<KeySlot> {
    let pk = schema.iter().find(|c| c.primary_key)?;
    let p = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&pk.name))?;
    Some((pk.name.clone(), p))
}

/// The first key written twice in one INSERT, as MySQL names it.
fn first_duplicate(rows: &[Vec<Expr>], p: usize) -> Option<String> {
    let mut seen = BTreeSet::new();
    rows.iter()
        .map(|r| r[p].to_string())
        .find(|k| !seen.insert(k.clone()))
}

/// Assigns AUTO_INCREMENT values the way MySQL does: a missing, NULL or 0 value takes the
/// counter; an explicit larger value moves the counter past it.
fn fill_auto_increment(ai: &mut AutoIncrement, columns: &mut Vec<String>, rows: &mut [Vec<Expr>]) {
    let pos = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&ai.column));
    let pos = match pos {
        Some(p) => p,
        None => {
            columns.push(ai.column.clone());
            for row in rows.iter_mut() {
                row.push(Expr::Value(SqlValue::Null));
            }
            columns.len() - 1
        }
    };
    for row in rows.iter_mut() {
        let Some(cell) = row.get_mut(pos) else {
            continue;
        };
        match literal_i64(cell) {
            Some(n) if n > 0 => ai.next = ai.next.max(n.saturating_add(1)),
            Some(_) | None if is_null_or_zero(cell) => {
                *cell = num(ai.next);
                ai.next = ai.next.saturating_add(1);
            }
            _ => {}
        }
    }
}

fn is_null_or_zero(e: &Expr) -> bool {
    matches!(e, Expr::Value(SqlValue::Null)) || literal_i64(e) == Some(0)
}
