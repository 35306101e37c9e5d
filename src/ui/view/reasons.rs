//! The validator's reasons in the screen's language, for the edit form. The validator speaks
//! English on purpose: its lines (`FILE:LINE: field NAME: reason (value)`) are the import's
//! contract with administrators and their scripts. A moderator typing in a French form reads
//! them in French: each reason is matched against the English patterns below and rewritten
//! from `[edit.reasons]` of the i18n file, keeping its variable parts (a length, a commune, the
//! parser's own words). A reason no pattern knows is shown as it is; a test feeds the form
//! every kind of bad value, so a new reason without its pattern fails there.

use crate::i18n::Strings;

/// (English pattern, key in `[edit.reasons]`). `{a}` and `{b}` stand for variable parts.
const PATTERNS: &[(&str, &str)] = &[
    ("required", "required"),
    ("required: at least one theme", "required_theme"),
    ("must be 3 to 64 characters among a-z, 0-9 and -", "id_chars"),
    ("longer than {a} characters", "too_long"),
    ("unknown theme", "unknown_theme"),
    ("unknown type of action", "unknown_action"),
    ("unknown audience", "unknown_audience"),
    ("unknown accessibility value", "unknown_accessibility"),
    ("expected one of {a}", "one_of"),
    ("expected true/false, oui/non or 1/0", "boolean"),
    ("not a commune of the Hauts-de-Seine", "commune"),
    ("expected a postcode of the Hauts-de-Seine (92xxx)", "postcode"),
    ("belongs to {a}, not {b}", "postcode_of"),
    ("latitude and longitude go together", "lat_lon"),
    ("not a number", "number"),
    ("must be between {a} and {b}", "between"),
    ("not a phone number", "phone"),
    ("not an e-mail address", "email"),
    ("must be an http:// or https:// address", "web_scheme"),
    (
        "holds characters a web address cannot (spaces, quotes, <, >, \\, controls or invisible characters)",
        "web_characters",
    ),
    ("names a user before the host (user@host): the real host would be hidden", "web_user"),
    ("the host must be a domain name such as exemple.fr (not an IP address, not one word)", "web_host"),
    (
        "not in OpenStreetMap opening_hours syntax: {a}; write it like \"Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00\"",
        "hours",
    ),
    ("not in OpenStreetMap opening_hours syntax: {a}; {b} (wic import --fix-hours accepts it)", "hours_fix"),
    ("expected ISO 639-1 codes (fr, en, ar…)", "languages"),
    ("expected a date YYYY-MM-DD", "date"),
    ("a reopening date goes with status ferme-temporairement", "reopens_status"),
    ("a reopening date is required (YYYY-MM-DD)", "reopens_required"),
    ("expected FIELD=URL (phone=https://…)", "source_form"),
    ("unknown field name before '='", "source_field"),
    ("the source must be an http:// or https:// address", "source_url"),
];

/// The validator's suggestion after a reason ([`crate::catalogue::validate`]'s `with_hint`).
const HINT: (&str, &str) = ("; did you mean ", "?");

/// `reason` in the language of `s`, or as it is when no pattern knows it.
pub fn reason_text(s: &Strings, reason: &str) -> String {
    translate(s, reason).unwrap_or_else(|| reason.to_string())
}

fn translate(s: &Strings, reason: &str) -> Option<String> {
    let (base, near) = match reason.rsplit_once(HINT.0) {
        Some((base, rest)) if rest.ends_with(HINT.1) => (base, Some(&rest[..rest.len() - HINT.1.len()])),
        _ => (reason, None),
    };
    let (key, parts) = PATTERNS.iter().find_map(|(pattern, key)| captures(pattern, base).map(|c| (*key, c)))?;
    let args: Vec<(&str, &str)> = ["a", "b"].into_iter().zip(parts.iter().map(String::as_str)).collect();
    let mut out = s.fmt(&format!("edit.reasons.{key}"), &args);
    if let Some(near) = near {
        out.push_str(&s.fmt("edit.reasons.did_you_mean", &[("near", near)]));
    }
    Some(out)
}

