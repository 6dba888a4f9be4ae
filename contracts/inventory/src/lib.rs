//! Events published by the inventory module: lots of grain held at business units, and
//! every change to their quantity or place.
//!
//! Each event is a type in [`events`] with a factory in [`factories`]; tests reuse the
//! factories to build realistic payloads.

pub mod events;
#[cfg(feature = "samples")]
pub mod factories;
pub mod models;

pub use events::*;

/// The EventBridge `source` of every event in this crate.
pub const SOURCE: &str = "inventory";
