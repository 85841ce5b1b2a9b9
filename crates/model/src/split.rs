//! Splitting a script into statements while keeping where each one stands in the source.
//!
//! The split follows sqlparser's MySQL tokenizer, so a `;` inside a string, a backtick
//! identifier or a comment never ends a statement. Most scripts are read by a byte scanner
//! that finds the same boundaries without making tokens (a 10,000-row INSERT script spent
//! most of its split in the tokenizer); anything the scanner does not know as plain goes to
//! the tokenizer itself, and a test compares the two on every fixture and on generated text.

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
    let pieces = plain_pieces(script).unwrap_or_else(|| token_pieces(script));
    statements_of(script, pieces)
}

/// The statements of `script` from the byte ranges of its pieces: each starts at its first
/// token and ends before its `;` (trailing blanks trimmed).
fn statements_of(script: &str, pieces: Vec<(usize, usize)>) -> Vec<ScriptStatement> {
    let index = LineIndex::new(script);
    let mut out = Vec::with_capacity(pieces.len());
    for (start, end) in pieces {
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
    }
    out
}

/// The pieces of `script` found by a byte scan, or `None` when it holds anything the scan
/// does not read exactly as the tokenizer does: an unterminated quote or comment, a nested
/// comment, `@`, `$` or a backslash outside quotes (their tokens may take the next character
/// whatever it is). Each piece runs from its first token to its `;` or the end, as in
/// [`token_pieces`].
fn plain_pieces(script: &str) -> Option<Vec<(usize, usize)>> {
    let b = script.as_bytes();
    let line_end = |from: usize| {
        b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |n| from + n)
    };
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            // What the tokenizer makes whitespace: its ASCII blanks (form feed and vertical
            // tab through `char::is_whitespace`); other blanks are identifier characters there.
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => i += 1,
            b'#' => i = line_end(i),
            b'-' if b.get(i + 1) == Some(&b'-') => i = line_end(i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut j = i + 2;
                loop {
                    match (b.get(j)?, b.get(j + 1)) {
                        (b'*', Some(b'/')) => break,
                        // Nested comments count levels in the tokenizer: left to it.
                        (b'/', Some(b'*')) => return None,
                        _ => j += 1,
                    }
                }
                i = j + 2;
            }
            b';' => {
                if let Some(s) = start.take() {
                    pieces.push((s, i));
                }
                i += 1;
            }
            b'\'' | b'"' | b'`' => {
                start.get_or_insert(i);
                let mut j = i + 1;
                loop {
                    match *b.get(j)? {
                        // MySQL strings take backslash escapes; backtick names do not.
                        b'\\' if c != b'`' => j += 2,
                        // A doubled quote stands for itself.
                        q if q == c && b.get(j + 1) == Some(&c) => j += 2,
                        q if q == c => break,
                        _ => j += 1,
                    }
                }
                i = j + 1;
            }
            b'@' | b'$' | b'\\' => return None,
            _ => {
                start.get_or_insert(i);
                i += 1;
            }
        }
    }
    if let Some(s) = start {
        pieces.push((s, b.len()));
    }
    Some(pieces)
}

/// The pieces of `script` from sqlparser's tokenizer (the reference [`plain_pieces`] is
/// tested against). When the tokenizer fails (an unterminated string, say), the pieces come
/// from a lexical scan instead, so the other statements still run.
fn token_pieces(script: &str) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let Ok(tokens) = crate::lexer::tokenize_with_location(script) else {
        // The tokenizer refuses some valid MySQL (`'user'@'host'`) and broken text. Fall
        // back to a lexical scan that knows only quotes and comments, so the other
        // statements still run and a broken one fails alone, at its own place.
        for (start, end) in lexical_pieces(script) {
            let text = &script[start..end];
            let lead = text.len() - text.trim_start().len();
            if !only_comments(text) {
                pieces.push((start + lead, end));
            }
        }
        return pieces;
    };
    let mut piece_start: Option<usize> = None;
    let mut walker = OffsetWalker::new(script);
    for t in &tokens {
        let at = walker.offset(t.location.line, t.location.column);
        match &t.token {
            Token::SemiColon => {
                if let Some(start) = piece_start.take() {
                    pieces.push((start, at));
                }
            }
            Token::Whitespace(_) | Token::EOF => {}
            _ => {
                piece_start.get_or_insert(at);
            }
        }
    }
    if let Some(start) = piece_start {
        pieces.push((start, script.len()));
    }
    pieces
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

