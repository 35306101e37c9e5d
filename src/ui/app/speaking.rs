//! Reading the screen aloud (kiosks with speech): the speech key starts it, and any next key,
//! the idle reset or the speech key again silence it. What is said is `ui::spoken`'s; the
//! runtime runs the speech command off the UI thread (`crate::speech`).

use super::App;
use crate::ui::command::{Command, Utterance};

impl App {
    /// Whether this session reads screens aloud: a kiosk with a speech command.
    pub fn can_speak(&self) -> bool {
        self.setup.can_speak && self.is_kiosk()
    }

    /// Whether something is being read aloud.
    pub fn speaking(&self) -> bool {
        self.speaking.is_some()
    }

    /// Reads the current screen's essentials aloud, in its language.
    pub(super) fn speak(&mut self) {
        if !self.can_speak() {
            return;
        }
        let Some(text) = crate::ui::spoken::script(self) else { return };
        self.utterances += 1;
        self.speaking = Some(self.utterances);
        self.out.push(Command::Speak(Utterance { id: self.utterances, lang: self.strings.lang.clone(), text }));
    }

    /// Silences the voice; whether it was speaking.
    pub(super) fn hush(&mut self) -> bool {
        let was = self.speaking.take().is_some();
        if was {
            self.out.push(Command::StopSpeech);
        }
        was
    }

    /// An utterance was said to the end (an older one's news changes nothing).
    pub(super) fn speech_ended(&mut self, id: u64) {
        if self.speaking == Some(id) {
            self.speaking = None;
        }
    }
}
