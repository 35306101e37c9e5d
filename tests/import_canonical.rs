//! `wic import` of the canonical formats (docs/CATALOGUE.md), through the real binary: what comes
//! in comes back exactly from `wic export`, every problem of a file is reported as
//! `FILE:LINE: field NAME: …`, and a file with any problem changes nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{SEED_CSV, TestDir, has_control_or_bidi};
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/canonical").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// How many initiatives `seeds/initiatives.csv` holds (the seed grows with the catalogue).
fn seed_count() -> usize {
    csv::Reader::from_reader(SEED_CSV.as_bytes()).records().count()
}

#[test]
fn good_csv_with_bom_reordered_columns_and_french_booleans_imports_exactly() {
    let dir = TestDir::new();
    let file = fixture("good.csv");
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(0);
    assert!(run.stdout.contains("2 record(s) read as CSV"), "{}", run.stdout);
    assert!(run.stdout.contains("2 added, 0 updated, 0 unchanged."), "{}", run.stdout);

    let epicerie = dir.exported("test-epicerie-antony");
    assert_eq!(
        epicerie,
        json!({
            "id": "test-epicerie-antony",
            "name": "Épicerie test d'Antony",
            "summary": "Des courses à petits prix pour les familles.",
            "description": "Premier paragraphe, sur deux lignes.\n\nSecond paragraphe.",
            "themes": ["se-nourrir", "s-entraider"],
            "actions": ["vente", "accompagnement"],
            "tags": ["épicerie solidaire", "courses", "petits prix"],
            "kind": "association",
            "access": "conditions",
            "price": "solidaire",
            "audience": ["familles", "seniors"],
            "online": false,
            "commune": "Antony",
            "address": "1 rue de la Mairie",
            "postcode": "92160",
            "latitude": 48.75,
            "longitude": 2.3,
            "phone": "01 46 11 22 33",
            "email": "contact@example.org",
            "website": "https://example.org/epicerie",
            "opening_hours": "Mo-Fr 09:00-12:00; Sa 10:00-18:00",
            "languages": ["fr", "en"],
            "accessibility": ["pmr"],
            "status": "actif",
            "updated": "2026-01-15",
            "source": "fixture"
        })
    );

    let velo = dir.exported("test-velo-chatenay");
    assert_eq!(velo["online"], json!(true), "oui is true");
    assert_eq!(velo["commune"], "Châtenay-Malabry", "commune given as \"chatenay malabry\"");
    assert_eq!(velo["phone"], "01 40 00 00 01", "+33 number normalised");
    assert_eq!(velo["status"], "actif", "status defaults to actif");
    assert_eq!(velo["themes"], json!(["se-deplacer"]));
    assert_eq!(velo["tags"], json!([]));
    assert_eq!(velo["latitude"], json!(null));
    assert_eq!(velo["website"], "http://velo.example.fr");

    // The CSV export gives the commune's official name and the canonical column order.
    let csv = dir.export("csv");
    let line = csv.lines().find(|l| l.starts_with("test-velo-chatenay,")).expect("row in CSV export");
    assert_eq!(
        line,
        "test-velo-chatenay,Atelier vélo test,,,,,,,,,se-deplacer,reparation,,,,gratuit,,true,Châtenay-Malabry,,,,,01 40 00 00 01,,http://velo.example.fr,,,,actif,,,,"
    );
}

