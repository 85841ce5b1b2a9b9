//! Splitting a script into statements while keeping where each one stands in the source.
//!
//! The split runs on sqlparser's MySQL tokenizer, so a `;` inside a string, a backtick
//! identifier or a comment never ends a statement.

use serde::{Deserialize, Serialize};
use sqlparser::tokenizer::Token;

/// Where a piece of SQL stands in the learner's script: byte range plus 1-based line/column
/// (columns count characters, as an editor shows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SourceSpan {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

/// One statement of a script, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptStatement {
    /// The statement's text without the closing `;` (comments before it are trimmed away).
    pub sql: String,
    pub span: SourceSpan,
}

impl ScriptStatement {
    /// A statement that is the whole of its text (one the engine or the page wrote).
    pub fn whole(sql: &str) -> Self {
        Self {
            sql: sql.to_owned(),
            span: SourceSpan {
                start: 0,
                end: sql.len(),
                line: 1,
                column: 1,
            },
        }
    }
}

/// Maps byte offsets to line/column and back, for one source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { line_starts }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset(&self, text: &str, line: u64, column: u64) -> usize {
        let line_idx = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.line_starts.get(line_idx) else {
            return text.len();
        };
        let col = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        let rest = text.get(start..).unwrap_or("");
        rest.char_indices()
            .nth(col)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// Byte offsets of places that come in order (a tokenizer's locations): each is found by
/// walking on from the one before, so the whole text is walked once, however long its lines.
pub struct OffsetWalker<'a> {
    text: &'a str,
    index: LineIndex,
    /// The last place found: (line, column) and its byte offset.
    last: (u64, u64, usize),
}

