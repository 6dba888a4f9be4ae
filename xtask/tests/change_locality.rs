//! A change to one event changes that event's generated files and nothing else, so a PR's
//! diff shows exactly what it touched.

use serde_json::json;
use xtask::{events, generate};

#[test]
fn adding_a_field_to_one_event_changes_only_its_own_outputs() {
    let before = generate(&events::all().unwrap().0).unwrap();
    let mut changed = events::all().unwrap().0;
    let event = changed.iter_mut().find(|e| e.detail_type == "TradeCancelled").unwrap();
    event.schema["properties"]["refundDue"] =
        json!({"type": "boolean", "description": "Whether a refund is due."});
    event.schema["required"].as_array_mut().unwrap().push(json!("refundDue"));
    event.sample.as_mut().unwrap()["refundDue"] = json!(true);
    event.round_trip = None; // the Rust type itself did not change in this simulation
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
            "generated/typescript/test/samples.ts",
            "schemas/trading/TradeCancelled.json",
            "tests/snapshots/trading.TradeCancelled.snap",
        ]
    );
    assert_eq!(before.files.len(), after.files.len());
}
