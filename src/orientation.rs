//! Needs the catalogue does not cover — health, a bed tonight, violence, papers… — and the free
//! national numbers that answer them, from `assets/orientation.toml` (compiled in). The kiosk
//! shows an orientation card for them instead of a dead end (issue #12, item 6): the office's
//! own sentence ("Demandez à l'accueil, bureau 2", from the configuration) and the numbers
//! that apply, each with a short label in the interface language.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded file.
pub const ORIENTATION_TOML: &str = include_str!("../assets/orientation.toml");

/// A free national number.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Number {
    pub fr: String,
    pub en: String,
    /// The page that says the number is free and what it is for.
    #[serde(default)]
    pub source: String,
}

/// A need the catalogue does not cover.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Card {
    pub fr: String,
    pub en: String,
    /// Keys of [`Orientation::numbers`], in the order to show them.
    #[serde(default)]
    pub numbers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Orientation {
    #[serde(default)]
    pub numbers: BTreeMap<String, Number>,
    #[serde(default)]
    pub cards: BTreeMap<String, Card>,
}

/// Text in `lang` (English for "en", French otherwise: French is the reference).
fn pick<'a>(fr: &'a str, en: &'a str, lang: &str) -> &'a str {
    if lang == "en" && !en.is_empty() { en } else { fr }
}

impl Number {
    pub fn label(&self, lang: &str) -> &str {
        pick(&self.fr, &self.en, lang)
    }
}

impl Card {
    pub fn title(&self, lang: &str) -> &str {
        pick(&self.fr, &self.en, lang)
    }
}

impl Orientation {
    pub fn parse(text: &str) -> Result<Orientation, toml::de::Error> {
        toml::from_str(text)
    }

    /// The embedded file, parsed once (a broken file is caught by the tests; at run time it
    /// gives no cards rather than a crash).
    pub fn embedded() -> &'static Orientation {
        static PARSED: OnceLock<Orientation> = OnceLock::new();
        PARSED.get_or_init(|| Orientation::parse(ORIENTATION_TOML).unwrap_or_default())
    }

    pub fn card(&self, slug: &str) -> Option<&Card> {
        self.cards.get(slug)
    }

    /// The numbers of `card` that the file defines, with their labels.
    pub fn numbers_of<'a>(&'a self, card: &'a Card) -> impl Iterator<Item = (&'a str, &'a Number)> + 'a {
        card.numbers.iter().filter_map(|n| self.numbers.get(n).map(|number| (n.as_str(), number)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_parses_and_every_card_names_known_numbers() {
        let o = Orientation::parse(ORIENTATION_TOML).expect("assets/orientation.toml parses");
        assert!(!o.cards.is_empty());
        for (slug, card) in &o.cards {
            assert!(!card.fr.is_empty() && !card.en.is_empty(), "{slug}: both languages");
            for n in &card.numbers {
                assert!(o.numbers.contains_key(n), "card {slug} names number {n}, which the file lacks");
            }
        }
        for (n, number) in &o.numbers {
            assert!(n.chars().all(|c| c.is_ascii_digit()), "{n}: digits only");
            assert!(!number.fr.is_empty() && !number.en.is_empty(), "{n}: both languages");
        }
    }
}
