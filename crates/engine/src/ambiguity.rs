//! MySQL's error 1052: a bare column name that two tables of the FROM both have (`SELECT name
//! FROM emp JOIN dept ON …` when both have a `name`). GlueSQL silently takes one of them, and
//! the step-by-step view would then teach an answer MySQL never gives; MySQL refuses the query
//! and asks for `emp.name`. The check reads the statement as written, scope by scope: a name
//! belongs to the innermost SELECT whose tables have it (a correlated subquery reaches out),
//! and it is ambiguous there when two of those tables have it. Only stored tables are known;
//! a derived table, a CTE or a view may hide any column, so a name that one of them might
//! hold is never called ambiguous by guesswork. Names a USING or NATURAL join merges, and
//! ORDER BY / GROUP BY / HAVING names that match a select item, are not ambiguous (MySQL reads
//! them that way).

use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::{korean, Localized};
use sqlparser::ast::{
    Expr, GroupByExpr, JoinConstraint, JoinOperator, Query, Select, SelectItem, SetExpr, Statement,
    TableFactor, Visitor,
};
use std::ops::ControlFlow;

/// One table of a scope: the name its columns are known by, and its columns (`None`: it may
/// hold any column).
struct Known {
    label: String,
    columns: Option<Vec<String>>,
}

/// One SELECT's tables and the names its joins merge.
struct Scope {
    tables: Vec<Known>,
    merged: Vec<String>,
    /// A NATURAL join merges the names the two sides share: nothing is checked there.
    natural: bool,
}

/// Queries nest at most this deep before the check stops looking (the dialect bounds them too).
const MAX_DEPTH: usize = 16;

impl Engine {
    /// Refuses a statement with a bare column name two of its tables have (MySQL's 1052).
    pub(crate) fn check_ambiguous(&self, stmt: &Statement) -> Result<(), SqlError> {
        match stmt {
            Statement::Query(q) => self.query_names(q, &mut vec![], &[], 0),
            Statement::Insert(ins) => match &ins.source {
                Some(q) => self.query_names(q, &mut vec![], &[], 0),
                None => Ok(()),
            },
            // A multi-table UPDATE or DELETE reads its join as a SELECT would.
            Statement::Update {
                table,
                assignments,
                selection,
                ..
            } if !table.joins.is_empty() => {
                let values = assignments
                    .iter()
                    .map(|a| SelectItem::UnnamedExpr(a.value.clone()))
                    .collect();
                let q = crate::dialect::build::select_query(
                    values,
                    vec![table.clone()],
                    selection.clone(),
                );
                self.query_names(&q, &mut vec![], &[], 0)
            }
            Statement::Delete(d) if !d.tables.is_empty() => {
                let from = match &d.from {
                    sqlparser::ast::FromTable::WithFromKeyword(t)
                    | sqlparser::ast::FromTable::WithoutKeyword(t) => t.clone(),
                };
                let q = crate::dialect::build::select_query(vec![], from, d.selection.clone());
                self.query_names(&q, &mut vec![], &[], 0)
            }
            _ => Ok(()),
        }
    }