/// Byte ranges between top-level `;`, skipping those inside quotes and comments. (The
/// tokenizer's fallback: it never gives up, and a piece keeps its leading comments, where
/// [`plain_pieces`], the fast path, gives up on anything it cannot read exactly.)
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

    /// Every `.sql` file of the repository (fixtures, conformance cases, lesson checks,
    /// traces, golden files) and the lessons' Markdown.
    fn repository_scripts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = vec![
            root.join("conformance"),
            root.join("crates"),
            root.join("lessons"),
        ];
        let mut out = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "sql" || e == "md") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path.display().to_string(), text));
                }
            }
        }
        out
    }

    #[test]
    fn the_scan_finds_the_tokenizers_pieces_in_every_script_of_the_repository() {
        let scripts = repository_scripts();
        assert!(scripts.len() > 60, "{} scripts", scripts.len());
        let mut scanned = 0;
        for (name, text) in &scripts {
            if let Some(pieces) = plain_pieces(text) {
                assert_eq!(pieces, token_pieces(text), "{name}");
                scanned += 1;
            }
        }
        // The scan is the common path, not a rarity.
        assert!(
            scanned * 10 > scripts.len() * 8,
            "{scanned} of {}",
            scripts.len()
        );
    }

    #[test]
    fn the_scan_finds_the_tokenizers_pieces_in_generated_text() {
        // Fragments where a scan could go wrong: quotes with escapes and doubled quotes,
        // each comment form, nesting, blanks the tokenizer does and does not count as
        // blanks, the characters the scan leaves to the tokenizer, unterminated forms.
        const FRAGMENTS: &[&str] = &[
            "SELECT",
            " ",
            "\n",
            "\t",
            "\r\n",
            ";",
            ";",
            "a",
            "1",
            "1e3",
            ".5",
            "'a;b'",
            "'it''s'",
            "'\\';'",
            "'\\\\'",
            "\"x;\"",
            "\"a\"\"b\"",
            "`a``;b`",
            "`x;`",
            "-- c;\n",
            "--",
            "-",
            "# c;\n",
            "#",
            "/* c; */",
            "/**/",
            "/*/ x */",
            "/* a **/",
            "/* a /* b */ c */",
            "/*",
            "*/",
            "/",
            "*",
            "'",
            "\"",
            "`",
            "@v",
            "@@x",
            "@'h'",
            "$x",
            "\\",
            "학생",
            "이름",
            "\u{3000}",
            "\u{a0}",
            "😀",
            "\u{c}",
            "\u{b}",
            "x'41'",
            "N'가'",
            "'\\",
            "(",
            ")",
            ",",
            "=",
            "?",
        ];
        let mut state: u64 = 0x5eed;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            usize::try_from(state >> 33).unwrap() % n
        };
        let mut scanned = 0;
        for _ in 0..20_000 {
            let len = 1 + next(12);
            let text: String = (0..len).map(|_| FRAGMENTS[next(FRAGMENTS.len())]).collect();
            if let Some(pieces) = plain_pieces(&text) {
                assert_eq!(pieces, token_pieces(&text), "{text:?}");
                scanned += 1;
            }
        }
        assert!(scanned > 5_000, "{scanned}");
    }

    #[test]
    fn the_scan_leaves_what_it_cannot_read_exactly_to_the_tokenizer() {
        for text in [
            "SELECT 'open",
            "SELECT 1 /* open",
            "SELECT `open",
            "/* a /* b */ ; */ SELECT 1",
            "GRANT SELECT ON t TO 'u'@'h'; SELECT 1",
            "SELECT @v; SELECT 2",
            "SELECT $$a$$",
            "SELECT \\N",
        ] {
            assert_eq!(plain_pieces(text), None, "{text}");
        }
        let script = "-- 학생\nSELECT 'a;b', `c;d` # e;\nFROM t; /* ; */ SELECT 2;";
        assert_eq!(plain_pieces(script), Some(token_pieces(script)));
        assert_eq!(
            split_script(script)
                .iter()
                .map(|s| s.sql.as_str())
                .collect::<Vec<_>>(),
            ["SELECT 'a;b', `c;d` # e;\nFROM t", "SELECT 2"]
        );
    }

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
