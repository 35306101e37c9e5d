//! What staff do beyond searching: the shortlist for the person in front of them, its
//! exports, prints and copies (sent out as [`Effect`]s, answered later), the kiosk's ticket,
//! and the one-line prompts (the commune to measure from, the file to write). Part of
//! `App::update`.

use super::{App, Confirm, Prompt, PromptKind, Screen};
use crate::ui::action::Action;
use crate::ui::command::{Command, Effect};

impl App {
    /// Insert: the initiative in front of the staff member (open, or selected) goes on the
    /// shortlist, or comes off it if it is there already.
    pub(super) fn toggle_shortlist(&mut self) {
        if self.is_kiosk() {
            return;
        }
        let item = match self.screen {
            Screen::Detail => self.visit.detail.clone(),
            Screen::Results | Screen::Map => self.selected_initiative().cloned(),
            _ => None,
        };
        let Some(item) = item else { return };
        // Say what happened, where the staff member is looking (the ✓ of the list is not on
        // a detail page).
        let key = match self.visit.shortlist.iter().position(|i| i.id == item.id) {
            Some(pos) => {
                self.visit.shortlist.remove(pos);
                "shortlist.removed"
            }
            None => {
                self.visit.shortlist.push(item);
                "shortlist.added"
            }
        };
        let n = self.visit.shortlist.len().to_string();
        self.visit.message = Some((self.strings.fmt(key, &[("n", &n)]), false));
        self.visit.shortlist_selected = self.visit.shortlist_selected.min(self.visit.shortlist.len().saturating_sub(1));
    }

    pub(super) fn show_shortlist(&mut self) {
        if !self.is_kiosk() {
            self.overlay(Screen::Shortlist);
            if self.effects_pending == 0 {
                self.visit.message = None;
            }
        }
    }

    pub(super) fn move_entry(&mut self, delta: isize) {
        let i = self.visit.shortlist_selected;
        let j = i.checked_add_signed(delta);
        if let Some(j) = j.filter(|&j| j < self.visit.shortlist.len()) {
            self.visit.shortlist.swap(i, j);
            self.visit.shortlist_selected = j;
        }
    }

    pub(super) fn remove_entry(&mut self) {
        if self.visit.shortlist_selected < self.visit.shortlist.len() {
            self.visit.shortlist.remove(self.visit.shortlist_selected);
            self.visit.shortlist_selected =
                self.visit.shortlist_selected.min(self.visit.shortlist.len().saturating_sub(1));
        }
    }

    /// `t` / `h`: ask where to write the page, a fresh name in the export folder proposed.
    pub(super) fn ask_export(&mut self, html: bool) {
        if self.visit.shortlist.is_empty() {
            return;
        }
        let format = if html { crate::shortlist::Format::Html } else { crate::shortlist::Format::Text };
        let name = crate::shortlist::default_name(self.now, format);
        let kind = if html { PromptKind::ExportHtml } else { PromptKind::ExportText };
        // A name, not a path: the file goes into the export folder and nowhere else.
        self.visit.prompt = Some(Prompt { kind, text: name, error: None });
    }

    pub(super) fn print_shortlist(&mut self) {
        if !self.setup.can_print {
            self.say_why("shortlist.no_printer");
        } else if !self.visit.shortlist.is_empty() {
            self.send(Effect::PrintList(self.visit.shortlist.clone()));
        }
    }

    pub(super) fn copy_shortlist(&mut self) {
        if !self.setup.can_copy {
            self.say_why("shortlist.no_copy");
        } else if !self.visit.shortlist.is_empty() {
            self.send(Effect::Copy(self.visit.shortlist.clone()));
        }
    }

    pub(super) fn print_ticket(&mut self) {
        if self.screen != Screen::Detail {
            return;
        }
        if !self.setup.can_print {
            self.say_why("shortlist.no_printer");
        } else if let Some(item) = self.visit.detail.clone() {
            self.send(Effect::PrintTicket(Box::new(item)));
        }
    }

