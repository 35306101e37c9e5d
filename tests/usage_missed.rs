//! What visitors could not find (issue #12, item 8): `wic stats` shows the words of kiosk
//! searches that found nothing or were left without opening a result — anonymous and
//! aggregated. A word reaches the disk only once typed in three separate visits; letters
//! only, at most 40; dated to the day, never finer.

mod common;

use common::TestDir;
use wic::usage::{self, SessionMode, Usage};

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Every row `usage.db` holds, as text (what an administrator with the file could read).
fn stored(dir: &TestDir) -> Vec<usage::Row> {
    let conn = usage::open_read(&dir.data_dir().usage_path()).expect("usage.db opens");
    usage::read_rows(&conn, "2000-01-01").expect("rows")
}

#[test]
fn only_letters_are_kept_and_a_word_with_digits_never() {
    assert_eq!(usage::missed_words("Pantalon HLM"), words(&["pantalon", "hlm"]));
    assert_eq!(usage::missed_words("appeler 0612345678 ou 06 12 34"), words(&["appeler", "ou"]));
    assert_eq!(usage::missed_words("velo2 jean@exemple.fr 92000 115"), Vec::<String>::new());
    assert_eq!(usage::missed_words("l'épicerie, épicerie!"), words(&["épicerie"]));
    assert_eq!(usage::missed_words(&"a".repeat(41)), Vec::<String>::new());
    assert_eq!(usage::missed_words(&"a".repeat(40)), words(&[&"a".repeat(40)]));
}

#[test]
fn a_word_is_written_and_shown_only_from_its_third_visit() {
    let dir = TestDir::new();
    std::fs::create_dir_all(dir.data()).unwrap();
    let path = dir.data_dir().usage_path();
    let mut u = Usage::new(&path, SessionMode::Kiosk);
    u.record_on("2026-12-01", usage::Event::Search);
    u.missed_visit_on("2026-12-01", &words(&["pantalon", "dentiste"]));
    u.missed_visit_on("2026-12-02", &words(&["pantalon", "dentiste"]));
    // A word with digits handed over anyway is refused at the door.
    u.missed_visit_on("2026-12-02", &words(&["rue2", "rue2", "rue2"]));
    u.flush().unwrap();
    let rows = stored(&dir);
    assert!(rows.iter().all(|r| r.event != usage::MISSED_WORD), "two visits: nothing written to disk: {rows:?}");
    let run = dir.wic(&["stats", "--since", "2026-11-01", "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()["missed_words"], serde_json::json!([]), "two visits: nothing shown");

    u.missed_visit_on("2026-12-03", &words(&["pantalon"]));
    u.flush().unwrap();
    let rows = stored(&dir);
    let kept: Vec<&usage::Row> = rows.iter().filter(|r| r.event == usage::MISSED_WORD).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!((kept[0].key.as_str(), kept[0].count, kept[0].day.as_str()), ("pantalon", 3, "2026-12-03"));
    assert!(rows.iter().all(|r| !r.key.contains("rue2") && !r.key.contains("dentiste")), "{rows:?}");

    let json = dir.wic(&["stats", "--since", "2026-11-01", "--json"]).json();
    assert_eq!(json["missed_words"], serde_json::json!([{ "word": "pantalon", "visits": 3 }]));
    assert!(json["totals"].get(usage::MISSED_WORD).is_none(), "words are not events: {}", json["totals"]);
    let text = dir.wic(&["stats", "--since", "2026-11-01"]);
    assert!(text.stdout.contains("pantalon"), "{}", text.stdout);
    assert!(!text.stdout.contains("dentiste"), "{}", text.stdout);
    // A fourth visit adds one.
    u.missed_visit_on("2026-12-03", &words(&["pantalon"]));
    u.flush().unwrap();
    let json = dir.wic(&["stats", "--since", "2026-11-01", "--json"]).json();
    assert_eq!(json["missed_words"][0]["visits"], 4);
}

/// Below the threshold a word lives in memory only: a new session starts from nothing.
#[test]
fn words_below_the_threshold_die_with_the_session() {
    let dir = TestDir::new();
    std::fs::create_dir_all(dir.data()).unwrap();
    let path = dir.data_dir().usage_path();
    for _ in 0..2 {
        let mut u = Usage::new(&path, SessionMode::Kiosk);
        u.missed_visit_on("2026-12-01", &words(&["podologue"]));
        u.missed_visit_on("2026-12-01", &words(&["podologue"]));
        u.record_on("2026-12-01", usage::Event::Search);
        drop(u);
    }
    assert!(stored(&dir).iter().all(|r| r.event != usage::MISSED_WORD));
}
