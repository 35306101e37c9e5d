//! The recorded typing session: what visitors type, keystroke by keystroke, generated from the
//! synthetic vocabulary so that every engine sees exactly the same queries on every machine.
//!
//! A visitor types a word letter by letter (each letter is a search), sometimes two words,
//! sometimes without the accents ("reparation") or with accents that are not there
//! ("épicérie"), sometimes with a typo corrected by Backspace, sometimes one left in; some
//! sessions have a theme, commune, online or free filter on. Each entry of the session is the
//! state of the search field after one keystroke.

use serde::Serialize;

use crate::catalogue::Reference;
use crate::search::SearchRequest;
use crate::synth::{Rng, vocabulary};
use crate::text::fold;
use crate::ui::app::{Filters, Place};

/// The search field and filters after one keystroke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenchQuery {
    pub text: String,
    pub theme: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    pub online: bool,
    pub free: bool,
}

impl BenchQuery {
    pub fn request(&self, limit: usize) -> SearchRequest {
        SearchRequest {
            text: self.text.clone(),
            theme: self.theme.clone(),
            commune: self.commune.clone(),
            online: self.online.then_some(true),
            free_only: self.free,
            limit,
        }
    }

    /// The App's filters for this query.
    pub fn filters(&self) -> Filters {
        Filters {
            theme: self.theme.clone(),
            commune: self.commune.clone(),
            place: if self.online { Place::Online } else { Place::All },
            free: self.free,
            ..Default::default()
        }
    }

    pub fn same_filters(&self, other: &BenchQuery) -> bool {
        self.theme == other.theme
            && self.commune == other.commune
            && self.online == other.online
            && self.free == other.free
    }
}

/// A query any catalogue from [`crate::synth`] answers, in every engine (for sanity checks).
pub const KNOWN_QUERY: &str = "épicerie soli";

/// `count` queries (successive keystrokes), the same for a given `seed`.
pub fn session(count: usize, seed: u64, reference: &Reference) -> Vec<BenchQuery> {
    let mut rng = Rng::new(seed.wrapping_add(0x5e55_1011));
    let words = vocabulary();
    let communes: Vec<&str> = reference.communes.iter().map(|c| c.name.as_str()).collect();
    let mut out: Vec<BenchQuery> = Vec::with_capacity(count);
    while out.len() < count {
        let word = |rng: &mut Rng| -> String {
            if !communes.is_empty() && rng.chance(8) {
                rng.pick(&communes).to_lowercase()
            } else {
                rng.pick(&words).to_lowercase()
            }
        };
        // What is typed: keystrokes, `None` being Backspace.
        let mut keys: Vec<Option<char>> = Vec::new();
        let typed = |s: &str, keys: &mut Vec<Option<char>>| keys.extend(s.chars().map(Some));
        match rng.below(10) {
            0..=3 => {
                let w = word(&mut rng);
                typed(&w, &mut keys);
            }
            4 | 5 => {
                let (a, b) = (word(&mut rng), word(&mut rng));
                typed(&format!("{a} {b}"), &mut keys);
            }
            6 => typed(&fold(&word(&mut rng)), &mut keys),
            7 => {
                let w = fold(&word(&mut rng));
                let with_accents: String =
                    w.chars().map(|c| if c == 'e' && rng.chance(60) { 'é' } else { c }).collect();
                typed(&with_accents, &mut keys);
            }
            _ => {
                // A typo: one wrong letter; corrected with Backspace half the time.
                let w = word(&mut rng);
                let chars: Vec<char> = w.chars().collect();
                let at = 1 + rng.below(chars.len().saturating_sub(1).max(1));
                let wrong = *rng.pick(&['a', 'e', 'i', 'r', 's', 't', 'z', 'q']);
                let correct = rng.chance(50);
                for (i, c) in chars.iter().enumerate() {
                    if i == at && wrong != *c {
                        keys.push(Some(wrong));
                        if correct {
                            keys.push(None);
                            keys.push(Some(*c));
                        }
                    } else {
                        keys.push(Some(*c));
                    }
                }
            }
        }
        let mut template = BenchQuery { text: String::new(), theme: None, commune: None, online: false, free: false };
        if rng.chance(25) {
            match rng.below(4) {
                0 if !reference.themes.is_empty() => template.theme = Some(rng.pick(&reference.themes).slug.clone()),
                1 if !reference.communes.is_empty() => {
                    template.commune = Some(rng.pick(&reference.communes).insee.clone())
                }
                2 => template.online = true,
                _ => template.free = true,
            }
        }
        for key in keys {
            match key {
                Some(c) => template.text.push(c),
                None => {
                    template.text.pop();
                }
            }
            if template.text.trim().is_empty() {
                continue;
            }
            out.push(template.clone());
            if out.len() == count {
                break;
            }
        }
    }
    out
}

