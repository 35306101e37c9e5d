//! Normalising French hours and cutting them into words, numbers and marks; the words the
//! parser knows (days, months, ordinals, fillers).

// ---------------------------------------------------------------------------------------------
// Normalisation and tokens

pub(super) fn normalize(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            '’' | '‘' | '`' | '´' => '\'',
            '–' | '—' | '‑' | '‐' | '−' => '-',
            '\u{a0}' | '\u{202f}' | '\t' => ' ',
            '\n' | '\r' => ';',
            '«' | '»' | '"' | '“' | '”' => ' ',
            c => c,
        };
        s.extend(c.to_lowercase());
    }
    s.replace('œ', "oe")
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    W(String),
    /// A bare number.
    N(u32),
    /// An ordinal: 1er, 2e, 3ème…
    Ord(u32),
    /// A clock time in minutes since midnight.
    T(u32),
    P(char),
}

pub(super) fn tokenize(s: &str) -> Vec<Tok> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_spaces = |mut j: usize| {
        while j < c.len() && c[j] == ' ' {
            j += 1;
        }
        j
    };
    let digits = |j: usize| {
        let mut k = j;
        while k < c.len() && c[k].is_ascii_digit() {
            k += 1;
        }
        k
    };
    while i < c.len() {
        let ch = c[i];
        if ch == ' ' {
            i += 1;
        } else if ch.is_ascii_digit() {
            let e = digits(i);
            let n: u32 = c[i..e].iter().collect::<String>().parse().unwrap_or(u32::MAX);
            // "24h/24", "24 h / 24", "24h24", "7j/7", "7/7"
            let rest: String = c[e..].iter().filter(|x| **x != ' ').take(6).collect();
            if n == 24 && (rest.starts_with("h/24") || rest.starts_with("h24")) {
                let mut j = e;
                let mut seen = 0;
                while j < c.len() && seen < 2 {
                    if c[j].is_ascii_digit() {
                        seen += 1;
                    }
                    j += 1;
                }
                out.push(Tok::W("24h24".into()));
                i = j;
                continue;
            }
            if n == 7 && (rest.starts_with("j/7") || rest.starts_with("/7") || rest.starts_with("j7")) {
                let mut j = e;
                while j < c.len() && c[j] != '7' {
                    j += 1;
                }
                out.push(Tok::W("7j7".into()));
                i = j + 1;
                continue;
            }
            let j = skip_spaces(e);
            // 9h, 9h30, 9 h 30, 9heures, 9:30, 09.30 before a range dash
            if j < c.len() && c[j] == 'h' && !(j + 1 < c.len() && c[j + 1].is_alphabetic() && !starts(&c, j, "heure")) {
                let mut k = j + 1;
                if starts(&c, j, "heures") {
                    k = j + 6;
                } else if starts(&c, j, "heure") {
                    k = j + 5;
                }
                let k2 = skip_spaces(k);
                let e2 = digits(k2);
                let m = if e2 > k2 && e2 - k2 <= 2 {
                    let m: u32 = c[k2..e2].iter().collect::<String>().parse().unwrap_or(99);
                    k = e2;
                    m
                } else {
                    0
                };
                out.push(if n <= 48 && m < 60 { Tok::T(n * 60 + m) } else { Tok::N(u32::MAX) });
                i = k;
                continue;
            }
            if e < c.len() && (c[e] == ':' || c[e] == '.') && e + 1 < c.len() && c[e + 1].is_ascii_digit() {
                let e2 = digits(e + 1);
                if e2 - (e + 1) == 2 && n <= 48 {
                    let m: u32 = c[e + 1..e2].iter().collect::<String>().parse().unwrap_or(99);
                    // "24/12" is a date, "24.12" too: only ':' or a two-digit minute < 60
                    if m < 60 && c[e] == ':' {
                        out.push(Tok::T(n * 60 + m));
                        i = e2;
                        continue;
                    }
                }
            }
            // ordinals
            let ordinal = ["ere", "eme", "er", "re", "nde", "nd", "e"].iter().find_map(|suf| {
                let end = e + suf.chars().count();
                (starts(&c, e, suf) && (end >= c.len() || !c[end].is_alphabetic())).then_some(end)
            });
            match ordinal {
                Some(end) => {
                    out.push(Tok::Ord(n));
                    i = end;
                }
                None => {
                    out.push(Tok::N(n));
                    i = e;
                }
            }
        } else if ch.is_alphabetic() {
            let mut k = i;
            while k < c.len()
                && (c[k].is_alphabetic()
                    || c[k] == '\''
                    || (c[k] == '-' && k + 1 < c.len() && c[k + 1].is_alphabetic() && is_compound(&c, i, k)))
            {
                k += 1;
                if c[k - 1] == '\'' {
                    break;
                }
            }
            let w: String = c[i..k].iter().collect();
            out.push(Tok::W(w));
            i = k;
        } else {
            out.push(Tok::P(ch));
            i += 1;
        }
    }
    out
}

