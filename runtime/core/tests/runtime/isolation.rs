//! Units of work fail alone: a sink that keeps order (after a failure it fails the rest of its
//! call, as `EventSink` asks) never makes one unit's failure count against another, and a unit
//! retrying its first event does not resend the rest of itself on every attempt.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use event_runtime::{
    BoxFuture, DeliveryReport, EventSink, FailedEntry, OutboundEvent, Publisher, RelayOptions, Runtime, sqlx,
};
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    a_failure_in_one_unit_never_counts_an_attempt_against_another,
    a_retrying_unit_resends_only_its_failed_event_until_it_is_delivered,
    a_sink_failing_30_percent_dead_letters_no_unit_whose_own_sends_never_failed,
);

/// What the sink did with one event in one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Delivered,
    /// Failed on its own account (down, scripted or random).
    Failed,
    /// Failed only because an earlier event of the call failed (the sink keeps order).
    AfterFailure,
}

/// An order-keeping sink: it fails an event when it is down, when the event is scripted to
/// fail, or (with `flaky`) with probability 0.3, and after a failure it fails the rest of the
/// call. It records every call.
#[derive(Default)]
struct OrderKeepingSink {
    down: Mutex<bool>,
    /// Event id to the number of sends it still fails (`u32::MAX`: always).
    scripted: Mutex<HashMap<Uuid, u32>>,
    flaky: Mutex<Option<Rng>>,
    calls: Mutex<Vec<Vec<(Uuid, Outcome)>>>,
}

impl OrderKeepingSink {
    fn set_down(&self, down: bool) {
        *self.down.lock().unwrap() = down;
    }

    fn script(&self, id: Uuid, failures: u32) {
        self.scripted.lock().unwrap().insert(id, failures);
    }

    /// How many calls carried `id`.
    fn sends(&self, id: Uuid) -> usize {
        self.calls.lock().unwrap().iter().flatten().filter(|(sent, _)| *sent == id).count()
    }

    fn calls(&self) -> Vec<Vec<(Uuid, Outcome)>> {
        self.calls.lock().unwrap().clone()
    }

    fn fails_on_its_own(&self, id: Uuid) -> bool {
        if *self.down.lock().unwrap() {
            return true;
        }
        if let Some(left) = self.scripted.lock().unwrap().get_mut(&id)
            && *left > 0
        {
            *left = left.saturating_sub(u32::from(*left != u32::MAX));
            return true;
        }
        self.flaky.lock().unwrap().as_mut().is_some_and(|rng| rng.below(10) < 3)
    }
}

impl EventSink for OrderKeepingSink {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        let mut report = DeliveryReport::default();
        let mut call = Vec::new();
        for event in events {
            let outcome = if !report.failed.is_empty() {
                Outcome::AfterFailure
            } else if self.fails_on_its_own(event.id()) {
                Outcome::Failed
            } else {
                Outcome::Delivered
            };
            if outcome != Outcome::Delivered {
                report.failed.push(FailedEntry { event_id: event.id(), error: format!("{outcome:?}") });
            }
            call.push((event.id(), outcome));
        }
        self.calls.lock().unwrap().push(call);
        Box::pin(async move { report })
    }
}

/// Commits one unit of `n` events; returns their ids.
async fn commit_unit(runtime: &Runtime, n: u64) -> Vec<Uuid> {
    let ctx = request(runtime);
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..n).map(|index| organisation_created(&ctx, index))).unwrap();
    uow.commit().await.unwrap();
    ids
}

async fn dead_ids(runtime: &Runtime) -> HashSet<Uuid> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM event_outbox_dead")
        .fetch_all(runtime.database().pool())
        .await
        .unwrap();
    ids.iter().map(|id| id.parse().unwrap()).collect()
}

async fn a_failure_in_one_unit_never_counts_an_attempt_against_another(backend: Backend) {
    let sink = Arc::new(OrderKeepingSink::default());
    let options = RelayOptions { max_attempts: 3, ..test_options() };
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), options).await.unwrap();
    sink.set_down(true);
    let a = commit_unit(&runtime, 1).await; // attempt 1 of each unit: the sink was down
    let b = commit_unit(&runtime, 2).await;
    sink.set_down(false);
    sink.script(a[0], u32::MAX); // unit A fails for good; B's events would go through

    for _ in 0..3 {
        runtime.relay_pending().await.unwrap();
    }

    assert_eq!(dead_ids(&runtime).await, a.iter().copied().collect(), "only A's event is dead");
    assert_eq!(pending(runtime.database()).await, 0);
    for id in &b {
        // At the commit (down, failed) and at the first relay pass (delivered): B failed once.
        assert_eq!(sink.sends(*id), 2, "B's event {id} sent once per attempt of B, no more");
    }
    for call in sink.calls() {
        let units: HashSet<bool> = call.iter().map(|(id, _)| a.contains(id)).collect();
        assert_eq!(units.len(), 1, "a call carries one unit's events: {call:?}");
    }
}

