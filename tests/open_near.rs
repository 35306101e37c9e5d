//! "Open now" and "near me" end to end: `wic search --open-at/--at --near --json` on a small
//! fixture catalogue (synthetic entries, labelled so in their `source`), and the kiosk's
//! filters, distance sort, staff "near" prompt and map through `App::update`.

mod common;
mod ui_common;

use std::time::Instant;

use common::TestDir;
use serde_json::Value;
use ui_common::{act, buffer_text, render, row_text, screen_has, type_str};
use wic::i18n::Strings;
use wic::search::SearchIndex;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, OpenFilter, Screen, Setup, Sort};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

const FIXTURE: &str = include_str!("fixtures/open_near/initiatives.csv");

/// A data directory holding only the fixture catalogue, indexed.
fn fixture_dir() -> TestDir {
    let dir = TestDir::new();
    let csv = dir.file("open_near.csv", FIXTURE);
    dir.wic(&["import", csv.to_str().expect("utf-8 path")]).assert_code(0);
    dir
}

fn json(dir: &TestDir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--json", "--limit", "50"];
    all.extend_from_slice(args);
    let out = dir.wic(&all);
    out.assert_code(0);
    out.json().as_array().expect("an array").clone()
}

fn by_id<'a>(hits: &'a [Value], id: &str) -> &'a Value {
    hits.iter().find(|h| h["id"] == id).unwrap_or_else(|| panic!("{id} in {hits:#?}"))
}

#[test]
fn cli_reports_open_next_change_and_distance() {
    let dir = fixture_dir();
    // Wednesday 2 December 2026, 10:00, measured from Nanterre; --at does not filter.
    let hits = json(&dir, &["test", "--at", "2026-12-02T10:00", "--near", "Nanterre"]);
    assert_eq!(hits.len(), 7, "{hits:#?}");

    let epicerie = by_id(&hits, "fx-epicerie-nanterre");
    assert_eq!(epicerie["open"], true);
    assert_eq!(epicerie["next_change"], "2026-12-02 12:00");
    let d = epicerie["distance_m"].as_u64().expect("a distance");
    assert!((200..800).contains(&d), "Nanterre's épicerie is a few hundred metres from the centre: {d}");
    assert_eq!(epicerie["distance_approx"], false);

    let atelier = by_id(&hits, "fx-repair-colombes");
    assert_eq!(atelier["open"], false);
    assert_eq!(atelier["next_change"], "2026-12-02 14:00");
    assert_eq!(atelier["distance_approx"], true, "no coordinates: the commune's centre");

    let online = by_id(&hits, "fx-plateforme-en-ligne");
    assert_eq!(online["open"], true);
    assert!(online["distance_m"].is_null(), "online services get no distance");

    let unknown = by_id(&hits, "fx-sans-horaires-nanterre");
    assert!(unknown["open"].is_null() && unknown["next_change"].is_null());

    let closed = by_id(&hits, "fx-friperie-boulogne");
    assert_eq!(closed["open"], false, "temporarily closed wins over its hours");
    assert_eq!(closed["status"], "ferme-temporairement");

    // The night shelter opens on Friday at 22:00 and closes after midnight.
    let night = by_id(&hits, "fx-nuit-clamart");
    assert_eq!(night["next_change"], "2026-12-04 22:00");
}

