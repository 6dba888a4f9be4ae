//! [`Router`]: the EventBridge-style entry point (a Lambda handler's job, without Lambda).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::context::Delivery;
use crate::error::HandlerError;
use crate::handler::{self, Started};
use crate::manifest::Manifest;
use crate::outbound::{DetailError, OutboundEvent};
use crate::runtime::Runtime;
use crate::text::{capped, capped_display, first_items};

/// Routes raw EventBridge events to a manifest's handlers under one prefix: the handler is
/// the one whose prefix is exactly the router's and whose event has exactly the envelope's
/// `detail-type` and `source` (never a lookup of a concatenated string), the `detail` is
/// deserialised into the handler's event type, and the handler runs in a context built from
/// the event's own metadata.
///
/// One router per Lambda function: a function serving the `Trading` handlers of a manifest
/// is `Router::new(runtime, manifest, Some("Trading"))`, and its EventBridge rule is
/// [`Manifest::rule_pattern_for`] with the same prefix.
pub struct Router {
    runtime: Runtime,
    manifest: Manifest,
    prefix: String,
    /// detail-type, then source, to the index of the handler under this router's prefix.
    routes: HashMap<String, HashMap<String, usize>>,
}

/// Which handler took an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOutcome {
    /// The handler's key.
    pub key: String,
    /// The event's envelope id.
    pub event_id: Uuid,
}

/// Why an event could not be handled. Messages escape the input they quote (control and
/// invisible characters) and quote at most [`QUOTE_LIMIT`](crate::QUOTE_LIMIT) bytes of each
/// piece, so a message stays within [`MESSAGE_LIMIT`](crate::MESSAGE_LIMIT) bytes whatever
/// the event.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The input is not an EventBridge event.
    #[error("not an EventBridge event: at `{}`: {}", capped(path), capped_display(error))]
    InvalidEnvelope {
        /// The JSON path of the failing value.
        path: String,
        /// What was wrong there.
        error: serde_json::Error,
    },
    /// No handler under the router's prefix takes the detail-type.
    #[error(
        "no handler for detail-type `{}` under prefix `{}`; this router's keys: {}",
        capped(detail_type),
        capped(prefix),
        first_items(known_keys, 5)
    )]
    UnknownDetailType {
        /// The event's detail-type.
        detail_type: String,
        /// The router's prefix.
        prefix: String,
        /// The keys of the router's handlers, sorted (the message names the first few).
        known_keys: Vec<String>,
    },
    /// A handler takes the detail-type, but of another source.
    #[error(
        "handler `{}` takes `{}` events, but this one is from `{}`",
        capped(key),
        capped(expected),
        capped(actual)
    )]
    SourceMismatch {
        /// The handler's key.
        key: String,
        /// The source the handler's event has.
        expected: String,
        /// The event's source.
        actual: String,
    },
    /// The detail does not deserialise into the handler's event type.
    #[error("handler `{}`: malformed detail at `{}`: {}", capped(key), capped(path), capped_display(error))]
    MalformedDetail {
        /// The handler's key.
        key: String,
        /// The JSON path of the failing value inside `detail` (a metadata field by its name).
        path: String,
        /// What was wrong there.
        error: serde_json::Error,
    },
    /// The handler returned an error or panicked.
    #[error("handler `{}` failed: {}", capped(key), capped_display(error))]
    Handler {
        /// The handler's key.
        key: String,
        /// Its error.
        error: HandlerError,
    },
}

/// The envelope fields routing reads; `detail` stays raw until a handler is chosen.
#[derive(Deserialize)]
struct Envelope<'a> {
    id: String,
    #[serde(rename = "detail-type")]
    detail_type: String,
    source: String,
    time: DateTime<Utc>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    resources: Vec<String>,
    #[serde(borrow)]
    detail: &'a RawValue,
}

