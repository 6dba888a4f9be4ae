//! Events published by the customers module: organisations, their business units and users.
//!
//! Each event is a type in [`events`] with a factory in [`factories`]; tests reuse the
//! factories to build realistic payloads.

pub mod events;
#[cfg(feature = "samples")]
pub mod factories;
pub mod models;

pub use events::*;

/// The EventBridge `source` of every event in this crate.
pub const SOURCE: &str = "customers";
