//! The runtime: the one place where the state machine meets the world. It turns raw
//! terminal events into Actions (through the key table and the admin chord), hands each to
//! `App::update`, and carries out the Commands that come back — searching the index,
//! switching generation, counting usage at once; printing and file writing on the worker
//! thread — feeding every outcome back as an Action. The terminal loop (`super::terminal`)
//! only draws and waits; tests drive a `Runtime` with the same raw events, without a
//! terminal.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use ratatui::crossterm::event::{Event, KeyEventKind, MouseEventKind};

use super::action::{Action, Catalogue, CommuneCounts};
use super::app::{App, OpenFilter, RESULT_LIMIT};
use super::command::{Command, Effect, SearchJob};
use super::desk::{Desk, Seat};
use super::keys;
use super::worker::{Job, Outcome, Worker};
use crate::kiosk::AdminChord;
use crate::mark::OpenCache;
use crate::search::need_order;
use crate::search::{SearchIndex, SearchRequest};
use crate::speech::{Speaker, SpeechCommand};
use crate::usage::{self, Usage};

/// Where counted usage goes.
pub enum Counter {
    /// The session's counters, shared with the hang-up watchdog (which flushes them).
    Store(Arc<Mutex<Usage>>),
    /// Kept in memory, for tests to read.
    Memory(Vec<usage::Event>),
    Off,
}

/// What the runtime needs beyond the state: the configuration of its effects.
pub struct Options {
    pub print_command: Option<String>,
    /// The kiosk's way out (kiosks only).
    pub chord: Option<AdminChord>,
    pub counter: Counter,
    /// Where the catalogue's upkeep happens (reports, the queue, edits); None: nowhere.
    pub seat: Option<Seat>,
    /// The speech command (kiosks with speech only; `Setup::can_speak` says the same).
    pub speech: Option<SpeechCommand>,
}

impl Default for Options {
    fn default() -> Self {
        Options { print_command: None, chord: None, counter: Counter::Off, seat: None, speech: None }
    }
}

pub struct Runtime {
    app: App,
    index: Option<SearchIndex>,
    /// The "ouvert" filter's answers for the current minute (forgotten with the visit: what
    /// was matched hints at what was typed).
    open_cache: OpenCache,
    options: Options,
    worker: Worker,
    /// The thread of the catalogue's upkeep, when there is a seat for it.
    desk: Option<Desk>,
    /// The speech thread, started at the first utterance (most sessions never speak).
    speaker: Option<Speaker>,
    /// Something changed since the last frame.
    dirty: bool,
    /// The screen and the scrollback must be erased before the next frame.
    wipe: bool,
    /// Bytes for the terminal itself (OSC 52 copies), written after the next frame.
    terminal_bytes: Vec<u8>,
    /// Each ended visit's missed words, with [`Counter::Memory`] (for tests).
    missed: Vec<Vec<String>>,
}

impl Runtime {
    /// A runtime around `app`, on `index` (or the reason there is none).
    pub fn new(app: App, index: Result<SearchIndex, String>, options: Options, now: Instant) -> Runtime {
        let (index, loaded) = match index {
            Ok(mut i) => {
                let loaded = catalogue_of(&mut i);
                (Some(i), loaded)
            }
            Err(e) => (None, Err(e)),
        };
        let desk = options.seat.clone().map(Desk::start);
        let mut rt = Runtime {
            app,
            index,
            open_cache: OpenCache::default(),
            options,
            worker: Worker::start(),
            desk,
            speaker: None,
            dirty: true,
            wipe: false,
            terminal_bytes: Vec::new(),
            missed: Vec::new(),
        };
        rt.dispatch(Action::CatalogueLoaded(Box::new(loaded)), now);
        rt
    }

