//! Who is running this process, as the kernel says: the Unix account of the real user id and
//! the groups the process holds. This is the identity written in the history and checked
//! against the configuration's `moderators`. It is never typed and never read from `$USER`,
//! `$LOGNAME` or any other variable a session could set: over SSH, sshd has already switched
//! to the account the key belongs to, and that is what `getuid(2)` returns.

use std::ffi::CStr;

/// The account running this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub uid: u32,
    /// The login name, or `uid:N` when the password database has no entry for it (a
    /// container's numeric user).
    pub name: String,
    /// Names of the groups the process holds (primary and supplementary).
    pub groups: Vec<String>,
}

impl Account {
    /// The account of this process.
    pub fn current() -> Account {
        // SAFETY: getuid, getgid and getgroups have no preconditions.
        let uid = unsafe { libc::getuid() };
        let gid = unsafe { libc::getgid() };
        let name = user_name(uid).unwrap_or_else(|| format!("uid:{uid}"));
        let mut gids = vec![gid];
        let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
        if n > 0 {
            let mut buf = vec![0 as libc::gid_t; n as usize];
            // SAFETY: buf holds n entries, the size we pass.
            let got = unsafe { libc::getgroups(n, buf.as_mut_ptr()) };
            if got > 0 {
                buf.truncate(got as usize);
                gids.extend(buf);
            }
        }
        gids.sort_unstable();
        gids.dedup();
        let groups = gids.into_iter().filter_map(group_name).collect();
        Account { uid, name, groups }
    }

    /// The account `uid`, as the password and group databases say: what the `wic` service
    /// reads from the owner of a file a staff session queued (the kernel sets a file's
    /// owner; nobody can write a file in another's name). Groups: primary and supplementary.
    pub fn of(uid: u32) -> Account {
        let Some((name, gid)) = user_entry(uid) else {
            return Account { uid, name: format!("uid:{uid}"), groups: Vec::new() };
        };
        let mut gids = vec![0 as libc::gid_t; 256];
        let mut n = gids.len() as libc::c_int;
        let c_name = std::ffi::CString::new(name.clone()).unwrap_or_default();
        // SAFETY: c_name is NUL-terminated; gids holds n entries, the size we pass, and
        // getgrouplist writes at most n (it returns -1 and sets n when more are needed).
        let rc = unsafe { libc::getgrouplist(c_name.as_ptr(), gid, gids.as_mut_ptr(), &mut n) };
        if rc < 0 && n > gids.len() as libc::c_int {
            gids.resize(n as usize, 0);
            // SAFETY: as above, with the size getgrouplist asked for.
            unsafe { libc::getgrouplist(c_name.as_ptr(), gid, gids.as_mut_ptr(), &mut n) };
        }
        gids.truncate(n.max(0) as usize);
        gids.push(gid);
        gids.sort_unstable();
        gids.dedup();
        Account { uid, name, groups: gids.into_iter().filter_map(group_name).collect() }
    }

    /// Whether this account is named in `list`: a user name, or `@group` for a group it holds.
    pub fn is_in(&self, list: &[String]) -> bool {
        list.iter().any(|entry| match entry.strip_prefix('@') {
            Some(group) => self.groups.iter().any(|g| g == group),
            None => *entry == self.name,
        })
    }
}

fn user_name(uid: u32) -> Option<String> {
    user_entry(uid).map(|(name, _)| name)
}

/// The login name and primary group of `uid`.
fn user_entry(uid: u32) -> Option<(String, libc::gid_t)> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: an all-zero passwd is a valid value for getpwuid_r to fill.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; buf's length is passed with it.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r succeeded, so pw_name points to a NUL-terminated string inside buf.
    Some((unsafe { CStr::from_ptr(pwd.pw_name) }.to_string_lossy().into_owned(), pwd.pw_gid))
}

/// The name of group `gid`, if the group database has one.
pub fn group_name(gid: libc::gid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 16384];
    // SAFETY: an all-zero group is a valid value for getgrgid_r to fill.
    let mut grp: libc::group = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; buf's length is passed with it.
    let rc = unsafe { libc::getgrgid_r(gid, &mut grp, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || grp.gr_name.is_null() {
        return None;
    }
    // SAFETY: getgrgid_r succeeded, so gr_name points to a NUL-terminated string inside buf.
    Some(unsafe { CStr::from_ptr(grp.gr_name) }.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_does_not_change_who_we_are() {
        let before = Account::current();
        // SAFETY: this test's process sets a variable no other test of this binary reads.
        unsafe { std::env::set_var("USER", "someone-else") };
        let after = Account::current();
        assert_eq!(before, after);
        assert_ne!(after.name, "someone-else");
    }

    #[test]
    fn an_account_by_its_uid_is_the_same_as_our_own() {
        let me = Account::current();
        let found = Account::of(me.uid);
        assert_eq!(found.name, me.name);
        // Our process's groups come from the same databases at login (a test runner may hold
        // fewer or more; the primary group is in both).
        assert!(found.groups.iter().any(|g| me.groups.contains(g)), "{found:?} / {me:?}");
        assert!(Account::of(4_000_000_000).name.starts_with("uid:"));
    }

    #[test]
    fn membership_by_name_or_group() {
        let a = Account { uid: 1000, name: "alice".into(), groups: vec!["wic".into(), "wic-mod".into()] };
        assert!(a.is_in(&["alice".into()]));
        assert!(a.is_in(&["bob".into(), "@wic-mod".into()]));
        assert!(!a.is_in(&["bob".into(), "@admins".into(), "wic-mod".into()]));
        assert!(!a.is_in(&[]));
    }
}
