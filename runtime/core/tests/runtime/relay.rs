//! The relay: claims before reads, order within a unit, backoff, dead letters, quarantine, and
//! the worker that runs it by itself.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_runtime::{
    Backoff, BoxFuture, DeliveryReport, EventSink, FailedEntry, OutboundEvent, Publisher, RelayOptions,
    Runtime, sqlx,
};
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    commits_and_relay_passes_running_together_never_send_an_event_twice,
    a_relay_pass_stops_a_units_remaining_events_at_its_first_failure,
    a_failed_event_waits_for_its_backoff,
    an_event_that_keeps_failing_is_parked_as_dead_and_the_rest_of_its_unit_is_delivered,
    a_corrupt_row_is_quarantined_and_every_other_event_is_delivered,
    a_unit_claimed_by_another_process_waits_for_its_lease_to_expire,
    the_relay_worker_retries_by_itself_and_drains_its_send_on_shutdown,
    a_pass_that_lost_its_claim_sends_nothing_more_of_that_unit,
);

/// A sink that fails the events in `poison` (and, cooperating, the rest of the call after a
/// failure), records the rest, and can be slowed down.
#[derive(Default)]
struct OrderedSink {
    sent: Mutex<Vec<Uuid>>,
    poison: Mutex<HashSet<Uuid>>,
    down: AtomicBool,
    slow: Mutex<Option<Duration>>,
    sending: AtomicBool,
}

impl OrderedSink {
    fn sent(&self) -> Vec<Uuid> {
        self.sent.lock().unwrap().clone()
    }
}

impl EventSink for OrderedSink {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        Box::pin(async move {
            self.sending.store(true, Ordering::SeqCst);
            let slow = *self.slow.lock().unwrap();
            if let Some(delay) = slow {
                tokio::time::sleep(delay).await;
            }
            let mut report = DeliveryReport::default();
            let poison = self.poison.lock().unwrap().clone();
            let mut failing = self.down.load(Ordering::SeqCst);
            for event in events {
                failing |= poison.contains(&event.id());
                if failing {
                    report.failed.push(FailedEntry { event_id: event.id(), error: "Unavailable".into() });
                } else {
                    self.sent.lock().unwrap().push(event.id());
                }
            }
            self.sending.store(false, Ordering::SeqCst);
            report
        })
    }
}

async fn commits_and_relay_passes_running_together_never_send_an_event_twice(backend: Backend) {
    let sink = RecordingSink::new();
    let shared = TestDatabase::new(backend);
    let runtime = Runtime::start_with(shared.open().await, sink.clone(), test_options()).await.unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let relay = tokio::spawn({
        let (runtime, stop) = (runtime.clone(), stop.clone());
        async move {
            while !stop.load(Ordering::SeqCst) {
                runtime.relay_pending().await.unwrap();
                tokio::task::yield_now().await;
            }
        }
    });
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let runtime = runtime.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in 0..50 {
                    let ctx = request(&runtime);
                    let uow = ctx.begin().await.unwrap();
                    ids.extend(
                        ctx.publish_batch_after_commit((0..3).map(|i| organisation_created(&ctx, n * 3 + i)))
                            .unwrap(),
                    );
                    uow.commit().await.unwrap();
                }
                ids
            })
        })
        .collect();
    let mut committed = Vec::new();
    for writer in writers {
        committed.extend(writer.await.unwrap());
    }
    stop.store(true, Ordering::SeqCst);
    relay.await.unwrap();

    let sent = sink.ids();
    let distinct: HashSet<Uuid> = sent.iter().copied().collect();
    assert_eq!(sent.len(), distinct.len(), "{} duplicate deliveries", sent.len() - distinct.len());
    assert_eq!(distinct, committed.iter().copied().collect(), "every committed event, once");
    assert_eq!(pending(runtime.database()).await, 0);
}

async fn a_relay_pass_stops_a_units_remaining_events_at_its_first_failure(backend: Backend) {
    let sink = Arc::new(OrderedSink::default());
    let options = RelayOptions {
        batch_size: 100,
        backoff: Backoff::new(Duration::from_secs(60), Duration::ZERO),
        ..test_options()
    };
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), options).await.unwrap();
    let ctx = request(&runtime);
    sink.down.store(true, Ordering::SeqCst);
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..250).map(|n| organisation_created(&ctx, n))).unwrap();
    uow.commit().await.unwrap();
    sink.down.store(false, Ordering::SeqCst);
    sink.poison.lock().unwrap().insert(ids[60]);
    due_now(&runtime).await;

    let pass = runtime.relay_pending().await.unwrap();

    assert_eq!(sink.sent(), ids[..60], "the pass stops the unit at event 60: nothing after it is sent");
    assert_eq!(pass.delivered.len(), 60);
    sink.poison.lock().unwrap().clear();
    due_now(&runtime).await;
    runtime.relay_pending().await.unwrap();
    assert_eq!(sink.sent(), ids, "every event once, in queue order");
}

