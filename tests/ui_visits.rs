//! Whole visits driven through `App::update`, as the run loop would: keys become actions,
//! a burst of typing is settled into one search, time passes by `Tick`. No terminal involved.

mod ui_common;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ui_common::*;
use wic::kiosk::AdminChord;
use wic::ui::action::Action;
use wic::ui::app::{App, Focus, Mode, Place, Screen, Setup};
use wic::ui::keys;
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

/// Every initiative of the current results (all pages), loaded.
fn all_results(app: &App) -> Vec<wic::catalogue::Initiative> {
    let results = app.visit().results.as_ref().expect("a search ran");
    results.load_all().expect("results load").into_iter().map(|(_, i)| i).collect()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn typing_velo_lists_bike_initiatives_first() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    assert_eq!(app.screen(), Screen::Home);
    type_str(&mut app, "velo", t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().query, "velo");
    assert!(!app.visit().search_pending, "settle() ran the search");
    assert!(app.result_count() >= 5, "several bike initiatives, got {}", app.result_count());
    assert_eq!(selected_id(&app).as_deref(), Some("velo-ecole-mdb-colombes"));
    let first = app.selected_initiative().expect("first row loaded");
    assert!(first.name.contains("Vélo"), "{}", first.name);
    // Every result of "velo" is about getting around (the seed catalogue has no other).
    for i in all_results(&app).iter().take(5) {
        assert!(i.themes.iter().any(|t| t == "se-deplacer"), "{} {:?}", i.id, i.themes);
    }
}

#[test]
fn typing_is_coalesced_until_settle() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    for c in "velo".chars() {
        app.dispatch(Action::Type(c), t0);
    }
    assert!(app.visit().search_pending);
    assert!(app.visit().results.is_none(), "no search before settle()");
    app.settle(Instant::now());
    assert!(app.visit().results.is_some());
}

#[test]
fn open_detail_then_back_keeps_query_selection_and_scroll() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    app.dispatch(Action::Resize(80, 24), t0);
    type_str(&mut app, "velo", t0);
    let page = app.page_rows();
    // Go past the first page so that the list has scrolled.
    for _ in 0..page + 1 {
        act(&mut app, Action::Down, t0);
    }
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.visit().selected, page + 1);
    assert!(app.visit().scroll > 0, "the list scrolled");
    let (selected, scroll) = (app.visit().selected, app.visit().scroll);
    let id = selected_id(&app).expect("selected row loaded");

    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(app.visit().detail.as_ref().map(|d| d.id.clone()), Some(id.clone()));

    act(&mut app, Action::Back, t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().query, "velo");
    assert_eq!((app.visit().selected, app.visit().scroll), (selected, scroll));
    assert_eq!(selected_id(&app), Some(id));
    assert!(app.visit().detail.is_none());
}

#[test]
fn enter_while_typing_opens_the_first_result() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    assert_eq!(app.focus(), Focus::Query);
    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(app.visit().detail.as_ref().map(|d| d.id.as_str()), Some("velo-ecole-mdb-colombes"));
}

#[test]
fn esc_steps_back_one_screen_at_a_time_and_keeps_the_query() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Down, t0);
    act(&mut app, Action::Open, t0);
    act(&mut app, Action::Back, t0); // Detail → Results (list)
    assert_eq!((app.screen(), app.focus()), (Screen::Results, Focus::List));
    act(&mut app, Action::Back, t0); // list → query field
    assert_eq!((app.screen(), app.focus()), (Screen::Results, Focus::Query));
    act(&mut app, Action::Back, t0); // → Home, the typed text kept (Esc never destroys)
    assert_eq!(app.screen(), Screen::Home);
    assert_eq!(app.visit().query, "velo");
}

#[test]
fn digit_on_home_opens_that_theme_only() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::Digit(5), t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("se-deplacer"));
    assert!(app.visit().query.is_empty());
    let items = all_results(&app);
    assert!(!items.is_empty());
    for i in &items {
        assert!(i.themes.iter().any(|t| t == "se-deplacer"), "{} has themes {:?}", i.id, i.themes);
    }
    // As many as the Home tile said.
    let home = app.home_counts().iter().find(|(t, _)| t == "se-deplacer").map(|(_, n)| *n).expect("home count");
    assert_eq!(app.visit().results.as_ref().map(|r| r.total as u64), Some(home));
}

#[test]
fn digit_zero_is_the_tenth_theme() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::Digit(0), t0);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("s-entraider"));
}

#[test]
fn place_filter_online_keeps_only_online_services() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    let all = app.visit().results.as_ref().map(|r| r.total).expect("results");
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::OnSite);
    let on_site = all_results(&app);
    assert!(!on_site.is_empty() && on_site.iter().all(|i| !i.online), "on site only");
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::Online);
    let online = all_results(&app);
    assert!(!online.is_empty(), "some bike services are online");
    assert!(online.iter().all(|i| i.online), "{:?}", online.iter().map(|i| &i.id).collect::<Vec<_>>());
    assert_eq!(on_site.len() + online.len(), all, "on site + online = all");
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::All);
    assert_eq!(app.visit().results.as_ref().map(|r| r.total), Some(all));
}

