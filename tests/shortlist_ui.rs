//! The staff shortlist and the kiosk ticket, through the runtime and the effects it carries
//! out (on its worker thread): adding, reordering, removing, exporting (text and HTML),
//! printing through a test command, copying with OSC 52, and the usage events they produce.

mod ui_common;

use std::time::{Duration, Instant};

use ui_common::{act, buffer_text, kiosk_app, render, runtime_with, screen_has, staff_app, type_str};
use wic::ui::action::Action;
use wic::ui::app::{App, Confirm, Mode, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Counter, Options, Runtime};
use wic::usage::Event;

/// A session of `mode` with `setup` adjusted and `print` as its print command.
fn session(mode: Mode, adjust: impl FnOnce(&mut Setup), print: Option<String>, t: Instant) -> Runtime {
    let mut setup = Setup::new(mode);
    adjust(&mut setup);
    let options = Options { print_command: print, counter: Counter::Memory(Vec::new()), ..Options::default() };
    runtime_with(setup, Palette::new(Capability::Full, false), options, t)
}

/// Adds the first `n` results of `query` to the shortlist from the Results screen.
fn add_results(app: &mut Runtime, query: &str, n: usize, t: Instant) -> Vec<String> {
    type_str(app, query, t);
    let mut ids = Vec::new();
    act(app, Action::First, t);
    for _ in 0..n {
        ids.push(app.selected_initiative().expect("a result").id.clone());
        act(app, Action::ToggleShortlist, t);
        act(app, Action::Down, t);
    }
    ids
}

fn listed(app: &App) -> Vec<String> {
    app.visit().shortlist.iter().map(|i| i.id.clone()).collect()
}

/// Waits for the effects under way (the worker thread runs them) and returns what they
/// counted.
fn serve(app: &mut Runtime, t: Instant) -> Vec<Event> {
    while app.effects_pending() > 0 {
        assert!(app.wait_for_effect(Duration::from_secs(60), t), "the effect answers within a minute");
    }
    app.take_counted().into_iter().filter(|e| matches!(e, Event::ShortlistExported | Event::TicketPrinted)).collect()
}

#[test]
fn add_reorder_remove_and_clear() {
    let t = Instant::now();
    let mut app = staff_app(t);
    let ids = add_results(&mut app, "velo", 3, t);
    assert_eq!(listed(&app), ids);
    // Insert again on a listed row takes it off.
    act(&mut app, Action::First, t);
    act(&mut app, Action::ToggleShortlist, t);
    assert_eq!(listed(&app), ids[1..]);
    act(&mut app, Action::ToggleShortlist, t);
    assert_eq!(listed(&app), [ids[1].clone(), ids[2].clone(), ids[0].clone()]);

    act(&mut app, Action::ShowShortlist, t);
    assert_eq!(app.screen(), Screen::Shortlist);
    act(&mut app, Action::Last, t);
    act(&mut app, Action::MoveEntryUp, t);
    act(&mut app, Action::MoveEntryUp, t);
    assert_eq!(listed(&app), [ids[0].clone(), ids[1].clone(), ids[2].clone()]);
    assert_eq!(app.visit().shortlist_selected, 0);
    act(&mut app, Action::MoveEntryUp, t);
    assert_eq!(listed(&app)[0], ids[0], "the first entry cannot go higher");
    act(&mut app, Action::Down, t);
    act(&mut app, Action::RemoveEntry, t);
    assert_eq!(listed(&app), [ids[0].clone(), ids[2].clone()]);

    let buf = render(&mut app, 80, 24, t);
    insta::assert_snapshot!("shortlist_80x24", buffer_text(&buf));

    act(&mut app, Action::ClearShortlist, t);
    assert_eq!(app.visit().shortlist.len(), 2, "`x` asks first");
    act(&mut app, Action::Type('o'), t);
    assert!(app.visit().shortlist.is_empty());
    let buf = render(&mut app, 80, 24, t);
    assert!(screen_has(&buf, "La liste est vide"), "{}", buffer_text(&buf));
    act(&mut app, Action::Back, t);
    assert_eq!(app.screen(), Screen::Results, "Esc returns where the staff member was");
}

