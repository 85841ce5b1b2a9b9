//! A SELECT planned for tracing: its FROM's relations and columns, its outputs, its sort
//! keys and where each comes from, and the wide query that reads every FROM/JOIN row once.

use super::labels::item_label;
use crate::dialect::{self, build, NameResolver};
use crate::error::SqlError;
use crate::Engine;
use gluesql_core::data::Value;
use sqlparser::ast::{
    Expr, GroupByExpr, Ident, ObjectName, OrderByExpr, Query, Select, SelectItem, SetExpr,
    TableFactor, TableWithJoins,
};

/// A select output: one of the wide columns (from `*`), a column named with its label, or an
/// expression with its label.
pub(super) enum Shown {
    Wide(usize),
    Column(usize, String),
    Expr(Box<Expr>, String),
}

/// Where an ORDER BY key comes from: a select output (alias or position), a column of the
/// FROM rows, or its own value.
pub(super) enum OrderSource {
    Output(usize),
    Wide(usize),
    Own,
}

/// What tracing a SELECT needs to know about it, worked out once.
pub(super) struct SelectPlan {
    pub query: Query,
    pub sel: Select,
    /// HAVING as the learner wrote it (select aliases and all).
    pub written_having: Option<String>,
    pub from: TableWithJoins,
    /// The name each relation of FROM is known by.
    pub aliases: Vec<String>,
    /// How many columns each relation has.
    pub widths: Vec<usize>,
    /// Every column of the FROM rows: (alias, column).
    pub wide: Vec<(String, String)>,
    pub grouped: bool,
    pub group_keys: Vec<Expr>,
    pub order: Vec<OrderByExpr>,
    pub outputs: Vec<Shown>,
    pub output_labels: Vec<String>,
    pub order_sources: Vec<OrderSource>,
}

/// A SELECT planned for tracing, or one without FROM (one row, computed by SELECT).
pub(super) enum Planned {
    Select(Box<SelectPlan>),
    NoFrom(Box<(Query, Select)>),
}

/// The wide query's result: the FROM rows' columns first, then the named extras.
pub(super) struct WideRows {
    pub labels: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub width: usize,
}

impl WideRows {
    /// Where an extra column (`__where`, `__p0` …) sits.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.labels
            .iter()
            .skip(self.width)
            .position(|l| l == name)
            .map(|p| p + self.width)
    }
}

/// The select values of the rows (or groups) that go on, and their sort keys.
pub(super) struct Selected {
    pub values: Vec<Vec<Value>>,
    pub sort_keys: Vec<Vec<Value>>,
}

impl SelectPlan {
    /// A column reference that names one wide column.
    pub fn wide_index(&self, e: &Expr) -> Option<usize> {
        wide_column(&self.wide, e)
    }

    pub fn wide_labels(&self) -> Vec<String> {
        self.wide.iter().map(|(a, c)| format!("{a}.{c}")).collect()
    }

    /// Each relation's columns as `alias.*`, up to relation `upto`: copied, not evaluated, so
    /// the wide query costs little more than `SELECT *`.
    pub(super) fn wide_items(&self, upto: usize) -> Vec<SelectItem> {
        self.aliases
            .iter()
            .take(upto)
            .map(|a| {
                SelectItem::QualifiedWildcard(
                    ObjectName(vec![Ident::new(a.clone())]),
                    Default::default(),
                )
            })
            .collect()
    }

    /// The wide query: every FROM/JOIN row with WHERE's value and, without grouping, the
    /// select items and sort keys; with grouping, the group keys that are not plain columns.
    pub(super) fn wide_query(&self) -> Query {
        let mut items = self.wide_items(self.wide.len());
        if let Some(w) = &self.sel.selection {
            items.push(build::alias_item(w.clone(), "__where"));
        }
        if self.grouped {
            for (i, k) in self.group_keys.iter().enumerate() {
                if self.wide_index(k).is_none() {
                    items.push(build::alias_item(k.clone(), &format!("__k{i}")));
                }
            }
        } else {
            for (i, o) in self.outputs.iter().enumerate() {
                if let Shown::Expr(e, _) = o {
                    items.push(build::alias_item(self.per_kept_row(e), &format!("__p{i}")));
                }
            }
            for (i, (o, src)) in self.order.iter().zip(&self.order_sources).enumerate() {
                if matches!(src, OrderSource::Own) {
                    items.push(build::alias_item(
                        self.per_kept_row(&o.expr),
                        &format!("__o{i}"),
                    ));
                }
            }
        }
        let mut wide_sel = self.sel.clone();
        wide_sel.projection = items;
        wide_sel.selection = None;
        wide_sel.group_by = GroupByExpr::Expressions(vec![], vec![]);
        wide_sel.having = None;
        wide_sel.distinct = None;
        Query {
            body: Box::new(SetExpr::Select(Box::new(wide_sel))),
            ..build::empty_query()
        }
    }

    /// A select item computed for the wide rows: one that draws `RAND()` is computed only for
    /// the rows WHERE keeps (`CASE WHEN where THEN item END`), as the engine draws them, so the
    /// steps show the very numbers of the answer.
    fn per_kept_row(&self, e: &Expr) -> Expr {
        match &self.sel.selection {
            Some(w) if build::calls(e, "RAND") => Expr::Case {
                operand: None,
                conditions: vec![w.clone()],
                results: vec![e.clone()],
                else_result: None,
            },
            _ => e.clone(),
        }
    }

    /// The positions of the group keys in the wide rows.
    pub fn key_columns(&self, wide: &WideRows) -> Vec<usize> {
        self.group_keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                self.wide_index(k)
                    .or_else(|| wide.position(&format!("__k{i}")))
            })
            .collect()
    }
}

