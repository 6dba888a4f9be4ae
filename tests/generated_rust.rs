//! The generated Rust crate (`generated/rust`, typify output) takes every event's sample and
//! gives back the same JSON: consumers without the contract crates lose nothing.

use serde_json::json;

#[test]
fn every_sample_round_trips_through_its_generated_type() {
    for event in contract_tests::events() {
        let sample = (event.sample_json)().unwrap();
        let again = platform_events::round_trip(event.source, event.detail_type, sample.clone())
            .unwrap_or_else(|| panic!("{} has no generated type", event.qualified_name()))
            .unwrap_or_else(|e| {
                panic!("{} does not deserialise into its generated type: {e}", event.qualified_name())
            });
        assert_eq!(again, sample, "{} changes on a round-trip", event.qualified_name());
    }
}

#[test]
fn the_generated_crate_lists_exactly_the_registered_events() {
    let registered: Vec<(&str, &str)> =
        contract_tests::events().iter().map(|e| (e.source, e.detail_type)).collect();
    assert_eq!(platform_events::EVENTS, registered.as_slice());
}

/// `Option` fields of the contracts are optional and nullable in their schema; the
/// generated type keeps `null`, absent and a value apart.
#[test]
fn null_and_absent_stay_distinct_in_generated_types() {
    let mut sample =
        (contract_tests::events().iter().find(|e| e.detail_type == "TradeCancelled").unwrap().sample_json)()
            .unwrap();
    for note in [json!(null), json!("frost")] {
        sample["note"] = note;
        let again =
            platform_events::round_trip("trading", "TradeCancelled", sample.clone()).unwrap().unwrap();
        assert_eq!(again, sample);
    }
    sample.as_object_mut().unwrap().remove("note");
    let again = platform_events::round_trip("trading", "TradeCancelled", sample.clone()).unwrap().unwrap();
    assert_eq!(again, sample, "an absent note must stay absent");
}

#[test]
fn a_payload_that_breaks_the_schema_is_rejected() {
    let mut sample = (contract_tests::events()[0].sample_json)().unwrap();
    sample["correlationId"] = json!(42);
    let event = contract_tests::events()[0];
    assert!(platform_events::round_trip(event.source, event.detail_type, sample).unwrap().is_err());
}
