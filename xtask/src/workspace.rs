//! Where things are in the workspace, and the one way folders are walked.

use std::path::{Path, PathBuf};

use schema_emit::Diagnostic;
use walkdir::WalkDir;

/// The workspace root this binary was built in: the parent of this crate's directory. The
/// commands read and write under `--root`, which defaults to it.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The folder of JSON Schemas, relative to the root.
pub const SCHEMAS_DIR: &str = "schemas";
/// The folder of sample snapshots, relative to the root (the snapshot test's `snapshots/`).
pub const SNAPSHOTS_DIR: &str = "tests/snapshots";
/// The folder of contract crates, relative to the root.
pub const CONTRACTS_DIR: &str = "contracts";
/// The crate that links every contract crate into the generator, relative to the root.
pub const CONTRACTS_ALL_DIR: &str = "contracts/all";
/// The folder of sample-only events, relative to the root.
pub const CONSUMED_DIR: &str = "contracts/consumed";
/// The generated Rust crate, relative to the root.
pub const RUST_CRATE_DIR: &str = "generated/rust";
/// The generated TypeScript package, relative to the root.
pub const TYPESCRIPT_PACKAGE_DIR: &str = "generated/typescript";

/// The entries under `dir` from depth 1 to `max_depth`, sorted by name at every level; a
/// missing `dir` has none. The first unreadable entry is an error naming its path.
pub fn walk(dir: &Path, max_depth: usize) -> Result<Vec<walkdir::DirEntry>, Diagnostic> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    WalkDir::new(dir)
        .min_depth(1)
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            entry.map_err(|error| {
                let path = error.path().unwrap_or(dir).display().to_string();
                Diagnostic::new(path, format!("cannot read: {error}"))
            })
        })
        .collect()
}

/// The folders exactly `depth` levels below `dir`, sorted.
pub fn subfolders_at_depth(dir: &Path, depth: usize) -> Result<Vec<PathBuf>, Diagnostic> {
    Ok(walk(dir, depth)?
        .into_iter()
        .filter(|e| e.depth() == depth && e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect())
}

/// The files with `extension` (no dot) up to `max_depth` levels below `dir`, sorted by path.
pub fn files_with_extension(
    dir: &Path,
    extension: &str,
    max_depth: usize,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files: Vec<PathBuf> = walk(dir, max_depth)?
        .into_iter()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == extension))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    Ok(files)
}

/// `path` relative to `root`, with `/` separators on every platform.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
