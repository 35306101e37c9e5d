//! The toolkit both open-data importers (data·inclusion and HSDS) share: the unmapped-report
//! [`Notes`], stable ids, summaries, keyword themes, places of the Hauts-de-Seine and small
//! JSON accessors. Each importer keeps only its own vocabulary.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::file_problem;
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{Problem, RawRecord, RawValue, normalise_phone, valid_date};
use crate::text::{fold, slugify};

/// The theme given when nothing else matched, always reported.
pub(super) const FALLBACK_THEME: &str = "s-entraider";
pub(super) const MAX_NAME: usize = 120;
const MAX_SUMMARY: usize = 200;
const MAX_ID: usize = 64;

/// The communes of the Hauts-de-Seine, from the embedded reference (importers read files
/// before they meet a store).
pub(super) fn embedded_reference(path: &Path) -> Result<Reference, Vec<Problem>> {
    Reference::embedded().map_err(|e| vec![file_problem(path, 1, "file", format!("reference data: {e}"))])
}

/// The file's name alone, so the report stays short (`services.json:12: …`).
pub(super) fn file_label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// The unmapped report, one line per distinct thing with the first line it was seen on and
/// how many records had it: a source file of 3,000 services gives a report one can read.
#[derive(Debug, Default)]
pub(super) struct Notes {
    file: String,
    order: Vec<(String, String)>,
    seen: HashMap<(String, String), (usize, usize)>,
}

impl Notes {
    pub(super) fn new(file: String) -> Self {
        Notes { file, ..Default::default() }
    }

    pub(super) fn set_file(&mut self, file: &str) {
        self.file = file.to_string();
    }

    pub(super) fn note(&mut self, line: usize, what: impl Into<String>) {
        let file = self.file.clone();
        self.note_in(&file, line, what);
    }

    /// A note about another file of the same import (a table of an HSDS package).
    pub(super) fn note_in(&mut self, file: &str, line: usize, what: impl Into<String>) {
        let key = (file.to_string(), what.into());
        let entry = self.seen.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            (line, 0)
        });
        entry.1 += 1;
    }

    pub(super) fn finish(self) -> Vec<String> {
        self.order
            .into_iter()
            .map(|key| {
                let (line, count) = self.seen.get(&key).copied().unwrap_or((0, 1));
                let (file, what) = key;
                if count > 1 {
                    format!("{file}:{line}: {what} ({count} records)")
                } else {
                    format!("{file}:{line}: {what}")
                }
            })
            .collect()
    }
}

/// A stable id of ours from the source's: a slug, and when too long, cut with a short hash
/// of the whole so two long ids that share a beginning stay distinct.
pub(super) fn make_id(raw: &str) -> String {
    let slug = slugify(raw);
    if slug.len() <= MAX_ID {
        return slug;
    }
    // The slug is ASCII, so cutting at a byte index is safe.
    let head = slug[..MAX_ID - 9].trim_end_matches('-');
    format!("{head}-{:08x}", fnv1a(raw.as_bytes()))
}

/// FNV-1a folded to 32 bits: tiny, and unlike `std`'s hasher fixed forever, which ids need.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ((hash >> 32) ^ hash) as u32
}

/// The first sentence of a description, cut at a word if still longer than a summary may be.
pub(super) fn summary_of(description: &str) -> String {
    let text = description.trim();
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            end = if c == '\n' { i } else { i + c.len_utf8() };
            break;
        }
    }
    shorten(text[..end].trim(), MAX_SUMMARY)
}

/// At most `max` characters, cut after a whole word and ended with `…`.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';'))
}

/// A phone number our validator will take, or `None` (the caller reports it). Quotes around
/// the number are a spreadsheet artefact seen in published files.
pub(super) fn clean_phone(raw: &str) -> Option<String> {
    normalise_phone(raw.trim().trim_matches(|c| c == '"' || c == '\'').trim())
}

/// `YYYY-MM-DD` from a date or a date-time.
pub(super) fn date_part(raw: &str) -> Option<String> {
    let day = raw.trim().get(..10)?;
    valid_date(day).then(|| day.to_string())
}

pub(super) fn valid_hours(hours: &str) -> bool {
    hours.parse::<opening_hours::OpeningHours>().is_ok()
}

