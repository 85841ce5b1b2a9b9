//! The function catalogue: every built-in function sqlnori runs, with its MySQL signature,
//! its family, how many arguments it takes, and a line in Korean and English.
//!
//! This table is the single source the rest reads: the editor's autocomplete and its
//! highlighting, the engine's list of aggregates (the tracer groups by them), the hint of the
//! "function not supported" error, and the fuzzer's generated calls.

use crate::error::Localized;

/// Which family a function belongs to (also the order the hint lists them in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Aggregate,
    Text,
    Number,
    Date,
    Condition,
    Window,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Aggregate,
        Category::Text,
        Category::Number,
        Category::Date,
        Category::Condition,
        Category::Window,
    ];

    pub fn name(self) -> Localized {
        let (ko, en) = match self {
            Category::Aggregate => ("집계", "aggregates"),
            Category::Text => ("문자열", "text"),
            Category::Number => ("숫자", "numbers"),
            Category::Date => ("날짜", "dates"),
            Category::Condition => ("조건", "conditions"),
            Category::Window => ("윈도 함수", "window functions"),
        };
        Localized::new(ko, en)
    }
}

/// No upper bound on the number of arguments.
pub const MANY: u8 = u8::MAX;

/// One built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    /// The name as a learner writes it (upper case).
    pub name: &'static str,
    pub signature: &'static str,
    pub category: Category,
    /// Fewest and most arguments ([`MANY`]: any number).
    pub args: (u8, u8),
    pub ko: &'static str,
    pub en: &'static str,
}

const fn f(
    name: &'static str,
    signature: &'static str,
    category: Category,
    args: (u8, u8),
    ko: &'static str,
    en: &'static str,
) -> Function {
    Function {
        name,
        signature,
        category,
        args,
        ko,
        en,
    }
}