#[test]
fn json_array_and_json_lines_import() {
    let dir = TestDir::new();
    let run = dir.wic_in("en", &["import", s(&fixture("array.json")), s(&fixture("lines.jsonl")), "--no-index"]);
    run.assert_code(0);
    assert!(run.stdout.contains("array.json: 2 record(s) read as JSON"), "{}", run.stdout);
    assert!(run.stdout.contains("lines.jsonl: 2 record(s) read as JSON"), "{}", run.stdout);
    assert!(run.stdout.contains("4 added"), "{}", run.stdout);

    let one = dir.exported("test-json-array-one");
    assert_eq!(one["name"], "Troc de livres JSON");
    assert_eq!(one["tags"], json!(["livres", "troc"]), "tags are lower-cased");
    assert_eq!(one["online"], json!(true));
    assert_eq!(one["commune"], "Sceaux");
    assert_eq!(one["phone"], "01 46 00 00 02");
    let two = dir.exported("test-json-array-two");
    assert_eq!(two["themes"], json!(["se-loger", "s-entraider"]));
    assert_eq!(two["commune"], "Nanterre", "INSEE 92050");
    assert_eq!(two["latitude"], json!(48.9));
    assert_eq!(two["audience"], json!(["etudiants"]));
    let l1 = dir.exported("test-jsonl-one");
    assert_eq!(l1["commune"], "Vanves");
    assert_eq!(l1["online"], json!(false), "\"non\" in JSON");
    assert_eq!(l1["actions"], json!(["reparation"]));
    let l2 = dir.exported("test-jsonl-two");
    assert_eq!(l2["online"], json!(true), "\"oui\" in JSON");
    assert_eq!(l2["website"], "https://covoit.example.org");
    assert_eq!(dir.export_json().len(), 4);
}

#[test]
fn three_bad_rows_of_ten_are_all_named_and_nothing_changes() {
    let dir = TestDir::new();
    dir.prepare();
    let before_csv = dir.export("csv");
    let before_json = dir.export("json");

    let file = fixture("three-bad-of-ten.csv");
    let run = dir.wic_in("en", &["import", s(&file)]);
    run.assert_code(2);
    let f = s(&file);
    let problems: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with(f)).collect();
    assert_eq!(problems.len(), 3, "exactly the three bad rows, each once:\n{}", run.stderr);
    assert!(problems[0].starts_with(&format!("{f}:4: field themes: ")), "{}", problems[0]);
    assert!(problems[0].contains("cuisiner"), "names the bad value: {}", problems[0]);
    assert!(problems[1].starts_with(&format!("{f}:7: field email: ")), "{}", problems[1]);
    assert!(problems[1].contains("pas-une-adresse"), "{}", problems[1]);
    assert!(problems[2].starts_with(&format!("{f}:10: field postcode: ")), "{}", problems[2]);
    assert!(problems[2].contains("75011"), "{}", problems[2]);
    assert!(run.stderr.contains("3 problem(s) found; the catalogue was not changed"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing printed as done: {}", run.stdout);

    assert_eq!(dir.export("csv"), before_csv, "CSV export unchanged");
    assert_eq!(dir.export("json"), before_json, "JSON export unchanged");
    assert!(!dir.export("csv").contains("test-ten-01"), "not even the good rows were written");
    dir.wic_in("en", &["index", "check"]).assert_code(0);
    assert_eq!(dir.data_dir().open_read().unwrap().count().unwrap(), seed_count());
}

#[test]
fn problems_of_several_files_are_all_reported_and_nothing_is_written() {
    let dir = TestDir::new();
    let good = fixture("good.csv");
    let bad = fixture("three-bad-of-ten.csv");
    let run = dir.wic_in("en", &["import", s(&good), s(&bad), "--no-index"]);
    run.assert_code(2);
    assert_eq!(run.stderr.lines().filter(|l| l.contains(": field ")).count(), 3, "{}", run.stderr);
    // The good file shares the transaction: it was not written either.
    assert_eq!(dir.export_json().len(), 0);
}

#[test]
fn dry_run_writes_nothing() {
    let dir = TestDir::new();
    dir.prepare();
    let before = dir.export("csv");
    let version_before = dir.data_dir().open_read().unwrap().version().unwrap();
    let run = dir.wic_in("en", &["import", "--dry-run", s(&fixture("good.csv"))]);
    run.assert_code(0);
    assert!(run.stdout.contains("Dry run: 2 initiative(s) valid; nothing was written."), "{}", run.stdout);
    assert_eq!(dir.export("csv"), before);
    assert_eq!(dir.data_dir().open_read().unwrap().version().unwrap(), version_before);
    dir.wic_in("en", &["index", "check"]).assert_code(0);

    // A dry run still reports problems, with exit code 2.
    let run = dir.wic_in("en", &["import", "--dry-run", s(&fixture("three-bad-of-ten.csv"))]);
    run.assert_code(2);
    assert_eq!(run.stderr.lines().filter(|l| l.contains(": field ")).count(), 3, "{}", run.stderr);
}

#[test]
fn unknown_column_is_an_error_unless_ignored() {
    let dir = TestDir::new();
    let file = dir.file("extra.csv", "id,name,themes,colour\ntest-colour,Avec couleur,s-entraider,bleu\n");
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains(&format!("{}:2: field colour: unknown field", s(&file))), "{}", run.stderr);
    assert_eq!(dir.export_json().len(), 0);

    let run = dir.wic_in("en", &["import", "--ignore-unknown", s(&file), "--no-index"]);
    run.assert_code(0);
    let item = dir.exported("test-colour");
    assert_eq!(item["name"], "Avec couleur");
    assert!(item.get("colour").is_none());
}

