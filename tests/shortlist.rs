//! The staff shortlist's pages (plain text, printable HTML, kiosk ticket) on real seed
//! initiatives, and the ways out of the terminal: a print command, a file, OSC 52.

use std::path::Path;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use unicode_width::UnicodeWidthStr;
use wic::catalogue::import::canonical;
use wic::catalogue::{Initiative, Reference, Validator};
use wic::i18n::Strings;
use wic::pictogram::Signs;
use wic::shortlist::{self, Format, PrintError};

fn fr() -> Strings {
    Strings::load("fr")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// The seed catalogue, validated exactly as the first run imports it.
fn seeds() -> (Vec<Initiative>, Reference) {
    let reference = Reference::embedded().unwrap();
    let path = Path::new("seeds/initiatives.csv");
    let parsed = canonical::parse_csv(path, wic::catalogue::SEED_INITIATIVES_CSV.as_bytes()).unwrap();
    let v = Validator { reference: &reference, file: "seeds".into(), ignore_unknown: false, fix_hours: false };
    (v.validate_all(&parsed.records).unwrap(), reference)
}

/// Three real entries: weekly hours and a website; hours and no website; online only.
fn three() -> (Vec<Initiative>, Reference) {
    let (all, reference) = seeds();
    let pick = |id: &str| all.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} not in seeds")).clone();
    (vec![pick("avf-saint-cloud"), pick("boutique-solidaire-croix-rouge-sceaux"), pick("accorderies")], reference)
}

#[test]
fn text_page_snapshot_and_width() {
    let (items, reference) = three();
    let text = shortlist::to_text(&items, &reference, day(), &fr(), Signs::Unicode);
    assert!(text.contains("Liste préparée le 29 novembre 2026"));
    for line in text.lines() {
        assert!(line.width() <= shortlist::PAGE_WIDTH, "too wide: {line:?}");
    }
    insta::assert_snapshot!("shortlist_text", text);
}

#[test]
fn html_page_snapshot() {
    let (items, reference) = three();
    insta::assert_snapshot!("shortlist_html", shortlist::to_html(&items, &reference, day(), &fr()));
}

#[test]
fn ticket_snapshot_and_width() {
    let (items, reference) = three();
    let t = shortlist::ticket(&items[0], &reference, day(), &fr(), Signs::Unicode);
    for line in t.lines() {
        assert!(line.width() <= shortlist::TICKET_WIDTH, "too wide: {line:?}");
    }
    insta::assert_snapshot!("shortlist_ticket", t);
}

/// A ticket carries each theme's sign as the kiosk's screen drew it: the pictogram on a
/// Unicode terminal, the letter code on the Linux console (issue #17: the same sign on Home,
/// in the results and on the ticket).
#[test]
fn tickets_carry_the_theme_signs_of_the_screen() {
    let (items, reference) = three();
    let boutique = &items[1];
    assert!(boutique.themes.contains(&"s-habiller".to_string()), "{:?}", boutique.themes);
    let unicode = shortlist::ticket(boutique, &reference, day(), &fr(), Signs::Unicode);
    assert!(unicode.contains("✂ S'habiller"), "{unicode}");
    let ascii = shortlist::ticket(boutique, &reference, day(), &fr(), Signs::Ascii);
    assert!(ascii.contains("[H] S'habiller") && !ascii.contains('✂'), "{ascii}");
    let page = shortlist::to_text(&items, &reference, day(), &Strings::load("en"), Signs::Ascii);
    assert!(page.contains("[H] Clothing"), "{page}");
}

/// A visitor who switched the kiosk to English takes away an English ticket, and staff working
/// in English get English pages: labels, day and month names, the date, and each summary's
/// English translation, marked as one. (The rest of the catalogue's text stays as written.)
#[test]
fn pages_follow_the_language_of_the_screen() {
    let (items, reference) = three();
    let en = Strings::load("en");
    let t = shortlist::ticket(&items[0], &reference, day(), &en, Signs::Unicode);
    for line in t.lines() {
        assert!(line.width() <= shortlist::TICKET_WIDTH, "too wide: {line:?}");
    }
    insta::assert_snapshot!("shortlist_ticket_en", t);
    let text = shortlist::to_text(&items, &reference, day(), &en, Signs::Unicode);
    assert!(text.contains("List prepared on 29 November 2026"), "{text}");
    assert!(text.contains("Address: ") && text.contains("Opening hours:"), "{text}");
    let english = items[0].translated_summary("en").expect("seed summaries are translated");
    let first_words: String = english.split(' ').take(3).collect::<Vec<_>>().join(" ");
    assert!(text.contains(&first_words) && text.contains("(translated)"), "{text}");
    assert!(text.lines().all(|l| l.width() <= shortlist::PAGE_WIDTH));
    let html = shortlist::to_html(&items, &reference, day(), &en);
    assert!(html.contains("<html lang=\"en\">") && html.contains("<dt>Address</dt>"), "{html}");
    for french in ["Horaires", "Adresse", "Liste préparée", "Lundi", "novembre", "fermé", "Tél."] {
        assert!(!t.contains(french) && !text.contains(french) && !html.contains(french), "{french} in English pages");
    }
}

