//! The plain data the interface state is made of: which screen, which filters, what one
//! visit holds. No behaviour beyond small predicates: `App::update` (in `super`) is the
//! only code that changes any of it.

use crate::catalogue::{Commune, Initiative};
use crate::mark::Mark;
use crate::search::SearchResults;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Results,
    Detail,
    Help,
    About,
    /// The current results as dots on a map of the département.
    Map,
    /// Staff: the initiatives chosen for the person being helped.
    Shortlist,
    /// Staff: what needs checking (reports, old entries, gaps), Ctrl-R.
    Review,
    /// Moderators: the form of one initiative.
    Edit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Kiosk,
    Staff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Query,
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    #[default]
    All,
    OnSite,
    Online,
}

/// The "ouvert" filter (F7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OpenFilter {
    #[default]
    Any,
    Now,
    Today,
}

/// Result order (F8): relevance, or distance from the kiosk (or the commune staff chose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Distance,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub theme: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    pub place: Place,
    pub free: bool,
    pub open: OpenFilter,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// What a one-line prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Where to write the shortlist (staff).
    ExportText,
    ExportHtml,
}

/// What the commune picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerFor {
    /// F4: the commune filter.
    Filter,
    /// F9 (staff): the commune distances are measured from (the person's).
    Near,
}

/// The commune picker (F4, F9): type a few letters, move with the arrows, Enter to choose,
/// Esc to cancel. Which communes it offers is [`super::App::picker_choices`].
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub purpose: PickerFor,
    pub text: String,
    /// Index into the choices.
    pub selected: usize,
    /// First choice shown.
    pub scroll: usize,
    /// Matches in all communes and per commune (INSEE code) for the query and the other
    /// filters, once counted.
    pub counts: Option<(u64, std::collections::HashMap<String, u64>)>,
}

/// One line of the commune picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerChoice {
    /// `None`: every commune (F4), or no commune to measure from (F9).
    pub commune: Option<Commune>,
    /// Matches there, when counted.
    pub count: Option<u64>,
}

/// A question that must be answered before a step that would lose the shortlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Quit with initiatives on the shortlist.
    Quit,
    /// Empty a non-empty shortlist.
    ClearList,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// Why the last answer was refused.
    pub error: Option<String>,
}

/// What a visitor did in this visit; dropped whole at the idle reset. Read by the views
/// through [`super::App::visit`]; written only by `App::update`.
#[derive(Debug, Default)]
pub struct Visit {
    pub query: String,
    pub filters: Filters,
    /// The last search's answer: an immutable snapshot of one index generation, whose rows
    /// are read lazily (only what is shown).
    pub results: Option<SearchResults>,
    /// Loaded rows of `results`.
    pub rows: Vec<Option<Initiative>>,
    /// Open status and distance of each loaded row, for the clock's current minute.
    pub marks: Vec<Option<Mark>>,
    pub sort: Sort,
    /// Staff only: measure distances from this commune (the person's) for this visit.
    pub near: Option<Commune>,
    /// Typing goes to this one-line prompt until Enter or Esc.
    pub prompt: Option<Prompt>,
    /// Typing goes to the commune picker until Enter or Esc.
    pub picker: Option<Picker>,
    /// A yes/no question in progress (o / Entrée: yes; n / Échap: no).
    pub confirm: Option<Confirm>,
    /// Staff: the initiatives chosen for the person being helped, in the order to hand over.
    pub shortlist: Vec<Initiative>,
    pub shortlist_selected: usize,
    /// The outcome of the last export, print or copy (and whether it failed); while one is
    /// under way, what is being done ("Impression en cours…").
    pub message: Option<(String, bool)>,
    pub selected: usize,
    /// First row shown in the list.
    pub scroll: usize,
    pub detail: Option<Initiative>,
    pub detail_scroll: u16,
    /// Typing changed the query or the filters: one search is due when the burst of input
    /// ends ([`super::Action::Settle`]).
    pub search_pending: bool,
    /// An error from the last search, shown instead of results.
    pub error: Option<String>,
    /// Home: the theme tile chosen with the arrows (Enter opens it); none until an arrow is
    /// pressed, so that Enter first resumes a previous search.
    pub home_tile: Option<usize>,
    /// Digits typed on Home, while the next key may still make them a number ([`DigitRun`]).
    pub digit_run: Option<DigitRun>,
    /// An answer without rows: the offered theme chosen with the arrows (Enter opens it),
    /// an index of `App::offered_themes`.
    pub theme_choice: Option<usize>,
    /// Words of this visit's searches that found nothing ([`crate::usage::missed_words`]).
    pub missed_words: Vec<String>,
    /// Words of the last search that found something, until a result is opened: left
    /// unopened when the visit ends, the search was abandoned.
    pub unopened_words: Vec<String>,
    /// "Signaler une erreur" is open on the detail page: the reason chosen with the arrows.
    pub report_menu: Option<usize>,
    /// Entries reported in this visit (one report per entry per visit).
    pub reported: std::collections::HashSet<String>,
}

/// Home's digits (issue #12, item 5). A digit on Home opens its theme at once; if the very
/// next key is another digit, the two (and the digits after them) become a number searched
/// over all themes: `9` `2` `0` `0` `0` ends as the search "92000", `1` `1` `5` as "115". Any
/// other key ends the run. No timer: the same keys always do the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigitRun {
    /// One digit opened this theme (counted as opened only once the run ends without a
    /// second digit: a postcode is not nine visits to "Partir en vacances").
    Theme { key: char, slug: String },
    /// The digits became a number search; more digits extend it.
    Number,
}
