//! MySQL built-ins that no rewrite into GlueSQL's own functions can express (CONV,
//! SUBSTRING_INDEX, SOUNDEX, STR_TO_DATE, WEEK, JSON, regular expressions …), evaluated here in
//! Rust through the patched GlueSQL's host-function hook (`set_host_functions`, see
//! `patches/`). GlueSQL hands over a call it does not know with its arguments already
//! evaluated; [`call`] answers `Some` for the functions below and `None` for anything else.
//!
//! Each follows MySQL 8's answer (MariaDB 10.11's where they agree; the conformance case
//! `builtins.sql` was recorded there). Text counts characters, so Hangul is one each. A NULL
//! argument gives NULL unless MySQL says otherwise.

use gluesql_core::chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use gluesql_core::data::Value;
use sqlnori_model::diagnostics::Warning;

/// The answer of a host function: a value, or why there is none (said as an error).
type Answer = Result<Value, String>;

/// The seconds east of UTC that `UNIX_TIMESTAMP` and `FROM_UNIXTIME` read local times in: the
/// session's time zone (Seoul), as `NOW()` reads it.
const SESSION_OFFSET_SECONDS: i64 = 9 * 3600;

/// Evaluates `name(args)` when it is one of the functions here.
pub fn call(name: &str, args: &[Value]) -> Option<Answer> {
    let n = args.len();
    let answer = match (name, n) {
        // Numbers.
        ("CONV", 3) => nulls(args).unwrap_or_else(|| conv(args)),
        ("BIN", 1) => nulls(args).unwrap_or_else(|| conv_to(&args[0], 2)),
        ("OCT", 1) => nulls(args).unwrap_or_else(|| conv_to(&args[0], 8)),
        ("CRC32", 1) => {
            nulls(args).unwrap_or_else(|| Ok(int(i64::from(crc32(text(&args[0]).as_bytes())))))
        }
        ("BIT_COUNT", 1) => {
            nulls(args).unwrap_or_else(|| integer(&args[0]).map(|i| int(i64::from(i.count_ones()))))
        }
        ("MYSQL_FORMAT", 2 | 3) => {
            nulls(&args[..2]).unwrap_or_else(|| format_number(&args[0], &args[1]))
        }
        // Text.
        ("SUBSTRING_INDEX", 3) => nulls(args).unwrap_or_else(|| substring_index(args)),
        ("ORD", 1) => nulls(args).unwrap_or_else(|| Ok(ord(&text(&args[0])))),
        ("FIND_IN_SET", 2) => {
            nulls(args).unwrap_or_else(|| Ok(find_in_set(&text(&args[0]), &text(&args[1]))))
        }
        ("INSERT", 4) => nulls(args).unwrap_or_else(|| insert(args)),
        ("UNHEX", 1) => nulls(args).unwrap_or_else(|| Ok(unhex(&text(&args[0])))),
        ("TO_BASE64", 1) => {
            nulls(args).unwrap_or_else(|| Ok(Value::Str(to_base64(text(&args[0]).as_bytes()))))
        }
        ("FROM_BASE64", 1) => nulls(args).unwrap_or_else(|| Ok(from_base64(&text(&args[0])))),
        ("QUOTE", 1) => Ok(quote(&args[0])),
        ("SOUNDEX", 1) => nulls(args).unwrap_or_else(|| Ok(Value::Str(soundex(&text(&args[0]))))),
        ("EXPORT_SET", 3..=5) => nulls(args).unwrap_or_else(|| export_set(args)),
        ("MAKE_SET", 2..) => nulls(&args[..1]).unwrap_or_else(|| make_set(args)),
        ("SHA1" | "SHA", 1) => {
            nulls(args).unwrap_or_else(|| Ok(Value::Str(sha1_hex(text(&args[0]).as_bytes()))))
        }
        ("SHA2", 2) => nulls(args).unwrap_or_else(|| sha2_hex(args)),
        // Dates and times, from dates, datetimes or text as MySQL reads it.
        ("TIME", 1) => {
            nulls(args).unwrap_or_else(|| Ok(time_of(&args[0]).map_or(Value::Null, Value::Time)))
        }
        ("HOUR", 1) => nulls(args).unwrap_or_else(|| Ok(time_part(&args[0], |t| t.hour()))),
        ("MINUTE", 1) => nulls(args).unwrap_or_else(|| Ok(time_part(&args[0], |t| t.minute()))),
        ("SECOND", 1) => nulls(args).unwrap_or_else(|| Ok(time_part(&args[0], |t| t.second()))),
        ("TIMESTAMPDIFF", 3) => nulls(args).unwrap_or_else(|| timestampdiff(args)),
        ("TIMEDIFF", 2) => nulls(args).unwrap_or_else(|| Ok(timediff(&args[0], &args[1]))),
        ("STR_TO_DATE", 2) => nulls(args).unwrap_or_else(|| {
            let s = text(&args[0]);
            let date = str_to_date(&s, &text(&args[1]));
            if date == Value::Null {
                warn(&Warning::bad_datetime(&s, "str_to_date"));
            }
            Ok(date)
        }),
        ("MAKEDATE", 2) => nulls(args).unwrap_or_else(|| makedate(args)),
        ("PERIOD_ADD", 2) => nulls(args).unwrap_or_else(|| {
            let (period, n) = (integer(&args[0])?, integer(&args[1])?);
            Ok(int(month_to_period(period_to_month(period).saturating_add(n))))
        }),
        ("PERIOD_DIFF", 2) => nulls(args).unwrap_or_else(|| {
            let (a, b) = (integer(&args[0])?, integer(&args[1])?);
            Ok(int(period_to_month(a).saturating_sub(period_to_month(b))))
        }),
        ("WEEK", 1 | 2) => nulls(args).unwrap_or_else(|| week(args)),
        ("WEEKOFYEAR", 1) => nulls(args).unwrap_or_else(|| week(&[args[0].clone(), int(3)])),
        ("YEARWEEK", 1 | 2) => nulls(args).unwrap_or_else(|| yearweek(args)),
        ("TIME_TO_SEC", 1) => nulls(args).unwrap_or_else(|| {
            Ok(time_of(&args[0]).map_or(Value::Null, |t| {
                int(i64::from(t.num_seconds_from_midnight()))
            }))
        }),
        ("SEC_TO_TIME", 1) => nulls(args).unwrap_or_else(|| integer(&args[0]).map(clock_time)),
        ("ADDTIME", 2) => nulls(args).unwrap_or_else(|| Ok(add_time(&args[0], &args[1], 1))),
        ("SUBTIME", 2) => nulls(args).unwrap_or_else(|| Ok(add_time(&args[0], &args[1], -1))),
        ("TO_DAYS", 1) => nulls(args).unwrap_or_else(|| {
            Ok(datetime_of(&args[0]).map_or(Value::Null, |d| int(to_days(d.date()))))
        }),
        ("FROM_DAYS", 1) => nulls(args).unwrap_or_else(|| integer(&args[0]).map(from_days)),
        ("UNIX_TIMESTAMP", 1) => nulls(args).unwrap_or_else(|| Ok(unix_timestamp(&args[0]))),
        ("FROM_UNIXTIME", 1) => nulls(args).unwrap_or_else(|| from_unixtime(&args[0])),
        ("TIME_FORMAT", 2) => {
            nulls(args).unwrap_or_else(|| Ok(time_format(&args[0], &text(&args[1]))))
        }
        // JSON, kept as text as MySQL shows it.
        ("JSON_OBJECT", _) => json::object(args),
        ("JSON_ARRAY", _) => Ok(json::array(args)),
        ("JSON_EXTRACT", 2..) => nulls(args).unwrap_or_else(|| json::extract(args)),
        ("JSON_UNQUOTE", 1) => nulls(args).unwrap_or_else(|| Ok(json::unquote(&text(&args[0])))),
        ("JSON_LENGTH", 1 | 2) => nulls(args).unwrap_or_else(|| json::length(args)),
        ("JSON_KEYS", 1 | 2) => nulls(args).unwrap_or_else(|| json::keys(args)),
        ("JSON_CONTAINS", 2 | 3) => nulls(args).unwrap_or_else(|| json::contains(args)),
        ("JSON_VALID", 1) => {
            nulls(args).unwrap_or_else(|| Ok(boolean(json::parse(&text(&args[0])).is_ok())))
        }
        ("JSON_TYPE", 1) => nulls(args).unwrap_or_else(|| json::kind(&args[0])),
        // Reached only where the layer could not gather them (see `group_concat.rs`).
        ("JSON_ARRAYAGG" | "JSON_OBJECTAGG", _) => Err(said(
            "JSON_ARRAYAGG(값)와 JSON_OBJECTAGG(키, 값)는 집계 함수라 SELECT 목록이나 HAVING에서 그 인자 수로 씁니다",
            "JSON_ARRAYAGG(value) and JSON_OBJECTAGG(key, value) are aggregates: use them in the SELECT list or HAVING, with those arguments",
        )),
        // Regular expressions, ignoring case as MySQL's default collation does.
        ("REGEXP_LIKE", 2 | 3) => nulls(args).unwrap_or_else(|| regexp::like(args)),
        ("REGEXP_REPLACE", 3..=6) => nulls(args).unwrap_or_else(|| regexp::replace(args)),
        ("REGEXP_SUBSTR", 2..=5) => nulls(args).unwrap_or_else(|| regexp::substr(args)),
        ("REGEXP_INSTR", 2..=6) => nulls(args).unwrap_or_else(|| regexp::instr(args)),
        ("CHARSET", 1) => Ok(Value::Str("utf8mb4".to_owned())),
        // `d ± INTERVAL n DAY` when the rewrite cannot tell a DATE from its text.
        (crate::dialect::DATE_ADD_FUNCTION, 3) => {
            nulls(&args[..2]).unwrap_or_else(|| move_date(args))
        }
        // `BINARY x`: the same bytes as a binary string, compared byte by byte.
        (crate::dialect::BINARY_FUNCTION, 1) => Ok(match &args[0] {
            Value::Null => Value::Null,
            Value::Bytea(b) => Value::Bytea(b.clone()),
            other => Value::Bytea(text(other).into_bytes()),
        }),
        _ => return None,
    };
    Some(answer)
}

