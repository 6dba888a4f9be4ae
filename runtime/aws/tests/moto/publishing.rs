//! Publishing through the runtime to a custom bus; a rule with source and detail-type routes
//! to an SQS queue, where the envelope and detail are checked.

use contracts_common::Sample;
use contracts_trading::{TradeCreated, TradeInventoryAllocated};
use event_runtime::Publisher;
use event_runtime_aws::schemas::{SchemaCatalog, Verdict};
use serde_json::Value;

use crate::support::{Fixture, REGION, runtime_id, runtime_with};

const ALLOCATED_RULE: &str = r#"{"source":["trading"],"detail-type":["TradeInventoryAllocated"]}"#;

fn check_envelope(envelope: &Value, bus_event: &TradeInventoryAllocated) {
    assert_eq!(envelope["version"], "0");
    assert_eq!(envelope["source"], "trading");
    assert_eq!(envelope["detail-type"], "TradeInventoryAllocated");
    assert_eq!(envelope["region"], REGION);
    assert!(uuid::Uuid::parse_str(envelope["id"].as_str().unwrap()).is_ok(), "EventBridge's id: {envelope}");
    chrono::DateTime::parse_from_rfc3339(envelope["time"].as_str().unwrap()).expect("RFC 3339 time");
    let catalog = SchemaCatalog::load(SchemaCatalog::workspace_dir()).unwrap();
    assert_eq!(catalog.check_envelope(envelope), Verdict::Valid);
    assert_eq!(envelope["detail"], serde_json::to_value(bus_event).unwrap());
}

#[tokio::test]
async fn publish_and_publish_after_commit_reach_the_queue_through_a_source_and_detail_type_rule() {
    let fixture = Fixture::new("publish", Some(ALLOCATED_RULE)).await;
    let (_runtime, ctx) = runtime_with(fixture.publisher()).await;

    let now = TradeInventoryAllocated { metadata: ctx.metadata(), ..TradeInventoryAllocated::sample() };
    let report = ctx.publish(now.clone()).await.expect("published");
    // Another type on the same bus: the rule's detail-type keeps it from the queue.
    ctx.publish(TradeCreated::sample()).await.expect("published");

    let uow = ctx.begin().await.unwrap();
    let later = TradeInventoryAllocated { unallocated_kg: 7, ..now.clone() };
    let later_id = ctx.publish_after_commit(later.clone()).unwrap();
    let commit = uow.commit().await.unwrap();
    let relay = commit.relay.expect("outermost commit relays");
    assert_eq!(relay.delivered, [later_id]);
    assert!(relay.failed.is_empty(), "{:?}", relay.failed);

    let received = fixture.receive(2).await;
    assert_eq!(received.len(), 2, "{received:#?}");
    for envelope in &received {
        let id = runtime_id(envelope);
        if id == report.event_ids[0] {
            check_envelope(envelope, &now);
        } else {
            assert_eq!(id, later_id);
            check_envelope(envelope, &later);
        }
    }
    assert!(fixture.drain().await.is_empty(), "TradeCreated must not match the rule");
}

#[tokio::test]
async fn an_oversized_entry_fails_by_name_and_the_rest_of_the_batch_is_delivered() {
    let fixture = Fixture::new("oversized", Some(ALLOCATED_RULE)).await;
    let publisher = fixture
        .publisher()
        .with_options(event_runtime_aws::PublishOptions { max_entry_size: 2_000, ..Default::default() });
    let (runtime, ctx) = runtime_with(publisher).await;
    let small = TradeInventoryAllocated::sample();
    let mut big = small.clone();
    while serde_json::to_string(&big).unwrap().len() < 2_000 {
        big.allocations.extend(small.allocations.iter().cloned());
    }

    let uow = ctx.begin().await.unwrap();
    let small_id = ctx.publish_after_commit(small.clone()).unwrap();
    let big_id = ctx.publish_after_commit(big).unwrap();
    let relay = uow.commit().await.unwrap().relay.unwrap();
    assert_eq!(relay.delivered, [small_id]);
    assert_eq!(relay.failed.len(), 1);
    assert_eq!(relay.failed[0].event_id, big_id);
    let error = &relay.failed[0].error;
    assert!(
        error.starts_with(&format!("trading.TradeInventoryAllocated {big_id}: EntryTooLarge:")),
        "{error}"
    );

    let received = fixture.receive(1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(runtime_id(&received[0]), small_id);
    // The oversized event stays pending in the outbox, never silently dropped.
    let again = runtime.relay_pending().await.unwrap();
    assert_eq!(again.failed.iter().map(|f| f.event_id).collect::<Vec<_>>(), [big_id]);
}
