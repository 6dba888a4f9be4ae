//! `schemas/catalog.json`: every event the contracts publish a schema for, in one typed form
//! that the generator writes and tools such as `event-tail` read.

use serde::{Deserialize, Serialize};

/// The catalog file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Says the file is generated, and by what.
    #[serde(rename = "$comment")]
    pub comment: String,
    /// Every event, sorted by source and detail-type.
    pub events: Vec<CatalogEntry>,
}

/// One event of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// The EventBridge `source`.
    pub source: String,
    /// The EventBridge `detail-type`.
    pub detail_type: String,
    /// Its schema file, relative to the catalog's folder.
    pub schema: String,
    /// Where the event is defined.
    #[serde(flatten)]
    pub defined_by: DefinedBy,
}

/// Where an event of the catalog is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DefinedBy {
    /// A Rust type in a contract crate.
    Crate {
        /// The crate's package name.
        #[serde(rename = "crate")]
        name: String,
    },
    /// Samples only (events the platform consumes but does not define).
    Samples {
        /// The samples' folder, relative to the workspace root.
        samples: String,
    },
}

impl Catalog {
    /// The file name of the catalog in the schemas folder.
    pub const FILE_NAME: &'static str = "catalog.json";
}
