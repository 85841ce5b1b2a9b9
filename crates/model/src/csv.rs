//! Import: a CSV file (RFC 4180, header row first) as SQL that creates and fills a table.
//!
//! The result is SQL for the editor, not a hidden change: the learner sees it and presses Run.

use crate::error::Localized;
use crate::sql_text::{ident, string_literal};
use thiserror::Error;

/// Most bytes a CSV import may have.
pub const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;
/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CsvError {
    #[error("the CSV file is empty")]
    Empty,
    #[error("the CSV file is larger than {MAX_CSV_BYTES} bytes")]
    TooLarge,
    #[error("row {row} has {found} fields; the header has {expected}")]
    Ragged {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("a quoted field is not closed")]
    Unclosed,
    #[error("column {0} has no name")]
    NoName(usize),
}

impl CsvError {
    pub fn localized(&self) -> Localized {
        let ko = match self {
            CsvError::Empty => "CSV 파일이 비어 있습니다".to_owned(),
            CsvError::TooLarge => format!("CSV 파일이 {MAX_CSV_BYTES}바이트보다 큽니다"),
            CsvError::Ragged {
                row,
                found,
                expected,
            } => {
                format!("{row}번째 행의 칸이 {found}개입니다 (머리글은 {expected}개)")
            }
            CsvError::Unclosed => "따옴표로 시작한 칸이 닫히지 않았습니다".to_owned(),
            CsvError::NoName(i) => format!("{i}번째 열에 이름이 없습니다"),
        };
        Localized::new(ko, self.to_string())
    }
}

/// Splits CSV text into records (quotes, doubled quotes, CRLF, newlines inside quotes; a
/// UTF-8 BOM is dropped).
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    if text.len() > MAX_CSV_BYTES {
        return Err(CsvError::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            other => field.push(other),
        }
    }
    if quoted {
        return Err(CsvError::Unclosed);
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    if !any || records.is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(records)
}

fn literal(field: &str, numeric: bool) -> String {
    if field.is_empty() {
        "NULL".to_owned()
    } else if numeric {
        field.trim().to_owned()
    } else {
        string_literal(field)
    }
}

/// SQL that creates `table` (if it does not exist) with columns typed from the data, and
/// inserts every row. Empty fields are NULL.
pub fn csv_to_sql(table: &str, text: &str) -> Result<String, CsvError> {
    let records = parse(text)?;
    let (header, rows) = records.split_first().ok_or(CsvError::Empty)?;
    for (i, name) in header.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(CsvError::NoName(i + 1));
        }
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() != header.len() {
            return Err(CsvError::Ragged {
                row: i + 2,
                found: r.len(),
                expected: header.len(),
            });
        }
    }
    let column = |c: usize| {
        rows.iter()
            .map(move |r| r[c].as_str())
            .filter(|f| !f.is_empty())
    };
    let types: Vec<(String, bool)> = (0..header.len())
        .map(|c| {
            if column(c).all(|f| f.trim().parse::<i64>().is_ok()) {
                ("INT".to_owned(), true)
            } else if column(c).all(|f| f.trim().parse::<f64>().is_ok_and(f64::is_finite)) {
                ("DOUBLE".to_owned(), true)
            } else {
                let longest = column(c).map(|f| f.chars().count()).max().unwrap_or(1);
                (format!("VARCHAR({})", longest.clamp(1, 255)), false)
            }
        })
        .collect();
    let defs: Vec<String> = header
        .iter()
        .zip(&types)
        .map(|(n, (t, _))| format!("  {} {t}", ident(n.trim())))
        .collect();
    let mut sql = format!(
        "CREATE TABLE IF NOT EXISTS {} (\n{}\n);\n",
        ident(table),
        defs.join(",\n")
    );
    let names: Vec<String> = header.iter().map(|n| ident(n.trim())).collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = chunk
            .iter()
            .map(|r| {
                let cells: Vec<String> = r
                    .iter()
                    .zip(&types)
                    .map(|(f, (_, numeric))| literal(f, *numeric))
                    .collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        sql.push_str(&format!(
            "INSERT INTO {} ({}) VALUES\n  {};\n",
            ident(table),
            names.join(", "),
            values.join(",\n  ")
        ));
    }
    Ok(sql)
}

/// A table name from a file name (`성적 2025.csv` → `성적_2025`).
pub fn table_name_for(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "imported".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4180_fields() {
        let text =
            "\u{feff}name,note\r\n\"김, 영희\",\"say \"\"hi\"\"\"\r\n이철수,\"two\nlines\"\r\n";
        let records = parse(text).expect("parses");
        assert_eq!(records[1], vec!["김, 영희", "say \"hi\""]);
        assert_eq!(records[2], vec!["이철수", "two\nlines"]);
        assert_eq!(parse("a,\"b"), Err(CsvError::Unclosed));
        assert_eq!(parse(""), Err(CsvError::Empty));
    }

    #[test]
    fn a_csv_becomes_a_table() {
        let text = "id,name,score,memo\n1,김영희,90.5,\n2,\"O'Brien\",77,it\\works\n";
        let sql = csv_to_sql(&table_name_for("성적 2025.csv"), text).expect("converts");
        assert!(sql.starts_with("CREATE TABLE IF NOT EXISTS `성적_2025` (\n  `id` INT,\n  `name` VARCHAR(7),\n  `score` DOUBLE,\n  `memo` VARCHAR(8)\n);"), "{sql}");
        assert_eq!(
            csv_to_sql("t", "a,b\n1\n"),
            Err(CsvError::Ragged {
                row: 2,
                found: 1,
                expected: 2
            })
        );
    }
}
