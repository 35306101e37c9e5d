//! What moderators write is data, never markup or a trap (#18 item 4). A moderator's change
//! goes through the edit form, which validates it as an import (`Validator`); these tests type
//! hostile text into that form and follow the result to every place it is shown or carried: the HTML page,
//! the kiosk ticket, and the QR code (decoded with `rqrr`, as a phone would read it). A store
//! written by an older version, which held websites unchecked, is followed the same way.

use std::path::Path;

use chrono::NaiveDate;
use wic::catalogue::edit::Form;
use wic::catalogue::import::canonical;
use wic::catalogue::{Initiative, Problem, Reference, Validator};
use wic::i18n::Strings;
use wic::shortlist;
use wic::ui::qr;

const ID: &str = "bicycode-fub";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// A real seed entry ([`ID`]) opened in the moderators' edit form (`catalogue::edit::Form`, what
/// the `e` key and `wic edit` use), some fields changed, and validated as a save would.
fn edited(changes: &[(&str, &str)]) -> (Result<Initiative, Vec<Problem>>, Reference) {
    let reference = Reference::embedded().unwrap();
    let parsed =
        canonical::parse_csv(Path::new("seeds"), wic::catalogue::SEED_INITIATIVES_CSV.as_bytes()).expect("seeds parse");
    let v = Validator { reference: &reference, file: "seeds".into(), ignore_unknown: false, fix_hours: false };
    let seed = v.validate_all(&parsed.records).expect("seeds validate").into_iter().find(|i| i.id == ID).expect(ID);
    let mut form = Form::open(&seed, 1, &reference);
    for (field, value) in changes {
        form.set(field, *value);
        assert_eq!(form.value(field), *value, "the form holds {field}");
    }
    (form.validate(&reference), reference)
}

/// Every `href="…"` of a page.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or("").to_string()).collect()
}