    /// The state, read-only.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Hands `action` to the state machine and carries out what it asks, until nothing more
    /// comes back.
    pub fn dispatch(&mut self, action: Action, now: Instant) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for command in self.app.update(action, now) {
                if let Some(back) = self.execute(command) {
                    queue.push_back(back);
                }
            }
        }
    }

    /// One raw terminal event: a key through the admin chord and the key table, a paste, a
    /// resize, a mouse event (when the mouse is on).
    pub fn event(&mut self, event: Event, now: Instant) {
        let action = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let chord = self.options.chord.as_mut().is_some_and(|c| c.feed(&key, now));
                if chord {
                    Some(Action::AdminChord)
                } else {
                    // An unbound key still proves someone is there.
                    Some(keys::action_for(&self.app, key).unwrap_or(Action::Presence))
                }
            }
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            Event::Mouse(m) if self.app.mouse() => match m.kind {
                MouseEventKind::Down(_) => Some(Action::Click(m.column, m.row)),
                MouseEventKind::ScrollUp => Some(Action::WheelUp),
                MouseEventKind::ScrollDown => Some(Action::WheelDown),
                _ => None,
            },
            _ => None,
        };
        if let Some(action) = action {
            self.dispatch(action, now);
        }
    }

    /// The end of a burst of input: the one search it called for.
    pub fn settle(&mut self, now: Instant) {
        self.dispatch(Action::Settle, now);
    }

    /// Time passes: the Paris clock, the idle policy, the index check, finished effects.
    pub fn tick(&mut self, now: Instant, local: NaiveDateTime) {
        self.dispatch(Action::Clock(local), now);
        self.dispatch(Action::Tick, now);
        self.settle(now);
        while let Some(outcome) = self.worker.try_done() {
            self.effect_done(outcome, now);
        }
        while let Some(answer) = self.desk.as_ref().and_then(Desk::try_done) {
            self.dispatch(answer, now);
        }
        while let Some(id) = self.speaker.as_ref().and_then(Speaker::try_ended) {
            self.dispatch(Action::SpeechEnded(id), now);
        }
    }

    /// Waits up to `timeout` for the desk's next answer and applies it (tests).
    pub fn wait_for_desk(&mut self, timeout: Duration, now: Instant) -> bool {
        match self.desk.as_ref().and_then(|d| d.wait_done(timeout)) {
            Some(answer) => {
                self.dispatch(answer, now);
                true
            }
            None => false,
        }
    }

    /// Waits up to `timeout` for an utterance to be said to the end and tells the state. For
    /// tests; the loop notices on its next tick.
    pub fn wait_for_speech(&mut self, timeout: Duration, now: Instant) -> bool {
        match self.speaker.as_ref().and_then(|s| s.wait_ended(timeout)) {
            Some(id) => {
                self.dispatch(Action::SpeechEnded(id), now);
                true
            }
            None => false,
        }
    }

    /// Waits up to `timeout` for a slow effect to finish and applies its outcome. For tests
    /// and for a quitting session; the loop itself never waits on the worker.
    pub fn wait_for_effect(&mut self, timeout: Duration, now: Instant) -> bool {
        match self.worker.wait_done(timeout) {
            Some(outcome) => {
                self.effect_done(outcome, now);
                true
            }
            None => false,
        }
    }

    /// Whether a frame is due; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Whether the screen and scrollback must be erased first; clears the flag.
    pub fn take_wipe(&mut self) -> bool {
        std::mem::take(&mut self.wipe)
    }

    /// Bytes for the terminal (OSC 52 copies), to write after the frame.
    pub fn take_terminal_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.terminal_bytes)
    }

    /// Usage counted in memory ([`Counter::Memory`]), for tests.
    pub fn take_counted(&mut self) -> Vec<usage::Event> {
        match &mut self.options.counter {
            Counter::Memory(v) => std::mem::take(v),
            _ => Vec::new(),
        }
    }

    /// The missed words of each visit ended so far ([`Counter::Memory`]), for tests.
    pub fn take_missed(&mut self) -> Vec<Vec<String>> {
        std::mem::take(&mut self.missed)
    }

    /// Writes the counted usage now (at exit; the watchdog and a timer do it otherwise).
    pub fn flush_usage(&self) {
        if let Counter::Store(usage) = &self.options.counter {
            let _ = lock(usage).flush();
        }
    }

    fn effect_done(&mut self, outcome: Outcome, now: Instant) {
        let action = self.answer(outcome);
        self.dispatch(action, now);
    }

    /// An effect's outcome: its usage counted (when it worked), its message as an action.
    fn answer(&mut self, (outcome, event): Outcome) -> Action {
        if let Some(e) = event {
            self.count(e);
        }
        Action::EffectDone(outcome)
    }

    fn count(&mut self, event: usage::Event) {
        match &mut self.options.counter {
            Counter::Store(usage) => lock(usage).record(event),
            Counter::Memory(v) => v.push(event),
            Counter::Off => {}
        }
    }

    /// Carries out one command; what it gave comes back as an action.
    fn execute(&mut self, command: Command) -> Option<Action> {
        match command {
            Command::Redraw => {
                self.dirty = true;
                None
            }
            Command::WipeScreen => {
                self.wipe = true;
                self.dirty = true;
                None
            }
            Command::ForgetVisit => {
                self.open_cache = OpenCache::default();
                None
            }
            Command::Count(event) => {
                self.count(event);
                None
            }
            Command::MissedWords(words) => {
                match &mut self.options.counter {
                    Counter::Store(usage) => lock(usage).missed_visit(&words),
                    Counter::Memory(_) => self.missed.push(words),
                    Counter::Off => {}
                }
                None
            }
            Command::Desk(job) => match (&self.desk, &self.options.seat) {
                (Some(desk), Some(seat)) => desk.submit(job, seat),
                _ => None,
            },
            Command::Speak(utterance) => {
                let command = self.options.speech.as_ref()?;
                let line = command.line(&utterance.lang);
                self.speaker.get_or_insert_with(Speaker::start).say(utterance.id, line, utterance.text);
                None
            }
            Command::StopSpeech => {
                if let Some(speaker) = &self.speaker {
                    speaker.stop();
                }
                None
            }
            Command::Search(job) => self.search(job),
            Command::CountCommunes(job) => self.count_communes(job),
            Command::TryFilters(candidates) => {
                let mut tried = Vec::with_capacity(candidates.len());
                for (filters, job) in candidates {
                    // A setting whose count fails is not offered.
                    if let Some(Action::Searched(found, _)) = self.search(job)
                        && let Ok(found) = *found
                    {
                        tried.push((filters, found.total as u64));
                    }
                }
                Some(Action::FiltersTried(tried))
            }
            Command::RefreshIndex => {
                let index = self.index.as_mut()?;
                match index.refresh() {
                    Ok(true) => Some(Action::CatalogueLoaded(Box::new(catalogue_of(index)))),
                    // No new generation, or a broken one: keep answering from the one we have.
                    Ok(false) | Err(_) => None,
                }
            }
            Command::Effect(Effect::Copy(items)) => {
                // The clipboard is the terminal itself: its bytes go out with the frames, in
                // order, from this thread.
                let cx = super::effects::Context {
                    print_command: self.options.print_command.as_deref(),
                    reference: self.app.reference(),
                    strings: self.app.strings(),
                    now: self.app.now(),
                    signs: self.app.signs(),
                };
                let outcome = super::effects::run(&Effect::Copy(items), &cx, &mut self.terminal_bytes);
                Some(self.answer(outcome))
            }
            Command::Effect(effect) => {
                let job = Job {
                    effect,
                    print_command: self.options.print_command.clone(),
                    reference: self.app.reference().clone(),
                    strings: self.app.strings().clone(),
                    now: self.app.now(),
                    signs: self.app.signs(),
                };
                let outcome = self.worker.submit(job)?;
                Some(self.answer(outcome))
            }
        }
    }

    fn search(&mut self, job: SearchJob) -> Option<Action> {
        let index = self.index.as_mut()?;
        let SearchJob { request, open, at, by_distance, need, keep } = job;
        // The "ouvert" filter works inside the search, over every match; the hours of each
        // distinct key are evaluated once per minute.
        let cache = &mut self.open_cache;
        let searched = match open {
            OpenFilter::Any => index.search(&request),
            OpenFilter::Now => index.search_open(&request, &mut |key| cache.open_now(key, at)),
            OpenFilter::Today => index.search_open(&request, &mut |key| cache.open_today(key, at)),
        };
        // The distance sort: the best WIDE_LIMIT matches (open ones, with "ouvert") by distance;
        // also when the words ask for it ("près de chez moi", issue #12) and the kiosk has a place.
        // A list browsed without words: ordered for a person in need (search::need_order).
        let origin = self.app.origin();
        let searched = searched.and_then(|mut r| match (by_distance.or(origin.filter(|_| r.wants_near())), need) {
            (Some(origin), _) => r.sort_by_distance(origin, RESULT_LIMIT).map(|()| r),
            (None, Some(cx)) => need_order::order(&mut r, &cx, index.reference(), RESULT_LIMIT).map(|()| r),
            (None, None) => Ok(r),
        });
        Some(Action::Searched(Box::new(searched.map_err(|e| e.to_string())), keep))
    }
}