    fn query_names(
        &self,
        q: &Query,
        outer: &mut Vec<Scope>,
        ctes: &[String],
        depth: usize,
    ) -> Result<(), SqlError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let mut ctes = ctes.to_vec();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                ctes.push(cte.alias.name.value.clone());
                self.query_names(&cte.query, outer, &ctes, depth + 1)?;
            }
        }
        let order: Vec<&Expr> = q
            .order_by
            .as_ref()
            .map(|o| o.exprs.iter().map(|e| &e.expr).collect())
            .unwrap_or_default();
        self.set_expr_names(&q.body, &order, outer, &ctes, depth)
    }

    fn set_expr_names(
        &self,
        body: &SetExpr,
        order: &[&Expr],
        outer: &mut Vec<Scope>,
        ctes: &[String],
        depth: usize,
    ) -> Result<(), SqlError> {
        match body {
            SetExpr::Select(sel) => self.select_names(sel, order, outer, ctes, depth),
            SetExpr::Query(q) => self.query_names(q, outer, ctes, depth + 1),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr_names(left, &[], outer, ctes, depth + 1)?;
                self.set_expr_names(right, &[], outer, ctes, depth + 1)
            }
            _ => Ok(()),
        }
    }

    fn select_names(
        &self,
        sel: &Select,
        order: &[&Expr],
        outer: &mut Vec<Scope>,
        ctes: &[String],
        depth: usize,
    ) -> Result<(), SqlError> {
        let resolver = self.resolver();
        let mut scope = Scope {
            tables: vec![],
            merged: vec![],
            natural: false,
        };
        let mut ons: Vec<&Expr> = vec![];
        for t in &sel.from {
            let factors = std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation));
            for factor in factors {
                match factor {
                    TableFactor::Table { name, alias, .. } => {
                        let written = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
                        let label = alias
                            .as_ref()
                            .map_or_else(|| written.clone(), |a| a.name.value.clone());
                        let is_cte = name.0.len() == 1
                            && ctes.iter().any(|c| c.eq_ignore_ascii_case(&written));
                        let columns = if is_cte {
                            None
                        } else {
                            resolver
                                .resolve(name)
                                .ok()
                                .and_then(|r| self.column_infos(&r.storage))
                                .map(|cs| cs.into_iter().map(|c| c.name).collect())
                        };
                        scope.tables.push(Known { label, columns });
                    }
                    TableFactor::Derived {
                        subquery, alias, ..
                    } => {
                        // A derived table sees the scopes outside this SELECT only (LATERAL aside).
                        self.query_names(subquery, outer, ctes, depth + 1)?;
                        scope.tables.push(Known {
                            label: alias
                                .as_ref()
                                .map(|a| a.name.value.clone())
                                .unwrap_or_default(),
                            columns: None,
                        });
                    }
                    _ => scope.tables.push(Known {
                        label: String::new(),
                        columns: None,
                    }),
                }
            }
            for join in &t.joins {
                let constraint = match &join.join_operator {
                    JoinOperator::Inner(c)
                    | JoinOperator::LeftOuter(c)
                    | JoinOperator::RightOuter(c)
                    | JoinOperator::FullOuter(c) => Some(c),
                    _ => None,
                };
                match constraint {
                    Some(JoinConstraint::On(e)) => ons.push(e),
                    Some(JoinConstraint::Using(names)) => {
                        scope.merged.extend(names.iter().map(|n| n.value.clone()))
                    }
                    Some(JoinConstraint::Natural) => scope.natural = true,
                    _ => {}
                }
            }
        }
        // Names ORDER BY, GROUP BY and HAVING may take from the select list.
        let selected: Vec<String> = sel
            .projection
            .iter()
            .filter_map(crate::dialect::build::item_name)
            .collect();
        outer.push(scope);
        let mut outcome = Ok(());
        let mut check = |e: &Expr, clause: Clause, selected: &[String]| -> Result<(), SqlError> {
            self.expr_names(e, clause, selected, outer, ctes, depth)
        };
        for item in &sel.projection {
            let e = match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                _ => continue,
            };
            outcome = outcome.and_then(|()| check(e, Clause::Select, &[]));
        }
        for e in ons {
            outcome = outcome.and_then(|()| check(e, Clause::On, &[]));
        }
        if let Some(w) = &sel.selection {
            outcome = outcome.and_then(|()| check(w, Clause::Where, &[]));
        }
        if let GroupByExpr::Expressions(exprs, _) = &sel.group_by {
            for e in exprs {
                outcome = outcome.and_then(|()| check(e, Clause::Group, &selected));
            }
        }
        if let Some(h) = &sel.having {
            outcome = outcome.and_then(|()| check(h, Clause::Having, &selected));
        }
        for e in order {
            outcome = outcome.and_then(|()| check(e, Clause::Order, &selected));
        }
        outer.pop();
        outcome
    }

    /// Checks the bare names of `e` in the innermost scope of `scopes`, and its subqueries
    /// each in a scope of its own.
    fn expr_names(
        &self,
        e: &Expr,
        clause: Clause,
        selected: &[String],
        scopes: &mut Vec<Scope>,
        ctes: &[String],
        depth: usize,
    ) -> Result<(), SqlError> {
        let mut found = Found::default();
        let _ = crate::walk::visit(e, &mut found);
        for name in &found.names {
            if selected.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                continue;
            }
            if let Some(tables) = ambiguous_in(scopes, name) {
                return Err(ambiguous(name, clause, &tables));
            }
        }
        for q in &found.subqueries {
            self.query_names(q, scopes, ctes, depth + 1)?;
        }
        Ok(())
    }
}