/// The QR code the detail page draws for a website and phone, read back as a phone would:
/// `##` modules turned into pixels (4 per module, a wide light margin) and decoded.
fn scan(website: &str, phone: &str) -> Option<String> {
    let payload = qr::payload(website, phone)?;
    let rows = qr::lines(&payload, false).expect("the payload fits a code");
    const SCALE: usize = 4;
    const MARGIN: usize = 24;
    let modules = rows[0].chars().count() / 2;
    let size = modules * SCALE + 2 * MARGIN;
    let mut pixels = vec![255u8; size * size];
    for (my, row) in rows.iter().enumerate() {
        let cells: Vec<char> = row.chars().collect();
        for mx in 0..modules {
            if cells[2 * mx] == '#' {
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        pixels[(MARGIN + my * SCALE + dy) * size + MARGIN + mx * SCALE + dx] = 0;
                    }
                }
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| pixels[y * size + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the picture of {payload:?}");
    let (_, content) = grids[0].decode().expect("the code decodes");
    assert_eq!(content, payload, "the code carries its payload");
    Some(content)
}

#[test]
fn hostile_names_and_summaries_stay_text_on_the_page_and_the_ticket() {
    let (item, reference) = edited(&[
        ("name", "Vélo <script>alert(1)</script>\x1b]0;pwned\x07 \u{202e}gnp.exe"),
        ("summary", "Un résumé\" onmouseover=\"alert(1)\" x=\"<img src=x onerror=alert(2)>"),
        ("description", "Texte\x1b[2J\x1b]52;c;ZWNobw==\x07 avec \u{200b}piège"),
    ]);
    let item = item.expect("hostile text is accepted as text, cleaned");
    for field in [&item.name, &item.summary, &item.description] {
        assert!(!field.contains('\x1b') && !field.contains('\x07'), "escape sequences stripped: {field:?}");
        assert!(!field.contains('\u{202e}') && !field.contains('\u{200b}'), "invisible characters stripped: {field:?}");
    }
    let fr = Strings::load("fr");
    let html = shortlist::to_html(std::slice::from_ref(&item), &reference, day(), &fr);
    assert!(!html.contains("<script") && !html.contains("<img"), "markup stays text:\n{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(html.contains("onmouseover=&quot;alert(1)&quot;"), "a quote never closes an attribute:\n{html}");
    // The page's own tags only, and in its attributes nothing but ours and checked links.
    let tags: std::collections::BTreeSet<&str> = html
        .split('<')
        .skip(1)
        .map(|t| t.split([' ', '>', '\n']).next().unwrap_or("").trim_start_matches('/'))
        .collect();
    let ours = ["!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "p", "section", "h2"];
    let ours = [&ours[..], &["dl", "dt", "dd", "ul", "li", "a", "footer"]].concat();
    assert!(tags.iter().all(|t| ours.contains(t)), "unexpected tags {tags:?}");
    let ticket = shortlist::ticket(&item, &reference, day(), &fr, wic::pictogram::Signs::Unicode);
    assert!(!ticket.contains('\x1b') && !ticket.contains('\u{202e}'), "{ticket}");
}

#[test]
fn websites_that_are_traps_are_refused_with_the_reason() {
    for (website, reason) in [
        ("javascript:alert(1)", "http:// or https://"),
        ("data:text/html,<script>alert(1)</script>", "http:// or https://"),
        ("https://www.bicycode.org\" onclick=\"alert(1)", "characters"),
        ("https://www.bicycode.org/<script>", "characters"),
        ("https://www.bicycode.org@piege.example/", "user"),
        ("https://www.bicycode.org\\@piege.example/", "characters"),
        ("https://192.168.0.1/", "domain name"),
        ("https://bicycode", "domain name"),
    ] {
        let (result, _) = edited(&[("website", website)]);
        let problems = result.expect_err(website);
        assert!(
            problems.iter().any(|p| p.field == "website" && p.reason.contains(reason)),
            "{website:?}: {problems:?}"
        );
    }
}

#[test]
fn a_look_alike_host_is_shown_in_punycode_on_the_ticket_the_page_and_the_qr_code() {
    // "bicycоde" with a Cyrillic о (U+043E): it looks like the real site.
    let look_alike = "https://www.bicyc\u{043e}de.org/marquage";
    let (item, reference) = edited(&[("website", look_alike), ("phone", "")]);
    let item = item.expect("an internationalised host is a real host");
    assert!(item.website.is_ascii() && item.website.contains("xn--"), "stored in punycode: {}", item.website);
    assert!(item.website.starts_with("https://www.xn--") && item.website.ends_with(".org/marquage"));
    let fr = Strings::load("fr");
    let html = shortlist::to_html(std::slice::from_ref(&item), &reference, day(), &fr);
    assert_eq!(links(&html), std::slice::from_ref(&item.website), "the one link is the punycode form");
    assert!(!html.contains('\u{043e}'), "the look-alike never shows:\n{html}");
    let ticket = shortlist::ticket(&item, &reference, day(), &fr, wic::pictogram::Signs::Unicode);
    assert!(ticket.replace('\n', "").contains(&item.website), "{ticket}");
    assert!(!ticket.contains('\u{043e}'));
    assert_eq!(scan(&item.website, &item.phone), Some(item.website.clone()), "the QR code carries the punycode form");
}

/// A store written before websites were checked can hold anything: nothing unchecked reaches
/// a link, a ticket or a QR code; a look-alike host is turned into punycode on the way out.
#[test]
fn an_unchecked_website_from_an_older_store_never_reaches_a_page_a_ticket_or_a_qr_code() {
    let (item, reference) = edited(&[]);
    let fr = Strings::load("fr");
    for (stored, shown) in [
        ("javascript:alert(document.cookie)", None),
        ("https://www.bicycode.org\" onclick=\"alert(1)", None),
        ("https://www.bicycode.org@piege.example", None),
        // The punycode form as Python's own IDNA codec writes it: "bicycоde".encode("idna").
        ("https://www.bicyc\u{043e}de.org", Some("https://www.xn--bicycde-ejg.org")),
    ] {
        let mut old = item.clone().expect("the seed validates");
        old.website = stored.to_string();
        old.phone = "01 23 45 67 89".into();
        let html = shortlist::to_html(std::slice::from_ref(&old), &reference, day(), &fr);
        let ticket = shortlist::ticket(&old, &reference, day(), &fr, wic::pictogram::Signs::Unicode);
        match shown {
            None => {
                assert!(links(&html).is_empty(), "{stored:?} is no link: {:?}", links(&html));
                assert!(!html.contains("javascript") && !html.contains("piege"), "{stored:?} left out:\n{html}");
                assert!(!ticket.contains("javascript") && !ticket.contains("piege"), "{ticket}");
                assert_eq!(scan(&old.website, &old.phone).as_deref(), Some("tel:0123456789"), "the phone instead");
            }
            Some(puny) => {
                assert_eq!(links(&html), [puny]);
                assert!(ticket.contains(puny) && !ticket.contains('\u{043e}'), "{ticket}");
                assert_eq!(scan(&old.website, &old.phone).as_deref(), Some(puny));
            }
        }
    }
}
