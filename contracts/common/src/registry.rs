//! Every registered event, found at link time.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::Event;

/// Builds an event's samples and serialises each.
pub type BuildSamples = fn() -> Result<Vec<Value>, serde_json::Error>;

/// What the generator and the tests need to know about one event type, without naming it.
#[derive(Debug, Clone, Copy)]
pub struct Registration {
    /// The EventBridge `source`.
    pub source: &'static str,
    /// The EventBridge `detail-type`.
    pub detail_type: &'static str,
    /// The Cargo package that defines the event.
    pub owning_crate: &'static str,
    /// The file that implements `Event`, relative to the workspace root.
    pub defined_in: &'static str,
    /// Builds every sample (`Sample::sample` first, then `Sample::more_samples`) and
    /// serialises each; `None` when the owning crate was built without its `samples` feature.
    pub build_samples: Option<BuildSamples>,
    /// Derives the draft-07 JSON Schema of the type, as JSON.
    pub schema: fn() -> Value,
    /// Deserialises JSON into the type and serialises it back: proof a payload fits the type.
    pub round_trip: fn(Value) -> Result<Value, serde_json::Error>,
}

impl Registration {
    /// The registration of `E` in a build without samples; used by
    /// [`register_event!`](crate::register_event).
    pub const fn of<E: Event>(owning_crate: &'static str, defined_in: &'static str) -> Self {
        Self {
            source: E::SOURCE,
            detail_type: E::DETAIL_TYPE,
            owning_crate,
            defined_in,
            build_samples: None,
            schema: event_schema_of::<E>,
            round_trip: round_trip::<E>,
        }
    }

    /// The registration of `E` with its samples; used by
    /// [`register_event!`](crate::register_event) in crates built with `samples`.
    #[cfg(feature = "samples")]
    pub const fn with_samples<E: crate::Sample>(
        owning_crate: &'static str,
        defined_in: &'static str,
    ) -> Self {
        Self { build_samples: Some(samples_json::<E>), ..Self::of::<E>(owning_crate, defined_in) }
    }

    /// `source.DetailType`, the name used in messages and snapshot names.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.source, self.detail_type)
    }

    /// The name of sample `index` (0 is `sample()`) in snapshots and fixtures:
    /// `trading.TradeCreated`, then `trading.TradeCreated.2`, ...
    pub fn sample_name(&self, index: usize) -> String {
        sample_name(self.source, self.detail_type, index)
    }

    /// Every sample, serialised, or why there is none.
    pub fn samples(&self) -> Result<Vec<Value>, String> {
        let build = self.build_samples.ok_or_else(|| {
            format!(
                "{} was built without the `samples` feature of {}",
                self.qualified_name(),
                self.owning_crate
            )
        })?;
        build().map_err(|e| format!("a sample does not serialise: {e}"))
    }
}

inventory::collect!(Registration);

/// The package names of the contract crates `contracts-all` links, submitted by it: a program
/// that links `contracts-all` can tell a contract crate that is missing from it (whose events
/// would silently be absent) without depending on it at compile time.
#[derive(Debug)]
pub struct LinkedCrates(pub &'static [&'static str]);

inventory::collect!(LinkedCrates);

/// Every contract crate linked through `contracts-all`, sorted; empty when it is not linked.
pub fn linked_crates() -> Vec<&'static str> {
    let mut crates: Vec<&str> =
        inventory::iter::<LinkedCrates>.into_iter().flat_map(|l| l.0.iter().copied()).collect();
    crates.sort_unstable();
    crates.dedup();
    crates
}

/// The name of sample `index` (0 is `sample()`) of the event `source`/`detail_type`:
/// `trading.TradeCreated`, then `trading.TradeCreated.2`, ...
pub fn sample_name(source: &str, detail_type: &str, index: usize) -> String {
    match index {
        0 => format!("{source}.{detail_type}"),
        n => format!("{source}.{detail_type}.{}", n + 1),
    }
}

/// Every registered event, sorted by source and detail-type.
///
/// Only crates linked into the current binary are seen: the generator and the workspace
/// tests link every contract crate through `contracts-all`.
pub fn all() -> Vec<&'static Registration> {
    let mut events: Vec<_> = inventory::iter::<Registration>.into_iter().collect();
    events.sort_by_key(|e| (e.source, e.detail_type));
    events
}

/// The JSON Schema of `T` as the contracts publish it: draft-07, describing what serde
/// *writes* (schemars' serialize contract). So an `Option` serde always writes is required
/// and nullable, while a field serde may skip (`skip_serializing_if`) is optional.
pub fn schema_of<T: schemars::JsonSchema>() -> Value {
    SchemaSettings::draft07().for_serialize().into_generator().into_root_schema_for::<T>().to_value()
}

/// The schema of an event type: [`schema_of`], without a description it only borrowed.
///
/// schemars fills a struct's missing description from the first struct flattened into it, so
/// an event without a doc comment would be described as its [`EventMetadata`]("Who caused an
/// event..."). A description that is the metadata's is dropped: the event has none of its own.
///
/// [`EventMetadata`]: crate::EventMetadata
pub fn event_schema_of<T: schemars::JsonSchema>() -> Value {
    let mut schema = schema_of::<T>();
    let metadata = schema_of::<crate::EventMetadata>();
    if let Some(object) = schema.as_object_mut()
        && object.get("description").is_some_and(|own| Some(own) == metadata.get("description"))
    {
        object.remove("description");
    }
    schema
}

#[cfg(feature = "samples")]
fn samples_json<E: crate::Sample>() -> Result<Vec<Value>, serde_json::Error> {
    std::iter::once(E::sample()).chain(E::more_samples()).map(|sample| serde_json::to_value(sample)).collect()
}

fn round_trip<E: Event>(json: Value) -> Result<Value, serde_json::Error> {
    serde_json::from_value::<E>(json).and_then(serde_json::to_value)
}
