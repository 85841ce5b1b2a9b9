//! Share links: a script, the dataset it runs on and the RAND seed, in a URL fragment.
//!
//! `#v1` + base64url(zlib(JSON)). zlib's Adler-32 catches truncation and corruption. The
//! decompressed size is bounded before anything is parsed. A link is never trusted: every
//! failure is a [`ShareError`] the page shows, and the learner's own work is left alone.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::Localized;

/// The version prefix of links this build writes.
pub const LINK_VERSION: &str = "v1";
/// The dataset every link of this version starts from: the course's examples.
pub const COURSE_DATASET: &str = "course-v1";
/// Most characters a fragment may have (past it, offer the .sql download instead).
pub const MAX_LINK_CHARS: usize = 6_000;
/// Most bytes a link may decompress to: a link cannot make the page allocate more.
pub const MAX_DECOMPRESSED: usize = 64 * 1024;

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedScript {
    pub script: String,
    pub dataset: String,
    pub seed: u64,
    /// A lesson file the link opens beside the script (a teacher's own lesson).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error("not a sqlnori link")]
    NotALink,
    #[error("link version {0} is not known to this sqlnori")]
    UnknownVersion(String),
    #[error("the link is damaged (bad characters)")]
    BadEncoding,
    #[error("the link is cut short or damaged")]
    Truncated,
    #[error("the link holds more than {MAX_DECOMPRESSED} bytes")]
    TooLarge,
    #[error("the link's content is not a script")]
    Corrupt,
    #[error("unknown dataset {0}")]
    UnknownDataset(String),
    #[error("the script is too long for a link ({0} characters)")]
    TooLong(usize),
}

impl ShareError {
    pub fn localized(&self) -> Localized {
        let ko = match self {
            ShareError::NotALink => "sqlnori 공유 링크가 아닙니다".to_owned(),
            ShareError::UnknownVersion(v) => {
                format!("이 sqlnori가 모르는 링크 버전({v})입니다. 페이지를 새로 고쳐 보세요")
            }
            ShareError::BadEncoding => "링크가 손상되었습니다 (허용되지 않는 문자)".to_owned(),
            ShareError::Truncated => "링크가 잘렸거나 손상되었습니다".to_owned(),
            ShareError::TooLarge => format!("링크의 내용이 {MAX_DECOMPRESSED}바이트를 넘습니다"),
            ShareError::Corrupt => "링크의 내용을 스크립트로 읽을 수 없습니다".to_owned(),
            ShareError::UnknownDataset(d) => format!("알 수 없는 데이터셋입니다: {d}"),
            ShareError::TooLong(n) => {
                format!(
                    "스크립트가 링크로 보내기에 너무 깁니다 ({n}자). .sql 파일로 내려받아 보내세요"
                )
            }
        };
        let en = match self {
            ShareError::TooLong(n) => format!(
                "the script is too long for a link ({n} characters); download it as a .sql file instead"
            ),
            other => other.to_string(),
        };
        Localized::new(ko, en)
    }
}

/// The fragment (with `#`) for a script, its passwords written as their hashes (a link is
/// passed around; see [`crate::accounts::redact_passwords`]). Fails when the link would be
/// too long.
pub fn encode_link(shared: &SharedScript) -> Result<String, ShareError> {
    let redacted = crate::accounts::redact_passwords(&shared.script).map(|script| SharedScript {
        script,
        ..shared.clone()
    });
    let json =
        serde_json::to_vec(redacted.as_ref().unwrap_or(shared)).map_err(|_| ShareError::Corrupt)?;
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let link = format!("#{LINK_VERSION}{}", URL_SAFE_NO_PAD.encode(packed));
    if link.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(shared.script.chars().count()));
    }
    Ok(link)
}

