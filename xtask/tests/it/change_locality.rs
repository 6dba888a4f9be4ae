//! A change to one event changes that event's generated files and nothing else, so a PR's
//! diff shows exactly what it touched.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use serde_json::json;
use xtask::events::EventKind;
use xtask::{events, generate, workspace};

#[test]
fn adding_a_field_to_one_event_changes_only_its_own_outputs() {
    let before = generate(&events::all(&workspace::root()).unwrap().0).unwrap();
    let mut changed = events::all(&workspace::root()).unwrap().0;
    let event = changed.iter_mut().find(|e| e.detail_type == "TradeCancelled").unwrap();
    event.schema["properties"]["refundDue"] =
        json!({"type": "boolean", "description": "Whether a refund is due."});
    event.schema["required"].as_array_mut().unwrap().push(json!("refundDue"));
    event.samples.as_mut().unwrap()[0]["refundDue"] = json!(true);
    // The Rust type itself did not change in this simulation: its round trip is the identity.
    if let EventKind::Registered { round_trip, .. } = &mut event.kind {
        *round_trip = Ok;
    }
    let after = generate(&changed).unwrap();

    let differing: Vec<&str> = after
        .files
        .iter()
        .filter(|(path, text)| before.files.get(*path) != Some(*text))
        .map(|(path, _)| path.as_str())
        .collect();
    assert_eq!(
        differing,
        [
            "generated/rust/src/trading.rs",
            "generated/typescript/src/trading.ts",
            // The event's validator, compiled ahead of time; no other event's.
            "generated/typescript/src/validators/trading/TradeCancelled.js",
            // The package's tests get every sample in its envelope.
            "generated/typescript/test/envelopes.json",
            "generated/typescript/test/samples.ts",
            // The AsyncAPI document holds every event's schema and sample.
            "schemas/asyncapi.yaml",
            "schemas/trading/TradeCancelled.json",
        ]
    );
    assert_eq!(before.files.len(), after.files.len());
}
