//! The history of one entry across import → `wic edit` → import → import --overwrite-edits →
//! `wic revert`, through the real binary: every change recorded with who, how and where from;
//! an import never silently undoes a moderator's edit; `wic edit` re-opens the file with the
//! problems until it is valid.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use common::{Run, TestDir};

const CSV: &str = "id,name,summary,themes,commune,updated,source\n\
                   essai-wic,Épicerie d'essai,Une épicerie pour l'essai,se-nourrir,Nanterre,2026-01-10,https://exemple.org\n";

/// An editor for `wic edit`: the first time it writes a bad e-mail; once the file comes back
/// with problems at its top (`# ! `), it writes a phone number and removes the e-mail.
const EDITOR: &str = r#"#!/bin/sh
f="$1"
if grep -q '^# ! ' "$f"; then
  sed -i -e 's/^email = .*/email = ""/' -e 's/^phone = .*/phone = "01 47 29 00 00"/' "$f"
else
  sed -i 's/^email = .*/email = "pas-une-adresse"/' "$f"
fi
"#;

fn wic_with_editor(dir: &TestDir, editor: &std::path::Path, args: &[&str]) -> Run {
    let data = dir.data().display().to_string();
    let mut all = vec!["--data-dir", data.as_str()];
    all.extend(args);
    let out = Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(&all)
        .current_dir(dir.tmp.path())
        .env("EDITOR", editor)
        .env_remove("VISUAL")
        .env("TMPDIR", dir.tmp.path())
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("run wic");
    Run {
        args: all.iter().map(|s| s.to_string()).collect(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_history_of_one_entry_across_import_edit_import_and_revert() {
    let dir = TestDir::new();
    let csv = dir.file("a.csv", CSV);
    let csv = csv.display().to_string();
    dir.wic(&["import", &csv]).assert_code(0);

    let editor = dir.file("editor.sh", EDITOR);
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let edit = wic_with_editor(&dir, &editor, &["edit", "essai-wic"]);
    edit.assert_code(0);
    assert!(edit.stderr.contains("email"), "the problem was said: {}", edit.stderr);
    assert!(edit.stdout.contains("version 2"), "{}", edit.stdout);
    assert_eq!(dir.exported("essai-wic")["phone"], "01 47 29 00 00");

    // The same file again: the moderator's phone stays, and the import says so.
    let again = dir.wic(&["import", &csv]);
    again.assert_code(0);
    assert!(again.stdout.contains("essai-wic") && again.stdout.contains("gardée"), "{}", again.stdout);
    assert!(again.stdout.contains("phone"), "{}", again.stdout);
    assert_eq!(dir.exported("essai-wic")["phone"], "01 47 29 00 00");

    // Forced: the file wins, recorded as such.
    dir.wic(&["import", "--overwrite-edits", &csv]).assert_code(0);
    assert_eq!(dir.exported("essai-wic")["phone"], "");

    let history = dir.wic(&["history", "essai-wic"]);
    history.assert_code(0);
    let lines: Vec<&str> = history.stdout.lines().filter(|l| l.starts_with('v')).collect();
    assert_eq!(lines.len(), 3, "{}", history.stdout);
    assert!(lines[0].starts_with("v1") && lines[0].contains("import") && lines[0].contains("a.csv"));
    assert!(lines[1].starts_with("v2") && lines[1].contains(" edit ") && lines[1].contains("wic edit"));
    assert!(lines[2].starts_with("v3") && lines[2].contains("import") && lines[2].contains("replaces the change"));
    assert!(history.stdout.contains("phone: ∅ → 01 47 29 00 00"), "{}", history.stdout);

    // Back to the moderator's version: itself a change in the history.
    dir.wic(&["revert", "essai-wic", "--to", "2"]).assert_code(0);
    assert_eq!(dir.exported("essai-wic")["phone"], "01 47 29 00 00");
    let json = dir.wic(&["history", "essai-wic", "--json"]).json();
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 4);
    assert_eq!(changes[3]["via"], "revert");
    assert_eq!(changes[3]["note"], "to version 2");

    // Unknown ids and versions are input errors.
    dir.wic(&["history", "nimporte-quoi"]).assert_code(2);
    dir.wic(&["revert", "essai-wic", "--to", "99"]).assert_code(2);
}

#[test]
fn an_unchanged_edit_writes_nothing() {
    let dir = TestDir::new();
    let csv = dir.file("a.csv", CSV);
    dir.wic(&["import", &csv.display().to_string()]).assert_code(0);
    let editor = dir.file("true.sh", "#!/bin/sh\nexit 0\n");
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = wic_with_editor(&dir, &editor, &["edit", "essai-wic"]);
    run.assert_code(0);
    assert!(run.stdout.contains("Rien de changé"), "{}", run.stdout);
    let history = dir.wic(&["history", "essai-wic", "--json"]).json();
    assert_eq!(history["changes"].as_array().unwrap().len(), 1);
}
