//! What one initiative is, and the closed vocabularies of CATALOGUE.md.
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
    pub updated: String,
    pub source: String,
}

impl Initiative {
    /// Whether the entry may be shown to visitors at all (`inactif` entries are kept, never shown).
    pub fn is_listed(&self) -> bool {
        self.status != "inactif"
    }
}

/// The field names, in canonical column order (the header of the canonical CSV).
pub const FIELDS: [&str; 26] = [
    "id",
    "name",
    "summary",
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
    "updated",
    "source",
];

/// Fields that hold lists (`|`-separated in CSV, arrays in JSON).
pub const LIST_FIELDS: [&str; 6] = ["themes", "actions", "tags", "audience", "languages", "accessibility"];

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
