//! Everything that can happen to the interface, as data. Input (keys, mouse, resize, time)
//! and the outcome of every [`super::command::Command`] become an [`Action`];
//! [`super::app::App::update`] is the only place that acts on it.

use chrono::NaiveDateTime;

use super::app::Filters;
use super::command::Keep;
use crate::catalogue::Reference;
use crate::search::SearchResults;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A character typed into the search.
    Type(char),
    /// Text pasted (bracketed paste): typed into the search, control characters dropped.
    Paste(String),
    Backspace,
    ClearQuery,
    Up,
    Down,
    /// ← and →: between Home's tiles.
    Left,
    Right,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    /// Digit key: a theme on Home, a visible row in Results.
    Digit(u8),
    Help,
    About,
    ToggleLanguage,
    FilterTheme,
    FilterCommune,
    FilterPlace,
    FilterFree,
    /// F7: all / open now / open today.
    FilterOpen,
    /// F8: relevance ⇄ distance.
    ToggleSort,
    /// Set every filter at once (a restored or replayed visit).
    SetFilters(Filters),
    /// Staff: ask for the commune distances are measured from.
    AskNear,
    /// Tab: the results as a list ⇄ on the map.
    ToggleMap,
    /// Staff: add the selected (or open) initiative to the shortlist, or take it out.
    ToggleShortlist,
    /// Staff: the Shortlist screen.
    ShowShortlist,
    /// Shortlist: move the selected entry up or down the list.
    MoveEntryUp,
    MoveEntryDown,
    /// Shortlist: take the selected entry out.
    RemoveEntry,
    ClearShortlist,
    /// Shortlist: write it as a text or HTML page (asks for the file name first).
    ExportText,
    ExportHtml,
    /// Shortlist: send the text page to the configured printer.
    PrintShortlist,
    /// Shortlist: copy the text page to the staff member's clipboard (OSC 52).
    CopyShortlist,
    /// Detail: print a 40-column ticket of this initiative (where a printer is configured).
    PrintTicket,
    /// Kiosks with speech: read the screen's essentials aloud (again: stop).
    Speak,
    /// The utterance of a [`crate::ui::command::Command::Speak`] was said to the end.
    SpeechEnded(u64),
    /// The outcome of an [`crate::ui::command::Effect`], shown as a message.
    EffectDone(Result<String, String>),
    /// Staff: quit (a kiosk ignores it).
    Quit,
    /// The kiosk's administrator chord was typed: the one way out of a kiosk.
    AdminChord,
    /// A key that does nothing here: it still proves someone is there (no idle reset).
    Presence,
    /// The burst of input is over: run the search it called for, once.
    Settle,
    /// The local time in Paris, to the minute (opening status, the title bar's clock).
    Clock(NaiveDateTime),
    /// The answer to a [`crate::ui::command::Command::Search`].
    Searched(Box<Result<SearchResults, String>>, Keep),
    /// The answer to a [`crate::ui::command::Command::CountCommunes`]: matches per commune
    /// (INSEE code) for the commune picker.
    CommuneCounts(CommuneCounts),
    /// The answer to a [`crate::ui::command::Command::TryFilters`]: each setting tried, in
    /// order, with its number of matches.
    FiltersTried(Vec<(Filters, u64)>),
    /// The catalogue the live index generation holds (at start, and after a rebuild), or why
    /// there is none.
    CatalogueLoaded(Box<Result<Catalogue, String>>),
    /// The terminal's new size.
    Resize(u16, u16),
    /// Mouse click at (column, row).
    Click(u16, u16),
    WheelUp,
    WheelDown,
    /// Time passes: idle countdown, idle reset, index-generation check.
    Tick,
    /// Detail: "Signaler une erreur" — the visitor's list of reasons.
    ReportError,
    /// Staff: the review queue (Ctrl-R).
    ShowReview,
    /// Moderators: edit the open or selected entry.
    EditEntry,
    /// Moderators: a form for a new entry (from the review queue).
    NewEntry,
    /// Edit form: save; "vérifié aujourd'hui"; "fermé temporairement jusqu'au …"; "retirer".
    SaveEntry,
    CheckEntry,
    CloseEntry,
    RetireEntry,
    /// Review queue: the selected entry's reports are fixed / not an error.
    ResolveFixed,
    ResolveNotAnError,
    /// Review queue (four eyes): approve the selected entry's held change.
    Approve,
    /// The answer to a [`crate::ui::command::Command::Desk`] job.
    Desk(Box<crate::ui::desk::DeskAnswer>),
}

impl Action {
    /// Whether this goes on while a one-line prompt or the commune picker is open: time, the
    /// window, the answers of commands, and the keys that work on every screen (help,
    /// language, quit, the admin chord). Every other key waits for the field to close.
    /// Exhaustive on purpose: a new action must be placed here.
    pub fn passes_an_open_field(&self) -> bool {
        match self {
            Action::Tick
            | Action::Settle
            | Action::Clock(_)
            | Action::Resize(..)
            | Action::Quit
            | Action::AdminChord
            | Action::Help
            | Action::ToggleLanguage
            | Action::EffectDone(_)
            | Action::Searched(..)
            | Action::CommuneCounts(_)
            | Action::FiltersTried(_)
            | Action::CatalogueLoaded(_)
            | Action::Desk(_)
            | Action::SpeechEnded(_) => true,
            Action::ReportError
            | Action::ShowReview
            | Action::EditEntry
            | Action::NewEntry
            | Action::SaveEntry
            | Action::CheckEntry
            | Action::CloseEntry
            | Action::RetireEntry
            | Action::ResolveFixed
            | Action::ResolveNotAnError
            | Action::Approve => false,
            Action::Type(_)
            | Action::Paste(_)
            | Action::Backspace
            | Action::ClearQuery
            | Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
            | Action::Open
            | Action::Back
            | Action::Digit(_)
            | Action::About
            | Action::FilterTheme
            | Action::FilterCommune
            | Action::FilterPlace
            | Action::FilterFree
            | Action::FilterOpen
            | Action::ToggleSort
            | Action::SetFilters(_)
            | Action::AskNear
            | Action::ToggleMap
            | Action::ToggleShortlist
            | Action::ShowShortlist
            | Action::MoveEntryUp
            | Action::MoveEntryDown
            | Action::RemoveEntry
            | Action::ClearShortlist
            | Action::ExportText
            | Action::ExportHtml
            | Action::PrintShortlist
            | Action::CopyShortlist
            | Action::PrintTicket
            | Action::Speak
            | Action::Click(..)
            | Action::WheelUp
            | Action::WheelDown
            | Action::Presence => false,
        }
    }
}

/// How many initiatives match a search in each commune, and in all of them (online services
/// belong to none, so the total is not the sum).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommuneCounts {
    pub all: u64,
    /// INSEE code → matches there.
    pub per_commune: Vec<(String, u64)>,
}

/// What the interface shows of the catalogue as a whole: the reference lists, Home's counts
/// and About's facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub reference: Reference,
    /// Initiatives per theme, over the whole catalogue.
    pub home_counts: Vec<(String, u64)>,
    pub documents: usize,
    /// When the live generation was built (`YYYY-MM-DD…`).
    pub built_at: String,
    /// The live generation's name (staff see it in About).
    pub generation: String,
}