#[test]
fn theme_free_and_commune_filters_narrow_the_results() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    // F3 from Home starts with the first theme.
    act(&mut app, Action::FilterTheme, t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("se-nourrir"));
    let food = all_results(&app);
    assert!(food.iter().all(|i| i.themes.iter().any(|t| t == "se-nourrir")));
    act(&mut app, Action::FilterTheme, t0);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("se-loger"));

    act(&mut app, Action::FilterFree, t0);
    assert!(app.visit().filters.free);
    assert!(all_results(&app).iter().all(|i| i.price == "gratuit"));

    act(&mut app, Action::FilterFree, t0);
    act(&mut app, Action::FilterCommune, t0);
    type_str(&mut app, "nanter", t0);
    act(&mut app, Action::Open, t0);
    let commune = app.visit().filters.commune.clone().expect("F4 picks a commune");
    assert_eq!(commune, "92050", "Nanterre");
    let items = all_results(&app);
    assert!(!items.is_empty(), "Nanterre has housing initiatives");
    assert!(items.iter().all(|i| i.commune == commune), "all in {commune}");
}

#[test]
fn removing_the_last_filter_and_query_goes_home() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::FilterFree, t0);
    assert_eq!(app.screen(), Screen::Results);
    act(&mut app, Action::FilterFree, t0);
    assert_eq!(app.screen(), Screen::Home);
    assert!(app.visit().results.is_none());
}

#[test]
fn nonsense_query_shows_no_result_not_an_error() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "zzzzqqq", t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.result_count(), 0);
    assert!(app.visit().error.is_none());
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Aucun résultat pour « zzzzqqq »."), "{}", buffer_text(&buf));
}

#[test]
fn help_and_about_overlay_and_return_where_they_were() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Help, t0);
    assert_eq!(app.screen(), Screen::Help);
    act(&mut app, Action::Back, t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().query, "velo");

    act(&mut app, Action::Open, t0);
    act(&mut app, Action::About, t0);
    assert_eq!(app.screen(), Screen::About);
    // From About, Help replaces the overlay; Esc still returns to the detail.
    act(&mut app, Action::Help, t0);
    assert_eq!(app.screen(), Screen::Help);
    act(&mut app, Action::Back, t0);
    assert_eq!(app.screen(), Screen::Detail);
    assert!(app.visit().detail.is_some());
    // The same key twice toggles the overlay.
    act(&mut app, Action::About, t0);
    act(&mut app, Action::About, t0);
    assert_eq!(app.screen(), Screen::Detail);
}

#[test]
fn language_toggle_switches_strings_at_once() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Se déplacer"), "{}", buffer_text(&buf));
    assert_eq!(app.strings().get("search.label"), "Recherche");
    act(&mut app, Action::ToggleLanguage, t0);
    assert_eq!(app.strings().lang, "en");
    assert_eq!(app.strings().get("search.label"), "Search");
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Getting around"), "{}", buffer_text(&buf));
    assert!(!screen_has(&buf, "Se déplacer"), "{}", buffer_text(&buf));
    // F2 goes on through every language offered (the default list), then back to French.
    let mut seen = vec![app.strings().lang.clone()];
    for _ in 0..wic::i18n::LANGUAGES.len() - 1 {
        act(&mut app, Action::ToggleLanguage, t0);
        seen.push(app.strings().lang.clone());
    }
    assert_eq!(seen, ["en", "es", "pt", "uk", "ro", "fr"]);
}

#[test]
fn kiosk_ignores_quit_staff_quits() {
    let t0 = Instant::now();
    let mut kiosk = kiosk_app(t0);
    act(&mut kiosk, Action::Quit, t0);
    assert!(!kiosk.quit_requested());
    // Ctrl-C maps to Quit, which the kiosk refuses.
    let a = keys::action_for(&kiosk, ctrl('c')).expect("ctrl-c is bound");
    assert_eq!(a, Action::Quit);
    act(&mut kiosk, a, t0);
    assert!(!kiosk.quit_requested());

    let mut staff = staff_app(t0);
    act(&mut staff, Action::Quit, t0);
    assert!(staff.quit_requested());
}

fn distinctive_visit(app: &mut Runtime, t: Instant) {
    type_str(app, "triporteur", t);
    act(app, Action::FilterPlace, t);
    act(app, Action::ToggleLanguage, t);
    act(app, Action::Open, t);
    assert_eq!(app.screen(), Screen::Detail, "a detail is open");
    assert_eq!(app.visit().detail.as_ref().map(|d| d.id.as_str()), Some("le-triporteur-sceaux"));
}

/// A session of `mode` whose idle reset comes after `idle`.
fn with_idle(mode: Mode, idle: Duration, t: Instant) -> Runtime {
    let setup = Setup { idle_timeout: idle, ..Setup::new(mode) };
    runtime_with(setup, Palette::new(Capability::Full, false), Options::default(), t)
}

