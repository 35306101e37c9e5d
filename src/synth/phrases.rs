//! Names, summaries and descriptions built from the vocabulary, within our field lengths.

use super::rng::Rng;
use super::words::{COMPLEMENTS, NICKNAMES, PLACES, ThemeWords, VERBS, WHEN};

/// "de Nanterre", "d'Antony", "d'Issy-les-Moulineaux".
fn of_commune(name: &str) -> String {
    let vowel = name.chars().next().is_some_and(|c| "AEIOUYÉÈÎ".contains(c));
    if vowel { format!("d'{name}") } else { format!("de {name}") }
}

pub(super) fn cut_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for w in text.split(' ') {
        let len = out.chars().count() + usize::from(!out.is_empty()) + w.chars().count();
        if len > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_end_matches([',', '-', '—', ' ']).to_string()
}

pub(super) fn name(rng: &mut Rng, t: &ThemeWords, commune: Option<&str>) -> String {
    let head = *rng.pick(t.heads);
    let mut name = match rng.below(4) {
        0 => format!("{head} {}", rng.pick(PLACES)),
        1 => match commune {
            Some(c) => format!("{head} {}", of_commune(c)),
            None => format!("{head} en ligne"),
        },
        2 => format!("{head} « {} »", rng.pick(NICKNAMES)),
        _ => format!("{} — {head}", rng.pick(NICKNAMES)),
    };
    while name.chars().count() < 20 {
        let place: &str = rng.pick::<&str>(PLACES);
        name.push(' ');
        name.push_str(place);
    }
    if name.chars().count() > 60 {
        name = cut_words(&name, 60);
    }
    name
}

pub(super) fn summary(rng: &mut Rng, t: &ThemeWords, commune: Option<&str>) -> String {
    let mut s = format!("{} {}", rng.pick(VERBS), rng.pick(t.offers));
    let here = commune.map(|c| format!(" aux habitants {}", of_commune(c)));
    for _ in 0..6 {
        let len = s.chars().count();
        if len >= 60 && !rng.chance(40) {
            break;
        }
        let next = match (&here, rng.below(4)) {
            (Some(h), 0) if !s.contains(h.as_str()) => h.clone(),
            _ => (*rng.pick(COMPLEMENTS)).to_string(),
        };
        if s.contains(next.as_str()) {
            continue;
        }
        if len + next.chars().count() + 1 > 180 {
            break;
        }
        s.push_str(&next);
    }
    while s.chars().count() < 59 {
        s.push_str(" pour tous");
    }
    s.push('.');
    s
}

pub(super) fn description(rng: &mut Rng, t: &ThemeWords, name: &str, commune: Option<&str>) -> String {
    let commune_text = commune.map_or("tout le département".to_string(), |c| c.to_string());
    let year = 1995 + rng.below(30);
    let fee = 5 + rng.below(6) * 5;
    let sentences = [
        format!("{name} a été créé en {year} par des habitants de {commune_text}."),
        format!("Les bénévoles accueillent le public {}.", rng.pick(WHEN)),
        format!("On peut y trouver {} et {}.", rng.pick(t.offers), rng.pick(t.offers)),
        format!("L'adhésion annuelle coûte {fee} € ; elle est gratuite pour les personnes aux minima sociaux."),
        "Aucune inscription n'est nécessaire : il suffit de passer.".to_string(),
        "Le lieu est accessible aux personnes à mobilité réduite.".to_string(),
        "Les dons de matériel sont les bienvenus pendant les heures d'ouverture.".to_string(),
        "Le projet est soutenu par la ville et le département des Hauts-de-Seine.".to_string(),
        format!("Les nouveaux venus sont accompagnés par un référent {}.", rng.pick(WHEN)),
    ];
    let k = 2 + rng.below(3);
    let chosen: Vec<&String> = rng.several(&sentences, k);
    chosen.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}
