//! The application state and its one state machine. `App::update` holds every change of
//! state and never touches the terminal; views render from `&App`. Searches are coalesced:
//! typing only marks the query dirty, and [`App::settle`] runs one search for a burst of keys.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use super::action::Action;
use super::palette::Palette;
use crate::catalogue::{Commune, Initiative, Reference};
use crate::geo::{self, Point};
use crate::i18n::Strings;
use crate::kiosk;
use crate::mark::{self, Mark};
use crate::search::{MatchMode, SearchIndex, SearchRequest, SearchResults};
use crate::usage;

/// How many results a search keeps (scrolling goes this far; the count shows the total).
pub const RESULT_LIMIT: usize = 200;
/// How many matches, the best by relevance, the distance sort examines: the
/// nearest of the 200 best would often be far. (The "ouvert" filter needs no such bound: it
/// runs inside the search, over every match.)
pub const WIDE_LIMIT: usize = 5_000;
/// How often the live index generation is checked.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// The smallest layout we draw; below it, a "please enlarge" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

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
}

/// Something for the run loop to do outside the state machine (files, printer, clipboard);
/// its outcome comes back as [`Action::EffectDone`]. Keeping these out of `update` keeps
/// `update` pure and testable.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the shortlist as a text (or HTML) page to `path`.
    Export { html: bool, path: std::path::PathBuf, items: Vec<Initiative> },
    /// Print the shortlist's text page.
    PrintList(Vec<Initiative>),
    /// Print a narrow ticket of one initiative.
    PrintTicket(Box<Initiative>),
    /// Copy the shortlist's text page to the clipboard (OSC 52).
    Copy(Vec<Initiative>),
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
    /// A commune to measure distances from (staff).
    Near,
    /// Where to write the shortlist (staff).
    ExportText,
    ExportHtml,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// Why the last answer was refused.
    pub error: Option<String>,
}

/// What a visitor did in this visit; dropped whole at the idle reset.
#[derive(Debug, Default)]
pub struct Visit {
    pub query: String,
    pub filters: Filters,
    pub results: Option<SearchResults>,
    /// Loaded rows of `results` (loaded lazily: only what is shown).
    pub rows: Vec<Option<Initiative>>,
    /// Open status and distance of each loaded row, for the clock's current minute.
    pub marks: Vec<Option<Mark>>,
    pub sort: Sort,
    /// Staff only: measure distances from this commune (the person's) for this visit.
    pub near: Option<Commune>,
    /// Typing goes to this one-line prompt until Enter or Esc.
    pub prompt: Option<Prompt>,
    /// Staff: the initiatives chosen for the person being helped, in the order to hand over.
    pub shortlist: Vec<Initiative>,
    pub shortlist_selected: usize,
    /// The outcome of the last export, print or copy (and whether it failed).
    pub message: Option<(String, bool)>,
    pub selected: usize,
    /// First row shown in the list.
    pub scroll: usize,
    pub detail: Option<Initiative>,
    pub detail_scroll: u16,
    pub search_pending: bool,
    /// An error from the last search, shown instead of results.
    pub error: Option<String>,
    /// The "ouvert" filter's answers for the current minute (catalogue hours only, but what
    /// was matched hints at what was typed: it goes with the visit).
    pub open_cache: mark::OpenCache,
}

