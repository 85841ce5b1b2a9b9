//! Tracing: running a statement so that every clause's intermediate rows are kept.
//!
//! This module holds the query level: CTEs (a recursive one logs each iteration), set
//! operations (each side a nested trace), queries the layer splits (window functions), and
//! uncorrelated subqueries (each traced on its own). A SELECT is traced clause by clause in
//! `select.rs` (FROM/JOIN in `from.rs`, GROUP BY and HAVING in `groups.rs`); a statement that
//! changes data shows its table before and after (`changes.rs`); `labels.rs` names the steps.
//! The answer the learner sees is the last stage of the very execution the steps show.

mod changes;
mod from;
mod groups;
mod labels;
mod plan;
mod select;

use crate::cte::{rename_labels, CteDef};
use crate::dialect::{self, build, NameResolver};
use crate::error::SqlError;
use crate::query::Rows;
use crate::window::group_key;
use crate::{Clock, Engine};
use gluesql_core::data::Value;
use labels::{
    cte_step, from_label, marked_table, push_order_limit, recursion_steps, result_step,
    select_label,
};
use sqlnori_model::split::ScriptStatement;
use sqlnori_model::trace::{Nested, RowMark, Stage, Step, Trace};
use sqlnori_model::{Localized, StatementResult};
use sqlparser::ast::{
    Expr, GroupByExpr, Query, Select, SelectItem, SetExpr, Statement, TableFactor,
};
use std::ops::ControlFlow;

/// Rows of one traced query.
type Traced = Result<Rows, SqlError>;

/// Most rows a FROM/JOIN stage reads for the steps: past it, the stage shows the first ones
/// and says so, and the later steps work on them (the answer itself is always the engine's),
/// so explaining a join of two big tables costs what is shown, not the cross product.
pub const TRACE_ROW_BOUND: usize = 20_000;

/// Runs `query` for a stage, reading at most [`TRACE_ROW_BOUND`] rows: the rows, and whether
/// there were more.
fn bounded(query: &mut Query) {
    query.limit = Some(build::num(TRACE_ROW_BOUND + 1));
}

/// The note of a stage cut at the bound.
fn cut_note() -> Localized {
    Localized::new(
        format!("행이 {TRACE_ROW_BOUND}개를 넘어 앞의 {TRACE_ROW_BOUND}개만 보여 주며, 이후 단계도 이 행들로 계산합니다. 실행 결과 자체는 엔진이 모든 행으로 계산한 것입니다."),
        format!("more than {TRACE_ROW_BOUND} rows: the first {TRACE_ROW_BOUND} are shown and the later steps work on them; the result itself is the engine's, computed on every row"),
    )
}

/// What the page is told about a statement that ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified {
    /// It may have changed the database or the session (see [`dialect::reads_only`]; text
    /// sqlparser cannot parse but that ran is one of the layer's own writing forms).
    pub wrote: bool,
    /// It has steps to show: a query, or a change to one table (its rows before and after).
    pub explainable: bool,
}

impl Classified {
    /// Text the parser does not read (an account statement, a form the layer reads itself).
    pub const UNPARSED: Classified = Classified {
        wrote: true,
        explainable: false,
    };
}

/// A statement refused before it ran: its error, and the steps that led there (`steps`).
fn refused(
    stmt: &ScriptStatement,
    e: crate::error::SqlError,
    steps: Vec<Step>,
) -> (StatementResult, Trace) {
    let mut trace = Trace::new(steps);
    trace.error = Some(e.localized());
    let result = StatementResult {
        sql: stmt.sql.clone(),
        span: stmt.span,
        outcome: Err(e.placed(stmt)),
        notes: vec![],
        warnings: vec![],
        elapsed_ms: 0.0,
    };
    (result, trace)
}

/// Classifies parsed statements.
pub(crate) fn classify_parsed(stmts: &[Statement]) -> Classified {
    Classified {
        wrote: !stmts.iter().all(dialect::reads_only),
        explainable: matches!(stmts, [Statement::Query(_)])
            || matches!(stmts, [s] if changes::change_target(s).is_some()),
    }
}

/// A recursive CTE's anchor and iterations, as logged while it runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecursionLog {
    pub labels: Vec<String>,
    pub anchor: Vec<Vec<Value>>,
    pub iterations: Vec<Vec<Vec<Value>>>,
}

impl Engine {
    /// The step-by-step view of one statement, run on this engine (the caller gives it the
    /// database as it was before the statement).
    pub fn explain(&mut self, stmt: &ScriptStatement, clock: &dyn Clock) -> Trace {
        self.trace_statement(stmt, clock).1
    }

