//! What the editor needs from SQL, as plain data: highlighting, the statement under the
//! cursor, autocomplete and line edits.
//!
//! Offsets are byte offsets into the text; the shell converts them to the editor's units.

mod complete;
mod drawn;
mod highlight;
mod lines;

pub use crate::render::display_width;
pub use complete::{complete, Completion, CompletionKind};
pub use drawn::{class_name, lines as draw_lines, Line};
pub use highlight::{highlight, Span, TokenClass};
pub use lines::{caret_after_line_edit, indent, toggle_comment};

use crate::split::{split_script, ScriptStatement};

/// The statement the cursor is in (or right after), for Shift+Enter.
pub fn statement_at(text: &str, cursor: usize) -> Option<ScriptStatement> {
    let statements = split_script(text);
    statements
        .iter()
        .find(|s| cursor >= s.span.start && cursor <= s.span.end + 1)
        .or_else(|| statements.iter().rev().find(|s| s.span.end <= cursor))
        .or_else(|| statements.first())
        .cloned()
}

/// The line (0-based) that a byte offset lies on.
pub fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Where a scrolled view must move so that a line (`top`..`bottom` in the content's pixels) is
/// wholly inside it with `margin` pixels to spare, or `None` when it already is. Browsers
/// leave a caret placed by a click, or typed at, on a line that is only partly shown where it
/// is, so the last line of a long script stayed half under the editor's edge.
pub fn reveal(top: f64, bottom: f64, scroll_top: f64, view: f64, margin: f64) -> Option<f64> {
    if bottom + margin > scroll_top + view {
        // A view shorter than the line shows the line's top.
        Some((bottom + margin - view).min(top - margin).max(0.0))
    } else if top - margin < scroll_top {
        Some((top - margin).max(0.0))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_partly_under_an_edge_is_scrolled_in_with_its_margin() {
        // Lines of 21 px after a padding of 10; a view of 256 px scrolled to 590 shows
        // 590..846; line 39 (0-based) spans 829..850.
        assert_eq!(reveal(829.0, 850.0, 590.0, 256.0, 10.0), Some(604.0));
        // Above the top edge.
        assert_eq!(reveal(577.0, 598.0, 590.0, 256.0, 10.0), Some(567.0));
        // Wholly inside: nothing moves.
        assert_eq!(reveal(700.0, 721.0, 590.0, 256.0, 10.0), None);
        // Near the start the view never goes above 0.
        assert_eq!(reveal(10.0, 31.0, 5.0, 256.0, 10.0), Some(0.0));
        // A view shorter than the line shows its top.
        assert_eq!(reveal(400.0, 421.0, 0.0, 15.0, 10.0), Some(390.0));
    }

    #[test]
    fn the_line_of_an_offset_counts_the_newlines_before_it() {
        let text = "SELECT 1;\n한글\nSELECT 3;";
        assert_eq!(line_of(text, 0), 0);
        assert_eq!(line_of(text, 9), 0);
        assert_eq!(line_of(text, 10), 1);
        assert_eq!(line_of(text, text.len()), 2);
        assert_eq!(line_of(text, text.len() + 5), 2);
    }

    #[test]
    fn hangul_and_fullwidth_take_two_columns() {
        assert_eq!(display_width("name"), 4);
        assert_eq!(display_width("이름"), 4);
        assert_eq!(display_width("a한b"), 4);
        assert_eq!(display_width("￦１"), 4);
        assert_eq!(display_width(""), 0);
    }
    use crate::schema::{ColumnInfo, TableInfo};

    fn students() -> Vec<TableInfo> {
        let col = |n: &str, t: &str| ColumnInfo {
            name: n.into(),
            data_type: t.into(),
            nullable: true,
            primary_key: n == "id",
            auto_increment: false,
            references: None,
            default: None,
            on_update: false,
        };
        vec![
            TableInfo {
                database: "student_db2".into(),
                name: "students".into(),
                columns: vec![
                    col("id", "INT"),
                    col("name", "VARCHAR(100)"),
                    col("kor", "INT"),
                ],
                row_count: 30,
                indexes: vec![],
            },
            TableInfo {
                database: "student_db2".into(),
                name: "employees".into(),
                columns: vec![
                    col("id", "INT"),
                    col("name", "VARCHAR(50)"),
                    col("manager_id", "INT"),
                ],
                row_count: 8,
                indexes: vec![],
            },
        ]
    }

    #[test]
    fn highlighting_follows_the_tokenizer() {
        let text =
            "SELECT name, COUNT(*) FROM students -- 학생\nWHERE kor >= 80 AND name = '김영희';";
        let spans = highlight(text);
        let class_of = |needle: &str| {
            let at = text.find(needle).expect("in text");
            spans.iter().find(|s| s.start == at).map(|s| s.class)
        };
        assert_eq!(class_of("SELECT"), Some(TokenClass::Keyword));
        assert_eq!(class_of("name"), Some(TokenClass::Identifier));
        assert_eq!(class_of("COUNT"), Some(TokenClass::Function));
        assert_eq!(class_of("-- 학생"), Some(TokenClass::Comment));
        assert_eq!(class_of("80"), Some(TokenClass::Number));
        assert_eq!(class_of("'김영희'"), Some(TokenClass::String));
        assert_eq!(class_of(">="), Some(TokenClass::Operator));
        // An unclosed string while typing: the lines before keep their colours.
        let open = "SELECT 1;\nSELECT 'abc";
        let spans = highlight(open);
        assert_eq!(spans[0].class, TokenClass::Keyword);
        assert_eq!(spans.last().map(|s| s.class), Some(TokenClass::Plain));
    }

    #[test]
    fn the_statement_under_the_cursor() {
        let text = "select 1;\nselect 2;\n\nselect 3";
        assert_eq!(
            statement_at(text, 3).map(|s| s.sql),
            Some("select 1".into())
        );
        assert_eq!(
            statement_at(text, 12).map(|s| s.sql),
            Some("select 2".into())
        );
        assert_eq!(
            statement_at(text, text.len()).map(|s| s.sql),
            Some("select 3".into())
        );
    }

    #[test]
    fn columns_after_an_alias_and_in_scope() {
        let tables = students();
        let text = "SELECT s.k FROM students s";
        let (from, items) = complete(text, "SELECT s.k".len(), &tables);
        assert_eq!(from, "SELECT s.".len());
        let labels: Vec<_> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["kor"]);
        let text = "SELECT ma FROM employees e";
        let (_, items) = complete(text, "SELECT ma".len(), &tables);
        assert_eq!(items[0].label, "manager_id");
        assert_eq!(items[0].kind, CompletionKind::Column);
        let (_, items) = complete("SELECT CO", 9, &tables);
        let count = items
            .iter()
            .find(|c| c.label == "COUNT")
            .expect("COUNT offered");
        assert_eq!(count.detail, "COUNT(expr | *)");
        assert!(count.doc.is_some());
        let (_, items) = complete("SELECT * FROM stu", 17, &tables);
        assert_eq!(items[0].label, "students");
    }

    #[test]
    fn comments_and_indents_toggle_by_line() {
        let text = "select 1\nfrom t\nwhere x";
        let (t, a, b) = toggle_comment(text, 2, 12);
        assert_eq!(t, "-- select 1\n-- from t\nwhere x");
        let (back, _, _) = toggle_comment(&t, a, b);
        assert_eq!(back, text);
        let (t, _, _) = indent(text, 0, 0, false);
        assert_eq!(t, "    select 1\nfrom t\nwhere x");
        let (t, _, _) = indent(&t, 2, 2, true);
        assert_eq!(t, text);
    }
}
