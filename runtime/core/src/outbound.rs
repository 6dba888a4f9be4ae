//! [`OutboundEvent`]: a published event on its way to a sink, its type erased.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use contracts_common::{Event, EventEnvelope, EventMetadata};
use uuid::Uuid;

/// One event on its way to an [`EventSink`](crate::EventSink): the envelope's header and the
/// detail, with the event's type erased so one batch can mix event types.
///
/// A freshly published event keeps its typed [`EventEnvelope`], so in-process handlers get it
/// without a JSON round trip; an event read back from the outbox or received from EventBridge
/// holds its detail as JSON text and is deserialised (with the failing path reported) when a
/// typed handler asks for it. Cloning is cheap (reference counted).
#[derive(Clone)]
pub struct OutboundEvent {
    id: Uuid,
    source: Cow<'static, str>,
    detail_type: Cow<'static, str>,
    time: DateTime<Utc>,
    origin: Option<EventMetadata>,
    detail: Detail,
}

#[derive(Clone)]
enum Detail {
    Typed(Arc<dyn TypedEnvelope>),
    Json(Arc<str>),
}

/// A typed envelope with its type erased.
trait TypedEnvelope: Send + Sync + 'static {
    fn detail_json(&self) -> serde_json::Result<String>;
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

impl<E: Event> TypedEnvelope for EventEnvelope<E> {
    fn detail_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(&self.detail)
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// A `detail` that does not deserialise into the event type a handler takes.
#[derive(Debug, thiserror::Error)]
#[error("detail of {detail_type} does not fit the type at `{path}`: {source}")]
pub struct DetailError {
    /// The event's detail-type.
    pub detail_type: String,
    /// The JSON path of the failing value inside `detail` (`.` for the whole detail).
    pub path: String,
    /// What was wrong there.
    #[source]
    pub source: serde_json::Error,
}

impl OutboundEvent {
    /// A new envelope around `event`: its `source` and `detail-type`, a fresh random id and
    /// the current time. `origin` is the metadata of the request that published it (handlers'
    /// contexts continue it); `None` makes handlers read it from the detail.
    pub fn new<E: Event>(event: E, origin: Option<EventMetadata>) -> Self {
        let id = Uuid::new_v4();
        let time = Utc::now();
        let envelope = EventEnvelope::new(id, time, event);
        Self {
            id,
            source: Cow::Borrowed(E::SOURCE),
            detail_type: Cow::Borrowed(E::DETAIL_TYPE),
            time,
            origin,
            detail: Detail::Typed(Arc::new(envelope)),
        }
    }

    /// An event whose detail is JSON text, as read from the outbox or an EventBridge delivery.
    /// `detail` must be valid JSON (it is handed on verbatim).
    pub fn from_json(
        id: Uuid,
        source: impl Into<String>,
        detail_type: impl Into<String>,
        time: DateTime<Utc>,
        detail: impl Into<Arc<str>>,
    ) -> Self {
        Self {
            id,
            source: Cow::Owned(source.into()),
            detail_type: Cow::Owned(detail_type.into()),
            time,
            origin: None,
            detail: Detail::Json(detail.into()),
        }
    }

    /// The envelope id: unique per event, so consumers can de-duplicate on it.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The EventBridge `source`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The EventBridge `detail-type`.
    pub fn detail_type(&self) -> &str {
        &self.detail_type
    }

    /// When the event was published.
    pub fn time(&self) -> DateTime<Utc> {
        self.time
    }

    /// The `detail` as JSON text: what an EventBridge `PutEvents` entry's `Detail` carries.
    pub fn detail_json(&self) -> serde_json::Result<Cow<'_, str>> {
        match &self.detail {
            Detail::Typed(envelope) => envelope.detail_json().map(Cow::Owned),
            Detail::Json(text) => Ok(Cow::Borrowed(text)),
        }
    }

    /// The whole envelope as JSON, with EventBridge's field names.
    pub fn envelope_json(&self) -> serde_json::Result<serde_json::Value> {
        let detail: serde_json::Value = serde_json::from_str(&self.detail_json()?)?;
        serde_json::to_value(self.envelope_with(detail))
    }

    /// The metadata of the request that caused the event: the publisher's, or else the
    /// `correlationId`/`userId`/`organisationId` the detail carries; `None` if neither has it.
    pub fn metadata(&self) -> Option<EventMetadata> {
        if let Some(origin) = &self.origin {
            return Some(origin.clone());
        }
        serde_json::from_str(&self.detail_json().ok()?).ok()
    }

    /// The typed envelope: shared as published, or deserialised from the JSON detail with the
    /// failing path reported.
    pub fn typed<E: Event>(&self) -> Result<Arc<EventEnvelope<E>>, DetailError> {
        if let Detail::Typed(envelope) = &self.detail
            && let Ok(typed) = Arc::clone(envelope).into_any().downcast::<EventEnvelope<E>>()
        {
            return Ok(typed);
        }
        let text = self.detail_json().map_err(|source| self.detail_error(".".to_owned(), source))?;
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let detail: E = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| self.detail_error(error.path().to_string(), error.into_inner()))?;
        Ok(Arc::new(self.envelope_with(detail)))
    }

    /// The envelope with its detail as a JSON value, for handlers registered by string key.
    pub fn json(&self) -> Result<Arc<EventEnvelope<serde_json::Value>>, DetailError> {
        let text = self.detail_json().map_err(|source| self.detail_error(".".to_owned(), source))?;
        let detail =
            serde_json::from_str(&text).map_err(|source| self.detail_error(".".to_owned(), source))?;
        Ok(Arc::new(self.envelope_with(detail)))
    }

    fn envelope_with<T>(&self, detail: T) -> EventEnvelope<T> {
        EventEnvelope {
            version: "0".to_owned(),
            id: self.id.to_string(),
            detail_type: self.detail_type.clone().into_owned(),
            source: self.source.clone().into_owned(),
            account: None,
            time: self.time,
            region: None,
            resources: Vec::new(),
            detail,
        }
    }

    fn detail_error(&self, path: String, source: serde_json::Error) -> DetailError {
        DetailError { detail_type: self.detail_type.clone().into_owned(), path, source }
    }
}

impl fmt::Debug for OutboundEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboundEvent")
            .field("id", &self.id)
            .field("source", &self.source)
            .field("detail_type", &self.detail_type)
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}
