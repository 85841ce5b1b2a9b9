//! Expression and name rewrites that turn MySQL into SQL GlueSQL answers the MySQL way.
//!
//! Each rewrite is a local AST transformation done in `post_visit_expr`, so the children are
//! already rewritten and a rewritten node is never visited twice.

use super::build::{cast, func, func_name, literal_i64, nested, null, num, plain_args, str_lit};
use super::names::NameResolver;
use super::select::{canonical, mysql_null_order, normalise_select, ColumnCatalog, TableColumns};
use crate::error::SqlError;
use sqlnori_model::diagnostics::Warning;
use sqlnori_model::Localized;
use sqlparser::ast::{
    BinaryOperator, CeilFloorKind, DataType, DateTimeField, Expr, Ident, Query, SetExpr, Statement,
    TableAlias, TableFactor, TimezoneInfo, Value, VisitorMut,
};
use std::collections::HashMap;
use std::ops::ControlFlow;

/// How deep one expression may nest before it is refused (GlueSQL evaluates recursively).
pub const MAX_EXPR_DEPTH: usize = 100;
/// How many queries may nest inside each other.
pub const MAX_QUERY_DEPTH: usize = 16;

/// What the rewrites need from the session: the name scope and the clock.
pub struct RewriteEnv<'a> {
    pub names: &'a NameResolver,
    /// The session's local time as `YYYY-MM-DD HH:MM:SS` (one value for the whole statement,
    /// as MySQL evaluates `NOW()` once per statement).
    pub now: &'a str,
    /// Column names in scope, for MySQL's case-insensitive column names.
    pub columns: &'a ColumnCatalog,
    /// Each stored table's columns, for planning joins.
    pub tables: &'a TableColumns,
    /// Plan inner joins for GlueSQL's hash joins (see `joins.rs`).
    pub plan_joins: bool,
    /// ENUM columns (lower-case name → members in declared order), for MySQL's ORDER BY by
    /// member index; only names that are an ENUM in every table that has them.
    pub enums: &'a HashMap<String, Vec<String>>,
}

/// Rewrites one statement in place. Tables inside queries get their storage names (and an
/// implicit alias so `students.id` keeps working); statement targets are the engine's job.
pub fn rewrite_statement(stmt: &mut Statement, env: &mut RewriteEnv<'_>) -> Result<(), SqlError> {
    let mut v = Rewriter {
        names: env.names,
        now: env.now,
        columns: env.columns,
        tables: env.tables,
        plan_joins: env.plan_joins,
        enums: env.enums,
        expr_depth: 0,
        query_depth: 0,
    };
    match crate::walk::visit_mut(stmt, &mut v) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(e) => Err(e),
    }
}

