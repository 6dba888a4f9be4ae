//! One insta snapshot per event sample, named `<source>.<DetailType>` (then `.2`, `.3`, ...
//! for the further samples), so a PR shows every sample change for review.
//!
//! insta is the only writer of these files: `cargo xtask schemas` runs this test with
//! `INSTA_UPDATE=always` to refresh them, a developer can review changes with `cargo insta
//! review`, and on CI (`CI=true`) a new or changed snapshot fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

#[test]
fn every_sample_matches_its_snapshot() {
    for event in contract_tests::events() {
        for (index, sample) in event.samples().unwrap_or_else(|e| panic!("{e}")).iter().enumerate() {
            let body = serde_json::to_string_pretty(sample).expect("a sample serialises");
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(event.sample_name(index), body);
            });
        }
    }
}

/// A snapshot whose event is gone fails the run, or is removed when insta is told to update
/// (`INSTA_UPDATE=always`, as `cargo xtask schemas` runs this test).
#[test]
fn no_snapshot_is_orphaned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let on_disk: BTreeSet<String> = walkdir::WalkDir::new(&dir)
        .max_depth(1)
        .into_iter()
        .map(|entry| entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    let expected: BTreeSet<String> = contract_tests::events()
        .iter()
        .flat_map(|e| (0..e.samples().map_or(1, |s| s.len())).map(|i| format!("{}.snap", e.sample_name(i))))
        .collect();
    let orphans: Vec<&String> = on_disk.difference(&expected).collect();
    if std::env::var("INSTA_UPDATE").is_ok_and(|update| update == "always") {
        for orphan in orphans {
            fs::remove_file(dir.join(orphan)).unwrap();
            println!("deleted tests/snapshots/{orphan}");
        }
        return;
    }
    assert!(orphans.is_empty(), "snapshots with no registered event: {orphans:?}; run `cargo xtask schemas`");
}
