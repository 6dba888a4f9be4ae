//! Tailing a bus: a temporary SQS queue and a catch-all rule targeting it, polled and
//! checked against the contracts' schemas. The `event-tail` binary is the command line of
//! this module.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_eventbridge::error::DisplayErrorContext;
use aws_sdk_eventbridge::types::Target;
use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::schemas::{SchemaCatalog, Verdict};

/// The rule pattern that matches every event on a bus (every event has a `source`).
pub const CATCH_ALL_PATTERN: &str = r#"{"source":[{"prefix":""}]}"#;

/// An AWS call of the tail failed.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {message}")]
pub struct TailError {
    /// What the tail was doing, e.g. `creating queue event-tail-1a2b`.
    pub action: String,
    /// The error with its causes.
    pub message: String,
}

fn failed<E: std::error::Error>(action: impl Into<String>) -> impl FnOnce(E) -> TailError {
    let action = action.into();
    move |error| TailError { action, message: DisplayErrorContext(&error).to_string() }
}

/// A live tail of one bus: the queue and rule it created, until [`Tail::cleanup`].
#[derive(Debug)]
pub struct Tail {
    events: aws_sdk_eventbridge::Client,
    sqs: aws_sdk_sqs::Client,
    bus: String,
    name: String,
    queue_url: Option<String>,
    rule_created: bool,
    target_created: bool,
}

/// What [`Tail::cleanup`] removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The rule's name, if it was removed (with its target).
    pub rule: Option<String>,
    /// The queue's URL, if it was removed.
    pub queue: Option<String>,
}

impl Tail {
    /// Starts tailing `bus`: creates the queue `event-tail-<random>`, a rule of the same name
    /// on the bus matching every event, the queue policy letting that rule send, and the
    /// target. On failure it removes whatever it had created.
    pub async fn start(config: &SdkConfig, bus: &str) -> Result<Self, TailError> {
        let mut tail = Self {
            events: aws_sdk_eventbridge::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            bus: bus.to_owned(),
            name: format!("event-tail-{}", &Uuid::new_v4().simple().to_string()[..12]),
            queue_url: None,
            rule_created: false,
            target_created: false,
        };
        match tail.create().await {
            Ok(()) => Ok(tail),
            Err(error) => {
                let _ = tail.cleanup().await;
                Err(error)
            }
        }
    }

    async fn create(&mut self) -> Result<(), TailError> {
        let name = self.name.clone();
        let queue = self
            .sqs
            .create_queue()
            .queue_name(&name)
            .send()
            .await
            .map_err(failed(format!("creating queue {name}")))?;
        let queue_url = queue.queue_url().unwrap_or_default().to_owned();
        self.queue_url = Some(queue_url.clone());
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(failed(format!("reading the ARN of queue {name}")))?;
        let queue_arn = attributes
            .attributes()
            .and_then(|attributes| attributes.get(&QueueAttributeName::QueueArn))
            .cloned()
            .unwrap_or_default();

        let rule = self
            .events
            .put_rule()
            .name(&name)
            .event_bus_name(&self.bus)
            .event_pattern(CATCH_ALL_PATTERN)
            .description("temporary: event-tail, removed when it exits")
            .send()
            .await
            .map_err(failed(format!("creating rule {name} on bus {}", self.bus)))?;
        self.rule_created = true;
        let rule_arn = rule.rule_arn().unwrap_or_default();

        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "event-tail",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }],
        });
        self.sqs
            .set_queue_attributes()
            .queue_url(&queue_url)
            .attributes(QueueAttributeName::Policy, policy.to_string())
            .send()
            .await
            .map_err(failed(format!("setting the policy of queue {name}")))?;

        let target =
            Target::builder().id(&name).arn(&queue_arn).build().map_err(failed("building the target"))?;
        let output = self
            .events
            .put_targets()
            .rule(&name)
            .event_bus_name(&self.bus)
            .targets(target)
            .send()
            .await
            .map_err(failed(format!("adding queue {name} as target of rule {name}")))?;
        self.target_created = true;
        if output.failed_entry_count() > 0 {
            return Err(TailError {
                action: format!("adding queue {name} as target of rule {name}"),
                message: format!("{:?}", output.failed_entries()),
            });
        }
        Ok(())
    }

    /// The name of the rule and of the queue.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bus tailed.
    pub fn bus(&self) -> &str {
        &self.bus
    }

    /// The queue's URL.
    pub fn queue_url(&self) -> Option<&str> {
        self.queue_url.as_deref()
    }

    /// Waits up to `wait` (whole seconds, at most 20) for events and returns those that came,
    /// at most 10, deleting them from the queue. A message that is not JSON is returned as a
    /// JSON string.
    pub async fn poll(&self, wait: Duration) -> Result<Vec<Value>, TailError> {
        let Some(queue_url) = &self.queue_url else { return Ok(Vec::new()) };
        let wait = i32::try_from(wait.as_secs().min(20)).unwrap_or(20);
        let output = self
            .sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait)
            .send()
            .await
            .map_err(failed(format!("receiving from queue {}", self.name)))?;
        let mut events = Vec::new();
        for message in output.messages() {
            let body = message.body().unwrap_or_default();
            events.push(serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned())));
            if let Some(receipt) = message.receipt_handle() {
                self.sqs
                    .delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(receipt)
                    .send()
                    .await
                    .map_err(failed(format!("deleting a message from queue {}", self.name)))?;
            }
        }
        Ok(events)
    }

    /// Removes the target, the rule and the queue (whichever were created), trying each even
    /// when an earlier one fails; the first failure is returned.
    pub async fn cleanup(&mut self) -> Result<Removed, TailError> {
        let mut first_error = None;
        let mut removed = Removed { rule: None, queue: None };
        if self.target_created {
            let result = self
                .events
                .remove_targets()
                .rule(&self.name)
                .event_bus_name(&self.bus)
                .ids(&self.name)
                .send()
                .await
                .map_err(failed(format!("removing the target of rule {}", self.name)));
            match result {
                Ok(_) => self.target_created = false,
                Err(error) => first_error = first_error.or(Some(error)),
            }
        }
        if self.rule_created && !self.target_created {
            let result = self
                .events
                .delete_rule()
                .name(&self.name)
                .event_bus_name(&self.bus)
                .send()
                .await
                .map_err(failed(format!("deleting rule {}", self.name)));
            match result {
                Ok(_) => {
                    self.rule_created = false;
                    removed.rule = Some(self.name.clone());
                }
                Err(error) => first_error = first_error.or(Some(error)),
            }
        }
        if let Some(queue_url) = self.queue_url.clone() {
            let result = self
                .sqs
                .delete_queue()
                .queue_url(&queue_url)
                .send()
                .await
                .map_err(failed(format!("deleting queue {}", self.name)));
            match result {
                Ok(_) => {
                    self.queue_url = None;
                    removed.queue = Some(queue_url);
                }
                Err(error) => first_error = first_error.or(Some(error)),
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(removed),
        }
    }
}

