//! Export: the whole database as a MySQL-compatible `.sql` dump that sqlnori (and MySQL)
//! reads back: databases, tables with their declared types, keys and AUTO_INCREMENT
//! counters, rows, and views; then the accounts and their grants.

use crate::convert::value_to_expr;
use crate::dialect;
use crate::Engine;
use gluesql_core::data::Value;
use sqlnori_model::sql_text::{ident, string_literal};
use std::fmt::Write as _;

/// Rows per INSERT statement in a dump.
const ROWS_PER_INSERT: usize = 100;

fn literal(v: &Value) -> String {
    match v {
        Value::Str(s) => string_literal(s),
        other => value_to_expr(other).map_or_else(|_| "NULL".to_owned(), |e| e.to_string()),
    }
}

impl Engine {
    /// A table's `CREATE TABLE` statement (without its `;`): columns, primary key, foreign
    /// keys, and with `indexes` its other keys inside it, as `SHOW CREATE TABLE` writes them
    /// (the dump creates indexes after the rows instead).
    pub(crate) fn table_definition(
        &self,
        db: &str,
        name: &str,
        columns: &[sqlnori_model::schema::ColumnInfo],
        indexes: bool,
    ) -> String {
        let storage = dialect::storage_name(db, name);
        let ai = self.state.auto_increment.get(&storage);
        let mut defs: Vec<String> = columns
            .iter()
            .map(|c| {
                format!(
                    "  {} {}{}{}{}{}",
                    ident(&c.name),
                    c.data_type,
                    if c.nullable { "" } else { " NOT NULL" },
                    c.default
                        .as_ref()
                        .map_or_else(String::new, |d| format!(" DEFAULT {d}")),
                    if c.on_update {
                        " ON UPDATE CURRENT_TIMESTAMP"
                    } else {
                        ""
                    },
                    if c.auto_increment {
                        " AUTO_INCREMENT"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        // In key order, which may differ from the columns' (`PRIMARY KEY (course, student)`).
        let keys: Vec<String> = self
            .primary_columns(&storage)
            .iter()
            .map(|c| ident(c))
            .collect();
        if !keys.is_empty() {
            defs.push(format!("  PRIMARY KEY ({})", keys.join(", ")));
        }
        if indexes {
            let mut all = self.table_indexes(&storage);
            sqlnori_model::sort::sort_by_key(&mut all, |i| !i.unique);
            for index in all {
                let cols: Vec<String> = index
                    .columns
                    .iter()
                    .map(|(c, p)| p.map_or_else(|| ident(c), |p| format!("{}({p})", ident(c))))
                    .collect();
                defs.push(format!(
                    "  {}KEY {} ({})",
                    if index.unique { "UNIQUE " } else { "" },
                    ident(&index.name),
                    cols.join(", ")
                ));
            }
        }
        for c in columns {
            if let Some(r) = &c.references {
                let table = if r.database == db {
                    ident(&r.table)
                } else {
                    format!("{}.{}", ident(&r.database), ident(&r.table))
                };
                // Its name, so that DROP FOREIGN KEY finds it after the dump is run again.
                let named = self
                    .storage
                    .items
                    .get(&storage)
                    .and_then(|t| {
                        t.schema
                            .foreign_keys
                            .iter()
                            .find(|f| f.referencing_column_name == c.name)
                    })
                    .map_or_else(String::new, |f| format!("CONSTRAINT {} ", ident(&f.name)));
                defs.push(format!(
                    "  {named}FOREIGN KEY ({}) REFERENCES {table} ({}){}",
                    ident(&c.name),
                    ident(&r.column),
                    self.on_delete_clause(&storage, &c.name)
                ));
            }
        }
        defs.extend(self.check_lines(&storage));
        format!(
            "CREATE TABLE {} (\n{}\n){}",
            ident(name),
            defs.join(",\n"),
            ai.map_or_else(String::new, |a| format!(" AUTO_INCREMENT={}", a.next))
        )
    }

    /// `SHOW CREATE TABLE t`: the statement that makes the table as it is now.
    pub(crate) fn show_create_table(&self, name: &sqlparser::ast::ObjectName) -> crate::Executed {
        let target = self.resolver().resolve(name)?;
        let Some((db, table)) = dialect::split_storage_name(&target.storage) else {
            return Err(crate::SqlError::NotFound {
                what: "table",
                name: target.written.clone(),
            });
        };
        self.require_any_on_table(db, table)?;
        let columns = self.fetch_schema(&target)?;
        let text = self.table_definition(db, table, &columns, true);
        Ok((
            crate::glue::text_rows(
                &["Table", "Create Table"],
                vec![vec![
                    sqlnori_model::Cell::Text(table.to_owned()),
                    sqlnori_model::Cell::Text(text),
                ]],
            ),
            vec![],
        ))
    }

    /// The whole database as SQL statements.
    pub fn dump_sql(&self) -> String {
        let mut out = String::from("-- sqlnori dump (MySQL-compatible)\n");
        let tables = self.tables();
        for db in &self.state.databases {
            let _ = writeln!(
                out,
                "\nCREATE DATABASE IF NOT EXISTS {};\nUSE {};",
                ident(db),
                ident(db)
            );
            let order = self.creation_order(
                db,
                tables
                    .iter()
                    .filter(|(d, _)| d == db)
                    .map(|(_, t)| t.as_str()),
            );
            // Referencing tables are dropped before the tables they reference, and created after.
            if !order.is_empty() {
                out.push('\n');
            }
            for name in order.iter().rev() {
                let _ = writeln!(out, "DROP TABLE IF EXISTS {};", ident(name));
            }
            for name in &order {
                let storage = dialect::storage_name(db, name);
                let Some(columns) = self.column_infos(&storage) else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "\n{};",
                    self.table_definition(db, name, &columns, false)
                );
                let Some(item) = self.storage.items.get(&storage) else {
                    continue;
                };
                let names: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
                let rows = parents_first(item.rows.values().collect(), &columns, db, name);
                for chunk in rows.chunks(ROWS_PER_INSERT) {
                    let values: Vec<String> = chunk
                        .iter()
                        .map(|r| {
                            format!("({})", r.iter().map(literal).collect::<Vec<_>>().join(", "))
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "INSERT INTO {} ({}) VALUES\n  {};",
                        ident(name),
                        names.join(", "),
                        values.join(",\n  ")
                    );
                }
                for line in self.index_lines(&storage, &ident(name)) {
                    let _ = writeln!(out, "{line}");
                }
            }
            for (storage, query) in &self.state.views {
                if let Some((view_db, view)) = dialect::split_storage_name(storage) {
                    if view_db == db {
                        let _ = writeln!(
                            out,
                            "\nDROP VIEW IF EXISTS {};\nCREATE VIEW {} AS {query};",
                            ident(view),
                            ident(view)
                        );
                    }
                }
            }
        }
        let accounts = &self.state.accounts;
        if !accounts.accounts.is_empty() {
            // Passwords as their hashes only; read back by sqlnori and by MySQL/MariaDB.
            out.push_str("\n-- accounts and their privileges\n");
            for a in &accounts.accounts {
                let _ = writeln!(out, "DROP USER IF EXISTS {};", a.name.quoted());
            }
            for line in crate::accounts::dump_accounts(accounts) {
                let _ = writeln!(out, "{line};");
            }
        }
        let _ = writeln!(out, "\nUSE {};", ident(&self.state.current_db));
        out
    }
}

impl Engine {
    /// The tables of `db` in an order that creates each table after the tables its foreign
    /// keys reference (a table may reference itself; a cycle keeps the rest in name order).
    fn creation_order<'a>(&self, db: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
        let mut waiting: Vec<(String, Vec<String>)> = names
            .map(|name| {
                let needs = self
                    .column_infos(&dialect::storage_name(db, name))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|c| c.references)
                    .filter(|r| r.database == db && r.table != name)
                    .map(|r| r.table)
                    .collect();
                (name.to_owned(), needs)
            })
            .collect();
        let mut order: Vec<String> = Vec::new();
        while !waiting.is_empty() {
            let ready = waiting
                .iter()
                .position(|(_, needs)| needs.iter().all(|n| order.contains(n)))
                .unwrap_or(0);
            order.push(waiting.remove(ready).0);
        }
        order
    }
}

/// The rows of a table whose foreign key references the table itself (an org chart's
/// `manager_id`), each after the row it references, so the dump reads back row by row; the
/// others as stored.
fn parents_first<'a>(
    rows: Vec<&'a Vec<Value>>,
    columns: &[sqlnori_model::ColumnInfo],
    db: &str,
    table: &str,
) -> Vec<&'a Vec<Value>> {
    let position = |name: &str| columns.iter().position(|c| c.name == name);
    let Some((child, parent)) = columns.iter().find_map(|c| {
        let r = c.references.as_ref()?;
        (r.database == db && r.table == table)
            .then(|| Some((position(&c.name)?, position(&r.column)?)))
            .flatten()
    }) else {
        return rows;
    };
    let mut placed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut ordered = Vec::with_capacity(rows.len());
    let mut rest = rows;
    loop {
        let before = rest.len();
        let (ready, later): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|r| matches!(r[child], Value::Null) || placed.contains(&literal(&r[child])));
        for r in ready {
            placed.insert(literal(&r[parent]));
            ordered.push(r);
        }
        rest = later;
        if rest.is_empty() || rest.len() == before {
            break;
        }
    }
    ordered.extend(rest);
    ordered
}

