//! Variant databases: the lesson's database changed the ways that tell a right answer from a
//! query that is right only on the data on screen — NULLs in nullable columns, duplicate rows
//! with fresh keys, ties at the maxima and minima, values at and beside each constant the
//! reference compares with, a column's values moved to other rows (so hard-coded ids and names
//! fail), shifted numbers, half the rows or none (parents without children, empty tables), and
//! the rows in reverse order. Each is made on the model's snapshot (plain data), is
//! deterministic given the lesson's id, and is kept only if it respects the schema (NOT NULL,
//! keys, ENUM).

use super::facts::{Constant, Facts};
use sqlnori_model::rng::SeededRng;
use sqlnori_model::snapshot::{
    ColumnSnapshot, KeyKind, Snapshot, StoredType, StoredValue, TableSnapshot,
};
use sqlnori_model::Localized;
use std::collections::BTreeSet;

/// At most this many variants per lesson.
pub const MAX_VARIANTS: usize = 48;

/// One variant: what was changed, and the database.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: Localized,
    pub snapshot: Snapshot,
}

/// A seed from the lesson's id (FNV-1a), so variants are the same on every run.
pub fn seed_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn is_number(t: StoredType) -> bool {
    matches!(
        t,
        StoredType::Int8
            | StoredType::Int16
            | StoredType::Int32
            | StoredType::Int
            | StoredType::Int128
            | StoredType::Uint8
            | StoredType::Uint16
            | StoredType::Uint32
            | StoredType::Uint64
            | StoredType::Float32
            | StoredType::Float
            | StoredType::Decimal
    )
}

fn number(v: &StoredValue) -> Option<f64> {
    match v {
        #[allow(clippy::cast_precision_loss)]
        StoredValue::Int(i) => Some(*i as f64),
        StoredValue::Float(f) => Some(*f),
        StoredValue::Decimal(s) => s.parse().ok(),
        _ => None,
    }
}

/// `n` as a value of a column of type `t`.
fn number_value(t: StoredType, n: f64) -> StoredValue {
    match t {
        StoredType::Float | StoredType::Float32 => StoredValue::Float(n),
        StoredType::Decimal => StoredValue::Decimal(format!("{n}")),
        #[allow(clippy::cast_possible_truncation)]
        _ => StoredValue::Int(n.round() as i64),
    }
}

fn table_part(storage: &str) -> String {
    storage
        .rsplit_once('.')
        .map_or(storage, |(_, t)| t)
        .to_lowercase()
}

