//! The open-data importers through the public API: data·inclusion fixtures written from the
//! v1 schema, and the HSDS 3.0 examples published by Open Referral, imported as they are.

use std::path::{Path, PathBuf};

use wic::catalogue::import::{self, Format};
use wic::catalogue::{ImportError, ImportReport, Initiative, Reference, Store, import_files};

fn hsds_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds/examples")
}

fn hsds_docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds/field-guidance")
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
    import_files(store, &[path.to_path_buf()], format, false, false)
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
fn hsds_cases() -> Vec<(PathBuf, Vec<&'static str>)> {
    let ex = hsds_examples();
    vec![
        (ex.join("service_full.json"), vec!["Community Counselling"]),
        (ex.join("organization_full.json"), vec!["Community Counselling"]),
        (ex.join("service_at_location_full.json"), vec!["Community Counselling"]),
        (ex.join("service_list.json"), vec!["Community Counselling"]),
        (ex.join("service_at_location_list.json"), vec!["Community Counselling"]),
        (ex.join("organization_list.json"), vec!["Example Organization Inc."]),
        (ex.join("tabular.json"), vec!["Community Counselling"]),
        (ex.join("csv"), vec!["Community Counselling"]),
        (ex.join("csv/datapackage.json"), vec!["Community Counselling"]),
    ]
}

#[test]
fn every_hsds_example_imports_as_hsds_without_problems() {
    for (path, expected) in hsds_cases() {
        let (_dir, mut store) = new_store();
        let report =
            import(&mut store, &path, Format::Hsds).unwrap_or_else(|e| panic!("{}: {e}: {:#?}", path.display(), e));
        assert_eq!(report.counts.added, expected.len(), "{}", path.display());
        assert_eq!(names(&store), expected, "{}", path.display());
    }
}

#[test]
fn every_hsds_example_is_detected_and_imports_with_auto() {
    for (path, expected) in hsds_cases() {
        assert_eq!(import::detect(&path).unwrap(), Format::Hsds, "{}", path.display());
        let (_dir, mut store) = new_store();
        let report = import(&mut store, &path, Format::Auto).unwrap_or_else(|e| panic!("{}: {e:#?}", path.display()));
        assert_eq!(report.files[0].1, Format::Hsds);
        assert_eq!(names(&store), expected, "{}", path.display());
    }
}

#[test]
fn hsds_lists_and_service_at_location_are_detected() {
    let ex = hsds_examples();
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
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_examples().join("service_full.json"), Format::Hsds).unwrap();
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
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_examples().join("organization_full.json"), Format::Hsds).unwrap();
    let text = std::fs::read_to_string(hsds_examples().join("organization_full.json")).unwrap();
    let line = text.lines().position(|l| l.contains("\"services\": [")).unwrap() + 2;
    assert_reported(&report, &format!("organization_full.json:{line}: field wait_time: not mapped"));
}

#[test]
fn hsds_organization_without_services_falls_back_to_mutual_help() {
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_examples().join("organization_list.json"), Format::Hsds).unwrap();
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
    let (_dir, mut store) = new_store();
    let report = import(&mut store, &hsds_examples().join("csv"), Format::Hsds).unwrap();
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
    let (_dir, mut store) = new_store();
    import(&mut store, &hsds_docs().join("schedules/services.json"), Format::Auto).unwrap();
    let i = get(&store, COUNSELLING_ID);
    assert_eq!(i.opening_hours, "Mo-Th 09:00-12:00,15:00-17:00; Sa[1] 09:00-17:00");
}

#[test]
fn hsds_files_without_services_are_refused() {
    for name in ["location.json", "taxonomy.json", "base.json"] {
        let (_dir, mut store) = new_store();
        match import(&mut store, &hsds_examples().join(name), Format::Hsds) {
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
    let (_dir, mut store) = new_store();
    let path = hsds_examples().join("service_full.json");
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
    assert_eq!(velo.opening_hours, "", "not OSM syntax: dropped");
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
    assert_reported(
        &report,
        "services.json:76: horaires_accueil \"le samedi de 10h à 13h\": not OpenStreetMap opening_hours",
    );
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
    assert_eq!(import::detect(&hsds_examples().join("service_full.json")).unwrap(), Format::Hsds);
    assert_eq!(import::detect(&hsds_examples().join("csv")).unwrap(), Format::Hsds);
    assert_eq!(import::detect(&hsds_docs().join("schedules/services.json")).unwrap(), Format::Hsds);
}
