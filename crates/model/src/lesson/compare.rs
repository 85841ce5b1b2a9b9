//! Comparing a learner's result with the reference's, as a teacher would: as multisets of rows
//! (duplicates count), numbers by value with a small relative tolerance (so `85`, `85.0` and
//! `85.00` agree, and a float's last digit does not matter), NULL equal to NULL, and order and
//! column names only when the lesson asks for them.

use super::{ColumnRule, OrderRule};
use crate::result::{Cell, Column};
use serde::{Deserialize, Serialize};

/// How a result differs from the reference's.
/// (Externally tagged, `{"missing_rows": {"missing": 2}}`: an internally tagged enum is read
/// through a buffer, which costs the page's wasm for nothing.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// Another number of columns, or (when names count) other names.
    WrongColumns {
        expected: Vec<String>,
        got: Vec<String>,
    },
    /// Rows of the reference the learner's result lacks (and no row it should not have).
    MissingRows { missing: usize },
    /// Rows the learner's result has that the reference does not (and none missing).
    ExtraRows { extra: usize },
    /// Some rows missing and others in their place.
    WrongValues { missing: usize, extra: usize },
    /// The same rows in another order; `row` is the first (0-based) out of place.
    WrongOrder { row: usize },
}

/// What a comparison needs besides the two results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    pub order: OrderRule,
    pub columns: ColumnRule,
    /// The reference's sort keys as column positions of its result; `None` when they are
    /// not all output columns (then the whole row is the key: order must match exactly).
    pub sort_keys: Option<Vec<usize>>,
}

/// One result: its columns and rows.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    pub columns: &'a [Column],
    pub rows: &'a [Vec<Cell>],
}

/// A value as a comparable key: numbers by value to six significant digits (so `85`, `85.0`
/// and `85.00` agree, and so do `83.3333` and `83.33333`, MySQL's scales of `250 / 3` and
/// `250 / 3.0`; whole numbers stay exact), text as it is.
pub fn cell_key(cell: &Cell) -> String {
    let number = match cell {
        Cell::Null => return "∅".to_owned(),
        Cell::Bool(b) => f64::from(u8::from(*b)),
        Cell::Int(i) => return format!("n:{i}"),
        Cell::Float(f) => *f,
        Cell::BigInt(s) | Cell::Decimal(s) => match s.parse::<f64>() {
            Ok(f) => f,
            Err(_) => return format!("n:{s}"),
        },
        Cell::Text(s) => return format!("s:{s}"),
        Cell::Other(s) => return format!("o:{s}"),
    };
    format!("n:{}", number_key(number))
}

fn number_key(x: f64) -> String {
    let whole = |v: f64| v.fract() == 0.0 && v.abs() < 1e15;
    if x == 0.0 {
        // -0 and 0 are the same number.
        return "0".to_owned();
    }
    if !x.is_finite() || whole(x) {
        return format!("{x:.0}");
    }
    let rounded = format!("{x:.5e}");
    match rounded.parse::<f64>() {
        Ok(r) if whole(r) => format!("{r:.0}"),
        _ => rounded,
    }
}

fn row_key(row: &[Cell], order: &[usize]) -> Vec<String> {
    order
        .iter()
        .map(|&i| row.get(i).map_or_else(|| "∅".to_owned(), cell_key))
        .collect()
}