#[test]
fn idle_reset_clears_everything_in_kiosk_mode() {
    let t0 = Instant::now();
    let mut app = with_idle(Mode::Kiosk, Duration::from_secs(30), t0);
    distinctive_visit(&mut app, t0);
    assert_eq!(app.strings().lang, "en");

    // Just before the timeout: nothing goes, but the countdown shows.
    act(&mut app, Action::Tick, t0 + Duration::from_secs(29));
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(app.idle_countdown(t0 + Duration::from_secs(25)), Some(5));

    let after = t0 + app.setup().idle_timeout + Duration::from_secs(1);
    act(&mut app, Action::Tick, after);
    assert_eq!(app.screen(), Screen::Home);
    assert_eq!(app.visit().query, "");
    assert!(app.visit().results.is_none());
    assert!(app.visit().rows.is_empty());
    assert!(app.visit().detail.is_none());
    assert!(app.visit().filters.is_empty());
    assert_eq!((app.visit().selected, app.visit().scroll), (0, 0));
    assert_eq!(app.strings().lang, "fr");
    assert!(app.take_wipe(), "the loop is told to clear the scrollback too");
    assert!(!app.has_visit());
    // Nothing of the visit on screen.
    let buf = render(&mut app, 80, 24, t0 + Duration::from_secs(32));
    assert!(!screen_has(&buf, "triporteur") && !screen_has(&buf, "Triporteur"), "{}", buffer_text(&buf));
    assert!(screen_has(&buf, "Que cherchez-vous"), "{}", buffer_text(&buf));
}

#[test]
fn any_input_postpones_the_idle_reset() {
    let t0 = Instant::now();
    let mut app = with_idle(Mode::Kiosk, Duration::from_secs(30), t0);
    distinctive_visit(&mut app, t0);
    act(&mut app, Action::Down, t0 + Duration::from_secs(20));
    act(&mut app, Action::Tick, t0 + Duration::from_secs(40));
    assert_eq!(app.screen(), Screen::Detail, "20 s since the last key: no reset yet");
    act(&mut app, Action::Tick, t0 + Duration::from_secs(51));
    assert_eq!(app.screen(), Screen::Home);
}

#[test]
fn staff_mode_never_resets() {
    let t0 = Instant::now();
    let mut app = with_idle(Mode::Staff, Duration::from_secs(30), t0);
    distinctive_visit(&mut app, t0);
    act(&mut app, Action::Tick, t0 + Duration::from_secs(3600));
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(app.visit().query, "triporteur");
    assert_eq!(app.strings().lang, "en");
    assert_eq!(app.idle_countdown(t0 + Duration::from_secs(25)), None);
}

#[test]
fn key_table_maps_keys_to_actions() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    // Home: digits open themes, letters type.
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('5'))), Some(Action::Digit(5)));
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('v'))), Some(Action::Type('v')));
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('q'))), Some(Action::Type('q')), "q is a letter on Home");
    assert_eq!(keys::action_for(&app, key(KeyCode::F(1))), Some(Action::Help));
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('?'))), Some(Action::Help));
    assert_eq!(keys::action_for(&app, key(KeyCode::F(2))), Some(Action::ToggleLanguage));
    assert_eq!(keys::action_for(&app, key(KeyCode::F(5))), Some(Action::FilterPlace));
    assert_eq!(keys::action_for(&app, key(KeyCode::F(10))), Some(Action::Quit));
    assert_eq!(keys::action_for(&app, key(KeyCode::Esc)), Some(Action::Back));
    assert_eq!(keys::action_for(&app, key(KeyCode::Enter)), Some(Action::Open));
    assert_eq!(keys::action_for(&app, ctrl('c')), Some(Action::Quit));
    assert_eq!(keys::action_for(&app, ctrl('u')), Some(Action::ClearQuery));
    // Job control and quit signals are plain (ignored) keys in raw mode.
    assert_eq!(keys::action_for(&app, ctrl('z')), None);
    assert_eq!(keys::action_for(&app, ctrl('\\')), None);
    let mut release = key(KeyCode::Char('v'));
    release.kind = KeyEventKind::Release;
    assert_eq!(keys::action_for(&app, release), None);

    // Detail: `q` quits (staff), digits type a new search.
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('q'))), Some(Action::Quit));
    assert_eq!(keys::action_for(&app, key(KeyCode::Char('5'))), Some(Action::Type('5')));
}

#[test]
fn space_in_the_list_does_not_type() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Down, t0);
    assert_eq!(keys::action_for(&app, key(KeyCode::Char(' '))), None);
}

#[test]
fn row_digit_opens_that_visible_row() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    app.dispatch(Action::Resize(80, 24), t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Digit(3), t0);
    assert_eq!(app.screen(), Screen::Detail);
    assert_eq!(app.visit().detail.as_ref().map(|d| d.id.as_str()), Some("bicyclaide-velo-ecole-gennevilliers"));
}

