//! Indexes as MySQL's DDL writes them: `CREATE [UNIQUE] INDEX name ON t (a, b(10))`,
//! `DROP INDEX name ON t`, `INDEX`/`KEY`/`UNIQUE KEY` inside `CREATE TABLE` and
//! `ALTER TABLE … ADD INDEX`, and `SHOW INDEX FROM t`.
//!
//! GlueSQL's memory storage has no indexes, so they are the layer's: kept in its state (the
//! snapshot and the dump carry them). A UNIQUE index over one whole column is enforced by
//! GlueSQL itself — the column is marked unique in its schema, so INSERT and UPDATE refuse a
//! duplicate with MySQL's error 1062 — after the rows already there are checked. A UNIQUE
//! index over several columns or a prefix — a composite PRIMARY KEY is one, named `PRIMARY` — is
//! the layer's to enforce (`constraints.rs`): a duplicate after a write (NULLs never count,
//! text compares under the collation) puts the table's rows back and is error 1062. Other
//! indexes only describe the table (a lookup does not use them).

use crate::dialect::{self, TableRef};
use crate::error::SqlError;
use crate::glue::affected;
use crate::{Engine, Executed};
use gluesql_core::ast::ColumnUniqueOption;
use gluesql_core::data::Value;
use sqlnori_model::snapshot::IndexDef;
use sqlnori_model::{korean, Cell, Localized};
use sqlparser::ast::{Expr, ObjectName};

/// The name MySQL gives the primary key among a table's indexes (a composite primary key is
/// kept as the layer's index of that name).
pub(crate) const PRIMARY: &str = "PRIMARY";

/// An index's columns, each with its prefix length.
pub(crate) type IndexColumns = Vec<(String, Option<u64>)>;

/// A column of an index as written: `a` or `a(10)`.
pub(crate) fn index_column(e: &Expr) -> Result<(String, Option<u64>), SqlError> {
    match e {
        Expr::Identifier(i) => Ok((i.value.clone(), None)),
        Expr::CompoundIdentifier(parts) => Ok((
            parts.last().map(|p| p.value.clone()).unwrap_or_default(),
            None,
        )),
        Expr::Function(f) => {
            let name = f.name.0.last().map(|i| i.value.clone()).unwrap_or_default();
            let prefix = match &f.args {
                sqlparser::ast::FunctionArguments::List(list) => match list.args.as_slice() {
                    [sqlparser::ast::FunctionArg::Unnamed(
                        sqlparser::ast::FunctionArgExpr::Expr(n),
                    )] => dialect::build::literal_i64(n).and_then(|n| u64::try_from(n).ok()),
                    _ => None,
                },
                _ => None,
            };
            match prefix {
                Some(p) if p > 0 => Ok((name, Some(p))),
                _ => Err(bad_column(e)),
            }
        }
        other => Err(bad_column(other)),
    }
}

fn bad_column(e: &Expr) -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new(
            format!("인덱스의 열로 쓴 식 `{e}`"),
            format!("the expression `{e}` as an index column"),
        ),
        hint: Some(Localized::new(
            "열 이름이나 앞부분 길이를 쓰세요: (name), (name(10))",
            "name columns, or a prefix of one: (name), (name(10))",
        )),
    }
}

impl Engine {
    /// `CREATE [UNIQUE] INDEX name ON table (columns)`.
    pub(crate) fn create_index(
        &mut self,
        name: Option<String>,
        table: &ObjectName,
        columns: Vec<(String, Option<u64>)>,
        unique: bool,
        if_not_exists: bool,
    ) -> Executed {
        let target = self.resolver().resolve(table)?;
        let verb = if unique {
            "CREATE UNIQUE INDEX"
        } else {
            "CREATE INDEX"
        };
        if self.add_index(&target, name, columns, unique, if_not_exists)? {
            Ok((affected(verb, 0), vec![]))
        } else {
            Ok((
                affected(verb, 0),
                vec![Localized::new(
                    "같은 이름의 인덱스가 이미 있어서 건너뜁니다",
                    "an index of that name already exists, skipped",
                )],
            ))
        }
    }

