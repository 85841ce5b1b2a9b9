//! The page's two languages. The choice is saved with the session (its `meta` slot).

use sqlnori_model::Localized;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// The language a first visit starts in: Korean, the course's (the toolbar switches;
    /// the choice is saved with the session and for this browser).
    pub fn initial() -> Self {
        Lang::Ko
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
