//! The editor's drawn copy of its text: lines of classed pieces (tokens, marks, errors), each
//! with a key that changes only when the line does, so typing redraws one line.

use super::TokenClass;
use crate::split::LineIndex;
use std::hash::{Hash, Hasher};

/// The CSS class of a token class.
pub fn class_name(class: TokenClass) -> &'static str {
    match class {
        TokenClass::Keyword => "tk-kw",
        TokenClass::Function => "tk-fn",
        TokenClass::Identifier => "tk-id",
        TokenClass::String => "tk-str",
        TokenClass::Number => "tk-num",
        TokenClass::Comment => "tk-cmt",
        TokenClass::Operator => "tk-op",
        TokenClass::Plain => "",
    }
}

/// One drawn line: its pieces (text, classes) and a key that changes when any of it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub key: u64,
    pub number: usize,
    pub pieces: Vec<(String, String)>,
    pub error: Option<String>,
}

/// Splits the text into drawn lines with its highlight (`spans`, from [`super::highlight`] of
/// the same text), the marks (byte ranges with a class: the stepper's statement, the running
/// one) and the errors (line, column, message). The highlight is passed in because it changes
/// only with the text, while the marks move at every step: tokenizing the whole text again
/// each time made a long script's run several times slower in the page.
pub fn lines(
    text: &str,
    spans: &[super::Span],
    marks: &[(usize, usize, &'static str)],
    errors: &[(u32, u32, String)],
) -> Vec<Line> {
    let index = LineIndex::new(text);
    // Classes at each boundary: token spans plus mark ranges.
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for s in spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    for (a, b, _) in marks {
        cuts.push(*a);
        cuts.push(*b);
    }
    let error_at: Vec<(usize, usize, String)> = errors
        .iter()
        .map(|(line, col, msg)| {
            let at = index.offset(text, u64::from(*line), u64::from(*col));
            let end = text[at..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
                .map_or(text.len(), |(i, _)| at + i.max(1));
            (at, end.max(at + 1).min(text.len()), msg.clone())
        })
        .collect();
    for (a, b, _) in &error_at {
        cuts.push(*a);
        cuts.push(*b);
    }
    for (i, _) in text.match_indices('\n') {
        cuts.push(i);
        cuts.push(i + 1);
    }
    cuts.retain(|c| *c <= text.len() && text.is_char_boundary(*c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Line> = vec![];
    let mut current: Vec<(String, String)> = vec![];
    let mut number = 1;
    let mut span_i = 0;
    let finish = |number: usize, pieces: Vec<(String, String)>, out: &mut Vec<Line>| {
        let error = errors
            .iter()
            .find(|(l, _, _)| *l as usize == number)
            .map(|(_, _, m)| m.clone());
        let mut h = std::collections::hash_map::DefaultHasher::new();
        number.hash(&mut h);
        pieces.hash(&mut h);
        error.hash(&mut h);
        out.push(Line {
            key: h.finish(),
            number,
            pieces,
            error,
        });
    };
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let piece = &text[a..b];
        if piece == "\n" {
            finish(number, std::mem::take(&mut current), &mut out);
            number += 1;
            continue;
        }
        while span_i < spans.len() && spans[span_i].end <= a {
            span_i += 1;
        }
        let mut class = spans
            .get(span_i)
            .filter(|s| s.start <= a && a < s.end)
            .map_or("", |s| class_name(s.class))
            .to_owned();
        for (ma, mb, name) in marks {
            if *ma <= a && b <= *mb {
                class.push(' ');
                class.push_str(name);
            }
        }
        if error_at.iter().any(|(ea, eb, _)| *ea <= a && b <= *eb) {
            class.push_str(" error-mark");
        }
        current.push((piece.to_owned(), class));
    }
    finish(number, current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_classes_marks_and_errors() {
        let text = "SELECT 1;\nSELECT nope;";
        let spans = crate::editor::highlight(text);
        let drawn = lines(
            text,
            &spans,
            &[(0, 8, "current")],
            &[(2, 8, "no column".into())],
        );
        assert_eq!(drawn.len(), 2);
        assert_eq!(
            drawn[0].pieces[0],
            ("SELECT".into(), "tk-kw current".into())
        );
        assert_eq!(drawn[1].error.as_deref(), Some("no column"));
        let nope = drawn[1]
            .pieces
            .iter()
            .find(|(t, _)| t == "nope")
            .expect("a piece");
        assert!(nope.1.contains("error-mark"), "{nope:?}");
        // Editing the second line leaves the first line's key alone.
        let edited = "SELECT 1;\nSELECT 2;";
        let again = lines(
            edited,
            &crate::editor::highlight(edited),
            &[(0, 8, "current")],
            &[],
        );
        assert_eq!(again[0].key, drawn[0].key);
        assert_ne!(again[1].key, drawn[1].key);
    }
}
