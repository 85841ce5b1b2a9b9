//! Bilingual messages, and the errors of the stored and shared formats.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A message in both of the page's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Localized {
    pub ko: String,
    pub en: String,
}

impl Localized {
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ko: ko.into(),
            en: en.into(),
        }
    }

    /// Two messages shown as one, each language joined with " / ".
    pub fn and(self, next: Localized) -> Localized {
        Localized::new(
            format!("{} / {}", self.ko, next.ko),
            format!("{} / {}", self.en, next.en),
        )
    }
}

/// Errors of the stored/shared formats (snapshots, worker messages).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    #[error("unknown format version {0}")]
    UnknownVersion(u32),
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

#[cfg(test)]
mod tests {
    use super::Localized;

    #[test]
    fn two_notices_read_as_one_in_each_language() {
        let joined = Localized::new("가", "a").and(Localized::new("나", "b"));
        assert_eq!(joined, Localized::new("가 / 나", "a / b"));
    }
}
