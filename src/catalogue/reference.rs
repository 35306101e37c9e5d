//! Reference data: the themes and the 36 communes of the Hauts-de-Seine.
//!
//! Both are data, not code (administrators may add or rename themes): they are read from the
//! `seeds/` CSV files embedded in the binary when a catalogue is created, then live in the
//! store. This module parses them and answers "which commune is this?" for importers, filters
//! and the query parser.

use serde::{Deserialize, Serialize};

use crate::text::name_key;

/// The embedded reference files, so `wic` works from any directory.
const THEMES_CSV: &str = include_str!("../../seeds/themes.csv");
const COMMUNES_CSV: &str = include_str!("../../seeds/communes.csv");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub slug: String,
    /// One ASCII character that opens the theme from the kiosk's home screen.
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
    pub hint_fr: String,
    pub hint_en: String,
}

impl Theme {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" { &self.label_en } else { &self.label_fr }
    }
    pub fn hint(&self, lang: &str) -> &str {
        if lang == "en" { &self.hint_en } else { &self.hint_fr }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
}

/// Themes and communes, with the look-ups every layer needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    pub themes: Vec<Theme>,
    pub communes: Vec<Commune>,
}

#[derive(Debug, thiserror::Error)]
#[error("reference data {file}: {source}")]
pub struct ReferenceError {
    file: &'static str,
    source: csv::Error,
}

impl Reference {
    /// The reference data shipped in the binary.
    pub fn embedded() -> Result<Reference, ReferenceError> {
        Ok(Reference {
            themes: parse_csv(THEMES_CSV, "seeds/themes.csv")?,
            communes: parse_csv(COMMUNES_CSV, "seeds/communes.csv")?,
        })
    }

    pub fn theme(&self, slug: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.slug == slug)
    }

    pub fn commune_by_code(&self, insee: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.insee == insee)
    }

    /// A commune from what a person typed: its INSEE code, its postcode, or its name with
    /// or without accents, hyphens or case ("chatenay malabry", "92290", "92019").
    pub fn find_commune(&self, text: &str) -> Option<&Commune> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(c) = self.communes.iter().find(|c| c.insee == text) {
            return Some(c);
        }
        let key = name_key(text);
        self.communes
            .iter()
            .find(|c| name_key(&c.name) == key)
            .or_else(|| self.communes.iter().find(|c| c.postcode == text))
    }

    /// The commune a person means by what they typed into a prompt: as [`Reference::find_commune`],
    /// else the only commune whose name starts with it ("nanter", "boulogne"), else the only
    /// one within one typo of it ("nanterr", "colombe"). Never a guess between several: imports
    /// keep the strict [`Reference::find_commune`].
    pub fn find_commune_typed(&self, text: &str) -> Option<&Commune> {
        if let Some(c) = self.find_commune(text) {
            return Some(c);
        }
        let key = name_key(text);
        if key.chars().count() < 3 {
            return None;
        }
        let prefixed: Vec<&Commune> = self.communes.iter().filter(|c| name_key(&c.name).starts_with(&key)).collect();
        let found = if prefixed.is_empty() {
            self.communes.iter().filter(|c| within_one_edit(&name_key(&c.name), &key)).collect()
        } else {
            prefixed
        };
        // One answer, or none: never a guess between several.
        if found.len() == 1 { found.first().copied() } else { None }
    }

    /// The communes a person may mean while typing into the commune picker, best first:
    /// those whose name starts with the text, then those with a later word starting with it
    /// ("cloud" → Saint-Cloud), then those within one typo of the name's start ("nanterr",
    /// "colonbes") when nothing matches as typed; digits match the postcode or INSEE code ("921" → every 921xx). Accents,
    /// case and hyphens don't matter. Empty text: every commune. Each group in alphabetical
    /// order.
    pub fn communes_matching(&self, text: &str) -> Vec<&Commune> {
        let key = name_key(text);
        let mut all: Vec<&Commune> = self.communes.iter().collect();
        all.sort_by_cached_key(|c| name_key(&c.name));
        if key.is_empty() {
            return all;
        }
        let rank = |c: &Commune| -> Option<u8> {
            let name = name_key(&c.name);
            if name.starts_with(&key) || c.postcode.starts_with(&key) || c.insee.starts_with(&key) {
                return Some(0);
            }
            if name.split(' ').skip(1).any(|w| w.starts_with(&key)) {
                return Some(1);
            }
            // A typo while typing: compare with the name's start of the same length, from
            // four letters on (below that, one edit matches half the département).
            let typed = key.chars().count();
            let start: String = name.chars().take(typed).collect();
            let longer: String = name.chars().take(typed + 1).collect();
            let shorter: String = name.chars().take(typed.saturating_sub(1)).collect();
            (typed >= 4 && [start, longer, shorter].iter().any(|s| within_one_edit(s, &key))).then_some(2)
        };
        let mut ranked: Vec<(u8, &Commune)> = all.into_iter().filter_map(|c| rank(c).map(|r| (r, c))).collect();
        ranked.sort_by_key(|(r, _)| *r);
        // Typos only when nothing matches as typed: "nant" must not offer Antony.
        if ranked.first().is_some_and(|(r, _)| *r < 2) {
            ranked.retain(|(r, _)| *r < 2);
        }
        ranked.into_iter().map(|(_, c)| c).collect()
    }

    /// The commune whose *main* postcode this is, if any (used to catch a postcode that
    /// belongs to another commune).
    pub fn commune_by_postcode(&self, postcode: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.postcode == postcode)
    }
}

