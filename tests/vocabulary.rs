//! The visitor vocabulary (issue #12): the data files are well formed and name only what the
//! catalogue holds, and the mechanism does what docs/SEARCH.md says — expansions below direct
//! matches, sentences that keep their results, the near block, hints, protected words (one
//! test per stem collision), postcodes and numbers.

mod common;

use std::collections::{HashMap, HashSet};

use common::TestDir;
use wic::catalogue::Initiative;
use wic::search::analyzer::{self, tokens};
use wic::search::vocabulary::{self, Entry, SearchWords, Target};
use wic::search::{Match, MatchMode, SearchIndex, SearchRequest, SearchResults};

fn all_entries() -> Vec<Entry> {
    vocabulary::FILES
        .iter()
        .flat_map(|(file, text)| vocabulary::entries(file, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Every `assets/vocabulary/*.toml` is compiled in, and parses.
#[test]
fn every_vocabulary_file_is_embedded_and_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/vocabulary");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("assets/vocabulary")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = vocabulary::FILES.iter().map(|(f, _)| f.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "list every vocabulary file in vocabulary::FILES");
    for (file, text) in vocabulary::FILES {
        vocabulary::entries(file, text).unwrap_or_else(|e| panic!("{e}"));
    }
    SearchWords::parse(vocabulary::SEARCH_TOML).expect("assets/search.toml parses");
}

/// What the seed catalogue holds, as the checks of the values need it.
struct Catalogue {
    /// The stems of each initiative's text (name, summary, description, tags, theme labels).
    stems: Vec<HashSet<String>>,
    tags: HashSet<String>,
    themes: HashSet<String>,
    actions: HashSet<String>,
}

fn catalogue(items: &[Initiative], index: &SearchIndex) -> Catalogue {
    let mut stem = analyzer::stem_analyzer();
    let reference = index.reference();
    let stems = items
        .iter()
        .map(|i| {
            let mut text = format!("{} {} {} {}", i.name, i.summary, i.description, i.tags.join(" "));
            for t in &i.themes {
                if let Some(t) = reference.theme(t) {
                    text.push_str(&format!(" {} {}", t.label_fr, t.label_en));
                }
            }
            tokens(&mut stem, &text).into_iter().collect()
        })
        .collect();
    Catalogue {
        stems,
        tags: items.iter().flat_map(|i| i.tags.iter().map(|t| wic::text::fold(t).to_lowercase())).collect(),
        themes: reference.themes.iter().map(|t| t.slug.clone()).collect(),
        actions: items.iter().flat_map(|i| i.actions.clone()).collect(),
    }
}

#[test]
fn every_value_names_something_the_catalogue_holds() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let index = SearchIndex::open(&data.search_dir()).expect("open the index");
    let items = data.open_read().unwrap().all().unwrap();
    let cat = catalogue(&items, &index);
    let mut stem = analyzer::stem_analyzer();
    let mut bad = Vec::new();
    for e in all_entries() {
        if let Some(t) = &e.theme
            && !cat.themes.contains(t)
        {
            bad.push(format!("{}: [{t}] is not a theme", e.file));
        }
        for v in &e.values {
            let ok = match v {
                Target::Word(w) => {
                    let wanted = tokens(&mut stem, w);
                    !wanted.is_empty() && cat.stems.iter().any(|s| wanted.iter().all(|w| s.contains(w)))
                }
                Target::Theme(t) => cat.themes.contains(t),
                Target::Tag(t) => cat.tags.contains(&wic::text::fold(t).to_lowercase()),
                Target::Action(a) => cat.actions.contains(a),
            };
            if !ok {
                bad.push(format!("{}: {:?} = {v:?} names nothing in the catalogue", e.file, e.key));
            }
        }
    }
    assert!(bad.is_empty(), "{} bad values:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn enough_keys_and_none_repeated() {
    let entries = all_entries();
    let mut per_theme: HashMap<&str, usize> = HashMap::new();
    let mut fold = analyzer::fold_analyzer();
    let mut seen: HashMap<(String, Vec<String>), String> = HashMap::new();
    let mut repeated = Vec::new();
    for e in &entries {
        if e.file == "fr.toml"
            && let Some(t) = &e.theme
        {
            *per_theme.entry(t).or_default() += 1;
        }
        let key = (e.file.clone(), tokens(&mut fold, &e.key));
        let table = e.theme.clone().or(e.card.clone()).unwrap_or_default();
        if let Some(first) = seen.insert(key, table.clone()) {
            repeated.push(format!("{}: {:?} in [{first}] and [{table}]", e.file, e.key));
        }
    }
    assert!(repeated.is_empty(), "keys repeated within a file:\n{}", repeated.join("\n"));
    let dir = TestDir::new();
    let data = dir.prepare();
    let index = SearchIndex::open(&data.search_dir()).unwrap();
    let few: Vec<String> = index
        .reference()
        .themes
        .iter()
        .map(|t| (t.slug.clone(), per_theme.get(t.slug.as_str()).copied().unwrap_or(0)))
        .filter(|(_, n)| *n < 40)
        .map(|(t, n)| format!("{t}: {n}"))
        .collect();
    println!("vocabulary: {} keys in all; fr.toml per theme: {per_theme:?}", entries.len());
    assert!(few.is_empty(), "fr.toml needs at least 40 keys per theme: {}", few.join(", "));
    assert!(entries.len() >= 600, "at least 600 keys in all, found {}", entries.len());
}

/// `assets/orientation.toml`: `[cards.CARD]` (fr, en, numbers) and `[numbers."N"]` (fr, en, source).
#[test]
fn orientation_cards_exist_and_every_number_has_a_source() {
    let file: toml::Table = vocabulary::ORIENTATION_TOML.parse().expect("assets/orientation.toml parses");
    let empty = toml::Table::new();
    let cards = file.get("cards").and_then(|c| c.as_table()).unwrap_or(&empty);
    let numbers = file.get("numbers").and_then(|c| c.as_table()).unwrap_or(&empty);
    let mut bad = Vec::new();
    for e in all_entries() {
        if let Some(c) = &e.card
            && !cards.contains_key(c)
        {
            bad.push(format!("{}: [orientation.{c}] has no [cards.{c}] in assets/orientation.toml", e.file));
        }
    }
    for (n, number) in numbers {
        let source = number.get("source").and_then(|s| s.as_str()).unwrap_or("");
        if !source.starts_with("http") {
            bad.push(format!("[numbers.{n:?}] has no source"));
        }
    }
    for (c, card) in cards {
        for n in card.get("numbers").and_then(|n| n.as_array()).into_iter().flatten() {
            let n = n.as_str().unwrap_or("");
            if !numbers.contains_key(n) {
                bad.push(format!("[cards.{c}] shows {n:?}, which [numbers] does not give"));
            }
        }
    }
    assert!(!cards.is_empty(), "no card in assets/orientation.toml");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---- the mechanism, on the seed catalogue ----

fn search(index: &mut SearchIndex, text: &str, limit: usize) -> (SearchResults, Vec<String>) {
    let r = index
        .search(&SearchRequest { text: text.to_string(), limit, ..Default::default() })
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    let ids = r.load_all().unwrap().into_iter().map(|(_, i)| i.id).collect();
    (r, ids)
}

fn seed_index(dir: &TestDir) -> SearchIndex {
    let data = dir.prepare();
    SearchIndex::open(&data.search_dir()).expect("open the index")
}

/// A direct match of a word always ranks above a match through its expansion: an initiative
/// whose text says "pantalon" comes before the clothing the vocabulary expands "pantalon" to.
#[test]
fn a_direct_match_ranks_above_an_expansion() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let file = dir.file(
        "pantalon.csv",
        "id,name,summary,themes,commune\ntest-pantalon,Atelier couture,On raccourcit un pantalon,s-equiper,Bagneux\n",
    );
    dir.wic(&["import", file.to_str().unwrap()]).assert_code(0);
    let mut index = SearchIndex::open(&data.search_dir()).unwrap();
    let (r, ids) = search(&mut index, "pantalon", 20);
    assert_eq!(ids.first().map(String::as_str), Some("test-pantalon"), "{ids:?}");
    assert!(ids.len() > 1, "the expansion finds clothing too: {ids:?}");
    assert_eq!(r.mode, MatchMode::Exact);
    assert!(r.suggested_themes.contains(&"s-habiller".to_string()), "{:?}", r.suggested_themes);
}

#[test]
fn vocabulary_words_find_their_meaning_whatever_the_language() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let themes_of = |index: &mut SearchIndex, q: &str| -> Vec<Vec<String>> {
        let r = index.search(&SearchRequest { text: q.to_string(), limit: 3, ..Default::default() }).unwrap();
        r.load_all().unwrap().into_iter().map(|(_, i)| i.themes).collect()
    };
    for (q, theme) in [
        ("pantalon", "s-habiller"),
        ("hlm", "se-loger"),
        ("contrat", "travailler"),
        ("bike", "se-deplacer"),
        ("clothes", "s-habiller"),
        ("job", "travailler"),
        ("housing", "se-loger"),
    ] {
        let top = themes_of(&mut index, q);
        assert!(!top.is_empty() && top.iter().any(|t| t.iter().any(|t| t == theme)), "{q}: {top:?}");
    }
    let (_, ids) = search(&mut index, "dépenses", 5);
    assert!(
        ids.iter().any(|i| i.contains("budget") || i.contains("cresus") || i.contains("surendettement")),
        "dépenses: {ids:?}"
    );
}

#[test]
fn sentences_keep_their_results() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let (_, plain) = search(&mut index, "épicerie", 10);
    for q in [
        "je cherche une épicerie",
        "j'ai besoin d'une épicerie s'il vous plaît",
        "bonjour je cherche une épicerie pas chère",
        "épicerie pour mon fils",
    ] {
        let (_, ids) = search(&mut index, q, 10);
        assert!(ids.iter().take(3).any(|i| plain.contains(i)), "{q}: {ids:?}");
    }
    for q in ["je cherche", "j'ai besoin de ", "s'il vous plaît", "près de chez moi", "pas cher"] {
        let (_, ids) = search(&mut index, q, 10);
        assert!(!ids.is_empty(), "{q:?} emptied the list");
    }
}

