//! FROM and JOIN, traced: derived tables each traced on their own, then FROM and every JOIN
//! before the last as a step of its own (the last comes with the wide query).

use super::labels::table_of;
use super::plan::SelectPlan;
use crate::dialect::{build, NameResolver};
use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::trace::{Nested, RowMark, Stage, Step, Trace};
use sqlparser::ast::{Ident, ObjectName, SelectItem, TableFactor, TableWithJoins};

impl Engine {
    /// Derived tables in FROM, each traced on its own (shown under the FROM step).
    pub(super) fn trace_derived_tables(
        &mut self,
        plan: &SelectPlan,
        scope: &NameResolver,
        now: &str,
    ) -> Vec<Nested> {
        let relations =
            std::iter::once(&plan.from.relation).chain(plan.from.joins.iter().map(|j| &j.relation));
        let mut out = Vec::new();
        for rel in relations {
            if let TableFactor::Derived {
                subquery, alias, ..
            } = rel
            {
                let mut t = Trace::new(vec![]);
                if self
                    .trace_query((**subquery).clone(), scope, now, &mut t)
                    .is_ok()
                {
                    out.push(Nested {
                        title: alias
                            .as_ref()
                            .map_or_else(String::new, |a| a.name.value.clone()),
                        trace: t,
                    });
                }
            }
        }
        out
    }

    /// FROM and each JOIN but the last, one step each (the last comes with the wide query).
    /// A stored table is read as it is stored (the order GlueSQL scans it in); a join so far
    /// is one more query.
    pub(super) fn trace_partial_joins(
        &mut self,
        plan: &SelectPlan,
        mut from_nested: Vec<Nested>,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Result<Vec<Nested>, SqlError> {
        let wide_labels = plan.wide_labels();
        for k in 0..plan.from.joins.len() {
            let upto: usize = plan.widths[..=k].iter().sum();
            let (stage, label) = if k == 0 {
                (Stage::From, format!("FROM {}", plan.from.relation))
            } else {
                (
                    Stage::Join,
                    plan.from.joins[k - 1].to_string().trim().to_owned(),
                )
            };
            let stored = match (k, &plan.from.relation) {
                (0, TableFactor::Table { name, .. }) => scope
                    .resolve(name)
                    .ok()
                    .and_then(|t| self.storage.items.get(&t.storage))
                    .map(|item| {
                        let rows: Vec<_> = item
                            .rows
                            .values()
                            .take(super::TRACE_ROW_BOUND + 1)
                            .collect();
                        (
                            table_of(&wide_labels[..upto], &rows, |_| RowMark::Kept),
                            rows.len(),
                        )
                    }),
                _ => None,
            };
            let table = match stored {
                Some(t) => t,
                None => {
                    let partial = TableWithJoins {
                        relation: plan.from.relation.clone(),
                        joins: plan.from.joins[..k].to_vec(),
                    };
                    let mut query =
                        build::select_query(plan.wide_items(k + 1), vec![partial], None);
                    super::bounded(&mut query);
                    let (_, rows) = self.run_plain_query(query, scope, now)?;
                    (
                        table_of(&wide_labels[..upto], &rows, |_| RowMark::Kept),
                        rows.len(),
                    )
                }
            };
            let (mut table, read) = table;
            let mut step = Step::new(stage, label, {
                if read > super::TRACE_ROW_BOUND {
                    table.rows.truncate(super::TRACE_ROW_BOUND);
                    table.total = super::TRACE_ROW_BOUND;
                }
                table
            });
            if read > super::TRACE_ROW_BOUND {
                step.note = Some(super::cut_note());
            }
            if k == 0 {
                step.nested = std::mem::take(&mut from_nested);
            }
            trace.steps.push(step);
        }
        // With no join, the derived tables' traces go under the one FROM step, made later.
        Ok(from_nested)
    }

    /// The column names of one relation of a FROM clause.
    pub(super) fn relation_columns(
        &mut self,
        rel: &TableFactor,
        alias: &str,
        from: &TableWithJoins,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Vec<String>, SqlError> {
        if let TableFactor::Table { name, .. } = rel {
            if let Ok(t) = scope.resolve(name) {
                if let Some(cols) = self.column_infos(&t.storage) {
                    return Ok(cols.into_iter().map(|c| c.name).collect());
                }
            }
        }
        // Anything else (a derived table, a view): ask for its columns.
        let item =
            SelectItem::QualifiedWildcard(ObjectName(vec![Ident::new(alias)]), Default::default());
        let mut query = build::select_query(vec![item], vec![from.clone()], None);
        query.limit = Some(build::num(0));
        let (labels, _) = self.run_plain_query(query, scope, now)?;
        Ok(labels)
    }
}
