//! After-commit publishing: Django `on_commit` / Spring `AFTER_COMMIT` semantics.

use contracts_common::Event;
use contracts_customers::OrganisationCreated;
use event_runtime::{Error, Publisher};

use crate::support::*;

on_both_backends!(
    rollback_drops_after_commit_events,
    commit_dispatches_after_commit_events_in_queue_order,
    nested_scope_dispatches_once_at_the_outer_commit,
    rolled_back_nested_scope_drops_only_its_own_events,
    drop_without_commit_drops_events_and_data,
    publishing_after_commit_outside_a_unit_of_work_is_an_error,
    publishing_immediately_outside_a_transaction_delivers_now,
    a_rejected_immediate_publish_is_an_error,
    beginning_twice_on_one_context_is_an_error,
    envelopes_carry_source_detail_type_a_fresh_id_and_the_time,
);

async fn rollback_drops_after_commit_events(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let mut uow = ctx.begin().await.unwrap();
    let event = organisation_created(&ctx, 1);
    insert_organisation(&mut uow, &event).await;
    ctx.publish_after_commit(event).unwrap();
    uow.rollback().await.unwrap();

    assert!(sink.ids().is_empty());
    assert_eq!(count(runtime.database(), "organisations").await, 0);
    assert_eq!(count(runtime.database(), "event_outbox").await, 0);
    assert!(!ctx.in_unit_of_work());
}

async fn commit_dispatches_after_commit_events_in_queue_order(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let mut uow = ctx.begin().await.unwrap();
    let mut queued = Vec::new();
    for n in 0..5 {
        let event = organisation_created(&ctx, n);
        insert_organisation(&mut uow, &event).await;
        queued.push(ctx.publish_after_commit(event).unwrap());
    }
    queued.extend(ctx.publish_batch_after_commit((5..8).map(|n| organisation_created(&ctx, n))).unwrap());
    assert!(sink.ids().is_empty(), "nothing is dispatched before the commit");

    let report = uow.commit().await.unwrap();

    assert_eq!(sink.ids(), queued);
    assert_eq!(report.events, queued);
    assert_eq!(report.relay.unwrap().delivered, queued);
    assert_eq!(pending(runtime.database()).await, 0, "every outbox row is marked delivered");
    assert_eq!(count(runtime.database(), "event_outbox").await, 8);
}

async fn nested_scope_dispatches_once_at_the_outer_commit(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let mut outer = ctx.begin().await.unwrap();
    let first = ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    let inner = outer.nested().await.unwrap();
    assert_eq!(inner.depth(), 1);
    let second = ctx.publish_after_commit(organisation_created(&ctx, 2)).unwrap();
    let nested_report = inner.commit().await.unwrap();
    assert_eq!(nested_report.events, vec![second]);
    assert!(nested_report.relay.is_none());
    assert!(sink.ids().is_empty(), "a nested commit dispatches nothing");
    let third = ctx.publish_after_commit(organisation_created(&ctx, 3)).unwrap();
    outer.commit().await.unwrap();

    assert_eq!(sink.ids(), vec![first, second, third]);
    runtime.relay_pending().await.unwrap();
    assert_eq!(sink.ids().len(), 3, "never dispatched twice");
}

async fn rolled_back_nested_scope_drops_only_its_own_events(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let mut outer = ctx.begin().await.unwrap();
    let kept = organisation_created(&ctx, 1);
    insert_organisation(&mut outer, &kept).await;
    let kept = ctx.publish_after_commit(kept).unwrap();
    {
        let mut inner = outer.nested().await.unwrap();
        let dropped = organisation_created(&ctx, 2);
        insert_organisation(&mut inner, &dropped).await;
        ctx.publish_after_commit(dropped).unwrap();
        inner.rollback().await.unwrap();
    }
    {
        let mut inner = outer.nested().await.unwrap();
        ctx.publish_after_commit(organisation_created(&ctx, 3)).unwrap();
        drop(inner.nested().await.unwrap());
        // Dropped without commit (as on an early return), taking its event with it.
    }
    outer.commit().await.unwrap();

    assert_eq!(sink.ids(), vec![kept]);
    assert_eq!(count(runtime.database(), "organisations").await, 1);
}

