//! Line edits of the editor's keys: toggling `--` comments and indenting, by whole lines.

/// Toggles `-- ` at the start of every line touched by `[start, end)`: comments them all, or
/// uncomments them all when each already is. Returns the new text and the new selection.
pub fn toggle_comment(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let (line_start, line_end) = line_range(text, start, end);
    let block = &text[line_start..line_end];
    let lines: Vec<&str> = block.split('\n').collect();
    let all_commented = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.trim_start().starts_with("--"));
    let changed: Vec<String> = lines
        .iter()
        .map(|l| {
            if all_commented {
                let indent = l.len() - l.trim_start().len();
                let rest = &l[indent..];
                let rest = rest
                    .strip_prefix("-- ")
                    .or_else(|| rest.strip_prefix("--"))
                    .unwrap_or(rest);
                format!("{}{rest}", &l[..indent])
            } else if l.trim().is_empty() {
                (*l).to_owned()
            } else {
                format!("-- {l}")
            }
        })
        .collect();
    let new_block = changed.join("\n");
    let new_text = format!("{}{new_block}{}", &text[..line_start], &text[line_end..]);
    (new_text, line_start, line_start + new_block.len())
}

/// Indents (or with `outdent`, removes up to four spaces from) every line touched.
pub fn indent(text: &str, start: usize, end: usize, outdent: bool) -> (String, usize, usize) {
    let (line_start, line_end) = line_range(text, start, end);
    let block = &text[line_start..line_end];
    let new_block = block
        .split('\n')
        .map(|l| {
            if outdent {
                let spaces = l.len() - l.trim_start_matches(' ').len();
                l[spaces.min(4)..].to_owned()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let new_text = format!("{}{new_block}{}", &text[..line_start], &text[line_end..]);
    (new_text, line_start, line_start + new_block.len())
}

fn line_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    // A selection ending right at a line start does not touch that line.
    let end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    (line_start, line_end)
}

/// Where a caret at `at` in `old` lands after a line edit turned it into `new` (a comment or
/// an indent added to or taken from the start of its line): on the same line, moved with the
/// line's text; inside a removed prefix, at the line's start.
pub fn caret_after_line_edit(old: &str, new: &str, at: usize) -> usize {
    let at = at.min(old.len());
    let line_start = old[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_len = |t: &str| {
        t.get(line_start..)
            .map_or(0, |r| r.find('\n').unwrap_or(r.len()))
    };
    let (old_len, new_len) = (line_len(old), line_len(new));
    let column = at - line_start;
    let moved = if new_len >= old_len {
        column + (new_len - old_len)
    } else {
        column.saturating_sub(old_len - new_len)
    };
    let mut pos = (line_start + moved.min(new_len)).min(new.len());
    while !new.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod caret_tests {
    use super::*;

    #[test]
    fn a_caret_moves_with_its_line() {
        let old = "select 1;\nselect 가;\n";
        let at = old.find('가').expect("가");
        let (new, _, _) = toggle_comment(old, at, at);
        let moved = caret_after_line_edit(old, &new, at);
        assert_eq!(&new[moved..moved + '가'.len_utf8()], "가");
        // Uncommented again: back where it was.
        let (back, _, _) = toggle_comment(&new, moved, moved);
        assert_eq!(caret_after_line_edit(&new, &back, moved), at);
        // Outdent with the caret inside the indent: at the line's start.
        let old = "a\n    b";
        let (new, _, _) = indent(old, 4, 4, true);
        assert_eq!(caret_after_line_edit(old, &new, 4), 2);
    }
}
