//! No event can be left out: every registered event is in the catalog, and every sample
//! round-trips through its Rust type and is the same on every run. (A contract crate that
//! is not linked into the generator is reported by `cargo xtask schemas` itself.)

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use contracts_common::catalog::{Catalog, DefinedBy};

#[test]
fn the_catalog_lists_every_registered_event() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(Catalog::FILE_NAME);
    let catalog: Catalog = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    // Sample-only events (contracts/consumed) name their samples folder instead of a crate.
    let listed: Vec<(String, String, String)> = catalog
        .events
        .into_iter()
        .filter_map(|e| match e.defined_by {
            DefinedBy::Crate { name } => Some((e.source, e.detail_type, name)),
            DefinedBy::Samples { .. } => None,
        })
        .collect();
    let registered: Vec<(String, String, String)> = contract_tests::events()
        .iter()
        .map(|e| (e.source.into(), e.detail_type.into(), e.owning_crate.into()))
        .collect();
    assert_eq!(listed, registered);
    assert!(!registered.is_empty(), "the contracts register events");
    let sources: BTreeSet<_> = registered.iter().map(|(source, ..)| source).collect();
    let crates: BTreeSet<_> = registered.iter().map(|(.., owner)| owner).collect();
    assert_eq!(sources.len(), crates.len(), "one source per contract crate: {sources:?} {crates:?}");
}

#[test]
fn every_sample_round_trips_through_its_type() {
    for event in contract_tests::events() {
        for sample in event.samples().unwrap() {
            let again = (event.round_trip)(sample.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", event.qualified_name()));
            assert_eq!(again, sample, "{} changes on a round-trip", event.qualified_name());
        }
    }
}

#[test]
fn samples_are_the_same_every_time() {
    for event in contract_tests::events() {
        assert_eq!(event.samples().unwrap(), event.samples().unwrap(), "{}", event.qualified_name());
    }
}
