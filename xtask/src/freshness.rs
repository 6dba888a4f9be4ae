//! Keeping the files on disk equal to the generated set: write it, or check it.
//!
//! As rust-analyzer's `ensure_file_contents`: the whole set is rendered first, then either
//! written (creating, updating and deleting orphans) or compared, and every difference is
//! reported with a bounded unified diff and the command that fixes it.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::outputs::{OWNED_FOLDERS, OutputSet};

/// The command that brings the files up to date.
pub const FIX_COMMAND: &str = "cargo xtask schemas";

/// Lines of diff shown per stale file; the rest is summarised.
const MAX_DIFF_LINES: usize = 40;

/// One way the disk differs from the generated set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file differs; `diff` is a unified diff from disk to generated, bounded in length.
    Stale {
        /// Relative path.
        path: String,
        /// The bounded unified diff.
        diff: String,
    },
    /// The file should exist and does not.
    Missing {
        /// Relative path.
        path: String,
    },
    /// The file is in a generated folder but is not generated (e.g. its event was removed).
    Orphan {
        /// Relative path.
        path: String,
    },
}

impl Drift {
    /// The file's relative path.
    pub fn path(&self) -> &str {
        match self {
            Drift::Stale { path, .. } | Drift::Missing { path } | Drift::Orphan { path } => path,
        }
    }
}

/// What [`write`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Orphans deleted.
    pub deleted: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

/// Every difference between `set` and the files under `root`, sorted by path.
pub fn compare(root: &Path, set: &OutputSet) -> io::Result<Vec<Drift>> {
    let mut drifts = Vec::new();
    for (path, expected) in &set.files {
        match read_if_exists(&root.join(path))? {
            None => drifts.push(Drift::Missing { path: path.clone() }),
            Some(actual) if actual != *expected => {
                drifts.push(Drift::Stale { path: path.clone(), diff: bounded_diff(path, &actual, expected) })
            }
            Some(_) => {}
        }
    }
    for path in owned_files(root)? {
        if !set.files.contains_key(&path) {
            drifts.push(Drift::Orphan { path });
        }
    }
    drifts.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(drifts)
}

/// Brings the files under `root` to `set`: writes what differs, deletes orphans.
pub fn write(root: &Path, set: &OutputSet) -> io::Result<WriteSummary> {
    let mut summary = WriteSummary::default();
    for drift in compare(root, set)? {
        let path = drift.path().to_owned();
        let full = root.join(&path);
        match drift {
            Drift::Stale { .. } | Drift::Missing { .. } => {
                write_atomically(&full, &set.files[&path])?;
                summary.written.push(path);
            }
            Drift::Orphan { .. } => {
                fs::remove_file(&full)?;
                remove_empty_parents(root, &full);
                summary.deleted.push(path);
            }
        }
    }
    summary.unchanged = set.files.len() - summary.written.len();
    Ok(summary)
}

/// The `--check` report: every drifted file, its diff, and the fix; `others` counts drifted
/// files reported elsewhere (insta's sample snapshots), which the same command fixes.
pub fn report(drifts: &[Drift], others: usize) -> String {
    let mut text = String::new();
    for drift in drifts {
        match drift {
            Drift::Stale { path, diff } => {
                let _ = writeln!(text, "stale:   {path}\n{diff}");
            }
            Drift::Missing { path } => {
                let _ = writeln!(text, "missing: {path}");
            }
            Drift::Orphan { path } => {
                let _ = writeln!(text, "orphan:  {path} (no event generates it)");
            }
        }
    }
    let _ = writeln!(
        text,
        "{} generated file(s) are out of date: run `{FIX_COMMAND}` and commit the result.",
        drifts.len() + others
    );
    text
}

fn bounded_diff(path: &str, actual: &str, expected: &str) -> String {
    let diff = TextDiff::from_lines(actual, expected);
    let full =
        diff.unified_diff().context_radius(2).header(&format!("a/{path}"), &format!("b/{path}")).to_string();
    let lines: Vec<&str> = full.lines().collect();
    let mut shown = lines.iter().take(MAX_DIFF_LINES).fold(String::new(), |mut out, line| {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
        out
    });
    if lines.len() > MAX_DIFF_LINES {
        let _ = writeln!(shown, "    ... {} more diff line(s)", lines.len() - MAX_DIFF_LINES);
    }
    shown
}

/// Relative paths of the files on disk in the generator's folders.
fn owned_files(root: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    for folder in OWNED_FOLDERS {
        let files =
            crate::workspace::files_with_extension(&root.join(folder.dir), folder.extension, usize::MAX)
                .map_err(|e| io::Error::other(e.to_string()))?;
        found.extend(files.iter().map(|path| crate::workspace::relative(root, path)));
    }
    found.sort();
    Ok(found)
}

fn read_if_exists(path: &Path) -> io::Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
pub(crate) fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().expect("generated files live in a folder");
    fs::create_dir_all(dir)?;
    let temporary: PathBuf = dir.join(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    fs::write(&temporary, contents)?;
    fs::rename(&temporary, path)
}

/// Removes folders emptied by deleting orphans (e.g. a source whose last event went), up to
/// but not including `root`'s owned folders' parents.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == root || OWNED_FOLDERS.iter().any(|f| root.join(f.dir) == current) {
            break;
        }
        if fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
