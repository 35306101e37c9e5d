//! `wic synth` and `wic bench`: thin wrappers around [`crate::synth`] and [`crate::bench`].
//! `wic bench` is a subcommand (not only a `cargo bench` target) so that the release binary
//! can measure its own cold start and memory by spawning itself.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use super::Failure;
use crate::bench::{self, BenchConfig, report};
use crate::catalogue::Reference;
use crate::cli::{BenchArgs, SynthArgs};

pub fn synth(args: &SynthArgs) -> Result<(), Failure> {
    let reference = Reference::embedded().map_err(|e| Failure::Runtime(e.into()))?;
    let written = match &args.output {
        Some(path) => {
            refuse_seeds(path)?;
            let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
            crate::synth::write_csv(BufWriter::new(file), args.count, args.seed, &reference)
        }
        None => crate::synth::write_csv(BufWriter::new(std::io::stdout().lock()), args.count, args.seed, &reference),
    };
    match written {
        Ok(()) => Ok(()),
        // Standard output: a closed pipe or a full disk, said by `commands::run`.
        Err(e) if args.output.is_none() => Err(Failure::Output(e)),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context("writing the synthetic catalogue"))),
    }
}

/// Synthetic rows must never end up in the shipped catalogue.
fn refuse_seeds(path: &Path) -> Result<(), Failure> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let dir = parent.canonicalize().unwrap_or(parent);
    if dir.file_name().is_some_and(|n| n == "seeds") && dir.join("themes.csv").exists() {
        return Err(Failure::Input(format!("refusing to write synthetic data into {}", dir.display())));
    }
    Ok(())
}

pub fn run(args: &BenchArgs) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &args.cold_start_probe {
        return bench::cold_start_probe(dir, &mut out).map_err(Failure::Runtime);
    }
    if args.sizes.is_empty() || args.sizes.contains(&0) || args.queries == 0 {
        return Err(Failure::Input("--sizes and --queries must be positive".into()));
    }
    let exe = std::env::current_exe().context("cannot find the running binary")?;
    let mut config = BenchConfig::new(args.sizes.clone(), args.queries, exe);
    config.seed = args.seed;
    let report = bench::run(&config, &mut |line| super::say(line)).map_err(Failure::Runtime)?;
    let text =
        if args.json { report::json(&report).context("serialising the report")? } else { report::table(&report) };
    writeln!(out, "{text}").and_then(|()| out.flush()).map_err(Failure::Output)
}
