//! What the catalogue shipped in the binary (`seeds/initiatives.csv`) must always satisfy, so
//! that a visitor can act on an entry and staff can trust it (issue 16):
//!
//! - every fact a visitor acts on (address, phone, e-mail, opening hours) names the page it
//!   was taken from in `sources`;
//! - no `updated` date lies in the future (it is the day a page or a person confirmed the
//!   entry, or empty when nobody did);
//! - summaries are short (at most 120 characters, about 15 words), free of jargon, and not
//!   the same template sentence repeated from entry to entry;
//! - every place you go to (`online=false`) that has an address has a commune;
//! - no entry is `actif` while a page reports it closed (`seeds/closed_reported.csv`, the list
//!   moderators review).
//!
//! Each check is a function returning what is wrong; `each_check_can_fail` feeds it a broken
//! entry, so that none of them passes by construction.

use std::path::Path;

use wic::catalogue::import::canonical;
use wic::catalogue::validate::{unsourced_facts, valid_date, valid_url};
use wic::catalogue::{Initiative, Reference, Validator};

const CLOSED_REPORTED: &str = include_str!("../seeds/closed_reported.csv");

/// Longest summary, in characters (a line of the kiosk's result list).
const SUMMARY_MAX_CHARS: usize = 120;
/// Longest summary, in words: "about 15 words", with a little give for short words.
const SUMMARY_MAX_WORDS: usize = 18;

/// Words and phrases a visitor who reads little would not understand, matched without regard
/// to case. Explain the thing instead ("on y travaille quelques mois pour reprendre pied").
const BANNED_PHRASES: [&str; 14] = [
    "prescripteur",
    "coopérative d'activité et d'emploi",
    "chantier d'insertion",
    "lauréat",
    "appel à projets",
    "appel à projet",
    "économie sociale et solidaire",
    "structure d'insertion",
    "insertion par l'activité économique",
    "porteurs de projet",
    "porteur de projet",
    "public cible",
    "dispositif",
    "publics fragiles",
];
/// Acronyms, matched as whole words and in capitals only (so "ess" inside a word is fine).
const BANNED_ACRONYMS: [&str; 7] = ["ESS", "SIAE", "IAE", "ACI", "CAE", "EI", "ETTI"];

/// The seed catalogue, validated exactly as the first run imports it.
fn seeds() -> Vec<Initiative> {
    let reference = Reference::embedded().unwrap();
    let path = Path::new("seeds/initiatives.csv");
    let parsed = canonical::parse_csv(path, wic::catalogue::SEED_INITIATIVES_CSV.as_bytes())
        .unwrap_or_else(|p| panic!("seeds/initiatives.csv unreadable: {}", p[0]));
    let v = Validator {
        reference: &reference,
        file: "seeds/initiatives.csv".into(),
        ignore_unknown: false,
        fix_hours: false,
    };
    v.validate_all(&parsed.records).unwrap_or_else(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        panic!("seeds/initiatives.csv does not validate:\n{}", list.join("\n"))
    })
}

fn today() -> String {
    wic::day::key(wic::hours::paris_now().date())
}

/// One row of `seeds/closed_reported.csv`: an entry a page reports closed or gone.
#[derive(Debug)]
struct ClosedReport {
    id: String,
    source: String,
    says: String,
}

fn closed_reported() -> Vec<ClosedReport> {
    let mut reader = csv::Reader::from_reader(CLOSED_REPORTED.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["id", "source", "says"], "header of seeds/closed_reported.csv");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ClosedReport { id: r[0].to_string(), source: r[1].to_string(), says: r[2].to_string() }
        })
        .collect()
}

// ------------------------------------------------------------------ the checks

fn unsourced(items: &[Initiative]) -> Vec<String> {
    items
        .iter()
        .flat_map(|i| unsourced_facts(i).into_iter().map(move |f| format!("{}: {f} has no page in `sources`", i.id)))
        .collect()
}

