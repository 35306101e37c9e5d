//! What a visitor reads about opening hours, captured at 80x24: the detail's status sentence
//! and weekly table, and the rows' badges, for hours closed until a date, by appointment, to
//! be confirmed (open end), on a public holiday, and closed for the season. The catalogue is
//! synthetic (written below, labelled so in its `source`).

mod common;
mod ui_common;

use std::time::Instant;

use chrono::NaiveDateTime;
use common::TestDir;
use ui_common::{act, buffer_text, render, screen_has, type_str};
use wic::i18n::Strings;
use wic::search::SearchIndex;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

const HEADER: &str = "id,name,summary,description,themes,actions,tags,kind,access,price,audience,online,commune,address,postcode,latitude,longitude,phone,email,website,opening_hours,languages,accessibility,status,updated,source";

/// (id, name, hours)
const ENTRIES: &[(&str, &str, &str)] = &[
    ("hx-noel", "Épicerie test fermée à Noël", "Mo-Fr 09:00-12:00; Dec 20-Jan 04 off"),
    ("hx-rdv", "Permanence test sur rendez-vous", "Mo-Fr 14:00-17:00 open \"sur rendez-vous\"; We off"),
    ("hx-tard", "Bar associatif test", "Fr 18:00+"),
    ("hx-ferie", "Marché test du vendredi", "Mo-Sa 09:00-19:00; PH 10:00-13:00"),
    ("hx-ete", "Jardin test ouvert l'été", "Jun-Sep Tu-Sa 10:00-18:00"),
    ("hx-juin", "Fête test du mois de juin", "Jun"),
];

fn catalogue() -> String {
    let mut csv = format!("{HEADER}\n");
    for (n, (id, name, hours)) in ENTRIES.iter().enumerate() {
        let hours = format!("\"{}\"", hours.replace('"', "\"\""));
        // Further north, one by one: the distance sort gives the rows a fixed order.
        let lat = 48.8924 + 0.002 * (n as f64 + 1.0);
        csv.push_str(&format!(
            "{id},{name},Fiche de test : horaires.,,se-nourrir,,,,,,,false,92050,,,{lat:.4},2.2071,,,,{hours},,,actif,2026-11-01,fiche de test synthétique (tests/hours_snapshots.rs)\n"
        ));
    }
    csv
}

fn fixture_dir() -> TestDir {
    let dir = TestDir::new();
    let csv = dir.file("hours.csv", catalogue());
    dir.wic(&["import", csv.to_str().expect("utf-8 path")]).assert_code(0);
    dir
}

fn app_at(dir: &TestDir, at: &str) -> Runtime {
    app_placed(dir, at, None)
}

/// A kiosk at `place` (a commune), `at` a Paris time.
fn app_placed(dir: &TestDir, at: &str, place: Option<&str>) -> Runtime {
    let index = SearchIndex::open(&dir.search_dir()).map_err(|e| e.to_string());
    assert!(index.is_ok(), "{:?}", index.as_ref().err());
    let setup = Setup { place: place.map(String::from), ..Setup::new(Mode::Kiosk) };
    let app = App::new(setup, Strings::load("fr"), Palette::new(Capability::Full, false), Instant::now());
    let mut rt = Runtime::new(app, index, Options::default(), Instant::now());
    let now = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").expect("a time");
    rt.dispatch(Action::Clock(now), Instant::now());
    rt
}

fn detail(dir: &TestDir, id: &str, at: &str) -> String {
    let t = Instant::now();
    let mut app = app_at(dir, at);
    app.dispatch(Action::Resize(80, 24), t);
    type_str(&mut app, "test", t);
    act(&mut app, Action::First, t);
    let mut guard = 0;
    while app.selected_initiative().is_some_and(|i| i.id != id) && guard < 20 {
        act(&mut app, Action::Down, t);
        guard += 1;
    }
    assert_eq!(app.selected_initiative().map(|i| i.id.clone()).as_deref(), Some(id));
    act(&mut app, Action::Open, t);
    buffer_text(&render(&mut app, 80, 24, t))
}

#[test]
fn detail_snapshots_at_80x24() {
    let dir = fixture_dir();
    // (id, instant, a sentence the screen must hold)
    let cases = [
        // Tuesday 22 December 2026, in the Christmas closure: reopens Tuesday 5 January.
        ("hx-noel", "2026-12-22 10:00", "Fermé maintenant, ouvre le mardi 5 janvier à 09:00"),
        ("hx-rdv", "2026-12-01 15:00", "Ouvert maintenant, ferme à 17:00 (sur rendez-vous)"),
        // Friday 4 December 2026, 19:00: the open end started at 18:00.
        ("hx-tard", "2026-12-04 19:00", "Horaires à confirmer"),
        // Christmas 2026 is a Friday: holiday hours.
        ("hx-ferie", "2026-12-25 11:00", "Ouvert maintenant, ferme à 13:00"),
        ("hx-ete", "2027-02-15 10:00", "Fermé maintenant, ouvre le mardi 1er juin à 10:00"),
        ("hx-juin", "2027-02-15 10:00", "Fermé maintenant, ouvre en juin"),
        ("hx-juin", "2027-06-15 10:00", "Ouvert maintenant, jusqu'au mercredi 30 juin inclus"),
    ];
    for (id, at, sentence) in cases {
        let text = detail(&dir, id, at);
        assert!(text.contains(sentence), "{id} at {at}: {sentence:?} in\n{text}");
        insta::assert_snapshot!(format!("detail_{id}_{}_80x24", &at[..10]), text);
    }
}

#[test]
fn weekly_table_shows_comments_holidays_and_what_is_to_be_confirmed() {
    let dir = fixture_dir();
    let rdv = detail(&dir, "hx-rdv", "2026-12-01 15:00");
    assert!(rdv.contains("14:00–17:00 (sur rendez-vous)"), "{rdv}");
    let tard = detail(&dir, "hx-tard", "2026-12-04 19:00");
    assert!(tard.contains("Vendredi  18:00–24:00 à confirmer"), "{tard}");
    assert!(tard.contains("Samedi    00:00–04:00 à confirmer"), "the open end's guess spills over: {tard}");
    let ferie = detail(&dir, "hx-ferie", "2026-12-25 11:00");
    assert!(ferie.contains("Vendredi  10:00–13:00 (férié)"), "{ferie}");
}

#[test]
fn row_badges_at_80x24() {
    let dir = fixture_dir();
    let t = Instant::now();
    // Tuesday 1 December 2026, 15:00.
    let mut app = app_placed(&dir, "2026-12-01 15:00", Some("Nanterre"));
    app.dispatch(Action::Resize(80, 24), t);
    type_str(&mut app, "test", t);
    act(&mut app, Action::ToggleSort, t);
    let buf = render(&mut app, 80, 24, t);
    assert!(screen_has(&buf, "ouvert, sur rendez-vous"), "{}", buffer_text(&buf));
    insta::assert_snapshot!("results_badges_80x24", buffer_text(&buf));
}
