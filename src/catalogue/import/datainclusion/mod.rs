//! The French *data·inclusion* schema v1 (structures and services), JSON or JSON Lines.
//!
//! data·inclusion is the national open-data exchange of social-inclusion services. Its records
//! say far more than ours about eligibility and referral, and far less about our themes, so
//! this module is mostly vocabulary: it maps their `thematiques`, `publics`, `frais`, `type`…
//! onto our slugs, keeps only places of the Hauts-de-Seine, and says in [`Parsed::unmapped`]
//! everything it had to leave behind. Validation with our rules happens afterwards, on the
//! records returned here; so values that would make a whole import fail because of someone
//! else's data (a foreign phone number, a web page without `https://`) are dropped and
//! reported here, while what our rules must refuse (no name, a bad e-mail) is passed on.
//!
//! The vocabulary tables (thématiques, publics, types, networks) are in [`vocabulary`]; the
//! toolkit shared with the HSDS importer is [`super::common`].

mod vocabulary;

use std::path::Path;

use serde_json::{Map, Value};

use super::canonical::json_values;
use super::common::{
    FALLBACK_THEME, MAX_NAME, Notes, PlaceInput, apply_place, clean_phone, date_part, dedup, embedded_reference,
    file_label, is_blank, keyword_themes, list, make_id, number, shorten, summary_of, text,
};
use super::{Parsed, file_problem};
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{Problem, RawRecord, RawValue, valid_url};
use vocabulary::{access, action_of_type, audience_of_public, kind_of_networks, theme_of_network, theme_of_thematique};