    /// Adds an index to a table that exists; `false` when `if_not_exists` found one of that
    /// name.
    pub(crate) fn add_index(
        &mut self,
        target: &TableRef,
        name: Option<String>,
        columns: Vec<(String, Option<u64>)>,
        unique: bool,
        if_not_exists: bool,
    ) -> Result<bool, SqlError> {
        let schema = self.fetch_schema(target)?;
        let mut named = Vec::new();
        for (column, prefix) in columns {
            let Some(def) = schema.iter().find(|c| c.name.eq_ignore_ascii_case(&column)) else {
                return Err(missing_key_column(&column));
            };
            named.push((def.name.clone(), prefix));
        }
        if named.is_empty() {
            return Err(SqlError::Invalid(Localized::new(
                "인덱스에는 열이 하나 이상 있어야 합니다",
                "an index needs at least one column",
            )));
        }
        let existing = self
            .state
            .indexes
            .get(&target.storage)
            .cloned()
            .unwrap_or_default();
        // MySQL names an unnamed index after its first column (`kor`, then `kor_2`, …).
        let name = name.unwrap_or_else(|| {
            let base = named[0].0.clone();
            let taken = |n: &str| existing.iter().any(|i| i.name.eq_ignore_ascii_case(n));
            if !taken(&base) {
                return base;
            }
            (2..)
                .map(|k| format!("{base}_{k}"))
                .find(|n| !taken(n))
                .unwrap_or(base)
        });
        // MySQL's error 1280: `PRIMARY` is the primary key's name alone.
        if name.eq_ignore_ascii_case(PRIMARY) {
            return Err(SqlError::Invalid(Localized::new(
                "`PRIMARY`는 기본 키의 이름이라 인덱스 이름으로 쓸 수 없습니다 (MySQL 오류 1280)",
                format!("Incorrect index name '{name}' (MySQL error 1280)"),
            )));
        }
        if existing.iter().any(|i| i.name.eq_ignore_ascii_case(&name)) {
            if if_not_exists {
                return Ok(false);
            }
            // MySQL's error 1061.
            return Err(SqlError::Invalid(Localized::new(
                format!(
                    "인덱스 이름 {} 이미 있습니다 (MySQL 오류 1061)",
                    korean::i(&format!("`{name}`"))
                ),
                format!("Duplicate key name '{name}' (MySQL error 1061)"),
            )));
        }
        if unique {
            self.make_unique(target, &name, &named)?;
        }
        self.state
            .indexes
            .entry(target.storage.clone())
            .or_default()
            .push(IndexDef {
                name,
                columns: named,
                unique,
            });
        Ok(true)
    }

