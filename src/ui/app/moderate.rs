//! The catalogue's upkeep, as parts of `update` (issue #14): a visitor's "Signaler une
//! erreur", the staff review queue (Ctrl-R), and the moderators' edit form. Everything that
//! reads or writes the catalogue is a [`DeskJob`] for the desk thread; its answer comes back
//! as `Action::Desk`.

use super::{App, Mode, Screen};
use crate::catalogue::Problem;
use crate::catalogue::edit::{Form, Intent};
use crate::catalogue::{VersionConflict, model::FIELDS};
use crate::reports::{Reason, Resolution};
use crate::review::{Counts, QueueRow};
use crate::ui::action::Action;
use crate::ui::command::Command;
use crate::ui::desk::{DeskAnswer, DeskJob, SaveRefused};

/// The reasons a visitor may give, in the order shown (digits 1–5).
pub const REASONS: [Reason; 5] = [Reason::Closed, Reason::Moved, Reason::WrongHours, Reason::WrongPhone, Reason::Other];

/// Staff-side state of the upkeep (the visitor's report menu lives in the visit).
#[derive(Debug, Default)]
pub struct Moderation {
    /// The review queue once read (all of it: F3/F4 narrow what is shown), or why not.
    pub queue: Option<Result<(Vec<QueueRow>, Counts), String>>,
    /// Today's changes by people, newest first ("14:43 alice edit Repair Café").
    pub today: Vec<String>,
    /// Index into the shown (filtered) rows.
    pub selected: usize,
    /// The detail page was opened from the queue: Esc goes back there.
    pub detail_from_queue: bool,
    pub edit: Option<EditState>,
    /// (entry, its last change) for the staff detail page.
    pub last_change: Option<(String, Option<String>)>,
}

/// A moderator's form in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct EditState {
    pub form: Form,
    /// The form's problems as of the last keystroke, each naming its field.
    pub problems: Vec<Problem>,
    /// A save refused because someone saved in between: the form keeps its text, and the
    /// next save goes onto that newer version (the moderator has been told).
    pub conflict: Option<VersionConflict>,
    pub saving: bool,
    /// Unsaved changes; a first Esc warns instead of leaving.
    pub dirty: bool,
    pub warned_leaving: bool,
    /// Where Esc goes.
    pub back_to: Screen,
    /// What the last save did (shown under the title).
    pub status: Option<(String, bool)>,
}

impl EditState {
    /// The desk took the form (saved, held for four eyes, or queued for the service): nothing
    /// is unsaved any more, and `status` says which.
    fn accepted(&mut self, status: String) {
        self.saving = false;
        self.dirty = false;
        self.status = Some((status, false));
    }

    /// A save or proposal the desk refused: the problems beside their fields, or who saved in
    /// between (the next save goes on top), or why it failed. The text typed stays.
    fn refused(&mut self, refused: SaveRefused, s: &crate::i18n::Strings) {
        self.status = Some(match refused {
            SaveRefused::Invalid(problems) => {
                let text = s.fmt("edit.invalid", &[("n", &problems.len().to_string())]);
                self.problems = problems;
                (text, true)
            }
            SaveRefused::Conflict(c) => {
                let (version, at) = (c.current.to_string(), crate::hours::paris_stamp(&c.at));
                let text = s.fmt("edit.conflict", &[("who", &c.who), ("at", &at), ("version", &version)]);
                self.conflict = Some(c);
                (text, true)
            }
            SaveRefused::Failed(e) => (s.fmt("edit.failed", &[("reason", &e)]), true),
        });
    }
}

impl App {
    /// Whether this session may edit: a staff session whose Unix account the configuration
    /// names as a moderator (decided at start, [`super::Setup::moderator`]).
    pub fn is_moderator(&self) -> bool {
        self.setup.mode == Mode::Staff && self.setup.moderator
    }

    pub fn moderation(&self) -> &Moderation {
        &self.moderation
    }

    /// The queue's rows under the current theme and commune filters.
    pub fn queue_rows(&self) -> Vec<&QueueRow> {
        let f = &self.visit.filters;
        match &self.moderation.queue {
            Some(Ok((rows, _))) => crate::review::narrow(rows, f.commune.as_deref(), f.theme.as_deref()),
            _ => Vec::new(),
        }
    }

    fn today_text(&self) -> String {
        self.today().format("%Y-%m-%d").to_string()
    }