fn dated_in_the_future(items: &[Initiative], today: &str) -> Vec<String> {
    items
        .iter()
        .filter(|i| !i.updated.is_empty() && (!valid_date(&i.updated) || i.updated.as_str() > today))
        .map(|i| format!("{}: updated {} is after today ({today}) or not a date", i.id, i.updated))
        .collect()
}

fn long_summaries(items: &[Initiative]) -> Vec<String> {
    let mut out = Vec::new();
    for i in items {
        let chars = i.summary.chars().count();
        let words = i.summary.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        if chars > SUMMARY_MAX_CHARS {
            out.push(format!("{}: summary has {chars} characters (at most {SUMMARY_MAX_CHARS})", i.id));
        }
        if words > SUMMARY_MAX_WORDS {
            out.push(format!("{}: summary has {words} words (at most {SUMMARY_MAX_WORDS})", i.id));
        }
        if i.is_listed() && i.summary.trim().is_empty() {
            out.push(format!("{}: no summary", i.id));
        }
    }
    out
}

fn jargon(items: &[Initiative]) -> Vec<String> {
    let mut out = Vec::new();
    for i in items {
        let lower = i.summary.to_lowercase().replace('’', "'");
        for phrase in BANNED_PHRASES {
            if lower.contains(phrase) {
                out.push(format!("{}: summary says {phrase:?}", i.id));
            }
        }
        for word in i.summary.split(|c: char| !c.is_alphanumeric()) {
            if BANNED_ACRONYMS.contains(&word) {
                out.push(format!("{}: summary says {word:?}", i.id));
            }
        }
    }
    out
}

/// Summaries shared word for word by several listed entries: a template, not a description.
fn repeated_summaries(items: &[Initiative]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for i in items.iter().filter(|i| i.is_listed() && !i.summary.trim().is_empty()) {
        let key = i.summary.trim().to_lowercase();
        if let Some(first) = seen.get(&key) {
            out.push(format!("{}: same summary as {first}: {}", i.id, i.summary));
        } else {
            seen.insert(key, &i.id);
        }
    }
    out
}

fn address_without_commune(items: &[Initiative]) -> Vec<String> {
    items
        .iter()
        .filter(|i| !i.online && !i.address.trim().is_empty() && i.commune.is_empty())
        .map(|i| format!("{}: has an address ({}) but no commune", i.id, i.address))
        .collect()
}

fn active_but_reported_closed(items: &[Initiative], reports: &[ClosedReport]) -> Vec<String> {
    let mut out = Vec::new();
    for r in reports {
        match items.iter().find(|i| i.id == r.id) {
            None => out.push(format!("closed_reported.csv: {} is not in the catalogue", r.id)),
            Some(i) if i.status == "actif" => {
                out.push(format!("{}: actif, but {} says: {}", i.id, r.source, r.says));
            }
            Some(_) => {}
        }
        if !valid_url(&r.source) {
            out.push(format!("closed_reported.csv: {}: source is not an http(s) address ({})", r.id, r.source));
        }
        if r.says.trim().is_empty() {
            out.push(format!("closed_reported.csv: {}: say what the source reports", r.id));
        }
    }
    out
}

fn assert_none(what: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{what}: {} problem(s)\n{}", found.len(), found.join("\n"));
}

// ------------------------------------------------------------------ on the shipped catalogue

#[test]
fn every_fact_names_its_page() {
    assert_none("facts without a source page", unsourced(&seeds()));
}

#[test]
fn no_update_in_the_future() {
    assert_none("updated in the future", dated_in_the_future(&seeds(), &today()));
}

#[test]
fn summaries_are_short() {
    assert_none("summaries too long", long_summaries(&seeds()));
}

#[test]
fn summaries_have_no_jargon() {
    assert_none("jargon in summaries", jargon(&seeds()));
}

#[test]
fn summaries_are_not_repeated() {
    assert_none("repeated summaries", repeated_summaries(&seeds()));
}

#[test]
fn places_with_an_address_have_a_commune() {
    assert_none("addresses without a commune", address_without_commune(&seeds()));
}

