//! Small constructors for sqlparser AST nodes used by the rewrites.

use sqlparser::ast::{
    CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, Ident, ObjectName, Query, Select, SelectItem, SetExpr, Statement,
    TableAlias, TableFactor, TableWithJoins, Value,
};

/// A number literal. `n` prints as a plain decimal (integers, floats' `Display`), so it parses.
pub fn num(n: impl ToString) -> Expr {
    let text = n.to_string();
    match text.parse::<bigdecimal::BigDecimal>() {
        Ok(d) => Expr::Value(Value::Number(d, false)),
        Err(_) => Expr::Value(Value::Null),
    }
}

/// `left op right`.
pub fn binary(left: Expr, op: sqlparser::ast::BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

/// The integer a literal stands for, if it is one.
pub fn literal_i64(e: &Expr) -> Option<i64> {
    match e {
        Expr::Value(Value::Number(n, _)) if n.is_integer() => bigdecimal::ToPrimitive::to_i64(n),
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => literal_i64(expr).map(|n| -n),
        Expr::Nested(inner) => literal_i64(inner),
        _ => None,
    }
}

pub fn str_lit(s: impl Into<String>) -> Expr {
    Expr::Value(Value::SingleQuotedString(s.into()))
}

pub fn null() -> Expr {
    Expr::Value(Value::Null)
}

pub fn func(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![Ident::new(name)]),
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

pub fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        format: None,
    }
}

pub fn nested(expr: Expr) -> Expr {
    Expr::Nested(Box::new(expr))
}

/// The plain positional arguments of a function call, or `None` when it has other shapes
/// (named arguments, `*`, clauses).
pub fn plain_args(f: &Function) -> Option<Vec<Expr>> {
    match &f.args {
        FunctionArguments::None => Some(vec![]),
        FunctionArguments::List(list) if list.clauses.is_empty() => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A function's name in upper case (the last part of a qualified name).
pub fn func_name(f: &Function) -> String {
    f.name
        .0
        .last()
        .map(|i| i.value.to_uppercase())
        .unwrap_or_default()
}

/// `expr AS alias`.
pub fn alias_item(expr: Expr, alias: &str) -> SelectItem {
    SelectItem::ExprWithAlias {
        expr,
        alias: Ident::new(alias),
    }
}

/// The table `name` read under `alias`.
pub fn table_factor(name: &str, alias: TableAlias) -> TableFactor {
    stored_table(ObjectName(vec![Ident::new(name)]), Some(alias))
}

/// A stored table in FROM, nothing but its name and alias (no hints, arguments or partitions).
fn stored_table(name: ObjectName, alias: Option<TableAlias>) -> TableFactor {
    TableFactor::Table {
        name,
        alias,
        args: None,
        with_hints: vec![],
        version: None,
        with_ordinality: false,
        partitions: vec![],
        index_hints: vec![],
    }
}

/// A plain alias (no column list).
pub fn table_alias(name: &str) -> TableAlias {
    TableAlias {
        name: Ident::new(name),
        columns: vec![],
    }
}

/// The name a table in FROM is known by: its alias, else its (last) name; a derived table's
/// alias.
pub fn factor_alias(tf: &TableFactor) -> Option<String> {
    match tf {
        TableFactor::Table { alias, name, .. } => alias
            .as_ref()
            .map(|a| a.name.value.clone())
            .or_else(|| name.0.last().map(|i| i.value.clone())),
        TableFactor::Derived { alias, .. } => alias.as_ref().map(|a| a.name.value.clone()),
        _ => None,
    }
}

/// `SELECT projection FROM from [WHERE selection]`, every other clause empty. (Parsed from a
/// fixed text: sqlparser's `Select` has many fields, and parsing fills them as it would.)
pub fn select_query(
    projection: Vec<SelectItem>,
    from: Vec<TableWithJoins>,
    selection: Option<Expr>,
) -> Query {
    let parsed = super::parse_mysql("SELECT 1")
        .ok()
        .and_then(|mut s| s.pop());
    let Some(Statement::Query(mut q)) = parsed else {
        return empty_query();
    };
    if let SetExpr::Select(sel) = q.body.as_mut() {
        let sel: &mut Select = sel;
        sel.projection = projection;
        sel.from = from;
        sel.selection = selection;
    }
    *q
}

/// A query with no rows and no clauses, to be filled in (`..empty_query()`).
pub fn empty_query() -> Query {
    Query {
        with: None,
        body: Box::new(SetExpr::Values(sqlparser::ast::Values {
            explicit_row: false,
            rows: vec![],
        })),
        order_by: None,
        limit: None,
        limit_by: vec![],
        offset: None,
        fetch: None,
        locks: vec![],
        for_clause: None,
        settings: None,
        format_clause: None,
    }
}

/// `left = right`.
pub fn eq(left: Expr, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op: sqlparser::ast::BinaryOperator::Eq,
        right: Box::new(right),
    }
}

/// `left AND right`.
pub fn and(left: Expr, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op: sqlparser::ast::BinaryOperator::And,
        right: Box::new(right),
    }
}

