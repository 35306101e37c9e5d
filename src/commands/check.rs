//! `wic check`: a freshness report for the people who maintain the catalogue. A paper guide
//! went stale silently; this says which entries to call back, which are listed twice, which
//! fields a visitor could not use, and where a theme has nothing local to offer.
//!
//! Old stores may hold values today's validation would refuse (or a hand-edited database), so
//! fields are checked again here rather than trusted. Everything printed is sanitised.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Serialize;

use super::{Failure, Out, open_catalogue};
use crate::catalogue::validate::{normalise_phone, valid_email, valid_url};
use crate::catalogue::{Initiative, Reference};
use crate::cli::CheckArgs;
use crate::data_dir::DataDir;
use crate::day;
use crate::i18n::Strings;
use crate::mark::{self, STALE_MONTHS};
use crate::text::{name_key, sanitize_line, terminal_safe};

#[derive(Debug, Serialize)]
pub struct Report {
    pub today: String,
    pub initiatives: usize,
    pub stale: Vec<Stale>,
    pub duplicates: Vec<Duplicate>,
    pub broken: Vec<Broken>,
    /// Information only: not counted as problems.
    pub gaps: Vec<Gap>,
    /// stale + duplicates + broken.
    pub problems: usize,
}

#[derive(Debug, Serialize)]
pub struct Stale {
    pub id: String,
    pub name: String,
    /// Empty when the entry was never dated.
    pub updated: String,
}