#[test]
fn missing_required_column_is_reported_on_the_header_line() {
    let dir = TestDir::new();
    let file = dir.file("nothemes.csv", "id,name\ntest-no-theme,Sans thème\n");
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains(&format!("{}:1: field themes: required column missing", s(&file))), "{}", run.stderr);
}

#[test]
fn duplicate_id_in_a_file_is_reported() {
    let dir = TestDir::new();
    let file = dir.file(
        "dup.csv",
        "id,name,themes\ntest-dup,Premier,s-entraider\ntest-other,Autre,s-entraider\ntest-dup,Second,s-entraider\n",
    );
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&format!("{}:4: field id: appears twice in this file (test-dup)", s(&file))),
        "{}",
        run.stderr
    );
    assert_eq!(dir.export_json().len(), 0);
}

#[test]
fn duplicate_id_across_two_files_is_reported() {
    let dir = TestDir::new();
    let a = dir.file("a.csv", "id,name,themes\ntest-twice,Dans A,s-entraider\n");
    let b = dir.file("b.json", r#"[{"id": "test-twice", "name": "Dans B", "themes": ["s-entraider"]}]"#);
    let run = dir.wic_in("en", &["import", s(&a), s(&b), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains(&format!("{}:1: field id: also in {}", s(&b), s(&a))), "{}", run.stderr);
}

#[test]
fn invalid_opening_hours_are_rejected_with_the_field_named() {
    let dir = TestDir::new();
    let file = dir.file(
        "hours.csv",
        "id,name,themes,opening_hours\ntest-hours,Horaires,s-entraider,le mardi matin\ntest-hours-ok,Horaires OK,s-entraider,Tu 09:00-12:00\n",
    );
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    let line = run.stderr.lines().find(|l| l.contains("field opening_hours")).unwrap_or("");
    assert!(
        line.starts_with(&format!("{}:2: field opening_hours: not in OpenStreetMap opening_hours syntax", s(&file))),
        "{}",
        run.stderr
    );
    assert!(line.ends_with("(le mardi matin)"), "{line}");
    assert_eq!(run.stderr.lines().filter(|l| l.contains(": field ")).count(), 1, "{}", run.stderr);
}

#[test]
fn website_without_scheme_is_rejected() {
    let dir = TestDir::new();
    let file = dir.file(
        "web.csv",
        "id,name,themes,website\ntest-web,Site,s-entraider,www.example.org\ntest-web2,Site ftp,s-entraider,ftp://example.org\n",
    );
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    let f = s(&file);
    assert!(
        run.stderr.contains(&format!("{f}:2: field website: must be an http:// or https:// address (www.example.org)")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("{f}:3: field website: ")), "{}", run.stderr);
}

#[test]
fn phones_are_normalised() {
    let dir = TestDir::new();
    let file = dir.file(
        "phones.csv",
        "id,name,themes,phone\n\
         test-phone-a,A,s-entraider,0123456789\n\
         test-phone-b,B,s-entraider,01.23.45.67.89\n\
         test-phone-c,C,s-entraider,+33 1 23 45 67 89\n\
         test-phone-d,D,s-entraider,01-23-45-67-89\n\
         test-phone-e,E,s-entraider,0033 (0)1 23 45 67 89\n\
         test-phone-f,F,s-entraider,115\n",
    );
    dir.wic_in("en", &["import", s(&file), "--no-index"]).assert_code(0);
    for id in ["test-phone-a", "test-phone-b", "test-phone-c", "test-phone-d", "test-phone-e"] {
        assert_eq!(dir.exported(id)["phone"], "01 23 45 67 89", "{id}");
    }
    assert_eq!(dir.exported("test-phone-f")["phone"], "115", "short service numbers stay digits");

    let bad = dir.file("badphone.csv", "id,name,themes,phone\ntest-phone-x,X,s-entraider,appelez-nous\n");
    let run = dir.wic_in("en", &["import", s(&bad), "--no-index"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&format!("{}:2: field phone: not a phone number (appelez-nous)", s(&bad))),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_text_is_stored_clean_and_paragraphs_are_kept() {
    let dir = TestDir::new();
    let name = "Nom\x1b[31mRouge\x1b[0m\x1b]0;title\x07 \u{202e}txet\u{202c} ok";
    let summary = "Ré\u{200b}sumé\0 avec\u{9b}2J C1 et \u{feff}BOM";
    let description = "Premier\x1b]52;c;ZWNobw==\x07 paragraphe\r\navec une ligne.\r\n\r\n\u{2066}Second\u{2069} paragraphe\u{200d}.\n\n\n\nTroisième.";
    let items = json!([{ "id": "test-hostile", "name": name, "summary": summary, "description": description,
                          "themes": ["s-entraider"], "tags": ["\x1b[1mgras"] }]);
    let file = dir.file("hostile.json", items.to_string());
    dir.wic_in("en", &["import", s(&file), "--no-index"]).assert_code(0);

    let item = dir.exported("test-hostile");
    assert_eq!(item["name"], "NomRouge txet ok");
    assert_eq!(item["summary"], "Résumé avec C1 et BOM");
    assert_eq!(item["description"], "Premier paragraphe avec une ligne.\n\nSecond paragraphe.\n\nTroisième.");
    assert_eq!(item["tags"], json!(["gras"]));

    // Nothing anywhere in either export acts on a terminal or reorders text.
    for format in ["json", "csv"] {
        let out = dir.export(format);
        assert_eq!(has_control_or_bidi(&out), None, "{format} export holds a control or bidi character");
        assert!(!out.contains("title") && !out.contains("ZWNobw"), "escape sequence payloads removed");
    }

    // The same through CSV, where raw bytes (NUL, C1) sit in the cells.
    let csv = "id,name,summary,description,themes\ntest-hostile-csv,\"A\x1b[2Jb\0c\u{9b}31md\",\"x\u{202e}y\u{200b}z\",\"Un.\n\nDeux\x1b]0;t\x07.\",s-entraider\n";
    let file = dir.file("hostile.csv", csv);
    dir.wic_in("en", &["import", s(&file), "--no-index"]).assert_code(0);
    let item = dir.exported("test-hostile-csv");
    assert_eq!(item["name"], "Abcd");
    assert_eq!(item["summary"], "xyz");
    assert_eq!(item["description"], "Un.\n\nDeux.");
}

#[test]
fn problems_quoting_hostile_values_are_safe_to_print() {
    let dir = TestDir::new();
    let file = dir.file("evil.csv", "id,name,themes\ntest-evil,Nom,\"\x1b]0;pwned\x07bad\x1b[31m\"\n");
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(!run.stderr.contains('\x1b'), "stderr must not carry escape sequences: {:?}", run.stderr);
    assert!(run.stderr.contains(&format!("{}:2: field themes: unknown theme (bad)", s(&file))), "{:?}", run.stderr);
}

#[test]
fn seed_export_is_the_seed_file_byte_for_byte() {
    let dir = TestDir::new();
    dir.prepare();
    let exported = dir.export("csv");
    assert_eq!(exported.lines().count(), seed_count() + 1, "header + one line per initiative");
    if exported != SEED_CSV {
        let first = exported.lines().zip(SEED_CSV.lines()).position(|(a, b)| a != b);
        panic!("CSV export differs from seeds/initiatives.csv (first differing line: {first:?})");
    }
}

#[test]
fn export_then_import_is_the_identity_in_csv_and_json() {
    let source = TestDir::new();
    source.prepare();
    let csv = source.export("csv");
    let json = source.export("json");
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&json).unwrap().len(), seed_count());

    for (name, text) in [("export.json", &json), ("export.csv", &csv)] {
        let fresh = TestDir::new();
        let file = fresh.file(name, text);
        let run = fresh.wic_in("en", &["import", s(&file)]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(&format!("{} added, 0 updated, 0 unchanged.", seed_count())),
            "{name}: {}",
            run.stdout
        );
        assert_eq!(fresh.export("csv"), csv, "CSV after importing {name}");
        assert_eq!(fresh.export("json"), json, "JSON after importing {name}");
        fresh.wic_in("en", &["index", "check"]).assert_code(0);

        // Importing the same export again changes nothing.
        let again = fresh.wic_in("en", &["import", s(&file), "--no-index"]);
        again.assert_code(0);
        assert!(again.stdout.contains(&format!("0 added, 0 updated, {} unchanged.", seed_count())), "{}", again.stdout);
        fresh.wic_in("en", &["index", "check"]).assert_code(0);
    }
}

#[test]
fn export_to_a_file_equals_export_to_stdout() {
    let dir = TestDir::new();
    dir.prepare();
    let out = dir.tmp.path().join("out.json");
    dir.wic(&["export", "--format", "json", "--output", s(&out)]).assert_code(0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), dir.export("json"));
}

#[test]
fn import_updates_an_existing_initiative_by_id() {
    let dir = TestDir::new();
    dir.prepare();
    let file =
        dir.file("update.csv", "id,name,themes,commune\namap-de-sceaux,AMAP de Sceaux (renommée),se-nourrir,Sceaux\n");
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 updated, 0 unchanged."), "{}", run.stdout);
    let item = dir.exported("amap-de-sceaux");
    assert_eq!(item["name"], "AMAP de Sceaux (renommée)");
    // An upsert replaces the record: columns left out become empty.
    assert_eq!(item["tags"], json!([]));
    assert_eq!(dir.export_json().len(), seed_count());
}

/// Opening hours in French are refused with the OSM form to use (they were refused with
/// `--> 1:1` and no hint), `--fix-hours` stores that form, and what the converter can't read
/// gets an example of the syntax.
#[test]
fn french_hours_are_refused_with_the_osm_form_and_fix_hours_stores_it() {
    let dir = TestDir::new();
    dir.prepare();
    let csv = "id,name,themes,commune,opening_hours\n\
               test-heures,Permanence test,s-entraider,Nanterre,du lundi au vendredi de 9h à 12h et de 14h à 17h30\n";
    let file = dir.file("heures.csv", csv);
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains("heures.csv:2: field opening_hours:"), "{}", run.stderr);
    assert!(run.stderr.contains(r#"did you mean "Mo-Fr 09:00-12:00,14:00-17:30"?"#), "{}", run.stderr);
    assert!(run.stderr.contains("--fix-hours"), "{}", run.stderr);

    dir.wic_in("en", &["import", s(&file), "--no-index", "--fix-hours"]).assert_code(0);
    let export = dir.wic(&["export", "--format", "csv"]);
    export.assert_code(0);
    let row = export.stdout.lines().find(|l| l.starts_with("test-heures,")).expect("the entry was imported");
    assert!(row.contains("Mo-Fr 09:00-12:00,14:00-17:30"), "{row}");

    let odd = dir.file("odd.csv", "id,name,themes,opening_hours\ntest-odd,Test,s-entraider,quand il fait beau\n");
    let run = dir.wic_in("en", &["import", s(&odd), "--no-index", "--fix-hours"]);
    run.assert_code(2);
    assert!(run.stderr.contains(r#"write it like "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00""#), "{}", run.stderr);
}

/// A temporary closure can carry its reopening day (issue #15), which round-trips through
/// export; a reopening day on an entry that is not closed is refused, naming the field.
#[test]
fn a_reopening_day_goes_with_a_temporary_closure() {
    let dir = TestDir::new();
    dir.prepare();
    let ok = dir.file(
        "travaux.csv",
        "id,name,themes,commune,opening_hours,status,reopens\n\
         test-travaux,Épicerie en travaux,se-nourrir,Nanterre,Mo-Fr 09:00-12:00,ferme-temporairement,2027-01-05\n",
    );
    dir.wic_in("en", &["import", s(&ok), "--no-index"]).assert_code(0);
    let export = dir.wic(&["export", "--format", "csv"]);
    let header = export.stdout.lines().next().expect("a header");
    assert!(header.contains(",status,reopens,updated,"), "{header}");
    let row = export.stdout.lines().find(|l| l.starts_with("test-travaux,")).expect("exported");
    assert!(row.contains(",ferme-temporairement,2027-01-05,"), "{row}");

    let bad = dir.file(
        "bad.csv",
        "id,name,themes,status,reopens\ntest-bad,Ouvert,se-nourrir,actif,2027-01-05\ntest-bad2,Fermé,se-nourrir,ferme-temporairement,bientôt\n",
    );
    let run = dir.wic_in("en", &["import", s(&bad), "--no-index"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("bad.csv:2: field reopens: a reopening date goes with status ferme-temporairement"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bad.csv:3: field reopens: expected a date YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn translated_summaries_are_checked_and_cleaned_like_the_summary() {
    let dir = TestDir::new();
    // A French header names a translation too; hostile bytes are removed, lines squeezed.
    let csv = "id,name,summary,summary_es,Résumé (anglais),themes\n\
               test-traduit,Nom,Résumé,\"Resumen\x1b[31m\nen dos\u{202e} líneas\",A summary,s-entraider\n";
    let file = dir.file("traduit.csv", csv);
    dir.wic_in("en", &["import", s(&file), "--no-index"]).assert_code(0);
    let item = dir.exported("test-traduit");
    assert_eq!(item["summary_es"], "Resumen en dos líneas");
    assert_eq!(item["summary_en"], "A summary");
    assert_eq!(item["summary_uk"], json!(null), "an empty translation is left out of JSON");
    let row = dir.export("csv");
    let row = row.lines().find(|l| l.starts_with("test-traduit,")).expect("row in CSV export");
    assert_eq!(
        row.split(',').take(9).collect::<Vec<_>>().join(","),
        "test-traduit,Nom,Résumé,A summary,Resumen en dos líneas,,,,"
    );

    // The summary's length limit holds for each translation.
    let long = "я".repeat(201);
    let file = dir.file("long.csv", format!("id,name,summary_uk,themes\ntest-long,Nom,{long},s-entraider\n"));
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains("long.csv:2: field summary_uk: longer than 200 characters"), "{:?}", run.stderr);
}
