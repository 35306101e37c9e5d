//! What the terminal can draw, read once from the environment: `TERM`, `COLORTERM`,
//! `NO_COLOR` (no-color.org: an empty value is ignored) and the locale. One home for the
//! rules, used by the interface's palette, the charts of `wic stats` and `wic doctor`.

/// How many colours to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    /// No colour: bold, underline and reverse video only.
    Mono,
    /// The 16 named colours (the Linux console has 8 backgrounds).
    Ansi16,
    /// 256 colours or true colour.
    Full,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    pub term: String,
    pub colorterm: String,
    /// `NO_COLOR` is set and not empty.
    pub no_color: bool,
    /// The first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set and not empty.
    pub locale: Option<String>,
}

impl TermEnv {
    pub fn from_env() -> TermEnv {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        TermEnv {
            term: var("TERM"),
            colorterm: var("COLORTERM"),
            no_color: !var("NO_COLOR").is_empty(),
            locale: ["LC_ALL", "LC_CTYPE", "LANG"].iter().map(|v| var(v)).find(|v| !v.is_empty()),
        }
    }

    /// Terminals without box-drawing, arrows or block glyphs: the Linux console (its font
    /// lacks most of them), VT terminals, dumb ones and an unset `TERM`.
    pub fn ascii_only(&self) -> bool {
        let t = self.term.as_str();
        matches!(t, "linux" | "dumb" | "") || t.starts_with("vt")
    }

    /// Whether the full and half blocks (█ ▀ ▄) show: everywhere box drawing does, and on the
    /// Linux console, whose default font and every console-setup font map them (they are in
    /// the CP437 set the console's fonts descend from), though it lacks arrows and most box
    /// drawing.
    pub fn block_glyphs(&self) -> bool {
        !self.ascii_only() || self.term == "linux"
    }

    /// Whether the locale is UTF-8 (accents and block glyphs show as they should).
    pub fn utf8_locale(&self) -> bool {
        self.locale.as_deref().is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        })
    }

    pub fn colours(&self) -> Colours {
        let t = self.term.as_str();
        if self.no_color || t == "dumb" || t.starts_with("vt") {
            Colours::Mono
        } else if t.contains("256color") || self.colorterm == "truecolor" || self.colorterm == "24bit" {
            Colours::Full
        } else {
            Colours::Ansi16
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(term: &str, colorterm: &str, no_color: bool, locale: Option<&str>) -> TermEnv {
        TermEnv { term: term.into(), colorterm: colorterm.into(), no_color, locale: locale.map(String::from) }
    }

    #[test]
    fn the_linux_console_is_ascii_with_sixteen_colours() {
        let e = env("linux", "", false, Some("C.UTF-8"));
        assert!(e.ascii_only());
        assert_eq!(e.colours(), Colours::Ansi16);
        assert!(e.block_glyphs(), "the console's font has the QR code's blocks");
        assert!(!env("vt100", "", false, None).block_glyphs());
        assert!(!env("dumb", "", false, None).block_glyphs());
    }

    #[test]
    fn no_color_wins_and_an_empty_one_is_ignored() {
        assert_eq!(env("xterm-256color", "", true, None).colours(), Colours::Mono);
        assert_eq!(env("xterm-256color", "", false, None).colours(), Colours::Full);
        assert_eq!(env("xterm", "truecolor", false, None).colours(), Colours::Full);
        assert_eq!(env("xterm", "", false, None).colours(), Colours::Ansi16);
    }

    #[test]
    fn locales_are_read_case_blind() {
        assert!(env("xterm", "", false, Some("fr_FR.utf8")).utf8_locale());
        assert!(!env("xterm", "", false, Some("POSIX")).utf8_locale());
        assert!(!env("xterm", "", false, None).utf8_locale());
    }
}
