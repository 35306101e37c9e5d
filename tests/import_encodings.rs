//! `wic import` of the files administrators really have (#13, item 23): the same five rows
//! saved as UTF-8, UTF-8 with a BOM, Windows-1252 with commas or semicolons (French Excel),
//! tab-separated, with French headers and theme labels, as `.xlsx` and as `.ods`. Each must
//! give the very catalogue the UTF-8 original gives (compared through `wic export --format
//! csv`); a byte that is not Windows-1252 is an error naming line and column; an unknown
//! theme names the nearest one. Every fixture is built here, from the rows below.

mod common;

use std::io::Write;
use std::path::Path;

use common::TestDir;

const HEADER: [&str; 10] =
    ["id", "name", "summary", "description", "themes", "commune", "address", "postcode", "price", "updated"];

/// The French words for the same columns, as a French administrator writes them.
const HEADER_FR: [&str; 10] = [
    "Identifiant",
    "Nom",
    "Résumé",
    "Description",
    "Thèmes",
    "Commune",
    "Adresse",
    "Code postal",
    "Prix",
    "Mis à jour",
];

/// Five rows with the letters French Excel loses: é è à ç œ ê î ô ù, and a `;` and a `,` in
/// quoted cells so that the separators are tested inside text.
const ROWS: [[&str; 10]; 5] = [
    [
        "amap-antony-legumes",
        "Paniers de légumes bio d'un maraîcher local",
        "Des légumes de saison, livrés chaque jeudi.",
        "Une AMAP où l'on s'engage ; chaque panier coûte 15 €.",
        "se-nourrir",
        "Antony",
        "12 rue de l'Église",
        "92160",
        "solidaire",
        "2026-11-15",
    ],
    [
        "epicerie-passerelle",
        "Épicerie solidaire La Passerelle",
        "Des courses à petits prix, œufs et fruits compris.",
        "Ouverte aux familles orientées par le CCAS.",
        "se-nourrir|s-entraider",
        "Nanterre",
        "3 place de la Boule",
        "92000",
        "solidaire",
        "2026-10-01",
    ],
    [
        "vestiboutique-clamart",
        "Vestiboutique de Clamart",
        "Vêtements à prix doux pour toute la famille.",
        "Dépôt le mardi, vente le mercredi et le samedi.",
        "s-habiller",
        "Clamart",
        "5 avenue Jean Jaurès",
        "92140",
        "prix-libre",
        "2026-09-20",
    ],
    [
        "garcon-velo-sceaux",
        "L'atelier du garçon à vélo",
        "Réparer son vélo soi-même, avec de l'aide.",
        "Outils prêtés ; pièces d'occasion à très petit prix.",
        "se-deplacer|s-equiper",
        "Sceaux",
        "8 rue Houdan",
        "92330",
        "gratuit",
        "2026-08-31",
    ],
    [
        "coeur-chatenay-repas",
        "Repas partagés du Cœur de Châtenay",
        "Un déjeuner chaud, où chacun est bienvenu.",
        "Le jeudi à midi, salle Noël, sans réservation.",
        "se-nourrir|s-entraider",
        "Châtenay-Malabry",
        "1 rue Jean Longuet",
        "92290",
        "gratuit",
        "2026-07-14",
    ],
];

/// What French Excel shows for the theme slugs, and for the prices.
fn french_value(column: usize, value: &str) -> String {
    let label = |v: &str| match v {
        "se-nourrir" => "Se nourrir",
        "s-entraider" => "S’entraider",
        "s-habiller" => "S'habiller",
        "se-deplacer" => "se déplacer",
        "s-equiper" => "S'ÉQUIPER",
        "solidaire" => "Solidaire",
        "prix-libre" => "Prix libre",
        "gratuit" => "Gratuit",
        other => panic!("no label for {other}"),
    };
    match HEADER[column] {
        "themes" => value.split('|').map(label).collect::<Vec<_>>().join("|"),
        "price" => label(value).to_string(),
        _ => value.to_string(),
    }
}

/// The rows as CSV text with this separator and header (quoting what needs it).
fn csv_text(sep: char, header: &[&str], rows: &[Vec<String>]) -> String {
    let cell = |c: &str| {
        if c.contains([sep, '"', '\n', ',', ';']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.to_string() }
    };
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(&sep.to_string());
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&line(r.clone()));
        out.push_str("\r\n");
    }
    out
}

fn rows() -> Vec<Vec<String>> {
    ROWS.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn french_rows() -> Vec<Vec<String>> {
    ROWS.iter().map(|r| r.iter().enumerate().map(|(i, c)| french_value(i, c)).collect()).collect()
}

/// Windows-1252 bytes of a text, through the same crate the importer reads them with.
fn cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "the fixture has a letter Windows-1252 lacks");
    bytes.into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Imports `file` into a fresh data directory; its stdout and its export as CSV.
fn import_and_export(name: &str, bytes: &[u8]) -> (String, String) {
    let dir = TestDir::new();
    let file = dir.file(name, bytes);
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(0);
    assert!(run.stdout.contains("5 added, 0 updated, 0 unchanged."), "{name}: {}", run.stdout);
    (run.stdout, dir.export("csv"))
}

fn original_export() -> String {
    let (_, export) = import_and_export("original.csv", csv_text(',', &HEADER, &rows()).as_bytes());
    assert!(export.contains("Paniers de légumes bio d'un maraîcher local"), "{export}");
    assert!(export.contains("Des courses à petits prix, œufs et fruits compris."), "{export}");
    export
}

