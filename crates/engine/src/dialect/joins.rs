//! Inner joins planned for GlueSQL's hash joins. GlueSQL joins by nested loops over the whole
//! cross product unless a join's `ON` holds an equality between the new table and the tables
//! before it (then it hashes), and it filters with WHERE only after every join. So a join
//! written the old way, `FROM t1, t9, t6 WHERE a1 = d9 AND …`, never finished.
//!
//! For a FROM whose joins are all inner (comma, CROSS, INNER), every condition of WHERE and
//! ON is moved to the first join where all the tables it names are there: a condition on one
//! table filters that table as it is read, an equality between tables becomes the hash key.
//! When the written order leaves a table with no equality to the tables before it, the tables
//! are taken in an order that has one (a `*` keeps the written column order). Only
//! conditions whose tables are certain move: one naming an unknown or ambiguous column, a
//! subquery or `RAND()` stays in WHERE.

use super::build::factor_alias;
use sqlparser::ast::{
    BinaryOperator, Expr, Ident, Join, JoinConstraint, JoinOperator, ObjectName, Select,
    SelectItem, TableFactor, TableWithJoins, Value,
};
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// The lower-case column names of a relation of FROM, when they are known.
pub type ColumnsOf<'a> = dyn Fn(&TableFactor) -> Option<Vec<String>> + 'a;

/// Which relations (by position in FROM) a condition names; `None`: not certain.
type Refs = Option<BTreeSet<usize>>;

/// Plans the inner joins of `sel` (already normalised to one chain of joins).
pub fn plan_inner_joins(sel: &mut Select, columns_of: &ColumnsOf<'_>) {
    let [from] = sel.from.as_slice() else {
        return;
    };
    if from.joins.is_empty()
        || !from
            .joins
            .iter()
            .all(|j| matches!(&j.join_operator, JoinOperator::Inner(JoinConstraint::On(_))))
    {
        return;
    }
    let relations: Vec<TableFactor> = std::iter::once(from.relation.clone())
        .chain(from.joins.iter().map(|j| j.relation.clone()))
        .collect();
    let Some(aliases) = relations
        .iter()
        .map(factor_alias)
        .collect::<Option<Vec<String>>>()
    else {
        return;
    };
    let Some(columns) = relations
        .iter()
        .map(columns_of)
        .collect::<Option<Vec<Vec<String>>>>()
    else {
        return;
    };
    let mut conditions = Vec::new();
    for j in &from.joins {
        if let JoinOperator::Inner(JoinConstraint::On(on)) = &j.join_operator {
            split_and(on.clone(), &mut conditions);
        }
    }
    if let Some(w) = sel.selection.take() {
        split_and(w, &mut conditions);
    }
    conditions.retain(|c| !matches!(c, Expr::Value(Value::Boolean(true))));
    let refs: Vec<Refs> = conditions
        .iter()
        .map(|c| refs_of(c, &aliases, &columns))
        .collect();
    let order = join_order(relations.len(), &conditions, &refs);
    let position: Vec<usize> = (0..relations.len())
        .map(|r| order.iter().position(|o| *o == r).unwrap_or(0))
        .collect();
    let mut on: Vec<Vec<Expr>> = vec![vec![]; relations.len()];
    let mut stay = Vec::new();
    for (c, r) in conditions.into_iter().zip(refs) {
        match r.and_then(|r| r.iter().map(|&i| position[i]).max()) {
            Some(p) if p > 0 => on[p].push(c),
            _ => stay.push(c),
        }
    }
    let reordered = order.iter().enumerate().any(|(i, o)| i != *o);
    if reordered {
        spell_out_wildcard(sel, &aliases);
    }
    let mut joins = Vec::new();
    for (p, &r) in order.iter().enumerate().skip(1) {
        let condition =
            and_all(std::mem::take(&mut on[p])).unwrap_or(Expr::Value(Value::Boolean(true)));
        joins.push(Join {
            relation: relations[r].clone(),
            global: false,
            join_operator: JoinOperator::Inner(JoinConstraint::On(condition)),
        });
    }
    sel.from = vec![TableWithJoins {
        relation: relations[order[0]].clone(),
        joins,
    }];
    sel.selection = and_all(stay);
}

/// The order the tables are joined in: as written when each table has an equality with the
/// ones before it; else, each next table the first (in written order) that has one, or the
/// first left when none has.
fn join_order(n: usize, conditions: &[Expr], refs: &[Refs]) -> Vec<usize> {
    let links = |placed: &[usize], next: usize| {
        conditions.iter().zip(refs).any(|(c, r)| {
            let Some(r) = r else { return false };
            is_equality(c)
                && r.contains(&next)
                && r.iter().any(|i| placed.contains(i))
                && r.iter().all(|i| *i == next || placed.contains(i))
        })
    };
    let written: Vec<usize> = (0..n).collect();
    if (1..n).all(|k| links(&written[..k], k)) {
        return written;
    }
    let mut placed = vec![0];
    let mut left: Vec<usize> = (1..n).collect();
    while !left.is_empty() {
        let pick = left.iter().position(|&t| links(&placed, t)).unwrap_or(0);
        placed.push(left.remove(pick));
    }
    placed
}

