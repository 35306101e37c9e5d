//! The layers of `docs/ARCHITECTURE.md`, checked: every `crate::…` path written in `src/`
//! names a module its own module may depend on. A new edge that the architecture forbids
//! (the interface reaching into the command line, the catalogue into the interface…) fails
//! here with the file and line, before it sets.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules that may not be named from `from`: (from, forbidden targets).
const FORBIDDEN: &[(&str, &[&str])] = &[
    // The interface knows nothing of the command line or of the commands that launch it.
    ("ui", &["cli", "commands", "bench"]),
    // The catalogue and the search layer are the bottom: no interface, no commands.
    ("catalogue", &["ui", "cli", "commands", "search", "bench", "shortlist", "config", "usage"]),
    ("search", &["ui", "cli", "commands", "bench", "shortlist", "config", "usage"]),
    // Helpers used by every layer depend on none of the upper ones.
    ("text", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage", "i18n"]),
    ("i18n", &["ui", "cli", "commands", "catalogue", "search", "bench"]),
    ("terminal_env", &["ui", "cli", "commands", "catalogue", "search", "bench"]),
    ("day", &["ui", "cli", "commands", "catalogue", "search", "bench"]),
    ("hours", &["ui", "cli", "commands", "search", "bench"]),
    ("geo", &["ui", "cli", "commands", "search", "bench"]),
    ("shortlist", &["ui", "cli", "commands", "bench"]),
    ("usage", &["ui", "cli", "commands", "bench"]),
    ("mark", &["ui", "cli", "commands", "bench"]),
    ("orientation", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage"]),
    ("kiosk", &["ui", "cli", "commands", "bench"]),
    // Who is running, and what visitors reported: leaves the catalogue and the interface use.
    ("identity", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage", "i18n"]),
    // The review queue: catalogue, reports and the freshness rule of `mark`, read by the desk.
    ("review", &["ui", "cli", "commands", "bench"]),
    ("reports", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage"]),
    // A theme's sign, and running the speech command: leaves the interface and the pages use.
    // Writing a file whole: a leaf, for any layer that writes files others read.
    ("whole_file", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage", "i18n"]),
    ("pictogram", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage", "i18n"]),
    ("speech", &["ui", "cli", "commands", "catalogue", "search", "bench", "shortlist", "config", "usage"]),
    ("data_dir", &["ui", "cli", "commands", "bench"]),
    // The spool (a moderator's change queued for the service) and the permission audit of a
    // data directory: above the catalogue and the data directory, below the interface and
    // the commands that use them; no configuration file (the command resolves it).
    ("spool", &["ui", "cli", "commands", "bench", "search", "shortlist", "config", "usage", "i18n"]),
    ("permissions", &["ui", "cli", "commands", "bench", "catalogue", "search", "shortlist", "config", "usage", "i18n"]),
    // The fleet (keys, bundles, fetching, sync) writes the catalogue; it knows no interface,
    // no command line, no configuration file (the command resolves those) and no search.
    ("fleet", &["ui", "cli", "commands", "bench", "search", "shortlist", "config", "usage", "i18n"]),
    ("synth", &["ui", "cli", "commands", "bench"]),
    // The command line is raw flags: it names no layer that acts.
    ("cli", &["ui", "commands", "bench"]),
    ("config", &["ui", "commands", "bench"]),
];

/// Crates a module may not use at all: the catalogue knows no clap.
const FORBIDDEN_CRATES: &[(&str, &[&str])] =
    &[("catalogue", &["clap"]), ("search", &["clap"]), ("ui", &["clap"]), ("fleet", &["clap"])];

/// The top module a file of `src/` belongs to (`src/ui/view/home.rs` → `ui`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top modules that `line` names through `crate::…`, and the crates it names.
fn names(line: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let code = line.split("//").next().unwrap_or("");
    let mut modules = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        // `wic_crate::` or `some_crate::` are not ours.
        if code[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            modules.insert(name);
        }
        // `use crate::{a, b::c}`
        if let Some(group) = rest.strip_prefix('{') {
            for part in group.split([',', '}']) {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    modules.insert(name);
                }
            }
        }
    }
    let mut crates = BTreeSet::new();
    for krate in ["clap"] {
        if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
            crates.insert(krate.to_string());
        }
    }
    (modules, crates)
}

/// Every forbidden edge in the tree under `src`, as `file:line: from → to`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let from = module_of(src, &file);
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        let forbidden: &[&str] = FORBIDDEN.iter().find(|(m, _)| *m == from).map_or(&[], |(_, f)| f);
        let no_crates: &[&str] = FORBIDDEN_CRATES.iter().find(|(m, _)| *m == from).map_or(&[], |(_, f)| f);
        for (n, line) in text.lines().enumerate() {
            let (modules, crates) = names(line);
            for m in modules.iter().filter(|m| forbidden.contains(&m.as_str())) {
                out.push(format!("{}:{}: {from} → {m}", file.display(), n + 1));
            }
            for c in crates.iter().filter(|c| no_crates.contains(&c.as_str())) {
                out.push(format!("{}:{}: {from} uses the crate {c}", file.display(), n + 1));
            }
        }
    }
    out
}

#[test]
fn src_has_no_forbidden_edge() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "edges docs/ARCHITECTURE.md forbids:\n{}", found.join("\n"));
}

/// The checker itself finds an edge it must refuse: the interface naming the command line.
#[test]
fn the_checker_sees_an_interface_that_imports_the_command_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ui = tmp.path().join("ui");
    std::fs::create_dir_all(&ui).expect("mkdir");
    std::fs::write(ui.join("mod.rs"), "use crate::cli::BrowseArgs;\nuse crate::{text, commands::Failure};\n")
        .expect("write");
    std::fs::write(tmp.path().join("catalogue.rs"), "#[derive(clap::ValueEnum)]\n// crate::ui in a comment\n")
        .expect("write");
    let found = violations(tmp.path());
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].ends_with("catalogue uses the crate clap"), "{found:?}");
    assert!(found[1].ends_with("mod.rs:1: ui → cli"), "{found:?}");
    assert!(found[2].ends_with("mod.rs:2: ui → commands"), "{found:?}");
}
