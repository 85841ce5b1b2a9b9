//! Enforcement: what a parsed statement needs (a privilege on each database, table and column
//! it reads or writes, found by walking its AST: joins, subqueries, CTE bodies, views, the
//! source of `INSERT … SELECT`, the conditions of UPDATE and DELETE, DDL) and whether the
//! acting account holds it. Root holds everything, so nothing is walked for it.
//!
//! Columns are resolved the way MySQL resolves them: an unqualified name belongs to the
//! innermost query whose tables have that column; `t.c` to the table named or aliased `t`.
//! A view is checked as a table (its own body runs with its definer's rights, MySQL's
//! default `SQL SECURITY DEFINER`).

use crate::accounts::{database_denied, denied, needs_global};
use crate::dialect;
use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::accounts::{AccountName, Need, Object, Privilege};
use sqlparser::ast::{
    AssignmentTarget, Expr, FromTable, Ident, JoinConstraint, JoinOperator, ObjectName, ObjectType,
    OnInsert, Query, Select, SelectItem, SetExpr, Statement, TableFactor, TableWithJoins, Visit,
    Visitor,
};
use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;

/// One need of a statement and how it was met: the grant that allowed it, or `None`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    pub need: Need,
    pub allowed: Option<String>,
    /// A column read through `*`: MySQL then names the table (error 1142), not the column.
    pub wildcard: bool,
}

/// A table as a query sees it: its name or alias, and the stored table behind it (`None`
/// for a CTE, a derived table or a view, whose columns need no privilege of their own).
struct Entry {
    alias: String,
    table: Option<(String, String)>,
    columns: Vec<String>,
}

struct Level<'a> {
    entries: Vec<Entry>,
    parent: Option<&'a Level<'a>>,
}

impl Level<'_> {
    /// The entries an identifier's parts name, innermost query first.
    fn resolve(&self, parts: &[Ident]) -> Vec<(&Entry, String)> {
        let mut level = Some(self);
        while let Some(l) = level {
            let found: Vec<(&Entry, String)> = match parts {
                [c] => l
                    .entries
                    .iter()
                    .filter_map(|e| {
                        e.columns
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(&c.value))
                            .map(|k| (e, k.clone()))
                    })
                    .collect(),
                [t, c] => l
                    .entries
                    .iter()
                    .filter(|e| e.alias.eq_ignore_ascii_case(&t.value))
                    .map(|e| {
                        let col = e
                            .columns
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(&c.value))
                            .cloned()
                            .unwrap_or_else(|| c.value.clone());
                        (e, col)
                    })
                    .collect(),
                [d, t, c] => l
                    .entries
                    .iter()
                    .filter(|e| {
                        e.table.as_ref().is_some_and(|(db, table)| {
                            db == &d.value && table.eq_ignore_ascii_case(&t.value)
                        })
                    })
                    .map(|e| (e, c.value.clone()))
                    .collect(),
                _ => vec![],
            };
            if !found.is_empty() {
                return found;
            }
            // A name an unknown-column entry (a CTE, a view) may hold stops here.
            if parts.len() == 1 && l.entries.iter().any(|e| e.table.is_none()) {
                return vec![];
            }
            level = l.parent;
        }
        vec![]
    }
}

/// The identifiers and subqueries of an expression, not looking inside the subqueries.
#[derive(Default)]
struct Collect {
    depth: usize,
    names: Vec<Vec<Ident>>,
    subqueries: Vec<Query>,
}

impl Visitor for Collect {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if self.depth == 0 {
            self.subqueries.push(query.clone());
        }
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if self.depth == 0 {
            match expr {
                Expr::Identifier(i) => self.names.push(vec![i.clone()]),
                Expr::CompoundIdentifier(parts) => self.names.push(parts.clone()),
                _ => {}
            }
        }
        ControlFlow::Continue(())
    }
}

/// Walks a statement, gathering its needs in the order they appear.
struct Walk<'e> {
    engine: &'e Engine,
    /// Storage name → its columns.
    columns: HashMap<String, Vec<String>>,
    needs: Vec<Need>,
    /// The needs `*` asked for.
    wildcard: BTreeSet<Need>,
}