pub struct App {
    pub mode: Mode,
    pub strings: Strings,
    pub palette: Palette,
    pub screen: Screen,
    /// Where Help/About return to.
    pub return_to: Screen,
    pub focus: Focus,
    pub visit: Visit,
    pub index: Option<SearchIndex>,
    /// Why the index could not be opened (shown as "search unavailable").
    pub index_error: Option<String>,
    pub reference: Reference,
    /// Counts per theme on Home (the whole catalogue).
    pub home_counts: Vec<(String, u64)>,
    pub kiosk_commune: Option<Commune>,
    /// Where distances are measured from by default: the configured commune's centre or the
    /// office's coordinates.
    pub kiosk_point: Option<Point>,
    pub size: (u16, u16),
    pub idle_timeout: Duration,
    pub last_input: Instant,
    pub last_refresh: Instant,
    /// Set when the visit was just cleared: the terminal's scrollback must be cleared too.
    pub wiped: bool,
    pub quit: bool,
    pub mouse: bool,
    /// "HH:MM" shown in the title bar, set by the loop from the clock.
    pub clock: String,
    /// The configured language, restored at the idle reset.
    pub default_lang: String,
    /// Local Paris time, to the minute: the one clock for opening status and the weekly table
    /// (set by the loop through [`App::set_now`]; fixed in tests).
    pub now: NaiveDateTime,
    /// Something changed since the last frame was drawn.
    pub dirty: bool,
    /// A print command is configured: tickets and printed lists are offered.
    pub can_print: bool,
    /// OSC 52 copying is enabled in the configuration.
    pub can_copy: bool,
    /// Where exports go by default (the configured folder, else the working directory).
    pub export_dir: std::path::PathBuf,
    /// Effects waiting for the run loop.
    pub effects: Vec<Effect>,
    /// Anonymous usage events waiting for the loop to count (`crate::usage`): catalogue ids
    /// and theme slugs only, never what was typed.
    pub usage_events: Vec<usage::Event>,
    /// The last search's outcome (found nothing?), counted once the visitor settles on it.
    unsettled_search: Option<bool>,
}

/// After this long without typing, the query on screen counts as one search.
pub const SEARCH_SETTLED: Duration = Duration::from_secs(2);

impl App {
    pub fn new(
        mode: Mode,
        strings: Strings,
        palette: Palette,
        index: Result<SearchIndex, String>,
        now: Instant,
    ) -> App {
        let (index, index_error) = match index {
            Ok(i) => (Some(i), None),
            Err(e) => (None, Some(e)),
        };
        let default_lang = strings.lang.clone();
        let mut app = App {
            mode,
            strings,
            palette,
            screen: Screen::Home,
            return_to: Screen::Home,
            focus: Focus::Query,
            visit: Visit::default(),
            reference: Reference::default(),
            index,
            index_error,
            home_counts: Vec::new(),
            kiosk_commune: None,
            kiosk_point: None,
            size: (80, 24),
            idle_timeout: Duration::from_secs(crate::config::DEFAULT_IDLE_SECONDS),
            last_input: now,
            last_refresh: now,
            wiped: false,
            quit: false,
            mouse: false,
            clock: String::new(),
            default_lang,
            now: NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default(),
            dirty: true,
            can_print: false,
            can_copy: false,
            export_dir: std::path::PathBuf::from("."),
            effects: Vec::new(),
            usage_events: Vec::new(),
            unsettled_search: None,
        };
        app.load_catalogue_view();
        app
    }

    /// Reference data and Home counts from the live generation.
    fn load_catalogue_view(&mut self) {
        let Some(index) = self.index.as_mut() else { return };
        self.reference = index.reference().clone();
        let all = SearchRequest { limit: 1, ..Default::default() };
        match index.search(&all) {
            Ok(r) => self.home_counts = r.theme_counts,
            Err(e) => self.index_error = Some(e.to_string()),
        }
    }

