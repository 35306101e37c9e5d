//! Every visible string, by language, from `assets/i18n/<lang>.toml`. A new language is one
//! more file added to [`LANGUAGES`]; a key missing in a translation falls back to French.

use std::collections::HashMap;

/// The embedded translations, French first (the reference). Spanish, Portuguese, Ukrainian and
/// Romanian were translated by an assistant session (issue #17) and await a native speaker's
/// review (each file says what to check first). `assets/i18n/ar.toml` exists but is not
/// offered: terminals don't lay out right-to-left text, and we don't yet.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("fr", include_str!("../assets/i18n/fr.toml")),
    ("en", include_str!("../assets/i18n/en.toml")),
    ("es", include_str!("../assets/i18n/es.toml")),
    ("pt", include_str!("../assets/i18n/pt.toml")),
    ("uk", include_str!("../assets/i18n/uk.toml")),
    ("ro", include_str!("../assets/i18n/ro.toml")),
];

/// A language's name in its own words ("Español", "Українська"), as its file's `lang.name`
/// says; the code itself for a language we don't have.
pub fn own_name(code: &str) -> &str {
    static NAMES: std::sync::OnceLock<HashMap<&'static str, String>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        LANGUAGES
            .iter()
            .filter_map(|(c, text)| flatten(text).ok().and_then(|m| m.get("lang.name").cloned()).map(|n| (*c, n)))
            .collect()
    });
    names.get(code).map(String::as_str).unwrap_or(code)
}

/// The i18n keys of the days of the week, Monday first (the weekly tables of the detail page,
/// the printed pages and the ticket).
pub const DAY_KEYS: [&str; 7] = ["days.mo", "days.tu", "days.we", "days.th", "days.fr", "days.sa", "days.su"];

#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    map: HashMap<String, String>,
    fallback: HashMap<String, String>,
}

/// Flattens `[section] key = "v"` into `section.key`.
pub fn flatten(text: &str) -> Result<HashMap<String, String>, toml::de::Error> {
    let value: toml::Table = toml::from_str(text)?;
    let mut out = HashMap::new();
    fn walk(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in table {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::Table(t) => walk(&key, t, out),
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                other => {
                    out.insert(key, other.to_string());
                }
            }
        }
    }
    walk("", &value, &mut out);
    Ok(out)
}

impl Strings {
    /// "1er décembre 2026", "1 December 2026": the one way a date is written to a person, in
    /// this language (screens, printed pages, tickets).
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let day = if date.day() == 1 { self.get("page.first_day").to_string() } else { date.day().to_string() };
        self.fmt("page.date", &[("day", &day), ("month", self.month(date)), ("year", &date.year().to_string())])
    }

    /// "janvier 2015", "January 2015".
    pub fn month_year(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!("{} {}", self.month(date), date.year())
    }

    fn month(&self, date: chrono::NaiveDate) -> &str {
        use chrono::Datelike;
        self.get("page.months").split(',').map(str::trim).nth(date.month0() as usize).unwrap_or("")
    }

    /// The strings of `lang` (unknown languages get French).
    pub fn load(lang: &str) -> Strings {
        let parse = |code: &str| {
            LANGUAGES.iter().find(|(c, _)| *c == code).and_then(|(_, text)| flatten(text).ok()).unwrap_or_default()
        };
        let fallback = parse("fr");
        let known = LANGUAGES.iter().any(|(c, _)| *c == lang);
        let lang = if known { lang } else { "fr" };
        Strings { lang: lang.to_string(), map: parse(lang), fallback }
    }

    /// The string for `key`, or the key itself (visible, so a missing string is noticed).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).or_else(|| self.fallback.get(key)).map(String::as_str).unwrap_or(key)
    }

    /// `get` with `{name}` placeholders filled, in one pass: a value that itself holds
    /// `{…}` (a file name, an error) is printed as is, never filled in turn.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = self.get(key);
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let filled = after
                .find('}')
                .and_then(|close| args.iter().find(|(name, _)| *name == &after[..close]).map(|(_, v)| (close, v)));
            match filled {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A vocabulary value ("gratuit", "pret") in words.
    pub fn value<'a>(&'a self, v: &'a str) -> &'a str {
        let key = format!("values.{v}");
        self.map.get(&key).or_else(|| self.fallback.get(&key)).map(String::as_str).unwrap_or(v)
    }

    /// The string for `key` in this language's own file only (no French fallback): for what
    /// other data holds in French and English, like theme names (`themes.<slug>.label`).
    pub fn own(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// The name of a language spoken on site ("ar" → "arabe"); an unknown code as it is.
    pub fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        let key = format!("language_names.{code}");
        self.map.get(&key).or_else(|| self.fallback.get(&key)).map(String::as_str).unwrap_or(code)
    }
}

