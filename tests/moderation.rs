//! The living catalogue through the interface (issue #14): a moderator edits, validates and
//! saves an entry; two moderators save the same version (one refused, nothing lost); a
//! visitor's report reaches the staff review queue and is resolved. Each test has its own data
//! directory (they write), driven with raw key events as the terminal loop feeds them.

mod ui_common;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ui_common::{buffer_text, render, screen_has, today};
use wic::catalogue::Reference;
use wic::data_dir::DataDir;
use wic::i18n::Strings;
use wic::reports::{ReportsDb, Resolution};
use wic::search::SearchIndex;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Screen, Setup};
use wic::ui::desk::Seat;
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

/// The entry every test works on: a seed entry with a summary and no e-mail.
const ENTRY: &str = "repair-cafe";

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn prepared() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = DataDir::new(tmp.path().join("data"));
    data.prepare(&mut |_| {}).expect("the seed catalogue imports");
    (tmp, data)
}

/// A session on `data`: staff (a moderator or not, as `who`) or a kiosk named "borne-test".
fn session(data: &DataDir, mode: Mode, who: &str, moderator: bool, t: Instant) -> Runtime {
    session_with(data, mode, who, moderator, false, t)
}

fn session_with(data: &DataDir, mode: Mode, who: &str, moderator: bool, four_eyes: bool, t: Instant) -> Runtime {
    let setup = Setup { desk: true, moderator, account: who.into(), ..Setup::new(mode) };
    let seat = Seat {
        data: data.clone(),
        who: who.into(),
        kiosk: "borne-test".into(),
        four_eyes,
        through_spool: false,
        reference: Reference::embedded().expect("reference data"),
    };
    let options = Options { seat: Some(seat), ..Options::default() };
    let app = App::new(setup, Strings::load("fr"), Palette::new(Capability::Mono, false), t);
    let index = SearchIndex::open(&data.search_dir()).map_err(|e| e.to_string());
    let mut rt = Runtime::new(app, index, options, t);
    rt.dispatch(Action::Clock(today().and_hms_opt(10, 0, 0).expect("valid time")), t);
    rt
}

fn type_keys(rt: &mut Runtime, text: &str, t: Instant) {
    for c in text.chars() {
        rt.event(key(KeyCode::Char(c)), t);
    }
    rt.settle(t);
}

/// Applies the desk's answers until `done` holds (each answer waited for, never a sleep).
fn wait_until(rt: &mut Runtime, t: Instant, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..20 {
        if done(rt.app()) {
            return;
        }
        rt.wait_for_desk(Duration::from_secs(60), t);
    }
    assert!(done(rt.app()), "waited for: {what}");
}

/// Opens the detail page of [`ENTRY`] by searching its name, as a person would.
fn open_entry(rt: &mut Runtime, t: Instant) {
    type_keys(rt, "repair café", t);
    rt.event(key(KeyCode::Down), t);
    let row = (0..rt.app().result_count()).find(|_| {
        let found = rt.app().selected_initiative().is_some_and(|i| i.id == ENTRY);
        if !found {
            rt.event(key(KeyCode::Down), t);
        }
        found
    });
    assert!(row.is_some(), "{ENTRY} is in the results");
    rt.event(key(KeyCode::Enter), t);
    assert_eq!(rt.app().screen(), Screen::Detail);
}

/// The form opened on `ENTRY`, the cursor moved to `field`.
fn edit_field(rt: &mut Runtime, field: &str, t: Instant) {
    rt.event(key(KeyCode::Char('e')), t);
    wait_until(rt, t, "the edit form", |a| a.screen() == Screen::Edit);
    let target = wic::catalogue::model::FIELDS.iter().position(|f| *f == field).expect("a field");
    for _ in 0..target {
        rt.event(key(KeyCode::Down), t);
    }
}

fn form_value(rt: &Runtime, field: &str) -> String {
    rt.app().moderation().edit.as_ref().expect("a form").form.value(field).to_string()
}

