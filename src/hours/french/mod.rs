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
//!
//! In four parts: [`lex`] (normalising and cutting the text into words and marks), [`model`]
//! (days, times, dates and the rules they make), [`parse`] (clauses, closures, groups and the
//! OSM string) and [`calendar`] (the parser's reading of days, dates and times).

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

mod calendar;
mod lex;
mod model;
mod parse;

use self::lex::*;
use self::model::*;
use self::parse::P;

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
