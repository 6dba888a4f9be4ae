//! Shapes a partner's JSON forces on a contract: a catch-all map of unknown keys, names that
//! differ only by case, generic structs used with several arguments, offsets that must
//! survive, sets, tuple structs, and an event without a doc comment.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use contracts_common::{Event, EventMetadata, register_event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Known fields, and every other key a partner sends kept as it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtrasKept {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The lot it is about.
    pub lot_code: String,
    /// Every key the contract does not name (`x-tenant-tier`, ...).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// JSON names fixed by a partner that differ only by case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CasesDiffering {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The canonical address.
    #[serde(rename = "URL")]
    pub canonical_url: String,
    /// The address as the partner typed it.
    pub url: String,
    /// A link to this record.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The record's own type name.
    #[serde(rename = "Self")]
    pub self_type: String,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// A lot on a listing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Lot {
    /// Its code.
    pub code: String,
}

/// A grade on a listing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Grade {
    /// Its name.
    pub name: String,
    /// Its minimum protein, in tenths of a percent.
    pub min_protein: u16,
}

/// A generic struct, used with two type arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagesListed {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// A page of lots.
    pub lots: Page<Lot>,
    /// A page of grades.
    pub grades: Page<Grade>,
}

/// A point on a paddock map: a tuple struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Point(pub f64, pub f64);

#[allow(missing_docs)] // On purpose: an event without a doc comment borrows no description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadingsTaken {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// When, with the offset the device was set to.
    pub taken_at: DateTime<FixedOffset>,
    /// The paddocks visited, each once.
    pub paddocks: BTreeSet<String>,
    /// Where the reading was taken.
    pub at: Point,
}

impl Event for ExtrasKept {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "ExtrasKept";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(ExtrasKept);

impl Event for CasesDiffering {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "CasesDiffering";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(CasesDiffering);

impl Event for PagesListed {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "PagesListed";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(PagesListed);

impl Event for ReadingsTaken {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "ReadingsTaken";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(ReadingsTaken);
