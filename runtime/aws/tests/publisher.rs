//! The EventBridge publisher's batching, size limit and retries, with a test double of the
//! PutEvents call (no AWS, no moto): the paths moto cannot produce.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use contracts_common::{ContextFactory, Sample};
use contracts_trading::TradeInventoryAllocated;
use event_runtime::{Backoff, BoxFuture, Database, Jitter, OutboundEvent, Publisher, RelayOptions, Runtime};
use event_runtime_aws::aws_sdk_eventbridge::types::PutEventsRequestEntry;
use event_runtime_aws::{
    CallError, EntryOutcome, EventBridgePublisher, PublishOptions, PutEventsApi, event_id_resource,
};
use uuid::Uuid;

/// Records every call; fails entries (by their `urn:event-id` resource) as many times as
/// scripted with the scripted code; fails whole calls while `call_errors` is positive.
#[derive(Default)]
struct Scripted {
    calls: Mutex<Vec<Vec<String>>>,
    failures: Mutex<HashMap<String, (u32, &'static str)>>,
    call_errors: Mutex<u32>,
}

impl Scripted {
    fn fail(&self, id: Uuid, times: u32, code: &'static str) {
        self.failures.lock().unwrap().insert(event_id_resource(id), (times, code));
    }

    fn call_sizes(&self) -> Vec<usize> {
        self.calls.lock().unwrap().iter().map(Vec::len).collect()
    }
}

impl PutEventsApi for Scripted {
    fn put_events(
        &self,
        entries: Vec<PutEventsRequestEntry>,
    ) -> BoxFuture<'_, Result<Vec<EntryOutcome>, CallError>> {
        let resources: Vec<String> = entries.iter().map(|entry| entry.resources()[0].clone()).collect();
        self.calls.lock().unwrap().push(resources.clone());
        let result = {
            let mut call_errors = self.call_errors.lock().unwrap();
            if *call_errors > 0 {
                *call_errors -= 1;
                Err(CallError { code: "ServiceUnavailable".to_owned(), message: "try again".to_owned() })
            } else {
                let mut failures = self.failures.lock().unwrap();
                Ok(resources
                    .iter()
                    .map(|resource| match failures.get_mut(resource) {
                        Some((times, code)) if *times > 0 => {
                            *times -= 1;
                            EntryOutcome::Failed {
                                code: (*code).to_owned(),
                                message: format!("{code} message"),
                            }
                        }
                        _ => EntryOutcome::Accepted { event_id: Some(Uuid::new_v4().to_string()) },
                    })
                    .collect())
            }
        };
        Box::pin(async move { result })
    }
}

fn fast() -> PublishOptions {
    PublishOptions {
        backoff: Backoff::new(Duration::from_millis(1), Duration::from_millis(4)),
        ..Default::default()
    }
}

fn publisher(api: &Arc<Scripted>) -> EventBridgePublisher {
    EventBridgePublisher::with_api(api.clone(), "bus").with_options(fast())
}

fn events(count: usize) -> Vec<OutboundEvent> {
    (0..count).map(|_| OutboundEvent::new(TradeInventoryAllocated::sample())).collect()
}

#[tokio::test]
async fn events_go_in_batches_of_at_most_10_in_order() {
    let api = Arc::new(Scripted::default());
    let events = events(25);
    assert!(publisher(&api).put(&events).await.is_empty());
    assert_eq!(api.call_sizes(), [10, 10, 5]);
    let sent: Vec<String> = api.calls.lock().unwrap().concat();
    let expected: Vec<String> = events.iter().map(|event| event_id_resource(event.id())).collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn only_the_failed_entries_are_retried() {
    let api = Arc::new(Scripted::default());
    let events = events(12);
    api.fail(events[3].id(), 1, "ThrottlingException");
    api.fail(events[11].id(), 2, "InternalException");
    assert!(publisher(&api).put(&events).await.is_empty());
    let calls = api.calls.lock().unwrap().clone();
    assert_eq!(calls.iter().map(Vec::len).collect::<Vec<_>>(), [10, 2, 2, 1]);
    assert_eq!(calls[2], [event_id_resource(events[3].id()), event_id_resource(events[11].id())]);
    assert_eq!(calls[3], [event_id_resource(events[11].id())]);
}

#[tokio::test]
async fn entries_that_never_go_through_are_all_reported_with_code_message_and_attempts() {
    let api = Arc::new(Scripted::default());
    let events = events(5);
    api.fail(events[0].id(), 100, "ThrottlingException");
    api.fail(events[4].id(), 100, "InternalException");
    let failed = publisher(&api).put(&events).await;
    assert_eq!(failed.iter().map(|f| f.event_id).collect::<Vec<_>>(), [events[0].id(), events[4].id()]);
    assert_eq!(
        failed[0].error,
        format!(
            "trading.TradeInventoryAllocated {}: ThrottlingException: ThrottlingException message (after 4 attempts)",
            events[0].id()
        )
    );
    assert!(failed[1].error.contains("InternalException"));
    assert_eq!(api.call_sizes(), [5, 2, 2, 2], "max_attempts (4) bounds the retries");
}

#[tokio::test]
async fn permanent_entry_errors_are_not_retried() {
    let api = Arc::new(Scripted::default());
    let events = events(3);
    api.fail(events[1].id(), 100, "MalformedDetail");
    let failed = publisher(&api).put(&events).await;
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].error.ends_with("MalformedDetail: MalformedDetail message (after 1 attempt)"),
        "{failed:?}"
    );
    assert_eq!(api.call_sizes(), [3]);
}

