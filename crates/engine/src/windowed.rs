//! A SELECT with window functions, run in three parts: GlueSQL computes the rows with every
//! window's inputs (partition keys, sort keys, arguments) as hidden columns; the layer
//! computes each window call over them ([`crate::window`]); GlueSQL evaluates the select
//! items, ORDER BY and LIMIT over the staged rows.

use crate::dialect::build::{self, literal_i64};
use crate::dialect::NameResolver;
use crate::error::SqlError;
use crate::query::{select_all_from, Rows, MAX_LAYER_ROWS};
use crate::window::{self, WindowCall};
use crate::Engine;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Distinct, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, NamedWindowExpr,
    OrderBy, OrderByExpr, Query, Select, SelectItem, SetExpr, WindowSpec, WindowType,
};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

/// A window call taken out of an expression.
struct WindowUse {
    function: String,
    args: Vec<Expr>,
    /// `COUNT(*)`.
    star: bool,
    spec: WindowSpec,
}

/// Where a call's inputs sit among the hidden columns: partition keys, sort keys (with their
/// direction), arguments.
struct CallInputs {
    partition: Vec<usize>,
    order: Vec<(usize, bool)>,
    args: Vec<usize>,
}

/// An item of the outer select.
enum Outer {
    /// A non-window item (`true` for `*`), read from the staged columns in order.
    Visible(bool),
    /// A window item: its expression over the staged columns, and its label.
    Window(Box<Expr>, String),
}

/// The select taken apart: the calls, the hidden inputs, and the items of the inner and
/// outer queries.
struct WindowSplit {
    calls: Vec<WindowUse>,
    inputs: Vec<CallInputs>,
    /// Hidden columns of the inner query: name and expression.
    hidden: Vec<(String, Expr)>,
    inner_items: Vec<SelectItem>,
    outer_items: Vec<Outer>,
    order_exprs: Vec<OrderByExpr>,
}