/// Compares `learner` with `reference` under `rules`.
pub fn compare(reference: Table, learner: Table, rules: &Rules) -> Result<(), Mismatch> {
    let names = |cols: &[Column]| cols.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let wrong_columns = || Mismatch::WrongColumns {
        expected: names(reference.columns),
        got: names(learner.columns),
    };
    // Which learner column stands for each reference column.
    let mapping: Vec<usize> = match rules.columns {
        ColumnRule::Position => {
            if reference.columns.len() != learner.columns.len() {
                return Err(wrong_columns());
            }
            (0..reference.columns.len()).collect()
        }
        ColumnRule::Names => {
            if reference.columns.len() != learner.columns.len() {
                return Err(wrong_columns());
            }
            let mut mapping = vec![];
            for col in reference.columns {
                let found = learner
                    .columns
                    .iter()
                    .position(|l| l.name.to_lowercase() == col.name.to_lowercase());
                match found {
                    Some(i) if !mapping.contains(&i) => mapping.push(i),
                    _ => return Err(wrong_columns()),
                }
            }
            mapping
        }
    };
    let identity: Vec<usize> = (0..reference.columns.len()).collect();
    let reference_keys: Vec<Vec<String>> = reference
        .rows
        .iter()
        .map(|r| row_key(r, &identity))
        .collect();
    let learner_keys: Vec<Vec<String>> =
        learner.rows.iter().map(|r| row_key(r, &mapping)).collect();
    let (missing, extra) = multiset_difference(&reference_keys, &learner_keys);
    match (missing, extra) {
        (0, 0) => {}
        (m, 0) => return Err(Mismatch::MissingRows { missing: m }),
        (0, e) => return Err(Mismatch::ExtraRows { extra: e }),
        (m, e) => {
            return Err(Mismatch::WrongValues {
                missing: m,
                extra: e,
            })
        }
    }
    if rules.order == OrderRule::Reference {
        let keys = rules.sort_keys.clone().unwrap_or(identity);
        let pick = |row: &[String]| -> Vec<String> {
            keys.iter()
                .map(|&k| row.get(k).cloned().unwrap_or_default())
                .collect()
        };
        if let Some(row) =
            (0..reference_keys.len()).find(|&i| pick(&reference_keys[i]) != pick(&learner_keys[i]))
        {
            return Err(Mismatch::WrongOrder { row });
        }
    }
    Ok(())
}

