//! Synthetic catalogues, for benchmarks and load tests: `wic synth --count N --seed S`.
//!
//! The real catalogue has about 600 initiatives; a national one would have a million. To know
//! how search and the interface behave at those sizes we need catalogues that look like ours —
//! French words with accents, realistic field lengths, every theme and commune, some opening
//! hours and online services — and that are the same on every machine. So: a small PRNG of our
//! own (splitmix64), seeded by the caller, and one independent stream per row, which makes row
//! `i` identical whatever `N` is (a 600-row catalogue is the prefix of a 100,000-row one).
//!
//! Every row says in its `source` that it is synthetic, and its id starts with `synth-`, so
//! it can never be mistaken for a real service. Output is the canonical CSV (through
//! [`crate::catalogue::export::csv_row`]), so `wic import` reads it like any administrator file.
//!
//! [`rng`] is the generator, [`words`] the French vocabulary rows are made of, [`phrases`] the
//! names, summaries and descriptions built from it; this file assembles rows.

mod phrases;
mod rng;
mod words;

use std::io::Write;

use crate::catalogue::export::{csv_row, to_exchange};
use crate::catalogue::model::{ACCESS, AUDIENCES, FIELDS, KINDS, PRICES};
use crate::catalogue::{Initiative, Reference};
use crate::text::slugify;
use phrases::{cut_words, description, name, summary};
pub use rng::Rng;
pub use words::vocabulary;
use words::{OPENING_HOURS, THEMES};

/// What every synthetic row says about where it comes from.
pub fn source(seed: u64) -> String {
    format!("synthétique (wic synth --seed {seed})")
}

/// The id of row `i` (0-based): `synth-000001` for the first.
pub fn id(i: usize) -> String {
    format!("synth-{:06}", i + 1)
}

/// Row `i` of the catalogue generated from `seed`, with the commune as an INSEE code (as the
/// store holds it). Its own PRNG stream depends only on `seed` and `i`.
fn row(i: usize, seed: u64, reference: &Reference) -> Initiative {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xd6e8_feb8_6659_fd93));
    let theme = &THEMES[i % THEMES.len()];
    let online = rng.chance(15);
    // Communes in a fixed rotation (offset per row), so every commune appears early on.
    let commune = if online || reference.communes.is_empty() {
        None
    } else {
        Some(&reference.communes[(i * 7 + i / THEMES.len()) % reference.communes.len()])
    };
    let commune_name = commune.map(|c| c.name.as_str());
    let name = name(&mut rng, theme, commune_name);
    let slug = cut_words(&slugify(&name).replace('-', " "), 30).replace(' ', "-");
    let mut themes = vec![theme.slug.to_string()];
    if rng.chance(25) {
        let other = rng.pick(&THEMES).slug;
        if other != theme.slug {
            themes.push(other.to_string());
        }
    }
    let n_actions = 1 + rng.below(2);
    let n_tags = 2 + rng.below(3);
    let n_audience = 1 + rng.below(2);
    let mut item = Initiative {
        id: id(i),
        summary: summary(&mut rng, theme, commune_name),
        description: description(&mut rng, theme, &name, commune_name),
        themes,
        actions: rng.several(theme.actions, n_actions).into_iter().map(|s| s.to_string()).collect(),
        tags: rng.several(theme.tags, n_tags).into_iter().map(|s| s.to_string()).collect(),
        kind: rng.pick(&KINDS).to_string(),
        access: rng.pick(&ACCESS).to_string(),
        price: if rng.chance(20) { String::new() } else { rng.pick(&PRICES).to_string() },
        audience: rng.several(&AUDIENCES, n_audience).into_iter().map(|s| s.to_string()).collect(),
        online,
        status: match rng.below(100) {
            0 => "inactif",
            1..=3 => "ferme-temporairement",
            _ => "actif",
        }
        .to_string(),
        updated: format!("{}-{:02}-{:02}", 2023 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28)),
        source: source(seed),
        name,
        ..Default::default()
    };
    if let Some(c) = commune {
        item.commune = c.insee.clone();
        item.address = format!(
            "{} {}",
            1 + rng.below(120),
            rng.pick(&[
                "rue des Lilas",
                "avenue de la République",
                "place du Marché",
                "allée des Tilleuls",
                "boulevard Jean-Jaurès",
                "rue Pasteur",
                "chemin de l'Écluse"
            ])
        );
        item.postcode = c.postcode.clone();
        let jitter = |rng: &mut Rng| (rng.below(1201) as f64 - 600.0) / 100_000.0;
        item.latitude = Some(((c.lat + jitter(&mut rng)) * 1e5).round() / 1e5);
        item.longitude = Some(((c.lon + jitter(&mut rng)) * 1e5).round() / 1e5);
        if rng.chance(50) {
            item.opening_hours = rng.pick(OPENING_HOURS).to_string();
        }
        if rng.chance(20) {
            item.accessibility.push("pmr".into());
        }
    }
    if rng.chance(60) {
        item.phone =
            format!("01 {:02} {:02} {:02} {:02}", 40 + rng.below(60), rng.below(100), rng.below(100), rng.below(100));
    }
    if rng.chance(50) {
        item.email = format!("contact@{slug}.example.org");
    }
    if online || rng.chance(50) {
        item.website = format!("https://{slug}.example.org");
    }
    item.languages = match rng.below(10) {
        0..=6 => vec![],
        7 | 8 => vec!["fr".into()],
        _ => vec!["fr".into(), (*rng.pick(&["en", "ar", "es", "pt"])).to_string()],
    };
    item
}