async fn drop_without_commit_drops_events_and_data(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    async fn fails_half_way(ctx: &event_runtime::RequestContext) -> Result<(), Error> {
        let mut uow = ctx.begin().await?;
        let event = organisation_created(ctx, 1);
        insert_organisation(&mut uow, &event).await;
        ctx.publish_after_commit(event)?;
        Err(Error::AlreadyInUnitOfWork) // any early `?` return
    }
    assert!(fails_half_way(&ctx).await.is_err());

    assert!(!ctx.in_unit_of_work());
    let uow = ctx.begin().await.unwrap();
    uow.commit().await.unwrap();
    assert!(sink.ids().is_empty());
    assert_eq!(count(runtime.database(), "organisations").await, 0);
    assert_eq!(count(runtime.database(), "event_outbox").await, 0);
}

async fn publishing_after_commit_outside_a_unit_of_work_is_an_error(backend: Backend) {
    let runtime = runtime(backend, RecordingSink::new()).await;
    let ctx = request(&runtime);

    let error = ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap_err();

    assert!(matches!(error, Error::NoUnitOfWork { detail_type: "OrganisationCreated" }), "{error}");
    assert!(error.to_string().contains("no unit of work"), "{error}");
}

async fn publishing_immediately_outside_a_transaction_delivers_now(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let one = ctx.publish(organisation_created(&ctx, 1)).await.unwrap();
    let batch = ctx.publish_batch((2..4).map(|n| organisation_created(&ctx, n))).await.unwrap();

    let expected: Vec<_> = one.event_ids.into_iter().chain(batch.event_ids).collect();
    assert_eq!(sink.ids(), expected);
    assert_eq!(count(runtime.database(), "event_outbox").await, 0, "immediate events skip the outbox");
}

async fn a_rejected_immediate_publish_is_an_error(backend: Backend) {
    let sink = RecordingSink::new();
    sink.fail("OrganisationCreated");
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let error = ctx.publish(organisation_created(&ctx, 1)).await.unwrap_err();

    assert!(matches!(&error, Error::Rejected { failed } if failed.len() == 1), "{error}");
    assert!(error.to_string().contains("ThrottlingException"), "{error}");
}

async fn beginning_twice_on_one_context_is_an_error(backend: Backend) {
    let runtime = runtime(backend, RecordingSink::new()).await;
    let ctx = request(&runtime);

    let _open = ctx.begin().await.unwrap();
    let error = ctx.begin().await.unwrap_err();

    assert!(matches!(error, Error::AlreadyInUnitOfWork), "{error}");
}

async fn envelopes_carry_source_detail_type_a_fresh_id_and_the_time(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);
    let before = chrono::Utc::now();

    let uow = ctx.begin().await.unwrap();
    ctx.publish_batch_after_commit([organisation_created(&ctx, 1), organisation_created(&ctx, 1)]).unwrap();
    uow.commit().await.unwrap();

    let events = sink.events();
    assert_eq!(events.len(), 2);
    assert_ne!(events[0].id(), events[1].id(), "each envelope has its own id");
    for event in &events {
        let envelope = event.envelope_json().unwrap();
        assert_eq!(envelope["source"], OrganisationCreated::SOURCE);
        assert_eq!(envelope["detail-type"], OrganisationCreated::DETAIL_TYPE);
        assert_eq!(envelope["id"], event.id().to_string());
        assert_eq!(envelope["detail"]["correlationId"], ctx.correlation_id.to_string());
        assert!(event.time() >= before && event.time() <= chrono::Utc::now());
    }
}
