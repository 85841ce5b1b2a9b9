//! Mutants of a reference: the small mistakes learners make, made on its AST (a comparison
//! flipped or loosened, `IS NULL` written `= NULL`, DISTINCT dropped, INNER ↔ LEFT JOIN, a
//! condition dropped, `COUNT(*)` ↔ `COUNT(col)`). `sqlnori lessons test` checks that the
//! lesson's variant databases reject every one.

use crate::dialect;
use sqlparser::ast::{
    BinaryOperator, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, JoinOperator, Query, SetExpr, Statement, VisitorMut,
};
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// One mutant: what was changed and the SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    pub description: String,
    pub sql: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    FlipComparison,
    NullEquality,
    DropConjunct { keep_left: bool },
    CountStarToColumn,
    CountColumnToStar,
    DropCountDistinct,
    DropDistinct,
    FlipJoin,
    DropWhere,
    DropHaving,
    FlipOrder,
}

const KINDS: [Kind; 12] = [
    Kind::FlipComparison,
    Kind::NullEquality,
    Kind::DropConjunct { keep_left: true },
    Kind::DropConjunct { keep_left: false },
    Kind::CountStarToColumn,
    Kind::CountColumnToStar,
    Kind::DropCountDistinct,
    Kind::DropDistinct,
    Kind::FlipJoin,
    Kind::DropWhere,
    Kind::DropHaving,
    Kind::FlipOrder,
];

/// At most this many mutants per reference.
const MAX_MUTANTS: usize = 60;

/// The mutants of `reference` (its statements joined by `;`), each different from it.
/// `COUNT(*)` becomes `COUNT(col)` only for the `nullable` columns (for a NOT NULL one the
/// two are the same query).
pub fn mutants(reference: &str, nullable: &BTreeSet<String>) -> Vec<Mutant> {
    let statements: Vec<Statement> = sqlnori_model::split_script(reference)
        .iter()
        .filter_map(|s| dialect::parse_mysql(&s.sql).ok())
        .flatten()
        .collect();
    let original = render(&statements);
    // A column the query reads, for `COUNT(*)` → `COUNT(col)`.
    let facts = super::facts::facts(reference);
    let mut out: Vec<Mutant> = vec![];
    for kind in KINDS {
        let columns: Vec<String> = if kind == Kind::CountStarToColumn {
            facts
                .columns
                .iter()
                .filter(|c| nullable.contains(*c))
                .take(4)
                .cloned()
                .collect()
        } else {
            vec![String::new()]
        };
        for column in &columns {
            for target in 0.. {
                let mut m = Mutator {
                    kind,
                    target,
                    seen: 0,
                    column: column.clone(),
                    description: None,
                };
                let mut mutated = statements.clone();
                for s in &mut mutated {
                    let _ = crate::walk::visit_mut(s, &mut m);
                }
                let Some(description) = m.description else {
                    break;
                };
                let sql = render(&mutated);
                if sql != original && !out.iter().any(|o| o.sql == sql) {
                    out.push(Mutant { description, sql });
                }
                if out.len() >= MAX_MUTANTS {
                    return out;
                }
            }
        }
    }
    out
}

fn render(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";\n")
}

/// Applies `kind` at its `target`-th site (sites counted in visiting order).
struct Mutator {
    kind: Kind,
    target: usize,
    seen: usize,
    column: String,
    description: Option<String>,
}

impl Mutator {
    /// True when this site is the one to mutate.
    fn hit(&mut self) -> bool {
        let hit = self.description.is_none() && self.seen == self.target;
        self.seen += 1;
        hit
    }
}

fn flipped(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Gt => BinaryOperator::GtEq,
        BinaryOperator::GtEq => BinaryOperator::Gt,
        BinaryOperator::Lt => BinaryOperator::LtEq,
        BinaryOperator::LtEq => BinaryOperator::Lt,
        BinaryOperator::Eq => BinaryOperator::NotEq,
        BinaryOperator::NotEq => BinaryOperator::Eq,
        _ => return None,
    })
}

fn count_args(e: &mut Expr) -> Option<&mut sqlparser::ast::FunctionArgumentList> {
    match e {
        Expr::Function(f) if dialect::build::func_name(f) == "COUNT" => match &mut f.args {
            FunctionArguments::List(list) if list.args.len() == 1 => Some(list),
            _ => None,
        },
        _ => None,
    }
}

