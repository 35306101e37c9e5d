//! Licences of what we ship (#18, item 6). Every crate in `Cargo.lock` must be usable under
//! a licence of [`ALLOWED`] (an SPDX expression is read properly: `A OR B` needs one of them,
//! `A AND B` both). And no file of `../shared/conformance` or `../shared/data/examples` — test
//! cases and examples written by other projects, under their own licences — may be copied
//! into the repository: tests read them where they are.
//!
//! `cargo metadata` reads the licences from the crates the build fetched (and from the
//! registry for crates of other platforms it did not need). `cargo deny` would do the first
//! half too, but is not installable offline here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Permissive licences (and MPL-2.0, file-level copyleft, which a binary may include
/// unmodified). No GPL or LGPL-only crate may enter.
const ALLOWED: &[&str] = &[
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "zlib-acknowledgement",
    "0BSD",
    "BSL-1.0",
    "CC0-1.0",
    "Unlicense",
    "WTFPL",
    "MPL-2.0",
    "Unicode-DFS-2016",
    "Unicode-3.0",
    // webpki-roots (through ureq, for `wic sync` over HTTPS): Mozilla's list of root
    // certificates, as data under the Linux Foundation's permissive data licence (use, change
    // and share; keep the licence text). No copyleft.
    "CDLA-Permissive-2.0",
];

/// Whether an SPDX expression (also the old `A/B` form) allows us to ship the crate.
fn allowed(expression: &str) -> bool {
    let spaced = expression.replace('/', " OR ").replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut at = 0;
    parse_or(&tokens, &mut at) && at == tokens.len()
}

fn parse_or(t: &[&str], at: &mut usize) -> bool {
    let mut ok = parse_and(t, at);
    while t.get(*at) == Some(&"OR") {
        *at += 1;
        ok |= parse_and(t, at);
    }
    ok
}

fn parse_and(t: &[&str], at: &mut usize) -> bool {
    let mut ok = parse_one(t, at);
    while t.get(*at) == Some(&"AND") {
        *at += 1;
        ok &= parse_one(t, at);
    }
    ok
}

fn parse_one(t: &[&str], at: &mut usize) -> bool {
    match t.get(*at) {
        Some(&"(") => {
            *at += 1;
            let ok = parse_or(t, at);
            if t.get(*at) == Some(&")") {
                *at += 1;
            }
            ok
        }
        Some(id) => {
            *at += 1;
            let mut licence = id.to_string();
            if t.get(*at) == Some(&"WITH") {
                licence = format!("{licence} WITH {}", t.get(*at + 1).unwrap_or(&""));
                *at += 2;
            }
            ALLOWED.contains(&licence.as_str())
        }
        None => false,
    }
}

#[test]
fn the_expression_reader_follows_spdx() {
    assert!(allowed("MIT OR Apache-2.0"));
    assert!(allowed("Apache-2.0/MIT"));
    assert!(allowed("(MIT OR Apache-2.0) AND Unicode-3.0"));
    assert!(allowed("MIT OR Apache-2.0 OR LGPL-2.1-or-later"), "one allowed choice is enough");
    assert!(!allowed("GPL-3.0-only"));
    assert!(!allowed("MIT AND GPL-2.0-only"), "AND needs both");
    assert!(!allowed("(MIT OR Apache-2.0) AND LGPL-2.1-only"));
    assert!(!allowed(""));
}

#[test]
fn every_dependency_has_an_allowed_licence() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let metadata = |extra: &[&str]| {
        Command::new(&cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs")
    };
    // Offline first (what the build fetched); crates of other platforms (windows-sys…) may
    // not have been fetched by a Linux build: then from the registry, which CI can reach.
    let mut out = metadata(&["--offline"]);
    if !out.status.success() {
        out = metadata(&[]);
    }
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let packages = meta["packages"].as_array().expect("packages");
    assert!(packages.len() > 100, "the whole lock file is read ({} packages)", packages.len());
    let mut refused = Vec::new();
    for p in packages {
        // Our own crates (no registry source) are ours to license.
        if p["source"].is_null() {
            continue;
        }
        let licence = p["license"].as_str().unwrap_or("");
        if !allowed(licence) {
            refused.push(format!("{} {}: {licence:?}", p["name"], p["version"]));
        }
    }
    assert!(refused.is_empty(), "licences outside the allowed list:\n{}", refused.join("\n"));
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name();
        if path.is_dir() {
            // Build output and git's own store are not the repository's files.
            if name == "target" || name == ".git" {
                continue;
            }
            files_under(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

#[test]
fn no_file_of_the_shared_conformance_or_examples_is_copied_into_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared: Vec<PathBuf> =
        ["../shared/conformance", "../shared/data/examples"].iter().map(|d| root.join(d)).collect();
    if !shared.iter().any(|d| d.is_dir()) {
        eprintln!("skipped: ../shared is absent beside this clone (CI has it)");
        return;
    }
    // Their files by content (README files of a few lines could match by chance: from 200 bytes).
    let mut theirs: HashMap<Vec<u8>, PathBuf> = HashMap::new();
    for d in &shared {
        let mut files = Vec::new();
        files_under(d, &mut files);
        for f in files {
            if let Ok(bytes) = std::fs::read(&f)
                && bytes.len() >= 200
            {
                theirs.insert(bytes, f);
            }
        }
    }
    assert!(!theirs.is_empty(), "the shared files were read");
    let mut ours = Vec::new();
    files_under(root, &mut ours);
    let copies: Vec<String> = ours
        .iter()
        .filter_map(|f| {
            let bytes = std::fs::read(f).ok()?;
            theirs.get(&bytes).map(|s| format!("{} is a copy of {}", f.display(), s.display()))
        })
        .collect();
    assert!(copies.is_empty(), "{}", copies.join("\n"));
}