/// At 80x24 the list shows nine rows numbered 1…9, but `App::page_rows` counts eight
/// (`height - 8` vs the view's `height - LIST_TOP - 1`), so the "9" printed on screen does nothing.
#[test]
fn every_numbered_row_on_screen_can_be_opened_by_its_digit() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    let buf = render(&mut app, 80, 24, t0);
    let shown: Vec<u8> = (1..=9u8)
        .filter(|d| (0..buf.area.height).any(|y| row_text(&buf, y).get(2..4) == Some(&format!("{d} ")[..])))
        .collect();
    let highest = *shown.last().expect("numbered rows on screen");
    assert_eq!(highest, 9, "{}", buffer_text(&buf));
    act(&mut app, Action::Digit(highest), t0);
    assert_eq!(app.screen(), Screen::Detail, "digit {highest} is printed on a row but opens nothing");
}

#[test]
fn paste_types_text_without_control_characters() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::Paste("ve\x1b[2Jlo\n".to_string()), t0);
    // The escape sequence goes whole, not only its ESC (which left "[2J" in the query).
    assert_eq!(app.visit().query, "velo");
    assert_eq!(app.screen(), Screen::Results);
}

#[test]
fn admin_chord_needs_the_whole_sequence_in_time() {
    let mut chord = AdminChord::parse(wic::config::DEFAULT_ADMIN_CHORD).expect("default chord parses");
    let t = Instant::now();
    assert!(!chord.feed(&ctrl('x'), t));
    assert!(chord.feed(&ctrl('q'), t + Duration::from_millis(500)), "ctrl-x ctrl-q quits");
    // Visitors' keys between the two break the chord.
    assert!(!chord.feed(&ctrl('x'), t));
    assert!(!chord.feed(&key(KeyCode::Char('a')), t));
    assert!(!chord.feed(&ctrl('q'), t));
    // Too slow.
    assert!(!chord.feed(&ctrl('x'), t));
    assert!(!chord.feed(&ctrl('q'), t + Duration::from_secs(10)));
    // The keys a visitor may mash never quit.
    let mut chord = AdminChord::parse("ctrl-x ctrl-q").expect("parses");
    for k in [ctrl('c'), ctrl('z'), ctrl('\\'), key(KeyCode::Char('q')), key(KeyCode::Esc), key(KeyCode::F(10))] {
        assert!(!chord.feed(&k, t), "{k:?}");
    }
    // Function-key chords, and weak chords refused.
    let mut f12 = AdminChord::parse("f12 f12 f12").expect("parses");
    assert!(!f12.feed(&key(KeyCode::F(12)), t));
    assert!(!f12.feed(&key(KeyCode::F(12)), t));
    assert!(f12.feed(&key(KeyCode::F(12)), t));
    assert!(AdminChord::parse("ctrl-c").is_err());
    assert!(AdminChord::parse("q").is_err());
}

#[test]
fn a_too_small_window_still_shows_the_idle_countdown() {
    use ratatui::{Terminal, backend::TestBackend};
    let t0 = Instant::now();
    let mut app = with_idle(Mode::Kiosk, Duration::from_secs(30), t0);
    type_str(&mut app, "velo", t0);
    app.dispatch(Action::Resize(40, 12), t0);
    assert!(app.too_small());
    let at = t0 + Duration::from_secs(25);
    act(&mut app, Action::Tick, at);
    let countdown = app.idle_countdown(at);
    assert_eq!(countdown, Some(5));
    let mut terminal = Terminal::new(TestBackend::new(40, 12)).unwrap();
    terminal.draw(|frame| wic::ui::view::render(frame, &app, countdown)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let text: String = (0..12).map(|y| row_text(&buf, y) + "\n").collect();
    assert!(text.contains("trop petite"), "{text}");
    assert!(text.contains("5\u{a0}s"), "the countdown is drawn, the number with its unit:\n{text}");
}

/// English labels take their colon the English way ("Price: free"), French ones the French way
/// ("Prix : gratuit"), on the search line and in the detail.
#[test]
fn labels_follow_the_typography_of_the_language() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
    let french = buffer_text(&render(&mut app, 80, 40, t0));
    assert!(french.contains("Adresse : ") && french.contains("Pour qui : "), "{french}");
    act(&mut app, Action::ToggleLanguage, t0);
    let english = buffer_text(&render(&mut app, 80, 40, t0));
    let labels = ["Address", "Phone", "Website", "Type of action", "Access", "Price", "For whom"];
    let shown: Vec<&str> = labels.into_iter().filter(|l| english.contains(&format!("{l}: "))).collect();
    assert!(shown.len() >= 2, "English labels with their colon:\n{english}");
    assert!(labels.iter().all(|l| !english.contains(&format!("{l} :"))), "{english}");
    act(&mut app, Action::Back, t0);
    let results = buffer_text(&render(&mut app, 80, 24, t0));
    assert!(results.contains("Search: velo"), "{results}");
}

