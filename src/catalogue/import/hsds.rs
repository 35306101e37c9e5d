//! Open Referral HSDS 3.0: JSON objects as its API serves them, and the tabular CSV package.
//!
//! HSDS describes human services anywhere in the world; each *service* is what we call an
//! initiative (an organization without services stands for itself). Its data come in many
//! shapes: one service with everything nested, an organization with its services, a
//! service-at-location, paginated lists (`contents`), the CSV package joined by ids, or the
//! same tables as one JSON object (`tabular.json`). All of them are first brought to the
//! nested shape of `service_full.json`, so one mapping serves them all.
//!
//! Published HSDS files are full of placeholders and places outside France; an import must
//! not fail because of them. So values our validator would refuse for reasons that are not
//! the catalogue's business (a UK phone number in quotes, latitude 100, a schedule we cannot
//! express) are dropped here and reported in [`Parsed::unmapped`], with everything else HSDS
//! says and we have no field for.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::canonical::json_values;
use super::datainclusion::{
    FALLBACK_THEME, MAX_NAME, Notes, PlaceInput, Words, apply_place, clean_phone, date_part, dedup, embedded_reference,
    file_label, is_blank, keyword_themes, make_id, number, shorten, summary_of, text, valid_hours,
};
use super::{Parsed, file_problem};
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{Problem, RawRecord, RawValue, valid_url};

type Obj = Map<String, Value>;

/// Reads an HSDS JSON file, or a CSV package given as its directory or its `datapackage.json`.
pub fn read(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let mut importer = Importer {
        reference: embedded_reference(path)?,
        notes: Notes::new(file_label(path)),
        file: file_label(path),
        records: Vec::new(),
    };
    if path.is_dir() || path.file_name().is_some_and(|n| n == "datapackage.json") {
        let dir = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
        let tables = read_package(dir)?;
        importer.tables(&tables);
    } else {
        importer.json(path)?;
    }
    if importer.records.is_empty() {
        return Err(vec![file_problem(path, 1, "file", "no HSDS service or organization found")]);
    }
    Ok(Parsed { records: importer.records, unmapped: importer.notes.finish() })
}

struct Importer {
    reference: Reference,
    notes: Notes,
    /// The file the records being mapped come from (a table of a package), for the report.
    file: String,
    records: Vec<RawRecord>,
}

// ---------------------------------------------------------------------------------------
// JSON shapes.
// ---------------------------------------------------------------------------------------

/// What an HSDS JSON object is, from its keys (the schemas' required and typical fields).
#[derive(Debug, PartialEq)]
enum Shape {
    Page,
    Tabular,
    ServiceAtLocation,
    Organization,
    Service,
    Other,
}

fn shape(obj: &Obj) -> Shape {
    let has = |k: &str| obj.contains_key(k);
    if matches!(obj.get("contents"), Some(Value::Array(_))) {
        Shape::Page
    } else if obj.keys().any(|k| k.ends_with(".csv")) {
        Shape::Tabular
    } else if matches!(obj.get("service"), Some(Value::Object(_))) {
        Shape::ServiceAtLocation
    } else if has("services")
        || (["website", "legal_status", "tax_status", "year_incorporated", "organization_identifiers"]
            .iter()
            .any(|k| has(k))
            && !has("status"))
    {
        Shape::Organization
    } else if ["status", "organization", "organization_id", "service_at_locations", "program"].iter().any(|k| has(k)) {
        Shape::Service
    } else {
        Shape::Other
    }
}

impl Importer {
    fn json(&mut self, path: &Path) -> Result<(), Vec<Problem>> {
        let bytes =
            std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
        let values = json_values(path, &bytes)?;
        // json_values checked the encoding; lossy is only a formality here.
        let text = String::from_utf8_lossy(&bytes);
        let lines = ObjectLines::scan(&text);
        let top_array = text.trim_start_matches('\u{feff}').trim_start().starts_with('[');
        for (i, (line, value)) in values.into_iter().enumerate() {
            let at = if top_array { Loc { doc: 0, ptr: format!("/{i}") } } else { Loc { doc: i, ptr: String::new() } };
            self.walk(&value, &at, line, &lines);
        }
        Ok(())
    }

    fn walk(&mut self, value: &Value, at: &Loc, line: usize, lines: &ObjectLines) {
        let Value::Object(obj) = value else {
            self.note(line, "a value that is not an object: skipped");
            return;
        };
        match shape(obj) {
            Shape::Page => {
                for (i, item) in obj.get("contents").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    let child = at.child(&format!("contents/{i}"));
                    self.walk(item, &child, lines.line(&child, line), lines);
                }
            }
            Shape::Tabular => {
                let tables = tables_from_json(obj, &self.file, at, lines);
                self.tables(&tables);
            }
            Shape::ServiceAtLocation => self.service_at_location(obj, line),
            Shape::Organization => self.organization_with_services(obj, at, line, lines),
            Shape::Service => self.service(obj, None, line),
            Shape::Other => self.note(line, "an HSDS object that is neither a service nor an organization: skipped"),
        }
    }

    /// A service-at-location is its service, seen at that one place.
    fn service_at_location(&mut self, obj: &Obj, line: usize) {
        let Some(Value::Object(service)) = obj.get("service") else {
            return;
        };
        let mut service = service.clone();
        if !service.contains_key("service_at_locations") {
            let mut at = obj.clone();
            at.remove("service");
            service.insert("service_at_locations".into(), Value::Array(vec![Value::Object(at)]));
        }
        self.service(&service, None, line);
    }

    fn organization_with_services(&mut self, obj: &Obj, at: &Loc, line: usize, lines: &ObjectLines) {
        let services: Vec<&Obj> =
            obj.get("services").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
        if services.is_empty() {
            self.organization(obj, line);
            return;
        }
        let mut org = obj.clone();
        org.remove("services");
        let org_locations: Vec<&Obj> = list_of(obj, "locations");
        for (i, service) in services.into_iter().enumerate() {
            let child = at.child(&format!("services/{i}"));
            let service = with_locations_resolved(service, &org_locations);
            self.service(&service, Some(&org), lines.line(&child, line));
        }
    }

    fn note(&mut self, line: usize, what: impl Into<String>) {
        self.notes.note(line, what);
    }

    /// Records and notes that follow come from this file (a table of a package).
    fn set_file(&mut self, file: &str) {
        self.file = file.to_string();
        self.notes.set_file(file);
    }
}