#[test]
fn hints_boost_without_filtering() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let (plain, _) = search(&mut index, "vêtements", 100);
    let (cheap, ids) = search(&mut index, "vêtements pas cher", 100);
    assert_eq!(cheap.total, plain.total, "a hint never filters");
    let first = cheap.load(0).unwrap();
    assert!(["gratuit", "prix-libre", "solidaire"].contains(&first.price.as_str()), "{ids:?}");
    let (near, _) = search(&mut index, "vêtements près de chez moi", 100);
    assert!(near.wants_near());
    assert_eq!(near.total, plain.total);
    // An audience word also says what is sought: it stays required, found in the text or as
    // the initiative's audience, and the near block brings the rest when that leaves few.
    let (kids, ids) = search(&mut index, "vêtements enfant", 100);
    assert!(!ids.is_empty());
    assert!(kids.load(0).unwrap().themes.iter().any(|t| t == "s-habiller"), "{ids:?}");
}

#[test]
fn few_matches_of_every_word_are_followed_by_near_ones() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let (r, ids) = search(&mut index, "amap xylophonique", 10);
    assert_eq!(r.mode, MatchMode::Relaxed);
    assert_eq!(r.near_start, 0);
    assert!(ids.iter().take(3).all(|i| i.contains("amap")), "{ids:?}");
    // One exact match, then the near block, which the UI heads "Résultats proches".
    let (r, ids) = search(&mut index, "amap garches", 10);
    assert!(r.near_start >= 1 && r.near_start < NEAR_MIN_ROWS.max(r.near_start + 1), "{ids:?}");
    assert_eq!(ids[0], "le-panier-d-albert-amap-garches");
    assert!(ids.len() > r.near_start, "near rows follow: {ids:?}");
    assert_eq!(r.match_of(0), Match::Exact);
    assert_eq!(r.match_of(r.near_start), Match::Near);
    // Ranked by how many words they match: an AMAP (one word of two) before anything else.
    assert!(ids[r.near_start].contains("amap") || ids[r.near_start].contains("garches"), "{ids:?}");
    // Many exact matches: no near block.
    let (r, ids) = search(&mut index, "vélo", 10);
    assert_eq!(r.near_start, ids.len());
}

