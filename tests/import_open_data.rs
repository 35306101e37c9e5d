//! The open-data importers through the public API.
//!
//! Two kinds of input. Our own fixtures, invented but realistic and labelled synthetic
//! (`tests/fixtures/datainclusion/`, `tests/fixtures/hsds/`), so that a lone clone tests every
//! importer. And the examples the standards' authors publish (Open Referral's HSDS 3.0
//! examples, data·inclusion's vocabularies), which are not ours to redistribute: they are read
//! from the team's reference copy `../shared/data/examples/` beside the repository, and the
//! tests that need them say "skipped" and pass when it is absent.

use std::path::{Path, PathBuf};

use wic::catalogue::import::{self, Format};
use wic::catalogue::{ImportError, ImportReport, Initiative, Reference, Store, import_files};

/// `../shared/data/examples` beside the repository, or `None` (and a line saying the test
/// is skipped) when this clone has no such neighbour.
fn shared_examples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/examples");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/data/examples not found");
        None
    }
}

/// Open Referral's `examples/` (CC BY-SA 4.0), from the shared reference copy.
fn hsds_examples() -> Option<PathBuf> {
    shared_examples().map(|d| d.join("hsds/examples"))
}

/// Open Referral's `docs/figures/field-guidance/` (realistic schedules), from the shared copy.
fn hsds_docs() -> Option<PathBuf> {
    shared_examples().map(|d| d.join("hsds/docs/figures/field-guidance"))
}

/// Our synthetic HSDS fixtures.
fn hsds_ours() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds")
}

fn di_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/datainclusion")
}

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_write(&dir.path().join("catalogue.db")).unwrap();
    store.seed_reference(&Reference::embedded().unwrap()).unwrap();
    (dir, store)
}

fn import(store: &mut Store, path: &Path, format: Format) -> Result<ImportReport, ImportError> {
    import_files(store, &[path.to_path_buf()], &wic::catalogue::ImportOptions { format, ..Default::default() })
}

fn get(store: &Store, id: &str) -> Initiative {
    store.get(id).unwrap().unwrap_or_else(|| panic!("{id} not imported"))
}

fn names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store.all().unwrap().into_iter().map(|i| i.name).collect();
    names.sort();
    names
}

fn assert_reported(report: &ImportReport, expected: &str) {
    assert!(
        report.unmapped.iter().any(|line| line.contains(expected)),
        "no unmapped line contains {expected:?}:\n{}",
        report.unmapped.join("\n")
    );
}

const COUNSELLING_ID: &str = "hsds-ac148810-d857-441c-9679-408f346de14b";

/// Every HSDS example holding services or organizations, with the initiatives it must give.
fn hsds_cases() -> Option<Vec<(PathBuf, Vec<&'static str>)>> {
    let ex = hsds_examples()?;
    Some(vec![
        (ex.join("service_full.json"), vec!["Community Counselling"]),
        (ex.join("organization_full.json"), vec!["Community Counselling"]),
        (ex.join("service_at_location_full.json"), vec!["Community Counselling"]),
        (ex.join("service_list.json"), vec!["Community Counselling"]),
        (ex.join("service_at_location_list.json"), vec!["Community Counselling"]),
        (ex.join("organization_list.json"), vec!["Example Organization Inc."]),
        (ex.join("tabular.json"), vec!["Community Counselling"]),
        (ex.join("csv"), vec!["Community Counselling"]),
        (ex.join("csv/datapackage.json"), vec!["Community Counselling"]),
    ])
}

#[test]
fn every_hsds_example_imports_as_hsds_without_problems() {
    let Some(cases) = hsds_cases() else { return };
    for (path, expected) in cases {
        let (_dir, mut store) = new_store();
        let report =
            import(&mut store, &path, Format::Hsds).unwrap_or_else(|e| panic!("{}: {e}: {:#?}", path.display(), e));
        assert_eq!(report.counts.added, expected.len(), "{}", path.display());
        assert_eq!(names(&store), expected, "{}", path.display());
    }
}

