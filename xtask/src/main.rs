//! `cargo xtask`: the project's generator and checks. See the crate library for the parts.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::{events, freshness, workspace};

/// Generate and check the event contracts' JSON Schemas and snapshots.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    /// Workspace root whose files are read and written (default: this workspace).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate schemas/, the catalog and sample snapshots from every registered event.
    ///
    /// Builds each event's sample, derives its schema, checks the sample covers every field
    /// and validates against the schema, then writes every file (and deletes orphans), or
    /// nothing at all if any event fails.
    Schemas {
        /// Write nothing; exit 1 with a diff if any generated file is stale, missing or orphaned.
        #[arg(long)]
        check: bool,
    },
    /// Run every check CI runs: formatting, clippy, all tests, and `schemas --check`.
    Ci,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = cli.root.unwrap_or_else(workspace::root);
    match cli.command {
        Command::Schemas { check } => {
            let set = match xtask::generate(&events::registered()) {
                Ok(set) => set,
                Err(error) => {
                    eprint!("error: {error}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            if check {
                let drifts = freshness::compare(&root, &set)?;
                if !drifts.is_empty() {
                    eprint!("{}", freshness::report(&drifts));
                    return Ok(ExitCode::FAILURE);
                }
                println!("{} generated files are up to date", set.files.len());
            } else {
                let summary = freshness::write(&root, &set)?;
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
            }
        }
        Command::Ci => xtask::ci::run(&root)?,
    }
    Ok(ExitCode::SUCCESS)
}
