//! The page's two languages and the choice remembered in localStorage.

use gloo_storage::{LocalStorage, Storage};
use sqlnori_core::Localized;

const LANG_KEY: &str = "sqlnori.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// The remembered language; Korean when nothing (or something unknown) is stored.
    pub fn load() -> Self {
        match LocalStorage::get::<String>(LANG_KEY).ok().as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Ko,
        }
    }

    pub fn save(self) {
        // Storage may be unavailable (private mode); the choice then lasts for this visit.
        let _ = LocalStorage::set(LANG_KEY, self.code());
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Ko => Lang::En,
            Lang::En => Lang::Ko,
        }
    }

    /// Picks the text of this language.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }

    pub fn text(self, l: &Localized) -> String {
        self.pick(&l.ko, &l.en).to_owned()
    }
}