/// "Aucun résultat" says why when a filter is on: on a Sunday night nothing is open, and the
/// visitor is told to change the filter rather than to type a shorter word.
#[test]
fn no_result_under_a_filter_points_at_the_filter() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    let sunday_night = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).and_then(|d| d.and_hms_opt(23, 30, 0));
    app.dispatch(Action::Clock(sunday_night.expect("valid moment")), Instant::now());
    type_str(&mut app, "epicerie", t0);
    assert!(app.result_count() > 0, "épiceries are listed without the filter");
    let screen = render(&mut app, 80, 24, t0);
    assert!(!screen_has(&screen, "Un filtre est actif"), "no filter yet");
    act(&mut app, Action::FilterOpen, t0);
    assert_eq!(app.result_count(), 0, "nothing open on a Sunday at 23:30");
    let screen = render(&mut app, 80, 24, t0);
    assert!(screen_has(&screen, "Aucun résultat pour « epicerie »."), "{}", buffer_text(&screen));
    assert!(screen_has(&screen, "Un filtre est actif"), "{}", buffer_text(&screen));
    assert!(!screen_has(&screen, "Essayez un mot plus court"), "{}", buffer_text(&screen));
    // Without a filter, a word nothing matches gets the usual advice.
    act(&mut app, Action::FilterOpen, t0);
    act(&mut app, Action::FilterOpen, t0);
    assert!(app.visit().filters.is_empty(), "the filter cycles back to all");
    act(&mut app, Action::ClearQuery, t0);
    type_str(&mut app, "qqqzzzxxw", t0);
    assert_eq!(app.result_count(), 0, "nothing matches {:?}", app.visit().query);
    let screen = render(&mut app, 80, 24, t0);
    assert!(screen_has(&screen, "Essayez un mot plus court"), "{}", buffer_text(&screen));
    assert!(!screen_has(&screen, "Un filtre est actif"), "{}", buffer_text(&screen));
}

// ---- Browse defects (#13): each test failed before its fix ---------------------------------

/// Type `velo`, Esc back to Home, type `repas`: a new search, not `velorepas`; the previous
/// one is offered on Home and Enter takes it back.
#[test]
fn a_new_search_on_home_replaces_the_previous_one() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Back, t0);
    assert_eq!(app.screen(), Screen::Home);
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "recherche précédente : velo"), "{}", buffer_text(&buf));
    type_str(&mut app, "repas", t0);
    assert_eq!(app.visit().query, "repas");
    assert!(app.result_count() > 0, "repas finds something");
    // Back on Home, Enter resumes the last search.
    act(&mut app, Action::Back, t0);
    act(&mut app, Action::Open, t0);
    assert_eq!((app.screen(), app.visit().query.as_str()), (Screen::Results, "repas"));
}

/// A long query scrolls: its last letters stay on the search line (they froze at ~50).
#[test]
fn a_long_query_keeps_its_last_letters_in_view() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    let long = "je cherche une epicerie solidaire pour ma famille pres de chez moi svp merci";
    type_str(&mut app, long, t0);
    for (w, h) in [(80, 24), (60, 18)] {
        let buf = render(&mut app, w, h, t0);
        assert!(row_text(&buf, 1).contains("moi svp merci"), "{w}x{h}:\n{}", buffer_text(&buf));
    }
    act(&mut app, Action::Backspace, t0);
    let buf = render(&mut app, 60, 18, t0);
    assert!(row_text(&buf, 1).contains("moi svp merc "), "Backspace shows:\n{}", buffer_text(&buf));
}

/// At 60x18 the footer keeps "Entrée voir" and "Échap retour" (it kept only ↑↓, F1 and F2).
#[test]
fn narrow_footers_keep_enter_and_esc() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    for (w, h) in [(60, 18), (80, 24)] {
        let buf = render(&mut app, w, h, t0);
        let footer = row_text(&buf, h - 1);
        for hint in ["Entrée", "Échap", "F1", "F2"] {
            assert!(footer.contains(hint), "{w}x{h}: {hint} in {footer:?}");
        }
    }
}

/// Staff can see how to leave: "F10 quitter" in the footer (q on Home is a letter).
#[test]
fn staff_footer_says_how_to_quit_and_a_kiosk_footer_does_not() {
    let t0 = Instant::now();
    let mut staff = staff_app(t0);
    let buf = render(&mut staff, 80, 24, t0);
    assert!(row_text(&buf, 23).contains("F10  quitter"), "{}", buffer_text(&buf));
    let mut kiosk = kiosk_app(t0);
    let buf = render(&mut kiosk, 80, 24, t0);
    assert!(!screen_has(&buf, "quitter"), "{}", buffer_text(&buf));
}

/// F8 on a kiosk with no configured place did nothing and said nothing.
#[test]
fn distance_sort_without_a_place_says_why() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::ToggleSort, t0);
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Tri par distance impossible"), "{}", buffer_text(&buf));
    // The next key moves on.
    act(&mut app, Action::Down, t0);
    let buf = render(&mut app, 80, 24, t0);
    assert!(!screen_has(&buf, "Tri par distance impossible"), "{}", buffer_text(&buf));
}