    /// Takes the actions that mean something else in the upkeep's places (the report menu,
    /// the queue, the form). Returns whether it took `action`.
    pub(super) fn moderation_input(&mut self, action: &Action) -> bool {
        if self.visit.report_menu.is_some() {
            self.report_menu_input(action);
            return !action.passes_an_open_field();
        }
        match self.screen {
            Screen::Edit => self.form_input(action),
            Screen::Review => self.queue_input(action),
            Screen::Detail if self.moderation.detail_from_queue && *action == Action::Back => {
                self.visit.detail = None;
                self.screen = Screen::Review;
                true
            }
            _ => false,
        }
    }

    /// The upkeep's own actions.
    pub(super) fn moderate(&mut self, action: Action) {
        match action {
            Action::ReportError => self.open_report_menu(),
            Action::ShowReview => self.show_review(),
            Action::EditEntry => self.edit_entry(),
            Action::NewEntry if self.is_moderator() => {
                let today = self.today_text();
                self.out.push(Command::Desk(DeskJob::Open { id: None, today }));
            }
            Action::SaveEntry => self.save(Intent::Save),
            Action::CheckEntry => self.save(Intent::Check),
            Action::CloseEntry => self.save(Intent::CloseUntil),
            Action::RetireEntry => self.save(Intent::Retire),
            Action::ResolveFixed => self.resolve(Resolution::Fixed),
            Action::ResolveNotAnError => self.resolve(Resolution::NotAnError),
            Action::Approve => self.approve(),
            Action::Desk(answer) => self.desk_answer(*answer),
            _ => {}
        }
    }

    /// After any action: a staff detail page asks for its entry's last change once.
    pub(super) fn follow_detail(&mut self) {
        if self.setup.mode != Mode::Staff || !self.setup.desk || self.screen != Screen::Detail {
            return;
        }
        let Some(id) = self.visit.detail.as_ref().map(|d| d.id.clone()) else { return };
        if self.moderation.last_change.as_ref().is_none_or(|(known, _)| *known != id) {
            self.moderation.last_change = Some((id.clone(), None));
            self.out.push(Command::Desk(DeskJob::LastChange { id }));
        }
    }

    // ----- "Signaler une erreur" -----

    fn open_report_menu(&mut self) {
        if !self.setup.desk || self.screen != Screen::Detail {
            return;
        }
        let Some(id) = self.visit.detail.as_ref().map(|d| d.id.clone()) else { return };
        if self.visit.reported.contains(&id) {
            self.visit.message = Some((self.strings.get("report.already").to_string(), false));
        } else {
            self.visit.report_menu = Some(0);
        }
    }

    fn report_menu_input(&mut self, action: &Action) {
        let Some(selected) = self.visit.report_menu else { return };
        let chosen = match action {
            Action::Up => {
                self.visit.report_menu = Some(selected.saturating_sub(1));
                None
            }
            Action::Down | Action::Right => {
                self.visit.report_menu = Some((selected + 1).min(REASONS.len() - 1));
                None
            }
            Action::Digit(d) if (1..=REASONS.len() as u8).contains(d) => Some(*d as usize - 1),
            Action::Open => Some(selected),
            Action::Back => {
                self.visit.report_menu = None;
                None
            }
            _ => None,
        };
        let (Some(i), Some(id)) = (chosen, self.visit.detail.as_ref().map(|d| d.id.clone())) else { return };
        self.visit.report_menu = None;
        self.visit.reported.insert(id.clone());
        let day = self.today_text();
        self.out.push(Command::Desk(DeskJob::Report { entry: id, reason: REASONS[i], day }));
    }

    // ----- The review queue -----

    fn show_review(&mut self) {
        if self.setup.mode != Mode::Staff || !self.setup.desk {
            return;
        }
        if !matches!(self.screen, Screen::Review | Screen::Edit) {
            self.return_to = self.screen;
        }
        self.screen = Screen::Review;
        self.moderation.detail_from_queue = false;
        self.reload_queue();
    }

    fn reload_queue(&mut self) {
        self.out.push(Command::Desk(DeskJob::Queue { today: self.today() }));
    }

