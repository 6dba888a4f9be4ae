//! `cargo xtask version`: the next version of the generated packages (the `platform-events`
//! crate and the `@agri-platform/events` npm package, one version for both), from the
//! compatibility gate's verdicts since the last version.
//!
//! - [`verdicts`] finds the last version (the version file as of its newest change on main's
//!   first-parent line) and classifies every schema change since: major, minor or patch;
//! - [`semver`] bumps the version;
//! - [`files`] reads and writes the version in every file that states it;
//! - [`changelog`] renders the entry for the version and puts it in `generated/CHANGELOG.md`.
//!
//! Without `--check` it writes the version (never lowering one already higher) and the
//! changelog entry; with `--check`, which CI runs, it writes nothing and fails when a package's
//! version is below what the gate computes, when the files disagree, or when the changelog
//! lacks the entry the command would write.

pub mod changelog;
pub mod files;
pub mod semver;
pub mod verdicts;

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::compat::history;
pub use semver::{Bump, Version};
use verdicts::{Change, Released};

/// The arguments of `cargo xtask version`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct VersionArgs {
    /// Write nothing; exit 1 if a package's version is below what the gate computes, if the
    /// files that state the version disagree, or if generated/CHANGELOG.md lacks the entry
    /// this command would write (what CI runs).
    #[arg(long)]
    pub check: bool,
    /// The revision whose history holds the last version (default: the merge-base of HEAD
    /// with `main`, or HEAD when there is no `main` or `origin/main`).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
}

/// What the command found: the last version, the changes since, and the versions stated now.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The last version and the commit that released it.
    pub released: Released,
    /// Every change since, by event.
    pub changes: Vec<Change>,
    /// The version the changes need: the last version bumped.
    pub computed: Version,
    /// What each file states now.
    pub stated: Vec<(files::Place, Version)>,
}

impl Plan {
    /// The largest bump the changes need.
    pub fn bump(&self) -> Bump {
        verdicts::bump(&self.changes)
    }

    /// The version the version file states.
    pub fn current(&self) -> Version {
        self.stated[0].1
    }

    /// The version to release: the computed one, or the current one if it is already higher.
    pub fn release(&self) -> Version {
        self.current().max(self.computed)
    }

    /// The changelog entry for [`Plan::release`], when there is anything to release.
    pub fn entry(&self) -> Option<String> {
        (self.bump() != Bump::None).then(|| changelog::entry(self.release(), &self.released, &self.changes))
    }

    /// What was found, for the terminal: the last version, the bump and each change.
    pub fn summary(&self) -> String {
        let released = &self.released;
        let mut out = format!(
            "version: the last version is {} ({} at {}, {})\n",
            released.version,
            files::VERSION_FILE,
            verdicts::short(&released.commit),
            released.how
        );
        match self.bump() {
            Bump::None => out.push_str("version: no event schema changed since, so no bump\n"),
            bump => {
                let _ = writeln!(
                    out,
                    "version: the changes since need a {bump} bump: {} → {}",
                    released.version, self.computed
                );
            }
        }
        for change in &self.changes {
            // `event /pointer: KIND, old → new` for a difference, `event: what` for a whole event.
            let what = match change {
                Change::Breaking { difference, mode, .. } => {
                    let broken: Vec<String> =
                        difference.broken_directions(*mode).iter().map(ToString::to_string).collect();
                    let accepted = if difference.acknowledged.is_some() { ", acknowledged" } else { "" };
                    format!(
                        " {}: {}, {}, breaks {}{accepted}",
                        pointer(&difference.instance_path),
                        difference.kind,
                        difference.change(),
                        broken.join(" and ")
                    )
                }
                Change::Compatible { difference, .. } => {
                    format!(
                        " {}: {}, {}",
                        pointer(&difference.instance_path),
                        difference.kind,
                        difference.change()
                    )
                }
                Change::Removed { .. } => ": removed".to_owned(),
                Change::Added { .. } => ": added".to_owned(),
                Change::Annotations { .. } => ": descriptions or samples".to_owned(),
            };
            let _ = writeln!(out, "  {:<5}  {}{what}", change.bump(), change.event());
        }
        out
    }