/// The variants of `base` for a reference with `facts`.
pub fn variants(base: &Snapshot, facts: &Facts, seed: u64) -> Vec<Variant> {
    let mut rng = SeededRng::new(seed);
    let mut out: Vec<Variant> = vec![];
    let targets: Vec<usize> = base
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.columns.is_some() && facts.tables.contains(&table_part(&t.name)))
        .map(|(i, _)| i)
        .collect();
    let push = |out: &mut Vec<Variant>, ko: String, en: String, snapshot: Snapshot| {
        if out.len() < MAX_VARIANTS && respects_schema(&snapshot) {
            out.push(Variant {
                name: Localized::new(ko, en),
                snapshot,
            });
        }
    };
    for &ti in &targets {
        let table = &base.tables[ti];
        let shown = table_part(&table.name);
        let columns = table.columns.clone().unwrap_or_default();
        let read = |c: &ColumnSnapshot| facts.columns.contains(&c.name.to_lowercase());
        // Values at and beside the constants the reference compares this table's columns with.
        for (ci, col) in columns.iter().enumerate() {
            let constants: Vec<&Constant> = facts
                .constants
                .iter()
                .filter(|(c, _)| *c == col.name.to_lowercase())
                .map(|(_, v)| v)
                .collect();
            for constant in constants {
                let values: Vec<StoredValue> = match constant {
                    Constant::Number(n) if is_number(col.data_type) => [n - 1.0, *n, n + 1.0]
                        .iter()
                        .map(|v| number_value(col.data_type, *v))
                        .collect(),
                    Constant::Text(s) if col.data_type == StoredType::Text => {
                        vec![
                            StoredValue::Text(s.clone()),
                            StoredValue::Text(format!("{s}_")),
                        ]
                    }
                    _ => continue,
                };
                let mut snap = base.clone();
                let rows = &mut snap.tables[ti].rows;
                let n = rows.len();
                if n == 0 {
                    continue;
                }
                let start = usize::try_from(rng.range(0, n as i64 - 1)).unwrap_or(0);
                for (k, v) in values.iter().enumerate() {
                    rows[(start + k * 2) % n][ci] = v.clone();
                }
                let shown_c = describe(constant);
                push(
                    &mut out,
                    format!("{shown}.{}에 {shown_c} 부근의 값 넣기", col.name),
                    format!("values at and beside {shown_c} in {shown}.{}", col.name),
                    snap,
                );
            }
        }
        // NULL in each nullable column the reference reads (and in every nullable column).
        for (ci, col) in columns.iter().enumerate() {
            if !col.nullable || col.key.is_some() {
                continue;
            }
            let offset = usize::try_from(rng.range(0, 2)).unwrap_or(0);
            let mut snap = base.clone();
            for (ri, row) in snap.tables[ti].rows.iter_mut().enumerate() {
                if (ri + offset) % 3 == 0 {
                    row[ci] = StoredValue::Null;
                }
            }
            let (ko, en) = if read(col) {
                ("일부 행", "some rows")
            } else {
                ("일부 행(읽지 않는 열)", "some rows (a column not read)")
            };
            push(
                &mut out,
                format!("{shown}.{}에 NULL 넣기 ({ko})", col.name),
                format!("NULL in {shown}.{} ({en})", col.name),
                snap,
            );
        }
        // Ties at the maximum and the minimum of each column read.
        for (ci, col) in columns.iter().enumerate() {
            if !read(col) || col.key.is_some() || table.rows.len() < 3 {
                continue;
            }
            for highest in [true, false] {
                let mut snap = base.clone();
                let rows = &mut snap.tables[ti].rows;
                let order = ordered_rows(rows, ci);
                let (Some(&top), Some(&other)) = (
                    if highest { order.last() } else { order.first() },
                    order.get(order.len() / 2),
                ) else {
                    continue;
                };
                let value = rows[top][ci].clone();
                rows[other][ci] = value;
                let (ko, en) = if highest {
                    ("최댓값", "maximum")
                } else {
                    ("최솟값", "minimum")
                };
                push(
                    &mut out,
                    format!("{shown}.{}의 {ko}이 둘 (동점)", col.name),
                    format!("a tie at the {en} of {shown}.{}", col.name),
                    snap,
                );
            }
        }
        // Each column read, moved one row down: ids and names no longer go with the same
        // values, so hard-coded lists fail.
        for (ci, col) in columns.iter().enumerate() {
            if !read(col) || col.key == Some(KeyKind::Primary) || table.rows.len() < 2 {
                continue;
            }
            let mut snap = base.clone();
            let rows = &mut snap.tables[ti].rows;
            let first = rows[0][ci].clone();
            let n = rows.len();
            for ri in 0..n - 1 {
                rows[ri][ci] = rows[ri + 1][ci].clone();
            }
            rows[n - 1][ci] = first;
            push(
                &mut out,
                format!("{shown}.{} 값을 다른 행으로 옮기기", col.name),
                format!("the values of {shown}.{} moved to other rows", col.name),
                snap,
            );
        }
        // Every row with the same value in one column read: a value compared with an
        // aggregate of the column (`kor > (SELECT AVG(kor) …)`) then sits on the boundary.
        for (ci, col) in columns.iter().enumerate() {
            if !read(col) || col.key.is_some() || table.rows.len() < 2 {
                continue;
            }
            let order = ordered_rows(&table.rows, ci);
            let Some(&middle) = order.get(order.len() / 2) else {
                continue;
            };
            let value = table.rows[middle][ci].clone();
            let mut snap = base.clone();
            for row in &mut snap.tables[ti].rows {
                row[ci] = value.clone();
            }
            push(
                &mut out,
                format!("{shown}.{}의 값이 모두 같음", col.name),
                format!("one value in every row of {shown}.{}", col.name),
                snap,
            );
        }
        // Numbers shifted (other values, so literals copied from the screen fail).
        {
            let mut snap = base.clone();
            let shift = f64::from(u8::try_from(rng.range(2, 5)).unwrap_or(3));
            for (ci, col) in columns.iter().enumerate() {
                if !is_number(col.data_type) || col.key.is_some() || !read(col) {
                    continue;
                }
                for row in &mut snap.tables[ti].rows {
                    if let Some(n) = number(&row[ci]) {
                        row[ci] = number_value(col.data_type, n + shift);
                    }
                }
            }
            push(
                &mut out,
                format!("{shown}의 숫자 값 바꾸기"),
                format!("other numbers in {shown}"),
                snap,
            );
        }
        // Duplicate rows with fresh keys.
        if let Some(snap) = duplicated(base, ti) {
            push(
                &mut out,
                format!("{shown}의 행을 (새 키로) 한 번 더 넣기"),
                format!("{shown}'s rows again, with fresh keys"),
                snap,
            );
        }
        // Half the rows (parents without children, children without parents), then none.
        if table.rows.len() >= 2 {
            for keep_even in [true, false] {
                let mut snap = base.clone();
                let mut i = 0;
                snap.tables[ti].rows.retain(|_| {
                    i += 1;
                    (i % 2 == 0) == keep_even
                });
                push(
                    &mut out,
                    format!("{shown}의 행 절반 지우기"),
                    format!("half of {shown}'s rows deleted"),
                    snap,
                );
            }
        }
        let mut snap = base.clone();
        snap.tables[ti].rows.clear();
        push(
            &mut out,
            format!("{shown} 비우기"),
            format!("{shown} empty"),
            snap,
        );
    }
    if !targets.is_empty() {
        let mut snap = base.clone();
        for &ti in &targets {
            snap.tables[ti].rows.reverse();
        }
        push(
            &mut out,
            "행을 거꾸로 넣은 순서".to_owned(),
            "the rows inserted in reverse order".to_owned(),
            snap,
        );
    }
    out
}