impl VisitorMut for Mutator {
    type Break = ();

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
        if self.kind == Kind::FlipOrder {
            if let Some(order_by) = &mut q.order_by {
                for item in &mut order_by.exprs {
                    if self.hit() {
                        let descending = item.asc == Some(false);
                        item.asc = Some(descending);
                        self.description = Some(format!(
                            "ORDER BY {} {}",
                            item.expr,
                            if descending {
                                "DESC → ASC"
                            } else {
                                "ASC → DESC"
                            }
                        ));
                    }
                }
            }
        }
        let SetExpr::Select(select) = q.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let kind = self.kind;
        match kind {
            Kind::DropDistinct if select.distinct.is_some() && self.hit() => {
                select.distinct = None;
                self.description = Some("DISTINCT dropped".into());
            }
            Kind::DropWhere if select.selection.is_some() && self.hit() => {
                select.selection = None;
                self.description = Some("WHERE dropped".into());
            }
            Kind::DropHaving if select.having.is_some() && self.hit() => {
                select.having = None;
                self.description = Some("HAVING dropped".into());
            }
            Kind::FlipJoin => {
                for twj in &mut select.from {
                    for join in &mut twj.joins {
                        let flipped = match &join.join_operator {
                            JoinOperator::Inner(c) => JoinOperator::LeftOuter(c.clone()),
                            JoinOperator::LeftOuter(c) => JoinOperator::Inner(c.clone()),
                            _ => continue,
                        };
                        if self.hit() {
                            let was = if matches!(flipped, JoinOperator::Inner(_)) {
                                "LEFT JOIN → INNER JOIN"
                            } else {
                                "INNER JOIN → LEFT JOIN"
                            };
                            join.join_operator = flipped;
                            self.description = Some(was.into());
                        }
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        match self.kind {
            Kind::FlipComparison => {
                if let Expr::BinaryOp { op, .. } = e {
                    if let Some(new) = flipped(op) {
                        if self.hit() {
                            self.description = Some(format!("{op} → {new}"));
                            *op = new;
                        }
                    }
                }
            }
            Kind::NullEquality => {
                let (inner, op) = match e {
                    Expr::IsNull(inner) => (inner.clone(), BinaryOperator::Eq),
                    Expr::IsNotNull(inner) => (inner.clone(), BinaryOperator::NotEq),
                    _ => return ControlFlow::Continue(()),
                };
                if self.hit() {
                    self.description = Some(format!("IS [NOT] NULL → {op} NULL"));
                    *e = Expr::BinaryOp {
                        left: inner,
                        op,
                        right: Box::new(dialect::build::null()),
                    };
                }
            }
            Kind::DropConjunct { keep_left } => {
                if let Expr::BinaryOp {
                    left,
                    op: BinaryOperator::And,
                    right,
                } = e
                {
                    if self.hit() {
                        let (kept, dropped) = if keep_left {
                            (left.as_ref().clone(), right.to_string())
                        } else {
                            (right.as_ref().clone(), left.to_string())
                        };
                        self.description = Some(format!("condition `{dropped}` dropped"));
                        *e = kept;
                    }
                }
            }
            Kind::CountStarToColumn => {
                let column = self.column.clone();
                if let Some(list) = count_args(e) {
                    if matches!(
                        list.args[0],
                        FunctionArg::Unnamed(FunctionArgExpr::Wildcard)
                    ) && self.hit()
                    {
                        list.args[0] = FunctionArg::Unnamed(FunctionArgExpr::Expr(
                            Expr::Identifier(Ident::new(&column)),
                        ));
                        self.description = Some(format!("COUNT(*) → COUNT({column})"));
                    }
                }
            }
            Kind::CountColumnToStar => {
                if let Some(list) = count_args(e) {
                    if matches!(list.args[0], FunctionArg::Unnamed(FunctionArgExpr::Expr(_)))
                        && list.duplicate_treatment.is_none()
                        && self.hit()
                    {
                        self.description = Some(format!("COUNT({}) → COUNT(*)", list.args[0]));
                        list.args[0] = FunctionArg::Unnamed(FunctionArgExpr::Wildcard);
                    }
                }
            }
            Kind::DropCountDistinct => {
                if let Some(list) = count_args(e) {
                    if list.duplicate_treatment == Some(DuplicateTreatment::Distinct) && self.hit()
                    {
                        list.duplicate_treatment = None;
                        self.description = Some("COUNT(DISTINCT …) → COUNT(…)".into());
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_mistake_is_made() {
        let nullable: BTreeSet<String> = ["id".to_owned()].into();
        let m = mutants(
            "SELECT DISTINCT e.name, COUNT(*) FROM employees e LEFT JOIN employees m \
             ON m.manager_id = e.id WHERE e.id >= 2 AND m.name IS NOT NULL \
             GROUP BY e.name HAVING COUNT(m.id) > 1",
            &nullable,
        );
        let descriptions: Vec<&str> = m.iter().map(|m| m.description.as_str()).collect();
        for expected in [
            ">= → >",
            "= → <>",
            "> → >=",
            "IS [NOT] NULL → <> NULL",
            "DISTINCT dropped",
            "LEFT JOIN → INNER JOIN",
            "WHERE dropped",
            "HAVING dropped",
            "COUNT(*) → COUNT(id)",
            "COUNT(m.id) → COUNT(*)",
        ] {
            assert!(
                descriptions.contains(&expected),
                "{expected} in {descriptions:?}"
            );
        }
        assert!(descriptions.iter().any(|d| d.starts_with("condition `")));
        // Every mutant still parses.
        for mutant in &m {
            assert!(dialect::parse_mysql(&mutant.sql).is_ok(), "{}", mutant.sql);
        }
    }
}