#[tokio::test]
async fn a_call_that_fails_as_a_whole_is_retried_for_all_its_entries() {
    let api = Arc::new(Scripted::default());
    *api.call_errors.lock().unwrap() = 1;
    let events = events(4);
    assert!(publisher(&api).put(&events).await.is_empty());
    assert_eq!(api.call_sizes(), [4, 4]);
}

#[tokio::test]
async fn an_oversized_entry_is_a_failure_naming_the_event_and_is_never_sent() {
    let api = Arc::new(Scripted::default());
    let small = OutboundEvent::from_json(Uuid::new_v4(), "trading", "TradeCreated", Utc::now(), "{}");
    let detail = format!(r#"{{"blob":"{}"}}"#, "x".repeat(300));
    let big =
        OutboundEvent::from_json(Uuid::new_v4(), "trading", "TradeCreated", Utc::now(), detail.as_str());
    let options = PublishOptions { max_entry_size: 300, ..fast() };
    let failed = EventBridgePublisher::with_api(api.clone(), "bus")
        .with_options(options)
        .put(&[small, big.clone()])
        .await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].event_id, big.id());
    let size = 14 + "trading".len() + "TradeCreated".len() + detail.len() + event_id_resource(big.id()).len();
    assert_eq!(
        failed[0].error,
        format!(
            "trading.TradeCreated {}: EntryTooLarge: the entry is {size} bytes by AWS's size rule, over the limit of 300 bytes; not sent",
            big.id()
        )
    );
    assert_eq!(api.call_sizes(), [1]);
}

#[test]
fn the_default_limit_is_256_kb_and_retries_wait_50_ms_doubling_to_1_s_with_equal_jitter() {
    let options = PublishOptions::default();
    assert_eq!(options.max_entry_size, 262_144);
    let backoff = &options.backoff;
    assert_eq!((backoff.initial, backoff.max), (Duration::from_millis(50), Duration::from_secs(1)));
    let ceilings: Vec<u128> = (1..=6).map(|retry| backoff.ceiling(retry).as_millis()).collect();
    assert_eq!(ceilings, [50, 100, 200, 400, 800, 1_000]);
    assert!(matches!(backoff.jitter, Jitter::Equal), "publishers throttled together must not retry together");
    assert!(
        (0..200)
            .all(|_| (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&backoff.delay(3)))
    );
}

#[tokio::test]
async fn as_the_outbox_relays_sink_failed_entries_stay_pending_until_a_later_pass_delivers_them() {
    let api = Arc::new(Scripted::default());
    // No backoff, so the next relay pass retries at once.
    let options = RelayOptions { backoff: Backoff::none(), ..RelayOptions::default() };
    let database = Database::in_memory().await.unwrap();
    let runtime = Runtime::start_with(database, Arc::new(publisher(&api)), options).await.unwrap();
    let ctx = runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None));
    let uow = ctx.begin().await.unwrap();
    let ids = ctx.publish_batch_after_commit((0..3).map(|_| TradeInventoryAllocated::sample())).unwrap();
    api.fail(ids[1], 4, "ThrottlingException");
    let relay = uow.commit().await.unwrap().relay.unwrap();
    assert_eq!(relay.delivered, [ids[0], ids[2]]);
    assert_eq!(relay.failed.iter().map(|f| f.event_id).collect::<Vec<_>>(), [ids[1]]);

    // The throttling has passed: the next relay pass delivers the pending event.
    let again = runtime.relay_pending().await.unwrap();
    assert_eq!(again.delivered, [ids[1]]);
    assert!(again.failed.is_empty());
    // And an immediate publish reports a rejection as an error naming the event.
    let event = TradeInventoryAllocated::sample();
    api.failures.lock().unwrap().clear();
    *api.call_errors.lock().unwrap() = 4;
    let error = ctx.publish(event).await.unwrap_err();
    assert!(error.to_string().contains("ServiceUnavailable"), "{error}");
}