    fn queue_input(&mut self, action: &Action) -> bool {
        let n = self.queue_rows().len();
        let sel = &mut self.moderation.selected;
        match action {
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
            Action::PageUp => *sel = sel.saturating_sub(10),
            Action::PageDown => *sel = (*sel + 10).min(n.saturating_sub(1)),
            Action::First => *sel = 0,
            Action::Last => *sel = n.saturating_sub(1),
            Action::Open => {
                if let Some(row) = self.queue_rows().get(self.moderation.selected) {
                    self.visit.detail = Some(row.item.clone());
                    self.visit.detail_scroll = 0;
                    self.moderation.detail_from_queue = true;
                    self.screen = Screen::Detail;
                }
            }
            Action::Back => {
                self.screen = if self.return_to == Screen::Review { Screen::Home } else { self.return_to };
            }
            // F3/F4 narrow the queue: the filters change as on a result list, the rows shown follow.
            Action::FilterTheme | Action::FilterCommune | Action::SetFilters(_) => {
                self.moderation.selected = 0;
                return false;
            }
            // Letters are not a search here.
            Action::Type(_) | Action::Backspace | Action::Paste(_) => {}
            _ => return false,
        }
        true
    }

    fn resolve(&mut self, resolution: Resolution) {
        if self.screen != Screen::Review {
            return;
        }
        let Some(row) = self.queue_rows().get(self.moderation.selected).copied() else { return };
        if row.reports.is_empty() {
            self.visit.message = Some((self.strings.get("review.no_report").to_string(), true));
            return;
        }
        let entry = row.item.id.clone();
        let today = self.today_text();
        self.out.push(Command::Desk(DeskJob::Resolve { entry, resolution, today }));
    }

    fn approve(&mut self) {
        if self.screen != Screen::Review || !self.is_moderator() {
            return;
        }
        let Some(row) = self.queue_rows().get(self.moderation.selected).copied() else { return };
        match &row.pending {
            Some(p) if p.who == self.setup.account => {
                self.visit.message = Some((self.strings.get("review.own_change").to_string(), true));
            }
            Some(_) => {
                let entry = row.item.id.clone();
                self.out.push(Command::Desk(DeskJob::Approve { entry }));
            }
            None => self.visit.message = Some((self.strings.get("review.nothing_pending").to_string(), true)),
        }
    }

    // ----- The edit form -----

    fn edit_entry(&mut self) {
        if self.setup.mode != Mode::Staff {
            return;
        }
        if !self.is_moderator() {
            self.visit.message = Some((self.strings.get("edit.not_moderator").to_string(), true));
            return;
        }
        let id = match self.screen {
            Screen::Detail => self.visit.detail.as_ref().map(|d| d.id.clone()),
            Screen::Review => self.queue_rows().get(self.moderation.selected).map(|r| r.item.id.clone()),
            _ => None,
        };
        if let Some(id) = id {
            let today = self.today_text();
            self.out.push(Command::Desk(DeskJob::Open { id: Some(id), today }));
        }
    }

    fn form_input(&mut self, action: &Action) -> bool {
        let Some(edit) = self.moderation.edit.as_mut() else {
            self.screen = Screen::Home;
            return false;
        };
        let field = edit.form.field;
        let mut changed = false;
        match action {
            Action::Type(c) => {
                edit.form.values[field].push(*c);
                changed = true;
            }
            Action::Paste(text) => {
                edit.form.values[field].push_str(&crate::text::sanitize_line(text));
                changed = true;
            }
            Action::Backspace => {
                changed = edit.form.values[field].pop().is_some();
            }
            Action::ClearQuery => {
                changed = !edit.form.values[field].is_empty();
                edit.form.values[field].clear();
            }
            Action::Up => edit.form.field = field.saturating_sub(1),
            Action::Down | Action::Open => edit.form.field = (field + 1).min(FIELDS.len() - 1),
            Action::PageUp => edit.form.field = field.saturating_sub(8),
            Action::PageDown => edit.form.field = (field + 8).min(FIELDS.len() - 1),
            Action::First => edit.form.field = 0,
            Action::Last => edit.form.field = FIELDS.len() - 1,
            Action::Back if edit.saving => {}
            Action::Back if edit.dirty && !edit.warned_leaving => {
                edit.warned_leaving = true;
                edit.status = Some((self.strings.get("edit.unsaved").to_string(), true));
            }
            Action::Back => {
                let back = edit.back_to;
                self.moderation.edit = None;
                self.screen = back;
                if back == Screen::Review {
                    self.reload_queue();
                }
            }
            _ => return false,
        }
        if changed && let Some(edit) = self.moderation.edit.as_mut() {
            edit.dirty = true;
            edit.warned_leaving = false;
            edit.problems = edit.form.validate(&self.catalogue.reference).err().unwrap_or_default();
        }
        true
    }