fn is_equality(e: &Expr) -> bool {
    matches!(
        e,
        Expr::BinaryOp {
            op: BinaryOperator::Eq,
            ..
        }
    )
}

/// The relations a condition names: by qualifier, or by the one relation that has an
/// unqualified column. Anything uncertain (an unknown or ambiguous name, a subquery, RAND())
/// is `None`.
fn refs_of(e: &Expr, aliases: &[String], columns: &[Vec<String>]) -> Refs {
    let mut refs = BTreeSet::new();
    let mut certain = true;
    let _ = crate::walk::exprs(e, |e: &Expr| {
        let found = match e {
            Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. } => None,
            Expr::Function(f) if super::build::func_name(f) == "RAND" => None,
            Expr::CompoundIdentifier(parts) if parts.len() == 2 => aliases
                .iter()
                .position(|a| a.eq_ignore_ascii_case(&parts[0].value)),
            Expr::CompoundIdentifier(_) => None,
            Expr::Identifier(i) => {
                let name = i.value.to_lowercase();
                let mut owners = columns
                    .iter()
                    .enumerate()
                    .filter(|(_, cols)| cols.contains(&name));
                match (owners.next(), owners.next()) {
                    (Some((r, _)), None) => Some(r),
                    _ => None,
                }
            }
            _ => return ControlFlow::Continue(()),
        };
        match found {
            Some(r) => {
                refs.insert(r);
                ControlFlow::Continue(())
            }
            None => {
                certain = false;
                ControlFlow::Break(())
            }
        }
    });
    certain.then_some(refs)
}

/// `a AND b AND c` as its parts (iteratively: the chain may be long).
fn split_and(e: Expr, out: &mut Vec<Expr>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => {
                stack.push(*right);
                stack.push(*left);
            }
            Expr::Nested(inner)
                if matches!(
                    *inner,
                    Expr::BinaryOp {
                        op: BinaryOperator::And,
                        ..
                    }
                ) =>
            {
                stack.push(*inner)
            }
            other => out.push(other),
        }
    }
}

fn and_all(parts: Vec<Expr>) -> Option<Expr> {
    parts.into_iter().reduce(|a, b| Expr::BinaryOp {
        left: Box::new(a),
        op: BinaryOperator::And,
        right: Box::new(b),
    })
}

/// `SELECT *` over reordered tables: each table's columns, in the order they were written.
fn spell_out_wildcard(sel: &mut Select, aliases: &[String]) {
    let mut items = Vec::new();
    for item in std::mem::take(&mut sel.projection) {
        match item {
            SelectItem::Wildcard(_) => items.extend(aliases.iter().map(|a| {
                SelectItem::QualifiedWildcard(
                    ObjectName(vec![Ident::new(a.clone())]),
                    Default::default(),
                )
            })),
            other => items.push(other),
        }
    }
    sel.projection = items;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::parse_mysql;
    use sqlparser::ast::{SetExpr, Statement};

    fn planned(sql: &str) -> String {
        let Some(Statement::Query(mut q)) = parse_mysql(sql).expect("parses").pop() else {
            panic!("a query");
        };
        let SetExpr::Select(sel) = q.body.as_mut() else {
            panic!("a select");
        };
        super::super::select::normalise_from(sel).expect("normalises");
        let columns = |tf: &TableFactor| {
            let name = match tf {
                TableFactor::Table { name, .. } => name.to_string(),
                _ => return None,
            };
            let prefix = name.trim_start_matches('t');
            Some(
                ["a", "b", "c"]
                    .iter()
                    .map(|c| format!("{c}{prefix}"))
                    .collect(),
            )
        };
        plan_inner_joins(sel, &columns);
        q.to_string()
    }

    #[test]
    fn where_conditions_move_to_the_joins_that_can_hash() {
        assert_eq!(
            planned("SELECT a1 FROM t1, t9 WHERE a1 = b9 AND c9 = 688 AND c1 > 2"),
            "SELECT a1 FROM t1 JOIN t9 ON a1 = b9 AND c9 = 688 WHERE c1 > 2"
        );
    }

    #[test]
    fn tables_without_a_link_wait_for_one() {
        assert_eq!(
            planned("SELECT * FROM t1, t2, t3 WHERE a3 = b2 AND a1 = c3"),
            "SELECT t1.*, t2.*, t3.* FROM t1 JOIN t3 ON a1 = c3 JOIN t2 ON a3 = b2"
        );
    }

    #[test]
    fn uncertain_conditions_and_outer_joins_stay() {
        assert_eq!(
            planned("SELECT a1 FROM t1, t2 WHERE a1 = b2 AND nope = 1 AND a1 IN (SELECT 1)"),
            "SELECT a1 FROM t1 JOIN t2 ON a1 = b2 WHERE nope = 1 AND a1 IN (SELECT 1)"
        );
        assert_eq!(
            planned("SELECT a1 FROM t1 LEFT JOIN t2 ON a1 = b2 WHERE c2 = 1"),
            "SELECT a1 FROM t1 LEFT JOIN t2 ON a1 = b2 WHERE c2 = 1"
        );
    }
}