#[test]
fn a_kiosk_has_no_shortlist() {
    let t = Instant::now();
    let mut app = kiosk_app(t);
    add_results(&mut app, "velo", 2, t);
    assert!(app.visit().shortlist.is_empty());
    act(&mut app, Action::ShowShortlist, t);
    assert_ne!(app.screen(), Screen::Shortlist);
}

#[test]
fn export_text_and_html_to_the_named_file() {
    let t = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = session(Mode::Staff, |s| s.export_dir = dir.path().to_path_buf(), None, t);
    add_results(&mut app, "epicerie solidaire", 2, t);
    act(&mut app, Action::ShowShortlist, t);

    act(&mut app, Action::ExportText, t);
    let prompt = app.visit().prompt.clone().expect("a file name is asked");
    assert!(prompt.text.starts_with("liste-") && prompt.text.ends_with(".txt"), "a name, not a path: {}", prompt.text);
    // Typing goes to the file name, not to commands ("t" would export again).
    act(&mut app, Action::ClearQuery, t);
    let target = dir.path().join("pour-madame-t.txt");
    type_str(&mut app, "pour-madame-t", t);
    act(&mut app, Action::Open, t);
    assert_eq!(app.effects_pending(), 1, "the export is under way");
    let events = serve(&mut app, t);
    assert_eq!(events, [Event::ShortlistExported]);
    let text = std::fs::read_to_string(&target).expect("the page was written");
    for item in &app.visit().shortlist {
        assert!(text.contains(&item.name), "{} in\n{text}", item.name);
    }
    assert!(text.lines().all(|l| l.chars().count() <= 72), "72 columns:\n{text}");
    let (message, failed) = app.visit().message.clone().expect("a message");
    assert!(!failed && message.contains(&target.display().to_string()), "the full path written: {message}");

    act(&mut app, Action::ExportHtml, t);
    act(&mut app, Action::Open, t);
    serve(&mut app, t);
    let html: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .collect();
    assert_eq!(html.len(), 1, "one HTML page in the export folder");
    let page = std::fs::read_to_string(html[0].path()).expect("read html");
    assert!(page.contains("<html"), "{page}");
    for item in &app.visit().shortlist {
        assert!(page.contains(&wic::shortlist::html_escape(&item.name)), "{} in\n{page}", item.name);
    }

    // An export folder that cannot be written: a clear message, nothing lost.
    let mut app = session(Mode::Staff, |s| s.export_dir = "/nonexistent-dir".into(), None, t);
    add_results(&mut app, "epicerie solidaire", 2, t);
    act(&mut app, Action::ShowShortlist, t);
    act(&mut app, Action::ExportText, t);
    act(&mut app, Action::Open, t);
    let events = serve(&mut app, t);
    assert!(events.is_empty());
    let (message, failed) = app.visit().message.clone().expect("a message");
    assert!(failed && message.contains("/nonexistent-dir/liste-"), "{message}");
    assert_eq!(app.visit().shortlist.len(), 2, "the list survives a failed export");
}

