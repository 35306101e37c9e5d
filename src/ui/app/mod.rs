//! The interface state and its one door. [`App::update`] is the only way any of it changes:
//! it takes an [`Action`] (a key, the clock, the answer to a search…) and returns the
//! [`Command`]s the runtime must carry out (search, print, count…), whose outcomes come back
//! as Actions. It never touches the terminal, a file or the index, so it can be driven and
//! checked in tests action by action. Views render from `&App` through the read-only
//! accessors below. `docs/ARCHITECTURE.md` draws the whole loop.

mod guidance;
mod moderate;
mod navigate;
mod picker;
mod searching;
mod speaking;
mod staff;
mod state;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};

pub use self::moderate::{EditState, Moderation, REASONS};
pub use self::state::{
    Confirm, DigitRun, Filters, Focus, Mode, OpenFilter, Picker, PickerChoice, PickerFor, Place, Prompt, PromptKind,
    Screen, Sort, Visit,
};
use super::action::{Action, Catalogue};
use super::command::Command;
use super::layout;
use super::palette::Palette;
use crate::catalogue::{Commune, Initiative, Reference};
use crate::geo::{self, Point};
use crate::i18n::Strings;
use crate::kiosk;
use crate::mark::{self, Mark};
use crate::usage;

/// How many results a search keeps (scrolling goes this far; the count shows the total).
pub const RESULT_LIMIT: usize = 200;
/// How many matches, the best by relevance, the distance sort examines: the
/// nearest of the 200 best would often be far. (The "ouvert" filter needs no such bound: it
/// runs inside the search, over every match.)
pub const WIDE_LIMIT: usize = 5_000;
/// How many matches, the first by name, a theme browsed without words examines to order them
/// for a person in need (each is loaded and scored: 1,000 take ~25 ms at 100k, 5,000 took
/// 100–130 ms). Every theme of the real catalogue is far smaller (95 at most).
pub const NEED_LIMIT: usize = 1_000;
/// How often the live index generation is checked.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// After this long without typing, the query on screen counts as one search.
pub const SEARCH_SETTLED: Duration = Duration::from_secs(2);
pub use super::layout::{MIN_HEIGHT, MIN_WIDTH};

/// How this session is set up: fixed for its whole life (from the configuration).
#[derive(Debug, Clone)]
pub struct Setup {
    pub mode: Mode,
    /// Seconds without input before a kiosk clears the visit.
    pub idle_timeout: Duration,
    /// Mouse clicks and the wheel are read (`--mouse`).
    pub mouse: bool,
    /// A print command is configured: tickets and printed lists are offered.
    pub can_print: bool,
    /// OSC 52 copying is enabled in the configuration.
    pub can_copy: bool,
    /// Where exports go by default (the configured folder, else the working directory).
    pub export_dir: std::path::PathBuf,
    /// The kiosk's place as configured: a commune (name, postcode, INSEE code) or `LAT,LON`.
    pub place: Option<String>,
    /// The languages F2 cycles through, in order (the office's choice; every one by default).
    pub languages: Vec<String>,
    /// The office's sentence on the orientation card, in French and in English (None: the
    /// translated default).
    pub orientation: Option<String>,
    pub orientation_en: Option<String>,
    /// The catalogue's upkeep is reachable (a data directory): visitors' reports, and for
    /// staff the review queue.
    pub desk: bool,
    /// This staff session's Unix account is one of the configured moderators.
    pub moderator: bool,
    /// The session's Unix account (a moderator may not approve their own change).
    pub account: String,
    /// A kiosk with a speech command: the screen can be read aloud (never a staff session).
    pub can_speak: bool,
}

impl Setup {
    /// A session of `mode` with the defaults of the configuration.
    pub fn new(mode: Mode) -> Setup {
        Setup {
            mode,
            idle_timeout: Duration::from_secs(crate::config::DEFAULT_IDLE_SECONDS),
            mouse: false,
            can_print: false,
            can_copy: false,
            export_dir: std::path::PathBuf::from("."),
            place: None,
            languages: crate::i18n::LANGUAGES.iter().map(|(c, _)| c.to_string()).collect(),
            orientation: None,
            orientation_en: None,
            desk: false,
            moderator: false,
            account: String::new(),
            can_speak: false,
        }
    }
}

