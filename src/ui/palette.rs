//! Colours and symbols by terminal capability. Views ask for a *meaning* (title, selected,
//! highlight…), never a colour, so one table per capability decides how each looks; selection
//! is never shown by colour alone (reverse video plus a marker).

use ratatui::style::{Color, Modifier, Style};

/// What the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// 256 colours (xterm-256color, most SSH clients).
    Full,
    /// The 16 named colours (and only 8 backgrounds on the Linux console).
    Ansi16,
    /// No colour at all (`NO_COLOR`, dumb terminals): bold, underline and reverse only.
    Mono,
    /// Black and white with strong emphasis (`--high-contrast`).
    HighContrast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Text,
    Title,
    Muted,
    Selected,
    Highlight,
    Key,
    Warning,
    Border,
    Tile,
    Badge,
    Input,
}

/// Drawing characters: box drawing and arrows, or plain ASCII for consoles without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbols {
    pub ascii: bool,
    /// The full and half blocks (█ ▀ ▄) can be drawn, even where other drawing characters
    /// can't: the Linux console's font has them (the QR code needs them to fit on screen).
    pub blocks: bool,
    pub marker: &'static str,
    pub bullet: &'static str,
    pub ellipsis: &'static str,
    pub separator: &'static str,
}

impl Symbols {
    pub fn new(ascii: bool) -> Symbols {
        if ascii {
            Symbols { ascii, blocks: false, marker: "> ", bullet: "* ", ellipsis: "...", separator: " | " }
        } else {
            Symbols { ascii, blocks: true, marker: "▶ ", bullet: "• ", ellipsis: "…", separator: " · " }
        }
    }

    /// The Linux console: ASCII for everything but the block glyphs.
    pub fn console() -> Symbols {
        Symbols { blocks: true, ..Symbols::new(true) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub capability: Capability,
    pub symbols: Symbols,
}

impl Palette {
    pub fn new(capability: Capability, ascii: bool) -> Palette {
        Palette { capability, symbols: Symbols::new(ascii) }
    }

    /// Decides from the environment and flags, as no-color.org says (docs/ARCHITECTURE.md, "Terminal traps").
    /// The palette for this terminal (`crate::terminal_env`), as the configuration's
    /// `palette` (auto, color, 16, mono, high-contrast) and `ascii` settings adjust it.
    pub fn for_terminal(env: &crate::terminal_env::TermEnv, setting: &str, force_ascii: bool) -> Palette {
        use crate::terminal_env::Colours;
        let detected = match env.colours() {
            Colours::Mono => Capability::Mono,
            Colours::Ansi16 => Capability::Ansi16,
            Colours::Full => Capability::Full,
        };
        let capability = match setting {
            "high-contrast" => Capability::HighContrast,
            "color" => Capability::Full,
            "16" => Capability::Ansi16,
            "mono" => Capability::Mono,
            _ => detected,
        };
        let mut palette = Palette::new(capability, force_ascii || env.ascii_only());
        palette.symbols.blocks = !palette.symbols.ascii || env.block_glyphs();
        palette
    }

    pub fn style(&self, m: Meaning) -> Style {
        use Capability::*;
        use Meaning::*;
        let s = Style::default();
        match (self.capability, m) {
            (_, Selected) => match self.capability {
                // Reverse video of dark blue on white: white on dark blue, and still reversed in mono.
                Full => {
                    s.fg(Color::Indexed(24)).bg(Color::Indexed(231)).add_modifier(Modifier::REVERSED | Modifier::BOLD)
                }
                Ansi16 => s.fg(Color::Blue).bg(Color::White).add_modifier(Modifier::REVERSED | Modifier::BOLD),
                Mono | HighContrast => s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            },
            (Mono, Title) | (HighContrast, Title) => s.add_modifier(Modifier::BOLD),
            (Mono, Highlight) | (HighContrast, Highlight) => s.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            (Mono, Warning) | (HighContrast, Warning) => s.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            (Mono, Key) | (HighContrast, Key) => s.add_modifier(Modifier::BOLD),
            (Mono, Muted) => s,
            (HighContrast, Muted) => s,
            (Mono, Badge) | (HighContrast, Badge) => s.add_modifier(Modifier::BOLD),
            (Mono, Input) | (HighContrast, Input) => s.add_modifier(Modifier::UNDERLINED),
            (Mono, _) | (HighContrast, _) => s,
            (Full, Title) => s.fg(Color::Indexed(75)).add_modifier(Modifier::BOLD),
            (Full, Muted) => s.fg(Color::Indexed(246)),
            (Full, Highlight) => s.fg(Color::Indexed(220)).add_modifier(Modifier::BOLD),
            (Full, Key) => s.fg(Color::Indexed(16)).bg(Color::Indexed(152)),
            (Full, Warning) => s.fg(Color::Indexed(16)).bg(Color::Indexed(214)).add_modifier(Modifier::BOLD),
            (Full, Border) => s.fg(Color::Indexed(67)),
            (Full, Tile) => s.fg(Color::Indexed(153)),
            (Full, Badge) => s.fg(Color::Indexed(114)),
            (Full, Input) => s.fg(Color::Indexed(231)).add_modifier(Modifier::BOLD),
            (Full, Text) => s,
            (Ansi16, Title) => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            (Ansi16, Muted) => s.fg(Color::Gray),
            (Ansi16, Highlight) => s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            (Ansi16, Key) => s.fg(Color::Black).bg(Color::Cyan),
            (Ansi16, Warning) => s.fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            (Ansi16, Border) => s.fg(Color::Blue),
            (Ansi16, Tile) => s.fg(Color::Cyan),
            (Ansi16, Badge) => s.fg(Color::Green),
            (Ansi16, Input) => s.add_modifier(Modifier::BOLD),
            (Ansi16, Text) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_capabilities() {
        use crate::terminal_env::TermEnv;
        let env = |term: &str, no_color: bool| TermEnv { term: term.into(), no_color, ..Default::default() };
        let p = Palette::for_terminal(&env("xterm-256color", false), "auto", false);
        assert_eq!((p.capability, p.symbols.ascii), (Capability::Full, false));
        let p = Palette::for_terminal(&env("linux", false), "auto", false);
        assert_eq!((p.capability, p.symbols.ascii), (Capability::Ansi16, true));
        let p = Palette::for_terminal(&env("xterm-256color", true), "auto", false);
        assert_eq!(p.capability, Capability::Mono);
        let p = Palette::for_terminal(&env("dumb", false), "auto", false);
        assert_eq!((p.capability, p.symbols.ascii), (Capability::Mono, true));
        // The configuration overrides what was detected.
        let p = Palette::for_terminal(&env("dumb", false), "color", false);
        assert_eq!(p.capability, Capability::Full);
        let p = Palette::for_terminal(&env("xterm-256color", false), "high-contrast", true);
        assert_eq!((p.capability, p.symbols.ascii), (Capability::HighContrast, true));
    }

    #[test]
    fn selection_is_never_colour_alone() {
        for cap in [Capability::Full, Capability::Ansi16, Capability::Mono, Capability::HighContrast] {
            let s = Palette::new(cap, false).style(Meaning::Selected);
            assert!(s.add_modifier.contains(Modifier::REVERSED), "{cap:?}");
        }
    }
}
