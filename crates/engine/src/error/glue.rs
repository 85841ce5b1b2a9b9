//! GlueSQL's failures said again for the learner: each kind a learner can reach becomes a whole
//! Korean and English sentence (with MySQL's error number where MySQL has one) about the word
//! of the statement it concerns; a kind not listed here still gets a sentence in both languages
//! naming what went wrong, with the engine's own words kept after it.

use super::{explained, not_a_condition, Explanation, SqlError};
use gluesql_core::data::Value;
use gluesql_core::error::Error as G;
use sqlnori_model::korean::{eul, eun, euro, i};
use sqlnori_model::Localized;

/// A value as a learner wrote it: text quoted, the rest as MySQL prints it.
fn shown(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("'{s}'"),
        Value::Null => "NULL".to_owned(),
        Value::Bool(true) => "TRUE".to_owned(),
        Value::Bool(false) => "FALSE".to_owned(),
        other => String::from(other),
    }
}

/// MySQL's 1690 for `lhs op rhs` past its type's range, the type named as MySQL names it (the
/// arithmetic is DECIMAL's when a decimal takes part, DOUBLE's with a float, else BIGINT's; an
/// interval, which MySQL does not multiply, is named as itself).
fn out_of_range(lhs: &Value, rhs: &Value, operator: &str) -> SqlError {
    use Value::{Decimal, Interval, F32, F64, U128, U16, U32, U64, U8};
    let kind = match (lhs, rhs) {
        (Interval(_), _) | (_, Interval(_)) => "INTERVAL",
        (Decimal(_), _) | (_, Decimal(_)) => "DECIMAL",
        (F32(_) | F64(_), _) | (_, F32(_) | F64(_)) => "DOUBLE",
        (U8(_) | U16(_) | U32(_) | U64(_) | U128(_), _) => "BIGINT UNSIGNED",
        _ => "BIGINT",
    };
    let operand = |v: &Value| match v {
        Interval(_) => format!("INTERVAL {}", shown(v)),
        _ => shown(v),
    };
    let expr = format!("{} {operator} {}", operand(lhs), operand(rhs));
    SqlError::Invalid(Localized::new(
        format!("`{expr}`의 값이 {kind} 범위를 벗어났습니다 (MySQL 오류 1690)"),
        format!("{kind} value is out of range in '{expr}' (MySQL error 1690)"),
    ))
}

/// A GlueSQL type by its MySQL name (the type display GlueSQL uses differs: `TEXT`, `INT`).
fn type_shown(t: &gluesql_core::ast::DataType) -> &'static str {
    crate::convert::type_name(t)
}

fn arguments(name: &str, expected: Localized, found: usize) -> SqlError {
    explained(
        "arguments",
        Localized::new(
            format!(
                "{} 인자를 {} 받는데 {found}개를 넣었습니다 (MySQL 오류 1582).",
                eun(name),
                expected.ko
            ),
            format!(
                "{name} takes {} argument(s) but was given {found} (MySQL error 1582).",
                expected.en
            ),
        ),
        Some(name.to_owned()),
        Some(Localized::new(
            "함수 목록(예제 메뉴의 함수 찾아보기)에서 쓰는 법을 볼 수 있습니다",
            "the function list (the examples menu's function finder) shows how it is called",
        )),
    )
}

fn at_least(n: usize) -> Localized {
    Localized::new(format!("{n}개 이상"), format!("{n} or more"))
}

fn wrong_count(f: &sqlnori_model::catalog::Function) -> SqlError {
    let (min, max) = f.args;
    let (ko, en) = if min == max {
        (format!("{min}개"), format!("{min}"))
    } else if max == sqlnori_model::catalog::MANY {
        (format!("{min}개 이상"), format!("{min} or more"))
    } else {
        (format!("{min}~{max}개"), format!("{min} to {max}"))
    };
    explained(
        "arguments",
        Localized::new(
            format!(
                "{} 인자를 {ko} 받습니다: 넣은 인자의 개수가 맞지 않습니다 (MySQL 오류 1582). 쓰는 법: {}",
                eun(f.name),
                f.signature
            ),
            format!(
                "{} takes {en} argument(s); the call gives another number (MySQL error 1582). Usage: {}",
                f.name, f.signature
            ),
        ),
        Some(f.name.to_owned()),
        None,
    )
}

fn not_convertible(value: &str, to: &str) -> SqlError {
    explained(
        "types",
        Localized::new(
            format!(
                "{} {} 바꿀 수 없습니다 (값의 종류가 맞지 않습니다).",
                eul(value),
                euro(to)
            ),
            format!("{value} cannot be turned into {to} (the kinds of value do not match)."),
        ),
        Some(value.trim_matches('\'').to_owned()),
        Some(Localized::new(
            "열의 형식은 DESCRIBE 표이름;으로 볼 수 있고, 값은 CAST(x AS CHAR)처럼 바꿀 수 있습니다",
            "DESCRIBE the table to see its columns' types; convert a value with CAST(x AS CHAR) and the like",
        )),
    )
}

