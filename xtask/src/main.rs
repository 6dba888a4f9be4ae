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
        /// Print how long each phase took.
        #[arg(long)]
        timings: bool,
    },
    /// Run every check CI runs: npm ci, formatting, clippy, all tests, `schemas --check`, tsc.
    Ci {
        /// Also prove inference and both emitters on every JSON file under DIR (see `corpus`).
        #[arg(long, value_name = "DIR")]
        corpus: Option<std::path::PathBuf>,
    },
    /// Prove inference and both emitters on every JSON file under DIR.
    ///
    /// Infers a schema per file; both validators (jsonschema, ajv) must accept the file, its
    /// TypeScript must pass tsc --strict with the file assigned to it, and its Rust must
    /// compile and round-trip the file. Prints a table; exits 1 on any failure.
    Corpus {
        /// Folder of JSON files, searched recursively.
        dir: std::path::PathBuf,
    },
    /// Stream events from an EventBridge bus, validating each against its schema.
    ///
    /// Runs `event-tail` from the AWS adapters crate (built on first use, so the generator
    /// never compiles the AWS SDK); everything after `tail` goes to it: see
    /// `cargo xtask tail --help`.
    #[command(disable_help_flag = true)]
    Tail {
        /// Arguments for event-tail, e.g. `--bus platform --json`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Infer JSON Schema (or types) from JSON samples, like `quicktype --lang schema`.
    ///
    /// Each file is one type; in a directory each `*.json` is one type and each subdirectory
    /// one type with its files as samples. Nothing is written if any input fails.
    Infer(xtask::infer::cli::InferArgs),
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
        Command::Schemas { check, timings } => {
            let events = match events::all() {
                Ok((events, warnings)) => {
                    warnings.iter().for_each(|warning| eprintln!("warning: {warning}"));
                    events
                }
                Err(errors) => {
                    errors.iter().for_each(|error| eprintln!("error: {error}"));
                    eprintln!(
                        "error: {} problem(s) in sample-only events; nothing was written",
                        errors.len()
                    );
                    return Ok(ExitCode::FAILURE);
                }
            };
            let set = match xtask::generate(&events) {
                Ok(set) => set,
                Err(error) => {
                    eprint!("error: {error}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            if timings {
                for (phase, took) in &set.timings {
                    eprintln!("{phase:>28}: {:7.1} ms", took.as_secs_f64() * 1e3);
                }
            }
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
        Command::Ci { corpus } => xtask::ci::run(&root, corpus.as_deref())?,
        Command::Corpus { dir } => xtask::corpus::check(&root, &dir)?,
        Command::Tail { args } => {
            let status = std::process::Command::new("cargo")
                .args(["run", "--quiet", "--package", "event-runtime-aws", "--bin", "event-tail", "--"])
                .args(&args)
                .current_dir(&root)
                .status()?;
            return Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
        }
        Command::Infer(args) => return xtask::infer::cli::run(&args),
    }
    Ok(ExitCode::SUCCESS)
}