#[test]
fn cli_open_at_filters_and_distance_sorts() {
    let dir = fixture_dir();
    let hits = json(&dir, &["test", "--open-at", "2026-12-02T10:00", "--near", "Nanterre", "--sort", "distance"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, ["fx-epicerie-nanterre", "fx-plateforme-en-ligne"], "only what is open at 10:00");
    assert!(hits.iter().all(|h| h["open"] == true));

    // Saturday night 23:00: the Friday-night shelter is closed, the online service open.
    let hits = json(&dir, &["test", "--open-at", "2026-12-04T23:30"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap_or("")).collect();
    assert!(ids.contains(&"fx-nuit-clamart") && ids.contains(&"fx-plateforme-en-ligne"), "{ids:?}");
    assert!(!ids.contains(&"fx-epicerie-nanterre"), "{ids:?}");

    // Sorted by distance from Antony: Antony's AMAP first; online keeps its slot.
    let hits = json(&dir, &["test", "--at", "2026-12-02T10:00", "--near", "Antony", "--sort", "distance"]);
    assert_eq!(hits[0]["id"], "fx-amap-antony", "{hits:#?}");
    let distances: Vec<u64> = hits.iter().filter_map(|h| h["distance_m"].as_u64()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first: {distances:?}");

    let bad = dir.wic(&["search", "test", "--open-at", "demain"]);
    assert_eq!(bad.code, 2, "a bad time is a usage error: {}", bad.stderr);
    assert!(bad.stderr.contains("--open-at"), "{}", bad.stderr);
}

/// An app on the fixture catalogue, Wednesday 2 December 2026 at 10:00, kiosk in Nanterre.
fn app(dir: &TestDir, mode: Mode, ascii: bool) -> Runtime {
    let index = SearchIndex::open(&dir.search_dir()).map_err(|e| e.to_string());
    assert!(index.is_ok(), "{:?}", index.as_ref().err());
    let cap = if ascii { Capability::Ansi16 } else { Capability::Full };
    let setup = Setup { place: Some("Nanterre".into()), ..Setup::new(mode) };
    let app = App::new(setup, Strings::load("fr"), Palette::new(cap, ascii), Instant::now());
    let mut rt = Runtime::new(app, index, Options::default(), Instant::now());
    rt.dispatch(Action::Clock(ui_common::today().and_hms_opt(10, 0, 0).expect("time")), Instant::now());
    rt
}

fn ids(app: &App) -> Vec<String> {
    (0..app.result_count()).filter_map(|i| app.visit().rows.get(i).cloned().flatten()).map(|r| r.id).collect()
}

#[test]
fn open_filter_cycles_now_today_all() {
    let dir = fixture_dir();
    let t = Instant::now();
    let mut app = app(&dir, Mode::Kiosk, false);
    type_str(&mut app, "test", t);
    assert_eq!(app.result_count(), 7);
    act(&mut app, Action::FilterOpen, t);
    assert_eq!(app.visit().filters.open, OpenFilter::Now);
    let mut now = ids(&app);
    now.sort();
    assert_eq!(now, ["fx-epicerie-nanterre", "fx-plateforme-en-ligne"]);
    act(&mut app, Action::FilterOpen, t);
    assert_eq!(app.visit().filters.open, OpenFilter::Today);
    let today = ids(&app);
    assert!(today.contains(&"fx-repair-colombes".to_string()), "opens at 14:00 today: {today:?}");
    assert!(!today.contains(&"fx-amap-antony".to_string()), "Thursdays only: {today:?}");
    assert!(!today.contains(&"fx-friperie-boulogne".to_string()), "temporarily closed: {today:?}");
    act(&mut app, Action::FilterOpen, t);
    assert_eq!(app.visit().filters.open, OpenFilter::Any);
    assert_eq!(app.result_count(), 7);
}

#[test]
fn open_now_list_follows_the_clock() {
    let dir = fixture_dir();
    let t = Instant::now();
    let mut app = app(&dir, Mode::Kiosk, false);
    type_str(&mut app, "test", t);
    act(&mut app, Action::FilterOpen, t);
    assert!(ids(&app).contains(&"fx-epicerie-nanterre".to_string()));
    // 12:30: the épicerie has closed for lunch; the list updates without a key pressed.
    app.dispatch(Action::Clock(ui_common::today().and_hms_opt(12, 30, 0).expect("time")), Instant::now());
    app.settle(Instant::now());
    assert!(!ids(&app).contains(&"fx-epicerie-nanterre".to_string()), "{:?}", ids(&app));
}

#[test]
fn distance_sort_keeps_online_in_place_and_toggles_back() {
    let dir = fixture_dir();
    let t = Instant::now();
    let mut app = app(&dir, Mode::Kiosk, false);
    type_str(&mut app, "test", t);
    let relevance = ids(&app);
    act(&mut app, Action::ToggleSort, t);
    assert_eq!(app.visit().sort, Sort::Distance);
    let by_distance = ids(&app);
    let distances: Vec<f64> =
        (0..app.result_count()).filter_map(|i| app.mark(i).and_then(|m| m.distance)).map(|d| d.metres).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    let online = |v: &[String]| v.iter().position(|id| id == "fx-plateforme-en-ligne");
    assert_eq!(online(&relevance), online(&by_distance), "the online service keeps its slot");
    assert!(by_distance[0].ends_with("nanterre"), "{by_distance:?}");
    act(&mut app, Action::ToggleSort, t);
    assert_eq!(ids(&app), relevance);
}

#[test]
fn staff_sets_near_through_the_commune_picker() {
    let dir = fixture_dir();
    let t = Instant::now();
    let mut app = app(&dir, Mode::Staff, false);
    type_str(&mut app, "test", t);
    act(&mut app, Action::AskNear, t);
    assert!(app.visit().picker.is_some());
    type_str(&mut app, "Atlantis", t);
    assert!(app.picker_choices().is_empty());
    act(&mut app, Action::Open, t);
    assert!(app.visit().picker.is_some(), "nothing to choose: the picker stays open");
    let buf = render(&mut app, 80, 24, t);
    assert!(
        screen_has(&buf, "Aucune commune des Hauts-de-Seine ne correspond à « Atlantis »."),
        "{}",
        buffer_text(&buf)
    );
    act(&mut app, Action::ClearQuery, t);
    type_str(&mut app, "antony", t);
    act(&mut app, Action::Open, t);
    assert!(app.visit().picker.is_none());
    assert_eq!(app.visit().near.as_ref().map(|c| c.name.as_str()), Some("Antony"));
    assert_eq!(app.visit().query, "test", "the prompt never typed into the search");
    assert_eq!(ids(&app)[0], "fx-amap-antony");
    let buf = render(&mut app, 80, 24, t);
    assert!(row_text(&buf, 2).contains("F8 Tri: distance depuis Antony"), "{}", buffer_text(&buf));
    // The detail says from where it measured: the person's commune, not "la borne" (#13,
    // item 17: it read "dans la commune de la borne (adresse exacte inconnue)").
    act(&mut app, Action::AskNear, t);
    type_str(&mut app, "nanterre", t);
    act(&mut app, Action::Open, t);
    let pos = ids(&app)
        .iter()
        .position(|id| id == "fx-sans-horaires-nanterre")
        .expect("the Nanterre place without coordinates is listed");
    act(&mut app, Action::First, t);
    for _ in 0..pos {
        act(&mut app, Action::Down, t);
    }
    act(&mut app, Action::Open, t);
    let buf = render(&mut app, 80, 24, t);
    let text = buffer_text(&buf);
    assert!(!text.contains("la borne"), "{text}");
    assert!(text.contains("Nanterre (la commune de la personne)"), "{text}");

    // Kiosk visitors are never asked.
    let mut kiosk = self::app(&dir, Mode::Kiosk, false);
    act(&mut kiosk, Action::AskNear, t);
    assert!(kiosk.visit().picker.is_none());
}

#[test]
fn map_toggles_and_highlights_the_selection() {
    let dir = fixture_dir();
    let t = Instant::now();
    let mut app = app(&dir, Mode::Kiosk, false);
    type_str(&mut app, "test", t);
    act(&mut app, Action::ToggleMap, t);
    assert_eq!(app.screen(), Screen::Map);
    let buf = render(&mut app, 80, 24, t);
    assert!(screen_has(&buf, "✚"), "the kiosk's marker:\n{}", buffer_text(&buf));
    assert!(screen_has(&buf, "◉"), "the selection:\n{}", buffer_text(&buf));
    let first = app.selected_initiative().map(|i| i.name.clone()).unwrap_or_default();
    assert!(screen_has(&buf, &first), "the selection named below the map");
    act(&mut app, Action::Down, t);
    let second = app.selected_initiative().map(|i| i.name.clone()).unwrap_or_default();
    let buf = render(&mut app, 80, 24, t);
    assert!(second != first && screen_has(&buf, &second));
    act(&mut app, Action::Open, t);
    assert_eq!(app.screen(), Screen::Detail, "Enter on the map opens the selection");
    act(&mut app, Action::Back, t);
    act(&mut app, Action::ToggleMap, t);
    act(&mut app, Action::ToggleMap, t);
    assert_eq!(app.screen(), Screen::Results);
}

/// The captures the issue asks for: badges on rows, the detail's status and weekly table, the
/// temporary-closure warning, and the map, at 80x24 and 120x40, Unicode/braille and ASCII.
#[test]
fn snapshots_of_badges_detail_and_map() {
    let dir = fixture_dir();
    let t = Instant::now();
    for ascii in [false, true] {
        let mode = if ascii { "ascii" } else { "unicode" };
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = app(&dir, Mode::Staff, ascii);
            app.dispatch(Action::Resize(w, h), t);
            type_str(&mut app, "test", t);
            act(&mut app, Action::ToggleSort, t);
            let buf = render(&mut app, w, h, t);
            insta::assert_snapshot!(format!("results_badges_{mode}_{w}x{h}"), buffer_text(&buf));

            act(&mut app, Action::ToggleMap, t);
            let buf = render(&mut app, w, h, t);
            insta::assert_snapshot!(format!("map_{mode}_{w}x{h}"), buffer_text(&buf));
            act(&mut app, Action::ToggleMap, t);

            for id in ["fx-epicerie-nanterre", "fx-friperie-boulogne"] {
                act(&mut app, Action::First, t);
                while app.selected_initiative().is_some_and(|i| i.id != id) {
                    act(&mut app, Action::Down, t);
                }
                act(&mut app, Action::Open, t);
                let buf = render(&mut app, w, h, t);
                insta::assert_snapshot!(format!("detail_{id}_{mode}_{w}x{h}"), buffer_text(&buf));
                act(&mut app, Action::Back, t);
            }
        }
    }
}

/// A data directory holding a synthetic catalogue (hours of every shape, coordinates or not,
/// online services, temporary closures), indexed.
fn synthetic_dir(count: usize) -> TestDir {
    let dir = TestDir::new();
    let csv = dir.file("synth.csv", "");
    let csv = csv.to_str().expect("utf-8 path");
    dir.wic(&["synth", "--count", &count.to_string(), "--seed", "11", "--output", csv]).assert_code(0);
    dir.wic(&["import", csv]).assert_code(0);
    dir
}

/// The index's fast columns (what the "ouvert" filter and the distance sort read instead of
/// loading documents) say exactly what the documents say: a search that lets one hours key
/// through returns exactly the documents with that key, and each hit's place is its own.
#[test]
fn fast_columns_agree_with_the_documents() {
    let dir = synthetic_dir(600);
    let mut index = SearchIndex::open(&dir.search_dir()).expect("index");
    let reference = index.reference().clone();
    let browse = wic::search::SearchRequest { limit: 5_000, ..Default::default() };
    let results = index.search(&browse).expect("browse everything");
    assert!(results.hits.len() > 500, "{}", results.hits.len());
    let places = results.places().expect("fast columns");
    assert_eq!(places.len(), results.hits.len());
    let mut by_key: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let placeless = places.iter().filter(|p| p.is_none()).count();
    for (i, place) in places.iter().enumerate() {
        let item = results.load(i).expect("document");
        assert_eq!(*place, wic::geo::locate(&item, &reference).map(|l| l.point), "{}", item.id);
        by_key.entry(wic::mark::hours_key(&item).to_string()).or_default().push(item.id);
    }
    assert!(by_key.contains_key("off") && placeless > 0, "the sample covers closures and online services");
    // The filter is asked about each distinct key, and lets through exactly its documents.
    let mut asked = std::collections::BTreeSet::new();
    index
        .search_open(&browse, &mut |k| {
            asked.insert(k.to_string());
            false
        })
        .expect("search");
    assert_eq!(asked, by_key.keys().cloned().collect(), "the distinct hours keys");
    for (key, ids) in &by_key {
        let only = index.search_open(&browse, &mut |k| k == key).expect("search");
        let mut found: Vec<String> = only.load_all().expect("load").into_iter().map(|(_, i)| i.id).collect();
        found.sort();
        let mut ids = ids.clone();
        ids.sort();
        assert_eq!(found, ids, "documents with hours key {key:?}");
        assert_eq!(only.total, ids.len());
    }
}

/// The "ouvert" filter examines every match, not only the best few thousand by relevance: on a
/// broad query over 8,000 initiatives, the count of open ones is that of all the matches.
#[test]
fn the_open_filter_counts_every_match() {
    let dir = synthetic_dir(8_000);
    let t = Instant::now();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(10, 0, 0)).expect("moment");
    let mut index = SearchIndex::open(&dir.search_dir()).expect("index");
    let reference = index.reference().clone();
    let mut app = app(&dir, Mode::Staff, false);
    app.dispatch(Action::Clock(at), Instant::now());
    type_str(&mut app, "a", t);
    let query = app.visit().query.clone();
    let all = index.search(&wic::search::SearchRequest { text: query, limit: 100_000, ..Default::default() });
    let all = all.expect("search");
    assert!(all.total > wic::ui::app::WIDE_LIMIT, "a broad query: {} matches", all.total);
    let is_open: Vec<bool> = all
        .load_all()
        .expect("load")
        .iter()
        .map(|(_, i)| wic::mark::mark(i, at, None, &reference).status.is_open() == Some(true))
        .collect();
    let open = is_open.iter().filter(|&&o| o).count();
    // A filter applied after the search, over the best WIDE_LIMIT (as before), would miss some.
    let open_among_the_best = is_open[..wic::ui::app::WIDE_LIMIT].iter().filter(|&&o| o).count();
    assert!(open_among_the_best < open, "the sample reaches past the bound: {open_among_the_best} vs {open}");
    act(&mut app, Action::FilterOpen, t);
    assert_eq!(app.visit().filters.open, OpenFilter::Now);
    let results = app.visit().results.as_ref().expect("results");
    assert_eq!(results.total, open, "open matches among {}", all.total);
    let counted: u64 = results.theme_counts.iter().map(|(_, n)| n).sum();
    assert!(counted >= open as u64, "every open match is counted in its themes: {counted} < {open}");
}

/// With the "ouvert" filter on, the list is exactly the matches whose own marks say open, at
/// moments that matter: a weekday morning and lunch time, a Saturday night, a Sunday, 14 July.
#[test]
fn open_filter_keeps_exactly_what_the_marks_say_is_open() {
    let dir = synthetic_dir(600);
    let t = Instant::now();
    let mut all = SearchIndex::open(&dir.search_dir()).expect("index");
    let reference = all.reference().clone();
    let browse = wic::search::SearchRequest { limit: 5_000, ..Default::default() };
    let everything: Vec<wic::catalogue::Initiative> =
        all.search(&browse).expect("browse").load_all().expect("load").into_iter().map(|(_, i)| i).collect();
    let mut app = app(&dir, Mode::Staff, false);
    // Browse one theme with no words: every match of the theme is examined.
    act(&mut app, Action::Digit(1), t);
    let theme = app.visit().filters.theme.clone().expect("theme 1 opened");
    let date = |y, m, d, h, min| chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, min, 0));
    let moments = [
        date(2026, 12, 1, 10, 0),
        date(2026, 12, 1, 12, 30),
        date(2026, 12, 5, 23, 30),
        date(2026, 12, 6, 11, 0),
        date(2026, 7, 14, 10, 0),
    ];
    for at in moments.into_iter().map(|m| m.expect("valid moment")) {
        app.dispatch(Action::Clock(at), Instant::now());
        for filter in [OpenFilter::Now, OpenFilter::Today] {
            while app.visit().filters.open != filter {
                act(&mut app, Action::FilterOpen, t);
            }
            let expected: Vec<&str> = everything
                .iter()
                .filter(|i| i.themes.contains(&theme))
                .filter(|i| match filter {
                    OpenFilter::Now => wic::mark::mark(i, at, None, &reference).status.is_open() == Some(true),
                    _ => wic::mark::open_on(i, at.date()) == Some(true),
                })
                .map(|i| i.id.as_str())
                .collect();
            let results = app.visit().results.as_ref().expect("results");
            assert_eq!(results.total, expected.len(), "{filter:?} at {at}");
            for i in 0..results.hits.len() {
                let id = results.load(i).expect("row").id;
                assert!(expected.contains(&id.as_str()), "{id} listed as {filter:?} at {at}");
            }
        }
    }
}

