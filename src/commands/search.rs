//! `wic search`: the kiosk's search, non-interactively, for scripts and quick checks.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use super::{Failure, prepare};
use crate::catalogue::Initiative;
use crate::cli::SearchArgs;
use crate::data_dir::DataDir;
use crate::search::{MatchMode, SearchIndex, SearchRequest};
use crate::text::sanitize_line;

/// One result as `--json` prints it (DESIGN.md: at least id, name, themes, commune, score).
#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    name: &'a str,
    themes: &'a [String],
    commune: &'a str,
    score: f32,
    relaxed: bool,
    summary: &'a str,
    online: bool,
    website: &'a str,
    phone: &'a str,
    address: &'a str,
    status: &'a str,
}

pub fn run(data: &DataDir, args: &SearchArgs) -> Result<(), Failure> {
    prepare(data)?;
    let mut index = SearchIndex::open(&data.search_dir()).context("cannot open the search index")?;
    let reference = index.reference().clone();
    let theme = match &args.theme {
        Some(t) => match reference.theme(t) {
            Some(t) => Some(t.slug.clone()),
            None => {
                let known: Vec<&str> = reference.themes.iter().map(|t| t.slug.as_str()).collect();
                return Err(Failure::Input(format!("unknown theme {t:?}; themes are: {}", known.join(", "))));
            }
        },
        None => None,
    };
    let commune = match &args.commune {
        Some(c) => match reference.find_commune(c) {
            Some(c) => Some(c.insee.clone()),
            None => return Err(Failure::Input(format!("{c:?} is not a commune of the Hauts-de-Seine"))),
        },
        None => None,
    };
    let online = if args.online { Some(true) } else if args.on_site { Some(false) } else { None };
    let request = SearchRequest {
        text: args.query.join(" "),
        theme,
        commune,
        online,
        free_only: args.free,
        limit: args.limit.max(1),
    };
    let results = index.search(&request).context("search failed")?;
    let hits = results.load_all().context("cannot read results")?;
    let relaxed = results.mode == MatchMode::Relaxed;
    let commune_name = |i: &Initiative| reference.commune_by_code(&i.commune).map(|c| c.name.clone()).unwrap_or_default();

    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let communes: Vec<String> = hits.iter().map(|(_, i)| commune_name(i)).collect();
        let json: Vec<JsonHit> = hits
            .iter()
            .zip(&communes)
            .map(|((score, i), commune)| JsonHit {
                id: &i.id,
                name: &i.name,
                themes: &i.themes,
                commune,
                score: *score,
                relaxed,
                summary: &i.summary,
                online: i.online,
                website: &i.website,
                phone: &i.phone,
                address: &i.address,
                status: &i.status,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &json).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        print_table(&mut out, &hits, results.total, relaxed, &commune_name)
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Runtime(e.into())),
    }
}

fn print_table(
    out: &mut impl Write,
    hits: &[(f32, Initiative)],
    total: usize,
    relaxed: bool,
    commune_name: &dyn Fn(&Initiative) -> String,
) -> std::io::Result<()> {
    if hits.is_empty() {
        return writeln!(out, "Aucun résultat.");
    }
    if relaxed {
        writeln!(out, "Aucun résultat ne contient tous les mots ; voici les plus proches :")?;
    }
    for (n, (_, i)) in hits.iter().enumerate() {
        let place = if i.online && i.commune.is_empty() { "en ligne".to_string() } else { commune_name(i) };
        let place = if place.is_empty() { "Hauts-de-Seine".to_string() } else { place };
        // Stored text is clean already; sanitising again costs nothing and guards old stores.
        writeln!(out, "{:>2}. {} — {} [{}]", n + 1, sanitize_line(&i.name), place, i.themes.join(", "))?;
        if !i.summary.is_empty() {
            writeln!(out, "    {}", sanitize_line(&i.summary))?;
        }
    }
    if total > hits.len() {
        writeln!(out, "({} résultats en tout ; --limit pour en voir plus)", total)?;
    }
    Ok(())
}
