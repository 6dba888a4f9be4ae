//! Batches of at most 10 per PutEvents call, and retries of the failed entries only.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use contracts_common::Sample;
use contracts_trading::TradeInventoryAllocated;
use event_runtime::{Backoff, Publisher};
use event_runtime_aws::PublishOptions;

use crate::doubles::{Counting, FailOnce};
use crate::support::{Fixture, runtime_id, runtime_with};

const ALL_TRADING: &str = r#"{"source":["trading"]}"#;

fn events(count: u64) -> Vec<TradeInventoryAllocated> {
    (0..count)
        .map(|n| TradeInventoryAllocated { unallocated_kg: n, ..TradeInventoryAllocated::sample() })
        .collect()
}

#[tokio::test]
async fn a_batch_of_25_events_makes_exactly_3_put_events_calls() {
    let fixture = Fixture::new("batch", Some(ALL_TRADING)).await;
    let counting = Arc::new(Counting { inner: fixture.sdk_api(), calls: Mutex::new(Vec::new()) });
    let (_runtime, ctx) = runtime_with(fixture.publisher_with(counting.clone())).await;

    let report = ctx.publish_batch(events(25)).await.expect("all delivered");

    assert_eq!(*counting.calls.lock().unwrap(), [10, 10, 5]);
    let received = fixture.receive(25).await;
    let ids: HashSet<_> = received.iter().map(runtime_id).collect();
    assert_eq!(ids, report.event_ids.iter().copied().collect::<HashSet<_>>());
}

#[tokio::test]
async fn entries_failed_in_a_call_are_retried_alone_and_delivered_once() {
    let fixture = Fixture::new("retry", Some(ALL_TRADING)).await;
    // The 2nd and 11th entries fail the first time round.
    let flaky = Arc::new(FailOnce {
        inner: fixture.sdk_api(),
        fail_once: Mutex::new(HashSet::from([1, 10])),
        calls: Mutex::new(Vec::new()),
    });
    let options = PublishOptions {
        backoff: Backoff::new(Duration::from_millis(1), Duration::from_secs(1)),
        ..Default::default()
    };
    let (_runtime, ctx) = runtime_with(fixture.publisher_with(flaky.clone()).with_options(options)).await;

    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit(events(12)).unwrap();
    let relay = uow.commit().await.unwrap().relay.unwrap();

    assert!(relay.failed.is_empty(), "{:?}", relay.failed);
    assert_eq!(relay.delivered, ids);
    assert_eq!(*flaky.calls.lock().unwrap(), [10, 2, 2], "two batches, then the two failed entries alone");
    let received = fixture.receive(12).await;
    let mut seen: Vec<_> = received.iter().map(runtime_id).collect();
    seen.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(seen, expected, "each event exactly once");
    assert!(fixture.drain().await.is_empty());
}
