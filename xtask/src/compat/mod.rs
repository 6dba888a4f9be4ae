//! `cargo xtask compat`: the compatibility gate over this repository, thin glue around the
//! `schema-compat` engine.
//!
//! - Against a base revision (default: the merge-base of `HEAD` with `main`), or with
//!   `--transitive` against every committed version of each event schema in git history
//!   ([`history`]): the working tree's `schemas/<source>/<DetailType>.json` files are the new
//!   versions; an event whose schema is gone is reported as removed (or renamed).
//! - The reviewed file `schemas/compat-acknowledged.toml` ([`reviewed`]) sets each event's
//!   mode and policy and accepts named breaking changes; a stale acknowledgement fails.
//! - File-pair mode (`--old A.json --new B.json`) compares any two schemas.
//! - The consumer declarations (`schemas/consumers/`, [`crate::consumers`]) name, for each
//!   breaking change, the consumers it hits; under `--consumers` a breaking change no declared
//!   consumer reads does not fail.
//! - `--explain KIND` prints what a difference kind means, its rule per direction, and
//!   where its verdict differs on purpose from Confluent Schema Registry's checker.
//!
//! Exit status: 0 compatible, 1 a breaking change (or a stale acknowledgement), 2 the check
//! could not run (unreadable schema, not a git repository, bad arguments).

pub mod gate;
pub mod history;
pub mod reviewed;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use schema_compat::{Kind, Mode, Policy, Report, Subject, compare};

pub use gate::{Against, Outcome, check};
pub use reviewed::Choice;

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For the terminal: each difference with direction, kind, path, old → new and why.
    Text,
    /// For a pull-request comment: one table per event.
    Markdown,
    /// For tools.
    Json,
}

/// The arguments of `cargo xtask compat`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompatArgs {
    /// Compare with the event schemas at this revision (default: the merge-base of HEAD with
    /// `main`).
    #[arg(long, value_name = "REV", conflicts_with_all = ["transitive", "old", "new"])]
    pub base: Option<String>,
    /// Compare with every committed version of each event schema in git history.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    pub transitive: bool,
    /// Directions to require: full (default), forward (old consumers read new events) or
    /// backward (new consumers read old events). Overrides the reviewed file's choices.
    #[arg(long, value_name = "MODE")]
    pub mode: Option<Mode>,
    /// strict (default; Confluent's semantics) or lenient (adding or removing an optional
    /// property of an open object, or closing or narrowing additionalProperties, is
    /// compatible). Overrides the reviewed file's choices.
    #[arg(long, value_name = "POLICY")]
    pub policy: Option<Policy>,
    /// Judge by the consumer declarations (`schemas/consumers/`): a breaking change to a
    /// field no declared consumer reads is shown as safe for them and does not fail. Without
    /// it, every breaking change fails, and the report still names the consumers it hits.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    pub consumers: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// File-pair mode: the earlier schema.
    #[arg(long, value_name = "FILE", requires = "new")]
    pub old: Option<PathBuf>,
    /// File-pair mode: the later schema.
    #[arg(long, value_name = "FILE", requires = "old")]
    pub new: Option<PathBuf>,
    /// Print what a difference kind (e.g. ADDITIONAL_PROPERTIES_REMOVED) means, its rule in
    /// each direction and how it compares with Confluent Schema Registry's checker; check
    /// nothing.
    #[arg(long, value_name = "KIND", conflicts_with_all = ["base", "transitive", "old", "new"])]
    pub explain: Option<Kind>,
}

/// Runs the command; prints the report to stdout and errors to stderr.
pub fn run(root: &Path, args: &CompatArgs) -> ExitCode {
    match outcome(root, args) {
        Ok((text, passes)) => {
            print!("{text}");
            if passes { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The rendered report and whether the check passes.
fn outcome(root: &Path, args: &CompatArgs) -> Result<(String, bool)> {
    if let Some(kind) = args.explain {
        return Ok((kind.explain(), true));
    }
    let command_line =
        Choice { mode: args.mode, policy: args.policy, consumers: args.consumers.then_some(true) };
    if let (Some(old), Some(new)) = (&args.old, &args.new) {
        return pair(old, new, command_line, args.format);
    }
    let against = match (&args.base, args.transitive) {
        (_, true) => Against::History,
        (Some(base), false) => Against::Base(base.clone()),
        (None, false) => Against::Base(history::default_base(root)?),
    };
    let outcome = check(root, &against, command_line)?;
    Ok((gate::render(&outcome, args.format), outcome.passes()))
}

/// File-pair mode: two schema files, one report.
fn pair(old: &Path, new: &Path, choice: Choice, format: Format) -> Result<(String, bool)> {
    let read = |path: &Path| -> Result<serde_json::Value> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
    };
    let (old_schema, new_schema) = (read(old)?, read(new)?);
    let (mode, policy) = (choice.mode.unwrap_or_default(), choice.policy.unwrap_or_default());
    let differences = compare(&old_schema, &new_schema, policy)
        .with_context(|| format!("comparing {} with {}", old.display(), new.display()))?;
    let name = format!("{} → {}", old.display(), new.display());
    let report = Report::new(mode, policy, vec![Subject::new(name, differences)]).with_fix(
        "make the new schema compatible, or publish it under a new name (a new detail-type version)",
    );
    let text = match format {
        Format::Text => report.to_text(),
        Format::Markdown => report.to_markdown(),
        Format::Json => format!("{}\n", report.to_json()),
    };
    Ok((text, report.passes()))
}