/// How many rows of `a` are not matched in `b`, and of `b` in `a` (duplicates count).
fn multiset_difference(a: &[Vec<String>], b: &[Vec<String>]) -> (usize, usize) {
    let mut a: Vec<&Vec<String>> = a.iter().collect();
    let mut b: Vec<&Vec<String>> = b.iter().collect();
    crate::sort::sort(&mut a);
    crate::sort::sort(&mut b);
    let (mut i, mut j, mut only_a, mut only_b) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                only_a += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b += 1;
                j += 1;
            }
        }
    }
    (only_a + a.len() - i, only_b + b.len() - j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<Column> {
        names
            .iter()
            .map(|n| Column {
                name: (*n).to_owned(),
                data_type: String::new(),
            })
            .collect()
    }

    fn run(
        reference: (&[&str], Vec<Vec<Cell>>),
        learner: (&[&str], Vec<Vec<Cell>>),
        rules: &Rules,
    ) -> Result<(), Mismatch> {
        let (rc, lc) = (cols(reference.0), cols(learner.0));
        compare(
            Table {
                columns: &rc,
                rows: &reference.1,
            },
            Table {
                columns: &lc,
                rows: &learner.1,
            },
            rules,
        )
    }

    use Cell::{Decimal, Float, Int, Null, Text};

    fn t(s: &str) -> Cell {
        Text(s.to_owned())
    }

    #[test]
    fn another_alias_another_order_and_another_scale_agree() {
        let rules = Rules::default();
        assert_eq!(
            run(
                (
                    &["name", "avg"],
                    vec![vec![t("a"), Float(85.0)], vec![t("b"), Null]]
                ),
                (
                    &["이름", "평균"],
                    vec![vec![t("b"), Null], vec![t("a"), Decimal("85.0000".into())]]
                ),
                &rules
            ),
            Ok(())
        );
        assert_eq!(
            run(
                (&["x"], vec![vec![Float(0.1 + 0.2)]]),
                (&["x"], vec![vec![Float(0.3)]]),
                &rules
            ),
            Ok(())
        );
        // MySQL's 250 / 3 and 250 / 3.0.
        assert_eq!(
            run(
                (&["x"], vec![vec![Decimal("83.3333".into())]]),
                (&["x"], vec![vec![Decimal("83.33333".into())]]),
                &rules
            ),
            Ok(())
        );
        // Rounded to two decimals is another value; whole numbers stay exact.
        assert!(run(
            (&["x"], vec![vec![Float(83.3333)]]),
            (&["x"], vec![vec![Float(83.33)]]),
            &rules
        )
        .is_err());
        assert!(run(
            (&["x"], vec![vec![Int(1_234_567)]]),
            (&["x"], vec![vec![Float(1_234_568.0)]]),
            &rules
        )
        .is_err());
    }

    #[test]
    fn duplicates_count() {
        let rules = Rules::default();
        assert_eq!(
            run(
                (&["x"], vec![vec![Int(1)], vec![Int(1)]]),
                (&["x"], vec![vec![Int(1)]]),
                &rules
            ),
            Err(Mismatch::MissingRows { missing: 1 })
        );
        assert_eq!(
            run(
                (&["x"], vec![vec![Int(1)]]),
                (&["x"], vec![vec![Int(1)], vec![Int(1)]]),
                &rules
            ),
            Err(Mismatch::ExtraRows { extra: 1 })
        );
        assert_eq!(
            run(
                (&["x"], vec![vec![Int(1)]]),
                (&["x"], vec![vec![Int(2)]]),
                &rules
            ),
            Err(Mismatch::WrongValues {
                missing: 1,
                extra: 1
            })
        );
        assert_eq!(
            run(
                (&["x"], vec![vec![Null]]),
                (&["x"], vec![vec![Int(0)]]),
                &rules
            ),
            Err(Mismatch::WrongValues {
                missing: 1,
                extra: 1
            })
        );
    }

    #[test]
    fn columns_by_position_or_by_name() {
        let position = Rules::default();
        assert!(matches!(
            run((&["a", "b"], vec![]), (&["a"], vec![]), &position),
            Err(Mismatch::WrongColumns { .. })
        ));
        let names = Rules {
            columns: ColumnRule::Names,
            ..Rules::default()
        };
        assert_eq!(
            run(
                (&["name", "kor"], vec![vec![t("a"), Int(1)]]),
                (&["KOR", "Name"], vec![vec![Int(1), t("a")]]),
                &names
            ),
            Ok(())
        );
        assert!(matches!(
            run((&["name"], vec![]), (&["이름"], vec![]), &names),
            Err(Mismatch::WrongColumns { .. })
        ));
    }

    #[test]
    fn order_counts_only_on_the_sort_keys() {
        let rules = Rules {
            order: OrderRule::Reference,
            sort_keys: Some(vec![1]),
            ..Rules::default()
        };
        let reference = vec![
            vec![t("a"), Int(90)],
            vec![t("b"), Int(90)],
            vec![t("c"), Int(80)],
        ];
        // Tied on the key: any order.
        let tied = vec![
            vec![t("b"), Int(90)],
            vec![t("a"), Int(90)],
            vec![t("c"), Int(80)],
        ];
        assert_eq!(
            run(
                (&["n", "k"], reference.clone()),
                (&["n", "k"], tied),
                &rules
            ),
            Ok(())
        );
        let wrong = vec![
            vec![t("c"), Int(80)],
            vec![t("a"), Int(90)],
            vec![t("b"), Int(90)],
        ];
        assert_eq!(
            run(
                (&["n", "k"], reference.clone()),
                (&["n", "k"], wrong.clone()),
                &rules
            ),
            Err(Mismatch::WrongOrder { row: 0 })
        );
        // The same rows when order does not count.
        assert_eq!(
            run(
                (&["n", "k"], reference),
                (&["n", "k"], wrong),
                &Rules::default()
            ),
            Ok(())
        );
    }
}
