//! Relevance on the real seed catalogue, searched the way the kiosk searches
//! (`wic::search::SearchIndex`), and the `wic search` command's contract.
//!
//! Every expectation below was chosen by reading `seeds/initiatives.csv`: it is what a person
//! typing the query would expect to see near the top, not what the engine happened to return.
//! Where the catalogue holds several equally right answers (three ressourceries for "ress"),
//! the row lists them all, separated by `|`, and any one of them in the top 3 is a hit.

mod common;

use common::TestDir;
use wic::search::{SearchIndex, SearchRequest};

/// Filters of a relevance row, as a visitor would set them in the kiosk.
#[derive(Clone, Copy, Default)]
struct Filters {
    theme: Option<&'static str>,
    /// Commune as typed (name without accents, or INSEE code); resolved like the CLI does.
    commune: Option<&'static str>,
}

const NONE: Filters = Filters { theme: None, commune: None };

const fn theme(t: &'static str) -> Filters {
    Filters { theme: Some(t), commune: None }
}

const fn commune(c: &'static str) -> Filters {
    Filters { theme: None, commune: Some(c) }
}

const fn both(t: &'static str, c: &'static str) -> Filters {
    Filters { theme: Some(t), commune: Some(c) }
}

/// (what the visitor types, filters, the initiative(s) expected in the top 3, why).
type Row = (&'static str, Filters, &'static str, &'static str);

const CASES: &[Row] = &[
    // ---- accents missing, extra or wrong; case ----
    ("epicerie puteaux", NONE, "epicerie-solidaire-puteaux", "accent missing"),
    ("épicerie courbevoie", NONE, "epicerie-solidaire-courbevoie", "accent present"),
    ("ÉPICERIE SOLIDAIRE PUTEAUX", NONE, "epicerie-solidaire-puteaux", "upper case with accent"),
    (
        "vétement saint cloud",
        NONE,
        "vestiboutiques-maison-de-l-amitie-saint-cloud",
        "wrong accent (vêtement), singular",
    ),
    ("vetements seconde main", NONE, "vinted", "no accent, tag words"),
    ("ludotheque meudon", NONE, "ludotheque-de-meudon", "accent missing"),
    ("cresus", NONE, "cresus-ile-de-france", "accent missing in a name"),
    ("oeuvre educative antony", NONE, "oeuvre-educative-populaire-antony", "œ typed as oe"),
    (
        "résidence intergénérationnelle",
        NONE,
        "residence-intergenerationnelle-carmen-gerard-gennevilliers",
        "accented name",
    ),
    ("ecotemps", NONE, "ecotemps-nanterre", "É missing at the start"),
    ("restos du coeur nanterre", NONE, "restos-du-coeur-nanterre", "cœur typed as coeur"),
    ("rèpair cafè chatillon", NONE, "repair-cafe-chatillon", "extra (wrong) accents"),
    // ---- plurals and singulars ----
    ("vélos courbevoie", NONE, "bicyclaide-courbevoie", "plural of vélo"),
    ("vélos sceaux", NONE, "le-triporteur-sceaux", "plural of vélo"),
    ("jardins partagés vanves", NONE, "jardin-cabourg-grainenville-vanves", "plural of a tag"),
    ("jardins partagés montrouge", NONE, "jardin-partage-hmgs-montrouge", "plural of the name"),
    ("boite a livre nanterre", NONE, "boites-a-livres-nanterre", "singular of a plural name, no accents"),
    ("maisons relais sèvres", NONE, "maison-relais-sevres", "plural of the name"),
    ("coworkings montrouge", NONE, "geobureau-montrouge", "plural of a tag"),
    ("banques du temps", NONE, "ecotemps-nanterre|accorderies", "plural of a tag"),
    ("ludothèques françaises", NONE, "association-des-ludotheques-francaises", "name as written"),
    ("jeux issy", NONE, "ludotheque-issy-les-moulineaux|espace-ludique-marcel-ayme-issy-les-moulineaux", "jeux/jeu"),
    // ---- typos ----
    ("epicrie puteaux", NONE, "epicerie-solidaire-puteaux", "one letter missing"),
    ("resourcerie chaville", NONE, "la-ptite-boutique-chaville", "one s missing"),
    (
        "resourcerie",
        NONE,
        "le-cercle-ressourcerie-nanterre|la-ptite-boutique-chaville|reseau-national-ressourceries-recycleries",
        "one s missing",
    ),
    ("covoiturrage", NONE, "blablacar|blablacar-daily|karos|mobicoop", "one r too many"),
    ("covoiturrage cooperative", NONE, "mobicoop", "typo plus a tag"),
    ("ressourcerie nantere", NONE, "le-cercle-ressourcerie-nanterre", "typo in the commune"),
    ("ludotèque meudon", NONE, "ludotheque-de-meudon", "h missing"),
    ("habitat participatf", NONE, "habitat-participatif-france", "letter missing while typing"),
    ("solidarités nouvelles logemnt", NONE, "solidarites-nouvelles-logement", "letter missing in the last word"),
    ("blablacr", NONE, "blablacar", "letter missing in a brand"),
    ("microcredit personel", NONE, "croix-rouge-microcredit-personnel", "n missing, no accent"),
    (
        "vestibotique saint-cloud",
        NONE,
        "vestiboutiques-maison-de-l-amitie-saint-cloud",
        "letter missing in a long word",
    ),
    ("vestiboutik saint-cloud", NONE, "vestiboutiques-maison-de-l-amitie-saint-cloud", "phonetic spelling"),
    // ---- prefixes while typing ----
    (
        "ress",
        NONE,
        "le-cercle-ressourcerie-nanterre|la-ptite-boutique-chaville|reseau-national-ressourceries-recycleries",
        "ressourcerie being typed",
    ),
    (
        "vesti",
        NONE,
        "croix-rouge-vestiboutiques|vestiboutiques-maison-de-l-amitie-saint-cloud|boutique-solidaire-croix-rouge-sceaux",
        "vestiboutique being typed",
    ),
    ("covoit", NONE, "blablacar|blablacar-daily|karos|mobicoop", "covoiturage being typed"),
    (
        "amap",
        NONE,
        "amap-agnette-gennevilliers|amap-boulogne-billancourt|amap-de-colombes|amap-de-la-garenne-clichy|amap-de-montrouge|amap-de-sceaux|amap-des-guignons-nanterre|amap-du-luth-gennevilliers|amap-du-mont-valerien-nanterre|amap-du-parc-nanterre|amap-solidaire-aux-ptits-pois-clamart|amap-village-gennevilliers|le-panier-d-albert-amap-garches|le-potager-de-puteaux-amap|miam-amap-malakoff|reseau-amap-ile-de-france",
        "an AMAP",
    ),
    ("amap gar", NONE, "le-panier-d-albert-amap-garches", "commune being typed"),
    ("epicerie sol", NONE, "epicerie-solidaire-courbevoie|epicerie-solidaire-puteaux", "second word being typed"),
    (
        "bicycl",
        NONE,
        "bicyclaide-courbevoie|bicyclaide-velo-ecole-gennevilliers|velo-ecole-mdb-colombes",
        "BicyclAide / bicyclette being typed",
    ),
    ("lokav", NONE, "lokaviz", "brand being typed"),
    ("kisskiss", NONE, "kisskissbankbank", "brand being typed"),
    ("crowdf", NONE, "ulule|kisskissbankbank", "tag being typed"),
    // ---- a commune in the query ----
    ("vélo colombes", NONE, "velo-ecole-mdb-colombes", "theme word + commune"),
    ("amap sceaux", NONE, "amap-de-sceaux", "amap + commune"),
    ("épicerie nanterre", NONE, "mon-epicerie-nanterre", "épicerie + commune"),
    ("repair café gennevilliers", NONE, "repair-cafe-du-luth-gennevilliers", "repair café + commune"),
    ("restos du cœur clamart", NONE, "restos-du-coeur-clamart", "name + commune"),
    (
        "jardin chatenay malabry",
        NONE,
        "coccinelles-et-vers-de-terre-chatenay-malabry",
        "commune without accent or hyphen",
    ),
    ("maison relais plessis robinson", NONE, "maison-relais-le-plessis-robinson", "commune without article or hyphen"),
    ("sel ville d'avray", NONE, "sel-de-versailles-ville-d-avray", "commune with an apostrophe"),
    ("coworking malakoff", NONE, "casaco-malakoff", "coworking + commune"),
    ("ludothèque issy", NONE, "ludotheque-issy-les-moulineaux", "start of a long commune name"),
    ("boîte à livres sceaux", NONE, "boites-a-livres-sceaux", "name + commune"),
    ("aide alimentaire colombes", NONE, "saint-vincent-de-paul-colombes", "tag + commune"),
    ("livres rueil", NONE, "cabines-a-livres-rueil-malmaison", "start of a compound commune"),
    // ---- hyphens and apostrophes ----
    ("tiers-lieu colombes", NONE, "le-14-tiers-lieu-colombes", "hyphenated word"),
    ("tiers lieu colombes", NONE, "le-14-tiers-lieu-colombes", "hyphen typed as a space"),
    ("tiers lieu malakoff", NONE, "la-treso-malakoff|les-fabriqueurs-malakoff", "hyphen typed as a space"),
    ("l'heureux cyclage", NONE, "l-heureux-cyclage", "apostrophe"),
    ("l heureux cyclage", NONE, "l-heureux-cyclage", "apostrophe typed as a space"),
    ("heureux cyclage", NONE, "l-heureux-cyclage", "article left out"),
    ("ptite echoppe", NONE, "ma-ptite-echoppe-antony", "P'tite typed without its apostrophe"),
    ("p'tits pois", NONE, "amap-solidaire-aux-ptits-pois-clamart", "apostrophe inside a word"),
    ("voisin age sceaux", NONE, "voisin-age-petits-freres-des-pauvres-sceaux", "Voisin'Âge with a space"),
    (
        "vélo-école",
        NONE,
        "velo-ecole-mdb-colombes|bicyclaide-velo-ecole-gennevilliers|ecole-a-velo-adultes-chaville",
        "hyphenated tag",
    ),
    ("saint-vincent-de-paul", NONE, "saint-vincent-de-paul-colombes", "hyphenated name"),
    ("fab lab bagneux", NONE, "fablab-lisette-bagneux|r-urban-bagneux", "two words"),
    ("fablab", NONE, "fablab-lisette-bagneux|faclab-gennevilliers", "one word for \"fab lab\""),
    ("entretien d'embauche", NONE, "la-cravate-solidaire", "apostrophe in a tag"),
    // ---- names of organisations ----
    ("croix-rouge microcrédit", NONE, "croix-rouge-microcredit-personnel", "organisation + service"),
    ("secours populaire sèvres", NONE, "secours-populaire-sevres", "organisation + commune"),
    ("petits frères des pauvres", NONE, "petits-freres-des-pauvres", "organisation name"),
    ("habitat et humanisme", NONE, "habitat-et-humanisme", "organisation name with a stop word"),
    ("emmaüs", NONE, "emmaus-france|emmaus-connect|label-emmaus", "organisation"),
    ("emmaus connect", NONE, "emmaus-connect", "organisation without accent"),
    ("ancv seniors", NONE, "ancv-seniors-en-vacances", "acronym + word"),
    ("la nef", NONE, "la-nef", "short name with an article"),
    ("too good to go", NONE, "too-good-to-go", "English brand"),
    ("france active", NONE, "france-active-metropole", "organisation name"),
    ("cafe des bricoleurs", NONE, "cafe-des-bricoleurs-nanterre", "name without accents"),
    ("vacaf", NONE, "caf-92-vacaf", "scheme name"),
    // ---- tags ----
    ("surendettement", NONE, "cresus-ile-de-france|points-conseil-budget", "tag"),
    ("garantie de loyer", NONE, "visale", "tag"),
    ("échange de maison", NONE, "homeexchange|switchome|anolle", "tag"),
    ("invendus", NONE, "too-good-to-go|phenix|les-glaneurs-suresnes", "tag"),
    ("glanage", NONE, "les-glaneurs-suresnes", "tag"),
    ("antivol", NONE, "bicycode-fub", "tag"),
    ("colocation solidaire", NONE, "kaps-afev-nanterre", "tag"),
    ("tenue professionnelle", NONE, "la-cravate-solidaire", "tag"),
    (
        "logement intergénérationnel",
        NONE,
        "cohabilis|le-pari-solidaire|ensemble2generations-hauts-de-seine|residence-intergenerationnelle-carmen-gerard-gennevilliers",
        "tag",
    ),
    ("électroménager", NONE, "ecosystem|envie|repair-cafe-chatillon", "tag"),
    // ---- synonyms (assets/synonyms.txt) ----
    ("fringues saint cloud", NONE, "vestiboutiques-maison-de-l-amitie-saint-cloud", "fringues = vêtements"),
    (
        "fringues occasion",
        NONE,
        "croix-rouge-vestiboutiques|vestiboutiques-maison-de-l-amitie-saint-cloud|vinted|label-emmaus|emmaus-france",
        "fringues = vêtements",
    ),
    ("bouffe nanterre", NONE, "restos-du-coeur-nanterre|mon-epicerie-nanterre", "bouffe = alimentaire"),
    ("habits sceaux", NONE, "boutique-solidaire-croix-rouge-sceaux", "habits = vêtements"),
    ("bicyclette sceaux", NONE, "le-triporteur-sceaux", "bicyclette = vélo"),
    ("boulot chaville", NONE, "espaces-insertion-chaville|active-presence-chaville", "boulot = emploi"),
    (
        "jardin meudon",
        NONE,
        "potager-municipal-des-sablons-meudon|potager-municipal-meudon-la-foret|potager-municipal-meudon-sur-seine|potager-municipal-val-fleury-meudon",
        "jardin = potager",
    ),
    ("mobilier", NONE, "emmaus-france", "mobilier = meubles"),
    ("réparer vélo sceaux", NONE, "le-triporteur-sceaux", "réparer = réparation"),
    // ---- English theme words ----
    ("food garches", NONE, "le-panier-d-albert-amap-garches", "English theme label"),
    ("clothing sceaux", NONE, "boutique-solidaire-croix-rouge-sceaux", "English theme label"),
    ("housing sevres", NONE, "maison-relais-sevres", "English theme label"),
    ("holidays antony", NONE, "oeuvre-educative-populaire-antony", "English theme label"),
    ("food", commune("garches"), "le-panier-d-albert-amap-garches", "English theme label, commune filter"),
    ("clothing", commune("92064"), "vestiboutiques-maison-de-l-amitie-saint-cloud", "English label, INSEE filter"),
    // ---- what a visitor asks for, in their words ----
    (
        "epicerie",
        NONE,
        "epicerie-solidaire-courbevoie|epicerie-solidaire-puteaux|mon-epicerie-nanterre|etoile-solidaire-najma-asnieres|l-intervalle-croix-rouge-rueil-malmaison",
        "one word",
    ),
    (
        "epi",
        NONE,
        "epicerie-solidaire-courbevoie|epicerie-solidaire-puteaux|mon-epicerie-nanterre|etoile-solidaire-najma-asnieres|l-intervalle-croix-rouge-rueil-malmaison",
        "first letters",
    ),
    (
        "apprendre le vélo",
        NONE,
        "velo-ecole-mdb-colombes|ecole-a-velo-adultes-chaville|bicyclaide-velo-ecole-gennevilliers",
        "a need, in words",
    ),
    ("vélo électrique", NONE, "veligo-location", "tag"),
    ("trottinette", NONE, "atelier-solidaire-idsu-chatenay-malabry", "tag"),
    ("velib", NONE, "velib-metropole", "brand without accent"),
    ("prêt d'objets", NONE, "mutum|pumpipumpe", "tag with apostrophe"),
    ("logement étudiant", NONE, "lokaviz|kaps-afev-nanterre", "tag"),
    ("sans abri", NONE, "entourage", "hyphenated tag typed with a space"),
    ("chômage", NONE, "assol-maison-des-chomeurs-nanterre|territoires-zero-chomeur", "tag"),
    ("alphabétisation", NONE, "femmes-relais-boulogne-billancourt", "tag"),
    (
        "personnes âgées isolement",
        NONE,
        "monalisa|petits-freres-des-pauvres|voisin-age-petits-freres-des-pauvres-antony|voisin-age-petits-freres-des-pauvres-rueil-malmaison|voisin-age-petits-freres-des-pauvres-sceaux|granny-and-charly",
        "two tags",
    ),
    ("pass culture", NONE, "pass-culture", "name"),
    ("cravate", NONE, "la-cravate-solidaire", "word of a name"),
    ("seniors vacances", NONE, "ancv-seniors-en-vacances", "words of a name, reordered"),
    (
        "sel",
        NONE,
        "sel-de-versailles-marnes-la-coquette|sel-de-versailles-vaucresson|sel-de-versailles-ville-d-avray|selidaire",
        "three-letter acronym",
    ),
    ("getting around clichy", NONE, "mobiclichy|solicycle-clichy", "English theme label of two words"),
    ("mutual help sceaux", NONE, "voisin-age-petits-freres-des-pauvres-sceaux", "English theme label"),
    ("leisure meudon", NONE, "ludotheque-de-meudon", "English theme label"),
    ("recyclerie nanterre", NONE, "le-cercle-ressourcerie-nanterre", "recyclerie and ressourcerie are the same thing"),
    (
        "ressourcerie gennevilliers",
        NONE,
        "la-fabric-a-recyclerie-gennevilliers",
        "ressourcerie and recyclerie are the same thing",
    ),
    ("aide alimentaire antony", NONE, "ma-ptite-echoppe-antony", "an épicerie solidaire is food aid"),
    ("co-voiturage", NONE, "blablacar|blablacar-daily|karos|mobicoop", "hyphenated spelling"),
    ("co voiturage", NONE, "blablacar|blablacar-daily|karos|mobicoop", "split spelling"),
    // ---- filters ----
    ("atelier", both("se-deplacer", "sceaux"), "le-triporteur-sceaux", "theme and commune filters"),
    ("réparation", both("s-equiper", "sceaux"), "repair-cafe-phenix-sceaux", "theme and commune filters"),
    (
        "centre social",
        commune("asnieres sur seine"),
        "centre-socioculturel-louise-michel-asnieres|centre-socioculturel-yannick-noah-asnieres",
        "commune filter without accents",
    ),
    (
        "potager",
        commune("chatenay malabry"),
        "coccinelles-et-vers-de-terre-chatenay-malabry",
        "commune filter without accents",
    ),
    ("covoiturage", theme("partir-en-vacances"), "blablacar", "theme filter"),
    ("vélo", both("travailler", "92023"), "arpeije-rayon-vert-clamart", "theme filter + INSEE code"),
];

fn search_top(
    index: &mut SearchIndex,
    query: &str,
    filters: Filters,
    limit: usize,
) -> (Vec<String>, wic::search::MatchMode) {
    let reference = index.reference().clone();
    let request = SearchRequest {
        text: query.to_string(),
        theme: filters.theme.map(str::to_string),
        commune: filters
            .commune
            .map(|c| reference.find_commune(c).unwrap_or_else(|| panic!("{c} is not a commune")).insee.clone()),
        online: None,
        free_only: false,
        limit,
    };
    let results = index.search(&request).unwrap_or_else(|e| panic!("search {query:?} failed: {e}"));
    let hits = results.load_all().expect("load hits");
    (hits.into_iter().map(|(_, i)| i.id).collect(), results.mode)
}

#[test]
fn relevance_suite_on_the_seed_catalogue() {
    assert!(CASES.len() >= 60, "the suite must hold at least 60 queries");
    let dir = TestDir::new();
    let data = dir.prepare();
    let mut index = SearchIndex::open(&data.search_dir()).expect("open the index");

    // Every expected id must exist: a typo in this table must not pass as a "miss".
    let ids: std::collections::HashSet<String> =
        data.open_read().unwrap().all().unwrap().into_iter().map(|i| i.id).collect();
    for (q, _, expected, _) in CASES {
        for id in expected.split('|') {
            assert!(ids.contains(id), "row {q:?} expects {id}, which is not in the seed catalogue");
        }
    }

    let mut misses = Vec::new();
    for &(query, filters, expected, why) in CASES {
        let (top, mode) = search_top(&mut index, query, filters, 5);
        let wanted: Vec<&str> = expected.split('|').collect();
        let hit = top.iter().take(3).any(|id| wanted.contains(&id.as_str()));
        if !hit {
            let f = match (filters.theme, filters.commune) {
                (None, None) => String::new(),
                (t, c) => format!(" [theme {t:?}, commune {c:?}]"),
            };
            misses.push(format!(
                "  MISS {query:?}{f} ({why}): expected {expected}\n       got ({mode:?}): {}",
                if top.is_empty() { "nothing".to_string() } else { top.join(", ") }
            ));
        }
    }
    let found = CASES.len() - misses.len();
    println!("relevance: {found}/{} queries with the expected initiative in the top 3", CASES.len());
    for m in &misses {
        println!("{m}");
    }
    assert!(
        misses.is_empty(),
        "relevance: {found}/{} queries with the expected initiative in the top 3\n{}",
        CASES.len(),
        misses.join("\n")
    );
}

/// The seeds hold no "aujourd'hui": an initiative that has one shows that an apostrophe typed
/// as a space, or left out, still finds it.
#[test]
fn apostrophes_typed_as_spaces_or_left_out() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let file = dir.file(
        "aujourdhui.csv",
        "id,name,themes,commune\ntest-aujourd-hui,Aujourd'hui pour demain,s-entraider,Bagneux\n",
    );
    dir.wic(&["import", file.to_str().unwrap()]).assert_code(0);
    let mut index = SearchIndex::open(&data.search_dir()).unwrap();
    for q in ["aujourd'hui", "aujourd hui", "aujourd’hui pour demain", "aujourd", "Aujourd'hui bagneux"] {
        let (top, _) = search_top(&mut index, q, NONE, 3);
        assert_eq!(top.first().map(String::as_str), Some("test-aujourd-hui"), "query {q:?} gave {top:?}");
    }
}

