//! The schema files' past, read from git: what a revision holds, and every version each file
//! has had.
//!
//! Plain `git` through [`crate::cmd::Cmd`] (no libgit2): one `git log` lists every
//! version of every schema file as a blob id, and one `git cat-file --batch` reads all the
//! distinct blobs, so a history of hundreds of commits costs two processes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::cmd::Cmd;
use crate::workspace::SCHEMAS_DIR;

/// One committed version of a schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The newest commit that wrote this content, abbreviated: the version's label.
    pub commit: String,
    /// That commit's date (`YYYY-MM-DD`).
    pub date: String,
    /// That commit's subject line.
    pub subject: String,
    /// The file's content.
    pub text: String,
}

impl Version {
    /// How reports name the version: `1a2b3c4d5e6f (2026-11-20)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.commit, self.date)
    }
}

/// Whether `path` (relative, `/`-separated) is an event's schema: `schemas/<source>/<name>.json`.
pub fn is_event_schema(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(SCHEMAS_DIR).and_then(|p| p.strip_prefix('/')) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    parts.len() == 2 && parts[1].ends_with(".json") && !parts[0].is_empty()
}

/// `source.DetailType` of an event schema path.
pub fn event_name(path: &str) -> String {
    let rest = path.strip_prefix(SCHEMAS_DIR).unwrap_or(path).trim_start_matches('/');
    let (source, file) = rest.split_once('/').unwrap_or(("", rest));
    format!("{source}.{}", file.strip_suffix(".json").unwrap_or(file))
}

/// Runs `git args` in `root` and returns its standard output; a failure names the command and
/// repeats git's message.
pub fn git(root: &Path, args: &[&str]) -> Result<String> {
    Cmd::new("git").args(args).dir(root).read()
}

/// The revision to compare with when none is given: the merge-base of `HEAD` with `main`
/// (or `origin/main`).
pub fn default_base(root: &Path) -> Result<String> {
    for branch in ["main", "origin/main"] {
        if git(root, &["rev-parse", "--verify", "--quiet", &format!("{branch}^{{commit}}")]).is_ok() {
            let base = git(root, &["merge-base", "HEAD", branch])?;
            return Ok(base.trim().to_owned());
        }
    }
    bail!(
        "no branch `main` or `origin/main` to find the base revision from; pass --base REV (a commit, tag or branch)"
    )
}

/// Fails when the repository is a shallow clone: a transitive check would silently see only
/// part of the history.
pub fn require_full_history(root: &Path) -> Result<()> {
    if git(root, &["rev-parse", "--is-shallow-repository"])?.trim() == "true" {
        bail!(
            "{} is a shallow clone, so the schemas' history is incomplete; run `git fetch --unshallow` (or clone \
             without --depth) and try again",
            root.display()
        );
    }
    Ok(())
}

/// Every event schema file at `revision`, by path, with its content.
pub fn schemas_at(root: &Path, revision: &str) -> Result<BTreeMap<String, String>> {
    let commit =
        git(root, &["rev-parse", "--verify", &format!("{revision}^{{commit}}")]).with_context(|| {
            format!(
                "`{revision}` is not a commit of this repository; pass --base with a commit, tag or branch"
            )
        })?;
    let listing = git(root, &["ls-tree", "-r", "-z", commit.trim(), "--", &format!("{SCHEMAS_DIR}/")])?;
    let mut blobs = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        // `<mode> blob <id>\t<path>`
        let Some((meta, path)) = entry.split_once('\t') else { continue };
        let Some(blob) = meta.split_whitespace().nth(2) else { continue };
        if is_event_schema(path) {
            blobs.push((path.to_owned(), blob.to_owned()));
        }
    }
    let texts = read_blobs(root, blobs.iter().map(|(_, blob)| blob.as_str()))?;
    Ok(blobs.into_iter().map(|(path, blob)| (path, texts[&blob].clone())).collect())
}

