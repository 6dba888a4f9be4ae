//! The inbox: at-least-once delivery, exactly-once effects, in-process and through the router.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use contracts_common::{EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use event_runtime::{
    Error, EventSink, HandlerResult, LocalBus, Manifest, OutboundEvent, RequestContext, Router, Runtime, sqlx,
};
use serde_json::json;

use crate::support::*;

on_both_backends!(
    a_redelivered_event_is_applied_once,
    a_handler_that_fails_records_nothing_and_the_redelivery_applies,
    each_handler_applies_an_event_once_independently,
    a_redelivery_through_the_router_is_applied_once,
    first_delivery_outside_a_handler_is_an_error,
);

/// A manifest whose handler opens a ledger entry once per event, failing after recording the
/// event while `fail` is positive; counts its runs.
fn ledger_manifest(runs: &Arc<AtomicUsize>, fail: &Arc<AtomicUsize>, prefixes: &[&str]) -> Manifest {
    prefixes
        .iter()
        .fold(Manifest::builder("inventory", "inventory"), |builder, prefix| {
            let (runs, fail) = (runs.clone(), fail.clone());
            builder.add(prefix, move |event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| {
                let (runs, fail) = (runs.clone(), fail.clone());
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    let mut uow = ctx.begin().await?;
                    if !uow.first_delivery().await? {
                        return HandlerResult::Ok(());
                    }
                    sqlx::query("INSERT INTO ledgers (organisation_id, entry) VALUES ($1, $2)")
                        .bind(event.detail.organisation.id.to_string())
                        .bind(ctx.delivery().unwrap().consumer.to_string())
                        .execute(uow.conn())
                        .await?;
                    if fail.load(Ordering::SeqCst) > 0 {
                        fail.fetch_sub(1, Ordering::SeqCst);
                        return Err("the warehouse is closed".into()); // the unit of work rolls back
                    }
                    uow.commit().await?;
                    Ok(())
                }
            })
        })
        .build()
        .unwrap()
}

async fn bus_runtime(backend: Backend, manifest: Manifest) -> (Runtime, Arc<dyn EventSink>) {
    let runtime = local_runtime(backend, LocalBus::new([manifest]).unwrap()).await;
    let bus = runtime.sink().clone();
    (runtime, bus)
}

async fn a_redelivered_event_is_applied_once(backend: Backend) {
    let (runs, fail) = (Arc::default(), Arc::default());
    let (runtime, bus) = bus_runtime(backend, ledger_manifest(&runs, &fail, &["Inventory"])).await;
    let event = OutboundEvent::new(organisation_created(&request(&runtime), 1));

    for _ in 0..3 {
        let report = bus.send(std::slice::from_ref(&event)).await;
        assert!(report.handler_failures.is_empty(), "{:?}", report.handler_failures);
    }

    assert_eq!(runs.load(Ordering::SeqCst), 3, "delivered three times");
    assert_eq!(count(runtime.database(), "ledgers").await, 1, "applied once");
    assert_eq!(count(runtime.database(), "event_inbox").await, 1);
}

async fn a_handler_that_fails_records_nothing_and_the_redelivery_applies(backend: Backend) {
    let (runs, fail) = (Arc::default(), Arc::new(AtomicUsize::new(1)));
    let (runtime, bus) = bus_runtime(backend, ledger_manifest(&runs, &fail, &["Inventory"])).await;
    let event = OutboundEvent::new(organisation_created(&request(&runtime), 1));

    let first = bus.send(std::slice::from_ref(&event)).await;
    assert_eq!(first.handler_failures.len(), 1);
    assert_eq!(count(runtime.database(), "event_inbox").await, 0, "rolled back with the effect");
    let second = bus.send(std::slice::from_ref(&event)).await;

    assert!(second.handler_failures.is_empty());
    assert_eq!(count(runtime.database(), "ledgers").await, 1);
}

async fn each_handler_applies_an_event_once_independently(backend: Backend) {
    let (runs, fail) = (Arc::default(), Arc::default());
    let (runtime, bus) = bus_runtime(backend, ledger_manifest(&runs, &fail, &["Inventory", "Audit"])).await;
    let event = OutboundEvent::new(organisation_created(&request(&runtime), 1));

    bus.send(std::slice::from_ref(&event)).await;
    bus.send(std::slice::from_ref(&event)).await;

    let entries: Vec<String> = sqlx::query_scalar("SELECT entry FROM ledgers ORDER BY entry")
        .fetch_all(runtime.database().pool())
        .await
        .unwrap();
    assert_eq!(entries, ["AuditOrganisationCreated", "InventoryOrganisationCreated"]);
}

async fn a_redelivery_through_the_router_is_applied_once(backend: Backend) {
    let (runs, fail) = (Arc::default(), Arc::default());
    let runtime = runtime(backend, RecordingSink::new()).await;
    let router =
        Router::new(runtime.clone(), ledger_manifest(&runs, &fail, &["Inventory"]), Some("Inventory"));
    let raw = json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "OrganisationCreated",
        "source": "customers",
        "time": "2026-03-01T12:00:00Z",
        "detail": OrganisationCreated::sample(),
    });

    router.handle(&raw).await.unwrap();
    router.handle(&raw).await.unwrap();

    assert_eq!(runs.load(Ordering::SeqCst), 2);
    assert_eq!(count(runtime.database(), "ledgers").await, 1, "EventBridge redelivered; applied once");
}

async fn first_delivery_outside_a_handler_is_an_error(backend: Backend) {
    let runtime = runtime(backend, RecordingSink::new()).await;
    let ctx = request(&runtime);
    let mut uow = ctx.begin().await.unwrap();

    let error = uow.first_delivery().await.unwrap_err();

    assert!(matches!(error, Error::NotInHandler), "{error}");
    let id = uuid::Uuid::new_v4();
    assert!(uow.record_processed("nightly-import", id).await.unwrap(), "an explicit consumer works anywhere");
    assert!(!uow.record_processed("nightly-import", id).await.unwrap());
}
