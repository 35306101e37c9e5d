//! Synthetic catalogues, for benchmarks and load tests: `wic synth --count N --seed S`.
//!
//! The real catalogue has about 600 initiatives; a national one would have a million. To know
//! how search and the interface behave at those sizes we need catalogues that look like ours —
//! French words with accents, realistic field lengths, every theme and commune, some opening
//! hours and online services — and that are the same on every machine. So: a small PRNG of our
//! own (splitmix64), seeded by the caller, and one independent stream per row, which makes row
//! `i` identical whatever `N` is (a 600-row catalogue is the prefix of a 100,000-row one).
//!
//! Every row says in its `source` that it is synthetic, and its id starts with `synth-`, so
//! it can never be mistaken for a real service. Output is the canonical CSV (through
//! [`crate::catalogue::export::csv_row`]), so `wic import` reads it like any administrator file.

use std::io::Write;

use crate::catalogue::export::{csv_row, to_exchange};
use crate::catalogue::model::{ACCESS, AUDIENCES, FIELDS, KINDS, PRICES};
use crate::catalogue::{Initiative, Reference};
use crate::text::slugify;

/// splitmix64: tiny, fast, good enough statistically for test data, and fully specified.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items (fewer if the slice is shorter), in the slice's order.
    pub fn several<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }
}

/// The words of one theme: what its places are called, what they offer, their tags.
struct ThemeWords {
    slug: &'static str,
    heads: &'static [&'static str],
    offers: &'static [&'static str],
    tags: &'static [&'static str],
    actions: &'static [&'static str],
}

