//! The words visitors use, and what the search makes of them (issue #12): the visitor
//! vocabulary of `assets/vocabulary/*.toml` ("pantalon" → clothing, "HLM" → housing, "bike" →
//! vélo), the filler words of a sentence ("je cherche", "s'il vous plaît"), the hints that say
//! how rather than what ("pas cher", "pour mon fils", "près de chez moi") from
//! `assets/search.toml`, and the orientation cards a need outside the catalogue leads to.
//!
//! Everything is parsed and analysed once, when an index is opened ([`Vocabulary::embedded`]):
//! keys folded and stemmed, phrases put in a table by their first word. What a query costs is
//! [`Vocabulary::read`]: a few hash look-ups per typed word, no parsing.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::TextAnalyzer;

use super::analyzer::{self, tokens};
use super::query::Words;
use crate::text::fold;

/// The vocabulary files, one per language, compiled in: the binary is self-contained. Every
/// `assets/vocabulary/*.toml` must be listed here (a test checks the directory).
pub const FILES: &[(&str, &str)] = &[
    ("fr.toml", include_str!("../../assets/vocabulary/fr.toml")),
    ("en.toml", include_str!("../../assets/vocabulary/en.toml")),
    // The languages of #17, whose screens are not offered yet: a visitor may still type in
    // them. Translated by an assistant session; a native speaker should review them.
    ("es.toml", include_str!("../../assets/vocabulary/es.toml")),
    ("pt.toml", include_str!("../../assets/vocabulary/pt.toml")),
    ("uk.toml", include_str!("../../assets/vocabulary/uk.toml")),
    ("ro.toml", include_str!("../../assets/vocabulary/ro.toml")),
    ("ar.toml", include_str!("../../assets/vocabulary/ar.toml")),
];

/// Which card shows which numbers, for needs the catalogue does not cover.
pub const ORIENTATION_TOML: &str = include_str!("../../assets/orientation.toml");

/// Filler words, protected words and hints (`assets/search.toml`).
pub const SEARCH_TOML: &str = include_str!("../../assets/search.toml");

/// What a vocabulary value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A catalogue word (or several), searched as if the visitor had typed it.
    Word(String),
    /// A theme slug.
    Theme(String),
    /// A tag of the catalogue, as written there.
    Tag(String),
    /// An action slug (folded: `prêt` is `pret`).
    Action(String),
}

impl Target {
    pub fn parse(value: &str) -> Target {
        let value = value.trim();
        match value.split_once(':') {
            Some(("theme", slug)) => Target::Theme(slug.trim().to_string()),
            Some(("tag", tag)) => Target::Tag(tag.trim().to_string()),
            Some(("action", action)) => Target::Action(fold(action.trim()).to_lowercase()),
            _ => Target::Word(value.to_string()),
        }
    }
}

/// One key of a vocabulary file as written (for the tests and the tools that check the data).
#[derive(Debug, Clone)]
pub struct Entry {
    pub file: String,
    /// The theme slug of its table, or `None` under `[orientation.*]`.
    pub theme: Option<String>,
    /// The orientation card of its table (`[orientation.sante]` → `sante`).
    pub card: Option<String>,
    pub key: String,
    pub values: Vec<Target>,
}

/// The keys of one vocabulary file. Fails on a file that is not the format of
/// `assets/vocabulary/README.md`.
pub fn entries(file: &str, text: &str) -> Result<Vec<Entry>, String> {
    let table: toml::Table = text.parse().map_err(|e| format!("{file}: {e}"))?;
    let mut out = Vec::new();
    let mut push = |theme: Option<&str>, card: Option<&str>, keys: &toml::Table| -> Result<(), String> {
        for (key, values) in keys {
            let list = values.as_array().ok_or_else(|| format!("{file}: {key:?} is not a list"))?;
            let values = list
                .iter()
                .map(|v| v.as_str().map(Target::parse).ok_or_else(|| format!("{file}: {key:?} holds a non-string")))
                .collect::<Result<Vec<_>, _>>()?;
            out.push(Entry {
                file: file.to_string(),
                theme: theme.map(str::to_string),
                card: card.map(str::to_string),
                key: key.clone(),
                values,
            });
        }
        Ok(())
    };
    for (section, content) in &table {
        let content = content.as_table().ok_or_else(|| format!("{file}: [{section}] is not a table"))?;
        if section == "orientation" {
            for (card, keys) in content {
                let keys = keys.as_table().ok_or_else(|| format!("{file}: [orientation.{card}] is not a table"))?;
                push(None, Some(card), keys)?;
            }
        } else {
            push(Some(section), None, content)?;
        }
    }
    Ok(out)
}

