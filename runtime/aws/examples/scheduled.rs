//! A scheduled Lambda: consumes the `aws.events` "Scheduled Event" an EventBridge schedule
//! rule (`rate(5 minutes)`, `cron(...)`) sends, through a manifest like every other handler.
//!
//! The detail-type has a space, so its handler key takes the detail-type's key form, the
//! PascalCase of its words ([`event_runtime::key_form`]): the key is `HandleScheduledEvent`,
//! while the manifest, the router and the rule pattern keep the exact `Scheduled Event`. The
//! detail (always `{}`) is typed as [`ScheduledDetail`]; the rule that fired is the envelope's
//! resource.
//!
//! ```sh
//! cargo build -p event-runtime-aws --features https --example scheduled
//! ```
//!
//! `--consumer-declaration` prints its consumer declaration,
//! `schemas/consumers/scheduler.toml`: it handles the event and reads nothing of its detail.

use std::sync::Arc;

use contracts_common::EventEnvelope;
use event_runtime::{Consumer, HandlerResult, Manifest, RequestContext};
use event_runtime_aws::LambdaHandler;
use serde::Deserialize;

/// The prefix of this function's keys.
const PREFIX: &str = "Handle";

/// The detail of a Scheduled Event: always the empty object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduledDetail {}

/// The function's manifest: one handler of `aws.events` "Scheduled Event", key
/// `HandleScheduledEvent`.
fn manifest() -> Manifest {
    Manifest::builder("scheduler", "scheduler_db")
        .add_detail::<ScheduledDetail>(PREFIX, "aws.events", "Scheduled Event", on_schedule)
        .build()
        .expect("the key is well formed")
}

/// Who the function is: it reads the envelope (`resources`, `time`), no field of the detail.
fn consumer() -> Consumer {
    Consumer::new("scheduler", "platform", "https://github.com/agri-platform/platform").reads_detail(
        "aws.events",
        "Scheduled Event",
        [""; 0],
    )
}

/// One scheduled run: here it reports which rule fired and when.
async fn on_schedule(event: Arc<EventEnvelope<ScheduledDetail>>, ctx: RequestContext) -> HandlerResult {
    let rule = event.resources.first().ok_or("a Scheduled Event names its rule in `resources`")?;
    println!("{rule} fired at {} (event {}, correlation {})", event.time, event.id, ctx.correlation_id);
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
    use event_runtime::{BoxFuture, Database, DeliveryReport, EventSink, OutboundEvent, Runtime};
    use event_runtime_aws::lambda_runtime::Diagnostic;
    use serde_json::{Value, json};

    /// AWS's own sample (the one in aws-lambda-rust-runtime's fixtures).
    const SCHEDULED: &str = r#"{
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2015-10-08T16:53:06Z",
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],
        "detail": {}
    }"#;

    struct Accept;

    impl EventSink for Accept {
        fn send<'a>(&'a self, _: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
            Box::pin(async { DeliveryReport::default() })
        }
    }

    async fn handle(event: Value) -> Result<Value, Diagnostic> {
        let runtime = Runtime::start(Database::in_memory().await.unwrap(), Arc::new(Accept)).await.unwrap();
        LambdaHandler::new(manifest(), Some(PREFIX))
            .with_runtime(runtime)
            .handle(event)
            .await
            .map_err(Diagnostic::from)
    }

    #[test]
    fn the_checked_in_consumer_declaration_is_the_functions_own() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/consumers/scheduler.toml");
        let checked_in = std::fs::read_to_string(file).unwrap_or_default();
        assert_eq!(
            checked_in,
            manifest().declaration(&consumer()).unwrap(),
            "schemas/consumers/scheduler.toml is stale; print it again: cargo run -p event-runtime-aws --example \
             scheduled -- --consumer-declaration"
        );
    }

    #[test]
    fn the_key_is_the_pascal_case_of_the_detail_type_and_maps_back_exactly() {
        let manifest = manifest();
        assert_eq!(manifest.keys(), ["HandleScheduledEvent"]);
        let entry = manifest.handler("HandleScheduledEvent").unwrap();
        assert_eq!(
            (entry.prefix(), entry.source(), entry.detail_type()),
            ("Handle", "aws.events", "Scheduled Event")
        );
    }

    #[tokio::test]
    async fn a_scheduled_event_is_routed_to_its_handler() {
        let outcome = handle(serde_json::from_str(SCHEDULED).unwrap()).await.unwrap();
        assert_eq!(
            outcome,
            json!({"key": "HandleScheduledEvent", "eventId": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"})
        );
    }

    #[test]
    fn the_rule_pattern_matches_the_exact_detail_type() {
        assert_eq!(
            manifest().rule_pattern_for(Some(PREFIX)).unwrap().to_json(),
            json!({"source": ["aws.events"], "detail-type": ["Scheduled Event"]})
        );
    }

    #[tokio::test]
    async fn another_source_is_refused() {
        let mut event: Value = serde_json::from_str(SCHEDULED).unwrap();
        event["source"] = json!("trading");
        let diagnostic = handle(event).await.unwrap_err();
        assert_eq!(diagnostic.error_type, "SourceMismatch");
    }

    #[tokio::test]
    async fn the_detail_must_be_empty() {
        let mut event: Value = serde_json::from_str(SCHEDULED).unwrap();
        event["detail"] = json!({"x": 1});
        let diagnostic = handle(event).await.unwrap_err();
        assert_eq!(diagnostic.error_type, "MalformedDetail");
        assert!(diagnostic.error_message.contains("unknown field `x`"), "{}", diagnostic.error_message);
    }

    #[tokio::test]
    async fn an_event_without_its_rule_fails_the_invocation() {
        let mut event: Value = serde_json::from_str(SCHEDULED).unwrap();
        event["resources"] = json!([]);
        let diagnostic = handle(event).await.unwrap_err();
        assert_eq!(diagnostic.error_type, "HandlerFailed");
    }
}
