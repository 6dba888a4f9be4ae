//! PutEvents throughput against an EventBridge endpoint (moto), batches of 10: publishes
//! through [`EventBridgePublisher`] and prints a table of events/s.
//!
//! ```sh
//! MOTO_ENDPOINT=http://127.0.0.1:5000 cargo run --release -p event-runtime-aws --example bench_put_events
//! ```
//! Optional arguments: the event counts to run (default `100 1000 5000`).

use std::time::Instant;

use contracts_common::Sample;
use contracts_trading::TradeInventoryAllocated;
use event_runtime::OutboundEvent;
use event_runtime_aws::aws_sdk_eventbridge::config::Credentials;
use event_runtime_aws::{AwsSettings, EventBridgePublisher, aws_sdk_eventbridge};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let endpoint = std::env::var("MOTO_ENDPOINT").map_err(|_| anyhow::anyhow!("set MOTO_ENDPOINT"))?;
    let counts: Vec<usize> =
        match std::env::args().skip(1).map(|a| a.parse()).collect::<Result<Vec<_>, _>>()? {
            counts if counts.is_empty() => vec![100, 1_000, 5_000],
            counts => counts,
        };
    let config = AwsSettings::local(&endpoint, "us-east-1")
        .loader()?
        .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
        .load()
        .await;
    let client = aws_sdk_eventbridge::Client::new(&config);
    let bus = format!("bench-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    client.create_event_bus().name(&bus).send().await?;
    let publisher = EventBridgePublisher::new(client.clone(), &bus);
    let detail_bytes = serde_json::to_string(&TradeInventoryAllocated::sample())?.len();

    println!(
        "PutEvents to moto at {endpoint}, batches of 10, TradeInventoryAllocated ({detail_bytes} B detail)"
    );
    println!("| events | calls | seconds | events/s |");
    println!("| ---: | ---: | ---: | ---: |");
    for count in counts {
        let events: Vec<OutboundEvent> =
            (0..count).map(|_| OutboundEvent::new(TradeInventoryAllocated::sample())).collect();
        let started = Instant::now();
        let failed = publisher.put(&events).await;
        let seconds = started.elapsed().as_secs_f64();
        anyhow::ensure!(failed.is_empty(), "{} entries failed: {:?}", failed.len(), failed.first());
        println!("| {count} | {} | {seconds:.2} | {:.0} |", count.div_ceil(10), count as f64 / seconds);
    }
    client.delete_event_bus().name(&bus).send().await?;
    Ok(())
}