/// What a key expands to, analysed at load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expansion {
    /// Catalogue words: the stems of each value (all of a value's words are required).
    pub words: Vec<Vec<String>>,
    /// Tags: the stems of each, looked for in the keywords only.
    pub tags: Vec<Vec<String>>,
    /// Theme slugs: the table the key is in, and its `theme:` values.
    pub themes: Vec<String>,
    /// Action slugs.
    pub actions: Vec<String>,
    /// Orientation cards.
    pub orientation: Vec<String>,
}

impl Expansion {
    fn merge(&mut self, other: Expansion) {
        fn add<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
            for x in from {
                if !into.contains(&x) {
                    into.push(x);
                }
            }
        }
        add(&mut self.words, other.words);
        add(&mut self.tags, other.tags);
        add(&mut self.themes, other.themes);
        add(&mut self.actions, other.actions);
        add(&mut self.orientation, other.orientation);
    }
}

/// A word or phrase that says how rather than what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Free or cheap first.
    Price,
    /// Nearest first, when the place is known.
    Near,
    /// This audience (`seeds/initiatives.csv` `audience`) first.
    Audience(String),
}

/// What one key (a word or a phrase) means: an expansion, a hint, or both.
#[derive(Debug, Clone, Default)]
struct Meaning {
    expansion: Option<usize>,
    hint: Option<Hint>,
}

/// A key of one word or more: its words after the first, each folded and stemmed.
#[derive(Debug, Clone)]
struct Phrase {
    rest: Vec<(String, Option<String>)>,
    meaning: Meaning,
}

/// The vocabulary, the filler words and the hints, ready for look-ups.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    expansions: Vec<Expansion>,
    /// First folded word of a key → the keys that start with it (longest first).
    phrases: HashMap<String, Vec<Phrase>>,
    /// Stem → the meaning of one-word keys with that stem (so "pantalons" finds "pantalon").
    by_stem: HashMap<String, Meaning>,
    filler: HashSet<String>,
}

/// How a unit of the query counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A word (or phrase key) that says what is sought: required.
    Word,
    /// A French stop word ("de", "pour"): optional, searched as a prefix only while typed.
    Stop,
    /// A filler word ("cherche", "besoin", "svp"): ignored, but searched as an optional prefix
    /// while it is being typed (it may be the start of another word: "ai" of "aide").
    Filler,
    /// A hint of price or place ("gratuit", "près de chez moi"): optional, boosts what fits.
    /// (An audience word such as "enfant" is a [`UnitKind::Word`] carrying its hint.)
    Hint,
}

/// One word of the query, or several read as one phrase key.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Index of its first word in [`Words::folded`].
    pub start: usize,
    /// Number of words.
    pub len: usize,
    pub kind: UnitKind,
    /// What the vocabulary expands it to.
    pub expansion: Option<usize>,
    pub hint: Option<Hint>,
}

/// What the vocabulary makes of a query's words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub units: Vec<Unit>,
}

impl Reading {
    /// Units that say what is sought (words and phrase keys, not stop, filler or hint words).
    pub fn meaningful(&self) -> usize {
        self.units.iter().filter(|u| u.kind == UnitKind::Word).count()
    }

    pub fn hints(&self) -> impl Iterator<Item = &Hint> {
        self.units.iter().filter_map(|u| u.hint.as_ref())
    }
}