    /// Runs one statement of a script and traces it. For a query, the result is the last
    /// stage of the trace.
    pub fn trace_statement(
        &mut self,
        stmt: &ScriptStatement,
        clock: &dyn Clock,
    ) -> (StatementResult, Trace) {
        let mut parsed = if crate::accounts::account_statement(&stmt.sql).is_some() {
            None
        } else {
            dialect::parse_mysql(&stmt.sql)
                .ok()
                .filter(|s| s.len() == 1)
                .and_then(|mut s| s.pop())
        };
        if let Some(p) = parsed.as_mut() {
            if let Err(e) = self.expand_natural(&stmt.sql, p) {
                return refused(stmt, e, vec![]);
            }
        }
        // Run by another account than root: the privilege check comes first, and a denial
        // ends the statement there.
        let checks = parsed
            .as_ref()
            .map(|p| self.privilege_checks(p))
            .unwrap_or_default();
        if checks.is_empty() {
            return self.trace_parsed(stmt, parsed, clock);
        }
        let step = privilege_step(&self.acting(), &checks);
        if let Err(e) = self.enforce(&checks) {
            return refused(stmt, e, vec![step]);
        }
        let (result, mut trace) = self.trace_parsed(stmt, parsed, clock);
        trace.steps.insert(0, step);
        (result, trace)
    }

    fn trace_parsed(
        &mut self,
        stmt: &ScriptStatement,
        parsed: Option<Statement>,
        clock: &dyn Clock,
    ) -> (StatementResult, Trace) {
        let started = clock.monotonic_ms();
        // A query MySQL 8 refuses (ONLY_FULL_GROUP_BY) has no steps to show: its error is the
        // lesson, as on the plain path.
        if let Some(Err(e)) = parsed.as_ref().map(|p| {
            crate::dialect::functions::refuse_non_mysql(p, &self.state.current_db)?;
            self.check_full_group_by(p)?;
            self.check_ambiguous(p)
        }) {
            return refused(stmt, e, vec![]);
        }
        let mut parsed = parsed;
        if let Some(p) = parsed.as_mut() {
            if let Err(e) = self.expand_rollup(&stmt.sql, p) {
                return refused(stmt, e, vec![]);
            }
        }
        match parsed {
            Some(Statement::Query(q)) if crate::dialect::into_variables(&q).is_none() => {
                let now = self.statement_now(clock);
                let mut trace = Trace::new(vec![]);
                let resolver = self.resolver();
                let declared = crate::result_types::declared(self, &q, &resolver);
                let outcome = self.trace_query(*q, &resolver, &now, &mut trace);
                let outcome = match outcome {
                    Ok(rows) => {
                        let mut output = crate::convert::rows_output(&rows);
                        crate::result_types::apply(&mut output, declared);
                        Ok(output)
                    }
                    Err(e) => {
                        trace.error = Some(e.localized());
                        Err(e.placed(stmt))
                    }
                };
                let result = StatementResult {
                    sql: stmt.sql.clone(),
                    span: stmt.span,
                    outcome,
                    notes: vec![],
                    warnings: vec![],
                    elapsed_ms: (clock.monotonic_ms() - started).max(0.0),
                };
                (result, trace)
            }
            Some(other) => self.trace_change(stmt, &other, clock),
            None => (self.run_statement(stmt, clock), Trace::new(vec![])),
        }
    }

    /// Traces a query, adding its steps to `trace`: its CTEs first, then its body.
    pub(crate) fn trace_query(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        if q.with.is_none() {
            return self.trace_body(q, scope, now, trace);
        }
        self.with_ctes(
            q,
            scope,
            trace,
            |engine, trace, cte, scope, temps| engine.trace_cte(cte, scope, now, temps, trace),
            |engine, trace, body, scope| engine.trace_body(body, scope, now, trace),
        )
    }

