//! Every file that states the generated packages' version, and how the version is found and
//! rewritten in each without touching anything else.
//!
//! The version file (`generated/packages.toml`) is the one truth: `cargo xtask schemas`
//! renders it into `generated/rust/Cargo.toml`, and `cargo xtask version` writes it and
//! copies it into the files npm and Cargo read. Each file is edited in place, the version text
//! only, so npm's and Cargo's formatting stays byte for byte what they wrote: the same edit
//! `cargo update -p platform-events` or `npm version --no-git-tag-version` would make,
//! without the network (CI builds with `--locked`, and `npm version` would run scripts).

use std::ops::Range;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::semver::Version;
use crate::freshness::write_atomically;

/// The version file, relative to the workspace root.
pub const VERSION_FILE: &str = "generated/packages.toml";

/// What a new version file says above the version.
const VERSION_FILE_HEADER: &str = "\
# The version of the generated packages: the `platform-events` crate (generated/rust) and the
# `@agri-platform/events` npm package (generated/typescript), one version for both since both
# are generated from the same schemas. Written by `cargo xtask version` from the compatibility
# gate's verdicts (generated/CHANGELOG.md says why each version is what it is); `cargo xtask
# schemas` renders it into generated/rust/Cargo.toml. Do not edit: run `cargo xtask version`.
";

/// One file that states the version.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// The file, relative to the workspace root.
    pub file: &'static str,
    /// Where in the file, for messages.
    pub what: &'static str,
    /// The byte ranges of every copy of the version text in the file (inside the quotes), or
    /// `None` when the file is not laid out as its writer lays it out.
    locate: fn(&str) -> Option<Vec<Range<usize>>>,
    /// For JSON files, the JSON Pointers of the version fields: the located text must be
    /// their value, and an edit must change nothing else in the parsed document.
    pointers: &'static [&'static str],
}

/// Every file that states the version: the version file first, then the packages' own.
pub const PLACES: &[Place] = &[
    Place { file: VERSION_FILE, what: "`version`", locate: version_file, pointers: &[] },
    Place {
        file: "generated/rust/Cargo.toml",
        what: "[package] `version`",
        locate: cargo_manifest,
        pointers: &[],
    },
    Place {
        file: "Cargo.lock",
        what: "the `platform-events` package's `version`",
        locate: cargo_lock,
        pointers: &[],
    },
    Place {
        file: "generated/typescript/package.json",
        what: "`\"version\"`",
        locate: package_json,
        pointers: &["/version"],
    },
    Place {
        file: "generated/typescript/package-lock.json",
        what: "`\"version\"` and `packages[\"\"].version`",
        locate: package_lock,
        pointers: &["/version", "/packages//version"],
    },
];

/// The version each file states, in [`PLACES`] order. A missing version file states
/// [`Version::FIRST`] (nothing was ever versioned); any other missing file is an error.
pub fn stated(root: &Path) -> Result<Vec<(Place, Version)>> {
    PLACES
        .iter()
        .map(|place| {
            let version = match read(root, place)? {
                None => Version::FIRST,
                Some(text) => place.version_in(&text)?,
            };
            Ok((*place, version))
        })
        .collect()
}

/// The version the version file states ([`Version::FIRST`] when there is none yet): what
/// `cargo xtask schemas` renders into the crate's manifest.
pub fn current(root: &Path) -> Result<Version> {
    match read(root, &PLACES[0])? {
        None => Ok(Version::FIRST),
        Some(text) => PLACES[0].version_in(&text),
    }
}

/// The version in the version file's text as committed (from `git show`).
pub fn version_file_states(text: &str) -> Result<Version> {
    PLACES[0].version_in(text)
}

/// The new text of every file whose version is not `version`, by file; nothing is written, so
/// a file that cannot be edited leaves every file as it was.
pub fn edits(root: &Path, version: Version) -> Result<Vec<(&'static str, String)>> {
    let mut edits = Vec::new();
    for place in PLACES {
        let text = match read(root, place)? {
            Some(text) => text,
            None => format!("{VERSION_FILE_HEADER}version = \"{}\"\n", Version::FIRST),
        };
        let new = place.with_version(&text, version)?;
        if new != text || !root.join(place.file).exists() {
            edits.push((place.file, new));
        }
    }
    Ok(edits)
}

