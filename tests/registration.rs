//! No event can be left out of generation: every contract crate is linked into the
//! generator, every registered event is in the catalog, and every sample round-trips
//! through its Rust type.

use std::collections::BTreeSet;
use std::fs;

use xtask::workspace::{self, CONTRACTS_DIR};

/// Contract crates other than `common` each own events; a crate the generator does not link
/// contributes none, so it shows up here.
#[test]
fn every_contract_crate_is_linked_into_the_generator() {
    let root = workspace::root();
    let mut crates_on_disk = BTreeSet::new();
    for entry in fs::read_dir(root.join(CONTRACTS_DIR)).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) else { continue };
        let name = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("a contract manifest names its package");
        if name != "contracts-common" && name != "contracts-all" {
            crates_on_disk.insert(name.to_owned());
        }
    }
    let crates_with_events: BTreeSet<String> =
        contract_tests::events().iter().map(|e| e.owning_crate.to_owned()).collect();
    let unlinked: Vec<_> = crates_on_disk.difference(&crates_with_events).collect();
    assert!(
        unlinked.is_empty(),
        "contract crates with no registered event: {unlinked:?}; add each to the [dependencies] of \
         contracts/all/Cargo.toml with features = [\"samples\"]"
    );
}

#[test]
fn the_catalog_lists_every_registered_event() {
    let catalog: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(workspace::root().join("schemas/catalog.json")).unwrap())
            .unwrap();
    // Sample-only events (contracts/consumed) name their samples folder instead of a crate.
    let listed: Vec<(String, String, String)> = catalog["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("crate").is_some())
        .map(|e| {
            (
                e["source"].as_str().unwrap().into(),
                e["detailType"].as_str().unwrap().into(),
                e["crate"].as_str().unwrap().into(),
            )
        })
        .collect();
    let registered: Vec<(String, String, String)> = contract_tests::events()
        .iter()
        .map(|e| (e.source.into(), e.detail_type.into(), e.owning_crate.into()))
        .collect();
    assert_eq!(listed, registered);
    assert!(registered.len() >= 10, "the platform has at least 10 events");
    assert_eq!(registered.iter().map(|(source, ..)| source).collect::<BTreeSet<_>>().len(), 3);
}

#[test]
fn every_sample_round_trips_through_its_type() {
    for event in contract_tests::events() {
        let sample = contract_tests::sample(event);
        let again =
            (event.round_trip)(sample.clone()).unwrap_or_else(|e| panic!("{}: {e}", event.qualified_name()));
        assert_eq!(again, sample, "{} changes on a round-trip", event.qualified_name());
    }
}

#[test]
fn samples_are_the_same_every_time() {
    for event in contract_tests::events() {
        assert_eq!(
            contract_tests::sample(event),
            contract_tests::sample(event),
            "{}",
            event.qualified_name()
        );
    }
}
