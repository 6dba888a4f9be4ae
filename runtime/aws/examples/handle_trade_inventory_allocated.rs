//! The seed platform's `HandleTradeInventoryAllocated` function as a Rust Lambda: the trading
//! manifest's handler under the key `HandleTradeInventoryAllocated` (prefix `Handle`), served
//! by [`LambdaHandler`]. Its EventBridge rule is `manifest().rule_pattern_for("Handle")`.
//!
//! ```sh
//! cargo build -p event-runtime-aws --features https --example handle_trade_inventory_allocated
//! ```
//! (deployed as a `provided.al2023` function with `EVENT_BUS_NAME` set; outside Lambda it
//! exits, as there is no Lambda runtime API to poll). With `--consumer-declaration` it prints
//! its consumer declaration instead, the file `schemas/consumers/trading-allocations.toml`:
//!
//! ```sh
//! cargo run -p event-runtime-aws --example handle_trade_inventory_allocated -- --consumer-declaration \
//!     > schemas/consumers/trading-allocations.toml
//! ```

use std::sync::Arc;

use contracts_common::EventEnvelope;
use contracts_trading::TradeInventoryAllocated;
use event_runtime::{Consumer, HandlerResult, Manifest, RequestContext};
use event_runtime_aws::LambdaHandler;

/// The prefix of this function's keys.
const PREFIX: &str = "Handle";

/// The function's manifest: one typed handler, key `HandleTradeInventoryAllocated`.
fn manifest() -> Manifest {
    Manifest::builder("trading", "trading_db")
        .add::<TradeInventoryAllocated>(PREFIX, handle_trade_inventory_allocated)
        .build()
        .expect("the key is well formed")
}

/// Who the function is, and the fields of each event it reads: its consumer declaration says
/// so, so the compatibility gate names it for a change to these fields and no others.
fn consumer() -> Consumer {
    Consumer::new("trading-allocations", "trading", "https://github.com/agri-platform/platform")
        .reads::<TradeInventoryAllocated>(["/tradeId", "/allocations/*/quantityKg", "/unallocatedKg"])
}

/// Inventory was allocated to a trade: here, logged with the request's correlation.
async fn handle_trade_inventory_allocated(
    event: Arc<EventEnvelope<TradeInventoryAllocated>>,
    ctx: RequestContext,
) -> HandlerResult {
    let allocated: u64 = event.detail.allocations.iter().map(|allocation| allocation.quantity_kg).sum();
    println!(
        "trade {} allocated {allocated} kg in {} lots, {} kg left (event {}, correlation {})",
        event.detail.trade_id,
        event.detail.allocations.len(),
        event.detail.unallocated_kg,
        event.id,
        ctx.correlation_id,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), event_runtime_aws::lambda_runtime::Error> {
    if std::env::args().any(|arg| arg == "--consumer-declaration") {
        print!("{}", manifest().declaration(&consumer())?);
        return Ok(());
    }
    LambdaHandler::new(manifest(), Some(PREFIX)).run().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use contracts_common::Sample;
    use event_runtime::{BoxFuture, Database, DeliveryReport, EventSink, OutboundEvent, Runtime};
    use event_runtime_aws::lambda_runtime::Diagnostic;
    use serde_json::json;

    /// A sink that accepts every follow-up event.
    struct Accept;

    impl EventSink for Accept {
        fn send<'a>(&'a self, _: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
            Box::pin(async { DeliveryReport::default() })
        }
    }

    async fn handler() -> LambdaHandler {
        let runtime = Runtime::start(Database::in_memory().await.unwrap(), Arc::new(Accept)).await.unwrap();
        LambdaHandler::new(manifest(), Some(PREFIX)).with_runtime(runtime)
    }

    /// The event as EventBridge delivers what `EventBridgePublisher` put: its own id, the
    /// runtime's id in `resources`, account and region.
    fn delivered(event: &OutboundEvent) -> serde_json::Value {
        let mut envelope = event.envelope_json().unwrap();
        envelope["id"] = json!(uuid::Uuid::new_v4());
        envelope["account"] = json!("123456789012");
        envelope["region"] = json!("eu-west-2");
        envelope["resources"] = json!([event_runtime_aws::event_id_resource(event.id())]);
        envelope
    }

    #[tokio::test]
    async fn the_function_handles_trade_inventory_allocated_with_the_runtime_event_id() {
        let event = OutboundEvent::new(TradeInventoryAllocated::sample());
        let outcome = handler().await.handle(delivered(&event)).await.unwrap();
        assert_eq!(outcome, json!({"key": "HandleTradeInventoryAllocated", "eventId": event.id()}));
    }

    #[tokio::test]
    async fn an_event_without_account_is_still_handled() {
        let event = OutboundEvent::new(TradeInventoryAllocated::sample());
        let mut envelope = delivered(&event);
        envelope.as_object_mut().unwrap().remove("account");
        assert!(handler().await.handle(envelope).await.is_ok());
    }

    #[tokio::test]
    async fn another_detail_type_fails_the_invocation_listing_the_known_keys() {
        let event = OutboundEvent::new(contracts_trading::TradeCreated::sample());
        let error = handler().await.handle(delivered(&event)).await.unwrap_err();
        let diagnostic = Diagnostic::from(error);
        assert_eq!(diagnostic.error_type, "UnknownDetailType");
        assert!(
            diagnostic.error_message.contains("HandleTradeInventoryAllocated"),
            "{}",
            diagnostic.error_message
        );
    }

    #[tokio::test]
    async fn a_hostile_detail_type_reaches_the_diagnostic_escaped_and_within_1_kib() {
        let event = OutboundEvent::new(TradeInventoryAllocated::sample());
        let mut envelope = delivered(&event);
        envelope["detail-type"] = json!(format!("Trade\nERROR forged line\u{0}{}", "🦀".repeat(1_000)));
        let diagnostic = Diagnostic::from(handler().await.handle(envelope).await.unwrap_err());
        let message = &diagnostic.error_message;
        assert_eq!(diagnostic.error_type, "UnknownDetailType");
        assert!(!message.chars().any(char::is_control), "{message:?}");
        assert!(message.contains("Trade\\nERROR forged line\\u{0}"), "{message}");
        assert!(message.len() <= event_runtime::MESSAGE_LIMIT, "{} bytes", message.len());
    }

    #[tokio::test]
    async fn a_malformed_detail_fails_with_its_path() {
        let event = OutboundEvent::new(TradeInventoryAllocated::sample());
        let mut envelope = delivered(&event);
        envelope["detail"]["unallocatedKg"] = json!("lots");
        let diagnostic = Diagnostic::from(handler().await.handle(envelope).await.unwrap_err());
        assert_eq!(diagnostic.error_type, "MalformedDetail");
        assert!(diagnostic.error_message.contains("unallocatedKg"), "{}", diagnostic.error_message);
    }

    #[test]
    fn the_checked_in_consumer_declaration_is_the_functions_own() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/consumers/trading-allocations.toml");
        let checked_in = std::fs::read_to_string(file).unwrap_or_default();
        assert_eq!(
            checked_in,
            manifest().declaration(&consumer()).unwrap(),
            "schemas/consumers/trading-allocations.toml is stale; print it again: cargo run -p event-runtime-aws \
             --example handle_trade_inventory_allocated -- --consumer-declaration"
        );
    }

    #[test]
    fn the_rule_pattern_takes_exactly_this_event() {
        assert_eq!(
            manifest().rule_pattern_for(Some(PREFIX)).unwrap().to_json(),
            json!({"source": ["trading"], "detail-type": ["TradeInventoryAllocated"]})
        );
    }
}
