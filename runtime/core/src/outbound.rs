//! [`OutboundEvent`]: a published event on its way to a sink, its type erased.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use contracts_common::{Event, EventEnvelope, EventMetadata};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Error as _};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::text::{capped, capped_display};

/// One event on its way to an [`EventSink`](crate::EventSink): the envelope's header and the
/// detail, with the event's type erased so one batch can mix event types.
///
/// A freshly published event keeps its typed [`EventEnvelope`] and its own
/// [`Event::metadata`], so in-process handlers get both without a JSON round trip; an event
/// read back from the outbox or received from EventBridge holds its detail as JSON text, which
/// is deserialised (with the failing path reported) when a handler asks for it. Cloning is
/// cheap (reference counted).
#[derive(Clone)]
pub struct OutboundEvent {
    id: Uuid,
    source: Cow<'static, str>,
    detail_type: Cow<'static, str>,
    time: DateTime<Utc>,
    /// The typed event's own metadata; `None` for JSON, read from the detail on demand.
    metadata: Option<EventMetadata>,
    /// The envelope fields EventBridge adds, when the event was received from it.
    received: Option<Arc<Received>>,
    detail: Detail,
}

/// `account`, `region` and `resources` of an event received from EventBridge.
#[derive(Debug)]
struct Received {
    account: Option<String>,
    region: Option<String>,
    resources: Vec<String>,
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
#[error(
    "detail of {} does not fit the type at `{}`: {}",
    capped(detail_type),
    capped(path),
    capped_display(source)
)]
pub struct DetailError {
    /// The event's detail-type.
    pub detail_type: String,
    /// The JSON path of the failing value inside `detail` (`.` for the whole detail); an error
    /// in the flattened metadata names its field (`correlationId`).
    pub path: String,
    /// What was wrong there.
    #[source]
    pub source: serde_json::Error,
}

impl OutboundEvent {
    /// A new envelope around `event`: its `source` and `detail-type`, a fresh random id and
    /// the current time. Handlers' contexts continue the event's own metadata.
    pub fn new<E: Event>(event: E) -> Self {
        let id = Uuid::new_v4();
        let time = Utc::now();
        let metadata = Some(event.metadata().clone());
        let envelope = EventEnvelope::new(id, time, event);
        Self {
            id,
            source: Cow::Borrowed(E::SOURCE),
            detail_type: Cow::Borrowed(E::DETAIL_TYPE),
            time,
            metadata,
            received: None,
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
            metadata: None,
            received: None,
            detail: Detail::Json(detail.into()),
        }
    }

    /// The same event with the `account`, `region` and `resources` EventBridge delivered it
    /// with, so a handler's envelope shows them (a scheduled event's rule is its resource).
    #[must_use]
    pub fn with_envelope_fields(
        mut self,
        account: Option<String>,
        region: Option<String>,
        resources: Vec<String>,
    ) -> Self {
        self.received = Some(Arc::new(Received { account, region, resources }));
        self
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

    /// The metadata of the request that caused the event: a typed event's own, or the
    /// `correlationId`, `userId` and `organisationId` of a JSON detail; `Ok(None)` when the
    /// detail has none of the three (an AWS service event). A field that is there but not a
    /// UUID, or missing beside the others, is an error naming it.
    pub fn metadata(&self) -> Result<Option<EventMetadata>, DetailError> {
        if let Some(metadata) = &self.metadata {
            return Ok(Some(metadata.clone()));
        }
        let text = self.detail_json().map_err(|source| self.detail_error(".".to_owned(), source))?;
        if !text.trim_start().starts_with('{') {
            return Err(self
                .detail_error(".".to_owned(), serde_json::Error::custom("the detail is not a JSON object")));
        }
        let fields: MetadataFields<'_> =
            serde_json::from_str(&text).map_err(|source| self.detail_error(".".to_owned(), source))?;
        if fields.correlation_id.is_none() && fields.user_id.is_none() && fields.organisation_id.is_none() {
            return Ok(None);
        }
        let field = |name: &'static str, raw: Option<&RawValue>| -> Result<Uuid, DetailError> {
            let raw = raw
                .ok_or_else(|| self.detail_error(name.to_owned(), serde_json::Error::missing_field(name)))?;
            serde_json::from_str(raw.get()).map_err(|source| self.detail_error(name.to_owned(), source))
        };
        Ok(Some(EventMetadata {
            correlation_id: field("correlationId", fields.correlation_id)?,
            user_id: field("userId", fields.user_id)?,
            organisation_id: field("organisationId", fields.organisation_id)?,
        }))
    }

    /// The correlation id of the event's metadata, if it has readable metadata.
    pub fn correlation_id(&self) -> Option<Uuid> {
        self.metadata().ok().flatten().map(|metadata| metadata.correlation_id)
    }

    /// The typed envelope: shared as published, or deserialised from the JSON detail with the
    /// failing path reported.
    pub fn typed<E: Event>(&self) -> Result<Arc<EventEnvelope<E>>, DetailError> {
        if let Detail::Typed(envelope) = &self.detail
            && let Ok(typed) = Arc::clone(envelope).into_any().downcast::<EventEnvelope<E>>()
        {
            return Ok(typed);
        }
        self.detail_as::<E>()
    }

    /// The envelope with its detail deserialised into any `T` (an AWS service event's detail
    /// type, say), with the failing path reported.
    pub fn detail_as<T: DeserializeOwned>(&self) -> Result<Arc<EventEnvelope<T>>, DetailError> {
        let text = self.detail_json().map_err(|source| self.detail_error(".".to_owned(), source))?;
        if !text.trim_start().starts_with('{') {
            return Err(self
                .detail_error(".".to_owned(), serde_json::Error::custom("the detail is not a JSON object")));
        }
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(detail) => Ok(Arc::new(self.envelope_with(detail))),
            Err(error) => {
                let path = error.path().to_string();
                // serde reports an error inside flattened fields (the metadata) at `.`; the
                // metadata's own check names the field.
                if path == "."
                    && let Err(metadata) = self.metadata()
                {
                    return Err(metadata);
                }
                Err(self.detail_error(path, error.into_inner()))
            }
        }
    }

    /// The envelope with its detail as a JSON value, for handlers registered by string key.
    pub fn json(&self) -> Result<Arc<EventEnvelope<serde_json::Value>>, DetailError> {
        self.detail_as()
    }

    fn envelope_with<T>(&self, detail: T) -> EventEnvelope<T> {
        EventEnvelope {
            version: "0".to_owned(),
            id: self.id.to_string(),
            detail_type: self.detail_type.clone().into_owned(),
            source: self.source.clone().into_owned(),
            account: self.received.as_ref().and_then(|received| received.account.clone()),
            time: self.time,
            region: self.received.as_ref().and_then(|received| received.region.clone()),
            resources: self.received.as_ref().map(|received| received.resources.clone()).unwrap_or_default(),
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

/// The metadata fields of a JSON detail, left unparsed until each is checked by name.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetadataFields<'a> {
    #[serde(borrow, default)]
    correlation_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    user_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    organisation_id: Option<&'a RawValue>,
}