fn search_json(dir: &TestDir, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = dir.wic(&all);
    run.assert_code(0);
    match run.json() {
        serde_json::Value::Array(items) => items,
        other => panic!("`wic search --json` printed {other}, not an array"),
    }
}

#[test]
fn search_json_prints_best_first_objects() {
    let dir = TestDir::new();
    dir.prepare();
    let hits = search_json(&dir, &["vélo", "--limit", "8"]);
    assert_eq!(hits.len(), 8, "--limit 8 with more than 8 matches");
    let mut last = f64::INFINITY;
    for h in &hits {
        let id = h["id"].as_str().expect("id is a string");
        assert!(!id.is_empty());
        assert!(h["name"].as_str().is_some_and(|n| !n.is_empty()), "{h}");
        let themes = h["themes"].as_array().expect("themes is an array");
        assert!(!themes.is_empty() && themes.iter().all(|t| t.is_string()), "{h}");
        assert!(h["commune"].is_string(), "{h}");
        let score = h["score"].as_f64().expect("score is a number");
        assert!(score > 0.0, "{h}");
        assert!(score <= last, "scores must not increase: {score} after {last}");
        last = score;
        assert_eq!(h["relaxed"], false, "every word matched: {h}");
    }
    // A commune is given by name, and an online service has none.
    let velo = search_json(&dir, &["vélo", "colombes"]);
    assert_eq!(velo[0]["id"], "velo-ecole-mdb-colombes");
    assert_eq!(velo[0]["commune"], "Colombes");
    assert_eq!(velo[0]["themes"], serde_json::json!(["se-deplacer"]));
    let blabla = search_json(&dir, &["blablacar", "daily"]);
    assert_eq!(blabla[0]["id"], "blablacar-daily");
    assert_eq!(blabla[0]["commune"], "");
    // Several words may be given as one argument or several.
    let one = search_json(&dir, &["amap sceaux"]);
    let many = search_json(&dir, &["amap", "sceaux"]);
    assert_eq!(one, many);
}

