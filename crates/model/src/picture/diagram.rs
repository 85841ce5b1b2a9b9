//! The schema as a diagram: each table a box of its columns, types and keys; an arrow from
//! each foreign key column to the column it references (a loop when a table references
//! itself). Tables are laid out in layers: the tables nothing else is needed for on the left,
//! each referencing table to the right of what it references.

use super::svg::{clip, esc, n, text_width};
use crate::{ColumnInfo, TableInfo};

const HEADER: f64 = 26.0;
const ROW: f64 = 20.0;
const GAP_X: f64 = 72.0;
const GAP_Y: f64 = 24.0;
const MARGIN: f64 = 16.0;
/// Wider names are cut.
const MAX_BOX: f64 = 260.0;

/// One table's box.
#[derive(Debug, Clone, PartialEq)]
pub struct TableBox {
    /// `db.table` when the diagram shows more than one database, else `table`.
    pub title: String,
    pub database: String,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A foreign key: from a column of one box to a column of another (or the same) box.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: (usize, usize),
    pub to: (usize, usize),
    /// The SVG path of the arrow.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<TableBox>,
    pub links: Vec<Link>,
}

fn find(tables: &[TableInfo], db: &str, name: &str) -> Option<usize> {
    tables
        .iter()
        .position(|t| t.database == db && t.name == name)
}

/// Lays the tables out: a table's layer is one more than the deepest layer of the tables it
/// references (itself aside), so arrows mostly point left.
pub fn layout(tables: &[TableInfo]) -> Diagram {
    let many_dbs = tables
        .first()
        .is_some_and(|f| tables.iter().any(|t| t.database != f.database));
    let refs: Vec<Vec<usize>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.columns
                .iter()
                .filter_map(|c| c.references.as_ref())
                .filter_map(|r| find(tables, &r.database, &r.table))
                .filter(|&j| j != i)
                .collect()
        })
        .collect();
    // Longest path from a table that references nothing; a cycle stops at the table count.
    let mut layer = vec![0usize; tables.len()];
    for _ in 0..tables.len() {
        let mut changed = false;
        for i in 0..tables.len() {
            let want = refs[i]
                .iter()
                .map(|&j| layer[j] + 1)
                .max()
                .unwrap_or(0)
                .min(tables.len());
            if want > layer[i] {
                layer[i] = want;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut boxes: Vec<TableBox> = tables
        .iter()
        .map(|t| {
            let title = if many_dbs {
                format!("{}.{}", t.database, t.name)
            } else {
                t.name.clone()
            };
            let widest = t
                .columns
                .iter()
                .map(|c| 28.0 + text_width(&c.name) + 12.0 + text_width(&c.data_type))
                .fold(text_width(&title) + 24.0, f64::max);
            TableBox {
                title,
                database: t.database.clone(),
                name: t.name.clone(),
                columns: t.columns.clone(),
                x: 0.0,
                y: 0.0,
                w: (widest + 16.0).min(MAX_BOX),
                h: HEADER + ROW * t.columns.len() as f64 + 6.0,
            }
        })
        .collect();
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut x = MARGIN;
    let mut height: f64 = 0.0;
    for l in 0..layers {
        let members: Vec<usize> = (0..boxes.len()).filter(|&i| layer[i] == l).collect();
        let w = members.iter().map(|&i| boxes[i].w).fold(0.0, f64::max);
        let mut y = MARGIN;
        for &i in &members {
            boxes[i].x = x;
            boxes[i].y = y;
            boxes[i].w = w;
            y += boxes[i].h + GAP_Y;
        }
        height = height.max(y);
        // Room on the right of a layer for the loops of tables that reference themselves.
        x += w + GAP_X;
    }
    let row_y = |b: &TableBox, c: usize| b.y + HEADER + ROW * c as f64 + ROW / 2.0;
    let mut links = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        for (ci, c) in t.columns.iter().enumerate() {
            let Some(r) = &c.references else { continue };
            let Some(j) = find(tables, &r.database, &r.table) else {
                continue;
            };
            let Some(cj) = tables[j].columns.iter().position(|k| k.name == r.column) else {
                continue;
            };
            let (a, b) = (&boxes[i], &boxes[j]);
            let (sy, ty) = (row_y(a, ci), row_y(b, cj));
            let path = if i == j {
                // A loop on the right side, from the key column back to the column it names.
                let (sx, bulge) = (a.x + a.w, a.x + a.w + 36.0);
                format!(
                    "M{} {} C{} {} {} {} {} {}",
                    n(sx),
                    n(sy),
                    n(bulge),
                    n(sy),
                    n(bulge),
                    n(ty),
                    n(sx + 2.0),
                    n(ty)
                )
            } else if b.x + b.w <= a.x {
                // The usual case: the referenced table to the left.
                let (sx, tx) = (a.x, b.x + b.w);
                let mid = (sx + tx) / 2.0;
                format!(
                    "M{} {} C{} {} {} {} {} {}",
                    n(sx),
                    n(sy),
                    n(mid),
                    n(sy),
                    n(mid),
                    n(ty),
                    n(tx + 2.0),
                    n(ty)
                )
            } else {
                // Same layer (a cycle): out of the right edges.
                let (sx, tx) = (a.x + a.w, b.x + b.w);
                let bulge = sx.max(tx) + 48.0;
                format!(
                    "M{} {} C{} {} {} {} {} {}",
                    n(sx),
                    n(sy),
                    n(bulge),
                    n(sy),
                    n(bulge),
                    n(ty),
                    n(tx + 2.0),
                    n(ty)
                )
            };
            links.push(Link {
                from: (i, ci),
                to: (j, cj),
                path,
            });
        }
    }
    Diagram {
        width: (x - GAP_X + 48.0 + MARGIN).max(200.0),
        height: height.max(80.0) - GAP_Y + MARGIN,
        boxes,
        links,
    }
}

fn key_mark(c: &ColumnInfo) -> &'static str {
    match (c.primary_key, c.references.is_some()) {
        (true, _) => "PK",
        (false, true) => "FK",
        _ => "",
    }
}