pub struct App {
    setup: Setup,
    strings: Strings,
    palette: Palette,
    screen: Screen,
    /// Where Help/About/Shortlist return to.
    return_to: Screen,
    focus: Focus,
    visit: Visit,
    /// The live catalogue (reference lists, Home's counts, About's facts).
    catalogue: Catalogue,
    /// Why the index could not be opened or searched (shown as "search unavailable").
    index_error: Option<String>,
    kiosk_commune: Option<Commune>,
    /// Where distances are measured from by default: the configured commune's centre or the
    /// office's coordinates.
    kiosk_point: Option<Point>,
    size: (u16, u16),
    last_input: Instant,
    last_refresh: Instant,
    quit: bool,
    /// "HH:MM" shown in the title bar.
    clock: String,
    /// The configured language, restored at the idle reset.
    default_lang: String,
    /// Local Paris time, to the minute: the one clock for opening status and the weekly table.
    now: NaiveDateTime,
    /// How far the help screen is scrolled (its body may be taller than the window).
    help_scroll: u16,
    /// Effects sent out and not yet answered (the screen says "Impression en cours…").
    effects_pending: usize,
    /// The last search's outcome (found nothing?) and its text, counted once the visitor
    /// settles on it.
    unsettled_search: Option<(bool, String)>,
    /// The review queue and the edit form (staff), [`moderate`].
    moderation: Moderation,
    /// The utterance being read aloud, if any (`speaking.rs`).
    speaking: Option<u64>,
    /// The last utterance's id.
    utterances: u64,
    /// Commands gathered while handling one action.
    out: Vec<Command>,
}

impl App {
    pub fn new(setup: Setup, strings: Strings, palette: Palette, now: Instant) -> App {
        let default_lang = strings.lang.clone();
        App {
            setup,
            strings,
            palette,
            screen: Screen::Home,
            return_to: Screen::Home,
            focus: Focus::Query,
            visit: Visit::default(),
            catalogue: Catalogue::default(),
            index_error: None,
            kiosk_commune: None,
            kiosk_point: None,
            size: (80, 24),
            last_input: now,
            last_refresh: now,
            quit: false,
            clock: String::new(),
            default_lang,
            now: NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default(),
            help_scroll: 0,
            effects_pending: 0,
            unsettled_search: None,
            moderation: Moderation::default(),
            speaking: None,
            utterances: 0,
            out: Vec::new(),
        }
    }

    // ----- The one door -----

    /// Applies `action` at `now` and returns what the runtime must do next.
    pub fn update(&mut self, action: Action, now: Instant) -> Vec<Command> {
        let from_person = !matches!(
            action,
            Action::Tick
                | Action::Settle
                | Action::Clock(_)
                | Action::Resize(..)
                | Action::Searched(..)
                | Action::CatalogueLoaded(_)
                | Action::EffectDone(_)
                | Action::CommuneCounts(_)
                | Action::FiltersTried(_)
                | Action::Desk(_)
                | Action::SpeechEnded(_)
        );
        if from_person {
            if !matches!(action, Action::Digit(_)) {
                self.end_digit_run();
            }
            self.last_input = now;
            // A message answers the last key; the next one moves on (but "printing…" stays
            // until the print answers).
            if self.effects_pending == 0 {
                self.visit.message = None;
            }
        }
        // Any key silences the voice; the speech key, pressed while it speaks, only that.
        let silenced = from_person && self.hush();
        if action == Action::Speak {
            if !silenced {
                self.speak();
            }
            return std::mem::take(&mut self.out);
        }
        if !matches!(action, Action::Tick | Action::Settle | Action::Clock(_) | Action::SpeechEnded(_)) {
            self.out.push(Command::Redraw);
        }
        let taken = (self.visit.confirm.is_some() && self.confirm_input(&action))
            || (self.visit.prompt.is_some() && self.prompt_input(&action))
            || (self.visit.picker.is_some() && self.picker_input(&action))
            || self.moderation_input(&action);
        if !taken {
            self.apply(action, now);
        }
        self.follow_detail();
        std::mem::take(&mut self.out)
    }