/// Refuses an expression nested deeper than [`MAX_EXPR_DEPTH`] before anything recursive
/// walks it: each expression's depth is measured with an explicit stack, from the top, so the
/// visitor never descends into a tree that is too deep.
pub fn check_depth(stmt: &Statement) -> Result<(), SqlError> {
    let outcome = crate::walk::exprs(stmt, |e: &Expr| {
        if expr_depth(e) > MAX_EXPR_DEPTH {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    match outcome {
        ControlFlow::Break(()) => Err(SqlError::Limit(Localized::new(
            format!("식이 {MAX_EXPR_DEPTH}단계보다 깊게 겹쳐 있습니다"),
            format!("an expression nests more than {MAX_EXPR_DEPTH} levels deep"),
        ))),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Depth of an expression through the nodes that chain without parser recursion
/// (operators, NOT, IS NULL, parentheses); stops counting past the limit.
fn expr_depth(root: &Expr) -> usize {
    // A leaf is one level, without a stack: a 1,000-row VALUES list has 6,000 of them.
    if matches!(
        root,
        Expr::Value(_) | Expr::Identifier(_) | Expr::CompoundIdentifier(_)
    ) {
        return 1;
    }
    let mut deepest = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        if deepest > MAX_EXPR_DEPTH {
            break;
        }
        match e {
            Expr::BinaryOp { left, right, .. } => {
                stack.push((left, d + 1));
                stack.push((right, d + 1));
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::Cast { expr, .. } => stack.push((expr, d + 1)),
            Expr::Like { expr, pattern, .. } => {
                stack.push((expr, d + 1));
                stack.push((pattern, d + 1));
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                stack.push((expr, d + 1));
                stack.push((low, d + 1));
                stack.push((high, d + 1));
            }
            _ => {}
        }
    }
    deepest
}

struct Rewriter<'a> {
    names: &'a NameResolver,
    now: &'a str,
    columns: &'a ColumnCatalog,
    tables: &'a TableColumns,
    plan_joins: bool,
    enums: &'a HashMap<String, Vec<String>>,
    expr_depth: usize,
    query_depth: usize,
}

impl VisitorMut for Rewriter<'_> {
    type Break = SqlError;

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<SqlError> {
        self.query_depth += 1;
        if self.query_depth > MAX_QUERY_DEPTH {
            return ControlFlow::Break(SqlError::Limit(Localized::new(
                format!("서브쿼리가 {MAX_QUERY_DEPTH}단계보다 깊게 겹쳐 있습니다"),
                format!("more than {MAX_QUERY_DEPTH} nested subqueries"),
            )));
        }
        // `FOR UPDATE` / `FOR SHARE` / `LOCK IN SHARE MODE` lock rows against other sessions;
        // a playground has one, so the query runs as it is.
        q.locks.clear();
        if let SetExpr::Select(sel) = q.body.as_mut() {
            let names = self.names;
            let tables = self.tables;
            let plan_joins = self.plan_joins;
            let columns_of = |tf: &TableFactor| match tf {
                TableFactor::Table { .. } if !plan_joins => None,
                TableFactor::Table { name, .. } => names
                    .resolve(name)
                    .ok()
                    .and_then(|t| tables.get(&t.storage).cloned()),
                _ => None,
            };
            // A correlated `x op ANY/ALL (SELECT …)` as EXISTS tests, while the names are
            // still as written (its own subquery is this visitor's next query).
            let columns_of_table = |name: &sqlparser::ast::ObjectName| {
                names
                    .resolve(name)
                    .ok()
                    .and_then(|t| tables.get(&t.storage).cloned())
            };
            super::quantified::rewrite(sel, &columns_of_table);
            if let Err(e) = normalise_select(sel, self.columns, &columns_of) {
                return ControlFlow::Break(e);
            }
        }
        enum_order(q, self.enums);
        mysql_null_order(q);
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &mut Query) -> ControlFlow<SqlError> {
        self.query_depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, tf: &mut TableFactor) -> ControlFlow<SqlError> {
        if let TableFactor::Table { name, alias, .. } = tf {
            let table = match self.names.resolve(name) {
                Ok(t) => t,
                Err(e) => return ControlFlow::Break(e),
            };
            if alias.is_none() && self.query_depth > 0 {
                *alias = Some(TableAlias {
                    name: Ident::new(table.written.clone()),
                    columns: vec![],
                });
            }
            *name = NameResolver::storage_object(&table);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, _e: &mut Expr) -> ControlFlow<SqlError> {
        self.expr_depth += 1;
        if self.expr_depth > MAX_EXPR_DEPTH {
            return ControlFlow::Break(SqlError::Limit(Localized::new(
                format!("식이 {MAX_EXPR_DEPTH}단계보다 깊게 겹쳐 있습니다"),
                format!("an expression nests more than {MAX_EXPR_DEPTH} levels deep"),
            )));
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<SqlError> {
        self.expr_depth -= 1;
        match e {
            Expr::Identifier(i) => {
                if let Some(actual) = canonical(self.columns, &i.value) {
                    i.value = actual.to_owned();
                }
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last_mut() {
                    if let Some(actual) = canonical(self.columns, &last.value) {
                        last.value = actual.to_owned();
                    }
                }
            }
            _ => {}
        }
        match rewrite_expr(e, self.now, self.names) {
            Ok(Some(new)) => *e = new,
            Ok(None) => {}
            Err(err) => return ControlFlow::Break(err),
        }
        ControlFlow::Continue(())
    }
}

/// MySQL sorts an ENUM column by its members' order (`ENUM('small', 'medium', 'large')`:
/// small first), not alphabetically: `ORDER BY size` becomes `ORDER BY FIELD(size, …)`.
pub(crate) fn enum_order(q: &mut Query, enums: &HashMap<String, Vec<String>>) {
    if enums.is_empty() {
        return;
    }
    let Some(order_by) = q.order_by.as_mut() else {
        return;
    };
    for item in &mut order_by.exprs {
        let name = match &item.expr {
            Expr::Identifier(i) => i.value.to_lowercase(),
            Expr::CompoundIdentifier(parts) => parts
                .last()
                .map(|p| p.value.to_lowercase())
                .unwrap_or_default(),
            _ => continue,
        };
        if let Some(members) = enums.get(&name) {
            let mut args = vec![item.expr.clone()];
            args.extend(members.iter().map(|m| super::build::str_lit(m.clone())));
            item.expr = super::build::func("FIELD", args);
        }
    }
}

/// `NOT (x)`.
fn negated(x: &Expr) -> Expr {
    Expr::UnaryOp {
        op: sqlparser::ast::UnaryOperator::Not,
        expr: Box::new(Expr::Nested(Box::new(x.clone()))),
    }
}

/// The host function that makes a binary string of a value (`builtins::call`); a learner
/// cannot call it (it is refused as GlueSQL's own functions are).
pub const BINARY_FUNCTION: &str = "SQLNORI_BINARY";

/// The host function that moves a date by whole days, months or years and keeps a DATE a
/// DATE (`builtins::call`, `functions::date_add`); refused to a learner as the one above.
pub const DATE_ADD_FUNCTION: &str = "SQLNORI_DATE_ADD";

fn binary(e: Expr) -> Expr {
    func(BINARY_FUNCTION, vec![e])
}

/// `x COLLATE name`: the case- and accent-insensitive collations (`…_ci`) are how sqlnori
/// compares text already; the binary and case-sensitive ones (`…_bin`, `…_cs`) compare bytes.
fn collate(expr: &Expr, collation: &sqlparser::ast::ObjectName) -> Result<Expr, SqlError> {
    Ok(if is_binary_collation(collation)? {
        binary(expr.clone())
    } else {
        expr.clone()
    })
}

/// Whether a collation compares bytes (`…_bin`, `…_cs`, `binary`) rather than ignoring case
/// and accents (`…_ci`, sqlnori's only other one); any other name is MySQL's error 1273.
pub(crate) fn is_binary_collation(
    collation: &sqlparser::ast::ObjectName,
) -> Result<bool, SqlError> {
    let name = collation
        .to_string()
        .trim_matches(['`', '\'', '"'])
        .to_lowercase();
    let charset_ok = ["utf8mb4_", "utf8mb3_", "utf8_"]
        .iter()
        .any(|c| name.starts_with(c));
    if name == "binary" || (charset_ok && (name.ends_with("_bin") || name.ends_with("_cs"))) {
        return Ok(true);
    }
    if charset_ok && name.ends_with("_ci") && !name.contains("_as_") {
        return Ok(false);
    }
    Err(crate::error::explained(
        "bad_value",
        Localized::new(
            format!("알 수 없는 콜레이션 '{name}'입니다 (MySQL 오류 1273): utf8mb4_0900_ai_ci(대소문자·악센트 무시) 또는 utf8mb4_bin(바이트 그대로)을 쓰세요."),
            format!("Unknown collation: '{name}' (MySQL error 1273): use utf8mb4_0900_ai_ci (ignores case and accents) or utf8mb4_bin (compares bytes)."),
        ),
        Some(name.clone()),
        None,
    ))
}

/// One local rewrite; `None` keeps the node as it is.
fn rewrite_expr(e: &Expr, now: &str, names: &NameResolver) -> Result<Option<Expr>, SqlError> {
    // A literal (nearly every expression of a long INSERT) is settled first, without the
    // walk through every other form below: only a double-quoted one changes, to a string.
    if let Expr::Value(v) = e {
        return Ok(match v {
            Value::DoubleQuotedString(s) => Some(str_lit(s.clone())),
            _ => None,
        });
    }
    let current_db = names.current_db.as_str();
    if let Some(rows) = row_comparison(e, &|c| Ok(rewrite_expr(&c, now, names)?.unwrap_or(c)))? {
        return Ok(Some(rows));
    }
    // `x LIKE 'a!%' ESCAPE '!'`: the pattern with MySQL's default escape, `\`.
    if let Expr::Like {
        negated,
        any: false,
        expr,
        pattern,
        escape_char: Some(escape),
    } = e
    {
        return Ok(Some(Expr::Like {
            negated: *negated,
            any: false,
            expr: expr.clone(),
            pattern: Box::new(escaped_pattern(pattern, escape)?),
            escape_char: None,
        }));
    }
    // `@@version`, `@@session.sql_mode`: the setting sqlnori runs with.
    if let Some(name) = super::system_variables::named(e) {
        return Ok(Some(super::system_variables::value(
            &name,
            names.utc_offset_minutes,
        )?));
    }
    // `@x`: the user variable's value as SET left it; NULL when it was never set, as in MySQL.
    if let Expr::Identifier(i) = e {
        if let Some(name) = i.value.strip_prefix('@').filter(|n| !n.starts_with('@')) {
            return Ok(Some(user_variable(names, name)?));
        }
    }
    // Text in arithmetic is the number it starts with, as MySQL reads it (`'10' + 5` is 15,
    // `'3abc' + 1` is 4, `'abc' * 2` is 0); then the operator's own rewrite applies.
    if let Expr::BinaryOp { left, op, right } = e {
        let arithmetic = matches!(
            op,
            BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide
                | BinaryOperator::Modulo
                | BinaryOperator::MyModulo
                | BinaryOperator::MyIntegerDivide
        );
        let interval = matches!(**left, Expr::Interval(_)) || matches!(**right, Expr::Interval(_));
        let (l, r) = if arithmetic && !interval {
            (text_number(left), text_number(right))
        } else {
            (None, None)
        };
        if l.is_some() || r.is_some() {
            let numeric = Expr::BinaryOp {
                left: Box::new(l.unwrap_or_else(|| (**left).clone())),
                op: op.clone(),
                right: Box::new(r.unwrap_or_else(|| (**right).clone())),
            };
            return Ok(Some(rewrite_expr(&numeric, now, names)?.unwrap_or(numeric)));
        }
    }
    Ok(match e {
        Expr::InList {
            expr,
            list,
            negated,
        } => super::build::in_list_with_null(expr, list, *negated),
        // `a | b` and `a ^ b` (MySQL's bitwise OR and XOR) from the `&` GlueSQL has:
        // a | b = a + b - (a & b), a ^ b = a + b - 2 (a & b).
        Expr::BinaryOp {
            left,
            op:
                op @ (BinaryOperator::BitwiseOr
                | BinaryOperator::BitwiseXor
                | BinaryOperator::PGBitwiseXor),
            right,
        } => {
            let both = Expr::Nested(Box::new(Expr::BinaryOp {
                left: left.clone(),
                op: BinaryOperator::BitwiseAnd,
                right: right.clone(),
            }));
            let times = if matches!(op, BinaryOperator::BitwiseOr) {
                1
            } else {
                2
            };
            let sum = Expr::BinaryOp {
                left: left.clone(),
                op: BinaryOperator::Plus,
                right: right.clone(),
            };
            Some(Expr::Nested(Box::new(Expr::BinaryOp {
                left: Box::new(sum),
                op: BinaryOperator::Minus,
                right: Box::new(Expr::BinaryOp {
                    left: Box::new(super::build::num(times)),
                    op: BinaryOperator::Multiply,
                    right: Box::new(both),
                }),
            })))
        }
        // `a <=> b`: NULL-safe equality (two NULLs are equal; never NULL itself).
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Spaceship,
            right,
        } => {
            let null = |e: &Expr| Expr::IsNull(Box::new(e.clone()));
            let both = Expr::BinaryOp {
                left: Box::new(null(left)),
                op: BinaryOperator::And,
                right: Box::new(null(right)),
            };
            let either = Expr::BinaryOp {
                left: Box::new(null(left)),
                op: BinaryOperator::Or,
                right: Box::new(null(right)),
            };
            Some(Expr::Case {
                operand: None,
                conditions: vec![both, either],
                results: vec![
                    Expr::Value(Value::Boolean(true)),
                    Expr::Value(Value::Boolean(false)),
                ],
                else_result: Some(Box::new(Expr::BinaryOp {
                    left: left.clone(),
                    op: BinaryOperator::Eq,
                    right: right.clone(),
                })),
            })
        }
        // `~x`: MySQL's bitwise NOT is over 64-bit unsigned numbers (`~0` is 2^64 - 1), where
        // GlueSQL's is over signed ones.
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::PGBitwiseNot,
            expr,
        } => Some(Expr::Case {
            operand: None,
            conditions: vec![Expr::BinaryOp {
                left: expr.clone(),
                op: BinaryOperator::Lt,
                right: Box::new(num(0)),
            }],
            results: vec![Expr::BinaryOp {
                left: Box::new(Expr::UnaryOp {
                    op: sqlparser::ast::UnaryOperator::Minus,
                    expr: expr.clone(),
                }),
                op: BinaryOperator::Minus,
                right: Box::new(num(1)),
            }],
            else_result: Some(Box::new(Expr::BinaryOp {
                // 2^64 - 1, exact (as a number literal GlueSQL would read it as a float).
                left: Box::new(cast(
                    str_lit("18446744073709551615"),
                    DataType::Decimal(sqlparser::ast::ExactNumberInfo::None),
                )),
                op: BinaryOperator::Minus,
                right: expr.clone(),
            })),
        }),
        // `s REGEXP p`, `s RLIKE p`, `s NOT REGEXP p` (regular expressions: builtins.rs).
        Expr::RLike {
            negated,
            expr,
            pattern,
            ..
        } => Some(Expr::BinaryOp {
            left: Box::new(func(
                "REGEXP_LIKE",
                vec![(**expr).clone(), (**pattern).clone()],
            )),
            op: BinaryOperator::Eq,
            right: Box::new(num(i64::from(!*negated))),
        }),
        // `x IS TRUE`, `x IS NOT FALSE` …, which GlueSQL lacks: as a CASE, so a NULL is
        // neither TRUE nor FALSE; `IS [NOT] UNKNOWN` is `IS [NOT] NULL`.
        Expr::IsTrue(x) | Expr::IsNotTrue(x) | Expr::IsFalse(x) | Expr::IsNotFalse(x) => {
            let (condition, then) = match e {
                Expr::IsTrue(_) => ((**x).clone(), true),
                Expr::IsNotTrue(_) => ((**x).clone(), false),
                Expr::IsFalse(_) => (negated(x), true),
                _ => (negated(x), false),
            };
            Some(Expr::Case {
                operand: None,
                conditions: vec![condition],
                results: vec![Expr::Value(Value::Boolean(then))],
                else_result: Some(Box::new(Expr::Value(Value::Boolean(!then)))),
            })
        }
        Expr::IsUnknown(x) => Some(Expr::IsNull(x.clone())),
        Expr::IsNotUnknown(x) => Some(Expr::IsNotNull(x.clone())),
        // `d + INTERVAL n unit`, `d - INTERVAL n unit`, `INTERVAL n unit + d`: DATE_ADD/DATE_SUB.
        Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::Plus | BinaryOperator::Minus),
            right,
        } if matches!(**right, Expr::Interval(_))
            || (matches!(**left, Expr::Interval(_)) && *op == BinaryOperator::Plus) =>
        {
            let (date, interval) = if matches!(**right, Expr::Interval(_)) {
                (left, right)
            } else {
                (right, left)
            };
            let name = if *op == BinaryOperator::Plus {
                "DATE_ADD"
            } else {
                "DATE_SUB"
            };
            super::functions::rewrite_function(name, &[(**date).clone(), (**interval).clone()])?
        }
        // `EXTRACT(YEAR_MONTH FROM d)`: MySQL's compound units, part by part.
        Expr::Extract {
            field: sqlparser::ast::DateTimeField::Custom(unit),
            expr,
            ..
        } if super::functions::compound_extract(&unit.value, expr).is_some() => {
            super::functions::compound_extract(&unit.value, expr)
        }
        // `EXTRACT(YEAR FROM '2024-03-05')`: text read as the date it holds.
        Expr::Extract {
            field,
            syntax,
            expr,
        } if matches!(**expr, Expr::Value(Value::SingleQuotedString(_))) => Some(Expr::Extract {
            field: field.clone(),
            syntax: syntax.clone(),
            expr: Box::new(cast(
                (**expr).clone(),
                DataType::Timestamp(None, TimezoneInfo::None),
            )),
        }),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Divide => Some(mysql_divide(left, right)),
            // MySQL's JSON shorthands: `doc -> '$.a'` is JSON_EXTRACT, `doc ->> '$.a'` its
            // JSON_UNQUOTE (GlueSQL's own `->` reads its MAP type, not JSON text).
            BinaryOperator::Arrow => Some(func(
                "JSON_EXTRACT",
                vec![(**left).clone(), (**right).clone()],
            )),
            BinaryOperator::LongArrow => Some(func(
                "JSON_UNQUOTE",
                vec![func(
                    "JSON_EXTRACT",
                    vec![(**left).clone(), (**right).clone()],
                )],
            )),
            // A zero divisor is GlueSQL's (patched) concern: NULL with warning 1365 in a
            // query, error 1365 in a strict write.
            BinaryOperator::MyIntegerDivide => {
                Some(func("DIV", vec![(**left).clone(), (**right).clone()]))
            }
            _ => None,
        },
        // `BINARY x`, `CAST(x AS BINARY)` and `x COLLATE utf8mb4_bin`: a binary string, which
        // compares byte by byte instead of under the default collation (see GlueSQL's patched
        // `collation`).
        Expr::Cast {
            expr,
            data_type: DataType::Binary(_) | DataType::Varbinary(_),
            ..
        } => Some(binary((**expr).clone())),
        Expr::TypedString {
            data_type: DataType::Binary(_) | DataType::Varbinary(_),
            value,
        } => Some(binary(Expr::Value(Value::SingleQuotedString(
            value.clone(),
        )))),
        Expr::Collate { expr, collation } => Some(collate(expr, collation)?),
        // `CONVERT(x, SIGNED)` is `CAST(x AS SIGNED)`; `CONVERT(x USING utf8mb4)` is x (all
        // text here is utf8mb4).
        Expr::Convert {
            is_try: false,
            expr,
            data_type,
            charset,
            target_before_value: false,
            styles,
        } if styles.is_empty() => match (data_type, charset) {
            (Some(data_type), None) => {
                let cast = Expr::Cast {
                    kind: sqlparser::ast::CastKind::Cast,
                    expr: expr.clone(),
                    data_type: data_type.clone(),
                    format: None,
                };
                Some(rewrite_expr(&cast, now, names)?.unwrap_or(cast))
            }
            (None, Some(_)) => Some(Expr::Nested(expr.clone())),
            _ => None,
        },
        // `CAST(x AS DECIMAL(5, 2))`, `CAST(x AS SIGNED)`: MySQL's type names, GlueSQL's types.
        Expr::Cast {
            kind,
            expr,
            data_type,
            format,
        } => {
            let mapped = super::map_column_type(data_type).unwrap_or_else(|_| data_type.clone());
            // MySQL rounds a fractional number cast to an integer (`CAST(3.7 AS SIGNED)` is 4);
            // GlueSQL refuses the literal.
            let rounded = match (&mapped, expr.as_ref()) {
                (DataType::Int(_), Expr::Value(Value::Number(n, _))) if !n.is_integer() => {
                    Some(func("ROUND", vec![(**expr).clone()]))
                }
                // `CAST('12abc' AS SIGNED)` is 12 and `CAST('abc' AS SIGNED)` 0 in MySQL (with a
                // warning); GlueSQL refuses text that is not all digits.
                (DataType::Int(_), Expr::Value(Value::SingleQuotedString(t)))
                    if t.trim().parse::<i64>().is_err() =>
                {
                    crate::warnings::warn(Warning::truncated_number("INTEGER", t));
                    let whole = leading_number(t).trunc();
                    Some(num(format!("{whole:.0}")))
                }
                _ => None,
            };
            (mapped != *data_type || rounded.is_some()).then(|| Expr::Cast {
                kind: kind.clone(),
                expr: Box::new(rounded.unwrap_or_else(|| (**expr).clone())),
                data_type: mapped,
                format: format.clone(),
            })
        }
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let args: Vec<Expr> = std::iter::once((**expr).clone())
                .chain(substring_from.as_deref().cloned().or(Some(num(1))))
                .chain(substring_for.as_deref().cloned())
                .collect();
            super::functions::rewrite_function("SUBSTR", &args)?
        }
        Expr::Floor { expr, field } | Expr::Ceil { expr, field }
            if matches!(
                field,
                CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
            ) =>
        {
            // MySQL prints FLOOR/CEIL of a number as a whole number and stores it into INT
            // columns; GlueSQL returns a float, which INT columns refuse.
            Some(cast(nested_floor_ceil(e, expr), DataType::Int(None)))
        }
        Expr::Function(f) => {
            let name = func_name(f);
            if name == "COUNT" {
                if let Some(one) = count_distinct_rows(f) {
                    return Ok(Some(one));
                }
            }
            let args = plain_args(f);
            match (name.as_str(), args) {
                ("ELT", Some(args)) if args.len() >= 2 => Some(elt(&args)),
                ("ELT", _) => return Err(arity("ELT", "ELT(n, str1, str2, ...)")),
                // GlueSQL's own, not MySQL's, and it draws from the OS random source (a run
                // would not be reproducible).
                ("GENERATE_UUID", _) => {
                    return Err(SqlError::Unsupported {
                        feature: Localized::new("함수 GENERATE_UUID", "function GENERATE_UUID"),
                        hint: Some(sqlnori_model::catalog::summary()),
                    })
                }
                ("ROUND", Some(args)) if args.len() == 2 => Some(round_to(&args[0], &args[1])?),
                ("IF", Some(args)) if args.len() == 3 => Some(Expr::Case {
                    operand: None,
                    conditions: vec![args[0].clone()],
                    results: vec![args[1].clone()],
                    else_result: Some(Box::new(args[2].clone())),
                }),
                ("IF", _) => return Err(arity("IF", "IF(condition, then, else)")),
                ("CHAR_LENGTH" | "CHARACTER_LENGTH", Some(args)) if args.len() == 1 => {
                    Some(func("LENGTH", args))
                }
                (
                    "NOW" | "CURRENT_TIMESTAMP" | "SYSDATE" | "LOCALTIME" | "LOCALTIMESTAMP",
                    Some(args),
                ) if args.is_empty() => Some(clock_literal(now, ClockPart::DateTime)),
                ("CURDATE" | "CURRENT_DATE", Some(args)) if args.is_empty() => {
                    Some(clock_literal(now, ClockPart::Date))
                }
                ("CURTIME" | "CURRENT_TIME", Some(args)) if args.is_empty() => {
                    Some(clock_literal(now, ClockPart::Time))
                }
                // UTC is the session's clock (Seoul) less its offset.
                ("UTC_TIMESTAMP" | "UTC_DATE" | "UTC_TIME", Some(args)) if args.is_empty() => {
                    let part = match name.as_str() {
                        "UTC_DATE" => ClockPart::Date,
                        "UTC_TIME" => ClockPart::Time,
                        _ => ClockPart::DateTime,
                    };
                    Some(clock_literal(&utc_of(now, names.utc_offset_minutes), part))
                }
                ("DATABASE" | "SCHEMA", Some(args)) if args.is_empty() => {
                    Some(super::build::str_lit(current_db))
                }
                // The acting account: in the playground the one "logged in" and the one
                // privileges are checked for are the same.
                ("USER" | "CURRENT_USER" | "SESSION_USER" | "SYSTEM_USER", Some(args))
                    if args.is_empty() =>
                {
                    Some(super::build::str_lit(names.user_or_root()))
                }
                ("LAST_INSERT_ID", Some(args)) if args.is_empty() => {
                    Some(num(names.last_insert_id))
                }
                ("ROW_COUNT", Some(args)) if args.is_empty() => Some(num(names.row_count)),
                ("VERSION", Some(args)) if args.is_empty() => Some(super::build::str_lit(VERSION)),
                (name, Some(args)) => super::functions::rewrite_function(name, &args)?,
                _ => None,
            }
        }
        _ => None,
    })
}

