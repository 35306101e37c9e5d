//! The desk: a thread that does the catalogue's upkeep for the interface — a visitor's report
//! written to `reports.db`, the review queue read, an entry opened for editing, a moderator's
//! save (and the index rebuilt after it), a report resolved. SQLite waits on locks and a
//! rebuild takes seconds at 100,000 entries, so none of it runs on the UI thread; each job's
//! answer comes back as an [`Action::Desk`]. Where the catalogue belongs to the service user
//! (a shared data directory), a save or an approval is queued in the spool instead and the
//! desk waits for the service's answer ([`crate::spool`]).

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::action::Action;
use crate::catalogue::edit::{Form, Intent};
use crate::catalogue::{Change, Initiative, Problem, Reference, Store, VersionConflict};
use crate::data_dir::DataDir;
use crate::reports::{Reason, ReportsDb, Resolution};
use crate::review::{self, Counts, QueueRow};
use crate::spool::{self, Outcome, Request};

/// What the desk is asked.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskJob {
    /// A visitor's report on `entry`, made on `day` (`YYYY-MM-DD`).
    Report { entry: String, reason: Reason, day: String },
    /// The whole review queue as of `today` (the interface narrows it by commune and theme).
    Queue { today: chrono::NaiveDate },
    /// The form for an entry (`None`: a new one).
    Open { id: Option<String>, today: String },
    /// Save the form with `intent`.
    Save { form: Box<Form>, intent: Intent, today: String },
    /// Mark every open report of `entry` as resolved.
    Resolve { entry: String, resolution: Resolution, today: String },
    /// The last change of an entry, for the staff detail page.
    LastChange { id: String },
    /// Four eyes: approve the change held for `entry`.
    Approve { entry: String },
}

/// What the desk answers.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskAnswer {
    Reported(Result<(), String>),
    /// The queue and its counts, and today's changes ("14:43 alice edit Repair Café"), newest first.
    Queue(Result<(Vec<QueueRow>, Counts), String>, Vec<String>),
    Opened(Result<Box<Form>, String>),
    /// The new version and the entry as saved; or the form's problems, beside their fields; or the version check
    /// refused it (someone saved in between); or the store failed.
    Saved(Result<(i64, Box<Initiative>), SaveRefused>),
    Resolved(Result<usize, String>),
    /// Four eyes: the save is held for a second moderator (or why not).
    Proposed(Result<(), SaveRefused>),
    /// The held change went in (its version), or why not.
    Approved(Result<i64, String>),
    /// (entry, "2026-12-02 10:04 · alice · edit (phone)"), or nothing recorded.
    LastChange(String, Option<String>),
    /// A save or approval handed to the `wic` service (a shared data directory), which has
    /// not answered yet: it stays queued and is applied when the service runs.
    Queued,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SaveRefused {
    Invalid(Vec<Problem>),
    Conflict(VersionConflict),
    Failed(String),
}

/// Who works at this desk and where.
#[derive(Debug, Clone)]
pub struct Seat {
    pub data: DataDir,
    /// The Unix account of the session ([`crate::identity::Account`]).
    pub who: String,
    /// This kiosk's name, written with each report.
    pub kiosk: String,
    pub reference: Reference,
    /// `review = "four-eyes"`: saves are held for a second moderator.
    pub four_eyes: bool,
    /// The catalogue belongs to the service account: saves and approvals are queued in the
    /// spool for `wic apply` ([`crate::spool`]) instead of written here.
    pub through_spool: bool,
}

/// How long a save waits for the service's answer before saying it is queued.
const SPOOL_WAIT: Duration = Duration::from_secs(15);

pub struct Desk {
    jobs: Sender<DeskJob>,
    done: Receiver<Action>,
}

impl Desk {
    /// Starts the thread. If the system refuses a thread, the closure and its receiver are
    /// dropped with it, so every `submit` finds the channel closed and runs the job on the
    /// caller's thread instead (slower to answer, never lost).
    pub fn start(seat: Seat) -> Desk {
        let (job_tx, job_rx) = mpsc::channel::<DeskJob>();
        let (done_tx, done_rx) = mpsc::channel::<Action>();
        let _ = std::thread::Builder::new().name("desk".into()).spawn(move || {
            for job in job_rx {
                if done_tx.send(Action::Desk(Box::new(run(&seat, job)))).is_err() {
                    break;
                }
            }
        });
        Desk { jobs: job_tx, done: done_rx }
    }