/// MySQL's 1264: a number stored in a column whose type cannot hold it (`300` in a TINYINT,
/// `-3` in an INT UNSIGNED, `12345.6` in a DECIMAL(5,2)), with the column and the row when
/// GlueSQL's store knew them.
fn number_out_of_range(value: &str, kind: &str, column: Option<(String, usize)>) -> SqlError {
    let (ko, en) = match &column {
        Some((column, row)) => (
            format!(
                "{row}번째 행의 값 {} 열 `{column}`({kind})의 범위를 벗어납니다 (MySQL 오류 1264).",
                eun(value)
            ),
            format!(
                "Out of range value for column '{column}' at row {row}: {value} does not fit {kind} (MySQL error 1264)."
            ),
        ),
        None => (
            format!("값 {} {kind}의 범위를 벗어납니다 (MySQL 오류 1264).", eun(value)),
            format!("Out of range value: {value} does not fit {kind} (MySQL error 1264)."),
        ),
    };
    let column = column.map_or_else(|| "…".to_owned(), |(c, _)| c);
    explained(
        "bad_value",
        Localized::new(ko, en),
        Some(value.to_owned()),
        Some(Localized::new(
            format!("DESCRIBE로 열의 형식을 보고, 더 넓은 형식이 필요하면 ALTER TABLE … MODIFY {column} BIGINT(또는 DECIMAL(p,s))처럼 바꾸세요"),
            format!("DESCRIBE shows the column's type; for a wider one, ALTER TABLE … MODIFY {column} BIGINT (or DECIMAL(p,s))"),
        )),
    )
}

fn text_only(operator: &str, left: &str, right: &str) -> SqlError {
    explained(
        "types",
        Localized::new(
            format!(
                "`{left} {operator} {right}`: {} 문자열끼리만 씁니다.",
                eun(operator)
            ),
            format!("`{left} {operator} {right}`: {operator} compares text with text."),
        ),
        Some(operator.to_owned()),
        Some(Localized::new(
            "숫자라면 CAST(x AS CHAR)로 문자열로 바꾸거나 =, <, BETWEEN으로 비교하세요",
            "for a number, convert it with CAST(x AS CHAR) or compare with =, < or BETWEEN",
        )),
    )
}

/// A kind of failure not said above: a sentence in both languages about what part failed,
/// the engine's words after it.
fn in_general(e: &G) -> SqlError {
    let (ko, en) = match e {
        G::Translate(_) => (
            "이 SQL의 일부를 실행할 형태로 바꿀 수 없습니다",
            "part of this SQL cannot be turned into something to run",
        ),
        G::Evaluate(_) => (
            "식의 값을 계산할 수 없습니다",
            "an expression cannot be evaluated",
        ),
        G::Value(_) => (
            "값을 이 연산이나 형식에 쓸 수 없습니다",
            "a value cannot be used with this operation or type",
        ),
        G::Alter(_) => (
            "표나 열의 정의를 바꿀 수 없습니다",
            "the table or column definition cannot be changed",
        ),
        G::Insert(_) | G::Update(_) | G::Validate(_) => (
            "이 값들은 표의 규칙에 맞지 않아 쓸 수 없습니다",
            "these values break a rule of the table and cannot be written",
        ),
        _ => ("이 문장을 실행할 수 없습니다", "this statement cannot run"),
    };
    let detail = e.to_string();
    explained(
        "engine",
        Localized::new(
            format!("{ko} (엔진의 설명: {detail})."),
            format!("{} ({detail}).", capitalised(en)),
        ),
        None,
        None,
    )
}

fn order_by_index(n: &str) -> SqlError {
    explained(
        "unknown_column",
        Localized::new(
            format!("ORDER BY {n}: SELECT 목록에 {n}번째 열이 없습니다 (MySQL 오류 1054)."),
            format!(
                "Unknown column '{n}' in 'order clause': the SELECT list has no column {n} (MySQL error 1054)."
            ),
        ),
        Some(n.to_owned()),
        None,
    )
}

fn division_by_zero() -> SqlError {
    explained(
        "division_by_zero",
        Localized::new(
            "0으로 나눌 수 없습니다 (MySQL 오류 1365).",
            "Division by 0 (MySQL error 1365).",
        ),
        None,
        Some(Localized::new(
            "나누는 값이 0일 수 있으면 NULLIF(x, 0)으로 나누세요",
            "if the divisor may be 0, divide by NULLIF(x, 0)",
        )),
    )
}

