//! The generated Rust crate (`generated/rust`, typify output) takes every event's sample and
//! gives back the same JSON: consumers without the contract crates lose nothing.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use serde_json::{Value, json};
use xtask::events::{self, EventInput, EventKind};
use xtask::workspace;

fn all_events() -> Vec<EventInput> {
    events::all(&workspace::root()).unwrap_or_else(|e| panic!("{e:?}")).0
}

fn registered() -> Vec<EventInput> {
    all_events().into_iter().filter(|e| matches!(e.kind, EventKind::Registered { .. })).collect()
}

fn first_sample(event: &EventInput) -> Value {
    event.samples.as_ref().unwrap()[0].clone()
}

#[test]
fn every_sample_round_trips_through_its_generated_type() {
    for event in registered() {
        let sample = first_sample(&event);
        let again = platform_events::round_trip(&event.source, &event.detail_type, sample.clone())
            .unwrap_or_else(|| panic!("{} has no generated type", event.qualified_name()))
            .unwrap_or_else(|e| {
                panic!("{} does not deserialise into its generated type: {e}", event.qualified_name())
            });
        assert_eq!(again, sample, "{} changes on a round-trip", event.qualified_name());
    }
}

#[test]
fn the_generated_crate_lists_exactly_the_events_of_the_catalog() {
    let events = all_events();
    let expected: Vec<(&str, &str)> =
        events.iter().map(|e| (e.source.as_str(), e.detail_type.as_str())).collect();
    assert_eq!(platform_events::EVENTS, expected.as_slice());
    assert!(expected.contains(&("aws.events", "Scheduled Event")), "sample-only events are generated too");
}

/// Sample-only events (AWS service events in contracts/consumed): every sample's `detail`
/// round-trips through the type generated from the schema inferred from them.
#[test]
fn every_consumed_sample_round_trips_through_its_generated_type() {
    let consumed: Vec<_> = all_events().into_iter().filter(EventInput::is_inferred).collect();
    assert!(!consumed.is_empty(), "the workspace has sample-only events (contracts/consumed)");
    for event in consumed {
        for detail in event.samples.as_ref().unwrap() {
            let again = platform_events::round_trip(&event.source, &event.detail_type, detail.clone())
                .unwrap_or_else(|| panic!("{} has no generated type", event.qualified_name()))
                .unwrap_or_else(|e| panic!("{}: {e}", event.qualified_name()));
            assert_eq!(&again, detail, "{} changes on a round-trip", event.qualified_name());
        }
    }
}

/// An `Option` serde always writes is required and nullable in its schema: the generated
/// type keeps `null` and a value, and rejects a payload without the field.
#[test]
fn an_always_written_option_is_required_and_nullable_in_generated_types() {
    let mut sample = first_sample(registered().iter().find(|e| e.detail_type == "TradeCancelled").unwrap());
    for note in [json!(null), json!("frost")] {
        sample["note"] = note;
        let again =
            platform_events::round_trip("trading", "TradeCancelled", sample.clone()).unwrap().unwrap();
        assert_eq!(again, sample);
    }
    sample.as_object_mut().unwrap().remove("note");
    let error = platform_events::round_trip("trading", "TradeCancelled", sample).unwrap().unwrap_err();
    assert!(error.to_string().contains("missing field `note`"), "{error}");
}

#[test]
fn a_payload_that_breaks_the_schema_is_rejected() {
    let event = &registered()[0];
    let mut sample = first_sample(event);
    sample["correlationId"] = json!(42);
    assert!(platform_events::round_trip(&event.source, &event.detail_type, sample).unwrap().is_err());
}

/// The same envelope the runtime publishes, around `detail`.
fn envelope(source: &str, detail_type: &str, detail: Value) -> Value {
    json!({"version": "0", "id": "e-1", "detail-type": detail_type, "source": source, "account": "123456789012",
        "time": "2026-03-01T12:00:00Z", "region": "ap-southeast-2", "resources": [], "detail": detail})
}

/// A Rust consumer built from this commit's generated code accepts every sample of every
/// event (the "forward" role of the compatibility gate, exercised for real), and tells which
/// event it is.
#[test]
fn platform_event_reads_every_sample_of_every_event() {
    for event in all_events() {
        for sample in event.samples.as_ref().unwrap() {
            let value = envelope(&event.source, &event.detail_type, sample.clone());
            let parsed = platform_events::PlatformEvent::from_eventbridge(&value.to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", event.qualified_name()));
            // The text's direct read and the parsed value's read agree.
            assert_eq!(Ok(&parsed), platform_events::PlatformEvent::from_value(value).as_ref());
            assert_eq!(
                (parsed.source(), parsed.detail_type()),
                (event.source.as_str(), event.detail_type.as_str())
            );
        }
    }
}

#[test]
fn platform_event_errors_are_typed_and_say_where() {
    use platform_events::{ParseError, PlatformEvent};
    let event = &registered()[0];
    let mut detail = first_sample(event);
    detail["correlationId"] = json!(42);
    let broken = envelope(&event.source, &event.detail_type, detail);
    // From text, a broken event is read again to say where: the same error as from a value.
    assert_eq!(
        PlatformEvent::from_eventbridge(&broken.to_string()).unwrap_err(),
        PlatformEvent::from_value(broken.clone()).unwrap_err()
    );
    match PlatformEvent::from_value(broken).unwrap_err() {
        ParseError::Detail { path, source, .. } => {
            assert_eq!(path, "correlationId");
            assert_eq!(source, event.source);
        }
        other => panic!("expected a detail error, got {other:?}"),
    }
    assert_eq!(
        PlatformEvent::from_value(envelope("trading", "TradeSettled", json!({}))).unwrap_err(),
        ParseError::UnknownEvent { source: "trading".into(), detail_type: "TradeSettled".into() }
    );
    let not_an_object =
        PlatformEvent::from_value(json!(["0", "e-1", "TradeCreated", "trading"])).unwrap_err();
    assert!(matches!(not_an_object, ParseError::Envelope { .. }), "{not_an_object:?}");
    let no_time = PlatformEvent::from_eventbridge(
        r#"{"version": "0", "id": "e", "detail-type": "x", "source": "y", "detail": {}}"#,
    );
    assert_eq!(no_time.unwrap_err().to_string(), "not an EventBridge event: missing field `time`");
}