    fn apply(&mut self, action: Action, now: Instant) {
        match action {
            Action::Tick => self.tick(now),
            Action::Settle => self.settle(),
            Action::Clock(local) => self.set_clock(local),
            Action::Presence => {}
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.clamp_selection();
                self.load_visible();
            }
            Action::Type(c) => self.type_char(c),
            Action::Paste(text) => {
                // Whole escape sequences go, not only their ESC (which would leave "]0;…").
                for c in crate::text::sanitize_line(&text).chars().take(200) {
                    self.type_char(c);
                }
            }
            Action::Backspace => self.backspace(),
            Action::ClearQuery => self.clear_query(),
            Action::Up if self.screen == Screen::Home => self.move_tile(0, -1),
            Action::Down if self.screen == Screen::Home => self.move_tile(0, 1),
            Action::Left => self.move_tile(-1, 0),
            Action::Right => self.move_tile(1, 0),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page_rows() as isize)),
            Action::PageDown => self.move_by(self.page_rows() as isize),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(usize::MAX),
            Action::WheelUp => self.move_by(-3),
            Action::WheelDown => self.move_by(3),
            Action::Open => self.open_selected(),
            Action::Back => self.back(),
            Action::Digit(d) => self.digit_key(d),
            Action::Help => self.overlay(Screen::Help),
            Action::About => self.overlay(Screen::About),
            Action::ToggleLanguage => {
                if let Some(next) = self.next_language() {
                    self.strings = Strings::load(&next);
                }
            }
            Action::FilterTheme => self.cycle_theme(),
            Action::FilterCommune => self.open_picker(PickerFor::Filter),
            Action::FilterPlace => self.cycle_place(),
            Action::FilterFree => self.toggle_free(),
            Action::FiltersTried(tried) => self.filters_tried(tried),
            Action::FilterOpen => self.cycle_open(),
            Action::ToggleSort => self.toggle_sort(),
            Action::SetFilters(filters) => {
                self.visit.filters = filters;
                self.filters_changed();
            }
            Action::AskNear => self.open_picker(PickerFor::Near),
            // Counts for a picker closed before they came: nothing to show them in.
            Action::CommuneCounts(_) => {}
            Action::ToggleMap => self.toggle_map(),
            Action::ToggleShortlist => self.toggle_shortlist(),
            Action::ShowShortlist => self.show_shortlist(),
            Action::MoveEntryUp => self.move_entry(-1),
            Action::MoveEntryDown => self.move_entry(1),
            Action::RemoveEntry => self.remove_entry(),
            Action::ClearShortlist => {
                if !self.visit.shortlist.is_empty() {
                    self.visit.confirm = Some(Confirm::ClearList);
                }
            }
            Action::ExportText => self.ask_export(false),
            Action::ExportHtml => self.ask_export(true),
            Action::PrintShortlist => self.print_shortlist(),
            Action::CopyShortlist => self.copy_shortlist(),
            Action::PrintTicket => self.print_ticket(),
            // Handled in `update`, before anything else.
            Action::Speak => {}
            Action::SpeechEnded(id) => self.speech_ended(id),
            Action::EffectDone(outcome) => self.effect_done(outcome),
            Action::Searched(results, keep) => self.searched(*results, keep),
            Action::CatalogueLoaded(catalogue) => self.catalogue_loaded(*catalogue),
            Action::Quit => {
                // A staff member with a shortlist is asked first: one key must not lose it.
                if !self.is_kiosk() {
                    if self.visit.shortlist.is_empty() {
                        self.quit = true;
                    } else {
                        self.visit.confirm = Some(Confirm::Quit);
                    }
                }
            }
            Action::AdminChord => self.quit = true,
            Action::Click(col, row) => self.click(col, row),
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
            | Action::Approve
            | Action::Desk(_) => self.moderate(action),
        }
    }

    /// Time passes: a settled search is counted, an idle kiosk is cleared, and every
    /// [`REFRESH_EVERY`] the runtime looks for a new index generation.
    fn tick(&mut self, now: Instant) {
        if now.duration_since(self.last_input) >= SEARCH_SETTLED {
            self.count_search();
            self.end_digit_run();
        }
        if self.is_kiosk() && self.has_visit() && now.duration_since(self.last_input) >= self.setup.idle_timeout {
            self.count_search();
            self.reset_visit();
            self.count(usage::Event::IdleReset);
        }
        if now.duration_since(self.last_refresh) >= REFRESH_EVERY {
            self.last_refresh = now;
            self.out.push(Command::RefreshIndex);
        }
    }

    /// The loop's clock. Opening status changes by the minute: marks are recomputed, and an
    /// "open now" list searched again, only when the minute changes.
    fn set_clock(&mut self, local: NaiveDateTime) {
        let clock = local.format("%H:%M").to_string();
        if clock != self.clock {
            self.clock = clock;
            self.out.push(Command::Redraw);
        }
        use chrono::Timelike;
        let minute = |t: NaiveDateTime| (t.date(), t.hour(), t.minute());
        if minute(local) == minute(self.now) {
            return;
        }
        self.now = local;
        self.out.push(Command::Redraw);
        self.forget_marks();
        self.load_visible();
        if self.visit.filters.open != OpenFilter::Any && self.visit.results.is_some() {
            self.visit.search_pending = true;
        }
    }

    /// The idle reset: everything the visitor typed or opened goes; language back to default.
    /// What this visit searched in vain leaves first, as words only (`Command::MissedWords`).
    fn reset_visit(&mut self) {
        let mut words = std::mem::take(&mut self.visit.missed_words);
        for w in std::mem::take(&mut self.visit.unopened_words) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        if self.is_kiosk() && !words.is_empty() {
            self.out.push(Command::MissedWords(words));
        }
        self.hush();
        self.visit = Visit::default();
        self.effects_pending = 0;
        self.screen = Screen::Home;
        self.return_to = Screen::Home;
        self.focus = Focus::Query;
        if self.strings.lang != self.default_lang {
            self.strings = Strings::load(&self.default_lang);
        }
        self.out.push(Command::WipeScreen);
        self.out.push(Command::ForgetVisit);
    }

    fn count(&mut self, event: usage::Event) {
        self.out.push(Command::Count(event));
    }

    // ----- Read-only views of the state (for the views, the runtime and tests) -----

    pub fn mode(&self) -> Mode {
        self.setup.mode
    }

    pub fn is_kiosk(&self) -> bool {
        self.setup.mode == Mode::Kiosk
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Reports and the review queue can be reached (a data directory).
    pub fn has_desk(&self) -> bool {
        self.setup.desk
    }

    pub fn visit(&self) -> &Visit {
        &self.visit
    }

    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    pub fn palette(&self) -> &Palette {
        &self.palette
    }

    pub fn reference(&self) -> &Reference {
        &self.catalogue.reference
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Counts per theme on Home (the whole catalogue).
    pub fn home_counts(&self) -> &[(String, u64)] {
        &self.catalogue.home_counts
    }

    pub fn index_error(&self) -> Option<&str> {
        self.index_error.as_deref()
    }

    pub fn kiosk_commune(&self) -> Option<&Commune> {
        self.kiosk_commune.as_ref()
    }

    pub fn kiosk_point(&self) -> Option<Point> {
        self.kiosk_point
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn clock(&self) -> &str {
        &self.clock
    }

    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    pub fn can_print(&self) -> bool {
        self.setup.can_print
    }

    pub fn can_copy(&self) -> bool {
        self.setup.can_copy
    }

    /// The language F2 switches to: the next of the office's list (the first when the screen
    /// speaks one not in it); none when the list holds only this one.
    pub fn next_language(&self) -> Option<String> {
        let list = &self.setup.languages;
        let next = match list.iter().position(|c| *c == self.strings.lang) {
            Some(i) => list.get((i + 1) % list.len()),
            None => list.first(),
        };
        next.filter(|c| **c != self.strings.lang).cloned()
    }

    pub fn mouse(&self) -> bool {
        self.setup.mouse
    }

    /// The session asked to end (staff quit, or the kiosk's admin chord).
    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// How far the help screen is scrolled (the view clamps it to what there is to see).
    pub fn help_scroll(&self) -> u16 {
        self.help_scroll
    }

    /// An export or print sent out and not yet answered.
    pub fn effects_pending(&self) -> usize {
        self.effects_pending
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Rows of the result list that fit on screen: the layout's arithmetic, so every row
    /// numbered on screen can be opened.
    pub fn page_rows(&self) -> usize {
        layout::page_rows(self.size.1)
    }

    /// How theme signs are written on this terminal (pictograms, or ASCII letter codes), on
    /// screen and on what is printed from it.
    pub fn signs(&self) -> crate::pictogram::Signs {
        crate::pictogram::Signs::new(self.palette.symbols.ascii)
    }

    /// Key names and hints as this terminal can draw them.
    pub fn symbol_text(&self, s: &str) -> String {
        if self.palette.symbols.ascii { crate::text::fit::ascii_symbols(s) } else { s.to_string() }
    }

    /// Where distances are measured from: the commune staff chose, else the kiosk's place.
    pub fn origin(&self) -> Option<Point> {
        self.visit.near.as_ref().map(|c| Point { lat: c.lat, lon: c.lon }).or(self.kiosk_point)
    }

    /// The mark of result row `i`, when loaded.
    pub fn mark(&self, i: usize) -> Option<&Mark> {
        self.visit.marks.get(i).and_then(Option::as_ref)
    }

    /// The mark of any initiative (Detail, preview), computed now.
    pub fn mark_of(&self, item: &Initiative) -> Mark {
        mark::mark(item, self.now, self.origin(), self.reference())
    }

    pub fn selected_initiative(&self) -> Option<&Initiative> {
        self.visit.rows.get(self.visit.selected).and_then(Option::as_ref)
    }

    pub fn result_count(&self) -> usize {
        self.visit.results.as_ref().map_or(0, |r| r.hits.len())
    }

    /// Whether this initiative is on the shortlist (for the row marker).
    pub fn in_shortlist(&self, id: &str) -> bool {
        self.visit.shortlist.iter().any(|i| i.id == id)
    }

    /// When the loop must wake up even without input.
    pub fn next_deadline(&self, now: Instant) -> Instant {
        let mut next = self.last_refresh + REFRESH_EVERY;
        if self.is_kiosk() && self.has_visit() {
            let reset = self.last_input + self.setup.idle_timeout;
            let warn = reset.checked_sub(kiosk::WARNING).unwrap_or(reset);
            // During the countdown, wake every second to redraw the number.
            let candidate = if now >= warn { now + Duration::from_secs(1) } else { warn };
            next = next.min(candidate.min(reset));
        }
        if self.visit.search_pending {
            next = now;
        }
        next
    }

    /// Seconds left before the idle reset, when the warning shows.
    pub fn idle_countdown(&self, now: Instant) -> Option<u64> {
        if !self.is_kiosk() || !self.has_visit() {
            return None;
        }
        let reset = self.last_input + self.setup.idle_timeout;
        let left = reset.saturating_duration_since(now);
        (left <= kiosk::WARNING).then(|| left.as_secs_f64().ceil() as u64)
    }

    /// Whether anything of a visitor is on screen or in memory.
    pub fn has_visit(&self) -> bool {
        self.screen != Screen::Home
            || !self.visit.query.is_empty()
            || !self.visit.filters.is_empty()
            || self.visit.results.is_some()
    }

    /// The catalogue of the live generation arrived (at start or after a rebuild).
    fn catalogue_loaded(&mut self, loaded: Result<Catalogue, String>) {
        match loaded {
            Ok(catalogue) => {
                let first = self.catalogue.generation.is_empty();
                self.catalogue = catalogue;
                self.index_error = None;
                let place = self.setup.place.clone();
                self.kiosk_commune = place.as_deref().and_then(|c| self.reference().find_commune(c)).cloned();
                self.kiosk_point = place.as_deref().and_then(|c| geo::parse_point(c, self.reference()));
                if !first && self.visit.results.is_some() {
                    // A new generation: search again, keeping the visitor's place.
                    let keep = self.selected_initiative().map(|i| i.id.clone());
                    let place = super::command::Keep::Place {
                        id: keep,
                        selected: self.visit.selected,
                        scroll: self.visit.scroll,
                    };
                    self.search(place);
                }
            }
            Err(e) => self.index_error = Some(e),
        }
    }
}