/// Every distinct committed version of every event schema file reachable from `HEAD`, by
/// path, newest first. A content that several commits wrote is one version, labelled with
/// the newest of them.
pub fn all_versions(root: &Path) -> Result<BTreeMap<String, Vec<Version>>> {
    if git(root, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err() {
        return Ok(BTreeMap::new());
    }
    // `-m` shows merges against each parent, so content first written by a merge counts;
    // `-z` keeps paths with spaces intact.
    let log = git(
        root,
        &[
            "log",
            "-m",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "-z",
            "--format=%x01%H%x00%cs%x00%s",
            "--",
            &format!("{SCHEMAS_DIR}/"),
        ],
    )?;
    let mut found: BTreeMap<String, Vec<(String, String, String, String)>> = BTreeMap::new();
    for chunk in log.split('\x01').filter(|c| !c.is_empty()) {
        let mut fields = chunk.split('\0');
        let (Some(commit), Some(date), Some(subject)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let rest: Vec<&str> = fields.map(|f| f.trim_start_matches('\n')).collect();
        for pair in rest.chunks(2) {
            let [meta, path] = pair else { continue };
            // `:<old mode> <new mode> <old blob> <new blob> <status>`
            let Some(blob) = meta.split_whitespace().nth(3) else { continue };
            if blob.bytes().all(|b| b == b'0') || !is_event_schema(path) {
                continue; // deleted here, or not an event schema
            }
            let versions = found.entry((*path).to_owned()).or_default();
            if !versions.iter().any(|(b, ..)| b == blob) {
                versions.push((blob.to_owned(), short(commit), date.to_owned(), subject.to_owned()));
            }
        }
    }
    let texts = read_blobs(root, found.values().flatten().map(|(blob, ..)| blob.as_str()))?;
    Ok(found
        .into_iter()
        .map(|(path, versions)| {
            let versions = versions
                .into_iter()
                .map(|(blob, commit, date, subject)| Version {
                    commit,
                    date,
                    subject,
                    text: texts[&blob].clone(),
                })
                .collect();
            (path, versions)
        })
        .collect())
}

fn short(commit: &str) -> String {
    commit.chars().take(12).collect()
}

/// The contents of `blobs`, by id, read by one `git cat-file --batch`.
fn read_blobs<'b>(root: &Path, blobs: impl Iterator<Item = &'b str>) -> Result<BTreeMap<String, String>> {
    let mut wanted: Vec<&str> = blobs.collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let request = wanted.iter().fold(String::new(), |mut all, blob| {
        all.push_str(blob);
        all.push('\n');
        all
    });
    let output = Cmd::new("git").args(["cat-file", "--batch"]).dir(root).stdin(request).read_bytes()?;
    parse_batch(&output, &wanted)
}

/// Splits `git cat-file --batch` output (`<id> <type> <size>\n<content>\n` per object).
fn parse_batch(mut bytes: &[u8], wanted: &[&str]) -> Result<BTreeMap<String, String>> {
    let mut texts = BTreeMap::new();
    for blob in wanted {
        let line_end = bytes.iter().position(|&b| b == b'\n').context("`git cat-file` output ended early")?;
        let header = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
        let size: usize = match header.split_whitespace().collect::<Vec<_>>()[..] {
            [_, _, size] => size.parse().with_context(|| format!("`git cat-file` header `{header}`"))?,
            _ => bail!("git has no object {blob}: `{header}`"),
        };
        let start = line_end + 1;
        let content = bytes.get(start..start + size).context("`git cat-file` output ended early")?;
        texts.insert((*blob).to_owned(), String::from_utf8_lossy(content).into_owned());
        bytes = bytes.get(start + size + 1..).unwrap_or_default();
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_schemas_are_the_files_one_folder_below_schemas() {
        assert!(is_event_schema("schemas/trading/TradeCancelled.json"));
        assert!(is_event_schema("schemas/aws.events/Scheduled Event.json"));
        assert!(!is_event_schema("schemas/catalog.json"));
        assert!(!is_event_schema("schemas/asyncapi.yaml"));
        assert!(!is_event_schema("schemas/trading/nested/X.json"));
        assert!(!is_event_schema("other/trading/X.json"));
        assert_eq!(event_name("schemas/aws.events/Scheduled Event.json"), "aws.events.Scheduled Event");
    }

    #[test]
    fn batch_output_is_split_by_the_sizes_git_gives() {
        let output = b"aaa blob 3\n{}\n\nbbb blob 2\n[]\n";
        let texts = parse_batch(output, &["aaa", "bbb"]).unwrap();
        assert_eq!(texts["aaa"], "{}\n");
        assert_eq!(texts["bbb"], "[]");
    }
}
