//! The commune picker (F4: the commune filter; F9, staff: where distances are measured
//! from). It replaced a key that cycled through a handful of communes (the other 30 could not
//! be reached) and a free-text prompt that refused "nanter". Letters narrow the list
//! ([`crate::catalogue::Reference::communes_matching`]: accents optional, prefix, a later
//! word, one typo, postcode), the kiosk's commune comes first, each line shows how many
//! initiatives match there, ↑↓ and Enter choose, Esc leaves everything as it was.
//! Part of `App`'s one door: only `App::update` calls into it.

use super::{App, Picker, PickerChoice, PickerFor, Screen, Sort};
use crate::ui::action::Action;
use crate::ui::command::{Command, Keep, SearchJob};
use crate::ui::layout;

/// Longest text the picker's field takes (the longest commune name is 24 letters).
const MAX_TEXT: usize = 40;

impl App {
    /// Opens the picker for `purpose`, on the Results screen (where its choice shows).
    pub(super) fn open_picker(&mut self, purpose: PickerFor) {
        if purpose == PickerFor::Near && self.is_kiosk() {
            return;
        }
        self.visit.prompt = None;
        self.screen = Screen::Results;
        self.visit.picker = Some(Picker { purpose, text: String::new(), selected: 0, scroll: 0, counts: None });
        // Start on the current choice, so Enter alone changes nothing.
        let current = match purpose {
            PickerFor::Filter => self.visit.filters.commune.clone(),
            PickerFor::Near => self.visit.near.as_ref().map(|c| c.insee.clone()),
        };
        let at = self.picker_choices().iter().position(|c| c.commune.as_ref().map(|c| &c.insee) == current.as_ref());
        self.picker_select(at.unwrap_or(0) as isize, false);
        if purpose == PickerFor::Filter {
            // How many matches each commune would give: the query and every other filter.
            let mut request = self.request();
            request.commune = None;
            request.limit = 1;
            let job = SearchJob {
                request,
                open: self.visit.filters.open,
                at: self.now,
                by_distance: None,
                need: None,
                keep: Keep::Top,
            };
            self.out.push(Command::CountCommunes(job));
        }
    }

    /// The picker's lines for what is typed: "every commune" first while nothing is typed,
    /// then the kiosk's commune, then the others (best matches first, alphabetical within).
    pub fn picker_choices(&self) -> Vec<PickerChoice> {
        let Some(picker) = &self.visit.picker else { return Vec::new() };
        let count = |insee: &str| picker.counts.as_ref().map(|(_, c)| c.get(insee).copied().unwrap_or(0));
        let mut choices = Vec::new();
        if picker.text.trim().is_empty() {
            let total = match picker.purpose {
                PickerFor::Filter => picker.counts.as_ref().map(|(all, _)| *all),
                PickerFor::Near => None,
            };
            choices.push(PickerChoice { commune: None, count: total });
        }
        let mut communes = self.reference().communes_matching(&picker.text);
        if let Some(home) = &self.kiosk_commune
            && let Some(pos) = communes.iter().position(|c| c.insee == home.insee)
        {
            let home = communes.remove(pos);
            communes.insert(0, home);
        }
        choices.extend(communes.into_iter().map(|c| PickerChoice { commune: Some(c.clone()), count: count(&c.insee) }));
        choices
    }

    /// Keys while the picker is open. Returns whether it took the action.
    pub(super) fn picker_input(&mut self, action: &Action) -> bool {
        if self.visit.picker.is_none() {
            return false;
        }
        match action {
            Action::Type(c) if !c.is_control() => self.picker_edit(|t| t.push(*c)),
            Action::Digit(d) => self.picker_edit(|t| t.push(char::from(b'0' + d))),
            Action::Paste(p) => self.picker_edit(|t| t.push_str(&crate::text::sanitize_line(p))),
            Action::Backspace => self.picker_edit(|t| {
                t.pop();
            }),
            Action::ClearQuery => self.picker_edit(String::clear),
            Action::Up | Action::WheelUp => self.picker_select(-1, true),
            Action::Down | Action::WheelDown => self.picker_select(1, true),
            Action::PageUp => self.picker_select(-(self.picker_rows() as isize), true),
            Action::PageDown => self.picker_select(self.picker_rows() as isize, true),
            Action::First => self.picker_select(0, false),
            Action::Last => self.picker_select(isize::MAX, false),
            Action::Open => self.picker_choose(),
            Action::Back => self.visit.picker = None,
            Action::Click(_, row) => {
                let scroll = self.visit.picker.as_ref().map_or(0, |p| p.scroll);
                if let Some(offset) = row.checked_sub(layout::LIST_TOP) {
                    let at = scroll + offset as usize;
                    if (offset as usize) < self.picker_rows() && at < self.picker_choices().len() {
                        self.picker_select(at as isize, false);
                        self.picker_choose();
                    }
                }
            }
            Action::CommuneCounts(counts) => {
                if let Some(picker) = self.visit.picker.as_mut() {
                    picker.counts = Some((counts.all, counts.per_commune.iter().cloned().collect()));
                }
            }
            // Time, the window and answers go on; other keys wait for the picker to close.
            other => return !other.passes_an_open_field(),
        }
        true
    }

    /// Changes the typed text (never past [`MAX_TEXT`]) and selects the best match.
    fn picker_edit(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(picker) = self.visit.picker.as_mut() {
            edit(&mut picker.text);
            picker.text = picker.text.chars().filter(|c| !c.is_control()).take(MAX_TEXT).collect();
            picker.scroll = 0;
        }
        self.picker_select(0, false);
    }

    /// Rows of choices the screen shows at once: the list area (the picker's hints take the
    /// footer's line).
    pub fn picker_rows(&self) -> usize {
        (self.size.1.saturating_sub(layout::LIST_TOP + 1) as usize).max(1)
    }

    /// Moves the selection: by `delta` if `relative`, else to `delta`; keeps it in view.
    fn picker_select(&mut self, delta: isize, relative: bool) {
        let len = self.picker_choices().len();
        let rows = self.picker_rows();
        let Some(picker) = self.visit.picker.as_mut() else { return };
        let target = if relative { picker.selected as isize + delta } else { delta };
        picker.selected = target.clamp(0, len.saturating_sub(1) as isize) as usize;
        if picker.selected < picker.scroll {
            picker.scroll = picker.selected;
        } else if picker.selected >= picker.scroll + rows {
            picker.scroll = picker.selected + 1 - rows;
        }
    }

    fn picker_choose(&mut self) {
        let choices = self.picker_choices();
        let Some(picker) = self.visit.picker.take() else { return };
        let Some(choice) = choices.into_iter().nth(picker.selected) else {
            // Nothing matches what was typed: stay open, the list says so.
            self.visit.picker = Some(picker);
            return;
        };
        match picker.purpose {
            PickerFor::Filter => {
                self.visit.filters.commune = choice.commune.map(|c| c.insee);
                self.filters_changed();
            }
            PickerFor::Near => {
                self.visit.sort = if choice.commune.is_some() || self.kiosk_point.is_some() {
                    Sort::Distance
                } else {
                    Sort::Relevance
                };
                self.visit.near = choice.commune;
                self.forget_marks();
                self.visit.search_pending = true;
            }
        }
    }
}