/// Themes from words in a name or description, French or English, for sources without a
/// taxonomy of ours. A keyword ending in `*` matches the start of a word, others whole words
/// only (so "car" does not match "care").
pub(super) fn keyword_themes(text: &str) -> Vec<&'static str> {
    const TABLE: [(&str, &[&str]); 10] = [
        (
            "se-nourrir",
            &[
                "food",
                "meal*",
                "grocer*",
                "pantry",
                "alimentation",
                "alimentaire*",
                "epicerie*",
                "repas",
                "amap",
                "nourri*",
                "restaurant*",
                "jardin*",
                "garden*",
            ],
        ),
        (
            "se-loger",
            &["housing", "shelter*", "homeless*", "accommodation", "logement*", "heberg*", "habitat*", "colocation*"],
        ),
        ("s-habiller", &["clothing", "clothes", "vetement*", "habill*", "vestiaire*", "vestiboutique*", "friperie*"]),
        (
            "s-equiper",
            &[
                "furniture",
                "repair*",
                "recycl*",
                "ressourcerie*",
                "recyclerie*",
                "electromenager*",
                "meuble*",
                "reparation*",
                "bricolage",
            ],
        ),
        (
            "se-deplacer",
            &[
                "transport*",
                "mobility",
                "bike*",
                "bicycle*",
                "car",
                "cars",
                "driving",
                "mobilite*",
                "velo*",
                "covoiturage*",
                "autopartage*",
                "garage*",
                "permis",
            ],
        ),
        (
            "travailler",
            &[
                "employment",
                "employ*",
                "job",
                "jobs",
                "work",
                "career*",
                "emploi*",
                "travail",
                "insertion",
                "coworking",
                "chomage",
            ],
        ),
        (
            "se-divertir",
            &[
                "leisure",
                "culture*",
                "cultural",
                "sport*",
                "arts",
                "loisir*",
                "sortie*",
                "museum*",
                "library",
                "bibliotheque*",
                "livre*",
            ],
        ),
        (
            "se-financer",
            &[
                "financ*",
                "money",
                "debt*",
                "budget*",
                "microcredit*",
                "credit*",
                "epargne*",
                "endettement*",
                "surendettement*",
            ],
        ),
        ("partir-en-vacances", &["holiday*", "vacation*", "vacances", "sejour*"]),
        (
            "s-entraider",
            &[
                "counselling",
                "counseling",
                "mutual",
                "volunteer*",
                "neighbo*",
                "befriend*",
                "entraide*",
                "benevol*",
                "voisin*",
                "accorderie*",
            ],
        ),
    ];
    let words = Words::of(text);
    TABLE.iter().filter(|(_, keys)| words.mention(keys)).map(|(theme, _)| *theme).collect()
}

/// The folded words of a text, for keyword tables.
pub(super) struct Words(Vec<String>);

impl Words {
    pub(super) fn of(text: &str) -> Self {
        Words(fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect())
    }

    /// Whether any keyword is a word of the text (`stem*`: a word starting with `stem`).
    pub(super) fn mention(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| match key.strip_suffix('*') {
            Some(stem) => self.0.iter().any(|w| w.starts_with(stem)),
            None => self.0.iter().any(|w| w == key),
        })
    }
}

/// Where a record says it is, before we decide what of it to keep.
#[derive(Debug, Default)]
pub(super) struct PlaceInput {
    pub insee: String,
    pub postcode: String,
    pub city: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Whether a place is one of ours.
#[derive(Debug, PartialEq)]
enum Where {
    /// In the Hauts-de-Seine: the commune's INSEE code when known.
    Ours(Option<String>),
    Outside(String),
    Unknown,
}

fn locate(reference: &Reference, input: &PlaceInput) -> Where {
    if !input.insee.is_empty() {
        return match reference.commune_by_code(&input.insee) {
            Some(c) => Where::Ours(Some(c.insee.clone())),
            None => Where::Outside(format!("code_insee {}", input.insee)),
        };
    }
    let by_name = reference.find_commune(&input.city).map(|c| c.insee.clone());
    if !input.postcode.is_empty() {
        if !input.postcode.starts_with("92") {
            return Where::Outside(format!("postcode {}", input.postcode));
        }
        let by_postcode = reference.commune_by_postcode(&input.postcode).map(|c| c.insee.clone());
        return Where::Ours(by_name.or(by_postcode));
    }
    match by_name {
        Some(insee) => Where::Ours(Some(insee)),
        None if !input.city.is_empty() => Where::Outside(input.city.clone()),
        None => Where::Unknown,
    }
}

/// Writes commune, postcode, address and coordinates: all of them for a place in the
/// Hauts-de-Seine, none for a place elsewhere (our catalogue is the département's), and for a
/// place we cannot situate the coordinates only. Whatever is dropped is reported.
pub(super) fn apply_place(
    rec: &mut RawRecord,
    input: &PlaceInput,
    reference: &Reference,
    notes: &mut Notes,
    line: usize,
) {
    let place = locate(reference, input);
    match &place {
        Where::Ours(insee) => {
            if let Some(insee) = insee {
                rec.text("commune", insee.clone());
            }
            if let Some(postcode) = consistent_postcode(reference, insee.as_deref(), &input.postcode) {
                rec.text("postcode", postcode);
            } else if !input.postcode.is_empty() {
                notes.note(line, format!("postcode {}: not that of the commune, dropped", input.postcode));
            }
            if !input.address.is_empty() {
                rec.text("address", input.address.clone());
            }
        }
        Where::Outside(what) => notes.note(line, format!("place {what}: outside the Hauts-de-Seine, not kept")),
        Where::Unknown => {
            if !input.address.is_empty() {
                notes.note(line, "address without commune or postcode: not kept");
            }
        }
    }
    if matches!(place, Where::Outside(_)) {
        return;
    }
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            rec.set("latitude", RawValue::Number(lat));
            rec.set("longitude", RawValue::Number(lon));
        }
        (None, None) => {}
        (lat, lon) => notes.note(line, format!("coordinates {lat:?}, {lon:?}: not valid, dropped")),
    }
}