impl Walk<'_> {
    fn push(&mut self, privilege: Privilege, object: Object) {
        let need = Need { privilege, object };
        if !self.needs.contains(&need) {
            self.needs.push(need);
        }
    }

    fn table_object(&self, name: &ObjectName) -> Option<(String, String)> {
        match name.0.as_slice() {
            [t] => Some((self.engine.state.current_db.clone(), t.value.clone())),
            [d, t] => Some((d.value.clone(), t.value.clone())),
            _ => None,
        }
    }

    fn table_need(&mut self, privilege: Privilege, name: &ObjectName) {
        if let Some((db, table)) = self.table_object(name) {
            self.push(privilege, Object::Table { db, table });
        }
    }

    fn columns_of(&self, db: &str, table: &str) -> Vec<String> {
        self.columns
            .get(&dialect::storage_name(db, table))
            .cloned()
            .unwrap_or_default()
    }

    /// The entry a FROM item makes, with the needs of reading it.
    fn factor(
        &mut self,
        f: &TableFactor,
        ctes: &BTreeSet<String>,
        outer: Option<&Level<'_>>,
    ) -> Vec<Entry> {
        match f {
            TableFactor::Table { name, alias, .. } => {
                let alias_name = alias
                    .as_ref()
                    .map(|a| a.name.value.clone())
                    .or_else(|| name.0.last().map(|i| i.value.clone()))
                    .unwrap_or_default();
                if let [single] = name.0.as_slice() {
                    if ctes.contains(&single.value.to_lowercase()) {
                        return vec![Entry {
                            alias: alias_name,
                            table: None,
                            columns: vec![],
                        }];
                    }
                }
                let Some((db, table)) = self.table_object(name) else {
                    return vec![];
                };
                let storage = dialect::storage_name(&db, &table);
                let is_view = self.engine.state.views.contains_key(&storage);
                let columns = if is_view {
                    vec![]
                } else {
                    self.columns_of(&db, &table)
                };
                if is_view || columns.is_empty() {
                    // A view (or mysql.user, or a table that does not exist, which fails
                    // later with its own error): SELECT on it as a whole.
                    self.push(Privilege::Select, Object::Table { db, table });
                    return vec![Entry {
                        alias: alias_name,
                        table: None,
                        columns: vec![],
                    }];
                }
                vec![Entry {
                    alias: alias_name,
                    table: Some((db, table)),
                    columns,
                }]
            }
            // Its query is walked with the expressions of the query it is in.
            TableFactor::Derived { alias, .. } => {
                vec![Entry {
                    alias: alias
                        .as_ref()
                        .map(|a| a.name.value.clone())
                        .unwrap_or_default(),
                    table: None,
                    columns: vec![],
                }]
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => self.table_with_joins(table_with_joins, ctes, outer),
            _ => vec![],
        }
    }

    fn table_with_joins(
        &mut self,
        t: &TableWithJoins,
        ctes: &BTreeSet<String>,
        outer: Option<&Level<'_>>,
    ) -> Vec<Entry> {
        let mut entries = self.factor(&t.relation, ctes, outer);
        for j in &t.joins {
            entries.extend(self.factor(&j.relation, ctes, outer));
        }
        entries
    }

    /// `USING (c)` of every join: the column of each side.
    fn using_columns(t: &TableWithJoins) -> Vec<Ident> {
        t.joins
            .iter()
            .filter_map(|j| match &j.join_operator {
                JoinOperator::Inner(JoinConstraint::Using(c))
                | JoinOperator::LeftOuter(JoinConstraint::Using(c))
                | JoinOperator::RightOuter(JoinConstraint::Using(c))
                | JoinOperator::FullOuter(JoinConstraint::Using(c)) => Some(c.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Reads the identifiers of `node` as `privilege` needs on their columns, and walks its
    /// subqueries with `level` as their outer query.
    fn expressions<V: Visit>(
        &mut self,
        node: &V,
        privilege: Privilege,
        level: &Level<'_>,
        ctes: &BTreeSet<String>,
    ) {
        let mut c = Collect::default();
        let _ = crate::walk::visit(node, &mut c);
        for parts in &c.names {
            self.column_needs(privilege, level, parts);
        }
        for q in &c.subqueries {
            self.query(q, ctes, Some(level));
        }
    }

    fn column_needs(&mut self, privilege: Privilege, level: &Level<'_>, parts: &[Ident]) {
        let found: Vec<(String, String, String)> = level
            .resolve(parts)
            .into_iter()
            .filter_map(|(e, column)| e.table.clone().map(|(db, table)| (db, table, column)))
            .collect();
        for (db, table, column) in found {
            self.push(privilege, Object::Column { db, table, column });
        }
    }

    fn all_columns(&mut self, privilege: Privilege, entries: &[&Entry]) {
        for e in entries {
            if let Some((db, table)) = &e.table {
                for column in &e.columns {
                    let object = Object::Column {
                        db: db.clone(),
                        table: table.clone(),
                        column: column.clone(),
                    };
                    self.wildcard.insert(Need {
                        privilege,
                        object: object.clone(),
                    });
                    self.push(privilege, object);
                }
            }
        }
    }

    fn query(&mut self, q: &Query, ctes: &BTreeSet<String>, outer: Option<&Level<'_>>) {
        let mut ctes = ctes.clone();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                ctes.insert(cte.alias.name.value.to_lowercase());
            }
            for cte in &with.cte_tables {
                self.query(&cte.query, &ctes, outer);
            }
        }
        match &*q.body {
            SetExpr::Select(sel) => self.select(sel, q.order_by.as_ref(), &ctes, outer),
            body => {
                self.set_expr(body, &ctes, outer);
                if let Some(o) = &q.order_by {
                    let level = Level {
                        entries: vec![],
                        parent: outer,
                    };
                    self.expressions(o, Privilege::Select, &level, &ctes);
                }
            }
        }
        if let Some(limit) = &q.limit {
            let level = Level {
                entries: vec![],
                parent: outer,
            };
            self.expressions(limit, Privilege::Select, &level, &ctes);
        }
    }

    fn set_expr(&mut self, body: &SetExpr, ctes: &BTreeSet<String>, outer: Option<&Level<'_>>) {
        match body {
            SetExpr::Select(sel) => self.select(sel, None, ctes, outer),
            SetExpr::Query(q) => self.query(q, ctes, outer),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, ctes, outer);
                self.set_expr(right, ctes, outer);
            }
            other => {
                let level = Level {
                    entries: vec![],
                    parent: outer,
                };
                self.expressions(other, Privilege::Select, &level, ctes);
            }
        }
    }

    fn select(
        &mut self,
        sel: &Select,
        order_by: Option<&sqlparser::ast::OrderBy>,
        ctes: &BTreeSet<String>,
        outer: Option<&Level<'_>>,
    ) {
        let mut entries = Vec::new();
        for t in &sel.from {
            entries.extend(self.table_with_joins(t, ctes, outer));
        }
        let level = Level {
            entries,
            parent: outer,
        };
        // The whole SELECT: its clauses, the joins' conditions, derived tables' queries.
        self.expressions(sel, Privilege::Select, &level, ctes);
        if let Some(o) = order_by {
            self.expressions(o, Privilege::Select, &level, ctes);
        }
        for t in &sel.from {
            for c in Self::using_columns(t) {
                let found: Vec<(String, String, String)> = level
                    .entries
                    .iter()
                    .filter_map(|e| {
                        let (db, table) = e.table.clone()?;
                        let col = e
                            .columns
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(&c.value))?;
                        Some((db, table, col.clone()))
                    })
                    .collect();
                for (db, table, column) in found {
                    self.push(Privilege::Select, Object::Column { db, table, column });
                }
            }
        }
        for item in &sel.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    let all: Vec<&Entry> = level.entries.iter().collect();
                    self.all_columns(Privilege::Select, &all);
                }
                SelectItem::QualifiedWildcard(name, _) => {
                    let alias = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
                    let some: Vec<&Entry> = level
                        .entries
                        .iter()
                        .filter(|e| e.alias.eq_ignore_ascii_case(&alias))
                        .collect();
                    self.all_columns(Privilege::Select, &some);
                }
                _ => {}
            }
        }
        // A table read for its rows alone (`SELECT COUNT(*) FROM t`) still needs SELECT.
        for e in &level.entries {
            if let Some((db, table)) = &e.table {
                let touched = self.needs.iter().any(|n| {
                    matches!(&n.object, Object::Column { db: d, table: t, .. } if d == db && t == table)
                });
                if !touched {
                    self.push(
                        Privilege::Select,
                        Object::Table {
                            db: db.clone(),
                            table: table.clone(),
                        },
                    );
                }
            }
        }
    }

    /// UPDATE and DELETE: the tables, the targets' privilege, SELECT on what the conditions
    /// and new values read.
    fn statement(&mut self, stmt: &Statement) {
        let none = BTreeSet::new();
        match stmt {
            Statement::Query(q) => self.query(q, &none, None),
            Statement::Insert(ins) => {
                let Some((db, table)) = self.table_object(&ins.table_name) else {
                    return;
                };
                let all = self.columns_of(&db, &table);
                let written: Vec<String> = if ins.columns.is_empty() {
                    all.clone()
                } else {
                    ins.columns
                        .iter()
                        .map(|c| canonical(&all, &c.value))
                        .collect()
                };
                if written.is_empty() {
                    self.push(
                        Privilege::Insert,
                        Object::Table {
                            db: db.clone(),
                            table: table.clone(),
                        },
                    );
                }
                for column in written {
                    self.push(
                        Privilege::Insert,
                        Object::Column {
                            db: db.clone(),
                            table: table.clone(),
                            column,
                        },
                    );
                }
                if ins.replace_into {
                    self.push(
                        Privilege::Delete,
                        Object::Table {
                            db: db.clone(),
                            table: table.clone(),
                        },
                    );
                }
                if let Some(source) = &ins.source {
                    self.query(source, &none, None);
                }
                if let Some(OnInsert::DuplicateKeyUpdate(assignments)) = &ins.on {
                    let level = Level {
                        entries: vec![Entry {
                            alias: table.clone(),
                            table: Some((db.clone(), table.clone())),
                            columns: all.clone(),
                        }],
                        parent: None,
                    };
                    for a in assignments {
                        self.assignment_target(&a.target, &level);
                        self.expressions(&a.value, Privilege::Select, &level, &none);
                    }
                }
            }
            Statement::Update {
                table,
                assignments,
                from,
                selection,
                ..
            } => {
                let mut entries = self.table_with_joins(table, &none, None);
                if let Some(f) = from {
                    entries.extend(self.table_with_joins(f, &none, None));
                }
                let level = Level {
                    entries,
                    parent: None,
                };
                for a in assignments {
                    self.assignment_target(&a.target, &level);
                }
                for a in assignments {
                    self.expressions(&a.value, Privilege::Select, &level, &none);
                }
                if let Some(w) = selection {
                    self.expressions(w, Privilege::Select, &level, &none);
                }
                self.expressions(table, Privilege::Select, &level, &none);
                if let Some(f) = from {
                    self.expressions(f, Privilege::Select, &level, &none);
                }
            }
            Statement::Delete(d) => {
                let froms = match &d.from {
                    FromTable::WithFromKeyword(v) | FromTable::WithoutKeyword(v) => v.clone(),
                };
                let mut entries = Vec::new();
                for t in froms.iter().chain(d.using.iter().flatten()) {
                    entries.extend(self.table_with_joins(t, &none, None));
                }
                let level = Level {
                    entries,
                    parent: None,
                };
                let targets: Vec<String> = if d.tables.is_empty() {
                    froms
                        .first()
                        .and_then(|t| match &t.relation {
                            TableFactor::Table { name, alias, .. } => Some(
                                alias
                                    .as_ref()
                                    .map(|a| a.name.value.clone())
                                    .or_else(|| name.0.last().map(|i| i.value.clone()))
                                    .unwrap_or_default(),
                            ),
                            _ => None,
                        })
                        .into_iter()
                        .collect()
                } else {
                    d.tables
                        .iter()
                        .filter_map(|n| n.0.last().map(|i| i.value.clone()))
                        .collect()
                };
                for target in targets {
                    let found = level
                        .entries
                        .iter()
                        .find(|e| e.alias.eq_ignore_ascii_case(&target))
                        .and_then(|e| e.table.clone());
                    if let Some((db, table)) = found {
                        self.push(Privilege::Delete, Object::Table { db, table });
                    }
                }
                if let Some(w) = &d.selection {
                    self.expressions(w, Privilege::Select, &level, &none);
                }
                self.expressions(&froms, Privilege::Select, &level, &none);
            }
            Statement::CreateTable(ct) => {
                self.table_need(Privilege::Create, &ct.name);
                if let Some(q) = &ct.query {
                    self.table_need(Privilege::Insert, &ct.name);
                    self.query(q, &none, None);
                }
                if let Some(like) = &ct.like {
                    self.table_need(Privilege::Select, like);
                }
            }
            Statement::CreateView {
                name,
                query,
                or_replace,
                ..
            } => {
                self.table_need(Privilege::CreateView, name);
                if *or_replace {
                    self.table_need(Privilege::Drop, name);
                }
                self.query(query, &none, None);
            }
            Statement::CreateIndex(ci) => self.table_need(Privilege::Index, &ci.table_name),
            Statement::Drop {
                object_type: ObjectType::Table | ObjectType::View,
                names,
                ..
            } => {
                for n in names {
                    self.table_need(Privilege::Drop, n);
                }
            }
            Statement::Drop {
                object_type: ObjectType::Database | ObjectType::Schema,
                names,
                ..
            } => {
                for n in names {
                    if let Some(db) = n.0.last() {
                        self.push(Privilege::Drop, Object::Database(db.value.clone()));
                    }
                }
            }
            Statement::CreateDatabase { db_name, .. } => {
                if let Some(db) = db_name.0.last() {
                    self.push(Privilege::Create, Object::Database(db.value.clone()));
                }
            }
            Statement::CreateSchema { schema_name, .. } => {
                self.push(Privilege::Create, Object::Database(schema_name.to_string()));
            }
            Statement::Truncate { table_names, .. } => {
                for t in table_names {
                    self.table_need(Privilege::Drop, &t.name);
                }
            }
            Statement::AlterTable { name, .. } => {
                for p in [Privilege::Alter, Privilege::Create, Privilege::Insert] {
                    self.table_need(p, name);
                }
            }
            Statement::Explain { statement, .. } => self.statement(statement),
            _ => {}
        }
    }

    fn assignment_target(&mut self, target: &AssignmentTarget, level: &Level<'_>) {
        let names = match target {
            AssignmentTarget::ColumnName(n) => vec![n.clone()],
            AssignmentTarget::Tuple(v) => v.clone(),
        };
        for n in names {
            self.column_needs(Privilege::Update, level, &n.0);
        }
    }
}