/// The parse of `assets/search.toml`.
#[derive(Debug, Clone, Default)]
pub struct SearchWords {
    pub filler: Vec<String>,
    /// Indexed form → its other forms (all as written).
    pub protected: Vec<(String, Vec<String>)>,
    pub hints: Vec<(Hint, Vec<String>)>,
}

impl SearchWords {
    pub fn parse(text: &str) -> Result<SearchWords, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("search.toml: {e}"))?;
        let strings = |v: &toml::Value| -> Vec<String> {
            v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
        };
        let mut out = SearchWords::default();
        if let Some(f) = table.get("filler") {
            out.filler = strings(f);
        }
        if let Some(p) = table.get("protected").and_then(|p| p.as_table()) {
            out.protected = p.iter().map(|(k, v)| (k.clone(), strings(v))).collect();
        }
        if let Some(h) = table.get("hints").and_then(|h| h.as_table()) {
            if let Some(v) = h.get("price") {
                out.hints.push((Hint::Price, strings(v)));
            }
            if let Some(v) = h.get("near") {
                out.hints.push((Hint::Near, strings(v)));
            }
            if let Some(a) = h.get("audience").and_then(|a| a.as_table()) {
                for (audience, words) in a {
                    out.hints.push((Hint::Audience(audience.clone()), strings(words)));
                }
            }
        }
        Ok(out)
    }

    /// The embedded `assets/search.toml` (checked by the tests; an unreadable file gives empty lists).
    pub fn embedded() -> SearchWords {
        SearchWords::parse(SEARCH_TOML).unwrap_or_default()
    }
}

impl Vocabulary {
    /// The embedded vocabulary files and `assets/search.toml`, analysed. A file that fails to
    /// parse is skipped (tests/vocabulary.rs fails on it, so it never ships).
    pub fn embedded(fold: &mut TextAnalyzer, stem: &mut TextAnalyzer) -> Vocabulary {
        let entries: Vec<Entry> = FILES.iter().filter_map(|(f, text)| entries(f, text).ok()).flatten().collect();
        Vocabulary::build(&entries, &SearchWords::embedded(), fold, stem)
    }

    pub fn build(
        entries: &[Entry],
        words: &SearchWords,
        fold: &mut TextAnalyzer,
        stem: &mut TextAnalyzer,
    ) -> Vocabulary {
        let mut v = Vocabulary::default();
        let stem_of = |w: &str, stem: &mut TextAnalyzer| -> Option<String> {
            if analyzer::is_stop_word(w) { None } else { tokens(stem, w).into_iter().next() }
        };
        let mut keyed: Vec<(Vec<String>, Meaning)> = Vec::new();
        let mut index_of: HashMap<Vec<String>, usize> = HashMap::new();
        let mut add = |key: Vec<String>, expansion: Option<Expansion>, hint: Option<Hint>, v: &mut Vocabulary| {
            if key.is_empty() {
                return;
            }
            let slot = *index_of.entry(key.clone()).or_insert_with(|| {
                keyed.push((key, Meaning::default()));
                keyed.len() - 1
            });
            let meaning = &mut keyed[slot].1;
            if let Some(e) = expansion {
                match meaning.expansion {
                    Some(i) => v.expansions[i].merge(e),
                    None => {
                        v.expansions.push(e);
                        meaning.expansion = Some(v.expansions.len() - 1);
                    }
                }
            }
            if hint.is_some() && meaning.hint.is_none() {
                meaning.hint = hint;
            }
        };
        for e in entries {
            let mut x = Expansion::default();
            if let Some(c) = &e.card {
                x.orientation.push(c.clone());
            }
            for value in &e.values {
                match value {
                    Target::Word(w) => {
                        let stems = tokens(stem, w);
                        if !stems.is_empty() && !x.words.contains(&stems) {
                            x.words.push(stems);
                        }
                    }
                    Target::Tag(t) => {
                        let stems = tokens(stem, t);
                        if !stems.is_empty() && !x.tags.contains(&stems) {
                            x.tags.push(stems);
                        }
                    }
                    Target::Theme(t) => {
                        if !x.themes.contains(t) {
                            x.themes.push(t.clone());
                        }
                    }
                    Target::Action(a) => {
                        if !x.actions.contains(a) {
                            x.actions.push(a.clone());
                        }
                    }
                }
            }
            // The table's theme comes last: the values say more precisely what the key means.
            if let Some(t) = &e.theme
                && !x.themes.contains(t)
            {
                x.themes.push(t.clone());
            }
            add(tokens(fold, &e.key), Some(x), None, &mut v);
        }
        for (hint, keys) in &words.hints {
            for key in keys {
                add(tokens(fold, key), None, Some(hint.clone()), &mut v);
            }
        }
        for (key, meaning) in keyed {
            if key.len() == 1
                && let Some(s) = stem_of(&key[0], stem)
            {
                let slot = v.by_stem.entry(s).or_default();
                if slot.expansion.is_none() {
                    slot.expansion = meaning.expansion;
                }
                if slot.hint.is_none() {
                    slot.hint = meaning.hint.clone();
                }
            }
            let rest = key[1..].iter().map(|w| (w.clone(), stem_of(w, stem))).collect();
            v.phrases.entry(key[0].clone()).or_default().push(Phrase { rest, meaning });
        }
        for list in v.phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        v.filler = words.filler.iter().flat_map(|w| tokens(fold, w)).collect();
        v
    }