#[cfg(test)]
mod tests {
    use crate::examples::example_engine;
    use crate::Engine;
    use crate::{EngineOptions, FixedClock, RunOptions};

    #[test]
    fn a_dump_reads_back_to_the_same_database() {
        let clock = FixedClock { epoch_ms: 0 };
        let mut engine = example_engine(&EngineOptions::default(), &clock).expect("examples");
        let setup = r"CREATE TABLE odd (id INT AUTO_INCREMENT PRIMARY KEY, t VARCHAR(20), d DATE, x DECIMAL(5,2), ok BOOLEAN);
            INSERT INTO odd (t, d, x, ok) VALUES ('it''s', '2025-03-01', 1.25, TRUE), ('back\\slash', NULL, NULL, FALSE), ('김영희 `x`', '1999-12-31', -3.5, NULL);
            DELETE FROM odd WHERE id = 1;
            CREATE DATABASE other; CREATE TABLE other.n (k INT PRIMARY KEY); INSERT INTO other.n VALUES (1);
            CREATE VIEW adults AS SELECT name FROM students WHERE age >= 80;
            CREATE TABLE zz_person (id INT PRIMARY KEY, manager_id INT, FOREIGN KEY (manager_id) REFERENCES zz_person (id));
            CREATE TABLE a_team (id INT PRIMARY KEY, boss INT REFERENCES zz_person (id));
            INSERT INTO zz_person VALUES (5, NULL); INSERT INTO zz_person VALUES (2, 5), (9, 2);
            INSERT INTO a_team VALUES (1, 9);
            CREATE TABLE keyed (id INT PRIMARY KEY, code VARCHAR(5) UNIQUE, a INT, KEY (a, id));
            INSERT INTO keyed VALUES (1, 'x', 1), (2, 'y', 1);
            CREATE INDEX by_code ON keyed (code(2)); CREATE UNIQUE INDEX one_id ON keyed (id);";
        for r in engine.run_script(setup, RunOptions::default(), &clock) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        let dump = engine.dump_sql();
        // Referenced tables first (zz_person before a_team), parents before their rows.
        assert!(dump.find("CREATE TABLE `zz_person`") < dump.find("CREATE TABLE `a_team`"));
        assert!(dump.contains("(5, NULL),\n  (2, 5),\n  (9, 2)"), "{dump}");
        // Indexes after their rows, unique columns included.
        assert!(
            dump.contains("CREATE INDEX `by_code` ON `keyed` (`code`(2));"),
            "{dump}"
        );
        assert!(
            dump.contains("CREATE UNIQUE INDEX `code` ON `keyed` (`code`);"),
            "{dump}"
        );
        let mut fresh = Engine::new(&EngineOptions::default(), "student_db2");
        for r in fresh.run_script(&dump, RunOptions::default(), &clock) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        // Reading it again over the same tables drops them in an order the keys allow.
        for r in fresh.run_script(&dump, RunOptions::default(), &clock) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        assert_eq!(fresh.dump_sql(), dump);
        assert_eq!(fresh.schema(), engine.schema());
        // AUTO_INCREMENT continues where it was.
        let next = fresh.run_script(
            "INSERT INTO odd (t) VALUES ('next'); SELECT MAX(id) FROM odd",
            RunOptions::default(),
            &clock,
        );
        assert_eq!(next[1].to_json_line()["rows"], serde_json::json!([[4]]));
    }

    #[test]
    fn a_csv_import_runs_and_keeps_its_values() {
        let clock = FixedClock { epoch_ms: 0 };
        let text = "id,name,score,memo\n1,김영희,90.5,\n2,\"O'Brien\",77,it\\works\n";
        let sql = sqlnori_model::csv::csv_to_sql("성적 2025", text).expect("converts");
        let mut engine = example_engine(&EngineOptions::default(), &clock).expect("examples");
        for r in engine.run_script(&sql, RunOptions::default(), &clock) {
            assert!(r.is_ok(), "{}: {:?}", r.sql, r.outcome);
        }
        let out = engine.run_script(
            "SELECT name, memo FROM `성적 2025` ORDER BY id",
            RunOptions::default(),
            &clock,
        );
        assert_eq!(
            out[0].to_json_line()["rows"],
            serde_json::json!([["김영희", null], ["O'Brien", "it\\works"]])
        );
    }
}
