//! What changed since the last version, and how far each change moves the version: the
//! compatibility gate's verdicts, read as semantic versioning.
//!
//! - A difference that breaks consumers in the event's mode (`schemas/compat-acknowledged.toml`
//!   chooses it), acknowledged or not, and a removed event: **major**. An acknowledgement lets
//!   a break through the gate; consumers still break, so semver still says so.
//! - An added event, an added optional field, or a difference no consumer in the event's
//!   mode notices (an enum value removed under FORWARD): **minor**. An optional property
//!   added to an open object is minor under either policy: the strict policy calls it a
//!   backward break because an unknown producer might have written that name with another
//!   value into the open object, which the gate still fails on (or needs acknowledged); the
//!   packages themselves only gain a field that old events lack, which every consumer built
//!   from them reads as absent.
//! - A schema whose JSON changed with no difference at all (descriptions, titles, `examples`,
//!   which hold the samples): **patch**. The engine ignores annotations, so a schema that
//!   differs and has no difference changed only in them.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context as _, Result};
use schema_compat::{Difference, Kind, Mode};
use serde_json::Value;

use super::files::{self, VERSION_FILE};
use super::semver::{Bump, Version};
use crate::compat::history;
use crate::compat::{Against, Choice, check};

/// The last version: the commit that released it and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    /// The version the version file stated there.
    pub version: Version,
    /// The commit, in full.
    pub commit: String,
    /// How the commit was chosen, for the printed report.
    pub how: String,
}

/// One change to the event schemas since the last version.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A difference that breaks consumers in the event's mode.
    Breaking {
        /// `source.DetailType`.
        event: String,
        /// The event's mode.
        mode: Mode,
        /// The difference, with its acknowledgement if the reviewed file has one.
        difference: Difference,
    },
    /// An event whose schema is gone.
    Removed {
        /// `source.DetailType`.
        event: String,
    },
    /// An event that did not exist at the last version.
    Added {
        /// `source.DetailType`.
        event: String,
    },
    /// A difference no consumer in the event's mode notices.
    Compatible {
        /// `source.DetailType`.
        event: String,
        /// The difference.
        difference: Difference,
    },
    /// Descriptions, titles or samples changed; the types did not.
    Annotations {
        /// `source.DetailType`.
        event: String,
    },
}

impl Change {
    /// How far this change moves the version.
    pub fn bump(&self) -> Bump {
        match self {
            Change::Breaking { .. } | Change::Removed { .. } => Bump::Major,
            Change::Added { .. } | Change::Compatible { .. } => Bump::Minor,
            Change::Annotations { .. } => Bump::Patch,
        }
    }

    /// The event it is a change of.
    pub fn event(&self) -> &str {
        match self {
            Change::Breaking { event, .. }
            | Change::Removed { event }
            | Change::Added { event }
            | Change::Compatible { event, .. }
            | Change::Annotations { event } => event,
        }
    }
}

/// The largest bump `changes` need.
pub fn bump(changes: &[Change]) -> Bump {
    changes.iter().map(Change::bump).max().unwrap_or_default()
}

/// The last version as of `at` (a revision): the version file as of the newest commit on
/// `at`'s first-parent line that changed it. On main that is the merge (or squashed commit)
/// that released it, so every commit of a pull request counts towards one bump, however many
/// there are and in whatever order the bump and the schema changes were committed. When that
/// line never had the file (a branch that adds it), the commit on `HEAD` that added it;
/// `None` when no commit has it yet. `label` names `at` in the printed report.
pub fn released(root: &Path, at: &str, label: &str) -> Result<Option<Released>> {
    if history::git(root, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err() {
        return Ok(None); // a repository without commits
    }
    let newest = history::git(root, &["log", "--first-parent", "-1", "--format=%H", at, "--", VERSION_FILE])?;
    let (commit, how) = match newest.trim() {
        "" => {
            let added = history::git(root, &["log", "--reverse", "--format=%H", "HEAD", "--", VERSION_FILE])?;
            match added.lines().next() {
                Some(commit) => (commit.to_owned(), "the commit that added it".to_owned()),
                None => return Ok(None),
            }
        }
        commit => (commit.to_owned(), format!("its last change as of {label}")),
    };
    let text = history::git(root, &["show", &format!("{commit}:{VERSION_FILE}")]).with_context(|| {
        format!("{VERSION_FILE} was deleted in {}; restore it from the commit before", short(&commit))
    })?;
    let version = files::version_file_states(&text)
        .with_context(|| format!("{VERSION_FILE} as committed in {}", short(&commit)))?;
    Ok(Some(Released { version, commit, how }))
}

/// Every change of the working tree's event schemas since `released`, ordered by event.
pub fn since(root: &Path, released: &Released) -> Result<Vec<Change>> {
    let outcome = check(root, &Against::Base(released.commit.clone()), Choice::default())?;
    let mut changes = Vec::new();
    let mut differing = BTreeSet::new();
    for report in &outcome.reports {
        for subject in &report.subjects {
            for difference in &subject.differences {
                differing.insert(subject.name.clone());
                let event = subject.name.clone();
                changes.push(if difference.kind == Kind::SchemaRemoved {
                    Change::Removed { event }
                } else if difference.breaks(report.mode) && !adds_an_optional_field(difference) {
                    Change::Breaking { event, mode: report.mode, difference: difference.clone() }
                } else {
                    Change::Compatible { event, difference: difference.clone() }
                });
            }
        }
    }
    changes.extend(outcome.new_events.iter().map(|event| Change::Added { event: event.clone() }));
    let before = history::schemas_at(root, &released.commit)?;
    for (path, now) in crate::compat::gate::working_tree_schemas(root)? {
        let event = history::event_name(&path);
        let Some(then) = before.get(&path) else { continue };
        let then: Value = serde_json::from_str(then)
            .with_context(|| format!("{path} as committed in {} is not JSON", short(&released.commit)))?;
        if then != now && !differing.contains(&event) {
            changes.push(Change::Annotations { event });
        }
    }
    changes.sort_by(|a, b| a.event().cmp(b.event()));
    Ok(changes)
}

/// Whether the difference adds an optional property to an open object: minor for the
/// packages under either policy (see the module's docs).
fn adds_an_optional_field(difference: &Difference) -> bool {
    difference.kind == Kind::OptionalPropertyAddedToOpenContentModel
}

/// A commit's first 12 characters, as the gate labels versions.
pub fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}
