//! The transactional outbox closes the crash window between commit and publish.
//!
//! The crash tests run a real second process: this test binary, re-run on one ignored test
//! (`crashing_child_process`), which commits on a SQLite file and exits inside the sink, as a
//! process killed at that moment would. The parent then starts a fresh runtime on the file.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{
    BoxFuture, Database, DeliveryReport, EventSink, HandlerResult, LocalBus, Manifest, OutboundEvent,
    Publisher, RequestContext, Runtime, sqlx,
};

use crate::support::*;

const DATABASE: &str = "EVENT_RUNTIME_CRASH_DATABASE";
const CRASH_POINT: &str = "EVENT_RUNTIME_CRASH_POINT";
/// The exit code of the simulated crash, so the parent knows the child got that far.
const CRASHED: i32 = 86;

/// A sink that kills its process the moment it is asked to publish.
struct CrashBeforePublish;

impl EventSink for CrashBeforePublish {
    fn send<'a>(&'a self, _: &'a [OutboundEvent], _: &'a Runtime) -> BoxFuture<'a, DeliveryReport> {
        std::process::exit(CRASHED)
    }
}

/// An idempotent consumer: applies each envelope id once (recording it in `inbox` in its own
/// transaction), counting deliveries and applications.
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
                    let inserted =
                        sqlx::query("INSERT OR IGNORE INTO inbox (event_id, detail_type) VALUES (?, ?)")
                            .bind(event.id.clone())
                            .bind(event.detail_type.clone())
                            .execute(ctx.runtime().database().pool())
                            .await?;
                    if inserted.rows_affected() == 1 {
                        consumer.applied.fetch_add(1, Ordering::SeqCst);
                    }
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

/// The child: commits an organisation and its event on the file, then crashes in the sink.
#[tokio::test]
#[ignore = "run as a child process by the crash tests"]
async fn crashing_child_process() {
    let (Ok(path), Ok(point)) = (std::env::var(DATABASE), std::env::var(CRASH_POINT)) else { return };
    let database = Database::open(&path).await.unwrap();
    create_tables(&database).await;
    let sink: Arc<dyn EventSink> = match point.as_str() {
        "before-publish" => Arc::new(CrashBeforePublish),
        _ => Arc::new(LocalBus::new([Arc::new(Consumer::default()).manifest(true)]).unwrap()),
    };
    let runtime = Runtime::start(database, sink).await.unwrap();
    let ctx = request(&runtime);
    let mut uow = ctx.begin().await.unwrap();
    let event = organisation_created(&ctx, 1);
    insert_organisation(&mut uow, &event).await;
    ctx.publish_after_commit(event).unwrap();
    uow.commit().await.unwrap();
    unreachable!("the sink exits the process");
}

/// Runs the child on a new database file crashing at `point`; returns the file's directory.
fn crash_child(point: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "outbox::crashing_child_process", "--ignored", "--test-threads=1"])
        .env(DATABASE, dir.path().join("platform.db"))
        .env(CRASH_POINT, point)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(CRASHED), "the child crashed in the sink");
    dir
}

#[tokio::test]
async fn a_crash_between_commit_and_publish_is_delivered_once_on_restart() {
    let dir = crash_child("before-publish");
    let database = Database::open(dir.path().join("platform.db")).await.unwrap();
    assert_eq!(count(&database, "organisations").await, 1, "the child committed");
    assert_eq!(pending(&database).await, 1, "...but never published");

    let consumer = Arc::new(Consumer::default());
    let bus = LocalBus::new([consumer.manifest(false)]).unwrap();
    let runtime = Runtime::start(database.clone(), Arc::new(bus)).await.unwrap();

    assert_eq!(runtime.recovered_at_start().delivered.len(), 1);
    assert_eq!(consumer.deliveries.load(Ordering::SeqCst), 1);
    assert_eq!(pending(&database).await, 0);
    let again = runtime.relay_pending().await.unwrap();
    assert!(again.delivered.is_empty(), "a delivered event is not relayed again");
    assert_eq!((consumer.deliveries.load(Ordering::SeqCst), count(&database, "inbox").await), (1, 1));
}

#[tokio::test]
async fn a_crash_after_publish_before_marking_redelivers_and_the_consumer_deduplicates() {
    let dir = crash_child("after-publish");
    let database = Database::open(dir.path().join("platform.db")).await.unwrap();
    assert_eq!(count(&database, "inbox").await, 1, "the child's consumer applied the event");
    assert_eq!(pending(&database).await, 1, "...but the child died before marking it delivered");

    let consumer = Arc::new(Consumer::default());
    let bus = LocalBus::new([consumer.manifest(false)]).unwrap();
    let runtime = Runtime::start(database.clone(), Arc::new(bus)).await.unwrap();

    assert_eq!(runtime.recovered_at_start().delivered.len(), 1, "at least once: delivered again");
    assert_eq!(consumer.deliveries.load(Ordering::SeqCst), 1);
    assert_eq!(consumer.applied.load(Ordering::SeqCst), 0, "the same envelope id is not applied twice");
    assert_eq!(count(&database, "inbox").await, 1);
    assert_eq!(pending(&database).await, 0);
}

#[tokio::test]
async fn events_the_sink_failed_stay_pending_until_a_relay_pass_delivers_them_in_order() {
    let sink = RecordingSink::new();
    let runtime = memory_runtime(sink.clone()).await;
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");

    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..3).map(|n| organisation_created(&ctx, n))).unwrap();
    let report = uow.commit().await.unwrap().relay.unwrap();
    assert_eq!(report.failed.len(), 3);
    assert!(report.delivered.is_empty());
    assert_eq!(pending(runtime.database()).await, 3);
    let attempts: i64 = sqlx::query_scalar("SELECT MIN(attempts) FROM event_outbox_pending")
        .fetch_one(runtime.database().pool())
        .await
        .unwrap();
    assert_eq!(attempts, 1);

    sink.recover();
    let relayed = runtime.relay_pending().await.unwrap();

    assert_eq!(relayed.delivered, ids);
    assert_eq!(sink.ids(), ids);
    assert_eq!(pending(runtime.database()).await, 0);
    let detail = sink.events()[0].typed::<OrganisationCreated>().unwrap();
    assert_eq!(detail.detail, organisation_created(&ctx, 0), "the detail survives the outbox unchanged");
}

#[tokio::test]
async fn outbox_rows_are_written_in_the_units_transaction() {
    let sink = RecordingSink::new();
    let runtime = memory_runtime(sink.clone()).await;
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
