//! A sample that leaves a field without a value, or breaks its schema, fails generation with
//! a message naming the event, the JSON path and the factory; every failure is reported.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use schemars::JsonSchema;
use serde::Serialize;
use xtask::events::{EventInput, EventKind};
use xtask::generate;

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Allocation {
    inventory_id: String,
    grade: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct TradeInventoryAllocated {
    trade_id: String,
    allocations: Vec<Allocation>,
    note: Option<String>,
}

fn allocated(allocations: Vec<Allocation>, note: Option<&str>) -> EventInput {
    let sample = TradeInventoryAllocated { trade_id: "t-1".into(), allocations, note: note.map(Into::into) };
    EventInput::from_type("trading", "TradeInventoryAllocated", &sample)
}

fn failures(events: &[EventInput]) -> Vec<String> {
    generate(events).expect_err("generation must fail").failures.iter().map(ToString::to_string).collect()
}

#[test]
fn a_complete_sample_passes() {
    let full = allocated(vec![Allocation { inventory_id: "i".into(), grade: Some("H1".into()) }], Some("n"));
    let set = generate(&[full]).unwrap();
    assert!(set.files.contains_key("schemas/trading/TradeInventoryAllocated.json"));
}

#[test]
fn an_empty_list_fails_with_its_path() {
    assert_eq!(
        failures(&[allocated(vec![], Some("n"))]),
        ["trading.TradeInventoryAllocated: sample leaves /allocations empty; give it a non-empty list, \
          in the factory behind `TradeInventoryAllocated::sample()` (tests)"]
    );
}

#[test]
fn a_none_option_fails_with_its_path_even_inside_a_list() {
    let sample = allocated(vec![Allocation { inventory_id: "i".into(), grade: None }], None);
    assert_eq!(
        failures(&[sample]),
        [
            "trading.TradeInventoryAllocated: sample leaves /allocations/0/grade null, as in every `Allocation` of the \
             samples; give the Option a Some value, \
             in the factory behind `TradeInventoryAllocated::sample()` (tests)",
            "trading.TradeInventoryAllocated: sample leaves /note null; give the Option a Some value, \
             in the factory behind `TradeInventoryAllocated::sample()` (tests)",
        ]
    );
}

#[test]
fn every_failing_event_is_reported_and_nothing_is_produced() {
    let mut other = allocated(vec![], None);
    other.detail_type = "Other".into();
    let found = failures(&[allocated(vec![], Some("n")), other]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("trading.TradeInventoryAllocated: "));
    assert!(found[1].starts_with("trading.Other: ") && found[2].starts_with("trading.Other: "));
}

#[test]
fn a_sample_that_breaks_its_schema_fails_naming_the_path() {
    let mut event =
        allocated(vec![Allocation { inventory_id: "i".into(), grade: Some("H1".into()) }], Some("n"));
    event.samples = Ok(vec![serde_json::json!(
        {"tradeId": 7, "allocations": [{"inventoryId": "i", "grade": "H1"}], "note": "n"}
    )]);
    let found = failures(&[event]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("trading.TradeInventoryAllocated: sample breaks its schema at /tradeId: "),
        "{}",
        found[0]
    );
}

/// A field beside the flattened metadata with the same JSON name silently overwrites it in
/// the JSON; the round-trip through the type exposes it.
#[test]
fn a_field_colliding_with_flattened_metadata_fails() {
    let mut event =
        allocated(vec![Allocation { inventory_id: "i".into(), grade: Some("H1".into()) }], Some("n"));
    event.kind = EventKind::Registered {
        owning_crate: "tests".into(),
        round_trip: |_| Err(serde::de::Error::missing_field("organisationId")),
    };
    let found = failures(&[event]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("sample does not deserialise into its own type: missing field `organisationId`")
    );
}

#[test]
fn two_events_with_one_name_are_rejected() {
    let full =
        || allocated(vec![Allocation { inventory_id: "i".into(), grade: Some("H1".into()) }], Some("n"));
    let found = failures(&[full(), full()]);
    assert_eq!(
        found,
        ["trading.TradeInventoryAllocated: registered twice, in tests and tests; rename one event"]
    );
}

/// A factory that panics is one more reported problem, with its message and place; every
/// other event is still checked.
#[test]
fn a_panicking_sample_is_reported_and_the_others_still_checked() {
    use contracts_common::registry::{Registration, schema_of};
    let exploding = Registration {
        source: "trading",
        detail_type: "TradeExploded",
        owning_crate: "tests",
        defined_in: "xtask/tests/it/sample_checks.rs",
        build_samples: Some(|| panic!("factory exploded")),
        schema: schema_of::<TradeInventoryAllocated>,
        round_trip: Ok,
    };
    let broken = allocated(vec![], Some("n"));
    let found = failures(&[xtask::events::registered::input(&exploding), broken]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with(
            "trading.TradeExploded: sample() panicked: factory exploded (xtask/tests/it/sample_checks.rs:"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("trading.TradeInventoryAllocated: sample leaves /allocations empty"),
        "{}",
        found[1]
    );
}
