//! A zoo of every shape a Rust team writes with serde: the generator must turn each into a
//! schema that says what serde writes, a passing coverage check, and idiomatic consumer Rust
//! and TypeScript.
//!
//! Not a platform module: its events are registered for the generator's tests only (nothing
//! in `schemas/` comes from here). Each event exercises one family of shapes; `samples.rs`
//! gives every event samples that together reach every field and variant.

pub mod enums;
pub mod records;
mod samples;
pub mod shapes;

pub use enums::*;
pub use records::*;
pub use shapes::*;

/// The EventBridge `source` of the zoo's events.
pub const SOURCE: &str = "zoo";
