//! A Lambda function that consumes platform events with `platform-events` alone: the README's
//! "Consuming events from Rust", compiled in CI.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use platform_events::PlatformEvent;
use serde_json::Value;

async fn handle(event: LambdaEvent<Value>) -> Result<(), Error> {
    match PlatformEvent::from_value(event.payload)? {
        PlatformEvent::TradingTradeCreated(created) => {
            println!("trade {} agreed in request {}", created.detail.trade.id, created.detail.correlation_id);
        }
        other => println!("not for this function: {}/{}", other.source(), other.detail_type()),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handle)).await
}
