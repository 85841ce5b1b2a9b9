//! MySQL 8's `ONLY_FULL_GROUP_BY`, on by default there: a grouped query may show a column
//! only when each group has one value of it — the column is grouped by, sits inside an
//! aggregate, or depends on a primary key that is grouped by. Anything else is refused with
//! MySQL's error 1055 (1140 for an aggregate query without GROUP BY), because the value shown
//! would be any row's, which the step-by-step view would otherwise teach as if it meant
//! something. `ANY_VALUE(x)` says "any row's value is fine", as in MySQL.
//!
//! The check reads the statement as the learner wrote it (before the dialect's rewrites), so
//! the error names the column as written.

use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::korean;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Query, Select, SelectItem,
    SetExpr, Statement, TableFactor,
};

/// A table of a SELECT's FROM: the name it is known by, and its stored columns (`None` for
/// a derived table, a CTE or a view: no primary key is known for it).
struct FromTable {
    name: String,
    columns: Option<Vec<sqlnori_model::schema::ColumnInfo>>,
}

impl Engine {
    /// Refuses a query that breaks ONLY_FULL_GROUP_BY (every SELECT in it, subqueries too).
    pub(crate) fn check_full_group_by(&self, stmt: &Statement) -> Result<(), SqlError> {
        let query = match stmt {
            Statement::Query(q) => q.as_ref(),
            Statement::Insert(ins) => match &ins.source {
                Some(q) => q.as_ref(),
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
        self.check_query(query, 0)
    }

    fn check_query(&self, q: &Query, depth: usize) -> Result<(), SqlError> {
        // Queries nest at most 16 deep (the dialect's bound); past it, nothing more is checked.
        if depth > 16 {
            return Ok(());
        }
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                self.check_query(&cte.query, depth + 1)?;
            }
        }
        let order_by: Vec<&Expr> = q
            .order_by
            .as_ref()
            .map(|o| o.exprs.iter().map(|e| &e.expr).collect())
            .unwrap_or_default();
        self.check_set_expr(&q.body, &order_by, depth)
    }

    fn check_set_expr(
        &self,
        body: &SetExpr,
        order_by: &[&Expr],
        depth: usize,
    ) -> Result<(), SqlError> {
        match body {
            SetExpr::Select(sel) => self.check_select(sel, order_by, depth),
            SetExpr::Query(q) => self.check_query(q, depth + 1),
            SetExpr::SetOperation { left, right, .. } => {
                self.check_set_expr(left, &[], depth + 1)?;
                self.check_set_expr(right, &[], depth + 1)
            }
            _ => Ok(()),
        }
    }

