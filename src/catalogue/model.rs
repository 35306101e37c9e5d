//! What one initiative is, and the closed vocabularies of docs/CATALOGUE.md.
//!
//! Fields are plain strings and lists, as they are exchanged: the interchange formats, the
//! SQLite store and the search index all carry exactly these values, which is what makes
//! `export ∘ import` the identity. Validation ([`super::validate`]) is the only door in.

use serde::{Deserialize, Serialize};

/// One initiative of the catalogue. Empty strings mean "no value"; lists keep their order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// The summary in the other languages of the interface, one field per language
    /// ([`SUMMARY_TRANSLATIONS`]); shown instead of `summary` when the screen is in that
    /// language, marked as a translation. Left out of JSON when empty, so that records stored
    /// before the fields existed, and exports of catalogues without translations, are unchanged.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_en: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_es: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_pt: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_uk: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_ro: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary_ar: String,
    pub description: String,
    pub themes: Vec<String>,
    pub actions: Vec<String>,
    pub tags: Vec<String>,
    pub kind: String,
    pub access: String,
    pub price: String,
    pub audience: Vec<String>,
    pub online: bool,
    /// INSEE code of the commune in the store; its official name in the interchange formats.
    pub commune: String,
    pub address: String,
    pub postcode: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub opening_hours: String,
    pub languages: Vec<String>,
    pub accessibility: Vec<String>,
    pub status: String,
    /// The day a `ferme-temporairement` entry opens again (`YYYY-MM-DD`), when known: from
    /// that day its hours apply again by themselves. Left out of JSON when empty, so records
    /// stored before the field existed read the same.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reopens: String,
    pub updated: String,
    pub source: String,
    /// The page each fact was taken from, one `field=url` entry per fact field
    /// (`phone=https://…`, `opening_hours=https://…`): staff can see where a phone number or
    /// the hours come from, and re-check them there. Missing from records stored before the
    /// column existed, hence `serde(default)` on the struct; left out of JSON when empty, so
    /// that such records, and exports of catalogues without sources, are unchanged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Initiative {
    /// Whether the entry may be shown to visitors at all (`inactif` entries are kept, never shown).
    pub fn is_listed(&self) -> bool {
        self.status != "inactif"
    }

    /// The summary's translation into `lang` (an interface language code), when the entry has
    /// one; `None` for French (the original), for an unknown code and for an empty cell.
    pub fn translated_summary(&self, lang: &str) -> Option<&str> {
        let text = match lang {
            "en" => &self.summary_en,
            "es" => &self.summary_es,
            "pt" => &self.summary_pt,
            "uk" => &self.summary_uk,
            "ro" => &self.summary_ro,
            "ar" => &self.summary_ar,
            _ => return None,
        };
        (!text.is_empty()).then_some(text.as_str())
    }

    /// The one-line summary to show a person reading `lang`, and whether it is a translation
    /// (the screen then says so): the translation when there is one, else the French summary.
    pub fn summary_for(&self, lang: &str) -> (&str, bool) {
        match self.translated_summary(lang) {
            Some(t) => (t, true),
            None => (&self.summary, false),
        }
    }

    /// The page recorded in `sources` for `field`, if any (the first one when several are).
    pub fn source_of(&self, field: &str) -> Option<&str> {
        self.sources.iter().find_map(|entry| match entry.split_once('=') {
            Some((k, url)) if k.trim() == field => Some(url.trim()),
            _ => None,
        })
    }
}

/// The field names, in canonical column order (the header of the canonical CSV).
pub const FIELDS: [&str; 34] = [
    "id",
    "name",
    "summary",
    "summary_en",
    "summary_es",
    "summary_pt",
    "summary_uk",
    "summary_ro",
    "summary_ar",
    "description",
    "themes",
    "actions",
    "tags",
    "kind",
    "access",
    "price",
    "audience",
    "online",
    "commune",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "accessibility",
    "status",
    "reopens",
    "updated",
    "source",
    "sources",
];

/// The fields holding a translated summary, with the language each is in: one per language of
/// the interface other than French (Arabic's file exists though its screens are not offered).
/// Validated like `summary`.
pub const SUMMARY_TRANSLATIONS: [(&str, &str); 6] = [
    ("en", "summary_en"),
    ("es", "summary_es"),
    ("pt", "summary_pt"),
    ("uk", "summary_uk"),
    ("ro", "summary_ro"),
    ("ar", "summary_ar"),
];

/// Fields that hold lists (`|`-separated in CSV, arrays in JSON).
pub const LIST_FIELDS: [&str; 7] = ["themes", "actions", "tags", "audience", "languages", "accessibility", "sources"];

/// The facts a visitor acts on (go there, call, write, come at these hours): each must name the
/// page it was taken from in `sources`. [`super::validate::unsourced_facts`] lists those that
/// do not; the shipped catalogue has none (tests/catalogue_invariants.rs).
pub const FACT_FIELDS: [&str; 4] = ["address", "phone", "email", "opening_hours"];

/// Whether `field` may be a key of a `sources` entry: any field holding a fact, not the
/// bookkeeping ones (`id`, `source`, `sources`).
pub fn is_sourceable_field(field: &str) -> bool {
    FIELDS.contains(&field) && !["id", "source", "sources"].contains(&field)
}

pub fn is_list_field(name: &str) -> bool {
    LIST_FIELDS.contains(&name)
}

pub const ACTIONS: [&str; 9] =
    ["don", "pret", "echange", "location", "vente", "achat-groupe", "reparation", "partage", "accompagnement"];
pub const KINDS: [&str; 6] = ["association", "entreprise", "collectivite", "plateforme", "collectif", "autre"];
pub const ACCESS: [&str; 4] = ["libre", "adhesion", "orientation", "conditions"];
pub const PRICES: [&str; 4] = ["gratuit", "prix-libre", "solidaire", "payant"];
pub const AUDIENCES: [&str; 8] =
    ["tous", "familles", "jeunes", "etudiants", "seniors", "handicap", "demandeurs-emploi", "beneficiaires-minima"];
pub const ACCESSIBILITY: [&str; 3] = ["pmr", "malentendants", "malvoyants"];
pub const STATUSES: [&str; 3] = ["actif", "ferme-temporairement", "inactif"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_shown_is_the_translation_when_there_is_one_else_the_french() {
        let i = Initiative { summary: "Épicerie".into(), summary_es: "Tienda".into(), ..Default::default() };
        assert_eq!(i.summary_for("es"), ("Tienda", true));
        assert_eq!(i.summary_for("en"), ("Épicerie", false), "empty translation: French");
        assert_eq!(i.summary_for("fr"), ("Épicerie", false));
        assert_eq!(i.summary_for("xx"), ("Épicerie", false));
        // Each translated field is a catalogue field, read for its own language.
        let mut record = serde_json::Map::new();
        for (lang, field) in SUMMARY_TRANSLATIONS {
            assert!(FIELDS.contains(&field), "{field}");
            record.insert(field.to_string(), format!("in {lang}").into());
        }
        let all: Initiative = serde_json::from_value(record.into()).unwrap();
        for (lang, _) in SUMMARY_TRANSLATIONS {
            assert_eq!(all.translated_summary(lang), Some(format!("in {lang}").as_str()));
        }
    }
}
