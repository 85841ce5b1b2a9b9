//! A result table as text to copy or download: TSV and Markdown for the clipboard, CSV that
//! opens in Excel with Korean intact (UTF-8 with BOM, RFC 4180 quoting, CRLF), and the
//! displayed-rows sort of the result grid.

use crate::result::Cell;
use std::cmp::Ordering;

/// Tab-separated values, a header line first (tabs and newlines inside cells become spaces).
pub fn to_tsv(columns: &[String], rows: &[Vec<Cell>]) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut out = columns
        .iter()
        .map(|c| clean(c))
        .collect::<Vec<_>>()
        .join("\t");
    for r in rows {
        out.push('\n');
        out.push_str(
            &r.iter()
                .map(|c| clean(&c.display()))
                .collect::<Vec<_>>()
                .join("\t"),
        );
    }
    out
}

/// A GitHub-flavoured Markdown table; numbers right-aligned.
pub fn to_markdown(columns: &[String], rows: &[Vec<Cell>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    let numeric: Vec<bool> = (0..columns.len())
        .map(|i| {
            rows.iter().any(|r| r.get(i).is_some_and(Cell::is_numeric))
                && rows
                    .iter()
                    .all(|r| r.get(i).is_none_or(|c| c.is_numeric() || *c == Cell::Null))
        })
        .collect();
    let mut out = format!(
        "| {} |\n",
        columns
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out.push_str(&format!(
        "|{}|\n",
        numeric
            .iter()
            .map(|n| if *n { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| cell(&c.display()))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

/// CSV bytes for Excel: a UTF-8 BOM, fields quoted when they hold `,`, `"`, CR or LF (quotes
/// doubled), CRLF between records, NULL as an empty field.
pub fn to_csv(columns: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
    let mut out = String::from("\u{feff}");
    out.push_str(
        &columns
            .iter()
            .map(|c| field(c))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| match c {
                Cell::Null => String::new(),
                other => field(&other.display()),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Orders cells as MySQL does: NULL first, numbers by value, text by its characters.
pub fn compare_cells(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Null, Cell::Null) => Ordering::Equal,
        (Cell::Null, _) => Ordering::Less,
        (_, Cell::Null) => Ordering::Greater,
        _ if a.is_numeric() && b.is_numeric() => {
            let x: f64 = a.display().parse().unwrap_or(0.0);
            let y: f64 = b.display().parse().unwrap_or(0.0);
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        _ => a.display().cmp(&b.display()),
    }
}

/// Row positions of `rows` sorted by `column` (stable), for the grid's header sort.
pub fn sorted_order(rows: &[Vec<Cell>], column: usize, ascending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        let o = compare_cells(
            rows[a].get(column).unwrap_or(&Cell::Null),
            rows[b].get(column).unwrap_or(&Cell::Null),
        );
        if ascending {
            o
        } else {
            o.reverse()
        }
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Cell>>) {
        (
            vec!["name".into(), "score".into()],
            vec![
                vec![Cell::Text("김, \"영희\"".into()), Cell::Int(90)],
                vec![Cell::Text("이철수\n2반".into()), Cell::Null],
                vec![Cell::Text("박|준호".into()), Cell::Float(7.5)],
            ],
        )
    }

    #[test]
    fn csv_for_excel() {
        let (c, r) = sample();
        let bytes = to_csv(&c, &r);
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert_eq!(
            text,
            "name,score\r\n\"김, \"\"영희\"\"\",90\r\n\"이철수\n2반\",\r\n박|준호,7.5\r\n"
        );
        // It parses back to the same fields.
        let back =
            crate::csv::parse(&String::from_utf8(to_csv(&c, &r)).expect("utf-8")).expect("parses");
        assert_eq!(back[1], vec!["김, \"영희\"", "90"]);
        assert_eq!(back[2], vec!["이철수\n2반", ""]);
    }

    #[test]
    fn tsv_and_markdown() {
        let (c, r) = sample();
        assert_eq!(
            to_tsv(&c, &r),
            "name\tscore\n김, \"영희\"\t90\n이철수 2반\tNULL\n박|준호\t7.5"
        );
        let md = to_markdown(&c, &r);
        assert!(
            md.starts_with("| name | score |\n|---|---:|\n| 김, \"영희\" | 90 |\n"),
            "{md}"
        );
        assert!(md.contains("박\\|준호"));
    }

    #[test]
    fn sorting_puts_null_first_and_numbers_by_value() {
        let rows = vec![
            vec![Cell::Int(10)],
            vec![Cell::Null],
            vec![Cell::Float(9.5)],
            vec![Cell::Int(100)],
        ];
        assert_eq!(sorted_order(&rows, 0, true), vec![1, 2, 0, 3]);
        assert_eq!(sorted_order(&rows, 0, false), vec![3, 0, 2, 1]);
    }
}