/// Staff see the page each fact comes from (#16: sources "shown to staff"); a visitor does not.
#[test]
fn staff_see_where_each_fact_comes_from() {
    let t0 = Instant::now();
    let open = |app: &mut Runtime| {
        type_str(app, "ccas suresnes", t0);
        act(app, Action::First, t0);
        assert_eq!(selected_id(app).as_deref(), Some("ccas-suresnes"), "the CCAS comes first");
        act(app, Action::Open, t0);
        // Scroll to the end of the page, where the sources are.
        act(app, Action::Last, t0);
        render(app, 80, 24, t0)
    };
    let mut staff = staff_app(t0);
    let buf = open(&mut staff);
    assert!(screen_has(&buf, "Source (adresse) : https://suresnes-mag.fr"), "{}", buffer_text(&buf));
    assert!(screen_has(&buf, "Source (téléphone) : https://suresnes-mag.fr"), "{}", buffer_text(&buf));
    let mut kiosk = kiosk_app(t0);
    let buf = open(&mut kiosk);
    assert!(!screen_has(&buf, "Source (adresse)"), "{}", buffer_text(&buf));
}

/// Home answers the arrows (they did nothing): the first arrow chooses the first tile, ↑↓←→
/// move in reading order, Enter opens the chosen theme.
#[test]
fn arrows_choose_a_theme_on_home_and_enter_opens_it() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    app.dispatch(Action::Resize(80, 24), t0);
    assert_eq!(keys::action_for(&app, key(KeyCode::Right)), Some(Action::Right));
    assert_eq!(keys::action_for(&app, key(KeyCode::Down)), Some(Action::Down));
    for k in [KeyCode::Down, KeyCode::Down, KeyCode::Right] {
        let action = keys::action_for(&app, key(k)).expect("arrows are bound on Home");
        act(&mut app, action, t0);
    }
    assert_eq!(app.visit().home_tile, Some(6), "second row of the right-hand column");
    let buf = render(&mut app, 80, 24, t0);
    let chosen = (0..buf.area.height).map(|y| row_text(&buf, y)).find(|l| l.contains("▶7"));
    assert!(chosen.is_some_and(|l| l.contains("Se divertir")), "{}", buffer_text(&buf));
    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("se-divertir"));
}

/// The help screen fits at 80x24 in French without cutting a description (it read "page
/// précédente / sui…"), and scrolls where it is taller than the window, "Échap" always shown.
#[test]
fn help_fits_at_80x24_and_scrolls_below() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::Help, t0);
    let buf = render(&mut app, 80, 24, t0);
    let text = buffer_text(&buf);
    // "1…0" and "1…9" are key names; any other ellipsis is a cut description.
    assert!(!text.replace("1…0", "").replace("1…9", "").contains('…'), "nothing cut at 80x24:\n{text}");
    assert!(text.contains("F10") && text.contains("Appuyez sur Échap pour revenir."), "{text}");

    let buf = render(&mut app, 60, 18, t0);
    assert!(!screen_has(&buf, "à propos"), "F11 is below the fold at 60x18:\n{}", buffer_text(&buf));
    assert!(screen_has(&buf, "lire la suite"), "{}", buffer_text(&buf));
    for _ in 0..10 {
        act(&mut app, Action::Down, t0);
    }
    let buf = render(&mut app, 60, 18, t0);
    assert!(screen_has(&buf, "à propos") || screen_has(&buf, "F11"), "scrolled:\n{}", buffer_text(&buf));
    assert!(screen_has(&buf, "Échap pour revenir"), "{}", buffer_text(&buf));
}

/// F3 offers only themes with results for what is typed (`velo` → "Se nourrir", 0 résultat
/// was a dead end), and under a theme the counts line shows what is shown, not the whole
/// catalogue's counts.
#[test]
fn f3_skips_empty_themes_and_counts_follow_what_is_shown() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    let with_results: Vec<String> = app
        .visit()
        .results
        .as_ref()
        .expect("results")
        .theme_counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, _)| s.clone())
        .collect();
    let mut seen = Vec::new();
    for _ in 0..with_results.len() {
        act(&mut app, Action::FilterTheme, t0);
        let theme = app.visit().filters.theme.clone().expect("a theme");
        assert!(app.result_count() > 0, "F3 landed on {theme} with 0 results");
        seen.push(theme);
    }
    assert_eq!(seen, with_results, "every theme with results, in order");
    act(&mut app, Action::FilterTheme, t0);
    assert_eq!(app.visit().filters.theme, None, "then back to all themes");

    // A theme opened from Home: the counts line matches the count of results.
    let mut app = kiosk_app(t0);
    act(&mut app, Action::Digit(5), t0);
    let n = app.visit().results.as_ref().expect("results").total;
    let buf = render(&mut app, 80, 24, t0);
    let counts = row_text(&buf, 3);
    assert_eq!(counts.trim(), format!("⇄ Se déplacer {n}"), "{}", buffer_text(&buf));
}

/// The map's legend says "vous êtes ici" only where the kiosk's place is known (#13, item 12).
#[test]
fn the_map_legend_claims_no_place_it_does_not_know() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::ToggleMap, t0);
    assert_eq!(app.screen(), Screen::Map);
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "sélection"), "the legend is drawn:\n{}", buffer_text(&buf));
    assert!(!screen_has(&buf, "vous êtes ici"), "no place configured:\n{}", buffer_text(&buf));
}

