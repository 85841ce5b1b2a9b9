//! Window functions (`ROW_NUMBER() OVER (PARTITION BY … ORDER BY …)` and friends), computed
//! by the layer over rows GlueSQL produced, following MySQL 8's definitions.
//!
//! The query is split in two (see [`crate::windowed`]): GlueSQL computes every row with the
//! partition keys, sort keys and arguments as extra columns; this module computes each window
//! call's value per row; GlueSQL then evaluates the outer select over those rows.

use crate::error::SqlError;
use gluesql_core::data::Value;
use sqlnori_model::Localized;
use sqlparser::ast::{WindowFrame, WindowFrameBound, WindowFrameUnits};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One window call, with the positions of its inputs in the rows of the inner query.
#[derive(Debug, Clone)]
pub struct WindowCall {
    pub function: String,
    pub partition: Vec<usize>,
    /// Column and ascending flag of each `ORDER BY` key.
    pub order: Vec<(usize, bool)>,
    pub args: Vec<usize>,
    /// `COUNT(*)`.
    pub star: bool,
    pub frame: Option<WindowFrame>,
    /// Literal integer arguments (`NTILE(4)`, `LAG(x, 2)`), by argument position.
    pub literal_args: Vec<Option<i64>>,
}

/// Orders values as MySQL sorts them: NULL first, numbers by value across types.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        _ => match (as_f64(a), as_f64(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => a.evaluate_cmp(b).unwrap_or(Ordering::Equal),
        },
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        // MySQL's TRUE and FALSE are 1 and 0 (`SUM(kor >= 80) OVER …`).
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::I8(n) => Some(f64::from(*n)),
        Value::I16(n) => Some(f64::from(*n)),
        Value::I32(n) => Some(f64::from(*n)),
        Value::I64(n) => Some(*n as f64),
        Value::I128(n) => Some(*n as f64),
        Value::U8(n) => Some(f64::from(*n)),
        Value::U16(n) => Some(f64::from(*n)),
        Value::U32(n) => Some(f64::from(*n)),
        Value::U64(n) => Some(*n as f64),
        Value::U128(n) => Some(*n as f64),
        Value::F32(n) => Some(f64::from(*n)),
        Value::F64(n) => Some(*n),
        Value::Decimal(d) => d.to_string().parse().ok(),
        _ => None,
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::I8(n) => Some(i64::from(*n)),
        Value::I16(n) => Some(i64::from(*n)),
        Value::I32(n) => Some(i64::from(*n)),
        Value::I64(n) => Some(*n),
        Value::U8(n) => Some(i64::from(*n)),
        Value::U16(n) => Some(i64::from(*n)),
        Value::U32(n) => Some(i64::from(*n)),
        Value::U64(n) => i64::try_from(*n).ok(),
        _ => None,
    }
}

/// A key under which equal values (NULL included) fall together.
pub fn group_key(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| match (as_f64(v), v) {
            (Some(x), _) => format!("n{x}"),
            // Text under MySQL's default collation: 'Kim' and 'KIM' are one key.
            (None, Value::Str(s)) => format!("s{:?}", gluesql_core::data::collation::fold(s)),
            (None, _) => format!("{v:?}"),
        })
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Computes one window call's value for every row.
pub fn evaluate(call: &WindowCall, rows: &[Vec<Value>]) -> Result<Vec<Value>, SqlError> {
    let mut out = vec![Value::Null; rows.len()];
    let mut partitions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let key: Vec<&Value> = call.partition.iter().map(|&c| &row[c]).collect();
        partitions.entry(group_key(&key)).or_default().push(i);
    }
    for members in partitions.values_mut() {
        sqlnori_model::sort::sort_by(members, |&a, &b| order_cmp(call, &rows[a], &rows[b]));
        evaluate_partition(call, rows, members, &mut out)?;
    }
    Ok(out)
}

