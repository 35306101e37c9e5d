//! The one key table. Each binding is declared once — its keys, the action, the screens and
//! sessions where it applies, its footer priority and its help text — and dispatch
//! ([`action_for`]), the footer, the help screen and the filter line are all read from it,
//! so a key can never do one thing and be documented as another.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::{App, Focus, Mode, Screen};

/// One physical key (or family of keys) a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Code(KeyCode),
    /// A key with Ctrl held (Ctrl-C, Ctrl-U).
    Ctrl(char),
    /// ↑ or ↓ with Shift (or Ctrl, or Alt: terminals differ in what they send).
    ShiftUp,
    ShiftDown,
    /// A digit `0`…`9`.
    Digit,
    /// Any other printable character.
    AnyChar,
}

/// What a binding does.
#[derive(Debug, Clone, Copy)]
pub enum Does {
    Act(fn() -> Action),
    /// The digit typed ([`Action::Digit`]).
    Digit,
    /// The character typed ([`Action::Type`]).
    Type,
    /// Nothing (a key deliberately swallowed, e.g. Space on the list).
    Nothing,
}

/// Who has the binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Everyone,
    Staff,
    /// Visitors at a kiosk only (speech: never on a staff session, where the same key has
    /// another use).
    Kiosk,
}

/// What the binding needs configured to be offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    Printer,
    Clipboard,
    /// More than one language in the office's list.
    Languages,
    /// A data directory for reports and the review queue.
    Desk,
    /// The session's account is a moderator.
    Moderator,
    /// A speech command (kiosks only).
    Speech,
}