    fn save(&mut self, intent: Intent) {
        if self.screen != Screen::Edit || !self.is_moderator() {
            return;
        }
        let today = self.today_text();
        let Some(edit) = self.moderation.edit.as_mut() else { return };
        if edit.saving {
            return;
        }
        if let Err(problems) = edit.form.prepare(&intent, &today, &self.catalogue.reference) {
            edit.status = Some((self.strings.fmt("edit.invalid", &[("n", &problems.len().to_string())]), true));
            edit.problems = problems;
            return;
        }
        // After a refusal the moderator saw who saved in between; saving again goes onto that
        // version (theirs stays in the history).
        if let Some(conflict) = edit.conflict.take() {
            edit.form.base = conflict.current;
        }
        edit.saving = true;
        edit.status = Some((self.strings.get("edit.saving").to_string(), false));
        let form = Box::new(edit.form.clone());
        self.out.push(Command::Desk(DeskJob::Save { form, intent, today }));
    }

    fn desk_answer(&mut self, answer: DeskAnswer) {
        let s = &self.strings;
        match answer {
            DeskAnswer::Reported(Ok(())) => self.visit.message = Some((s.get("report.thanks").to_string(), false)),
            DeskAnswer::Reported(Err(_)) => self.visit.message = Some((s.get("report.failed").to_string(), true)),
            DeskAnswer::Queue(queue, today) => {
                self.moderation.queue = Some(queue);
                self.moderation.today = today;
                let n = self.queue_rows().len();
                self.moderation.selected = self.moderation.selected.min(n.saturating_sub(1));
            }
            DeskAnswer::Opened(Ok(form)) => {
                let problems = form.validate(&self.catalogue.reference).err().unwrap_or_default();
                let back_to = if self.screen == Screen::Edit { Screen::Home } else { self.screen };
                self.moderation.edit = Some(EditState {
                    form: *form,
                    problems,
                    conflict: None,
                    saving: false,
                    dirty: false,
                    warned_leaving: false,
                    back_to,
                    status: None,
                });
                self.screen = Screen::Edit;
            }
            DeskAnswer::Opened(Err(e)) => {
                self.visit.message = Some((s.fmt("edit.open_failed", &[("reason", &e)]), true));
            }
            DeskAnswer::Saved(outcome) => {
                let Some(edit) = self.moderation.edit.as_mut() else { return };
                edit.saving = false;
                match outcome {
                    Ok((version, item)) => {
                        edit.form.base = version;
                        edit.accepted(s.fmt("edit.saved", &[("version", &version.to_string())]));
                        // The page behind shows the entry as saved.
                        if self.visit.detail.as_ref().is_some_and(|d| d.id == item.id) {
                            self.visit.detail = Some(*item);
                        }
                        self.moderation.last_change = None;
                    }
                    Err(refused) => edit.refused(refused, s),
                }
            }
            DeskAnswer::Resolved(outcome) => {
                self.visit.message = Some(match outcome {
                    Ok(n) => (s.fmt("review.resolved", &[("n", &n.to_string())]), false),
                    Err(e) => (s.fmt("edit.failed", &[("reason", &e)]), true),
                });
                self.reload_queue();
            }
            DeskAnswer::Proposed(outcome) => {
                let Some(edit) = self.moderation.edit.as_mut() else { return };
                edit.saving = false;
                match outcome {
                    Ok(()) => edit.accepted(s.get("edit.proposed").to_string()),
                    Err(refused) => edit.refused(refused, s),
                }
            }
            DeskAnswer::Approved(outcome) => {
                self.visit.message = Some(match outcome {
                    Ok(v) => (s.fmt("review.approved", &[("version", &v.to_string())]), false),
                    Err(e) => (s.fmt("edit.failed", &[("reason", &e)]), true),
                });
                self.reload_queue();
            }
            DeskAnswer::Queued => match self.moderation.edit.as_mut() {
                Some(edit) if edit.saving => edit.accepted(s.get("edit.queued").to_string()),
                _ => {
                    self.visit.message = Some((s.get("edit.queued").to_string(), false));
                    self.reload_queue();
                }
            },
            DeskAnswer::LastChange(id, text) => {
                if self.moderation.last_change.as_ref().is_some_and(|(known, _)| *known == id) {
                    self.moderation.last_change = Some((id, text));
                }
            }
        }
    }
}