/// The variable parts of `text` if it matches `pattern` (literal text around `{a}`/`{b}`). A
/// placeholder takes the text up to the next literal's first occurrence, or, before the
/// pattern's last literal, up to the end's.
fn captures(pattern: &str, text: &str) -> Option<Vec<String>> {
    let mut literals: Vec<&str> = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        literals.push(&rest[..at]);
        rest = rest.get(at + 3..)?;
    }
    literals.push(rest);
    let mut parts = Vec::new();
    let mut text = text.strip_prefix(literals[0])?;
    for (i, literal) in literals.iter().enumerate().skip(1) {
        let last = i == literals.len() - 1;
        let cut = if last { text.strip_suffix(literal).map(str::len)? } else { text.find(literal)? };
        if cut == 0 {
            return None;
        }
        parts.push(text[..cut].to_string());
        text = &text[cut + literal.len()..];
    }
    (literals.len() > 1 || text.is_empty()).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Reference;
    use crate::catalogue::edit::{Form, Intent};

    #[test]
    fn patterns_capture_their_variable_parts() {
        assert_eq!(captures("required", "required"), Some(vec![]));
        assert_eq!(captures("required", "required: at least one theme"), None);
        assert_eq!(captures("longer than {a} characters", "longer than 120 characters"), Some(vec!["120".into()]));
        assert_eq!(
            captures("belongs to {a}, not {b}", "belongs to Clichy, not Nanterre"),
            Some(vec!["Clichy".into(), "Nanterre".into()])
        );
        let fr = Strings::load("fr");
        assert_eq!(
            reason_text(&fr, "unknown theme; did you mean se-nourrir?"),
            "thème inconnu ; vouliez-vous dire se-nourrir ?"
        );
        assert_eq!(reason_text(&fr, "something new"), "something new");
    }

    /// Every kind of bad value the form can be given: each reason the validator gives for them
    /// has its words in every language but English (a reason added without its pattern, or a
    /// language left in English, fails here).
    #[test]
    fn every_reason_the_form_can_show_is_translated() {
        let reference = Reference::embedded().expect("reference");
        let languages: Vec<Strings> = ["fr", "es", "pt", "uk", "ro", "ar"].into_iter().map(Strings::load).collect();
        let translated = |reason: &str| {
            for s in &languages {
                let t = translate(s, reason);
                assert!(t.as_deref().is_some_and(|t| t != reason), "no {} for {reason:?}: {t:?}", s.lang);
            }
        };
        let long = "x".repeat(250);
        let cases: &[&[(&str, &str)]] = &[
            &[("id", ""), ("name", ""), ("themes", "")],
            &[("id", "Pas Bon!"), ("name", &long), ("summary", &long), ("summary_en", &long)],
            &[("themes", "se-nourir|zzzz"), ("actions", "zzzz"), ("audience", "zzzz"), ("accessibility", "zzzz")],
            &[("kind", "zzzz"), ("access", "libr"), ("price", "zzzz"), ("status", "zzzz"), ("online", "peut-être")],
            &[("commune", "Paris"), ("postcode", "75001")],
            &[("commune", "Nanterre"), ("postcode", "92110")],
            &[("latitude", "48.9")],
            &[("latitude", "abc"), ("longitude", "500")],
            &[("phone", "12"), ("email", "nope"), ("website", "javascript:alert(1)")],
            &[("website", "https://user@exemple.fr")],
            &[("website", "https://10.0.0.1")],
            &[("website", "https://exemple.fr/a b")],
            &[("opening_hours", "n'importe quoi")],
            &[("opening_hours", "lundi 9h-12h")],
            &[("languages", "français"), ("reopens", "demain"), ("updated", "hier")],
            &[("reopens", "2027-01-05")],
            &[("sources", "pas une source|zzzz=https://exemple.fr|phone=ftp://exemple.fr")],
        ];
        let mut seen = 0;
        for case in cases {
            let mut form = Form::new_entry("2026-12-02");
            for (field, value) in
                [("id", "une-fiche"), ("name", "Une fiche"), ("themes", "se-nourrir"), ("commune", "Nanterre")]
            {
                form.set(field, value);
            }
            for (field, value) in *case {
                form.set(field, *value);
            }
            let problems = form.prepare(&Intent::Save, "2026-12-02", &reference).expect_err("refused");
            for p in problems {
                seen += 1;
                translated(&p.reason);
            }
        }
        let reopens = Form::new_entry("2026-12-02").prepare(&Intent::CloseUntil, "2026-12-02", &reference);
        for p in reopens.expect_err("refused") {
            translated(&p.reason);
        }
        assert!(seen >= 30, "the cases reach every reason ({seen} problems)");
    }
}