/// What the key is called on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// The same in every language ("F3", "Tab", "t").
    Plain(&'static str),
    /// Translated: an i18n key ("keys.open" → "Entrée" / "Enter").
    Tr(&'static str),
}

pub struct Binding {
    pub keys: &'static [Key],
    pub does: Does,
    /// Screens where it applies; empty: every screen.
    pub screens: &'static [Screen],
    pub who: Who,
    pub needs: Needs,
    /// The key's name on screen; the i18n key of what it does. A binding without a
    /// description is a variant of the one above it (help and footer skip it).
    pub name: Name,
    pub desc: &'static str,
    /// Shown in the footer of these screens (the help screen shows every described binding).
    pub footer: &'static [Screen],
    /// Footer priority: when the line is too narrow, hints of priority 0 stay, then 1, 2…;
    /// within one priority, the table's order.
    pub priority: u8,
}

use Screen::{About, Detail, Edit, Help, Home, Map, Results, Review, Shortlist};

const EVERYWHERE: &[Screen] = &[];
const LISTS: &[Screen] = &[Results, Map];
/// Screens where letters are not search input.
const NOT_TYPING: &[Screen] = &[Detail, Help, About, Map];
/// Every screen but the Shortlist, where letters are commands.
const NOT_SHORTLIST: &[Screen] = &[Home, Results, Detail, Help, About, Map];

/// A binding with the defaults filled in (everyone, nothing needed, not in the footer).
const fn bind(keys: &'static [Key], does: Does, screens: &'static [Screen], name: Name, desc: &'static str) -> Binding {
    Binding { keys, does, screens, who: Who::Everyone, needs: Needs::Nothing, name, desc, footer: &[], priority: 2 }
}

const fn staff(b: Binding) -> Binding {
    Binding { who: Who::Staff, ..b }
}

const fn footer(b: Binding, footer: &'static [Screen], priority: u8) -> Binding {
    Binding { footer, priority, ..b }
}

const fn needs(b: Binding, needs: Needs) -> Binding {
    Binding { needs, ..b }
}

const fn kiosk(b: Binding) -> Binding {
    Binding { who: Who::Kiosk, ..b }
}

const fn act(f: fn() -> Action) -> Does {
    Does::Act(f)
}

use Key::Code;
use KeyCode as K;

/// In the order the help screen and the footer list them. Dispatch prefers the most specific
/// binding ([`action_for`]), so the Shortlist's letters and `?`, digits or `q` never become
/// search input where they have a binding of their own.
pub const BINDINGS: &[Binding] = &[
    footer(bind(&[Key::AnyChar], Does::Type, NOT_SHORTLIST, Name::Tr("keys.type"), "keys.type_desc"), &[Home], 1),
    footer(bind(&[Key::Digit], Does::Digit, &[Home], Name::Plain("1…0"), "keys.theme_desc"), &[Home], 2),
    // Two digits in a row on Home are a number, not two themes (`app::DigitRun`): the same
    // binding, described for the help screen.
    bind(&[Key::Digit], Does::Digit, &[Home], Name::Plain("92000, 115"), "keys.number_desc"),
    footer(
        bind(
            &[Code(K::Up), Code(K::Down), Code(K::BackTab)],
            act(|| Action::Up),
            &[Home, Results, Detail, Help, Map, Shortlist, Review, Edit],
            Name::Plain("↑↓"),
            "keys.move_desc",
        ),
        &[Results, Detail, Map, Review, Edit],
        2,
    ),
    bind(&[Code(K::Left), Code(K::Right)], act(|| Action::Left), &[Home], Name::Plain("←→"), "keys.tiles_desc"),
    footer(
        bind(&[Code(K::Enter)], act(|| Action::Open), EVERYWHERE, Name::Tr("keys.open"), "keys.open_desc"),
        LISTS,
        1,
    ),
    bind(&[Key::Digit], Does::Digit, &[Results], Name::Plain("1…9"), "keys.row_desc"),
    bind(
        &[Code(K::PageUp), Code(K::PageDown)],
        act(|| Action::PageUp),
        &[Results, Detail, Help, Map, Review, Edit],
        Name::Tr("keys.page"),
        "keys.page_desc",
    ),
    bind(
        &[Code(K::Home), Code(K::End)],
        act(|| Action::First),
        &[Results, Detail, Map, Shortlist, Review, Edit],
        Name::Tr("keys.ends"),
        "keys.ends_desc",
    ),
    footer(
        bind(&[Code(K::Esc)], act(|| Action::Back), EVERYWHERE, Name::Tr("keys.back"), "keys.back_desc"),
        &[Results, Detail, Help, About, Map, Shortlist, Review, Edit],
        1,
    ),
    bind(&[Code(K::Backspace)], act(|| Action::Backspace), NOT_SHORTLIST, Name::Tr("keys.erase"), "keys.erase_desc"),
    bind(&[Key::Ctrl('u')], act(|| Action::ClearQuery), EVERYWHERE, Name::Plain("Ctrl-U"), "keys.clear_desc"),
    // The catalogue's upkeep (issue #14). A visitor flags what is wrong on a detail page.
    needs(
        footer(
            bind(&[Code(K::Char('s'))], act(|| Action::ReportError), &[Detail], Name::Plain("s"), "keys.report_desc"),
            &[Detail],
            2,
        ),
        Needs::Desk,
    ),
    needs(
        staff(footer(
            bind(
                &[Key::Ctrl('r')],
                act(|| Action::ShowReview),
                &[Home, Results, Detail, Map, Shortlist, Help, About, Review],
                Name::Plain("Ctrl-R"),
                "keys.review_desc",
            ),
            &[Home],
            2,
        )),
        Needs::Desk,
    ),
    needs(
        staff(footer(
            bind(
                &[Code(K::Char('e'))],
                act(|| Action::EditEntry),
                &[Detail, Review],
                Name::Plain("e"),
                "keys.edit_desc",
            ),
            &[Detail, Review],
            2,
        )),
        Needs::Moderator,
    ),
    needs(
        staff(footer(
            bind(&[Key::Ctrl('n')], act(|| Action::NewEntry), &[Review], Name::Plain("Ctrl-N"), "keys.new_desc"),
            &[Review],
            2,
        )),
        Needs::Moderator,
    ),
    needs(
        staff(footer(
            bind(&[Code(K::Char('f'))], act(|| Action::ResolveFixed), &[Review], Name::Plain("f"), "keys.fixed_desc"),
            &[Review],
            1,
        )),
        Needs::Desk,
    ),
    needs(
        staff(footer(
            bind(
                &[Code(K::Char('n'))],
                act(|| Action::ResolveNotAnError),
                &[Review],
                Name::Plain("n"),
                "keys.not_error_desc",
            ),
            &[Review],
            1,
        )),
        Needs::Desk,
    ),
    needs(
        staff(footer(
            bind(&[Code(K::Char('a'))], act(|| Action::Approve), &[Review], Name::Plain("a"), "keys.approve_desc"),
            &[Review],
            1,
        )),
        Needs::Moderator,
    ),
    bind(&[Code(K::Enter)], act(|| Action::Open), &[Review], Name::Tr("keys.open"), ""),
    // The edit form: letters are the field's text (dispatch sends every character there).
    bind(&[Code(K::Backspace)], act(|| Action::Backspace), &[Edit], Name::Tr("keys.erase"), ""),
    needs(
        staff(footer(
            bind(&[Key::Ctrl('s')], act(|| Action::SaveEntry), &[Edit], Name::Plain("Ctrl-S"), "keys.save_desc"),
            &[Edit],
            0,
        )),
        Needs::Moderator,
    ),
    needs(
        staff(footer(
            bind(&[Code(K::F(6))], act(|| Action::CheckEntry), &[Edit], Name::Plain("F6"), "keys.check_desc"),
            &[Edit],
            1,
        )),
        Needs::Moderator,
    ),
    needs(
        staff(footer(
            bind(&[Code(K::F(7))], act(|| Action::CloseEntry), &[Edit], Name::Plain("F7"), "keys.close_desc"),
            &[Edit],
            2,
        )),
        Needs::Moderator,
    ),
    needs(
        staff(footer(
            bind(&[Code(K::F(8))], act(|| Action::RetireEntry), &[Edit], Name::Plain("F8"), "keys.retire_desc"),
            &[Edit],
            2,
        )),
        Needs::Moderator,
    ),
    footer(
        bind(&[Code(K::F(3))], act(|| Action::FilterTheme), EVERYWHERE, Name::Plain("F3"), "keys.filter_theme_desc"),
        &[Results],
        2,
    ),
    bind(&[Code(K::F(4))], act(|| Action::FilterCommune), EVERYWHERE, Name::Plain("F4"), "keys.filter_commune_desc"),
    bind(&[Code(K::F(5))], act(|| Action::FilterPlace), EVERYWHERE, Name::Plain("F5"), "keys.filter_place_desc"),
    bind(&[Code(K::F(6))], act(|| Action::FilterFree), EVERYWHERE, Name::Plain("F6"), "keys.filter_free_desc"),
    bind(&[Code(K::F(7))], act(|| Action::FilterOpen), EVERYWHERE, Name::Plain("F7"), "keys.filter_open_desc"),
    bind(&[Code(K::F(8))], act(|| Action::ToggleSort), EVERYWHERE, Name::Plain("F8"), "keys.sort_desc"),
    staff(bind(
        &[Code(K::F(9))],
        act(|| Action::AskNear),
        &[Home, Results, Help, About, Map, Shortlist],
        Name::Plain("F9"),
        "keys.near_desc",
    )),
    footer(bind(&[Code(K::Tab)], act(|| Action::ToggleMap), LISTS, Name::Plain("Tab"), "keys.map_desc"), LISTS, 2),
    bind(&[Code(K::Tab)], act(|| Action::Down), &[Home, Detail, Help, About], Name::Plain("Tab"), ""),
    staff(footer(
        bind(&[Code(K::Insert)], act(|| Action::ToggleShortlist), EVERYWHERE, Name::Tr("keys.mark"), "keys.mark_desc"),
        &[Results, Detail, Map],
        2,
    )),
    staff(footer(
        bind(&[Code(K::F(12))], act(|| Action::ShowShortlist), EVERYWHERE, Name::Plain("F12"), "keys.shortlist_desc"),
        &[Home, Results, Detail],
        2,
    )),
    needs(
        footer(
            bind(&[Code(K::F(9))], act(|| Action::PrintTicket), &[Detail], Name::Plain("F9"), "keys.ticket_desc"),
            &[Detail],
            2,
        ),
        Needs::Printer,
    ),
    // The Shortlist screen: letters are commands there, not search input.
    staff(footer(
        bind(
            &[Key::ShiftUp, Code(K::Char('+'))],
            act(|| Action::MoveEntryUp),
            &[Shortlist],
            Name::Tr("keys.reorder"),
            "keys.reorder_desc",
        ),
        &[Shortlist],
        2,
    )),
    staff(bind(
        &[Key::ShiftDown, Code(K::Char('-'))],
        act(|| Action::MoveEntryDown),
        &[Shortlist],
        Name::Tr("keys.reorder"),
        "",
    )),
    staff(footer(
        bind(
            &[Code(K::Delete), Code(K::Backspace), Code(K::Char('r'))],
            act(|| Action::RemoveEntry),
            &[Shortlist],
            Name::Tr("keys.remove"),
            "keys.remove_desc",
        ),
        &[Shortlist],
        2,
    )),
    staff(footer(
        bind(
            &[Code(K::Char('t'))],
            act(|| Action::ExportText),
            &[Shortlist],
            Name::Plain("t"),
            "keys.export_text_desc",
        ),
        &[Shortlist],
        2,
    )),
    staff(footer(
        bind(
            &[Code(K::Char('h'))],
            act(|| Action::ExportHtml),
            &[Shortlist],
            Name::Plain("h"),
            "keys.export_html_desc",
        ),
        &[Shortlist],
        2,
    )),
    needs(
        staff(footer(
            bind(
                &[Code(K::Char('p'))],
                act(|| Action::PrintShortlist),
                &[Shortlist],
                Name::Plain("p"),
                "keys.print_desc",
            ),
            &[Shortlist],
            2,
        )),
        Needs::Printer,
    ),
    needs(
        staff(footer(
            bind(
                &[Code(K::Char('c'))],
                act(|| Action::CopyShortlist),
                &[Shortlist],
                Name::Plain("c"),
                "keys.copy_desc",
            ),
            &[Shortlist],
            2,
        )),
        Needs::Clipboard,
    ),
    staff(footer(
        bind(
            &[Code(K::Char('x'))],
            act(|| Action::ClearShortlist),
            &[Shortlist],
            Name::Plain("x"),
            "keys.clear_list_desc",
        ),
        &[Shortlist],
        2,
    )),
    staff(bind(&[Code(K::Enter)], act(|| Action::Back), &[Shortlist], Name::Tr("keys.open"), "")),
    staff(bind(&[Code(K::Char('q'))], act(|| Action::Quit), &[Shortlist], Name::Plain("q"), "")),
    footer(
        bind(
            &[Code(K::F(1)), Code(K::Char('?'))],
            act(|| Action::Help),
            EVERYWHERE,
            Name::Plain("F1 ?"),
            "keys.help_desc",
        ),
        &[Home, Results, Detail, Map],
        0,
    ),
    needs(
        footer(
            bind(&[Code(K::F(2))], act(|| Action::ToggleLanguage), EVERYWHERE, Name::Plain("F2"), "keys.lang_desc"),
            &[Home, Results, Detail],
            0,
        ),
        Needs::Languages,
    ),
    // F12 is the staff's shortlist; on a kiosk it reads the screen aloud. Priority 0 with help
    // and language: the visitor who needs it can't read the rest of the line.
    needs(
        kiosk(footer(
            bind(
                &[Code(K::F(12))],
                act(|| Action::Speak),
                &[Home, Results, Detail, Map],
                Name::Plain("F12"),
                "keys.speak_desc",
            ),
            &[Home, Results, Detail, Map],
            0,
        )),
        Needs::Speech,
    ),
    bind(&[Code(K::F(11))], act(|| Action::About), EVERYWHERE, Name::Plain("F11"), "keys.about_desc"),
    staff(footer(
        bind(&[Code(K::F(10)), Key::Ctrl('c')], act(|| Action::Quit), EVERYWHERE, Name::Plain("F10"), "keys.quit_desc"),
        &[Home, Results, Detail, Map],
        1,
    )),
    // `q` quits where letters are not search input (staff only; a kiosk refuses Quit).
    bind(&[Code(K::Char('q'))], act(|| Action::Quit), NOT_TYPING, Name::Plain("q"), ""),
    // Ctrl-C reaches a kiosk as a key (raw mode): it does nothing there (update refuses Quit).
    bind(&[Key::Ctrl('c')], act(|| Action::Quit), EVERYWHERE, Name::Plain("Ctrl-C"), ""),
];

impl Binding {
    /// Whether this binding is offered in `app` at all (session and configuration).
    fn offered(&self, app: &App) -> bool {
        let who = self.for_session(app);
        let configured = match self.needs {
            Needs::Nothing => true,
            Needs::Printer => app.can_print(),
            Needs::Clipboard => app.can_copy(),
            Needs::Languages => app.next_language().is_some(),
            Needs::Desk => app.has_desk(),
            Needs::Moderator => app.is_moderator(),
            Needs::Speech => app.can_speak(),
        };
        who && configured
    }

    /// Whether this kind of session has the binding at all.
    fn for_session(&self, app: &App) -> bool {
        match self.who {
            Who::Everyone => true,
            Who::Staff => app.mode() == Mode::Staff,
            Who::Kiosk => app.mode() == Mode::Kiosk,
        }
    }

    fn applies_on(&self, screen: Screen) -> bool {
        self.screens.is_empty() || self.screens.contains(&screen)
    }

    /// Help and footer list described bindings; variants have no description.
    pub fn described(&self) -> bool {
        !self.desc.is_empty()
    }

    /// What the binding does, in `app`'s language. F2 says which language it leads to, in
    /// that language's own words ("Español"): a visitor lost in French reads their own.
    pub fn desc_text(&self, app: &App) -> String {
        match (self.desc, app.next_language()) {
            ("keys.lang_desc", Some(next)) => crate::i18n::own_name(&next).to_string(),
            (desc, _) => app.strings().get(desc).to_string(),
        }
    }

    /// The key's name in `app`'s language.
    pub fn key_name<'a>(&self, app: &'a App) -> &'a str {
        match self.name {
            Name::Plain(s) => s,
            Name::Tr(k) => app.strings().get(k),
        }
    }

    fn matches(&self, key: &KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let shifted = key.modifiers.intersects(KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
        let hit = self.keys.iter().any(|k| match (*k, key.code) {
            (Key::Ctrl(c), KeyCode::Char(typed)) => ctrl && typed.eq_ignore_ascii_case(&c),
            (Key::ShiftUp, KeyCode::Up) | (Key::ShiftDown, KeyCode::Down) => shifted,
            (Key::Digit, KeyCode::Char(c)) => !ctrl && c.is_ascii_digit(),
            (Key::AnyChar, KeyCode::Char(_)) => !ctrl,
            (Key::Code(KeyCode::Char(c)), KeyCode::Char(typed)) => !ctrl && c == typed,
            (Key::Code(code), typed) => code == typed,
            _ => false,
        });
        if !hit {
            return None;
        }
        match self.does {
            Does::Act(f) => {
                // ↑↓ share one described binding: the key says which way.
                let action = f();
                Some(match (action, key.code) {
                    (Action::Up, KeyCode::Down) => Action::Down,
                    (Action::Left, KeyCode::Right) => Action::Right,
                    (Action::PageUp, KeyCode::PageDown) => Action::PageDown,
                    (Action::First, KeyCode::End) => Action::Last,
                    (a, _) => a,
                })
            }
            Does::Digit => match key.code {
                KeyCode::Char(c) => c.to_digit(10).map(|d| Action::Digit(d as u8)),
                _ => None,
            },
            Does::Type => match key.code {
                KeyCode::Char(c) => Some(Action::Type(c)),
                _ => None,
            },
            Does::Nothing => None,
        }
    }
}

