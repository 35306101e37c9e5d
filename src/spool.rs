//! The spool: how a moderator's change crosses from a staff session, which may not write the
//! catalogue, to the `wic` service account, which may (SECURITY.md, "The data directory").
//!
//! On an installation the data directory belongs to the service user; staff sessions run as
//! their own accounts and may write only `<data>/spool/`. A moderator's save becomes one
//! request file in `spool/edits/`; `wic apply`, run as the service user (by `wic-apply.path`
//! as soon as that folder is not empty), checks and applies each request and rebuilds the
//! index once, then writes its answer into `<data>/applied/`, which only the service may write
//! and the waiting session reads.
//!
//! Who made a request is the file's owner, which the kernel sets: a request never says who
//! it is from, so nobody can write one in another's name. The service checks that owner
//! against `moderators` in its own configuration, validates the form as an import would, and
//! writes through [`Store::write_entry`]'s version check, exactly as a direct save does.

use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::catalogue::edit::{self, Form, Intent};
use crate::catalogue::{Change, Problem, Store, VersionConflict};
use crate::data_dir::{DataDir, DataError};
use crate::identity::Account;

/// A request larger than this is not a form (a form is a few kilobytes).
const MAX_REQUEST: u64 = 1 << 20;
/// How often a waiting session looks for its answer.
const POLL: Duration = Duration::from_millis(100);
/// Answers older than this are removed by the next `wic apply`.
const KEEP_ANSWERS: Duration = Duration::from_secs(24 * 3600);

/// What a staff session asks the service to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
pub enum Request {
    /// Save the form with `intent` (held for a second moderator under four eyes).
    Save { form: Form, intent: Intent, today: String },
    /// Four eyes: approve the change held for `entry`.
    Approve { entry: String },
}

/// What the service did with a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Saved {
        version: i64,
    },
    /// Four eyes: held until a second moderator approves it.
    Held,
    Approved {
        version: i64,
    },
    Invalid {
        problems: Vec<Problem>,
    },
    Conflict {
        conflict: VersionConflict,
    },
    /// Not a moderator, a malformed request, nothing to approve, the store failed…
    Refused {
        reason: String,
    },
}

/// A request handed over: its file name, the same in `spool/edits/` and `applied/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket(pub String);

/// Writes `request` into the spool. The file is written beside the queue and renamed into it,
/// so the service never reads half a request; it is created new (never over another file).
pub fn submit(data: &DataDir, request: &Request) -> io::Result<Ticket> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let millis = chrono::Utc::now().timestamp_millis();
    let name = format!("{millis}-{}-{}.json", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let tmp = data.spool_dir().join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec(request).map_err(io::Error::other)?;
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o660)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, data.edits_dir().join(&name))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| Ticket(name))
}

/// The service's answer to `ticket`, if it has written one.
pub fn answer(data: &DataDir, ticket: &Ticket) -> Option<Outcome> {
    let text = std::fs::read(data.applied_dir().join(&ticket.0)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Waits up to `timeout` for the answer to `ticket`; `None`: the service has not answered
/// (not running, or busy): the request stays queued and will be applied when it runs.
pub fn wait(data: &DataDir, ticket: &Ticket, timeout: Duration) -> Option<Outcome> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = answer(data, ticket) {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// One request the service handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub ticket: Ticket,
    /// The account that owns the request file.
    pub who: String,
    pub outcome: Outcome,
}

/// What `wic apply` is told by its configuration.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub moderators: Vec<String>,
    pub four_eyes: bool,
}

/// The service's side: applies every queued request, oldest first, rebuilds the index once if
/// anything changed, then writes each answer and removes each request. A request that cannot
/// be read or is refused still gets an answer and leaves the queue, so the queue always ends
/// empty (the path unit would start again and again otherwise).
pub fn apply_all(data: &DataDir, policy: &Policy) -> Result<Vec<Applied>, DataError> {
    let mut names: Vec<String> = match std::fs::read_dir(data.edits_dir()) {
        Ok(dir) => dir.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string)).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(DataError::Io { path: data.edits_dir(), source }),
    };
    // Names start with the time in milliseconds: sorted, they are in the order made.
    names.sort();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut store = data.open_write()?;
    let mut done = Vec::new();
    let mut changed = false;
    for name in names {
        let path = data.edits_dir().join(&name);
        let (who, outcome) = match read_request(&path) {
            Ok((uid, request)) => {
                let who = Account::of(uid);
                let outcome = if who.is_in(&policy.moderators) {
                    apply(&mut store, &who.name, request, policy)
                } else {
                    Outcome::Refused { reason: format!("{} is not a moderator on this machine", who.name) }
                };
                (who.name, outcome)
            }
            Err(reason) => (String::new(), Outcome::Refused { reason }),
        };
        changed |= matches!(outcome, Outcome::Saved { .. } | Outcome::Approved { .. });
        done.push(Applied { ticket: Ticket(name), who, outcome });
    }
    // The session is told "saved" once the search shows it.
    let rebuilt = if changed { data.rebuild(&store, &mut |_, _| {}).map(|_| ()) } else { Ok(()) };
    std::fs::create_dir_all(data.applied_dir()).map_err(|source| DataError::Io { path: data.applied_dir(), source })?;
    for a in &done {
        write_answer(&data.applied_dir(), &a.ticket.0, &a.outcome)
            .map_err(|source| DataError::Io { path: data.applied_dir().join(&a.ticket.0), source })?;
        let _ = std::fs::remove_file(data.edits_dir().join(&a.ticket.0));
    }
    prune_answers(&data.applied_dir());
    rebuilt?;
    Ok(done)
}