    fn check_select(&self, sel: &Select, order_by: &[&Expr], depth: usize) -> Result<(), SqlError> {
        // Subqueries in FROM are queries of their own.
        for t in &sel.from {
            for f in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
                if let TableFactor::Derived { subquery, .. } = f {
                    self.check_query(subquery, depth + 1)?;
                }
            }
        }
        let group: Vec<&Expr> = match &sel.group_by {
            GroupByExpr::Expressions(exprs, _) => exprs.iter().collect(),
            GroupByExpr::All(_) => return Ok(()),
        };
        let items: Vec<(&Expr, Option<&str>)> = sel
            .projection
            .iter()
            .filter_map(|item| match item {
                SelectItem::UnnamedExpr(e) => Some((e, None)),
                SelectItem::ExprWithAlias { expr, alias } => {
                    Some((expr, Some(alias.value.as_str())))
                }
                _ => None,
            })
            .collect();
        let has_wildcard = sel.projection.iter().any(|i| {
            matches!(
                i,
                SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
            )
        });
        // MySQL's 3065: SELECT DISTINCT sorted by a column it does not show (which of the
        // merged rows' values would sort?).
        if matches!(sel.distinct, Some(sqlparser::ast::Distinct::Distinct)) && !has_wildcard {
            if let Some((position, column)) = distinct_order_outside(&items, order_by) {
                return Err(distinct_order(position, &column));
            }
        }
        let windowed = items.iter().any(|(e, _)| has_window(e));
        let aggregated = items.iter().any(|(e, _)| has_aggregate(e))
            || sel.having.as_ref().is_some_and(has_aggregate)
            || order_by.iter().any(|e| has_aggregate(e));
        if windowed || (group.is_empty() && !aggregated) {
            return Ok(());
        }
        // GROUP BY an alias or a position stands for that select item.
        let grouped: Vec<&Expr> = group
            .iter()
            .map(|g| match g {
                Expr::Identifier(i) => items
                    .iter()
                    .find(|(_, a)| a.is_some_and(|a| a.eq_ignore_ascii_case(&i.value)))
                    .map_or(*g, |(e, _)| *e),
                Expr::Value(sqlparser::ast::Value::Number(n, _)) => n
                    .to_string()
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| items.get(k.wrapping_sub(1)))
                    .map_or(*g, |(e, _)| *e),
                other => other,
            })
            .collect();
        let tables = self.tables_of_from(sel);
        let check = Grouping {
            grouped: &grouped,
            tables: &tables,
        };
        for (position, (e, _)) in items.iter().enumerate() {
            if let Some(column) = check.loose_column(e) {
                return Err(not_grouped(position + 1, &column, group.is_empty()));
            }
        }
        if has_wildcard {
            if let Some(column) = check.loose_wildcard() {
                return Err(not_grouped(1, &column, group.is_empty()));
            }
        }
        let aliases: Vec<&str> = items.iter().filter_map(|(_, a)| *a).collect();
        for (k, e) in order_by.iter().enumerate() {
            // ORDER BY a select alias or a position sorts by what was already checked.
            let named = matches!(e, Expr::Identifier(i) if aliases.iter().any(|a| a.eq_ignore_ascii_case(&i.value)));
            let positional = matches!(e, Expr::Value(sqlparser::ast::Value::Number(..)));
            if !named && !positional {
                if let Some(column) = check.loose_column(e) {
                    return Err(order_not_grouped(k + 1, &column));
                }
            }
        }
        Ok(())
    }

    /// The tables of a SELECT's FROM, by the names its expressions use.
    fn tables_of_from(&self, sel: &Select) -> Vec<FromTable> {
        let resolver = self.resolver();
        let mut out = Vec::new();
        for t in &sel.from {
            for f in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
                match f {
                    TableFactor::Table { name, alias, .. } => {
                        let shown = alias.as_ref().map_or_else(
                            || name.0.last().map(|i| i.value.clone()).unwrap_or_default(),
                            |a| a.name.value.clone(),
                        );
                        let columns = resolver
                            .resolve(name)
                            .ok()
                            .and_then(|r| self.column_infos(&r.storage));
                        out.push(FromTable {
                            name: shown,
                            columns,
                        });
                    }
                    TableFactor::Derived { alias, .. } => out.push(FromTable {
                        name: alias
                            .as_ref()
                            .map(|a| a.name.value.clone())
                            .unwrap_or_default(),
                        columns: None,
                    }),
                    _ => {}
                }
            }
        }
        out
    }
}

/// What a grouped SELECT groups by, and the tables behind its columns.
struct Grouping<'a> {
    grouped: &'a [&'a Expr],
    tables: &'a [FromTable],
}

