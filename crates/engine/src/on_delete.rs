//! `FOREIGN KEY … ON DELETE CASCADE | SET NULL`, which GlueSQL lacks (it keeps the key and
//! RESTRICTs, InnoDB's default). The action is the layer's state, by the key's name; a DELETE
//! from a table that such a key references first finds the rows it will delete (its WHERE,
//! ORDER BY and LIMIT, read as MySQL reads them), then, key by key, deletes the rows that
//! reference them (CASCADE, which cascades further in turn) or sets their column to NULL
//! (SET NULL), and finally runs the DELETE itself, whose RESTRICT keys GlueSQL still checks.
//! Any failure on the way puts every table back: the statement changes nothing, as in MySQL.
//! As in MySQL, the rows affected are the DELETE's own, and a chain deeper than 15 is error
//! 3008.

use crate::convert::value_to_expr;
use crate::dialect::build;
use crate::error::SqlError;
use crate::{Engine, Executed};
use gluesql_core::data::Value;
use gluesql_core::executor::Payload;
use sqlnori_model::snapshot::DeleteAction;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Delete, Expr, FromTable, Ident, ObjectName, Query, SelectItem, Statement, TableFactor,
};

/// MySQL's limit on how deep cascading goes (`Foreign key cascade delete/update exceeds max
/// depth of 15`).
const MAX_DEPTH: usize = 15;

/// A key that acts on delete: the referencing table and column, the referenced column, and
/// what it does.
struct Acting {
    child: String,
    column: String,
    referenced_column: String,
    action: DeleteAction,
}

impl Engine {
    /// The DELETE's table, when a key with an action references it (so the DELETE must go
    /// through [`Engine::delete_with_actions`]).
    pub(crate) fn delete_acts(&self, delete: &Delete) -> Option<String> {
        if self.state.on_delete.is_empty() || !delete.tables.is_empty() {
            return None;
        }
        let from = match &delete.from {
            FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
        };
        let [only] = from.as_slice() else {
            return None;
        };
        if !only.joins.is_empty() {
            return None;
        }
        let TableFactor::Table { name, .. } = &only.relation else {
            return None;
        };
        let storage = self.resolver().resolve(name).ok()?.storage;
        (!self.acting_on(&storage).is_empty()).then_some(storage)
    }

    /// The keys with an action that reference `parent`.
    fn acting_on(&self, parent: &str) -> Vec<Acting> {
        let mut out = vec![];
        for (child, actions) in &self.state.on_delete {
            let Some(item) = self.storage.items.get(child) else {
                continue;
            };
            for fk in &item.schema.foreign_keys {
                if fk.referenced_table_name != parent {
                    continue;
                }
                if let Some(a) = actions.iter().find(|a| a.key == fk.name) {
                    out.push(Acting {
                        child: child.clone(),
                        column: fk.referencing_column_name.clone(),
                        referenced_column: fk.referenced_column_name.clone(),
                        action: a.action,
                    });
                }
            }
        }
        out
    }

    /// A DELETE from `storage`, which keys with an action reference.
    pub(crate) fn delete_with_actions(
        &mut self,
        delete: Delete,
        storage: &str,
        now: &str,
    ) -> Executed {
        let from = match &delete.from {
            FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t.clone(),
        };
        // The rows the DELETE will remove, as the learner's WHERE, ORDER BY and LIMIT pick them.
        let mut query = build::select_query(
            vec![SelectItem::Wildcard(Default::default())],
            from,
            delete.selection.clone(),
        );
        query.order_by = (!delete.order_by.is_empty()).then(|| sqlparser::ast::OrderBy {
            exprs: delete.order_by.clone(),
            interpolate: None,
        });
        query.limit = delete.limit.clone();
        let resolver = self.resolver();
        let (labels, rows) = self.run_query(query, &resolver, now)?;
        let saved = self.storage.items.clone();
        let outcome = self
            .act_on_delete(storage, &labels, &rows, 0)
            .and_then(|()| self.run_glue(Statement::Delete(delete), now));
        if outcome.is_err() {
            self.storage.items = saved;
        }
        outcome
    }