/// The owner and the request of one queued file. Only a regular file is read (a symlink is
/// refused: it would let a session point the service at any file it can read).
fn read_request(path: &Path) -> Result<(u32, Request), String> {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot read the request: {e}"))?;
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("the request is not a regular file".into());
    }
    if meta.len() > MAX_REQUEST {
        return Err(format!("the request is {} bytes, more than a form can be", meta.len()));
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    let request = serde_json::from_slice(&bytes).map_err(|e| format!("malformed request: {e}"))?;
    Ok((meta.uid(), request))
}

fn apply(store: &mut Store, who: &str, request: Request, policy: &Policy) -> Outcome {
    let refused = |e: &dyn std::fmt::Display| Outcome::Refused { reason: e.to_string() };
    match request {
        Request::Save { form, intent, today } => {
            let reference = match store.reference() {
                Ok(r) => r,
                Err(e) => return refused(&e),
            };
            let item = match form.prepare(&intent, &today, &reference) {
                Ok(item) => item,
                Err(problems) => return Outcome::Invalid { problems },
            };
            let change = Change { who, via: intent.via(form.base == 0), origin: edit::ORIGIN };
            if policy.four_eyes {
                return match store.propose(&item, form.base, &change) {
                    Ok(Ok(())) => Outcome::Held,
                    Ok(Err(conflict)) => Outcome::Conflict { conflict },
                    Err(e) => refused(&e),
                };
            }
            match store.write_entry(&item, form.base, &change, "") {
                Ok(Ok(version)) => Outcome::Saved { version },
                // The same person's identical change already went in: a request applied by a
                // run that stopped before answering, queued again. It is saved, not refused.
                Ok(Err(conflict))
                    if conflict.who == who && store.get(&item.id).ok().flatten().as_ref() == Some(&item) =>
                {
                    Outcome::Saved { version: conflict.current }
                }
                Ok(Err(conflict)) => Outcome::Conflict { conflict },
                Err(e) => refused(&e),
            }
        }
        Request::Approve { entry } => match store.approve(&entry, who) {
            Ok(Ok(version)) => Outcome::Approved { version },
            Ok(Err(refusal)) => refused(&refusal),
            Err(e) => refused(&e),
        },
    }
}

/// Writes an answer readable by the session waiting for it (the data directory's files are
/// public; the answer says no more than the history will).
fn write_answer(dir: &Path, name: &str, outcome: &Outcome) -> io::Result<()> {
    let bytes = serde_json::to_vec(outcome).map_err(io::Error::other)?;
    crate::whole_file::write(&dir.join(name), &bytes, Some(0o644))
}

fn prune_answers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let old = |p: &PathBuf| {
        std::fs::metadata(p).and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > KEEP_ANSWERS))
    };
    for p in entries.flatten().map(|e| e.path()).filter(old) {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_answers_round_trip_as_json() {
        let form = Form::new_entry("2026-12-02");
        let r = Request::Save { form, intent: Intent::Check, today: "2026-12-02".into() };
        let text = serde_json::to_string(&r).expect("json");
        assert!(text.starts_with(r#"{"request":"save""#), "{text}");
        assert_eq!(serde_json::from_str::<Request>(&text).expect("back"), r);
        let o = Outcome::Refused { reason: "x".into() };
        assert_eq!(serde_json::from_str::<Outcome>(&serde_json::to_string(&o).unwrap()).unwrap(), o);
    }
}
