//! Accent and case folding, the one definition of "the same letters" used for matching
//! commune names, highlighting prefixes, and making ids.

/// Lower-cases and removes accents, ligatures and other diacritics from Latin letters, so that
/// "Châtenay-Malabry", "CHATENAY malabry" and "chatenay-malabry" compare equal after folding
/// (hyphens and apostrophes are kept; callers split on them as they need).
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => out.push('a'),
            'ç' | 'Ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => out.push('i'),
            'ñ' | 'Ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => out.push('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' | '‘' | 'ʼ' => out.push('\''),
            '‐' | '‑' | '‒' | '–' | '—' => out.push('-'),
            // Combining marks (decomposed accents) disappear.
            '\u{0300}'..='\u{036f}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// An ASCII slug: folded, every run of other characters replaced by one `-`, trimmed.
pub fn slugify(input: &str) -> String {
    let folded = fold(input);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A name as a person would compare it: folded, with hyphens, apostrophes, punctuation and
/// spaces unified, so that "Ville d'Avray", "ville-d-avray" and "Ville-d'Avray" are one key.
/// Communes are found by it, and `wic check` groups duplicate initiatives by it.
pub fn name_key(name: &str) -> String {
    fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french() {
        assert_eq!(fold("Châtenay-Malabry"), "chatenay-malabry");
        assert_eq!(fold("CŒUR"), "coeur");
        assert_eq!(fold("L’Île"), "l'ile");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Ma P'tite Échoppe — Antony"), "ma-p-tite-echoppe-antony");
        assert_eq!(slugify("  --Vélo!!  "), "velo");
    }
}
