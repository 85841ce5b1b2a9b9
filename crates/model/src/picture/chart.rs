//! A result as a chart: which results can be charted (a label column and number columns),
//! the points in the order a chart wants them, and the chart as SVG — bars, or a line when the
//! labels are ordered (numbers, dates) and the learner asks for one.

use super::svg::{clip, esc, n, text_width, ticks, value_text};
use crate::{Cell, Column, Localized};

/// The drawing's size in SVG units (it scales to the width it is given).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 360.0;
/// More points than this are not charted (the table shows them better).
pub const MAX_POINTS: usize = 500;
/// At most this many number columns become series.
const MAX_SERIES: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
}

/// One label and its value in each series (`None`: NULL, drawn as a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// What a chart of a result shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    /// The labels are numbers or dates, so a line can join them (and bars are in their order).
    pub ordered: bool,
    pub label_name: String,
    pub series: Vec<String>,
    pub points: Vec<Point>,
}

/// A cell as a number, when it is one.
fn number(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(i) => Some(*i as f64),
        Cell::Float(f) if f.is_finite() => Some(*f),
        Cell::BigInt(s) | Cell::Decimal(s) => s.parse().ok(),
        _ => None,
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// An id is a name for a row, not a quantity to draw.
fn is_id(name: &str) -> bool {
    let l = name.to_lowercase();
    l == "id" || l.ends_with("_id") || l.ends_with(".id")
}

/// The chart a result offers, or `None` (no rows, too many, or no number column beside a
/// label). The label is the first column that is not all numbers (or, when every column is,
/// the first column: `avg_score, COUNT(*)`); the series are the other number columns, ids
/// left out when there is anything else to draw. Numeric labels are put in their order (a
/// histogram), dates too; text labels keep the result's order. Dates default to a line.
pub fn chart_of(columns: &[Column], rows: &[Vec<Cell>]) -> Option<Chart> {
    if rows.is_empty() || rows.len() > MAX_POINTS || columns.len() < 2 {
        return None;
    }
    let numeric = |i: usize| {
        rows.iter().all(|r| {
            r.get(i)
                .is_some_and(|c| *c == Cell::Null || number(c).is_some())
        }) && rows.iter().any(|r| r.get(i).and_then(number).is_some())
    };
    let label = (0..columns.len()).find(|&i| !numeric(i)).unwrap_or(0);
    let mut series: Vec<usize> = (0..columns.len())
        .filter(|&i| i != label && numeric(i))
        .collect();
    if series.iter().any(|&i| !is_id(&columns[i].name)) {
        series.retain(|&i| !is_id(&columns[i].name));
    }
    series.truncate(MAX_SERIES);
    if series.is_empty() {
        return None;
    }
    let labels: Vec<&Cell> = rows.iter().map(|r| &r[label]).collect();
    let numeric_labels = labels
        .iter()
        .all(|c| number(c).is_some() || **c == Cell::Null);
    let date_labels = labels.iter().all(|c| match c {
        Cell::Other(s) | Cell::Text(s) => is_date(s),
        Cell::Null => true,
        _ => false,
    });
    let ordered = numeric_labels || date_labels;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if ordered {
        // NULL labels last; numbers by value, dates by their text (which sorts by time).
        crate::sort::sort_by(&mut order, |&a, &b| {
            let key = |i: usize| (labels[i] == &Cell::Null, number(labels[i]));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then_with(|| match (ka.1, kb.1) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                _ => labels[a].display().cmp(&labels[b].display()),
            })
        });
    }
    let points = order
        .into_iter()
        .map(|i| Point {
            label: rows[i][label].display(),
            values: series.iter().map(|&s| number(&rows[i][s])).collect(),
        })
        .collect();
    Some(Chart {
        kind: if date_labels && !numeric_labels {
            ChartKind::Line
        } else {
            ChartKind::Bar
        },
        ordered,
        label_name: columns[label].name.clone(),
        series: series.iter().map(|&i| columns[i].name.clone()).collect(),
        points,
    })
}

impl Chart {
    /// The same chart drawn as `kind` (a line only joins ordered labels).
    pub fn with_kind(mut self, kind: ChartKind) -> Chart {
        if kind == ChartKind::Bar || self.ordered {
            self.kind = kind;
        }
        self
    }

    fn range(&self) -> (f64, f64) {
        let values = self.points.iter().flat_map(|p| p.values.iter().flatten());
        let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        (lo, hi)
    }

