//! The worker thread that carries out slow effects — printing (a printer may take 20 s to
//! time out), writing files — so that the kiosk keeps answering keys meanwhile. Each job
//! carries everything it needs (strings, reference lists, the minute); its outcome comes
//! back on a channel that the runtime drains with its other deadlines.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use chrono::NaiveDateTime;

use super::command::Effect;
use super::effects;
use crate::catalogue::Reference;
use crate::i18n::Strings;
use crate::usage;

/// One effect to carry out, with its context.
pub struct Job {
    pub effect: Effect,
    pub print_command: Option<String>,
    pub reference: Reference,
    pub strings: Strings,
    pub now: NaiveDateTime,
    pub signs: crate::pictogram::Signs,
}

/// What a job gave: the message to show, and what to count when it worked.
pub type Outcome = (Result<String, String>, Option<usage::Event>);

pub struct Worker {
    jobs: Option<Sender<Job>>,
    done: Receiver<Outcome>,
}

impl Worker {
    /// Starts the thread. If the system refuses a thread, jobs run on the caller's thread
    /// instead (slower to answer, never lost).
    pub fn start() -> Worker {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done_rx) = mpsc::channel::<Outcome>();
        let spawned = std::thread::Builder::new().name("effects".into()).spawn(move || {
            for job in job_rx {
                let outcome = run(&job);
                if done_tx.send(outcome).is_err() {
                    break;
                }
            }
        });
        match spawned {
            Ok(_) => Worker { jobs: Some(job_tx), done: done_rx },
            Err(_) => {
                // No worker: a closed channel makes `submit` run jobs inline.
                let (_, done) = mpsc::channel();
                Worker { jobs: None, done }
            }
        }
    }

    /// Hands `job` to the thread; without one, runs it now and returns its outcome.
    pub fn submit(&self, job: Job) -> Option<Outcome> {
        match &self.jobs {
            Some(tx) => match tx.send(job) {
                Ok(()) => None,
                Err(mpsc::SendError(job)) => Some(run(&job)),
            },
            None => Some(run(&job)),
        }
    }

    /// The next finished job, if one is waiting.
    pub fn try_done(&self) -> Option<Outcome> {
        self.done.try_recv().ok()
    }

    /// Waits up to `timeout` for the next finished job.
    pub fn wait_done(&self, timeout: Duration) -> Option<Outcome> {
        self.done.recv_timeout(timeout).ok()
    }
}

fn run(job: &Job) -> Outcome {
    let cx = effects::Context {
        print_command: job.print_command.as_deref(),
        reference: &job.reference,
        strings: &job.strings,
        now: job.now,
        signs: job.signs,
    };
    // Copies never come here (the runtime writes them with its frames): a sink suffices.
    effects::run(&job.effect, &cx, &mut std::io::sink())
}
