//! Results and traces as text: the MySQL client's tables (Hangul counts two columns) and the
//! steps of a trace. The CLI prints these; the engine's fixtures compare against them.

use crate::result::{Cell, Output, StatementResult};
use crate::trace::{RowMark, Trace};
use std::fmt::Write as _;

/// Display columns of `text` in a monospace font: Hangul, CJK and fullwidth characters take
/// two. The editor places its autocomplete list by it and the tables below pad by it.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// A MySQL-client style table (`+---+` borders).
/// The first `max_chars` characters of `text`, and how many were left out (a panel shows a
/// 1,000-row INSERT as its beginning, not as a wall of values).
pub fn clip(text: &str, max_chars: usize) -> (&str, usize) {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => (&text[..at], text[at..].chars().count()),
        None => (text, 0),
    }
}

pub fn table(names: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = names.iter().map(|n| display_width(n)).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(display_width(c));
            }
        }
    }
    let line: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let fmt_row = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("| {}{} ", c, " ".repeat(w.saturating_sub(display_width(c)))))
            .collect::<String>()
            + "|\n"
    };
    let mut out = line.clone();
    out += &fmt_row(names);
    out += &line;
    for row in rows {
        out += &fmt_row(row);
    }
    if !rows.is_empty() {
        out += &line;
    }
    out
}

/// How much of a result or trace to write.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Rows of each table (the rest is counted, not shown).
    pub max_rows: usize,
    /// Write elapsed times (off where the text must be reproducible).
    pub timings: bool,
    /// Write each column's type after its name.
    pub types: bool,
    /// Quote text values (`'NULL'` then differs from NULL), as the test fixtures do.
    pub quote_text: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self {
            max_rows: usize::MAX,
            timings: true,
            types: false,
            quote_text: false,
        }
    }
}

/// One statement's result as the MySQL client shows it, with its notes.
pub fn result(r: &StatementResult, options: TextOptions) -> String {
    let mut out = format!("{}\n", r.sql);
    let time = |ms: f64| {
        if options.timings {
            format!(" ({ms:.1} ms)")
        } else {
            String::new()
        }
    };
    match &r.outcome {
        Ok(Output::Rows { columns, rows }) => {
            let names: Vec<String> = columns
                .iter()
                .map(|c| {
                    if options.types && !c.data_type.is_empty() {
                        format!("{} {}", c.name, c.data_type)
                    } else {
                        c.name.clone()
                    }
                })
                .collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .take(options.max_rows)
                .map(|row| row.iter().map(|c| cell_text(c, options)).collect())
                .collect();
            out += &table(&names, &cells);
            let _ = writeln!(out, "{} row(s) in set{}", rows.len(), time(r.elapsed_ms));
        }
        Ok(Output::Affected { verb, affected }) => {
            let _ = writeln!(
                out,
                "{verb}: {affected} row(s) affected{}",
                time(r.elapsed_ms)
            );
        }
        // `ERROR 1146 (42S02)` as the `mysql` client prints it, when MySQL has the error.
        Err(e) => {
            let mysql = e
                .mysql
                .as_ref()
                .map(|m| format!(" {} ({})", m.errno, m.sqlstate))
                .unwrap_or_default();
            let _ = writeln!(out, "ERROR{mysql} [{}] {}", e.code, e.to_english());
        }
    }
    for w in &r.warnings {
        let _ = writeln!(
            out,
            "{} {}: {}",
            w.level.as_str().to_lowercase(),
            w.code,
            w.message.en
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "note: {}", n.en);
    }
    out
}

fn cell_text(c: &Cell, options: TextOptions) -> String {
    match c {
        Cell::Text(t) if options.quote_text => format!("'{t}'"),
        other => other.display(),
    }
}

/// How a row's mark reads in text.
pub fn mark_text(m: RowMark) -> &'static str {
    match m {
        RowMark::Kept => "",
        RowMark::DroppedFalse => "✗ false",
        RowMark::DroppedNull => "✗ NULL",
        RowMark::Duplicate => "✗ dup",
        RowMark::Cut => "✗ cut",
        RowMark::Inserted => "+ new",
        RowMark::Deleted => "- gone",
        RowMark::Updated => "~ changed",
        RowMark::Denied => "✗ denied",
    }
}

/// The steps of a trace: each clause, what it does, its rows with their marks, its groups.
pub fn trace(t: &Trace, options: TextOptions) -> String {
    let mut out = String::new();
    write_trace(t, 0, options, &mut out);
    out
}