    /// The chart said in words, for screen readers and as the drawing's title.
    pub fn description(&self) -> Localized {
        let (lo, hi) = self.range();
        let n_points = self.points.len();
        let series = self.series.join(", ");
        let (kind_ko, kind_en) = match self.kind {
            ChartKind::Bar => ("막대 차트", "Bar chart"),
            ChartKind::Line => ("선 차트", "Line chart"),
        };
        let top = self
            .points
            .iter()
            .filter_map(|p| p.values.first().copied().flatten().map(|v| (v, &p.label)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let (top_ko, top_en) = top.map_or((String::new(), String::new()), |(v, l)| {
            (
                format!(" 가장 큰 값은 {l}의 {}입니다.", value_text(v)),
                format!(" The largest is {} at {l}.", value_text(v)),
            )
        });
        Localized::new(
            format!(
                "{kind_ko}: {}별 {series}, {n_points}개 항목, 값은 {}부터 {}까지.{top_ko}",
                self.label_name,
                value_text(lo),
                value_text(hi)
            ),
            format!(
                "{kind_en} of {series} by {}: {n_points} items, values from {} to {}.{top_en}",
                self.label_name,
                value_text(lo),
                value_text(hi)
            ),
        )
    }

    /// The chart as an SVG element (classes styled by the page, or by [`super::standalone`]).
    pub fn svg(&self, title: &str) -> String {
        let (lo, hi) = self.range();
        let ticks = ticks(lo, hi, 5);
        let (y0, y1) = (ticks[0], ticks[ticks.len() - 1]);
        let tick_w = ticks
            .iter()
            .map(|t| text_width(&value_text(*t)))
            .fold(0.0, f64::max);
        let legend = self.series.len() > 1;
        let left = 22.0 + tick_w + 8.0;
        let (right, top, bottom) = (12.0, if legend { 34.0 } else { 14.0 }, 48.0);
        let (pw, ph) = (WIDTH - left - right, HEIGHT - top - bottom);
        let y = |v: f64| top + ph - (v - y0) / (y1 - y0) * ph;
        let count = self.points.len();
        let band = pw / count as f64;
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" class=\"chart\" role=\"img\"><title>{}</title>",
            esc(title)
        );
        s += "<g class=\"grid\">";
        for t in &ticks {
            let ty = n(y(*t));
            s += &format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{ty}\" y2=\"{ty}\"/><text class=\"tick\" x=\"{}\" y=\"{ty}\" dy=\"4\" text-anchor=\"end\">{}</text>",
                n(left),
                n(left + pw),
                n(left - 6.0),
                value_text(*t)
            );
        }
        s += "</g>";
        let base = y(0.0f64.clamp(y0, y1));
        match self.kind {
            ChartKind::Bar => {
                let group = (band * 0.8).max(1.0);
                let bar = group / self.series.len() as f64;
                s += "<g class=\"bars\">";
                for (i, p) in self.points.iter().enumerate() {
                    for (k, v) in p.values.iter().enumerate() {
                        let Some(v) = *v else { continue };
                        let x = left + i as f64 * band + (band - group) / 2.0 + k as f64 * bar;
                        let (top_y, h) = (y(v).min(base), (y(v) - base).abs());
                        s += &format!(
                            "<g class=\"bar s{k}\" tabindex=\"0\" data-label=\"{}\" data-value=\"{}\"><title>{}: {} = {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                            esc(&p.label),
                            value_text(v),
                            esc(&p.label),
                            esc(&self.series[k]),
                            value_text(v),
                            n(x),
                            n(top_y),
                            n(bar.max(0.5)),
                            n(h),
                            n(x + bar / 2.0),
                            n(top_y - 4.0),
                            value_text(v)
                        );
                    }
                }
                s += "</g>";
            }
            ChartKind::Line => {
                for k in 0..self.series.len() {
                    // A NULL breaks the line: each run of values is its own polyline.
                    let mut runs: Vec<Vec<String>> = vec![vec![]];
                    for (i, p) in self.points.iter().enumerate() {
                        match p.values[k] {
                            Some(v) => runs.last_mut().map_or((), |r| {
                                r.push(format!(
                                    "{},{}",
                                    n(left + (i as f64 + 0.5) * band),
                                    n(y(v))
                                ));
                            }),
                            None => runs.push(vec![]),
                        }
                    }
                    for run in runs.iter().filter(|r| r.len() > 1) {
                        s += &format!(
                            "<polyline class=\"line s{k}\" points=\"{}\"/>",
                            run.join(" ")
                        );
                    }
                    for (i, p) in self.points.iter().enumerate() {
                        let Some(v) = p.values[k] else { continue };
                        let (cx, cy) = (left + (i as f64 + 0.5) * band, y(v));
                        s += &format!(
                            "<g class=\"point s{k}\" tabindex=\"0\" data-label=\"{}\" data-value=\"{}\"><title>{}: {} = {}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\"/><text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                            esc(&p.label),
                            value_text(v),
                            esc(&p.label),
                            esc(&self.series[k]),
                            value_text(v),
                            n(cx),
                            n(cy),
                            if count > 60 { 2 } else { 3 },
                            n(cx),
                            n(cy - 7.0),
                            value_text(v)
                        );
                    }
                }
            }
        }
        s += &format!(
            "<line class=\"axis\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
            n(left),
            n(left + pw),
            n(base),
            n(base)
        );
        // Labels under the points, thinned so that they do not overlap.
        let widest = self
            .points
            .iter()
            .map(|p| text_width(&p.label))
            .fold(0.0, f64::max)
            .min(96.0);
        let every = ((widest + 8.0) / band).ceil().max(1.0) as usize;
        s += "<g class=\"x-labels\">";
        for (i, p) in self.points.iter().enumerate().step_by(every) {
            s += &format!(
                "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                n(left + (i as f64 + 0.5) * band),
                n(top + ph + 16.0),
                esc(&clip(
                    &p.label,
                    (band * every as f64 - 4.0).clamp(14.0, 96.0)
                ))
            );
        }
        s += "</g>";
        s += &format!(
            "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(left + pw / 2.0),
            n(HEIGHT - 8.0),
            esc(&self.label_name)
        );
        s += &format!(
            "<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"{}\" y=\"14\" text-anchor=\"middle\">{}</text>",
            n(-(top + ph / 2.0)),
            esc(&clip(&self.series.join(", "), ph))
        );
        if legend {
            let mut x = left;
            s += "<g class=\"legend\">";
            for (k, name) in self.series.iter().enumerate() {
                s += &format!(
                    "<rect class=\"s{k}\" x=\"{}\" y=\"10\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"19\">{}</text>",
                    n(x),
                    n(x + 14.0),
                    esc(name)
                );
                x += 14.0 + text_width(name) + 16.0;
            }
            s += "</g>";
        }
        s += "</svg>";
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str) -> Column {
        Column {
            name: name.into(),
            data_type: String::new(),
        }
    }