#[test]
fn every_hsds_example_is_detected_and_imports_with_auto() {
    let Some(cases) = hsds_cases() else { return };
    for (path, expected) in cases {
        assert_eq!(import::detect(&path).unwrap(), Format::Hsds, "{}", path.display());
        let (_dir, mut store) = new_store();
        let report = import(&mut store, &path, Format::Auto).unwrap_or_else(|e| panic!("{}: {e:#?}", path.display()));
        assert_eq!(report.files[0].1, Format::Hsds);
        assert_eq!(names(&store), expected, "{}", path.display());
    }
}

#[test]
fn hsds_lists_and_service_at_location_are_detected() {
    let Some(ex) = hsds_examples() else { return };
    for name in [
        "service_list.json",
        "organization_list.json",
        "service_at_location_list.json",
        "service_at_location_full.json",
    ] {
        assert_eq!(import::detect(&ex.join(name)).unwrap(), Format::Hsds, "{name}");
    }
}

#[test]
fn hsds_service_full_maps_its_fields() {
    let Some(ex) = hsds_examples() else { return };
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &ex.join("service_full.json"), Format::Hsds).unwrap();
    let i = get(&store, COUNSELLING_ID);
    assert_eq!(i.summary, "Counselling Services provided by trained professionals.");
    assert!(i.description.starts_with("Counselling Services provided by trained professionals. Suitable"));
    // "counselling" is in our keyword table: mutual help, not the fallback.
    assert_eq!(i.themes, vec!["s-entraider"]);
    assert_eq!(i.website, "http://example.com/counselling");
    assert_eq!(i.email, "email@example.com");
    // The quotes around the published number are stripped; it is an international number.
    assert_eq!(i.phone, "+441234234567");
    assert_eq!(i.status, "actif");
    assert_eq!(i.updated, "2023-03-15", "the later of last_modified and assured_date");
    assert_eq!(i.opening_hours, "Th,Fr 10:00-18:00");
    assert_eq!(i.languages, vec!["ur"]);
    assert_eq!(i.price, "payant", "cost_options give an amount");
    assert_eq!(i.accessibility, vec!["pmr", "malentendants"]);
    assert_eq!(i.source, "HSDS: Example Organization Inc.");
    // MyCity, US: not one of ours, so no place at all (latitude 100 is not even valid).
    assert_eq!((i.commune.as_str(), i.address.as_str(), i.latitude), ("", "", None));

    assert_reported(&report, "service_full.json:1: place MyCity (US): outside the Hauts-de-Seine, not kept");
    assert_reported(&report, "service_full.json:1: field fees_description: not mapped");
    assert_reported(&report, "service_full.json:1: field wait_time: not mapped");
    assert_reported(&report, "service_full.json:1: organization field legal_status: not mapped");
    assert_reported(&report, "schedule field bymonthday: not mapped");
    assert_reported(&report, "taxonomy term \"name code\": no theme of ours");
}

#[test]
fn hsds_nested_service_reports_its_own_line() {
    let Some(ex) = hsds_examples() else { return };
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &ex.join("organization_full.json"), Format::Hsds).unwrap();
    let text = std::fs::read_to_string(ex.join("organization_full.json")).unwrap();
    let line = text.lines().position(|l| l.contains("\"services\": [")).unwrap() + 2;
    assert_reported(&report, &format!("organization_full.json:{line}: field wait_time: not mapped"));
}

#[test]
fn hsds_organization_without_services_falls_back_to_mutual_help() {
    let Some(ex) = hsds_examples() else { return };
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &ex.join("organization_list.json"), Format::Hsds).unwrap();
    let i = get(&store, "hsds-d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
    assert_eq!(i.themes, vec!["s-entraider"]);
    assert_eq!(i.website, "http://example.com");
    assert_eq!(i.source, "HSDS: Example Organization Inc.");
    assert_reported(
        &report,
        "organization_list.json:10: no theme of ours for \"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610\"",
    );
}