/// Writes `edits` (from [`edits`]), each file atomically.
pub fn write(root: &Path, edits: &[(&'static str, String)]) -> Result<()> {
    for (file, text) in edits {
        write_atomically(&root.join(file), text).with_context(|| format!("could not write {file}"))?;
    }
    Ok(())
}

/// The file's text; `None` for a missing version file, an error naming the file for any
/// other missing file.
fn read(root: &Path, place: &Place) -> Result<Option<String>> {
    match std::fs::read_to_string(root.join(place.file)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && place.file == VERSION_FILE => Ok(None),
        Err(e) => Err(e).with_context(|| {
            format!(
                "could not read {}, which states the generated packages' version; restore it from git",
                place.file
            )
        }),
    }
}

impl Place {
    /// The version the file's text states: every copy in it must agree and parse.
    fn version_in(&self, text: &str) -> Result<Version> {
        let ranges = self.ranges(text)?;
        let first = &text[ranges[0].clone()];
        for range in &ranges[1..] {
            if &text[range.clone()] != first {
                bail!(
                    "{} states two versions in {} (`{first}` and `{}`); run `cargo xtask version` to set both",
                    self.file,
                    self.what,
                    &text[range.clone()]
                );
            }
        }
        first.parse().with_context(|| format!("{}: {}", self.file, self.what))
    }

    /// `text` with every copy of the version set to `version`.
    fn with_version(&self, text: &str, version: Version) -> Result<String> {
        let ranges = self.ranges(text)?;
        let mut new = String::with_capacity(text.len());
        let mut at = 0;
        for range in &ranges {
            new.push_str(&text[at..range.start]);
            new.push_str(&version.to_string());
            at = range.end;
        }
        new.push_str(&text[at..]);
        if !self.pointers.is_empty() {
            // The edit must be exactly the version fields: parse both and compare.
            let mut expected: Value =
                serde_json::from_str(text).with_context(|| format!("{} is not JSON", self.file))?;
            for pointer in self.pointers {
                if let Some(field) = expected.pointer_mut(pointer) {
                    *field = Value::String(version.to_string());
                }
            }
            let edited: Value = serde_json::from_str(&new).context("the edited JSON does not parse")?;
            if edited != expected {
                bail!(
                    "{} is not laid out as npm writes it, so its {} could not be edited alone; set it to \"{version}\" \
                     by hand and run `cargo xtask version` again",
                    self.file,
                    self.what
                );
            }
        }
        Ok(new)
    }

    /// Where the version is, checked against the parsed JSON where there is one.
    fn ranges(&self, text: &str) -> Result<Vec<Range<usize>>> {
        let not_found = || {
            anyhow::anyhow!(
                "{} has no {} where `cargo xtask version` looks for it (as {} writes it); restore the file from git",
                self.file,
                self.what,
                if self.pointers.is_empty() { "Cargo" } else { "npm" }
            )
        };
        let ranges = (self.locate)(text).filter(|r| !r.is_empty()).ok_or_else(not_found)?;
        if !self.pointers.is_empty() {
            let parsed: Value =
                serde_json::from_str(text).with_context(|| format!("{} is not JSON", self.file))?;
            for (pointer, range) in self.pointers.iter().zip(&ranges) {
                if parsed.pointer(pointer).and_then(Value::as_str) != Some(&text[range.clone()]) {
                    return Err(not_found());
                }
            }
        }
        Ok(ranges)
    }
}

/// The range of the quoted value on the first line of `text[from..]` that starts with
/// `prefix`, unless a line for which `stop` holds comes first.
fn quoted_value(text: &str, from: usize, prefix: &str, stop: impl Fn(&str) -> bool) -> Option<Range<usize>> {
    let mut offset = from;
    for line in text.get(from..)?.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = body.strip_prefix(prefix) {
            let inner = rest.strip_prefix('"')?;
            let value_start = start + prefix.len() + 1;
            return Some(value_start..value_start + inner.find('"')?);
        }
        if stop(body) {
            return None;
        }
    }
    None
}

/// The end of the line holding `needle` (which starts a line), if any.
fn after_line(text: &str, needle: &str) -> Option<usize> {
    let at = if text.starts_with(needle) { 0 } else { text.find(&format!("\n{needle}"))? + 1 };
    Some(text[at..].find('\n').map_or(text.len(), |end| at + end + 1))
}

/// `version = "…"` at the top level of the version file (before any table).
fn version_file(text: &str) -> Option<Vec<Range<usize>>> {
    Some(vec![quoted_value(text, 0, "version = ", |line| line.starts_with('['))?])
}

/// `version = "…"` in `[package]`.
fn cargo_manifest(text: &str) -> Option<Vec<Range<usize>>> {
    let from = after_line(text, "[package]")?;
    Some(vec![quoted_value(text, from, "version = ", |line| line.starts_with('['))?])
}

/// The `version = "…"` line right after `name = "platform-events"` in Cargo.lock.
fn cargo_lock(text: &str) -> Option<Vec<Range<usize>>> {
    let from = after_line(text, "name = \"platform-events\"")?;
    Some(vec![quoted_value(text, from, "version = ", |_| true)?])
}

/// The top-level `"version"` (indented by two spaces, as npm writes it).
fn package_json(text: &str) -> Option<Vec<Range<usize>>> {
    Some(vec![quoted_value(text, 0, "  \"version\": ", |_| false)?])
}

/// The top-level `"version"` and the root package's (`packages[""]`).
fn package_lock(text: &str) -> Option<Vec<Range<usize>>> {
    let top = quoted_value(text, 0, "  \"version\": ", |_| false)?;
    let root_package = after_line(text, "    \"\": {")?;
    let own = quoted_value(text, root_package, "      \"version\": ", |line| line.starts_with("    }"))?;
    Some(vec![top, own])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "{\n  \"name\": \"@agri-platform/events\",\n  \"version\": \"0.1.0\",\n  \"lockfileVersion\": 3,\n  \
                        \"packages\": {\n    \"\": {\n      \"name\": \"@agri-platform/events\",\n      \"version\": \
                        \"0.1.0\",\n      \"devDependencies\": {\n        \"ajv\": \"8.17.1\"\n      }\n    },\n    \
                        \"node_modules/ajv\": {\n      \"version\": \"8.17.1\"\n    }\n  }\n}\n";

    fn place(file: &str) -> &'static Place {
        PLACES.iter().find(|p| p.file == file).unwrap()
    }

    #[test]
    fn the_lock_files_own_versions_change_and_no_dependency_does() {
        let lock = place("generated/typescript/package-lock.json");
        assert_eq!(lock.version_in(LOCK).unwrap().to_string(), "0.1.0");
        let new = lock.with_version(LOCK, "1.0.0".parse().unwrap()).unwrap();
        assert_eq!(new, LOCK.replacen("\"0.1.0\"", "\"1.0.0\"", 2));
        assert!(new.contains("\"node_modules/ajv\": {\n      \"version\": \"8.17.1\""));
    }

    #[test]
    fn only_the_platform_events_entry_of_cargo_lock_changes() {
        let text = "[[package]]\nname = \"other\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"platform-events\"\n\
                    version = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n";
        let new = place("Cargo.lock").with_version(text, "0.2.0".parse().unwrap()).unwrap();
        assert_eq!(new, text.replace("events\"\nversion = \"0.1.0\"", "events\"\nversion = \"0.2.0\""));
    }

    #[test]
    fn the_manifest_version_is_the_package_tables() {
        let text = "# header\n[package]\nname = \"platform-events\"\nversion = \"0.3.1\"\n\n[dependencies]\nx = \"1\"\n";
        assert_eq!(place("generated/rust/Cargo.toml").version_in(text).unwrap().to_string(), "0.3.1");
        let no_version = "[package]\nname = \"x\"\n[dependencies]\nversion = \"1.0.0\"\n";
        let error = place("generated/rust/Cargo.toml").version_in(no_version).unwrap_err().to_string();
        assert!(error.contains("generated/rust/Cargo.toml has no [package] `version`"), "{error}");
    }

    #[test]
    fn a_version_found_elsewhere_than_npm_puts_it_is_refused_naming_the_file() {
        let moved = "{\n  \"name\": \"x\",\n  \"nested\": {\n  \"version\": \"1.0.0\"\n  }\n}\n";
        let error = place("generated/typescript/package.json").version_in(moved).unwrap_err().to_string();
        assert!(error.contains("generated/typescript/package.json has no"), "{error}");
    }

    #[test]
    fn two_versions_in_one_file_are_named() {
        let text = LOCK.replacen("\"0.1.0\"", "\"0.2.0\"", 1);
        let error =
            place("generated/typescript/package-lock.json").version_in(&text).unwrap_err().to_string();
        assert!(error.contains("states two versions") && error.contains("`0.2.0` and `0.1.0`"), "{error}");
    }
}