    /// One CTE as a step, its query (or its recursion) traced under it.
    fn trace_cte(
        &mut self,
        cte: CteDef,
        scope: &NameResolver,
        now: &str,
        temps: &mut Vec<String>,
        trace: &mut Trace,
    ) -> Traced {
        let name = cte.name.clone();
        let label = format!(
            "WITH {}{name} AS (…)",
            if cte.recursive { "RECURSIVE " } else { "" }
        );
        let mut nested = Trace::new(vec![]);
        let (labels, rows) = if cte.recursive {
            self.recursion_log = Some(RecursionLog::default());
            let outcome = self.run_recursive_cte(&name, &cte.columns, cte.query, scope, now, temps);
            let log = self.recursion_log.take().unwrap_or_default();
            recursion_steps(&name, &log, &mut nested, outcome.as_ref().err());
            match outcome {
                Ok(r) => r,
                Err(e) => {
                    trace
                        .steps
                        .push(cte_step(&label, &name, &[], vec![], nested));
                    return Err(e);
                }
            }
        } else {
            let (labels, rows) = self.trace_query(cte.query, scope, now, &mut nested)?;
            (rename_labels(&name, labels, &cte.columns)?, rows)
        };
        trace
            .steps
            .push(cte_step(&label, &name, &labels, rows.clone(), nested));
        Ok((labels, rows))
    }

    fn trace_body(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        match q.body.as_ref() {
            SetExpr::Select(sel) => {
                let sel = (**sel).clone();
                if crate::windowed::has_window(&sel)
                    || crate::windowed::orders_by_window(&q)
                    || has_view_or_derived_layer(&sel)
                {
                    return self.trace_layered(q, sel, scope, now, trace);
                }
                self.trace_select(q, sel, scope, now, trace)
            }
            SetExpr::SetOperation { .. } => self.trace_set(q, scope, now, trace),
            _ => {
                let rows = self.run_plain_query(q.clone(), scope, now)?;
                trace
                    .steps
                    .push(result_step(Stage::Select, &q.to_string(), &rows));
                Ok(rows)
            }
        }
    }

    /// `a UNION b …`: each side is a nested trace, then the combination, then the query's
    /// ORDER BY / LIMIT (run as the real query).
    fn trace_set(
        &mut self,
        q: Query,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let SetExpr::SetOperation {
            op,
            set_quantifier,
            left,
            right,
        } = q.body.as_ref()
        else {
            return self.run_plain_query(q, scope, now);
        };
        let mut nested = Vec::new();
        let mut sides = Vec::new();
        for (title, side) in [("1", left), ("2", right)] {
            let mut t = Trace::new(vec![]);
            let side_query = Query {
                body: side.clone(),
                ..build::empty_query()
            };
            let rows = self.trace_query(side_query, scope, now, &mut t)?;
            nested.push(Nested {
                title: format!("SELECT {title}"),
                trace: t,
            });
            sides.push(rows);
        }
        let all = matches!(set_quantifier, sqlparser::ast::SetQuantifier::All);
        let dedupe = matches!(op, sqlparser::ast::SetOperator::Union) && !all;
        let mut seen = std::collections::HashSet::new();
        let rows_marked: Vec<(Vec<Value>, RowMark)> = sides
            .iter()
            .flat_map(|(_, rows)| rows.iter())
            .map(|r| {
                let fresh = seen.insert(group_key(&r.iter().collect::<Vec<_>>()));
                let mark = if dedupe && !fresh {
                    RowMark::Duplicate
                } else {
                    RowMark::Kept
                };
                (r.clone(), mark)
            })
            .collect();
        let labels = sides.first().map(|(l, _)| l.clone()).unwrap_or_default();
        let mut step = Step::new(
            Stage::SetOperation,
            format!("{op}{}", if all { " ALL" } else { "" }),
            marked_table(&labels, &rows_marked),
        );
        step.nested = nested;
        trace.steps.push(step);
        // The combination's ORDER BY / LIMIT (and INTERSECT/EXCEPT) are the real query's.
        let result = self.run_plain_query(q.clone(), scope, now)?;
        push_order_limit(trace, &q, &result);
        Ok(result)
    }

    /// Queries the layer splits (window functions, RAND() over rows): FROM and WHERE are
    /// traced from a wide query; the window values, ORDER BY and LIMIT come from running the
    /// query itself without and with its ORDER BY / LIMIT.
    fn trace_layered(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
        trace: &mut Trace,
    ) -> Traced {
        let mut plain = sel.clone();
        plain.projection = vec![SelectItem::Wildcard(Default::default())];
        let source = Query {
            body: Box::new(SetExpr::Select(Box::new(plain))),
            ..build::empty_query()
        };
        if let Ok(rows) = self.run_plain_query(source, scope, now) {
            trace
                .steps
                .push(result_step(Stage::From, &from_label(&sel), &rows));
        }
        let unordered = Query {
            order_by: None,
            limit: None,
            offset: None,
            ..q.clone()
        };
        let rows = self.run_plain_query(unordered, scope, now)?;
        trace
            .steps
            .push(result_step(Stage::Window, &select_label(&sel), &rows));
        let result = self.run_plain_query(q.clone(), scope, now)?;
        push_order_limit(trace, &q, &result);
        Ok(result)
    }

