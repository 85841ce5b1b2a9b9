//! Pictures of results and of the schema, drawn as SVG text: a chart of a result with a label
//! column and number columns, a hierarchy as a tree (id and parent columns), the tables as a
//! diagram with their foreign keys. Pure: the page shows the SVG, saves it as a file or draws
//! it on a canvas for PNG; the tests read it.

pub mod chart;
pub mod diagram;
mod svg;
pub mod tree;

pub use chart::{chart_of, Chart, ChartKind};
pub use diagram::{layout as diagram_of, Diagram};
pub use tree::{tree_of, Tree, TreeNode};

/// The colours a drawing saved on its own carries (on the page, the page's theme colours it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    Light,
    Dark,
}

/// A drawing made to stand alone (a saved `.svg` file, or the source of a PNG): the page's
/// styles written into it, in the colours of `palette`.
pub fn standalone(svg_text: &str, palette: Palette) -> String {
    let (bg, fg, muted, line, series) = match palette {
        Palette::Light => (
            "#ffffff",
            "#1d1d24",
            "#5b5b6b",
            "#d9d9e3",
            svg::LIGHT_SERIES,
        ),
        Palette::Dark => ("#1d1e25", "#e7e7ee", "#a4a4b4", "#34353f", svg::DARK_SERIES),
    };
    let mut style = format!(
        "<style>svg{{background:{bg}}}text{{font:12px 'Noto Sans KR','Malgun Gothic',sans-serif;fill:{fg}}}\
         .grid line,.axis{{stroke:{line}}}.tick,.note{{fill:{muted}}}.value{{opacity:0;font-weight:600}}\
         .bar:hover .value,.bar:focus .value,.point:hover .value,.point:focus .value{{opacity:1}}\
         .box rect{{fill:{bg};stroke:{muted}}}.box .head{{fill:{line}}}.box .key{{font-weight:700}}\
         .box .type{{fill:{muted}}}.fk{{fill:none;stroke:{muted};stroke-width:1.5}}\
         .arrowhead{{fill:{muted}}}.line{{fill:none;stroke-width:2}}"
    );
    for (i, c) in series.iter().enumerate() {
        style +=
            &format!(".s{i} rect,.s{i} circle,.legend .s{i}{{fill:{c}}}.line.s{i}{{stroke:{c}}}");
    }
    style += "</style>";
    match svg_text.find('>') {
        Some(end) => format!("{}{style}{}", &svg_text[..=end], &svg_text[end + 1..]),
        None => svg_text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standalone_drawing_carries_its_styles() {
        let s = standalone(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>",
            Palette::Dark,
        );
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"><style>"));
        assert!(s.contains("#1d1e25") && s.ends_with("<g/></svg>"));
    }
}
