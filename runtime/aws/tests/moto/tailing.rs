//! The tail sees what was published, flags what breaks its schema or has none, and removes
//! its rule and queue when it stops.

use std::process::Stdio;
use std::time::Duration;

use contracts_common::Sample;
use contracts_trading::TradeInventoryAllocated;
use event_runtime::Publisher;
use event_runtime_aws::aws_sdk_eventbridge::types::PutEventsRequestEntry;
use event_runtime_aws::schemas::{SchemaCatalog, Verdict};
use event_runtime_aws::tail::{self, Tail};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::{Fixture, REGION, moto_endpoint, runtime_id, runtime_with};

#[tokio::test]
async fn the_tail_sees_what_was_published_flags_unknown_events_and_cleans_up() {
    let fixture = Fixture::new("tail", None).await;
    let mut tail = Tail::start(&fixture.config, &fixture.bus).await.expect("tail started");
    let rule = tail.name().to_owned();
    assert!(fixture.events.describe_rule().name(&rule).event_bus_name(&fixture.bus).send().await.is_ok());

    let (_runtime, ctx) = runtime_with(fixture.publisher()).await;
    let published = ctx.publish(TradeInventoryAllocated::sample()).await.unwrap().event_ids[0];
    // An event no schema knows, put directly.
    let scheduled = PutEventsRequestEntry::builder()
        .event_bus_name(&fixture.bus)
        .source("acme.unknown")
        .detail_type("Nobody Knows")
        .detail("{}")
        .build();
    fixture.events.put_events().entries(scheduled).send().await.unwrap();

    let catalog = SchemaCatalog::load(SchemaCatalog::workspace_dir()).unwrap();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < 2 && tokio::time::Instant::now() < deadline {
        seen.extend(tail.poll(Duration::from_secs(1)).await.unwrap());
    }
    let removed = tail.cleanup().await.expect("cleaned up");

    assert_eq!(seen.len(), 2, "{seen:#?}");
    let ours = seen.iter().find(|event| event["source"] == "trading").expect("the published event");
    assert_eq!(runtime_id(ours), published);
    assert_eq!(tail::check(&catalog, ours), Verdict::Valid);
    let other = seen.iter().find(|event| event["source"] == "acme.unknown").expect("the unknown event");
    assert_eq!(tail::check(&catalog, other), Verdict::Unknown);
    assert!(tail::flag(other, &Verdict::Unknown).unwrap().starts_with("UNKNOWN acme.unknown.Nobody Knows"));

    assert_eq!(removed.rule.as_deref(), Some(rule.as_str()));
    assert!(fixture.events.describe_rule().name(&rule).event_bus_name(&fixture.bus).send().await.is_err());
    let queue = removed.queue.expect("queue removed");
    assert!(fixture.sqs.get_queue_attributes().queue_url(&queue).send().await.is_err());
}

#[tokio::test]
async fn the_event_tail_binary_prints_max_events_as_json_lines_then_removes_its_rule() {
    let fixture = Fixture::new("tailbin", None).await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_event-tail"))
        .args(["--bus", &fixture.bus, "--json", "--region", REGION, "--max-events", "2", "--timeout", "30"])
        .args(["--endpoint-url", &moto_endpoint()])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("event-tail runs");
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = stderr.next_line().await.unwrap().expect("a start line");
    assert!(started.starts_with("event-tail: tailing bus"), "{started}");

    let (_runtime, ctx) = runtime_with(fixture.publisher()).await;
    let mut bad = serde_json::to_value(TradeInventoryAllocated::sample()).unwrap();
    bad["tradeId"] = Value::from("not-a-uuid");
    let good = ctx.publish(TradeInventoryAllocated::sample()).await.unwrap().event_ids[0];
    let entry = PutEventsRequestEntry::builder()
        .event_bus_name(&fixture.bus)
        .source("trading")
        .detail_type("TradeInventoryAllocated")
        .detail(bad.to_string())
        .build();
    fixture.events.put_events().entries(entry).send().await.unwrap();

    let output =
        tokio::time::timeout(Duration::from_secs(40), child.wait_with_output()).await.unwrap().unwrap();
    let mut rest = Vec::new();
    while let Some(line) = stderr.next_line().await.unwrap() {
        rest.push(line);
    }
    assert!(output.status.success(), "{rest:?}");
    let lines: Vec<Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines.iter().any(
        |event| event["resources"].as_array().is_some_and(|r| !r.is_empty()) && runtime_id(event) == good
    ));
    assert!(
        rest.iter().any(|line| line.starts_with("event-tail: INVALID trading.TradeInventoryAllocated")
            && line.contains("/tradeId")),
        "{rest:?}"
    );
    let summary = rest.last().unwrap();
    assert!(summary.contains("2 events, 1 invalid, 0 unknown; removed rule event-tail-"), "{summary}");
    let rules = fixture.events.list_rules().event_bus_name(&fixture.bus).send().await.unwrap();
    assert!(rules.rules().is_empty(), "{:?}", rules.rules());
}