/// The near block is only added under this many exact matches (NEAR_BELOW in searcher.rs).
const NEAR_MIN_ROWS: usize = wic::search::searcher::NEAR_BELOW;

#[test]
fn postcodes_and_numbers() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let nanterre = index.reference().find_commune("nanterre").unwrap().insee.clone();
    for q in ["92000", "nanterre 92000", "92000 "] {
        let (r, _) = search(&mut index, q, 50);
        let items = r.load_all().unwrap();
        assert!(!items.is_empty(), "{q}");
        assert!(items.iter().take(r.near_start).all(|(_, i)| i.commune == nanterre), "{q}");
    }
    let (_, ids) = search(&mut index, "épicerie 92000", 5);
    assert_eq!(ids.first().map(String::as_str), Some("mon-epicerie-nanterre"), "{ids:?}");
    let (_, ids) = search(&mut index, "115", 5);
    assert_eq!(ids.first().map(String::as_str), Some("115-hauts-de-seine"), "{ids:?}");
    let (_, ids) = search(&mut index, "appeler le 115", 5);
    assert!(ids.iter().take(3).any(|i| i == "115-hauts-de-seine"), "{ids:?}");
}

#[test]
fn orientation_cards_for_needs_outside_the_catalogue() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let (r, _) = search(&mut index, "médecin", 10);
    assert!(r.orientation.contains(&"sante".to_string()), "{:?}", r.orientation);
    assert_eq!(index.orientation("je cherche un medecin"), vec!["sante".to_string()]);
    assert!(index.orientation("vélo").is_empty());
    // `wic search --orientation --json`: the array on standard output, the cards on standard error.
    let run = dir.wic(&["search", "médecin", "--orientation", "--json"]);
    run.assert_code(0);
    assert!(run.json().is_array());
    let err: serde_json::Value = serde_json::from_str(run.stderr.trim()).expect("a JSON object on stderr");
    assert!(err["orientation"].as_array().unwrap().iter().any(|c| c == "sante"), "{err}");
}