/// Where a name stands, as MySQL's message says it.
#[derive(Clone, Copy)]
enum Clause {
    Select,
    On,
    Where,
    Group,
    Having,
    Order,
}

/// The bare names of an expression outside its subqueries, and those subqueries.
#[derive(Default)]
struct Found {
    names: Vec<String>,
    subqueries: Vec<Query>,
    depth: usize,
}

impl Visitor for Found {
    type Break = ();

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if self.depth == 0 {
            self.subqueries.push(q.clone());
        }
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if let (0, Expr::Identifier(i)) = (self.depth, e) {
            self.names.push(i.value.clone());
        }
        ControlFlow::Continue(())
    }
}

/// The labels of the tables a bare `name` is ambiguous between, in the innermost scope
/// that may hold it; `None` when it is not ambiguous (or cannot be told).
fn ambiguous_in(scopes: &[Scope], name: &str) -> Option<Vec<String>> {
    for scope in scopes.iter().rev() {
        if scope.natural || scope.merged.iter().any(|m| m.eq_ignore_ascii_case(name)) {
            return None;
        }
        if scope.tables.iter().any(|t| t.columns.is_none()) {
            // An unknown table may hold it: this scope may be the one, and whether it is
            // ambiguous here cannot be told unless two known tables have it.
            let having = having(scope, name);
            return (having.len() > 1).then_some(having);
        }
        let having = having(scope, name);
        match having.len() {
            0 => continue,
            1 => return None,
            _ => return Some(having),
        }
    }
    None
}

fn having(scope: &Scope, name: &str) -> Vec<String> {
    scope
        .tables
        .iter()
        .filter(|t| {
            t.columns
                .as_ref()
                .is_some_and(|cs| cs.iter().any(|c| c.eq_ignore_ascii_case(name)))
        })
        .map(|t| t.label.clone())
        .collect()
}

fn ambiguous(name: &str, clause: Clause, tables: &[String]) -> SqlError {
    let (ko_clause, en_clause) = match clause {
        Clause::Select => ("SELECT 목록", "field list"),
        Clause::On => ("ON 조건", "on clause"),
        Clause::Where => ("WHERE 조건", "where clause"),
        Clause::Group => ("GROUP BY", "group statement"),
        Clause::Having => ("HAVING 조건", "having clause"),
        Clause::Order => ("ORDER BY", "order clause"),
    };
    let listed: Vec<String> = tables.iter().map(|t| format!("`{t}`")).collect();
    let first = tables.first().cloned().unwrap_or_default();
    crate::error::explained(
        "ambiguous",
        Localized::new(
            format!(
                "{}의 열 {} 여러 표({})에 있어 어느 표의 것인지 모호합니다 (MySQL 오류 1052).",
                ko_clause,
                korean::eun(&format!("`{name}`")),
                listed.join(", ")
            ),
            format!("Column '{name}' in {en_clause} is ambiguous (MySQL error 1052)."),
        ),
        Some(name.to_owned()),
        Some(Localized::new(
            format!("표 이름(또는 별칭)을 붙여 어느 표의 열인지 밝히세요. 예: {first}.{name}"),
            format!("say which table's column it is with the table's name or alias, as in {first}.{name}"),
        )),
    )
}