    /// Uncorrelated subqueries in an expression, each traced on its own; a correlated one
    /// (it names the outer row) gets a note instead.
    fn trace_subqueries(
        &mut self,
        e: Option<&Expr>,
        scope: &NameResolver,
        now: &str,
    ) -> Vec<Nested> {
        let Some(e) = e else { return vec![] };
        let mut queries = Vec::new();
        let _ = crate::walk::exprs(e, |e: &Expr| {
            if let Expr::Subquery(q)
            | Expr::InSubquery { subquery: q, .. }
            | Expr::Exists { subquery: q, .. } = e
            {
                queries.push((**q).clone());
            }
            ControlFlow::<()>::Continue(())
        });
        let mut out = Vec::new();
        for q in queries.into_iter().take(4) {
            let title = q.to_string();
            let mut t = Trace::new(vec![]);
            if self.trace_query(q, scope, now, &mut t).is_err() {
                t = Trace::new(vec![]);
                t.note = Some(Localized::new(
                    "바깥 쿼리의 열을 쓰는 상관 서브쿼리라서 바깥 행마다 한 번씩 실행됩니다",
                    "a correlated subquery: it uses the outer row's columns, so it runs once per outer row",
                ));
            }
            out.push(Nested { title, trace: t });
        }
        out
    }

    fn trace_subqueries_in_items(
        &mut self,
        sel: &Select,
        scope: &NameResolver,
        now: &str,
    ) -> Vec<Nested> {
        let mut out = Vec::new();
        for item in &sel.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                out.extend(self.trace_subqueries(Some(e), scope, now));
            }
        }
        out
    }
}

/// True when a SELECT groups: GROUP BY, HAVING, or an aggregate in its select list.
fn is_grouped(sel: &Select) -> bool {
    matches!(&sel.group_by, GroupByExpr::Expressions(e, _) if !e.is_empty())
        || sel.having.is_some()
        || crate::query::projection_calls(sel, groups::is_aggregate_call)
}

/// Views and derived tables that need the layer are traced as layered queries.
fn has_view_or_derived_layer(sel: &Select) -> bool {
    sel.from.iter().any(|t| {
        std::iter::once(&t.relation)
            .chain(t.joins.iter().map(|j| &j.relation))
            .any(|r| matches!(r, TableFactor::Derived { subquery, .. } if crate::query::needs_layer(subquery)))
    })
}

/// The privilege check as a step: one row per need — the object, the privilege, the grant
/// that allowed it (kept) or that none did (marked as dropped).
fn privilege_step(
    who: &sqlnori_model::accounts::AccountName,
    checks: &[crate::privileges::Check],
) -> Step {
    use sqlnori_model::trace::{StageTable, TraceRow};
    use sqlnori_model::{Cell, Column};
    let column = |name: &str| Column {
        name: name.to_owned(),
        data_type: "TEXT".to_owned(),
    };
    let rows = checks
        .iter()
        .map(|c| TraceRow {
            cells: vec![
                Cell::Text(c.need.object.label()),
                Cell::Text(c.need.privilege.sql().to_owned()),
                Cell::Text(
                    c.allowed
                        .clone()
                        .unwrap_or_else(|| "없음 / none".to_owned()),
                ),
            ],
            mark: if c.allowed.is_some() {
                RowMark::Kept
            } else {
                RowMark::Denied
            },
            changed: vec![],
            was: None,
        })
        .collect();
    let table = StageTable::full(
        vec![
            column("대상 / object"),
            column("권한 / privilege"),
            column("허락한 GRANT / allowed by"),
        ],
        rows,
    );
    let mut step = Step::new(Stage::Privileges, who.quoted(), table);
    let denied = checks.iter().filter(|c| c.allowed.is_none()).count();
    step.note = Some(if denied == 0 {
        Localized::new(
            format!("필요한 권한 {}개가 모두 있습니다", checks.len()),
            match checks.len() {
                1 => "the one privilege needed is held".to_owned(),
                n => format!("all {n} privileges needed are held"),
            },
        )
    } else {
        Localized::new(
            format!(
                "필요한 권한 {}개 중 {denied}개가 없어 문장을 거부합니다",
                checks.len()
            ),
            format!(
                "{denied} of the {} privileges needed {} missing: the statement is refused",
                checks.len(),
                if denied == 1 { "is" } else { "are" }
            ),
        )
    });
    step
}