impl Engine {
    /// The plan of a SELECT (with its FROM normalised: comma joins, `dual` …).
    pub(super) fn plan_select(
        &mut self,
        q: Query,
        sel: Select,
        scope: &NameResolver,
        now: &str,
    ) -> Result<Planned, SqlError> {
        let written_having = sel.having.as_ref().map(ToString::to_string);
        let mut sel = sel;
        dialect::rewrite::label_select(&mut sel);
        let (catalog, _) = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::substitute_select_aliases(&mut sel, &catalog);
        dialect::rewrite::normalise_from(&mut sel)?;
        let Some(from) = sel.from.first().cloned() else {
            return Ok(Planned::NoFrom(Box::new((q, sel))));
        };
        let relations: Vec<&TableFactor> = std::iter::once(&from.relation)
            .chain(from.joins.iter().map(|j| &j.relation))
            .collect();
        let aliases: Vec<String> = relations
            .iter()
            .enumerate()
            .map(|(i, rel)| build::factor_alias(rel).unwrap_or_else(|| format!("t{i}")))
            .collect();
        let mut wide = Vec::new();
        let mut widths = Vec::new();
        for (rel, alias) in relations.iter().zip(&aliases) {
            let cols = self.relation_columns(rel, alias, &from, scope, now)?;
            widths.push(cols.len());
            wide.extend(cols.into_iter().map(|c| (alias.clone(), c)));
        }
        let grouped = super::is_grouped(&sel);
        let group_keys = match &sel.group_by {
            GroupByExpr::Expressions(e, _) => e.clone(),
            GroupByExpr::All(_) => vec![],
        };
        // ENUM columns sort by member index, as the plain run sorts them (see
        // `dialect::rewrite::enum_order`).
        let mut ordered = q.clone();
        let (_, tables) = crate::glue::column_catalog(&self.storage);
        dialect::rewrite::enum_order(&mut ordered, &self.enum_columns(&tables));
        let order: Vec<OrderByExpr> = ordered
            .order_by
            .as_ref()
            .map(|o| o.exprs.clone())
            .unwrap_or_default();
        let outputs = shown_outputs(&sel, &wide, grouped);
        let output_labels: Vec<String> = outputs
            .iter()
            .map(|o| match o {
                Shown::Wide(i) => wide[*i].1.clone(),
                Shown::Column(_, l) | Shown::Expr(_, l) => l.clone(),
            })
            .collect();
        let order_sources = order
            .iter()
            .map(|o| match order_source(&o.expr, &output_labels) {
                OrderSource::Own if !grouped => {
                    wide_column(&wide, &o.expr).map_or(OrderSource::Own, OrderSource::Wide)
                }
                other => other,
            })
            .collect();
        Ok(Planned::Select(Box::new(SelectPlan {
            query: q,
            sel,
            written_having,
            from,
            aliases,
            widths,
            wide,
            grouped,
            group_keys,
            order,
            outputs,
            output_labels,
            order_sources,
        })))
    }
}

/// The output columns: each select item, wildcards spelled out over the wide columns.
fn shown_outputs(sel: &Select, wide: &[(String, String)], grouped: bool) -> Vec<Shown> {
    let mut outputs = Vec::new();
    for item in &sel.projection {
        match item {
            SelectItem::Wildcard(_) => outputs.extend((0..wide.len()).map(Shown::Wide)),
            SelectItem::QualifiedWildcard(name, _) => {
                let alias = name.0.last().map(|i| i.value.clone()).unwrap_or_default();
                outputs.extend(
                    wide.iter()
                        .enumerate()
                        .filter(|(_, (a, _))| a.eq_ignore_ascii_case(&alias))
                        .map(|(i, _)| Shown::Wide(i)),
                );
            }
            SelectItem::UnnamedExpr(e) => outputs.push(shown(e, item_label(e), wide, grouped)),
            SelectItem::ExprWithAlias { expr, alias } => {
                outputs.push(shown(expr, alias.value.clone(), wide, grouped));
            }
        }
    }
    outputs
}

fn shown(e: &Expr, label: String, wide: &[(String, String)], grouped: bool) -> Shown {
    match wide_column(wide, e) {
        Some(i) if !grouped => Shown::Column(i, label),
        _ => Shown::Expr(Box::new(e.clone()), label),
    }
}

fn order_source(e: &Expr, labels: &[String]) -> OrderSource {
    match e {
        Expr::Identifier(i) => labels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(&i.value))
            .map_or(OrderSource::Own, OrderSource::Output),
        Expr::Value(sqlparser::ast::Value::Number(..)) => build::literal_i64(e)
            .and_then(|n| usize::try_from(n - 1).ok())
            .filter(|n| *n < labels.len())
            .map_or(OrderSource::Own, OrderSource::Output),
        _ => OrderSource::Own,
    }
}

pub(super) fn is_wildcard(item: &SelectItem) -> bool {
    matches!(
        item,
        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
    )
}

/// The one wide column a column reference names.
pub(super) fn wide_column(wide: &[(String, String)], e: &Expr) -> Option<usize> {
    match e {
        Expr::Identifier(c) => {
            let mut hits = wide
                .iter()
                .enumerate()
                .filter(|(_, (_, col))| col.eq_ignore_ascii_case(&c.value));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        }
        Expr::CompoundIdentifier(p) if p.len() == 2 => wide.iter().position(|(a, c)| {
            a.eq_ignore_ascii_case(&p[0].value) && c.eq_ignore_ascii_case(&p[1].value)
        }),
        _ => None,
    }
}