/// The column's name as the table spells it.
fn canonical(columns: &[String], written: &str) -> String {
    columns
        .iter()
        .find(|c| c.eq_ignore_ascii_case(written))
        .cloned()
        .unwrap_or_else(|| written.to_owned())
}

impl Engine {
    /// The needs of `stmt` and how each is met for the acting account (root: not walked).
    pub(crate) fn privilege_checks(&self, stmt: &Statement) -> Vec<Check> {
        let who = self.acting();
        if who.is_root() {
            return vec![];
        }
        let mut columns: HashMap<String, Vec<String>> = HashMap::new();
        for t in self.schema() {
            columns.insert(
                dialect::storage_name(&t.database, &t.name),
                t.columns.into_iter().map(|c| c.name).collect(),
            );
        }
        let mut walk = Walk {
            engine: self,
            columns,
            needs: vec![],
            wildcard: BTreeSet::new(),
        };
        walk.statement(stmt);
        let accounts = &self.state.accounts;
        let wildcard = walk.wildcard;
        walk.needs
            .into_iter()
            .map(|need| {
                let mut allowed = accounts.allows(&who, &need);
                // Reading a table's rows alone is allowed by SELECT on any of its columns.
                if allowed.is_none() {
                    if let Object::Table { db, table } = &need.object {
                        if need.privilege == Privilege::Select
                            && accounts.has_column_grants(&who, Privilege::Select, db, table)
                        {
                            allowed = Some(format!(
                                "GRANT SELECT (…) ON `{db}`.`{table}` TO {}",
                                who.backquoted()
                            ));
                        }
                    }
                }
                Check {
                    wildcard: wildcard.contains(&need),
                    need,
                    allowed,
                }
            })
            .collect()
    }