const THEMES: [ThemeWords; 10] = [
    ThemeWords {
        slug: "se-nourrir",
        heads: &[
            "Épicerie solidaire",
            "Jardin partagé",
            "AMAP",
            "Cantine solidaire",
            "Frigo solidaire",
            "Potager collectif",
            "Cuisine partagée",
        ],
        offers: &[
            "des paniers de légumes de saison",
            "des repas à prix libre",
            "des produits frais à petit prix",
            "des parcelles de potager",
            "des invendus récupérés chez les commerçants",
            "des ateliers de cuisine anti-gaspillage",
        ],
        tags: &[
            "épicerie",
            "légumes",
            "anti-gaspillage",
            "potager",
            "compost",
            "circuit court",
            "alimentation",
            "glanage",
        ],
        actions: &["vente", "partage", "don", "achat-groupe"],
    },
    ThemeWords {
        slug: "se-loger",
        heads: &[
            "Colocation solidaire",
            "Habitat participatif",
            "Maison intergénérationnelle",
            "Logement passerelle",
            "Foyer d'accueil",
            "Résidence partagée",
        ],
        offers: &[
            "des chambres chez des seniors",
            "un accompagnement dans la recherche de logement",
            "des logements temporaires",
            "des conseils pour l'accès au logement",
            "une aide au déménagement",
        ],
        tags: &["logement", "colocation", "hébergement", "intergénérationnel", "habitat", "déménagement"],
        actions: &["location", "accompagnement", "partage"],
    },
    ThemeWords {
        slug: "s-habiller",
        heads: &[
            "Vestiboutique",
            "Friperie solidaire",
            "Troc de vêtements",
            "Atelier couture",
            "Boutique de seconde main",
            "Dressing partagé",
        ],
        offers: &[
            "des vêtements de seconde main",
            "des retouches à petit prix",
            "des chaussures et des accessoires",
            "des tenues pour les entretiens d'embauche",
            "des vêtements pour enfants",
        ],
        tags: &["vêtements", "friperie", "couture", "seconde main", "troc", "retouches"],
        actions: &["vente", "don", "echange", "reparation"],
    },
    ThemeWords {
        slug: "s-equiper",
        heads: &[
            "Ressourcerie",
            "Repair café",
            "Bricothèque",
            "Recyclerie",
            "Atelier de réparation",
            "Outilthèque",
            "Matériauthèque",
        ],
        offers: &[
            "des meubles et de l'électroménager d'occasion",
            "des outils à emprunter",
            "la réparation de petits appareils",
            "des objets du quotidien à petit prix",
            "du matériel de bricolage",
        ],
        tags: &["réparation", "réemploi", "outils", "électroménager", "meubles", "bricolage", "objets"],
        actions: &["pret", "reparation", "don", "vente"],
    },
    ThemeWords {
        slug: "se-deplacer",
        heads: &["Atelier vélo", "Garage solidaire", "Covoiturage", "Autopartage", "Vélo-école", "Auto-école sociale"],
        offers: &[
            "la réparation de vélos",
            "des voitures partagées entre voisins",
            "des trajets en covoiturage",
            "des cours de vélo pour adultes",
            "l'entretien de votre voiture à prix réduit",
            "la préparation au permis de conduire",
        ],
        tags: &["vélo", "covoiturage", "mobilité", "garage", "permis", "trottinette"],
        actions: &["reparation", "partage", "location", "accompagnement"],
    },
    ThemeWords {
        slug: "travailler",
        heads: &[
            "Tiers-lieu",
            "Espace de coworking",
            "Chantier d'insertion",
            "Atelier emploi",
            "Pépinière d'entreprises",
            "Couveuse d'activités",
        ],
        offers: &[
            "un accompagnement vers l'emploi",
            "des bureaux partagés à petit prix",
            "des ateliers CV et lettres de motivation",
            "des missions d'insertion rémunérées",
            "un échange de compétences entre habitants",
        ],
        tags: &["emploi", "insertion", "coworking", "formation", "compétences", "entreprise"],
        actions: &["accompagnement", "partage", "location"],
    },
    ThemeWords {
        slug: "se-divertir",
        heads: &[
            "Ludothèque",
            "Boîte à livres",
            "Café culturel",
            "Troupe de théâtre",
            "Chorale",
            "Ciné-club",
            "Atelier musique",
        ],
        offers: &[
            "des jeux de société à emprunter",
            "des sorties culturelles à petit prix",
            "des livres en libre-service",
            "des concerts et des spectacles",
            "des ateliers d'écriture",
        ],
        tags: &["jeux", "livres", "théâtre", "musique", "sorties", "culture", "cinéma"],
        actions: &["pret", "partage", "echange"],
    },
    ThemeWords {
        slug: "se-financer",
        heads: &["Caisse solidaire", "Club d'épargne", "Monnaie locale", "Point conseil budget", "Club Cigales"],
        offers: &[
            "des microcrédits pour créer son activité",
            "des conseils pour tenir son budget",
            "une épargne solidaire",
            "un financement participatif de projets locaux",
            "une aide face au surendettement",
        ],
        tags: &["microcrédit", "budget", "épargne", "financement", "monnaie locale", "surendettement"],
        actions: &["accompagnement", "pret"],
    },
    ThemeWords {
        slug: "partir-en-vacances",
        heads: &[
            "Vacances solidaires",
            "Séjours partagés",
            "Échange de maisons",
            "Colonie solidaire",
            "Bourse aux vacances",
        ],
        offers: &[
            "des séjours aidés pour les familles",
            "des week-ends à la campagne",
            "des départs en colonie pour les enfants",
            "des échanges de logements pendant l'été",
            "des journées à la mer",
        ],
        tags: &["vacances", "séjours", "colonies", "week-end", "mer", "campagne"],
        actions: &["accompagnement", "echange", "partage"],
    },
    ThemeWords {
        slug: "s-entraider",
        heads: &[
            "Accorderie",
            "SEL",
            "Réseau d'échanges de savoirs",
            "Voisins solidaires",
            "Conciergerie solidaire",
            "Maison des habitants",
        ],
        offers: &[
            "des échanges de services entre voisins",
            "des cours donnés par des habitants",
            "une aide aux démarches administratives",
            "des visites aux personnes isolées",
            "du soutien scolaire bénévole",
        ],
        tags: &["entraide", "voisinage", "bénévolat", "échange de savoirs", "démarches", "solidarité"],
        actions: &["echange", "accompagnement", "partage"],
    },
];

const PLACES: &[&str] = &[
    "des Quatre-Chemins",
    "du Petit-Colombes",
    "de la Gare",
    "des Bords de Seine",
    "du Parc",
    "des Hautes-Bruyères",
    "du Centre",
    "des Pâquerettes",
    "de la Fontaine",
    "du Marché",
    "des Tilleuls",
    "de l'Écluse",
    "des Châtaigniers",
    "du Plateau",
    "des Coteaux",
    "de la Châtaigneraie",
    "du Bel-Air",
    "des Sablons",
];

const NICKNAMES: &[&str] = &[
    "La Clé des Champs",
    "Le Grenier",
    "L'Étincelle",
    "La Ruche",
    "Le Fil d'Ariane",
    "Les Mains Vertes",
    "La Boussole",
    "Le Petit Pont",
    "L'Arbre à Palabres",
    "La Fourmilière",
    "Cœur de Quartier",
    "La Marmite",
    "Le Coin Solidaire",
    "Les Gais Lurons",
];

const VERBS: &[&str] = &["Propose", "Offre", "Organise", "Met à disposition", "Facilite l'accès à"];

