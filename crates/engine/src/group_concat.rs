//! `GROUP_CONCAT`, which GlueSQL lacks: the layer reads each row's group key and values,
//! joins each group's strings (in its `ORDER BY`, `DISTINCT`, with its `SEPARATOR`), stages
//! them, and the select reads them back with `MIN` over a join on the group key, so every
//! other aggregate stays GlueSQL's.

use crate::dialect::build::{self, func};
use crate::dialect::{self, NameResolver};
use crate::error::SqlError;
use crate::query::Rows;
use crate::window::{self, group_key};
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{
    BinaryOperator, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, OrderByExpr, Query,
    Select, SelectItem, SetExpr, Value as SqlValue,
};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

/// One `GROUP_CONCAT` call.
struct Concat {
    value: Expr,
    order: Vec<OrderByExpr>,
    separator: String,
    distinct: bool,
}

impl Concat {
    /// The group's strings joined: NULLs skipped, sorted by the call's ORDER BY, repeats
    /// dropped with DISTINCT; NULL when nothing is left.
    fn join(&self, i: usize, members: &[usize], rows: &Rows) -> Value {
        let (labels, rows) = rows;
        let position = |name: &str| labels.iter().position(|l| l == name);
        let Some(v) = position(&format!("__v{i}")) else {
            return Value::Null;
        };
        let order_cols: Vec<(usize, bool)> = (self.order.iter().enumerate())
            .filter_map(|(j, o)| {
                position(&format!("__o{i}_{j}")).map(|p| (p, o.asc != Some(false)))
            })
            .collect();
        let mut members = members.to_vec();
        sqlnori_model::sort::sort_by(&mut members, |&a, &b| {
            order_cols
                .iter()
                .map(|&(p, asc)| {
                    let o = window::compare(&rows[a][p], &rows[b][p]);
                    if asc {
                        o
                    } else {
                        o.reverse()
                    }
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut seen = HashSet::new();
        let parts: Vec<String> = members
            .iter()
            .map(|&m| &rows[m][v])
            .filter(|val| !val.is_null())
            .map(String::from)
            .filter(|s| !self.distinct || seen.insert(gluesql_core::data::collation::fold(s)))
            .collect();
        if parts.is_empty() {
            Value::Null
        } else {
            Value::Str(parts.join(&self.separator))
        }
    }
}

impl Engine {
    /// A select that calls `GROUP_CONCAT` (see the module documentation).
    pub(crate) fn run_group_concat(
        &mut self,
        mut q: Query,
        mut sel: Select,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        if sel.from.is_empty() {
            return Err(SqlError::Unsupported {
                feature: Localized::new("FROM 없는 GROUP_CONCAT", "GROUP_CONCAT without FROM"),
                hint: None,
            });
        }
        let (columns, _) = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::substitute_select_aliases(&mut sel, &columns);
        let keys: Vec<Expr> = match &sel.group_by {
            GroupByExpr::Expressions(e, _) => e.clone(),
            GroupByExpr::All(_) => vec![],
        };
        let concats = take_concats(&mut sel);
        let rows = self.run_plain_query(phase_one(&sel, &keys, &concats), scope, now)?;
        let staged = concat_groups(&keys, &concats, &rows);
        let mut labels: Vec<String> = (0..keys.len()).map(|i| format!("__k{i}")).collect();
        labels.extend((0..concats.len()).map(|i| format!("__g{i}")));
        self.stage("__gc", &labels, staged, scope, temps)?;
        if let Some(last) = sel.from.last_mut() {
            last.joins.push(Join {
                relation: build::table_factor("__gc", build::table_alias("__gc")),
                global: false,
                join_operator: JoinOperator::LeftOuter(JoinConstraint::On(join_on(&keys))),
            });
        }
        *q.body = SetExpr::Select(Box::new(sel));
        self.glue_query(q, scope, now)
    }
}

/// Takes every `GROUP_CONCAT` out of the select and HAVING, each replaced by `MIN(__gc.__gN)`.
fn take_concats(sel: &mut Select) -> Vec<Concat> {
    let mut concats: Vec<Concat> = Vec::new();
    let mut visit = |e: &mut Expr| {
        let _ = crate::walk::exprs_mut(e, |e: &mut Expr| {
            if let Some(c) = as_group_concat(e) {
                *e = func(
                    "MIN",
                    vec![Expr::CompoundIdentifier(vec![
                        Ident::new("__gc"),
                        Ident::new(format!("__g{}", concats.len())),
                    ])],
                );
                concats.push(c);
            }
            ControlFlow::<()>::Continue(())
        });
    };
    for item in &mut sel.projection {
        if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
            visit(e);
        }
    }
    if let Some(h) = sel.having.as_mut() {
        visit(h);
    }
    concats
}

/// Phase one: each row's group key and the values (and sort keys) to concatenate, without
/// grouping.
fn phase_one(sel: &Select, keys: &[Expr], concats: &[Concat]) -> Query {
    let mut items: Vec<SelectItem> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| build::alias_item(join_key(k), &format!("__k{i}")))
        .collect();
    for (c_i, c) in concats.iter().enumerate() {
        items.push(build::alias_item(c.value.clone(), &format!("__v{c_i}")));
        for (j, o) in c.order.iter().enumerate() {
            items.push(build::alias_item(o.expr.clone(), &format!("__o{c_i}_{j}")));
        }
    }
    let mut phase = sel.clone();
    phase.projection = items;
    phase.group_by = GroupByExpr::Expressions(vec![], vec![]);
    phase.having = None;
    phase.distinct = None;
    Query {
        body: Box::new(SetExpr::Select(Box::new(phase))),
        ..build::empty_query()
    }
}

/// One staged row per group: its key, then each call's joined string.
fn concat_groups(keys: &[Expr], concats: &[Concat], rows: &Rows) -> Vec<Vec<Value>> {
    let (labels, values) = rows;
    let key_cols: Vec<usize> = (0..keys.len())
        .filter_map(|i| labels.iter().position(|l| *l == format!("__k{i}")))
        .collect();
    let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (r, row) in values.iter().enumerate() {
        let key: Vec<&Value> = key_cols.iter().map(|&c| &row[c]).collect();
        let slot = *index.entry(group_key(&key)).or_insert_with(|| {
            groups.push((key.iter().map(|v| (*v).clone()).collect(), vec![]));
            groups.len() - 1
        });
        groups[slot].1.push(r);
    }
    groups
        .into_iter()
        .map(|(mut key, members)| {
            key.extend(
                concats
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.join(i, &members, rows)),
            );
            key
        })
        .collect()
}

/// Each row meets its group's strings by the key's text (NULL keys match NULL keys, as groups
/// do; a plain equality keeps GlueSQL's join simple).
fn join_on(keys: &[Expr]) -> Expr {
    keys.iter()
        .enumerate()
        .map(|(i, k)| Expr::BinaryOp {
            left: Box::new(Expr::CompoundIdentifier(vec![
                Ident::new("__gc"),
                Ident::new(format!("__k{i}")),
            ])),
            op: BinaryOperator::Eq,
            right: Box::new(join_key(k)),
        })
        .reduce(|a, b| Expr::BinaryOp {
            left: Box::new(a),
            op: BinaryOperator::And,
            right: Box::new(b),
        })
        .unwrap_or(Expr::Value(SqlValue::Boolean(true)))
}

/// A group key as text, with NULL as a marker no text value has.
fn join_key(k: &Expr) -> Expr {
    func(
        "COALESCE",
        vec![
            build::cast(k.clone(), sqlparser::ast::DataType::Text),
            dialect::str_lit("\u{1}NULL"),
        ],
    )
}

fn as_group_concat(e: &Expr) -> Option<Concat> {
    let Expr::Function(f) = e else { return None };
    if build::func_name(f) != "GROUP_CONCAT" {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let values: Vec<Expr> = list
        .args
        .iter()
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
            _ => None,
        })
        .collect();
    let value = match values.len() {
        0 => return None,
        1 => values.into_iter().next()?,
        _ => func("CONCAT", values),
    };
    let mut order = vec![];
    let mut separator = ",".to_owned();
    for clause in &list.clauses {
        match clause {
            FunctionArgumentClause::OrderBy(o) => order = o.clone(),
            FunctionArgumentClause::Separator(
                SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s),
            ) => separator = s.clone(),
            _ => {}
        }
    }
    Some(Concat {
        value,
        order,
        separator,
        distinct: matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct)),
    })
}

/// True when a select item calls `GROUP_CONCAT`.
pub(crate) fn has_group_concat(sel: &Select) -> bool {
    let mut found = false;
    let _ = crate::walk::exprs(&sel.projection, |e: &Expr| {
        if as_group_concat(e).is_some() {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}