impl WindowSplit {
    fn new(sel: &mut Select, order_exprs: Vec<OrderByExpr>) -> Result<Self, SqlError> {
        let named: HashMap<String, WindowSpec> = sel
            .named_window
            .iter()
            .filter_map(|d| match &d.1 {
                NamedWindowExpr::WindowSpec(s) => Some((d.0.value.to_lowercase(), s.clone())),
                NamedWindowExpr::NamedWindow(_) => None,
            })
            .collect();
        let mut calls = Vec::new();
        let mut window_items = HashSet::new();
        for (i, item) in sel.projection.iter_mut().enumerate() {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                let before = calls.len();
                take_windows(e, &named, &mut calls)?;
                if calls.len() > before {
                    window_items.insert(i);
                }
            }
        }
        let mut order_exprs = order_exprs;
        for o in &mut order_exprs {
            take_windows(&mut o.expr, &named, &mut calls)?;
        }
        let mut split = WindowSplit {
            calls,
            inputs: vec![],
            hidden: vec![],
            inner_items: vec![],
            outer_items: vec![],
            order_exprs,
        };
        split.slot_inputs();
        split.split_items(sel, &window_items);
        Ok(split)
    }

    /// Each call's inputs as hidden columns `__wK_pJ`, `__wK_oJ`, `__wK_aJ`.
    fn slot_inputs(&mut self) {
        let hidden = &mut self.hidden;
        for (k, call) in self.calls.iter().enumerate() {
            let mut slot = |kind: &str, j: usize, e: &Expr| {
                hidden.push((format!("__w{k}_{kind}{j}"), e.clone()));
                hidden.len() - 1
            };
            let partition = (call.spec.partition_by.iter().enumerate())
                .map(|(j, e)| slot("p", j, e))
                .collect();
            let order = (call.spec.order_by.iter().enumerate())
                .map(|(j, o)| (slot("o", j, &o.expr), o.asc != Some(false)))
                .collect();
            let args = (call.args.iter().enumerate())
                .map(|(j, e)| slot("a", j, e))
                .collect();
            self.inputs.push(CallInputs {
                partition,
                order,
                args,
            });
        }
    }

    /// The inner query keeps the non-window items; window items and ORDER BY keys move to the
    /// outer query, their column references carried as hidden columns `__rN`.
    fn split_items(&mut self, sel: &Select, window_items: &HashSet<usize>) {
        let mut refs: HashMap<String, String> = HashMap::new();
        let hidden = &mut self.hidden;
        let mut carry = |e: &mut Expr| {
            let _ = crate::walk::exprs_mut(e, |e: &mut Expr| {
                let is_ref = match e {
                    Expr::Identifier(i) => !i.value.starts_with("__w"),
                    Expr::CompoundIdentifier(_) => true,
                    _ => false,
                };
                if is_ref {
                    let name = refs.entry(e.to_string()).or_insert_with(|| {
                        hidden.push((format!("__r{}", hidden.len()), e.clone()));
                        format!("__r{}", hidden.len() - 1)
                    });
                    *e = Expr::Identifier(Ident::new(name.clone()));
                }
                ControlFlow::<()>::Continue(())
            });
        };
        for (i, item) in sel.projection.iter().enumerate() {
            if window_items.contains(&i) {
                let (mut expr, label) = match item {
                    SelectItem::UnnamedExpr(e) => (e.clone(), e.to_string()),
                    SelectItem::ExprWithAlias { expr, alias } => {
                        (expr.clone(), alias.value.clone())
                    }
                    _ => continue,
                };
                carry(&mut expr);
                self.outer_items.push(Outer::Window(Box::new(expr), label));
            } else {
                self.inner_items.push(item.clone());
                self.outer_items.push(Outer::Visible(matches!(
                    item,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )));
            }
        }
        let labels: HashSet<String> = sel
            .projection
            .iter()
            .filter_map(crate::query::item_label)
            .map(|l| l.to_lowercase())
            .collect();
        for o in &mut self.order_exprs {
            let is_label =
                matches!(&o.expr, Expr::Identifier(i) if labels.contains(&i.value.to_lowercase()));
            if !is_label {
                carry(&mut o.expr);
            }
        }
    }

    /// The inner query: every non-window item, then the hidden inputs.
    fn inner_query(&self, sel: &Select) -> Query {
        let mut inner = sel.clone();
        inner.distinct = None;
        inner.named_window.clear();
        inner.projection = self.inner_items.clone();
        inner.projection.extend(
            self.hidden
                .iter()
                .map(|(name, e)| build::alias_item(e.clone(), name)),
        );
        Query {
            body: Box::new(SetExpr::Select(Box::new(inner))),
            ..build::empty_query()
        }
    }

    /// Each call's value per row, appended to the rows (`visible`: the inner query's own
    /// columns before the hidden ones).
    fn add_window_values(
        &self,
        rows: &mut [Vec<gluesql_core::data::Value>],
        visible: usize,
    ) -> Result<(), SqlError> {
        let mut results = Vec::new();
        for (call, inputs) in self.calls.iter().zip(&self.inputs) {
            let window = WindowCall {
                function: call.function.clone(),
                partition: inputs.partition.iter().map(|p| visible + p).collect(),
                order: inputs
                    .order
                    .iter()
                    .map(|(p, asc)| (visible + p, *asc))
                    .collect(),
                args: inputs.args.iter().map(|p| visible + p).collect(),
                star: call.star,
                frame: call.spec.window_frame.clone(),
                literal_args: call.args.iter().map(literal_i64).collect(),
            };
            results.push(window::evaluate(&window, rows)?);
        }
        for (r, row) in rows.iter_mut().enumerate() {
            for values in &results {
                row.push(values[r].clone());
            }
        }
        Ok(())
    }

    /// The outer select's items over the staged columns `__c0…`, labelled as the learner's.
    fn outer_projection(
        &self,
        inner_labels: &[String],
        visible: usize,
    ) -> Result<Vec<SelectItem>, SqlError> {
        let count = |wildcard: bool| {
            self.outer_items
                .iter()
                .filter(|o| matches!(o, Outer::Visible(w) if *w == wildcard))
                .count()
        };
        if count(true) > 1 {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    "윈도 함수와 함께 쓴 * 두 개",
                    "two * lists together with window functions",
                ),
                hint: Some(Localized::new(
                    "열 이름을 나열하세요",
                    "list the columns by name",
                )),
            });
        }
        let wildcard_width = visible.saturating_sub(count(false));
        let mut projection = Vec::new();
        let mut next = 0;
        for o in &self.outer_items {
            match o {
                Outer::Visible(is_wildcard) => {
                    let width = if *is_wildcard { wildcard_width } else { 1 };
                    for _ in 0..width {
                        let label = inner_labels.get(next).cloned().unwrap_or_default();
                        projection.push(SelectItem::ExprWithAlias {
                            expr: Expr::Identifier(Ident::new(format!("__c{next}"))),
                            alias: Ident::with_quote('`', label),
                        });
                        next += 1;
                    }
                }
                Outer::Window(expr, label) => projection.push(SelectItem::ExprWithAlias {
                    expr: (**expr).clone(),
                    alias: Ident::with_quote('`', label.clone()),
                }),
            }
        }
        Ok(projection)
    }
}