#[test]
fn json_rows_say_exact_or_near() {
    let dir = TestDir::new();
    dir.prepare();
    let run = dir.wic(&["search", "amap", "garches", "--json"]);
    run.assert_code(0);
    let rows = run.json();
    let rows = rows.as_array().expect("still an array");
    assert_eq!(rows[0]["match"], "exact");
    assert_eq!(rows[0]["relaxed"], false);
    assert!(rows.iter().any(|r| r["match"] == "near" && r["relaxed"] == true), "{rows:?}");
    let first_near = rows.iter().position(|r| r["match"] == "near").unwrap();
    assert!(rows[first_near..].iter().all(|r| r["match"] == "near"), "near rows come last");
}

// ---- stem collisions: one test each (assets/search.toml [protected]) ----

fn ids_for(index: &mut SearchIndex, q: &str) -> Vec<String> {
    search(index, q, 50).1
}

#[test]
fn collision_francais_and_france() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let ids = ids_for(&mut index, "français");
    assert!(ids.iter().any(|i| i.starts_with("ecole-francaise-des-femmes")), "{ids:?}");
    for france in ["france-active-metropole", "initiative-france", "wwoof-france", "france-benevolat"] {
        assert!(!ids.contains(&france.to_string()), "français found {france}: {ids:?}");
    }
    let ids = ids_for(&mut index, "france active");
    assert_eq!(ids.first().map(String::as_str), Some("france-active-metropole"));
    assert!(!ids.iter().any(|i| i.starts_with("ecole-francaise")), "{ids:?}");
}

#[test]
fn collision_caf_and_cafe() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let ids = ids_for(&mut index, "caf ");
    assert!(ids.iter().take(3).any(|i| i == "caf-92-vacaf"), "{ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("repair-cafe")), "caf found a café: {ids:?}");
    let ids = ids_for(&mut index, "café ");
    assert!(ids.iter().any(|i| i.starts_with("repair-cafe")), "{ids:?}");
    assert!(!ids.contains(&"caf-92-vacaf".to_string()), "café found the CAF: {ids:?}");
}

/// The stems of the colliding pairs differ; the words of each pair's forms share one.
#[test]
fn collisions_are_kept_apart_by_the_analyzer() {
    let mut a = analyzer::stem_analyzer();
    let mut one = |w: &str| tokens(&mut a, w).join(" ");
    for (x, y) in [
        ("français", "France"),
        ("café", "CAF"),
        ("cours", "courses"),
        ("marché", "marcher"),
        ("livres", "livraison"),
        ("garde", "gare"),
    ] {
        assert_ne!(one(x), one(y), "{x} / {y}");
    }
    for (x, y) in [("français", "françaises"), ("cafés", "café"), ("logement", "logements"), ("aide", "aider")] {
        assert_eq!(one(x), one(y), "{x} / {y}");
    }
}

#[test]
fn collision_cours_and_courses() {
    let dir = TestDir::new();
    let mut index = seed_index(&dir);
    let lessons = ids_for(&mut index, "cours de français");
    assert!(lessons.iter().take(3).any(|i| i.starts_with("ecole-francaise-des-femmes")), "{lessons:?}");
}