#[test]
fn hsds_csv_package_joins_its_tables() {
    let Some(ex) = hsds_examples() else { return };
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &ex.join("csv"), Format::Hsds).unwrap();
    let i = get(&store, COUNSELLING_ID);
    assert_eq!(i.phone, "+441234234567");
    assert_eq!(i.opening_hours, "Th,Fr 10:00-18:00");
    assert_eq!(i.languages, vec!["ur"]);
    assert_eq!(i.accessibility, vec!["pmr", "malentendants"]);
    assert_eq!(i.price, "payant");
    assert_eq!(i.source, "HSDS: Example Organization Inc.");
    assert_eq!(i.updated, "2023-03-15");
    assert_reported(&report, "services.csv:2: place MyCity (US): outside the Hauts-de-Seine");
    assert_reported(&report, "contacts.csv:2: table contacts.csv: not mapped (1 rows)");
    assert_reported(&report, "funding.csv:2: table funding.csv: not mapped");
}

#[test]
fn hsds_schedules_become_opening_hours() {
    let Some(docs) = hsds_docs() else { return };
    let (_dir, mut store) = new_store();
    import(&mut store, &docs.join("schedules/services.json"), Format::Auto).unwrap();
    let i = get(&store, COUNSELLING_ID);
    assert_eq!(i.opening_hours, "Mo-Th 09:00-12:00,15:00-17:00; Sa[1] 09:00-17:00");
}

#[test]
fn hsds_files_without_services_are_refused() {
    let Some(ex) = hsds_examples() else { return };
    for name in ["location.json", "taxonomy.json", "base.json"] {
        let (_dir, mut store) = new_store();
        match import(&mut store, &ex.join(name), Format::Hsds) {
            Err(ImportError::Invalid(problems)) => {
                assert_eq!(problems.len(), 1, "{name}");
                assert_eq!(problems[0].reason, "no HSDS service or organization found", "{name}");
            }
            other => panic!("{name}: expected Invalid, got {other:?}"),
        }
        assert_eq!(store.count().unwrap(), 0);
    }
}

#[test]
fn hsds_ids_are_stable_across_imports() {
    let Some(ex) = hsds_examples() else { return };
    let (_dir, mut store) = new_store();
    let path = ex.join("service_full.json");
    import(&mut store, &path, Format::Hsds).unwrap();
    let version = store.version().unwrap();
    let again = import(&mut store, &path, Format::Hsds).unwrap();
    assert_eq!((again.counts.added, again.counts.updated, again.counts.unchanged), (0, 0, 1));
    assert_eq!(store.version().unwrap(), version);
}

