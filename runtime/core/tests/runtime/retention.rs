//! Bounded storage: delivered events and old inbox entries are purged in batches; what is
//! not delivered is kept; the counters say how many events are where.

use std::sync::Arc;
use std::time::Duration;

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{HandlerResult, LocalBus, Manifest, Publisher, RelayOptions, RequestContext, Runtime};

use crate::support::*;

on_both_backends!(
    delivered_events_are_purged_after_the_retention_and_undelivered_ones_are_kept,
    events_inside_the_retention_window_are_kept,
    the_outbox_counters_report_pending_dead_and_delivered_events,
);

async fn delivered_events_are_purged_after_the_retention_and_undelivered_ones_are_kept(backend: Backend) {
    let sink = RecordingSink::new();
    let options = RelayOptions {
        retention: Duration::ZERO,
        inbox_retention: Duration::ZERO,
        purge_batch: 2,
        ..test_options()
    };
    let recorder = Manifest::builder("inventory", "inventory")
        .add("Inventory", |_: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| async move {
            let mut uow = ctx.begin().await?;
            uow.first_delivery().await?;
            uow.commit().await?;
            HandlerResult::Ok(())
        })
        .build()
        .unwrap();
    let bus =
        Runtime::start_local(database(backend).await, LocalBus::new([recorder]).unwrap(), options.clone())
            .await
            .unwrap();
    let ctx = request(&bus);
    for n in 0..5 {
        let uow = ctx.begin().await.unwrap();
        ctx.publish_after_commit(organisation_created(&ctx, n)).unwrap();
        uow.commit().await.unwrap();
    }
    let failing = Runtime::start_with(bus.database().clone(), sink.clone(), options).await.unwrap();
    sink.fail("OrganisationCreated");
    let ctx = request(&failing);
    let uow = ctx.begin().await.unwrap();
    ctx.publish_after_commit(organisation_created(&ctx, 9)).unwrap();
    uow.commit().await.unwrap();
    assert_eq!(count(bus.database(), "event_inbox").await, 5);
    tokio::time::sleep(Duration::from_millis(5)).await;

    let purged = failing.purge().await.unwrap();

    assert_eq!((purged.events, purged.inbox_entries), (5, 5), "in batches of 2 until none was left");
    assert_eq!(count(bus.database(), "event_outbox").await, 1, "the undelivered event is kept");
    assert_eq!(pending(bus.database()).await, 1);
    sink.recover();
    assert_eq!(failing.relay_pending().await.unwrap().delivered.len(), 1, "and still delivered");
}

async fn events_inside_the_retention_window_are_kept(backend: Backend) {
    let runtime = runtime(backend, RecordingSink::new()).await; // retention: the default day
    let ctx = request(&runtime);
    let uow = ctx.begin().await.unwrap();
    ctx.publish_batch_after_commit((0..3).map(|n| organisation_created(&ctx, n))).unwrap();
    uow.commit().await.unwrap();

    assert_eq!(runtime.purge().await.unwrap().events, 0);
    assert_eq!(count(runtime.database(), "event_outbox").await, 3, "the log of what was published");
}

async fn the_outbox_counters_report_pending_dead_and_delivered_events(backend: Backend) {
    let sink = RecordingSink::new();
    let options = RelayOptions { max_attempts: 1, ..test_options() };
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), options).await.unwrap();
    let ctx = request(&runtime);
    let uow = ctx.begin().await.unwrap();
    ctx.publish_batch_after_commit((0..4).map(|n| organisation_created(&ctx, n))).unwrap();
    uow.commit().await.unwrap();
    sink.fail("OrganisationCreated");
    let uow = ctx.begin().await.unwrap();
    ctx.publish_batch_after_commit((4..6).map(|n| organisation_created(&ctx, n))).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();
    assert_eq!(report.dead.len(), 1, "one attempt allowed: the unit's first event is parked");

    let stats = runtime.outbox_stats().await.unwrap();

    assert_eq!((stats.delivered, stats.pending, stats.dead, stats.quarantined), (4, 1, 1, 0));
}