/// Which part of a clock reading a function answers with.
enum ClockPart {
    DateTime,
    Date,
    Time,
}

/// A clock reading `time` (`YYYY-MM-DD HH:MM:SS`) as the DATETIME, DATE or TIME literal of
/// `part` (NOW(), CURDATE(), CURTIME() and their UTC twins).
fn clock_literal(time: &str, part: ClockPart) -> Expr {
    let (data_type, value) = match part {
        ClockPart::DateTime => (DataType::Timestamp(None, TimezoneInfo::None), time),
        ClockPart::Date => (DataType::Date, time.get(..10).unwrap_or(time)),
        ClockPart::Time => (
            DataType::Time(None, TimezoneInfo::None),
            time.get(11..).unwrap_or(time),
        ),
    };
    Expr::TypedString {
        data_type,
        value: value.to_owned(),
    }
}

/// The session's clock `now` (`YYYY-MM-DD HH:MM:SS`, `offset_minutes` east of UTC) as UTC,
/// written the same way; `now` itself if it cannot be read.
fn utc_of(now: &str, offset_minutes: i32) -> String {
    use gluesql_core::chrono::{Duration, NaiveDateTime};
    NaiveDateTime::parse_from_str(now, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .and_then(|t| t.checked_sub_signed(Duration::minutes(i64::from(offset_minutes))))
        .map_or_else(
            || now.to_owned(),
            |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
        )
}

/// MySQL's `COUNT(DISTINCT a, b)`: the rows whose values are all non-NULL, counted once per
/// combination, as `COUNT(DISTINCT <the values joined>)` (GlueSQL counts one expression).
/// The values are joined by a control character no classroom text holds, so two
/// combinations meet only when each value does (under the collation, as each would).
fn count_distinct_rows(f: &sqlparser::ast::Function) -> Option<Expr> {
    use sqlparser::ast::{DuplicateTreatment, FunctionArgumentList, FunctionArguments};
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    if list.duplicate_treatment != Some(DuplicateTreatment::Distinct) || list.args.len() < 2 {
        return None;
    }
    let args = plain_args(f)?;
    let any_null = args
        .iter()
        .map(|a| Expr::IsNull(Box::new(a.clone())))
        .reduce(|a, b| Expr::BinaryOp {
            left: Box::new(a),
            op: BinaryOperator::Or,
            right: Box::new(b),
        })?;
    let joined = func(
        "CONCAT_WS",
        std::iter::once(str_lit("\u{1f}"))
            .chain(args.iter().cloned())
            .collect(),
    );
    let one = Expr::Case {
        operand: None,
        conditions: vec![any_null],
        results: vec![null()],
        else_result: Some(Box::new(joined)),
    };
    let mut counted = f.clone();
    counted.args = FunctionArguments::List(FunctionArgumentList {
        duplicate_treatment: Some(DuplicateTreatment::Distinct),
        args: vec![sqlparser::ast::FunctionArg::Unnamed(
            sqlparser::ast::FunctionArgExpr::Expr(one),
        )],
        clauses: vec![],
    });
    Some(Expr::Function(counted))
}

/// A row compared with a subquery is left to the rewrite only when the subquery reads the
/// outer row (or subqueries are not computed first): GlueSQL has no row values.
fn row_beside_subquery() -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new(
            "바깥 행을 읽는 하위 쿼리와 행 (a, b) 비교",
            "comparing a row (a, b) with a subquery that reads the outer row",
        ),
        hint: Some(Localized::new(
            "열마다 비교하세요: a = (SELECT …) AND b = (SELECT …), 또는 EXISTS (SELECT … WHERE …)",
            "compare column by column: a = (SELECT …) AND b = (SELECT …), or use EXISTS (SELECT … WHERE …)",
        )),
    }
}

