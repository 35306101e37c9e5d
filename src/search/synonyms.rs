//! Words visitors use that the catalogue does not ("fringues" for vêtements, "bouffe" for
//! alimentaire), loaded from `assets/synonyms.txt` so that staff can extend the list without
//! touching code.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::analyzer::tokens;

pub const SYNONYMS_TXT: &str = include_str!("../../assets/synonyms.txt");

#[derive(Debug, Clone)]
pub struct Synonym {
    pub folded: String,
    pub stem: Option<String>,
}

/// Folded word → the words it also means.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: HashMap<String, Vec<Synonym>>,
}

impl Synonyms {
    /// Parses lines `mot: autre, autre mot` (`#` starts a comment). The relation is made
    /// symmetric: each word of a line finds all the others.
    pub fn parse(text: &str, fold: &mut TextAnalyzer, stem: &mut TextAnalyzer) -> Synonyms {
        let mut map: HashMap<String, Vec<Synonym>> = HashMap::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((head, rest)) = line.split_once(':') else { continue };
            let group: Vec<String> = std::iter::once(head)
                .chain(rest.split(','))
                .filter_map(|w| tokens(fold, w.trim()).into_iter().next())
                .collect();
            for w in &group {
                let entry = map.entry(w.clone()).or_default();
                for other in group.iter().filter(|o| *o != w) {
                    if !entry.iter().any(|s| &s.folded == other) {
                        entry.push(Synonym { folded: other.clone(), stem: tokens(stem, other).into_iter().next() });
                    }
                }
            }
        }
        Synonyms { map }
    }

    pub fn of(&self, folded: &str) -> &[Synonym] {
        self.map.get(folded).map(Vec::as_slice).unwrap_or(&[])
    }
}