/// `JSON_ARRAYAGG`'s array of a group's values (see `group_concat.rs`).
pub(crate) fn json_array(values: &[Value]) -> Value {
    json::array(values)
}

/// `JSON_OBJECTAGG`'s object of a group's keys and values, alternating, keys not NULL (see
/// `group_concat.rs`); a repeated key keeps its last value.
pub(crate) fn json_object_of(pairs: &[Value]) -> Value {
    json::object(pairs).unwrap_or(Value::Null)
}

/// A refusal in both languages, as the error of a host function carries it (the engine's
/// error translation splits it at the separator).
fn said(ko: impl Into<String>, en: impl Into<String>) -> String {
    format!("{}{}{}", ko.into(), HOST_ERROR_SEPARATOR, en.into())
}

/// Between the Korean and the English sentence of a host function's error.
pub const HOST_ERROR_SEPARATOR: char = '\u{1f}';

/// `Some(Ok(NULL))` when any of `args` is NULL.
fn nulls(args: &[Value]) -> Option<Answer> {
    args.iter()
        .any(|a| matches!(a, Value::Null))
        .then_some(Ok(Value::Null))
}

fn int(i: i64) -> Value {
    Value::I64(i)
}

fn boolean(b: bool) -> Value {
    int(i64::from(b))
}

/// A value as MySQL turns it into text (TRUE is 1).
fn text(v: &Value) -> String {
    match v {
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => String::from(other),
    }
}

/// A value as an integer, text read as MySQL reads it (its leading number; none is 0).
fn integer(v: &Value) -> Result<i64, String> {
    Ok(match v {
        Value::Bool(b) => i64::from(*b),
        Value::I8(i) => i64::from(*i),
        Value::I16(i) => i64::from(*i),
        Value::I32(i) => i64::from(*i),
        Value::I64(i) => *i,
        Value::U8(i) => i64::from(*i),
        Value::U16(i) => i64::from(*i),
        Value::U32(i) => i64::from(*i),
        Value::U64(i) => *i as i64,
        Value::F32(f) => f.round() as i64,
        Value::F64(f) => f.round() as i64,
        Value::Decimal(d) => d.round().to_string().parse().unwrap_or(0),
        other => {
            let t = text(other);
            let t = t.trim_start();
            let end = t
                .char_indices()
                .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
                .map_or(t.len(), |(i, _)| i);
            match t[..end].parse::<f64>() {
                Ok(f) => f as i64,
                Err(_) => 0,
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// Numbers

/// `CONV(n, from_base, to_base)`: a negative base reads or writes the number as signed.
fn conv(args: &[Value]) -> Answer {
    let (from, to) = (integer(&args[1])?, integer(&args[2])?);
    Ok(match (base(from), base(to)) {
        (Some(f), Some(t)) => Value::Str(convert_digits(&text(&args[0]), f, from < 0, t, to < 0)),
        _ => Value::Null,
    })
}

/// `BIN(n)`, `OCT(n)`: n as a 64-bit number in base 2 or 8 (negative as its two's complement).
fn conv_to(v: &Value, to: u32) -> Answer {
    let n = integer(v)?;
    Ok(Value::Str(in_base(n as u64, to)))
}

fn base(b: i64) -> Option<u32> {
    let b = b.unsigned_abs();
    (2..=36).contains(&b).then_some(b as u32)
}

fn convert_digits(n: &str, from: u32, signed_in: bool, to: u32, signed_out: bool) -> String {
    let n = n.trim();
    let (negative, digits) = match n.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, n),
    };
    let mut value: u64 = 0;
    for c in digits.chars() {
        let Some(d) = c.to_digit(from) else { break };
        value = value
            .saturating_mul(u64::from(from))
            .saturating_add(u64::from(d));
    }
    if negative {
        value = if signed_in {
            (value.min(1 << 63) as i64).wrapping_neg() as u64
        } else {
            value.wrapping_neg()
        };
    }
    if signed_out && (value as i64) < 0 {
        format!("-{}", in_base((value as i64).unsigned_abs(), to))
    } else {
        in_base(value, to)
    }
}

fn in_base(mut n: u64, base: u32) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while n > 0 {
        let d = (n % u64::from(base)) as u32;
        digits.push(
            std::char::from_digit(d, base)
                .unwrap_or('0')
                .to_ascii_uppercase(),
        );
        n /= u64::from(base);
    }
    digits.iter().rev().collect()
}

/// CRC-32 (IEEE 802.3, as zlib and MySQL compute it).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `FORMAT(x, d)`: rounded half away from zero to `d` decimals (0 to 30), thousands
/// separated by commas.
fn format_number(x: &Value, d: &Value) -> Answer {
    let decimals = integer(d)?.clamp(0, 30) as usize;
    let number = match x {
        // A date in a number's place is its digits (`20240305`), as MySQL reads it.
        Value::Date(d) => d.format("%Y%m%d").to_string(),
        Value::Timestamp(t) => t.format("%Y%m%d%H%M%S").to_string(),
        Value::Str(s) => s
            .trim()
            .parse::<f64>()
            .map(|f| f.to_string())
            .unwrap_or_else(|_| integer(x).map(|i| i.to_string()).unwrap_or_default()),
        other => text(other),
    };
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, number),
    };
    // NaN, infinities and anything else that is not a plain decimal: nothing to format.
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        || digits.matches('.').count() > 1
    {
        return Ok(Value::Null);
    }
    let (whole, fraction) = round_decimal(&digits, decimals);
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = whole.chars().all(|c| c == '0') && fraction.chars().all(|c| c == '0');
    let sign = if negative && !zero { "-" } else { "" };
    Ok(Value::Str(if decimals == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }))
}