pub(super) fn starts(c: &[char], at: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(n, x)| c.get(at + n) == Some(&x))
}

/// Words that keep their hyphen: "apres-midi", "rendez-vous", "week-end".
pub(super) fn is_compound(c: &[char], start: usize, dash: usize) -> bool {
    let head: String = c[start..dash].iter().collect();
    matches!(head.as_str(), "apres" | "rendez" | "week")
}

pub(super) fn is_w(t: Option<&Tok>, words: &[&str]) -> bool {
    matches!(t, Some(Tok::W(w)) if words.contains(&w.as_str()))
}

pub(super) fn weekday(w: &str) -> Option<usize> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "lundi" | "lundis" | "lun" | "lu" | "mo" => 0,
        "mardi" | "mardis" | "mar" | "ma" | "tu" => 1,
        "mercredi" | "mercredis" | "mer" | "me" => 2,
        "jeudi" | "jeudis" | "jeu" | "je" | "th" => 3,
        "vendredi" | "vendredis" | "ven" | "ve" | "fr" => 4,
        "samedi" | "samedis" | "sam" | "sa" => 5,
        "dimanche" | "dimanches" | "dim" | "di" | "su" => 6,
        _ => return None,
    })
}

pub(super) fn month(w: &str) -> Option<usize> {
    let w = w.trim_start_matches("d'");
    Some(match w {
        "janvier" | "janv" | "jan" => 0,
        "fevrier" | "fev" | "fevr" => 1,
        "mars" => 2,
        "avril" | "avr" => 3,
        "mai" => 4,
        "juin" => 5,
        "juillet" | "juil" => 6,
        "aout" => 7,
        "septembre" | "sept" | "sep" => 8,
        "octobre" | "oct" => 9,
        "novembre" | "nov" => 10,
        "decembre" | "dec" => 11,
        _ => return None,
    })
}

pub(super) fn ordinal_word(w: &str) -> Option<i32> {
    Some(match w {
        "premier" | "premiers" | "premiere" | "premieres" => 1,
        "deuxieme" | "deuxiemes" | "second" | "seconds" => 2,
        "troisieme" | "troisiemes" => 3,
        "quatrieme" | "quatriemes" => 4,
        "cinquieme" => 5,
        "dernier" | "derniers" => -1,
        _ => return None,
    })
}

/// Words that carry nothing for the hours: "Horaires d'ouverture :", "Ouvert", "accueil".
pub(super) const FILLER: &[&str] = &[
    "horaires",
    "horaire",
    "d'ouverture",
    "ouvert",
    "ouverte",
    "ouverts",
    "ouvertes",
    "ouverture",
    "accueil",
    "permanence",
    "permanences",
    "le",
    "les",
    "la",
    "l'",
    "tous",
    "toutes",
    "chaque",
    "nous",
    "vous",
    "accueillons",
    "sommes",
    "est",
    "sont",
    "uniquement",
    "seulement",
    "public",
    "d'",
    "distribution",
    "distributions",
];
