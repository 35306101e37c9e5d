//! `wic search`: the kiosk's search, non-interactively, for scripts and quick checks.

use std::io::Write;

use anyhow::Context;
use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Failure, prepare};
use crate::catalogue::Initiative;
use crate::cli::{SearchArgs, SortOrder};
use crate::data_dir::DataDir;
use crate::geo;
use crate::hours;
use crate::i18n::Strings;
use crate::mark::{Mark, OpenCache, mark};
use crate::search::{Match, MatchMode, SearchIndex, SearchRequest};
use crate::text::sanitize_line;

/// One result as `--json` prints it (docs/ARCHITECTURE.md, "The command-line contract": at least id, name, themes, commune, score).
#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    name: &'a str,
    themes: &'a [String],
    commune: &'a str,
    score: f32,
    /// Not every word matched (a row of the near block, or every row of a relaxed search).
    relaxed: bool,
    /// `exact`: every meaningful word matched; `near`: the best partial matches that follow.
    #[serde(rename = "match")]
    matched: Match,
    /// Open at the moment asked (now, or --open-at): true, false, or null when unknown.
    open: Option<bool>,
    /// When that changes, local Paris time (`2026-12-01 12:00`), or null.
    next_change: Option<String>,
    /// Straight-line distance from --near (or nothing), null for online services.
    distance_m: Option<u32>,
    /// The distance is from the commune's centre, not the exact address.
    distance_approx: bool,
    summary: &'a str,
    online: bool,
    website: &'a str,
    phone: &'a str,
    address: &'a str,
    status: &'a str,
}

pub fn run(data: &DataDir, args: &SearchArgs, s: &Strings) -> Result<(), Failure> {
    prepare(data, s)?;
    let mut index = SearchIndex::open(&data.search_dir()).with_context(|| {
        s.fmt("cli.search.open_index", &[("fix", &s.fmt("cli.index.fix", &[("dir", &super::shell_word(&data.root))]))])
    })?;
    let reference = index.reference().clone();
    let theme = match &args.theme {
        Some(t) => match reference.theme(t) {
            Some(t) => Some(t.slug.clone()),
            None => {
                let known: Vec<&str> = reference.themes.iter().map(|t| t.slug.as_str()).collect();
                let (theme, themes) = (format!("{t:?}"), known.join(", "));
                return Err(Failure::Input(
                    s.fmt("cli.search.unknown_theme", &[("theme", &theme), ("themes", &themes)]),
                ));
            }
        },
        None => None,
    };
    let commune = match &args.commune {
        Some(c) => match reference.find_commune(c) {
            Some(c) => Some(c.insee.clone()),
            None => {
                return Err(Failure::Input(s.fmt("cli.search.unknown_commune", &[("commune", &format!("{c:?}"))])));
            }
        },
        None => None,
    };
    let online = if args.online {
        Some(true)
    } else if args.on_site {
        Some(false)
    } else {
        None
    };
    let bad_time = |option: &str, text: &str| {
        Failure::Input(s.fmt("cli.search.bad_time", &[("option", option), ("value", &format!("{text:?}"))]))
    };
    let at = match &args.open_at {
        Some(text) => Some(parse_local(text).ok_or_else(|| bad_time("--open-at", text))?),
        None if args.open_now => Some(hours::paris_now()),
        None => None,
    };
    let near = match &args.near {
        Some(text) => Some(
            geo::parse_point(text, &reference)
                .ok_or_else(|| Failure::Input(s.fmt("cli.search.bad_near", &[("value", &format!("{text:?}"))])))?,
        ),
        // Else the kiosk's configured commune, when /etc/wic/config.toml names one.
        None => crate::config::load(None, &Default::default())
            .ok()
            .and_then(|(settings, _)| settings.commune)
            .and_then(|c| geo::parse_point(&c, &reference)),
    };
    if args.sort == SortOrder::Distance && near.is_none() {
        return Err(Failure::Input(s.get("cli.search.sort_needs_near").to_string()));
    }
    let clock = match &args.at {
        Some(text) => Some(parse_local(text).ok_or_else(|| bad_time("--at", text))?),
        None => None,
    };
    // Sorting by distance happens after the search: ask for every match (their places come
    // from fast columns), then load the nearest --limit. Filtering by opening time happens
    // inside the search, like the kiosk's "ouvert".
    let by_distance = args.sort == SortOrder::Distance;
    let request = SearchRequest {
        text: args.query.join(" "),
        theme,
        commune,
        online,
        free_only: args.free,
        limit: if by_distance { index.meta().documents.max(1) } else { args.limit.max(1) },
    };
    let results = match at {
        Some(at) => {
            let mut cache = OpenCache::default();
            index.search_open(&request, &mut |key| cache.open_now(key, at))
        }
        None => index.search(&request),
    };
    let mut results = results.context(s.get("cli.search.failed").to_string())?;
    // "près de chez moi" in the words: nearest first when a place is known.
    let by_distance = by_distance || (results.wants_near() && args.sort == SortOrder::Relevance && near.is_some());
    if let Some(origin) = near.filter(|_| by_distance) {
        results.sort_by_distance(origin, args.limit.max(1)).context(s.get("cli.search.read_places").to_string())?;
    }
    let when = at.or(clock).unwrap_or_else(hours::paris_now);
    let hits: Vec<Annotated> = results
        .load_all()
        .context(s.get("cli.search.read_results").to_string())?
        .into_iter()
        .enumerate()
        .map(|(i, (score, item))| Annotated {
            score,
            matched: results.match_of(i),
            mark: mark(&item, when, near, &reference),
            item,
        })
        .collect();
    let total = results.total;
    let relaxed = results.mode == MatchMode::Relaxed;
    if args.orientation {
        print_orientation(&results.orientation, &results.suggested_themes, args.json, s).map_err(Failure::Output)?;
    }
    let commune_name =
        |i: &Initiative| reference.commune_by_code(&i.commune).map(|c| c.name.clone()).unwrap_or_default();

    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let communes: Vec<String> = hits.iter().map(|h| commune_name(&h.item)).collect();
        let json: Vec<JsonHit> = hits
            .iter()
            .zip(&communes)
            .map(|(h, commune)| JsonHit {
                id: &h.item.id,
                name: &h.item.name,
                themes: &h.item.themes,
                commune,
                score: h.score,
                relaxed: relaxed || h.matched == Match::Near,
                matched: h.matched,
                open: h.mark.status.is_open(),
                next_change: h.mark.status.next_change().map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
                distance_m: h.mark.distance.map(|d| d.metres.round() as u32),
                distance_approx: h.mark.distance.is_some_and(|d| d.approx),
                summary: &h.item.summary,
                online: h.item.online,
                website: &h.item.website,
                phone: &h.item.phone,
                address: &h.item.address,
                status: &h.item.status,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &json).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        print_table(&mut out, &hits, total, relaxed, &commune_name, s)
    };
    written.and_then(|()| out.flush()).map_err(Failure::Output)
}

