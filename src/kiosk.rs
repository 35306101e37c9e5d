//! Kiosk lock-down: the admin chord that alone may leave a kiosk, and the idle policy.
//!
//! A visitor must never reach a shell: Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys (raw mode
//! turns off ISIG) and are ignored; `q` and Esc do not quit. Only the configured chord — a
//! short sequence of keys typed within a few seconds — does.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How long before the idle reset the countdown warning shows.
pub const WARNING: Duration = Duration::from_secs(10);
/// The keys of a chord must follow each other within this time.
const CHORD_WINDOW: Duration = Duration::from_secs(3);

/// One key of a chord: a code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChordKey {
    pub code: KeyCode,
    pub ctrl: bool,
}

/// A sequence like `ctrl-x ctrl-q` or `f12 f12 f12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminChord {
    keys: Vec<ChordKey>,
    progress: usize,
    started: Option<Instant>,
}

impl AdminChord {
    pub fn parse(spec: &str) -> Result<AdminChord, String> {
        let mut keys = Vec::new();
        for part in spec.split_whitespace() {
            let lower = part.to_lowercase();
            let (ctrl, name) = match lower.strip_prefix("ctrl-") {
                Some(rest) => (true, rest.to_string()),
                None => (false, lower.clone()),
            };
            if name.starts_with("alt-") || name.contains("alt-") {
                return Err("Alt is not allowed (its escape sequences split over SSH)".into());
            }
            let code = if let Some(n) = name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                KeyCode::F(n)
            } else if name.chars().count() == 1 {
                KeyCode::Char(name.chars().next().unwrap_or(' '))
            } else {
                return Err(format!("unknown key {part:?} (use ctrl-<letter>, <letter> or f<number>)"));
            };
            if ctrl
                && matches!(code, KeyCode::Char('c' | 'z' | '\\' | 's' | 'q'))
                && spec.split_whitespace().count() == 1
            {
                return Err(format!("{part} alone is too easy to press by chance"));
            }
            keys.push(ChordKey { code, ctrl });
        }
        if keys.len() < 2 {
            return Err("give at least two keys, e.g. \"ctrl-x ctrl-q\"".into());
        }
        Ok(AdminChord { keys, progress: 0, started: None })
    }

    /// Feeds one key; true when the whole chord has just been typed.
    pub fn feed(&mut self, key: &KeyEvent, now: Instant) -> bool {
        if self.started.is_some_and(|t| now.duration_since(t) > CHORD_WINDOW) {
            self.progress = 0;
        }
        let pressed = ChordKey { code: normalise(key.code), ctrl: key.modifiers.contains(KeyModifiers::CONTROL) };
        if pressed == self.keys[self.progress] {
            if self.progress == 0 {
                self.started = Some(now);
            }
            self.progress += 1;
            if self.progress == self.keys.len() {
                self.progress = 0;
                return true;
            }
        } else {
            self.progress = usize::from(pressed == self.keys[0]);
            self.started = Some(now);
        }
        false
    }
}

fn normalise(code: KeyCode) -> KeyCode {
    match code {
        KeyCode::Char(c) => KeyCode::Char(c.to_ascii_lowercase()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn chord_needs_its_keys_in_order_and_in_time() {
        let mut chord = AdminChord::parse("ctrl-x ctrl-q").unwrap();
        let t = Instant::now();
        assert!(!chord.feed(&ctrl('q'), t));
        assert!(!chord.feed(&ctrl('x'), t));
        assert!(chord.feed(&ctrl('q'), t));
        assert!(!chord.feed(&ctrl('x'), t));
        assert!(!chord.feed(&ctrl('q'), t + Duration::from_secs(10)));
    }

    #[test]
    fn rejects_weak_or_alt_chords() {
        assert!(AdminChord::parse("ctrl-c").is_err());
        assert!(AdminChord::parse("alt-x alt-q").is_err());
        assert!(AdminChord::parse("f12 f12 f12").is_ok());
    }
}
