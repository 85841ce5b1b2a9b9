//! MySQL's `NATURAL [LEFT | RIGHT] JOIN`, which GlueSQL lacks: the join on every column the two
//! tables share, written out as `USING (…)` (which the layer then spells as ON) before anything
//! else reads the statement. Two tables with no column in common make a cross join, as in
//! MySQL. The shared columns are found with the table before it in the FROM (as USING is); a
//! derived table's columns are those its select list names.

use super::ColumnsOfTable;
use crate::error::SqlError;
use sqlparser::ast::{
    Ident, JoinConstraint, JoinOperator, Query, SetExpr, Statement, TableFactor, VisitorMut,
};
use std::ops::ControlFlow;

/// Rewrites every NATURAL join of `stmt` as a join `USING` the shared columns.
pub fn expand(stmt: &mut Statement, columns_of: &ColumnsOfTable<'_>) -> Result<(), SqlError> {
    struct Expand<'a, 'b>(&'a ColumnsOfTable<'b>);
    impl VisitorMut for Expand<'_, '_> {
        type Break = SqlError;
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<SqlError> {
            if let SetExpr::Select(sel) = q.body.as_mut() {
                for t in &mut sel.from {
                    for i in 0..t.joins.len() {
                        let left = if i == 0 {
                            &t.relation
                        } else {
                            &t.joins[i - 1].relation
                        };
                        let left = table_columns(left, self.0);
                        let right = table_columns(&t.joins[i].relation, self.0);
                        if let JoinOperator::Inner(c)
                        | JoinOperator::LeftOuter(c)
                        | JoinOperator::RightOuter(c) = &mut t.joins[i].join_operator
                        {
                            if *c != JoinConstraint::Natural {
                                continue;
                            }
                            let (Some(left), Some(right)) = (left, right) else {
                                return ControlFlow::Break(SqlError::Unsupported {
                                    feature: sqlnori_model::Localized::new(
                                        "열 이름을 알 수 없는 것과의 NATURAL JOIN (SELECT * 서브쿼리 등)",
                                        "NATURAL JOIN with something whose columns are not named (a SELECT * subquery, …)",
                                    ),
                                    hint: Some(sqlnori_model::Localized::new(
                                        "JOIN … USING (열)로 쓰세요",
                                        "write JOIN … USING (column)",
                                    )),
                                });
                            };
                            let shared: Vec<Ident> = left
                                .iter()
                                .filter(|l| right.iter().any(|r| r.eq_ignore_ascii_case(l)))
                                .map(|l| Ident::new(l.clone()))
                                .collect();
                            *c = if shared.is_empty() {
                                JoinConstraint::None
                            } else {
                                JoinConstraint::Using(shared)
                            };
                        }
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    match crate::walk::visit_mut(stmt, &mut Expand(columns_of)) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// A FROM item's columns: a stored table's, or a derived table's when its select list names
/// them (`None` for `SELECT *` or anything else).
fn table_columns(tf: &TableFactor, columns_of: &ColumnsOfTable<'_>) -> Option<Vec<String>> {
    match tf {
        TableFactor::Table { name, .. } => columns_of(name),
        TableFactor::Derived {
            subquery, alias, ..
        } => {
            if let Some(a) = alias.as_ref().filter(|a| !a.columns.is_empty()) {
                return Some(a.columns.iter().map(|c| c.value.clone()).collect());
            }
            let SetExpr::Select(sel) = subquery.body.as_ref() else {
                return None;
            };
            sel.projection.iter().map(super::build::item_name).collect()
        }
        _ => None,
    }
}