#[test]
fn hostile_catalogue_text_is_neutralised() {
    let (mut items, reference) = three();
    items[0].name = "Piège\x1b]52;c;ZWNobw==\x07 <script>alert(1)</script>\u{202e}".into();
    items[0].website = "javascript:alert(1)".into();
    let text = shortlist::to_text(&items, &reference, day(), &fr(), Signs::Unicode);
    assert!(!text.contains('\x1b') && !text.contains('\u{202e}'), "{text}");
    let html = shortlist::to_html(&items, &reference, day(), &fr());
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("href=\"javascript:"), "a javascript: URL must not become a link");
    let ticket = shortlist::ticket(&items[0], &reference, day(), &fr(), Signs::Unicode);
    assert!(!ticket.contains('\x1b'));
}

#[test]
fn print_sends_the_text_to_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("printed.txt");
    let (items, reference) = three();
    let text = shortlist::to_text(&items, &reference, day(), &fr(), Signs::Unicode);
    shortlist::print(&format!("cat > '{}'", out.display()), &text).expect("print succeeds");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

#[test]
fn a_failing_print_command_reports_its_stderr() {
    let err = shortlist::print("echo 'imprimante absente' >&2; exit 3", "texte").unwrap_err();
    match &err {
        PrintError::Failed { status, stderr, .. } => {
            assert_eq!(status, "exit code 3");
            assert_eq!(stderr, "imprimante absente");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(matches!(shortlist::print("no-such-printer-program-wic", "x"), Err(PrintError::Failed { .. })));
}

#[test]
fn a_hung_print_command_is_stopped_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    // The printer program (here `sleep`) is a child of `sh`: it must die too, and nothing else.
    let command = format!("cat > /dev/null; sleep 60 & echo $! > {}; wait", pidfile.display());
    let err = shortlist::print_with_timeout(&command, "x", Duration::from_millis(1000)).unwrap_err();
    assert!(matches!(err, PrintError::TimedOut { .. }), "{err:?}");
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        // Gone, or a zombie waiting for a reaper: either way it no longer runs.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
        let running =
            state.as_deref().is_some_and(|s| !s.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'));
        if !running {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the print command's child {pid} still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Decodes standard base64, written independently of the encoder under test.
fn decode(s: &str) -> Vec<u8> {
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.chars().filter(|&c| c != '=') {
        bits = (bits << 6) | alphabet.find(c).expect("base64 alphabet") as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

#[test]
fn osc52_round_trip() {
    let (items, reference) = three();
    let text = shortlist::to_text(&items, &reference, day(), &fr(), Signs::Unicode);
    let seq = shortlist::osc52(&text).unwrap();
    let payload = seq.strip_prefix("\x1b]52;c;").and_then(|s| s.strip_suffix("\x1b\\")).expect("OSC 52 framing");
    assert_eq!(String::from_utf8(decode(payload)).unwrap(), text);
    for s in ["", "a", "ab", "abc", "é€😀"] {
        assert_eq!(decode(&shortlist::base64(s.as_bytes())), s.as_bytes());
    }
    assert!(shortlist::osc52(&"x".repeat(200_000)).is_err(), "too large for a terminal");
}

#[test]
fn write_file_names_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let now: NaiveDateTime = day().and_hms_opt(10, 30, 0).unwrap();
    let name = shortlist::default_name(now, Format::Text);
    let a = shortlist::write_file(dir.path(), &name, "un", Format::Text).unwrap();
    assert_eq!(a, dir.path().join("liste-2026-11-29-1030.txt"));
    let b = shortlist::write_file(dir.path(), &name, "deux", Format::Text).unwrap();
    assert_eq!(b, dir.path().join("liste-2026-11-29-1030-2.txt"));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "un");
    let h =
        shortlist::write_file(dir.path(), &shortlist::default_name(now, Format::Html), "<html>", Format::Html).unwrap();
    assert_eq!(h.file_name().unwrap(), "liste-2026-11-29-1030.html");
    // A name without an extension gets the page's.
    let named = dir.path().join("pour-madame.txt");
    assert_eq!(shortlist::write_file(dir.path(), "pour-madame", "trois", Format::Text).unwrap(), named);
    // The same name typed again: a new file beside it, the first one kept.
    let again = shortlist::write_file(dir.path(), "pour-madame.txt", "quatre", Format::Text).unwrap();
    assert_eq!(again, dir.path().join("pour-madame-2.txt"));
    assert_eq!(std::fs::read_to_string(&named).unwrap(), "trois");
    assert!(shortlist::write_file(&dir.path().join("no/such/dir"), "x", "x", Format::Text).is_err());
    // Never a path: the names the prompt refuses are refused here too.
    for bad in ["../x", "/etc/x", "a/b", ".hidden", "", "x\u{1b}[2J", "liste\u{202e}txt.exe", "li\u{200b}ste"] {
        assert!(shortlist::write_file(dir.path(), bad, "x", Format::Text).is_err(), "{bad:?}");
    }
    assert!(shortlist::write_file(dir.path(), &"a".repeat(10_000), "x", Format::Text).is_err());
}