/// Nested services may name their locations by `location_id` only, the organization holding
/// the locations themselves.
fn with_locations_resolved(service: &Obj, org_locations: &[&Obj]) -> Obj {
    let mut service = service.clone();
    if let Some(Value::Array(sals)) = service.get_mut("service_at_locations") {
        for sal in sals.iter_mut().filter_map(Value::as_object_mut) {
            if sal.contains_key("location") {
                continue;
            }
            let id = text(sal, "location_id");
            if let Some(location) = org_locations.iter().find(|l| text(l, "id") == id && id.is_some()) {
                sal.insert("location".into(), Value::Object((*location).clone()));
            }
        }
    }
    service
}

// ---------------------------------------------------------------------------------------
// Mapping one service, or one organization without services.
// ---------------------------------------------------------------------------------------

/// Service fields that are mapped, or links between records; any other with a value is
/// reported as not mapped.
const SERVICE_MAPPED: [&str; 16] = [
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "last_modified",
    "assured_date",
    "phones",
    "schedules",
    "service_at_locations",
    "languages",
    "organization",
    "cost_options",
    "attributes",
    "alternate_name",
];

const ORGANIZATION_MAPPED: [&str; 7] = ["id", "name", "email", "website", "phones", "locations", "services"];

const LOCATION_MAPPED: [&str; 9] =
    ["id", "location_type", "latitude", "longitude", "addresses", "accessibility", "languages", "phones", "schedules"];

const SCHEDULE_MAPPED: [&str; 6] = ["id", "freq", "interval", "byday", "opens_at", "closes_at"];

impl Importer {
    fn service(&mut self, svc: &Obj, org: Option<&Obj>, line: usize) {
        let org = org.or_else(|| svc.get("organization").and_then(Value::as_object));
        let mut rec = RawRecord::new(line);
        let id = text(svc, "id").unwrap_or_default();
        rec.text("id", make_id(&format!("hsds-{id}")));
        self.name_and_texts(&mut rec, svc, line);
        let themes = self.service_themes(svc, line);
        self.set_themes(&mut rec, themes, &id, line);
        self.status(&mut rec, svc, line);
        self.updated(&mut rec, svc);
        self.contacts(&mut rec, svc, org, line);
        let sals = list_of(svc, "service_at_locations");
        let location = self.location(&mut rec, &sals, line);
        self.hours(&mut rec, svc, &sals, location, line);
        self.languages(&mut rec, svc, location, line);
        if let Some(price) = price(svc) {
            rec.text("price", price);
        }
        let audience = audience_of_ages(number(svc, "minimum_age"), number(svc, "maximum_age"));
        if !audience.is_empty() {
            rec.list("audience", audience.into_iter().map(String::from).collect());
        }
        rec.text("source", source_of(org));
        self.unmapped_fields(svc, &SERVICE_MAPPED, "field", line);
        for sal in &sals {
            self.unmapped_fields(sal, &["id", "location", "phones", "schedules"], "service_at_location field", line);
        }
        if let Some(org) = org {
            self.unmapped_fields(org, &ORGANIZATION_MAPPED, "organization field", line);
        }
        self.records.push(rec);
    }

    /// An organization without services is listed as itself.
    fn organization(&mut self, org: &Obj, line: usize) {
        let mut rec = RawRecord::new(line);
        let id = text(org, "id").unwrap_or_default();
        rec.text("id", make_id(&format!("hsds-{id}")));
        self.name_and_texts(&mut rec, org, line);
        let words =
            format!("{} {}", text(org, "name").unwrap_or_default(), text(org, "description").unwrap_or_default());
        self.set_themes(&mut rec, keyword_themes(&words), &id, line);
        self.contacts(&mut rec, &Obj::new(), Some(org), line);
        let locations: Vec<Obj> = list_of(org, "locations")
            .into_iter()
            .map(|l| {
                let mut sal = Obj::new();
                sal.insert("location".into(), Value::Object(l.clone()));
                sal
            })
            .collect();
        let sals: Vec<&Obj> = locations.iter().collect();
        let location = self.location(&mut rec, &sals, line);
        self.hours(&mut rec, &Obj::new(), &sals, location, line);
        rec.text("source", source_of(Some(org)));
        self.unmapped_fields(org, &[&ORGANIZATION_MAPPED[..], &["description"]].concat(), "organization field", line);
        self.records.push(rec);
    }

    /// Name, summary and description. The summary is the description's first sentence: an
    /// `alternate_name` is another name, not a summary, and is used only without description.
    fn name_and_texts(&mut self, rec: &mut RawRecord, obj: &Obj, line: usize) {
        if let Some(name) = text(obj, "name") {
            if name.chars().count() > MAX_NAME {
                self.note(line, format!("name longer than {MAX_NAME} characters: shortened"));
            }
            rec.text("name", shorten(&name, MAX_NAME));
        }
        match text(obj, "description") {
            Some(description) => {
                rec.text("summary", summary_of(&description));
                rec.text("description", description);
                if text(obj, "alternate_name").is_some() {
                    self.note(line, "field alternate_name: not mapped");
                }
            }
            None => {
                if let Some(other) = text(obj, "alternate_name") {
                    rec.text("summary", shorten(&other, 200));
                }
            }
        }
    }