#[test]
fn a_moderator_edits_validates_and_saves_through_the_interface() {
    let (_tmp, data) = prepared();
    let t = Instant::now();
    let mut rt = session(&data, Mode::Staff, "alice", true, t);
    open_entry(&mut rt, t);
    edit_field(&mut rt, "email", t);
    type_keys(&mut rt, "pas-une-adresse", t);
    let edit = rt.app().moderation().edit.as_ref().expect("a form");
    assert!(edit.problems.iter().any(|p| p.field == "email"), "{:?}", edit.problems);
    let screen = render(&mut rt, 80, 24, t);
    assert!(screen_has(&screen, "pas-une-adresse"), "{}", buffer_text(&screen));
    insta::assert_snapshot!("edit_form_with_a_field_error_80x24", buffer_text(&screen));

    // Saving an invalid form writes nothing.
    rt.event(ctrl('s'), t);
    assert!(!rt.app().moderation().edit.as_ref().expect("a form").saving);
    assert_eq!(data.open_read().unwrap().get_versioned(ENTRY).unwrap().unwrap().1, 1);

    // A valid address: the problem goes as it is typed; then saved.
    rt.event(ctrl('u'), t);
    type_keys(&mut rt, "contact@exemple.org", t);
    assert!(rt.app().moderation().edit.as_ref().unwrap().problems.is_empty());
    rt.event(ctrl('s'), t);
    wait_until(&mut rt, t, "the save", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));
    let screen = render(&mut rt, 80, 24, t);
    assert!(screen_has(&screen, "Enregistré (version 2)"), "{}", buffer_text(&screen));
    let (item, version) = data.open_read().unwrap().get_versioned(ENTRY).unwrap().unwrap();
    assert_eq!((item.email.as_str(), version), ("contact@exemple.org", 2));
    let history = data.open_read().unwrap().history(ENTRY).unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.who.as_str(), last.via.as_str(), last.changed_fields()), ("alice", "edit", vec!["email"]));
    // The index was rebuilt from the saved catalogue: a new session finds the new address.
    let fresh = SearchIndex::open(&data.search_dir()).unwrap();
    assert_eq!(fresh.meta().catalogue_version, data.open_read().unwrap().version().unwrap());

    // "vérifié aujourd'hui" moves only `updated` (to the machine's day) and says who.
    rt.event(key(KeyCode::F(6)), t);
    wait_until(&mut rt, t, "the check", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));
    let history = data.open_read().unwrap().history(ENTRY).unwrap();
    assert_eq!(history.last().unwrap().via, "check");
    assert_eq!(history.last().unwrap().changed_fields(), vec!["updated"]);
}

#[test]
fn two_moderators_save_the_same_version_one_is_refused_and_nothing_is_lost() {
    let (_tmp, data) = prepared();
    let t = Instant::now();
    let mut alice = session(&data, Mode::Staff, "alice", true, t);
    let mut bob = session(&data, Mode::Staff, "bob", true, t);
    for rt in [&mut alice, &mut bob] {
        open_entry(rt, t);
        edit_field(rt, "summary", t);
        rt.event(ctrl('u'), t);
    }
    type_keys(&mut alice, "Résumé d'Alice.", t);
    type_keys(&mut bob, "Résumé de Bob.", t);
    alice.event(ctrl('s'), t);
    wait_until(&mut alice, t, "Alice's save", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));
    bob.event(ctrl('s'), t);
    wait_until(&mut bob, t, "Bob's save", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));

    let edit = bob.app().moderation().edit.as_ref().unwrap();
    let conflict = edit.conflict.as_ref().expect("Bob's save is refused");
    assert_eq!((conflict.who.as_str(), conflict.base, conflict.current), ("alice", 1, 2));
    assert_eq!(form_value(&bob, "summary"), "Résumé de Bob.", "Bob's text is kept");
    let screen = render(&mut bob, 80, 24, t);
    assert!(screen_has(&screen, "Refusé : alice a enregistré"), "{}", buffer_text(&screen));
    assert_eq!(data.open_read().unwrap().get(ENTRY).unwrap().unwrap().summary, "Résumé d'Alice.");

    // Bob, told, saves again: his text goes onto Alice's version, hers stays in the history.
    bob.event(ctrl('s'), t);
    wait_until(&mut bob, t, "Bob's second save", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));
    let (item, version) = data.open_read().unwrap().get_versioned(ENTRY).unwrap().unwrap();
    assert_eq!((item.summary.as_str(), version), ("Résumé de Bob.", 3));
    let history = data.open_read().unwrap().history(ENTRY).unwrap();
    let alices = history.iter().find(|r| r.who == "alice").expect("Alice's change is recorded");
    assert_eq!(alices.after.as_ref().unwrap().summary, "Résumé d'Alice.");
    assert_eq!(history.last().unwrap().before.as_ref().unwrap().summary, "Résumé d'Alice.");
}

