//! Every walk over sqlparser's AST in the engine goes through here, behind a trait object.
//!
//! sqlparser's derived `Visit`/`VisitMut` walks are generic over the visitor, and each closure
//! passed to `sqlparser::ast::visit_expressions` is a visitor type of its own: forty call sites
//! compiled forty copies of the walk over the whole AST, about half a megabyte of the worker's
//! wasm (BENCHMARKS.md, "Where the bytes go"). Seen through [`Dyn`]/[`DynMut`], the walk is
//! compiled once per break type and direction, and a visitor's hooks are ordinary calls.
//! `clippy.toml` refuses sqlparser's generic helpers, so a new call site cannot bring a copy back.

use sqlparser::ast::{
    Expr, ObjectName, Query, Statement, TableFactor, Visit, VisitMut, Visitor, VisitorMut,
};
use std::ops::ControlFlow;

/// A visitor seen through a trait object, so that sqlparser's walk is instantiated once.
struct Dyn<'a, B>(&'a mut dyn Visitor<Break = B>);

impl<B> Visitor for Dyn<'_, B> {
    type Break = B;
    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<B> {
        self.0.pre_visit_query(q)
    }
    fn post_visit_query(&mut self, q: &Query) -> ControlFlow<B> {
        self.0.post_visit_query(q)
    }
    fn pre_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<B> {
        self.0.pre_visit_relation(r)
    }
    fn post_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<B> {
        self.0.post_visit_relation(r)
    }
    fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<B> {
        self.0.pre_visit_table_factor(t)
    }
    fn post_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<B> {
        self.0.post_visit_table_factor(t)
    }
    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<B> {
        self.0.pre_visit_expr(e)
    }
    fn post_visit_expr(&mut self, e: &Expr) -> ControlFlow<B> {
        self.0.post_visit_expr(e)
    }
    fn pre_visit_statement(&mut self, s: &Statement) -> ControlFlow<B> {
        self.0.pre_visit_statement(s)
    }
    fn post_visit_statement(&mut self, s: &Statement) -> ControlFlow<B> {
        self.0.post_visit_statement(s)
    }
}

/// The mutable twin of [`Dyn`].
struct DynMut<'a, B>(&'a mut dyn VisitorMut<Break = B>);

impl<B> VisitorMut for DynMut<'_, B> {
    type Break = B;
    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<B> {
        self.0.pre_visit_query(q)
    }
    fn post_visit_query(&mut self, q: &mut Query) -> ControlFlow<B> {
        self.0.post_visit_query(q)
    }
    fn pre_visit_relation(&mut self, r: &mut ObjectName) -> ControlFlow<B> {
        self.0.pre_visit_relation(r)
    }
    fn post_visit_relation(&mut self, r: &mut ObjectName) -> ControlFlow<B> {
        self.0.post_visit_relation(r)
    }
    fn pre_visit_table_factor(&mut self, t: &mut TableFactor) -> ControlFlow<B> {
        self.0.pre_visit_table_factor(t)
    }
    fn post_visit_table_factor(&mut self, t: &mut TableFactor) -> ControlFlow<B> {
        self.0.post_visit_table_factor(t)
    }
    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<B> {
        self.0.pre_visit_expr(e)
    }
    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<B> {
        self.0.post_visit_expr(e)
    }
    fn pre_visit_statement(&mut self, s: &mut Statement) -> ControlFlow<B> {
        self.0.pre_visit_statement(s)
    }
    fn post_visit_statement(&mut self, s: &mut Statement) -> ControlFlow<B> {
        self.0.post_visit_statement(s)
    }
}

/// Walks `node` with `visitor` (what `node.visit(visitor)` does, through the one shared walk).
#[allow(clippy::disallowed_methods)] // the one place that calls the generic walk
pub fn visit<T: Visit, B>(node: &T, visitor: &mut dyn Visitor<Break = B>) -> ControlFlow<B> {
    node.visit(&mut Dyn(visitor))
}

/// Walks `node` with a visitor that may change it (`node.visit(visitor)`, shared walk).
#[allow(clippy::disallowed_methods)] // the one place that calls the generic walk
pub fn visit_mut<T: VisitMut, B>(
    node: &mut T,
    visitor: &mut dyn VisitorMut<Break = B>,
) -> ControlFlow<B> {
    node.visit(&mut DynMut(visitor))
}

/// Calls `f` on every expression in `node`, outer before inner (sqlparser's
/// `visit_expressions`).
pub fn exprs<T: Visit>(node: &T, mut f: impl FnMut(&Expr) -> ControlFlow<()>) -> ControlFlow<()> {
    struct Exprs<'a>(&'a mut dyn FnMut(&Expr) -> ControlFlow<()>);
    impl Visitor for Exprs<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            (self.0)(e)
        }
    }
    visit(node, &mut Exprs(&mut f))
}