/// `(left) OR (right)`.
pub fn or(left: Expr, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(nested(left)),
        op: sqlparser::ast::BinaryOperator::Or,
        right: Box::new(nested(right)),
    }
}

/// A column named as it is stored (any characters; the AST carries the quoting).
pub fn column(name: &str) -> Expr {
    Expr::Identifier(Ident::with_quote('`', name))
}

/// `COUNT(*)`.
pub fn count_star() -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![Ident::new("COUNT")]),
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)],
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// A table in FROM, without an alias.
pub fn from_table(name: ObjectName) -> TableWithJoins {
    TableWithJoins {
        relation: stored_table(name, None),
        joins: vec![],
    }
}

/// `DELETE FROM table WHERE selection`.
pub fn delete_where(table: ObjectName, selection: Expr) -> Statement {
    Statement::Delete(sqlparser::ast::Delete {
        tables: vec![],
        from: sqlparser::ast::FromTable::WithFromKeyword(vec![from_table(table)]),
        using: None,
        selection: Some(selection),
        returning: None,
        order_by: vec![],
        limit: None,
    })
}

/// `UPDATE table SET assignments WHERE selection`.
pub fn update_where(
    table: ObjectName,
    assignments: Vec<sqlparser::ast::Assignment>,
    selection: Expr,
) -> Statement {
    Statement::Update {
        table: from_table(table),
        assignments,
        from: None,
        selection: Some(selection),
        returning: None,
        order_by: vec![],
        limit: None,
    }
}

/// `VALUES (…), (…)` as a query.
pub fn values_query(rows: Vec<Vec<Expr>>) -> Query {
    Query {
        body: Box::new(SetExpr::Values(sqlparser::ast::Values {
            explicit_row: false,
            rows,
        })),
        ..empty_query()
    }
}

/// `INSERT INTO table (columns) VALUES rows`.
pub fn insert_values(table: ObjectName, columns: Vec<Ident>, rows: Vec<Vec<Expr>>) -> Statement {
    Statement::Insert(sqlparser::ast::Insert {
        or: None,
        ignore: false,
        into: true,
        table_name: table,
        table_alias: None,
        columns,
        overwrite: false,
        source: Some(Box::new(values_query(rows))),
        partitioned: None,
        after_columns: vec![],
        table: false,
        on: None,
        returning: None,
        replace_into: false,
        priority: None,
        insert_alias: None,
    })
}

/// True when `e` calls the function `name` (upper case) anywhere inside.
pub fn calls(e: &Expr, name: &str) -> bool {
    let mut found = false;
    let _ = crate::walk::exprs(e, |e: &Expr| {
        if matches!(e, Expr::Function(f) if func_name(f) == name) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

/// `x [NOT] IN (…)` as MySQL's three-valued logic has it when the list holds a NULL: no match
/// is NULL (unknown), never FALSE, so `x NOT IN (1, NULL)` keeps no row. GlueSQL answers FALSE
/// (TRUE for NOT IN). `None` when the list has no NULL literal (GlueSQL is right then).
pub fn in_list_with_null(expr: &Expr, list: &[Expr], negated: bool) -> Option<Expr> {
    let is_null = |e: &Expr| matches!(e, Expr::Value(Value::Null));
    if !list.iter().any(is_null) {
        return None;
    }
    let rest: Vec<Expr> = list.iter().filter(|e| !is_null(e)).cloned().collect();
    let matched = if rest.is_empty() {
        Expr::Value(Value::Boolean(false))
    } else {
        Expr::InList {
            expr: Box::new(expr.clone()),
            list: rest,
            negated: false,
        }
    };
    Some(Expr::Case {
        operand: None,
        conditions: vec![matched],
        results: vec![Expr::Value(Value::Boolean(!negated))],
        else_result: Some(Box::new(null())),
    })
}

/// Calls `f` on every expression of `e` that belongs to its own SELECT, children first, and
/// not on those of the subqueries inside it (each rewritten when its own SELECT is).
pub fn visit_outside_subqueries(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    use sqlparser::ast::VisitorMut;
    use std::ops::ControlFlow;
    struct Outside<'a> {
        depth: usize,
        f: &'a mut dyn FnMut(&mut Expr),
    }
    impl VisitorMut for Outside<'_> {
        type Break = ();
        fn pre_visit_query(&mut self, _q: &mut Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _q: &mut Query) -> ControlFlow<()> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if self.depth == 0 {
                (self.f)(e);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = crate::walk::visit_mut(e, &mut Outside { depth: 0, f });
}

/// The name a select item gives its column when it names one: its alias, or the column it
/// reads (`s.name` is `name`); `None` for a computed item without an alias or a wildcard.
pub fn item_name(item: &SelectItem) -> Option<String> {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
        SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(i.value.clone()),
        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => {
            parts.last().map(|i| i.value.clone())
        }
        _ => None,
    }
}