#[test]
fn datainclusion_services_map_onto_our_fields() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &di_fixtures().join("services.json"), Format::Datainclusion).unwrap();
    assert_eq!(report.counts.added, 6);

    let epicerie = get(&store, "fixture-fixture-epicerie-le-panier");
    assert_eq!(epicerie.name, "Épicerie solidaire Le Panier");
    assert_eq!(
        epicerie.summary,
        "Épicerie solidaire où les familles orientées par un travailleur social achètent leurs courses à petit prix."
    );
    assert_eq!(epicerie.themes, vec!["se-nourrir"]);
    assert_eq!(epicerie.actions, vec!["don"]);
    assert_eq!(epicerie.price, "payant");
    assert_eq!(epicerie.access, "orientation");
    assert_eq!(epicerie.audience, vec!["familles", "beneficiaires-minima"]);
    assert!(!epicerie.online);
    assert_eq!(epicerie.opening_hours, "Tu,Th 14:00-18:00; Sa 10:00-12:30");
    assert_eq!(epicerie.commune, "92050");
    assert_eq!(epicerie.postcode, "92000");
    assert_eq!(epicerie.address, "12 rue des Tilleuls, Rez-de-chaussée");
    assert_eq!((epicerie.latitude, epicerie.longitude), (Some(48.8924), Some(2.2069)));
    assert_eq!(epicerie.phone, "01 47 00 00 01");
    assert_eq!(epicerie.email, "epicerie@example.org");
    assert_eq!(epicerie.website, "https://example.org/services/epicerie-le-panier");
    assert_eq!(epicerie.updated, "2025-03-10");
    assert_eq!(epicerie.source, "data·inclusion: fixture (https://example.org/services/epicerie-le-panier)");

    let vestiaire = get(&store, "fixture-fixture-vestiaire-fil-solidaire");
    assert_eq!((vestiaire.themes.clone(), vestiaire.price.as_str()), (vec!["s-habiller".to_string()], "gratuit"));
    assert_eq!(vestiaire.audience, vec!["tous"]);
    assert_eq!(vestiaire.phone, "01 47 00 00 02");
    assert_eq!(vestiaire.commune, "92025");

    let velo = get(&store, "fixture-fixture-atelier-velo-roue-libre");
    assert_eq!(velo.themes, vec!["se-deplacer"]);
    // The producer wrote "le samedi de 10h à 13h": French hours, converted to OSM.
    assert_eq!(velo.opening_hours, "Sa 10:00-13:00", "French hours converted");
    assert!(velo.actions.is_empty(), "an atelier is no type of action of ours");

    let budget = get(&store, "fixture-fixture-conseil-budget-a-distance");
    assert!(budget.online);
    assert_eq!(budget.themes, vec!["se-financer"]);
    assert_eq!(budget.actions, vec!["accompagnement"]);
    assert_eq!(budget.commune, "");
    assert_eq!(budget.opening_hours, "Mo-Fr 09:00-12:00,13:30-17:00; PH off");

    let paris = get(&store, "fixture-fixture-logement-jeunes-paris");
    assert_eq!(paris.themes, vec!["se-loger"]);
    assert_eq!((paris.commune.as_str(), paris.postcode.as_str(), paris.address.as_str()), ("", "", ""));
    assert_eq!(paris.latitude, None);

    let sante = get(&store, "fixture-fixture-permanence-sante");
    assert_eq!(sante.themes, vec!["s-entraider"], "no theme of ours: the reported fallback");
    assert_eq!(sante.commune, "92012");
}

#[test]
fn datainclusion_report_says_what_was_not_mapped() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &di_fixtures().join("services.json"), Format::Auto).unwrap();
    assert_eq!(report.files[0].1, Format::Datainclusion);
    assert_reported(
        &report,
        "services.json:2: thematiques \"numerique--acceder-a-une-connexion-internet\": no theme of ours",
    );
    assert_reported(&report, "services.json:2: publics \"femmes\": no audience of ours");
    assert_reported(&report, "services.json:2: field zone_eligibilite: not mapped (2 records)");
    assert_reported(&report, "services.json:2: field conditions_acces: not mapped");
    // French hours are converted now (Sa 10:00-13:00), so they are not reported as dropped.
    assert!(!report.unmapped.iter().any(|l| l.contains("horaires_accueil")), "{:?}", report.unmapped);
    assert_reported(&report, "services.json:76: type \"atelier\": no type of action of ours");
    assert_reported(&report, "services.json:129: place code_insee 75056: outside the Hauts-de-Seine, not kept");
    assert_reported(&report, "services.json:154: thematiques \"sante--acces-aux-soins\": no theme of ours");
    assert_reported(
        &report,
        "services.json:154: no theme of ours for \"fixture--permanence-sante\": filed under s-entraider",
    );
    // One line per thing, however many records have it.
    let zone = report.unmapped.iter().filter(|l| l.contains("zone_eligibilite")).count();
    assert_eq!(zone, 1);
}