/// Hostile input (issue #6): what a pasted document, a curious visitor or a stray escape
/// sequence puts in the search field. Each must be answered within 100 ms, as plain words:
/// user text never reaches tantivy's query parser (`src/search/query.rs`).
pub fn hostile() -> Vec<(&'static str, String)> {
    let prose = "Épicerie solidaire du quartier : fruits, légumes et produits d'hygiène à petits prix. ";
    let mut ten_kb = String::new();
    while ten_kb.len() < 10 * 1024 {
        ten_kb.push_str(prose);
    }
    let one_word: String = "réparationvélo".chars().cycle().take(10 * 1024 / 2).collect();
    vec![
        ("10 kB of prose", ten_kb),
        ("10 kB, one word", one_word),
        ("30 nested parentheses", format!("{}vélo{}", "(".repeat(30), ")".repeat(30))),
        ("stray quotes", "\"vélo \"répar' \"\" l'épicerie\"".to_string()),
        ("field:value", "name:vélo themes:se-nourrir commune:92050".to_string()),
        ("a lone star", "*".to_string()),
        ("wildcards", "vél* *cerie ?pice".to_string()),
        ("fuzzy ~2", "velo~2 reparation~".to_string()),
        ("boolean syntax", "vélo AND NOT (repas OR -jardin) +amap ^3 [a TO z] {0 TO 9}".to_string()),
        ("control characters", "v\u{1b}[2J\u{7}é\u{0}lo\r\n\t\u{202e}rép\u{200b}ar\u{8}\u{7f}".to_string()),
        ("punctuation only", "!!! ??? ... ;;; ::: /// \\\\ ||| &&&".to_string()),
        ("long typo-prone words", "anticonstitutionnellement intergénérationnelles accompagnements".to_string()),
    ]
}

/// The words of a query, folded, as the baselines match them; and whether the last one is
/// still being typed (a prefix).
pub fn folded_words(text: &str) -> (Vec<String>, bool) {
    let words =
        fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
    (words, !text.ends_with(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_mix() {
        let r = Reference::embedded().unwrap();
        let s = session(200, 42, &r);
        assert_eq!(s.len(), 200);
        assert_eq!(s, session(200, 42, &r));
        assert!(s.iter().any(|q| q.text.contains(' ')));
        assert!(s.iter().any(|q| q.theme.is_some() || q.commune.is_some() || q.online || q.free));
        assert!(s.iter().any(|q| q.text.chars().count() == 1));
        assert!(s.iter().any(|q| !q.text.is_ascii()));
        assert!(s.iter().all(|q| !q.text.trim().is_empty()));
    }

    #[test]
    fn hostile_set_covers_the_issue() {
        let h = hostile();
        assert!(h.iter().any(|(_, t)| t.len() >= 10 * 1024));
        assert!(h.iter().any(|(_, t)| t.matches('(').count() == 30));
        assert!(h.iter().any(|(_, t)| t.contains(':')) && h.iter().any(|(_, t)| t == "*"));
        assert!(h.iter().any(|(_, t)| t.contains("~2")) && h.iter().any(|(_, t)| t.contains('\u{1b}')));
    }
}
