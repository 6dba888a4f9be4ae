//! Where things are in the workspace.

use std::path::{Path, PathBuf};

/// The workspace root: the parent of this crate's directory.
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
/// The folder of sample-only events, relative to the root.
pub const CONSUMED_DIR: &str = "contracts/consumed";