#[derive(Debug, Serialize)]
pub struct Duplicate {
    pub name: String,
    /// Commune name, or empty for online / département-wide entries.
    pub commune: String,
    pub ids: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Broken {
    pub id: String,
    pub field: String,
    pub reason: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct Gap {
    pub theme: String,
    pub label: String,
    /// Communes with no local initiative of this theme (online and département-wide ones
    /// reach them, but a visitor often needs a door to knock on).
    pub communes: Vec<String>,
}

pub fn run(data: &DataDir, args: &CheckArgs, s: &Strings) -> Result<(), Failure> {
    let today = match &args.today {
        Some(text) => day::parse(text)
            .ok_or_else(|| Failure::Input(format!("--today {}: expected YYYY-MM-DD", terminal_safe(text))))?,
        None => day::parse(&crate::usage::today_paris()).context("today's date")?,
    };
    let store = open_catalogue(data, s)?;
    let items = store.all().context(s.get("cli.error.read_catalogue").to_string())?;
    let reference = store.reference().context(s.get("cli.error.read_catalogue").to_string())?;
    let report = report(&items, &reference, today);
    let mut out = Out::stdout();
    if args.json {
        out.line(serde_json::to_string_pretty(&report).context("JSON")?)?;
    } else {
        out.text(&render(&report, s))?;
    }
    if report.problems > 0 {
        // Exit 1 so that a nightly job can alert; the report above is the message.
        return Err(Failure::Runtime(anyhow::anyhow!(
            s.fmt("cli.check.failed", &[("n", &report.problems.to_string())])
        )));
    }
    Ok(())
}

/// Checks every listed initiative (inactive ones are kept but never shown, so not checked).
pub fn report(items: &[Initiative], reference: &Reference, today: NaiveDate) -> Report {
    let listed: Vec<&Initiative> = items.iter().filter(|i| i.is_listed()).collect();
    let commune_name = |code: &str| reference.commune_by_code(code).map(|c| c.name.clone()).unwrap_or_default();

    let mut stale = Vec::new();
    for i in &listed {
        if mark::stale(&i.updated, today) {
            stale.push(Stale {
                id: sanitize_line(&i.id),
                name: sanitize_line(&i.name),
                updated: sanitize_line(&i.updated),
            });
        }
    }
    stale.sort_by(|a, b| a.updated.cmp(&b.updated).then(a.id.cmp(&b.id)));

    let mut groups: BTreeMap<(String, String), Vec<&Initiative>> = BTreeMap::new();
    for &i in &listed {
        groups.entry((name_key(&i.name), i.commune.clone())).or_default().push(i);
    }
    let duplicates = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|g| Duplicate {
            name: sanitize_line(&g[0].name),
            commune: commune_name(&g[0].commune),
            ids: g.iter().map(|i| sanitize_line(&i.id)).collect(),
        })
        .collect();

    let mut broken = Vec::new();
    for i in &listed {
        let mut bad = |field: &str, reason: &str, value: &str| {
            broken.push(Broken {
                id: sanitize_line(&i.id),
                field: field.into(),
                reason: reason.into(),
                value: sanitize_line(value),
            })
        };
        if !i.opening_hours.trim().is_empty() && i.opening_hours.parse::<opening_hours::OpeningHours>().is_err() {
            bad("opening_hours", &unreadable_hours(&i.opening_hours), &i.opening_hours);
        }
        if !i.website.is_empty() && !valid_url(&i.website) {
            let reason = if i.website.contains("://") { "adresse invalide" } else { "sans http:// ni https://" };
            bad("website", reason, &i.website);
        }
        if !i.email.is_empty() && !valid_email(&i.email) {
            bad("email", "adresse invalide", &i.email);
        }
        if !i.phone.is_empty() && normalise_phone(&i.phone).is_none() {
            bad("phone", "numéro invalide", &i.phone);
        }
        if !i.commune.is_empty() && reference.commune_by_code(&i.commune).is_none() {
            bad("commune", "commune inconnue", &i.commune);
        }
        if let (Some(owner), Some(c)) =
            (reference.commune_by_postcode(&i.postcode), reference.commune_by_code(&i.commune))
            && owner.insee != c.insee
        {
            bad("postcode", &format!("code postal de {}, pas de {}", owner.name, c.name), &i.postcode);
        }
        if i.themes.is_empty() {
            bad("themes", "aucun thème", "");
        }
        for t in &i.themes {
            if reference.theme(t).is_none() {
                bad("themes", "thème inconnu", t);
            }
        }
        if !i.online
            && i.commune.is_empty()
            && i.address.is_empty()
            && i.website.is_empty()
            && i.phone.is_empty()
            && i.email.is_empty()
        {
            bad("contact", "ni adresse, ni site, ni téléphone, ni courriel", "");
        }
    }

    let gaps = reference
        .themes
        .iter()
        .map(|t| Gap {
            theme: t.slug.clone(),
            label: t.label_fr.clone(),
            communes: reference
                .communes
                .iter()
                .filter(|c| !listed.iter().any(|i| i.commune == c.insee && i.themes.contains(&t.slug)))
                .map(|c| c.name.clone())
                .collect(),
        })
        .filter(|g| !g.communes.is_empty())
        .collect();

    let mut report =
        Report { today: day::key(today), initiatives: listed.len(), stale, duplicates, broken, gaps, problems: 0 };
    report.problems = report.stale.len() + report.duplicates.len() + report.broken.len();
    report
}

/// Why hours do not read, with the OSM form of French hours when the converter can read them:
/// the fix a maintainer can paste (or accept with `wic import --fix-hours`).
fn unreadable_hours(raw: &str) -> String {
    match crate::hours::french::to_osm(raw) {
        Ok(osm) => format!("ne se lit pas (syntaxe OpenStreetMap attendue) ; forme proposée : {}", sanitize_line(&osm)),
        Err(e) => format!(
            "ne se lit pas (syntaxe OpenStreetMap attendue) ; en français non plus : {}",
            sanitize_line(&e.to_string())
        ),
    }
}

/// The report as text, in the language of `t`. Field names stay as they are (they are the
/// catalogue's column names); the reasons are those of the JSON report.
pub fn render(r: &Report, t: &Strings) -> String {
    let count = |n: usize| n.to_string();
    let mut out = t.fmt("cli.check.title", &[("today", &r.today), ("n", &count(r.initiatives))]) + "\n";
    let stale = t.fmt("cli.check.stale", &[("months", &STALE_MONTHS.to_string()), ("n", &count(r.stale.len()))]);
    out.push_str(&format!("\n{stale}\n"));
    for s in &r.stale {
        let when = if s.updated.is_empty() {
            t.get("cli.check.never_dated").to_string()
        } else {
            t.fmt("cli.check.updated", &[("date", &s.updated)])
        };
        out.push_str(&format!("  {} — {} ({when})\n", s.id, s.name));
    }
    out.push_str(&format!("\n{}\n", t.fmt("cli.check.duplicates", &[("n", &count(r.duplicates.len()))])));
    for d in &r.duplicates {
        let commune = if d.commune.is_empty() { t.get("cli.check.everywhere") } else { &d.commune };
        let ids = d.ids.join(", ");
        out.push_str(&format!(
            "  {}\n",
            t.fmt("cli.check.duplicate", &[("name", &d.name), ("commune", commune), ("ids", &ids)])
        ));
    }
    out.push_str(&format!("\n{}\n", t.fmt("cli.check.broken", &[("n", &count(r.broken.len()))])));
    for b in &r.broken {
        let value = if b.value.is_empty() { String::new() } else { format!(" ({})", b.value) };
        let args = [("id", b.id.as_str()), ("field", &b.field), ("reason", &b.reason), ("value", &value)];
        out.push_str(&format!("  {}\n", t.fmt("cli.check.broken_line", &args)));
    }
    out.push_str(&format!("\n{}\n", t.get("cli.check.gaps")));
    if r.gaps.is_empty() {
        out.push_str(&format!("  {}\n", t.get("cli.check.no_gap")));
    }
    for g in &r.gaps {
        let (n, communes) = (count(g.communes.len()), g.communes.join(", "));
        let line = t.fmt("cli.check.gap", &[("theme", &g.label), ("n", &n), ("communes", &communes)]);
        for (n, l) in crate::text::fit::wrap(&line, 76).into_iter().enumerate() {
            out.push_str(if n == 0 { "  " } else { "    " });
            out.push_str(&l);
            out.push('\n');
        }
    }
    out.push_str(&if r.problems == 0 {
        format!("\n{}\n", t.get("cli.check.nothing"))
    } else {
        format!("\n{}\n", t.fmt("cli.check.problems", &[("n", &count(r.problems))]))
    });
    out
}

#[cfg(test)]
mod hours_tests {
    #[test]
    fn unreadable_hours_come_with_the_osm_form() {
        let why = super::unreadable_hours("du lundi au vendredi de 9h à 12h et de 14h à 17h30");
        assert!(why.ends_with("forme proposée : Mo-Fr 09:00-12:00,14:00-17:30"), "{why}");
        let why = super::unreadable_hours("quand le boulanger passe");
        assert!(why.contains("en français non plus") && why.contains("boulanger"), "{why}");
    }
}