/// The bindings that apply in this app (kiosk visitors are not shown "quit"; printing and
/// copying only where the configuration enables them), described ones only.
pub fn applicable(app: &App) -> impl Iterator<Item = &'static Binding> + '_ {
    BINDINGS.iter().filter(move |b| b.described() && b.offered(app))
}

/// The name of the key bound to `action` (for the filter line: "F3 Thème").
pub fn key_for(app: &App, action: fn() -> Action) -> &'static str {
    let wanted = std::mem::discriminant(&action());
    BINDINGS
        .iter()
        .filter(|b| b.described())
        .find_map(|b| match (b.does, b.name) {
            (Does::Act(f), Name::Plain(name)) if std::mem::discriminant(&f()) == wanted && b.offered(app) => Some(name),
            _ => None,
        })
        .unwrap_or("")
}

/// Maps one key event to an action, given where the app is. `None`: the key does nothing.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if app.visit().confirm.is_some() {
        // A yes/no question takes letters, Enter and Esc (and Ctrl-C or F10 answer yes).
        match key.code {
            KeyCode::Char(c) if !ctrl => return Some(Action::Type(c)),
            KeyCode::Enter => return Some(Action::Open),
            KeyCode::Esc => return Some(Action::Back),
            _ => {}
        }
    }
    if let Some(action) = upkeep_key(app, &key, ctrl) {
        return action;
    }
    if app.visit().prompt.is_some() || app.visit().picker.is_some() {
        // A prompt or the commune picker takes every character, digits and `q` included
        // (postcodes); the table does the rest.
        if let KeyCode::Char(c) = key.code
            && !ctrl
        {
            return Some(Action::Type(c));
        }
    } else if app.screen() == Screen::Results && app.focus() == Focus::List && key.code == KeyCode::Char(' ') {
        // Space on the list would start a word with a blank: nothing.
        return None;
    }
    let screen =
        if app.visit().prompt.is_some() && app.screen() == Screen::Shortlist { Screen::Results } else { app.screen() };
    // The most specific binding wins: one made for this screen alone, then for a few
    // screens, then for every screen, and "any letter types" last. Within a rank, the
    // table's order.
    let rank = |b: &Binding| {
        if b.keys.contains(&Key::AnyChar) {
            usize::MAX
        } else if b.screens.is_empty() {
            usize::MAX - 1
        } else {
            b.screens.len()
        }
    };
    let mut candidates: Vec<&Binding> =
        BINDINGS.iter().filter(|b| b.offered_or_refused_later(app) && b.applies_on(screen)).collect();
    candidates.sort_by_key(|b| rank(b));
    candidates.into_iter().find_map(|b| b.matches(&key))
}