fn describe(c: &Constant) -> String {
    match c {
        Constant::Number(n) => sqlnori_model::result::format_float(*n),
        Constant::Text(s) => format!("'{s}'"),
    }
}

/// Row indices sorted by column `ci` (NULLs first), numbers by value.
fn ordered_rows(rows: &[Vec<StoredValue>], ci: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len())
        .filter(|&r| rows[r][ci] != StoredValue::Null)
        .collect();
    sqlnori_model::sort::sort_by(&mut order, |&a, &b| {
        match (number(&rows[a][ci]), number(&rows[b][ci])) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => rows[a][ci]
                .to_json()
                .to_string()
                .cmp(&rows[b][ci].to_json().to_string()),
        }
    });
    order
}

/// The table's rows twice, the copies with fresh values in key columns (`None` when a key
/// column cannot be given one).
fn duplicated(base: &Snapshot, ti: usize) -> Option<Snapshot> {
    let mut snap = base.clone();
    let table: &mut TableSnapshot = &mut snap.tables[ti];
    let columns = table.columns.clone()?;
    let mut copies = table.rows.clone();
    for (ci, col) in columns.iter().enumerate() {
        if col.key.is_none() {
            continue;
        }
        if is_number(col.data_type) {
            let max = table
                .rows
                .iter()
                .filter_map(|r| number(&r[ci]))
                .fold(0.0_f64, f64::max);
            for (k, row) in copies.iter_mut().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let fresh = max + 1.0 + k as f64;
                row[ci] = number_value(col.data_type, fresh);
            }
            if let Some(ai) = snap.state.auto_increment.get_mut(&table.name) {
                if ai.column == col.name {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                    let next = max as i64 + 1 + copies.len() as i64;
                    ai.next = ai.next.max(next);
                }
            }
        } else if col.data_type == StoredType::Text {
            for row in &mut copies {
                if let StoredValue::Text(s) = &row[ci] {
                    row[ci] = StoredValue::Text(format!("{s} (2)"));
                }
            }
        } else {
            return None;
        }
    }
    table.rows.extend(copies);
    Some(snap)
}

/// NOT NULL, PRIMARY KEY/UNIQUE and ENUM hold in every table.
pub fn respects_schema(snap: &Snapshot) -> bool {
    snap.tables.iter().all(|t| {
        let Some(columns) = &t.columns else {
            return true;
        };
        let declared = snap.state.declared_types.get(&t.name);
        columns.iter().enumerate().all(|(ci, col)| {
            let values = t
                .rows
                .iter()
                .map(|r| r.get(ci).unwrap_or(&StoredValue::Null));
            if !col.nullable && values.clone().any(|v| *v == StoredValue::Null) {
                return false;
            }
            if col.key.is_some() {
                let mut seen = BTreeSet::new();
                let unique = values
                    .clone()
                    .filter(|v| **v != StoredValue::Null)
                    .all(|v| seen.insert(v.to_json().to_string()));
                if !unique {
                    return false;
                }
            }
            if let Some(allowed) = declared
                .and_then(|d| d.get(ci))
                .and_then(|d| enum_values(d))
            {
                return values.clone().all(|v| match v {
                    StoredValue::Text(s) => allowed.iter().any(|a| a.eq_ignore_ascii_case(s)),
                    _ => *v == StoredValue::Null,
                });
            }
            true
        })
    })
}