/// The postcode, unless it is the main postcode of another commune than the one given
/// (our validator would refuse the whole file for the source's inconsistency).
fn consistent_postcode(reference: &Reference, insee: Option<&str>, postcode: &str) -> Option<String> {
    let well_formed = postcode.len() == 5 && postcode.starts_with("92") && postcode.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    match (reference.commune_by_postcode(postcode), insee) {
        (Some(owner), Some(insee)) if owner.insee != insee => None,
        _ => Some(postcode.to_string()),
    }
}

/// A text value (numbers as written), trimmed; `None` when absent, null or blank.
pub(super) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    let s = match obj.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty() && s != "null").then_some(s)
}

/// A list of strings; a lone string counts as a one-element list.
pub(super) fn list(obj: &Map<String, Value>, key: &str) -> Vec<String> {
    match obj.get(key) {
        Some(Value::Array(items)) => {
            items.iter().filter_map(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
        }
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        _ => Vec::new(),
    }
}

/// A number, also when written as text (CSV cells).
pub(super) fn number(obj: &Map<String, Value>, key: &str) -> Option<f64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
}

pub(super) fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty() || s.trim() == "null",
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

pub(super) fn dedup(items: Vec<&'static str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_of_at_most_64_characters() {
        assert_eq!(make_id("dora-dora--AidantsConnect:2024-47BXY"), "dora-dora-aidantsconnect-2024-47bxy");
        let long = make_id(&format!("source-{}", "x".repeat(100)));
        assert_eq!(long.len(), 64);
        assert_ne!(long, make_id(&format!("source-{}y", "x".repeat(100))));
        assert_eq!(long, make_id(&format!("source-{}", "x".repeat(100))), "stable");
    }

    #[test]
    fn summaries_are_first_sentences() {
        assert_eq!(summary_of("Une épicerie. Ouverte à tous."), "Une épicerie.");
        assert_eq!(summary_of("Sans point final"), "Sans point final");
        let long = summary_of(&"mot ".repeat(100));
        assert!(long.chars().count() <= 200 && long.ends_with('…'), "{long}");
    }

    #[test]
    fn keywords_match_words_not_parts_of_words() {
        assert_eq!(keyword_themes("Community Counselling"), vec!["s-entraider"]);
        assert_eq!(keyword_themes("Health care for all"), Vec::<&str>::new());
        assert_eq!(keyword_themes("Épicerie solidaire et vêtements"), vec!["se-nourrir", "s-habiller"]);
    }

    #[test]
    fn places_outside_the_departement_are_not_kept() {
        let reference = Reference::embedded().unwrap();
        let mut notes = Notes::new("f.json".into());
        let mut rec = RawRecord::new(3);
        let input = PlaceInput {
            insee: "75056".into(),
            postcode: "75001".into(),
            address: "1 rue de Rivoli".into(),
            ..Default::default()
        };
        apply_place(&mut rec, &input, &reference, &mut notes, 3);
        assert!(rec.fields.is_empty());
        assert_eq!(notes.finish(), vec!["f.json:3: place code_insee 75056: outside the Hauts-de-Seine, not kept"]);
    }

    #[test]
    fn a_postcode_of_another_commune_is_dropped() {
        let reference = Reference::embedded().unwrap();
        let mut notes = Notes::new("f.json".into());
        let mut rec = RawRecord::new(1);
        let input = PlaceInput { insee: "92050".into(), postcode: "92160".into(), ..Default::default() };
        apply_place(&mut rec, &input, &reference, &mut notes, 1);
        assert_eq!(rec.fields, vec![("commune".to_string(), RawValue::Text("92050".into()))]);
        assert_eq!(notes.finish(), vec!["f.json:1: postcode 92160: not that of the commune, dropped"]);
    }
}
