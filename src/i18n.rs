//! Every visible string, by language, from `assets/i18n/<lang>.toml`. A new language is one
//! more file added to [`LANGUAGES`]; a key missing in a translation falls back to French.

use std::collections::HashMap;

/// The embedded translations, French first (the reference).
pub const LANGUAGES: &[(&str, &str)] =
    &[("fr", include_str!("../assets/i18n/fr.toml")), ("en", include_str!("../assets/i18n/en.toml"))];

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

    /// `get` with `{name}` placeholders filled.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A vocabulary value ("gratuit", "pret") in words.
    pub fn value<'a>(&'a self, v: &'a str) -> &'a str {
        let key = format!("values.{v}");
        self.map.get(&key).or_else(|| self.fallback.get(&key)).map(String::as_str).unwrap_or(v)
    }

    /// The next language in [`LANGUAGES`] (F2 cycles).
    pub fn next_lang(&self) -> &'static str {
        let i = LANGUAGES.iter().position(|(c, _)| *c == self.lang).unwrap_or(0);
        LANGUAGES[(i + 1) % LANGUAGES.len()].0
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
        }
    }

    #[test]
    fn fills_placeholders_and_falls_back() {
        let en = Strings::load("en");
        assert_eq!(en.fmt("search.results", &[("n", "3")]), "3 result(s)");
        assert_eq!(Strings::load("xx").lang, "fr");
        assert_eq!(en.value("gratuit"), "free");
    }
}