    /// Taxonomy terms first (attributes), then the service's own words.
    fn service_themes(&mut self, svc: &Obj, line: usize) -> Vec<&'static str> {
        let mut themes = Vec::new();
        for attribute in list_of(svc, "attributes") {
            let Some(term) = attribute.get("taxonomy_term").and_then(Value::as_object) else {
                continue;
            };
            let label = [text(term, "name"), text(term, "code")].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let found = keyword_themes(&label);
            if found.is_empty() {
                self.note(line, format!("taxonomy term \"{label}\": no theme of ours"));
            }
            themes.extend(found);
        }
        if themes.is_empty() {
            let words =
                format!("{} {}", text(svc, "name").unwrap_or_default(), text(svc, "description").unwrap_or_default());
            themes = keyword_themes(&words);
        }
        dedup(themes)
    }

    fn set_themes(&mut self, rec: &mut RawRecord, themes: Vec<&'static str>, id: &str, line: usize) {
        let themes = if themes.is_empty() {
            self.note(line, format!("no theme of ours for \"{id}\": filed under {FALLBACK_THEME}"));
            vec![FALLBACK_THEME]
        } else {
            themes
        };
        rec.list("themes", themes.into_iter().map(String::from).collect());
    }

    fn status(&mut self, rec: &mut RawRecord, svc: &Obj, line: usize) {
        let Some(status) = text(svc, "status") else {
            return;
        };
        match status.to_lowercase().as_str() {
            "active" => rec.text("status", "actif"),
            "inactive" | "defunct" => rec.text("status", "inactif"),
            "temporarily closed" => rec.text("status", "ferme-temporairement"),
            _ => self.note(line, format!("status \"{status}\": no status of ours")),
        }
    }

    /// The later of the last change and the last check: both say the entry was looked at.
    fn updated(&mut self, rec: &mut RawRecord, svc: &Obj) {
        let dates = ["last_modified", "assured_date"].map(|k| text(svc, k).and_then(|d| date_part(&d)));
        if let Some(latest) = dates.into_iter().flatten().max() {
            rec.text("updated", latest);
        }
    }

    /// Website, e-mail and phone: the service's own, else its organization's.
    fn contacts(&mut self, rec: &mut RawRecord, svc: &Obj, org: Option<&Obj>, line: usize) {
        let empty = Obj::new();
        let org = org.unwrap_or(&empty);
        let urls = [text(svc, "url"), text(org, "website")];
        if let Some(url) = urls.iter().flatten().find(|u| valid_url(u)) {
            rec.text("website", url.clone());
        } else if let Some(url) = urls.iter().flatten().next() {
            self.note(line, format!("url \"{url}\": not an http(s) address, dropped"));
        }
        if let Some(email) = text(svc, "email").or_else(|| text(org, "email")) {
            rec.text("email", email);
        }
        let mut phones = list_of(svc, "phones");
        for sal in list_of(svc, "service_at_locations") {
            phones.extend(list_of(sal, "phones"));
            if let Some(location) = sal.get("location").and_then(Value::as_object) {
                phones.extend(list_of(location, "phones"));
            }
        }
        phones.extend(list_of(org, "phones"));
        self.phone(rec, &phones, line);
    }

    fn phone(&mut self, rec: &mut RawRecord, phones: &[&Obj], line: usize) {
        let Some(phone) = phones.iter().find(|p| text(p, "number").is_some()) else {
            return;
        };
        let number = text(phone, "number").unwrap_or_default();
        match clean_phone(&number) {
            Some(n) => {
                rec.text("phone", n);
                if let Some(ext) = text(phone, "extension") {
                    self.note(line, format!("phone extension {ext}: not mapped"));
                }
            }
            None => self.note(line, format!("phone {number}: not a number we can use, dropped")),
        }
    }

    /// The service's place: its first physical location. Returns it for hours and languages.
    fn location<'a>(&mut self, rec: &mut RawRecord, sals: &[&'a Obj], line: usize) -> Option<&'a Obj> {
        let locations: Vec<&Obj> = sals.iter().filter_map(|s| s.get("location").and_then(Value::as_object)).collect();
        let physical: Vec<&Obj> =
            locations.iter().copied().filter(|l| text(l, "location_type").as_deref() != Some("virtual")).collect();
        if physical.is_empty() && !locations.is_empty() {
            // Only virtual locations: a service used online.
            rec.set("online", RawValue::Bool(true));
            return locations.first().copied();
        }
        let location = *physical.first()?;
        if physical.len() > 1 {
            self.note(line, format!("{} locations: only the first is kept", physical.len()));
        }
        let input = self.place_input(location);
        apply_place(rec, &input, &self.reference, &mut self.notes, line);
        let accessibility = accessibility_of(location);
        if !accessibility.is_empty() {
            rec.list("accessibility", accessibility.into_iter().map(String::from).collect());
        }
        self.unmapped_fields(location, &LOCATION_MAPPED, "location field", line);
        Some(location)
    }

    /// The location's physical address if it has one, else its only address.
    fn place_input(&mut self, location: &Obj) -> PlaceInput {
        let addresses = list_of(location, "addresses");
        let address = addresses
            .iter()
            .find(|a| text(a, "address_type").as_deref() == Some("physical"))
            .or_else(|| addresses.first())
            .copied();
        let mut input = PlaceInput {
            latitude: number(location, "latitude"),
            longitude: number(location, "longitude"),
            ..Default::default()
        };
        if let Some(a) = address {
            let country = text(a, "country").unwrap_or_default();
            let in_france = country.is_empty() || ["fr", "fra", "france"].contains(&country.to_lowercase().as_str());
            input.city = text(a, "city").unwrap_or_default();
            input.postcode = text(a, "postal_code").unwrap_or_default();
            input.address =
                [text(a, "address_1"), text(a, "address_2")].into_iter().flatten().collect::<Vec<_>>().join(", ");
            if !in_france {
                // A foreign postcode could look like ours: say where it is instead.
                input.postcode.clear();
                input.city = format!("{} ({country})", input.city);
            }
        }
        input
    }

    /// Schedules of the service, else of its service-at-location, else of its location.
    fn hours(&mut self, rec: &mut RawRecord, svc: &Obj, sals: &[&Obj], location: Option<&Obj>, line: usize) {
        let mut schedules = list_of(svc, "schedules");
        if schedules.is_empty() {
            schedules = sals.iter().flat_map(|s| list_of(s, "schedules")).collect();
        }
        if schedules.is_empty() {
            schedules = location.map(|l| list_of(l, "schedules")).unwrap_or_default();
        }
        // The same schedule is often repeated at each level: keep each id once.
        let mut seen = Vec::new();
        schedules.retain(|s| {
            let id = text(s, "id");
            let first = id.is_none() || !seen.contains(&id);
            seen.push(id);
            first
        });
        if schedules.is_empty() {
            return;
        }
        for s in &schedules {
            self.unmapped_fields(s, &SCHEDULE_MAPPED, "schedule field", line);
        }
        match opening_hours_of(&schedules) {
            Ok(hours) => rec.text("opening_hours", hours),
            Err(why) => self.note(line, format!("schedules: {why}: opening hours not kept")),
        }
    }

    fn languages(&mut self, rec: &mut RawRecord, svc: &Obj, location: Option<&Obj>, line: usize) {
        let mut all = list_of(svc, "languages");
        all.extend(location.map(|l| list_of(l, "languages")).unwrap_or_default());
        let mut codes: Vec<String> = Vec::new();
        for language in all {
            let (code, name) = (text(language, "code"), text(language, "name"));
            match iso_639_1(code.as_deref(), name.as_deref()) {
                Some(c) if !codes.contains(&c) => codes.push(c),
                Some(_) => {}
                None => self.note(line, format!("language {}: no ISO 639-1 code", code.or(name).unwrap_or_default())),
            }
        }
        if !codes.is_empty() {
            rec.list("languages", codes);
        }
    }

    /// One report line per field with a value that we have no place for; keys ending in
    /// `_id` are links between records, not information.
    fn unmapped_fields(&mut self, obj: &Obj, mapped: &[&str], what: &str, line: usize) {
        for (key, value) in obj {
            if !mapped.contains(&key.as_str()) && !key.ends_with("_id") && !is_blank(value) {
                self.note(line, format!("{what} {key}: not mapped"));
            }
        }
    }
}