/// #13, item 1: F5 and F6 never lead to an empty list. F5 skips a setting with no result
/// ("blablacar" has nothing on site: straight to online); F6 refuses "free only" when nothing
/// free matches, and says so.
#[test]
fn place_and_free_filters_never_empty_the_list() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "blablacar", t0);
    assert!(app.result_count() > 0);
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::Online, "on site would be empty: skipped");
    assert!(app.result_count() > 0);
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::All);

    act(&mut app, Action::FilterFree, t0);
    assert!(!app.visit().filters.free, "nothing free for blablacar: refused");
    assert!(app.result_count() > 0);
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Ce filtre ne laisserait aucun résultat"), "{}", buffer_text(&buf));

    // Where a setting has results, it is applied as before.
    act(&mut app, Action::ClearQuery, t0);
    type_str(&mut app, "amap", t0);
    act(&mut app, Action::FilterPlace, t0);
    assert_eq!(app.visit().filters.place, Place::OnSite);
    assert!(app.result_count() > 0);
}

/// Issue #12, item 5: numbers are typeable from Home. A digit still opens its theme; a
/// second digit right after it turns the run into a number searched over all themes.
#[test]
fn a_postcode_typed_on_home_is_searched_as_a_number() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    for c in "92000".chars() {
        app.event(ratatui::crossterm::event::Event::Key(key(KeyCode::Char(c))), t0);
        app.settle(t0);
    }
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().query, "92000");
    assert_eq!(app.visit().filters.theme, None, "a number is searched over every theme");
    assert_eq!(app.focus(), Focus::Query);
    let events = app.take_counted();
    assert!(
        !events.iter().any(|e| matches!(e, wic::usage::Event::ThemeOpened(_))),
        "the first digit's theme is not counted as opened: {events:?}"
    );

    let mut app = kiosk_app(t0);
    for d in [1, 1, 5] {
        act(&mut app, Action::Digit(d), t0);
    }
    assert_eq!(app.visit().query, "115");
}

#[test]
fn one_digit_on_home_still_opens_its_theme_and_is_counted_when_the_visitor_moves_on() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    act(&mut app, Action::Digit(3), t0);
    assert_eq!(app.screen(), Screen::Results);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("s-habiller"));
    assert!(app.visit().query.is_empty());
    assert!(app.result_count() > 0, "S'habiller lists its initiatives");
    // The next key is not a digit: the theme stays and is counted.
    act(&mut app, Action::Down, t0);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("s-habiller"));
    let events = app.take_counted();
    assert!(events.contains(&wic::usage::Event::ThemeOpened("s-habiller".into())), "{events:?}");
    // After a move, digits open rows again, not a number.
    act(&mut app, Action::Digit(2), t0);
    assert_eq!(app.screen(), Screen::Detail);
}

#[test]
fn a_theme_opened_by_one_digit_is_counted_once_the_visitor_pauses() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    act(&mut app, Action::Digit(1), t0);
    assert!(app.take_counted().is_empty(), "not yet: a second digit may follow");
    app.dispatch(Action::Tick, t0 + wic::ui::app::SEARCH_SETTLED);
    assert_eq!(app.take_counted(), vec![wic::usage::Event::ThemeOpened("se-nourrir".into())]);
    // A digit after the pause opens a row of the theme, as on any list.
    act(&mut app, Action::Digit(1), t0 + wic::ui::app::SEARCH_SETTLED);
    assert_eq!(app.screen(), Screen::Detail);
}

/// Issue #12, item 7: a theme browsed without words lists what a person in need can use
/// soonest first — free food help before paid AMAP baskets, and food-bank warehouses (they
/// serve associations, not people) last.
#[test]
fn a_theme_lists_free_help_before_subscriptions_and_warehouses() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::Digit(1), t0);
    let items = all_results(&app);
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let pos = |prefix: &str| ids.iter().position(|id| id.starts_with(prefix));
    let first_amap = items
        .iter()
        .position(|i| i.id.contains("amap") && i.price == "payant")
        .expect("paid AMAP baskets are in Se nourrir");
    let warehouse = pos("banque-alimentaire-gennevilliers").expect("the food bank is in Se nourrir");
    for helper in ["restos-du-coeur-", "epicerie-solidaire-"] {
        let at = pos(helper).unwrap_or_else(|| panic!("{helper} in Se nourrir: {ids:?}"));
        assert!(at < first_amap, "{helper} ({at}) before the first AMAP ({first_amap}): {ids:?}");
        assert!(at < warehouse, "{helper} ({at}) before the food-bank warehouse ({warehouse})");
    }
    assert!(ids.len() - warehouse <= 5, "the warehouse is among the last: {warehouse} of {}", ids.len());
    // Deterministic: the same list twice.
    act(&mut app, Action::Back, t0);
    act(&mut app, Action::Digit(1), t0);
    let again: Vec<String> = all_results(&app).into_iter().map(|i| i.id).collect();
    assert_eq!(ids, again);
}

