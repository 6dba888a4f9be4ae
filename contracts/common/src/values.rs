//! Value types that several modules' events share.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An amount of money. The amount is a decimal string (`"1234.50"`), never a float, so no
/// consumer rounds a price: `rust_decimal`'s serde support writes strings, and the
/// generator's validation of every sample against its schema would catch a change to that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// The amount in `currency`, as a decimal string.
    pub amount: Decimal,
    /// ISO 4217 currency.
    pub currency: Currency,
}

/// Currencies the platform trades in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    /// Australian dollar.
    Aud,
    /// United States dollar.
    Usd,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street number and name.
    pub line1: String,
    /// Unit, building or PO box.
    pub line2: Option<String>,
    /// Town or suburb.
    pub locality: String,
    /// State or territory code.
    pub state: String,
    /// Postcode.
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

/// A traded grain or pulse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Commodity {
    /// Wheat.
    Wheat,
    /// Barley.
    Barley,
    /// Canola.
    Canola,
    /// Sorghum.
    Sorghum,
    /// Chickpeas.
    Chickpeas,
}

impl Commodity {
    /// Every commodity, for factories that pick one.
    pub const ALL: [Commodity; 5] =
        [Commodity::Wheat, Commodity::Barley, Commodity::Canola, Commodity::Sorghum, Commodity::Chickpeas];
}