/// With the "ouvert" filter on, the counts per theme are of the open matches, so they add up
/// to what is listed (never "Se nourrir 8" above "0 résultat").
#[test]
fn theme_counts_follow_the_open_filter() {
    let dir = synthetic_dir(600);
    let t = Instant::now();
    let mut app = app(&dir, Mode::Staff, false);
    type_str(&mut app, "solidaire", t);
    let before: u64 = app.visit().results.as_ref().expect("results").theme_counts.iter().map(|(_, n)| n).sum();
    act(&mut app, Action::FilterOpen, t);
    assert_eq!(app.visit().filters.open, OpenFilter::Now);
    let results = app.visit().results.as_ref().expect("results");
    let listed: Vec<wic::catalogue::Initiative> =
        (0..results.hits.len()).map(|i| results.load(i).expect("row")).collect();
    assert!(results.total < 200 && results.total == listed.len(), "all open matches are listed: {}", results.total);
    assert!(!listed.is_empty(), "something is open on a Wednesday at 10:00");
    for (slug, n) in &results.theme_counts {
        let expected = listed.iter().filter(|i| i.themes.contains(slug)).count() as u64;
        assert_eq!(*n, expected, "{slug}");
    }
    let after: u64 = results.theme_counts.iter().map(|(_, n)| n).sum();
    assert!(after < before, "fewer are open than match: {after} vs {before}");
}
