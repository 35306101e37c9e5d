//! Eight real processes count usage into one `usage.db` at once, each flushing in several
//! batches: the totals are exact and nobody sees "database is locked".
//!
//! The test re-executes its own binary (`current_exe`) with `WIC_USAGE_CHILD` set; in that
//! role it records events into the given file and exits.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use wic::usage::{self, Event, SessionMode, Usage};

const CHILDREN: usize = 8;
const BATCHES: usize = 5;
const PER_BATCH: usize = 60;

fn child(path: &Path, n: usize) {
    // Everyone starts together, so the flushes really collide.
    let go = path.with_file_name("go");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !go.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mode = if n.is_multiple_of(2) { SessionMode::Kiosk } else { SessionMode::Staff };
    let mut u = Usage::new(path, mode);
    for _ in 0..BATCHES {
        for i in 0..PER_BATCH {
            u.record_on("2026-11-29", Event::Search);
            if i.is_multiple_of(3) {
                u.record_on("2026-11-29", Event::ThemeOpened("se-nourrir".into()));
            }
        }
        if let Err(e) = u.flush() {
            eprintln!("child {n}: {e}");
            std::process::exit(3);
        }
    }
}

#[test]
fn eight_processes_count_exactly() {
    if let Ok(spec) = std::env::var("WIC_USAGE_CHILD") {
        let (n, path) = spec.split_once(':').expect("N:PATH");
        child(Path::new(path), n.parse().unwrap());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.db");
    let exe = std::env::current_exe().unwrap();
    let kids: Vec<_> = (0..CHILDREN)
        .map(|n| {
            Command::new(&exe)
                .args(["eight_processes_count_exactly", "--exact", "--test-threads=1", "--nocapture"])
                .env("WIC_USAGE_CHILD", format!("{n}:{}", path.display()))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    std::fs::write(dir.path().join("go"), b"").unwrap();
    for k in kids {
        let out = k.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a child failed: {stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    let rows = usage::read_rows(&usage::open_read(&path).unwrap(), "2026-01-01").unwrap();
    let total = |event: &str| rows.iter().filter(|r| r.event == event).map(|r| r.count).sum::<u64>();
    assert_eq!(total("search"), (CHILDREN * BATCHES * PER_BATCH) as u64);
    assert_eq!(total("theme_opened"), (CHILDREN * BATCHES * PER_BATCH.div_ceil(3)) as u64);
    let kiosk: u64 = rows.iter().filter(|r| r.mode == "kiosk" && r.event == "search").map(|r| r.count).sum();
    assert_eq!(kiosk, (CHILDREN / 2 * BATCHES * PER_BATCH) as u64);
}