    pub fn expansion(&self, i: usize) -> &Expansion {
        &self.expansions[i]
    }

    pub fn is_filler(&self, folded: &str) -> bool {
        self.filler.contains(folded)
    }

    /// Reads the query's words: phrase keys (longest first), one-word keys by their folded
    /// form or stem, filler, stop and hint words. A few hash look-ups per word.
    pub fn read(&self, words: &Words) -> Reading {
        let n = words.folded.len();
        let mut units = Vec::with_capacity(n);
        let mut i = 0;
        while i < n {
            let word = &words.folded[i];
            let stem = &words.stems[i];
            let phrase = self.phrases.get(word).and_then(|list| {
                list.iter().find(|p| {
                    i + p.rest.len() < n
                        && p.rest.iter().enumerate().all(|(k, (f, s))| {
                            words.folded[i + 1 + k] == *f || (s.is_some() && words.stems[i + 1 + k] == *s)
                        })
                })
            });
            let (len, meaning) = match phrase {
                Some(p) => (1 + p.rest.len(), Some(&p.meaning)),
                None => (1, stem.as_ref().and_then(|s| self.by_stem.get(s))),
            };
            // Price and place say how; an audience ("étudiant", "bébé") also says what: it
            // stays a required word, matched by its text or by the audience field.
            let kind = match meaning {
                Some(Meaning { hint: Some(Hint::Price | Hint::Near), .. }) => UnitKind::Hint,
                Some(_) => UnitKind::Word,
                None if stem.is_none() => UnitKind::Stop,
                None if self.filler.contains(word) => UnitKind::Filler,
                None => UnitKind::Word,
            };
            units.push(Unit {
                start: i,
                len,
                kind,
                expansion: meaning.and_then(|m| m.expansion),
                hint: meaning.and_then(|m| m.hint.clone()),
            });
            i += len;
        }
        Reading { units }
    }

    /// Themes the expansions of `reading` point to, in the order of the words.
    pub fn suggested_themes(&self, reading: &Reading) -> Vec<String> {
        self.gather(reading, |x| &x.themes)
    }

    /// Orientation cards the words lead to, in the order of the words.
    pub fn orientation(&self, reading: &Reading) -> Vec<String> {
        self.gather(reading, |x| &x.orientation)
    }

    /// One list of the expansions of `reading`, in the order of the words, without repeats.
    fn gather(&self, reading: &Reading, list: impl Fn(&Expansion) -> &Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in reading.units.iter().filter_map(|u| u.expansion) {
            for item in list(&self.expansions[e]) {
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
        }
        out
    }
}