    /// Before `rows` of `parent` go: what each acting key does to the rows referencing them.
    fn act_on_delete(
        &mut self,
        parent: &str,
        labels: &[String],
        rows: &[Vec<Value>],
        depth: usize,
    ) -> Result<(), SqlError> {
        for key in self.acting_on(parent) {
            let Some(p) = labels
                .iter()
                .position(|l| l.eq_ignore_ascii_case(&key.referenced_column))
            else {
                continue;
            };
            let values = rows
                .iter()
                .filter_map(|r| r.get(p))
                .filter(|v| !v.is_null())
                .map(value_to_expr)
                .collect::<Result<Vec<_>, _>>()?;
            if values.is_empty() {
                continue;
            }
            let child = ObjectName(vec![Ident::with_quote('"', key.child.clone())]);
            let referencing = Expr::InList {
                expr: Box::new(build::column(&key.column)),
                list: values,
                negated: false,
            };
            match key.action {
                DeleteAction::SetNull => {
                    let set = sqlparser::ast::Assignment {
                        target: sqlparser::ast::AssignmentTarget::ColumnName(ObjectName(vec![
                            Ident::with_quote('`', key.column.clone()),
                        ])),
                        value: build::null(),
                    };
                    self.glue_execute(&build::update_where(child, vec![set], referencing))?;
                }
                DeleteAction::Cascade => {
                    let query: Query = build::select_query(
                        vec![SelectItem::Wildcard(Default::default())],
                        vec![build::from_table(child.clone())],
                        Some(referencing.clone()),
                    );
                    let (labels, rows) =
                        match self.glue_execute(&Statement::Query(Box::new(query)))? {
                            Payload::Select { labels, rows } => (labels, rows),
                            _ => continue,
                        };
                    if rows.is_empty() {
                        continue;
                    }
                    if depth >= MAX_DEPTH {
                        return Err(SqlError::Invalid(Localized::new(
                            "ON DELETE CASCADE가 15단계보다 깊이 이어집니다 (MySQL 오류 3008)",
                            "Foreign key cascade delete/update exceeds max depth of 15 (MySQL error 3008)",
                        )));
                    }
                    self.act_on_delete(&key.child, &labels, &rows, depth + 1)?;
                    self.glue_execute(&build::delete_where(child, referencing))?;
                }
            }
        }
        Ok(())
    }

    /// ` ON DELETE CASCADE` / ` ON DELETE SET NULL` for the key on `column` of `storage` (empty
    /// for RESTRICT), as SHOW CREATE TABLE and the dump write it.
    pub(crate) fn on_delete_clause(&self, storage: &str, column: &str) -> &'static str {
        let Some(item) = self.storage.items.get(storage) else {
            return "";
        };
        let action = item
            .schema
            .foreign_keys
            .iter()
            .filter(|fk| fk.referencing_column_name == column)
            .find_map(|fk| {
                self.state
                    .on_delete
                    .get(storage)?
                    .iter()
                    .find(|a| a.key == fk.name)
            });
        match action.map(|a| a.action) {
            Some(DeleteAction::Cascade) => " ON DELETE CASCADE",
            Some(DeleteAction::SetNull) => " ON DELETE SET NULL",
            None => "",
        }
    }

    /// Every table a DELETE from `parent` can change through keys with actions (their
    /// children's too), for the step-by-step view to say what else changed.
    pub(crate) fn acted_on_by_delete(&self, parent: &str) -> Vec<String> {
        let mut found: Vec<String> = vec![];
        let mut next = vec![parent.to_owned()];
        while let Some(table) = next.pop() {
            for key in self.acting_on(&table) {
                if key.child != parent && !found.contains(&key.child) {
                    found.push(key.child.clone());
                    next.push(key.child);
                }
            }
        }
        found
    }
}
