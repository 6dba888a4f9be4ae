//! `cargo xtask schemas`: the event pipeline end to end. Gathers every event ([`crate::events`]),
//! generates the whole output set in memory ([`crate::outputs`]), then writes it, deleting
//! orphans, and has insta refresh the sample snapshots ([`crate::snapshots`]); or, with
//! `--check`, compares it with the disk ([`crate::freshness`]) and fails naming every stale,
//! missing and orphaned file.
//!
//! Registered events are the ones linked into the running binary (the registry of
//! `contracts-common`): this library names no contract crate.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::{events, freshness, outputs, snapshots, workspace};

/// The arguments of `cargo xtask schemas`.
#[derive(Debug, Clone, clap::Args)]
pub struct SchemasArgs {
    /// Write nothing; exit 1 with a diff if any generated file is stale, missing or orphaned.
    #[arg(long)]
    pub check: bool,
    /// Print how long each phase took.
    #[arg(long)]
    pub timings: bool,
}

/// Runs the command on the workspace at `root`: problems in the events or in generation are
/// printed to stderr and exit 1, with nothing written.
pub fn run(root: &Path, args: &SchemasArgs) -> Result<ExitCode> {
    let events = match events::all(root) {
        Ok((events, warnings)) => {
            warnings.iter().for_each(|warning| eprintln!("warning: {warning}"));
            events
        }
        Err(errors) => {
            errors.iter().for_each(|error| eprintln!("error: {error}"));
            eprintln!("error: {} problem(s) in the events; nothing was written", errors.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    // The consumer declarations and the packages' version: inputs of generation, like the events.
    let options = match outputs::Options::for_workspace(root) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error:#}\nerror: nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    // Writing reuses each committed validator whose stamp matches, so a fresh clone needs no
    // `npm ci`; `--check` compiles every one with ajv, proving them.
    let validators = if args.check {
        options.validators
    } else {
        options.validators.reusing(root.join(workspace::TYPESCRIPT_PACKAGE_DIR).join("src"))
    };
    let options = outputs::Options {
        cache: Some(schema_emit::rust::Cache::new(root.join("target/xtask-cache/rust"))),
        validators,
        ..options
    };
    let set = match outputs::generate_with(&events, &options) {
        Ok(set) => set,
        Err(error) => {
            eprint!("error: {error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    set.warnings.iter().for_each(|warning| eprintln!("warning: {warning}"));
    if args.timings {
        for (phase, took) in &set.timings {
            eprintln!("{phase:>28}: {:7.1} ms", took.as_secs_f64() * 1e3);
        }
    }
    if args.check {
        let drifts = freshness::compare(root, &set)?;
        let snapshots = snapshots_of(root, |root| Ok(snapshots::drifted(root, &events)))?;
        if !drifts.is_empty() || !snapshots.is_empty() {
            for name in &snapshots {
                eprintln!(
                    "stale:   {}/{name} (insta's: the snapshot test shows the diff)",
                    workspace::SNAPSHOTS_DIR
                );
            }
            eprint!("{}", freshness::report(&drifts, snapshots.len()));
            return Ok(ExitCode::FAILURE);
        }
        println!("{} generated files are up to date", set.files.len());
    } else {
        let summary = freshness::write(root, &set)?;
        for path in &summary.written {
            println!("wrote   {path}");
        }
        for path in &summary.deleted {
            println!("deleted {path}");
        }
        println!(
            "{} written, {} deleted, {} unchanged",
            summary.written.len(),
            summary.deleted.len(),
            summary.unchanged
        );
        snapshots_of(root, |root| snapshots::refresh(root, &events))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `step` on the sample snapshots when `root` is this workspace; says so otherwise.
fn snapshots_of(root: &Path, step: impl FnOnce(&Path) -> Result<Vec<String>>) -> Result<Vec<String>> {
    if snapshots::apply_to(root) {
        return step(root);
    }
    eprintln!(
        "note: sample snapshots were not looked at: only the snapshot test of {} writes them",
        workspace::root().display()
    );
    Ok(Vec::new())
}
