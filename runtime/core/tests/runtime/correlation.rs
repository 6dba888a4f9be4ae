//! Correlation ids propagate by type: a handler's context comes from the event's own
//! metadata, typed in-process or JSON through the router, so what it publishes carries the
//! same correlation id across the hop.

use std::sync::{Arc, Mutex};

use contracts_common::{EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use contracts_inventory::InventoryCreated;
use event_runtime::{HandlerResult, LocalBus, Manifest, Publisher, RequestContext, Router, Runtime};
use serde_json::json;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    in_process_a_follow_up_event_carries_the_correlation_id_of_the_event_it_reacts_to,
    through_the_router_a_follow_up_event_carries_the_correlation_id_of_the_json_event,
);

/// A handler of `OrganisationCreated` that publishes `InventoryCreated` after its own commit,
/// built from its context's metadata, and records the correlation id its context had.
fn reacting_manifest(seen: &Arc<Mutex<Vec<Uuid>>>) -> Manifest {
    let seen = seen.clone();
    Manifest::builder("inventory", "inventory")
        .add("Inventory", move |_: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(ctx.correlation_id);
                let uow = ctx.begin().await?;
                let mut created = InventoryCreated::sample();
                created.metadata = ctx.metadata();
                ctx.publish_after_commit(created)?;
                uow.commit().await?;
                HandlerResult::Ok(())
            }
        })
        .build()
        .unwrap()
}

async fn in_process_a_follow_up_event_carries_the_correlation_id_of_the_event_it_reacts_to(backend: Backend) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let audit = Arc::new(Mutex::new(Vec::new()));
    let recorded = audit.clone();
    let audit_manifest = Manifest::builder("audit", "audit")
        .add("Audit", move |event: Arc<EventEnvelope<InventoryCreated>>, _: RequestContext| {
            let recorded = recorded.clone();
            async move {
                recorded.lock().unwrap().push(event.detail.metadata.correlation_id);
                HandlerResult::Ok(())
            }
        })
        .build()
        .unwrap();
    let bus = LocalBus::new([reacting_manifest(&seen), audit_manifest]).unwrap();
    let runtime = local_runtime(backend, bus).await;
    let publisher = request(&runtime);
    // The event's own correlation id, not the publishing context's: the type carries it.
    let mut event = organisation_created(&publisher, 1);
    event.metadata.correlation_id = Uuid::new_v4();
    let correlation = event.metadata.correlation_id;

    let uow = publisher.begin().await.unwrap();
    publisher.publish_after_commit(event).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();

    assert!(report.handler_failures.is_empty(), "{:?}", report.handler_failures);
    assert_eq!(*seen.lock().unwrap(), [correlation], "the handler's context continues the event");
    assert_eq!(*audit.lock().unwrap(), [correlation], "so does the event it published");
}

async fn through_the_router_a_follow_up_event_carries_the_correlation_id_of_the_json_event(backend: Backend) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = RecordingSink::new();
    let runtime: Runtime = runtime(backend, sink.clone()).await;
    let router = Router::new(runtime, reacting_manifest(&seen), Some("Inventory"));
    let correlation = Uuid::new_v4();
    let mut detail = serde_json::to_value(OrganisationCreated::sample()).unwrap();
    detail["correlationId"] = json!(correlation);

    router
        .handle(&json!({
            "version": "0",
            "id": Uuid::new_v4(),
            "detail-type": "OrganisationCreated",
            "source": "customers",
            "time": "2026-03-01T12:00:00Z",
            "detail": detail,
        }))
        .await
        .unwrap();

    assert_eq!(*seen.lock().unwrap(), [correlation]);
    let published = sink.events();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].detail_type(), "InventoryCreated");
    assert_eq!(published[0].correlation_id(), Some(correlation), "the follow-up continues the JSON event");
}