fn source_of(org: Option<&Obj>) -> String {
    match org.and_then(|o| text(o, "name")) {
        Some(name) => format!("HSDS: {name}"),
        None => "HSDS".to_string(),
    }
}

/// `gratuit` when it is free, `payant` when a cost is given; nothing when unsure (the
/// fees text is reported as not mapped anyway).
fn price(svc: &Obj) -> Option<&'static str> {
    let amounts: Vec<f64> = list_of(svc, "cost_options").iter().filter_map(|c| number(c, "amount")).collect();
    if !amounts.is_empty() {
        return Some(if amounts.iter().all(|a| *a == 0.0) { "gratuit" } else { "payant" });
    }
    let fees =
        format!("{} {}", text(svc, "fees").unwrap_or_default(), text(svc, "fees_description").unwrap_or_default());
    Words::of(&fees).mention(&["free", "gratuit*", "no-cost", "nocost"]).then_some("gratuit")
}

fn audience_of_ages(min: Option<f64>, max: Option<f64>) -> Vec<&'static str> {
    let mut out = Vec::new();
    if max.is_some_and(|m| m <= 25.0) {
        out.push("jeunes");
    }
    if min.is_some_and(|m| m >= 60.0) {
        out.push("seniors");
    }
    out
}

fn accessibility_of(location: &Obj) -> Vec<&'static str> {
    let said: Vec<String> = list_of(location, "accessibility")
        .iter()
        .flat_map(|a| [text(a, "description"), text(a, "details")])
        .flatten()
        .collect();
    let words = Words::of(&said.join(" "));
    let mut out = Vec::new();
    if words.mention(&["wheelchair*", "pmr", "fauteuil*", "step", "ramp*"]) {
        out.push("pmr");
    }
    if words.mention(&["hearing", "induction", "deaf*", "malentendant*", "sourd*", "boucle*"]) {
        out.push("malentendants");
    }
    if words.mention(&["braille", "blind*", "visually", "malvoyant*", "aveugle*"]) {
        out.push("malvoyants");
    }
    out
}