#[test]
fn nothing_reported_closed_is_shown_as_active() {
    let reports = closed_reported();
    assert!(!reports.is_empty(), "seeds/closed_reported.csv lists the audit's findings");
    assert_none("reported closed but actif", active_but_reported_closed(&seeds(), &reports));
}

// ------------------------------------------------------------------ each check can fail

#[test]
fn each_check_can_fail() {
    let good = Initiative {
        id: "test-bon".into(),
        name: "Épicerie".into(),
        summary: "Des courses à petit prix.".into(),
        themes: vec!["se-nourrir".into()],
        commune: "92050".into(),
        address: "1 rue de l'Exemple".into(),
        phone: "01 23 45 67 89".into(),
        sources: vec!["address=https://exemple.fr/acces".into(), "phone=https://exemple.fr/contact".into()],
        status: "actif".into(),
        updated: "2026-01-15".into(),
        ..Default::default()
    };
    let one = |f: &dyn Fn(&mut Initiative)| {
        let mut i = good.clone();
        f(&mut i);
        vec![i]
    };
    let today = "2026-12-01";

    assert!(unsourced(std::slice::from_ref(&good)).is_empty());
    assert!(!unsourced(&one(&|i| i.sources.retain(|s| !s.starts_with("phone=")))).is_empty());
    assert!(!unsourced(&one(&|i| i.email = "contact@exemple.fr".into())).is_empty());
    assert!(!unsourced(&one(&|i| i.opening_hours = "Mo 09:00-12:00".into())).is_empty());

    assert!(dated_in_the_future(std::slice::from_ref(&good), today).is_empty());
    assert!(dated_in_the_future(&one(&|i| i.updated.clear()), today).is_empty());
    assert!(!dated_in_the_future(&one(&|i| i.updated = "2026-12-02".into()), today).is_empty());

    assert!(long_summaries(std::slice::from_ref(&good)).is_empty());
    assert!(!long_summaries(&one(&|i| i.summary = "x".repeat(121))).is_empty());
    assert!(!long_summaries(&one(&|i| i.summary = "un ".repeat(19))).is_empty());
    assert!(!long_summaries(&one(&|i| i.summary.clear())).is_empty());

    assert!(jargon(std::slice::from_ref(&good)).is_empty());
    assert!(!jargon(&one(&|i| i.summary = "Orientation par un prescripteur.".into())).is_empty());
    assert!(!jargon(&one(&|i| i.summary = "Lauréats de l'appel à projets ESS.".into())).is_empty());
    assert!(!jargon(&one(&|i| i.summary = "Un atelier chantier d’insertion.".into())).is_empty());
    assert!(jargon(&one(&|i| i.summary = "Une adresse pour les ESSais.".into())).is_empty());

    let mut twin = good.clone();
    twin.id = "test-jumeau".into();
    assert!(repeated_summaries(&[good.clone(), twin.clone()]).len() == 1);
    twin.status = "inactif".into();
    assert!(repeated_summaries(&[good.clone(), twin]).is_empty());

    assert!(address_without_commune(std::slice::from_ref(&good)).is_empty());
    assert!(!address_without_commune(&one(&|i| i.commune.clear())).is_empty());
    assert!(
        address_without_commune(&one(&|i| {
            i.commune.clear();
            i.address.clear()
        }))
        .is_empty()
    );

    let report = |id: &str| ClosedReport {
        id: id.into(),
        source: "https://exemple.fr/fermeture".into(),
        says: "fermé en 2019".into(),
    };
    assert!(active_but_reported_closed(std::slice::from_ref(&good), &[]).is_empty());
    assert!(!active_but_reported_closed(std::slice::from_ref(&good), &[report("test-bon")]).is_empty());
    assert!(active_but_reported_closed(&one(&|i| i.status = "inactif".into()), &[report("test-bon")]).is_empty());
    assert!(!active_but_reported_closed(std::slice::from_ref(&good), &[report("test-absent")]).is_empty());
}
