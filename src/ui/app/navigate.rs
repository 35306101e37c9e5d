//! Moving around: typing, the screens and their way back, the selection, the filters and the
//! mouse. Part of `App::update`; nothing here reaches outside the state.

use super::{App, DigitRun, Filters, Focus, OpenFilter, PickerFor, Place, Screen, Sort};
use crate::search::SearchRequest;
use crate::ui::command::{Command, Keep, SearchJob};
use crate::ui::layout;
use crate::usage;

impl App {
    pub(super) fn type_char(&mut self, c: char) {
        if crate::text::is_unsafe_char(c) || self.visit.query.chars().count() >= 80 {
            return;
        }
        if matches!(self.screen, Screen::Detail | Screen::Help | Screen::About | Screen::Map | Screen::Shortlist) {
            // Typing anywhere starts (or continues) a search.
            self.screen = Screen::Results;
        }
        if self.screen == Screen::Home {
            // A new need, or the next visitor: the first letter on Home starts a new search
            // (the previous one stays offered on Home until then; Enter takes it back).
            self.visit.query.clear();
        }
        if c == ' ' && self.visit.query.is_empty() {
            return;
        }
        self.visit.query.push(c);
        self.screen = Screen::Results;
        self.focus = Focus::Query;
        self.visit.search_pending = true;
    }

    pub(super) fn backspace(&mut self) {
        match self.screen {
            Screen::Detail | Screen::Help | Screen::About | Screen::Map | Screen::Shortlist => self.back(),
            _ => {
                if self.visit.query.pop().is_some() {
                    self.focus = Focus::Query;
                    self.visit.search_pending = true;
                } else if self.screen == Screen::Results && self.visit.filters.is_empty() {
                    self.go_home();
                }
            }
        }
    }

    pub(super) fn clear_query(&mut self) {
        self.visit.query.clear();
        self.visit.search_pending = true;
        if self.visit.filters.is_empty() {
            self.go_home();
        }
    }

    /// A digit key: on Home a theme, and two digits in a row a number ([`DigitRun`]).
    pub(super) fn digit_key(&mut self, d: u8) {
        let c = char::from(b'0' + d);
        match self.visit.digit_run.take() {
            Some(DigitRun::Theme { key, .. }) if self.screen == Screen::Results => {
                // The second digit: not a theme after all but a number (a postcode, 115),
                // searched over every theme. The theme opened a key ago is not counted.
                self.visit.filters = Filters::default();
                self.visit.query = format!("{key}{c}");
                self.number_typed();
            }
            Some(DigitRun::Number) if self.screen == Screen::Results => {
                if self.visit.query.chars().count() < 80 {
                    self.visit.query.push(c);
                }
                self.number_typed();
            }
            _ => {
                if self.screen == Screen::Home {
                    if let Some(slug) = self.open_theme_key(d) {
                        self.visit.digit_run = Some(DigitRun::Theme { key: c, slug });
                    }
                } else {
                    self.digit(d);
                }
            }
        }
    }

    fn number_typed(&mut self) {
        self.visit.digit_run = Some(DigitRun::Number);
        self.screen = Screen::Results;
        self.focus = Focus::Query;
        self.visit.search_pending = true;
    }

    /// The digit run ends (any other key, or the visitor stops): a theme opened by one digit
    /// is counted now.
    pub(super) fn end_digit_run(&mut self) {
        if let Some(DigitRun::Theme { slug, .. }) = self.visit.digit_run.take() {
            self.count(usage::Event::ThemeOpened(slug));
        }
    }

    /// Opens the theme whose key is `d` (not counted); its slug, if there is one.
    fn open_theme_key(&mut self, d: u8) -> Option<String> {
        let key = char::from(b'0' + d).to_string();
        let slug = self.reference().themes.iter().find(|t| t.key == key).map(|t| t.slug.clone())?;
        self.visit.filters = Filters { theme: Some(slug.clone()), ..Default::default() };
        self.visit.query.clear();
        self.screen = Screen::Results;
        self.focus = Focus::List;
        self.visit.search_pending = true;
        Some(slug)
    }

