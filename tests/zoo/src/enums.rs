//! Every serde enum representation, with unit, newtype, tuple and struct variants.

use contracts_common::{Event, EventMetadata, register_event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A shape in serde's default (externally tagged) representation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub enum Shape {
    /// A point: just the name.
    Point,
    /// A circle by its radius.
    Circle(f64),
    /// A labelled count.
    Pair(String, u32),
    /// A rectangle.
    Rect {
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
}

/// How a trade is paid; `kind` tells the variant (internally tagged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payment {
    /// By card.
    #[serde(rename_all = "camelCase")]
    Card {
        /// The last four digits.
        last_four: String,
        /// The card holder, when given.
        holder_name: Option<String>,
    },
    /// In cash, on collection.
    Cash,
    /// Against an invoice.
    BankTransfer(Invoice),
}

/// An invoice a payment refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    /// The invoice number.
    pub invoice_number: String,
    /// Days until due.
    pub due_in_days: u16,
}

/// A message on a wire: `t` is the variant, `c` its content (adjacently tagged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "t", content = "c")]
pub enum Signal {
    /// A keep-alive.
    Ping,
    /// Some text.
    Text(String),
    /// A position.
    Pos {
        /// Across.
        x: i32,
        /// Down.
        y: i32,
    },
    /// Two bytes.
    Bytes(u8, u8),
}

/// A reading in whatever form the sensor sends (untagged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Reading {
    /// A plain number.
    Number(f64),
    /// A label.
    Label(String),
    /// A position.
    Point {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// A series of counts.
    Series(Vec<u32>),
}

/// The level of an alert, in SCREAMING_SNAKE_CASE on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    /// Nothing to do.
    AllClear,
    /// Look at it.
    NeedsAttention,
}

/// Where a parcel goes: flattened into its event (an internally tagged enum, flattened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "destination", rename_all = "camelCase")]
pub enum Destination {
    /// A depot.
    #[serde(rename_all = "camelCase")]
    Depot {
        /// The depot's code.
        depot_code: String,
    },
    /// A farm gate.
    #[serde(rename_all = "camelCase")]
    FarmGate {
        /// The farm's name.
        farm_name: String,
    },
}

/// Every enum representation in one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnumsShown {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// Externally tagged, every kind of variant.
    pub shapes: Vec<Shape>,
    /// Internally tagged.
    pub payment: Payment,
    /// Adjacently tagged.
    pub signals: Vec<Signal>,
    /// Untagged.
    pub readings: Vec<Reading>,
    /// A unit-only enum with `rename_all`.
    pub level: Level,
    /// A tagged enum flattened into the event.
    #[serde(flatten)]
    pub destination: Destination,
}

impl Event for EnumsShown {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "EnumsShown";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(EnumsShown);
