//! The metadata every event carries, flattened into its payload.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who caused an event and which request it belongs to.
///
/// Every payload flattens this (`#[serde(flatten)]`), so the JSON of any event has
/// `correlationId`, `userId` and `organisationId` beside its own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventMetadata {
    /// Ties together every event and log line caused by one user request.
    pub correlation_id: Uuid,
    /// The user who caused the event.
    pub user_id: Uuid,
    /// The organisation (tenant) the event belongs to.
    pub organisation_id: Uuid,
}