    /// Makes GlueSQL enforce a UNIQUE index over one whole column, after checking the rows
    /// there hold no duplicate (MySQL's error 1062 names the first one).
    fn make_unique(
        &mut self,
        target: &TableRef,
        name: &str,
        columns: &[(String, Option<u64>)],
    ) -> Result<(), SqlError> {
        let Some(item) = self.storage.items.get_mut(&target.storage) else {
            return Err(SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            });
        };
        // Over several columns or a prefix: the layer checks it after every write
        // (constraints.rs); here, the rows already there.
        let [(column, None)] = columns else {
            let names = column_names(item);
            let index = IndexDef {
                name: name.to_owned(),
                columns: columns.to_vec(),
                unique: true,
            };
            return match first_duplicate(&item.rows, &item.rows, &index, &names) {
                Some(shown) => Err(duplicate_in_index(&shown, name, true)),
                None => Ok(()),
            };
        };
        let Some(defs) = item.schema.column_defs.as_mut() else {
            return Ok(());
        };
        let Some(position) = defs.iter().position(|c| c.name == *column) else {
            return Ok(());
        };
        let mut seen = std::collections::HashSet::new();
        for row in item.rows.values() {
            match row.get(position) {
                None | Some(Value::Null) => {}
                Some(v) => {
                    let shown = String::from(v);
                    // Under MySQL's default collation: 'Kim' and 'KIM' are the same entry.
                    if !seen.insert(gluesql_core::data::Key::try_from(v).ok()) {
                        return Err(duplicate_in_index(&shown, name, true));
                    }
                }
            }
        }
        if defs[position].unique.is_none() {
            defs[position].unique = Some(ColumnUniqueOption { is_primary: false });
        }
        Ok(())
    }

    /// `DROP INDEX name ON table`.
    pub(crate) fn drop_index(&mut self, name: &str, table: &ObjectName) -> Executed {
        let target = self.resolver().resolve(table)?;
        self.fetch_schema(&target)?;
        if let Some((db, t)) = dialect::split_storage_name(&target.storage) {
            let need = sqlnori_model::accounts::Need {
                privilege: sqlnori_model::accounts::Privilege::Index,
                object: sqlnori_model::accounts::Object::Table {
                    db: db.to_owned(),
                    table: t.to_owned(),
                },
            };
            self.enforce(&[crate::privileges::Check {
                allowed: self.state.accounts.allows(&self.acting(), &need),
                need,
                wildcard: false,
            }])?;
        }
        let indexes = self
            .state
            .indexes
            .entry(target.storage.clone())
            .or_default();
        let Some(at) = indexes
            .iter()
            .position(|i| i.name.eq_ignore_ascii_case(name))
        else {
            // MySQL's error 1091.
            return Err(SqlError::Invalid(Localized::new(
                format!("인덱스 `{name}`이 없어서 지울 수 없습니다 (MySQL 오류 1091)"),
                format!("Can't DROP '{name}'; check that column/key exists (MySQL error 1091)"),
            )));
        };
        let dropped = indexes.remove(at);
        if indexes.is_empty() {
            self.state.indexes.remove(&target.storage);
        }
        // The column stops being unique unless another UNIQUE index still covers it.
        if let (true, [(column, None)]) = (dropped.unique, dropped.columns.as_slice()) {
            let still =
                self.state.indexes.get(&target.storage).is_some_and(|all| {
                    all.iter().any(|i| i.unique && i.columns == dropped.columns)
                });
            if !still {
                if let Some(defs) = self
                    .storage
                    .items
                    .get_mut(&target.storage)
                    .and_then(|item| item.schema.column_defs.as_mut())
                {
                    for c in defs.iter_mut().filter(|c| c.name == *column) {
                        if c.unique.is_some_and(|u| !u.is_primary) {
                            c.unique = None;
                        }
                    }
                }
            }
        }
        Ok((affected("DROP INDEX", 0), vec![]))
    }

    /// `SHOW INDEX FROM table`: the primary key and every index, a row per column, in MySQL's
    /// first columns.
    pub(crate) fn show_index(&self, table: &ObjectName) -> Executed {
        let target = self.resolver().resolve(table)?;
        if let Some((db, t)) = dialect::split_storage_name(&target.storage) {
            self.require_any_on_table(db, t)?;
        }
        let schema = self.fetch_schema(&target)?;
        let table_name = target
            .written
            .rsplit('.')
            .next()
            .unwrap_or(&target.written)
            .to_owned();
        let mut rows = Vec::new();
        let mut push = |key: &str,
                        unique: bool,
                        seq: usize,
                        column: &str,
                        prefix: Option<u64>,
                        nullable: bool| {
            rows.push(vec![
                Cell::Text(table_name.clone()),
                Cell::Int(i64::from(!unique)),
                Cell::Text(key.to_owned()),
                Cell::Int(seq as i64),
                Cell::Text(column.to_owned()),
                prefix.map_or(Cell::Null, |p| Cell::Int(p as i64)),
                Cell::Text(if nullable { "YES" } else { "" }.to_owned()),
                Cell::Text("BTREE".to_owned()),
            ]);
        };
        for (i, column) in self.primary_columns(&target.storage).iter().enumerate() {
            push(PRIMARY, true, i + 1, column, None, false);
        }
        // As InnoDB lists them: the primary key, the unique indexes, then the others.
        let mut indexes = self.table_indexes(&target.storage);
        sqlnori_model::sort::sort_by_key(&mut indexes, |i| !i.unique);
        for index in &indexes {
            for (i, (column, prefix)) in index.columns.iter().enumerate() {
                let nullable = schema
                    .iter()
                    .find(|c| c.name == *column)
                    .is_some_and(|c| c.nullable);
                push(&index.name, index.unique, i + 1, column, *prefix, nullable);
            }
        }
        Ok((
            crate::glue::text_rows(
                &[
                    "Table",
                    "Non_unique",
                    "Key_name",
                    "Seq_in_index",
                    "Column_name",
                    "Sub_part",
                    "Null",
                    "Index_type",
                ],
                rows,
            ),
            vec![],
        ))
    }

    /// The primary key's columns in key order: the layer's `PRIMARY` index when the key
    /// covers several columns, else the column GlueSQL keys the table by.
    pub(crate) fn primary_columns(&self, storage: &str) -> Vec<String> {
        if let Some(index) = self
            .state
            .indexes
            .get(storage)
            .and_then(|all| all.iter().find(|i| i.name == PRIMARY))
        {
            return index.columns.iter().map(|(c, _)| c.clone()).collect();
        }
        self.storage
            .items
            .get(storage)
            .and_then(|item| item.schema.column_defs.as_ref())
            .into_iter()
            .flatten()
            .filter(|c| c.unique.is_some_and(|u| u.is_primary))
            .map(|c| c.name.clone())
            .collect()
    }

    /// Every index of a table but the primary key: those made by the learner, then a UNIQUE column of the table
    /// (`code VARCHAR(5) UNIQUE`, `UNIQUE (code)`) that no recorded index covers, named after
    /// its column as MySQL names it.
    pub(crate) fn table_indexes(&self, storage: &str) -> Vec<IndexDef> {
        let mut all = self.state.indexes.get(storage).cloned().unwrap_or_default();
        all.retain(|i| i.name != PRIMARY);
        let defs = self
            .storage
            .items
            .get(storage)
            .and_then(|item| item.schema.column_defs.clone())
            .unwrap_or_default();
        for c in defs
            .iter()
            .filter(|c| c.unique.is_some_and(|u| !u.is_primary))
        {
            let key = vec![(c.name.clone(), None)];
            if !all.iter().any(|i| i.unique && i.columns == key) {
                all.push(IndexDef {
                    name: c.name.clone(),
                    columns: key,
                    unique: true,
                });
            }
        }
        all
    }

    /// MySQL's index hints (`FROM t FORCE INDEX (i)`, `USE KEY (PRIMARY)`): each index named
    /// must be one of the table's (MySQL's 1176), and the statement gets a note: a hint changes
    /// how MySQL finds the rows, never which rows, and sqlnori reads every row anyway.
    pub(crate) fn check_index_hints(
        &self,
        stmt: &sqlparser::ast::Statement,
    ) -> Result<Option<Localized>, SqlError> {
        use sqlparser::ast::{TableFactor, Visitor};
        use std::ops::ControlFlow;
        struct Hinted(Vec<(ObjectName, Vec<String>)>);
        impl Visitor for Hinted {
            type Break = ();
            fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
                if let TableFactor::Table {
                    name, index_hints, ..
                } = t
                {
                    if !index_hints.is_empty() {
                        let named = index_hints
                            .iter()
                            .flat_map(|h| h.indexes.iter().map(|i| i.value.clone()))
                            .collect();
                        self.0.push((name.clone(), named));
                    }
                }
                ControlFlow::Continue(())
            }
        }
        let mut hinted = Hinted(Vec::new());
        let _ = crate::walk::visit(stmt, &mut hinted);
        if hinted.0.is_empty() {
            return Ok(None);
        }
        let resolver = self.resolver();
        for (table, named) in &hinted.0 {
            let Ok(target) = resolver.resolve(table) else {
                continue;
            };
            let has_primary = !self.primary_columns(&target.storage).is_empty();
            let indexes = self.table_indexes(&target.storage);
            for index in named {
                let known = (has_primary && index.eq_ignore_ascii_case(PRIMARY))
                    || indexes.iter().any(|i| i.name.eq_ignore_ascii_case(index));
                if !known {
                    return Err(crate::error::explained(
                        "unknown_index",
                        Localized::new(
                            format!(
                                "표 `{}`에 인덱스 {} 없습니다 (MySQL 오류 1176).",
                                target.written,
                                korean::i(&format!("`{index}`"))
                            ),
                            format!(
                                "Key '{index}' doesn't exist in table '{}' (MySQL error 1176).",
                                target.written
                            ),
                        ),
                        Some(index.clone()),
                        Some(Localized::new(
                            format!(
                                "SHOW INDEX FROM {};로 인덱스 이름을 볼 수 있습니다",
                                target.written
                            ),
                            format!("SHOW INDEX FROM {}; lists its indexes", target.written),
                        )),
                    ));
                }
            }
        }
        Ok(Some(Localized::new(
            "인덱스 힌트(USE/FORCE/IGNORE INDEX)는 MySQL이 행을 찾는 방법만 바꾸고 결과는 바꾸지 않습니다. sqlnori는 언제나 모든 행을 읽으므로 힌트를 확인만 하고 따르지는 않습니다",
            "Index hints (USE/FORCE/IGNORE INDEX) change how MySQL finds rows, never the result; sqlnori reads every row anyway, so it checks the hint and does not follow it",
        )))
    }

    /// The dump's `CREATE [UNIQUE] INDEX` lines of a table (written after its rows).
    pub(crate) fn index_lines(&self, storage: &str, table: &str) -> Vec<String> {
        self.table_indexes(storage)
            .iter()
            .map(|index| {
                let columns: Vec<String> = index
                    .columns
                    .iter()
                    .map(|(c, prefix)| {
                        let c = sqlnori_model::sql_text::ident(c);
                        prefix.map_or(c.clone(), |p| format!("{c}({p})"))
                    })
                    .collect();
                format!(
                    "CREATE {}INDEX {} ON {table} ({});",
                    if index.unique { "UNIQUE " } else { "" },
                    sqlnori_model::sql_text::ident(&index.name),
                    columns.join(", ")
                )
            })
            .collect()
    }

    /// A renamed column keeps its place in the indexes.
    pub(crate) fn rename_index_column(&mut self, storage: &str, old: &str, new: &str) {
        for index in self.state.indexes.get_mut(storage).into_iter().flatten() {
            for (column, _) in &mut index.columns {
                if column.eq_ignore_ascii_case(old) {
                    *column = new.to_owned();
                }
            }
        }
    }

    /// After a column is dropped: it leaves every index, and an index left with no column
    /// goes (as MySQL does).
    pub(crate) fn prune_indexes(&mut self, storage: &str) {
        let names: Vec<String> = self
            .column_infos(storage)
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.name)
            .collect();
        if let Some(indexes) = self.state.indexes.get_mut(storage) {
            for index in indexes.iter_mut() {
                index.columns.retain(|(c, _)| names.contains(c));
            }
            indexes.retain(|i| !i.columns.is_empty());
            if indexes.is_empty() {
                self.state.indexes.remove(storage);
            }
        }
    }

    /// A table's indexes, CHECKs and ON DELETE actions follow it when it is renamed and go
    /// with it when it is dropped.
    pub(crate) fn move_table_constraints(&mut self, from: &str, to: Option<&str>) {
        if let Some(indexes) = self.state.indexes.remove(from) {
            if let Some(to) = to {
                self.state.indexes.insert(to.to_owned(), indexes);
            }
        }
        self.move_checks(from, to);
        if let Some(actions) = self.state.on_delete.remove(from) {
            if let Some(to) = to {
                self.state.on_delete.insert(to.to_owned(), actions);
            }
        }
        if let Some(columns) = self.state.on_update.remove(from) {
            if let Some(to) = to {
                self.state.on_update.insert(to.to_owned(), columns);
            }
        }
    }
}