#[test]
fn datainclusion_structures_map_onto_our_fields() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &di_fixtures().join("structures.jsonl"), Format::Auto).unwrap();
    assert_eq!(report.files[0].1, Format::Datainclusion);
    assert_eq!(report.counts.added, 3);

    let ccas = get(&store, "fixture-fixture-ccas-rueil");
    assert_eq!(ccas.kind, "collectivite");
    assert_eq!(ccas.themes, vec!["se-nourrir", "se-loger"], "from its own words");
    assert_eq!(ccas.commune, "92063");
    assert_eq!(ccas.phone, "01 47 00 00 05");
    assert_eq!(ccas.website, "https://example.org/ccas-rueil");
    assert_eq!(ccas.opening_hours, "Mo-Fr 08:30-12:00,13:30-17:00");

    let ressourcerie = get(&store, "fixture-fixture-ressourcerie-issy");
    assert_eq!(ressourcerie.themes, vec!["s-equiper"], "from its network");
    assert_eq!(ressourcerie.commune, "92040", "found by its name");
    assert_eq!(ressourcerie.postcode, "92130");
    assert_eq!(ressourcerie.kind, "");
    assert_eq!(ressourcerie.website, "https://example.org/structures/ressourcerie-ile");

    let restos = get(&store, "fixture-fixture-restos-bagneux");
    assert_eq!((restos.kind.as_str(), restos.themes.clone()), ("association", vec!["se-nourrir".to_string()]));
    assert_eq!(restos.commune, "92007");

    assert_reported(&report, "structures.jsonl:1: field siret: not mapped");
    assert_reported(&report, "structures.jsonl:3: field accessibilite_lieu: not mapped");
}

#[test]
fn datainclusion_bad_file_names_file_line_and_field_and_changes_nothing() {
    let (_dir, mut store) = new_store();
    import(&mut store, &di_fixtures().join("structures.jsonl"), Format::Datainclusion).unwrap();
    let (version, count) = (store.version().unwrap(), store.count().unwrap());

    let path = di_fixtures().join("services-bad.json");
    let problems = match import(&mut store, &path, Format::Auto) {
        Err(ImportError::Invalid(problems)) => problems,
        other => panic!("expected Invalid, got {other:?}"),
    };
    let found: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(found, vec![(14, "name"), (24, "id"), (32, "email")], "{problems:#?}");
    assert!(problems.iter().all(|p| p.file == path.display().to_string()));
    assert_eq!(problems[0].reason, "required");
    assert_eq!(problems[1].value, "e", "the slug of \"é-!\" is too short");
    assert_eq!(problems[2].value, "contact(at)example");
    assert!(problems[0].to_string().ends_with("services-bad.json:14: field name: required"));

    assert_eq!(store.version().unwrap(), version);
    assert_eq!(store.count().unwrap(), count);
}

#[test]
fn detection_picks_the_open_data_formats() {
    assert_eq!(import::detect(&di_fixtures().join("services.json")).unwrap(), Format::Datainclusion);
    assert_eq!(import::detect(&di_fixtures().join("structures.jsonl")).unwrap(), Format::Datainclusion);
    assert_eq!(import::detect(&di_fixtures().join("services-bad.json")).unwrap(), Format::Datainclusion);
    for name in ["service_full.json", "organization_full.json", "service_list.json", "organization_list.json", "csv"] {
        assert_eq!(import::detect(&hsds_ours().join(name)).unwrap(), Format::Hsds, "{name}");
    }
    assert_eq!(import::detect(&hsds_ours().join("csv/datapackage.json")).unwrap(), Format::Hsds);
}

#[test]
fn published_examples_are_detected_as_hsds() {
    let (Some(ex), Some(docs)) = (hsds_examples(), hsds_docs()) else { return };
    assert_eq!(import::detect(&ex.join("service_full.json")).unwrap(), Format::Hsds);
    assert_eq!(import::detect(&ex.join("csv")).unwrap(), Format::Hsds);
    assert_eq!(import::detect(&docs.join("schedules/services.json")).unwrap(), Format::Hsds);
}

// ---------------------------------------------------------------------------------------
// Our synthetic HSDS fixtures: always run.
// ---------------------------------------------------------------------------------------

const EPICERIE_ID: &str = "hsds-5a1f0c2e-7d4b-4e8a-9c31-0b6e2f9d1a01";

