//! The transactional outbox closes the crash window between commit and publish.
//!
//! The crash tests run a real second process: this test binary, re-run on one ignored test
//! (`crashing_child_process`), which commits on a shared database (a SQLite file, or a
//! PostgreSQL schema) and exits inside the sink, as a process killed at that moment would. The
//! parent then starts a fresh runtime on the database once the child's claim has expired.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{
    BoxFuture, DeliveryReport, EventSink, HandlerResult, LocalBus, Manifest, OutboundEvent, Publisher,
    RelayOptions, RequestContext, Runtime, sqlx,
};

use crate::support::*;

on_both_backends!(
    a_crash_between_commit_and_publish_is_delivered_once_after_the_claim_expires,
    a_crash_after_publish_before_marking_redelivers_and_the_inbox_applies_it_once,
    events_the_sink_failed_stay_pending_until_a_relay_pass_delivers_them_in_order,
    outbox_rows_are_written_in_the_units_transaction,
);

const DATABASE: &str = "EVENT_RUNTIME_CRASH_DATABASE";
const CRASH_POINT: &str = "EVENT_RUNTIME_CRASH_POINT";
/// The exit code of the simulated crash, so the parent knows the child got that far.
const CRASHED: i32 = 86;
/// The child's claims last this long; the parent waits it out.
const CHILD_LEASE: Duration = Duration::from_secs(1);

/// A sink that kills its process the moment it is asked to publish.
struct CrashBeforePublish;

impl EventSink for CrashBeforePublish {
    fn send<'a>(&'a self, _: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        std::process::exit(CRASHED)
    }
}

/// A consumer with exactly-once effects: each delivery is counted, and the effect (a ledger
/// entry) is applied in the handler's unit of work only on the event's first delivery.
#[derive(Default)]
struct Consumer {
    deliveries: AtomicUsize,
    applied: AtomicUsize,
}

impl Consumer {
    fn manifest(self: &Arc<Self>, crash_after: bool) -> Manifest {
        let consumer = self.clone();
        let builder = Manifest::builder("inventory", "inventory").add(
            "Inventory",
            move |event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| {
                let consumer = consumer.clone();
                async move {
                    consumer.deliveries.fetch_add(1, Ordering::SeqCst);
                    let mut uow = ctx.begin().await?;
                    if uow.first_delivery().await? {
                        sqlx::query("INSERT INTO ledgers (organisation_id, entry) VALUES ($1, 'opened')")
                            .bind(event.detail.organisation.id.to_string())
                            .execute(uow.conn())
                            .await?;
                        consumer.applied.fetch_add(1, Ordering::SeqCst);
                    }
                    uow.commit().await?;
                    Ok(())
                }
            },
        );
        let builder = if crash_after {
            builder.add("Crash", |_: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| async {
                std::process::exit(CRASHED);
                #[allow(unreachable_code)]
                HandlerResult::Ok(())
            })
        } else {
            builder
        };
        builder.build().unwrap()
    }
}

/// The child: commits an organisation and its event, then crashes in the sink.
#[tokio::test]
#[ignore = "run as a child process by the crash tests"]
async fn crashing_child_process() {
    let (Ok(location), Ok(point)) = (std::env::var(DATABASE), std::env::var(CRASH_POINT)) else { return };
    let database = TestDatabase::open_location(&location).await;
    create_tables(&database).await;
    let options = RelayOptions { lease: CHILD_LEASE, ..test_options() };
    let runtime = match point.as_str() {
        "before-publish" => Runtime::start_with(database, Arc::new(CrashBeforePublish), options).await,
        _ => {
            let bus = LocalBus::new([Arc::new(Consumer::default()).manifest(true)]).unwrap();
            Runtime::start_local(database, bus, options).await
        }
    }
    .unwrap();
    let ctx = request(&runtime);
    let mut uow = ctx.begin().await.unwrap();
    let event = organisation_created(&ctx, 1);
    insert_organisation(&mut uow, &event).await;
    ctx.publish_after_commit(event).unwrap();
    uow.commit().await.unwrap();
    unreachable!("the sink exits the process");
}

/// Runs the child on a new database crashing at `point`; returns the database.
fn crash_child(backend: Backend, point: &str) -> TestDatabase {
    let database = TestDatabase::new(backend);
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "outbox::crashing_child_process", "--ignored", "--test-threads=1"])
        .env(DATABASE, &database.location)
        .env(CRASH_POINT, point)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(CRASHED), "the child crashed in the sink");
    database
}