/// `DROP INDEX name ON table` (sqlparser 0.52 reads only PostgreSQL's form): the index's name
/// and the table's, when `sql` is this statement.
pub(crate) fn drop_index_statement(sql: &str) -> Option<Result<(String, ObjectName), SqlError>> {
    use sqlnori_model::accounts::AccountToken as T;
    let tokens: Vec<T> = sqlnori_model::accounts::account_tokens(sql)
        .ok()?
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| *t != T::Punct(';'))
        .collect();
    let word =
        |i: usize, w: &str| matches!(tokens.get(i), Some(T::Word(x)) if x.eq_ignore_ascii_case(w));
    if !(word(0, "DROP") && word(1, "INDEX")) {
        return None;
    }
    let name = |t: Option<&T>| match t {
        Some(T::Word(w) | T::Quoted(w)) => Some(w.clone()),
        _ => None,
    };
    let syntax = || {
        SqlError::Invalid(Localized::new(
            "DROP INDEX 이름 ON 표 꼴로 쓰세요",
            "write DROP INDEX name ON table",
        ))
    };
    let Some(index) = name(tokens.get(2)) else {
        return Some(Err(syntax()));
    };
    if !word(3, "ON") {
        return Some(Err(syntax()));
    }
    let mut parts = Vec::new();
    let mut i = 4;
    loop {
        let Some(part) = name(tokens.get(i)) else {
            return Some(Err(syntax()));
        };
        parts.push(sqlparser::ast::Ident::new(part));
        i += 1;
        if tokens.get(i) == Some(&T::Punct('.')) {
            i += 1;
            continue;
        }
        break;
    }
    if i != tokens.len() {
        return Some(Err(syntax()));
    }
    Some(Ok((index, ObjectName(parts))))
}

