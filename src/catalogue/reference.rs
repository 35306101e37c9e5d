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

#[cfg(test)]
mod tests {
    use super::*;

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