    /// `RENAME TABLE a TO b`: ALTER and DROP on the old name, CREATE and INSERT on the new.
    pub(crate) fn rename_checks(&self, pairs: &[(ObjectName, ObjectName)]) -> Vec<Check> {
        let who = self.acting();
        if who.is_root() {
            return vec![];
        }
        let walk = Walk {
            engine: self,
            columns: HashMap::new(),
            needs: vec![],
            wildcard: BTreeSet::new(),
        };
        let mut needs = Vec::new();
        for (from, to) in pairs {
            for (name, privileges) in [
                (from, [Privilege::Alter, Privilege::Drop]),
                (to, [Privilege::Create, Privilege::Insert]),
            ] {
                if let Some((db, table)) = walk.table_object(name) {
                    for privilege in privileges {
                        needs.push(Need {
                            privilege,
                            object: Object::Table {
                                db: db.clone(),
                                table: table.clone(),
                            },
                        });
                    }
                }
            }
        }
        needs
            .into_iter()
            .map(|need| Check {
                allowed: self.state.accounts.allows(&who, &need),
                need,
                wildcard: false,
            })
            .collect()
    }

    /// Fails with MySQL's error for the first need not met. Table needs are checked before
    /// column needs, as MySQL does.
    pub(crate) fn enforce(&self, checks: &[Check]) -> Result<(), SqlError> {
        let who = self.acting();
        let first = checks
            .iter()
            .filter(|c| c.allowed.is_none())
            .min_by_key(|c| matches!(c.need.object, Object::Column { .. }));
        match first {
            None => Ok(()),
            Some(c) => Err(self.denial(&who, &c.need, c.wildcard)),
        }
    }

