//! Value types that inventory events carry.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use contracts_common::values::{Commodity, Money};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A lot of one grade of grain at one business unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryLot {
    /// The lot's id.
    pub id: Uuid,
    /// The business unit that holds it.
    pub business_unit_id: Uuid,
    /// What grain it is.
    pub commodity: Commodity,
    /// Grade code, e.g. `APW1`.
    pub grade: String,
    /// Harvest season, e.g. `2026/27`.
    pub season: String,
    /// Quantity on hand, in kilograms.
    pub quantity_kg: u64,
    /// Measured quality by specification name (e.g. `moisturePercent`).
    pub measurements: BTreeMap<String, Decimal>,
    /// Where at the site it is stored.
    pub storage: Storage,
    /// Day harvest finished.
    pub harvested_on: NaiveDate,
    /// When the lot was received into storage.
    pub received_at: DateTime<Utc>,
}

/// How grain is stored; `type` tells the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Storage {
    /// A vertical silo.
    #[serde(rename_all = "camelCase")]
    Silo {
        /// Silo number on the site plan.
        silo_number: u32,
    },
    /// An open or covered bunker.
    #[serde(rename_all = "camelCase")]
    Bunker {
        /// Bunker name.
        bunker_name: String,
        /// Whether it is tarped.
        covered: bool,
    },
    /// Silo bags on the ground.
    #[serde(rename_all = "camelCase")]
    SiloBags {
        /// How many bags.
        bag_count: u32,
    },
}

/// Why a lot's quantity changed outside a trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum AdjustmentReason {
    /// Moisture loss while in storage.
    Shrinkage,
    /// Spilled or damaged in handling.
    Spillage,
    /// Correction after a physical stocktake.
    StocktakeCorrection,
    /// Lost to pests or spoilage.
    Spoilage,
}

/// The carrier moving grain between sites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Freight {
    /// Carrier's trading name.
    pub carrier: String,
    /// Truck or train registration, once known.
    pub vehicle_registration: Option<String>,
    /// Agreed freight cost.
    pub cost: Money,
}
