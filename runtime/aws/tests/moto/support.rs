//! A moto server, fixed test credentials, and buses and queues named per test so the tests
//! run in parallel.

use std::sync::Arc;
use std::time::Duration;

use aws_config::SdkConfig;
use contracts_common::ContextFactory;
use event_runtime::{Backoff, Database, RelayOptions, RequestContext, Runtime};
use event_runtime_aws::aws_sdk_eventbridge::config::Credentials;
use event_runtime_aws::aws_sdk_eventbridge::types::Target;
use event_runtime_aws::aws_sdk_sqs::types::QueueAttributeName;
use event_runtime_aws::{AwsSettings, EventBridgePublisher, PutEventsApi, aws_sdk_eventbridge, aws_sdk_sqs};
use serde_json::Value;
use uuid::Uuid;

/// The environment variable naming the moto server.
pub const MOTO_ENDPOINT: &str = "MOTO_ENDPOINT";
/// The region every test uses.
pub const REGION: &str = "us-east-1";

/// The moto endpoint; fails the test, saying how to start moto, when it is not set.
pub fn moto_endpoint() -> String {
    match std::env::var(MOTO_ENDPOINT) {
        Ok(endpoint) if !endpoint.is_empty() => endpoint,
        _ => panic!(
            "{MOTO_ENDPOINT} is not set: the end-to-end tests of event-runtime-aws need a moto server. \
             `cargo xtask ci` starts one; by hand: python3 -m venv /tmp/moto-venv && \
             /tmp/moto-venv/bin/pip install \"moto[server]==5.2.5\" && \
             /tmp/moto-venv/bin/moto_server -H 127.0.0.1 -p 5000 & then \
             export MOTO_ENDPOINT=http://127.0.0.1:5000"
        ),
    }
}

/// The SDK configuration for moto: its endpoint, us-east-1, fake credentials.
pub async fn moto_config() -> SdkConfig {
    AwsSettings::local(moto_endpoint(), REGION)
        .loader()
        .expect("plain http needs no TLS")
        .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
        .load()
        .await
}

/// A bus of its own, with a queue and a rule routing `pattern` to it.
pub struct Fixture {
    pub config: SdkConfig,
    pub events: aws_sdk_eventbridge::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub bus: String,
    pub queue_url: String,
}

impl Fixture {
    /// A bus named `e2e-<test>-<random>` and, with `pattern`, a queue and a rule to it.
    pub async fn new(test: &str, pattern: Option<&str>) -> Self {
        let config = moto_config().await;
        let events = aws_sdk_eventbridge::Client::new(&config);
        let sqs = aws_sdk_sqs::Client::new(&config);
        let name = format!("e2e-{test}-{}", &Uuid::new_v4().simple().to_string()[..8]);
        events.create_event_bus().name(&name).send().await.expect("create bus");
        let mut fixture = Self { config, events, sqs, bus: name.clone(), queue_url: String::new() };
        if let Some(pattern) = pattern {
            fixture.route_to_queue(&name, pattern).await;
        }
        fixture
    }

    async fn route_to_queue(&mut self, name: &str, pattern: &str) {
        let queue = self.sqs.create_queue().queue_name(name).send().await.expect("create queue");
        self.queue_url = queue.queue_url().unwrap().to_owned();
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(&self.queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .expect("queue arn");
        let queue_arn = attributes.attributes().unwrap()[&QueueAttributeName::QueueArn].clone();
        self.events
            .put_rule()
            .name(name)
            .event_bus_name(&self.bus)
            .event_pattern(pattern)
            .send()
            .await
            .expect("put rule");
        self.events
            .put_targets()
            .rule(name)
            .event_bus_name(&self.bus)
            .targets(Target::builder().id("queue").arn(queue_arn).build().unwrap())
            .send()
            .await
            .expect("put targets");
    }

    /// A publisher to this bus.
    pub fn publisher(&self) -> EventBridgePublisher {
        EventBridgePublisher::new(aws_sdk_eventbridge::Client::new(&self.config), &self.bus)
    }

    /// A publisher to this bus calling PutEvents through `api`.
    pub fn publisher_with(&self, api: Arc<dyn PutEventsApi>) -> EventBridgePublisher {
        EventBridgePublisher::with_api(api, &self.bus)
    }

    /// The SDK PutEvents of this fixture.
    pub fn sdk_api(&self) -> event_runtime_aws::SdkPutEvents {
        event_runtime_aws::SdkPutEvents(aws_sdk_eventbridge::Client::new(&self.config))
    }

    /// Reads the queue until `count` messages came or 10 s passed.
    pub async fn receive(&self, count: usize) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let mut received = Vec::new();
        while received.len() < count && tokio::time::Instant::now() < deadline {
            let output = self
                .sqs
                .receive_message()
                .queue_url(&self.queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .expect("receive");
            for message in output.messages() {
                received.push(serde_json::from_str(message.body().unwrap()).unwrap());
                let receipt = message.receipt_handle().unwrap();
                self.sqs
                    .delete_message()
                    .queue_url(&self.queue_url)
                    .receipt_handle(receipt)
                    .send()
                    .await
                    .unwrap();
            }
        }
        received
    }

    /// Whatever is left on the queue after a short wait (none, normally).
    pub async fn drain(&self) -> Vec<Value> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let output = self
            .sqs
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .send()
            .await
            .expect("receive");
        output.messages().iter().map(|m| serde_json::from_str(m.body().unwrap()).unwrap()).collect()
    }
}

/// A runtime on an in-memory database delivering to `publisher`, and a request context on it.
/// No backoff, so a test's next relay pass retries a failed event at once.
pub async fn runtime_with(publisher: EventBridgePublisher) -> (Runtime, RequestContext) {
    let options = RelayOptions { backoff: Backoff::none(), ..RelayOptions::default() };
    let runtime = Runtime::start_with(Database::in_memory().await.unwrap(), Arc::new(publisher), options)
        .await
        .unwrap();
    let ctx = runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None));
    (runtime, ctx)
}

/// The runtime event id an envelope carries in its resources.
pub fn runtime_id(envelope: &Value) -> Uuid {
    let resources: Vec<&str> =
        envelope["resources"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    event_runtime_aws::event_id_from_resources(&resources).expect("urn:event-id resource")
}