/// An ISO 639-1 code from a code (2 or 3 letters) or an English or French name.
fn iso_639_1(code: Option<&str>, name: Option<&str>) -> Option<String> {
    const LANGUAGES: [(&str, &str, &[&str]); 36] = [
        ("en", "eng", &["english", "anglais"]),
        ("fr", "fra", &["french", "francais"]),
        ("ar", "ara", &["arabic", "arabe"]),
        ("es", "spa", &["spanish", "espagnol"]),
        ("pt", "por", &["portuguese", "portugais"]),
        ("de", "deu", &["german", "allemand"]),
        ("it", "ita", &["italian", "italien"]),
        ("ur", "urd", &["urdu", "ourdou"]),
        ("pl", "pol", &["polish", "polonais"]),
        ("sk", "slk", &["slovak", "slovaque"]),
        ("ru", "rus", &["russian", "russe"]),
        ("zh", "zho", &["chinese", "chinois", "mandarin"]),
        ("tr", "tur", &["turkish", "turc"]),
        ("ro", "ron", &["romanian", "roumain"]),
        ("uk", "ukr", &["ukrainian", "ukrainien"]),
        ("fa", "fas", &["persian", "farsi", "persan"]),
        ("ta", "tam", &["tamil", "tamoul"]),
        ("bn", "ben", &["bengali"]),
        ("vi", "vie", &["vietnamese", "vietnamien"]),
        ("hi", "hin", &["hindi"]),
        ("pa", "pan", &["punjabi", "pendjabi"]),
        ("so", "som", &["somali"]),
        ("ti", "tir", &["tigrinya", "tigrigna"]),
        ("am", "amh", &["amharic", "amharique"]),
        ("ps", "pus", &["pashto", "pachto"]),
        ("ln", "lin", &["lingala"]),
        ("wo", "wol", &["wolof"]),
        ("bm", "bam", &["bambara"]),
        ("ku", "kur", &["kurdish", "kurde"]),
        ("nl", "nld", &["dutch", "neerlandais"]),
        ("el", "ell", &["greek", "grec"]),
        ("he", "heb", &["hebrew", "hebreu"]),
        ("ja", "jpn", &["japanese", "japonais"]),
        ("ko", "kor", &["korean", "coreen"]),
        ("sq", "sqi", &["albanian", "albanais"]),
        ("hy", "hye", &["armenian", "armenien"]),
    ];
    // Bibliographic 639-2 codes some publishers use.
    const ALIASES: [(&str, &str); 7] =
        [("fre", "fr"), ("ger", "de"), ("chi", "zh"), ("rum", "ro"), ("per", "fa"), ("dut", "nl"), ("gre", "el")];
    if let Some(code) = code.map(|c| c.trim().to_lowercase()) {
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Some(code);
        }
        if let Some((two, _, _)) = LANGUAGES.iter().find(|(_, three, _)| *three == code) {
            return Some(two.to_string());
        }
        if let Some((_, two)) = ALIASES.iter().find(|(three, _)| *three == code) {
            return Some(two.to_string());
        }
    }
    let name = crate::text::fold(name?.trim());
    LANGUAGES.iter().find(|(_, _, names)| names.contains(&name.as_str())).map(|(two, _, _)| two.to_string())
}

// ---------------------------------------------------------------------------------------
// Schedules → OpenStreetMap opening_hours.
// ---------------------------------------------------------------------------------------

const DAYS: [(&str, &str); 7] =
    [("MO", "Mo"), ("TU", "Tu"), ("WE", "We"), ("TH", "Th"), ("FR", "Fr"), ("SA", "Sa"), ("SU", "Su")];

/// Weekly (and daily) schedules become day groups with their hours, monthly ones with a
/// numbered weekday (`1SA`) become `Sa[1]`; the result is checked by the same parser as our
/// validator. Validity dates and the other RRULE parts are reported, not kept.
fn opening_hours_of(schedules: &[&Obj]) -> Result<String, String> {
    let mut week: [Vec<String>; 7] = Default::default();
    let mut monthly: Vec<(usize, i32, String)> = Vec::new();
    for s in schedules {
        let span = format!("{}-{}", clock(s, "opens_at")?, clock(s, "closes_at")?);
        if number(s, "interval").is_some_and(|i| i != 1.0) {
            return Err("an interval other than 1".into());
        }
        let freq = text(s, "freq").unwrap_or_default().to_uppercase();
        let byday: Vec<String> = text(s, "byday")
            .unwrap_or_default()
            .split(',')
            .map(|d| d.trim().to_uppercase())
            .filter(|d| !d.is_empty())
            .collect();
        match freq.as_str() {
            "DAILY" if byday.is_empty() => week.iter_mut().for_each(|d| d.push(span.clone())),
            "" | "WEEKLY" | "DAILY" if !byday.is_empty() => {
                for day in &byday {
                    week[day_index(day).ok_or(format!("day \"{day}\""))?].push(span.clone());
                }
            }
            "MONTHLY" if !byday.is_empty() => {
                for day in &byday {
                    let (nth, code) = day.split_at(day.len().saturating_sub(2));
                    let nth: i32 = nth.trim_start_matches('+').parse().map_err(|_| format!("day \"{day}\""))?;
                    let index = day_index(code).ok_or(format!("day \"{day}\""))?;
                    if nth == 0 || nth.abs() > 5 {
                        return Err(format!("day \"{day}\""));
                    }
                    monthly.push((index, nth, span.clone()));
                }
            }
            _ => return Err(format!("frequency \"{freq}\" without days")),
        }
    }
    let mut rules = weekly_rules(&mut week);
    rules.extend(monthly.iter().map(|(d, n, span)| format!("{}[{n}] {span}", DAYS[*d].1)));
    let hours = rules.join("; ");
    if hours.is_empty() || !valid_hours(&hours) {
        return Err(format!("\"{hours}\" is not valid opening_hours"));
    }
    Ok(hours)
}

/// Days with the same hours grouped, in week order: `Mo-Th 09:00-12:00,15:00-17:00`.
fn weekly_rules(week: &mut [Vec<String>; 7]) -> Vec<String> {
    for spans in week.iter_mut() {
        spans.sort();
        spans.dedup();
    }
    let mut done = [false; 7];
    let mut rules = Vec::new();
    for first in 0..7 {
        if done[first] || week[first].is_empty() {
            continue;
        }
        let days: Vec<usize> = (first..7).filter(|&d| week[d] == week[first]).collect();
        days.iter().for_each(|&d| done[d] = true);
        rules.push(format!("{} {}", day_ranges(&days), week[first].join(",")));
    }
    rules
}

