//! The commune picker (#13, items 1 and 16): F4 reached only the communes of the current
//! results, one at a time; F9 was a text prompt that refused "nanter" and hid its own text.
//! Now both open a list of all 36 communes that narrows as letters are typed (accents
//! optional, prefix, one typo, postcode), the kiosk's commune first, with result counts.
//!
//! Snapshots: `INSTA_UPDATE=always cargo test --test commune_picker`, then read them.

mod ui_common;

use std::time::Instant;

use ui_common::*;
use wic::search::SearchRequest;
use wic::ui::action::Action;
use wic::ui::app::{Mode, PickerFor, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Counter, Options, Runtime};

/// A staff session at a kiosk configured for Nanterre.
fn at_nanterre(palette: Palette, t: Instant) -> Runtime {
    let setup = Setup { place: Some("Nanterre".into()), ..Setup::new(Mode::Staff) };
    runtime_with(setup, palette, Options { counter: Counter::Memory(Vec::new()), ..Options::default() }, t)
}

fn names(app: &Runtime) -> Vec<String> {
    app.picker_choices().iter().map(|c| c.commune.as_ref().map_or("*".to_string(), |c| c.name.clone())).collect()
}

#[test]
fn f4_offers_all_36_communes_the_kiosks_first_with_counts() {
    let t = Instant::now();
    let mut app = at_nanterre(Palette::new(Capability::Full, false), t);
    type_str(&mut app, "velo", t);
    act(&mut app, Action::FilterCommune, t);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().picker.as_ref().map(|p| p.purpose), Some(PickerFor::Filter));
    let names = names(&app);
    assert_eq!(names.len(), 37, "every commune, and 'all' first: {names:?}");
    assert_eq!(names[..2], ["*", "Nanterre"], "all, then the kiosk's commune");

    // Each count is what choosing that commune gives; "all" is the total without one.
    let mut index = index().expect("index");
    let choices = app.picker_choices();
    let total = |commune: Option<String>, index: &mut wic::search::SearchIndex| {
        let request = SearchRequest { text: "velo".into(), commune, limit: 1, ..Default::default() };
        index.search(&request).expect("search").total as u64
    };
    assert_eq!(choices[0].count, Some(total(None, &mut index)));
    let mut nonzero = 0;
    for choice in &choices[1..] {
        let insee = choice.commune.as_ref().map(|c| c.insee.clone());
        let expected = total(insee, &mut index);
        assert_eq!(choice.count, Some(expected), "{:?}", choice.commune.as_ref().map(|c| &c.name));
        nonzero += usize::from(expected > 0);
    }
    assert!(nonzero >= 2, "bikes are found in several communes");
}

#[test]
fn typing_narrows_accents_optional_prefix_typo_and_postcode() {
    let t = Instant::now();
    let mut app = at_nanterre(Palette::new(Capability::Full, false), t);
    act(&mut app, Action::FilterCommune, t);
    for (typed, first) in [
        ("nant", "Nanterre"),
        ("CHATILLON", "Châtillon"),
        ("chatenay", "Châtenay-Malabry"),
        ("cloud", "Saint-Cloud"),
        ("colonbes", "Colombes"),
        ("92130", "Issy-les-Moulineaux"),
        ("issy les", "Issy-les-Moulineaux"),
    ] {
        act(&mut app, Action::ClearQuery, t);
        type_str(&mut app, typed, t);
        assert_eq!(names(&app).first().map(String::as_str), Some(first), "{typed}");
    }
    // Typed text goes to the picker, never to the search.
    assert_eq!(app.visit().query, "");
}

#[test]
fn arrows_and_enter_choose_esc_leaves_everything_as_it_was() {
    let t = Instant::now();
    let mut app = at_nanterre(Palette::new(Capability::Full, false), t);
    type_str(&mut app, "repair", t);
    let before = app.result_count();
    act(&mut app, Action::FilterCommune, t);
    type_str(&mut app, "b", t);
    act(&mut app, Action::Down, t);
    let chosen = app.picker_choices()[1].commune.clone().expect("a commune");
    act(&mut app, Action::Open, t);
    assert!(app.visit().picker.is_none());
    assert_eq!(app.visit().filters.commune.as_deref(), Some(chosen.insee.as_str()), "the second 'b' commune");

    // Esc: the filter stays as it was, whatever was typed or selected.
    act(&mut app, Action::FilterCommune, t);
    assert_eq!(
        app.visit().picker.as_ref().map(|p| p.selected),
        Some(names(&app).iter().position(|n| *n == chosen.name).unwrap()),
        "opens on the current choice"
    );
    type_str(&mut app, "sceaux", t);
    act(&mut app, Action::Back, t);
    assert!(app.visit().picker.is_none());
    assert_eq!(app.visit().filters.commune.as_deref(), Some(chosen.insee.as_str()));

    // "All" takes the filter off again.
    act(&mut app, Action::FilterCommune, t);
    act(&mut app, Action::First, t);
    act(&mut app, Action::Open, t);
    assert_eq!(app.visit().filters.commune, None);
    assert_eq!(app.result_count(), before);
}

#[test]
fn f9_measures_from_the_chosen_commune_and_the_kiosk_never_asks() {
    let t = Instant::now();
    let mut app = at_nanterre(Palette::new(Capability::Full, false), t);
    type_str(&mut app, "epicerie", t);
    act(&mut app, Action::AskNear, t);
    assert_eq!(app.visit().picker.as_ref().map(|p| p.purpose), Some(PickerFor::Near));
    type_str(&mut app, "nanter", t);
    act(&mut app, Action::Open, t);
    assert_eq!(app.visit().near.as_ref().map(|c| c.name.as_str()), Some("Nanterre"));
    // F9 again opens empty (no hidden old text to append to: "…nanternanterre").
    act(&mut app, Action::AskNear, t);
    assert_eq!(app.visit().picker.as_ref().map(|p| p.text.as_str()), Some(""));
    act(&mut app, Action::Back, t);

    let mut kiosk = kiosk_app(t);
    act(&mut kiosk, Action::AskNear, t);
    assert!(kiosk.visit().picker.is_none());
}

#[test]
fn a_click_chooses_the_line_clicked() {
    let t = Instant::now();
    let mut app = at_nanterre(Palette::new(Capability::Full, false), t);
    app.dispatch(Action::Resize(80, 24), t);
    act(&mut app, Action::FilterCommune, t);
    type_str(&mut app, "bo", t);
    let second = app.picker_choices()[1].commune.clone().expect("two 'bo' communes");
    act(&mut app, Action::Click(10, wic::ui::layout::LIST_TOP + 1), t);
    assert_eq!(app.visit().filters.commune.as_deref(), Some(second.insee.as_str()));
}

/// What the note shows: the picker with `nant` typed, and opened before typing, at both sizes
/// and in the console's ASCII.
#[test]
fn snapshots_of_the_picker() {
    for (w, h) in [(80, 24), (60, 18)] {
        for (mode, palette) in
            [("unicode", Palette::new(Capability::Full, false)), ("ascii", Palette::new(Capability::Mono, true))]
        {
            let t = Instant::now();
            let mut app = at_nanterre(palette, t);
            app.dispatch(Action::Resize(w, h), t);
            type_str(&mut app, "velo", t);
            act(&mut app, Action::FilterCommune, t);
            let opened = buffer_text(&render(&mut app, w, h, t));
            type_str(&mut app, "nant", t);
            let typed = buffer_text(&render(&mut app, w, h, t));
            insta::assert_snapshot!(format!("picker_{mode}_{w}x{h}"), format!("{opened}\n--- nant\n{typed}"));
        }
    }
}
