//! The generator behind `cargo xtask`: it turns every registered event into a JSON Schema, a
//! catalog entry and a sample snapshot, and proves the checked-in copies are fresh.
//!
//! The binary (`main.rs`) only parses arguments; everything here is a library so it can be
//! tested and benchmarked. The pipeline, one module per step:
//!
//! 1. [`events`] reads each registered event's sample and type schema;
//! 2. [`coverage`] proves the sample gives every field of the type a value;
//! 3. [`validation`] validates the sample against the schema with an independent validator;
//! 4. [`outputs`] renders the whole output set in memory (schemas, catalog, snapshots);
//! 5. [`freshness`] writes that set to disk, or compares it with the disk in `--check` mode.

pub mod ci;
pub mod consumed;
pub mod corpus;
pub mod coverage;
pub mod emit;
pub mod events;
pub mod freshness;
pub mod infer;
pub mod json;
pub mod moto;
pub mod outputs;
pub mod postgres;
pub mod validation;
pub mod workspace;

pub use outputs::{GenerationError, OutputSet, generate};