impl Router {
    /// A router over `manifest`'s handlers with `prefix` (none: the empty prefix, keys that
    /// are the bare detail-type); handlers publish through and use the database of `runtime`.
    pub fn new(runtime: Runtime, manifest: Manifest, prefix: Option<&str>) -> Self {
        let prefix = prefix.unwrap_or_default().to_owned();
        let mut routes: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (index, entry) in
            manifest.handlers().iter().enumerate().filter(|(_, entry)| entry.prefix() == prefix)
        {
            routes
                .entry(entry.detail_type().to_owned())
                .or_default()
                .insert(entry.source().to_owned(), index);
        }
        Self { runtime, manifest, prefix, routes }
    }

    /// The prefix of every key this router serves.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Handles one raw EventBridge event (the JSON a Lambda receives): a JSON object with
    /// `id`, `detail-type`, `source`, `time` and an object `detail`.
    pub async fn handle_json(&self, raw: &str) -> Result<RouteOutcome, RouteError> {
        if !raw.trim_start().starts_with('{') {
            return Err(invalid(".", "an EventBridge event is a JSON object"));
        }
        let mut deserializer = serde_json::Deserializer::from_str(raw);
        let envelope: Envelope<'_> =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                RouteError::InvalidEnvelope { path: error.path().to_string(), error: error.into_inner() }
            })?;
        if !envelope.detail.get().starts_with('{') {
            return Err(invalid("detail", "the detail is a JSON object"));
        }
        self.route(envelope).await
    }

    /// Handles one EventBridge event already parsed as JSON.
    pub async fn handle(&self, event: &serde_json::Value) -> Result<RouteOutcome, RouteError> {
        self.handle_json(&event.to_string()).await
    }

    async fn route(&self, envelope: Envelope<'_>) -> Result<RouteOutcome, RouteError> {
        let Some(by_source) = self.routes.get(&envelope.detail_type) else {
            let mut known_keys: Vec<String> = self
                .routes
                .values()
                .flat_map(|by_source| by_source.values())
                .map(|index| self.key(*index))
                .collect();
            known_keys.sort();
            return Err(RouteError::UnknownDetailType {
                detail_type: envelope.detail_type,
                prefix: self.prefix.clone(),
                known_keys,
            });
        };
        let Some(entry) = by_source.get(&envelope.source).map(|index| &self.manifest.handlers()[*index])
        else {
            // The handler of that detail-type with the first source, for the message.
            let taker = by_source.iter().min_by_key(|(source, _)| source.as_str());
            let entry = taker.map(|(_, index)| &self.manifest.handlers()[*index]);
            return Err(RouteError::SourceMismatch {
                key: entry.map(|entry| entry.key().to_owned()).unwrap_or_default(),
                expected: entry.map(|entry| entry.source().to_owned()).unwrap_or_default(),
                actual: envelope.source,
            });
        };
        let key = entry.key().to_owned();
        let event_id = Uuid::parse_str(&envelope.id)
            .map_err(|error| invalid("id", &format!("`{}` is not a UUID: {error}", capped(&envelope.id))))?;
        let event = OutboundEvent::from_json(
            event_id,
            envelope.source,
            envelope.detail_type,
            envelope.time,
            envelope.detail.get(),
        )
        .with_envelope_fields(envelope.account, envelope.region, envelope.resources);
        let malformed = |detail: DetailError| RouteError::MalformedDetail {
            key: key.clone(),
            path: detail.path,
            error: detail.source,
        };
        let metadata = event.metadata().map_err(malformed)?;
        let ctx = self
            .runtime
            .handler_context(metadata.as_ref(), Delivery { event_id, consumer: entry.key_shared() });
        let span = handler::handle_span(&key, &event, &ctx);
        let result = match handler::start(entry.handler(), &event, ctx) {
            Started::Running(future) => handler::in_span(span, handler::finish(future)).await,
            Started::BadDetail(detail) => return Err(malformed(detail)),
            Started::Panicked(error) => Err(error),
        };
        match result {
            Ok(()) => Ok(RouteOutcome { key, event_id }),
            Err(error) => Err(RouteError::Handler { key, error }),
        }
    }

    fn key(&self, index: usize) -> String {
        self.manifest.handlers()[index].key().to_owned()
    }
}

fn invalid(path: &str, message: &str) -> RouteError {
    RouteError::InvalidEnvelope { path: path.to_owned(), error: serde::de::Error::custom(message) }
}
