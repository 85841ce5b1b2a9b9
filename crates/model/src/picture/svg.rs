//! What the drawings share: escaping, numbers as SVG writes them, text widths for layout,
//! axis ticks, and the series colours of a saved drawing.

/// Series colours (light and dark themes), the page's `--chart-N` in the same order.
pub const LIGHT_SERIES: [&str; 6] = [
    "#2457c5", "#d9730d", "#2e8b57", "#b3261e", "#7a3db8", "#8a5a00",
];
pub const DARK_SERIES: [&str; 6] = [
    "#7aa2ff", "#f2a874", "#8fd18f", "#ff8a80", "#d7a6ff", "#e0b25a",
];

/// Text for an SVG text node or attribute: the five XML specials escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate: one decimal, no trailing `.0`.
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The width of `s` in 12 px text: wide characters (Hangul, CJK) take a full em, the rest
/// about six tenths of one. Layout only needs it roughly.
pub fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if is_wide(c) { 12.0 } else { 7.0 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// `s` cut to about `max` pixels, with an ellipsis when cut.
pub fn clip(s: &str, max: f64) -> String {
    if text_width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = 7.0;
    for c in s.chars() {
        w += if is_wide(c) { 12.0 } else { 7.0 };
        if w > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A value as a chart prints it: whole numbers without decimals, others to two places.
pub fn value_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Round tick values covering `lo..=hi` (about `count` of them), steps of 1, 2 or 5 × 10ⁿ.
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut t = start;
    while t < hi + step * 0.5 && out.len() < 50 {
        // Snap away float noise (0.30000000000000004).
        out.push((t / step).round() * step);
        t += step;
    }
    if out.last().is_some_and(|&l| l < hi) {
        out.push(out.last().copied().unwrap_or(hi) + step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(ticks(0.0, 7.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(-3.0, 3.0, 4), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        let flat = ticks(0.0, 0.0, 5);
        assert_eq!((flat.len(), flat[0], flat[5]), (6, 0.0, 1.0));
    }

    #[test]
    fn text_is_escaped_and_measured_with_hangul_wide() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(text_width("ab"), 14.0);
        assert_eq!(text_width("김영"), 24.0);
        assert_eq!(clip("가나다라마바사", 40.0), "가나…");
        assert_eq!(value_text(3.0), "3");
        assert_eq!(value_text(81.333), "81.33");
        assert_eq!(n(12.04), "12");
        assert_eq!(n(12.25), "12.3");
    }
}