/// Rounds the unsigned decimal `digits` (`123.456`, `1e21` is not expected) to `decimals`
/// places, half away from zero: (whole part, fraction of exactly `decimals` digits).
fn round_decimal(digits: &str, decimals: usize) -> (String, String) {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut all: Vec<u8> = whole
        .bytes()
        .chain(
            fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(decimals),
        )
        .map(|b| b - b'0')
        .collect();
    if fraction
        .as_bytes()
        .get(decimals)
        .is_some_and(|&b| b >= b'5')
    {
        let mut i = all.len();
        loop {
            if i == 0 {
                all.insert(0, 1);
                break;
            }
            i -= 1;
            if all[i] == 9 {
                all[i] = 0;
            } else {
                all[i] += 1;
                break;
            }
        }
    }
    let split = all.len() - decimals;
    let render = |d: &[u8]| d.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let whole = render(&all[..split]);
    let whole = whole.trim_start_matches('0');
    (
        if whole.is_empty() {
            "0".to_owned()
        } else {
            whole.to_owned()
        },
        render(&all[split..]),
    )
}

// ---------------------------------------------------------------------------------------
// Text

/// `SUBSTRING_INDEX(s, delim, count)`: before the count-th delimiter (from the right when
/// count is negative), all of `s` when there are fewer.
fn substring_index(args: &[Value]) -> Answer {
    let (s, delim, count) = (text(&args[0]), text(&args[1]), integer(&args[2])?);
    if delim.is_empty() || count == 0 {
        return Ok(Value::Str(String::new()));
    }
    let places: Vec<usize> = s.match_indices(&delim).map(|(i, _)| i).collect();
    let wanted = count.unsigned_abs() as usize;
    Ok(Value::Str(if wanted > places.len() {
        s
    } else if count > 0 {
        s[..places[wanted - 1]].to_owned()
    } else {
        s[places[places.len() - wanted] + delim.len()..].to_owned()
    }))
}

/// `ORD(s)`: the first character's code, its UTF-8 bytes read as one big-endian number.
fn ord(s: &str) -> Value {
    let Some(c) = s.chars().next() else {
        return int(0);
    };
    let mut buf = [0u8; 4];
    int(c
        .encode_utf8(&mut buf)
        .bytes()
        .fold(0i64, |n, b| n * 256 + i64::from(b)))
}

/// `FIND_IN_SET(s, list)`: s's 1-based place in the comma-separated list, ignoring case; 0
/// when absent (or when s holds a comma).
fn find_in_set(s: &str, list: &str) -> Value {
    if s.contains(',') || list.is_empty() {
        return int(0);
    }
    let s = s.to_lowercase();
    int(list
        .split(',')
        .position(|item| item.to_lowercase() == s)
        .map_or(0, |i| i as i64 + 1))
}

/// `INSERT(s, pos, len, new)`: `len` characters from `pos` replaced by `new`; `s` unchanged
/// when `pos` is outside it.
fn insert(args: &[Value]) -> Answer {
    let s: Vec<char> = text(&args[0]).chars().collect();
    let (pos, len, new) = (integer(&args[1])?, integer(&args[2])?, text(&args[3]));
    if pos < 1 || pos as usize > s.len() {
        return Ok(Value::Str(s.into_iter().collect()));
    }
    let start = pos as usize - 1;
    let end = if len < 0 {
        s.len()
    } else {
        start.saturating_add(len as usize).min(s.len())
    };
    let mut out: String = s[..start].iter().collect();
    out.push_str(&new);
    out.extend(&s[end..]);
    Ok(Value::Str(out))
}

/// `UNHEX(s)`: the bytes the hex digits spell (as text); NULL for a non-hex digit.
fn unhex(s: &str) -> Value {
    let digits: Vec<u32> = match s
        .chars()
        .map(|c| c.to_digit(16))
        .collect::<Option<Vec<_>>>()
    {
        Some(d) => d,
        None => return Value::Null,
    };
    let padded: Vec<u32> = if digits.len() % 2 == 1 {
        std::iter::once(0).chain(digits).collect()
    } else {
        digits
    };
    let bytes: Vec<u8> = padded.chunks(2).map(|p| (p[0] * 16 + p[1]) as u8).collect();
    Value::Str(String::from_utf8_lossy(&bytes).into_owned())
}

/// `TO_BASE64`: lines of 76 characters, as MySQL writes it.
fn to_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    lines.join("\n")
}

