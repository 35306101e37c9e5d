//! The one key table: it drives dispatch, the footer's hints and the help screen, so a key
//! can never do one thing and be documented as another.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::{App, Focus, Mode, Screen};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Everywhere,
    Home,
    Results,
    Detail,
    /// Only in staff mode.
    Staff,
}

pub struct Binding {
    /// i18n keys of the key's name and of what it does.
    pub label: &'static str,
    pub desc: &'static str,
    pub contexts: &'static [Context],
    /// Shown in the footer of these screens (the help screen shows them all).
    pub footer: &'static [Screen],
}

/// In the order the help screen lists them.
pub const BINDINGS: &[Binding] = &[
    Binding { label: "keys.type", desc: "keys.type_desc", contexts: &[Context::Everywhere], footer: &[Screen::Home] },
    Binding { label: "keys.theme", desc: "keys.theme_desc", contexts: &[Context::Home], footer: &[Screen::Home] },
    Binding {
        label: "keys.move",
        desc: "keys.move_desc",
        contexts: &[Context::Results, Context::Detail],
        footer: &[Screen::Results, Screen::Detail, Screen::Map],
    },
    Binding {
        label: "keys.open",
        desc: "keys.open_desc",
        contexts: &[Context::Results],
        footer: &[Screen::Results, Screen::Map],
    },
    Binding { label: "keys.row", desc: "keys.row_desc", contexts: &[Context::Results], footer: &[] },
    Binding { label: "keys.page", desc: "keys.page_desc", contexts: &[Context::Results, Context::Detail], footer: &[] },
    Binding { label: "keys.ends", desc: "keys.ends_desc", contexts: &[Context::Results], footer: &[] },
    Binding {
        label: "keys.back",
        desc: "keys.back_desc",
        contexts: &[Context::Everywhere],
        footer: &[Screen::Results, Screen::Detail, Screen::Help, Screen::About, Screen::Map, Screen::Shortlist],
    },
    Binding { label: "keys.erase", desc: "keys.erase_desc", contexts: &[Context::Results], footer: &[] },
    Binding { label: "keys.clear", desc: "keys.clear_desc", contexts: &[Context::Results], footer: &[] },
    Binding {
        label: "keys.filter_theme",
        desc: "keys.filter_theme_desc",
        contexts: &[Context::Home, Context::Results],
        footer: &[Screen::Results],
    },
    Binding {
        label: "keys.filter_commune",
        desc: "keys.filter_commune_desc",
        contexts: &[Context::Home, Context::Results],
        footer: &[],
    },
    Binding {
        label: "keys.filter_place",
        desc: "keys.filter_place_desc",
        contexts: &[Context::Home, Context::Results],
        footer: &[],
    },
    Binding {
        label: "keys.filter_free",
        desc: "keys.filter_free_desc",
        contexts: &[Context::Home, Context::Results],
        footer: &[],
    },
    Binding {
        label: "keys.filter_open",
        desc: "keys.filter_open_desc",
        contexts: &[Context::Home, Context::Results],
        footer: &[],
    },
    Binding { label: "keys.sort", desc: "keys.sort_desc", contexts: &[Context::Home, Context::Results], footer: &[] },
    Binding { label: "keys.near", desc: "keys.near_desc", contexts: &[Context::Staff], footer: &[] },
    Binding {
        label: "keys.map",
        desc: "keys.map_desc",
        contexts: &[Context::Results],
        footer: &[Screen::Results, Screen::Map],
    },
    Binding {
        label: "keys.mark",
        desc: "keys.mark_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Results, Screen::Detail, Screen::Map],
    },
    Binding {
        label: "keys.shortlist",
        desc: "keys.shortlist_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Home, Screen::Results, Screen::Detail],
    },
    Binding { label: "keys.ticket", desc: "keys.ticket_desc", contexts: &[Context::Detail], footer: &[Screen::Detail] },
    Binding {
        label: "keys.reorder",
        desc: "keys.reorder_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Shortlist],
    },
    Binding {
        label: "keys.remove",
        desc: "keys.remove_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Shortlist],
    },
    Binding {
        label: "keys.export_text",
        desc: "keys.export_text_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Shortlist],
    },
    Binding {
        label: "keys.export_html",
        desc: "keys.export_html_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Shortlist],
    },
    Binding { label: "keys.print", desc: "keys.print_desc", contexts: &[Context::Staff], footer: &[Screen::Shortlist] },
    Binding { label: "keys.copy", desc: "keys.copy_desc", contexts: &[Context::Staff], footer: &[Screen::Shortlist] },
    Binding {
        label: "keys.clear_list",
        desc: "keys.clear_list_desc",
        contexts: &[Context::Staff],
        footer: &[Screen::Shortlist],
    },
    Binding {
        label: "keys.help",
        desc: "keys.help_desc",
        contexts: &[Context::Everywhere],
        footer: &[Screen::Home, Screen::Results, Screen::Detail, Screen::Map],
    },
    Binding {
        label: "keys.lang",
        desc: "keys.lang_desc",
        contexts: &[Context::Everywhere],
        footer: &[Screen::Home, Screen::Results, Screen::Detail],
    },
    Binding { label: "keys.about", desc: "keys.about_desc", contexts: &[Context::Everywhere], footer: &[] },
    Binding { label: "keys.quit", desc: "keys.quit_desc", contexts: &[Context::Staff], footer: &[Screen::Home] },
];