    /// A digit that opens a theme (a tile clicked or chosen with the arrows, the numbers of
    /// an empty list) or a visible row.
    pub(super) fn digit(&mut self, d: u8) {
        // An empty result list suggests the themes by their numbers: let those numbers work.
        let theme_keys = self.screen == Screen::Home || (self.screen == Screen::Results && self.result_count() == 0);
        match self.screen {
            _ if theme_keys => {
                if let Some(slug) = self.open_theme_key(d) {
                    self.count(usage::Event::ThemeOpened(slug));
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

    pub(super) fn move_by(&mut self, delta: isize) {
        if self.offers_themes() {
            self.move_theme_choice(delta.signum());
            return;
        }
        match self.screen {
            Screen::Results | Screen::Map => {
                let target = (self.visit.selected as isize + delta).max(0) as usize;
                self.move_to(target);
            }
            Screen::Detail => {
                self.visit.detail_scroll = (self.visit.detail_scroll as isize + delta).clamp(0, 500) as u16;
            }
            Screen::Help => self.help_scroll = (self.help_scroll as isize + delta).clamp(0, 200) as u16,
            Screen::Shortlist => {
                let n = self.visit.shortlist.len();
                let target = (self.visit.shortlist_selected as isize + delta).max(0) as usize;
                self.visit.shortlist_selected = target.min(n.saturating_sub(1));
            }
            _ => {}
        }
    }

    pub(super) fn move_to(&mut self, pos: usize) {
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

    pub(super) fn clamp_selection(&mut self) {
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

    /// Home: the arrows choose a tile (the first arrow selects the first tile).
    pub(super) fn move_tile(&mut self, dx: isize, dy: isize) {
        if self.screen != Screen::Home {
            return;
        }
        let count = self.reference().themes.len();
        if count == 0 {
            return;
        }
        self.visit.home_tile = Some(match self.visit.home_tile {
            None => 0,
            Some(i) => layout::home_move(count, self.size.0, i.min(count - 1), dx, dy),
        });
    }

    pub(super) fn open_selected(&mut self) {
        if self.screen == Screen::Home
            && let Some(i) = self.visit.home_tile
        {
            // A tile chosen with the arrows: Enter opens its theme, as its number would.
            if let Some(d) = self.reference().themes.get(i).and_then(|t| t.key.bytes().next()) {
                self.digit(d.wrapping_sub(b'0'));
            }
            return;
        }
        if self.screen == Screen::Home && !self.visit.query.is_empty() {
            self.screen = Screen::Results;
            return;
        }
        if !matches!(self.screen, Screen::Results | Screen::Map) {
            return;
        }
        if self.offers_themes() && self.open_theme_choice() {
            return;
        }
        if let Some(item) = self.selected_initiative().cloned() {
            self.count_search();
            self.count(usage::Event::DetailViewed(item.id.clone()));
            self.visit.unopened_words.clear();
            self.visit.detail = Some(item);
            self.visit.detail_scroll = 0;
            self.visit.message = None;
            self.screen = Screen::Detail;
        }
    }

    /// Counts the search on screen once: when the visitor acts on it or stops typing.
    pub(super) fn count_search(&mut self) {
        if let Some((no_result, text)) = self.unsettled_search.take() {
            self.count(usage::Event::Search);
            let words = usage::missed_words(&text);
            if no_result {
                self.count(usage::Event::SearchNoResult);
                for w in words {
                    if !self.visit.missed_words.contains(&w) {
                        self.visit.missed_words.push(w);
                    }
                }
            } else {
                self.visit.unopened_words = words;
            }
        }
    }

    /// Esc: one step back, never destroying anything typed.
    pub(super) fn back(&mut self) {
        match self.screen {
            Screen::Help | Screen::About | Screen::Shortlist | Screen::Review | Screen::Edit => {
                self.screen = self.return_to
            }
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

    pub(super) fn go_home(&mut self) {
        self.visit.home_tile = None;
        self.screen = Screen::Home;
        self.focus = Focus::Query;
        self.visit.filters = Filters::default();
        self.visit.search_pending = true;
    }

    pub(super) fn overlay(&mut self, screen: Screen) {
        self.help_scroll = 0;
        if self.screen == screen {
            self.screen = self.return_to;
        } else {
            if !matches!(self.screen, Screen::Help | Screen::About | Screen::Shortlist) {
                self.return_to = self.screen;
            }
            self.screen = screen;
        }
    }

    pub(super) fn filters_changed(&mut self) {
        if self.screen == Screen::Home {
            self.screen = Screen::Results;
        }
        if self.visit.filters.is_empty() && self.visit.query.is_empty() {
            self.go_home();
        }
        self.visit.search_pending = true;
    }

    /// F3: the next theme that has results for what is typed (none with 0: "Thème : Se
    /// nourrir" above an empty list was a dead end), then all themes again.
    pub(super) fn cycle_theme(&mut self) {
        let counts: &[(String, u64)] = match &self.visit.results {
            Some(r) if !self.visit.query.trim().is_empty() => &r.theme_counts,
            _ => self.home_counts(),
        };
        let slugs: Vec<String> = self
            .reference()
            .themes
            .iter()
            .filter(|t| counts.iter().any(|(slug, n)| *slug == t.slug && *n > 0))
            .map(|t| t.slug.clone())
            .collect();
        self.visit.filters.theme = next_in(&slugs, self.visit.filters.theme.as_ref());
        self.filters_changed();
    }

    /// F5: all → on site → online → all, skipping a setting that would empty the list.
    pub(super) fn cycle_place(&mut self) {
        let order = match self.visit.filters.place {
            Place::All => [Place::OnSite, Place::Online, Place::All],
            Place::OnSite => [Place::Online, Place::All, Place::All],
            Place::Online => [Place::All, Place::All, Place::All],
        };
        let candidates: Vec<Filters> =
            order.iter().map(|&place| Filters { place, ..self.visit.filters.clone() }).collect();
        self.try_filters(candidates);
    }

    /// F6: free only, unless nothing free matches (then it says so); off at once.
    pub(super) fn toggle_free(&mut self) {
        let filters = Filters { free: !self.visit.filters.free, ..self.visit.filters.clone() };
        self.try_filters(vec![filters]);
    }

    /// Applies the first of `candidates` that keeps some results. Settings that only widen
    /// the list (a filter taken off) need no trying.
    fn try_filters(&mut self, mut candidates: Vec<Filters>) {
        candidates.dedup();
        let widens = |f: &Filters, now: &Filters| {
            (f.place == Place::All || f.place == now.place)
                && (!f.free || now.free)
                && (&f.theme, &f.commune, f.open) == (&now.theme, &now.commune, now.open)
        };
        if let Some(first) = candidates.first()
            && widens(first, &self.visit.filters)
        {
            self.visit.filters = first.clone();
            self.filters_changed();
            return;
        }
        let jobs = candidates
            .into_iter()
            .map(|f| {
                let request = SearchRequest { limit: 1, ..self.request_with(&f) };
                let job =
                    SearchJob { request, open: f.open, at: self.now, by_distance: None, need: None, keep: Keep::Top };
                (f, job)
            })
            .collect();
        self.out.push(Command::TryFilters(jobs));
    }

    /// The answer to [`Self::try_filters`]: the first setting with results, else a word on why
    /// nothing changed.
    pub(super) fn filters_tried(&mut self, tried: Vec<(Filters, u64)>) {
        match tried.into_iter().find(|(_, n)| *n > 0) {
            Some((filters, _)) if filters != self.visit.filters => {
                self.visit.filters = filters;
                self.filters_changed();
            }
            _ => self.visit.message = Some((self.strings.get("filter.would_empty").to_string(), true)),
        }
    }

    pub(super) fn cycle_open(&mut self) {
        self.visit.filters.open = match self.visit.filters.open {
            OpenFilter::Any => OpenFilter::Now,
            OpenFilter::Now => OpenFilter::Today,
            OpenFilter::Today => OpenFilter::Any,
        };
        self.filters_changed();
    }

    /// F8: relevance ⇄ distance. Without a place to measure from, staff are asked for one.
    pub(super) fn toggle_sort(&mut self) {
        if self.visit.sort == Sort::Distance {
            self.visit.sort = Sort::Relevance;
        } else if self.origin().is_some() {
            self.visit.sort = Sort::Distance;
        } else if !self.is_kiosk() {
            self.open_picker(PickerFor::Near);
            return;
        } else {
            // A kiosk without a configured place has nothing to measure from: say so rather
            // than do nothing.
            self.visit.message = Some((self.strings.get("sort.no_place").to_string(), true));
            return;
        }
        if self.screen == Screen::Home {
            self.screen = Screen::Results;
        }
        self.visit.search_pending = true;
    }

    pub(super) fn toggle_map(&mut self) {
        match self.screen {
            Screen::Results if self.result_count() > 0 => {
                self.screen = Screen::Map;
                self.focus = Focus::List;
                self.load_all_rows();
            }
            Screen::Map => self.screen = Screen::Results,
            _ => {}
        }
    }

    pub(super) fn click(&mut self, col: u16, row: u16) {
        match self.screen {
            Screen::Results => {
                if let Some(offset) = layout::result_row_at(row) {
                    let pos = self.visit.scroll + offset;
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
                let keys: Vec<String> = self.reference().themes.iter().map(|t| t.key.clone()).collect();
                if let Some(key) = layout::home_tile_at(&keys, self.size, col, row) {
                    let d = key.bytes().next().unwrap_or(b'0').wrapping_sub(b'0');
                    self.digit(d);
                }
            }
            _ => {}
        }
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