async fn a_failed_event_waits_for_its_backoff(backend: Backend) {
    let sink = RecordingSink::new();
    let backoff = Duration::from_millis(400);
    let options = RelayOptions { backoff: Backoff::new(backoff, backoff), ..test_options() };
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), options).await.unwrap();
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");
    let uow = ctx.begin().await.unwrap();
    let id = ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    uow.commit().await.unwrap();
    sink.recover();

    assert!(runtime.relay_pending().await.unwrap().delivered.is_empty(), "not due yet (at least 200 ms)");
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(runtime.relay_pending().await.unwrap().delivered, [id], "due after at most 400 ms");
}

async fn an_event_that_keeps_failing_is_parked_as_dead_and_the_rest_of_its_unit_is_delivered(
    backend: Backend,
) {
    let sink = Arc::new(OrderedSink::default());
    let options = RelayOptions { max_attempts: 3, ..test_options() };
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), options).await.unwrap();
    let ctx = request(&runtime);
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..3).map(|n| organisation_created(&ctx, n))).unwrap();
    sink.poison.lock().unwrap().insert(ids[1]);
    uow.commit().await.unwrap(); // attempt 1: the first event delivered, the second failed

    let second = runtime.relay_pending().await.unwrap(); // attempt 2
    let third = runtime.relay_pending().await.unwrap(); // attempt 3: dead; the third is sent

    assert!(second.dead.is_empty());
    assert_eq!(
        third.dead.iter().map(|dead| (dead.event_id, dead.attempts)).collect::<Vec<_>>(),
        [(ids[1], 3)]
    );
    assert_eq!(third.dead[0].error, "Unavailable");
    assert_eq!(sink.sent(), [ids[0], ids[2]], "everything else is still delivered");
    let stats = runtime.outbox_stats().await.unwrap();
    assert_eq!((stats.pending, stats.dead), (0, 1), "parked, never lost");
    let dead_id: String = sqlx::query_scalar("SELECT id FROM event_outbox_dead")
        .fetch_one(runtime.database().pool())
        .await
        .unwrap();
    assert_eq!(dead_id, ids[1].to_string());

    sink.poison.lock().unwrap().clear();
    assert_eq!(runtime.requeue_dead(&[third.dead[0].seq]).await.unwrap(), 1);
    assert_eq!(runtime.relay_pending().await.unwrap().delivered, [ids[1]], "requeued with its envelope id");
    assert_eq!(runtime.outbox_stats().await.unwrap().dead, 0);
}

async fn a_corrupt_row_is_quarantined_and_every_other_event_is_delivered(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");
    let mut ids = Vec::new();
    for n in 0..3 {
        let uow = ctx.begin().await.unwrap();
        ids.push(ctx.publish_after_commit(organisation_created(&ctx, n)).unwrap());
        uow.commit().await.unwrap();
    }
    sqlx::query("UPDATE event_outbox SET id = 'not-a-uuid' WHERE id = $1")
        .bind(ids[1].to_string())
        .execute(runtime.database().pool())
        .await
        .unwrap();
    sink.recover();

    let restarted =
        Runtime::start_with(runtime.database().clone(), sink.clone(), test_options()).await.unwrap();

    let recovered = restarted.recovered_at_start();
    assert_eq!(recovered.delivered, [ids[0], ids[2]], "the events before and after it are delivered");
    assert_eq!(recovered.quarantined.len(), 1);
    assert!(
        recovered.quarantined[0].reason.contains("id `not-a-uuid` is not a UUID"),
        "{:?}",
        recovered.quarantined
    );
    let reason: String = sqlx::query_scalar("SELECT reason FROM event_outbox_quarantine")
        .fetch_one(runtime.database().pool())
        .await
        .unwrap();
    assert_eq!(reason, recovered.quarantined[0].reason, "moved aside with its reason");
    assert_eq!(pending(runtime.database()).await, 0);
}