/// The functions sqlnori runs, as the learner writes them.
#[rustfmt::skip]
pub const FUNCTIONS: &[Function] = &[
    f("COUNT", "COUNT(expr | *)", Category::Aggregate, (1, 1),
      "행(또는 NULL이 아닌 값)의 개수",
      "number of rows (or non-NULL values)"),
    f("SUM", "SUM(expr)", Category::Aggregate, (1, 1),
      "합계",
      "sum"),
    f("AVG", "AVG(expr)", Category::Aggregate, (1, 1),
      "평균",
      "average"),
    f("MIN", "MIN(expr)", Category::Aggregate, (1, 1),
      "가장 작은 값",
      "smallest value"),
    f("MAX", "MAX(expr)", Category::Aggregate, (1, 1),
      "가장 큰 값",
      "largest value"),
    f("GROUP_CONCAT", "GROUP_CONCAT([DISTINCT] expr [ORDER BY …] [SEPARATOR ','])", Category::Aggregate, (1, MANY),
      "그룹의 값을 이어 붙인 문자열",
      "the group's values joined into one string"),
    f("CONCAT", "CONCAT(str1, str2, …)", Category::Text, (1, MANY),
      "문자열 이어 붙이기",
      "join strings"),
    f("CONCAT_WS", "CONCAT_WS(separator, str1, …)", Category::Text, (2, MANY),
      "구분자로 이어 붙이기",
      "join strings with a separator"),
    f("ELT", "ELT(n, str1, str2, …)", Category::Condition, (2, MANY),
      "n번째 문자열 (범위 밖이면 NULL)",
      "the n-th string (NULL out of range)"),
    f("IF", "IF(condition, then, else)", Category::Condition, (3, 3),
      "조건에 따라 두 값 중 하나",
      "one of two values by a condition"),
    f("IFNULL", "IFNULL(expr, fallback)", Category::Condition, (2, 2),
      "NULL이면 대신할 값",
      "a fallback for NULL"),
    f("COALESCE", "COALESCE(expr1, expr2, …)", Category::Condition, (1, MANY),
      "처음으로 NULL이 아닌 값",
      "the first non-NULL value"),
    f("NULLIF", "NULLIF(a, b)", Category::Condition, (2, 2),
      "a = b이면 NULL, 아니면 a",
      "NULL when a = b, else a"),
    f("ROUND", "ROUND(x[, digits])", Category::Number, (1, 2),
      "반올림",
      "round"),
    f("FLOOR", "FLOOR(x)", Category::Number, (1, 1),
      "내림 (정수)",
      "round down to a whole number"),
    f("CEIL", "CEIL(x)", Category::Number, (1, 1),
      "올림 (정수)",
      "round up to a whole number"),
    f("ABS", "ABS(x)", Category::Number, (1, 1),
      "절댓값",
      "absolute value"),
    f("MOD", "MOD(a, b)", Category::Number, (2, 2),
      "나머지",
      "remainder"),
    f("RAND", "RAND()", Category::Number, (0, 1),
      "0 이상 1 미만의 난수 (세션 시드)",
      "a random number in [0, 1) (session seed)"),
    f("GREATEST", "GREATEST(a, b, …)", Category::Condition, (2, MANY),
      "가장 큰 인자",
      "the largest argument"),
    f("LEAST", "LEAST(a, b, …)", Category::Condition, (2, MANY),
      "가장 작은 인자",
      "the smallest argument"),
    f("LENGTH", "LENGTH(str)", Category::Text, (1, 1),
      "바이트 수 (한글 한 글자 = 3)",
      "length in bytes (a Hangul syllable is 3)"),
    f("CHAR_LENGTH", "CHAR_LENGTH(str)", Category::Text, (1, 1),
      "글자 수",
      "length in characters"),
    f("LEFT", "LEFT(str, n)", Category::Text, (2, 2),
      "왼쪽에서 n글자",
      "the first n characters"),
    f("RIGHT", "RIGHT(str, n)", Category::Text, (2, 2),
      "오른쪽에서 n글자",
      "the last n characters"),
    f("SUBSTR", "SUBSTR(str, pos[, len])", Category::Text, (2, 3),
      "부분 문자열 (1부터, 음수는 끝에서)",
      "part of a string (from 1; negative counts from the end)"),
    f("SUBSTRING", "SUBSTRING(str, pos[, len])", Category::Text, (2, 3),
      "SUBSTR과 같음",
      "same as SUBSTR"),
    f("UPPER", "UPPER(str)", Category::Text, (1, 1),
      "대문자로",
      "to upper case"),
    f("LOWER", "LOWER(str)", Category::Text, (1, 1),
      "소문자로",
      "to lower case"),
    f("TRIM", "TRIM(str)", Category::Text, (1, 1),
      "앞뒤 공백 제거",
      "remove surrounding spaces"),
    f("REPLACE", "REPLACE(str, from, to)", Category::Text, (3, 3),
      "문자열 바꾸기",
      "replace text"),
    f("LPAD", "LPAD(str, len, fill)", Category::Text, (3, 3),
      "왼쪽을 채워 길이 맞추기",
      "pad on the left to a length"),
    f("RPAD", "RPAD(str, len, fill)", Category::Text, (3, 3),
      "오른쪽을 채워 길이 맞추기",
      "pad on the right to a length"),
    f("REPEAT", "REPEAT(str, n)", Category::Text, (2, 2),
      "n번 반복",
      "repeat n times"),
    f("REVERSE", "REVERSE(str)", Category::Text, (1, 1),
      "뒤집기",
      "reverse"),
    f("LOCATE", "LOCATE(substr, str[, pos])", Category::Text, (2, 3),
      "부분 문자열의 위치 (없으면 0)",
      "position of a substring (0 when absent)"),
    f("INSTR", "INSTR(str, substr)", Category::Text, (2, 2),
      "부분 문자열의 위치",
      "position of a substring"),
    f("NOW", "NOW()", Category::Date, (0, 0),
      "지금 날짜와 시각 (서울)",
      "the current date and time (Seoul)"),
    f("CURDATE", "CURDATE()", Category::Date, (0, 0),
      "오늘 날짜",
      "today's date"),
    f("DATE_FORMAT", "DATE_FORMAT(date, '%Y-%m-%d')", Category::Date, (2, 2),
      "날짜를 형식에 맞춰 문자열로",
      "format a date as text"),
    f("DATE_ADD", "DATE_ADD(date, INTERVAL n unit)", Category::Date, (2, 2),
      "날짜 더하기",
      "add to a date"),
    f("YEAR", "YEAR(date)", Category::Date, (1, 1),
      "연도",
      "the year"),
    f("MONTH", "MONTH(date)", Category::Date, (1, 1),
      "월",
      "the month"),
    f("DAY", "DAY(date)", Category::Date, (1, 1),
      "일",
      "the day"),
    f("ROW_NUMBER", "ROW_NUMBER() OVER (…)", Category::Window, (0, 0),
      "윈도 안의 행 번호",
      "row number within the window"),
    f("RANK", "RANK() OVER (ORDER BY …)", Category::Window, (0, 0),
      "순위 (같으면 건너뜀)",
      "rank (ties skip)"),
    f("DENSE_RANK", "DENSE_RANK() OVER (ORDER BY …)", Category::Window, (0, 0),
      "순위 (같아도 건너뛰지 않음)",
      "rank without gaps"),
    f("LAG", "LAG(expr[, n]) OVER (…)", Category::Window, (1, 3),
      "앞 행의 값",
      "a value from an earlier row"),
    f("LEAD", "LEAD(expr[, n]) OVER (…)", Category::Window, (1, 3),
      "뒤 행의 값",
      "a value from a later row"),
    f("NTILE", "NTILE(n) OVER (ORDER BY …)", Category::Window, (1, 1),
      "n개 묶음으로 나눈 번호",
      "bucket number out of n"),
    f("MID", "MID(str, pos, len)", Category::Text, (3, 3),
      "SUBSTR와 같습니다",
      "the same as SUBSTR"),
    f("UCASE", "UCASE(str)", Category::Text, (1, 1),
      "UPPER와 같습니다",
      "the same as UPPER"),
    f("LCASE", "LCASE(str)", Category::Text, (1, 1),
      "LOWER와 같습니다",
      "the same as LOWER"),
    f("POWER", "POWER(x, y)", Category::Number, (2, 2),
      "x의 y제곱",
      "x to the power y"),
    f("POW", "POW(x, y)", Category::Number, (2, 2),
      "POWER와 같습니다",
      "the same as POWER"),
    f("SQRT", "SQRT(x)", Category::Number, (1, 1),
      "제곱근",
      "square root"),
    f("CEILING", "CEILING(x)", Category::Number, (1, 1),
      "CEIL과 같습니다",
      "the same as CEIL"),
    f("TRUNCATE", "TRUNCATE(x, digits)", Category::Number, (2, 2),
      "소수 자리 버리기 (0 쪽으로)",
      "cut to digits decimals (toward zero)"),
    f("LN", "LN(x)", Category::Number, (1, 1),
      "자연로그",
      "natural logarithm"),
    f("LOG", "LOG([base,] x)", Category::Number, (1, 2),
      "로그 (밑을 먼저, 없으면 자연로그)",
      "logarithm (base first; natural without it)"),
    f("LOG2", "LOG2(x)", Category::Number, (1, 1),
      "밑이 2인 로그",
      "base-2 logarithm"),
    f("ATAN2", "ATAN2(y, x)", Category::Number, (2, 2),
      "점 (x, y)의 각도 (라디안)",
      "the angle of the point (x, y), in radians"),
    f("BIT_LENGTH", "BIT_LENGTH(str)", Category::Text, (1, 1),
      "비트 수 (UTF-8 바이트 × 8)",
      "length in bits (UTF-8 bytes × 8)"),
    f("COT", "COT(x)", Category::Number, (1, 1),
      "코탄젠트",
      "cotangent"),
    f("SPACE", "SPACE(n)", Category::Text, (1, 1),
      "공백 n개",
      "n spaces"),
    f("CHAR", "CHAR(n, …)", Category::Text, (1, MANY),
      "코드 번호의 문자",
      "the characters of the codes"),
    f("STRCMP", "STRCMP(a, b)", Category::Text, (2, 2),
      "같으면 0, a가 앞이면 -1, 뒤면 1",
      "0 when equal, -1 when a sorts first, else 1"),
    f("FIELD", "FIELD(x, a, b, …)", Category::Text, (2, MANY),
      "목록에서 x의 위치 (없으면 0)",
      "x's position in the list (0 when absent)"),
    f("ISNULL", "ISNULL(x)", Category::Condition, (1, 1),
      "NULL이면 1, 아니면 0",
      "1 for NULL, else 0"),
    f("DATEDIFF", "DATEDIFF(a, b)", Category::Date, (2, 2),
      "두 날짜 사이의 날 수 (a - b)",
      "days between two dates (a - b)"),
    f("DAYNAME", "DAYNAME(date)", Category::Date, (1, 1),
      "요일 이름 (영어)",
      "the weekday's name"),
    f("MONTHNAME", "MONTHNAME(date)", Category::Date, (1, 1),
      "달 이름 (영어)",
      "the month's name"),
    f("DAYOFWEEK", "DAYOFWEEK(date)", Category::Date, (1, 1),
      "요일 번호 (일요일 1 … 토요일 7)",
      "weekday number (Sunday 1 … Saturday 7)"),
    f("WEEKDAY", "WEEKDAY(date)", Category::Date, (1, 1),
      "요일 번호 (월요일 0 … 일요일 6)",
      "weekday number (Monday 0 … Sunday 6)"),
    f("DAYOFYEAR", "DAYOFYEAR(date)", Category::Date, (1, 1),
      "그해의 몇 번째 날",
      "day of the year"),
    f("QUARTER", "QUARTER(date)", Category::Date, (1, 1),
      "분기 (1–4)",
      "quarter (1–4)"),
    f("DATABASE", "DATABASE()", Category::Condition, (0, 0),
      "지금 쓰는 데이터베이스",
      "the current database"),
    f("USER", "USER()", Category::Condition, (0, 0),
      "지금 계정",
      "the current account"),
    f("CURRENT_USER", "CURRENT_USER()", Category::Condition, (0, 0),
      "지금 계정",
      "the current account"),
    f("VERSION", "VERSION()", Category::Condition, (0, 0),
      "서버 버전 (MySQL 8 흉내)",
      "the server version (MySQL 8's, as sqlnori plays it)"),
    f("ANY_VALUE", "ANY_VALUE(expr)", Category::Aggregate, (1, 1),
      "그룹에서 아무 행의 값 (ONLY_FULL_GROUP_BY를 피할 때)",
      "any row's value in the group (to step around ONLY_FULL_GROUP_BY)"),
    // Evaluated in Rust by the engine (its builtins.rs) or rewritten there.
    f("LAST_INSERT_ID", "LAST_INSERT_ID()", Category::Condition, (0, 0),
      "마지막 INSERT가 AUTO_INCREMENT로 만든 첫 번호",
      "the first AUTO_INCREMENT value the last INSERT made"),
    f("ROW_COUNT", "ROW_COUNT()", Category::Condition, (0, 0),
      "바로 앞 문장이 바꾼 행 수 (조회 뒤에는 -1)",
      "rows the previous statement changed (-1 after a query)"),
    f("CHARSET", "CHARSET(str)", Category::Condition, (1, 1),
      "문자 집합 이름 (utf8mb4)",
      "the character set's name (utf8mb4)"),
    f("CONV", "CONV(n, from_base, to_base)", Category::Number, (3, 3),
      "진법 바꾸기 (2–36진법, 음수 진법은 부호 있는 수)",
      "a number from one base to another (2–36; a negative base is signed)"),
    f("BIN", "BIN(n)", Category::Number, (1, 1),
      "2진수 문자열",
      "the number in binary"),
    f("OCT", "OCT(n)", Category::Number, (1, 1),
      "8진수 문자열",
      "the number in octal"),
    f("CRC32", "CRC32(str)", Category::Number, (1, 1),
      "CRC-32 검사값",
      "the CRC-32 checksum"),
    f("BIT_COUNT", "BIT_COUNT(n)", Category::Number, (1, 1),
      "1인 비트 수",
      "how many bits are 1"),
    f("FORMAT", "FORMAT(x, d)", Category::Number, (2, 3),
      "소수 d자리로 반올림하고 세 자리마다 쉼표 ('1,234.57')",
      "rounded to d decimals with thousands separators ('1,234.57')"),
    f("SUBSTRING_INDEX", "SUBSTRING_INDEX(str, delim, n)", Category::Text, (3, 3),
      "구분자 n번째 앞까지 (n이 음수면 뒤에서부터)",
      "up to the n-th delimiter (from the right when n is negative)"),
    f("ORD", "ORD(str)", Category::Text, (1, 1),
      "첫 글자의 코드 (UTF-8 바이트를 이은 수)",
      "the first character's code (its UTF-8 bytes as one number)"),
    f("FIND_IN_SET", "FIND_IN_SET(str, list)", Category::Text, (2, 2),
      "쉼표로 나눈 목록에서의 위치 (없으면 0)",
      "the position in a comma-separated list (0 when absent)"),
    f("INSERT", "INSERT(str, pos, len, new)", Category::Text, (4, 4),
      "pos부터 len글자를 new로 바꾸기",
      "len characters from pos replaced by new"),
    f("UNHEX", "UNHEX(str)", Category::Text, (1, 1),
      "16진수를 문자로",
      "hex digits back to the text they spell"),
    f("TO_BASE64", "TO_BASE64(str)", Category::Text, (1, 1),
      "Base64로 쓰기",
      "the text in base64"),
    f("FROM_BASE64", "FROM_BASE64(str)", Category::Text, (1, 1),
      "Base64 읽기",
      "base64 decoded"),
    f("QUOTE", "QUOTE(str)", Category::Text, (1, 1),
      "SQL 문자열 상수로 (따옴표와 이스케이프)",
      "as an SQL string literal (quoted, escaped)"),
    f("SOUNDEX", "SOUNDEX(str)", Category::Text, (1, 1),
      "영어 발음 코드 (비슷하게 들리면 같음)",
      "a sound-alike code for English words"),
    f("EXPORT_SET", "EXPORT_SET(bits, on, off[, sep[, n]])", Category::Text, (3, 5),
      "비트마다 on 또는 off를 쓴 목록",
      "on or off for each bit, as a list"),
    f("MAKE_SET", "MAKE_SET(bits, s1, s2, …)", Category::Text, (2, MANY),
      "비트가 켜진 문자열들의 목록",
      "the strings whose bits are set, as a list"),
    f("SHA1", "SHA1(str)", Category::Text, (1, 1),
      "SHA-1 해시 (16진수)",
      "the SHA-1 hash in hex"),
    f("SHA2", "SHA2(str, bits)", Category::Text, (2, 2),
      "SHA-2 해시 (224, 256, 384, 512비트)",
      "the SHA-2 hash (224, 256, 384 or 512 bits)"),
    f("REGEXP_LIKE", "REGEXP_LIKE(str, pattern[, match_type])", Category::Text, (2, 3),
      "정규식에 맞으면 1 (대소문자 무시; 'c'면 구분)",
      "1 when the regular expression matches (case ignored; 'c' respects it)"),
    f("REGEXP_REPLACE", "REGEXP_REPLACE(str, pattern, new[, pos[, n[, match_type]]])", Category::Text, (3, 6),
      "정규식에 맞는 부분 바꾸기",
      "replace what the regular expression matches"),
    f("REGEXP_SUBSTR", "REGEXP_SUBSTR(str, pattern[, pos[, n[, match_type]]])", Category::Text, (2, 5),
      "정규식에 맞는 부분",
      "the part the regular expression matches"),
    f("REGEXP_INSTR", "REGEXP_INSTR(str, pattern[, pos[, n[, end[, match_type]]]])", Category::Text, (2, 6),
      "정규식에 맞는 위치 (없으면 0)",
      "where the regular expression matches (0 when it does not)"),
    f("JSON_OBJECT", "JSON_OBJECT(key, value, …)", Category::Text, (0, MANY),
      "JSON 객체 만들기",
      "a JSON object"),
    f("JSON_ARRAY", "JSON_ARRAY(value, …)", Category::Text, (0, MANY),
      "JSON 배열 만들기",
      "a JSON array"),
    f("JSON_EXTRACT", "JSON_EXTRACT(doc, path, …)", Category::Text, (2, MANY),
      "경로의 값 ('$.name', '$[0]')",
      "the value at a path ('$.name', '$[0]')"),
    f("JSON_UNQUOTE", "JSON_UNQUOTE(json)", Category::Text, (1, 1),
      "JSON 문자열의 따옴표 벗기기",
      "a JSON string without its quotes"),
    f("JSON_LENGTH", "JSON_LENGTH(doc[, path])", Category::Text, (1, 2),
      "원소 또는 멤버 수",
      "how many elements or members"),
    f("JSON_KEYS", "JSON_KEYS(doc[, path])", Category::Text, (1, 2),
      "객체의 키 목록",
      "an object's keys"),
    f("JSON_CONTAINS", "JSON_CONTAINS(doc, candidate[, path])", Category::Text, (2, 3),
      "후보를 담고 있으면 1",
      "1 when the document contains the candidate"),
    f("JSON_VALID", "JSON_VALID(str)", Category::Text, (1, 1),
      "올바른 JSON이면 1",
      "1 for valid JSON"),
    f("JSON_TYPE", "JSON_TYPE(json)", Category::Text, (1, 1),
      "JSON 값의 종류 (OBJECT, ARRAY, …)",
      "the kind of a JSON value (OBJECT, ARRAY, …)"),
    f("DATE", "DATE(expr)", Category::Date, (1, 1),
      "날짜 부분",
      "the date part"),
    f("TIME", "TIME(expr)", Category::Date, (1, 1),
      "시각 부분",
      "the time part"),
    f("HOUR", "HOUR(time)", Category::Date, (1, 1),
      "시",
      "the hour"),
    f("MINUTE", "MINUTE(time)", Category::Date, (1, 1),
      "분",
      "the minute"),
    f("SECOND", "SECOND(time)", Category::Date, (1, 1),
      "초",
      "the second"),
    f("TIMESTAMPDIFF", "TIMESTAMPDIFF(unit, a, b)", Category::Date, (3, 3),
      "b - a를 단위(DAY, MONTH, YEAR …)로 센 값",
      "b - a counted in a unit (DAY, MONTH, YEAR …)"),
    f("TIMEDIFF", "TIMEDIFF(a, b)", Category::Date, (2, 2),
      "두 시각의 차이 (시:분:초)",
      "the difference of two times (h:m:s)"),
    f("DATE_SUB", "DATE_SUB(date, INTERVAL n unit)", Category::Date, (2, 2),
      "날짜에서 기간 빼기",
      "a date minus an interval"),
    f("ADDDATE", "ADDDATE(date, n)", Category::Date, (2, 2),
      "날짜에 n일(또는 INTERVAL) 더하기",
      "a date plus n days (or an INTERVAL)"),
    f("SUBDATE", "SUBDATE(date, n)", Category::Date, (2, 2),
      "날짜에서 n일(또는 INTERVAL) 빼기",
      "a date minus n days (or an INTERVAL)"),
    f("LAST_DAY", "LAST_DAY(date)", Category::Date, (1, 1),
      "그달의 마지막 날",
      "the month's last day"),
    f("STR_TO_DATE", "STR_TO_DATE(str, format)", Category::Date, (2, 2),
      "형식대로 읽은 날짜 (DATE_FORMAT의 반대)",
      "a date read with a format (DATE_FORMAT backwards)"),
    f("MAKEDATE", "MAKEDATE(year, day_of_year)", Category::Date, (2, 2),
      "연도와 그해의 몇 번째 날로 만든 날짜",
      "a date from a year and a day of the year"),
    f("WEEK", "WEEK(date[, mode])", Category::Date, (1, 2),
      "그해의 몇 번째 주 (mode 0–7)",
      "the week of the year (mode 0–7)"),
    f("TO_DAYS", "TO_DAYS(date)", Category::Date, (1, 1),
      "0년부터 센 날 수",
      "days since year 0"),
    f("FROM_DAYS", "FROM_DAYS(n)", Category::Date, (1, 1),
      "0년부터 n번째 날",
      "the n-th day since year 0"),
    f("UNIX_TIMESTAMP", "UNIX_TIMESTAMP(datetime)", Category::Date, (1, 1),
      "1970년부터 센 초 (서울 시각으로 읽음)",
      "seconds since 1970 (read in Seoul time)"),
    f("FROM_UNIXTIME", "FROM_UNIXTIME(seconds)", Category::Date, (1, 1),
      "1970년부터 센 초의 날짜와 시각 (서울 시각)",
      "the datetime of seconds since 1970 (Seoul time)"),
    f("TIME_FORMAT", "TIME_FORMAT(time, format)", Category::Date, (2, 2),
      "시각을 형식대로 쓰기 (%H, %i, %s, %p …)",
      "a time written with a format (%H, %i, %s, %p …)"),
];