/// `VERSION()` and `@@version`: MySQL 8's, marked as sqlnori's.
pub const VERSION: &str = "8.0.36-sqlnori";

/// A text literal as the number MySQL reads from it in arithmetic.
fn text_number(e: &Expr) -> Option<Expr> {
    match e {
        Expr::Value(Value::SingleQuotedString(t) | Value::DoubleQuotedString(t)) => {
            if !is_whole_number(t) {
                crate::warnings::warn(Warning::truncated_number("DOUBLE", t));
            }
            let n = leading_number(t);
            Some(if n.fract() == 0.0 && n.abs() < 1e15 {
                num(format!("{n:.0}"))
            } else {
                num(n)
            })
        }
        _ => None,
    }
}

/// True when all of `t` is a number (blanks around it allowed), so reading it loses nothing
/// and MySQL warns of nothing.
fn is_whole_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.parse::<f64>().is_ok()
        && !t.contains(|c: char| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'))
}

/// The number at the start of `t` (after blanks): sign, digits, a fraction, an exponent;
/// 0 when there is none.
pub(crate) fn leading_number(t: &str) -> f64 {
    let t = t.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    end = digits(end);
    if b.get(end) == Some(&b'.') {
        end = digits(end + 1);
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(b.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        let after = digits(exp);
        if after > exp {
            end = after;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

fn nested_floor_ceil(whole: &Expr, inner: &Expr) -> Expr {
    match whole {
        Expr::Ceil { field, .. } => Expr::Ceil {
            expr: Box::new(inner.clone()),
            field: field.clone(),
        },
        _ => Expr::Floor {
            expr: Box::new(inner.clone()),
            field: CeilFloorKind::DateTimeField(DateTimeField::NoDateTime),
        },
    }
}

fn arity(name: &str, form: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("{name} 함수의 인자 개수가 맞지 않습니다. 형태: {form}"),
        format!("wrong number of arguments to {name}; expected {form}"),
    ))
}

/// MySQL's `/`: never integer division and NULL on division by zero. The result keeps its
/// precision here; the select item that shows it is rounded to MySQL's scale
/// (see [`super::select`]).
fn mysql_divide(left: &Expr, right: &Expr) -> Expr {
    nested(Expr::BinaryOp {
        left: Box::new(cast(left.clone(), DataType::Float(None))),
        op: BinaryOperator::Divide,
        right: Box::new(right.clone()),
    })
}

/// `ROUND(x, d)` with a literal `d`, built from GlueSQL's one-argument `ROUND`.
fn round_to(x: &Expr, digits: &Expr) -> Result<Expr, SqlError> {
    let d = literal_int(digits).ok_or_else(|| SqlError::Unsupported {
        feature: Localized::new(
            "자릿수를 계산하는 ROUND",
            "ROUND with a computed number of digits",
        ),
        hint: Some(Localized::new(
            "자릿수는 ROUND(x, 2)처럼 숫자로 쓰세요",
            "write the digits as a number, as in ROUND(x, 2)",
        )),
    })?;
    let d = d.clamp(-15, 15);
    let factor = format!("{}.0", 10i64.pow(d.unsigned_abs()));
    let x = nested(x.clone());
    Ok(if d == 0 {
        func("ROUND", vec![x])
    } else if d > 0 {
        let scaled = Expr::BinaryOp {
            left: Box::new(x),
            op: BinaryOperator::Multiply,
            right: Box::new(num(&factor)),
        };
        nested(Expr::BinaryOp {
            left: Box::new(func("ROUND", vec![scaled])),
            op: BinaryOperator::Divide,
            right: Box::new(num(&factor)),
        })
    } else {
        let scaled = Expr::BinaryOp {
            left: Box::new(x),
            op: BinaryOperator::Divide,
            right: Box::new(num(&factor)),
        };
        nested(Expr::BinaryOp {
            left: Box::new(func("ROUND", vec![scaled])),
            op: BinaryOperator::Multiply,
            right: Box::new(num(&factor)),
        })
    })
}

fn literal_int(e: &Expr) -> Option<i32> {
    literal_i64(e).and_then(|n| i32::try_from(n).ok())
}

/// `ELT(n, a, b, …)`: the n-th argument, NULL when out of range; MySQL rounds a fractional
/// index to the nearest integer first (so `ELT(1 + RAND() * 5, …)` can give NULL).
fn elt(args: &[Expr]) -> Expr {
    // GlueSQL's ROUND takes floats only (an integer index would fail).
    let index = cast(
        func("ROUND", vec![cast(args[0].clone(), DataType::Float64)]),
        DataType::Int(None),
    );
    Expr::Case {
        operand: Some(Box::new(index)),
        conditions: (1..args.len()).map(num).collect(),
        results: args[1..].to_vec(),
        else_result: Some(Box::new(null())),
    }
}

/// MySQL labels an unaliased expression column with the expression as written; GlueSQL would
/// label it with the rewritten form. Name such columns before rewriting.
pub fn label_unnamed_columns(q: &mut Query) {
    label_set_expr(&mut q.body);
}

fn label_set_expr(body: &mut SetExpr) {
    match body {
        SetExpr::Select(sel) => label_select(sel),
        SetExpr::Query(q) => label_unnamed_columns(q),
        SetExpr::SetOperation { left, .. } => label_set_expr(left),
        _ => {}
    }
}

/// [`label_unnamed_columns`] for one `SELECT`.
pub fn label_select(sel: &mut sqlparser::ast::Select) {
    for item in &mut sel.projection {
        if let sqlparser::ast::SelectItem::UnnamedExpr(Expr::Identifier(i)) = item {
            // `name` in backticks is labelled name, as MySQL does; `@x` is labelled @x (its
            // value replaces it).
            if i.quote_style.is_some() || i.value.starts_with('@') {
                *item = sqlparser::ast::SelectItem::ExprWithAlias {
                    alias: Ident::new(i.value.clone()),
                    expr: Expr::Identifier(i.clone()),
                };
            }
            continue;
        }
        if let sqlparser::ast::SelectItem::UnnamedExpr(e) = item {
            // `@@session.sql_mode` is labelled as written, as MySQL does.
            let system = super::system_variables::named(e).is_some();
            if system || !matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
                *item = sqlparser::ast::SelectItem::ExprWithAlias {
                    alias: Ident::with_quote('`', e.to_string()),
                    expr: e.clone(),
                };
            }
        }
    }
}

/// Replaces select aliases named in `GROUP BY`/`HAVING` by their expressions (the engine
/// needs the expressions when it splits a query).
pub fn substitute_select_aliases(sel: &mut sqlparser::ast::Select, columns: &ColumnCatalog) {
    super::select::substitute_aliases(sel, columns);
}

/// Joins as GlueSQL reads them (comma/CROSS/RIGHT joins rewritten), for the tracer.
pub fn normalise_from(sel: &mut sqlparser::ast::Select) -> Result<(), SqlError> {
    super::select::normalise_from(sel)
}

/// MySQL's row constructors, pair by pair, which GlueSQL lacks: `(a, b) = (1, 2)` is
/// `a = 1 AND b = 2`, `<>` its negation, `<`/`<=`/`>`/`>=` compare in order (the first pair
/// that differs decides), `<=>` pairs with `<=>`; `(a, b) IN ((1, 2), (3, 4))` is the OR of
/// the rows' equalities. AND and OR keep SQL's three-valued logic, as MySQL's row comparisons
/// do. `compared` rewrites each pairwise comparison as any other. Rows of different sizes are
/// MySQL's error 1241.
fn row_comparison(
    e: &Expr,
    compared: &dyn Fn(Expr) -> Result<Expr, SqlError>,
) -> Result<Option<Expr>, SqlError> {
    let pair = |l: &Expr, op: BinaryOperator, r: &Expr| {
        compared(Expr::BinaryOp {
            left: Box::new(l.clone()),
            op,
            right: Box::new(r.clone()),
        })
    };
    let and = |a: Expr, b: Expr| Expr::BinaryOp {
        left: Box::new(a),
        op: BinaryOperator::And,
        right: Box::new(b),
    };
    let or = |a: Expr, b: Expr| Expr::BinaryOp {
        left: Box::new(Expr::Nested(Box::new(a))),
        op: BinaryOperator::Or,
        right: Box::new(Expr::Nested(Box::new(b))),
    };
    let not = |a: Expr| Expr::UnaryOp {
        op: sqlparser::ast::UnaryOperator::Not,
        expr: Box::new(Expr::Nested(Box::new(a))),
    };
    let sizes = |l: &[Expr], r: &[Expr]| {
        if l.len() == r.len() {
            Ok(())
        } else {
            Err(SqlError::Invalid(Localized::new(
                format!(
                    "행 비교의 양쪽 열 수가 다릅니다: 열 {}개가 있어야 합니다 (MySQL 오류 1241)",
                    l.len()
                ),
                format!(
                    "Operand should contain {} column(s) (MySQL error 1241)",
                    l.len()
                ),
            )))
        }
    };
    // `l1 = r1 AND l2 = r2 …`
    let equal = |l: &[Expr], r: &[Expr], op: BinaryOperator| -> Result<Option<Expr>, SqlError> {
        let mut out: Option<Expr> = None;
        for (a, b) in l.iter().zip(r) {
            let c = pair(a, op.clone(), b)?;
            out = Some(match out {
                Some(prev) => and(prev, c),
                None => c,
            });
        }
        Ok(out)
    };
    match e {
        Expr::BinaryOp { left, right, .. }
            if matches!(
                (left.as_ref(), right.as_ref()),
                (Expr::Tuple(_), Expr::Subquery(_)) | (Expr::Subquery(_), Expr::Tuple(_))
            ) =>
        {
            Err(row_beside_subquery())
        }
        Expr::InSubquery { expr, .. } if matches!(expr.as_ref(), Expr::Tuple(_)) => {
            Err(row_beside_subquery())
        }
        Expr::BinaryOp { left, op, right } => {
            let (Expr::Tuple(l), Expr::Tuple(r)) = (left.as_ref(), right.as_ref()) else {
                return Ok(None);
            };
            sizes(l, r)?;
            if l.is_empty() {
                return Ok(None);
            }
            Ok(match op {
                BinaryOperator::Eq | BinaryOperator::Spaceship => equal(l, r, op.clone())?,
                BinaryOperator::NotEq => equal(l, r, BinaryOperator::Eq)?.map(not),
                BinaryOperator::Lt
                | BinaryOperator::LtEq
                | BinaryOperator::Gt
                | BinaryOperator::GtEq => {
                    let strict = match op {
                        BinaryOperator::Lt | BinaryOperator::LtEq => BinaryOperator::Lt,
                        _ => BinaryOperator::Gt,
                    };
                    // From the last pair back: l_i strict r_i OR (l_i = r_i AND the rest).
                    let n = l.len();
                    let mut acc = pair(&l[n - 1], op.clone(), &r[n - 1])?;
                    for i in (0..n - 1).rev() {
                        let first = pair(&l[i], strict.clone(), &r[i])?;
                        let same = pair(&l[i], BinaryOperator::Eq, &r[i])?;
                        acc = or(first, and(same, Expr::Nested(Box::new(acc))));
                    }
                    Some(acc)
                }
                _ => None,
            })
        }
        Expr::InList {
            expr,
            list,
            negated,
        } => {
            let Expr::Tuple(l) = expr.as_ref() else {
                return Ok(None);
            };
            let mut any: Option<Expr> = None;
            for item in list {
                let Expr::Tuple(r) = item else {
                    return Err(SqlError::Invalid(Localized::new(
                        format!(
                            "IN 목록의 각 항목은 열 {}개짜리 행이어야 합니다 (MySQL 오류 1241)",
                            l.len()
                        ),
                        format!(
                            "Operand should contain {} column(s) (MySQL error 1241)",
                            l.len()
                        ),
                    )));
                };
                sizes(l, r)?;
                if let Some(row) = equal(l, r, BinaryOperator::Eq)? {
                    any = Some(match any {
                        Some(prev) => or(prev, row),
                        None => row,
                    });
                }
            }
            Ok(any.map(|a| {
                if *negated {
                    not(a)
                } else {
                    Expr::Nested(Box::new(a))
                }
            }))
        }
        _ => Ok(None),
    }
}

/// A user variable's stored literal, parsed again (the stored text is never trusted).
fn user_variable(names: &NameResolver, name: &str) -> Result<Expr, SqlError> {
    let Some(text) = names.variables.get(&name.to_lowercase()) else {
        return Ok(Expr::Value(Value::Null));
    };
    sqlparser::parser::Parser::new(&sqlparser::dialect::MySqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        // A literal stands as it is (so a string is read as a date where one is wanted);
        // anything else in parentheses, to keep its place among operators.
        .map(|e| match e {
            Expr::Value(_) => e,
            other => Expr::Nested(Box::new(other)),
        })
        .map_err(|_| {
            SqlError::Invalid(Localized::new(
                format!(
                    "저장된 변수 @{name}의 값을 읽을 수 없습니다. SET @{name} = …로 다시 정하세요"
                ),
                format!(
                    "the stored value of @{name} cannot be read; set it again with SET @{name} = …"
                ),
            ))
        })
}

/// A LIKE pattern with its own escape character, rewritten for the default one (`\`):
/// `'50!%' ESCAPE '!'` is `'50\%'`. The escape must be one character (MySQL's error 1210)
/// and the pattern a literal.
fn escaped_pattern(pattern: &Expr, escape: &str) -> Result<Expr, SqlError> {
    let mut chars = escape.chars();
    let (Some(esc), None) = (chars.next(), chars.next()) else {
        return Err(SqlError::Invalid(Localized::new(
            "ESCAPE에는 문자 하나를 씁니다 (MySQL 오류 1210)",
            "Incorrect arguments to ESCAPE: it takes one character (MySQL error 1210)",
        )));
    };
    let Expr::Value(Value::SingleQuotedString(p) | Value::DoubleQuotedString(p)) = pattern else {
        return Err(SqlError::Unsupported {
            feature: Localized::new(
                "문자열이 아닌 LIKE 패턴과 ESCAPE",
                "ESCAPE with a LIKE pattern that is not a string",
            ),
            hint: Some(Localized::new(
                "패턴을 문자열로 쓰거나 기본 이스케이프 \\를 쓰세요",
                "write the pattern as a string, or use the default escape \\",
            )),
        });
    };
    if esc == '\\' {
        return Ok(pattern.clone());
    }
    let mut out = String::with_capacity(p.len());
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == esc {
            match it.next() {
                Some(n @ ('%' | '_')) => {
                    out.push('\\');
                    out.push(n);
                }
                Some('\\') => out.push_str("\\\\"),
                Some(n) => out.push(n),
                // A trailing escape stands for itself, as in MySQL.
                None => out.push(esc),
            }
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    Ok(Expr::Value(Value::SingleQuotedString(out)))
}