/// The members of a declared `ENUM('a', 'b')` type.
pub(crate) fn enum_values(declared: &str) -> Option<Vec<String>> {
    let inner = declared
        .trim()
        .strip_prefix("ENUM(")
        .or_else(|| declared.trim().strip_prefix("enum("))?
        .strip_suffix(')')?;
    let mut out = vec![];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    value.push('\'');
                    continue;
                }
                break;
            }
            value.push(c);
        }
        out.push(value);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_members_are_read() {
        assert_eq!(
            enum_values("ENUM('a','it''s', 'b c')"),
            Some(vec!["a".into(), "it's".into(), "b c".into()])
        );
        assert_eq!(enum_values("VARCHAR(10)"), None);
    }

    /// Every generator makes its variant of the course's database, each respects the schema,
    /// and a table with fresh keys still takes new rows (its AUTO_INCREMENT moved past them).
    #[test]
    fn every_generator_makes_a_variant_that_respects_the_schema() {
        use crate::{example_engine, Engine, EngineOptions, FixedClock};
        let clock = FixedClock { epoch_ms: 0 };
        let base = example_engine(&EngineOptions::default(), &clock).expect("course");
        let facts = super::super::facts::facts(
            "SELECT name, kor FROM students WHERE kor >= 85 AND math IS NOT NULL",
        );
        let all = variants(&base.snapshot(), &facts, seed_of("x"));
        let names: Vec<&str> = all.iter().map(|v| v.name.en.as_str()).collect();
        for expected in [
            "values at and beside 85 in students.kor",
            "NULL in students.math",
            "a tie at the maximum of students.kor",
            "a tie at the minimum of students.kor",
            "the values of students.kor moved to other rows",
            "one value in every row of students.kor",
            "other numbers in students",
            "students's rows again, with fresh keys",
            "half of students's rows deleted",
            "students empty",
            "the rows inserted in reverse order",
        ] {
            assert!(
                names.iter().any(|n| n.starts_with(expected)),
                "{expected} in {names:?}"
            );
        }
        // NOT NULL columns (name, age) and the key never get NULL or a repeat.
        assert!(!names
            .iter()
            .any(|n| n.contains("students.name (") || n.contains("students.id")));
        assert!(all.iter().all(|v| respects_schema(&v.snapshot)));
        let doubled = all
            .iter()
            .find(|v| v.name.en.contains("fresh keys"))
            .expect("duplicates");
        let mut engine = Engine::from_snapshot(&doubled.snapshot).expect("loads");
        let results = engine.run_script(
            "INSERT INTO students (name, age) VALUES ('새학생', 20); SELECT MAX(id) FROM students",
            crate::RunOptions::default(),
            &clock,
        );
        assert!(
            results.iter().all(sqlnori_model::StatementResult::is_ok),
            "{results:?}"
        );
    }

    #[test]
    fn a_variant_breaking_the_schema_is_refused() {
        use crate::{example_engine, EngineOptions, FixedClock};
        let base = example_engine(&EngineOptions::default(), &FixedClock { epoch_ms: 0 })
            .expect("course")
            .snapshot();
        let students = base
            .tables
            .iter()
            .position(|t| t.name.ends_with(".students"))
            .expect("students");
        let mut null_name = base.clone();
        null_name.tables[students].rows[0][1] = StoredValue::Null;
        assert!(!respects_schema(&null_name));
        let mut repeated_key = base.clone();
        let first = repeated_key.tables[students].rows[0][0].clone();
        repeated_key.tables[students].rows[1][0] = first;
        assert!(!respects_schema(&repeated_key));
        assert!(respects_schema(&base));
    }

    #[test]
    fn seeds_are_stable() {
        assert_eq!(seed_of("where-null"), seed_of("where-null"));
        assert_ne!(seed_of("where-null"), seed_of("where-nulls"));
    }
}
