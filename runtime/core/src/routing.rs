//! [`Router`]: the EventBridge-style entry point (a Lambda handler's job, without Lambda).

use std::collections::BTreeMap;

use contracts_common::EventEnvelope;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::handler::{self, Started};
use crate::{HandlerError, Manifest, OutboundEvent, Runtime};

/// Routes raw EventBridge events to a manifest's handlers: the key is the router's prefix
/// followed by the event's `detail-type`, the `detail` is deserialised into the handler's
/// event type, and the handler runs in a context continuing the event's request.
///
/// One router per Lambda function: a function serving the `Trading` handlers of a manifest
/// is `Router::new(runtime, manifest, Some("Trading"))`, and its EventBridge rule is
/// [`Manifest::rule_pattern_for`] with the same prefix.
pub struct Router {
    runtime: Runtime,
    manifest: Manifest,
    prefix: String,
    by_key: BTreeMap<String, usize>,
}

/// Which handler took an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOutcome {
    /// The handler's key.
    pub key: String,
    /// The event's envelope id.
    pub event_id: Uuid,
}

/// Why an event could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The input is not an EventBridge event.
    #[error("not an EventBridge event: at `{path}`: {error}")]
    InvalidEnvelope {
        /// The JSON path of the failing value.
        path: String,
        /// What was wrong there.
        error: serde_json::Error,
    },
    /// No handler has the key prefix + detail-type.
    #[error(
        "no handler for detail-type `{detail_type}`: key `{key}` is not in the manifest; known keys: {}",
        known_keys.join(", ")
    )]
    UnknownDetailType {
        /// The event's detail-type.
        detail_type: String,
        /// The key looked up.
        key: String,
        /// Every key of the router's manifest, sorted.
        known_keys: Vec<String>,
    },
    /// The handler's event has the detail-type but another source.
    #[error("handler `{key}` takes `{expected}` events, but this one is from `{actual}`")]
    SourceMismatch {
        /// The handler's key.
        key: String,
        /// The source the handler's event has.
        expected: String,
        /// The event's source.
        actual: String,
    },
    /// The detail does not deserialise into the handler's event type.
    #[error("handler `{key}`: malformed detail at `{path}`: {error}")]
    MalformedDetail {
        /// The handler's key.
        key: String,
        /// The JSON path of the failing value inside `detail`.
        path: String,
        /// What was wrong there.
        error: serde_json::Error,
    },
    /// The handler returned an error or panicked.
    #[error("handler `{key}` failed: {error}")]
    Handler {
        /// The handler's key.
        key: String,
        /// Its error.
        error: HandlerError,
    },
}

impl Router {
    /// A router over `manifest`'s handlers with `prefix` (none: the key is the bare
    /// detail-type); handlers publish through and use the database of `runtime`.
    pub fn new(runtime: Runtime, manifest: Manifest, prefix: Option<&str>) -> Self {
        let by_key = manifest
            .handlers()
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.key().to_owned(), index))
            .collect();
        Self { runtime, manifest, prefix: prefix.unwrap_or_default().to_owned(), by_key }
    }

    /// The prefix of every key this router serves.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Handles one raw EventBridge event (the JSON a Lambda receives).
    pub async fn handle_json(&self, raw: &str) -> Result<RouteOutcome, RouteError> {
        let mut deserializer = serde_json::Deserializer::from_str(raw);
        let envelope: EventEnvelope<Box<RawValue>> =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                RouteError::InvalidEnvelope { path: error.path().to_string(), error: error.into_inner() }
            })?;
        self.route(envelope).await
    }

    /// Handles one EventBridge event already parsed as JSON.
    pub async fn handle(&self, event: &serde_json::Value) -> Result<RouteOutcome, RouteError> {
        self.handle_json(&event.to_string()).await
    }

    async fn route(&self, envelope: EventEnvelope<Box<RawValue>>) -> Result<RouteOutcome, RouteError> {
        let key = format!("{}{}", self.prefix, envelope.detail_type);
        let Some(entry) = self.by_key.get(&key).map(|index| &self.manifest.handlers()[*index]) else {
            return Err(RouteError::UnknownDetailType {
                detail_type: envelope.detail_type,
                key,
                known_keys: self.by_key.keys().cloned().collect(),
            });
        };
        if entry.source() != envelope.source {
            return Err(RouteError::SourceMismatch {
                key,
                expected: entry.source().to_owned(),
                actual: envelope.source,
            });
        }
        let event_id = Uuid::parse_str(&envelope.id).map_err(|error| RouteError::InvalidEnvelope {
            path: "id".to_owned(),
            error: serde::de::Error::custom(format!("`{}` is not a UUID: {error}", envelope.id)),
        })?;
        let event = OutboundEvent::from_json(
            event_id,
            envelope.source,
            envelope.detail_type,
            envelope.time,
            envelope.detail.get(),
        );
        let ctx = self.runtime.handler_context(event.metadata().as_ref());
        let result = match handler::start(entry.handler(), &event, ctx) {
            Started::Running(future) => handler::finish(future).await,
            Started::BadDetail(detail) => {
                return Err(RouteError::MalformedDetail { key, path: detail.path, error: detail.source });
            }
            Started::Panicked(error) => Err(error),
        };
        match result {
            Ok(()) => Ok(RouteOutcome { key, event_id }),
            Err(error) => Err(RouteError::Handler { key, error }),
        }
    }
}