/// The bindings that apply in this app (kiosk visitors are not shown "quit"; printing and
/// copying only where the configuration enables them).
pub fn applicable(app: &App) -> impl Iterator<Item = &'static Binding> + '_ {
    BINDINGS.iter().filter(move |b| {
        let mode_ok = app.mode == Mode::Staff || !b.contexts.contains(&Context::Staff);
        let configured = match b.label {
            "keys.ticket" | "keys.print" => app.can_print,
            "keys.copy" => app.can_copy,
            _ => true,
        };
        mode_ok && configured
    })
}

/// Maps one key event to an action, given where the app is. `None`: the key does nothing.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let typing_screen = matches!(app.screen, Screen::Home | Screen::Results);
    if app.visit.prompt.is_some() {
        // A prompt takes every character, digits and `q` included.
        if let KeyCode::Char(c) = key.code
            && !ctrl
        {
            return Some(Action::Type(c));
        }
    }
    match key.code {
        // Ctrl-C quits staff sessions; a kiosk ignores it (update() refuses Quit there).
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Char('u') if ctrl => Some(Action::ClearQuery),
        KeyCode::Char(_) if ctrl => None,
        KeyCode::F(1) => Some(Action::Help),
        KeyCode::F(2) => Some(Action::ToggleLanguage),
        KeyCode::F(3) => Some(Action::FilterTheme),
        KeyCode::F(4) => Some(Action::FilterCommune),
        KeyCode::F(5) => Some(Action::FilterPlace),
        KeyCode::F(6) => Some(Action::FilterFree),
        KeyCode::F(7) => Some(Action::FilterOpen),
        KeyCode::F(8) => Some(Action::ToggleSort),
        KeyCode::F(9) if app.screen == Screen::Detail => Some(Action::PrintTicket),
        KeyCode::F(9) => Some(Action::AskNear),
        KeyCode::F(11) => Some(Action::About),
        KeyCode::F(12) => Some(Action::ShowShortlist),
        KeyCode::Insert => Some(Action::ToggleShortlist),
        KeyCode::F(10) => Some(Action::Quit),
        KeyCode::F(_) => None,
        KeyCode::Esc => Some(Action::Back),
        _ if app.screen == Screen::Shortlist && app.visit.prompt.is_none() => shortlist_key(key),
        KeyCode::Enter => Some(Action::Open),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Home => Some(Action::First),
        KeyCode::End => Some(Action::Last),
        KeyCode::Tab if matches!(app.screen, Screen::Results | Screen::Map) => Some(Action::ToggleMap),
        KeyCode::Tab => Some(Action::Down),
        KeyCode::BackTab => Some(Action::Up),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Char(c @ '0'..='9') if typing_screen => Some(Action::Digit(c as u8 - b'0')),
        // `q` quits where letters are not search input (staff only; see update()).
        KeyCode::Char('q') if !typing_screen => Some(Action::Quit),
        KeyCode::Char(c) if app.focus == Focus::List && app.screen == Screen::Results && c == ' ' => None,
        KeyCode::Char(c) => Some(Action::Type(c)),
        _ => None,
    }
}

/// On the Shortlist screen letters are commands, not search input.
fn shortlist_key(key: KeyEvent) -> Option<Action> {
    let shift = key.modifiers.intersects(KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Up if shift => Some(Action::MoveEntryUp),
        KeyCode::Down if shift => Some(Action::MoveEntryDown),
        KeyCode::Char('+') => Some(Action::MoveEntryUp),
        KeyCode::Char('-') => Some(Action::MoveEntryDown),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::Home => Some(Action::First),
        KeyCode::End => Some(Action::Last),
        KeyCode::Delete | KeyCode::Backspace | KeyCode::Char('r') => Some(Action::RemoveEntry),
        KeyCode::Char('t') => Some(Action::ExportText),
        KeyCode::Char('h') => Some(Action::ExportHtml),
        KeyCode::Char('p') => Some(Action::PrintShortlist),
        KeyCode::Char('c') => Some(Action::CopyShortlist),
        KeyCode::Char('x') => Some(Action::ClearShortlist),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Enter => Some(Action::Back),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_has_both_strings_in_every_language() {
        for (code, _) in crate::i18n::LANGUAGES {
            let s = crate::i18n::Strings::load(code);
            for b in BINDINGS {
                assert_ne!(s.get(b.label), b.label, "{code}: {}", b.label);
                assert_ne!(s.get(b.desc), b.desc, "{code}: {}", b.desc);
            }
        }
    }
}