fn from_base64(s: &str) -> Value {
    use base64::Engine as _;
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(compact) {
        Ok(bytes) => Value::Str(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => Value::Null,
    }
}

/// `QUOTE(s)`: a string literal that reads back as `s`; the word NULL for NULL.
fn quote(v: &Value) -> Value {
    if matches!(v, Value::Null) {
        return Value::Str("NULL".to_owned());
    }
    let mut out = String::from("'");
    for c in text(v).chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{1a}' => out.push_str("\\Z"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Value::Str(out)
}

/// `SOUNDEX(s)` as MySQL computes it: the first letter, then the codes of the letters after
/// it (vowels, H, W and Y dropped; a code equal to the last one written dropped), at least
/// four characters (padded with 0). Letters outside A–Z (Hangul, accented ones) count as
/// vowels; what is not a letter is ignored.
fn soundex(s: &str) -> String {
    const CODES: &[u8; 26] = b"01230120022455012623010202";
    let code = |c: char| {
        if c.is_ascii_alphabetic() {
            CODES[(c.to_ascii_uppercase() as u8 - b'A') as usize]
        } else {
            b'0'
        }
    };
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in letters {
        let k = code(c);
        if k != b'0' && k != last {
            out.push(char::from(k));
            last = k;
        }
    }
    while out.chars().count() < 4 {
        out.push('0');
    }
    out
}

/// `EXPORT_SET(bits, on, off[, separator[, count]])`.
fn export_set(args: &[Value]) -> Answer {
    let bits = integer(&args[0])? as u64;
    let (on, off) = (text(&args[1]), text(&args[2]));
    let separator = args.get(3).map_or(",".to_owned(), text);
    let count = match args.get(4) {
        Some(c) => integer(c)?.clamp(0, 64) as u32,
        None => 64,
    };
    let parts: Vec<&str> = (0..count)
        .map(|i| {
            if bits >> i & 1 == 1 {
                on.as_str()
            } else {
                off.as_str()
            }
        })
        .collect();
    Ok(Value::Str(parts.join(&separator)))
}

/// `MAKE_SET(bits, s1, s2, …)`: the strings whose bit is set (NULLs left out), comma-joined.
fn make_set(args: &[Value]) -> Answer {
    let bits = integer(&args[0])? as u64;
    let parts: Vec<String> = args[1..]
        .iter()
        .enumerate()
        .filter(|(i, v)| *i < 64 && bits >> i & 1 == 1 && !matches!(v, Value::Null))
        .map(|(_, v)| text(v))
        .collect();
    Ok(Value::Str(parts.join(",")))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha1_hex(bytes: &[u8]) -> String {
    use sha1::Digest;
    hex_lower(&sha1::Sha1::digest(bytes))
}

/// Raises a warning in GlueSQL's list, in the order the statement's evaluation meets it.
fn warn(w: &Warning) {
    gluesql_core::executor::warn(w.code, || w.message.en.clone());
}

/// `SHA2(s, bits)` for 224, 256 (or 0), 384 and 512 bits; NULL for another length.
fn sha2_hex(args: &[Value]) -> Answer {
    use sha2::Digest;
    let bytes = text(&args[0]).into_bytes();
    Ok(match integer(&args[1])? {
        224 => Value::Str(hex_lower(&sha2::Sha224::digest(&bytes))),
        0 | 256 => Value::Str(hex_lower(&sha2::Sha256::digest(&bytes))),
        384 => Value::Str(hex_lower(&sha2::Sha384::digest(&bytes))),
        512 => Value::Str(hex_lower(&sha2::Sha512::digest(&bytes))),
        _ => {
            warn(&Warning::bad_arguments("sha2"));
            Value::Null
        }
    })
}

// ---------------------------------------------------------------------------------------
// Dates and times

/// A date or datetime as MySQL reads one: a DATE, a DATETIME, or text such as `2024-03-05`,
/// `2024-03-05 10:20:30[.fff]`, `20240305`.
fn datetime_of(v: &Value) -> Option<NaiveDateTime> {
    match v {
        Value::Date(d) => d.and_hms_opt(0, 0, 0),
        Value::Timestamp(t) => Some(*t),
        Value::Str(s) => parse_datetime(s.trim()),
        Value::I64(_) | Value::I32(_) | Value::U64(_) => parse_datetime(&text(v)),
        _ => None,
    }
}

/// `date ± INTERVAL n unit` for units of whole days (DAY, WEEK, MONTH, QUARTER, YEAR): as in
/// MySQL, a DATE, or text holding only a date, stays a DATE and a DATETIME stays a DATETIME.
/// `args` are the date, the interval and the sign (1 or -1). Text that is no date is NULL with
/// warning 1292.
fn move_date(args: &[Value]) -> Answer {
    let Value::Interval(interval) = &args[1] else {
        return Err(said(
            "날짜에는 INTERVAL만 더할 수 있습니다",
            "only an INTERVAL can be added to a date",
        ));
    };
    let date_only = match &args[0] {
        Value::Date(_) => true,
        Value::Str(s) => s.trim().len() <= 10,
        _ => false,
    };
    let Some(start) = datetime_of(&args[0]) else {
        warn(&Warning::incorrect_datetime(&text(&args[0])));
        return Ok(Value::Null);
    };
    let (start, interval) = (Value::Timestamp(start), Value::Interval(*interval));
    let moved = if integer(&args[2])? < 0 {
        start.subtract(&interval)
    } else {
        start.add(&interval)
    }
    .map_err(|e| e.to_string())?;
    Ok(match moved {
        Value::Timestamp(t) if date_only => Value::Date(t.date()),
        other => other,
    })
}

fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y%m%d%H%M%S",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// The time of day of a TIME, a DATETIME or text (`10:20:30`, a datetime).
fn time_of(v: &Value) -> Option<NaiveTime> {
    match v {
        Value::Time(t) => Some(*t),
        Value::Str(s) => {
            let s = s.trim();
            ["%H:%M:%S%.f", "%H:%M"]
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
                .or_else(|| parse_datetime(s).map(|d| d.time()))
        }
        other => datetime_of(other).map(|d| d.time()),
    }
}

fn time_part(v: &Value, part: impl Fn(&NaiveTime) -> u32) -> Value {
    time_of(v).map_or(Value::Null, |t| int(i64::from(part(&t))))
}

/// Whole months from `a` to `b`, counting a month only once its day and time are reached.
fn months_between(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    let (early, late, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let mut months = i64::from(late.year() - early.year()) * 12 + i64::from(late.month())
        - i64::from(early.month());
    let late_rest = (late.day(), late.time());
    let early_rest = (early.day(), early.time());
    if late_rest < early_rest {
        months -= 1;
    }
    sign * months
}

/// `TIMESTAMPDIFF(unit, a, b)`: `b - a` in whole units (the unit comes as text, written by
/// the dialect layer from the keyword).
fn timestampdiff(args: &[Value]) -> Answer {
    let unit = text(&args[0]).to_ascii_uppercase();
    let (Some(a), Some(b)) = (datetime_of(&args[1]), datetime_of(&args[2])) else {
        return Ok(Value::Null);
    };
    let d = b - a;
    Ok(int(match unit.as_str() {
        "MICROSECOND" => d.num_microseconds().unwrap_or(i64::MAX),
        "SECOND" => d.num_seconds(),
        "MINUTE" => d.num_minutes(),
        "HOUR" => d.num_hours(),
        "DAY" => d.num_days(),
        "WEEK" => d.num_weeks(),
        "MONTH" => months_between(a, b),
        "QUARTER" => months_between(a, b) / 3,
        "YEAR" => months_between(a, b) / 12,
        other => {
            return Err(said(
                format!("알 수 없는 단위 {other} (SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR 중 하나)"),
                format!("unknown unit {other} (one of SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR)"),
            ))
        }
    }))
}

/// `TIMEDIFF(a, b)`: `a - b` as `[-]HH:MM:SS` (hours may pass 24), both times or both
/// datetimes.
fn timediff(a: &Value, b: &Value) -> Value {
    let seconds = match (datetime_of(a), datetime_of(b)) {
        (Some(x), Some(y)) if !looks_like_time(a) && !looks_like_time(b) => (x - y).num_seconds(),
        _ => match (time_of(a), time_of(b)) {
            (Some(x), Some(y)) => (x - y).num_seconds(),
            _ => return Value::Null,
        },
    };
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    Value::Str(format!(
        "{sign}{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

/// `YEARWEEK(d[, mode])`: the year and week as one number (`202402`), the week counted as
/// WEEK's mode says, in the year the week belongs to.
fn yearweek(args: &[Value]) -> Answer {
    let Some((d, behaviour)) = week_arguments(args)? else {
        return Ok(Value::Null);
    };
    // MySQL's WEEK_YEAR flag: a week at a year's edge belongs to the year it mostly lies in.
    let (week, year) = calc_week(d, behaviour | 2);
    Ok(int(i64::from(year) * 100 + week))
}

/// Seconds as a TIME: a time of day when it is one, else MySQL's `[-]HH:MM:SS` text with hours
/// past 24 (a TIME is a length of time too).
fn clock_time(seconds: i64) -> Value {
    if let Some(t) = u32::try_from(seconds)
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
    {
        return Value::Time(t);
    }
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs().min(838 * 3600 + 59 * 60 + 59);
    Value::Str(format!(
        "{sign}{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

/// `ADDTIME(t, delta)` / `SUBTIME`: a DATETIME moved by a time, or a time plus a time.
fn add_time(base: &Value, delta: &Value, sign: i64) -> Value {
    let Some(delta) = time_of(delta).map(|t| i64::from(t.num_seconds_from_midnight()) * sign)
    else {
        return Value::Null;
    };
    if !looks_like_time(base) {
        if let Some(d) = datetime_of(base) {
            return Value::Timestamp(d + Duration::seconds(delta));
        }
    }
    time_of(base).map_or(Value::Null, |t| {
        clock_time(i64::from(t.num_seconds_from_midnight()) + delta)
    })
}

fn looks_like_time(v: &Value) -> bool {
    match v {
        Value::Time(_) => true,
        Value::Str(s) => !s.trim().contains('-') && s.contains(':'),
        _ => false,
    }
}

/// `STR_TO_DATE(s, format)`: a DATE when the format has no time, a DATETIME when it has both,
/// a TIME when it has only time; NULL when `s` does not fit.
fn str_to_date(s: &str, format: &str) -> Value {
    let mut chrono_format = String::new();
    let (mut has_date, mut has_time) = (false, false);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            chrono_format.push(c);
            continue;
        }
        let Some(spec) = chars.next() else { break };
        let (f, date) = match spec {
            'Y' => ("%Y", true),
            'y' => ("%y", true),
            'm' | 'c' => ("%m", true),
            'd' | 'e' => ("%d", true),
            'M' => ("%B", true),
            'b' => ("%b", true),
            'W' => ("%A", true),
            'a' => ("%a", true),
            'j' => ("%j", true),
            'H' | 'k' => ("%H", false),
            'h' | 'I' | 'l' => ("%I", false),
            'i' => ("%M", false),
            's' | 'S' => ("%S", false),
            'f' => ("%6f", false),
            'p' => ("%p", false),
            'T' => ("%H:%M:%S", false),
            'r' => ("%I:%M:%S %p", false),
            '%' => {
                chrono_format.push_str("%%");
                continue;
            }
            _ => return Value::Null,
        };
        chrono_format.push_str(f);
        if date {
            has_date = true;
        } else {
            has_time = true;
        }
    }
    let s = s.trim();
    match (has_date, has_time) {
        (true, true) => {
            NaiveDateTime::parse_from_str(s, &chrono_format).map_or(Value::Null, Value::Timestamp)
        }
        (true, false) => {
            NaiveDate::parse_from_str(s, &chrono_format).map_or(Value::Null, Value::Date)
        }
        (false, true) => {
            NaiveTime::parse_from_str(s, &chrono_format).map_or(Value::Null, Value::Time)
        }
        (false, false) => Value::Null,
    }
}

/// `MAKEDATE(year, day_of_year)`; NULL for a day below 1.
fn makedate(args: &[Value]) -> Answer {
    let (year, day) = (integer(&args[0])?, integer(&args[1])?);
    if day < 1 || !(0..=9999).contains(&year) {
        return Ok(Value::Null);
    }
    let year = if year < 70 {
        year + 2000
    } else if year < 100 {
        year + 1900
    } else {
        year
    };
    Ok(NaiveDate::from_ymd_opt(year as i32, 1, 1)
        .and_then(|d| d.checked_add_signed(Duration::try_days(day - 1)?))
        .map_or(Value::Null, Value::Date))
}

/// A period, `YYMM` or `YYYYMM` (a two-digit year below 70 is 20YY, else 19YY), as months
/// since the year 0, as MySQL counts them for PERIOD_ADD and PERIOD_DIFF; 0 stays 0.
fn period_to_month(period: i64) -> i64 {
    if period == 0 {
        return 0;
    }
    let year = match period / 100 {
        y @ 0..=69 => y + 2000,
        y @ 70..=99 => y + 1900,
        y => y,
    };
    year.saturating_mul(12)
        .saturating_add(period % 100)
        .saturating_sub(1)
}

/// Months since the year 0 as a period `YYYYMM` (the inverse of [`period_to_month`]).
fn month_to_period(month: i64) -> i64 {
    if month <= 0 {
        return 0;
    }
    let year = match month / 12 {
        y @ 0..=69 => y + 2000,
        y @ 70..=99 => y + 1900,
        y => y,
    };
    year.saturating_mul(100).saturating_add(month % 12 + 1)
}

/// MySQL's day number: days since the year 0 (`TO_DAYS('0000-01-01')` is 1).
fn to_days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) + 365
}

fn from_days(n: i64) -> Value {
    if n < 366 {
        return Value::Null;
    }
    i32::try_from(n - 365)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map_or(Value::Null, Value::Date)
}

/// `WEEK(date[, mode])`: MySQL's week number for modes 0–7 (its `calc_week`).
fn week(args: &[Value]) -> Answer {
    let Some((d, behaviour)) = week_arguments(args)? else {
        return Ok(Value::Null);
    };
    Ok(int(calc_week(d, behaviour).0))
}

/// WEEK's and YEARWEEK's date and `calc_week` behaviour from `(date[, mode])`; `None` for a
/// date that is not one.
fn week_arguments(args: &[Value]) -> Result<Option<(NaiveDate, u32)>, String> {
    let Some(d) = datetime_of(&args[0]).map(|d| d.date()) else {
        return Ok(None);
    };
    let mode = match args.get(1) {
        Some(m) => integer(m)? as u32 & 7,
        None => 0,
    };
    // MySQL's week_mode(): modes without "Monday first" count the first weekday the other way.
    Ok(Some((d, if mode & 1 == 0 { mode ^ 4 } else { mode })))
}

/// MySQL's `calc_week`: (week, year the week belongs to).
fn calc_week(d: NaiveDate, behaviour: u32) -> (i64, i32) {
    let monday_first = behaviour & 1 != 0;
    let mut week_year = behaviour & 2 != 0;
    let first_weekday = behaviour & 4 != 0;
    let days_in_year = |y: i32| {
        if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
            366
        } else {
            365
        }
    };
    let daynr = to_days(d);
    let mut year = d.year();
    let mut first_daynr = NaiveDate::from_ymd_opt(year, 1, 1).map_or(daynr, to_days);
    // MySQL's calc_weekday: 0 = Monday (or Sunday when the week starts on Sunday).
    let weekday_of = |n: i64| (n + 5 + i64::from(!monday_first)).rem_euclid(7);
    let mut weekday = weekday_of(first_daynr);
    if d.month() == 1 && i64::from(d.day()) <= 7 - weekday {
        if !week_year && ((first_weekday && weekday != 0) || (!first_weekday && weekday >= 4)) {
            return (0, year);
        }
        week_year = true;
        year -= 1;
        let days = days_in_year(year);
        first_daynr -= days;
        weekday = (weekday + 53 * 7 - days).rem_euclid(7);
    }
    let days = if (first_weekday && weekday != 0) || (!first_weekday && weekday >= 4) {
        daynr - (first_daynr + (7 - weekday))
    } else {
        daynr - (first_daynr - weekday)
    };
    if week_year && days >= 52 * 7 {
        let weekday = (weekday + days_in_year(year)).rem_euclid(7);
        if (!first_weekday && weekday < 4) || (first_weekday && weekday == 0) {
            return (1, year + 1);
        }
    }
    (days / 7 + 1, year)
}

/// `UNIX_TIMESTAMP(datetime)`: seconds since 1970 UTC, the datetime read in the session's
/// time zone.
fn unix_timestamp(v: &Value) -> Value {
    datetime_of(v).map_or(Value::Null, |d| {
        let seconds = d.and_utc().timestamp() - SESSION_OFFSET_SECONDS;
        if seconds < 0 {
            int(0)
        } else {
            int(seconds)
        }
    })
}

fn from_unixtime(v: &Value) -> Answer {
    let seconds = integer(v)?;
    let Some(local) = seconds.checked_add(SESSION_OFFSET_SECONDS) else {
        return Ok(Value::Null);
    };
    Ok(gluesql_core::chrono::DateTime::from_timestamp(local, 0)
        .filter(|_| seconds >= 0)
        .map_or(Value::Null, |t| Value::Timestamp(t.naive_utc())))
}

/// `TIME_FORMAT(time, format)`: the time specifiers of DATE_FORMAT.
fn time_format(v: &Value, format: &str) -> Value {
    let Some(t) = time_of(v) else {
        return Value::Null;
    };
    let mut out = String::new();
    let mut chars = format.chars();
    let hour12 = |h: u32| if h.is_multiple_of(12) { 12 } else { h % 12 };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('H') => out.push_str(&format!("{:02}", t.hour())),
            Some('k') => out.push_str(&t.hour().to_string()),
            Some('h' | 'I') => out.push_str(&format!("{:02}", hour12(t.hour()))),
            Some('l') => out.push_str(&hour12(t.hour()).to_string()),
            Some('i') => out.push_str(&format!("{:02}", t.minute())),
            Some('s' | 'S') => out.push_str(&format!("{:02}", t.second())),
            Some('f') => out.push_str(&format!("{:06}", t.nanosecond() / 1000)),
            Some('p') => out.push_str(if t.hour() < 12 { "AM" } else { "PM" }),
            Some('T') => out.push_str(&t.format("%H:%M:%S").to_string()),
            Some('r') => out.push_str(&format!(
                "{:02}:{:02}:{:02} {}",
                hour12(t.hour()),
                t.minute(),
                t.second(),
                if t.hour() < 12 { "AM" } else { "PM" }
            )),
            // Date specifiers mean nothing for a time: MySQL gives NULL.
            Some('Y' | 'y' | 'm' | 'c' | 'd' | 'e' | 'M' | 'b' | 'W' | 'a' | 'j') => {
                return Value::Null
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Value::Str(out)
}

// ---------------------------------------------------------------------------------------
// JSON

mod json {
    //! JSON documents as MySQL 8 keeps them: object keys sorted (shorter first, then by
    //! bytes), written with `", "` and `": "`.
    use super::{boolean, int, integer, said, text, Answer};
    use gluesql_core::data::Value;
    use serde_json::Value as J;

    pub(super) fn parse(s: &str) -> Result<J, String> {
        serde_json::from_str(s).map_err(|e| {
            said(
                format!("올바른 JSON 문장이 아닙니다 ({e})"),
                format!("not a valid JSON text ({e})"),
            )
        })
    }

    /// A value as a JSON document: text that is already JSON (an object or array from
    /// another JSON function) stays one; other text becomes a JSON string.
    fn from_value(v: &Value, nested: bool) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Str(s) if nested && (s.starts_with('{') || s.starts_with('[')) => {
                parse(s).unwrap_or_else(|_| J::String(s.clone()))
            }
            Value::Str(s) => J::String(s.clone()),
            Value::F32(_) | Value::F64(_) | Value::Decimal(_) => {
                let t = text(v);
                t.parse::<serde_json::Number>()
                    .map_or(J::String(t), J::Number)
            }
            Value::I8(_)
            | Value::I16(_)
            | Value::I32(_)
            | Value::I64(_)
            | Value::U8(_)
            | Value::U16(_)
            | Value::U32(_)
            | Value::U64(_) => J::Number(integer(v).unwrap_or(0).into()),
            other => J::String(text(other)),
        }
    }

    /// MySQL's order of object keys: by length, then by bytes.
    fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    }

    /// MySQL's way of writing a document.
    pub(super) fn write(j: &J) -> String {
        match j {
            J::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                sqlnori_model::sort::sort_by(&mut keys, |a, b| key_order(a, b));
                let parts: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{}: {}", J::String((*k).clone()), write(&map[*k])))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            J::Array(items) => format!(
                "[{}]",
                items.iter().map(write).collect::<Vec<_>>().join(", ")
            ),
            other => other.to_string(),
        }
    }

    fn document(v: &Value) -> Result<J, String> {
        parse(&text(v))
    }

    pub(super) fn object(args: &[Value]) -> Answer {
        if args.len() % 2 == 1 {
            return Err(said(
                "JSON_OBJECT는 키와 값을 짝지어 받습니다",
                "JSON_OBJECT takes keys and values in pairs",
            ));
        }
        let mut map = serde_json::Map::new();
        for pair in args.chunks(2) {
            if matches!(pair[0], Value::Null) {
                return Err(said(
                    "JSON 객체의 키는 NULL일 수 없습니다",
                    "a JSON object's key cannot be NULL",
                ));
            }
            map.insert(text(&pair[0]), from_value(&pair[1], true));
        }
        Ok(Value::Str(write(&J::Object(map))))
    }

    pub(super) fn array(args: &[Value]) -> Value {
        Value::Str(write(&J::Array(
            args.iter().map(|a| from_value(a, true)).collect(),
        )))
    }

    /// One step of a path: a member or an array index.
    enum Step {
        Member(String),
        Index(usize),
    }

    /// `$`, `$.name`, `$."quoted name"`, `$[2]` and their chains.
    fn path(p: &str) -> Result<Vec<Step>, String> {
        let bad = || {
            said(
                format!("JSON 경로 `{p}`를 읽을 수 없습니다 ('$.이름', '$[0]' 꼴로 씁니다)"),
                format!("cannot read the JSON path `{p}` (write it as '$.name', '$[0]')"),
            )
        };
        let rest = p.trim().strip_prefix('$').ok_or_else(bad)?;
        let mut steps = Vec::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    let mut name = String::new();
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        for c in chars.by_ref() {
                            if c == '"' {
                                break;
                            }
                            name.push(c);
                        }
                    } else {
                        while let Some(&c) = chars.peek() {
                            if c == '.' || c == '[' {
                                break;
                            }
                            name.push(c);
                            chars.next();
                        }
                    }
                    if name.is_empty() || name == "*" {
                        return Err(bad());
                    }
                    steps.push(Step::Member(name));
                }
                '[' => {
                    let mut n = String::new();
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                        n.push(c);
                    }
                    steps.push(Step::Index(n.trim().parse().map_err(|_| bad())?));
                }
                c if c.is_whitespace() => {}
                _ => return Err(bad()),
            }
        }
        Ok(steps)
    }

    fn at<'a>(doc: &'a J, steps: &[Step]) -> Option<&'a J> {
        steps.iter().try_fold(doc, |j, step| match (step, j) {
            (Step::Member(m), J::Object(map)) => map.get(m),
            (Step::Index(i), J::Array(items)) => items.get(*i),
            // MySQL: `$[0]` of a scalar is the scalar itself.
            (Step::Index(0), scalar) if !scalar.is_array() && !scalar.is_object() => Some(scalar),
            _ => None,
        })
    }

    pub(super) fn extract(args: &[Value]) -> Answer {
        let doc = document(&args[0])?;
        let found: Vec<&J> = args[1..]
            .iter()
            .map(|p| path(&text(p)).map(|steps| at(&doc, &steps)))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(match (found.as_slice(), args.len()) {
            ([], _) => Value::Null,
            // A number stays a number, so `doc -> '$.n' + 1` is arithmetic (MySQL's JSON
            // number); everything else is JSON text.
            ([J::Number(n)], 2) => n
                .as_i64()
                .map(Value::I64)
                .or_else(|| n.as_f64().map(Value::F64))
                .unwrap_or_else(|| Value::Str(n.to_string())),
            ([one], 2) => Value::Str(write(one)),
            (many, _) => Value::Str(write(&J::Array(
                many.iter().map(|j| (*j).clone()).collect(),
            ))),
        })
    }

    pub(super) fn unquote(s: &str) -> Value {
        match serde_json::from_str::<J>(s) {
            Ok(J::String(inner)) if s.trim_start().starts_with('"') => Value::Str(inner),
            _ => Value::Str(s.to_owned()),
        }
    }

    fn target<'a>(doc: &'a J, args: &[Value]) -> Result<Option<&'a J>, String> {
        match args.get(1) {
            Some(p) => Ok(at(doc, &path(&text(p))?)),
            None => Ok(Some(doc)),
        }
    }

    pub(super) fn length(args: &[Value]) -> Answer {
        let doc = document(&args[0])?;
        Ok(match target(&doc, args)? {
            Some(J::Object(m)) => int(m.len() as i64),
            Some(J::Array(a)) => int(a.len() as i64),
            Some(_) => int(1),
            None => Value::Null,
        })
    }

    pub(super) fn keys(args: &[Value]) -> Answer {
        let doc = document(&args[0])?;
        Ok(match target(&doc, args)? {
            Some(J::Object(m)) => {
                let mut keys: Vec<&String> = m.keys().collect();
                sqlnori_model::sort::sort_by(&mut keys, |a, b| key_order(a, b));
                Value::Str(write(&J::Array(
                    keys.into_iter().map(|k| J::String(k.clone())).collect(),
                )))
            }
            _ => Value::Null,
        })
    }

    /// MySQL's containment: a scalar in an array when some element contains it; an object in
    /// an object when every member is contained in the same member; arrays element-wise.
    fn contained(target: &J, candidate: &J) -> bool {
        match (target, candidate) {
            (J::Array(t), J::Array(c)) => c.iter().all(|c| t.iter().any(|t| contained(t, c))),
            (J::Array(t), c) => t.iter().any(|t| contained(t, c)),
            (J::Object(t), J::Object(c)) => c
                .iter()
                .all(|(k, v)| t.get(k).is_some_and(|t| contained(t, v))),
            (J::Number(a), J::Number(b)) => a.as_f64() == b.as_f64(),
            (t, c) => t == c,
        }
    }

    pub(super) fn contains(args: &[Value]) -> Answer {
        let doc = document(&args[0])?;
        let candidate = document(&args[1])?;
        let scope = match args.get(2) {
            Some(p) => at(&doc, &path(&text(p))?),
            None => Some(&doc),
        };
        Ok(scope.map_or(Value::Null, |t| boolean(contained(t, &candidate))))
    }

    pub(super) fn kind(v: &Value) -> Answer {
        Ok(Value::Str(
            match document(v)? {
                J::Object(_) => "OBJECT",
                J::Array(_) => "ARRAY",
                J::String(_) => "STRING",
                J::Bool(_) => "BOOLEAN",
                J::Null => "NULL",
                J::Number(n) if n.is_f64() => "DOUBLE",
                J::Number(_) => "INTEGER",
            }
            .to_owned(),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Regular expressions

mod regexp {
    //! MySQL's REGEXP functions over Rust's `regex` (the syntax common to ICU, which MySQL 8
    //! uses, and PCRE, which MariaDB uses). Case is ignored unless the match type says `c`,
    //! as under MySQL's default case-insensitive collation.
    use super::{boolean, int, integer, text, Answer};
    use gluesql_core::data::Value;

    /// Whether `pattern` has a `\p` or `\P` outside an escaped backslash.
    fn unicode_class(pattern: &str) -> bool {
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c == '\\' && matches!(chars.next(), Some('p' | 'P')) {
                return true;
            }
        }
        false
    }

    /// A pattern compiled with MySQL's match type (`c` case-sensitive, `i` insensitive, `m`
    /// multi-line, `n` dot matches newlines).
    fn compile(pattern: &str, match_type: Option<&Value>) -> Result<regex::Regex, String> {
        // Unicode property classes (`\p{Hangul}`, `\p{L}`) would need regex's Unicode tables,
        // about 60 KiB of the page's download; the worker is built without them (so is every
        // build, by this check, whatever features a native build happens to unify).
        if unicode_class(pattern) {
            return Err(super::said(
                "정규식의 유니코드 속성 클래스(\\p{…}, \\P{…})는 아직 지원하지 않습니다. 한글은 [가-힣]처럼 범위로 쓰세요",
                "Unicode property classes in a regular expression (\\p{…}, \\P{…}) are not supported yet; write a range such as [가-힣] for Hangul",
            ));
        }
        let mut b = regex::RegexBuilder::new(pattern);
        b.case_insensitive(true).size_limit(1 << 20);
        if let Some(t) = match_type {
            for c in text(t).chars() {
                match c {
                    'c' => b.case_insensitive(false),
                    'i' => b.case_insensitive(true),
                    'm' => b.multi_line(true),
                    'n' => b.dot_matches_new_line(true),
                    'u' => &mut b,
                    other => {
                        return Err(super::said(
                            format!("알 수 없는 일치 방식 '{other}' (c, i, m, n 중에서)"),
                            format!("unknown match type '{other}' (c, i, m or n)"),
                        ))
                    }
                };
            }
        }
        // regex's message draws the pattern over lines; its last line says what is wrong.
        b.build().map_err(|e| {
            let e = e.to_string();
            let what = e
                .lines()
                .last()
                .unwrap_or(&e)
                .trim()
                .trim_start_matches("error: ");
            super::said(
                format!("정규식이 올바르지 않습니다: {what}"),
                format!("not a valid regular expression: {what}"),
            )
        })
    }

    /// The byte offset of the 1-based character position `pos` (`None` past the end).
    fn from_position(s: &str, pos: i64) -> Option<usize> {
        if pos < 1 {
            return None;
        }
        let pos = pos as usize - 1;
        if pos == s.chars().count() {
            return Some(s.len());
        }
        s.char_indices().nth(pos).map(|(i, _)| i)
    }

    fn arg_i64(args: &[Value], i: usize, default: i64) -> Result<i64, String> {
        args.get(i).map_or(Ok(default), integer)
    }

    pub(super) fn like(args: &[Value]) -> Answer {
        let re = compile(&text(&args[1]), args.get(2))?;
        Ok(boolean(re.is_match(&text(&args[0]))))
    }

    pub(super) fn replace(args: &[Value]) -> Answer {
        let s = text(&args[0]);
        let re = compile(&text(&args[1]), args.get(5))?;
        let replacement = text(&args[2]);
        let pos = arg_i64(args, 3, 1)?;
        let occurrence = arg_i64(args, 4, 0)?;
        let Some(start) = from_position(&s, pos) else {
            return Err(super::said(
                format!("위치 {pos}가 문자열 밖입니다"),
                format!("position {pos} is outside the string"),
            ));
        };
        let (head, tail) = s.split_at(start);
        let replaced = if occurrence <= 0 {
            re.replace_all(tail, regex::NoExpand(&replacement))
                .into_owned()
        } else {
            match re.find_iter(tail).nth(occurrence as usize - 1) {
                Some(m) => format!("{}{}{}", &tail[..m.start()], replacement, &tail[m.end()..]),
                None => tail.to_owned(),
            }
        };
        Ok(Value::Str(format!("{head}{replaced}")))
    }

    pub(super) fn substr(args: &[Value]) -> Answer {
        let s = text(&args[0]);
        let re = compile(&text(&args[1]), args.get(4))?;
        let pos = arg_i64(args, 2, 1)?;
        let occurrence = arg_i64(args, 3, 1)?.max(1);
        let Some(start) = from_position(&s, pos) else {
            return Err(super::said(
                format!("위치 {pos}가 문자열 밖입니다"),
                format!("position {pos} is outside the string"),
            ));
        };
        let found = re
            .find_iter(&s[start..])
            .nth(occurrence as usize - 1)
            .map_or(Value::Null, |m| Value::Str(m.as_str().to_owned()));
        Ok(found)
    }

    pub(super) fn instr(args: &[Value]) -> Answer {
        let s = text(&args[0]);
        let re = compile(&text(&args[1]), args.get(5))?;
        let pos = arg_i64(args, 2, 1)?;
        let occurrence = arg_i64(args, 3, 1)?.max(1);
        let after = arg_i64(args, 4, 0)? == 1;
        let Some(start) = from_position(&s, pos) else {
            return Err(super::said(
                format!("위치 {pos}가 문자열 밖입니다"),
                format!("position {pos} is outside the string"),
            ));
        };
        let place = match re.find_iter(&s[start..]).nth(occurrence as usize - 1) {
            Some(m) => {
                let byte = start + if after { m.end() } else { m.start() };
                s[..byte].chars().count() as i64 + 1
            }
            None => 0,
        };
        Ok(int(place))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.to_owned())
    }

    fn run(name: &str, args: &[Value]) -> Value {
        call(name, args).expect("known").expect("no error")
    }

    #[test]
    fn numbers_and_text_as_mysql_answers() {
        assert_eq!(run("CONV", &[s("ff"), int(16), int(10)]), s("255"));
        assert_eq!(run("CONV", &[s("-17"), int(10), int(-16)]), s("-11"));
        assert_eq!(run("BIN", &[int(5)]), s("101"));
        assert_eq!(run("CRC32", &[s("MySQL")]), int(3_259_397_556));
        assert_eq!(
            run("MYSQL_FORMAT", &[Value::F64(1_234_567.891), int(2)]),
            s("1,234,567.89")
        );
        assert_eq!(
            run("MYSQL_FORMAT", &[Value::F64(-0.005), int(2)]),
            s("-0.01")
        );
        assert_eq!(
            run("SUBSTRING_INDEX", &[s("www.mysql.com"), s("."), int(2)]),
            s("www.mysql")
        );
        assert_eq!(
            run("SUBSTRING_INDEX", &[s("www.mysql.com"), s("."), int(-2)]),
            s("mysql.com")
        );
        assert_eq!(run("ORD", &[s("김")]), int(0xEA_B9_80));
        assert_eq!(run("FIND_IN_SET", &[s("B"), s("a,b,c")]), int(2));
        assert_eq!(
            run("INSERT", &[s("Quadratic"), int(3), int(4), s("What")]),
            s("QuWhattic")
        );
        assert_eq!(run("SOUNDEX", &[s("Quadratically")]), s("Q36324"));
        assert_eq!(run("SOUNDEX", &[s("Hello")]), s("H400"));
        // As MariaDB answers: Hangul counts as a vowel.
        assert_eq!(run("SOUNDEX", &[s("김abc")]), s("김120"));
        assert_eq!(run("SOUNDEX", &[s("a김b")]), s("A100"));
        assert_eq!(
            run("EXPORT_SET", &[int(5), s("Y"), s("N"), s(","), int(4)]),
            s("Y,N,Y,N")
        );
        assert_eq!(run("MAKE_SET", &[int(5), s("a"), s("b"), s("c")]), s("a,c"));
        assert_eq!(run("QUOTE", &[s("Don't")]), s("'Don\\'t'"));
        assert_eq!(run("UNHEX", &[s("4D7953514C")]), s("MySQL"));
        assert_eq!(
            run("FROM_BASE64", &[run("TO_BASE64", &[s("가나다")])]),
            s("가나다")
        );
    }

    #[test]
    fn dates_as_mysql_answers() {
        let d = |t: &str| s(t);
        assert_eq!(
            run(
                "TIMESTAMPDIFF",
                &[s("MONTH"), d("2024-01-31"), d("2024-02-29")]
            ),
            int(0)
        );
        assert_eq!(
            run(
                "TIMESTAMPDIFF",
                &[s("MONTH"), d("2024-01-31"), d("2024-03-31")]
            ),
            int(2)
        );
        assert_eq!(
            run(
                "TIMESTAMPDIFF",
                &[s("DAY"), d("2024-03-01"), d("2024-03-05")]
            ),
            int(4)
        );
        assert_eq!(
            run("TIMEDIFF", &[d("09:00:00"), d("10:30:15")]),
            s("-01:30:15")
        );
        assert_eq!(run("TO_DAYS", &[d("2024-03-05")]), int(739_315));
        assert_eq!(
            run("FROM_DAYS", &[int(739_315)]),
            Value::Date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
        );
        assert_eq!(run("WEEK", &[d("2024-03-05")]), int(9));
        assert_eq!(run("WEEK", &[d("2024-01-01"), int(0)]), int(0));
        assert_eq!(run("WEEK", &[d("2024-01-01"), int(1)]), int(1));
        assert_eq!(run("WEEK", &[d("2021-01-03"), int(3)]), int(53));
        assert_eq!(
            run("STR_TO_DATE", &[s("05/03/2024"), s("%d/%m/%Y")]),
            Value::Date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
        );
        assert_eq!(run("STR_TO_DATE", &[s("nope"), s("%d/%m/%Y")]), Value::Null);
        assert_eq!(
            run("TIME_FORMAT", &[s("14:05:09"), s("%h:%i %p")]),
            s("02:05 PM")
        );
        assert_eq!(run("UNIX_TIMESTAMP", &[s("1970-01-01 09:00:01")]), int(1));
    }

    #[test]
    fn json_as_mysql_writes_it() {
        assert_eq!(
            run("JSON_OBJECT", &[s("name"), s("김"), s("id"), int(1)]),
            s("{\"id\": 1, \"name\": \"김\"}")
        );
        assert_eq!(
            run("JSON_ARRAY", &[int(1), s("a"), Value::Null]),
            s("[1, \"a\", null]")
        );
        assert_eq!(
            run(
                "JSON_EXTRACT",
                &[s("{\"a\": {\"b\": [10, 20]}}"), s("$.a.b[1]")]
            ),
            // A JSON number stays a number (`doc -> '$.n' + 1`).
            int(20)
        );
        assert_eq!(
            run("JSON_EXTRACT", &[s("{\"a\": \"x\"}"), s("$.a")]),
            s("\"x\"")
        );
        assert_eq!(run("JSON_UNQUOTE", &[s("\"x\"")]), s("x"));
        assert_eq!(
            run("JSON_LENGTH", &[s("{\"a\": 1, \"b\": [1, 2]}")]),
            int(2)
        );
        assert_eq!(
            run("JSON_KEYS", &[s("{\"bb\": 1, \"a\": 2}")]),
            s("[\"a\", \"bb\"]")
        );
        assert_eq!(
            run("JSON_CONTAINS", &[s("[1, 2, {\"a\": 3}]"), s("{\"a\": 3}")]),
            int(1)
        );
        assert!(call("JSON_EXTRACT", &[s("{"), s("$")])
            .expect("known")
            .is_err());
    }

    #[test]
    fn regular_expressions_ignore_case_unless_told() {
        assert_eq!(run("REGEXP_LIKE", &[s("Hello"), s("^h")]), int(1));
        assert_eq!(run("REGEXP_LIKE", &[s("Hello"), s("^h"), s("c")]), int(0));
        assert_eq!(
            run("REGEXP_REPLACE", &[s("a1b22c"), s("[0-9]+"), s("#")]),
            s("a#b#c")
        );
        assert_eq!(
            run(
                "REGEXP_SUBSTR",
                &[s("abc123def45"), s("[0-9]+"), int(1), int(2)]
            ),
            s("45")
        );
        assert_eq!(run("REGEXP_INSTR", &[s("김철수 010"), s("[0-9]")]), int(5));
    }

    #[test]
    fn extreme_arguments_give_null_or_an_error_never_a_panic() {
        for v in [
            Value::F64(f64::NAN),
            Value::F64(f64::INFINITY),
            Value::F64(-1e300),
            int(i64::MIN),
            int(i64::MAX),
            s(""),
            s("-"),
            s(".."),
        ] {
            for name in [
                "CONV",
                "MYSQL_FORMAT",
                "MAKEDATE",
                "FROM_UNIXTIME",
                "FROM_DAYS",
                "BIN",
                "EXPORT_SET",
                "MAKE_SET",
                "INSERT",
                "SUBSTRING_INDEX",
                "WEEK",
                "REGEXP_SUBSTR",
                "TIMESTAMPDIFF",
                "STR_TO_DATE",
                "JSON_EXTRACT",
            ] {
                for n in 1..=5 {
                    let args = vec![v.clone(); n];
                    let _ = call(name, &args);
                }
            }
        }
    }

    #[test]
    fn unknown_names_fall_through() {
        assert!(call("NO_SUCH_FUNCTION", &[]).is_none());
        assert!(call("CONV", &[s("1")]).is_none());
    }
}