#[test]
fn synthetic_hsds_shapes_import_with_auto() {
    let cases: [(&str, &[&str]); 5] = [
        ("service_full.json", &["Épicerie solidaire du Parc"]),
        ("organization_full.json", &["Atelier vélo", "Vestiaire solidaire"]),
        ("service_list.json", &["Cours de français pour adultes", "Logement temporaire pour jeunes"]),
        ("organization_list.json", &["Ressourcerie de l'Île"]),
        ("csv", &["Jardin partagé des Coteaux", "Jardin partagé du Bel-Air", "Repair Café de Sèvres"]),
    ];
    for (name, expected) in cases {
        let path = hsds_ours().join(name);
        let (_dir, mut store) = new_store();
        let report = import(&mut store, &path, Format::Auto).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        assert_eq!(report.files[0].1, Format::Hsds, "{name}");
        assert_eq!(names(&store), expected, "{name}");
    }
}

#[test]
fn synthetic_hsds_service_maps_its_fields() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_ours().join("service_full.json"), Format::Hsds).unwrap();
    let i = get(&store, EPICERIE_ID);
    assert_eq!(i.summary, "Épicerie solidaire où les familles orientées par le CCAS font leurs courses à petit prix.");
    assert!(i.description.ends_with("le premier samedi du mois."));
    assert_eq!(i.themes, vec!["se-nourrir"], "from the taxonomy term");
    assert_eq!(i.status, "actif");
    assert_eq!(i.updated, "2026-05-20", "the later of last_modified and assured_date");
    assert_eq!((i.commune.as_str(), i.postcode.as_str()), ("92050", "92000"));
    assert_eq!(i.address, "12 rue des Tilleuls, Rez-de-chaussée");
    assert_eq!((i.latitude, i.longitude), (Some(48.8924), Some(2.2069)));
    assert_eq!(i.phone, "01 47 00 00 11");
    assert_eq!(i.email, "epicerie-du-parc@example.org");
    assert_eq!(i.website, "https://example.org/epicerie-du-parc");
    assert_eq!(i.opening_hours, "Tu,Th 14:00-18:00; Sa[1] 10:00-12:00");
    assert_eq!(i.languages, vec!["fr", "ar"]);
    assert_eq!(i.price, "payant");
    assert_eq!(i.accessibility, vec!["pmr"]);
    assert_eq!(i.source, "HSDS: Association Le Panier du Parc");
    assert_reported(&report, "service_full.json:1: phone extension 12: not mapped");
    assert_reported(&report, "service_full.json:1: schedule field description: not mapped");
    assert_reported(&report, "service_full.json:1: field fees_description: not mapped");
    assert_reported(&report, "service_full.json:1: field wait_time: not mapped");
    assert_reported(&report, "service_full.json:1: organization field legal_status: not mapped");
}

#[test]
fn synthetic_hsds_organization_gives_its_services_its_place_and_contacts() {
    let (_dir, mut store) = new_store();
    let path = hsds_ours().join("organization_full.json");
    let report = import(&mut store, &path, Format::Hsds).unwrap();
    let vestiaire = get(&store, "hsds-b1c2d3e4-0005-4f5a-8b6c-7d8e9f0a0005");
    assert_eq!(vestiaire.themes, vec!["s-habiller"]);
    assert_eq!((vestiaire.commune.as_str(), vestiaire.address.as_str()), ("92025", "4 place du Marché"));
    assert_eq!(vestiaire.phone, "01 47 00 00 21", "the organization's phone");
    assert_eq!(vestiaire.website, "https://example.net/solidarites-colombes");
    let velo = get(&store, "hsds-b1c2d3e4-0007-4f5a-8b6c-7d8e9f0a0007");
    assert_eq!(velo.status, "ferme-temporairement");
    assert_eq!(velo.commune, "92025");
    // The second nested service is reported at its own line.
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().position(|l| l.contains("\"application_process\"")).unwrap() - 4;
    assert_eq!(text.lines().nth(line - 1).unwrap().trim(), "{");
    assert_reported(&report, &format!("organization_full.json:{line}: field application_process: not mapped"));
}