    /// Hands `job` over; runs it here if the thread is gone (the answer is returned).
    pub fn submit(&self, job: DeskJob, seat: &Seat) -> Option<Action> {
        match self.jobs.send(job) {
            Ok(()) => None,
            Err(mpsc::SendError(job)) => Some(Action::Desk(Box::new(run(seat, job)))),
        }
    }

    pub fn try_done(&self) -> Option<Action> {
        self.done.try_recv().ok()
    }

    pub fn wait_done(&self, timeout: Duration) -> Option<Action> {
        self.done.recv_timeout(timeout).ok()
    }
}

fn run(seat: &Seat, job: DeskJob) -> DeskAnswer {
    match job {
        DeskJob::Report { entry, reason, day } => DeskAnswer::Reported(
            ReportsDb::open(&seat.data.reports_path())
                .and_then(|mut db| db.add(&seat.kiosk, &entry, reason, &day))
                .map(|_| ())
                .map_err(|e| e.to_string()),
        ),
        DeskJob::Queue { today } => match seat.data.open_read() {
            Ok(store) => DeskAnswer::Queue(queue(seat, &store, today), changes_of(&store, today)),
            Err(e) => DeskAnswer::Queue(Err(e.to_string()), Vec::new()),
        },
        DeskJob::Open { id: None, today } => DeskAnswer::Opened(Ok(Box::new(Form::new_entry(&today)))),
        DeskJob::Open { id: Some(id), .. } => DeskAnswer::Opened(
            seat.data
                .open_read()
                .and_then(|s| s.get_versioned(&id))
                .map_err(|e| e.to_string())
                .and_then(|found| found.ok_or_else(|| format!("{id}: not in the catalogue")))
                .map(|(item, version)| Box::new(Form::open(&item, version, &seat.reference))),
        ),
        DeskJob::Save { form, intent, today } if seat.through_spool => queued_save(seat, *form, intent, today),
        DeskJob::Approve { entry } if seat.through_spool => {
            match spool::submit(&seat.data, &Request::Approve { entry }) {
                Err(e) => DeskAnswer::Approved(Err(format!("cannot queue the approval: {e}"))),
                Ok(ticket) => match spool::wait(&seat.data, &ticket, SPOOL_WAIT) {
                    None => DeskAnswer::Queued,
                    Some(Outcome::Approved { version }) => DeskAnswer::Approved(Ok(version)),
                    Some(other) => DeskAnswer::Approved(Err(refusal_of(other))),
                },
            }
        }
        DeskJob::Save { form, intent, today } if seat.four_eyes => {
            DeskAnswer::Proposed(propose(seat, &form, &intent, &today))
        }
        DeskJob::Save { form, intent, today } => DeskAnswer::Saved(save(seat, &form, &intent, &today)),
        DeskJob::Approve { entry } => DeskAnswer::Approved(approve(seat, &entry)),
        DeskJob::Resolve { entry, resolution, today } => DeskAnswer::Resolved(
            ReportsDb::open(&seat.data.reports_path())
                .and_then(|mut db| db.resolve_entry(&entry, resolution, &seat.who, &today))
                .map_err(|e| e.to_string()),
        ),
        DeskJob::LastChange { id } => {
            let last = seat.data.open_read().ok().and_then(|s| s.history(&id).ok()).and_then(|h| h.last().cloned());
            DeskAnswer::LastChange(
                id,
                last.map(|r| {
                    let fields = r.changed_fields().join(", ");
                    format!("{} · {} · {} ({fields})", crate::hours::paris_stamp(&r.at), r.who, r.via)
                }),
            )
        }
    }
}

fn queue(seat: &Seat, store: &Store, today: chrono::NaiveDate) -> Result<(Vec<QueueRow>, Counts), String> {
    let entries = store.all().map_err(|e| e.to_string())?;
    let pending = store.pending().map_err(|e| e.to_string())?;
    let reports = match ReportsDb::open_existing(&seat.data.reports_path()).map_err(|e| e.to_string())? {
        Some(db) => db.open_reports().map_err(|e| e.to_string())?,
        // No reports file yet: nobody reported anything.
        None => Vec::new(),
    };
    Ok(review::queue(&entries, &reports, &pending, today))
}

