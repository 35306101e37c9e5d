//! `wic backup FILE`: a consistent copy of the catalogue while kiosks keep running.
//!
//! The copy goes to a temporary file beside FILE, is opened and checked, then renamed into
//! place: a crash or a full disk never leaves a half-written FILE that looks like a backup.

use anyhow::Context;

use super::{Failure, Out, open_catalogue};
use crate::catalogue::Store;
use crate::cli::BackupArgs;
use crate::data_dir::DataDir;
use crate::i18n::Strings;
use crate::text::terminal_safe;

pub fn run(data: &DataDir, args: &BackupArgs, s: &Strings) -> Result<(), Failure> {
    let shown = terminal_safe(&args.file.display().to_string());
    if args.file.exists() && !args.force {
        return Err(Failure::Input(s.fmt("cli.backup.exists", &[("file", &shown)])));
    }
    if args.file.is_dir() {
        return Err(Failure::Input(s.fmt("cli.backup.is_dir", &[("file", &shown)])));
    }
    let store = open_catalogue(data, s)?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into());
    let tmp = args.file.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<(u64, usize)> {
        store.backup_to(&tmp).context(s.get("cli.backup.failed").to_string())?;
        let copy = Store::open_read(&tmp).context(s.get("cli.backup.copy_unopenable").to_string())?;
        let check = copy.integrity_check().context(s.get("cli.backup.copy_uncheckable").to_string())?;
        anyhow::ensure!(check == "ok", s.fmt("cli.backup.copy_damaged", &[("result", &check)]));
        let facts = (copy.version()?, copy.count()?);
        drop(copy);
        std::fs::rename(&tmp, &args.file).with_context(|| s.fmt("cli.backup.rename", &[("file", &shown)]))?;
        Ok(facts)
    })();
    match result {
        Ok((version, count)) => {
            let (version, n) = (version.to_string(), count.to_string());
            Out::stdout().line(s.fmt("cli.backup.written", &[("file", &shown), ("version", &version), ("n", &n)]))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Failure::Runtime(e))
        }
    }
}
