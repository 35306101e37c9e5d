//! `wic backup FILE`: a consistent copy of the catalogue while kiosks keep running.
//!
//! The copy goes to a temporary file beside FILE, is opened and checked, then renamed into
//! place: a crash or a full disk never leaves a half-written FILE that looks like a backup.

use anyhow::Context;

use super::Failure;
use crate::catalogue::Store;
use crate::cli::BackupArgs;
use crate::data_dir::DataDir;
use crate::text::terminal_safe;

pub fn run(data: &DataDir, args: &BackupArgs) -> Result<(), Failure> {
    let shown = terminal_safe(&args.file.display().to_string());
    if args.file.exists() && !args.force {
        return Err(Failure::Input(format!("{shown} exists; add --force to replace it")));
    }
    if args.file.is_dir() {
        return Err(Failure::Input(format!("{shown} is a directory; give a file name")));
    }
    let store = data.open_read().context("cannot open the catalogue")?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into());
    let tmp = args.file.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<(u64, usize)> {
        store.backup_to(&tmp).context("backup failed")?;
        let copy = Store::open_read(&tmp).context("the copy does not open")?;
        let check = copy.integrity_check().context("cannot check the copy")?;
        anyhow::ensure!(check == "ok", "the copy failed SQLite's integrity check: {check}");
        let facts = (copy.version()?, copy.count()?);
        drop(copy);
        std::fs::rename(&tmp, &args.file).with_context(|| format!("cannot move the copy to {shown}"))?;
        Ok(facts)
    })();
    match result {
        Ok((version, count)) => {
            println!("Sauvegarde écrite : {shown} (version {version} du catalogue, {count} initiative(s)).");
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Failure::Runtime(e))
        }
    }
}