impl Grouping<'_> {
    /// The first column of `e` that has more than one value per group, as written.
    fn loose_column(&self, e: &Expr) -> Option<String> {
        if self.is_grouped_expr(e) {
            return None;
        }
        match e {
            // A user variable (`@x`) has one value for the whole statement.
            Expr::Identifier(i) if i.value.starts_with('@') => None,
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                (!self.column_is_grouped(e)).then(|| e.to_string())
            }
            Expr::Function(f) if f.over.is_none() && is_aggregate_name(&f.name.to_string()) => None,
            Expr::Function(f) => match &f.args {
                FunctionArguments::List(list) => list.args.iter().find_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } => self.loose_column(e),
                    _ => None,
                }),
                _ => None,
            },
            Expr::Subquery(_) | Expr::Exists { .. } => None,
            Expr::InSubquery { expr, .. } => self.loose_column(expr),
            Expr::BinaryOp { left, right, .. } => {
                self.loose_column(left).or_else(|| self.loose_column(right))
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr) => self.loose_column(expr),
            Expr::Between {
                expr, low, high, ..
            } => self
                .loose_column(expr)
                .or_else(|| self.loose_column(low))
                .or_else(|| self.loose_column(high)),
            Expr::InList { expr, list, .. } => self
                .loose_column(expr)
                .or_else(|| list.iter().find_map(|e| self.loose_column(e))),
            Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => self
                .loose_column(expr)
                .or_else(|| self.loose_column(pattern)),
            Expr::Case {
                operand,
                conditions,
                results,
                else_result,
            } => operand
                .as_deref()
                .and_then(|o| self.loose_column(o))
                .or_else(|| conditions.iter().find_map(|c| self.loose_column(c)))
                .or_else(|| results.iter().find_map(|r| self.loose_column(r)))
                .or_else(|| else_result.as_deref().and_then(|e| self.loose_column(e))),
            _ => None,
        }
    }

    /// `SELECT *` in a grouped query: every column of every table must be grouped.
    fn loose_wildcard(&self) -> Option<String> {
        for t in self.tables {
            let Some(columns) = &t.columns else { continue };
            for c in columns {
                let e = Expr::CompoundIdentifier(vec![
                    sqlparser::ast::Ident::new(t.name.clone()),
                    sqlparser::ast::Ident::new(c.name.clone()),
                ]);
                if !self.column_is_grouped(&e) {
                    return Some(format!("{}.{}", t.name, c.name));
                }
            }
        }
        None
    }

    fn is_grouped_expr(&self, e: &Expr) -> bool {
        let text = normalise(e);
        self.grouped.iter().any(|g| normalise(g) == text)
    }

    /// A column is grouped when GROUP BY names it, or names its table's primary key.
    fn column_is_grouped(&self, e: &Expr) -> bool {
        let (table, column) = split(e);
        let same = |g: &Expr| {
            let (gt, gc) = split(g);
            gc.eq_ignore_ascii_case(&column)
                && match (&table, &gt) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => true,
                }
        };
        if self.grouped.iter().any(|g| same(g)) {
            return true;
        }
        // Functional dependency on a primary key: GROUP BY students.id decides the rest of
        // the student's row.
        let Some(owner) = self.table_of(table.as_deref(), &column) else {
            return false;
        };
        let Some(columns) = &owner.columns else {
            return false;
        };
        let keys: Vec<&str> = columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.as_str())
            .collect();
        !keys.is_empty()
            && keys.iter().all(|k| {
                self.grouped.iter().any(|g| {
                    let (gt, gc) = split(g);
                    gc.eq_ignore_ascii_case(k)
                        && self
                            .table_of(gt.as_deref(), &gc)
                            .is_some_and(|t| t.name.eq_ignore_ascii_case(&owner.name))
                })
            })
    }

    /// The FROM table a column belongs to: the one its qualifier names, else the one table
    /// that has a column of that name.
    fn table_of(&self, qualifier: Option<&str>, column: &str) -> Option<&FromTable> {
        match qualifier {
            Some(q) => self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(q)),
            None => self.tables.iter().find(|t| {
                t.columns
                    .as_ref()
                    .is_some_and(|cs| cs.iter().any(|c| c.name.eq_ignore_ascii_case(column)))
            }),
        }
    }
}

/// `(qualifier, column)` of a column reference (`name`, `s.name`, `db.s.name`).
fn split(e: &Expr) -> (Option<String>, String) {
    match e {
        Expr::Identifier(i) => (None, i.value.clone()),
        Expr::CompoundIdentifier(parts) => {
            let column = parts.last().map(|p| p.value.clone()).unwrap_or_default();
            let table = parts.len().checked_sub(2).map(|i| parts[i].value.clone());
            (table, column)
        }
        other => (None, other.to_string()),
    }
}

fn normalise(e: &Expr) -> String {
    e.to_string().to_lowercase().replace([' ', '`'], "")
}

fn is_aggregate_name(name: &str) -> bool {
    sqlnori_model::catalog::is_aggregate(name) || name.eq_ignore_ascii_case("ANY_VALUE")
}

/// Whether `e` aggregates in the query it belongs to (not inside a subquery of its own).
fn has_aggregate(e: &Expr) -> bool {
    crate::walk::calls_outside_subqueries(e, &|f| {
        f.over.is_none() && is_aggregate_name(&f.name.to_string())
    })
}

