//! Who may write what in a data directory, and what on disk is looser than that: the check
//! behind `wic doctor`'s permission lines (SECURITY.md, "The data directory").
//!
//! A *shared* data directory (one with `spool/`, laid out by `assets/deploy/wic-layout`)
//! belongs to the service user: only it writes the catalogue, the index and the answers to
//! queued changes. Staff sessions write only under `spool/`, through the staff group (the
//! group of `spool/`). So, outside `spool/`, anything writable by a group or by everyone, or
//! owned by another account than the service, is a hole; inside, the folders must be
//! group-writable with setgid (else staff sessions lose their figures), and nothing may be
//! writable by everyone. A single-user data directory (no `spool/`) is only checked for
//! files anyone could write.
//!
//! Only reads: `symlink_metadata` everywhere, so a link is judged as a link and never
//! followed out of the directory.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;

use crate::data_dir::DataDir;
use crate::identity::Account;

/// Walks at most this many entries (a data directory holds a few dozen).
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Anyone on the machine can write it.
    WritableByEveryone { path: PathBuf, mode: u32 },
    /// Outside the spool, a group can write it.
    WritableByGroup { path: PathBuf, mode: u32, group: String },
    /// Outside the spool, owned by another account than the service (a rebuild run as root
    /// leaves such files, which the service can then neither replace nor remove).
    NotTheService { path: PathBuf, owner: String },
    /// A folder of the spool that staff sessions cannot write into (or without setgid, so
    /// files made there would not be readable by the service through the group).
    SpoolClosed { path: PathBuf, mode: u32 },
    /// The service user is not in the staff group: it cannot read what sessions write.
    ServiceOutsideGroup { group: String },
    /// Usage figures or reports of an older layout, left at the top beside the spool.
    LeftAtTop { path: PathBuf },
}

/// The verdict on one data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// Whether it is laid out for several accounts (it has a `spool/`).
    pub shared: bool,
    /// The service account: the owner of the data directory.
    pub service: String,
    /// The staff group: the group of `spool/`.
    pub staff_group: Option<String>,
    pub findings: Vec<Finding>,
}

/// Audits `data` (which must exist).
pub fn audit(data: &DataDir) -> std::io::Result<Audit> {
    let root = std::fs::symlink_metadata(&data.root)?;
    let service = Account::of(root.uid());
    let spool = data.spool_dir();
    let spool_meta = std::fs::symlink_metadata(&spool).ok().filter(|m| m.is_dir());
    let shared = spool_meta.is_some();
    let staff_gid = spool_meta.as_ref().map(|m| m.gid());
    let staff_group = staff_gid.map(group_name);
    let mut findings = Vec::new();
    let mut todo = vec![data.root.clone()];
    let mut seen = 0;
    while let Some(path) = todo.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        seen += 1;
        if seen > MAX_ENTRIES {
            break;
        }
        let mode = meta.permissions().mode() & 0o7777;
        let is_link = meta.file_type().is_symlink();
        let in_spool = shared && path.starts_with(&spool);
        // A link's own mode is always 0777 and means nothing; what it points to is judged
        // where it lives.
        if !is_link && mode & 0o002 != 0 {
            findings.push(Finding::WritableByEveryone { path: path.clone(), mode });
        } else if shared && !in_spool && !is_link {
            if mode & 0o020 != 0 {
                findings.push(Finding::WritableByGroup { path: path.clone(), mode, group: group_name(meta.gid()) });
            }
            if meta.uid() != service.uid {
                findings.push(Finding::NotTheService { path: path.clone(), owner: Account::of(meta.uid()).name });
            }
        } else if in_spool && meta.is_dir() && (mode & 0o2070 != 0o2070 || Some(meta.gid()) != staff_gid) {
            findings.push(Finding::SpoolClosed { path: path.clone(), mode });
        }
        if meta.is_dir()
            && !is_link
            && let Ok(entries) = std::fs::read_dir(&path)
        {
            let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            children.sort();
            // Reversed onto the stack, so the report comes in name order.
            todo.extend(children.into_iter().rev());
        }
    }
    if shared {
        for name in ["usage.db", "reports.db"] {
            let left = data.root.join(name);
            if left.exists() {
                findings.push(Finding::LeftAtTop { path: left });
            }
        }
        // Root reads everything anyway: a layout owned by root needs no group for that.
        if let Some(group) = &staff_group
            && service.uid != 0
            && !service.groups.contains(group)
        {
            findings.push(Finding::ServiceOutsideGroup { group: group.clone() });
        }
    }
    Ok(Audit { shared, service: service.name, staff_group, findings })
}

fn group_name(gid: u32) -> String {
    crate::identity::group_name(gid).unwrap_or_else(|| format!("gid:{gid}"))
}

/// `0o2770` as `2770`, the way chmod takes it.
pub fn octal(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn set(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn a_single_user_directory_is_only_checked_for_files_anyone_can_write() {
        let dir = tempfile::tempdir().expect("tmp");
        let data = DataDir::new(dir.path());
        std::fs::write(dir.path().join("catalogue.db"), b"").expect("w");
        set(dir.path(), 0o775);
        set(&dir.path().join("catalogue.db"), 0o664);
        let a = audit(&data).expect("audit");
        assert!(!a.shared);
        assert_eq!(a.findings, vec![]);
        set(&dir.path().join("catalogue.db"), 0o666);
        let a = audit(&data).expect("audit");
        assert_eq!(
            a.findings,
            vec![Finding::WritableByEveryone { path: dir.path().join("catalogue.db"), mode: 0o666 }]
        );
    }

    #[test]
    fn a_shared_directory_names_what_a_group_can_write_outside_the_spool() {
        let dir = tempfile::tempdir().expect("tmp");
        let data = DataDir::new(dir.path());
        std::fs::create_dir_all(data.edits_dir()).expect("spool");
        std::fs::write(dir.path().join("catalogue.db"), b"").expect("w");
        std::fs::write(data.spool_dir().join("usage.db"), b"").expect("w");
        set(dir.path(), 0o755);
        set(&dir.path().join("catalogue.db"), 0o644);
        set(&data.spool_dir(), 0o2770);
        set(&data.edits_dir(), 0o2770);
        set(&data.spool_dir().join("usage.db"), 0o660);
        let a = audit(&data).expect("audit");
        assert!(a.shared);
        assert_eq!(a.findings, vec![], "the layout of wic-layout is clean");

        set(dir.path(), 0o775);
        set(&dir.path().join("catalogue.db"), 0o664);
        set(&data.edits_dir(), 0o750);
        std::fs::write(dir.path().join("usage.db"), b"").expect("w");
        set(&dir.path().join("usage.db"), 0o644);
        let a = audit(&data).expect("audit");
        let group = a.findings.iter().filter(|f| matches!(f, Finding::WritableByGroup { .. })).count();
        assert_eq!(group, 2, "{:?}", a.findings);
        assert!(a.findings.contains(&Finding::SpoolClosed { path: data.edits_dir(), mode: 0o750 }));
        assert!(a.findings.contains(&Finding::LeftAtTop { path: dir.path().join("usage.db") }));
    }
}