/// Issue #12, item 8: a kiosk visit that ends hands over the words it searched in vain —
/// letters only — and a search followed by an opened result is not among them.
#[test]
fn an_ended_kiosk_visit_hands_over_its_missed_words_only() {
    let t0 = Instant::now();
    let options = Options { counter: wic::ui::runtime::Counter::Memory(Vec::new()), ..Options::default() };
    let setup = Setup { idle_timeout: Duration::from_secs(30), ..Setup::new(Mode::Kiosk) };
    let mut app = runtime_with(setup, Palette::new(Capability::Full, false), options, t0);
    type_str(&mut app, "zzzqqq 0612345678", t0);
    assert_eq!(app.result_count(), 0);
    // The visitor reads the answer (a search erased at once was only typing on the way).
    app.dispatch(Action::Tick, t0 + wic::ui::app::SEARCH_SETTLED);
    act(&mut app, Action::ClearQuery, t0);
    type_str(&mut app, "velo", t0);
    act(&mut app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
    app.dispatch(Action::Tick, t0 + Duration::from_secs(31));
    assert_eq!(app.screen(), Screen::Home, "the visit ended");
    assert_eq!(app.take_missed(), vec![vec!["zzzqqq".to_string()]]);

    // Searched, found, nothing opened, gone: abandoned.
    let t1 = t0 + Duration::from_secs(40);
    type_str(&mut app, "triporteur", t1);
    app.dispatch(Action::Tick, t1 + Duration::from_secs(31));
    assert_eq!(app.take_missed(), vec![vec!["triporteur".to_string()]]);
}

/// Issue #12, item 6: nothing found is said plainly, with the query, and the themes are
/// offered — chosen with the arrows and Enter, or their numbers.
#[test]
fn nothing_found_offers_the_themes_by_arrows_and_numbers() {
    let t0 = Instant::now();
    let mut app = kiosk_app(t0);
    type_str(&mut app, "zzzqqq", t0);
    assert_eq!(app.result_count(), 0);
    assert!(app.offers_themes());
    let buf = render(&mut app, 80, 24, t0);
    assert!(screen_has(&buf, "Aucun résultat pour « zzzqqq »."), "{}", buffer_text(&buf));
    assert!(screen_has(&buf, "1 ♨ Se nourrir") && screen_has(&buf, "0 ♥ S'entraider"), "{}", buffer_text(&buf));
    act(&mut app, Action::Down, t0);
    act(&mut app, Action::Down, t0);
    assert_eq!(app.visit().theme_choice, Some(1));
    act(&mut app, Action::Open, t0);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("se-loger"));
    assert!(app.visit().query.is_empty());
    assert!(app.result_count() > 0);
    // Or its number.
    act(&mut app, Action::Back, t0);
    type_str(&mut app, "zzzqqq", t0);
    act(&mut app, Action::Digit(3), t0);
    assert_eq!(app.visit().filters.theme.as_deref(), Some("s-habiller"));
}

/// A need the catalogue does not cover gets an orientation card: the office's sentence from
/// the configuration and the free numbers that apply, with or without results.
#[test]
fn a_need_outside_the_catalogue_shows_the_orientation_card() {
    let t0 = Instant::now();
    let setup = Setup { orientation: Some("Demandez à l'accueil, bureau 2.".into()), ..Setup::new(Mode::Kiosk) };
    let mut app = runtime_with(setup, Palette::new(Capability::Full, false), Options::default(), t0);
    type_str(&mut app, "medecin", t0);
    assert_eq!(app.orientation_cards().iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec!["sante"]);
    for (w, h) in [(80, 24), (60, 18)] {
        let buf = render(&mut app, w, h, t0);
        let text = buffer_text(&buf);
        assert!(text.contains("Demandez à l'accueil, bureau 2."), "{w}x{h}:\n{text}");
        assert!(text.contains("15 ") && text.contains("112"), "{w}x{h}:\n{text}");
    }
    // In English, without an English sentence configured: the French one (the office's own).
    act(&mut app, Action::ToggleLanguage, t0);
    let text = buffer_text(&render(&mut app, 80, 24, t0));
    assert!(text.contains("Demandez à l'accueil, bureau 2.") && text.contains("medical emergency"), "{text}");

    // Unset: the translated default.
    let mut app = kiosk_app(t0);
    type_str(&mut app, "medecin", t0);
    let text = buffer_text(&render(&mut app, 80, 24, t0));
    assert!(text.contains("Demandez à l'accueil."), "{text}");
}

/// An answer without rows offers themes: the footer offers Entrée only once ↑↓ has chosen
/// one (it used to say "Entrée voir" while Enter did nothing).
#[test]
fn the_no_result_footer_offers_enter_only_once_a_theme_is_chosen() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "zzkqxw", t0);
    assert_eq!(app.result_count(), 0);
    let footer = |app: &mut Runtime| row_text(&render(app, 80, 24, t0), 23);
    let before = footer(&mut app);
    assert!(!before.contains("Entrée"), "{before}");
    act(&mut app, Action::Down, t0);
    let after = footer(&mut app);
    assert!(after.contains("Entrée"), "{after}");
    act(&mut app, Action::Open, t0);
    assert!(app.visit().filters.theme.is_some(), "Entrée opened the chosen theme");
}