/// A storage name without its database (`student_db2.dept` → `dept`).
fn short(name: &str) -> &str {
    name.split_once('.').map_or(name, |(_, t)| t)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl SqlError {
    /// GlueSQL's errors as the learner should read them: names that do not exist, features
    /// not supported (with the nearest supported form), broken keys and rules, values of the
    /// wrong kind; the rest in general words with the engine's after them.
    pub(crate) fn from_glue(e: G) -> SqlError {
        use gluesql_core::data::ValueError as VE;
        use gluesql_core::error::{PlannerError, TranslateError as T};
        use gluesql_core::executor::{
            EvaluateError as E, FetchError, QueryError, ValidateError as V,
        };
        match e {
            // Every "no such table" of the engine's modules is MySQL's 1146.
            G::Fetch(FetchError::TableNotFound(name))
            | G::Execute(gluesql_core::executor::ExecuteError::TableNotFound(name))
            | G::AlterTable(gluesql_core::store::AlterTableError::TableNotFound(name)) => SqlError::NotFound {
                what: "table",
                name: if name.starts_with("__") {
                    name.split_once('_')
                        .map_or(name.clone(), |(_, n)| n.to_owned())
                } else {
                    name
                },
            },
            G::Evaluate(E::IdentifierNotFound(name)) => SqlError::NotFound {
                what: "column",
                name,
            },
            G::Evaluate(E::CompoundIdentifierNotFound {
                table_alias,
                column_name,
            }) => SqlError::NotFound {
                what: "column",
                name: format!("{table_alias}.{column_name}"),
            },
            // A built-in of builtins.rs refused its arguments (a bad JSON text, a bad regular
            // expression, an unknown unit): said with the function's name.
            G::Evaluate(E::HostFunction { name, message }) => {
                let (ko, en) = message
                    .split_once(crate::builtins::HOST_ERROR_SEPARATOR)
                    .unwrap_or((&message, &message));
                SqlError::Invalid(Localized::new(format!("{name}: {ko}"), format!("{name}: {en}")))
            }
            // `SHOW something` that is none of the SHOW statements sqlnori answers.
            G::Translate(
                T::UnsupportedShowVariableKeyword(what) | T::UnsupportedShowVariableStatement(what),
            ) => SqlError::Unsupported {
                feature: Localized::new(
                    format!("SHOW 문 ({})", what.trim()),
                    format!("this SHOW statement ({})", what.trim()),
                ),
                hint: Some(Localized::new(
                    "쓸 수 있는 SHOW: SHOW DATABASES, SHOW TABLES, SHOW COLUMNS FROM 표, SHOW INDEX FROM 표, SHOW CREATE TABLE 표, SHOW WARNINGS, SHOW ERRORS, SHOW GRANTS",
                    "the SHOW statements sqlnori answers: SHOW DATABASES, SHOW TABLES, SHOW COLUMNS FROM table, SHOW INDEX FROM table, SHOW CREATE TABLE table, SHOW WARNINGS, SHOW ERRORS, SHOW GRANTS",
                )),
            },
            G::Evaluate(E::UnsupportedFunction(name)) => {
                match sqlnori_model::catalog::lookup(&name) {
                    // A function sqlnori has, called with a number of arguments it does not
                    // take (the dialect layer leaves such a call to GlueSQL, which lacks it).
                    Some(f) => wrong_count(f),
                    // The nearest name when there is one (`WEEKOFYAER`), else every family.
                    None => SqlError::Unsupported {
                        feature: Localized::new(format!("함수 {name}"), format!("function {name}")),
                        hint: Some(
                            crate::nearest(
                                &name,
                                sqlnori_model::catalog::FUNCTIONS.iter().map(|f| f.name),
                            )
                            .map_or_else(sqlnori_model::catalog::summary, |n| {
                                Localized::new(format!("혹시 {n}?"), format!("did you mean {n}?"))
                            }),
                        ),
                    },
                }
            }
            G::Translate(T::FunctionArgsLengthNotMatching {
                name,
                expected,
                found,
            }) => arguments(
                &name,
                Localized::new(format!("{expected}개"), expected.to_string()),
                found,
            ),
            G::Translate(T::FunctionArgsLengthNotMatchingMin {
                name,
                expected_minimum,
                found,
            }) => arguments(&name, at_least(expected_minimum), found),
            G::Translate(T::FunctionArgsLengthNotWithinRange {
                name,
                expected_minimum,
                expected_maximum,
                found,
            }) => arguments(
                &name,
                Localized::new(
                    format!("{expected_minimum}~{expected_maximum}개"),
                    format!("{expected_minimum} to {expected_maximum}"),
                ),
                found,
            ),
            G::Evaluate(E::FunctionRequiresMoreArguments {
                function_name,
                required_minimum,
                found,
            }) => arguments(&function_name, at_least(required_minimum), found),
            // An ANY/ALL the layer could not turn into EXISTS tests (`dialect/quantified.rs`).
            G::Translate(T::UnsupportedExpr(e))
                if [" ALL(", " ANY(", " SOME("].iter().any(|q| e.contains(q)) =>
            {
                SqlError::Unsupported {
                    feature: Localized::new(
                        "집계나 서브쿼리를 왼쪽에 둔 ANY/ALL, 또는 LIMIT가 있는 ANY/ALL 서브쿼리",
                        "ANY/ALL with an aggregate or a subquery on its left, or with a LIMIT in its subquery",
                    ),
                    hint: Some(Localized::new(
                        "최댓값·최솟값과 비교하세요: x > ALL (SELECT v …)는 x > (SELECT MAX(v) …), 또는 EXISTS로 쓰세요",
                        "compare with the largest or smallest value: x > ALL (SELECT v …) is x > (SELECT MAX(v) …); or write it with EXISTS",
                    )),
                }
            }
            G::Translate(
                t @ (T::UnsupportedStatement(_)
                | T::UnsupportedExpr(_)
                | T::UnsupportedDataType(_)
                | T::UnsupportedQuerySetExpr(_)
                | T::UnsupportedJoinOperator(_)
                | T::UnsupportedAlterTableOperation(_)
                | T::UnsupportedQueryTableFactor(_)
                | T::UnsupportedBinaryOperator(_)
                | T::UnsupportedDateTimeField(_)
                | T::UnsupportedLiteral(_)
                | T::UnsupportedCastFormat(_)),
            ) => {
                let what = t.to_string();
                let what = what.split_once(": ").map_or(what.as_str(), |(_, w)| w);
                // A statement is named by its first words: the rest of it is the layer's
                // rewrite (tables under their storage names), not what the learner wrote.
                let what = match &t {
                    T::UnsupportedStatement(_) => {
                        what.split_whitespace().take(2).collect::<Vec<_>>().join(" ") + " …"
                    }
                    _ => what.to_owned(),
                };
                SqlError::Unsupported {
                    feature: Localized::new(format!("`{what}`"), format!("`{what}`")),
                    hint: Some(Localized::new(
                        "지원하는 MySQL 문법 목록은 예제 메뉴와 README에 있습니다",
                        "the examples menu and the README list the MySQL that sqlnori runs",
                    )),
                }
            }
            G::Evaluate(E::BooleanTypeRequired(value)) => not_a_condition(&value),
            G::Evaluate(E::NumberCastFailed {
                literal,
                data_type: gluesql_core::ast::DataType::Boolean,
            }) => {
                not_a_condition(&literal)
            }
            G::Evaluate(E::FunctionRequiresUSizeValue(name)) => SqlError::Invalid(Localized::new(
                format!("{name}: 길이는 0 이상이어야 하고 결과는 1 GiB를 넘을 수 없습니다"),
                format!("{name}: the length must be zero or more and the result at most 1 GiB"),
            )),
            G::Value(v)
                if matches!(
                    *v,
                    VE::UnreachableIntegerOverflow(_) | VE::BinaryOperationOverflow { .. }
                ) =>
            {
                match *v {
                    VE::BinaryOperationOverflow { lhs, rhs, operator } => {
                        out_of_range(&lhs, &rhs, &operator.to_string())
                    }
                    v => SqlError::Invalid(Localized::new(
                        format!("정수 범위(BIGINT)를 벗어났습니다 (MySQL 오류 1690): {v}"),
                        format!("BIGINT value is out of range (MySQL error 1690): {v}"),
                    )),
                }
            }
            G::Validate(V::DuplicateEntryOnPrimaryKeyField(key)) => {
                use gluesql_core::data::Key;
                super::duplicate_key(&match key {
                    Key::I64(n) => n.to_string(),
                    Key::I32(n) => n.to_string(),
                    Key::Str(s) => format!("'{s}'"),
                    other => format!("{other:?}"),
                })
            }
            G::Planner(PlannerError::ColumnReferenceAmbiguous(name)) => {
                let korean = i(&format!("열 `{name}`"));
                SqlError::Explained(Box::new(Explanation {
                    code: "ambiguous",
                    message: Localized::new(
                        format!("{korean} 여러 표에 있어 어느 것인지 알 수 없습니다 (MySQL 오류 1052)."),
                        format!("Column `{name}` is in more than one table, so which one is meant is ambiguous (MySQL error 1052)."),
                    ),
                    subject: Some(name.clone()),
                    hint: Some(Localized::new(
                        format!("`s.{name}`처럼 표 이름이나 별칭을 붙이세요"),
                        format!("name its table or alias, as in `s.{name}`"),
                    )),
                }))
            }
            G::Insert(gluesql_core::error::InsertError::LackOfRequiredColumn(column)) => {
                let korean = eun(&format!("NOT NULL 열 `{column}`"));
                explained(
                    "no_default",
                    Localized::new(
                        format!("{korean} 기본값이 없어 값을 꼭 넣어야 합니다 (MySQL 오류 1364)."),
                        format!("Field `{column}` is NOT NULL and has no default value: give it a value (MySQL error 1364)."),
                    ),
                    // The column is missing from the statement: point at the values it lacks.
                    Some("VALUES".to_owned()),
                    Some(Localized::new(
                        format!(
                            "열 목록에 {} 넣고 VALUES에 그 값을 적으세요",
                            eul(&format!("`{column}`"))
                        ),
                        format!("add `{column}` to the column list and its value to VALUES"),
                    )),
                )
            }
            G::Evaluate(E::UnsupportedBinaryOperation { left, op, right }) => {
                let op = gluesql_core::ast::ToSql::to_sql(&op);
                explained(
                    "types",
                    Localized::new(
                        format!("`{left} {op} {right}`: 이 두 값은 이 연산자로 계산할 수 없습니다 (날짜와 숫자처럼 종류가 다릅니다)."),
                        format!("`{left} {op} {right}`: these two values cannot be combined with this operator (they are of different kinds, such as a date and a number)."),
                    ),
                    None,
                    Some(Localized::new(
                        "CAST(x AS SIGNED)나 CAST(x AS DATE)처럼 한쪽을 바꾸거나, 날짜에는 INTERVAL을 쓰세요 (d + INTERVAL 1 DAY)",
                        "convert one side, as in CAST(x AS SIGNED) or CAST(x AS DATE), or move a date with INTERVAL (d + INTERVAL 1 DAY)",
                    )),
                )
            }
            G::Evaluate(
                E::TextParseFailed { literal, data_type }
                | E::TextCastFailed { literal, data_type },
            ) => explained(
                "bad_value",
                Localized::new(
                    format!(
                        "{} {data_type} 값으로 읽을 수 없습니다 (MySQL 오류 1366).",
                        eul(&format!("'{literal}'"))
                    ),
                    format!("Incorrect {data_type} value: '{literal}' (MySQL error 1366)."),
                ),
                Some(literal),
                None,
            ),
            G::Evaluate(
                E::NumberParseFailed { literal, data_type }
                | E::NumberCastFailed { literal, data_type },
            ) => not_convertible(&literal, type_shown(&data_type)),
            G::Value(v) if matches!(*v, VE::NullValueOnNotNullField) => explained(
                "not_null",
                Localized::new(
                    "NOT NULL 열에는 NULL을 넣을 수 없습니다 (MySQL 오류 1048).",
                    "A NOT NULL column cannot be NULL (MySQL error 1048).",
                ),
                Some("NULL".to_owned()),
                Some(Localized::new(
                    "DESCRIBE 표이름;으로 어느 열이 NOT NULL인지 볼 수 있습니다",
                    "DESCRIBE the table to see which columns are NOT NULL",
                )),
            ),
            G::Value(v) => match *v {
                VE::NumberOutOfRange {
                    value,
                    data_type,
                    declared,
                    column,
                } => number_out_of_range(
                    &value,
                    declared.as_deref().unwrap_or(type_shown(&data_type)),
                    column,
                ),
                VE::ConvertFailed {
                    value,
                    data_type: gluesql_core::ast::DataType::Boolean,
                } => {
                    not_a_condition(&shown(&value))
                }
                VE::ConvertFailed { value, data_type }
                | VE::IncompatibleDataType { value, data_type }
                | VE::UnimplementedCast { value, data_type } => {
                    not_convertible(&shown(&value), type_shown(&data_type))
                }
                VE::LikeOnNonString {
                    base,
                    pattern,
                    case_sensitive,
                } => text_only(
                    if case_sensitive { "LIKE" } else { "ILIKE" },
                    &shown(&base),
                    &shown(&pattern),
                ),
                VE::RegexOnNonString {
                    base,
                    pattern,
                    operator,
                } => text_only(&operator.to_string(), &shown(&base), &shown(&pattern)),
                VE::NonNumericMathOperation { .. }
                | VE::SqrtOnNonNumeric(_)
                | VE::UnaryPlusOnNonNumeric
                | VE::UnaryMinusOnNonNumeric => explained(
                    "types",
                    Localized::new(
                        "숫자가 아닌 값으로 계산하려 했습니다 (날짜와 숫자처럼 종류가 다릅니다).",
                        "A value that is not a number was used in arithmetic (the kinds differ, such as a date and a number).",
                    ),
                    None,
                    Some(Localized::new(
                        "CAST(x AS SIGNED)처럼 숫자로 바꾸거나, 날짜에는 INTERVAL을 쓰세요 (d + INTERVAL 1 DAY)",
                        "convert it, as in CAST(x AS SIGNED), or move a date with INTERVAL (d + INTERVAL 1 DAY)",
                    )),
                ),
                VE::NonStringParameterInPosition { .. } | VE::NonStringParameterInFindIdx { .. } => {
                    explained(
                        "types",
                        Localized::new(
                            "LOCATE/POSITION/INSTR은 문자열 안에서 문자열을 찾습니다: 두 값 모두 문자열이어야 합니다.",
                            "LOCATE, POSITION and INSTR look for text in text: both values must be text.",
                        ),
                        None,
                        Some(Localized::new(
                            "숫자라면 CAST(x AS CHAR)로 바꾸세요",
                            "convert a number with CAST(x AS CHAR)",
                        )),
                    )
                }
                VE::DivisorShouldNotBeZero => division_by_zero(),
                VE::FloatToDecimalConversionFailure(f) => explained(
                    "bad_value",
                    Localized::new(
                        format!("{f}는 DECIMAL로 나타낼 수 없는 수입니다."),
                        format!("{f} cannot be represented as a DECIMAL."),
                    ),
                    None,
                    None,
                ),
                VE::ExtractFormatNotMatched { .. } => explained(
                "types",
                Localized::new(
                    "날짜가 아닌 값에서 연, 월, 일을 꺼낼 수 없습니다.",
                    "A year, month or day cannot be taken out of a value that is not a date.",
                ),
                None,
                Some(Localized::new(
                    "'2024-03-05'나 '2024-03-05 10:20:30' 같은 값을 쓰세요",
                    "use a value such as '2024-03-05' or '2024-03-05 10:20:30'",
                )),
            ),
                other => in_general(&G::Value(Box::new(other))),
            },
            G::Evaluate(E::FunctionRequiresFloatValue(name))
            | G::Evaluate(E::FunctionRequiresFloatOrIntegerValue(name))
            | G::Evaluate(E::FunctionRequiresIntegerValue(name)) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 숫자를 넣어야 합니다."),
                    format!("{name} takes a number."),
                ),
                Some(name),
                None,
            ),
            G::Evaluate(E::FunctionRequiresDateOrDateTimeValue(name)) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 날짜나 날짜시간을 넣어야 합니다."),
                    format!("{name} takes a date or a datetime."),
                ),
                Some(name),
                Some(Localized::new(
                    "'2024-03-05'나 '2024-03-05 10:20:30' 같은 값을 쓰세요",
                    "use a value such as '2024-03-05' or '2024-03-05 10:20:30'",
                )),
            ),
            G::Evaluate(E::FunctionRequiresStringValue(name)) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 문자열을 넣어야 합니다."),
                    format!("{name} takes text."),
                ),
                Some(name.clone()),
                Some(Localized::new(
                    format!("{name}(CAST(x AS CHAR))처럼 문자열로 바꾸세요"),
                    format!("convert it, as in {name}(CAST(x AS CHAR))"),
                )),
            ),
            G::Evaluate(E::LikeOnNonStringLiteral {
                base,
                pattern,
                case_sensitive,
            }) => text_only(
                if case_sensitive { "LIKE" } else { "ILIKE" },
                &base.to_string(),
                &pattern.to_string(),
            ),
            G::Evaluate(E::UnsupportedExprForFormatFunction(spec)) => explained(
                "bad_value",
                Localized::new(
                    format!(
                        "날짜 형식 {} 쓸 수 없습니다.",
                        eul(&format!("`{spec}`"))
                    ),
                    format!("The date format `{spec}` cannot be used."),
                ),
                Some("DATE_FORMAT".to_owned()),
                Some(Localized::new(
                    "%Y(연), %m(월), %d(일), %H(시), %i(분), %s(초) 등을 쓰세요",
                    "use %Y (year), %m (month), %d (day), %H (hour), %i (minutes), %s (seconds) and the like",
                )),
            ),
            G::Evaluate(E::UnplannedAggregate(_) | E::AggregateSlotValueMissing(_)) => explained(
                "group_function",
                Localized::new(
                    "집계 함수(COUNT, SUM, AVG …)를 쓸 수 없는 곳에 썼습니다: WHERE 대신 HAVING에 쓰세요 (MySQL 오류 1111).",
                    "Invalid use of group function: an aggregate (COUNT, SUM, AVG …) cannot be used here; put it in HAVING, not WHERE (MySQL error 1111).",
                ),
                Some("WHERE".to_owned()),
                Some(Localized::new(
                    "집계 함수는 SELECT 목록, HAVING, ORDER BY에 씁니다",
                    "aggregates belong in the SELECT list, HAVING and ORDER BY",
                )),
            ),
            G::Evaluate(E::MoreThanOneRowReturned) => explained(
                "subquery_rows",
                Localized::new(
                    "값 하나가 필요한 자리의 서브쿼리가 여러 행을 돌려줬습니다 (MySQL 오류 1242).",
                    "Subquery returns more than 1 row where one value is needed (MySQL error 1242).",
                ),
                None,
                Some(Localized::new(
                    "여러 값과 비교하려면 = 대신 IN을 쓰거나, 서브쿼리에 LIMIT 1이나 집계 함수를 쓰세요",
                    "to compare with several values use IN instead of =, or give the subquery LIMIT 1 or an aggregate",
                )),
            ),
            G::Evaluate(E::MoreThanOneColumnReturned | E::InSubqueryMustReturnOneColumn) => {
                explained(
                    "subquery_columns",
                    Localized::new(
                        "서브쿼리는 열 하나만 돌려줘야 합니다 (MySQL 오류 1241).",
                        "Operand should contain 1 column: the subquery must return one column (MySQL error 1241).",
                    ),
                    None,
                    None,
                )
            }
            G::Evaluate(E::NegativeSubstrLenNotAllowed) => explained(
                "bad_value",
                Localized::new(
                    "SUBSTRING의 길이는 0 이상이어야 합니다.",
                    "SUBSTRING's length must be zero or more.",
                ),
                Some("SUBSTRING".to_owned()),
                None,
            ),
            G::Query(QueryError::OrderByColumnIndexOutOfRange(n)) => order_by_index(&n.to_string()),
            G::Query(QueryError::OrderByColumnIndexTooLarge(n)) => order_by_index(&n),
            G::Validate(V::DuplicateEntryOnUniqueField(value, column)) => {
                let value = String::from(&value);
                explained(
                    "duplicate",
                    Localized::new(
                        format!(
                            "UNIQUE 열 `{column}`에 {} 두 번 들어갈 수 없습니다 (MySQL 오류 1062).",
                            i(&format!("'{value}'"))
                        ),
                        format!("Duplicate entry '{value}' for key '{column}' (MySQL error 1062)."),
                    ),
                    Some(value.clone()),
                    None,
                )
            }
            G::Interval(_) => explained(
                "bad_value",
                Localized::new(
                    "INTERVAL의 양을 읽을 수 없습니다: INTERVAL 2 DAY처럼 정수를 쓰세요.",
                    "The INTERVAL's amount cannot be read: write a whole number, as in INTERVAL 2 DAY.",
                ),
                Some("INTERVAL".to_owned()),
                Some(Localized::new(
                    "단위는 DAY, MONTH, YEAR, HOUR, MINUTE, SECOND 중 하나입니다",
                    "the unit is one of DAY, MONTH, YEAR, HOUR, MINUTE, SECOND",
                )),
            ),
            G::Evaluate(E::UnsupportedUnaryPlus(v) | E::UnsupportedUnaryMinus(v)) => explained(
                "types",
                Localized::new(
                    format!("숫자가 아닌 값 '{v}'에는 부호(+, -)를 붙일 수 없습니다."),
                    format!("A sign (+, -) cannot go before '{v}', which is not a number."),
                ),
                Some(v.clone()),
                Some(Localized::new(
                    "CAST(x AS SIGNED)처럼 숫자로 바꾸세요",
                    "convert it, as in CAST(x AS SIGNED)",
                )),
            ),
            G::Insert(gluesql_core::error::InsertError::WrongColumnName(name)) => {
                SqlError::NotFound {
                    what: "column",
                    name,
                }
            }
            G::Evaluate(
                E::IdentifierRequiresRowContext(name)
                | E::CompoundIdentifierRequiresRowContext { ident: name, .. },
            ) => explained(
                "unknown_column",
                Localized::new(
                    format!(
                        "{} 읽을 표가 없습니다: FROM 없는 SELECT나 VALUES에는 열을 쓸 수 없습니다 (MySQL 오류 1054).",
                        eul(&format!("열 `{name}`"))
                    ),
                    format!(
                        "Unknown column '{name}': there is no table to read it from (a SELECT without FROM, or VALUES) (MySQL error 1054)."
                    ),
                ),
                Some(name),
                Some(Localized::new(
                    "SELECT … FROM 표이름처럼 열이 있는 표를 FROM에 쓰세요",
                    "name the table that has the column in FROM, as in SELECT … FROM table",
                )),
            ),
            G::Insert(gluesql_core::error::InsertError::CannotFindReferencedValue {
                table_name,
                column_name,
                referenced_value,
            })
            | G::Update(gluesql_core::error::UpdateError::CannotFindReferencedValue {
                table_name,
                column_name,
                referenced_value,
            }) => {
                let table = short(&table_name);
                explained(
                    "foreign_key",
                    Localized::new(
                        format!(
                            "`{table}`.`{column_name}`에 {referenced_value}인 행이 없어 쓸 수 없습니다: 외래 키는 있는 행만 가리킬 수 있습니다 (MySQL 오류 1452)."
                        ),
                        format!(
                            "Cannot add or update a child row: a foreign key constraint fails — no row of `{table}` has `{column_name}` = {referenced_value} (MySQL error 1452)."
                        ),
                    ),
                    Some(referenced_value),
                    Some(Localized::new(
                        format!("먼저 `{table}`에 그 행을 넣거나, 있는 값(또는 NULL)을 쓰세요"),
                        format!("insert that row into `{table}` first, or use a value it has (or NULL)"),
                    )),
                )
            }
            G::Delete(gluesql_core::executor::DeleteError::ReferencingColumnExists(column)) => {
                let (table, column) = column.rsplit_once('.').unwrap_or(("", &column));
                let table = short(table);
                explained(
                    "foreign_key",
                    Localized::new(
                        format!(
                            "`{table}`.{} 이 행을 가리키고 있어 지울 수 없습니다 (MySQL 오류 1451).",
                            i(&format!("`{column}`"))
                        ),
                        format!(
                            "Cannot delete or update a parent row: a foreign key constraint fails — `{table}`.`{column}` refers to it (MySQL error 1451)."
                        ),
                    ),
                    None,
                    Some(Localized::new(
                        format!(
                            "먼저 `{table}`에서 이 행을 가리키는 행을 지우거나 {} 바꾸세요",
                            eul(&format!("`{column}`"))
                        ),
                        format!("first delete the rows of `{table}` that refer to it, or change their `{column}`"),
                    )),
                )
            }
            // `UPDATE t SET nope = 1`: MySQL's 1054 (the hint names the nearest column).
            G::Update(gluesql_core::error::UpdateError::ColumnNotFound(name)) => SqlError::NotFound {
                what: "column",
                name,
            },
            G::Update(gluesql_core::error::UpdateError::UpdateOnPrimaryKeyNotSupported(column)) => {
                SqlError::Unsupported {
                    feature: Localized::new(
                        format!("기본 키 열 `{column}`의 값 바꾸기"),
                        format!("changing the primary key column `{column}`"),
                    ),
                    hint: Some(Localized::new(
                        "그 행을 DELETE한 뒤 새 키로 INSERT하세요",
                        "DELETE the row and INSERT it again with the new key",
                    )),
                }
            }
            G::Alter(a) => match *a {
                gluesql_core::error::AlterError::TableNotFound(name) => SqlError::NotFound {
                    what: "table",
                    name,
                },
                gluesql_core::error::AlterError::CannotDropTableWithReferencing {
                    referenced_table_name,
                    referencings,
                } => {
                    let table = short(&referenced_table_name);
                    let by: Vec<String> = referencings
                        .iter()
                        .map(|r| format!("`{}`", short(&r.table_name)))
                        .collect();
                    let by = by.join(", ");
                    explained(
                        "foreign_key",
                        Localized::new(
                            format!(
                                "{by}의 외래 키가 {} 가리키고 있어 지울 수 없습니다 (MySQL 오류 3730).",
                                eul(&format!("`{table}`"))
                            ),
                            format!("Cannot drop table '{table}' referenced by a foreign key constraint on {by} (MySQL error 3730)."),
                        ),
                        Some(table.to_owned()),
                        Some(Localized::new(
                            format!("먼저 {} 지우세요", eul(&by)),
                            format!("drop {by} first"),
                        )),
                    )
                }
                gluesql_core::error::AlterError::ReferencedTableNotFound(name) => {
                    SqlError::NotFound {
                        what: "table",
                        name: short(&name).to_owned(),
                    }
                }
                gluesql_core::error::AlterError::ReferencedColumnNotFound(name)
                | gluesql_core::error::AlterError::ReferencingColumnNotFound(name) => {
                    SqlError::NotFound {
                        what: "column",
                        name,
                    }
                }
                gluesql_core::error::AlterError::ForeignKeyDataTypeMismatch {
                    referencing_column,
                    referencing_column_type,
                    referenced_column,
                    referenced_column_type,
                } => {
                    let (a, b) = (type_shown(&referencing_column_type), type_shown(&referenced_column_type));
                    explained(
                        "foreign_key",
                        Localized::new(
                            format!("외래 키 열 `{referencing_column}`({a})과 가리키는 열 `{referenced_column}`({b})의 형식이 달라 이을 수 없습니다 (MySQL 오류 3780)."),
                            format!("Referencing column '{referencing_column}' ({a}) and referenced column '{referenced_column}' ({b}) in foreign key are incompatible (MySQL error 3780)."),
                        ),
                        Some(referencing_column),
                        Some(Localized::new("두 열을 같은 형식으로 만드세요", "give both columns the same type")),
                    )
                }
                gluesql_core::error::AlterError::ReferencingNonPKColumn {
                    referenced_table,
                    referenced_column,
                } => {
                    let table = short(&referenced_table);
                    explained(
                        "foreign_key",
                        Localized::new(
                            format!(
                                "외래 키는 기본 키를 가리켜야 하는데 `{table}`.{} 기본 키가 아닙니다 (MySQL 오류 1822).",
                                eun(&format!("`{referenced_column}`"))
                            ),
                            format!("Failed to add the foreign key constraint: `{table}`.`{referenced_column}` is not its table's primary key (MySQL error 1822)."),
                        ),
                        Some(referenced_column),
                        None,
                    )
                }
                gluesql_core::error::AlterError::TableAlreadyExists(stored) => {
                    // MySQL names the table as written, without its database.
                    let name = stored.rsplit('.').next().unwrap_or(&stored).to_owned();
                    explained(
                        "exists",
                        Localized::new(
                            format!("{} 이미 있습니다 (MySQL 오류 1050).", eun(&format!("표 `{name}`"))),
                            format!("Table '{name}' already exists (MySQL error 1050)."),
                        ),
                        Some(name.clone()),
                        Some(Localized::new(
                            "다른 이름을 쓰거나, 먼저 DROP TABLE로 지우세요",
                            "choose another name, or DROP TABLE the old one first",
                        )),
                    )
                }
                gluesql_core::error::AlterError::DuplicateColumnName(name) => explained(
                    "exists",
                    Localized::new(
                        format!("{} 두 번 나옵니다 (MySQL 오류 1060).", i(&format!("열 이름 `{name}`"))),
                        format!("Duplicate column name '{name}' (MySQL error 1060)."),
                    ),
                    Some(name),
                    Some(Localized::new(
                        "같은 이름의 열에 AS로 다른 이름을 붙이세요",
                        "give one of the columns another name with AS",
                    )),
                ),
                other => in_general(&G::Alter(Box::new(other))),
            },
            G::Evaluate(E::EmptyArgNotAllowedInConcat) => arguments(
                "CONCAT",
                at_least(1),
                0,
            ),
            G::Translate(T::WildcardFunctionArgNotAccepted) => explained(
                "bad_value",
                Localized::new(
                    "*는 COUNT(*)에만 쓸 수 있습니다: 다른 함수에는 열 이름을 넣으세요.",
                    "* fits only COUNT(*): give other functions a column.",
                ),
                Some("*".to_owned()),
                None,
            ),
            G::Evaluate(
                E::FunctionRequiresIntegerOrStringValue(name)
                | E::FunctionRequiresStrOrListOrMapValue(name),
            ) => explained(
                "types",
                Localized::new(
                    format!("{name}에는 문자열이나 정수를 넣어야 합니다."),
                    format!("{name} takes text or a whole number."),
                ),
                Some(name),
                None,
            ),
            G::Evaluate(E::ChrFunctionRequiresIntegerValueInRange0To255) => explained(
                "bad_value",
                Localized::new(
                    "문자 코드는 0부터 255까지의 정수여야 합니다.",
                    "A character code must be a whole number from 0 to 255.",
                ),
                None,
                None,
            ),
            G::Evaluate(
                E::AsciiFunctionRequiresSingleCharacterValue | E::NonAsciiCharacterNotAllowed,
            ) => explained(
                "bad_value",
                Localized::new(
                    "ASCII에는 영문자 한 글자를 넣어야 합니다.",
                    "ASCII takes one ASCII character.",
                ),
                Some("ASCII".to_owned()),
                None,
            ),
            G::Evaluate(E::FormatParseError(_)) => explained(
                "bad_value",
                Localized::new(
                    "날짜 형식 문자열을 끝까지 읽을 수 없습니다: %Y-%m-%d처럼 % 뒤에 글자를 쓰세요.",
                    "The date format cannot be read to its end: follow each % with a letter, as in %Y-%m-%d.",
                ),
                None,
                None,
            ),
            G::Evaluate(
                E::SubqueryNotAllowedInStatelessExpr
                | E::InSubqueryNotAllowedInStatelessExpr
                | E::ExistsSubqueryNotAllowedInStatelessExpr,
            ) => SqlError::Unsupported {
                feature: Localized::new(
                    "FROM 없는 식 안의 서브쿼리",
                    "a subquery inside an expression without FROM",
                ),
                hint: Some(Localized::new(
                    "서브쿼리를 FROM이 있는 SELECT 안에 쓰세요. 예: SELECT (SELECT MAX(kor) FROM students) AS top FROM students LIMIT 1",
                    "use it inside a SELECT with FROM, as in SELECT (SELECT MAX(kor) FROM students) AS top FROM students LIMIT 1",
                )),
            },
            G::Evaluate(E::UnsupportedCustomFunction) => SqlError::Unsupported {
                feature: Localized::new(
                    "서브쿼리 안의 사용자 정의 함수",
                    "a user-defined function inside a subquery",
                ),
                hint: None,
            },
            G::Evaluate(E::DivisorShouldNotBeZero) => division_by_zero(),
            other => in_general(&other),
        }
    }
}
