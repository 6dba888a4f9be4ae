//! The generator's view of one event: its names, its sample and its type schema.

use contracts_common::registry::{self, Registration};
use serde_json::Value;

/// One event, ready for checking and rendering. Tests build these from any type; the
/// generator builds them from the registry with [`registered`].
#[derive(Debug, Clone)]
pub struct EventInput {
    /// The EventBridge `source`.
    pub source: String,
    /// The EventBridge `detail-type`.
    pub detail_type: String,
    /// The Cargo package that defines it.
    pub owning_crate: String,
    /// The file that implements `Event` for it, where its `sample()` is.
    pub defined_in: String,
    /// The type's draft-07 schema, as JSON.
    pub schema: Value,
    /// The serialised sample, or why serialising it failed.
    pub sample: Result<Value, String>,
    /// Deserialises JSON into the event's type and back, when the type can be deserialised.
    pub round_trip: Option<fn(Value) -> Result<Value, serde_json::Error>>,
    /// Set for a sample-only event, whose schema was inferred from its samples.
    pub consumed: Option<Consumed>,
}

/// Where a sample-only event's samples are, and each sample's `detail`.
#[derive(Debug, Clone)]
pub struct Consumed {
    /// The samples' folder, relative to the workspace root.
    pub dir: String,
    /// Every sample's `detail`, in file order; the first is also the event's `sample`.
    pub details: Vec<Value>,
}

impl EventInput {
    /// Reads the sample and schema of a registered event.
    pub fn from_registration(event: &Registration) -> Self {
        Self {
            source: event.source.to_owned(),
            detail_type: event.detail_type.to_owned(),
            owning_crate: event.owning_crate.to_owned(),
            defined_in: event.defined_in.to_owned(),
            schema: serde_json::to_value((event.schema)()).expect("a schemars schema serialises"),
            sample: event.samples().map(|mut samples| samples.remove(0)),
            round_trip: Some(event.round_trip),
            consumed: None,
        }
    }

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
            owning_crate: "tests".to_owned(),
            defined_in: "tests".to_owned(),
            schema: serde_json::to_value(registry::schema_of::<T>()).expect("a schemars schema serialises"),
            sample: serde_json::to_value(sample).map_err(|e| e.to_string()),
            round_trip: None,
            consumed: None,
        }
    }

    /// `source.DetailType`: the name used in messages, snapshot names and the catalog.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.source, self.detail_type)
    }

    /// Where to fix the sample, for error messages.
    pub fn factory_hint(&self) -> String {
        format!("the factory behind `{}::sample()` ({})", self.detail_type, self.defined_in)
    }
}

/// Every registered event, sorted by source and detail-type.
pub fn registered() -> Vec<EventInput> {
    contracts_all::events().into_iter().map(EventInput::from_registration).collect()
}

/// Every event the generator covers: the registered ones and the sample-only ones under
/// `contracts/consumed` (read from this workspace, like the registry is compiled from it),
/// with the inference warnings of the latter.
pub fn all() -> Result<(Vec<EventInput>, Vec<String>), Vec<String>> {
    let (mut events, warnings) = crate::consumed::load(&crate::workspace::root())?;
    events.extend(registered());
    events.sort_by(|a, b| (&a.source, &a.detail_type).cmp(&(&b.source, &b.detail_type)));
    Ok((events, warnings))
}