/// Reads a fragment (with or without `#`), checking everything before trusting it.
pub fn decode_link(fragment: &str) -> Result<SharedScript, ShareError> {
    let body = fragment.strip_prefix('#').unwrap_or(fragment);
    if body.len() > MAX_LINK_CHARS * 2 {
        return Err(ShareError::TooLarge);
    }
    let Some(rest) = body.strip_prefix('v') else {
        return Err(ShareError::NotALink);
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(ShareError::NotALink);
    }
    if format!("v{digits}") != LINK_VERSION {
        return Err(ShareError::UnknownVersion(format!("v{digits}")));
    }
    let payload = &rest[digits.len()..];
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| match e {
            // A length or last character that cannot end base64: the link was cut off.
            base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => {
                ShareError::Truncated
            }
            _ => ShareError::BadEncoding,
        })?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_DECOMPRESSED)
        .map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        _ => ShareError::Truncated,
    })?;
    let shared: SharedScript = serde_json::from_slice(&json).map_err(|_| ShareError::Corrupt)?;
    if shared.dataset != COURSE_DATASET {
        return Err(ShareError::UnknownDataset(shared.dataset));
    }
    Ok(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedScript {
        SharedScript {
            script: "SELECT name, RAND() AS r FROM students ORDER BY id LIMIT 3;\n-- 김영희"
                .to_owned(),
            dataset: COURSE_DATASET.to_owned(),
            seed: 42,
            lesson: None,
        }
    }

    /// Links written by earlier builds: they must keep opening as the format evolves.
    const GOLDEN: &[(&str, &str, u64)] = &[(
        "#v1eNoBdgCJ_3sic2NyaXB0IjoiU0VMRUNUIG5hbWUsIFJBTkQoKSBBUyByIEZST00gc3R1ZGVudHMgT1JERVIgQlkgaWQgTElNSVQgMztcbi0tIOq5gOyYge2drCIsImRhdGFzZXQiOiJjb3Vyc2UtdjEiLCJzZWVkIjo0Mn27eCbE",
        "SELECT name, RAND() AS r FROM students ORDER BY id LIMIT 3;\n-- 김영희",
        42,
    )];

    #[test]
    fn a_link_carries_passwords_only_as_hashes() {
        let shared = SharedScript {
            script: "CREATE USER 'kim'@'%' IDENTIFIED BY 'secret-pw';\nSELECT 1;".to_owned(),
            dataset: COURSE_DATASET.to_owned(),
            seed: 7,
            lesson: None,
        };
        let link = encode_link(&shared).expect("short");
        let back = decode_link(&link).expect("reads back");
        assert!(!back.script.contains("secret-pw"), "{}", back.script);
        assert!(back
            .script
            .starts_with("CREATE USER 'kim'@'%' IDENTIFIED BY PASSWORD '*"));
        assert!(back.script.ends_with("';\nSELECT 1;"));
    }

    #[test]
    fn round_trip() {
        let link = encode_link(&sample()).expect("encodes");
        assert!(link.starts_with("#v1"));
        assert!(link.len() < 200, "{}", link.len());
        assert_eq!(decode_link(&link), Ok(sample()));
        assert_eq!(decode_link(&link[1..]), Ok(sample()), "the # is optional");
    }

    #[test]
    fn golden_links_keep_decoding() {
        for (link, script, seed) in GOLDEN {
            let shared = decode_link(link).expect("golden link decodes");
            assert_eq!(shared.script, *script);
            assert_eq!(shared.seed, *seed);
        }
    }

    #[test]
    fn hostile_links_are_refused() {
        let good = encode_link(&sample()).expect("encodes");
        assert_eq!(decode_link("#hello"), Err(ShareError::NotALink));
        assert_eq!(
            decode_link("#v9abc"),
            Err(ShareError::UnknownVersion("v9".into()))
        );
        assert_eq!(decode_link("#v1$$$***"), Err(ShareError::BadEncoding));
        assert_eq!(
            decode_link(&good[..good.len() - 6]),
            Err(ShareError::Truncated)
        );
        let mut flipped = good.clone().into_bytes();
        let i = flipped.len() - 10;
        flipped[i] = if flipped[i] == b'A' { b'B' } else { b'A' };
        assert!(decode_link(&String::from_utf8(flipped).expect("ascii")).is_err());
        // A zip bomb: a megabyte of zeros compresses to a short link but must not inflate.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 1 << 20], 9);
        let link = format!("#v1{}", URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(decode_link(&link), Err(ShareError::TooLarge));
        assert_eq!(
            decode_link(&"A".repeat(MAX_LINK_CHARS * 3)),
            Err(ShareError::TooLarge)
        );
        let other = SharedScript {
            dataset: "elsewhere".into(),
            ..sample()
        };
        let json = serde_json::to_vec(&other).expect("json");
        let link = format!(
            "#v1{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(&json, 9))
        );
        assert_eq!(
            decode_link(&link),
            Err(ShareError::UnknownDataset("elsewhere".into()))
        );
    }

    #[test]
    fn long_scripts_are_refused_for_links() {
        // Text that does not compress: distinct numbers.
        let script: String = (0..3000)
            .map(|i| format!("{},", i * 7919 % 10007))
            .collect();
        let long = SharedScript { script, ..sample() };
        assert!(matches!(encode_link(&long), Err(ShareError::TooLong(_))));
    }

    #[test]
    fn a_typical_course_script_fits() {
        let course = crate::examples::course_examples()
            .into_iter()
            .find(|e| e.id == "students")
            .expect("student example");
        let link = encode_link(&SharedScript {
            script: course.sql,
            dataset: COURSE_DATASET.into(),
            seed: 1,
            lesson: None,
        })
        .expect("fits");
        assert!(link.len() < 2_000, "{}", link.len());
    }

    #[test]
    fn a_lesson_file_travels_in_a_link() {
        let lesson = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../lessons/24-recursive.md"
        ))
        .expect("a built-in lesson");
        let shared = SharedScript {
            lesson: Some(lesson),
            ..sample()
        };
        let link = encode_link(&shared).expect("a lesson fits in a link");
        assert_eq!(decode_link(&link), Ok(shared));
    }
}
