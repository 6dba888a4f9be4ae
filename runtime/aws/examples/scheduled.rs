//! A scheduled Lambda: consumes the `aws.events` "Scheduled Event" an EventBridge schedule
//! rule (`rate(5 minutes)`, `cron(...)`) sends. Its `detail` is `{}`, typed here as
//! [`ScheduledDetail`]; the envelope is `aws_lambda_events`' `EventBridgeEvent`.
//!
//! ```sh
//! cargo build -p event-runtime-aws --example scheduled
//! ```

use aws_lambda_events::eventbridge::EventBridgeEvent;
use event_runtime_aws::aws_lambda_events;
use event_runtime_aws::lambda_runtime::{self, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The detail of a Scheduled Event: always the empty object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduledDetail {}

/// What one scheduled run did; here it only reports which rule fired and when.
fn on_schedule(event: &EventBridgeEvent<ScheduledDetail>) -> Result<Value, String> {
    if event.source != "aws.events" || event.detail_type != "Scheduled Event" {
        return Err(format!(
            "expected an aws.events Scheduled Event, got {} {}",
            event.source, event.detail_type
        ));
    }
    let rule = event.resources.as_deref().and_then(<[String]>::first).cloned().unwrap_or_default();
    Ok(json!({ "rule": rule, "firedAt": event.time }))
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(service_fn(|event: LambdaEvent<EventBridgeEvent<ScheduledDetail>>| async move {
        on_schedule(&event.payload)
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_scheduled_event_reports_its_rule_and_time() {
        let event: EventBridgeEvent<ScheduledDetail> = serde_json::from_str(SCHEDULED).unwrap();
        assert_eq!(
            on_schedule(&event).unwrap(),
            json!({
                "rule": "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule",
                "firedAt": "2015-10-08T16:53:06Z"
            })
        );
    }

    #[test]
    fn another_event_is_refused() {
        let mut event: EventBridgeEvent<ScheduledDetail> = serde_json::from_str(SCHEDULED).unwrap();
        event.source = "trading".to_owned();
        assert!(on_schedule(&event).unwrap_err().contains("expected an aws.events Scheduled Event"));
    }

    #[test]
    fn the_detail_must_be_empty() {
        let text = SCHEDULED.replace(r#""detail": {}"#, r#""detail": {"x": 1}"#);
        assert!(serde_json::from_str::<EventBridgeEvent<ScheduledDetail>>(&text).is_err());
    }
}
