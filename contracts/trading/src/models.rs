//! Value types that trading events carry.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use contracts_common::values::{Address, Commodity, Money};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A contract to sell grain from a seller to a buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Trade {
    /// The trade's id.
    pub id: Uuid,
    /// Human-readable contract number, e.g. `TR-2026-004211`.
    pub contract_number: String,
    /// The buying organisation.
    pub buyer_id: Uuid,
    /// The selling organisation.
    pub seller_id: Uuid,
    /// What is traded.
    pub commodity: Commodity,
    /// Grade code under the receival standards, e.g. `APW1`.
    pub grade: String,
    /// Harvest season, e.g. `2026/27`.
    pub season: String,
    /// Contracted quantity in kilograms.
    pub quantity_kg: u64,
    /// Price per tonne.
    pub price_per_tonne: Money,
    /// Where and how the grain changes hands.
    pub delivery: DeliveryTerms,
    /// When delivery may happen.
    pub delivery_window: DeliveryWindow,
    /// Quality limits by specification name (e.g. `moistureMaxPercent`), as decimals.
    pub specs: BTreeMap<String, Decimal>,
    /// The broker who arranged the trade, if any.
    pub broker_id: Option<Uuid>,
}

/// Where and how grain changes hands; `method` tells the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "camelCase")]
pub enum DeliveryTerms {
    /// The seller delivers to the buyer's site.
    #[serde(rename_all = "camelCase")]
    Delivered {
        /// The receiving business unit.
        site_id: Uuid,
        /// Its address.
        address: Address,
    },
    /// The buyer collects from the seller's farm.
    #[serde(rename_all = "camelCase")]
    ExFarm {
        /// The farm's business unit.
        farm_id: Uuid,
    },
    /// The seller loads onto a ship at a port.
    #[serde(rename_all = "camelCase")]
    FreeOnBoard {
        /// Port name, e.g. `Port Kembla`.
        port: String,
        /// Vessel name once nominated.
        vessel_name: Option<String>,
    },
}

/// An inclusive range of delivery dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryWindow {
    /// First day of delivery.
    pub from: NaiveDate,
    /// Last day of delivery.
    pub to: NaiveDate,
}

/// Stock set aside to fill a trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// The inventory lot the stock comes from.
    pub inventory_id: Uuid,
    /// The business unit holding the lot.
    pub business_unit_id: Uuid,
    /// Quantity allocated, in kilograms.
    pub quantity_kg: u64,
    /// When the allocation was made.
    pub allocated_at: DateTime<Utc>,
}

/// Why a trade was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CancellationReason {
    /// Buyer and seller agreed to cancel.
    MutualAgreement,
    /// The seller could not supply the grain.
    SellerDefault,
    /// The buyer did not pay or collect.
    BuyerDefault,
    /// Entered by mistake.
    DataEntryError,
}
