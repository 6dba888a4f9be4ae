//! One event as the pipeline sees it, and where it comes from.

use serde_json::Value;

/// One event, ready for checking and rendering.
#[derive(Debug, Clone)]
pub struct EventInput {
    /// The EventBridge `source`.
    pub source: String,
    /// The EventBridge `detail-type`.
    pub detail_type: String,
    /// Where to look to change it: the file that implements `Event`, or the samples' folder.
    pub defined_in: String,
    /// The draft-07 schema of its `detail`, as JSON.
    pub schema: Value,
    /// Every sample (the first is the mandatory one), or why they could not be made.
    pub samples: Result<Vec<Value>, String>,
    /// Where the event comes from.
    pub kind: EventKind,
}

/// Where an event comes from, which decides what is checked and written for it.
#[derive(Debug, Clone)]
pub enum EventKind {
    /// A Rust type in a contract crate: its schema is derived by schemars, its samples are
    /// built by its factories, covered, round-tripped and snapshotted.
    Registered {
        /// The Cargo package that defines it.
        owning_crate: String,
        /// Deserialises JSON into the type and serialises it back.
        round_trip: fn(Value) -> Result<Value, serde_json::Error>,
    },
    /// Known only from samples: its schema is inferred from them, so it has nothing to
    /// cover, and its samples are committed files already (no snapshot).
    SampleOnly {
        /// The samples' folder, relative to the workspace root.
        dir: String,
    },
    /// Built by a test from any serialisable type, with no crate and no round trip.
    Test,
}

impl EventInput {
    /// An event from any serialisable type and a value of it: how tests feed the generator
    /// events that are not registered.
    pub fn from_type<T: serde::Serialize + schemars::JsonSchema>(
        source: &str,
        detail_type: &str,
        sample: &T,
    ) -> Self {
        Self {
            source: source.to_owned(),
            detail_type: detail_type.to_owned(),
            defined_in: "tests".to_owned(),
            schema: {
                let mut schema = contracts_common::registry::event_schema_of::<T>();
                super::producer::skipped_fields_not_null(&mut schema);
                super::generics::name_instantiations(&mut schema);
                schema
            },
            samples: serde_json::to_value(sample).map(|s| vec![s]).map_err(|e| e.to_string()),
            kind: EventKind::Test,
        }
    }

    /// `source.DetailType`: the name used in messages, snapshot names and the catalog.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.source, self.detail_type)
    }

    /// Where to fix the samples, for error messages.
    pub fn factory_hint(&self) -> String {
        format!("the factory behind `{}::sample()` ({})", self.detail_type, self.defined_in)
    }

    /// Whether its schema was inferred from its samples.
    pub fn is_inferred(&self) -> bool {
        matches!(self.kind, EventKind::SampleOnly { .. })
    }
}
