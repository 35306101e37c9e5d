//! Process safety (issue #6, items 5–7): the real `wic` binary on a real pseudo-terminal.
//! Signals and hang-ups restore the terminal and end the program with 128+n; a panic on any
//! thread restores the terminal and ends the process at once; a kiosk survives every key a
//! visitor can press. Liveness bounds ("exits within N s") are generous; nothing else is timed.

mod pty;

use std::time::Duration;

use pty::{Pty, Spawn, code, hostile_data_dir};

const START: Duration = Duration::from_secs(20);
const EXIT: Duration = Duration::from_secs(5);

fn browse(
    dir: &std::path::Path,
    extra: &[&str],
    env: Vec<(&'static str, String)>,
    controlling: bool,
    probe: bool,
) -> Pty {
    let mut args = vec!["browse".to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    let pty = Pty::spawn(dir, Spawn { args, env, controlling, probe, ..Default::default() });
    assert!(pty.wait_for("Hauts-de-Seine", START), "the UI never drew its first frame:\n{}", pty.output_text());
    pty
}

/// The terminal is back in cooked mode with echo and signals, and the program left the
/// alternate screen, showed the cursor and turned bracketed paste off.
fn assert_restored(pty: &Pty, what: &str) {
    let lflag = pty.lflags();
    for (flag, name) in [(libc::ICANON, "ICANON"), (libc::ECHO, "ECHO"), (libc::ISIG, "ISIG")] {
        assert!(lflag & flag != 0, "{what}: terminal left without {name} (still in raw mode)");
    }
    // The reader thread may lag the exit by a moment: poll for the restoring sequences.
    for seq in ["\x1b[?1049l", "\x1b[?25h", "\x1b[?2004l"] {
        assert!(pty.wait_for(seq, EXIT), "{what}: {seq:?} never written (terminal not restored)");
    }
}

#[test]
fn signals_restore_the_terminal_and_exit_128_plus_n() {
    let dir = hostile_data_dir();
    for (sig, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGHUP, "SIGHUP"), (libc::SIGINT, "SIGINT")] {
        for kiosk in [false, true] {
            let mode = if kiosk { "--kiosk" } else { "--staff" };
            let mut pty = browse(dir.path(), &[mode], vec![], true, true);
            pty.signal(sig);
            let status = pty.wait_exit(EXIT).unwrap_or_else(|| panic!("{name} ({mode}): still running after 5 s"));
            assert_eq!(code(status), 128 + sig, "{name} ({mode}): exit code");
            assert_restored(&pty, name);
        }
    }
}

#[test]
fn hang_up_with_a_controlling_terminal_exits_quickly() {
    let dir = hostile_data_dir();
    let mut pty = browse(dir.path(), &["--kiosk"], vec![], true, false);
    pty.hang_up();
    let status = pty.wait_exit(Duration::from_secs(2)).expect("still running 2 s after the terminal hung up");
    assert_eq!(code(status), 129, "a hang-up ends like SIGHUP");
}

#[test]
fn hang_up_without_sighup_exits_quickly_instead_of_spinning() {
    // No controlling terminal: the kernel sends no SIGHUP when the master closes, and
    // crossterm 0.29 alone would report input ready forever (100 % CPU, never exiting).
    let dir = hostile_data_dir();
    let mut pty = browse(dir.path(), &["--kiosk"], vec![], false, false);
    pty.hang_up();
    let status = pty.wait_exit(Duration::from_secs(2));
    let spinning = pty.cpu_ticks();
    assert!(status.is_some(), "still running 2 s after the hang-up (CPU ticks used: {spinning:?})");
    assert_eq!(code(status.expect("exited")), 129, "a hang-up ends like SIGHUP");
}

#[test]
fn a_hang_up_keeps_the_usage_counted_before_it() {
    // Staff sessions end this way whenever an SSH link drops: what they counted since the last
    // flush (every 30 s) must still reach usage.db. Without a controlling terminal, the
    // watchdog thread ends the process, not the loop.
    let dir = hostile_data_dir();
    let mut pty = browse(dir.path(), &["--staff"], vec![], false, false);
    let before = pty.output_len();
    pty.send(b"1");
    let deadline = std::time::Instant::now() + START;
    while pty.output_len() == before {
        assert!(std::time::Instant::now() < deadline, "no frame after the key 1");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The next key ends the digit run (a second digit would have made it a number search,
    // #12): the theme opening is counted from here.
    pty.send(b"\x1b[B");
    pty.settle(Duration::from_millis(300), EXIT);
    pty.hang_up();
    let status = pty.wait_exit(Duration::from_secs(5)).expect("still running 5 s after the hang-up");
    assert_eq!(code(status), 129, "a hang-up ends like SIGHUP");
    let conn = wic::usage::open_read(&dir.path().join("usage.db")).expect("usage.db written at the hang-up");
    let rows = wic::usage::read_rows(&conn, "2000-01-01").unwrap();
    assert!(
        rows.iter().any(|r| r.mode == "staff" && r.event == "theme_opened" && r.count == 1),
        "the theme opening is counted: {rows:?}"
    );
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal_and_exits() {
    let dir = hostile_data_dir();
    let mut pty = Pty::spawn(
        dir.path(),
        Spawn {
            args: vec!["browse".into(), "--kiosk".into()],
            env: vec![("WIC_TEST_PANIC", "ui".into())],
            ..Default::default()
        },
    );
    let status = pty.wait_exit(START).expect("a panicking UI must end the process");
    assert_eq!(code(status), 101, "panic exit code");
    assert_restored(&pty, "UI-thread panic");
    assert!(pty.wait_for("injected test panic", EXIT), "the panic message is shown after restoring");
}

#[test]
fn a_panic_on_a_worker_thread_ends_the_whole_process() {
    let dir = hostile_data_dir();
    let mut pty = Pty::spawn(
        dir.path(),
        Spawn {
            args: vec!["browse".into(), "--kiosk".into()],
            env: vec![("WIC_TEST_PANIC", "worker".into())],
            ..Default::default()
        },
    );
    // Without the hook the UI would go on running with a dead thread: a half-alive kiosk.
    let status = pty.wait_exit(START).expect("a worker panic must end the process, not leave a half-alive UI");
    assert_eq!(code(status), 101, "panic exit code");
    assert_restored(&pty, "worker-thread panic");
}

/// The process state letter from /proc (R, S, T = stopped…).
fn proc_state(pid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rfind(')').and_then(|i| stat[i + 2..].chars().next()).unwrap_or('?')
}

#[test]
fn kiosk_keys_and_pastes_never_stop_the_program() {
    let dir = hostile_data_dir();
    let mut pty = browse(dir.path(), &["--kiosk"], vec![], true, true);
    let mut keys: Vec<(&str, Vec<u8>)> = vec![
        ("Ctrl-C", b"\x03".to_vec()),
        ("Ctrl-Z", b"\x1a".to_vec()),
        ("Ctrl-\\", b"\x1c".to_vec()),
        ("Ctrl-D", b"\x04".to_vec()),
        ("q", b"q".to_vec()),
        ("Esc", b"\x1b".to_vec()),
        ("F10", b"\x1b[21~".to_vec()),
        ("paste", b"\x1b[200~exit\r\x03\x1a\x1c; sh -c id\r\x1b[201~".to_vec()),
        ("Esc", b"\x1b".to_vec()),
        ("q", b"q".to_vec()),
    ];
    let fkeys: [&[u8]; 12] = [
        b"\x1bOP",
        b"\x1bOQ",
        b"\x1bOR",
        b"\x1bOS",
        b"\x1b[15~",
        b"\x1b[17~",
        b"\x1b[18~",
        b"\x1b[19~",
        b"\x1b[20~",
        b"\x1b[21~",
        b"\x1b[23~",
        b"\x1b[24~",
    ];
    for (n, f) in fkeys.iter().enumerate() {
        keys.push((["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12"][n], f.to_vec()));
        keys.push(("Esc", b"\x1b".to_vec()));
    }
    keys.push(("Ctrl-C", b"\x03".to_vec()));
    for (name, bytes) in &keys {
        pty.send(bytes);
        pty.settle(Duration::from_millis(150), Duration::from_secs(3));
        assert!(pty.alive(), "the kiosk exited on {name}");
        assert_ne!(proc_state(pty.pid()), 'T', "the kiosk was stopped (job control) by {name}");
    }
    // Still answering: typing shows up on screen.
    let from = pty.output_len();
    pty.send(b"tokosc");
    assert!(pty.wait_for_after(from, "tokosc", Duration::from_secs(5)), "the kiosk no longer answers keys");
    // Only the admin chord leaves.
    pty.send(b"\x18");
    pty.send(b"\x11");
    let status = pty.wait_exit(EXIT).expect("the admin chord (Ctrl-X Ctrl-Q) leaves the kiosk");
    assert_eq!(code(status), 0);
    assert_restored(&pty, "admin chord");
}

/// A huge window (#13, item 24): a 10000x10000 resize once took 7.8 GB, froze the kiosk and
/// ignored SIGTERM. The frame is now capped at 500x200 (centred): the kiosk redraws, goes back
/// to 80x24, its peak memory stays small, and SIGTERM still ends it.
#[test]
fn a_huge_window_is_drawn_capped_and_sigterm_still_ends_the_kiosk() {
    let dir = hostile_data_dir();
    let mut pty = Pty::spawn(dir.path(), Spawn { args: vec!["browse".into(), "--kiosk".into()], ..Default::default() });
    assert!(pty.wait_for("Hauts-de-Seine", START), "the kiosk starts:\n{}", pty.output_text());
    let before = pty.output_len();
    pty.resize(10_000, 10_000);
    assert!(pty.wait_for_after(before, "Hauts-de-Seine", START), "a frame after the huge resize");
    let after = pty.output_len();
    pty.resize(80, 24);
    assert!(pty.wait_for_after(after, "Hauts-de-Seine", START), "a frame back at 80x24");
    assert!(pty.alive(), "still running");
    let peak_mb = pty.peak_rss_kb() / 1024;
    assert!(peak_mb < 200, "peak memory {peak_mb} MB after a 10000x10000 window");
    pty.signal(libc::SIGTERM);
    assert!(pty.wait_exit(EXIT).is_some(), "SIGTERM ends the kiosk");
}
