//! `GROUP_CONCAT`, `JSON_ARRAYAGG` and `JSON_OBJECTAGG`, which GlueSQL lacks: the layer reads
//! each row's group key and values, gathers each group's values (GROUP_CONCAT's strings in its
//! `ORDER BY`, `DISTINCT`, with its `SEPARATOR`; a JSON array or object in row order), stages
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

/// What a call makes of its group's values.
enum Gather {
    /// `GROUP_CONCAT`: the strings, NULLs skipped, joined by the separator.
    Text { separator: String, distinct: bool },
    /// `JSON_ARRAYAGG(v)`: every value, NULL as `null`.
    JsonArray,
    /// `JSON_OBJECTAGG(k, v)`: the first value is the key, the second its value; a repeated
    /// key keeps its last value, as in MySQL.
    JsonObject,
}

/// One gathering call.
struct Concat {
    /// The values each row contributes: one, or for `JSON_OBJECTAGG` the key and the value.
    values: Vec<Expr>,
    order: Vec<OrderByExpr>,
    gather: Gather,
}

impl Concat {
    /// The group's values gathered (see [`Gather`]); NULL when the group gives nothing.
    fn join(&self, i: usize, members: &[usize], rows: &Rows) -> Result<Value, SqlError> {
        let (labels, rows) = rows;
        let position = |name: &str| labels.iter().position(|l| l == name);
        let Some(v) = position(&format!("__v{i}")) else {
            return Ok(Value::Null);
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
        match &self.gather {
            Gather::Text {
                separator,
                distinct,
            } => {
                let mut seen = HashSet::new();
                let parts: Vec<String> = members
                    .iter()
                    .map(|&m| &rows[m][v])
                    .filter(|val| !val.is_null())
                    .map(String::from)
                    .filter(|s| !distinct || seen.insert(gluesql_core::data::collation::fold(s)))
                    .collect();
                Ok(if parts.is_empty() {
                    Value::Null
                } else {
                    Value::Str(parts.join(separator))
                })
            }
            _ if members.is_empty() => Ok(Value::Null),
            Gather::JsonArray => {
                let items: Vec<Value> = members.iter().map(|&m| rows[m][v].clone()).collect();
                Ok(crate::builtins::json_array(&items))
            }
            Gather::JsonObject => {
                let Some(w) = position(&format!("__w{i}")) else {
                    return Ok(Value::Null);
                };
                let mut pairs = Vec::with_capacity(members.len() * 2);
                for &m in &members {
                    if rows[m][v].is_null() {
                        return Err(SqlError::Invalid(Localized::new(
                            "JSON_OBJECTAGG의 키가 NULL인 행이 있습니다: JSON 객체의 키는 NULL일 수 없습니다 (MySQL 오류 3158)",
                            "JSON documents may not contain NULL member names: a row gives JSON_OBJECTAGG a NULL key (MySQL error 3158)",
                        )));
                    }
                    pairs.push(rows[m][v].clone());
                    pairs.push(rows[m][w].clone());
                }
                Ok(crate::builtins::json_object_of(&pairs))
            }
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
        let staged = concat_groups(&keys, &concats, &rows)?;
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
        items.push(build::alias_item(c.values[0].clone(), &format!("__v{c_i}")));
        if let Some(second) = c.values.get(1) {
            items.push(build::alias_item(second.clone(), &format!("__w{c_i}")));
        }
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
fn concat_groups(
    keys: &[Expr],
    concats: &[Concat],
    rows: &Rows,
) -> Result<Vec<Vec<Value>>, SqlError> {
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
            for (i, c) in concats.iter().enumerate() {
                key.push(c.join(i, &members, rows)?);
            }
            Ok(key)
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

/// The gathering call `e` is, if it is one.
fn as_group_concat(e: &Expr) -> Option<Concat> {
    let Expr::Function(f) = e else { return None };
    let name = build::func_name(f);
    if !matches!(
        name.as_str(),
        "GROUP_CONCAT" | "JSON_ARRAYAGG" | "JSON_OBJECTAGG"
    ) {
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
    let (values, gather) = match (name.as_str(), values.len()) {
        ("GROUP_CONCAT", 0) => return None,
        // Several values are joined into one string first, as MySQL does.
        ("GROUP_CONCAT", n) => (
            if n == 1 {
                values
            } else {
                vec![func("CONCAT", values)]
            },
            Gather::Text {
                separator,
                distinct: matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct)),
            },
        ),
        ("JSON_ARRAYAGG", 1) => (values, Gather::JsonArray),
        ("JSON_OBJECTAGG", 2) => (values, Gather::JsonObject),
        _ => return None,
    };
    Some(Concat {
        values,
        order,
        gather,
    })
}

/// True when a select item calls `GROUP_CONCAT`, `JSON_ARRAYAGG` or `JSON_OBJECTAGG`.
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