fn parse_csv<T: for<'de> Deserialize<'de>>(text: &str, file: &'static str) -> Result<Vec<T>, ReferenceError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|source| ReferenceError { file, source })
}

/// Whether `a` and `b` differ by at most one inserted, deleted or replaced character.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_finds_communes_by_prefix_word_typo_and_postcode() {
        let r = Reference::embedded().unwrap();
        let names = |t: &str| r.communes_matching(t).iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("").len(), 36);
        assert_eq!(names("nant"), ["Nanterre"]);
        assert_eq!(names("NANT"), ["Nanterre"]);
        assert_eq!(names("chatillon"), ["Châtillon"]);
        assert_eq!(names("cloud"), ["Saint-Cloud"]);
        assert_eq!(names("nanterr"), ["Nanterre"]);
        assert_eq!(names("colonbes"), ["Colombes"]);
        assert_eq!(names("92000"), ["Nanterre"]);
        assert!(names("921").len() > 3, "{:?}", names("921"));
        assert!(names("zzzz").is_empty());
        // Name prefixes before later words: "bois" is Bois-Colombes before any "…-le-Bois".
        assert_eq!(names("bois").first().map(String::as_str), Some("Bois-Colombes"));
    }

    #[test]
    fn a_typed_commune_is_found_by_its_start_or_with_one_typo_never_by_a_guess() {
        let r = Reference::embedded().unwrap();
        let name = |t: &str| r.find_commune_typed(t).map(|c| c.name.clone());
        assert_eq!(name("nanter").as_deref(), Some("Nanterre"), "the F9 prompt refused 'nanter'");
        assert_eq!(name("Nantere").as_deref(), Some("Nanterre"), "one letter missing");
        assert_eq!(name("nanterrre").as_deref(), Some("Nanterre"), "one letter too many");
        assert_eq!(name("boulogne").as_deref(), Some("Boulogne-Billancourt"));
        assert_eq!(name("92000").as_deref(), Some("Nanterre"), "postcodes still work");
        assert_eq!(name("Châtenay"), name("chatenay"), "accents optional");
        assert_eq!(name("na"), None, "too short to choose");
        assert_eq!(name("atlantis"), None);
        // "bois" starts Bois-Colombes only; "colomb" starts Colombes only (not Bois-Colombes).
        assert_eq!(name("colomb").as_deref(), Some("Colombes"));
        assert!(!within_one_edit("sceaux", "sevres"));
    }

    #[test]
    fn embedded_reference_is_complete() {
        let r = Reference::embedded().unwrap();
        assert_eq!(r.themes.len(), 10);
        assert_eq!(r.communes.len(), 36);
        let keys: std::collections::HashSet<_> = r.themes.iter().map(|t| &t.key).collect();
        assert_eq!(keys.len(), 10, "theme keys must be distinct");
    }

    #[test]
    fn finds_communes_however_typed() {
        let r = Reference::embedded().unwrap();
        assert_eq!(r.find_commune("chatenay malabry").unwrap().name, "Châtenay-Malabry");
        assert_eq!(r.find_commune("92002").unwrap().name, "Antony");
        assert_eq!(r.find_commune("VILLE D AVRAY").unwrap().name, "Ville-d'Avray");
        assert!(r.find_commune("Paris").is_none());
    }
}