/// `count` initiatives generated from `seed` (communes as INSEE codes, as in the store).
pub fn generate(count: usize, seed: u64, reference: &Reference) -> Vec<Initiative> {
    (0..count).map(|i| row(i, seed, reference)).collect()
}

/// Writes `count` rows as canonical CSV (the header of `seeds/initiatives.csv`), one row at a
/// time, so a million-row catalogue needs no more memory than a small one.
pub fn write_csv<W: Write>(out: W, count: usize, seed: u64, reference: &Reference) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(FIELDS)?;
    for i in 0..count {
        w.write_record(csv_row(&to_exchange(&row(i, seed, reference), reference)))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Validator;
    use crate::catalogue::import::canonical::parse_csv;

    #[test]
    fn deterministic_and_prefix_stable() {
        let r = Reference::embedded().unwrap();
        let a = generate(50, 42, &r);
        assert_eq!(a, generate(50, 42, &r));
        assert_eq!(a[..20], generate(20, 42, &r)[..]);
        assert_ne!(a, generate(50, 43, &r));
    }

    #[test]
    fn imports_cleanly_and_covers_everything() {
        let r = Reference::embedded().unwrap();
        let mut csv = Vec::new();
        write_csv(&mut csv, 600, 42, &r).unwrap();
        assert!(csv.starts_with(crate::catalogue::SEED_INITIATIVES_CSV.lines().next().unwrap().as_bytes()));
        let parsed = parse_csv(std::path::Path::new("synth.csv"), &csv).unwrap();
        let v = Validator { reference: &r, file: "synth.csv".into(), ignore_unknown: false, fix_hours: false };
        let items = v.validate_all(&parsed.records).unwrap_or_else(|p| panic!("{}", p[0]));
        assert_eq!(items, generate(600, 42, &r), "export ∘ import is the identity");
        let themes: std::collections::HashSet<_> = items.iter().flat_map(|i| i.themes.iter()).collect();
        assert_eq!(themes.len(), 10);
        let communes: std::collections::HashSet<_> =
            items.iter().map(|i| &i.commune).filter(|c| !c.is_empty()).collect();
        assert_eq!(communes.len(), 36);
        assert!(items.iter().any(|i| i.online) && items.iter().any(|i| !i.opening_hours.is_empty()));
        for i in &items {
            assert!(i.id.starts_with("synth-") && i.source.contains("synthétique"));
            assert!((20..=60).contains(&i.name.chars().count()), "{}", i.name);
            assert!((60..=180).contains(&i.summary.chars().count()), "{}", i.summary);
        }
    }

    #[test]
    fn vocabulary_has_accents() {
        let v = vocabulary();
        assert!(v.len() > 100);
        assert!(v.iter().any(|w| w.contains('é')));
    }
}