/// The report menu and the edit form read keys before the table: the menu takes digits,
/// arrows, Enter and Esc (nothing else does anything); the form takes every character, `?`
/// and digits included (a website's query string, a phone number).
fn upkeep_key(app: &App, key: &KeyEvent, ctrl: bool) -> Option<Option<Action>> {
    if app.visit().report_menu.is_some() && app.screen() == Screen::Detail {
        return Some(match key.code {
            KeyCode::Char(c) if !ctrl && c.is_ascii_digit() => c.to_digit(10).map(|d| Action::Digit(d as u8)),
            KeyCode::Enter => Some(Action::Open),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Up | KeyCode::BackTab => Some(Action::Up),
            KeyCode::Down | KeyCode::Tab => Some(Action::Down),
            _ => Some(Action::Presence),
        });
    }
    if app.screen() == Screen::Edit
        && let KeyCode::Char(c) = key.code
        && !ctrl
    {
        return Some(Some(Action::Type(c)));
    }
    None
}

impl Binding {
    /// Dispatch also maps keys that `update` refuses or explains itself, so that they are
    /// swallowed rather than typed: Quit on a kiosk, and printing or copying where they are
    /// not set up ("Aucune imprimante n'est configurée…"). The footer and help, through
    /// [`applicable`], still offer only what is set up.
    fn offered_or_refused_later(&self, app: &App) -> bool {
        let who = self.for_session(app);
        who || (self.who == Who::Staff && matches!(self.does, Does::Act(f) if matches!(f(), Action::Quit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_has_both_strings_in_every_language() {
        for (code, _) in crate::i18n::LANGUAGES {
            let s = crate::i18n::Strings::load(code);
            for b in BINDINGS.iter().filter(|b| b.described()) {
                if let Name::Tr(k) = b.name {
                    assert_ne!(s.get(k), k, "{code}: {k}");
                }
                assert_ne!(s.get(b.desc), b.desc, "{code}: {}", b.desc);
            }
        }
    }
}