fn assert_same(name: &str, bytes: &[u8], expected_note: &str) {
    let original = original_export();
    let (stdout, export) = import_and_export(name, bytes);
    assert!(stdout.contains(expected_note), "{name}: the report should say {expected_note:?}:\n{stdout}");
    assert_eq!(export, original, "{name}: the export differs from the UTF-8 original's");
}

#[test]
fn utf8_with_and_without_bom() {
    let text = csv_text(',', &HEADER, &rows());
    assert_same("utf8.csv", text.as_bytes(), "separator ','");
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(text.as_bytes());
    assert_same("bom.csv", &bom, "separator ','");
}

#[test]
fn windows_1252_with_commas_is_converted_and_said() {
    let bytes = cp1252(&csv_text(',', &HEADER, &rows()));
    assert_same("excel.csv", &bytes, "read as CSV, separator ',', converted from Windows-1252");
}

#[test]
fn windows_1252_with_semicolons_as_french_excel_saves() {
    let bytes = cp1252(&csv_text(';', &HEADER, &rows()));
    assert_same("excel-fr.csv", &bytes, "read as CSV, separator ';', converted from Windows-1252");
}

#[test]
fn tab_separated() {
    assert_same("tabs.tsv", csv_text('\t', &HEADER, &rows()).as_bytes(), "separator tab");
}

#[test]
fn french_headers_and_theme_labels_from_french_excel() {
    let bytes = cp1252(&csv_text(';', &HEADER_FR, &french_rows()));
    assert_same("francais.csv", &bytes, "separator ';', converted from Windows-1252");
}

#[test]
fn xlsx_first_sheet_with_numbers_and_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Initiatives").expect("sheet name");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in HEADER_FR.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    for (r, row) in french_rows().iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match HEADER[c as usize] {
                // A postcode typed into a spreadsheet is a number; a date is a date.
                "postcode" => sheet.write_number(r, c, v.parse::<f64>().expect("postcode")).map(|_| ()),
                "updated" => {
                    let d = ExcelDateTime::parse_from_str(v).expect("date");
                    sheet.write_datetime_with_format(r, c, &d, &date).map(|_| ())
                }
                _ => sheet.write_string(r, c, v).map(|_| ()),
            }
            .expect("write");
        }
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    assert_same("catalogue.xlsx", &bytes, "first sheet (Initiatives) of a spreadsheet");
    // Found by its magic bytes too, whatever its name says.
    assert_same("export-du-tableur", &bytes, "first sheet (Initiatives)");
}

#[test]
fn ods_first_sheet_with_numbers_and_dates() {
    let bytes = ods(&HEADER_FR, &french_rows());
    assert_same("catalogue.ods", &bytes, "first sheet (Feuille1) of a spreadsheet");
}

/// A minimal OpenDocument spreadsheet: mimetype (first, stored), manifest and content.
fn ods(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let text_cell = |s: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>", esc(s))
    };
    let mut table = String::new();
    table.push_str("<table:table-row>");
    for h in header {
        table.push_str(&text_cell(h));
    }
    table.push_str("</table:table-row>");
    for row in rows {
        table.push_str("<table:table-row>");
        for (c, v) in row.iter().enumerate() {
            table.push_str(&match HEADER[c] {
                "postcode" => format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
                ),
                "updated" => format!(
                    "<table:table-cell office:value-type=\"date\" office:date-value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
                ),
                _ => text_cell(v),
            });
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"Feuille1\">{table}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_byte_undefined_in_windows_1252_is_an_error_naming_line_and_column() {
    let dir = TestDir::new();
    let good = dir.file("good.csv", csv_text(',', &HEADER, &rows()));
    dir.wic_in("en", &["import", s(&good), "--no-index"]).assert_code(0);
    let before = dir.export("csv");
    // Line 3 (the second row), byte 0x81 right after "Épicerie" written in Windows-1252.
    let mut bytes = cp1252(&csv_text(',', &HEADER, &rows()));
    let at = bytes.windows(9).position(|w| w == b"\xc9picerie ").expect("row 2") + 8;
    bytes.insert(at, 0x81);
    let bad = dir.file("bad.csv", &bytes);
    let run = dir.wic_in("en", &["import", s(&bad), "--no-index"]);
    run.assert_code(2);
    let column = at - bytes[..at].iter().rposition(|&b| b == b'\n').unwrap();
    let expected = format!("bad.csv:3: column {column}: byte 0x81 is not Windows-1252");
    assert!(run.stderr.contains(&expected), "expected {expected:?} in:\n{}", run.stderr);
    assert_eq!(dir.export("csv"), before, "the catalogue changed");
}

#[test]
fn an_unknown_theme_or_price_names_the_nearest_accepted_value() {
    let dir = TestDir::new();
    let mut rows = french_rows();
    rows[0][4] = "Se nourir".into();
    rows[1][8] = "solidair".into();
    let file = dir.file("typo.csv", csv_text(';', &HEADER_FR, &rows));
    let run = dir.wic_in("en", &["import", s(&file), "--no-index"]);
    run.assert_code(2);
    assert!(run.stderr.contains("unknown theme; did you mean se-nourrir? (Se nourir)"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean solidaire? (solidair)"), "{}", run.stderr);
}
