//! The trading module's events.

use chrono::{DateTime, Utc};
use contracts_common::values::Money;
use contracts_common::{Event, EventMetadata, register_event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::{Allocation, CancellationReason, Trade};

/// A trade was agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TradeCreated {
    /// Who entered the trade, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The trade.
    pub trade: Trade,
}

/// Inventory was allocated to a trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TradeInventoryAllocated {
    /// Who allocated it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The trade being filled.
    pub trade_id: Uuid,
    /// The allocations made in this step.
    pub allocations: Vec<Allocation>,
    /// Quantity still to allocate after this step, in kilograms.
    pub unallocated_kg: u64,
}

/// A trade was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TradeCancelled {
    /// Who cancelled it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The cancelled trade.
    pub trade_id: Uuid,
    /// Why it was cancelled.
    pub reason: CancellationReason,
    /// Free-text explanation.
    pub note: Option<String>,
    /// Fee charged to the defaulting party, if any.
    pub cancellation_fee: Option<Money>,
    /// When it was cancelled.
    pub cancelled_at: DateTime<Utc>,
}

impl Event for TradeCreated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "TradeCreated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(TradeCreated);

impl Event for TradeInventoryAllocated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "TradeInventoryAllocated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(TradeInventoryAllocated);

impl Event for TradeCancelled {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "TradeCancelled";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(TradeCancelled);