/// Reads one data·inclusion file: a JSON array or JSON Lines of structures or services (a
/// service is told by its `structure_id`; a file may even mix both).
pub fn read(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    let values = json_values(path, &bytes)?;
    let reference = embedded_reference(path)?;
    let mut notes = Notes::new(file_label(path));
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (line, value) in values {
        match value {
            Value::Object(obj) => {
                let mut ctx = Ctx { reference: &reference, notes: &mut notes, line };
                let record = if obj.contains_key("structure_id") { ctx.service(&obj) } else { ctx.structure(&obj) };
                records.push(record);
            }
            other => problems.push(Problem {
                file: path.display().to_string(),
                line,
                field: "record".into(),
                reason: "expected a data·inclusion structure or service object".into(),
                value: other.to_string(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Parsed { records, unmapped: notes.finish(), ..Default::default() })
}

/// Fields of a service that are mapped (or are mere links, like `structure_id`); any other
/// field with a value is reported as not mapped.
const SERVICE_MAPPED: [&str; 23] = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "thematiques",
    "publics",
    "frais",
    "modes_accueil",
    "horaires_accueil",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "lien_source",
    "date_maj",
    "type",
    "mobilisable_par",
];

const STRUCTURE_MAPPED: [&str; 18] = [
    "source",
    "id",
    "nom",
    "description",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "lien_source",
    "horaires_accueil",
    "date_maj",
    "reseaux_porteurs",
];

/// Mapping one record: the reference data, the report, and the record's line.
struct Ctx<'a> {
    reference: &'a Reference,
    notes: &'a mut Notes,
    line: usize,
}

impl Ctx<'_> {
    fn service(&mut self, obj: &Map<String, Value>) -> RawRecord {
        let mut rec = self.common(obj);
        let themes = self.themes(&list(obj, "thematiques"));
        self.set_themes(&mut rec, themes, obj);
        let audience = self.audience(&list(obj, "publics"));
        rec.list("audience", audience);
        if let Some(price) = self.price(obj) {
            rec.text("price", price);
        }
        if let Some(access) = access(obj) {
            rec.text("access", access);
        }
        let modes = list(obj, "modes_accueil");
        // Only a service offered solely at a distance has no place to go to.
        rec.set("online", RawValue::Bool(!modes.is_empty() && modes.iter().all(|m| m == "a-distance")));
        if let Some(kind) = text(obj, "type") {
            match action_of_type(&kind) {
                Some(action) => rec.list("actions", vec![action.to_string()]),
                None => self.note(format!("type \"{kind}\": no type of action of ours")),
            }
        }
        if let Some(link) = text(obj, "lien_source") {
            self.website(&mut rec, &link, "lien_source");
        }
        self.unmapped_fields(obj, &SERVICE_MAPPED);
        rec
    }

    fn structure(&mut self, obj: &Map<String, Value>) -> RawRecord {
        let mut rec = self.common(obj);
        let networks = list(obj, "reseaux_porteurs");
        if let Some(kind) = kind_of_networks(&networks) {
            rec.text("kind", kind);
        }
        // Structures carry no thematiques: their networks say most (a food bank, a
        // ressourcerie), then their own words.
        let mut themes: Vec<&'static str> = networks.iter().filter_map(|n| theme_of_network(n)).collect();
        if themes.is_empty() {
            let words =
                format!("{} {}", text(obj, "nom").unwrap_or_default(), text(obj, "description").unwrap_or_default());
            themes = keyword_themes(&words);
        }
        self.set_themes(&mut rec, dedup(themes), obj);
        if let Some(site) = text(obj, "site_web").or_else(|| text(obj, "lien_source")) {
            self.website(&mut rec, &site, "site_web");
        }
        self.unmapped_fields(obj, &STRUCTURE_MAPPED);
        rec
    }

    /// The fields structures and services share.
    fn common(&mut self, obj: &Map<String, Value>) -> RawRecord {
        let mut rec = RawRecord::new(self.line);
        let source = text(obj, "source").unwrap_or_default();
        let their_id = text(obj, "id").unwrap_or_default();
        rec.text("id", make_id(&format!("{source}-{their_id}")));
        if let Some(name) = text(obj, "nom") {
            rec.text("name", self.name(&name));
        }
        if let Some(description) = text(obj, "description") {
            rec.text("summary", summary_of(&description));
            rec.text("description", description);
        }
        if let Some(hours) = text(obj, "horaires_accueil") {
            // Producers often write hours in French: the converter reads those it can.
            match crate::hours::fixed(&hours) {
                Ok(osm) => rec.text("opening_hours", osm),
                Err(why) => self.note(format!("horaires_accueil \"{hours}\": not opening_hours ({why}), dropped")),
            }
        }
        self.place(&mut rec, obj);
        if let Some(phone) = text(obj, "telephone") {
            self.phone(&mut rec, &phone);
        }
        if let Some(email) = text(obj, "courriel") {
            rec.text("email", email); // our validator refuses a bad address: that is the source's error
        }
        if let Some(date) = text(obj, "date_maj") {
            match date_part(&date) {
                Some(d) => rec.text("updated", d),
                None => self.note(format!("date_maj \"{date}\": not a date, dropped")),
            }
        }
        let mut origin = format!("data·inclusion: {source}");
        if let Some(link) = text(obj, "lien_source") {
            origin = format!("{origin} ({link})");
        }
        rec.text("source", origin);
        rec
    }

    fn place(&mut self, rec: &mut RawRecord, obj: &Map<String, Value>) {
        let address = [text(obj, "adresse"), text(obj, "complement_adresse")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let found = PlaceInput {
            insee: text(obj, "code_insee").unwrap_or_default(),
            postcode: text(obj, "code_postal").unwrap_or_default(),
            city: text(obj, "commune").unwrap_or_default(),
            address,
            latitude: number(obj, "latitude"),
            longitude: number(obj, "longitude"),
        };
        apply_place(rec, &found, self.reference, self.notes, self.line);
    }

    fn set_themes(&mut self, rec: &mut RawRecord, themes: Vec<&'static str>, obj: &Map<String, Value>) {
        let themes = if themes.is_empty() {
            let id = text(obj, "id").unwrap_or_default();
            self.note(format!("no theme of ours for \"{id}\": filed under s-entraider"));
            vec![FALLBACK_THEME]
        } else {
            themes
        };
        rec.list("themes", themes.into_iter().map(String::from).collect());
    }

    fn themes(&mut self, thematiques: &[String]) -> Vec<&'static str> {
        let mut out = Vec::new();
        for t in thematiques {
            match theme_of_thematique(t) {
                Some(theme) => out.push(theme),
                None => self.note(format!("thematiques \"{t}\": no theme of ours")),
            }
        }
        dedup(out)
    }

    fn audience(&mut self, publics: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for p in publics {
            match audience_of_public(p) {
                Some(a) => out.push(a),
                None => self.note(format!("publics \"{p}\": no audience of ours")),
            }
        }
        dedup(out).into_iter().map(String::from).collect()
    }

    fn price(&mut self, obj: &Map<String, Value>) -> Option<&'static str> {
        // Their vocabulary (frais.json) has only these two values; details stay in
        // frais_precisions, reported as not mapped.
        match text(obj, "frais").as_deref() {
            Some("gratuit") => Some("gratuit"),
            Some("payant") => Some("payant"),
            Some(other) => {
                self.note(format!("frais \"{other}\": no price of ours"));
                None
            }
            None => None,
        }
    }

    fn website(&mut self, rec: &mut RawRecord, url: &str, field: &str) {
        if valid_url(url) {
            rec.text("website", url);
        } else {
            self.note(format!("{field} \"{url}\": not an http(s) address, dropped"));
        }
    }

    fn phone(&mut self, rec: &mut RawRecord, raw: &str) {
        match clean_phone(raw) {
            Some(phone) => rec.text("phone", phone),
            None => self.note(format!("telephone \"{raw}\": not a phone number we can use, dropped")),
        }
    }

    fn name(&mut self, name: &str) -> String {
        if name.chars().count() <= MAX_NAME {
            return name.to_string();
        }
        self.note(format!("nom longer than {MAX_NAME} characters: shortened"));
        shorten(name, MAX_NAME)
    }

    fn unmapped_fields(&mut self, obj: &Map<String, Value>, mapped: &[&str]) {
        for (key, value) in obj {
            if !mapped.contains(&key.as_str()) && !is_blank(value) {
                self.note(format!("field {key}: not mapped"));
            }
        }
    }

    fn note(&mut self, what: String) {
        self.notes.note(self.line, what);
    }
}