fn order_cmp(call: &WindowCall, a: &[Value], b: &[Value]) -> Ordering {
    for &(c, asc) in &call.order {
        let o = compare(&a[c], &b[c]);
        let o = if asc { o } else { o.reverse() };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// `[first, last]` positions (in `members`) of each row's peers: rows equal in the ORDER BY.
fn peer_bounds(call: &WindowCall, rows: &[Vec<Value>], members: &[usize]) -> Vec<(usize, usize)> {
    let mut bounds = vec![(0, 0); members.len()];
    let mut start = 0;
    while start < members.len() {
        let mut end = start;
        while end + 1 < members.len()
            && order_cmp(call, &rows[members[start]], &rows[members[end + 1]]) == Ordering::Equal
        {
            end += 1;
        }
        for b in bounds.iter_mut().take(end + 1).skip(start) {
            *b = (start, end);
        }
        start = end + 1;
    }
    bounds
}

fn evaluate_partition(
    call: &WindowCall,
    rows: &[Vec<Value>],
    members: &[usize],
    out: &mut [Value],
) -> Result<(), SqlError> {
    let n = members.len();
    let peers = peer_bounds(call, rows, members);
    let arg = |pos: usize, k: usize| -> Value {
        call.args
            .get(k)
            .map_or(Value::Null, |&c| rows[members[pos]][c].clone())
    };
    for pos in 0..n {
        let (first_peer, last_peer) = peers[pos];
        let value = match call.function.as_str() {
            "ROW_NUMBER" => Value::I64(pos as i64 + 1),
            "RANK" => Value::I64(first_peer as i64 + 1),
            "DENSE_RANK" => {
                let mut groups = 0;
                let mut p = 0;
                while p <= pos {
                    groups += 1;
                    p = peers[p].1 + 1;
                }
                Value::I64(groups)
            }
            "PERCENT_RANK" => Value::F64(if n > 1 {
                first_peer as f64 / (n - 1) as f64
            } else {
                0.0
            }),
            "CUME_DIST" => Value::F64((last_peer + 1) as f64 / n as f64),
            "NTILE" => {
                let buckets = call
                    .literal_args
                    .first()
                    .copied()
                    .flatten()
                    .filter(|b| *b > 0)
                    .ok_or_else(|| bad_argument("NTILE", "NTILE(4)"))?
                    as usize;
                let size = n / buckets;
                let extra = n % buckets;
                // The first `extra` buckets hold one more row.
                let bucket = if pos < extra * (size + 1) {
                    pos / (size + 1)
                } else {
                    extra + (pos - extra * (size + 1)) / size.max(1)
                };
                Value::I64(bucket as i64 + 1)
            }
            "LAG" | "LEAD" => {
                let offset = call.literal_args.get(1).copied().flatten().unwrap_or(1);
                let target = if call.function == "LAG" {
                    pos as i64 - offset
                } else {
                    pos as i64 + offset
                };
                if (0..n as i64).contains(&target) {
                    arg(target as usize, 0)
                } else {
                    arg(pos, 2)
                }
            }
            _ => {
                let (from, to) = frame_range(call, pos, n, (first_peer, last_peer))?;
                let values: Vec<Value> = (from..to).map(|p| arg(p, 0)).collect();
                aggregate(call, &values, to - from)?
            }
        };
        out[members[pos]] = value;
    }
    Ok(())
}

/// The rows `[from, to)` of the frame of the row at `pos`.
fn frame_range(
    call: &WindowCall,
    pos: usize,
    n: usize,
    (_, last_peer): (usize, usize),
) -> Result<(usize, usize), SqlError> {
    let Some(frame) = &call.frame else {
        // MySQL's default: the whole partition without ORDER BY, else up to the last peer.
        return Ok(if call.order.is_empty() {
            (0, n)
        } else {
            (0, last_peer + 1)
        });
    };
    let offset = |e: &Option<Box<sqlparser::ast::Expr>>| -> Result<Option<usize>, SqlError> {
        match e {
            None => Ok(None),
            Some(e) => crate::dialect::build::literal_i64(e)
                .and_then(|v| usize::try_from(v).ok())
                .map(Some)
                .ok_or_else(|| bad_argument("ROWS", "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW")),
        }
    };
    let peers_end = last_peer + 1;
    let bound = |b: &WindowFrameBound, is_end: bool| -> Result<usize, SqlError> {
        Ok(match b {
            WindowFrameBound::CurrentRow => match (frame.units, is_end) {
                (WindowFrameUnits::Rows, true) => pos + 1,
                (WindowFrameUnits::Rows, false) => pos,
                (_, true) => peers_end,
                (_, false) => pos.min(peers_end),
            },
            WindowFrameBound::Preceding(e) => match offset(e)? {
                None => 0,
                Some(k) if frame.units == WindowFrameUnits::Rows => {
                    pos.saturating_sub(k) + usize::from(is_end)
                }
                Some(_) => return Err(range_offsets()),
            },
            WindowFrameBound::Following(e) => match offset(e)? {
                None => n,
                Some(k) if frame.units == WindowFrameUnits::Rows => {
                    (pos + k + usize::from(is_end)).min(n)
                }
                Some(_) => return Err(range_offsets()),
            },
        })
    };
    let from = bound(&frame.start_bound, false)?;
    let to = match &frame.end_bound {
        Some(b) => bound(b, true)?,
        None => bound(&WindowFrameBound::CurrentRow, true)?,
    };
    Ok((from.min(n), to.max(from).min(n)))
}

fn range_offsets() -> SqlError {
    SqlError::Unsupported {
        feature: Localized::new("거리를 준 RANGE 창틀", "RANGE frames with an offset"),
        hint: Some(Localized::new(
            "ROWS BETWEEN n PRECEDING AND CURRENT ROW 형태를 쓰세요",
            "use ROWS BETWEEN n PRECEDING AND CURRENT ROW",
        )),
    }
}

fn bad_argument(function: &str, form: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("{function}의 인자는 양의 정수여야 합니다. 예: {form}"),
        format!("{function} needs a positive whole number, as in {form}"),
    ))
}