/// The codes of [`LANGUAGES`], comma-separated, for messages ("fr, en").
pub fn offered_codes() -> String {
    LANGUAGES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// `--lang`'s value parser: a code of [`LANGUAGES`], or a usage error naming the codes offered
/// (clap prints it and exits 2).
pub fn parse_lang_code(code: &str) -> Result<String, String> {
    match LANGUAGES.iter().find(|(c, _)| *c == code) {
        Some((c, _)) => Ok((*c).to_string()),
        None => Err(format!("unknown language; offered: {}", offered_codes())),
    }
}

/// The language the command line speaks: `--lang` when given, else English when the locale
/// that governs messages is English (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, the first one
/// set and not empty, as POSIX orders them, starting with `en`), else French: the users are
/// French. One rule for every subcommand.
pub fn command_line_language(flag: Option<&str>) -> &'static str {
    language_from(flag, &|name| std::env::var(name).ok())
}

/// [`command_line_language`] with the environment given (tests).
pub fn language_from(flag: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> &'static str {
    let known = |code: &str| LANGUAGES.iter().map(|(c, _)| *c).find(|c| *c == code);
    // An unknown flag was refused by clap already ([`parse_lang_code`]); here it is ignored.
    if let Some(code) = flag.and_then(known) {
        return code;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().filter_map(|v| env(v)).find(|v| !v.is_empty());
    match locale {
        Some(l) if l.starts_with("en") => "en",
        _ => "fr",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_french_key() {
        let fr = flatten(LANGUAGES[0].1).unwrap();
        for (code, text) in LANGUAGES {
            let map = flatten(text).unwrap_or_else(|e| panic!("{code}.toml: {e}"));
            let mut missing: Vec<&String> = fr.keys().filter(|k| !map.contains_key(*k)).collect();
            missing.sort();
            assert!(missing.is_empty(), "{code}.toml lacks {missing:?}");
            // And the other way: a key only a translation has is a typo or a forgotten French
            // string (French is the fallback, so it would show the raw key).
            // (Theme names are the exception: French and English ones live in
            // seeds/themes.csv, other languages translate them as `themes.<slug>.*`.)
            let mut extra: Vec<&String> =
                map.keys().filter(|k| !fr.contains_key(*k) && !k.starts_with("themes.")).collect();
            extra.sort();
            assert!(extra.is_empty(), "fr.toml lacks {extra:?} that {code}.toml has");
        }
    }

    #[test]
    fn placeholders_agree_across_languages() {
        // `{name}` left unfilled would print as is: every translation uses the French names.
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let fr = flatten(LANGUAGES[0].1).unwrap();
        for (code, text) in &LANGUAGES[1..] {
            let map = flatten(text).unwrap();
            for (key, value) in &map {
                if let Some(french) = fr.get(key) {
                    assert_eq!(names(value), names(french), "{code}.toml {key}: placeholders differ from fr.toml");
                }
            }
        }
    }

    #[test]
    fn command_line_language_follows_flag_then_locale_then_french() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        // Nothing set, or a neutral locale: French.
        assert_eq!(language_from(None, &env(&[])), "fr");
        assert_eq!(language_from(None, &env(&[("LANG", "C.UTF-8")])), "fr");
        assert_eq!(language_from(None, &env(&[("LANG", "fr_FR.UTF-8")])), "fr");
        // An English locale, from any of the three variables.
        assert_eq!(language_from(None, &env(&[("LANG", "en_GB.UTF-8")])), "en");
        assert_eq!(language_from(None, &env(&[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "fr_FR.UTF-8")])), "en");
        assert_eq!(language_from(None, &env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "C")])), "en");
        // POSIX order: LC_ALL over LC_MESSAGES over LANG; an empty variable does not count.
        assert_eq!(language_from(None, &env(&[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "en_GB.UTF-8")])), "fr");
        assert_eq!(language_from(None, &env(&[("LC_ALL", ""), ("LANG", "en_GB.UTF-8")])), "en");
        // --lang wins over the locale, both ways.
        assert_eq!(language_from(Some("en"), &env(&[("LANG", "fr_FR.UTF-8")])), "en");
        assert_eq!(language_from(Some("fr"), &env(&[("LC_ALL", "en_GB.UTF-8")])), "fr");
        // An unknown code never gets this far (clap refuses it), and is ignored if it does.
        assert_eq!(language_from(Some("xx"), &env(&[])), "fr");
    }

    #[test]
    fn unknown_lang_code_is_refused_naming_the_offered_ones() {
        assert_eq!(parse_lang_code("en").as_deref(), Ok("en"));
        let e = parse_lang_code("xx").unwrap_err();
        assert!(e.contains("fr, en"), "{e}");
    }

    #[test]
    fn fills_placeholders_and_falls_back() {
        let en = Strings::load("en");
        assert_eq!(en.fmt("search.results", &[("n", "3")]), "3 result(s)");
        // A value holding a placeholder's name is not filled again; unknown names stay.
        assert_eq!(en.fmt("cli.index.missing", &[("fix", "{fix} {x}")]), "the search index is missing: {fix} {x}");
        assert_eq!(en.fmt("cli.index.missing", &[]), "the search index is missing: {fix}");
        assert_eq!(Strings::load("xx").lang, "fr");
        assert_eq!(en.value("gratuit"), "free");
    }
}