/// #18, confined writes: the save prompt takes a file *name* in the export folder. Paths out
/// of it, hidden names and a 10,000-character name are refused on the prompt (nothing is
/// written anywhere); a link planted in the folder under the chosen name is never followed.
#[test]
fn the_save_prompt_writes_only_new_files_in_the_export_folder() {
    let t = Instant::now();
    let root = tempfile::tempdir().expect("tempdir");
    let exports = root.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let outside = root.path().join("x");
    let mut app = session(Mode::Staff, |s| s.export_dir = exports.clone(), None, t);
    add_results(&mut app, "velo", 1, t);
    act(&mut app, Action::ShowShortlist, t);
    let long = "a".repeat(10_000);
    for typed in ["../x", "/etc/x", "~/.ssh/authorized_keys", ".bashrc", "..", "sub\\x", "   "] {
        act(&mut app, Action::ExportText, t);
        act(&mut app, Action::ClearQuery, t);
        act(&mut app, Action::Paste(typed.to_string()), t);
        act(&mut app, Action::Open, t);
        let prompt = app.visit().prompt.clone();
        assert!(
            prompt.as_ref().is_some_and(|p| p.error.is_some()),
            "{:?} is refused on the prompt: {prompt:?}",
            &typed[..typed.len().min(40)]
        );
        assert_eq!(app.effects_pending(), 0, "nothing sent for {:?}", &typed[..typed.len().min(40)]);
        act(&mut app, Action::Back, t);
    }
    // 10,000 characters: the field keeps what a file name can be (the writer refuses longer).
    act(&mut app, Action::ExportText, t);
    act(&mut app, Action::ClearQuery, t);
    act(&mut app, Action::Paste(long), t);
    let kept = app.visit().prompt.as_ref().map_or(0, |p| p.text.chars().count());
    assert!(kept <= wic::shortlist::MAX_NAME, "{kept} characters kept");
    act(&mut app, Action::Back, t);
    assert!(!outside.exists(), "nothing written beside the folder");
    assert_eq!(std::fs::read_dir(&exports).unwrap().count(), 0, "nothing written in it either");

    // A link planted under the name: written beside it, never through it.
    let victim = root.path().join("authorized_keys");
    std::fs::write(&victim, "ssh-ed25519 AAAA… staff\n").unwrap();
    std::os::unix::fs::symlink(&victim, exports.join("pour-madame.txt")).unwrap();
    act(&mut app, Action::ExportText, t);
    act(&mut app, Action::ClearQuery, t);
    type_str(&mut app, "pour-madame", t);
    act(&mut app, Action::Open, t);
    serve(&mut app, t);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "ssh-ed25519 AAAA… staff\n",
        "the link's target is untouched"
    );
    let written = exports.join("pour-madame-2.txt");
    assert!(written.is_file(), "written beside the link: {:?}", app.visit().message);
    let (message, failed) = app.visit().message.clone().expect("a message");
    assert!(!failed && message.contains(&written.display().to_string()), "{message}");
}

#[test]
fn print_list_and_ticket_through_the_configured_command() {
    let t = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("printed.txt");
    let command = format!("cat > '{}'", out.display());

    let mut app = session(Mode::Staff, |s| s.can_print = true, Some(command.clone()), t);
    add_results(&mut app, "velo", 2, t);
    act(&mut app, Action::ShowShortlist, t);
    act(&mut app, Action::PrintShortlist, t);
    let events = serve(&mut app, t);
    assert_eq!(events, [Event::ShortlistExported]);
    let printed = std::fs::read_to_string(&out).expect("the command got the text");
    assert!(printed.contains(&app.visit().shortlist[1].name), "{printed}");

    // A kiosk visitor prints the open initiative as a 40-column ticket.
    let mut kiosk = session(Mode::Kiosk, |s| s.can_print = true, Some(command.clone()), t);
    type_str(&mut kiosk, "velo", t);
    act(&mut kiosk, Action::Open, t);
    let name = kiosk.visit().detail.clone().expect("a detail").name;
    act(&mut kiosk, Action::PrintTicket, t);
    let events = serve(&mut kiosk, t);
    assert_eq!(events, [Event::TicketPrinted]);
    let ticket = std::fs::read_to_string(&out).expect("the ticket");
    assert!(ticket.lines().all(|l| l.chars().count() <= 40), "40 columns:\n{ticket}");
    let first_word = name.split_whitespace().next().unwrap_or_default();
    assert!(ticket.contains(first_word), "{ticket}");
    let buf = render(&mut kiosk, 80, 24, t);
    assert!(screen_has(&buf, "prenez votre ticket"), "{}", buffer_text(&buf));

    // A failing printer is reported, not hidden.
    let failing = Some("echo 'imprimante hors ligne' >&2; exit 3".to_string());
    let mut kiosk = session(Mode::Kiosk, |s| s.can_print = true, failing, t);
    type_str(&mut kiosk, "velo", t);
    act(&mut kiosk, Action::Open, t);
    act(&mut kiosk, Action::PrintTicket, t);
    serve(&mut kiosk, t);
    let (message, failed) = kiosk.visit().message.clone().expect("a message");
    assert!(failed && message.contains("imprimante hors ligne"), "{message}");

    // Without a print command, nothing is offered and nothing happens.
    let mut plain = kiosk_app(t);
    type_str(&mut plain, "velo", t);
    act(&mut plain, Action::Open, t);
    act(&mut plain, Action::PrintTicket, t);
    assert_eq!(plain.effects_pending(), 0);
    let buf = render(&mut plain, 80, 24, t);
    assert!(!screen_has(&buf, "imprimer"), "{}", buffer_text(&buf));
}