impl<'a> OffsetWalker<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            index: LineIndex::new(text),
            last: (1, 1, 0),
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset(&mut self, line: u64, column: u64) -> usize {
        let (last_line, last_col, last_at) = self.last;
        let at = if line == last_line && column >= last_col {
            let skip = usize::try_from(column - last_col).unwrap_or(usize::MAX);
            let rest = self.text.get(last_at..).unwrap_or("");
            rest.char_indices()
                .nth(skip)
                .map_or(self.text.len(), |(i, _)| last_at + i)
        } else {
            self.index.offset(self.text, line, column)
        };
        self.last = (line, column, at);
        at
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Splits a script into statements. Empty statements (only comments or blanks) are dropped.
///
/// When the tokenizer fails (an unterminated string, say), the remainder from the last good
/// boundary becomes one statement, so the parser later reports the error at its real place.
pub fn split_script(script: &str) -> Vec<ScriptStatement> {
    let index = LineIndex::new(script);
    let mut out = Vec::new();
    let tokens = crate::lexer::tokenize_with_location(script);
    let mut piece_start: Option<usize> = None;
    let push = |start: usize, end: usize, out: &mut Vec<ScriptStatement>| {
        let text = script.get(start..end).unwrap_or("");
        let trimmed_end = start + text.trim_end().len();
        if trimmed_end > start {
            let (line, column) = index.line_col(script, start);
            out.push(ScriptStatement {
                sql: script.get(start..trimmed_end).unwrap_or("").to_owned(),
                span: SourceSpan {
                    start,
                    end: trimmed_end,
                    line,
                    column,
                },
            });
        }
    };
    match tokens {
        Ok(tokens) => {
            let mut walker = OffsetWalker::new(script);
            for t in &tokens {
                let at = walker.offset(t.location.line, t.location.column);
                match &t.token {
                    Token::SemiColon => {
                        if let Some(start) = piece_start.take() {
                            push(start, at, &mut out);
                        }
                    }
                    Token::Whitespace(_) | Token::EOF => {}
                    _ => {
                        if piece_start.is_none() {
                            piece_start = Some(at);
                        }
                    }
                }
            }
            if let Some(start) = piece_start {
                push(start, script.len(), &mut out);
            }
        }
        Err(_) => {
            // The tokenizer refuses some valid MySQL (`'user'@'host'`) and broken text. Fall
            // back to a lexical scan that knows only quotes and comments, so the other
            // statements still run and a broken one fails alone, at its own place.
            for (start, end) in lexical_pieces(script) {
                let text = &script[start..end];
                let lead = text.len() - text.trim_start().len();
                if !only_comments(text) {
                    push(start + lead, end, &mut out);
                }
            }
        }
    }
    out
}

/// 1-based line and column (within `sql`) of the first word token equal to `word`, ignoring
/// case and quotes: where an error about a name points.
pub fn locate_word(sql: &str, word: &str) -> Option<(u64, u64)> {
    let tokens = crate::lexer::tokenize_with_location(sql).ok()?;
    tokens.iter().find_map(|t| match &t.token {
        Token::Word(w) if w.value.eq_ignore_ascii_case(word) => {
            Some((t.location.line, t.location.column))
        }
        // A value the error is about: a number (`ORDER BY 9`) or a quoted text.
        Token::Number(n, _) if n == word => Some((t.location.line, t.location.column)),
        Token::SingleQuotedString(s) if s == word => Some((t.location.line, t.location.column)),
        _ => None,
    })
}

/// Byte ranges between top-level `;`, skipping those inside quotes and comments.
fn lexical_pieces(script: &str) -> Vec<(usize, usize)> {
    let bytes = script.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' && q != b'`' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                pieces.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < script.len() {
        pieces.push((start, script.len()));
    }
    // Quotes are ASCII, so every boundary found is a character boundary.
    pieces
        .into_iter()
        .map(|(a, b)| (a.min(script.len()), b.min(script.len())))
        .collect()
}

/// True when a piece holds nothing but blanks and comments.
fn only_comments(text: &str) -> bool {
    crate::lexer::tokenize(text)
        .map(|tokens| {
            tokens
                .iter()
                .all(|t| matches!(t, Token::Whitespace(_) | Token::EOF))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_walk_forward_and_back_through_hangul() {
        let text = "가나 ab\n다라 cd";
        let index = LineIndex::new(text);
        let mut walker = OffsetWalker::new(text);
        for (line, col) in [
            (1, 1),
            (1, 2),
            (1, 4),
            (2, 1),
            (2, 4),
            (1, 3),
            (2, 5),
            (3, 1),
        ] {
            assert_eq!(
                walker.offset(line, col),
                index.offset(text, line, col),
                "{line}:{col}"
            );
        }
    }

    #[test]
    fn splits_keeping_positions() {
        let s = "select 1;\n-- note; here\nselect ';' as x ;\n\n  select 3";
        let parts = split_script(s);
        let sqls: Vec<_> = parts.iter().map(|p| p.sql.as_str()).collect();
        assert_eq!(sqls, ["select 1", "select ';' as x", "select 3"]);
        assert_eq!((parts[1].span.line, parts[1].span.column), (3, 1));
        assert_eq!((parts[2].span.line, parts[2].span.column), (5, 3));
    }

    #[test]
    fn korean_columns_count_characters() {
        let s = "select '김영희'; select 2";
        let parts = split_script(s);
        assert_eq!(parts[1].span.column, 15);
        assert_eq!(&s[parts[1].span.start..parts[1].span.end], "select 2");
    }

    #[test]
    fn unterminated_string_is_one_statement() {
        let parts = split_script("  select 'abc");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].span.column, 3);
    }

    #[test]
    fn untokenisable_statement_fails_alone() {
        let s = "select 1;\nGRANT ALL ON db.* TO 'kim'@'localhost';\nselect ';' # c;\n;select 2";
        let sqls: Vec<_> = split_script(s).into_iter().map(|p| p.sql).collect();
        assert_eq!(
            sqls,
            [
                "select 1",
                "GRANT ALL ON db.* TO 'kim'@'localhost'",
                "select ';' # c;",
                "select 2"
            ]
        );
    }

    #[test]
    fn comment_only_script_has_no_statements() {
        assert!(split_script("-- nothing\n# also nothing\n").is_empty());
    }
}