/// How one event is printed: pretty JSON, or compact on one line.
pub fn render(event: &Value, one_line: bool) -> String {
    if one_line {
        event.to_string()
    } else {
        serde_json::to_string_pretty(event).unwrap_or_else(|_| event.to_string())
    }
}

/// The warning for an event whose detail is not valid by its schema or has no schema, naming
/// it by source, detail-type and id; `None` for a valid event.
pub fn flag(event: &Value, verdict: &Verdict) -> Option<String> {
    let field = |name: &str| event.get(name).and_then(Value::as_str).unwrap_or("?").to_owned();
    let name = format!("{}.{} {}", field("source"), field("detail-type"), field("id"));
    match verdict {
        Verdict::Valid => None,
        Verdict::Unknown => Some(format!("UNKNOWN {name}: no schema has this source and detail-type")),
        Verdict::Invalid(violations) => {
            Some(format!("INVALID {name}: detail breaks its schema: {}", violations.join("; ")))
        }
    }
}

/// Counts of what a tail saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Every event.
    pub events: usize,
    /// Events whose detail broke its schema.
    pub invalid: usize,
    /// Events with no schema.
    pub unknown: usize,
}

impl Tally {
    /// Counts one event with its verdict.
    pub fn count(&mut self, verdict: &Verdict) {
        self.events += 1;
        match verdict {
            Verdict::Valid => {}
            Verdict::Invalid(_) => self.invalid += 1,
            Verdict::Unknown => self.unknown += 1,
        }
    }
}

/// Checks an event with `catalog`; shorthand for [`SchemaCatalog::check_envelope`].
pub fn check(catalog: &SchemaCatalog, event: &Value) -> Verdict {
    catalog.check_envelope(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_name_the_event_and_say_what_is_wrong() {
        let event =
            json!({"source": "aws.events", "detail-type": "Scheduled Event", "id": "e1", "detail": {}});
        assert_eq!(flag(&event, &Verdict::Valid), None);
        assert_eq!(
            flag(&event, &Verdict::Unknown).unwrap(),
            "UNKNOWN aws.events.Scheduled Event e1: no schema has this source and detail-type"
        );
        let invalid = flag(&event, &Verdict::Invalid(vec!["/a: bad".to_owned()])).unwrap();
        assert!(invalid.starts_with("INVALID ") && invalid.ends_with("/a: bad"), "{invalid}");
    }

    #[test]
    fn json_mode_prints_one_line_per_event() {
        let event = json!({"a": {"b": 1}});
        assert_eq!(render(&event, true), r#"{"a":{"b":1}}"#);
        assert!(render(&event, false).contains('\n'));
    }

    #[test]
    fn the_tally_counts_each_verdict() {
        let mut tally = Tally::default();
        for verdict in [Verdict::Valid, Verdict::Unknown, Verdict::Invalid(Vec::new()), Verdict::Valid] {
            tally.count(&verdict);
        }
        assert_eq!(tally, Tally { events: 4, invalid: 1, unknown: 1 });
    }
}
