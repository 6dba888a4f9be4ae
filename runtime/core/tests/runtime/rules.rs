//! EventBridge rule patterns generated from manifests agree with routing.

use std::sync::Arc;

use contracts_common::{EventEnvelope, registry};
use contracts_customers::{OrganisationCreated, UserInvited};
use contracts_inventory::StockAdjusted;
use contracts_trading::TradeInventoryAllocated;
use event_runtime::{HandlerResult, Manifest, RequestContext, Router, RulePattern};
use serde_json::{Value, json};

use crate::support::*;

async fn ignore<E>(_: Arc<EventEnvelope<E>>, _: RequestContext) -> HandlerResult {
    Ok(())
}

/// The inventory module's handlers: a few typed events from three sources.
fn inventory_manifest() -> Manifest {
    Manifest::builder("inventory", "inventory")
        .add::<TradeInventoryAllocated>("Inventory", ignore)
        .add::<OrganisationCreated>("Inventory", ignore)
        .add::<StockAdjusted>("Inventory", ignore)
        .add::<UserInvited>("Notifications", ignore)
        .build()
        .unwrap()
}

/// An audit module taking every registered event by string key.
fn audit_manifest() -> Manifest {
    registry::all()
        .into_iter()
        .fold(Manifest::builder("audit", "audit"), |builder, event| {
            builder.add_json(&format!("Audit{}", event.detail_type), ignore::<Value>)
        })
        .build()
        .unwrap()
}

/// The sample of a registered event in its EventBridge envelope.
fn sample_envelope(event: &registry::Registration) -> Value {
    json!({
        "version": "0",
        "id": "0b6e5a8e-8f7e-4a57-9d38-5f7c1cdbf7a1",
        "detail-type": event.detail_type,
        "source": event.source,
        "time": "2026-03-01T12:00:00Z",
        "detail": event.samples().unwrap()[0],
    })
}

#[test]
fn the_rule_pattern_lists_sorted_sources_and_detail_types() {
    let pattern = inventory_manifest().rule_pattern().unwrap();

    assert_eq!(
        pattern.to_json().to_string(),
        r#"{"source":["customers","inventory","trading"],"detail-type":["OrganisationCreated","StockAdjusted","TradeInventoryAllocated","UserInvited"]}"#
    );
    assert_eq!(inventory_manifest().rule_pattern(), Some(pattern));
    assert_eq!(
        inventory_manifest().rule_pattern_for(Some("Notifications")),
        Some(RulePattern { source: vec!["customers".into()], detail_type: vec!["UserInvited".into()] })
    );
    assert_eq!(inventory_manifest().rule_pattern_for(Some("Nobody")), None);
}

#[tokio::test]
async fn every_registered_events_sample_matches_exactly_the_patterns_of_the_handlers_that_take_it() {
    let events = registry::all();
    assert!(events.len() >= 10, "the contract crates are linked: {} events", events.len());
    let runtime = runtime(Backend::Sqlite, RecordingSink::new()).await;
    for manifest in [inventory_manifest(), audit_manifest()] {
        let mut prefixes: Vec<&str> = manifest.handlers().iter().map(|entry| entry.prefix()).collect();
        prefixes.dedup();
        for prefix in prefixes {
            let pattern = manifest.rule_pattern_for(Some(prefix)).unwrap();
            let router = Router::new(runtime.clone(), manifest.clone(), Some(prefix));
            for event in &events {
                let envelope = sample_envelope(event);
                let taken = manifest.handler(&format!("{prefix}{}", event.detail_type)).is_some();
                assert_eq!(
                    pattern.matches(&envelope),
                    taken,
                    "{}: pattern of {}/{prefix} {pattern:?}",
                    event.qualified_name(),
                    manifest.module()
                );
                if taken {
                    router.handle(&envelope).await.unwrap();
                }
            }
        }
    }
}

#[test]
fn the_sam_events_snippet_takes_the_bus_from_a_parameter() {
    let events = inventory_manifest().sam_events(Some("Inventory"), "EventBusName").unwrap().unwrap();

    assert_eq!(
        events,
        json!({
            "InventoryInventoryEvents": {
                "Type": "EventBridgeRule",
                "Properties": {
                    "EventBusName": { "Ref": "EventBusName" },
                    "Pattern": {
                        "source": ["customers", "inventory", "trading"],
                        "detail-type": ["OrganisationCreated", "StockAdjusted", "TradeInventoryAllocated"],
                    },
                },
            },
        })
    );
}

#[test]
fn a_pattern_matches_only_exact_values() {
    let pattern =
        RulePattern { source: vec!["customers".into()], detail_type: vec!["OrganisationCreated".into()] };

    assert!(pattern.matches(&json!({"source": "customers", "detail-type": "OrganisationCreated"})));
    assert!(!pattern.matches(&json!({"source": "customers", "detail-type": "OrganisationCreatedV2"})));
    assert!(!pattern.matches(&json!({"source": "trading", "detail-type": "OrganisationCreated"})));
    assert!(!pattern.matches(&json!({"detail-type": "OrganisationCreated"})));
}