async fn a_retrying_unit_resends_only_its_failed_event_until_it_is_delivered(backend: Backend) {
    let sink = Arc::new(OrderKeepingSink::default());
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), test_options()).await.unwrap();
    let ctx = request(&runtime);
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..5).map(|n| organisation_created(&ctx, n))).unwrap();
    sink.script(ids[1], 3);
    uow.commit().await.unwrap(); // event 0 delivered; event 1 fails, and the rest with it
    // Pass 1 retries the rest of the unit (failure 2); passes 2 and 3 send event 1 alone
    // (failure 3, then delivered) and pass 3 goes on with the rest.

    for _ in 0..3 {
        runtime.relay_pending().await.unwrap();
    }

    assert_eq!(pending(runtime.database()).await, 0);
    let sends: Vec<usize> = ids.iter().map(|id| sink.sends(*id)).collect();
    assert_eq!(sends, [1, 4, 3, 3, 3], "after its second failure, event 1 alone until it goes through");
    let calls: Vec<Vec<Uuid>> =
        sink.calls().into_iter().map(|call| call.into_iter().map(|(id, _)| id).collect()).collect();
    assert_eq!(calls, [ids.clone(), ids[1..].to_vec(), vec![ids[1]], vec![ids[1]], ids[2..].to_vec()]);
}

async fn a_sink_failing_30_percent_dead_letters_no_unit_whose_own_sends_never_failed(backend: Backend) {
    const EVENTS: usize = 1_000;
    let sink = Arc::new(OrderKeepingSink::default());
    // The default options (12 attempts, 50 units a claim, 100 events a send) with no backoff,
    // so a test pass retries at once.
    let runtime = Runtime::start_with(database(backend).await, sink.clone(), test_options()).await.unwrap();
    *sink.flaky.lock().unwrap() = Some(Rng::new(30));
    let mut sizes = Rng::new(6);
    let mut unit_of: HashMap<Uuid, usize> = HashMap::new();
    let mut committed = 0;
    for unit in 0.. {
        if committed >= EVENTS {
            break;
        }
        let n = (1 + sizes.below(6)).min((EVENTS - committed) as u64);
        for id in commit_unit(&runtime, n).await {
            unit_of.insert(id, unit);
        }
        committed += n as usize;
    }
    for _ in 0..200 {
        if pending(runtime.database()).await == 0 {
            break;
        }
        runtime.relay_pending().await.unwrap();
    }

    let calls = sink.calls();
    // A unit's failed attempts: the calls in which one of its own events failed on its own.
    let mut failed_attempts: HashMap<usize, usize> = HashMap::new();
    for call in &calls {
        let units: HashSet<usize> = call
            .iter()
            .filter(|(_, outcome)| *outcome == Outcome::Failed)
            .map(|(id, _)| unit_of[id])
            .collect();
        for unit in units {
            *failed_attempts.entry(unit).or_default() += 1;
        }
    }
    let dead = dead_ids(&runtime).await;
    let dead_innocent = dead.iter().filter(|id| !failed_attempts.contains_key(&unit_of[id])).count();
    // Dead events whose last send failed only because another unit's event failed before
    // them in the call.
    let killed_by_another = dead
        .iter()
        .filter(|id| {
            let last = calls.iter().rev().find(|call| call.iter().any(|(sent, _)| sent == *id)).unwrap();
            let culprit =
                last.iter().find(|(_, outcome)| *outcome == Outcome::Failed).map(|(sent, _)| unit_of[sent]);
            culprit.is_some_and(|unit| unit != unit_of[id])
        })
        .count();
    let over_sent: Vec<(Uuid, usize, usize)> = unit_of
        .iter()
        .map(|(id, unit)| (*id, sink.sends(*id), failed_attempts.get(unit).copied().unwrap_or(0)))
        .filter(|(_, sends, failed)| sends > &(failed + 1))
        .collect();
    let sends: usize = calls.iter().map(Vec::len).sum();
    eprintln!(
        "isolation ({backend:?}): {EVENTS} events in {} units, sink failing 30% and the rest of its call: \
         {} calls, {sends} events sent, {} dead ({killed_by_another} last failed because of another unit, {dead_innocent} of units whose own \
         sends never failed), {} events sent more often than their unit's failed attempts plus one",
        unit_of.values().collect::<HashSet<_>>().len(),
        calls.len(),
        dead.len(),
        over_sent.len(),
    );
    assert_eq!(pending(runtime.database()).await, 0, "everything delivered or dead");
    assert_eq!(dead_innocent, 0, "no unit whose own sends never failed is dead-lettered");
    assert_eq!(killed_by_another, 0, "no event dead-lettered by another unit's failure");
    assert!(
        over_sent.is_empty(),
        "{} events sent more often than their unit's failed attempts plus one (event, sends, failed attempts), \
         e.g. {:?}",
        over_sent.len(),
        &over_sent[..over_sent.len().min(3)]
    );
}
