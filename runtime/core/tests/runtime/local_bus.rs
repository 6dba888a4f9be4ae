//! The in-process bus: handlers run after commit, failures are reported, never fatal.

use std::sync::{Arc, Mutex};

use contracts_common::{Event, EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use contracts_inventory::InventoryCreated;
use contracts_trading::TradeCreated;
use event_runtime::{HandlerResult, KeyProblem, LocalBus, Manifest, Publisher, RequestContext};

use crate::support::*;

on_both_backends!(
    commit_runs_every_matching_handler_in_process,
    a_failing_handler_is_reported_and_never_undoes_the_commit,
    handlers_continue_the_publishers_request_and_can_publish_after_their_own_commit,
);

type Seen = Arc<Mutex<Vec<String>>>;

/// A handler that records `label` and the organisation's name.
fn recorder(seen: &Seen, label: &'static str) -> impl event_runtime::Handler<OrganisationCreated> {
    let seen = seen.clone();
    move |event: Arc<EventEnvelope<OrganisationCreated>>, _ctx: RequestContext| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(format!("{label}:{}", event.detail.organisation.legal_name));
            HandlerResult::Ok(())
        }
    }
}

async fn commit_runs_every_matching_handler_in_process(backend: Backend) {
    let seen = Seen::default();
    let inventory =
        Manifest::builder("inventory", "inventory").add("Inventory", recorder(&seen, "inventory"));
    let trading = Manifest::builder("trading", "trading").add("Trading", recorder(&seen, "trading"));
    let bus = LocalBus::new([inventory.build().unwrap(), trading.build().unwrap()]).unwrap();
    assert_eq!(bus.keys(), ["InventoryOrganisationCreated", "TradingOrganisationCreated"]);
    let runtime = local_runtime(backend, bus).await;
    let ctx = request(&runtime);

    let uow = ctx.begin().await.unwrap();
    let event = organisation_created(&ctx, 1);
    let name = event.organisation.legal_name.clone();
    ctx.publish_after_commit(event).unwrap();
    assert!(seen.lock().unwrap().is_empty(), "no handler runs before the commit");
    uow.commit().await.unwrap();

    assert_eq!(*seen.lock().unwrap(), [format!("inventory:{name}"), format!("trading:{name}")]);
}

async fn a_failing_handler_is_reported_and_never_undoes_the_commit(backend: Backend) {
    let seen = Seen::default();
    let manifest = Manifest::builder("inventory", "inventory")
        .add("Failing", |_: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| async {
            HandlerResult::Err("warehouse service unavailable".into())
        })
        .add("Panicking", |_: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| async {
            panic!("bug in handler")
        })
        .add("Inventory", recorder(&seen, "inventory"))
        .build()
        .unwrap();
    let runtime = local_runtime(backend, LocalBus::new([manifest]).unwrap()).await;
    let ctx = request(&runtime);

    let mut uow = ctx.begin().await.unwrap();
    let event = organisation_created(&ctx, 1);
    insert_organisation(&mut uow, &event).await;
    let id = ctx.publish_after_commit(event).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();

    let failures: Vec<(String, String)> = report
        .handler_failures
        .iter()
        .map(|failure| (failure.key.clone(), failure.error.to_string()))
        .collect();
    assert_eq!(
        failures,
        [
            ("FailingOrganisationCreated".to_owned(), "warehouse service unavailable".to_owned()),
            ("PanickingOrganisationCreated".to_owned(), "handler panicked: bug in handler".to_owned()),
        ]
    );
    assert!(report.handler_failures.iter().all(|failure| failure.event_id == id));
    assert!(report.handler_failures[0].to_string().contains("FailingOrganisationCreated"));
    assert_eq!(seen.lock().unwrap().len(), 1, "the other handler still ran");
    assert_eq!(count(runtime.database(), "organisations").await, 1, "the commit stands");
    assert_eq!(report.delivered, [id], "a handler failure is not a delivery failure");
    assert_eq!(pending(runtime.database()).await, 0);
}

async fn handlers_continue_the_publishers_request_and_can_publish_after_their_own_commit(backend: Backend) {
    let follow_ups = Seen::default();
    let seen = follow_ups.clone();
    let manifest = Manifest::builder("inventory", "inventory")
        .add("Inventory", |event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| async move {
            assert_eq!(ctx.correlation_id, event.detail.metadata.correlation_id);
            let uow = ctx.begin().await?;
            let mut created = contracts_inventory::InventoryCreated::sample();
            created.metadata = ctx.metadata();
            ctx.publish_after_commit(created)?;
            uow.commit().await?;
            Ok(())
        })
        .add("Audit", move |event: Arc<EventEnvelope<InventoryCreated>>, _: RequestContext| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(event.detail.metadata.correlation_id.to_string());
                Ok(())
            }
        })
        .build()
        .unwrap();
    let runtime = local_runtime(backend, LocalBus::new([manifest]).unwrap()).await;
    let ctx = request(&runtime);

    let uow = ctx.begin().await.unwrap();
    ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();

    assert!(report.handler_failures.is_empty(), "{:?}", report.handler_failures);
    assert_eq!(*follow_ups.lock().unwrap(), [ctx.correlation_id.to_string()]);
    assert_eq!(count(runtime.database(), "event_outbox").await, 2);
    assert_eq!(pending(runtime.database()).await, 0);
}

#[test]
fn prefixes_that_differ_only_in_case_across_manifests_on_one_bus_are_rejected() {
    let first = Manifest::builder("inventory", "inventory")
        .add("X", |_: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| async {
            HandlerResult::Ok(())
        })
        .build()
        .unwrap();
    let second = Manifest::builder("trading", "trading")
        .add("x", |_: Arc<EventEnvelope<TradeCreated>>, _: RequestContext| async { HandlerResult::Ok(()) })
        .build()
        .unwrap();

    let error = LocalBus::new([first, second]).unwrap_err();

    assert_eq!(
        error.problems,
        [KeyProblem::PrefixCase { prefixes: vec!["X".into(), "x".into()] }],
        "{error}"
    );
    assert!(error.to_string().contains("prefixes `X`, `x` differ only in case"), "{error}");
}

#[test]
fn a_key_used_by_two_manifests_on_one_bus_is_rejected() {
    let seen = Seen::default();
    let first =
        Manifest::builder("inventory", "inventory").add("Shared", recorder(&seen, "a")).build().unwrap();
    let second = Manifest::builder("trading", "trading").add("Shared", recorder(&seen, "b")).build().unwrap();

    let error = LocalBus::new([first, second]).unwrap_err();

    assert_eq!(error.problems.len(), 1);
    assert!(error.to_string().contains("duplicate handler key `SharedOrganisationCreated`"), "{error}");
    assert_eq!(error.module, "inventory + trading");
    assert_eq!(OrganisationCreated::SOURCE, "customers");
}
