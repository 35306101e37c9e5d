//! French opening hours, as staff and websites write them, turned into the OpenStreetMap
//! `opening_hours` syntax: "du lundi au vendredi de 9h à 12h et de 14h à 17h30" →
//! `Mo-Fr 09:00-12:00,14:00-17:30`.
//!
//! The converter reads a small grammar of the usual phrasings (days, day ranges, "le 1er samedi
//! du mois", time ranges in any of the common spellings, "fermé le …", "fermé en août", "fermé
//! du 20 décembre au 4 janvier", "sauf jours fériés", "sur rendez-vous", "24h/24"). Anything
//! else is [`Unreadable`], with the words it stopped at: it never guesses. Where the text gives
//! a day but no hours ("le samedi matin"), the result says so in OSM terms: `Sa unknown "le
//! matin"`, never invented hours. Every string it returns parses with the `opening-hours` crate.

use std::fmt;

/// Text the converter cannot turn into `opening_hours`, and where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The words it could not read (from there to the end of the clause).
    pub near: String,
    /// Why, in French, for the person who typed it.
    pub reason: &'static str,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.near.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{} (à partir de « {} »)", self.reason, self.near)
        }
    }
}

impl std::error::Error for Unreadable {}

/// Converts French hours to an OSM `opening_hours` value, or says what it could not read.
pub fn to_osm(text: &str) -> Result<String, Unreadable> {
    let toks = tokenize(&normalize(text));
    if toks.iter().all(|t| matches!(t, Tok::P(_))) {
        return Err(Unreadable { near: String::new(), reason: "aucun horaire dans ce texte" });
    }
    let mut p = P { toks: &toks, i: 0, groups: Vec::new(), offs: Vec::new(), global_comment: None, ph_off: false };
    p.clauses()?;
    let out = p.emit();
    if out.is_empty() {
        return Err(Unreadable { near: text.trim().to_string(), reason: "aucun horaire dans ce texte" });
    }
    match out.parse::<opening_hours::OpeningHours>() {
        Ok(_) => Ok(out),
        Err(_) => {
            Err(Unreadable { near: text.trim().to_string(), reason: "la conversion ne donne pas un horaire valide" })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Normalisation and tokens

fn normalize(text: &str) -> String {
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
enum Tok {
    W(String),
    /// A bare number.
    N(u32),
    /// An ordinal: 1er, 2e, 3ème…
    Ord(u32),
    /// A clock time in minutes since midnight.
    T(u32),
    P(char),
}

fn tokenize(s: &str) -> Vec<Tok> {
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

fn starts(c: &[char], at: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(n, x)| c.get(at + n) == Some(&x))
}

/// Words that keep their hyphen: "apres-midi", "rendez-vous", "week-end".
fn is_compound(c: &[char], start: usize, dash: usize) -> bool {
    let head: String = c[start..dash].iter().collect();
    matches!(head.as_str(), "apres" | "rendez" | "week")
}

// ---------------------------------------------------------------------------------------------
// What the text says

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[derive(Debug, Clone, Default, PartialEq)]
struct Days {
    week: [bool; 7],
    /// "le 1er samedi du mois": the nth weekdays of the month (negative from the end).
    nth: Vec<i32>,
    ph: bool,
}

impl Days {
    fn is_empty(&self) -> bool {
        !self.ph && !self.week.iter().any(|d| *d)
    }
    fn overlaps(&self, o: &Days) -> bool {
        (0..7).any(|d| self.week[d] && o.week[d]) || (self.ph && o.ph)
    }
    fn osm(&self) -> String {
        let mut parts = Vec::new();
        if self.nth.is_empty() {
            parts.extend(runs(&self.week).into_iter().map(|(a, b)| span(&DAYS, a, b)));
        } else {
            let nth = self.nth.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",");
            for (d, on) in self.week.iter().enumerate() {
                if *on {
                    parts.push(format!("{}[{nth}]", DAYS[d]));
                }
            }
        }
        if self.ph {
            parts.push("PH".into());
        }
        parts.join(",")
    }
}

/// Runs of consecutive true values as (first, last).
fn runs(set: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut d = 0;
    while d < set.len() {
        if set[d] {
            let a = d;
            while d + 1 < set.len() && set[d + 1] {
                d += 1;
            }
            out.push((a, d));
        }
        d += 1;
    }
    out
}

/// "Mo-Fr" for three or more, "Sa,Su" for two, "We" for one.
fn span(names: &[&str], a: usize, b: usize) -> String {
    match b - a {
        0 => names[a].to_string(),
        1 => format!("{},{}", names[a], names[b]),
        _ => format!("{}-{}", names[a], names[b]),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Range {
    start: u32,
    end: u32,
    open_end: bool,
}

impl Range {
    fn osm(&self) -> String {
        let t = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        if self.open_end { format!("{}+", t(self.start)) } else { format!("{}-{}", t(self.start), t(self.end)) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Date {
    year: Option<u32>,
    month: usize,
    day: u32,
}

impl Date {
    fn osm(&self, with_month: bool) -> String {
        let y = self.year.map(|y| format!("{y} ")).unwrap_or_default();
        if with_month { format!("{y}{} {:02}", MONTHS[self.month], self.day) } else { format!("{:02}", self.day) }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum When {
    Always,
    Dates(Date, Date),
    Date(Date),
    Months([bool; 12]),
}

impl When {
    fn osm(&self) -> String {
        match self {
            When::Always => String::new(),
            When::Date(d) => d.osm(true),
            When::Dates(a, b) => {
                let same = a.month == b.month && a.year == b.year;
                format!("{}-{}", a.osm(true), b.osm(!same || b.year.is_some()))
            }
            When::Months(m) => runs(m).into_iter().map(|(a, b)| span(&MONTHS, a, b)).collect::<Vec<_>>().join(","),
        }
    }
}

/// One positive rule: days, hours, a state and a comment.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    when: When,
    days: Option<Days>,
    times: Vec<Range>,
    /// "le matin" and friends, or a day without hours: open at some point, hours unknown.
    unknown: bool,
    comment: Option<String>,
}

impl Group {
    fn osm(&self) -> String {
        let mut s = self.when.osm();
        let push = |s: &mut String, x: &str| {
            if !x.is_empty() {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(x);
            }
        };
        let days = self.days.as_ref().map(Days::osm).unwrap_or_default();
        let all_week = self.days.as_ref().is_none_or(|d| d.week.iter().all(|x| *x) && !d.ph && d.nth.is_empty());
        let times = self.times.iter().map(Range::osm).collect::<Vec<_>>().join(",");
        if all_week && times == "00:00-24:00" && matches!(self.when, When::Always) && !self.unknown {
            push(&mut s, "24/7");
        } else {
            push(&mut s, &days);
            push(&mut s, &times);
        }
        if self.unknown {
            push(&mut s, "unknown");
        } else if self.comment.is_some() && (s.is_empty() || !times.is_empty() || !days.is_empty()) {
            push(&mut s, "open");
        }
        if let Some(c) = &self.comment {
            push(&mut s, &format!("\"{c}\""));
        }
        s
    }
}

/// A closure: days, a month, a date or a date range, "off".
#[derive(Debug, Clone, PartialEq)]
struct Off {
    when: When,
    days: Option<Days>,
}

struct P<'a> {
    toks: &'a [Tok],
    i: usize,
    groups: Vec<Group>,
    offs: Vec<Off>,
    global_comment: Option<String>,
    ph_off: bool,
}

fn is_w(t: Option<&Tok>, words: &[&str]) -> bool {
    matches!(t, Some(Tok::W(w)) if words.contains(&w.as_str()))
}

fn weekday(w: &str) -> Option<usize> {
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

fn month(w: &str) -> Option<usize> {
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

fn ordinal_word(w: &str) -> Option<i32> {
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
const FILLER: &[&str] = &[
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

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.i + n)
    }
    fn eat_w(&mut self, words: &[&str]) -> bool {
        if is_w(self.peek(), words) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_p(&mut self, chars: &[char]) -> bool {
        if matches!(self.peek(), Some(Tok::P(c)) if chars.contains(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_seq(&mut self, words: &[&str]) -> bool {
        let ok = words.iter().enumerate().all(|(n, w)| is_w(self.peek_at(n), &[w]));
        if ok {
            self.i += words.len();
        }
        ok
    }

    fn fail(&self, reason: &'static str) -> Unreadable {
        let mut near = Vec::new();
        for t in &self.toks[self.i.min(self.toks.len())..] {
            match t {
                Tok::P(';') | Tok::P('.') => break,
                Tok::W(w) => near.push(w.clone()),
                Tok::N(n) => near.push(n.to_string()),
                Tok::Ord(n) => near.push(format!("{n}e")),
                Tok::T(m) => near.push(format!("{}h{:02}", m / 60, m % 60)),
                Tok::P(c) => near.push(c.to_string()),
            }
        }
        Unreadable { near: near.join(" "), reason }
    }

    fn clauses(&mut self) -> Result<(), Unreadable> {
        while self.i < self.toks.len() {
            if self.eat_p(&[';', '.', ',', '/', ':', '(', ')', '-', '|', '!', '*', '&'])
                || self.eat_w(&["et", "puis", "ainsi", "que"])
            {
                continue;
            }
            if self.appointment()? {
                continue;
            }
            if self.closure()? {
                continue;
            }
            if self.eat_w(FILLER) {
                continue;
            }
            let start = self.i;
            if self.group()? {
                continue;
            }
            self.i = start;
            return Err(self.fail("texte non reconnu"));
        }
        Ok(())
    }

    /// "sur rendez-vous", "sur rdv", "sans rendez-vous", "sur inscription".
    fn comment(&mut self) -> Option<String> {
        let save = self.i;
        self.eat_p(&['(']);
        self.eat_w(&["uniquement", "seulement", "exclusivement"]);
        let c = if self.eat_w(&["sur", "avec"]) {
            if self.eat_w(&["rendez-vous", "rdv"]) || self.eat_seq(&["rendez", "vous"]) {
                Some("sur rendez-vous")
            } else if self.eat_w(&["inscription"]) {
                Some("sur inscription")
            } else {
                None
            }
        } else if self.eat_w(&["sans"]) {
            if self.eat_w(&["rendez-vous", "rdv"]) || self.eat_seq(&["rendez", "vous"]) {
                Some("sans rendez-vous")
            } else {
                None
            }
        } else if self.eat_w(&["rendez-vous", "rdv"]) {
            Some("sur rendez-vous")
        } else {
            None
        };
        match c {
            Some(c) => {
                self.eat_w(&["uniquement", "seulement"]);
                self.eat_p(&[')']);
                Some(c.to_string())
            }
            None => {
                self.i = save;
                None
            }
        }
    }

    fn appointment(&mut self) -> Result<bool, Unreadable> {
        match self.comment() {
            Some(c) => {
                self.global_comment.get_or_insert(c);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// "jours fériés", "les jours fériés", "fériés".
    fn holidays(&mut self) -> bool {
        let save = self.i;
        self.eat_w(&["les", "le", "des"]);
        if self.eat_w(&["jours", "jour"]) {
            if self.eat_w(&["feries", "ferie"]) {
                return true;
            }
        } else if self.eat_w(&["feries", "jf"]) {
            return true;
        }
        self.i = save;
        false
    }

    /// "fermé le mercredi", "fermé en août", "fermé du 20 décembre au 4 janvier", "sauf jours
    /// fériés", "fermeture annuelle en août".
    fn closure(&mut self) -> Result<bool, Unreadable> {
        let save = self.i;
        if !self.eat_w(&["ferme", "fermee", "fermes", "fermees", "fermeture", "fermetures", "sauf", "excepte", "hors"])
        {
            return Ok(false);
        }
        self.eat_w(&["annuelle", "exceptionnelle", "estivale"]);
        self.eat_p(&[':']);
        let mut any = false;
        loop {
            self.eat_w(&["le", "les", "la", "l'", "tous"]);
            if self.holidays() {
                self.ph_off = true;
            } else if let Some(when) = self.dates()? {
                self.offs.push(Off { when, days: None });
            } else if let Some(days) = self.days()? {
                if is_w(self.peek(), &["matin", "apres-midi", "soir", "midi"]) {
                    return Err(self.fail("fermeture d'une partie de la journée : précisez les heures d'ouverture"));
                }
                self.add_off(Off { when: When::Always, days: Some(days) });
            } else if is_w(self.peek(), &["vacances", "pendant", "periode", "periodes"]) {
                return Err(self.fail("les vacances scolaires ne sont pas connues de la borne : donnez des dates"));
            } else {
                if !any {
                    self.i = save;
                    return Ok(false);
                }
                return Err(self.fail("fermeture non reconnue"));
            }
            any = true;
            if !(self.eat_w(&["et"]) || self.eat_p(&[','])) {
                break;
            }
            if !self.starts_closure_item() {
                // "…, le samedi de 9h à 12h": a new clause, not another closure.
                self.i -= 1;
                break;
            }
        }
        Ok(true)
    }

    fn starts_closure_item(&self) -> bool {
        let mut j = self.i;
        while is_w(self.toks.get(j), &["le", "les", "la", "l'", "tous", "en", "du", "au", "mois", "des"]) {
            j += 1;
        }
        match self.toks.get(j) {
            Some(Tok::W(w)) => {
                let days_follow = weekday(w).is_some()
                    && !matches!(self.toks.get(j + 1), Some(Tok::T(_)))
                    && !is_w(self.toks.get(j + 1), &["de", "au", "a", "des"])
                    && !matches!(self.toks.get(j + 1), Some(Tok::P('-') | Tok::P(':')));
                days_follow || month(w).is_some() || w == "jours" || w == "feries"
            }
            Some(Tok::N(_) | Tok::Ord(_)) => true,
            _ => false,
        }
    }

    /// A date, a date range or months: "en août", "au mois d'août", "du 20 décembre au 4
    /// janvier", "le 25 décembre", "du 24/12 au 02/01", "de juin à septembre".
    fn dates(&mut self) -> Result<Option<When>, Unreadable> {
        let save = self.i;
        self.eat_w(&["du", "de", "a", "en", "au", "d'"]);
        if self.eat_w(&["mois"]) {
            self.eat_w(&["d'", "de"]);
        }
        let first = self.date_or_month();
        let Some(first) = first else {
            self.i = save;
            return Ok(None);
        };
        let to = if self.eat_w(&["au", "a"])
            || self.eat_p(&['-'])
            || (self.eat_w(&["jusqu'"]) && self.eat_w(&["au", "a", "en"]))
        {
            self.eat_w(&["mois"]);
            match self.date_or_month() {
                Some(x) => Some(x),
                None => return Err(self.fail("fin de période non reconnue")),
            }
        } else {
            None
        };
        Ok(Some(match (first, to) {
            (DM::Month(a), None) => {
                let mut m = [false; 12];
                m[a] = true;
                // "en juillet et août"
                while is_w(self.peek(), &["et"]) || matches!(self.peek(), Some(Tok::P(','))) {
                    let save = self.i;
                    self.i += 1;
                    self.eat_w(&["en"]);
                    match self.peek() {
                        Some(Tok::W(w)) if month(w).is_some() => {
                            m[month(w).unwrap_or(0)] = true;
                            self.i += 1;
                        }
                        _ => {
                            self.i = save;
                            break;
                        }
                    }
                }
                When::Months(m)
            }
            (DM::Month(a), Some(DM::Month(b))) => {
                let mut m = [false; 12];
                let mut k = a;
                loop {
                    m[k] = true;
                    if k == b {
                        break;
                    }
                    k = (k + 1) % 12;
                }
                When::Months(m)
            }
            (DM::Date(d), None) => When::Date(d),
            (DM::Date(a), Some(DM::Date(b))) => When::Dates(a, b),
            (DM::Day(a), Some(DM::Date(b))) => When::Dates(Date { year: b.year, month: b.month, day: a }, b),
            _ => return Err(self.fail("période non reconnue")),
        }))
    }

    fn date_or_month(&mut self) -> Option<DM> {
        let save = self.i;
        self.eat_w(&["le"]);
        match self.peek().cloned() {
            Some(Tok::W(w)) if month(&w).is_some() => {
                self.i += 1;
                let m = month(&w)?;
                if let Some(Tok::N(y)) = self.peek()
                    && (1990..2200).contains(y)
                {
                    // "août 2027" as a month of one year is not supported: say so by not matching.
                    self.i = save;
                    return None;
                }
                Some(DM::Month(m))
            }
            Some(Tok::N(d) | Tok::Ord(d)) if (1..=31).contains(&d) => {
                self.i += 1;
                // 24/12 or 24/12/2026
                if matches!(self.peek(), Some(Tok::P('/'))) {
                    if let Some(Tok::N(m)) = self.peek_at(1).cloned()
                        && (1..=12).contains(&m)
                    {
                        self.i += 2;
                        let mut year = None;
                        if matches!(self.peek(), Some(Tok::P('/')))
                            && let Some(Tok::N(y)) = self.peek_at(1).cloned()
                        {
                            self.i += 2;
                            year = Some(if y < 100 { 2000 + y } else { y });
                        }
                        if d > last_day(m as usize - 1) {
                            self.i = save;
                            return None;
                        }
                        return Some(DM::Date(Date { year, month: m as usize - 1, day: d }));
                    }
                    self.i = save;
                    return None;
                }
                match self.peek().cloned() {
                    Some(Tok::W(w)) if month(&w).is_some() => {
                        self.i += 1;
                        let m = month(&w)?;
                        if d > last_day(m) {
                            self.i = save;
                            return None;
                        }
                        let mut year = None;
                        if let Some(Tok::N(y)) = self.peek().cloned()
                            && (1990..2200).contains(&y)
                        {
                            self.i += 1;
                            year = Some(y);
                        }
                        Some(DM::Date(Date { year, month: m, day: d }))
                    }
                    // "du 1er au 15 août": a day whose month comes after.
                    _ if is_w(self.peek(), &["au"]) => Some(DM::Day(d)),
                    _ => {
                        self.i = save;
                        None
                    }
                }
            }
            _ => {
                self.i = save;
                None
            }
        }
    }

    /// Days: "du lundi au vendredi", "lundi-vendredi", "Lu-Ve", "mardi et jeudi", "les lundis",
    /// "tous les jours", "en semaine", "le week-end", "le 1er samedi du mois", "les jours fériés".
    fn days(&mut self) -> Result<Option<Days>, Unreadable> {
        let save = self.i;
        let mut d = Days::default();
        let mut any = false;
        loop {
            let item_start = self.i;
            self.eat_w(&["le", "les", "la", "du", "tous", "chaque", "et"]);
            if self.eat_w(&["jours", "jour"]) && !self.eat_w(&["feries", "ferie"]) {
                if self.eat_w(&["ouvres", "ouvre"]) {
                    d.week[..5].iter_mut().for_each(|x| *x = true);
                } else if self.eat_w(&["ouvrables", "ouvrable"]) {
                    d.week[..6].iter_mut().for_each(|x| *x = true);
                } else {
                    // "tous les jours"
                    d.week = [true; 7];
                }
                any = true;
            } else if matches!(self.toks.get(self.i.wrapping_sub(1)), Some(Tok::W(w)) if w == "feries" || w == "ferie")
            {
                d.ph = true;
                any = true;
            } else if self.eat_w(&["tlj", "7j7", "quotidien", "quotidiennement"]) {
                d.week = [true; 7];
                any = true;
            } else if self.eat_w(&["semaine"]) || self.eat_seq(&["en", "semaine"]) {
                d.week[..5].iter_mut().for_each(|x| *x = true);
                any = true;
            } else if self.eat_w(&["week-end", "weekend", "we"]) || self.eat_seq(&["fin", "de", "semaine"]) {
                d.week[5] = true;
                d.week[6] = true;
                any = true;
            } else if self.eat_w(&["feries", "jf"]) {
                d.ph = true;
                any = true;
            } else if let Some(nths) = self.ordinals() {
                let Some(Tok::W(w)) = self.peek().cloned() else {
                    return Err(self.fail("jour attendu après le rang"));
                };
                let Some(wd) = weekday(&w) else { return Err(self.fail("jour attendu après le rang")) };
                self.i += 1;
                if !self.eat_seq(&["du", "mois"])
                    && !self.eat_seq(&["de", "chaque", "mois"])
                    && !self.eat_seq(&["de", "mois"])
                {
                    return Err(self.fail("« du mois » attendu"));
                }
                if !d.nth.is_empty() && d.nth != nths {
                    return Err(self.fail("rangs différents selon les jours"));
                }
                d.week[wd] = true;
                d.nth = nths;
                any = true;
            } else if let Some(Tok::W(w)) = self.peek().cloned()
                && let Some(a) = weekday(&w)
            {
                self.i += 1;
                self.eat_p(&['.']);
                // "lundi au vendredi", "Lu-Ve"; not "vendredi à partir de 18h".
                let to_day = |t: Option<&Tok>| matches!(t, Some(Tok::W(w)) if weekday(w).is_some());
                let range_word = (is_w(self.peek(), &["au", "a"]) || matches!(self.peek(), Some(Tok::P('-'))))
                    && (to_day(self.peek_at(1)) || (is_w(self.peek_at(1), &["le"]) && to_day(self.peek_at(2))));
                if range_word {
                    self.i += 1;
                }
                if range_word {
                    self.eat_w(&["le"]);
                    let Some(Tok::W(w2)) = self.peek().cloned() else { return Err(self.fail("jour de fin attendu")) };
                    let Some(b) = weekday(&w2) else { return Err(self.fail("jour de fin attendu")) };
                    self.i += 1;
                    self.eat_p(&['.']);
                    let mut k = a;
                    loop {
                        d.week[k] = true;
                        if k == b {
                            break;
                        }
                        k = (k + 1) % 7;
                    }
                } else {
                    d.week[a] = true;
                }
                if !d.nth.is_empty() && !self.eat_seq(&["du", "mois"]) {
                    return Err(self.fail("rangs différents selon les jours"));
                }
                any = true;
            } else {
                self.i = item_start;
                break;
            }
            // "mardi et jeudi", "lundi, mardi", "dimanche et jours fériés"
            let sep_at = self.i;
            if self.eat_w(&["et"]) || self.eat_p(&[',', '/', '&']) {
                if self.next_is_day_item() {
                    continue;
                }
                self.i = sep_at;
            }
            break;
        }
        if !any {
            self.i = save;
            return Ok(None);
        }
        Ok(Some(d))
    }

    fn next_is_day_item(&self) -> bool {
        let mut j = self.i;
        while is_w(self.toks.get(j), &["le", "les", "la", "du", "tous", "chaque"]) {
            j += 1;
        }
        match self.toks.get(j) {
            Some(Tok::W(w)) => {
                weekday(w).is_some()
                    || ordinal_word(w).is_some()
                    || matches!(w.as_str(), "jours" | "feries" | "jf" | "week-end" | "weekend")
            }
            Some(Tok::Ord(_)) => true,
            _ => false,
        }
    }

    /// "1er", "2e et 4e", "premier et troisième", "dernier".
    fn ordinals(&mut self) -> Option<Vec<i32>> {
        let save = self.i;
        let mut out = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Ord(n)) if (1..=5).contains(&n) => {
                    self.i += 1;
                    out.push(n as i32);
                }
                Some(Tok::W(w)) if ordinal_word(&w).is_some() => {
                    self.i += 1;
                    out.push(ordinal_word(&w).unwrap_or(1));
                }
                _ => break,
            }
            if !(is_w(self.peek(), &["et"]) || matches!(self.peek(), Some(Tok::P(',')))) {
                break;
            }
            let skip = if is_w(self.peek_at(1), &["le", "les"]) { 2 } else { 1 };
            match self.peek_at(skip) {
                Some(Tok::Ord(_)) => self.i += skip,
                Some(Tok::W(w)) if ordinal_word(w).is_some() => self.i += skip,
                _ => break,
            }
        }
        if out.is_empty() {
            self.i = save;
            None
        } else {
            out.sort_by_key(|n| if *n < 0 { 100 } else { *n });
            Some(out)
        }
    }

    fn time(&mut self) -> Option<u32> {
        match self.peek().cloned() {
            Some(Tok::T(m)) => {
                self.i += 1;
                Some(m)
            }
            Some(Tok::W(w)) if w == "midi" => {
                self.i += 1;
                Some(12 * 60)
            }
            Some(Tok::W(w)) if w == "minuit" => {
                self.i += 1;
                Some(24 * 60)
            }
            _ => None,
        }
    }

    /// "de 9h à 12h et de 14h à 17h30", "9h-12h / 14h-17h", "à partir de 17h", "24h/24".
    fn times(&mut self) -> Result<Vec<Range>, Unreadable> {
        let mut out = Vec::new();
        loop {
            let save = self.i;
            self.eat_w(&["de", "entre", "des", "a"]);
            if self.eat_w(&["24h24"]) {
                out.push(Range { start: 0, end: 24 * 60, open_end: false });
            } else if self.eat_seq(&["partir", "de"])
                || (is_w(self.toks.get(self.i.wrapping_sub(1)), &["des"]) && matches!(self.peek(), Some(Tok::T(_))))
            {
                let Some(a) = self.time() else { return Err(self.fail("heure attendue après « à partir de »")) };
                out.push(Range { start: a % (24 * 60), end: 24 * 60, open_end: true });
            } else if let Some(a) = self.time() {
                let range_start = self.i - 1;
                if !(self.eat_w(&["a", "au", "et"])
                    || self.eat_p(&['-', '/', '>'])
                    || (self.eat_w(&["jusqu'"]) && self.eat_w(&["a"])))
                {
                    self.i = range_start;
                    return Err(self.fail("heure de fin attendue"));
                }
                let Some(b) = self.time() else {
                    self.i = range_start;
                    return Err(self.fail("heure de fin attendue"));
                };
                let a = if a == 24 * 60 { 0 } else { a };
                if a == b || a > 24 * 60 {
                    self.i = range_start;
                    return Err(self.fail("plage horaire vide ou impossible"));
                }
                out.push(Range { start: a, end: b, open_end: false });
            } else {
                self.i = save;
                break;
            }
            let sep = self.i;
            if self.eat_w(&["et", "puis"]) || self.eat_p(&[',', '/', ';', '&']) {
                let next_time = {
                    let mut j = self.i;
                    while is_w(self.toks.get(j), &["de", "entre", "a"]) {
                        j += 1;
                    }
                    matches!(self.toks.get(j), Some(Tok::T(_))) || is_w(self.toks.get(j), &["midi"])
                };
                if next_time {
                    continue;
                }
                self.i = sep;
            }
            break;
        }
        Ok(out)
    }

    /// Whether a time range starts `ahead` tokens from here.
    fn times_follow(&self, ahead: usize) -> bool {
        let mut j = self.i + ahead;
        while is_w(self.toks.get(j), &["de", "entre", "des", "a"]) {
            j += 1;
        }
        matches!(self.toks.get(j), Some(Tok::T(_))) || is_w(self.toks.get(j), &["midi", "24h24", "partir"])
    }

    /// "le matin", "l'après-midi", "le soir": a part of the day without hours.
    fn period(&mut self) -> Option<&'static str> {
        let save = self.i;
        self.eat_w(&["le", "l'", "en"]);
        let p = if self.eat_w(&["matin", "matins", "matinee"]) {
            Some("le matin")
        } else if self.eat_w(&["apres-midi", "aprem"]) || self.eat_seq(&["apres", "midi"]) {
            Some("l'après-midi")
        } else if self.eat_w(&["soir", "soirs", "soiree"]) {
            Some("le soir")
        } else {
            None
        };
        if p.is_none() {
            self.i = save;
        }
        p
    }

    /// One rule: days and hours in either order, a period of the year, a comment.
    fn group(&mut self) -> Result<bool, Unreadable> {
        let start = self.i;
        let mut when = self.dates()?.unwrap_or(When::Always);
        self.eat_p(&[',', ':']);
        let mut days = self.days()?;
        self.eat_p(&[':']);
        // "Du lundi au vendredi, de 9h à 17h": the comma does not end the rule.
        if days.is_some() && matches!(self.peek(), Some(Tok::P(','))) && self.times_follow(1) {
            self.i += 1;
        }
        let mut period = self.period();
        self.eat_p(&[':']);
        if let Some(d) = &days
            && self.eat_w(&["ferme", "fermee", "fermes", "fermees", "fermeture"])
        {
            // "Samedi : fermé"
            self.add_off(Off { when: when.clone(), days: Some(d.clone()) });
            return Ok(true);
        }
        let mut comment = self.comment();
        let times = self.times()?;
        if days.is_none() && !times.is_empty() {
            self.eat_p(&[',']);
            days = self.days()?;
        }
        if period.is_none() {
            period = self.period();
        }
        if matches!(when, When::Always)
            && let Some(w) = self.dates()?
        {
            when = w;
        }
        if comment.is_none() {
            comment = self.comment();
        }
        if days.is_none() && times.is_empty() && period.is_none() {
            self.i = start;
            return Ok(false);
        }
        if let Some(d) = &days
            && d.is_empty()
        {
            return Err(self.fail("jours non reconnus"));
        }
        // A day without hours: open at some point, hours to be confirmed.
        let unknown = times.is_empty();
        let comment = match (period, comment) {
            (Some(p), None) if times.is_empty() => Some(p.to_string()),
            (Some(p), Some(c)) if times.is_empty() => Some(format!("{p}, {c}")),
            (_, c) => c,
        };
        self.add_group(Group { when, days, times, unknown, comment });
        Ok(true)
    }

    fn add_group(&mut self, g: Group) {
        // "lundi 9h-12h, lundi 14h-17h": one day, two parts.
        if let Some(prev) = self.groups.iter_mut().find(|p| {
            p.days == g.days && p.when == g.when && p.comment == g.comment && p.unknown == g.unknown && !g.unknown
        }) {
            prev.times.extend(g.times);
            return;
        }
        // "lundi 9h-12h, mardi 9h-12h": same hours, more days.
        if let Some(prev) = self.groups.last_mut()
            && prev.times == g.times
            && prev.when == g.when
            && prev.comment == g.comment
            && prev.unknown == g.unknown
            && let (Some(a), Some(b)) = (&mut prev.days, &g.days)
            && a.nth.is_empty()
            && b.nth.is_empty()
            && !a.overlaps(b)
        {
            for d in 0..7 {
                a.week[d] |= b.week[d];
            }
            a.ph |= b.ph;
            return;
        }
        self.groups.push(g);
    }

    /// "Samedi : fermé ; dimanche : fermé" → `Sa,Su off`.
    fn add_off(&mut self, o: Off) {
        if let Some(prev) = self.offs.last_mut()
            && prev.when == o.when
            && let (Some(a), Some(b)) = (&mut prev.days, &o.days)
            && a.nth.is_empty()
            && b.nth.is_empty()
        {
            for d in 0..7 {
                a.week[d] |= b.week[d];
            }
            a.ph |= b.ph;
            return;
        }
        self.offs.push(o);
    }

    fn emit(&self) -> String {
        let mut rules: Vec<String> = Vec::new();
        for (n, g) in self.groups.iter().enumerate() {
            let mut g = g.clone();
            if g.comment.is_none() {
                g.comment = self.global_comment.clone();
            }
            let text = g.osm();
            // A later rule on days already given adds to them ("et le mercredi de 14h à 17h"):
            // with ";" it would replace them.
            let overlaps = self.groups[..n].iter().any(|p| match (&p.days, &g.days) {
                (Some(a), Some(b)) => a.overlaps(b) && p.when == g.when,
                (None, _) | (_, None) => p.when == g.when,
            });
            if overlaps && let Some(last) = rules.last_mut() {
                last.push_str(", ");
                last.push_str(&text);
            } else {
                rules.push(text);
            }
        }
        if self.groups.is_empty()
            && let Some(c) = &self.global_comment
        {
            rules.push(format!("\"{c}\""));
        }
        for o in &self.offs {
            let mut s = o.when.osm();
            if let Some(d) = &o.days {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&d.osm());
            }
            s.push_str(" off");
            rules.push(s);
        }
        if self.ph_off {
            rules.push("PH off".into());
        }
        rules.join("; ")
    }
}

enum DM {
    Month(usize),
    Date(Date),
    Day(u32),
}

fn last_day(month: usize) -> u32 {
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month.min(11)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example() {
        assert_eq!(
            to_osm("du lundi au vendredi de 9h à 12h et de 14h à 17h30").as_deref(),
            Ok("Mo-Fr 09:00-12:00,14:00-17:30")
        );
    }

    #[test]
    fn nonsense_is_unreadable() {
        let e = to_osm("quand le boulanger passe").unwrap_err();
        assert!(e.near.contains("boulanger"), "{e}");
        assert!(to_osm("").is_err());
    }
}