#[test]
fn a_visitor_report_reaches_the_staff_queue_and_is_resolved() {
    let (_tmp, data) = prepared();
    let t = Instant::now();
    let mut kiosk = session(&data, Mode::Kiosk, "wic", false, t);
    open_entry(&mut kiosk, t);
    kiosk.event(key(KeyCode::Char('s')), t);
    let screen = render(&mut kiosk, 80, 24, t);
    assert!(screen_has(&screen, "Signaler une erreur") && screen_has(&screen, "3. Les horaires sont faux"));
    kiosk.event(key(KeyCode::Char('3')), t);
    wait_until(&mut kiosk, t, "the report", |a| a.visit().message.is_some());
    let screen = render(&mut kiosk, 80, 24, t);
    assert!(screen_has(&screen, "Merci, l'équipe va vérifier."), "{}", buffer_text(&screen));
    // Once per entry per visit.
    kiosk.event(key(KeyCode::Char('s')), t);
    assert!(kiosk.app().visit().report_menu.is_none());
    let reports = ReportsDb::open(&data.reports_path()).unwrap().all().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].kiosk.as_str(), reports[0].entry.as_str()), ("borne-test", ENTRY));
    assert_eq!(reports[0].day, today().format("%Y-%m-%d").to_string());

    let mut staff = session(&data, Mode::Staff, "carole", false, t);
    staff.event(ctrl('r'), t);
    wait_until(&mut staff, t, "the queue", |a| a.moderation().queue.is_some());
    let rows = staff.app().queue_rows();
    assert_eq!(rows[0].item.id, ENTRY, "reported entries come first");
    let screen = render(&mut staff, 80, 24, t);
    assert!(screen_has(&screen, "signalée ×1 : Les horaires sont faux"), "{}", buffer_text(&screen));
    insta::assert_snapshot!("review_queue_80x24", buffer_text(&screen));

    staff.event(key(KeyCode::Char('f')), t);
    wait_until(&mut staff, t, "the resolution", |a| {
        a.visit().message.is_some() && a.queue_rows().first().is_some_and(|r| r.item.id != ENTRY)
    });
    let report = &ReportsDb::open(&data.reports_path()).unwrap().all().unwrap()[0];
    assert_eq!((report.resolution, report.resolved_by.as_str()), (Some(Resolution::Fixed), "carole"));
    // Not a moderator: `e` explains instead of opening a form.
    staff.event(key(KeyCode::Char('e')), t);
    assert_ne!(staff.app().screen(), Screen::Edit);
}

/// `review = "four-eyes"`: Alice's change is held, invisible to kiosks (the catalogue and the
/// index keep the approved version) until Bob approves it in the review queue; Alice cannot
/// approve her own.
#[test]
fn a_four_eyes_edit_is_invisible_to_kiosks_until_a_second_moderator_approves_it() {
    let (_tmp, data) = prepared();
    let t = Instant::now();
    let mut alice = session_with(&data, Mode::Staff, "alice", true, true, t);
    open_entry(&mut alice, t);
    edit_field(&mut alice, "phone", t);
    type_keys(&mut alice, "01 47 29 30 31", t);
    alice.event(ctrl('s'), t);
    wait_until(&mut alice, t, "the proposal", |a| a.moderation().edit.as_ref().is_some_and(|e| !e.saving));
    let screen = render(&mut alice, 80, 24, t);
    assert!(screen_has(&screen, "Proposé : en attente"), "{}", buffer_text(&screen));

    // What a kiosk reads: the catalogue's entry and a fresh index, both still the old phone.
    let kiosk_sees = |data: &DataDir| {
        let mut index = SearchIndex::open(&data.search_dir()).unwrap();
        let found = index
            .search(&wic::search::SearchRequest { text: "repair café".into(), limit: 50, ..Default::default() })
            .unwrap();
        let row = (0..found.hits.len()).filter_map(|i| found.load(i).ok()).find(|i| i.id == ENTRY);
        (data.open_read().unwrap().get(ENTRY).unwrap().unwrap().phone, row.map(|i| i.phone))
    };
    assert_eq!(kiosk_sees(&data), (String::new(), Some(String::new())));

    // Alice cannot approve her own change.
    alice.event(key(KeyCode::Esc), t);
    alice.event(ctrl('r'), t);
    wait_until(&mut alice, t, "the queue", |a| a.moderation().queue.is_some());
    assert_eq!(alice.app().queue_rows()[0].item.id, ENTRY, "held changes come first");
    alice.event(key(KeyCode::Char('a')), t);
    assert_eq!(data.open_read().unwrap().pending().unwrap().len(), 1);

    let mut bob = session_with(&data, Mode::Staff, "bob", true, true, t);
    bob.event(ctrl('r'), t);
    wait_until(&mut bob, t, "the queue", |a| a.moderation().queue.is_some());
    let screen = render(&mut bob, 80, 24, t);
    assert!(screen_has(&screen, "proposé par alice : téléphone"), "{}", buffer_text(&screen));
    bob.event(key(KeyCode::Char('a')), t);
    wait_until(&mut bob, t, "the approval", |a| a.visit().message.is_some());
    assert_eq!(kiosk_sees(&data), ("01 47 29 30 31".to_string(), Some("01 47 29 30 31".to_string())));
    let last = data.open_read().unwrap().history(ENTRY).unwrap().pop().unwrap();
    assert_eq!((last.who.as_str(), last.note.as_str()), ("alice", "approved by bob"));
}