impl Runtime {
    /// The commune picker's counts: one count-only search per commune (36 of them; measured
    /// in BENCHMARKS.md), so the picker can say "Nanterre (12)" before anyone chooses.
    fn count_communes(&mut self, job: SearchJob) -> Option<Action> {
        let communes: Vec<String> = self.app.reference().communes.iter().map(|c| c.insee.clone()).collect();
        let index = self.index.as_mut()?;
        let cache = &mut self.open_cache;
        let mut counts = CommuneCounts::default();
        for insee in communes.into_iter().map(Some).chain([None]) {
            let request = SearchRequest { commune: insee.clone(), limit: 1, ..job.request.clone() };
            let found = match job.open {
                OpenFilter::Any => index.search(&request),
                OpenFilter::Now => index.search_open(&request, &mut |key| cache.open_now(key, job.at)),
                OpenFilter::Today => index.search_open(&request, &mut |key| cache.open_today(key, job.at)),
            };
            // A count that fails is left out: the picker shows the commune without a number.
            match (found, insee) {
                (Ok(found), Some(insee)) => counts.per_commune.push((insee, found.total as u64)),
                (Ok(found), None) => counts.all = found.total as u64,
                (Err(_), _) => {}
            }
        }
        Some(Action::CommuneCounts(counts))
    }
}

impl std::ops::Deref for Runtime {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// What the interface shows of the live generation's catalogue.
fn catalogue_of(index: &mut SearchIndex) -> Result<Catalogue, String> {
    let all = SearchRequest { limit: 1, ..Default::default() };
    let counts = index.search(&all).map_err(|e| e.to_string())?;
    let meta = index.meta();
    Ok(Catalogue {
        reference: index.reference().clone(),
        home_counts: counts.theme_counts,
        documents: meta.documents,
        built_at: meta.built_at.clone(),
        generation: index.generation().to_string(),
    })
}

/// The usage counters, shared with the hang-up watchdog. A poisoned lock still holds sound
/// counters (a panic elsewhere does not corrupt them): take them anyway.
pub fn lock(usage: &Mutex<Usage>) -> std::sync::MutexGuard<'_, Usage> {
    usage.lock().unwrap_or_else(|e| e.into_inner())
}
