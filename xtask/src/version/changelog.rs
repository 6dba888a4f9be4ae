//! `generated/CHANGELOG.md`: one entry per version of the generated packages, each listing
//! the changes that made it, by event and JSON Pointer into the event.
//!
//! The entry of a version not yet released (newer than the last version) is rewritten each time
//! `cargo xtask version` runs, and an entry for another unreleased version (a minor bump that
//! a later breaking change turned major) is dropped: running the command twice writes the same
//! file, and released entries are never touched.

use std::fmt::Write as _;

use super::semver::{Bump, Version};
use super::verdicts::{Change, Released};

/// The changelog, relative to the workspace root.
pub const FILE: &str = "generated/CHANGELOG.md";

/// What a new changelog says above its entries.
const HEADER: &str = "\
# Changelog of the generated packages

The `platform-events` crate (`generated/rust`) and the `@agri-platform/events` npm package
(`generated/typescript`) share one version, computed by `cargo xtask version` from the
compatibility gate's verdicts: a breaking change (acknowledged or not) or a removed event is a
major bump, an added event or a compatible schema change a minor one, a change to descriptions
or samples only a patch. Each entry is written by that command; the entry of an unreleased
version is rewritten each time it runs.
";

/// The entry for `release`: why it is the version it is, then each change by kind.
pub fn entry(release: Version, released: &Released, changes: &[Change]) -> String {
    let bump = super::verdicts::bump(changes);
    let mut out = format!("## {release}\n\n");
    let why = match bump {
        Bump::Major => "a major version: a change breaks consumers, or an event is gone",
        Bump::Minor => "a minor version: events or compatible schema changes were added",
        Bump::Patch => "a patch: descriptions or samples changed, the types did not",
        Bump::None => "no event schema changed",
    };
    let _ = write!(out, "Since {}, {why}", released.version);
    let computed = released.version.bumped(bump);
    if release > computed {
        let _ = write!(out, " (the gate asks only for {computed}; the version file already said {release})");
    }
    out.push_str(".\n");
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = write!(out, "\n### {title}\n\n");
            lines.iter().for_each(|line| {
                let _ = writeln!(out, "- {line}");
            });
        }
    };
    let mut breaking = Vec::new();
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut compatible = Vec::new();
    let mut annotations = Vec::new();
    for change in changes {
        match change {
            Change::Breaking { event, mode, difference } => {
                let directions: Vec<String> =
                    difference.broken_directions(*mode).iter().map(ToString::to_string).collect();
                let accepted = match &difference.acknowledged {
                    Some(reason) => format!("; acknowledged: {reason}"),
                    None => String::new(),
                };
                breaking.push(format!(
                    "{}; breaks {}{accepted}",
                    described(event, difference),
                    directions.join(" and ")
                ));
            }
            Change::Removed { event } => removed.push(format!("`{event}` (`SCHEMA_REMOVED`)")),
            Change::Added { event } => added.push(format!("`{event}`")),
            Change::Compatible { event, difference } => compatible.push(described(event, difference)),
            Change::Annotations { event } => annotations.push(format!("`{event}`")),
        }
    }
    section(&mut out, "Breaking changes", breaking);
    section(&mut out, "Removed events", removed);
    section(&mut out, "Added events", added);
    section(&mut out, "Compatible changes", compatible);
    section(&mut out, "Descriptions and samples", annotations);
    out
}

/// `` `trading.TradeCreated` `/comment`: `KIND`, old → new ``: the event, the pointer into the
/// event (what a consumer's code reads), the kind and the change.
fn described(event: &str, difference: &schema_compat::Difference) -> String {
    let pointer = super::pointer(&difference.instance_path);
    format!("`{event}` `{pointer}`: `{}`, {}", difference.kind, difference.change())
}

/// The changelog `existing` (or a new one) with `entry` as the newest entry: an entry of the
/// same version is replaced, entries of other versions newer than `released` (never released)
/// are dropped, and every other entry is kept as it is.
pub fn with_entry(existing: Option<&str>, released: Version, entry: &str) -> String {
    let existing = existing.unwrap_or(HEADER);
    let (header, entries) = match existing.find("\n## ") {
        Some(at) => existing.split_at(at + 1),
        None if existing.starts_with("## ") => ("", existing),
        None => (existing, ""),
    };
    let mut out = header.trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(entry);
    for old in split_entries(entries) {
        let version =
            old.strip_prefix("## ").and_then(|h| h.split_whitespace().next()).and_then(|v| v.parse().ok());
        if version.is_some_and(|v: Version| v > released) {
            continue;
        }
        out.push('\n');
        out.push_str(old.trim_end());
        out.push('\n');
    }
    out
}

/// The entry of `version` in the changelog's text, if it has one.
pub fn entry_of(text: &str, version: Version) -> Option<&str> {
    let entries = &text[text.find("\n## ").map_or(0, |at| at + 1)..];
    let heading = format!("## {version}");
    split_entries(entries).into_iter().find(|entry| entry.lines().next() == Some(heading.as_str()))
}

/// The entries of the text from the first `## ` heading on, each from its heading to the
/// next.
fn split_entries(entries: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = entries.match_indices("\n## ").map(|(at, _)| at + 1).collect();
    if entries.starts_with("## ") {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| &entries[start..starts.get(i + 1).copied().unwrap_or(entries.len())])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().unwrap()
    }

    #[test]
    fn a_new_changelog_has_the_header_and_the_entry() {
        let text = with_entry(None, v("0.1.0"), "## 0.2.0\n\nSince 0.1.0.\n");
        assert!(text.starts_with("# Changelog of the generated packages\n"), "{text}");
        assert!(
            text.ends_with("version is rewritten each time it runs.\n\n## 0.2.0\n\nSince 0.1.0.\n"),
            "{text}"
        );
    }

    #[test]
    fn the_same_version_is_replaced_and_released_entries_are_kept_byte_for_byte() {
        let first = with_entry(None, v("0.1.0"), "## 0.2.0\n\nfirst\n");
        let released = with_entry(Some(&first), v("0.2.0"), "## 0.3.0\n\nthird\n");
        let again = with_entry(Some(&released), v("0.2.0"), "## 0.3.0\n\nthird, rewritten\n");
        assert_eq!(again.matches("## 0.3.0").count(), 1, "{again}");
        assert!(again.contains("## 0.3.0\n\nthird, rewritten\n\n## 0.2.0\n\nfirst\n"), "{again}");
        assert_eq!(with_entry(Some(&again), v("0.2.0"), "## 0.3.0\n\nthird, rewritten\n"), again);
        assert_eq!(entry_of(&again, v("0.2.0")), Some("## 0.2.0\n\nfirst\n"));
    }

    #[test]
    fn an_unreleased_entry_of_another_version_is_dropped() {
        let minor = with_entry(None, v("0.1.0"), "## 0.2.0\n\nminor\n");
        let major = with_entry(Some(&minor), v("0.1.0"), "## 1.0.0\n\nmajor\n");
        assert!(!major.contains("## 0.2.0"), "{major}");
        assert_eq!(entry_of(&major, v("1.0.0")), Some("## 1.0.0\n\nmajor\n"));
    }
}