async fn a_unit_claimed_by_another_process_waits_for_its_lease_to_expire(backend: Backend) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");
    let uow = ctx.begin().await.unwrap();
    let id = ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    uow.commit().await.unwrap();
    sink.recover();
    // Another process holds the unit, its lease far from over.
    sqlx::query("UPDATE event_outbox_units SET claimed_by = 'another-process', claimed_until = claimed_until + 9999999999999")
        .execute(runtime.database().pool())
        .await
        .unwrap();

    assert!(runtime.relay_pending().await.unwrap().delivered.is_empty(), "never sent while its claim holds");
    sqlx::query("UPDATE event_outbox_units SET claimed_until = 0")
        .execute(runtime.database().pool())
        .await
        .unwrap();
    assert_eq!(runtime.relay_pending().await.unwrap().delivered, [id], "sent once the lease has expired");
}

async fn the_relay_worker_retries_by_itself_and_drains_its_send_on_shutdown(backend: Backend) {
    let sink = Arc::new(OrderedSink::default());
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), test_options()).await.unwrap();
    let ctx = request(&runtime);
    sink.down.store(true, Ordering::SeqCst);
    let uow = ctx.begin().await.unwrap();
    let first = ctx.publish_after_commit(organisation_created(&ctx, 1)).unwrap();
    uow.commit().await.unwrap();

    let worker = runtime.spawn_relay();
    tokio::time::sleep(Duration::from_millis(100)).await;
    sink.down.store(false, Ordering::SeqCst);
    wait_until(|| sink.sent() == [first]).await;

    // A slow send in progress when the worker is told to stop: it finishes and is settled.
    *sink.slow.lock().unwrap() = Some(Duration::from_millis(300));
    sink.down.store(true, Ordering::SeqCst);
    let uow = ctx.begin().await.unwrap();
    let second = ctx.publish_after_commit(organisation_created(&ctx, 2)).unwrap();
    uow.commit().await.unwrap();
    sink.down.store(false, Ordering::SeqCst);
    wait_until(|| sink.sending.load(Ordering::SeqCst)).await;
    let report = worker.shutdown().await;

    assert_eq!(sink.sent(), [first, second], "the send in progress was drained");
    assert_eq!(report.delivered, 2);
    assert!(report.failed_attempts >= 1, "{report:?}");
    assert_eq!(pending(runtime.database()).await, 0, "and settled");
}

/// A sink whose first send takes the unit away from the relay (as another process would once
/// the lease had run out) and outlasts a third of the lease.
struct ClaimThief {
    sent: Mutex<Vec<Uuid>>,
    database: event_runtime::Database,
}

impl EventSink for ClaimThief {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        Box::pin(async move {
            if self.sent.lock().unwrap().is_empty() {
                sqlx::query("UPDATE event_outbox_units SET claimed_by = 'another-process', claimed_until = 9999999999999")
                    .execute(self.database.pool())
                    .await
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
            self.sent.lock().unwrap().extend(events.iter().map(OutboundEvent::id));
            DeliveryReport::default()
        })
    }
}

async fn a_pass_that_lost_its_claim_sends_nothing_more_of_that_unit(backend: Backend) {
    let options = RelayOptions { lease: Duration::from_millis(300), batch_size: 2, ..test_options() };
    let database = database(backend).await;
    let sink = Arc::new(ClaimThief { sent: Mutex::default(), database: database.clone() });
    let down = RecordingSink::new();
    down.fail("OrganisationCreated");
    let writer = Runtime::start_with(database.clone(), down, options.clone()).await.unwrap();
    let ctx = request(&writer);
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..6).map(|n| organisation_created(&ctx, n))).unwrap();
    uow.commit().await.unwrap(); // the sink is down: all six wait
    let relay = Runtime::start_with(database, sink.clone(), options).await.unwrap();

    assert_eq!(*sink.sent.lock().unwrap(), ids[..2], "the batch in progress finished; nothing after it");
    assert_eq!(pending(relay.database()).await, 4, "the rest waits for the claim's holder");
    let holder: String = sqlx::query_scalar("SELECT claimed_by FROM event_outbox_units")
        .fetch_one(relay.database().pool())
        .await
        .unwrap();
    assert_eq!(holder, "another-process");
}

/// Makes every waiting unit due now (as if its backoff had passed).
async fn due_now(runtime: &Runtime) {
    sqlx::query("UPDATE event_outbox_units SET next_attempt_at = 0")
        .execute(runtime.database().pool())
        .await
        .unwrap();
}

/// Waits (up to 10 s) until `condition` holds.
async fn wait_until(condition: impl Fn() -> bool) {
    for _ in 0..1_000 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the condition did not hold within 10 s");
}