/// The day's changes by people (imports and syncs aside), for the queue's header (#18: who
/// changed what today). History times are UTC; the day is Paris's.
fn changes_of(store: &Store, today: chrono::NaiveDate) -> Vec<String> {
    // Paris is at most two hours ahead of UTC: start the day before, keep Paris's today.
    let since = (today - chrono::Duration::days(1)).format("%Y-%m-%dT22:00:00Z").to_string();
    let day = today.format("%Y-%m-%d").to_string();
    let rows = store.changes_since(&since).unwrap_or_default();
    let mut out: Vec<String> = rows
        .iter()
        .filter(|r| crate::catalogue::Via::parse(&r.via).is_some_and(crate::catalogue::Via::is_moderation))
        .filter_map(|r| {
            let stamp = crate::hours::paris_stamp(&r.at);
            let name = r.after.as_ref().map(|i| i.name.as_str()).unwrap_or(&r.entry);
            stamp.starts_with(&day).then(|| format!("{} {} {} {name}", stamp.get(11..).unwrap_or(""), r.who, r.via))
        })
        .collect();
    out.reverse();
    out
}

/// A save through the spool: checked here first (problems show at once, beside their
/// fields), then checked and applied again by the service, which answers.
fn queued_save(seat: &Seat, form: Form, intent: Intent, today: String) -> DeskAnswer {
    let answer = |r: Result<(i64, Box<Initiative>), SaveRefused>| {
        if seat.four_eyes { DeskAnswer::Proposed(r.map(|_| ())) } else { DeskAnswer::Saved(r) }
    };
    let item = match form.prepare(&intent, &today, &seat.reference) {
        Ok(item) => item,
        Err(problems) => return answer(Err(SaveRefused::Invalid(problems))),
    };
    let ticket = match spool::submit(&seat.data, &Request::Save { form, intent, today }) {
        Ok(t) => t,
        Err(e) => return answer(Err(SaveRefused::Failed(format!("cannot queue the change: {e}")))),
    };
    match spool::wait(&seat.data, &ticket, SPOOL_WAIT) {
        None => DeskAnswer::Queued,
        Some(Outcome::Saved { version }) => answer(Ok((version, Box::new(item)))),
        Some(Outcome::Held) => DeskAnswer::Proposed(Ok(())),
        Some(Outcome::Invalid { problems }) => answer(Err(SaveRefused::Invalid(problems))),
        Some(Outcome::Conflict { conflict }) => answer(Err(SaveRefused::Conflict(conflict))),
        Some(other) => answer(Err(SaveRefused::Failed(refusal_of(other)))),
    }
}

/// An answer that is not the one asked for, in words.
fn refusal_of(outcome: Outcome) -> String {
    match outcome {
        Outcome::Refused { reason } => reason,
        Outcome::Conflict { conflict } => conflict.to_string(),
        Outcome::Invalid { problems } => problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "),
        other => format!("unexpected answer from the service: {other:?}"),
    }
}

fn propose(seat: &Seat, form: &Form, intent: &Intent, today: &str) -> Result<(), SaveRefused> {
    let item = form.prepare(intent, today, &seat.reference).map_err(SaveRefused::Invalid)?;
    let change = Change { who: &seat.who, via: intent.via(form.base == 0), origin: crate::catalogue::edit::ORIGIN };
    let mut store = seat.data.open_write().map_err(|e| SaveRefused::Failed(e.to_string()))?;
    store
        .propose(&item, form.base, &change)
        .map_err(|e| SaveRefused::Failed(e.to_string()))?
        .map_err(SaveRefused::Conflict)
}

fn approve(seat: &Seat, entry: &str) -> Result<i64, String> {
    let mut store = seat.data.open_write().map_err(|e| e.to_string())?;
    let version = store.approve(entry, &seat.who).map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
    seat.data.rebuild(&store, &mut |_, _| {}).map_err(|e| format!("approved, but the index was not rebuilt: {e}"))?;
    Ok(version)
}

fn save(seat: &Seat, form: &Form, intent: &Intent, today: &str) -> Result<(i64, Box<Initiative>), SaveRefused> {
    let item = form.prepare(intent, today, &seat.reference).map_err(SaveRefused::Invalid)?;
    let via = intent.via(form.base == 0);
    let change = Change { who: &seat.who, via, origin: crate::catalogue::edit::ORIGIN };
    let mut store = seat.data.open_write().map_err(|e| SaveRefused::Failed(e.to_string()))?;
    let version = store
        .write_entry(&item, form.base, &change, "")
        .map_err(|e| SaveRefused::Failed(e.to_string()))?
        .map_err(SaveRefused::Conflict)?;
    // The search must show the change: rebuild now (kiosks move to the new generation by
    // themselves). A failed rebuild does not undo the save; it is reported.
    seat.data
        .rebuild(&store, &mut |_, _| {})
        .map_err(|e| SaveRefused::Failed(format!("saved, but the index was not rebuilt: {e}")))?;
    Ok((version, Box::new(item)))
}