    fn denial(&self, who: &AccountName, need: &Need, wildcard: bool) -> SqlError {
        let p = need.privilege;
        match &need.object {
            Object::Global => needs_global(who, p),
            Object::Database(db) => database_denied(who, db, Some(p)),
            Object::Table { db, table } => table_denied(who, p, db, table),
            Object::Column { db, table, column } => {
                if wildcard || !self.state.accounts.has_column_grants(who, p, db, table) {
                    return table_denied(who, p, db, table);
                }
                denied(
                    1143,
                    format!(
                        "{} command denied to user {} for column '{column}' in table '{table}'",
                        p.sql(),
                        who.quoted()
                    ),
                    format!(
                        "{} 계정에는 `{table}` 표의 `{column}` 열에 {} 권한이 없습니다",
                        who.quoted(),
                        p.sql()
                    ),
                    Some(column.clone()),
                    Some(format!(
                        "GRANT {} ({column}) ON {db}.{table} TO {}",
                        p.sql(),
                        who.quoted()
                    )),
                )
            }
        }
    }

    /// `USE db`, `SHOW TABLES FROM db`: the account must hold something in `db` (error 1044).
    pub(crate) fn require_any_in_database(&self, db: &str) -> Result<(), SqlError> {
        let who = self.acting();
        if self.state.accounts.any_in_database(&who, db) {
            Ok(())
        } else {
            Err(database_denied(&who, db, None))
        }
    }

