//! Never a dead end (issue #12, item 6): what the kiosk offers beyond the rows of an answer —
//! the themes to choose from when nothing matched (with the arrows, Enter or their numbers),
//! the orientation card for needs the catalogue does not cover, and where the "close
//! matches" start. Read-only accessors for the views, and the two moves on the theme choice;
//! part of `App::update`.
//!
//! What the words mean (which card, which themes, where exact rows end) is the search
//! engine's answer (`SearchResults::orientation`, `suggested_themes`, `near_start`); this
//! only shapes it for the screen.

use super::{App, Focus, Screen};
use crate::orientation::{Card, Orientation};
use crate::usage;

impl App {
    /// Orientation cards for the words of the current answer (slugs of
    /// `assets/orientation.toml`), known cards only.
    pub fn orientation_cards(&self) -> Vec<(&'static str, &'static Card)> {
        let Some(results) = &self.visit.results else { return Vec::new() };
        let orientation = Orientation::embedded();
        let mut cards: Vec<(&'static str, &'static Card)> = Vec::new();
        for slug in &results.orientation {
            if let Some((key, card)) = orientation.cards.get_key_value(slug)
                && !cards.iter().any(|(k, _)| k == key)
            {
                cards.push((key.as_str(), card));
            }
        }
        cards
    }

    /// The office's sentence on the orientation card, in the interface language: the
    /// configured one, else the translated default ("Demandez à l'accueil.").
    pub fn orientation_text(&self) -> &str {
        let configured = match self.strings.lang.as_str() {
            "fr" => self.setup.orientation.as_deref(),
            _ => self.setup.orientation_en.as_deref().or(self.setup.orientation.as_deref()),
        };
        configured.unwrap_or_else(|| self.strings.get("orientation.default"))
    }

    /// The themes the words suggest (slugs), for an answer without rows.
    pub fn suggested_themes(&self) -> Vec<String> {
        let Some(results) = &self.visit.results else { return Vec::new() };
        let mut out: Vec<String> = Vec::new();
        for slug in &results.suggested_themes {
            if self.reference().theme(slug).is_some() && !out.contains(slug) {
                out.push(slug.clone());
            }
        }
        out
    }

    /// The themes an answer without rows offers, in the order the arrows go through them:
    /// those the words suggest, then every other.
    pub fn offered_themes(&self) -> Vec<String> {
        let mut out = self.suggested_themes();
        for t in &self.reference().themes {
            if !out.contains(&t.slug) {
                out.push(t.slug.clone());
            }
        }
        out
    }

    /// Whether the screen is an answer without rows, offering themes instead.
    pub fn offers_themes(&self) -> bool {
        self.screen == Screen::Results
            && self.visit.results.is_some()
            && self.result_count() == 0
            && self.visit.error.is_none()
            && self.index_error.is_none()
    }

    /// The first row that is only a close match ("Résultats proches"), if the answer has
    /// such rows: rows before it contain the words, rows from it on only resemble them.
    pub fn near_from(&self) -> Option<usize> {
        let results = self.visit.results.as_ref()?;
        (results.near_start < results.hits.len()).then_some(results.near_start)
    }

    /// ↑↓ on an answer without rows: through the offered themes.
    pub(super) fn move_theme_choice(&mut self, delta: isize) {
        let n = self.offered_themes().len();
        if n == 0 {
            return;
        }
        self.focus = Focus::List;
        self.visit.theme_choice = Some(match self.visit.theme_choice {
            None => 0,
            Some(i) => (i as isize + delta).clamp(0, n as isize - 1) as usize,
        });
    }

    /// Enter on an answer without rows: the chosen theme opens (all its initiatives, the
    /// words set aside, as its number would).
    pub(super) fn open_theme_choice(&mut self) -> bool {
        let Some(slug) = self.visit.theme_choice.and_then(|i| self.offered_themes().get(i).cloned()) else {
            return false;
        };
        self.count_search();
        self.count(usage::Event::ThemeOpened(slug.clone()));
        self.visit.filters = super::Filters { theme: Some(slug), ..Default::default() };
        self.visit.query.clear();
        self.visit.theme_choice = None;
        self.focus = Focus::List;
        self.visit.search_pending = true;
        true
    }
}