const COMPLEMENTS: &[&str] = &[
    " pour les familles du quartier",
    " à prix libre",
    " avec l'aide de bénévoles",
    " chaque semaine",
    " sur rendez-vous",
    " dans une ambiance conviviale",
    " en lien avec les associations locales",
    " toute l'année",
    " pour les étudiants et les jeunes",
    " près des transports",
];

const WHEN: &[&str] = &[
    "le mercredi après-midi",
    "le samedi matin",
    "du lundi au vendredi",
    "deux soirs par semaine",
    "pendant les vacances scolaires",
];

/// Valid OpenStreetMap `opening_hours` values, as administrators write them.
pub const OPENING_HOURS: &[&str] = &[
    "Mo-Fr 09:00-12:00,14:00-18:00",
    "Tu,Th 14:00-18:00",
    "Sa 10:00-13:00",
    "We 14:00-17:00; Sa 09:30-12:30",
    "Mo-Sa 10:00-19:00",
    "Mo-Fr 09:00-17:00; PH off",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 18:00-20:00",
    "Su 10:00-12:00",
    "24/7",
];

/// What every synthetic row says about where it comes from.
pub fn source(seed: u64) -> String {
    format!("synthétique (wic synth --seed {seed})")
}

/// The id of row `i` (0-based): `synth-000001` for the first.
pub fn id(i: usize) -> String {
    format!("synth-{:06}", i + 1)
}

/// The words the generator writes (folded or not, at least four letters, no duplicates):
/// what benchmark queries are typed from.
pub fn vocabulary() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Vec::new();
    let mut add = |text: &'static str| {
        for w in text.split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() >= 4 {
                words.push(w);
            }
        }
    };
    for t in &THEMES {
        t.heads.iter().chain(t.offers).chain(t.tags).for_each(|s| add(s));
    }
    PLACES.iter().chain(NICKNAMES).for_each(|s| add(s));
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.to_lowercase()));
    words
}

/// The theme slugs the generator uses, which are the embedded reference's.
pub fn theme_slugs() -> Vec<&'static str> {
    THEMES.iter().map(|t| t.slug).collect()
}

/// "de Nanterre", "d'Antony", "d'Issy-les-Moulineaux".
fn of_commune(name: &str) -> String {
    let vowel = name.chars().next().is_some_and(|c| "AEIOUYÉÈÎ".contains(c));
    if vowel { format!("d'{name}") } else { format!("de {name}") }
}

