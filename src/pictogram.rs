//! Each theme's sign, so that a visitor who reads little can find "Se nourrir" by its picture
//! on Home, in the results and on a printed ticket (issue #17). The same sign everywhere a
//! theme is named.
//!
//! The signs are single-width characters that common monospace fonts draw (DejaVu Sans Mono,
//! Liberation Mono, Noto Sans Mono) and that `unicode-width` counts as one column, so they
//! never shift a layout; emoji (🍎, two columns, and often in colour) are avoided. Where the
//! terminal can only be trusted with ASCII (the Linux console, `--ascii`), a theme shows a
//! letter code in brackets instead: "[N]". Themes are data that administrators may extend: a
//! theme missing here shows no sign.

/// How signs are written: Unicode pictograms, or ASCII letter codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signs {
    Unicode,
    Ascii,
}

impl Signs {
    pub fn new(ascii: bool) -> Signs {
        if ascii { Signs::Ascii } else { Signs::Unicode }
    }
}

/// (theme slug, Unicode sign, ASCII letter). The letters follow the French verbs (Nourrir,
/// Loger, Habiller…); what matters is that each is the same on every screen and ticket.
const SIGNS: &[(&str, &str, &str)] = &[
    // A steaming dish.
    ("se-nourrir", "♨", "N"),
    // A house (U+2302, also in the PC character set).
    ("se-loger", "⌂", "L"),
    // Scissors: sewing, mending, the vestiboutique.
    ("s-habiller", "✂", "H"),
    // Reuse: ressourceries, repair cafés, lending and giving things.
    ("s-equiper", "♻", "E"),
    // Going from one place to another.
    ("se-deplacer", "⇄", "D"),
    // Hammer and pick: work.
    ("travailler", "⚒", "T"),
    // A musical note: outings, culture, leisure.
    ("se-divertir", "♪", "V"),
    ("se-financer", "€", "F"),
    // The sun (U+263C, also in the PC character set).
    ("partir-en-vacances", "☼", "P"),
    ("s-entraider", "♥", "A"),
];

/// The sign of the theme `slug` as `signs` writes it ("♨", or "[N]"); None for a theme
/// without one.
pub fn sign(slug: &str, signs: Signs) -> Option<String> {
    let (_, unicode, letter) = SIGNS.iter().find(|(s, _, _)| *s == slug)?;
    Some(match signs {
        Signs::Unicode => unicode.to_string(),
        Signs::Ascii => format!("[{letter}]"),
    })
}

/// "♨ Se nourrir": the label with its sign in front, or the label alone.
pub fn labelled(slug: &str, label: &str, signs: Signs) -> String {
    match sign(slug, signs) {
        Some(s) => format!("{s} {label}"),
        None => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn every_shipped_theme_has_a_distinct_single_width_sign_and_letter() {
        // The shipped themes, read from the seed file itself (this leaf names no other module).
        let slugs: Vec<&str> =
            include_str!("../seeds/themes.csv").lines().skip(1).filter_map(|l| l.split(',').next()).collect();
        let mut unicode = std::collections::HashSet::new();
        let mut ascii = std::collections::HashSet::new();
        for slug in &slugs {
            let u = sign(slug, Signs::Unicode).unwrap_or_else(|| panic!("{slug} has no sign"));
            assert_eq!(u.width(), 1, "{slug} {u}");
            // Text presentation: no emoji variation selector, no second code point.
            assert_eq!(u.chars().count(), 1, "{u}");
            let a = sign(slug, Signs::Ascii).unwrap();
            assert!(a.is_ascii() && a.len() == 3, "{a}");
            assert!(unicode.insert(u) && ascii.insert(a), "{slug} shares its sign");
        }
        assert_eq!(SIGNS.len(), slugs.len(), "a sign for a theme that does not exist");
    }

    #[test]
    fn an_unknown_theme_keeps_its_bare_label() {
        assert_eq!(labelled("se-nourrir", "Se nourrir", Signs::Unicode), "♨ Se nourrir");
        assert_eq!(labelled("se-nourrir", "Food", Signs::Ascii), "[N] Food");
        assert_eq!(labelled("nouveau", "Nouveau", Signs::Unicode), "Nouveau");
    }
}