    /// Why `--check` fails, one line each; empty when it passes.
    pub fn problems(&self, root: &Path) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let current = self.current();
        for (place, version) in &self.stated[1..] {
            if *version != current {
                problems.push(format!(
                    "{} states {version} in {} but {} states {current}",
                    place.file,
                    place.what,
                    files::VERSION_FILE
                ));
            }
        }
        if current < self.computed {
            problems.push(format!(
                "the packages' version {current} ({}) is below {}, which the changes since {} need (a {} bump)",
                files::VERSION_FILE,
                self.computed,
                self.released.version,
                self.bump()
            ));
        } else if let Some(entry) = self.entry() {
            let text = std::fs::read_to_string(root.join(changelog::FILE)).unwrap_or_default();
            match changelog::entry_of(&text, self.release()) {
                None => problems.push(format!("{} has no entry for {}", changelog::FILE, self.release())),
                Some(found) if found.trim_end() != entry.trim_end() => problems.push(format!(
                    "{}'s entry for {} does not list the changes made since {}",
                    changelog::FILE,
                    self.release(),
                    self.released.version
                )),
                Some(_) => {}
            }
        }
        Ok(problems)
    }
}

/// Finds the last version as of `args.base` and every change since; `None` when the version
/// file has never been committed (there is no last version yet).
pub fn plan(root: &Path, args: &VersionArgs) -> Result<Option<Plan>> {
    let (at, label) = match &args.base {
        Some(base) => (base.clone(), base.clone()),
        None => match history::default_base(root) {
            Ok(base) => (base.clone(), format!("the merge-base with main, {}", verdicts::short(&base))),
            Err(_) => ("HEAD".to_owned(), "HEAD (there is no main branch)".to_owned()),
        },
    };
    let Some(released) = verdicts::released(root, &at, &label)? else { return Ok(None) };
    let changes = verdicts::since(root, &released)
        .with_context(|| format!("comparing the event schemas with {}", verdicts::short(&released.commit)))?;
    let computed = released.version.bumped(verdicts::bump(&changes));
    let stated = files::stated(root)?;
    Ok(Some(Plan { released, changes, computed, stated }))
}

/// Runs the command: prints the plan, then checks or writes. Exit status: 0 up to date (or
/// written), 1 when `--check` finds the version behind; errors are returned.
pub fn run(root: &Path, args: &VersionArgs) -> Result<ExitCode> {
    let Some(plan) = plan(root, args)? else { return first_version(root, args) };
    print!("{}", plan.summary());
    if args.check {
        let problems = plan.problems(root)?;
        if problems.is_empty() {
            println!("version: {} is up to date", plan.current());
            return Ok(ExitCode::SUCCESS);
        }
        for problem in &problems {
            eprintln!("FAILS: {problem}");
        }
        eprintln!("run `cargo xtask version` and commit what it writes");
        return Ok(ExitCode::FAILURE);
    }
    let written = write(root, &plan)?;
    if written.is_empty() {
        println!("version: {} is up to date; nothing to write", plan.current());
    }
    for file in written {
        println!("wrote   {file}");
    }
    Ok(ExitCode::SUCCESS)
}

/// No commit has the version file yet: `--check` fails, and writing starts the file at the
/// highest version the packages state (the first version, for packages never released), for
/// the commit that adds it to mark the last version.
fn first_version(root: &Path, args: &VersionArgs) -> Result<ExitCode> {
    if args.check {
        eprintln!(
            "FAILS: {} has never been committed, so there is no last version to compare the schemas with; run \
             `cargo xtask version` and commit what it writes",
            files::VERSION_FILE
        );
        return Ok(ExitCode::FAILURE);
    }
    let version =
        files::stated(root)?.into_iter().map(|(_, version)| version).max().unwrap_or(Version::FIRST);
    let edits = files::edits(root, version)?;
    files::write(root, &edits)?;
    for (file, _) in &edits {
        println!("wrote   {file}");
    }
    println!(
        "version: {} starts at {version}; commit it: that commit is the last version the next bump counts from",
        files::VERSION_FILE
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the release version into every file and its entry into the changelog; returns the
/// files written. Every new text is made before anything is written.
pub fn write(root: &Path, plan: &Plan) -> Result<Vec<&'static str>> {
    let mut edits = files::edits(root, plan.release())?;
    if let Some(entry) = plan.entry() {
        let path = root.join(changelog::FILE);
        let existing = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("could not read {}", changelog::FILE)),
        };
        let text = changelog::with_entry(existing.as_deref(), plan.released.version, &entry);
        if existing.as_deref() != Some(text.as_str()) {
            edits.push((changelog::FILE, text));
        }
    }
    files::write(root, &edits)?;
    Ok(edits.into_iter().map(|(file, _)| file).collect())
}

/// A JSON Pointer into the event as reports show it (`/` for the whole event).
pub(crate) fn pointer(instance_path: &str) -> &str {
    if instance_path.is_empty() { "/" } else { instance_path }
}
