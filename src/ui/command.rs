//! What the state machine asks the outside world to do. `App::update` returns these; the
//! [`super::runtime::Runtime`] carries them out — searches and index switches at once on the
//! UI thread (they take a millisecond), printing and file writing on a worker thread (a
//! stuck printer must not freeze the kiosk) — and feeds each outcome back as an
//! [`super::action::Action`].

use chrono::NaiveDateTime;

use super::app::{Filters, OpenFilter};
use crate::catalogue::Initiative;
use crate::geo::Point;
use crate::search::SearchRequest;
use crate::search::need_order::NeedContext;
use crate::usage;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Search the live index; the answer comes back as [`super::action::Action::Searched`].
    Search(SearchJob),
    /// How many matches `job` would give in each commune (its commune filter ignored): the
    /// commune picker's counts. Answered with `Action::CommuneCounts`.
    CountCommunes(SearchJob),
    /// How many matches each of these filter settings would give (F5, F6: a filter that
    /// would empty the list is skipped or refused). Answered with `Action::FiltersTried`.
    TryFilters(Vec<(Filters, SearchJob)>),
    /// Move to a newer index generation if an administrator rebuilt one; when it moved, the
    /// new catalogue comes back as [`super::action::Action::CatalogueLoaded`].
    RefreshIndex,
    /// Something for the world: a file, a printer, the clipboard. Its outcome comes back as
    /// [`super::action::Action::EffectDone`].
    Effect(Effect),
    /// Count an anonymous usage event (`crate::usage`): ids and theme slugs, never what was
    /// typed.
    Count(usage::Event),
    /// A kiosk visit ended: the words it searched without success (letters only, each once;
    /// `usage::missed_words`). Kept only once typed in several visits (`usage::Usage::missed_visit`).
    MissedWords(Vec<String>),
    /// Read this aloud (kiosks with speech), silencing what was being said. When it has been
    /// said to the end, [`super::action::Action::SpeechEnded`] comes back with its id.
    Speak(Utterance),
    /// Silence what is being said (the visitor pressed a key, moved on, or left).
    StopSpeech,
    /// The screen changed: draw a frame.
    Redraw,
    /// The visit was cleared: erase the screen and the terminal's scrollback too.
    WipeScreen,
    /// The visit was cleared: drop what the runtime keeps for one visit (the "ouvert"
    /// answers, which hint at what was searched).
    ForgetVisit,
    /// Catalogue upkeep (a report, the review queue, an edit) on the desk thread; answered
    /// with `Action::Desk`.
    Desk(super::desk::DeskJob),
}

/// One search, with everything it depends on, so that running it needs nothing of the state.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchJob {
    pub request: SearchRequest,
    /// The "ouvert" filter, evaluated at `at` (Paris time, to the minute).
    pub open: OpenFilter,
    pub at: NaiveDateTime,
    /// Sort the best matches by distance from this point.
    pub by_distance: Option<Point>,
    /// A list browsed without words: ordered for a person in need
    /// ([`crate::search::need_order`]), from this day and place.
    pub need: Option<NeedContext>,
    /// Where the selection goes once the answer is in.
    pub keep: Keep,
}

/// Something to read aloud: the screen's essentials in its language (`ui::spoken`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    pub id: u64,
    /// The screen's language code (the speech command picks its voice from it).
    pub lang: String,
    pub text: String,
}

/// Where the selection lands when a search answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    /// The first result (a new query).
    Top,
    /// The same initiative if it is still there (filters changed), else the first.
    Selection(String),
    /// The same initiative, else the same row and scroll (a new index generation).
    Place { id: Option<String>, selected: usize, scroll: usize },
}

/// The kiosk's ways out to the world. Built by `update` with everything they need.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the shortlist as a text (or HTML) page to `path`.
    /// A new file `name` (a plain name, checked) in the export folder `dir`, and nowhere else.
    Export { html: bool, dir: std::path::PathBuf, name: String, items: Vec<Initiative> },
    /// Print the shortlist's text page.
    PrintList(Vec<Initiative>),
    /// Print a narrow ticket of one initiative.
    PrintTicket(Box<Initiative>),
    /// Copy the shortlist's text page to the clipboard (OSC 52).
    Copy(Vec<Initiative>),
}

impl Effect {
    /// The i18n key of what the screen says while this effect is under way.
    pub fn busy_key(&self) -> &'static str {
        match self {
            Effect::Export { .. } => "shortlist.saving",
            Effect::PrintList(_) | Effect::PrintTicket(_) => "shortlist.printing",
            Effect::Copy(_) => "shortlist.copying",
        }
    }
}