/// One result with what the moment and the place make of it.
#[derive(Clone)]
struct Annotated {
    score: f32,
    matched: Match,
    item: Initiative,
    mark: Mark,
}

/// `--orientation`: what the words lead to beyond the results, on standard error.
fn print_orientation(cards: &[String], themes: &[String], json: bool, s: &Strings) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    if json {
        let value = serde_json::json!({ "orientation": cards, "suggested_themes": themes });
        writeln!(err, "{value}")
    } else {
        writeln!(err, "{}", s.fmt("cli.search.orientation", &[("cards", &cards.join(", "))]))?;
        writeln!(err, "{}", s.fmt("cli.search.suggested_themes", &[("themes", &themes.join(", "))]))
    }
}

/// `2026-12-01T10:00`, `2026-12-01 10:00` or with seconds.
fn parse_local(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text.trim(), f).ok())
}

fn print_table(
    out: &mut impl Write,
    hits: &[Annotated],
    total: usize,
    relaxed: bool,
    commune_name: &dyn Fn(&Initiative) -> String,
    s: &Strings,
) -> std::io::Result<()> {
    if hits.is_empty() {
        return writeln!(out, "{}", s.get("cli.search.none"));
    }
    if relaxed {
        writeln!(out, "{}", s.get("cli.search.relaxed"))?;
    }
    for (n, h) in hits.iter().enumerate() {
        if !relaxed && h.matched == Match::Near && (n == 0 || hits[n - 1].matched == Match::Exact) {
            writeln!(out, "{}", s.get("cli.search.near"))?;
        }
        let i = &h.item;
        let place =
            if i.online && i.commune.is_empty() { s.get("cli.search.online").to_string() } else { commune_name(i) };
        let mut place = if place.is_empty() { "Hauts-de-Seine".to_string() } else { place };
        if let Some(d) = h.mark.distance {
            place.push_str(&format!(", {}", geo::describe_distance(d.metres, d.approx)));
        }
        // Stored text is clean already; sanitising again costs nothing and guards old stores.
        writeln!(out, "{:>2}. {} — {} [{}]", n + 1, sanitize_line(&i.name), place, i.themes.join(", "))?;
        if !i.summary.is_empty() {
            writeln!(out, "    {}", sanitize_line(&i.summary))?;
        }
    }
    if total > hits.len() {
        writeln!(out, "{}", s.fmt("cli.search.more", &[("total", &total.to_string())]))?;
    }
    Ok(())
}
