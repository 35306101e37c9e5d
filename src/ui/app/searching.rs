//! Searching, as the state machine sees it: a burst of typing marks a search as due; when
//! the burst ends ([`Action::Settle`](crate::ui::action::Action::Settle)) one
//! [`Command::Search`] goes out with everything it depends on; its answer comes back as
//! `Action::Searched` and lands here, with the selection kept where the visitor left it.
//!
//! Rows are read lazily from the answer: a `SearchResults` is an immutable snapshot of one
//! index generation (a tantivy searcher over memory-mapped, never-rewritten files), so
//! reading row `i` of it is reading a value the search command delivered, not a new trip to
//! the outside world. Only what the screen shows is read.

use super::{App, Focus, NEED_LIMIT, Place, RESULT_LIMIT, Sort, WIDE_LIMIT};
use crate::mark;
use crate::search::need_order::NeedContext;
use crate::search::{SearchRequest, SearchResults};
use crate::ui::command::{Command, Keep, SearchJob};

impl App {
    /// Sends the due search, if any: one search per burst of keys.
    pub(super) fn settle(&mut self) {
        if !self.visit.search_pending {
            return;
        }
        self.visit.search_pending = false;
        if self.visit.query.trim().is_empty() && self.visit.filters.is_empty() {
            // Erased back to nothing: what was typed on the way is not a search.
            self.unsettled_search = None;
            self.visit.results = None;
            self.visit.rows.clear();
            self.visit.marks.clear();
            self.visit.error = None;
            (self.visit.selected, self.visit.scroll) = (0, 0);
            self.out.push(Command::Redraw);
            return;
        }
        let keep = match self.focus {
            Focus::List => self.selected_initiative().map_or(Keep::Top, |i| Keep::Selection(i.id.clone())),
            Focus::Query => Keep::Top,
        };
        self.search(keep);
    }

    /// Asks the runtime for the current query under the current filters.
    pub(super) fn search(&mut self, keep: Keep) {
        // Sorting by distance examines many matches (WIDE_LIMIT), not one page.
        let by_distance = self.origin().filter(|_| self.visit.sort == Sort::Distance);
        // Browsing without words: what a person in need can use soonest first, so the
        // matches are examined (up to NEED_LIMIT), not only the first page by name.
        let browse = self.visit.query.trim().is_empty() && by_distance.is_none();
        let need = browse.then(|| NeedContext {
            today: self.now.date(),
            commune: self.visit.near.as_ref().or(self.kiosk_commune.as_ref()).map(|c| c.insee.clone()),
            point: self.origin(),
        });
        let mut request = self.request();
        if by_distance.is_some() {
            request.limit = WIDE_LIMIT;
        } else if browse {
            request.limit = NEED_LIMIT;
        }
        let open = self.visit.filters.open;
        self.out.push(Command::Search(SearchJob { request, open, at: self.now, by_distance, need, keep }));
    }

    /// The current query under the current filters, one page long.
    pub(super) fn request(&self) -> SearchRequest {
        self.request_with(&self.visit.filters)
    }

    /// The current query under `f`, one page long.
    pub(super) fn request_with(&self, f: &super::Filters) -> SearchRequest {
        SearchRequest {
            text: self.visit.query.clone(),
            theme: f.theme.clone(),
            commune: f.commune.clone(),
            online: match f.place {
                Place::All => None,
                Place::OnSite => Some(false),
                Place::Online => Some(true),
            },
            free_only: f.free,
            limit: RESULT_LIMIT,
        }
    }

    /// The answer to a search arrived.
    pub(super) fn searched(&mut self, answer: Result<SearchResults, String>, keep: Keep) {
        match answer {
            Ok(results) => {
                if !self.visit.query.trim().is_empty() {
                    self.unsettled_search = Some((results.hits.is_empty(), self.visit.query.clone()));
                }
                self.visit.marks = vec![None; results.hits.len()];
                self.visit.rows = vec![None; results.hits.len()];
                self.visit.results = Some(results);
                self.visit.error = None;
                self.visit.theme_choice = None;
                self.visit.selected = 0;
                self.visit.scroll = 0;
                self.load_visible();
                match keep {
                    Keep::Top => {}
                    Keep::Selection(id) => {
                        if let Some(pos) = self.find_loaded_or_load(&id) {
                            self.move_to(pos);
                        }
                    }
                    Keep::Place { id, selected, scroll } => match id.and_then(|id| self.find_loaded_or_load(&id)) {
                        Some(pos) => self.move_to(pos),
                        None => {
                            self.visit.selected = selected;
                            self.visit.scroll = scroll;
                            self.clamp_selection();
                            self.load_visible();
                        }
                    },
                }
            }
            Err(e) => {
                self.visit.results = None;
                self.visit.rows.clear();
                self.visit.marks.clear();
                self.visit.error = Some(e);
            }
        }
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
    pub(super) fn load_visible(&mut self) {
        let Some(results) = self.visit.results.as_ref() else { return };
        let end = (self.visit.scroll + self.page_rows() + 1).min(results.hits.len());
        self.load_rows(self.visit.scroll..end);
    }

    /// Every row of the results (at most [`RESULT_LIMIT`]), for the map.
    pub(super) fn load_all_rows(&mut self) {
        self.load_rows(0..self.result_count());
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
                self.visit.marks[i] = Some(mark::mark(item, self.now, origin, &self.catalogue.reference));
            }
        }
    }

    /// Marks are for one origin and one minute: forget them when either changes.
    pub(super) fn forget_marks(&mut self) {
        for m in self.visit.marks.iter_mut() {
            *m = None;
        }
    }
}
