//! A result as a tree: an id column and a parent column that refers to it (`id`,
//! `manager_id`), found by their names and checked against the values; the hierarchy built
//! from them, with the other columns as each node's label.

use crate::{Cell, Column};
use std::collections::{HashMap, HashSet};

/// More rows than this are not drawn as a tree.
pub const MAX_NODES: usize = 1_000;

/// One row of the result as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub id: String,
    /// The parent's id, when the row names one that is in the result.
    pub parent: Option<String>,
    /// The other columns' values, joined.
    pub label: String,
    pub children: Vec<TreeNode>,
}

/// A hierarchy: its roots (rows without a parent in the result) and the columns it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub id_column: String,
    pub parent_column: String,
    pub roots: Vec<TreeNode>,
    pub nodes: usize,
}

/// A name that says "the row above this one".
fn parent_like(name: &str) -> bool {
    let l = name.to_lowercase();
    [
        "parent",
        "manager",
        "boss",
        "mgr",
        "upper",
        "super",
        "reports_to",
        "상위",
        "부모",
        "상사",
    ]
    .iter()
    .any(|w| l.contains(w))
}

fn key(c: &Cell) -> Option<String> {
    (*c != Cell::Null).then(|| c.display())
}

/// The tree a result offers, or `None`. The id column is the one named `id` (or the first
/// column); the parent column is one whose name says parent (`manager_id`, `parent_id`, …)
/// and whose values point at ids of the result. Ids must be unique and at least one row must
/// hang under another. A parent outside the result (a subtree's top) makes a root.
pub fn tree_of(columns: &[Column], rows: &[Vec<Cell>]) -> Option<Tree> {
    if rows.len() < 2 || rows.len() > MAX_NODES || columns.len() < 2 {
        return None;
    }
    let id = columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case("id") || c.name.to_lowercase().ends_with(".id"))
        .unwrap_or(0);
    let ids: Vec<String> = rows.iter().map(|r| key(&r[id])).collect::<Option<_>>()?;
    let unique: HashSet<&String> = ids.iter().collect();
    if unique.len() != ids.len() {
        return None;
    }
    let parent = (0..columns.len())
        .filter(|&i| i != id && parent_like(&columns[i].name))
        .find(|&p| {
            rows.iter()
                .filter_map(|r| key(&r[p]))
                .filter(|v| unique.contains(v))
                .count()
                > 0
        })?;
    let label_of = |r: &[Cell]| {
        r.iter()
            .enumerate()
            .filter(|(i, _)| *i != id && *i != parent)
            .map(|(_, c)| c.display())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut children: HashMap<String, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match key(&r[parent]).filter(|p| unique.contains(p) && *p != ids[i]) {
            Some(p) => children.entry(p).or_default().push(i),
            None => roots.push(i),
        }
    }
    // Build from the roots; rows only reachable through a cycle become roots of their own.
    let mut placed = vec![false; rows.len()];
    fn build(
        i: usize,
        rows: &[Vec<Cell>],
        ids: &[String],
        children: &HashMap<String, Vec<usize>>,
        placed: &mut [bool],
        parent_col: usize,
        label_of: &dyn Fn(&[Cell]) -> String,
    ) -> TreeNode {
        placed[i] = true;
        let mut node = TreeNode {
            id: ids[i].clone(),
            parent: key(&rows[i][parent_col]).filter(|p| ids.contains(p)),
            label: label_of(&rows[i]),
            children: vec![],
        };
        // Iterative depth would be nicer for very deep chains; MAX_NODES bounds the depth.
        for &c in children.get(&ids[i]).into_iter().flatten() {
            if !placed[c] {
                node.children
                    .push(build(c, rows, ids, children, placed, parent_col, label_of));
            }
        }
        node
    }
    let mut forest = Vec::new();
    for r in roots {
        forest.push(build(
            r,
            rows,
            &ids,
            &children,
            &mut placed,
            parent,
            &label_of,
        ));
    }
    while let Some(i) = placed.iter().position(|p| !p) {
        let mut node = build(i, rows, &ids, &children, &mut placed, parent, &label_of);
        node.parent = None;
        forest.push(node);
    }
    if forest.len() == rows.len() {
        return None;
    }
    Some(Tree {
        id_column: columns[id].name.clone(),
        parent_column: columns[parent].name.clone(),
        roots: forest,
        nodes: rows.len(),
    })
}

impl Tree {
    /// The tree as indented text (`└ ` before each child), for the CLI and the text
    /// alternative.
    pub fn outline(&self) -> String {
        fn walk(n: &TreeNode, depth: usize, out: &mut String) {
            if depth > 0 {
                out.push_str(&"  ".repeat(depth - 1));
                out.push_str("└ ");
            }
            out.push_str(&format!("{} {}\n", n.id, n.label));
            for c in &n.children {
                walk(c, depth + 1, out);
            }
        }
        let mut out = String::new();
        for r in &self.roots {
            walk(r, 0, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(n: &str) -> Column {
        Column {
            name: n.into(),
            data_type: String::new(),
        }
    }

    fn row(id: i64, name: &str, manager: Option<i64>) -> Vec<Cell> {
        vec![
            Cell::Int(id),
            Cell::Text(name.into()),
            manager.map_or(Cell::Null, Cell::Int),
        ]
    }

    #[test]
    fn an_org_chart_becomes_a_tree() {
        let cols = [col("id"), col("name"), col("manager_id")];
        let rows = vec![
            row(4, "최과장", Some(2)),
            row(1, "김대표", None),
            row(2, "이부장", Some(1)),
            row(3, "박부장", Some(1)),
        ];
        let tree = tree_of(&cols, &rows).expect("a tree");
        assert_eq!(tree.parent_column, "manager_id");
        assert_eq!(
            tree.outline(),
            "1 김대표\n└ 2 이부장\n  └ 4 최과장\n└ 3 박부장\n"
        );
        assert_eq!(tree.roots[0].children[0].parent.as_deref(), Some("1"));
    }

    #[test]
    fn a_subtree_and_a_cycle_still_draw_and_flat_results_do_not() {
        let cols = [col("id"), col("name"), col("manager_id")];
        // 2's manager (1) is not in the result: 2 is a root.
        let sub = vec![row(2, "이부장", Some(1)), row(4, "최과장", Some(2))];
        assert_eq!(tree_of(&cols, &sub).expect("tree").roots.len(), 1);
        let cycle = vec![
            row(1, "a", Some(2)),
            row(2, "b", Some(1)),
            row(3, "c", Some(1)),
        ];
        assert_eq!(tree_of(&cols, &cycle).expect("tree").nodes, 3);
        let flat = vec![row(1, "a", None), row(2, "b", None)];
        assert!(tree_of(&cols, &flat).is_none());
        let no_parent = [col("id"), col("name"), col("age")];
        assert!(tree_of(&no_parent, &[row(1, "a", Some(1)), row(2, "b", Some(1))]).is_none());
        let dup = vec![row(1, "a", None), row(1, "b", Some(1))];
        assert!(tree_of(&cols, &dup).is_none());
    }
}