/// Calls `f` on every expression in `node`, inner before outer, so `f` may replace the
/// expression it is given (sqlparser's `visit_expressions_mut`).
pub fn exprs_mut<T: VisitMut>(
    node: &mut T,
    mut f: impl FnMut(&mut Expr) -> ControlFlow<()>,
) -> ControlFlow<()> {
    struct Exprs<'a>(&'a mut dyn FnMut(&mut Expr) -> ControlFlow<()>);
    impl VisitorMut for Exprs<'_> {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            (self.0)(e)
        }
    }
    visit_mut(node, &mut Exprs(&mut f))
}

/// Whether `node` (an expression or a select item) calls a function `matching` outside every
/// subquery of its own: an aggregate inside `kor - (SELECT AVG(kor) FROM t)` belongs to the
/// subquery, not to the query the expression is in.
pub fn calls_outside_subqueries<T: Visit>(
    node: &T,
    matching: &dyn Fn(&sqlparser::ast::Function) -> bool,
) -> bool {
    struct Outer<'a> {
        matching: &'a dyn Fn(&sqlparser::ast::Function) -> bool,
        /// How many subqueries deep the walk is.
        depth: usize,
    }
    impl Visitor for Outer<'_> {
        type Break = ();
        fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            match e {
                Expr::Function(f) if self.depth == 0 && (self.matching)(f) => {
                    ControlFlow::Break(())
                }
                _ => ControlFlow::Continue(()),
            }
        }
    }
    visit(node, &mut Outer { matching, depth: 0 }).is_break()
}

/// Calls `f` on every table name in `node` (sqlparser's `visit_relations`).
pub fn relations<T: Visit>(
    node: &T,
    mut f: impl FnMut(&ObjectName) -> ControlFlow<()>,
) -> ControlFlow<()> {
    struct Relations<'a>(&'a mut dyn FnMut(&ObjectName) -> ControlFlow<()>);
    impl Visitor for Relations<'_> {
        type Break = ();
        fn pre_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<()> {
            (self.0)(r)
        }
    }
    visit(node, &mut Relations(&mut f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;

    fn statement(sql: &str) -> Statement {
        Parser::parse_sql(&MySqlDialect {}, sql).unwrap().remove(0)
    }

    #[test]
    fn a_call_inside_a_subquery_is_not_the_outer_query_s() {
        let Statement::Query(q) =
            statement("SELECT (SELECT AVG(k) FROM t) - k, (SELECT 1 FROM u) - COUNT(*) FROM t")
        else {
            panic!("a query");
        };
        let sqlparser::ast::SetExpr::Select(sel) = q.body.as_ref() else {
            panic!("a select");
        };
        let aggregate = |f: &sqlparser::ast::Function| {
            let name = f.name.to_string();
            name == "AVG" || name == "COUNT"
        };
        assert!(!calls_outside_subqueries(&sel.projection[0], &aggregate));
        assert!(calls_outside_subqueries(&sel.projection[1], &aggregate));
    }

    #[test]
    fn expressions_are_seen_outer_first_and_changed_inner_first() {
        let mut stmt = statement("SELECT a + 1 FROM t WHERE b IN (SELECT c FROM u)");
        let mut seen = Vec::new();
        let _ = exprs(&stmt, |e| {
            seen.push(e.to_string());
            ControlFlow::Continue(())
        });
        assert_eq!(
            seen,
            ["a + 1", "a", "1", "b IN (SELECT c FROM u)", "b", "c"]
        );
        let mut order = Vec::new();
        let _ = exprs_mut(&mut stmt, |e| {
            order.push(e.to_string());
            if let Expr::Identifier(id) = e {
                id.value = id.value.to_uppercase();
            }
            ControlFlow::Continue(())
        });
        assert_eq!(order[..3], ["a", "1", "A + 1"]);
        assert_eq!(
            stmt.to_string(),
            "SELECT A + 1 FROM t WHERE B IN (SELECT C FROM u)"
        );
    }

    #[test]
    fn a_break_stops_the_walk() {
        let stmt = statement("SELECT x FROM t JOIN u ON t.id = u.id JOIN v ON v.id = u.id");
        let mut names = Vec::new();
        let flow = relations(&stmt, |r| {
            names.push(r.to_string());
            if names.len() == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(flow, ControlFlow::Break(()));
        assert_eq!(names, ["t", "u"]);
    }
}
