//! Sample snapshots (`tests/snapshots/<source>.<DetailType>.snap`) are insta's: the snapshot
//! test in `tests/snapshots.rs` is their only writer. After `cargo xtask schemas` has written
//! everything else, this module reads the snapshots with insta's own reader and, when a
//! sample has changed, has that test refresh them (`INSTA_UPDATE=always`), so one command
//! still brings every file up to date.

use std::path::Path;

use anyhow::{Context as _, Result};

use contracts_common::registry::sample_name;

use crate::cmd::Cmd;
use crate::events::EventInput;
use crate::workspace::SNAPSHOTS_DIR;

/// What a snapshot holds for a sample: its pretty JSON, as `tests/snapshots.rs` writes it.
pub fn body(sample: &serde_json::Value) -> String {
    serde_json::to_string_pretty(sample).expect("a sample serialises")
}

/// The snapshots under `root` that are missing, stale or orphaned, by file name.
pub fn drifted(root: &Path, events: &[EventInput]) -> Vec<String> {
    let dir = root.join(SNAPSHOTS_DIR);
    let mut drifted = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for event in events.iter().filter(|e| matches!(e.kind, crate::events::EventKind::Registered { .. })) {
        let Ok(samples) = &event.samples else { continue };
        for (index, sample) in samples.iter().enumerate() {
            let name = format!("{}.snap", sample_name(&event.source, &event.detail_type, index));
            let current = insta::Snapshot::from_file(&dir.join(&name))
                .ok()
                .and_then(|snapshot| snapshot.as_text().map(ToString::to_string));
            if current.as_deref() != Some(body(sample).as_str()) {
                drifted.push(name.clone());
            }
            expected.insert(name);
        }
    }
    let on_disk = crate::workspace::files_with_extension(&dir, "snap", 1).unwrap_or_default();
    for path in on_disk {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !expected.contains(&name) {
            drifted.push(name);
        }
    }
    drifted.sort();
    drifted
}

/// Whether `root` is the workspace this binary was built in: the only one whose snapshot
/// test (and so whose snapshots) it knows.
pub fn apply_to(root: &Path) -> bool {
    let canonical = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical(root) == canonical(&crate::workspace::root())
}

/// Brings the snapshots under `root` up to date by running the snapshot test with
/// `INSTA_UPDATE=always`, if any has drifted; returns the drifted ones.
pub fn refresh(root: &Path, events: &[EventInput]) -> Result<Vec<String>> {
    let drifted = drifted(root, events);
    if drifted.is_empty() {
        return Ok(drifted);
    }
    println!("snapshots: insta updates {} sample snapshot(s): {}", drifted.len(), drifted.join(", "));
    Cmd::new("cargo")
        .args(["test", "--quiet", "--package", "contract-tests", "--test", "snapshots"])
        .env("INSTA_UPDATE", "always")
        .dir(root)
        .run()
        .context("the snapshot test failed while updating")?;
    Ok(drifted)
}
