//! MySQL's single-table `UPDATE … ORDER BY … LIMIT n` and `DELETE … ORDER BY … LIMIT n`:
//! GlueSQL changes every row its WHERE finds, so the layer first picks the rows the LIMIT
//! keeps, by primary key, and hands GlueSQL a WHERE on those keys.

use crate::error::SqlError;
use crate::Engine;
use sqlnori_model::Localized;
use sqlparser::ast::{
    Delete, Expr, FromTable, OrderByExpr, Statement, TableFactor, TableWithJoins,
};

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
    /// InnoDB stores them in).
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
            [one] => sqlnori_model::sql_text::ident(one),
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
        let filter = selection.map_or_else(String::new, |s| format!(" WHERE {s}"));
        let order = if order_by.is_empty() {
            key.clone()
        } else {
            order_by
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let relation = &table.relation;
        let text = format!(
            "{key} IN (SELECT `__chosen_key` FROM (SELECT {key} AS `__chosen_key` FROM {relation}{filter} ORDER BY {order} LIMIT {limit}) AS `__chosen`)"
        );
        sqlparser::parser::Parser::new(&sqlparser::dialect::MySqlDialect {})
            .try_with_sql(&text)
            .and_then(|mut p| p.parse_expr())
            .map_err(|e| SqlError::Engine(format!("choosing rows by key: {e}")))
    }
}