async fn a_crash_between_commit_and_publish_is_delivered_once_after_the_claim_expires(backend: Backend) {
    let shared = crash_child(backend, "before-publish");
    let database = shared.open().await;
    assert_eq!(count(&database, "organisations").await, 1, "the child committed");
    assert_eq!(pending(&database).await, 1, "...but never published");

    let consumer = Arc::new(Consumer::default());
    let bus = Arc::new(LocalBus::new([consumer.manifest(false)]).unwrap());
    let early =
        Runtime::start_with_sink(database.clone(), test_options(), |runtime| bus.clone().sink(runtime))
            .await
            .unwrap();
    assert!(early.recovered_at_start().delivered.is_empty(), "the dead child's claim still holds");
    tokio::time::sleep(CHILD_LEASE).await;
    let runtime = Runtime::start_with_sink(database.clone(), test_options(), |runtime| bus.sink(runtime))
        .await
        .unwrap();

    assert_eq!(runtime.recovered_at_start().delivered.len(), 1);
    assert_eq!(consumer.deliveries.load(Ordering::SeqCst), 1);
    assert_eq!(pending(&database).await, 0);
    let again = runtime.relay_pending().await.unwrap();
    assert!(again.delivered.is_empty(), "a delivered event is not relayed again");
    assert_eq!((consumer.deliveries.load(Ordering::SeqCst), count(&database, "ledgers").await), (1, 1));
}

async fn a_crash_after_publish_before_marking_redelivers_and_the_inbox_applies_it_once(backend: Backend) {
    let shared = crash_child(backend, "after-publish");
    let database = shared.open().await;
    assert_eq!(count(&database, "ledgers").await, 1, "the child's consumer applied the event");
    assert_eq!(pending(&database).await, 1, "...but the child died before marking it delivered");

    tokio::time::sleep(CHILD_LEASE).await;
    let consumer = Arc::new(Consumer::default());
    let bus = LocalBus::new([consumer.manifest(false)]).unwrap();
    let runtime = Runtime::start_local(database.clone(), bus, test_options()).await.unwrap();

    assert_eq!(runtime.recovered_at_start().delivered.len(), 1, "at least once: delivered again");
    assert_eq!(consumer.deliveries.load(Ordering::SeqCst), 1);
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 0, "the inbox skips the second delivery");
    assert_eq!(count(&database, "ledgers").await, 1);
    assert_eq!(count(&database, "event_inbox").await, 1);
    assert_eq!(pending(&database).await, 0);
}

async fn events_the_sink_failed_stay_pending_until_a_relay_pass_delivers_them_in_order(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");

    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..3).map(|n| organisation_created(&ctx, n))).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();
    assert_eq!(report.failed.len(), 3);
    assert!(report.delivered.is_empty());
    assert_eq!(pending(runtime.database()).await, 3);
    let (attempts, error): (i64, String) =
        sqlx::query_as("SELECT attempts, last_error FROM event_outbox_units")
            .fetch_one(runtime.database().pool())
            .await
            .unwrap();
    assert_eq!(
        (attempts, error.as_str()),
        (1, "ThrottlingException"),
        "one attempt, at the unit's first event"
    );

    sink.recover();
    let relayed = runtime.relay_pending().await.unwrap();

    assert_eq!(relayed.delivered, ids);
    assert_eq!(sink.ids(), ids);
    assert_eq!(pending(runtime.database()).await, 0);
    assert_eq!(count(runtime.database(), "event_outbox_units").await, 0, "a finished unit is deleted");
    let detail = sink.events()[0].typed::<OrganisationCreated>().unwrap();
    assert_eq!(detail.detail, organisation_created(&ctx, 0), "the detail survives the outbox unchanged");
}

async fn outbox_rows_are_written_in_the_units_transaction(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);

    let mut uow = ctx.begin().await.unwrap();
    ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    let nested = uow.nested().await.unwrap();
    ctx.publish_after_commit(organisation_created(&ctx, 2)).unwrap();
    nested.commit().await.unwrap();
    let in_transaction: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM event_outbox").fetch_one(uow.conn()).await.unwrap();
    assert_eq!(in_transaction, 0, "rows are written at the outermost commit, in one insert");
    uow.commit().await.unwrap();

    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, detail_type FROM event_outbox ORDER BY seq")
        .fetch_all(runtime.database().pool())
        .await
        .unwrap();
    let ids: Vec<String> = sink.ids().iter().map(ToString::to_string).collect();
    assert_eq!(rows.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), ids);
    assert!(rows.iter().all(|(_, detail_type)| detail_type == "OrganisationCreated"));
}
