//! The Markdown of a lesson's text, read into plain blocks the page draws as elements and text
//! nodes (never as HTML): headings, paragraphs, fenced code, bullet and numbered lists, and
//! inline `code`, **strong** and *emphasis*. Anything else stays as the text it is.

use serde::{Deserialize, Serialize};

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
}

/// A block of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: Vec<Inline>,
    },
    Paragraph {
        text: Vec<Inline>,
    },
    /// A fenced block; `sql` when its info string says so (the page highlights it and offers
    /// to put it in the editor).
    Code {
        sql: bool,
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    /// A pipe table: the header's cells and each row's.
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// Reads `text` into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph {
                text: inlines(&paragraph.join(" ")),
            });
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            flush(&mut paragraph, &mut out);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            out.push(Block::Code {
                sql: info.trim().eq_ignore_ascii_case("sql"),
                text: code.join("\n"),
            });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
        } else if trimmed.starts_with('|') {
            flush(&mut paragraph, &mut out);
            let mut lines_of_table = vec![trimmed];
            while let Some(next) = lines.peek() {
                if !next.trim_start().starts_with('|') {
                    break;
                }
                lines_of_table.push(next.trim_start());
                lines.next();
            }
            let mut rows: Vec<Vec<Vec<Inline>>> = lines_of_table
                .iter()
                .filter(|l| !is_separator(l))
                .map(|l| table_cells(l))
                .collect();
            let header = if rows.is_empty() {
                vec![]
            } else {
                rows.remove(0)
            };
            out.push(Block::Table { header, rows });
        } else if let Some((level, title)) = heading(trimmed) {
            flush(&mut paragraph, &mut out);
            out.push(Block::Heading {
                level,
                text: inlines(title),
            });
        } else if let Some((ordered, first)) = list_item(trimmed) {
            flush(&mut paragraph, &mut out);
            let mut items = vec![first.to_owned()];
            while let Some(next) = lines.peek() {
                let t = next.trim_start();
                if let Some((o, item)) = list_item(t) {
                    if o != ordered {
                        break;
                    }
                    items.push(item.to_owned());
                } else if !t.is_empty() && next.starts_with("  ") {
                    // A continuation line of the item.
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(t);
                    }
                } else {
                    break;
                }
                lines.next();
            }
            out.push(Block::List {
                ordered,
                items: items.iter().map(|i| inlines(i)).collect(),
            });
        } else {
            paragraph.push(trimmed.trim_end());
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// `|---|:---:|`: the line under a table's header.
fn is_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn table_cells(line: &str) -> Vec<Vec<Inline>> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| inlines(c.trim())).collect()
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| (level as u8, rest.trim()))
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest.trim()));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| (true, rest[2..].trim()))
}

/// The inline spans of one paragraph.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let span = match c {
            '`' => closed(rest, "`").map(|(inner, len)| (Inline::Code(inner.to_owned()), len)),
            '*' if rest.starts_with("**") => {
                closed(rest, "**").map(|(inner, len)| (Inline::Strong(inner.to_owned()), len))
            }
            '*' | '_' => closed(rest, &c.to_string())
                .filter(|(inner, _)| !inner.starts_with(' '))
                .map(|(inner, len)| (Inline::Emphasis(inner.to_owned()), len)),
            _ => None,
        };
        match span {
            Some((inline, len)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(inline);
                rest = &rest[len..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// `rest` starts with `mark`: the text up to the next `mark` and the length taken in all.
fn closed<'a>(rest: &'a str, mark: &str) -> Option<(&'a str, usize)> {
    let inner = &rest[mark.len()..];
    let end = inner.find(mark)?;
    (end > 0).then(|| (&inner[..end], mark.len() * 2 + end))
}

/// The blocks as plain text (the CLI, tests, a text alternative).
pub fn plain_text(blocks: &[Block]) -> String {
    let line = |inl: &[Inline]| -> String {
        inl.iter()
            .map(|i| match i {
                Inline::Text(s) | Inline::Strong(s) | Inline::Emphasis(s) => s.clone(),
                Inline::Code(s) => format!("`{s}`"),
            })
            .collect()
    };
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } | Block::Paragraph { text } => line(text),
            Block::Code { text, .. } => text.clone(),
            Block::List { items, .. } => items
                .iter()
                .map(|i| format!("- {}", line(i)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table { header, rows } => std::iter::once(header)
                .chain(rows)
                .map(|r| r.iter().map(|c| line(c)).collect::<Vec<_>>().join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_a_lesson() {
        let b = blocks(
            "## 과제\n\n점수가 **90점 이상**인 학생의\n`name`을 고르세요.\n\n```sql\nSELECT 1;\n```\n\n- 하나\n- 둘\n  이어서\n1. 첫째\n",
        );
        assert_eq!(
            b[0],
            Block::Heading {
                level: 2,
                text: vec![Inline::Text("과제".into())]
            }
        );
        assert_eq!(
            b[1],
            Block::Paragraph {
                text: vec![
                    Inline::Text("점수가 ".into()),
                    Inline::Strong("90점 이상".into()),
                    Inline::Text("인 학생의 ".into()),
                    Inline::Code("name".into()),
                    Inline::Text("을 고르세요.".into()),
                ]
            }
        );
        assert_eq!(
            b[2],
            Block::Code {
                sql: true,
                text: "SELECT 1;".into()
            }
        );
        assert!(
            matches!(&b[3], Block::List { ordered: false, items } if items.len() == 2
            && items[1] == vec![Inline::Text("둘 이어서".into())])
        );
        assert!(matches!(&b[4], Block::List { ordered: true, .. }));
    }

    #[test]
    fn pipe_tables() {
        let b = blocks("| 이름 | 나이 |\n|---|---:|\n| 정하늘 | 20 |\n| `x` | |\n");
        let Block::Table { header, rows } = &b[0] else {
            panic!("{b:?}");
        };
        assert_eq!(header[0], vec![Inline::Text("이름".into())]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][0], vec![Inline::Code("x".into())]);
        assert!(rows[1][1].is_empty());
    }

    #[test]
    fn stray_marks_stay_text() {
        assert_eq!(
            inlines("a * b and 2*3 and `open"),
            vec![Inline::Text("a * b and 2*3 and `open".into())]
        );
    }
}