    /// `DESCRIBE t`: the account must hold something on `t` (MySQL says SELECT, error 1142).
    pub(crate) fn require_any_on_table(&self, db: &str, table: &str) -> Result<(), SqlError> {
        let who = self.acting();
        if self.state.accounts.any_on_table(&who, db, table) {
            Ok(())
        } else {
            Err(table_denied(&who, Privilege::Select, db, table))
        }
    }

    /// Whether the acting account may see `db.table` in SHOW TABLES and the schema.
    pub(crate) fn may_see_table(&self, db: &str, table: &str) -> bool {
        self.state.accounts.any_on_table(&self.acting(), db, table)
    }

    /// Whether the acting account may see `db` in SHOW DATABASES.
    pub(crate) fn may_see_database(&self, db: &str) -> bool {
        self.state.accounts.any_in_database(&self.acting(), db)
    }
}

/// MySQL's error 1142.
fn table_denied(who: &AccountName, p: Privilege, db: &str, table: &str) -> SqlError {
    let verb_ko = match p {
        Privilege::Select => "읽을(SELECT)",
        Privilege::Insert => "행을 넣을(INSERT)",
        Privilege::Update => "고칠(UPDATE)",
        Privilege::Delete => "행을 지울(DELETE)",
        Privilege::Create => "만들(CREATE)",
        Privilege::Drop => "없앨(DROP)",
        Privilege::Alter => "구조를 바꿀(ALTER)",
        _ => "",
    };
    let ko = if verb_ko.is_empty() {
        format!(
            "{} 계정에는 `{db}`.`{table}` 표의 {} 권한이 없습니다",
            who.quoted(),
            p.sql()
        )
    } else {
        format!(
            "{} 계정에는 `{db}`.`{table}` 표를 {verb_ko} 권한이 없습니다",
            who.quoted()
        )
    };
    denied(
        1142,
        format!(
            "{} command denied to user {} for table `{db}`.`{table}`",
            p.sql(),
            who.quoted()
        ),
        ko,
        Some(table.to_owned()),
        Some(format!(
            "GRANT {} ON {db}.{table} TO {}",
            p.sql(),
            who.quoted()
        )),
    )
}
