//! Korean particles chosen by the word before them: 을/를, 이/가, 은/는, 과/와 and (으)로 depend on
//! whether the word's last syllable ends in a consonant (받침). An English word (a table or
//! column name, a keyword) is read as Korean speakers say it, by a rule of thumb: it ends in a
//! consonant after l, m, n, ng and a silent e behind m, n, l (`name` 네임, `table` 테이블), in a
//! vowel otherwise (`students` 스튜던츠, `score` 스코어). A word whose ending cannot be read at
//! all (a symbol) keeps both forms, `을(를)`, as Korean writing does.

/// The word without closing quotes, brackets and spaces, lower-cased.
fn spoken_end(word: &str) -> String {
    word.trim_end_matches(['`', '\'', '"', ')', ']', ' ', '」', '”', '’'])
        .to_lowercase()
}

/// Whether the word ends in a final consonant: `Some(true)`/`Some(false)`, or `None` when the
/// last character is not a Hangul syllable, a digit or a Latin letter.
fn has_final(word: &str) -> Option<bool> {
    let end = spoken_end(word);
    let last = end.chars().next_back()?;
    match last {
        '가'..='힣' => Some((u32::from(last) - 0xAC00) % 28 != 0),
        // 영, 일, 삼, 육, 칠, 팔 end in a consonant; 이, 사, 오, 구 do not.
        '0' | '1' | '3' | '6' | '7' | '8' => Some(true),
        '2' | '4' | '5' | '9' => Some(false),
        'l' | 'm' | 'n' => Some(true),
        'a'..='z' => Some(
            end.ends_with("ng")
                || ["me", "ne", "le"]
                    .iter()
                    .any(|e| end.ends_with(e) && end.len() > 2),
        ),
        _ => None,
    }
}

/// Whether the word ends in ㄹ, after which (으)로 is 로.
fn ends_in_rieul(word: &str) -> bool {
    let end = spoken_end(word);
    match end.chars().next_back() {
        Some(c @ '가'..='힣') => (u32::from(c) - 0xAC00) % 28 == 8,
        Some('1' | '7' | '8' | 'l') => true,
        Some('e') => end.ends_with("le") && end.len() > 2,
        _ => false,
    }
}

/// `word` followed by the particle that fits it: `with` after a final consonant, `without`
/// otherwise, both as `with(without)` when the ending cannot be read.
pub fn particle(word: &str, with: &str, without: &str) -> String {
    match has_final(word) {
        Some(true) => format!("{word}{with}"),
        Some(false) => format!("{word}{without}"),
        None => format!("{word}{with}({without})"),
    }
}

/// `word` + 을/를.
pub fn eul(word: &str) -> String {
    particle(word, "을", "를")
}

/// `word` + 이/가.
pub fn i(word: &str) -> String {
    particle(word, "이", "가")
}

/// `word` + 은/는.
pub fn eun(word: &str) -> String {
    particle(word, "은", "는")
}

/// `word` + 으로/로 (로 after ㄹ too).
pub fn euro(word: &str) -> String {
    if ends_in_rieul(word) {
        return format!("{word}로");
    }
    match has_final(word) {
        Some(true) => format!("{word}으로"),
        Some(false) => format!("{word}로"),
        None => format!("{word}(으)로"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_follow_the_last_syllable() {
        assert_eq!(eul("테이블"), "테이블을");
        assert_eq!(eul("데이터베이스"), "데이터베이스를");
        assert_eq!(eul("열"), "열을");
        assert_eq!(i("레슨 `where-null`"), "레슨 `where-null`이");
        assert_eq!(i("학생"), "학생이");
        assert_eq!(eun("나이"), "나이는");
        assert_eq!(euro("서울"), "서울로");
        assert_eq!(euro("부산"), "부산으로");
        assert_eq!(euro("INT"), "INT로");
        assert_eq!(eul("`students`"), "`students`를");
        assert_eq!(eul("`name`"), "`name`을");
        assert_eq!(eun("표 `users`"), "표 `users`는");
        assert_eq!(eun("SUM"), "SUM은");
        assert_eq!(euro("`table`"), "`table`로");
        assert_eq!(i("열 `kor`"), "열 `kor`가");
        assert_eq!(eul("COUNT(*)"), "COUNT(*)을(를)");
        assert_eq!(eul("%"), "%을(를)");
        assert_eq!(eul("3"), "3을");
        assert_eq!(eul("2"), "2를");
        assert_eq!(
            eul("예제 「재귀 CTE: 조직도」"),
            "예제 「재귀 CTE: 조직도」를"
        );
    }
}
