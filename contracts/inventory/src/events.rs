//! The inventory module's events.

use chrono::{DateTime, NaiveDate, Utc};
use contracts_common::{Event, EventMetadata, register_event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::{AdjustmentReason, Freight, InventoryLot};

/// A lot of grain was received into storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryCreated {
    /// Who received it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The new lot.
    pub inventory: InventoryLot,
}

/// A lot's quantity was corrected outside a trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StockAdjusted {
    /// Who adjusted it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The adjusted lot.
    pub inventory_id: Uuid,
    /// Why it changed.
    pub reason: AdjustmentReason,
    /// Quantity before, in kilograms.
    pub quantity_before_kg: u64,
    /// Quantity after, in kilograms.
    pub quantity_after_kg: u64,
    /// Free-text explanation.
    pub note: Option<String>,
    /// When the adjustment was recorded.
    pub adjusted_at: DateTime<Utc>,
}

/// Part of a lot left one business unit for another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryTransferred {
    /// Who dispatched it, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The lot the grain came from.
    pub inventory_id: Uuid,
    /// The sending business unit.
    pub from_business_unit_id: Uuid,
    /// The receiving business unit.
    pub to_business_unit_id: Uuid,
    /// Quantity dispatched, in kilograms.
    pub quantity_kg: u64,
    /// Who moves it.
    pub freight: Freight,
    /// Day it left.
    pub dispatched_on: NaiveDate,
}

impl Event for InventoryCreated {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "InventoryCreated";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(InventoryCreated);

impl Event for StockAdjusted {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "StockAdjusted";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(StockAdjusted);

impl Event for InventoryTransferred {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "InventoryTransferred";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(InventoryTransferred);