/// `[0,1,2,3]` → `Mo-Th`; `[3,4]` → `Th,Fr`; `[0,2]` → `Mo,We`.
fn day_ranges(days: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        match j - i {
            0 => parts.push(DAYS[days[i]].1.to_string()),
            1 => parts.push(format!("{},{}", DAYS[days[i]].1, DAYS[days[j]].1)),
            _ => parts.push(format!("{}-{}", DAYS[days[i]].1, DAYS[days[j]].1)),
        }
        i = j + 1;
    }
    parts.join(",")
}

fn day_index(code: &str) -> Option<usize> {
    DAYS.iter().position(|(c, _)| *c == code)
}

/// `09:00:00Z`, `9:00`, `17:30:00+01:00` → `HH:MM` (HSDS times are local in practice).
fn clock(s: &Obj, key: &str) -> Result<String, String> {
    let raw = text(s, key).ok_or(format!("no {key}"))?;
    let mut parts = raw.split(':');
    let hour: u32 = parts.next().and_then(|h| h.trim().parse().ok()).ok_or(format!("{key} \"{raw}\""))?;
    let minute: u32 =
        parts.next().and_then(|m| m.get(..2)).and_then(|m| m.parse().ok()).ok_or(format!("{key} \"{raw}\""))?;
    if hour > 24 || minute > 59 {
        return Err(format!("{key} \"{raw}\""));
    }
    Ok(format!("{hour:02}:{minute:02}"))
}

// ---------------------------------------------------------------------------------------
// Tables: the CSV package, or tabular.json.
// ---------------------------------------------------------------------------------------

/// One table: the file its rows were read from (for the report) and its rows with their
/// lines, each row as a JSON object so tables and nested JSON are mapped alike.
struct Table {
    file: String,
    rows: Vec<(usize, Obj)>,
}

/// Tables by name without `.csv` (`services`, `service_at_location`…).
type Tables = HashMap<String, Table>;

/// The tables our mapping reads; any other table with rows is reported as not mapped.
const USED_TABLES: [&str; 12] = [
    "services",
    "organizations",
    "locations",
    "addresses",
    "phones",
    "schedules",
    "service_at_location",
    "taxonomy_terms",
    "attributes",
    "languages",
    "cost_options",
    "accessibility",
];

fn read_package(dir: &Path) -> Result<Tables, Vec<Problem>> {
    let mut tables = Tables::new();
    let mut problems = Vec::new();
    for path in package_files(dir) {
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        match read_table(&path) {
            Ok(table) => {
                tables.insert(stem, table);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !tables.contains_key("services") && !tables.contains_key("organizations") {
        let at = dir.join("services.csv");
        return Err(vec![file_problem(&at, 1, "file", "an HSDS package needs services.csv or organizations.csv")]);
    }
    Ok(tables)
}

/// The CSV files of a package: the resources its `datapackage.json` lists (only plain file
/// names inside the directory: a package must not make us read elsewhere), or else every
/// `.csv` file of the directory.
fn package_files(dir: &Path) -> Vec<PathBuf> {
    let listed: Option<Vec<PathBuf>> = std::fs::read(dir.join("datapackage.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v.get("resources").and_then(Value::as_array).cloned())
        .map(|resources| {
            resources
                .iter()
                .filter_map(|r| r.get("path").and_then(Value::as_str))
                .filter(|p| p.ends_with(".csv") && !p.contains(['/', '\\']) && !p.starts_with('.'))
                .map(|p| dir.join(p))
                .filter(|p| p.is_file())
                .collect()
        });
    match listed {
        Some(files) if !files.is_empty() => files,
        _ => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|entries| {
                    entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "csv")).collect()
                })
                .unwrap_or_default();
            files.sort();
            files
        }
    }
}

/// One CSV table; empty cells and the literal `null` some publishers write are absent values.
fn read_table(path: &Path) -> Result<Table, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![file_problem(path, 1, "header", format!("unreadable CSV: {e}"))]);
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| line_of(bytes, p.byte())).unwrap_or(0);
            vec![file_problem(path, line, "row", format!("unreadable CSV: {e}"))]
        })?;
        let line = record.position().map(|p| line_of(bytes, p.byte())).unwrap_or(0);
        let row: Obj = header
            .iter()
            .zip(record.iter())
            .filter(|(_, cell)| !cell.trim().is_empty() && cell.trim() != "null")
            .map(|(name, cell)| (name.clone(), Value::String(cell.trim().to_string())))
            .collect();
        if !row.is_empty() {
            rows.push((line, row));
        }
    }
    Ok(Table { file: file_label(path), rows })
}

/// The line a record starts on, from its byte offset: the csv crate counts the line of a
/// record that follows a CRLF one short (the offset points at the `\n`), and Open
/// Referral's files use CRLF.
fn line_of(bytes: &[u8], offset: u64) -> usize {
    let mut start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `tabular.json`: the package's tables as arrays keyed by file name.
fn tables_from_json(obj: &Obj, file: &str, at: &Loc, lines: &ObjectLines) -> Tables {
    let mut tables = Tables::new();
    for (key, value) in obj {
        let Some(name) = key.strip_suffix(".csv") else {
            continue;
        };
        let rows = value
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, row)| {
                let row = row.as_object()?;
                let line = lines.line(&at.child(&format!("{key}/{i}")), 1);
                Some((line, row.iter().filter(|(_, v)| !is_blank(v)).map(|(k, v)| (k.clone(), v.clone())).collect()))
            })
            .collect();
        tables.insert(name.to_string(), Table { file: file.to_string(), rows });
    }
    tables
}