#[test]
fn synthetic_hsds_page_keeps_only_places_of_the_departement() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_ours().join("service_list.json"), Format::Hsds).unwrap();
    let cours = get(&store, "hsds-c2d3e4f5-0001-4a6b-8c7d-9e0f1a2b0001");
    assert_eq!((cours.commune.as_str(), cours.themes.clone()), ("92012", vec!["travailler".to_string()]));
    let logement = get(&store, "hsds-c2d3e4f5-0005-4a6b-8c7d-9e0f1a2b0005");
    assert_eq!((logement.commune.as_str(), logement.address.as_str()), ("", ""));
    assert_eq!(logement.audience, vec!["jeunes"], "maximum_age 25");
    assert_reported(&report, "service_list.json:26: place postcode 75011: outside the Hauts-de-Seine, not kept");
}

#[test]
fn synthetic_hsds_organization_without_services_stands_for_itself() {
    let (_dir, mut store) = new_store();
    import(&mut store, &hsds_ours().join("organization_list.json"), Format::Hsds).unwrap();
    let i = get(&store, "hsds-d3e4f5a6-0001-4b7c-8d9e-0f1a2b3c0001");
    assert_eq!(i.themes, vec!["s-equiper"], "from its own words");
    assert_eq!(i.website, "https://example.com/ressourcerie");
    assert_eq!(i.source, "HSDS: Ressourcerie de l'Île");
}

#[test]
fn synthetic_hsds_csv_package_joins_its_tables() {
    for path in [hsds_ours().join("csv"), hsds_ours().join("csv/datapackage.json")] {
        let (_dir, mut store) = new_store();
        let report = import(&mut store, &path, Format::Hsds).unwrap();
        let jardin = get(&store, "hsds-f5a6b7c8-0003-4d9e-8f0a-1b2c3d4e0003");
        assert_eq!(jardin.summary, "Parcelles cultivées ensemble.");
        assert_eq!(jardin.themes, vec!["se-nourrir"]);
        assert_eq!((jardin.commune.as_str(), jardin.postcode.as_str()), ("92064", "92210"));
        assert_eq!(jardin.address, "8 allée des Coteaux");
        assert_eq!(jardin.phone, "01 47 00 00 31");
        assert_eq!(jardin.email, "jardins@example.org", "the organization's e-mail");
        assert_eq!(jardin.opening_hours, "We 14:00-18:00; Sa 09:30-12:30");
        assert_eq!(jardin.updated, "2026-04-11");
        let bel_air = get(&store, "hsds-f5a6b7c8-0004-4d9e-8f0a-1b2c3d4e0004");
        assert_eq!((bel_air.status.as_str(), bel_air.updated.as_str()), ("inactif", "2025-09-30"));
        assert_eq!(bel_air.website, "https://example.org/jardins", "the organization's website");
        let repair = get(&store, "hsds-f5a6b7c8-0002-4d9e-8f0a-1b2c3d4e0002");
        assert_eq!(repair.commune, "92072", "an organization without services, at its own location");
        // CRLF lines counted right; the literal `null` is no value.
        assert_reported(&report, "services.csv:2: location field name: not mapped");
        assert_reported(&report, "services.csv:3: field wait_time: not mapped");
        assert!(
            !report.unmapped.iter().any(|l| l.starts_with("services.csv:2: field wait_time")),
            "{:#?}",
            report.unmapped
        );
        assert_reported(&report, "funding.csv:2: table funding.csv: not mapped (1 rows)");
    }
}

#[test]
fn synthetic_hsds_without_services_is_refused_and_ids_are_stable() {
    let (_dir, mut store) = new_store();
    match import(&mut store, &hsds_ours().join("location.json"), Format::Hsds) {
        Err(ImportError::Invalid(problems)) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].reason, "no HSDS service or organization found");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(store.count().unwrap(), 0);
    let path = hsds_ours().join("service_full.json");
    import(&mut store, &path, Format::Hsds).unwrap();
    let version = store.version().unwrap();
    let again = import(&mut store, &path, Format::Hsds).unwrap();
    assert_eq!((again.counts.added, again.counts.updated, again.counts.unchanged), (0, 0, 1));
    assert_eq!(store.version().unwrap(), version);
}
