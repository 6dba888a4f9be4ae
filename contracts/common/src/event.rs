//! The [`Event`] trait and the macro that registers an implementation.

use schemars::JsonSchema;
use serde::{Serialize, de::DeserializeOwned};

use crate::EventMetadata;

/// A domain event published to the bus.
///
/// `SOURCE` is the EventBridge `source` (the owning module, e.g. `trading`); `DETAIL_TYPE` is
/// the EventBridge `detail-type` and must equal the type's name ([`register_event!`] checks
/// this at compile time). [`Event::sample`] has no default: every event ships a complete,
/// deterministic example, which becomes the `examples` of its schema, its snapshot and a
/// fixture for tests.
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

    /// A complete example of this event, the same on every run and machine.
    ///
    /// Build it from the crate's factories with [`crate::fakes::rng_for_event`], and give
    /// every field a value: every `Option` `Some`, every list and map non-empty.
    fn sample() -> Self;
}

/// Registers an [`Event`] implementation with the generator.
///
/// Write it once beside `impl Event for MyEvent`. It fails to compile when `DETAIL_TYPE` is
/// not the type's name.
///
/// ```ignore
/// impl Event for TradeCancelled {
///     const SOURCE: &'static str = crate::SOURCE;
///     const DETAIL_TYPE: &'static str = "TradeCancelled";
///     fn metadata(&self) -> &EventMetadata { &self.metadata }
///     fn sample() -> Self { factories::trade_cancelled(&mut rng_for_event::<Self>()) }
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

        $crate::__private::inventory::submit! {
            $crate::registry::Registration::of::<$event>(env!("CARGO_PKG_NAME"), file!())
        }
    };
}