/// Rows of `table` grouped by the value of `column`.
fn index<'t>(tables: &'t Tables, table: &str, column: &str) -> HashMap<String, Vec<&'t Obj>> {
    let mut out: HashMap<String, Vec<&Obj>> = HashMap::new();
    for (_, row) in tables.get(table).map(|t| t.rows.as_slice()).unwrap_or_default() {
        if let Some(key) = text(row, column) {
            out.entry(key).or_default().push(row);
        }
    }
    out
}

/// The indexes a package needs to nest its tables.
struct Joins<'t> {
    organizations: HashMap<String, Vec<&'t Obj>>,
    locations: HashMap<String, Vec<&'t Obj>>,
    terms: HashMap<String, Vec<&'t Obj>>,
    by_service: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    by_location: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    by_sal: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    attributes: HashMap<String, Vec<&'t Obj>>,
}

impl<'t> Joins<'t> {
    fn new(t: &'t Tables) -> Self {
        let per = |column: &str, names: &[&'static str]| names.iter().map(|n| (*n, index(t, n, column))).collect();
        Joins {
            organizations: index(t, "organizations", "id"),
            locations: index(t, "locations", "id"),
            terms: index(t, "taxonomy_terms", "id"),
            by_service: per("service_id", &["phones", "schedules", "languages", "cost_options", "service_at_location"]),
            by_location: per("location_id", &["addresses", "accessibility", "languages", "phones", "schedules"]),
            by_sal: per("service_at_location_id", &["phones", "schedules"]),
            attributes: index(t, "attributes", "link_id"),
        }
    }

    fn rows(map: &HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>, table: &str, id: &str) -> Value {
        let rows = map.get(table).and_then(|m| m.get(id)).map(Vec::as_slice).unwrap_or_default();
        Value::Array(rows.iter().map(|r| Value::Object((*r).clone())).collect())
    }

    /// A service row with its related rows nested as in `service_full.json`.
    fn service(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut s = row.clone();
        for table in ["phones", "schedules", "languages", "cost_options"] {
            s.insert(table.into(), Self::rows(&self.by_service, table, &id));
        }
        let attributes = self.attributes.get(&id).map(Vec::as_slice).unwrap_or_default();
        let attributes = attributes
            .iter()
            .filter_map(|a| {
                let term = self.terms.get(&text(a, "taxonomy_term_id")?)?.first()?;
                let mut a = (*a).clone();
                a.insert("taxonomy_term".into(), Value::Object((*term).clone()));
                Some(Value::Object(a))
            })
            .collect();
        s.insert("attributes".into(), Value::Array(attributes));
        let sals =
            self.by_service.get("service_at_location").and_then(|m| m.get(&id)).map(Vec::as_slice).unwrap_or_default();
        let sals = sals.iter().map(|sal| Value::Object(self.service_at_location(sal))).collect();
        s.insert("service_at_locations".into(), Value::Array(sals));
        s
    }

    fn service_at_location(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut sal = row.clone();
        for table in ["phones", "schedules"] {
            sal.insert(table.into(), Self::rows(&self.by_sal, table, &id));
        }
        if let Some(location) = text(row, "location_id").and_then(|l| self.locations.get(&l)).and_then(|l| l.first()) {
            sal.insert("location".into(), Value::Object(self.location(location)));
        }
        sal
    }

    fn location(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut location = row.clone();
        for table in ["addresses", "accessibility", "languages", "phones", "schedules"] {
            location.insert(table.into(), Self::rows(&self.by_location, table, &id));
        }
        location
    }

    fn organization(&self, id: Option<String>) -> Option<&'t Obj> {
        self.organizations.get(&id?)?.first().copied()
    }
}

impl Importer {
    fn tables(&mut self, t: &Tables) {
        let joins = Joins::new(t);
        let package_file = self.file.clone();
        let mut organizations_with_services = Vec::new();
        if let Some(services) = t.get("services") {
            self.set_file(&services.file);
            for (line, row) in &services.rows {
                let org = joins.organization(text(row, "organization_id"));
                organizations_with_services.extend(text(row, "organization_id"));
                self.service(&joins.service(row), org, *line);
            }
        }
        if let Some(organizations) = t.get("organizations") {
            self.set_file(&organizations.file);
            let locations = index(t, "locations", "organization_id");
            for (line, row) in &organizations.rows {
                let id = text(row, "id").unwrap_or_default();
                if organizations_with_services.contains(&id) {
                    continue;
                }
                let mut org = row.clone();
                let own = locations.get(&id).map(Vec::as_slice).unwrap_or_default();
                org.insert(
                    "locations".into(),
                    Value::Array(own.iter().map(|l| Value::Object(joins.location(l))).collect()),
                );
                self.organization(&org, *line);
            }
        }
        self.set_file(&package_file);
        let mut unused: Vec<(&String, &Table)> =
            t.iter().filter(|(name, table)| !USED_TABLES.contains(&name.as_str()) && !table.rows.is_empty()).collect();
        unused.sort_by_key(|(name, _)| name.as_str());
        for (name, table) in unused {
            let line = table.rows.first().map(|(l, _)| *l).unwrap_or(1);
            let rows = table.rows.len();
            self.notes.note_in(&table.file, line, format!("table {name}.csv: not mapped ({rows} rows)"));
        }
    }
}

fn list_of<'a>(obj: &'a Obj, key: &str) -> Vec<&'a Obj> {
    obj.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect()
}

// ---------------------------------------------------------------------------------------
// Lines of nested objects.
// ---------------------------------------------------------------------------------------

/// Where a value sits: the top-level document and a JSON-pointer-like path in it.
struct Loc {
    doc: usize,
    ptr: String,
}

