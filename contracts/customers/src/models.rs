//! Value types that customers events carry.

use chrono::{DateTime, Utc};
use contracts_common::values::Address;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A company or person that trades on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    /// The organisation's id.
    pub id: Uuid,
    /// Registered legal name.
    pub legal_name: String,
    /// Name it trades under, when different from the legal name.
    pub trading_name: Option<String>,
    /// Australian Business Number, 11 digits.
    pub abn: String,
    /// What the organisation does on the platform.
    pub kind: OrganisationKind,
    /// Registered office.
    pub registered_address: Address,
    /// When the organisation joined the platform.
    pub created_at: DateTime<Utc>,
}

/// The role an organisation plays in the grain supply chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OrganisationKind {
    /// Grows and sells grain.
    Grower,
    /// Buys grain to trade on.
    Trader,
    /// Turns grain into products (millers, maltsters, feedlots).
    Processor,
    /// Stores grain for others.
    StorageProvider,
}

/// Fields of an organisation that changed; absent means unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationChanges {
    /// New legal name.
    pub legal_name: Option<String>,
    /// New trading name.
    pub trading_name: Option<String>,
    /// New registered office.
    pub registered_address: Option<Address>,
}

/// A site or division of an organisation that holds stock and trades on its own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessUnit {
    /// The business unit's id.
    pub id: Uuid,
    /// Display name, e.g. "North Silo Complex".
    pub name: String,
    /// Where the unit is.
    pub address: Address,
    /// How much grain the unit can store, in kilograms.
    pub storage_capacity_kg: u64,
}

/// What an invited user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum UserRole {
    /// Manages users and settings.
    Admin,
    /// Creates and manages trades.
    Trader,
    /// Receives and dispatches stock.
    SiteOperator,
    /// Read-only access.
    Viewer,
}