impl Engine {
    /// A select with window functions (see the module documentation).
    pub(crate) fn run_windowed(
        &mut self,
        q: Query,
        mut sel: Select,
        scope: &mut NameResolver,
        now: &str,
        temps: &mut Vec<String>,
    ) -> Result<Rows, SqlError> {
        let order_exprs = q.order_by.map(|o| o.exprs).unwrap_or_default();
        let split = WindowSplit::new(&mut sel, order_exprs)?;
        let (inner_labels, mut rows) = self.run_plain_query(split.inner_query(&sel), scope, now)?;
        if rows.len() > MAX_LAYER_ROWS {
            return Err(SqlError::Limit(Localized::new(
                format!("윈도 함수를 {MAX_LAYER_ROWS}행보다 많은 행에 쓸 수 없습니다"),
                format!("window functions over more than {MAX_LAYER_ROWS} rows"),
            )));
        }
        let visible = inner_labels.len().saturating_sub(split.hidden.len());
        split.add_window_values(&mut rows, visible)?;
        let mut table_labels: Vec<String> = (0..visible).map(|i| format!("__c{i}")).collect();
        table_labels.extend(split.hidden.iter().map(|(n, _)| n.clone()));
        table_labels.extend((0..split.calls.len()).map(|k| format!("__w{k}")));
        self.stage("__win", &table_labels, rows, scope, temps)?;

        // The outer select, over the staged rows.
        let projection = split.outer_projection(&inner_labels, visible)?;
        let order_by = (!split.order_exprs.is_empty()).then_some(OrderBy {
            exprs: split.order_exprs,
            interpolate: None,
        });
        let mut outer = select_all_from("__win", order_by, q.limit, q.offset, q.limit_by);
        if let SetExpr::Select(s) = outer.body.as_mut() {
            s.projection = projection;
            s.distinct = sel
                .distinct
                .clone()
                .filter(|d| matches!(d, Distinct::Distinct));
        }
        self.glue_query(outer, scope, now)
    }
}

/// Replaces each window call in `e` by `__wN` and records it.
fn take_windows(
    e: &mut Expr,
    named: &HashMap<String, WindowSpec>,
    calls: &mut Vec<WindowUse>,
) -> Result<(), SqlError> {
    let mut failure = None;
    let _ = crate::walk::exprs_mut(e, |e: &mut Expr| {
        let Expr::Function(f) = e else {
            return ControlFlow::Continue(());
        };
        let Some(over) = f.over.take() else {
            return ControlFlow::Continue(());
        };
        let spec = match over {
            WindowType::WindowSpec(s) => Some(s),
            WindowType::NamedWindow(n) => named.get(&n.value.to_lowercase()).cloned(),
        };
        let Some(spec) = spec else {
            failure = Some(SqlError::NotFound {
                what: "window",
                name: f.name.to_string(),
            });
            return ControlFlow::Break(());
        };
        let star = matches!(&f.args, FunctionArguments::List(l)
            if matches!(l.args.as_slice(), [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]));
        let args = if star {
            vec![]
        } else {
            build::plain_args(f).unwrap_or_default()
        };
        let function = build::func_name(f);
        *e = Expr::Identifier(Ident::new(format!("__w{}", calls.len())));
        calls.push(WindowUse {
            function,
            args,
            star,
            spec,
        });
        ControlFlow::Continue(())
    });
    failure.map_or(Ok(()), Err)
}

/// True when a select needs the window split.
pub(crate) fn has_window(sel: &Select) -> bool {
    crate::query::projection_calls(sel, |f| f.over.is_some())
}

/// `ORDER BY` a window function.
pub(crate) fn orders_by_window(q: &Query) -> bool {
    let mut found = false;
    if let Some(o) = &q.order_by {
        let _ = crate::walk::exprs(&o.exprs, |e: &Expr| {
            if matches!(e, Expr::Function(f) if f.over.is_some()) {
                found = true;
            }
            ControlFlow::<()>::Continue(())
        });
    }
    found
}