#[test]
fn search_with_no_full_match_returns_relaxed_results() {
    let dir = TestDir::new();
    dir.prepare();
    let hits = search_json(&dir, &["amap", "xylophonique"]);
    assert!(!hits.is_empty(), "the closest results are shown");
    assert!(hits.iter().all(|h| h["relaxed"] == true), "{hits:?}");
    assert!(hits.iter().take(3).all(|h| h["id"].as_str().unwrap().contains("amap")), "{hits:?}");
    let plain = dir.wic(&["search", "amap", "xylophonique"]);
    plain.assert_code(0);
    assert!(plain.stdout.starts_with("Aucun résultat ne contient tous les mots"), "{}", plain.stdout);

    let none = search_json(&dir, &["qwxzvbnmq"]);
    assert!(none.is_empty(), "nothing at all: {none:?}");
}

#[test]
fn search_filters_restrict_results() {
    let dir = TestDir::new();
    dir.prepare();
    let all = search_json(&dir, &["vélo", "--limit", "100"]);
    assert!(all.iter().any(|h| h["commune"] != "Châtenay-Malabry"));

    for commune in ["chatenay malabry", "Châtenay-Malabry", "92019", "92290"] {
        let hits = search_json(&dir, &["vélo", "--commune", commune, "--limit", "100"]);
        let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["atelier-solidaire-idsu-chatenay-malabry"], "--commune {commune:?}");
    }
    let colombes = search_json(&dir, &["--commune", "92025", "--limit", "100"]);
    assert!(colombes.len() >= 4, "{colombes:?}");
    assert!(colombes.iter().all(|h| h["commune"] == "Colombes"), "{colombes:?}");
    assert!(colombes.iter().any(|h| h["id"] == "amap-de-colombes"));

    let theme = search_json(&dir, &["vélo", "--theme", "travailler", "--limit", "100"]);
    assert!(!theme.is_empty());
    assert!(theme.len() < all.len());
    for h in &theme {
        assert!(h["themes"].as_array().unwrap().iter().any(|t| t == "travailler"), "{h}");
    }
    let ids: Vec<&str> = theme.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"arpeije-rayon-vert-clamart") && ids.contains(&"solicycle-clichy"), "{ids:?}");

    let both = search_json(&dir, &["--theme", "se-nourrir", "--commune", "sceaux", "--limit", "100"]);
    let ids: Vec<&str> = both.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["amap-de-sceaux"]);
}

#[test]
fn unknown_theme_or_commune_is_a_usage_error() {
    let dir = TestDir::new();
    dir.prepare();
    let run = dir.wic_in("en", &["search", "vélo", "--theme", "se-baigner", "--json"]);
    run.assert_code(2);
    assert!(run.stderr.contains("unknown theme \"se-baigner\""), "{}", run.stderr);
    assert!(run.stderr.contains("se-nourrir"), "lists the known themes: {}", run.stderr);
    assert!(run.stdout.is_empty());

    let run = dir.wic_in("en", &["search", "vélo", "--commune", "Paris"]);
    run.assert_code(2);
    assert!(run.stderr.contains("is not a commune of the Hauts-de-Seine"), "{}", run.stderr);
}