/// The catalogue entry of `name` (any letter case).
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// True for a function that folds many rows into one value (COUNT, SUM, …).
pub fn is_aggregate(name: &str) -> bool {
    lookup(name).is_some_and(|f| f.category == Category::Aggregate)
}

/// Every function, family by family: the hint of a "function not supported" error.
pub fn summary() -> Localized {
    let family = |c: Category| -> Vec<&'static str> {
        FUNCTIONS
            .iter()
            .filter(|f| f.category == c)
            .map(|f| f.name)
            .collect()
    };
    let line = |ko: bool| {
        Category::ALL
            .iter()
            .map(|&c| {
                let name = c.name();
                format!(
                    "{} ({})",
                    if ko { name.ko } else { name.en },
                    family(c).join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    Localized::new(
        format!("쓸 수 있는 함수: {}", line(true)),
        format!("available: {}", line(false)),
    )
}

/// `docs/functions.md`: every function of the catalogue, family by family, with its MySQL
/// signature and a line in Korean and English (kept current by a test).
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Functions sqlnori runs / sqlnori가 실행하는 함수\n\n\
         Generated from the function catalogue (`crates/model/src/catalog.rs`); \
         `UPDATE_EXPECT=1 cargo test -p sqlnori-model --test functions_reference` rewrites it. \
         A function not listed here is refused with an error that names it.\n",
    );
    for category in Category::ALL {
        let name = category.name();
        out.push_str(&format!("\n## {} / {}\n\n", name.en, name.ko));
        out.push_str("| function | 설명 | what it gives |\n|---|---|---|\n");
        for f in FUNCTIONS.iter().filter(|f| f.category == category) {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.signature.replace('|', "\\|"),
                f.ko.replace('|', "\\|"),
                f.en.replace('|', "\\|")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_listed_once_with_a_sane_arity() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a function is listed twice");
        for f in FUNCTIONS {
            assert!(f.args.0 <= f.args.1, "{}", f.name);
            assert!(f.signature.starts_with(f.name), "{}", f.name);
            assert_eq!(f.name, f.name.to_uppercase());
        }
    }

    #[test]
    fn aggregates_and_the_hint_come_from_the_table() {
        assert!(is_aggregate("count") && is_aggregate("GROUP_CONCAT"));
        assert!(!is_aggregate("ROUND") && !is_aggregate("nope"));
        let hint = summary();
        assert!(hint.en.contains("aggregates (COUNT, SUM"), "{}", hint.en);
        assert!(hint.ko.contains("윈도 함수 (ROW_NUMBER"), "{}", hint.ko);
    }
}
