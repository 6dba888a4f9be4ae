//! The EventBridge envelope around an event's `detail`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Event;

/// An event as EventBridge delivers it, with EventBridge's own field names.
///
/// `account` and `region` are optional because AWS omits them on some delivery paths (and
/// local tools such as moto omit `account`); `resources` defaults to empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventEnvelope<T> {
    /// Envelope format version; `"0"` for every EventBridge event.
    pub version: String,
    /// Unique id of this delivery's event; consumers de-duplicate on it.
    pub id: String,
    /// The event's type name.
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    /// The module or AWS service that published the event.
    pub source: String,
    /// The AWS account the event was published in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// When the event was published.
    pub time: DateTime<Utc>,
    /// The AWS region the event was published in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ARNs of the resources the event concerns.
    #[serde(default)]
    pub resources: Vec<String>,
    /// The event payload.
    pub detail: T,
}

impl<E: Event> EventEnvelope<E> {
    /// Wraps `detail` with its `source` and `detail-type`, under the given id and time.
    pub fn new(id: Uuid, time: DateTime<Utc>, detail: E) -> Self {
        Self {
            version: "0".to_owned(),
            id: id.to_string(),
            detail_type: E::DETAIL_TYPE.to_owned(),
            source: E::SOURCE.to_owned(),
            account: None,
            time,
            region: None,
            resources: Vec::new(),
            detail,
        }
    }
}
