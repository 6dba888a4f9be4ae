//! One insta snapshot per event sample, named `<source>.<DetailType>`, so a PR shows every
//! sample change for review. `cargo xtask schemas` writes the same files; on CI (`CI=true`)
//! a new or changed snapshot fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use xtask::outputs::snapshot_body;

#[test]
fn every_sample_matches_its_snapshot() {
    for event in contract_tests::events() {
        let sample = contract_tests::sample(event);
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(event.qualified_name(), snapshot_body(&sample));
        });
    }
}

#[test]
fn no_snapshot_is_orphaned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .expect("tests/snapshots exists")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    let expected: BTreeSet<String> =
        contract_tests::events().iter().map(|e| format!("{}.snap", e.qualified_name())).collect();
    let orphans: Vec<_> = on_disk.difference(&expected).collect();
    assert!(orphans.is_empty(), "snapshots with no registered event: {orphans:?}; run `cargo xtask schemas`");
}
