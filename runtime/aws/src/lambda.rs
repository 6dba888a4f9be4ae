//! [`LambdaHandler`]: a manifest's [`Router`] served as a Lambda function.

use std::sync::Arc;

use event_runtime::{Database, Manifest, RouteError, RouteOutcome, Router, Runtime};
use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use uuid::Uuid;

use crate::{AwsSettings, EventBridgePublisher, event_id_from_resources};

/// The environment variable naming the bus a Lambda's default runtime publishes follow-up
/// events to (else EventBridge's `default` bus).
pub const EVENT_BUS_ENV: &str = "EVENT_BUS_NAME";

/// The environment variable naming the database of a Lambda's default runtime, e.g. the
/// service's PostgreSQL (`postgres://...`), where its outbox and inbox live across
/// invocations; without it, an in-memory SQLite database that lasts one execution environment.
pub const DATABASE_URL_ENV: &str = "EVENT_RUNTIME_DATABASE_URL";

/// A Lambda function serving the handlers of one manifest under one prefix: the EventBridge
/// rule [`Manifest::rule_pattern_for`] with the same prefix invokes it, and every invocation
/// goes through the runtime's [`Router`] (key = prefix + `detail-type`, typed `detail`).
///
/// **The event id** a handler sees, and the inbox records, follows one rule:
/// 1. the envelope's own `id` must be a UUID (as EventBridge's are), else the invocation is
///    rejected (`InvalidEnvelope` at `id`), whatever its resources say;
/// 2. if its `resources` hold exactly one well-formed `urn:event-id:<uuid>` (as
///    [`EventBridgePublisher`] sends; the same id twice counts once, malformed ones are
///    ignored), that id: the one the publisher's runtime gave the event, the same on every
///    redelivery, so a handler de-duplicates on it exactly as with the in-process bus;
/// 3. otherwise (none, or several different ones) the envelope's own id.
///
/// The runtime (database and sink for follow-up events) is the one given to
/// [`LambdaHandler::with_runtime`], or else, built at the first invocation: the database at
/// `EVENT_RUNTIME_DATABASE_URL` (an in-memory one without it) and an [`EventBridgePublisher`]
/// to the bus in `EVENT_BUS_NAME` (`default`), configured from the environment like any AWS
/// SDK. Exactly-once effects across invocations ([`event_runtime::UnitOfWork::first_delivery`])
/// need a database that outlives the execution environment.
///
/// ```no_run
/// # use event_runtime::Manifest;
/// # async fn serve(manifest: Manifest) -> Result<(), event_runtime_aws::lambda_runtime::Error> {
/// event_runtime_aws::LambdaHandler::new(manifest, Some("Handle")).run().await
/// # }
/// ```
pub struct LambdaHandler {
    manifest: Manifest,
    prefix: Option<String>,
    runtime: Option<Runtime>,
    router: OnceCell<Router>,
}

/// Why an invocation failed; Lambda reports it, and EventBridge retries the delivery.
#[derive(Debug, thiserror::Error)]
pub enum LambdaHandlerError {
    /// The default runtime could not be built.
    #[error("the Lambda's runtime could not start: {0}")]
    Setup(String),
    /// The router could not handle the event.
    #[error(transparent)]
    Route(#[from] RouteError),
}

impl From<LambdaHandlerError> for Diagnostic {
    fn from(error: LambdaHandlerError) -> Self {
        let kind = match &error {
            LambdaHandlerError::Setup(_) => "Setup",
            LambdaHandlerError::Route(RouteError::InvalidEnvelope { .. }) => "InvalidEnvelope",
            LambdaHandlerError::Route(RouteError::UnknownDetailType { .. }) => "UnknownDetailType",
            LambdaHandlerError::Route(RouteError::SourceMismatch { .. }) => "SourceMismatch",
            LambdaHandlerError::Route(RouteError::MalformedDetail { .. }) => "MalformedDetail",
            LambdaHandlerError::Route(RouteError::Handler { .. }) => "HandlerFailed",
        };
        // The message quotes the event; escaped and bounded, whatever put it on the bus.
        Diagnostic {
            error_type: kind.to_owned(),
            error_message: event_runtime::bounded(&error.to_string()).into_owned(),
        }
    }
}

impl LambdaHandler {
    /// A handler for `manifest`'s keys starting with `prefix` (none: bare detail-types).
    pub fn new(manifest: Manifest, prefix: Option<&str>) -> Self {
        Self { manifest, prefix: prefix.map(str::to_owned), runtime: None, router: OnceCell::new() }
    }

    /// The same handler on `runtime` instead of the default one.
    #[must_use]
    pub fn with_runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// Handles one invocation's payload, a raw EventBridge event; returns the handler's key
    /// and the event id it saw as `{"key": ..., "eventId": ...}`.
    pub async fn handle(&self, mut event: Value) -> Result<Value, LambdaHandlerError> {
        use_runtime_event_id(&mut event)?;
        let router = self.router().await?;
        let RouteOutcome { key, event_id } = router.handle(&event).await?;
        Ok(json!({ "key": key, "eventId": event_id }))
    }