impl Diagram {
    /// The diagram as an SVG element (classes styled by the page or [`super::standalone`]).
    pub fn svg(&self, title: &str) -> String {
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" class=\"diagram\" role=\"img\"><title>{}</title>",
            n(self.width),
            n(self.height),
            n(self.width),
            n(self.height),
            esc(title)
        );
        s += "<defs><marker id=\"fk-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path class=\"arrowhead\" d=\"M0 0L10 5L0 10z\"/></marker></defs>";
        for b in &self.boxes {
            s += &format!(
                "<g class=\"box\" data-table=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/><rect class=\"head\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/><text class=\"key\" x=\"{}\" y=\"{}\">{}</text>",
                esc(&b.name),
                n(b.x),
                n(b.y),
                n(b.w),
                n(b.h),
                n(b.x),
                n(b.y),
                n(b.w),
                n(HEADER - 4.0),
                n(b.x + 10.0),
                n(b.y + 17.0),
                esc(&clip(&b.title, b.w - 20.0))
            );
            for (i, c) in b.columns.iter().enumerate() {
                let y = b.y + HEADER + ROW * i as f64 + 14.0;
                let mark = key_mark(c);
                let type_w = text_width(&c.data_type).min(b.w / 2.0);
                s += &format!(
                    "<text class=\"tick\" x=\"{}\" y=\"{}\">{mark}</text><text class=\"{}\" x=\"{}\" y=\"{}\">{}</text><text class=\"type\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                    n(b.x + 6.0),
                    n(y),
                    if c.primary_key { "col key" } else { "col" },
                    n(b.x + 30.0),
                    n(y),
                    esc(&clip(&c.name, b.w - 48.0 - type_w)),
                    n(b.x + b.w - 8.0),
                    n(y),
                    esc(&clip(&c.data_type, b.w / 2.0))
                );
            }
            s += "</g>";
        }
        for l in &self.links {
            let (from, to) = (&self.boxes[l.from.0], &self.boxes[l.to.0]);
            s += &format!(
                "<path class=\"fk\" data-from=\"{}.{}\" data-to=\"{}.{}\" d=\"{}\" marker-end=\"url(#fk-arrow)\"><title>{}.{} → {}.{}</title></path>",
                esc(&from.name),
                esc(&from.columns[l.from.1].name),
                esc(&to.name),
                esc(&to.columns[l.to.1].name),
                l.path,
                esc(&from.name),
                esc(&from.columns[l.from.1].name),
                esc(&to.name),
                esc(&to.columns[l.to.1].name)
            );
        }
        s += "</svg>";
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnRef;

    fn column(name: &str, pk: bool, references: Option<(&str, &str)>) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            data_type: "INT".into(),
            nullable: !pk,
            primary_key: pk,
            auto_increment: false,
            references: references.map(|(t, c)| ColumnRef {
                database: "db".into(),
                table: t.into(),
                column: c.into(),
            }),
            default: None,
            on_update: false,
        }
    }

    fn table(name: &str, columns: Vec<ColumnInfo>) -> TableInfo {
        TableInfo {
            database: "db".into(),
            name: name.into(),
            columns,
            row_count: 0,
            indexes: vec![],
        }
    }

    #[test]
    fn referencing_tables_stand_right_of_what_they_reference_with_an_arrow_each() {
        let tables = vec![
            table(
                "emp",
                vec![
                    column("id", true, None),
                    column("dept_id", false, Some(("dept", "id"))),
                    column("manager_id", false, Some(("emp", "id"))),
                ],
            ),
            table("dept", vec![column("id", true, None)]),
        ];
        let d = layout(&tables);
        assert!(d.boxes[1].x < d.boxes[0].x, "dept is left of emp");
        assert_eq!(d.links.len(), 2);
        assert_eq!((d.links[0].from, d.links[0].to), ((0, 1), (1, 0)));
        assert_eq!(
            (d.links[1].from, d.links[1].to),
            ((0, 2), (0, 0)),
            "the self-reference loops"
        );
        let svg = d.svg("schema");
        assert!(svg.contains("data-from=\"emp.dept_id\" data-to=\"dept.id\""));
        assert!(svg.contains("data-from=\"emp.manager_id\" data-to=\"emp.id\""));
        assert!(d
            .boxes
            .iter()
            .all(|b| b.x + b.w <= d.width && b.y + b.h <= d.height));
    }

    #[test]
    fn a_cycle_and_a_lone_table_still_lay_out() {
        let tables = vec![
            table(
                "a",
                vec![
                    column("id", true, None),
                    column("b", false, Some(("b", "id"))),
                ],
            ),
            table(
                "b",
                vec![
                    column("id", true, None),
                    column("a", false, Some(("a", "id"))),
                ],
            ),
            table("c", vec![]),
        ];
        let d = layout(&tables);
        assert_eq!(d.links.len(), 2);
        assert!(d.width > 0.0 && d.height > 0.0);
        assert!(layout(&[]).boxes.is_empty());
    }
}
