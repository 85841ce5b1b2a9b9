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
