//! Records: recursion, optional and skipped fields, tuples and arrays, maps of lists of
//! options, extreme numbers, formats, names no language likes, and awkward documentation.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use contracts_common::{Event, EventMetadata, register_event};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A category in a tree: direct recursion through `Vec` and `Option<Box<_>>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Category {
    /// Its name.
    pub name: String,
    /// Sub-categories.
    pub children: Vec<Category>,
    /// The category above, when known.
    pub parent: Option<Box<Category>>,
}

/// A graph node: mutual recursion with [`Edge`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Node {
    /// Its label.
    pub label: String,
    /// Its outgoing edges.
    pub edges: Vec<Edge>,
}

/// An edge to another node, if it leads anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Edge {
    /// Its weight.
    pub weight: u32,
    /// Where it leads.
    pub to: Option<Box<Node>>,
}

/// Trees and graphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TreeGrown {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The root of a category tree.
    pub root: Category,
    /// A small graph.
    pub graph: Node,
}

/// Optional, skipped and defaulted fields, tuples, arrays and maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldsVaried {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// Always written, `null` when there is none.
    pub note: Option<String>,
    /// Left out when there is none: never `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A label and a count.
    pub pair: (String, u32),
    /// Exactly three bytes.
    pub rgb: [u8; 3],
    /// Readings by sensor, each a list that may have gaps.
    pub readings_by_sensor: BTreeMap<String, Vec<Option<u32>>>,
    /// The biggest unsigned count.
    pub huge: u64,
    /// The smallest signed count.
    pub tiny: i64,
    /// A single-precision ratio.
    pub ratio: f32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// On which day.
    pub on: NaiveDate,
    /// Its id.
    pub id: Uuid,
    /// A price, as a decimal string.
    pub price: Decimal,
}

/// Names no language likes, and documentation with `*/`, `backticks` and "quotes".
///
/// A comment closer */ must not end a generated comment early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NamesAwkward {
    /// Who, and in which request.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// A JSON-LD id.
    #[serde(rename = "@id")]
    pub at_id: String,
    /// A header name.
    #[serde(rename = "x-request-id")]
    pub request_id: String,
    /// Starts with a digit.
    #[serde(rename = "1stPlace")]
    pub first_place: String,
    /// Not ASCII.
    #[serde(rename = "größe")]
    pub size: u32,
    /// A JavaScript trap.
    #[serde(rename = "__proto__")]
    pub proto: String,
    /// A Rust and TypeScript keyword.
    #[serde(rename = "type")]
    pub kind: String,
    /// Another keyword.
    #[serde(rename = "class")]
    pub class_name: String,
    /// A keyword in Rust.
    #[serde(rename = "fn")]
    pub function: String,
    /// A keyword in TypeScript.
    #[serde(rename = "delete")]
    pub remove: bool,
    /// Says `*/`, `code` and "quotes" too.
    pub quoted: String,
}

impl Event for TreeGrown {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "TreeGrown";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(TreeGrown);

impl Event for FieldsVaried {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "FieldsVaried";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(FieldsVaried);

impl Event for NamesAwkward {
    const SOURCE: &'static str = crate::SOURCE;
    const DETAIL_TYPE: &'static str = "NamesAwkward";
    fn metadata(&self) -> &EventMetadata {
        &self.metadata
    }
}
register_event!(NamesAwkward);
