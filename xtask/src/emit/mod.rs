//! Code emitters: Rust (through typify) and TypeScript (our own), from the published schemas.
//!
//! Both read the same [`model::SourceModule`]s: the events of one source with their
//! definitions merged, so each source becomes one Rust module and one TypeScript module.

pub mod model;
pub mod rust;
pub mod typescript;
