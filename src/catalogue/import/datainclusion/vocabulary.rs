//! data·inclusion vocabularies (`thematiques`, `publics`, `type`, networks…) onto our slugs.

use serde_json::{Map, Value};

use crate::catalogue::import::common::{list, text};

/// `orientation` when only professionals can refer someone; `conditions` when there are
/// conditions of access (their text is reported as not mapped).
pub(super) fn access(obj: &Map<String, Value>) -> Option<&'static str> {
    let by = list(obj, "mobilisable_par");
    if !by.is_empty() && by.iter().all(|b| b == "professionnels") {
        Some("orientation")
    } else if text(obj, "conditions_acces").is_some() {
        Some("conditions")
    } else {
        None
    }
}

/// The theme of one `categorie--sous-categorie` value (thematiques.json): some
/// sub-categories first, where the category alone would say too little, then whole
/// categories. Health, digital skills and legal help have no theme of ours.
pub(super) fn theme_of_thematique(value: &str) -> Option<&'static str> {
    let exact = match value {
        "equipement-et-alimentation--alimentation" => Some("se-nourrir"),
        "equipement-et-alimentation--habillement" => Some("s-habiller"),
        "equipement-et-alimentation--electromenager" => Some("s-equiper"),
        // "Aide ménagère" is help at home, which we file with mutual help.
        "equipement-et-alimentation--aide-menagere" => Some("s-entraider"),
        "numerique--acquerir-un-equipement" => Some("s-equiper"),
        "remobilisation--activites-sportives-et-culturelles" => Some("se-divertir"),
        "remobilisation--lien-social" | "remobilisation--benevolat-action-citoyenne" => Some("s-entraider"),
        "famille--garde-denfants"
        | "famille--soutien-aidants"
        | "famille--soutien-a-la-parentalite-et-a-leducation" => Some("s-entraider"),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let category = value.split("--").next().unwrap_or("");
    match category {
        "logement-hebergement" => Some("se-loger"),
        "mobilite" => Some("se-deplacer"),
        "difficultes-financieres" => Some("se-financer"),
        "choisir-un-metier"
        | "creer-une-entreprise"
        | "preparer-sa-candidature"
        | "trouver-un-emploi"
        | "se-former"
        | "souvrir-a-linternational" => Some("travailler"),
        // Learning to read, write and count: exchange of knowledge.
        "lecture-ecriture-calcul" => Some("s-entraider"),
        _ => None,
    }
}

/// publics.json onto our audiences; the others (femmes, actifs, personnes-exilees…) have
/// no audience of ours and are reported.
pub(super) fn audience_of_public(value: &str) -> Option<&'static str> {
    Some(match value {
        "tous-publics" => "tous",
        "familles" => "familles",
        "jeunes" => "jeunes",
        "etudiants" => "etudiants",
        "seniors" => "seniors",
        "personnes-en-situation-de-handicap" => "handicap",
        "demandeurs-emploi" => "demandeurs-emploi",
        "beneficiaires-des-minimas-sociaux" => "beneficiaires-minima",
        _ => return None,
    })
}

/// types-de-services.json onto our types of action: only two have a counterpart (an
/// atelier, a formation or an information are not a way of sharing goods).
pub(super) fn action_of_type(value: &str) -> Option<&'static str> {
    match value {
        "aide-materielle" => Some("don"),
        "accompagnement" => Some("accompagnement"),
        _ => None,
    }
}

/// A structure's kind when all its networks agree: public bodies are `collectivite`, the big
/// charity networks `association`.
pub(super) fn kind_of_networks(networks: &[String]) -> Option<&'static str> {
    const PUBLIC: [&str; 9] = [
        "ccas-cias",
        "communes",
        "departements",
        "regions",
        "maisons-des-solidarites",
        "maison-departementale-de-lautonomie",
        "mdph",
        "ase",
        "pjj",
    ];
    const CHARITIES: [&str; 16] = [
        "restos-du-coeur",
        "secours-populaire",
        "croix-rouge",
        "emmaus",
        "banques-alimentaires",
        "cresus",
        "cidff",
        "adie",
        "apprentis-dauteuil",
        "unaf",
        "singa",
        "konexio",
        "la-cravate-solidaire",
        "snc",
        "wimoov",
        "unis-cite",
    ];
    let kinds: Vec<&str> = networks
        .iter()
        .filter_map(|n| {
            if PUBLIC.contains(&n.as_str()) {
                Some("collectivite")
            } else if CHARITIES.contains(&n.as_str()) {
                Some("association")
            } else {
                None
            }
        })
        .collect();
    match kinds.first() {
        Some(first) if kinds.iter().all(|k| k == first) => Some(first),
        _ => None,
    }
}

/// The networks whose members all work in one of our themes.
pub(super) fn theme_of_network(network: &str) -> Option<&'static str> {
    match network {
        "banques-alimentaires" | "restos-du-coeur" => Some("se-nourrir"),
        "la-cravate-solidaire" => Some("s-habiller"),
        "ressourceries" | "emmaus" => Some("s-equiper"),
        "wimoov" | "mobin" => Some("se-deplacer"),
        "action-logement" | "siao" | "chrs" | "chu" | "residences-fjt" => Some("se-loger"),
        "france-travail"
        | "mission-locale"
        | "plie"
        | "maisons-de-l-emploi"
        | "cap-emploi-reseau-cheops"
        | "aci"
        | "ei"
        | "etti"
        | "ai"
        | "geiq" => Some("travailler"),
        "points-conseil-budget" | "cresus" | "adie" | "france-active" | "initiative-france" => Some("se-financer"),
        "mjc" => Some("se-divertir"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thematiques_map_onto_our_themes() {
        assert_eq!(theme_of_thematique("equipement-et-alimentation--alimentation"), Some("se-nourrir"));
        assert_eq!(theme_of_thematique("equipement-et-alimentation--habillement"), Some("s-habiller"));
        assert_eq!(theme_of_thematique("logement-hebergement--louer-un-logement"), Some("se-loger"));
        assert_eq!(theme_of_thematique("trouver-un-emploi--maintien-dans-lemploi"), Some("travailler"));
        assert_eq!(
            theme_of_thematique("difficultes-financieres--ameliorer-sa-gestion-budgetaire"),
            Some("se-financer")
        );
        assert_eq!(theme_of_thematique("numerique--acceder-a-une-connexion-internet"), None);
        assert_eq!(theme_of_thematique("sante--addictions"), None);
    }

    #[test]
    fn every_published_thematique_is_known_to_the_table_or_deliberately_left_out() {
        // The categories we leave out on purpose: health, digital skills, legal help.
        let left_out = ["sante", "numerique", "difficultes-administratives-ou-juridiques", "famille", "remobilisation"];
        // The published vocabulary (Licence Ouverte 2.0) is not ours to ship: it is read from the
        // team's reference copy beside the clone, when there is one.
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/examples");
        if !examples.is_dir() {
            eprintln!("skipped: ../shared/data/examples not found");
            return;
        }
        let path = examples.join("datainclusion/schemas/v1/extra/thematiques.json");
        let values: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for v in values {
            let value = v["value"].as_str().unwrap();
            let category = value.split("--").next().unwrap();
            assert!(theme_of_thematique(value).is_some() || left_out.contains(&category), "{value} is not mapped");
        }
    }
}