    /// Serves the handler as a Lambda function until the Lambda service stops it.
    pub async fn run(self) -> Result<(), lambda_runtime::Error> {
        let handler = Arc::new(self);
        lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
            let handler = Arc::clone(&handler);
            async move { handler.handle(event.payload).await }
        }))
        .await
    }

    async fn router(&self) -> Result<&Router, LambdaHandlerError> {
        self.router
            .get_or_try_init(|| async {
                let runtime = match &self.runtime {
                    Some(runtime) => runtime.clone(),
                    None => default_runtime().await?,
                };
                Ok(Router::new(runtime, self.manifest.clone(), self.prefix.as_deref()))
            })
            .await
    }
}

/// The database in `EVENT_RUNTIME_DATABASE_URL` (else in memory) and an EventBridge sink
/// configured from the environment.
async fn default_runtime() -> Result<Runtime, LambdaHandlerError> {
    let setup = |error: &dyn std::fmt::Display| LambdaHandlerError::Setup(error.to_string());
    let bus = std::env::var(EVENT_BUS_ENV).unwrap_or_else(|_| "default".to_owned());
    let publisher =
        EventBridgePublisher::connect(&AwsSettings::from_env(), bus).await.map_err(|e| setup(&e))?;
    let database = match std::env::var(DATABASE_URL_ENV) {
        Ok(url) if !url.is_empty() => Database::connect(&url).await,
        _ => Database::in_memory().await,
    }
    .map_err(|e| setup(&e))?;
    Runtime::start(database, Arc::new(publisher)).await.map_err(|e| setup(&e))
}

/// Applies the event-id rule of [`LambdaHandler`]: checks the envelope's own id, then puts
/// the runtime id of its one well-formed id resource, if it has one, in its place.
fn use_runtime_event_id(event: &mut Value) -> Result<(), LambdaHandlerError> {
    let Some(envelope) = event.as_object() else { return Ok(()) }; // the router says what is wrong
    let own = envelope.get("id").and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok());
    if own.is_none() {
        let found = envelope.get("id").map_or_else(|| "no id".to_owned(), |id| format!("id {id}"));
        return Err(LambdaHandlerError::Route(RouteError::InvalidEnvelope {
            path: "id".to_owned(),
            error: serde::de::Error::custom(format!(
                "an EventBridge envelope's own id is a UUID, this one has {}; not trusting its resources",
                event_runtime::bounded(&found)
            )),
        }));
    }
    let resources: Vec<&str> = envelope
        .get("resources")
        .and_then(Value::as_array)
        .map(|resources| resources.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(id) = event_id_from_resources(&resources) {
        event["id"] = Value::String(id.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::event_id_resource;

    fn envelope(id: Value, resources: Vec<String>) -> Value {
        json!({"id": id, "detail-type": "TradeCreated", "source": "trading", "resources": resources, "detail": {}})
    }

    fn id_after_the_rule(event: &mut Value) -> Result<String, String> {
        use_runtime_event_id(event).map_err(|error| error.to_string())?;
        Ok(event["id"].as_str().unwrap().to_owned())
    }

    #[test]
    fn exactly_one_well_formed_id_resource_is_the_event_id() {
        let (own, runtime) = (Uuid::new_v4(), Uuid::new_v4());
        let resources = vec!["urn:event-id:garbage".to_owned(), event_id_resource(runtime)];
        assert_eq!(id_after_the_rule(&mut envelope(json!(own), resources)), Ok(runtime.to_string()));
    }

    #[test]
    fn without_one_well_formed_id_resource_the_envelope_id_stays() {
        let own = Uuid::new_v4();
        let cases = [
            vec![],
            vec!["urn:event-id:garbage".to_owned()],
            vec![event_id_resource(Uuid::new_v4()), event_id_resource(Uuid::new_v4())],
        ];
        for resources in cases {
            assert_eq!(
                id_after_the_rule(&mut envelope(json!(own), resources.clone())),
                Ok(own.to_string()),
                "{resources:?}"
            );
        }
    }

    #[test]
    fn an_envelope_without_a_uuid_id_is_rejected_whatever_its_resources() {
        let resources = vec![event_id_resource(Uuid::new_v4())];
        for own in [json!("not-a-uuid\nforged"), json!(7), Value::Null] {
            let mut event = envelope(own.clone(), resources.clone());
            let error = id_after_the_rule(&mut event).unwrap_err();
            assert!(error.contains("at `id`") && error.contains("own id is a UUID"), "{own}: {error}");
            assert!(!error.contains('\n'), "{error:?}");
        }
        let mut missing = envelope(Value::Null, resources);
        missing.as_object_mut().unwrap().remove("id");
        assert!(id_after_the_rule(&mut missing).unwrap_err().contains("has no id"));
    }
}
