//! The customers module's events.

use chrono::{DateTime, Utc};
use contracts_common::{Event, EventMetadata, register_event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::{BusinessUnit, Organisation, OrganisationChanges, UserRole};

/// An organisation joined the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationCreated {
    /// Who created it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The new organisation.
    pub organisation: Organisation,
}

/// Some of an organisation's details changed; the organisation is the metadata's
/// `organisationId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationUpdated {
    /// Who changed it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// What changed.
    pub changes: OrganisationChanges,
    /// When the change was saved.
    pub updated_at: DateTime<Utc>,
}

/// Business units were added to an organisation: the metadata's `organisationId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessUnitsCreated {
    /// Who added them, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The new business units.
    pub business_units: Vec<BusinessUnit>,
}

/// A user was invited to join an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserInvited {
    /// Who sent the invitation, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The invitation's id, used in the acceptance link.
    pub invitation_id: Uuid,
    /// Where the invitation was sent.
    pub email: String,
    /// The invitee's name, as the inviter typed it.
    pub display_name: String,
    /// What the user may do once they accept.
    pub role: UserRole,
    /// When the invitation stops working.
    pub expires_at: DateTime<Utc>,
}

impl Event for OrganisationCreated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "OrganisationCreated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(OrganisationCreated);

impl Event for OrganisationUpdated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "OrganisationUpdated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(OrganisationUpdated);

impl Event for BusinessUnitsCreated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "BusinessUnitsCreated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(BusinessUnitsCreated);

impl Event for UserInvited {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "UserInvited";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(UserInvited);