fn write_trace(t: &Trace, depth: usize, options: TextOptions, out: &mut String) {
    let indent = "  ".repeat(depth + 1);
    if let Some(n) = &t.note {
        let _ = writeln!(out, "{indent}note: {}", n.en);
    }
    for (i, step) in t.steps.iter().enumerate() {
        // The privilege check's label is the account; every other label is its clause.
        let label = if step.stage == crate::trace::Stage::Privileges {
            format!("privilege check of {}", step.label)
        } else {
            step.label.clone()
        };
        let _ = writeln!(out, "{indent}step {}: {label}", i + 1);
        let _ = writeln!(out, "{indent}  ({})", step.explain.en);
        for nested in &step.nested {
            let _ = writeln!(out, "{indent}  ┌ {}", nested.title);
            write_trace(&nested.trace, depth + 2, options, out);
        }
        let mut names = vec![String::new()];
        names.extend(step.table.columns.iter().map(|c| c.name.clone()));
        // A step sharing another's rows (FROM before WHERE) shows them from there, unmarked.
        let shared = step
            .table
            .rows_of_step
            .and_then(|s| t.steps.get(s))
            .map(|holder| &holder.table.rows);
        let rows: Vec<Vec<String>> = shared
            .unwrap_or(&step.table.rows)
            .iter()
            .take(options.max_rows)
            .map(|r| {
                let mark = if shared.is_some() {
                    RowMark::Kept
                } else {
                    r.mark
                };
                let mut cells = vec![mark_text(mark).to_owned()];
                cells.extend(r.cells.iter().enumerate().map(|(c, cell)| {
                    let was = r.was.filter(|_| c == 0).map(|w| format!("#{} ", w + 1));
                    let changed = if r.changed.contains(&c) { "*" } else { "" };
                    format!(
                        "{}{changed}{}",
                        was.unwrap_or_default(),
                        cell_text(cell, options)
                    )
                }));
                cells
            })
            .collect();
        for line in table(&names, &rows).lines() {
            let _ = writeln!(out, "{indent}  {line}");
        }
        if step.table.total > rows.len() {
            let _ = writeln!(
                out,
                "{indent}  … {} more row(s) of {}",
                step.table.total - rows.len(),
                step.table.total
            );
        }
        for g in step.groups.iter().take(options.max_rows) {
            let key: Vec<String> = g.key.iter().map(|c| c.display()).collect();
            let aggs: Vec<String> = step
                .aggregate_names
                .iter()
                .zip(&g.aggregates)
                .map(|(n, v)| format!("{n} = {}", v.display()))
                .collect();
            let _ = writeln!(
                out,
                "{indent}  group ({}): rows {:?} → {}",
                key.join(", "),
                g.rows.iter().map(|r| r + 1).collect::<Vec<_>>(),
                aggs.join(", ")
            );
        }
        if let Some(n) = &step.note {
            let _ = writeln!(out, "{indent}  note: {}", n.en);
        }
    }
    if let Some(e) = &t.error {
        let _ = writeln!(out, "{indent}stopped: {}", e.en);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_clipped_by_characters() {
        assert_eq!(clip("가나다라", 2), ("가나", 2));
        assert_eq!(clip("abc", 3), ("abc", 0));
        assert_eq!(clip("", 0), ("", 0));
    }
    use crate::result::Column;
    use crate::trace::{Stage, StageTable, Step, TraceRow};

    #[test]
    fn hangul_pads_by_width() {
        let t = table(
            &["이름".to_owned(), "n".to_owned()],
            &[vec!["김영희".to_owned(), "1".to_owned()]],
        );
        assert_eq!(
            t,
            "+--------+---+\n| 이름   | n |\n+--------+---+\n| 김영희 | 1 |\n+--------+---+\n"
        );
    }

    #[test]
    fn a_trace_reads_as_steps_with_marks() {
        let rows = vec![
            TraceRow {
                cells: vec![Cell::Int(1)],
                mark: RowMark::Kept,
                changed: vec![],
                was: None,
            },
            TraceRow {
                cells: vec![Cell::Int(2)],
                mark: RowMark::DroppedFalse,
                changed: vec![],
                was: None,
            },
        ];
        let columns = vec![Column {
            name: "id".into(),
            data_type: "INT".into(),
        }];
        let t = Trace::new(vec![Step::new(
            Stage::Where,
            "WHERE id = 1",
            StageTable::full(columns, rows),
        )]);
        let text = trace(
            &t,
            TextOptions {
                max_rows: 1,
                ..TextOptions::default()
            },
        );
        assert!(text.starts_with("  step 1: WHERE id = 1\n"), "{text}");
        assert!(text.contains("|  | 1  |"), "{text}");
        assert!(text.contains("… 1 more row(s) of 2"), "{text}");
    }
}