fn cut_words(text: &str, max: usize) -> String {
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

fn name(rng: &mut Rng, t: &ThemeWords, commune: Option<&str>) -> String {
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

fn summary(rng: &mut Rng, t: &ThemeWords, commune: Option<&str>) -> String {
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

fn description(rng: &mut Rng, t: &ThemeWords, name: &str, commune: Option<&str>) -> String {
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

/// Row `i` of the catalogue generated from `seed`, with the commune as an INSEE code (as the
/// store holds it). Its own PRNG stream depends only on `seed` and `i`.
fn row(i: usize, seed: u64, reference: &Reference) -> Initiative {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xd6e8_feb8_6659_fd93));
    let theme = &THEMES[i % THEMES.len()];
    let online = rng.chance(15);
    // Communes in a fixed rotation (offset per row), so every commune appears early on.
    let commune = if online || reference.communes.is_empty() {
        None
    } else {
        Some(&reference.communes[(i * 7 + i / THEMES.len()) % reference.communes.len()])
    };
    let commune_name = commune.map(|c| c.name.as_str());
    let name = name(&mut rng, theme, commune_name);
    let slug = cut_words(&slugify(&name).replace('-', " "), 30).replace(' ', "-");
    let mut themes = vec![theme.slug.to_string()];
    if rng.chance(25) {
        let other = rng.pick(&THEMES).slug;
        if other != theme.slug {
            themes.push(other.to_string());
        }
    }
    let n_actions = 1 + rng.below(2);
    let n_tags = 2 + rng.below(3);
    let n_audience = 1 + rng.below(2);
    let mut item = Initiative {
        id: id(i),
        summary: summary(&mut rng, theme, commune_name),
        description: description(&mut rng, theme, &name, commune_name),
        themes,
        actions: rng.several(theme.actions, n_actions).into_iter().map(|s| s.to_string()).collect(),
        tags: rng.several(theme.tags, n_tags).into_iter().map(|s| s.to_string()).collect(),
        kind: rng.pick(&KINDS).to_string(),
        access: rng.pick(&ACCESS).to_string(),
        price: if rng.chance(20) { String::new() } else { rng.pick(&PRICES).to_string() },
        audience: rng.several(&AUDIENCES, n_audience).into_iter().map(|s| s.to_string()).collect(),
        online,
        status: match rng.below(100) {
            0 => "inactif",
            1..=3 => "ferme-temporairement",
            _ => "actif",
        }
        .to_string(),
        updated: format!("{}-{:02}-{:02}", 2023 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28)),
        source: source(seed),
        name,
        ..Default::default()
    };
    if let Some(c) = commune {
        item.commune = c.insee.clone();
        item.address = format!(
            "{} {}",
            1 + rng.below(120),
            rng.pick(&[
                "rue des Lilas",
                "avenue de la République",
                "place du Marché",
                "allée des Tilleuls",
                "boulevard Jean-Jaurès",
                "rue Pasteur",
                "chemin de l'Écluse"
            ])
        );
        item.postcode = c.postcode.clone();
        let jitter = |rng: &mut Rng| (rng.below(1201) as f64 - 600.0) / 100_000.0;
        item.latitude = Some(((c.lat + jitter(&mut rng)) * 1e5).round() / 1e5);
        item.longitude = Some(((c.lon + jitter(&mut rng)) * 1e5).round() / 1e5);
        if rng.chance(50) {
            item.opening_hours = rng.pick(OPENING_HOURS).to_string();
        }
        if rng.chance(20) {
            item.accessibility.push("pmr".into());
        }
    }
    if rng.chance(60) {
        item.phone =
            format!("01 {:02} {:02} {:02} {:02}", 40 + rng.below(60), rng.below(100), rng.below(100), rng.below(100));
    }
    if rng.chance(50) {
        item.email = format!("contact@{slug}.example.org");
    }
    if online || rng.chance(50) {
        item.website = format!("https://{slug}.example.org");
    }
    item.languages = match rng.below(10) {
        0..=6 => vec![],
        7 | 8 => vec!["fr".into()],
        _ => vec!["fr".into(), (*rng.pick(&["en", "ar", "es", "pt"])).to_string()],
    };
    item
}

/// `count` initiatives generated from `seed` (communes as INSEE codes, as in the store).
pub fn generate(count: usize, seed: u64, reference: &Reference) -> Vec<Initiative> {
    (0..count).map(|i| row(i, seed, reference)).collect()
}

/// Writes `count` rows as canonical CSV (the header of `seeds/initiatives.csv`), one row at a
/// time, so a million-row catalogue needs no more memory than a small one.
pub fn write_csv<W: Write>(out: W, count: usize, seed: u64, reference: &Reference) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(FIELDS)?;
    for i in 0..count {
        w.write_record(csv_row(&to_exchange(&row(i, seed, reference), reference)))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Validator;
    use crate::catalogue::import::canonical::parse_csv;

    #[test]
    fn deterministic_and_prefix_stable() {
        let r = Reference::embedded().unwrap();
        let a = generate(50, 42, &r);
        assert_eq!(a, generate(50, 42, &r));
        assert_eq!(a[..20], generate(20, 42, &r)[..]);
        assert_ne!(a, generate(50, 43, &r));
    }

    #[test]
    fn imports_cleanly_and_covers_everything() {
        let r = Reference::embedded().unwrap();
        let mut csv = Vec::new();
        write_csv(&mut csv, 600, 42, &r).unwrap();
        assert!(csv.starts_with(crate::catalogue::SEED_INITIATIVES_CSV.lines().next().unwrap().as_bytes()));
        let parsed = parse_csv(std::path::Path::new("synth.csv"), &csv).unwrap();
        let v = Validator { reference: &r, file: "synth.csv".into(), ignore_unknown: false };
        let items = v.validate_all(&parsed.records).unwrap_or_else(|p| panic!("{}", p[0]));
        assert_eq!(items, generate(600, 42, &r), "export ∘ import is the identity");
        let themes: std::collections::HashSet<_> = items.iter().flat_map(|i| i.themes.iter()).collect();
        assert_eq!(themes.len(), 10);
        let communes: std::collections::HashSet<_> =
            items.iter().map(|i| &i.commune).filter(|c| !c.is_empty()).collect();
        assert_eq!(communes.len(), 36);
        assert!(items.iter().any(|i| i.online) && items.iter().any(|i| !i.opening_hours.is_empty()));
        for i in &items {
            assert!(i.id.starts_with("synth-") && i.source.contains("synthétique"));
            assert!((20..=60).contains(&i.name.chars().count()), "{}", i.name);
            assert!((60..=180).contains(&i.summary.chars().count()), "{}", i.summary);
        }
    }

    #[test]
    fn vocabulary_has_accents() {
        let v = vocabulary();
        assert!(v.len() > 100);
        assert!(v.iter().any(|w| w.contains('é')));
    }
}