impl Loc {
    fn child(&self, path: &str) -> Loc {
        Loc { doc: self.doc, ptr: format!("{}/{path}", self.ptr) }
    }
}

/// The line on which every object of a JSON text starts, by position, so a service nested
/// in an organization or a page is reported at its own line. serde_json keeps no
/// positions, so this is a small scan of the text's structure (strings skipped).
struct ObjectLines(HashMap<(usize, String), usize>);

enum Frame {
    Object { key: String, expect_key: bool },
    Array { index: usize },
}

impl ObjectLines {
    fn scan(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut map = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let (mut doc, mut line, mut i) = (0, 1, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    if let Some(Frame::Object { key, expect_key: true }) = stack.last_mut() {
                        *key = text.get(start..i.min(bytes.len())).unwrap_or_default().to_string();
                    }
                }
                b':' => {
                    if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                        *expect_key = false;
                    }
                }
                b',' => match stack.last_mut() {
                    Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                },
                open @ (b'{' | b'[') => {
                    if open == b'{' {
                        map.insert((doc, pointer(&stack)), line);
                    }
                    stack.push(if open == b'{' {
                        Frame::Object { key: String::new(), expect_key: true }
                    } else {
                        Frame::Array { index: 0 }
                    });
                }
                b'}' | b']' => {
                    stack.pop();
                    if stack.is_empty() {
                        doc += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        ObjectLines(map)
    }

    fn line(&self, at: &Loc, fallback: usize) -> usize {
        self.0.get(&(at.doc, at.ptr.clone())).copied().unwrap_or(fallback)
    }
}

fn pointer(stack: &[Frame]) -> String {
    stack
        .iter()
        .map(|f| match f {
            Frame::Object { key, .. } => format!("/{key}"),
            Frame::Array { index } => format!("/{index}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn weekly_and_monthly_schedules_become_opening_hours() {
        let s = [
            obj(
                serde_json::json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "09:00:00Z", "closes_at": "12:00:00Z"}),
            ),
            obj(
                serde_json::json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "15:00:00Z", "closes_at": "17:00:00Z"}),
            ),
            obj(serde_json::json!({"freq": "MONTHLY", "byday": "1SA", "opens_at": "09:00", "closes_at": "17:00"})),
        ];
        let refs: Vec<&Obj> = s.iter().collect();
        assert_eq!(opening_hours_of(&refs).unwrap(), "Mo-Th 09:00-12:00,15:00-17:00; Sa[1] 09:00-17:00");
    }

    #[test]
    fn schedules_we_cannot_express_are_refused() {
        let every_other_week = obj(
            serde_json::json!({"freq": "WEEKLY", "interval": 2, "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"}),
        );
        assert!(opening_hours_of(&[&every_other_week]).is_err());
        let no_time = obj(serde_json::json!({"freq": "WEEKLY", "byday": "MO"}));
        assert_eq!(opening_hours_of(&[&no_time]).unwrap_err(), "no opens_at");
    }

    #[test]
    fn csv_lines_count_crlf_records() {
        let bytes = b"a,b\r\n1,2\r\n3,4\r\n";
        assert_eq!(line_of(bytes, 4), 2, "offset of the LF ending the header");
        assert_eq!(line_of(bytes, 9), 3);
        assert_eq!(line_of(b"a,b\n1,2\n", 4), 2);
    }

    #[test]
    fn day_groups() {
        assert_eq!(day_ranges(&[0, 1, 2, 3]), "Mo-Th");
        assert_eq!(day_ranges(&[3, 4]), "Th,Fr");
        assert_eq!(day_ranges(&[0, 2, 4, 5, 6]), "Mo,We,Fr-Su");
    }

    #[test]
    fn languages_from_codes_or_names() {
        assert_eq!(iso_639_1(Some("ur"), None).as_deref(), Some("ur"));
        assert_eq!(iso_639_1(Some("eng"), None).as_deref(), Some("en"));
        assert_eq!(iso_639_1(Some("fre"), None).as_deref(), Some("fr"));
        assert_eq!(iso_639_1(None, Some("Français")).as_deref(), Some("fr"));
        assert_eq!(iso_639_1(Some("xyz"), Some("Klingon")), None);
    }

    #[test]
    fn shapes_are_told_apart() {
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "name": "a", "status": "active"}))), Shape::Service);
        assert_eq!(
            shape(&obj(serde_json::json!({"id": "1", "name": "a", "website": "http://a.b"}))),
            Shape::Organization
        );
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "service": {}}))), Shape::ServiceAtLocation);
        assert_eq!(shape(&obj(serde_json::json!({"contents": []}))), Shape::Page);
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "location_type": "physical"}))), Shape::Other);
    }

    #[test]
    fn nested_objects_have_their_own_lines() {
        let text = "{\n \"a\": \"{not a brace\",\n \"services\": [\n  {\"id\": 1},\n  {\n   \"id\": 2}\n ]\n}\n";
        let lines = ObjectLines::scan(text);
        let root = Loc { doc: 0, ptr: String::new() };
        assert_eq!(lines.line(&root, 0), 1);
        assert_eq!(lines.line(&root.child("services/0"), 0), 4);
        assert_eq!(lines.line(&root.child("services/1"), 0), 5);
    }

    #[test]
    fn price_from_costs_or_words() {
        assert_eq!(price(&obj(serde_json::json!({"cost_options": [{"amount": 35}]}))), Some("payant"));
        assert_eq!(price(&obj(serde_json::json!({"cost_options": [{"amount": "0"}]}))), Some("gratuit"));
        assert_eq!(price(&obj(serde_json::json!({"fees_description": "Free of charge"}))), Some("gratuit"));
        assert_eq!(price(&obj(serde_json::json!({"fees": "fees_description"}))), None);
    }
}