    /// The kiosk's place from the configuration: a commune (name, postcode, INSEE code) or the
    /// office's `LAT,LON`.
    pub fn set_kiosk_commune(&mut self, commune: Option<&str>) {
        self.kiosk_commune = commune.and_then(|c| self.reference.find_commune(c)).cloned();
        self.kiosk_point = commune.and_then(|c| geo::parse_point(c, &self.reference));
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// The loop's clock. Opening status changes by the minute: marks are recomputed, and an
    /// "open now" list searched again, only when the minute changes.
    pub fn set_now(&mut self, now: NaiveDateTime) {
        // Called on every pass of the loop: compare fields, not formatted strings.
        let minute = |t: NaiveDateTime| (t.date(), t.hour(), t.minute());
        if minute(now) == minute(self.now) {
            return;
        }
        self.now = now;
        self.dirty = true;
        for m in self.visit.marks.iter_mut() {
            *m = None;
        }
        self.load_visible();
        if self.visit.filters.open != OpenFilter::Any && self.visit.results.is_some() {
            self.visit.search_pending = true;
        }
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
        mark::mark(item, self.now, self.origin(), &self.reference)
    }

    pub fn is_kiosk(&self) -> bool {
        self.mode == Mode::Kiosk
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Rows of the result list that fit on screen (each result takes two lines): the same
    /// arithmetic as `view::results`, so every row numbered on screen can be opened.
    pub fn page_rows(&self) -> usize {
        let list_height = self.size.1.saturating_sub(super::view::results::LIST_TOP + 1) as usize;
        (list_height / 2).max(1)
    }

    /// Key names and hints as this terminal can draw them.
    pub fn symbol_text(&self, s: &str) -> String {
        if self.palette.symbols.ascii { crate::text::fit::ascii_symbols(s) } else { s.to_string() }
    }

    /// When the loop must wake up even without input.
    pub fn next_deadline(&self, now: Instant) -> Instant {
        let mut next = self.last_refresh + REFRESH_EVERY;
        if self.is_kiosk() && self.has_visit() {
            let reset = self.last_input + self.idle_timeout;
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
        let reset = self.last_input + self.idle_timeout;
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

    pub fn update(&mut self, action: Action, now: Instant) {
        if !matches!(action, Action::Tick | Action::Resize(..)) {
            self.last_input = now;
        }
        if action != Action::Tick {
            self.dirty = true;
        }
        if self.visit.prompt.is_some() && self.prompt_input(&action) {
            return;
        }
        match action {
            Action::Tick => self.tick(now),
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
            Action::Backspace => match self.screen {
                Screen::Detail | Screen::Help | Screen::About | Screen::Map | Screen::Shortlist => self.back(),
                _ => {
                    if self.visit.query.pop().is_some() {
                        self.focus = Focus::Query;
                        self.visit.search_pending = true;
                    } else if self.screen == Screen::Results && self.visit.filters.is_empty() {
                        self.go_home();
                    }
                }
            },
            Action::ClearQuery => {
                self.visit.query.clear();
                self.visit.search_pending = true;
                if self.visit.filters.is_empty() {
                    self.go_home();
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page_rows() as isize)),
            Action::PageDown => self.move_by(self.page_rows() as isize),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(usize::MAX),
            Action::WheelUp => self.scroll_wheel(-3),
            Action::WheelDown => self.scroll_wheel(3),
            Action::Open => self.open_selected(),
            Action::Back => self.back(),
            Action::Digit(d) => self.digit(d),
            Action::Help => self.overlay(Screen::Help),
            Action::About => self.overlay(Screen::About),
            Action::ToggleLanguage => {
                let next = self.strings.next_lang();
                self.strings = Strings::load(next);
            }
            Action::FilterTheme => self.cycle_theme(),
            Action::FilterCommune => self.cycle_commune(),
            Action::FilterPlace => {
                self.visit.filters.place = match self.visit.filters.place {
                    Place::All => Place::OnSite,
                    Place::OnSite => Place::Online,
                    Place::Online => Place::All,
                };
                self.filters_changed();
            }
            Action::FilterFree => {
                self.visit.filters.free = !self.visit.filters.free;
                self.filters_changed();
            }
            Action::FilterOpen => {
                self.visit.filters.open = match self.visit.filters.open {
                    OpenFilter::Any => OpenFilter::Now,
                    OpenFilter::Now => OpenFilter::Today,
                    OpenFilter::Today => OpenFilter::Any,
                };
                self.filters_changed();
            }
            Action::ToggleSort => self.toggle_sort(),
            Action::AskNear => {
                if !self.is_kiosk() && matches!(self.screen, Screen::Home | Screen::Results) {
                    self.screen = Screen::Results;
                    self.visit.prompt = Some(Prompt { kind: PromptKind::Near, text: String::new(), error: None });
                }
            }
            Action::ToggleShortlist => self.toggle_shortlist(),
            Action::ShowShortlist => {
                if !self.is_kiosk() {
                    self.overlay(Screen::Shortlist);
                    self.visit.message = None;
                }
            }
            Action::MoveEntryUp | Action::MoveEntryDown => {
                let i = self.visit.shortlist_selected;
                let j = if action == Action::MoveEntryUp { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < self.visit.shortlist.len()) {
                    self.visit.shortlist.swap(i, j);
                    self.visit.shortlist_selected = j;
                }
            }
            Action::RemoveEntry => {
                if self.visit.shortlist_selected < self.visit.shortlist.len() {
                    self.visit.shortlist.remove(self.visit.shortlist_selected);
                    self.visit.shortlist_selected =
                        self.visit.shortlist_selected.min(self.visit.shortlist.len().saturating_sub(1));
                }
            }
            Action::ClearShortlist => {
                self.visit.shortlist.clear();
                self.visit.shortlist_selected = 0;
            }
            Action::ExportText | Action::ExportHtml => {
                if !self.visit.shortlist.is_empty() {
                    let html = action == Action::ExportHtml;
                    let name =
                        format!("liste-{}.{}", self.now.format("%Y-%m-%d-%H%M"), if html { "html" } else { "txt" });
                    let kind = if html { PromptKind::ExportHtml } else { PromptKind::ExportText };
                    let text = self.export_dir.join(name).display().to_string();
                    self.visit.prompt = Some(Prompt { kind, text, error: None });
                }
            }
            Action::PrintShortlist => {
                if self.can_print && !self.visit.shortlist.is_empty() {
                    self.effects.push(Effect::PrintList(self.visit.shortlist.clone()));
                }
            }
            Action::CopyShortlist => {
                if self.can_copy && !self.visit.shortlist.is_empty() {
                    self.effects.push(Effect::Copy(self.visit.shortlist.clone()));
                }
            }
            Action::PrintTicket => {
                if self.can_print
                    && self.screen == Screen::Detail
                    && let Some(item) = self.visit.detail.clone()
                {
                    self.effects.push(Effect::PrintTicket(Box::new(item)));
                }
            }
            Action::EffectDone(outcome) => {
                self.visit.message = Some(match outcome {
                    Ok(m) => (m, false),
                    Err(m) => (m, true),
                });
            }
            Action::ToggleMap => match self.screen {
                Screen::Results if self.result_count() > 0 => {
                    self.screen = Screen::Map;
                    self.focus = Focus::List;
                    self.load_all_rows();
                }
                Screen::Map => self.screen = Screen::Results,
                _ => {}
            },
            Action::Quit => {
                if !self.is_kiosk() {
                    self.quit = true;
                }
            }
            Action::Click(col, row) => self.click(col, row),
        }
    }

    /// Runs the pending search, if any: one search per burst of keys.
    pub fn settle(&mut self) {
        if !self.visit.search_pending {
            return;
        }
        self.visit.search_pending = false;
        if self.visit.query.trim().is_empty() && self.visit.filters.is_empty() {
            // Erased back to nothing: what was typed on the way is not a search.
            self.unsettled_search = None;
            self.visit.results = None;
            self.visit.rows.clear();
            self.visit.error = None;
            (self.visit.selected, self.visit.scroll) = (0, 0);
            return;
        }
        let keep_id = if self.focus == Focus::List { self.selected_initiative().map(|i| i.id.clone()) } else { None };
        self.run_search(keep_id);
    }

    /// Sorting by distance examines many matches ([`WIDE_LIMIT`]), not one page.
    fn wide(&self) -> bool {
        self.visit.sort == Sort::Distance && self.origin().is_some()
    }

    fn run_search(&mut self, keep_id: Option<String>) {
        let wide = self.wide();
        let origin = self.origin();
        let Some(index) = self.index.as_mut() else { return };
        let f = &self.visit.filters;
        let request = SearchRequest {
            text: self.visit.query.clone(),
            theme: f.theme.clone(),
            commune: f.commune.clone(),
            online: match f.place {
                Place::All => None,
                Place::OnSite => Some(false),
                Place::Online => Some(true),
            },
            free_only: f.free,
            limit: if wide { WIDE_LIMIT } else { RESULT_LIMIT },
        };
        // The "ouvert" filter works inside the search, over every match; the hours of each
        // distinct key are evaluated once per minute (the cache is wiped with the visit).
        let (now, cache) = (self.now, &mut self.visit.open_cache);
        let searched = match f.open {
            OpenFilter::Any => index.search(&request),
            OpenFilter::Now => index.search_open(&request, &mut |key| cache.open_now(key, now)),
            OpenFilter::Today => index.search_open(&request, &mut |key| cache.open_today(key, now)),
        };
        // The distance sort: the best WIDE_LIMIT matches (open ones, with "ouvert") by distance.
        let searched = searched.and_then(|mut r| match origin.filter(|_| wide) {
            Some(origin) => r.sort_by_distance(origin, RESULT_LIMIT).map(|()| r),
            None => Ok(r),
        });
        match searched {
            Ok(results) => {
                if !self.visit.query.trim().is_empty() {
                    self.unsettled_search = Some(results.hits.is_empty());
                }
                self.visit.marks = vec![None; results.hits.len()];
                self.visit.rows = vec![None; results.hits.len()];
                self.visit.results = Some(results);
                self.visit.error = None;
                self.visit.selected = 0;
                self.visit.scroll = 0;
                self.load_visible();
                if let Some(id) = keep_id
                    && let Some(pos) = self.find_loaded_or_load(&id)
                {
                    self.move_to(pos);
                }
            }
            Err(e) => {
                self.visit.results = None;
                self.visit.rows.clear();
                self.visit.marks.clear();
                self.visit.error = Some(e.to_string());
            }
        }
    }

    /// Insert: the initiative in front of the staff member (open, or selected) goes on the
    /// shortlist, or comes off it if it is there already.
    fn toggle_shortlist(&mut self) {
        if self.is_kiosk() {
            return;
        }
        let item = match self.screen {
            Screen::Detail => self.visit.detail.clone(),
            Screen::Results | Screen::Map => self.selected_initiative().cloned(),
            _ => None,
        };
        let Some(item) = item else { return };
        match self.visit.shortlist.iter().position(|i| i.id == item.id) {
            Some(pos) => {
                self.visit.shortlist.remove(pos);
            }
            None => self.visit.shortlist.push(item),
        }
        self.visit.shortlist_selected = self.visit.shortlist_selected.min(self.visit.shortlist.len().saturating_sub(1));
    }

    /// Whether this initiative is on the shortlist (for the row marker).
    pub fn in_shortlist(&self, id: &str) -> bool {
        self.visit.shortlist.iter().any(|i| i.id == id)
    }

    /// F8: relevance ⇄ distance. Without a place to measure from, staff are asked for one.
    fn toggle_sort(&mut self) {
        if self.visit.sort == Sort::Distance {
            self.visit.sort = Sort::Relevance;
        } else if self.origin().is_some() {
            self.visit.sort = Sort::Distance;
        } else if !self.is_kiosk() {
            self.visit.prompt = Some(Prompt { kind: PromptKind::Near, text: String::new(), error: None });
            return;
        } else {
            return;
        }
        if self.screen == Screen::Home {
            self.screen = Screen::Results;
        }
        self.visit.search_pending = true;
    }

    /// Keys while a prompt is open. Returns whether the prompt took the action.
    fn prompt_input(&mut self, action: &Action) -> bool {
        let Some(prompt) = self.visit.prompt.as_mut() else { return false };
        match action {
            Action::Type(c) if !c.is_control() && prompt.text.chars().count() < 60 => prompt.text.push(*c),
            Action::Paste(t) => prompt.text.extend(t.chars().filter(|c| !c.is_control()).take(60)),
            Action::Backspace => {
                prompt.text.pop();
            }
            Action::ClearQuery => prompt.text.clear(),
            Action::Back => self.visit.prompt = None,
            Action::Open => {
                let text = prompt.text.trim().to_string();
                match prompt.kind {
                    PromptKind::ExportText | PromptKind::ExportHtml => {
                        if !text.is_empty() {
                            let html = prompt.kind == PromptKind::ExportHtml;
                            let path = std::path::PathBuf::from(text);
                            self.effects.push(Effect::Export { html, path, items: self.visit.shortlist.clone() });
                            self.visit.prompt = None;
                        }
                    }
                    PromptKind::Near => {
                        if text.is_empty() {
                            self.visit.near = None;
                            self.visit.prompt = None;
                        } else if let Some(c) = self.reference.find_commune(&text).cloned() {
                            self.visit.near = Some(c);
                            self.visit.sort = Sort::Distance;
                            self.visit.prompt = None;
                            if self.screen == Screen::Home {
                                self.screen = Screen::Results;
                            }
                        } else {
                            prompt.error = Some(self.strings.get("prompt.near_unknown").to_string());
                            return true;
                        }
                        for m in self.visit.marks.iter_mut() {
                            *m = None;
                        }
                        self.visit.search_pending = true;
                    }
                }
            }
            // Time, resizes and quitting still happen; everything else waits for the prompt.
            Action::Tick
            | Action::Resize(..)
            | Action::Quit
            | Action::Help
            | Action::ToggleLanguage
            | Action::EffectDone(_) => return false,
            _ => {}
        }
        true
    }

    fn find_loaded_or_load(&mut self, id: &str) -> Option<usize> {
        let results = self.visit.results.as_ref()?;
        (0..results.hits.len()).find(|&i| {
            if self.visit.rows[i].is_none() {
                self.visit.rows[i] = results.load(i).ok();
            }
            self.visit.rows[i].as_ref().is_some_and(|r| r.id == id)
        })
    }

    /// Loads the rows the list shows (and the preview's), nothing more.
    fn load_visible(&mut self) {
        let Some(results) = self.visit.results.as_ref() else { return };
        let end = (self.visit.scroll + self.page_rows() + 1).min(results.hits.len());
        self.load_rows(self.visit.scroll..end);
    }

    /// Loads and marks the rows of `range` that are not yet (the one place that fills
    /// `rows` and `marks` lazily).
    fn load_rows(&mut self, range: std::ops::Range<usize>) {
        let Some(results) = self.visit.results.as_ref() else { return };
        let origin = self.origin();
        for i in range {
            if self.visit.rows[i].is_none() {
                self.visit.rows[i] = results.load(i).ok();
            }
            if self.visit.marks[i].is_none()
                && let Some(item) = &self.visit.rows[i]
            {
                self.visit.marks[i] = Some(mark::mark(item, self.now, origin, &self.reference));
            }
        }
    }

    /// Every row of the results (at most [`RESULT_LIMIT`]), for the map.
    fn load_all_rows(&mut self) {
        self.load_rows(0..self.result_count());
    }

    pub fn selected_initiative(&self) -> Option<&Initiative> {
        self.visit.rows.get(self.visit.selected).and_then(Option::as_ref)
    }

    pub fn result_count(&self) -> usize {
        self.visit.results.as_ref().map_or(0, |r| r.hits.len())
    }

    pub fn match_mode(&self) -> Option<MatchMode> {
        self.visit.results.as_ref().map(|r| r.mode)
    }

    fn type_char(&mut self, c: char) {
        if crate::text::is_unsafe_char(c) || self.visit.query.chars().count() >= 80 {
            return;
        }
        if matches!(self.screen, Screen::Detail | Screen::Help | Screen::About | Screen::Map | Screen::Shortlist) {
            // Typing anywhere starts (or continues) a search.
            self.screen = Screen::Results;
        }
        if c == ' ' && self.visit.query.is_empty() {
            return;
        }
        self.visit.query.push(c);
        self.screen = Screen::Results;
        self.focus = Focus::Query;
        self.visit.search_pending = true;
    }

    fn digit(&mut self, d: u8) {
        // An empty result list suggests the themes by their numbers: let those numbers work.
        let theme_keys = self.screen == Screen::Home || (self.screen == Screen::Results && self.result_count() == 0);
        match self.screen {
            _ if theme_keys => {
                let key = char::from(b'0' + d).to_string();
                if let Some(theme) = self.reference.themes.iter().find(|t| t.key == key) {
                    self.usage_events.push(usage::Event::ThemeOpened(theme.slug.clone()));
                    self.visit.filters = Filters { theme: Some(theme.slug.clone()), ..Default::default() };
                    self.visit.query.clear();
                    self.screen = Screen::Results;
                    self.focus = Focus::List;
                    self.visit.search_pending = true;
                }
            }
            // Rows are numbered 1–9 from the top of the visible page.
            Screen::Results if d >= 1 => {
                let pos = self.visit.scroll + d as usize - 1;
                if pos < self.result_count() && (d as usize) <= self.page_rows() {
                    self.visit.selected = pos;
                    self.open_selected();
                }
            }
            _ => {}
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self.screen {
            Screen::Results | Screen::Map => {
                let target = (self.visit.selected as isize + delta).max(0) as usize;
                self.move_to(target);
            }
            Screen::Detail => {
                self.visit.detail_scroll = (self.visit.detail_scroll as isize + delta).clamp(0, 500) as u16;
            }
            Screen::Shortlist => {
                let n = self.visit.shortlist.len();
                let target = (self.visit.shortlist_selected as isize + delta).max(0) as usize;
                self.visit.shortlist_selected = target.min(n.saturating_sub(1));
            }
            _ => {}
        }
    }

    fn move_to(&mut self, pos: usize) {
        if self.screen == Screen::Detail {
            self.visit.detail_scroll = if pos == 0 { 0 } else { 500 };
            return;
        }
        if self.screen == Screen::Shortlist {
            self.visit.shortlist_selected = pos.min(self.visit.shortlist.len().saturating_sub(1));
            return;
        }
        let n = self.result_count();
        if n == 0 {
            return;
        }
        self.focus = Focus::List;
        self.visit.selected = pos.min(n - 1);
        let page = self.page_rows();
        if self.visit.selected < self.visit.scroll {
            self.visit.scroll = self.visit.selected;
        } else if self.visit.selected >= self.visit.scroll + page {
            self.visit.scroll = self.visit.selected + 1 - page;
        }
        self.load_visible();
    }

    fn scroll_wheel(&mut self, delta: isize) {
        self.move_by(delta);
    }

    fn clamp_selection(&mut self) {
        let n = self.result_count();
        if n == 0 {
            self.visit.selected = 0;
            self.visit.scroll = 0;
            return;
        }
        self.visit.selected = self.visit.selected.min(n - 1);
        let page = self.page_rows();
        if self.visit.selected >= self.visit.scroll + page {
            self.visit.scroll = self.visit.selected + 1 - page;
        }
        self.visit.scroll = self.visit.scroll.min(self.visit.selected);
    }

    fn open_selected(&mut self) {
        if self.screen == Screen::Home && !self.visit.query.is_empty() {
            self.screen = Screen::Results;
            return;
        }
        if !matches!(self.screen, Screen::Results | Screen::Map) {
            return;
        }
        if let Some(item) = self.selected_initiative().cloned() {
            self.count_search();
            self.usage_events.push(usage::Event::DetailViewed(item.id.clone()));
            self.visit.detail = Some(item);
            self.visit.detail_scroll = 0;
            self.visit.message = None;
            self.screen = Screen::Detail;
        }
    }

    /// Counts the search on screen once: when the visitor acts on it or stops typing.
    fn count_search(&mut self) {
        if let Some(no_result) = self.unsettled_search.take() {
            self.usage_events.push(usage::Event::Search);
            if no_result {
                self.usage_events.push(usage::Event::SearchNoResult);
            }
        }
    }

    /// Esc: one step back, never destroying anything typed.
    fn back(&mut self) {
        match self.screen {
            Screen::Help | Screen::About | Screen::Shortlist => self.screen = self.return_to,
            Screen::Map => self.screen = Screen::Results,
            Screen::Detail => {
                self.screen = Screen::Results;
                self.visit.detail = None;
            }
            Screen::Results => {
                if self.focus == Focus::List && !self.visit.query.is_empty() {
                    self.focus = Focus::Query;
                } else {
                    self.go_home();
                }
            }
            Screen::Home => {}
        }
    }

    fn go_home(&mut self) {
        self.screen = Screen::Home;
        self.focus = Focus::Query;
        self.visit.filters = Filters::default();
        self.visit.search_pending = true;
    }

    fn overlay(&mut self, screen: Screen) {
        if self.screen == screen {
            self.screen = self.return_to;
        } else {
            if !matches!(self.screen, Screen::Help | Screen::About | Screen::Shortlist) {
                self.return_to = self.screen;
            }
            self.screen = screen;
        }
    }

    fn filters_changed(&mut self) {
        if self.screen == Screen::Home {
            self.screen = Screen::Results;
        }
        if self.visit.filters.is_empty() && self.visit.query.is_empty() {
            self.go_home();
        }
        self.visit.search_pending = true;
    }

    fn cycle_theme(&mut self) {
        let slugs: Vec<String> = self.reference.themes.iter().map(|t| t.slug.clone()).collect();
        self.visit.filters.theme = next_in(&slugs, self.visit.filters.theme.as_ref());
        self.filters_changed();
    }

    /// F4 cycles through the communes that appear in the current results, most frequent
    /// first, then back to all (the kiosk's own commune first, when it is configured).
    fn cycle_commune(&mut self) {
        let mut options: Vec<String> = Vec::new();
        if let Some(c) = &self.kiosk_commune {
            options.push(c.insee.clone());
        }
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        if let Some(results) = &self.visit.results {
            for i in 0..results.hits.len().min(RESULT_LIMIT) {
                let commune = match &self.visit.rows[i] {
                    Some(r) => r.commune.clone(),
                    None => results.load(i).map(|r| r.commune).unwrap_or_default(),
                };
                if !commune.is_empty() {
                    *counts.entry(commune).or_default() += 1;
                }
            }
        }
        let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (c, _) in by_count {
            if !options.contains(&c) {
                options.push(c);
            }
        }
        if options.is_empty() {
            options = self.reference.communes.iter().map(|c| c.insee.clone()).collect();
        }
        self.visit.filters.commune = next_in(&options, self.visit.filters.commune.as_ref());
        self.filters_changed();
    }

    fn click(&mut self, _col: u16, row: u16) {
        match self.screen {
            Screen::Results => {
                // The list starts below the title, search, filter and count lines.
                let top = super::view::results::LIST_TOP;
                if row >= top {
                    let pos = self.visit.scroll + ((row - top) / 2) as usize;
                    if pos < self.result_count() {
                        if pos == self.visit.selected {
                            self.open_selected();
                        } else {
                            self.move_to(pos);
                        }
                    }
                }
            }
            Screen::Home => {
                if let Some(slug) = super::view::home::tile_at(self, row)
                    && let Some(t) = self.reference.theme(&slug)
                {
                    let d = t.key.bytes().next().unwrap_or(b'0') - b'0';
                    self.digit(d);
                }
            }
            _ => {}
        }
    }

    fn tick(&mut self, now: Instant) {
        if now.duration_since(self.last_input) >= SEARCH_SETTLED {
            self.count_search();
        }
        if self.is_kiosk() && self.has_visit() && now.duration_since(self.last_input) >= self.idle_timeout {
            self.count_search();
            self.reset_visit();
            self.usage_events.push(usage::Event::IdleReset);
            self.dirty = true;
        }
        if now.duration_since(self.last_refresh) >= REFRESH_EVERY {
            self.last_refresh = now;
            self.refresh_index();
        }
    }

    /// Moves to a new index generation if an administrator rebuilt; keeps the visitor's place.
    fn refresh_index(&mut self) {
        let Some(index) = self.index.as_mut() else { return };
        match index.refresh() {
            Ok(true) => {
                self.dirty = true;
                self.load_catalogue_view();
                if self.visit.results.is_some() {
                    let keep = self.selected_initiative().map(|i| i.id.clone());
                    let (selected, scroll) = (self.visit.selected, self.visit.scroll);
                    self.run_search(keep.clone());
                    if keep.is_none() {
                        self.visit.selected = selected;
                        self.visit.scroll = scroll;
                        self.clamp_selection();
                        self.load_visible();
                    }
                }
            }
            Ok(false) => {}
            // A broken new generation: keep answering from the one we have.
            Err(_) => {}
        }
    }

    /// The idle reset: everything the visitor typed or opened goes; language back to default.
    pub fn reset_visit(&mut self) {
        self.visit = Visit::default();
        self.screen = Screen::Home;
        self.return_to = Screen::Home;
        self.focus = Focus::Query;
        if self.strings.lang != self.default_lang {
            self.strings = Strings::load(&self.default_lang);
        }
        self.wiped = true;
    }
}

fn next_in(options: &[String], current: Option<&String>) -> Option<String> {
    match current {
        None => options.first().cloned(),
        Some(c) => {
            let pos = options.iter().position(|o| o == c);
            pos.and_then(|p| options.get(p + 1)).cloned()
        }
    }
}
