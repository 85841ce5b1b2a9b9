//! MySQL's single-table `UPDATE … ORDER BY … LIMIT n` and `DELETE … ORDER BY … LIMIT n`:
//! GlueSQL changes every row its WHERE finds, so the layer first picks the rows the LIMIT
//! keeps, by primary key, and hands GlueSQL a WHERE on those keys.

use crate::dialect::build;
use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Delete, Expr, FromTable, OrderBy, OrderByExpr, SelectItem, Statement, TableFactor,
    TableWithJoins,
};

/// The chosen rows' key, as the inner query names it.
const CHOSEN_KEY: &str = "__chosen_key";

impl Engine {
    /// Rewrites an UPDATE or DELETE with ORDER BY or LIMIT into one whose WHERE names the
    /// chosen rows' keys; other statements are left as they are. Without a LIMIT the order
    /// changes nothing (every row the WHERE finds changes), so it is dropped.
    pub(crate) fn limit_by_key(&self, stmt: &mut Statement) -> Result<(), SqlError> {
        let (verb, table, selection, order_by, limit, single) = match stmt {
            Statement::Update {
                table,
                selection,
                order_by,
                limit,
                from,
                ..
            } => {
                let single = table.joins.is_empty() && from.is_none();
                ("UPDATE", &*table, selection, order_by, limit, single)
            }
            Statement::Delete(Delete {
                tables,
                from: FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from),
                using,
                selection,
                order_by,
                limit,
                ..
            }) => {
                let single = tables.is_empty()
                    && using.is_none()
                    && matches!(from.as_slice(), [t] if t.joins.is_empty());
                let Some(table) = from.first() else {
                    return Ok(());
                };
                ("DELETE", table, selection, order_by, limit, single)
            }
            _ => return Ok(()),
        };
        if order_by.is_empty() && limit.is_none() {
            return Ok(());
        }
        if !single {
            // MySQL's own answer to ORDER BY or LIMIT on several tables.
            return Err(SqlError::Invalid(Localized::new(
                format!(
                    "{verb}에 여러 표와 ORDER BY/LIMIT를 함께 쓸 수 없습니다 (MySQL 오류 1221)"
                ),
                format!("Incorrect usage of {verb} and ORDER BY/LIMIT (MySQL error 1221)"),
            )));
        }
        let Some(limit_expr) = limit.take() else {
            order_by.clear();
            return Ok(());
        };
        let chosen = self.chosen_keys(table, selection.as_ref(), order_by, &limit_expr)?;
        order_by.clear();
        *selection = Some(chosen);
        Ok(())
    }

    /// `key IN (SELECT key FROM (SELECT key FROM t WHERE … ORDER BY … LIMIT n) AS chosen)`:
    /// the keys of the rows the LIMIT keeps (in key order when there is no ORDER BY, the order
    /// InnoDB stores them in). Built as an AST from the statement's own parts, so its literals
    /// reach GlueSQL as written.
    fn chosen_keys(
        &self,
        table: &TableWithJoins,
        selection: Option<&Expr>,
        order_by: &[OrderByExpr],
        limit: &Expr,
    ) -> Result<Expr, SqlError> {
        let TableFactor::Table { name, .. } = &table.relation else {
            return Err(SqlError::Engine(
                "ORDER BY/LIMIT on a derived table".to_owned(),
            ));
        };
        let target = self.resolver().resolve(name)?;
        let key = match self.primary_columns(&target.storage).as_slice() {
            [one] => build::column(one),
            _ => {
                return Err(SqlError::Unsupported {
                    feature: Localized::new(
                        "기본 키가 한 열이 아닌 표에서 ORDER BY/LIMIT로 고친 행 고르기",
                        "choosing rows to change with ORDER BY/LIMIT in a table without a one-column PRIMARY KEY",
                    ),
                    hint: Some(Localized::new(
                        "WHERE로 바꿀 행을 정확히 고르세요",
                        "pick the rows to change with WHERE",
                    )),
                });
            }
        };
        let order = if order_by.is_empty() {
            vec![OrderByExpr {
                expr: key.clone(),
                asc: None,
                nulls_first: None,
                with_fill: None,
            }]
        } else {
            order_by.to_vec()
        };
        let mut chosen = build::select_query(
            vec![build::alias_item(key.clone(), CHOSEN_KEY)],
            vec![TableWithJoins {
                relation: table.relation.clone(),
                joins: vec![],
            }],
            selection.cloned(),
        );
        chosen.order_by = Some(OrderBy {
            exprs: order,
            interpolate: None,
        });
        chosen.limit = Some(limit.clone());
        let keys = build::select_query(
            vec![SelectItem::UnnamedExpr(build::column(CHOSEN_KEY))],
            vec![TableWithJoins {
                relation: TableFactor::Derived {
                    lateral: false,
                    subquery: Box::new(chosen),
                    alias: Some(build::table_alias("__chosen")),
                },
                joins: vec![],
            }],
            None,
        );
        Ok(Expr::InSubquery {
            expr: Box::new(key),
            subquery: Box::new(keys),
            negated: false,
        })
    }
}