/// An aggregate over the values of a frame (`rows` counts the frame's rows, for `COUNT(*)`).
fn aggregate(call: &WindowCall, values: &[Value], rows: usize) -> Result<Value, SqlError> {
    let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    Ok(match call.function.as_str() {
        "COUNT" if call.star => Value::I64(rows as i64),
        "COUNT" => Value::I64(present.len() as i64),
        "SUM" | "AVG" => {
            if present.is_empty() {
                return Ok(Value::Null);
            }
            let ints: Option<Vec<i64>> = present.iter().map(|v| as_i64(v)).collect();
            match (call.function.as_str(), ints) {
                ("SUM", Some(ints)) => Value::I64(ints.iter().fold(0i64, |a, b| a.saturating_add(*b))),
                ("AVG", Some(ints)) => {
                    let sum: f64 = ints.iter().map(|&i| i as f64).sum();
                    // MySQL's AVG of integers has four decimals.
                    Value::F64((sum / ints.len() as f64 * 10_000.0).round() / 10_000.0)
                }
                (f, None) => {
                    let nums: Vec<f64> = present.iter().filter_map(|v| as_f64(v)).collect();
                    // (Not `sum()`: a float sum starts at -0.0, which showed as `-0`.)
                    let sum = nums.iter().fold(0.0, |a, b| a + b);
                    if f == "SUM" {
                        Value::F64(sum)
                    } else {
                        Value::F64(sum / nums.len().max(1) as f64)
                    }
                }
                _ => Value::Null,
            }
        }
        "MIN" => present
            .iter()
            .min_by(|a, b| compare(a, b))
            .map_or(Value::Null, |v| (*v).clone()),
        "MAX" => present
            .iter()
            .max_by(|a, b| compare(a, b))
            .map_or(Value::Null, |v| (*v).clone()),
        "FIRST_VALUE" => values.first().cloned().unwrap_or(Value::Null),
        "LAST_VALUE" => values.last().cloned().unwrap_or(Value::Null),
        "NTH_VALUE" => {
            let k = call
                .literal_args
                .get(1)
                .copied()
                .flatten()
                .filter(|k| *k > 0)
                .ok_or_else(|| bad_argument("NTH_VALUE", "NTH_VALUE(x, 2)"))?;
            values.get(k as usize - 1).cloned().unwrap_or(Value::Null)
        }
        other => {
            return Err(SqlError::Unsupported {
                feature: Localized::new(
                    format!("윈도 함수 {other}"),
                    format!("window function {other}"),
                ),
                hint: Some(Localized::new(
                    "ROW_NUMBER, RANK, DENSE_RANK, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, SUM, AVG, COUNT, MIN, MAX를 쓸 수 있습니다",
                    "available: ROW_NUMBER, RANK, DENSE_RANK, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, SUM, AVG, COUNT, MIN, MAX",
                )),
            })
        }
    })
}
