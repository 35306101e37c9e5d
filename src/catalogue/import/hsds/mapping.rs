//! Mapping one HSDS service, or one organization without services, onto our record.

use serde_json::Value;

use super::schedules::opening_hours_of;
use super::{Importer, Obj, list_of};
use crate::catalogue::import::common::{
    FALLBACK_THEME, MAX_NAME, PlaceInput, Words, apply_place, clean_phone, date_part, dedup, is_blank, keyword_themes,
    make_id, number, shorten, summary_of, text,
};
use crate::catalogue::validate::{RawRecord, RawValue, valid_url};

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
    pub(super) fn service(&mut self, svc: &Obj, org: Option<&Obj>, line: usize) {
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
    pub(super) fn organization(&mut self, org: &Obj, line: usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
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
    fn price_from_costs_or_words() {
        assert_eq!(price(&obj(serde_json::json!({"cost_options": [{"amount": 35}]}))), Some("payant"));
        assert_eq!(price(&obj(serde_json::json!({"cost_options": [{"amount": "0"}]}))), Some("gratuit"));
        assert_eq!(price(&obj(serde_json::json!({"fees_description": "Free of charge"}))), Some("gratuit"));
        assert_eq!(price(&obj(serde_json::json!({"fees": "fees_description"}))), None);
    }
}