fn has_window(e: &Expr) -> bool {
    let mut found = false;
    let _ = crate::walk::exprs(e, |e: &Expr| {
        if matches!(e, Expr::Function(f) if f.over.is_some()) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

fn not_grouped(position: usize, column: &str, no_group_by: bool) -> SqlError {
    let hint = Some(Localized::new(
        format!("{} GROUP BY에 넣거나, MAX({column})처럼 집계하거나, 아무 행의 값이라도 괜찮다면 ANY_VALUE({column})로 쓰세요", korean::eul(&format!("`{column}`"))),
        format!("add `{column}` to GROUP BY, aggregate it (MAX({column})), or write ANY_VALUE({column}) if any row's value will do"),
    ));
    let (ko, en) = if no_group_by {
        (
            format!("집계 함수만으로 행을 하나로 묶었는데 SELECT {position}번째 식의 `{column}`은 묶이지 않았습니다: 행마다 값이 달라 어느 것을 보일지 정할 수 없습니다 (MySQL 오류 1140)"),
            format!("In aggregated query without GROUP BY, expression #{position} of SELECT list contains nonaggregated column '{column}'; this is incompatible with sql_mode=only_full_group_by (MySQL error 1140)"),
        )
    } else {
        (
            format!("SELECT {position}번째 식의 {} GROUP BY에 없고 집계되지도 않았습니다: 한 그룹에 값이 여럿일 수 있어 어느 것을 보일지 정할 수 없습니다 (MySQL 오류 1055)", korean::eun(&format!("`{column}`"))),
            format!("Expression #{position} of SELECT list is not in GROUP BY clause and contains nonaggregated column '{column}' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by (MySQL error 1055)"),
        )
    };
    crate::error::explained(
        "not_grouped",
        Localized::new(ko, en),
        Some(column.to_owned()),
        hint,
    )
}

/// The first `ORDER BY` column (1-based position, name) of a `SELECT DISTINCT` that is not
/// one of its items (by column name or alias). Only plain columns are judged: an expression
/// is left to the engine.
fn distinct_order_outside(
    items: &[(&Expr, Option<&str>)],
    order_by: &[&Expr],
) -> Option<(usize, String)> {
    let last = |e: &Expr| match e {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()),
        _ => None,
    };
    order_by.iter().enumerate().find_map(|(k, e)| {
        let name = last(e)?;
        let shown = items.iter().any(|(item, alias)| {
            alias.is_some_and(|a| a.eq_ignore_ascii_case(&name))
                || last(item).is_some_and(|n| n.eq_ignore_ascii_case(&name))
        });
        (!shown).then(|| (k + 1, e.to_string()))
    })
}

fn distinct_order(position: usize, column: &str) -> SqlError {
    crate::error::explained(
        "not_grouped",
        Localized::new(
            format!("ORDER BY {position}번째 식의 {} SELECT 목록에 없습니다: DISTINCT가 합친 행들의 값이 서로 다를 수 있어 무엇으로 정렬할지 정할 수 없습니다 (MySQL 오류 3065)", korean::i(&format!("`{column}`"))),
            format!("Expression #{position} of ORDER BY clause is not in SELECT list, references column '{column}' which is not in SELECT list; this is incompatible with DISTINCT (MySQL error 3065)"),
        ),
        Some(column.to_owned()),
        Some(Localized::new(
            format!("{} SELECT 목록에 넣거나, GROUP BY와 MIN({column})처럼 집계해서 정렬하세요", korean::eul(&format!("`{column}`"))),
            format!("add `{column}` to the SELECT list, or GROUP BY and sort by an aggregate such as MIN({column})"),
        )),
    )
}

fn order_not_grouped(position: usize, column: &str) -> SqlError {
    crate::error::explained(
        "not_grouped",
        Localized::new(
            format!("ORDER BY {position}번째 식의 {} GROUP BY에 없고 집계되지도 않았습니다 (MySQL 오류 1055)", korean::eun(&format!("`{column}`"))),
            format!("Expression #{position} of ORDER BY clause is not in GROUP BY clause and contains nonaggregated column '{column}' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by (MySQL error 1055)"),
        ),
        Some(column.to_owned()),
        Some(Localized::new(
            format!("{} GROUP BY에 넣거나 MAX({column})처럼 집계해서 정렬하세요", korean::eul(&format!("`{column}`"))),
            format!("add `{column}` to GROUP BY, or sort by an aggregate such as MAX({column})"),
        )),
    )
}
