//! The [`Event`] trait, the [`Sample`] trait, and the macro that registers an event.

use schemars::JsonSchema;
use serde::{Serialize, de::DeserializeOwned};

use crate::EventMetadata;

/// A domain event published to the bus.
///
/// `SOURCE` is the EventBridge `source` (the owning module, e.g. `trading`); `DETAIL_TYPE` is
/// the EventBridge `detail-type` and must equal the type's name ([`register_event!`] checks
/// this at compile time). Every event also has a [`Sample`], in its crate's `factories`
/// module: the generator is built with every contract crate's `samples` feature, and
/// [`register_event!`] then refuses to compile an event without one.
pub trait Event:
    Serialize + DeserializeOwned + JsonSchema + Send + Sync + 'static + crate::__private::Registered
{
    /// The EventBridge `source`: the platform module that owns the event.
    const SOURCE: &'static str;
    /// The EventBridge `detail-type`: the event type's name.
    const DETAIL_TYPE: &'static str;

    /// Who caused the event and in which request: the metadata every payload flattens.
    ///
    /// A handler's context is built from it, so a follow-up event carries the same
    /// correlation id whether the event arrived typed (in-process) or as JSON (Lambda).
    fn metadata(&self) -> &EventMetadata;
}

/// Complete, deterministic examples of an event: the `examples` of its schema, its
/// snapshots, the proof that it serialises as its schema says, and fixtures for tests.
///
/// Only with the `samples` feature, so production code never links fake-data factories.
#[cfg(feature = "samples")]
pub trait Sample: Event {
    /// A complete example of this event, the same on every run and machine.
    ///
    /// Build it from the crate's factories with [`crate::fakes::rng_for_event`], and give
    /// every field a value: every `Option` `Some`, every list and map non-empty.
    fn sample() -> Self;

    /// Further examples, e.g. one per variant of a data-carrying enum. The generator's
    /// coverage check is over `sample()` and these together.
    fn more_samples() -> Vec<Self> {
        Vec::new()
    }
}

/// Registers an [`Event`] implementation with the generator.
///
/// Write it once beside `impl Event for MyEvent`. It fails to compile when `DETAIL_TYPE` is
/// not the type's name and, in a build with the crate's `samples` feature, when the event
/// has no [`Sample`].
///
/// ```ignore
/// impl Event for TradeCancelled {
///     const SOURCE: &'static str = crate::SOURCE;
///     const DETAIL_TYPE: &'static str = "TradeCancelled";
///     fn metadata(&self) -> &EventMetadata { &self.metadata }
/// }
/// contracts_common::register_event!(TradeCancelled);
/// ```
#[macro_export]
macro_rules! register_event {
    ($event:ident) => {
        impl $crate::__private::Registered for $event {}

        const _: () = assert!(
            $crate::__private::str_eq(<$event as $crate::Event>::DETAIL_TYPE, stringify!($event)),
            concat!("DETAIL_TYPE of ", stringify!($event), " must be \"", stringify!($event), "\"")
        );

        // `feature = "samples"` is the calling contract crate's feature.
        #[cfg(feature = "samples")]
        $crate::__private::inventory::submit! {
            $crate::registry::Registration::with_samples::<$event>(env!("CARGO_PKG_NAME"), file!())
        }
        #[cfg(not(feature = "samples"))]
        $crate::__private::inventory::submit! {
            $crate::registry::Registration::of::<$event>(env!("CARGO_PKG_NAME"), file!())
        }
    };
}