impl Engine {
    /// The UNIQUE indexes of `storage` that the layer enforces (GlueSQL enforces one whole
    /// column itself): see `constraints.rs`.
    pub(crate) fn layer_unique(&self, storage: &str) -> Vec<IndexDef> {
        self.state
            .indexes
            .get(storage)
            .map(|all| {
                all.iter()
                    .filter(|i| i.unique && !matches!(i.columns.as_slice(), [(_, None)]))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The value of `row` under `index` (text folded as the collation compares it, cut to a
/// prefix length); `None` when a part is NULL, which never counts as a duplicate.
fn index_key(row: &[Value], index: &IndexDef, names: &[String]) -> Option<Vec<Value>> {
    index
        .columns
        .iter()
        .map(|(column, prefix)| {
            let p = names.iter().position(|n| n.eq_ignore_ascii_case(column))?;
            let v = row.get(p)?;
            if v.is_null() {
                return None;
            }
            let v = match (v, prefix) {
                (Value::Str(s), Some(_)) => Value::Str(key_part(s, *prefix)),
                _ => v.clone(),
            };
            Some(gluesql_core::data::collation::key(&v))
        })
        .collect()
}

/// The value written twice under `index`, as MySQL shows it (`'a-b'`), naming the row the
/// write brought in rather than the one that was there.
pub(crate) fn first_duplicate(
    rows: &std::collections::BTreeMap<gluesql_core::data::Key, Vec<Value>>,
    before: &std::collections::BTreeMap<gluesql_core::data::Key, Vec<Value>>,
    index: &IndexDef,
    names: &[String],
) -> Option<String> {
    let mut seen: std::collections::HashMap<Vec<Value>, (&gluesql_core::data::Key, &Vec<Value>)> =
        std::collections::HashMap::new();
    for (key, row) in rows {
        let Some(k) = index_key(row, index, names) else {
            continue;
        };
        if let Some((other_key, other)) = seen.insert(k, (key, row)) {
            let unchanged =
                |key: &gluesql_core::data::Key, row: &Vec<Value>| before.get(key) == Some(row);
            let new_row = if unchanged(key, row) && !unchanged(other_key, other) {
                other
            } else {
                row
            };
            let parts: Vec<String> = index
                .columns
                .iter()
                .filter_map(|(column, prefix)| {
                    let p = names.iter().position(|n| n.eq_ignore_ascii_case(column))?;
                    // MySQL names the entry as the index holds it: a prefix key shows the prefix.
                    Some(key_part(&String::from(new_row.get(p)?), *prefix))
                })
                .collect();
            return Some(parts.join("-"));
        }
    }
    None
}

/// The part of a text a key holds: all of it, or its first `prefix` characters (`name(3)`).
pub(crate) fn key_part(text: &str, prefix: Option<u64>) -> String {
    match prefix {
        Some(n) => text
            .chars()
            .take(usize::try_from(n).unwrap_or(usize::MAX))
            .collect(),
        None => text.to_owned(),
    }
}

/// A stored table's column names, in order.
pub(crate) fn column_names(item: &gluesql_memory_storage::Item) -> Vec<String> {
    item.schema
        .column_defs
        .as_ref()
        .map(|d| d.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

/// MySQL's error 1072: a key names a column the table does not have.
pub(crate) fn missing_key_column(column: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!(
            "키에 쓴 열 {} 표에 없습니다 (MySQL 오류 1072)",
            korean::i(&format!("`{column}`"))
        ),
        format!("Key column '{column}' doesn't exist in table (MySQL error 1072)"),
    ))
}

/// MySQL's error 1062 for an index: a write that repeats an entry, or an index made over
/// rows that already repeat one (`creating`).
pub(crate) fn duplicate_in_index(shown: &str, name: &str, creating: bool) -> SqlError {
    let value = korean::i(&format!("'{shown}'"));
    let ko = if creating {
        format!(
            "값 {value} 두 행에 있어서 UNIQUE 인덱스 {} 만들 수 없습니다 (MySQL 오류 1062).",
            korean::eul(&format!("`{name}`"))
        )
    } else if name == PRIMARY {
        format!("기본 키 값 {value} 이미 있습니다 (MySQL 오류 1062).")
    } else {
        format!("값 {value} UNIQUE 인덱스 `{name}`에 이미 있습니다 (MySQL 오류 1062).")
    };
    crate::error::explained(
        "duplicate",
        Localized::new(
            ko,
            format!("Duplicate entry '{shown}' for key '{name}' (MySQL error 1062)."),
        ),
        Some(shown.to_owned()),
        Some(if name == PRIMARY {
            Localized::new(
                "기본 키의 열 값 조합은 한 행에만 쓸 수 있습니다",
                "a primary key allows each combination of its columns' values in one row only",
            )
        } else {
            Localized::new(
                "UNIQUE 인덱스의 열 값 조합은 한 행에만 쓸 수 있습니다 (NULL이 든 조합은 예외)",
                "a UNIQUE index allows each combination of its columns' values in one row only (a combination holding NULL excepted)",
            )
        }),
    )
}

#[cfg(test)]
mod tests {
    use crate::{Engine, EngineOptions, FixedClock, RunOptions};

    #[test]
    fn indexes_and_their_uniqueness_survive_the_snapshot() {
        let clock = FixedClock { epoch_ms: 0 };
        let mut e = Engine::new(&EngineOptions::default(), "db");
        let run = |e: &mut Engine, sql: &str| e.run_script(sql, RunOptions { force: true }, &clock);
        for r in run(
            &mut e,
            "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(9));
             CREATE UNIQUE INDEX ua ON t (a); CREATE INDEX ib ON t (b, id);
             INSERT INTO t VALUES (1, 1, 'x')",
        ) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        let mut back = Engine::from_snapshot_json(&e.snapshot_json()).expect("reads back");
        let shown = |e: &mut Engine| run(e, "SHOW INDEX FROM t").remove(0).to_json_line();
        assert_eq!(shown(&mut back), shown(&mut e));
        // SHOW CREATE TABLE reads back to the same table, keys included.
        let create = |e: &mut Engine| {
            run(e, "SHOW CREATE TABLE t").remove(0).to_json_line()["rows"][0][1]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        let text = create(&mut e);
        let mut fresh = Engine::new(&EngineOptions::default(), "db");
        assert!(run(&mut fresh, &text).remove(0).is_ok(), "{text}");
        assert_eq!(create(&mut fresh), text);
        let dup = run(&mut back, "INSERT INTO t VALUES (2, 1, 'y')").remove(0);
        let error = dup.outcome.expect_err("the unique index still holds");
        assert!(error.message.en.contains("1062"), "{}", error.message.en);
    }
}
