//! The files under `assets/deploy/` are what administrators install: the example
//! configuration must parse with every key, and the units and the sshd snippet must hold the
//! directives the kiosk's safety depends on.

use wic::cli::BrowseArgs;
use wic::config::{FileConfig, Settings};

const CONFIG: &str = include_str!("../assets/deploy/config.toml");
const KIOSK_UNIT: &str = include_str!("../assets/deploy/wic-kiosk@.service");
const SSHD: &str = include_str!("../assets/deploy/sshd_config.d/wic-staff.conf");
const INDEX_UNIT: &str = include_str!("../assets/deploy/wic-index.service");
const INDEX_TIMER: &str = include_str!("../assets/deploy/wic-index.timer");
const SYNC_UNIT: &str = include_str!("../assets/deploy/wic-sync.service");
const SYNC_TIMER: &str = include_str!("../assets/deploy/wic-sync.timer");

#[test]
fn example_config_parses_as_shipped_and_with_every_key_uncommented() {
    let file: FileConfig = toml::from_str(CONFIG).expect("config.toml parses as shipped");
    Settings::resolve(&BrowseArgs::default(), file, None).expect("and resolves");
    // Uncomment `# key = value` lines: every key documented must be a real one.
    let all: String = CONFIG
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest
                    .split_once(" = ")
                    .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_')) =>
            {
                rest
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file: FileConfig = toml::from_str(&all).expect("every documented key is a real key");
    assert!(file.commune.is_some() && file.print_command.is_some() && file.export_dir.is_some());
    let s = Settings::resolve(&BrowseArgs::default(), file, None).unwrap();
    assert_eq!(s.idle_timeout, 90);
    // Every key of FileConfig is documented (serde would accept a file missing some).
    for key in [
        "kiosk",
        "commune",
        "idle_timeout",
        "admin_chord",
        "lang",
        "languages",
        "palette",
        "ascii",
        "mouse",
        "data_dir",
        "print_command",
        "export_dir",
        "osc52",
        "orientation",
        "orientation_en",
    ] {
        assert!(all.lines().any(|l| l.starts_with(&format!("{key} = "))), "{key} is not documented");
    }
}

fn has(text: &str, line: &str) -> bool {
    text.lines().any(|l| l.trim() == line)
}

#[test]
fn kiosk_unit_owns_its_console_and_always_restarts() {
    for line in [
        "TTYPath=/dev/%i",
        "StandardInput=tty",
        "StandardOutput=tty",
        "TTYReset=yes",
        "TTYVHangup=yes",
        "Conflicts=getty@%i.service",
        "Restart=always",
        "RestartSec=2",
        "StartLimitIntervalSec=0",
        "User=wic",
        "Environment=TERM=linux",
        "ExecStart=/usr/local/bin/wic browse --kiosk --data-dir /var/lib/wic",
    ] {
        assert!(has(KIOSK_UNIT, line), "wic-kiosk@.service lacks {line}");
    }
    assert!(
        KIOSK_UNIT.find("StartLimitIntervalSec=0").unwrap() < KIOSK_UNIT.find("[Service]").unwrap(),
        "StartLimitIntervalSec belongs in [Unit]"
    );
}

#[test]
fn sshd_snippet_forces_wic_and_forbids_forwarding() {
    assert!(has(SSHD, "Match Group wic-staff"));
    for line in [
        "ForceCommand /usr/local/bin/wic browse --staff --data-dir /var/lib/wic",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "AllowStreamLocalForwarding no",
        "PermitTTY yes",
        // ~/.ssh/rc would run a shell script of the staff member's own before wic (#18).
        "PermitUserRC no",
    ] {
        assert!(has(SSHD, line), "wic-staff.conf lacks {line}");
    }
}

#[test]
fn nightly_index_rebuild() {
    assert!(has(INDEX_UNIT, "ExecStart=/usr/local/bin/wic index rebuild --data-dir /var/lib/wic"));
    assert!(has(INDEX_TIMER, "OnCalendar=*-*-* 03:30:00"));
    assert!(INDEX_TIMER.contains("index rebuild"), "the cron alternative is documented");
}

#[test]
fn kiosks_sync_every_quarter_hour_and_write_their_reports_and_counters_first() {
    let export =
        "ExecStart=-/usr/local/bin/wic reports export --data-dir /var/lib/wic --output /var/lib/wic/reports-out.jsonl";
    let sync = "ExecStart=/usr/local/bin/wic sync --data-dir /var/lib/wic --config /etc/wic/config.toml";
    let usage = "ExecStart=-/usr/local/bin/wic usage export --data-dir /var/lib/wic --config /etc/wic/config.toml --output /var/lib/wic/usage-out.jsonl";
    assert!(has(SYNC_UNIT, export) && has(SYNC_UNIT, usage) && has(SYNC_UNIT, sync));
    // Reports and counters go out even when the sync fails: their lines come first and may fail.
    assert!(SYNC_UNIT.find(export) < SYNC_UNIT.find(sync) && SYNC_UNIT.find(usage) < SYNC_UNIT.find(sync));
    assert!(has(SYNC_UNIT, "User=wic") && has(SYNC_UNIT, "ReadWritePaths=/var/lib/wic"));
    assert!(has(SYNC_TIMER, "OnUnitActiveSec=15min") && has(SYNC_TIMER, "OnBootSec=2min"));
    assert!(SYNC_TIMER.contains("wic sync"), "the cron alternative is documented");
}

const APPLY_PATH: &str = include_str!("../assets/deploy/wic-apply.path");
const APPLY_UNIT: &str = include_str!("../assets/deploy/wic-apply.service");
const LAYOUT: &str = include_str!("../assets/deploy/wic-layout");

#[test]
fn moderators_changes_are_applied_as_the_service_user_from_the_folder_sessions_queue_into() {
    // The folder the path unit watches is the one sessions queue into.
    let edits = wic::data_dir::DataDir::new("/var/lib/wic").edits_dir();
    assert!(has(APPLY_PATH, &format!("DirectoryNotEmpty={}", edits.display())), "{APPLY_PATH}");
    assert!(has(APPLY_PATH, "Unit=wic-apply.service") && has(APPLY_PATH, "WantedBy=paths.target"));
    let apply = "ExecStart=/usr/local/bin/wic apply --data-dir /var/lib/wic --config /etc/wic/config.toml";
    assert!(has(APPLY_UNIT, apply) && has(APPLY_UNIT, "User=wic") && has(APPLY_UNIT, "NoNewPrivileges=yes"));
    // The layout script makes that folder, in the spool, group-writable; the top is not.
    assert!(LAYOUT.contains(&format!("\"$data/{}/edits\"", wic::data_dir::SPOOL)), "{LAYOUT}");
    assert!(has(
        LAYOUT,
        r#"install -d -o "$user" -g "$staff" -m 2770 "$data/spool" "$data/spool/edits" "$data/spool/listes""#
    ));
    assert!(has(LAYOUT, r#"install -d -o "$user" -g "$group" -m 0755 "$data" "$data/applied""#));
}