    /// A key that can't do its job here says why (a printer or copying not set up).
    fn say_why(&mut self, key: &str) {
        self.visit.message = Some((self.strings.get(key).to_string(), true));
    }

    /// Keys while a yes/no question is open. Returns whether the question took the action.
    pub(super) fn confirm_input(&mut self, action: &Action) -> bool {
        let Some(question) = self.visit.confirm else { return false };
        let yes =
            matches!(action, Action::Open | Action::Quit) || matches!(action, Action::Type('o' | 'O' | 'y' | 'Y'));
        let no = matches!(action, Action::Back) || matches!(action, Action::Type('n' | 'N'));
        if yes {
            self.visit.confirm = None;
            match question {
                Confirm::Quit => self.quit = true,
                Confirm::ClearList => {
                    self.visit.shortlist.clear();
                    self.visit.shortlist_selected = 0;
                }
            }
            return true;
        }
        if no {
            self.visit.confirm = None;
            return true;
        }
        // Time, resizes, answers and the admin chord go on; other keys wait for the answer.
        !matches!(
            action,
            Action::Tick
                | Action::Settle
                | Action::Clock(_)
                | Action::Resize(..)
                | Action::AdminChord
                | Action::EffectDone(_)
                | Action::Searched(..)
                | Action::CatalogueLoaded(_)
        )
    }

    /// Sends an effect out; until it answers, the screen says it is under way.
    fn send(&mut self, effect: Effect) {
        self.visit.message = Some((self.strings.get(effect.busy_key()).to_string(), false));
        self.effects_pending += 1;
        self.out.push(Command::Effect(effect));
    }

    pub(super) fn effect_done(&mut self, outcome: Result<String, String>) {
        self.effects_pending = self.effects_pending.saturating_sub(1);
        self.visit.message = Some(match outcome {
            Ok(m) => (m, false),
            Err(m) => (m, true),
        });
    }

    /// Keys while a prompt is open. Returns whether the prompt took the action.
    pub(super) fn prompt_input(&mut self, action: &Action) -> bool {
        let Some(prompt) = self.visit.prompt.as_mut() else { return false };
        match action {
            // A file name: no control, invisible or reordering character ever enters it.
            Action::Type(c) if !crate::text::is_unsafe_char(*c) && prompt.text.chars().count() < 60 => {
                prompt.text.push(*c)
            }
            Action::Paste(t) => {
                let room = 60usize.saturating_sub(prompt.text.chars().count());
                prompt.text.extend(t.chars().filter(|c| !crate::text::is_unsafe_char(*c)).take(room));
            }
            Action::Backspace => {
                prompt.text.pop();
            }
            Action::ClearQuery => prompt.text.clear(),
            Action::Back => self.visit.prompt = None,
            Action::Open => self.answer_prompt(),
            // Time, the window and answers go on; other keys wait for the prompt to close.
            other => return !other.passes_an_open_field(),
        }
        true
    }

    fn answer_prompt(&mut self) {
        let Some(prompt) = self.visit.prompt.as_mut() else { return };
        let text = prompt.text.trim().to_string();
        match prompt.kind {
            PromptKind::ExportText | PromptKind::ExportHtml => {
                let html = prompt.kind == PromptKind::ExportHtml;
                let format = if html { crate::shortlist::Format::Html } else { crate::shortlist::Format::Text };
                match crate::shortlist::checked_name(&text, format) {
                    Ok(name) => {
                        self.visit.prompt = None;
                        let dir = self.setup.export_dir.clone();
                        self.send(Effect::Export { html, dir, name, items: self.visit.shortlist.clone() });
                    }
                    Err(why) => {
                        use crate::shortlist::NameError;
                        let key = match why {
                            NameError::Empty => "shortlist.name_empty",
                            NameError::Separator | NameError::Dot => "shortlist.name_path",
                            NameError::TooLong => "shortlist.name_long",
                            NameError::Control => "shortlist.name_control",
                        };
                        let max = crate::shortlist::MAX_NAME.to_string();
                        prompt.error = Some(self.strings.fmt(key, &[("max", &max)]));
                    }
                }
            }
        }
    }
}
