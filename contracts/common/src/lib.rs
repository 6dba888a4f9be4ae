//! Shared building blocks of every event contract.
//!
//! A contract crate (`contracts/<module>`) defines its events as plain serde + schemars types,
//! flattens [`EventMetadata`] into each payload, implements [`Event`] and registers the type
//! with [`register_event!`]. The generator (`cargo xtask schemas`) then finds every event
//! through [`registry::all`] without a hand-kept list.
//!
//! # Why registration cannot be forgotten
//! [`Event`] has a hidden supertrait that only [`register_event!`] implements, and the same
//! macro submits the type to the registry (with [`inventory`]). So a type that implements
//! `Event` without being registered does not compile. The remaining gap, a whole contract
//! crate the generator does not link, is closed by a workspace test that compares the
//! crates under `contracts/` with the owning crates seen in the registry.

pub mod catalog;
pub mod context;
pub mod envelope;
pub mod event;
#[cfg(feature = "samples")]
pub mod fakes;
pub mod metadata;
pub mod registry;
#[cfg(feature = "validation")]
pub mod validation;
pub mod values;

pub use context::{Context, ContextFactory};
pub use envelope::EventEnvelope;
pub use event::Event;
#[cfg(feature = "samples")]
pub use event::Sample;
pub use metadata::EventMetadata;

#[doc(hidden)]
pub mod __private {
    pub use inventory;

    /// Implemented only by [`register_event!`](crate::register_event); see the crate docs.
    pub trait Registered {}

    /// `a == b` usable in a `const` context, for the detail-type check in the macro.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}
