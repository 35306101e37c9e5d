//! French opening hours as staff and websites write them, converted to OpenStreetMap
//! `opening_hours` (`wic::hours::french::to_osm`): a table of phrasings with the exact OSM
//! string expected, phrasings it must refuse (never a guess), and data·inclusion's own
//! conversions of producers' hours (read from `../shared/conformance/`, never copied here).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::Value;
use wic::hours::french::to_osm;
use wic::hours::{OpenStatus, status, week_table};

/// (French, expected OSM)
const PHRASES: &[(&str, &str)] = &[
    // The list.
    ("du lundi au vendredi de 9h à 12h et de 14h à 17h30", "Mo-Fr 09:00-12:00,14:00-17:30"),
    ("Lu-Ve 9h-12h", "Mo-Fr 09:00-12:00"),
    ("mardi et jeudi 14h-18h", "Tu,Th 14:00-18:00"),
    ("fermé le mercredi", "We off"),
    ("le samedi matin", "Sa unknown \"le matin\""),
    ("sur rendez-vous", "\"sur rendez-vous\""),
    ("le 1er samedi du mois", "Sa[1] unknown"),
    ("fermé en août", "Aug off"),
    ("sauf jours fériés", "PH off"),
    ("24h/24", "24/7"),
    // Days.
    ("24h/24 et 7j/7", "24/7"),
    ("tous les jours 24h/24", "24/7"),
    ("du lundi au vendredi 24h/24", "Mo-Fr 00:00-24:00"),
    ("Du lundi au vendredi de 9h00 à 12h00 et de 13h30 à 17h00", "Mo-Fr 09:00-12:00,13:30-17:00"),
    ("Lundi : 9h-12h / 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
    ("lundi, mardi, jeudi : 9h-12h", "Mo,Tu,Th 09:00-12:00"),
    ("le mardi et le jeudi de 14h à 18h", "Tu,Th 14:00-18:00"),
    ("les lundis de 14h à 17h", "Mo 14:00-17:00"),
    ("tous les jours de 8h à 20h", "Mo-Su 08:00-20:00"),
    ("ouvert tous les jours de 7h à 22h", "Mo-Su 07:00-22:00"),
    ("7j/7 de 9h à 19h", "Mo-Su 09:00-19:00"),
    ("du mardi au samedi de 10h à 13h et de 14h à 18h", "Tu-Sa 10:00-13:00,14:00-18:00"),
    ("lundi-vendredi 8h30-17h", "Mo-Fr 08:30-17:00"),
    ("Lun. 9h-12h", "Mo 09:00-12:00"),
    ("Ma-Sa 10h-19h", "Tu-Sa 10:00-19:00"),
    ("Lundi au vendredi : 9h00 - 17h00", "Mo-Fr 09:00-17:00"),
    ("en semaine de 9h à 18h", "Mo-Fr 09:00-18:00"),
    ("le week-end de 10h à 18h", "Sa,Su 10:00-18:00"),
    ("les jours ouvrés de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("le dimanche et les jours fériés de 9h à 13h", "Su,PH 09:00-13:00"),
    ("lundi,vendredi 10:00-18:00", "Mo,Fr 10:00-18:00"),
    ("lundi de 9h à 12h30", "Mo 09:00-12:30"),
    // Times in every spelling.
    ("de 9h à 12h", "09:00-12:00"),
    ("de 9 h à 12 h", "09:00-12:00"),
    ("9h30-12h30", "09:30-12:30"),
    ("09:00-12:00", "09:00-12:00"),
    ("de midi à 14h", "12:00-14:00"),
    ("le samedi de 9h à midi", "Sa 09:00-12:00"),
    ("du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h", "Mo-Fr 08:30-12:00,13:30-17:00"),
    ("de 14h à 18h30 du lundi au vendredi", "Mo-Fr 14:00-18:30"),
    ("du lundi au vendredi de 22h à 2h", "Mo-Fr 22:00-02:00"),
    ("à partir de 17h", "17:00+"),
    ("le vendredi à partir de 18h", "Fr 18:00+"),
    ("le mercredi après-midi de 14h à 17h", "We 14:00-17:00"),
    ("le mercredi après-midi", "We unknown \"l'après-midi\""),
    ("le lundi soir", "Mo unknown \"le soir\""),
    // Several days, several rules.
    ("du lundi au jeudi de 9h à 17h, le vendredi de 9h à 16h", "Mo-Th 09:00-17:00; Fr 09:00-16:00"),
    ("lundi 9h-12h, mardi 9h-12h", "Mo,Tu 09:00-12:00"),
    ("lundi 9h-12h, lundi 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi de 9h à 12h et le mercredi de 14h à 17h", "Mo-Fr 09:00-12:00, We 14:00-17:00"),
    ("mercredi de 10h à 12h et de 14h à 16h, samedi de 10h à 12h", "We 10:00-12:00,14:00-16:00; Sa 10:00-12:00"),
    ("du lundi au samedi de 9h à 19h et le dimanche de 9h à 13h", "Mo-Sa 09:00-19:00; Su 09:00-13:00"),
    ("lundi 14h-17h ; mercredi 9h-12h ; vendredi 14h-17h", "Mo 14:00-17:00; We 09:00-12:00; Fr 14:00-17:00"),
    ("Du mardi au vendredi : 10h-12h30 / 14h-18h. Samedi : 10h-17h.", "Tu-Fr 10:00-12:30,14:00-18:00; Sa 10:00-17:00"),
    ("Horaires d'ouverture : du lundi au vendredi de 8h30 à 12h30", "Mo-Fr 08:30-12:30"),
    // Days of the month.
    ("le 1er samedi du mois de 10h à 12h", "Sa[1] 10:00-12:00"),
    ("le dernier vendredi du mois de 14h à 17h", "Fr[-1] 14:00-17:00"),
    ("les 2e et 4e mardis du mois de 9h à 12h", "Tu[2,4] 09:00-12:00"),
    ("le premier et le troisième jeudi du mois de 18h à 20h", "Th[1,3] 18:00-20:00"),
    ("le 2e mercredi du mois", "We[2] unknown"),
    // Closures.
    ("mardi : fermé", "Tu off"),
    ("Samedi : fermé ; dimanche : fermé", "Sa,Su off"),
    ("fermé le lundi et le mardi", "Mo,Tu off"),
    ("du lundi au samedi de 10h à 19h, fermé le dimanche", "Mo-Sa 10:00-19:00; Su off"),
    ("du lundi au vendredi de 9h à 17h sauf le mercredi", "Mo-Fr 09:00-17:00; We off"),
    ("fermé les jours fériés", "PH off"),
    ("du lundi au vendredi de 9h à 17h, sauf jours fériés", "Mo-Fr 09:00-17:00; PH off"),
    ("fermeture annuelle en août", "Aug off"),
    ("fermé en juillet et août", "Jul,Aug off"),
    ("fermé au mois d'août", "Aug off"),
    ("le samedi 10h-12h, sauf en août", "Sa 10:00-12:00; Aug off"),
    ("fermé du 20 décembre au 4 janvier", "Dec 20-Jan 04 off"),
    ("fermé du 1er au 15 août", "Aug 01-15 off"),
    ("fermé le 25 décembre", "Dec 25 off"),
    ("fermé du 24/12 au 02/01", "Dec 24-Jan 02 off"),
    ("fermé du 20 décembre 2026 au 4 janvier 2027", "2026 Dec 20-2027 Jan 04 off"),
    ("du lundi au vendredi de 9h à 12h, fermé du 20 décembre au 4 janvier", "Mo-Fr 09:00-12:00; Dec 20-Jan 04 off"),
    ("du lundi au vendredi de 9h à 17h, fermé en août et les jours fériés", "Mo-Fr 09:00-17:00; Aug off; PH off"),
    (
        "du lundi au vendredi de 9h à 12h et de 14h à 17h, le samedi de 9h à 12h, fermé le dimanche et les jours fériés",
        "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; Su,PH off",
    ),
    // Seasons.
    ("de juin à septembre, du mardi au samedi de 10h à 18h", "Jun-Sep Tu-Sa 10:00-18:00"),
    ("en juillet et août, du lundi au vendredi de 9h à 12h", "Jul,Aug Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi de 9h à 12h en juillet", "Jul Mo-Fr 09:00-12:00"),
    // Appointments and comments.
    ("uniquement sur rendez-vous", "\"sur rendez-vous\""),
    ("sur rendez-vous du lundi au vendredi", "Mo-Fr unknown \"sur rendez-vous\""),
    ("du lundi au vendredi de 9h à 12h sur rendez-vous", "Mo-Fr 09:00-12:00 open \"sur rendez-vous\""),
    ("le mardi de 14h à 17h (sur rendez-vous)", "Tu 14:00-17:00 open \"sur rendez-vous\""),
    (
        "lundi 9h-12h sans rendez-vous, jeudi 14h-17h sur rendez-vous",
        "Mo 09:00-12:00 open \"sans rendez-vous\"; Th 14:00-17:00 open \"sur rendez-vous\"",
    ),
    ("le jeudi de 18h à 20h sur inscription", "Th 18:00-20:00 open \"sur inscription\""),
    ("le lundi matin sur rendez-vous", "Mo unknown \"le matin, sur rendez-vous\""),
    ("Du lundi au vendredi de 9h à 12h. Sur rendez-vous.", "Mo-Fr 09:00-12:00 open \"sur rendez-vous\""),
    ("Accueil sur rendez-vous du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00 open \"sur rendez-vous\""),
    // As found on association and town hall pages.
    ("Du lundi au vendredi, de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("Lundi, mardi, jeudi et vendredi : 9h-12h et 14h-17h", "Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00"),
    ("Tous les mercredis de 14h à 17h", "We 14:00-17:00"),
    ("fermé le week-end", "Sa,Su off"),
    ("Fermé les samedis et dimanches", "Sa,Su off"),
    ("le jeudi soir de 18h à 20h", "Th 18:00-20:00"),
    (
        "de 8h30 à 12h et de 13h30 à 17h, du lundi au jeudi ; le vendredi de 8h30 à 12h",
        "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
    ),
    ("Lundi : 9h00-12h00 et 13h30-17h00\nMardi : 9h00-12h00", "Mo 09:00-12:00,13:30-17:00; Tu 09:00-12:00"),
    ("Permanences : le 1er et le 3e mardi du mois de 14h à 16h", "Tu[1,3] 14:00-16:00"),
    ("lun-ven : 9h-18h, sam : 10h-12h", "Mo-Fr 09:00-18:00; Sa 10:00-12:00"),
    ("Du 1er juillet au 31 août : du lundi au vendredi de 9h à 13h", "Jul 01-Aug 31 Mo-Fr 09:00-13:00"),
    ("Lundi-Vendredi: 09h00-12h00 / 14h00-18h00", "Mo-Fr 09:00-12:00,14:00-18:00"),
];

/// Text it must refuse, and a word of where it stopped.
const UNREADABLE: &[(&str, &str)] = &[
    ("quand le boulanger passe", "boulanger"),
    ("du lundi au vendredi jusqu'à 18h", "jusqu'"),
    ("fermé le mercredi après-midi", "apres-midi"),
    ("fermé pendant les vacances scolaires", "vacances"),
    ("de 9h", "9h00"),
    ("lundi 25h-26h", "25h00"),
    ("horaires variables", "variables"),
    ("selon la météo", "selon"),
    ("le matin de bonne heure", "bonne"),
    ("du lundi au vendredi de 9h à 12h30 et de 13h30 à 17h (16h le vendredi)", "16h00"),
    ("", ""),
];

#[test]
fn french_phrasings_become_osm() {
    let mut failures = Vec::new();
    for (fr, want) in PHRASES {
        match to_osm(fr) {
            Ok(got) if got == *want => {}
            other => failures.push(format!("{fr:?}: got {other:?}, want {want:?}")),
        }
        // Every expected string is valid OSM that the kiosk can read.
        if want.parse::<opening_hours::OpeningHours>().is_err() {
            failures.push(format!("{want:?} does not parse"));
        }
    }
    assert!(PHRASES.len() >= 80, "{} phrasings", PHRASES.len());
    assert!(failures.is_empty(), "{} of {} wrong:\n{}", failures.len(), PHRASES.len(), failures.join("\n"));
}

#[test]
fn what_it_cannot_read_it_says_so() {
    for (fr, near) in UNREADABLE {
        match to_osm(fr) {
            Ok(got) => panic!("{fr:?} read as {got:?}: a guess"),
            Err(e) => assert!(e.near.contains(near), "{fr:?}: {e} (want near {near:?})"),
        }
    }
}

#[test]
fn converted_hours_give_the_status_they_say() {
    // 2026-12-01 is a Tuesday.
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let osm = to_osm("du lundi au vendredi de 9h à 12h et de 14h à 17h30, sauf jours fériés").unwrap();
    assert_eq!(status(&osm, at("2026-12-01 15:00")).next_change(), Some(at("2026-12-01 17:30")));
    assert_eq!(status(&osm, at("2026-12-25 10:00")).is_open(), Some(false), "Christmas");
    let rdv = to_osm("sur rendez-vous").unwrap();
    assert_eq!(
        status(&rdv, at("2026-12-01 15:00")),
        OpenStatus::ToConfirm { until: None, comment: Some("sur rendez-vous".into()) }
    );
    let xmas = to_osm("du lundi au vendredi de 9h à 12h, fermé du 20 décembre au 4 janvier").unwrap();
    assert_eq!(status(&xmas, at("2026-12-22 10:00")).next_change(), Some(at("2027-01-05 09:00")));
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance").join(rel);
    p.exists().then_some(p)
}

const JOURS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

fn hour_text(hhmm: &str) -> String {
    let (h, m) = hhmm.split_once(':').unwrap_or((hhmm, "00"));
    format!("{}h{}", h.trim_start_matches('0').max("0"), if m == "00" { "" } else { m })
}

/// The producer's hours as its website shows them, in French: "lundi de 8h30 à 17h, …".
fn french_text(case: &Value) -> Option<String> {
    let input = &case["input"];
    let mut parts = Vec::new();
    match case["source_system"].as_str()? {
        "soliguide" => {
            let keys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
            for (n, k) in keys.iter().enumerate() {
                let day = &input[k];
                if day["open"] == true {
                    let slots: Vec<String> = day["timeslot"]
                        .as_array()?
                        .iter()
                        .map(|s| {
                            let t = |v: &Value| {
                                let v = v.as_u64().unwrap_or(0);
                                hour_text(&format!("{:02}:{:02}", v / 100, v % 100))
                            };
                            format!("de {} à {}", t(&s["start"]), t(&s["end"]))
                        })
                        .collect();
                    parts.push(format!("{} {}", JOURS[n], slots.join(" et ")));
                } else {
                    parts.push(format!("{} : fermé", JOURS[n]));
                }
            }
        }
        "france_travail" => {
            for d in input.as_array()? {
                let jour = JOURS[d["jour"].as_u64()? as usize - 1];
                if d["horaireFerme"] == "O" {
                    parts.push(format!("{jour} : fermé"));
                    continue;
                }
                let t = |k: &str| d[k].as_str().map(hour_text);
                let text = if d["horaireEnContinu"] == "O" {
                    format!("{jour} de {} à {}", t("ouvertureMatin")?, t("fermetureApresMidi")?)
                } else {
                    let mut ranges = Vec::new();
                    if let (Some(a), Some(b)) = (t("ouvertureMatin"), t("fermetureMatin")) {
                        ranges.push(format!("de {a} à {b}"));
                    }
                    if let (Some(a), Some(b)) = (t("ouvertureApresMidi"), t("fermetureApresMidi")) {
                        ranges.push(format!("de {a} à {b}"));
                    }
                    format!("{jour} {}", ranges.join(" et "))
                };
                parts.push(text);
            }
        }
        "reseau_alpha" => {
            for d in input.as_array()? {
                let time = |k: &str| d[k].as_str().map(|s| hour_text(s.split(' ').nth(1).unwrap_or("")));
                // An open end ("dateFin": null) is not an all-day opening: not compared.
                let end = time("dateFin")?;
                parts.push(format!("{} de {} à {}", d["jour"].as_str()?, time("dateDebut")?, end));
            }
        }
        _ => return None,
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// data·inclusion's conversions: every expected value parses; a bare `PH off` is never open;
/// and the producer's hours, written in French, convert to the same week of opening times.
#[test]
fn datainclusion_cases() {
    let Some(path) = shared("datainclusion/hours_to_osm_cases.json") else {
        eprintln!("skipped: ../shared/conformance not found");
        return;
    };
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 16);
    let week_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(); // no holiday that week
    let tuesday_noon = week_of.succ_opt().unwrap().and_hms_opt(12, 0, 0).unwrap();
    let mut compared = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let Some(expected) = case["expected_opening_hours"].as_str() else { continue };
        assert!(expected.parse::<opening_hours::OpeningHours>().is_ok(), "{expected:?} parses");
        if expected == "PH off" {
            assert_ne!(status(expected, tuesday_noon).is_open(), Some(true), "bare PH off is never open");
            continue;
        }
        let Some(fr) = french_text(case) else { continue };
        compared += 1;
        let ours = match to_osm(&fr) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{fr:?}: {e}"));
                continue;
            }
        };
        let open =
            |v: &str| week_table(v, week_of).map(|w| w.into_iter().map(|d| (d.open, d.unknown)).collect::<Vec<_>>());
        if open(&ours) != open(expected) {
            failures.push(format!("{fr:?} → {ours:?}, data·inclusion: {expected:?}"));
        }
    }
    eprintln!("data·inclusion: {compared} producer hours compared");
    assert!(compared >= 11, "{compared} compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest::proptest! {
    /// Any text, however strange: an answer or a refusal, never a panic, and an answer always
    /// parses.
    #[test]
    fn never_panics(text in "[a-zA-Zéèàûç0-9 :;,./h'()+-]{0,60}") {
        if let Ok(osm) = to_osm(&text) {
            proptest::prop_assert!(osm.parse::<opening_hours::OpeningHours>().is_ok(), "{osm:?}");
        }
    }
}