    /// Every bar's (label, height) in the order drawn.
    fn bars(svg: &str) -> Vec<(String, f64)> {
        svg.split("<g class=\"bar ")
            .skip(1)
            .map(|b| {
                let label = b
                    .split("data-label=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("");
                let h = b
                    .split("height=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("0");
                (label.to_owned(), h.parse().unwrap_or(-1.0))
            })
            .collect()
    }

    #[test]
    fn the_course_histogram_is_bars_in_label_order_with_heights_by_count() {
        let rows = vec![
            vec![Cell::Decimal("80.33".into()), Cell::Int(2)],
            vec![Cell::Decimal("75.00".into()), Cell::Int(4)],
            vec![Cell::Decimal("78.67".into()), Cell::Int(1)],
        ];
        let chart = chart_of(&[col("avg_score"), col("count_students")], &rows).expect("a chart");
        assert_eq!((chart.kind, chart.ordered), (ChartKind::Bar, true));
        let drawn = bars(&chart.svg("t"));
        let labels: Vec<&str> = drawn.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["75.00", "78.67", "80.33"]);
        // Heights in proportion to the counts 4, 1, 2 (the axis starts at 0).
        let unit = drawn[1].1;
        assert!((drawn[0].1 - 4.0 * unit).abs() < 0.5 && (drawn[2].1 - 2.0 * unit).abs() < 0.5);
    }

    #[test]
    fn text_labels_keep_their_order_ids_are_not_series_and_dates_draw_a_line() {
        let rows = vec![
            vec![
                Cell::Int(1),
                Cell::Text("김<영희>".into()),
                Cell::Int(90),
                Cell::Null,
            ],
            vec![
                Cell::Int(2),
                Cell::Text("이철수".into()),
                Cell::Int(70),
                Cell::Int(80),
            ],
        ];
        let chart =
            chart_of(&[col("id"), col("name"), col("kor"), col("math")], &rows).expect("a chart");
        assert_eq!(chart.label_name, "name");
        assert_eq!(chart.series, ["kor", "math"]);
        assert!(!chart.ordered);
        let svg = chart.svg("t");
        assert!(svg.contains("김&lt;영희&gt;") && !svg.contains("김<영희>"));
        assert_eq!(bars(&svg).len(), 3, "the NULL is a gap");
        assert_eq!(
            chart.clone().with_kind(ChartKind::Line).kind,
            ChartKind::Bar
        );
        let days = vec![
            vec![Cell::Other("2025-03-02".into()), Cell::Int(3)],
            vec![Cell::Other("2025-03-01".into()), Cell::Int(5)],
        ];
        let line = chart_of(&[col("day"), col("n")], &days).expect("a chart");
        assert_eq!(line.kind, ChartKind::Line);
        assert_eq!(line.points[0].label, "2025-03-01");
        assert!(line.svg("t").contains("<polyline class=\"line s0\""));
        assert!(line
            .description()
            .ko
            .starts_with("선 차트: day별 n, 2개 항목"));
    }

    #[test]
    fn results_without_a_number_beside_a_label_are_not_charted() {
        assert!(chart_of(
            &[col("name"), col("city")],
            &[vec![Cell::Text("a".into()), Cell::Text("b".into())]]
        )
        .is_none());
        assert!(chart_of(&[col("n")], &[vec![Cell::Int(1)]]).is_none());
        assert!(chart_of(&[col("a"), col("b")], &[]).is_none());
    }
}
