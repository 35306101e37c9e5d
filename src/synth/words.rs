//! The French words synthetic rows are made of: per-theme heads, offers and tags, places,
//! nicknames, and valid opening hours.

/// The words of one theme: what its places are called, what they offer, their tags.
pub(super) struct ThemeWords {
    pub(super) slug: &'static str,
    pub(super) heads: &'static [&'static str],
    pub(super) offers: &'static [&'static str],
    pub(super) tags: &'static [&'static str],
    pub(super) actions: &'static [&'static str],
}

pub(super) const THEMES: [ThemeWords; 10] = [
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

pub(super) const PLACES: &[&str] = &[
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

pub(super) const NICKNAMES: &[&str] = &[
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

pub(super) const VERBS: &[&str] = &["Propose", "Offre", "Organise", "Met à disposition", "Facilite l'accès à"];

pub(super) const COMPLEMENTS: &[&str] = &[
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

pub(super) const WHEN: &[&str] = &[
    "le mercredi après-midi",
    "le samedi matin",
    "du lundi au vendredi",
    "deux soirs par semaine",
    "pendant les vacances scolaires",
];

/// Valid OpenStreetMap `opening_hours` values, as administrators write them.
pub(super) const OPENING_HOURS: &[&str] = &[
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
