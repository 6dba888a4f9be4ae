//! Events published by the trading module: trades between growers and buyers, and the
//! inventory allocated to fill them.
//!
//! Each event is a type in [`events`] with a factory in [`factories`]; tests reuse the
//! factories to build realistic payloads.

pub mod events;
#[cfg(feature = "samples")]
pub mod factories;
pub mod models;

pub use events::*;

/// The EventBridge `source` of every event in this crate.
pub const SOURCE: &str = "trading";
