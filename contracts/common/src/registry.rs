//! Every registered event, found at link time.

use schemars::r#gen::SchemaSettings;
use schemars::schema::RootSchema;

use crate::Event;

/// What the generator and the tests need to know about one event type, without naming it.
#[derive(Debug, Clone, Copy)]
pub struct Registration {
    /// The EventBridge `source`.
    pub source: &'static str,
    /// The EventBridge `detail-type`.
    pub detail_type: &'static str,
    /// The Cargo package that defines the event.
    pub owning_crate: &'static str,
    /// The file that implements `Event` (and so `sample()`), relative to the workspace root.
    pub defined_in: &'static str,
    /// Builds the sample and serialises it to JSON.
    pub sample_json: fn() -> Result<serde_json::Value, serde_json::Error>,
    /// Derives the draft-07 JSON Schema of the type.
    pub schema: fn() -> RootSchema,
    /// Deserialises JSON into the type and serialises it back: proof a payload fits the type.
    pub round_trip: fn(serde_json::Value) -> Result<serde_json::Value, serde_json::Error>,
}

impl Registration {
    /// The registration of `E`; used by [`register_event!`](crate::register_event).
    pub const fn of<E: Event>(owning_crate: &'static str, defined_in: &'static str) -> Self {
        Self {
            source: E::SOURCE,
            detail_type: E::DETAIL_TYPE,
            owning_crate,
            defined_in,
            sample_json: sample_json::<E>,
            schema: schema_of::<E>,
            round_trip: round_trip::<E>,
        }
    }

    /// `source.DetailType`, the name used in messages and snapshot names.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.source, self.detail_type)
    }
}

inventory::collect!(Registration);

/// Every registered event, sorted by source and detail-type.
///
/// Only crates linked into the current binary are seen: the generator links every contract
/// crate, and a workspace test proves none is missing.
pub fn all() -> Vec<&'static Registration> {
    let mut events: Vec<_> = inventory::iter::<Registration>.into_iter().collect();
    events.sort_by_key(|e| (e.source, e.detail_type));
    events
}

/// The JSON Schema of `T` as the contracts publish it: draft-07, `Option` as a nullable type.
pub fn schema_of<T: schemars::JsonSchema>() -> RootSchema {
    SchemaSettings::draft07().into_generator().into_root_schema_for::<T>()
}

fn sample_json<E: Event>() -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(E::sample())
}

fn round_trip<E: Event>(json: serde_json::Value) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_value::<E>(json).and_then(serde_json::to_value)
}