#[test]
fn copy_writes_one_osc52_sequence() {
    let t = Instant::now();
    let mut app = session(Mode::Staff, |s| s.can_copy = true, None, t);
    add_results(&mut app, "velo", 1, t);
    act(&mut app, Action::ShowShortlist, t);
    act(&mut app, Action::CopyShortlist, t);
    let out = String::from_utf8(app.take_terminal_bytes()).expect("ASCII");
    assert!(out.starts_with("\x1b]52;c;") && out.ends_with("\x1b\\"), "{out:?}");
    let payload = &out["\x1b]52;c;".len()..out.len() - 2];
    assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)), "base64 only");
    assert!(!app.visit().message.clone().expect("a message").1);
}

#[test]
fn usage_events_name_things_never_typed_text() {
    let t = Instant::now();
    let mut app = kiosk_app(t);
    act(&mut app, Action::Digit(1), t);
    act(&mut app, Action::Back, t);
    type_str(&mut app, "zzzqqq", t);
    app.dispatch(Action::Tick, t + wic::ui::app::SEARCH_SETTLED);
    act(&mut app, Action::ClearQuery, t);
    type_str(&mut app, "velo", t);
    act(&mut app, Action::Open, t);
    let id = app.visit().detail.clone().expect("detail").id;
    let events = app.take_counted();
    assert!(matches!(&events[0], Event::ThemeOpened(_)), "{events:?}");
    assert!(events.contains(&Event::SearchNoResult), "{events:?}");
    assert_eq!(events.iter().filter(|e| **e == Event::Search).count(), 2, "{events:?}");
    assert!(events.contains(&Event::DetailViewed(id)), "{events:?}");
    let debug = format!("{events:?}");
    assert!(!debug.contains("zzzqqq"), "the typed text is never counted: {debug}");
}

/// The shortlist can't be lost in one key (#13, item 15): quitting (q, F10, Ctrl-C) with a
/// non-empty list asks first, `x` asks, Insert says what it did, `p`/`c` say why they can't.
#[test]
fn the_shortlist_is_never_lost_in_one_key() {
    let t = Instant::now();
    let mut app = staff_app(t);
    add_results(&mut app, "velo", 2, t);
    act(&mut app, Action::ShowShortlist, t);
    for quit in [Action::Quit, Action::Quit] {
        act(&mut app, quit, t);
        assert!(!app.quit_requested(), "a non-empty list: the first quit asks");
        assert_eq!(app.visit().confirm, Some(Confirm::Quit));
        let buf = render(&mut app, 80, 24, t);
        assert!(screen_has(&buf, "quitter quand même"), "{}", buffer_text(&buf));
        // `n` (or Esc) keeps the session and the list.
        act(&mut app, Action::Type('n'), t);
        assert_eq!((app.visit().confirm, app.visit().shortlist.len()), (None, 2));
    }
    let buf = render(&mut app, 60, 18, t);
    assert!(!screen_has(&buf, "quitter quand même"), "the question is gone:\n{}", buffer_text(&buf));
    act(&mut app, Action::Quit, t);
    act(&mut app, Action::Type('o'), t);
    assert!(app.quit_requested(), "`o` answers yes");

    // An empty list quits at once.
    let mut plain = staff_app(t);
    act(&mut plain, Action::Quit, t);
    assert!(plain.quit_requested());

    // Insert on a detail page says what it did.
    let mut app = staff_app(t);
    type_str(&mut app, "velo", t);
    act(&mut app, Action::Open, t);
    act(&mut app, Action::ToggleShortlist, t);
    let buf = render(&mut app, 80, 24, t);
    assert!(screen_has(&buf, "Ajoutée à la liste (1)."), "{}", buffer_text(&buf));

    // Printing and copying not set up: the keys say so.
    act(&mut app, Action::ShowShortlist, t);
    act(&mut app, Action::PrintShortlist, t);
    let (message, failed) = app.visit().message.clone().expect("a message");
    assert!(failed && message.contains("Aucune imprimante"), "{message}");
    act(&mut app, Action::CopyShortlist, t);
    let (message, _) = app.visit().message.clone().expect("a message");
    assert!(message.contains("osc52"), "{message}");
    assert_eq!(
        wic::ui::keys::action_for(
            &app,
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('p'))
        ),
        Some(Action::PrintShortlist),
        "`p` is bound even without a printer, to say why"
    );
}
